//! Python 3.11-exact text formatting on plain Rust values: `repr(float)`, the
//! format-spec mini-language (`format(value, spec)`), `%`-formatting and `str.format`
//! field parsing and rendering.
//!
//! Nothing here knows about the collector or any object representation: integers are
//! [`BigInt`](num_bigint::BigInt), floats are `f64`, strings are `&str`. Where Python
//! would consult an object (an argument of `%`, a field of `str.format`), the caller
//! supplies it through a trait ([`PercentArgs`], [`FieldResolver`]) so the exact
//! order of Python's lookups, conversions and errors is kept.
//!
//! Layout, one idea per file:
//!
//! | file | what it holds |
//! |---|---|
//! | `mod.rs` | [`FormatError`], [`ErrorKind`], Unicode decimal digits |
//! | `float_repr.rs` | exact float digits, [`float_repr`], [`double_to_string`] |
//! | `int_radix.rs` | [`int_to_str_radix`], [`int_to_f64`] |
//! | `spec.rs` | [`Spec`], [`parse_spec`], [`format_int`], [`format_float`], [`format_str`] |
//! | `percent.rs` | [`percent_format`] and its argument trait |
//! | `fields.rs` | `str.format` parsing ([`parse_format_string`]) and [`render_format_string`] |
//! | `tests.rs` | unit tests of the API (CPython-generated tables: `tests/format.rs`) |
//!
//! Known gaps: Python strings may hold lone surrogates, Rust strings may not, so
//! `format(0xD800, 'c')` and `'%c' % 0xD800` report an error instead; the
//! `sys.set_int_max_str_digits` limit on int→decimal conversion is left to the caller;
//! the `n` presentation type always uses the C locale (as CPython does unless the
//! program calls `locale.setlocale(LC_NUMERIC, …)`).

mod fields;
mod float_repr;
mod int_radix;
mod percent;
mod spec;

#[cfg(test)]
mod tests;

pub use fields::{
    parse_format_string, render_format_string, AutoNumber, Conversion, Field, FieldAccessor,
    FieldFirst, FieldKey, FieldName, FieldResolver, FormatStringIter, Piece,
};
pub use float_repr::{
    double_to_string, float_exponent, float_fixed, float_general, float_repr, DtsFlags,
};
pub use int_radix::{int_to_f64, int_to_str_radix};
pub use percent::{percent_format, ArgSource, ArgsShape, Conv, PArg, PercentArgs};
pub use spec::{
    float_format_spec, format_float, format_int, format_str, int_format_spec, parse_spec,
    str_format_spec, Align, Grouping, Sign, Spec,
};

use std::fmt;

/// The Python exception class a [`FormatError`] stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `ValueError` (bad spec, bad format string, …): the usual case.
    ValueError,
    /// `TypeError` (`%` argument of the wrong type, too few or too many arguments).
    TypeError,
    /// `OverflowError` (`%c` out of range, int too large for a float, …).
    OverflowError,
    /// `KeyError`: never produced here, available to callers' lookups.
    KeyError,
    /// `IndexError` (`str.format` replacement index out of range, via helper).
    IndexError,
}

impl ErrorKind {
    /// The Python name of the exception class, e.g. `"ValueError"`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::ValueError => "ValueError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::OverflowError => "OverflowError",
            ErrorKind::KeyError => "KeyError",
            ErrorKind::IndexError => "IndexError",
        }
    }
}

/// A formatting failure: which Python exception to raise and its exact message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    /// The exception class.
    pub kind: ErrorKind,
    /// The message, exactly as CPython 3.11 words it.
    pub message: String,
}

impl FormatError {
    /// A `ValueError` with the given message.
    pub fn value(message: impl Into<String>) -> Self {
        FormatError {
            kind: ErrorKind::ValueError,
            message: message.into(),
        }
    }

    /// A `TypeError` with the given message.
    pub fn type_error(message: impl Into<String>) -> Self {
        FormatError {
            kind: ErrorKind::TypeError,
            message: message.into(),
        }
    }

    /// An `OverflowError` with the given message.
    pub fn overflow(message: impl Into<String>) -> Self {
        FormatError {
            kind: ErrorKind::OverflowError,
            message: message.into(),
        }
    }

    /// `str.format`'s `IndexError` for a positional field past the end of the arguments.
    pub fn replacement_index_out_of_range(index: usize) -> Self {
        FormatError {
            kind: ErrorKind::IndexError,
            message: format!("Replacement index {index} out of range for positional args tuple"),
        }
    }

    /// `str.format_map`'s `ValueError` for a positional field (`'{0}'.format_map(m)`).
    pub fn positional_fields_in_format_map() -> Self {
        FormatError::value("Format string contains positional fields")
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for FormatError {}

/// The code points whose Unicode decimal value is 0 (Unicode 14.0, CPython 3.11's
/// database); each starts a run of ten consecutive decimal digits 0–9.
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// The decimal value of `c` if it is a Unicode decimal digit (any script), as CPython's
/// `Py_UNICODE_TODECIMAL`; widths, precisions and field indexes accept these.
pub(crate) fn decimal_value(c: char) -> Option<u32> {
    let c = c as u32;
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= c);
    if i == 0 {
        return None;
    }
    let zero = DECIMAL_ZEROS[i - 1];
    (c - zero < 10).then_some(c - zero)
}

/// How a character is shown in CPython's "format code" messages: itself when printable
/// ASCII, else `\x` and its hex value.
pub(crate) fn code_display(c: char) -> String {
    let v = c as u32;
    if v > 32 && v < 128 {
        c.to_string()
    } else {
        format!("\\x{v:x}")
    }
}
