"""Typed arrays of numbers (array.array), kept in a list with CPython's type checks."""

typecodes = "bBuhHiIlLqQfd"
_SIZES = {"b": 1, "B": 1, "u": 4, "h": 2, "H": 2, "i": 4, "I": 4, "l": 8, "L": 8, "q": 8, "Q": 8, "f": 4, "d": 8}
_RANGES = {"b": (-128, 127), "B": (0, 255), "h": (-32768, 32767), "H": (0, 65535),
           "i": (-2 ** 31, 2 ** 31 - 1), "I": (0, 2 ** 32 - 1), "l": (-2 ** 63, 2 ** 63 - 1),
           "L": (0, 2 ** 64 - 1), "q": (-2 ** 63, 2 ** 63 - 1), "Q": (0, 2 ** 64 - 1)}


def _check(typecode, v):
    if typecode in "fd":
        if not isinstance(v, (int, float)):
            raise TypeError(f"must be real number, not {type(v).__name__}")
        return float(v)
    if typecode == "u":
        if not isinstance(v, str) or len(v) != 1:
            raise TypeError("array item must be unicode character")
        return v
    if not isinstance(v, int):
        raise TypeError(f"'{type(v).__name__}' object cannot be interpreted as an integer")
    lo, hi = _RANGES[typecode]
    if not lo <= v <= hi:
        if typecode in "bBhH":
            kind = "signed char" if typecode == "b" else ("unsigned byte" if typecode == "B" else "short")
            if typecode == "b":
                raise OverflowError(f"signed char is {'less than minimum' if v < lo else 'greater than maximum'}")
            raise OverflowError(f"{kind} integer is {'less than minimum' if v < lo else 'greater than maximum'}")
        raise OverflowError("Python int too large to convert to C long" if v > 0 else "can't convert negative value to unsigned int")
    return v


class array:
    def __init__(self, typecode, initializer=()):
        if not isinstance(typecode, str) or len(typecode) != 1 or typecode not in typecodes:
            raise ValueError("bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)")
        self.typecode = typecode
        self.itemsize = _SIZES[typecode]
        self._data = []
        if isinstance(initializer, str) and typecode != "u":
            raise TypeError(f"cannot use a str to initialize an array with typecode '{typecode}'")
        self.extend(initializer)

    def append(self, v):
        self._data.append(_check(self.typecode, v))

    def extend(self, iterable):
        if isinstance(iterable, array) and iterable.typecode != self.typecode:
            raise TypeError("can only extend with array of same kind")
        tc = self.typecode
        self._data.extend(_check(tc, v) for v in iterable)

    def fromlist(self, lst):
        self.extend(lst)

    def tolist(self):
        return list(self._data)

    def insert(self, i, v):
        self._data.insert(i, _check(self.typecode, v))

    def pop(self, i=-1):
        return self._data.pop(i)

    def remove(self, v):
        try:
            self._data.remove(v)
        except ValueError:
            raise ValueError("array.remove(x): x not in array") from None

    def index(self, v, *args):
        try:
            return self._data.index(v, *args)
        except ValueError:
            raise ValueError("array.index(x): x not in array") from None

    def count(self, v):
        return self._data.count(v)

    def reverse(self):
        self._data.reverse()

    def buffer_info(self):
        return (id(self), len(self._data))

    def __len__(self):
        return len(self._data)

    def __iter__(self):
        return iter(self._data)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return array(self.typecode, self._data[i])
        return self._data[i]

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            if not isinstance(v, array) or v.typecode != self.typecode:
                raise TypeError("can only assign array (not \"%s\") to array slice" % type(v).__name__)
            self._data[i] = v._data
        else:
            self._data[i] = _check(self.typecode, v)

    def __delitem__(self, i):
        del self._data[i]

    def __contains__(self, v):
        return v in self._data

    def __eq__(self, other):
        if isinstance(other, array):
            return self._data == other._data
        return NotImplemented

    def __lt__(self, other):
        return self._data < other._data

    def __add__(self, other):
        if not isinstance(other, array) or other.typecode != self.typecode:
            raise TypeError("bad argument type for built-in operation")
        return array(self.typecode, self._data + other._data)

    def __mul__(self, n):
        return array(self.typecode, self._data * n)

    __rmul__ = __mul__

    def __iadd__(self, other):
        self.extend(other)
        return self

    def __repr__(self):
        if not self._data:
            return f"array('{self.typecode}')"
        if self.typecode == "u":
            return f"array('u', {''.join(self._data)!r})"
        return f"array('{self.typecode}', {self._data!r})"

    __hash__ = None


ArrayType = array
