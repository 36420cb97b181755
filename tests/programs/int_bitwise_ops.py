def f(n):
    acc = 0
    for i in range(n):
        acc ^= (i << 3) & 0xFFFF | (i >> 2)
        acc = (acc << 1) & 0xFFFFFFFF
    return acc
print(f(300000))
x = 1
for i in range(100):
    x = x << 1 | 1
print(x, x >> 90, (-x) >> 3, 5 & -2, -5 | 2, 7 ^ -1)
try:
    for i in range(100):
        y = 1 << (5 - i)
except ValueError as e:
    print("ValueError", e, i)
try:
    for i in range(100):
        y = 64 >> (5 - i)
except ValueError as e:
    print("ValueError", e, i)
# Mixed small and big operands, bools, and shifts at the small range's edge.
vals = [0, 1, -1, 5, -6, 2**46, -(2**47), 2**47 - 1, 2**64 + 3, -(2**70), True, False]
out = []
for a in vals:
    for b in vals:
        out.append((a & b, a | b, a ^ b))
        if 0 <= b < 80:
            out.append((a << b, a >> b))
print(len(out), hash(tuple(out)) == hash(tuple(out)), out[:5], out[-5:])
print(sum(x for t in out for x in t) % 1000003)
