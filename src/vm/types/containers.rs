//! Methods of `list`, `tuple`, `dict`, `set`, `frozenset` and the dict views.

use crate::vm::Vm;

/// Installs the container methods.
pub fn install(_vm: &mut Vm) {}
