//! Built-in modules written in Rust: `sys`, `gc`, `math`, `time`, `random`.

pub mod gc;
pub mod sys;

use super::{PyResult, Vm};
use thicket_object_model::Value;

/// Creates the modules that exist from the start (`sys`).
pub fn install(vm: &mut Vm) {
    sys::install(vm);
}

/// Creates built-in module `name` on first import (`None`: not a built-in module).
pub fn create_builtin(vm: &mut Vm, name: &str) -> PyResult<Option<Value>> {
    Ok(match name {
        "gc" => Some(gc::create(vm)),
        _ => None,
    })
}
