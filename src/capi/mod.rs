//! The CPython C-API on the interpreter: the functions C extensions call, exported under
//! CPython's names, over the bridge between GC objects and their non-moving proxies.
//!
//! - [`convert`]: GC object ⇄ `PyObject*` (proxies made lazily, linked through the GC's
//!   `extref` table; C-created objects get a GC companion when they first cross over).
//! - [`errors`]: the per-thread error indicator and the `PyErr_*` family.
//! - [`cfunc`]: C functions as Python callables, with every `METH_*` convention.
//! - [`module`]: loading extension modules (`dlopen`, single- and multi-phase init) and
//!   the `PyModule_*` functions.
//! - [`gil`]: the GIL, a real lock that C can release and foreign threads can take.
//! - [`debug`]: the checks of `THICKET_CAPI_DEBUG=1`.
//! - [`capsule`]: `PyCapsule_*`; [`datetime`]: the datetime C-API capsule and the
//!   CPython layout of datetime objects' proxies.
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
pub mod capsule;
pub mod cfunc;
pub mod convert;
pub mod ctype;
pub mod datetime;
pub mod debug;
pub mod errors;
pub mod gil;
pub mod heaptype;
pub mod list_writeback;
pub mod members;
pub mod module;

use crate::vm::Vm;
use std::collections::HashMap;
use std::sync::atomic::{AtomicPtr, Ordering};
use thicket_gc::TypeId;
use thicket_object_model::fxhash::FxHashMap;

/// The C-API state of a VM, made when the first extension module is imported.
pub struct Capi {
    /// Static objects (our exported types and singletons, extensions' static types)
    /// by address → their GC link.
    pub statics: FxHashMap<usize, u32>,
    /// Layout of C functions as Python objects.
    pub cfunc_layout: TypeId,
    /// Layout of slot wrappers (C type slots as special methods).
    pub cslot_layout: TypeId,
    /// Per-module data of extension modules, by module proxy address.
    pub modules: HashMap<usize, module::ModuleInfo>,
    /// Lists handed to the C functions running now (for C's `PyList_SET_ITEM` writes).
    pub handed: list_writeback::Handed,
}

impl Drop for Capi {
    fn drop(&mut self) {
        gil::release();
    }
}

/// The VM C code runs for (set by [`Enter`]; read by whichever thread holds the GIL).
static CURRENT: AtomicPtr<Vm> = AtomicPtr::new(std::ptr::null_mut());

/// The VM that called into C. Valid while C code called by the interpreter runs, from
/// the thread that holds the GIL (the interpreter's, or one C let run meanwhile).
///
/// # Panics
/// If no C code is running on behalf of the interpreter. In debug mode, an API function
/// called by a thread that does not hold the GIL is reported and the process ends.
#[allow(clippy::mut_from_ref)]
#[inline]
pub fn vm<'a>() -> &'a mut Vm {
    if thicket_cpyext::debug::enabled() && !gil::held() {
        gil::report_not_held();
    }
    let p = CURRENT.load(Ordering::Relaxed);
    assert!(
        !p.is_null(),
        "thicket: a C-API function was called with no interpreter running (no GIL)"
    );
    // SAFETY: CURRENT is set by `Enter` for the duration of calls into C; the VM
    // outlives those calls, and only the thread holding the GIL uses it (the GIL's
    // lock orders the accesses of the threads that take turns).
    unsafe { &mut *p }
}

/// Marks the VM as the one C code runs for, until dropped.
pub struct Enter(*mut Vm);

impl Enter {
    /// Enters C on behalf of `vm`.
    pub fn new(vm: &mut Vm) -> Enter {
        Enter(CURRENT.swap(vm as *mut Vm, Ordering::Relaxed))
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        CURRENT.store(self.0, Ordering::Relaxed);
    }
}

/// Makes the C-API state of `vm` if it has none yet.
pub fn ensure_init(vm: &mut Vm) {
    if vm.capi.is_none() {
        gil::acquire();
        if thicket_cpyext::debug::enabled() {
            thicket_cpyext::debug::set_before_abort(flush_before_abort);
        }
        let st = convert::init(vm);
        vm.capi = Some(Box::new(st));
        convert::init_exceptions(vm);
    }
}

/// Flushes the interpreter's output before a debug-mode report ends the process.
fn flush_before_abort() {
    let p = CURRENT.load(Ordering::Relaxed);
    if !p.is_null() && gil::held() {
        // SAFETY: the VM C code runs for, on the thread holding the GIL.
        unsafe { (*p).flush_out() };
    }
}

/// Frees the proxies whose objects died, at a safe point (the collector only queues
/// them): the bias is removed and, if no C reference remains, the object is
/// deallocated through its type.
#[inline]
pub fn release_dead(vm: &mut Vm) {
    if vm.capi.is_none() || !vm.sp.heap.extref_has_dead() {
        return;
    }
    release_dead_slow(vm);
}

/// [`release_dead`] when dead proxies are queued.
#[inline(never)]
fn release_dead_slow(vm: &mut Vm) {
    let _e = Enter::new(vm);
    while let Some(c) = vm.sp.heap.extref_next_dead() {
        // SAFETY: a count word the collector queued: the proxy is still allocated, and
        // its object is gone.
        unsafe {
            let op = c as *mut thicket_cpyext::abi::PyObject;
            *c -= thicket_gc::EXTREF_BIAS;
            if *c < 0 && thicket_cpyext::debug::enabled() {
                thicket_cpyext::debug::fatal(&format!(
                    "refcount underflow: a `{}` object at {op:p} whose Python object died \
                     has count {} (C released references it did not own)",
                    thicket_cpyext::debug::type_name_of(op),
                    *c
                ));
            }
            convert::forget_link(op);
            if let Some(capi) = vm.capi.as_mut() {
                capi.handed.forget(op);
            }
            if *c == 0 {
                convert::forget_borrowed(op);
                thicket_cpyext::statics::_Py_Dealloc(op);
            }
        }
    }
}
