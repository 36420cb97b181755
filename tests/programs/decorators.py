# Decorators: functions returning wrappers, with arguments, stacked, on methods.
def trace(f):
    def wrapper(*args, **kwargs):
        print("calling", f.__name__, args, kwargs)
        r = f(*args, **kwargs)
        print("returned", r)
        return r
    return wrapper
@trace
def add(a, b=0):
    return a + b
add(1, b=2)
def repeat(n):
    def deco(f):
        def wrapper(*a):
            return [f(*a) for _ in range(n)]
        return wrapper
    return deco
@repeat(3)
def hello(name):
    return "hi " + name
print(hello("bob"))
def bold(f):
    return lambda: "<b>" + f() + "</b>"
def italic(f):
    return lambda: "<i>" + f() + "</i>"
@bold
@italic
def text():
    return "t"
print(text())
registry = {}
def register(name):
    def deco(f):
        registry[name] = f
        return f
    return deco
@register("sq")
def square(x):
    return x * x
print(registry["sq"](7), square(3))
def memo(f):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = f(n)
        return cache[n]
    return wrapper
@memo
def slow_fib(n):
    return n if n < 2 else slow_fib(n - 1) + slow_fib(n - 2)
print(slow_fib(60))
class Svc:
    def __repr__(self):
        return "Svc()"
    @trace
    def run(self, x):
        return x * 2
Svc().run(21)
