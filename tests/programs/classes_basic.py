# Classes: __init__, methods, class attributes, inheritance, super().
class Animal:
    kingdom = "animalia"
    count = 0
    def __init__(self, name):
        self.name = name
        Animal.count += 1
    def speak(self):
        return f"{self.name} makes a sound"
    def describe(self):
        return f"{self.name} ({type(self).__name__}) says: {self.speak()}"

class Dog(Animal):
    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed
    def speak(self):
        return "Woof"

class Puppy(Dog):
    def speak(self):
        return super().speak() + "!"

a = Animal("generic")
d = Dog("Rex", "lab")
p = Puppy("Bit", "pug")
for x in (a, d, p):
    print(x.describe())
print(Animal.count, d.kingdom, Dog.kingdom, p.breed)
print(isinstance(p, Dog), isinstance(p, Animal), isinstance(a, Dog), issubclass(Puppy, Animal), issubclass(Animal, Dog))
print(type(p) is Puppy, type(p).__name__, Puppy.__mro__ == (Puppy, Dog, Animal, object))
print([c.__name__ for c in Puppy.__mro__], Puppy.__bases__[0].__name__)
d.kingdom = "changed"
print(d.kingdom, Animal.kingdom, hasattr(d, "breed"), getattr(d, "nope", "default"))
setattr(d, "age", 3)
print(d.age, d.__dict__)
delattr(d, "age")
print(hasattr(d, "age"))
class Empty:
    pass
e = Empty()
e.x = 1
print(e.x, isinstance(e, object), Empty.__name__, Empty.__qualname__)
print(Dog.speak(d), Animal.speak(d))
try:
    e.missing
except AttributeError as err:
    print("AttributeError:", err)
try:
    Empty(1)
except TypeError as err:
    print("TypeError:", err)
class Point:
    def __init__(self, x=0, y=0):
        self.x, self.y = x, y
pts = [Point(i, i * i) for i in range(4)]
print([(q.x, q.y) for q in pts])
print(str(Empty()).startswith("<__main__.Empty object at 0x"))
