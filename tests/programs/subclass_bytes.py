# Python subclasses of bytes and bytearray.


class Blob(bytes):
    def shout(self):
        return self.upper()


b = Blob(b"hi")
print(b, repr(b), bytes(b), type(bytes(b)).__name__, b.shout(), type(b.shout()).__name__)
print(b + b"!", b == b"hi", hash(b) == hash(b"hi"), list(b), b.decode(), len(b), b[1:], b[0])
print(Blob(3), Blob([65, 66]), Blob(), Blob.fromhex("4142"), type(Blob.fromhex("41")).__name__)
print(b"-".join([b, b]), isinstance(b, bytes), b in {b"hi": 1}, b.hex(), b.startswith(b"h"))


class Tagged(bytes):
    def __new__(cls, data, tag):
        obj = super().__new__(cls, data)
        obj.tag = tag
        return obj

    def __repr__(self):
        return f"Tagged({bytes(self)!r}, {self.tag!r})"


t = Tagged(b"xy", "t1")
print(t, repr(t), t.tag, [t])


class Buffer(bytearray):
    def push(self, data):
        self.extend(data)
        return self


buf = Buffer(b"ab")
buf.push(b"cd").append(101)
buf += b"f"
print(buf, repr(buf), len(buf), bytes(buf), buf[0], type(buf).__name__)
print(Buffer(), Buffer(3), Buffer([1, 2]), buf == b"abcdef", isinstance(buf, bytearray))
buf[0] = 65
print(buf, buf.pop(), buf)


class Sized(bytearray):
    def __init__(self, n):
        super().__init__(b"." * n)
        self.n = n


s = Sized(4)
print(s, s.n, len(s))
