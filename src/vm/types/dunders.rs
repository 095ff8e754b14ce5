//! Dunder methods of the built-in types that their other modules do not define, so that
//! `str.__add__`, `list.__getitem__(x, 0)`, `super().__eq__(o)` and the `operator`
//! module work: each delegates to the VM's generic operation on the built-in value.
//! Installed last, only where a type's namespace has no such method yet.

use crate::bytecode::{BinOp, CmpOp};
use crate::vm::{Args, NativeFn, PyResult, Vm};
use thicket_object_model::Value;

macro_rules! binop {
    ($name:ident, $op:expr, $rev:expr) => {
        fn $name(vm: &mut Vm, a: &Args) -> PyResult {
            super::check_args(vm, a, stringify!($name), 2, 2)?;
            let (x, y) = (vm.unwrap_builtin(a.get(0)), a.get(1));
            let (x, y) = if $rev { (y, x) } else { (x, y) };
            match vm.binary_op($op, x, y) {
                Ok(v) => Ok(v),
                Err(e) => {
                    if vm.exc_is(vm.sp.t.type_error) {
                        vm.take_exc();
                        Ok(vm.sp.not_implemented)
                    } else {
                        Err(e)
                    }
                }
            }
        }
    };
}

binop!(add, BinOp::Add, false);
binop!(radd, BinOp::Add, true);
binop!(sub, BinOp::Sub, false);
binop!(mul, BinOp::Mul, false);
binop!(rmul, BinOp::Mul, true);
binop!(mod_, BinOp::Mod, false);
binop!(or_, BinOp::Or, false);
binop!(and_, BinOp::And, false);
binop!(xor, BinOp::Xor, false);

macro_rules! cmp {
    ($name:ident, $op:expr) => {
        fn $name(vm: &mut Vm, a: &Args) -> PyResult {
            super::check_args(vm, a, stringify!($name), 2, 2)?;
            let (x, y) = (vm.unwrap_builtin(a.get(0)), vm.unwrap_builtin(a.get(1)));
            match vm.builtin_compare($op, x, y)? {
                Some(r) => Ok(vm.sp.new_bool(r)),
                None => Ok(vm.sp.not_implemented),
            }
        }
    };
}

cmp!(eq, CmpOp::Eq);
cmp!(ne, CmpOp::Ne);
cmp!(lt, CmpOp::Lt);
cmp!(le, CmpOp::Le);
cmp!(gt, CmpOp::Gt);
cmp!(ge, CmpOp::Ge);

fn hash(vm: &mut Vm, a: &Args) -> PyResult {
    let v = vm.unwrap_builtin(a.get(0));
    let h = vm.hash(v)?;
    Ok(vm.sp.new_int(h))
}

fn len(vm: &mut Vm, a: &Args) -> PyResult {
    let v = vm.unwrap_builtin(a.get(0));
    let n = vm.len(v)?;
    Ok(vm.sp.new_int(n as i64))
}

fn getitem(vm: &mut Vm, a: &Args) -> PyResult {
    super::check_args(vm, a, "__getitem__", 2, 2)?;
    let v = vm.unwrap_builtin(a.get(0));
    vm.getitem(v, a.get(1))
}

fn setitem(vm: &mut Vm, a: &Args) -> PyResult {
    super::check_args(vm, a, "__setitem__", 3, 3)?;
    let v = vm.unwrap_builtin(a.get(0));
    vm.setitem(v, a.get(1), a.get(2))?;
    Ok(vm.sp.none)
}

fn delitem(vm: &mut Vm, a: &Args) -> PyResult {
    super::check_args(vm, a, "__delitem__", 2, 2)?;
    let v = vm.unwrap_builtin(a.get(0));
    vm.delitem(v, a.get(1))?;
    Ok(vm.sp.none)
}

fn contains(vm: &mut Vm, a: &Args) -> PyResult {
    super::check_args(vm, a, "__contains__", 2, 2)?;
    let v = vm.unwrap_builtin(a.get(0));
    let r = vm.contains(v, a.get(1))?;
    Ok(vm.sp.new_bool(r))
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult {
    let v = vm.unwrap_builtin(a.get(0));
    vm.get_iter(v)
}

fn bool_(vm: &mut Vm, a: &Args) -> PyResult {
    let v = vm.unwrap_builtin(a.get(0));
    let b = vm.truthy(v)?;
    Ok(vm.sp.new_bool(b))
}

const SEQ: &[(&str, NativeFn)] = &[
    ("__add__", add),
    ("__mul__", mul),
    ("__rmul__", rmul),
    ("__eq__", eq),
    ("__ne__", ne),
    ("__lt__", lt),
    ("__le__", le),
    ("__gt__", gt),
    ("__ge__", ge),
    ("__len__", len),
    ("__getitem__", getitem),
    ("__contains__", contains),
    ("__iter__", iter),
];

const MUTABLE: &[(&str, NativeFn)] = &[("__setitem__", setitem), ("__delitem__", delitem)];
const HASHABLE: &[(&str, NativeFn)] = &[("__hash__", hash)];
const SETS: &[(&str, NativeFn)] = &[
    ("__or__", or_),
    ("__and__", and_),
    ("__xor__", xor),
    ("__sub__", sub),
    ("__eq__", eq),
    ("__ne__", ne),
    ("__lt__", lt),
    ("__le__", le),
    ("__gt__", gt),
    ("__ge__", ge),
    ("__len__", len),
    ("__contains__", contains),
    ("__iter__", iter),
];
const NUMS: &[(&str, NativeFn)] = &[
    ("__add__", add),
    ("__radd__", radd),
    ("__sub__", sub),
    ("__mul__", mul),
    ("__rmul__", rmul),
    ("__mod__", mod_),
    ("__eq__", eq),
    ("__ne__", ne),
    ("__lt__", lt),
    ("__le__", le),
    ("__gt__", gt),
    ("__ge__", ge),
    ("__bool__", bool_),
];

fn add_missing(vm: &mut Vm, ty: Value, table: &[(&'static str, NativeFn)]) {
    for &(name, f) in table {
        let d = vm.sp.type_dict(ty);
        if vm.sp.dict_get_name(d, name).is_none() {
            vm.add_method(ty, name, f);
        }
    }
}

/// Adds the missing dunder methods.
pub fn install(vm: &mut Vm) {
    let t = vm.sp.t;
    for ty in [t.str_, t.bytes, t.tuple, t.list, t.bytearray, t.range] {
        add_missing(vm, ty, SEQ);
    }
    for ty in [
        t.str_,
        t.bytes,
        t.tuple,
        t.range,
        t.int,
        t.float,
        t.frozenset,
    ] {
        add_missing(vm, ty, HASHABLE);
    }
    for ty in [t.list, t.bytearray, t.dict] {
        add_missing(vm, ty, MUTABLE);
    }
    add_missing(vm, t.str_, &[("__mod__", mod_)]);
    add_missing(
        vm,
        t.dict,
        &[
            ("__getitem__", getitem),
            ("__contains__", contains),
            ("__iter__", iter),
            ("__len__", len),
            ("__eq__", eq),
            ("__ne__", ne),
            ("__or__", or_),
        ],
    );
    for ty in [t.set, t.frozenset] {
        add_missing(vm, ty, SETS);
    }
    for ty in [t.int, t.float] {
        add_missing(vm, ty, NUMS);
    }
}
