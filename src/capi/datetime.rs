//! The datetime C-API (`datetime.h`) over the interpreter's `datetime` module.
//!
//! Thicket's `datetime` is a Python module (CPython's pure-Python `datetime.py` runs
//! unchanged), so it has no `datetime_CAPI` capsule of its own. When C asks for it
//! (`PyDateTime_IMPORT` = `PyCapsule_Import("datetime.datetime_CAPI", 0)`),
//! [`provide_capsule`] builds a `PyDateTime_CAPI` struct once and sets the capsule on the
//! module: the type pointers are the proxies of the module's classes (`date`, `datetime`,
//! `time`, `timedelta`, `tzinfo`), `TimeZone_UTC` is `timezone.utc`'s proxy, and the
//! constructors are the `extern "C"` functions below. They check their arguments with
//! the C implementation's messages, then create the instance through the base class's
//! `__new__` with the requested class as `cls` (as CPython allocates a subclass
//! instance without running the subclass's own `__new__`/`__init__`).
//!
//! **Proxies with CPython's layout.** The macros (`PyDateTime_GET_YEAR`, `->hastzinfo`,
//! `->tzinfo`, `PyDateTime_DELTA_GET_DAYS`...) read the objects' bytes directly. Once
//! the API exists, [`proxy_of`] (called by `convert::make_proxy`) gives an instance of
//! one of those classes (or a subclass) a proxy of `PyDateTime_Date`/`_DateTime`/`_Time`
//! /`_Delta` size with its fields filled from the instance's storage (`_year`,
//! `_tzinfo`, `_days`...: the pure implementation's slots, read without running code):
//! `hashcode` -1, the big-endian `data[]` bytes, `fold`, `hastzinfo` and an owned
//! reference to the tzinfo's proxy, released by the class's `tp_dealloc`. These objects
//! are immutable, so filling them once is exact. Before the API is built nothing here
//! runs (one null test).
//!
//! Limit: instances created by C through `tp_alloc` of these types (a C subclass of
//! `datetime`) are not supported: their companion would have no fields.

#![allow(non_snake_case)]

use super::convert::{from_py, new_ref};
use super::errors::set_from_vm;
use super::vm;
use crate::vm::{PyResult, Vm};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, Ordering};
use thicket_cpyext::abi::*;
use thicket_cpyext::proxy::{self, head, LIVE};
use thicket_cpyext::statics::decref;
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// The capsule's name (`PyDateTime_CAPSULE_NAME`).
pub const CAPSULE_NAME: &str = "datetime.datetime_CAPI";
const CAPSULE_NAME_C: &CStr = c"datetime.datetime_CAPI";

/// `PyDateTime_Delta`.
#[repr(C)]
pub struct PyDateTime_Delta {
    /// The object header.
    pub ob_base: PyObject,
    /// Cached hash, -1 if not computed.
    pub hashcode: isize,
    /// Days (±999999999).
    pub days: c_int,
    /// Seconds, 0..86399.
    pub seconds: c_int,
    /// Microseconds, 0..999999.
    pub microseconds: c_int,
}

/// `PyDateTime_Date`.
#[repr(C)]
pub struct PyDateTime_Date {
    /// The object header.
    pub ob_base: PyObject,
    /// Cached hash, -1 if not computed.
    pub hashcode: isize,
    /// Always 0 for dates.
    pub hastzinfo: c_char,
    /// Year (big-endian, 2 bytes), month, day.
    pub data: [u8; 4],
}

/// `PyDateTime_Time`.
#[repr(C)]
pub struct PyDateTime_Time {
    /// The object header.
    pub ob_base: PyObject,
    /// Cached hash, -1 if not computed.
    pub hashcode: isize,
    /// Whether `tzinfo` is set.
    pub hastzinfo: c_char,
    /// Hour, minute, second, microsecond (big-endian, 3 bytes).
    pub data: [u8; 6],
    /// PEP 495 fold.
    pub fold: u8,
    /// An owned reference when `hastzinfo`.
    pub tzinfo: *mut PyObject,
}

/// `PyDateTime_DateTime`.
#[repr(C)]
pub struct PyDateTime_DateTime {
    /// The object header.
    pub ob_base: PyObject,
    /// Cached hash, -1 if not computed.
    pub hashcode: isize,
    /// Whether `tzinfo` is set.
    pub hastzinfo: c_char,
    /// The date bytes then the time bytes.
    pub data: [u8; 10],
    /// PEP 495 fold.
    pub fold: u8,
    /// An owned reference when `hastzinfo`.
    pub tzinfo: *mut PyObject,
}

type Cls = *mut PyTypeObject;
type Obj = *mut PyObject;

/// `PyDateTime_CAPI`, the struct behind the capsule.
#[repr(C)]
pub struct PyDateTime_CAPI {
    /// `datetime.date`.
    pub DateType: Cls,
    /// `datetime.datetime`.
    pub DateTimeType: Cls,
    /// `datetime.time`.
    pub TimeType: Cls,
    /// `datetime.timedelta`.
    pub DeltaType: Cls,
    /// `datetime.tzinfo`.
    pub TZInfoType: Cls,
    /// `datetime.timezone.utc`.
    pub TimeZone_UTC: Obj,
    /// `date(y, m, d)` of a class.
    pub Date_FromDate: unsafe extern "C" fn(c_int, c_int, c_int, Cls) -> Obj,
    /// `datetime(...)` of a class.
    pub DateTime_FromDateAndTime:
        unsafe extern "C" fn(c_int, c_int, c_int, c_int, c_int, c_int, c_int, Obj, Cls) -> Obj,
    /// `time(...)` of a class.
    pub Time_FromTime: unsafe extern "C" fn(c_int, c_int, c_int, c_int, Obj, Cls) -> Obj,
    /// `timedelta(d, s, us)` of a class, normalised or not.
    pub Delta_FromDelta: unsafe extern "C" fn(c_int, c_int, c_int, c_int, Cls) -> Obj,
    /// `timezone(offset[, name])`.
    pub TimeZone_FromTimeZone: unsafe extern "C" fn(Obj, Obj) -> Obj,
    /// `cls.fromtimestamp(*args, **kw)` for datetimes.
    pub DateTime_FromTimestamp: unsafe extern "C" fn(Obj, Obj, Obj) -> Obj,
    /// `cls.fromtimestamp(*args)` for dates.
    pub Date_FromTimestamp: unsafe extern "C" fn(Obj, Obj) -> Obj,
    /// `datetime(..., fold=f)` of a class.
    pub DateTime_FromDateAndTimeAndFold: unsafe extern "C" fn(
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        Obj,
        c_int,
        Cls,
    ) -> Obj,
    /// `time(..., fold=f)` of a class.
    pub Time_FromTimeAndFold:
        unsafe extern "C" fn(c_int, c_int, c_int, c_int, Obj, c_int, Cls) -> Obj,
}

// CPython 3.11's sizes and offsets (also checked against its headers by
// cpyext/tests/layout.rs through datetime.h).
const _: () = {
    assert!(std::mem::size_of::<PyDateTime_Delta>() == 40);
    assert!(std::mem::size_of::<PyDateTime_Date>() == 32);
    assert!(std::mem::size_of::<PyDateTime_Time>() == 40);
    assert!(std::mem::offset_of!(PyDateTime_Time, tzinfo) == 32);
    assert!(std::mem::size_of::<PyDateTime_DateTime>() == 48);
    assert!(std::mem::offset_of!(PyDateTime_DateTime, tzinfo) == 40);
    assert!(std::mem::size_of::<PyDateTime_CAPI>() == 15 * 8);
};

/// The API struct once built (never freed), or null.
static API: AtomicPtr<PyDateTime_CAPI> = AtomicPtr::new(null_mut());
/// A permanent reference to the proxy of `datetime.timezone`.
static TIMEZONE: AtomicPtr<PyObject> = AtomicPtr::new(null_mut());

/// Sets `datetime.datetime_CAPI` on the interpreter's `datetime` module if it has none,
/// building the API struct the first time. Errors are left for `PyCapsule_Import` to
/// report (it imports the module and looks the attribute up itself).
pub fn provide_capsule(vm: &mut Vm) {
    // SAFETY: a NUL-terminated literal; the result is an owned reference or NULL.
    let m = unsafe { super::api_misc::PyImport_ImportModule(c"datetime".as_ptr()) };
    if m.is_null() {
        super::errors::PyErr_Clear();
        return;
    }
    // No Python code runs from here on: the Values below stay valid.
    // SAFETY: a live module.
    let mv = unsafe { from_py(vm, m) };
    let d = vm.module_dict(mv);
    let key = vm.sp.intern("datetime_CAPI");
    if vm.sp.dict_get_str(d, key).is_none() {
        if API.load(Ordering::Acquire).is_null() {
            build_api(vm, d);
        }
        let api = API.load(Ordering::Acquire);
        if !api.is_null() {
            let c =
                super::capsule::PyCapsule_New(api as *mut c_void, CAPSULE_NAME_C.as_ptr(), None);
            // SAFETY: a fresh capsule (owned), linked to its companion here.
            unsafe {
                let cv = from_py(vm, c);
                let mv = from_py(vm, m);
                let d = vm.module_dict(mv);
                vm.sp.dict_set_str(d, key, cv);
                decref(c);
            }
        }
    }
    // SAFETY: the owned module reference.
    unsafe { decref(m) };
}

/// Builds the API struct from the module namespace `d` (nothing if a class is missing).
fn build_api(vm: &mut Vm, d: Value) {
    let mut classes = [vm.sp.none; 6];
    for (i, n) in [
        "date",
        "datetime",
        "time",
        "timedelta",
        "tzinfo",
        "timezone",
    ]
    .iter()
    .enumerate()
    {
        let k = vm.sp.intern(n);
        match vm.sp.dict_get_str(d, k) {
            Some(c) if c.layout() == l::TYPE => classes[i] = c,
            _ => return,
        }
    }
    let k = vm.sp.intern("utc");
    let tz_dict = vm.sp.type_dict(classes[5]);
    let Some(utc) = vm.sp.dict_get_str(tz_dict, k) else {
        return;
    };
    let p: [*mut PyTypeObject; 6] = classes.map(|c| new_ref(vm, c) as *mut PyTypeObject);
    let [date, datetime, time, delta, _, _] = p;
    // SAFETY: heap-type proxies of the classes just made or found; sizes and
    // deallocators are set before any instance proxy of the new size exists.
    unsafe {
        (*date).tp_basicsize = std::mem::size_of::<PyDateTime_Date>() as isize;
        (*datetime).tp_basicsize = std::mem::size_of::<PyDateTime_DateTime>() as isize;
        (*datetime).tp_dealloc = Some(datetime_dealloc);
        (*time).tp_basicsize = std::mem::size_of::<PyDateTime_Time>() as isize;
        (*time).tp_dealloc = Some(time_dealloc);
        (*delta).tp_basicsize = std::mem::size_of::<PyDateTime_Delta>() as isize;
    }
    TIMEZONE.store(p[5] as *mut PyObject, Ordering::Release);
    let api = Box::new(PyDateTime_CAPI {
        DateType: p[0],
        DateTimeType: p[1],
        TimeType: p[2],
        DeltaType: p[3],
        TZInfoType: p[4],
        TimeZone_UTC: new_ref(vm, utc),
        Date_FromDate: date_from_date,
        DateTime_FromDateAndTime: datetime_from_date_and_time,
        Time_FromTime: time_from_time,
        Delta_FromDelta: delta_from_delta,
        TimeZone_FromTimeZone: timezone_from_timezone,
        DateTime_FromTimestamp: datetime_from_timestamp,
        Date_FromTimestamp: date_from_timestamp,
        DateTime_FromDateAndTimeAndFold: datetime_from_date_and_time_and_fold,
        Time_FromTimeAndFold: time_from_time_and_fold,
    });
    API.store(Box::into_raw(api), Ordering::Release);
}

// ---- proxies of datetime objects ----

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Date,
    DateTime,
    Time,
    Delta,
}

/// The datetime class `tp` is (or derives from), by its base chain.
///
/// # Safety
/// `tp` must be a ready type; `api` the built API.
unsafe fn kind_of(api: *mut PyDateTime_CAPI, mut tp: *mut PyTypeObject) -> Option<Kind> {
    // SAFETY: caller's contract.
    unsafe {
        while !tp.is_null() {
            if tp == (*api).DateTimeType {
                return Some(Kind::DateTime);
            } else if tp == (*api).DateType {
                return Some(Kind::Date);
            } else if tp == (*api).TimeType {
                return Some(Kind::Time);
            } else if tp == (*api).DeltaType {
                return Some(Kind::Delta);
            }
            tp = (*tp).tp_base;
        }
    }
    None
}

/// Attribute `name` from the instance's own storage (no code runs).
fn field(vm: &mut Vm, v: Value, name: &str) -> Option<Value> {
    let k = vm.sp.intern(name);
    let sym = vm.sp.sym_of(k)?;
    vm.sp.inst_get(v, sym)
}

fn int_field(vm: &mut Vm, v: Value, name: &str) -> Option<i64> {
    let f = field(vm, v, name)?;
    vm.sp.small_int(f)
}

/// The proxy of `v` with CPython's datetime layout if `v` is a date, datetime, time or
/// timedelta (of class proxy `tp`) and the datetime API was built; `None` otherwise
/// (and always, at the cost of one load, when it was not). No Python code runs; the
/// caller links the proxy.
pub(crate) fn proxy_of(vm: &mut Vm, v: Value, tp: *mut PyTypeObject) -> Option<*mut PyObject> {
    let api = API.load(Ordering::Relaxed);
    if api.is_null() || v.layout() != l::INSTANCE {
        return None;
    }
    // SAFETY: `tp` is the proxy of `v`'s class; `api` is built.
    let kind = unsafe { kind_of(api, tp) }?;
    let date = |vm: &mut Vm| -> Option<[u8; 4]> {
        let y = int_field(vm, v, "_year")?;
        let m = int_field(vm, v, "_month")?;
        let d = int_field(vm, v, "_day")?;
        Some([(y >> 8) as u8, y as u8, m as u8, d as u8])
    };
    let time = |vm: &mut Vm| -> Option<([u8; 6], u8, Value)> {
        let h = int_field(vm, v, "_hour")?;
        let mi = int_field(vm, v, "_minute")?;
        let s = int_field(vm, v, "_second")?;
        let us = int_field(vm, v, "_microsecond")?;
        let fold = int_field(vm, v, "_fold")?;
        let tz = field(vm, v, "_tzinfo")?;
        let b = [
            h as u8,
            mi as u8,
            s as u8,
            (us >> 16) as u8,
            (us >> 8) as u8,
            us as u8,
        ];
        Some((b, fold as u8, tz))
    };
    // The tzinfo's proxy (an owned reference), or null for None.
    let tz_ref = |vm: &mut Vm, tz: Value| -> *mut PyObject {
        if tz.is(vm.sp.none) {
            null_mut()
        } else {
            new_ref(vm, tz)
        }
    };
    // SAFETY: each block is allocated with its struct's size before being written; the
    // class proxy `tp` is a heap type whose size and deallocator are set for its kind.
    unsafe {
        let p = match kind {
            Kind::Date => {
                let data = date(vm)?;
                let p = proxy::alloc(std::mem::size_of::<PyDateTime_Date>(), LIVE)
                    as *mut PyDateTime_Date;
                assert!(!p.is_null(), "thicket: out of memory");
                (*p).data = data;
                (*p).hashcode = -1;
                (*tp).tp_basicsize = std::mem::size_of::<PyDateTime_Date>() as isize;
                p as *mut PyObject
            }
            Kind::DateTime => {
                let dd = date(vm)?;
                let (td, fold, tz) = time(vm)?;
                let p = proxy::alloc(std::mem::size_of::<PyDateTime_DateTime>(), LIVE)
                    as *mut PyDateTime_DateTime;
                assert!(!p.is_null(), "thicket: out of memory");
                let mut data = [0u8; 10];
                data[..4].copy_from_slice(&dd);
                data[4..].copy_from_slice(&td);
                (*p).data = data;
                (*p).hashcode = -1;
                (*p).fold = fold;
                (*p).tzinfo = tz_ref(vm, tz);
                (*p).hastzinfo = !(*p).tzinfo.is_null() as c_char;
                (*tp).tp_basicsize = std::mem::size_of::<PyDateTime_DateTime>() as isize;
                (*tp).tp_dealloc = Some(datetime_dealloc);
                p as *mut PyObject
            }
            Kind::Time => {
                let (td, fold, tz) = time(vm)?;
                let p = proxy::alloc(std::mem::size_of::<PyDateTime_Time>(), LIVE)
                    as *mut PyDateTime_Time;
                assert!(!p.is_null(), "thicket: out of memory");
                (*p).data = td;
                (*p).hashcode = -1;
                (*p).fold = fold;
                (*p).tzinfo = tz_ref(vm, tz);
                (*p).hastzinfo = !(*p).tzinfo.is_null() as c_char;
                (*tp).tp_basicsize = std::mem::size_of::<PyDateTime_Time>() as isize;
                (*tp).tp_dealloc = Some(time_dealloc);
                p as *mut PyObject
            }
            Kind::Delta => {
                let d = int_field(vm, v, "_days")?;
                let s = int_field(vm, v, "_seconds")?;
                let us = int_field(vm, v, "_microseconds")?;
                let p = proxy::alloc(std::mem::size_of::<PyDateTime_Delta>(), LIVE)
                    as *mut PyDateTime_Delta;
                assert!(!p.is_null(), "thicket: out of memory");
                (*p).hashcode = -1;
                (*p).days = d as c_int;
                (*p).seconds = s as c_int;
                (*p).microseconds = us as c_int;
                (*tp).tp_basicsize = std::mem::size_of::<PyDateTime_Delta>() as isize;
                p as *mut PyObject
            }
        };
        Some(p)
    }
}

/// `tp_dealloc` of datetime proxies: releases the tzinfo, then the memory. Proxies made
/// before the API existed (a bare header) are recognised by their size.
///
/// # Safety
/// `op` must be an unreferenced proxy of a datetime (or subclass) instance.
unsafe extern "C" fn datetime_dealloc(op: *mut PyObject) {
    // SAFETY: caller's contract; the head records the allocated size.
    unsafe {
        if (*head(op)).size >= std::mem::size_of::<PyDateTime_DateTime>() {
            let d = op as *mut PyDateTime_DateTime;
            if (*d).hastzinfo != 0 && !(*d).tzinfo.is_null() {
                decref((*d).tzinfo);
            }
        }
        proxy::free(op)
    }
}

/// `tp_dealloc` of time proxies (as [`datetime_dealloc`]).
///
/// # Safety
/// `op` must be an unreferenced proxy of a time (or subclass) instance.
unsafe extern "C" fn time_dealloc(op: *mut PyObject) {
    // SAFETY: caller's contract; the head records the allocated size.
    unsafe {
        if (*head(op)).size >= std::mem::size_of::<PyDateTime_Time>() {
            let t = op as *mut PyDateTime_Time;
            if (*t).hastzinfo != 0 && !(*t).tzinfo.is_null() {
                decref((*t).tzinfo);
            }
        }
        proxy::free(op)
    }
}

// ---- the constructors ----

fn api() -> *mut PyDateTime_CAPI {
    API.load(Ordering::Acquire)
}

/// Sets the VM's pending exception as the C error indicator; returns NULL.
fn fail(vm: &mut Vm) -> *mut PyObject {
    set_from_vm(vm);
    null_mut()
}

fn days_in_month(y: c_int, m: c_int) -> c_int {
    const DAYS: [c_int; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) {
        29
    } else {
        DAYS[m as usize]
    }
}

/// CPython's `check_date_args`.
fn check_date(vm: &mut Vm, y: c_int, m: c_int, d: c_int) -> Result<(), ()> {
    let msg = if !(1..=9999).contains(&y) {
        format!("year {y} is out of range")
    } else if !(1..=12).contains(&m) {
        "month must be in 1..12".to_owned()
    } else if d < 1 || d > days_in_month(y, m) {
        "day is out of range for month".to_owned()
    } else {
        return Ok(());
    };
    let _ = vm.value_error(msg);
    Err(())
}

/// CPython's `check_time_args`.
fn check_time(
    vm: &mut Vm,
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    fold: c_int,
) -> Result<(), ()> {
    let msg = if !(0..=23).contains(&h) {
        "hour must be in 0..23"
    } else if !(0..=59).contains(&mi) {
        "minute must be in 0..59"
    } else if !(0..=59).contains(&s) {
        "second must be in 0..59"
    } else if !(0..=999_999).contains(&us) {
        "microsecond must be in 0..999999"
    } else if fold != 0 && fold != 1 {
        "fold must be either 0 or 1"
    } else {
        return Ok(());
    };
    let _ = vm.value_error(msg);
    Err(())
}

/// CPython's `check_tzinfo_subclass`.
///
/// # Safety
/// `tz` must be a live object.
unsafe fn check_tzinfo(vm: &mut Vm, tz: *mut PyObject) -> Result<(), ()> {
    // SAFETY: caller's contract; the API is built.
    unsafe {
        if tz == &raw mut thicket_cpyext::statics::_Py_NoneStruct
            || super::api_abstract::PyType_IsSubtype((*tz).ob_type, (*api()).TZInfoType) != 0
        {
            return Ok(());
        }
        let name = CStr::from_ptr((*(*tz).ob_type).tp_name).to_string_lossy();
        let _ = vm.type_error(format!(
            "tzinfo argument must be None or of a tzinfo subclass, not type '{name}'"
        ));
    }
    Err(())
}

/// `base.__new__(cls, *ints, tz?, fold=fold?)`: an instance of `cls` made by the base
/// class's constructor. `base` and `cls` are type proxies, `tz` an object or null.
///
/// # Safety
/// Live type objects and object.
unsafe fn construct(
    vm: &mut Vm,
    base: Cls,
    cls: Cls,
    ints: &[c_int],
    tz: Option<*mut PyObject>,
    fold: Option<c_int>,
) -> *mut PyObject {
    // SAFETY: caller's contract; every Value is converted right before use, after the
    // only call that can run code (the `__new__` lookup), which is rooted.
    unsafe {
        let bv = from_py(vm, base as *mut PyObject);
        let new = match vm.getattr_str(bv, "__new__") {
            Ok(f) => f,
            Err(_) => return fail(vm),
        };
        let r = vm.push_root(new);
        let mut items = vec![from_py(vm, cls as *mut PyObject)];
        for &i in ints {
            items.push(vm.sp.new_int(i as i64));
        }
        if let Some(t) = tz {
            items.push(from_py(vm, t));
        }
        let args = vm.sp.new_tuple(&items);
        let kw = fold.map(|f| {
            let d = vm.sp.new_dict();
            let k = vm.sp.intern("fold");
            let fv = vm.sp.new_int(f as i64);
            vm.sp.dict_set_str(d, k, fv);
            d
        });
        let new = vm.root(r);
        let res = vm.call_ex(new, args, kw);
        vm.reset_roots(r);
        out(vm, res)
    }
}

fn out(vm: &mut Vm, r: PyResult) -> *mut PyObject {
    match r {
        Ok(v) => new_ref(vm, v),
        Err(_) => fail(vm),
    }
}

unsafe extern "C" fn date_from_date(y: c_int, m: c_int, d: c_int, cls: Cls) -> Obj {
    let vm = vm();
    if check_date(vm, y, m, d).is_err() {
        return fail(vm);
    }
    // SAFETY: the API is built; `cls` a type (the C caller's contract).
    unsafe { construct(vm, (*api()).DateType, cls, &[y, m, d], None, None) }
}

unsafe extern "C" fn datetime_from_date_and_time(
    y: c_int,
    m: c_int,
    d: c_int,
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: Obj,
    cls: Cls,
) -> Obj {
    // SAFETY: forwarded.
    unsafe { datetime_from_date_and_time_and_fold(y, m, d, h, mi, s, us, tz, 0, cls) }
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn datetime_from_date_and_time_and_fold(
    y: c_int,
    m: c_int,
    d: c_int,
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: Obj,
    fold: c_int,
    cls: Cls,
) -> Obj {
    let vm = vm();
    // SAFETY: the API is built; live objects (the C caller's contract).
    unsafe {
        if check_date(vm, y, m, d).is_err()
            || check_time(vm, h, mi, s, us, fold).is_err()
            || check_tzinfo(vm, tz).is_err()
        {
            return fail(vm);
        }
        construct(
            vm,
            (*api()).DateTimeType,
            cls,
            &[y, m, d, h, mi, s, us],
            Some(tz),
            (fold != 0).then_some(fold),
        )
    }
}

unsafe extern "C" fn time_from_time(
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: Obj,
    cls: Cls,
) -> Obj {
    // SAFETY: forwarded.
    unsafe { time_from_time_and_fold(h, mi, s, us, tz, 0, cls) }
}

unsafe extern "C" fn time_from_time_and_fold(
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: Obj,
    fold: c_int,
    cls: Cls,
) -> Obj {
    let vm = vm();
    // SAFETY: the API is built; live objects (the C caller's contract).
    unsafe {
        if check_time(vm, h, mi, s, us, fold).is_err() || check_tzinfo(vm, tz).is_err() {
            return fail(vm);
        }
        construct(
            vm,
            (*api()).TimeType,
            cls,
            &[h, mi, s, us],
            Some(tz),
            (fold != 0).then_some(fold),
        )
    }
}

/// CPython's `new_delta_ex`: normalises if asked, checks the day range
/// (`OverflowError: days=N; must have magnitude <= 999999999`).
unsafe extern "C" fn delta_from_delta(
    d: c_int,
    s: c_int,
    us: c_int,
    normalize: c_int,
    cls: Cls,
) -> Obj {
    let vm = vm();
    let (mut d, mut s, mut us) = (d as i64, s as i64, us as i64);
    if normalize != 0 {
        s += us.div_euclid(1_000_000);
        us = us.rem_euclid(1_000_000);
        d += s.div_euclid(86_400);
        s = s.rem_euclid(86_400);
    }
    if !(-999_999_999..=999_999_999).contains(&d) {
        let _ = vm.overflow_error(format!("days={d}; must have magnitude <= 999999999"));
        return fail(vm);
    }
    // SAFETY: the API is built; `cls` a type.
    unsafe {
        construct(
            vm,
            (*api()).DeltaType,
            cls,
            &[d as c_int, s as c_int, us as c_int],
            None,
            None,
        )
    }
}

/// CPython's `new_timezone`: UTC for a zero offset without a name, the range check with
/// the C message, then `timezone(offset[, name])`.
unsafe extern "C" fn timezone_from_timezone(offset: Obj, name: Obj) -> Obj {
    let vm = vm();
    // SAFETY: `offset` a live timedelta, `name` null or a live str (the C contract).
    unsafe {
        let ov = from_py(vm, offset);
        let (d, s, us) = (
            int_field(vm, ov, "_days").unwrap_or(0),
            int_field(vm, ov, "_seconds").unwrap_or(0),
            int_field(vm, ov, "_microseconds").unwrap_or(0),
        );
        if name.is_null() && d == 0 && s == 0 && us == 0 {
            let utc = (*api()).TimeZone_UTC;
            thicket_cpyext::statics::incref(utc);
            return utc;
        }
        if (d == -1 && s == 0 && us < 1) || !(-1..1).contains(&d) {
            let r = match vm.repr_string(ov) {
                Ok(r) => r,
                Err(_) => return fail(vm),
            };
            let _ = vm.value_error(format!(
                "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {r}."
            ));
            return fail(vm);
        }
        let tzc = from_py(vm, TIMEZONE.load(Ordering::Acquire));
        let mut items = vec![from_py(vm, offset)];
        if !name.is_null() {
            items.push(from_py(vm, name));
        }
        let r = vm.call(tzc, &items);
        out(vm, r)
    }
}

/// `base.__dict__[name].__func__(cls, *args, **kw)`: a class method of the datetime
/// class itself applied to `cls`, as the C implementation calls its own function.
///
/// # Safety
/// Live objects; `args` a tuple, `kw` null or a dict.
unsafe fn class_method(vm: &mut Vm, base: Cls, name: &str, cls: Obj, args: Obj, kw: Obj) -> Obj {
    // SAFETY: caller's contract; Values are converted after each call that runs code.
    unsafe {
        let bv = from_py(vm, base as *mut PyObject);
        let td = vm.sp.type_dict(bv);
        let k = vm.sp.intern(name);
        let Some(cm) = vm.sp.dict_get_str(td, k) else {
            let _ = vm.attribute_error(format!("no {name}"));
            return fail(vm);
        };
        let f = match vm.getattr_str(cm, "__func__") {
            Ok(f) => f,
            Err(_) => return fail(vm),
        };
        let r = vm.push_root(f);
        let mut items = vec![from_py(vm, cls)];
        let av = from_py(vm, args);
        items.extend_from_slice(vm.sp.tuple_items(av));
        let all = vm.sp.new_tuple(&items);
        let kv = (!kw.is_null()).then(|| from_py(vm, kw));
        let f = vm.root(r);
        let res = vm.call_ex(f, all, kv);
        vm.reset_roots(r);
        out(vm, res)
    }
}

unsafe extern "C" fn datetime_from_timestamp(cls: Obj, args: Obj, kw: Obj) -> Obj {
    // SAFETY: the API is built; forwarded.
    unsafe { class_method(vm(), (*api()).DateTimeType, "fromtimestamp", cls, args, kw) }
}

unsafe extern "C" fn date_from_timestamp(cls: Obj, args: Obj) -> Obj {
    // SAFETY: the API is built; forwarded.
    unsafe {
        class_method(
            vm(),
            (*api()).DateType,
            "fromtimestamp",
            cls,
            args,
            null_mut(),
        )
    }
}
