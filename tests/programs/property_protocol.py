# property as CPython 3.11 builds and copies it: __set_name__ names it in errors, the
# getter's doc (and a copy's new getter's doc), writable __doc__, subclasses keeping
# their doc in the instance, copies through type(self), classmethod chaining __get__.


class C:
    foo = property()


C.bar = property()
for name in ("foo", "bar"):
    for op in ("get", "set", "del"):
        try:
            if op == "get":
                getattr(C(), name)
            elif op == "set":
                setattr(C(), name, 1)
            else:
                delattr(C(), name)
        except AttributeError as e:
            print(e)


class Base:
    @property
    def spam(self):
        """Base.getter"""
        return 1

    @spam.setter
    def spam(self, v):
        pass


class Sub(Base):
    @Base.spam.getter
    def spam(self):
        """Sub.getter"""
        return 2


print(Base.spam.__doc__, Sub.spam.__doc__, Sub().spam)

p = property(lambda s: 1, doc="given")
q = p.getter(lambda s: 2)
print(p.__doc__, q.__doc__)
p.__doc__ = "changed"
print(p.__doc__)
try:
    property(None, fget=len)
except TypeError as e:
    print(e)

for i in (0, 1, 3):
    try:
        property().__set_name__(*([0] * i))
    except TypeError as e:
        print(e)


class PropertySub(property):
    """a subclass"""


class Foo:
    @PropertySub
    def spam(self):
        """first doc"""
        return 1

    @spam.getter
    def spam(self):
        """second doc"""
        return 2


print(type(Foo.spam).__name__, Foo.spam.__doc__, Foo().spam)


class SlotsSub(property):
    __slots__ = ()


try:
    class Bad:
        @SlotsSub
        def spam(self):
            """doc"""
except AttributeError:
    print("AttributeError for slots subclass")


class A:
    @classmethod
    @property
    def __doc__(cls):
        return "doc of %s" % cls.__name__

    @classmethod
    @property
    def name(cls):
        return cls.__name__.lower()


class B(A):
    pass


print(A.__doc__, B.__doc__, A.name, B().name)

named = property(lambda s: 1)
named.__set_name__(C, "zzz")
copy = named.setter(None)
try:
    del C().zzz
except AttributeError as e:
    print(e)
C.zzz = copy
try:
    C().zzz = 3
except AttributeError as e:
    print(e)
