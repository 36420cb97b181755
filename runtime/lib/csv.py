"""csv: reader, writer, DictReader, DictWriter and dialects (excel, excel-tab, unix),
with the quoting rules and errors of CPython's csv module."""
import io as _io

__all__ = ["QUOTE_MINIMAL", "QUOTE_ALL", "QUOTE_NONNUMERIC", "QUOTE_NONE", "Error",
           "Dialect", "excel", "excel_tab", "unix_dialect", "reader", "writer",
           "register_dialect", "get_dialect", "list_dialects", "unregister_dialect",
           "field_size_limit", "DictReader", "DictWriter", "Sniffer"]

QUOTE_MINIMAL, QUOTE_ALL, QUOTE_NONNUMERIC, QUOTE_NONE = range(4)
_field_limit = 128 * 1024


class Error(Exception):
    pass


Error.__module__ = "_csv"


class Dialect:
    delimiter = ","
    quotechar = '"'
    escapechar = None
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = QUOTE_MINIMAL
    strict = False


class excel(Dialect):
    pass


class excel_tab(excel):
    delimiter = "\t"


class unix_dialect(Dialect):
    lineterminator = "\n"
    quoting = QUOTE_ALL


_dialects = {"excel": excel, "excel-tab": excel_tab, "unix": unix_dialect}


def register_dialect(name, dialect=None, **fmtparams):
    _dialects[name] = _Params(dialect or excel, fmtparams)


def unregister_dialect(name):
    if name not in _dialects:
        raise Error("unknown dialect")
    del _dialects[name]


def get_dialect(name):
    try:
        return _dialects[name]
    except KeyError:
        raise Error("unknown dialect") from None


def list_dialects():
    return list(_dialects)


def field_size_limit(new_limit=None):
    global _field_limit
    old = _field_limit
    if new_limit is not None:
        _field_limit = new_limit
    return old


class _Params:
    """A dialect resolved with keyword overrides, validated like CPython's."""
    _names = ("delimiter", "quotechar", "escapechar", "doublequote", "skipinitialspace",
              "lineterminator", "quoting", "strict")

    def __init__(self, dialect, fmtparams):
        if isinstance(dialect, str):
            dialect = get_dialect(dialect)
        for name in self._names:
            setattr(self, name, fmtparams.pop(name, getattr(dialect, name, getattr(Dialect, name))))
        if fmtparams:
            name = next(iter(fmtparams))
            raise TypeError(f"'{name}' is an invalid keyword argument for this function")
        if not isinstance(self.delimiter, str) or len(self.delimiter) != 1:
            raise TypeError('"delimiter" must be a 1-character string')
        if self.quoting != QUOTE_NONE and self.quotechar is None:
            raise TypeError("quotechar must be set if quoting enabled")


class _Reader:
    def __init__(self, f, dialect="excel", **fmtparams):
        self._it = iter(f)
        self.dialect = _Params(dialect, fmtparams)
        self.line_num = 0

    def __iter__(self):
        return self

    def __next__(self):
        d = self.dialect
        fields = []
        field = []
        state = "start"
        quoted = False
        while True:
            try:
                line = next(self._it)
            except StopIteration:
                if state in ("quoted", "quote_in_quoted") and d.strict:
                    raise Error("unexpected end of data")
                if state == "start" and not fields:
                    raise
                if state == "quoted":
                    raise Error("unexpected end of data")
                fields.append(self._finish("".join(field), quoted))
                return fields
            if not isinstance(line, str):
                raise Error("iterator should return strings, not "
                            f"{type(line).__name__} (the file should be opened in text mode)")
            self.line_num += 1
            i = 0
            n = len(line)
            while i < n:
                c = line[i]
                if state == "start" or state == "field_start":
                    if c in "\r\n":
                        if state == "start" and not fields:
                            return []
                        fields.append(self._finish("".join(field), quoted))
                        return fields
                    if c == " " and d.skipinitialspace:
                        i += 1
                        continue
                    field = []
                    quoted = False
                    if c == d.quotechar and d.quoting != QUOTE_NONE:
                        state = "quoted"
                        quoted = True
                    elif c == d.delimiter:
                        fields.append(self._finish("", False))
                        state = "field_start"
                    elif c == d.escapechar:
                        state = "escape"
                    else:
                        field.append(c)
                        state = "field"
                elif state == "field":
                    if c in "\r\n":
                        fields.append(self._finish("".join(field), quoted))
                        return fields
                    if c == d.delimiter:
                        fields.append(self._finish("".join(field), quoted))
                        field = []
                        quoted = False
                        state = "field_start"
                    elif c == d.escapechar:
                        state = "escape"
                    else:
                        field.append(c)
                elif state == "escape":
                    field.append(c)
                    state = "field"
                elif state == "quoted":
                    if c == d.escapechar:
                        state = "quoted_escape"
                    elif c == d.quotechar:
                        state = "quote_in_quoted"
                    else:
                        field.append(c)
                elif state == "quoted_escape":
                    field.append(c)
                    state = "quoted"
                elif state == "quote_in_quoted":
                    if c == d.quotechar and d.doublequote:
                        field.append(c)
                        state = "quoted"
                    elif c == d.delimiter:
                        fields.append(self._finish("".join(field), quoted))
                        field = []
                        quoted = False
                        state = "field_start"
                    elif c in "\r\n":
                        fields.append(self._finish("".join(field), quoted))
                        return fields
                    elif d.strict:
                        raise Error(f"'{d.delimiter}' expected after '{d.quotechar}'")
                    else:
                        field.append(c)
                        state = "field"
                i += 1
            if state in ("field", "field_start", "quote_in_quoted", "escape"):
                if state == "escape":
                    field.append("\n")
                    state = "field"
                    continue
                fields.append(self._finish("".join(field), quoted))
                return fields
            if state == "quoted":
                pass  # a newline inside quotes continues on the next line

    def _finish(self, s, quoted):
        if len(s) > _field_limit:
            raise Error(f"field larger than field limit ({_field_limit})")
        if self.dialect.quoting == QUOTE_NONNUMERIC and not quoted and s:
            return float(s)
        return s


class _Writer:
    def __init__(self, f, dialect="excel", **fmtparams):
        self._f = f
        self.dialect = _Params(dialect, fmtparams)

    def _field(self, v):
        d = self.dialect
        if v is None:
            s = ""
        elif isinstance(v, float):
            s = repr(v)
        else:
            s = str(v)
        special = (d.delimiter, d.quotechar or "", "\r", "\n")
        if d.quoting == QUOTE_ALL:
            need = True
        elif d.quoting == QUOTE_NONNUMERIC:
            need = not isinstance(v, (int, float))
        elif d.quoting == QUOTE_NONE:
            need = False
        else:
            need = any(ch and ch in s for ch in special)
        if d.quoting == QUOTE_NONE:
            out = []
            for ch in s:
                if ch in special or (d.escapechar and ch == d.escapechar):
                    if not d.escapechar:
                        raise Error("need to escape, but no escapechar set")
                    out.append(d.escapechar)
                out.append(ch)
            return "".join(out)
        if d.quotechar and d.quotechar in s:
            if d.doublequote:
                s = s.replace(d.quotechar, d.quotechar * 2)
            elif d.escapechar:
                s = s.replace(d.quotechar, d.escapechar + d.quotechar)
            else:
                raise Error("need to escape, but no escapechar set")
        return f"{d.quotechar}{s}{d.quotechar}" if need else s

    def writerow(self, row):
        try:
            items = list(row)
        except TypeError:
            raise Error(f"iterable expected, not {type(row).__name__}") from None
        d = self.dialect
        if len(items) == 1 and (items[0] is None or items[0] == "") and d.quoting != QUOTE_NONE:
            line = f"{d.quotechar}{d.quotechar}"
        else:
            line = d.delimiter.join(self._field(v) for v in items)
        return self._f.write(line + d.lineterminator)

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def reader(csvfile, dialect="excel", **fmtparams):
    return _Reader(csvfile, dialect, **fmtparams)


def writer(csvfile, dialect="excel", **fmtparams):
    return _Writer(csvfile, dialect, **fmtparams)


class DictReader:
    def __init__(self, f, fieldnames=None, restkey=None, restval=None, dialect="excel",
                 *args, **kwds):
        self._fieldnames = fieldnames
        self.restkey = restkey
        self.restval = restval
        self.reader = reader(f, dialect, *args, **kwds)
        self.dialect = dialect
        self.line_num = 0

    def __iter__(self):
        return self

    @property
    def fieldnames(self):
        if self._fieldnames is None:
            try:
                self._fieldnames = next(self.reader)
            except StopIteration:
                pass
        self.line_num = self.reader.line_num
        return self._fieldnames

    @fieldnames.setter
    def fieldnames(self, value):
        self._fieldnames = value

    def __next__(self):
        if self.line_num == 0:
            self.fieldnames
        row = next(self.reader)
        self.line_num = self.reader.line_num
        while row == []:
            row = next(self.reader)
        d = dict(zip(self.fieldnames, row))
        lf = len(self.fieldnames)
        lr = len(row)
        if lf < lr:
            d[self.restkey] = row[lf:]
        elif lf > lr:
            for key in self.fieldnames[lr:]:
                d[key] = self.restval
        return d


class DictWriter:
    def __init__(self, f, fieldnames, restval="", extrasaction="raise", dialect="excel",
                 *args, **kwds):
        if extrasaction.lower() not in ("raise", "ignore"):
            raise ValueError(f"extrasaction ({extrasaction}) must be 'raise' or 'ignore'")
        self.fieldnames = fieldnames
        self.restval = restval
        self.extrasaction = extrasaction.lower()
        self.writer = writer(f, dialect, *args, **kwds)

    def writeheader(self):
        return self.writer.writerow(self.fieldnames)

    def _dict_to_list(self, rowdict):
        if self.extrasaction == "raise":
            wrong = [k for k in rowdict if k not in self.fieldnames]
            if wrong:
                raise ValueError("dict contains fields not in fieldnames: "
                                 + ", ".join([repr(x) for x in wrong]))
        return (rowdict.get(key, self.restval) for key in self.fieldnames)

    def writerow(self, rowdict):
        return self.writer.writerow(self._dict_to_list(rowdict))

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


class Sniffer:
    def sniff(self, sample, delimiters=None):
        raise NotImplementedError("stitch does not support csv.Sniffer yet")

    def has_header(self, sample):
        raise NotImplementedError("stitch does not support csv.Sniffer yet")
