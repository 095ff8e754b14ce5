//! Proxy memory: every `PyObject` the runtime allocates (proxies of GC objects, objects
//! created by C through `tp_alloc`, `PyObject_Malloc` blocks) is preceded by a 16-byte
//! [`ProxyHead`] holding what Thicket needs — the GC link and a state word — so that the
//! object's own bytes are exactly CPython's. Static objects (types and singletons) have
//! no head; the runtime recognises them by address.
//!
//! Freed memory is poisoned and, in debug mode (`THICKET_CAPI_DEBUG=1`), quarantined:
//! kept mapped with a `FREED` state for a while, so a later use through the API is
//! reported instead of corrupting a reused block (see [`crate::debug`]).

use crate::abi::PyObject;
use std::sync::atomic::{AtomicU8, Ordering};

/// What Thicket keeps before each object it allocates.
#[repr(C)]
pub struct ProxyHead {
    /// The GC link index, or [`NO_LINK`].
    pub link: u32,
    /// [`LIVE`], [`RAW`] or [`FREED`].
    pub state: u32,
    /// Bytes allocated after the head.
    pub size: usize,
}

/// Size of the head (keeps objects 16-byte aligned).
pub const HEAD: usize = std::mem::size_of::<ProxyHead>();
/// No GC object is linked.
pub const NO_LINK: u32 = u32::MAX;
/// An allocated object.
pub const LIVE: u32 = 0x0B1E_C7A1;
/// A `PyObject_Malloc` block that is not (yet) an object.
pub const RAW: u32 = 0x0B1E_C7A2;
/// Freed (seen only in quarantine).
pub const FREED: u32 = 0xDEAD_0B1E;
/// Byte written over freed memory.
pub const POISON: u8 = 0xDB;

static DEBUG: AtomicU8 = AtomicU8::new(2);

/// Whether `THICKET_CAPI_DEBUG` is set (read once).
#[inline]
pub fn debug() -> bool {
    match DEBUG.load(Ordering::Relaxed) {
        0 => false,
        1 => true,
        _ => {
            let on =
                std::env::var_os("THICKET_CAPI_DEBUG").is_some_and(|v| v != "0" && !v.is_empty());
            DEBUG.store(on as u8, Ordering::Relaxed);
            on
        }
    }
}

/// Allocates `size` zeroed bytes with a head in state `state`. Returns the object
/// address, or null if memory is exhausted.
pub fn alloc(size: usize, state: u32) -> *mut PyObject {
    // SAFETY: calloc of a non-zero size; the head is written before use.
    unsafe {
        let h = libc::calloc(1, HEAD + size.max(1)) as *mut ProxyHead;
        if h.is_null() {
            return std::ptr::null_mut();
        }
        h.write(ProxyHead {
            link: NO_LINK,
            state,
            size,
        });
        let op = (h as *mut u8).add(HEAD) as *mut PyObject;
        if debug() {
            crate::debug::track(op);
        }
        op
    }
}

/// The head of an object allocated by [`alloc`].
///
/// # Safety
/// `op` must come from [`alloc`] (possibly freed, if quarantined).
#[inline(always)]
pub unsafe fn head(op: *mut PyObject) -> *mut ProxyHead {
    // SAFETY: `alloc` placed the head right before the object.
    unsafe { (op as *mut u8).sub(HEAD) as *mut ProxyHead }
}

/// Frees a block from [`alloc`]: poisons it, and in debug mode quarantines it
/// ([`crate::debug::quarantine`]).
///
/// # Safety
/// `op` must come from [`alloc`] and not be used afterwards.
pub unsafe fn free(op: *mut PyObject) {
    if debug() {
        // SAFETY: caller's contract.
        return unsafe { crate::debug::quarantine(op) };
    }
    // SAFETY: caller's contract; the block is `HEAD + size` bytes.
    unsafe {
        let h = head(op);
        let size = (*h).size;
        std::ptr::write_bytes(op as *mut u8, POISON, size);
        (*h).state = FREED;
        (*h).link = NO_LINK;
        libc::free(h as *mut libc::c_void);
    }
}

/// Resizes a block from [`alloc`] (contents kept, new bytes zeroed).
///
/// # Safety
/// `op` must come from [`alloc`] and be live; on success the old address is invalid.
pub unsafe fn realloc(op: *mut PyObject, size: usize) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe {
        let h = head(op);
        let old = (*h).size;
        let n = libc::realloc(h as *mut libc::c_void, HEAD + size.max(1)) as *mut ProxyHead;
        if n.is_null() {
            return std::ptr::null_mut();
        }
        (*n).size = size;
        let obj = (n as *mut u8).add(HEAD);
        if debug() {
            crate::debug::untrack(op);
            crate::debug::track(obj as *mut PyObject);
        }
        if size > old {
            std::ptr::write_bytes(obj.add(old), 0, size - old);
        }
        obj as *mut PyObject
    }
}
