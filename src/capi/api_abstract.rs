//! The abstract object protocol: `PyObject_*` (attributes, comparison, truth, hashing,
//! repr/str, items, length, iteration, calls), `PySequence_*`, `PyNumber_*`, `PyIter_*`
//! and `PyCallable_Check` — each a call into the interpreter's own operation, so C sees
//! exactly the semantics Python code sees (dunder methods included).

#![allow(non_snake_case)]

use super::convert::*;
use super::errors::{set_from_vm, set_string, PyExc_TypeError};
use super::vm;
use crate::vm::{PyResult, Vm};
use std::ffi::{c_char, c_int, CStr};
use std::ptr::null_mut;
use thicket_cpyext::abi::*;
use thicket_cpyext::statics::*;
use thicket_object_model::Value;

fn obj(vm: &mut Vm, p: *mut PyObject) -> Value {
    // SAFETY: C passes live objects (the API contract of every function here).
    unsafe { from_py(vm, p) }
}

fn out(vm: &mut Vm, r: PyResult) -> *mut PyObject {
    match r {
        Ok(v) => new_ref(vm, v),
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

fn out_int(vm: &mut Vm, r: PyResult<c_int>) -> c_int {
    r.unwrap_or_else(|_| {
        set_from_vm(vm);
        -1
    })
}

/// The C type of `o` when it is an extension-defined type (whose slot tables, not the
/// class's special methods, decide protocol checks as in CPython).
fn c_type_of(vm: &Vm, v: Value, o: *mut PyObject) -> Option<*mut PyTypeObject> {
    if vm.sp.type_flags(v.ty()) & thicket_object_model::space::TF_C_TYPE == 0 {
        return None;
    }
    // SAFETY: a live object.
    Some(unsafe { (*o).ob_type })
}

fn cstr(s: *const c_char) -> String {
    // SAFETY: NUL-terminated strings from C.
    unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned()
}

/// The value of `operator.index(o)` as a big integer.
pub fn index_big(vm: &mut Vm, o: *mut PyObject) -> PyResult<num_bigint::BigInt> {
    let v = obj(vm, o);
    let b = vm.unwrap_builtin(v);
    if matches!(
        b.layout(),
        thicket_object_model::layout::INT | thicket_object_model::layout::BIGINT
    ) {
        return Ok(vm.sp.to_bigint(b));
    }
    let name = vm.type_name(v);
    let f = match vm.getattr_str(v, "__index__") {
        Ok(f) => f,
        Err(_) => {
            vm.take_exc();
            return Err(vm.type_error(format!(
                "'{name}' object cannot be interpreted as an integer"
            )));
        }
    };
    let r = vm.call(f, &[])?;
    let rb = vm.unwrap_builtin(r);
    if !matches!(
        rb.layout(),
        thicket_object_model::layout::INT | thicket_object_model::layout::BIGINT
    ) {
        let n = vm.type_name(r);
        return Err(vm.type_error(format!("__index__ returned non-int (type {n})")));
    }
    Ok(vm.sp.to_bigint(rb))
}

/// `PyObject_GetAttr`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_GetAttr(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let (v, n) = (obj(vm, o), obj(vm, name));
    let r = vm.getattr(v, n);
    out(vm, r)
}

/// `PyObject_GetAttrString`.
///
/// # Safety
/// A live object; `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyObject_GetAttrString(
    o: *mut PyObject,
    name: *const c_char,
) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let r = vm.getattr_str(v, &cstr(name));
    out(vm, r)
}

/// `PyObject_SetAttr` (a NULL value deletes).
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_SetAttr(
    o: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    set_or_del_attr(o, name, v, false)
}

/// `o.name = v` (`del o.name` for a NULL `v`), through the type's own `__setattr__`
/// unless `generic`.
fn set_or_del_attr(
    o: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
    generic: bool,
) -> c_int {
    let vm = vm();
    let (ov, n) = (obj(vm, o), obj(vm, name));
    let r = match (v.is_null(), generic) {
        (true, false) => vm.delattr(ov, n),
        (true, true) => vm.generic_delattr(ov, n),
        (false, g) => {
            let vv = obj(vm, v);
            if g {
                vm.generic_setattr(ov, n, vv)
            } else {
                vm.setattr(ov, n, vv)
            }
        }
    };
    out_int(vm, r.map(|_| 0))
}

/// `PyObject_SetAttrString`.
///
/// # Safety
/// Live objects; `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyObject_SetAttrString(
    o: *mut PyObject,
    name: *const c_char,
    v: *mut PyObject,
) -> c_int {
    let vm = vm();
    let n = vm.new_str(&cstr(name));
    let np = new_ref(vm, n);
    // SAFETY: forwarded; our reference released after.
    unsafe {
        let r = PyObject_SetAttr(o, np, v);
        decref(np);
        r
    }
}

/// `PyObject_HasAttrString`.
///
/// # Safety
/// A live object; `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyObject_HasAttrString(o: *mut PyObject, name: *const c_char) -> c_int {
    let vm = vm();
    let v = obj(vm, o);
    match vm.getattr_str(v, &cstr(name)) {
        Ok(_) => 1,
        Err(_) => {
            vm.take_exc();
            0
        }
    }
}

/// `PyObject_HasAttr`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_HasAttr(o: *mut PyObject, name: *mut PyObject) -> c_int {
    let vm = vm();
    let (v, n) = (obj(vm, o), obj(vm, name));
    match vm.getattr(v, n) {
        Ok(_) => 1,
        Err(_) => {
            vm.take_exc();
            0
        }
    }
}

/// `PyObject_GenericGetAttr`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_GenericGetAttr(
    o: *mut PyObject,
    name: *mut PyObject,
) -> *mut PyObject {
    let vm = vm();
    let (v, n) = (obj(vm, o), obj(vm, name));
    let r = match vm.generic_getattr_opt(v, n) {
        Ok(Some(x)) => Ok(x),
        Ok(None) => {
            let n = obj(vm, name);
            let v = obj(vm, o);
            Err(vm.no_attr(v, n))
        }
        Err(e) => Err(e),
    };
    out(vm, r)
}

/// `PyObject_GenericSetAttr` (NULL value: delete), bypassing the type's own
/// `__setattr__`.
///
/// # Safety
/// Live objects; `value` null or live.
#[no_mangle]
pub unsafe extern "C" fn PyObject_GenericSetAttr(
    o: *mut PyObject,
    name: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    set_or_del_attr(o, name, value, true)
}

/// `PyObject_Print`: writes `repr(o)` (`str(o)` with `Py_PRINT_RAW`), or `<nil>` for
/// NULL, to a C stream, after flushing the interpreter's own output.
///
/// # Safety
/// `o` null or live; `fp` an open C stream.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Print(
    o: *mut PyObject,
    fp: *mut libc::FILE,
    flags: c_int,
) -> c_int {
    let vm = vm();
    vm.flush_out();
    let text = if o.is_null() {
        Ok("<nil>".to_owned())
    } else {
        let v = obj(vm, o);
        let r = if flags & 1 != 0 {
            vm.to_str(v)
        } else {
            vm.to_repr(v)
        };
        r.map(|s| vm.sp.str_of(s).to_owned())
    };
    match text {
        Ok(t) => {
            // SAFETY: caller's contract: `fp` is an open stream; `t` outlives the call.
            let n = unsafe { libc::fwrite(t.as_ptr().cast(), 1, t.len(), fp) };
            if n != t.len() {
                let _ = vm.err(vm.sp.t.os_error, "PyObject_Print: write failed");
                set_from_vm(vm);
                return -1;
            }
            0
        }
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

/// `PyObject_HashNotImplemented`: raises TypeError (unhashable type).
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_HashNotImplemented(o: *mut PyObject) -> isize {
    let vm = vm();
    let v = obj(vm, o);
    let _ = vm.type_error(format!("unhashable type: '{}'", vm.type_name(v)));
    set_from_vm(vm);
    -1
}

/// `PyObject_IsTrue`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_IsTrue(o: *mut PyObject) -> c_int {
    let vm = vm();
    let v = obj(vm, o);
    let r = vm.truthy(v);
    out_int(vm, r.map(|b| b as c_int))
}

/// `PyObject_Not`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Not(o: *mut PyObject) -> c_int {
    // SAFETY: forwarded.
    match unsafe { PyObject_IsTrue(o) } {
        -1 => -1,
        x => (x == 0) as c_int,
    }
}

fn cmp_op(op: c_int) -> Option<crate::bytecode::CmpOp> {
    use crate::bytecode::CmpOp::*;
    Some(match op {
        0 => Lt,
        1 => Le,
        2 => Eq,
        3 => Ne,
        4 => Gt,
        5 => Ge,
        _ => return None,
    })
}

/// `PyObject_RichCompare`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_RichCompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    let vm = vm();
    let Some(op) = cmp_op(op) else {
        super::errors::PyErr_BadInternalCall();
        return null_mut();
    };
    let (x, y) = (obj(vm, a), obj(vm, b));
    let r = vm.compare(op, x, y);
    out(vm, r)
}

/// `PyObject_RichCompareBool` (identity implies equality, as in CPython).
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_RichCompareBool(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> c_int {
    if a == b {
        if op == 2 {
            return 1;
        }
        if op == 3 {
            return 0;
        }
    }
    let vm = vm();
    let Some(op) = cmp_op(op) else {
        super::errors::PyErr_BadInternalCall();
        return -1;
    };
    let (x, y) = (obj(vm, a), obj(vm, b));
    let r = vm.compare_bool(op, x, y);
    out_int(vm, r.map(|b| b as c_int))
}

/// `PyObject_Hash`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Hash(o: *mut PyObject) -> isize {
    let vm = vm();
    let v = obj(vm, o);
    match vm.hash(v) {
        Ok(h) => h as isize,
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

/// `PyObject_Repr`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Repr(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let r = vm.to_repr(v);
    out(vm, r)
}

/// `PyObject_Str`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Str(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let r = vm.to_str(v);
    out(vm, r)
}

/// `PyObject_Size` / `PyObject_Length`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Size(o: *mut PyObject) -> isize {
    let vm = vm();
    let v = obj(vm, o);
    match vm.len(v) {
        Ok(n) => n as isize,
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

/// `PyObject_Length`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Length(o: *mut PyObject) -> isize {
    // SAFETY: forwarded.
    unsafe { PyObject_Size(o) }
}

/// `PyObject_GetItem`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_GetItem(o: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let (c, kv) = (obj(vm, o), obj(vm, k));
    let r = vm.getitem(c, kv);
    out(vm, r)
}

/// `PyObject_SetItem`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_SetItem(
    o: *mut PyObject,
    k: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    let vm = vm();
    let (c, kv, vv) = (obj(vm, o), obj(vm, k), obj(vm, v));
    let r = vm.setitem(c, kv, vv);
    out_int(vm, r.map(|_| 0))
}

/// `PyObject_DelItem`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_DelItem(o: *mut PyObject, k: *mut PyObject) -> c_int {
    let vm = vm();
    let (c, kv) = (obj(vm, o), obj(vm, k));
    let r = vm.delitem(c, kv);
    out_int(vm, r.map(|_| 0))
}

/// `PyObject_GetIter`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_GetIter(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let r = vm.get_iter(v);
    out(vm, r)
}

/// `PyIter_Next`: the next item, or NULL at the end (no error) or on error.
///
/// # Safety
/// A live iterator.
#[no_mangle]
pub unsafe extern "C" fn PyIter_Next(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    match vm.iter_next(v) {
        Ok(Some(x)) => new_ref(vm, x),
        Ok(None) => null_mut(),
        Err(_) => {
            set_from_vm(vm);
            null_mut()
        }
    }
}

/// `PyObject_IsInstance`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_IsInstance(o: *mut PyObject, cls: *mut PyObject) -> c_int {
    let vm = vm();
    let (v, c) = (obj(vm, o), obj(vm, cls));
    let r = crate::vm::builtins::isinstance_of(vm, v, c);
    out_int(vm, r.map(|b| b as c_int))
}

/// `PyObject_IsSubclass`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_IsSubclass(o: *mut PyObject, cls: *mut PyObject) -> c_int {
    let vm = vm();
    let (v, c) = (obj(vm, o), obj(vm, cls));
    let b = vm.builtins();
    let k = vm.sp.intern("issubclass");
    let f = vm.sp.dict_get_str(b, k).expect("builtin issubclass");
    let r = vm.call(f, &[v, c]);
    match r {
        Ok(b) => b.is(vm.sp.true_) as c_int,
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

/// `PyType_IsSubtype`.
///
/// # Safety
/// Type objects.
#[no_mangle]
pub unsafe extern "C" fn PyType_IsSubtype(a: *mut PyTypeObject, b: *mut PyTypeObject) -> c_int {
    if a == b {
        return 1;
    }
    // SAFETY: a ready type's base chain.
    unsafe {
        let mut t = (*a).tp_base;
        while !t.is_null() {
            if t == b {
                return 1;
            }
            t = (*t).tp_base;
        }
    }
    let vm = vm();
    let (x, y) = (obj(vm, a as *mut PyObject), obj(vm, b as *mut PyObject));
    vm.sp.is_subtype(x, y) as c_int
}

/// `PyCallable_Check`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyCallable_Check(o: *mut PyObject) -> c_int {
    let vm = vm();
    let v = obj(vm, o);
    crate::vm::builtins::is_callable(vm, v) as c_int
}

/// `PyObject_Call(callable, args, kwargs)`.
///
/// # Safety
/// Live objects (`kw` may be null).
#[no_mangle]
pub unsafe extern "C" fn PyObject_Call(
    f: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    let vm = vm();
    let (fv, av) = (obj(vm, f), obj(vm, args));
    let kv = if kw.is_null() {
        None
    } else {
        Some(obj(vm, kw))
    };
    let r = vm.call_ex(fv, av, kv);
    out(vm, r)
}

/// `PyObject_CallObject(callable, args-or-NULL)`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_CallObject(
    f: *mut PyObject,
    args: *mut PyObject,
) -> *mut PyObject {
    let vm = vm();
    let fv = obj(vm, f);
    let r = if args.is_null() {
        vm.call(fv, &[])
    } else {
        let av = obj(vm, args);
        vm.call_ex(fv, av, None)
    };
    out(vm, r)
}

/// `PyObject_CallNoArgs`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_CallNoArgs(f: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let fv = obj(vm, f);
    let r = vm.call(fv, &[]);
    out(vm, r)
}

/// `PyObject_CallOneArg`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyObject_CallOneArg(f: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let (fv, av) = (obj(vm, f), obj(vm, a));
    let r = vm.call(fv, &[av]);
    out(vm, r)
}

/// `PyObject_Vectorcall`: positional arguments, then keyword values named by `kwnames`.
///
/// # Safety
/// `args` holds the arguments; `kwnames` null or a tuple of strs.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Vectorcall(
    f: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let vm = vm();
    let n = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
    // SAFETY: caller's contract.
    unsafe {
        let nk = if kwnames.is_null() {
            0
        } else {
            (*(kwnames as *mut PyVarObject)).ob_size as usize
        };
        let pos: Vec<Value> = (0..n).map(|i| obj(vm, *args.add(i))).collect();
        let t = vm.sp.new_tuple(&pos);
        let kw = if nk > 0 {
            let d = vm.sp.new_dict();
            for i in 0..nk {
                let k = obj(vm, *tuple_items(kwnames).add(i));
                let v = obj(vm, *args.add(n + i));
                vm.sp.dict_set_str(d, k, v);
            }
            Some(d)
        } else {
            None
        };
        let fv = obj(vm, f);
        let r = vm.call_ex(fv, t, kw);
        out(vm, r)
    }
}

/// `PySequence_Check`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Check(o: *mut PyObject) -> c_int {
    let vm = vm();
    let v = obj(vm, o);
    if let Some(t) = c_type_of(vm, v, o) {
        // SAFETY: an extension's type object; its tables are null or valid.
        return unsafe {
            !(*t).tp_as_sequence.is_null() && !(*(*t).tp_as_sequence).sq_item.is_null()
        } as c_int;
    }
    if vm.sp.kind(vm.unwrap_builtin(v)) == thicket_object_model::builtin_types::Kind::Dict {
        return 0;
    }
    let gi = vm.sp.intern("__getitem__");
    vm.lookup_type_attr(v.ty(), gi).is_some() as c_int
}

/// `PySequence_Size`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Size(o: *mut PyObject) -> isize {
    // SAFETY: forwarded.
    unsafe { PyObject_Size(o) }
}

/// `PySequence_GetItem`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PySequence_GetItem(o: *mut PyObject, i: isize) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let k = vm.sp.new_int(i as i64);
    let r = vm.getitem(v, k);
    out(vm, r)
}

/// `PySequence_Fast`: the object itself if a list or tuple, else a new list.
///
/// # Safety
/// A live object; `msg` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Fast(o: *mut PyObject, msg: *const c_char) -> *mut PyObject {
    // SAFETY: a live object.
    unsafe {
        let fl = (*(*o).ob_type).tp_flags;
        if fl & (Py_TPFLAGS_LIST_SUBCLASS | Py_TPFLAGS_TUPLE_SUBCLASS) != 0 {
            let vm = vm();
            let v = obj(vm, o);
            let p = to_py(vm, v); // (brings a list proxy up to date)
            incref(p);
            return p;
        }
    }
    let vm = vm();
    let v = obj(vm, o);
    match vm.list_from_iter(v) {
        Ok(l) => new_ref(vm, l),
        Err(_) => {
            vm.take_exc();
            // SAFETY: the exported variable, set when the C-API started.
            set_string(vm, unsafe { PyExc_TypeError }, &cstr(msg));
            null_mut()
        }
    }
}

/// `PySequence_List`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PySequence_List(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let r = vm.list_from_iter(v);
    out(vm, r)
}

/// `PySequence_Tuple`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Tuple(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let t = vm.sp.t.tuple;
    let r = vm.call(t, &[v]);
    out(vm, r)
}

/// `PySequence_Contains`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Contains(o: *mut PyObject, x: *mut PyObject) -> c_int {
    let vm = vm();
    let (c, v) = (obj(vm, o), obj(vm, x));
    let r = vm.contains(c, v);
    out_int(vm, r.map(|b| b as c_int))
}

/// `PyMapping_Check`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_Check(o: *mut PyObject) -> c_int {
    let vm = vm();
    let v = obj(vm, o);
    if let Some(t) = c_type_of(vm, v, o) {
        // SAFETY: an extension's type object; its tables are null or valid.
        return unsafe {
            !(*t).tp_as_mapping.is_null() && (*(*t).tp_as_mapping).mp_subscript.is_some()
        } as c_int;
    }
    let gi = vm.sp.intern("__getitem__");
    // A `__getitem__` inherited from a C sequence's `sq_item` does not make a mapping.
    vm.lookup_type_attr(v.ty(), gi)
        .is_some_and(|m| !super::ctype::is_sq_item_wrapper(vm, m)) as c_int
}

/// `PyNumber_Index`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Index(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let r = index_big(vm, o).map(|b| vm.int_from(b));
    out(vm, r)
}

/// `PyIndex_Check`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyIndex_Check(o: *mut PyObject) -> c_int {
    let vm = vm();
    let v = obj(vm, o);
    let b = vm.unwrap_builtin(v);
    if matches!(
        b.layout(),
        thicket_object_model::layout::INT | thicket_object_model::layout::BIGINT
    ) {
        return 1;
    }
    let n = vm.sp.intern("__index__");
    vm.lookup_type_attr(v.ty(), n).is_some() as c_int
}

/// `PyNumber_Long`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Long(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let t = vm.sp.t.int;
    let r = vm.call(t, &[v]);
    out(vm, r)
}

/// `PyNumber_Float`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Float(o: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let t = vm.sp.t.float;
    let r = vm.call(t, &[v]);
    out(vm, r)
}

/// Defines binary `PyNumber_*` functions over one VM operation (`binary_op`, or
/// `inplace_op`, which falls back to the plain operator as Python does).
macro_rules! number_binops {
    ($method:ident: $($name:ident => $op:ident,)*) => {
        $(
            #[doc = concat!("`", stringify!($name), "` (`Vm::", stringify!($method), "`).")]
            ///
            /// # Safety
            /// Live objects.
            #[no_mangle]
            pub unsafe extern "C" fn $name(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
                let vm = vm();
                let (x, y) = (obj(vm, a), obj(vm, b));
                let r = vm.$method(crate::bytecode::BinOp::$op, x, y);
                out(vm, r)
            }
        )*
    };
}

number_binops! { binary_op:
    PyNumber_Add => Add, PyNumber_Subtract => Sub, PyNumber_Multiply => Mul,
    PyNumber_TrueDivide => TrueDiv, PyNumber_FloorDivide => FloorDiv,
    PyNumber_Remainder => Mod, PyNumber_Lshift => LShift, PyNumber_Rshift => RShift,
    PyNumber_And => And, PyNumber_Or => Or, PyNumber_Xor => Xor,
    PyNumber_MatrixMultiply => MatMul,
}

number_binops! { inplace_op:
    PyNumber_InPlaceAdd => Add, PyNumber_InPlaceSubtract => Sub,
    PyNumber_InPlaceMultiply => Mul, PyNumber_InPlaceMatrixMultiply => MatMul,
    PyNumber_InPlaceTrueDivide => TrueDiv, PyNumber_InPlaceFloorDivide => FloorDiv,
    PyNumber_InPlaceRemainder => Mod, PyNumber_InPlaceLshift => LShift,
    PyNumber_InPlaceRshift => RShift, PyNumber_InPlaceAnd => And,
    PyNumber_InPlaceOr => Or, PyNumber_InPlaceXor => Xor,
}

macro_rules! unary_ops {
    ($($name:ident => $op:ident,)*) => {
        $(
            #[doc = concat!("`", stringify!($name), "`.")]
            ///
            /// # Safety
            /// A live object.
            #[no_mangle]
            pub unsafe extern "C" fn $name(a: *mut PyObject) -> *mut PyObject {
                let vm = vm();
                let x = obj(vm, a);
                let r = vm.unary_op(crate::bytecode::UnaryOp::$op, x);
                out(vm, r)
            }
        )*
    };
}

unary_ops! {
    PyNumber_Negative => Neg, PyNumber_Positive => Pos, PyNumber_Invert => Invert,
}

/// A built-in function by name (`abs`, `divmod`, `pow`, `format`...).
fn builtin(vm: &mut Vm, name: &str) -> PyResult {
    let b = vm.builtins();
    let k = vm.sp.intern(name);
    if b.layout() == thicket_object_model::layout::DICT {
        if let Some(f) = vm.sp.dict_get_str(b, k) {
            return Ok(f);
        }
    }
    vm.getattr(b, k)
}

/// Calls built-in `name` with C arguments (null ones left out).
fn call_builtin(name: &str, args: &[*mut PyObject]) -> *mut PyObject {
    let vm = vm();
    let f = match builtin(vm, name) {
        Ok(f) => f,
        Err(_) => {
            set_from_vm(vm);
            return null_mut();
        }
    };
    let fr = vm.push_root(f);
    let mark = vm.mark();
    for &a in args.iter().filter(|a| !a.is_null()) {
        let v = obj(vm, a);
        vm.push_root(v);
    }
    let vals: Vec<Value> = (mark..vm.mark()).map(|i| vm.root(i)).collect();
    let f = vm.root(fr);
    let r = vm.call(f, &vals);
    vm.reset_roots(fr);
    out(vm, r)
}

/// `PyNumber_Absolute`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Absolute(a: *mut PyObject) -> *mut PyObject {
    call_builtin("abs", &[a])
}

/// `PyNumber_Divmod`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    call_builtin("divmod", &[a, b])
}

/// `PyNumber_Power(a, b, c)`: `pow(a, b)` when `c` is None, else `pow(a, b, c)`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Power(
    a: *mut PyObject,
    b: *mut PyObject,
    c: *mut PyObject,
) -> *mut PyObject {
    power(a, b, c, false)
}

/// `PyNumber_InPlacePower`.
///
/// # Safety
/// Live objects.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlacePower(
    a: *mut PyObject,
    b: *mut PyObject,
    c: *mut PyObject,
) -> *mut PyObject {
    power(a, b, c, true)
}

/// `a ** b` (in place if `inplace`) when `c` is None or NULL, else `pow(a, b, c)`.
fn power(a: *mut PyObject, b: *mut PyObject, c: *mut PyObject, inplace: bool) -> *mut PyObject {
    if c.is_null() || c == &raw mut _Py_NoneStruct {
        let vm = vm();
        let (x, y) = (obj(vm, a), obj(vm, b));
        let r = if inplace {
            vm.inplace_op(crate::bytecode::BinOp::Pow, x, y)
        } else {
            vm.binary_op(crate::bytecode::BinOp::Pow, x, y)
        };
        return out(vm, r);
    }
    call_builtin("pow", &[a, b, c])
}

/// `PyObject_Format(o, spec)` (`format(o, spec)`; NULL spec is "").
///
/// # Safety
/// Live objects (`spec` may be null).
#[no_mangle]
pub unsafe extern "C" fn PyObject_Format(o: *mut PyObject, spec: *mut PyObject) -> *mut PyObject {
    call_builtin("format", &[o, spec])
}

/// `PyIter_Check`: whether the object's type has `__next__`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyIter_Check(o: *mut PyObject) -> c_int {
    let vm = vm();
    let v = obj(vm, o);
    let n = vm.sp.intern("__next__");
    vm.lookup_type_attr(v.ty(), n).is_some() as c_int
}

/// `PyMapping_Size`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_Size(o: *mut PyObject) -> isize {
    // SAFETY: forwarded.
    unsafe { PyObject_Size(o) }
}

/// `list(o.<method>())`, for the `PyMapping_Keys`/`Values`/`Items` family.
fn mapping_list(o: *mut PyObject, method: &str) -> *mut PyObject {
    let vm = vm();
    let v = obj(vm, o);
    let r = (|| {
        let m = vm.getattr_str(v, method)?;
        let it = vm.call(m, &[])?;
        vm.list_from_iter(it)
    })();
    out(vm, r)
}

/// `PyMapping_Keys`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_Keys(o: *mut PyObject) -> *mut PyObject {
    mapping_list(o, "keys")
}

/// `PyMapping_Values`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_Values(o: *mut PyObject) -> *mut PyObject {
    mapping_list(o, "values")
}

/// `PyMapping_Items`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_Items(o: *mut PyObject) -> *mut PyObject {
    mapping_list(o, "items")
}

// ---- census additions ----

/// `PyObject_VectorcallMethod(name, args, nargsf, kwnames)`: calls method `name` of
/// `args[0]` with the other arguments (keyword values named by `kwnames` last).
///
/// # Safety
/// `args` holds at least the receiver and the arguments; `kwnames` null or a tuple of
/// strs; `name` a str.
#[no_mangle]
pub unsafe extern "C" fn PyObject_VectorcallMethod(
    name: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let vm = vm();
    // SAFETY: caller's contract: `args[0]` is the receiver.
    let (recv, n) = unsafe { (*args, nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET) };
    let (rv, nv) = (obj(vm, recv), obj(vm, name));
    let m = match vm.getattr(rv, nv) {
        Ok(m) => m,
        Err(_) => {
            set_from_vm(vm);
            return null_mut();
        }
    };
    let mp = new_ref(vm, m);
    // SAFETY: the rest of the arguments follow the receiver; `mp` is ours to release.
    unsafe {
        let r = PyObject_Vectorcall(mp, args.add(1), n.saturating_sub(1), kwnames);
        decref(mp);
        r
    }
}

/// `PyObject_LengthHint(o, default)`: `len(o)` if it has one (a `TypeError` from it
/// falls through), else `o.__length_hint__()` (`NotImplemented` or none: `default`),
/// checked as `operator.length_hint` checks it.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_LengthHint(o: *mut PyObject, dflt: isize) -> isize {
    let vm = vm();
    let v = obj(vm, o);
    let has_len = {
        let k = vm.sp.intern("__len__");
        vm.lookup_type_attr(v.ty(), k).is_some()
    };
    if has_len {
        match vm.len(v) {
            Ok(n) => return n as isize,
            Err(_) => {
                let e = vm.take_exc();
                if !vm.sp.isinstance(e, vm.sp.t.type_error) {
                    let _ = vm.raise(e);
                    set_from_vm(vm);
                    return -1;
                }
            }
        }
    }
    let v = obj(vm, o);
    let k = vm.sp.intern("__length_hint__");
    let Some(_) = vm.lookup_type_attr(v.ty(), k) else {
        return dflt;
    };
    let r = match vm
        .getattr_str(v, "__length_hint__")
        .and_then(|f| vm.call(f, &[]))
    {
        Ok(r) => r,
        Err(_) => {
            let e = vm.take_exc();
            if vm.sp.isinstance(e, vm.sp.t.type_error) {
                return dflt;
            }
            let _ = vm.raise(e);
            set_from_vm(vm);
            return -1;
        }
    };
    if r.is(vm.sp.not_implemented) {
        return dflt;
    }
    let rb = vm.unwrap_builtin(r);
    if !matches!(
        rb.layout(),
        thicket_object_model::layout::INT | thicket_object_model::layout::BIGINT
    ) {
        let n = vm.type_name(r);
        let _ = vm.type_error(format!("__length_hint__ must be an integer, not {n}"));
        set_from_vm(vm);
        return -1;
    }
    use num_traits::ToPrimitive;
    match vm.sp.to_bigint(rb).to_isize() {
        Some(x) if x >= 0 => x,
        Some(_) => {
            let _ = vm.value_error("__length_hint__() should return >= 0");
            set_from_vm(vm);
            -1
        }
        None => {
            let t = vm.sp.t.overflow_error;
            let _ = vm.err(t, "cannot fit 'int' into an index-sized integer");
            set_from_vm(vm);
            -1
        }
    }
}

/// `PyObject_Dir(o)`: `dir(o)` (for NULL, `dir()` of the running frame).
///
/// # Safety
/// Null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyObject_Dir(o: *mut PyObject) -> *mut PyObject {
    call_builtin("dir", &[o])
}

/// `PyNumber_ToBase(n, base)`: `bin`, `oct`, `str` or `hex` of `operator.index(n)` for
/// base 2, 8, 10, 16; any other base is a `SystemError`.
///
/// # Safety
/// A live object.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_ToBase(n: *mut PyObject, base: c_int) -> *mut PyObject {
    let f = match base {
        2 => "bin",
        8 => "oct",
        10 => "str",
        16 => "hex",
        _ => {
            // SAFETY: the exported variable.
            set_string(
                vm(),
                unsafe { super::errors::PyExc_SystemError },
                "PyNumber_ToBase: base must be 2, 8, 10 or 16",
            );
            return null_mut();
        }
    };
    // SAFETY: forwarded.
    let i = unsafe { PyNumber_Index(n) };
    if i.is_null() {
        return null_mut();
    }
    let r = call_builtin(f, &[i]);
    // SAFETY: our reference from `PyNumber_Index`.
    unsafe { decref(i) };
    r
}

/// `PyNumber_AsSsize_t(o, exc)`: `operator.index(o)` as a `Py_ssize_t`; out of range,
/// clamped when `exc` is NULL, else `exc` raised ("cannot fit 'T' into an index-sized
/// integer").
///
/// # Safety
/// A live object; `exc` null or an exception type.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_AsSsize_t(o: *mut PyObject, exc: *mut PyObject) -> isize {
    use num_traits::{Signed, ToPrimitive};
    let vm = vm();
    let b = match index_big(vm, o) {
        Ok(b) => b,
        Err(_) => {
            set_from_vm(vm);
            return -1;
        }
    };
    if let Some(x) = b.to_isize() {
        return x;
    }
    if exc.is_null() {
        return if b.is_negative() {
            isize::MIN
        } else {
            isize::MAX
        };
    }
    let v = obj(vm, o);
    let n = vm.type_name(v);
    set_string(
        vm,
        exc,
        &format!("cannot fit '{n}' into an index-sized integer"),
    );
    -1
}
