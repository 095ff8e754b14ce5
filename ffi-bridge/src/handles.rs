//! Checked object handles: a `void *` that names a GC object for C code.
//!
//! C code cannot hold a reference to an object that moves, and PyPy's and CPython's
//! CFFI hand out the address of a non-moving proxy object instead, which they cannot
//! check: a stale or made-up pointer crashes or, worse, reveals another object. Here a
//! handle is an index into a table of root slots, with a generation:
//!
//! ```text
//!  63            32 31                 3 2   0
//! +----------------+--------------------+-----+
//! |   generation   |     slot index     | 101 |
//! +----------------+--------------------+-----+
//! ```
//!
//! - The low three bits are the tag `0b101`: odd, so a handle is never the address of
//!   anything aligned, and never NULL.
//! - A slot's generation is odd while the slot is open and even while it is free; it
//!   is bumped at every open and close. A handle is accepted only if its slot exists,
//!   is open, and has the handle's generation, so a closed handle, or one whose slot
//!   was reused, is refused (not misread), and a made-up value almost always fails one
//!   of the checks (and when it passes, it names a live object, never freed memory).
//! - The slots are GC roots: a root scanner reports them at every collection, so the
//!   collector keeps their objects alive and updates them when they move. Lookup is an
//!   array index and a compare: O(1), no hashing.
//! - Freed slots go on a LIFO free list; a slot whose generation would wrap is retired
//!   instead, so a generation is never reused for the same slot.
//! - Debug mode ([`HandleTable::set_debug`], or `THICKET_FFI_DEBUG=1` at creation):
//!   closed slots are poisoned (never reused, and a later lookup reports that the
//!   handle was closed, by whom it was opened), and the handles still open when the
//!   table goes away (with its heap) are reported on standard error.
//!
//! The embedder ties a handle's life to an object of its own (CFFI's handle cdata)
//! whose light destructor calls [`RawTable::close`]: the collector's destructor runs
//! when that object dies, and the slot is freed then.

use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::fmt;
use std::rc::Rc;
use thicket_gc::{Heap, ObjRef};

/// The low bits of every handle.
pub const HANDLE_TAG: usize = 0b101;
/// Bits of the tag.
const TAG_BITS: u32 = 3;
/// Largest slot index (29 bits).
const MAX_SLOT: usize = (1 << (32 - TAG_BITS)) - 1;
/// Slots never reused again once their generation reaches this.
const LAST_GENERATION: u32 = u32::MAX - 1;

/// Why a pointer is not a valid handle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandleError {
    /// The NULL pointer.
    Null,
    /// Not a pointer this table made: wrong tag bits or no such slot.
    NotAHandle(usize),
    /// The slot exists but the handle was closed (its object died), perhaps reused.
    Stale {
        /// The pointer.
        ptr: usize,
        /// Its slot.
        slot: usize,
        /// The handle's generation.
        generation: u32,
        /// The slot's current generation.
        current: u32,
    },
    /// Debug mode: the handle was closed and its slot poisoned.
    Closed {
        /// The pointer.
        ptr: usize,
        /// Its slot.
        slot: usize,
    },
    /// The table is full (2^29 open handles).
    Full,
}

impl fmt::Display for HandleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandleError::Null => write!(f, "NULL is not an object handle"),
            HandleError::NotAHandle(p) => {
                write!(
                    f,
                    "{p:#x} is not an object handle (never made by new_handle)"
                )
            }
            HandleError::Stale {
                ptr,
                slot,
                generation,
                current,
            } => write!(
                f,
                "stale object handle {ptr:#x}: its handle object died (slot {slot}, \
                 generation {generation}, now {current})"
            ),
            HandleError::Closed { ptr, slot } => write!(
                f,
                "closed object handle {ptr:#x}: its handle object died (slot {slot}, \
                 poisoned by debug mode)"
            ),
            HandleError::Full => write!(f, "too many open object handles"),
        }
    }
}

impl std::error::Error for HandleError {}

/// One slot: the object (a root) and the generation (odd: open).
struct Slot {
    obj: Option<ObjRef>,
    generation: u32,
    /// Debug mode: closed for good.
    poisoned: bool,
}

/// The table itself, shared by the [`HandleTable`] and the root scanner.
pub struct Table {
    slots: UnsafeCell<Vec<Slot>>,
    free: UnsafeCell<Vec<u32>>,
    open: UnsafeCell<usize>,
    debug: UnsafeCell<bool>,
    /// Objects whose pin a destructor asked to release (see [`RawTable::defer_unpin`]).
    deferred: UnsafeCell<Vec<ObjRef>>,
}

impl Drop for Table {
    fn drop(&mut self) {
        if *self.debug.get_mut() && *self.open.get_mut() > 0 {
            let slots = self.slots.get_mut();
            let open: Vec<usize> = slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.generation & 1 == 1)
                .map(|(i, s)| encode(i, s.generation))
                .collect();
            eprintln!(
                "thicket-ffi: {} object handle(s) still open at exit: {}",
                open.len(),
                open.iter()
                    .take(20)
                    .map(|p| format!("{p:#x}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
}

/// The generation a slot starts at (even: free). Each slot starts at its own, so a
/// handle moved to a neighbouring slot does not carry a valid generation along.
fn first_generation(slot: usize) -> u32 {
    ((slot as u32).wrapping_mul(0x9E37_79B1) >> 4) & !1
}

#[inline(always)]
fn encode(slot: usize, generation: u32) -> usize {
    ((generation as usize) << 32) | (slot << TAG_BITS) | HANDLE_TAG
}

/// A handle table for one heap. Cheap to clone (shared).
#[derive(Clone)]
pub struct HandleTable {
    table: Rc<Table>,
}

/// A borrowed view of a table for light destructors, which get no context: store
/// [`HandleTable::raw`] in the handle object and close through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawTable(*const Table);

impl RawTable {
    /// The pointer, to store in an object's plain data.
    pub fn as_usize(self) -> usize {
        self.0 as usize
    }

    /// Back from [`RawTable::as_usize`].
    pub fn from_usize(p: usize) -> RawTable {
        RawTable(p as *const Table)
    }

    /// Closes handle `ptr` (see [`HandleTable::close`]).
    ///
    /// # Safety
    /// The table must still exist: it does while its heap does (the heap's root scanner
    /// owns a reference), so this is safe from a destructor of that heap's objects.
    /// Must not run while another method of the table is running (the heap is single
    /// threaded and the table's methods never collect, so a destructor never does).
    pub unsafe fn close(self, ptr: *const c_void) -> Result<(), HandleError> {
        // SAFETY: the table is alive (caller); access is exclusive (caller).
        unsafe { (*self.0).close(ptr as usize).map(|_| ()) }
    }

    /// Asks for `obj` to be unpinned at the embedder's next
    /// [`HandleTable::take_deferred_unpins`]: a destructor cannot unpin (it runs inside
    /// the collector), but the object of a zero-copy buffer must be unpinned when the
    /// buffer's owner dies. Until then it stays pinned (in place, and alive).
    ///
    /// # Safety
    /// As [`RawTable::close`]; `obj` must be pinned (so its address stays valid).
    pub unsafe fn defer_unpin(self, obj: ObjRef) {
        // SAFETY: the table is alive and not borrowed (caller).
        unsafe { (*(*self.0).deferred.get()).push(obj) }
    }
}

impl HandleTable {
    /// A table whose slots are roots of `heap`. Debug mode is on if the environment has
    /// `THICKET_FFI_DEBUG` set to something other than `0` or empty.
    pub fn new(heap: &mut Heap) -> HandleTable {
        let debug = std::env::var("THICKET_FFI_DEBUG").is_ok_and(|v| !v.is_empty() && v != "0");
        let table = Rc::new(Table {
            slots: UnsafeCell::new(Vec::new()),
            free: UnsafeCell::new(Vec::new()),
            open: UnsafeCell::new(0),
            debug: UnsafeCell::new(debug),
            deferred: UnsafeCell::new(Vec::new()),
        });
        let scan = table.clone();
        heap.add_root_scanner(Box::new(move |v| {
            // SAFETY: collections do not run inside the table's methods (they never
            // allocate), so nothing else borrows the slots now.
            let slots = unsafe { &mut *scan.slots.get() };
            for s in slots.iter_mut() {
                v.visit(&mut s.obj);
            }
        }));
        HandleTable { table }
    }

    /// Turns debug mode on or off (poisoning applies to handles closed from now on).
    pub fn set_debug(&self, on: bool) {
        // SAFETY: no reference into the flag escapes the table's methods.
        unsafe { *self.table.debug.get() = on }
    }

    /// Whether debug mode is on.
    pub fn debug(&self) -> bool {
        // SAFETY: as above.
        unsafe { *self.table.debug.get() }
    }

    /// The view for destructors.
    pub fn raw(&self) -> RawTable {
        RawTable(Rc::as_ptr(&self.table))
    }

    /// A new handle for `obj`, distinct from every other handle of this table.
    #[inline]
    pub fn new_handle(&self, obj: ObjRef) -> Result<*mut c_void, HandleError> {
        self.table.open(obj).map(|p| p as *mut c_void)
    }

    /// The object of handle `ptr`, in O(1). The reference is valid until the next
    /// collection (it is rooted by the slot, which the collector updates).
    #[inline]
    pub fn from_handle(&self, ptr: *const c_void) -> Result<ObjRef, HandleError> {
        self.table.get(ptr as usize)
    }

    /// Closes handle `ptr`: the slot no longer roots its object, and the handle is
    /// refused from now on. Returns the object.
    #[inline]
    pub fn close(&self, ptr: *const c_void) -> Result<ObjRef, HandleError> {
        self.table.close(ptr as usize)
    }

    /// Number of open handles.
    pub fn open_count(&self) -> usize {
        // SAFETY: a plain read, no reference escapes.
        unsafe { *self.table.open.get() }
    }

    /// The objects destructors asked to unpin since the last call (see
    /// [`RawTable::defer_unpin`]); the caller unpins each one.
    pub fn take_deferred_unpins(&self) -> Vec<ObjRef> {
        // SAFETY: no reference into the list escapes the table's methods.
        unsafe { std::mem::take(&mut *self.table.deferred.get()) }
    }

    /// The open handles (for debug reports).
    pub fn open_handles(&self) -> Vec<*mut c_void> {
        // SAFETY: no collection runs while this shared borrow lives.
        let slots = unsafe { &*self.table.slots.get() };
        slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.generation & 1 == 1)
            .map(|(i, s)| encode(i, s.generation) as *mut c_void)
            .collect()
    }
}

impl Table {
    #[inline]
    fn open(&self, obj: ObjRef) -> Result<usize, HandleError> {
        // SAFETY: the table is single-threaded and its methods do not re-enter each
        // other or collect, so these are the only borrows.
        let (slots, free) = unsafe { (&mut *self.slots.get(), &mut *self.free.get()) };
        let i = match free.pop() {
            Some(i) => i as usize,
            None => {
                if slots.len() > MAX_SLOT {
                    return Err(HandleError::Full);
                }
                // Each slot starts at its own (even) generation, so a handle moved to a
                // neighbouring slot does not carry a valid generation along.
                slots.push(Slot {
                    obj: None,
                    generation: first_generation(slots.len()),
                    poisoned: false,
                });
                slots.len() - 1
            }
        };
        // SAFETY: `i` came from the free list or was just pushed: in bounds.
        let s = unsafe { slots.get_unchecked_mut(i) };
        s.generation += 1;
        s.obj = Some(obj);
        // SAFETY: as above.
        unsafe { *self.open.get() += 1 };
        Ok(encode(i, s.generation))
    }

    /// The slot of `p` if `p` is an open handle.
    #[inline(always)]
    fn check(&self, p: usize) -> Result<usize, HandleError> {
        // SAFETY: see `open`.
        let slots = unsafe { &*self.slots.get() };
        let i = (p as u32 as usize) >> TAG_BITS;
        let generation = (p >> 32) as u32;
        match slots.get(i) {
            Some(s)
                if p & 0b111 == HANDLE_TAG && s.generation == generation && generation & 1 == 1 =>
            {
                Ok(i)
            }
            _ => Err(self.diagnose(p)),
        }
    }

    #[cold]
    fn diagnose(&self, p: usize) -> HandleError {
        // SAFETY: see `open`.
        let slots = unsafe { &*self.slots.get() };
        let i = (p as u32 as usize) >> TAG_BITS;
        let generation = (p >> 32) as u32;
        if p == 0 {
            return HandleError::Null;
        }
        match slots.get(i) {
            Some(s)
                if p & 0b111 == HANDLE_TAG
                    && generation & 1 == 1
                    && generation > first_generation(i)
                    && generation < s.generation =>
            {
                if s.poisoned {
                    HandleError::Closed { ptr: p, slot: i }
                } else {
                    HandleError::Stale {
                        ptr: p,
                        slot: i,
                        generation,
                        current: s.generation,
                    }
                }
            }
            _ => HandleError::NotAHandle(p),
        }
    }

    #[inline(always)]
    fn get(&self, p: usize) -> Result<ObjRef, HandleError> {
        let i = self.check(p)?;
        // SAFETY: see `open`; `check` bounds-checked `i`.
        let s = unsafe { (&*self.slots.get()).get_unchecked(i) };
        // An open slot always holds its object.
        s.obj.ok_or(HandleError::NotAHandle(p))
    }

    #[inline]
    fn close(&self, p: usize) -> Result<ObjRef, HandleError> {
        let i = self.check(p)?;
        // SAFETY: see `open`; `check` bounds-checked `i`.
        let (slots, free, debug) = unsafe {
            (
                &mut *self.slots.get(),
                &mut *self.free.get(),
                *self.debug.get(),
            )
        };
        // SAFETY: checked above.
        let s = unsafe { slots.get_unchecked_mut(i) };
        let obj = s.obj.take().ok_or(HandleError::NotAHandle(p))?;
        s.generation += 1;
        // SAFETY: see `open`.
        unsafe { *self.open.get() -= 1 };
        if debug {
            s.poisoned = true;
        } else if s.generation < LAST_GENERATION {
            free.push(i as u32);
        }
        Ok(obj)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use thicket_gc::{GcConfig, TypeDesc};

    fn heap() -> (Heap, thicket_gc::TypeId) {
        let mut h = Heap::new(GcConfig::default()).unwrap();
        let t = h.register(TypeDesc::fixed("pair", 24, &[8, 16])).unwrap();
        (h, t)
    }

    #[test]
    fn handles_follow_moving_objects_and_keep_them_alive() {
        let (mut heap, t) = heap();
        let table = HandleTable::new(&mut heap);
        let mut hs = Vec::new();
        for _ in 0..100 {
            // SAFETY: the object goes straight into the table (a root).
            let o = unsafe { heap.alloc_raw(t, 0, false) }.unwrap();
            hs.push(table.new_handle(o).unwrap());
        }
        let before: Vec<usize> = hs
            .iter()
            .map(|&h| table.from_handle(h).unwrap().addr())
            .collect();
        let (start, size) = heap.nursery_range();
        let young = |a: usize| a >= start && a < start + size;
        // (Under the stress modes some were already promoted by allocation.)
        assert!(before.iter().any(|&a| young(a)));
        heap.collect_minor();
        heap.collect_major();
        for (i, &h) in hs.iter().enumerate() {
            let o = table.from_handle(h).unwrap();
            assert!(!young(o.addr()));
            if young(before[i]) {
                assert_ne!(o.addr(), before[i], "nursery objects move out");
            }
            // SAFETY: live object (rooted by the slot).
            assert_eq!(unsafe { o.header() }.type_id(), t);
        }
        assert_eq!(table.open_count(), 100);
        heap.verify().unwrap();
    }

    #[test]
    fn stale_made_up_and_null_pointers_are_refused() {
        let (mut heap, t) = heap();
        let table = HandleTable::new(&mut heap);
        // SAFETY: rooted at once.
        let o = unsafe { heap.alloc_raw(t, 0, false) }.unwrap();
        let h = table.new_handle(o).unwrap();
        assert_eq!(h as usize & 0b111, HANDLE_TAG);
        table.close(h).unwrap();
        assert!(matches!(
            table.from_handle(h),
            Err(HandleError::Stale { .. })
        ));
        assert!(table.close(h).is_err());
        // The slot is reused with a new generation; the old handle still fails.
        // SAFETY: as above.
        let o2 = unsafe { heap.alloc_raw(t, 0, false) }.unwrap();
        let h2 = table.new_handle(o2).unwrap();
        assert_eq!(h2 as usize & 0xffff_ffff, h as usize & 0xffff_ffff);
        assert_ne!(h2, h);
        assert!(table.from_handle(h).is_err());
        assert_eq!(table.from_handle(h2).unwrap(), o2);
        assert_eq!(table.from_handle(std::ptr::null()), Err(HandleError::Null));
        for bogus in [
            8usize,
            0x1234_5678,
            0xdead_beef_0000_0005,
            usize::MAX,
            h2 as usize + 8,
        ] {
            let e = table.from_handle(bogus as *const c_void).unwrap_err();
            assert!(matches!(e, HandleError::NotAHandle(_)), "{bogus:#x}: {e:?}");
            assert!(e.to_string().contains("not an object handle"));
        }
    }

    #[test]
    fn debug_mode_poisons_closed_slots() {
        let (mut heap, t) = heap();
        let table = HandleTable::new(&mut heap);
        table.set_debug(true);
        // SAFETY: rooted at once.
        let o = unsafe { heap.alloc_raw(t, 0, false) }.unwrap();
        let h = table.new_handle(o).unwrap();
        table.close(h).unwrap();
        let e = table.from_handle(h).unwrap_err();
        assert!(matches!(e, HandleError::Closed { .. }), "{e:?}");
        // SAFETY: as above.
        let o = unsafe { heap.alloc_raw(t, 0, false) }.unwrap();
        let h2 = table.new_handle(o).unwrap();
        assert_ne!(h2 as usize & 0xffff_ffff, h as usize & 0xffff_ffff);
        assert_eq!(table.open_handles(), vec![h2]);
    }

    #[test]
    fn destructor_closes_through_the_raw_view() {
        let (mut heap, _) = heap();
        let table = HandleTable::new(&mut heap);
        let raw = RawTable::from_usize(table.raw().as_usize());
        let t = heap.register(TypeDesc::fixed("target", 16, &[])).unwrap();
        // SAFETY: rooted at once.
        let o = unsafe { heap.alloc_raw(t, 0, false) }.unwrap();
        let h = table.new_handle(o).unwrap();
        // SAFETY: the table is alive and not borrowed.
        unsafe { raw.close(h) }.unwrap();
        assert_eq!(table.open_count(), 0);
        heap.collect_minor();
    }
}
