"""Files for open(), text and binary: read whole on open, written on flush/close."""
import _os


_open_for_writing = []


def _flush_all():
    """Called by the runtime at exit: unclosed files keep what was written to them."""
    for f in list(_open_for_writing):
        f.close()


class _File:
    """What text and binary files share: the whole content is read on open, writes are
    kept until flush/close. Subclasses give the empty value, newline and I/O calls."""
    _empty = ""
    _newline = "\n"

    def __init__(self, name, mode):
        self.name = name
        self.mode = mode
        self.closed = False
        self._pos = 0
        self._pending = []
        if "r" in mode:
            self._data = self._read_all(name)
        else:
            self._data = self._empty
            if "x" in mode and _os.stat_kind(name) != 0:
                raise FileExistsError(f"[Errno 17] File exists: '{name}'")
            if "w" in mode or "x" in mode:
                self._write(name, self._empty, False)
            _open_for_writing.append(self)

    def _check(self):
        if self.closed:
            raise ValueError("I/O operation on closed file.")

    def readable(self):
        return "r" in self.mode or "+" in self.mode

    def writable(self):
        return "r" not in self.mode or "+" in self.mode

    def read(self, size=-1):
        self._check()
        if not self.readable():
            raise OSError("not readable")
        if size is None or size < 0:
            out = self._data[self._pos:]
        else:
            out = self._data[self._pos:self._pos + size]
        self._pos += len(out)
        return out

    def readline(self, size=-1):
        self._check()
        end = self._data.find(self._newline, self._pos)
        end = len(self._data) if end < 0 else end + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        out = self._data[self._pos:end]
        self._pos = end
        return out

    def readlines(self):
        return list(self)

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def write(self, data):
        self._check()
        data = self._accept(data)
        if not self.writable():
            raise OSError("not writable")
        self._pending.append(data)
        return len(data)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if self._pending:
            self._write(self.name, self._empty.join(self._pending), True)
            self._pending = []

    def close(self):
        if not self.closed:
            self.flush()
            self.closed = True
            if self in _open_for_writing:
                _open_for_writing.remove(self)

    def seek(self, pos, whence=0):
        if whence == 1:
            pos += self._pos
        elif whence == 2:
            pos += len(self._data)
        self._pos = max(pos, 0)
        return self._pos

    def tell(self):
        return self._pos

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class TextIOWrapper(_File):
    _read_all = staticmethod(_os.read_text)
    _write = staticmethod(_os.write_text)

    def _accept(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        return s

    def __repr__(self):
        return f"<_io.TextIOWrapper name={self.name!r} mode={self.mode!r} encoding='UTF-8'>"


class BufferedFile(_File):
    """A binary file: bytes in, bytes out."""
    _empty = b""
    _newline = b"\n"
    _read_all = staticmethod(_os.read_bytes)
    _write = staticmethod(_os.write_bytes)

    def _accept(self, b):
        if isinstance(b, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        return bytes(b)

    def __repr__(self):
        kind = "BufferedReader" if "r" in self.mode and "+" not in self.mode else "BufferedWriter"
        return f"<_io.{kind} name={self.name!r}>"


def open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
    if not isinstance(file, str) and hasattr(type(file), "__fspath__"):
        file = type(file).__fspath__(file)
    for c in mode:
        if c not in "rwatxb+":
            raise ValueError(f"invalid mode: '{mode}'")
    if "b" in mode:
        if encoding is not None:
            raise ValueError("binary mode doesn't take an encoding argument")
        return BufferedFile(file, mode)
    return TextIOWrapper(file, mode)
