def compose(*fs):
    def composed(x):
        for f in reversed(fs):
            x = f(x)
        return x
    return composed
inc = lambda x: x + 1
dbl = lambda x: x * 2
print(compose(inc, dbl)(5), compose(dbl, inc)(5), compose()(7))
def curry(f):
    def a(x):
        def b(y):
            return f(x, y)
        return b
    return a
print(curry(lambda a, b: a - b)(10)(3))
def accumulate(fn, init):
    state = {"v": init}
    def step(x):
        state["v"] = fn(state["v"], x)
        return state["v"]
    return step
acc = accumulate(lambda a, b: a + b, 0)
print([acc(i) for i in range(5)])
def apply_n(f, n):
    def run(x):
        for _ in range(n):
            x = f(x)
        return x
    return run
print(apply_n(dbl, 10)(1))
def counter_factory():
    counts = {}
    def count(word):
        counts[word] = counts.get(word, 0) + 1
        return counts[word]
    def report():
        return sorted(counts.items())
    return count, report
count, report = counter_factory()
for w in "a b a c a".split():
    count(w)
print(report())
