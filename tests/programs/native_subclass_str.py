# str() and format() of Python subclasses of native types use the native type's own
# __str__/__format__; binary-operator TypeErrors name native types by their qualified
# tp_name; pow() with a modulus calls a non-int base's __pow__; int() reads Unicode
# decimal digits.
import array
import collections
import decimal

class D(decimal.Decimal):
    pass

class Q(collections.deque):
    pass

print(str(D("1.50")), repr(D("1.50")), f"{D('2.50')}", format(D("2.5"), ".3f"))
print(str(Q([1, 2])), repr(Q([1, 2])))
for x in [decimal.Decimal(1), array.array("i"), collections.deque(), 1, "s", [1], D(2)]:
    try:
        x @ "a"
    except TypeError as e:
        print(e)
try:
    decimal.Decimal(1) + []
except TypeError as e:
    print(e)

class P:
    def __pow__(self, other, mod=None):
        return ("pow", other, mod)

print(pow(P(), 2, 3))
for args in [("a", 2, 3), (2.0, 2, 3), (P, 2, 3)]:
    try:
        pow(*args)
    except TypeError as e:
        print(e)
print(int("１２"), int("٣٤"), int("７", 8), decimal.Decimal("１.５"))
