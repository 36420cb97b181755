# Decimal arithmetic, rounding and conversions (stitch's native _decimal).
import decimal
D = decimal.Decimal
ctx = decimal.getcontext()

vals = ["0", "-0", "1", "-1", "0.1", "1.5", "2.5", "-2.5", "123.456", "1E+3", "1e-7",
        "9999999999999999999999999999", "12345678901234567890.123456789", "0.000",
        "-0E+5", "Infinity", "-Inf", "NaN", "-NaN17"]
for s in vals:
    d = D(s)
    print(s, str(d), repr(d), d.to_eng_string(), d.adjusted(), d.as_tuple(), bool(d))

pairs = [("1", "3"), ("2", "3"), ("-7", "2"), ("7", "-2"), ("1.10", "0.3"),
         ("123.456", "7.89"), ("1E+20", "3"), ("5", "0.25"), ("0", "5"), ("1e-30", "7")]
for a, b in pairs:
    x, y = D(a), D(b)
    print(a, b, x + y, x - y, x * y, x / y, x // y, x % y, divmod(x, y),
          x.remainder_near(y), x.compare(y), x.max(y), x.min_mag(y))

for s in ["2", "0.25", "10", "1E+2", "123.456789", "0.0001", "7", "-3.5"]:
    d = D(s)
    print(s, d.exp(), d.logb(), d.normalize(), d.next_plus(), d.next_minus(),
          d.number_class())
    if d > 0:
        print(d.sqrt(), d.ln(), d.log10())

for rounding in ["ROUND_UP", "ROUND_DOWN", "ROUND_CEILING", "ROUND_FLOOR",
                 "ROUND_HALF_UP", "ROUND_HALF_DOWN", "ROUND_HALF_EVEN", "ROUND_05UP"]:
    r = getattr(decimal, rounding)
    out = [str(D(s).quantize(D("0.1"), rounding=r)) for s in
           ["1.25", "1.35", "-1.25", "1.251", "-1.249", "1.05", "1.55", "0.05"]]
    print(rounding, out, D("2.5").to_integral_value(rounding=r))

c = decimal.Context(prec=5, rounding=decimal.ROUND_HALF_EVEN)
print(c.add(D("1.23456"), D("1")), c.multiply(D("123.45"), D("6.789")),
      c.divide(D(1), D(7)), c.create_decimal("3.14159265"), c.plus(D("99999.5")))
print(int(D("12.99")), int(D("-12.99")), float(D("0.1")), round(D("2.675"), 2),
      round(D("3.5")), round(D("4.5")), D("7.9").__floor__(), D("-7.1").__ceil__())
print(D(10).fma(2, 3), D("1.5").copy_sign(D("-1")), D("101").logical_xor(D("11")),
      D("12345").rotate(2), D("12345").shift(-2), D("1.23").scaleb(3))
print(D(0.1), D.from_float(-2.5), D((0, (3, 1, 4), -2)), D([1, [5], 0]), D("  12_34  "))
print(D("1.5").as_integer_ratio(), D("-0.125").as_integer_ratio(), D(7).same_quantum(D(8)))
print(sum(D("0.1") for _ in range(10)), sorted(map(D, ["3", "-1", "2.5", "0"])))
print(decimal.Decimal(3) == 3, D("3.0") == 3, D("0.5") == 0.5, D("1.1") < 2, 2 > D("1.9"))
