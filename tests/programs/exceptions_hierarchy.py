names = ["BaseException", "Exception", "ArithmeticError", "ZeroDivisionError", "OverflowError",
         "LookupError", "IndexError", "KeyError", "ValueError", "TypeError", "NameError",
         "UnboundLocalError", "AttributeError", "RuntimeError", "RecursionError",
         "NotImplementedError", "StopIteration", "AssertionError", "ImportError",
         "ModuleNotFoundError", "OSError", "FileNotFoundError", "KeyboardInterrupt",
         "SystemExit", "GeneratorExit", "UnicodeError", "UnicodeDecodeError", "EOFError",
         "MemoryError", "SyntaxError", "IndentationError", "Warning", "UserWarning"]
for n in names:
    cls = eval(n) if False else globals()["__builtins__"].__dict__[n] if hasattr(globals()["__builtins__"], "__dict__") else None
for n in names:
    c = [x for x in [BaseException, Exception, ArithmeticError, ZeroDivisionError, OverflowError, LookupError, IndexError, KeyError, ValueError, TypeError, NameError, UnboundLocalError, AttributeError, RuntimeError, RecursionError, NotImplementedError, StopIteration, AssertionError, ImportError, ModuleNotFoundError, OSError, FileNotFoundError, KeyboardInterrupt, SystemExit, GeneratorExit, UnicodeError, UnicodeDecodeError, EOFError, MemoryError, SyntaxError, IndentationError, Warning, UserWarning] if x.__name__ == n][0]
    print(n, [b.__name__ for b in c.__mro__])
print(issubclass(KeyboardInterrupt, Exception), issubclass(SystemExit, BaseException))
try:
    raise IndexError("i")
except LookupError as e:
    print("LookupError caught", type(e).__name__)
try:
    raise NotImplementedError
except RuntimeError as e:
    print("RuntimeError caught", type(e).__name__)
class E1(ValueError):
    pass
class E2(E1):
    pass
try:
    raise E2("deep")
except (TypeError, E1) as e:
    print("caught", type(e).__name__, e, isinstance(e, ValueError))
