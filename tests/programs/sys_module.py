import sys
print(sys.argv[1:], len(sys.argv) >= 1)
print(sys.getrecursionlimit())
sys.setrecursionlimit(2000)
print(sys.getrecursionlimit())
print(sys.maxsize, sys.version_info[0], sys.version_info[:2] >= (3, 8), sys.platform)
print("sys" in sys.modules, "__main__" in sys.modules, type(sys.path).__name__)
print(sys.byteorder, sys.intern("x"))
try:
    sys.exit(0)
except SystemExit as e:
    print("exit code", e.code)
