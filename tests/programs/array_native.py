from array import array, typecodes, ArrayType
import array as array_mod

print(typecodes, ArrayType is array)
for code in typecodes:
    if code == "u":
        a = array(code, "hello")
    elif code in "fd":
        a = array(code, [1.5, -2.25, 0.1])
    else:
        a = array(code, [1, 2, 3, 127])
    print(code, a.itemsize, a.typecode, repr(a), a.tolist(), len(a), a.tobytes()[:8])
a = array("i", range(10))
print(a[3], a[-1], a[2:5], a[::3], a[::-2], 5 in a, 42 in a, a.index(4), a.count(4))
a[0] = 100
a[1:3] = array("i", [7, 8, 9])
del a[4]
del a[::4]
print(a, len(a))
a.append(-5)
a.extend([1, 2])
a.extend(array("i", [3]))
a.insert(0, 11)
a.insert(-100, 12)
a.insert(100, 13)
print(a, a.pop(), a.pop(0), a)
a.remove(11)
a.reverse()
print(a)
b = array("h", [1, 2, 258])
b.byteswap()
print(b, b.tobytes())
c = array("d")
c.frombytes(array("d", [1.0, 2.0]).tobytes())
c.fromlist([3, 4.5])
print(c, c + array("d", [9]), c * 2, 2 * array("b", [1]), array("B", b"\x01\x02\xff"))
c += array("d", [7])
c *= 2
print(c)
u = array("u", "ab")
u.fromunicode("cd")
print(u, u.tounicode(), u[1], list(u))
print(array("i", [1, 2]) == array("i", [1, 2]), array("i", [1, 2]) == array("d", [1.0, 2.0]), array("i", [1, 2]) < array("i", [1, 3]),
      array("i", [1]) < array("i", [1, 0]), array("i", [2]) >= array("i", [1, 9]), array("i") != array("i", [0]))
print(list(iter(array("q", [5, 6]))), [x * 2 for x in array("H", [1, 2])], sum(array("i", range(100))))
print(array("f", [0.1])[0], array("i", [True, False]), array("b", array("i", [1, 2])))
r = array("i", [1, 2, 3]).__reduce_ex__(3)
print(r[0] is array_mod._array_reconstructor, r[1])
print(array_mod._array_reconstructor(array, "i", 8, b"\x01\x00\x00\x00"))
import copy
x = array("i", [1, 2])
y = copy.copy(x)
y[0] = 9
print(x, y, copy.deepcopy(x))
class MyArray(array):
    def total(self):
        return sum(self)
m = MyArray("i", [1, 2, 3])
print(m.total(), repr(m), isinstance(m, array), m[1:], type(m[1:]).__name__, len(m))
import struct
buf = array("b", [0] * 8)
struct.pack_into("<i", buf, 2, -1)
print(buf, struct.unpack("<8b", buf), bytes(array("B", [104, 105])))
tests = [
    lambda: array("b", [200]), lambda: array("b", [-200]), lambda: array("B", [256]), lambda: array("B", [-1]), lambda: array("h", [2**15]),
    lambda: array("H", [-1]), lambda: array("i", [2**31]), lambda: array("I", [2**32]), lambda: array("I", [-1]), lambda: array("l", [2**63]),
    lambda: array("L", [2**64]), lambda: array("L", [-1]), lambda: array("b", ["x"]), lambda: array("i", [1.5]), lambda: array("d", ["x"]),
    lambda: array("u", [1]), lambda: array("u", ["ab"]), lambda: array("z"), lambda: array(1), lambda: array("bb"), lambda: array("b", "abc"),
    lambda: array("d", b"123"), lambda: array("i", [1, 2]) + array("h", [1]), lambda: array("i", [1]) + [1], lambda: array("i", [1, 2, 3])[5],
    lambda: array("i", [1, 2, 3]).index(9), lambda: array("i").pop(), lambda: array("i", [1]).pop(5), lambda: array("i", [1]).remove(5),
    lambda: array("i", [1, 2, 3]).__setitem__(slice(0, 2), [1]), lambda: array("i", [1]).tounicode(),
    lambda: array("i", [1, 2, 3]).extend(array("h")), lambda: array("i", [1, 2]).fromlist((3,)), lambda: array("u", array("i", [1, 2])),
    lambda: array("i", array("u", "a")), lambda: array("i", [1])["x"], lambda: array("i", [1, 2, 3, 4]).__setitem__(slice(0, 4, 2), array("i", [7])),
    lambda: array("i", [1]).__setitem__(3, 1), lambda: array("i", [1]).frombytes(b"12"),
]
for f in tests:
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)
