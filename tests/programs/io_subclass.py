# Python subclasses of the io classes: methods of the native bases call the
# Python overrides (readinto, write, readline, read), as CPython's do.
import io, sys, contextlib

class Chunks(io.RawIOBase):
    """A raw stream serving fixed data in small pieces through readinto."""
    def __init__(self, data, piece=3):
        self.data = data
        self.pos = 0
        self.piece = piece
        self.calls = 0
    def readable(self):
        return True
    def readinto(self, b):
        self.calls += 1
        n = min(len(b), self.piece, len(self.data) - self.pos)
        b[:n] = self.data[self.pos:self.pos + n]
        self.pos += n
        return n

r = Chunks(b"hello\nworld\nlast")
print(r.read(4), r.read(), r.read(), r.calls)
r = Chunks(b"one\ntwo\n")
print(r.readline(), r.readlines())
r = Chunks(b"abcdefgh")
print(r.readall(), r.closed, r.seekable(), r.writable())
with Chunks(b"x") as c:
    print(c.closed)
print(c.closed)
try:
    c.read()
except ValueError as e:
    print("ValueError:", e)

class Sink(io.RawIOBase):
    def __init__(self):
        self.got = []
    def writable(self):
        return True
    def write(self, b):
        self.got.append(bytes(b))
        return len(b)

s = Sink()
w = io.BufferedWriter(s, buffer_size=8)
w.write(b"abc")
print(s.got)
w.write(b"defghij")
print(s.got)
w.write(b"k")
w.flush()
print(s.got, w.raw is s)
w.close()
print(s.closed, w.closed)

s = Sink()
t = io.TextIOWrapper(io.BufferedWriter(s), encoding="utf-8", newline="\r\n")
t.write("é\nx")
t.flush()
print(s.got, t.encoding, t.line_buffering)
t = io.TextIOWrapper(io.BufferedReader(Chunks("ünï\r\ncode\rline\n".encode())), encoding="utf-8")
print(t.readlines(), t.newlines)
t = io.TextIOWrapper(io.BufferedReader(Chunks(b"a\nb\n", piece=1)), encoding="ascii")
print([line for line in t])

class Lines(io.IOBase):
    def __init__(self, lines):
        self.lines = list(lines)
    def readline(self, size=-1):
        return self.lines.pop(0) if self.lines else b""

print(list(Lines([b"1\n", b"2\n"])), Lines([b"a", b"b"]).readlines())
l = Lines([])
l.close()
print(l.closed, io.IOBase().seekable(), io.IOBase().readable())
for name, f in [("fileno", lambda: io.RawIOBase().fileno()),
                ("seek", lambda: io.RawIOBase().seek(0)),
                ("truncate", lambda: io.RawIOBase().truncate()),
                ("read", lambda: io.BufferedIOBase().read()),
                ("write", lambda: io.TextIOBase().write("x")),
                ("detach", lambda: io.BufferedIOBase().detach()),
                ("raw read", lambda: io.RawIOBase().read())]:
    try:
        f()
    except io.UnsupportedOperation as e:
        print(name, "UnsupportedOperation", e)
    except NotImplementedError as e:
        print(name, "NotImplementedError", e)

class Peeker(io.BufferedIOBase):
    def __init__(self, data):
        self.b = io.BytesIO(data)
    def read(self, n=-1):
        return self.b.read(n)
    def readable(self):
        return True

p = Peeker(b"abc\ndef")
ba = bytearray(5)
print(p.readinto(ba), ba, p.readline(), p.read())

class Shout(io.TextIOWrapper):
    def write(self, s):
        return super().write(s.upper())

buf = io.BytesIO()
sh = Shout(buf, encoding="utf-8")
print("quiet words", file=sh)
sh.flush()
print(buf.getvalue(), isinstance(sh, io.TextIOBase), repr(sh).startswith("<Shout "))

out = io.StringIO()
with contextlib.redirect_stdout(out):
    print("captured", 1, 2, sep="-")
    sys.stdout.write("direct\n")
print(repr(out.getvalue()))

class Counter:
    def __init__(self):
        self.parts = []
    def write(self, s):
        self.parts.append(s)
    def flush(self):
        self.parts.append("<flush>")

c = Counter()
print("a", "b", 3, sep=", ", end="!\n", file=c, flush=True)
print(c.parts)
print(isinstance(io.StringIO(), io.TextIOBase), isinstance(io.BytesIO(), io.BufferedIOBase),
      issubclass(io.FileIO, io.RawIOBase), isinstance(sys.stdout, io.TextIOWrapper),
      isinstance(sys.stdout, io.IOBase))
d = io.IncrementalNewlineDecoder(None, translate=True)
print(repr(d.decode("a\r")), repr(d.decode("\nb\r")), repr(d.decode("", final=True)), d.newlines, d.getstate())
d = io.IncrementalNewlineDecoder(None, translate=False)
print(repr(d.decode("x\r\ny\rz\n", final=True)), d.newlines)
d.reset()
print(d.newlines)
