//! The large-object space: objects that get an allocation of their own.
//!
//! Objects above [`crate::LARGE_OBJECT_SIZE`] are allocated here even when young (copying
//! them would cost more than it saves), and promoted objects above
//! [`crate::old_space::MAX_SMALL_SIZE`] land here. Large objects never move. Young ones
//! carry `FLAG_YOUNG_LARGE` until they survive a minor collection.
//!
//! Invariant: every large object is in exactly one of `young` or `old`, with its
//! allocation size.

use crate::header::{Header, ObjRef, FLAG_LARGE, FLAG_MARKED, FLAG_SURVIVED, FLAG_YOUNG_LARGE};
use std::alloc::{alloc, dealloc, Layout};
use std::ptr::NonNull;

#[derive(Clone, Copy)]
struct Large {
    obj: ObjRef,
    size: usize,
    /// Bytes before the object (its card table), part of the same allocation.
    prefix: usize,
}

impl Large {
    /// Frees the allocation.
    ///
    /// # Safety
    /// The object must be dead and allocated by `LargeSpace::alloc` with this record.
    unsafe fn free(self) {
        // SAFETY: the allocation starts `prefix` bytes before the object.
        unsafe {
            dealloc(
                self.obj.as_ptr().sub(self.prefix),
                layout(self.prefix + self.size),
            )
        }
    }
}

#[derive(Default)]
pub(crate) struct LargeSpace {
    young: Vec<Large>,
    old: Vec<Large>,
    /// Old objects still to be swept in the current major collection.
    to_sweep: Vec<Large>,
    /// Bytes of all large objects, young and old.
    pub bytes: usize,
    /// Bytes of old large objects.
    pub old_bytes: usize,
    /// Bytes of young large objects.
    pub young_bytes: usize,
}

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size, 16).expect("large object size fits a layout")
}

impl LargeSpace {
    /// Allocates `size` bytes (contents unspecified). `None` when the allocator refuses.
    pub fn alloc(&mut self, size: usize, young: bool, prefix: usize) -> Option<NonNull<u8>> {
        debug_assert!(prefix.is_multiple_of(16));
        // SAFETY: the layout has a non-zero size (objects are at least 16 bytes).
        let base = NonNull::new(unsafe { alloc(layout(prefix + size)) })?;
        // SAFETY: the prefix (a card table) lies inside the allocation and starts clean;
        // the object follows it.
        let p = unsafe {
            std::ptr::write_bytes(base.as_ptr(), 0, prefix);
            NonNull::new_unchecked(base.as_ptr().add(prefix))
        };
        // SAFETY: `p` is a fresh allocation; the caller writes the real object next.
        let obj = unsafe { ObjRef::from_raw(p) };
        let l = Large { obj, size, prefix };
        if young {
            self.young.push(l);
            self.young_bytes += size;
        } else {
            self.old.push(l);
            self.old_bytes += size;
        }
        self.bytes += size;
        Some(p)
    }

    /// Whether any young large object exists (the minor collection checks headers only
    /// then).
    #[inline(always)]
    pub fn has_young(&self) -> bool {
        !self.young.is_empty()
    }

    /// After a minor collection: young objects that were reached become old, the others
    /// are freed (after `on_free` is told). Returns (promoted bytes, freed bytes).
    pub fn finish_minor(&mut self, mut on_free: impl FnMut(ObjRef)) -> (usize, usize) {
        let (mut promoted, mut freed) = (0, 0);
        self.young_bytes = 0;
        for l in std::mem::take(&mut self.young) {
            // SAFETY: young large objects are live allocations until freed here.
            let h = unsafe { l.obj.header() };
            if h.has(FLAG_SURVIVED) {
                let keep = FLAG_SURVIVED | FLAG_YOUNG_LARGE;
                // SAFETY: as above; the object becomes an ordinary old large object, whose
                // barrier must fire on the next store.
                unsafe {
                    l.obj
                        .set_header(Header((h.0 & !keep) | crate::header::FLAG_TRACK_YOUNG_PTRS))
                };
                promoted += l.size;
                self.old_bytes += l.size;
                self.old.push(l);
            } else {
                on_free(l.obj);
                freed += l.size;
                self.bytes -= l.size;
                // SAFETY: unreachable young object, allocated in `alloc` with this record.
                unsafe { l.free() };
            }
        }
        (promoted, freed)
    }

    /// Starts a sweep: the current old objects are queued; objects made old from now on
    /// are not part of this sweep.
    pub fn sweep_prepare(&mut self) {
        debug_assert!(self.to_sweep.is_empty());
        std::mem::swap(&mut self.old, &mut self.to_sweep);
    }

    /// Objects still queued for sweeping.
    pub fn sweep_remaining(&self) -> usize {
        self.to_sweep.len()
    }

    /// Sweeps up to `max` queued objects: unmarked ones are freed (after `on_free` is
    /// told), marked ones unmarked and kept. Returns (freed bytes, freed objects).
    pub fn sweep_some(&mut self, max: usize, mut on_free: impl FnMut(ObjRef)) -> (usize, usize) {
        let (mut freed, mut n) = (0, 0);
        for _ in 0..max {
            let Some(l) = self.to_sweep.pop() else { break };
            // SAFETY: queued objects are live allocations until freed here.
            let h = unsafe { l.obj.header() };
            if h.has(FLAG_MARKED) {
                // SAFETY: as above.
                unsafe { l.obj.set_header(Header(h.0 & !FLAG_MARKED)) };
                self.old.push(l);
            } else {
                on_free(l.obj);
                freed += l.size;
                n += 1;
                self.bytes -= l.size;
                self.old_bytes -= l.size;
                // SAFETY: unmarked after a complete mark: unreachable; allocated by `alloc`.
                unsafe { l.free() };
            }
        }
        (freed, n)
    }

    /// Every large object with its size and whether it still waits to be swept.
    pub fn objects(&self) -> impl Iterator<Item = (ObjRef, usize, bool)> + '_ {
        self.young
            .iter()
            .chain(self.old.iter())
            .map(|l| (l.obj, l.size, false))
            .chain(self.to_sweep.iter().map(|l| (l.obj, l.size, true)))
    }

    /// The header flags of a fresh large object, young or old.
    pub fn initial_flags(young: bool) -> u64 {
        if young {
            FLAG_LARGE | FLAG_YOUNG_LARGE
        } else {
            FLAG_LARGE | crate::header::FLAG_TRACK_YOUNG_PTRS
        }
    }
}

impl Drop for LargeSpace {
    fn drop(&mut self) {
        for l in self.young.iter().chain(&self.old).chain(&self.to_sweep) {
            // SAFETY: each object was allocated by `alloc` and is freed once, as the heap
            // goes away.
            unsafe { l.free() };
        }
    }
}
