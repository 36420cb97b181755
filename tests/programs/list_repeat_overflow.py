# Sequence repetition with counts too large for memory or a machine word: MemoryError
# or OverflowError, never an abort; negative counts give empty results.
import sys

lst = [4, 5, 6, 7]
n = (sys.maxsize * 2 + 2) // len(lst)
for label, f in [("mul", lambda: lst * n), ("rmul", lambda: n * lst)]:
    try:
        f()
    except (MemoryError, OverflowError) as e:
        print(label, type(e).__name__)
b = [1, 2]
try:
    b *= sys.maxsize
except (MemoryError, OverflowError) as e:
    print("imul", type(e).__name__)
print(b)
for big in [2 ** 64, -(2 ** 64)]:
    for seq in [[1], (1,), "ab", b"ab", bytearray(b"ab")]:
        try:
            seq * big
        except OverflowError as e:
            print(type(seq).__name__, e)
c = [1, 2, 3]
c *= 2
print(c)
c *= -1
print(c)
ba = bytearray(b"xy")
try:
    ba *= 2 ** 70
except OverflowError as e:
    print("bytearray imul", e)
print(ba)
