# The standard streams are _io objects: TextIOWrapper over BufferedWriter/Reader over FileIO.
import sys, io
for name in ("stdin", "stdout", "stderr"):
    f = getattr(sys, name)
    print(name, type(f).__name__, repr(f), f.encoding, f.name, f.mode)
    print("  ", f.fileno(), f.readable(), f.writable(), f.closed, f.isatty(), f.seekable() in (True, False))
print(sys.stderr.errors, repr(sys.stdin.buffer), repr(sys.stdin.buffer.raw))
print(sys.stdout is sys.__stdout__, sys.stderr is sys.__stderr__, sys.stdin is sys.__stdin__)
print(sys.stdout.write("written directly\n"))
sys.stdout.buffer.write(b"bytes through the buffer\n")
sys.stdout.flush()
print("after flush")
try:
    sys.stdout.read()
except io.UnsupportedOperation as e:
    print("UnsupportedOperation:", e)
try:
    sys.stdin.write("x")
except io.UnsupportedOperation as e:
    print("UnsupportedOperation:", e)
try:
    sys.stdout.write(b"x")
except TypeError as e:
    print("TypeError:", e)
saved = sys.stdout
sys.stdout = io.StringIO()
print("hidden")
text = sys.stdout.getvalue()
sys.stdout = saved
print("restored", repr(text))
sys.stdout = None
print("dropped")
sys.stdout = saved
print("print", "to", "stderr", file=sys.stderr)
print(end="")
print("no newline", end="")
print()
print("flushed", flush=True)
try:
    print("x", file=1)
except AttributeError as e:
    print("AttributeError:", e)
try:
    print("x", sep=1)
except TypeError as e:
    print("TypeError:", e)
