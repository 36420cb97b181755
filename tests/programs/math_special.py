import math
cp = ['acos', 'acosh', 'asin', 'asinh', 'atan', 'atan2', 'atanh', 'cbrt', 'ceil', 'comb', 'copysign', 'cos', 'cosh', 'degrees', 'dist', 'e', 'erf', 'erfc', 'exp', 'exp2', 'expm1', 'fabs', 'factorial', 'floor', 'fmod', 'frexp', 'fsum', 'gamma', 'gcd', 'hypot', 'inf', 'isclose', 'isfinite', 'isinf', 'isnan', 'isqrt', 'lcm', 'ldexp', 'lgamma', 'log', 'log10', 'log1p', 'log2', 'modf', 'nan', 'nextafter', 'perm', 'pi', 'pow', 'prod', 'radians', 'remainder', 'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'tau', 'trunc', 'ulp']
print([n for n in cp if not hasattr(math, n)])
xs = [0.5, 1.5, 2.5, -0.5, -1.5, 3.7, 10.1, 30.5, 100.25, 150.5, 170.6, -170.6, -50.5, 1e-5, 1e-25, 0.1, 7.0, 23.0, 24.0, 171.0]
for x in xs:
    out = [x]
    for f in (math.gamma, math.lgamma, math.erf, math.erfc, math.cbrt, math.exp2, math.ulp):
        try:
            out.append(f(x))
        except (ValueError, OverflowError) as e:
            out.append(type(e).__name__ + ":" + str(e))
    print(*out)
for x in [0.0, -0.0, -1.0, -2.0, float("inf"), float("-inf"), float("nan"), 200.0, 1e308, -1e-320, 5e-324]:
    out = [x]
    for f in (math.gamma, math.lgamma, math.erf, math.erfc, math.cbrt, math.exp2, math.ulp):
        try:
            out.append(f(x))
        except (ValueError, OverflowError) as e:
            out.append(type(e).__name__ + ":" + str(e))
    print(*out)
print(math.nextafter(1.0, 2.0), math.nextafter(1.0, 0.0), math.nextafter(0.0, -1.0), math.nextafter(3, 3), math.ulp(1.0), math.ulp(1e308), math.ulp(float("inf")), math.ulp(1.7976931348623157e308))
for x, y in [(10, 3), (11, 3), (-10, 3), (5.5, 2), (3, float("inf")), (float("inf"), 2), (1, 0), (0.0, 1), (-0.0, 1), (7, -2)]:
    try:
        print(x, y, math.remainder(x, y))
    except ValueError as e:
        print(x, y, "ValueError", e)
print(math.fsum([0.1] * 10), math.prod([1, 2, 3], start=2), math.isclose(1.0, 1.0 + 1e-10), math.dist((0, 0), (3, 4)), math.comb(10, 3), math.perm(5))
for f in [lambda: math.gamma("x"), lambda: math.erf(), lambda: math.nextafter(1), lambda: math.cbrt(-27), math.exp2(1023), lambda: math.exp2(1024), lambda: math.lgamma(-3)]:
    try:
        print(f() if callable(f) else f)
    except Exception as e:
        print(type(e).__name__, e)
