//! `_thicket_frames`: where the running Python frames are, for the pure-Python
//! `warnings` module (`lib/warnings.py`), which needs its caller's file, line and
//! globals as CPython's `sys._getframe(n)` would give them. Frame objects do not exist
//! in Thicket, so this answers with plain values instead.

use crate::vm::frame::F_GLOBALS;
use crate::vm::{types, Args, PyResult, Vm};
use thicket_object_model::Value;

/// Creates the module.
pub fn create(vm: &mut Vm) -> Value {
    let m = vm.new_module("_thicket_frames");
    let d = vm.module_dict(m);
    vm.add_native(d, "caller", caller);
    m
}

/// `caller(depth=0)`: `(filename, lineno, globals)` of the Python frame `depth` levels
/// below the innermost one (0: the function calling `caller`), as `sys._getframe(depth)`
/// would see it; `None` when the stack is not that deep.
fn caller(vm: &mut Vm, a: &Args) -> PyResult {
    types::check_args(vm, a, "caller", 0, 1)?;
    types::no_kw(vm, a, "caller")?;
    let depth = match a.opt(0) {
        Some(v) => vm.index_value(v)?,
        None => 0,
    };
    let n = vm.frame_stack.len() as i64;
    if depth < 0 || depth >= n {
        return Ok(vm.sp.none);
    }
    let (base, ci, pc) = vm.frame_stack[(n - 1 - depth) as usize];
    let ss = vm.sp.heap.shadow_stack();
    debug_assert!(base + F_GLOBALS < ss.len());
    // SAFETY: the globals slot of a running frame, below the stack's length.
    let globals = unsafe { (*ss.base.add(base + F_GLOBALS)).map(Value) };
    let Some(globals) = globals else {
        return Ok(vm.sp.none);
    };
    let code = vm.codes[ci].clone();
    // `pc` is the instruction after the one calling out.
    let line = code.line_at(pc.saturating_sub(1));
    let file = vm.sp.new_str(&code.filename);
    let line = vm.sp.new_int(line as i64);
    Ok(vm.sp.new_tuple(&[file, line, globals]))
}
