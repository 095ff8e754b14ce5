//! Entry points for compiled code: the slow paths behind the inline fast paths.
//!
//! A JIT (or any code generator) inlines the nursery bump and the barrier's flag test
//! (their constants and offsets are gathered in the `thicket-jit-hooks` crate) and calls
//! these `extern "C"` functions when the fast path fails. The `heap` argument is the
//! address returned by [`crate::Heap::raw_core`].

use crate::header::ObjRef;
use crate::heap::Core;
use crate::layout::TypeId;

/// The write barrier's slow path: records `obj` in the remembered set.
///
/// # Safety
/// `heap` must come from `Heap::raw_core()` of a live heap, and `obj` be a live old
/// object of that heap whose header has `TRACK_YOUNG_PTRS_BIT` set.
#[no_mangle]
pub unsafe extern "C" fn thicket_gc_remember(heap: *const u8, obj: *mut u8) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let core = &*(heap as *const Core);
        core.remember(ObjRef::from_raw(std::ptr::NonNull::new_unchecked(obj)));
    }
}

/// The allocation slow path: allocates an object of type `ty` (`len` items if `array` is
/// non-zero) after whatever collection is needed. Returns null if the allocation failed
/// (heap limit, out of memory, unknown type); the heap is then unchanged but for any
/// collection that ran.
///
/// # Safety
/// `heap` must come from `Heap::raw_core()` of a live heap that nothing else is using
/// during the call, and every reference the caller keeps must be in a root.
#[no_mangle]
pub unsafe extern "C" fn thicket_gc_alloc_slow(
    heap: *mut u8,
    ty: u32,
    len: usize,
    array: u32,
) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let core = &mut *(heap as *mut Core);
        match core.alloc(TypeId(ty), len, array != 0) {
            Ok(r) => r.as_ptr(),
            Err(_) => std::ptr::null_mut(),
        }
    }
}
