# reversed() over the bytes-like sequences.
print(list(reversed(b'abc')), list(reversed(bytearray(b'xy'))), list(reversed(memoryview(b'pq'))))
print(list(reversed(b'')), list(reversed(bytearray())))
r = reversed(b'hello')
print(next(r), bytes(r))
ba = bytearray(b'abcd')
r = reversed(ba)
print(next(r))
del ba[:2]
print(list(r))
print(b''.join(bytes([c]) for c in reversed(b'stitch')))
# A list that shrinks under a reverse iterator ends it for good.
l = [1, 2, 3, 4]
r = reversed(l)
print(next(r))
del l[1:]
print(list(r), list(r))
try:
    bytearray(b'ab')[5]
except IndexError as e:
    print(e)
