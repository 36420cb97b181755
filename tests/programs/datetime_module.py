# datetime: dates, times, datetimes, timedeltas, fixed-offset zones.
import datetime
from datetime import date, time, datetime as DT, timedelta as TD, timezone
d = date(2024, 2, 29)
print(d + datetime.timedelta(days=1), d.isoformat(), d.weekday(), repr(d), d.isoweekday(), d.toordinal())
print(d - date(2023, 1, 1), d - TD(days=366), date.fromordinal(738000), date.fromisoformat("2021-07-04"))
print(d.replace(day=1), d.ctime(), d.strftime("%A %d %B %Y"), f"{d:%Y/%m/%d}", d.isocalendar(), tuple(date(2021, 1, 3).isocalendar()))
print(d < date(2024, 3, 1), d == date(2024, 2, 29), hash(d) == hash(date(2024, 2, 29)), sorted([date(2020, 5, 1), date(2019, 1, 1)]))
for td in [TD(), TD(1), TD(seconds=3661), TD(days=-1), TD(hours=-1), TD(microseconds=1), TD(weeks=2, days=3, hours=4.5),
           TD(milliseconds=1500), TD(days=1, seconds=1, microseconds=1), TD(minutes=-0.5)]:
    print(repr(td), str(td), td.total_seconds())
print(TD(hours=3) * 2, TD(hours=3) / 2, TD(hours=3) // TD(minutes=7), TD(hours=3) % TD(minutes=7), TD(days=1) / TD(hours=1), -TD(seconds=1), abs(TD(days=-2)))
print(TD(hours=1) * 1.5, TD(seconds=1) / 3, divmod(TD(hours=5), TD(hours=2)), TD(1) > TD(seconds=86399), bool(TD()))
dt = DT(2024, 3, 10, 14, 5, 9, 123456)
print(dt, repr(dt), dt.isoformat(), dt.isoformat(" ", "seconds"), dt.date(), dt.time(), repr(dt.time()))
print(repr(DT(2024, 1, 1)), repr(DT(2024, 1, 1, 10, 0, 5)), str(DT(2024, 1, 1)), DT(2024, 1, 1).isoformat(timespec="minutes"))
print(dt + TD(hours=12), dt - TD(days=70), dt - DT(2024, 1, 1), dt.replace(year=2000, microsecond=0), dt.strftime("%Y-%m-%d %H:%M:%S.%f %j %a"))
print(DT.combine(d, time(8, 30)), DT.fromisoformat("2024-05-06T07:08:09"), DT.fromisoformat("2024-05-06 07:08:09.5"), DT.fromisoformat("2024-05-06"))
u = DT(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
print(u, repr(u), u.isoformat(), u.utcoffset(), u.tzname(), u.timestamp(), u.strftime("%z %Z"))
k = timezone(TD(hours=5, minutes=30))
print(k, repr(k), u.astimezone(k), repr(timezone(TD(hours=-3), "BRT")), timezone(TD(hours=-3), "BRT").tzname(None))
print(DT.fromtimestamp(0, timezone.utc), DT.utcfromtimestamp(86400.5), DT.fromtimestamp(1e9, tz=k))
print(DT.fromisoformat("2024-01-02T03:04:05+02:00"), DT.fromisoformat("2024-01-02T03:04:05Z") if False else "", u == DT(2024, 6, 1, 17, 30, tzinfo=k), u - DT(2024, 6, 1, 17, 30, tzinfo=k))
print(time(1, 2), time(1, 2, 3, 4), str(time(23, 59, 59)), time(12).isoformat(), time(1, 2) < time(1, 3), time(7, 8).strftime("%H|%M"))
print(date.min, date.max, DT.min, TD.max, TD.min, TD.resolution, repr(timezone.utc), str(timezone.utc))
for bad in [lambda: date(2023, 2, 29), lambda: date(2023, 13, 1), lambda: time(24), lambda: DT(2024, 1, 1) < u, lambda: date(2024, 1, 1.5),
            lambda: DT(2024, 1, 1) - u, lambda: date.fromisoformat("2024-1-1"), lambda: TD(days=10**9)]:
    try:
        bad()
    except (ValueError, TypeError, OverflowError) as e:
        print(type(e).__name__, e)
n = DT.now()
print(isinstance(n, date), (DT.now() - n) < TD(seconds=5), date.today() == n.date() or True, type(DT.utcnow()).__name__)
