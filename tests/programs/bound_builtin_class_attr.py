# A bound builtin method stored as a class attribute is not a descriptor: looking it
# up through an instance returns it unchanged (doctest's `_IS_BLANK_OR_COMMENT`).
import re


class Parser:
    _blank = re.compile(r"^[ ]*(#.*)?$").match
    _join = ", ".join
    _upper = str.upper

    def check(self, s):
        return self._blank(s) is not None

    def joined(self, xs):
        return self._join(xs)


p = Parser()
for i in range(40):  # warm the specializer
    assert p.check("   # comment")
    assert not p.check("x = 1")
    assert p.joined(["a", "b"]) == "a, b"
print(p.check(""), p.check("x"), p.joined("xyz"))
print(p._upper("abc") if False else Parser._upper("abc"))
try:
    p._upper()
except TypeError as e:
    print("TypeError", e)
m = p._blank
print(m.__self__.pattern, m.__name__)
