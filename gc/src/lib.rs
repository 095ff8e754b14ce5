//! Thicket's garbage collector: moving, generational, with a non-moving old space, for
//! any language runtime.
//!
//! The collector knows nothing of the language it serves. A runtime describes its object
//! layouts as data ([`TypeDesc`]: sizes, reference offsets, optional variable part and
//! custom trace) and its roots through a shadow stack, scoped handles, global roots and
//! root scanners. Young objects are bump-allocated in a nursery and copied out by minor
//! collections; old objects live in segregated size classes (or the large-object space)
//! and are marked and swept by major collections. A one-bit object write barrier keeps
//! the remembered set.
//!
//! Layout of the crate, one idea per file:
//!
//! | file | what it holds |
//! |---|---|
//! | `config.rs` | [`GcConfig`], defaults, `THICKET_GC_*` overrides |
//! | `header.rs` | the header word, its flags, [`ObjRef`] |
//! | `layout.rs` | [`TypeDesc`], the type registry |
//! | `nursery.rs` | the nursery and the inlinable [`BumpPointer`] |
//! | `old_space.rs` | arenas, pages, size classes, page sweeping |
//! | `large.rs` | the large-object space |
//! | `heap.rs` | the collector state, allocation paths and policy |
//! | `minor.rs` | minor collection (evacuation) |
//! | `major.rs` | major collection (mark, sweep, threshold), as steps |
//! | `barrier.rs` | the write barrier |
//! | `cards.rs` | card marking for large arrays of references |
//! | `compiled.rs` | `extern "C"` slow paths for compiled code |
//! | `roots.rs` | shadow stack, global roots, root scanners |
//! | `pin.rs` | pinning nursery objects in place |
//! | `scope.rs` | the safe API: scopes, handles, views, fields |
//! | `trace.rs` | finding the reference slots of an object |
//! | `verify.rs` | the heap verifier |
//! | `weak.rs` | weak references |
//! | `finalize.rs` | light destructors and finalizer queues |
//! | `stats.rs` | statistics and the pause histogram |
//! | `hooks.rs` | per-event hooks |
//! | `identity.rs` | ids and identity hashes stable across moves |
//! | `os.rs` | memory from the OS |
//!
//! # Safety model
//! The unsafe core works on raw [`ObjRef`]s. Safe code uses [`Heap::scope`]: handles are
//! re-read after every collection, views cannot outlive a shared borrow of the scope,
//! and field descriptors are checked against the layout, so safe code cannot touch a
//! stale or forged reference. Runtimes that manage roots themselves (interpreters, JITs)
//! use the `unsafe` raw API ([`Heap::alloc_raw`], the shadow stack, the barrier).
//!
//! ```
//! use thicket_gc::{GcConfig, Heap, TypeDesc};
//! let mut heap = Heap::new(GcConfig::default()).unwrap();
//! let pair = heap.register(TypeDesc::fixed("pair", 24, &[8, 16])).unwrap();
//! let car = heap.ref_field(pair, 8).unwrap();
//! heap.scope(|s| {
//!     let a = s.alloc(pair).unwrap();
//!     let b = s.alloc(pair).unwrap();
//!     s.set(b, car, Some(a));
//!     s.collect_minor(); // both move; the handles follow
//!     assert!(s.same(s.get(b, car), a));
//! });
//! ```

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

mod barrier;
mod cards;
mod compiled;
pub mod config;
mod extref;
mod finalize;
mod header;
mod heap;
mod hooks;
mod identity;
mod large;
mod layout;
mod major;
mod minor;
mod nursery;
mod old_space;
mod os;
mod pin;
mod roots;
mod scope;
mod stats;
mod trace;
mod verify;
mod weak;

pub use barrier::TRACK_YOUNG_PTRS_BIT;
pub use cards::{CARD_ITEMS, CARD_MIN_ITEMS, FLAG_CARDS_SET, FLAG_HAS_CARDS};
pub use compiled::{thicket_gc_alloc_slow, thicket_gc_remember};
pub use config::{ConfigError, GcConfig};
pub use extref::{ExtRefError, EXTREF_BIAS, LINK_SHIFT, MAX_LINKS};
pub use finalize::FinalizerQueue;
pub use header::{Header, ObjRef, HEADER_SIZE, MIN_OBJECT_SIZE, OBJECT_ALIGN};
pub use heap::{AllocError, LARGE_OBJECT_SIZE};
pub use hooks::{GcEvent, GcHook, MajorEvent, MinorEvent, PauseEvent, StepEvent};
pub use layout::{Destructor, LayoutError, TraceFn, TypeDesc, TypeId, VarPart};
pub use major::Phase;
pub use nursery::{BumpPointer, POISON_BYTE};
pub use old_space::{ARENA_SIZE, MAX_SMALL_SIZE, PAGE_SIZE};
pub use roots::{GlobalRoot, RootScanner, RootVisitor, ShadowStack, ShadowStackOverflow};
pub use scope::{DataField, FieldError, Handle, Obj, Plain, RefField, Scope, WeakField};
pub use stats::{GcStats, PauseHistogram};
pub use verify::{HeapCorruption, VerifyReport};

use heap::Core;

/// A garbage-collected heap. Single-threaded: it is neither `Send` nor `Sync`.
pub struct Heap {
    core: Box<Core>,
}

impl Heap {
    /// A heap with this configuration, plus the debug overrides of the environment
    /// (stress modes and verification, see [`GcConfig::with_debug_env`]). Fails only if
    /// the nursery cannot be mapped.
    pub fn new(config: GcConfig) -> Result<Heap, AllocError> {
        Ok(Heap {
            core: Core::new(config.with_debug_env())?,
        })
    }

    /// A heap configured by the defaults and the `THICKET_GC_*` environment.
    pub fn from_env() -> Result<Heap, Box<dyn std::error::Error>> {
        Ok(Heap::new(GcConfig::from_env()?)?)
    }

    /// The configuration in force.
    pub fn config(&self) -> &GcConfig {
        &self.core.config
    }

    /// Registers a layout.
    pub fn register(&mut self, desc: TypeDesc) -> Result<TypeId, LayoutError> {
        self.core.types.register(desc)
    }

    /// The name a type was registered with.
    pub fn type_name(&self, ty: TypeId) -> Option<&str> {
        self.core.types.get(ty).map(|i| i.name.as_str())
    }

    /// A checked descriptor for the reference slot at `offset` of type `ty`.
    pub fn ref_field(&self, ty: TypeId, offset: usize) -> Result<RefField, FieldError> {
        scope::ref_field(&self.core, ty, offset)
    }

    /// A checked descriptor for the weak slot at `offset` of type `ty`.
    pub fn weak_field(&self, ty: TypeId, offset: usize) -> Result<WeakField, FieldError> {
        scope::weak_field(&self.core, ty, offset)
    }

    /// A checked descriptor for plain data of type `T` at `offset` of type `ty`.
    pub fn data_field<T: Plain>(
        &self,
        ty: TypeId,
        offset: usize,
    ) -> Result<DataField<T>, FieldError> {
        scope::data_field(&self.core, ty, offset)
    }

    /// Runs `f` with a scope; handles made in it are dropped when it returns.
    pub fn scope<R>(&mut self, f: impl for<'s> FnOnce(&mut Scope<'s>) -> R) -> R {
        let mut s = Scope::new(&mut self.core);
        f(&mut s)
    }

    /// The statistics so far.
    pub fn stats(&self) -> GcStats {
        self.core.current_stats()
    }

    /// Number of minor collections so far (every collection starts with one): a cheap
    /// epoch for caches of object addresses.
    #[inline]
    pub fn minor_count(&self) -> u64 {
        self.core.stats.minor_collections
    }

    /// Runs a minor collection.
    pub fn collect_minor(&mut self) {
        self.core.explicit_minor()
    }

    /// Runs a minor collection and one bounded step of the major collection (starting a
    /// cycle if none is in progress). Returns the phases before and after; looping until
    /// the phase is back to `Idle` completes a cycle.
    pub fn collect_step(&mut self) -> (Phase, Phase) {
        self.core.explicit_step()
    }

    /// Runs a full major collection (with the minor collection it starts with).
    pub fn collect_major(&mut self) {
        self.core.explicit_major()
    }

    /// Checks the heap (see [`verify`](crate::VerifyReport)).
    pub fn verify(&self) -> Result<VerifyReport, HeapCorruption> {
        self.core.verify()
    }

    /// Safepoint mode ([`GcConfig::collect_at_safepoints_only`]): runs the collection
    /// that allocation requested since the last safepoint, if any. Every reference the
    /// caller holds outside a root is invalid afterwards. Cheap when nothing is due.
    #[inline]
    pub fn safepoint(&mut self) -> Result<(), AllocError> {
        if self.core.collect_requested {
            self.core.safepoint_collect()
        } else {
            Ok(())
        }
    }

    /// The object's id, stable across moves (see `identity.rs`).
    ///
    /// # Safety
    /// `obj` must be a live object of this heap.
    pub unsafe fn identity_raw(&mut self, obj: ObjRef) -> Result<usize, AllocError> {
        // SAFETY: forwarded to the caller.
        unsafe { self.core.identity(obj) }
    }

    /// Links `obj` to an externally reference-counted proxy whose count word is `count`
    /// (see `extref.rs`): adds [`EXTREF_BIAS`] to the count and returns the link index.
    ///
    /// # Safety
    /// `obj` must be a live object of this heap; `count` must stay valid until the link
    /// is reported by [`Heap::extref_next_dead`] or removed by [`Heap::extref_unlink`].
    pub unsafe fn extref_link(
        &mut self,
        obj: ObjRef,
        count: *mut isize,
    ) -> Result<u32, ExtRefError> {
        // SAFETY: forwarded to the caller.
        unsafe { self.core.extref_link(obj, count) }
    }

    /// The proxy count word linked to `obj`, if any: O(1), a header read. During an
    /// incremental mark this greys `obj` (the caller hands the proxy to foreign code).
    ///
    /// # Safety
    /// `obj` must be a live object of this heap.
    #[inline]
    pub unsafe fn extref_proxy_of(&mut self, obj: ObjRef) -> Option<*mut isize> {
        // SAFETY: forwarded to the caller.
        unsafe { self.core.extref_proxy_of(obj) }
    }

    /// The current address of the object of link `idx`, or `None` once the link is gone.
    #[inline]
    pub fn extref_object(&self, idx: u32) -> Option<ObjRef> {
        self.core.extref_object(idx)
    }

    /// Removes `obj`'s link, if any, returning the count word (the bias stays on it).
    ///
    /// # Safety
    /// `obj` must be a live object of this heap.
    pub unsafe fn extref_unlink(&mut self, obj: ObjRef) -> Option<*mut isize> {
        // SAFETY: forwarded to the caller.
        unsafe { self.core.extref_unlink(obj) }
    }

    /// The count word of a proxy whose object died (the bias still on it): the embedder
    /// removes the bias and frees the proxy when the count reaches zero.
    pub fn extref_next_dead(&mut self) -> Option<*mut isize> {
        self.core.extref_next_dead()
    }

    /// Whether dead proxies wait for [`Heap::extref_next_dead`].
    #[inline]
    pub fn extref_has_dead(&self) -> bool {
        self.core.extref_has_dead()
    }

    /// Live links, and dead proxies waiting for [`Heap::extref_next_dead`].
    pub fn extref_counts(&self) -> (usize, usize) {
        self.core.extref_counts()
    }

    /// Whether a collection is waiting for the next safepoint.
    #[inline]
    pub fn collection_requested(&self) -> bool {
        self.core.collect_requested
    }

    /// The shadow stack, for runtimes that keep their roots there.
    pub fn shadow_stack(&mut self) -> &mut ShadowStack {
        &mut self.core.shadow
    }

    /// Installs the event hook (replacing any previous one). See [`GcEvent`].
    pub fn set_hook(&mut self, hook: GcHook) {
        self.core.hooks.hook = Some(hook);
    }

    /// Removes the event hook.
    pub fn clear_hook(&mut self) {
        self.core.hooks.hook = None;
        self.core.hooks.pending.clear();
    }

    /// Adds a root scanner, run at every collection.
    pub fn add_root_scanner(&mut self, scanner: RootScanner) {
        self.core.scanners.push(scanner)
    }

    /// Makes a global root holding `v`.
    pub fn add_global(&mut self, v: Option<ObjRef>) -> GlobalRoot {
        self.core.globals.add(v)
    }

    /// The object a global root holds.
    pub fn global(&self, g: &GlobalRoot) -> Option<ObjRef> {
        self.core.globals.get(g)
    }

    /// Releases a global root.
    pub fn release_global(&mut self, g: GlobalRoot) {
        self.core.globals.release(g)
    }

    /// Allocates an object of type `ty`; `len` items for array types (`array` true), or
    /// 0 for fixed types. All fields are zero / `None`.
    ///
    /// # Safety
    /// This may collect: every `ObjRef` the caller holds that is not in a root (shadow
    /// stack, global, handle, scanned slot) is invalid afterwards.
    #[inline(always)]
    pub unsafe fn alloc_raw(
        &mut self,
        ty: TypeId,
        len: usize,
        array: bool,
    ) -> Result<ObjRef, AllocError> {
        // SAFETY: forwarded to the caller.
        unsafe { self.core.alloc(ty, len, array) }
    }

    /// Allocates an object that will never move.
    ///
    /// # Safety
    /// As [`Heap::alloc_raw`].
    pub unsafe fn alloc_nonmoving_raw(
        &mut self,
        ty: TypeId,
        len: usize,
    ) -> Result<ObjRef, AllocError> {
        self.core.alloc_nonmoving(ty, len)
    }

    /// The write barrier: call before storing a reference into `obj`.
    ///
    /// # Safety
    /// `obj` must be a live object of this heap.
    #[inline(always)]
    pub unsafe fn write_barrier(&self, obj: ObjRef) {
        // SAFETY: forwarded to the caller.
        unsafe { self.core.write_barrier(obj) }
    }

    /// The array barrier: call before storing a reference into item `index` of `obj`.
    /// On a large array with cards it marks the card of `index`; on anything else it is
    /// the object barrier.
    ///
    /// # Safety
    /// `obj` must be a live object of this heap, and `index` in bounds.
    #[inline(always)]
    pub unsafe fn write_barrier_array(&self, obj: ObjRef, index: usize) {
        // SAFETY: forwarded to the caller.
        unsafe { self.core.write_barrier_array(obj, index) }
    }

    /// The address compiled code passes to [`thicket_gc_remember`], which is also the
    /// address of the nursery's [`BumpPointer`] (the first field).
    pub fn raw_core(&mut self) -> *mut u8 {
        &mut *self.core as *mut Core as *mut u8
    }

    /// The nursery's allocation pointers, for compiled code's inline fast path.
    pub fn bump_pointer(&mut self) -> *mut BumpPointer {
        &mut self.core.bump
    }

    /// The start and size of the nursery (for `is_young` checks in compiled code).
    pub fn nursery_range(&self) -> (usize, usize) {
        (self.core.nursery.start as usize, self.core.nursery.size())
    }

    /// The major collection's current phase.
    pub fn major_phase(&self) -> Phase {
        self.core.major.phase
    }
}
