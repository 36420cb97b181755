"""struct: pack and unpack C structs in bytes (pack, unpack, calcsize, iter_unpack,
pack_into, unpack_from, Struct). Formats, sizes and native (x86-64) alignment follow
CPython; float bytes come from the native `_struct`. The half-float code 'e' is not
supported yet."""
import _struct

__all__ = ["calcsize", "pack", "pack_into", "unpack", "unpack_from", "iter_unpack",
           "Struct", "error"]


class error(Exception):
    pass


error.__module__ = "struct"

# code: (native size, standard size, signed) for integers.
_INTS = {"b": (1, 1, True), "B": (1, 1, False), "h": (2, 2, True), "H": (2, 2, False),
         "i": (4, 4, True), "I": (4, 4, False), "l": (8, 4, True), "L": (8, 4, False),
         "q": (8, 8, True), "Q": (8, 8, False), "n": (8, None, True), "N": (8, None, False),
         "P": (8, None, False)}
_NATIVE_NAMES = {"b": "byte", "B": "ubyte", "h": "short", "H": "ushort"}
_OTHER = {"x": 1, "c": 1, "?": 1, "s": 1, "p": 1, "f": 4, "d": 8}


def _parse(fmt):
    """[(code, count)], byte order ('@' native, '<' little, '>' big, '=' native order
    with standard sizes), and the total size."""
    if isinstance(fmt, bytes):
        fmt = fmt.decode("latin-1")
    if not isinstance(fmt, str):
        raise TypeError(f"Struct() argument 1 must be a str or bytes object, not {type(fmt).__name__}")
    order = "@"
    if fmt and fmt[0] in "@=<>!":
        order = ">" if fmt[0] == "!" else fmt[0]
        fmt = fmt[1:]
    native = order == "@"
    items = []
    size = 0
    i = 0
    n = len(fmt)
    while i < n:
        ch = fmt[i]
        if ch.isspace():
            i += 1
            continue
        count = None
        if ch.isdigit():
            j = i
            while j < n and fmt[j].isdigit():
                j += 1
            count = int(fmt[i:j])
            i = j
            if i >= n:
                raise error("repeat count given without format specifier")
            ch = fmt[i]
        i += 1
        if ch in _INTS:
            nsize, ssize, _ = _INTS[ch]
            width = nsize if native else ssize
            if width is None:
                raise error("bad char in struct format")
        elif ch in _OTHER:
            width = _OTHER[ch]
        else:
            raise error("bad char in struct format")
        if native and ch not in "xcsp?bB":
            size = (size + width - 1) // width * width
        reps = 1 if count is None else count
        if ch in "sp":
            items.append((ch, reps, size))
            size += reps
        else:
            for _ in range(reps):
                items.append((ch, 1, size))
                size += width
    return items, order, size


def _int_bounds(code, order):
    nsize, ssize, signed = _INTS[code]
    width = nsize if order == "@" else ssize
    bits = 8 * width
    if signed:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1, width
    return 0, (1 << bits) - 1, width


def _range_error(code, order, lo, hi, v):
    # The messages differ by width and signedness, as CPython 3.11's.
    if code in _NATIVE_NAMES:
        return error(f"{_NATIVE_NAMES[code]} format requires {lo} <= number <= {hi}")
    if (lo == 0 and v < 0) or hi >= (1 << 63) - 1:
        return error("argument out of range")
    return error(f"'{code}' format requires {lo} <= number <= {hi}")


class Struct:
    def __init__(self, format):
        self._items, self._order, self.size = _parse(format)
        self.format = format.decode("latin-1") if isinstance(format, bytes) else format
        self._nargs = sum(1 for code, _, _ in self._items if code != "x")

    def __repr__(self):
        return f"Struct({self.format!r})"

    def pack(self, *values):
        if len(values) != self._nargs:
            raise error(f"pack expected {self._nargs} items for packing (got {len(values)})")
        out = bytearray(self.size)
        self._pack_into(out, 0, values)
        return bytes(out)

    def pack_into(self, buffer, offset, *values):
        if len(values) != self._nargs:
            raise error(f"pack_into expected {self._nargs} items for packing (got {len(values)})")
        if offset < 0:
            offset += len(buffer)
        if len(buffer) - offset < self.size:
            raise error(f"pack_into requires a buffer of at least {self.size + offset} bytes "
                        f"for packing {self.size} bytes at offset {offset} "
                        f"(actual buffer size is {len(buffer)})")
        self._pack_into(buffer, offset, values)

    def _pack_into(self, out, base, values):
        little = self._order in "<@="
        it = iter(values)
        for code, count, off in self._items:
            at = base + off
            if code == "x":
                continue
            v = next(it)
            if code in _INTS:
                if not isinstance(v, int):
                    if hasattr(v, "__index__"):
                        v = v.__index__()
                    else:
                        raise error("required argument is not an integer")
                lo, hi, width = _int_bounds(code, self._order)
                if code == "P" and -(1 << 63) <= v < 0:
                    v += 1 << 64
                if not lo <= v <= hi:
                    raise _range_error(code, self._order, lo, hi, v)
                out[at:at + width] = (v & ((1 << (8 * width)) - 1)).to_bytes(
                    width, "little" if little else "big")
            elif code in "fd":
                if not isinstance(v, (int, float)):
                    if hasattr(v, "__float__"):
                        v = float(v)
                    else:
                        raise error("required argument is not a float")
                width = 4 if code == "f" else 8
                out[at:at + width] = _struct.pack_float(float(v), width, little)
            elif code == "?":
                out[at] = 1 if v else 0
            elif code == "c":
                if not isinstance(v, (bytes, bytearray)) or len(v) != 1:
                    raise error("char format requires a bytes object of length 1")
                out[at] = v[0]
            elif code == "s":
                if not isinstance(v, (bytes, bytearray)):
                    raise error("argument for 's' must be a bytes object")
                data = bytes(v[:count])
                out[at:at + count] = data + bytes(count - len(data))
            elif code == "p":
                if not isinstance(v, (bytes, bytearray)):
                    raise error("argument for 'p' must be a bytes object")
                if count == 0:
                    continue
                data = bytes(v[:count - 1])
                n = min(len(data), 255)
                out[at:at + count] = bytes([n]) + data + bytes(count - 1 - len(data))

    def unpack(self, buffer):
        if len(buffer) != self.size:
            raise error(f"unpack requires a buffer of {self.size} bytes")
        return self._unpack(bytes(buffer), 0)

    def unpack_from(self, buffer, offset=0):
        if offset < 0:
            offset += len(buffer)
        if len(buffer) - offset < self.size:
            raise error(f"unpack_from requires a buffer of at least {self.size + offset} bytes "
                        f"for unpacking {self.size} bytes at offset {offset} "
                        f"(actual buffer size is {len(buffer)})")
        return self._unpack(bytes(buffer), offset)

    def iter_unpack(self, buffer):
        if self.size == 0:
            raise error("cannot iteratively unpack with a struct of length 0")
        if len(buffer) % self.size:
            raise error(f"iterative unpacking requires a buffer of a multiple of "
                        f"{self.size} bytes")
        data = bytes(buffer)
        return (self._unpack(data, i) for i in range(0, len(data), self.size))

    def _unpack(self, data, base):
        little = self._order in "<@="
        out = []
        for code, count, off in self._items:
            at = base + off
            if code == "x":
                continue
            if code in _INTS:
                _, _, width = _int_bounds(code, self._order)
                signed = _INTS[code][2]
                out.append(int.from_bytes(data[at:at + width], "little" if little else "big",
                                          signed=signed))
            elif code in "fd":
                width = 4 if code == "f" else 8
                out.append(_struct.unpack_float(data[at:at + width], little))
            elif code == "?":
                out.append(data[at] != 0)
            elif code == "c":
                out.append(data[at:at + 1])
            elif code == "s":
                out.append(data[at:at + count])
            elif code == "p":
                if count == 0:
                    out.append(b"")
                else:
                    n = min(data[at], count - 1)
                    out.append(data[at + 1:at + 1 + n])
        return tuple(out)


_cache = {}


def _struct_for(fmt):
    s = _cache.get(fmt)
    if s is None:
        s = _cache[fmt] = Struct(fmt)
    return s


def calcsize(fmt):
    return _struct_for(fmt).size


def pack(fmt, *values):
    return _struct_for(fmt).pack(*values)


def pack_into(fmt, buffer, offset, *values):
    _struct_for(fmt).pack_into(buffer, offset, *values)


def unpack(fmt, buffer):
    return _struct_for(fmt).unpack(buffer)


def unpack_from(fmt, buffer, offset=0):
    return _struct_for(fmt).unpack_from(buffer, offset)


def iter_unpack(fmt, buffer):
    return _struct_for(fmt).iter_unpack(buffer)
