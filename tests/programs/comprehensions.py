# List/dict/set comprehensions and generator expressions.
print([x * x for x in range(10)])
print([(x, y) for x in range(3) for y in range(3) if x != y])
print({x: x ** 3 for x in range(5)}, sorted({c for c in "abracadabra"}), {n % 4 for n in range(10)})
print([[i * j for j in range(1, 4)] for i in range(1, 4)])
print(sum(x for x in range(100) if x % 7 == 0), max(len(w) for w in ["a", "abc", "ab"]))
matrix = [[1, 2, 3], [4, 5, 6]]
print([list(row) for row in zip(*matrix)], [n for row in matrix for n in row])
x = "outer"
print([x for x in "ab"], x)
print({k: v for k, v in zip("abc", range(3)) if v}, dict((i, str(i)) for i in range(3)))
evens = (n for n in range(10) if n % 2 == 0)
print(next(evens), list(evens))
print([y for y in [z * 2 for z in range(5)] if y > 2])
print(sorted({w.lower() for w in "The the THE quick".split()}))
funcs = [lambda n=n: n * 10 for n in range(3)]
print([f() for f in funcs])
print([a + b for a, b in [(1, 2), (3, 4)]], [(i, c) for i, c in enumerate("xy")])
print(list(map(lambda p: p[0] * p[1], [(2, 3), (4, 5)])))
print([i for i in range(20) if i % 2 if i % 3])
total = 0
print([total := total + v for v in [1, 2, 3]], total)
