//! The rest of the built-in functions: numeric ones (`abs`, `round`, `divmod`, `pow`,
//! `min`, `max`, `sum`), conversions (`chr`, `ord`, `hex`, `oct`, `bin`, `format`),
//! `sorted`, `any`, `all`, `dir`, `locals`, `globals`, `input`, `__import__`, and
//! explicit refusals for `exec`/`eval`/`compile`.

use super::frame::{F_FIXED, F_GLOBALS, F_LOCALS};
use super::ops::Num;
use super::types::numbers::{self, divmod_nums, float_num, int_num, num_to_big};
use super::types::{check_args, no_kw};
use super::{Args, NativeFn, PyResult, RootSlot, Vm};
use crate::bytecode::{BinOp, CmpOp, CodeKind};
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};
use std::collections::BTreeSet;
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// Adds these functions to the builtins module.
pub fn install(vm: &mut Vm) {
    let fns: &[(&'static str, NativeFn)] = &[
        ("abs", abs),
        ("round", round),
        ("divmod", divmod),
        ("pow", pow),
        ("min", min),
        ("max", max),
        ("sum", sum),
        ("chr", chr),
        ("ord", ord),
        ("hex", hex),
        ("oct", oct),
        ("bin", bin),
        ("format", format),
        ("sorted", sorted),
        ("any", any),
        ("all", all),
        ("dir", dir),
        ("input", input),
        ("locals", locals),
        ("globals", globals),
        ("__import__", import),
        ("exec", exec),
        ("eval", eval),
        ("compile", compile),
    ];
    for &(name, f) in fns {
        let d = vm.builtins();
        vm.add_native(d, name, f);
    }
}

/// Rejects keyword arguments other than `allowed` with CPython's message.
fn only_kw(vm: &mut Vm, a: &Args, fname: &str, allowed: &[&str]) -> PyResult<()> {
    for i in 0..a.nkw() {
        let (k, _) = a.kw_at(i);
        let k = vm.str_owned(k);
        if !allowed.contains(&k.as_str()) {
            return Err(vm.type_error(format!(
                "{fname}() got an unexpected keyword argument '{k}'"
            )));
        }
    }
    Ok(())
}

/// A positional-or-keyword argument.
fn arg(vm: &Vm, a: &Args, pos: usize, name: &str) -> Option<Value> {
    a.opt(pos).or_else(|| a.kw(&vm.sp, name))
}

/// Whether `v` is exactly a built-in int/bool/float (no Python-level methods to call).
fn plain_number(vm: &Vm, v: Value) -> bool {
    matches!(v.layout(), l::INT | l::BIGINT | l::FLOAT) && !vm.is_instance_kind(v)
}

// ---------------------------------------------------------------- numeric

fn abs(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "abs")?;
    check_args(vm, a, "abs", 1, 1)?;
    let v = a.get(0);
    if plain_number(vm, v) {
        return Ok(match vm.as_num(v) {
            Some(Num::Small(i)) => match i.checked_abs() {
                Some(x) => vm.sp.new_int(x),
                None => vm.int_from(BigInt::from(i).abs()),
            },
            Some(Num::Int(b)) => vm.int_from(b.abs()),
            Some(Num::Float(f)) => vm.sp.new_float(f.abs()),
            None => unreachable!("number"),
        });
    }
    if let Some(r) = vm.call_special(v, vm.n.abs, &[])? {
        return Ok(r);
    }
    Err(vm.type_error(format!(
        "bad operand type for abs(): '{}'",
        vm.type_name(a.get(0))
    )))
}

fn round(vm: &mut Vm, a: &Args) -> PyResult {
    only_kw(vm, a, "round", &["number", "ndigits"])?;
    if a.len() > 2 {
        return Err(vm.type_error(format!(
            "round() takes at most 2 arguments ({} given)",
            a.len()
        )));
    }
    let Some(x) = arg(vm, a, 0, "number") else {
        return Err(vm.type_error("round() missing required argument 'number' (pos 1)"));
    };
    let nd = arg(vm, a, 1, "ndigits").filter(|v| !v.is(vm.sp.none));
    if plain_number(vm, x) {
        let nd = match nd {
            Some(v) => Some(vm.to_index_int(v)?),
            None => None,
        };
        let x = arg(vm, a, 0, "number").unwrap_or(x);
        return match vm.as_num(x) {
            Some(Num::Float(f)) => match nd {
                Some(nd) => numbers::round_float_digits(vm, f, &nd),
                None => numbers::round_float_to_int(vm, f),
            },
            Some(n) => numbers::round_int(vm, &n, nd.as_ref()),
            None => unreachable!("number"),
        };
    }
    let r = match nd {
        Some(nd) => vm.call_special(x, vm.n.round, &[nd])?,
        None => vm.call_special(x, vm.n.round, &[])?,
    };
    match r {
        Some(r) => Ok(r),
        None => {
            let x = arg(vm, a, 0, "number").unwrap_or(x);
            Err(vm.type_error(format!(
                "type {} doesn't define __round__ method",
                vm.type_name(x)
            )))
        }
    }
}

/// Tries `x.__name__(y)` then `y.__rname__(x)` (the reflected one first when `y`'s
/// type is a proper subclass of `x`'s); `None` when both decline.
fn dunder_pair(
    vm: &mut Vm,
    x: Value,
    y: Value,
    name: &str,
    rname: &str,
) -> PyResult<Option<Value>> {
    let fwd = vm.sp.intern(name);
    let rev = vm.sp.intern(rname);
    let (tx, ty) = (x.ty(), y.ty());
    let mark = vm.mark();
    let (xr, yr) = (vm.push_root(x), vm.push_root(y));
    let f = if vm.is_instance_kind(x) {
        vm.lookup_type_attr(tx, fwd)
    } else {
        None
    };
    let r = if !tx.is(ty) && vm.is_instance_kind(y) {
        vm.lookup_type_attr(ty, rev)
    } else {
        None
    };
    let fr = vm.push_root_opt(f);
    let rr = vm.push_root_opt(r);
    let right_first = r.is_some() && vm.sp.is_subtype(ty, tx);
    let order = if right_first {
        [(rr, yr, xr), (fr, xr, yr)]
    } else {
        [(fr, xr, yr), (rr, yr, xr)]
    };
    for (m, p, q) in order {
        let Some(m) = vm.root_opt(m) else {
            continue;
        };
        let (p, q) = (vm.root(p), vm.root(q));
        let res = vm.call(m, &[p, q])?;
        if !res.is(vm.sp.not_implemented) {
            vm.reset_roots(mark);
            return Ok(Some(res));
        }
    }
    vm.reset_roots(mark);
    Ok(None)
}

fn divmod(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "divmod")?;
    if a.len() != 2 {
        return Err(vm.type_error(format!("divmod expected 2 arguments, got {}", a.len())));
    }
    let (x, y) = (a.get(0), a.get(1));
    if vm.is_instance_kind(x) || vm.is_instance_kind(y) {
        if let Some(r) = dunder_pair(vm, x, y, "__divmod__", "__rdivmod__")? {
            return Ok(r);
        }
    } else if let (Some(p), Some(q)) = (vm.as_num(x), vm.as_num(y)) {
        return divmod_nums(vm, p, q);
    }
    let (x, y) = (a.get(0), a.get(1));
    Err(vm.type_error(format!(
        "unsupported operand type(s) for divmod(): '{}' and '{}'",
        vm.type_name(x),
        vm.type_name(y)
    )))
}

fn pow(vm: &mut Vm, a: &Args) -> PyResult {
    only_kw(vm, a, "pow", &["base", "exp", "mod"])?;
    if a.len() > 3 {
        return Err(vm.type_error(format!(
            "pow() takes at most 3 arguments ({} given)",
            a.len()
        )));
    }
    let Some(b) = arg(vm, a, 0, "base") else {
        return Err(vm.type_error("pow() missing required argument 'base' (pos 1)"));
    };
    let Some(e) = arg(vm, a, 1, "exp") else {
        return Err(vm.type_error("pow() missing required argument 'exp' (pos 2)"));
    };
    let m = arg(vm, a, 2, "mod").filter(|m| !m.is(vm.sp.none));
    let Some(m) = m else {
        return vm.binary_op(BinOp::Pow, b, e);
    };
    if vm.is_instance_kind(b) {
        let name = vm.sp.intern("__pow__");
        if let Some(r) = vm.call_special(b, name, &[e, m])? {
            if !r.is(vm.sp.not_implemented) {
                return Ok(r);
            }
        }
    }
    let (b, e, m) = (
        arg(vm, a, 0, "base").unwrap_or(b),
        arg(vm, a, 1, "exp").unwrap_or(e),
        arg(vm, a, 2, "mod").unwrap_or(m),
    );
    match (int_num(vm, b), int_num(vm, e), int_num(vm, m)) {
        (Some(x), Some(y), Some(z)) => {
            numbers::int_pow_mod(vm, &num_to_big(&x), &num_to_big(&y), &num_to_big(&z))
        }
        _ => {
            let is_num = |vm: &Vm, v: Value| int_num(vm, v).is_some() || float_num(vm, v).is_some();
            if is_num(vm, b) && is_num(vm, e) && is_num(vm, m) {
                return Err(vm.type_error(
                    "pow() 3rd argument not allowed unless all arguments are integers",
                ));
            }
            Err(vm.type_error(format!(
                "unsupported operand type(s) for ** or pow(): '{}', '{}', '{}'",
                vm.type_name(b),
                vm.type_name(e),
                vm.type_name(m)
            )))
        }
    }
}

/// `min`/`max`: over one iterable or several arguments, with `key=` and `default=`.
fn min_max(vm: &mut Vm, a: &Args, is_max: bool) -> PyResult {
    let name = if is_max { "max" } else { "min" };
    for i in 0..a.nkw() {
        let (k, _) = a.kw_at(i);
        let k = vm.str_owned(k);
        if k != "key" && k != "default" {
            return Err(vm.type_error(format!("'{k}' is an invalid keyword argument for {name}()")));
        }
    }
    if a.is_empty() {
        return Err(vm.type_error(format!("{name} expected at least 1 argument, got 0")));
    }
    let key = a.kw(&vm.sp, "key").filter(|k| !k.is(vm.sp.none));
    let default = a.kw(&vm.sp, "default");
    if a.len() > 1 && default.is_some() {
        return Err(vm.type_error(format!(
            "Cannot specify a default for {name}() with multiple positional arguments"
        )));
    }
    let op = if is_max { CmpOp::Gt } else { CmpOp::Lt };
    let mark = vm.mark();
    let keyr = vm.push_root_opt(key);
    let src = if a.len() == 1 {
        a.get(0)
    } else {
        let items: Vec<Value> = (0..a.len()).map(|i| a.get(i)).collect();
        vm.sp.new_tuple(&items)
    };
    let it = vm.get_iter(src)?;
    let itr = vm.push_root(it);
    let best = vm.push_root_opt(None);
    let best_key = vm.push_root_opt(None);
    loop {
        let it = vm.root(itr);
        let Some(item) = vm.iter_next(it)? else {
            break;
        };
        let inner = vm.mark();
        let ir = vm.push_root(item);
        let k = match vm.root_opt(keyr) {
            Some(f) => vm.call(f, &[item])?,
            None => item,
        };
        match vm.root_opt(best_key) {
            None => {
                let item = vm.root(ir);
                vm.set_root(best, Some(item));
                vm.set_root(best_key, Some(k));
            }
            Some(bk) => {
                let kr = vm.push_root(k);
                if vm.compare_bool(op, k, bk)? {
                    let (item, k) = (vm.root(ir), vm.root(kr));
                    vm.set_root(best, Some(item));
                    vm.set_root(best_key, Some(k));
                }
            }
        }
        vm.reset_roots(inner);
    }
    let r = vm.root_opt(best);
    vm.reset_roots(mark);
    match r {
        Some(v) => Ok(v),
        None => match a.kw(&vm.sp, "default") {
            Some(d) => Ok(d),
            None => Err(vm.value_error(format!("{name}() arg is an empty sequence"))),
        },
    }
}

fn min(vm: &mut Vm, a: &Args) -> PyResult {
    min_max(vm, a, false)
}

fn max(vm: &mut Vm, a: &Args) -> PyResult {
    min_max(vm, a, true)
}

/// The running total of `sum`: unboxed while the items are plain ints or floats.
enum Acc {
    Int(i64),
    Float(f64),
    /// The total is the value in the result root.
    Obj,
}

fn sum(vm: &mut Vm, a: &Args) -> PyResult {
    only_kw(vm, a, "sum", &["start"])?;
    if a.is_empty() {
        return Err(vm.type_error("sum() takes at least 1 positional argument (0 given)"));
    }
    if a.len() > 2 {
        return Err(vm.type_error(format!(
            "sum() takes at most 2 arguments ({} given)",
            a.len()
        )));
    }
    let start = arg(vm, a, 1, "start");
    if let Some(s) = start {
        let what = match vm.unwrap_builtin(s).layout() {
            l::STR => Some(("strings", "''")),
            l::BYTES => Some(("bytes", "b''")),
            l::BYTEARRAY => Some(("bytearray", "b''")),
            _ => None,
        };
        if let Some((what, empty)) = what {
            return Err(vm.type_error(format!(
                "sum() can't sum {what} [use {empty}.join(seq) instead]"
            )));
        }
    }
    let mark = vm.mark();
    let it = vm.get_iter(a.get(0))?;
    let itr = vm.push_root(it);
    let start = arg(vm, a, 1, "start");
    let res = vm.push_root_opt(start);
    let plain_int = |vm: &Vm, v: Value| -> Option<i64> {
        if v.layout() == l::INT && !vm.is_instance_kind(v) {
            vm.sp.small_int(v)
        } else {
            None
        }
    };
    let plain_float = |vm: &Vm, v: Value| -> Option<f64> {
        (v.layout() == l::FLOAT && !vm.is_instance_kind(v)).then(|| vm.sp.float_value(v))
    };
    let mut acc = match start {
        None => Acc::Int(0),
        Some(s) => match (plain_int(vm, s), plain_float(vm, s)) {
            (Some(i), _) if s.ty().is(vm.sp.t.int) => Acc::Int(i),
            (_, Some(f)) => Acc::Float(f),
            _ => Acc::Obj,
        },
    };
    loop {
        let it = vm.root(itr);
        let Some(item) = vm.iter_next(it)? else {
            break;
        };
        acc = match acc {
            Acc::Int(s) => {
                if let Some(i) = plain_int(vm, item) {
                    match s.checked_add(i) {
                        Some(t) => Acc::Int(t),
                        None => {
                            let t = vm.int_from(BigInt::from(s) + i);
                            vm.set_root(res, Some(t));
                            Acc::Obj
                        }
                    }
                } else if let Some(f) = plain_float(vm, item) {
                    Acc::Float(s as f64 + f)
                } else {
                    let ir = vm.push_root(item);
                    let total = vm.sp.new_int(s);
                    let item = vm.root(ir);
                    vm.reset_roots(ir);
                    let t = vm.binary_op(BinOp::Add, total, item)?;
                    vm.set_root(res, Some(t));
                    Acc::Obj
                }
            }
            Acc::Float(s) => {
                if let Some(f) = plain_float(vm, item) {
                    Acc::Float(s + f)
                } else if let Some(i) = plain_int(vm, item) {
                    Acc::Float(s + i as f64)
                } else {
                    let ir = vm.push_root(item);
                    let total = vm.sp.new_float(s);
                    let item = vm.root(ir);
                    vm.reset_roots(ir);
                    let t = vm.binary_op(BinOp::Add, total, item)?;
                    vm.set_root(res, Some(t));
                    Acc::Obj
                }
            }
            Acc::Obj => {
                let total = vm.root(res);
                let t = vm.binary_op(BinOp::Add, total, item)?;
                vm.set_root(res, Some(t));
                Acc::Obj
            }
        };
    }
    let r = match acc {
        Acc::Int(s) => vm.sp.new_int(s),
        Acc::Float(f) => vm.sp.new_float(f),
        Acc::Obj => vm.root(res),
    };
    vm.reset_roots(mark);
    Ok(r)
}

// ---------------------------------------------------------------- conversions

fn chr(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "chr")?;
    check_args(vm, a, "chr", 1, 1)?;
    let n = vm.to_index_int(a.get(0))?;
    let Some(n) = n.to_i32() else {
        return Err(vm.overflow_error("Python int too large to convert to C int"));
    };
    if !(0..0x110000).contains(&n) {
        return Err(vm.value_error("chr() arg not in range(0x110000)"));
    }
    match char::from_u32(n as u32) {
        Some(c) => {
            let mut buf = [0u8; 4];
            Ok(vm.sp.new_str(c.encode_utf8(&mut buf)))
        }
        None => Err(vm.value_error(format!(
            "chr() arg is a lone surrogate (U+{n:04X}), which thicket strings cannot hold"
        ))),
    }
}

fn ord(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "ord")?;
    check_args(vm, a, "ord", 1, 1)?;
    let v = a.get(0);
    let u = vm.unwrap_builtin(v);
    if u.layout() == l::STR {
        let s = vm.sp.str_of(u);
        let mut chars = s.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(vm.sp.new_int(c as i64)),
            _ => {
                let n = vm.sp.str_nchars(u);
                Err(vm.type_error(format!(
                    "ord() expected a character, but string of length {n} found"
                )))
            }
        };
    }
    if let Some(b) = vm.bytes_like(u) {
        if b.len() == 1 {
            return Ok(vm.sp.new_int(b[0] as i64));
        }
        return Err(vm.type_error(format!(
            "ord() expected a character, but string of length {} found",
            b.len()
        )));
    }
    Err(vm.type_error(format!(
        "ord() expected string of length 1, but {} found",
        vm.type_name(v)
    )))
}

/// `hex`/`oct`/`bin`: the int (through `__index__`) with a base prefix.
fn int_prefixed(vm: &mut Vm, a: &Args, name: &str, radix: u32, prefix: &str) -> PyResult {
    no_kw(vm, a, name)?;
    check_args(vm, a, name, 1, 1)?;
    let n = vm.to_index_int(a.get(0))?;
    let sign = if n.is_negative() { "-" } else { "" };
    let digits = n.magnitude().to_str_radix(radix);
    let s = format!("{sign}{prefix}{digits}");
    Ok(vm.sp.new_str(&s))
}

fn hex(vm: &mut Vm, a: &Args) -> PyResult {
    int_prefixed(vm, a, "hex", 16, "0x")
}

fn oct(vm: &mut Vm, a: &Args) -> PyResult {
    int_prefixed(vm, a, "oct", 8, "0o")
}

fn bin(vm: &mut Vm, a: &Args) -> PyResult {
    int_prefixed(vm, a, "bin", 2, "0b")
}

fn format(vm: &mut Vm, a: &Args) -> PyResult {
    only_kw(vm, a, "format", &[])?;
    if a.is_empty() {
        return Err(vm.type_error("format expected at least 1 argument, got 0"));
    }
    check_args(vm, a, "format", 1, 2)?;
    let spec = match a.opt(1) {
        Some(s) => {
            if vm.unwrap_builtin(s).layout() != l::STR {
                return Err(vm.type_error(format!(
                    "format() argument 2 must be str, not {}",
                    vm.type_name(s)
                )));
            }
            vm.unwrap_builtin(s)
        }
        None => vm.sp.empty_str,
    };
    vm.format_value(a.get(0), Some(spec))
}

// ---------------------------------------------------------------- iteration

fn sorted(vm: &mut Vm, a: &Args) -> PyResult {
    if a.len() != 1 {
        return Err(vm.type_error(format!("sorted expected 1 argument, got {}", a.len())));
    }
    let mark = vm.mark();
    let lst = vm.list_from_iter(a.get(0))?;
    let lr = vm.push_root(lst);
    let sort = vm.getattr_str(lst, "sort")?;
    if a.nkw() == 0 {
        vm.call(sort, &[])?;
    } else {
        let sr = vm.push_root(sort);
        let d = vm.sp.new_dict();
        for i in 0..a.nkw() {
            let (k, v) = a.kw_at(i);
            vm.sp.dict_set_str(d, k, v);
        }
        let sort = vm.root(sr);
        let empty = vm.sp.empty_tuple;
        vm.call_ex(sort, empty, Some(d))?;
    }
    let lst = vm.root(lr);
    vm.reset_roots(mark);
    Ok(lst)
}

/// `any`/`all`: stops at the first item whose truth is `stop_on`.
fn any_all(vm: &mut Vm, a: &Args, name: &str, stop_on: bool) -> PyResult {
    no_kw(vm, a, name)?;
    check_args(vm, a, name, 1, 1)?;
    let mark = vm.mark();
    let it = vm.get_iter(a.get(0))?;
    let itr = vm.push_root(it);
    loop {
        let it = vm.root(itr);
        let Some(item) = vm.iter_next(it)? else {
            break;
        };
        if vm.truthy(item)? == stop_on {
            vm.reset_roots(mark);
            return Ok(vm.sp.new_bool(stop_on));
        }
    }
    vm.reset_roots(mark);
    Ok(vm.sp.new_bool(!stop_on))
}

fn any(vm: &mut Vm, a: &Args) -> PyResult {
    any_all(vm, a, "any", true)
}

fn all(vm: &mut Vm, a: &Args) -> PyResult {
    any_all(vm, a, "all", false)
}

// ---------------------------------------------------------------- introspection

/// Adds the str keys of a dict to `names`.
fn dict_names(vm: &Vm, d: Value, names: &mut BTreeSet<String>) {
    for (k, _) in vm.sp.dict_items(d) {
        if k.layout() == l::STR {
            names.insert(vm.str_owned(k));
        }
    }
}

/// Adds the names in the namespaces of a type's MRO.
fn type_names(vm: &Vm, ty: Value, names: &mut BTreeSet<String>) {
    let mro = vm.sp.type_mro(ty);
    for &t in vm.sp.tuple_items(mro) {
        dict_names(vm, vm.sp.type_dict(t), names);
    }
}

fn dir(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "dir")?;
    check_args(vm, a, "dir", 0, 1)?;
    let Some(o) = a.opt(0) else {
        // The names of the calling scope, sorted.
        let ns = caller_locals(vm);
        let mut names = BTreeSet::new();
        dict_names(vm, ns, &mut names);
        return Ok(str_list(vm, names));
    };
    // A class-defined __dir__ wins; its result is sorted.
    if o.layout() == l::INSTANCE {
        let name = vm.sp.intern("__dir__");
        if let Some(m) = vm.lookup_type_attr(o.ty(), name) {
            if vm.is_user_slot(m) {
                let r = vm.call(m, &[o])?;
                let lst = vm.list_from_iter(r)?;
                let lr = vm.push_root(lst);
                let sort = vm.getattr_str(lst, "sort")?;
                vm.call(sort, &[])?;
                return Ok(vm.root(lr));
            }
        }
    }
    let mut names = BTreeSet::new();
    match o.layout() {
        l::MODULE => {
            let d = vm.module_dict(o);
            dict_names(vm, d, &mut names);
        }
        l::TYPE => type_names(vm, o, &mut names),
        _ => {
            if o.layout() == l::INSTANCE {
                let d = vm.instance_dict(o)?;
                dict_names(vm, d, &mut names);
                names.insert("__dict__".into());
            }
            let o = a.get(0);
            type_names(vm, o.ty(), &mut names);
            names.insert("__class__".into());
        }
    }
    Ok(str_list(vm, names))
}

/// A list of new strs.
fn str_list(vm: &mut Vm, names: BTreeSet<String>) -> Value {
    let lst = vm.sp.new_list(&[]);
    for n in names {
        let s = vm.sp.new_str(&n);
        vm.sp.list_append(lst, s);
    }
    lst
}

/// The innermost running Python frame: (shadow-stack base, code index).
fn caller_frame(vm: &Vm) -> Option<(usize, usize)> {
    vm.frame_stack.last().map(|&(base, ci, _)| (base, ci))
}

/// Reads slot `i` of the shadow stack.
fn stack_slot(vm: &mut Vm, i: usize) -> Option<Value> {
    let ss = vm.sp.heap.shadow_stack();
    debug_assert!(i < ss.len());
    // SAFETY: `i` is a slot of a running frame, below the stack's length.
    unsafe { (*ss.base.add(i)).map(Value) }
}

/// The calling scope's globals dict (the main module's outside any frame).
fn caller_globals(vm: &mut Vm) -> Value {
    if let Some((base, _)) = caller_frame(vm) {
        if let Some(g) = stack_slot(vm, base + F_GLOBALS) {
            return g;
        }
    }
    let m = vm.root_get(RootSlot::Main).expect("main module");
    vm.module_dict(m)
}

/// The calling scope's namespace: the namespace dict of a module or class body, else
/// a new dict of the bound fast locals and cell contents.
fn caller_locals(vm: &mut Vm) -> Value {
    let Some((base, ci)) = caller_frame(vm) else {
        return caller_globals(vm);
    };
    if let Some(ns) = stack_slot(vm, base + F_LOCALS) {
        return ns;
    }
    let code = vm.codes[ci].clone();
    if code.kind == CodeKind::Module {
        return caller_globals(vm);
    }
    let d = vm.sp.new_dict();
    for (i, name) in code.varnames.iter().enumerate() {
        if let Some(v) = stack_slot(vm, base + F_FIXED + i) {
            let k = vm.sp.intern(name);
            vm.sp.dict_set_str(d, k, v);
        }
    }
    let cells = base + F_FIXED + code.varnames.len();
    for i in 0..code.n_cells() {
        let Some(c) = stack_slot(vm, cells + i) else {
            continue;
        };
        if c.layout() != l::CELL {
            continue;
        }
        // SAFETY: CELL layout.
        if let Some(v) = unsafe { c.get_ref(l::CELL_VALUE) } {
            let k = vm.sp.intern(code.cell_name(i));
            vm.sp.dict_set_str(d, k, v);
        }
    }
    d
}

fn locals(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "locals")?;
    check_args(vm, a, "locals", 0, 0)?;
    Ok(caller_locals(vm))
}

fn globals(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "globals")?;
    check_args(vm, a, "globals", 0, 0)?;
    Ok(caller_globals(vm))
}

fn input(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "input")?;
    check_args(vm, a, "input", 0, 1)?;
    if let Some(p) = a.opt(0) {
        let s = vm.to_str(p)?;
        let s = vm.str_owned(s);
        vm.write_out(&s);
    }
    vm.flush_out();
    let mut line = String::new();
    match std::io::stdin().read_line(&mut line) {
        Ok(0) => Err(vm.err(vm.sp.t.eof_error, "EOF when reading a line")),
        Ok(_) => {
            if line.ends_with('\n') {
                line.pop();
            }
            Ok(vm.sp.new_str(&line))
        }
        Err(e) => Err(vm.err(vm.sp.t.os_error, e.to_string())),
    }
}

fn import(vm: &mut Vm, a: &Args) -> PyResult {
    only_kw(
        vm,
        a,
        "__import__",
        &["name", "globals", "locals", "fromlist", "level"],
    )?;
    let Some(name) = arg(vm, a, 0, "name") else {
        return Err(vm.type_error("__import__() missing required argument 'name' (pos 1)"));
    };
    if name.layout() != l::STR {
        return Err(vm.type_error("module name must be a string"));
    }
    let level = match arg(vm, a, 4, "level") {
        Some(v) => vm.index_value(v)?,
        None => 0,
    };
    if level < 0 {
        return Err(vm.value_error("level must be >= 0"));
    }
    if level == 0 && vm.sp.str_of(name).is_empty() {
        return Err(vm.value_error("Empty module name"));
    }
    let fromlist = match arg(vm, a, 3, "fromlist") {
        Some(f) if !f.is(vm.sp.none) && vm.truthy(f)? => arg(vm, a, 3, "fromlist").unwrap_or(f),
        _ => vm.sp.none,
    };
    let fr = vm.push_root(fromlist);
    let globals = match arg(vm, a, 1, "globals") {
        Some(g) if g.layout() == l::DICT => g,
        _ => {
            let m = vm.root_get(RootSlot::Main).expect("main module");
            vm.module_dict(m)
        }
    };
    let lv = vm.sp.new_int(level);
    let fromlist = vm.root(fr);
    let name = arg(vm, a, 0, "name").unwrap_or(name);
    vm.import_name(name, lv, fromlist, globals)
}

fn exec(vm: &mut Vm, _a: &Args) -> PyResult {
    Err(vm.err(
        vm.sp.t.not_implemented_error,
        "exec() is not supported by thicket",
    ))
}

fn eval(vm: &mut Vm, _a: &Args) -> PyResult {
    Err(vm.err(
        vm.sp.t.not_implemented_error,
        "eval() is not supported by thicket",
    ))
}

fn compile(vm: &mut Vm, _a: &Args) -> PyResult {
    Err(vm.err(
        vm.sp.t.not_implemented_error,
        "compile() is not supported by thicket",
    ))
}
