//! Methods of `list`, `tuple`, `dict`, `set`, `frozenset` and the dict views.
//!
//! Every method receives `self` as argument 0; for instances of subclasses it works on
//! the backing built-in value (`Vm::unwrap_builtin`). The dunder methods (`__len__`,
//! `__getitem__`, `__eq__`, ...) are also on the types, delegating to the VM's generic
//! operations, so that `list.__getitem__(x, 0)`, `dict.__setitem__(self, k, v)` and
//! `super().__getitem__(k)` work in subclasses.
//!
//! `list.sort` is a stable merge sort over a permutation of indices: the items (and
//! their keys) live in rooted heap tuples while Python comparisons run, and are re-read
//! by index after each comparison, so a moving collection during `__lt__` or `key=` is
//! harmless.
//!
//! The set algorithms follow CPython 3.11's (merging into an empty table by copying
//! slots, pre-sizing, which operand is iterated, compaction after removals) so that
//! sets built by these operations iterate in the same order as on CPython.

use super::check_args;
use crate::bytecode::{BinOp, CmpOp};
use crate::vm::{Args, NativeFn, PyResult, Vm};
use thicket_gc::TypeId;
use thicket_object_model::layout as l;
use thicket_object_model::{dicts, sets, Kind, Value};

/// Installs the container methods.
pub fn install(vm: &mut Vm) {
    let t = vm.sp.t;
    let list_methods: &[(&'static str, NativeFn)] = &[
        ("append", list_append),
        ("extend", list_extend),
        ("insert", list_insert),
        ("pop", list_pop),
        ("remove", list_remove),
        ("index", list_index),
        ("count", list_count),
        ("clear", list_clear),
        ("copy", list_copy),
        ("reverse", list_reverse),
        ("sort", list_sort),
        ("__init__", list_init),
        ("__len__", list_len),
        ("__getitem__", list_getitem),
        ("__setitem__", list_setitem),
        ("__delitem__", list_delitem),
        ("__contains__", list_contains),
        ("__iter__", list_iter),
        ("__reversed__", list_reversed),
        ("__add__", list_add),
        ("__mul__", list_mul),
        ("__rmul__", list_mul),
        ("__iadd__", list_iadd),
        ("__imul__", list_imul),
        ("__eq__", list_eq),
        ("__ne__", list_ne),
        ("__lt__", list_lt),
        ("__le__", list_le),
        ("__gt__", list_gt),
        ("__ge__", list_ge),
        ("__repr__", list_repr),
    ];
    for &(name, f) in list_methods {
        vm.add_method(t.list, name, f);
    }
    let tuple_methods: &[(&'static str, NativeFn)] = &[
        ("index", tuple_index),
        ("count", tuple_count),
        ("__len__", tuple_len),
        ("__getitem__", tuple_getitem),
        ("__contains__", tuple_contains),
        ("__iter__", tuple_iter),
        ("__add__", tuple_add),
        ("__mul__", tuple_mul),
        ("__rmul__", tuple_mul),
        ("__eq__", tuple_eq),
        ("__ne__", tuple_ne),
        ("__lt__", tuple_lt),
        ("__le__", tuple_le),
        ("__gt__", tuple_gt),
        ("__ge__", tuple_ge),
        ("__hash__", tuple_hash),
        ("__repr__", tuple_repr),
    ];
    for &(name, f) in tuple_methods {
        vm.add_method(t.tuple, name, f);
    }
    let dict_methods: &[(&'static str, NativeFn)] = &[
        ("keys", dict_keys),
        ("values", dict_values),
        ("items", dict_items),
        ("get", dict_get),
        ("setdefault", dict_setdefault),
        ("pop", dict_pop),
        ("popitem", dict_popitem),
        ("update", dict_update),
        ("clear", dict_clear),
        ("copy", dict_copy),
        ("__init__", dict_init),
        ("__len__", dict_len),
        ("__getitem__", dict_getitem),
        ("__setitem__", dict_setitem),
        ("__delitem__", dict_delitem),
        ("__contains__", dict_contains),
        ("__iter__", dict_iter),
        ("__reversed__", dict_reversed),
        ("__eq__", dict_eq),
        ("__ne__", dict_ne),
        ("__or__", dict_or),
        ("__ror__", dict_ror),
        ("__ior__", dict_ior),
        ("__repr__", dict_repr),
    ];
    for &(name, f) in dict_methods {
        vm.add_method(t.dict, name, f);
    }
    // `dict.fromkeys` is a classmethod: it receives the class it is called on.
    let i = vm.register_native("fromkeys", dict_fromkeys, false);
    let f = vm.new_builtin(i, None);
    let cm = vm
        .sp
        .new_wrapper(t.classmethod, [Some(f), None, None, None]);
    let d = vm.sp.type_dict(t.dict);
    vm.sp.dict_set_name(d, "fromkeys", cm);
    for view in [t.dict_keys, t.dict_values, t.dict_items] {
        vm.add_method(view, "__len__", view_len);
        vm.add_method(view, "__iter__", view_iter);
        vm.add_method(view, "__contains__", view_contains);
        vm.add_method(view, "__reversed__", view_reversed);
    }
    for view in [t.dict_keys, t.dict_items] {
        vm.add_method(view, "isdisjoint", view_isdisjoint);
    }
    let shared_set_methods: &[(&'static str, NativeFn)] = &[
        ("copy", set_copy_m),
        ("union", set_union),
        ("intersection", set_intersection),
        ("difference", set_difference),
        ("symmetric_difference", set_symmetric_difference),
        ("issubset", set_issubset_m),
        ("issuperset", set_issuperset),
        ("isdisjoint", set_isdisjoint),
        ("__len__", set_len_m),
        ("__contains__", set_contains_m),
        ("__iter__", set_iter),
        ("__eq__", set_eq),
        ("__ne__", set_ne),
        ("__lt__", set_lt),
        ("__le__", set_le),
        ("__gt__", set_gt),
        ("__ge__", set_ge),
        ("__or__", set_or),
        ("__and__", set_and),
        ("__sub__", set_sub),
        ("__xor__", set_xor),
        ("__ror__", set_ror),
        ("__rand__", set_rand),
        ("__rsub__", set_rsub),
        ("__rxor__", set_rxor),
        ("__repr__", set_repr),
    ];
    for ty in [t.set, t.frozenset] {
        for &(name, f) in shared_set_methods {
            vm.add_method(ty, name, f);
        }
    }
    vm.add_method(t.frozenset, "__hash__", frozenset_hash);
    let set_methods: &[(&'static str, NativeFn)] = &[
        ("add", set_add_m),
        ("remove", set_remove),
        ("discard", set_discard_m),
        ("pop", set_pop),
        ("clear", set_clear),
        ("update", set_update_m),
        ("intersection_update", set_intersection_update),
        ("difference_update", set_difference_update),
        (
            "symmetric_difference_update",
            set_symmetric_difference_update,
        ),
        ("__init__", set_init),
        ("__ior__", set_ior),
        ("__iand__", set_iand),
        ("__isub__", set_isub),
        ("__ixor__", set_ixor),
    ];
    for &(name, f) in set_methods {
        vm.add_method(t.set, name, f);
    }
    // The mutable containers are unhashable.
    let none = vm.sp.none;
    for ty in [t.list, t.dict, t.set] {
        let d = vm.sp.type_dict(ty);
        vm.sp.dict_set_name(d, "__hash__", none);
    }
}

/// Whether `f` is one of the `__init__` methods of the mutable containers: these fill
/// the backing value of subclass instances, so instance creation must call them.
pub fn is_container_init(f: NativeFn) -> bool {
    [list_init as NativeFn, dict_init, set_init]
        .iter()
        .any(|&g| std::ptr::fn_addr_eq(f, g))
}

// ------------------------------------------------------------------ argument helpers

/// How a method takes its explicit arguments (for CPython's error messages).
#[derive(Clone, Copy)]
enum Form {
    /// No arguments: "list.copy() takes no arguments (1 given)".
    NoArgs,
    /// Exactly one: "list.append() takes exactly one argument (0 given)".
    One,
    /// A range: "pop expected at most 1 argument, got 2".
    Var(usize, usize),
}

/// The built-in value behind `self`.
#[inline]
fn this(vm: &Vm, a: &Args) -> Value {
    vm.unwrap_builtin(a.get(0))
}

/// Checks `self` (its built-in layout), keywords and the explicit argument count, and
/// returns the built-in value behind `self`.
fn begin(
    vm: &mut Vm,
    a: &Args,
    layout: TypeId,
    tname: &str,
    m: &str,
    form: Form,
) -> PyResult<Value> {
    if a.is_empty() {
        return Err(vm.type_error(format!("unbound method {tname}.{m}() needs an argument")));
    }
    let u = this(vm, a);
    if u.layout() != layout {
        let got = vm.type_name(a.get(0));
        return Err(vm.type_error(format!(
            "descriptor '{m}' for '{tname}' objects doesn't apply to a '{got}' object"
        )));
    }
    if a.nkw() > 0 {
        return Err(vm.type_error(format!("{tname}.{m}() takes no keyword arguments")));
    }
    let n = a.len() - 1;
    let msg = match form {
        Form::NoArgs if n != 0 => format!("{tname}.{m}() takes no arguments ({n} given)"),
        Form::One if n != 1 => format!("{tname}.{m}() takes exactly one argument ({n} given)"),
        Form::Var(min, max) if min == max && n != min => {
            format!("{m} expected {min} arguments, got {n}")
        }
        Form::Var(min, _) if n < min => format!(
            "{m} expected at least {min} argument{}, got {n}",
            plural(min)
        ),
        Form::Var(_, max) if n > max => format!(
            "{m} expected at most {max} argument{}, got {n}",
            plural(max)
        ),
        _ => return Ok(u),
    };
    Err(vm.type_error(msg))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

const LIST: TypeId = l::LIST;
const TUPLE: TypeId = l::TUPLE;
const DICT: TypeId = l::DICT;
const SET: TypeId = l::SET;

/// A mutable-set method: refuses frozensets.
fn begin_set(vm: &mut Vm, a: &Args, m: &str, form: Form) -> PyResult<Value> {
    let u = begin(vm, a, SET, "set", m, form)?;
    if u.ty().is(vm.sp.t.frozenset) {
        let got = vm.type_name(a.get(0));
        return Err(vm.type_error(format!(
            "descriptor '{m}' for 'set' objects doesn't apply to a '{got}' object"
        )));
    }
    Ok(u)
}

/// An index for `index(x, start, stop)`: ints (clamped when huge) or `__index__`.
fn slice_index(vm: &mut Vm, v: Value) -> PyResult<i64> {
    let u = vm.unwrap_builtin(v);
    if let Some(i) = vm.sp.small_int(u) {
        return Ok(i);
    }
    if u.layout() == l::BIGINT {
        use num_traits::Signed;
        return Ok(if vm.sp.to_bigint(u).is_negative() {
            i64::MIN / 4
        } else {
            i64::MAX / 4
        });
    }
    if v.layout() == l::INSTANCE && vm.lookup_type_attr(v.ty(), vm.n.index).is_some() {
        return vm.index_value(v);
    }
    Err(vm.type_error("slice indices must be integers or have an __index__ method"))
}

/// Resolves `start`/`stop` arguments of `index()` (positions `si`, `si + 1`) against
/// a length.
fn index_bounds(vm: &mut Vm, a: &Args, si: usize, n: usize) -> PyResult<(usize, usize)> {
    let fix = |i: i64| -> usize {
        if i < 0 {
            (i + n as i64).max(0) as usize
        } else {
            i as usize
        }
    };
    let start = match a.opt(si) {
        Some(v) => fix(slice_index(vm, v)?),
        None => 0,
    };
    let stop = match a.opt(si + 1) {
        Some(v) => fix(slice_index(vm, v)?),
        None => usize::MAX,
    };
    Ok((start, stop))
}

/// Whether `v` can repeat a sequence (an int or an object with `__index__`).
fn is_index_like(vm: &mut Vm, v: Value) -> bool {
    let u = vm.unwrap_builtin(v);
    vm.sp.is_int_layout(u)
        || (v.layout() == l::INSTANCE && vm.lookup_type_attr(v.ty(), vm.n.index).is_some())
}

/// Rich comparison of `self` with another value of the same built-in layout
/// (`NotImplemented` otherwise).
fn rich(vm: &mut Vm, a: &Args, layout: TypeId, tname: &str, m: &str, op: CmpOp) -> PyResult {
    let u = begin(vm, a, layout, tname, m, Form::One)?;
    let o = vm.unwrap_builtin(a.get(1));
    if o.layout() != layout {
        return Ok(vm.sp.not_implemented);
    }
    vm.compare(op, u, o)
}

macro_rules! comparisons {
    ($layout:expr, $tname:literal, $($f:ident $m:literal $op:ident),* $(,)?) => {
        $(
            fn $f(vm: &mut Vm, a: &Args) -> PyResult {
                rich(vm, a, $layout, $tname, $m, CmpOp::$op)
            }
        )*
    };
}

comparisons!(LIST, "list",
    list_eq "__eq__" Eq, list_ne "__ne__" Ne, list_lt "__lt__" Lt,
    list_le "__le__" Le, list_gt "__gt__" Gt, list_ge "__ge__" Ge);
comparisons!(TUPLE, "tuple",
    tuple_eq "__eq__" Eq, tuple_ne "__ne__" Ne, tuple_lt "__lt__" Lt,
    tuple_le "__le__" Le, tuple_gt "__gt__" Gt, tuple_ge "__ge__" Ge);
comparisons!(DICT, "dict", dict_eq "__eq__" Eq, dict_ne "__ne__" Ne);
comparisons!(SET, "set",
    set_eq "__eq__" Eq, set_ne "__ne__" Ne, set_lt "__lt__" Lt,
    set_le "__le__" Le, set_gt "__gt__" Gt, set_ge "__ge__" Ge);

/// Items of a list or tuple (a snapshot valid until the next safepoint).
fn seq_items(vm: &Vm, v: Value) -> &[Value] {
    if v.layout() == l::LIST {
        vm.sp.list_items(v)
    } else {
        vm.sp.tuple_items(v)
    }
}

/// `seq.index(x[, start[, stop]])` for lists and tuples.
fn seq_index(vm: &mut Vm, a: &Args, layout: TypeId, tname: &str) -> PyResult {
    let u = begin(vm, a, layout, tname, "index", Form::Var(1, 3))?;
    let n = seq_items(vm, u).len();
    let (start, stop) = index_bounds(vm, a, 2, n)?;
    let mut i = start;
    loop {
        let u = this(vm, a);
        let items = seq_items(vm, u);
        if i >= stop || i >= items.len() {
            break;
        }
        let item = items[i];
        if vm.eq(item, a.get(1))? {
            return Ok(vm.sp.new_int(i as i64));
        }
        i += 1;
    }
    if layout == TUPLE {
        return Err(vm.value_error("tuple.index(x): x not in tuple"));
    }
    let r = vm.repr_string(a.get(1))?;
    Err(vm.value_error(format!("{r} is not in list")))
}

/// `seq.count(x)` for lists and tuples.
fn seq_count(vm: &mut Vm, a: &Args, layout: TypeId, tname: &str) -> PyResult {
    begin(vm, a, layout, tname, "count", Form::One)?;
    let mut count = 0;
    let mut i = 0;
    loop {
        let u = this(vm, a);
        let items = seq_items(vm, u);
        if i >= items.len() {
            break;
        }
        let item = items[i];
        if vm.eq(item, a.get(1))? {
            count += 1;
        }
        i += 1;
    }
    Ok(vm.sp.new_int(count))
}

// ------------------------------------------------------------------ list

fn list_append(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "append", Form::One)?;
    vm.sp.list_append(u, a.get(1));
    Ok(vm.sp.none)
}

fn list_extend(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "extend", Form::One)?;
    vm.list_extend(u, a.get(1))?;
    Ok(vm.sp.none)
}

fn list_insert(vm: &mut Vm, a: &Args) -> PyResult {
    begin(vm, a, LIST, "list", "insert", Form::Var(2, 2))?;
    let i = vm.index_value(a.get(1))?;
    let u = this(vm, a);
    let x = a.get(2);
    let n = vm.sp.list_len(u);
    let idx = if i < 0 {
        (i + n as i64).max(0) as usize
    } else {
        (i as usize).min(n)
    };
    vm.sp.list_append(u, x);
    for k in (idx + 1..=n).rev() {
        let v = vm.sp.list_items(u)[k - 1];
        vm.sp.list_set(u, k, v);
    }
    vm.sp.list_set(u, idx, x);
    Ok(vm.sp.none)
}

/// Removes item `i` (< len) of a list.
fn list_remove_at(vm: &mut Vm, u: Value, i: usize) {
    let n = vm.sp.list_len(u);
    for k in i..n - 1 {
        let v = vm.sp.list_items(u)[k + 1];
        vm.sp.list_set(u, k, v);
    }
    vm.sp.list_set_len(u, n - 1);
}

fn list_pop(vm: &mut Vm, a: &Args) -> PyResult {
    begin(vm, a, LIST, "list", "pop", Form::Var(0, 1))?;
    let i = match a.opt(1) {
        Some(v) => vm.index_value(v)?,
        None => -1,
    };
    let u = this(vm, a);
    let n = vm.sp.list_len(u);
    if n == 0 {
        return Err(vm.index_error("pop from empty list"));
    }
    let j = if i < 0 { i + n as i64 } else { i };
    if j < 0 || j >= n as i64 {
        return Err(vm.index_error("pop index out of range"));
    }
    let v = vm.sp.list_items(u)[j as usize];
    list_remove_at(vm, u, j as usize);
    Ok(v)
}

fn list_remove(vm: &mut Vm, a: &Args) -> PyResult {
    begin(vm, a, LIST, "list", "remove", Form::One)?;
    let mut i = 0;
    loop {
        let u = this(vm, a);
        let items = vm.sp.list_items(u);
        if i >= items.len() {
            return Err(vm.value_error("list.remove(x): x not in list"));
        }
        let item = items[i];
        if vm.eq(item, a.get(1))? {
            let u = this(vm, a);
            if i < vm.sp.list_len(u) {
                list_remove_at(vm, u, i);
            }
            return Ok(vm.sp.none);
        }
        i += 1;
    }
}

fn list_index(vm: &mut Vm, a: &Args) -> PyResult {
    seq_index(vm, a, LIST, "list")
}

fn list_count(vm: &mut Vm, a: &Args) -> PyResult {
    seq_count(vm, a, LIST, "list")
}

fn list_clear(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "clear", Form::NoArgs)?;
    vm.sp.list_set_len(u, 0);
    Ok(vm.sp.none)
}

fn list_copy(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "copy", Form::NoArgs)?;
    let items = vm.sp.list_items(u).to_vec();
    Ok(vm.sp.new_list(&items))
}

fn list_reverse(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "reverse", Form::NoArgs)?;
    let mut items = vm.sp.list_items(u).to_vec();
    items.reverse();
    for (i, v) in items.into_iter().enumerate() {
        vm.sp.list_set(u, i, v);
    }
    Ok(vm.sp.none)
}

fn list_sort(vm: &mut Vm, a: &Args) -> PyResult {
    if a.is_empty() {
        return Err(vm.type_error("unbound method list.sort() needs an argument"));
    }
    if this(vm, a).layout() != l::LIST {
        let got = vm.type_name(a.get(0));
        return Err(vm.type_error(format!(
            "descriptor 'sort' for 'list' objects doesn't apply to a '{got}' object"
        )));
    }
    if a.len() > 1 {
        return Err(vm.type_error("sort() takes no positional arguments"));
    }
    let mut key = None;
    let mut reverse = false;
    for i in 0..a.nkw() {
        let (k, v) = a.kw_at(i);
        match vm.sp.str_of(k) {
            "key" => key = Some(v).filter(|v| !v.is(vm.sp.none)),
            "reverse" => reverse = vm.index_value(v)? != 0,
            other => {
                let other = other.to_owned();
                return Err(vm.type_error(format!(
                    "'{other}' is an invalid keyword argument for sort()"
                )));
            }
        }
    }
    // `key` came from the argument slots and index_value may have run Python code:
    // read it again.
    let key = key.and_then(|_| a.kw(&vm.sp, "key"));
    let u = this(vm, a);
    sort_list(vm, u, key, reverse)?;
    Ok(vm.sp.none)
}

fn list_init(vm: &mut Vm, a: &Args) -> PyResult {
    if a.nkw() > 0 {
        return Err(vm.type_error("list() takes no keyword arguments"));
    }
    if a.is_empty() || this(vm, a).layout() != l::LIST {
        let got = if a.is_empty() {
            "nothing".to_owned()
        } else {
            format!("a '{}'", vm.type_name(a.get(0)))
        };
        return Err(vm.type_error(format!(
            "descriptor '__init__' requires a 'list' object but received {got}"
        )));
    }
    if a.len() > 2 {
        return Err(vm.type_error(format!(
            "list expected at most 1 argument, got {}",
            a.len() - 1
        )));
    }
    let u = this(vm, a);
    vm.sp.list_set_len(u, 0);
    if let Some(it) = a.opt(1) {
        vm.list_extend(u, it)?;
    }
    Ok(vm.sp.none)
}

fn list_len(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__len__", Form::NoArgs)?;
    Ok(vm.sp.new_int(vm.sp.list_len(u) as i64))
}

fn list_getitem(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__getitem__", Form::One)?;
    vm.getitem(u, a.get(1))
}

fn list_setitem(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__setitem__", Form::Var(2, 2))?;
    vm.setitem(u, a.get(1), a.get(2))?;
    Ok(vm.sp.none)
}

fn list_delitem(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__delitem__", Form::One)?;
    vm.delitem(u, a.get(1))?;
    Ok(vm.sp.none)
}

fn list_contains(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__contains__", Form::One)?;
    let r = vm.contains(u, a.get(1))?;
    Ok(vm.sp.new_bool(r))
}

fn list_iter(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__iter__", Form::NoArgs)?;
    vm.get_iter(u)
}

fn list_reversed(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__reversed__", Form::NoArgs)?;
    let n = vm.sp.list_len(u) as i64;
    let ty = vm.sp.t.list_reverseiterator;
    Ok(vm.sp.new_iter(ty, Some(u), None, None, n - 1, 0))
}

fn list_add(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__add__", Form::One)?;
    let o = vm.unwrap_builtin(a.get(1));
    if o.layout() != l::LIST && a.get(0).layout() == l::INSTANCE {
        // Operator dispatch for a subclass: let the other operand try.
        return Ok(vm.sp.not_implemented);
    }
    vm.binary_op(BinOp::Add, u, o)
}

/// `seq * n` for lists and tuples (`NotImplemented` for non-integers).
fn seq_mul(vm: &mut Vm, a: &Args, layout: TypeId, tname: &str) -> PyResult {
    begin(vm, a, layout, tname, "__mul__", Form::One)?;
    if !is_index_like(vm, a.get(1)) && a.get(0).layout() == l::INSTANCE {
        return Ok(vm.sp.not_implemented);
    }
    let n = vm.index_value(a.get(1))?;
    let n = vm.sp.new_int(n);
    let u = this(vm, a);
    vm.binary_op(BinOp::Mul, u, n)
}

fn list_mul(vm: &mut Vm, a: &Args) -> PyResult {
    seq_mul(vm, a, LIST, "list")
}

fn list_iadd(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__iadd__", Form::One)?;
    vm.list_extend(u, a.get(1))?;
    Ok(a.get(0))
}

fn list_imul(vm: &mut Vm, a: &Args) -> PyResult {
    begin(vm, a, LIST, "list", "__imul__", Form::One)?;
    if !is_index_like(vm, a.get(1)) {
        return Ok(vm.sp.not_implemented);
    }
    let n = vm.index_value(a.get(1))?;
    let u = this(vm, a);
    list_repeat_in_place(vm, u, n);
    Ok(a.get(0))
}

/// `lst *= n`.
pub fn list_repeat_in_place(vm: &mut Vm, u: Value, n: i64) {
    let items = vm.sp.list_items(u).to_vec();
    let n = n.max(0) as usize;
    let mut out = Vec::with_capacity(items.len() * n);
    for _ in 0..n {
        out.extend_from_slice(&items);
    }
    vm.sp.list_replace(u, &out);
}

fn list_repr(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, LIST, "list", "__repr__", Form::NoArgs)?;
    vm.to_repr(u)
}

// ------------------------------------------------------------------ sort

/// Sorts a list in place: stable, comparing with `<` (on the keys if `key` is given),
/// `reverse` keeping equal items in their original order. Used by `list.sort` and
/// available to `sorted()`.
pub fn sort_list(vm: &mut Vm, lst: Value, key: Option<Value>, reverse: bool) -> PyResult<()> {
    let mark = vm.mark();
    let lr = vm.push_root(lst);
    let items = vm.sp.list_items(lst).to_vec();
    let n = items.len();
    let tup = vm.sp.new_tuple(&items);
    let ir = vm.push_root(tup);
    // The list looks empty while it is being sorted (as on CPython).
    let lst = vm.root(lr);
    vm.sp.list_set_len(lst, 0);
    let mut perm: Vec<usize> = (0..n).collect();
    let result = sort_perm(vm, &mut perm, ir, key, reverse);
    // Write the items back in the order reached (all of them, even after an error).
    let lst = vm.root(lr);
    let modified = vm.sp.list_len(lst) != 0;
    let tup = vm.root(ir);
    let sorted: Vec<Value> = {
        let items = vm.sp.tuple_items(tup);
        perm.iter().map(|&i| items[i]).collect()
    };
    vm.sp.list_replace(lst, &sorted);
    vm.reset_roots(mark);
    result?;
    if modified {
        return Err(vm.value_error("list modified during sort"));
    }
    Ok(())
}

/// Key of one item for the native fast paths.
enum FastKeys<'a> {
    Ints(Vec<i64>),
    Floats(Vec<f64>),
    Strs(Vec<&'a [u8]>),
}

/// Keys that can be compared in Rust with the same result as Python's `<`: all small
/// ints, all floats without NaN, or all (exact) strs.
fn fast_keys(vm: &Vm, keys: &[Value]) -> Option<FastKeys<'static>> {
    let first = *keys.first()?;
    let exact = |v: Value| vm.sp.type_data(v.ty()).kind != Kind::Instance;
    match first.layout() {
        l::INT => keys
            .iter()
            .map(|&k| {
                if k.layout() == l::INT && exact(k) {
                    vm.sp.small_int(k)
                } else {
                    None
                }
            })
            .collect::<Option<Vec<i64>>>()
            .map(FastKeys::Ints),
        l::FLOAT => keys
            .iter()
            .map(|&k| {
                if k.layout() == l::FLOAT && exact(k) {
                    Some(vm.sp.float_value(k)).filter(|f| !f.is_nan())
                } else {
                    None
                }
            })
            .collect::<Option<Vec<f64>>>()
            .map(FastKeys::Floats),
        l::STR => {
            if keys.iter().all(|&k| k.layout() == l::STR && exact(k)) {
                // SAFETY: the byte slices point into str objects that stay in place
                // while the fast path sorts: it runs no Python code and allocates
                // nothing, and the keys are rooted by the caller. They are dropped
                // before the caller does anything else.
                let v = keys
                    .iter()
                    .map(|&k| unsafe { &*(vm.sp.bytes_of(k) as *const [u8]) })
                    .collect();
                Some(FastKeys::Strs(v))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Sorts the index permutation `perm` of the items in the tuple rooted at `ir`.
fn sort_perm(
    vm: &mut Vm,
    perm: &mut [usize],
    ir: usize,
    key: Option<Value>,
    reverse: bool,
) -> PyResult<()> {
    let n = perm.len();
    // The keys: the items themselves, or key(item) for each, in a rooted tuple.
    let kr = match key {
        None => ir,
        Some(f) => {
            let fr = vm.push_root(f);
            let kl = vm.sp.new_list_with_capacity(n);
            let klr = vm.push_root(kl);
            for i in 0..n {
                let tup = vm.root(ir);
                let item = vm.sp.tuple_items(tup)[i];
                let f = vm.root(fr);
                let k = vm.call(f, &[item])?;
                let kl = vm.root(klr);
                vm.sp.list_append(kl, k);
            }
            let kl = vm.root(klr);
            let ks = vm.sp.list_items(kl).to_vec();
            let kt = vm.sp.new_tuple(&ks);
            vm.push_root(kt)
        }
    };
    if n < 2 {
        return Ok(());
    }
    if reverse {
        perm.reverse();
    }
    let kt = vm.root(kr);
    let keys = vm.sp.tuple_items(kt).to_vec();
    if let Some(fk) = fast_keys(vm, &keys) {
        match fk {
            FastKeys::Ints(k) => perm.sort_by(|&x, &y| k[x].cmp(&k[y])),
            FastKeys::Floats(k) => {
                perm.sort_by(|&x, &y| k[x].partial_cmp(&k[y]).unwrap_or(std::cmp::Ordering::Equal))
            }
            FastKeys::Strs(k) => perm.sort_by(|&x, &y| k[x].cmp(k[y])),
        }
    } else {
        drop(keys);
        let mut lt = |vm: &mut Vm, x: usize, y: usize| -> PyResult<bool> {
            let kt = vm.root(kr);
            let (p, q) = {
                let ks = vm.sp.tuple_items(kt);
                (ks[x], ks[y])
            };
            vm.compare_bool(CmpOp::Lt, p, q)
        };
        merge_sort(vm, perm, &mut lt)?;
    }
    if reverse {
        perm.reverse();
    }
    Ok(())
}

/// Runs shorter than this are sorted by binary insertion before merging.
const MIN_RUN: usize = 32;

type LessFn<'a> = dyn FnMut(&mut Vm, usize, usize) -> PyResult<bool> + 'a;

/// Stable bottom-up merge sort of `s` with the comparison `lt`. On an error `s` is
/// still a permutation of its original contents.
fn merge_sort(vm: &mut Vm, s: &mut [usize], lt: &mut LessFn) -> PyResult<()> {
    let n = s.len();
    let mut start = 0;
    while start < n {
        let end = (start + MIN_RUN).min(n);
        insertion_sort(vm, &mut s[start..end], lt)?;
        start = end;
    }
    let mut buf = Vec::with_capacity(n / 2 + 1);
    let mut width = MIN_RUN;
    while width < n {
        let mut lo = 0;
        while lo + width < n {
            let mid = lo + width;
            let hi = (mid + width).min(n);
            merge(vm, &mut s[lo..hi], mid - lo, &mut buf, lt)?;
            lo = hi;
        }
        width *= 2;
    }
    Ok(())
}

/// Stable binary insertion sort.
fn insertion_sort(vm: &mut Vm, s: &mut [usize], lt: &mut LessFn) -> PyResult<()> {
    for i in 1..s.len() {
        let x = s[i];
        // The first position whose item is greater than x (after equal items).
        let (mut lo, mut hi) = (0, i);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if lt(vm, x, s[mid])? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        s.copy_within(lo..i, lo + 1);
        s[lo] = x;
    }
    Ok(())
}

/// Merges the sorted runs `s[..mid]` and `s[mid..]` (stable: left items first on ties).
fn merge(
    vm: &mut Vm,
    s: &mut [usize],
    mid: usize,
    buf: &mut Vec<usize>,
    lt: &mut LessFn,
) -> PyResult<()> {
    // Already in order?
    if !lt(vm, s[mid], s[mid - 1])? {
        return Ok(());
    }
    buf.clear();
    buf.extend_from_slice(&s[..mid]);
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < buf.len() && j < s.len() {
        let take_right = match lt(vm, s[j], buf[i]) {
            Ok(b) => b,
            Err(e) => {
                // Keep a permutation: the unmerged left items fill the gap.
                s[k..k + buf.len() - i].copy_from_slice(&buf[i..]);
                return Err(e);
            }
        };
        if take_right {
            s[k] = s[j];
            j += 1;
        } else {
            s[k] = buf[i];
            i += 1;
        }
        k += 1;
    }
    let rest = buf.len() - i;
    s[k..k + rest].copy_from_slice(&buf[i..]);
    Ok(())
}

// ------------------------------------------------------------------ tuple

fn tuple_index(vm: &mut Vm, a: &Args) -> PyResult {
    seq_index(vm, a, TUPLE, "tuple")
}

fn tuple_count(vm: &mut Vm, a: &Args) -> PyResult {
    seq_count(vm, a, TUPLE, "tuple")
}

fn tuple_len(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, TUPLE, "tuple", "__len__", Form::NoArgs)?;
    Ok(vm.sp.new_int(vm.sp.tuple_len(u) as i64))
}

fn tuple_getitem(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, TUPLE, "tuple", "__getitem__", Form::One)?;
    vm.getitem(u, a.get(1))
}

fn tuple_contains(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, TUPLE, "tuple", "__contains__", Form::One)?;
    let r = vm.contains(u, a.get(1))?;
    Ok(vm.sp.new_bool(r))
}

fn tuple_iter(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, TUPLE, "tuple", "__iter__", Form::NoArgs)?;
    vm.get_iter(u)
}

fn tuple_add(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, TUPLE, "tuple", "__add__", Form::One)?;
    let o = vm.unwrap_builtin(a.get(1));
    if o.layout() != l::TUPLE && a.get(0).layout() == l::INSTANCE {
        // Operator dispatch for a subclass: let the other operand try.
        return Ok(vm.sp.not_implemented);
    }
    vm.binary_op(BinOp::Add, u, o)
}

fn tuple_mul(vm: &mut Vm, a: &Args) -> PyResult {
    seq_mul(vm, a, TUPLE, "tuple")
}

fn tuple_hash(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, TUPLE, "tuple", "__hash__", Form::NoArgs)?;
    let h = vm.hash(u)?;
    Ok(vm.sp.new_int(h))
}

fn tuple_repr(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, TUPLE, "tuple", "__repr__", Form::NoArgs)?;
    vm.to_repr(u)
}

// ------------------------------------------------------------------ dict

fn new_view(vm: &mut Vm, ty: Value, d: Value) -> Value {
    vm.sp.new_iter(ty, Some(d), None, None, 0, 0)
}

fn dict_keys(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "keys", Form::NoArgs)?;
    let ty = vm.sp.t.dict_keys;
    Ok(new_view(vm, ty, u))
}

fn dict_values(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "values", Form::NoArgs)?;
    let ty = vm.sp.t.dict_values;
    Ok(new_view(vm, ty, u))
}

fn dict_items(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "items", Form::NoArgs)?;
    let ty = vm.sp.t.dict_items;
    Ok(new_view(vm, ty, u))
}

fn dict_get(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "get", Form::Var(1, 2))?;
    match vm.dict_getitem_opt(u, a.get(1))? {
        Some(v) => Ok(v),
        None => Ok(a.opt(2).unwrap_or(vm.sp.none)),
    }
}

fn dict_setdefault(vm: &mut Vm, a: &Args) -> PyResult {
    begin(vm, a, DICT, "dict", "setdefault", Form::Var(1, 2))?;
    let h = vm.hash(a.get(1))?;
    let u = this(vm, a);
    if let Some(v) = dicts::dict_get(vm, u, a.get(1), h)? {
        return Ok(v);
    }
    let d = a.opt(2).unwrap_or(vm.sp.none);
    let u = this(vm, a);
    dicts::dict_set(vm, u, a.get(1), h, d)?;
    Ok(a.opt(2).unwrap_or(vm.sp.none))
}

fn dict_pop(vm: &mut Vm, a: &Args) -> PyResult {
    begin(vm, a, DICT, "dict", "pop", Form::Var(1, 2))?;
    let h = vm.hash(a.get(1))?;
    let u = this(vm, a);
    match dicts::dict_del(vm, u, a.get(1), h)? {
        Some(v) => Ok(v),
        None => match a.opt(2) {
            Some(d) => Ok(d),
            None => Err(vm.key_error(a.get(1))),
        },
    }
}

fn dict_popitem(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "popitem", Form::NoArgs)?;
    match vm.sp.dict_pop_last(u) {
        Some((k, v)) => Ok(vm.sp.new_tuple(&[k, v])),
        None => {
            let m = vm.sp.new_str("popitem(): dictionary is empty");
            Err(vm.key_error(m))
        }
    }
}

/// `d.update(other, **kw)` on the dict `d` (argument 0's backing value); `first` is
/// the index of the first positional argument after `self`.
fn update_from_args(vm: &mut Vm, a: &Args, name: &str) -> PyResult<()> {
    let n = a.len() - 1;
    if n > 1 {
        return Err(vm.type_error(format!("{name} expected at most 1 argument, got {n}")));
    }
    if let Some(m) = a.opt(1) {
        let keys = vm.sp.intern("keys");
        let mapping =
            vm.unwrap_builtin(m).layout() == l::DICT || vm.lookup_type_attr(m.ty(), keys).is_some();
        // Not a mapping: an iterable of pairs ("'int' object is not iterable").
        let src = if mapping { m } else { vm.get_iter(m)? };
        let u = this(vm, a);
        vm.dict_update(u, src, false)?;
    }
    for i in 0..a.nkw() {
        let (k, v) = a.kw_at(i);
        let u = this(vm, a);
        vm.dict_setitem(u, k, v)?;
    }
    Ok(())
}

fn check_dict_self(vm: &mut Vm, a: &Args, m: &str) -> PyResult<()> {
    if a.is_empty() {
        return Err(vm.type_error(format!("unbound method dict.{m}() needs an argument")));
    }
    if this(vm, a).layout() != l::DICT {
        let got = vm.type_name(a.get(0));
        return Err(vm.type_error(format!(
            "descriptor '{m}' for 'dict' objects doesn't apply to a '{got}' object"
        )));
    }
    Ok(())
}

fn dict_update(vm: &mut Vm, a: &Args) -> PyResult {
    check_dict_self(vm, a, "update")?;
    update_from_args(vm, a, "update")?;
    Ok(vm.sp.none)
}

fn dict_init(vm: &mut Vm, a: &Args) -> PyResult {
    check_dict_self(vm, a, "__init__")?;
    update_from_args(vm, a, "dict")?;
    Ok(vm.sp.none)
}

fn dict_clear(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "clear", Form::NoArgs)?;
    vm.sp.dict_clear(u);
    Ok(vm.sp.none)
}

fn dict_copy(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "copy", Form::NoArgs)?;
    Ok(vm.sp.dict_copy(u))
}

fn dict_fromkeys(vm: &mut Vm, a: &Args) -> PyResult {
    if a.nkw() > 0 {
        return Err(vm.type_error("dict.fromkeys() takes no keyword arguments"));
    }
    if a.is_empty() {
        return Err(vm.type_error("fromkeys expected at least 1 argument, got 0"));
    }
    let n = a.len() - 1;
    if n == 0 {
        return Err(vm.type_error("fromkeys expected at least 1 argument, got 0"));
    }
    if n > 2 {
        return Err(vm.type_error(format!("fromkeys expected at most 2 arguments, got {n}")));
    }
    let cls = a.get(0);
    let d = if cls.is(vm.sp.t.dict) {
        vm.sp.new_dict()
    } else {
        vm.call(cls, &[])?
    };
    let mark = vm.mark();
    let dr = vm.push_root(d);
    let it = vm.get_iter(a.get(1))?;
    let itr = vm.push_root(it);
    loop {
        let it = vm.root(itr);
        let Some(k) = vm.iter_next(it)? else { break };
        let v = a.opt(2).unwrap_or(vm.sp.none);
        let d = vm.root(dr);
        if d.layout() == l::DICT {
            vm.dict_setitem(d, k, v)?;
        } else {
            vm.setitem(d, k, v)?;
        }
    }
    let d = vm.root(dr);
    vm.reset_roots(mark);
    Ok(d)
}

fn dict_len(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "__len__", Form::NoArgs)?;
    Ok(vm.sp.new_int(vm.sp.dict_len(u) as i64))
}

fn dict_getitem(vm: &mut Vm, a: &Args) -> PyResult {
    begin(vm, a, DICT, "dict", "__getitem__", Form::One)?;
    let h = vm.hash(a.get(1))?;
    let u = this(vm, a);
    if let Some(v) = dicts::dict_get(vm, u, a.get(1), h)? {
        return Ok(v);
    }
    let s = a.get(0);
    if s.layout() == l::INSTANCE {
        if let Some(r) = vm.call_special(s, vm.n.missing, &[a.get(1)])? {
            return Ok(r);
        }
    }
    Err(vm.key_error(a.get(1)))
}

fn dict_setitem(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "__setitem__", Form::Var(2, 2))?;
    vm.dict_setitem(u, a.get(1), a.get(2))?;
    Ok(vm.sp.none)
}

fn dict_delitem(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "__delitem__", Form::One)?;
    vm.delitem(u, a.get(1))?;
    Ok(vm.sp.none)
}

fn dict_contains(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "__contains__", Form::One)?;
    let r = vm.contains(u, a.get(1))?;
    Ok(vm.sp.new_bool(r))
}

fn dict_iter(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "__iter__", Form::NoArgs)?;
    vm.get_iter(u)
}

fn dict_reversed(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "__reversed__", Form::NoArgs)?;
    let keys: Vec<Value> = vm.sp.dict_items(u).into_iter().map(|(k, _)| k).collect();
    let lst = vm.sp.new_list(&keys);
    let ty = vm.sp.t.list_reverseiterator;
    Ok(vm
        .sp
        .new_iter(ty, Some(lst), None, None, keys.len() as i64 - 1, 0))
}

fn dict_or(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "__or__", Form::One)?;
    let o = vm.unwrap_builtin(a.get(1));
    if o.layout() != l::DICT {
        return Ok(vm.sp.not_implemented);
    }
    let d = vm.sp.dict_copy(u);
    let r = vm.push_root(d);
    let o = vm.unwrap_builtin(a.get(1));
    vm.dict_update(d, o, false)?;
    Ok(vm.root(r))
}

fn dict_ror(vm: &mut Vm, a: &Args) -> PyResult {
    begin(vm, a, DICT, "dict", "__ror__", Form::One)?;
    let o = vm.unwrap_builtin(a.get(1));
    if o.layout() != l::DICT {
        return Ok(vm.sp.not_implemented);
    }
    let d = vm.sp.dict_copy(o);
    let r = vm.push_root(d);
    let u = this(vm, a);
    vm.dict_update(d, u, false)?;
    Ok(vm.root(r))
}

fn dict_ior(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "__ior__", Form::One)?;
    vm.dict_update(u, a.get(1), false)?;
    Ok(a.get(0))
}

fn dict_repr(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, DICT, "dict", "__repr__", Form::NoArgs)?;
    vm.to_repr(u)
}

// ------------------------------------------------------------------ dict views

/// Whether `v` is a keys or items view (the set-like views).
pub fn is_set_view(vm: &Vm, v: Value) -> bool {
    vm.sp.kind(v) == Kind::DictView && !v.ty().is(vm.sp.t.dict_values)
}

fn view_self(vm: &mut Vm, a: &Args, m: &str) -> PyResult<Value> {
    let v = a.get(0);
    if vm.sp.kind(v) != Kind::DictView {
        let got = vm.type_name(v);
        return Err(vm.type_error(format!(
            "descriptor '{m}' for dict views doesn't apply to a '{got}' object"
        )));
    }
    Ok(v)
}

fn view_len(vm: &mut Vm, a: &Args) -> PyResult {
    let v = view_self(vm, a, "__len__")?;
    let n = vm.len(v)?;
    Ok(vm.sp.new_int(n as i64))
}

fn view_iter(vm: &mut Vm, a: &Args) -> PyResult {
    let v = view_self(vm, a, "__iter__")?;
    vm.get_iter(v)
}

fn view_contains(vm: &mut Vm, a: &Args) -> PyResult {
    let v = view_self(vm, a, "__contains__")?;
    check_args(vm, a, "__contains__", 2, 2)?;
    let r = vm.contains(v, a.get(1))?;
    Ok(vm.sp.new_bool(r))
}

fn view_reversed(vm: &mut Vm, a: &Args) -> PyResult {
    let v = view_self(vm, a, "__reversed__")?;
    let items = vm.list_from_iter(v)?;
    let n = vm.sp.list_len(items) as i64;
    let ty = vm.sp.t.list_reverseiterator;
    Ok(vm.sp.new_iter(ty, Some(items), None, None, n - 1, 0))
}

fn view_isdisjoint(vm: &mut Vm, a: &Args) -> PyResult {
    let v = view_self(vm, a, "isdisjoint")?;
    if a.len() != 2 {
        let tn = vm.type_name(v);
        return Err(vm.type_error(format!(
            "{tn}.isdisjoint() takes exactly one argument ({} given)",
            a.len() - 1
        )));
    }
    if v.is(a.get(1)) {
        let n = vm.len(v)?;
        return Ok(vm.sp.new_bool(n == 0));
    }
    let mark = vm.mark();
    let it = vm.get_iter(a.get(1))?;
    let itr = vm.push_root(it);
    loop {
        let it = vm.root(itr);
        let Some(x) = vm.iter_next(it)? else { break };
        if vm.contains(a.get(0), x)? {
            vm.reset_roots(mark);
            return Ok(vm.sp.false_);
        }
    }
    vm.reset_roots(mark);
    Ok(vm.sp.true_)
}

/// A new set holding the elements of `v` (a view's dict directly for keys views).
fn view_to_set(vm: &mut Vm, v: Value) -> PyResult {
    let src = if v.ty().is(vm.sp.t.dict_keys) {
        // SAFETY: ITER layout: the dict at A.
        unsafe { v.get_ref(l::ITER_A).unwrap_unchecked() }
    } else {
        v
    };
    let s = vm.sp.new_set(false);
    let mark = vm.mark();
    let sr = vm.push_root(s);
    set_update_internal(vm, s, src)?;
    let s = vm.root(sr);
    vm.reset_roots(mark);
    Ok(s)
}

/// `|`, `&`, `-`, `^` where one operand is a keys or items view: the result is a set.
pub fn view_binop(vm: &mut Vm, op: BinOp, a: Value, b: Value) -> PyResult {
    let mark = vm.mark();
    let (ar, br) = (vm.push_root(a), vm.push_root(b));
    if op == BinOp::And {
        // Iterate the other operand, testing membership in the view.
        let (mut vr, mut or) = if is_set_view(vm, a) {
            (ar, br)
        } else {
            (br, ar)
        };
        let (v, o) = (vm.root(vr), vm.root(or));
        let len_v = vm.len(v)?;
        if o.layout() == l::SET && o.ty().is(vm.sp.t.set) && len_v <= vm.sp.set_len(o) {
            let (v, o) = (vm.root(vr), vm.root(or));
            let r = intersection(vm, o, v)?;
            vm.reset_roots(mark);
            return Ok(r);
        }
        let o = vm.root(or);
        if is_set_view(vm, o) && vm.len(o)? > len_v {
            std::mem::swap(&mut vr, &mut or);
        }
        let res = vm.sp.new_set(false);
        let rr = vm.push_root(res);
        let o = vm.root(or);
        let it = vm.get_iter(o)?;
        let itr = vm.push_root(it);
        loop {
            let it = vm.root(itr);
            let Some(x) = vm.iter_next(it)? else { break };
            let xr = vm.push_root(x);
            let v = vm.root(vr);
            if vm.contains(v, x)? {
                let (res, x) = (vm.root(rr), vm.root(xr));
                vm.set_add_value(res, x)?;
            }
            vm.reset_roots(xr);
        }
        let res = vm.root(rr);
        vm.reset_roots(mark);
        return Ok(res);
    }
    let s = view_to_set(vm, a)?;
    let sr = vm.push_root(s);
    let b = vm.root(br);
    match op {
        BinOp::Or => set_update_internal(vm, s, b)?,
        BinOp::Sub => difference_update_internal(vm, s, b)?,
        _ => symmetric_difference_update(vm, s, b)?,
    }
    let s = vm.root(sr);
    vm.reset_roots(mark);
    Ok(s)
}

// ------------------------------------------------------------------ set algorithms

/// The table mask of a set (a set without a table acts as an empty 8-slot one).
fn set_mask(vm: &Vm, s: Value) -> usize {
    vm.sp.set_table_size(s).max(8) - 1
}

/// Slots in use, dummies included.
fn set_fill(s: Value) -> usize {
    // SAFETY: SET layout.
    unsafe { s.get::<usize>(l::SET_FILL) }
}

/// A new empty set of the base type of `s` (frozenset for frozensets).
fn new_like(vm: &mut Vm, s: Value) -> Value {
    let frozen = s.ty().is(vm.sp.t.frozenset);
    vm.sp.new_set(frozen)
}

/// Gives the empty set `so` a copy of the table of `other`.
fn clone_table(vm: &mut Vm, so: Value, other: Value) {
    let size = vm.sp.set_table_size(other);
    let keys = vm.sp.alloc_refarray(size);
    let hashes = vm.sp.alloc_bytebuf(size * 8);
    // SAFETY: SET layout for both sets; the new arrays hold `size` slots like the
    // other set's; stores go through the write barrier.
    unsafe {
        let ok = other.get_ref(l::SET_KEYS).unwrap_unchecked();
        let oh = other.get_ref(l::SET_HASHES).unwrap_unchecked();
        for i in 0..size {
            let k = ok.get_ref(l::ARRAY_ITEMS + 8 * i);
            vm.sp.store_item(keys, l::ARRAY_ITEMS, i, k);
        }
        std::ptr::copy_nonoverlapping(
            oh.ptr::<i64>(l::ARRAY_ITEMS),
            hashes.ptr::<i64>(l::ARRAY_ITEMS),
            size,
        );
        vm.sp.store(so, l::SET_KEYS, Some(keys));
        vm.sp.store(so, l::SET_HASHES, Some(hashes));
        so.set::<usize>(l::SET_FILL, set_fill(other));
        so.set::<usize>(l::SET_USED, vm.sp.set_len(other));
    }
}

/// Calls `f(vm, key, hash)` for each element of the set rooted at `sr`, in table order,
/// re-reading the set after each call; `f` returns false to stop. Returns whether it
/// ran to the end.
fn for_each_slot(
    vm: &mut Vm,
    sr: usize,
    f: &mut dyn FnMut(&mut Vm, Value, i64) -> PyResult<bool>,
) -> PyResult<bool> {
    let mut i = 0;
    loop {
        let s = vm.root(sr);
        if i >= vm.sp.set_table_size(s) {
            return Ok(true);
        }
        let slot = vm.sp.set_slot(s, i);
        let h = vm.sp.set_slot_hash(s, i);
        i += 1;
        if let Some(k) = slot {
            let mark = vm.mark();
            let go = f(vm, k, h);
            vm.reset_roots(mark);
            if !go? {
                return Ok(false);
            }
        }
    }
}

/// Calls `f(vm, item)` for each item of an iterable; `f` returns false to stop.
fn for_each_item(
    vm: &mut Vm,
    iterable: Value,
    f: &mut dyn FnMut(&mut Vm, Value) -> PyResult<bool>,
) -> PyResult<bool> {
    let mark = vm.mark();
    let it = vm.get_iter(iterable)?;
    let itr = vm.push_root(it);
    loop {
        let it = vm.root(itr);
        let Some(x) = vm.iter_next(it)? else { break };
        let m = vm.mark();
        let go = f(vm, x);
        vm.reset_roots(m);
        if !go? {
            vm.reset_roots(mark);
            return Ok(false);
        }
    }
    vm.reset_roots(mark);
    Ok(true)
}

/// Adds every element of the set `other` to `so` (CPython's `set_merge`).
fn set_merge(vm: &mut Vm, so: Value, other: Value) -> PyResult<()> {
    let ou = vm.sp.set_len(other);
    if other.is(so) || ou == 0 {
        return Ok(());
    }
    let used = vm.sp.set_len(so);
    if (set_fill(so) + ou) * 5 >= set_mask(vm, so) * 3 {
        vm.sp.set_resize(so, (used + ou) * 2);
    }
    if set_fill(so) == 0 && set_mask(vm, so) == set_mask(vm, other) && set_fill(other) == ou {
        clone_table(vm, so, other);
        return Ok(());
    }
    let mark = vm.mark();
    let sr = vm.push_root(so);
    let or = vm.push_root(other);
    let r = for_each_slot(vm, or, &mut |vm, k, h| {
        let s = vm.root(sr);
        sets::set_add(vm, s, k, h)?;
        Ok(true)
    });
    vm.reset_roots(mark);
    r.map(|_| ())
}

/// `so.update(other)` for one iterable (CPython's `set_update_internal`).
pub fn set_update_internal(vm: &mut Vm, so: Value, other: Value) -> PyResult<()> {
    let ou = vm.unwrap_builtin(other);
    if ou.layout() == l::SET {
        return set_merge(vm, so, ou);
    }
    let mark = vm.mark();
    let sr = vm.push_root(so);
    if other.layout() == l::DICT {
        let n = vm.sp.dict_len(other);
        let used = vm.sp.set_len(so);
        if (set_fill(so) + n) * 5 >= set_mask(vm, so) * 3 {
            vm.sp.set_resize(so, (used + n) * 2);
        }
        let dr = vm.push_root(other);
        let mut i = 0;
        loop {
            let d = vm.root(dr);
            if i >= vm.sp.dict_nentries(d) {
                break;
            }
            if let Some((k, _)) = vm.sp.dict_entry(d, i) {
                let h = vm.sp.dict_entry_hash(d, i);
                let s = vm.root(sr);
                sets::set_add(vm, s, k, h)?;
            }
            i += 1;
        }
        vm.reset_roots(mark);
        return Ok(());
    }
    for_each_item(vm, other, &mut |vm, x| {
        let s = vm.root(sr);
        vm.set_add_value(s, x)?;
        Ok(true)
    })?;
    vm.reset_roots(mark);
    Ok(())
}

/// A copy of a set, of its base type.
pub fn set_copy(vm: &mut Vm, so: Value) -> PyResult {
    let r = new_like(vm, so);
    let rr = vm.push_root(r);
    let res = set_merge(vm, r, so);
    let r = vm.root(rr);
    vm.reset_roots(rr);
    res.map(|_| r)
}

/// A new set (of the base type of `like`) from an iterable.
fn set_from(vm: &mut Vm, like: Value, it: Value) -> PyResult {
    let mark = vm.mark();
    let itr = vm.push_root(it);
    let r = new_like(vm, like);
    let rr = vm.push_root(r);
    let it = vm.root(itr);
    set_update_internal(vm, r, it)?;
    let r = vm.root(rr);
    vm.reset_roots(mark);
    Ok(r)
}

/// `so & other` / `so.intersection(other)` (CPython's `set_intersection`).
fn intersection(vm: &mut Vm, so: Value, other: Value) -> PyResult {
    let ou = vm.unwrap_builtin(other);
    if so.is(ou) {
        return set_copy(vm, so);
    }
    let mark = vm.mark();
    let (sr, or) = (vm.push_root(so), vm.push_root(other));
    let r = new_like(vm, so);
    let rr = vm.push_root(r);
    if ou.layout() == l::SET {
        let our = vm.push_root(ou);
        let so = vm.root(sr);
        // Iterate the smaller set, looking its elements up in the larger.
        let (big, small) = if vm.sp.set_len(ou) > vm.sp.set_len(so) {
            (our, sr)
        } else {
            (sr, our)
        };
        for_each_slot(vm, small, &mut |vm, k, h| {
            let kr = vm.push_root(k);
            let b = vm.root(big);
            if sets::set_contains(vm, b, k, h)? {
                let (r, k) = (vm.root(rr), vm.root(kr));
                sets::set_add(vm, r, k, h)?;
            }
            Ok(true)
        })?;
    } else {
        let other = vm.root(or);
        for_each_item(vm, other, &mut |vm, x| {
            let xr = vm.push_root(x);
            let h = vm.hash(x)?;
            let (s, x) = (vm.root(sr), vm.root(xr));
            if sets::set_contains(vm, s, x, h)? {
                let (r, x) = (vm.root(rr), vm.root(xr));
                sets::set_add(vm, r, x, h)?;
            }
            Ok(true)
        })?;
    }
    let r = vm.root(rr);
    vm.reset_roots(mark);
    Ok(r)
}

/// Removes the elements of `other` from `so` (CPython's
/// `set_difference_update_internal`), compacting the table if many dummies remain.
fn difference_update_internal(vm: &mut Vm, so: Value, other: Value) -> PyResult<()> {
    let ou = vm.unwrap_builtin(other);
    if so.is(ou) {
        vm.sp.set_clear(so);
        return Ok(());
    }
    let mark = vm.mark();
    let sr = vm.push_root(so);
    if ou.layout() == l::SET {
        let src = if (vm.sp.set_len(ou) >> 3) > vm.sp.set_len(so) {
            intersection(vm, so, ou)?
        } else {
            ou
        };
        let srcr = vm.push_root(src);
        for_each_slot(vm, srcr, &mut |vm, k, h| {
            let s = vm.root(sr);
            sets::set_discard(vm, s, k, h)?;
            Ok(true)
        })?;
    } else {
        for_each_item(vm, other, &mut |vm, x| {
            let xr = vm.push_root(x);
            let h = vm.hash(x)?;
            let (s, x) = (vm.root(sr), vm.root(xr));
            sets::set_discard(vm, s, x, h)?;
            Ok(true)
        })?;
    }
    let so = vm.root(sr);
    vm.reset_roots(mark);
    let used = vm.sp.set_len(so);
    if set_fill(so) - used > set_mask(vm, so) / 4 {
        vm.sp
            .set_resize(so, if used > 50_000 { used * 2 } else { used * 4 });
    }
    Ok(())
}

/// `so - other` / `so.difference(other)` (CPython's `set_difference`).
fn difference(vm: &mut Vm, so: Value, other: Value) -> PyResult {
    let ou = vm.unwrap_builtin(other);
    let other_size = if ou.layout() == l::SET {
        Some(vm.sp.set_len(ou))
    } else if other.layout() == l::DICT {
        Some(vm.sp.dict_len(other))
    } else {
        None
    };
    let mark = vm.mark();
    let (sr, or) = (vm.push_root(so), vm.push_root(other));
    let small = other_size.is_some_and(|n| (vm.sp.set_len(so) >> 2) <= n);
    if !small {
        let r = set_copy(vm, so)?;
        let rr = vm.push_root(r);
        let other = vm.root(or);
        difference_update_internal(vm, r, other)?;
        let r = vm.root(rr);
        vm.reset_roots(mark);
        return Ok(r);
    }
    let r = new_like(vm, so);
    let rr = vm.push_root(r);
    let our = vm.push_root(ou);
    let is_dict = other.layout() == l::DICT;
    for_each_slot(vm, sr, &mut |vm, k, h| {
        let kr = vm.push_root(k);
        let o = vm.root(our);
        let found = if is_dict {
            dicts::dict_get(vm, o, k, h)?.is_some()
        } else {
            sets::set_contains(vm, o, k, h)?
        };
        if !found {
            let (r, k) = (vm.root(rr), vm.root(kr));
            sets::set_add(vm, r, k, h)?;
        }
        Ok(true)
    })?;
    let r = vm.root(rr);
    vm.reset_roots(mark);
    Ok(r)
}

/// `so ^= other` (CPython's `set_symmetric_difference_update`).
fn symmetric_difference_update(vm: &mut Vm, so: Value, other: Value) -> PyResult<()> {
    let ou = vm.unwrap_builtin(other);
    if so.is(ou) {
        vm.sp.set_clear(so);
        return Ok(());
    }
    let mark = vm.mark();
    let sr = vm.push_root(so);
    if other.layout() == l::DICT {
        let dr = vm.push_root(other);
        let mut i = 0;
        loop {
            let d = vm.root(dr);
            if i >= vm.sp.dict_nentries(d) {
                break;
            }
            if let Some((k, _)) = vm.sp.dict_entry(d, i) {
                let h = vm.sp.dict_entry_hash(d, i);
                let kr = vm.push_root(k);
                let s = vm.root(sr);
                if !sets::set_discard(vm, s, k, h)? {
                    let (s, k) = (vm.root(sr), vm.root(kr));
                    sets::set_add(vm, s, k, h)?;
                }
                vm.reset_roots(kr);
            }
            i += 1;
        }
        vm.reset_roots(mark);
        return Ok(());
    }
    let otherset = if ou.layout() == l::SET {
        ou
    } else {
        let so = vm.root(sr);
        set_from(vm, so, other)?
    };
    let osr = vm.push_root(otherset);
    for_each_slot(vm, osr, &mut |vm, k, h| {
        let kr = vm.push_root(k);
        let s = vm.root(sr);
        if !sets::set_discard(vm, s, k, h)? {
            let (s, k) = (vm.root(sr), vm.root(kr));
            sets::set_add(vm, s, k, h)?;
        }
        Ok(true)
    })?;
    vm.reset_roots(mark);
    Ok(())
}

/// `so ^ other` (CPython's `set_symmetric_difference`).
fn symmetric_difference(vm: &mut Vm, so: Value, other: Value) -> PyResult {
    let mark = vm.mark();
    let sr = vm.push_root(so);
    let r = set_from(vm, so, other)?;
    let rr = vm.push_root(r);
    let so = vm.root(sr);
    symmetric_difference_update(vm, r, so)?;
    let r = vm.root(rr);
    vm.reset_roots(mark);
    Ok(r)
}

/// Replaces the contents of `so` by those of `tmp` (which is then discarded).
fn take_body(vm: &mut Vm, so: Value, tmp: Value) {
    // SAFETY: SET layout for both; stores go through the write barrier.
    unsafe {
        let (k, h) = (tmp.get_ref(l::SET_KEYS), tmp.get_ref(l::SET_HASHES));
        vm.sp.store(so, l::SET_KEYS, k);
        vm.sp.store(so, l::SET_HASHES, h);
        so.set::<usize>(l::SET_FILL, set_fill(tmp));
        so.set::<usize>(l::SET_USED, vm.sp.set_len(tmp));
    }
}

/// Whether every element of the set `so` is in `other` (any iterable).
pub fn set_issubset(vm: &mut Vm, so: Value, other: Value) -> PyResult<bool> {
    let ou = vm.unwrap_builtin(other);
    if ou.layout() != l::SET {
        let mark = vm.mark();
        let sr = vm.push_root(so);
        let tmp = set_from(vm, so, other)?;
        let so = vm.root(sr);
        vm.reset_roots(mark);
        return set_issubset(vm, so, tmp);
    }
    if vm.sp.set_len(so) > vm.sp.set_len(ou) {
        return Ok(false);
    }
    let mark = vm.mark();
    let sr = vm.push_root(so);
    let or = vm.push_root(ou);
    let all = for_each_slot(vm, sr, &mut |vm, k, h| {
        let o = vm.root(or);
        sets::set_contains(vm, o, k, h)
    })?;
    vm.reset_roots(mark);
    Ok(all)
}

/// Whether every element of `other` (any iterable) is in the set `so`.
fn set_issuperset_of(vm: &mut Vm, so: Value, other: Value) -> PyResult<bool> {
    let ou = vm.unwrap_builtin(other);
    if ou.layout() == l::SET {
        return set_issubset(vm, ou, so);
    }
    let mark = vm.mark();
    let sr = vm.push_root(so);
    let all = for_each_item(vm, other, &mut |vm, x| {
        let s = vm.root(sr);
        vm.contains(s, x)
    })?;
    vm.reset_roots(mark);
    Ok(all)
}

/// The set result of a set operator on two sets (`|`, `&`, `-`, `^`).
pub fn set_operator(vm: &mut Vm, op: BinOp, a: Value, b: Value) -> PyResult {
    match op {
        BinOp::Or => {
            let same = a.is(b);
            let mark = vm.mark();
            let br = vm.push_root(b);
            let r = set_copy(vm, a)?;
            let rr = vm.push_root(r);
            let b = vm.root(br);
            if !same {
                set_update_internal(vm, r, b)?;
            }
            let r = vm.root(rr);
            vm.reset_roots(mark);
            Ok(r)
        }
        BinOp::And => intersection(vm, a, b),
        BinOp::Sub => difference(vm, a, b),
        _ => symmetric_difference(vm, a, b),
    }
}

/// `a OP= b` on a mutable set `a` with a set `b`: updates `a` in place.
pub fn set_inplace(vm: &mut Vm, op: BinOp, a: Value, b: Value) -> PyResult<()> {
    match op {
        BinOp::Or => set_update_internal(vm, a, b),
        BinOp::And => {
            let r = vm.push_root(a);
            let tmp = intersection(vm, a, b)?;
            let a = vm.root(r);
            vm.reset_roots(r);
            take_body(vm, a, tmp);
            Ok(())
        }
        BinOp::Sub => difference_update_internal(vm, a, b),
        _ => symmetric_difference_update(vm, a, b),
    }
}

// ------------------------------------------------------------------ set methods

/// The key and hash for removing/looking up `key` in a set: an unhashable set is
/// looked up as the equal frozenset (as CPython does).
fn set_key(vm: &mut Vm, key: Value) -> PyResult<(Value, i64)> {
    let r = vm.push_root(key);
    match vm.hash(key) {
        Ok(h) => {
            let k = vm.root(r);
            vm.reset_roots(r);
            Ok((k, h))
        }
        Err(e) => {
            let k = vm.root(r);
            let u = vm.unwrap_builtin(k);
            if !(u.layout() == l::SET && vm.exc_is(vm.sp.t.type_error)) {
                vm.reset_roots(r);
                return Err(e);
            }
            vm.take_exc();
            let f = vm.sp.new_set(true);
            let fr = vm.push_root(f);
            let k = vm.root(r);
            let u = vm.unwrap_builtin(k);
            set_merge(vm, f, u)?;
            let f = vm.root(fr);
            let h = vm.hash(f)?;
            let f = vm.root(fr);
            vm.reset_roots(r);
            Ok((f, h))
        }
    }
}

fn set_add_m(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin_set(vm, a, "add", Form::One)?;
    vm.set_add_value(u, a.get(1))?;
    Ok(vm.sp.none)
}

fn set_remove(vm: &mut Vm, a: &Args) -> PyResult {
    begin_set(vm, a, "remove", Form::One)?;
    let (k, h) = set_key(vm, a.get(1))?;
    let u = this(vm, a);
    if !sets::set_discard(vm, u, k, h)? {
        return Err(vm.key_error(a.get(1)));
    }
    Ok(vm.sp.none)
}

fn set_discard_m(vm: &mut Vm, a: &Args) -> PyResult {
    begin_set(vm, a, "discard", Form::One)?;
    let (k, h) = set_key(vm, a.get(1))?;
    let u = this(vm, a);
    sets::set_discard(vm, u, k, h)?;
    Ok(vm.sp.none)
}

fn set_pop(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin_set(vm, a, "pop", Form::NoArgs)?;
    if vm.sp.set_len(u) == 0 {
        let m = vm.sp.new_str("pop from an empty set");
        return Err(vm.key_error(m));
    }
    let mask = vm.sp.set_table_size(u) - 1;
    // A mutable set never caches a hash: its hash slot holds the search finger.
    // SAFETY: SET layout.
    let finger = unsafe { u.get::<i64>(l::SET_HASH) };
    let mut i = finger.max(0) as usize & mask;
    while vm.sp.set_slot(u, i).is_none() {
        i = (i + 1) & mask;
    }
    let key = vm.sp.set_slot(u, i).expect("live slot");
    // SAFETY: SET layout; `i` < table size. The slot becomes a dummy (no key, hash -1).
    unsafe {
        let keys = u.get_ref(l::SET_KEYS).unwrap_unchecked();
        vm.sp.store_item(keys, l::ARRAY_ITEMS, i, None);
        let hashes = u.get_ref(l::SET_HASHES).unwrap_unchecked();
        *hashes.ptr::<i64>(l::ARRAY_ITEMS).add(i) = -1;
        u.set::<usize>(l::SET_USED, vm.sp.set_len(u) - 1);
        u.set::<i64>(l::SET_HASH, (i + 1) as i64);
    }
    Ok(key)
}

fn set_clear(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin_set(vm, a, "clear", Form::NoArgs)?;
    vm.sp.set_clear(u);
    Ok(vm.sp.none)
}

/// Checks `self` of a set method taking any number of iterables.
fn begin_varargs(vm: &mut Vm, a: &Args, m: &str, mutating: bool) -> PyResult<Value> {
    if mutating {
        begin_set(vm, a, m, Form::Var(0, usize::MAX))
    } else {
        begin(vm, a, SET, "set", m, Form::Var(0, usize::MAX))
    }
}

fn set_update_m(vm: &mut Vm, a: &Args) -> PyResult {
    begin_varargs(vm, a, "update", true)?;
    for i in 1..a.len() {
        let u = this(vm, a);
        set_update_internal(vm, u, a.get(i))?;
    }
    Ok(vm.sp.none)
}

fn set_copy_m(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, SET, "set", "copy", Form::NoArgs)?;
    if u.ty().is(vm.sp.t.frozenset) && a.get(0).is(u) {
        return Ok(u);
    }
    set_copy(vm, u)
}

fn set_union(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin_varargs(vm, a, "union", false)?;
    let r = set_copy(vm, u)?;
    let rr = vm.push_root(r);
    for i in 1..a.len() {
        let r = vm.root(rr);
        set_update_internal(vm, r, a.get(i))?;
    }
    Ok(vm.root(rr))
}

/// `so.intersection(*others)` over the arguments from index 1.
fn intersection_multi(vm: &mut Vm, a: &Args) -> PyResult {
    let u = this(vm, a);
    if a.len() == 1 {
        return set_copy(vm, u);
    }
    let rr = vm.push_root(u);
    for i in 1..a.len() {
        let r = vm.root(rr);
        let n = intersection(vm, r, a.get(i))?;
        vm.set_root(rr, Some(n));
    }
    let r = vm.root(rr);
    vm.reset_roots(rr);
    Ok(r)
}

fn set_intersection(vm: &mut Vm, a: &Args) -> PyResult {
    begin_varargs(vm, a, "intersection", false)?;
    intersection_multi(vm, a)
}

fn set_intersection_update(vm: &mut Vm, a: &Args) -> PyResult {
    begin_varargs(vm, a, "intersection_update", true)?;
    let tmp = intersection_multi(vm, a)?;
    let u = this(vm, a);
    take_body(vm, u, tmp);
    Ok(vm.sp.none)
}

fn set_difference(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin_varargs(vm, a, "difference", false)?;
    if a.len() == 1 {
        return set_copy(vm, u);
    }
    let r = difference(vm, u, a.get(1))?;
    let rr = vm.push_root(r);
    for i in 2..a.len() {
        let r = vm.root(rr);
        difference_update_internal(vm, r, a.get(i))?;
    }
    Ok(vm.root(rr))
}

fn set_difference_update(vm: &mut Vm, a: &Args) -> PyResult {
    begin_varargs(vm, a, "difference_update", true)?;
    for i in 1..a.len() {
        let u = this(vm, a);
        difference_update_internal(vm, u, a.get(i))?;
    }
    Ok(vm.sp.none)
}

fn set_symmetric_difference(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, SET, "set", "symmetric_difference", Form::One)?;
    symmetric_difference(vm, u, a.get(1))
}

fn set_symmetric_difference_update(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin_set(vm, a, "symmetric_difference_update", Form::One)?;
    symmetric_difference_update(vm, u, a.get(1))?;
    Ok(vm.sp.none)
}

fn set_issubset_m(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, SET, "set", "issubset", Form::One)?;
    let r = set_issubset(vm, u, a.get(1))?;
    Ok(vm.sp.new_bool(r))
}

fn set_issuperset(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, SET, "set", "issuperset", Form::One)?;
    let r = set_issuperset_of(vm, u, a.get(1))?;
    Ok(vm.sp.new_bool(r))
}

fn set_isdisjoint(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, SET, "set", "isdisjoint", Form::One)?;
    let o = vm.unwrap_builtin(a.get(1));
    if u.is(o) {
        return Ok(vm.sp.new_bool(vm.sp.set_len(u) == 0));
    }
    let mark = vm.mark();
    let disjoint = if o.layout() == l::SET {
        let (small, big) = if vm.sp.set_len(o) > vm.sp.set_len(u) {
            (u, o)
        } else {
            (o, u)
        };
        let smr = vm.push_root(small);
        let br = vm.push_root(big);
        for_each_slot(vm, smr, &mut |vm, k, h| {
            let b = vm.root(br);
            Ok(!sets::set_contains(vm, b, k, h)?)
        })?
    } else {
        let sr = vm.push_root(u);
        for_each_item(vm, a.get(1), &mut |vm, x| {
            let s = vm.root(sr);
            Ok(!vm.contains(s, x)?)
        })?
    };
    vm.reset_roots(mark);
    Ok(vm.sp.new_bool(disjoint))
}

fn set_init(vm: &mut Vm, a: &Args) -> PyResult {
    if a.nkw() > 0 {
        return Err(vm.type_error("set() takes no keyword arguments"));
    }
    if a.is_empty() || this(vm, a).layout() != l::SET || this(vm, a).ty().is(vm.sp.t.frozenset) {
        let got = if a.is_empty() {
            "nothing".to_owned()
        } else {
            format!("a '{}'", vm.type_name(a.get(0)))
        };
        return Err(vm.type_error(format!(
            "descriptor '__init__' requires a 'set' object but received {got}"
        )));
    }
    if a.len() > 2 {
        return Err(vm.type_error(format!(
            "set expected at most 1 argument, got {}",
            a.len() - 1
        )));
    }
    let u = this(vm, a);
    vm.sp.set_clear(u);
    if let Some(it) = a.opt(1) {
        set_update_internal(vm, u, it)?;
    }
    Ok(vm.sp.none)
}

fn set_len_m(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, SET, "set", "__len__", Form::NoArgs)?;
    Ok(vm.sp.new_int(vm.sp.set_len(u) as i64))
}

fn set_contains_m(vm: &mut Vm, a: &Args) -> PyResult {
    begin(vm, a, SET, "set", "__contains__", Form::One)?;
    let (k, h) = set_key(vm, a.get(1))?;
    let u = this(vm, a);
    let r = sets::set_contains(vm, u, k, h)?;
    Ok(vm.sp.new_bool(r))
}

fn set_iter(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, SET, "set", "__iter__", Form::NoArgs)?;
    vm.get_iter(u)
}

/// A set operator method: `NotImplemented` unless the other operand is a set;
/// `reflected`: self is the right operand.
fn set_op_method(vm: &mut Vm, a: &Args, m: &str, op: BinOp, reflected: bool) -> PyResult {
    let u = begin(vm, a, SET, "set", m, Form::One)?;
    let o = vm.unwrap_builtin(a.get(1));
    if o.layout() != l::SET {
        return Ok(vm.sp.not_implemented);
    }
    if reflected {
        set_operator(vm, op, o, u)
    } else {
        set_operator(vm, op, u, o)
    }
}

fn set_or(vm: &mut Vm, a: &Args) -> PyResult {
    set_op_method(vm, a, "__or__", BinOp::Or, false)
}

fn set_and(vm: &mut Vm, a: &Args) -> PyResult {
    set_op_method(vm, a, "__and__", BinOp::And, false)
}

fn set_sub(vm: &mut Vm, a: &Args) -> PyResult {
    set_op_method(vm, a, "__sub__", BinOp::Sub, false)
}

fn set_xor(vm: &mut Vm, a: &Args) -> PyResult {
    set_op_method(vm, a, "__xor__", BinOp::Xor, false)
}

fn set_ror(vm: &mut Vm, a: &Args) -> PyResult {
    set_op_method(vm, a, "__ror__", BinOp::Or, true)
}

fn set_rand(vm: &mut Vm, a: &Args) -> PyResult {
    set_op_method(vm, a, "__rand__", BinOp::And, true)
}

fn set_rsub(vm: &mut Vm, a: &Args) -> PyResult {
    set_op_method(vm, a, "__rsub__", BinOp::Sub, true)
}

fn set_rxor(vm: &mut Vm, a: &Args) -> PyResult {
    set_op_method(vm, a, "__rxor__", BinOp::Xor, true)
}

/// An in-place set operator method (self is returned).
fn set_iop_method(vm: &mut Vm, a: &Args, m: &str, op: BinOp) -> PyResult {
    let u = begin_set(vm, a, m, Form::One)?;
    let o = vm.unwrap_builtin(a.get(1));
    if o.layout() != l::SET {
        return Ok(vm.sp.not_implemented);
    }
    set_inplace(vm, op, u, o)?;
    Ok(a.get(0))
}

fn set_ior(vm: &mut Vm, a: &Args) -> PyResult {
    set_iop_method(vm, a, "__ior__", BinOp::Or)
}

fn set_iand(vm: &mut Vm, a: &Args) -> PyResult {
    set_iop_method(vm, a, "__iand__", BinOp::And)
}

fn set_isub(vm: &mut Vm, a: &Args) -> PyResult {
    set_iop_method(vm, a, "__isub__", BinOp::Sub)
}

fn set_ixor(vm: &mut Vm, a: &Args) -> PyResult {
    set_iop_method(vm, a, "__ixor__", BinOp::Xor)
}

fn set_repr(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, SET, "set", "__repr__", Form::NoArgs)?;
    let s = a.get(0);
    if s.layout() != l::INSTANCE {
        return vm.to_repr(u);
    }
    let r = set_subclass_repr(vm, s, u)?;
    Ok(vm.sp.new_str(&r))
}

/// The repr of an instance `v` of a subclass of set or frozenset with backing set `b`:
/// `Name({1, 2})`, or `Name()` when empty.
pub fn set_subclass_repr(vm: &mut Vm, v: Value, b: Value) -> PyResult<String> {
    let name = vm.type_name(v);
    if vm.sp.set_len(b) == 0 {
        return Ok(format!("{name}()"));
    }
    let r = vm.repr_string(b)?;
    let inner = r
        .strip_prefix("frozenset(")
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(&r);
    Ok(format!("{name}({inner})"))
}

fn frozenset_hash(vm: &mut Vm, a: &Args) -> PyResult {
    let u = begin(vm, a, SET, "frozenset", "__hash__", Form::NoArgs)?;
    let h = vm.hash(u)?;
    Ok(vm.sp.new_int(h))
}
