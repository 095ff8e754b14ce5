//! Light destructors and finalizer queues.
//!
//! **Light destructors** ([`crate::Destructor`]) run when their object's memory is freed:
//! at the minor collection for a young object that died there (the young ones are
//! listed when they are allocated, which is why such types take the allocation slow
//! path), and when sweeping reaches an old one. They run inside the collector with
//! `in_destructor` set; debug builds refuse allocation meanwhile.
//!
//! **Finalizer queues** serve full finalizers (a language's `__del__`). An object
//! registered with a queue is kept by minor collections (they make it old) and watched by
//! major collections: once marking and weak clearing are complete, the `Finalizing`
//! phase finds the registered objects that were not marked, and, in bounded steps, marks
//! everything reachable from them (they and what they reach survive this cycle) with a
//! depth-first search that records them in postorder. Reversed, that order puts an
//! object before every registered object it reaches. All of them are then appended to
//! their queues in that order, and unregistered. So a chain of N finalizable objects is
//! finalized in one major collection, outermost first, where PyPy needs N collections.
//!
//! The runtime takes dead objects from a queue at a safe point of its own
//! ([`crate::Scope::next_dead`]) and runs their finalizers there, outside the collector;
//! resurrection is safe because the object is an ordinary live object again. Queued
//! objects are roots until taken. If an object is unreachable again later, it is freed
//! without a second finalization (unless it was registered again).

use crate::header::{Header, ObjRef, FLAG_FORWARDED, FLAG_MARKED, FLAG_PINNED};
use crate::heap::Core;
use crate::trace::{for_each_slot, object_size};
use std::collections::{HashMap, VecDeque};

/// Names a finalizer queue of a heap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FinalizerQueue {
    pub(crate) heap: u32,
    pub(crate) index: u32,
}

/// The destructor and finalizer bookkeeping of a heap.
#[derive(Default)]
pub(crate) struct FinalizeState {
    /// Nursery objects whose type has a destructor.
    pub young_destructors: Vec<ObjRef>,
    /// Objects registered for finalization, with their queue.
    pub registered: Vec<(ObjRef, u32)>,
    /// Dead objects waiting for the runtime, per queue (roots).
    pub queues: Vec<VecDeque<ObjRef>>,
    /// Set while destructors run.
    pub in_destructor: bool,
    /// The `Finalizing` phase: the registered objects found dead, by address.
    dead: HashMap<usize, u32>,
    /// ... in registration order, the roots of the search.
    dead_roots: Vec<ObjRef>,
    /// The depth-first search: object and whether its children were pushed.
    dfs: Vec<(ObjRef, bool)>,
    /// Dead registered objects in postorder.
    postorder: Vec<(ObjRef, u32)>,
    /// Registered objects not yet sorted into dead or alive by the current phase.
    partition: Vec<(ObjRef, u32)>,
}

/// Runs the destructor of `obj`'s type, if it has one (for callers that hold the
/// registry and the state separately).
///
/// # Safety
/// `obj` must be an object being freed now (its memory still readable).
pub(crate) unsafe fn destroy(
    types: &crate::layout::TypeRegistry,
    fin: &mut FinalizeState,
    obj: ObjRef,
) {
    // SAFETY: the object's header is intact until its memory is reused.
    let ty = unsafe { obj.header() }.type_id();
    if let Some(d) = types.get(ty).and_then(|i| i.destructor) {
        fin.in_destructor = true;
        // SAFETY: the destructor contract: called once, as the object is freed.
        unsafe { d(obj) };
        fin.in_destructor = false;
    }
}

impl Core {
    /// Runs the destructor of `obj`'s type, if it has one.
    ///
    /// # Safety
    /// `obj` must be an object being freed now (its memory still readable).
    pub(crate) unsafe fn run_destructor(&mut self, obj: ObjRef) {
        // SAFETY: forwarded to the caller.
        unsafe { destroy(&self.types, &mut self.fin, obj) }
    }

    /// End of a minor collection, before the nursery is reset: destructors of the young
    /// objects that died.
    pub(crate) fn run_young_destructors(&mut self) {
        let list = std::mem::take(&mut self.fin.young_destructors);
        let mut still_young = Vec::new();
        for &o in &list {
            // SAFETY: listed objects are nursery objects; the nursery is not reset yet, so
            // each is forwarded (it survived), pinned (it stays), or intact and dead.
            unsafe {
                let h = o.header();
                if h.has(FLAG_PINNED) {
                    still_young.push(o);
                } else if !h.has(FLAG_FORWARDED) {
                    self.run_destructor(o);
                }
            }
        }
        self.fin.young_destructors = still_young;
    }

    /// Registers `obj` with queue `q`.
    pub(crate) fn register_finalizer(&mut self, obj: ObjRef, q: FinalizerQueue) {
        assert!(
            q.heap == self.globals.id && (q.index as usize) < self.fin.queues.len(),
            "thicket-gc: finalizer queue {q:?} does not belong to this heap"
        );
        self.fin.registered.push((obj, q.index));
    }

    /// A new, empty finalizer queue.
    pub(crate) fn new_finalizer_queue(&mut self) -> FinalizerQueue {
        self.fin.queues.push(VecDeque::new());
        FinalizerQueue {
            heap: self.globals.id,
            index: (self.fin.queues.len() - 1) as u32,
        }
    }

    /// Takes the next dead object of queue `q`.
    pub(crate) fn next_dead(&mut self, q: FinalizerQueue) -> Option<ObjRef> {
        assert!(
            q.heap == self.globals.id,
            "thicket-gc: finalizer queue {q:?} does not belong to this heap"
        );
        self.fin.queues.get_mut(q.index as usize)?.pop_front()
    }

    /// Starts the `Finalizing` phase: the registered objects are set aside, to be sorted
    /// into dead (not marked) and still registered by the first steps.
    pub(crate) fn finalize_start(&mut self) {
        debug_assert!(self.fin.partition.is_empty());
        std::mem::swap(&mut self.fin.partition, &mut self.fin.registered);
    }

    /// Advances the search by about `budget` bytes of objects. Returns whether the phase
    /// is complete (then the queues have received the dead objects).
    pub(crate) fn finalize_step(&mut self, budget: usize) -> bool {
        let mut done = 0;
        // First, in bounded chunks, which registered objects died (an entry costs about
        // as much as tracing 64 bytes). Popping from the end and pushing the dead onto
        // `dead_roots` makes the search below start from them in registration order.
        while done < budget {
            let Some((o, q)) = self.fin.partition.pop() else {
                break;
            };
            done += 64;
            // SAFETY: registered objects are old (minor collections keep and promote
            // them) and not yet swept.
            if unsafe { o.header() }.has(FLAG_MARKED) {
                self.fin.registered.push((o, q));
            } else {
                self.fin.dead.insert(o.addr(), q);
                self.fin.dead_roots.push(o);
            }
        }
        if !self.fin.partition.is_empty() {
            return false;
        }
        while done < budget {
            if let Some(&mut (o, ref mut expanded)) = self.fin.dfs.last_mut() {
                if !*expanded {
                    *expanded = true;
                    // SAFETY: objects on the search stack are old, marked, not yet swept.
                    unsafe {
                        let info = self.types.get(o.header().type_id()).unwrap_unchecked();
                        done += object_size(o, info);
                        let dfs = &mut self.fin.dfs;
                        let nursery = &self.nursery;
                        for_each_slot(o, info, |s| {
                            if let Some(c) = (*s).filter(|c| !nursery.contains(c.as_ptr())) {
                                let h = c.header();
                                if !h.has(FLAG_MARKED) {
                                    c.set_header(Header(h.0 | FLAG_MARKED));
                                    dfs.push((c, false));
                                }
                            }
                        });
                    }
                } else {
                    self.fin.dfs.pop();
                    if let Some(q) = self.fin.dead.remove(&o.addr()) {
                        self.fin.postorder.push((o, q));
                    }
                }
            } else if let Some(o) = self.fin.dead_roots.pop() {
                // SAFETY: as above (dead registered objects are old and unswept).
                unsafe {
                    let h = o.header();
                    if !h.has(FLAG_MARKED) {
                        o.set_header(Header(h.0 | FLAG_MARKED));
                        self.fin.dfs.push((o, false));
                    }
                }
            } else {
                // Reverse postorder: an object before the registered objects it reaches.
                debug_assert!(self.fin.dead.is_empty());
                while let Some((o, q)) = self.fin.postorder.pop() {
                    self.fin.queues[q as usize].push_back(o);
                }
                return true;
            }
        }
        false
    }
}
