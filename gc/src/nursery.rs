//! The nursery: one contiguous region where young objects are bump-allocated.
//!
//! The allocation fast path works on [`BumpPointer`], a `#[repr(C)]` `(free, top)` pair
//! that compiled code can inline: `p = free; if top - p < size { slow path } else
//! { free = p + size; write the header }`. `top` may be set below the real end of the
//! nursery to force the slow path (the stress mode does this), so the fast path never
//! needs to know about modes.
//!
//! Invariants: `start <= free <= top <= end`; every object in `[start, free)` is either a
//! fully initialised object or (inside a minor collection) a forwarded one. The nursery
//! is not zeroed after a collection: allocation initialises every byte it hands out.

use crate::os;
use std::ptr::NonNull;

/// The inlinable allocation pointer pair. `free` is the next free byte; `top` the limit of
/// the fast path. Both are 8-aligned.
#[repr(C)]
#[derive(Debug)]
pub struct BumpPointer {
    /// Next free byte.
    pub free: *mut u8,
    /// The fast path may allocate up to here.
    pub top: *mut u8,
}

/// Byte written over the nursery after a collection in poison mode. A header made of it
/// names a type id no heap has.
pub const POISON_BYTE: u8 = 0xDB;

pub(crate) struct Nursery {
    pub start: *mut u8,
    pub end: *mut u8,
    mapping: NonNull<u8>,
    mapped: usize,
}

impl Nursery {
    pub fn new(size: usize) -> Option<Nursery> {
        let page = 4096;
        let mapped = size.div_ceil(page) * page;
        let mapping = os::map_aligned(mapped, 1 << 16)?;
        let start = mapping.as_ptr();
        Some(Nursery {
            start,
            // SAFETY: `size <= mapped`, so the end is inside (one past) the mapping.
            end: unsafe { start.add(size & !7) },
            mapping,
            mapped,
        })
    }

    /// Whether `addr` points into the nursery.
    #[inline(always)]
    pub fn contains(&self, addr: *mut u8) -> bool {
        (addr as usize).wrapping_sub(self.start as usize) < self.size()
    }

    #[inline(always)]
    pub fn size(&self) -> usize {
        self.end as usize - self.start as usize
    }
}

impl Drop for Nursery {
    fn drop(&mut self) {
        // SAFETY: the mapping was made by `map_aligned` with this size and is dropped once.
        unsafe { os::unmap(self.mapping, self.mapped) }
    }
}
