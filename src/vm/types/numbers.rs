//! Methods of `int`, `bool` and `float` (`bit_length`, `to_bytes`, `is_integer`,
//! `as_integer_ratio`, `conjugate`, ...).

use crate::vm::Vm;

/// Installs the number methods.
pub fn install(_vm: &mut Vm) {}
