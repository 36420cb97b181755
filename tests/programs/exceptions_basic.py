# try/except/else/finally, raise, hierarchy, user exceptions.
def risky(kind):
    if kind == 0:
        return 1 / 0
    if kind == 1:
        return [][1]
    if kind == 2:
        return {}["k"]
    if kind == 3:
        return int("x")
    if kind == 4:
        raise RuntimeError("custom")
    return "ok"

for k in range(6):
    try:
        r = risky(k)
    except ZeroDivisionError as e:
        print(k, "ZeroDivisionError", e)
    except (IndexError, KeyError) as e:
        print(k, type(e).__name__, e)
    except ValueError as e:
        print(k, "ValueError", e)
    except Exception as e:
        print(k, "Exception", type(e).__name__, e.args)
    else:
        print(k, "no error", r)
    finally:
        print(k, "finally")

class AppError(Exception):
    pass
class DbError(AppError):
    def __init__(self, table, msg):
        super().__init__(msg)
        self.table = table
try:
    raise DbError("users", "locked")
except AppError as e:
    print(type(e).__name__, e, e.table, e.args, isinstance(e, Exception))
print(issubclass(KeyError, LookupError), issubclass(ZeroDivisionError, ArithmeticError), issubclass(BaseException, Exception))
def f():
    try:
        return "try"
    finally:
        print("finally runs before return")
print(f())
def g():
    try:
        raise ValueError("inner")
    except ValueError:
        raise
try:
    g()
except ValueError as e:
    print("re-raised:", e)
try:
    try:
        raise KeyError("a")
    finally:
        print("cleanup")
except KeyError as e:
    print("outer caught", repr(e))
e = ValueError("x", 1)
print(e.args, str(e), repr(e), repr(ValueError()), str(KeyError("k")))
try:
    raise TypeError
except TypeError as e:
    print("class raised:", repr(e))
def nested():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
            print("body", i)
        finally:
            print("fin", i)
nested()
try:
    assert 1 == 2, "math broke"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert False
except AssertionError as e:
    print("bare assert:", repr(e))
x = 0
try:
    x = 1
except Exception:
    x = 2
else:
    x = 3
finally:
    x *= 10
print(x)
