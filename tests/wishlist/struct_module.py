# Gap: struct.
import struct
print(struct.pack("<iH", 1, 2), struct.unpack("<d", struct.pack("<d", 1.5)))
