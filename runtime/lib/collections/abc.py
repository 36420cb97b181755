"""Abstract base classes for containers (collections.abc), on abc.ABCMeta.

One-trick ABCs (Iterable, Sized, ...) recognise any class whose MRO defines the
protocol's methods (a `__subclasshook__`, as in CPython); the richer ABCs recognise
their registered builtins and subclasses, and give subclasses the usual mixin methods
(`Mapping.get`, `Sequence.index`, `MutableSequence.append`, ...)."""
from abc import ABCMeta, abstractmethod, update_abstractmethods

__all__ = ["Awaitable", "Coroutine", "AsyncIterable", "AsyncIterator", "AsyncGenerator",
           "Hashable", "Iterable", "Iterator", "Generator", "Reversible", "Sized",
           "Container", "Callable", "Collection", "Set", "MutableSet", "Mapping",
           "MutableMapping", "MappingView", "KeysView", "ItemsView", "ValuesView",
           "Sequence", "MutableSequence", "ByteString"]


def _check_methods(C, *methods):
    mro = C.__mro__
    for method in methods:
        for B in mro:
            if method in B.__dict__:
                if B.__dict__[method] is None:
                    return NotImplemented
                break
        else:
            return NotImplemented
    return True


def _hook(abc, *methods):
    """A __subclasshook__ for `abc` that accepts classes defining `methods`."""
    def __subclasshook__(cls, C):
        if cls is abc[0]:
            return _check_methods(C, *methods)
        return NotImplemented
    return classmethod(__subclasshook__)


def _abstract_stub(name):
    def stub(self, *args):
        raise NotImplementedError(name)
    stub.__name__ = name
    return abstractmethod(stub)


def _one_trick(name, methods, bases=(), builtins=(), abstract=None):
    """An ABC recognising classes that define `methods`; `abstract` (default: all of
    `methods`) are abstract methods of the ABC itself."""
    holder = []
    ns = {"__slots__": (), "__subclasshook__": _hook(holder, *methods),
          "__module__": "collections.abc"}
    for m in (methods if abstract is None else abstract):
        ns[m] = _abstract_stub(m)
    cls = ABCMeta(name, bases, ns)
    holder.append(cls)
    for b in builtins:
        cls.register(b)
    return cls


_iterators = [type(iter(x)) for x in ([], (), "", b"", range(0), {}, set(), {}.values(),
                                       {}.items(), bytearray())]
_iterators += [type(zip()), type(map(len, ())), type(filter(None, ())), type(enumerate(())),
               type(reversed([]))]


def _gen():
    yield


_generator = type(_gen())


async def _coro():
    pass


_c = _coro()
_coroutine = type(_c)
_c.close()
del _c

# Builtins whose __hash__ is None in CPython (stitch implements their hashing natively).
_UNHASHABLE = (list, dict, set, bytearray, type({}.keys()), type({}.items()))


class Hashable(metaclass=ABCMeta):
    __slots__ = ()

    @abstractmethod
    def __hash__(self):
        return 0

    @classmethod
    def __subclasshook__(cls, C):
        if cls is not Hashable:
            return NotImplemented
        for B in C.__mro__:
            if B in _UNHASHABLE:
                return NotImplemented
            if "__hash__" in B.__dict__:
                return NotImplemented if B.__dict__["__hash__"] is None else True
        return NotImplemented


Hashable.__module__ = "collections.abc"
Awaitable = _one_trick("Awaitable", ("__await__",), builtins=(_coroutine,))
Coroutine = _one_trick("Coroutine", ("__await__", "send", "throw", "close"), (Awaitable,),
                       (_coroutine,), abstract=("send", "throw"))
AsyncIterable = _one_trick("AsyncIterable", ("__aiter__",))
AsyncIterator = _one_trick("AsyncIterator", ("__aiter__", "__anext__"), (AsyncIterable,),
                           abstract=("__anext__",))
AsyncGenerator = _one_trick("AsyncGenerator", ("__aiter__", "__anext__", "asend", "athrow",
                                               "aclose"), (AsyncIterator,),
                            abstract=("asend", "athrow"))
Iterable = _one_trick("Iterable", ("__iter__",),
                      builtins=(list, tuple, str, bytes, bytearray, dict, set, frozenset, range,
                                _generator, type({}.keys()), type({}.values()),
                                type({}.items()), *_iterators))
Iterator = _one_trick("Iterator", ("__iter__", "__next__"), (Iterable,),
                      (_generator, *_iterators), abstract=("__next__",))
Iterator.__iter__ = lambda self: self
AsyncIterator.__aiter__ = lambda self: self


def _close(self):
    try:
        self.throw(GeneratorExit)
    except (GeneratorExit, StopIteration):
        pass
    else:
        raise RuntimeError("generator ignored GeneratorExit")


Coroutine.close = _close
for _cls in (Iterator, AsyncIterator, Coroutine):
    update_abstractmethods(_cls)
Reversible = _one_trick("Reversible", ("__reversed__", "__iter__"), (Iterable,),
                        (list, tuple, str, bytes, bytearray, range, dict, type({}.keys()),
                         type({}.values()), type({}.items())), abstract=("__reversed__",))
Generator = _one_trick("Generator", ("__iter__", "__next__", "send", "throw", "close"),
                       (Iterator,), (_generator,), abstract=("send", "throw"))
Generator.__next__ = lambda self: self.send(None)
Generator.close = _close
update_abstractmethods(Generator)
Sized = _one_trick("Sized", ("__len__",))
Container = _one_trick("Container", ("__contains__",))
Callable = _one_trick("Callable", ("__call__",),
                      builtins=(type(len), type(_gen), type, type([].append)))
Collection = _one_trick("Collection", ("__len__", "__iter__", "__contains__"),
                        (Sized, Iterable, Container), abstract=())
Sized.register(Collection)
Container.register(Collection)


class Set(Collection):
    """A finite, iterable container; comparisons and operators come from
    __contains__, __iter__ and __len__."""
    __slots__ = ()

    @classmethod
    def __subclasshook__(cls, C):
        return NotImplemented

    def __le__(self, other):
        if not isinstance(other, Set):
            return NotImplemented
        if len(self) > len(other):
            return False
        return all(e in other for e in self)

    def __lt__(self, other):
        if not isinstance(other, Set):
            return NotImplemented
        return len(self) < len(other) and self.__le__(other)

    def __gt__(self, other):
        if not isinstance(other, Set):
            return NotImplemented
        return len(self) > len(other) and self.__ge__(other)

    def __ge__(self, other):
        if not isinstance(other, Set):
            return NotImplemented
        if len(self) < len(other):
            return False
        return all(e in self for e in other)

    def __eq__(self, other):
        if not isinstance(other, Set):
            return NotImplemented
        return len(self) == len(other) and self.__le__(other)

    @classmethod
    def _from_iterable(cls, it):
        return cls(it)

    def __and__(self, other):
        if not isinstance(other, Iterable):
            return NotImplemented
        return self._from_iterable(value for value in other if value in self)

    __rand__ = __and__

    def isdisjoint(self, other):
        return not any(value in self for value in other)

    def __or__(self, other):
        if not isinstance(other, Iterable):
            return NotImplemented
        return self._from_iterable([e for s in (self, other) for e in s])

    __ror__ = __or__

    def __sub__(self, other):
        if not isinstance(other, Set):
            if not isinstance(other, Iterable):
                return NotImplemented
            other = self._from_iterable(other)
        return self._from_iterable(value for value in self if value not in other)

    def __rsub__(self, other):
        if not isinstance(other, Set):
            if not isinstance(other, Iterable):
                return NotImplemented
            other = self._from_iterable(other)
        return self._from_iterable(value for value in other if value not in self)

    def __xor__(self, other):
        if not isinstance(other, Set):
            if not isinstance(other, Iterable):
                return NotImplemented
            other = self._from_iterable(other)
        return (self - other) | (other - self)

    __rxor__ = __xor__

    def _hash(self):
        h = 0
        for x in self:
            h ^= hash(x)
        return h


Set.register(frozenset)
Set.register(type({}.keys()))
Set.register(type({}.items()))


class MutableSet(Set):
    __slots__ = ()

    @abstractmethod
    def add(self, value):
        raise NotImplementedError

    @abstractmethod
    def discard(self, value):
        raise NotImplementedError

    def remove(self, value):
        if value not in self:
            raise KeyError(value)
        self.discard(value)

    def pop(self):
        it = iter(self)
        try:
            value = next(it)
        except StopIteration:
            raise KeyError from None
        self.discard(value)
        return value

    def clear(self):
        try:
            while True:
                self.pop()
        except KeyError:
            pass

    def __ior__(self, it):
        for value in it:
            self.add(value)
        return self

    def __iand__(self, it):
        for value in (self - it):
            self.discard(value)
        return self

    def __ixor__(self, it):
        if it is self:
            self.clear()
        else:
            if not isinstance(it, Set):
                it = self._from_iterable(it)
            for value in it:
                if value in self:
                    self.discard(value)
                else:
                    self.add(value)
        return self

    def __isub__(self, it):
        if it is self:
            self.clear()
        else:
            for value in it:
                self.discard(value)
        return self


MutableSet.register(set)


class Mapping(Collection):
    """A read-only mapping; get, keys, items, values, __contains__ and __eq__ come
    from __getitem__, __iter__ and __len__."""
    __slots__ = ()

    @classmethod
    def __subclasshook__(cls, C):
        return NotImplemented

    @abstractmethod
    def __getitem__(self, key):
        raise KeyError

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key):
        try:
            self[key]
        except KeyError:
            return False
        else:
            return True

    def keys(self):
        return KeysView(self)

    def items(self):
        return ItemsView(self)

    def values(self):
        return ValuesView(self)

    def __eq__(self, other):
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __reversed__ = None


class MappingView(Sized):
    __slots__ = ("_mapping",)

    @classmethod
    def __subclasshook__(cls, C):
        return NotImplemented

    def __init__(self, mapping):
        self._mapping = mapping

    def __len__(self):
        return len(self._mapping)

    def __repr__(self):
        return "{0.__class__.__name__}({0._mapping!r})".format(self)


class KeysView(MappingView, Set):
    __slots__ = ()

    @classmethod
    def _from_iterable(cls, it):
        return set(it)

    def __contains__(self, key):
        return key in self._mapping

    def __iter__(self):
        yield from self._mapping


class ItemsView(MappingView, Set):
    __slots__ = ()

    @classmethod
    def _from_iterable(cls, it):
        return set(it)

    def __contains__(self, item):
        key, value = item
        try:
            v = self._mapping[key]
        except KeyError:
            return False
        else:
            return v is value or v == value

    def __iter__(self):
        for key in self._mapping:
            yield (key, self._mapping[key])


class ValuesView(MappingView, Collection):
    __slots__ = ()

    def __contains__(self, value):
        for key in self._mapping:
            v = self._mapping[key]
            if v is value or v == value:
                return True
        return False

    def __iter__(self):
        for key in self._mapping:
            yield self._mapping[key]


KeysView.register(type({}.keys()))
ItemsView.register(type({}.items()))
ValuesView.register(type({}.values()))

_marker = object()


class MutableMapping(Mapping):
    __slots__ = ()

    @abstractmethod
    def __setitem__(self, key, value):
        raise KeyError

    @abstractmethod
    def __delitem__(self, key):
        raise KeyError

    def pop(self, key, default=_marker):
        try:
            value = self[key]
        except KeyError:
            if default is _marker:
                raise
            return default
        else:
            del self[key]
            return value

    def popitem(self):
        try:
            key = next(iter(self))
        except StopIteration:
            raise KeyError from None
        value = self[key]
        del self[key]
        return key, value

    def clear(self):
        try:
            while True:
                self.popitem()
        except KeyError:
            pass

    def update(self, other=(), /, **kwds):
        if isinstance(other, Mapping):
            for key in other:
                self[key] = other[key]
        elif hasattr(other, "keys"):
            for key in other.keys():
                self[key] = other[key]
        else:
            for key, value in other:
                self[key] = value
        for key, value in kwds.items():
            self[key] = value

    def setdefault(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            self[key] = default
        return default


MutableMapping.register(dict)


class Sequence(Reversible, Collection):
    """A read-only sequence; iteration, `in`, reversed, index and count come from
    __getitem__ and __len__."""
    __slots__ = ()

    @classmethod
    def __subclasshook__(cls, C):
        return NotImplemented

    @abstractmethod
    def __getitem__(self, index):
        raise IndexError

    def __iter__(self):
        i = 0
        try:
            while True:
                v = self[i]
                yield v
                i += 1
        except IndexError:
            return

    def __contains__(self, value):
        for v in self:
            if v is value or v == value:
                return True
        return False

    def __reversed__(self):
        for i in reversed(range(len(self))):
            yield self[i]

    def index(self, value, start=0, stop=None):
        if start is not None and start < 0:
            start = max(len(self) + start, 0)
        if stop is not None and stop < 0:
            stop += len(self)
        i = start
        while stop is None or i < stop:
            try:
                v = self[i]
            except IndexError:
                break
            if v is value or v == value:
                return i
            i += 1
        raise ValueError

    def count(self, value):
        return sum(1 for v in self if v is value or v == value)


Sequence.register(tuple)
Sequence.register(str)
Sequence.register(range)


class ByteString(Sequence):
    __slots__ = ()


ByteString.register(bytes)
ByteString.register(bytearray)


class MutableSequence(Sequence):
    __slots__ = ()

    @abstractmethod
    def __setitem__(self, index, value):
        raise IndexError

    @abstractmethod
    def __delitem__(self, index):
        raise IndexError

    @abstractmethod
    def insert(self, index, value):
        raise IndexError

    def append(self, value):
        self.insert(len(self), value)

    def clear(self):
        try:
            while True:
                self.pop()
        except IndexError:
            pass

    def reverse(self):
        n = len(self)
        for i in range(n // 2):
            self[i], self[n - i - 1] = self[n - i - 1], self[i]

    def extend(self, values):
        if values is self:
            values = list(values)
        for v in values:
            self.append(v)

    def pop(self, index=-1):
        v = self[index]
        del self[index]
        return v

    def remove(self, value):
        del self[self.index(value)]

    def __iadd__(self, values):
        self.extend(values)
        return self


MutableSequence.register(list)
MutableSequence.register(bytearray)


def _register_collections():
    # collections imports nothing from here, so register its classes once both exist.
    import collections
    MutableSequence.register(collections.deque)


_register_collections()
