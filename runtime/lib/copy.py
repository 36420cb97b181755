"""Shallow and deep copy operations."""


class Error(Exception):
    pass


error = Error
_atomic = (type(None), int, float, bool, str, type, range, type(len), type(lambda: 0))


def copy(x):
    cls = type(x)
    if cls in _atomic:
        return x
    if cls is list:
        return x[:]
    if cls is dict:
        return dict(x)
    if cls is set:
        return set(x)
    if cls is tuple or cls is frozenset:
        return x
    copier = getattr(cls, "__copy__", None)
    if copier is not None:
        return copier(x)
    new = cls.__new__(cls)
    if hasattr(x, "__dict__"):
        new.__dict__.update(x.__dict__)
    slots = []
    for k in cls.__mro__:
        slots.extend(k.__dict__.get("__slots__", ()))
    for s in slots:
        if hasattr(x, s):
            setattr(new, s, getattr(x, s))
    return new


def deepcopy(x, memo=None):
    if memo is None:
        memo = {}
    d = id(x)
    if d in memo:
        return memo[d]
    cls = type(x)
    if cls in _atomic:
        return x
    if cls is list:
        y = []
        memo[d] = y
        for a in x:
            y.append(deepcopy(a, memo))
        return y
    if cls is tuple:
        y = tuple(deepcopy(a, memo) for a in x)
        memo[d] = y
        return y
    if cls is dict:
        y = {}
        memo[d] = y
        for k, v in x.items():
            y[deepcopy(k, memo)] = deepcopy(v, memo)
        return y
    if cls is set:
        y = set(deepcopy(a, memo) for a in x)
        memo[d] = y
        return y
    if cls is frozenset:
        return x
    copier = getattr(cls, "__deepcopy__", None)
    if copier is not None:
        y = copier(x, memo)
        memo[d] = y
        return y
    y = cls.__new__(cls)
    memo[d] = y
    if hasattr(x, "__dict__"):
        for k, v in x.__dict__.items():
            y.__dict__[k] = deepcopy(v, memo)
    for k in cls.__mro__:
        for s in k.__dict__.get("__slots__", ()):
            if hasattr(x, s):
                setattr(y, s, deepcopy(getattr(x, s), memo))
    return y
