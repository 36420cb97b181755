# Python subclasses of the exception types: extra __init__ arguments, __str__, attributes.


class AppError(Exception):
    def __init__(self, code, message="failed"):
        super().__init__(code, message)
        self.code = code
        self.message = message


class NotFound(AppError):
    def __str__(self):
        return f"not found (code {self.code})"


try:
    raise NotFound(404)
except AppError as exc:
    print(exc, repr(exc), exc.args, exc.code, exc.message, isinstance(exc, Exception))


class Quiet(Exception):
    def __init__(self, a, b):
        self.a = a


q = Quiet(1, 2)
print(q.args, q.a, str(q), repr(q))


class Fixed(BaseException):
    def __init__(self):
        super().__init__("fixed message")


try:
    raise Fixed
except BaseException as exc:
    print(type(exc).__name__, exc, exc.args)


class MyKey(KeyError):
    pass


try:
    raise MyKey("k")
except LookupError as exc:
    print(exc, repr(exc), exc.args)


class Stop(StopIteration):
    pass


print(Stop(5).value, Stop().value, Stop(1, 2).value)


try:
    raise Stop("done")
except StopIteration as exc:
    print("StopIteration subclass:", exc.value)


class Exit(SystemExit):
    pass


print(Exit(3).code, Exit().code)


class WithRepr(ValueError):
    def __repr__(self):
        return "WithRepr!"


print(repr(WithRepr("x")), str(WithRepr("x")), [WithRepr()])


class Chained(RuntimeError):
    pass


try:
    try:
        {}["missing"]
    except KeyError as inner:
        raise Chained("outer") from inner
except Chained as exc:
    print(exc, repr(exc.__cause__), exc.__suppress_context__)

try:

    class Bad(Exception, int):
        pass

except TypeError as exc:
    print("TypeError:", exc)


class Final(NotFound):
    def __init__(self):
        super().__init__(500, "server")


try:
    raise Final()
except Exception as exc:
    print(exc, exc.args, exc.message, type(exc).__mro__[1].__name__)

raise NotFound(410)
