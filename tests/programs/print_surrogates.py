# print() and text-file writes of strs holding lone surrogates: the stream's
# `errors` decides (strict raises UnicodeEncodeError; surrogateescape restores bytes).
import io
import os
import sys
import tempfile

s = b'caf\xe9 \xff'.decode('utf-8', 'surrogateescape')
try:
    print('before', s)
except UnicodeEncodeError as e:
    print(type(e).__name__, e, e.start, e.end)
sys.stdout.flush()

out = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', errors='surrogateescape')
print('x', s, 'y', file=out)
out.write(s + '\n')
out.flush()
print(out.buffer.getvalue())

for errors in ['strict', 'replace', 'backslashreplace', 'ignore', 'surrogatepass',
               'xmlcharrefreplace']:
    w = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', errors=errors)
    try:
        n = w.write('a\udc80b\ud800')
        w.flush()
        print(errors, n, w.buffer.getvalue())
    except UnicodeEncodeError as e:
        print(errors, type(e).__name__, e)

w = io.TextIOWrapper(io.BytesIO(), encoding='latin-1', errors='surrogateescape')
w.write('\udce9t\udcff')
w.flush()
print(w.buffer.getvalue())
w = io.TextIOWrapper(io.BytesIO(), encoding='ascii', errors='strict')
try:
    w.write('ok\udc80')
except UnicodeEncodeError as e:
    print(e)

path = os.path.join(tempfile.mkdtemp(), 'f.txt')
with open(path, 'w', encoding='utf-8', errors='surrogateescape') as f:
    f.write(s)
with open(path, 'rb') as f:
    print(f.read())
try:
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\udc80')
except UnicodeEncodeError as e:
    print(e)
os.remove(path)

# sep and end that hold surrogates
out = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', errors='surrogateescape')
print('a', 'b', sep='\udcfe', end='\udcff', file=out)
out.flush()
print(out.buffer.getvalue())
sys.stdout.reconfigure(errors='surrogateescape')
sys.stdout.flush()
print('raw', s)
sys.stdout.flush()
sys.stdout.reconfigure(errors='strict')
print('\udc80')
