# A global that a compiled loop loaded as a constant (promoted) and that the program
# then rebinds must be freed as in CPython. Today tier 2 holds every promoted value
# until exit (`tier2::hold`: another thread may still run a trace that loads it until
# that trace's next patchpoint), so the old list and what it holds stay alive.
import _weakref


class Obj:
    __slots__ = ("n", "__weakref__")

    def __init__(self, n):
        self.n = n


box = [None] * 64
refs = [None] * 64


def churn():
    for k in range(300):
        i = k % 64
        o = Obj(k)
        box[i] = o
        refs[i] = _weakref.ref(o)
        del o
        box[(i + 16) % 64] = None


churn()
box = None
print(sum(r() is not None for r in refs))
