# Big integers beyond the small range behave exactly like Python ints.
a = 2 ** 64
b = 3 ** 50
print(a, b, a * b, b // a, b % a, -b // a, -b % a, a - b)
print(2 ** 1000 % 1000007, len(str(2 ** 10000)), str(7 ** 77)[:20])
print((1 << 200) >> 190, -(1 << 200) >> 199, (2 ** 100) & (2 ** 100 - 1), (2 ** 100) | 1)
f = 1
for i in range(1, 30):
    f *= i
print(f, f // (2 ** 20), f % 1000, hex(f), float(f))
print(10 ** 30 == 10 ** 30, 10 ** 30 > 10 ** 29, 10 ** 20 < 1e21, 2 ** 63, -(2 ** 63), 2 ** 47, -(2 ** 47) - 1)
x = 140737488355327
print(x + x, x * 2, x - (-x), -x - x, abs(-x - 1000))
print(int("9" * 40) + 1, int("-" + "1" * 30), 12345678901234567890 // 10 ** 10)
print(divmod(10 ** 25, 7), pow(10 ** 20, 2, 10 ** 9 + 7), (10 ** 20) / (10 ** 10))
print(sum(range(10 ** 6)), 2 ** 62 * 4, (2 ** 47 - 1) + 1)
print(round(10 ** 20 / 3), int(1e300) % 10 ** 9)
