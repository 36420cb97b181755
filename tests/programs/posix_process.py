# posix: processes, environment, wait statuses, pipes and misc system queries.
import posix

print(posix.getpid() > 0, posix.getppid() > 0, posix.getuid() >= 0, posix.getgid() >= 0,
      posix.geteuid() == posix.getuid(), posix.getpgrp() > 0)
print(posix.WIFEXITED(0), posix.WEXITSTATUS(3 << 8), posix.WIFSIGNALED(9), posix.WTERMSIG(9),
      posix.WIFSTOPPED(0x137f), posix.WSTOPSIG(0x137f), posix.WCOREDUMP(0x80 | 6))
for s in [0, 1 << 8, 255 << 8, 9, 15]:
    print(s, posix.waitstatus_to_exitcode(s))
try:
    posix.waitstatus_to_exitcode(0x137f)
except ValueError as e:
    print("ValueError:", e)
env = posix.environ
print(type(env).__name__, all(type(k) is bytes and type(v) is bytes for k, v in env.items()),
      b"PATH" in env)
posix.putenv("STITCH_TEST_VAR", "1")
posix.unsetenv("STITCH_TEST_VAR")
for bad in [("", "x"), ("a=b", "x"), ("=a", "x")]:
    try:
        posix.putenv(*bad)
    except (ValueError, OSError) as e:
        print(type(e).__name__, e)
for bad in ["", "a=b"]:
    try:
        posix.unsetenv(bad)
    except OSError as e:
        print(type(e).__name__, e)
print(posix.strerror(2), posix.strerror(13), posix.strerror(0))
print(type(posix.cpu_count()).__name__, posix.cpu_count() >= 1, len(posix.urandom(16)),
      posix.urandom(0), len(posix.getrandom(4)))
try:
    posix.urandom(-1)
except ValueError as e:
    print("ValueError:", e)
u = posix.uname()
print(type(u).__name__, u.sysname, len(u), posix.uname_result.__match_args__)
t = posix.times()
print(type(t).__name__, len(t), t.user >= 0, t.elapsed > 0)
print(posix.sysconf("SC_PAGESIZE") > 0, posix.sysconf_names["SC_PAGESIZE"] == posix.sysconf("SC_PAGESIZE") * 0 + posix.sysconf_names["SC_PAGESIZE"])
try:
    posix.sysconf("NOPE")
except ValueError as e:
    print("ValueError:", e)
print(type(posix.confstr("CS_PATH")).__name__, posix.fpathconf(0, "PC_PIPE_BUF") >= 512 or True)
print(type(posix.sched_getaffinity(0)).__name__, len(posix.sched_getaffinity(0)) >= 1)
print(posix.O_RDONLY, posix.O_WRONLY, posix.O_RDWR, posix.O_CREAT, posix.O_EXCL, posix.O_TRUNC,
      posix.O_APPEND, posix.O_CLOEXEC, posix.F_OK, posix.R_OK, posix.W_OK, posix.X_OK,
      posix.WNOHANG, posix.EX_OK)
print({"HAVE_FSTATAT", "HAVE_OPENAT", "HAVE_UNLINKAT", "HAVE_FDOPENDIR"} <= set(posix._have_functions), posix.error is OSError)
print(posix.terminal_size((80, 24)), posix.terminal_size((80, 24)).columns)
r, w = posix.pipe()
print(posix.write(w, b"data"), posix.read(r, 2), posix.read(r, 10))
posix.close(w)
print(posix.read(r, 10))
posix.close(r)
r, w = posix.pipe2(posix.O_NONBLOCK)
print(posix.get_blocking(r))
try:
    posix.read(r, 1)
except BlockingIOError as e:
    print("BlockingIOError", e.errno)
posix.set_blocking(r, True)
print(posix.get_blocking(r), posix.isatty(r), posix.device_encoding(r))
posix.close(r)
posix.close(w)
try:
    posix.kill(999999, 0)
except ProcessLookupError as e:
    print("ProcessLookupError", e.errno)
posix.kill(posix.getpid(), 0)
calls = []
posix.register_at_fork(before=lambda: calls.append("before"),
                       after_in_parent=lambda: calls.append("parent"))
try:
    posix.register_at_fork()
except TypeError as e:
    print("TypeError:", e)
pid = posix.fork()
if pid == 0:
    posix._exit(7)
wpid, status = posix.waitpid(pid, 0)
print(wpid == pid, posix.waitstatus_to_exitcode(status), calls)
try:
    posix.waitpid(pid, 0)
except ChildProcessError as e:
    print("ChildProcessError", e.errno)
print(posix.WNOHANG, posix.system("exit 3") >> 8)
