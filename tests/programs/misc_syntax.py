# Assorted syntax: conditional expressions, chained assignment, semicolons, pass, ellipsis.
a = b = c = 5
print(a, b, c)
x = 1; y = 2; z = x + y
print(z)
def stub(): ...
print(stub(), ...)
class Empty: pass
print(Empty.__name__)
val = "big" if z > 2 else "small"
print(val, (lambda: "lam")())
n = 0
while n < 3: n += 1
print(n)
if n == 3: print("one-line if")
for i in range(2): print("loop", i)
print(0x1F, 0o17, 0b101, 1_000_000, 1e3, 2.5e-3, .5, 5.)
print("implicit" " concatenation", 'single', """triple""", r"raw\n")
t = 1,
print(t, type(t).__name__)
first, second = "ab"
print(first, second)
print(not True, -(-3), +4, ~0)
matrix = [[1, 2],
          [3, 4]]
total = (1 +
         2 +
         3)
print(matrix, total)
print(*range(3), sep="|")
x: int = 10
y: list
print(x)
def annotated(a: int, b: str = "s") -> str:
    return b * a
print(annotated(3))
