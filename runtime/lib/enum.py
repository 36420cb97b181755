"""Enumerations: Enum, IntEnum, Flag, IntFlag, auto, unique (with a metaclass, like
CPython's enum module)."""

_auto_null = object()


class auto:
    def __init__(self):
        self.value = _auto_null


def _is_descriptor(obj):
    return hasattr(obj, "__get__") or hasattr(obj, "__set__") or hasattr(obj, "__delete__")


def _is_member_name(name, value):
    if name.startswith("_"):
        return False
    if isinstance(value, auto):
        return True
    if callable(value) or isinstance(value, (staticmethod, classmethod, property)):
        return False
    return True


class EnumMeta(type):
    def __new__(mcls, name, bases, ns, **kwds):
        members = [(k, v) for k, v in list(ns.items()) if _is_member_name(k, v)]
        for k, _ in members:
            del ns[k]
        cls = super().__new__(mcls, name, bases, ns)
        cls._member_map_ = {}
        cls._value2member_map_ = {}
        cls._member_names_ = []
        base_type = None
        for b in cls.__mro__[1:]:
            if b in (int, str):
                base_type = b
                break
        last_values = []
        for mname, value in members:
            if isinstance(value, auto):
                value = cls._generate_next_value_(mname, 1, len(cls._member_names_), last_values[:])
            last_values.append(value)
            if value in cls._value2member_map_:
                member = cls._value2member_map_[value]
            else:
                if base_type is int:
                    member = int.__new__(cls, value)
                elif base_type is str:
                    member = str.__new__(cls, value)
                else:
                    member = object.__new__(cls)
                member._name_ = mname
                member._value_ = value
                cls._value2member_map_[value] = member
                cls._member_names_.append(mname)
            cls._member_map_[mname] = member
            type.__setattr__(cls, mname, member)
        return cls

    def __iter__(cls):
        return (cls._member_map_[n] for n in cls._member_names_)

    def __reversed__(cls):
        return (cls._member_map_[n] for n in reversed(cls._member_names_))

    def __len__(cls):
        return len(cls._member_names_)

    def __getitem__(cls, name):
        return cls._member_map_[name]

    def __contains__(cls, member):
        return isinstance(member, cls) and member._name_ in cls._member_map_

    def __call__(cls, value, *args, **kwargs):
        if args or kwargs:
            raise TypeError("stitch does not support the functional Enum API yet")
        if isinstance(value, cls):
            return value
        try:
            return cls._value2member_map_[value]
        except (KeyError, TypeError):
            pass
        raise ValueError(f"{value!r} is not a valid {cls.__qualname__}")

    def __repr__(cls):
        return f"<enum {cls.__name__!r}>"

    @property
    def __members__(cls):
        return dict(cls._member_map_)


class Enum(metaclass=EnumMeta):
    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        for last in reversed(last_values):
            try:
                return last + 1
            except TypeError:
                pass
        return start

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_

    def __repr__(self):
        return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"

    def __str__(self):
        return f"{type(self).__name__}.{self._name_}"

    def __format__(self, spec):
        return format(str(self), spec)

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return self.__class__, (self._value_,)


def _simple_enum(etype=Enum, *, boundary=None, use_args=None):
    """The class decorator CPython's own modules (`ast`, `re`, `http`) use to build an
    `etype` enum from a plain class body; here the metaclass builds it as usual."""

    def convert(cls):
        ns = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
        return EnumMeta(cls.__name__, (etype,), ns)

    return convert


class IntEnum(int, Enum):
    def __str__(self):
        return int.__repr__(self)

    def __format__(self, spec):
        return format(self._value_, spec)

    def __hash__(self):
        return hash(self._value_)


class StrEnum(str, Enum):
    def __str__(self):
        return self._value_


class Flag(Enum):
    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        if not count:
            return 1
        high = max(last_values)
        return 2 ** high.bit_length()


class IntFlag(int, Flag):
    pass


def unique(enumeration):
    duplicates = [name for name, member in enumeration.__members__.items() if name != member.name]
    if duplicates:
        alias_details = ", ".join(f"{alias} -> {enumeration.__members__[alias].name}" for alias in duplicates)
        raise ValueError(f"duplicate values found in {enumeration!r}: {alias_details}")
    return enumeration
