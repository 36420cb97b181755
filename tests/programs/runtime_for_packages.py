# Runtime behaviours third-party packages rely on (found running pyperformance's
# benchmarks with their requirements installed): each block names the package.
import types
import inspect


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, "raises", type(e).__name__, e)


# six's lazy modules: a module subclass whose __init__ calls super().__init__.
class LazyModule(types.ModuleType):
    def __init__(self, name):
        super(LazyModule, self).__init__(name)
        self.__doc__ = "lazy"


m = LazyModule("six.moves")
print(m.__name__, m.__doc__, m, isinstance(m, types.ModuleType))
print(types.ModuleType.__new__(types.ModuleType))
mm = types.ModuleType("plain", "the doc")
print(mm.__name__, mm.__doc__, mm.__package__, mm.__spec__)
types.ModuleType.__init__(mm, "renamed")
print(mm, mm.__doc__)
show("init bad name", lambda: types.ModuleType.__init__(mm, 3))
show("init not a module", lambda: types.ModuleType.__init__(3, "x"))

# dulwich's config parser: bytes.split with maxsplit, positional or by keyword.
for b in (b"a b  c ", b"  a\x0bb\tc\n", b"a,b,,c", b""):
    print(b.split(), b.split(None, 1), b.split(maxsplit=0), b.rsplit(None, 1))
    print(b.split(b","), b.split(b",", 1), b.split(sep=b",", maxsplit=2), b.rsplit(b",", 1))
print(bytearray(b"x=1=2").split(b"=", 1), bytearray(b"x y z").rsplit(maxsplit=1))
show("split empty sep", lambda: b"abc".split(b""))
show("split bad kw", lambda: b"abc".split(x=1))

# html5lib's input stream: bytes.startswith/endswith with start and end.
data = b"<!DOCTYPE html>"
print(data.startswith(b"DOC", 2), data.startswith(b"DOC", 3), data.startswith((b"x", b"!"), 1, 2))
print(data.endswith(b"html", 0, -1), data.endswith(b"htm", None, -1), data.startswith(b"", 99))
print(bytearray(data).startswith(b"", 15), data.endswith(b">", -1), data.startswith(b"<", -100))

# zipimport and django's autoreload: CPython's frozen bootstrap modules by name.
import _frozen_importlib
import _frozen_importlib_external
import zipimport
print(_frozen_importlib.__name__, _frozen_importlib_external.__name__, zipimport.zipimporter.__name__)
print(_frozen_importlib.ModuleSpec is __import__("importlib.machinery").machinery.ModuleSpec)


# networkx's copyfunc: types.FunctionType(code, globals, name, argdefs, closure).
def outer():
    k = 10

    def inner(a, b=2):
        return a + b + k

    return inner


f = outer()
g = types.FunctionType(f.__code__, f.__globals__, "g", (5,), f.__closure__)
print(g(1), g.__name__, g.__qualname__, g.__defaults__, g is not f)
h = types.FunctionType(show.__code__, globals())
print(h.__name__, h.__defaults__, h.__kwdefaults__)
show("no closure", lambda: types.FunctionType(f.__code__, {}))
show("bad closure len", lambda: types.FunctionType(f.__code__, {}, None, None, ()))
show("not cells", lambda: types.FunctionType(f.__code__, {}, None, None, (1,)))
show("bad code", lambda: types.FunctionType(1, {}))
show("bad globals", lambda: types.FunctionType(f.__code__, []))
show("bad name", lambda: types.FunctionType(h.__code__, {}, 1))
show("bad defaults", lambda: types.FunctionType(h.__code__, {}, None, [1]))

# packaging: collections.abc.Callable[...] subclasses types.GenericAlias and calls
# super().__new__(cls, origin, args).
import collections.abc
from typing import Callable

print(collections.abc.Callable[[int, str], bool], Callable[[int], bool])


class Alias(types.GenericAlias):
    def __new__(cls, origin, args):
        return super().__new__(cls, origin, args)


al = Alias(list, (int,))
print(type(al).__name__, al.__origin__, al.__args__)
print("__new__" in vars(types.GenericAlias))

# xdsl: inspect.signature of a class that inherits object's __new__ and __init__.
class Plain:
    pass


print(inspect.signature(Plain), object.__text_signature__, Plain.__text_signature__)

# typing_extensions.deprecated: attributes on staticmethod and classmethod objects.
sm = staticmethod(outer)
sm.__deprecated__ = "use something else"
print(sm.__deprecated__, sm.__name__, sm.__qualname__, sm.__wrapped__ is outer)
cm = classmethod(outer)
cm.extra = 1
print(sorted(cm.__dict__), cm.extra, cm.__func__ is outer)
show("missing", lambda: sm.nothing)


# click's decorators: deleting a function's attribute (and its defaults).
def decorated(a=1, *, b=2):
    return a


decorated.__click_params__ = [1]
print(decorated.__click_params__)
del decorated.__click_params__
print(hasattr(decorated, "__click_params__"))
show("del again", lambda: delattr(decorated, "__click_params__"))
del decorated.__defaults__
del decorated.__kwdefaults__
print(decorated.__defaults__, decorated.__kwdefaults__)
del sm.__deprecated__
show("del sm attr", lambda: sm.__deprecated__)

# markupsafe, pyyaml, sqlalchemy, tornado: a C extension beside a pure-Python fallback.
# (stitch loads no `.so`: the fallback runs, through the native importer and through
# importlib alike; CPython fails to load this file, which is no real extension.)
import os
import sys
import tempfile

with tempfile.TemporaryDirectory() as tmp:
    pkg = os.path.join(tmp, "speedy")
    os.mkdir(pkg)
    with open(os.path.join(pkg, "__init__.py"), "w") as fh:
        fh.write(
            "try:\n"
            "    from speedy._speedups import escape\n"
            "    KIND = 'C'\n"
            "except ImportError:\n"
            "    from speedy._native import escape\n"
            "    KIND = 'pure'\n"
        )
    with open(os.path.join(pkg, "_native.py"), "w") as fh:
        fh.write("def escape(s):\n    return s.replace('<', '&lt;')\n")
    with open(os.path.join(pkg, "_speedups.cpython-311-x86_64-linux-gnu.so"), "wb") as fh:
        fh.write(b"not an ELF file")
    sys.path.insert(0, tmp)
    import speedy

    print(speedy.KIND, speedy.escape("<b>"))

    class Watcher:
        """A finder of the program's own: imports now go through importlib."""

        seen = []

        def find_spec(self, name, path=None, target=None):
            self.seen.append(name)
            return None

    sys.meta_path.insert(0, Watcher())
    for name in [n for n in sys.modules if n == "speedy" or n.startswith("speedy.")]:
        del sys.modules[name]
    import speedy

    print(speedy.KIND, speedy.escape("<i>"), Watcher.seen[:2])
    del sys.meta_path[0]
    sys.path.remove(tmp)
