# Python overrides on subclasses of builtins are honoured by the builtins that call them.


class Loud(list):
    def __getitem__(self, i):
        return f"item {i}"

    def __len__(self):
        return 42

    def __iter__(self):
        return iter(["a", "b"])

    def __contains__(self, x):
        return x == "magic"

    def __bool__(self):
        return False

    def __repr__(self):
        return "Loud!"


v = Loud([1, 2, 3])
print(v[0], v[1:2], len(v), list(v), "magic" in v, 1 in v, bool(v), [*v], sorted(v))
print(v, repr(v), str(v), f"{v}", [v], "x" if v else "empty", tuple(v), ",".join(v))
a, b = v
print(a, b, dict(zip(v, v)), list.__len__(v), list.__getitem__(v, 0))


class Defaults(dict):
    def __missing__(self, key):
        return f"<{key}>"


d = Defaults(a=1)
print(d["a"], d["zz"], d.get("zz"), "zz" in d, d)


class Counter(dict):
    def __getitem__(self, key):
        return dict.get(self, key, 0)

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value * 10)


c = Counter()
c["x"] = 1
c["x"] += 1
print(c["x"], c["never"], dict(c), c)


class Pair(tuple):
    def __new__(cls, a, b):
        return super().__new__(cls, (a, b))

    def __len__(self):
        return 99

    def __eq__(self, other):
        return isinstance(other, Pair)

    __hash__ = tuple.__hash__

    @property
    def first(self):
        return self[0]


p = Pair(1, 2)
print(p, p.first, len(p), p == (1, 2), p == Pair(3, 4), p + (3,), type(p[0:1]).__name__)
print(hash(p) == hash((1, 2)), {p: "k"}[Pair(1, 2)] if Pair(1, 2) in {p: 1} else "no")


class Name(str):
    def __str__(self):
        return "Name!"

    def __format__(self, spec):
        return "formatted:" + spec


n = Name("abc")
print(n, str(n), type(str(n)).__name__, n.upper(), n + "d", "%s" % n, f"{n}", f"{n:>5}")
print(repr(n), len(n), n == "abc", format(n, "x"), "-".join([n, n]))


class Id(int):
    def __index__(self):
        return 1

    def __repr__(self):
        return "Id!"


i = Id(5)
print([10, 20, 30, 40, 50, 60][i], i + 0, f"{i}", str(i), repr(i), "%s" % i, "%d" % i, i.__index__())


class Bag(set):
    def __contains__(self, x):
        return True

    def __len__(self):
        return -0


bag = Bag([1, 2])
print(99 in bag, len(bag), sorted(bag), bag, Bag() == set(), isinstance(bag, set))


class Frozen(frozenset):
    pass


print(Frozen([3]), repr(Frozen()), Frozen([1]) | {2}, type(Frozen([1]) | {2}).__name__)


class Attrs(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)

    def __setattr__(self, name, value):
        self[name] = value


cfg = Attrs(debug=True)
cfg.level = 3
print(cfg.debug, cfg.level, cfg)
try:
    cfg.nothing
except AttributeError as exc:
    print("AttributeError:", exc)
