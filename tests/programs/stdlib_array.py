from array import array
import sys
a = array("d", [1.0, 2.5])
a.append(3)
print(a, a[1], len(a), sum(a), a[0:2], a.tolist(), array("i"), array("b", [1, -2]) == array("b", [1, -2]))
b = array("B", range(5)); b[0] = 255; print(b, list(reversed(b)), b.index(3), b * 2)
try:
    array("B", [256])
except OverflowError as e:
    print("OverflowError:", e)
try:
    array("i", [1.5])
except TypeError as e:
    print("TypeError:", e)
print(sys.float_info.max, sys.float_info.epsilon, sys.float_info.dig, sys.float_info.mant_dig)
