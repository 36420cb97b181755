"""pathlib for POSIX: PurePath/PurePosixPath (pure path algebra) and Path/PosixPath
(file-system operations through os)."""
import os
import fnmatch as _fnmatch

__all__ = ["PurePath", "PurePosixPath", "Path", "PosixPath"]


def _parse(args):
    parts = []
    for a in args:
        if isinstance(a, PurePath):
            s = a._str
        else:
            s = os.fspath(a)
            if not isinstance(s, str):
                raise TypeError("argument should be a str or an os.PathLike object where "
                                f"__fspath__ returns a str, not {type(a).__name__!r}")
        if s.startswith("/"):
            parts = []
            root = "//" if s.startswith("//") and not s.startswith("///") else "/"
            parts.append(root)
        for piece in s.split("/"):
            if piece and piece != ".":
                parts.append(piece)
    return parts


class PurePath:
    __slots__ = ("_parts", "_str")

    def __new__(cls, *args):
        if cls is PurePath:
            cls = PurePosixPath
        return cls._from_parts(_parse(args))

    @classmethod
    def _from_parts(cls, parts):
        self = object.__new__(cls)
        self._parts = parts
        if not parts:
            self._str = "."
        elif parts[0] in ("/", "//"):
            self._str = parts[0] + "/".join(parts[1:])
        else:
            self._str = "/".join(parts)
        return self

    def __str__(self):
        return self._str

    def __fspath__(self):
        return self._str

    def as_posix(self):
        return self._str

    def __repr__(self):
        return f"{type(self).__name__}({self._str!r})"

    def __hash__(self):
        return hash(self._str)

    def __eq__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return self._str == other._str

    def __lt__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return self._parts < other._parts

    def __le__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return self._parts <= other._parts

    def __gt__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return self._parts > other._parts

    def __ge__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return self._parts >= other._parts

    def __truediv__(self, key):
        try:
            return type(self)._from_parts(_parse([self, key]))
        except TypeError:
            return NotImplemented

    def __rtruediv__(self, key):
        try:
            return type(self)._from_parts(_parse([key, self]))
        except TypeError:
            return NotImplemented

    def joinpath(self, *args):
        return type(self)._from_parts(_parse([self, *args]))

    @property
    def parts(self):
        return tuple(self._parts)

    @property
    def root(self):
        return self._parts[0] if self._parts and self._parts[0] in ("/", "//") else ""

    anchor = root
    drive = ""

    @property
    def name(self):
        if not self._parts or self._parts[-1] in ("/", "//"):
            return ""
        return self._parts[-1]

    @property
    def suffix(self):
        name = self.name
        i = name.rfind(".")
        if 0 < i < len(name) - 1:
            return name[i:]
        return ""

    @property
    def suffixes(self):
        name = self.name
        if name.endswith("."):
            return []
        name = name.lstrip(".")
        return ["." + s for s in name.split(".")[1:]]

    @property
    def stem(self):
        name = self.name
        i = name.rfind(".")
        if 0 < i < len(name) - 1:
            return name[:i]
        return name

    @property
    def parent(self):
        if not self._parts or (len(self._parts) == 1 and self.root):
            return self
        return type(self)._from_parts(self._parts[:-1])

    @property
    def parents(self):
        out = []
        p = self
        while True:
            q = p.parent
            if q == p:
                break
            out.append(q)
            p = q
        return tuple(out)

    def with_name(self, name):
        if not self.name:
            raise ValueError(f"{self!r} has an empty name")
        if not name or "/" in name or name == ".":
            raise ValueError(f"Invalid name {name!r}")
        return type(self)._from_parts(self._parts[:-1] + [name])

    def with_stem(self, stem):
        return self.with_name(stem + self.suffix)

    def with_suffix(self, suffix):
        if "/" in suffix or suffix and (not suffix.startswith(".") or suffix == "."):
            raise ValueError(f"Invalid suffix {suffix!r}")
        name = self.name
        if not name:
            raise ValueError(f"{self!r} has an empty name")
        return self.with_name(self.stem + suffix)

    def is_absolute(self):
        return bool(self.root)

    def is_relative_to(self, *other):
        try:
            self.relative_to(*other)
            return True
        except ValueError:
            return False

    def relative_to(self, *other):
        base = type(self)(*other)
        n = len(base._parts)
        if self._parts[:n] != base._parts:
            raise ValueError(f"{str(self)!r} is not in the subpath of {str(base)!r} OR one "
                             "path is relative and the other is absolute.")
        return type(self)._from_parts(self._parts[n:])

    def match(self, pattern):
        pat = _parse([pattern])
        if not pat:
            raise ValueError("empty pattern")
        if pat[0] in ("/", "//"):
            if len(pat) != len(self._parts):
                return False
        elif len(pat) > len(self._parts):
            return False
        for part, p in zip(reversed(self._parts), reversed(pat)):
            if not _fnmatch.fnmatchcase(part, p):
                return False
        return True


class PurePosixPath(PurePath):
    __slots__ = ()


class Path(PurePath):
    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        if cls is Path:
            cls = PosixPath
        return cls._from_parts(_parse(args))

    @classmethod
    def cwd(cls):
        return cls(os.getcwd())

    @classmethod
    def home(cls):
        return cls(os.path.expanduser("~"))

    def absolute(self):
        if self.is_absolute():
            return self
        return type(self)(os.getcwd(), self)

    def resolve(self, strict=False):
        return type(self)(os.path.normpath(os.path.abspath(self._str)))

    def expanduser(self):
        return type(self)(os.path.expanduser(self._str))

    def stat(self, *, follow_symlinks=True):
        return os.stat(self._str, follow_symlinks=follow_symlinks)

    def exists(self):
        return os.path.exists(self._str)

    def is_file(self):
        return os.path.isfile(self._str)

    def is_dir(self):
        return os.path.isdir(self._str)

    def is_symlink(self):
        return False

    def iterdir(self):
        for name in os.listdir(self._str):
            yield self / name

    def glob(self, pattern):
        parts = _parse([pattern])
        yield from self._glob(self, parts)

    def rglob(self, pattern):
        yield from self.glob("**/" + pattern)

    def _glob(self, base, parts):
        if not parts:
            yield base
            return
        head, rest = parts[0], parts[1:]
        if head == "**":
            yield from self._glob(base, rest)
            for child in sorted(base.iterdir()) if base.is_dir() else []:
                if child.is_dir():
                    yield from self._glob(child, parts)
            return
        if not base.is_dir():
            return
        for name in os.listdir(base._str):
            if _fnmatch.fnmatchcase(name, head) and (not name.startswith(".") or head.startswith(".")):
                child = base / name
                if rest and not child.is_dir():
                    continue
                yield from self._glob(child, rest)

    def mkdir(self, mode=0o777, parents=False, exist_ok=False):
        try:
            os.mkdir(self._str, mode)
        except FileNotFoundError:
            if not parents or self.parent == self:
                raise
            self.parent.mkdir(parents=True, exist_ok=True)
            self.mkdir(mode, parents=False, exist_ok=exist_ok)
        except OSError:
            if not exist_ok or not self.is_dir():
                raise

    def rmdir(self):
        os.rmdir(self._str)

    def unlink(self, missing_ok=False):
        try:
            os.unlink(self._str)
        except FileNotFoundError:
            if not missing_ok:
                raise

    def rename(self, target):
        os.rename(self._str, os.fspath(target))
        return type(self)(target)

    replace = rename

    def touch(self, mode=0o666, exist_ok=True):
        if self.exists():
            if not exist_ok:
                raise FileExistsError(f"[Errno 17] File exists: '{self._str}'")
            return
        with open(self._str, "a"):
            pass

    def open(self, mode="r", buffering=-1, encoding=None, errors=None, newline=None):
        return open(self._str, mode, encoding=encoding)

    def read_text(self, encoding=None, errors=None):
        with open(self._str, encoding=encoding) as f:
            return f.read()

    def write_text(self, data, encoding=None, errors=None, newline=None):
        if not isinstance(data, str):
            raise TypeError(f"data must be str, not {type(data).__name__}")
        with open(self._str, "w", encoding=encoding) as f:
            return f.write(data)

    def samefile(self, other):
        a, b = self.stat(), os.stat(os.fspath(other))
        return (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev)


class PosixPath(Path, PurePosixPath):
    __slots__ = ()
