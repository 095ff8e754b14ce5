//! The rest of the API: type readiness for C-defined static types (and the companion
//! GC objects of their instances), memory (`PyMem_*`, `PyObject_Malloc`/`Free`), the
//! buffer protocol over bytes and bytearray, capsules, and `sys` access. (The GIL
//! functions are in [`super::gil`], the debug mode in [`super::debug`].)

#![allow(non_snake_case)]

use super::convert::*;
use super::errors::{
    set_from_vm, set_string, PyExc_BufferError, PyExc_TypeError, PyExc_ValueError,
};
use super::vm;
use crate::vm::Vm;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr::null_mut;
use thicket_cpyext::abi::*;
use thicket_cpyext::proxy::{self, head, FREED, LIVE, RAW};
use thicket_cpyext::statics::*;
use thicket_object_model::Value;

/// Makes a GC type for a C-defined static type (`PyType_Ready`), links them, and
/// returns it.
pub(crate) fn ready_static_type(vm: &mut Vm, t: *mut PyTypeObject) -> Value {
    // SAFETY: a type object defined by C; fields read per 3.11's layout.
    unsafe {
        if let Some(&idx) = vm.capi.as_ref().expect("capi").statics.get(&(t as usize)) {
            if let Some(o) = vm.sp.heap.extref_object(idx) {
                return Value(o);
            }
        }
        if (*t).tp_base.is_null() && t != &raw mut PyBaseObject_Type {
            (*t).tp_base = &raw mut PyBaseObject_Type;
        }
        let base = from_py(vm, (*t).tp_base as *mut PyObject);
        let full = CStr::from_ptr((*t).tp_name).to_string_lossy().into_owned();
        let (module, short) = match full.rsplit_once('.') {
            Some((m, s)) => (Some(m.to_owned()), s.to_owned()),
            None => (None, full.clone()),
        };
        let d = vm.sp.new_dict();
        let r = vm.push_root(d);
        if let Some(m) = module {
            let mv = vm.new_str(&m);
            let k = vm.sp.intern("__module__");
            let dd = vm.root(r);
            vm.sp.dict_set_str(dd, k, mv);
        }
        let doc = if (*t).tp_doc.is_null() {
            vm.sp.none
        } else {
            let d = CStr::from_ptr((*t).tp_doc).to_string_lossy().into_owned();
            // A leading signature (`name(...)\n--\n\n`) is not part of `__doc__`.
            let body = match d.split_once("\n--\n\n") {
                Some((sig, rest)) if sig.starts_with(&format!("{short}(")) => rest.to_owned(),
                _ => d,
            };
            vm.new_str(&body)
        };
        let k = vm.sp.intern("__doc__");
        let dd = vm.root(r);
        vm.sp.dict_set_str(dd, k, doc);
        let n = vm.sp.intern(&short);
        let dd = vm.root(r);
        let cls = vm
            .sp
            .new_class(n, n, &[base], dd)
            .unwrap_or_else(|e| panic!("thicket: cannot make a type for C type {full}: {e}"));
        vm.reset_roots(r);
        // Inherit what C leaves to PyType_Ready.
        let b = (*t).tp_base;
        if (*t).tp_basicsize == 0 {
            (*t).tp_basicsize = (*b).tp_basicsize;
        }
        if (*t).tp_dealloc.is_none() {
            (*t).tp_dealloc = (*b).tp_dealloc;
        }
        if (*t).tp_alloc.is_none() {
            (*t).tp_alloc = Some(PyType_GenericAlloc);
        }
        if (*t).tp_free.is_none() {
            (*t).tp_free = Some(PyObject_Free);
        }
        (*t).tp_flags |= Py_TPFLAGS_READY
            | ((*b).tp_flags
                & (Py_TPFLAGS_LONG_SUBCLASS
                    | Py_TPFLAGS_LIST_SUBCLASS
                    | Py_TPFLAGS_TUPLE_SUBCLASS
                    | Py_TPFLAGS_BYTES_SUBCLASS
                    | Py_TPFLAGS_UNICODE_SUBCLASS
                    | Py_TPFLAGS_DICT_SUBCLASS
                    | Py_TPFLAGS_BASE_EXC_SUBCLASS
                    | Py_TPFLAGS_TYPE_SUBCLASS));
        if (*t).ob_base.ob_base.ob_type.is_null() {
            (*t).ob_base.ob_base.ob_type = &raw mut PyType_Type;
        }
        // The type is static: its count stays above the bias, so its GC type lives.
        // (Thicket's own static types, such as `PyCapsule_Type`, are immortal already.)
        if (*t).ob_base.ob_base.ob_refcnt < IMMORTAL {
            (*t).ob_base.ob_base.ob_refcnt += IMMORTAL;
        }
        let idx = vm
            .sp
            .heap
            .extref_link(cls.0, t as *mut isize)
            .expect("linking a C type");
        vm.capi
            .as_mut()
            .expect("capi")
            .statics
            .insert(t as usize, idx);
        let cls_now = Value(vm.sp.heap.extref_object(idx).expect("type"));
        vm.sp.set_type_message_name(cls_now, &full);
        // CPython's readiness rules: a static type with no tp_new whose base is
        // `object` cannot be instantiated; otherwise tp_new is inherited. A type that
        // compares but does not hash is unhashable.
        if (*t).tp_new.is_none() {
            if b == &raw mut PyBaseObject_Type {
                (*t).tp_new = Some(no_instances);
            } else {
                (*t).tp_new = (*b).tp_new;
            }
        }
        if (*t).tp_hash.is_none() {
            if (*t).tp_richcompare.is_some()
                && (*t).tp_richcompare.map(|f| f as usize)
                    != (*b).tp_richcompare.map(|f| f as usize)
            {
                (*t).tp_hash = Some(super::api_abstract::PyObject_HashNotImplemented);
            } else {
                (*t).tp_hash = (*b).tp_hash;
            }
        }
        super::ctype::install_slots(vm, t, cls_now);
        let cls_now = Value(vm.sp.heap.extref_object(idx).expect("type"));
        if (*t).tp_flags & Py_TPFLAGS_BASETYPE == 0 {
            vm.sp
                .add_type_flags(cls_now, thicket_object_model::space::TF_FINAL);
        }
        vm.sp
            .add_type_flags(cls_now, thicket_object_model::space::TF_C_TYPE);
        let cls_now = Value(vm.sp.heap.extref_object(idx).expect("type"));
        if (*t).tp_getattro.is_some_and(|f| {
            f as usize != super::api_abstract::PyObject_GenericGetAttr as *const () as usize
        }) || !(*t).tp_getattr.is_null()
        {
            vm.sp
                .add_type_flags(cls_now, thicket_object_model::space::TF_NATIVE_GETATTR);
        }
        if (*t).tp_getattro.is_none() && (*t).tp_getattr.is_null() {
            (*t).tp_getattro = (*b)
                .tp_getattro
                .or(Some(super::api_abstract::PyObject_GenericGetAttr));
        }
        if (*t).tp_setattro.is_none() && (*t).tp_setattr.is_null() {
            (*t).tp_setattro = (*b)
                .tp_setattro
                .or(Some(super::api_abstract::PyObject_GenericSetAttr));
        }
        // Methods become descriptors in the class dict.
        let mut ml = (*t).tp_methods;
        while !ml.is_null() && !(*ml).ml_name.is_null() {
            let name = CStr::from_ptr((*ml).ml_name).to_string_lossy().into_owned();
            let cls_now = Value(vm.sp.heap.extref_object(idx).expect("type"));
            let f = super::cfunc::new_cfunc(vm, ml, None, Some(cls_now));
            let cls_now = Value(vm.sp.heap.extref_object(idx).expect("type"));
            let k = vm.sp.intern(&name);
            let td = vm.sp.type_dict(cls_now);
            vm.sp.dict_set_str(td, k, f);
            ml = ml.add(1);
        }
        Value(vm.sp.heap.extref_object(idx).expect("type"))
    }
}

/// The `tp_new` of static types that cannot be instantiated from Python.
///
/// # Safety
/// `t` must be a type object.
unsafe extern "C" fn no_instances(
    t: *mut PyTypeObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: caller's contract.
    let name = unsafe { CStr::from_ptr((*t).tp_name) }
        .to_string_lossy()
        .into_owned();
    let vm = vm();
    let _ = vm.type_error(format!("cannot create '{name}' instances"));
    super::errors::set_from_vm(vm);
    std::ptr::null_mut()
}

/// `PyType_Ready`.
///
/// # Safety
/// `t` must be a type object.
#[no_mangle]
pub unsafe extern "C" fn PyType_Ready(t: *mut PyTypeObject) -> c_int {
    let vm = vm();
    // SAFETY: caller's contract.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_READY != 0 && (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 {
            return 0;
        }
        if (*t).ob_base.ob_base.ob_type.is_null() {
            // `PyVarObject_HEAD_INIT(NULL, 0)`: the metatype is set here.
            (*t).ob_base.ob_base.ob_type = &raw mut PyType_Type;
        }
        let _ = from_py(vm, t as *mut PyObject);
    }
    0
}

/// The companion GC object of a C-created object of a C type: an instance of the type's
/// GC class.
pub(crate) fn companion(vm: &mut Vm, p: *mut PyObject) -> Value {
    // SAFETY: a live object whose type is a type object.
    let cls = unsafe { from_py(vm, (*p).ob_type as *mut PyObject) };
    vm.sp.new_instance(cls)
}

/// `PyType_GenericAlloc`: a zeroed object of the type's size (plus `n` items), count 1.
///
/// # Safety
/// `t` must be a ready type.
#[no_mangle]
pub unsafe extern "C" fn PyType_GenericAlloc(t: *mut PyTypeObject, n: isize) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe {
        let size = (*t).tp_basicsize as usize + (*t).tp_itemsize as usize * n.max(0) as usize;
        let p = proxy::alloc(size, LIVE);
        if p.is_null() {
            return super::errors::PyErr_NoMemory();
        }
        (*p).ob_refcnt = 1;
        (*p).ob_type = t;
        if (*t).tp_itemsize != 0 {
            (*(p as *mut PyVarObject)).ob_size = n;
        }
        p
    }
}

/// `PyType_GenericNew`.
///
/// # Safety
/// `t` must be a ready type.
#[no_mangle]
pub unsafe extern "C" fn PyType_GenericNew(
    t: *mut PyTypeObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe {
        match (*t).tp_alloc {
            Some(a) => a(t, 0),
            None => PyType_GenericAlloc(t, 0),
        }
    }
}

/// `_PyObject_New`.
///
/// # Safety
/// `t` must be a ready type.
#[no_mangle]
pub unsafe extern "C" fn _PyObject_New(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { PyType_GenericAlloc(t, 0) }
}

/// `_PyObject_NewVar`.
///
/// # Safety
/// `t` must be a ready type.
#[no_mangle]
pub unsafe extern "C" fn _PyObject_NewVar(t: *mut PyTypeObject, n: isize) -> *mut PyVarObject {
    // SAFETY: forwarded.
    unsafe { PyType_GenericAlloc(t, n) as *mut PyVarObject }
}

/// `PyObject_Init`.
///
/// # Safety
/// `o` must be a block of the type's size.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Init(o: *mut PyObject, t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe {
        (*o).ob_refcnt = 1;
        (*o).ob_type = t;
    }
    o
}

/// `PyObject_Malloc`: memory with a Thicket head, so `PyObject_Free` can take objects
/// and raw blocks alike.
#[no_mangle]
pub extern "C" fn PyObject_Malloc(n: usize) -> *mut c_void {
    proxy::alloc(n, RAW) as *mut c_void
}

/// `PyObject_Calloc`.
#[no_mangle]
pub extern "C" fn PyObject_Calloc(n: usize, size: usize) -> *mut c_void {
    proxy::alloc(n.saturating_mul(size), RAW) as *mut c_void
}

/// `PyObject_Realloc`.
///
/// # Safety
/// `p` null or from `PyObject_Malloc`.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Realloc(p: *mut c_void, n: usize) -> *mut c_void {
    if p.is_null() {
        return PyObject_Malloc(n);
    }
    // SAFETY: caller's contract.
    unsafe { proxy::realloc(p as *mut PyObject, n) as *mut c_void }
}

/// `PyObject_Free` (also `tp_free` of C types and `PyObject_GC_Del`).
///
/// # Safety
/// `p` null or from `PyObject_Malloc`/`tp_alloc`, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: caller's contract.
    unsafe {
        let st = (*head(p as *mut PyObject)).state;
        if st == FREED {
            if thicket_cpyext::debug::enabled() {
                thicket_cpyext::debug::fatal(&format!("PyObject_Free: double free of {p:p}"));
            }
            panic!("thicket: PyObject_Free: double free of {p:p}");
        }
        proxy::free(p as *mut PyObject)
    }
}

/// `PyObject_GC_Del`.
///
/// # Safety
/// As [`PyObject_Free`].
#[no_mangle]
pub unsafe extern "C" fn PyObject_GC_Del(p: *mut c_void) {
    // SAFETY: forwarded.
    unsafe { PyObject_Free(p) }
}

/// `PyObject_GC_Track`: objects are traced through their links; nothing to do.
#[no_mangle]
pub extern "C" fn PyObject_GC_Track(_p: *mut c_void) {}

/// `PyObject_GC_UnTrack`.
#[no_mangle]
pub extern "C" fn PyObject_GC_UnTrack(_p: *mut c_void) {}

/// `PyMem_Malloc` (plain memory).
#[no_mangle]
pub extern "C" fn PyMem_Malloc(n: usize) -> *mut c_void {
    // SAFETY: malloc of at least one byte.
    unsafe { libc::malloc(n.max(1)) }
}

/// `PyMem_Calloc`.
#[no_mangle]
pub extern "C" fn PyMem_Calloc(n: usize, s: usize) -> *mut c_void {
    // SAFETY: calloc.
    unsafe { libc::calloc(n.max(1), s.max(1)) }
}

/// `PyMem_Realloc`.
///
/// # Safety
/// `p` null or from `PyMem_Malloc`.
#[no_mangle]
pub unsafe extern "C" fn PyMem_Realloc(p: *mut c_void, n: usize) -> *mut c_void {
    // SAFETY: caller's contract.
    unsafe { libc::realloc(p, n.max(1)) }
}

/// `PyMem_Free`.
///
/// # Safety
/// `p` null or from `PyMem_Malloc`.
#[no_mangle]
pub unsafe extern "C" fn PyMem_Free(p: *mut c_void) {
    // SAFETY: caller's contract.
    unsafe { libc::free(p) }
}

/// `PyMem_RawMalloc`.
#[no_mangle]
pub extern "C" fn PyMem_RawMalloc(n: usize) -> *mut c_void {
    PyMem_Malloc(n)
}

/// `PyMem_RawFree`.
///
/// # Safety
/// As [`PyMem_Free`].
#[no_mangle]
pub unsafe extern "C" fn PyMem_RawFree(p: *mut c_void) {
    // SAFETY: forwarded.
    unsafe { PyMem_Free(p) }
}

// ---- buffers ----

/// `PyBuffer_FillInfo`.
///
/// # Safety
/// `view` writable; `buf` valid for `len` bytes while the view lives.
#[no_mangle]
pub unsafe extern "C" fn PyBuffer_FillInfo(
    view: *mut Py_buffer,
    obj: *mut PyObject,
    buf: *mut c_void,
    len: isize,
    readonly: c_int,
    flags: c_int,
) -> c_int {
    const PYBUF_WRITABLE: c_int = 0x0001;
    const PYBUF_FORMAT: c_int = 0x0004;
    const PYBUF_ND: c_int = 0x0008;
    const PYBUF_STRIDES: c_int = 0x0010 | PYBUF_ND;
    if view.is_null() {
        // SAFETY: the exported variable.
        set_string(
            vm(),
            unsafe { PyExc_BufferError },
            "PyBuffer_FillInfo: view==NULL argument is obsolete",
        );
        return -1;
    }
    if flags & PYBUF_WRITABLE != 0 && readonly != 0 {
        // SAFETY: the exported variable.
        set_string(
            vm(),
            unsafe { PyExc_BufferError },
            "Object is not writable.",
        );
        return -1;
    }
    // SAFETY: caller's contract.
    unsafe {
        if !obj.is_null() {
            incref(obj);
        }
        let v = &mut *view;
        v.obj = obj;
        v.buf = buf;
        v.len = len;
        v.readonly = readonly;
        v.itemsize = 1;
        v.format = if flags & PYBUF_FORMAT != 0 {
            c"B".as_ptr() as *mut c_char
        } else {
            null_mut()
        };
        v.ndim = 1;
        v.shape = if flags & PYBUF_ND == PYBUF_ND {
            &mut v.len
        } else {
            null_mut()
        };
        v.strides = if flags & PYBUF_STRIDES == PYBUF_STRIDES {
            &mut v.itemsize
        } else {
            null_mut()
        };
        v.suboffsets = null_mut();
        v.internal = null_mut();
    }
    0
}

/// `PyObject_CheckBuffer`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_CheckBuffer(o: *mut PyObject) -> c_int {
    // SAFETY: a live object.
    unsafe {
        let t = (*o).ob_type;
        let fl = (*t).tp_flags;
        (fl & Py_TPFLAGS_BYTES_SUBCLASS != 0
            || t == &raw mut PyByteArray_Type
            || (!(*t).tp_as_buffer.is_null() && (*(*t).tp_as_buffer).bf_getbuffer.is_some()))
            as c_int
    }
}

/// `PyObject_GetBuffer`: bytes expose their (immutable) proxy data; a bytearray exposes
/// a stable copy that is written back on release when the request was writable.
///
/// # Safety
/// A live object; `view` writable.
#[no_mangle]
pub unsafe extern "C" fn PyObject_GetBuffer(
    o: *mut PyObject,
    view: *mut Py_buffer,
    flags: c_int,
) -> c_int {
    // SAFETY: a live object; each branch reads the layout its type implies.
    unsafe {
        let t = (*o).ob_type;
        if !(*t).tp_as_buffer.is_null() {
            if let Some(g) = (*(*t).tp_as_buffer).bf_getbuffer {
                return g(o, view, flags);
            }
        }
        if (*t).tp_flags & Py_TPFLAGS_BYTES_SUBCLASS != 0 {
            let n = (*(o as *mut PyVarObject)).ob_size;
            return PyBuffer_FillInfo(view, o, bytes_data(o) as *mut c_void, n, 1, flags);
        }
        let vm = vm();
        let v = from_py(vm, o);
        let b = vm.unwrap_builtin(v);
        if b.layout() == thicket_object_model::layout::BYTEARRAY {
            let data = vm.bytes_like(b).unwrap_or_default();
            let n = data.len();
            let copy = libc::malloc(n.max(1)) as *mut u8;
            std::ptr::copy_nonoverlapping(data.as_ptr(), copy, n);
            let r = PyBuffer_FillInfo(view, o, copy as *mut c_void, n as isize, 0, flags);
            (*view).internal = copy as *mut c_void;
            return r;
        }
        let name = vm.type_name(v);
        set_string(
            vm,
            PyExc_TypeError,
            &format!("a bytes-like object is required, not '{name}'"),
        );
        -1
    }
}

/// `PyBuffer_Release`.
///
/// # Safety
/// A view filled by `PyObject_GetBuffer`.
#[no_mangle]
pub unsafe extern "C" fn PyBuffer_Release(view: *mut Py_buffer) {
    // SAFETY: caller's contract.
    unsafe {
        let o = (*view).obj;
        if o.is_null() {
            return;
        }
        let t = (*o).ob_type;
        if !(*t).tp_as_buffer.is_null() {
            if let Some(r) = (*(*t).tp_as_buffer).bf_releasebuffer {
                r(o, view);
            }
        }
        let copy = (*view).internal;
        if !copy.is_null() && t == &raw mut PyByteArray_Type {
            let vm = vm();
            let v = from_py(vm, o);
            let b = vm.unwrap_builtin(v);
            let data = std::slice::from_raw_parts(copy as *const u8, (*view).len as usize).to_vec();
            vm.bytearray_set(b, &data);
            libc::free(copy);
        }
        (*view).obj = null_mut();
        decref(o);
    }
}

/// `PyBuffer_IsContiguous`: our buffers are one-dimensional and contiguous.
#[no_mangle]
pub extern "C" fn PyBuffer_IsContiguous(_view: *const Py_buffer, _order: c_char) -> c_int {
    1
}

/// `PyByteArray_AsString`: not supported on a moving heap without pinning.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_AsString(o: *mut PyObject) -> *mut c_char {
    let _ = o;
    // SAFETY: the exported variable.
    set_string(
        vm(),
        unsafe { PyExc_TypeError },
        "PyByteArray_AsString is not supported by Thicket (use the buffer protocol)",
    );
    null_mut()
}

/// `PyByteArray_Size`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_Size(o: *mut PyObject) -> isize {
    // SAFETY: forwarded.
    unsafe { super::api_abstract::PyObject_Size(o) }
}

/// `Py_FatalError`: prints the message and aborts.
///
/// # Safety
/// `msg` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn Py_FatalError(msg: *const c_char) -> ! {
    // SAFETY: caller's contract.
    let m = unsafe { CStr::from_ptr(msg) }.to_string_lossy();
    eprintln!("Fatal Python error: {m}");
    std::process::abort()
}

/// `PySys_GetObject` (borrowed).
///
/// # Safety
/// `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PySys_GetObject(name: *const c_char) -> *mut PyObject {
    let vm = vm();
    // SAFETY: caller's contract.
    let n = unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned();
    let sys = match vm.import_module("sys") {
        Ok(s) => s,
        Err(_) => {
            vm.take_exc();
            return null_mut();
        }
    };
    let d = vm.module_dict(sys);
    let k = vm.sp.intern(&n);
    match vm.sp.dict_get_str(d, k) {
        Some(v) => to_py(vm, v),
        None => null_mut(),
    }
}

/// `PyImport_ImportModule`.
///
/// # Safety
/// `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyImport_ImportModule(name: *const c_char) -> *mut PyObject {
    let vm = vm();
    // SAFETY: caller's contract.
    let n = unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned();
    let nv = vm.new_str(&n);
    let none = vm.sp.none;
    let zero = vm.sp.new_int(0);
    let g = vm.sp.new_dict();
    match vm.import_name(nv, zero, none, g) {
        Ok(_) => match vm.import_module(&n) {
            Ok(m) => new_ref(vm, m),
            Err(_) => {
                set_from_vm(vm);
                null_mut()
            }
        },
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

/// `PyObject_ASCII`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_ASCII(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    // SAFETY: a live object.
    let v = unsafe { from_py(vm, o) };
    let b = vm.builtins();
    let k = vm.sp.intern("ascii");
    let f = vm.sp.dict_get_str(b, k).expect("builtin ascii");
    let r = vm.call(f, &[v]);
    match r {
        Ok(s) => new_ref(vm, s),
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

fn encode(o: *mut PyObject, enc: &str) -> *mut PyObject {
    let vm = vm();
    // SAFETY: a live object.
    let v = unsafe { from_py(vm, o) };
    let r = vm.getattr_str(v, "encode").and_then(|f| {
        let e = vm.new_str(enc);
        vm.call(f, &[e])
    });
    match r {
        Ok(b) => new_ref(vm, b),
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

/// `PyUnicode_AsEncodedString`.
///
/// # Safety
/// A live str; `encoding` null or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsEncodedString(
    o: *mut PyObject,
    encoding: *const c_char,
    _errors: *const c_char,
) -> *mut PyObject {
    let enc = if encoding.is_null() {
        "utf-8".to_owned()
    } else {
        // SAFETY: caller's contract.
        unsafe { CStr::from_ptr(encoding) }
            .to_string_lossy()
            .into_owned()
    };
    encode(o, &enc)
}

/// `PyUnicode_AsASCIIString`.
///
/// # Safety
/// A live str.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsASCIIString(o: *mut PyObject) -> *mut PyObject {
    encode(o, "ascii")
}

/// `PyUnicode_AsLatin1String`.
///
/// # Safety
/// A live str.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsLatin1String(o: *mut PyObject) -> *mut PyObject {
    encode(o, "latin-1")
}

/// `PyUnicode_FromOrdinal`.
#[no_mangle]
pub extern "C" fn PyUnicode_FromOrdinal(c: c_int) -> *mut PyObject {
    let vm = vm();
    match char::from_u32(c as u32) {
        Some(ch) => {
            let s = vm.sp.new_char(ch);
            new_ref(vm, s)
        }
        None => {
            // SAFETY: the exported variable.
            set_string(
                vm,
                unsafe { PyExc_ValueError },
                "chr() arg not in range(0x110000)",
            );
            null_mut()
        }
    }
}

/// `PyUnicode_FromWideChar` (wchar_t is 32-bit here; size -1 means NUL-terminated).
///
/// # Safety
/// `w` must hold `size` wide characters (or be NUL-terminated).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromWideChar(w: *const u32, size: isize) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe {
        let n = if size < 0 {
            let mut n = 0;
            while *w.add(n) != 0 {
                n += 1;
            }
            n
        } else {
            size as usize
        };
        super::api_concrete::PyUnicode_FromKindAndData(4, w as *const u8, n as isize)
    }
}

/// `PyUnicode_ReadChar`.
///
/// # Safety
/// A str.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_ReadChar(o: *mut PyObject, i: isize) -> u32 {
    // SAFETY: a compact str.
    unsafe {
        let a = o as *mut PyASCIIObject;
        if i < 0 || i >= (*a).length {
            set_string(
                vm(),
                super::errors::PyExc_IndexError,
                "string index out of range",
            );
            return u32::MAX;
        }
        let kind = ((*a).state >> 2) & 7;
        let d = unicode_data(o);
        match kind {
            1 => *d.offset(i) as u32,
            2 => *(d as *const u16).offset(i) as u32,
            _ => *(d as *const u32).offset(i),
        }
    }
}

/// `PyUnicode_Substring`: code points `start..end` (`end` clipped to the length); the
/// string itself for the whole range, `IndexError` for a negative bound.
///
/// # Safety
/// A str.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Substring(
    o: *mut PyObject,
    start: isize,
    end: isize,
) -> *mut PyObject {
    let vm = vm();
    // SAFETY: a live str.
    let v = unsafe { from_py(vm, o) };
    let b = vm.unwrap_builtin(v);
    let len = vm.sp.str_nchars(b) as isize;
    let end = end.min(len);
    if start == 0 && end == len && v.ty().is(vm.sp.t.str_) {
        return new_ref(vm, v);
    }
    if start < 0 || end < 0 {
        // SAFETY: the exported variable.
        set_string(
            vm,
            unsafe { super::errors::PyExc_IndexError },
            "string index out of range",
        );
        return null_mut();
    }
    let s: String = if start >= len || end < start {
        String::new()
    } else {
        vm.sp
            .str_of(b)
            .chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect()
    };
    let r = vm.new_str(&s);
    new_ref(vm, r)
}

/// `PyUnicode_AsUCS4Copy`: a `PyMem_Malloc`'d NUL-terminated copy.
///
/// # Safety
/// A str.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsUCS4Copy(o: *mut PyObject) -> *mut u32 {
    // SAFETY: a compact str.
    unsafe {
        let t = unicode_text(o);
        let v: Vec<u32> = t.chars().map(|c| c as u32).collect();
        let p = PyMem_Malloc((v.len() + 1) * 4) as *mut u32;
        std::ptr::copy_nonoverlapping(v.as_ptr(), p, v.len());
        *p.add(v.len()) = 0;
        p
    }
}

/// `Py_complex`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Py_complex {
    pub real: f64,
    pub imag: f64,
}

/// `PyComplex_FromCComplex`: complex numbers are not in the object model.
#[no_mangle]
pub extern "C" fn PyComplex_FromCComplex(_c: Py_complex) -> *mut PyObject {
    // SAFETY: the exported variable.
    set_string(
        vm(),
        unsafe { PyExc_TypeError },
        "complex numbers are not supported by Thicket",
    );
    null_mut()
}

/// `PyComplex_AsCComplex`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyComplex_AsCComplex(o: *mut PyObject) -> Py_complex {
    // SAFETY: forwarded.
    let r = unsafe { super::api_concrete::PyFloat_AsDouble(o) };
    Py_complex { real: r, imag: 0.0 }
}

/// `PyErr_WarnExplicit`.
///
/// # Safety
/// As `PyErr_WarnEx`.
#[no_mangle]
pub unsafe extern "C" fn PyErr_WarnExplicit(
    category: *mut PyObject,
    msg: *const c_char,
    _filename: *const c_char,
    _lineno: c_int,
    _module: *const c_char,
    _registry: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded.
    unsafe { super::errors::PyErr_WarnEx(category, msg, 1) }
}

// ---- object lifecycle (census additions) ----

/// `_PyObject_GC_New`: as [`_PyObject_New`]; every object is found by the collector
/// through its link, so GC types need no separate header.
///
/// # Safety
/// `t` must be a ready type.
#[no_mangle]
pub unsafe extern "C" fn _PyObject_GC_New(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { _PyObject_New(t) }
}

/// `_PyObject_GC_NewVar`: as [`_PyObject_NewVar`]; a negative size is a bad internal
/// call (`SystemError`), as in CPython.
///
/// # Safety
/// `t` must be a ready type.
#[no_mangle]
pub unsafe extern "C" fn _PyObject_GC_NewVar(t: *mut PyTypeObject, n: isize) -> *mut PyVarObject {
    if n < 0 {
        super::errors::PyErr_BadInternalCall();
        return null_mut();
    }
    // SAFETY: forwarded.
    unsafe { _PyObject_NewVar(t, n) }
}

/// `PyObject_GC_IsTracked`: 1 for objects of GC types (`Py_TPFLAGS_HAVE_GC`). Thicket's
/// collector traces every object through its link, so "tracked" is the type's
/// property; CPython's untracking of dicts and tuples holding only atomic values is not
/// mirrored.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_GC_IsTracked(o: *mut PyObject) -> c_int {
    // SAFETY: a live object's type.
    unsafe { ((*(*o).ob_type).tp_flags & Py_TPFLAGS_HAVE_GC != 0) as c_int }
}

/// `PyObject_ClearWeakRefs`: nothing to do. A weak reference in Thicket refers to the
/// GC object, never to the proxy a `tp_dealloc` frees, and the collector clears it
/// (and queues its callback) when the object dies.
///
/// # Safety
/// `o` must be an object being deallocated (not read).
#[no_mangle]
pub unsafe extern "C" fn PyObject_ClearWeakRefs(_o: *mut PyObject) {}

/// `PyObject_SelfIter`: `o` itself, a new reference (`tp_iter` of iterators).
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_SelfIter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe { incref(o) };
    o
}

/// `Py_IsTrue`: whether `x` is the `True` object (identity, as `x is True`).
///
/// # Safety
/// `x` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn Py_IsTrue(x: *mut PyObject) -> c_int {
    std::ptr::eq(x, &raw mut _Py_TrueStruct as *mut PyObject) as c_int
}

/// `_Py_HashPointer`: the pointer rotated right by 4 bits (its low bits are alignment),
/// with -1 (the error value) made -2.
#[no_mangle]
pub extern "C" fn _Py_HashPointer(p: *const c_void) -> isize {
    let h = (p as usize).rotate_right(4) as isize;
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `Py_GenericAlias(origin, args)`: `types.GenericAlias(origin, args)`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn Py_GenericAlias(
    origin: *mut PyObject,
    args: *mut PyObject,
) -> *mut PyObject {
    let vm = vm();
    let r = vm
        .import_module("types")
        .and_then(|m| vm.getattr_str(m, "GenericAlias"))
        .and_then(|ga| {
            // SAFETY: live objects, converted after the import ran.
            let (o, a) = unsafe { (from_py(vm, origin), from_py(vm, args)) };
            vm.call(ga, &[o, a])
        });
    match r {
        Ok(v) => new_ref(vm, v),
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

thread_local! {
    /// The objects whose `repr` C is computing (`Py_ReprEnter`), by proxy address
    /// (stable while C holds the object, which it does between enter and leave).
    static REPR_STACK: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Deallocations deferred by the trashcan, and the current nesting depth.
    static TRASH: std::cell::RefCell<(usize, Vec<usize>)> = const { std::cell::RefCell::new((0, Vec::new())) };
}

/// `Py_ReprEnter`: 0 the first time `o`'s repr is entered on this thread, 1 if it is
/// being computed already (a recursive container: the caller prints `...`).
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn Py_ReprEnter(o: *mut PyObject) -> c_int {
    REPR_STACK.with(|s| {
        let mut s = s.borrow_mut();
        if s.contains(&(o as usize)) {
            1
        } else {
            s.push(o as usize);
            0
        }
    })
}

/// `Py_ReprLeave`: forgets the most recent entry of `o`.
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn Py_ReprLeave(o: *mut PyObject) {
    REPR_STACK.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(i) = s.iter().rposition(|&x| x == o as usize) {
            s.remove(i);
        }
    })
}

/// `Py_EnterRecursiveCall(where)`: counts a C-level recursion on the interpreter's own
/// depth (as CPython 3.11 counts C and Python calls together); past the recursion
/// limit it raises `RecursionError("maximum recursion depth exceeded" + where)` and
/// returns -1 without counting.
///
/// # Safety
/// `where_` must be NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn Py_EnterRecursiveCall(where_: *const c_char) -> c_int {
    let vm = vm();
    if vm.depth >= vm.recursion_limit {
        // SAFETY: caller's contract.
        let w = unsafe { CStr::from_ptr(where_) }.to_string_lossy();
        let t = vm.sp.t.recursion_error;
        let _ = vm.err(t, format!("maximum recursion depth exceeded{w}"));
        set_from_vm(vm);
        return -1;
    }
    vm.depth += 1;
    0
}

/// `Py_LeaveRecursiveCall`: undoes a successful [`Py_EnterRecursiveCall`].
#[no_mangle]
pub extern "C" fn Py_LeaveRecursiveCall() {
    let vm = vm();
    vm.depth = vm.depth.saturating_sub(1);
}

/// Nesting depth past which the trashcan defers deallocations (CPython's is 50).
const TRASH_DEPTH: usize = 50;

/// `_PyTrash_begin`: entered at the start of a `tp_dealloc` wrapped in
/// `Py_TRASHCAN_BEGIN`. Deallocation in Thicket does recurse through C: a proxy whose
/// count reaches zero runs its `tp_dealloc`, which releases what it holds, and so on
/// down a chain of objects only C holds (objects that Python also sees keep the
/// collector's bias and are freed one by one from the dead-link queue instead). So the
/// trashcan is real: past 50 nested deallocations the object is queued (returns 1: the
/// caller skips its body) and deallocated when the outermost one ends.
///
/// # Safety
/// `op` must be an object being deallocated.
#[no_mangle]
pub unsafe extern "C" fn _PyTrash_begin(_tstate: *mut c_void, op: *mut PyObject) -> c_int {
    TRASH.with(|t| {
        let mut t = t.borrow_mut();
        if t.0 >= TRASH_DEPTH {
            t.1.push(op as usize);
            1
        } else {
            t.0 += 1;
            0
        }
    })
}

/// `_PyTrash_end`: leaves a trashcan-wrapped `tp_dealloc`; the outermost one runs the
/// deferred deallocations (each of which may defer more, drained in turn).
///
/// # Safety
/// Called after a `_PyTrash_begin` that returned 0.
#[no_mangle]
pub unsafe extern "C" fn _PyTrash_end(_tstate: *mut c_void) {
    let depth = TRASH.with(|t| {
        let mut t = t.borrow_mut();
        t.0 -= 1;
        t.0
    });
    if depth != 0 {
        return;
    }
    while let Some(op) = TRASH.with(|t| t.borrow_mut().1.pop()) {
        let op = op as *mut PyObject;
        // SAFETY: an object whose deallocation was deferred: its count is zero and its
        // type's `tp_dealloc` is what was interrupted.
        unsafe {
            if let Some(d) = (*(*op).ob_type).tp_dealloc {
                d(op);
            }
        }
    }
}

/// `_PyTrash_cond`: whether the trashcan applies, i.e. `dealloc` is `op`'s own type's
/// (a subclass's deallocator calling its base's does not nest again).
///
/// # Safety
/// `op` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn _PyTrash_cond(op: *mut PyObject, dealloc: destructor) -> c_int {
    // SAFETY: a live object's type.
    unsafe {
        ((*(*op).ob_type).tp_dealloc.map(|d| d as usize) == dealloc.map(|d| d as usize)) as c_int
    }
}

/// `Py_GetArgcArgv`: the process's command line as wide strings (Thicket's own: for
/// `thicket run app.py`, those three words), made once and kept for the process.
///
/// # Safety
/// `argc` and `argv` must be writable.
#[no_mangle]
pub unsafe extern "C" fn Py_GetArgcArgv(argc: *mut c_int, argv: *mut *mut *mut u32) {
    struct Argv(Vec<*mut u32>);
    // SAFETY: the pointers are to leaked, never-written arrays.
    unsafe impl Send for Argv {}
    // SAFETY: as above.
    unsafe impl Sync for Argv {}
    static ARGV: std::sync::OnceLock<Argv> = std::sync::OnceLock::new();
    let a = ARGV.get_or_init(|| {
        let mut v: Vec<*mut u32> = std::env::args()
            .map(|s| {
                let mut w: Vec<u32> = s.chars().map(|c| c as u32).collect();
                w.push(0);
                Box::leak(w.into_boxed_slice()).as_mut_ptr()
            })
            .collect();
        v.push(null_mut());
        Argv(v)
    });
    // SAFETY: caller's contract; the array lives for the process.
    unsafe {
        *argc = (a.0.len() - 1) as c_int;
        *argv = a.0.as_ptr() as *mut *mut u32;
    }
}

/// `_Py_FatalErrorFunc` (what `Py_FatalError` expands to): prints
/// `Fatal Python error: func: message` and aborts.
///
/// # Safety
/// `func` null or NUL-terminated; `msg` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn _Py_FatalErrorFunc(func: *const c_char, msg: *const c_char) -> ! {
    // SAFETY: caller's contract.
    let m = unsafe { CStr::from_ptr(msg) }.to_string_lossy();
    super::flush_before_abort();
    if func.is_null() {
        eprintln!("Fatal Python error: {m}");
    } else {
        // SAFETY: caller's contract.
        let f = unsafe { CStr::from_ptr(func) }.to_string_lossy();
        eprintln!("Fatal Python error: {f}: {m}");
    }
    std::process::abort()
}

/// `PyCFunction_GetFunction`: the C function of a built-in function object made from a
/// `PyMethodDef`; anything else is a bad internal call (`SystemError`).
///
/// # Safety
/// `o` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyCFunction_GetFunction(o: *mut PyObject) -> *mut c_void {
    let vm = vm();
    // SAFETY: a live object.
    let v = unsafe { from_py(vm, o) };
    if !super::cfunc::is_cfunc(vm, v) {
        super::errors::PyErr_BadInternalCall();
        return null_mut();
    }
    // SAFETY: a C function's method definition lives as long as its module.
    unsafe { (*super::cfunc::cfunc_def(v)).ml_meth }
}
