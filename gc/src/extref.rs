//! Externally reference-counted proxies (the rawrefcount idea): links between GC objects
//! and non-moving, reference-counted memory that foreign code (C extensions) holds.
//!
//! A *link* pairs a GC object with a proxy's reference-count word. The embedder owns the
//! proxy memory; the collector only reads and never writes the count. Rules:
//!
//! - **Lazily made.** [`Core::extref_link`] links an object when it first crosses into
//!   foreign code, adding [`EXTREF_BIAS`] to the count: the bias stands for "the managed
//!   side holds a reference", so foreign code never sees the count reach zero while the
//!   object lives.
//! - **O(1) both ways, nothing rebuilt.** The link's index lives in the object's header
//!   (bits 42..63, [`LINK_SHIFT`]), so object → proxy is one header read and one array
//!   read; the header travels with the object when a minor collection copies it, and
//!   only the table entry's address is updated. Proxy → object is the entry named by the
//!   index the embedder keeps beside its proxy. No table is rehashed at collections
//!   (PyPy rebuilds its dictionary at every major collection).
//! - **Foreign references keep the object alive.** A count above the bias is a root: young
//!   linked objects with one are evacuated as roots by minor collections; old ones are
//!   greyed by the major collection's link scan, which runs in bounded chunks at the start
//!   of marking. Taking a proxy during marking ([`Core::extref_proxy_of`]) greys the
//!   object, so a reference handed to foreign code mid-cycle is never missed.
//! - **The pair dies together.** When the object dies (unreachable, and the count is
//!   exactly the bias) the link is dropped and the proxy's count pointer is queued
//!   ([`Core::extref_next_dead`]); the embedder removes the bias and frees the proxy at a
//!   safe point of its choosing. Dead old links are found in bounded chunks after marking,
//!   like weak references.

use crate::header::{
    Header, ObjRef, FLAG_FORWARDED, FLAG_MARKED, FLAG_PINNED, FLAG_SURVIVED, FLAG_YOUNG_LARGE,
};
use crate::heap::Core;
use crate::major::Phase;

/// Added to a proxy's count while the managed side holds it: foreign code sees a huge
/// count, so "refcount is 1, mutate in place" shortcuts never fire on shared objects.
pub const EXTREF_BIAS: isize = 1 << 61;

/// First header bit of the link index (index + 1; 0 means "no link").
pub const LINK_SHIFT: u32 = 42;
/// Most links that can exist at once (22 header bits, minus the "none" value).
pub const MAX_LINKS: usize = (1 << (64 - LINK_SHIFT)) - 1;
const LINK_MASK: u64 = !((1u64 << LINK_SHIFT) - 1);

/// A link table slot.
#[derive(Clone, Copy)]
struct Entry {
    /// The linked object's current address; `None` for a free slot.
    obj: Option<ObjRef>,
    /// The proxy's reference-count word.
    count: *mut isize,
}

/// The link table and its queues.
#[derive(Default)]
pub(crate) struct ExtRefState {
    entries: Vec<Entry>,
    free: Vec<u32>,
    /// Links of nursery (or young large) objects: fixed by the next minor collection.
    young: Vec<u32>,
    /// Count words of proxies whose object died, for the embedder.
    dead: Vec<*mut isize>,
    /// Next entry for the marking phase's link scan.
    scan_cursor: usize,
    /// Next entry for the post-marking clearing of dead links.
    clear_cursor: usize,
}

/// Why a link could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtRefError {
    /// [`MAX_LINKS`] links exist already.
    TableFull,
    /// The object already has a proxy.
    AlreadyLinked,
}

impl std::fmt::Display for ExtRefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExtRefError::TableFull => write!(f, "more than {MAX_LINKS} objects linked to proxies"),
            ExtRefError::AlreadyLinked => write!(f, "the object already has a proxy"),
        }
    }
}

impl std::error::Error for ExtRefError {}

impl ExtRefState {
    /// Minor collection, root phase: calls `root` with the slot of every young linked
    /// object that foreign code holds.
    pub(crate) fn minor_roots(&mut self, mut root: impl FnMut(*mut Option<ObjRef>)) {
        for &i in &self.young {
            let e = &mut self.entries[i as usize];
            // SAFETY: a linked entry's count word is valid (contract of `extref_link`).
            if e.obj.is_some() && unsafe { *e.count } != EXTREF_BIAS {
                root(&mut e.obj);
            }
        }
    }

    /// Greys the objects of up to `max` links whose proxies foreign code holds (old
    /// objects only: `young` says which addresses are nursery ones). Returns whether the
    /// scan is complete.
    pub(crate) fn mark_step(
        &mut self,
        max: usize,
        young: impl Fn(ObjRef) -> bool,
        grey: &mut Vec<ObjRef>,
    ) -> bool {
        let end = self.scan_cursor.saturating_add(max).min(self.entries.len());
        for e in &self.entries[self.scan_cursor..end] {
            let Some(o) = e.obj else { continue };
            // SAFETY: linked entries hold live objects and valid count words.
            unsafe {
                if *e.count != EXTREF_BIAS && !young(o) {
                    let h = o.header();
                    if !h.has(FLAG_MARKED) && !h.has(FLAG_PINNED) {
                        o.set_header(Header(h.0 | FLAG_MARKED));
                        grey.push(o);
                    }
                }
            }
        }
        self.scan_cursor = end;
        end == self.entries.len()
    }
}

#[inline(always)]
fn link_of(h: Header) -> Option<u32> {
    let v = (h.0 >> LINK_SHIFT) as u32;
    v.checked_sub(1)
}

impl Core {
    /// Links `obj` to the proxy whose count word is `count`, adding [`EXTREF_BIAS`] to the
    /// count. Returns the link index, which the embedder keeps with its proxy.
    ///
    /// # Safety
    /// `obj` must be a live object of this heap; `count` must stay valid until the link
    /// is reported dead by [`Core::extref_next_dead`] (or removed by
    /// [`Core::extref_unlink`]).
    pub unsafe fn extref_link(
        &mut self,
        obj: ObjRef,
        count: *mut isize,
    ) -> Result<u32, ExtRefError> {
        // SAFETY: live object.
        let h = unsafe { obj.header() };
        if link_of(h).is_some() {
            return Err(ExtRefError::AlreadyLinked);
        }
        let idx = match self.extref.free.pop() {
            Some(i) => i,
            None => {
                if self.extref.entries.len() >= MAX_LINKS {
                    return Err(ExtRefError::TableFull);
                }
                self.extref.entries.push(Entry {
                    obj: None,
                    count: std::ptr::null_mut(),
                });
                (self.extref.entries.len() - 1) as u32
            }
        };
        self.extref.entries[idx as usize] = Entry {
            obj: Some(obj),
            count,
        };
        // SAFETY: live object; `count` is valid (caller).
        unsafe {
            obj.set_header(Header(
                (h.0 & !LINK_MASK) | ((idx as u64 + 1) << LINK_SHIFT),
            ));
            *count += EXTREF_BIAS;
        }
        if self.is_young(obj) {
            self.extref.young.push(idx);
        }
        self.extref_barrier(obj);
        Ok(idx)
    }

    /// Whether `obj` would be moved or freed by a minor collection.
    fn is_young(&self, obj: ObjRef) -> bool {
        // SAFETY: callers pass live objects.
        self.nursery.contains(obj.as_ptr()) || unsafe { obj.header() }.has(FLAG_YOUNG_LARGE)
    }

    /// During marking, greys an old object that is being handed to foreign code.
    #[inline(always)]
    fn extref_barrier(&mut self, obj: ObjRef) {
        if self.major.phase == Phase::Marking && !self.nursery.contains(obj.as_ptr()) {
            // SAFETY: live old object.
            unsafe {
                let h = obj.header();
                if !h.has(FLAG_MARKED) && !h.has(FLAG_YOUNG_LARGE) {
                    obj.set_header(Header(h.0 | FLAG_MARKED));
                    self.major.grey.push(obj);
                }
            }
        }
    }

    /// The proxy count word of `obj`, if it is linked. O(1). During marking this also
    /// greys the object (the caller is about to hand the proxy out).
    ///
    /// # Safety
    /// `obj` must be a live object of this heap.
    #[inline]
    pub unsafe fn extref_proxy_of(&mut self, obj: ObjRef) -> Option<*mut isize> {
        // SAFETY: live object.
        let idx = link_of(unsafe { obj.header() })?;
        self.extref_barrier(obj);
        Some(self.extref.entries[idx as usize].count)
    }

    /// The object of link `idx` (its current address), or `None` if the link is gone.
    #[inline]
    pub fn extref_object(&self, idx: u32) -> Option<ObjRef> {
        self.extref.entries.get(idx as usize).and_then(|e| e.obj)
    }

    /// Removes the link of `obj` (if any) without queueing the proxy; the bias is left on
    /// the count for the embedder to remove. Returns the count word.
    ///
    /// # Safety
    /// `obj` must be a live object of this heap.
    pub unsafe fn extref_unlink(&mut self, obj: ObjRef) -> Option<*mut isize> {
        // SAFETY: live object.
        let h = unsafe { obj.header() };
        let idx = link_of(h)?;
        // SAFETY: live object.
        unsafe { obj.set_header(Header(h.0 & !LINK_MASK)) };
        let e = std::mem::replace(
            &mut self.extref.entries[idx as usize],
            Entry {
                obj: None,
                count: std::ptr::null_mut(),
            },
        );
        if self.extref.young.last() == Some(&idx) {
            self.extref.young.pop();
        } else {
            self.extref.young.retain(|&i| i != idx);
        }
        self.extref.free.push(idx);
        Some(e.count)
    }

    /// The next proxy whose object died, as its count word (still carrying the bias).
    pub fn extref_next_dead(&mut self) -> Option<*mut isize> {
        self.extref.dead.pop()
    }

    /// Whether dead proxies wait for the embedder.
    #[inline]
    pub fn extref_has_dead(&self) -> bool {
        !self.extref.dead.is_empty()
    }

    /// How many links exist, and how many dead proxies wait for the embedder.
    pub fn extref_counts(&self) -> (usize, usize) {
        (
            self.extref.entries.len() - self.extref.free.len(),
            self.extref.dead.len(),
        )
    }

    /// Minor collection, after evacuation (before the nursery is reset): young links
    /// follow their copied objects; those whose object died are queued dead.
    pub(crate) fn extref_after_minor(&mut self) {
        let mut young = std::mem::take(&mut self.extref.young);
        young.retain(|&i| {
            let e = &mut self.extref.entries[i as usize];
            let Some(o) = e.obj else { return false };
            // SAFETY: the object is a nursery object (live or forwarded) or a young large
            // object, still allocated until the nursery reset / large-object finish.
            unsafe {
                let h = o.header();
                if self.nursery.contains(o.as_ptr()) {
                    if h.has(FLAG_FORWARDED) {
                        e.obj = *o.field_ptr::<Option<ObjRef>>(8);
                        return false;
                    }
                    if h.has(FLAG_PINNED) {
                        return true; // Still young: fixed by a later collection.
                    }
                } else if !h.has(FLAG_YOUNG_LARGE) || h.has(FLAG_SURVIVED) {
                    return false; // A young large object that survived: now old.
                }
            }
            // Died young.
            self.extref.dead.push(e.count);
            e.obj = None;
            self.extref.free.push(i);
            false
        });
        self.extref.young = young;
    }

    /// Starts the marking phase's link scan.
    pub(crate) fn extref_mark_start(&mut self) {
        self.extref.scan_cursor = 0;
    }

    /// Starts dropping the links of objects the finished marking found dead.
    pub(crate) fn extref_clear_start(&mut self) {
        self.extref.clear_cursor = 0;
    }

    /// Drops up to `max` dead old links. Returns whether the walk is complete.
    pub(crate) fn extref_clear_step(&mut self, max: usize) -> bool {
        let st = &mut self.extref;
        let end = st.clear_cursor.saturating_add(max).min(st.entries.len());
        for i in st.clear_cursor..end {
            let e = &mut st.entries[i];
            let Some(o) = e.obj else { continue };
            if self.nursery.contains(o.as_ptr()) {
                continue;
            }
            // SAFETY: old objects are not swept before this walk completes.
            let h = unsafe { o.header() };
            if h.has(FLAG_MARKED) || h.has(FLAG_YOUNG_LARGE) {
                continue;
            }
            // The object may yet be resurrected by finalizer ordering: it must not keep
            // naming a slot that another object will get.
            // SAFETY: as above.
            unsafe { o.set_header(Header(h.0 & !LINK_MASK)) };
            st.dead.push(e.count);
            e.obj = None;
            st.free.push(i as u32);
        }
        st.clear_cursor = end;
        end == st.entries.len()
    }
}
