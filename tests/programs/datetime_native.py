# The native `_datetime` (the classes `datetime` imports from it): arithmetic, text
# forms, comparisons, hashing, subclasses, pickling, fixed-offset zones, fold, errors.
import copy
import pickle
import sys
from datetime import (MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta,
                      timezone, tzinfo)

print(datetime.__module__, type(datetime).__name__, MINYEAR, MAXYEAR, UTC is timezone.utc)
print(sys.modules['_datetime'].__doc__)


def err(f, *a, **k):
    try:
        r = f(*a, **k)
    except Exception as e:  # noqa: BLE001 - the point is to show it
        print("  ", type(e).__name__ + ":", e)
    else:
        print("   ok", repr(r))


# ---- timedelta ----------------------------------------------------------------------
td = timedelta(days=1, hours=2, minutes=3, seconds=4.5, milliseconds=6, microseconds=7)
print(repr(td), str(td), td.total_seconds(), td.days, td.seconds, td.microseconds)
print(repr(-td), str(-td), abs(-td) == td, +td, bool(timedelta(0)), bool(td))
print(timedelta(weeks=1.25), timedelta(days=0.5, seconds=0.25), timedelta(microseconds=-1.5))
print(timedelta(microseconds=0.5), timedelta(microseconds=1.5), timedelta(microseconds=2.5))
print(td * 3, 3 * td, td * 0.1, td / 3, td / 0.7, td // 4, td / timedelta(hours=1))
print(td // timedelta(hours=1), td % timedelta(hours=1), divmod(td, timedelta(hours=5)))
print(divmod(-td, timedelta(hours=5)), -td // timedelta(hours=5))
print(timedelta.min, timedelta.max, timedelta.resolution, repr(timedelta(0)))
print(timedelta(1) < timedelta(2), timedelta(1) == timedelta(hours=24), timedelta(1) == 1)
print(hash(timedelta(1)) == hash(timedelta(hours=24)), sorted([timedelta(3), timedelta(-1), td]))
err(timedelta, days=10**9)
err(timedelta, "1")
err(lambda: timedelta.max + timedelta(1))
err(lambda: td / 0)
err(lambda: td // timedelta(0))
err(lambda: td / timedelta(0))
err(lambda: td == 1)
err(lambda: 1 / td)
err(timedelta, seconds=float("nan"))

# ---- date ---------------------------------------------------------------------------
d = date(2004, 2, 29)
print(repr(d), d, d.isoformat(), d.ctime(), d.toordinal(), d.weekday(), d.isoweekday())
print(d.isocalendar(), d.isocalendar().week, tuple(d.isocalendar()), d.timetuple())
print(d + timedelta(days=366), d - timedelta(1), d - date(2000, 1, 1), timedelta(2) + d)
print(d.replace(year=2008), d.replace(day=1), date.fromordinal(730000), date.min, date.max)
print(date.fromisoformat("2021-03-04"), date.fromisoformat("20210304"),
      date.fromisoformat("2021-W09-4"), date.fromisocalendar(2021, 9, 4))
print(d.strftime("%Y/%m/%d %a %j %%"), f"{d:%d.%m.%y}", format(d, ""), d.strftime("%f|%z|%Z"))
print(d == date(2004, 2, 29), d < date(2004, 3, 1), d != datetime(2004, 2, 29), d == 5)
err(date, 2004, 2, 30)
err(date, 0, 1, 1)
err(date, 2004, 13, 1)
err(date, 2004.0, 1, 1)
err(date, "2004", 1, 1)
err(date.fromisoformat, "2021-3-04")
err(date.fromisoformat, 20210304)
err(date.fromisocalendar, 2021, 54, 1)
err(date.fromisocalendar, 2021, 5, 8)
err(date.fromordinal, 0)
err(lambda: date.max + timedelta(1))
err(lambda: d < datetime(2004, 1, 1))

# ---- time ---------------------------------------------------------------------------
t = time(12, 30, 15, 250000)
print(repr(t), t, t.isoformat("milliseconds"), t.isoformat("hours"), t.isoformat("minutes"))
print(repr(time()), repr(time(1, 2, 3)), repr(time(1, 2, fold=1)), time.min, time.max)
print(t.strftime("%H:%M:%S.%f"), t.replace(hour=1), t.replace(tzinfo=timezone.utc))
print(time.fromisoformat("T10:20:30.4+05:30"), time.fromisoformat("1020"), repr(time.fromisoformat("10:20Z")))
print(t < time(13), t == time(12, 30, 15, 250000), time(12, tzinfo=timezone.utc) == time(12))
print(time(12, tzinfo=timezone(timedelta(hours=1))) == time(11, tzinfo=timezone.utc))
err(time, 24)
err(time, 1, 60)
err(time, 1, fold=2)
err(time, tzinfo=1)
err(t.isoformat, "bogus")
err(lambda: time(12, tzinfo=timezone.utc) < time(12))

# ---- datetime -----------------------------------------------------------------------
dt = datetime(2020, 2, 29, 23, 59, 58, 999999)
print(repr(dt), dt, dt.isoformat(), dt.isoformat(" ", "seconds"), dt.ctime())
print(dt + timedelta(microseconds=1), dt + timedelta(seconds=2), dt - timedelta(days=60))
print(dt - datetime(2020, 1, 1), datetime(2020, 1, 1) - dt, dt.date(), dt.time(), dt.timetz())
print(dt.timetuple(), dt.utctimetuple(), dt.toordinal(), dt.weekday(), dt.isocalendar())
print(dt.strftime("%Y-%m-%dT%H:%M:%S.%f%z%Z"), f"{dt:%A %B}", dt.replace(microsecond=0))
print(datetime.combine(d, t), datetime.combine(d, t, timezone.utc), datetime.min, datetime.max)
print(datetime.fromisoformat("2011-11-04T00:05:23.283+00:00"),
      datetime.fromisoformat("2011-11-04 00:05:23"), datetime.fromisoformat("2011-W44-5T12"),
      datetime.fromisoformat("20111104T000523-0330"))
print(datetime.strptime("2020-03-04 05:06:07.5", "%Y-%m-%d %H:%M:%S.%f"),
      datetime.strptime("2020-03-04 +0200", "%Y-%m-%d %z"))
print(datetime.fromtimestamp(1e9, timezone.utc), datetime.utcfromtimestamp(1234567890.5),
      datetime.fromtimestamp(0, timezone(timedelta(hours=-3))))
print(datetime(2020, 1, 1, tzinfo=timezone.utc).timestamp(), datetime.fromtimestamp(-1.5, UTC))
print(datetime.now().year >= 2024, datetime.now(timezone.utc).tzinfo, date.today() >= date(2024, 1, 1))
print(type(datetime.now(UTC) - datetime.utcnow().replace(tzinfo=UTC)).__name__)
err(datetime, 2020, 1, 1, 24)
err(datetime, 2020, 1, 1, microsecond=10**6)
err(datetime.fromisoformat, "2020-01-01T25:00")
err(datetime.fromisoformat, "2020-01-01X")
err(datetime.fromisoformat, "2020")
err(dt.isoformat, "ab")
err(datetime.combine, 1, t)
err(datetime.fromtimestamp, float("nan"))
err(datetime.fromtimestamp, 1e20)
err(datetime.strptime, "2020", 5)
err(datetime.strptime, "x", "%Y")
err(lambda: datetime.max + timedelta(1))
err(lambda: dt - 1)

# ---- zones --------------------------------------------------------------------------
ist = timezone(timedelta(hours=5, minutes=30), "IST")
plus = timezone(timedelta(hours=1, seconds=7, microseconds=8))
print(repr(ist), str(ist), repr(plus), str(plus), repr(timezone.utc), timezone.min, timezone.max)
print(repr(timezone(timedelta(0))), timezone(timedelta(0)) is timezone.utc, timezone(timedelta(0), "Z"))
print(ist == timezone(timedelta(hours=5, minutes=30)), hash(ist) == hash(timedelta(hours=5, minutes=30)))
a = datetime(2020, 5, 17, 10, 0, tzinfo=ist)
print(repr(a), a, a.utcoffset(), a.dst(), a.tzname(), a.astimezone(timezone.utc), a.timestamp())
print(a.astimezone(plus), a.astimezone(plus).isoformat(), a.strftime("%z %Z"), plus.tzname(None))
print(a == a.astimezone(plus), hash(a) == hash(a.astimezone(plus)), a - datetime(2020, 5, 17, tzinfo=UTC))
print(a.utctimetuple(), a.timetuple(), ist.utcoffset(None), ist.fromutc(datetime(2020, 1, 1, tzinfo=ist)))
err(timezone, timedelta(hours=24))
err(timezone, 5)
err(timezone, timedelta(0), 5)
err(ist.fromutc, datetime(2020, 1, 1))
err(ist.utcoffset, 5)
err(lambda: a < datetime(2020, 5, 17))
err(lambda: a - datetime(2020, 5, 17))
print(a == datetime(2020, 5, 17, 10), a != datetime(2020, 5, 17, 10))


class Eastern(tzinfo):
    """US Eastern with the 2007 rules, fold-aware (as the docs' example)."""

    def utcoffset(self, dt):
        return timedelta(hours=-5) + self.dst(dt)

    def dst(self, dt):
        if dt is None or dt.tzinfo is None:
            return timedelta(0)
        start = datetime(dt.year, 3, 8, 2) + timedelta(days=(6 - datetime(dt.year, 3, 8).weekday()))
        end = datetime(dt.year, 11, 1, 2) + timedelta(days=(6 - datetime(dt.year, 11, 1).weekday()))
        naive = dt.replace(tzinfo=None)
        if start + timedelta(hours=1) <= naive < end - timedelta(hours=1):
            return timedelta(hours=1)
        if end - timedelta(hours=1) <= naive < end:
            return timedelta(0) if dt.fold else timedelta(hours=1)
        if start <= naive < start + timedelta(hours=1):
            return timedelta(hours=1) if dt.fold else timedelta(0)
        return timedelta(0)

    def tzname(self, dt):
        return "EDT" if self.dst(dt) else "EST"

    def __repr__(self):
        return "Eastern()"


east = Eastern()
u = datetime(2020, 11, 1, 5, 30, tzinfo=UTC)
for k in range(4):
    x = (u + timedelta(minutes=30 * k)).astimezone(east)
    print(x, x.fold, x.tzname(), x.utcoffset(), repr(x) if k == 1 else "")
amb0 = datetime(2020, 11, 1, 1, 30, tzinfo=east)
amb1 = amb0.replace(fold=1)
print(amb0 == amb1, amb0.utcoffset(), amb1.utcoffset(), amb1.astimezone(UTC), hash(amb0) == hash(amb1))
print(amb0.astimezone(UTC) == amb0, amb1 == amb1.astimezone(UTC), amb1.astimezone(UTC) == amb1)
print(datetime(2020, 7, 1, 12, tzinfo=east).isoformat(), datetime(2020, 7, 1, tzinfo=east).strftime("%Z%z"))


class BadOffset(tzinfo):
    def utcoffset(self, dt):
        return timedelta(hours=25)


class BadType(tzinfo):
    def utcoffset(self, dt):
        return 5

    def tzname(self, dt):
        return 7


err(datetime(2020, 1, 1, tzinfo=BadOffset()).utcoffset)
err(datetime(2020, 1, 1, tzinfo=BadType()).utcoffset)
err(datetime(2020, 1, 1, tzinfo=BadType()).tzname)
err(tzinfo().utcoffset, None)
err(tzinfo().fromutc, datetime(2020, 1, 1))

# ---- subclasses ---------------------------------------------------------------------


class MyDate(date):
    def __repr__(self):
        return "MyDate<%s>" % self.isoformat()


class MyDT(datetime):
    extra = "x"

    def __new__(cls, *args, **kw):
        return super().__new__(cls, *args, **kw)


class MyTD(timedelta):
    pass


class MyTime(time):
    pass


md = MyDate(2020, 1, 31)
print(md, repr(md + timedelta(1)), type(md.replace(day=1)).__name__, type(MyDate.today()).__name__)
print(type(MyDate.fromordinal(5)).__name__, type(MyDate.fromisoformat("2020-01-01")).__name__)
m = MyDT(2020, 1, 1, 12, tzinfo=UTC)
print(repr(m), type(m + timedelta(1)).__name__, type(m - timedelta(1)).__name__, m.extra)
print(type(m.astimezone(ist)).__name__, type(MyDT.now()).__name__, type(MyDT.fromisoformat("2020-01-01")).__name__)
print(type(MyDT.combine(d, t)).__name__, type(MyDT.strptime("2020", "%Y")).__name__, m.date(), type(m.date()).__name__)
print(repr(MyTD(1, 2, 3)), type(MyTD(1) + MyTD(2)).__name__, repr(MyTime(1, 2)), MyTD(hours=1) == timedelta(hours=1))
m.attr = 5
print(m.attr, m.__dict__, isinstance(m, date), issubclass(MyDT, date), datetime.__mro__)
err(type, "Bad", (timezone,), {})

# ---- pickling and copying -----------------------------------------------------------
objs = [td, d, t, dt, a, amb1.replace(tzinfo=UTC), time(1, 2, fold=1, tzinfo=ist), timezone.utc, ist, plus, md, m,
        MyTD(5), timezone.min]
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    for o in objs:
        r = pickle.loads(pickle.dumps(o, proto))
        assert r == o and type(r) is type(o), (proto, o, r)
        assert getattr(r, "fold", 0) == getattr(o, "fold", 0) or proto < 4, (proto, o)
print(pickle.dumps(d, 0), pickle.dumps(dt, 2), pickle.dumps(td, 2))
print(amb1.replace(tzinfo=None).__reduce_ex__(4), amb1.replace(tzinfo=None).__reduce_ex__(3))
print(pickle.dumps(ist, 2), pickle.dumps(timezone.utc, 2))
print(dt.__reduce__(), d.__reduce__(), t.__reduce_ex__(4), td.__reduce__(), ist.__reduce__())
print(pickle.loads(pickle.dumps(timezone.utc)) is timezone.utc, copy.copy(a) == a, copy.deepcopy(m).extra)
print(date(b"\x07\xd0\x01\x02"), datetime(b"\x07\xd0\x81\x02\x03\x04\x05\x00\x00\x06").fold, time(b"\x81\x02\x03\x00\x00\x04"))
print(pickle.loads(pickle.dumps(d.isocalendar())), type(pickle.loads(pickle.dumps(d.isocalendar()))).__name__)

# ---- hashing and dicts --------------------------------------------------------------
seen = {d: 1, dt: 2, a: 3, t: 4, td: 5}
print(seen[date(2004, 2, 29)], seen[datetime(2020, 2, 29, 23, 59, 58, 999999)], seen[a.astimezone(UTC)])
print(len({datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))}))
