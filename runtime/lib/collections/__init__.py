"""Container datatypes: deque, defaultdict, OrderedDict, Counter, namedtuple, ChainMap.

stitch cannot subclass builtin types from Python yet, so the dict-like classes wrap a
dict (isinstance(x, dict) is False for them; everything else behaves like CPython's).
"""
import sys as _sys
from operator import itemgetter as _itemgetter

__all__ = ["deque", "defaultdict", "OrderedDict", "Counter", "namedtuple", "ChainMap"]


# deque, defaultdict and namedtuple's field descriptors are native (stitch's Rust
# `_collections`).
from _collections import deque, defaultdict, _tuplegetter


class OrderedDict(dict):
    def popitem(self, last=True):
        if not self:
            raise KeyError("dictionary is empty")
        key = next(reversed(list(self))) if last else next(iter(self))
        value = dict.pop(self, key)
        return key, value

    def move_to_end(self, key, last=True):
        value = dict.pop(self, key)
        if last:
            dict.__setitem__(self, key, value)
        else:
            rest = list(self.items())
            self.clear()
            dict.__setitem__(self, key, value)
            for k, v in rest:
                dict.__setitem__(self, k, v)

    def copy(self):
        return OrderedDict(self)

    def __eq__(self, other):
        if isinstance(other, OrderedDict):
            return dict.__eq__(self, other) and list(self) == list(other)
        return dict.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    def __repr__(self):
        if not self:
            return "OrderedDict()"
        return f"OrderedDict({list(self.items())!r})"


class Counter(dict):
    def __init__(self, iterable=None, **kwds):
        super().__init__()
        self.update(iterable, **kwds)

    def __missing__(self, key):
        return 0

    def total(self):
        return sum(self.values())

    def most_common(self, n=None):
        items = sorted(self.items(), key=_itemgetter(1), reverse=True)
        return items if n is None else items[:n]

    def elements(self):
        for elem, count in self.items():
            for _ in range(count):
                yield elem

    def update(self, iterable=None, **kwds):
        if iterable is not None:
            if isinstance(iterable, dict):
                if self:
                    self_get = self.get
                    for elem, count in iterable.items():
                        self[elem] = count + self_get(elem, 0)
                else:
                    dict.update(self, iterable)
            else:
                self_get = self.get
                for elem in iterable:
                    self[elem] = self_get(elem, 0) + 1
        if kwds:
            self.update(kwds)

    def subtract(self, iterable=None, **kwds):
        if iterable is not None:
            self_get = self.get
            if isinstance(iterable, dict):
                for elem, count in iterable.items():
                    self[elem] = self_get(elem, 0) - count
            else:
                for elem in iterable:
                    self[elem] = self_get(elem, 0) - 1
        if kwds:
            self.subtract(kwds)

    def copy(self):
        return self.__class__(self)

    def __delitem__(self, elem):
        if elem in self:
            dict.__delitem__(self, elem)

    def __repr__(self):
        if not self:
            return f"{self.__class__.__name__}()"
        items = ", ".join(f"{k!r}: {v!r}" for k, v in self.most_common())
        return f"{self.__class__.__name__}({{{items}}})"

    def _merge(self, other, op):
        """A Counter of op(self[e], other[e]) for every element, keeping positive counts
        (the elements of self first, then those only in other)."""
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = op(count, other[elem])
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self:
                newcount = op(0, count)
                if newcount > 0:
                    result[elem] = newcount
        return result

    def __add__(self, other):
        return self._merge(other, lambda a, b: a + b)

    def __sub__(self, other):
        return self._merge(other, lambda a, b: a - b)

    def __or__(self, other):
        return self._merge(other, lambda a, b: b if a < b else a)

    def __and__(self, other):
        return self._merge(other, lambda a, b: a if a < b else b)


class ChainMap:
    def __init__(self, *maps):
        self.maps = list(maps) or [{}]

    def __getitem__(self, key):
        for mapping in self.maps:
            if key in mapping:
                return mapping[key]
        raise KeyError(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __contains__(self, key):
        return any(key in m for m in self.maps)

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        del self.maps[0][key]

    def __len__(self):
        return len(set().union(*self.maps))

    def __iter__(self):
        d = {}
        for mapping in reversed(self.maps):
            d.update(dict.fromkeys(mapping))
        return iter(d)

    def keys(self):
        return list(self)

    def items(self):
        return [(k, self[k]) for k in self]

    def values(self):
        return [self[k] for k in self]

    def new_child(self, m=None):
        return ChainMap({} if m is None else m, *self.maps)

    @property
    def parents(self):
        return ChainMap(*self.maps[1:])

    def __repr__(self):
        return f"ChainMap({', '.join(map(repr, self.maps))})"


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    """A tuple subclass with named fields."""
    if isinstance(field_names, str):
        field_names = field_names.replace(',', ' ').split()
    field_names = tuple(map(str, field_names))
    n = len(field_names)
    defaults = tuple(defaults) if defaults is not None else ()
    if len(defaults) > n:
        raise TypeError('Got more default values than field names')
    field_defaults = dict(zip(field_names[n - len(defaults):], defaults))

    def __new__(_cls, *args, **kwargs):
        if len(args) > n:
            raise TypeError(f"{typename}.__new__() takes {n + 1} positional arguments but {len(args) + 1} were given")
        values = list(args)
        for name in field_names[len(args):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in field_defaults:
                values.append(field_defaults[name])
            else:
                missing = [f for f in field_names[len(values):] if f not in kwargs and f not in field_defaults]
                raise TypeError(f"{typename}.__new__() missing {len(missing)} required positional argument"
                                f"{'s' if len(missing) > 1 else ''}: " + " and ".join(repr(m) for m in missing))
        if kwargs:
            raise TypeError(f"{typename}.__new__() got an unexpected keyword argument {next(iter(kwargs))!r}")
        return tuple.__new__(_cls, values)

    def __repr__(self):
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(field_names, self))
        return f"{self.__class__.__name__}({inner})"

    def _asdict(self):
        return dict(zip(field_names, self))

    def _replace(self, **kw):
        result = self._make(map(kw.pop, field_names, self))
        if kw:
            raise ValueError(f'Got unexpected field names: {list(kw)!r}')
        return result

    def __getnewargs__(self):
        return tuple(self)

    ns = {
        "__new__": __new__,
        "__repr__": __repr__,
        "__slots__": (),
        "_fields": field_names,
        "_field_defaults": field_defaults,
        "_asdict": _asdict,
        "_replace": _replace,
        "__getnewargs__": __getnewargs__,
        "__match_args__": field_names,
    }
    for i, name in enumerate(field_names):
        doc = f"Alias for field number {i}"
        ns[name] = _tuplegetter(i, doc)
    cls = type(typename, (tuple,), ns)
    cls._make = classmethod(lambda c, iterable: tuple.__new__(c, iterable))
    if module is None:
        module = "__main__"
    cls.__module__ = module
    return cls
