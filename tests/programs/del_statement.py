x = 1
del x
try:
    x
except NameError as e:
    print("NameError:", e)
class O:
    pass
o = O()
o.a = 1
o.b = 2
del o.a
print(hasattr(o, "a"), o.b)
d = {"k": 1, "j": 2}
del d["k"]
print(d)
l = [0, 1, 2, 3, 4, 5]
del l[1], l[2]
print(l)
del l[:]
print(l)
a, b, c = 1, 2, 3
del a, (b, c)
print("a" in dir(), "b" in dir())
try:
    del d["missing"]
except KeyError as e:
    print("KeyError:", e)
try:
    del o.zzz
except AttributeError as e:
    print("AttributeError:", e)
def f():
    v = 5
    del v
    return "ok"
print(f())
