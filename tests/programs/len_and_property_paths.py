# len() of every kind of object at one call site (the specialized CALL_LEN keeps
# handling objects that are not builtin containers), and attribute loads through
# properties (native getsets, Python @property, property subclasses, a getter's
# AttributeError falling back to __getattr__).
from collections import deque, OrderedDict, defaultdict
import array
import xml.etree.ElementTree as ET


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


class BadLen:
    def __init__(self, v):
        self.v = v

    def __len__(self):
        return self.v


class ListSub(list):
    def __len__(self):
        return 99


objs = [[1, 2], (1,), 'abc', {1: 2}, {3}, deque([1, 2, 3]), OrderedDict(a=1),
        defaultdict(int, b=2), array.array('i', [1, 2]), ET.Element('a'), Sized(7),
        ListSub([1]), b'xy', range(10), {}.keys()]
for _ in range(3):
    print([len(o) for o in objs])

for v in [-1, 'x', 2 ** 70, True]:
    try:
        print(len(BadLen(v)))
    except Exception as e:
        print(type(e).__name__, e)
try:
    len(5)
except TypeError as e:
    print('TypeError', e)


class P:
    def __init__(self):
        self._x = 3

    @property
    def x(self):
        return self._x * 2

    @property
    def missing(self):
        raise AttributeError('inner')

    def __getattr__(self, name):
        return 'fallback:' + name


class loud(property):
    def __get__(self, obj, owner=None):
        return 'loud ' + str(super().__get__(obj, owner))


class Q:
    y = loud(lambda self: 5)


p = P()
e = ET.Element('tag', k='v')
for _ in range(3):
    print(p.x, p.missing, Q().y, e.tag, e.attrib, e.text)
d = deque(maxlen=4)
for i in range(6):
    d.append(i)
    d.appendleft(-i)
    d.pop()
print(d, d.maxlen)
