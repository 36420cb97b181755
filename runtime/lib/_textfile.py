"""Files for open(), text and binary: read whole on open, written on flush/close."""
import _os


_open_for_writing = []


def _flush_all():
    """Called by the runtime at exit: unclosed files keep what was written to them."""
    for f in list(_open_for_writing):
        f.close()


class TextIOWrapper:
    def __init__(self, name, mode):
        self.name = name
        self.mode = mode
        self.closed = False
        self._pos = 0
        self._pending = []
        if "r" in mode:
            self._data = _os.read_text(name)
        else:
            self._data = ""
            if "w" in mode:
                _os.write_text(name, "", False)
            _open_for_writing.append(self)

    def _check(self):
        if self.closed:
            raise ValueError("I/O operation on closed file.")

    def read(self, size=-1):
        self._check()
        if "r" not in self.mode and "+" not in self.mode:
            raise OSError("not readable")
        if size is None or size < 0:
            out = self._data[self._pos:]
        else:
            out = self._data[self._pos:self._pos + size]
        self._pos += len(out)
        return out

    def readline(self, size=-1):
        self._check()
        end = self._data.find("\n", self._pos)
        end = len(self._data) if end < 0 else end + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        out = self._data[self._pos:end]
        self._pos = end
        return out

    def readlines(self):
        lines = []
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def write(self, s):
        self._check()
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if "r" in self.mode and "+" not in self.mode:
            raise OSError("not writable")
        self._pending.append(s)
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if self._pending:
            _os.write_text(self.name, "".join(self._pending), True)
            self._pending = []

    def close(self):
        if not self.closed:
            self.flush()
            self.closed = True
            if self in _open_for_writing:
                _open_for_writing.remove(self)

    def seek(self, pos, whence=0):
        self._pos = pos
        return pos

    def tell(self):
        return self._pos

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"<_io.TextIOWrapper name={self.name!r} mode={self.mode!r} encoding='UTF-8'>"


class BufferedFile:
    """A binary file: bytes in, bytes out (read whole on open, written on flush/close)."""

    def __init__(self, name, mode):
        self.name = name
        self.mode = mode
        self.closed = False
        self._pos = 0
        self._pending = []
        if "r" in mode:
            self._data = _os.read_bytes(name)
        else:
            self._data = b""
            if "w" in mode:
                _os.write_bytes(name, b"", False)
            elif "x" in mode:
                if _os.stat_kind(name) != 0:
                    raise FileExistsError(f"[Errno 17] File exists: '{name}'")
                _os.write_bytes(name, b"", False)
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
        end = self._data.find(b"\n", self._pos)
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

    def write(self, b):
        self._check()
        if not self.writable():
            raise OSError("not writable")
        if isinstance(b, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        data = bytes(b)
        self._pending.append(data)
        return len(data)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if self._pending:
            _os.write_bytes(self.name, b"".join(self._pending), True)
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
