//! Minor collection: evacuate the survivors of the nursery into the old space.
//!
//! Every root slot, and every slot of every object in the remembered set, is passed to
//! [`Evacuator::evacuate`]. A nursery object reached for the first time is copied to the
//! old space (a size-class cell, or the large space above `MAX_SMALL_SIZE`), its nursery
//! header becomes a forwarding header (`FLAG_FORWARDED`, new address in word 1), and the
//! copy is queued; a young large object is flagged as surviving and queued. The queue is
//! drained by scanning each queued object's slots the same way. This is Cheney's
//! algorithm with an explicit queue instead of a to-space scan pointer, because to-space
//! is the segregated old space rather than one contiguous region.
//!
//! The work is proportional to the roots, the remembered set and the survivors; the
//! nursery's size never enters (it is reset by moving one pointer; poisoning, a debug
//! mode, is the exception).
//!
//! Copies are given `FLAG_TRACK_YOUNG_PTRS` at once: when the collection ends they hold
//! no young references, so their barrier must be armed.

use crate::cards::{
    card_byte, card_table_bytes, CARD_ITEMS, CARD_MIN_ITEMS, FLAG_CARDS_SET, FLAG_HAS_CARDS,
};
use crate::header::{
    Header, ObjRef, FLAG_FORWARDED, FLAG_LARGE, FLAG_MARKED, FLAG_PINNED, FLAG_SURVIVED,
    FLAG_TRACK_YOUNG_PTRS, FLAG_YOUNG_LARGE,
};
use crate::heap::Core;
use crate::identity::FLAG_HAS_SHADOW;
use crate::large::LargeSpace;
use crate::layout::{TraceKind, TypeInfo, TypeRegistry};
use crate::major::Phase;
use crate::old_space::{OldSpace, MAX_SMALL_SIZE};
use crate::roots::RootVisitor;
use crate::trace::{for_each_slot, object_size};
use std::time::Instant;

/// The parts of the heap a minor collection mutates while it walks the roots.
struct Evacuator<'a> {
    start: usize,
    size: usize,
    types: &'a TypeRegistry,
    old: &'a mut OldSpace,
    large: &'a mut LargeSpace,
    check_large: bool,
    queue: &'a mut Vec<ObjRef>,
    promoted: usize,
    /// Extra header bits for copies (the allocation colour while marking).
    copy_flags: u64,
    /// A major collection is marking: promoted objects and root targets are greyed.
    marking: bool,
    /// The major collection's grey stack.
    grey: &'a mut Vec<ObjRef>,
    /// Holders of weak slots made old by this collection.
    weak_new: &'a mut Vec<ObjRef>,
    /// Pinned objects exist: scan without the prefetch ring, noting which objects keep
    /// a reference to a pinned (still young) object.
    tracking: bool,
    /// Set by `evacuate` when it leaves a slot pointing at a pinned object.
    saw_pinned: bool,
    /// Old objects that still point to pinned objects: remembered again at the end.
    remember_after: Vec<ObjRef>,
    /// Reserved cells of nursery objects whose id was taken (see `identity.rs`).
    shadows: &'a mut std::collections::HashMap<usize, ObjRef>,
    /// Slots waiting for evacuation, their targets prefetched (see `defer`).
    ring: [*mut Option<ObjRef>; RING],
    ring_pos: usize,
}

impl Evacuator<'_> {
    /// Updates one slot: copies a young target out (or follows its forwarding), flags a
    /// young large target as surviving.
    ///
    /// # Safety
    /// `slot` must be a valid slot holding `None` or a reference to a live object.
    #[inline(always)]
    unsafe fn evacuate(&mut self, slot: *mut Option<ObjRef>) {
        // SAFETY (whole body): the caller guarantees the slot; a nursery object is live or
        // forwarded, and its type was registered when it was allocated.
        unsafe {
            let Some(o) = *slot else { return };
            if o.addr().wrapping_sub(self.start) < self.size {
                let h = o.header();
                if h.has(FLAG_FORWARDED) {
                    *slot = *(o.field_ptr::<Option<ObjRef>>(8));
                    return;
                }
                if h.has(FLAG_PINNED) {
                    // Stays in place (it is a root while pinned); the holder keeps a young
                    // reference.
                    self.saw_pinned = true;
                    return;
                }
                let info = self.types.get(h.type_id()).unwrap_unchecked();
                let size = object_size(o, info);
                let (p, flags) = if h.has(FLAG_HAS_SHADOW) {
                    // Its id was taken: it goes to the cell reserved then.
                    let shadow = self.shadows.remove(&o.addr()).unwrap_unchecked();
                    // Its mark bit too: a reserved cell is kept marked while a cycle is
                    // in progress (see `identity.rs`), and the sweeper must not take it.
                    let keep = FLAG_TRACK_YOUNG_PTRS | FLAG_LARGE | FLAG_HAS_CARDS | FLAG_MARKED;
                    (Some(shadow.as_nonnull()), shadow.header().0 & keep)
                } else {
                    copy_target(self.old, self.large, size, info, o)
                };
                let Some(p) = p else {
                    out_of_memory_during_collection(size)
                };
                copy_object(o.as_ptr(), p.as_ptr(), size);
                let new = ObjRef::from_raw(p);
                new.set_header(Header((h.0 & !FLAG_HAS_SHADOW) | flags | self.copy_flags));
                o.set_header(Header(h.0 | FLAG_FORWARDED));
                *o.field_ptr::<Option<ObjRef>>(8) = Some(new);
                if info.has_weak() {
                    self.weak_new.push(new);
                }
                if info.kind != TraceKind::Leaf {
                    self.queue.push(new);
                    if self.marking {
                        // Marked (copy_flags) and grey: its children may be white.
                        self.grey.push(new);
                    }
                }
                self.promoted += size;
                *slot = Some(new);
            } else if self.check_large {
                let h = o.header();
                if h.0 & (FLAG_YOUNG_LARGE | FLAG_SURVIVED) == FLAG_YOUNG_LARGE {
                    o.set_header(Header(h.0 | FLAG_SURVIVED | self.copy_flags));
                    self.queue.push(o);
                    if self.types.get(h.type_id()).unwrap_unchecked().has_weak() {
                        self.weak_new.push(o);
                    }
                    if self.marking {
                        self.grey.push(o);
                    }
                }
            }
        }
    }

    /// Evacuates a root slot; while marking, also greys its (now old) target: roots have
    /// no barrier, so each minor collection rescans them for the marker.
    ///
    /// # Safety
    /// As `evacuate`.
    #[inline(always)]
    unsafe fn root(&mut self, slot: *mut Option<ObjRef>) {
        // SAFETY: forwarded to the caller.
        unsafe {
            self.evacuate(slot);
            if self.marking {
                if let Some(o) = (*slot).filter(|o| o.addr().wrapping_sub(self.start) >= self.size)
                {
                    let h = o.header();
                    if !h.has(FLAG_MARKED) {
                        o.set_header(Header(h.0 | FLAG_MARKED));
                        self.grey.push(o);
                    }
                }
            }
        }
    }

    /// Evacuates every slot of `obj`.
    ///
    /// # Safety
    /// `obj` must be a live old object (or a surviving young large one).
    #[inline(always)]
    unsafe fn scan(&mut self, obj: ObjRef) {
        // SAFETY: live object; its type is registered; its slots stay where they are
        // until the collection ends (it is an old copy or a young large object).
        unsafe {
            let info = self.types.get(obj.header().type_id()).unwrap_unchecked();
            if self.tracking {
                self.saw_pinned = false;
                for_each_slot(obj, info, |s| self.evacuate(s));
                if self.saw_pinned {
                    self.remember_after.push(obj);
                }
            } else {
                for_each_slot(obj, info, |s| self.defer(s));
            }
        }
    }

    /// Queues a slot of a heap object for [`Evacuator::evacuate`] a few slots later,
    /// prefetching its target now: reading the header of each survivor is otherwise a
    /// cache miss that stalls the copy loop.
    ///
    /// # Safety
    /// As `evacuate`, and the slot must stay valid until the ring is drained.
    #[inline(always)]
    unsafe fn defer(&mut self, slot: *mut Option<ObjRef>) {
        // SAFETY: forwarded to the caller.
        unsafe {
            let Some(o) = *slot else { return };
            if o.addr().wrapping_sub(self.start) >= self.size && !self.check_large {
                return;
            }
            prefetch(o.as_ptr());
            let i = self.ring_pos % RING;
            self.ring_pos = self.ring_pos.wrapping_add(1);
            let older = std::mem::replace(&mut self.ring[i], slot);
            if !older.is_null() {
                self.evacuate(older);
            }
        }
    }

    /// Evacuates every slot still waiting in the ring. Returns whether there was any.
    ///
    /// # Safety
    /// As `evacuate`.
    unsafe fn drain_ring(&mut self) -> bool {
        let mut any = false;
        for i in 0..RING {
            let s = std::mem::replace(&mut self.ring[i], std::ptr::null_mut());
            if !s.is_null() {
                any = true;
                // SAFETY: forwarded to the caller.
                unsafe { self.evacuate(s) };
            }
        }
        any
    }
}

/// Slots in flight between prefetch and evacuation.
const RING: usize = 8;

/// Hints the CPU to fetch the cache line at `p`.
#[inline(always)]
pub(crate) fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Where a survivor of `size` bytes goes: a size-class cell, or the large space (with a
/// card table for a large array of references); and the header flags that says so.
///
/// # Safety
/// `o` must be a live object of the type `info` describes.
pub(crate) unsafe fn copy_target(
    old: &mut OldSpace,
    large: &mut LargeSpace,
    size: usize,
    info: &TypeInfo,
    o: ObjRef,
) -> (Option<std::ptr::NonNull<u8>>, u64) {
    if size <= MAX_SMALL_SIZE {
        return (old.alloc(size), FLAG_TRACK_YOUNG_PTRS);
    }
    // SAFETY: forwarded.
    let len = unsafe { crate::trace::var_len(o, info) };
    if info.kind == TraceKind::RefArray && len >= CARD_MIN_ITEMS {
        (
            large.alloc(size, false, card_table_bytes(len)),
            FLAG_TRACK_YOUNG_PTRS | FLAG_LARGE | FLAG_HAS_CARDS,
        )
    } else {
        (
            large.alloc(size, false, 0),
            FLAG_TRACK_YOUNG_PTRS | FLAG_LARGE,
        )
    }
}

/// Copies an object; small ones with straight-line word moves instead of a call to
/// memmove (which `perf` showed at a few percent of binary-trees' time).
///
/// # Safety
/// `src` and `dst` are valid, non-overlapping, 8-aligned regions of `size` bytes.
#[inline(always)]
unsafe fn copy_object(src: *const u8, dst: *mut u8, size: usize) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let (s, d) = (src as *const u64, dst as *mut u64);
        match size / 8 {
            2 => {
                *d = *s;
                *d.add(1) = *s.add(1);
            }
            3 => {
                *d = *s;
                *d.add(1) = *s.add(1);
                *d.add(2) = *s.add(2);
            }
            4 => {
                *d = *s;
                *d.add(1) = *s.add(1);
                *d.add(2) = *s.add(2);
                *d.add(3) = *s.add(3);
            }
            _ => std::ptr::copy_nonoverlapping(src, dst, size),
        }
    }
}

/// A minor collection cannot give up half-way: survivors must go somewhere.
#[cold]
fn out_of_memory_during_collection(size: usize) -> ! {
    eprintln!(
        "thicket-gc: fatal: the operating system refused memory while a minor collection \
         was copying a {size}-byte survivor; the heap cannot be left half-evacuated"
    );
    std::process::abort()
}

impl Core {
    /// Runs a minor collection (see the module documentation). Returns the bytes it
    /// made old.
    pub fn minor_collection(&mut self) -> usize {
        assert!(!self.collecting, "thicket-gc: collection re-entered");
        if self.config.verify {
            self.verify_or_panic("before a minor collection");
        }
        self.collecting = true;
        let t0 = Instant::now();
        let used = self.nursery_used();
        let remembered_count = self.remembered.get_mut().len();
        self.stats.bytes_allocated += used as u64;
        let copy_flags = self.allocation_color();
        let mut queue = std::mem::take(&mut self.worklist);
        let remembered = std::mem::take(self.remembered.get_mut());
        let pin_holders = std::mem::take(&mut self.pin_holders);
        let mut ev = Evacuator {
            start: self.nursery.start as usize,
            size: self.nursery.size(),
            types: &self.types,
            old: &mut self.old,
            large: &mut self.large,
            check_large: false,
            queue: &mut queue,
            promoted: 0,
            copy_flags,
            marking: self.major.phase == Phase::Marking,
            grey: &mut self.major.grey,
            weak_new: &mut self.weak.minor_new,
            tracking: !self.pins.pinned.is_empty(),
            saw_pinned: false,
            remember_after: Vec::new(),
            shadows: &mut self.shadows,
            ring: [std::ptr::null_mut(); RING],
            ring_pos: 0,
        };
        ev.check_large = ev.large.has_young();
        // SAFETY (roots and scanning): every root slot holds None or a live reference,
        // which is the contract of each root kind; remembered objects are live old objects.
        unsafe {
            for s in self.shadow.slots_mut() {
                ev.root(s);
            }
            for s in self.handles.get_mut().iter_mut() {
                ev.root(s);
            }
            for s in self.globals.slots.iter_mut() {
                ev.root(s);
            }
            for scanner in self.scanners.iter_mut() {
                let mut f = |s: *mut Option<ObjRef>| ev.root(s);
                scanner(&mut RootVisitor { f: &mut f });
            }
            // Young linked objects that foreign code holds.
            self.extref.minor_roots(|s| ev.root(s));
            // Pinned objects are roots, and their slots are traced like roots.
            for &(p, _) in &self.pins.pinned {
                let info = self.types.get(p.header().type_id()).unwrap_unchecked();
                for_each_slot(p, info, |s| ev.root(s));
                if info.has_weak() {
                    self.weak.minor_old.push(p);
                }
            }
            // Dead objects waiting in finalizer queues are roots; registered objects
            // are kept (and made old) by minor collections, but not greyed: only a
            // major collection decides that they are dead.
            for q in self.fin.queues.iter_mut() {
                for o in q.iter_mut() {
                    ev.root(o as *mut ObjRef as *mut Option<ObjRef>);
                }
            }
            for (o, _) in self.fin.registered.iter_mut() {
                ev.evacuate(o as *mut ObjRef as *mut Option<ObjRef>);
            }
            for &o in &remembered {
                let h = o.header();
                if self.types.get(h.type_id()).unwrap_unchecked().has_weak() {
                    self.weak.minor_old.push(o);
                }
                o.set_header(Header(h.0 | FLAG_TRACK_YOUNG_PTRS));
                if ev.marking && h.has(FLAG_MARKED) {
                    // A black object was written: grey again (incremental update).
                    ev.grey.push(o);
                }
                ev.scan(o);
            }
            // Objects that pointed to pinned objects after the last collection: scanned
            // (the pinned object may have moved since), but not greyed again: nothing
            // was written into them (a write fires their barrier as usual).
            for &o in &pin_holders {
                if self
                    .types
                    .get(o.header().type_id())
                    .unwrap_unchecked()
                    .has_weak()
                {
                    self.weak.minor_old.push(o);
                }
                ev.scan(o);
            }
            // (Remembered objects are old and stay put, so their deferred slots are
            // valid until the ring is drained below.)
            let cards = std::mem::take(self.cards.get_mut());
            for &(a, _) in &cards {
                let h = a.header();
                a.set_header(Header(h.0 & !FLAG_CARDS_SET));
            }
            for &(a, c) in &cards {
                let h = a.header();
                let (b, bit) = card_byte(a, c);
                *b &= !bit;
                if !h.has(FLAG_TRACK_YOUNG_PTRS) {
                    continue; // Also remembered as a whole: scanned whole already.
                }
                let info = self.types.get(h.type_id()).unwrap_unchecked();
                let len = crate::trace::var_len(a, info);
                let items = a.field_ptr::<Option<ObjRef>>(info.fixed_size);
                let (lo, hi) = (c * CARD_ITEMS, ((c + 1) * CARD_ITEMS).min(len));
                if ev.marking && h.has(FLAG_MARKED) {
                    // A black array was written: re-grey only these items.
                    self.major.grey_ranges.push((a, lo, hi));
                }
                ev.saw_pinned = false;
                for i in lo..hi {
                    ev.evacuate(items.add(i));
                }
                if ev.saw_pinned {
                    // Still points into the nursery (a pinned object): the array is
                    // scanned whole at the next minor collections (pins are rare).
                    ev.remember_after.push(a);
                }
            }
            let mut cards = cards;
            cards.clear();
            *self.cards.get_mut() = cards;
            loop {
                while let Some(o) = ev.queue.pop() {
                    ev.scan(o);
                }
                if !ev.drain_ring() && ev.queue.is_empty() {
                    break;
                }
            }
        }
        let promoted = ev.promoted;
        let remember_after = std::mem::take(&mut ev.remember_after);
        self.worklist = queue;
        let mut remembered = remembered;
        remembered.clear();
        *self.remembered.get_mut() = remembered;
        self.fix_weak_after_minor();
        self.extref_after_minor();
        self.run_young_destructors();
        let (types, fin) = (&self.types, &mut self.fin);
        let (large_promoted, large_freed) = self.large.finish_minor(|o| {
            // SAFETY: `o` is a dead young large object being freed now.
            unsafe { crate::finalize::destroy(types, fin, o) }
        });
        // Objects that still point to pinned (young) objects are scanned again by the
        // next minor collection.
        let mut holders = pin_holders;
        holders.clear();
        holders.extend(remember_after);
        holders.sort_unstable();
        holders.dedup();
        self.pin_holders = holders;
        // Shadows of nursery objects that died stay behind as unreachable old objects;
        // those of pinned objects stay reserved until the object moves.
        if !self.shadows.is_empty() {
            let pins = &self.pins.pinned;
            self.shadows
                .retain(|&young, _| pins.iter().any(|&(p, _)| p.addr() == young));
        }
        self.rebuild_fragments();
        self.collecting = false;

        let dt = t0.elapsed();
        let s = &mut self.stats;
        s.minor_collections += 1;
        s.minor_time += dt;
        s.bytes_promoted += (promoted + large_promoted) as u64;
        s.bytes_freed += large_freed as u64;
        self.update_size_stats();
        self.hooks.record(|| {
            crate::hooks::GcEvent::Minor(crate::hooks::MinorEvent {
                start: t0,
                duration: dt,
                nursery_used: used,
                bytes_promoted: promoted + large_promoted,
                remembered: remembered_count,
                large_bytes_freed: large_freed,
            })
        });
        if self.config.verify {
            self.verify_or_panic("after a minor collection");
        }
        promoted + large_promoted
    }

    /// The statistics with the size figures as of now.
    pub fn current_stats(&self) -> crate::GcStats {
        let mut s = self.stats.clone();
        s.old_bytes = self.old_bytes();
        s.peak_old_bytes = s.peak_old_bytes.max(s.old_bytes);
        s.mapped_bytes = self.old.mapped_bytes() + self.large.bytes;
        s.arenas = self.old.arena_count();
        s.next_major_threshold = self.threshold;
        s
    }

    /// Refreshes the size figures of the statistics.
    pub fn update_size_stats(&mut self) {
        let old = self.old_bytes();
        let s = &mut self.stats;
        s.old_bytes = old;
        s.peak_old_bytes = s.peak_old_bytes.max(old);
        s.mapped_bytes = self.old.mapped_bytes() + self.large.bytes;
        s.arenas = self.old.arena_count();
        s.next_major_threshold = self.threshold;
    }
}
