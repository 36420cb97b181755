# iter() through __iter__ / __getitem__ on Python classes, and its errors.
class A:
    def __iter__(self): return 5
try: iter(A())
except TypeError as e: print(e)
class B:
    def __getitem__(self, i):
        if i > 3: raise IndexError
        return i
print(list(B()))
class C:
    def __iter__(self):
        yield 1; yield 2
print(list(C()), [x for x in C()])
class D(Exception):
    def __iter__(self): return iter([7])
print(list(D()))
try: iter(object())
except TypeError as e: print(e)
class E: pass
try: iter(E())
except TypeError as e: print(e)
import itertools, io, collections, re
class F:
    def __init__(self, it): self.it = it
    def __iter__(self): return self.it
for it in [itertools.count(), io.StringIO("a\nb"), iter(collections.deque([1])), re.finditer("a", "aa"), map(str, [1]), zip([1], [2]), enumerate("ab"), reversed([1, 2]), iter({1: 2}.items()), (i for i in [1])]:
    print(iter(F(it)) is it)
class G:
    def __iter__(self): return self
    def __next__(self): raise StopIteration
print(list(G()))
class H:
    def __iter__(self): return [1, 2]
try: iter(H())
except TypeError as e: print(e)
