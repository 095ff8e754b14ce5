//! Heap types made from a `PyType_Spec`: `PyType_FromSpec`, `PyType_FromSpecWithBases`,
//! `PyType_FromModuleAndSpec`, and the accessors that go with them (`PyType_GetSlot`,
//! `PyType_GetModule`, `PyType_GetModuleState`, `PyType_GetModuleByDef`,
//! `PyType_GetFlags`).
//!
//! A spec's type is a `PyHeapTypeObject` allocated like any proxy, its slots copied into
//! the type and its own number/sequence/mapping/buffer tables, then readied exactly as a
//! static type is (a GC class with the slots as wrappers). Like static types, heap types
//! made here live as long as the process.

use super::api_misc::ready_static_type;
use super::errors;
use super::vm;
use std::ffi::{c_char, c_int, c_ulong, c_void, CStr, CString};
use std::ptr::{addr_of_mut, null_mut};
use thicket_cpyext::abi::*;
use thicket_cpyext::proxy::{self, LIVE};
use thicket_cpyext::statics::PyType_Type;

/// `PyNumberMethods` index of each `Py_nb_*` slot id.
fn number_index(id: c_int) -> Option<usize> {
    Some(match id {
        6 => 8,
        7 => 0,
        8 => 13,
        9 => 9,
        10 => 4,
        11 => 18,
        12 => 29,
        13 => 33,
        14 => 19,
        15 => 26,
        16 => 31,
        17 => 24,
        18 => 21,
        19 => 28,
        20 => 23,
        21 => 22,
        22 => 25,
        23 => 20,
        24 => 32,
        25 => 27,
        26 => 16,
        27 => 10,
        28 => 11,
        29 => 2,
        30 => 6,
        31 => 15,
        32 => 7,
        33 => 5,
        34 => 3,
        35 => 12,
        36 => 1,
        37 => 30,
        38 => 14,
        75 => 34,
        76 => 35,
        _ => return None,
    })
}

/// The address of the field that slot `id` sets in heap type `h` (not `Py_tp_base`,
/// `Py_tp_bases`, `Py_tp_doc`, which need more than a store).
///
/// # Safety
/// `h` must point to a `PyHeapTypeObject`.
unsafe fn slot_field(h: *mut PyHeapTypeObject, id: c_int) -> Option<*mut *mut c_void> {
    // SAFETY: caller's contract; every address is of a pointer-sized field of `h`.
    unsafe {
        let t = addr_of_mut!((*h).ht_type);
        let sq = addr_of_mut!((*h).as_sequence);
        let mp = addr_of_mut!((*h).as_mapping);
        let bf = addr_of_mut!((*h).as_buffer);
        if let Some(i) = number_index(id) {
            return Some(addr_of_mut!((*h).as_number.slots[i]));
        }
        let p: *mut *mut c_void = match id {
            1 => addr_of_mut!((*bf).bf_getbuffer).cast(),
            2 => addr_of_mut!((*bf).bf_releasebuffer).cast(),
            3 => addr_of_mut!((*mp).mp_ass_subscript).cast(),
            4 => addr_of_mut!((*mp).mp_length).cast(),
            5 => addr_of_mut!((*mp).mp_subscript).cast(),
            39 => addr_of_mut!((*sq).sq_ass_item),
            40 => addr_of_mut!((*sq).sq_concat).cast(),
            41 => addr_of_mut!((*sq).sq_contains),
            42 => addr_of_mut!((*sq).sq_inplace_concat).cast(),
            43 => addr_of_mut!((*sq).sq_inplace_repeat),
            44 => addr_of_mut!((*sq).sq_item),
            45 => addr_of_mut!((*sq).sq_length).cast(),
            46 => addr_of_mut!((*sq).sq_repeat),
            47 => addr_of_mut!((*t).tp_alloc).cast(),
            50 => addr_of_mut!((*t).tp_call).cast(),
            51 => addr_of_mut!((*t).tp_clear),
            52 => addr_of_mut!((*t).tp_dealloc).cast(),
            53 => addr_of_mut!((*t).tp_del),
            54 => addr_of_mut!((*t).tp_descr_get).cast(),
            55 => addr_of_mut!((*t).tp_descr_set).cast(),
            57 => addr_of_mut!((*t).tp_getattr),
            58 => addr_of_mut!((*t).tp_getattro).cast(),
            59 => addr_of_mut!((*t).tp_hash).cast(),
            60 => addr_of_mut!((*t).tp_init).cast(),
            61 => addr_of_mut!((*t).tp_is_gc),
            62 => addr_of_mut!((*t).tp_iter).cast(),
            63 => addr_of_mut!((*t).tp_iternext).cast(),
            64 => addr_of_mut!((*t).tp_methods).cast(),
            65 => addr_of_mut!((*t).tp_new).cast(),
            66 => addr_of_mut!((*t).tp_repr).cast(),
            67 => addr_of_mut!((*t).tp_richcompare).cast(),
            68 => addr_of_mut!((*t).tp_setattr),
            69 => addr_of_mut!((*t).tp_setattro).cast(),
            70 => addr_of_mut!((*t).tp_str).cast(),
            71 => addr_of_mut!((*t).tp_traverse),
            72 => addr_of_mut!((*t).tp_members).cast(),
            73 => addr_of_mut!((*t).tp_getset).cast(),
            74 => addr_of_mut!((*t).tp_free).cast(),
            77..=79 => addr_of_mut!((*h).as_async[(id - 77) as usize]),
            80 => addr_of_mut!((*t).tp_finalize),
            81 => addr_of_mut!((*h).as_async[3]),
            _ => return None,
        };
        Some(p)
    }
}

/// Sets an error and returns NULL.
fn fail(exc: *mut PyObject, msg: &str) -> *mut PyObject {
    let m = CString::new(msg).unwrap_or_default();
    // SAFETY: a live exception type and a NUL-terminated message.
    unsafe { errors::PyErr_SetString(exc, m.as_ptr()) };
    null_mut()
}

/// `PyType_FromModuleAndSpec(module, spec, bases)`: a new heap type.
///
/// # Safety
/// `spec` must be a valid spec (slots ending with a zero id); `module` null or a module;
/// `bases` null, a type, or a tuple of types.
#[no_mangle]
pub unsafe extern "C" fn PyType_FromModuleAndSpec(
    module: *mut PyObject,
    spec: *mut PyType_Spec,
    bases: *mut PyObject,
) -> *mut PyObject {
    let _ = vm();
    // SAFETY: caller's contract; the type block is fresh and sized for a heap type.
    unsafe {
        let h =
            proxy::alloc(std::mem::size_of::<PyHeapTypeObject>(), LIVE) as *mut PyHeapTypeObject;
        if h.is_null() {
            return errors::PyErr_NoMemory();
        }
        let t = addr_of_mut!((*h).ht_type);
        (*t).ob_base.ob_base.ob_refcnt = 1;
        (*t).ob_base.ob_base.ob_type = &raw mut PyType_Type;
        let full = CStr::from_ptr((*spec).name).to_string_lossy().into_owned();
        let name = CString::new(full.clone()).unwrap_or_default().into_raw();
        (*t).tp_name = name;
        (*h)._ht_tpname = name;
        (*t).tp_basicsize = (*spec).basicsize as isize;
        (*t).tp_itemsize = (*spec).itemsize as isize;
        (*t).tp_flags = (*spec).flags as c_ulong | Py_TPFLAGS_HEAPTYPE;
        (*t).tp_as_number = addr_of_mut!((*h).as_number);
        (*t).tp_as_sequence = addr_of_mut!((*h).as_sequence);
        (*t).tp_as_mapping = addr_of_mut!((*h).as_mapping);
        (*t).tp_as_buffer = addr_of_mut!((*h).as_buffer);
        (*t).tp_as_async = addr_of_mut!((*h).as_async).cast();
        (*h).ht_module = module;
        let mut base: *mut PyTypeObject = null_mut();
        if !bases.is_null() {
            base = if (*(*bases).ob_type).tp_flags & Py_TPFLAGS_TUPLE_SUBCLASS != 0 {
                let tp = bases as *mut PyTupleObject;
                if (*tp).ob_base.ob_size > 0 {
                    *(*tp).ob_item.as_ptr() as *mut PyTypeObject
                } else {
                    null_mut()
                }
            } else {
                bases as *mut PyTypeObject
            };
        }
        let mut s = (*spec).slots;
        while !s.is_null() && (*s).slot != 0 {
            let (id, pfunc) = ((*s).slot, (*s).pfunc);
            match id {
                48 if base.is_null() => base = pfunc as *mut PyTypeObject,
                49 if base.is_null() => {
                    let tp = pfunc as *mut PyTupleObject;
                    if (*tp).ob_base.ob_size > 0 {
                        base = *(*tp).ob_item.as_ptr() as *mut PyTypeObject;
                    }
                }
                48 | 49 => {}
                56 => {
                    if !pfunc.is_null() {
                        let doc = CStr::from_ptr(pfunc as *const c_char).to_owned();
                        (*t).tp_doc = doc.into_raw();
                    }
                }
                72 => {
                    (*t).tp_members = pfunc as *mut PyMemberDef;
                    // Offsets given as special members.
                    let mut m = pfunc as *mut PyMemberDef;
                    while !m.is_null() && !(*m).name.is_null() {
                        match CStr::from_ptr((*m).name).to_bytes() {
                            b"__weaklistoffset__" => (*t).tp_weaklistoffset = (*m).offset,
                            b"__dictoffset__" => (*t).tp_dictoffset = (*m).offset,
                            b"__vectorcalloffset__" => (*t).tp_vectorcall_offset = (*m).offset,
                            _ => {}
                        }
                        m = m.add(1);
                    }
                }
                _ => match slot_field(h, id) {
                    Some(f) => *f = pfunc,
                    None => {
                        return fail(
                            errors::PyExc_RuntimeError,
                            &format!("invalid slot offset {id} in the spec of {full}"),
                        )
                    }
                },
            }
            s = s.add(1);
        }
        if !base.is_null() {
            if (*base).tp_flags & Py_TPFLAGS_BASETYPE == 0 {
                let bn = CStr::from_ptr((*base).tp_name)
                    .to_string_lossy()
                    .into_owned();
                return fail(
                    errors::PyExc_TypeError,
                    &format!("type '{bn}' is not an acceptable base type"),
                );
            }
            (*t).tp_base = base;
        }
        // Tables the spec left empty are the base's, as inheritance would give.
        let b = if base.is_null() {
            &raw mut thicket_cpyext::statics::PyBaseObject_Type
        } else {
            base
        };
        inherit_table(t, b);
        let vm = vm();
        let _ = ready_static_type(vm, t);
        t as *mut PyObject
    }
}

/// Points an unused table of heap type `t` at its base's (so that `own` slot detection
/// treats inherited entries as inherited).
///
/// # Safety
/// `t` a heap type whose tables are its own; `b` a type.
unsafe fn inherit_table(t: *mut PyTypeObject, b: *mut PyTypeObject) {
    // SAFETY: caller's contract; the tables are plain pointer arrays.
    // A base without a table leaves the type its own empty one: never null.
    unsafe {
        let empty =
            |p: *const u8, n: usize| std::slice::from_raw_parts(p, n).iter().all(|&x| x == 0);
        if !(*b).tp_as_number.is_null()
            && empty(
                (*t).tp_as_number as *const u8,
                std::mem::size_of::<PyNumberMethods>(),
            )
        {
            (*t).tp_as_number = (*b).tp_as_number;
        }
        if !(*b).tp_as_sequence.is_null()
            && empty(
                (*t).tp_as_sequence as *const u8,
                std::mem::size_of::<PySequenceMethods>(),
            )
        {
            (*t).tp_as_sequence = (*b).tp_as_sequence;
        }
        if !(*b).tp_as_mapping.is_null()
            && empty(
                (*t).tp_as_mapping as *const u8,
                std::mem::size_of::<PyMappingMethods>(),
            )
        {
            (*t).tp_as_mapping = (*b).tp_as_mapping;
        }
    }
}

/// `PyType_FromSpecWithBases`.
///
/// # Safety
/// As [`PyType_FromModuleAndSpec`].
#[no_mangle]
pub unsafe extern "C" fn PyType_FromSpecWithBases(
    spec: *mut PyType_Spec,
    bases: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { PyType_FromModuleAndSpec(null_mut(), spec, bases) }
}

/// `PyType_FromSpec`.
///
/// # Safety
/// As [`PyType_FromModuleAndSpec`].
#[no_mangle]
pub unsafe extern "C" fn PyType_FromSpec(spec: *mut PyType_Spec) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { PyType_FromModuleAndSpec(null_mut(), spec, null_mut()) }
}

/// `PyType_GetFlags`.
///
/// # Safety
/// A type object.
#[no_mangle]
pub unsafe extern "C" fn PyType_GetFlags(t: *mut PyTypeObject) -> c_ulong {
    // SAFETY: caller's contract.
    unsafe { (*t).tp_flags }
}

/// `PyType_GetSlot`: the function or table entry slot `id` of a heap type.
///
/// # Safety
/// A type object.
#[no_mangle]
pub unsafe extern "C" fn PyType_GetSlot(t: *mut PyTypeObject, id: c_int) -> *mut c_void {
    // SAFETY: caller's contract; heap types are `PyHeapTypeObject`s.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 || id <= 0 {
            errors::PyErr_BadInternalCall();
            return null_mut();
        }
        let h = t as *mut PyHeapTypeObject;
        match id {
            48 => (*t).tp_base.cast(),
            56 => (*t).tp_doc as *mut c_void,
            _ => match slot_field(h, id) {
                Some(f) => *f,
                None => {
                    errors::PyErr_BadInternalCall();
                    null_mut()
                }
            },
        }
    }
}

/// `PyType_GetModule`: the module a heap type was made with (borrowed).
///
/// # Safety
/// A type object.
#[no_mangle]
pub unsafe extern "C" fn PyType_GetModule(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe {
        let name = CStr::from_ptr((*t).tp_name).to_string_lossy().into_owned();
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            return fail(
                errors::PyExc_TypeError,
                &format!("PyType_GetModule: Type '{name}' is not a heap type"),
            );
        }
        let m = (*(t as *mut PyHeapTypeObject)).ht_module;
        if m.is_null() {
            return fail(
                errors::PyExc_TypeError,
                &format!("PyType_GetModule: Type '{name}' has no associated module"),
            );
        }
        m
    }
}

/// `PyType_GetModuleState`.
///
/// # Safety
/// A type object.
#[no_mangle]
pub unsafe extern "C" fn PyType_GetModuleState(t: *mut PyTypeObject) -> *mut c_void {
    // SAFETY: forwarded.
    unsafe {
        let m = PyType_GetModule(t);
        if m.is_null() {
            return null_mut();
        }
        super::module::PyModule_GetState(m)
    }
}

/// `PyType_GetModuleByDef`: the module of the first heap type in `t`'s bases made by a
/// module of definition `def` (borrowed).
///
/// # Safety
/// A type object; `def` a module definition.
#[no_mangle]
pub unsafe extern "C" fn PyType_GetModuleByDef(
    t: *mut PyTypeObject,
    def: *mut PyModuleDef,
) -> *mut PyObject {
    // SAFETY: caller's contract; the base chain ends at `object`.
    unsafe {
        let mut c = t;
        while !c.is_null() {
            if (*c).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 {
                let m = (*(c as *mut PyHeapTypeObject)).ht_module;
                if !m.is_null() && super::module::PyModule_GetDef(m) == def {
                    return m;
                }
            }
            c = (*c).tp_base;
        }
        let name = CStr::from_ptr((*t).tp_name).to_string_lossy().into_owned();
        fail(
            errors::PyExc_TypeError,
            &format!("PyType_GetModuleByDef: No superclass of '{name}' has the given module"),
        )
    }
}
