import bz2
import io
import os
import pickle
import tempfile
import threading

data = b"hello bzip2 world " * 500 + bytes(range(256)) * 20
text = "".join(chr(0x41 + (i * 7) % 50) for i in range(20000)).encode()

# One-shot, every level; output is byte-identical to libbzip2's.
for level in range(1, 10):
    c = bz2.compress(data, level)
    assert bz2.decompress(c) == data
    print(level, len(c), c[:4])
print(bz2.compress(b""), bz2.decompress(b""))
print(bz2.compress(b"abc").hex())

# Streaming compression in pieces equals one shot.
comp = bz2.BZ2Compressor(5)
pieces = [comp.compress(data[i:i + 1000]) for i in range(0, len(data), 1000)]
pieces.append(comp.flush())
print(b"".join(pieces) == bz2.compress(data, 5))
try:
    comp.flush()
except ValueError as e:
    print("ValueError", e)
try:
    comp.compress(b"x")
except ValueError as e:
    print("ValueError", e)

# Multi-stream data: bz2.decompress concatenates, a decompressor stops at the end.
two = bz2.compress(b"first ") + bz2.compress(b"second")
print(bz2.decompress(two))
d = bz2.BZ2Decompressor()
print(d.decompress(two + b"trailing"), d.eof, d.unused_data[:12], d.needs_input)
try:
    d.decompress(b"more")
except EOFError as e:
    print("EOFError", e)

# Incremental decompression with max_length.
blob = bz2.compress(text)
d = bz2.BZ2Decompressor()
out = []
chunk = d.decompress(blob[:100], 10)
out.append(chunk)
print(len(chunk), d.needs_input, d.eof)
pos = 100
while not d.eof:
    if d.needs_input:
        chunk = d.decompress(blob[pos:pos + 100], 3000)
        pos += 100
    else:
        chunk = d.decompress(b"", 3000)
    assert len(chunk) <= 3000
    out.append(chunk)
print(b"".join(out) == text, d.unused_data, d.needs_input, len(out) > 5)

d = bz2.BZ2Decompressor()
print(d.decompress(blob, 0), d.needs_input)
print(len(d.decompress(b"", -1)), d.eof)
d = bz2.BZ2Decompressor()
print(len(d.decompress(data=blob, max_length=5)))

# Byte-at-a-time feeding.
d = bz2.BZ2Decompressor()
res = b"".join(d.decompress(blob[i:i + 1]) for i in range(len(blob)))
print(res == text, d.eof)

# Errors.
for bad in (0, 10, -1):
    try:
        bz2.BZ2Compressor(bad)
    except ValueError as e:
        print("ValueError", e)
for args, kw in (((1, 2), {}), ((), {"compresslevel": 3}), ((1.5,), {})):
    try:
        bz2.BZ2Compressor(*args, **kw)
    except TypeError as e:
        print("TypeError", e)
try:
    bz2.BZ2Decompressor(1)
except TypeError as e:
    print("TypeError", e)
try:
    bz2.decompress(b"not bzip2 data at all")
except OSError as e:
    print(type(e).__name__, e)
try:
    bz2.decompress(blob[:-10])
except ValueError as e:
    print("ValueError", e)
try:
    bz2.BZ2Decompressor().decompress("text")
except TypeError as e:
    print("TypeError", e)
for obj in (bz2.BZ2Compressor(), bz2.BZ2Decompressor()):
    for proto in (0, 2, 4):
        try:
            pickle.dumps(obj, proto)
        except TypeError as e:
            print("TypeError", e)

# Neither class can be subclassed (as in CPython 3.11).
for cls in (bz2.BZ2Compressor, bz2.BZ2Decompressor):
    try:
        type("Sub", (cls,), {})
    except TypeError as e:
        print("TypeError", e)

# BZ2File: write, append (a second stream), read back, seek, lines.
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "f.bz2")
    with bz2.BZ2File(path, "w") as f:
        f.write(data)
    with bz2.open(path, "ab", compresslevel=1) as f:
        f.write(b"appended")
    with bz2.BZ2File(path) as f:
        back = f.read()
    print(back == data + b"appended")
    with bz2.open(path) as f:
        f.seek(len(data) - 3)
        print(f.read(6), f.tell())
    tpath = os.path.join(tmp, "t.bz2")
    with bz2.open(tpath, "wt", encoding="utf-8") as f:
        f.write("line one\nline two\nłódź\n")
    with bz2.open(tpath, "rt", encoding="utf-8") as f:
        print(f.readlines())
    with open(tpath, "rb") as raw:
        print(bz2.decompress(raw.read()).decode())

buf = io.BytesIO()
with bz2.BZ2File(buf, "wb") as f:
    f.write(b"in memory")
buf.seek(0)
print(bz2.BZ2File(buf).read())

# One compressor shared by threads: calls are serialized, the stream stays valid
# (400 kB stays under one 900 kB block, so every compress() returns b'' and the
# order of the pieces does not matter).
shared = bz2.BZ2Compressor()
parts = []
lock = threading.Lock()

def work(n):
    for _ in range(20):
        piece = shared.compress(bytes([n]) * 5000)
        with lock:
            parts.append(piece)

threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
parts.append(shared.flush())
whole = bz2.decompress(b"".join(parts))
print(len(whole), sorted(set(whole)))
