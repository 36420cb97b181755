# stitch: cyclic
import socket, threading
print(socket.AF_INET, socket.SOCK_STREAM, repr(socket.AF_INET))
print(socket.htons(1), socket.ntohl(1), socket.inet_aton("127.0.0.1"), socket.inet_ntoa(b"\x7f\0\0\1"))
print(socket.inet_pton(socket.AF_INET6, "::1"), socket.inet_ntop(socket.AF_INET6, b"\0"*15+b"\1"))
print(socket.getdefaulttimeout(), socket.timeout is TimeoutError, issubclass(socket.gaierror, OSError))
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen()
port = srv.getsockname()[1]
print(srv.family, srv.type, srv.proto, srv.gettimeout(), srv.getblocking())
def server():
    c, addr = srv.accept()
    with c:
        while True:
            d = c.recv(1024)
            if not d:
                break
            c.sendall(d.upper())
t = threading.Thread(target=server)
t.start()
with socket.create_connection(("127.0.0.1", port)) as s:
    s.sendall(b"hello world")
    print(s.recv(1024))
    f = s.makefile("rwb")
    f.write(b"line one\n"); f.flush()
    print(f.readline())
    f.close()
    s.shutdown(socket.SHUT_WR)
    print(s.recv(10))
t.join()
srv.close()
print(srv)
a, b = socket.socketpair()
a.send(b"x"); print(b.recv(1))
b.settimeout(0.05)
try:
    b.recv(1)
except TimeoutError as e:
    print("timeout", e, type(e).__name__)
b.setblocking(False)
try:
    b.recv(1)
except BlockingIOError as e:
    print("blocking", e.errno)
a.close(); b.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2.sendto(b"dgram", u.getsockname())
data, addr = u.recvfrom(100)
print(data, addr[0])
buf = bytearray(10)
u2.sendto(b"into", u.getsockname())
n, addr = u.recvfrom_into(buf)
print(n, buf)
u.close(); u2.close()
print(socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM))
print(socket.getnameinfo(("127.0.0.1", 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV))
print(socket.gethostbyname("localhost"))
try:
    socket.getaddrinfo("127.0.0.1", "no-such-service-xyz")
except socket.gaierror as e:
    print("gaierror", e.errno, type(e).__module__)
s = socket.socket()
print(s.connect_ex(("127.0.0.1", port)) != 0)
s.close()
try:
    s.recv(1)
except OSError as e:
    print(e)

t = socket.socket()
for bad in ["127.0.0.1", ("127.0.0.1",), ("127.0.0.1", 70000), ("127.0.0.1", "x"), ("127.0.0.1", 1.5)]:
    try:
        t.bind(bad)
    except (TypeError, OverflowError, OSError) as e:
        print(type(e).__name__, e)
for call in [lambda: t.recv(-1), lambda: t.settimeout(-1), lambda: t.recv_into(bytearray(2), 5),
             lambda: socket.htons(-1), lambda: socket.htons(70000), lambda: socket.inet_aton("x.y"),
             lambda: socket.inet_ntoa(b"abc"), lambda: socket.inet_ntop(socket.AF_INET, b"ab"),
             lambda: socket.socket(fileno=-5), lambda: t.settimeout("x")]:
    try:
        call()
    except (TypeError, OverflowError, OSError, ValueError) as e:
        print(type(e).__name__, e)
t.settimeout(2.5)
print(t.gettimeout(), t.timeout, t.getblocking())
t.settimeout(None)
print(t.gettimeout(), t.getblocking())
socket.setdefaulttimeout(3)
n = socket.socket()
print(n.gettimeout())
socket.setdefaulttimeout(None)
n.close()
d = t.dup()
print(d.family == t.family, d.fileno() != t.fileno())
d.close()
fd = t.detach()
print(t.fileno(), fd > 0)
socket.close(fd)
print(socket.gethostname() == socket.gethostname(), type(socket.gethostname()).__name__)
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
print(u.family, u.getsockname() == '')
u.close()
