"""threading.local: attributes whose values are per thread.

Each thread sees its own attribute dict, created (and `__init__` run again with the
constructor's arguments, for subclasses) the first time that thread touches the object.
"""
from _thread import get_ident as _get_ident, allocate_lock as _allocate_lock

__all__ = ["local"]


def _thread_dict(self):
    dicts = object.__getattribute__(self, '_local__dicts')
    ident = _get_ident()
    d = dicts.get(ident)
    if d is None:
        d = {}
        dicts[ident] = d
        args, kw = object.__getattribute__(self, '_local__args')
        init = type(self).__init__
        if init is not object.__init__:
            init(self, *args, **kw)
    return d


class local:
    __slots__ = ('_local__dicts', '_local__args', '_local__lock', '__weakref__')

    def __new__(cls, /, *args, **kw):
        if (args or kw) and (cls.__init__ is object.__init__):
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        object.__setattr__(self, '_local__dicts', {})
        object.__setattr__(self, '_local__args', (args, kw))
        object.__setattr__(self, '_local__lock', _allocate_lock())
        return self

    def __getattribute__(self, name):
        if name in ('_local__dicts', '_local__args', '_local__lock'):
            return object.__getattribute__(self, name)
        d = _thread_dict(self)
        if name == '__dict__':
            return d
        if name in d:
            return d[name]
        cls_attr = getattr(type(self), name, _missing)
        if cls_attr is _missing:
            raise AttributeError("%r object has no attribute %r"
                                 % (type(self).__name__, name))
        if hasattr(cls_attr, '__get__'):
            return cls_attr.__get__(self, type(self))
        return cls_attr

    def __setattr__(self, name, value):
        if name == '__dict__':
            raise AttributeError("%r object attribute '__dict__' is read-only"
                                 % type(self).__name__)
        _thread_dict(self)[name] = value

    def __delattr__(self, name):
        if name == '__dict__':
            raise AttributeError("%r object attribute '__dict__' is read-only"
                                 % type(self).__name__)
        d = _thread_dict(self)
        try:
            del d[name]
        except KeyError:
            raise AttributeError(name) from None


_missing = object()
