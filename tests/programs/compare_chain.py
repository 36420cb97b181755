# Comparisons, chains and short-circuit boolean operators.
def noisy(x):
    print("eval", x)
    return x

print(1 < 2 < 3, 1 < 2 > 3, 3 > 2 > 1 > 0)
print(noisy(1) < noisy(0) < noisy(5))
print(noisy(0) and noisy(1), noisy(2) or noisy(3))
print(noisy(0) or noisy(""), noisy(1) and noisy([]) and noisy(3))
print(not 0, not [], not [0], not None)
print([1, 2] < [1, 3], (1, 2) < (1, 2, 0), "abc" < "abd", "Z" < "a")
print([1, 2] == [1, 2], (1,) == (1,), {1: 2} == {1: 2}, {1, 2} == {2, 1})
print(1 == 1.0, 1 is 1, None is None, [] is [])
x = [1, 2]
y = x
print(x is y, x is not y, x == y)
print(2 in [1, 2, 3], 5 not in (1, 2), "el" in "hello", 3 in {3: 4}, 3 in range(5))
a = 5
print(0 < a <= 5, 0 < a < 5, a == 5 == 5.0)
print(1 if 0 else 2, "yes" if [1] else "no")
print(max([3, 1, 4, 1, 5]), min("hello"), max((1, 2), (1, 3)))
