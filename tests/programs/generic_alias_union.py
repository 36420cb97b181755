# types.GenericAlias (PEP 585) and types.UnionType (PEP 604)
import collections, functools

def show(label, f):
    try:
        print(label, "->", f())
    except Exception as e:
        print(label, "!!", type(e).__name__, e)

show("list[int]", lambda: list[int])
show("type", lambda: type(list[int]))
show("nested", lambda: dict[str, list[tuple[int, ...]]])
show("empty", lambda: tuple[()])
show("origin", lambda: (list[int].__origin__, list[int].__args__, list[int].__parameters__))
show("call", lambda: list[int]((1, 2)))
show("eq", lambda: (list[int] == list[int], list[int] == list[str], list[int] == list))
show("hash", lambda: hash(list[int]) == hash(list[int]))
show("isinstance", lambda: isinstance([], list[int]))
show("issubclass", lambda: issubclass(list, list[int]))
show("forward", lambda: (list[int].__name__, list[int].append is list.append))
show("class", lambda: list[int].__class__)
show("deque", lambda: collections.deque[int])
show("partial", lambda: functools.partial[int])
show("int[0]", lambda: int[0])
show("user class", lambda: type("A", (), {})[int])

class Base(list[int]):
    pass
show("base", lambda: (Base.__bases__, Base.__orig_bases__, Base([1]) + [2]))

class G:
    def __class_getitem__(cls, item):
        return f"G[{item!r}]"
show("class_getitem", lambda: G[int])

class MyList(list):
    pass
ml = MyList[int]
show("subclass alias", lambda: (ml, ml()))

show("union", lambda: int | str)
show("union type", lambda: type(int | str))
show("union None", lambda: int | None)
show("None first", lambda: None | int)
show("dedupe", lambda: int | str | int)
show("single", lambda: int | int)
show("flatten", lambda: (int | str) | (float | int))
show("args", lambda: (int | str | None).__args__)
show("alias members", lambda: list[int] | dict[str, int] | None)
show("eq", lambda: (int | str == str | int, int | str == int | float))
show("hash", lambda: hash(int | str) == hash(str | int))
show("isinstance", lambda: [isinstance(x, int | str) for x in (1, "a", 1.5, None)])
show("isinstance None", lambda: isinstance(None, int | None))
show("issubclass", lambda: (issubclass(bool, int | str), issubclass(float, int | str)))
show("generic member", lambda: isinstance(1, int | list[int]))
show("bad or", lambda: int | 3)
show("repr module", lambda: collections.OrderedDict | collections.deque[int])

def f(x: int | None = None) -> list[str]:
    return [str(x)]
show("annotations", lambda: f.__annotations__)
