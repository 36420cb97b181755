# Inheritance details: method resolution, overriding, class vs instance attributes.
class Base:
    greeting = "hello"
    def __init__(self):
        self.items = []
    def greet(self):
        return f"{self.greeting} from {self.name()}"
    def name(self):
        return "Base"
    def add(self, x):
        self.items.append(x)
        return self
class Child(Base):
    greeting = "hi"
    def name(self):
        return "Child"
class GrandChild(Child):
    def __init__(self, extra):
        super().__init__()
        self.extra = extra
    def greet(self):
        return super().greet().upper() + "!"
g = GrandChild(5)
g.add(1).add(2)
print(g.greet(), g.items, g.extra, Child().greet(), Base().greet())
class A:
    def who(self):
        return "A"
class B(A):
    def who(self):
        return "B" + super().who()
class C(A):
    def who(self):
        return "C" + super().who()
class D(B, C):
    def who(self):
        return "D" + super().who()
print(D().who(), [k.__name__ for k in D.__mro__])
class Shape:
    def area(self):
        raise NotImplementedError("subclass must implement")
class Sq(Shape):
    def __init__(self, s):
        self.s = s
    def area(self):
        return self.s ** 2
try:
    Shape().area()
except NotImplementedError as e:
    print("NotImplementedError:", e)
print(Sq(4).area(), isinstance(Sq(1), Shape))
class Meta:
    count = 0
    @classmethod
    def make(cls):
        cls.count += 1
        return cls()
class Sub(Meta):
    pass
Sub.make(); Sub.make(); Meta.make()
print(Meta.count, Sub.count)
class WithStr:
    def __str__(self):
        return "as-str"
w = WithStr()
print(str(w), f"{w}", "%s" % w, repr(w).startswith("<__main__.WithStr"))
class Init:
    def __init__(self, a, b=2, *rest, key=None):
        self.v = (a, b, rest, key)
print(Init(1).v, Init(1, 3, 4, 5, key="k").v)
