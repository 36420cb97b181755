# platform parses sys.version as CPython's: "version (build) [compiler]".
import platform
import sys

print(platform.python_implementation())
print(platform.python_version())
print(platform.python_version_tuple())
print(sys.version.split()[0])
print(type(platform.python_build()), len(platform.python_build()))
print(type(platform.python_compiler()))
print(platform.system(), platform.machine() == __import__("os").uname().machine)
print(isinstance(platform.platform(), str), isinstance(platform.uname().release, str))
