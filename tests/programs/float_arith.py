# Floats: repr, division, floor division and modulo signs, special values.
vals = [0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e15, 123456789.123456789, 1e-5, 0.0001, 1.5e300 * 1e10]
for v in vals:
    print(v, repr(v), str(v))
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2, divmod(-7.5, 2))
print(3.0 * 2, 3.0 / 2, 2 ** 0.5, 10 ** -2, 2.0 ** 10)
print(float("1.5"), float("-inf"), float("nan"), float(" 3 "), float(10), float("1e3"))
print(-0.0, 0.0 == -0.0, 1.0 == 1, 1.5 > 1, 2 < 2.5)
print(int(2.9), round(2.675, 2), round(1.005, 2), round(0.5), round(1.5), round(-0.5))
print(round(3.14159, 3), round(2.5, 0), round(1e20, 2))
print(1e308 * 10, -1e308 * 10, (1e308 * 10) - (1e308 * 10))
print(abs(-2.5), max(1.5, 2), min(-1, -1.5))
print(5e-324, 2.2250738585072014e-308, 1.7976931348623157e+308)
print(0.1 + 0.7, 4.35 * 100, 1.1 * 3)
print((0.5).is_integer(), (2.0).is_integer(), (0.75).as_integer_ratio())
print(float(2**53 + 1), 2**53 + 1 == float(2**53 + 1), 10**400 > 1e308)
x = 1.0
for i in range(10):
    x = x * 1.1
print(x)
print(hash(1.0) == hash(1), hash(0.5))
print(3 * 0.1, 100.0, 1e22, 1e21, 123e-20)
