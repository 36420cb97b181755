# Sieve of Eratosthenes, repeated (a classic int/list loop kernel).
def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = flags[1] = False
    p = 2
    while p * p <= n:
        if flags[p]:
            m = p * p
            while m <= n:
                flags[m] = False
                m += p
        p += 1
    count = 0
    for f in flags:
        if f:
            count += 1
    return count


total = 0
for _ in range(40):
    total += sieve(100000)
print(total)
