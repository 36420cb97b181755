# bytes/bytearray concatenation: any buffer on the right, CPython's messages otherwise.
import array
a=b"ab"; ba=bytearray(b"xy")
print(a+b"c", a+ba, ba+a, ba+ba, a+memoryview(b"mv"), a+array.array('b',[65,66]), type(ba+a), type(a+ba))
try: a+"s"
except TypeError as e: print(e)
try: ba+1
except TypeError as e: print(e)
print(b""+b"", bytearray()+b"")


class R:
    def __radd__(self, other):
        return ("radd", other)


print(b"x" + R(), bytearray(b"y") + R())
x = b"q"
for i in range(5):
    x = x + bytes([65 + i])
print(x, len(x))
