from operator import itemgetter, attrgetter
import itertools, heapq, collections, math, functools
d = {"apple": 3, "banana": 1, "cherry": 2}
print(max(d, key=d.get), sorted(d.items(), key=itemgetter(1)), dict(sorted(d.items())), min(d.values()))
w = 8
print("{:>{w}}|{:<{w}.2f}|".format("r", 3.14159, w=w), f"{'x'!r:>6}", "%-6s|%6.2f" % ("ab", 2.5))
matrix = [[1, 2, 3], [4, 5, 6]]
print(list(zip(*matrix)), [list(r) for r in zip(*matrix)], sum(map(sum, matrix)))
a, b = [1, 2], [3]
print([*a, *b], {**{"x": 1}, **{"y": 2}}, (*a,), {*a, *b})
lines = iter(["one", "two", ""])
out = []
while (line := next(lines)):
    out.append(line.upper())
print(out)
print(*["x", "y", "z"], sep="\n")
print(heapq.nlargest(2, [5, 1, 9, 3]), heapq.nsmallest(2, [5, 1, 9, 3]), list(itertools.chain.from_iterable([[1], [2, 3]])))
class P:
    def __init__(self, name, age):
        self.name, self.age = name, age
    def __repr__(self):
        return f"P({self.name}, {self.age})"
people = [P("a", 30), P("b", 20), P("c", 30)]
print(sorted(people, key=attrgetter("age")), sorted(people, key=lambda p: (-p.age, p.name)))
groups = collections.defaultdict(list)
for p in people:
    groups[p.age].append(p.name)
print(dict(groups), {k: len(v) for k, v in groups.items()})
print(functools.reduce(lambda x, y: x * y, range(1, 8)), math.prod(range(1, 8)), math.comb(5, 2))
s = "Hello, World! Hello!"
print(s.count("Hello"), s.replace("Hello", "Bye", 1), s.title().swapcase(), s[::2], s.split(",", maxsplit=1))
print([i for i, c in enumerate(s) if c == "l"], "".join(sorted(set(s.lower()) - set(" ,!"))))
nums = [3, 1, 4, 1, 5, 9, 2, 6]
print(sorted(nums, reverse=True)[:3], nums.index(max(nums)), sum(x * x for x in nums if x % 2), list(filter(None, [0, 1, 2])))
print(round(sum(nums) / len(nums), 2), divmod(sum(nums), len(nums)), f"{sum(nums) / len(nums):.3f}")
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
print(list(itertools.islice(fib(), 10)), list(itertools.takewhile(lambda x: x < 50, fib())))
print(isinstance(3.0, (int, float)), type(3) in (int, float), callable(len), hasattr([], "append"))
t = (1, 2, 3)
x, *rest = t
print(x, rest, t[::-1], t * 2, sum(t) / len(t))
print(" ".join(f"{k}={v}" for k, v in sorted(d.items())), [c for c in "abc" if c != "b"])
print(sorted("bca"), "".join(reversed("abc")), "abc"[::-1] == "cba", ord("a") + 1, chr(ord("a") + 1))
print(bin(10)[2:].zfill(8), int("1010", 2), hex(255)[2:], f"{255:08b}", f"{3.5:e}")
print(list(map(lambda t: t[0] * t[1], zip([1, 2], [3, 4]))), dict(enumerate("ab")), list(range(10))[2:8:2])
print(any(c.isdigit() for c in "a1"), all(len(w) > 1 for w in ["ab", "c"]), max([], default=0), min("bca"))
st = []
for ch in "({[]})":
    if ch in "({[":
        st.append(ch)
    elif st and {"(": ")", "{": "}", "[": "]"}[st[-1]] == ch:
        st.pop()
print("balanced" if not st else "unbalanced")
cache = {}
def memo_fact(n):
    if n in cache:
        return cache[n]
    r = 1 if n < 2 else n * memo_fact(n - 1)
    cache[n] = r
    return r
print(memo_fact(30), len(cache))
print(sorted([(1, "b"), (1, "a"), (0, "z")]), sorted(["b", "A", "c"], key=str.lower), sorted([-3, 2, -1], key=abs))
