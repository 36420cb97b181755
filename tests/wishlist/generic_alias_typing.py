# Generic aliases and unions with typing's type variables (needs the Lib's typing).
import typing

def show(label, f):
    try:
        print(label, "->", f())
    except Exception as e:
        print(label, "!!", type(e).__name__, e)

# substitution through typing's type variables
T = typing.TypeVar("T")
K = typing.TypeVar("K")
show("params", lambda: dict[K, list[T]].__parameters__)
show("subst", lambda: dict[K, list[T]][str, int])
show("subst one", lambda: list[T][int])
show("too many", lambda: list[T][int, str])
show("not generic", lambda: list[int][str])

show("typevar union", lambda: (T | None)[int])
show("typing eq", lambda: typing.Union[int, str] == (int | str))
show("typing or", lambda: typing.Optional[int] | str)
