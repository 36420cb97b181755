import io
import lzma
import os
import pickle
import tempfile
import zipfile
import _lzma

data = b"hello lzma world " * 500 + bytes(range(256)) * 20
text = "".join(chr(0x41 + (i * 7) % 50) for i in range(20000)).encode()

print(sorted(n for n in dir(_lzma) if n.isupper()))
print(_lzma.FILTER_LZMA1, _lzma.PRESET_EXTREME, _lzma.CHECK_UNKNOWN, _lzma.LZMAError.__mro__[1])

# One-shot, every container format and a few presets.
for preset in (0, 1, 6, 9, 6 | lzma.PRESET_EXTREME):
    c = lzma.compress(data, preset=preset)
    assert lzma.decompress(c) == data
    print(preset, c[:6], len(c) < len(data))
for check in (lzma.CHECK_NONE, lzma.CHECK_CRC32, lzma.CHECK_CRC64, lzma.CHECK_SHA256):
    c = lzma.compress(data, check=check)
    d = lzma.LZMADecompressor()
    print(check, d.check, d.decompress(c) == data, d.check, d.eof, lzma.is_check_supported(check))
alone = lzma.compress(data, format=lzma.FORMAT_ALONE)
print(alone[:5], lzma.decompress(alone) == data, lzma.decompress(alone, lzma.FORMAT_ALONE) == data)

# Raw streams with custom filter chains.
chains = [
    [{"id": lzma.FILTER_LZMA2, "preset": 9, "dict_size": 1 << 20}],
    [{"id": lzma.FILTER_DELTA, "dist": 4}, {"id": lzma.FILTER_LZMA2}],
    [{"id": lzma.FILTER_X86, "start_offset": 0}, {"id": lzma.FILTER_LZMA2, "lc": 2, "mf": lzma.MF_BT2, "mode": lzma.MODE_FAST}],
    [{"id": lzma.FILTER_LZMA1, "pb": 0}],
]
for chain in chains:
    c = lzma.compress(data, format=lzma.FORMAT_RAW, filters=chain)
    print(len(c) < len(data), lzma.decompress(c, format=lzma.FORMAT_RAW, filters=chain) == data)
c = lzma.compress(data, filters=chains[1])
print(lzma.decompress(c) == data)

# Filter properties.
for spec in ({"id": lzma.FILTER_LZMA1}, {"id": lzma.FILTER_LZMA2, "preset": 1}, {"id": lzma.FILTER_DELTA, "dist": 9}):
    props = _lzma._encode_filter_properties(spec)
    print(props, _lzma._decode_filter_properties(spec["id"], props))
print(_lzma._decode_filter_properties(lzma.FILTER_X86, b"\x10\x00\x00\x00"))

# Streaming in pieces, multi-stream data, unused_data, max_length.
comp = lzma.LZMACompressor()
pieces = [comp.compress(data[i:i + 1000]) for i in range(0, len(data), 1000)]
pieces.append(comp.flush())
print(lzma.decompress(b"".join(pieces)) == data)
for bad in (comp.flush, lambda: comp.compress(b"x")):
    try:
        bad()
    except ValueError as e:
        print("ValueError", e)
two = lzma.compress(b"first ") + lzma.compress(b"second")
print(lzma.decompress(two))
d = lzma.LZMADecompressor()
print(d.decompress(two + b"trailing"), d.eof, len(d.unused_data), d.needs_input)
try:
    d.decompress(b"x")
except EOFError as e:
    print("EOFError", e)
blob = lzma.compress(text)
d = lzma.LZMADecompressor()
out = [d.decompress(blob[:100], 10)]
print(len(out[0]), d.needs_input, d.eof)
pos = 100
while not d.eof:
    if d.needs_input:
        out.append(d.decompress(blob[pos:pos + 100], 3000))
        pos += 100
    else:
        out.append(d.decompress(b"", 3000))
    assert len(out[-1]) <= 3000
print(b"".join(out) == text, d.unused_data, len(out) > 5)
d = lzma.LZMADecompressor()
print(d.decompress(blob, 0), d.needs_input, len(d.decompress(b"")), d.eof)
d = lzma.LZMADecompressor()
print(b"".join(d.decompress(blob[i:i + 7]) for i in range(0, len(blob), 7)) == text)

# Errors.
cases = [
    lambda: lzma.LZMACompressor(format=lzma.FORMAT_ALONE, check=lzma.CHECK_CRC32),
    lambda: lzma.LZMACompressor(preset=3, filters=chains[0]),
    lambda: lzma.LZMACompressor(format=lzma.FORMAT_RAW),
    lambda: lzma.LZMACompressor(format=9),
    lambda: lzma.LZMACompressor(preset=10),
    lambda: lzma.LZMACompressor(format=lzma.FORMAT_ALONE, filters=chains[0]),
    lambda: lzma.LZMACompressor(filters=[{"id": 99}]),
    lambda: lzma.LZMACompressor(filters=[{"dist": 1}]),
    lambda: lzma.LZMACompressor(filters=[{"id": lzma.FILTER_LZMA2, "foo": 1}]),
    lambda: lzma.LZMACompressor(filters=[{"id": lzma.FILTER_DELTA, "dist": "x"}]),
    lambda: lzma.LZMACompressor(filters=[1]),
    lambda: lzma.LZMACompressor(filters=[{"id": lzma.FILTER_LZMA2}] * 5),
    lambda: lzma.LZMACompressor(preset=-1),
    lambda: lzma.LZMADecompressor(format=lzma.FORMAT_RAW),
    lambda: lzma.LZMADecompressor(format=lzma.FORMAT_RAW, memlimit=1 << 20),
    lambda: lzma.LZMADecompressor(filters=chains[0]),
    lambda: lzma.LZMADecompressor(format=lzma.FORMAT_RAW, filters={}),
    lambda: lzma.decompress(b"not xz data at all"),
    lambda: lzma.decompress(blob[:-10]),
    lambda: lzma.decompress(blob, memlimit=1024),
    lambda: lzma.decompress(b"\xfd7zXZ\x00" + b"\x00" * 30, format=lzma.FORMAT_XZ),
    lambda: lzma.LZMADecompressor().decompress("text"),
    lambda: _lzma._encode_filter_properties({"id": lzma.FILTER_LZMA2, "preset": 99}),
    lambda: _lzma._decode_filter_properties(lzma.FILTER_LZMA1, b""),
    lambda: pickle.dumps(lzma.LZMACompressor()),
    lambda: pickle.dumps(lzma.LZMADecompressor(), 0),
    lambda: type("Sub", (lzma.LZMADecompressor,), {}),
]
for case in cases:
    try:
        case()
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)
print(lzma.is_check_supported(lzma.CHECK_ID_MAX), lzma.is_check_supported(-1))

# LZMAFile, lzma.open and zipfile over _lzma (and _bz2). tarfile: tests/wishlist.
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "f.xz")
    with lzma.open(path, "w", preset=1) as f:
        f.write(data)
    with lzma.LZMAFile(path, "a", format=lzma.FORMAT_XZ) as f:
        f.write(b"appended")
    with lzma.open(path) as f:
        print(f.read() == data + b"appended")
    with lzma.open(path) as f:
        f.seek(len(data) - 3)
        print(f.read(6), f.tell())
    tpath = os.path.join(tmp, "t.lzma")
    with lzma.open(tpath, "wt", format=lzma.FORMAT_ALONE, encoding="utf-8") as f:
        f.write("line one\nłódź\n")
    with lzma.open(tpath, "rt", encoding="utf-8") as f:
        print(f.readlines())
    src = os.path.join(tmp, "member.txt")
    with open(src, "wb") as f:
        f.write(data)
    zpath = os.path.join(tmp, "a.zip")
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("l.bin", data, compress_type=zipfile.ZIP_LZMA)
        z.writestr("b.bin", data, compress_type=zipfile.ZIP_BZIP2)
    with zipfile.ZipFile(zpath) as z:
        print([(i.filename, i.compress_type) for i in z.infolist()])
        print(z.read("l.bin") == data, z.read("b.bin") == data, z.testzip())

buf = io.BytesIO()
with lzma.LZMAFile(buf, "wb") as f:
    f.write(b"in memory")
buf.seek(0)
print(lzma.LZMAFile(buf).read())
