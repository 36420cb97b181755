# Repeat counts in struct formats: huge counts compile without expanding items, and
# sizes past the address space are struct.error, never an abort.
import struct
import sys

print(struct.calcsize("1000000000b"))
print(struct.calcsize("<1000000000000q"))
for fmt in ["{}b".format(sys.maxsize + 1), "{}b{}H".format(sys.maxsize // 2, sys.maxsize // 2),
            "{}q".format(sys.maxsize // 4)]:
    try:
        struct.calcsize(fmt)
    except struct.error as e:
        print("error:", e)
s = struct.Struct("3h2x5b")
print(s.size, s.unpack(s.pack(1, 2, 3, 4, 5, 6, 7, 8)))
try:
    struct.pack("100000000i", 1)
except struct.error as e:
    print("error:", e)
print(struct.unpack("<0q3H", b"\x01\x00\x02\x00\x03\x00"))
