import sys, time, types
SN = type(sys.implementation)
print(SN, SN.__name__, SN.__module__)
ns = SN(a=1, b="x")
print(ns, ns.a)
ns.c = ns
print(ns)
print(SN(a=1) == SN(a=1), SN(a=1) == SN(a=2), SN() != 1)
class Sub(SN): pass
print(Sub(z=3))
try:
    SN(1)
except TypeError as e:
    print(e)
try:
    hash(ns)
except TypeError as e:
    print(type(e).__name__)
print(ns.__reduce__()[0] is SN)
print(time.get_clock_info('monotonic').monotonic, type(time.get_clock_info('time')) is SN)
