# stitch: cyclic
# types.MappingProxyType: a read-only live view of a mapping; C.__dict__ is one over
# the class namespace (setattr/delattr show through it, writes through it fail).
import collections
from types import MappingProxyType as M

d = {"a": 1, "b": 2}
p = M(d)
print(p, repr(p), str(p), type(p), type(p).__name__, M.__module__)
print(p["a"], p.get("z"), p.get("z", 3), p.get("a", 9), "a" in p, "q" in p, len(p))
print(list(p), list(reversed(p)), list(iter(p)))
print(p.keys(), p.values(), p.items(), p.copy(), type(p.copy()))
print(p | {"c": 3}, {"c": 3} | p, p | M({"z": 0}), p == d, p != d, p == p, p == {"a": 1})
d["c"] = 5
print(p, len(p), p["c"])
del d["c"]
for bad in [1, [1], None, (1,), 2.5, {1, 2}]:
    try:
        M(bad)
    except TypeError as e:
        print("TypeError", e)
print(M("str is a mapping to CPython"))
try:
    M()
except TypeError as e:
    print("TypeError", e)
print(M(mapping=d))
for op in ["p['a'] = 1", "del p['a']", "p |= {}", "hash(p)", "p.x = 1", "p < p"]:
    try:
        exec(op)
    except (TypeError, AttributeError) as e:
        print(type(e).__name__, e)
try:
    p["zz"]
except KeyError as e:
    print("KeyError", e)
try:
    class S(M):
        pass
except TypeError as e:
    print("TypeError", e)
print(M(collections.OrderedDict(a=1)), M(collections.defaultdict(int)), M(M(d)))
print(M[int], sorted(n for n in dir(p) if not n.startswith("__")))


class UserMap:
    def __getitem__(self, k):
        return k * 2

    def __len__(self):
        return 1

    def __iter__(self):
        return iter(["x"])

    def keys(self):
        return ["x"]

    def get(self, k, default=None):
        return "got " + str(k)


u = M(UserMap())
print(u["ab"], len(u), list(u), u.keys(), u.get(1), "x" in u)


class C:
    x = 1

    def m(self):
        return "m"


ns = C.__dict__
print(type(ns), ns["x"], ns.get("x"), ns.get("nope", "dflt"), "m" in ns, "y" in ns)
C.y = 2
print("y" in ns, ns["y"], C.__dict__["y"])
C.y = 3
print(ns["y"], C.y)
del C.y
print("y" in ns, ns.get("y"))
try:
    ns["z"] = 1
except TypeError as e:
    print("TypeError", e)
try:
    ns[1]
except KeyError as e:
    print("KeyError", e)
print(sorted(k for k in ns if not k.startswith("__")), type(ns.copy()))
print(sorted(k for k in ns.keys() if not k.startswith("__")), ns.keys() >= {"x", "m"})
print(type(vars(C)), vars(C)["m"](C()), C.__dict__ == C.__dict__)
print(type(int.__dict__), type(type.__dict__) is M, "__add__" in int.__dict__)
import collections.abc

print(isinstance(ns, collections.abc.Mapping), isinstance(p, collections.abc.Mapping))
# The attribute cache still sees writes after reads through the proxy.
for i in range(3):
    C.x = i
    print(C.x, C().x, ns["x"])
# A proxy in a cycle with its mapping.
cyc = {}
cyc["self"] = M(cyc)
print(cyc["self"]["self"]["self"] is cyc["self"])
