# `a != b` with b's type a subclass of a's: b's reflected `!=` goes first and, with no
# `__ne__` of its own, is the inverse of b's `__eq__` (date != datetime is True).
class D:
    def __init__(self, v):
        self.v = v

    def __eq__(self, o):
        if isinstance(o, D):
            return self.v == o.v
        return NotImplemented


class DT(D):
    def __eq__(self, o):
        if isinstance(o, DT):
            return self.v == o.v
        if not isinstance(o, D):
            return NotImplemented
        return False


a, b = D(1), DT(1)
print(a != b, b != a, a == b, b == a, a != D(1), b != DT(1), a != 5)
import datetime

d = datetime.date(2024, 5, 6)
dt = datetime.datetime.combine(d, datetime.time())
print(d != dt, dt != d, d == dt, dt == d)
print(ord(b"a"), ord(bytearray(b"\xff")))
for bad in [b"ab", b"", "ab", 5]:
    try:
        ord(bad)
    except TypeError as e:
        print(e)
import io
import pickle

buf = io.BytesIO(b"abc")
view = buf.getbuffer()
print(bytes(view), len(view), view[0])
print(pickle.loads(pickle.dumps({"k": [1, 2.5, "s", b"b"]})))
