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


class S:
    __slots__ = ("a",)


class S2:
    __slots__ = ("b",)


try:
    o.__class__ = S
except TypeError as e:
    print(e)
s = S()
try:
    s.__class__ = S2
except TypeError as e:
    print(e)


class Fin(C):
    def __del__(self):
        print("Fin.__del__", self.x)


f = D(7)
f.__class__ = Fin  # the new class's __del__ runs when it dies
del f
print("after del")

# With another thread running (the swap stops the world).
import threading

stop = threading.Event()
th = threading.Thread(target=stop.wait)
th.start()
q = D(3)
q.__class__ = E
print(type(q).__name__, q.m(1))
stop.set()
th.join()
