# types.CellType: constructed, its contents read, set and deleted, compared by
# contents (an empty cell first) and unhashable; functions' __name__/__qualname__ must
# stay strs, __dict__ cannot be deleted, and no object's __class__ can be.
import types


def t(f, *a, **k):
    try:
        print(repr(f(*a, **k)))
    except Exception as e:
        print(type(e).__name__, e)


C = types.CellType
t(C, 1, 2)
t(C, x=1)
c = C(1)
print(c.cell_contents)
c.cell_contents = 9
print(c.cell_contents)
del c.cell_contents
t(getattr, c, "cell_contents")
t(delattr, c, "cell_contents")
print(repr(C()).endswith(": empty>"), repr(C(1.5)).split(": ")[1].startswith("float object at"))
print(C(2) < C(3), C(2) == C(2), C() < C(1), C() == C(), C(1) > C(), C(1) != C(2),
      C(3) >= C(3), C(-36) == C(-36.0), C(True) > C())
t(lambda: C(1) < C("a"))
t(hash, C(1))
print(C(1).__eq__(1), C(1).__lt__(C(2)))


def outer():
    a = 12

    def f():
        return a
    f.__closure__[0].cell_contents = 9
    return f(), a


print(outer())


def b():
    pass


class F:
    def a(self):
        pass


m = F().a
t(setattr, b, "__dict__", None)
t(delattr, b, "__dict__")
t(setattr, b, "__name__", 7)
t(delattr, b, "__name__")
t(setattr, b, "__qualname__", 7)
t(delattr, b, "__qualname__")
t(setattr, m, "__class__", F)
t(delattr, m, "__class__")
t(setattr, b, "__class__", F)
t(delattr, F(), "__class__")
print(float.__getformat__.__qualname__, dict.fromkeys.__qualname__)
