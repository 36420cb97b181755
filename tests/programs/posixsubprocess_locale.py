# _posixsubprocess.fork_exec with 3.11's signature (what subprocess.Popen calls), and
# _locale in the startup locale.
import _locale
import _posixsubprocess
import posix


def run(args, exes, cwd=None, env=None):
    r, w = posix.pipe()
    er, ew = posix.pipe()
    pid = _posixsubprocess.fork_exec(args, exes, True, (ew,), cwd, env, -1, -1, r, w, -1, -1,
                                     er, ew, True, False, -1, None, None, None, -1, None, False)
    posix.close(w)
    posix.close(ew)
    out = b""
    while True:
        chunk = posix.read(r, 1000)
        if not chunk:
            break
        out += chunk
    err = posix.read(er, 1000)
    posix.close(r)
    posix.close(er)
    _, status = posix.waitpid(pid, 0)
    return out, err, posix.waitstatus_to_exitcode(status)


print(run([b"/bin/echo", b"hi", "there"], (b"/bin/echo",)))
print(run([b"sh", b"-c", b"echo $FOO; pwd; exit 3"], (b"/bin/sh",), cwd="/", env=[b"FOO=bar"]))
print(run([b"nope"], (b"/nonexistent/nope",)))
print(run([b"true"], (b"/usr/bin/true",), cwd="/nonexistent"))
print(run([b"x"], (b"/etc/passwd",)))
print(_locale.setlocale(_locale.LC_NUMERIC), _locale.setlocale(_locale.LC_CTYPE) in ("C.UTF-8", "C.utf8"))
print(_locale.nl_langinfo(_locale.CODESET), _locale.getencoding())
print(_locale.localeconv())
print(_locale.nl_langinfo(_locale.DAY_1), _locale.nl_langinfo(_locale.ABMON_12),
      _locale.nl_langinfo(_locale.RADIXCHAR), _locale.nl_langinfo(_locale.D_FMT))
print(_locale.strcoll("a", "b") < 0, _locale.strxfrm("abc"), _locale.CHAR_MAX, _locale.LC_ALL)
try:
    _locale.setlocale(_locale.LC_ALL, "xx_NOPE")
except _locale.Error as e:
    print(type(e).__name__, type(e).__module__, e)
try:
    _locale.nl_langinfo(12345)
except ValueError as e:
    print("ValueError:", e)
print(_locale.setlocale(_locale.LC_ALL, "C"), _locale.setlocale(_locale.LC_NUMERIC))
