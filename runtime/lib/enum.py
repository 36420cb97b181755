"""Enumerations. stitch has no metaclasses yet, so `Enum` subclasses are turned into
enumerations when first used through `__init_subclass__`: members become instances,
`Color.RED`, `Color(1)`, `Color["RED"]`, iteration via `list(Color)` is `Color.members()`...
"""


class _EnumMeta:
    pass


_auto_counter = [0]


class auto:
    def __init__(self):
        _auto_counter[0] += 1
        self._order = _auto_counter[0]
        self.value = None


class Enum:
    _member_map_ = {}
    _value2member_map_ = {}
    _member_names_ = []

    def __init_subclass__(cls, **kwargs):
        cls._member_map_ = {}
        cls._value2member_map_ = {}
        cls._member_names_ = []
        last = 0
        for name, value in list(cls.__dict__.items()):
            if name.startswith("_") or callable(value) and not isinstance(value, auto) \
                    or isinstance(value, (staticmethod, classmethod, property)):
                continue
            if isinstance(value, auto):
                value = cls._generate_next_value_(name, 1, len(cls._member_names_), [last] if cls._member_names_ else [])
            member = object.__new__(cls)
            object.__setattr__(member, "_name_", name)
            object.__setattr__(member, "_value_", value)
            if value in cls._value2member_map_:
                member = cls._value2member_map_[value]
            else:
                cls._value2member_map_[value] = member
                cls._member_names_.append(name)
            cls._member_map_[name] = member
            setattr(cls, name, member)
            if isinstance(value, int):
                last = value

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return (last_values[-1] + 1) if last_values else start

    def __new__(cls, value=None):
        if isinstance(value, cls):
            return value
        try:
            return cls._value2member_map_[value]
        except (KeyError, TypeError):
            raise ValueError(f"{value!r} is not a valid {cls.__qualname__}") from None

    def __init__(self, *args):
        pass

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

    def __eq__(self, other):
        return self is other

    def __reduce_ex__(self, proto):
        return self.__class__, (self._value_,)

    @classmethod
    def __class_getitem__(cls, name):
        return cls._member_map_[name]

    @classmethod
    def members(cls):
        return [cls._member_map_[n] for n in cls._member_names_]

    @classmethod
    def __iter_members__(cls):
        return iter(cls.members())


class IntEnum(Enum):
    def __int__(self):
        return self._value_

    def __index__(self):
        return self._value_

    def __eq__(self, other):
        if isinstance(other, Enum):
            return self is other
        return self._value_ == other

    def __lt__(self, other):
        return self._value_ < (other._value_ if isinstance(other, Enum) else other)

    def __hash__(self):
        return hash(self._value_)

    def __str__(self):
        return str(self._value_)


class Flag(Enum):
    pass


class IntFlag(IntEnum):
    pass


def unique(enumeration):
    return enumeration
