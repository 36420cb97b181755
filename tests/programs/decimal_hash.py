# Hashes of Decimals equal those of equal ints, floats and Fractions; errors of
# conversions and operations with other types.
import decimal
from fractions import Fraction
D = decimal.Decimal

for s in ["0", "-0", "1", "-1", "1.5", "0.1", "1E+30", "123.4500", "-2.5E-10", "Infinity", "-Infinity"]:
    d = D(s)
    print(s, hash(d), hash(d) == hash(float(d)) if d == float(d) else "-")
for i in [0, 1, -1, 2**61 - 1, 2**61, 10**30, -10**30]:
    print(i, hash(D(i)) == hash(i))
print(hash(D("0.5")) == hash(Fraction(1, 2)), D("0.5") == Fraction(1, 2), D("0.3") < Fraction(1, 3))
print(len({D("1"), D("1.0"), 1, 1.0}), {D("2.50"): "x"}[2.5])
try:
    hash(D("sNaN"))
except TypeError as e:
    print("TypeError", e)
for bad in [lambda: D(object()), lambda: D(1j),
            lambda: D((2, (1,), 0)), lambda: D((0, (10,), 0)), lambda: D((0, (1,), "x")),
            lambda: int(D("nan")), lambda: int(D("-inf")), lambda: D("inf").as_integer_ratio(),
            lambda: D(1).quantize(1.5), lambda: decimal.Context().add(1, "2")]:
    try:
        print(bad())
    except (TypeError, ValueError, OverflowError) as e:
        print(type(e).__name__, e)
print(D(1) == 1j, D(1) == complex(1, 0), D(5) != "5", D(1).__add__(1.5))
print(D(3).__radd__(2), D(3).__rsub__(10), 7 - D("0.5"), 2 * D("1.25"), 1 / D(8))
class Money(D):
    def double(self):
        return Money(self * 2)
m = Money("1.25")
print(type(m).__name__, repr(m.double()), type(m + 1).__name__, isinstance(m, D), repr(m))
