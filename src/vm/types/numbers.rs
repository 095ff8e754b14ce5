//! Methods of `int`, `bool` and `float` (`bit_length`, `to_bytes`, `is_integer`,
//! `as_integer_ratio`, `conjugate`, ...), their arithmetic and comparison dunders (so
//! that `int.__add__(x, y)` and `super().__add__(y)` work in subclasses), the numeric
//! properties (`real`, `imag`, `numerator`, `denominator`), and the rounding and
//! modular-power helpers shared with the `round`, `pow` and `divmod` built-ins.

use crate::bytecode::{BinOp, CmpOp};
use crate::vm::ops::{float_divmod, num_cmp, Num};
use crate::vm::{Args, NativeFn, PyResult, Vm};
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{FromPrimitive, One, Signed, ToPrimitive, Zero};
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// Installs the number methods.
pub fn install(vm: &mut Vm) {
    let t = vm.sp.t;
    let int_methods: &[(&'static str, NativeFn)] = &[
        ("bit_length", int_bit_length),
        ("bit_count", int_bit_count),
        ("to_bytes", int_to_bytes),
        ("conjugate", int_to_exact),
        ("as_integer_ratio", int_as_integer_ratio),
        ("__index__", int_to_exact),
        ("__int__", int_to_exact),
        ("__trunc__", int_to_exact),
        ("__floor__", int_to_exact),
        ("__ceil__", int_to_exact),
        ("__pos__", int_to_exact),
        ("__float__", int_float),
        ("__abs__", int_abs),
        ("__neg__", int_neg),
        ("__invert__", int_invert),
        ("__bool__", int_bool),
        ("__round__", int_round),
        ("__hash__", int_hash),
        ("__divmod__", int_divmod),
        ("__rdivmod__", int_rdivmod),
        ("__pow__", int_pow),
        ("__rpow__", int_rpow),
        ("__eq__", int_eq),
        ("__ne__", int_ne),
        ("__lt__", int_lt),
        ("__le__", int_le),
        ("__gt__", int_gt),
        ("__ge__", int_ge),
        ("__add__", int_add),
        ("__radd__", int_radd),
        ("__sub__", int_sub),
        ("__rsub__", int_rsub),
        ("__mul__", int_mul),
        ("__rmul__", int_rmul),
        ("__truediv__", int_truediv),
        ("__rtruediv__", int_rtruediv),
        ("__floordiv__", int_floordiv),
        ("__rfloordiv__", int_rfloordiv),
        ("__mod__", int_mod),
        ("__rmod__", int_rmod),
        ("__lshift__", int_lshift),
        ("__rlshift__", int_rlshift),
        ("__rshift__", int_rshift),
        ("__rrshift__", int_rrshift),
        ("__and__", int_and),
        ("__rand__", int_rand),
        ("__or__", int_or),
        ("__ror__", int_ror),
        ("__xor__", int_xor),
        ("__rxor__", int_rxor),
    ];
    for &(name, f) in int_methods {
        vm.add_method(t.int, name, f);
    }
    let bool_methods: &[(&'static str, NativeFn)] = &[
        ("__and__", bool_and),
        ("__rand__", bool_and),
        ("__or__", bool_or),
        ("__ror__", bool_or),
        ("__xor__", bool_xor),
        ("__rxor__", bool_xor),
    ];
    for &(name, f) in bool_methods {
        vm.add_method(t.bool_, name, f);
    }
    let float_methods: &[(&'static str, NativeFn)] = &[
        ("is_integer", float_is_integer),
        ("as_integer_ratio", float_as_integer_ratio),
        ("hex", float_hex),
        ("conjugate", float_to_exact),
        ("__float__", float_to_exact),
        ("__pos__", float_to_exact),
        ("__int__", float_trunc),
        ("__trunc__", float_trunc),
        ("__floor__", float_floor),
        ("__ceil__", float_ceil),
        ("__abs__", float_abs),
        ("__neg__", float_neg),
        ("__bool__", float_bool),
        ("__round__", float_round),
        ("__hash__", float_hash),
        ("__divmod__", float_divmod_m),
        ("__rdivmod__", float_rdivmod),
        ("__pow__", float_pow),
        ("__rpow__", float_rpow),
        ("__eq__", float_eq),
        ("__ne__", float_ne),
        ("__lt__", float_lt),
        ("__le__", float_le),
        ("__gt__", float_gt),
        ("__ge__", float_ge),
        ("__add__", float_add),
        ("__radd__", float_radd),
        ("__sub__", float_sub),
        ("__rsub__", float_rsub),
        ("__mul__", float_mul),
        ("__rmul__", float_rmul),
        ("__truediv__", float_truediv),
        ("__rtruediv__", float_rtruediv),
        ("__floordiv__", float_floordiv),
        ("__rfloordiv__", float_rfloordiv),
        ("__mod__", float_mod),
        ("__rmod__", float_rmod),
    ];
    for &(name, f) in float_methods {
        vm.add_method(t.float, name, f);
    }
    // Called through the type (`int.from_bytes(b, 'big')`): plain functions, never bound.
    add_plain(vm, t.int, "from_bytes", int_from_bytes);
    add_plain(vm, t.float, "fromhex", float_fromhex);
    add_property(vm, t.int, "real", int_to_exact);
    add_property(vm, t.int, "imag", int_zero);
    add_property(vm, t.int, "numerator", int_to_exact);
    add_property(vm, t.int, "denominator", int_one);
    add_property(vm, t.float, "real", float_to_exact);
    add_property(vm, t.float, "imag", float_zero);
}

/// Puts a non-binding native function in a type's namespace.
fn add_plain(vm: &mut Vm, ty: Value, name: &'static str, f: NativeFn) {
    let i = vm.register_native(name, f, false);
    let b = vm.new_builtin(i, None);
    let d = vm.sp.type_dict(ty);
    vm.sp.dict_set_name(d, name, b);
}

/// Puts a read-only property whose getter is a native function in a type's namespace.
fn add_property(vm: &mut Vm, ty: Value, name: &'static str, f: NativeFn) {
    let i = vm.register_native(name, f, false);
    let g = vm.new_builtin(i, None);
    let none = vm.sp.none;
    let pt = vm.sp.t.property;
    let p = vm
        .sp
        .new_wrapper(pt, [Some(g), Some(none), Some(none), Some(none)]);
    let d = vm.sp.type_dict(ty);
    vm.sp.dict_set_name(d, name, p);
}

// ---------------------------------------------------------------- shared helpers

/// A `Num` as a BigInt (ints only).
pub fn num_to_big(n: &Num) -> BigInt {
    match n {
        Num::Small(i) => BigInt::from(*i),
        Num::Int(b) => b.clone(),
        Num::Float(_) => unreachable!("int expected"),
    }
}

/// A new exact int from a `Num` holding an int.
fn new_int_num(vm: &mut Vm, n: &Num) -> Value {
    match n {
        Num::Small(i) => vm.sp.new_int(*i),
        Num::Int(b) => vm.int_from(b.clone()),
        Num::Float(_) => unreachable!("int expected"),
    }
}

/// The numeric value of an int (or int subclass instance, or bool), if it is one.
pub fn int_num(vm: &Vm, v: Value) -> Option<Num> {
    let u = vm.unwrap_builtin(v);
    match u.layout() {
        l::INT | l::BIGINT => vm.as_num(u),
        _ => None,
    }
}

/// The value of a float (or float subclass instance), if it is one.
pub fn float_num(vm: &Vm, v: Value) -> Option<f64> {
    let u = vm.unwrap_builtin(v);
    (u.layout() == l::FLOAT).then(|| vm.sp.float_value(u))
}

/// `self` of an int method, checked.
fn int_self(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Num> {
    descriptor_self(vm, a, name, "int")?;
    match int_num(vm, a.get(0)) {
        Some(n) => Ok(n),
        None => Err(descriptor_error(vm, a, name, "int")),
    }
}

/// `self` of a float method, checked.
fn float_self(vm: &mut Vm, a: &Args, name: &str) -> PyResult<f64> {
    descriptor_self(vm, a, name, "float")?;
    match float_num(vm, a.get(0)) {
        Some(f) => Ok(f),
        None => Err(descriptor_error(vm, a, name, "float")),
    }
}

fn descriptor_self(vm: &mut Vm, a: &Args, name: &str, ty: &str) -> PyResult<()> {
    if a.is_empty() {
        return Err(vm.type_error(format!(
            "descriptor '{name}' of '{ty}' object needs an argument"
        )));
    }
    Ok(())
}

fn descriptor_error(vm: &mut Vm, a: &Args, name: &str, ty: &str) -> crate::vm::Raised {
    let got = vm.type_name(a.get(0));
    vm.type_error(format!(
        "descriptor '{name}' requires a '{ty}' object but received a '{got}'"
    ))
}

/// Checks the number of arguments after `self` (`expected 1 argument, got 0`).
fn method_args(vm: &mut Vm, a: &Args, name: &str, min: usize, max: usize) -> PyResult<()> {
    if a.nkw() > 0 {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    let n = a.len() - 1;
    if n < min || n > max {
        let msg = if min == max {
            format!(
                "expected {min} argument{}, got {n}",
                if min == 1 { "" } else { "s" }
            )
        } else if n < min {
            format!(
                "expected at least {min} argument{}, got {n}",
                if min == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "expected at most {max} argument{}, got {n}",
                if max == 1 { "" } else { "s" }
            )
        };
        return Err(vm.type_error(msg));
    }
    Ok(())
}

/// An int object from a finite float's integer part (OverflowError/ValueError for
/// infinities and NaN, as `int(f)`).
pub fn float_to_int(vm: &mut Vm, f: f64) -> PyResult {
    if f.is_nan() {
        return Err(vm.value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(vm.overflow_error("cannot convert float infinity to integer"));
    }
    let t = f.trunc();
    if t.abs() < 9.0e18 {
        return Ok(vm.sp.new_int(t as i64));
    }
    let b = BigInt::from_f64(t).unwrap_or_default();
    Ok(vm.int_from(b))
}

/// `round(x)` of a float: the nearest int, ties to even.
pub fn round_float_to_int(vm: &mut Vm, f: f64) -> PyResult {
    if f.is_nan() {
        return Err(vm.value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(vm.overflow_error("cannot convert float infinity to integer"));
    }
    float_to_int(vm, f.round_ties_even())
}

/// `round(x, ndigits)` of a float: the exact binary value rounded half-to-even to
/// `ndigits` decimal places, then converted back to the nearest float.
pub fn round_float_digits(vm: &mut Vm, f: f64, nd: &BigInt) -> PyResult {
    // Beyond these the result is `f` itself (or a signed zero), as in CPython.
    const NDIGITS_MAX: i64 = 323;
    const NDIGITS_MIN: i64 = -308;
    let nd = match nd.to_i64() {
        Some(n) => n,
        None if nd.is_positive() => i64::MAX,
        None => i64::MIN,
    };
    if nd > NDIGITS_MAX || !f.is_finite() || f == 0.0 {
        return Ok(vm.sp.new_float(f));
    }
    if nd < NDIGITS_MIN {
        return Ok(vm.sp.new_float(0.0 * f));
    }
    let (mant, exp) = decompose(f.abs());
    let mut num = BigInt::from(mant);
    let mut den = BigInt::one();
    if exp >= 0 {
        num <<= exp as usize;
    } else {
        den <<= (-exp) as usize;
    }
    let p10 = num_traits::pow(BigInt::from(10), nd.unsigned_abs() as usize);
    if nd >= 0 {
        num *= p10;
    } else {
        den *= p10;
    }
    let (mut q, r) = num.div_rem(&den);
    let twice: BigInt = r << 1;
    if twice > den || (twice == den && q.is_odd()) {
        q += 1;
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let text = format!("{sign}{q}e{}", -nd);
    let r: f64 = text.parse().unwrap_or(f64::INFINITY);
    if r.is_infinite() {
        return Err(vm.overflow_error("rounded value too large to represent"));
    }
    Ok(vm.sp.new_float(r))
}

/// `round(n, ndigits)` of an int (`None`: no ndigits): an exact int, rounded half to
/// even at a negative number of digits.
pub fn round_int(vm: &mut Vm, n: &Num, nd: Option<&BigInt>) -> PyResult {
    let nd = match nd {
        Some(nd) if nd.is_negative() => nd,
        _ => return Ok(new_int_num(vm, n)),
    };
    let v = num_to_big(n);
    let digits = v.magnitude().to_string().len() as u64;
    let k = match (-nd).to_u64() {
        Some(k) if k <= digits + 1 => k as usize,
        _ => return Ok(vm.sp.new_int(0)),
    };
    let p = num_traits::pow(BigInt::from(10), k);
    let (mut q, r) = v.div_mod_floor(&p);
    let twice: BigInt = r << 1;
    if twice > p || (twice == p && q.is_odd()) {
        q += 1;
    }
    Ok(vm.int_from(q * p))
}

/// `pow(b, e, m)` on ints, negative exponents through the modular inverse.
pub fn int_pow_mod(vm: &mut Vm, b: &BigInt, e: &BigInt, m: &BigInt) -> PyResult {
    if m.is_zero() {
        return Err(vm.value_error("pow() 3rd argument cannot be 0"));
    }
    let am = m.abs();
    if am.is_one() {
        return Ok(vm.sp.new_int(0));
    }
    let mut base = b.mod_floor(&am);
    let mut e = e.clone();
    if e.is_negative() {
        base = match base.modinv(&am) {
            Some(inv) => inv,
            None => return Err(vm.value_error("base is not invertible for the given modulus")),
        };
        e = -e;
    }
    let mut r = base.modpow(&e, &am);
    if m.is_negative() && !r.is_zero() {
        r += m;
    }
    Ok(vm.int_from(r))
}

/// `divmod(x, y)` of two numbers.
pub fn divmod_nums(vm: &mut Vm, x: Num, y: Num) -> PyResult {
    if matches!(x, Num::Float(_)) || matches!(y, Num::Float(_)) {
        let a = vm.num_to_f64(&x)?.unwrap_or(0.0);
        let b = vm.num_to_f64(&y)?.unwrap_or(0.0);
        if b == 0.0 {
            return Err(vm.zero_division("float divmod()"));
        }
        let (q, r) = float_divmod(a, b);
        let q = vm.sp.new_float(q);
        let r = vm.sp.new_float(r);
        return Ok(vm.sp.new_tuple(&[q, r]));
    }
    if let (Num::Small(a), Num::Small(b)) = (&x, &y) {
        if *b == 0 {
            return Err(vm.zero_division("integer division or modulo by zero"));
        }
        if !(*a == i64::MIN && *b == -1) {
            let (q, r) = a.div_mod_floor(b);
            let q = vm.sp.new_int(q);
            let r = vm.sp.new_int(r);
            return Ok(vm.sp.new_tuple(&[q, r]));
        }
    }
    let (a, b) = (num_to_big(&x), num_to_big(&y));
    if b.is_zero() {
        return Err(vm.zero_division("integer division or modulo by zero"));
    }
    let (q, r) = a.div_mod_floor(&b);
    let q = vm.int_from(q);
    let r = vm.int_from(r);
    Ok(vm.sp.new_tuple(&[q, r]))
}

/// The mantissa and exponent of a finite non-negative float: `f == m * 2**e`.
fn decompose(f: f64) -> (u64, i32) {
    let bits = f.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    if e == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), e - 1075)
    }
}

// ---------------------------------------------------------------- int methods

fn int_to_exact(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "__int__")?;
    method_args(vm, a, "int", 0, 0)?;
    Ok(new_int_num(vm, &n))
}

fn int_zero(vm: &mut Vm, a: &Args) -> PyResult {
    int_self(vm, a, "imag")?;
    Ok(vm.sp.new_int(0))
}

fn int_one(vm: &mut Vm, a: &Args) -> PyResult {
    int_self(vm, a, "denominator")?;
    Ok(vm.sp.new_int(1))
}

fn int_bit_length(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "bit_length")?;
    method_args(vm, a, "bit_length", 0, 0)?;
    let bits = match n {
        Num::Small(i) => 64 - i.unsigned_abs().leading_zeros() as u64,
        _ => num_to_big(&n).bits(),
    };
    Ok(vm.sp.new_int(bits as i64))
}

fn int_bit_count(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "bit_count")?;
    method_args(vm, a, "bit_count", 0, 0)?;
    let c = match n {
        Num::Small(i) => i.unsigned_abs().count_ones() as u64,
        _ => num_to_big(&n)
            .magnitude()
            .to_u64_digits()
            .iter()
            .map(|d| d.count_ones() as u64)
            .sum(),
    };
    Ok(vm.sp.new_int(c as i64))
}

/// Reads `byteorder`: true for big-endian.
fn byteorder_arg(vm: &mut Vm, v: Option<Value>) -> PyResult<bool> {
    let Some(v) = v else {
        return Ok(true);
    };
    let u = vm.unwrap_builtin(v);
    if u.layout() != l::STR {
        return Err(vm.type_error(format!(
            "to_bytes() argument 'byteorder' must be str, not {}",
            vm.type_name(v)
        )));
    }
    match vm.sp.str_of(u) {
        "big" => Ok(true),
        "little" => Ok(false),
        _ => Err(vm.value_error("byteorder must be either 'little' or 'big'")),
    }
}

/// Keyword-or-positional argument lookup for the methods taking named arguments.
fn arg(vm: &Vm, a: &Args, pos: usize, name: &str) -> Option<Value> {
    a.opt(pos).or_else(|| a.kw(&vm.sp, name))
}

fn check_kwargs(vm: &mut Vm, a: &Args, fname: &str, allowed: &[&str]) -> PyResult<()> {
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

fn int_to_bytes(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "to_bytes")?;
    check_kwargs(vm, a, "to_bytes", &["length", "byteorder", "signed"])?;
    if a.len() > 3 {
        return Err(vm.type_error(format!(
            "to_bytes() takes at most 2 positional arguments ({} given)",
            a.len() - 1
        )));
    }
    let length = match arg(vm, a, 1, "length") {
        Some(v) => vm.index_value(v)?,
        None => 1,
    };
    if length < 0 {
        return Err(vm.value_error("length argument must be non-negative"));
    }
    let big = byteorder_arg(vm, arg(vm, a, 2, "byteorder"))?;
    let signed = match a.kw(&vm.sp, "signed") {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let v = num_to_big(&n);
    if v.is_negative() && !signed {
        return Err(vm.overflow_error("can't convert negative int to unsigned"));
    }
    // Big-endian minimal encoding.
    let mut bytes = if v.is_zero() {
        Vec::new()
    } else if signed {
        v.to_signed_bytes_be()
    } else {
        v.to_bytes_be().1
    };
    let length = length as usize;
    if bytes.len() > length {
        return Err(vm.overflow_error("int too big to convert"));
    }
    let fill = if v.is_negative() { 0xff } else { 0 };
    let mut out = vec![fill; length - bytes.len()];
    out.append(&mut bytes);
    if !big {
        out.reverse();
    }
    Ok(vm.sp.new_bytes(&out))
}

fn int_from_bytes(vm: &mut Vm, a: &Args) -> PyResult {
    check_kwargs(vm, a, "from_bytes", &["bytes", "byteorder", "signed"])?;
    if a.len() > 2 {
        return Err(vm.type_error(format!(
            "from_bytes() takes at most 2 positional arguments ({} given)",
            a.len()
        )));
    }
    let Some(src) = arg(vm, a, 0, "bytes") else {
        return Err(vm.type_error("from_bytes() missing required argument 'bytes' (pos 1)"));
    };
    let big = byteorder_arg(vm, arg(vm, a, 1, "byteorder"))?;
    let signed = match a.kw(&vm.sp, "signed") {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let src = arg(vm, a, 0, "bytes").unwrap_or(src);
    let mut bytes = match vm.bytes_like(src) {
        Some(b) => b,
        None => {
            if vm.unwrap_builtin(src).layout() == l::STR {
                return Err(vm.type_error("cannot convert 'str' object to bytes"));
            }
            // Any iterable of ints in range(256).
            let lst = vm.list_from_iter(src)?;
            let r = vm.push_root(lst);
            let mut out = Vec::new();
            let mut i = 0;
            loop {
                let lst = vm.root(r);
                let Some(&item) = vm.sp.list_items(lst).get(i) else {
                    break;
                };
                let b = vm.index_value(item)?;
                if !(0..256).contains(&b) {
                    return Err(vm.value_error("bytes must be in range(0, 256)"));
                }
                out.push(b as u8);
                i += 1;
            }
            out
        }
    };
    if !big {
        bytes.reverse();
    }
    let v = if signed {
        BigInt::from_signed_bytes_be(&bytes)
    } else {
        BigInt::from_bytes_be(Sign::Plus, &bytes)
    };
    Ok(vm.int_from(v))
}

fn int_as_integer_ratio(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "as_integer_ratio")?;
    method_args(vm, a, "as_integer_ratio", 0, 0)?;
    let x = new_int_num(vm, &n);
    let one = vm.sp.new_int(1);
    Ok(vm.sp.new_tuple(&[x, one]))
}

fn int_float(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "__float__")?;
    method_args(vm, a, "__float__", 0, 0)?;
    let f = vm.num_to_f64(&n)?.unwrap_or(0.0);
    Ok(vm.sp.new_float(f))
}

fn int_abs(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "__abs__")?;
    method_args(vm, a, "__abs__", 0, 0)?;
    Ok(match n {
        Num::Small(i) => match i.checked_abs() {
            Some(v) => vm.sp.new_int(v),
            None => vm.int_from(BigInt::from(i).abs()),
        },
        _ => vm.int_from(num_to_big(&n).abs()),
    })
}

fn int_neg(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "__neg__")?;
    method_args(vm, a, "__neg__", 0, 0)?;
    Ok(match n {
        Num::Small(i) => match i.checked_neg() {
            Some(v) => vm.sp.new_int(v),
            None => vm.int_from(-BigInt::from(i)),
        },
        _ => vm.int_from(-num_to_big(&n)),
    })
}

fn int_invert(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "__invert__")?;
    method_args(vm, a, "__invert__", 0, 0)?;
    Ok(match n {
        Num::Small(i) => vm.sp.new_int(!i),
        _ => vm.int_from(-num_to_big(&n) - 1),
    })
}

fn int_bool(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "__bool__")?;
    method_args(vm, a, "__bool__", 0, 0)?;
    let b = match n {
        Num::Small(i) => i != 0,
        _ => !num_to_big(&n).is_zero(),
    };
    Ok(vm.sp.new_bool(b))
}

fn int_round(vm: &mut Vm, a: &Args) -> PyResult {
    let n = int_self(vm, a, "__round__")?;
    method_args(vm, a, "__round__", 0, 1)?;
    let nd = match a.opt(1) {
        Some(v) if !v.is(vm.sp.none) => Some(vm.to_index_int(v)?),
        _ => None,
    };
    round_int(vm, &n, nd.as_ref())
}

fn int_hash(vm: &mut Vm, a: &Args) -> PyResult {
    int_self(vm, a, "__hash__")?;
    let u = vm.unwrap_builtin(a.get(0));
    let h = vm.sp.int_hash(u);
    Ok(vm.sp.new_int(h))
}

/// `int.__op__(self, other)` (reflected: `other OP self`).
fn int_arith(vm: &mut Vm, a: &Args, op: BinOp, name: &str, reflected: bool) -> PyResult {
    let x = int_self(vm, a, name)?;
    method_args(vm, a, name, 1, 1)?;
    let Some(y) = int_num(vm, a.get(1)) else {
        return Ok(vm.sp.not_implemented);
    };
    if reflected {
        vm.num_binop(op, y, x)
    } else {
        vm.num_binop(op, x, y)
    }
}

macro_rules! int_binops {
    ($($f:ident, $r:ident, $op:expr, $fname:literal, $rname:literal;)*) => {
        $(
            fn $f(vm: &mut Vm, a: &Args) -> PyResult {
                int_arith(vm, a, $op, $fname, false)
            }
            fn $r(vm: &mut Vm, a: &Args) -> PyResult {
                int_arith(vm, a, $op, $rname, true)
            }
        )*
    };
}

int_binops! {
    int_add, int_radd, BinOp::Add, "__add__", "__radd__";
    int_sub, int_rsub, BinOp::Sub, "__sub__", "__rsub__";
    int_mul, int_rmul, BinOp::Mul, "__mul__", "__rmul__";
    int_truediv, int_rtruediv, BinOp::TrueDiv, "__truediv__", "__rtruediv__";
    int_floordiv, int_rfloordiv, BinOp::FloorDiv, "__floordiv__", "__rfloordiv__";
    int_mod, int_rmod, BinOp::Mod, "__mod__", "__rmod__";
    int_lshift, int_rlshift, BinOp::LShift, "__lshift__", "__rlshift__";
    int_rshift, int_rrshift, BinOp::RShift, "__rshift__", "__rrshift__";
    int_and, int_rand, BinOp::And, "__and__", "__rand__";
    int_or, int_ror, BinOp::Or, "__or__", "__ror__";
    int_xor, int_rxor, BinOp::Xor, "__xor__", "__rxor__";
}

fn int_divmod_impl(vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult {
    let x = int_self(vm, a, name)?;
    method_args(vm, a, name, 1, 1)?;
    let Some(y) = int_num(vm, a.get(1)) else {
        return Ok(vm.sp.not_implemented);
    };
    if reflected {
        divmod_nums(vm, y, x)
    } else {
        divmod_nums(vm, x, y)
    }
}

fn int_divmod(vm: &mut Vm, a: &Args) -> PyResult {
    int_divmod_impl(vm, a, "__divmod__", false)
}

fn int_rdivmod(vm: &mut Vm, a: &Args) -> PyResult {
    int_divmod_impl(vm, a, "__rdivmod__", true)
}

fn int_pow_impl(vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult {
    let x = int_self(vm, a, name)?;
    method_args(vm, a, name, 1, 2)?;
    let Some(y) = int_num(vm, a.get(1)) else {
        return Ok(vm.sp.not_implemented);
    };
    let (b, e) = if reflected { (y, x) } else { (x, y) };
    match a.opt(2) {
        Some(m) if !m.is(vm.sp.none) => {
            let Some(m) = int_num(vm, m) else {
                return Ok(vm.sp.not_implemented);
            };
            int_pow_mod(vm, &num_to_big(&b), &num_to_big(&e), &num_to_big(&m))
        }
        _ => vm.num_binop(BinOp::Pow, b, e),
    }
}

fn int_pow(vm: &mut Vm, a: &Args) -> PyResult {
    int_pow_impl(vm, a, "__pow__", false)
}

fn int_rpow(vm: &mut Vm, a: &Args) -> PyResult {
    int_pow_impl(vm, a, "__rpow__", true)
}

fn cmp_result(op: CmpOp, o: Option<std::cmp::Ordering>) -> bool {
    match o {
        None => op == CmpOp::Ne,
        Some(o) => match op {
            CmpOp::Lt => o.is_lt(),
            CmpOp::Le => o.is_le(),
            CmpOp::Eq => o.is_eq(),
            CmpOp::Ne => o.is_ne(),
            CmpOp::Gt => o.is_gt(),
            CmpOp::Ge => o.is_ge(),
        },
    }
}

fn int_cmp(vm: &mut Vm, a: &Args, op: CmpOp, name: &str) -> PyResult {
    let x = int_self(vm, a, name)?;
    method_args(vm, a, name, 1, 1)?;
    let Some(y) = int_num(vm, a.get(1)) else {
        return Ok(vm.sp.not_implemented);
    };
    Ok(vm.sp.new_bool(cmp_result(op, num_cmp(&x, &y))))
}

macro_rules! cmp_methods {
    ($helper:ident: $($f:ident, $op:expr, $name:literal;)*) => {
        $(
            fn $f(vm: &mut Vm, a: &Args) -> PyResult {
                $helper(vm, a, $op, $name)
            }
        )*
    };
}

cmp_methods! {
    int_cmp:
    int_eq, CmpOp::Eq, "__eq__";
    int_ne, CmpOp::Ne, "__ne__";
    int_lt, CmpOp::Lt, "__lt__";
    int_le, CmpOp::Le, "__le__";
    int_gt, CmpOp::Gt, "__gt__";
    int_ge, CmpOp::Ge, "__ge__";
}

// ---------------------------------------------------------------- bool methods

/// `bool & bool` (and `|`, `^`) stay bools; anything else is the int operation.
fn bool_logic(vm: &mut Vm, a: &Args, op: BinOp, name: &str) -> PyResult {
    let x = int_self(vm, a, name)?;
    method_args(vm, a, name, 1, 1)?;
    let (s, o) = (a.get(0), a.get(1));
    let bt = vm.sp.t.bool_;
    if s.ty().is(bt) && o.ty().is(bt) {
        let (p, q) = (s.is(vm.sp.true_), o.is(vm.sp.true_));
        let r = match op {
            BinOp::And => p & q,
            BinOp::Or => p | q,
            _ => p ^ q,
        };
        return Ok(vm.sp.new_bool(r));
    }
    let Some(y) = int_num(vm, o) else {
        return Ok(vm.sp.not_implemented);
    };
    vm.num_binop(op, x, y)
}

fn bool_and(vm: &mut Vm, a: &Args) -> PyResult {
    bool_logic(vm, a, BinOp::And, "__and__")
}

fn bool_or(vm: &mut Vm, a: &Args) -> PyResult {
    bool_logic(vm, a, BinOp::Or, "__or__")
}

fn bool_xor(vm: &mut Vm, a: &Args) -> PyResult {
    bool_logic(vm, a, BinOp::Xor, "__xor__")
}

// ---------------------------------------------------------------- float methods

fn float_to_exact(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "__float__")?;
    method_args(vm, a, "float", 0, 0)?;
    let v = a.get(0);
    if v.layout() == l::FLOAT && v.ty().is(vm.sp.t.float) {
        return Ok(v);
    }
    Ok(vm.sp.new_float(f))
}

fn float_zero(vm: &mut Vm, a: &Args) -> PyResult {
    float_self(vm, a, "imag")?;
    Ok(vm.sp.new_float(0.0))
}

fn float_is_integer(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "is_integer")?;
    method_args(vm, a, "is_integer", 0, 0)?;
    Ok(vm.sp.new_bool(f.is_finite() && f.fract() == 0.0))
}

fn float_as_integer_ratio(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "as_integer_ratio")?;
    method_args(vm, a, "as_integer_ratio", 0, 0)?;
    if f.is_nan() {
        return Err(vm.value_error("cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(vm.overflow_error("cannot convert Infinity to integer ratio"));
    }
    let (mut m, mut e) = decompose(f.abs());
    if m == 0 {
        let z = vm.sp.new_int(0);
        let one = vm.sp.new_int(1);
        return Ok(vm.sp.new_tuple(&[z, one]));
    }
    let tz = m.trailing_zeros();
    m >>= tz;
    e += tz as i32;
    let mut num = BigInt::from(m);
    let mut den = BigInt::one();
    if e >= 0 {
        num <<= e as usize;
    } else {
        den <<= (-e) as usize;
    }
    if f < 0.0 {
        num = -num;
    }
    let n = vm.int_from(num);
    let d = vm.int_from(den);
    Ok(vm.sp.new_tuple(&[n, d]))
}

/// `float.hex()`: `[-]0x1.<13 hex digits>p<exp>`.
pub fn float_hex_string(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = f.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    if e == 0 {
        format!("{sign}0x0.{frac:013x}p-1022")
    } else {
        format!("{sign}0x1.{frac:013x}p{:+}", e - 1023)
    }
}

fn float_hex(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "hex")?;
    method_args(vm, a, "hex", 0, 0)?;
    let s = float_hex_string(f);
    Ok(vm.sp.new_str(&s))
}

/// `x * 2**k` without intermediate overflow or underflow (for exactly representable
/// results).
fn ldexp(mut x: f64, mut k: i64) -> f64 {
    let p2 = |e: i64| f64::from_bits(((e + 1023) as u64) << 52);
    while k > 1023 {
        x *= p2(1023);
        k -= 1023;
        if x.is_infinite() {
            return x;
        }
    }
    while k < -1022 {
        x *= p2(-1022);
        k += 1022;
        if x == 0.0 {
            return x;
        }
    }
    x * p2(k)
}

/// Parses `float.fromhex` input. `Err(true)`: overflow; `Err(false)`: invalid.
pub fn parse_hex_float(s: &str) -> Result<f64, bool> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = body.to_ascii_lowercase();
    let special = match lower.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        return Ok(if neg { -v } else { v });
    }
    let body = lower
        .strip_prefix("0x")
        .map(str::to_owned)
        .unwrap_or(lower.clone());
    let (mantissa, exp_part) = match body.split_once('p') {
        Some((m, e)) => (m, Some(e)),
        None => (body.as_str(), None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let hex_ok = |p: &str| p.chars().all(|c| c.is_ascii_hexdigit());
    if int_part.len() + frac_part.len() == 0 || !hex_ok(int_part) || !hex_ok(frac_part) {
        return Err(false);
    }
    let mut exp: i64 = 0;
    if let Some(e) = exp_part {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(false);
        }
        // Saturate absurd exponents (the result is then 0 or an overflow anyway).
        let mag: i64 = digits.parse().unwrap_or(i64::MAX / 4).min(i64::MAX / 4);
        exp = if e.starts_with('-') { -mag } else { mag };
    }
    let all: String = format!("{int_part}{frac_part}");
    let m = BigInt::parse_bytes(all.as_bytes(), 16).unwrap_or_default();
    exp -= 4 * frac_part.len() as i64;
    let r = if m.is_zero() {
        0.0
    } else {
        let bits = m.bits() as i64;
        let top = bits - 1 + exp;
        if top > 1023 {
            return Err(true);
        }
        let prec = if top >= -1022 { 53 } else { top + 1075 };
        let shift = bits - prec;
        let (q, k) = if shift > 0 {
            let sh = shift as usize;
            let q: BigInt = &m >> sh;
            let rem: BigInt = &m - (&q << sh);
            let twice: BigInt = rem << 1;
            let half_unit = BigInt::one() << sh;
            let q = if twice > half_unit || (twice == half_unit && q.is_odd()) {
                q + 1
            } else {
                q
            };
            (q, exp + shift)
        } else {
            (m, exp)
        };
        let v = ldexp(q.to_f64().unwrap_or(f64::INFINITY), k);
        if v.is_infinite() {
            return Err(true);
        }
        v
    };
    Ok(if neg { -r } else { r })
}

fn float_fromhex(vm: &mut Vm, a: &Args) -> PyResult {
    // A plain function in the type's namespace: never bound, the string is the only
    // argument (`float.fromhex(s)`, `x.fromhex(s)`).
    crate::vm::types::check_args(vm, a, "fromhex", 1, 1)?;
    let s = a.get(0);
    if s.layout() != l::STR {
        return Err(vm.type_error("bad argument type for built-in operation"));
    }
    let text = vm.str_owned(s);
    match parse_hex_float(&text) {
        Ok(f) => Ok(vm.sp.new_float(f)),
        Err(true) => Err(vm.overflow_error("hexadecimal value too large to represent as a float")),
        Err(false) => Err(vm.value_error("invalid hexadecimal floating-point string")),
    }
}

fn float_trunc(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "__trunc__")?;
    method_args(vm, a, "__trunc__", 0, 0)?;
    float_to_int(vm, f)
}

fn float_floor(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "__floor__")?;
    method_args(vm, a, "__floor__", 0, 0)?;
    float_to_int(vm, f.floor())
}

fn float_ceil(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "__ceil__")?;
    method_args(vm, a, "__ceil__", 0, 0)?;
    float_to_int(vm, f.ceil())
}

fn float_abs(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "__abs__")?;
    method_args(vm, a, "__abs__", 0, 0)?;
    Ok(vm.sp.new_float(f.abs()))
}

fn float_neg(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "__neg__")?;
    method_args(vm, a, "__neg__", 0, 0)?;
    Ok(vm.sp.new_float(-f))
}

fn float_bool(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "__bool__")?;
    method_args(vm, a, "__bool__", 0, 0)?;
    Ok(vm.sp.new_bool(f != 0.0))
}

fn float_round(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "__round__")?;
    method_args(vm, a, "__round__", 0, 1)?;
    match a.opt(1) {
        Some(v) if !v.is(vm.sp.none) => {
            let nd = vm.to_index_int(v)?;
            round_float_digits(vm, f, &nd)
        }
        _ => round_float_to_int(vm, f),
    }
}

fn float_hash(vm: &mut Vm, a: &Args) -> PyResult {
    let f = float_self(vm, a, "__hash__")?;
    let h = thicket_object_model::ints::hash_f64(f);
    Ok(vm.sp.new_int(h))
}

/// The other operand of a float operation: ints and floats.
fn float_other(vm: &Vm, v: Value) -> Option<Num> {
    let u = vm.unwrap_builtin(v);
    match u.layout() {
        l::INT | l::BIGINT | l::FLOAT => vm.as_num(u),
        _ => None,
    }
}

fn float_arith(vm: &mut Vm, a: &Args, op: BinOp, name: &str, reflected: bool) -> PyResult {
    let x = Num::Float(float_self(vm, a, name)?);
    method_args(vm, a, name, 1, 1)?;
    let Some(y) = float_other(vm, a.get(1)) else {
        return Ok(vm.sp.not_implemented);
    };
    if reflected {
        vm.num_binop(op, y, x)
    } else {
        vm.num_binop(op, x, y)
    }
}

macro_rules! float_binops {
    ($($f:ident, $r:ident, $op:expr, $fname:literal, $rname:literal;)*) => {
        $(
            fn $f(vm: &mut Vm, a: &Args) -> PyResult {
                float_arith(vm, a, $op, $fname, false)
            }
            fn $r(vm: &mut Vm, a: &Args) -> PyResult {
                float_arith(vm, a, $op, $rname, true)
            }
        )*
    };
}

float_binops! {
    float_add, float_radd, BinOp::Add, "__add__", "__radd__";
    float_sub, float_rsub, BinOp::Sub, "__sub__", "__rsub__";
    float_mul, float_rmul, BinOp::Mul, "__mul__", "__rmul__";
    float_truediv, float_rtruediv, BinOp::TrueDiv, "__truediv__", "__rtruediv__";
    float_floordiv, float_rfloordiv, BinOp::FloorDiv, "__floordiv__", "__rfloordiv__";
    float_mod, float_rmod, BinOp::Mod, "__mod__", "__rmod__";
}

fn float_divmod_impl(vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult {
    let x = Num::Float(float_self(vm, a, name)?);
    method_args(vm, a, name, 1, 1)?;
    let Some(y) = float_other(vm, a.get(1)) else {
        return Ok(vm.sp.not_implemented);
    };
    if reflected {
        divmod_nums(vm, y, x)
    } else {
        divmod_nums(vm, x, y)
    }
}

fn float_divmod_m(vm: &mut Vm, a: &Args) -> PyResult {
    float_divmod_impl(vm, a, "__divmod__", false)
}

fn float_rdivmod(vm: &mut Vm, a: &Args) -> PyResult {
    float_divmod_impl(vm, a, "__rdivmod__", true)
}

fn float_pow_impl(vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult {
    let x = Num::Float(float_self(vm, a, name)?);
    method_args(vm, a, name, 1, 2)?;
    if a.opt(2).is_some_and(|m| !m.is(vm.sp.none)) {
        return Err(
            vm.type_error("pow() 3rd argument not allowed unless all arguments are integers")
        );
    }
    let Some(y) = float_other(vm, a.get(1)) else {
        return Ok(vm.sp.not_implemented);
    };
    if reflected {
        vm.num_binop(BinOp::Pow, y, x)
    } else {
        vm.num_binop(BinOp::Pow, x, y)
    }
}

fn float_pow(vm: &mut Vm, a: &Args) -> PyResult {
    float_pow_impl(vm, a, "__pow__", false)
}

fn float_rpow(vm: &mut Vm, a: &Args) -> PyResult {
    float_pow_impl(vm, a, "__rpow__", true)
}

fn float_cmp(vm: &mut Vm, a: &Args, op: CmpOp, name: &str) -> PyResult {
    let x = Num::Float(float_self(vm, a, name)?);
    method_args(vm, a, name, 1, 1)?;
    let Some(y) = float_other(vm, a.get(1)) else {
        return Ok(vm.sp.not_implemented);
    };
    Ok(vm.sp.new_bool(cmp_result(op, num_cmp(&x, &y))))
}

cmp_methods! {
    float_cmp:
    float_eq, CmpOp::Eq, "__eq__";
    float_ne, CmpOp::Ne, "__ne__";
    float_lt, CmpOp::Lt, "__lt__";
    float_le, CmpOp::Le, "__le__";
    float_gt, CmpOp::Gt, "__gt__";
    float_ge, CmpOp::Ge, "__ge__";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        for f in [0.1, 1.5, 255.0, 5e-324, 1e308, -2.5e-310, 1.0 / 3.0] {
            assert_eq!(parse_hex_float(&float_hex_string(f)), Ok(f));
        }
        assert_eq!(parse_hex_float("0x1.8p1"), Ok(3.0));
        assert_eq!(parse_hex_float("0x1p-1075"), Ok(0.0));
        assert_eq!(parse_hex_float("0x1.8p-1074"), Ok(1e-323));
        assert_eq!(parse_hex_float("0x1p5000"), Err(true));
        assert_eq!(parse_hex_float("zz"), Err(false));
    }
}
