"""hashlib: md5, sha1 and the sha2 family over the native `_hashlib.digest`."""
import _hashlib

algorithms_guaranteed = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512"})
algorithms_available = algorithms_guaranteed

_SIZES = {"md5": (16, 64), "sha1": (20, 64), "sha224": (28, 64), "sha256": (32, 64),
          "sha384": (48, 128), "sha512": (64, 128)}


class _Hash:
    def __init__(self, name, data=b""):
        self.name = name
        self.digest_size, self.block_size = _SIZES[name]
        self._data = bytearray()
        if data:
            self.update(data)

    def update(self, data):
        if isinstance(data, str):
            raise TypeError("Strings must be encoded before hashing")
        self._data += data

    def digest(self):
        return _hashlib.digest(self.name, bytes(self._data))

    def hexdigest(self):
        return self.digest().hex()

    def copy(self):
        h = _Hash(self.name)
        h._data = bytearray(self._data)
        return h

    def __repr__(self):
        return f"<{self.name} _hashlib.HASH object>"


def new(name, data=b"", **kwargs):
    name = name.lower()
    if name not in _SIZES:
        raise ValueError(f"unsupported hash type {name}")
    return _Hash(name, data)


def md5(data=b"", **kwargs):
    return _Hash("md5", data)


def sha1(data=b"", **kwargs):
    return _Hash("sha1", data)


def sha224(data=b"", **kwargs):
    return _Hash("sha224", data)


def sha256(data=b"", **kwargs):
    return _Hash("sha256", data)


def sha384(data=b"", **kwargs):
    return _Hash("sha384", data)


def sha512(data=b"", **kwargs):
    return _Hash("sha512", data)
