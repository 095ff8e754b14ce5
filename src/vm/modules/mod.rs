//! Built-in modules written in Rust: `sys`, `gc`, `math`, `time`, `random`, `_thicket_ffi`,
//! `_thicket_frames`, and the helpers they share: classes made from Rust, "struct sequences" (tuple subclasses with
//! named fields, like `sys.version_info` or `time.struct_time`), attribute access on
//! plain instances, keyword checking and number conversions with CPython's messages.

pub mod ffi;
pub mod frames;
pub mod gc;
pub mod math;
pub mod random;
pub mod sys;
pub mod time;

use super::{Args, NativeFn, PyResult, Vm};
use num_bigint::BigInt;
use num_traits::ToPrimitive;
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// Creates the modules that exist from the start (`sys`).
pub fn install(vm: &mut Vm) {
    sys::install(vm);
}

/// Creates built-in module `name` on first import (`None`: not a built-in module).
pub fn create_builtin(vm: &mut Vm, name: &str) -> PyResult<Option<Value>> {
    Ok(match name {
        "gc" => Some(gc::create(vm)),
        "math" => Some(math::create(vm)),
        "time" => Some(time::create(vm)),
        "random" => Some(random::create(vm)),
        "_thicket_ffi" => Some(ffi::create(vm)),
        "_thicket_frames" => Some(frames::create(vm)),
        _ => None,
    })
}

// ---------------------------------------------------------------------- classes

/// A new class `module.name` with the given bases (`object` when empty). Classes are
/// non-moving and immortal, so the returned value stays valid for the VM's life.
pub fn new_class(vm: &mut Vm, module: &str, name: &str, bases: &[Value]) -> Value {
    let d = vm.sp.new_dict();
    let m = vm.sp.intern(module);
    vm.sp.dict_set_str(d, vm.n.module, m);
    let n = vm.sp.intern(name);
    match vm.sp.new_class(n, n, bases, d) {
        Ok(t) => t,
        Err(e) => panic!("built-in class {module}.{name}: {e}"),
    }
}

/// Sets attribute `name` of a plain instance (no `__setattr__`, no Python code).
/// Values of other layouts are left alone.
pub fn set_attr(vm: &mut Vm, obj: Value, name: &str, v: Value) {
    if obj.layout() != l::INSTANCE {
        return;
    }
    let k = vm.sp.intern(name);
    let sym = vm.sp.str_sym(k) as u32;
    vm.sp.inst_set(obj, sym, v);
}

/// Attribute `name` from an instance's own storage (no Python code).
pub fn own_attr(vm: &mut Vm, obj: Value, name: &str) -> Option<Value> {
    if obj.layout() != l::INSTANCE {
        return None;
    }
    let k = vm.sp.intern(name);
    let sym = vm.sp.str_sym(k) as u32;
    vm.sp.inst_get(obj, sym)
}

/// A new instance of `ty` with the given attributes.
pub fn new_object(vm: &mut Vm, ty: Value, attrs: &[(&str, Value)]) -> Value {
    let o = vm.sp.new_instance(ty);
    for &(k, v) in attrs {
        set_attr(vm, o, k, v);
    }
    o
}

// ---------------------------------------------------------------------- struct sequences

/// A struct-sequence class `module.name`: a `tuple` subclass whose instances hold
/// `fields[..n_seq]` as their items and every field as an attribute, with CPython's
/// repr `module.name(field=value, ...)` (sequence fields only).
pub fn struct_seq_type(
    vm: &mut Vm,
    module: &str,
    name: &str,
    fields: &[&str],
    n_seq: usize,
) -> Value {
    let tuple = vm.sp.t.tuple;
    let ty = new_class(vm, module, name, &[tuple]);
    let d = vm.sp.type_dict(ty);
    let names: Vec<Value> = fields[..n_seq].iter().map(|f| vm.sp.intern(f)).collect();
    let t = vm.sp.new_tuple(&names);
    vm.sp.dict_set_name(d, "_fields", t);
    let n = vm.sp.new_int(n_seq as i64);
    vm.sp.dict_set_name(d, "n_sequence_fields", n);
    let n = vm.sp.new_int(fields.len() as i64);
    vm.sp.dict_set_name(d, "n_fields", n);
    set_repr(vm, ty, module, struct_seq_repr);
    ty
}

/// Gives class `ty` a `__repr__` (and `__str__`) implemented by native `f`.
///
/// The interpreter calls `__repr__`/`__str__` only when they are Python functions (a
/// native one is taken for `object`'s), so the method is a one-line Python function
/// that forwards to the native: `def __repr__(self): return _native(self)`.
pub fn set_repr(vm: &mut Vm, ty: Value, module: &str, f: NativeFn) {
    let ns = vm.sp.new_dict();
    let r = vm.push_root(ns);
    let b = vm.builtins();
    vm.sp.dict_set_str(ns, vm.n.builtins, b);
    let m = vm.sp.intern(module);
    vm.sp.dict_set_str(ns, vm.n.name, m);
    let i = vm.register_native("__repr__", f, false);
    let nf = vm.new_builtin(i, None);
    let ns = vm.root(r);
    vm.sp.dict_set_name(ns, "_native", nf);
    let src = "def __repr__(self):\n    return _native(self)\n";
    let code = crate::compile::compile_module(src, "<thicket>").expect("forwarder compiles");
    let ci = vm.register_code(code);
    let ns = vm.root(r);
    if vm.run_module_code(ci, ns).is_err() {
        vm.take_exc();
        vm.reset_roots(r);
        return;
    }
    let ns = vm.root(r);
    let k = vm.sp.intern("__repr__");
    if let Some(func) = vm.sp.dict_get_str(ns, k) {
        let d = vm.sp.type_dict(ty);
        vm.sp.dict_set_name(d, "__repr__", func);
        vm.sp.dict_set_name(d, "__str__", func);
    }
    vm.reset_roots(r);
}

/// An instance of a struct-sequence class: `values` in field order (the first
/// `n_sequence_fields` are the tuple's items).
pub fn struct_seq_new(vm: &mut Vm, ty: Value, fields: &[&str], values: &[Value]) -> Value {
    let d = vm.sp.type_dict(ty);
    let k = vm.sp.intern("n_sequence_fields");
    let n_seq = vm
        .sp
        .dict_get_str(d, k)
        .and_then(|v| vm.sp.small_int(v))
        .unwrap_or(values.len() as i64) as usize;
    let t = vm.sp.new_tuple(&values[..n_seq]);
    let o = vm.sp.new_instance(ty);
    vm.sp.set_inst_backing(o, t);
    for (f, &v) in fields.iter().zip(values) {
        set_attr(vm, o, f, v);
    }
    o
}

fn struct_seq_repr(vm: &mut Vm, a: &Args) -> PyResult {
    types_check(vm, a, "__repr__", 1, 1)?;
    let o = a.get(0);
    let ty = o.ty();
    let module = {
        let m = vm.lookup_type_attr(ty, vm.n.module);
        m.filter(|m| m.layout() == l::STR)
            .map(|m| vm.str_owned(m))
            .unwrap_or_default()
    };
    let name = vm.sp.type_name(ty).to_owned();
    let k = vm.sp.intern("_fields");
    let fields: Vec<String> = vm
        .lookup_type_attr(ty, k)
        .filter(|f| f.layout() == l::TUPLE)
        .map(|f| {
            vm.sp
                .tuple_items(f)
                .iter()
                .map(|&s| vm.str_owned(s))
                .collect()
        })
        .unwrap_or_default();
    let items = vm.unwrap_builtin(o);
    let r = vm.push_root(items);
    let mut out = if module.is_empty() || module == "builtins" {
        format!("{name}(")
    } else {
        format!("{module}.{name}(")
    };
    let n = vm.sp.tuple_len(items).min(fields.len());
    for (i, f) in fields.iter().enumerate().take(n) {
        let items = vm.root(r);
        let v = vm.sp.tuple_items(items)[i];
        let s = vm.repr_string(v)?;
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(f);
        out.push('=');
        out.push_str(&s);
    }
    out.push(')');
    Ok(vm.sp.new_str(&out))
}

// ---------------------------------------------------------------------- arguments

/// `types::check_args` with CPython's `math`-style message `name() takes exactly one
/// argument (N given)`.
fn types_check(vm: &mut Vm, a: &Args, name: &str, min: usize, max: usize) -> PyResult<()> {
    super::types::check_args(vm, a, name, min, max)
}

/// Refuses keyword arguments other than `allowed`, with CPython's message for
/// functions implemented in C: `'x' is an invalid keyword argument for f()`.
pub fn check_kws(vm: &mut Vm, a: &Args, fname: &str, allowed: &[&str]) -> PyResult<()> {
    for i in 0..a.nkw() {
        let (k, _) = a.kw_at(i);
        let k = vm.str_owned(k);
        if !allowed.contains(&k.as_str()) {
            return Err(vm.type_error(format!(
                "'{k}' is an invalid keyword argument for {fname}()"
            )));
        }
    }
    Ok(())
}

/// Refuses keyword arguments other than `allowed`, with the message of functions
/// written in Python: `f() got an unexpected keyword argument 'x'`.
pub fn check_kws_py(vm: &mut Vm, a: &Args, fname: &str, allowed: &[&str]) -> PyResult<()> {
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

/// Argument `i` given by position or as keyword `name`.
pub fn arg(vm: &Vm, a: &Args, i: usize, name: &str) -> Option<Value> {
    a.opt(i).or_else(|| a.kw(&vm.sp, name))
}

// ---------------------------------------------------------------------- numbers

/// Whether `v` is an int (or bool, or an int subclass instance).
pub fn is_int(vm: &Vm, v: Value) -> bool {
    vm.sp.is_int_layout(vm.unwrap_builtin(v))
}

/// A float from a real number as the `math` functions accept it: float, int (too large:
/// `OverflowError`), or an object with `__float__` or `__index__`; else
/// `TypeError: must be real number, not T`. May run Python code.
pub fn to_f64(vm: &mut Vm, v: Value) -> PyResult<f64> {
    let u = vm.unwrap_builtin(v);
    match u.layout() {
        l::FLOAT => return Ok(vm.sp.float_value(u)),
        l::INT => return Ok(vm.sp.small_int(u).unwrap_or(0) as f64),
        l::BIGINT => return bigint_to_f64(vm, &vm.sp.to_bigint(u)),
        _ => {}
    }
    if v.layout() == l::INSTANCE {
        if let Some(r) = vm.call_special(v, vm.n.float_, &[])? {
            let ru = vm.unwrap_builtin(r);
            if ru.layout() != l::FLOAT {
                return Err(vm.type_error(format!(
                    "{}.__float__ returned non-float (type {})",
                    vm.type_name(v),
                    vm.type_name(r)
                )));
            }
            return Ok(vm.sp.float_value(ru));
        }
        if vm.lookup_type_attr(v.ty(), vm.n.index).is_some() {
            let b = vm.to_index_int(v)?;
            return bigint_to_f64(vm, &b);
        }
    }
    Err(vm.type_error(format!("must be real number, not {}", vm.type_name(v))))
}

/// An int as a float, `OverflowError` when too large.
pub fn bigint_to_f64(vm: &mut Vm, b: &BigInt) -> PyResult<f64> {
    match b.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(vm.overflow_error("int too large to convert to float")),
    }
}

/// An int from an integer-like value (`__index__`); `TypeError: 'T' object cannot be
/// interpreted as an integer` otherwise. May run Python code.
pub fn to_int(vm: &mut Vm, v: Value) -> PyResult<BigInt> {
    vm.to_index_int(v)
}

/// A new float.
pub fn float(vm: &mut Vm, f: f64) -> Value {
    vm.sp.new_float(f)
}

/// A new int.
pub fn int(vm: &mut Vm, b: BigInt) -> Value {
    vm.int_from(b)
}

/// Reports a Python exception raised where it cannot propagate (a gc hook): CPython's
/// "Exception ignored in" report on stderr.
pub fn report_unraisable(vm: &mut Vm, what: &str) {
    let e = vm.take_exc();
    let text = vm.format_exception(e);
    vm.flush_out();
    eprintln!("Exception ignored in: {what}");
    eprint!("{text}");
    if !text.ends_with('\n') {
        eprintln!();
    }
}

// ---------------------------------------------------------------------- per-VM state

thread_local! {
    /// Classes made by the modules, by (VM address, key). Classes are non-moving and
    /// immortal, so the values stay valid as long as their VM; a new VM at the same
    /// address replaces the entries when it creates the module again.
    static CLASSES: std::cell::RefCell<std::collections::HashMap<(usize, &'static str), Value>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn vm_key(vm: &Vm) -> usize {
    vm as *const Vm as usize
}

/// Remembers class `ty` under `key` for this VM.
pub fn remember_class(vm: &Vm, key: &'static str, ty: Value) {
    CLASSES.with(|c| c.borrow_mut().insert((vm_key(vm), key), ty));
}

/// The class remembered under `key` for this VM.
pub fn class(vm: &Vm, key: &'static str) -> Option<Value> {
    CLASSES.with(|c| c.borrow().get(&(vm_key(vm), key)).copied())
}
