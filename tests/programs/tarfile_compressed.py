# tarfile's "w:xz"/"w:bz2" and their readers, over _lzma and _bz2 (TarInfo
# declares __slots__ as a dict: names -> docs).
import os
import tarfile
import tempfile

data = b"tar member data " * 1000
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "member.txt")
    with open(src, "wb") as f:
        f.write(data)
    for mode in ("xz", "bz2", "gz"):
        tar = os.path.join(tmp, "a.tar." + mode)
        with tarfile.open(tar, "w:" + mode) as t:
            t.add(src, arcname="member.txt")
        with tarfile.open(tar, "r:" + mode) as t:
            print(mode, t.getnames(), t.extractfile("member.txt").read() == data)
        with tarfile.open(tar) as t:
            print(mode, "auto", t.getnames())
