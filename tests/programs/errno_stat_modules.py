# errno (names and errorcode) and _stat (constants, tests, filemode).
import errno
import _stat

print(errno.ENOENT, errno.EACCES, errno.EAGAIN == errno.EWOULDBLOCK, errno.ENOTSUP == errno.EOPNOTSUPP)
print(len(errno.errorcode), errno.errorcode[errno.EAGAIN], errno.errorcode[errno.EDEADLK])
print(list(errno.errorcode.items())[:8])
print(sorted(n for n in dir(errno) if n.startswith("E"))[:10])
print(all(errno.errorcode[getattr(errno, n)] in dir(errno) for n in dir(errno) if n.startswith("E")))
for m in [0o100644, 0o40755, 0o120777, 0o20620, 0o60660, 0o10600, 0o140755, 0o104755, 0o102755,
          0o41777, 0o41776, 0o100000, 0o4000, 0]:
    print(oct(m), _stat.filemode(m), _stat.S_ISDIR(m), _stat.S_ISREG(m), _stat.S_ISLNK(m),
          _stat.S_ISCHR(m), _stat.S_ISBLK(m), _stat.S_ISFIFO(m), _stat.S_ISSOCK(m),
          _stat.S_IMODE(m), _stat.S_IFMT(m))
print(_stat.S_IFDIR, _stat.S_IFREG, _stat.S_IRWXU, _stat.UF_HIDDEN, _stat.SF_SNAPSHOT, _stat.ST_MTIME)
print(_stat.S_ISDOOR(0), _stat.S_ISPORT(0), _stat.S_ISWHT(0), _stat.S_IFDOOR)
try:
    _stat.S_ISDIR("x")
except TypeError as e:
    print(e)
