"""traceback: format and print exceptions as the interpreter does (through the VM's
own formatter, `_traceback`), and walk tracebacks and live stacks through their frame
objects (walk_tb, walk_stack, extract_stack, print_stack). Stands in for CPython's
Lib/traceback.py until its imports (linecache, tokenize, re, enum) run on stitch."""
import sys
import _traceback

__all__ = ["format_exc", "print_exc", "format_exception", "print_exception",
           "format_exception_only", "extract_tb", "format_tb", "print_tb", "format_list",
           "FrameSummary", "StackSummary", "TracebackException", "print_last",
           "walk_tb", "walk_stack", "extract_stack", "format_stack", "print_stack",
           "print_list"]


def _value_of(exc, value):
    # Both the 3.10+ form f(exc) and the classic f(etype, value, tb) are accepted.
    if value is not _sentinel:
        return value
    return exc


_sentinel = object()


def _lines(text):
    return text.splitlines(keepends=True)


def format_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, chain=True):
    value = _value_of(exc, value)
    if value is None:
        return ["NoneType: None\n"]
    if tb is None and value.__cause__ is None and value.__context__ is None:
        # An explicit tb=None: the exception without its traceback.
        return format_exception_only(value)
    return _lines(_traceback.format(value, chain))


def format_exception_only(exc, /, value=_sentinel):
    value = _value_of(exc, value)
    if value is None:
        return ["NoneType: None\n"]
    return _lines(_traceback.format_only(value))


def print_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, file=None, chain=True):
    if file is None:
        file = sys.stderr
    for line in format_exception(exc, value, tb, limit=limit, chain=chain):
        print(line, file=file, end="")


def format_exc(limit=None, chain=True):
    return "".join(format_exception(sys.exc_info()[1], limit=limit, chain=chain))


def print_exc(limit=None, file=None, chain=True):
    print_exception(sys.exc_info()[1], limit=limit, file=file, chain=chain)


def print_last(limit=None, file=None, chain=True):
    if not hasattr(sys, "last_value"):
        raise ValueError("no last exception")
    print_exception(sys.last_value, limit=limit, file=file, chain=chain)


class FrameSummary:
    __slots__ = ("filename", "lineno", "name", "line", "locals")

    def __init__(self, filename, lineno, name, *, lookup_line=True, locals=None, line=None):
        self.filename = filename
        self.lineno = lineno
        self.name = name
        self.line = line
        self.locals = locals

    def __eq__(self, other):
        if isinstance(other, FrameSummary):
            return (self.filename, self.lineno, self.name, self.line) == \
                (other.filename, other.lineno, other.name, other.line)
        if isinstance(other, tuple):
            return (self.filename, self.lineno, self.name, self.line) == other
        return NotImplemented

    def __getitem__(self, pos):
        return (self.filename, self.lineno, self.name, self.line)[pos]

    def __iter__(self):
        return iter([self.filename, self.lineno, self.name, self.line])

    def __len__(self):
        return 4

    def __repr__(self):
        return f"<FrameSummary file {self.filename}, line {self.lineno} in {self.name}>"


class StackSummary(list):
    @classmethod
    def from_list(cls, a_list):
        result = cls()
        for item in a_list:
            if isinstance(item, FrameSummary):
                result.append(item)
            else:
                filename, lineno, name, line = item
                result.append(FrameSummary(filename, lineno, name, line=line))
        return result

    def format(self):
        out = []
        for f in self:
            row = f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
            if f.line:
                row += f"    {f.line.strip()}\n"
            out.append(row)
        return out


def _summary(exc, limit=None):
    entries = _traceback.entries(exc) if exc is not None else []
    if limit is not None:
        entries = entries[:limit] if limit >= 0 else entries[limit:]
    return StackSummary.from_list(entries)


def _source_line(filename, lineno):
    try:
        with open(filename, encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                if i == lineno:
                    return line.strip()
    except (OSError, UnicodeDecodeError):
        pass
    return ""


def walk_tb(tb):
    while tb is not None:
        yield tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next


def walk_stack(f):
    if f is None:
        # As CPython 3.11 (whose count is off when walk_stack is consumed by a
        # comprehension): four frames out from this generator's.
        f = sys._getframe()
        for _ in range(4):
            f = f.f_back if f is not None else None
    while f is not None:
        yield f, f.f_lineno
        f = f.f_back


def _extract(frame_gen, limit):
    items = list(frame_gen)
    if limit is not None:
        items = items[:limit] if limit >= 0 else items[limit:]
    result = StackSummary()
    for f, lineno in items:
        co = f.f_code
        result.append(FrameSummary(co.co_filename, lineno, co.co_name,
                                   line=_source_line(co.co_filename, lineno)))
    return result


def extract_tb(tb, limit=None):
    """`tb` may also be an exception (as stitch's stand-in once required)."""
    if isinstance(tb, BaseException):
        tb = tb.__traceback__
    return _extract(walk_tb(tb), limit)


def extract_stack(f=None, limit=None):
    if f is None:
        f = sys._getframe().f_back
    stack = _extract(walk_stack(f), limit)
    stack.reverse()
    return stack


def format_stack(f=None, limit=None):
    if f is None:
        f = sys._getframe().f_back
    return format_list(extract_stack(f, limit=limit))


def print_stack(f=None, limit=None, file=None):
    if f is None:
        f = sys._getframe().f_back
    print_list(extract_stack(f, limit=limit), file=file)


def print_list(extracted_list, file=None):
    if file is None:
        file = sys.stderr
    for item in StackSummary.from_list(extracted_list).format():
        print(item, file=file, end="")


def format_list(extracted_list):
    return StackSummary.from_list(extracted_list).format()


def format_tb(tb, limit=None):
    return extract_tb(tb, limit).format()


def print_tb(tb, limit=None, file=None):
    if file is None:
        file = sys.stderr
    for line in format_tb(tb, limit):
        print(line, file=file, end="")


class TracebackException:
    def __init__(self, exc_type, exc_value, exc_traceback, *, limit=None, **kwargs):
        self.exc_type = exc_type
        self._value = exc_value
        self.stack = _summary(exc_value, limit)
        self._str = str(exc_value)

    @classmethod
    def from_exception(cls, exc, *args, **kwargs):
        return cls(type(exc), exc, None, *args, **kwargs)

    def __str__(self):
        return self._str

    def format(self, *, chain=True):
        yield from format_exception(self._value, chain=chain)

    def format_exception_only(self):
        yield from format_exception_only(self._value)
