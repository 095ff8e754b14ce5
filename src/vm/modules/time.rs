//! The `time` module: clocks (`time`, `time_ns`, `perf_counter[_ns]`, `monotonic[_ns]`,
//! `process_time[_ns]`), `sleep`, and calendar time through the C library as CPython
//! does it (`gmtime`, `localtime`, `mktime`, `strftime`, `asctime`, `ctime`, and the
//! `timezone`/`altzone`/`daylight`/`tzname` constants), with `struct_time` a struct
//! sequence (tuple subclass with named fields).

use super::{check_kws, class, own_attr, remember_class, struct_seq_new, struct_seq_type, to_f64};
use crate::vm::types::{check_args, no_kw};
use crate::vm::{Args, PyResult, Vm};
use num_bigint::BigInt;
use thicket_object_model::layout as l;
use thicket_object_model::Value;

const FIELDS: &[&str] = &[
    "tm_year",
    "tm_mon",
    "tm_mday",
    "tm_hour",
    "tm_min",
    "tm_sec",
    "tm_wday",
    "tm_yday",
    "tm_isdst",
    "tm_zone",
    "tm_gmtoff",
];

/// Creates the module.
pub fn create(vm: &mut Vm) -> Value {
    let m = vm.new_module("time");
    let r = vm.push_root(m);
    let st = struct_seq_type(vm, "time", "struct_time", FIELDS, 9);
    remember_class(vm, "time.struct_time", st);
    let d = vm.module_dict(m);
    vm.sp.dict_set_name(d, "struct_time", st);
    let fns: &[(&'static str, crate::vm::NativeFn)] = &[
        ("time", time),
        ("time_ns", time_ns),
        ("perf_counter", perf_counter),
        ("perf_counter_ns", perf_counter_ns),
        ("monotonic", monotonic),
        ("monotonic_ns", monotonic_ns),
        ("process_time", process_time),
        ("process_time_ns", process_time_ns),
        ("thread_time", thread_time),
        ("thread_time_ns", thread_time_ns),
        ("sleep", sleep),
        ("gmtime", gmtime),
        ("localtime", localtime),
        ("mktime", mktime),
        ("strftime", strftime),
        ("asctime", asctime),
        ("ctime", ctime),
    ];
    for &(name, f) in fns {
        let d = {
            let m = vm.root(r);
            vm.module_dict(m)
        };
        vm.add_native(d, name, f);
    }
    // Time zone constants, from local time in January and July of this year.
    let now = now_secs().floor() as libc::time_t;
    let year_start = {
        let t = local_tm(now).unwrap_or_else(zero_tm);
        let mut jan = zero_tm();
        jan.tm_year = t.tm_year;
        jan.tm_mday = 1;
        jan.tm_isdst = -1;
        // SAFETY: a valid tm; mktime only normalises it.
        unsafe { libc::mktime(&mut jan) }
    };
    let jan = local_tm(year_start).unwrap_or_else(zero_tm);
    let jul = local_tm(year_start + 183 * 86400).unwrap_or_else(zero_tm);
    let (jan_off, jul_off) = (jan.tm_gmtoff, jul.tm_gmtoff);
    let (jan_zone, jul_zone) = (zone_name(&jan), zone_name(&jul));
    let d = {
        let m = vm.root(r);
        vm.module_dict(m)
    };
    let (std_off, dst_off, std_name, dst_name) = if jan_off > jul_off {
        // Southern hemisphere: DST in January.
        (jul_off, jan_off, jul_zone, jan_zone)
    } else {
        (jan_off, jul_off, jan_zone, jul_zone)
    };
    let v = vm.sp.new_int(-std_off);
    vm.sp.dict_set_name(d, "timezone", v);
    let v = vm.sp.new_int(-dst_off);
    vm.sp.dict_set_name(d, "altzone", v);
    let v = vm.sp.new_int((jan_off != jul_off) as i64);
    vm.sp.dict_set_name(d, "daylight", v);
    let a = vm.sp.new_str(&std_name);
    let b = vm.sp.new_str(&dst_name);
    let t = vm.sp.new_tuple(&[a, b]);
    vm.sp.dict_set_name(d, "tzname", t);
    let m = vm.root(r);
    vm.reset_roots(r);
    m
}

// ---------------------------------------------------------------------- clocks

fn now_secs() -> f64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

/// Nanoseconds of a POSIX clock.
fn clock_ns(clock: libc::clockid_t) -> i128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128
}

fn ns_value(vm: &mut Vm, ns: i128) -> Value {
    vm.int_from(BigInt::from(ns))
}

fn secs_value(vm: &mut Vm, ns: i128) -> Value {
    vm.sp.new_float(ns as f64 * 1e-9)
}

fn time(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "time", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_REALTIME);
    Ok(secs_value(vm, ns))
}

fn time_ns(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "time_ns", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_REALTIME);
    Ok(ns_value(vm, ns))
}

fn perf_counter(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "perf_counter", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_MONOTONIC);
    Ok(secs_value(vm, ns))
}

fn perf_counter_ns(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "perf_counter_ns", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_MONOTONIC);
    Ok(ns_value(vm, ns))
}

fn monotonic(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "monotonic", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_MONOTONIC);
    Ok(secs_value(vm, ns))
}

fn monotonic_ns(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "monotonic_ns", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_MONOTONIC);
    Ok(ns_value(vm, ns))
}

fn process_time(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "process_time", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_PROCESS_CPUTIME_ID);
    Ok(secs_value(vm, ns))
}

fn process_time_ns(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "process_time_ns", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_PROCESS_CPUTIME_ID);
    Ok(ns_value(vm, ns))
}

fn thread_time(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "thread_time", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_THREAD_CPUTIME_ID);
    Ok(secs_value(vm, ns))
}

fn thread_time_ns(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "thread_time_ns", 0, 0)?;
    let ns = clock_ns(libc::CLOCK_THREAD_CPUTIME_ID);
    Ok(ns_value(vm, ns))
}

fn sleep(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "time.sleep")?;
    check_args(vm, a, "sleep", 1, 1)?;
    let v = a.get(0);
    let u = vm.unwrap_builtin(v);
    if u.layout() != l::FLOAT && !vm.sp.is_int_layout(u) && v.layout() != l::INSTANCE {
        return Err(vm.type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            vm.type_name(v)
        )));
    }
    let secs = to_f64(vm, v)?;
    if secs.is_nan() {
        return Err(vm.value_error("Invalid value NaN (not a number)"));
    }
    if secs < 0.0 {
        return Err(vm.value_error("sleep length must be non-negative"));
    }
    if secs.is_infinite() || secs > 1e12 {
        return Err(vm.overflow_error("timestamp too large to convert to C _PyTime_t"));
    }
    std::thread::sleep(std::time::Duration::from_secs_f64(secs));
    Ok(vm.sp.none)
}

// ---------------------------------------------------------------------- calendar time

fn zero_tm() -> libc::tm {
    // SAFETY: tm is plain data; all-zero is a valid value (null zone pointer).
    unsafe { std::mem::zeroed() }
}

fn local_tm(t: libc::time_t) -> Option<libc::tm> {
    let mut tm = zero_tm();
    // SAFETY: valid pointers; localtime_r is thread-safe.
    let p = unsafe { libc::localtime_r(&t, &mut tm) };
    (!p.is_null()).then_some(tm)
}

fn utc_tm(t: libc::time_t) -> Option<libc::tm> {
    let mut tm = zero_tm();
    // SAFETY: valid pointers; gmtime_r is thread-safe.
    let p = unsafe { libc::gmtime_r(&t, &mut tm) };
    (!p.is_null()).then_some(tm)
}

fn zone_name(tm: &libc::tm) -> String {
    if tm.tm_zone.is_null() {
        return String::new();
    }
    // SAFETY: tm_zone points at a NUL-terminated static string of the C library.
    unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
        .to_string_lossy()
        .into_owned()
}

/// The `time_t` of an optional seconds argument (`None`: now), floored.
fn secs_arg(vm: &mut Vm, a: &Args, name: &str) -> PyResult<libc::time_t> {
    no_kw(vm, a, &format!("time.{name}"))?;
    check_args(vm, a, name, 0, 1)?;
    match a.opt(0).filter(|v| !v.is(vm.sp.none)) {
        None => Ok(now_secs().floor() as libc::time_t),
        Some(v) => {
            if vm.unwrap_builtin(v).layout() != l::FLOAT {
                let b = vm.to_index_int(v)?;
                return match num_traits::ToPrimitive::to_i64(&b) {
                    Some(t) => Ok(t as libc::time_t),
                    None => Err(vm.overflow_error("timestamp out of range for platform time_t")),
                };
            }
            let f = to_f64(vm, v)?;
            if f.is_nan() {
                return Err(vm.value_error("Invalid value NaN (not a number)"));
            }
            if !f.is_finite() || f.abs() > 9.2e18 {
                return Err(vm.overflow_error("timestamp out of range for platform time_t"));
            }
            Ok(f.floor() as libc::time_t)
        }
    }
}

/// A `struct_time` from a C `tm`.
fn struct_time(vm: &mut Vm, tm: &libc::tm) -> Value {
    let zone = zone_name(tm);
    let vals = [
        vm.sp.new_int(tm.tm_year as i64 + 1900),
        vm.sp.new_int(tm.tm_mon as i64 + 1),
        vm.sp.new_int(tm.tm_mday as i64),
        vm.sp.new_int(tm.tm_hour as i64),
        vm.sp.new_int(tm.tm_min as i64),
        vm.sp.new_int(tm.tm_sec as i64),
        vm.sp.new_int((tm.tm_wday as i64 + 6) % 7),
        vm.sp.new_int(tm.tm_yday as i64 + 1),
        vm.sp.new_int(tm.tm_isdst as i64),
        vm.sp.new_str(&zone),
        vm.sp.new_int(tm.tm_gmtoff),
    ];
    let ty = class(vm, "time.struct_time").expect("time.struct_time");
    struct_seq_new(vm, ty, FIELDS, &vals)
}

fn gmtime(vm: &mut Vm, a: &Args) -> PyResult {
    let t = secs_arg(vm, a, "gmtime")?;
    match utc_tm(t) {
        Some(tm) => Ok(struct_time(vm, &tm)),
        None => Err(vm.overflow_error("timestamp out of range for platform time_t")),
    }
}

fn localtime(vm: &mut Vm, a: &Args) -> PyResult {
    let t = secs_arg(vm, a, "localtime")?;
    match local_tm(t) {
        Some(tm) => Ok(struct_time(vm, &tm)),
        None => Err(vm.overflow_error("timestamp out of range for platform time_t")),
    }
}

/// A C `tm` from a struct_time or 9-tuple (CPython's `gettmarg`), plus the zone name to
/// keep alive while the `tm` is used.
fn tm_arg(vm: &mut Vm, v: Value, fname: &str) -> PyResult<(libc::tm, Option<std::ffi::CString>)> {
    let u = vm.unwrap_builtin(v);
    if u.layout() != l::TUPLE {
        return Err(vm.type_error("Tuple or struct_time argument required"));
    }
    let n = vm.sp.tuple_len(u);
    if n != 9 {
        return Err(vm.type_error(format!("{fname}(): illegal time tuple argument")));
    }
    let r = vm.push_root(v);
    let mut f = [0i64; 9];
    for (i, slot) in f.iter_mut().enumerate() {
        let v = vm.root(r);
        let u = vm.unwrap_builtin(v);
        let item = vm.sp.tuple_items(u)[i];
        *slot = vm.index_value(item)?;
    }
    let v = vm.root(r);
    let mut tm = zero_tm();
    tm.tm_year = (f[0] - 1900) as libc::c_int;
    tm.tm_mon = (f[1] - 1) as libc::c_int;
    tm.tm_mday = f[2] as libc::c_int;
    tm.tm_hour = f[3] as libc::c_int;
    tm.tm_min = f[4] as libc::c_int;
    tm.tm_sec = f[5] as libc::c_int;
    tm.tm_wday = ((f[6] + 1).rem_euclid(7)) as libc::c_int;
    if f[6] < 0 {
        tm.tm_wday = -1;
    }
    tm.tm_yday = (f[7] - 1) as libc::c_int;
    tm.tm_isdst = f[8] as libc::c_int;
    let mut zone = None;
    if v.layout() == l::INSTANCE {
        if let Some(z) = own_attr(vm, v, "tm_zone").filter(|z| z.layout() == l::STR) {
            zone = std::ffi::CString::new(vm.str_owned(z)).ok();
        }
        if let Some(off) = own_attr(vm, v, "tm_gmtoff").and_then(|o| vm.sp.small_int(o)) {
            tm.tm_gmtoff = off;
        }
    }
    if let Some(z) = &zone {
        tm.tm_zone = z.as_ptr();
    }
    Ok((tm, zone))
}

/// CPython's range checks before `strftime`/`asctime`.
fn check_tm(vm: &mut Vm, tm: &mut libc::tm) -> PyResult<()> {
    if tm.tm_mon == -1 {
        tm.tm_mon = 0;
    } else if !(0..=11).contains(&tm.tm_mon) {
        return Err(vm.value_error("month out of range"));
    }
    if tm.tm_mday == 0 {
        tm.tm_mday = 1;
    } else if !(0..=31).contains(&tm.tm_mday) {
        return Err(vm.value_error("day of month out of range"));
    }
    if !(0..=23).contains(&tm.tm_hour) {
        return Err(vm.value_error("hour out of range"));
    }
    if !(0..=59).contains(&tm.tm_min) {
        return Err(vm.value_error("minute out of range"));
    }
    if !(0..=61).contains(&tm.tm_sec) {
        return Err(vm.value_error("seconds out of range"));
    }
    if tm.tm_wday < 0 {
        return Err(vm.value_error("day of week out of range"));
    }
    if tm.tm_yday == -1 {
        tm.tm_yday = 0;
    } else if !(0..=365).contains(&tm.tm_yday) {
        return Err(vm.value_error("day of year out of range"));
    }
    tm.tm_isdst = tm.tm_isdst.clamp(-1, 1);
    Ok(())
}

fn mktime(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "time.mktime")?;
    check_args(vm, a, "mktime", 1, 1)?;
    let (mut tm, _zone) = tm_arg(vm, a.get(0), "mktime")?;
    tm.tm_wday = -1;
    // SAFETY: a valid tm.
    let t = unsafe { libc::mktime(&mut tm) };
    if t == -1 && tm.tm_wday == -1 {
        return Err(vm.overflow_error("mktime argument out of range"));
    }
    Ok(vm.sp.new_float(t as f64))
}

fn strftime(vm: &mut Vm, a: &Args) -> PyResult {
    check_kws(vm, a, "strftime", &[])?;
    check_args(vm, a, "strftime", 1, 2)?;
    let fv = a.get(0);
    if vm.unwrap_builtin(fv).layout() != l::STR {
        return Err(vm.type_error(format!(
            "strftime() argument 1 must be str, not {}",
            vm.type_name(fv)
        )));
    }
    let (mut tm, zone) = match a.opt(1) {
        Some(t) => tm_arg(vm, t, "strftime")?,
        None => (
            local_tm(now_secs().floor() as libc::time_t).unwrap_or_else(zero_tm),
            None,
        ),
    };
    check_tm(vm, &mut tm)?;
    let fmt = vm.str_owned(vm.unwrap_builtin(a.get(0)));
    if fmt.contains('\0') {
        return Err(vm.value_error("embedded null character"));
    }
    let out = c_strftime(&fmt, &tm);
    drop(zone);
    Ok(vm.sp.new_str(&out))
}

/// C `strftime`, growing the buffer until the result fits (an empty result for a
/// non-empty format is taken as "too small" up to a limit, as CPython does).
fn c_strftime(fmt: &str, tm: &libc::tm) -> String {
    if fmt.is_empty() {
        return String::new();
    }
    let cfmt = std::ffi::CString::new(fmt).unwrap_or_default();
    let mut size = 1024usize.max(fmt.len() * 4);
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: buffer of `size` bytes, NUL-terminated format, valid tm.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), size, cfmt.as_ptr(), tm) };
        if n > 0 || size >= 256 * fmt.len() + 1024 * 64 {
            buf.truncate(n);
            return String::from_utf8_lossy(&buf).into_owned();
        }
        size *= 2;
    }
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn asctime_of(tm: &libc::tm) -> String {
    format!(
        "{} {}{:>3} {:02}:{:02}:{:02} {}",
        DAYS[tm.tm_wday.rem_euclid(7) as usize],
        MONTHS[tm.tm_mon.rem_euclid(12) as usize],
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        tm.tm_year as i64 + 1900
    )
}

fn asctime(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "time.asctime")?;
    check_args(vm, a, "asctime", 0, 1)?;
    let mut tm = match a.opt(0) {
        Some(t) => tm_arg(vm, t, "asctime")?.0,
        None => local_tm(now_secs().floor() as libc::time_t).unwrap_or_else(zero_tm),
    };
    check_tm(vm, &mut tm)?;
    let s = asctime_of(&tm);
    Ok(vm.sp.new_str(&s))
}

fn ctime(vm: &mut Vm, a: &Args) -> PyResult {
    let t = secs_arg(vm, a, "ctime")?;
    match local_tm(t) {
        Some(tm) => {
            let s = asctime_of(&tm);
            Ok(vm.sp.new_str(&s))
        }
        None => Err(vm.overflow_error("timestamp out of range for platform time_t")),
    }
}
