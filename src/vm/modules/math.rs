//! The `math` module, with CPython 3.11's results and errors.
//!
//! **Same numbers as CPython.** CPython calls the C library's `libm` for the elementary
//! functions. A Rust binary does not always reach those: `compiler_builtins` links its
//! own `cbrt` and `fmod`, and `f64::asinh`/`acosh`/`atanh` are computed in Rust. So the
//! transcendental functions are looked up in `libm.so.6` itself at first use (falling
//! back to Rust's `f64` methods where it cannot be opened). Functions CPython implements
//! itself are implemented here with the same algorithms: `gamma`/`lgamma` (Lanczos
//! approximation), `hypot`/`dist` (scaled, compensated sum of squares), `fsum`
//! (Shewchuk's exact partial sums), and the integer functions on big ints.
//!
//! **Errors** follow CPython's `math_1` rule: a NaN result from a non-NaN argument is
//! `ValueError('math domain error')`; an infinite result from a finite argument is
//! `OverflowError('math range error')` for functions that can overflow (`exp`, `cosh`,
//! ...) and a domain error otherwise (`log(0)`, `atanh(1)`).

use super::{check_kws, is_int, to_f64};
use crate::bytecode::BinOp;
use crate::vm::types::{check_args, no_kw};
use crate::vm::{Args, PyResult, Vm};
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{FromPrimitive, One, Signed, ToPrimitive, Zero};
use std::sync::OnceLock;
use thicket_object_model::layout as l;
use thicket_object_model::Value;

// ---------------------------------------------------------------------- libm

type F1 = unsafe extern "C" fn(f64) -> f64;
type F2 = unsafe extern "C" fn(f64, f64) -> f64;

/// The C library's math functions, as CPython calls them.
struct Libm {
    f1: [Option<F1>; LIBM1.len()],
    atan2: Option<F2>,
    pow: Option<F2>,
}

/// One-argument functions looked up in libm, by index.
const LIBM1: [&str; 23] = [
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt", "erf", "erfc",
];

#[derive(Clone, Copy)]
#[repr(usize)]
enum M {
    Sin = 0,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Exp,
    Exp2,
    Expm1,
    Log,
    Log2,
    Log10,
    Log1p,
    Sqrt,
    Cbrt,
    Erf,
    Erfc,
}

fn libm() -> &'static Libm {
    static L: OnceLock<Libm> = OnceLock::new();
    L.get_or_init(|| {
        let mut lm = Libm {
            f1: [None; LIBM1.len()],
            atan2: None,
            pow: None,
        };
        // SAFETY: dlopen/dlsym with NUL-terminated names; the handle is never closed, so
        // the symbols stay valid; each symbol is a libm function of the transmuted type.
        unsafe {
            let h = libc::dlopen(c"libm.so.6".as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
            if h.is_null() {
                return lm;
            }
            for (i, name) in LIBM1.iter().enumerate() {
                let c = std::ffi::CString::new(*name).expect("name");
                let p = libc::dlsym(h, c.as_ptr());
                if !p.is_null() {
                    lm.f1[i] = Some(std::mem::transmute::<*mut libc::c_void, F1>(p));
                }
            }
            for (name, slot) in [(c"atan2", &mut lm.atan2), (c"pow", &mut lm.pow)] {
                let p = libc::dlsym(h, name.as_ptr());
                if !p.is_null() {
                    *slot = Some(std::mem::transmute::<*mut libc::c_void, F2>(p));
                }
            }
        }
        lm
    })
}

/// Rust's version of libm function `m`, for systems without `libm.so.6`.
fn fallback(m: M, x: f64) -> f64 {
    match m {
        M::Sin => x.sin(),
        M::Cos => x.cos(),
        M::Tan => x.tan(),
        M::Asin => x.asin(),
        M::Acos => x.acos(),
        M::Atan => x.atan(),
        M::Sinh => x.sinh(),
        M::Cosh => x.cosh(),
        M::Tanh => x.tanh(),
        M::Asinh => x.asinh(),
        M::Acosh => x.acosh(),
        M::Atanh => x.atanh(),
        M::Exp => x.exp(),
        M::Exp2 => x.exp2(),
        M::Expm1 => x.exp_m1(),
        M::Log => x.ln(),
        M::Log2 => x.log2(),
        M::Log10 => x.log10(),
        M::Log1p => x.ln_1p(),
        M::Sqrt => x.sqrt(),
        M::Cbrt => x.cbrt(),
        M::Erf | M::Erfc => {
            let e = erf_fallback(x);
            if matches!(m, M::Erf) {
                e
            } else {
                1.0 - e
            }
        }
    }
}

/// A simple erf (Abramowitz–Stegun 7.1.26 refined by a series near 0), used only where
/// libm cannot be opened.
fn erf_fallback(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x.abs() < 1.5 {
        // Maclaurin series.
        let mut sum: f64 = 0.0;
        let mut term = x;
        let mut n = 0.0;
        while term.abs() > 1e-17 * f64::max(sum.abs(), 1e-300) {
            sum += term / (2.0 * n + 1.0);
            n += 1.0;
            term *= -x * x / n;
        }
        return sum * 2.0 / std::f64::consts::PI.sqrt();
    }
    let t = 1.0 / (1.0 + 0.3275911 * x.abs());
    let y = 1.0
        - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
            + 0.254829592)
            * t
            * (-x * x).exp();
    y.copysign(x)
}

/// Calls libm function `m`.
#[inline]
fn m1(m: M, x: f64) -> f64 {
    match libm().f1[m as usize] {
        // SAFETY: a libm function of type double(double).
        Some(f) => unsafe { f(x) },
        None => fallback(m, x),
    }
}

fn c_atan2(y: f64, x: f64) -> f64 {
    match libm().atan2 {
        // SAFETY: libm's atan2.
        Some(f) => unsafe { f(y, x) },
        None => y.atan2(x),
    }
}

fn c_pow(x: f64, y: f64) -> f64 {
    match libm().pow {
        // SAFETY: libm's pow.
        Some(f) => unsafe { f(x, y) },
        None => x.powf(y),
    }
}

// ---------------------------------------------------------------------- errors

/// A math error, raised as CPython raises it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum MathErr {
    /// `ValueError: math domain error`.
    Domain,
    /// `OverflowError: math range error`.
    Range,
}

fn raise(vm: &mut Vm, e: MathErr) -> crate::vm::Raised {
    match e {
        MathErr::Domain => vm.value_error("math domain error"),
        MathErr::Range => vm.overflow_error("math range error"),
    }
}

/// CPython's `math_1` check of a result `r` computed from `x`.
fn check1(x: f64, r: f64, can_overflow: bool) -> Result<f64, MathErr> {
    if r.is_nan() && !x.is_nan() {
        return Err(MathErr::Domain);
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow {
            MathErr::Range
        } else {
            MathErr::Domain
        });
    }
    Ok(r)
}

fn ok_float(vm: &mut Vm, r: Result<f64, MathErr>) -> PyResult {
    match r {
        Ok(f) => Ok(vm.sp.new_float(f)),
        Err(e) => Err(raise(vm, e)),
    }
}

/// Checks a call of `math.name` with exactly `n` positional arguments and no keywords,
/// with CPython's messages.
fn exact(vm: &mut Vm, a: &Args, name: &str, n: usize) -> PyResult<()> {
    no_kw(vm, a, &format!("math.{name}"))?;
    if a.len() != n {
        if n == 1 {
            return check_args(vm, a, &format!("math.{name}"), 1, 1);
        }
        return Err(vm.type_error(format!("{name} expected {n} arguments, got {}", a.len())));
    }
    Ok(())
}

/// The one argument of `math.name` as a float.
fn arg1(vm: &mut Vm, a: &Args, name: &str) -> PyResult<f64> {
    exact(vm, a, name, 1)?;
    to_f64(vm, a.get(0))
}

/// The two arguments of `math.name` as floats.
fn arg2(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(f64, f64)> {
    exact(vm, a, name, 2)?;
    let x = to_f64(vm, a.get(0))?;
    let y = to_f64(vm, a.get(1))?;
    Ok((x, y))
}

// ---------------------------------------------------------------------- module

/// Creates the module.
pub fn create(vm: &mut Vm) -> Value {
    let m = vm.new_module("math");
    let r = vm.push_root(m);
    let d = vm.module_dict(m);
    for (name, v) in [
        ("pi", std::f64::consts::PI),
        ("e", std::f64::consts::E),
        ("tau", std::f64::consts::TAU),
        ("inf", f64::INFINITY),
        ("nan", f64::NAN),
    ] {
        let f = vm.sp.new_float(v);
        vm.sp.dict_set_name(d, name, f);
    }
    let fns: &[(&'static str, crate::vm::NativeFn)] = &[
        ("sqrt", sqrt),
        ("cbrt", cbrt),
        ("exp", exp),
        ("exp2", exp2),
        ("expm1", expm1),
        ("log", log),
        ("log2", log2),
        ("log10", log10),
        ("log1p", log1p),
        ("sin", sin),
        ("cos", cos),
        ("tan", tan),
        ("asin", asin),
        ("acos", acos),
        ("atan", atan),
        ("atan2", atan2),
        ("sinh", sinh),
        ("cosh", cosh),
        ("tanh", tanh),
        ("asinh", asinh),
        ("acosh", acosh),
        ("atanh", atanh),
        ("erf", erf),
        ("erfc", erfc),
        ("gamma", gamma),
        ("lgamma", lgamma),
        ("pow", pow),
        ("fabs", fabs),
        ("floor", floor),
        ("ceil", ceil),
        ("trunc", trunc),
        ("copysign", copysign),
        ("fmod", fmod),
        ("remainder", remainder),
        ("modf", modf),
        ("frexp", frexp),
        ("ldexp", ldexp),
        ("isnan", isnan),
        ("isinf", isinf),
        ("isfinite", isfinite),
        ("isclose", isclose),
        ("degrees", degrees),
        ("radians", radians),
        ("hypot", hypot),
        ("dist", dist),
        ("fsum", fsum),
        ("prod", prod),
        ("gcd", gcd),
        ("lcm", lcm),
        ("factorial", factorial),
        ("comb", comb),
        ("perm", perm),
        ("isqrt", isqrt),
        ("nextafter", nextafter),
        ("ulp", ulp),
    ];
    for &(name, f) in fns {
        let d = {
            let m = vm.root(r);
            vm.module_dict(m)
        };
        vm.add_native(d, name, f);
    }
    let m = vm.root(r);
    vm.reset_roots(r);
    m
}

// ---------------------------------------------------------------------- elementary

macro_rules! libm1 {
    ($($name:ident => $m:expr, $over:expr;)*) => {
        $(
            fn $name(vm: &mut Vm, a: &Args) -> PyResult {
                let x = arg1(vm, a, stringify!($name))?;
                let r = check1(x, m1($m, x), $over);
                ok_float(vm, r)
            }
        )*
    };
}

libm1! {
    sqrt => M::Sqrt, false;
    cbrt => M::Cbrt, false;
    exp => M::Exp, true;
    exp2 => M::Exp2, true;
    expm1 => M::Expm1, true;
    log1p => M::Log1p, false;
    sin => M::Sin, false;
    cos => M::Cos, false;
    tan => M::Tan, false;
    asin => M::Asin, false;
    acos => M::Acos, false;
    atan => M::Atan, false;
    sinh => M::Sinh, true;
    cosh => M::Cosh, true;
    tanh => M::Tanh, false;
    asinh => M::Asinh, false;
    acosh => M::Acosh, false;
    atanh => M::Atanh, false;
    erf => M::Erf, false;
    erfc => M::Erfc, false;
}

fn fabs(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "fabs")?;
    Ok(vm.sp.new_float(x.abs()))
}

fn atan2(vm: &mut Vm, a: &Args) -> PyResult {
    let (y, x) = arg2(vm, a, "atan2")?;
    Ok(vm.sp.new_float(c_atan2(y, x)))
}

/// `log(x)` of libm function `m` for a float argument, with `math_1`'s checks.
fn log_float(m: M, x: f64) -> Result<f64, MathErr> {
    check1(x, m1(m, x), false)
}

/// CPython's `loghelper`: ints of any size (a huge int is split into a mantissa and a
/// power of two), else floats.
fn log_of(vm: &mut Vm, v: Value, m: M) -> PyResult<f64> {
    if is_int(vm, v) {
        let b = vm.to_index_int(v)?;
        if !b.is_positive() {
            return Err(raise(vm, MathErr::Domain));
        }
        if let Some(f) = b.to_f64().filter(|f| f.is_finite()) {
            return log_float(m, f).map_err(|e| raise(vm, e));
        }
        let (x, e) = bigint_frexp(&b);
        return Ok(m1(m, x) + m1(m, 2.0) * e as f64);
    }
    let x = to_f64(vm, v)?;
    log_float(m, x).map_err(|e| raise(vm, e))
}

/// A positive int as `x * 2**e` with `x` in [0.5, 1) correctly rounded to 53 bits.
fn bigint_frexp(b: &BigInt) -> (f64, i64) {
    let n = b.magnitude();
    let bits = n.bits();
    if bits <= 53 {
        let v = n.to_u64().unwrap_or(0) as f64;
        let (m, e) = frexp_f(v);
        return (m, e as i64);
    }
    let k = bits - 53;
    let mut q = (n >> k).to_u64().unwrap_or(0);
    let rem = n - (num_bigint::BigUint::from(q) << k);
    let half = num_bigint::BigUint::one() << (k - 1);
    if rem > half || (rem == half && q & 1 == 1) {
        q += 1;
    }
    let mut e = bits as i64;
    if q == 1u64 << 53 {
        q >>= 1;
        e += 1;
    }
    (q as f64 / (1u64 << 53) as f64, e)
}

fn log(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "math.log")?;
    if a.is_empty() || a.len() > 2 {
        return Err(vm.type_error("math.log requires 1 to 2 arguments"));
    }
    let num = log_of(vm, a.get(0), M::Log)?;
    if a.len() == 1 {
        return Ok(vm.sp.new_float(num));
    }
    let den = log_of(vm, a.get(1), M::Log)?;
    if den == 0.0 {
        return Err(vm.zero_division("float division by zero"));
    }
    Ok(vm.sp.new_float(num / den))
}

fn log2(vm: &mut Vm, a: &Args) -> PyResult {
    exact(vm, a, "log2", 1)?;
    let r = log_of(vm, a.get(0), M::Log2)?;
    Ok(vm.sp.new_float(r))
}

fn log10(vm: &mut Vm, a: &Args) -> PyResult {
    exact(vm, a, "log10", 1)?;
    let r = log_of(vm, a.get(0), M::Log10)?;
    Ok(vm.sp.new_float(r))
}

/// CPython's `math.pow`: C99's special values, then libm's `pow` with errors.
fn pow_f(x: f64, y: f64) -> Result<f64, MathErr> {
    if !x.is_finite() || !y.is_finite() {
        let r = if x.is_nan() {
            if y == 0.0 {
                1.0
            } else {
                x
            }
        } else if y.is_nan() {
            if x == 1.0 {
                1.0
            } else {
                y
            }
        } else if x.is_infinite() {
            let odd_y = y.is_finite() && (y.abs() % 2.0) == 1.0;
            if y > 0.0 {
                if odd_y {
                    x
                } else {
                    x.abs()
                }
            } else if y == 0.0 {
                1.0
            } else if odd_y {
                0.0f64.copysign(x)
            } else {
                0.0
            }
        } else if x.abs() == 1.0 {
            1.0
        } else if (y > 0.0 && x.abs() > 1.0) || (y < 0.0 && x.abs() < 1.0) {
            f64::INFINITY
        } else {
            0.0
        };
        return Ok(r);
    }
    let r = c_pow(x, y);
    if r.is_nan() {
        return Err(MathErr::Domain);
    }
    if r.is_infinite() {
        return Err(if x == 0.0 {
            MathErr::Domain
        } else {
            MathErr::Range
        });
    }
    Ok(r)
}

fn pow(vm: &mut Vm, a: &Args) -> PyResult {
    let (x, y) = arg2(vm, a, "pow")?;
    let r = pow_f(x, y);
    ok_float(vm, r)
}

fn degrees(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "degrees")?;
    Ok(vm.sp.new_float(x * (180.0 / std::f64::consts::PI)))
}

fn radians(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "radians")?;
    Ok(vm.sp.new_float(x * (std::f64::consts::PI / 180.0)))
}

fn copysign(vm: &mut Vm, a: &Args) -> PyResult {
    let (x, y) = arg2(vm, a, "copysign")?;
    Ok(vm.sp.new_float(x.copysign(y)))
}

fn fmod(vm: &mut Vm, a: &Args) -> PyResult {
    let (x, y) = arg2(vm, a, "fmod")?;
    if y.is_infinite() && x.is_finite() {
        return Ok(vm.sp.new_float(x));
    }
    let r = x % y;
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(raise(vm, MathErr::Domain));
    }
    Ok(vm.sp.new_float(r))
}

/// IEEE 754 remainder: `x - n*y` with `n` the integer nearest `x/y` (ties to even).
fn remainder_f(x: f64, y: f64) -> Result<f64, MathErr> {
    if x.is_nan() {
        return Ok(x);
    }
    if y.is_nan() {
        return Ok(y);
    }
    if x.is_infinite() || y == 0.0 {
        return Err(MathErr::Domain);
    }
    if y.is_infinite() {
        return Ok(x);
    }
    let ax = x.abs();
    let ay = y.abs();
    // m = ax mod ay is exact; the answer is m or m - ay, whichever is nearer 0; on a
    // tie, the one that makes the quotient even.
    let m = ax % ay;
    let c = ay - m;
    let r = if m < c {
        m
    } else if m > c {
        -c
    } else {
        // Half-way: the parity of the quotient floor(ax / ay) decides. (ax - m) / 2 is
        // exact; its remainder mod ay is 0 exactly when that quotient is even.
        m - 2.0 * ((0.5 * (ax - m)) % ay)
    };
    Ok(1.0f64.copysign(x) * r)
}

fn remainder(vm: &mut Vm, a: &Args) -> PyResult {
    let (x, y) = arg2(vm, a, "remainder")?;
    let r = remainder_f(x, y);
    ok_float(vm, r)
}

fn modf(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "modf")?;
    let (frac, int) = if x.is_infinite() {
        (0.0f64.copysign(x), x)
    } else if x.is_nan() {
        (x, x)
    } else {
        let t = x.trunc();
        ((x - t).copysign(x), t)
    };
    let f = vm.sp.new_float(frac);
    let i = vm.sp.new_float(int);
    Ok(vm.sp.new_tuple(&[f, i]))
}

/// `frexp` for a float: `(m, e)` with `x == m * 2**e`, `0.5 <= |m| < 1`.
fn frexp_f(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp_f(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, exp - 1022)
}

fn frexp(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "frexp")?;
    let (m, e) = frexp_f(x);
    let mv = vm.sp.new_float(m);
    let ev = vm.sp.new_int(e as i64);
    Ok(vm.sp.new_tuple(&[mv, ev]))
}

/// `2**e` for `-1022 <= e <= 1023`, exactly.
fn pow2(e: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&e));
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// `x * 2**e` with a single rounding (gradual underflow like C's `ldexp`).
fn ldexp_f(x: f64, e: i64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let e = e.clamp(-5000, 5000) as i32;
    let (m, me) = frexp_f(x);
    // x == m2 * 2**(total - 1) with m2 = 2m in [1, 2): exact.
    let m2 = m * 2.0;
    let total = me + e;
    if total > 1024 {
        return f64::INFINITY.copysign(x);
    }
    if total >= -1021 {
        // A normal result: exact.
        return m2 * pow2(total - 1);
    }
    if total < -1100 {
        return 0.0f64.copysign(x);
    }
    // A subnormal (or zero) result: the last multiplication is the only rounding.
    (m2 * pow2(total - 1 + 600)) * pow2(-600)
}

fn ldexp(vm: &mut Vm, a: &Args) -> PyResult {
    exact(vm, a, "ldexp", 2)?;
    let x = to_f64(vm, a.get(0))?;
    let ev = a.get(1);
    if !is_int(vm, ev) {
        return Err(vm.type_error("Expected an int as second argument to ldexp."));
    }
    let eb = vm.to_index_int(ev)?;
    let e = eb
        .to_i64()
        .unwrap_or(if eb.is_negative() { i64::MIN } else { i64::MAX });
    let r = ldexp_f(x, e);
    if r.is_infinite() && x.is_finite() {
        return Err(raise(vm, MathErr::Range));
    }
    Ok(vm.sp.new_float(r))
}

fn isnan(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "isnan")?;
    Ok(vm.sp.new_bool(x.is_nan()))
}

fn isinf(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "isinf")?;
    Ok(vm.sp.new_bool(x.is_infinite()))
}

fn isfinite(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "isfinite")?;
    Ok(vm.sp.new_bool(x.is_finite()))
}

fn isclose(vm: &mut Vm, a: &Args) -> PyResult {
    check_kws(vm, a, "isclose", &["a", "b", "rel_tol", "abs_tol"])?;
    if a.len() > 2 {
        return Err(vm.type_error(format!(
            "isclose() takes exactly 2 positional arguments ({} given)",
            a.len()
        )));
    }
    let Some(av) = super::arg(vm, a, 0, "a") else {
        return Err(vm.type_error("isclose() missing required argument 'a' (pos 1)"));
    };
    let Some(bv) = super::arg(vm, a, 1, "b") else {
        return Err(vm.type_error("isclose() missing required argument 'b' (pos 2)"));
    };
    let _ = bv;
    let x = to_f64(vm, av)?;
    let bv = super::arg(vm, a, 1, "b").expect("b");
    let y = to_f64(vm, bv)?;
    let rel_tol = match a.kw(&vm.sp, "rel_tol") {
        Some(v) => to_f64(vm, v)?,
        None => 1e-9,
    };
    let abs_tol = match a.kw(&vm.sp, "abs_tol") {
        Some(v) => to_f64(vm, v)?,
        None => 0.0,
    };
    if rel_tol < 0.0 || abs_tol < 0.0 {
        return Err(vm.value_error("tolerances must be non-negative"));
    }
    let close = if x == y {
        true
    } else if x.is_infinite() || y.is_infinite() {
        false
    } else {
        let diff = (y - x).abs();
        diff <= (rel_tol * y).abs() || diff <= (rel_tol * x).abs() || diff <= abs_tol
    };
    Ok(vm.sp.new_bool(close))
}

// ---------------------------------------------------------------------- gamma

// The published coefficients, kept to their full precision.
#[allow(clippy::excessive_precision)]
const LANCZOS_G: f64 = 6.024_680_040_776_729_583_740_234_375;
#[allow(clippy::excessive_precision)]
const LANCZOS_G_MINUS_HALF: f64 = 5.524_680_040_776_729_583_740_234_375;
#[allow(clippy::excessive_precision)]
const LANCZOS_NUM: [f64; 13] = [
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
];
const LANCZOS_DEN: [f64; 13] = [
    0.0,
    39916800.0,
    120543840.0,
    150917976.0,
    105258076.0,
    45995730.0,
    13339535.0,
    2637558.0,
    357423.0,
    32670.0,
    1925.0,
    66.0,
    1.0,
];
#[allow(clippy::excessive_precision)]
const LOG_PI: f64 = 1.144_729_885_849_400_174_143_427_351_353_058_711_647;

/// The Lanczos sum for `x > 0`, evaluated in `1/x` for large `x` to avoid overflow.
fn lanczos_sum(x: f64) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    if x < 5.0 {
        for i in (0..13).rev() {
            num = num * x + LANCZOS_NUM[i];
            den = den * x + LANCZOS_DEN[i];
        }
    } else {
        for i in 0..13 {
            num = num / x + LANCZOS_NUM[i];
            den = den / x + LANCZOS_DEN[i];
        }
    }
    num / den
}

/// `sin(pi * x)` for finite `x`, exact at integers and half-integers.
fn sinpi(x: f64) -> f64 {
    let pi = std::f64::consts::PI;
    let y = x.abs() % 2.0;
    let n = m1_round(2.0 * y) as i32;
    let r = match n {
        0 => m1(M::Sin, pi * y),
        1 => m1(M::Cos, pi * (y - 0.5)),
        2 => m1(M::Sin, pi * (1.0 - y)),
        3 => -m1(M::Cos, pi * (y - 1.5)),
        _ => m1(M::Sin, pi * (y - 2.0)),
    };
    1.0f64.copysign(x) * r
}

/// C's `round` (half away from zero).
fn m1_round(x: f64) -> f64 {
    x.round()
}

fn gamma_f(x: f64) -> Result<f64, MathErr> {
    if !x.is_finite() {
        if x.is_nan() || x > 0.0 {
            return Ok(x);
        }
        return Err(MathErr::Domain);
    }
    if x == 0.0 {
        return Err(MathErr::Domain);
    }
    if x == x.floor() {
        if x < 0.0 {
            return Err(MathErr::Domain);
        }
        if x <= 23.0 {
            let mut f: u128 = 1;
            for i in 2..(x as u128) {
                f *= i;
            }
            return Ok(f as f64);
        }
    }
    let absx = x.abs();
    if absx < 1e-20 {
        let r = 1.0 / x;
        return if r.is_infinite() {
            Err(MathErr::Range)
        } else {
            Ok(r)
        };
    }
    if absx > 200.0 {
        if x < 0.0 {
            return Ok(0.0 / sinpi(x));
        }
        return Err(MathErr::Range);
    }
    let y = absx + LANCZOS_G_MINUS_HALF;
    let z = if absx > LANCZOS_G_MINUS_HALF {
        let q = y - absx;
        q - LANCZOS_G_MINUS_HALF
    } else {
        let q = y - LANCZOS_G_MINUS_HALF;
        q - absx
    };
    let z = z * LANCZOS_G / y;
    let mut r;
    if x < 0.0 {
        r = -std::f64::consts::PI / sinpi(absx) / absx * m1(M::Exp, y) / lanczos_sum(absx);
        r -= z * r;
        if absx < 140.0 {
            r /= c_pow(y, absx - 0.5);
        } else {
            let sqrtpow = c_pow(y, absx / 2.0 - 0.25);
            r /= sqrtpow;
            r /= sqrtpow;
        }
    } else {
        r = lanczos_sum(absx) / m1(M::Exp, y);
        r += z * r;
        if absx < 140.0 {
            r *= c_pow(y, absx - 0.5);
        } else {
            let sqrtpow = c_pow(y, absx / 2.0 - 0.25);
            r *= sqrtpow;
            r *= sqrtpow;
        }
    }
    if r.is_infinite() {
        return Err(MathErr::Range);
    }
    Ok(r)
}

fn lgamma_f(x: f64) -> Result<f64, MathErr> {
    if !x.is_finite() {
        if x.is_nan() {
            return Ok(x);
        }
        return Ok(f64::INFINITY);
    }
    if x == x.floor() && x <= 2.0 {
        if x <= 0.0 {
            return Err(MathErr::Domain);
        }
        return Ok(0.0);
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return Ok(-m1(M::Log, absx));
    }
    let mut r = m1(M::Log, lanczos_sum(absx)) - LANCZOS_G;
    r += (absx - 0.5) * (m1(M::Log, absx + LANCZOS_G - 0.5) - 1.0);
    if x < 0.0 {
        r = LOG_PI - m1(M::Log, sinpi(absx).abs()) - m1(M::Log, absx) - r;
    }
    if r.is_infinite() {
        return Err(MathErr::Range);
    }
    Ok(r)
}

fn gamma(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "gamma")?;
    let r = gamma_f(x);
    ok_float(vm, r)
}

fn lgamma(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "lgamma")?;
    let r = lgamma_f(x);
    ok_float(vm, r)
}

// ---------------------------------------------------------------------- rounding

/// An integral float as an int (`OverflowError`/`ValueError` for inf/NaN).
fn float_to_int(vm: &mut Vm, f: f64) -> PyResult {
    if f.is_infinite() {
        return Err(vm.overflow_error("cannot convert float infinity to integer"));
    }
    if f.is_nan() {
        return Err(vm.value_error("cannot convert float NaN to integer"));
    }
    if f.abs() < 9.0e18 {
        return Ok(vm.sp.new_int(f as i64));
    }
    let b = BigInt::from_f64(f).unwrap_or_default();
    Ok(vm.int_from(b))
}

/// `floor`/`ceil`/`trunc`: floats directly, ints as themselves, other objects by their
/// special method, then as floats (`floor`/`ceil` only).
fn round_with(vm: &mut Vm, a: &Args, name: &str, dunder: &str, f: fn(f64) -> f64) -> PyResult {
    exact(vm, a, name, 1)?;
    let x = a.get(0);
    if x.layout() == l::FLOAT {
        let v = vm.sp.float_value(x);
        return float_to_int(vm, f(v));
    }
    if x.layout() == l::INT || x.layout() == l::BIGINT {
        let b = vm.sp.to_bigint(x);
        return Ok(vm.int_from(b));
    }
    if x.layout() == l::INSTANCE {
        let k = vm.sp.intern(dunder);
        if let Some(r) = vm.call_special(x, k, &[])? {
            return Ok(r);
        }
        let u = vm.unwrap_builtin(x);
        if u.layout() == l::FLOAT {
            let v = vm.sp.float_value(u);
            return float_to_int(vm, f(v));
        }
        if u.layout() == l::INT || u.layout() == l::BIGINT {
            let b = vm.sp.to_bigint(u);
            return Ok(vm.int_from(b));
        }
    }
    if dunder == "__trunc__" {
        return Err(vm.type_error(format!(
            "type {} doesn't define __trunc__ method",
            vm.type_name(x)
        )));
    }
    let v = to_f64(vm, a.get(0))?;
    float_to_int(vm, f(v))
}

fn floor(vm: &mut Vm, a: &Args) -> PyResult {
    round_with(vm, a, "floor", "__floor__", f64::floor)
}

fn ceil(vm: &mut Vm, a: &Args) -> PyResult {
    round_with(vm, a, "ceil", "__ceil__", f64::ceil)
}

fn trunc(vm: &mut Vm, a: &Args) -> PyResult {
    round_with(vm, a, "trunc", "__trunc__", f64::trunc)
}

fn nextafter(vm: &mut Vm, a: &Args) -> PyResult {
    let (x, y) = arg2(vm, a, "nextafter")?;
    let r = if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == y {
        y
    } else if y > x {
        x.next_up()
    } else {
        x.next_down()
    };
    Ok(vm.sp.new_float(r))
}

fn ulp(vm: &mut Vm, a: &Args) -> PyResult {
    let x = arg1(vm, a, "ulp")?;
    let r = if x.is_nan() || x.is_infinite() {
        x.abs()
    } else {
        let x = x.abs();
        if x == f64::MAX {
            x - x.next_down()
        } else {
            x.next_up() - x
        }
    };
    Ok(vm.sp.new_float(r))
}

// ---------------------------------------------------------------------- sums and norms

/// The Euclidean norm of `v` (absolute values, `max` their maximum), as CPython 3.11's
/// `vector_norm`: scale by a power of two so the largest is in [0.5, 1), split each
/// value into high and low halves so the squares are exact, sum them with compensation,
/// then correct the square root by one Newton step.
fn vector_norm(v: &mut [f64], max: f64, found_nan: bool) -> f64 {
    const T27: f64 = 134_217_729.0; // 2**27 + 1
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || v.len() <= 1 {
        return max;
    }
    let (_, max_e) = frexp_f(max);
    let (mut csum, mut frac1, mut frac2, mut frac3) = (1.0f64, 0.0f64, 0.0f64, 0.0f64);
    // Adds `x` to csum, keeping the rounding error in `frac`.
    let add = |csum: &mut f64, frac: &mut f64, x: f64| {
        let old = *csum;
        *csum += x;
        *frac += (old - *csum) + x;
    };
    let split = |x: f64| {
        let t = x * T27;
        let hi = t - (t - x);
        (hi, x - hi)
    };
    if max_e >= -1023 {
        let scale = ldexp_f(1.0, -max_e as i64);
        for &x in v.iter() {
            let x = x * scale;
            let (hi, lo) = split(x);
            add(&mut csum, &mut frac1, hi * hi);
            add(&mut csum, &mut frac2, 2.0 * hi * lo);
            frac3 += lo * lo;
        }
        let h = m1(M::Sqrt, csum - 1.0 + (frac1 + frac2 + frac3));
        let (hi, lo) = split(h);
        add(&mut csum, &mut frac1, -hi * hi);
        add(&mut csum, &mut frac2, -2.0 * hi * lo);
        add(&mut csum, &mut frac3, -lo * lo);
        let x = csum - 1.0 + (frac1 + frac2 + frac3);
        return (h + x / (2.0 * h)) / scale;
    }
    // Tiny values: divide by max instead of scaling by a power of two.
    for &x in v.iter() {
        let x = x / max;
        add(&mut csum, &mut frac1, x * x);
    }
    max * m1(M::Sqrt, csum - 1.0 + frac1)
}

fn hypot(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "math.hypot")?;
    let mut v = Vec::with_capacity(a.len());
    let (mut max, mut nan) = (0.0f64, false);
    for i in 0..a.len() {
        let x = to_f64(vm, a.get(i))?.abs();
        nan |= x.is_nan();
        if x > max {
            max = x;
        }
        v.push(x);
    }
    let r = vector_norm(&mut v, max, nan);
    Ok(vm.sp.new_float(r))
}

/// The float items of an iterable (a list or tuple is read directly).
fn floats_of(vm: &mut Vm, seq: Value) -> PyResult<Vec<f64>> {
    let mark = vm.mark();
    let lst = vm.list_from_iter(seq)?;
    let r = vm.push_root(lst);
    let n = vm.sp.list_len(lst);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let lst = vm.root(r);
        let Some(&x) = vm.sp.list_items(lst).get(i) else {
            break;
        };
        out.push(to_f64(vm, x)?);
    }
    vm.reset_roots(mark);
    Ok(out)
}

fn dist(vm: &mut Vm, a: &Args) -> PyResult {
    exact(vm, a, "dist", 2)?;
    let p = floats_of(vm, a.get(0))?;
    let q = floats_of(vm, a.get(1))?;
    if p.len() != q.len() {
        return Err(vm.value_error("both points must have the same number of dimensions"));
    }
    let (mut max, mut nan) = (0.0f64, false);
    let mut d: Vec<f64> = p
        .iter()
        .zip(&q)
        .map(|(x, y)| {
            let v = (x - y).abs();
            nan |= v.is_nan();
            if v > max {
                max = v;
            }
            v
        })
        .collect();
    let r = vector_norm(&mut d, max, nan);
    Ok(vm.sp.new_float(r))
}

/// Shewchuk's exactly rounded sum of floats, as `math.fsum` computes it: a list of
/// non-overlapping partial sums, each addition exact by splitting its rounding error
/// off (`hi + lo == x + y`), then the partials added from the top with a final
/// half-even correction.
fn fsum_f(items: impl IntoIterator<Item = f64>) -> Result<f64, (bool, &'static str)> {
    let mut partials: Vec<f64> = Vec::new();
    let mut special = 0.0f64;
    let mut inf_sum = 0.0f64;
    for xsave in items {
        let mut x = xsave;
        let mut kept = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        partials.truncate(kept);
        if x != 0.0 {
            if !x.is_finite() {
                // An inf or NaN summand, or an overflow of finite ones.
                if xsave.is_finite() {
                    return Err((true, "intermediate overflow in fsum"));
                }
                if xsave.is_infinite() {
                    inf_sum += xsave;
                }
                special += xsave;
                partials.clear();
            } else {
                partials.push(x);
            }
        }
    }
    if special != 0.0 {
        if inf_sum.is_nan() {
            return Err((false, "-inf + inf in fsum"));
        }
        return Ok(special);
    }
    let Some(mut hi) = partials.pop() else {
        return Ok(0.0);
    };
    let mut lo = 0.0;
    while let Some(y) = partials.pop() {
        let x = hi;
        hi = x + y;
        let yr = hi - x;
        lo = y - yr;
        if lo != 0.0 {
            break;
        }
    }
    // Round half-even across partials: if the rest has the same sign as `lo`, the
    // true sum is past the half-way point.
    if let Some(&next) = partials.last() {
        if (lo < 0.0 && next < 0.0) || (lo > 0.0 && next > 0.0) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(hi)
}

fn fsum(vm: &mut Vm, a: &Args) -> PyResult {
    exact(vm, a, "fsum", 1)?;
    let mark = vm.mark();
    let it = vm.get_iter(a.get(0))?;
    let itr = vm.push_root(it);
    let mut xs = Vec::new();
    loop {
        let it = vm.root(itr);
        let Some(x) = vm.iter_next(it)? else { break };
        xs.push(to_f64(vm, x)?);
    }
    vm.reset_roots(mark);
    match fsum_f(xs) {
        Ok(r) => Ok(vm.sp.new_float(r)),
        Err((true, msg)) => Err(vm.overflow_error(msg)),
        Err((false, msg)) => Err(vm.value_error(msg)),
    }
}

fn prod(vm: &mut Vm, a: &Args) -> PyResult {
    check_kws(vm, a, "prod", &["start"])?;
    if a.len() != 1 {
        return Err(vm.type_error(format!(
            "prod() takes exactly 1 positional argument ({} given)",
            a.len()
        )));
    }
    let mark = vm.mark();
    let start = match a.kw(&vm.sp, "start") {
        Some(s) => s,
        None => vm.sp.new_int(1),
    };
    let accr = vm.push_root(start);
    let it = vm.get_iter(a.get(0))?;
    let itr = vm.push_root(it);
    loop {
        let it = vm.root(itr);
        let Some(x) = vm.iter_next(it)? else { break };
        let acc = vm.root(accr);
        let r = vm.binary_op(BinOp::Mul, acc, x)?;
        vm.set_root(accr, Some(r));
    }
    let r = vm.root(accr);
    vm.reset_roots(mark);
    Ok(r)
}

// ---------------------------------------------------------------------- integers

/// The int arguments of a variadic integer function.
fn int_args(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Vec<BigInt>> {
    no_kw(vm, a, &format!("math.{name}"))?;
    let mut out = Vec::with_capacity(a.len());
    for i in 0..a.len() {
        out.push(vm.to_index_int(a.get(i))?);
    }
    Ok(out)
}

fn gcd(vm: &mut Vm, a: &Args) -> PyResult {
    let xs = int_args(vm, a, "gcd")?;
    let mut g = BigInt::zero();
    for x in xs {
        g = g.gcd(&x);
    }
    Ok(vm.int_from(g))
}

fn lcm(vm: &mut Vm, a: &Args) -> PyResult {
    let xs = int_args(vm, a, "lcm")?;
    let mut acc = BigInt::one();
    for x in xs {
        if acc.is_zero() || x.is_zero() {
            acc = BigInt::zero();
            continue;
        }
        acc = acc.lcm(&x).abs();
    }
    Ok(vm.int_from(acc))
}

/// The product of `lo..hi` (as u64s), by binary splitting.
fn range_prod(lo: u64, hi: u64) -> BigInt {
    if hi <= lo {
        return BigInt::one();
    }
    if hi - lo <= 16 {
        let mut acc = BigInt::one();
        let mut small: u128 = 1;
        for i in lo..hi {
            match small.checked_mul(i as u128) {
                Some(p) if p < (1u128 << 100) => small = p,
                _ => {
                    acc *= small;
                    small = i as u128;
                }
            }
        }
        return acc * small;
    }
    let mid = lo + (hi - lo) / 2;
    range_prod(lo, mid) * range_prod(mid, hi)
}

/// The product of `base - i` for `i` in `lo..hi`, by binary splitting.
fn falling_prod(base: &BigInt, lo: u64, hi: u64) -> BigInt {
    if hi <= lo {
        return BigInt::one();
    }
    if hi - lo <= 8 {
        let mut acc = BigInt::one();
        for i in lo..hi {
            acc *= base - i;
        }
        return acc;
    }
    let mid = lo + (hi - lo) / 2;
    falling_prod(base, lo, mid) * falling_prod(base, mid, hi)
}

fn factorial(vm: &mut Vm, a: &Args) -> PyResult {
    exact(vm, a, "factorial", 1)?;
    let n = vm.to_index_int(a.get(0))?;
    factorial_of(vm, n)
}

fn factorial_of(vm: &mut Vm, n: BigInt) -> PyResult {
    if n.is_negative() {
        return Err(vm.value_error("factorial() not defined for negative values"));
    }
    let Some(n) = n.to_u64().filter(|&n| n <= i64::MAX as u64) else {
        return Err(vm.overflow_error("factorial() argument should not exceed 9223372036854775807"));
    };
    if n <= 20 {
        let f: u64 = (1..=n).product();
        return Ok(vm.int_from(BigInt::from(f)));
    }
    Ok(vm.int_from(range_prod(2, n + 1)))
}

/// `n` and `k` of `comb`/`perm`, checked non-negative.
fn n_k(vm: &mut Vm, nv: Value, kv: Value) -> PyResult<(BigInt, BigInt)> {
    let n = vm.to_index_int(nv)?;
    let k = vm.to_index_int(kv)?;
    if n.is_negative() {
        return Err(vm.value_error("n must be a non-negative integer"));
    }
    if k.is_negative() {
        return Err(vm.value_error("k must be a non-negative integer"));
    }
    Ok((n, k))
}

fn small_k(vm: &mut Vm, k: &BigInt, what: &str) -> PyResult<u64> {
    match k.to_u64().filter(|&k| k <= i64::MAX as u64) {
        Some(k) => Ok(k),
        None => Err(vm.overflow_error(format!("{what} must not exceed 9223372036854775807"))),
    }
}

fn comb(vm: &mut Vm, a: &Args) -> PyResult {
    exact(vm, a, "comb", 2)?;
    let (n, k) = n_k(vm, a.get(0), a.get(1))?;
    if k > n {
        return Ok(vm.sp.new_int(0));
    }
    let nk = &n - &k;
    let k = if nk < k { nk } else { k };
    let k = small_k(vm, &k, "min(n - k, k)")?;
    let num = falling_prod(&n, 0, k);
    let den = range_prod(2, k + 1);
    Ok(vm.int_from(num / den))
}

fn perm(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "math.perm")?;
    check_args(vm, a, "perm", 1, 2)?;
    let kv = a.opt(1).filter(|k| !k.is(vm.sp.none));
    let Some(kv) = kv else {
        let n = vm.to_index_int(a.get(0))?;
        if n.is_negative() {
            return Err(vm.value_error("n must be a non-negative integer"));
        }
        return factorial_of(vm, n);
    };
    let (n, k) = n_k(vm, a.get(0), kv)?;
    if k > n {
        return Ok(vm.sp.new_int(0));
    }
    let k = small_k(vm, &k, "k")?;
    Ok(vm.int_from(falling_prod(&n, 0, k)))
}

fn isqrt(vm: &mut Vm, a: &Args) -> PyResult {
    exact(vm, a, "isqrt", 1)?;
    let n = vm.to_index_int(a.get(0))?;
    if n.is_negative() {
        return Err(vm.value_error("isqrt() argument must be nonnegative"));
    }
    let (_, mag) = n.into_parts();
    let r = mag.sqrt();
    Ok(vm.int_from(BigInt::from_biguint(Sign::Plus, r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fsum_is_exact() {
        assert_eq!(fsum_f([0.1; 10]), Ok(1.0));
        assert_eq!(fsum_f([1.0, 1e100, 1.0, -1e100]), Ok(2.0));
        assert_eq!(fsum_f([]), Ok(0.0));
        assert!(fsum_f([1e308, 1e308]).unwrap_err().0);
        assert!(fsum_f([f64::INFINITY, -f64::INFINITY]).is_err());
    }

    #[test]
    fn frexp_and_ldexp_round_trip() {
        for &x in &[1.0, 0.3, -5e-310, 1e308, 123456.789] {
            let (m, e) = frexp_f(x);
            assert!((0.5..1.0).contains(&m.abs()));
            assert_eq!(ldexp_f(m, e as i64), x);
        }
    }

    #[test]
    fn gamma_of_integers_is_exact() {
        assert_eq!(gamma_f(5.0), Ok(24.0));
        assert_eq!(lgamma_f(1.0), Ok(0.0));
        assert_eq!(gamma_f(0.0), Err(MathErr::Domain));
    }
}
