# Objects every thread shares become immortal once a second thread starts
# (runtime/src/shared_immortal.rs): functions, classes, modules and code made before
# and after that point keep working, with defaults, attributes, __code__ swaps,
# namedtuples and exec'd functions, from several threads at once.
import collections
import threading


def before(a, b=2, *, c=3):
    return a + b + c


class Base:
    tag = "base"

    def method(self, x):
        return (self.tag, x)


class Derived(Base):
    tag = "derived"

    def method(self, x):
        return super().method(x * 2)


before.attr = "kept"
results = {}
lock = threading.Lock()


def worker(k):
    # Classes, functions and namedtuples made while threads run.
    Point = collections.namedtuple("Point", "x y")
    cls = type(f"Dyn{k}", (Derived,), {"extra": lambda self: k})
    ns = {}
    exec(f"def made(v):\n    return v * {k}\n", ns)
    total = 0
    for i in range(2000):
        total += before(i) + ns["made"](i) + Point(i, k).y
        total += len(cls().method(i)) + cls().extra()
    with lock:
        results[k] = (total, cls.__name__, cls().method(1), Point(1, 2))


threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for k in sorted(results):
    print(k, results[k])

# Module-level definitions after the switch.
def after(x=[]):
    x.append(len(x))
    return x


print(after(), after(), before.attr, before.__defaults__, before.__kwdefaults__)
before.__defaults__ = (10,)
print(before(1))


def other(a, b=2, *, c=3):
    return a * b * c


before.__code__ = other.__code__
print(before(1), before.__name__)


class Late(Derived):
    def method(self, x):
        return ("late",) + super().method(x)


print(Late().method(3), Late.__mro__[1].__name__)
del Late
import gc

gc.collect()
print(sorted(k for k in results))
