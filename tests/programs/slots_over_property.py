# A subclass's __slots__ member descriptor wins over a base's read-only property of the
# same name (sympy's Pow), and the reverse: a subclass's property wins over a base slot.
class Base:
    __slots__ = ()
    @property
    def exp(self):
        return "base property"
class Pow(Base):
    __slots__ = ("exp",)
    def __init__(self, e):
        self.exp = e
for i in range(3):
    p = Pow(i)
    print(p.exp, type(Pow.__dict__["exp"]).__name__)
class Rev:
    __slots__ = ("val",)
class RevSub(Rev):
    @property
    def val(self):
        return "prop"
r = RevSub()
print(r.val)
try:
    r.val = 3
except AttributeError as e:
    print("AttributeError", e)
class D:
    pass
class E(D):
    __slots__ = ()
    @property
    def q(self): return 1
try:
    E().q = 2
except AttributeError as e:
    print("AttributeError", e)
