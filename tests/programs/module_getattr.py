# PEP 562: a module's own __getattr__ answers names its dict lacks (attribute access,
# getattr/hasattr, from-imports); concurrent.futures loads its executors this way.
import sys
import types

m = types.ModuleType("lazy_mod")
calls = []


def lazy_getattr(name):
    calls.append(name)
    if name == "answer":
        return 42
    raise AttributeError(f"module lazy_mod has no attribute {name}")


m.__getattr__ = lazy_getattr
m.present = "here"
sys.modules["lazy_mod"] = m

print(m.present, m.answer)
print(getattr(m, "missing", "default"), hasattr(m, "missing"), hasattr(m, "answer"))
try:
    m.missing
except AttributeError as e:
    print("AttributeError:", e)
from lazy_mod import answer
print(answer)
try:
    from lazy_mod import nothing
except ImportError as e:
    print("ImportError:", e)
print([c for c in calls if not c.startswith("__")])

import concurrent.futures as cf
print(cf.ThreadPoolExecutor.__name__)
with cf.ThreadPoolExecutor(2) as ex:
    print(list(ex.map(abs, [-1, -2, 3])))

# bytes + any bytes-like object
print(b"ab" + memoryview(b"cd"), bytearray(b"x") + memoryview(b"yz"))
import array
print(b"n" + array.array("b", [65, 66]))
import _thread, math
print(_thread.get_ident.__module__, math.sqrt.__module__, len.__module__)
