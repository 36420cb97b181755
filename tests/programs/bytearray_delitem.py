# del on bytearray items and slices (asyncio's StreamReader trims its buffer so), and
# CPython's two wordings of "does not support item deletion".
b = bytearray(b"abcdefghij")
del b[0]
print(b)
del b[-1]
print(b)
del b[1:3]
print(b)
del b[::2]
print(b)
del b[::-2]
print(b)
b = bytearray(b"abcdefghij")
del b[8:2:-3]
print(b)
del b[5:1]
print(b)
del b[:]
print(b, len(b))
b = bytearray(range(20))
del b[True]
print(b[:3])
for key in [100, -100, "x", 1.5]:
    try:
        del b[key]
    except (IndexError, TypeError) as e:
        print(type(e).__name__, e)
for obj, key in [("abc", 0), ("abc", "k"), ((1,), 0), (1, 0), (1, "k"), (range(3), 0), (frozenset(), 0), (b"x", 0), ({}.keys(), 0)]:
    try:
        del obj[key]
    except TypeError as e:
        print(e)
buf = bytearray(b"line one\nline two\n")
i = buf.index(b"\n")
line = bytes(buf[: i + 1])
del buf[: i + 1]
print(line, buf)
