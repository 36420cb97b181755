"""struct: module functions (format cache), Struct objects, unpack_from/pack_into over
a buffer, iter_unpack: the record-parsing patterns of binary file formats."""
import struct


def main():
    rec = struct.Struct("<IHhqd")
    buf = bytearray(rec.size * 1000)
    total = 0
    for rnd in range(200):
        for i in range(1000):
            rec.pack_into(buf, i * rec.size, i, i & 0xFFFF, -i & 0x7FFF, i * 1000003, i * 0.5)
        for i in range(1000):
            a, b, c, d, e = rec.unpack_from(buf, i * rec.size)
            total += a + b + c + (d & 0xFF)
        for fields in rec.iter_unpack(buf):
            total += fields[0]
        for i in range(1000):
            data = struct.pack(">hhl", i & 0x7FFF, -1, i)
            x, y, z = struct.unpack(">hhl", data)
            total += x + y + z
            total += len(struct.pack("<Q", i)) + struct.unpack("<d", struct.pack("<d", i))[0]
    print(total)


main()
