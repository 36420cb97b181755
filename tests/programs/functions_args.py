# Defaults, keywords, *args, **kwargs, keyword-only, positional-only.
def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))
print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, e=9, d=0))
def g(x, y, /, z=0):
    return x + y + z
print(g(1, 2), g(1, 2, z=3))
def h(*, key):
    return key
print(h(key="k"))
def defaults(a, l=[]):
    l.append(a)
    return l
print(defaults(1), defaults(2))
args = (1, 2)
kwargs = {"z": 10}
print(g(*args, **kwargs), f(*[1, 2, 3], **{"c": 0}))
def varargs(*a, **k):
    return a, k
print(varargs(), varargs(1, x=2), varargs(*"ab", **{"q": 1}))
for call in [lambda: f(), lambda: f(1, 2, c=3, b=4), lambda: g(1), lambda: h(1), lambda: g(1, 2, 3, 4), lambda: g(x=1, y=2), lambda: h(key=1, other=2)]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
def kw_only_missing(a, *, b, c):
    pass
try:
    kw_only_missing(1)
except TypeError as e:
    print("TypeError:", e)
def many(a, b, c):
    pass
try:
    many()
except TypeError as e:
    print("TypeError:", e)
print(f.__name__, (lambda: 0).__name__, g.__defaults__)
def doc():
    "Docstring here."
print(doc.__doc__)
