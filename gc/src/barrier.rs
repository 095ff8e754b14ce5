//! The write barrier: the flag-based object barrier of a generational collector.
//!
//! Before storing a reference into an object, the mutator tests one header bit,
//! `FLAG_TRACK_YOUNG_PTRS` ([`TRACK_YOUNG_PTRS_BIT`] for compiled code). Young objects
//! never have it, so stores into them cost only the test. Old objects have it until the
//! first store of a minor cycle, which runs the slow path: clear the bit, push the object
//! on the remembered set. The next minor collection scans the remembered objects and sets
//! the bit again. So the slow path runs at most once per old object per minor cycle, and
//! the barrier fires whatever value is stored, which is what the incremental collector
//! needs too (a stored-into marked object is re-scanned).
//!
//! Compiled code inlines `if *(obj as *const u64) & TRACK_YOUNG_PTRS_BIT != 0 {
//! thicket_gc_remember(heap, obj) }`.

use crate::header::{Header, ObjRef, FLAG_TRACK_YOUNG_PTRS};
use crate::heap::Core;

/// The header bit tested by the inline barrier check.
pub const TRACK_YOUNG_PTRS_BIT: u64 = FLAG_TRACK_YOUNG_PTRS;

impl Core {
    /// The barrier: call before storing a reference into `obj`.
    ///
    /// # Safety
    /// `obj` must be a live object of this heap.
    #[inline(always)]
    pub unsafe fn write_barrier(&self, obj: ObjRef) {
        // SAFETY: live object.
        if unsafe { obj.header() }.0 & FLAG_TRACK_YOUNG_PTRS != 0 {
            // SAFETY: forwarded.
            unsafe { self.remember(obj) }
        }
    }

    /// The slow path: clear the bit and record the object.
    ///
    /// # Safety
    /// `obj` must be a live old object of this heap with `FLAG_TRACK_YOUNG_PTRS` set.
    #[cold]
    #[inline(never)]
    pub unsafe fn remember(&self, obj: ObjRef) {
        // SAFETY: live object; the remembered set is only touched here (never re-entered,
        // the heap is single-threaded) and by collections, which hold `&mut Core`.
        unsafe {
            obj.set_header(Header(obj.header().0 & !FLAG_TRACK_YOUNG_PTRS));
            (*self.remembered.get()).push(obj);
        }
    }
}
