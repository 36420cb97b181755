# time: struct_time, gmtime/localtime/mktime/strftime/asctime/ctime, zone constants.
# Output is independent of the machine's time zone (local-time checks are relations).
import time
t = time.gmtime(1700000000)
print(t, t.tm_year, t.tm_zone, t.tm_gmtoff, tuple(t), len(t))
print(time.strftime("%Y-%m-%d %H:%M:%S %a %b %j %U %%", t))
print(time.asctime(t), time.strftime("%c|%x|%X|%p|%I|%y|%e", t))
lt = time.localtime(1234567890)
print(time.mktime(lt) == 1234567890, time.ctime(1234567890) == time.asctime(lt))
print(lt.tm_gmtoff == -(time.altzone if lt.tm_isdst else time.timezone), lt.tm_zone in time.tzname)
print(time.gmtime(0), time.strftime("%Y", (2024, 1, 1, 0, 0, 0, 0, 1, 0)))
print(type(time.process_time()).__name__, time.process_time() >= 0, isinstance(time.localtime(), tuple))
print(time.struct_time((2020, 5, 17, 10, 0, 0, 6, 138, 0)))
try:
    time.strftime("%Y", (2024, 13, 1, 0, 0, 0, 0, 1, 0))
except ValueError as e:
    print("ValueError:", e)
print(time)
