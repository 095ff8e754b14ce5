//! Python's `hash()` of a `float`, which CPython's generator uses to seed from a float.
//!
//! Python hashes every finite number as the value of the rational it denotes, reduced
//! modulo the Mersenne prime P = 2**61 - 1 (on 64-bit builds): for x = m * 2**e with an
//! integer m, hash(x) = sign(x) * (|m| * 2**(e mod 61) mod P), because 2**61 == 1 mod P.
//! A result of -1 becomes -2 (-1 signals an error in C). Infinities hash to +-314159.

/// The modulus of Python's numeric hash on 64-bit builds: 2**61 - 1.
pub const HASH_MODULUS: u64 = (1 << 61) - 1;

/// The hash of positive infinity (`sys.hash_info.inf`).
pub const HASH_INF: i64 = 314_159;

/// Python's `hash(x)` for a float `x` (64-bit CPython), or `None` for a NaN: since
/// Python 3.10 a NaN hashes by the identity of its float object, which a plain `f64`
/// does not have.
pub fn float_hash(x: f64) -> Option<i64> {
    if x.is_nan() {
        return None;
    }
    if x.is_infinite() {
        return Some(if x > 0.0 { HASH_INF } else { -HASH_INF });
    }
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let biased_exp = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    // |x| = mantissa * 2**exp exactly.
    let (mantissa, exp) = if biased_exp == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased_exp - 1075)
    };
    let shift = exp.rem_euclid(61) as u32;
    let reduced = ((u128::from(mantissa) << shift) % u128::from(HASH_MODULUS)) as i64;
    let hash = if negative { -reduced } else { reduced };
    Some(if hash == -1 { -2 } else { hash })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values checked against CPython 3.11's `hash()`.
    #[test]
    fn matches_python() {
        assert_eq!(float_hash(0.5), Some(1_152_921_504_606_846_976));
        assert_eq!(float_hash(-1.5), Some(-1_152_921_504_606_846_977));
        assert_eq!(float_hash(3.5), Some(1_152_921_504_606_846_979));
        assert_eq!(float_hash(1e300), Some(1_224_995_262_755_759_164));
        assert_eq!(float_hash(5e-324), Some(16_777_216));
        assert_eq!(float_hash(f64::INFINITY), Some(314_159));
        assert_eq!(float_hash(-1.0), Some(-2));
        assert_eq!(float_hash(-0.0), Some(0));
        assert_eq!(float_hash(f64::NAN), None);
    }
}
