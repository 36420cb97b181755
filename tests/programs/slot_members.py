# __slots__ member descriptors: A.x is a member_descriptor that reads, writes and deletes
# the slot (type checks and messages as CPython 3.11), slot layout rules at class
# creation, access order (data descriptor before the instance dict), __getattr__
# on unset slots, inspect, dataclasses(slots=True), copy and pickle of slotted objects.
class A:
    __slots__ = ('x', 'y')
a = A()
print(A.x, type(A.x).__name__, A.__dict__['x'] is A.x)
print(A.x.__name__, A.x.__objclass__, A.x.__qualname__, A.x.__doc__)
try: a.x
except AttributeError as e: print(e, e.name if hasattr(e,'name') else '', )
A.x.__set__(a, 5); print(A.x.__get__(a), A.x.__get__(a, A), A.x.__get__(None, A) is A.x)
A.x.__delete__(a)
try: A.x.__delete__(a)
except AttributeError as e: print("del", e)
try: A.x.__get__(3)
except TypeError as e: print(e)
try: A.x.__set__(3, 4)
except TypeError as e: print(e)
try: A.x.__get__()
except TypeError as e: print(e)
try: A.x.__get__(None)
except TypeError as e: print(e)
try: A.x.__set__(a)
except TypeError as e: print(e)
try: a.z = 1
except AttributeError as e: print(e)
try: del a.y
except AttributeError as e: print(e)
class D:
    __slots__ = {'p': 'doc of p', 'q': None}
print(D.p.__doc__, D.q.__doc__)
try:
    class E:
        __slots__ = ('x',)
        x = 1
except ValueError as e: print(e)
class F(A):
    __slots__ = ('z',)
f = F(); f.x = 1; f.z = 2; print(f.x, f.z, F.z)
class G(A):
    @property
    def x(self): return 'prop'
print(G().x)
class H:
    pass
try:
    class I(A, D): pass
except TypeError as e: print(e)
print(type(A.x).__set__.__name__, type(A.x).__delete__.__name__)
import copy, pickle, dataclasses, inspect, weakref
print(inspect.isdatadescriptor(A.x), inspect.ismemberdescriptor(A.x))
print([n for n, v in inspect.getmembers(A) if not n.startswith('__')])
print(hash(A.x) == hash(A.x))
class J:
    __slots__ = ('__dict__', 'x')
j = J(); j.x = 1; j.w = 2; print(j.__dict__, '__dict__' in dir(j))
class K:
    __slots__ = ('x', '__weakref__')
print(K.__weakref__)
try:
    class L:
        __slots__ = ('x', 'x')
except Exception as e: print(type(e).__name__, e)
try:
    class M:
        __slots__ = ('1x',)
except Exception as e: print(type(e).__name__, e)
try:
    class N(J):
        __slots__ = ('__dict__',)
except Exception as e: print(type(e).__name__, e)
print(J.x.__reduce__() if hasattr(J.x, '__reduce__') else None)
class P:
    __slots__ = ('a', 'b', '__weakref__')
    def __init__(self, a, b): self.a = a; self.b = b
    def __eq__(self, o): return (self.a, self.b) == (o.a, o.b)
p = P(1, [2])
q = copy.copy(p); r = copy.deepcopy(p)
print(q.a, q.b, q.b is p.b, r.b is p.b, r.b)
s = pickle.loads(pickle.dumps(p)); print(s.a, s.b, s == p)
p2 = P(1, 2); del p2.b
print(pickle.loads(pickle.dumps(p2)).a, hasattr(pickle.loads(pickle.dumps(p2)), 'b'))
w = weakref.ref(p); print(w() is p)
@dataclasses.dataclass(slots=True)
class D:
    x: int
    y: str = "s"
d = D(1); print(d, D.__slots__, type(D.x).__name__, hasattr(d, '__dict__'))
try: d.z = 3
except AttributeError as e: print(e)
print(copy.copy(d), pickle.loads(pickle.dumps(d)))
@dataclasses.dataclass(slots=True, frozen=True)
class F:
    x: int
f = F(2); print(f, hash(f) == hash(F(2)))
try: f.x = 3
except dataclasses.FrozenInstanceError as e: print("frozen", e)
print(pickle.loads(pickle.dumps(f)))
print([(n, type(v).__name__) for n, v in inspect.getmembers(P) if n in ('a', 'b')])
class G:
    __slots__ = ('x',)
    def __getattr__(self, n): return 'ga:' + n
g = G(); print(g.x); g.x = 1; print(g.x)
class Sub(P):
    a = 10
print(Sub(5, 6).a if False else Sub.__dict__['a'])
sp = Sub.__new__(Sub); print(sp.a)
class Both:
    __slots__ = ('x', '__dict__')
b = Both(); b.x = 1; b.y = 2; print(b.x, b.__dict__, vars(b))
b.__dict__['x'] = 'dict'; print(b.x)
class T(tuple):
    __slots__ = ()
class L(list):
    __slots__ = ('tag',)
l = L([1]); l.tag = 't'; print(l, l.tag, L.tag)
try: l.other = 1
except AttributeError as e: print(e)
del l.tag
try: l.tag
except AttributeError as e: print(e)
for i in range(3):
    pp = P(i, i)
    pp.a += 1
    print(pp.a, pp.b)
class Priv:
    __slots__ = ('__x',)
    def __init__(self): self.__x = 5
    def get(self): return self.__x
print(Priv().get(), Priv._Priv__x)
# The specialized slot access follows the descriptor the class's MRO holds.
class Base:
    __slots__ = ('x',)
class Prop(Base):
    @property
    def x(self):
        return 'prop'
class Shadow(Base):
    x = 'class attr'
def getx(o):
    return o.x
def setx(o, v):
    o.x = v
b = Base()
for i in range(6):
    setx(b, i)
print([getx(o) for o in [b] * 5 + [Prop(), Shadow()] * 2 + [b] * 2])
try:
    setx(Shadow(), 1)
except AttributeError as e:
    print(e)
try:
    setx(Prop(), 1)
except AttributeError as e:
    print(e)
class U:
    pass
U.x = Base.__dict__['x']
try:
    U().x
except TypeError as e:
    print(e)
