//! Pinning: nursery objects that must not move (their address was given to C), with no
//! limit on how many.
//!
//! `pin` on an old object costs nothing (old objects never move). A pinned nursery
//! object gets `FLAG_PINNED` and is listed; until it is unpinned it is a root, stays where
//! it is, and its reference slots are traced like roots. Minor collections leave it in
//! place, and the nursery becomes a list of free fragments between pinned objects: the
//! bump allocator fills one fragment after another ([`Core::next_fragment`]), and only
//! when none is left does a minor collection run. If pins leave no fragment large
//! enough, the object is allocated directly in the old space, so allocation never fails
//! because of pins (PyPy caps pins near 15 and asserts instead).
//!
//! An object that points to a pinned nursery object still holds a young reference after
//! the minor collection; so it is listed as a pin holder and scanned again by the next
//! minor collection, which updates the slot once the object moves (after `unpin`). Its
//! barrier stays armed, and being listed does not make it grey again while marking
//! (only a write does), so marking converges however many pins there are.
//! Scanning tracks this per object, so when pins exist the minor collection scans
//! without its prefetch ring.

use crate::header::{Header, ObjRef, FLAG_PINNED};
use crate::heap::Core;

/// Pins and the nursery fragments they leave.
#[derive(Default)]
pub(crate) struct PinState {
    /// Pinned nursery objects, with their pin counts.
    pub pinned: Vec<(ObjRef, u32)>,
    /// Free fragments still to use, as (start, end), the next one last.
    pub fragments: Vec<(usize, usize)>,
    /// Start and end of the fragment being filled.
    pub frag_start: usize,
    pub frag_end: usize,
    /// Used parts of the fragments already filled since the last minor collection.
    pub filled: Vec<(usize, usize)>,
    /// The objects the last minor collection left in place (pinned then; they stay in
    /// the nursery until the next one even if unpinned meanwhile).
    pub kept: Vec<ObjRef>,
    /// Pins left no usable fragment after the last collection: allocate old until a pin
    /// is released.
    pub exhausted: bool,
}

impl Core {
    /// Pins `obj`. Returns whether it was a nursery object (now listed).
    pub(crate) fn pin(&mut self, obj: ObjRef) -> bool {
        if !self.nursery.contains(obj.as_ptr()) {
            return false;
        }
        if let Some(e) = self.pins.pinned.iter_mut().find(|e| e.0 == obj) {
            e.1 += 1;
            return true;
        }
        // SAFETY: a live nursery object.
        unsafe { obj.set_header(Header(obj.header().0 | FLAG_PINNED)) };
        self.pins.pinned.push((obj, 1));
        true
    }

    /// Undoes one `pin` of `obj`. Returns false if it was not pinned.
    pub(crate) fn unpin(&mut self, obj: ObjRef) -> bool {
        let Some(i) = self.pins.pinned.iter().position(|e| e.0 == obj) else {
            return false;
        };
        self.pins.pinned[i].1 -= 1;
        if self.pins.pinned[i].1 == 0 {
            self.pins.pinned.swap_remove(i);
            self.pins.exhausted = false;
            // SAFETY: a pinned object is live (it is a root while pinned).
            unsafe { obj.set_header(Header(obj.header().0 & !FLAG_PINNED)) };
        }
        true
    }

    /// Number of pinned nursery objects.
    pub fn pinned_count(&self) -> usize {
        self.pins.pinned.len()
    }

    /// After a minor collection: the free fragments between the pinned objects, the
    /// first one ready for the bump allocator. Poisons them in poison mode.
    pub(crate) fn rebuild_fragments(&mut self) {
        let start = self.nursery.start as usize;
        let end = self.nursery.end as usize;
        let mut pins: Vec<(usize, usize)> = self
            .pins
            .pinned
            .iter()
            .map(|&(o, _)| {
                // SAFETY: pinned objects are live nursery objects of registered types.
                let size = unsafe {
                    let info = self.types.get(o.header().type_id()).unwrap_unchecked();
                    crate::trace::object_size(o, info)
                };
                (o.addr(), o.addr() + size)
            })
            .collect();
        pins.sort_unstable();
        self.pins.kept = self.pins.pinned.iter().map(|&(o, _)| o).collect();
        let mut frags = Vec::with_capacity(pins.len() + 1);
        let mut cur = start;
        for (a, b) in pins {
            if a > cur {
                frags.push((cur, a));
            }
            cur = cur.max(b);
        }
        if end > cur {
            frags.push((cur, end));
        }
        if self.config.poison_nursery {
            // Fragments are handed out in address order, so nothing above the bump
            // pointer was allocated since the last poisoning: poison only below it (a
            // stress collection every few allocations then costs what was used, not the
            // whole nursery).
            let used_end = self.bump.free as usize;
            for &(a, b) in &frags {
                let b = b.min(used_end);
                if b > a {
                    // SAFETY: free fragments of the nursery hold nothing live.
                    unsafe {
                        std::ptr::write_bytes(a as *mut u8, crate::nursery::POISON_BYTE, b - a)
                    };
                }
            }
        }
        frags.reverse();
        self.pins.fragments = frags;
        self.pins.filled.clear();
        let (a, b) = self.pins.fragments.pop().unwrap_or((end, end));
        self.set_fragment(a, b);
    }

    fn set_fragment(&mut self, a: usize, b: usize) {
        self.pins.frag_start = a;
        self.pins.frag_end = b;
        self.bump.free = a as *mut u8;
        self.reset_nursery_top();
    }

    /// Moves the allocator to the next free fragment. Returns false if none is left.
    pub(crate) fn next_fragment(&mut self) -> bool {
        let Some((a, b)) = self.pins.fragments.pop() else {
            return false;
        };
        let used = (self.pins.frag_start, self.bump.free as usize);
        if used.1 > used.0 {
            self.pins.filled.push(used);
        }
        self.set_fragment(a, b);
        true
    }

    /// The parts of the nursery that hold objects allocated since the last minor
    /// collection, as (start, end) ranges.
    pub(crate) fn nursery_used_ranges(&self) -> Vec<(usize, usize)> {
        let mut v = self.pins.filled.clone();
        v.push((self.pins.frag_start, self.bump.free as usize));
        v
    }
}
