# atexit: callbacks run at exit in LIFO order, after sys.exit too, with arguments;
# unregister; an exception in a callback is reported and the others still run.
import atexit
import sys


class Obj:
    def __del__(self):
        print("Obj.__del__ after the atexit callbacks")


keep = Obj()


def show(*args, **kwargs):
    print("show", args, sorted(kwargs.items()))


def never():
    print("never runs")


atexit.register(show, 1)
atexit.register(never)
atexit.register(show, 2, key="v")
atexit.register(never)
atexit.unregister(never)


@atexit.register
def decorated():
    print("decorated")


def failing():
    raise RuntimeError("in atexit")


atexit.register(failing)
print(atexit.register(show, 3) is show)
try:
    atexit.register(1)
except TypeError as e:
    print(e)
print("exiting")
sys.exit(4)
