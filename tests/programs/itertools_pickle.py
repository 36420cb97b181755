# itertools objects pickle and copy as CPython 3.11's: __reduce__ names the call that
# rebuilds them, __setstate__ restores what the call cannot say; partly consumed ones
# go on where they were.
import copy
import itertools as it
import operator
import pickle


def shape(r):
    """A __reduce__ result with iterators named by type only."""
    def one(v):
        if isinstance(v, tuple):
            return tuple(one(x) for x in v)
        if isinstance(v, list):
            return [one(x) for x in v]
        if callable(v) and hasattr(v, "__code__"):
            return v.__name__
        if hasattr(v, "__next__") and not isinstance(v, type):
            return "<%s>" % type(v).__name__
        return v
    return one(r)


def check(name, make, take=2):
    a = make()
    print(name, "fresh", shape(a.__reduce__()))
    for _ in range(take):
        next(a, None)
    print(name, "taken", shape(a.__reduce__()))
    rest = [list(it.islice(pickle.loads(pickle.dumps(a, p)), 12))
            for p in range(pickle.HIGHEST_PROTOCOL + 1)]
    b = copy.copy(a)
    print(name, "rest", rest[0], all(r == rest[0] for r in rest),
          list(it.islice(b, 12)) == rest[0])
    print(name, "after copies", shape(a.__reduce__()) if name not in ("count", "cycle", "repeat_inf") else "-")


def second(a, b):
    return b


def small(x):
    return x < 3


check("count", lambda: it.count(3))
check("count_step", lambda: it.count(1.5, 0.5))
check("count_big", lambda: it.count(2**63 - 2))
check("cycle", lambda: it.cycle("abc"), take=4)
check("repeat", lambda: it.repeat("x", 3))
check("repeat_inf", lambda: it.repeat("x"))
check("accumulate", lambda: it.accumulate([1, 2, 3, 4]))
check("accumulate_initial", lambda: it.accumulate([1, 2], initial=10), take=0)
check("accumulate_none", lambda: it.accumulate([None, 2, 3], second), take=1)
check("chain", lambda: it.chain("ab", "cd"), take=3)
check("compress", lambda: it.compress("abcdef", [1, 0, 1, 0, 1, 1]))
check("dropwhile", lambda: it.dropwhile(small, range(6)))
check("takewhile", lambda: it.takewhile(small, range(6)))
check("filterfalse", lambda: it.filterfalse(None, [0, 1, 0, 2, 0]))
check("starmap", lambda: it.starmap(operator.pow, [(2, 3), (3, 2), (4, 2)]))
check("islice", lambda: it.islice(range(20), 2, 15, 3))
check("zip_longest", lambda: it.zip_longest("a", "bcd", fillvalue="-"))
check("product", lambda: it.product("ab", range(2), repeat=2), take=3)
check("permutations", lambda: it.permutations("abc", 2), take=3)
check("combinations", lambda: it.combinations("abcd", 2), take=3)
check("cwr", lambda: it.combinations_with_replacement("abc", 2), take=3)

# groupby and its groups: a group pickles only while it is the current one.
g = it.groupby("aabbbc")
k, grp = next(g)
print("groupby", shape(g.__reduce__()), shape(grp.__reduce__()))
print("groupby copy", [(k, list(v)) for k, v in pickle.loads(pickle.dumps(g))])
next(g)
print("stale group", shape(grp.__reduce__()))

# tee: the shared data blocks travel with each copy.
a, b = it.tee(range(70))
for _ in range(60):
    next(a)
a2 = pickle.loads(pickle.dumps(a))
print("tee", list(a2), next(b), type(a.__reduce__()[2][0]).__name__)

# __setstate__ checks, with CPython's messages.
def err(f, *args):
    try:
        f(*args)
    except Exception as e:
        print(type(e).__name__, e)

c = it.cycle("defg")
c.__setstate__((list("abc"), 0))
print("cycle state", "".join(it.islice(c, 12)))
err(c.__setstate__, [1])
err(c.__setstate__, ((1,), 0))
err(c.__setstate__, ([], "x"))
err(c.__setstate__, ([],))
err(it.chain().__setstate__, ())
err(it.chain().__setstate__, ([],))
err(it.chain().__setstate__, (1, 2, 3))
err(it.groupby("a").__setstate__, 1)
err(it.product("ab").__setstate__, ())
err(it.permutations("ab").__setstate__, ((), ()))
err(it.permutations("ab").__setstate__, ([], ()))
err(it.islice("abc", 1).__setstate__, "x")
err(it.tee("ab")[0].__setstate__, (1, 2))
data = type(it.tee("ab")[0].__reduce__()[2][0])
err(data, iter([]), [1] * 58, None)
err(data, iter([]), (), None)
err(it.pairwise("abc").__reduce__)

# Subclasses of the constructors that take no keywords take them for their __init__.
class C(it.chain):
    def __init__(self, *args, tag=None):
        self.tag = tag


class M(map):
    def __init__(self, *args, tag=None):
        self.tag = tag


class Plain(it.islice):
    pass


print(list(C("ab", "c", tag=1)), C("a", tag=2).tag, list(M(str, [1, 2], tag=3)))
err(lambda: Plain("abc", 2, tag=1))

# The tee objects can be weakly referenced.
import weakref
t = it.tee("xy")[0]
print(weakref.ref(t)() is t, list(weakref.proxy(t)))
