# `with` in hot loops (BEFORE_WITH runs in traces through the generic helper): enter
# and exit order, __enter__ results, exceptions raised in the body (suppressed or
# not), __exit__ raising, __enter__ raising, locks and nested managers.
import threading


class Rec:
    def __init__(self, log, suppress=False):
        self.log = log
        self.suppress = suppress
        self.n = 0

    def __enter__(self):
        self.n += 1
        return self.n

    def __exit__(self, et, ev, tb):
        self.log.append(et.__name__ if et else None)
        return self.suppress


def plain(n):
    log = []
    m = Rec(log)
    total = 0
    for i in range(n):
        with m as k:
            total += k
    return total, len(log), log[-1]


def raising(n):
    log = []
    m = Rec(log, suppress=True)
    caught = 0
    for i in range(n):
        with m:
            if i % 7 == 3:
                raise ValueError(i)
            caught += 1
    return caught, log.count("ValueError"), log.count(None)


def unsuppressed(n):
    log = []
    m = Rec(log)
    errors = 0
    for i in range(n):
        try:
            with m:
                if i == n - 5:
                    raise KeyError(i)
        except KeyError as e:
            errors += e.args[0]
    return errors, log[-6:]


class BadEnter:
    def __init__(self):
        self.k = 0

    def __enter__(self):
        self.k += 1
        if self.k == 150:
            raise RuntimeError("enter failed")
        return self

    def __exit__(self, *a):
        return False


def bad_enter(n):
    m = BadEnter()
    done = 0
    try:
        for i in range(n):
            with m:
                done += 1
    except RuntimeError as e:
        return done, str(e)


class BadExit:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        raise OSError("exit failed")


def bad_exit(n):
    m = BadExit()
    count = 0
    for i in range(n):
        try:
            with m:
                count += 1
        except OSError:
            count += 100
    return count


def locks(n):
    lock = threading.Lock()
    rl = threading.RLock()
    total = 0
    for i in range(n):
        with lock, rl:
            with rl:
                total += i
    return total, lock.locked(), rl._is_owned()


def swapped(n):
    log = []
    a, b = Rec(log), Rec(log, suppress=True)
    out = 0
    for i in range(n):
        m = a if i < n // 2 else b
        with m as k:
            out += k
            if i > n - 3:
                raise IndexError
    return out, log.count("IndexError")


for f in (plain, raising, unsuppressed, bad_enter, bad_exit, locks, swapped):
    print(f.__name__, f(400))
