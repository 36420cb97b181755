# TextIOWrapper tell/seek and newline handling across chunk boundaries (small chunks).
import io, os, random

path = os.path.join(os.path.dirname(__file__), "_io_text_seek_scratch.txt")
rng = random.Random(7)
pieces = ["a", "é", "€", "😀", "\n", "\r\n", "\r", "xyz", " "]
text = "".join(rng.choice(pieces) for _ in range(3000))
with open(path, "w", newline="") as f:
    f.write(text)
print(os.path.getsize(path))

for newline in [None, "", "\n", "\r", "\r\n"]:
    for chunk in [1, 2, 3, 7, 64]:
        with open(path, newline=newline, encoding="utf-8") as f:
            f._CHUNK_SIZE = chunk
            marks = []
            while True:
                pos = f.tell()
                line = f.readline()
                if not line:
                    break
                marks.append((pos, line))
            ok = True
            for pos, line in marks[::7]:
                f.seek(pos)
                if f.readline() != line:
                    ok = False
            f.seek(0)
            whole = f.read()
        print(repr(newline), chunk, len(marks), ok, len(whole), hash(whole) == hash("".join(l for _, l in marks)))

with open(path, encoding="utf-8", newline="") as f:
    f._CHUNK_SIZE = 5
    out = []
    while True:
        s = f.read(3)
        if not s:
            break
        out.append(s)
    print(len(out), "".join(out) == text)

with open(path, "rb") as f:
    raw = f.read()
print(raw.count(b"\r\n"), raw.count(b"\r"), raw.count(b"\n"))
with open(path, encoding="utf-8") as f:
    print(f.read().count("\n"), f.newlines)
with io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", newline="") as t:
    print(len(t.readlines()), t.tell())
t = io.TextIOWrapper(io.BytesIO("é\n€\n".encode()), encoding="utf-8")
print(t.read(1), t.tell(), t.read(2), t.tell(), t.readline(), t.tell(), repr(t.read()))
t = io.TextIOWrapper(io.BytesIO(b"abc\xff\ndef"), encoding="utf-8")
try:
    t.read()
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e, e.start, e.end, e.reason)
t = io.TextIOWrapper(io.BytesIO(b"abc\xe2\x82"), encoding="utf-8")
try:
    t.read()
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
t = io.TextIOWrapper(io.BytesIO(b"caf\xe9"), encoding="latin-1")
print(t.read(), t.encoding, t.errors)
t = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="replace")
t.write("naïve €")
t.flush()
print(t.buffer.getvalue())
t.reconfigure(errors="strict", line_buffering=True)
print(t.errors, t.line_buffering)
try:
    t.write("é")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError:", e)
os.remove(path)
