//! The built-in types' behaviour: constructors (`int(x)`, `list(it)`, `type(name,
//! bases, ns)`, ...), the methods of `object`, `type`, `property`, `super`, and (in
//! submodules) the methods of str/bytes, of the containers, and of numbers, plus the
//! formatting entry points.

pub mod containers;
pub mod dunders;
pub mod numbers;
pub mod strs;

use super::{Args, PyResult, Vm};
use num_bigint::BigInt;
use num_traits::{Num as _, ToPrimitive};
use thicket_object_model::layout as l;
use thicket_object_model::{Kind, Value};

/// Installs the methods of every built-in type.
pub fn install(vm: &mut Vm) {
    let t = vm.sp.t;
    vm.object_init_native = vm.add_method(t.object, "__init__", object_init);
    vm.object_new_native = vm.add_method(t.object, "__new__", object_new);
    vm.add_method(t.object, "__repr__", object_repr);
    vm.add_method(t.object, "__str__", object_str);
    vm.add_method(t.object, "__eq__", object_eq);
    vm.add_method(t.object, "__ne__", object_ne);
    vm.add_method(t.object, "__hash__", object_hash);
    vm.add_method(t.object, "__setattr__", object_setattr);
    vm.add_method(t.object, "__getattribute__", object_getattribute);
    vm.add_method(t.object, "__delattr__", object_delattr);
    vm.add_method(t.object, "__format__", object_format);
    vm.add_method(t.object, "__init_subclass__", object_init_subclass);
    vm.add_method(t.object, "__getstate__", object_getstate);
    vm.add_method(t.type_, "mro", type_mro);
    vm.add_method(t.type_, "__subclasses__", type_subclasses);
    vm.add_method(t.property, "getter", property_getter);
    vm.add_method(t.property, "setter", property_setter);
    vm.add_method(t.property, "deleter", property_deleter);
    vm.add_method(t.base_exception, "with_traceback", exc_with_traceback);
    vm.add_method(t.base_exception, "__str__", exc_str_method);
    vm.add_method(t.base_exception, "__repr__", exc_repr_method);
    vm.add_method(t.base_exception, "__init__", exc_init);
    strs::install(vm);
    containers::install(vm);
    numbers::install(vm);
    dunders::install(vm);
    range_methods(vm);
}

fn range_methods(vm: &mut Vm) {
    let r = vm.sp.t.range;
    vm.add_method(r, "index", range_index);
    vm.add_method(r, "count", range_count);
    let s = vm.sp.t.slice;
    vm.add_method(s, "indices", slice_indices);
    let t = vm.sp.t;
    for ty in [
        t.list_iterator,
        t.tuple_iterator,
        t.range_iterator,
        t.list_reverseiterator,
    ] {
        vm.add_method(ty, "__length_hint__", iter_length_hint);
    }
}

fn slice_indices(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "indices", 2, 2)?;
    let n = vm.index_value(a.get(1))?;
    if n < 0 {
        return Err(vm.value_error("length should not be negative"));
    }
    let si = vm.slice_indices(a.get(0), n as usize)?;
    let (x, y, z) = (
        vm.sp.new_int(si.start),
        vm.sp.new_int(si.stop),
        vm.sp.new_int(si.step),
    );
    Ok(vm.sp.new_tuple(&[x, y, z]))
}

/// `__length_hint__` of the sequence iterators: the items left.
fn iter_length_hint(vm: &mut Vm, a: &Args) -> PyResult {
    let it = a.get(0);
    let t = vm.sp.t;
    // SAFETY: ITER layout (the types this is registered on).
    let (seq, idx, n) = unsafe {
        (
            it.get_ref(l::ITER_A),
            it.get::<i64>(l::ITER_INDEX),
            it.get::<i64>(l::ITER_N),
        )
    };
    let left = if it.ty().is(t.range_iterator) {
        (n - idx).max(0)
    } else if it.ty().is(t.list_reverseiterator) {
        idx + 1
    } else {
        match seq {
            None => 0,
            Some(s) if s.layout() == l::LIST => (vm.sp.list_len(s) as i64 - idx).max(0),
            Some(s) => (vm.sp.tuple_len(s) as i64 - idx).max(0),
        }
    };
    Ok(vm.sp.new_int(left.max(0)))
}

fn range_index(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "index", 2, 2)?;
    let (r, x) = (a.get(0), a.get(1));
    let u = vm.unwrap_builtin(x);
    if vm.sp.is_int_layout(u) && vm.range_contains(r, u) {
        let (start, _, step) = vm.range_parts(r);
        let i = (vm.sp.to_bigint(u) - start) / step;
        return Ok(vm.int_from(i));
    }
    let rs = vm.repr_string(x)?;
    Err(vm.value_error(format!("{rs} is not in range")))
}

fn range_count(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "count", 2, 2)?;
    let (r, x) = (a.get(0), a.get(1));
    let u = vm.unwrap_builtin(x);
    let n = vm.sp.is_int_layout(u) && vm.range_contains(r, u);
    Ok(vm.sp.new_int(n as i64))
}

/// Checks the positional argument count of a native.
pub fn check_args(vm: &mut Vm, a: &Args, name: &str, min: usize, max: usize) -> PyResult<()> {
    let n = a.len();
    if n < min || n > max {
        let msg = if min == max {
            if min == 0 {
                format!("{name}() takes no arguments ({n} given)")
            } else if min == 1 {
                format!("{name}() takes exactly one argument ({n} given)")
            } else {
                format!("{name}() takes exactly {min} arguments ({n} given)")
            }
        } else if n < min {
            format!(
                "{name} expected at least {min} argument{}, got {n}",
                if min == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{name} expected at most {max} argument{}, got {n}",
                if max == 1 { "" } else { "s" }
            )
        };
        return Err(vm.type_error(msg));
    }
    Ok(())
}

/// Refuses keyword arguments.
pub fn no_kw(vm: &mut Vm, a: &Args, name: &str) -> PyResult<()> {
    if a.nkw() > 0 {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    Ok(())
}

/// Calls a type that is a built-in one (or whose instances use a built-in layout).
pub fn construct_builtin(vm: &mut Vm, ty: Value, kind: Kind, a: &Args) -> PyResult {
    let t = vm.sp.t;
    match kind {
        Kind::Object => {
            if !a.is_empty() || a.nkw() > 0 {
                return Err(vm.type_error("object() takes no arguments"));
            }
            Ok(vm.sp.alloc(l::OBJECT, t.object))
        }
        Kind::Type => type_new(vm, a),
        Kind::Int => int_new(vm, a),
        Kind::Bool => {
            no_kw(vm, a, "bool")?;
            check_args(vm, a, "bool", 0, 1)?;
            match a.opt(0) {
                None => Ok(vm.sp.false_),
                Some(v) => {
                    let b = vm.truthy(v)?;
                    Ok(vm.sp.new_bool(b))
                }
            }
        }
        Kind::Float => float_new(vm, a),
        Kind::Str => str_new(vm, a),
        Kind::Tuple => {
            no_kw(vm, a, "tuple")?;
            check_args(vm, a, "tuple", 0, 1)?;
            match a.opt(0) {
                None => Ok(vm.sp.empty_tuple),
                Some(v) if v.layout() == l::TUPLE && v.ty().is(t.tuple) => Ok(v),
                Some(v) => {
                    let lst = vm.list_from_iter(v)?;
                    let items = vm.sp.list_items(lst).to_vec();
                    Ok(vm.sp.new_tuple(&items))
                }
            }
        }
        Kind::List => {
            no_kw(vm, a, "list")?;
            check_args(vm, a, "list", 0, 1)?;
            match a.opt(0) {
                None => Ok(vm.sp.new_list(&[])),
                Some(v) => vm.list_from_iter(v),
            }
        }
        Kind::Dict => {
            check_args(vm, a, "dict", 0, 1)?;
            let d = vm.sp.new_dict();
            let dr = vm.push_root(d);
            if let Some(v) = a.opt(0) {
                vm.dict_update(d, v, false)?;
            }
            for i in 0..a.nkw() {
                let (k, v) = a.kw_at(i);
                let d = vm.root(dr);
                vm.dict_setitem(d, k, v)?;
            }
            let d = vm.root(dr);
            vm.reset_roots(dr);
            Ok(d)
        }
        Kind::Set | Kind::FrozenSet => {
            let frozen = kind == Kind::FrozenSet;
            let name = if frozen { "frozenset" } else { "set" };
            no_kw(vm, a, name)?;
            check_args(vm, a, name, 0, 1)?;
            if frozen {
                if let Some(v) = a.opt(0) {
                    if v.ty().is(t.frozenset) {
                        return Ok(v);
                    }
                }
            }
            let s = vm.sp.new_set(frozen);
            let sr = vm.push_root(s);
            if let Some(v) = a.opt(0) {
                vm.set_update(s, v)?;
            }
            let s = vm.root(sr);
            vm.reset_roots(sr);
            Ok(s)
        }
        Kind::Range => {
            no_kw(vm, a, "range")?;
            if a.is_empty() {
                return Err(vm.type_error("range expected at least 1 argument, got 0"));
            }
            check_args(vm, a, "range", 1, 3)?;
            let mut parts = Vec::new();
            for i in 0..a.len() {
                let v = a.get(i);
                let iv = vm.to_index_int(v)?;
                parts.push(iv);
            }
            let (start, stop, step) = match parts.len() {
                1 => (BigInt::from(0), parts[0].clone(), BigInt::from(1)),
                2 => (parts[0].clone(), parts[1].clone(), BigInt::from(1)),
                _ => (parts[0].clone(), parts[1].clone(), parts[2].clone()),
            };
            if step == BigInt::from(0) {
                return Err(vm.value_error("range() arg 3 must not be zero"));
            }
            let x = vm.int_from(start);
            let xr = vm.push_root(x);
            let y = vm.int_from(stop);
            let yr = vm.push_root(y);
            let z = vm.int_from(step);
            let (x, y) = (vm.root(xr), vm.root(yr));
            vm.reset_roots(xr);
            Ok(vm.new_range(x, y, z))
        }
        Kind::Slice => {
            check_args(vm, a, "slice", 1, 3)?;
            let none = vm.sp.none;
            let (s, e, st) = match a.len() {
                1 => (none, a.get(0), none),
                2 => (a.get(0), a.get(1), none),
                _ => (a.get(0), a.get(1), a.get(2)),
            };
            Ok(vm.new_slice(s, e, st))
        }
        Kind::Bytes => strs::bytes_new(vm, a),
        Kind::ByteArray => strs::bytearray_new(vm, a),
        Kind::Property => {
            let none = vm.sp.none;
            let fget = a.opt(0).or(a.kw(&vm.sp, "fget")).unwrap_or(none);
            let fset = a.opt(1).or(a.kw(&vm.sp, "fset")).unwrap_or(none);
            let fdel = a.opt(2).or(a.kw(&vm.sp, "fdel")).unwrap_or(none);
            let doc = a.opt(3).or(a.kw(&vm.sp, "doc")).unwrap_or(none);
            Ok(vm
                .sp
                .new_wrapper(ty, [Some(fget), Some(fset), Some(fdel), Some(doc)]))
        }
        Kind::StaticMethod | Kind::ClassMethod => {
            check_args(vm, a, vm.sp.type_name(ty).to_owned().as_str(), 1, 1)?;
            let f = a.get(0);
            Ok(vm.sp.new_wrapper(ty, [Some(f), None, None, None]))
        }
        Kind::Super => {
            check_args(vm, a, "super", 2, 2)?;
            let (cls, obj) = (a.get(0), a.get(1));
            if cls.layout() != l::TYPE {
                return Err(vm.type_error("super() argument 1 must be a type"));
            }
            let objtype = if obj.layout() == l::TYPE && vm.sp.is_subtype(obj, cls) {
                obj
            } else {
                obj.ty()
            };
            if !vm.sp.is_subtype(objtype, cls) {
                return Err(
                    vm.type_error("super(type, obj): obj must be an instance or subtype of type")
                );
            }
            Ok(vm
                .sp
                .new_wrapper(t.super_, [Some(cls), Some(obj), Some(objtype), None]))
        }
        Kind::NoneType => Ok(vm.sp.none),
        Kind::Instance => {
            // Built-in exception classes are instances of the mapdict layout.
            vm.new_instance_of(ty, a)
        }
        _ => Err(vm.type_error(format!("cannot create '{}' instances", vm.sp.type_name(ty)))),
    }
}

/// An int from a value for range()-like arguments (`__index__`).
impl Vm {
    pub fn to_index_int(&mut self, v: Value) -> PyResult<BigInt> {
        let u = self.unwrap_builtin(v);
        if self.sp.is_int_layout(u) {
            return Ok(self.sp.to_bigint(u));
        }
        if v.layout() == l::INSTANCE {
            if let Some(r) = self.call_special(v, self.n.index, &[])? {
                return self.to_index_int(r);
            }
        }
        Err(self.type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            self.type_name(v)
        )))
    }
}

fn type_new(vm: &mut Vm, a: &Args) -> PyResult {
    match a.len() {
        1 => Ok(a.get(0).ty()),
        3 => {
            let (name, bases, ns) = (a.get(0), a.get(1), a.get(2));
            if !vm.is_str(name) || bases.layout() != l::TUPLE || ns.layout() != l::DICT {
                return Err(
                    vm.type_error("type.__new__() argument types must be (str, tuple, dict)")
                );
            }
            let bl = vm.sp.tuple_items(bases).to_vec();
            for &b in &bl {
                if b.layout() != l::TYPE {
                    return Err(vm.type_error("bases must be types"));
                }
            }
            let name = vm.sp.intern_value(name);
            let r = vm.push_root(name);
            let d = vm.sp.dict_copy(ns);
            if vm.sp.dict_get_str(d, vm.n.module).is_none() {
                let m = vm.sp.intern("__main__");
                vm.sp.dict_set_str(d, vm.n.module, m);
            }
            let name = vm.root(r);
            let bl = vm.sp.tuple_items(a.get(1)).to_vec();
            vm.reset_roots(r);
            match vm.sp.new_class(name, name, &bl, d) {
                Ok(t) => Ok(t),
                Err(m) => Err(vm.type_error(m)),
            }
        }
        _ => Err(vm.type_error("type() takes 1 or 3 arguments")),
    }
}

fn int_new(vm: &mut Vm, a: &Args) -> PyResult {
    let base = a.opt(1).or(a.kw(&vm.sp, "base"));
    let Some(x) = a.opt(0) else {
        return Ok(vm.sp.new_int(0));
    };
    if let Some(b) = base {
        let b = vm.index_value(b)?;
        let xs = vm.unwrap_builtin(x);
        let text = match xs.layout() {
            l::STR => vm.str_owned(xs),
            l::BYTES | l::BYTEARRAY => {
                String::from_utf8_lossy(&vm.bytes_like(xs).expect("bytes")).into_owned()
            }
            _ => return Err(vm.type_error("int() can't convert non-string with explicit base")),
        };
        return parse_int(vm, &text, b as u32);
    }
    let u = vm.unwrap_builtin(x);
    match u.layout() {
        l::INT | l::BIGINT => {
            if u.ty().is(vm.sp.t.bool_) {
                return Ok(vm.sp.new_int(vm.sp.small_int(u).unwrap_or(0)));
            }
            Ok(u)
        }
        l::FLOAT => {
            let f = vm.sp.float_value(u);
            if f.is_nan() {
                return Err(vm.value_error("cannot convert float NaN to integer"));
            }
            if f.is_infinite() {
                return Err(vm.overflow_error("cannot convert float infinity to integer"));
            }
            let b: BigInt = num_traits::FromPrimitive::from_f64(f.trunc()).unwrap_or_default();
            Ok(vm.int_from(b))
        }
        l::STR => {
            let s = vm.str_owned(u);
            parse_int(vm, &s, 10)
        }
        l::BYTES | l::BYTEARRAY => {
            let s = String::from_utf8_lossy(&vm.bytes_like(u).expect("bytes")).into_owned();
            parse_int(vm, &s, 10)
        }
        _ => {
            if x.layout() == l::INSTANCE {
                for name in [vm.n.int_, vm.n.index] {
                    if let Some(r) = vm.call_special(x, name, &[])? {
                        return Ok(r);
                    }
                }
                let trunc = vm.sp.intern("__trunc__");
                if let Some(r) = vm.call_special(x, trunc, &[])? {
                    return Ok(r);
                }
            }
            Err(vm.type_error(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                vm.type_name(x)
            )))
        }
    }
}

/// Parses an int literal in `base` (0: from the prefix) as `int(s, base)` does.
pub fn parse_int(vm: &mut Vm, text: &str, base: u32) -> PyResult {
    let orig = text;
    let normalised = ascii_digits(text);
    let text = normalised.as_str();
    let bad = |vm: &mut Vm| {
        vm.value_error(format!(
            "invalid literal for int() with base {base}: {}",
            super::repr::repr_str(orig)
        ))
    };
    if base == 1 || base > 36 {
        return Err(vm.value_error("int() base must be >= 2 and <= 36, or 0"));
    }
    let s = text.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = s.to_ascii_lowercase();
    let (base, digits) = match (base, lower.get(..2)) {
        (0 | 16, Some("0x")) => (16, &s[2..]),
        (0 | 8, Some("0o")) => (8, &s[2..]),
        (0 | 2, Some("0b")) => (2, &s[2..]),
        (0, _) => {
            if s.len() > 1 && s.starts_with('0') && s.chars().any(|c| c != '0' && c != '_') {
                return Err(bad(vm));
            }
            (10, s)
        }
        (b, _) => (b, s),
    };
    let digits = digits
        .strip_prefix('_')
        .filter(|_| base != 10 || text.trim().len() != digits.len())
        .unwrap_or(digits);
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return Err(bad(vm));
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(base)) {
        return Err(bad(vm));
    }
    let v = match BigInt::from_str_radix(&clean, base) {
        Ok(v) => v,
        Err(_) => return Err(bad(vm)),
    };
    Ok(vm.int_from(if neg { -v } else { v }))
}

fn float_new(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "float")?;
    check_args(vm, a, "float", 0, 1)?;
    let Some(x) = a.opt(0) else {
        return Ok(vm.sp.new_float(0.0));
    };
    let u = vm.unwrap_builtin(x);
    match u.layout() {
        l::FLOAT => Ok(if u.ty().is(vm.sp.t.float) {
            u
        } else {
            vm.sp.new_float(vm.sp.float_value(u))
        }),
        l::INT => Ok(vm.sp.new_float(vm.sp.small_int(u).unwrap_or(0) as f64)),
        l::BIGINT => match vm.sp.to_bigint(u).to_f64() {
            Some(f) if f.is_finite() => Ok(vm.sp.new_float(f)),
            _ => Err(vm.overflow_error("int too large to convert to float")),
        },
        l::STR => {
            let s = vm.str_owned(u);
            match parse_float(&s) {
                Some(f) => Ok(vm.sp.new_float(f)),
                None => Err(vm.value_error(format!(
                    "could not convert string to float: {}",
                    super::repr::repr_str(&s)
                ))),
            }
        }
        _ => {
            if x.layout() == l::INSTANCE {
                if let Some(r) = vm.call_special(x, vm.n.float_, &[])? {
                    return Ok(r);
                }
                if let Some(r) = vm.call_special(x, vm.n.index, &[])? {
                    let f = vm.sp.to_bigint(r).to_f64().unwrap_or(f64::INFINITY);
                    return Ok(vm.sp.new_float(f));
                }
            }
            Err(vm.type_error(format!(
                "float() argument must be a string or a real number, not '{}'",
                vm.type_name(x)
            )))
        }
    }
}

/// Parses a float as `float(str)` does.
pub fn parse_float(s: &str) -> Option<f64> {
    let normalised = ascii_digits(s);
    let t = normalised.trim();
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    let neg = lower.starts_with('-');
    let special = match body {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        return Some(if neg { -v } else { v });
    }
    if t.is_empty() || t.contains("__") || t.starts_with('_') || t.ends_with('_') {
        return None;
    }
    let clean: String = t.chars().filter(|&c| c != '_').collect();
    if !clean
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    clean.parse::<f64>().ok()
}

/// Replaces Unicode decimal digits by ASCII ones and Unicode spaces by ' ', as
/// `int()` and `float()` accept them.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                c
            } else if let Some(d) = strs::unicode::decimal_value(c) {
                char::from_digit(d, 10).unwrap_or(c)
            } else if strs::unicode::is_space(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn str_new(vm: &mut Vm, a: &Args) -> PyResult {
    let x = a.opt(0).or(a.kw(&vm.sp, "object"));
    let encoding = a.opt(1).or(a.kw(&vm.sp, "encoding"));
    match (x, encoding) {
        (None, _) => Ok(vm.sp.empty_str),
        (Some(x), Some(_)) => {
            let Some(b) = vm.bytes_like(x) else {
                return Err(vm.type_error("decoding str is not supported"));
            };
            match String::from_utf8(b) {
                Ok(s) => Ok(vm.sp.new_str(&s)),
                Err(_) => Err(vm.err(
                    vm.sp.t.unicode_decode_error,
                    "'utf-8' codec can't decode bytes",
                )),
            }
        }
        (Some(x), None) => vm.to_str(x),
    }
}

// ---------------------------------------------------------------- object

fn object_init(_vm: &mut Vm, _a: &Args) -> PyResult {
    Ok(_vm.sp.none)
}

fn object_new(vm: &mut Vm, a: &Args) -> PyResult {
    if a.is_empty() {
        return Err(vm.type_error("object.__new__(): not enough arguments"));
    }
    let ty = a.get(0);
    if ty.layout() != l::TYPE {
        return Err(vm.type_error("object.__new__(X): X is not a type object"));
    }
    let td = vm.sp.type_data(ty).clone();
    if td.kind != Kind::Instance {
        // SAFETY: the remaining positional arguments are live slots.
        let rest = unsafe { Args::new(a.base().add(1), a.len() - 1, 0) };
        return construct_builtin(vm, ty, td.kind, &rest);
    }
    // SAFETY: as above.
    let rest = unsafe { Args::new(a.base().add(1), a.len() - 1, 0) };
    vm.new_instance_of(ty, &rest)
}

fn object_repr(vm: &mut Vm, a: &Args) -> PyResult {
    let v = a.get(0);
    let name = vm.qualified_type_name(v.ty());
    let id = vm.id_of(v);
    let s = format!("<{name} object at {id:#x}>");
    Ok(vm.sp.new_str(&s))
}

fn object_str(vm: &mut Vm, a: &Args) -> PyResult {
    let v = a.get(0);
    vm.to_repr(v)
}

fn object_eq(vm: &mut Vm, a: &Args) -> PyResult {
    let (x, y) = (a.get(0), a.get(1));
    Ok(if x.is(y) {
        vm.sp.true_
    } else {
        vm.sp.not_implemented
    })
}

fn object_ne(vm: &mut Vm, a: &Args) -> PyResult {
    let (x, y) = (a.get(0), a.get(1));
    let r = vm.compare(crate::bytecode::CmpOp::Eq, x, y)?;
    if r.is(vm.sp.not_implemented) {
        return Ok(r);
    }
    let b = vm.truthy(r)?;
    Ok(vm.sp.new_bool(!b))
}

fn object_hash(vm: &mut Vm, a: &Args) -> PyResult {
    let h = vm.id_hash(a.get(0))?;
    Ok(vm.sp.new_int(h))
}

fn object_setattr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "__setattr__", 3, 3)?;
    let (o, n, v) = (a.get(0), a.get(1), a.get(2));
    let n = vm.sp.intern_value(n);
    vm.generic_setattr(o, n, v)?;
    Ok(vm.sp.none)
}

fn object_getattribute(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "__getattribute__", 2, 2)?;
    vm.getattr(a.get(0), a.get(1))
}

fn object_delattr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "__delattr__", 2, 2)?;
    let (o, n) = (a.get(0), a.get(1));
    let n = vm.sp.intern_value(n);
    if o.layout() == l::INSTANCE {
        let sym = vm.sp.str_sym(n) as u32;
        if vm.sp.inst_del(o, sym) {
            return Ok(vm.sp.none);
        }
    }
    Err(vm.no_attr(o, n))
}

fn object_format(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "__format__", 2, 2)?;
    let (v, spec) = (a.get(0), a.get(1));
    if vm.is_str(spec) && !vm.sp.str_of(spec).is_empty() {
        return Err(vm.type_error(format!(
            "unsupported format string passed to {}.__format__",
            vm.type_name(v)
        )));
    }
    vm.to_str(v)
}

/// `object.__getstate__()` (3.11): `None` when the instance has no attributes, else a
/// dict of them; attributes named by a `__slots__` of the class's MRO go into a second
/// dict, returned as `(state, slots)` (names `__x` mangled as in the class body).
fn object_getstate(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "__getstate__", 1, 1)?;
    let o = a.get(0);
    let mut slot_names: Vec<String> = Vec::new();
    let mro = vm.sp.type_mro(o.ty());
    for c in vm.sp.tuple_items(mro).to_vec() {
        let k = vm.sp.intern("__slots__");
        let td = vm.sp.type_dict(c);
        let Some(sl) = vm.sp.dict_get_str(td, k) else {
            continue;
        };
        let names: Vec<Value> = match sl.layout() {
            l::STR => vec![sl],
            l::TUPLE => vm.sp.tuple_items(sl).to_vec(),
            l::LIST => vm.sp.list_items(sl).to_vec(),
            _ => Vec::new(),
        };
        let cls_name = vm.sp.type_name(c).trim_start_matches('_').to_owned();
        for n in names {
            if n.layout() != l::STR {
                continue;
            }
            let n = vm.sp.str_of(n).to_owned();
            if n == "__dict__" || n == "__weakref__" {
                continue;
            }
            if n.starts_with("__") && !n.ends_with("__") && !cls_name.is_empty() {
                slot_names.push(format!("_{cls_name}{n}"));
            } else {
                slot_names.push(n);
            }
        }
    }
    let o = a.get(0);
    let attrs = if o.layout() == l::INSTANCE {
        vm.sp.inst_attrs(o)
    } else {
        Vec::new()
    };
    let (dict, slots) = (vm.sp.new_dict(), vm.sp.new_dict());
    let (mut nd, mut ns) = (0, 0);
    for (sym, v) in attrs {
        let k = vm.sp.symbols[sym as usize];
        if slot_names.iter().any(|n| n == vm.sp.str_of(k)) {
            vm.sp.dict_set_str(slots, k, v);
            ns += 1;
        } else {
            vm.sp.dict_set_str(dict, k, v);
            nd += 1;
        }
    }
    let state = if nd == 0 { vm.sp.none } else { dict };
    Ok(if ns == 0 {
        state
    } else {
        vm.sp.new_tuple(&[state, slots])
    })
}

fn object_init_subclass(vm: &mut Vm, _a: &Args) -> PyResult {
    Ok(vm.sp.none)
}

fn type_mro(vm: &mut Vm, a: &Args) -> PyResult {
    let t = a.get(0);
    let mro = vm.sp.type_mro(t);
    let items = vm.sp.tuple_items(mro).to_vec();
    Ok(vm.sp.new_list(&items))
}

fn type_subclasses(vm: &mut Vm, _a: &Args) -> PyResult {
    Ok(vm.sp.new_list(&[]))
}

fn property_copy(vm: &mut Vm, a: &Args, which: usize) -> PyResult {
    check_args(vm, a, "property", 2, 2)?;
    let (p, f) = (a.get(0), a.get(1));
    // SAFETY: WRAPPER layout.
    let mut refs = unsafe {
        [
            p.get_ref(l::WRAP_A),
            p.get_ref(l::WRAP_B),
            p.get_ref(l::WRAP_C),
            p.get_ref(l::WRAP_D),
        ]
    };
    refs[which] = Some(f);
    let ty = p.ty();
    Ok(vm.sp.new_wrapper(ty, refs))
}

fn property_getter(vm: &mut Vm, a: &Args) -> PyResult {
    property_copy(vm, a, 0)
}

fn property_setter(vm: &mut Vm, a: &Args) -> PyResult {
    property_copy(vm, a, 1)
}

fn property_deleter(vm: &mut Vm, a: &Args) -> PyResult {
    property_copy(vm, a, 2)
}

fn exc_with_traceback(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "with_traceback", 2, 2)?;
    let (e, tb) = (a.get(0), a.get(1));
    let k = vm.n.traceback;
    vm.set_exc_attr(e, k, tb);
    Ok(e)
}

fn exc_str_method(vm: &mut Vm, a: &Args) -> PyResult {
    let s = vm.exc_str(a.get(0))?;
    Ok(vm.sp.new_str(&s))
}

fn exc_repr_method(vm: &mut Vm, a: &Args) -> PyResult {
    let v = a.get(0);
    let name = vm.sp.type_name(v.ty()).to_owned();
    let args = vm.exc_args(v);
    let n = vm.sp.tuple_len(args);
    let inner = if n == 1 {
        let x = vm.sp.tuple_items(args)[0];
        vm.repr_string(x)?
    } else if n == 0 {
        String::new()
    } else {
        let s = vm.repr_string(args)?;
        s[1..s.len() - 1].to_owned()
    };
    let s = format!("{name}({inner})");
    Ok(vm.sp.new_str(&s))
}

fn exc_init(vm: &mut Vm, a: &Args) -> PyResult {
    let e = a.get(0);
    let mut items = Vec::new();
    for i in 1..a.len() {
        items.push(a.get(i));
    }
    let t = vm.sp.new_tuple(&items);
    let k = vm.n.args;
    let e2 = e;
    vm.set_exc_attr(e2, k, t);
    Ok(vm.sp.none)
}

/// Attribute lookup through a `super` object: the MRO of the object's type after the
/// class, binding to the object.
pub fn super_getattr(vm: &mut Vm, s: Value, name: Value) -> PyResult<Option<Value>> {
    // SAFETY: WRAPPER layout of super: class, object, object type.
    let (cls, obj, objtype) = unsafe {
        (
            s.get_ref(l::WRAP_A).unwrap_unchecked(),
            s.get_ref(l::WRAP_B).unwrap_unchecked(),
            s.get_ref(l::WRAP_C).unwrap_unchecked(),
        )
    };
    let mro = vm.sp.type_mro(objtype);
    let items = vm.sp.tuple_items(mro).to_vec();
    let start = items
        .iter()
        .position(|t| t.is(cls))
        .map_or(items.len(), |p| p + 1);
    for &t in &items[start..] {
        let d = vm.sp.type_dict(t);
        if let Some(v) = vm.sp.dict_get_str(d, name) {
            if obj.layout() == l::TYPE && obj.is(objtype) {
                // super() in a classmethod: bind classmethods to the class.
                if v.ty().is(vm.sp.t.classmethod) {
                    // SAFETY: WRAPPER layout.
                    let f = unsafe { v.get_ref(l::WRAP_A).unwrap_unchecked() };
                    return Ok(Some(vm.new_method(f, obj)));
                }
                if v.ty().is(vm.sp.t.staticmethod) {
                    // SAFETY: WRAPPER layout.
                    return Ok(Some(unsafe { v.get_ref(l::WRAP_A).unwrap_unchecked() }));
                }
                return Ok(Some(v));
            }
            if v.ty().is(vm.sp.t.property) {
                // SAFETY: WRAPPER layout.
                let g = unsafe { v.get_ref(l::WRAP_A).unwrap_unchecked() };
                return vm.call(g, &[obj]).map(Some);
            }
            return vm.bind(v, obj, objtype).map(Some);
        }
    }
    Ok(None)
}

/// `format(v, spec)` for built-in values with a non-empty spec.
pub fn format_builtin(vm: &mut Vm, v: Value, spec: &str) -> PyResult {
    strs::format_builtin(vm, v, spec)
}

/// `str % args`.
pub fn percent_format(vm: &mut Vm, fmt: Value, args: Value) -> PyResult {
    strs::percent_format(vm, fmt, args)
}
