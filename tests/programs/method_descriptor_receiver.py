# A builtin type's method called unbound checks its receiver, as CPython's method
# descriptors and slot wrappers do.


def show(f):
    try:
        print(f())
    except TypeError as e:
        print("TypeError:", e)


show(lambda: list.append(1, 2))
show(lambda: list.append())
show(lambda: dict.keys(3))
show(lambda: str.upper(3))
show(lambda: list.__len__(3))
show(lambda: list.__len__())
show(lambda: int.__add__("a", 1))
show(lambda: dict.__getitem__(3, 3))
show(lambda: set.__contains__([], 1))


class L(list):
    pass


xs = L()
show(lambda: list.append(xs, 3))
print(xs, object.__repr__(xs)[:7], dict.fromkeys("ab"), str.maketrans("a", "b"))


class FakeStr:
    __class__ = str


print(isinstance(FakeStr(), str))
show(lambda: str.split(FakeStr()))
show(lambda: str.__add__(FakeStr(), "abc"))


class A(int):
    __eq__ = str.__eq__
    __add__ = str.__add__


a = A()
show(lambda: a == a)
show(lambda: a + a)


class Y:
    append = list.append


show(lambda: Y().append(1))
for i in range(100):  # the specialized call paths check too
    try:
        list.append(i, i)
    except TypeError:
        pass
    else:
        print("no error")
print("done")
