def g():
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print("got GeneratorExit")
        raise
    finally:
        print("finally")
x = g()
print(next(x))
x.close()
print("closed once")
x.close()
print("closed twice")
def unstarted():
    print("never printed")
    yield
u = unstarted()
u.close()
print("unstarted closed")
def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield "refuse"
s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    print("RuntimeError:", e)
def exhausted():
    yield 1
e = exhausted()
print(list(e))
e.close()
print(next(e, "done"))
def thrower():
    while True:
        try:
            yield
        except ValueError as err:
            print("handled", err)
t = thrower()
next(t)
t.throw(ValueError("one"))
t.throw(ValueError("two"))
try:
    t.throw(KeyError("unhandled"))
except KeyError as err:
    print("propagated", repr(err))
