# Generators: yield, send, yield from, return values, close.
def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
print(list(count(5)), sum(count(101)), max(count(3)))
g = count(2)
print(next(g), next(g), next(g, "done"))
try:
    next(g)
except StopIteration:
    print("StopIteration")
def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            break
        received.append(x)
    return received
e = echo()
print(next(e), e.send("a"), e.send("b"))
try:
    e.send(None)
except StopIteration as s:
    print("returned", s.value)
def inner():
    yield 1
    yield 2
    return "inner-result"
def outer():
    r = yield from inner()
    print("inner returned", r)
    yield from [10, 20]
    yield from (x * x for x in range(3))
print(list(outer()))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(15)])
def with_finally():
    try:
        yield 1
        yield 2
    finally:
        print("generator cleanup")
w = with_finally()
print(next(w))
w.close()
print("closed")
gen = (x * 2 for x in range(4))
print(list(gen), list(gen))
print(sum(x for x in range(10) if x % 2), any(x > 3 for x in range(5)), all(x < 3 for x in range(5)))
def gen_exc():
    try:
        yield 1
    except ValueError as e:
        yield f"caught {e}"
ge = gen_exc()
print(next(ge), ge.throw(ValueError("boom")))
def chain(*its):
    for it in its:
        yield from it
print(list(chain("ab", [1], range(2))))
print(type(count(1)).__name__, iter(g) is g)
def squares():
    for i in range(3):
        yield i * i
for s in squares():
    print("sq", s)
