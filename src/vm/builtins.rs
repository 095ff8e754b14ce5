//! The `builtins` module: the built-in functions, the built-in types and exception
//! classes by name, and the iterator objects they create (`enumerate`, `zip`, `map`,
//! `filter`, `reversed`, `iter(callable, sentinel)`).

use super::types::{check_args, no_kw};
use super::{Args, PyResult, RootSlot, Vm};
use crate::bytecode::CmpOp;
use thicket_object_model::builtin_types::BUILTIN_TYPE_TABLE;
use thicket_object_model::layout as l;
use thicket_object_model::{Kind, Value};

/// Creates the builtins module and fills it.
pub fn install(vm: &mut Vm) {
    let mods = vm.sp.new_dict();
    vm.root_set(RootSlot::Modules, Some(mods));
    let m = vm.new_module("builtins");
    let d = vm.module_dict(m);
    vm.root_set(RootSlot::Builtins, Some(d));
    // Types and exceptions by name.
    let tvals: Vec<(&str, Value)> = BUILTIN_TYPE_TABLE
        .iter()
        .map(|e| e.1)
        .zip(vm.sp.t.all())
        .collect();
    for (name, v) in tvals {
        let d = vm.builtins();
        if !name.contains('_') || name.starts_with(char::is_uppercase) {
            vm.sp.dict_set_name(d, name, v);
        }
    }
    let d = vm.builtins();
    let (none, ell, ni) = (vm.sp.none, vm.sp.ellipsis, vm.sp.not_implemented);
    vm.sp.dict_set_name(d, "None", none);
    vm.sp.dict_set_name(d, "Ellipsis", ell);
    vm.sp.dict_set_name(d, "NotImplemented", ni);
    let tr = vm.sp.true_;
    vm.sp.dict_set_name(d, "True", tr);
    let fa = vm.sp.false_;
    vm.sp.dict_set_name(d, "False", fa);
    let env_err = vm.sp.t.os_error;
    vm.sp.dict_set_name(d, "EnvironmentError", env_err);
    vm.sp.dict_set_name(d, "IOError", env_err);
    let fns: &[(&'static str, super::NativeFn)] = &[
        ("print", print),
        ("len", len),
        ("repr", repr),
        ("ascii", ascii),
        ("isinstance", isinstance),
        ("issubclass", issubclass),
        ("iter", iter),
        ("next", next),
        ("id", id),
        ("hash", hash),
        ("callable", callable),
        ("getattr", getattr),
        ("setattr", setattr),
        ("hasattr", hasattr),
        ("delattr", delattr),
        ("enumerate", enumerate),
        ("zip", zip),
        ("map", map),
        ("filter", filter),
        ("reversed", reversed),
        ("vars", vars),
        ("globals", globals_fn),
        ("__build_class__", build_class_unsupported),
    ];
    for &(name, f) in fns {
        let d = vm.builtins();
        vm.add_native(d, name, f);
    }
    super::builtins_more::install(vm);
}

fn print(vm: &mut Vm, a: &Args) -> PyResult {
    let sep = a.kw(&vm.sp, "sep").filter(|v| !v.is(vm.sp.none));
    let end = a.kw(&vm.sp, "end").filter(|v| !v.is(vm.sp.none));
    let file = a.kw(&vm.sp, "file").filter(|v| !v.is(vm.sp.none));
    let flush = a.kw(&vm.sp, "flush");
    let sep = match sep {
        Some(s) if vm.is_str(s) => vm.str_owned(s),
        Some(s) => {
            return Err(vm.type_error(format!(
                "sep must be None or a string, not {}",
                vm.type_name(s)
            )))
        }
        None => " ".into(),
    };
    let end = match end {
        Some(s) if vm.is_str(s) => vm.str_owned(s),
        Some(s) => {
            return Err(vm.type_error(format!(
                "end must be None or a string, not {}",
                vm.type_name(s)
            )))
        }
        None => "\n".into(),
    };
    let mut out = String::new();
    for i in 0..a.len() {
        if i > 0 {
            out.push_str(&sep);
        }
        let s = vm.to_str(a.get(i))?;
        out.push_str(vm.sp.str_of(s));
    }
    out.push_str(&end);
    match file {
        None => vm.write_out(&out),
        Some(f) => {
            let s = vm.sp.new_str(&out);
            let w = vm.getattr_str(f, "write")?;
            vm.call(w, &[s])?;
        }
    }
    if flush.is_some_and(|f| f.is(vm.sp.true_)) {
        vm.flush_out();
    }
    Ok(vm.sp.none)
}

fn len(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "len")?;
    check_args(vm, a, "len", 1, 1)?;
    let n = vm.len(a.get(0))?;
    Ok(vm.sp.new_int(n as i64))
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "repr", 1, 1)?;
    vm.to_repr(a.get(0))
}

fn ascii(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "ascii", 1, 1)?;
    vm.to_ascii(a.get(0))
}

/// `isinstance(v, spec)` with tuples of classes.
pub fn isinstance_of(vm: &mut Vm, v: Value, spec: Value) -> PyResult<bool> {
    if spec.layout() == l::TUPLE {
        for s in vm.sp.tuple_items(spec).to_vec() {
            if isinstance_of(vm, v, s)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if spec.layout() != l::TYPE {
        let inst_check = vm.sp.intern("__instancecheck__");
        if let Some(r) = vm.call_special(spec, inst_check, &[v])? {
            return vm.truthy(r);
        }
        return Err(
            vm.type_error("isinstance() arg 2 must be a type, a tuple of types, or a union")
        );
    }
    Ok(vm.sp.isinstance(v, spec))
}

fn isinstance(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "isinstance", 2, 2)?;
    let r = isinstance_of(vm, a.get(0), a.get(1))?;
    Ok(vm.sp.new_bool(r))
}

fn issubclass_of(vm: &mut Vm, c: Value, spec: Value) -> PyResult<bool> {
    if spec.layout() == l::TUPLE {
        for s in vm.sp.tuple_items(spec).to_vec() {
            if issubclass_of(vm, c, s)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if c.layout() != l::TYPE {
        return Err(vm.type_error("issubclass() arg 1 must be a class"));
    }
    if spec.layout() != l::TYPE {
        return Err(
            vm.type_error("issubclass() arg 2 must be a class, a tuple of classes, or a union")
        );
    }
    Ok(vm.sp.is_subtype(c, spec))
}

fn issubclass(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "issubclass", 2, 2)?;
    let r = issubclass_of(vm, a.get(0), a.get(1))?;
    Ok(vm.sp.new_bool(r))
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "iter", 1, 2)?;
    if a.len() == 2 {
        let ty = vm.sp.t.callable_iterator;
        let (f, s) = (a.get(0), a.get(1));
        if !is_callable(vm, f) {
            return Err(vm.type_error("iter(v, w): v must be callable"));
        }
        return Ok(vm.sp.new_iter(ty, Some(f), Some(s), None, 0, 0));
    }
    vm.get_iter(a.get(0))
}

fn next(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "next", 1, 2)?;
    let it = a.get(0);
    let is_iter = matches!(vm.sp.kind(it), Kind::Iter | Kind::Generator)
        || vm.lookup_type_attr(it.ty(), vm.n.next).is_some();
    if !is_iter {
        return Err(vm.type_error(format!("'{}' object is not an iterator", vm.type_name(it))));
    }
    if a.len() == 1 && it.layout() == l::INSTANCE {
        // Let StopIteration (with its value) propagate unchanged.
        return match vm.call_special(it, vm.n.next, &[])? {
            Some(v) => Ok(v),
            None => Err(vm.type_error("not an iterator")),
        };
    }
    if it.ty().is(vm.sp.t.generator) {
        let none = vm.sp.none;
        return match vm.gen_resume(it, none)? {
            super::gen::Resumed::Yielded(v) => Ok(v),
            super::gen::Resumed::Returned(r) => match a.opt(1) {
                Some(d) => Ok(d),
                None => {
                    let r = if r.is(vm.sp.none) { None } else { Some(r) };
                    Err(vm.stop_iteration(r))
                }
            },
        };
    }
    match vm.iter_next(it)? {
        Some(v) => Ok(v),
        None => match a.opt(1) {
            Some(d) => Ok(d),
            None => Err(vm.stop_iteration(None)),
        },
    }
}

fn id(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "id", 1, 1)?;
    let i = vm.id_of(a.get(0));
    Ok(vm.sp.new_int(i as i64))
}

fn hash(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "hash", 1, 1)?;
    let h = vm.hash(a.get(0))?;
    Ok(vm.sp.new_int(h))
}

/// `callable(v)`.
pub fn is_callable(vm: &mut Vm, v: Value) -> bool {
    match v.layout() {
        l::FUNCTION | l::BUILTIN | l::METHOD | l::TYPE => true,
        _ => vm.lookup_type_attr(v.ty(), vm.n.call).is_some(),
    }
}

fn callable(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "callable", 1, 1)?;
    let r = is_callable(vm, a.get(0));
    Ok(vm.sp.new_bool(r))
}

fn getattr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "getattr", 2, 3)?;
    let (o, n) = (a.get(0), a.get(1));
    if !vm.is_str(n) {
        return Err(vm.type_error("attribute name must be string"));
    }
    match vm.getattr_opt(o, n) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => match a.opt(2) {
            Some(d) => Ok(d),
            None => Err(vm.no_attr(a.get(0), a.get(1))),
        },
        Err(e) => {
            if a.len() == 3 && vm.exc_is(vm.sp.t.attribute_error) {
                vm.take_exc();
                Ok(a.get(2))
            } else {
                Err(e)
            }
        }
    }
}

fn setattr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "setattr", 3, 3)?;
    vm.setattr(a.get(0), a.get(1), a.get(2))?;
    Ok(vm.sp.none)
}

fn hasattr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "hasattr", 2, 2)?;
    match vm.getattr_opt(a.get(0), a.get(1)) {
        Ok(v) => Ok(vm.sp.new_bool(v.is_some())),
        Err(e) => {
            if vm.exc_is(vm.sp.t.attribute_error) {
                vm.take_exc();
                Ok(vm.sp.false_)
            } else {
                Err(e)
            }
        }
    }
}

fn delattr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "delattr", 2, 2)?;
    vm.delattr(a.get(0), a.get(1))?;
    Ok(vm.sp.none)
}

fn enumerate(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "enumerate", 1, 2)?;
    let start = a.opt(1).or(a.kw(&vm.sp, "start"));
    let it = vm.get_iter(a.get(0))?;
    let r = vm.push_root(it);
    let start = match start {
        Some(s) => {
            let u = vm.unwrap_builtin(s);
            if !vm.sp.is_int_layout(u) {
                return Err(vm.type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    vm.type_name(s)
                )));
            }
            u
        }
        None => vm.sp.new_int(0),
    };
    let it = vm.root(r);
    vm.reset_roots(r);
    let ty = vm.sp.t.enumerate;
    Ok(vm.sp.new_iter(ty, Some(it), Some(start), None, 0, 0))
}

fn zip(vm: &mut Vm, a: &Args) -> PyResult {
    let strict = a.kw(&vm.sp, "strict").is_some_and(|v| v.is(vm.sp.true_));
    let mark = vm.mark();
    let lst = vm.sp.new_list(&[]);
    let lr = vm.push_root(lst);
    for i in 0..a.len() {
        let it = vm.get_iter(a.get(i)).map_err(|e| {
            if vm.exc_is(vm.sp.t.type_error) {
                vm.take_exc();
                let tn = vm.type_name(a.get(i));
                vm.type_error(format!("zip argument #{} must support iteration", i + 1))
                    .also(tn)
            } else {
                e
            }
        })?;
        let lst = vm.root(lr);
        vm.sp.list_append(lst, it);
    }
    let lst = vm.root(lr);
    let items = vm.sp.list_items(lst).to_vec();
    let t = vm.sp.new_tuple(&items);
    vm.reset_roots(mark);
    let ty = vm.sp.t.zip;
    Ok(vm.sp.new_iter(ty, Some(t), None, None, 0, strict as i64))
}

trait Also {
    fn also(self, _x: String) -> Self;
}

impl Also for super::Raised {
    fn also(self, _x: String) -> Self {
        self
    }
}

fn map(vm: &mut Vm, a: &Args) -> PyResult {
    if a.len() < 2 {
        return Err(vm.type_error("map() must have at least two arguments."));
    }
    let mark = vm.mark();
    let f = a.get(0);
    let fr = vm.push_root(f);
    let lst = vm.sp.new_list(&[]);
    let lr = vm.push_root(lst);
    for i in 1..a.len() {
        let it = vm.get_iter(a.get(i))?;
        let lst = vm.root(lr);
        vm.sp.list_append(lst, it);
    }
    let lst = vm.root(lr);
    let items = vm.sp.list_items(lst).to_vec();
    let t = vm.sp.new_tuple(&items);
    let f = vm.root(fr);
    vm.reset_roots(mark);
    let ty = vm.sp.t.map;
    Ok(vm.sp.new_iter(ty, Some(f), Some(t), None, 0, 0))
}

fn filter(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "filter", 2, 2)?;
    let it = vm.get_iter(a.get(1))?;
    let ty = vm.sp.t.filter;
    let f = a.get(0);
    Ok(vm.sp.new_iter(ty, Some(f), Some(it), None, 0, 0))
}

fn reversed(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "reversed", 1, 1)?;
    let v = a.get(0);
    if v.layout() == l::INSTANCE || vm.sp.kind(v) == Kind::DictView {
        if let Some(r) = vm.call_special(v, vm.n.reversed, &[])? {
            return Ok(r);
        }
    }
    let u = vm.unwrap_builtin(v);
    if u.layout() == l::LIST {
        let n = vm.sp.list_len(u) as i64;
        let ty = vm.sp.t.list_reverseiterator;
        return Ok(vm.sp.new_iter(ty, Some(u), None, None, n - 1, 0));
    }
    if u.layout() == l::DICT {
        let keys = vm.list_from_iter(u)?;
        let n = vm.sp.list_len(keys) as i64;
        let ty = vm.sp.t.list_reverseiterator;
        return Ok(vm.sp.new_iter(ty, Some(keys), None, None, n - 1, 0));
    }
    let has_getitem = matches!(
        u.layout(),
        l::TUPLE | l::STR | l::RANGE | l::BYTES | l::BYTEARRAY
    ) || (v.layout() == l::INSTANCE
        && vm.lookup_type_attr(v.ty(), vm.n.getitem).is_some());
    if !has_getitem
        || (v.layout() == l::INSTANCE && vm.lookup_type_attr(v.ty(), vm.n.len).is_none() && u.is(v))
    {
        return Err(vm.type_error(format!("'{}' object is not reversible", vm.type_name(v))));
    }
    let n = vm.len(v)? as i64;
    let ty = vm.sp.t.reversed;
    let v = a.get(0);
    Ok(vm.sp.new_iter(ty, Some(v), None, None, n - 1, 0))
}

fn vars(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "vars", 1, 1)?;
    let v = a.get(0);
    match v.layout() {
        l::INSTANCE => vm.instance_dict(v),
        l::MODULE => Ok(vm.module_dict(v)),
        l::TYPE => Ok(vm.sp.type_dict(v)),
        _ => Err(vm.type_error("vars() argument must have __dict__ attribute")),
    }
}

fn globals_fn(vm: &mut Vm, _a: &Args) -> PyResult {
    let m = vm.root_get(RootSlot::Main).expect("main module");
    Ok(vm.module_dict(m))
}

fn build_class_unsupported(vm: &mut Vm, _a: &Args) -> PyResult {
    Err(vm.type_error("__build_class__ is not supported"))
}

/// `next()` of the iterator objects defined here (`enumerate`, `zip`, `map`, `filter`,
/// `iter(f, sentinel)`).
pub fn iter_objects_next(vm: &mut Vm, it: Value) -> PyResult<Option<Value>> {
    let ty = it.ty();
    let t = vm.sp.t;
    let mark = vm.mark();
    let itr = vm.push_root(it);
    // SAFETY (whole function): ITER layout fields.
    let r = if ty.is(t.enumerate) {
        // SAFETY: ITER layout: a field of this iterator object.
        let inner = unsafe { it.get_ref(l::ITER_A).unwrap_unchecked() };
        match vm.iter_next(inner)? {
            None => None,
            Some(v) => {
                let vr = vm.push_root(v);
                let it = vm.root(itr);
                // SAFETY: ITER layout: a field of this iterator object.
                let count = unsafe { it.get_ref(l::ITER_B).unwrap_unchecked() };
                let one = vm.sp.new_int(1);
                let next = vm.binary_op(crate::bytecode::BinOp::Add, count, one)?;
                let it = vm.root(itr);
                // SAFETY: ITER layout: a field of this iterator object.
                let count = unsafe { it.get_ref(l::ITER_B).unwrap_unchecked() };
                // SAFETY: ITER layout: a field of this iterator object.
                unsafe { vm.sp.store(it, l::ITER_B, Some(next)) };
                let v = vm.root(vr);
                Some(vm.sp.new_tuple(&[count, v]))
            }
        }
    } else if ty.is(t.zip) {
        // SAFETY: ITER layout: a field of this iterator object.
        let its = unsafe { it.get_ref(l::ITER_A).unwrap_unchecked() };
        let n = vm.sp.tuple_len(its);
        // SAFETY: ITER layout: a field of this iterator object.
        let strict = unsafe { it.get::<i64>(l::ITER_N) } != 0;
        let base = vm.mark();
        let mut done = if n == 0 { Some(0) } else { None };
        for i in 0..n {
            if done.is_some() {
                break;
            }
            let it = vm.root(itr);
            // SAFETY: ITER layout: a field of this iterator object.
            let its = unsafe { it.get_ref(l::ITER_A).unwrap_unchecked() };
            let sub = vm.sp.tuple_items(its)[i];
            match vm.iter_next(sub)? {
                Some(v) => {
                    vm.push_root(v);
                }
                None => {
                    done = Some(i);
                    break;
                }
            }
        }
        match done {
            Some(i) => {
                if strict && n > 0 {
                    if i > 0 {
                        return Err(vm.value_error(format!(
                            "zip() argument {} is shorter than argument{} 1{}",
                            i + 1,
                            if i > 1 { "s" } else { "" },
                            if i > 1 {
                                format!("-{i}")
                            } else {
                                String::new()
                            }
                        )));
                    }
                    for j in 1..n {
                        let it = vm.root(itr);
                        // SAFETY: ITER layout: a field of this iterator object.
                        let its = unsafe { it.get_ref(l::ITER_A).unwrap_unchecked() };
                        let sub = vm.sp.tuple_items(its)[j];
                        if vm.iter_next(sub)?.is_some() {
                            return Err(vm.value_error(format!(
                                "zip() argument {} is longer than argument{} 1{}",
                                j + 1,
                                if j > 1 { "s" } else { "" },
                                if j > 1 {
                                    format!("-{j}")
                                } else {
                                    String::new()
                                }
                            )));
                        }
                    }
                }
                None
            }
            None => {
                let items: Vec<Value> = (0..n).map(|i| vm.root(base + i)).collect();
                Some(vm.sp.new_tuple(&items))
            }
        }
    } else if ty.is(t.map) {
        // SAFETY: ITER layout: a field of this iterator object.
        let its = unsafe { it.get_ref(l::ITER_B).unwrap_unchecked() };
        let n = vm.sp.tuple_len(its);
        let base = vm.mark();
        let mut done = false;
        for i in 0..n {
            let it = vm.root(itr);
            // SAFETY: ITER layout: a field of this iterator object.
            let its = unsafe { it.get_ref(l::ITER_B).unwrap_unchecked() };
            let sub = vm.sp.tuple_items(its)[i];
            match vm.iter_next(sub)? {
                Some(v) => {
                    vm.push_root(v);
                }
                None => {
                    done = true;
                    break;
                }
            }
        }
        if done {
            None
        } else {
            let args: Vec<Value> = (0..n).map(|i| vm.root(base + i)).collect();
            let it = vm.root(itr);
            // SAFETY: ITER layout: a field of this iterator object.
            let f = unsafe { it.get_ref(l::ITER_A).unwrap_unchecked() };
            Some(vm.call(f, &args)?)
        }
    } else if ty.is(t.filter) {
        loop {
            let it = vm.root(itr);
            // SAFETY: ITER layout: a field of this iterator object.
            let inner = unsafe { it.get_ref(l::ITER_B).unwrap_unchecked() };
            let Some(v) = vm.iter_next(inner)? else {
                break None;
            };
            let vr = vm.push_root(v);
            let it = vm.root(itr);
            // SAFETY: ITER layout: a field of this iterator object.
            let f = unsafe { it.get_ref(l::ITER_A).unwrap_unchecked() };
            let keep = if f.is(vm.sp.none) {
                vm.truthy(v)?
            } else {
                let r = vm.call(f, &[v])?;
                vm.truthy(r)?
            };
            let v = vm.root(vr);
            vm.reset_roots(vr);
            if keep {
                break Some(v);
            }
        }
    } else if ty.is(t.callable_iterator) {
        // SAFETY: ITER layout: a field of this iterator object.
        let (f, s) = unsafe {
            (
                it.get_ref(l::ITER_A),
                it.get_ref(l::ITER_B).unwrap_unchecked(),
            )
        };
        match f {
            None => None,
            Some(f) => {
                let sr = vm.push_root(s);
                let v = vm.call(f, &[])?;
                let s = vm.root(sr);
                if vm.compare_bool(CmpOp::Eq, v, s)? {
                    let it = vm.root(itr);
                    // SAFETY: ITER layout: a field of this iterator object.
                    unsafe { it.init_ref(l::ITER_A, None) };
                    None
                } else {
                    Some(v)
                }
            }
        }
    } else {
        return Err(vm.type_error(format!("'{}' object is not an iterator", vm.type_name(it))));
    };
    vm.reset_roots(mark);
    Ok(r)
}
