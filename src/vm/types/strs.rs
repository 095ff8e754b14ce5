//! Methods of `str`, `bytes` and `bytearray`, and the formatting entry points
//! (`format()` specs, `%`-formatting, `str.format`).

use crate::vm::{Args, PyResult, Vm};
use thicket_object_model::Value;

/// Installs the str/bytes/bytearray methods.
pub fn install(_vm: &mut Vm) {}

/// `bytes(...)`.
pub fn bytes_new(vm: &mut Vm, _a: &Args) -> PyResult {
    Err(vm.type_error("bytes() is not implemented yet"))
}

/// `bytearray(...)`.
pub fn bytearray_new(vm: &mut Vm, _a: &Args) -> PyResult {
    Err(vm.type_error("bytearray() is not implemented yet"))
}

/// `format(v, spec)` for built-in values.
pub fn format_builtin(vm: &mut Vm, v: Value, _spec: &str) -> PyResult {
    vm.to_str(v)
}

/// `fmt % args`.
pub fn percent_format(vm: &mut Vm, _fmt: Value, _args: Value) -> PyResult {
    Err(vm.type_error("% formatting is not implemented yet"))
}
