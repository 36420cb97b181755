import importlib
import importlib.util
import importlib.machinery
import sys
import os

m = importlib.import_module("implib_pkg.mod_a")
print(m.VALUE, m.loaded, m.__name__, m.__package__)
print(importlib.import_module(".sub", "implib_pkg").X)
print(m.__spec__.name, m.__spec__.parent, type(m.__loader__).__name__)
print(os.path.basename(m.__spec__.origin), m.__spec__.has_location)
pkg = sys.modules["implib_pkg"]
print(pkg.__spec__.submodule_search_locations is not None, pkg.__doc__)
m.VALUE = 99
r = importlib.reload(m)
print(r is m, m.VALUE, m.loaded)

print(importlib.util.find_spec("json").name)
print(importlib.util.find_spec("no_such_module_here"))
print(importlib.util.find_spec("_thread").origin, importlib.util.find_spec("_thread").loader.__name__)
import _thread
print(_thread.__spec__.origin, _thread.__loader__ is importlib.machinery.BuiltinImporter)
print(importlib.util.resolve_name(".x", "a.b"))
try:
    importlib.import_module("no_such_module_here")
except ModuleNotFoundError as e:
    print(type(e).__name__, e, e.name)
try:
    importlib.import_module(".x")
except TypeError as e:
    print(e)
print([f.__name__ for f in sys.meta_path if isinstance(f, type)])


class Finder:
    """A meta path finder: every import statement must consult it."""
    seen = []

    def find_spec(self, name, path, target=None):
        self.seen.append(name)
        if name == "virtual_mod":
            return importlib.util.spec_from_loader(name, Loader())
        return None


class Loader:
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.answer = 42


sys.meta_path.insert(0, Finder())
import virtual_mod
print(virtual_mod.answer, virtual_mod.__spec__.name, "virtual_mod" in Finder.seen)
import implib_pkg.sub
print("implib_pkg.sub" in Finder.seen)
import colorsys
print("colorsys" in Finder.seen, colorsys.__spec__.name)
del sys.meta_path[0]

e = ImportError("msg", name="n", path="p")
print(e.msg, e.name, e.path, e.args, str(e))
print(ImportError().msg, ImportError("a", "b").msg)
try:
    ImportError(foo=1)
except TypeError as e:
    print(e)
