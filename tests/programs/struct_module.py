# struct: byte orders, sizes, native alignment, strings, floats, errors.
import struct
print(struct.pack("<iH", 1, 2), struct.unpack("<d", struct.pack("<d", 1.5)))
for fmt in ["@bhiq", "=bhiq", "<bhiq", ">bhiq", "!bhiq", "@cid", "@?xh", "@3sI", "5p", "@ll", "<ll", "@PnN", "2i3H", "0s", ""]:
    print(repr(fmt), struct.calcsize(fmt))
print(struct.pack(">bhiq", -1, 2, -3, 4), struct.pack("@bhiq", -1, 2, -3, 4))
print(struct.unpack(">bhiq", struct.pack(">bhiq", -1, 2, -3, 4)))
print(struct.pack("<fd", 1.5, -2.25), struct.unpack("<fd", struct.pack("<fd", 0.1, 0.1)))
print(struct.pack(">f", 3.14159), struct.unpack("!f", b"\x40\x49\x0f\xd0"))
print(struct.pack("3s", b"abcdef"), struct.pack("6s", b"ab"), struct.unpack("3s2x", b"xyz\0\0"))
print(struct.pack("5p", b"hello world"), struct.unpack("5p", struct.pack("5p", b"hi")))
print(struct.pack("?c?", True, b"z", 0), struct.unpack("??", b"\x00\x07"))
print(struct.pack("<Q", 2**64 - 1), struct.unpack("<q", b"\xff" * 8), struct.pack(">H", 65535))
s = struct.Struct("<hh")
print(s.size, s.format, s.pack(1, -1), s.unpack(b"\x01\x00\xff\xff"), list(s.iter_unpack(b"\x01\x00\x02\x00\x03\x00\x04\x00")))
buf = bytearray(8)
struct.pack_into(">I", buf, 2, 0xDEADBEEF)
print(buf, struct.unpack_from(">I", buf, 2), struct.unpack_from("<H", buf))
for fmt, args in [("<h", (40000,)), ("b", (200,)), ("B", (-1,)), ("<I", (-1,)), ("h", (1.5,)), ("<i", (1, 2)),
                  ("c", (b"ab",)), ("<f", (1e300,)), ("z", (1,)), ("<n", (1,)), ("3", ())]:
    try:
        struct.pack(fmt, *args)
    except (struct.error, OverflowError) as e:
        print(type(e).__name__, e)
try:
    struct.unpack("<i", b"abc")
except struct.error as e:
    print("error", e)
for f, v in [('<b', 200), ('<B', 256), ('<H', -1), ('<i', 2**31), ('<I', -1), ('<q', 2**63), ('@I', 2**32), ('@l', 2**63), ('@P', -1)]:
    try:
        print(struct.pack(f, v))
    except struct.error as e:
        print(f, v, e)
ba = bytearray(b"hello world")
ba[0:5] = b"HOWDY"
ba[6:] = [87, 79]
ba[::2] = b"abcdef"[:len(ba[::2])]
print(ba, len(ba))
