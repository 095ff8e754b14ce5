//! GC objects ⇄ `PyObject*`.
//!
//! [`to_py`] gives an object's proxy, making it on first use: CPython 3.11's layout for
//! ints (30-bit digits), floats, strs (PEP 393 compact, with a UTF-8 copy for non-ASCII
//! text so `PyUnicode_AsUTF8AndSize` stays valid), bytes (`ob_sval` inline), tuples
//! (items inline, owned) and lists (an `ob_item` array of owned items); a bare header
//! for everything else; a `PyHeapTypeObject` for classes. The proxy is linked to the
//! object through the collector (`Heap::extref_link`), so the next lookup is a header
//! read. [`from_py`] goes back: by the link in the proxy's head, by address for static
//! objects, or by *realizing* a C-created object (a GC tuple, list, bytes or str built
//! from its contents, or a companion instance for objects of C types) and linking it.
//!
//! A list proxy's `ob_item` is brought up to date with the GC list each time the list is
//! handed to C; the C-API list functions update both sides. (C code writing a list that
//! Python already sees with `PyList_SET_ITEM` is not reflected back: documented limit.)

use super::Capi;
use crate::vm::Vm;
use std::ffi::CString;
use std::ptr::null_mut;
use thicket_cpyext::abi::*;
use thicket_cpyext::proxy::{self, head, LIVE, NO_LINK};
use thicket_cpyext::statics::{self, *};
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// PEP 393 `state` bits.
const KIND_SHIFT: u32 = 2;
const COMPACT: u32 = 1 << 5;
const ASCII: u32 = 1 << 6;
const READY: u32 = 1 << 7;

fn capi(vm: &mut Vm) -> &mut Capi {
    vm.capi.as_mut().expect("C-API not initialised")
}

/// Builds the C-API state: links every static type and singleton to its GC object.
pub fn init(vm: &mut Vm) -> Capi {
    let cfunc_layout = super::cfunc::register_layout(vm);
    let cslot_layout = super::ctype::register_layout(vm);
    let mut st = Capi {
        statics: Default::default(),
        cfunc_layout,
        cslot_layout,
        handed: Default::default(),
        modules: Default::default(),
    };
    let table = thicket_object_model::builtin_types::BUILTIN_TYPE_TABLE;
    let all = vm.sp.t.all();
    let by_name = |n: &str| {
        table
            .iter()
            .zip(all.iter())
            .find(|(e, _)| e.1 == n)
            .map(|(_, v)| *v)
    };
    let mut pairs: Vec<(*mut PyObject, Value)> = Vec::new();
    for (ty, name) in statics::static_types() {
        if let Some(v) = by_name(&name.to_string_lossy()) {
            pairs.push((ty as *mut PyObject, v));
        }
    }
    pairs.push((&raw mut _Py_NoneStruct, vm.sp.none));
    pairs.push((&raw mut _Py_TrueStruct as *mut PyObject, vm.sp.true_));
    pairs.push((&raw mut _Py_FalseStruct as *mut PyObject, vm.sp.false_));
    pairs.push((&raw mut _Py_NotImplementedStruct, vm.sp.not_implemented));
    pairs.push((&raw mut _Py_EllipsisObject, vm.sp.ellipsis));
    for (p, v) in pairs {
        // SAFETY: `v` is a live immortal object; the static's count word lives forever.
        let idx = unsafe { vm.sp.heap.extref_link(v.0, p as *mut isize) }
            .expect("linking a static object");
        st.statics.insert(p as usize, idx);
    }
    st
}

/// Sets the `PyExc_*` variables (permanent references to the exception types).
pub fn init_exceptions(vm: &mut Vm) {
    let table = thicket_object_model::builtin_types::BUILTIN_TYPE_TABLE;
    let all = vm.sp.t.all();
    for (slot_name, slot) in super::errors::exception_slots() {
        let Some(v) = table
            .iter()
            .zip(all.iter())
            .find(|(e, _)| e.1 == slot_name)
            .map(|(_, v)| *v)
        else {
            continue;
        };
        let p = new_ref(vm, v);
        // SAFETY: the exported variable, written once at initialisation.
        unsafe { *slot = p };
    }
}

/// The proxy of `v` (a borrowed reference: valid while `v` lives).
pub fn to_py(vm: &mut Vm, v: Value) -> *mut PyObject {
    // SAFETY: `v` is a live object of this heap.
    if let Some(c) = unsafe { vm.sp.heap.extref_proxy_of(v.0) } {
        let p = c as *mut PyObject;
        match v.layout() {
            l::LIST => {
                sync_list(vm, v, p);
                // SAFETY: a list proxy just synchronised.
                unsafe { super::list_writeback::handed(vm, p) };
            }
            l::DICT => sync_dict_size(vm, v, p),
            _ => {}
        }
        return p;
    }
    let p = make_proxy(vm, v);
    match v.layout() {
        // SAFETY: a fresh list proxy, synchronised by `make_proxy`.
        l::LIST => unsafe { super::list_writeback::handed(vm, p) },
        l::DICT => sync_dict_size(vm, v, p),
        _ => {}
    }
    p
}

/// Offset of `PyDictObject.ma_used`, which `PyDict_GET_SIZE` reads.
const MA_USED: usize = 16;

/// Brings the `ma_used` of dict proxy `p` up to date with dict `v` (done each time the
/// dict is handed to C, and by the C-API functions that change a dict).
pub fn sync_dict_size(vm: &mut Vm, v: Value, p: *mut PyObject) {
    let n = vm.sp.dict_len(v) as isize;
    // SAFETY: dict proxies are `PyDictObject`-sized (48 bytes).
    unsafe { *((p as *mut u8).add(MA_USED) as *mut isize) = n };
}

/// The proxy of `v` with a new reference for the caller.
pub fn new_ref(vm: &mut Vm, v: Value) -> *mut PyObject {
    let p = to_py(vm, v);
    // SAFETY: a live proxy.
    unsafe { incref(p) };
    p
}

fn link(vm: &mut Vm, v: Value, p: *mut PyObject) {
    // SAFETY: `v` is live; `p` is a proxy from `proxy::alloc`, freed only after the
    // collector reports the link dead.
    unsafe {
        let idx = vm
            .sp
            .heap
            .extref_link(v.0, p as *mut isize)
            .unwrap_or_else(|e| panic!("thicket: cannot link a C proxy: {e}"));
        (*head(p)).link = idx;
    }
}

/// Forgets a dead proxy's link (its object is gone).
///
/// # Safety
/// `op` must be a proxy that the collector reported dead.
pub unsafe fn forget_link(op: *mut PyObject) {
    // SAFETY: statics have no head; every other proxy comes from `proxy::alloc`.
    unsafe {
        if is_static_addr(op) {
            return;
        }
        (*head(op)).link = NO_LINK;
    }
}

fn is_static_addr(op: *mut PyObject) -> bool {
    let c = super::vm().capi.as_ref();
    c.is_some_and(|c| c.statics.contains_key(&(op as usize)))
}

fn make_proxy(vm: &mut Vm, v: Value) -> *mut PyObject {
    if let (l::INT, Some(x)) = (v.layout(), vm.sp.small_int(v)) {
        // An exact int (the most common argument).
        let p = new_long_raw(x);
        link(vm, v, p);
        return p;
    }
    if v.layout() == l::TYPE {
        return type_proxy(vm, v);
    }
    let tp = to_py(vm, v.ty()) as *mut PyTypeObject;
    let b = vm.unwrap_builtin(v);
    let p = match b.layout() {
        l::INT | l::BIGINT => long_proxy(vm, b),
        l::FLOAT => {
            let p = proxy::alloc(std::mem::size_of::<PyFloatObject>(), LIVE) as *mut PyFloatObject;
            // SAFETY: a fresh float-sized block.
            unsafe { (*p).ob_fval = vm.sp.float_value(b) };
            p as *mut PyObject
        }
        l::STR => str_proxy(vm, b),
        l::BYTES => bytes_proxy(vm.sp.bytes_of(b)),
        l::TUPLE => {
            // An exact tuple's proxy borrows its items: the GC tuple holds them, so
            // their proxies live as long as it does, and no reference cycle through
            // the proxy can keep the tuple alive. A subclass's proxy owns them.
            let exact = v.layout() == l::TUPLE;
            let n = vm.sp.tuple_len(b);
            let p = new_tuple_raw(n);
            for i in 0..n {
                let it = vm.sp.tuple_items(b)[i];
                let ip = if exact {
                    to_py(vm, it)
                } else {
                    new_ref(vm, it)
                };
                // SAFETY: a tuple of `n` slots.
                unsafe { tuple_items(p).add(i).write(ip) };
            }
            p
        }
        l::LIST => {
            let p = proxy::alloc(std::mem::size_of::<PyListObject>(), LIVE);
            // SAFETY: a fresh list-sized block; `ob_item` starts null.
            unsafe { (*p).ob_type = &raw mut PyList_Type };
            sync_list(vm, b, p);
            p
        }
        _ if let Some(p) = super::datetime::proxy_of(vm, v, tp) => p,
        _ => {
            // SAFETY: `tp` is a type object.
            let size = unsafe { (*tp).tp_basicsize }.max(16) as usize;
            proxy::alloc(size, LIVE)
        }
    };
    assert!(!p.is_null(), "thicket: out of memory making a C proxy");
    // SAFETY: a fresh proxy.
    unsafe { (*p).ob_type = tp };
    link(vm, v, p);
    p
}

fn long_proxy(vm: &mut Vm, v: Value) -> *mut PyObject {
    if let Some(x) = vm.sp.small_int(v) {
        return new_long_raw(x);
    }
    let b = vm.sp.to_bigint(v);
    let (sign, mag) = b.to_u32_digits();
    // Re-pack 32-bit limbs into 30-bit digits.
    let mut digits: Vec<u32> = Vec::new();
    let (mut acc, mut bits) = (0u64, 0u32);
    for d in mag {
        acc |= (d as u64) << bits;
        bits += 32;
        while bits >= 30 {
            digits.push((acc & 0x3FFF_FFFF) as u32);
            acc >>= 30;
            bits -= 30;
        }
    }
    if bits > 0 && acc != 0 {
        digits.push(acc as u32);
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let n = digits.len();
    let p = proxy::alloc(24 + 4 * n.max(1), LIVE) as *mut PyLongObject;
    // SAFETY: a block with room for `n` digits.
    unsafe {
        let size = if sign == num_bigint::Sign::Minus {
            -(n as isize)
        } else {
            n as isize
        };
        (*p).ob_base.ob_size = size;
        let d = (&raw mut (*p).ob_digit) as *mut u32;
        for (i, x) in digits.iter().enumerate() {
            d.add(i).write(*x);
        }
    }
    p as *mut PyObject
}

/// An int object of value `x` (30-bit digits), count 0, not linked.
#[inline]
pub fn new_long_raw(x: i64) -> *mut PyObject {
    let mag = x.unsigned_abs();
    if mag < 1 << 30 {
        // One digit (or zero): the common case, without the loop; every byte is
        // written here, so the block is not cleared first.
        // SAFETY: all 28 bytes are initialised below.
        let p = unsafe { proxy::alloc_uninit(28, LIVE) } as *mut PyLongObject;
        assert!(!p.is_null(), "thicket: out of memory");
        // SAFETY: a fresh block with room for one digit.
        unsafe {
            (*p).ob_base.ob_base.ob_refcnt = 0;
            (*p).ob_base.ob_base.ob_type = &raw mut PyLong_Type;
            (*p).ob_base.ob_size = x.signum() as isize;
            *((&raw mut (*p).ob_digit) as *mut u32) = mag as u32;
        }
        return p as *mut PyObject;
    }
    let n = (64 - mag.leading_zeros()).div_ceil(30) as usize;
    let p = proxy::alloc(24 + 4 * n.max(1), LIVE) as *mut PyLongObject;
    assert!(!p.is_null(), "thicket: out of memory");
    // SAFETY: a fresh block with room for `n` digits.
    unsafe {
        (*p).ob_base.ob_base.ob_type = &raw mut PyLong_Type;
        (*p).ob_base.ob_size = if x < 0 { -(n as isize) } else { n as isize };
        let d = (&raw mut (*p).ob_digit) as *mut u32;
        for i in 0..n {
            *d.add(i) = ((mag >> (30 * i)) & 0x3FFF_FFFF) as u32;
        }
    }
    p as *mut PyObject
}

/// The value of an int object's digits, if it fits an `i64`.
///
/// # Safety
/// `p` must be an object with the int layout (`ob_size` signed digit count, 30-bit
/// digits).
#[inline]
pub unsafe fn long_value(p: *mut PyObject) -> Option<i64> {
    // SAFETY: caller's contract.
    unsafe {
        let size = (*(p as *mut PyVarObject)).ob_size;
        if (-1..=1).contains(&size) {
            let d = *((&raw const (*(p as *mut PyLongObject)).ob_digit) as *const u32) as i64;
            return Some(d * size as i64);
        }
        let n = size.unsigned_abs();
        if n > 3 {
            return None;
        }
        let d = (&raw const (*(p as *mut PyLongObject)).ob_digit) as *const u32;
        let mut mag: i128 = 0;
        for i in (0..n).rev() {
            mag = (mag << 30) | *d.add(i) as i128;
        }
        i64::try_from(if size < 0 { -mag } else { mag }).ok()
    }
}

/// A compact string proxy of `v`'s text.
fn str_proxy(vm: &mut Vm, v: Value) -> *mut PyObject {
    let s = vm.sp.str_of(v);
    let n = vm.sp.str_nchars(v);
    if s.len() == n {
        let p = proxy::alloc(std::mem::size_of::<PyASCIIObject>() + n + 1, LIVE);
        // SAFETY: a block with room for the header, `n` bytes and a NUL.
        unsafe {
            let a = p as *mut PyASCIIObject;
            (*a).length = n as isize;
            (*a).hash = -1;
            (*a).state = (1 << KIND_SHIFT) | COMPACT | ASCII | READY;
            let data = (a as *mut u8).add(std::mem::size_of::<PyASCIIObject>());
            std::ptr::copy_nonoverlapping(s.as_ptr(), data, n);
        }
        return p;
    }
    let max = s.chars().map(|c| c as u32).max().unwrap_or(0);
    let kind: usize = if max < 0x100 {
        1
    } else if max < 0x10000 {
        2
    } else {
        4
    };
    let hdr = std::mem::size_of::<PyCompactUnicodeObject>();
    let p = proxy::alloc(hdr + (n + 1) * kind, LIVE);
    // SAFETY: a block with room for the header and `n + 1` code units of `kind` bytes;
    // the UTF-8 copy is malloc'd with its NUL.
    unsafe {
        let c = p as *mut PyCompactUnicodeObject;
        (*c)._base.length = n as isize;
        (*c)._base.hash = -1;
        (*c)._base.state = ((kind as u32) << KIND_SHIFT) | COMPACT | READY;
        let data = (c as *mut u8).add(hdr);
        for (i, ch) in s.chars().enumerate() {
            let u = ch as u32;
            match kind {
                1 => *data.add(i) = u as u8,
                2 => *(data as *mut u16).add(i) = u as u16,
                _ => *(data as *mut u32).add(i) = u,
            }
        }
        let u = libc::malloc(s.len() + 1) as *mut u8;
        assert!(!u.is_null(), "thicket: out of memory");
        std::ptr::copy_nonoverlapping(s.as_ptr(), u, s.len());
        *u.add(s.len()) = 0;
        (*c).utf8 = u as *mut std::ffi::c_char;
        (*c).utf8_length = s.len() as isize;
    }
    p
}

/// A bytes object (C-first) holding `b`.
pub fn bytes_proxy(b: &[u8]) -> *mut PyObject {
    let p = new_bytes_raw(b.len());
    // SAFETY: room for `b.len()` bytes plus NUL.
    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), bytes_data(p), b.len()) };
    p
}

/// A zero-filled bytes object of `n` bytes, not linked (C fills it).
pub fn new_bytes_raw(n: usize) -> *mut PyObject {
    let p = proxy::alloc(32 + n + 1, LIVE);
    assert!(!p.is_null(), "thicket: out of memory");
    // SAFETY: a fresh bytes-sized block.
    unsafe {
        (*p).ob_refcnt = 0;
        (*p).ob_type = &raw mut PyBytes_Type;
        (*(p as *mut PyVarObject)).ob_size = n as isize;
        (*(p as *mut PyBytesObject)).ob_shash = -1;
    }
    p
}

/// The data of a bytes object.
///
/// # Safety
/// `p` must be a bytes object.
pub unsafe fn bytes_data(p: *mut PyObject) -> *mut u8 {
    // SAFETY: caller's contract.
    unsafe { (&raw mut (*(p as *mut PyBytesObject)).ob_sval) as *mut u8 }
}

/// A tuple of `n` null items, count 0, not linked.
pub fn new_tuple_raw(n: usize) -> *mut PyObject {
    let p = proxy::alloc(24 + 8 * n.max(1), LIVE);
    assert!(!p.is_null(), "thicket: out of memory");
    // SAFETY: a fresh tuple-sized block.
    unsafe {
        (*p).ob_type = &raw mut PyTuple_Type;
        (*(p as *mut PyVarObject)).ob_size = n as isize;
    }
    p
}

/// The item slots of a tuple.
///
/// # Safety
/// `p` must be a tuple.
pub unsafe fn tuple_items(p: *mut PyObject) -> *mut *mut PyObject {
    // SAFETY: caller's contract.
    unsafe { (&raw mut (*(p as *mut PyTupleObject)).ob_item) as *mut *mut PyObject }
}

/// Brings a list proxy's `ob_item` up to date with the GC list `v`.
fn sync_list(vm: &mut Vm, v: Value, p: *mut PyObject) {
    let v = vm.unwrap_builtin(v);
    let n = vm.sp.list_len(v);
    // SAFETY: `p` is a list proxy whose `ob_item` is null or a malloc'd array of
    // `allocated` slots, the first `ob_size` owned references.
    unsafe {
        let lp = p as *mut PyListObject;
        if (*lp).allocated < n as isize {
            let cap = n.max(4);
            let a =
                libc::realloc((*lp).ob_item as *mut libc::c_void, cap * 8) as *mut *mut PyObject;
            assert!(!a.is_null(), "thicket: out of memory");
            for i in (*lp).allocated as usize..cap {
                *a.add(i) = null_mut();
            }
            (*lp).ob_item = a;
            (*lp).allocated = cap as isize;
        }
        let old = (*lp).ob_base.ob_size as usize;
        for i in 0..n {
            let it = vm.sp.list_items(v)[i];
            let ip = to_py(vm, it);
            let slot = (*lp).ob_item.add(i);
            if *slot != ip {
                incref(ip);
                let prev = *slot;
                *slot = ip;
                if i < old {
                    decref_opt(prev);
                }
            }
        }
        for i in n..old {
            let slot = (*lp).ob_item.add(i);
            decref_opt(*slot);
            *slot = null_mut();
        }
        (*lp).ob_base.ob_size = n as isize;
    }
}

/// A `PyHeapTypeObject` proxy for the class `t`.
fn type_proxy(vm: &mut Vm, t: Value) -> *mut PyObject {
    // SAFETY: TYPE layout: a tuple of bases (empty for `object`).
    let bases = unsafe { t.get_ref(l::TYPE_BASES) };
    let base_v = bases.and_then(|b| vm.sp.tuple_items(b).first().copied());
    let base = match base_v {
        Some(b) => to_py(vm, b) as *mut PyTypeObject,
        None => &raw mut PyBaseObject_Type,
    };
    let name = CString::new(vm.sp.type_name(t).to_owned()).unwrap_or_default();
    let is_exc = vm.sp.is_subtype(t, vm.sp.t.base_exception) || t.is(vm.sp.t.base_exception);
    let p = proxy::alloc(std::mem::size_of::<PyHeapTypeObject>(), LIVE);
    assert!(!p.is_null(), "thicket: out of memory");
    // SAFETY: a fresh heap-type-sized block; `base` is a ready type object.
    unsafe {
        let h = p as *mut PyHeapTypeObject;
        let ty = &mut (*h).ht_type;
        ty.ob_base.ob_base.ob_type = &raw mut PyType_Type;
        ty.tp_name = name.into_raw();
        (*h)._ht_tpname = ty.tp_name as *mut std::ffi::c_char;
        ty.tp_basicsize = (*base).tp_basicsize;
        ty.tp_itemsize = (*base).tp_itemsize;
        ty.tp_dealloc = (*base).tp_dealloc;
        let inherit = (*base).tp_flags
            & (Py_TPFLAGS_LONG_SUBCLASS
                | Py_TPFLAGS_LIST_SUBCLASS
                | Py_TPFLAGS_TUPLE_SUBCLASS
                | Py_TPFLAGS_BYTES_SUBCLASS
                | Py_TPFLAGS_UNICODE_SUBCLASS
                | Py_TPFLAGS_DICT_SUBCLASS
                | Py_TPFLAGS_TYPE_SUBCLASS
                | Py_TPFLAGS_HAVE_GC);
        ty.tp_flags = Py_TPFLAGS_HEAPTYPE
            | Py_TPFLAGS_BASETYPE
            | Py_TPFLAGS_READY
            | inherit
            | if is_exc {
                Py_TPFLAGS_BASE_EXC_SUBCLASS
            } else {
                0
            };
        ty.tp_base = base;
        ty.tp_as_number = &raw mut (*h).as_number;
        ty.tp_as_sequence = &raw mut (*h).as_sequence;
        ty.tp_as_mapping = &raw mut (*h).as_mapping;
        ty.tp_as_buffer = &raw mut (*h).as_buffer;
        ty.tp_alloc = (*base).tp_alloc;
        ty.tp_free = (*base).tp_free;
    }
    link(vm, t, p);
    p
}

/// The GC object of `p`.
///
/// # Safety
/// `p` must be a live object: a proxy, a C-created object, or a static object.
pub unsafe fn from_py(vm: &mut Vm, p: *mut PyObject) -> Value {
    assert!(!p.is_null(), "thicket: NULL object passed to the C-API");
    if p == &raw mut _Py_NoneStruct {
        return vm.sp.none;
    }
    // SAFETY: caller's contract.
    unsafe {
        let tp = (*p).ob_type;
        if (*tp).tp_flags & Py_TPFLAGS_TYPE_SUBCLASS != 0 || is_singleton_type(tp) {
            if let Some(&idx) = capi(vm).statics.get(&(p as usize)) {
                if let Some(o) = vm.sp.heap.extref_object(idx) {
                    return Value(o);
                }
            }
            if (*tp).tp_flags & Py_TPFLAGS_TYPE_SUBCLASS != 0
                && (*(p as *mut PyTypeObject)).tp_flags & Py_TPFLAGS_HEAPTYPE == 0
            {
                // A static type of an extension that was never readied.
                return super::api_misc::ready_static_type(vm, p as *mut PyTypeObject);
            }
        }
        let h = head(p);
        thicket_cpyext::debug::check_live(p);
        if (*h).link != NO_LINK {
            if let Some(o) = vm.sp.heap.extref_object((*h).link) {
                return Value(o);
            }
        }
        if tp == &raw mut PyLong_Type {
            // A C-first int that fits a machine word is converted by value and stays
            // unlinked: it lives by C's references alone, and no link is made and
            // broken for every int C passes to the API (ints have no identity to keep).
            if let Some(x) = long_value(p) {
                return vm.sp.new_int(x);
            }
        }
        realize(vm, p)
    }
}

fn is_singleton_type(tp: *mut PyTypeObject) -> bool {
    std::ptr::eq(tp, &raw mut _PyNone_Type)
        || std::ptr::eq(tp, &raw mut PyBool_Type)
        || std::ptr::eq(tp, &raw mut _PyNotImplemented_Type)
        || std::ptr::eq(tp, &raw mut PyEllipsis_Type)
}

/// Gives a C-created object its GC counterpart, and links them.
///
/// # Safety
/// `p` must be a live unlinked object from `proxy::alloc`.
unsafe fn realize(vm: &mut Vm, p: *mut PyObject) -> Value {
    // SAFETY: caller's contract; each branch reads the layout of the object's type.
    unsafe {
        let tp = (*p).ob_type;
        let v = if tp == &raw mut PyTuple_Type {
            let n = (*(p as *mut PyVarObject)).ob_size as usize;
            let items = tuple_items(p);
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                let it = *items.add(i);
                if it.is_null() {
                    panic!("thicket: a tuple made by C reached Python with item {i} unset (NULL)");
                }
                vals.push(from_py(vm, it));
            }
            vm.sp.new_tuple(&vals)
        } else if tp == &raw mut PyList_Type {
            let lp = p as *mut PyListObject;
            let n = (*lp).ob_base.ob_size as usize;
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                let it = *(*lp).ob_item.add(i);
                if it.is_null() {
                    panic!("thicket: a list made by C reached Python with item {i} unset (NULL)");
                }
                vals.push(from_py(vm, it));
            }
            vm.sp.new_list(&vals)
        } else if tp == &raw mut PyLong_Type {
            match long_value(p) {
                Some(x) => vm.sp.new_int(x),
                None => {
                    let size = (*(p as *mut PyVarObject)).ob_size;
                    let d = (&raw const (*(p as *mut PyLongObject)).ob_digit) as *const u32;
                    let mut b = num_bigint::BigInt::from(0);
                    for i in (0..size.unsigned_abs()).rev() {
                        b = (b << 30) + *d.add(i);
                    }
                    vm.int_from(if size < 0 { -b } else { b })
                }
            }
        } else if tp == &raw mut PyBytes_Type {
            let n = (*(p as *mut PyVarObject)).ob_size as usize;
            let b = std::slice::from_raw_parts(bytes_data(p), n).to_vec();
            vm.sp.new_bytes(&b)
        } else if tp == &raw mut PyUnicode_Type {
            let s = unicode_text(p);
            vm.new_str(&s)
        } else {
            super::api_misc::companion(vm, p)
        };
        // Shared immutable objects (small ints, the empty string or tuple, one-character
        // strings...) may have a proxy already: left unlinked, this one converts to the
        // same object every time, and lives by C's references alone.
        if vm.sp.heap.extref_proxy_of(v.0).is_some() {
            return v;
        }
        link(vm, v, p);
        if tp == &raw mut PyTuple_Type {
            // Once linked, an exact tuple's proxy borrows its items (see `make_proxy`):
            // the references C gave it pass to the GC tuple.
            let items = tuple_items(p);
            for i in 0..(*(p as *mut PyVarObject)).ob_size as usize {
                decref(*items.add(i));
            }
        } else if tp == &raw mut PyList_Type {
            // A list C made, now Python's too: recorded like a list handed to C.
            super::list_writeback::handed(vm, p);
        }
        v
    }
}

/// Prepares a proxy whose object died for deallocation: an exact tuple's items are
/// borrowed (see `make_proxy`), so they are forgotten rather than released.
///
/// # Safety
/// `op` must be a proxy the collector reported dead, about to be deallocated.
pub unsafe fn forget_borrowed(op: *mut PyObject) {
    // SAFETY: caller's contract; the tuple layout is checked by type.
    unsafe {
        if (*op).ob_type == &raw mut PyTuple_Type {
            let items = tuple_items(op);
            for i in 0..(*(op as *mut PyVarObject)).ob_size as usize {
                *items.add(i) = null_mut();
            }
        }
    }
}

/// The text of a compact string object (ours or C-filled).
///
/// # Safety
/// `p` must be a ready compact string.
pub unsafe fn unicode_text(p: *mut PyObject) -> String {
    // SAFETY: caller's contract: the PEP 393 compact layout.
    unsafe {
        let a = p as *mut PyASCIIObject;
        let n = (*a).length as usize;
        let kind = ((*a).state >> KIND_SHIFT) & 7;
        let data = unicode_data(p);
        let mut s = String::with_capacity(n);
        for i in 0..n {
            let u = match kind {
                1 => *data.add(i) as u32,
                2 => *(data as *const u16).add(i) as u32,
                _ => *(data as *const u32).add(i),
            };
            s.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
        }
        s
    }
}

/// The character data of a compact string.
///
/// # Safety
/// `p` must be a compact string.
pub unsafe fn unicode_data(p: *mut PyObject) -> *mut u8 {
    // SAFETY: caller's contract.
    unsafe {
        let a = p as *mut PyASCIIObject;
        if (*a).state & ASCII != 0 {
            (a as *mut u8).add(std::mem::size_of::<PyASCIIObject>())
        } else {
            (a as *mut u8).add(std::mem::size_of::<PyCompactUnicodeObject>())
        }
    }
}

/// A new, unlinked compact string of `size` code points of at most `maxchar`.
pub fn new_unicode_raw(size: usize, maxchar: u32) -> *mut PyObject {
    let (kind, ascii) = if maxchar < 0x80 {
        (1, true)
    } else if maxchar < 0x100 {
        (1, false)
    } else if maxchar < 0x10000 {
        (2, false)
    } else {
        (4, false)
    };
    let hdr = if ascii {
        std::mem::size_of::<PyASCIIObject>()
    } else {
        std::mem::size_of::<PyCompactUnicodeObject>()
    };
    let p = proxy::alloc(hdr + (size + 1) * kind, LIVE);
    assert!(!p.is_null(), "thicket: out of memory");
    // SAFETY: a fresh string-sized block.
    unsafe {
        (*p).ob_type = &raw mut PyUnicode_Type;
        let a = p as *mut PyASCIIObject;
        (*a).length = size as isize;
        (*a).hash = -1;
        (*a).state =
            ((kind as u32) << KIND_SHIFT) | COMPACT | READY | if ascii { ASCII } else { 0 };
    }
    p
}
