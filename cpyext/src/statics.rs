//! The objects CPython exports as data and extensions link against by name: the
//! built-in type objects (`PyLong_Type`, `PyUnicode_Type`, ...) and the singletons
//! (`_Py_NoneStruct`, `_Py_TrueStruct`, ...). They are static, never freed, with an
//! immortal reference count, and carry no [`crate::proxy::ProxyHead`]: the runtime links
//! each one to its GC counterpart by address.
//!
//! Also here: the deallocation functions of the built-in types' proxies, and
//! `_Py_Dealloc`, which `Py_DECREF` calls when a count reaches zero.

#![allow(non_upper_case_globals)]

use crate::abi::*;
use crate::proxy;
use std::ffi::{c_char, CStr};
use std::ptr::{null, null_mut};

/// Count of static objects: above the GC bias, never reaching zero.
pub const IMMORTAL: isize = 1 << 62;

/// A type object with every slot empty (the base of the static types).
pub(crate) const fn blank() -> PyTypeObject {
    PyTypeObject {
        ob_base: PyVarObject {
            ob_base: PyObject {
                ob_refcnt: IMMORTAL,
                ob_type: &raw mut PyType_Type,
            },
            ob_size: 0,
        },
        tp_name: null(),
        tp_basicsize: 16,
        tp_itemsize: 0,
        tp_dealloc: Some(generic_dealloc),
        tp_vectorcall_offset: 0,
        tp_getattr: null_mut(),
        tp_setattr: null_mut(),
        tp_as_async: null_mut(),
        tp_repr: None,
        tp_as_number: null_mut(),
        tp_as_sequence: null_mut(),
        tp_as_mapping: null_mut(),
        tp_hash: None,
        tp_call: None,
        tp_str: None,
        tp_getattro: None,
        tp_setattro: None,
        tp_as_buffer: null_mut(),
        tp_flags: Py_TPFLAGS_READY | Py_TPFLAGS_IMMUTABLETYPE,
        tp_doc: null(),
        tp_traverse: null_mut(),
        tp_clear: null_mut(),
        tp_richcompare: None,
        tp_weaklistoffset: 0,
        tp_iter: None,
        tp_iternext: None,
        tp_methods: null_mut(),
        tp_members: null_mut(),
        tp_getset: null_mut(),
        tp_base: &raw mut PyBaseObject_Type,
        tp_dict: null_mut(),
        tp_descr_get: None,
        tp_descr_set: None,
        tp_dictoffset: 0,
        tp_init: None,
        tp_alloc: None,
        tp_new: None,
        tp_free: None,
        tp_is_gc: null_mut(),
        tp_bases: null_mut(),
        tp_mro: null_mut(),
        tp_cache: null_mut(),
        tp_subclasses: null_mut(),
        tp_weaklist: null_mut(),
        tp_del: null_mut(),
        tp_version_tag: 0,
        tp_finalize: null_mut(),
        tp_vectorcall: null_mut(),
    }
}

const BASE: std::ffi::c_ulong = Py_TPFLAGS_BASETYPE;
const GC: std::ffi::c_ulong = Py_TPFLAGS_HAVE_GC;

macro_rules! static_types {
    ($($sym:ident = $name:literal, $size:expr, $item:expr, $flags:expr, $dealloc:expr, $base:expr;)*) => {
        $(
            #[doc = "A built-in type object."]
            #[no_mangle]
            pub static mut $sym: PyTypeObject = PyTypeObject {
                tp_name: $name.as_ptr(),
                tp_basicsize: $size as isize,
                tp_itemsize: $item as isize,
                tp_flags: Py_TPFLAGS_READY | Py_TPFLAGS_IMMUTABLETYPE | $flags,
                tp_dealloc: Some($dealloc),
                tp_base: $base,
                ..blank()
            };
        )*
        /// Every static type, with its Python name.
        pub fn static_types() -> Vec<(*mut PyTypeObject, &'static CStr)> {
            vec![$((&raw mut $sym, $name)),*]
        }
    };
}

static_types! {
    PyType_Type = c"type", std::mem::size_of::<PyHeapTypeObject>(), 40, BASE | GC | Py_TPFLAGS_TYPE_SUBCLASS, generic_dealloc, &raw mut PyBaseObject_Type;
    PyBaseObject_Type = c"object", 16, 0, BASE, generic_dealloc, null_mut();
    PyLong_Type = c"int", 24, 4, BASE | Py_TPFLAGS_LONG_SUBCLASS, generic_dealloc, &raw mut PyBaseObject_Type;
    PyBool_Type = c"bool", 24, 4, Py_TPFLAGS_LONG_SUBCLASS, generic_dealloc, &raw mut PyLong_Type;
    PyFloat_Type = c"float", 24, 0, BASE, generic_dealloc, &raw mut PyBaseObject_Type;
    PyComplex_Type = c"complex", 32, 0, BASE, generic_dealloc, &raw mut PyBaseObject_Type;
    PyUnicode_Type = c"str", 80, 0, BASE | Py_TPFLAGS_UNICODE_SUBCLASS, str_dealloc, &raw mut PyBaseObject_Type;
    PyBytes_Type = c"bytes", 33, 1, BASE | Py_TPFLAGS_BYTES_SUBCLASS, generic_dealloc, &raw mut PyBaseObject_Type;
    PyByteArray_Type = c"bytearray", 56, 0, BASE, generic_dealloc, &raw mut PyBaseObject_Type;
    PyTuple_Type = c"tuple", 24, 8, BASE | GC | Py_TPFLAGS_TUPLE_SUBCLASS, tuple_dealloc, &raw mut PyBaseObject_Type;
    PyList_Type = c"list", 40, 0, BASE | GC | Py_TPFLAGS_LIST_SUBCLASS | Py_TPFLAGS_SEQUENCE, list_dealloc, &raw mut PyBaseObject_Type;
    PyDict_Type = c"dict", 48, 0, BASE | GC | Py_TPFLAGS_DICT_SUBCLASS | Py_TPFLAGS_MAPPING, generic_dealloc, &raw mut PyBaseObject_Type;
    PySet_Type = c"set", 200, 0, BASE | GC, generic_dealloc, &raw mut PyBaseObject_Type;
    PyFrozenSet_Type = c"frozenset", 200, 0, BASE | GC, generic_dealloc, &raw mut PyBaseObject_Type;
    PySlice_Type = c"slice", 40, 0, GC, generic_dealloc, &raw mut PyBaseObject_Type;
    PyRange_Type = c"range", 48, 0, 0, generic_dealloc, &raw mut PyBaseObject_Type;
    PyModule_Type = c"module", 72, 0, BASE | GC, generic_dealloc, &raw mut PyBaseObject_Type;
    PyCFunction_Type = c"builtin_function_or_method", 56, 0, GC, generic_dealloc, &raw mut PyBaseObject_Type;
    PyCapsule_Type = c"PyCapsule", 56, 0, 0, generic_dealloc, &raw mut PyBaseObject_Type;
    PyMemoryView_Type = c"memoryview", 184, 8, GC, generic_dealloc, &raw mut PyBaseObject_Type;
    _PyNone_Type = c"NoneType", 16, 0, 0, generic_dealloc, &raw mut PyBaseObject_Type;
    _PyNotImplemented_Type = c"NotImplementedType", 16, 0, 0, generic_dealloc, &raw mut PyBaseObject_Type;
    PyEllipsis_Type = c"ellipsis", 16, 0, 0, generic_dealloc, &raw mut PyBaseObject_Type;
    PyModuleDef_Type = c"moduledef", 104, 0, 0, generic_dealloc, &raw mut PyBaseObject_Type;
    PyClassMethod_Type = c"classmethod", 40, 0, BASE | GC, generic_dealloc, &raw mut PyBaseObject_Type;
    PyStaticMethod_Type = c"staticmethod", 40, 0, BASE | GC, generic_dealloc, &raw mut PyBaseObject_Type;
    PyFunction_Type = c"function", 152, 0, GC, generic_dealloc, &raw mut PyBaseObject_Type;
    PyMethod_Type = c"method", 48, 0, GC, generic_dealloc, &raw mut PyBaseObject_Type;
    PyReversed_Type = c"reversed", 32, 0, BASE | GC, generic_dealloc, &raw mut PyBaseObject_Type;
}

const fn singleton(ty: *mut PyTypeObject) -> PyObject {
    PyObject {
        ob_refcnt: IMMORTAL,
        ob_type: ty,
    }
}

/// `None`.
#[no_mangle]
pub static mut _Py_NoneStruct: PyObject = singleton(&raw mut _PyNone_Type);
/// `NotImplemented`.
#[no_mangle]
pub static mut _Py_NotImplementedStruct: PyObject = singleton(&raw mut _PyNotImplemented_Type);
/// `Ellipsis`.
#[no_mangle]
pub static mut _Py_EllipsisObject: PyObject = singleton(&raw mut PyEllipsis_Type);
/// `False`: an int of size 0.
#[no_mangle]
pub static mut _Py_FalseStruct: PyLongObject = PyLongObject {
    ob_base: PyVarObject {
        ob_base: singleton(&raw mut PyBool_Type),
        ob_size: 0,
    },
    ob_digit: [0],
};
/// `True`: an int of one digit, 1.
#[no_mangle]
pub static mut _Py_TrueStruct: PyLongObject = PyLongObject {
    ob_base: PyVarObject {
        ob_base: singleton(&raw mut PyBool_Type),
        ob_size: 1,
    },
    ob_digit: [1],
};

/// Frees an object with no resources of its own.
///
/// # Safety
/// `op` must be an unreferenced object from [`proxy::alloc`].
pub unsafe extern "C" fn generic_dealloc(op: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe { proxy::free(op) }
}

/// Releases a tuple's items, then the tuple.
///
/// # Safety
/// As [`generic_dealloc`], for a tuple.
pub unsafe extern "C" fn tuple_dealloc(op: *mut PyObject) {
    // SAFETY: a tuple of `ob_size` item slots, each null or an owned reference.
    unsafe {
        let t = op as *mut PyTupleObject;
        let n = (*t).ob_base.ob_size;
        let items = (&raw mut (*t).ob_item) as *mut *mut PyObject;
        for i in 0..n {
            decref_opt(*items.offset(i));
        }
        proxy::free(op)
    }
}

/// Releases a list's items and item array, then the list.
///
/// # Safety
/// As [`generic_dealloc`], for a list.
pub unsafe extern "C" fn list_dealloc(op: *mut PyObject) {
    // SAFETY: a list whose `ob_item` is null or a malloc'd array of `ob_size` slots.
    unsafe {
        let l = op as *mut PyListObject;
        let items = (*l).ob_item;
        if !items.is_null() {
            for i in 0..(*l).ob_base.ob_size {
                decref_opt(*items.offset(i));
            }
            libc::free(items as *mut libc::c_void);
        }
        proxy::free(op)
    }
}

/// Frees a string's UTF-8 copy (non-ASCII strings), then the string.
///
/// # Safety
/// As [`generic_dealloc`], for a compact string.
pub unsafe extern "C" fn str_dealloc(op: *mut PyObject) {
    // SAFETY: a compact string; non-ASCII ones have the compact layout, whose `utf8`
    // is null or a malloc'd copy.
    unsafe {
        let a = op as *mut PyASCIIObject;
        if (*a).state & (1 << 6) == 0 {
            let c = op as *mut PyCompactUnicodeObject;
            if !(*c).utf8.is_null() {
                libc::free((*c).utf8 as *mut libc::c_void);
            }
        }
        proxy::free(op)
    }
}

/// `Py_XDECREF`.
///
/// # Safety
/// `op` must be null or an object the caller owns a reference to.
#[inline]
pub unsafe fn decref_opt(op: *mut PyObject) {
    if !op.is_null() {
        // SAFETY: caller's contract.
        unsafe { decref(op) }
    }
}

/// `Py_DECREF`.
///
/// # Safety
/// `op` must be an object the caller owns a reference to.
#[inline]
pub unsafe fn decref(op: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe {
        (*op).ob_refcnt -= 1;
        if (*op).ob_refcnt == 0 {
            _Py_Dealloc(op);
        }
    }
}

/// `Py_INCREF`.
///
/// # Safety
/// `op` must be a live object.
#[inline]
pub unsafe fn incref(op: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe { (*op).ob_refcnt += 1 }
}

/// Called by `Py_DECREF` when a count reaches zero: runs the type's `tp_dealloc`.
///
/// # Safety
/// `op` must be an object whose count just reached zero.
#[no_mangle]
pub unsafe extern "C" fn _Py_Dealloc(op: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe {
        if proxy::debug() && !is_static_object(op) && (*proxy::head(op)).state == proxy::FREED {
            crate::debug::dealloc_of_freed(op);
        }
        let ty = (*op).ob_type;
        if let Some(d) = (*ty).tp_dealloc {
            d(op)
        }
    }
}

/// Whether `op` is one of the static objects (no head before it): their counts start at
/// [`IMMORTAL`] and never come near zero.
///
/// # Safety
/// `op` must be a live object.
unsafe fn is_static_object(op: *mut PyObject) -> bool {
    // SAFETY: caller's contract.
    unsafe { (*op).ob_refcnt >= IMMORTAL / 2 }
}

/// `Py_IncRef`.
///
/// # Safety
/// `op` must be null or a live object.
#[no_mangle]
pub unsafe extern "C" fn Py_IncRef(op: *mut PyObject) {
    if !op.is_null() {
        // SAFETY: caller's contract.
        unsafe { incref(op) }
    }
}

/// `Py_NewRef`: a new reference to `op`, returned (CPython 3.11 exports the function
/// as well as its inline version).
///
/// # Safety
/// `op` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn Py_NewRef(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe { incref(op) };
    op
}

/// `Py_XNewRef`: as [`Py_NewRef`], and null stays null.
///
/// # Safety
/// `op` must be null or a live object.
#[no_mangle]
pub unsafe extern "C" fn Py_XNewRef(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe { Py_IncRef(op) };
    op
}

/// `Py_DecRef`.
///
/// # Safety
/// `op` must be null or an object the caller owns a reference to.
#[no_mangle]
pub unsafe extern "C" fn Py_DecRef(op: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe {
        if proxy::debug() && !op.is_null() && (*op).ob_refcnt <= 0 {
            crate::debug::report_negative(op);
        }
        decref_opt(op)
    }
}

/// The name of a type object, for messages.
///
/// # Safety
/// `ty` must be a type object with a valid `tp_name`.
pub unsafe fn type_name(ty: *mut PyTypeObject) -> String {
    // SAFETY: caller's contract.
    unsafe {
        let n: *const c_char = (*ty).tp_name;
        if n.is_null() {
            "?".into()
        } else {
            CStr::from_ptr(n).to_string_lossy().into_owned()
        }
    }
}

// ---- character tables (`pyctype.h`, `unicodeobject.h`) ----

/// `Py_ISSPACE` and friends' flags of one byte: lower 0x01, upper 0x02, digit 0x04,
/// space 0x08, hex digit 0x10 (ASCII only; bytes from 0x80 have none).
const fn ctype_flags(c: u8) -> u32 {
    match c {
        b'a'..=b'f' => 0x01 | 0x10,
        b'g'..=b'z' => 0x01,
        b'A'..=b'F' => 0x02 | 0x10,
        b'G'..=b'Z' => 0x02,
        b'0'..=b'9' => 0x04 | 0x10,
        b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => 0x08,
        _ => 0,
    }
}

const fn ctype_table() -> [u32; 256] {
    let mut t = [0; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = ctype_flags(i as u8);
        i += 1;
    }
    t
}

/// `lower` true: the `Py_TOLOWER` table, else `Py_TOUPPER`'s (ASCII letters only).
const fn case_table(lower: bool) -> [u8; 256] {
    let mut t = [0; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if lower && c.is_ascii_uppercase() {
            c + 32
        } else if !lower && c.is_ascii_lowercase() {
            c - 32
        } else {
            c
        };
        i += 1;
    }
    t
}

/// `_Py_ctype_table`: the classes of each byte, for `Py_ISALPHA`, `Py_ISSPACE`, ...
#[no_mangle]
pub static _Py_ctype_table: [u32; 256] = ctype_table();

/// `_Py_ctype_tolower`: each byte lowered (ASCII letters; other bytes unchanged).
#[no_mangle]
pub static _Py_ctype_tolower: [u8; 256] = case_table(true);

/// `_Py_ctype_toupper`: each byte uppered (ASCII letters; other bytes unchanged).
#[no_mangle]
pub static _Py_ctype_toupper: [u8; 256] = case_table(false);

/// `_Py_ascii_whitespace`: 1 for the ASCII characters `str.isspace` accepts (`\t` to
/// `\r`, the separators 0x1C to 0x1F, and the space), for `Py_UNICODE_ISSPACE`.
#[no_mangle]
pub static _Py_ascii_whitespace: [u8; 128] = {
    let mut t = [0; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = matches!(i, 0x09..=0x0d | 0x1c..=0x20) as u8;
        i += 1;
    }
    t
};
