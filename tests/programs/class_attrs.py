class Config:
    defaults = {"a": 1}
    version = 1
    def __init__(self):
        self.local = dict(self.defaults)
c1 = Config()
c2 = Config()
Config.version = 2
c1.version = 10
print(Config.version, c1.version, c2.version)
Config.defaults["b"] = 2
print(c1.local, Config().local)
del c1.version
print(c1.version)
class Counter:
    total = 0
    def __init__(self):
        Counter.total += 1
        self.id = Counter.total
objs = [Counter() for _ in range(3)]
print([o.id for o in objs], Counter.total)
class A:
    x = 1
class B(A):
    pass
B.x = 2
print(A.x, B.x)
del B.x
print(B.x)
A.new_method = lambda self: "added later"
print(B().new_method())
print(sorted(k for k in vars(A) if not k.startswith("__")))
class WithDoc:
    """Class docstring."""
    def m(self):
        """Method doc."""
print(WithDoc.__doc__, WithDoc.m.__doc__, WithDoc.__name__, WithDoc.__module__)
