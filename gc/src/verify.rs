//! The heap verifier.
//!
//! It walks every object of every space (the nursery from its start to the allocation
//! pointer, every allocated old-space cell, every large object) and every root, and
//! checks each reference slot:
//!
//! - it points at the start of an object of this heap (not into free memory, the middle
//!   of an object, a poisoned nursery or a freed cell);
//! - the target's type is registered and it is not forwarded;
//! - no mark bit is left outside a major collection's marking;
//! - an old object that refers to a young one has fired its barrier (it is in the
//!   remembered set), so the next minor collection will see the reference.
//!
//! Any failure is a [`HeapCorruption`] naming the holder, the slot and the target.

use crate::cards::{FLAG_CARDS_SET, FLAG_HAS_CARDS};
use crate::header::{ObjRef, FLAG_FORWARDED, FLAG_MARKED, FLAG_TRACK_YOUNG_PTRS, FLAG_YOUNG_LARGE};
use crate::heap::Core;
use crate::major::Phase;
use crate::trace::{for_each_slot, object_size};

/// A set of addresses (sorted, searched by bisection: much cheaper than hashing for the
/// verifier's millions of lookups).
struct AddrMap<V>(Vec<(usize, V)>);

impl<V: Copy> AddrMap<V> {
    fn insert(&mut self, a: usize, v: V) {
        self.0.push((a, v));
    }
    fn seal(&mut self) {
        self.0.sort_unstable_by_key(|e| e.0);
        self.0.dedup_by_key(|e| e.0);
    }
    fn get(&self, a: &usize) -> Option<&V> {
        self.0
            .binary_search_by_key(a, |e| e.0)
            .ok()
            .map(|i| &self.0[i].1)
    }
    fn contains(&self, a: &usize) -> bool {
        self.get(a).is_some()
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

fn addr_set(it: impl Iterator<Item = usize>) -> AddrMap<()> {
    let mut m = AddrMap(it.map(|a| (a, ())).collect());
    m.seal();
    m
}
use std::fmt;

/// What the verifier found wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeapCorruption {
    /// The description, naming addresses, types and offsets.
    pub message: String,
}

impl fmt::Display for HeapCorruption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "heap corruption: {}", self.message)
    }
}

impl std::error::Error for HeapCorruption {}

/// What a successful verification saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Objects walked.
    pub objects: usize,
    /// Reference slots checked.
    pub references: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Space {
    Nursery,
    YoungLarge,
    Old,
}

impl Core {
    fn type_name(&self, o: ObjRef) -> String {
        // SAFETY: only called on objects found in the walk.
        let t = unsafe { o.header() }.type_id();
        self.types
            .get(t)
            .map_or_else(|| format!("<unknown type {}>", t.0), |i| i.name.clone())
    }

    /// Checks the whole heap. See the module documentation.
    pub fn verify(&self) -> Result<VerifyReport, HeapCorruption> {
        let fail = |message: String| Err(HeapCorruption { message });
        let mut objects: AddrMap<Space> = AddrMap(Vec::new());
        // The nursery: object after object in each range filled since the last minor
        // collection, then the objects left in place by pins, one each.
        let nursery_object = |p: usize| -> Result<usize, HeapCorruption> {
            // SAFETY: callers pass the start of an initialised nursery object.
            let o = unsafe { ObjRef::from_raw(std::ptr::NonNull::new_unchecked(p as *mut u8)) };
            // SAFETY: as above.
            let h = unsafe { o.header() };
            let Some(info) = self.types.get(h.type_id()) else {
                return Err(HeapCorruption {
                    message: format!(
                        "nursery object at {p:#x} has an unregistered type id {:#x} (header \
                         {:#x}): the nursery is corrupt or was overwritten",
                        h.type_id().0,
                        h.0
                    ),
                });
            };
            if h.has(FLAG_FORWARDED) {
                return Err(HeapCorruption {
                    message: format!("nursery object at {p:#x} is forwarded outside a collection"),
                });
            }
            // SAFETY: valid object of a registered type.
            Ok(unsafe { object_size(o, info) })
        };
        for (start, end) in self.nursery_used_ranges() {
            let mut p = start;
            while p < end {
                let size = nursery_object(p)?;
                objects.insert(p, Space::Nursery);
                p += size;
            }
            if p != end {
                return fail(format!(
                    "the last nursery object overruns its range ({p:#x} > {end:#x})"
                ));
            }
        }
        let pinned = self.pins.pinned.iter().map(|&(o, _)| o);
        for o in pinned.chain(self.pins.kept.iter().copied()) {
            nursery_object(o.addr())?;
            objects.insert(o.addr(), Space::Nursery);
        }
        let mut bad_type = None;
        // While sweeping, unmarked objects in pages (and large objects) not yet swept are
        // dead: they may point to memory already freed, and nothing live may point to
        // them. They are left out of the walk and of the valid targets.
        let unswept = self.old.unswept_pages();
        let dead_unswept = |o: ObjRef| {
            // SAFETY: called on cells and large objects found by the walk.
            let h = unsafe { o.header() };
            !h.has(FLAG_MARKED)
                && unswept.contains(&(o.addr() & !(crate::old_space::PAGE_SIZE - 1)))
        };
        self.old.for_each_object(|o| {
            // SAFETY: a cell found by the walk holds a header.
            if self.types.get(unsafe { o.header() }.type_id()).is_none() {
                bad_type.get_or_insert(o);
            }
            if !dead_unswept(o) {
                objects.insert(o.addr(), Space::Old);
            }
        });
        if let Some(o) = bad_type {
            return fail(format!(
                "old object at {:#x} has an unregistered type id (header {:#x})",
                o.addr(),
                // SAFETY: a cell found by the walk.
                unsafe { o.header() }.0
            ));
        }
        for (o, _, unswept) in self.large.objects() {
            // SAFETY: large objects are allocated until freed by sweeping.
            let h = unsafe { o.header() };
            if unswept && !h.has(FLAG_MARKED) {
                continue;
            }
            let young = h.has(FLAG_YOUNG_LARGE);
            objects.insert(o.addr(), if young { Space::YoungLarge } else { Space::Old });
        }
        objects.seal();
        let remembered =
            // SAFETY: the remembered set is not being mutated (we hold &self and the heap
            // is single-threaded).
            addr_set(unsafe { &*self.remembered.get() }.iter().map(|o| o.addr()));
        let marking = self.major.phase == Phase::Marking;
        // While marking, grey objects are those on the grey stack; a black (marked, not
        // grey) object whose barrier fired is remembered and will be greyed again at the
        // next minor collection. Any other black object must point only to marked
        // objects: the tri-colour invariant.
        let grey = addr_set(self.major.grey.iter().map(|o| o.addr()));
        let pin_holders = addr_set(self.pin_holders.iter().map(|o| o.addr()));
        let mut report = VerifyReport {
            objects: objects.len(),
            references: 0,
        };
        let check = |holder: &str,
                     target: ObjRef,
                     report: &mut VerifyReport|
         -> Result<Space, HeapCorruption> {
            report.references += 1;
            let Some(&space) = objects.get(&target.addr()) else {
                let what = if self.nursery.contains(target.as_ptr()) {
                    "into the nursery but not at a live object (a stale pointer kept across a collection?)"
                } else {
                    "to no object of this heap (freed, never allocated, or the middle of an object)"
                };
                return Err(HeapCorruption {
                    message: format!("{holder} points to {:#x}, {what}", target.addr()),
                });
            };
            // SAFETY: the target is an object found by the walk.
            let h = unsafe { target.header() };
            if h.has(FLAG_MARKED) && self.major.phase == Phase::Idle {
                return Err(HeapCorruption {
                    message: format!(
                        "{holder} points to {:#x} ({}) which still has its mark bit outside a major collection",
                        target.addr(),
                        self.type_name(target)
                    ),
                });
            }
            Ok(space)
        };
        for &(addr, space) in &objects.0 {
            // SAFETY: found by the walk.
            let o = unsafe { ObjRef::from_raw(std::ptr::NonNull::new_unchecked(addr as *mut u8)) };
            // SAFETY: as above.
            let h = unsafe { o.header() };
            let info = self.types.get(h.type_id()).expect("checked above");
            // SAFETY: live object of a registered type.
            let size_of_obj = unsafe { crate::trace::object_size(o, info) };
            let mut err = None;
            // SAFETY: live object of a registered type; the closure only reads slots.
            unsafe {
                for_each_slot(o, info, |slot| {
                    if err.is_some() {
                        return;
                    }
                    let Some(t) = *slot else { return };
                    // A custom trace function may report slots in memory the object owns
                    // outside the heap (an interpreter's suspended frame, say).
                    let offset = (slot as usize)
                        .checked_sub(addr)
                        .filter(|&o| o < size_of_obj);
                    let holder = match offset {
                        Some(offset) => {
                            format!("slot at offset {offset} of {:#x} ({})", addr, info.name)
                        }
                        None => format!(
                            "out-of-object slot {:#x} reported by {:#x} ({})",
                            slot as usize, addr, info.name
                        ),
                    };
                    let offset = offset.unwrap_or(0);
                    match check(&holder, t, &mut report) {
                        Err(e) => err = Some(e),
                        Ok(tspace) => {
                            let young_target = tspace != Space::Old;
                            // A dirty card (or a pending grey range) of a card array
                            // covers the slot as the remembered set covers an object.
                            let carded = h.has(FLAG_HAS_CARDS) && offset >= info.fixed_size && {
                                let index = (offset - info.fixed_size) / 8;
                                (h.has(FLAG_CARDS_SET) && crate::cards::card_is_set(o, index))
                                    || self
                                        .major
                                        .grey_ranges
                                        .iter()
                                        .any(|&(a, lo, hi)| a == o && (lo..hi).contains(&index))
                            };
                            let black = marking
                                && !carded
                                && space == Space::Old
                                && h.has(FLAG_MARKED)
                                && !grey.contains(&addr)
                                && !remembered.contains(&addr);
                            if black && !young_target && !t.header().has(FLAG_MARKED) {
                                err = Some(HeapCorruption {
                                    message: format!(
                                        "{holder}, a black object, points to the white object {:#x} \
                                         ({}) while marking: the tri-colour invariant is broken (a \
                                         store into a marked object was not re-greyed)",
                                        t.addr(),
                                        self.type_name(t)
                                    ),
                                });
                                return;
                            }
                            if space == Space::Old
                                && young_target
                                && !(carded && h.has(FLAG_CARDS_SET))
                                && !pin_holders.contains(&addr)
                                && (h.has(FLAG_TRACK_YOUNG_PTRS) || !remembered.contains(&addr))
                            {
                                err = Some(HeapCorruption {
                                    message: format!(
                                        "{holder}, an old object, points to the young object {:#x} ({}) \
                                         but is not in the remembered set: a store missed the write barrier",
                                        t.addr(),
                                        self.type_name(t)
                                    ),
                                });
                            }
                        }
                    }
                });
            }
            if let Some(e) = err {
                return Err(e);
            }
        }
        let mut root_err = None;
        let mut root = |kind: &str, i: usize, v: Option<ObjRef>, report: &mut VerifyReport| {
            if let (None, Some(t)) = (&root_err, v) {
                if let Err(e) = check(&format!("{kind} {i}"), t, report) {
                    root_err = Some(e);
                }
            }
        };
        for (i, v) in self.shadow.slots().iter().enumerate() {
            root("shadow-stack slot", i, *v, &mut report);
        }
        // SAFETY: handles are not being mutated while we hold &self.
        for (i, v) in unsafe { &*self.handles.get() }.iter().enumerate() {
            root("handle", i, *v, &mut report);
        }
        for (i, v) in self.globals.slots.iter().enumerate() {
            root("global root", i, *v, &mut report);
        }
        if let Some(e) = root_err {
            return Err(e);
        }
        Ok(report)
    }

    /// Verifies and panics with the finding, naming `when`.
    pub fn verify_or_panic(&self, when: &str) {
        if let Err(e) = self.verify() {
            panic!("thicket-gc: {e} (found by the verifier {when})");
        }
    }
}
