# Constant expressions are folded at compile time (as CPython's AST optimizer does);
# what they print must not change, and what cannot be folded safely runs as written.
print(-1, -0.0, -(-5), ~7, +3, 2 * 3, 2 ** 10, 1 << 70, 1 << 3, 2 ** 64, 3 - 5.5)
print(-9223372036854775808, 9223372036854775807 + 1, -2 ** 63 - 1, 4611686018427387904 * 4)
print((1, -2, 'a', None, (True, 2.5)), (), (1,), 1 + 2j, -(1 + 2j))
print(7 >> 1, -7 >> 1, 1 >> 100, 0xff & 0x0f, 3 | 4, 5 ^ 1, 10 // 3, 2 ** -1, 1.0 / 2)
print(-2 ** 2, (-2) ** 2, not 1, -True, 0.1 + 0.2, 1e308 * 10, -1e308 * 10)


def f():
    return (1, 2, 3)


print(f() is f(), f() == (1, 2, 3))
for bad in ["1 / 0", "1 % 0", "2 ** -1 ** 1000", "(-8) ** 0.5", "10 ** 400 * 1.0"]:
    try:
        print(bad, "=", eval(bad))
    except Exception as e:
        print(bad, "->", type(e).__name__, e)

board = [None, 1, -1, 2]
filled = 0
for _ in range(300):
    for v in board:
        if v is not None and v != -1:
            filled += v
print(filled)
