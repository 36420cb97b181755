# Instruction locations as CPython 3.11 gives them: co_positions() columns, the
# line of the innermost expression in a multi-line statement, traceback carets
# (drawn by the traceback module from the positions), decorators and attributes on
# later lines; and a nested `match` in a function with cells.
import sys
import traceback


def report(fn):
    try:
        fn()
    except Exception:
        lines = traceback.format_exc().splitlines()
        for l in lines:
            if l.startswith("  File"):
                # The script's path depends on where the checkout is.
                l = "  File " + l[l.index(", line"):]
            print(l)


def div(d):
    return d["a"] + 1 / 0


report(lambda: div({"a": 1}))


def subscript():
    data = {"k": [1, 2]}
    return data["k"][5]


report(subscript)


def multiline():
    return str(
        1,
        2,
        3)


report(multiline)


def attr_later_line():
    return (None
            .missing)


report(attr_later_line)


def dec_error(func):
    raise TypeError("bad decorator")


def decorated():
    @dec_error
    def g():
        pass


report(decorated)


def where():
    return sys._getframe(1).f_lineno


def caller():
    x = max(
        0,
        where())
    return x - sys._getframe().f_code.co_firstlineno


print("line offset of the inner call:", caller())

code = div.__code__
pos = [p for p in code.co_positions() if p[2] is not None]
print(all(len(p) == 4 for p in pos), min(p[2] for p in pos) >= 0, len(pos) > 3)


def anchors(segment):
    normalize = lambda offset: offset + len(segment) * 0
    match segment.split():
        case [first, *rest]:
            match first:
                case "a":
                    return normalize(1), rest
                case _:
                    return normalize(2), rest
    return None


print(anchors("a b c"), anchors("x y"), anchors(""))
