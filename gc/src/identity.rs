//! Identity: an id and an identity hash per object, stable across moves.
//!
//! An old object never moves, so its id is its address. A nursery object will move at
//! the next minor collection, so asking its id reserves its future place now (PyPy's
//! "shadow"): an old-space cell of the same size, initialised as a valid empty object of
//! the same type, whose address becomes the id. The object gets `FLAG_HAS_SHADOW`, and
//! the minor collection that promotes it copies it into that cell instead of a new one.
//! If the object dies young, the shadow is an ordinary unreachable old object, freed by
//! the next major collection. A pinned object keeps its shadow until it moves. While a
//! major cycle is in progress, reserved cells are kept marked (greyed at the start of the
//! cycle, or allocated marked), and the copy keeps the cell's mark bit, so that a cell
//! filled during sweeping is not swept.
//!
//! Ids are unique among live objects (two live objects never share a cell); the hash is
//! a mix of the id.

use crate::header::{Header, ObjRef};
use crate::heap::Core;
use crate::trace::{object_size, var_len};

/// Set on a nursery object whose id was taken: it has a reserved old-space cell.
pub const FLAG_HAS_SHADOW: u64 = 1 << 41;

impl Core {
    /// The object's id: its address if old, its reserved future address if young.
    ///
    /// # Safety
    /// `obj` must be a live object of this heap.
    pub unsafe fn identity(&mut self, obj: ObjRef) -> Result<usize, crate::AllocError> {
        if !self.nursery.contains(obj.as_ptr()) {
            return Ok(obj.addr());
        }
        // SAFETY: live nursery object.
        let h = unsafe { obj.header() };
        if h.has(FLAG_HAS_SHADOW) {
            return Ok(self.shadows[&obj.addr()].addr());
        }
        let color = self.allocation_color();
        // Field borrows: the registry is read while the spaces are written.
        let info = self
            .types
            .get(h.type_id())
            .ok_or(crate::AllocError::UnknownType(h.type_id()))?;
        // SAFETY: live object of this registered type.
        let (size, len) = unsafe { (object_size(obj, info), var_len(obj, info)) };
        // SAFETY: live object of this type.
        let (p, flags) =
            unsafe { crate::minor::copy_target(&mut self.old, &mut self.large, size, info, obj) };
        let p = p.ok_or(crate::AllocError::OutOfMemory { requested: size })?;
        // SAFETY: a fresh old cell of `size` bytes: made a valid, empty object of the same
        // type (a dead one until the minor collection fills it).
        let shadow = unsafe {
            crate::heap::init_object(
                p.as_ptr(),
                size,
                Header(Header::new(h.type_id()).0 | flags | color),
                info.var.as_ref().map(|v| v.length_offset),
                len,
            )
        };
        // SAFETY: live nursery object.
        unsafe { obj.set_header(Header(h.0 | FLAG_HAS_SHADOW)) };
        self.shadows.insert(obj.addr(), shadow);
        Ok(shadow.addr())
    }

    /// A hash of the object's identity, stable for its lifetime.
    ///
    /// # Safety
    /// As [`Core::identity`].
    pub unsafe fn identity_hash(&mut self, obj: ObjRef) -> Result<u64, crate::AllocError> {
        // SAFETY: forwarded.
        let id = unsafe { self.identity(obj) }? as u64;
        // Addresses are 8-aligned and clustered: mix the bits (a 64-bit finaliser).
        let mut x = id ^ (id >> 33);
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        Ok(x ^ (x >> 33))
    }
}
