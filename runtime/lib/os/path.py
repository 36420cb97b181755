"""POSIX pathname functions (pure string manipulation, plus exists/isfile/isdir)."""
import _os

sep = "/"


def join(a, *p):
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
    i = p.rfind("/") + 1
    head, tail = p[:i], p[i:]
    if head and head != "/" * len(head):
        head = head.rstrip("/")
    return head, tail


def basename(p):
    return p[p.rfind("/") + 1:]


def dirname(p):
    return split(p)[0]


def splitext(p):
    base = basename(p)
    i = base.rfind(".")
    if i <= 0 or base[:i] == "." * i:
        return p, ""
    cut = len(p) - len(base) + i
    return p[:cut], p[cut:]


def isabs(p):
    return p.startswith("/")


def normpath(path):
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
    if not isabs(p):
        p = join(_os.getcwd(), p)
    return normpath(p)


def exists(p):
    return _os.stat_kind(p) != 0


def isfile(p):
    return _os.stat_kind(p) == 1


def isdir(p):
    return _os.stat_kind(p) == 2


def expanduser(p):
    if p.startswith("~"):
        home = _os.environ().get("HOME", "")
        return home + p[1:]
    return p
