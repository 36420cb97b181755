# weakref.ref takes no keywords, but a subclass whose __init__ takes some can be
# made; ref.__init__ checks its arguments (CPython's weakref___new__/__init__).
import weakref


class Obj:
    pass


class MyRef(weakref.ref):
    def __init__(self, ob, callback=None, value=42):
        self.value = value
        super().__init__(ob, callback)


o = Obj()
r = MyRef(o, value=24)
print(r() is o, r.value)
try:
    weakref.ref(o, foo=1)
except TypeError as e:
    print("TypeError:", e)
plain = weakref.ref(o)
for args in ((0, 0, 0, 0, 0), ()):
    try:
        plain.__init__(*args)
    except TypeError as e:
        print("TypeError:", e)
print(plain.__init__(o))
del o
print(r(), plain())
