"""Type hints: names only, for annotations (stitch does not check types)."""


class _Special:
    def __init__(self, name):
        self._name = name

    def __getitem__(self, params):
        return self

    def __call__(self, *args, **kwargs):
        return args[0] if args else None

    def __repr__(self):
        return "typing." + self._name

    def __or__(self, other):
        return self

    def __ror__(self, other):
        return self


Any = _Special("Any")
Union = _Special("Union")
Optional = _Special("Optional")
List = _Special("List")
Dict = _Special("Dict")
Set = _Special("Set")
FrozenSet = _Special("FrozenSet")
Tuple = _Special("Tuple")
Callable = _Special("Callable")
Iterable = _Special("Iterable")
Iterator = _Special("Iterator")
Generator = _Special("Generator")
Sequence = _Special("Sequence")
Mapping = _Special("Mapping")
MutableMapping = _Special("MutableMapping")
Type = _Special("Type")
ClassVar = _Special("ClassVar")
Final = _Special("Final")
Literal = _Special("Literal")
NoReturn = _Special("NoReturn")
Deque = _Special("Deque")
DefaultDict = _Special("DefaultDict")
Counter = _Special("Counter")
Awaitable = _Special("Awaitable")
Coroutine = _Special("Coroutine")
AnyStr = _Special("AnyStr")
Hashable = _Special("Hashable")
Sized = _Special("Sized")
TYPE_CHECKING = False


def TypeVar(name, *constraints, bound=None, covariant=False, contravariant=False):
    return _Special(name)


def NewType(name, tp):
    return lambda x: x


def cast(typ, val):
    return val


def overload(func):
    return func


def final(f):
    return f


def no_type_check(f):
    return f


def get_type_hints(obj):
    return dict(getattr(obj, "__annotations__", {}))


class Generic:
    def __class_getitem__(cls, params):
        return cls


class Protocol:
    def __class_getitem__(cls, params):
        return cls


class NamedTuple:
    pass
