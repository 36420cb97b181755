# memoryview over bytes, bytearray and array.array (one-dimensional views)
import array
m = memoryview(b"abcdef")
print(len(m), m[0], m[-1], m[1:3].tobytes(), bytes(m[::2]), m.readonly, m.format, m.itemsize, m.nbytes)
print(m.tolist()[:3], m.hex(), m.hex(":"), m == b"abcdef", m[1:] == b"bcdef", hash(m) == hash(memoryview(b"abcdef")))
print(m.obj, m.ndim, m.shape, m.strides, m.contiguous, list(m[4:]))
ba = bytearray(b"hello")
v = memoryview(ba)
v[0] = ord("j")
v[1:3] = b"EL"
print(ba, v.readonly, bytes(v[::-1]))
try:
    v[0] = 300
except ValueError as e:
    print("ValueError", e)
try:
    m[0] = 1
except TypeError as e:
    print("TypeError", e)
try:
    hash(v)
except ValueError as e:
    print("ValueError", e)
a = array.array("i", [1, 2, 3])
av = memoryview(a)
print(av.format, av.itemsize, len(av), av[1], av.tolist(), av.nbytes)
av[2] = 30
print(a, av.cast("B").nbytes, memoryview(b"\x01\x00\x00\x00\x02\x00\x00\x00").cast("i").tolist())
with memoryview(b"xy") as w:
    print(w.tobytes())
print(repr(w).startswith("<released memory at"))
try:
    w.tobytes()
except ValueError as e:
    print("ValueError", e)
try:
    memoryview("str")
except TypeError as e:
    print("TypeError", e)
print(b"-".join([memoryview(b"a"), b"b"]), bytearray(memoryview(b"zz")), memoryview(m)[2])
r = memoryview(b"abc").toreadonly()
print(r.readonly, memoryview(bytearray(b"q")).toreadonly().readonly)
print(isinstance(m, memoryview), type(m).__name__)
