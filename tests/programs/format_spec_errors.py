# The format-spec mini-language's options and errors: `z` (PEP 682), grouping
# conflicts, alignment and fill, and complex.__format__.
import sys


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


# Grouping options.
for spec in [",,", "__", ",_", "_,", ",s", ",q", ",x", "_x", "_b", "_n", ",c", ",\x00", ",\xe9"]:
    show(lambda: format(1, spec))
show(lambda: "{:,,}".format(1))
show(lambda: f"{1:__}")
show(lambda: format(1.5, ",_"))
show(lambda: format("a", ","))
show(lambda: format("a", "_"))
show(lambda: format(1234, "0=10,"))
show(lambda: format(1234, "<010,"))
show(lambda: format(1234.5, "0=12,"))
show(lambda: format(-1234, "010_"))
show(lambda: format(255, "#010_x"))
show(lambda: format(255, "010_x"))
show(lambda: format(255, "#012_b"))
show(lambda: format(1234, "012_d"))
show(lambda: format(12345678.125, "_.2f"))

# Negative zero coercion.
for v, spec in [(-0.0, ".1f"), (-0.01, ".1f"), (-0, ".1f"), (0.0, "z.1f"), (0.0, "z6.1f"),
                (-1.0, "z6.1f"), (-0.0, "z.1f"), (-0, "z.1f"), (-0.001, "z.2e"),
                (-0.001, "z.2g"), (-0.001, "z.2%"), (-0.0001, "z.1%"), (-0.0, "z"),
                (-0.0, "zn"), (-1e-10, "z"), (-1e-10, "z.2g"), (float("-nan"), "z"),
                (float("-inf"), "z"), (-0.0, " z.0f"), (-0.0, "+z.0f"), (-0.0, "-z.0f"),
                (-0.0, "z>6.1f"), (-0.0, "z>z6.1f"), (-0.0, "\U0001f5a4>z6.1f"),
                (0.09, "z.1f"), (-0.09, "z.1f"), (-0.0j, "z.1f"), (-0.01j, "z.1f"),
                (complex(-0.0, -0.0), "z"), (complex(-0.0, -0.0), ""),
                (complex(0.0, -0.0), "z.1"), (-0.0, "z.0E")]:
    show(lambda: format(v, spec))
for v, spec in [(0, "zd"), (0, "z"), ("x", "zs"), (0, "z+f"), (0, "fz"), (True, "z")]:
    show(lambda: format(v, spec))
show(lambda: "%z" % 1)

# str and int option errors.
for spec in [" ", "+", "z", "#", "=", "=5", "d", "05", ".2", "\x00"]:
    show(lambda: format("ab", spec))
for spec in ["c", "5c", "05c", "+c", "#c", ".2", "s", "%", ".0%", "e", "\x7f", " 5"]:
    show(lambda: format(65, spec))
show(lambda: format(-1, "c"))
show(lambda: format(0x110000, "c"))
show(lambda: format(10**400, "e"))

# float presentation types and the alternate form.
for spec in ["", "#", ".3", "#.3", ".0f", "#.0f", "#.0e", "#.0%", "#.0g", "#.1g", "g", "n",
             ".0", "10.3", "<10", "^10", "=+10", "010", "F", "E", "G", ".2%", "\x00"]:
    show(lambda: format(100.0, spec))
    show(lambda: format(1e20, spec))
show(lambda: format(float("inf"), "05"))
show(lambda: format(float("-inf"), "=+8"))
show(lambda: format(1.2, ".%sf" % (sys.maxsize + 1)))
show(lambda: format(1.2, "%sf" % (sys.maxsize + 1)))
show(lambda: format(1.2, ".%sf" % 2**31))
show(lambda: format(1.2, ".f"))
show(lambda: format(12, "%M"))
show(lambda: format(12.0, "%M"))
show(lambda: format("12", "%\u042b\u0439"))
show(lambda: format(1.5, "d"))

# complex.__format__.
for v in [1 + 2j, 0j, -0.0 + 0j, 2j, -2j, 1.5 - 2.25j, complex(1e20, 1e-20),
          complex("nan-infj"), complex(1234.5, -6789)]:
    for spec in ["", ".0f", ".3f", "g", "n", "e", "E", "F", ".3", "+", " ", "-", "#",
                 "10", "<10", "^12", "x>12.1f", ",", ",.2f", "_.1e", "\u2007<8"]:
        show(lambda: format(v, spec))
for spec in ["05", "0<5", "=5", "%", "d", "s", "c", ".%sf" % 2**31, "%M"]:
    show(lambda: format(1 + 2j, spec))
show(lambda: format(0j, "\u2007>4"))
show(lambda: f"{1+2j:^9}|{3j:>5}|{-1-1j:.1f}")
