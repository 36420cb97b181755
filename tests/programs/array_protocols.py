# array.array and the protocols around it: pickling (arrays, their iterators, the
# reconstructor's machine formats), weak references, buffer export (BufferError while
# a memoryview is alive), repeat errors, NaN comparisons, MutableSequence, and slices
# with steps and bounds beyond a machine word (on arrays, lists, bytearrays).
import array
import collections.abc
import gc
import io
import math
import pickle
import struct
import sys
import weakref
from array import array as A


def show(label, f):
    try:
        r = f()
    except Exception as e:
        print(label, "->", type(e).__name__, e)
    else:
        print(label, "->", r)


# ---- __module__ of native module functions, pickling --------------------------------
print(array._array_reconstructor.__module__, sys.exit.__module__, gc.collect.__module__)
print(weakref.getweakrefcount.__module__)
for code, init in [("b", [1, -2, 3]), ("H", [1, 65535]), ("q", [-(1 << 63), 5]),
                   ("d", [1.5, -0.0, math.inf]), ("f", [0.25]), ("u", "héllo\U0001f600")]:
    a = A(code, init)
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        b = pickle.loads(pickle.dumps(a, proto))
        assert b == a and b.typecode == a.typecode, (code, proto, b)
    print(code, "pickles", pickle.loads(pickle.dumps(a)))


class Sub(A):
    pass


s = Sub("i", [1, 2, 3])
s.extra = "kept"
for proto in (0, 2, 5):
    t = pickle.loads(pickle.dumps(s, proto))
    print(type(t).__name__, t, t.extra)

# iterators: fresh, running, exhausted; the array is shared with the iterator
orig = A("i", [10, 20, 30])
for proto in (0, 3, 5):
    it = iter(orig)
    next(it)
    it2, a2 = pickle.loads(pickle.dumps((it, orig), proto))
    a2.append(40)
    print(type(it2).__name__, list(it2), list(a2))
    rev = reversed(orig)
    next(rev)
    rev2, a3 = pickle.loads(pickle.dumps((rev, orig), proto))
    a3.insert(0, 0)
    print(type(rev2).__name__, list(rev2))
done = iter(orig)
list(done)
print(done.__reduce__(), list(pickle.loads(pickle.dumps(done))))
it = iter(orig)
it.__setstate__(2)
print(list(it))
it = iter(orig)
it.__setstate__(-5)
print(list(it))
it = iter(orig)
it.__setstate__(99)
print(list(it))

# ---- _array_reconstructor ------------------------------------------------------------
rec = array._array_reconstructor
for args in [("", "b", 0, b""), (str, "b", 0, b""), (A, "b", "", b""), (A, "b", 0, ""),
             (A, "?", 0, b""), (A, "b", -1, b""), (A, "b", 22, b""), (A, "d", 16, b"a"),
             (A, "H", 2, b"abc"), (A, "bb", 0, b"")]:
    show("rec" + repr(args[1:3]), lambda: rec(*args))
cases = [
    ("B", 0, "=BBBB", [0x80, 0x7F, 0, 0xFF]),
    ("h", 1, "=bbb", [-0x80, 0x7F, 0]),
    ("I", 3, ">HHHH", [0x8000, 0x7FFF, 0, 0xFFFF]),
    ("l", 5, ">hhh", [-0x8000, 0x7FFF, 0]),
    ("L", 7, ">IIII", [1 << 31, (1 << 31) - 1, 0, (1 << 32) - 1]),
    ("i", 9, ">iii", [-1 << 31, (1 << 31) - 1, 0]),
    ("L", 11, ">QQQQ", [1 << 63, (1 << 63) - 1, 0, (1 << 64) - 1]),
    ("l", 13, ">qqq", [-1 << 63, (1 << 63) - 1, 0]),
    ("f", 15, ">ff", [16711938.0, -math.inf]),
    ("d", 17, ">dd", [9006104071832581.0, -0.0]),
    ("d", 14, "<ff", [0.5, 2.0]),
]
for code, mf, fmt, values in cases:
    b = rec(A, code, mf, struct.pack(fmt, *values))
    print(code, mf, b, b == A(code, values))
text = "Bonne Journ\xe9e \U0002030a\U00020347"
for mf, enc in [(18, "UTF-16-LE"), (19, "UTF-16-BE"), (20, "UTF-32-LE"), (21, "UTF-32-BE")]:
    b = rec(A, "u", mf, text.encode(enc))
    print(mf, b.tounicode() == text)
show("utf16 odd", lambda: rec(A, "u", 18, b"abc"))
show("utf16 str for b", lambda: rec(A, "b", 18, "ab".encode("utf-16-le")))

# ---- weak references -----------------------------------------------------------------
a = A("b", [1, 2, 3])
p = weakref.proxy(a)
r = weakref.ref(a)
print(p.tolist(), len(p), r() is a, weakref.getweakrefcount(a))
del a
gc.collect()
print(r())
show("dead proxy", lambda: len(p))

# ---- buffer export -------------------------------------------------------------------
a = A("i", [1, 2, 3])
f = io.BytesIO()
print(f.write(a), f.getvalue() == a.tobytes())
m = memoryview(a)
print(m.format, m.itemsize, m.tolist())
ops = [
    ("append", lambda: a.append(4)),
    ("extend", lambda: a.extend(A("i", [4]))),
    ("extend iter", lambda: a.extend([4])),
    ("extend empty", lambda: a.extend([])),
    ("remove", lambda: a.remove(1)),
    ("pop", lambda: a.pop()),
    ("insert", lambda: a.insert(0, 9)),
    ("fromlist", lambda: a.fromlist([1])),
    ("fromlist empty", lambda: a.fromlist([])),
    ("frombytes", lambda: a.frombytes(b"\0\0\0\0")),
    ("frombytes empty", lambda: a.frombytes(b"")),
    ("imul 2", lambda: a.__imul__(2)),
    ("imul 0", lambda: a.__imul__(0)),
    ("imul 1", lambda: a.__imul__(1) is a),
    ("iadd", lambda: a.__iadd__(A("i", [5]))),
    ("setitem grow", lambda: a.__setitem__(slice(0, 0), A("i", [7]))),
    ("setitem same", lambda: a.__setitem__(slice(0, 1), A("i", [7]))),
    ("delitem", lambda: a.__delitem__(0)),
    ("delitem slice", lambda: a.__delitem__(slice(0, 1))),
    ("delitem empty slice", lambda: a.__delitem__(slice(0, 0))),
    ("setitem empty", lambda: a.__setitem__(slice(0, 0), A("i"))),
    ("setitem extended", lambda: a.__setitem__(slice(0, 3, 2), A("i", [1, 2, 3]))),
    ("setitem extended same", lambda: a.__setitem__(slice(0, 3, 2), A("i", [3, 7]))),
    ("setitem", lambda: a.__setitem__(1, 8)),
    ("reverse", lambda: a.reverse()),
    ("byteswap twice", lambda: (a.byteswap(), a.byteswap())),
]
for name, op in ops:
    show(name, op)
print(a, m.tolist())
m2 = m[1:]
m.release()
show("append with slice view", lambda: a.append(4))
del m2
a.append(4)
print(a)
with memoryview(a) as m3:
    show("append in with", lambda: a.append(5))
a.append(5)
m4 = memoryview(a)
m5 = memoryview(m4)
del m4
show("append view of view", lambda: a.append(6))
del m5
a.append(6)
u = A("u", "ab")
mu = memoryview(u)
show("fromunicode", lambda: u.fromunicode("c"))
del mu
u.fromunicode("c")
print(u)

# ---- repeat errors -------------------------------------------------------------------
a = A("b", [1, 2])
show("a * 'bad'", lambda: a * "bad")
show("a * 2.0", lambda: a * 2.0)
show("2.0 * a", lambda: 2.0 * a)
# called directly, CPython's slot wrapper words the TypeError otherwise
for name in ("__mul__", "__imul__", "__rmul__"):
    try:
        getattr(a, name)("bad")
    except TypeError:
        print(name, "TypeError")
    else:
        print(name, "no error")


def imul_bad():
    b = A("b", [1])
    b *= "bad"


show("a *= 'bad'", imul_bad)
show("a * 3", lambda: a * 3)
show("-1 * a", lambda: -1 * a)


class R:
    def __rmul__(self, other):
        return "rmul"


show("a * R()", lambda: a * R())

# ---- NaN comparisons -----------------------------------------------------------------
nan = float("nan")
for code in "fd":
    x, y = A(code, [nan]), A(code, [nan])
    print(code, x == y, x != y, x < y, x <= y, x == x, x != x)
    print(nan in x, x.count(nan), A(code, [1.0, nan]) == A(code, [1.0, nan]))
    show("index nan", lambda: x.index(nan))
print(A("d", [1.0, 2.0]) < A("d", [1.0, nan]), A("d", [1.0]) < A("d", [1.0, nan]))

# ---- MutableSequence -----------------------------------------------------------------
print(isinstance(A("B"), collections.abc.MutableSequence),
      issubclass(A, collections.abc.Sequence), issubclass(Sub, collections.abc.MutableSequence))

# ---- slices beyond a machine word ----------------------------------------------------
big = 1 << 333
for make in (lambda: A("i", range(12)), lambda: list(range(12)), lambda: bytearray(range(12))):
    s = make()
    print(type(s).__name__, list(s[::big]), list(s[::-big]), list(s[big:]), list(s[-big:2]))
    del s[9::big]
    print(list(s))
    del s[-big:big:big]
    print(list(s))
    s[::big] = make()[:1]
    print(list(s))


class Idx:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


hi, lo = Idx(1 << 100), Idx(-(1 << 100))
print(list(range(5))[hi:], list(range(5))[:hi], (1, 2, 3)[::hi], "abc"[lo::2], b"xyz"[::lo])
print(A("b", [1, 2, 3])[lo:hi:hi], bytearray(b"abc")[lo:])
show("str bound", lambda: [1, 2]["a":])
show("float step", lambda: [1, 2][::1.0])
show("zero step", lambda: A("b", [1])[::0])

# ---- memoryview: comparison with exporters, hashing, release, weakrefs ---------------
ai = A("i", [1, 2, 3])
mv = memoryview(ai)
print(mv == A("i", [1, 2, 3]), mv == A("b", [1, 2, 3]), mv == A("i", [1, 2]),
      mv == bytes(ai), mv != A("i", [1, 2, 4]), mv == "abc", memoryview(b"ab") == b"ab")
print(memoryview(b"ab") == bytearray(b"ab"), memoryview(b"\x01\x02") == A("B", [1, 2]))
mb = memoryview(b"abcdef")
h = hash(mb)
print(h == hash(b"abcdef"), hash(mb[1:]) == hash(b"bcdef"))
mb.release()
print(hash(mb) == h)
mr = memoryview(b"xyz")
mr.release()
show("hash first after release", lambda: hash(mr))
show("bytes(released)", lambda: bytes(mr))
show("str(mv, enc)", lambda: str(memoryview(b"hi"), "ascii"))
wm = memoryview(b"w")
wr = weakref.ref(wm)
print(wr() is wm)
del wm
gc.collect()
print(wr())
mw = memoryview(bytearray(b"abc"))
show("tuple of slices", lambda: mw.__setitem__((slice(0, 1), slice(0, 1)), b"a"))
show("tuple of ints", lambda: mw.__setitem__((0,), 97))
show("memoryview kw", lambda: memoryview(b"", argument=True))
show("memoryview two", lambda: memoryview(b"", object=b""))
show("memoryview none", lambda: memoryview())
show("memoryview object=", lambda: memoryview(object=b"ab").tolist())


def gen():
    yield 1
    raise ValueError("from the generator")


show("bytes(gen)", lambda: bytes(gen()))
show("bytes(3.5)", lambda: bytes(3.5))

# ---- index(x, start, stop) bounds: clamped like slice bounds, None refused -----------
for make in (lambda: [0, 1, 2], lambda: (0, 1, 2), lambda: A("b", [0, 1, 2])):
    s = make()
    print(type(s).__name__, s.index(2, -(1 << 70), 1 << 70), s.index(1, Idx(-(1 << 80))))
    show("index None", lambda: s.index(1, None))
    show("index str", lambda: s.index(1, "a"))
    show("index float", lambda: s.index(1, 0, 2.0))
