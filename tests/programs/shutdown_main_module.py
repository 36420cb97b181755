# At exit the main module leaves sys.modules and the collector frees it as garbage
# (CPython's finalize_modules): __del__ runs with every global still bound, and a
# weak reference that is garbage itself is cleared without calling back. logging's
# handler references (weak, with a callback that reads logging's globals) stay quiet.
import logging
import weakref

_lock = "a lock"
handlers = ["h"]


def _callback(ref):
    print("callback sees", _lock, handlers)


class Resource:
    def __del__(self):
        print("__del__ sees", _lock, handlers, Resource.__name__)


class Target:
    pass


target = Target()
ref = weakref.ref(target, _callback)
res = Resource()
logging.basicConfig()
logging.getLogger("x").addHandler(logging.StreamHandler())
print("end of program")
