# Differential driver for ciso8601 2.4.1 (the datetime C-API capsule, a static C type
# `FixedOffset` subclassing the Python class `datetime.tzinfo`). Runs on CPython 3.11
# (C `_datetime`) and on Thicket (the host CPython's pure-Python `datetime.py`, copied
# beside the module at test time); the outputs must be identical. No hash values, ids
# or addresses are printed (they differ between runs).
import copy
import datetime
from datetime import date, time, timedelta, timezone

import ciso8601
from ciso8601 import FixedOffset, parse_datetime, parse_datetime_as_naive, parse_rfc3339

print("version", ciso8601.__version__)
print("FixedOffset", FixedOffset.__name__, FixedOffset.__module__, FixedOffset.__doc__)
print("is tzinfo subclass", issubclass(FixedOffset, datetime.tzinfo))
print(sorted(n for n in ("utcoffset", "dst", "fromutc", "tzname", "__getinitargs__")
             if n in FixedOffset.__dict__))
print(parse_datetime.__doc__)
print(parse_datetime_as_naive.__doc__)


def err(f, *args):
    try:
        r = f(*args)
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "ok: %r" % (r,)


def show(dt):
    tz = dt.tzinfo
    parts = [repr(dt), "tz=%r" % (tz,)]
    if tz is not None:
        parts.append("type=%s" % type(tz).__name__)
        parts.append("utcoffset=%s" % (dt.utcoffset(),))
        parts.append("dst=%r" % (dt.dst(),))
        parts.append("tzname=%r" % (dt.tzname(),))
    parts.append("iso=" + dt.isoformat())
    parts.append("str=" + str(dt))
    parts.append("fields=%r" % ((dt.year, dt.month, dt.day, dt.hour, dt.minute,
                                dt.second, dt.microsecond),))
    return " ".join(parts)


VALID = [
    # calendar dates, extended and basic
    "2014", "2014-02", "2014-02-03", "20140203", "2014-12-31", "1-01-01",
    "0001-01-01", "9999-12-31", "2016-02-29", "2000-02-29", "1600-02-29",
    # week dates and ordinal dates
    "2014-W01", "2014-W01-1", "2014W01", "2014W017", "2009-W53-7", "2020-W53",
    "2016-060", "2016060", "2015-365", "2016-366", "2016-001",
    # times
    "2014-02-03T04", "2014-02-03T04:05", "2014-02-03T04:05:06",
    "2014-02-03 04:05:06", "2014-02-03t04:05:06", "20140203T040506",
    "20140203T0405", "2014-02-03T04:05:06.7", "2014-02-03T04:05:06.78",
    "2014-02-03T04:05:06.789", "2014-02-03T04:05:06.789012",
    "2014-02-03T04:05:06.7890123456", "2014-02-03T04:05:06,123",
    "20140203T040506.5",
    # midnight at the end of the day
    "2014-02-03T24:00", "2014-02-03T24:00:00", "2014-12-31T24:00:00.000000Z",
    "2014-02-28T24:00:00+01:00",
    # UTC and offsets
    "2014-02-03T04:05:06Z", "2014-02-03T04:05:06z", "2014-02-03T04:05:06+00:00",
    "2014-02-03T04:05:06-00:00", "2014-02-03T04:05:06+0000", "2014-02-03T04:05:06+00",
    "2014-02-03T04:05:06+01:00", "2014-02-03T04:05:06-05:30", "2014-02-03T04:05:06+0530",
    "2014-02-03T04:05:06-0800", "2014-02-03T04:05:06+12", "2014-02-03T04:05:06-23:59",
    "2014-02-03T04:05:06+23:59", "2014-02-03T04:05:06.123456+05:45",
    "2014-02-03T04:05Z", "2014-02-03T04Z", "2014-02-03T04+01", "20140203T0405-0130",
    "2014-02-03T04:05:06-00:01", "2014-02-03T04:05:06+00:01",
]

INVALID = [
    "", "2", "201", "20140", "2014-", "2014-1", "2014-02-3", "2014-13-01",
    "2014-00-10", "2014-02-30", "2015-02-29", "1900-02-29", "0000-01-01",
    "-2014-01-01", "2014-W", "2014-W1", "2014-W54", "2014-W01-8", "2014-W01-0",
    "2014-000", "2015-366", "2016-367", "2014-02-03T", "2014-02-03T4",
    "2014-02-03T04:", "2014-02-03T04:5", "2014-02-03T04:05:", "2014-02-03T04:05:6",
    "2014-02-03T25:00", "2014-02-03T24:01", "2014-02-03T04:60", "2014-02-03T04:05:60",
    "2014-02-03T23:59:60Z", "2014-02-03T04:05:06.", "2014-02-03T04:05:06.Z",
    "2014-02-03T04:05:06+", "2014-02-03T04:05:06+1", "2014-02-03T04:05:06+01:",
    "2014-02-03T04:05:06+01:6", "2014-02-03T04:05:06+24:00", "2014-02-03T04:05:06-24",
    "2014-02-03T04:05:06+01:60", "2014-02-03T04:05:06+99", "2014-02-03T04:05:06X",
    "2014-02-03T04:05:06Zjunk", "2014-02-03T04:05:06 ", "2014-02-03X04:05:06",
    "2014-02-03T0405", "20140203T04:05:06", "2014-02-03T04:05:06\x00",
    "2014-02-03T04:05:06+01:00\x00trailing", "2014-02-0é", "2014-02-03T04:05:0é",
    "２０１４-01-01", "abcd", "2014/02/03", "2014-02-03T04.05",
]

RFC3339_EXTRA = [
    "2014-02-03", "2014-02-03T04:05", "2014-02-03T04:05:06", "2014-02-03T04",
    "2014-02-03T04:05:06+0100", "2014-02-03T040506Z", "2014-02-03T24:00:00Z",
    "2014-02-03T04:05:06,5Z", "2014-02-03T04:05:06.5Z", "2014-02-03 04:05:06Z",
    "2014-02-03t04:05:06z", "2014-02-03T04:05:06-07:00",
]

for s in VALID:
    for f in (parse_datetime, parse_datetime_as_naive, parse_rfc3339):
        try:
            dt = f(s)
        except Exception as e:
            print(f.__name__, repr(s), "->", "%s: %s" % (type(e).__name__, e))
        else:
            print(f.__name__, repr(s), "->", show(dt))

for s in INVALID + RFC3339_EXTRA:
    for f in (parse_datetime, parse_datetime_as_naive, parse_rfc3339):
        print(f.__name__, repr(s), "->", err(f, s))

for bad in (None, 20140203, b"2014-02-03", ["2014"], 3.5):
    print("non-str", type(bad).__name__, err(parse_datetime, bad))

print("benchmark", repr(ciso8601._hard_coded_benchmark_timestamp()))

# ---- FixedOffset ----
for off in (0, 1, 59, 60, 3600, -3600, 19800, -19800, 86399, -86399, 45296, -45296):
    f = FixedOffset(off)
    print("FixedOffset(%d)" % off, repr(f), str(f), f.offset, f.utcoffset(None),
          f.dst(None), f.tzname(None), f.__getinitargs__(), isinstance(f, datetime.tzinfo))
for bad in (86400, -86400, 100000, "x", 1.5, None):
    print("FixedOffset bad", repr(bad), err(FixedOffset, bad))
print("FixedOffset no args", err(FixedOffset))
print("FixedOffset two args", err(FixedOffset, 1, 2))
f = FixedOffset(5400)
f.offset = -1800
print("offset set", repr(f), f.offset, f.utcoffset(None))
print("offset del", err(delattr, f, "offset"))
print("offset bad type", err(setattr, f, "offset", "x"))

# tzinfo protocol through datetime
tz = FixedOffset(-25200)
d = datetime.datetime(2020, 3, 8, 1, 30, 15, 250, tzinfo=tz)
print(show(d))
print("astimezone utc", show(d.astimezone(timezone.utc)))
print("astimezone fixed", show(d.astimezone(FixedOffset(19800))))
print("utc to fixed", show(datetime.datetime(2020, 1, 1, tzinfo=timezone.utc).astimezone(tz)))
u = d.replace(tzinfo=tz)
print("fromutc", show(tz.fromutc(u)))
print("fromutc naive", err(tz.fromutc, datetime.datetime(2020, 1, 1)))
print("fromutc other tz", err(tz.fromutc, datetime.datetime(2020, 1, 1, tzinfo=FixedOffset(-25200))))
print("fromutc not datetime", err(tz.fromutc, date(2020, 1, 1)))
print("fromutc str", err(tz.fromutc, "2020"))
print("timetz", repr(d.timetz()), d.timetz().utcoffset(), d.timetz().tzname())
print("time with tz", repr(time(12, 30, tzinfo=FixedOffset(3600))), time(12, 30, tzinfo=FixedOffset(3600)).isoformat())
print("timestamp", d.timestamp())
print("utctimetuple", tuple(d.utctimetuple())[:6])
print("copy", repr(copy.copy(tz)), repr(copy.deepcopy(tz)), type(copy.copy(tz)).__name__)
print("reduce", tz.__reduce__()[0].__name__, tz.__reduce__()[1])

# a Python subclass of the C type (whose base is the Python class tzinfo)
class Named(FixedOffset):
    def tzname(self, dt):
        return "Named" + super().tzname(dt)


nm = Named(-16200)
nd = datetime.datetime(2020, 6, 1, 12, tzinfo=nm)
print("subclass", repr(nm), str(nm), nm.tzname(None), nm.offset, nm.utcoffset(None),
      isinstance(nm, FixedOffset), isinstance(nm, datetime.tzinfo), type(nm).__mro__[1].__name__)
print("subclass datetime", show(nd), show(nd.astimezone(timezone.utc)), show(nm.fromutc(nd)))

# the cache: one FixedOffset per offset; UTC is timezone.utc
a = parse_datetime("2014-01-01T00:00:00+01:00")
b = parse_datetime("2015-06-01T12:00:00+0100")
print("cached", a.tzinfo is b.tzinfo, parse_datetime("2014-01-01T00Z").tzinfo is timezone.utc)
print("naive", parse_datetime_as_naive("2014-01-01T00:00:00+01:00").tzinfo)

# comparisons and arithmetic with Python-made datetimes
p = parse_datetime("2014-02-03T04:05:06.5+01:00")
q = datetime.datetime(2014, 2, 3, 3, 5, 6, 500000, tzinfo=timezone.utc)
r = datetime.datetime(2014, 2, 3, 4, 5, 6, 500000, tzinfo=FixedOffset(3600))
print("eq", p == q, p == r, q == r, p != q, p < q + timedelta(microseconds=1), p >= q)
print("hash eq", hash(p) == hash(q), hash(p) == hash(r), len({p, q, r}))
print("sub", p - q, p - parse_datetime("2014-01-01T00:00:00-05:00"),
      parse_datetime("2014-02-03T04:05:06") - datetime.datetime(2014, 1, 1))
# (the message differs between CPython's C and pure-Python datetime: type only)
print("naive vs aware", err(lambda: parse_datetime("2014-01-01") - p).split(":")[0])
print("naive == aware", parse_datetime("2014-01-01") == p)
print("add", show(p + timedelta(days=1, hours=25, microseconds=7)))
print("sub td", show(p - timedelta(weeks=3)))
print("replace", show(p.replace(year=2000, tzinfo=None)))
print("date()", repr(p.date()), repr(p.time()), repr(p.timetz()))
print("weekday", p.weekday(), p.isoweekday(), p.isocalendar()[:3], p.toordinal())
print("strftime", p.strftime("%Y-%m-%d %H:%M:%S %z %Z"))
print("sorted", [x.isoformat() for x in sorted([
    parse_datetime("2014-01-01T00:00:00+05:00"),
    parse_datetime("2013-12-31T20:00:00Z"),
    parse_datetime("2013-12-31T18:00:00-01:00"),
    parse_datetime("2013-12-31T19:30:00Z"),
])])
print("combine", show(datetime.datetime.combine(date(2020, 5, 17), time(8, 0), tzinfo=FixedOffset(-3600))))

# many values (moves under the GC stress modes)
acc = []
for i in range(400):
    s = "20%02d-%02d-%02dT%02d:%02d:%02d.%06d%s" % (
        i % 100, i % 12 + 1, i % 28 + 1, i % 24, (i * 7) % 60, (i * 13) % 60,
        i * 2477 % 1000000, ("Z", "+01:00", "-0530", "+1245", "")[i % 5])
    acc.append(parse_datetime(s))
total = timedelta(0)
for x in acc:
    if x.tzinfo is not None:
        total += x.utcoffset()
print("bulk", len(acc), total, acc[-1].isoformat(), acc[123].isoformat(), min(
    x for x in acc if x.tzinfo is not None).isoformat())
print("done")
