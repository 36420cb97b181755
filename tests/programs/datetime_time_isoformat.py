# datetime.time.fromisoformat/tzname/dst of stitch's _datetime stand-in, as CPython's C module.
import datetime
for s in ["12:30", "T12:30:15", "12:30:15.123456", "12:30:15.123", "01:02:03+05:30", "01:02:03Z", "1230", "25:00", "12:3", "", 5]:
    try:
        t = datetime.time.fromisoformat(s)
        print(repr(s), repr(t), t.tzname(), t.dst(), t.utcoffset())
    except (ValueError, TypeError) as e:
        print(repr(s), type(e).__name__, e)
class T(datetime.time): pass
print(type(T.fromisoformat("10:00")).__name__)
print(datetime.time(1, tzinfo=datetime.timezone.utc).tzname(), datetime.time(1).dst())
