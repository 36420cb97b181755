# `import genericpath` as a program's first import: CPython's start-up has imported
# `os` already, which the Lib's genericpath -> os -> posixpath -> genericpath order
# relies on.
import genericpath
import sys

print(genericpath.exists("/"), genericpath.isdir("/"), genericpath.isfile("/"))
print(genericpath.commonprefix(["/usr/lib", "/usr/local"]))
print(genericpath._splitext("a/b.tar.gz", "/", None, "."))
print("os" in sys.modules, "posixpath" in sys.modules)
import os.path
print(os.path.splitext.__doc__ == genericpath._splitext.__doc__)
