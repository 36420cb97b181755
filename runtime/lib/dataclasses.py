"""Data classes: generated __init__, __repr__, __eq__ (and ordering, frozen) from the
class's annotations."""

MISSING = object()


class FrozenInstanceError(AttributeError):
    pass


class Field:
    def __init__(self, default=MISSING, default_factory=MISSING, init=True, repr=True,
                 compare=True, hash=None, kw_only=False):
        self.name = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.hash = hash
        self.kw_only = kw_only

    def __repr__(self):
        return f"Field(name={self.name!r},default={self.default!r})"


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, compare=True,
          hash=None, kw_only=False, metadata=None):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError('cannot specify both default and default_factory')
    return Field(default, default_factory, init, repr, compare, hash, kw_only)


def _fields_of(cls):
    fields = {}
    for base in reversed(cls.__mro__[1:]):
        for f in getattr(base, "__dataclass_fields__", {}).values():
            fields[f.name] = f
    ann = cls.__dict__.get("__annotations__", {})
    for name in ann:
        default = cls.__dict__.get(name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            f = Field(default=default)
        f.name = name
        fields[name] = f
        if isinstance(default, Field):
            if f.default is MISSING:
                try:
                    delattr(cls, name)
                except AttributeError:
                    pass
            else:
                setattr(cls, name, f.default)
    return fields


def dataclass(cls=None, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False,
              frozen=False, match_args=True, kw_only=False, slots=False):
    def wrap(cls):
        return _process(cls, init, repr, eq, order, unsafe_hash, frozen, match_args)
    if cls is None:
        return wrap
    return wrap(cls)


def _process(cls, init, repr_, eq, order, unsafe_hash, frozen, match_args):
    fields = _fields_of(cls)
    cls.__dataclass_fields__ = fields
    flist = list(fields.values())
    if match_args and "__match_args__" not in cls.__dict__:
        cls.__match_args__ = tuple(f.name for f in flist if f.init)
    if init:
        def __init__(self, *args, **kwargs):
            init_fields = [f for f in flist if f.init]
            if len(args) > len(init_fields):
                raise TypeError(f"__init__() takes {len(init_fields) + 1} positional arguments but {len(args) + 1} were given")
            for i, f in enumerate(init_fields):
                if i < len(args):
                    value = args[i]
                    if f.name in kwargs:
                        raise TypeError(f"__init__() got multiple values for argument '{f.name}'")
                elif f.name in kwargs:
                    value = kwargs.pop(f.name)
                elif f.default is not MISSING:
                    value = f.default
                elif f.default_factory is not MISSING:
                    value = f.default_factory()
                else:
                    raise TypeError(f"__init__() missing 1 required positional argument: '{f.name}'")
                object.__setattr__(self, f.name, value)
            if kwargs:
                raise TypeError(f"__init__() got an unexpected keyword argument '{next(iter(kwargs))}'")
            for f in flist:
                if not f.init:
                    if f.default_factory is not MISSING:
                        object.__setattr__(self, f.name, f.default_factory())
                    elif f.default is not MISSING:
                        object.__setattr__(self, f.name, f.default)
            post = getattr(self, "__post_init__", None)
            if post is not None:
                post()
        cls.__init__ = __init__
    if repr_ and "__repr__" not in cls.__dict__:
        def __repr__(self):
            inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in flist if f.repr)
            return f"{type(self).__qualname__}({inner})"
        cls.__repr__ = __repr__

    def _key(self):
        return tuple(getattr(self, f.name) for f in flist if f.compare)
    if eq and "__eq__" not in cls.__dict__:
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return _key(self) == _key(other)
            return NotImplemented
        cls.__eq__ = __eq__
        if not unsafe_hash and not frozen:
            cls.__hash__ = None
    if order:
        for name, op in [("__lt__", lambda a, b: a < b), ("__le__", lambda a, b: a <= b),
                         ("__gt__", lambda a, b: a > b), ("__ge__", lambda a, b: a >= b)]:
            def make(op):
                def cmp(self, other):
                    if other.__class__ is self.__class__:
                        return op(_key(self), _key(other))
                    return NotImplemented
                return cmp
            setattr(cls, name, make(op))
    if frozen:
        def __setattr__(self, name, value):
            raise FrozenInstanceError(f"cannot assign to field '{name}'")
        cls.__setattr__ = __setattr__
        cls.__hash__ = lambda self: hash(_key(self))
    elif unsafe_hash:
        cls.__hash__ = lambda self: hash(_key(self))
    return cls


def fields(obj):
    return tuple(obj.__dataclass_fields__.values())


def asdict(obj):
    return {f.name: _asdict_inner(getattr(obj, f.name)) for f in fields(obj)}


def _asdict_inner(v):
    if hasattr(v, "__dataclass_fields__"):
        return asdict(v)
    if isinstance(v, list):
        return [_asdict_inner(x) for x in v]
    if isinstance(v, tuple):
        return tuple(_asdict_inner(x) for x in v)
    if isinstance(v, dict):
        return {k: _asdict_inner(x) for k, x in v.items()}
    return v


def astuple(obj):
    return tuple(getattr(obj, f.name) for f in fields(obj))


def replace(obj, **changes):
    kw = {f.name: getattr(obj, f.name) for f in fields(obj) if f.init}
    kw.update(changes)
    return obj.__class__(**kw)


def is_dataclass(obj):
    return hasattr(obj, "__dataclass_fields__")
