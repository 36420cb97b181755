# A function's own attributes (__kwdefaults__, __defaults__, __doc__, __module__, ...)
# are data descriptors: keys of the same names in its __dict__ never shadow them
# (networkx's argmap copies a wrapped object's __dict__, __kwdefaults__ included, into a
# function's __dict__). Keyword-only defaults are keyed by the parameter's mangled name.


def f(a, *, k=1):
    "the doc"
    return a, k


print(f.__dict__, f.__doc__, f.__module__)
f.__dict__.update({"__kwdefaults__": {"z": 2}, "__defaults__": (5,), "__name__": "nm",
                   "__doc__": "dd", "__module__": "mm", "__qualname__": "qq", "__wrapped__": 3})
print(f.__kwdefaults__, f.__defaults__, f.__name__, f.__doc__, f.__module__, f.__qualname__,
      f.__wrapped__)
print(sorted(f.__dict__))
print(f(1))
f.__kwdefaults__ = {"k": 9}
print(f(1), f.__dict__["__kwdefaults__"])

f.__doc__ = "new doc"
f.__module__ = "elsewhere"
print(f.__doc__, f.__module__, "__doc__" in vars(f), f.__dict__["__doc__"])
del f.__doc__
del f.__module__
print(f.__doc__, f.__module__)
f.__dict__ = {"x": 1}
print(f.x, f.__dict__)
for name, value in [("__dict__", 3), ("__globals__", {}), ("__closure__", None)]:
    try:
        setattr(f, name, value)
    except (TypeError, AttributeError) as e:
        print(type(e).__name__, e)


class argmap:
    def make(self):
        def func(*args, __wrapper=None, **kwargs):
            return __wrapper, args, kwargs

        print(func.__kwdefaults__, func.__code__.co_varnames)
        func.__kwdefaults__["_argmap__wrapper"] = 5
        return func

    def method(self, *, __x=1, y=2):
        return __x, y


g = argmap().make()
print(g(1, 2))
print(argmap.method.__kwdefaults__, argmap().method(_argmap__x=3))


class Resetter:
    """A data descriptor with __set__ only: the instance dict still wins on reads."""

    def __set__(self, obj, value):
        print("set", value)
        obj.__dict__["_node"] = value


class Graph:
    _node = Resetter()


gr = Graph()
print(type(gr._node).__name__)
gr._node = {1: 2}
for _ in range(3):
    print(gr._node, 1 in gr._node)
