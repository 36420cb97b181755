nums = range(1, 11)
print(sum(n * n for n in nums), max(n % 7 for n in nums), min((n for n in nums), key=lambda v: abs(v - 5.5)))
print(list(n for n in nums if n % 3 == 0), tuple(str(n) for n in nums[:3]), set(n % 2 for n in nums))
print(dict((n, n * n) for n in range(4)), " ".join(c.upper() for c in "abc"))
g = (x for x in [1, 2, 3])
print(next(g), list(g), list(g))
lines = ["a=1", "b=2", "c=3"]
pairs = (line.split("=") for line in lines)
print({k: int(v) for k, v in pairs})
print(any(c.isdigit() for c in "abc1"), all(c.isalpha() for c in "abc1"))
total = 0
for sq in (i * i for i in range(5)):
    total += sq
print(total)
nested = ((i, j) for i in range(3) for j in range(i))
print(list(nested))
print(sorted((x for x in "zyx")), list(zip((i for i in range(3)), "ab")))
