//! C functions as Python callables: a `PyMethodDef` bound to a `self` (the module for
//! module functions; none for a type's method descriptors, which take `self` as their
//! first argument), called with the convention its `METH_*` flags name: NOARGS, O,
//! VARARGS (± KEYWORDS), FASTCALL (± KEYWORDS) and METHOD|FASTCALL|KEYWORDS.
//!
//! Arguments reach C as borrowed references to their proxies (the objects stay rooted in
//! the caller's frame); the argument tuple of VARARGS calls is a C-first tuple released
//! after the call, so nothing is allocated on the GC heap unless C keeps it. The result
//! (a new reference) is converted back, and the NULL/exception consistency CPython
//! enforces is checked: NULL without an exception, or a result with one set, becomes a
//! `SystemError`.

use super::convert::{
    from_py, long_value, new_long_raw, new_ref, new_tuple_raw, to_py, tuple_items,
};
use super::errors;
use crate::vm::{Args, PyResult, Vm};
use std::ffi::CStr;
use std::ptr::null_mut;
use thicket_cpyext::abi::*;
use thicket_cpyext::statics::{decref, decref_opt, incref, PyList_Type, PyLong_Type, PyTuple_Type};
use thicket_gc::{TypeDesc, TypeId};
use thicket_object_model::layout as l;
use thicket_object_model::space::{SMALL_INT_MAX, SMALL_INT_MIN};
use thicket_object_model::Value;

/// Offset of the `PyMethodDef*`.
const CF_DEF: usize = 16;
/// Offset of the bound `self` (or none).
const CF_SELF: usize = 24;
/// Offset of the defining class (METH_METHOD) or none.
const CF_CLASS: usize = 32;

/// Registers the layout of C functions.
pub fn register_layout(vm: &mut Vm) -> TypeId {
    vm.sp
        .heap
        .register(TypeDesc::fixed("cfunction", 40, &[8, CF_SELF, CF_CLASS]))
        .expect("registering the C function layout")
}

/// A callable for `def`, bound to `self_` (module functions) or unbound (a method
/// descriptor of `class`, taking `self` as its first argument).
pub fn new_cfunc(
    vm: &mut Vm,
    def: *mut PyMethodDef,
    self_: Option<Value>,
    class: Option<Value>,
) -> Value {
    let lay = vm.capi.as_ref().expect("capi").cfunc_layout;
    // SAFETY: a fresh object of the registered layout; fields written before use.
    unsafe {
        let o = Value(
            vm.sp
                .heap
                .alloc_raw(lay, 0, false)
                .expect("allocating a C function"),
        );
        o.set(8, Some(vm.sp.t.builtin_function));
        o.set::<i64>(CF_DEF, def as i64);
        o.set(CF_SELF, self_);
        o.set(CF_CLASS, class);
        o
    }
}

/// Whether `f` is a C function.
pub fn is_cfunc(vm: &Vm, f: Value) -> bool {
    vm.capi
        .as_ref()
        .is_some_and(|c| f.layout() == c.cfunc_layout)
}

/// The name of a C function.
pub fn cfunc_name(f: Value) -> String {
    // SAFETY: a C function object; its def lives as long as the module.
    unsafe {
        let def = f.get::<i64>(CF_DEF) as *mut PyMethodDef;
        CStr::from_ptr((*def).ml_name)
            .to_string_lossy()
            .into_owned()
    }
}

/// The definition of a C function.
pub fn cfunc_def(f: Value) -> *mut PyMethodDef {
    // SAFETY: a C function object.
    unsafe { f.get::<i64>(CF_DEF) as *mut PyMethodDef }
}

/// The `METH_*` flags of a C function.
pub fn cfunc_flags(f: Value) -> i32 {
    // SAFETY: a C function object; its def lives as long as the module.
    unsafe { (*cfunc_def(f)).ml_flags }
}

/// Whether the C function is bound (a module function).
pub fn cfunc_is_bound(f: Value) -> bool {
    // SAFETY: a C function object.
    unsafe { f.get_ref(CF_SELF).is_some() }
}

type NoArgs = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type VarKw = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, isize) -> *mut PyObject;
type FastKw = unsafe extern "C" fn(
    *mut PyObject,
    *const *mut PyObject,
    isize,
    *mut PyObject,
) -> *mut PyObject;
type MethodKw = unsafe extern "C" fn(
    *mut PyObject,
    *mut PyTypeObject,
    *const *mut PyObject,
    isize,
    *mut PyObject,
) -> *mut PyObject;

/// Most positional arguments passed to a FASTCALL function from a stack array.
const SMALL: usize = 8;

/// The TypeError for keywords passed to a function that takes none (kept out of line).
#[cold]
#[inline(never)]
fn no_keywords(vm: &mut Vm, def: *mut PyMethodDef) -> crate::vm::Raised {
    let name = def_name(def);
    vm.type_error(format!("{name}() takes no keyword arguments"))
}

/// The name in a method definition.
fn def_name(def: *mut PyMethodDef) -> String {
    // SAFETY: a valid PyMethodDef with a NUL-terminated name.
    unsafe {
        CStr::from_ptr((*def).ml_name)
            .to_string_lossy()
            .into_owned()
    }
}

/// Int arguments with no proxy yet are passed to C as *C-first* ints made for the call
/// (count 1, held by the call, no link): when the call returns the reference is dropped,
/// which frees the proxy unless C kept one. C that hands such an int back to Python gets
/// a new GC int of the same value (ints have no identity to keep); nothing is linked
/// unless that happens.
struct Fresh {
    n: usize,
    p: [*mut PyObject; SMALL],
}

impl Fresh {
    fn new() -> Fresh {
        Fresh {
            n: 0,
            p: [null_mut(); SMALL],
        }
    }
}

/// The proxy of argument `i` (borrowed for the call), a C-first int noted in `fresh`
/// for an int that has none (see [`Fresh`]).
#[inline]
fn arg_proxy(vm: &mut Vm, args: &Args, i: usize, fresh: &mut Fresh) -> *mut PyObject {
    let a = args.get(i);
    if a.layout() == l::INT && fresh.n < SMALL {
        if let Some(x) = vm.sp.small_int(a) {
            // SAFETY: a live object (rooted in the caller's frame).
            if !(SMALL_INT_MIN..=SMALL_INT_MAX).contains(&x)
                && unsafe { vm.sp.heap.extref_proxy_of(a.0) }.is_none()
            {
                let p = new_long_raw(x);
                // SAFETY: a fresh int object: the call's reference.
                unsafe { (*p).ob_refcnt = 1 };
                fresh.p[fresh.n] = p;
                fresh.n += 1;
                return p;
            }
        }
    }
    to_py(vm, a)
}

/// [`take`] for the item in `slot` of a container being taken: the container's
/// reference to the item is released here and the slot cleared, so the container's
/// deallocation has nothing left to release.
///
/// # Safety
/// `slot` must hold an owned reference to a live object, in a container that is
/// released right after without other use.
#[inline]
unsafe fn take_item(vm: &mut Vm, slot: *mut *mut PyObject) -> Value {
    // SAFETY: caller's contract.
    unsafe {
        let it = *slot;
        let v = take(vm, it);
        *slot = null_mut();
        release_int_or_decref(it);
        v
    }
}

/// Drops the call's references to the ints in `fresh`.
fn release_fresh(fresh: &Fresh) {
    for &p in &fresh.p[..fresh.n] {
        // SAFETY: the reference taken in `arg_proxy`.
        unsafe { release_int_or_decref(p) };
    }
}

/// Drops a reference: an exact int whose last reference this is (so unlinked) is freed
/// directly, as its type's `tp_dealloc` would; anything else goes through `decref`.
///
/// # Safety
/// `p` must be a live object the caller owns a reference to.
#[inline]
unsafe fn release_int_or_decref(p: *mut PyObject) {
    // SAFETY: caller's contract; an int has no references to release.
    unsafe {
        if (*p).ob_refcnt == 1 && (*p).ob_type == &raw mut PyLong_Type {
            (*p).ob_refcnt = 0;
            thicket_cpyext::proxy::free_small(p);
        } else {
            decref(p);
        }
    }
}

/// Calls the C function `f`.
pub fn call_cfunc(vm: &mut Vm, f: Value, args: &Args) -> PyResult {
    super::release_dead(vm);
    let _calling = super::list_writeback::enter(vm);
    // SAFETY: a C function object; the def outlives the module.
    let (def, bound, class) = unsafe {
        (
            f.get::<i64>(CF_DEF) as *mut PyMethodDef,
            f.get_ref(CF_SELF),
            f.get_ref(CF_CLASS),
        )
    };
    // SAFETY: a valid PyMethodDef.
    let (meth, flags) = unsafe { ((*def).ml_meth, (*def).ml_flags) };
    let (selfp, first) = match bound {
        Some(s) => (to_py(vm, s), 0),
        None => {
            if args.is_empty() {
                let name = def_name(def);
                return Err(vm.type_error(format!("unbound method {name}() needs an argument")));
            }
            (to_py(vm, args.get(0)), 1)
        }
    };
    let npos = args.len() - first;
    let nkw = args.nkw();
    let conv = flags & !(METH_CLASS | METH_STATIC | METH_COEXIST);
    let no_kw = |vm: &mut Vm| -> PyResult<()> {
        if nkw > 0 {
            return Err(no_keywords(vm, def));
        }
        Ok(())
    };
    let mut fresh = Fresh::new();
    let _enter = super::Enter::new(vm);
    // SAFETY: each branch calls `meth` with the signature its flags promise; argument
    // proxies are borrowed references kept alive by `args` (rooted by the caller).
    let r = unsafe {
        match conv {
            METH_NOARGS => {
                no_kw(vm)?;
                if npos != 0 {
                    let name = def_name(def);
                    return Err(
                        vm.type_error(format!("{name}() takes no arguments ({npos} given)"))
                    );
                }
                let m: NoArgs = std::mem::transmute(meth);
                m(selfp, null_mut())
            }
            METH_O => {
                no_kw(vm)?;
                if npos != 1 {
                    let name = def_name(def);
                    return Err(vm.type_error(format!(
                        "{name}() takes exactly one argument ({npos} given)"
                    )));
                }
                let a = arg_proxy(vm, args, first, &mut fresh);
                let m: NoArgs = std::mem::transmute(meth);
                m(selfp, a)
            }
            METH_VARARGS | 0 => {
                no_kw(vm)?;
                let t = arg_tuple_noting(vm, args, first, &mut fresh);
                let m: NoArgs = std::mem::transmute(meth);
                let r = m(selfp, t);
                decref(t);
                r
            }
            x if x == METH_VARARGS | METH_KEYWORDS => {
                let t = arg_tuple_noting(vm, args, first, &mut fresh);
                let kw = kw_dict(vm, args);
                let m: VarKw = std::mem::transmute(meth);
                let r = m(selfp, t, kw);
                decref(t);
                decref_opt(kw);
                r
            }
            METH_FASTCALL => {
                no_kw(vm)?;
                let m: Fast = std::mem::transmute(meth);
                if npos <= SMALL {
                    let mut v = [null_mut(); SMALL];
                    for (k, slot) in v[..npos].iter_mut().enumerate() {
                        *slot = arg_proxy(vm, args, first + k, &mut fresh);
                    }
                    m(selfp, v.as_ptr(), npos as isize)
                } else {
                    let v: Vec<*mut PyObject> = (first..args.len())
                        .map(|i| to_py(vm, args.get(i)))
                        .collect();
                    m(selfp, v.as_ptr(), npos as isize)
                }
            }
            x if x == METH_FASTCALL | METH_KEYWORDS
                || x == METH_METHOD | METH_FASTCALL | METH_KEYWORDS =>
            {
                let mut v: Vec<*mut PyObject> = (first..args.len())
                    .map(|i| to_py(vm, args.get(i)))
                    .collect();
                let mut kwnames = null_mut();
                if nkw > 0 {
                    for i in 0..nkw {
                        let (_, kv) = args.kw_at(i);
                        v.push(to_py(vm, kv));
                    }
                    let names = new_tuple_raw(nkw);
                    for i in 0..nkw {
                        let (k, _) = args.kw_at(i);
                        tuple_items(names).add(i).write(new_ref(vm, k));
                    }
                    incref(names);
                    kwnames = names;
                }
                let r = if x & METH_METHOD != 0 {
                    let cls = match class {
                        Some(c) => to_py(vm, c) as *mut PyTypeObject,
                        None => null_mut(),
                    };
                    let m: MethodKw = std::mem::transmute(meth);
                    m(selfp, cls, v.as_ptr(), npos as isize, kwnames)
                } else {
                    let m: FastKw = std::mem::transmute(meth);
                    m(selfp, v.as_ptr(), npos as isize, kwnames)
                };
                decref_opt(kwnames);
                r
            }
            _ => {
                let name = def_name(def);
                return Err(vm.err(
                    vm.sp.t.system_error,
                    format!("{name}(): unsupported calling convention METH flags {flags:#x}"),
                ));
            }
        }
    };
    if thicket_cpyext::debug::enabled() {
        super::debug::after_call(vm, &def_name(def), args);
    }
    if fresh.n > 0 {
        release_fresh(&fresh);
    }
    // A NULL result without an exception: CPython 3.11's generic call path names the
    // function, and METH_VARARGS functions always take it; the specialised call
    // instructions that METH_O/NOARGS/FASTCALL functions take in warmed-up code say
    // "error return without exception set" (Thicket follows that common case).
    let named = conv & !METH_KEYWORDS == METH_VARARGS;
    result(vm, r, named, || {
        format!("<built-in function {}>", def_name(def))
    })
}

/// Converts a C result (a new reference or NULL) into a Python result, checking the
/// NULL/exception consistency.
/// `named`: a NULL result without an exception is reported naming the function (else
/// with the message of CPython's specialised call instructions).
pub(crate) fn result(
    vm: &mut Vm,
    r: *mut PyObject,
    named: bool,
    what: impl Fn() -> String,
) -> PyResult {
    if r.is_null() {
        if !errors::occurred() {
            if thicket_cpyext::debug::enabled() {
                super::debug::bad_result(&what(), true);
            }
            let msg = if named {
                format!("{} returned NULL without setting an exception", what())
            } else {
                "error return without exception set".to_owned()
            };
            return Err(vm.err(vm.sp.t.system_error, msg));
        }
        return Err(errors::raise_in_vm(vm));
    }
    // SAFETY: a new reference to a live object, released once converted.
    let v = unsafe { take(vm, r) };
    // SAFETY: as above (the GC object now lives on its own or through the link).
    unsafe { release_int_or_decref(r) };
    if errors::occurred() {
        if thicket_cpyext::debug::enabled() {
            super::debug::bad_result(&what(), false);
        }
        let _ = errors::raise_in_vm(vm);
        let e = vm.take_exc();
        let msg = format!("{} returned a result with an exception set", what());
        let se = vm.new_exception_msg(vm.sp.t.system_error, &msg);
        let sym = vm.sp.str_sym(vm.n.cause) as u32;
        vm.sp.inst_set(se, sym, e);
        return Err(vm.raise(se));
    }
    Ok(v)
}

/// The GC object of `p`, a reference the caller owns and releases right after. When
/// that reference is the only one (count 1: no bias, so C-first and unlinked) and `p`
/// is an exact int, tuple or list, the GC object is made without a link: the proxy dies
/// with the caller's reference, as nothing else can reach it. Items of such a tuple or
/// list that only it holds are taken the same way. Otherwise this is [`from_py`].
///
/// # Safety
/// `p` must be a live object the caller owns a reference to, released right after
/// without any other use.
unsafe fn take(vm: &mut Vm, p: *mut PyObject) -> Value {
    // SAFETY: caller's contract; each branch reads the layout of the exact type. Items
    // are checked for NULL first (`from_py` reports those).
    unsafe {
        if (*p).ob_refcnt == 1 {
            let tp = (*p).ob_type;
            if tp == &raw mut PyLong_Type {
                if let Some(x) = long_value(p) {
                    return vm.sp.new_int(x);
                }
            } else if tp == &raw mut PyTuple_Type {
                let n = (*(p as *mut PyVarObject)).ob_size as usize;
                let items = std::slice::from_raw_parts(tuple_items(p), n);
                if items.iter().all(|it| !it.is_null()) {
                    let slots = tuple_items(p);
                    let mut vals = [vm.sp.none; 16];
                    if n <= vals.len() {
                        for (i, slot) in vals.iter_mut().enumerate().take(n) {
                            *slot = take_item(vm, slots.add(i));
                        }
                        return vm.sp.new_tuple(&vals[..n]);
                    }
                    let vals: Vec<Value> = (0..n).map(|i| take_item(vm, slots.add(i))).collect();
                    return vm.sp.new_tuple(&vals);
                }
            } else if tp == &raw mut PyList_Type {
                let lp = p as *mut PyListObject;
                let n = (*lp).ob_base.ob_size as usize;
                let items: &[*mut PyObject] = if n == 0 {
                    &[]
                } else {
                    std::slice::from_raw_parts((*lp).ob_item, n)
                };
                if items.iter().all(|it| !it.is_null()) {
                    let vals: Vec<Value> = (0..n)
                        .map(|i| take_item(vm, (*lp).ob_item.add(i)))
                        .collect();
                    return vm.sp.new_list(&vals);
                }
            }
        }
        from_py(vm, p)
    }
}

/// [`arg_tuple_noting`], for callers with no `Fresh` of their own.
pub(crate) fn arg_tuple(vm: &mut Vm, args: &Args, first: usize) -> *mut PyObject {
    let mut fresh = Fresh::new();
    let t = arg_tuple_noting(vm, args, first, &mut fresh);
    // The tuple holds the fresh ints now.
    release_fresh(&fresh);
    t
}

/// A C-first tuple of the positional arguments from `first` (count 1: the caller's),
/// noting in `fresh` the int proxies made for it.
fn arg_tuple_noting(vm: &mut Vm, args: &Args, first: usize, fresh: &mut Fresh) -> *mut PyObject {
    let n = args.len() - first;
    let t = new_tuple_raw(n);
    for i in 0..n {
        let p = arg_proxy(vm, args, first + i, fresh);
        // SAFETY: a live proxy: the tuple's reference.
        unsafe { incref(p) };
        // SAFETY: a tuple of `n` slots.
        unsafe { tuple_items(t).add(i).write(p) };
    }
    // SAFETY: a fresh object.
    unsafe { incref(t) };
    t
}

/// A dict of the keyword arguments (a new reference), or null if there are none.
pub(crate) fn kw_dict(vm: &mut Vm, args: &Args) -> *mut PyObject {
    if args.nkw() == 0 {
        return null_mut();
    }
    let d = vm.sp.new_dict();
    for i in 0..args.nkw() {
        let (k, v) = args.kw_at(i);
        vm.sp.dict_set_str(d, k, v);
    }
    new_ref(vm, d)
}

/// `PyCFunction_NewEx` / `PyCMethod_New`: a C function bound to `self_`.
///
/// # Safety
/// `ml` must outlive the function; `self_` null or live.
#[no_mangle]
pub unsafe extern "C" fn PyCFunction_NewEx(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    _module: *mut PyObject,
) -> *mut PyObject {
    let vm = super::vm();
    // SAFETY: caller's contract.
    let s = if self_.is_null() {
        Some(vm.sp.none)
    } else {
        Some(unsafe { from_py(vm, self_) })
    };
    let f = new_cfunc(vm, ml, s, None);
    new_ref(vm, f)
}

/// `PyCFunction_New`.
///
/// # Safety
/// As [`PyCFunction_NewEx`].
#[no_mangle]
pub unsafe extern "C" fn PyCFunction_New(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { PyCFunction_NewEx(ml, self_, null_mut()) }
}

/// The special attributes of a C function, as CPython's `builtin_function_or_method`
/// and `method_descriptor` have them: `__name__`, `__qualname__` (`Type.name` for
/// methods), `__doc__` (`ml_doc` without its `name(...)\n--\n\n` signature header),
/// `__self__`, and `__module__` for module functions. `None`: not one of these.
pub fn cfunc_attr(vm: &mut Vm, f: Value, attr: &str) -> Option<Value> {
    // SAFETY: a C function object; its def lives as long as the module.
    let (def, bound, class) = unsafe {
        (
            f.get::<i64>(CF_DEF) as *mut PyMethodDef,
            f.get_ref(CF_SELF),
            f.get_ref(CF_CLASS),
        )
    };
    let name = cfunc_name(f);
    let module_fn = bound.is_some_and(|s| s.ty().is(vm.sp.t.module));
    match attr {
        "__name__" => Some(vm.sp.new_str(&name)),
        "__qualname__" => {
            let owner = match (bound, class) {
                (Some(s), _) if !module_fn => Some(s.ty()),
                (None, Some(c)) => Some(c),
                _ => None,
            };
            let q = match owner {
                Some(t) => {
                    let tq = vm.sp.type_name(t).to_owned();
                    format!("{tq}.{name}")
                }
                None => name,
            };
            Some(vm.sp.new_str(&q))
        }
        "__doc__" => {
            // SAFETY: as above.
            let doc = unsafe { (*def).ml_doc };
            if doc.is_null() {
                return Some(vm.sp.none);
            }
            // SAFETY: a NUL-terminated string in the extension's data.
            let doc = unsafe { CStr::from_ptr(doc) }.to_string_lossy();
            let body = match doc.strip_prefix(&format!("{name}(")) {
                Some(rest) => match rest.find(")\n--\n\n") {
                    Some(i) => &rest[i + 6..],
                    None => &doc[..],
                },
                None => &doc[..],
            };
            Some(vm.sp.new_str(body))
        }
        "__self__" => Some(bound.unwrap_or(vm.sp.none)),
        "__module__" if module_fn => {
            let m = bound?;
            let d = vm.module_dict(m);
            let key = vm.sp.intern("__name__");
            Some(vm.sp.dict_get_str(d, key).unwrap_or(vm.sp.none))
        }
        _ => None,
    }
}

/// The repr of a C function, as CPython's: `<built-in function f>` (module functions),
/// `<built-in method f of T object at 0x...>` (bound), `<method 'f' of 'T' objects>`.
pub fn cfunc_repr(vm: &mut Vm, f: Value) -> String {
    // SAFETY: a C function object.
    let (bound, class) = unsafe { (f.get_ref(CF_SELF), f.get_ref(CF_CLASS)) };
    let name = cfunc_name(f);
    match (bound, class) {
        (Some(s), _) if !s.ty().is(vm.sp.t.module) => {
            let tn = vm.sp.type_name(s.ty()).to_owned();
            let id = vm.id_of(s);
            format!("<built-in method {name} of {tn} object at {id:#x}>")
        }
        (None, Some(c)) => {
            let tn = vm.sp.type_name(c).to_owned();
            format!("<method '{name}' of '{tn}' objects>")
        }
        _ => format!("<built-in function {name}>"),
    }
}
