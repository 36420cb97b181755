# collections.abc: isinstance over builtins, subclass hooks, registration, mixins.
from collections.abc import *
import collections.abc as cabc
from collections import OrderedDict, defaultdict, deque, Counter, namedtuple
P = namedtuple("P", "x y")
def gen(): yield 1
vals = [[], (), "", b"", bytearray(), {}, set(), frozenset(), range(3), iter([]), gen(), {}.keys(),
        {}.items(), {}.values(), 5, 2.5, None, len, OrderedDict(), defaultdict(int), deque(), Counter(),
        P(1, 2), zip(), map(len, []), enumerate([]), lambda: 0]
for name in ["Hashable", "Iterable", "Iterator", "Reversible", "Generator", "Sized", "Container",
             "Callable", "Collection", "Set", "MutableSet", "Mapping", "MutableMapping",
             "Sequence", "MutableSequence", "ByteString", "KeysView", "ItemsView", "ValuesView",
             "MappingView"]:
    abc = getattr(cabc, name)
    print(name, "".join("1" if isinstance(v, abc) else "0" for v in vals))

class MyMap(Mapping):
    def __init__(self, d): self._d = d
    def __getitem__(self, k): return self._d[k]
    def __iter__(self): return iter(self._d)
    def __len__(self): return len(self._d)
m = MyMap({"a": 1, "b": 2})
print(m.get("a"), m.get("z", 0), "a" in m, list(m.keys()), list(m.items()), list(m.values()), m == {"a": 1, "b": 2})
print(m.keys() & {"a"}, len(m.items()), ("a", 1) in m.items(), 2 in m.values(), isinstance(m, dict))

class MyMut(MutableMapping):
    def __init__(self): self._d = {}
    def __getitem__(self, k): return self._d[k]
    def __setitem__(self, k, v): self._d[k] = v
    def __delitem__(self, k): del self._d[k]
    def __iter__(self): return iter(self._d)
    def __len__(self): return len(self._d)
mm = MyMut()
mm.update({"x": 1}, y=2)
mm.setdefault("z", 3)
print(sorted(mm.items()), mm.pop("x"), mm.pop("q", None), len(mm), mm.popitem())
try:
    MyMap2 = type("Bad", (Mapping,), {})
    MyMap2()
except TypeError as e:
    print(e)

class MySeq(Sequence):
    def __init__(self, n): self.n = n
    def __getitem__(self, i):
        if i >= self.n: raise IndexError
        return i * 10
    def __len__(self): return self.n
s = MySeq(4)
print(list(s), 20 in s, s.index(30), s.count(10), list(reversed(s)), isinstance(s, Iterable))

class MyList(MutableSequence):
    def __init__(self): self._l = []
    def __getitem__(self, i): return self._l[i]
    def __setitem__(self, i, v): self._l[i] = v
    def __delitem__(self, i): del self._l[i]
    def __len__(self): return len(self._l)
    def insert(self, i, v): self._l.insert(i, v)
ml = MyList()
ml.append(1); ml.extend([2, 3]); ml += [4]
ml.reverse(); print(ml._l, ml.pop(), ml._l)
ml.remove(3); print(ml._l)

class MySet(Set):
    def __init__(self, it=()): self._s = list(dict.fromkeys(it))
    def __contains__(self, x): return x in self._s
    def __iter__(self): return iter(self._s)
    def __len__(self): return len(self._s)
a, b = MySet([1, 2, 3]), MySet([2, 3, 4])
print(sorted(a & b), sorted(a | b), sorted(a - b), sorted(a ^ b), a <= b, MySet([2]) < a, a == MySet([3, 2, 1]))

class It:
    def __iter__(self): return self
    def __next__(self): raise StopIteration
print(isinstance(It(), Iterator), issubclass(It, Iterable), isinstance(It(), Sized))
class NoHash:
    __hash__ = None
print(isinstance(NoHash(), Hashable), isinstance([], Hashable), isinstance(object(), Hashable))
for C in [Iterable, Iterator, Generator, Sized, Container, Hashable, Callable, Collection, Sequence,
          MutableSequence, Mapping, MutableMapping, Set, MutableSet, Reversible, Coroutine, Awaitable]:
    print(C.__name__, sorted(C.__abstractmethods__))
class G(Generator):
    def __init__(self): self.n = 0
    def send(self, v):
        self.n += 1
        if self.n > 3: raise StopIteration
        return self.n
    def throw(self, *a):
        raise StopIteration
g = G()
print(list(g), next(G()), g.close())
print(issubclass(list, Sequence), issubclass(dict, Mapping), issubclass(str, Hashable), issubclass(type(iter([])), Iterator))
