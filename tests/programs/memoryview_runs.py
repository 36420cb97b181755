# memoryview slices read and written as one run when contiguous; recv_into a view.
b = bytearray(b"0123456789")
m = memoryview(b)
m[2:5] = b"abc"; print(b)
m[::2] = b"ABCDE"; print(b)
s = m[1:9:3]; print(bytes(s), s.tobytes(), len(s))
try: m[0:3] = b"xy"
except ValueError as e: print(e)
import array
a = array.array("i", [1, 2, 3, 4]); ma = memoryview(a)
ma[1:3] = array.array("i", [7, 8]); print(a)
print(bytes(memoryview(b"hello")[1:4]), memoryview(b"hello")[::-1].tobytes())
import socket
x, y = socket.socketpair()
x.sendall(b"data!")
buf = bytearray(100); v = memoryview(buf)
n = y.recv_into(v); print(n, bytes(buf[:n]))
x.sendall(b"more")
n = y.recv_into(v[10:]); print(n, bytes(buf[10:10+n]))
x.sendall(b"xyz")
n = y.recv_into(buf, 2); print(n, bytes(buf[:5]))
import hashlib; print(hashlib.md5(memoryview(b"abcdef")[1:5]).hexdigest())
print(b"--".join([memoryview(b"ab"), memoryview(b"abcd")[1:3]]))
