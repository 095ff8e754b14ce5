//! The `_thicket_ffi` built-in module: the native half of `cffi` (`lib/cffi/__init__.py`
//! is the Python half, which gives CFFI's names: `from cffi import FFI`).
//!
//! | file | what it holds |
//! |---|---|
//! | `mod.rs` | per-VM state, the cdata box layout and its light destructor, module glue |
//! | `cdecl.rs` | C types and the declaration parser |
//! | `cdata.rs` | cdata objects: conversions, `new`, `cast`, fields, items, `string`... |
//! | `calls.rs` | `dlopen`, calls into C, callbacks, handles, `errno` |
//!
//! A cdata is an instance of the Python class `cffi.CData` whose attribute `_b` is a
//! *box*: an object of a layout registered here, holding the address (or a scalar's
//! value), the ctype index, and what the cdata owns: `malloc`ed memory (`ffi.new`), an
//! object handle (`ffi.new_handle`, callbacks), a libffi closure (`ffi.callback`), a pin
//! (`ffi.from_buffer`). The box's light destructor releases them when it dies, so all
//! of it follows the cdata's life through the collector. The unsafe parts are the box
//! accesses and C memory accesses here and in `cdata.rs`, and the libffi calls (in the
//! `thicket-ffi-bridge` crate).

pub mod calls;
pub mod cdata;
pub mod cdecl;

use crate::vm::{Args, PyResult, Vm};
use cdecl::Types;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use thicket_ffi_bridge::{Callback, HandleTable, RawTable, Signature};
use thicket_gc::{ObjRef, TypeDesc, TypeId};
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// Box fields (offsets): the kept object (reference), the address or scalar value, the
/// ctype index, `malloc`ed memory to free, the array length or owned size, the handle
/// to close, the handle table (for the destructor), flags, the callback to drop.
pub const B_KEEP: usize = 16;
pub const B_PTR: usize = 24;
pub const B_CT: usize = 32;
pub const B_OWNED: usize = 40;
pub const B_LEN: usize = 48;
pub const B_HANDLE: usize = 56;
pub const B_TABLE: usize = 64;
pub const B_FLAGS: usize = 72;
pub const B_CALLBACK: usize = 80;
const B_SIZE: usize = 88;

/// `B_FLAGS`: the kept object is pinned by this box.
pub const F_PINNED: u64 = 1;
/// Owns `B_LEN` bytes at `B_PTR`.
pub const F_OWNING: u64 = 2;
/// A struct or array in memory (`struct point &`).
pub const F_VIEW: u64 = 4;
/// `ffi.from_buffer`.
pub const F_BUFFER: u64 = 8;

/// The per-VM state of the module.
pub struct State {
    pub types: Types,
    pub table: HandleTable,
    pub box_ty: TypeId,
    pub cdata_cls: Value,
    pub ctype_cls: Value,
    pub cdef_error: Value,
    /// Opened libraries: name and `dlopen` handle.
    pub libs: Vec<(String, usize)>,
    /// Prepared signatures by function ctype.
    pub sigs: HashMap<usize, Rc<Signature>>,
    /// `ffi.errno`: saved after each call, restored before the next.
    pub errno: i32,
    /// The symbol of the `_b` attribute (a cdata's box).
    pub box_sym: u32,
}

thread_local! {
    static STATES: RefCell<HashMap<usize, Rc<RefCell<State>>>> = RefCell::new(HashMap::new());
}

/// The module's state for this VM.
pub fn state(vm: &Vm) -> Rc<RefCell<State>> {
    try_state(vm).expect("_thicket_ffi used before import")
}

fn try_state(vm: &Vm) -> Option<Rc<RefCell<State>>> {
    STATES.with(|s| s.borrow().get(&(vm as *const Vm as usize)).cloned())
}

/// Frees what a dead box owns.
///
/// # Safety
/// Called by the collector once, with a dead box.
unsafe fn drop_box(obj: ObjRef) {
    // SAFETY: the box's plain fields are readable until its memory is reused; each
    // resource is released once (the fields are cleared).
    unsafe {
        let owned = obj.field_ptr::<usize>(B_OWNED);
        if *owned != 0 {
            libc::free(*owned as *mut libc::c_void);
            *owned = 0;
        }
        let table = RawTable::from_usize(*obj.field_ptr::<usize>(B_TABLE));
        let handle = obj.field_ptr::<usize>(B_HANDLE);
        if *handle != 0 {
            let _ = table.close(*handle as *const libc::c_void);
            *handle = 0;
        }
        let cb = obj.field_ptr::<usize>(B_CALLBACK);
        if *cb != 0 {
            drop(Box::from_raw(*cb as *mut Callback));
            *cb = 0;
        }
        let flags = obj.field_ptr::<u64>(B_FLAGS);
        if *flags & F_PINNED != 0 {
            if let Some(k) = *obj.field_ptr::<Option<ObjRef>>(B_KEEP) {
                table.defer_unpin(k);
            }
            *flags &= !F_PINNED;
        }
    }
}

/// Creates the module (first import).
pub fn create(vm: &mut Vm) -> Value {
    let desc = TypeDesc::fixed("ffi_cdata", B_SIZE, &[8, B_KEEP]).with_destructor(drop_box);
    let box_ty = vm.sp.heap.register(desc).expect("ffi box layout");
    let table = HandleTable::new(&mut vm.sp.heap);
    let obj = vm.sp.t.object;
    let st = State {
        types: Types::default(),
        table,
        box_ty,
        cdata_cls: obj,
        ctype_cls: obj,
        cdef_error: vm.sp.t.value_error,
        libs: Vec::new(),
        sigs: HashMap::new(),
        errno: 0,
        box_sym: {
            let k = vm.sp.intern("_b");
            vm.sp.str_sym(k) as u32
        },
    };
    let key = vm as *const Vm as usize;
    STATES.with(|s| s.borrow_mut().insert(key, Rc::new(RefCell::new(st))));
    let m = vm.new_module("_thicket_ffi");
    let r = vm.push_root(m);
    let fns: &[(&'static str, crate::vm::NativeFn)] = &[
        ("_init", init),
        ("cdef", cdata::cdef),
        ("typeof", cdata::typeof_),
        ("sizeof", cdata::sizeof),
        ("alignof", cdata::alignof),
        ("new", cdata::new),
        ("cast", cdata::cast),
        ("string", cdata::string),
        ("from_buffer", cdata::from_buffer),
        ("buffer_len", cdata::buffer_len),
        ("buffer_read", cdata::buffer_read),
        ("buffer_write", cdata::buffer_write),
        ("getattr", cdata::getattr),
        ("setattr", cdata::setattr),
        ("getitem", cdata::getitem),
        ("setitem", cdata::setitem),
        ("len", cdata::len),
        ("int", cdata::int),
        ("float", cdata::float),
        ("bool", cdata::bool_),
        ("repr", cdata::repr),
        ("eq", cdata::eq),
        ("hash", cdata::hash),
        ("add", cdata::add),
        ("sub", cdata::sub),
        ("addressof", cdata::addressof),
        ("new_handle", calls::new_handle),
        ("from_handle", calls::from_handle),
        ("open_handles", calls::open_handles),
        ("dlopen", calls::dlopen),
        ("dlsym", calls::dlsym),
        ("call", calls::call),
        ("callback", calls::callback),
        ("get_errno", calls::get_errno),
        ("set_errno", calls::set_errno),
    ];
    for &(name, f) in fns {
        let m = vm.root(r);
        let d = vm.module_dict(m);
        vm.add_native(d, name, f);
    }
    let m = vm.root(r);
    vm.reset_roots(r);
    m
}

/// `_init(CData, CType, CDefError)`: the classes of the Python half; returns `NULL`.
fn init(vm: &mut Vm, a: &Args) -> PyResult {
    crate::vm::types::check_args(vm, a, "_init", 3, 3)?;
    for i in 0..3 {
        if a.get(i).layout() != l::TYPE {
            return Err(vm.type_error("_init() takes classes"));
        }
    }
    {
        let st = state(vm);
        let mut st = st.borrow_mut();
        // Classes are non-moving and kept alive by the `cffi` module.
        st.cdata_cls = a.get(0);
        st.ctype_cls = a.get(1);
        st.cdef_error = a.get(2);
    }
    let vp = cdata::void_ptr(vm);
    Ok(cdata::new_box(vm, vp, 0, 0, None))
}

/// Unpins the objects of buffers that died (their destructors could not).
pub fn release_pins(vm: &mut Vm) {
    let Some(st) = try_state(vm) else { return };
    let objs = st.borrow().table.take_deferred_unpins();
    if objs.is_empty() {
        return;
    }
    vm.sp.heap.scope(|s| {
        for o in objs {
            // SAFETY: a deferred object is still pinned (so alive and in place).
            let h = unsafe { s.from_raw(Some(o)) };
            s.unpin(h);
        }
    });
}
