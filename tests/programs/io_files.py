import io, os

def attempt(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "!!", type(e).__name__, str(e).replace(path, "<path>"))

path = os.path.join(os.path.dirname(__file__), "_io_files_scratch.txt")

# text write / read
with open(path, "w") as f:
    print(type(f).__name__, f.mode, f.name == path, f.encoding, f.errors, f.line_buffering)
    print(f.write("alpha\nbeta\n"), f.writable(), f.readable(), f.seekable())
    f.writelines(["gamma\n", "délta\n"])
    print(f.tell())
print(f.closed)
with open(path) as f:
    print(repr(f.read()))
with open(path) as f:
    print(repr(f.readline()), repr(f.readline(2)), repr(f.readline()), f.tell())
    print(repr(f.read(3)), f.tell())
    print(f.readlines())
    print(repr(f.read()), repr(f.readline()))
with open(path) as f:
    for i, line in enumerate(f):
        print(i, repr(line))
    attempt("tell after iter", f.tell)
with open(path) as f:
    next(f)
    attempt("tell during iter", f.tell)

# seek / tell round trips
with open(path) as f:
    marks = []
    while True:
        pos = f.tell()
        line = f.readline()
        if not line:
            break
        marks.append((pos, line))
    print(marks)
    for pos, line in reversed(marks):
        f.seek(pos)
        assert f.readline() == line
    print(f.seek(0, 2), repr(f.read()))
    attempt("cur seek", lambda: f.seek(3, 1))
    attempt("end seek", lambda: f.seek(-1, 2))
    attempt("bad whence", lambda: f.seek(0, 7))
    attempt("neg seek", lambda: f.seek(-4))
    print(f.seek(0, 1))

# append and r+
with open(path, "a") as f:
    print(f.tell())
    f.write("epsilon\n")
with open(path, "r+") as f:
    print(repr(f.read(5)))
    f.seek(0)
    f.write("ALPHA")
    f.seek(0)
    print(repr(f.readline()))
    print(f.truncate(12), repr(open(path).read()))

# newline translation on write and read
with open(path, "w", newline="\r\n") as f:
    f.write("a\nb\n")
with open(path, "rb") as f:
    print(f.read())
with open(path, newline="") as f:
    print(f.readlines())
with open(path) as f:
    print(f.readlines(), f.newlines)
with open(path, "w", newline="") as f:
    f.write("x\ry\r\nz\n")
with open(path, newline="\r") as f:
    print(f.readlines())
with open(path, newline="\n") as f:
    print(f.readlines())
with open(path) as f:
    print(f.read(), f.newlines)

# encodings and errors
with open(path, "w", encoding="latin-1") as f:
    f.write("café ñ\n")
with open(path, "rb") as f:
    print(f.read())
with open(path, encoding="latin-1") as f:
    print(repr(f.read()), f.encoding)
attempt("utf8 decode", lambda: open(path).read())
with open(path, errors="replace") as f:
    print(repr(f.read()))
with open(path, errors="ignore") as f:
    print(repr(f.read()))
with open(path, errors="backslashreplace") as f:
    print(repr(f.read()))
attempt("ascii encode", lambda: open(path, "w", encoding="ascii").write("naïve"))
with open(path, "w", encoding="ascii", errors="xmlcharrefreplace") as f:
    f.write("naïve €\n")
with open(path, "w", encoding="ascii", errors="backslashreplace") as f:
    f.write("naïve €\n")
print(open(path, "rb").read())
attempt("bad encoding", lambda: open(path, encoding="nope"))
attempt("bad handler", lambda: open(path, "w", encoding="ascii", errors="bogus").write("é"))
with open(path, "w", encoding="utf-8") as f:
    f.write("€uro " * 3000)
with open(path, encoding="utf-8") as f:
    s = f.read()
    print(len(s), s[:10])

# binary files
with open(path, "wb") as f:
    print(type(f).__name__, f.mode, repr(f) == f"<_io.BufferedWriter name='{path}'>")
    print(f.write(b"\x00\x01binary\n"), f.write(bytearray(b"more\n")))
    attempt("write str", lambda: f.write("text"))
with open(path, "rb") as f:
    print(type(f).__name__, f.read(3), f.peek()[:4], f.read1(2), f.tell(), f.readline(), f.readlines())
    f.seek(-5, 2)
    print(f.read(), f.seek(0), f.read(2))
    ba = bytearray(4)
    print(f.readinto(ba), ba)
    print(type(f.raw).__name__, f.raw.mode, f.raw.closefd, f.fileno() > 2, f.isatty())
with open(path, "r+b") as f:
    print(type(f).__name__)
    f.write(b"XY")
    print(f.read(3), f.tell())
    f.seek(0)
    print(f.read())
with open(path, "rb", buffering=0) as f:
    print(type(f).__name__, f.read(4), f.readall(), repr(f).startswith("<_io.FileIO name="))
print(repr(f))

# mode errors
attempt("missing", lambda: open("/nonexistent/file"))
attempt("dir", lambda: open("/tmp"))
attempt("dir w", lambda: open("/tmp", "w"))
attempt("rw", lambda: open(path, "rw"))
attempt("rr", lambda: open(path, "rr"))
attempt("b only", lambda: open(path, "b"))
attempt("z", lambda: open(path, "z"))
attempt("rbt", lambda: open(path, "rbt"))
attempt("rU", lambda: open(path, "rU"))
attempt("enc bin", lambda: open(path, "rb", encoding="utf-8"))
attempt("errors bin", lambda: open(path, "rb", errors="strict"))
attempt("newline bin", lambda: open(path, "rb", newline="\n"))
attempt("unbuffered text", lambda: open(path, "r", buffering=0))
attempt("float", lambda: open(1.5))
attempt("list", lambda: open([]))
attempt("enc int", lambda: open(path, encoding=5))
attempt("closefd", lambda: open(path, "r", closefd=False))
attempt("bad newline", lambda: open(path, newline="x"))
attempt("kw", lambda: open(path, bogus=1))
attempt("x exists", lambda: open(path, "x"))
attempt("read on w", lambda: open(path, "w").read())
attempt("write on r", lambda: open(path).write("x"))
attempt("bwrite on r", lambda: open(path, "rb").write(b"x"))
attempt("fileio w", lambda: io.FileIO(path).write(b"x"))
attempt("fileio rw", lambda: io.FileIO(path, "rw"))
f = open(path)
f.close()
for m in ["read", "readline", "write", "seek", "tell", "flush", "fileno", "readable", "__next__", "__enter__"]:
    args = ["x"] if m == "write" else [0] if m == "seek" else []
    attempt("closed " + m, lambda: getattr(f, m)(*args))
print(repr(f.buffer.raw))
f = open(path, "rb")
f.close()
for m in ["read", "peek", "readline", "read1", "seek", "tell", "flush"]:
    attempt("bclosed " + m, lambda: getattr(f, m)(*([0] if m == "seek" else [])))
f.close()

# opener, fd, x mode
if os.path.exists(path): os.remove(path)
with open(path, "x") as f:
    f.write("new")
keep = []
def opener(name, flags):
    print("opener", name == path, flags & 1 == 1)
    keep.append(io.FileIO(name, "w"))
    return keep[-1].fileno()
with open(path, "w", opener=opener) as f:
    f.write("via opener")
attempt("bad opener", lambda: open(path, opener=lambda n, f: -1))
attempt("opener str", lambda: open(path, opener=lambda n, f: "x"))
raw = io.FileIO(path)
fd = raw.fileno()
with open(fd, closefd=False) as f:
    print(f.name == fd, f.read(), repr(f.buffer.raw).endswith("mode='rb' closefd=False>"))
raw.close()
print(io.open is open, io.text_encoding(None), io.text_encoding("latin-1"), io.DEFAULT_BUFFER_SIZE)
print(io.UnsupportedOperation.__mro__[1:3], issubclass(io.UnsupportedOperation, ValueError))
if os.path.exists(path): os.remove(path)

