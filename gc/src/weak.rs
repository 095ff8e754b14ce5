//! Weak references: slots that do not keep their target alive and read `None` once it
//! has died, in a minor or a major collection. Never dangling.
//!
//! A type declares weak slots by offset ([`crate::TypeDesc::with_weak`]). Tracing skips
//! them. The collector keeps the list of old objects that have weak slots ("holders"):
//!
//! - **Minor collection**: holders promoted in it, and old holders whose barrier fired
//!   (their weak slots may have been pointed at young objects), are fixed after
//!   evacuation: a slot whose young target was copied follows it, one whose young target
//!   died becomes `None`. Cost: the holders involved, not all of them.
//! - **Major collection**: once marking is complete, the `ClearingWeak` phase walks the
//!   holders in bounded chunks, dropping dead holders from the list and setting to `None`
//!   every weak slot whose target was not marked. While the phase is in progress, a read
//!   through [`Core::read_weak`] (the read barrier) answers `None` for an unmarked target,
//!   so the mutator never sees an object that is about to be freed.
//!
//! Weak slots are cleared before finalizer ordering resurrects anything, so a weak
//! reference to an object awaiting its finalizer reads `None` (as in CPython and PyPy).

use crate::header::{
    ObjRef, FLAG_FORWARDED, FLAG_MARKED, FLAG_PINNED, FLAG_SURVIVED, FLAG_YOUNG_LARGE,
};
use crate::heap::Core;
use crate::major::Phase;

/// The weak-reference bookkeeping of a heap.
#[derive(Default)]
pub(crate) struct WeakState {
    /// Old objects with weak slots.
    pub holders: Vec<ObjRef>,
    /// Holders made old by the minor collection in progress.
    pub minor_new: Vec<ObjRef>,
    /// Old holders remembered by the barrier, for the minor collection in progress.
    pub minor_old: Vec<ObjRef>,
    /// Holders still to be cleared by the major collection in progress.
    pub todo: Vec<ObjRef>,
}

impl Core {
    /// Calls `f` with each weak slot of `obj`.
    ///
    /// # Safety
    /// `obj` must be a live object.
    unsafe fn for_each_weak_slot(&self, obj: ObjRef, mut f: impl FnMut(*mut Option<ObjRef>)) {
        // SAFETY: live object; weak offsets were validated at registration.
        unsafe {
            let info = self.types.get(obj.header().type_id()).unwrap_unchecked();
            for &o in info.weak_offsets.iter() {
                f(obj.field_ptr(o as usize));
            }
        }
    }

    /// End of a minor collection, before the nursery is reset: fixes the weak slots of
    /// the holders involved in it.
    pub(crate) fn fix_weak_after_minor(&mut self) {
        let new = std::mem::take(&mut self.weak.minor_new);
        let old = std::mem::take(&mut self.weak.minor_old);
        for &h in new.iter().chain(old.iter()) {
            // SAFETY: holders are live old objects (promoted copies, surviving young large
            // objects, or remembered old objects); nursery targets are live or forwarded
            // until the nursery is reset, and young large targets are still allocated.
            unsafe {
                self.for_each_weak_slot(h, |slot| {
                    let Some(t) = *slot else { return };
                    if self.nursery.contains(t.as_ptr()) {
                        let th = t.header();
                        if th.has(FLAG_FORWARDED) {
                            *slot = *t.field_ptr::<Option<ObjRef>>(8);
                        } else if !th.has(FLAG_PINNED) {
                            *slot = None;
                        }
                    } else {
                        let th = t.header();
                        if th.has(FLAG_YOUNG_LARGE) && !th.has(FLAG_SURVIVED) {
                            *slot = None;
                        }
                    }
                });
            }
        }
        self.weak.holders.extend_from_slice(&new);
        let (mut new, mut old) = (new, old);
        new.clear();
        old.clear();
        self.weak.minor_new = new;
        self.weak.minor_old = old;
    }

    /// Starts the `ClearingWeak` phase (marking is complete).
    pub(crate) fn weak_clear_start(&mut self) {
        debug_assert!(self.weak.todo.is_empty());
        std::mem::swap(&mut self.weak.todo, &mut self.weak.holders);
    }

    /// Clears up to `max` holders. Returns whether the phase is complete.
    pub(crate) fn weak_clear_step(&mut self, max: usize) -> bool {
        for _ in 0..max {
            let Some(h) = self.weak.todo.pop() else {
                return true;
            };
            // SAFETY: holders in the list are old objects not yet swept (sweeping comes
            // after this phase), so their headers are readable; live ones are marked.
            unsafe {
                if !h.header().has(FLAG_MARKED) {
                    continue; // The holder itself is dead; sweeping frees it.
                }
                self.for_each_weak_slot(h, |slot| {
                    if let Some(t) = *slot {
                        if !self.nursery.contains(t.as_ptr()) && !t.header().has(FLAG_MARKED) {
                            *slot = None;
                        }
                    }
                });
            }
            self.weak.holders.push(h);
        }
        self.weak.todo.is_empty()
    }

    /// The read barrier of weak slots: the value to return for a weak slot holding `v`.
    /// `None` for a target that the major collection in progress found unreachable and
    /// has not cleared yet.
    ///
    /// # Safety
    /// `v` must be the current content of a weak slot of a live object of this heap.
    #[inline]
    pub unsafe fn read_weak(&self, v: Option<ObjRef>) -> Option<ObjRef> {
        let t = v?;
        if self.major.phase == Phase::ClearingWeak
            && !self.nursery.contains(t.as_ptr())
            // SAFETY: targets of weak slots are allocated until cleared, and clearing is
            // not complete in this phase.
            && !unsafe { t.header() }.has(FLAG_MARKED)
        {
            return None;
        }
        Some(t)
    }
}
