# Generators and coroutines resumed by FOR_ITER / SEND in their caller's loop:
# yield, return, send, yield from, exceptions (PEP 479), exc_info, f_back, gi_running,
# close on break, await chains, recursion limits, re-entry.
def g(n):
    for i in range(n):
        yield i
    return "done"

def sub():
    x = yield 1
    print("sub got", x)
    y = yield 2
    return x, y

def deleg():
    r = yield from sub()
    print("deleg result", r)
    yield from g(3)

print(list(g(5)))
tot = 0
for x in g(10):
    tot += x
print(tot)
d = deleg()
print(next(d)); print(d.send("a")); print(d.send("b")); print(list(d))

def bad():
    yield 1
    raise StopIteration
try:
    for x in bad():
        print("bad", x)
except RuntimeError as e:
    print("RT", e, type(e.__cause__))

def raiser():
    yield 1
    1/0
import traceback
try:
    for x in raiser(): pass
except ZeroDivisionError:
    traceback.print_exc()

def rec(n):
    if n:
        yield n
        yield from rec(n-1)
print(list(rec(50)))
def tree(n):
    if n == 0:
        yield 0
        return
    for x in tree(n-1):
        yield x + 1
print(sum(tree(100)))

# exc state inside generator
def excg():
    try:
        raise KeyError("k")
    except KeyError:
        yield 1
        import sys
        print("inside", repr(sys.exc_info()[1]))
        yield 2
for x in excg():
    import sys
    print("outside", x, sys.exc_info())

# gi_running and f_back
import sys
def fr():
    f = sys._getframe()
    print(f.f_back.f_code.co_name, gg.gi_running)
    yield 1
def caller():
    for x in gg: pass
gg = fr()
caller()

# close / early break
def cl():
    try:
        yield 1
        yield 2
    finally:
        print("closed")
for x in cl():
    break
print("after")

# deep recursion error
def deep(n):
    yield from deep(n+1)
try:
    next(deep(0))
except RecursionError as e:
    print("recursion", e)

# running generator re-entry
def reent():
    yield next(r)
r = reent()
try:
    for x in r: pass
except ValueError as e:
    print(e)
