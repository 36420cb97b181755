# array.array subscripts in hot loops (the generic subscript's direct path for exact
# arrays): values, negative indices, errors, and subclasses that override.
from array import array

a = array('d', [0.0]) * 100
for i in range(100):
    a[i] = i * 0.5
s = 0.0
for k in range(20):
    for i in range(-100, 100):
        s += a[i]
print(s, a[-1], a[0])
b = array('b', [1, 2, 3])
for bad in (128, 3.5, "x"):
    try:
        b[0] = bad
    except (OverflowError, TypeError) as e:
        print(type(e).__name__, e)
for i in (3, -4, 10**30):
    try:
        b[i]
    except IndexError as e:
        print("IndexError", e)
try:
    b[5] = 1
except IndexError as e:
    print("IndexError", e)
u = array('u', 'héllo')
print(u[1], u[-1], array('Q', [2**64 - 1])[0], array('i', [-5])[0])

class Logged(array):
    def __getitem__(self, i):
        return ("got", super().__getitem__(i))
    def __setitem__(self, i, v):
        super().__setitem__(i, v * 2)

lg = Logged('i', [1, 2, 3])
for i in range(50):
    lg[1] = i
print(lg[1], list(lg), b[True])
