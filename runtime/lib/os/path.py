"""POSIX pathname functions (pure string manipulation, plus exists/isfile/isdir)."""
import _os

sep = "/"


def _fs(p):
    """str of a path-like argument (pathlib objects and DirEntry included)."""
    if isinstance(p, str):
        return p
    f = getattr(type(p), "__fspath__", None)
    if f is None:
        raise TypeError(f"expected str, bytes or os.PathLike object, not {type(p).__name__}")
    return f(p)


def join(a, *p):
    a = _fs(a)
    p = [_fs(b) for b in p]
    path = a
    for b in p:
        if b.startswith("/"):
            path = b
        elif not path or path.endswith("/"):
            path += b
        else:
            path += "/" + b
    return path


def split(p):
    p = _fs(p)
    i = p.rfind("/") + 1
    head, tail = p[:i], p[i:]
    if head and head != "/" * len(head):
        head = head.rstrip("/")
    return head, tail


def basename(p):
    p = _fs(p)
    return p[p.rfind("/") + 1:]


def dirname(p):
    p = _fs(p)
    return split(p)[0]


def splitext(p):
    p = _fs(p)
    base = basename(p)
    i = base.rfind(".")
    if i <= 0 or base[:i] == "." * i:
        return p, ""
    cut = len(p) - len(base) + i
    return p[:cut], p[cut:]


def isabs(p):
    p = _fs(p)
    return p.startswith("/")


def normpath(path):
    path = _fs(path)
    if not path:
        return "."
    initial = 1 if path.startswith("/") else 0
    if initial and path.startswith("//") and not path.startswith("///"):
        initial = 2
    comps = []
    for comp in path.split("/"):
        if comp in ("", "."):
            continue
        if comp != ".." or (not initial and not comps) or (comps and comps[-1] == ".."):
            comps.append(comp)
        elif comps:
            comps.pop()
    path = "/".join(comps)
    if initial:
        path = "/" * initial + path
    return path or "."


def abspath(p):
    p = _fs(p)
    if not isabs(p):
        p = join(_os.getcwd(), p)
    return normpath(p)


def exists(p):
    p = _fs(p)
    return _os.stat_kind(p) != 0


def isfile(p):
    p = _fs(p)
    return _os.stat_kind(p) == 1


def isdir(p):
    p = _fs(p)
    return _os.stat_kind(p) == 2


def expanduser(p):
    p = _fs(p)
    if p.startswith("~"):
        home = _os.environ().get("HOME", "")
        return home + p[1:]
    return p


def getsize(p):
    p = _fs(p)
    from os import stat
    return stat(p).st_size


def getmtime(p):
    p = _fs(p)
    from os import stat
    return stat(p).st_mtime


def getatime(p):
    p = _fs(p)
    from os import stat
    return stat(p).st_atime


def getctime(p):
    p = _fs(p)
    from os import stat
    return stat(p).st_ctime


def relpath(path, start=None):
    path = _fs(path)
    if not path:
        raise ValueError("no path specified")
    start = "." if start is None else _fs(start)
    start_parts = [x for x in abspath(start).split(sep) if x]
    path_parts = [x for x in abspath(path).split(sep) if x]
    i = 0
    while i < min(len(start_parts), len(path_parts)) and start_parts[i] == path_parts[i]:
        i += 1
    rel = [".."] * (len(start_parts) - i) + path_parts[i:]
    return join(*rel) if rel else "."


def commonprefix(m):
    if not m:
        return ""
    s1, s2 = min(m), max(m)
    for i, c in enumerate(s1):
        if c != s2[i]:
            return s1[:i]
    return s1
