//! Proxy memory: every `PyObject` the runtime allocates (proxies of GC objects, objects
//! created by C through `tp_alloc`, `PyObject_Malloc` blocks) is preceded by a 16-byte
//! [`ProxyHead`] holding what Thicket needs — the GC link and a state word — so that the
//! object's own bytes are exactly CPython's. Static objects (types and singletons) have
//! no head; the runtime recognises them by address.
//!
//! Small blocks are recycled through per-thread free lists (see [`alloc`]).
//!
//! Freed memory is poisoned and, in debug mode (`THICKET_CAPI_DEBUG=1`), quarantined:
//! kept mapped with a `FREED` state for a while, so a later use through the API is
//! reported instead of corrupting a reused block.

use crate::abi::PyObject;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;

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
/// Freed blocks kept in quarantine in debug mode.
const QUARANTINE: usize = 4096;

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

struct Quarantine(VecDeque<*mut ProxyHead>);
// SAFETY: the pointers are only freed memory blocks owned by the quarantine.
unsafe impl Send for Quarantine {}
static QUEUE: Mutex<Quarantine> = Mutex::new(Quarantine(VecDeque::new()));

/// Small blocks are recycled through per-thread free lists, one per size class of
/// [`CLASS_STEP`] bytes up to `CLASSES * CLASS_STEP` (head included), at most
/// [`KEEP`] blocks each: most proxies are small and short-lived, and the C allocator's
/// zeroing path is slow. Every block is `block_size(size)` bytes, so a block's class is
/// known from the size in its head.
const CLASS_STEP: usize = 16;
const CLASSES: usize = 8;
const KEEP: usize = 4096;

struct FreeLists {
    first: [*mut ProxyHead; CLASSES],
    len: [usize; CLASSES],
}

thread_local! {
    static FREE: std::cell::UnsafeCell<FreeLists> = const {
        std::cell::UnsafeCell::new(FreeLists {
            first: [std::ptr::null_mut(); CLASSES],
            len: [0; CLASSES],
        })
    };
}

/// Bytes of the block holding an object of `size` bytes.
#[inline(always)]
fn block_size(size: usize) -> usize {
    (HEAD + size.max(1)).next_multiple_of(CLASS_STEP)
}

/// The free-list class of blocks of `bytes`, if they are recycled.
#[inline(always)]
fn class_of(bytes: usize) -> Option<usize> {
    let c = bytes / CLASS_STEP - 2;
    (c < CLASSES).then_some(c)
}

/// Allocates `size` zeroed bytes with a head in state `state`. Returns the object
/// address, or null if memory is exhausted.
pub fn alloc(size: usize, state: u32) -> *mut PyObject {
    let bytes = block_size(size);
    // SAFETY: a recycled block of `bytes` bytes (zeroed here) or a fresh calloc'd one;
    // the head is written before use. The free lists are only touched by this thread.
    unsafe {
        let mut h: *mut ProxyHead = std::ptr::null_mut();
        if let Some(c) = class_of(bytes) {
            h = FREE.with(|f| {
                let f = &mut *f.get();
                let b = f.first[c];
                if !b.is_null() {
                    f.first[c] = *(b.add(1) as *mut *mut ProxyHead);
                    f.len[c] -= 1;
                    std::ptr::write_bytes(b as *mut u8, 0, bytes);
                }
                b
            });
        }
        if h.is_null() {
            h = libc::calloc(1, bytes) as *mut ProxyHead;
        }
        if h.is_null() {
            return std::ptr::null_mut();
        }
        h.write(ProxyHead {
            link: NO_LINK,
            state,
            size,
        });
        (h as *mut u8).add(HEAD) as *mut PyObject
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

/// Frees a block from [`alloc`]: poisons it, and in debug mode quarantines it.
///
/// # Safety
/// `op` must come from [`alloc`] and not be used afterwards.
pub unsafe fn free(op: *mut PyObject) {
    // SAFETY: caller's contract; the block is `HEAD + size` bytes.
    unsafe {
        let h = head(op);
        let size = (*h).size;
        std::ptr::write_bytes(op as *mut u8, POISON, size);
        (*h).state = FREED;
        (*h).link = NO_LINK;
        if debug() {
            let mut q = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
            q.0.push_back(h);
            if q.0.len() > QUARANTINE {
                if let Some(old) = q.0.pop_front() {
                    libc::free(old as *mut libc::c_void);
                }
            }
        } else {
            let kept = class_of(block_size(size)).is_some_and(|c| {
                FREE.with(|f| {
                    let f = &mut *f.get();
                    if f.len[c] >= KEEP {
                        return false;
                    }
                    *(h.add(1) as *mut *mut ProxyHead) = f.first[c];
                    f.first[c] = h;
                    f.len[c] += 1;
                    true
                })
            });
            if !kept {
                libc::free(h as *mut libc::c_void);
            }
        }
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
        let n = libc::realloc(h as *mut libc::c_void, block_size(size)) as *mut ProxyHead;
        if n.is_null() {
            return std::ptr::null_mut();
        }
        (*n).size = size;
        let obj = (n as *mut u8).add(HEAD);
        if size > old {
            std::ptr::write_bytes(obj.add(old), 0, size - old);
        }
        obj as *mut PyObject
    }
}
