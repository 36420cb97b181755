import zlib

data = b"hello world " * 200 + bytes(range(256)) * 4
print(zlib.crc32(data), zlib.adler32(data), zlib.crc32(b""), zlib.adler32(b""))
print(zlib.crc32(b"abc", 12345), zlib.adler32(b"abc", 0xFFFFFFFF), zlib.crc32(b"x", -1))
for level in (-1, 0, 1, 6, 9):
    c = zlib.compress(data, level)
    assert zlib.decompress(c) == data
    print(level, "ok")
for wbits in (15, -15, 31, 9, -9):
    c = zlib.compress(data, 6, wbits)
    print(wbits, zlib.decompress(c, wbits) == data, zlib.decompress(c, 47 if wbits > 0 else wbits) == data)

# Known vectors made by CPython's zlib.
known = b'x\x9c\xcbH\xcd\xc9\xc9W(\xcf/\xcaI\x01\x00\x1a\x0b\x04]'
print(zlib.decompress(known))
gz = b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff\xcbH\xcd\xc9\xc9\x07\x00\x86\xa6\x106\x05\x00\x00\x00'
print(zlib.decompress(gz, 31), zlib.decompress(gz, 47))
raw = zlib.compress(b"raw data", 9, -15)
print(zlib.decompress(raw, -15))

# Streaming.
co = zlib.compressobj(6, zlib.DEFLATED, 15, 8, zlib.Z_DEFAULT_STRATEGY)
parts = [co.compress(data[i:i + 100]) for i in range(0, len(data), 100)]
parts.append(co.flush(zlib.Z_SYNC_FLUSH))
parts.append(co.compress(b"tail"))
parts.append(co.flush())
stream = b"".join(parts)
print(zlib.decompress(stream) == data + b"tail")
do = zlib.decompressobj()
out = b""
for i in range(0, len(stream), 37):
    out += do.decompress(stream[i:i + 37])
out += do.flush()
print(out == data + b"tail", do.eof, do.unused_data, do.unconsumed_tail)

# max_length and unconsumed_tail.
do = zlib.decompressobj()
c = zlib.compress(data)
first = do.decompress(c, 100)
print(len(first), len(do.unconsumed_tail) > 0, do.eof)
rest = b""
while do.unconsumed_tail:
    rest += do.decompress(do.unconsumed_tail, 1000)
print(first + rest == data, do.eof)

# unused_data after the end of the stream.
do = zlib.decompressobj()
print(do.decompress(c + b"EXTRA") == data, do.unused_data, do.eof)
print(do.decompress(b"more"), do.unused_data)

# copy.
co = zlib.compressobj()
h = co.compress(b"abc")
cc = co.copy()
print(zlib.decompress(h + co.flush()), zlib.decompress(h + cc.compress(b"def") + cc.flush()))
try:
    co.copy()
except ValueError as e:
    print("ValueError", e)
do = zlib.decompressobj()
half = do.decompress(c[:50])
dd = do.copy()
print(half + do.decompress(c[50:]) == data, half + dd.decompress(c[50:]) == data)

# zdict.
zd = b"hello world "
co = zlib.compressobj(zdict=zd)
s = co.compress(data) + co.flush()
do = zlib.decompressobj(zdict=zd)
print(do.decompress(s) == data)
try:
    zlib.decompress(s)
except zlib.error as e:
    print("zlib.error", e)
co = zlib.compressobj(wbits=-15, zdict=zd)
s = co.compress(b"hello world hello") + co.flush()
print(zlib.decompressobj(wbits=-15, zdict=zd).decompress(s))

# Errors.
for f in [
    lambda: zlib.decompress(b"garbage"),
    lambda: zlib.decompress(c[:20]),
    lambda: zlib.decompress(known, -15),
    lambda: zlib.compress(b"x", 10),
    lambda: zlib.compress("x"),
    lambda: zlib.decompress(b"x", 15, -1),
    lambda: zlib.decompress(b"x", 7),
    lambda: zlib.compressobj(method=9),
    lambda: zlib.compressobj(zdict="s"),
    lambda: zlib.decompressobj(zdict=3),
    lambda: zlib.decompressobj().decompress(b"x", -1),
    lambda: zlib.decompressobj().flush(0),
    lambda: zlib.decompressobj().decompress(b"\x00\x00"),
    lambda: zlib.crc32("s"),
    lambda: zlib.Compress(),
]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
print(zlib.Z_FINISH, zlib.Z_SYNC_FLUSH, zlib.MAX_WBITS, zlib.DEF_BUF_SIZE, zlib.DEF_MEM_LEVEL, zlib.Z_BEST_COMPRESSION)
print(issubclass(zlib.error, Exception), zlib.error.__module__, type(zlib.compressobj()).__name__, type(zlib.decompressobj()).__name__)
print(zlib.decompressobj().flush(), zlib.compressobj().flush(zlib.Z_NO_FLUSH))
print(isinstance(zlib.ZLIB_VERSION, str), zlib.ZLIB_VERSION[0])
print(zlib.decompress(bytearray(known)), zlib.crc32(bytearray(b"abc")), zlib.decompress(known, bufsize=1))
