//! Capsules (`PyCapsule_*`): a named C pointer wrapped in an object, the way extensions
//! hand C-level APIs to each other (`PyCapsule_Import("datetime.datetime_CAPI", 0)`).
//!
//! A capsule is a C-first object of `PyCapsule_Type` with CPython 3.11's (private)
//! layout: pointer, name, context, destructor. It gets its GC companion when it first
//! crosses into Python (an instance of the `PyCapsule` class readied from the static
//! type); the destructor runs from the type's `tp_dealloc` when the capsule dies: when
//! C drops its last reference, or at the first C call after the companion died.
//! The functions keep CPython's checks and messages (`... called with invalid PyCapsule
//! object`, `... called with incorrect name`).

#![allow(non_snake_case)]

use super::errors::{set_string, PyExc_AttributeError, PyExc_ImportError, PyExc_ValueError};
use super::vm;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr::null_mut;
use thicket_cpyext::abi::*;
use thicket_cpyext::proxy::{self, LIVE};
use thicket_cpyext::statics::{decref, PyCapsule_Type};

/// `PyCapsule_Destructor`.
pub type Destructor = Option<unsafe extern "C" fn(*mut PyObject)>;

/// The object layout of a capsule (CPython 3.11's `PyCapsule`).
#[repr(C)]
pub struct PyCapsule {
    /// The object header.
    pub ob_base: PyObject,
    /// The wrapped pointer (never NULL in a valid capsule).
    pub pointer: *mut c_void,
    /// The name (owned by the creator), or NULL.
    pub name: *const c_char,
    /// Free context pointer.
    pub context: *mut c_void,
    /// Called with the capsule when it dies.
    pub destructor: Destructor,
}

/// Gives `PyCapsule_Type` its deallocator (which runs the destructor) and its repr.
pub fn init() {
    // SAFETY: the exported static type, written on the interpreter thread before any
    // capsule exists (idempotent).
    unsafe {
        let t = &raw mut PyCapsule_Type;
        (*t).tp_basicsize = std::mem::size_of::<PyCapsule>() as isize;
        (*t).tp_dealloc = Some(capsule_dealloc);
        (*t).tp_repr = Some(capsule_repr);
    }
}

/// `tp_dealloc` of capsules: the destructor, then the memory.
///
/// # Safety
/// `op` must be an unreferenced capsule.
unsafe extern "C" fn capsule_dealloc(op: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe {
        if let Some(d) = (*(op as *mut PyCapsule)).destructor {
            d(op);
        }
        proxy::free(op)
    }
}

/// `tp_repr` of capsules: `<capsule object "NAME" at 0x...>`.
///
/// # Safety
/// `op` must be a capsule.
unsafe extern "C" fn capsule_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: caller's contract.
    let name = unsafe { (*(op as *mut PyCapsule)).name };
    let shown = if name.is_null() {
        "NULL".to_owned()
    } else {
        // SAFETY: a capsule's name is NUL-terminated.
        format!("\"{}\"", unsafe { CStr::from_ptr(name) }.to_string_lossy())
    };
    let s = CString::new(format!("<capsule object {shown} at {op:p}>")).unwrap_or_default();
    // SAFETY: a NUL-terminated string.
    unsafe { super::api_concrete::PyUnicode_FromString(s.as_ptr()) }
}

fn name_matches(a: *const c_char, b: *const c_char) -> bool {
    if a.is_null() || b.is_null() {
        return a == b;
    }
    // SAFETY: both NUL-terminated (the API contract).
    unsafe { CStr::from_ptr(a) == CStr::from_ptr(b) }
}

/// The capsule behind `o` if it is a valid one; otherwise sets CPython's `ValueError`
/// (`"{func} called with invalid PyCapsule object"`) and returns `None`.
fn legal(o: *mut PyObject, func: &str) -> Option<*mut PyCapsule> {
    // SAFETY: `o` is null or a live object (the API contract).
    let ok = !o.is_null()
        && unsafe { (*o).ob_type == &raw mut PyCapsule_Type }
        && unsafe { !(*(o as *mut PyCapsule)).pointer.is_null() };
    if ok {
        return Some(o as *mut PyCapsule);
    }
    // SAFETY: the exported exception variable.
    set_string(
        vm(),
        unsafe { PyExc_ValueError },
        &format!("{func} called with invalid PyCapsule object"),
    );
    None
}

/// `PyCapsule_New`.
#[no_mangle]
pub extern "C" fn PyCapsule_New(
    pointer: *mut c_void,
    name: *const c_char,
    destructor: Destructor,
) -> *mut PyObject {
    if pointer.is_null() {
        // SAFETY: the exported exception variable.
        set_string(
            vm(),
            unsafe { PyExc_ValueError },
            "PyCapsule_New called with null pointer",
        );
        return null_mut();
    }
    init();
    let p = proxy::alloc(std::mem::size_of::<PyCapsule>(), LIVE);
    if p.is_null() {
        return super::errors::PyErr_NoMemory();
    }
    // SAFETY: a fresh capsule-sized block.
    unsafe {
        let c = p as *mut PyCapsule;
        (*c).ob_base.ob_refcnt = 1;
        (*c).ob_base.ob_type = &raw mut PyCapsule_Type;
        (*c).pointer = pointer;
        (*c).name = name;
        (*c).destructor = destructor;
    }
    p
}

/// `PyCapsule_IsValid`: a capsule of that name with a pointer (no exception set).
///
/// # Safety
/// `o` null or a live object; `name` null or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_IsValid(o: *mut PyObject, name: *const c_char) -> c_int {
    // SAFETY: caller's contract.
    unsafe {
        (!o.is_null()
            && (*o).ob_type == &raw mut PyCapsule_Type
            && !(*(o as *mut PyCapsule)).pointer.is_null()
            && name_matches((*(o as *mut PyCapsule)).name, name)) as c_int
    }
}

/// `PyCapsule_GetPointer`.
///
/// # Safety
/// As [`PyCapsule_IsValid`].
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_GetPointer(
    o: *mut PyObject,
    name: *const c_char,
) -> *mut c_void {
    let Some(c) = legal(o, "PyCapsule_GetPointer") else {
        return null_mut();
    };
    // SAFETY: a valid capsule.
    unsafe {
        if !name_matches(name, (*c).name) {
            set_string(
                vm(),
                PyExc_ValueError,
                "PyCapsule_GetPointer called with incorrect name",
            );
            return null_mut();
        }
        (*c).pointer
    }
}

/// `PyCapsule_GetName`.
///
/// # Safety
/// `o` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_GetName(o: *mut PyObject) -> *const c_char {
    match legal(o, "PyCapsule_GetName") {
        // SAFETY: a valid capsule.
        Some(c) => unsafe { (*c).name },
        None => std::ptr::null(),
    }
}

/// `PyCapsule_GetDestructor`.
///
/// # Safety
/// `o` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_GetDestructor(o: *mut PyObject) -> Destructor {
    // SAFETY: a valid capsule.
    legal(o, "PyCapsule_GetDestructor").and_then(|c| unsafe { (*c).destructor })
}

/// `PyCapsule_GetContext`.
///
/// # Safety
/// `o` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_GetContext(o: *mut PyObject) -> *mut c_void {
    match legal(o, "PyCapsule_GetContext") {
        // SAFETY: a valid capsule.
        Some(c) => unsafe { (*c).context },
        None => null_mut(),
    }
}

/// `PyCapsule_SetPointer`.
///
/// # Safety
/// `o` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_SetPointer(o: *mut PyObject, pointer: *mut c_void) -> c_int {
    if pointer.is_null() {
        // SAFETY: the exported exception variable.
        set_string(
            vm(),
            unsafe { PyExc_ValueError },
            "PyCapsule_SetPointer called with null pointer",
        );
        return -1;
    }
    match legal(o, "PyCapsule_SetPointer") {
        Some(c) => {
            // SAFETY: a valid capsule.
            unsafe { (*c).pointer = pointer };
            0
        }
        None => -1,
    }
}

/// `PyCapsule_SetName`.
///
/// # Safety
/// `o` null or a live object; `name` null or NUL-terminated, outliving the capsule.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_SetName(o: *mut PyObject, name: *const c_char) -> c_int {
    match legal(o, "PyCapsule_SetName") {
        Some(c) => {
            // SAFETY: a valid capsule.
            unsafe { (*c).name = name };
            0
        }
        None => -1,
    }
}

/// `PyCapsule_SetDestructor`.
///
/// # Safety
/// `o` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_SetDestructor(o: *mut PyObject, d: Destructor) -> c_int {
    match legal(o, "PyCapsule_SetDestructor") {
        Some(c) => {
            // SAFETY: a valid capsule.
            unsafe { (*c).destructor = d };
            0
        }
        None => -1,
    }
}

/// `PyCapsule_SetContext`.
///
/// # Safety
/// `o` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_SetContext(o: *mut PyObject, context: *mut c_void) -> c_int {
    match legal(o, "PyCapsule_SetContext") {
        Some(c) => {
            // SAFETY: a valid capsule.
            unsafe { (*c).context = context };
            0
        }
        None => -1,
    }
}

/// `PyCapsule_Import("pkg.module.attr", no_block)`: imports the first component, walks
/// the rest as attributes, and returns the pointer of the capsule found there if its
/// name is the full dotted name. `datetime.datetime_CAPI` is provided by Thicket on the
/// `datetime` module the first time it is asked for ([`super::datetime`]).
///
/// # Safety
/// `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_Import(name: *const c_char, _no_block: c_int) -> *mut c_void {
    // SAFETY: caller's contract.
    let full = unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned();
    if full == super::datetime::CAPSULE_NAME {
        super::datetime::provide_capsule(vm());
    }
    let mut object: *mut PyObject = null_mut();
    for part in full.split('.') {
        let Ok(c) = CString::new(part) else {
            return null_mut();
        };
        // SAFETY: `object` is null or an owned reference; `c` is NUL-terminated.
        unsafe {
            if object.is_null() {
                object = super::api_misc::PyImport_ImportModule(c.as_ptr());
                if object.is_null() {
                    set_string(
                        vm(),
                        PyExc_ImportError,
                        &format!("PyCapsule_Import could not import module \"{part}\""),
                    );
                }
            } else {
                let next = super::api_abstract::PyObject_GetAttrString(object, c.as_ptr());
                decref(object);
                object = next;
            }
        }
        if object.is_null() {
            return null_mut();
        }
    }
    // SAFETY: `object` is an owned reference, released after reading the pointer.
    unsafe {
        let r = if PyCapsule_IsValid(object, name) != 0 {
            (*(object as *mut PyCapsule)).pointer
        } else {
            set_string(
                vm(),
                PyExc_AttributeError,
                &format!("PyCapsule_Import \"{full}\" is not valid"),
            );
            null_mut()
        };
        decref(object);
        r
    }
}
