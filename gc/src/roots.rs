//! Roots: the shadow stack, global roots and runtime root scanners.
//!
//! (Scoped handles, the fourth kind of root, live in [`crate::scope`].)
//!
//! - The **shadow stack** is a contiguous array of `Option<ObjRef>` slots that an
//!   interpreter or compiled code pushes and pops. Its `#[repr(C)]` header
//!   ([`ShadowStack`]) has a stable address, so compiled code can bump `top` inline. The
//!   array never moves or grows; overflowing it is reported with a clear message.
//! - **Global roots** are slots that live until released: a [`GlobalRoot`] names one by
//!   index and generation, so a released or foreign id is detected, not misread.
//! - **Root scanners** are callbacks through which a runtime reports slots of its own
//!   (for example, references held by native structures). They run at every collection.

use crate::header::ObjRef;
use std::fmt;

/// The shadow stack. `base <= top <= limit`; slots in `[base, top)` are roots.
#[repr(C)]
pub struct ShadowStack {
    /// One past the last pushed slot.
    pub top: *mut Option<ObjRef>,
    /// End of the array.
    pub limit: *mut Option<ObjRef>,
    /// First slot.
    pub base: *mut Option<ObjRef>,
    storage: Box<[Option<ObjRef>]>,
}

/// The shadow stack is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShadowStackOverflow {
    /// Its capacity in slots.
    pub capacity: usize,
}

impl fmt::Display for ShadowStackOverflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "thicket-gc: shadow stack overflow ({} slots; raise THICKET_GC_SHADOW_STACK)",
            self.capacity
        )
    }
}

impl std::error::Error for ShadowStackOverflow {}

impl ShadowStack {
    pub(crate) fn new(slots: usize) -> ShadowStack {
        let mut storage = vec![None; slots.max(1)].into_boxed_slice();
        let base = storage.as_mut_ptr();
        // SAFETY: `slots.max(1)` elements were allocated, so base + len is one past the end.
        let limit = unsafe { base.add(storage.len()) };
        ShadowStack {
            top: base,
            limit,
            base,
            storage,
        }
    }

    /// Number of slots in use.
    #[inline(always)]
    pub fn len(&self) -> usize {
        // SAFETY: top and base point into the same array, top >= base.
        unsafe { self.top.offset_from(self.base) as usize }
    }

    /// Whether no slot is in use.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.top == self.base
    }

    /// Capacity in slots.
    pub fn capacity(&self) -> usize {
        self.storage.len()
    }

    /// Pushes a slot, or reports overflow.
    #[inline(always)]
    pub fn try_push(&mut self, v: Option<ObjRef>) -> Result<(), ShadowStackOverflow> {
        if self.top == self.limit {
            return Err(ShadowStackOverflow {
                capacity: self.capacity(),
            });
        }
        // SAFETY: top < limit, so it points at a slot of the array.
        unsafe {
            *self.top = v;
            self.top = self.top.add(1);
        }
        Ok(())
    }

    /// Pushes a slot. Panics with a message naming the limit on overflow.
    #[inline(always)]
    pub fn push(&mut self, v: Option<ObjRef>) {
        if let Err(e) = self.try_push(v) {
            panic!("{e}");
        }
    }

    /// Pops the top slot (`None` if empty or if the slot held `None`).
    #[inline(always)]
    pub fn pop(&mut self) -> Option<ObjRef> {
        if self.top == self.base {
            return None;
        }
        // SAFETY: top > base, so top - 1 is a slot in use.
        unsafe {
            self.top = self.top.sub(1);
            *self.top
        }
    }

    /// Drops slots down to `len`.
    #[inline(always)]
    pub fn truncate(&mut self, len: usize) {
        if len < self.len() {
            // SAFETY: len < current length, so base + len is inside the array.
            self.top = unsafe { self.base.add(len) };
        }
    }

    /// The slots in use, bottom first.
    #[inline(always)]
    pub fn slots(&self) -> &[Option<ObjRef>] {
        &self.storage[..self.len()]
    }

    /// The slots in use, mutable (the collector updates them; a runtime may write them).
    #[inline(always)]
    pub fn slots_mut(&mut self) -> &mut [Option<ObjRef>] {
        let n = self.len();
        &mut self.storage[..n]
    }
}

/// Names a global root slot. Not `Copy`: releasing consumes it.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct GlobalRoot {
    pub(crate) heap: u32,
    pub(crate) index: u32,
    pub(crate) generation: u32,
}

/// Distinguishes the global-root tables of different heaps.
static NEXT_TABLE_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

pub(crate) struct Globals {
    /// Unique per heap: also names the heap in field descriptors.
    pub id: u32,
    pub slots: Vec<Option<ObjRef>>,
    generations: Vec<u32>,
    live: Vec<bool>,
    free: Vec<u32>,
}

impl Default for Globals {
    fn default() -> Self {
        Globals {
            id: NEXT_TABLE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            slots: Vec::new(),
            generations: Vec::new(),
            live: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl Globals {
    pub fn add(&mut self, v: Option<ObjRef>) -> GlobalRoot {
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(None);
                self.generations.push(0);
                self.live.push(false);
                (self.slots.len() - 1) as u32
            }
        };
        let i = index as usize;
        self.slots[i] = v;
        self.live[i] = true;
        GlobalRoot {
            heap: self.id,
            index,
            generation: self.generations[i],
        }
    }

    fn check(&self, g: &GlobalRoot) -> usize {
        let i = g.index as usize;
        assert!(
            g.heap == self.id
                && i < self.slots.len()
                && self.live[i]
                && self.generations[i] == g.generation,
            "thicket-gc: global root {g:?} does not belong to this heap or was released"
        );
        i
    }

    pub fn get(&self, g: &GlobalRoot) -> Option<ObjRef> {
        self.slots[self.check(g)]
    }

    pub fn set(&mut self, g: &GlobalRoot, v: Option<ObjRef>) {
        let i = self.check(g);
        self.slots[i] = v;
    }

    pub fn release(&mut self, g: GlobalRoot) {
        let i = self.check(&g);
        self.slots[i] = None;
        self.live[i] = false;
        self.generations[i] = self.generations[i].wrapping_add(1);
        self.free.push(g.index);
    }
}

/// Given to a root scanner: report each slot that holds a reference.
pub struct RootVisitor<'a> {
    pub(crate) f: &'a mut dyn FnMut(*mut Option<ObjRef>),
}

impl RootVisitor<'_> {
    /// Reports one slot. The collector may rewrite it (the object moved).
    #[inline]
    pub fn visit(&mut self, slot: &mut Option<ObjRef>) {
        (self.f)(slot)
    }

    /// Reports every slot of a slice.
    pub fn visit_all(&mut self, slots: &mut [Option<ObjRef>]) {
        for s in slots {
            (self.f)(s)
        }
    }
}

/// A runtime's own root enumeration, run at every collection. It must report every slot
/// outside the heap that holds a reference the runtime will use again, must not allocate
/// and must not touch objects.
pub type RootScanner = Box<dyn FnMut(&mut RootVisitor<'_>)>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_stack_push_pop_overflow() {
        let mut s = ShadowStack::new(2);
        assert!(s.is_empty());
        s.push(None);
        s.push(None);
        assert_eq!(s.len(), 2);
        let e = s.try_push(None).unwrap_err();
        assert!(e.to_string().contains("THICKET_GC_SHADOW_STACK"));
        s.truncate(1);
        assert_eq!(s.len(), 1);
        assert_eq!(s.pop(), None);
        assert!(s.is_empty());
    }

    #[test]
    fn released_global_is_detected() {
        let mut g = Globals::default();
        let a = g.add(None);
        let stale = GlobalRoot {
            heap: a.heap,
            index: a.index,
            generation: a.generation,
        };
        g.release(a);
        let b = g.add(None);
        assert_eq!(b.index, stale.index);
        assert!(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| g.get(&stale))).is_err());
        assert_eq!(g.get(&b), None);
    }
}
