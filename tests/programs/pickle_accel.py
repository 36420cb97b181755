# The native _pickle: byte-identical streams for every protocol, round trips, the
# hooks of Pickler/Unpickler subclasses, memo proxies and CPython's errors.
import io
import pickle
import copyreg
import collections

print(pickle.Pickler is not pickle._Pickler, pickle.Pickler.__module__, pickle.Unpickler)


class A:
    def __init__(self):
        self.x = 1
        self.y = [1, 2]

    def __eq__(self, o):
        return type(o) is A and o.__dict__ == self.__dict__


class B:
    __slots__ = ('a', 'b')

    def __init__(self):
        self.a = 1
        self.b = 'z'

    def __eq__(self, o):
        return type(o) is B and (o.a, o.b) == (self.a, self.b)


class C(list):
    pass


class D(dict):
    pass


class E:
    def __reduce__(self):
        return (E, ())

    def __eq__(self, o):
        return type(o) is E


class F:
    def __new__(cls, *a, **k):
        self = object.__new__(cls)
        self.args = (a, k)
        return self

    def __getnewargs_ex__(self):
        return ((1,), {'k': 2})

    def __eq__(self, o):
        return type(o) is F and o.args == ((1,), {'k': 2})


class G:
    def __init__(self, v):
        self.v = v

    def __reduce__(self):
        return (G, (self.v,), None, iter([1, 2]), iter([('a', 1)]))

    def extend(self, items):
        self.items = list(items)

    def __setitem__(self, k, v):
        self.kv = (k, v)


class H:
    def __reduce__(self):
        return (H, (), {'s': 1}, None, None, H.setter)

    @staticmethod
    def setter(obj, state):
        obj.state = state


class Outer:
    class Inner:
        pass


def func():
    pass


values = [
    None, True, False, 0, 1, -1, 255, 256, 65535, 65536, 2**31 - 1, -2**31, 2**31,
    -2**31 - 1, 2**63, -2**63, 2**100, -2**100, 2**2048, -(2**2047), 0.0, -0.0, 1.5, 1e300,
    float('inf'), float('-inf'), '', 'a', 'abc' * 100, 'é€𝄞', 'back\\slash\nnl\r\x00\x1a',
    b'', b'abc', b'x' * 300, bytearray(b'ab'), bytearray(), (), (1,), (1, 2), (1, 2, 3),
    (1, 2, 3, 4), [], [1], [1, 2, 3], list(range(2500)), {}, {1: 2}, {'a': 1, 'b': [1, 2]},
    {i: i for i in range(2100)}, set(), {1, 2, 3}, frozenset(), frozenset({1, 2}),
    set(range(1000)), A(), B(), C([1, 2]), D(a=1), E(), F(), func, A, Outer.Inner, int,
    type(None), type(Ellipsis), type(NotImplemented), Ellipsis, NotImplemented, len,
    collections.OrderedDict(a=1), complex(1, 2),
]
s = 'shared'
lst = [1]
values.append([s, s, lst, lst, (lst, lst)])
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    for i, v in enumerate(values):
        if type(v) is F and proto < 4:
            continue  # protocols 2-3 use functools.partial, which stitch cannot pickle yet
        try:
            d = pickle.dumps(v, proto)
        except Exception as e:
            print(proto, i, 'ERR', type(e).__name__, e)
            continue
        print(proto, i, d.hex())
        r = pickle.loads(d)
        ok = r == v and type(r) is type(v) if v == v else r != r
        if not ok:
            print('  MISMATCH', proto, i)

# Recursive structures.
rec = []
rec.append(rec)
rd = {}
rd['self'] = rd
t = ([],)
t[0].append(t)
for proto in range(6):
    print(proto, pickle.dumps(rec, proto).hex(), pickle.dumps(rd, proto).hex(),
          pickle.dumps(t, proto).hex())
    r = pickle.loads(pickle.dumps(rec, proto))
    r2 = pickle.loads(pickle.dumps(rd, proto))
    r3 = pickle.loads(pickle.dumps(t, proto))
    print(r[0] is r, r2['self'] is r2, r3[0][0] is r3)

# Reduce tuples with list/dict items and a state setter.
for proto in range(6):
    g = pickle.loads(pickle.dumps(G(5), proto))
    h = pickle.loads(pickle.dumps(H(), proto))
    print(proto, g.v, g.items, g.kv, h.state)

# Frames: big payloads, dump to a file, load from a file (left just past the pickle).
for v in [b'x' * 70000, 'y' * 70000, list(range(30000)), [str(i) for i in range(20000)]]:
    for proto in (4, 5):
        d = pickle.dumps(v, proto)
        f = io.BytesIO()
        pickle.dump(v, f, proto)
        print(proto, len(d), f.getvalue() == d, d[:12].hex(), d[-12:].hex())
        f = io.BytesIO(d + b'tail')
        print(pickle.load(f) == v, f.read())

# Several pickles on one file, through one Pickler/Unpickler (memo kept between dumps).
f = io.BytesIO()
p = pickle.Pickler(f, 2)
x = ['a', 'b']
p.dump(x)
p.dump(x)
p.clear_memo()
p.dump(x)
print(f.getvalue().hex())
f.seek(0)
u = pickle.Unpickler(f)
print(u.load(), u.load(), u.load())


# Subclass hooks: persistent_id / persistent_load, dispatch_table, reducer_override,
# find_class.
class PersPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, str) and obj.startswith('ext:'):
            return obj[4:]
        return None


class PersUnpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        return 'loaded:' + pid


for proto in range(6):
    f = io.BytesIO()
    PersPickler(f, proto).dump(['ext:one', 'plain', 'ext:two'])
    print(proto, f.getvalue().hex())
    f.seek(0)
    print(PersUnpickler(f).load())

f = io.BytesIO()
p = pickle.Pickler(f, 3)
p.persistent_id = lambda o: 'X' if o == 42 else None
p.dump([1, 42])
u = pickle.Unpickler(io.BytesIO(f.getvalue()))
u.persistent_load = lambda pid: ('pid', pid)
print(u.load())


def reduce_complex(c):
    return (complex, (c.real * 10, c.imag))


class DTPickler(pickle.Pickler):
    dispatch_table = {complex: reduce_complex}


f = io.BytesIO()
DTPickler(f, 2).dump(1 + 2j)
print(pickle.loads(f.getvalue()))
f = io.BytesIO()
p = pickle.Pickler(f, 2)
p.dispatch_table = copyreg.dispatch_table.copy()
p.dispatch_table[complex] = reduce_complex
p.dump(3 + 1j)
print(pickle.loads(f.getvalue()), p.dispatch_table is not None)


class ROPickler(pickle.Pickler):
    def reducer_override(self, obj):
        if obj is func:
            return (str, ('overridden',))
        return NotImplemented


f = io.BytesIO()
ROPickler(f, 4).dump([func, 1])
print(pickle.loads(f.getvalue()))


class SafeUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module == 'builtins' and name in ('set', 'frozenset'):
            return super().find_class(module, name)
        raise pickle.UnpicklingError('global %s.%s is forbidden' % (module, name))


print(SafeUnpickler(io.BytesIO(pickle.dumps({1, 2}, 3))).load())
try:
    SafeUnpickler(io.BytesIO(pickle.dumps(A, 2))).load()
except pickle.UnpicklingError as e:
    print('UnpicklingError', e)

# Memo proxies.
f = io.BytesIO()
p = pickle.Pickler(f, 2)
p.dump(['q', 'r'])
m = p.memo.copy()
print(sorted(v[0] for v in m.values()), type(p.memo).__name__)
p.memo.clear()
print(len(p.memo.copy()))
u = pickle.Unpickler(io.BytesIO(pickle.dumps(['q', 'r'], 2)))
u.load()
print(u.memo.copy())
print(p.bin, p.fast)

# fix_imports: Python 2 names for protocols 0-2.
print(pickle.dumps(collections.UserDict, 2).hex(), pickle.dumps(range, 0).hex())
print(pickle.dumps(collections.UserDict, 2, fix_imports=False).hex())
print(pickle.loads(b'c__builtin__\nset\np0\n.'), pickle.loads(b'cUserDict\nUserDict\n.'))

# Errors.
def local():
    def inner():
        pass
    return inner


for bad, proto in [(local(), 4), (lambda: 0, 2)]:
    try:
        pickle.dumps(bad, proto)
    except Exception as e:
        print(type(e).__name__, str(e).split(' at 0x')[0])

for data in [b'', b'x', b'\x80\x04K', b'0.', b'(.', b'K\x01K\x02e.', b'\xff', b"'",
             b'\x80\x06.', b'I12345678901234567890\n.', b'I01\n.', b'L12L\n.', b'F1.5\n.',
             b"S'ab\\x41'\n.", b'Vabc\\u1234\n.', b'\x80\x02]K\x01K\x02\x86.', b'h\x05.',
             b'\x80\x04\x8c\x08__main__\x8c\x03xyz\x93.', b'\x80\x02c__main__\nxyz\n.',
             b'\x95\x10\x00\x00\x00\x00\x00\x00\x00N.', b'}K\x01s.', b'K\x01\x93.',
             b'Q.', b'N\x81.', b'](K\x01K\x02u.']:
    try:
        print(repr(pickle.loads(data)))
    except Exception as e:
        print(type(e).__name__, str(e).split(' on <')[0])

for args in [([1], 6), ([1], 'x')]:
    try:
        pickle.dumps(*args)
    except Exception as e:
        print(type(e).__name__, e)
try:
    pickle.Pickler(io.BytesIO(), 4, buffer_callback=print)
except ValueError as e:
    print('ValueError', e)
try:
    pickle.Pickler(42)
except TypeError as e:
    print('TypeError', e)
try:
    pickle.Unpickler(42)
except TypeError as e:
    print('TypeError', e)


class NoInit(pickle.Pickler):
    def __init__(self):
        pass


try:
    NoInit().dump(1)
except pickle.PicklingError as e:
    print('PicklingError', e)

deep = []
for _ in range(100000):
    deep = [deep]
try:
    pickle.dumps(deep)
except RecursionError as e:
    print('RecursionError', e)

# PickleBuffer: in band and out of band (protocol 5).
pb = pickle.PickleBuffer(bytearray(b'abc'))
ro = pickle.PickleBuffer(b'xyz')
print(pickle.dumps(pb, 5).hex(), pickle.dumps(ro, 5).hex())
print(pickle.loads(pickle.dumps(pb, 5)), pickle.loads(pickle.dumps(ro, 5)))
bufs = []
d = pickle.dumps([pb, ro], 5, buffer_callback=bufs.append)
print(d.hex(), len(bufs))
r = pickle.loads(d, buffers=bufs)
print([bytes(x) for x in r], [type(x).__name__ for x in r], memoryview(r[1]).readonly)
print(bytes(pb.raw()), memoryview(ro).readonly, memoryview(pb).readonly)
pb.release()
try:
    pb.raw()
except ValueError as e:
    print('ValueError', e)
try:
    pickle.dumps(ro, 4)
except pickle.PicklingError as e:
    print('PicklingError', e)
try:
    pickle.loads(d)
except pickle.UnpicklingError as e:
    print('UnpicklingError', e)

# The object model's pickling support the pickler relies on: bound methods, subclasses
# of immutable builtins and of set, range and slice, multiprocessing's ForkingPickler.
import copy
import multiprocessing.reduction


class S(set):
    pass


class MyInt(int):
    pass


class P:
    def m(self):
        return 42


s = S([1, 2])
s.x = 5
c = copy.copy(s)
print(type(c).__name__, sorted(c), c.x)
print(copy.deepcopy({'a': [1, {2, 3}], 'b': (range(3), slice(1, 2))}))
for proto in range(6):
    r = pickle.loads(pickle.dumps([MyInt(7), P().m, range(1, 9, 2), slice(1, None)], proto))
    print(proto, r[0], type(r[0]).__name__, r[1](), r[2], r[3])
buf = io.BytesIO()
multiprocessing.reduction.ForkingPickler(buf, 4).dump([1, 'a', P])
print(pickle.loads(buf.getvalue()), multiprocessing.reduction.ForkingPickler.loads(
    multiprocessing.reduction.ForkingPickler.dumps({1: 2})))
print(int.__flags__ & (1 << 9), S.__flags__ & (1 << 9), bool(list.__flags__ & (1 << 25)))
