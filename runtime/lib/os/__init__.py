"""A small part of os: environ, getpid, getcwd, sep, path."""
import _os
from . import path

name = "posix"
sep = "/"
linesep = "\n"
curdir = "."
pardir = ".."
environ = _os.environ()


def getpid():
    return _os.getpid()


def getcwd():
    return _os.getcwd()


def getenv(key, default=None):
    return environ.get(key, default)


def listdir(p="."):
    return _os.listdir(p)


def cpu_count():
    return _os.cpu_count()


extsep = "."
pathsep = ":"
altsep = None
devnull = "/dev/null"
SEEK_SET, SEEK_CUR, SEEK_END = 0, 1, 2


class PathLike:
    """Objects with __fspath__ (isinstance works through the hook, as in CPython)."""

    @classmethod
    def __subclasshook__(cls, C):
        return hasattr(C, "__fspath__")

    @classmethod
    def __instancecheck__(cls, obj):
        return hasattr(type(obj), "__fspath__")


def fspath(p):
    if isinstance(p, (str, bytes)):
        return p
    f = getattr(type(p), "__fspath__", None)
    if f is None:
        raise TypeError("expected str, bytes or os.PathLike object, not " + type(p).__name__)
    r = f(p)
    if not isinstance(r, (str, bytes)):
        raise TypeError(f"expected {type(p).__name__}.__fspath__() to return str or bytes, "
                        f"not {type(r).__name__}")
    return r


class stat_result(tuple):
    """The result of stat(): ten indexable fields and st_* attributes."""
    n_sequence_fields = 10

    def __new__(cls, values):
        mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime = values
        self = tuple.__new__(cls, (mode, ino, dev, nlink, uid, gid, size, int(atime),
                                   int(mtime), int(ctime)))
        self.st_atime, self.st_mtime, self.st_ctime = atime, mtime, ctime
        return self

    st_mode = property(lambda self: self[0])
    st_ino = property(lambda self: self[1])
    st_dev = property(lambda self: self[2])
    st_nlink = property(lambda self: self[3])
    st_uid = property(lambda self: self[4])
    st_gid = property(lambda self: self[5])
    st_size = property(lambda self: self[6])

    def __repr__(self):
        names = ("st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size",
                 "st_atime", "st_mtime", "st_ctime")
        return "os.stat_result(" + ", ".join(f"{n}={v}" for n, v in zip(names, self)) + ")"


def stat(path, *, follow_symlinks=True):
    return stat_result(_os.stat(fspath(path), follow_symlinks))


def lstat(path):
    return stat_result(_os.stat(fspath(path), False))


def mkdir(path, mode=0o777, *, exist_ok=False):
    _os.mkdir(fspath(path), mode)


def makedirs(name, mode=0o777, exist_ok=False):
    name = fspath(name)
    head, tail = path.split(name)
    if not tail:
        head, tail = path.split(head)
    if head and tail and not path.exists(head):
        try:
            makedirs(head, exist_ok=exist_ok)
        except FileExistsError:
            pass
    try:
        _os.mkdir(name, mode)
    except OSError:
        if not exist_ok or not path.isdir(name):
            raise


def rmdir(path):
    _os.rmdir(fspath(path))


def removedirs(name):
    rmdir(name)
    head, tail = path.split(name)
    if not tail:
        head, tail = path.split(head)
    while head and tail:
        try:
            rmdir(head)
        except OSError:
            break
        head, tail = path.split(head)


def remove(path):
    _os.unlink(fspath(path))


unlink = remove


def rename(src, dst):
    _os.rename(fspath(src), fspath(dst))


replace = rename


def urandom(n):
    return _os.urandom(n)


class DirEntry:
    def __init__(self, dirpath, name):
        self.name = name
        self.path = path.join(dirpath, name)

    def is_dir(self, *, follow_symlinks=True):
        return path.isdir(self.path)

    def is_file(self, *, follow_symlinks=True):
        return path.isfile(self.path)

    def is_symlink(self):
        return False

    def stat(self, *, follow_symlinks=True):
        return stat(self.path, follow_symlinks=follow_symlinks)

    def __fspath__(self):
        return self.path

    def __repr__(self):
        return f"<DirEntry {self.name!r}>"


class _ScandirIterator:
    def __init__(self, p):
        self._entries = iter([DirEntry(p, n) for n in listdir(p)])

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        pass


def scandir(p="."):
    return _ScandirIterator(fspath(p))


def walk(top, topdown=True, onerror=None, followlinks=False):
    top = fspath(top)
    try:
        names = listdir(top)
    except OSError as err:
        if onerror is not None:
            onerror(err)
        return
    dirs, nondirs = [], []
    for name in names:
        (dirs if path.isdir(path.join(top, name)) else nondirs).append(name)
    if topdown:
        yield top, dirs, nondirs
        for name in dirs:
            yield from walk(path.join(top, name), topdown, onerror, followlinks)
    else:
        for name in dirs:
            yield from walk(path.join(top, name), topdown, onerror, followlinks)
        yield top, dirs, nondirs
