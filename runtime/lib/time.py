"""time: clocks and sleep from the native `_time`, and the calendar functions
(gmtime, localtime, mktime, strftime, asctime, ctime) with `struct_time`."""
from _time import (time, time_ns, perf_counter, perf_counter_ns, monotonic, monotonic_ns,
                   process_time, sleep)
import _time

timezone, altzone, daylight, tzname = _time.zone_info()
_FIELDS = ("tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday",
           "tm_yday", "tm_isdst")


class struct_time(tuple):
    """The time tuple: 9 indexable fields plus tm_zone and tm_gmtoff attributes."""
    n_sequence_fields = 9
    n_fields = 11
    n_unnamed_fields = 0

    def __new__(cls, seq, dict=None):
        seq = tuple(seq)
        if not 9 <= len(seq) <= 11:
            raise TypeError(f"time.struct_time() takes an at least 9-sequence "
                            f"({len(seq)}-sequence given)")
        self = tuple.__new__(cls, seq[:9])
        self._zone = seq[9] if len(seq) > 9 else None
        self._gmtoff = seq[10] if len(seq) > 10 else None
        return self

    tm_year = property(lambda self: self[0])
    tm_mon = property(lambda self: self[1])
    tm_mday = property(lambda self: self[2])
    tm_hour = property(lambda self: self[3])
    tm_min = property(lambda self: self[4])
    tm_sec = property(lambda self: self[5])
    tm_wday = property(lambda self: self[6])
    tm_yday = property(lambda self: self[7])
    tm_isdst = property(lambda self: self[8])
    tm_zone = property(lambda self: self._zone)
    tm_gmtoff = property(lambda self: self._gmtoff)

    def __repr__(self):
        inner = ", ".join(f"{n}={v!r}" for n, v in zip(_FIELDS, self))
        return f"time.struct_time({inner})"

    def __reduce__(self):
        return (struct_time, (tuple(self) + (self._zone, self._gmtoff),))


def _full(t):
    if isinstance(t, struct_time):
        return tuple(t) + (t._zone, t._gmtoff)
    return tuple(t)


def gmtime(secs=None):
    return struct_time(_time.gmtime(secs))


def localtime(secs=None):
    return struct_time(_time.localtime(secs))


def mktime(t):
    return _time.mktime(_full(t))


def strftime(format, t=None):
    if t is None:
        t = localtime()
    elif not isinstance(t, tuple):
        raise TypeError("Tuple or struct_time argument required")
    return _time.strftime(format, _full(t))


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def asctime(t=None):
    if t is None:
        t = localtime()
    return (f"{_DAYS[t[6]]} {_MONTHS[t[1] - 1]} {t[2]:2d} "
            f"{t[3]:02d}:{t[4]:02d}:{t[5]:02d} {t[0]}")


def ctime(secs=None):
    return asctime(localtime(secs))


def get_clock_info(name):
    raise NotImplementedError("time.get_clock_info is not supported by stitch yet")
