"""JSON encoding and decoding (dumps/loads/dump/load) with CPython's output format."""

__all__ = ["dump", "dumps", "load", "loads", "JSONDecodeError", "JSONEncoder", "JSONDecoder"]


class JSONDecodeError(ValueError):
    def __init__(self, msg, doc, pos):
        lineno = doc.count("\n", 0, pos) + 1
        colno = pos - doc.rfind("\n", 0, pos)
        errmsg = "%s: line %d column %d (char %d)" % (msg, lineno, colno, pos)
        ValueError.__init__(self, errmsg)
        self.msg = msg
        self.doc = doc
        self.pos = pos
        self.lineno = lineno
        self.colno = colno


_ESCAPES = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'}


def _encode_str(s, ensure_ascii):
    out = ['"']
    for c in s:
        e = _ESCAPES.get(c)
        if e is not None:
            out.append(e)
            continue
        n = ord(c)
        if n < 0x20 or (ensure_ascii and n > 0x7e):
            if n > 0xffff:
                n -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xd800 | (n >> 10), 0xdc00 | (n & 0x3ff)))
            else:
                out.append("\\u%04x" % n)
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _float_repr(f):
    if f != f:
        return "NaN"
    if f == float("inf"):
        return "Infinity"
    if f == float("-inf"):
        return "-Infinity"
    return repr(f)


class JSONEncoder:
    def __init__(self, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
                 sort_keys=False, indent=None, separators=None, default=None):
        self.skipkeys = skipkeys
        self.ensure_ascii = ensure_ascii
        self.allow_nan = allow_nan
        self.sort_keys = sort_keys
        if indent is not None and not isinstance(indent, str):
            indent = " " * indent
        self.indent = indent
        if separators is not None:
            self.item_separator, self.key_separator = separators
        elif indent is not None:
            self.item_separator, self.key_separator = ",", ": "
        else:
            self.item_separator, self.key_separator = ", ", ": "
        if default is not None:
            self.default = default

    def default(self, o):
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    def encode(self, o):
        out = []
        self._enc(o, out, 0)
        return "".join(out)

    def _key(self, k):
        if isinstance(k, str):
            return k
        if k is True:
            return "true"
        if k is False:
            return "false"
        if k is None:
            return "null"
        if isinstance(k, float):
            return _float_repr(k)
        if isinstance(k, int):
            return int.__repr__(k)
        if self.skipkeys:
            return None
        raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")

    def _enc(self, o, out, level):
        if isinstance(o, str):
            out.append(_encode_str(o, self.ensure_ascii))
        elif o is None:
            out.append("null")
        elif o is True:
            out.append("true")
        elif o is False:
            out.append("false")
        elif isinstance(o, int):
            out.append(int.__repr__(o))
        elif isinstance(o, float):
            if not self.allow_nan and (o != o or o in (float("inf"), float("-inf"))):
                raise ValueError("Out of range float values are not JSON compliant")
            out.append(_float_repr(o))
        elif isinstance(o, (list, tuple)):
            self._container("[", "]", o, out, level, self._enc)
        elif isinstance(o, dict):
            items = sorted(o.items()) if self.sort_keys else o.items()
            pairs = [(key, v) for key, v in ((self._key(k), v) for k, v in items)
                     if key is not None]
            self._container("{", "}", pairs, out, level, self._enc_pair)
        else:
            self._enc(self.default(o), out, level)


    def _enc_pair(self, pair, out, level):
        key, v = pair
        out.append(_encode_str(key, self.ensure_ascii))
        out.append(self.key_separator)
        self._enc(v, out, level)

    def _container(self, opening, closing, entries, out, level, emit):
        """`opening` entry, entry, ... `closing`, one entry per line when indenting."""
        if not entries:
            out.append(opening + closing)
            return
        out.append(opening)
        if self.indent is not None:
            level += 1
            nl = "\n" + self.indent * level
            sep = self.item_separator + nl
            out.append(nl)
        else:
            sep = self.item_separator
        for i, entry in enumerate(entries):
            if i:
                out.append(sep)
            emit(entry, out, level)
        if self.indent is not None:
            out.append("\n" + self.indent * (level - 1))
        out.append(closing)


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
          cls=None, indent=None, separators=None, default=None, sort_keys=False, **kw):
    enc = (cls or JSONEncoder)(skipkeys=skipkeys, ensure_ascii=ensure_ascii, allow_nan=allow_nan,
                               indent=indent, separators=separators, default=default, sort_keys=sort_keys)
    return enc.encode(obj)


def dump(obj, fp, **kw):
    fp.write(dumps(obj, **kw))


class _Parser:
    def __init__(self, s, object_hook=None, parse_float=None, parse_int=None, object_pairs_hook=None):
        self.s = s
        self.i = 0
        self.object_hook = object_hook
        self.object_pairs_hook = object_pairs_hook
        self.parse_float = parse_float or float
        self.parse_int = parse_int or int

    def error(self, msg, pos=None):
        raise JSONDecodeError(msg, self.s, self.i if pos is None else pos)

    def ws(self):
        s = self.s
        n = len(s)
        while self.i < n and s[self.i] in " \t\n\r":
            self.i += 1

    def value(self):
        self.ws()
        s = self.s
        if self.i >= len(s):
            self.error("Expecting value")
        c = s[self.i]
        if c == '"':
            return self.string()
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if s.startswith("null", self.i):
            self.i += 4
            return None
        if s.startswith("true", self.i):
            self.i += 4
            return True
        if s.startswith("false", self.i):
            self.i += 5
            return False
        if s.startswith("NaN", self.i):
            self.i += 3
            return float("nan")
        if s.startswith("Infinity", self.i):
            self.i += 8
            return float("inf")
        if s.startswith("-Infinity", self.i):
            self.i += 9
            return float("-inf")
        return self.number()

    def number(self):
        s = self.s
        start = self.i
        j = self.i
        if j < len(s) and s[j] == "-":
            j += 1
        if j >= len(s) or not s[j].isdigit():
            self.error("Expecting value", start)
        if s[j] == "0":
            j += 1
        else:
            while j < len(s) and s[j].isdigit():
                j += 1
        is_float = False
        if j < len(s) and s[j] == "." and j + 1 < len(s) and s[j + 1].isdigit():
            is_float = True
            j += 1
            while j < len(s) and s[j].isdigit():
                j += 1
        if j < len(s) and s[j] in "eE":
            k = j + 1
            if k < len(s) and s[k] in "+-":
                k += 1
            if k < len(s) and s[k].isdigit():
                is_float = True
                j = k
                while j < len(s) and s[j].isdigit():
                    j += 1
        self.i = j
        text = s[start:j]
        return self.parse_float(text) if is_float else self.parse_int(text)

    def string(self):
        s = self.s
        start = self.i
        self.i += 1
        out = []
        while True:
            j = self.i
            while j < len(s) and s[j] != '"' and s[j] != "\\":
                if ord(s[j]) < 0x20:
                    self.error("Invalid control character at", j)
                j += 1
            out.append(s[self.i:j])
            if j >= len(s):
                self.error("Unterminated string starting at", start)
            if s[j] == '"':
                self.i = j + 1
                return "".join(out)
            esc = s[j + 1:j + 2]
            if esc == "u":
                code = int(s[j + 2:j + 6], 16)
                j += 6
                if 0xd800 <= code < 0xdc00 and s[j:j + 2] == "\\u":
                    low = int(s[j + 2:j + 6], 16)
                    if 0xdc00 <= low < 0xe000:
                        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
                        j += 6
                out.append(chr(code))
            else:
                m = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
                if esc not in m:
                    self.error("Invalid \\escape", j)
                out.append(m[esc])
                j += 2
            self.i = j

    def obj(self):
        self.i += 1
        pairs = []
        self.ws()
        if self.s[self.i:self.i + 1] == "}":
            self.i += 1
            return self._finish_obj(pairs)
        while True:
            self.ws()
            if self.s[self.i:self.i + 1] != '"':
                self.error("Expecting property name enclosed in double quotes")
            k = self.string()
            self.ws()
            if self.s[self.i:self.i + 1] != ":":
                self.error("Expecting ':' delimiter")
            self.i += 1
            v = self.value()
            pairs.append((k, v))
            self.ws()
            c = self.s[self.i:self.i + 1]
            self.i += 1
            if c == "}":
                return self._finish_obj(pairs)
            if c != ",":
                self.error("Expecting ',' delimiter", self.i - 1)

    def _finish_obj(self, pairs):
        if self.object_pairs_hook is not None:
            return self.object_pairs_hook(pairs)
        d = dict(pairs)
        if self.object_hook is not None:
            return self.object_hook(d)
        return d

    def arr(self):
        self.i += 1
        out = []
        self.ws()
        if self.s[self.i:self.i + 1] == "]":
            self.i += 1
            return out
        while True:
            out.append(self.value())
            self.ws()
            c = self.s[self.i:self.i + 1]
            self.i += 1
            if c == "]":
                return out
            if c != ",":
                self.error("Expecting ',' delimiter", self.i - 1)


def loads(s, *, cls=None, object_hook=None, parse_float=None, parse_int=None, object_pairs_hook=None, **kw):
    if not isinstance(s, str):
        raise TypeError(f"the JSON object must be str, bytes or bytearray, not {s.__class__.__name__}")
    p = _Parser(s, object_hook, parse_float, parse_int, object_pairs_hook)
    v = p.value()
    p.ws()
    if p.i != len(s):
        p.error("Extra data")
    return v


def load(fp, **kw):
    return loads(fp.read(), **kw)


class JSONDecoder:
    def __init__(self, **kw):
        self.kw = kw

    def decode(self, s):
        return loads(s, **self.kw)
