"""Abstract base classes for containers: usable as isinstance() targets.

Each ABC recognises builtin types and any class defining the protocol's methods
(structural checks, like CPython's __subclasshook__)."""


def _has(cls, *methods):
    for m in methods:
        for base in cls.__mro__:
            if m in base.__dict__:
                if base.__dict__[m] is None:
                    return False
                break
        else:
            return False
    return True


class _ABC:
    _methods = ()
    _builtins = ()

    @classmethod
    def _check(cls, obj):
        t = type(obj)
        if isinstance(obj, cls._builtins) if cls._builtins else False:
            return True
        return _has(t, *cls._methods) if cls._methods else False

    @classmethod
    def __instancecheck__(cls, obj):
        if cls is _ABC:
            return False
        return cls._check(obj)

    @classmethod
    def __subclasscheck__(cls, sub):
        if cls._builtins and any(b in sub.__mro__ for b in cls._builtins):
            return True
        return _has(sub, *cls._methods) if cls._methods else False


def _make(name, methods, builtins):
    return type(name, (_ABC,), {"_methods": methods, "_builtins": builtins})


Hashable = _make("Hashable", ("__hash__",), (int, float, str, tuple, frozenset, type(None), bool))
Iterable = _make("Iterable", ("__iter__",), (list, tuple, str, dict, set, frozenset, range))
Iterator = _make("Iterator", ("__iter__", "__next__"), ())
Reversible = _make("Reversible", ("__reversed__", "__iter__"), (list, tuple, str, range, dict))
Generator = _make("Generator", ("send", "throw", "close"), ())
Sized = _make("Sized", ("__len__",), (list, tuple, str, dict, set, frozenset, range))
Container = _make("Container", ("__contains__",), (list, tuple, str, dict, set, frozenset, range))
Callable = _make("Callable", ("__call__",), ())
Collection = _make("Collection", ("__len__", "__iter__", "__contains__"), (list, tuple, str, dict, set, frozenset, range))
Sequence = _make("Sequence", ("__getitem__", "__len__"), (list, tuple, str, range))
MutableSequence = _make("MutableSequence", ("__getitem__", "__setitem__", "__delitem__", "__len__", "insert"), (list,))
Set = _make("Set", ("__contains__", "__iter__", "__len__"), (set, frozenset))
MutableSet = _make("MutableSet", ("add", "discard"), (set,))
Mapping = _make("Mapping", ("__getitem__", "__iter__", "__len__", "keys"), (dict,))
MutableMapping = _make("MutableMapping", ("__getitem__", "__setitem__", "__delitem__", "__iter__", "__len__"), (dict,))
MappingView = _make("MappingView", ("__len__",), ())
KeysView = _make("KeysView", ("__len__",), ())
ItemsView = _make("ItemsView", ("__len__",), ())
ValuesView = _make("ValuesView", ("__len__",), ())
Awaitable = _make("Awaitable", ("__await__",), ())
Coroutine = _make("Coroutine", ("send", "throw", "close"), ())
AsyncIterable = _make("AsyncIterable", ("__aiter__",), ())
AsyncIterator = _make("AsyncIterator", ("__aiter__", "__anext__"), ())
