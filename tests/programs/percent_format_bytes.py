# printf-style % formatting of bytes and bytearray (PEP 461) and the str cases that
# share the engine: conversions, flags, widths, mapping keys and CPython's errors.
import sys


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


class FakeBytes:
    def __bytes__(self):
        return b"123"


class BadBytes:
    def __bytes__(self):
        return "no"


class Int:
    def __int__(self):
        return 7


class Index:
    def __index__(self):
        return 9


class Flt:
    def __float__(self):
        return 1.5


class Key:
    def __getitem__(self, k):
        return k * 2


# Result types and the basic conversions.
show(lambda: b"%d" % 5)
show(lambda: bytearray(b"%d|%s") % (5, b"x"))
show(lambda: type(bytearray(b"%d") % 1).__name__)
show(lambda: b"%i %u %o %x %X" % (1, 2, 8, 255, 255))
show(lambda: b"%e|%E|%f|%F|%g|%G" % (1e10, 1e-10, 1.5, float("inf"), 1e20, float("nan")))
show(lambda: b"%5.1f|%-8e|%+.3g" % (2.25, 1e10, 1e-10))
show(lambda: b"%%|%c|%c|%c" % (65, b"Z", bytearray(b"q")))
show(lambda: b"%5c|%-5c|" % (65, 66))
show(lambda: b"%b|%s|%b|%s" % (b"abc", bytearray(b"def"), FakeBytes(), memoryview(b"mv")))
show(lambda: b"%a|%r|%a|%r" % (3.14, b"ghi", "jkl", "\u0544"))
show(lambda: b"%.2b|%5s|%-5a|%.3r|" % (b"abc", b"x", "y", "zzzz"))
show(lambda: b"a\0b%sc" % (b"\0\xff",))

# Flags, widths and precisions on numbers.
big = 0x1234567890ABCDEF12345
for spec in [b"%x", b"%#x", b"%#27x", b"%#-27x", b"%#027x", b"%#.23x", b"%#+027.23X",
             b"%# 027.23X", b"%#- 27.23x", b"%025x", b"%-025x", b"%+25x"]:
    show(lambda: spec % big)
    show(lambda: spec % -big)
for spec in ["%o", "%#o", "%#.34o", "%035.33o", "%0#35.33o", "%d", "%032d", "%-032d", "%.31d"]:
    show(lambda: spec % 0o12345670123456701234567012345670)
show(lambda: b"%d|%d|%d" % (42.0, True, -42))
show(lambda: "%d|%i|%x|%o|%c" % (Int(), Index(), Index(), Index(), Index()))
show(lambda: "%*d|%-*d|%*s|" % (5, 1, 5, 2, -4, "a"))
show(lambda: "%.*f|%.*d" % (2, 3.14159, 5, 42))
show(lambda: b"%*.*f" % (10, 3, 2.5))
show(lambda: "%#.0f|%#.0e|%#g|%#.3g|%g" % (1.0, 1.0, 1.1, 1505.0, 1505.0))
show(lambda: "%05f|%-6f|%+f|% f" % (float("inf"), float("-inf"), float("nan"), 1.0))
show(lambda: "%hd|%ld|%Lf" % (1, 2, 3.0))
show(lambda: "%.100d" % 1)
show(lambda: b"%#.117x" % 1)
show(lambda: "%#.*g" % (40, -1e49 / 3))

# Mapping arguments: anything with __getitem__ except tuples and strs (and, for
# bytes formats, bytes and bytearrays).
show(lambda: b"%(x)d-%(y)s" % {b"x": 5, b"y": b"why"})
show(lambda: b"%(x)d" % {"x": 5})
show(lambda: "%(a)s %(b)r %(a)x" % {"a": 10, "b": "B"})
show(lambda: "%(ab)s|%(b(c)d)s" % Key())
show(lambda: "%(a)*d" % {"a": 1})
show(lambda: "abc" % [])
show(lambda: "abc" % b"x")
show(lambda: "%s" % b"x")
show(lambda: b"abc" % [])
show(lambda: "%s" % {"a": 1})
show(lambda: "%% %s" % ())
show(lambda: "%%" % {})

# Errors.
show(lambda: b"%d" % "1")
show(lambda: b"%d" % b"1")
show(lambda: "%x" % 3.14)
show(lambda: b"%X" % "1")
show(lambda: "%d" % 3j)
show(lambda: "%x" % Int())
show(lambda: "%d" % Flt())
show(lambda: "%d" % float("nan"))
show(lambda: "%d" % float("inf"))
show(lambda: b"%g" % "1")
show(lambda: b"%f" % Int())
show(lambda: "%g" % "1")
show(lambda: "%f" % Int())
show(lambda: "%f" % Index())
show(lambda: b"%c" % -1)
show(lambda: b"%c" % 256)
show(lambda: b"%c" % 2**128)
show(lambda: b"%c" % b"Za")
show(lambda: b"%c" % "Y")
show(lambda: b"%c" % 3.14)
show(lambda: "%c" % -1)
show(lambda: "%c" % (sys.maxunicode + 1))
show(lambda: "%c" % 2**128)
show(lambda: "%c" % 3.14)
show(lambda: "%c" % "ab")
show(lambda: "%c" % b"x")
show(lambda: b"%b" % "Xc")
show(lambda: b"%s" % "Wd")
show(lambda: b"%b" % 5)
show(lambda: b"%b" % BadBytes())
show(lambda: b"no format" % 7)
show(lambda: b"no format" % b"1")
show(lambda: b"no format" % bytearray(b"1"))
show(lambda: "no format" % "1")
show(lambda: "%s %s" % (1,))
show(lambda: "%s" % (1, 2))
show(lambda: "%s" % ())
show(lambda: b"%" % ())
show(lambda: "%" % ())
show(lambda: "%5" % 1)
show(lambda: "%.5" % 1)
show(lambda: "%(a" % {"a": 1})
show(lambda: b"%(a" % {b"a": 1})
show(lambda: "%(a)s" % (1,))
show(lambda: b"%(a)s" % (1,))
show(lambda: "%(a)s" % {})
show(lambda: "% %s" % 1)
show(lambda: b"% %s" % 1)
show(lambda: "abc %b" % 1)
show(lambda: "%z" % 1)
show(lambda: "%5%" % 1)
show(lambda: "%\u3000" % 1)
show(lambda: "\u20ac%\x01" % 1)
show(lambda: b"%\x01" % 1)
show(lambda: b"%\xff" % 1)
show(lambda: b"%5\xff" % 1)
show(lambda: "%*d" % ("5", 1))
show(lambda: "%*d" % (2**63, 1))
show(lambda: "%.*d" % (2**31, 1))
show(lambda: "%.*d" % (sys.maxsize, 1))
show(lambda: "%99999999999999999999d" % 1)
show(lambda: "%.99999999999d" % 1)
show(lambda: "%.2147483647d" % 1)
show(lambda: "%(a)s %s" % {"a": 1})
show(lambda: "%s" % b"abc")

# The reflected slot formats only a left operand of its own type.
show(lambda: b"abc".__rmod__("%r"))
show(lambda: bytearray(b"abc").__rmod__(b"%r"))
show(lambda: b"abc".__rmod__(b"%s"))
show(lambda: "x".__rmod__("%r"))
show(lambda: object() % b"abc")

# str.__str__ gives the value, as enum.StrEnum's members print.
import enum


class Colour(enum.StrEnum):
    RED = "red"


show(lambda: "%s|%r|%s" % (Colour.RED, "x", str.__str__(Colour.RED)))
show(lambda: str(Colour.RED))
