# posix: files and directories in a private temporary directory, with CPython's
# results and errors (OSError subclasses naming the paths).
import posix
import _stat

base = "/tmp/stitch-posix-files-%d" % posix.getpid()
posix.mkdir(base, 0o755)
try:
    posix.mkdir(base)
except FileExistsError as e:
    print("FileExistsError", e.errno, e.filename == base, e.strerror)
f = base + "/a.txt"
fd = posix.open(f, posix.O_WRONLY | posix.O_CREAT | posix.O_TRUNC, 0o644)
print(posix.write(fd, b"hello world\n"), posix.get_inheritable(fd), posix.get_blocking(fd))
print(posix.lseek(fd, 0, 1), posix.lseek(fd, 0, 0))
st = posix.fstat(fd)
print(st.st_size, _stat.S_ISREG(st.st_mode), _stat.S_IMODE(st.st_mode) & 0o600)
posix.ftruncate(fd, 5)
posix.fsync(fd)
posix.close(fd)
fd = posix.open(f, posix.O_RDONLY)
print(posix.read(fd, 100), posix.read(fd, 100), posix.pread(fd, 3, 1))
fd2 = posix.dup(fd)
print(fd2 != fd, posix.get_inheritable(fd2))
posix.set_inheritable(fd2, True)
print(posix.get_inheritable(fd2))
fd3 = posix.dup2(fd, fd2 + 1, inheritable=False)
print(fd3 == fd2 + 1, posix.get_inheritable(fd3))
for x in (fd, fd2, fd3):
    posix.close(x)
try:
    posix.close(fd)
except OSError as e:
    print(type(e).__name__, e.errno, e)
st = posix.stat(f)
print(len(st), st.st_size, type(st.st_mtime).__name__, type(st.st_mtime_ns).__name__,
      st[8] == int(st.st_mtime), st.st_mtime_ns // 10**9 == st[8], st.st_nlink)
print(posix.stat(f, follow_symlinks=False).st_ino == st.st_ino)
print(type(st).__name__, type(st).__module__, posix.stat_result.n_fields,
      posix.stat_result.n_sequence_fields, posix.stat_result.n_unnamed_fields)
print(posix.stat_result.__match_args__)
posix.mkdir(base + "/sub")
posix.symlink(f, base + "/link")
posix.link(f, base + "/hard")
print(posix.stat(base + "/hard").st_nlink, posix.readlink(base + "/link") == f,
      posix.readlink((base + "/link").encode()) == f.encode())
print(_stat.S_ISLNK(posix.lstat(base + "/link").st_mode), _stat.S_ISREG(posix.stat(base + "/link").st_mode))
print(sorted(posix.listdir(base)), sorted(posix.listdir(base.encode())))
with posix.scandir(base) as it:
    entries = sorted(it, key=lambda e: e.name)
for e in entries:
    print(repr(e), e.name, e.path == base + "/" + e.name, e.is_dir(), e.is_file(),
          e.is_symlink(), e.is_dir(follow_symlinks=False), e.is_file(follow_symlinks=False),
          e.inode() == e.stat(follow_symlinks=False).st_ino, posix.fspath(e) == e.path)
print([e.name for e in sorted(posix.scandir(base.encode()), key=lambda e: e.name)][:1])
posix.rename(f, base + "/b.txt")
try:
    posix.rename(f, base + "/c.txt")
except FileNotFoundError as e:
    print("FileNotFoundError", e.filename == f, e.filename2 == base + "/c.txt")
posix.replace(base + "/b.txt", base + "/a.txt")
posix.utime(f, (1, 2.5))
st = posix.stat(f)
print(st.st_atime, st.st_mtime, st.st_mtime_ns, st[7], st[8])
posix.utime(f, ns=(1500000000, 2500000001))
print(posix.stat(f).st_mtime_ns, posix.stat(f).st_atime_ns)
posix.chmod(f, 0o600)
print(_stat.filemode(posix.stat(f).st_mode))
print(posix.access(f, posix.R_OK), posix.access(base + "/nope", posix.F_OK),
      posix.access(f, posix.X_OK))
posix.truncate(f, 2)
print(posix.stat(f).st_size)
try:
    posix.rmdir(base)
except OSError as e:
    print(type(e).__name__, e.errno, e.strerror)
try:
    posix.unlink(base + "/sub")
except OSError as e:
    print(type(e).__name__, e.errno)
try:
    posix.listdir(f)
except NotADirectoryError as e:
    print("NotADirectoryError", e.errno)
old = posix.umask(0o22)
print(posix.umask(old) == 0o22)
cwd = posix.getcwd()
posix.chdir(base + "/sub")
print(posix.getcwd() == base + "/sub", posix.getcwdb() == (base + "/sub").encode())
posix.chdir(cwd)
for n in ["link", "hard", "a.txt"]:
    posix.remove(base + "/" + n)
posix.rmdir(base + "/sub")
posix.rmdir(base)
print(posix.access(base, posix.F_OK))


class P:
    def __fspath__(self):
        return base


for bad in [None, 1.5, P(), "a\0b", b"a\0b"]:
    try:
        posix.stat(bad)
    except (TypeError, ValueError, OSError) as e:
        print(type(e).__name__, e.filename == base if isinstance(e, OSError) else e)
for f, a in [(posix.mkdir, (None,)), (posix.listdir, (3.5,)), (posix.stat, ()),
             (posix.stat, ("a", "b")), (posix.close, ("a",)), (posix.read, (1,)),
             (posix.fspath, (5,))]:
    try:
        f(*a)
    except TypeError as e:
        print("TypeError:", e)
try:
    posix.stat("a", x=1)
except TypeError as e:
    print("TypeError:", e)
