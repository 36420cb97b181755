# Each generator keeps the exception it is handling while suspended (CPython's
# gi_exc_state): sys.exc_info() inside and outside, bare raise, and the context of
# an exception thrown into a generator that handles one.
import sys


def handler_gen():
    try:
        raise KeyError("inner")
    except KeyError:
        yield sys.exc_info()[0].__name__
        yield sys.exc_info()[0].__name__
        raise


g = handler_gen()
print("outside before:", sys.exc_info())
print("first:", next(g))
print("outside while suspended:", sys.exc_info())
try:
    raise ValueError("outer")
except ValueError:
    print("second, caller handles ValueError:", next(g))
    print("caller still sees:", sys.exc_info()[0].__name__)
try:
    next(g)
except KeyError as e:
    print("bare raise re-raised:", repr(e), "context:", e.__context__)
print("outside after:", sys.exc_info())


def plain():
    # Not handling anything: sees the resumer's exception.
    yield sys.exc_info()[0]
    yield sys.exc_info()[0]


p = plain()
print(next(p))
try:
    1 / 0
except ZeroDivisionError:
    print(next(p).__name__)


def ctx():
    try:
        raise KeyError("a")
    except Exception:
        yield


c = ctx()
next(c)
try:
    c.throw(ValueError)
except ValueError as e:
    print("thrown context:", type(e.__context__).__name__, e.__context__.args)


def store():
    try:
        yield
    except Exception:
        print("in handler:", sys.exc_info()[0].__name__)
        yield
        print("still:", sys.exc_info()[0].__name__)
        yield


s = store()
next(s)
try:
    raise ValueError
except Exception as exc:
    s.throw(exc)
next(s)
print("done:", sys.exc_info())


# throw() with a class whose construction fails throws that error into the generator.
class E(Exception):
    def __new__(cls, *args, **kwargs):
        return cls


def boring():
    try:
        yield
    except TypeError as e:
        print("generator got:", e)
        yield "recovered"


b = boring()
next(b)
print(b.throw(E))


# Names are assignable strings.
b.__name__ = "renamed"
b.__qualname__ = "Q.renamed"
print(b.__name__, b.__qualname__, "renamed" in repr(b))
for bad in ("__name__", "__qualname__"):
    try:
        setattr(b, bad, 1)
    except TypeError as e:
        print(e)
    try:
        delattr(b, bad)
    except TypeError as e:
        print(e)
