# stitch: cyclic
# Special methods the Lib reads from builtin type dicts, SimpleNamespace, open(path-like).
import sys, time, pathlib
print(float.__repr__(2.5), float.__repr__(1e100), complex.__repr__(1j), bytes.__repr__(b"x"))
print(set.__repr__({1}), frozenset.__repr__(frozenset()), bytearray.__repr__(bytearray(b"a")))
for t in [list, dict, set, bytearray, type({}.keys()), type({}.items()), type({}.values()), tuple, frozenset]:
    print(t.__name__, "__hash__" in t.__dict__ and t.__dict__["__hash__"] is None)
for v in [{}.keys(), {}.items()]:
    try:
        hash(v)
    except TypeError as e:
        print(e)
print(hash(()) == hash(()), type(hash({}.values())))
print(len.__call__([1, 2]), (lambda x, y=1: x + y).__call__(1, y=5), [].append.__call__(1))
print(list(reversed({1: 2, 3: 4}.keys())), list(reversed({1: 2, 3: 4}.items())), list(reversed({1: 2}.values())))
print({1: 2}.keys().__len__(), {1: 2}.items().__contains__((1, 2)), list({5: 6}.values().__iter__()))
NS = type(sys.implementation)
print(NS, NS.__name__, NS.__module__)
n = NS(b=1, a=[2])
print(n, n.b, n == NS(b=1, a=[2]), n != NS(b=1), n == 3)
n.me = n
print(n)
print(n.__reduce__()[0] is NS, n.__reduce__()[1])
class Sub(NS):
    pass
print(Sub(x=1), Sub(x=1) == NS(x=1))
try:
    NS(1)
except TypeError as e:
    print(e)
info = time.get_clock_info("monotonic")
print(type(info) is NS, info.monotonic, info.adjustable)
try:
    open(pathlib.PurePath("/nonexistent/dir/x.txt"))
except FileNotFoundError as e:
    print(e, repr(e.filename))
class P:
    def __fspath__(self):
        return 42
try:
    open(P())
except TypeError as e:
    print(e)
