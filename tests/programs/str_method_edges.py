# str methods as CPython 3.11: a result equal to the receiver is the receiver itself
# for an exact str and an exact str copy for a subclass; find/count/startswith take
# start past the end as "nothing found" and clamp huge bounds; their argument counts,
# expandtabs/splitlines keywords, sequence repetition by a non-int, maketrans keys and
# mixing automatic with manual format fields are errors with CPython's messages.
import sys


def t(f, *a, **k):
    try:
        print(repr(f(*a, **k)))
    except Exception as e:
        print(type(e).__name__, e)


class S(str):
    pass


s = S("abc")
for r in (s.strip(), s.ljust(2), s.rjust(3), s.center(1), s.zfill(3), s * 1, s.lstrip("x")):
    print(type(r).__name__, r is s, r)
a = "abcd" * 3
print(a * 1 is a, a.strip() is a, a.center(2) is a, "".join([a]) is a, "".join((a,)) is a,
      "-".join([a]) is a, "".join([s]) is s, type("".join([s])).__name__)

print("abc".find("", 4), "abc".find("", 3), "aaa".count("", 10), "aaa".count("", 3),
      "".endswith("", 1, 0), "".startswith("", 1, 0), "ab".find("xxx", sys.maxsize + 1, 0),
      "ab".rfind("b", -(2 ** 70)), "abc".startswith("c", 2, 2 ** 80))
for name in ("find", "rfind", "index", "rindex", "count", "startswith", "endswith"):
    t(getattr("hello", name), "x", None, None, None)
t("hello".find)
t("a\tb".expandtabs, tabsize=4)
t("a\tb".expandtabs, tabsize=4, x=1)
t("a\nb".splitlines, keepends=True)
t("a\nb".splitlines, 1, 2)
t("a\nb".splitlines, keepends=1.5)
t("abc".__mul__, "")
t("abc".__rmul__, 2)
t([1].__mul__, 1.5)
t(b"ab".__mul__, 2)
t(str.maketrans, {(1,): 2})
t(str.maketrans, {True: "x", "y": None})
t("{}{1}".format, 1, 2)
t("{0}{}".format, 1, 2)
t("{}{}".format, 1, 2)
t("{0:{1}}".format, 3, 4)
