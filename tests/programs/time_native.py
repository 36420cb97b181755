# time as a native module: struct_time as a struct sequence, clocks, errors.
import time

t = time.gmtime(1700000000)
print(t, len(t), t.tm_zone, t.tm_gmtoff, t[0], t[-1], t[:3])
print(type(t).__name__, type(t).__module__, isinstance(t, tuple), time.struct_time.n_fields,
      time.struct_time.n_sequence_fields, time.struct_time.n_unnamed_fields)
print(time.struct_time.__match_args__)
print(t.__reduce__()[1][1])
s = time.struct_time((2020, 5, 17, 10, 0, 0, 6, 138, 0))
print(s, s.tm_zone, s.tm_gmtoff)
s = time.struct_time((2020, 5, 17, 10, 0, 0, 6, 138, 0, "XYZ", 3600))
print(s.tm_zone, s.tm_gmtoff, len(s))
for bad in [(1, 2), tuple(range(12))]:
    try:
        time.struct_time(bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    t.tm_year = 5
except AttributeError as e:
    print("AttributeError")
print(time.asctime(t), time.asctime((2020, 1, 1, 0, 0, 0, 0, 1, 0)))
print(time.strftime("%Y-%m-%d %H:%M:%S", t), time.strftime("%j|%a|%b", (2024, 0, 0, 0, 0, 0, 0, 0, 0)))
for args in [("%Y", (1, 2, 3)), ("%Y", [1, 2, 3, 4, 5, 6, 7, 8, 9]),
             ("%Y", (2020, 1, 1, 25, 0, 0, 0, 1, 0)), ("%Y", (2020, 1, 1, 0, 61, 0, 0, 1, 0)),
             ("%Y", (2020, 1, 32, 0, 0, 0, 0, 1, 0)), ("%Y", (2020, 1, 1, 0, 0, 0, -1, 1, 0)),
             ("%Y", (2020, 1, 1, 0, 0, 0, 0, 367, 0)), (5, t)]:
    try:
        print(time.strftime(*args))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
for f, a in [(time.gmtime, float("nan")), (time.gmtime, "x"), (time.gmtime, 1e30),
             (time.sleep, -1), (time.sleep, "a"), (time.asctime, (2020, 1, 1, 0, 0, 0, 0, 1)),
             (time.get_clock_info, "nope"), (time.mktime, 5)]:
    try:
        f(a)
    except (TypeError, ValueError, OverflowError) as e:
        print(type(e).__name__, e)
print(time.gmtime(1.99), time.gmtime(-1.5)[:6])
print(time.mktime(time.localtime(1234567890)), time.ctime(0) == time.asctime(time.localtime(0)))
for name in ["time", "monotonic", "perf_counter", "process_time", "thread_time"]:
    info = time.get_clock_info(name)
    print(name, info.implementation, info.monotonic, info.adjustable, info.resolution)
a, b = time.monotonic_ns(), time.monotonic_ns()
print(type(a).__name__, b >= a, type(time.time_ns()).__name__, time.process_time_ns() >= 0,
      type(time.thread_time()).__name__, time.clock_gettime(time.CLOCK_MONOTONIC) > 0,
      type(time.clock_gettime_ns(time.CLOCK_REALTIME)).__name__, time.clock_getres(time.CLOCK_REALTIME))
t0 = time.perf_counter()
time.sleep(0.02)
print(time.perf_counter() - t0 >= 0.019)
print(isinstance(time.timezone, int), isinstance(time.altzone, int), time.daylight in (0, 1),
      len(time.tzname), time.CLOCK_REALTIME, time.CLOCK_MONOTONIC)
print(time)
