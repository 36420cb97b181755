# Found by the deopt fuzz target: `obj.__class__ = Other` must change the object's
# class (stitch stored '__class__' in the instance dict, so methods and class
# attributes kept coming from the old class).
class C:
    k = 1

    def m(self, v):
        return v + self.k


class D(C):
    def __init__(self, v):
        self.x = v


class E(C):
    k = 4


o = D(1)
print(o.m(0), type(o).__name__)
o.__class__ = E
print(type(o).__name__, o.k, o.m(0), isinstance(o, E), isinstance(o, D), o.x)
print("__class__" in o.__dict__)
# In a hot loop: specialized attribute loads and method calls must see the new class.
t = 0
p = D(0)
for i in range(300):
    t += p.m(i)
    if i == 150:
        p.__class__ = E
print(t)
try:
    o.__class__ = 5
except TypeError as e:
    print(e)
try:
    o.__class__ = int
except TypeError as e:
    print(e)
