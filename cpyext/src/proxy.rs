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

/// Small blocks (head included, up to 144 bytes: `CLASSES` classes from 32) come from slabs and
/// are recycled through per-thread free lists, one per size class of [`CLASS_STEP`]
/// bytes: most proxies are small and short-lived (ints, tuples), and a `malloc`/`free`
/// pair per object dominated the cost of C calls. A small block is always exactly
/// `block_size(size)` bytes, so its class is known from the size in its head; slab
/// memory is kept for reuse, never returned to the C allocator. In debug mode every
/// block comes from `calloc` (so that the quarantine can free it).
const CLASS_STEP: usize = 16;
const CLASSES: usize = 8;
/// Bytes of a slab.
const SLAB: usize = 256 << 10;

struct Pool {
    /// Free blocks of each class, chained through their first word after the head.
    first: [*mut ProxyHead; CLASSES],
    /// The unused rest of the current slab.
    next: *mut u8,
    end: *mut u8,
}

thread_local! {
    static POOL: std::cell::UnsafeCell<Pool> = const {
        std::cell::UnsafeCell::new(Pool {
            first: [std::ptr::null_mut(); CLASSES],
            next: std::ptr::null_mut(),
            end: std::ptr::null_mut(),
        })
    };
}

/// Bytes of the block holding an object of `size` bytes.
#[inline(always)]
fn block_size(size: usize) -> usize {
    (HEAD + size.max(1)).next_multiple_of(CLASS_STEP)
}

/// The pool class of blocks of `bytes`, if they come from the pool.
#[inline(always)]
fn class_of(bytes: usize) -> Option<usize> {
    let c = bytes / CLASS_STEP - 2;
    (c < CLASSES && !debug()).then_some(c)
}

/// A pool block of class `c` (`bytes` bytes, contents undefined), or null.
///
/// # Safety
/// `bytes` must be the size of class `c`.
#[inline]
unsafe fn pool_take(c: usize, bytes: usize) -> *mut ProxyHead {
    // SAFETY: the pool is this thread's; free blocks hold their successor after the
    // head; slab memory is carved in 16-byte multiples from a 16-aligned malloc block.
    POOL.with(|p| unsafe {
        let p = &mut *p.get();
        let b = p.first[c];
        if !b.is_null() {
            p.first[c] = *(b.add(1) as *mut *mut ProxyHead);
            return b;
        }
        if (p.end as usize) - (p.next as usize) < bytes {
            let s = libc::malloc(SLAB) as *mut u8;
            if s.is_null() {
                return std::ptr::null_mut();
            }
            p.next = s;
            p.end = s.add(SLAB);
        }
        let b = p.next as *mut ProxyHead;
        p.next = p.next.add(bytes);
        b
    })
}

/// Writes `byte` over a block of class `c` (fixed-size stores, no `memset` call).
///
/// # Safety
/// `p` must be valid for the writes of a class-`c` block.
#[inline(always)]
unsafe fn fill(p: *mut u8, c: usize, byte: u8) {
    #[inline(always)]
    unsafe fn put<const N: usize>(p: *mut u8, byte: u8) {
        // SAFETY: caller's contract (N is the block size).
        unsafe { (p as *mut [u8; N]).write_unaligned([byte; N]) }
    }
    // SAFETY: caller's contract.
    unsafe {
        match c {
            0 => put::<32>(p, byte),
            1 => put::<48>(p, byte),
            2 => put::<64>(p, byte),
            3 => put::<80>(p, byte),
            4 => put::<96>(p, byte),
            5 => put::<112>(p, byte),
            6 => put::<128>(p, byte),
            _ => put::<144>(p, byte),
        }
    }
}

/// Returns a block of class `c` to the pool.
///
/// # Safety
/// `h` must be a pool block of class `c`, unused afterwards.
#[inline]
unsafe fn pool_give(c: usize, h: *mut ProxyHead) {
    // SAFETY: as in `pool_take`.
    POOL.with(|p| unsafe {
        let p = &mut *p.get();
        *(h.add(1) as *mut *mut ProxyHead) = p.first[c];
        p.first[c] = h;
    })
}

/// Allocates `size` zeroed bytes with a head in state `state`. Returns the object
/// address, or null if memory is exhausted.
#[inline]
pub fn alloc(size: usize, state: u32) -> *mut PyObject {
    let bytes = block_size(size);
    // SAFETY: a pool block of `bytes` bytes (cleared here) or a calloc'd one; the head
    // is written before use.
    unsafe {
        let h = match class_of(bytes) {
            Some(c) => {
                let h = pool_take(c, bytes);
                if !h.is_null() {
                    fill(h as *mut u8, c, 0);
                }
                h
            }
            None => libc::calloc(1, bytes) as *mut ProxyHead,
        };
        if h.is_null() {
            return std::ptr::null_mut();
        }
        let op = start(h, state, size);
        if debug() {
            crate::debug::track(op);
        }
        op
    }
}

/// [`alloc`] for a small object whose every byte the caller writes before use (the
/// hot path of one-digit ints): a pool block, not cleared. Falls back to [`alloc`]
/// (cleared) in debug mode or for sizes the pool does not serve.
///
/// # Safety
/// The caller must initialise all `size` bytes before the object is read.
#[inline(always)]
pub unsafe fn alloc_uninit(size: usize, state: u32) -> *mut PyObject {
    let bytes = block_size(size);
    let Some(c) = class_of(bytes) else {
        return alloc(size, state);
    };
    // SAFETY: a pool block of class `c`; the head is written before use.
    unsafe {
        let h = pool_take(c, bytes);
        if h.is_null() {
            return std::ptr::null_mut();
        }
        start(h, state, size)
    }
}

/// Writes a fresh block's head and returns the object address after it.
///
/// # Safety
/// `h` must be a block of at least `HEAD + size` bytes.
#[inline(always)]
unsafe fn start(h: *mut ProxyHead, state: u32, size: usize) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe {
        h.write(ProxyHead {
            link: NO_LINK,
            state,
            size,
        });
        (h as *mut u8).add(HEAD) as *mut PyObject
    }
}

/// [`free`] for a small object with no references to release (an int): outside debug
/// mode its block goes straight back to the pool, marked freed and with its type word
/// poisoned (a stale use reads poison) rather than wholly overwritten.
///
/// # Safety
/// As [`free`].
#[inline(always)]
pub unsafe fn free_small(op: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe {
        let h = head(op);
        let Some(c) = class_of(block_size((*h).size)) else {
            return free(op);
        };
        (*op).ob_type = usize::from_ne_bytes([POISON; 8]) as *mut crate::abi::PyTypeObject;
        (*h).state = FREED;
        (*h).link = NO_LINK;
        pool_give(c, h);
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
/// ([`crate::debug::quarantine`]; debug-mode blocks never come from the pool).
///
/// # Safety
/// `op` must come from [`alloc`] and not be used afterwards.
#[inline]
pub unsafe fn free(op: *mut PyObject) {
    if debug() {
        // SAFETY: caller's contract.
        return unsafe { crate::debug::quarantine(op) };
    }
    // SAFETY: caller's contract; the block is `block_size(size)` bytes.
    unsafe {
        let h = head(op);
        let size = (*h).size;
        let class = class_of(block_size(size));
        match class {
            // The whole block, head included: its state and link are written next.
            Some(c) => fill(h as *mut u8, c, POISON),
            None => std::ptr::write_bytes(op as *mut u8, POISON, size),
        }
        (*h).state = FREED;
        (*h).link = NO_LINK;
        match class {
            Some(c) => pool_give(c, h),
            None => libc::free(h as *mut libc::c_void),
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
        if class_of(block_size(old)).is_some() || class_of(block_size(size)).is_some() {
            // Pool blocks have exact sizes: move the object (never in debug mode).
            let n = alloc(size, (*h).state);
            if n.is_null() {
                return n;
            }
            (*head(n)).link = (*h).link;
            std::ptr::copy_nonoverlapping(op as *const u8, n as *mut u8, old.min(size));
            free(op);
            return n;
        }
        let n = libc::realloc(h as *mut libc::c_void, block_size(size)) as *mut ProxyHead;
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
