"""In-memory text streams (StringIO)."""


class StringIO:
    def __init__(self, initial_value="", newline="\n"):
        self._buf = [initial_value] if initial_value else []
        self._pos = 0
        self._value = None
        self.closed = False

    def _flatten(self):
        if self._value is None:
            self._value = "".join(self._buf)
            self._buf = [self._value]
        return self._value

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"string argument expected, got '{type(s).__name__}'")
        if self._pos == self._length():
            self._buf.append(s)
            self._value = None
            self._pos += len(s)
        else:
            v = self._flatten()
            v = v[:self._pos] + s + v[self._pos + len(s):]
            self._buf = [v]
            self._value = v
            self._pos += len(s)
        return len(s)

    def _length(self):
        return len(self._flatten()) if self._value is None else len(self._value)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def getvalue(self):
        return self._flatten()

    def read(self, size=-1):
        v = self._flatten()
        if size is None or size < 0:
            out = v[self._pos:]
        else:
            out = v[self._pos:self._pos + size]
        self._pos += len(out)
        return out

    def readline(self, size=-1):
        v = self._flatten()
        end = v.find("\n", self._pos)
        end = len(v) if end < 0 else end + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        out = v[self._pos:end]
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
        return iter(self.readlines())

    def seek(self, pos, whence=0):
        self._pos = pos if whence == 0 else (self._pos + pos if whence == 1 else self._length() + pos)
        return self._pos

    def tell(self):
        return self._pos

    def truncate(self, size=None):
        v = self._flatten()
        size = self._pos if size is None else size
        self._buf = [v[:size]]
        self._value = None
        return size

    def flush(self):
        pass

    def close(self):
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()
