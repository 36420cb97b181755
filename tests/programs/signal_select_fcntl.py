# _signal handlers (run in the main thread), select/poll/epoll on pipes, fcntl.
import _signal
import fcntl
import posix
import select
import time

got = []


def handler(sig, frame):
    got.append(sig)


print(_signal.getsignal(_signal.SIGUSR1), _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler)
print(_signal.SIG_DFL, _signal.SIG_IGN, _signal.NSIG, _signal.SIGINT, _signal.SIGTERM)
print(_signal.signal(_signal.SIGUSR1, handler))
posix.kill(posix.getpid(), _signal.SIGUSR1)
print(got)
_signal.raise_signal(_signal.SIGUSR1)
print(got, _signal.getsignal(_signal.SIGUSR1) is handler)
print(_signal.signal(_signal.SIGUSR1, _signal.SIG_IGN) is handler)
_signal.raise_signal(_signal.SIGUSR1)
print(got, _signal.getsignal(_signal.SIGUSR1))
_signal.signal(_signal.SIGUSR1, _signal.SIG_DFL)
try:
    _signal.raise_signal(_signal.SIGINT)
except KeyboardInterrupt as e:
    print("KeyboardInterrupt", e.args)


def raiser(sig, frame):
    raise ValueError("from handler %d" % sig)


_signal.signal(_signal.SIGUSR2, raiser)
try:
    posix.kill(posix.getpid(), _signal.SIGUSR2)
except ValueError as e:
    print("ValueError:", e)
_signal.signal(_signal.SIGALRM, handler)
_signal.alarm(1)
t0 = time.monotonic()
time.sleep(1.3)
print(got, time.monotonic() - t0 >= 1.25)
for bad in [(0, handler), (_signal.SIGUSR1, 5), (_signal.SIGUSR1, None)]:
    try:
        _signal.signal(*bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    _signal.signal(_signal.SIGKILL, handler)
except OSError as e:
    print("OSError", e.errno)
print(len(_signal.valid_signals()), _signal.strsignal(_signal.SIGTERM), _signal.strsignal(_signal.SIGINT))
r, w = posix.pipe()
posix.set_blocking(w, False)
print(_signal.set_wakeup_fd(w), _signal.set_wakeup_fd(-1) == w)
print(select.select([r], [w], [], 0))
posix.write(w, b"x")
print(select.select([r], [], [], 1.0)[0] == [r])
p = select.poll()
p.register(r, select.POLLIN)
p.register(w)
print(sorted(p.poll(0)))
p.modify(w, select.POLLIN)
print(p.poll(10))
p.unregister(w)
try:
    p.unregister(w)
except KeyError as e:
    print("KeyError", e.args[0] == w)
ep = select.epoll()
ep.register(r, select.EPOLLIN)
print(ep.poll(0), ep.closed, ep.fileno() > 2)
ep.close()
print(ep.closed)
try:
    ep.poll(0)
except ValueError as e:
    print("ValueError:", e)
with select.epoll() as ep2:
    ep2.register(w, select.EPOLLOUT)
    print(ep2.poll(1))
print(fcntl.fcntl(r, fcntl.F_GETFD) & fcntl.FD_CLOEXEC, fcntl.fcntl(r, fcntl.F_GETFL) & posix.O_NONBLOCK)
fcntl.fcntl(r, fcntl.F_SETFL, posix.O_NONBLOCK)
print(posix.get_blocking(r))
fcntl.flock(r, fcntl.LOCK_EX)
fcntl.flock(r, fcntl.LOCK_UN)
try:
    fcntl.fcntl(-1, fcntl.F_GETFD)
except ValueError as e:
    print("ValueError:", e)
try:
    fcntl.fcntl(1000, fcntl.F_GETFD)
except OSError as e:
    print(type(e).__name__, e.errno)
print(fcntl.LOCK_SH, fcntl.LOCK_EX, fcntl.LOCK_NB, fcntl.LOCK_UN, fcntl.F_GETFL, fcntl.F_SETFD)
posix.close(r)
posix.close(w)
