z = 3 + 4j
print(abs(z), z.real, z.imag, z * 1j, (-8) ** 0.5, z.conjugate(), -z, z / 2, z ** 2, 1j ** 2, z == 3 + 4j, z != 3)
print(complex(1, 2), complex("1+2j"), complex("-3.5j"), complex(2), 2j, 0j, -0j, 1 + 0j, (1 + 2j) * (3 - 1j), (1+2j) / (3-4j))
print(repr(complex(float("inf"), -1)), hash(1 + 0j) == hash(1), {1j: "x"}[1j], bool(0j), bool(1j), 2 ** 0.5j)
def mandel(c, n=50):
    z = 0j
    for i in range(n):
        z = z * z + c
        if abs(z) > 2:
            return i
    return n
rows = []
for y in range(-5, 6):
    rows.append("".join("#" if mandel(complex(x / 10, y / 5)) == 50 else "." for x in range(-20, 6)))
print("\n".join(rows))
try:
    1j < 2j
except TypeError as e:
    print("TypeError:", e)
try:
    (1 + 1j) / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
