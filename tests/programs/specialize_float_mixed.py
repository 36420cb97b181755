# Float specializations with one small-int operand (converted exactly), signed zeros,
# overflow to inf, zero divisors and bools (not ints here) through the same sites.
t = 0.0
for i in range(1000):
    t += i * 0.5
    t = t - i / 3.0 + 2 * 1.25
    t = (t * 3) / 7 + i
print(t, 3 + 0.5, 0.5 - 2, 7 / 2.0, 2.0 / 4, -0.0 * 5, 5 * -0.0, 1e308 * 10, 2**46 * 1.5)
try:
    print(1 / 0.0)
except ZeroDivisionError as e:
    print(e)
try:
    print(0.0 / 0)
except ZeroDivisionError as e:
    print(e)
print(True * 1.5, 1.5 + True)
