# cmath: every function on ordinary values, branch cuts (signed zeros), special values
# (infinities, NaNs), errors and argument conversion; complex() keeps -0.0 parts.
import cmath, math

INF, NAN = float("inf"), float("nan")
vals = [complex(0.0, 0.0), complex(-0.0, -0.0), 1 + 2j, -3.5 + 0.25j, complex(2.0, -0.0),
        complex(-2.0, 0.0), complex(-2.0, -0.0), 1e-310 + 1e-310j, 1e300 - 1e300j, 0.5j,
        complex(INF, 1.0), complex(-INF, -1.0), complex(1.0, INF), complex(NAN, 0.0),
        complex(INF, NAN), complex(-INF, INF), complex(0.0, NAN), complex(NAN, INF)]
names = ["sqrt", "exp", "log", "log10", "acos", "asin", "atan", "cos", "sin", "tan",
         "acosh", "asinh", "atanh", "cosh", "sinh", "tanh"]
for n in names:
    f = getattr(cmath, n)
    out = []
    for z in vals:
        try:
            out.append(repr(f(z)))
        except (ValueError, OverflowError) as e:
            out.append(type(e).__name__)
    print(n, " ".join(out))
for z in vals:
    print(cmath.phase(z), cmath.isfinite(z), cmath.isinf(z), cmath.isnan(z))
print(cmath.polar(3 + 4j), cmath.rect(2, math.pi / 2), cmath.rect(-1.0, 0.0))
print(cmath.rect(0, INF), cmath.rect(-INF, 0.0), cmath.rect(NAN, 0.0), cmath.rect(INF, 1.0))
print(cmath.log(8, 2), cmath.log(1j, 1 + 1j))
print(cmath.isclose(1 + 1j, 1 + 1.0000000001j), cmath.isclose(1, 1.1, rel_tol=0.2),
      cmath.isclose(0j, 1e-10j, abs_tol=1e-9), cmath.isclose(complex(INF, 0), complex(INF, 0)))
print(cmath.pi, cmath.e, cmath.tau, cmath.inf, cmath.infj, cmath.nan, cmath.nanj)
for call in [lambda: cmath.log(0), lambda: cmath.log(2, 1), lambda: cmath.exp(1000),
             lambda: cmath.atanh(1), lambda: cmath.sqrt("x"), lambda: cmath.sqrt(1, 2),
             lambda: cmath.rect(1), lambda: cmath.rect(1.0, INF), lambda: cmath.polar(1e308 + 1e308j),
             lambda: cmath.isclose(1, 2, rel_tol=-1), lambda: cmath.log(), lambda: abs(1.4e308 + 1.4e308j),
             lambda: cmath.cosh(complex(1.0, INF)), lambda: cmath.tanh(complex(0.0, INF))]:
    try:
        print(call())
    except Exception as e:
        print(type(e).__name__, e)

class C:
    def __complex__(self): return 3 + 4j
class F:
    def __float__(self): return 2.0
class I:
    def __index__(self): return 4
class Bad:
    def __complex__(self): return 5
print(cmath.sqrt(C()), cmath.sqrt(F()), cmath.sqrt(I()), cmath.sqrt(-4))
try:
    cmath.sqrt(Bad())
except TypeError as e:
    print(e)
print(complex(-1.0, -0.0), complex(1j, -0.0), complex(1.0, 1j), complex(-0.0, 2))
