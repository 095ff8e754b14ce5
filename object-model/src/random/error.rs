//! The error the `random` module raises: a Python exception class and CPython 3.11's
//! message text, for the interpreter to turn into a real exception object.

use std::fmt;

/// The Python exception class of a [`RandError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RandErrorKind {
    /// `ValueError`.
    ValueError,
    /// `IndexError`.
    IndexError,
    /// `TypeError`.
    TypeError,
    /// `ZeroDivisionError`.
    ZeroDivisionError,
    /// `OverflowError`.
    OverflowError,
}

impl RandErrorKind {
    /// The Python class name, e.g. `"ValueError"`.
    pub fn class_name(self) -> &'static str {
        match self {
            RandErrorKind::ValueError => "ValueError",
            RandErrorKind::IndexError => "IndexError",
            RandErrorKind::TypeError => "TypeError",
            RandErrorKind::ZeroDivisionError => "ZeroDivisionError",
            RandErrorKind::OverflowError => "OverflowError",
        }
    }
}

/// A Python exception raised by a `random` operation: its class and message, with
/// CPython 3.11.7's wording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RandError {
    /// The exception class.
    pub kind: RandErrorKind,
    /// The exception message (`str(exc)`).
    pub message: String,
}

impl RandError {
    /// An error of the given class and message.
    pub fn new(kind: RandErrorKind, message: impl Into<String>) -> Self {
        RandError {
            kind,
            message: message.into(),
        }
    }

    /// A `ValueError`.
    pub fn value(message: impl Into<String>) -> Self {
        Self::new(RandErrorKind::ValueError, message)
    }

    /// An `IndexError`.
    pub fn index(message: impl Into<String>) -> Self {
        Self::new(RandErrorKind::IndexError, message)
    }

    /// A `TypeError`.
    pub fn type_error(message: impl Into<String>) -> Self {
        Self::new(RandErrorKind::TypeError, message)
    }

    /// `ZeroDivisionError: float division by zero`.
    pub fn float_division_by_zero() -> Self {
        Self::new(RandErrorKind::ZeroDivisionError, "float division by zero")
    }

    /// The `TypeError` `random.seed()` raises for a seed that is not None, int, float,
    /// str, bytes or bytearray.
    pub fn bad_seed_type() -> Self {
        Self::type_error(
            "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.",
        )
    }

    /// The `ValueError` `getrandbits()` raises for a negative bit count.
    pub fn negative_bit_count() -> Self {
        Self::value("number of bits must be non-negative")
    }

    /// The `TypeError` `sample()` raises when the population is not a sequence.
    pub fn population_not_sequence() -> Self {
        Self::type_error("Population must be a sequence.  For dicts or sets, use sorted(d).")
    }

    /// The `ValueError` `setstate()` raises for a state of another version.
    pub fn state_version(version: &str) -> Self {
        Self::value(format!(
            "state with version {version} passed to Random.setstate() of version {}",
            super::STATE_VERSION
        ))
    }
}

impl fmt::Display for RandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.class_name(), self.message)
    }
}

impl std::error::Error for RandError {}
