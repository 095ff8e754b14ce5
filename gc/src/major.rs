//! Major collection: mark the whole heap, sweep the old space, set the next threshold.
//!
//! The collection is a state machine ([`Phase`]) driven through bounded steps:
//! [`Core::major_start`] (a minor collection, then the roots are greyed),
//! [`Core::major_mark_step`] (pops grey objects until a byte budget is spent),
//! [`Core::major_sweep_step`] (sweeps a number of pages), and the completion, which
//! computes the next threshold. [`Core::major_collection`] runs the steps back to back
//! with unbounded budgets: this is the stop-the-world collection. The incremental
//! collector interleaves the same steps with the mutator; for that the write barrier
//! already re-arms on marked objects (`FLAG_TRACK_YOUNG_PTRS` is set on every old object),
//! and [`Core::allocation_color`] tells what colour new old objects get.
//!
//! Marking uses the header's `FLAG_MARKED` bit and an explicit grey stack. An object is
//! marked when it is pushed, so it is pushed once.
//!
//! Threshold after a collection (PyPy's rule):
//! `min(live × major_collection_threshold, live + max_delta, previous × growth_rate_max)`,
//! at least `min_heap_size`; the growth cap never brings it below `1.25 × live`, so a
//! heap whose live data keeps growing does not collect at every minor collection.

use crate::header::{Header, ObjRef, FLAG_MARKED};
use crate::heap::Core;
use crate::layout::TypeRegistry;
use crate::roots::RootVisitor;
use crate::trace::{for_each_slot, object_size};
use std::time::{Duration, Instant};

/// Where the major collection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Phase {
    /// No major collection in progress.
    #[default]
    Idle,
    /// Grey objects remain to be traced.
    Marking,
    /// Pages remain to be swept.
    Sweeping,
}

#[derive(Default)]
pub(crate) struct MajorState {
    pub phase: Phase,
    pub grey: Vec<ObjRef>,
    /// Bytes traced in this cycle.
    pub marked_bytes: usize,
    /// Bytes freed in this cycle.
    pub freed_bytes: usize,
    /// Time spent in this cycle's steps.
    pub time: Duration,
}

/// Marks `o` (if it is not yet) and pushes it on the grey stack.
///
/// # Safety
/// `o` must be a live old object.
#[inline(always)]
unsafe fn grey(o: ObjRef, grey: &mut Vec<ObjRef>) {
    // SAFETY: live object.
    unsafe {
        let h = o.header();
        if !h.has(FLAG_MARKED) {
            o.set_header(Header(h.0 | FLAG_MARKED));
            grey.push(o);
        }
    }
}

/// Children found by tracing wait here a few steps, their headers prefetched, before
/// they are greyed: reading each child's header is otherwise a cache miss per object.
struct Prefetcher {
    ring: [Option<ObjRef>; RING],
    pos: usize,
}

const RING: usize = 8;

impl Prefetcher {
    fn new() -> Prefetcher {
        Prefetcher {
            ring: [None; RING],
            pos: 0,
        }
    }

    /// Queues `o`; greys the child queued `RING` calls ago.
    ///
    /// # Safety
    /// `o` must be a live old object.
    #[inline(always)]
    unsafe fn push(&mut self, o: ObjRef, stack: &mut Vec<ObjRef>) {
        crate::minor::prefetch(o.as_ptr());
        let i = self.pos % RING;
        self.pos = self.pos.wrapping_add(1);
        if let Some(older) = self.ring[i].replace(o) {
            // SAFETY: queued objects are live old objects.
            unsafe { grey(older, stack) };
        }
    }

    /// Greys every queued child.
    fn drain(&mut self, stack: &mut Vec<ObjRef>) {
        for slot in self.ring.iter_mut() {
            if let Some(o) = slot.take() {
                // SAFETY: queued objects are live old objects.
                unsafe { grey(o, stack) };
            }
        }
    }
}

/// Traces one grey object, queueing its children; returns its size.
///
/// # Safety
/// `o` must be a live, marked old object.
#[inline(always)]
unsafe fn blacken(
    o: ObjRef,
    types: &TypeRegistry,
    stack: &mut Vec<ObjRef>,
    pf: &mut Prefetcher,
) -> usize {
    // SAFETY: live object with a registered type; its slots hold None or live references
    // (the heap invariant outside minor collections).
    unsafe {
        let info = types.get(o.header().type_id()).unwrap_unchecked();
        for_each_slot(o, info, |s| {
            if let Some(c) = *s {
                pf.push(c, stack);
            }
        });
        object_size(o, info)
    }
}

impl Core {
    /// The header bits an object made old now must carry: marked while marking is in
    /// progress (it must survive the cycle), nothing otherwise.
    #[inline]
    pub fn allocation_color(&self) -> u64 {
        match self.major.phase {
            Phase::Marking => FLAG_MARKED,
            // Sweeping: pages allocated into after `sweep_prepare` are not swept this
            // cycle, and cells reused from swept pages were already passed.
            Phase::Idle | Phase::Sweeping => 0,
        }
    }

    /// Starts a cycle: a minor collection empties the nursery, then every root is greyed.
    pub fn major_start(&mut self) {
        debug_assert_eq!(self.major.phase, Phase::Idle);
        self.minor_collection();
        let t0 = Instant::now();
        self.major.phase = Phase::Marking;
        self.major.marked_bytes = 0;
        self.major.freed_bytes = 0;
        let stack = &mut self.major.grey;
        // SAFETY: after a minor collection every root holds None or a live old object.
        unsafe {
            let mut f = |s: *mut Option<ObjRef>| {
                if let Some(o) = *s {
                    grey(o, stack);
                }
            };
            for s in self.shadow.slots_mut() {
                f(s);
            }
            for s in self.handles.get_mut().iter_mut() {
                f(s);
            }
            for s in self.globals.slots.iter_mut() {
                f(s);
            }
            for scanner in self.scanners.iter_mut() {
                scanner(&mut RootVisitor { f: &mut f });
            }
        }
        self.major.time = t0.elapsed();
    }

    /// Traces grey objects until `budget` bytes were traced or none is left. Returns
    /// whether marking is complete.
    pub fn major_mark_step(&mut self, budget: usize) -> bool {
        debug_assert_eq!(self.major.phase, Phase::Marking);
        let t0 = Instant::now();
        let mut done = 0;
        let mut pf = Prefetcher::new();
        while done < budget {
            let Some(o) = self.major.grey.pop() else {
                pf.drain(&mut self.major.grey);
                if self.major.grey.is_empty() {
                    break;
                }
                continue;
            };
            // SAFETY: grey objects are live, marked old objects.
            done += unsafe { blacken(o, &self.types, &mut self.major.grey, &mut pf) };
        }
        pf.drain(&mut self.major.grey);
        self.major.marked_bytes += done;
        let finished = self.major.grey.is_empty();
        if finished {
            self.old.sweep_prepare();
            self.major.phase = Phase::Sweeping;
        }
        self.major.time += t0.elapsed();
        finished
    }

    /// Sweeps up to `pages` old-space pages (and, once they are done, the large objects).
    /// Returns whether the cycle is complete.
    pub fn major_sweep_step(&mut self, pages: usize) -> bool {
        debug_assert_eq!(self.major.phase, Phase::Sweeping);
        let t0 = Instant::now();
        let mut freed = 0;
        let mut objects = 0;
        for _ in 0..pages {
            match self.old.sweep_page(|_, _| {}) {
                Some(r) => {
                    freed += r.freed_bytes;
                    objects += r.freed_objects;
                }
                None => break,
            }
        }
        let finished = self.old.sweep_remaining() == 0;
        if finished {
            let (b, n) = self.large.sweep(|_| {});
            freed += b;
            objects += n;
            // Keep empty arenas for what the heap may promote before the next cycle
            // (the threshold's headroom), at most four nurseries' worth: beyond that,
            // resident memory matters more than the page faults saved.
            let keep = self
                .threshold
                .saturating_sub(self.old_bytes())
                .min(4 * self.nursery.size());
            let returned = self.old.sweep_finish(keep);
            self.stats.bytes_returned += returned as u64;
        }
        self.major.freed_bytes += freed;
        self.stats.bytes_freed += freed as u64;
        self.stats.objects_freed += objects as u64;
        self.major.time += t0.elapsed();
        if finished {
            self.major_finish();
        }
        finished
    }

    fn major_finish(&mut self) {
        let live = self.old_bytes();
        let c = &self.config;
        let grown = (live as f64 * c.major_collection_threshold) as usize;
        let capped = (self.threshold as f64 * c.growth_rate_max) as usize;
        self.threshold = grown
            .min(live.saturating_add(c.max_delta))
            .min(capped.max(live + live / 4))
            .max(c.min_heap_size);
        self.major.phase = Phase::Idle;
        let dt = self.major.time;
        self.stats.major_collections += 1;
        self.stats.major_time += dt;
        self.stats.max_pause = self.stats.max_pause.max(dt);
        self.update_size_stats();
    }

    /// A whole major collection, stop-the-world: finishes a cycle in progress first.
    pub fn major_collection(&mut self) {
        if self.major.phase == Phase::Idle {
            self.major_start();
        }
        self.collecting = true;
        while self.major.phase == Phase::Marking {
            self.major_mark_step(usize::MAX);
        }
        while self.major.phase == Phase::Sweeping {
            self.major_sweep_step(usize::MAX);
        }
        self.collecting = false;
        if self.config.verify {
            self.verify_or_panic("after a major collection");
        }
    }
}
