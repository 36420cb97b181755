import io

def attempt(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "!!", type(e).__name__, e)

s = io.StringIO()
print(s.write("hello\n"), s.write("wörld\n"), s.tell())
print(repr(s.getvalue()))
s.seek(0)
print(repr(s.readline()), repr(s.readline()), repr(s.readline()))
s.seek(2)
s.write("XY")
print(repr(s.getvalue()), s.tell())
s.seek(20)
s.write("!")
print(repr(s.getvalue()))
print(s.truncate(5), repr(s.getvalue()), s.tell())
s.seek(0)
print(repr(s.read(3)), repr(s.read()), repr(s.read()))
print(list(io.StringIO("a\nb\nc")))
print(io.StringIO("x\ny\n").readlines())
print(io.StringIO("abc").read(-1), io.StringIO("abc").read(None))

# newline modes
for nl in [None, "", "\n", "\r", "\r\n"]:
    s = io.StringIO(newline=nl)
    s.write("a\rb\r\nc\nd")
    print(repr(nl), repr(s.getvalue()), s.newlines if nl in (None, "") else "-")
    s.seek(0)
    print("   lines", s.readlines())
s = io.StringIO("one\r\ntwo\rthree\n", newline=None)
print(repr(s.getvalue()), s.newlines)
s = io.StringIO("one\r\ntwo\rthree\n", newline="")
print(list(s), s.newlines)

# errors
attempt("getvalue arg", lambda: io.StringIO().getvalue(1))
attempt("read 2 args", lambda: io.StringIO().read(1, 2))
attempt("init int", lambda: io.StringIO(1))
attempt("bad newline", lambda: io.StringIO(newline="x"))
attempt("newline int", lambda: io.StringIO(newline=1))
attempt("neg seek", lambda: io.StringIO().seek(-1))
attempt("bad whence", lambda: io.StringIO().seek(0, 3))
attempt("cur seek", lambda: io.StringIO().seek(1, 1))
attempt("end seek", lambda: io.StringIO("abc").seek(0, 2))
attempt("write bytes", lambda: io.StringIO().write(b"x"))
attempt("neg truncate", lambda: io.StringIO().truncate(-1))
attempt("read float", lambda: io.StringIO("abc").read(1.5))
c = io.StringIO("abc")
c.close()
print(c.closed)
for m in ["read", "getvalue", "write", "seek", "tell", "readable", "readline", "truncate"]:
    args = ["x"] if m == "write" else [0] if m == "seek" else []
    attempt("closed " + m, lambda: getattr(c, m)(*args))
attempt("closed iter", lambda: next(c))
with io.StringIO("ctx") as w:
    print(w.read(), w.closed, w.readable(), w.writable(), w.seekable(), w.line_buffering)
print(w.closed)

class Upper(io.StringIO):
    def write(self, s):
        return super().write(s.upper())

u = Upper()
print("a", "b", file=u)
u.writelines(["x", "y\n"])
print(repr(u.getvalue()), isinstance(u, io.StringIO), isinstance(u, io.TextIOBase), type(u).__mro__[1:3])

class NoInit(io.StringIO):
    def __init__(self):
        pass
attempt("uninit", lambda: NoInit().read())

# BytesIO
b = io.BytesIO(b"abc\ndef\n")
print(b.read(2), b.readline(), b.tell(), b.readlines())
b.seek(0, 2)
b.write(b"xyz")
print(b.getvalue(), b.tell())
b.seek(12)
b.write(b"!")
print(b.getvalue())
print(b.truncate(4), b.getvalue(), b.tell())
b.seek(1)
ba = bytearray(2)
print(b.readinto(ba), ba, b.read1(), b.read())
print(list(io.BytesIO(b"1\n2\n3")))
b = io.BytesIO()
b.write(bytearray(b"ba"))
b.writelines([b"c", b"d"])
print(b.getvalue(), b.seekable(), b.isatty())
attempt("bytes write str", lambda: io.BytesIO().write("x"))
attempt("bytes neg seek", lambda: io.BytesIO().seek(-1))
attempt("bytes whence", lambda: io.BytesIO().seek(0, 5))
attempt("bytes neg trunc", lambda: io.BytesIO().truncate(-1))
attempt("bytes init int", lambda: io.BytesIO(1))
attempt("bytes init str", lambda: io.BytesIO("x"))
attempt("bytes read -2", lambda: io.BytesIO(b"ab").read(-2))
b.close()
for m in ["read", "getvalue", "write", "seek", "tell", "readable", "flush"]:
    args = [b"x"] if m == "write" else [0] if m == "seek" else []
    attempt("bclosed " + m, lambda: getattr(b, m)(*args))
print(repr(io.StringIO()).startswith("<_io.StringIO object at"), repr(io.BytesIO()).startswith("<_io.BytesIO object at"))
