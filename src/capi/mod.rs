//! The CPython C-API on the interpreter: the functions C extensions call, exported under
//! CPython's names, over the bridge between GC objects and their non-moving proxies.
//!
//! - [`convert`]: GC object ⇄ `PyObject*` (proxies made lazily, linked through the GC's
//!   `extref` table; C-created objects get a GC companion when they first cross over).
//! - [`errors`]: the per-thread error indicator and the `PyErr_*` family.
//! - [`cfunc`]: C functions as Python callables, with every `METH_*` convention.
//! - [`module`]: loading extension modules (`dlopen`, single- and multi-phase init) and
//!   the `PyModule_*` functions.
//! - `api_*`: the rest of the API by family.
//!
//! **How API functions stay sound over a moving heap.** A `PyObject*` is a stable handle:
//! whatever moves, the proxy stays, and its link gives the object's current address. An
//! API function converts its arguments to `Value`s, and converts them *again* after any
//! call that can run Python code (which can collect); it never keeps a `Value` across
//! such a call. Results become proxies before anything else runs.

pub mod api_abstract;
pub mod api_concrete;
pub mod api_misc;
pub mod cfunc;
pub mod convert;
pub mod errors;
pub mod module;

use crate::vm::Vm;
use std::collections::HashMap;
use thicket_gc::TypeId;
use thicket_object_model::fxhash::FxHashMap;

/// The C-API state of a VM, made when the first extension module is imported.
pub struct Capi {
    /// Static objects (our exported types and singletons, extensions' static types)
    /// by address → their GC link.
    pub statics: FxHashMap<usize, u32>,
    /// Layout of C functions as Python objects.
    pub cfunc_layout: TypeId,
    /// Per-module data of extension modules, by module proxy address.
    pub modules: HashMap<usize, module::ModuleInfo>,
}

static mut CURRENT: *mut Vm = std::ptr::null_mut();

/// The VM that called into C. Only valid while C code called by the interpreter runs.
///
/// # Panics
/// If no C code is running on behalf of the interpreter (an API function called from a
/// foreign thread without the GIL, or after the interpreter ended).
#[allow(clippy::mut_from_ref)]
pub fn vm<'a>() -> &'a mut Vm {
    // SAFETY: CURRENT is set by `Enter` for the duration of calls into C, from the
    // interpreter's thread; the VM outlives those calls.
    unsafe {
        let p = CURRENT;
        assert!(
            !p.is_null(),
            "thicket: a C-API function was called with no interpreter running (no GIL)"
        );
        &mut *p
    }
}

/// Marks the VM as the one C code runs for, until dropped.
pub struct Enter(*mut Vm);

impl Enter {
    /// Enters C on behalf of `vm`.
    pub fn new(vm: &mut Vm) -> Enter {
        // SAFETY: single interpreter thread; restored on drop.
        unsafe {
            let prev = CURRENT;
            CURRENT = vm as *mut Vm;
            Enter(prev)
        }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        // SAFETY: as in `new`.
        unsafe { CURRENT = self.0 }
    }
}

/// Makes the C-API state of `vm` if it has none yet.
pub fn ensure_init(vm: &mut Vm) {
    if vm.capi.is_none() {
        let st = convert::init(vm);
        vm.capi = Some(Box::new(st));
        convert::init_exceptions(vm);
    }
}

/// Frees the proxies whose objects died, at a safe point (the collector only queues
/// them): the bias is removed and, if no C reference remains, the object is
/// deallocated through its type.
#[inline]
pub fn release_dead(vm: &mut Vm) {
    if vm.capi.is_none() || vm.sp.heap.extref_counts().1 == 0 {
        return;
    }
    let _e = Enter::new(vm);
    while let Some(c) = vm.sp.heap.extref_next_dead() {
        // SAFETY: a count word the collector queued: the proxy is still allocated, and
        // its object is gone.
        unsafe {
            let op = c as *mut thicket_cpyext::abi::PyObject;
            *c -= thicket_gc::EXTREF_BIAS;
            convert::forget_link(op);
            if *c == 0 {
                thicket_cpyext::statics::_Py_Dealloc(op);
            }
        }
    }
}
