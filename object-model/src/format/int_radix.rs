//! Integer helpers shared by the formatters: text in base 2, 8, 10 or 16 with Python's
//! prefixes (`hex(-255)` is `'-0xff'`), and the correctly rounded int → float
//! conversion that `float(n)` and `format(n, 'f')` use.

use super::FormatError;
use num_bigint::{BigInt, Sign};
use num_traits::ToPrimitive;

/// `value` written in `radix` (2, 8, 10 or 16, lower-case digits), with the sign first
/// and, when `prefix` is set, Python's base prefix after it: `0b`, `0o`, `0x` (none for
/// base 10). So `int_to_str_radix(&(-255).into(), 16, true)` is `"-0xff"`, as `hex()`;
/// `bin()` and `oct()` are radix 2 and 8.
///
/// # Panics
///
/// If `radix` is not 2, 8, 10 or 16.
pub fn int_to_str_radix(value: &BigInt, radix: u32, prefix: bool) -> String {
    let marker = match radix {
        2 => "0b",
        8 => "0o",
        10 => "",
        16 => "0x",
        _ => panic!("int_to_str_radix: unsupported radix {radix}"),
    };
    let digits = value.magnitude().to_str_radix(radix);
    let mut out = String::with_capacity(digits.len() + 3);
    if value.sign() == Sign::Minus {
        out.push('-');
    }
    if prefix {
        out.push_str(marker);
    }
    out.push_str(&digits);
    out
}

/// `float(value)`: the nearest double, ties to even, or Python's `OverflowError`
/// "int too large to convert to float".
pub fn int_to_f64(value: &BigInt) -> Result<f64, FormatError> {
    let mag = value.magnitude();
    let bits = mag.bits();
    let abs = if bits <= 64 {
        // u64 → f64 is correctly rounded.
        mag.to_u64().expect("fits in 64 bits") as f64
    } else {
        // Keep the top 64 bits and fold everything below into a sticky bit: rounding
        // that 64-bit value to 53 bits gives the same result as rounding the whole.
        let shift = bits - 64;
        let top = (mag >> shift).to_u64().expect("64 bits after the shift");
        let sticky = mag.trailing_zeros().is_some_and(|tz| tz < shift);
        let top = top | u64::from(sticky);
        if shift > 1100 {
            f64::INFINITY
        } else {
            (top as f64) * 2f64.powi(shift as i32)
        }
    };
    if abs.is_infinite() {
        return Err(FormatError::overflow("int too large to convert to float"));
    }
    Ok(if value.sign() == Sign::Minus {
        -abs
    } else {
        abs
    })
}
