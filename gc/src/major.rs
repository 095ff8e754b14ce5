//! Major collection: mark the whole heap, sweep the old space, set the next threshold,
//! in bounded steps interleaved with the mutator (or back to back, stop-the-world).
//!
//! A cycle is a state machine ([`Phase`]):
//! `Idle → Marking → ClearingWeak → Finalizing → Sweeping → Idle`. Every
//! step runs right after a minor collection, so the nursery is empty when it starts:
//!
//! - **start** (bounded by the roots): every root's target is greyed.
//! - **marking steps** (bounded by a byte budget): grey objects are popped and traced.
//!   Marking is *incremental update*: the write barrier already fires on every old
//!   object (`FLAG_TRACK_YOUNG_PTRS`), and the minor collection re-greys each remembered
//!   object that was black, greys every root target again (roots have no barrier, so
//!   each minor collection is the "root rescan", bounded like the minor collection
//!   itself), and makes every promoted object grey (marked and queued, since its
//!   children may be white). Marking is complete when a step empties the grey stack:
//!   the mutator has not run since the last rescan, so nothing is left.
//! - **weak clearing steps** (bounded by a number of holders, see `weak.rs`), with a
//!   read barrier on weak slots while they run.
//! - **finalizer ordering steps** (bounded by a byte budget, see `finalize.rs`).
//! - **sweeping steps** (bounded by a page count and an object count): old-space pages
//!   and then large objects are swept. Objects allocated meanwhile go to swept or fresh
//!   pages, never to pages still queued, so they are not touched.
//! - **finish** (constant time): the next threshold.
//!
//! Objects made old while marking are allocated black ([`Core::allocation_color`]).
//! Marking uses the header's `FLAG_MARKED` bit and an explicit grey stack.
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
    /// Marking is complete; weak slots to unmarked objects are being cleared.
    ClearingWeak,
    /// Finalizable objects found dead are being ordered (and what they reach kept).
    Finalizing,
    /// Pages remain to be swept.
    Sweeping,
}

#[derive(Default)]
pub(crate) struct MajorState {
    pub phase: Phase,
    pub grey: Vec<ObjRef>,
    /// Item ranges of black arrays whose cards were dirtied: traced like grey objects,
    /// but only these items (see `cards.rs`).
    pub grey_ranges: Vec<(ObjRef, usize, usize)>,
    /// Bytes traced in this cycle.
    pub marked_bytes: usize,
    /// Bytes freed in this cycle.
    pub freed_bytes: usize,
    /// Time spent in this cycle's steps.
    pub time: Duration,
    /// Steps run in this cycle.
    pub steps: u64,
    /// When this cycle started.
    pub started: Option<Instant>,
    /// When the step in progress started (not yet in `time`).
    pub step_start: Option<Instant>,
    /// Bytes given back to the OS at the end of this cycle.
    pub returned: usize,
}

/// Marks `o` (if it is not yet) and pushes it on the grey stack. Nursery objects (only
/// pinned ones can be reached here: a step runs right after a minor collection) are not
/// marked: they are roots while pinned, and a mark must never reach the nursery.
///
/// # Safety
/// `o` must be a live object.
#[inline(always)]
unsafe fn grey(o: ObjRef, grey: &mut Vec<ObjRef>) {
    // SAFETY: live object.
    unsafe {
        let h = o.header();
        if !h.has(FLAG_MARKED) && !h.has(crate::header::FLAG_PINNED) {
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
    /// progress (it must survive the cycle), nothing otherwise (during sweeping, new
    /// objects go where the sweep will not look).
    #[inline]
    pub fn allocation_color(&self) -> u64 {
        match self.major.phase {
            Phase::Marking | Phase::ClearingWeak | Phase::Finalizing => FLAG_MARKED,
            Phase::Idle | Phase::Sweeping => 0,
        }
    }

    /// Starts a cycle: every root's target is greyed. The nursery must be empty (a minor
    /// collection has just run).
    fn major_start(&mut self) {
        debug_assert_eq!(self.major.phase, Phase::Idle);
        self.major.phase = Phase::Marking;
        self.major.marked_bytes = 0;
        self.major.freed_bytes = 0;
        self.major.time = Duration::ZERO;
        self.major.steps = 0;
        self.major.started = Some(Instant::now());
        self.major.returned = 0;
        self.extref_mark_start();
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
            for q in self.fin.queues.iter_mut() {
                for o in q.iter_mut() {
                    f(o as *mut ObjRef as *mut Option<ObjRef>);
                }
            }
            for scanner in self.scanners.iter_mut() {
                scanner(&mut RootVisitor { f: &mut f });
            }
            // Cells reserved for nursery objects whose id was taken must survive the
            // cycle: the object may be copied in during sweeping.
            for s in self.shadows.values() {
                let h = s.header();
                s.set_header(Header(h.0 | FLAG_MARKED));
            }
            // Pinned nursery objects are roots; what they point to is (old) root targets.
            for &(p, _) in &self.pins.pinned {
                let info = self.types.get(p.header().type_id()).unwrap_unchecked();
                for_each_slot(p, info, &mut f);
            }
        }
    }

    /// Traces grey objects until `budget` bytes were traced or none is left. When none
    /// is left, marking is complete and sweeping is prepared.
    fn major_mark_step(&mut self, budget: usize) {
        debug_assert_eq!(self.major.phase, Phase::Marking);
        // Proxies held by foreign code are roots: scanned in chunks, each step.
        let nursery = &self.nursery;
        let links_scanned = self.extref.mark_step(
            (budget / 64).max(256),
            |o| nursery.contains(o.as_ptr()),
            &mut self.major.grey,
        );
        let mut done = 0;
        let mut pf = Prefetcher::new();
        while done < budget {
            let Some(o) = self.major.grey.pop() else {
                pf.drain(&mut self.major.grey);
                if !self.major.grey.is_empty() {
                    continue;
                }
                let Some((a, lo, hi)) = self.major.grey_ranges.pop() else {
                    break;
                };
                // SAFETY: a live old array of references with at least `hi` items.
                unsafe {
                    let info = self.types.get(a.header().type_id()).unwrap_unchecked();
                    let items = a.field_ptr::<Option<ObjRef>>(info.fixed_size);
                    for i in lo..hi {
                        if let Some(c) = *items.add(i) {
                            pf.push(c, &mut self.major.grey);
                        }
                    }
                }
                done += 8 * (hi - lo);
                continue;
            };
            // SAFETY: grey objects are live, marked old objects.
            done += unsafe { blacken(o, &self.types, &mut self.major.grey, &mut pf) };
        }
        pf.drain(&mut self.major.grey);
        self.major.marked_bytes += done;
        if links_scanned && self.major.grey.is_empty() && self.major.grey_ranges.is_empty() {
            self.weak_clear_start();
            self.extref_clear_start();
            self.major.phase = Phase::ClearingWeak;
        }
    }

    /// Clears weak slots of up to `holders` holders; then starts finalizer ordering.
    fn major_weak_step(&mut self, holders: usize) {
        if self.weak_clear_step(holders)
            && self.extref_clear_step(holders.max(16).saturating_mul(16))
        {
            self.finalize_start();
            self.major.phase = Phase::Finalizing;
        }
    }

    /// Advances finalizer ordering by `budget` bytes; then prepares sweeping.
    fn major_finalize_step(&mut self, budget: usize) {
        if self.finalize_step(budget) {
            self.old.sweep_prepare();
            self.large.sweep_prepare();
            self.major.phase = Phase::Sweeping;
        }
    }

    /// Sweeps up to `pages` old-space pages, then up to `pages * 64` large objects.
    fn major_sweep_step(&mut self, pages: usize) {
        debug_assert_eq!(self.major.phase, Phase::Sweeping);
        let mut freed = 0;
        let mut objects = 0;
        let (types, fin) = (&self.types, &mut self.fin);
        let mut on_free = |o: ObjRef| {
            // SAFETY: `o` is being freed now; its memory is intact until after this call.
            unsafe { crate::finalize::destroy(types, fin, o) }
        };
        for _ in 0..pages {
            match self.old.sweep_page(|o, _| on_free(o)) {
                Some(r) => {
                    freed += r.freed_bytes;
                    objects += r.freed_objects;
                }
                None => break,
            }
        }
        if self.old.sweep_remaining() == 0 {
            let (b, n) = self
                .large
                .sweep_some(pages.saturating_mul(64), &mut on_free);
            freed += b;
            objects += n;
        }
        self.major.freed_bytes += freed;
        self.stats.bytes_freed += freed as u64;
        self.stats.objects_freed += objects as u64;
        if self.old.sweep_remaining() == 0 && self.large.sweep_remaining() == 0 {
            // Keep empty arenas for what the heap may promote before the next cycle
            // (the threshold's headroom), at most four nurseries' worth: beyond that,
            // resident memory matters more than the page faults saved.
            let keep = self
                .threshold
                .saturating_sub(self.old_bytes())
                .min(4 * self.nursery.size());
            let returned = self.old.sweep_finish(keep);
            self.stats.bytes_returned += returned as u64;
            self.major.returned = returned;
            self.major_finish();
        }
    }

    fn major_finish(&mut self) {
        // The live size is what marking traced, not what the old generation holds now:
        // objects made old during an incremental cycle are kept (black) whether or not
        // they are still alive, and counting that floating garbage as live would push
        // every later threshold up.
        let live = self.major.marked_bytes.min(self.old_bytes());
        let c = &self.config;
        let grown = (live as f64 * c.major_collection_threshold) as usize;
        let capped = (self.threshold as f64 * c.growth_rate_max) as usize;
        self.threshold = grown
            .min(live.saturating_add(c.max_delta))
            .min(capped.max(live + live / 4))
            .max(c.min_heap_size);
        self.major.phase = Phase::Idle;
        self.stats.major_collections += 1;
        // The cycle's time: its earlier steps plus the one finishing it now.
        let total = self.major.time
            + self
                .major
                .step_start
                .map_or(Duration::ZERO, |t| t.elapsed());
        self.major.time = total;
        self.stats.major_time += total;
        self.update_size_stats();
        let m = &self.major;
        let (start, duration, steps, marked, freed) = (
            m.started.unwrap_or_else(Instant::now),
            m.time,
            m.steps.max(1),
            m.marked_bytes,
            m.freed_bytes,
        );
        let (old, arenas, threshold) = (self.old_bytes(), self.old.arena_count(), self.threshold);
        let returned = self.major.returned;
        self.hooks.record(|| {
            crate::hooks::GcEvent::Major(crate::hooks::MajorEvent {
                start,
                duration,
                steps,
                bytes_marked: marked,
                bytes_freed: freed,
                old_bytes_after: old,
                arenas_after: arenas,
                bytes_returned: returned,
                next_threshold: threshold,
            })
        });
    }

    /// One bounded step of the cycle, starting one if none is in progress. The nursery
    /// must be empty (call right after a minor collection). `promoted` is what the last
    /// minor collection made old: the step does at least four times that much marking
    /// (it must also trace those objects, which are greyed), so the collection keeps pace
    /// with the mutator (binary-trees 21: 437 MiB peak RSS, against 338 MiB stop-the-world
    /// and 742 MiB with twice the promoted bytes; `benches/compare.py`, `/usr/bin/time`).
    pub fn major_step(&mut self, promoted: usize) {
        let t0 = Instant::now();
        let (phase_before, marked0, freed0) = (
            self.major.phase,
            self.major.marked_bytes,
            self.major.freed_bytes,
        );
        self.collecting = true;
        self.major.step_start = Some(t0);
        let base = self.config.increment_step.max(1);
        match self.major.phase {
            Phase::Idle => {
                self.major_start();
                self.major_mark_step(base.max(4 * promoted));
            }
            Phase::Marking => self.major_mark_step(base.max(4 * promoted)),
            // A holder costs about as much as tracing 64 bytes.
            Phase::ClearingWeak => self.major_weak_step(base.max(4 * promoted) / 64),
            Phase::Finalizing => self.major_finalize_step(base.max(4 * promoted)),
            Phase::Sweeping => {
                // Sweeping is cheaper per byte than marking: eight times the budget.
                let pages = (8 * base.max(4 * promoted)).div_ceil(crate::old_space::PAGE_SIZE);
                self.major_sweep_step(pages)
            }
        }
        self.major.steps += 1;
        self.collecting = false;
        let dt = t0.elapsed();
        self.major.time += dt;
        let (marked, freed) = (
            self.major.marked_bytes.wrapping_sub(marked0),
            self.major.freed_bytes.wrapping_sub(freed0),
        );
        let phase_after = self.major.phase;
        self.hooks.record(|| {
            crate::hooks::GcEvent::MajorStep(crate::hooks::StepEvent {
                start: t0,
                duration: dt,
                phase_before,
                phase_after,
                bytes_marked: marked,
                bytes_freed: freed,
            })
        });
        if self.config.verify {
            self.verify_or_panic("after a major-collection step");
        }
    }

    /// A whole major collection, stop-the-world: finishes a cycle in progress, then runs
    /// a complete new one, so that everything unreachable now is freed.
    pub fn major_collection(&mut self) {
        self.minor_collection();
        if self.major.phase != Phase::Idle {
            self.finish_cycle();
        }
        self.major_after_minor();
    }

    /// A complete cycle, stop-the-world, right after a minor collection (no cycle may
    /// be in progress).
    pub fn major_after_minor(&mut self) {
        debug_assert_eq!(self.major.phase, Phase::Idle);
        let t0 = Instant::now();
        self.collecting = true;
        self.major_start();
        self.collecting = false;
        self.major.time = t0.elapsed();
        self.major.steps = 1;
        self.finish_cycle();
        if self.config.verify {
            self.verify_or_panic("after a major collection");
        }
    }

    /// Finishes the cycle in progress at once (right after a minor collection).
    pub fn finish_cycle_now(&mut self) {
        self.finish_cycle();
        if self.config.verify {
            self.verify_or_panic("after finishing a major collection");
        }
    }

    /// Runs the cycle in progress to its end with unbounded steps. The nursery must be
    /// empty.
    fn finish_cycle(&mut self) {
        self.major.step_start = Some(Instant::now());
        self.collecting = true;
        while self.major.phase == Phase::Marking {
            self.major_mark_step(usize::MAX);
        }
        while self.major.phase == Phase::ClearingWeak {
            self.major_weak_step(usize::MAX);
        }
        while self.major.phase == Phase::Finalizing {
            self.major_finalize_step(usize::MAX);
        }
        while self.major.phase == Phase::Sweeping {
            self.major_sweep_step(usize::MAX);
        }
        self.collecting = false;
    }
}
