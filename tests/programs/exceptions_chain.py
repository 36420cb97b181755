# __context__, __cause__, raise from, exception state.
try:
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise ValueError("converted") from e
except ValueError as e:
    print(repr(e), repr(e.__cause__), e.__suppress_context__)
try:
    try:
        {}["missing"]
    except KeyError:
        raise RuntimeError("during handling")
except RuntimeError as e:
    print(repr(e), repr(e.__context__), e.__cause__)
try:
    try:
        raise OSError("a")
    except OSError:
        raise ValueError("b") from None
except ValueError as e:
    print(repr(e), e.__cause__, e.__suppress_context__, repr(e.__context__))
import sys
try:
    raise KeyError("x")
except KeyError:
    t, v, tb = sys.exc_info()
    print(t.__name__, repr(v))
print(sys.exc_info())
def handler():
    try:
        raise ValueError("first")
    except ValueError as e:
        try:
            raise TypeError("second")
        except TypeError as e2:
            return (repr(e2.__context__), e2.__context__ is e)
print(handler())
class MyErr(Exception):
    def __str__(self):
        return "custom str"
try:
    raise MyErr(1, 2)
except MyErr as e:
    print(str(e), e.args, repr(e))
err = None
try:
    raise StopIteration(5)
except StopIteration as e:
    err = e
print(err.value, err.args)
try:
    raise SystemExit(0)
except SystemExit as e:
    print("caught SystemExit", e.code)
try:
    raise 5
except TypeError as e:
    print("TypeError:", e)
