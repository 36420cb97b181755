# A `return` in a try's `else` inside an except handler leaves dead code behind; the
# stack depth of the code after it (a for loop with its own try) must still be right.
import sys


def lookup(flag, paths):
    try:
        raise OSError
    except OSError:
        if flag:
            try:
                data = 1
            except ImportError:
                pass
            else:
                if data is None:
                    return []
                return "early"
        found = []
        for p in paths:
            try:
                if p == "b":
                    raise KeyError(p)
                found.append(p)
            except KeyError:
                continue
            try:
                raise OSError(p)
            except OSError:
                pass
        else:
            return found
    return None


print(lookup(False, ["a", "b", "c"]))
print(lookup(True, ["a"]))
print(lookup(False, sys.path[:0]))


def nested(n):
    for i in range(n):
        try:
            if i == 1:
                try:
                    pass
                finally:
                    pass
                continue
        except ValueError:
            return -1
        else:
            pass
        for j in range(2):
            try:
                raise ValueError(j)
            except ValueError:
                pass
    return n


print(nested(3))
