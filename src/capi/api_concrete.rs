//! The concrete-type API: ints, floats, strs, bytes, tuples, lists, dicts and sets.
//! Constructors make GC objects and return their proxies (new references), except
//! `PyTuple_New`, `PyList_New`, `PyBytes_FromStringAndSize(NULL, n)` and
//! `PyUnicode_New`, which make C-first objects that C fills before they cross over.

#![allow(non_snake_case)]

use super::convert::*;
use super::errors::{
    set_from_vm, set_string, PyExc_IndexError, PyExc_OverflowError, PyExc_SystemError,
    PyExc_TypeError,
};
use super::vm;
use std::ffi::{c_char, c_double, c_int, c_long, c_ulong, c_ulonglong, CStr};
use std::ptr::null_mut;
use thicket_cpyext::abi::*;
use thicket_cpyext::proxy::{head, NO_LINK};
use thicket_cpyext::statics::*;
use thicket_object_model::builtin_types::Kind;
use thicket_object_model::Value;

fn ret(v: Value) -> *mut PyObject {
    let vm = vm();
    new_ref(vm, v)
}

// ---- ints ----

/// `PyLong_FromLong`.
#[no_mangle]
pub extern "C" fn PyLong_FromLong(v: c_long) -> *mut PyObject {
    use thicket_object_model::space::{SMALL_INT_MAX, SMALL_INT_MIN};
    if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&v) {
        // The interpreter's shared small ints, whose proxies stay linked.
        let o = vm().sp.new_int(v);
        return ret(o);
    }
    // A C-first int: it gets a GC object only if it crosses into Python.
    let p = new_long_raw(v);
    // SAFETY: a fresh object: the caller's reference.
    unsafe { incref(p) };
    p
}

/// The value of an exact int (or bool) read from its digits, if it fits an `i64`.
#[inline]
fn exact_long(o: *mut PyObject) -> Option<i64> {
    // SAFETY: a live object; exact ints and bools have the int layout, and their digits
    // never change (proxies of GC ints are made with their value).
    unsafe {
        if o.is_null() {
            return None;
        }
        let tp = (*o).ob_type;
        if tp == &raw mut PyLong_Type || tp == &raw mut PyBool_Type {
            long_value(o)
        } else {
            None
        }
    }
}

/// `PyLong_FromSsize_t`.
#[no_mangle]
pub extern "C" fn PyLong_FromSsize_t(v: isize) -> *mut PyObject {
    PyLong_FromLong(v as c_long)
}

/// `PyLong_FromLongLong`.
#[no_mangle]
pub extern "C" fn PyLong_FromLongLong(v: i64) -> *mut PyObject {
    PyLong_FromLong(v as c_long)
}

/// `PyLong_FromUnsignedLongLong`.
#[no_mangle]
pub extern "C" fn PyLong_FromUnsignedLongLong(v: c_ulonglong) -> *mut PyObject {
    let vm = vm();
    let o = if v <= i64::MAX as u64 {
        vm.sp.new_int(v as i64)
    } else {
        vm.int_from(num_bigint::BigInt::from(v))
    };
    ret(o)
}

/// `PyLong_FromUnsignedLong`.
#[no_mangle]
pub extern "C" fn PyLong_FromUnsignedLong(v: c_ulong) -> *mut PyObject {
    PyLong_FromUnsignedLongLong(v)
}

/// `PyLong_FromSize_t`.
#[no_mangle]
pub extern "C" fn PyLong_FromSize_t(v: usize) -> *mut PyObject {
    PyLong_FromUnsignedLongLong(v as u64)
}

/// `PyLong_FromDouble`.
#[no_mangle]
pub extern "C" fn PyLong_FromDouble(v: c_double) -> *mut PyObject {
    let vm = vm();
    let f = vm.sp.new_float(v);
    let int_t = vm.sp.t.int;
    match vm.call(int_t, &[f]) {
        Ok(o) => ret(o),
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

/// The int value of `o` (calling `__index__` for non-ints), as a big integer.
fn index_big(o: *mut PyObject) -> Option<num_bigint::BigInt> {
    let vm = vm();
    // SAFETY: a live object from C.
    let v = unsafe { from_py(vm, o) };
    let b = vm.unwrap_builtin(v);
    match vm.sp.kind(b) {
        Kind::Int | Kind::Bool => Some(vm.sp.to_bigint(b)),
        _ => {
            let r = super::api_abstract::index_big(vm, o);
            match r {
                Ok(b) => Some(b),
                Err(_) => {
                    set_from_vm(vm);
                    None
                }
            }
        }
    }
}

fn to_signed(o: *mut PyObject, bits: u32) -> Option<i64> {
    use num_traits::ToPrimitive;
    let b = index_big(o)?;
    match b.to_i64() {
        Some(x) if bits == 64 || (x >= -(1i64 << (bits - 1)) && x < (1i64 << (bits - 1))) => {
            Some(x)
        }
        _ => {
            // SAFETY: the exported variable.
            set_string(
                vm(),
                unsafe { PyExc_OverflowError },
                if bits == 64 {
                    "Python int too large to convert to C long"
                } else {
                    "Python int too large to convert to C int"
                },
            );
            None
        }
    }
}

/// `PyLong_AsLong`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsLong(o: *mut PyObject) -> c_long {
    if let Some(x) = exact_long(o) {
        return x as c_long;
    }
    to_signed(o, 64).map_or(-1, |x| x as c_long)
}

/// `PyLong_AsLongLong`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsLongLong(o: *mut PyObject) -> i64 {
    if let Some(x) = exact_long(o) {
        return x;
    }
    to_signed(o, 64).unwrap_or(-1)
}

/// `PyLong_AsSsize_t`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsSsize_t(o: *mut PyObject) -> isize {
    if let Some(x) = exact_long(o) {
        return x as isize;
    }
    to_signed(o, 64).map_or(-1, |x| x as isize)
}

/// `PyLong_AsLongAndOverflow`.
///
/// # Safety
/// `o` must be a live object; `overflow` writable.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsLongAndOverflow(
    o: *mut PyObject,
    overflow: *mut c_int,
) -> c_long {
    use num_traits::{Signed, ToPrimitive};
    // SAFETY: caller's contract.
    unsafe { *overflow = 0 };
    let Some(b) = index_big(o) else { return -1 };
    match b.to_i64() {
        Some(x) => x as c_long,
        None => {
            // SAFETY: caller's contract.
            unsafe { *overflow = if b.is_negative() { -1 } else { 1 } };
            -1
        }
    }
}

fn to_unsigned(o: *mut PyObject, mask: bool) -> Option<u64> {
    use num_traits::{Signed, ToPrimitive};
    let vm = vm();
    // SAFETY: a live object from C.
    let v = unsafe { from_py(vm, o) };
    let b = vm.unwrap_builtin(v);
    if !mask && !matches!(vm.sp.kind(b), Kind::Int | Kind::Bool) {
        // SAFETY: the exported variable.
        set_string(vm, unsafe { PyExc_TypeError }, "an integer is required");
        return None;
    }
    let big = index_big(o)?;
    if mask {
        let m = big & num_bigint::BigInt::from(u64::MAX);
        return m.to_u64();
    }
    if big.is_negative() {
        // SAFETY: the exported variable.
        set_string(
            vm,
            unsafe { PyExc_OverflowError },
            "can't convert negative value to unsigned int",
        );
        return None;
    }
    match big.to_u64() {
        Some(x) => Some(x),
        None => {
            // SAFETY: the exported variable.
            set_string(
                vm,
                unsafe { PyExc_OverflowError },
                "Python int too large to convert to C unsigned long",
            );
            None
        }
    }
}

/// `PyLong_AsUnsignedLong`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsUnsignedLong(o: *mut PyObject) -> c_ulong {
    to_unsigned(o, false).map_or(c_ulong::MAX, |x| x as c_ulong)
}

/// `PyLong_AsUnsignedLongLong`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsUnsignedLongLong(o: *mut PyObject) -> c_ulonglong {
    to_unsigned(o, false).unwrap_or(u64::MAX)
}

/// `PyLong_AsSize_t`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsSize_t(o: *mut PyObject) -> usize {
    to_unsigned(o, false).map_or(usize::MAX, |x| x as usize)
}

/// `PyLong_AsUnsignedLongMask`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsUnsignedLongMask(o: *mut PyObject) -> c_ulong {
    to_unsigned(o, true).map_or(c_ulong::MAX, |x| x as c_ulong)
}

/// `PyLong_AsUnsignedLongLongMask`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsUnsignedLongLongMask(o: *mut PyObject) -> c_ulonglong {
    to_unsigned(o, true).unwrap_or(u64::MAX)
}

/// `PyLong_AsDouble`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsDouble(o: *mut PyObject) -> c_double {
    use num_traits::ToPrimitive;
    index_big(o).and_then(|b| b.to_f64()).unwrap_or(-1.0)
}

/// `_PyLong_FromByteArray`: an int from `n` bytes, little- or big-endian, signed or not.
///
/// # Safety
/// `bytes` must point at `n` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn _PyLong_FromByteArray(
    bytes: *const u8,
    n: usize,
    little: c_int,
    signed: c_int,
) -> *mut PyObject {
    // SAFETY: caller's contract.
    let b = unsafe { std::slice::from_raw_parts(bytes, n) };
    let big = match (little != 0, signed != 0) {
        (true, true) => num_bigint::BigInt::from_signed_bytes_le(b),
        (true, false) => num_bigint::BigInt::from_bytes_le(num_bigint::Sign::Plus, b),
        (false, true) => num_bigint::BigInt::from_signed_bytes_be(b),
        (false, false) => num_bigint::BigInt::from_bytes_be(num_bigint::Sign::Plus, b),
    };
    let vm = vm();
    let o = vm.int_from(big);
    ret(o)
}

// ---- floats ----

/// `PyFloat_FromDouble`.
#[no_mangle]
pub extern "C" fn PyFloat_FromDouble(v: c_double) -> *mut PyObject {
    let o = vm().sp.new_float(v);
    ret(o)
}

/// `PyFloat_AsDouble`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyFloat_AsDouble(o: *mut PyObject) -> c_double {
    let vm = vm();
    // SAFETY: caller's contract.
    let v = unsafe { from_py(vm, o) };
    let b = vm.unwrap_builtin(v);
    if vm.sp.kind(b) == Kind::Float {
        return vm.sp.float_value(b);
    }
    // Only numbers convert (`__float__`, or `__index__`), never strings.
    let (f, i) = (vm.sp.intern("__float__"), vm.sp.intern("__index__"));
    if !vm.sp.is_int_layout(b)
        && vm.lookup_type_attr(v.ty(), f).is_none()
        && vm.lookup_type_attr(v.ty(), i).is_none()
    {
        let _ = vm.type_error(format!("must be real number, not {}", vm.type_name(v)));
        set_from_vm(vm);
        return -1.0;
    }
    let ft = vm.sp.t.float;
    match vm.call(ft, &[v]) {
        Ok(f) => vm.sp.float_value(vm.unwrap_builtin(f)),
        Err(_) => {
            set_from_vm(vm);
            -1.0
        }
    }
}

// ---- bool ----

/// `PyBool_FromLong`.
#[no_mangle]
pub extern "C" fn PyBool_FromLong(v: c_long) -> *mut PyObject {
    let p: *mut PyObject = if v != 0 {
        &raw mut _Py_TrueStruct as *mut PyObject
    } else {
        &raw mut _Py_FalseStruct as *mut PyObject
    };
    // SAFETY: a static object.
    unsafe { incref(p) };
    p
}

// ---- str ----

fn str_arg(o: *mut PyObject, func: &str) -> Option<*mut PyObject> {
    // SAFETY: a live object from C.
    unsafe {
        if (*(*o).ob_type).tp_flags & Py_TPFLAGS_UNICODE_SUBCLASS == 0 {
            set_string(
                vm(),
                PyExc_TypeError,
                &format!("{func}: bad argument type (expected str)"),
            );
            return None;
        }
    }
    Some(o)
}

/// `PyUnicode_FromStringAndSize` (UTF-8 input; invalid UTF-8 raises).
///
/// # Safety
/// `s` must point at `n` bytes (or be null with `n` = 0).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromStringAndSize(s: *const c_char, n: isize) -> *mut PyObject {
    if s.is_null() {
        return PyUnicode_New(n, 127);
    }
    // SAFETY: caller's contract.
    let b = unsafe { std::slice::from_raw_parts(s as *const u8, n as usize) };
    decode_utf8(b)
}

fn decode_utf8(b: &[u8]) -> *mut PyObject {
    let vm = vm();
    match std::str::from_utf8(b) {
        Ok(t) => {
            let o = vm.new_str(t);
            ret(o)
        }
        Err(e) => {
            let pos = e.valid_up_to();
            set_string(
                vm,
                // SAFETY: the exported variable.
                unsafe { super::errors::PyExc_UnicodeDecodeError },
                &format!(
                    "'utf-8' codec can't decode byte 0x{:02x} in position {pos}: invalid start byte",
                    b[pos]
                ),
            );
            null_mut()
        }
    }
}

/// `PyUnicode_FromString`.
///
/// # Safety
/// `s` must be NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromString(s: *const c_char) -> *mut PyObject {
    // SAFETY: caller's contract.
    decode_utf8(unsafe { CStr::from_ptr(s) }.to_bytes())
}

/// `PyUnicode_DecodeUTF8`.
///
/// # Safety
/// `s` must point at `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_DecodeUTF8(
    s: *const c_char,
    n: isize,
    _errors: *const c_char,
) -> *mut PyObject {
    // SAFETY: caller's contract.
    decode_utf8(unsafe { std::slice::from_raw_parts(s as *const u8, n as usize) })
}

/// `PyUnicode_New`: a C-first string C fills through the PEP 393 macros.
#[no_mangle]
pub extern "C" fn PyUnicode_New(size: isize, maxchar: u32) -> *mut PyObject {
    if maxchar > 0x10FFFF {
        // SAFETY: the exported variable.
        set_string(
            vm(),
            unsafe { PyExc_SystemError },
            "invalid maximum character passed to PyUnicode_New",
        );
        return null_mut();
    }
    let p = new_unicode_raw(size.max(0) as usize, maxchar);
    // SAFETY: a fresh object: the caller's reference.
    unsafe { incref(p) };
    p
}

/// `PyUnicode_FromKindAndData`.
///
/// # Safety
/// `data` must hold `size` code units of `kind` bytes.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromKindAndData(
    kind: c_int,
    data: *const u8,
    size: isize,
) -> *mut PyObject {
    let mut s = String::with_capacity(size as usize);
    for i in 0..size as usize {
        // SAFETY: caller's contract.
        let u = unsafe {
            match kind {
                1 => *data.add(i) as u32,
                2 => *(data as *const u16).add(i) as u32,
                _ => *(data as *const u32).add(i),
            }
        };
        s.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
    }
    let o = vm().new_str(&s);
    ret(o)
}

/// `PyUnicode_AsUTF8AndSize`: the UTF-8 bytes, valid for the object's lifetime.
///
/// # Safety
/// `o` must be a live object; `size` null or writable.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsUTF8AndSize(
    o: *mut PyObject,
    size: *mut isize,
) -> *const c_char {
    let Some(o) = str_arg(o, "PyUnicode_AsUTF8AndSize") else {
        return std::ptr::null();
    };
    // SAFETY: a str (ours or C-filled): compact layout.
    unsafe {
        let a = o as *mut PyASCIIObject;
        let (ptr, n) = if (*a).state & (1 << 6) != 0 {
            (unicode_data(o) as *const c_char, (*a).length)
        } else {
            let c = o as *mut PyCompactUnicodeObject;
            if (*c).utf8.is_null() {
                let t = unicode_text(o);
                let u = libc::malloc(t.len() + 1) as *mut u8;
                std::ptr::copy_nonoverlapping(t.as_ptr(), u, t.len());
                *u.add(t.len()) = 0;
                (*c).utf8 = u as *mut c_char;
                (*c).utf8_length = t.len() as isize;
            }
            ((*c).utf8 as *const c_char, (*c).utf8_length)
        };
        if !size.is_null() {
            *size = n;
        }
        ptr
    }
}

/// `PyUnicode_AsUTF8`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsUTF8(o: *mut PyObject) -> *const c_char {
    // SAFETY: forwarded.
    unsafe { PyUnicode_AsUTF8AndSize(o, null_mut()) }
}

/// `PyUnicode_AsUTF8String`: a new bytes object.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsUTF8String(o: *mut PyObject) -> *mut PyObject {
    let mut n = 0isize;
    // SAFETY: forwarded.
    let p = unsafe { PyUnicode_AsUTF8AndSize(o, &mut n) };
    if p.is_null() {
        return null_mut();
    }
    // SAFETY: `n` bytes at `p`.
    let b = unsafe { std::slice::from_raw_parts(p as *const u8, n as usize) };
    let r = bytes_proxy(b);
    // SAFETY: a fresh object: the caller's reference.
    unsafe { incref(r) };
    r
}

/// `PyUnicode_GetLength`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_GetLength(o: *mut PyObject) -> isize {
    match str_arg(o, "PyUnicode_GetLength") {
        // SAFETY: a str.
        Some(o) => unsafe { (*(o as *mut PyASCIIObject)).length },
        None => -1,
    }
}

/// `PyUnicode_InternFromString`.
///
/// # Safety
/// `s` must be NUL-terminated UTF-8.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_InternFromString(s: *const c_char) -> *mut PyObject {
    let vm = vm();
    // SAFETY: caller's contract.
    let t = unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned();
    let o = vm.sp.intern(&t);
    ret(o)
}

/// `PyUnicode_InternInPlace`: strings are compared by value; nothing to do.
///
/// # Safety
/// `p` must point at a live str reference.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_InternInPlace(_p: *mut *mut PyObject) {}

/// `PyUnicode_CompareWithASCIIString`.
///
/// # Safety
/// `o` a str; `s` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_CompareWithASCIIString(
    o: *mut PyObject,
    s: *const c_char,
) -> c_int {
    // SAFETY: caller's contract.
    let (a, b) = unsafe {
        (
            unicode_text(o),
            CStr::from_ptr(s).to_string_lossy().into_owned(),
        )
    };
    match a.as_str().cmp(b.as_str()) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

/// `PyUnicode_Compare`.
///
/// # Safety
/// Both must be strs.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Compare(a: *mut PyObject, b: *mut PyObject) -> c_int {
    // SAFETY: caller's contract.
    let (a, b) = unsafe { (unicode_text(a), unicode_text(b)) };
    match a.cmp(&b) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

// ---- bytes ----

/// `PyBytes_FromStringAndSize`: with NULL data, a C-first object C fills.
///
/// # Safety
/// `s` null or `n` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_FromStringAndSize(s: *const c_char, n: isize) -> *mut PyObject {
    if n < 0 {
        // SAFETY: the exported variable.
        set_string(
            vm(),
            unsafe { PyExc_SystemError },
            "Negative size passed to PyBytes_FromStringAndSize",
        );
        return null_mut();
    }
    let p = if s.is_null() {
        new_bytes_raw(n as usize)
    } else {
        // SAFETY: caller's contract.
        bytes_proxy(unsafe { std::slice::from_raw_parts(s as *const u8, n as usize) })
    };
    // SAFETY: a fresh object: the caller's reference.
    unsafe { incref(p) };
    p
}

/// `PyBytes_FromString`.
///
/// # Safety
/// `s` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_FromString(s: *const c_char) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe { PyBytes_FromStringAndSize(s, CStr::from_ptr(s).to_bytes().len() as isize) }
}

/// `PyBytes_AsString`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_AsString(o: *mut PyObject) -> *mut c_char {
    // SAFETY: type check, then the bytes layout.
    unsafe {
        if (*(*o).ob_type).tp_flags & Py_TPFLAGS_BYTES_SUBCLASS == 0 {
            let vm = vm();
            let v = from_py(vm, o);
            let n = vm.type_name(v);
            set_string(vm, PyExc_TypeError, &format!("expected bytes, {n} found"));
            return null_mut();
        }
        bytes_data(o) as *mut c_char
    }
}

/// `PyBytes_Size`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_Size(o: *mut PyObject) -> isize {
    // SAFETY: a bytes object after the check.
    unsafe {
        if PyBytes_AsString(o).is_null() {
            return -1;
        }
        (*(o as *mut PyVarObject)).ob_size
    }
}

// ---- tuples ----

/// `PyTuple_New`: a C-first tuple of NULL items.
#[no_mangle]
pub extern "C" fn PyTuple_New(n: isize) -> *mut PyObject {
    if n < 0 {
        super::errors::PyErr_BadInternalCall();
        return null_mut();
    }
    let p = new_tuple_raw(n as usize);
    // SAFETY: a fresh object: the caller's reference.
    unsafe { incref(p) };
    p
}

/// `PyTuple_Size`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyTuple_Size(o: *mut PyObject) -> isize {
    // SAFETY: type check (after a liveness check in debug mode: tuples are never
    // static), then the tuple layout.
    unsafe {
        thicket_cpyext::debug::check_live(o);
        if (*(*o).ob_type).tp_flags & Py_TPFLAGS_TUPLE_SUBCLASS == 0 {
            super::errors::PyErr_BadInternalCall();
            return -1;
        }
        (*(o as *mut PyVarObject)).ob_size
    }
}

/// `PyTuple_GetItem` (borrowed).
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyTuple_GetItem(o: *mut PyObject, i: isize) -> *mut PyObject {
    // SAFETY: as PyTuple_Size.
    unsafe {
        let n = PyTuple_Size(o);
        if n < 0 {
            return null_mut();
        }
        if i < 0 || i >= n {
            set_string(vm(), PyExc_IndexError, "tuple index out of range");
            return null_mut();
        }
        *tuple_items(o).offset(i)
    }
}

/// `PyTuple_SetItem`: steals `v`; only for tuples C has not shared yet.
///
/// # Safety
/// `o` a tuple; `v` an owned reference or null.
#[no_mangle]
pub unsafe extern "C" fn PyTuple_SetItem(o: *mut PyObject, i: isize, v: *mut PyObject) -> c_int {
    // SAFETY: as above.
    unsafe {
        let n = PyTuple_Size(o);
        if n < 0 || (*head(o)).link != NO_LINK {
            decref_opt(v);
            if n >= 0 {
                super::errors::PyErr_BadInternalCall();
            }
            return -1;
        }
        if i < 0 || i >= n {
            decref_opt(v);
            set_string(
                vm(),
                PyExc_IndexError,
                "tuple assignment index out of range",
            );
            return -1;
        }
        let slot = tuple_items(o).offset(i);
        let old = *slot;
        *slot = v;
        decref_opt(old);
    }
    0
}

/// `PyTuple_GetSlice`.
///
/// # Safety
/// `o` must be a tuple.
#[no_mangle]
pub unsafe extern "C" fn PyTuple_GetSlice(o: *mut PyObject, lo: isize, hi: isize) -> *mut PyObject {
    // SAFETY: a tuple.
    unsafe {
        let n = PyTuple_Size(o);
        if n < 0 {
            return null_mut();
        }
        let lo = lo.clamp(0, n);
        let hi = hi.clamp(lo, n);
        let t = PyTuple_New(hi - lo);
        for i in lo..hi {
            let it = *tuple_items(o).offset(i);
            incref(it);
            *tuple_items(t).offset(i - lo) = it;
        }
        t
    }
}

// ---- lists ----

/// `PyList_New`: a C-first list of `n` NULL items.
#[no_mangle]
pub extern "C" fn PyList_New(n: isize) -> *mut PyObject {
    if n < 0 {
        super::errors::PyErr_BadInternalCall();
        return null_mut();
    }
    let p = thicket_cpyext::proxy::alloc(
        std::mem::size_of::<PyListObject>(),
        thicket_cpyext::proxy::LIVE,
    );
    // SAFETY: a fresh list-sized block.
    unsafe {
        (*p).ob_type = &raw mut PyList_Type;
        let l = p as *mut PyListObject;
        if n > 0 {
            (*l).ob_item = libc::calloc(n as usize, 8) as *mut *mut PyObject;
        }
        (*l).allocated = n;
        (*l).ob_base.ob_size = n;
        incref(p);
    }
    p
}

fn list_check(o: *mut PyObject) -> bool {
    // SAFETY: a live object (checked in debug mode: lists are never static).
    unsafe { thicket_cpyext::debug::check_live(o) };
    // SAFETY: a live object.
    let ok = unsafe { (*(*o).ob_type).tp_flags & Py_TPFLAGS_LIST_SUBCLASS != 0 };
    if !ok {
        super::errors::PyErr_BadInternalCall();
    }
    ok
}

/// The GC list of a linked list proxy, if it has one.
fn gc_list(o: *mut PyObject) -> Option<Value> {
    // SAFETY: a list proxy (ours).
    unsafe {
        let l = (*head(o)).link;
        if l == NO_LINK {
            return None;
        }
        let vm = vm();
        vm.sp
            .heap
            .extref_object(l)
            .map(|r| vm.unwrap_builtin(Value(r)))
    }
}

/// `PyList_Size`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyList_Size(o: *mut PyObject) -> isize {
    if !list_check(o) {
        return -1;
    }
    // SAFETY: a list.
    unsafe { (*(o as *mut PyVarObject)).ob_size }
}

/// `PyList_GetItem` (borrowed).
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyList_GetItem(o: *mut PyObject, i: isize) -> *mut PyObject {
    if !list_check(o) {
        return null_mut();
    }
    // SAFETY: a list.
    unsafe {
        let l = o as *mut PyListObject;
        if i < 0 || i >= (*l).ob_base.ob_size {
            set_string(vm(), PyExc_IndexError, "list index out of range");
            return null_mut();
        }
        *(*l).ob_item.offset(i)
    }
}

/// `PyList_SetItem`: steals `v`; both sides see the change.
///
/// # Safety
/// `o` a list; `v` an owned reference.
#[no_mangle]
pub unsafe extern "C" fn PyList_SetItem(o: *mut PyObject, i: isize, v: *mut PyObject) -> c_int {
    if !list_check(o) {
        // SAFETY: stolen.
        unsafe { decref_opt(v) };
        return -1;
    }
    // SAFETY: a list.
    unsafe {
        let l = o as *mut PyListObject;
        if i < 0 || i >= (*l).ob_base.ob_size {
            decref_opt(v);
            set_string(vm(), PyExc_IndexError, "list assignment index out of range");
            return -1;
        }
        let slot = (*l).ob_item.offset(i);
        let old = *slot;
        *slot = v;
        // (Converting the item allocates at most; nothing moves `g`.)
        if let Some(g) = gc_list(o) {
            let vm = vm();
            let val = from_py(vm, v);
            vm.sp.list_set(g, i as usize, val);
        }
        decref_opt(old);
    }
    0
}

/// `PyList_Append`: both sides see the change.
///
/// # Safety
/// `o` a list; `v` a live object.
#[no_mangle]
pub unsafe extern "C" fn PyList_Append(o: *mut PyObject, v: *mut PyObject) -> c_int {
    if !list_check(o) {
        return -1;
    }
    // SAFETY: a list whose item array has `allocated` slots.
    unsafe {
        let l = o as *mut PyListObject;
        let n = (*l).ob_base.ob_size as usize;
        if n as isize >= (*l).allocated {
            let cap = (n * 2).max(8);
            let a = libc::realloc((*l).ob_item as *mut libc::c_void, cap * 8) as *mut *mut PyObject;
            if a.is_null() {
                return super::errors::PyErr_NoMemory().is_null() as c_int - 2;
            }
            (*l).ob_item = a;
            (*l).allocated = cap as isize;
        }
        incref(v);
        *(*l).ob_item.add(n) = v;
        (*l).ob_base.ob_size = n as isize + 1;
        if let Some(g) = gc_list(o) {
            let vm = vm();
            let val = from_py(vm, v);
            vm.sp.list_append(g, val);
        }
    }
    0
}

/// `PyList_AsTuple`.
///
/// # Safety
/// `o` a list.
#[no_mangle]
pub unsafe extern "C" fn PyList_AsTuple(o: *mut PyObject) -> *mut PyObject {
    if !list_check(o) {
        return null_mut();
    }
    // SAFETY: a list.
    unsafe {
        let l = o as *mut PyListObject;
        let n = (*l).ob_base.ob_size;
        let t = PyTuple_New(n);
        for i in 0..n {
            let it = *(*l).ob_item.offset(i);
            incref(it);
            *tuple_items(t).offset(i) = it;
        }
        t
    }
}

// ---- dicts ----

/// `PyDict_New`.
#[no_mangle]
pub extern "C" fn PyDict_New() -> *mut PyObject {
    let d = vm().sp.new_dict();
    ret(d)
}

fn dict_of(o: *mut PyObject) -> Option<Value> {
    let vm = vm();
    // SAFETY: a live object.
    let v = unsafe { from_py(vm, o) };
    let b = vm.unwrap_builtin(v);
    if vm.sp.kind(b) == Kind::Dict {
        Some(b)
    } else {
        super::errors::PyErr_BadInternalCall();
        None
    }
}

/// `PyDict_SetItem`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyDict_SetItem(
    d: *mut PyObject,
    k: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    let Some(dv) = dict_of(d) else { return -1 };
    let vm = vm();
    // SAFETY: live objects (converted again after nothing ran).
    let (kv, vv) = unsafe { (from_py(vm, k), from_py(vm, v)) };
    match vm.dict_setitem(dv, kv, vv) {
        Ok(()) => {
            resync_dict(d);
            0
        }
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

/// `PyDict_SetItemString`.
///
/// # Safety
/// Live objects; `k` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyDict_SetItemString(
    d: *mut PyObject,
    k: *const c_char,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: caller's contract.
    let ks = unsafe { PyUnicode_FromString(k) };
    if ks.is_null() {
        return -1;
    }
    // SAFETY: forwarded.
    let r = unsafe { PyDict_SetItem(d, ks, v) };
    // SAFETY: our reference.
    unsafe { decref(ks) };
    r
}

/// `PyDict_GetItemWithError` (borrowed; NULL without error if absent).
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyDict_GetItemWithError(
    d: *mut PyObject,
    k: *mut PyObject,
) -> *mut PyObject {
    let Some(dv) = dict_of(d) else {
        return null_mut();
    };
    let vm = vm();
    // SAFETY: live object.
    let kv = unsafe { from_py(vm, k) };
    match vm.dict_getitem_opt(dv, kv) {
        Ok(Some(v)) => to_py(vm, v),
        Ok(None) => null_mut(),
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

/// `PyDict_GetItem`: as `PyDict_GetItemWithError`, but errors are swallowed.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyDict_GetItem(d: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    let saved = super::errors::occurred();
    // SAFETY: forwarded.
    let r = unsafe { PyDict_GetItemWithError(d, k) };
    if !saved && super::errors::occurred() {
        super::errors::clear();
    }
    r
}

/// `PyDict_GetItemString`.
///
/// # Safety
/// Live objects; `k` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyDict_GetItemString(d: *mut PyObject, k: *const c_char) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe {
        let ks = PyUnicode_FromString(k);
        if ks.is_null() {
            super::errors::clear();
            return null_mut();
        }
        let r = PyDict_GetItem(d, ks);
        decref(ks);
        r
    }
}

/// `PyDict_DelItem`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyDict_DelItem(d: *mut PyObject, k: *mut PyObject) -> c_int {
    let vm = vm();
    // SAFETY: live objects.
    let (dv, kv) = unsafe { (from_py(vm, d), from_py(vm, k)) };
    match vm.delitem(dv, kv) {
        Ok(()) => {
            resync_dict(d);
            0
        }
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

/// `PyUnicode_Join(sep, seq)`: `sep.join(seq)` (a NULL separator is a space).
///
/// # Safety
/// `sep` null or a live str; `seq` a live iterable.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Join(sep: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let s = if sep.is_null() {
        vm.new_str(" ")
    } else {
        // SAFETY: a live str (the caller's contract).
        unsafe { from_py(vm, sep) }
    };
    let sr = vm.push_root(s);
    // SAFETY: a live object.
    let q = unsafe { from_py(vm, seq) };
    let qr = vm.push_root(q);
    let s = vm.root(sr);
    let r = vm.getattr_str(s, "join").and_then(|j| {
        let q = vm.root(qr);
        vm.call(j, &[q])
    });
    vm.reset_roots(sr);
    match r {
        Ok(v) => new_ref(vm, v),
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

/// `PyDict_DelItemString`.
///
/// # Safety
/// A live dict; `k` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyDict_DelItemString(d: *mut PyObject, k: *const c_char) -> c_int {
    // SAFETY: caller's contract.
    let ks = unsafe { PyUnicode_FromString(k) };
    if ks.is_null() {
        return -1;
    }
    // SAFETY: forwarded; then our reference is released.
    unsafe {
        let r = PyDict_DelItem(d, ks);
        decref(ks);
        r
    }
}

/// `PyDict_Clear`.
///
/// # Safety
/// A dict.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Clear(d: *mut PyObject) {
    if let Some(dv) = dict_of(d) {
        vm().sp.dict_clear(dv);
        resync_dict(d);
    }
}

/// Updates `ma_used` of dict `d` after a C-API change.
fn resync_dict(d: *mut PyObject) {
    let vm = vm();
    // SAFETY: a live dict object (the caller just used it as one).
    let v = unsafe { from_py(vm, d) };
    if v.layout() == thicket_object_model::layout::DICT {
        super::convert::sync_dict_size(vm, v, d);
    }
}

fn dict_view(d: *mut PyObject, which: usize) -> *mut PyObject {
    let Some(dv) = dict_of(d) else {
        return null_mut();
    };
    let vm = vm();
    let items = vm.sp.dict_items(dv);
    let mut out = Vec::with_capacity(items.len());
    for (k, v) in items {
        out.push(match which {
            0 => k,
            1 => v,
            _ => vm.sp.new_tuple(&[k, v]),
        });
    }
    let l = vm.sp.new_list(&out);
    new_ref(vm, l)
}

/// `PyDict_Keys`.
///
/// # Safety
/// A dict.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Keys(d: *mut PyObject) -> *mut PyObject {
    dict_view(d, 0)
}

/// `PyDict_Values`.
///
/// # Safety
/// A dict.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Values(d: *mut PyObject) -> *mut PyObject {
    dict_view(d, 1)
}

/// `PyDict_Items`.
///
/// # Safety
/// A dict.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Items(d: *mut PyObject) -> *mut PyObject {
    dict_view(d, 2)
}

/// `PyDict_Size`.
///
/// # Safety
/// A dict.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Size(d: *mut PyObject) -> isize {
    match dict_of(d) {
        Some(dv) => vm().sp.dict_items(dv).len() as isize,
        None => -1,
    }
}

/// `PyDict_Next`: iterates by position (`*pos` starts at 0); borrowed key and value.
///
/// # Safety
/// A dict; the out-pointers null or writable.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Next(
    d: *mut PyObject,
    pos: *mut isize,
    k: *mut *mut PyObject,
    v: *mut *mut PyObject,
) -> c_int {
    let Some(dv) = dict_of(d) else { return 0 };
    let vm = vm();
    let items = vm.sp.dict_items(dv);
    // SAFETY: caller's contract.
    unsafe {
        let i = *pos as usize;
        if i >= items.len() {
            return 0;
        }
        let (kk, vv) = items[i];
        *pos = i as isize + 1;
        if !k.is_null() {
            *k = to_py(vm, kk);
        }
        if !v.is_null() {
            *v = to_py(vm, vv);
        }
    }
    1
}

/// `PyDict_Copy`.
///
/// # Safety
/// A dict.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Copy(d: *mut PyObject) -> *mut PyObject {
    let Some(dv) = dict_of(d) else {
        return null_mut();
    };
    let vm = vm();
    let items = vm.sp.dict_items(dv);
    let n = vm.sp.new_dict();
    for (k, v) in items {
        if vm.dict_setitem(n, k, v).is_err() {
            set_from_vm(vm);
            return null_mut();
        }
    }
    new_ref(vm, n)
}

// ---- sets ----

/// `PySet_New`: a set of the iterable's items (or empty for NULL).
///
/// # Safety
/// `it` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PySet_New(it: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let set_t = vm.sp.t.set;
    let r = if it.is_null() {
        vm.call(set_t, &[])
    } else {
        // SAFETY: live object.
        let v = unsafe { from_py(vm, it) };
        vm.call(set_t, &[v])
    };
    match r {
        Ok(s) => new_ref(vm, s),
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

/// `PySet_Add`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PySet_Add(s: *mut PyObject, k: *mut PyObject) -> c_int {
    let vm = vm();
    // SAFETY: live objects.
    let (sv, kv) = unsafe { (from_py(vm, s), from_py(vm, k)) };
    let _ = kv;
    let r = vm.getattr_str(sv, "add").and_then(|f| {
        // SAFETY: still live (C holds the key); converted again after getattr.
        let kv = unsafe { from_py(vm, k) };
        vm.call(f, &[kv])
    });
    match r {
        Ok(_) => 0,
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

/// `PySet_Contains`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PySet_Contains(s: *mut PyObject, k: *mut PyObject) -> c_int {
    let vm = vm();
    // SAFETY: live objects.
    let (sv, kv) = unsafe { (from_py(vm, s), from_py(vm, k)) };
    match vm.contains(sv, kv) {
        Ok(b) => b as c_int,
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

/// `PySet_Size`.
///
/// # Safety
/// A set.
#[no_mangle]
pub unsafe extern "C" fn PySet_Size(s: *mut PyObject) -> isize {
    let vm = vm();
    // SAFETY: live object.
    let sv = unsafe { from_py(vm, s) };
    match vm.len(sv) {
        Ok(n) => n as isize,
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

// ---- census additions: ints, floats, bytes ----

/// Sets the indicator from the VM's exception and returns `fail`.
fn fail_with<T>(vm: &mut crate::vm::Vm, fail: T) -> T {
    set_from_vm(vm);
    fail
}

/// `PyLong_FromVoidPtr`: the address as a non-negative int.
#[no_mangle]
pub extern "C" fn PyLong_FromVoidPtr(p: *mut std::ffi::c_void) -> *mut PyObject {
    PyLong_FromUnsignedLongLong(p as usize as c_ulonglong)
}

/// `_PyLong_NumBits`: the number of bits of `abs(v)` (0 for 0); `(size_t)-1` with an
/// error for a non-int.
///
/// # Safety
/// `v` must be a live object (an int).
#[no_mangle]
pub unsafe extern "C" fn _PyLong_NumBits(v: *mut PyObject) -> usize {
    match index_big(v) {
        Some(b) => b.bits() as usize,
        None => usize::MAX,
    }
}

/// `PyFloat_FromString`: `float(s)` for a str, bytes or bytearray (the string forms
/// only: a number is a `TypeError` here).
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyFloat_FromString(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    // SAFETY: caller's contract.
    let v = unsafe { from_py(vm, o) };
    let b = vm.unwrap_builtin(v);
    if !matches!(vm.sp.kind(b), Kind::Str | Kind::Bytes | Kind::ByteArray) {
        let n = vm.type_name(v);
        let _ = vm.type_error(format!(
            "float() argument must be a string or a real number, not '{n}'"
        ));
        return fail_with(vm, null_mut());
    }
    let ft = vm.sp.t.float;
    if vm.sp.kind(b) != Kind::Str {
        // Bytes: their text (the interpreter's `float` takes strs only), and CPython's
        // message naming the bytes.
        let data = vm.bytes_like(b).unwrap_or_default();
        let text = String::from_utf8(data).ok();
        let r = text.map(|t| vm.new_str(&t)).map(|s| vm.call(ft, &[s]));
        return match r {
            Some(Ok(f)) => new_ref(vm, f),
            _ => {
                if r.is_some() {
                    vm.take_exc();
                }
                // SAFETY: a live object.
                let v = unsafe { from_py(vm, o) };
                let rep = match vm.repr_string(v) {
                    Ok(s) => s,
                    Err(_) => return fail_with(vm, null_mut()),
                };
                let _ = vm.value_error(format!("could not convert string to float: {rep}"));
                fail_with(vm, null_mut())
            }
        };
    }
    match vm.call(ft, &[v]) {
        Ok(f) => new_ref(vm, f),
        Err(_) => fail_with(vm, null_mut()),
    }
}

/// `_PyBytes_Resize(&b, n)`: resizes a bytes object only its caller holds (contents
/// kept up to the shorter length, a NUL after the last byte; the object may move). As
/// in CPython, anything else — not bytes, a negative size, or an object others hold:
/// a count other than the caller's one, or one Python has seen (linked: its Python-side
/// references are not counted, so it is taken as shared) — releases `*pv`, sets it to
/// NULL and raises `SystemError` (bad internal call).
///
/// # Safety
/// `pv` must point at null or an object the caller owns.
#[no_mangle]
pub unsafe extern "C" fn _PyBytes_Resize(pv: *mut *mut PyObject, n: isize) -> c_int {
    // SAFETY: caller's contract; the bytes layout after the check.
    unsafe {
        let v = *pv;
        let bad = |pv: *mut *mut PyObject| {
            *pv = null_mut();
            decref_opt(v);
            super::errors::PyErr_BadInternalCall();
            -1
        };
        if v.is_null() || (*(*v).ob_type).tp_flags & Py_TPFLAGS_BYTES_SUBCLASS == 0 || n < 0 {
            return bad(pv);
        }
        let old = (*(v as *mut PyVarObject)).ob_size;
        if old == n {
            return 0;
        }
        if (*head(v)).link != NO_LINK || (*v).ob_refcnt != 1 {
            return bad(pv);
        }
        let p = thicket_cpyext::proxy::realloc(v, 32 + n as usize + 1);
        if p.is_null() {
            *pv = null_mut();
            decref(v);
            super::errors::PyErr_NoMemory();
            return -1;
        }
        (*(p as *mut PyVarObject)).ob_size = n;
        (*(p as *mut PyBytesObject)).ob_shash = -1;
        *bytes_data(p).add(n as usize) = 0;
        *pv = p;
        0
    }
}

// ---- census additions: strs ----

/// `_PyUnicode_Ready`: every string is ready (compact, PEP 393) from its creation.
///
/// # Safety
/// `o` must be a str.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicode_Ready(_o: *mut PyObject) -> c_int {
    0
}

/// `_PyUnicode_IsWhitespace`: `chr(ch).isspace()` (the Unicode `White_Space`
/// characters plus the ASCII separators 0x1C to 0x1F, as Python counts them).
#[no_mangle]
pub extern "C" fn _PyUnicode_IsWhitespace(ch: u32) -> c_int {
    (matches!(ch, 0x1c..=0x1f) || char::from_u32(ch).is_some_and(char::is_whitespace)) as c_int
}

/// `PyUnicode_GetDefaultEncoding`: `"utf-8"`.
#[no_mangle]
pub extern "C" fn PyUnicode_GetDefaultEncoding() -> *const c_char {
    c"utf-8".as_ptr()
}

/// `PyUnicode_FromObject`: an exact str itself (new reference), a str subclass's text
/// as an exact str, and `TypeError` for anything else.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromObject(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    // SAFETY: caller's contract.
    let v = unsafe { from_py(vm, o) };
    if v.ty().is(vm.sp.t.str_) {
        return new_ref(vm, v);
    }
    let b = vm.unwrap_builtin(v);
    if vm.sp.kind(b) == Kind::Str {
        let s = vm.sp.str_of(b).to_owned();
        let r = vm.new_str(&s);
        return new_ref(vm, r);
    }
    let n = vm.type_name(v);
    let _ = vm.type_error(format!("Can't convert '{n}' object to str implicitly"));
    fail_with(vm, null_mut())
}

/// `PyUnicode_Decode(s, size, encoding, errors)`: `bytes(s[:size]).decode(encoding,
/// errors)`, UTF-8 and `"strict"` for NULL.
///
/// # Safety
/// `s` must hold `size` bytes; `encoding` and `errors` null or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Decode(
    s: *const c_char,
    size: isize,
    encoding: *const c_char,
    errors: *const c_char,
) -> *mut PyObject {
    let vm = vm();
    let text = |p: *const c_char, dflt: &str| {
        if p.is_null() {
            dflt.to_owned()
        } else {
            // SAFETY: caller's contract.
            unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
        }
    };
    let (enc, err) = (text(encoding, "utf-8"), text(errors, "strict"));
    // SAFETY: caller's contract.
    let data = unsafe { std::slice::from_raw_parts(s as *const u8, size.max(0) as usize) };
    let b = vm.sp.new_bytes(data);
    let br = vm.push_root(b);
    let r = vm.getattr_str(b, "decode").and_then(|f| {
        let fr = vm.push_root(f);
        let e = vm.new_str(&enc);
        let er = vm.push_root(e);
        let x = vm.new_str(&err);
        let (f, e) = (vm.root(fr), vm.root(er));
        vm.call(f, &[e, x])
    });
    vm.reset_roots(br);
    match r {
        Ok(u) => new_ref(vm, u),
        Err(_) => fail_with(vm, null_mut()),
    }
}

/// `PyUnicode_Tailmatch(str, substr, start, end, direction)`: 1 if `substr` matches
/// `str[start:end]` at its start (`direction` -1) or end (otherwise), else 0; -1 with
/// `TypeError` unless both are strs.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Tailmatch(
    s: *mut PyObject,
    sub: *mut PyObject,
    start: isize,
    end: isize,
    direction: c_int,
) -> isize {
    let vm = vm();
    for &p in &[s, sub] {
        // SAFETY: live objects.
        let v = unsafe { from_py(vm, p) };
        if vm.sp.kind(vm.unwrap_builtin(v)) != Kind::Str {
            let n = vm.type_name(v);
            let _ = vm.type_error(format!("must be str, not {n}"));
            return fail_with(vm, -1);
        }
    }
    // SAFETY: live objects (converted again below after each call that runs code).
    let sv = unsafe { from_py(vm, s) };
    let meth = if direction == -1 {
        "startswith"
    } else {
        "endswith"
    };
    let r = vm.getattr_str(sv, meth).and_then(|f| {
        let fr = vm.push_root(f);
        let (a, b) = (vm.sp.new_int(start as i64), vm.sp.new_int(end as i64));
        // SAFETY: a live object.
        let subv = unsafe { from_py(vm, sub) };
        let f = vm.root(fr);
        vm.call(f, &[subv, a, b])
    });
    match r {
        Ok(b) => b.is(vm.sp.true_) as isize,
        Err(_) => fail_with(vm, -1),
    }
}

// ---- census additions: lists ----

/// `PyList_SetSlice(list, lo, hi, v)`: `list[lo:hi] = v` (delete for NULL), bounds
/// clipped as CPython clips them; `v` may be any iterable (`TypeError` "can only
/// assign an iterable" otherwise), the list itself included. The item array C sees is
/// the truth (so `PyList_SET_ITEM` writes not yet handed back are kept); the GC list
/// is then made the same.
///
/// # Safety
/// `o` a live list; `v` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyList_SetSlice(
    o: *mut PyObject,
    lo: isize,
    hi: isize,
    v: *mut PyObject,
) -> c_int {
    if !list_check(o) {
        return -1;
    }
    // The new items, as owned references.
    let mut new: Vec<*mut PyObject> = Vec::new();
    // SAFETY: live objects; list and tuple arrays read per their layouts.
    unsafe {
        if !v.is_null() {
            let tp = (*v).ob_type;
            if tp == &raw mut PyList_Type {
                let l = v as *mut PyListObject;
                for i in 0..(*l).ob_base.ob_size {
                    new.push(*(*l).ob_item.offset(i));
                }
            } else if tp == &raw mut PyTuple_Type {
                let items = tuple_items(v);
                for i in 0..(*(v as *mut PyVarObject)).ob_size {
                    new.push(*items.offset(i));
                }
            } else {
                let vm = vm();
                let val = from_py(vm, v);
                let gl = match vm.list_from_iter(val) {
                    Ok(gl) => gl,
                    Err(_) => {
                        vm.take_exc();
                        set_string(vm, PyExc_TypeError, "can only assign an iterable");
                        return -1;
                    }
                };
                for i in 0..vm.sp.list_len(gl) {
                    let it = vm.sp.list_items(gl)[i];
                    new.push(to_py(vm, it));
                }
            }
            for &p in &new {
                incref(p);
            }
        }
        let l = o as *mut PyListObject;
        let n = (*l).ob_base.ob_size;
        let lo = lo.clamp(0, n);
        let hi = hi.clamp(lo, n);
        let old: Vec<*mut PyObject> = (0..n).map(|i| *(*l).ob_item.offset(i)).collect();
        let mut items: Vec<*mut PyObject> = old[..lo as usize].to_vec();
        items.extend_from_slice(&new);
        items.extend_from_slice(&old[hi as usize..]);
        let m = items.len();
        if m as isize > (*l).allocated {
            let cap = m.max(4);
            let a = libc::realloc((*l).ob_item as *mut libc::c_void, cap * 8) as *mut *mut PyObject;
            if a.is_null() {
                for &p in &new {
                    decref(p);
                }
                super::errors::PyErr_NoMemory();
                return -1;
            }
            (*l).ob_item = a;
            (*l).allocated = cap as isize;
        }
        std::ptr::copy_nonoverlapping(items.as_ptr(), (*l).ob_item, m);
        (*l).ob_base.ob_size = m as isize;
        if let Some(g) = gc_list(o) {
            let vm = vm();
            // (Converting items allocates at most: `g` and the values stay put.)
            let vals: Vec<Value> = items.iter().map(|&p| from_py(vm, p)).collect();
            vm.sp.list_replace(g, &vals);
            super::list_writeback::handed(vm, o);
        }
        for &p in &old[lo as usize..hi as usize] {
            decref(p);
        }
    }
    0
}

// ---- census additions: dicts and sets ----

/// `PyDict_Contains`: 1 if `k` is a key of dict `d`, 0 if not, -1 with an error (an
/// unhashable key, or a failing `__eq__`).
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Contains(d: *mut PyObject, k: *mut PyObject) -> c_int {
    let Some(dv) = dict_of(d) else { return -1 };
    let vm = vm();
    // SAFETY: a live object.
    let kv = unsafe { from_py(vm, k) };
    match vm.dict_getitem_opt(dv, kv) {
        Ok(r) => r.is_some() as c_int,
        Err(_) => fail_with(vm, -1),
    }
}

/// `PyDict_SetDefault(d, k, default)`: `d[k]` if present, else `default` stored under
/// `k`; a borrowed reference (the dict holds it).
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyDict_SetDefault(
    d: *mut PyObject,
    k: *mut PyObject,
    dflt: *mut PyObject,
) -> *mut PyObject {
    let Some(dv) = dict_of(d) else {
        return null_mut();
    };
    let vm = vm();
    // SAFETY: a live object.
    let kv = unsafe { from_py(vm, k) };
    match vm.dict_getitem_opt(dv, kv) {
        Ok(Some(v)) => return to_py(vm, v),
        Ok(None) => {}
        Err(_) => return fail_with(vm, null_mut()),
    }
    // SAFETY: live objects, converted again after the lookup ran.
    let (dv, kv, vv) = unsafe { (from_py(vm, d), from_py(vm, k), from_py(vm, dflt)) };
    let dv = vm.unwrap_builtin(dv);
    match vm.dict_setitem(dv, kv, vv) {
        Ok(()) => {
            resync_dict(d);
            // SAFETY: a live object, which the dict now holds.
            let vv = unsafe { from_py(vm, dflt) };
            to_py(vm, vv)
        }
        Err(_) => fail_with(vm, null_mut()),
    }
}

/// `PyDict_Update(a, b)`: `a.update(b)` for a mapping `b` (a dict, or anything with
/// `keys()` and `__getitem__`; a sequence of pairs is an `AttributeError` here, as in
/// CPython). `a` must be a dict (bad internal call otherwise).
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Update(a: *mut PyObject, b: *mut PyObject) -> c_int {
    if b.is_null() {
        super::errors::PyErr_BadInternalCall();
        return -1;
    }
    let Some(_) = dict_of(a) else { return -1 };
    let vm = vm();
    // SAFETY: a live object.
    let bv = unsafe { from_py(vm, b) };
    let is_dict = vm.sp.kind(vm.unwrap_builtin(bv)) == Kind::Dict;
    if !is_dict && vm.getattr_str(bv, "keys").is_err() {
        return fail_with(vm, -1);
    }
    let dt = vm.sp.t.dict;
    let r = vm.getattr_str(dt, "update").and_then(|u| {
        // SAFETY: live objects, converted after the lookups ran.
        let (av, bv) = unsafe { (from_py(vm, a), from_py(vm, b)) };
        vm.call(u, &[av, bv])
    });
    match r {
        Ok(_) => {
            resync_dict(a);
            0
        }
        Err(_) => fail_with(vm, -1),
    }
}

/// `PySet_Discard`: 1 if `k` was in set `s` and is removed, 0 if it was not, -1 with
/// an error (an unhashable key; a frozenset or non-set is a bad internal call).
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PySet_Discard(s: *mut PyObject, k: *mut PyObject) -> c_int {
    let vm = vm();
    // SAFETY: a live object.
    let sv = unsafe { from_py(vm, s) };
    if vm.sp.kind(vm.unwrap_builtin(sv)) != Kind::Set {
        super::errors::PyErr_BadInternalCall();
        return -1;
    }
    // SAFETY: a live object.
    let kv = unsafe { from_py(vm, k) };
    let h = match vm.hash(kv) {
        Ok(h) => h,
        Err(_) => return fail_with(vm, -1),
    };
    // SAFETY: live objects, converted again after hashing ran.
    let (sv, kv) = unsafe { (from_py(vm, s), from_py(vm, k)) };
    let sv = vm.unwrap_builtin(sv);
    match thicket_object_model::sets::set_discard(vm, sv, kv, h) {
        Ok(found) => found as c_int,
        Err(_) => fail_with(vm, -1),
    }
}

// ---- _PyUnicodeWriter ----

/// CPython 3.11's `_PyUnicodeWriter`, which C allocates (often on its stack) and whose
/// `data`, `kind`, `maxchar`, `size` and `pos` its inline macros read and advance.
#[repr(C)]
pub struct PyUnicodeWriter {
    /// The string being filled (C-first, owned by the writer), or null.
    pub buffer: *mut PyObject,
    /// `buffer`'s character data.
    pub data: *mut u8,
    /// `buffer`'s kind (1, 2 or 4; 0 before the first write).
    pub kind: c_int,
    /// The largest character `buffer`'s kind holds.
    pub maxchar: u32,
    /// `buffer`'s length in characters.
    pub size: isize,
    /// Characters written so far.
    pub pos: isize,
    /// Minimum length of the first buffer.
    pub min_length: isize,
    /// Minimum `maxchar` of the buffer.
    pub min_char: u32,
    /// Nonzero: grow the buffer geometrically.
    pub overallocate: u8,
    /// Nonzero: `buffer` is a shared str (never set here: writes always copy).
    pub readonly: u8,
}

/// The kind of a compact string and its character data.
///
/// # Safety
/// `s` must be a compact str.
unsafe fn str_kind_data(s: *mut PyObject) -> (u32, *mut u8, usize) {
    // SAFETY: caller's contract.
    unsafe {
        let a = s as *mut PyASCIIObject;
        (((*a).state >> 2) & 7, unicode_data(s), (*a).length as usize)
    }
}

/// Reads character `i` of data of `kind`.
///
/// # Safety
/// `data` must hold more than `i` characters of `kind`.
unsafe fn read_char(kind: u32, data: *const u8, i: usize) -> u32 {
    // SAFETY: caller's contract.
    unsafe {
        match kind {
            1 => *data.add(i) as u32,
            2 => *(data as *const u16).add(i) as u32,
            _ => *(data as *const u32).add(i),
        }
    }
}

/// Writes character `i` of data of `kind`.
///
/// # Safety
/// `data` must have room for more than `i` characters of `kind`, which holds `c`.
unsafe fn write_char(kind: u32, data: *mut u8, i: usize, c: u32) {
    // SAFETY: caller's contract.
    unsafe {
        match kind {
            1 => *data.add(i) = c as u8,
            2 => *(data as *mut u16).add(i) = c as u16,
            _ => *(data as *mut u32).add(i) = c,
        }
    }
}

/// `_PyUnicodeWriter_Init`: an empty writer (no buffer; `overallocate` and the minimums
/// are for C to set).
///
/// # Safety
/// `w` must be writable.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_Init(w: *mut PyUnicodeWriter) {
    // SAFETY: caller's contract; all-zero is the empty writer (kind 0: no buffer yet).
    unsafe { std::ptr::write_bytes(w, 0, 1) }
}

/// `_PyUnicodeWriter_PrepareInternal(w, length, maxchar)`: room for `length` more
/// characters up to `maxchar` (a new, wider or longer buffer, the text so far copied);
/// 0, or -1 with `OverflowError`/`MemoryError`.
///
/// # Safety
/// `w` must be an initialised writer.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_PrepareInternal(
    w: *mut PyUnicodeWriter,
    length: isize,
    maxchar: u32,
) -> c_int {
    // SAFETY: caller's contract; the buffer is a C-first compact string the writer owns.
    unsafe {
        let w = &mut *w;
        if length > isize::MAX - w.pos {
            set_string(vm(), PyExc_OverflowError, "string is too long");
            return -1;
        }
        if maxchar > 0x10ffff {
            // (CPython's check, made where it makes the buffer.)
            set_string(
                vm(),
                PyExc_SystemError,
                "invalid maximum character passed to PyUnicode_New",
            );
            return -1;
        }
        let mut newlen = w.pos + length;
        let maxchar = maxchar.max(w.min_char);
        let grow = w.buffer.is_null() || newlen > w.size;
        if !grow && maxchar <= w.maxchar {
            return 0;
        }
        if grow {
            if w.overallocate != 0 && newlen <= isize::MAX / 2 {
                newlen += newlen / 4;
            }
            newlen = newlen.max(w.min_length);
        } else {
            newlen = w.size;
        }
        let maxchar = if w.buffer.is_null() {
            maxchar
        } else {
            maxchar.max(w.maxchar)
        };
        let nb = new_unicode_raw(newlen as usize, maxchar);
        incref(nb);
        let (nk, nd, _) = str_kind_data(nb);
        if !w.buffer.is_null() {
            let (ok, od, _) = str_kind_data(w.buffer);
            for i in 0..w.pos as usize {
                write_char(nk, nd, i, read_char(ok, od, i));
            }
            decref(w.buffer);
        }
        w.buffer = nb;
        w.data = nd;
        w.kind = nk as c_int;
        w.maxchar = match nk {
            1 if (*(nb as *mut PyASCIIObject)).state & (1 << 6) != 0 => 0x7f,
            1 => 0xff,
            2 => 0xffff,
            _ => 0x10ffff,
        };
        w.size = newlen;
        w.readonly = 0;
    }
    0
}

/// `_PyUnicodeWriter_PrepareKindInternal(w, kind)`: a buffer of at least `kind`.
///
/// # Safety
/// `w` must be an initialised writer.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_PrepareKindInternal(
    w: *mut PyUnicodeWriter,
    kind: c_int,
) -> c_int {
    let maxchar = match kind {
        1 => 0xff,
        2 => 0xffff,
        _ => 0x10ffff,
    };
    // SAFETY: forwarded.
    unsafe { _PyUnicodeWriter_PrepareInternal(w, 0, maxchar) }
}

/// Prepares `w` for `n` characters up to `maxchar` (the `_PyUnicodeWriter_Prepare`
/// macro's test, then the function).
///
/// # Safety
/// `w` must be an initialised writer.
unsafe fn writer_prepare(w: *mut PyUnicodeWriter, n: isize, maxchar: u32) -> c_int {
    // SAFETY: caller's contract.
    unsafe {
        if (maxchar <= (*w).maxchar && n <= (*w).size - (*w).pos) || n == 0 {
            return 0;
        }
        _PyUnicodeWriter_PrepareInternal(w, n, maxchar)
    }
}

/// `_PyUnicodeWriter_WriteChar`: appends one code point (`SystemError` past U+10FFFF,
/// from making the buffer, as in CPython).
///
/// # Safety
/// `w` must be an initialised writer.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteChar(w: *mut PyUnicodeWriter, ch: u32) -> c_int {
    // SAFETY: caller's contract; room made for one character.
    unsafe {
        if writer_prepare(w, 1, ch) < 0 {
            return -1;
        }
        write_char((*w).kind as u32, (*w).data, (*w).pos as usize, ch);
        (*w).pos += 1;
    }
    0
}

/// Appends characters `start..end` of compact str `s`.
///
/// # Safety
/// `w` an initialised writer; `s` a str with at least `end` characters.
unsafe fn writer_copy(
    w: *mut PyUnicodeWriter,
    s: *mut PyObject,
    start: usize,
    end: usize,
) -> c_int {
    if end <= start {
        return 0;
    }
    // SAFETY: caller's contract.
    unsafe {
        let (k, d, _) = str_kind_data(s);
        let max = (start..end).map(|i| read_char(k, d, i)).max().unwrap_or(0);
        if writer_prepare(w, (end - start) as isize, max) < 0 {
            return -1;
        }
        let (wk, wd, pos) = ((*w).kind as u32, (*w).data, (*w).pos as usize);
        for i in start..end {
            write_char(wk, wd, pos + i - start, read_char(k, d, i));
        }
        (*w).pos += (end - start) as isize;
    }
    0
}

/// `_PyUnicodeWriter_WriteStr`: appends a str.
///
/// # Safety
/// `w` an initialised writer; `s` a live str.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteStr(
    w: *mut PyUnicodeWriter,
    s: *mut PyObject,
) -> c_int {
    // SAFETY: caller's contract.
    unsafe {
        let (_, _, n) = str_kind_data(s);
        writer_copy(w, s, 0, n)
    }
}

/// `_PyUnicodeWriter_WriteSubstring`: appends `s[start:end]` (indices within bounds).
///
/// # Safety
/// `w` an initialised writer; `s` a live str; `0 <= start <= end <= len(s)`.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteSubstring(
    w: *mut PyUnicodeWriter,
    s: *mut PyObject,
    start: isize,
    end: isize,
) -> c_int {
    // SAFETY: caller's contract.
    unsafe { writer_copy(w, s, start.max(0) as usize, end.max(0) as usize) }
}

/// Appends `len` bytes as code points below 256.
///
/// # Safety
/// `w` an initialised writer; `s` holds `len` bytes.
unsafe fn writer_bytes(w: *mut PyUnicodeWriter, s: *const c_char, len: isize) -> c_int {
    // SAFETY: caller's contract.
    unsafe {
        let b = std::slice::from_raw_parts(s as *const u8, len.max(0) as usize);
        let max = b.iter().copied().max().unwrap_or(0) as u32;
        if writer_prepare(w, b.len() as isize, max) < 0 {
            return -1;
        }
        let (wk, wd, pos) = ((*w).kind as u32, (*w).data, (*w).pos as usize);
        for (i, &c) in b.iter().enumerate() {
            write_char(wk, wd, pos + i, c as u32);
        }
        (*w).pos += b.len() as isize;
    }
    0
}

/// `_PyUnicodeWriter_WriteASCIIString`: appends `len` ASCII bytes (-1: NUL-terminated).
///
/// # Safety
/// `w` an initialised writer; `s` holds `len` ASCII bytes (or is NUL-terminated).
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteASCIIString(
    w: *mut PyUnicodeWriter,
    s: *const c_char,
    len: isize,
) -> c_int {
    // SAFETY: caller's contract.
    unsafe {
        let len = if len < 0 {
            CStr::from_ptr(s).to_bytes().len() as isize
        } else {
            len
        };
        writer_bytes(w, s, len)
    }
}

/// `_PyUnicodeWriter_WriteLatin1String`: appends `len` Latin-1 bytes.
///
/// # Safety
/// `w` an initialised writer; `s` holds `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteLatin1String(
    w: *mut PyUnicodeWriter,
    s: *const c_char,
    len: isize,
) -> c_int {
    // SAFETY: forwarded.
    unsafe { writer_bytes(w, s, len) }
}

/// `_PyUnicodeWriter_Finish`: the str written (exactly `pos` characters), a new
/// reference; the writer is left empty. The result is made on the GC side (so the
/// interpreter's shared empty and one-character strings are used as they are).
///
/// # Safety
/// `w` an initialised writer.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_Finish(w: *mut PyUnicodeWriter) -> *mut PyObject {
    // SAFETY: caller's contract; the buffer holds `pos` characters.
    unsafe {
        let w = &mut *w;
        let n = w.pos.max(0) as usize;
        let mut text = String::with_capacity(n);
        if !w.buffer.is_null() {
            let (k, d) = (w.kind as u32, w.data as *const u8);
            for i in 0..n {
                text.push(char::from_u32(read_char(k, d, i)).unwrap_or('\u{FFFD}'));
            }
            decref(w.buffer);
        }
        std::ptr::write_bytes(w as *mut PyUnicodeWriter, 0, 1);
        let vm = vm();
        let s = vm.new_str(&text);
        new_ref(vm, s)
    }
}

/// `_PyUnicodeWriter_Dealloc`: releases the buffer of an unfinished writer.
///
/// # Safety
/// `w` an initialised writer.
#[no_mangle]
pub unsafe extern "C" fn _PyUnicodeWriter_Dealloc(w: *mut PyUnicodeWriter) {
    // SAFETY: caller's contract.
    unsafe {
        decref_opt((*w).buffer);
        (*w).buffer = null_mut();
    }
}

// ---- slices ----

/// A slice bound as `_PyEval_SliceIndex` converts it: `operator.index`, clamped to
/// the `Py_ssize_t` range; anything else a `TypeError`.
fn slice_index(vm: &mut crate::vm::Vm, v: Value) -> Option<isize> {
    use num_traits::{Signed, ToPrimitive};
    let p = to_py(vm, v);
    let has_index = {
        let b = vm.unwrap_builtin(v);
        vm.sp.is_int_layout(b) || {
            let k = vm.sp.intern("__index__");
            vm.lookup_type_attr(v.ty(), k).is_some()
        }
    };
    if !has_index {
        // SAFETY: the exported variable.
        set_string(
            vm,
            unsafe { PyExc_TypeError },
            "slice indices must be integers or None or have an __index__ method",
        );
        return None;
    }
    let b = index_big(p)?;
    Some(b.to_isize().unwrap_or(if b.is_negative() {
        isize::MIN
    } else {
        isize::MAX
    }))
}

/// Field `name` of slice `s` (`None` as `None`); `Err` with the indicator set.
fn slice_field(vm: &mut crate::vm::Vm, s: *mut PyObject, name: &str) -> Result<Option<Value>, ()> {
    // SAFETY: a live slice, converted afresh for each lookup.
    let sv = unsafe { from_py(vm, s) };
    match vm.getattr_str(sv, name) {
        Ok(v) if v.is(vm.sp.none) => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(_) => {
            set_from_vm(vm);
            Err(())
        }
    }
}

/// `PySlice_Unpack(slice, &start, &stop, &step)`: the slice's bounds as C integers
/// (`None` start/stop become the extremes for the step's direction, clamped to the
/// `Py_ssize_t` range; a zero step is a `ValueError`); 0, or -1 with an error.
///
/// # Safety
/// `s` a live slice; the out-pointers writable.
#[no_mangle]
pub unsafe extern "C" fn PySlice_Unpack(
    s: *mut PyObject,
    start: *mut isize,
    stop: *mut isize,
    step: *mut isize,
) -> c_int {
    let vm = vm();
    // SAFETY: a live object.
    let sv = unsafe { from_py(vm, s) };
    if vm.sp.kind(sv) != Kind::Slice {
        super::errors::PyErr_BadInternalCall();
        return -1;
    }
    let Ok(st) = slice_field(vm, s, "step") else {
        return -1;
    };
    let stv = match st {
        None => 1,
        Some(v) => {
            let Some(x) = slice_index(vm, v) else {
                return -1;
            };
            if x == 0 {
                // SAFETY: the exported variable.
                let ve = unsafe { super::errors::PyExc_ValueError };
                set_string(vm, ve, "slice step cannot be zero");
                return -1;
            }
            x.max(-isize::MAX)
        }
    };
    let a = match slice_field(vm, s, "start") {
        Ok(None) => Some(if stv < 0 { isize::MAX } else { 0 }),
        Ok(Some(v)) => slice_index(vm, v),
        Err(()) => None,
    };
    let Some(a) = a else { return -1 };
    let b = match slice_field(vm, s, "stop") {
        Ok(None) => Some(if stv < 0 { isize::MIN } else { isize::MAX }),
        Ok(Some(v)) => slice_index(vm, v),
        Err(()) => None,
    };
    let Some(b) = b else { return -1 };
    // SAFETY: caller's contract.
    unsafe {
        *start = a;
        *stop = b;
        *step = stv;
    }
    0
}

/// `PySlice_AdjustIndices(length, &start, &stop, step)`: clips unpacked bounds to a
/// sequence of `length` items (negative ones counted from the end) and returns the
/// slice's length.
///
/// # Safety
/// `start` and `stop` readable and writable.
#[no_mangle]
pub unsafe extern "C" fn PySlice_AdjustIndices(
    length: isize,
    start: *mut isize,
    stop: *mut isize,
    step: isize,
) -> isize {
    let clip = |x: isize| {
        if x < 0 {
            let y = x.saturating_add(length);
            if y < 0 {
                if step < 0 {
                    -1
                } else {
                    0
                }
            } else {
                y
            }
        } else if x >= length {
            if step < 0 {
                length - 1
            } else {
                length
            }
        } else {
            x
        }
    };
    // SAFETY: caller's contract.
    unsafe {
        let (a, b) = (clip(*start), clip(*stop));
        *start = a;
        *stop = b;
        if step < 0 {
            if b < a {
                return (a - b - 1) / (-step) + 1;
            }
        } else if a < b {
            return (b - a - 1) / step + 1;
        }
    }
    0
}
