# Gap: complex numbers.
z = 3 + 4j
print(abs(z), z.real, z.imag, z * 1j, (-8) ** 0.5)
