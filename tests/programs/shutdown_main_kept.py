# stitch: cyclic (the program keeps its main module in sys on purpose)
# A main module something else still holds at exit is not garbage: its globals become
# None (CPython's _PyModule_ClearDict: `_`-names first, then the rest), so callbacks
# and finalizers that run meanwhile see None rather than failing with a NameError.
import sys
import weakref

_lock = "a lock"
handlers = ["h"]


def _callback(ref):
    print("callback sees", _lock, handlers)


class Resource:
    def __del__(self):
        print("__del__ sees", _lock, handlers)


class Target:
    pass


target = Target()
ref = weakref.ref(target, _callback)
res = Resource()
sys.keep_main = sys.modules[__name__]
print("end of program")
