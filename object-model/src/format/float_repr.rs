//! Float → text with Python's exact digits and layout: [`float_repr`] (`repr(float)`,
//! which is also `str(float)`) and [`double_to_string`], the core that `format()` and
//! `%`-formatting share (the equivalent of CPython's `PyOS_double_to_string`).
//!
//! Digits come in three modes, as in David Gay's `dtoa`: shortest round-trip (taken from
//! Rust's shortest-digit formatter), a number of significant digits, or a number of
//! digits after the point. The last two are computed exactly from the binary value with
//! big integers and rounded half-to-even, so `format(2.675, '.2f')` is `'2.67'` (the
//! double is just below 2.675) and `format(0.125, '.2f')` is `'0.12'` (an exact tie).

use num_bigint::BigUint;
use num_traits::{One, Zero};

/// Decimal digits of a finite non-negative double: the value is `0.DIGITS × 10^decpt`.
/// Trailing zeros are stripped. Zero is `"0"` with `decpt` 1; a value that rounds to zero
/// in fixed mode is empty digits with `decpt = -ndigits` (as `dtoa` reports it).
struct Digits {
    digits: Vec<u8>,
    decpt: i64,
}

/// The three digit-generation modes.
#[derive(Clone, Copy)]
enum Mode {
    /// Shortest digits that round-trip.
    Shortest,
    /// This many significant digits (at least 1).
    Significant(usize),
    /// This many digits after the decimal point.
    Fixed(usize),
}

/// `x = m × 2^e` exactly, for finite positive `x`.
fn decompose(x: f64) -> (u64, i64) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    }
}

/// The exact value of finite positive `x` as `num / den` (`den` a power of two).
fn ratio(x: f64) -> (BigUint, BigUint) {
    let (m, e) = decompose(x);
    if e >= 0 {
        (BigUint::from(m) << (e as u64), BigUint::one())
    } else {
        (BigUint::from(m), BigUint::one() << ((-e) as u64))
    }
}

fn pow10(n: u64) -> BigUint {
    BigUint::from(10u32).pow(n as u32)
}

/// `num / den × 10^s`, as (floor, remainder, divisor).
fn scaled(num: &BigUint, den: &BigUint, s: i64) -> (BigUint, BigUint, BigUint) {
    let (n, d) = if s >= 0 {
        (num * pow10(s as u64), den.clone())
    } else {
        (num.clone(), den * pow10((-s) as u64))
    };
    let q = &n / &d;
    let r = n - &q * &d;
    (q, r, d)
}

/// `num / den × 10^s` rounded half-to-even.
fn scaled_round(num: &BigUint, den: &BigUint, s: i64) -> BigUint {
    let (q, r, d) = scaled(num, den, s);
    let twice: BigUint = r << 1u32;
    if twice > d || (twice == d && q.bit(0)) {
        q + 1u32
    } else {
        q
    }
}

fn strip_zeros(mut digits: Vec<u8>) -> Vec<u8> {
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    digits
}

/// Python's shortest digits break an exact tie between two equally short, equally close
/// candidates towards the even last digit; Rust's take the upper one. `digits` ×
/// 10^(decpt - len) are Rust's digits for finite positive `x`; returns Python's.
fn even_tie(x: f64, digits: Vec<u8>, decpt: i64) -> Digits {
    let keep = |digits| Digits { digits, decpt };
    let last_odd = digits.last().is_some_and(|d| d % 2 == 1);
    if !last_odd {
        return keep(digits);
    }
    // A tie means 2·x·10^s is an odd integer, with s = len - decpt. Writing
    // x = m_odd·2^(tz+e): that needs tz + e + s + 1 = 0, and 5^-s | m_odd when s < 0.
    let s = digits.len() as i64 - decpt;
    let (m, e) = decompose(x);
    let tz = i64::from(m.trailing_zeros());
    if tz + e + s + 1 != 0 {
        return keep(digits);
    }
    if s < 0 && (-s > 27 || (m >> tz) % 5u64.pow((-s) as u32) != 0) {
        return keep(digits);
    }
    // Exact check and the side of x that `digits` lies on.
    let (num, den) = ratio(x);
    let (twice_x, rem, _) = scaled(&(num << 1u32), &den, s);
    if !rem.is_zero() {
        return keep(digits);
    }
    let d: BigUint = std::str::from_utf8(&digits)
        .expect("ASCII digits")
        .parse()
        .expect("decimal digits");
    let other = if (&d << 1u32) > twice_x {
        d - 1u32
    } else {
        d + 1u32
    };
    let text = other.to_string();
    let round_trips = format!("{text}e{}", -s).parse::<f64>() == Ok(x);
    if !round_trips || text.len() != digits.len() {
        return keep(digits);
    }
    let decpt = text.len() as i64 - s;
    Digits {
        digits: strip_zeros(text.into_bytes()),
        decpt,
    }
}

/// The digits of finite `|x|` in the given mode.
fn digits_of(x: f64, mode: Mode) -> Digits {
    let x = x.abs();
    if x == 0.0 {
        return Digits {
            digits: b"0".to_vec(),
            decpt: 1,
        };
    }
    match mode {
        Mode::Shortest => {
            // Rust's `{:e}` gives the shortest round-tripping digits, closest to the
            // true value: "d.ddde±N" or "de±N".
            let s = format!("{x:e}");
            let (mant, exp) = s.split_once('e').expect("`{:e}` always has an exponent");
            let exp: i64 = exp.parse().expect("`{:e}` exponent is an integer");
            let digits = strip_zeros(mant.bytes().filter(|b| b.is_ascii_digit()).collect());
            let decpt = exp + 1;
            even_tie(x, digits, decpt)
        }
        Mode::Fixed(n) => {
            let (num, den) = ratio(x);
            let v = scaled_round(&num, &den, n as i64);
            if v.is_zero() {
                return Digits {
                    digits: Vec::new(),
                    decpt: -(n as i64),
                };
            }
            let s = v.to_string().into_bytes();
            let decpt = s.len() as i64 - n as i64;
            Digits {
                digits: strip_zeros(s),
                decpt,
            }
        }
        Mode::Significant(n) => {
            let n = n.max(1);
            let (num, den) = ratio(x);
            // k = floor(log10(x)), first estimated then corrected exactly.
            let mut k = x.log10().floor() as i64;
            let low = pow10(n as u64 - 1);
            let high = pow10(n as u64);
            loop {
                let (q, _, _) = scaled(&num, &den, n as i64 - 1 - k);
                if q < low {
                    k -= 1;
                } else if q >= high {
                    k += 1;
                } else {
                    break;
                }
            }
            let mut v = scaled_round(&num, &den, n as i64 - 1 - k);
            if v == high {
                v = low;
                k += 1;
            }
            Digits {
                digits: strip_zeros(v.to_string().into_bytes()),
                decpt: k + 1,
            }
        }
    }
}

/// Options of [`double_to_string`], CPython's `Py_DTSF_*` flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DtsFlags {
    /// Always write a sign (`+` for non-negative values).
    pub always_sign: bool,
    /// Add `.0` to a result that would look like an integer (fixed notation only).
    pub add_dot_0: bool,
    /// Alternate form (`#`): keep the decimal point, and `g` keeps trailing zeros.
    pub alt: bool,
    /// Drop the sign of a result that rounds to zero (the `z` option).
    pub no_neg_0: bool,
}

/// Formats `x` as CPython's `PyOS_double_to_string(x, code, precision, flags)`.
///
/// `code` is one of `e E f F g G r`; `r` is `repr` (shortest digits; `precision` is
/// ignored). For `e` the precision counts digits after the point, for `g` significant
/// digits (0 means 1). Upper-case codes write `E`, `INF` and `NAN`. The sign of a NaN
/// is never shown (but `always_sign` gives `+nan`).
///
/// # Panics
///
/// On any other `code`.
pub fn double_to_string(x: f64, code: char, precision: usize, flags: DtsFlags) -> String {
    let upper = matches!(code, 'E' | 'F' | 'G');
    let (code, mode, precision) = match code {
        'e' | 'E' => ('e', Mode::Significant(precision + 1), precision + 1),
        'f' | 'F' => ('f', Mode::Fixed(precision), precision),
        'g' | 'G' => {
            let p = precision.max(1);
            ('g', Mode::Significant(p), p)
        }
        'r' => ('r', Mode::Shortest, 0),
        _ => panic!("double_to_string: bad format code {code:?}"),
    };
    let mut sign = x.is_sign_negative();
    let mut out = String::new();
    if !x.is_finite() {
        let word = if x.is_nan() {
            sign = false;
            if upper {
                "NAN"
            } else {
                "nan"
            }
        } else if upper {
            "INF"
        } else {
            "inf"
        };
        if sign {
            out.push('-');
        } else if flags.always_sign {
            out.push('+');
        }
        out.push_str(word);
        return out;
    }

    let Digits { digits, mut decpt } = digits_of(x, mode);
    if flags.no_neg_0 && sign && digits.iter().all(|&d| d == b'0') {
        sign = false;
    }
    let digits_len = digits.len() as i64;
    let precision = precision as i64;
    let mut vdigits_end = digits_len;
    let mut use_exp = false;
    match code {
        'e' => {
            use_exp = true;
            vdigits_end = precision;
        }
        'f' => vdigits_end = decpt + precision,
        'g' => {
            let limit = if flags.add_dot_0 {
                precision - 1
            } else {
                precision
            };
            if decpt <= -4 || decpt > limit {
                use_exp = true;
            }
            if flags.alt {
                vdigits_end = precision;
            }
        }
        _ => {
            // repr: exponent form from 1e16 up and below 1e-4.
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    // The output is a slice [vdigits_start, vdigits_end) of the digits padded with
    // zeros on both sides, with the point somewhere inside.
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    vdigits_end = if !use_exp && flags.add_dot_0 {
        vdigits_end.max(decpt + 1)
    } else {
        vdigits_end.max(decpt)
    };

    let zeros = |out: &mut String, n: i64| {
        for _ in 0..n.max(0) {
            out.push('0');
        }
    };
    if sign {
        out.push('-');
    } else if flags.always_sign {
        out.push('+');
    }
    if decpt <= 0 {
        zeros(&mut out, decpt - vdigits_start);
        out.push('.');
        zeros(&mut out, -decpt);
    } else {
        zeros(&mut out, -vdigits_start);
    }
    let text = |d: &[u8]| std::str::from_utf8(d).expect("ASCII digits").to_owned();
    if 0 < decpt && decpt <= digits_len {
        out.push_str(&text(&digits[..decpt as usize]));
        out.push('.');
        out.push_str(&text(&digits[decpt as usize..]));
    } else {
        out.push_str(&text(&digits));
    }
    if digits_len < decpt {
        zeros(&mut out, decpt - digits_len);
        out.push('.');
        zeros(&mut out, vdigits_end - decpt);
    } else {
        zeros(&mut out, vdigits_end - digits_len);
    }
    if out.ends_with('.') && !flags.alt {
        out.pop();
    }
    if use_exp {
        out.push(if upper { 'E' } else { 'e' });
        out.push(if exp < 0 { '-' } else { '+' });
        let mag = exp.unsigned_abs();
        if mag < 10 {
            out.push('0');
        }
        out.push_str(&mag.to_string());
    }
    out
}

/// `repr(x)` (= `str(x)`) exactly as Python: shortest round-trip digits, fixed notation
/// for `1e-4 <= |x| < 1e16` (with `.0` added to integral values), exponent form
/// otherwise (`1e+16`, `1.5e-05`), and `inf`, `-inf`, `nan`.
pub fn float_repr(x: f64) -> String {
    double_to_string(
        x,
        'r',
        0,
        DtsFlags {
            add_dot_0: true,
            ..DtsFlags::default()
        },
    )
}

/// `'%.{precision}f' % x`: fixed notation, correctly rounded half-to-even.
pub fn float_fixed(x: f64, precision: usize) -> String {
    double_to_string(x, 'f', precision, DtsFlags::default())
}

/// `'%.{precision}e' % x`: exponent notation with `precision` digits after the point.
pub fn float_exponent(x: f64, precision: usize) -> String {
    double_to_string(x, 'e', precision, DtsFlags::default())
}

/// `'%.{precision}g' % x`: `precision` significant digits, trailing zeros removed.
pub fn float_general(x: f64, precision: usize) -> String {
    double_to_string(x, 'g', precision, DtsFlags::default())
}
