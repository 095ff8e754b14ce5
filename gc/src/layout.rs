//! Object layouts described as data: the type registry.
//!
//! A runtime registers each of its object layouts once, as a [`TypeDesc`]: the size of
//! the fixed part (header included), the byte offsets of the reference fields in it, an
//! optional variable-length part (an array of items after the fixed part, whose count is
//! a `usize` stored in the fixed part), and, for layouts that offsets cannot express, a
//! custom trace function. The registry validates the description and returns a
//! [`TypeId`]. The collector traces objects from these tables alone; it never calls back
//! into the runtime for an ordinary object.

use crate::header::{object_size_round, ObjRef, FREE_CELL_TYPE, HEADER_SIZE, OBJECT_ALIGN};
use std::fmt;

/// Index of a registered type. Stored in the low 32 bits of every header.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
#[repr(transparent)]
pub struct TypeId(pub u32);

/// A custom trace function: it must call `visit` once for each reference slot of the
/// object (slots holding `None` may be skipped or visited). The collector may update the
/// slot through the pointer it is given.
///
/// The function must not allocate, must not touch other objects, and must report the
/// same slots for as long as the object's contents do not change.
pub type TraceFn = unsafe fn(obj: ObjRef, visit: &mut dyn FnMut(*mut Option<ObjRef>));

/// The variable-length part of a layout: `length` items of `item_size` bytes, starting
/// right after the fixed part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarPart {
    /// Offset (in the fixed part) of the `usize` item count. The collector writes it at
    /// allocation; it must not change afterwards.
    pub length_offset: usize,
    /// Bytes per item.
    pub item_size: usize,
    /// Offsets of reference slots inside each item (for an array of references: `[0]`
    /// with `item_size` 8).
    pub item_ref_offsets: Vec<usize>,
}

/// What a runtime says about one of its layouts.
#[derive(Clone, Debug)]
pub struct TypeDesc {
    /// A name for messages and statistics.
    pub name: String,
    /// Size in bytes of the fixed part, header included.
    pub size: usize,
    /// Offsets of the reference slots (`Option<ObjRef>`) of the fixed part.
    pub ref_offsets: Vec<usize>,
    /// The variable-length part, if any.
    pub var: Option<VarPart>,
    /// A custom trace function, called in addition to the offsets above.
    pub trace: Option<TraceFn>,
    /// Offsets of weak reference slots of the fixed part: not traced; set to `None` by
    /// the collector when their target dies (in a minor or a major collection).
    pub weak_offsets: Vec<usize>,
    /// A light destructor, run when an object of this type is freed (see
    /// [`Destructor`]).
    pub destructor: Option<Destructor>,
}

/// A light destructor: called with the object when the collector frees it, to release
/// what the object owns outside the heap (a `malloc`ed buffer, a file descriptor...).
///
/// It runs inside the collector. It may read the object's plain data, and must not
/// allocate GC objects, touch other objects, or keep the reference (the object is gone
/// when it returns); debug builds check that it does not allocate.
pub type Destructor = unsafe fn(obj: ObjRef);

impl TypeDesc {
    /// A fixed-size layout of `size` bytes with reference slots at `ref_offsets`.
    pub fn fixed(name: &str, size: usize, ref_offsets: &[usize]) -> TypeDesc {
        TypeDesc {
            name: name.into(),
            size,
            ref_offsets: ref_offsets.to_vec(),
            var: None,
            trace: None,
            weak_offsets: vec![],
            destructor: None,
        }
    }

    /// An array of references: header, a `usize` length, then the items.
    pub fn ref_array(name: &str) -> TypeDesc {
        TypeDesc {
            name: name.into(),
            size: HEADER_SIZE + 8,
            ref_offsets: vec![],
            var: Some(VarPart {
                length_offset: HEADER_SIZE,
                item_size: 8,
                item_ref_offsets: vec![0],
            }),
            trace: None,
            weak_offsets: vec![],
            destructor: None,
        }
    }

    /// An array of bytes without references: header, a `usize` length, then the bytes.
    pub fn byte_array(name: &str) -> TypeDesc {
        TypeDesc {
            name: name.into(),
            size: HEADER_SIZE + 8,
            ref_offsets: vec![],
            var: Some(VarPart {
                length_offset: HEADER_SIZE,
                item_size: 1,
                item_ref_offsets: vec![],
            }),
            trace: None,
            weak_offsets: vec![],
            destructor: None,
        }
    }

    /// Adds a custom trace function. The registry cannot see the slots it reports, so
    /// it cannot stop a [`crate::DataField`] from overlapping them: declare such slots in
    /// `ref_offsets` as well when they sit in the fixed part, or never make data fields
    /// over them (writing an integer there would forge a reference). The slots may also
    /// live outside the object, in memory it owns (freed by its destructor): the
    /// collector updates them in place like any other slot, and a runtime that changes
    /// them in an old object runs the write barrier on the object first.
    pub fn with_trace(mut self, trace: TraceFn) -> TypeDesc {
        self.trace = Some(trace);
        self
    }

    /// Declares weak reference slots.
    pub fn with_weak(mut self, offsets: &[usize]) -> TypeDesc {
        self.weak_offsets = offsets.to_vec();
        self
    }

    /// Adds a light destructor.
    pub fn with_destructor(mut self, d: Destructor) -> TypeDesc {
        self.destructor = Some(d);
        self
    }
}

/// Why a [`TypeDesc`] was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutError {
    /// The type's name.
    pub type_name: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid layout for type {:?}: {}",
            self.type_name, self.reason
        )
    }
}

impl std::error::Error for LayoutError {}

/// How the collector finds the references of an object, picked at registration so the
/// tracing loop branches once per object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TraceKind {
    /// No references at all.
    Leaf,
    /// Only the fixed offsets.
    Fixed,
    /// Fixed offsets, then an array of references (item size 8, one slot at 0).
    RefArray,
    /// Anything else: fixed offsets, per-item offsets, custom function.
    General,
}

/// A validated layout, as the collector uses it.
#[derive(Clone, Debug)]
pub(crate) struct TypeInfo {
    pub name: String,
    /// Fixed part, unrounded.
    pub fixed_size: usize,
    /// Allocation size of a fixed-size object (the fixed part, rounded).
    pub alloc_size: usize,
    /// The largest object the nursery fast path may allocate for this type: the large
    /// object limit, or 0 when every allocation must take the slow path (the type has a
    /// destructor, so young objects must be listed).
    pub fast_max: usize,
    pub ref_offsets: Box<[u32]>,
    pub var: Option<VarPart>,
    pub trace: Option<TraceFn>,
    pub kind: TraceKind,
    pub weak_offsets: Box<[u32]>,
    pub destructor: Option<Destructor>,
    /// One bit per word of the fixed part: set if the word is a reference slot or the
    /// length field (words the safe API must not overwrite with plain data).
    pub protected_words: Vec<u64>,
}

impl TypeInfo {
    /// Size of an object of this type with `len` items (0 for fixed types), rounded.
    #[inline(always)]
    pub fn size_for(&self, len: usize) -> Option<usize> {
        match &self.var {
            None => Some(self.alloc_size),
            Some(v) => v
                .item_size
                .checked_mul(len)
                .and_then(|b| b.checked_add(self.fixed_size))
                .filter(|&b| b <= isize::MAX as usize - OBJECT_ALIGN)
                .map(object_size_round),
        }
    }

    /// Whether the fixed-part word at byte `offset` is protected (see `protected_words`).
    pub fn word_protected(&self, offset: usize) -> bool {
        let w = offset / 8;
        self.protected_words
            .get(w / 64)
            .is_some_and(|bits| bits & (1 << (w % 64)) != 0)
    }

    /// Whether `offset` is one of the fixed reference slots.
    pub fn is_ref_offset(&self, offset: usize) -> bool {
        self.ref_offsets.iter().any(|&o| o as usize == offset)
    }

    /// Whether `offset` is one of the weak reference slots.
    pub fn is_weak_offset(&self, offset: usize) -> bool {
        self.weak_offsets.iter().any(|&o| o as usize == offset)
    }

    /// Whether objects of this type have weak slots.
    pub fn has_weak(&self) -> bool {
        !self.weak_offsets.is_empty()
    }
}

/// All registered layouts of one heap.
#[derive(Default)]
pub(crate) struct TypeRegistry {
    pub types: Vec<TypeInfo>,
}

impl TypeRegistry {
    pub fn register(&mut self, d: TypeDesc) -> Result<TypeId, LayoutError> {
        let err = |reason: String| LayoutError {
            type_name: d.name.clone(),
            reason,
        };
        if self.types.len() >= (FREE_CELL_TYPE - 1) as usize {
            return Err(err("too many types".into()));
        }
        if d.size < HEADER_SIZE {
            return Err(err(format!(
                "fixed size {} is smaller than the {HEADER_SIZE}-byte header",
                d.size
            )));
        }
        if d.size > u32::MAX as usize {
            return Err(err(format!("fixed size {} is too large", d.size)));
        }
        let words = d.size.div_ceil(8);
        let mut protected = vec![0u64; words.div_ceil(64).max(1)];
        let mut protect = |off: usize, what: &str| -> Result<(), LayoutError> {
            if !off.is_multiple_of(8) || off < HEADER_SIZE || off + 8 > d.size {
                return Err(err(format!(
                    "{what} at offset {off} must be 8-aligned, after the header and inside the \
                     {}-byte fixed part",
                    d.size
                )));
            }
            let w = off / 8;
            if protected[w / 64] & (1 << (w % 64)) != 0 {
                return Err(err(format!("offset {off} is declared twice")));
            }
            protected[w / 64] |= 1 << (w % 64);
            Ok(())
        };
        let mut offs = d.ref_offsets.clone();
        offs.sort_unstable();
        for &o in &offs {
            protect(o, "reference slot")?;
        }
        for &o in &d.weak_offsets {
            protect(o, "weak reference slot")?;
        }
        if let Some(v) = &d.var {
            protect(v.length_offset, "length field")?;
            if v.item_size == 0 {
                return Err(err("item size must not be 0".into()));
            }
            for &o in &v.item_ref_offsets {
                if !o.is_multiple_of(8) || o + 8 > v.item_size || !v.item_size.is_multiple_of(8) {
                    return Err(err(format!(
                        "item reference slot at {o} must be 8-aligned inside an item whose \
                         size ({}) is a multiple of 8",
                        v.item_size
                    )));
                }
            }
            if !v.item_ref_offsets.is_empty() && !d.size.is_multiple_of(8) {
                return Err(err(
                    "items holding references need an 8-aligned fixed part".into()
                ));
            }
        }
        let kind = match (&d.var, d.trace, offs.is_empty()) {
            (_, Some(_), _) => TraceKind::General,
            (None, None, true) => TraceKind::Leaf,
            (None, None, false) => TraceKind::Fixed,
            (Some(v), None, empty) => {
                if v.item_ref_offsets.is_empty() {
                    if empty {
                        TraceKind::Leaf
                    } else {
                        TraceKind::Fixed
                    }
                } else if v.item_size == 8 {
                    TraceKind::RefArray
                } else {
                    TraceKind::General
                }
            }
        };
        let id = TypeId(self.types.len() as u32);
        self.types.push(TypeInfo {
            name: d.name,
            fixed_size: d.size,
            alloc_size: object_size_round(d.size),
            fast_max: if d.destructor.is_some() {
                0
            } else {
                crate::heap::LARGE_OBJECT_SIZE
            },
            ref_offsets: offs.iter().map(|&o| o as u32).collect(),
            var: d.var,
            trace: d.trace,
            kind,
            weak_offsets: d.weak_offsets.iter().map(|&o| o as u32).collect(),
            destructor: d.destructor,
            protected_words: protected,
        });
        Ok(id)
    }

    #[inline(always)]
    pub fn get(&self, id: TypeId) -> Option<&TypeInfo> {
        self.types.get(id.0 as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_validates_offsets() {
        let mut r = TypeRegistry::default();
        let pair = r.register(TypeDesc::fixed("pair", 24, &[8, 16])).unwrap();
        assert_eq!(r.get(pair).unwrap().kind, TraceKind::Fixed);
        assert_eq!(r.get(pair).unwrap().size_for(0), Some(24));
        let e = r.register(TypeDesc::fixed("bad", 24, &[4])).unwrap_err();
        assert!(e.to_string().contains("8-aligned"), "{e}");
        assert!(r.register(TypeDesc::fixed("hdr", 24, &[0])).is_err());
        assert!(r.register(TypeDesc::fixed("out", 24, &[24])).is_err());
        assert!(r.register(TypeDesc::fixed("dup", 24, &[8, 8])).is_err());
        assert!(r.register(TypeDesc::fixed("tiny", 4, &[])).is_err());
    }

    #[test]
    fn array_sizes_round_and_check_overflow() {
        let mut r = TypeRegistry::default();
        let a = r.register(TypeDesc::ref_array("arr")).unwrap();
        let b = r.register(TypeDesc::byte_array("bytes")).unwrap();
        let a = r.get(a).unwrap();
        assert_eq!(a.kind, TraceKind::RefArray);
        assert_eq!(a.size_for(0), Some(16));
        assert_eq!(a.size_for(3), Some(40));
        assert_eq!(a.size_for(usize::MAX / 4), None);
        let b = r.get(b).unwrap();
        assert_eq!(b.kind, TraceKind::Leaf);
        assert_eq!(b.size_for(1), Some(24));
        assert!(b.word_protected(8));
        assert!(!b.word_protected(16));
    }
}
