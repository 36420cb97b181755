"""pprint: pretty-print data structures in CPython's layout (width, indent, depth, compact,
sort_dicts, underscore_numbers), for dicts, lists, tuples, sets, frozensets and strings;
other objects print with their repr."""
import re as _re
import sys as _sys

__all__ = ["pprint", "pformat", "isreadable", "isrecursive", "saferepr", "PrettyPrinter", "pp"]


def pprint(object, stream=None, indent=1, width=80, depth=None, *, compact=False,
           sort_dicts=True, underscore_numbers=False):
    PrettyPrinter(stream=stream, indent=indent, width=width, depth=depth, compact=compact,
                  sort_dicts=sort_dicts, underscore_numbers=underscore_numbers).pprint(object)


def pformat(object, indent=1, width=80, depth=None, *, compact=False, sort_dicts=True,
            underscore_numbers=False):
    return PrettyPrinter(indent=indent, width=width, depth=depth, compact=compact,
                         sort_dicts=sort_dicts,
                         underscore_numbers=underscore_numbers).pformat(object)


def pp(object, *args, sort_dicts=False, **kwargs):
    pprint(object, *args, sort_dicts=sort_dicts, **kwargs)


def saferepr(object):
    return PrettyPrinter()._safe_repr(object, {}, None, 0)[0]


def isreadable(object):
    return PrettyPrinter()._safe_repr(object, {}, None, 0)[1]


def isrecursive(object):
    return PrettyPrinter()._safe_repr(object, {}, None, 0)[2]


class _Ordered:
    """A sort key that orders anything: by value when comparable, else by type name and id."""
    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __lt__(self, other):
        try:
            return self.obj < other.obj
        except TypeError:
            return (str(type(self.obj)), id(self.obj)) < (str(type(other.obj)), id(other.obj))


def _pair_key(pair):
    return (_Ordered(pair[0]), _Ordered(pair[1]))


def _recursion(object):
    return f"<Recursion on {type(object).__name__} with id={id(object)}>"


class _Out:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)

    def getvalue(self):
        return "".join(self.parts)


class PrettyPrinter:
    def __init__(self, indent=1, width=80, depth=None, stream=None, *, compact=False,
                 sort_dicts=True, underscore_numbers=False):
        indent = int(indent)
        width = int(width)
        if indent < 0:
            raise ValueError("indent must be >= 0")
        if depth is not None and depth <= 0:
            raise ValueError("depth must be > 0")
        if not width:
            raise ValueError("width must be != 0")
        self._depth = depth
        self._indent_per_level = indent
        self._width = width
        self._stream = stream
        self._compact = bool(compact)
        self._sort_dicts = sort_dicts
        self._underscore_numbers = underscore_numbers

    def pprint(self, object):
        stream = self._stream if self._stream is not None else _sys.stdout
        if stream is not None:
            self._format(object, stream, 0, 0, {}, 0)
            stream.write("\n")

    def pformat(self, object):
        out = _Out()
        self._format(object, out, 0, 0, {}, 0)
        return out.getvalue()

    def isrecursive(self, object):
        return self.format(object, {}, 0, 0)[2]

    def isreadable(self, object):
        s, readable, recursive = self.format(object, {}, 0, 0)
        return readable and not recursive

    def format(self, object, context, maxlevels, level):
        return self._safe_repr(object, context, maxlevels, level)

    # -- layout ------------------------------------------------------------------------

    def _format(self, object, stream, indent, allowance, context, level):
        objid = id(object)
        if objid in context:
            stream.write(_recursion(object))
            return
        rep = self.format(object, context.copy(), self._depth, level)[0]
        if len(rep) > self._width - indent - allowance:
            method = self._layout_for(object)
            if method is not None:
                context[objid] = 1
                method(object, stream, indent, allowance, context, level + 1)
                del context[objid]
                return
        stream.write(rep)

    def _layout_for(self, object):
        r = type(object).__repr__
        if r is dict.__repr__:
            return self._layout_dict
        if r is list.__repr__:
            return self._layout_list
        if r is tuple.__repr__:
            return self._layout_tuple
        if r is set.__repr__ or r is frozenset.__repr__:
            return self._layout_set
        if r is str.__repr__:
            return self._layout_str
        return None

    def _layout_dict(self, object, stream, indent, allowance, context, level):
        stream.write("{")
        if self._indent_per_level > 1:
            stream.write((self._indent_per_level - 1) * " ")
        if object:
            items = object.items()
            if self._sort_dicts:
                items = sorted(items, key=_pair_key)
            self._dict_items(list(items), stream, indent, allowance + 1, context, level)
        stream.write("}")

    def _dict_items(self, items, stream, indent, allowance, context, level):
        indent += self._indent_per_level
        separator = ",\n" + " " * indent
        for i, (key, value) in enumerate(items):
            last = i == len(items) - 1
            key_rep = self.format(key, context, self._depth, level)[0]
            stream.write(key_rep)
            stream.write(": ")
            self._format(value, stream, indent + len(key_rep) + 2,
                         allowance if last else 1, context, level)
            if not last:
                stream.write(separator)

    def _layout_list(self, object, stream, indent, allowance, context, level):
        stream.write("[")
        self._items(object, stream, indent, allowance + 1, context, level)
        stream.write("]")

    def _layout_tuple(self, object, stream, indent, allowance, context, level):
        stream.write("(")
        end = ",)" if len(object) == 1 else ")"
        self._items(object, stream, indent, allowance + len(end), context, level)
        stream.write(end)

    def _layout_set(self, object, stream, indent, allowance, context, level):
        if not object:
            stream.write(repr(object))
            return
        if type(object) is set:
            stream.write("{")
            end = "}"
        else:
            name = type(object).__name__
            stream.write(name + "({")
            end = "})"
            indent += len(name) + 1
        self._items(sorted(object, key=_Ordered), stream, indent, allowance + len(end),
                    context, level)
        stream.write(end)

    def _items(self, items, stream, indent, allowance, context, level):
        items = list(items)
        indent += self._indent_per_level
        if self._indent_per_level > 1:
            stream.write((self._indent_per_level - 1) * " ")
        separator = ",\n" + " " * indent
        room = full = self._width - indent + 1
        pending = ""
        for i, item in enumerate(items):
            last = i == len(items) - 1
            if last:
                full -= allowance
                room -= allowance
            if self._compact:
                rep = self.format(item, context, self._depth, level)[0]
                need = len(rep) + 2
                if room < need:
                    room = full
                    if pending:
                        pending = separator
                if room >= need:
                    room -= need
                    stream.write(pending)
                    pending = ", "
                    stream.write(rep)
                    continue
            stream.write(pending)
            pending = separator
            self._format(item, stream, indent, allowance if last else 1, context, level)

    def _layout_str(self, object, stream, indent, allowance, context, level):
        if not object:
            stream.write(repr(object))
            return
        if level == 1:
            indent += 1
            allowance += 1
        chunks = []
        lines = object.splitlines(True)
        room = self._width - indent
        for i, line in enumerate(lines):
            last_line = i == len(lines) - 1
            limit = room - allowance if last_line else room
            if len(repr(line)) <= limit:
                chunks.append(repr(line))
                continue
            # Break the line after runs of whitespace, filling each chunk.
            words = _re.findall(r"\S*\s*", line)[:-1]
            current = ""
            for j, word in enumerate(words):
                limit = room - allowance if (last_line and j == len(words) - 1) else room
                candidate = current + word
                if len(repr(candidate)) > limit:
                    if current:
                        chunks.append(repr(current))
                    current = word
                else:
                    current = candidate
            if current:
                chunks.append(repr(current))
        if len(chunks) == 1:
            stream.write(repr(object))
            return
        if level == 1:
            stream.write("(")
        stream.write(("\n" + " " * indent).join(chunks))
        if level == 1:
            stream.write(")")

    # -- one-line reprs ------------------------------------------------------------------

    def _safe_repr(self, object, context, maxlevels, level):
        typ = type(object)
        if typ in (int, float, complex, str, bytes, bool, type(None)):
            if typ is int and self._underscore_numbers:
                return f"{object:_d}", True, False
            return repr(object), True, False
        r = typ.__repr__
        if r is dict.__repr__ or r is list.__repr__ or r is tuple.__repr__:
            if not object:
                return repr(object), True, False
            objid = id(object)
            if maxlevels and level >= maxlevels:
                filler = {dict.__repr__: "{...}", list.__repr__: "[...]", tuple.__repr__: "(...)"}
                return filler[r], False, objid in context
            if objid in context:
                return _recursion(object), False, True
            context[objid] = 1
            readable, recursive = True, False
            parts = []
            level += 1
            if r is dict.__repr__:
                items = object.items()
                if self._sort_dicts:
                    items = sorted(items, key=_pair_key)
                for k, v in items:
                    krepr, kreadable, krecur = self.format(k, context, maxlevels, level)
                    vrepr, vreadable, vrecur = self.format(v, context, maxlevels, level)
                    parts.append(f"{krepr}: {vrepr}")
                    readable = readable and kreadable and vreadable
                    recursive = recursive or krecur or vrecur
                text = "{" + ", ".join(parts) + "}"
            else:
                for o in object:
                    orepr, oreadable, orecur = self.format(o, context, maxlevels, level)
                    parts.append(orepr)
                    readable = readable and oreadable
                    recursive = recursive or orecur
                if r is list.__repr__:
                    text = "[" + ", ".join(parts) + "]"
                elif len(parts) == 1:
                    text = "(" + parts[0] + ",)"
                else:
                    text = "(" + ", ".join(parts) + ")"
            del context[objid]
            return text, readable, recursive
        rep = repr(object)
        return rep, bool(rep and not rep.startswith("<")), False
