//! The one-word object header and the raw object reference.
//!
//! Every GC object starts with a [`Header`]: the low 32 bits hold the [`TypeId`], the high
//! 32 bits hold flags. The flags and the invariant each keeps are documented where they
//! are defined, below. An object is at least [`MIN_OBJECT_SIZE`] bytes, so that a
//! forwarding address (nursery) or a free-list link (old space) fits after the header.

use crate::layout::TypeId;
use std::fmt;
use std::ptr::NonNull;

/// Size of the header in bytes.
pub const HEADER_SIZE: usize = 8;
/// Every object is at least this large: header plus one word.
pub const MIN_OBJECT_SIZE: usize = 16;
/// Objects are aligned to, and sized in multiples of, this many bytes.
pub const OBJECT_ALIGN: usize = 8;

/// Set on old objects whose next pointer store must run the write barrier's slow path.
/// Cleared by the slow path, which records the object in the remembered set; set again
/// when the minor collection has processed it. So the barrier fires at most once per old
/// object per minor cycle. Young objects never carry it.
pub const FLAG_TRACK_YOUNG_PTRS: u64 = 1 << 32;
/// Marked (reached) by the current major collection. Cleared by sweeping.
pub const FLAG_MARKED: u64 = 1 << 33;
/// Nursery object already copied out during a minor collection; word 1 holds the new
/// address. Only ever seen inside a minor collection.
pub const FLAG_FORWARDED: u64 = 1 << 34;
/// Large object allocated young (outside the nursery) that has not yet survived a minor
/// collection. It does not move; a minor collection either keeps it (clearing the flag)
/// or frees it.
pub const FLAG_YOUNG_LARGE: u64 = 1 << 35;
/// Lives in the large-object space (its own allocation), young or old.
pub const FLAG_LARGE: u64 = 1 << 36;
/// Young large object reached during the current minor collection.
pub const FLAG_SURVIVED: u64 = 1 << 37;

/// Nursery object pinned in place: minor collections leave it where it is (see
/// `pin.rs`).
pub const FLAG_PINNED: u64 = 1 << 38;

/// Type id written into free old-space cells, so that sweeping and the verifier can tell
/// free cells from objects.
pub const FREE_CELL_TYPE: u32 = u32::MAX;

/// The header word of a GC object.
#[derive(Copy, Clone, PartialEq, Eq)]
#[repr(transparent)]
pub struct Header(pub u64);

impl Header {
    /// A fresh header with no flags.
    #[inline(always)]
    pub const fn new(ty: TypeId) -> Header {
        Header(ty.0 as u64)
    }

    /// The object's type.
    #[inline(always)]
    pub const fn type_id(self) -> TypeId {
        TypeId(self.0 as u32)
    }

    /// Whether every bit of `flag` is set.
    #[inline(always)]
    pub const fn has(self, flag: u64) -> bool {
        self.0 & flag == flag
    }
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Header(type={}, flags={:#x})",
            self.0 as u32,
            self.0 >> 32
        )
    }
}

/// The address of a GC object (its header). Holding one is safe, like holding a raw
/// pointer; reading or writing through it is `unsafe`, because the object moves or dies
/// at the next collection unless the reference is stored in a root. Slots that hold
/// references have the type `Option<ObjRef>`: one word, null for `None`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct ObjRef(NonNull<u8>);

impl ObjRef {
    /// Wraps a raw address.
    ///
    /// # Safety
    /// `p` must be the address of a live GC object of the heap it is used with.
    #[inline(always)]
    pub const unsafe fn from_raw(p: NonNull<u8>) -> ObjRef {
        ObjRef(p)
    }

    /// The address of the header.
    #[inline(always)]
    pub const fn as_ptr(self) -> *mut u8 {
        self.0.as_ptr()
    }

    /// The address as a non-null pointer.
    #[inline(always)]
    pub const fn as_nonnull(self) -> NonNull<u8> {
        self.0
    }

    /// The address as an integer.
    #[inline(always)]
    pub fn addr(self) -> usize {
        self.0.as_ptr() as usize
    }

    /// Reads the header.
    ///
    /// # Safety
    /// The object must be live (or a forwarded nursery object inside a minor collection).
    #[inline(always)]
    pub unsafe fn header(self) -> Header {
        // SAFETY: the caller guarantees a live object; headers are 8-aligned words.
        unsafe { *(self.as_ptr() as *const Header) }
    }

    /// Overwrites the header.
    ///
    /// # Safety
    /// As [`ObjRef::header`], and the new header must describe the same object.
    #[inline(always)]
    pub unsafe fn set_header(self, h: Header) {
        // SAFETY: as above.
        unsafe { *(self.as_ptr() as *mut Header) = h }
    }

    /// Address of the byte at `offset` in the object.
    ///
    /// # Safety
    /// `offset` must lie within the object.
    #[inline(always)]
    pub unsafe fn field_ptr<T>(self, offset: usize) -> *mut T {
        // SAFETY: the caller keeps `offset` within the object's allocation.
        unsafe { self.as_ptr().add(offset) as *mut T }
    }
}

impl fmt::Debug for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjRef({:p})", self.0)
    }
}

/// Rounds `n` up to the object alignment and the minimum object size.
#[inline(always)]
pub const fn object_size_round(n: usize) -> usize {
    let n = (n + OBJECT_ALIGN - 1) & !(OBJECT_ALIGN - 1);
    if n < MIN_OBJECT_SIZE {
        MIN_OBJECT_SIZE
    } else {
        n
    }
}
