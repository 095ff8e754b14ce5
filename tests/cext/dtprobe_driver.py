# Differential driver for dtprobe.c (ours): datetime objects read through the
# datetime.h macros, every constructor of the datetime capsule (with subclasses), and
# the PyCapsule_* functions with their errors.
import gc

import datetime
from datetime import date, time, timedelta, timezone

import dtprobe


class MyDate(date):
    pass


class MyDateTime(datetime.datetime):
    def __init__(self, *args, **kw):
        # CPython's constructors allocate a subclass instance without running it.
        print("MyDateTime.__init__ called")


class MyTime(time):
    pass


class MyDelta(timedelta):
    pass


class MyTZ(datetime.tzinfo):
    def utcoffset(self, dt):
        return timedelta(hours=2)

    def tzname(self, dt):
        return "MyTZ"


def show(o):
    """repr() without what differs between CPython's C and pure-Python datetime
    (subclass reprs, the place of fold=) or between runs (addresses)."""
    if isinstance(o, tuple):
        return "(" + ", ".join(show(x) for x in o) + ")"
    if isinstance(o, (date, time, timedelta)):
        extra = ""
        if isinstance(o, (datetime.datetime, time)):
            extra = " fold=%d tz=%s" % (o.fold, show(o.tzinfo))
        return "%s<%s%s>" % (type(o).__name__, o, extra)
    if isinstance(o, timezone):
        return "timezone<%s>" % o.tzname(None)
    if isinstance(o, datetime.tzinfo):
        return type(o).__name__
    return repr(o)


def err(f, *args):
    try:
        r = f(*args)
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "ok: " + show(r)


print("types", [t.__name__ for t in dtprobe.api_types()])
print("types are the module's", dtprobe.api_types() == (date, datetime.datetime, time, timedelta, datetime.tzinfo))
print("utc", dtprobe.utc() is timezone.utc)
print("capsule on module", type(datetime.datetime_CAPI).__name__)

tz2 = timezone(timedelta(hours=-3, minutes=-30), "X")
objs = [
    date(2024, 2, 29), date(1, 1, 1), date(9999, 12, 31), MyDate(2000, 10, 5),
    datetime.datetime(2024, 2, 29, 23, 59, 58, 999999),
    datetime.datetime(1987, 6, 5, 4, 3, 2, 65536 + 256 + 1, tzinfo=timezone.utc),
    datetime.datetime(2021, 11, 7, 1, 30, fold=1, tzinfo=tz2),
    datetime.datetime(300, 1, 2, tzinfo=MyTZ()),
    MyDateTime(2010, 1, 1, 12, tzinfo=timezone.utc),
    time(0, 0), time(23, 59, 59, 999999, fold=1), time(12, 0, tzinfo=tz2),
    MyTime(1, 2, 3, 4),
    timedelta(0), timedelta(days=-1, seconds=5), timedelta(999999999, 86399, 999999),
    timedelta(-999999999), timedelta(microseconds=-1), MyDelta(3, 4, 5),
    timezone.utc, tz2, MyTZ(), "str", 42, None,
]
for o in objs:
    print(type(o).__name__, show(o), show(dtprobe.fields(o)))

# the same objects many times (proxies made and freed under the stress modes)
acc = []
for i in range(300):
    d = datetime.datetime(2000 + i % 30, i % 12 + 1, i % 28 + 1, i % 24, i % 60, i % 59,
                          i * 3331, tzinfo=(None, timezone.utc, tz2)[i % 3])
    acc.append(dtprobe.fields(d))
    acc.append(dtprobe.fields(d - timedelta(days=i, microseconds=i)))
print("bulk", len(acc), show(acc[0]), show(acc[-1]), sum(x[2] for x in acc))

print("new_date", show(dtprobe.new_date(2020, 2, 29)), show(dtprobe.new_date(2020, 2, 29, MyDate)))
print("new_datetime", repr(dtprobe.new_datetime(2020, 1, 2, 3, 4, 5, 6)))
print("new_datetime tz", repr(dtprobe.new_datetime(2020, 1, 2, 3, 4, 5, 6, tz2)))
print("new_datetime fold", repr(dtprobe.new_datetime(2020, 1, 2, 3, 4, 5, 6, None, 1)))
x = dtprobe.new_datetime(2020, 1, 2, 3, 4, 5, 6, timezone.utc, 1, MyDateTime)
print("new_datetime subclass", type(x).__name__, show(x), x.fold, show(dtprobe.fields(x)))
print("new_time", repr(dtprobe.new_time(1, 2, 3, 4)), repr(dtprobe.new_time(1, 2, 3, 4, None, 1)))
t = dtprobe.new_time(1, 2, 3, 4, tz2, 0, MyTime)
print("new_time subclass", type(t).__name__, show(t), show(dtprobe.fields(t)))
print("new_delta", repr(dtprobe.new_delta(1, 2, 3)), repr(dtprobe.new_delta(0, -1, 0)),
      repr(dtprobe.new_delta(0, 86400 * 3 + 7, 2500000)), repr(dtprobe.new_delta(-5, 0, -1)))
dl = dtprobe.new_delta(1, 2, 3, 1, MyDelta)
print("new_delta subclass", type(dl).__name__, show(dl), show(dtprobe.fields(dl)))
print("new_timezone", repr(dtprobe.new_timezone(timedelta(0))), dtprobe.new_timezone(timedelta(0)) is timezone.utc,
      repr(dtprobe.new_timezone(timedelta(hours=5, minutes=45))),
      repr(dtprobe.new_timezone(timedelta(hours=-1), "Minus one")),
      repr(dtprobe.new_timezone(timedelta(0), "Zero")))
print("from_timestamp", repr(dtprobe.from_timestamp(datetime.datetime, (1700000000.25, timezone.utc))))
print("from_timestamp subclass", show(dtprobe.from_timestamp(MyDateTime, (86400 * 365, tz2))))

for args in [(0, 1, 1), (10000, 1, 1), (2020, 0, 1), (2020, 13, 1), (2021, 2, 29), (2020, 4, 31), (2020, 1, 0)]:
    print("bad date", args, err(dtprobe.new_date, *args))
for args in [(2020, 1, 1, 24, 0, 0, 0), (2020, 1, 1, 0, 60, 0, 0), (2020, 1, 1, 0, 0, 60, 0),
             (2020, 1, 1, 0, 0, 0, 1000000), (2020, 1, 1, 0, 0, 0, -1),
             (2020, 1, 1, 0, 0, 0, 0, None, 2), (2020, 1, 1, 0, 0, 0, 0, "UTC"),
             (2020, 1, 1, 0, 0, 0, 0, 5)]:
    print("bad datetime", args, err(dtprobe.new_datetime, *args))
for args in [(-1, 0, 0, 0), (0, 0, 0, 0, None, 3), (0, 0, 0, 0, 1.5)]:
    print("bad time", args, err(dtprobe.new_time, *args))
for args in [(1000000000, 0, 0), (-1000000000, 0, 0), (999999999, 86400, 0)]:
    print("bad delta", args, err(dtprobe.new_delta, *args))
for args in [(timedelta(hours=24),), (timedelta(hours=-24),), (timedelta(days=-1),)]:
    print("bad timezone", args, err(dtprobe.new_timezone, *args))

# capsules
c = dtprobe.capsule_new("dtprobe.test")
print("capsule", type(c).__name__, repr(c).split(" at ")[0], dtprobe.capsule_check(c, "dtprobe.test"))
print("capsule wrong name", err(dtprobe.capsule_check, c, "other"))
print("capsule NULL name", err(dtprobe.capsule_check, c, None))
n = dtprobe.capsule_new(None)
print("capsule unnamed", repr(n).split(" at ")[0], dtprobe.capsule_check(n, None))
print("capsule errors", [(t.__name__ if t else None, str(v)) for t, v in dtprobe.capsule_errors("not a capsule")])
print("import own", dtprobe.capsule_import("dtprobe.capsule"))
print("import datetime", dtprobe.capsule_import("datetime.datetime_CAPI"))
print("import bad", err(dtprobe.capsule_import, "dtprobe.capsule_missing"))
before = dtprobe.destroyed()
del c, n
gc.collect()
dtprobe.destroyed()
print("destructors ran", dtprobe.destroyed() - before)
print("done")
