# Integer arithmetic with Python semantics: floor division, modulo signs, big ints.
for a in (7, -7, 0, 13, -13):
    for b in (2, -2, 3, -3):
        print(a, b, a // b, a % b, divmod(a, b), a / b)
print(2 ** 10, 2 ** 100, (-2) ** 63, 2 ** -1, 10 ** 20)
print(123456789 * 987654321, 12345678901234567890 * 98765432109876543210)
print((1 << 64) - 1, -(1 << 70) >> 3, 1 << 47, (1 << 47) - 1, -(1 << 47))
x = 140737488355327
print(x + 1, x * x, -x - 2, (x + 1) // 2, (x + 1) % 7)
print(abs(-5), abs(-(1 << 80)), -(-(1 << 47)))
print(5 & 3, 5 | 3, 5 ^ 3, ~5, ~-1, -5 & 0xFF, (1 << 100) | 1, (1 << 100) & ((1 << 100) + 5))
print(int("42"), int("-17"), int("ff", 16), int("0x1f", 16), int("0b101", 0), int(" 12 "), int("1_000"))
print(int(3.99), int(-3.99), int(True), int(1e20))
print(bool(0), bool(-1), True + True, True * 10, False - 1)
print(pow(3, 4), pow(3, 4, 5), pow(2, 100, 1000007), pow(3, -1, 7))
print(round(2.5), round(3.5), round(-2.5), round(1234, -2), round(1250, -2), round(1350, -2))
print(hex(255), oct(8), bin(10), hex(-255), bin(0))
print(7 .bit_length(), (1 << 100).bit_length(), (-1).bit_length())
print(10 // 3 * 3 + 10 % 3, -10 // 3 * 3 + -10 % 3)
print(1000000 * 1000000 * 1000000 * 1000000)
print(sum(range(1000)), sum([10**20, 10**20]))
