# List sorting: sorted() with and without key functions on generated data.
def lcg(seed):
    while True:
        seed = (seed * 1103515245 + 12345) % 2147483648
        yield seed

gen = lcg(42)
data = [next(gen) % 100000 for _ in range(200000)]
words = [str(x) for x in data[:50000]]
checksum = 0
for k in range(3):
    s = sorted(data)
    checksum += s[len(s) // 2] + s[k]
r = sorted(data, key=lambda v: -v)
w = sorted(words, key=len)
pairs = sorted(zip(data[:30000], range(30000)))
print(checksum, r[0], w[0], w[-1], pairs[100])
