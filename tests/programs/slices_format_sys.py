# slice.indices, zero fill with explicit alignment, casefold, sys records.
for args in [(1, 5, 2), (None, None, -1), (-3, None), (None, 100, 3), (5, 1, -2), (None,)]:
    s = slice(*args)
    print(s, [s.indices(n) for n in (0, 3, 10)])
print("{:>08.3f}|{:<06d}|{:^09.2f}|{:08.3f}|{:x>8}".format(-3.14159, 42, 2.5, -3.14159, "ab"))
print("Straße".casefold(), "ſ".casefold(), "ẞ".casefold(), "ÀÉ".casefold())
import sys
print(sys.implementation.name in ("cpython", "stitch"), sys.int_info.bits_per_digit, sys.getdefaultencoding())
try:
    slice(1, 2).indices(-1)
except ValueError as e:
    print(e)
