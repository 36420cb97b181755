import math
print(math.pi, math.e, math.tau, math.inf, -math.inf)
print(math.sqrt(16), math.sqrt(2), math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.trunc(-3.7))
print(math.factorial(10), math.factorial(25), math.gcd(12, 18), math.gcd(0, 5), math.lcm(4, 6))
print(math.exp(1), math.log(math.e), math.log(8, 2), math.log10(1000), math.log2(1024), math.log(10**100))
print(math.sin(0), math.cos(0), math.tan(0), math.atan2(1, 1), math.degrees(math.pi), math.radians(180))
print(math.hypot(3, 4), math.fabs(-2), math.copysign(3, -0.0), math.fmod(7, 3), math.modf(2.5), math.frexp(8))
print(math.isnan(float("nan")), math.isinf(math.inf), math.isfinite(1.0), math.isclose(0.1 + 0.2, 0.3))
print(math.comb(10, 3), math.perm(5, 2), math.prod([1, 2, 3, 4]), math.fsum([0.1] * 10), sum([0.1] * 10))
print(math.isqrt(17), math.ldexp(0.5, 3), math.pow(2, 0.5), math.asin(1), math.acos(1), math.cosh(0))
for bad in [lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.exp(1000), lambda: math.factorial(-1)]:
    try:
        bad()
    except (ValueError, OverflowError) as e:
        print(type(e).__name__, e)
print(math.floor(2**70 + 0.5) == 2**70, math.dist((0, 0), (3, 4)))
