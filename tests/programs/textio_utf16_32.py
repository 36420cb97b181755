# TextIOWrapper in UTF-16/UTF-32 (and -LE/-BE): BOMs read and written as CPython's
# incremental codecs do, incremental decoding across chunks, tell/seek cookies.
import tempfile, os
import io, codecs
for enc in ['utf-16', 'utf-16-le', 'utf-16-be', 'utf-32', 'utf-32-le', 'utf-32-be']:
    b = io.BytesIO()
    w = io.TextIOWrapper(b, encoding=enc)
    w.write("hé\nwörld\n€𝄞\n")
    w.flush()
    data = b.getvalue()
    print(enc, data[:6], len(data))
    w.write("more\n"); w.flush()
    print(len(b.getvalue()))
    r = io.TextIOWrapper(io.BytesIO(b.getvalue()), encoding=enc)
    print(r.readline(), end='')
    pos = r.tell()
    print(repr(r.read(3)))
    r.seek(pos)
    print(repr(r.readlines()))
    r.seek(0)
    print(repr(r.read()))
d = codecs.getincrementaldecoder('utf-16')()
print([d.decode(bytes([c])) for c in 'a€'.encode('utf-16')])
e = codecs.getincrementalencoder('utf-16')()
print(e.encode('a'), e.encode('b'), e.getstate())
e.reset(); print(e.encode('c'))
d = codecs.getincrementaldecoder('utf-32')()
print([d.decode(bytes([c])) for c in 'a€'.encode('utf-32')])
print(codecs.decode(b'\xff\xfea\x00', 'utf-16'), codecs.utf_16_decode(b'\xff\xfea\x00b'))
fn = tempfile.mktemp()
with open(fn, 'w', encoding='utf-16') as f:
    f.write('abc\n')
with open(fn, 'a', encoding='utf-16') as f:
    f.write('def\n')
with open(fn, 'rb') as f: print(f.read())
with open(fn, encoding='utf-16') as f: print(repr(f.read()))
with open(fn, 'r+', encoding='utf-16') as f:
    f.read(); f.write('x'); 
with open(fn, 'rb') as f: print(f.read())
os.unlink(fn)

data='ab\ncd\n'.encode('utf-16')
for enc, d in [('utf-16', data), ('utf-16', b'\xfe\xff' + 'ab\ncd\n'.encode('utf-16-be')), ('utf-32', 'ab\ncd\n'.encode('utf-32')), ('utf-16-le', 'a\r\nb\rc\n'.encode('utf-16-le')), ('utf-32-be', 'a\r\nb\rc\n'.encode('utf-32-be'))]:
    r=io.TextIOWrapper(io.BytesIO(d), encoding=enc)
    print(r.tell(), end=' '); r.readline(); p=r.tell(); print(p, end=' '); r.read(1); print(r.tell(), end=' ')
    r.seek(p); print(repr(r.read()), end=' '); r.seek(0); print(repr(r.read()))
r=io.TextIOWrapper(io.BytesIO(b'a\x00\n\x00'), encoding='utf-16')
try: print(repr(r.read()))
except Exception as e: print(type(e).__name__, e)
w=io.TextIOWrapper(io.BytesIO(b'xx'), encoding='utf-16'); w.seek(2); w.write('a'); w.flush(); print(w.buffer.getvalue())
w=io.TextIOWrapper(io.BytesIO(), encoding='utf-16'); w.write('a'); w.seek(0); w.write('b'); w.flush(); print(w.buffer.getvalue())
b = io.BytesIO(b'\x00'); b.seek(1)
w=io.TextIOWrapper(b, encoding='utf-32'); w.write('z'); w.flush(); print(b.getvalue())
r = io.TextIOWrapper(io.BytesIO('x€\U0001d11e'.encode('utf-16-be')), encoding='utf-16-be', newline='')
r._CHUNK_SIZE = 3
print([r.read(1) for _ in range(4)])
try:
    io.TextIOWrapper(io.BytesIO(b'\x00\xd8a\x00'), encoding='utf-16-le').read()
except UnicodeDecodeError as e: print(e)
print(io.TextIOWrapper(io.BytesIO(b'\x00\xd8a\x00'), encoding='utf-16-le', errors='replace').read())
