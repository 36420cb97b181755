# Decimal powers (exact results, correctly rounded ones, the special cases, pow() with
# a modulus, Context.power) and __format__ (the spec mini-language, override dicts).
import decimal
D, Context = decimal.Decimal, decimal.Context

def flags(c):
    return sorted(k.__name__ for k, v in c.flags.items() if v)

cases = [
    ("2", "10"), ("2", "0.5"), ("4", "0.5"), ("400", "-1"), ("1.0", "3"), ("-2", "3"),
    ("10", "-2"), ("1.1", "100"), ("0", "0"), ("-8", "0.333"), ("2", "-1074"),
    ("9", "1.5"), ("1.00", "0.5"), ("Inf", "-1"), ("3", "1E+999999"), ("7", "2.5"),
    ("-0", "-3"), ("0.5", "Inf"), ("NaN", "2"), ("sNaN", "0"), ("1.5", "-Inf"),
    ("12345678901234567890", "3"), ("0.0001", "0.25"), ("16", "0.25"), ("1E+5", "-0.2"),
    ("2", "3.000"), ("-1", "1E+20"), ("5", "-3"), ("25", "-1.5"), ("1", "Inf"),
]
for a, b in cases:
    c = Context(traps=[])
    print(a, b, c.power(D(a), D(b)), flags(c))
for prec in (3, 9, 28, 50):
    c = Context(prec=prec, traps=[])
    print(prec, c.power(D(2), D("0.5")), c.power(D("3.14159"), D("2.71828")),
          c.power(D("0.9"), D(-1000)), flags(c))
c = Context(Emax=10, Emin=-10, traps=[])
print(c.power(D(10), D(11)), c.power(D(10), D(-12)), c.power(D("0.1"), D("10.5")), flags(c))

print(pow(D(3), 4, 5), pow(D(-3), 3, D(7)), pow(D(10), 2, 7), D(2) ** D(3), 2 ** D("0.5"),
      D("1.5") ** 2, D(2) ** -2)
c = Context(traps=[])
for a, b, m in [(2, 3, 0), (2, -1, 5), (D("2.5"), 2, 3), (0, 0, 5), (1, D("-0"), 1),
                (7, 100, D("1E+30")), (D("1E+3"), 2, 7)]:
    print(a, b, m, c.power(a, b, m), flags(c))
    c.clear_flags()
try:
    pow(D(2), 3, "x")
except TypeError as e:
    print("TypeError", e)
try:
    D(0) ** 0
except decimal.InvalidOperation as e:
    print("InvalidOperation", e)

values = ["-1234567.891", "0", "-0.00", "1E+10", "-1E-10", "123.456", "9.999",
          "Inf", "-NaN", "sNaN12", "0E+3", "1234.5678E-20"]
specs = ["", ",", ".0", ".3", "%", ".2%", "e", ".2e", "E", "f", ".1f", ",.2f", "g",
         ".3g", "G", "+", " ", "z.1f", "020", "020,.2f", "<12", ">12", "^12", "*^14.3",
         "=+12.1f", "n", ".4n", "z"]
for v in values:
    print(v, [format(D(v), s) for s in specs])
for s in ["_", "#", "x", "=010", "fz", ",n", "..2", "01"]:
    try:
        format(D(1), s)
    except ValueError as e:
        print(repr(s), "ValueError", e)
with decimal.localcontext() as ctx:
    ctx.capitals = 0
    ctx.rounding = decimal.ROUND_DOWN
    print(format(D("1.999E+10"), ""), format(D("1.999"), ".2f"), format(D("-0.001"), "z.2f"))
o = {"decimal_point": ",", "grouping": "\x03\x03\x00", "thousands_sep": "."}
crazy = {"decimal_point": "&", "grouping": "\x01\x04\x02\x7f", "thousands_sep": "-"}
for spec, ov in [("g", o), ("n", o), ("020n", o), (",f", o), ("n", crazy), ("012n", crazy)]:
    print(spec, D("1234567.25").__format__(spec, ov))
for ov in [{}, {"decimal_point": "xxxxx"}, {"decimal_point": ".", "thousands_sep": "yyyyy"},
           {"decimal_point": ".", "grouping": "\xff"}, 5]:
    try:
        D(1).__format__("g", ov)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(f"{D('3.14159'):.2f} {D('1234567'):,} {D('-5'):+08.2f}")
