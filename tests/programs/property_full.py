class Person:
    def __init__(self, first, last):
        self.first = first
        self.last = last
    @property
    def full(self):
        """The full name."""
        return f"{self.first} {self.last}"
    @full.setter
    def full(self, value):
        self.first, self.last = value.split(" ", 1)
    @full.deleter
    def full(self):
        print("deleting")
        self.first = self.last = ""
p = Person("Ada", "Lovelace")
print(p.full)
p.full = "Grace Hopper"
print(p.first, p.last, p.full)
del p.full
print(repr(p.full))
print(Person.full.__doc__, type(Person.full).__name__)
class Lazy:
    def __init__(self):
        self.computed = 0
    @property
    def value(self):
        self.computed += 1
        return 42
lz = Lazy()
print(lz.value, lz.value, lz.computed)
class ReadOnly:
    x = property(lambda self: "fixed")
try:
    ReadOnly().x = 1
except AttributeError as e:
    print("AttributeError:", e)
