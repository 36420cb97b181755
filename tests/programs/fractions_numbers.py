# fractions.Fraction arithmetic, parsing, hashing and mixing; the numbers tower.
from fractions import Fraction as F
import numbers
import math

print(F(3, 4), F(6, -8), repr(F(10, 5)), F(), F(7), F(-0.75), F("3/7"), F(" -1.25e1 "), F("2e-2"))
print(F(1, 3) + F(1, 6), F(1, 3) - 1, 2 * F(3, 4), F(3, 4) / F(3, 8), 1 / F(5), F(7, 2) // 2, F(7, 2) % 2)
print(divmod(F(7, 2), F(1, 3)), F(2, 3) ** 3, F(2, 3) ** -2, F(-2, 3) ** -3, 4 ** F(1, 2), F(1, 4) ** 0.5)
print(F(1, 2) + 0.25, 0.5 + F(1, 4), F(1, 2) * (1 + 2j), F(1, 3) == 1 / 3, F(1, 2) == 0.5, F(2) == 2)
print(F(1, 3) < F(1, 2), F(1, 3) < 0.3, F(5, 2) >= 2, sorted([F(1, 2), 0.4, 1, F(1, 3)]))
print(int(F(-7, 2)), math.floor(F(-7, 2)), math.ceil(F(-7, 2)), round(F(5, 2)), round(F(7, 2)), round(F(1, 3), 2))
print(float(F(1, 3)), bool(F(0)), abs(F(-1, 2)), -F(1, 2), +F(1, 2))
print(hash(F(1, 2)) == hash(0.5), hash(F(4, 2)) == hash(2), hash(F(1, 3)) == hash(F(2, 6)), hash(F(-1)))
print(F(math.pi).limit_denominator(1000), F(math.pi).limit_denominator(100), F(1, 3).limit_denominator(2))
print(F.from_float(0.1), F(0.1).limit_denominator(), F(5, 10).as_integer_ratio(), F(3) == 3)
print(F(1, 2).numerator, F(1, 2).denominator, {F(1, 2): "half"}[F(2, 4)], sum([F(1, 3)] * 3))
for bad in ["1/0x", "abc", ""]:
    try:
        F(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    F(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    F(1) / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)

for v in [1, True, 1.5, 2j, F(1, 2), "x"]:
    print(type(v).__name__, [isinstance(v, c) for c in
                             (numbers.Number, numbers.Complex, numbers.Real, numbers.Rational, numbers.Integral)])
print(issubclass(int, numbers.Real), issubclass(float, numbers.Rational), (5).as_integer_ratio())
