def make_multipliers():
    return [lambda x, n=n: x * n for n in range(1, 4)]
print([m(10) for m in make_multipliers()])
funcs = []
for i in range(3):
    def f(i=i):
        return i * i
    funcs.append(f)
print([f() for f in funcs])
def counter_gen():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    def get():
        return count
    return inc, get
inc, get = counter_gen()
for _ in range(5):
    inc()
print(get())
def outer(x):
    def middle(y):
        def inner(z):
            return x + y + z
        return inner
    return middle
print(outer(1)(2)(3), outer("a")("b")("c"))
adders = {}
for name, delta in [("one", 1), ("ten", 10)]:
    adders[name] = (lambda d: lambda v: v + d)(delta)
print(adders["one"](5), adders["ten"](5))
