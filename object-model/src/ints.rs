//! `int` objects: the small (`i64`) and big (32-bit digit) representations, conversion
//! to and from `num_bigint::BigInt`, and Python's numeric hash.
//!
//! Invariant: a value that fits in an `i64` is always stored small, so two equal ints
//! have the same representation.

use crate::layout::{self as l, *};
use crate::space::Space;
use crate::value::Value;
use num_bigint::{BigInt, Sign};
use num_traits::ToPrimitive;

/// The modulus of Python's numeric hash (2**61 - 1).
pub const HASH_MODULUS: u64 = (1 << 61) - 1;
/// `hash(float('inf'))`.
pub const HASH_INF: i64 = 314_159;

/// Python's hash of an `i64`.
pub fn hash_i64(i: i64) -> i64 {
    let m = HASH_MODULUS as i128;
    let mut h = (i as i128).abs() % m;
    if i < 0 {
        h = -h;
    }
    let h = h as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

/// Python's hash of a big int.
pub fn hash_bigint(b: &BigInt) -> i64 {
    let m = BigInt::from(HASH_MODULUS);
    let (sign, mag) = (b.sign(), b.magnitude());
    let r = (BigInt::from(mag.clone()) % m)
        .to_i64()
        .expect("below the modulus");
    let h = if sign == Sign::Minus { -r } else { r };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// Python's hash of a float (equal to the hash of an equal int).
pub fn hash_f64(f: f64) -> i64 {
    if f.is_nan() {
        return 0; // CPython 3.10+ hashes NaN by identity; 0 keeps it simple and legal
    }
    if f.is_infinite() {
        return if f > 0.0 { HASH_INF } else { -HASH_INF };
    }
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        return hash_i64(f as i64);
    }
    // Exact rational hash: f = m * 2**e with integer m.
    let (mant, exp, sign) = decode(f);
    let p = HASH_MODULUS as u128;
    let mut x = (mant as u128) % p;
    // Multiply by 2**exp modulo p (2**61 ≡ 1, so exponents reduce mod 61).
    let e = exp.rem_euclid(61) as u32;
    x = (x << e) % p;
    let mut h = x as i64;
    if sign < 0 {
        h = -h;
    }
    if h == -1 {
        -2
    } else {
        h
    }
}

/// Splits a finite non-zero float into (mantissa, exponent, sign) with f = ±m·2^e.
fn decode(f: f64) -> (u64, i32, i32) {
    let bits = f.to_bits();
    let sign = if bits >> 63 == 0 { 1 } else { -1 };
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let mantissa = if exponent == 0 {
        (bits & 0xf_ffff_ffff_ffff) << 1
    } else {
        (bits & 0xf_ffff_ffff_ffff) | 0x10_0000_0000_0000
    };
    (mantissa, exponent - 1075, sign)
}

impl Space {
    /// An `int` from a `BigInt` (stored small when it fits).
    pub fn new_bigint(&mut self, b: &BigInt) -> Value {
        if let Some(i) = b.to_i64() {
            return self.new_int(i);
        }
        let (sign, digits) = b.to_u32_digits();
        let v = self.alloc_var(l::BIGINT, self.t.int, digits.len());
        // SAFETY: BIGINT layout with `digits.len()` digit slots.
        unsafe {
            v.set::<i64>(BIGINT_SIGN, if sign == Sign::Minus { -1 } else { 1 });
            std::ptr::copy_nonoverlapping(
                digits.as_ptr(),
                v.ptr::<u32>(BIGINT_DIGITS),
                digits.len(),
            );
        }
        v
    }

    /// The value of an int object (INT or BIGINT layout; bools included).
    pub fn to_bigint(&self, v: Value) -> BigInt {
        if let Some(i) = self.small_int(v) {
            return BigInt::from(i);
        }
        debug_assert_eq!(v.layout(), l::BIGINT);
        // SAFETY: BIGINT layout.
        unsafe {
            let n = v.get::<usize>(BIGINT_LEN);
            let digits = std::slice::from_raw_parts(v.ptr::<u32>(BIGINT_DIGITS), n);
            let sign = if v.get::<i64>(BIGINT_SIGN) < 0 {
                Sign::Minus
            } else {
                Sign::Plus
            };
            BigInt::from_slice(sign, digits)
        }
    }

    /// Whether `v`'s layout is an int (small or big): exact ints, bools.
    #[inline(always)]
    pub fn is_int_layout(&self, v: Value) -> bool {
        let lay = v.layout();
        lay == l::INT || lay == l::BIGINT
    }

    /// Python's hash of an int object.
    pub fn int_hash(&self, v: Value) -> i64 {
        match self.small_int(v) {
            Some(i) => hash_i64(i),
            None => hash_bigint(&self.to_bigint(v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_hashes_match_python() {
        // Values printed by CPython 3.11.
        assert_eq!(hash_i64(-1), -2);
        assert_eq!(hash_i64(1 << 61), 1);
        assert_eq!(hash_i64(-(1 << 62)), -2);
        assert_eq!(hash_f64(1.5), 1152921504606846977);
        assert_eq!(hash_f64(-0.25), -576460752303423488);
        assert_eq!(hash_f64(2.0), 2);
        assert_eq!(hash_bigint(&(BigInt::from(1u64 << 63) * 4)), 16);
    }
}
