def is_prime(n):
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True
print([n for n in range(50) if is_prime(n)])
def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = flags[1] = False
    p = 2
    while p * p <= n:
        if flags[p]:
            for m in range(p * p, n + 1, p):
                flags[m] = False
        p += 1
    return [i for i, f in enumerate(flags) if f]
print(len(sieve(10000)), sieve(30))
def digits_sum(n):
    s = 0
    while n:
        n, r = divmod(n, 10)
        s += r
    return s
print(digits_sum(2 ** 100), digits_sum(0))
def binary_search(a, x):
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo
data = list(range(0, 100, 3))
print(binary_search(data, 30), binary_search(data, 31), binary_search(data, -5), binary_search(data, 1000))
a, b = 0, 1
n = 0
while b < 10 ** 50:
    a, b = b, a + b
    n += 1
print(n, b)
