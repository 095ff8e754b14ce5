//! `PyMemberDef` attributes: reading and writing a C struct field of an object by its
//! `T_*` type code, with CPython 3.11's conversions and errors (`READONLY`, `T_OBJECT`
//! reading NULL as None, `T_OBJECT_EX` raising AttributeError, numeric fields refusing
//! deletion). The conversions go through the C-API's own number functions, so range
//! and type errors are the ones those raise.

use super::api_concrete::*;
use super::cfunc::result;
use super::errors;
use crate::vm::{PyResult, Vm};
use std::ffi::{c_char, c_int, CStr};
use thicket_cpyext::abi::*;
use thicket_cpyext::statics::{decref_opt, incref, PyBool_Type};

const T_SHORT: c_int = 0;
const T_INT: c_int = 1;
const T_LONG: c_int = 2;
const T_FLOAT: c_int = 3;
const T_DOUBLE: c_int = 4;
const T_STRING: c_int = 5;
const T_OBJECT: c_int = 6;
const T_CHAR: c_int = 7;
const T_BYTE: c_int = 8;
const T_UBYTE: c_int = 9;
const T_USHORT: c_int = 10;
const T_UINT: c_int = 11;
const T_ULONG: c_int = 12;
const T_STRING_INPLACE: c_int = 13;
const T_BOOL: c_int = 14;
const T_OBJECT_EX: c_int = 16;
const T_LONGLONG: c_int = 17;
const T_ULONGLONG: c_int = 18;
const T_PYSSIZET: c_int = 19;
const T_NONE: c_int = 20;
const READONLY: c_int = 1;

/// Reads member `m` of `obj`.
///
/// # Safety
/// `obj` must be a live object whose struct has the field `m` describes.
pub unsafe fn get(vm: &mut Vm, obj: *mut PyObject, m: *mut PyMemberDef) -> PyResult {
    // SAFETY: caller's contract: the field at `offset` has the type the code names.
    unsafe {
        let addr = (obj as *mut u8).add((*m).offset as usize);
        let r: *mut PyObject = match (*m).type_ {
            T_SHORT => PyLong_FromLong(*(addr as *const i16) as _),
            T_INT => PyLong_FromLong(*(addr as *const i32) as _),
            T_LONG => PyLong_FromLong(*(addr as *const i64) as _),
            T_USHORT => PyLong_FromLong(*(addr as *const u16) as _),
            T_UINT => PyLong_FromUnsignedLong(*(addr as *const u32) as _),
            T_ULONG => PyLong_FromUnsignedLong(*(addr as *const u64) as _),
            T_BYTE => PyLong_FromLong(*(addr as *const i8) as _),
            T_UBYTE => PyLong_FromLong(*addr as _),
            T_BOOL => PyBool_FromLong(*addr as _),
            T_FLOAT => PyFloat_FromDouble(*(addr as *const f32) as f64),
            T_DOUBLE => PyFloat_FromDouble(*(addr as *const f64)),
            T_LONGLONG => PyLong_FromLongLong(*(addr as *const i64)),
            T_ULONGLONG => PyLong_FromUnsignedLongLong(*(addr as *const u64)),
            T_PYSSIZET => PyLong_FromSsize_t(*(addr as *const isize)),
            T_STRING => {
                let s = *(addr as *const *const c_char);
                if s.is_null() {
                    return Ok(vm.sp.none);
                }
                PyUnicode_FromString(s)
            }
            T_STRING_INPLACE => PyUnicode_FromString(addr as *const c_char),
            T_CHAR => {
                let c = [*addr, 0];
                PyUnicode_FromString(c.as_ptr() as *const c_char)
            }
            T_NONE => return Ok(vm.sp.none),
            T_OBJECT | T_OBJECT_EX => {
                let o = *(addr as *const *mut PyObject);
                if o.is_null() {
                    if (*m).type_ == T_OBJECT {
                        return Ok(vm.sp.none);
                    }
                    let tn = type_name(obj);
                    let n = CStr::from_ptr((*m).name).to_string_lossy().into_owned();
                    return Err(vm.attribute_error(format!("'{tn}' object has no attribute '{n}'")));
                }
                incref(o);
                o
            }
            other => {
                return Err(vm.err(
                    vm.sp.t.system_error,
                    format!("bad memberdescr type {other}"),
                ))
            }
        };
        result(vm, r, false, || "member".to_owned())
    }
}

/// Writes (or with `v` NULL deletes) member `m` of `obj`.
///
/// # Safety
/// As [`get`]; `v` null or a live object.
pub unsafe fn set(
    vm: &mut Vm,
    obj: *mut PyObject,
    m: *mut PyMemberDef,
    v: *mut PyObject,
) -> PyResult<()> {
    // SAFETY: caller's contract.
    unsafe {
        let name = CStr::from_ptr((*m).name).to_string_lossy().into_owned();
        if (*m).flags & READONLY != 0 {
            return Err(vm.attribute_error("readonly attribute"));
        }
        let addr = (obj as *mut u8).add((*m).offset as usize);
        let ty = (*m).type_;
        if v.is_null() {
            return match ty {
                T_OBJECT_EX if (*(addr as *const *mut PyObject)).is_null() => {
                    Err(vm.attribute_error(name))
                }
                T_OBJECT | T_OBJECT_EX => {
                    let old = *(addr as *const *mut PyObject);
                    *(addr as *mut *mut PyObject) = std::ptr::null_mut();
                    decref_opt(old);
                    Ok(())
                }
                _ => Err(vm.type_error("can't delete numeric/char attribute")),
            };
        }
        let fail = |vm: &mut Vm| errors::raise_in_vm(vm);
        match ty {
            T_OBJECT | T_OBJECT_EX => {
                incref(v);
                let old = *(addr as *const *mut PyObject);
                *(addr as *mut *mut PyObject) = v;
                decref_opt(old);
            }
            T_BOOL => {
                if (*v).ob_type != &raw mut PyBool_Type {
                    return Err(vm.type_error("attribute value type must be bool"));
                }
                *addr = (v == (&raw mut thicket_cpyext::statics::_Py_TrueStruct).cast()) as u8;
            }
            T_DOUBLE | T_FLOAT => {
                let d = PyFloat_AsDouble(v);
                if d == -1.0 && errors::occurred() {
                    return Err(fail(vm));
                }
                if ty == T_DOUBLE {
                    *(addr as *mut f64) = d;
                } else {
                    *(addr as *mut f32) = d as f32;
                }
            }
            T_STRING | T_STRING_INPLACE => {
                return Err(vm.type_error("readonly attribute"));
            }
            T_CHAR => {
                let s = super::convert::from_py(vm, v);
                let text = if vm.is_str(s) {
                    Some(vm.sp.str_of(s).to_owned())
                } else {
                    None
                };
                match text {
                    Some(t) if t.len() == 1 => *addr = t.as_bytes()[0],
                    _ => return Err(vm.type_error("bad argument type for built-in operation")),
                }
            }
            T_ULONGLONG | T_ULONG | T_UINT => {
                let x = PyLong_AsUnsignedLongLong(v);
                if x == u64::MAX && errors::occurred() {
                    return Err(fail(vm));
                }
                match ty {
                    T_UINT => *(addr as *mut u32) = x as u32,
                    _ => *(addr as *mut u64) = x,
                }
            }
            _ => {
                let x = PyLong_AsLongLong(v);
                if x == -1 && errors::occurred() {
                    return Err(fail(vm));
                }
                match ty {
                    T_SHORT => *(addr as *mut i16) = x as i16,
                    T_USHORT => *(addr as *mut u16) = x as u16,
                    T_INT => *(addr as *mut i32) = x as i32,
                    T_BYTE => *(addr as *mut i8) = x as i8,
                    T_UBYTE => *addr = x as u8,
                    T_LONG | T_LONGLONG | T_PYSSIZET => *(addr as *mut i64) = x,
                    other => {
                        return Err(vm.err(
                            vm.sp.t.system_error,
                            format!("bad memberdescr type for {name}: {other}"),
                        ))
                    }
                }
            }
        }
        Ok(())
    }
}

/// The `tp_name` of `obj`'s type.
///
/// # Safety
/// `obj` must be a live object.
unsafe fn type_name(obj: *mut PyObject) -> String {
    // SAFETY: caller's contract.
    unsafe {
        CStr::from_ptr((*(*obj).ob_type).tp_name)
            .to_string_lossy()
            .into_owned()
    }
}
