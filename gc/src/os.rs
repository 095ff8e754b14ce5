//! Memory from the operating system: aligned anonymous mappings, and giving pages back.
//!
//! This is the only place that calls `mmap` and `munmap`.

use std::ptr::NonNull;

/// A private anonymous mapping of `size` bytes aligned to `align` (a power of two that is a
/// multiple of the OS page size). Zero-filled. `None` if the OS refuses.
pub(crate) fn map_aligned(size: usize, align: usize) -> Option<NonNull<u8>> {
    debug_assert!(align.is_power_of_two());
    let total = size.checked_add(align)?;
    // SAFETY: an anonymous private mapping with no address hint has no preconditions.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            total,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return None;
    }
    let start = p as usize;
    let aligned = (start + align - 1) & !(align - 1);
    let head = aligned - start;
    let tail = total - head - size;
    // SAFETY: both ranges lie inside the mapping just made and are page-aligned (start and
    // aligned are page-aligned; size and align are multiples of the page size).
    unsafe {
        if head > 0 {
            libc::munmap(start as *mut libc::c_void, head);
        }
        if tail > 0 {
            libc::munmap((aligned + size) as *mut libc::c_void, tail);
        }
    }
    NonNull::new(aligned as *mut u8)
}

/// Unmaps a region made by [`map_aligned`].
///
/// # Safety
/// `p` and `size` must be exactly a region returned by `map_aligned` and not yet unmapped,
/// and nothing may use it afterwards.
pub(crate) unsafe fn unmap(p: NonNull<u8>, size: usize) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        libc::munmap(p.as_ptr() as *mut libc::c_void, size);
    }
}
