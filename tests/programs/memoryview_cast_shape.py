# memoryview.cast with a shape: multi-dimensional and 0-dim C-contiguous views, read
# as bytes by the binary modules, with CPython's shape, strides, tolist and errors.
import base64
import binascii

m = memoryview(b"123456").cast("B", (2, 3))
print(m.ndim, m.shape, m.strides, m.nbytes, m.itemsize, m.format, m.c_contiguous)
print(m.tolist(), m.tobytes(), bytes(m), m.hex())
print(m[1, 2], m[-1, -3], m[0, 0])
print(base64.b64encode(m), binascii.hexlify(m), base64.b16encode(m))
print(m == memoryview(b"123456").cast("B", (2, 3)), m == b"123456", m == memoryview(b"123456").cast("B", (3, 2)))
for bad in [lambda: m[1], lambda: list(m), lambda: m[0, 3], lambda: m[0, 0, 0],
            lambda: len(m.cast("B", (6,)).cast("B", ())),
            lambda: memoryview(b"1234").cast("B", (3,)), lambda: memoryview(b"1234").cast("B", [2, 0]),
            lambda: memoryview(b"1234").cast("B", 4), lambda: m.cast("B", (6,)).tolist(), lambda: m.cast("B", (3, 2)),
            lambda: memoryview(b"1234").cast("B", (1,) * 65)]:
    try:
        print(bad())
    except (TypeError, ValueError, IndexError, NotImplementedError) as e:
        print(type(e).__name__, e)
print(len(m), m.cast("B").tolist(), m.cast("B").shape)
ints = memoryview(bytearray(range(16))).cast("I", [2, 2])
print(ints.shape, ints.strides, ints.tolist() == [[50462976, 117835012], [185207048, 252579084]])
ints[1, 0] = 7
print(ints[1, 0], ints.obj[8:12])
z = memoryview(bytearray(b"\x05")).cast("B", ())
print(z.ndim, z.shape, z.strides, z.tolist(), z[()], z[...] == z)
z[()] = 9
print(z.tolist(), z.obj)
print(memoryview(b"ab").cast("B", [2]).shape, memoryview(b"ab").cast("c", (1, 2)).tolist())
