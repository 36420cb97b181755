# Function annotations: evaluated at def time, kept in __annotations__ (CPython 3.11 order).
def f(a: int, b: "str" = "x", /, c: float = 1.0, *args: bytes, d: list, e=2, **kw: dict) -> None:
    pass
print(f.__annotations__)

def g(): pass
print(g.__annotations__, g.__annotations__ is g.__annotations__)
g.__annotations__ = {"z": 1}
print(g.__annotations__)

order = []
def note(x):
    order.append(x)
    return x
def h(p: note("p") = note("default"), *, q: note("q") = note("kwdefault")) -> note("ret"):
    pass
print(order, h.__annotations__)

class K:
    def m(self, __private: int) -> "K":
        return self
    x: int = 3
print(K.m.__annotations__, K.__annotations__)

lam = lambda x: x
print(lam.__annotations__)

def deco(fn):
    return fn
@deco
def decorated(x: tuple[int, ...]) -> dict[str, int]:
    return {}
print(decorated.__annotations__)

def closure():
    T = list
    def inner(v: T) -> T:
        return v
    return inner
print(closure().__annotations__)

async def coro(x: int) -> str:
    return ""
print(coro.__annotations__)
import functools
@functools.wraps(f)
def wrapper(*a, **k): pass
print(wrapper.__annotations__ == f.__annotations__)
