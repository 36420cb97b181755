# try/except* (PEP 654): splitting, binding, re-raising, combining.
import sys


def show(label, e):
    if isinstance(e, BaseExceptionGroup):
        print(label, type(e).__name__, repr(e.message), [show_leaf(x) for x in e.exceptions])
    else:
        print(label, show_leaf(e))


def show_leaf(x):
    if isinstance(x, BaseExceptionGroup):
        return (type(x).__name__, x.message, [show_leaf(y) for y in x.exceptions])
    return repr(x)


def run(f):
    try:
        f()
        print("no exception")
    except BaseException as e:
        show("escaped:", e)


# A group split over two clauses, everything handled.
def t1():
    try:
        raise ExceptionGroup("eg", [ValueError(1), TypeError(2), ValueError(3)])
    except* ValueError as e:
        show("V:", e)
        print("exc_info is the match:", sys.exc_info()[1] is e)
    except* TypeError as e:
        show("T:", e)
    print("after, e bound?", "e" in locals())


run(t1)


# A naked exception is wrapped in an ExceptionGroup('', ...).
def t2():
    try:
        raise ValueError("naked")
    except* ValueError as e:
        show("wrapped:", e)
        print(e.exceptions[0].args, e.args)


run(t2)


# A naked exception that matches nothing escapes as itself.
def t3():
    try:
        raise KeyError("k")
    except* ValueError:
        print("not here")


run(t3)


# The unhandled rest is re-raised with the original's structure.
def t4():
    try:
        raise ExceptionGroup("outer", [ValueError(1), ExceptionGroup("inner", [TypeError(2), KeyError(3)])])
    except* TypeError as e:
        show("T:", e)


run(t4)


# A bare raise re-raises the handled part in place.
def t5():
    g = ExceptionGroup("eg", [ValueError(1), TypeError(2)])
    try:
        raise g
    except* ValueError:
        raise
    except* TypeError:
        pass


run(t5)


# Everything re-raised by bare raises: the original group itself.
def t6b():
    g = ExceptionGroup("eg", [ValueError(1), TypeError(2)])
    try:
        try:
            raise g
        except* ValueError:
            raise
        except* TypeError:
            raise
    except ExceptionGroup as e:
        print("same object:", e is g)


run(t6b)


# New exceptions raised in handlers are grouped with the re-raised rest.
def t7():
    try:
        raise ExceptionGroup("eg", [ValueError(1), TypeError(2), OSError(3)])
    except* ValueError as e:
        raise KeyError("from V") from e
    except* TypeError:
        raise RuntimeError("from T")


def t7b():
    try:
        t7()
    except ExceptionGroup as eg:
        show("combined:", eg)
        k = eg.exceptions[0]
        print(type(k.__cause__).__name__, k.__cause__.message)
        r = eg.exceptions[1]
        print(type(r.__context__).__name__, repr(r.__context__))


run(t7b)


# A single new exception with nothing left is raised alone.
def t8():
    try:
        raise ExceptionGroup("eg", [ValueError(1)])
    except* ValueError:
        raise KeyError("only")


run(t8)


# Tuples of types, and a clause that gets nothing.
def t9():
    try:
        raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])
    except* (ValueError, TypeError) as e:
        show("both:", e)
    except* KeyError:
        print("never")


run(t9)


# else and finally.
def t10(raise_it):
    try:
        if raise_it:
            raise ExceptionGroup("eg", [ValueError(1)])
        print("body done")
    except* ValueError:
        print("handled")
    else:
        print("else")
    finally:
        print("finally")


run(lambda: t10(False))
run(lambda: t10(True))


# Subclasses of ExceptionGroup keep their type through split (derive).
class MyEG(ExceptionGroup):
    def derive(self, excs):
        return MyEG(self.message, excs)


def t11():
    try:
        raise MyEG("mine", [ValueError(1), TypeError(2)])
    except* ValueError as e:
        show("V:", e)


run(t11)


# Types are checked at run time, even when nothing is left.
def t12():
    try:
        raise ValueError(1)
    except* ValueError:
        pass
    except* ExceptionGroup:
        pass


run(t12)


def t13():
    try:
        raise ValueError(1)
    except* 42:
        pass


run(t13)


def t14():
    try:
        raise ValueError(1)
    except* (ValueError, BaseExceptionGroup):
        pass


run(t14)


# Loops inside handlers may break/continue.
def t15():
    try:
        raise ExceptionGroup("eg", [ValueError(i) for i in range(5)])
    except* ValueError as e:
        n = 0
        for x in e.exceptions:
            if x.args[0] == 3:
                break
            if x.args[0] == 1:
                continue
            n += 1
        print("counted", n)


run(t15)


# except* in a loop, at module level, in a generator.
for i in range(3):
    try:
        if i % 2:
            raise ExceptionGroup("odd", [ValueError(i)])
        raise TypeError(i)
    except* ValueError as e:
        print("loop V", i, e.exceptions)
    except* TypeError as e:
        print("loop T", i, e.exceptions)


def gen():
    try:
        yield 1
        raise ExceptionGroup("g", [ValueError("in gen")])
    except* ValueError as e:
        yield repr(e)
    yield 3


print(list(gen()))


# Notes on the original are copied to the parts (so a bare raise counts as new).
def t16():
    g = ExceptionGroup("eg", [ValueError(1), TypeError(2)])
    g.add_note("a note")
    try:
        raise g
    except* ValueError as e:
        print("notes:", e.__notes__, e.__notes__ is g.__notes__)
        raise


run(t16)


# A handler raising inside a nested try/except* .
def t17():
    try:
        raise ExceptionGroup("outer", [ValueError(1), TypeError(2)])
    except* ValueError:
        try:
            raise ExceptionGroup("inner", [KeyError(3)])
        except* KeyError as k:
            show("inner caught", k)
    except* TypeError as t:
        show("outer T", t)


run(t17)
print("done")
