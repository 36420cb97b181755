# OSError's constructor protocol: errno/strerror/filename/filename2, args, str(),
# and the errno -> subclass map (PEP 3151).
import errno

e = OSError(2, "No such file", "a.txt")
print(type(e).__name__, e.errno, e.strerror, e.filename, e.filename2, e.args)
print(str(e), repr(e))
e = OSError(1, "Not permitted", "src", None, "dst")
print(type(e).__name__, str(e), e.args, e.filename2)
print(str(OSError(1)), OSError(1).errno, str(OSError()), OSError().args)
print(str(OSError("x", "y")), OSError("x", "y").errno)
print(str(OSError(1, 2, 3, 4, 5, 6)), OSError(1, 2, 3, 4, 5, 6).errno)
print(OSError(1, "a", None).args, str(OSError(1, "a", None)))
print(str(OSError(2, "x", b"f")), str(OSError(2, "x", 3)))
for code in [errno.EAGAIN, errno.EWOULDBLOCK, errno.EALREADY, errno.EINPROGRESS, errno.ECHILD,
             errno.EPIPE, errno.ESHUTDOWN, errno.ECONNABORTED, errno.ECONNREFUSED,
             errno.ECONNRESET, errno.EEXIST, errno.ENOENT, errno.EISDIR, errno.ENOTDIR,
             errno.EINTR, errno.EACCES, errno.EPERM, errno.ESRCH, errno.ETIMEDOUT, errno.EIO]:
    print(errno.errorcode[code], type(OSError(code, "m")).__name__)
print(type(FileNotFoundError(13, "x")).__name__, IOError is OSError, EnvironmentError is OSError)
e = OSError(2, "x", "f")
e.errno = 5
e.filename = "g"
print(e, e.args)
print(BlockingIOError(11, "busy", 7).characters_written, BlockingIOError(11, "busy", 7).args)


class MyError(OSError):
    def __init__(self, name):
        super().__init__(errno.EACCES, "denied", name)


m = MyError("secret")
print(type(m).__name__, m, m.args, m.errno, m.filename, isinstance(m, OSError))


class Plain(OSError):
    pass


p = Plain(errno.ENOENT, "gone", "p")
print(type(p).__name__, p, p.args, p.filename)
try:
    raise FileExistsError(errno.EEXIST, "exists", "dir")
except OSError as exc:
    print(type(exc).__name__, exc)
try:
    open("/nonexistent-dir/file")
except FileNotFoundError as exc:
    print(exc.errno, exc.filename)
raise PermissionError(errno.EACCES, "Permission denied", "/root/x")
