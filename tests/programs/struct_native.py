import struct

print(struct.pack("<hHiIqQ", -2, 65535, -7, 4000000000, -2**63, 2**64 - 1))
print(struct.unpack("<hHiIqQ", struct.pack("<hHiIqQ", -2, 65535, -7, 4000000000, -2**63, 2**64 - 1)))
print(struct.pack(">hHiIlLqQ", -2, 65535, -7, 4000000000, -5, 5, -2**63, 2**64 - 1))
print(struct.pack("@bBhHiIlLqQnNP", -1, 2, -3, 4, -5, 6, -7, 8, -9, 10, -11, 12, 13))
print(struct.unpack("@bBhHiIlLqQnNP", struct.pack("@bBhHiIlLqQnNP", -1, 2, -3, 4, -5, 6, -7, 8, -9, 10, -11, 12, 13)))
print(struct.pack("!?c3s5p2x", [], b"z", b"ab", b"hello world"), struct.unpack("!?c3s5p2x", b"\x01zab\x00\x04hell\x00\x00"))
print(struct.pack("<efd", 1.5, 0.1, -2.25), struct.unpack("<efd", struct.pack("<efd", 1.5, 0.1, -2.25)))
print(struct.pack(">efd", 65504, float("inf"), float("nan")), struct.unpack(">e", b"\x7c\x00"), struct.unpack("<e", b"\x01\x00"))
for x in [1/3, 2.0**-24, 2.0**-26, 3 * 2.0**-26, 0.0, -0.0, 65519.99, 1e-5]:
    print(x, struct.pack("<e", x), struct.unpack("<e", struct.pack("<e", x)))
print(struct.calcsize("@c0l"), struct.calcsize("ci"), struct.calcsize("<ci"), struct.calcsize("3s2xq"), struct.calcsize("0s"), struct.calcsize(" i  h "))
print(struct.calcsize("@?e"), struct.calcsize("@bd"), struct.calcsize("=bd"), struct.calcsize("P"), struct.calcsize("n"))
s = struct.Struct("<i2h")
print(s.format, s.size, s.pack(1, 2, 3), s.unpack(b"\x01\x00\x00\x00\x02\x00\x03\x00"), struct.Struct(b">d").format)
buf = bytearray(12)
s.pack_into(buf, 2, 7, 8, 9)
struct.pack_into(">h", buf, -2, 258)
print(buf, s.unpack_from(buf, 2), struct.unpack_from("<h", buf, offset=-2), s.unpack_from(buffer=buf, offset=4)[0])
print(list(struct.iter_unpack("<hb", b"\x01\x00\x02\x03\x00\x04")), struct.iter_unpack("<h", b"abcd").__length_hint__())
it = s.iter_unpack(b"\x00" * 16)
print(next(it), list(it))
print(struct.unpack("<Q", b"\xff" * 8), struct.unpack(">q", b"\x80" + b"\x00" * 7), struct.pack("<i", True), struct.pack("<d", 3))
class Idx:
    def __index__(self):
        return 42
class Flt:
    def __float__(self):
        return 2.5
print(struct.pack("<i", Idx()), struct.pack("<d", Flt()), struct.pack("<f", Idx()))
class MyStruct(struct.Struct):
    def __init__(self, n):
        super().__init__("<" + "h" * n)
        self.n = n
m = MyStruct(3)
print(m.n, m.size, m.format, m.pack(1, 2, 3), isinstance(m, struct.Struct))
tests = [
    lambda: struct.pack("b", 200), lambda: struct.pack("<b", -200), lambda: struct.pack("B", -1),
    lambda: struct.pack("h", 70000), lambda: struct.pack("<h", 70000), lambda: struct.pack(">h", 70000),
    lambda: struct.pack("H", -1), lambda: struct.pack(">H", -1), lambda: struct.pack(">H", 70000), lambda: struct.pack("<H", 70000),
    lambda: struct.pack("i", 2**31), lambda: struct.pack(">i", -2**31 - 1), lambda: struct.pack("I", -1), lambda: struct.pack("<I", 2**32),
    lambda: struct.pack("l", 2**63), lambda: struct.pack("<l", 2**31), lambda: struct.pack(">L", 2**32), lambda: struct.pack("<L", -1),
    lambda: struct.pack("q", 2**63), lambda: struct.pack(">q", 2**63), lambda: struct.pack(">Q", -1), lambda: struct.pack(">Q", 2**64), lambda: struct.pack("<Q", 2**64),
    lambda: struct.pack("n", 2**63), lambda: struct.pack("N", -1), lambda: struct.pack("P", -1), lambda: struct.pack("i", 2**100),
    lambda: struct.pack("i", 1.0), lambda: struct.pack("i", "1"), lambda: struct.pack("<h", None), lambda: struct.pack("f", "x"),
    lambda: struct.pack("f", 1e300), lambda: struct.pack("<f", 1e300), lambda: struct.pack(">f", -1e300), lambda: struct.pack("e", 1e6), lambda: struct.pack("<e", 65520.0),
    lambda: struct.pack("<d", 2**1100), lambda: struct.pack("c", b"ab"), lambda: struct.pack("c", "a"), lambda: struct.pack("s", "a"), lambda: struct.pack("p", 1),
    lambda: struct.pack("ii", 1), lambda: struct.pack("i", 1, 2), lambda: struct.pack("<n", 1), lambda: struct.pack("z"), lambda: struct.pack("3"),
    lambda: struct.unpack("<h", b"abc"), lambda: struct.unpack_from("<h", b"abc", 2), lambda: struct.unpack_from("<h", b"abc", -5), lambda: struct.unpack_from("<h", b"abc", -1),
    lambda: struct.pack_into("<h", bytearray(3), 2, 1), lambda: struct.pack_into("<h", bytearray(3), -5, 1), lambda: struct.pack_into("<h", bytearray(3), -1, 1),
    lambda: struct.pack_into("<h", b"abc", 0, 1), lambda: struct.pack_into("<h"), lambda: struct.pack_into("<h", bytearray(3)),
    lambda: struct.iter_unpack("<h", b"abc"), lambda: struct.iter_unpack("", b"abc"), lambda: struct.Struct(3),
    lambda: struct.calcsize("99999999999999999999i"), lambda: struct.pack(), lambda: struct.unpack("<h", "ab"), lambda: struct.calcsize("1 i"),
    lambda: struct.pack("5p", b"abcdefg"), lambda: struct.pack("1p", b"ab"), lambda: struct.pack("0p", b"ab"), lambda: struct.unpack("3p", b"\x05ab"),
    lambda: struct.pack("<4x2s", b"abc"), lambda: struct.pack("<x"), lambda: struct.pack("<?", 0), lambda: struct.unpack("<?", b"\x02"),
    lambda: struct.pack("<s", bytearray(b"q")), lambda: struct.pack("c", bytearray(b"q")), lambda: struct.unpack(b"<h", bytearray(b"ab")),
]
for f in tests:
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)
print(struct.error.__module__, struct.Struct.__module__, type(struct.iter_unpack("<h", b"")).__name__)
