# `C()` of plain classes with no __init__ (CALL_ALLOC_NO_INIT) in hot loops: the
# instances are fresh and independent; adding __init__, __new__ or abstract methods to
# the class later, calling with arguments, subclasses and slots all behave as before.
class Plain:
    pass


class Slotted:
    __slots__ = ("a",)


class Sub(Plain):
    x = 1


def make(n):
    objs = [Plain() for _ in range(n)]
    subs = [Sub() for _ in range(n)]
    slots = [Slotted() for _ in range(n)]
    for i, o in enumerate(objs):
        o.i = i
    return len({id(o) for o in objs}), sum(o.i for o in objs), subs[-1].x, hasattr(slots[0], "a")


print(make(300))


def changing(n):
    out = []
    for i in range(n):
        out.append(type(Plain()).__name__)
        if i == 100:
            Plain.__init__ = lambda self: setattr(self, "tag", "init")
        if i == 200:
            del Plain.__init__
    return out.count("Plain"), Plain().__dict__


print(changing(300))


def with_args(n):
    errors = 0
    for i in range(n):
        try:
            Plain(i) if i % 50 == 49 else Plain()
        except TypeError as e:
            errors += 1
            msg = str(e)
    return errors, msg


print(with_args(300))


def late_new(n):
    seen = []
    for i in range(n):
        seen.append(type(Sub()).__name__)
        if i == 150:
            Sub.__new__ = lambda cls: "from __new__"
    return seen[-1], seen.count("Sub")


print(late_new(300))


def abstract(n):
    for i in range(n):
        Slotted()
        if i == 100:
            Slotted.__abstractmethods__ = frozenset({"run"})
            try:
                Slotted()
            except TypeError as e:
                return i, str(e)


print(abstract(300))
