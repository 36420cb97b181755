# hash() and == of Python subclasses of builtin types: the class's own __hash__ /
# __eq__ (defined, inherited, added or removed later) decides, else the builtin's.
import collections

P = collections.namedtuple('P', 'a b')
d = {P(1, 2): 'p', (1, 2): 't'}
print(len(d), d[(1, 2)], hash(P(1, 2)) == hash((1, 2)), P(1, 2) == (1, 2))

class S(str):
    pass

class H(str):
    def __hash__(self):
        return 42
    def __eq__(self, other):
        return str.__eq__(self.lower(), other.lower() if isinstance(other, str) else other)

print(hash(S('ab')) == hash('ab'), S('ab') == 'ab', {S('x'): 1}['x'])
print(hash(H('ab')), H('AB') == 'ab', 'ab' == H('AB'))

class T(tuple):
    pass

t = T((1, 2))
print(hash(t) == hash((1, 2)), t == (1, 2), {t: 'v'}[(1, 2)])
# Adding __hash__ and __eq__ to the class later takes effect at once.
T.__hash__ = lambda self: 7
T.__eq__ = lambda self, other: 'eq called'
print(hash(t), t == (9,), (9,) == t)
del T.__hash__
del T.__eq__
print(hash(t) == hash((1, 2)), t == (1, 2), t == (9,))

# Inherited from a Python base further up.
class Base(tuple):
    def __hash__(self):
        return 99

class Child(Base):
    pass

print(hash(Child((1,))))
Base.__hash__ = None
try:
    hash(Child((1,)))
except TypeError as e:
    print('TypeError:', e)

# Defining __eq__ alone makes instances unhashable (the class gets __hash__ = None).
class E(int):
    def __eq__(self, other):
        return True

try:
    hash(E(3))
except TypeError as e:
    print('TypeError:', e)
print(E(3) == 4, 4 == E(3))

# A nested namedtuple as a key, looked up with an equal but distinct key.
Q = collections.namedtuple('Q', 'x y')
k1 = Q(P(1, 'a'), P(None, 2.5))
k2 = Q(P(1, 'a'), P(None, 2.5))
counts = {}
for k in [k1, k2, k1]:
    counts[k] = counts.get(k, 0) + 1
print(counts, k1 is not k2)
