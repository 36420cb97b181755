# Gap: memoryview, sys.getsizeof, and dunder names in dir() of builtin types.
import sys
m = memoryview(b"abc")
print(m[1], bytes(m[1:]), sys.getsizeof(0) > 0, "__add__" in dir([]))
