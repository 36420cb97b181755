# Containers compare their items with the full `==` protocol: builtin types that
# compare by value (bytearray, range, array, deque, dict views, weak references, bytes
# against bytearray) are equal inside lists, tuples and dicts as they are alone.
import array
import collections
import weakref


class K:
    pass


k = K()
r1, r2 = weakref.ref(k), weakref.ref(k)
print([bytearray(b"a")] == [bytearray(b"a")], [b"a"] == [bytearray(b"a")])
print({0: bytearray(b"a")} == {0: bytearray(b"a")}, (bytearray(b"a"),) == (bytearray(b"a"),))
print([range(3)] == [range(3)], [memoryview(b"a")] == [memoryview(b"a")], [r1] == [r2])
print([{1: 2}.keys()] == [{1: 2}.keys()], [{1: 2}.items()] == [{1: 2}.items()])
print([array.array("i", [1])] == [array.array("i", [1])], [collections.deque([1])] == [collections.deque([1])])
print((weakref.proxy(k),) == (weakref.proxy(k),), [1.0] == [True], [None] == [0], [K] == [K], [len] == [len])
print(bytearray(b"x") in [b"x"], range(0) in [range(5, 5)], [1, "a"] == [1, b"a"])

# Ranges are equal when they yield the same ints; equal ranges hash alike.
print(range(0) == range(2, 2), range(0, 3) == range(3), range(1, 2, 5) == range(1, 3, 7))
print(range(0, 10, 2) == range(0, 9, 2), range(3) != range(3), range(10**30, 10**30 + 3) == range(10**30, 10**30 + 3))
print(hash(range(3)) == hash(range(0, 3, 1)), hash(range(0)) == hash(range(7, 7)), hash(range(3)))
print({range(3): "r"}.get(range(0, 3)), len({range(0), range(4, 4), range(1, 2, 9), range(1, 2)}))
