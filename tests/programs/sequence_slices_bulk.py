# Slicing, slice deletion, repetition and bytearray.extend in bulk, and a
# non-blocking socket send of a bytearray (read in place).
b = bytearray(b'abc')
try:
    b.extend(3)
except TypeError as e:
    print(e)
b.extend(b'de'); b.extend(bytearray(b'f')); b.extend(memoryview(b'gh')); b.extend([105]); b.extend(b)
print(b)
print(b'ab' * 0, b'ab' * 3, b'a' * 5, [1, 2] * 3, (1,) * 4, 'xy' * 3, [] * 5, b'' * 9, 'é' * 3)
l = list(range(20))
del l[2:15:3]; print(l)
del l[::-2]; print(l)
del l[-1:-5:-1]; print(l)
ba = bytearray(range(20))
del ba[1:19:4]; print(ba)
del ba[::-3]; print(ba)
print(l[1:3], tuple(range(9))[2:7], tuple(range(9))[7:2:-2], b'abcdef'[1:4], b'abcdef'[::-1], bytearray(b'xyz')[5:9])
import socket
a, c = socket.socketpair()
a.setblocking(False)
print(a.send(bytearray(b'hello')), c.recv(10))
try:
    a.send(bytearray(b'x'), 'bad')
except TypeError as e:
    print(e)
print(a.send(b'bytes', 0), c.recv(10))
a.close(); c.close()
try:
    a.send(bytearray(b'x'))
except OSError as e:
    print(type(e).__name__, e)
