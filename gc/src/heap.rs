//! The heap: the collector's state, the allocation paths and the collection policy.
//!
//! [`Core`] owns every space and root set; it is boxed so that the [`BumpPointer`] and
//! the [`ShadowStack`] header keep stable addresses that compiled code may use. The
//! public, safe face is [`crate::Heap`] and [`crate::Scope`]; this module holds the
//! mechanisms they share: the inlinable nursery fast path, the slow path (stress
//! counting, collections, the heap limit), direct old-space allocation and the
//! major-collection trigger.

use crate::config::GcConfig;
use crate::header::{Header, ObjRef, FLAG_TRACK_YOUNG_PTRS, HEADER_SIZE};
use crate::large::LargeSpace;
use crate::layout::{TypeId, TypeInfo, TypeRegistry};
use crate::major::MajorState;
use crate::major::Phase;
use crate::nursery::{BumpPointer, Nursery};
use crate::old_space::{OldSpace, MAX_SMALL_SIZE};
use crate::roots::{Globals, RootScanner, ShadowStack};
use crate::stats::GcStats;
use std::cell::UnsafeCell;
use std::fmt;
use std::ptr::NonNull;
use std::time::Instant;

/// Objects larger than this are never allocated in the nursery (PyPy's `large_object`
/// is 132 KiB; we use 128 KiB).
pub const LARGE_OBJECT_SIZE: usize = 128 << 10;

/// Why an allocation failed. The heap is left consistent: the embedder may drop
/// references and try again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllocError {
    /// The configured heap limit would be exceeded even after a full collection.
    HeapLimit {
        /// Bytes asked for.
        requested: usize,
        /// The limit ([`GcConfig::max_heap_size`]).
        limit: usize,
        /// Bytes of old objects still live after the full collection.
        live: usize,
    },
    /// The operating system refused memory.
    OutOfMemory {
        /// Bytes asked for.
        requested: usize,
    },
    /// The type id was not registered with this heap.
    UnknownType(TypeId),
    /// The size of the requested array overflows.
    TooLarge {
        /// The type.
        ty: TypeId,
        /// The item count asked for.
        len: usize,
    },
    /// A fixed-size type was allocated with a length, or an array type without one.
    WrongKind(TypeId),
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AllocError::HeapLimit {
                requested,
                limit,
                live,
            } => write!(
                f,
                "heap limit reached: {requested} bytes requested, {live} bytes live after a \
                 full collection, limit {limit} bytes (THICKET_GC_MAX)"
            ),
            AllocError::OutOfMemory { requested } => {
                write!(
                    f,
                    "the operating system refused memory ({requested} bytes requested)"
                )
            }
            AllocError::UnknownType(t) => write!(f, "type id {} is not registered", t.0),
            AllocError::TooLarge { ty, len } => {
                write!(f, "an array of type {} with {len} items is too large", ty.0)
            }
            AllocError::WrongKind(t) => write!(
                f,
                "type {} is allocated with the wrong call (fixed vs. variable size)",
                t.0
            ),
        }
    }
}

impl std::error::Error for AllocError {}

/// The collector's state. See the module documentation.
#[repr(C)]
pub(crate) struct Core {
    /// The nursery allocation pointers; first field, so compiled code finds them at the
    /// heap's address.
    pub bump: BumpPointer,
    pub nursery: Nursery,
    pub types: TypeRegistry,
    pub old: OldSpace,
    pub large: LargeSpace,
    /// Old objects whose write barrier fired since the last minor collection.
    pub remembered: UnsafeCell<Vec<ObjRef>>,
    /// Cards set since the last minor collection: array and card number (`cards.rs`).
    pub cards: UnsafeCell<Vec<(ObjRef, usize)>>,
    /// Scoped handle slots (see `scope.rs`).
    pub handles: UnsafeCell<Vec<Option<ObjRef>>>,
    pub shadow: ShadowStack,
    pub globals: Globals,
    pub scanners: Vec<RootScanner>,
    pub config: GcConfig,
    pub stats: GcStats,
    /// Old-generation size that starts the next major collection.
    pub threshold: usize,
    /// Allocations left before the next stress-mode minor collection.
    pub stress_countdown: u64,
    /// Safepoint mode: a collection is due at the next safepoint.
    pub collect_requested: bool,
    /// Worklist reused by minor collections.
    pub worklist: Vec<ObjRef>,
    pub major: MajorState,
    /// Set while a collection runs (re-entrancy check).
    pub collecting: bool,
    /// The event hook and the events waiting for it.
    pub hooks: crate::hooks::Hooks,
    /// Weak-reference bookkeeping.
    pub weak: crate::weak::WeakState,
    /// Destructors and finalizer queues.
    pub fin: crate::finalize::FinalizeState,
    /// Pinned nursery objects and the free fragments between them.
    pub pins: crate::pin::PinState,
    /// Old objects that pointed to pinned nursery objects after the last minor
    /// collection (see `pin.rs`).
    pub pin_holders: Vec<ObjRef>,
    /// Nursery objects whose id was taken, and their reserved old cells.
    pub shadows: std::collections::HashMap<usize, ObjRef>,
    /// Links to externally reference-counted proxies (`extref.rs`).
    pub extref: crate::extref::ExtRefState,
}

impl Core {
    pub fn new(config: GcConfig) -> Result<Box<Core>, AllocError> {
        let nursery_size = config
            .nursery_size
            .max(crate::config::MIN_NURSERY_SIZE)
            .max(2 * LARGE_OBJECT_SIZE);
        let nursery = Nursery::new(nursery_size).ok_or(AllocError::OutOfMemory {
            requested: nursery_size,
        })?;
        let mut core = Box::new(Core {
            bump: BumpPointer {
                free: nursery.start,
                top: nursery.end,
            },
            types: TypeRegistry::default(),
            old: OldSpace::new(config.poison_nursery),
            large: LargeSpace::default(),
            remembered: UnsafeCell::new(Vec::new()),
            cards: UnsafeCell::new(Vec::new()),
            handles: UnsafeCell::new(Vec::with_capacity(1024)),
            shadow: ShadowStack::new(config.shadow_stack_slots),
            globals: Globals::default(),
            scanners: Vec::new(),
            stats: GcStats {
                nursery_size: nursery.size(),
                ..GcStats::default()
            },
            threshold: config.min_heap_size,
            stress_countdown: config.stress_minor_every.unwrap_or(0),
            collect_requested: false,
            worklist: Vec::new(),
            major: MajorState::default(),
            collecting: false,
            hooks: Default::default(),
            weak: Default::default(),
            fin: Default::default(),
            extref: Default::default(),
            pins: crate::pin::PinState {
                frag_start: nursery.start as usize,
                frag_end: nursery.end as usize,
                ..Default::default()
            },
            shadows: Default::default(),
            pin_holders: Vec::new(),
            nursery,
            config,
        });
        core.stats.next_major_threshold = core.threshold;
        core.reset_nursery_top();
        Ok(core)
    }

    /// Sets `bump.top`: the nursery end, or (stress mode) the current position, so that
    /// every allocation takes the slow path, which counts.
    pub fn reset_nursery_top(&mut self) {
        self.bump.top = if self.config.stress_minor_every.is_some() {
            self.bump.free
        } else {
            self.pins.frag_end as *mut u8
        };
    }

    #[inline(always)]
    pub fn info(&self, ty: TypeId) -> Result<&TypeInfo, AllocError> {
        self.types.get(ty).ok_or(AllocError::UnknownType(ty))
    }

    /// Bytes of old objects (small cells and large objects).
    #[inline]
    pub fn old_bytes(&self) -> usize {
        self.old.bytes_in_use + self.large.old_bytes
    }

    /// Allocates an object of type `ty` with `len` items (0 for fixed types): the header
    /// written, the length field set, every other byte zero (so every reference slot is
    /// `None`). `array` says whether the caller means a variable-size type; a mismatch is
    /// [`AllocError::WrongKind`].
    ///
    /// # Safety
    /// May collect: every reference the caller holds outside a root is invalid afterwards.
    #[inline(always)]
    pub unsafe fn alloc(
        &mut self,
        ty: TypeId,
        len: usize,
        array: bool,
    ) -> Result<ObjRef, AllocError> {
        let info = self.info(ty)?;
        if info.var.is_some() != array {
            return Err(AllocError::WrongKind(ty));
        }
        let size = info.size_for(len).ok_or(AllocError::TooLarge { ty, len })?;
        let len_off = info.var.as_ref().map(|v| v.length_offset);
        debug_assert!(
            !self.fin.in_destructor,
            "thicket-gc: a destructor tried to allocate"
        );
        let p = self.bump.free;
        if (self.bump.top as usize) - (p as usize) >= size && size <= info.fast_max {
            // SAFETY: `p + size <= top <= nursery end`.
            self.bump.free = unsafe { p.add(size) };
            // SAFETY: `[p, p+size)` is nursery memory just reserved for this object.
            return Ok(unsafe { init_object(p, size, Header::new(ty), len_off, len) });
        }
        // SAFETY: forwarded to the caller.
        unsafe { self.alloc_slow(ty, len, size, len_off) }
    }

    #[cold]
    #[inline(never)]
    unsafe fn alloc_slow(
        &mut self,
        ty: TypeId,
        len: usize,
        size: usize,
        len_off: Option<usize>,
    ) -> Result<ObjRef, AllocError> {
        if size > LARGE_OBJECT_SIZE {
            self.stats.large_objects_allocated += 1;
            self.stats.bytes_allocated += size as u64;
            return self.alloc_outside_nursery(ty, len, size, len_off, true);
        }
        let deferred = self.config.collect_at_safepoints_only;
        if let Some(every) = self.config.stress_minor_every {
            self.stress_countdown = self.stress_countdown.saturating_sub(1);
            if self.stress_countdown == 0 {
                self.stress_countdown = every;
                if deferred {
                    self.collect_requested = true;
                } else {
                    self.collect_young()?;
                }
            }
        }
        let mut collected = false;
        while self.pins.frag_end - (self.bump.free as usize) < size {
            if self.next_fragment() {
                continue;
            }
            if deferred {
                // No collection here: the next safepoint runs it; meanwhile the object
                // is allocated old (and remembered, see `alloc_outside_nursery`).
                self.collect_requested = true;
                return self.alloc_outside_nursery(ty, len, size, len_off, false);
            }
            if collected || self.pins.exhausted {
                // Pinned objects leave no fragment large enough: allocate old, and do not
                // collect again for every allocation until a pin is released.
                self.pins.exhausted = true;
                return self.alloc_outside_nursery(ty, len, size, len_off, false);
            }
            self.collect_young()?;
            collected = true;
        }
        let p = self.bump.free;
        // SAFETY: the current fragment has room for `size` bytes (checked above).
        let obj = unsafe {
            self.bump.free = p.add(size);
            self.reset_nursery_top();
            init_object(p, size, Header::new(ty), len_off, len)
        };
        if self.types.get(ty).is_some_and(|i| i.destructor.is_some()) {
            self.fin.young_destructors.push(obj);
        }
        Ok(obj)
    }

    /// The nursery is full: minor collection, then whatever the policy asks for, then
    /// the heap-limit check.
    fn collect_young(&mut self) -> Result<(), AllocError> {
        let t0 = Instant::now();
        let promoted = self.minor_collection();
        self.after_minor(promoted);
        self.end_pause(t0);
        self.check_limit(0)
    }

    /// What the policy does after a minor collection: one incremental step if a cycle is
    /// in progress or the threshold is passed (or, stop-the-world, a whole major
    /// collection). If the mutator outruns the incremental cycle so far that the old
    /// generation doubles its threshold, the cycle is finished at once (a long pause,
    /// but a bounded heap).
    pub fn after_minor(&mut self, promoted: usize) {
        let due = self.old_bytes() > self.threshold;
        if !self.config.incremental {
            // A cycle may have been started by hand (`collect_step`): finish it first.
            if self.major.phase != Phase::Idle {
                self.finish_cycle_now();
            } else if due {
                self.major_after_minor();
            }
        } else if self.major.phase != Phase::Idle || due {
            self.major_step(promoted);
            if self.major.phase != Phase::Idle && self.old_bytes() > 2 * self.threshold {
                self.finish_cycle_now();
            }
        }
    }

    /// Safepoint mode: runs the collection requested since the last safepoint, if any.
    pub fn safepoint_collect(&mut self) -> Result<(), AllocError> {
        if !self.collect_requested {
            return Ok(());
        }
        self.collect_requested = false;
        self.collect_young()
    }

    /// An explicit minor collection (a pause of its own).
    pub fn explicit_minor(&mut self) {
        let t0 = Instant::now();
        self.minor_collection();
        self.end_pause(t0);
    }

    /// An explicit full major collection (a pause of its own).
    pub fn explicit_major(&mut self) {
        let t0 = Instant::now();
        self.major_collection();
        self.end_pause(t0);
    }

    /// An explicit incremental step: a minor collection and one major-collection step
    /// (starting a cycle if none is in progress). Returns the phases before and after.
    pub fn explicit_step(&mut self) -> (Phase, Phase) {
        let t0 = Instant::now();
        let before = self.major.phase;
        let promoted = self.minor_collection();
        self.major_step(promoted);
        self.end_pause(t0);
        (before, self.major.phase)
    }

    /// Records one pause (the mutator stopped since `start`) and, the pause being over,
    /// delivers the pending hook events.
    pub fn end_pause(&mut self, start: Instant) {
        let dt = start.elapsed();
        self.stats.max_pause = self.stats.max_pause.max(dt);
        self.stats.pauses.record(dt);
        self.hooks.record(|| {
            crate::hooks::GcEvent::Pause(crate::hooks::PauseEvent {
                start,
                duration: dt,
            })
        });
        self.hooks.deliver();
    }

    /// Fails if the old generation plus the nursery plus `extra` would exceed the limit,
    /// after trying a full collection.
    fn check_limit(&mut self, extra: usize) -> Result<(), AllocError> {
        let Some(limit) = self.config.max_heap_size else {
            return Ok(());
        };
        // Young large objects count too: they live outside the nursery.
        let need = |c: &Core| c.old.bytes_in_use + c.large.bytes + c.nursery.size() + extra;
        if need(self) <= limit {
            return Ok(());
        }
        self.major_collection();
        if need(self) <= limit {
            return Ok(());
        }
        Err(AllocError::HeapLimit {
            requested: extra,
            limit,
            live: self.old_bytes(),
        })
    }

    /// Allocation that bypasses the nursery: large objects (young, so that a minor
    /// collection can free them cheaply) and non-moving objects (old).
    pub fn alloc_outside_nursery(
        &mut self,
        ty: TypeId,
        len: usize,
        size: usize,
        len_off: Option<usize>,
        young: bool,
    ) -> Result<ObjRef, AllocError> {
        // Young large objects die at minor collections, but only allocation in the
        // nursery would trigger one: once they add up to a nursery's worth, collect.
        let young_large_due = young && self.large.young_bytes + size > self.nursery.size();
        let due = self.old_bytes() + size > self.threshold || young_large_due;
        let deferred = self.config.collect_at_safepoints_only;
        if due && deferred {
            self.collect_requested = true;
        } else if due {
            let t0 = Instant::now();
            let promoted = self.minor_collection();
            self.after_minor(promoted);
            self.end_pause(t0);
        }
        if !deferred {
            self.check_limit(size)?;
        }
        let large = size > MAX_SMALL_SIZE || young;
        let cards = large
            && len >= crate::cards::CARD_MIN_ITEMS
            && self
                .types
                .get(ty)
                .is_some_and(|i| i.kind == crate::layout::TraceKind::RefArray);
        let prefix = if cards {
            crate::cards::card_table_bytes(len)
        } else {
            0
        };
        let p = if large {
            self.large.alloc(size, young, prefix)
        } else {
            self.old.alloc(size)
        }
        .ok_or(AllocError::OutOfMemory { requested: size })?;
        // In safepoint mode an old object may be the fallback for a full nursery: its
        // creator initialises it without barriers, so it starts remembered (scanned by the
        // next minor collection) instead of with the barrier armed.
        let remember = deferred && !young;
        let flags = if large {
            LargeSpace::initial_flags(young)
        } else {
            FLAG_TRACK_YOUNG_PTRS
        } | if cards {
            crate::cards::FLAG_HAS_CARDS
        } else {
            0
        };
        // Objects created during marking must not be swept by the cycle in progress.
        let flags = flags | self.allocation_color();
        self.stats.peak_old_bytes = self.stats.peak_old_bytes.max(self.old_bytes());
        let weak = self.types.get(ty).is_some_and(|i| i.has_weak());
        // SAFETY: `p` is a fresh allocation of at least `size` bytes.
        let obj = unsafe {
            init_object(
                p.as_ptr(),
                size,
                Header(Header::new(ty).0 | flags),
                len_off,
                len,
            )
        };
        if weak && !young {
            self.weak.holders.push(obj);
        }
        if remember {
            // SAFETY: `obj` is a fresh old object; clearing the bit and listing it is
            // exactly what the barrier's slow path does.
            unsafe {
                obj.set_header(Header(obj.header().0 & !FLAG_TRACK_YOUNG_PTRS));
            }
            self.remembered.get_mut().push(obj);
        }
        Ok(obj)
    }

    /// Direct old-space allocation of an object that will never move.
    pub fn alloc_nonmoving(&mut self, ty: TypeId, len: usize) -> Result<ObjRef, AllocError> {
        let info = self.info(ty)?;
        let size = info.size_for(len).ok_or(AllocError::TooLarge { ty, len })?;
        let len_off = info.var.as_ref().map(|v| v.length_offset);
        self.stats.nonmoving_objects_allocated += 1;
        self.stats.bytes_allocated += size as u64;
        self.alloc_outside_nursery(ty, len, size, len_off, false)
    }

    /// Bytes allocated in the nursery since the last minor collection. The fast path
    /// counts nothing; the nursery's consumption tells the statistics.
    pub fn nursery_used(&self) -> usize {
        self.nursery_used_ranges().iter().map(|(a, b)| b - a).sum()
    }
}

/// Writes a fresh object into `[p, p+size)`: header, zeros, the length field.
///
/// # Safety
/// `[p, p+size)` must be writable memory owned by the heap and reserved for this object;
/// `size` is a multiple of 8 and at least 16; `len_off`, if any, is inside the object.
#[inline(always)]
pub(crate) unsafe fn init_object(
    p: *mut u8,
    size: usize,
    header: Header,
    len_off: Option<usize>,
    len: usize,
) -> ObjRef {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let words = p as *mut u64;
        *words = header.0;
        // Small objects get straight-line stores: a loop here is turned into a call to
        // memset, which `perf` showed at 8% of binary-trees' time.
        match size / 8 {
            2 => *words.add(1) = 0,
            3 => {
                *words.add(1) = 0;
                *words.add(2) = 0;
            }
            4 => {
                *words.add(1) = 0;
                *words.add(2) = 0;
                *words.add(3) = 0;
            }
            // Up to 16 words: plain stores (a memset call costs more at these sizes).
            n @ 5..=16 => {
                for i in 1..n {
                    std::ptr::write_volatile(words.add(i), 0);
                }
            }
            _ => std::ptr::write_bytes(p.add(HEADER_SIZE), 0, size - HEADER_SIZE),
        }
        if let Some(off) = len_off {
            *(p.add(off) as *mut usize) = len;
        }
        ObjRef::from_raw(NonNull::new_unchecked(p))
    }
}
