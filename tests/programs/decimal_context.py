# Contexts: attributes, flags and traps, the current context, localcontext, signals.
import decimal
D = decimal.Decimal

print(decimal.getcontext())
print(decimal.DefaultContext, decimal.BasicContext, decimal.ExtendedContext, sep="\n")
c = decimal.Context(prec=6, rounding=decimal.ROUND_DOWN, Emin=-10, Emax=10, capitals=0,
                    clamp=1, flags=[], traps=[decimal.Overflow])
print(c, c.Etiny(), c.Etop())
print(c.create_decimal("1.234567890"), c.flags[decimal.Inexact], c.flags[decimal.Rounded])
print(c.create_decimal("1e-20"), c.create_decimal("123e5"))
print(c.flags)
c.clear_flags()
print(c.flags == {k: False for k in c.flags}, len(c.traps), list(c.traps)[:3])
try:
    c.create_decimal("9e20")
except decimal.Overflow as e:
    print("Overflow", e.args, isinstance(e, decimal.Inexact), isinstance(e, ArithmeticError))

with decimal.localcontext() as lc:
    lc.prec = 3
    print(D(2) / D(3), decimal.getcontext().prec)
print(D(2) / D(3), decimal.getcontext().prec)
with decimal.localcontext(prec=4, rounding=decimal.ROUND_UP) as lc:
    print(D(2) / D(3), lc.rounding)

decimal.setcontext(decimal.ExtendedContext)
print(decimal.getcontext() is decimal.ExtendedContext, D(1) / D(0), D(0) / D(0), D("abc"))
print(decimal.getcontext().flags[decimal.DivisionByZero],
      decimal.getcontext().flags[decimal.InvalidOperation])
decimal.setcontext(decimal.DefaultContext)

for bad in [("prec", 0), ("Emax", -1), ("Emin", 1), ("capitals", 2), ("clamp", 3),
            ("rounding", "ROUND_SIDEWAYS")]:
    try:
        setattr(decimal.getcontext(), *bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    del decimal.getcontext().prec
except AttributeError as e:
    print("AttributeError", e)

for name, exc in [("1/0", lambda: D(1) / 0), ("0/0", lambda: D(0) / 0),
                  ("syntax", lambda: D("1.2.3")), ("inf-inf", lambda: D("inf") - D("inf")),
                  ("sqrt(-1)", lambda: D(-1).sqrt()), ("quantize", lambda: D("1e30").quantize(D(1))),
                  ("nan<1", lambda: D("nan") < 1), ("float<", lambda: D(1) < 1.5)]:
    try:
        print(name, exc())
    except decimal.DecimalException as e:
        print(name, type(e).__name__, e.args, [t.__name__ for t in type(e).__mro__[:3]])

decimal.getcontext().traps[decimal.FloatOperation] = True
try:
    D(1.5)
except decimal.FloatOperation as e:
    print("FloatOperation", e.args, isinstance(e, TypeError))
print(D(1) == 1.0)
decimal.getcontext().traps[decimal.FloatOperation] = False

import pickle, copy
c2 = pickle.loads(pickle.dumps(c))
print(c2, type(c2).__name__, c.copy() is c, copy.copy(c).prec)
print(pickle.loads(pickle.dumps(D("-1.50E+7"))), copy.deepcopy(D("2")))
print(decimal.MAX_PREC, decimal.MAX_EMAX, decimal.MIN_EMIN, decimal.MIN_ETINY)
print(sorted(n for n in dir(decimal) if n.startswith("ROUND")))
