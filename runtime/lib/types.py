"""Names for builtin types and SimpleNamespace."""
import sys as _sys


def _f():
    pass


FunctionType = type(_f)
LambdaType = type(lambda: None)
BuiltinFunctionType = type(len)
BuiltinMethodType = type([].append)
MethodType = type(_f.__get__) if False else None
ModuleType = type(_sys)


def _g():
    yield 1


GeneratorType = type(_g())


class _C:
    def _m(self):
        pass


MethodType = type(_C()._m)
NoneType = type(None)


class SimpleNamespace:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def __repr__(self):
        items = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"namespace({items})"

    def __eq__(self, other):
        return isinstance(other, SimpleNamespace) and self.__dict__ == other.__dict__


class GenericAlias:
    """`C[args]` as a value (what `__class_getitem__ = classmethod(GenericAlias)` makes)."""

    def __init__(self, origin, args):
        self.__origin__ = origin
        self.__args__ = args if isinstance(args, tuple) else (args,)

    def __call__(self, *args, **kwargs):
        return self.__origin__(*args, **kwargs)

    def __repr__(self):
        def name(a):
            if isinstance(a, type):
                if a.__module__ == "builtins":
                    return a.__qualname__
                return f"{a.__module__}.{a.__qualname__}"
            return repr(a)
        return f"{name(self.__origin__)}[{', '.join(name(a) for a in self.__args__)}]"

    def __eq__(self, other):
        if not isinstance(other, GenericAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__args__ == other.__args__

    def __hash__(self):
        return hash(self.__origin__) ^ hash(self.__args__)
