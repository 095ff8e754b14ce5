//! The slots of C-defined types, reachable from Python: when a C type is readied, each
//! slot it fills (`tp_repr`, `tp_richcompare`, `tp_call`, `tp_new`, `tp_init`,
//! `tp_getattro`, the number, sequence and mapping tables, ...) becomes a *slot wrapper*
//! in its class dict under the special method's name (`__repr__`, `__eq__`...), and its
//! members (`tp_members`) and getsets (`tp_getset`) become properties whose accessors
//! are slot wrappers. The interpreter finds them as it finds any special method, so
//! Python subclasses override them and `super()` reaches them; a slot wrapper called
//! from Python converts its arguments to proxies, calls the C function, and checks the
//! NULL/exception consistency of the result as CPython does.
//!
//! A slot wrapper is a small GC object (layout `cslot`): the C function, which slot it
//! is (and the comparison operator or table entry), an auxiliary pointer (the member or
//! getset definition) and the class that defined it.

use super::cfunc::{arg_tuple, kw_dict, result};
use super::convert::to_py;
use super::errors;
use crate::vm::{Args, PyResult, Vm};
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr::null_mut;
use thicket_cpyext::abi::*;
use thicket_cpyext::statics::{decref, decref_opt};
use thicket_gc::{TypeDesc, TypeId};
use thicket_object_model::Value;

/// Offset of the C function pointer.
const CS_FN: usize = 16;
/// Offset of the slot kind ([`Kind`] in the low byte, an argument above).
const CS_KIND: usize = 24;
/// Offset of the auxiliary pointer (member or getset definition).
const CS_AUX: usize = 32;
/// Offset of the defining class.
const CS_CLASS: usize = 40;

/// Registers the layout of slot wrappers.
pub fn register_layout(vm: &mut Vm) -> TypeId {
    vm.sp
        .heap
        .register(TypeDesc::fixed("cslot", 48, &[8, CS_CLASS]))
        .expect("registering the C slot layout")
}

/// Which C slot a wrapper calls, and so its signature.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum Kind {
    /// `reprfunc`-shaped: `__repr__`, `__str__`, `__iter__`, unary number slots.
    Unary = 1,
    /// `tp_iternext`: NULL without an exception is `StopIteration`.
    Next,
    /// `hashfunc`.
    Hash,
    /// `ternaryfunc` with a tuple and a dict: `__call__`.
    Call,
    /// `tp_new`: `__new__(cls, *args, **kw)`.
    New,
    /// `tp_init`: `__init__(self, *args, **kw)`.
    Init,
    /// `richcmpfunc` with the operator in the argument.
    RichCmp,
    /// `binaryfunc(self, other)`.
    Binary,
    /// `binaryfunc(other, self)`: the reflected operator.
    BinaryR,
    /// `ternaryfunc(self, other, None)`: `__pow__`.
    Power,
    /// `ternaryfunc(other, self, None)`: `__rpow__`.
    PowerR,
    /// `inquiry`: `__bool__`.
    Bool,
    /// `lenfunc`: `__len__`.
    Len,
    /// `ssizeargfunc`: `__getitem__` through the sequence table.
    SqItem,
    /// `ssizeobjargproc` with a value: `__setitem__` through the sequence table.
    SqSetItem,
    /// `ssizeobjargproc` with NULL: `__delitem__` through the sequence table.
    SqDelItem,
    /// `objobjproc`: `__contains__`.
    Contains,
    /// `objobjargproc` with a value: `__setitem__` through the mapping table.
    MpSetItem,
    /// `objobjargproc` with NULL: `__delitem__`.
    MpDelItem,
    /// `getattrofunc`: `__getattribute__`.
    GetAttro,
    /// `setattrofunc` with a value: `__setattr__`.
    SetAttro,
    /// `setattrofunc` with NULL: `__delattr__`.
    DelAttro,
    /// `getattrfunc` (C string name): `__getattribute__`.
    GetAttr,
    /// `setattrfunc` (C string name) with a value.
    SetAttr,
    /// `setattrfunc` with NULL.
    DelAttr,
    /// `descrgetfunc`: `__get__`.
    DescrGet,
    /// A getset's getter.
    GetSetGet,
    /// A getset's setter (or its absence: the value to set, or NULL to delete).
    GetSetSet,
    /// A member's read.
    MemberGet,
    /// A member's write (or delete).
    MemberSet,
}

impl Kind {
    fn from_u8(k: u8) -> Kind {
        use Kind::*;
        const ALL: [Kind; 30] = [
            Unary, Next, Hash, Call, New, Init, RichCmp, Binary, BinaryR, Power, PowerR, Bool, Len,
            SqItem, SqSetItem, SqDelItem, Contains, MpSetItem, MpDelItem, GetAttro, SetAttro,
            DelAttro, GetAttr, SetAttr, DelAttr, DescrGet, GetSetGet, GetSetSet, MemberGet,
            MemberSet,
        ];
        ALL[(k - 1) as usize]
    }
}

fn new_cslot(vm: &mut Vm, f: *mut c_void, kind: Kind, arg: i64, aux: usize, cls: Value) -> Value {
    let lay = vm.capi.as_ref().expect("capi").cslot_layout;
    // SAFETY: a fresh object of the registered layout; fields written before use.
    unsafe {
        let o = Value(
            vm.sp
                .heap
                .alloc_raw(lay, 0, false)
                .expect("allocating a slot wrapper"),
        );
        o.set(8, Some(vm.sp.t.builtin_function));
        o.set::<i64>(CS_FN, f as i64);
        o.set::<i64>(CS_KIND, kind as i64 | (arg << 8));
        o.set::<i64>(CS_AUX, aux as i64);
        o.set(CS_CLASS, Some(cls));
        o
    }
}

/// Whether `f` is a slot wrapper.
pub fn is_cslot(vm: &Vm, f: Value) -> bool {
    vm.capi
        .as_ref()
        .is_some_and(|c| f.layout() == c.cslot_layout)
}

/// Whether `f` is the slot wrapper of a C sequence's `sq_item` (`__getitem__` taking an
/// index, not a key).
pub fn is_sq_item_wrapper(vm: &Vm, f: Value) -> bool {
    // SAFETY: a slot wrapper's kind field.
    is_cslot(vm, f) && unsafe { f.get::<i64>(CS_KIND) } & 0xff == Kind::SqItem as i64
}

/// Whether `f`, found on a type, behaves as a method: a slot wrapper (but `__new__`,
/// which takes the class) or an unbound C method that is neither static nor a class
/// method.
pub fn is_method_descr(vm: &Vm, f: Value) -> bool {
    let Some(c) = vm.capi.as_ref() else {
        return false;
    };
    let lay = f.layout();
    if lay == c.cslot_layout {
        // SAFETY: a slot wrapper.
        return unsafe { f.get::<i64>(CS_KIND) } & 0xff != Kind::New as i64;
    }
    lay == c.cfunc_layout
        && !super::cfunc::cfunc_is_bound(f)
        && super::cfunc::cfunc_flags(f) & (METH_CLASS | METH_STATIC) == 0
}

/// Binds a C class method or static method found on type `ty` (`None` for any other
/// object).
pub fn bind_special(vm: &mut Vm, f: Value, ty: Value) -> Option<Value> {
    let c = vm.capi.as_ref()?;
    if f.layout() != c.cfunc_layout || super::cfunc::cfunc_is_bound(f) {
        return None;
    }
    let flags = super::cfunc::cfunc_flags(f);
    if flags & METH_CLASS != 0 {
        Some(vm.new_method(f, ty))
    } else if flags & METH_STATIC != 0 {
        let def = super::cfunc::cfunc_def(f);
        let none = vm.sp.none;
        Some(super::cfunc::new_cfunc(vm, def, Some(none), None))
    } else {
        None
    }
}

/// `__name__`, `__qualname__` and `__doc__` of slot wrappers (`None` for other objects
/// and attributes; C functions answer through `cfunc::cfunc_attr`).
pub fn native_attr(vm: &mut Vm, f: Value, attr: &str) -> Option<Value> {
    if !is_cslot(vm, f) {
        return None;
    }
    let name = wrapper_name(f);
    match attr {
        "__name__" => Some(vm.new_str(name)),
        "__qualname__" => {
            // SAFETY: a slot wrapper keeps its defining class.
            let cls = unsafe { f.get_ref(CS_CLASS) }.expect("slot wrapper class");
            let q = format!("{}.{name}", vm.sp.type_name(cls));
            Some(vm.new_str(&q))
        }
        "__doc__" => Some(vm.sp.none),
        _ => None,
    }
}

/// The name of a slot wrapper's special method, for messages.
fn wrapper_name(f: Value) -> &'static str {
    // SAFETY: a slot wrapper.
    let k = unsafe { f.get::<i64>(CS_KIND) };
    match Kind::from_u8((k & 0xff) as u8) {
        Kind::New => "__new__",
        Kind::Init => "__init__",
        Kind::Call => "__call__",
        Kind::Hash => "__hash__",
        Kind::Len => "__len__",
        Kind::Next => "__next__",
        Kind::Bool => "__bool__",
        Kind::Contains => "__contains__",
        Kind::GetAttro | Kind::GetAttr => "__getattribute__",
        Kind::SetAttro | Kind::SetAttr => "__setattr__",
        Kind::DelAttro | Kind::DelAttr => "__delattr__",
        Kind::SqItem => "__getitem__",
        Kind::SqSetItem | Kind::MpSetItem => "__setitem__",
        Kind::SqDelItem | Kind::MpDelItem => "__delitem__",
        Kind::DescrGet => "__get__",
        _ => "slot wrapper",
    }
}

fn want(vm: &mut Vm, a: &Args, n: usize, name: &str) -> PyResult<()> {
    if a.nkw() > 0 {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    if a.len() != n {
        return Err(vm.type_error(format!(
            "expected {} argument{}, got {}",
            n - 1,
            if n == 2 { "" } else { "s" },
            a.len().saturating_sub(1)
        )));
    }
    Ok(())
}

/// An `int`-returning slot's result: -1 with an exception set is an error.
fn int_result(vm: &mut Vm, r: c_int) -> PyResult<c_int> {
    if r < 0 && errors::occurred() {
        return Err(errors::raise_in_vm(vm));
    }
    Ok(r)
}

type Unary = unsafe extern "C" fn(*mut PyObject) -> *mut PyObject;
type Binary = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type Ternary = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
type Inquiry = unsafe extern "C" fn(*mut PyObject) -> c_int;
type LenF = unsafe extern "C" fn(*mut PyObject) -> isize;
type HashF = unsafe extern "C" fn(*mut PyObject) -> isize;
type SsizeArg = unsafe extern "C" fn(*mut PyObject, isize) -> *mut PyObject;
type SsizeObjArg = unsafe extern "C" fn(*mut PyObject, isize, *mut PyObject) -> c_int;
type ObjObj = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> c_int;
type ObjObjArg = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int;
type RichCmp = unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_int) -> *mut PyObject;
type NewF = unsafe extern "C" fn(*mut PyTypeObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
type GetAttrF = unsafe extern "C" fn(*mut PyObject, *mut c_char) -> *mut PyObject;
type SetAttrF = unsafe extern "C" fn(*mut PyObject, *mut c_char, *mut PyObject) -> c_int;
type Getter = unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject;
type Setter = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut c_void) -> c_int;

/// Calls the slot wrapper `f` with `args` (`self` first, or the class for `__new__`).
pub fn call_cslot(vm: &mut Vm, f: Value, a: &Args) -> PyResult {
    super::release_dead(vm);
    let _calling = super::list_writeback::enter(vm);
    // SAFETY: a slot wrapper's fields.
    let (fp, k, aux, cls) = unsafe {
        (
            f.get::<i64>(CS_FN) as *mut c_void,
            f.get::<i64>(CS_KIND),
            f.get::<i64>(CS_AUX) as usize,
            f.get_ref(CS_CLASS).expect("slot wrapper class"),
        )
    };
    let kind = Kind::from_u8((k & 0xff) as u8);
    let arg = k >> 8;
    let name = wrapper_name(f);
    if a.is_empty() {
        return Err(vm.type_error(format!(
            "descriptor '{name}' of '{}' object needs an argument",
            vm.sp.type_name(cls)
        )));
    }
    let s0 = a.get(0);
    if kind == Kind::New {
        if s0.layout() != thicket_object_model::layout::TYPE || !vm.sp.is_subtype(s0, cls) {
            let cn = vm.sp.type_name(cls).to_owned();
            return Err(vm.type_error(format!(
                "{cn}.__new__({}): {} is not a subtype of {cn}",
                vm.type_name(s0),
                vm.type_name(s0)
            )));
        }
    } else if !vm.sp.isinstance(s0, cls) {
        return Err(vm.type_error(format!(
            "descriptor '{name}' requires a '{}' object but received a '{}'",
            vm.sp.type_name(cls),
            vm.type_name(s0)
        )));
    }
    let selfp = to_py(vm, s0);
    let _enter = super::Enter::new(vm);
    let what = || format!("slot {name}");
    // SAFETY: each arm calls `fp` with the signature of the slot it was taken from;
    // argument proxies are borrowed references kept alive by `a` (rooted by the caller).
    unsafe {
        match kind {
            Kind::Unary => {
                want(vm, a, 1, name)?;
                let r = std::mem::transmute::<*mut c_void, Unary>(fp)(selfp);
                result(vm, r, false, what)
            }
            Kind::Next => {
                want(vm, a, 1, "__next__")?;
                let r = std::mem::transmute::<*mut c_void, Unary>(fp)(selfp);
                if r.is_null() && !errors::occurred() {
                    return Err(vm.err(vm.sp.t.stop_iteration, String::new()));
                }
                result(vm, r, false, what)
            }
            Kind::Hash => {
                want(vm, a, 1, "__hash__")?;
                let h = std::mem::transmute::<*mut c_void, HashF>(fp)(selfp);
                if h == -1 && errors::occurred() {
                    return Err(errors::raise_in_vm(vm));
                }
                Ok(vm.sp.new_int(h as i64))
            }
            Kind::Bool => {
                want(vm, a, 1, "__bool__")?;
                let r = std::mem::transmute::<*mut c_void, Inquiry>(fp)(selfp);
                let r = int_result(vm, r)?;
                Ok(vm.sp.new_bool(r != 0))
            }
            Kind::Len => {
                want(vm, a, 1, "__len__")?;
                let n = std::mem::transmute::<*mut c_void, LenF>(fp)(selfp);
                if n < 0 && errors::occurred() {
                    return Err(errors::raise_in_vm(vm));
                }
                Ok(vm.sp.new_int(n as i64))
            }
            Kind::Call | Kind::Init | Kind::New => {
                let t = arg_tuple(vm, a, 1);
                let kw = kw_dict(vm, a);
                let out = match kind {
                    Kind::Call => {
                        let r = std::mem::transmute::<*mut c_void, Ternary>(fp)(selfp, t, kw);
                        result(vm, r, false, what)
                    }
                    Kind::New => {
                        let r = std::mem::transmute::<*mut c_void, NewF>(fp)(
                            selfp as *mut PyTypeObject,
                            t,
                            kw,
                        );
                        result(vm, r, false, what)
                    }
                    _ => {
                        let r = std::mem::transmute::<*mut c_void, ObjObjArg>(fp)(selfp, t, kw);
                        int_result(vm, r).map(|_| vm.sp.none)
                    }
                };
                decref(t);
                decref_opt(kw);
                out
            }
            Kind::RichCmp => {
                want(vm, a, 2, name)?;
                let o = to_py(vm, a.get(1));
                let r = std::mem::transmute::<*mut c_void, RichCmp>(fp)(selfp, o, arg as c_int);
                result(vm, r, false, what)
            }
            Kind::Binary | Kind::BinaryR | Kind::Power | Kind::PowerR => {
                if kind == Kind::Power && a.len() == 3 {
                    let o = to_py(vm, a.get(1));
                    let m = to_py(vm, a.get(2));
                    let r = std::mem::transmute::<*mut c_void, Ternary>(fp)(selfp, o, m);
                    return result(vm, r, false, what);
                }
                want(vm, a, 2, name)?;
                let o = to_py(vm, a.get(1));
                let none = &raw mut thicket_cpyext::statics::_Py_NoneStruct;
                let r = match kind {
                    Kind::Binary => std::mem::transmute::<*mut c_void, Binary>(fp)(selfp, o),
                    Kind::BinaryR => std::mem::transmute::<*mut c_void, Binary>(fp)(o, selfp),
                    Kind::Power => std::mem::transmute::<*mut c_void, Ternary>(fp)(selfp, o, none),
                    _ => std::mem::transmute::<*mut c_void, Ternary>(fp)(o, selfp, none),
                };
                result(vm, r, false, what)
            }
            Kind::SqItem => {
                want(vm, a, 2, name)?;
                let i = seq_index(vm, selfp, a.get(1))?;
                let r = std::mem::transmute::<*mut c_void, SsizeArg>(fp)(selfp, i);
                result(vm, r, false, what)
            }
            Kind::SqSetItem | Kind::SqDelItem => {
                let n = if kind == Kind::SqSetItem { 3 } else { 2 };
                want(vm, a, n, name)?;
                let i = seq_index(vm, selfp, a.get(1))?;
                let v = if n == 3 {
                    to_py(vm, a.get(2))
                } else {
                    null_mut()
                };
                let r = std::mem::transmute::<*mut c_void, SsizeObjArg>(fp)(selfp, i, v);
                int_result(vm, r).map(|_| vm.sp.none)
            }
            Kind::Contains => {
                want(vm, a, 2, name)?;
                let o = to_py(vm, a.get(1));
                let r = std::mem::transmute::<*mut c_void, ObjObj>(fp)(selfp, o);
                let r = int_result(vm, r)?;
                Ok(vm.sp.new_bool(r != 0))
            }
            Kind::MpSetItem | Kind::MpDelItem | Kind::SetAttro | Kind::DelAttro => {
                let n = if matches!(kind, Kind::MpSetItem | Kind::SetAttro) {
                    3
                } else {
                    2
                };
                want(vm, a, n, name)?;
                let key = to_py(vm, a.get(1));
                let v = if n == 3 {
                    to_py(vm, a.get(2))
                } else {
                    null_mut()
                };
                let r = std::mem::transmute::<*mut c_void, ObjObjArg>(fp)(selfp, key, v);
                int_result(vm, r).map(|_| vm.sp.none)
            }
            Kind::GetAttro => {
                want(vm, a, 2, name)?;
                let key = to_py(vm, a.get(1));
                let r = std::mem::transmute::<*mut c_void, Binary>(fp)(selfp, key);
                result(vm, r, false, what)
            }
            Kind::GetAttr | Kind::SetAttr | Kind::DelAttr => {
                let n = if kind == Kind::SetAttr { 3 } else { 2 };
                want(vm, a, n, name)?;
                let key = a.get(1);
                if !vm.is_str(key) {
                    return Err(vm.type_error(format!(
                        "attribute name must be string, not '{}'",
                        vm.type_name(key)
                    )));
                }
                let cname = CString::new(vm.sp.str_of(key)).unwrap_or_default();
                if kind == Kind::GetAttr {
                    let r = std::mem::transmute::<*mut c_void, GetAttrF>(fp)(
                        selfp,
                        cname.as_ptr() as *mut c_char,
                    );
                    return result(vm, r, false, what);
                }
                let v = if n == 3 {
                    to_py(vm, a.get(2))
                } else {
                    null_mut()
                };
                let r = std::mem::transmute::<*mut c_void, SetAttrF>(fp)(
                    selfp,
                    cname.as_ptr() as *mut c_char,
                    v,
                );
                int_result(vm, r).map(|_| vm.sp.none)
            }
            Kind::DescrGet => {
                if a.len() < 2 || a.len() > 3 {
                    return Err(vm.type_error("expected 1 or 2 arguments"));
                }
                let none = vm.sp.none;
                let obj = a.get(1);
                let o = if obj.is(none) {
                    null_mut()
                } else {
                    to_py(vm, obj)
                };
                let t = if a.len() == 3 && !a.get(2).is(none) {
                    to_py(vm, a.get(2))
                } else {
                    null_mut()
                };
                let r = std::mem::transmute::<*mut c_void, Ternary>(fp)(selfp, o, t);
                result(vm, r, false, what)
            }
            Kind::GetSetGet => {
                let def = aux as *mut PyGetSetDef;
                let r = std::mem::transmute::<*mut c_void, Getter>(fp)(selfp, (*def).closure);
                result(vm, r, false, what)
            }
            Kind::GetSetSet => {
                let def = aux as *mut PyGetSetDef;
                let v = if a.len() > 1 {
                    to_py(vm, a.get(1))
                } else {
                    null_mut()
                };
                if fp.is_null() {
                    let n = CStr::from_ptr((*def).name).to_string_lossy().into_owned();
                    let tn = vm.sp.type_data(cls).name.to_string();
                    return Err(vm.attribute_error(format!(
                        "attribute '{n}' of '{tn}' objects is not writable"
                    )));
                }
                let r = std::mem::transmute::<*mut c_void, Setter>(fp)(selfp, v, (*def).closure);
                int_result(vm, r).map(|_| vm.sp.none)
            }
            Kind::MemberGet => super::members::get(vm, selfp, aux as *mut PyMemberDef),
            Kind::MemberSet => {
                let v = if a.len() > 1 {
                    to_py(vm, a.get(1))
                } else {
                    null_mut()
                };
                super::members::set(vm, selfp, aux as *mut PyMemberDef, v).map(|_| vm.sp.none)
            }
        }
    }
}

/// A sequence index for `sq_item`-style slots: an integer, made non-negative by adding
/// the length when the type has one, as CPython's wrappers do.
///
/// # Safety
/// `selfp` must be a live object whose type has a sequence table.
unsafe fn seq_index(vm: &mut Vm, selfp: *mut PyObject, k: Value) -> PyResult<isize> {
    let mut i = vm.index_value(k)? as isize;
    if i < 0 {
        // SAFETY: caller's contract.
        unsafe {
            let sq = (*(*selfp).ob_type).tp_as_sequence;
            if let Some(len) = (*sq).sq_length {
                let n = len(selfp);
                if n < 0 {
                    return Err(errors::raise_in_vm(vm));
                }
                i += n;
            }
        }
    }
    Ok(i)
}

/// Calls a C type's `tp_getattro`/`tp_getattr` for `obj.name` (the interpreter's
/// attribute lookup for instances of such types): `None` when C raised AttributeError.
pub fn native_getattr(vm: &mut Vm, obj: Value, name: Value) -> PyResult<Option<Value>> {
    let ga = vm.n.getattribute;
    let Some(m) = vm.lookup_type_attr(obj.ty(), ga) else {
        return vm.generic_getattr_opt(obj, name);
    };
    if !is_cslot(vm, m) {
        return vm.generic_getattr_opt(obj, name);
    }
    match vm.call(m, &[obj, name]) {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            if vm.exc_is(vm.sp.t.attribute_error) {
                vm.take_exc();
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

/// Number-table entries: (index in `PyNumberMethods`, name, reflected name, kind).
const NUMBER_SLOTS: &[(usize, &str, Option<&str>, Kind)] = &[
    (0, "__add__", Some("__radd__"), Kind::Binary),
    (1, "__sub__", Some("__rsub__"), Kind::Binary),
    (2, "__mul__", Some("__rmul__"), Kind::Binary),
    (3, "__mod__", Some("__rmod__"), Kind::Binary),
    (4, "__divmod__", Some("__rdivmod__"), Kind::Binary),
    (5, "__pow__", Some("__rpow__"), Kind::Power),
    (6, "__neg__", None, Kind::Unary),
    (7, "__pos__", None, Kind::Unary),
    (8, "__abs__", None, Kind::Unary),
    (9, "__bool__", None, Kind::Bool),
    (10, "__invert__", None, Kind::Unary),
    (11, "__lshift__", Some("__rlshift__"), Kind::Binary),
    (12, "__rshift__", Some("__rrshift__"), Kind::Binary),
    (13, "__and__", Some("__rand__"), Kind::Binary),
    (14, "__xor__", Some("__rxor__"), Kind::Binary),
    (15, "__or__", Some("__ror__"), Kind::Binary),
    (16, "__int__", None, Kind::Unary),
    (18, "__float__", None, Kind::Unary),
    (19, "__iadd__", None, Kind::Binary),
    (20, "__isub__", None, Kind::Binary),
    (21, "__imul__", None, Kind::Binary),
    (22, "__imod__", None, Kind::Binary),
    (24, "__ilshift__", None, Kind::Binary),
    (25, "__irshift__", None, Kind::Binary),
    (26, "__iand__", None, Kind::Binary),
    (27, "__ixor__", None, Kind::Binary),
    (28, "__ior__", None, Kind::Binary),
    (29, "__floordiv__", Some("__rfloordiv__"), Kind::Binary),
    (30, "__truediv__", Some("__rtruediv__"), Kind::Binary),
    (31, "__ifloordiv__", None, Kind::Binary),
    (32, "__itruediv__", None, Kind::Binary),
    (33, "__index__", None, Kind::Unary),
    (34, "__matmul__", Some("__rmatmul__"), Kind::Binary),
    (35, "__imatmul__", None, Kind::Binary),
];

/// Comparison operators in `Py_LT`.. `Py_GE` order.
const RICH_NAMES: [&str; 6] = ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"];

/// Puts the slot wrappers, members and getsets of C type `t` into the dict of its class
/// `cls` (only slots `t` defines itself: inherited ones are found through the MRO).
///
/// # Safety
/// `t` must be a readied type object whose class is `cls`.
pub unsafe fn install_slots(vm: &mut Vm, t: *mut PyTypeObject, cls: Value) {
    let r = vm.push_root(cls);
    let add = |vm: &mut Vm, name: &str, f: *mut c_void, kind: Kind, arg: i64, aux: usize| {
        if f.is_null() {
            return;
        }
        let cls = vm.root(r);
        let w = new_cslot(vm, f, kind, arg, aux, cls);
        let cls = vm.root(r);
        let k = vm.sp.intern(name);
        let td = vm.sp.type_dict(cls);
        vm.sp.dict_set_str(td, k, w);
    };
    let fp = |o: Option<*mut c_void>| o.unwrap_or(null_mut());
    // SAFETY: caller's contract; each table pointer is null or a table of its type.
    unsafe {
        let b = (*t).tp_base;
        // A slot counts as the type's own when its base does not have the same one.
        macro_rules! own {
            ($field:ident) => {{
                let mine = (*t).$field.map(|f| f as *mut c_void);
                let base = if b.is_null() {
                    None
                } else {
                    (*b).$field.map(|f| f as *mut c_void)
                };
                if mine.is_some() && mine != base {
                    fp(mine)
                } else {
                    null_mut()
                }
            }};
        }
        add(vm, "__repr__", own!(tp_repr), Kind::Unary, 0, 0);
        add(vm, "__str__", own!(tp_str), Kind::Unary, 0, 0);
        add(vm, "__call__", own!(tp_call), Kind::Call, 0, 0);
        add(vm, "__iter__", own!(tp_iter), Kind::Unary, 0, 0);
        add(vm, "__next__", own!(tp_iternext), Kind::Next, 0, 0);
        add(vm, "__init__", own!(tp_init), Kind::Init, 0, 0);
        add(vm, "__new__", own!(tp_new), Kind::New, 0, 0);
        add(vm, "__get__", own!(tp_descr_get), Kind::DescrGet, 0, 0);
        let hash = own!(tp_hash);
        if hash == super::api_abstract::PyObject_HashNotImplemented as *mut c_void {
            let cls = vm.root(r);
            let k = vm.sp.intern("__hash__");
            let none = vm.sp.none;
            let td = vm.sp.type_dict(cls);
            vm.sp.dict_set_str(td, k, none);
        } else {
            add(vm, "__hash__", hash, Kind::Hash, 0, 0);
        }
        let rc = own!(tp_richcompare);
        for (op, n) in RICH_NAMES.iter().enumerate() {
            add(vm, n, rc, Kind::RichCmp, op as i64, 0);
        }
        let generic_get = super::api_abstract::PyObject_GenericGetAttr as *mut c_void;
        let go = own!(tp_getattro);
        if !go.is_null() && go != generic_get {
            add(vm, "__getattribute__", go, Kind::GetAttro, 0, 0);
        } else if !(*t).tp_getattr.is_null() && (b.is_null() || (*b).tp_getattr.is_null()) {
            add(vm, "__getattribute__", (*t).tp_getattr, Kind::GetAttr, 0, 0);
        }
        let generic_set = super::api_abstract::PyObject_GenericSetAttr as *mut c_void;
        let so = own!(tp_setattro);
        if !so.is_null() && so != generic_set {
            add(vm, "__setattr__", so, Kind::SetAttro, 0, 0);
            add(vm, "__delattr__", so, Kind::DelAttro, 0, 0);
        } else if !(*t).tp_setattr.is_null() && (b.is_null() || (*b).tp_setattr.is_null()) {
            add(vm, "__setattr__", (*t).tp_setattr, Kind::SetAttr, 0, 0);
            add(vm, "__delattr__", (*t).tp_setattr, Kind::DelAttr, 0, 0);
        }
        let nb = (*t).tp_as_number;
        let base_nb = if b.is_null() {
            null_mut()
        } else {
            (*b).tp_as_number
        };
        if !nb.is_null() && nb != base_nb {
            for &(i, n, rn, kind) in NUMBER_SLOTS {
                let f = (*nb).slots[i];
                add(vm, n, f, kind, 0, 0);
                if let Some(rn) = rn {
                    let rk = if kind == Kind::Power {
                        Kind::PowerR
                    } else {
                        Kind::BinaryR
                    };
                    add(vm, rn, f, rk, 0, 0);
                }
            }
        }
        let mp = (*t).tp_as_mapping;
        let sq = (*t).tp_as_sequence;
        let base_mp = if b.is_null() {
            null_mut()
        } else {
            (*b).tp_as_mapping
        };
        let base_sq = if b.is_null() {
            null_mut()
        } else {
            (*b).tp_as_sequence
        };
        if !sq.is_null() && sq != base_sq {
            add(
                vm,
                "__len__",
                fp((*sq).sq_length.map(|f| f as _)),
                Kind::Len,
                0,
                0,
            );
            add(vm, "__getitem__", (*sq).sq_item, Kind::SqItem, 0, 0);
            add(vm, "__setitem__", (*sq).sq_ass_item, Kind::SqSetItem, 0, 0);
            add(vm, "__delitem__", (*sq).sq_ass_item, Kind::SqDelItem, 0, 0);
            add(vm, "__contains__", (*sq).sq_contains, Kind::Contains, 0, 0);
            if nb.is_null() || (*nb).slots[0].is_null() {
                let concat = fp((*sq).sq_concat.map(|f| f as _));
                add(vm, "__add__", concat, Kind::Binary, 0, 0);
            }
        }
        if !mp.is_null() && mp != base_mp {
            add(
                vm,
                "__len__",
                fp((*mp).mp_length.map(|f| f as _)),
                Kind::Len,
                0,
                0,
            );
            let sub = fp((*mp).mp_subscript.map(|f| f as _));
            // `mp_subscript` takes (self, key): a binary slot.
            add(vm, "__getitem__", sub, Kind::Binary, 0, 0);
            let ass = fp((*mp).mp_ass_subscript.map(|f| f as _));
            add(vm, "__setitem__", ass, Kind::MpSetItem, 0, 0);
            add(vm, "__delitem__", ass, Kind::MpDelItem, 0, 0);
        }
        // Members and getsets become properties.
        let mut m = (*t).tp_members;
        while !m.is_null() && !(*m).name.is_null() {
            let name = CStr::from_ptr((*m).name).to_string_lossy().into_owned();
            let cls = vm.root(r);
            let g = new_cslot(vm, null_mut(), Kind::MemberGet, 0, m as usize, cls);
            let gr = vm.push_root(g);
            let cls = vm.root(r);
            let s = new_cslot(vm, null_mut(), Kind::MemberSet, 0, m as usize, cls);
            property_into(vm, r, &name, gr, s);
            m = m.add(1);
        }
        let mut g = (*t).tp_getset;
        while !g.is_null() && !(*g).name.is_null() {
            let name = CStr::from_ptr((*g).name).to_string_lossy().into_owned();
            let cls = vm.root(r);
            let getter = if (*g).get.is_null() {
                vm.sp.none
            } else {
                new_cslot(vm, (*g).get, Kind::GetSetGet, 0, g as usize, cls)
            };
            let gr = vm.push_root(getter);
            let cls = vm.root(r);
            let s = new_cslot(vm, (*g).set, Kind::GetSetSet, 0, g as usize, cls);
            property_into(vm, r, &name, gr, s);
            g = g.add(1);
        }
    }
    vm.reset_roots(r);
}

/// Stores `property(getter, setter, setter)` as `name` in the dict of the class rooted
/// at `r` (the getter rooted at `gr`).
fn property_into(vm: &mut Vm, r: usize, name: &str, gr: usize, s: Value) {
    let getter = vm.root(gr);
    let prop = vm.sp.t.property;
    let p = vm
        .call(prop, &[getter, s, s])
        .unwrap_or_else(|_| panic!("thicket: cannot make the property for C attribute {name}"));
    let cls = vm.root(r);
    let k = vm.sp.intern(name);
    let td = vm.sp.type_dict(cls);
    vm.sp.dict_set_str(td, k, p);
}
