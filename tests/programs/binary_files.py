# Binary files: write, append, read whole/sized/lines, seek/tell, errors; pathlib paths.
import os, struct
from pathlib import Path
path = Path(__file__).parent / "_binary_scratch.bin"
with open(path, "wb") as f:
    print(f.write(bytes(range(5))), f.write(bytearray(b"\nline two\n")), f.write(struct.pack("<id", 7, 2.5)))
with open(path, "ab") as f:
    f.write(b"tail")
with open(path, "rb") as f:
    print(f.read(3), f.tell(), f.readline(), f.readline(), f.seek(-4, 2), f.read(), f.seek(0), len(f.read()))
with open(str(path), "rb") as f:
    print([len(line) for line in f])
data = open(path, "rb").read()
print(struct.unpack_from("<id", data, 15), data[-4:], type(data).__name__)
try:
    open(path, "rb", encoding="utf-8")
except ValueError as e:
    print("ValueError:", e)
with open(path, "wb") as f:
    try:
        f.write("text")
    except TypeError as e:
        print("TypeError:", e)
try:
    open(path, "xb")
except FileExistsError as e:
    print("FileExistsError")
os.remove(path)
try:
    open(path, "rb")
except FileNotFoundError as e:
    print("FileNotFoundError")
b = b"abcabcab"
for args in [(b"ab",), (b"ab", 1), (b"ab", 1, 4), (b"ab", -3), (b"zz",), (b"",), (b"", 20), (b"c", None, -2), (b"ab", 7, 100)]:
    print(args, b.find(*args), b.rfind(*args))
print(b.index(b"c", 3), b.rindex(b"c"), bytearray(b"xyx").rfind(b"x"))
try:
    b.index(b"q")
except ValueError as e:
    print(e)
