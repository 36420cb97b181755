# Generator pipelines, infinite generators, generator state.
def naturals():
    n = 1
    while True:
        yield n
        n += 1
def take(n, it):
    for i, v in enumerate(it):
        if i >= n:
            return
        yield v
def squares(it):
    for v in it:
        yield v * v
def evens(it):
    return (v for v in it if v % 2 == 0)
print(list(take(5, evens(squares(naturals())))))
def running_avg():
    total = 0.0
    count = 0
    avg = None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count
ra = running_avg()
next(ra)
print([ra.send(v) for v in [10, 20, 30, 40]])
def flatten(x):
    if isinstance(x, list):
        for item in x:
            yield from flatten(item)
    else:
        yield x
print(list(flatten([1, [2, [3, [4, 5]], 6], [[7]]])))
def gen_return():
    yield 1
    return 99
g = gen_return()
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("return value", e.value)
def delegator():
    result = yield from gen_return()
    yield result
print(list(delegator()))
def counter():
    i = 0
    try:
        while True:
            yield i
            i += 1
    finally:
        print("counter finalized at", i)
c = counter()
for v in c:
    if v == 3:
        break
c.close()
print("after close")
def abandoned():
    try:
        yield "x"
    finally:
        print("abandoned cleanup")
a = abandoned()
next(a)
a = None
print("after drop")
def lazy():
    print("started")
    yield 1
l = lazy()
print("created")
print(next(l))
