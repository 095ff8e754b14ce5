//! `Value`: a reference to a Python object in the GC heap, and the raw field access
//! every object kind builds on.
//!
//! Every Python object starts with the collector's one-word header, then a reference to
//! its Python type (offset [`TYPE_OFFSET`]). What follows depends on the layout
//! (`layout.rs`).
//!
//! **The rule that makes raw `Value`s sound.** The interpreter's heap runs in the
//! collector's safepoint mode: allocation never collects, so a `Value` stays valid until
//! the next safepoint ([`crate::Space::safepoint`]), which only the interpreter loop and
//! calls back into Python code reach. Code that holds a `Value` across such a call must
//! keep it in a root (the shadow stack) and read it back afterwards. The stress modes
//! (a collection at every few safepoints, poisoned nurseries) check that rule.

use thicket_gc::{ObjRef, TypeId};

/// Offset of the type reference in every object.
pub const TYPE_OFFSET: usize = 8;

/// A reference to a live Python object (see the module doc for how long it stays valid).
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Value(pub ObjRef);

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Value({:#x})", self.0.addr())
    }
}

impl Value {
    /// The object's address (its identity while it does not move).
    #[inline(always)]
    pub fn addr(self) -> usize {
        self.0.addr()
    }

    /// The collector layout of the object.
    #[inline(always)]
    pub fn layout(self) -> TypeId {
        // SAFETY: a `Value` is a live object (module rule).
        unsafe { self.0.header().type_id() }
    }

    /// The object's Python type.
    #[inline(always)]
    pub fn ty(self) -> Value {
        // SAFETY: every object has its type at TYPE_OFFSET, set at allocation.
        unsafe { self.get_ref(TYPE_OFFSET).unwrap_unchecked() }
    }

    /// Reads the reference slot at `off`.
    ///
    /// # Safety
    /// `off` must be a reference slot of this object's layout.
    #[inline(always)]
    pub unsafe fn get_ref(self, off: usize) -> Option<Value> {
        // SAFETY: the caller names a reference slot; `Option<Value>` has the layout of
        // `Option<ObjRef>` (transparent).
        unsafe { *self.0.field_ptr::<Option<Value>>(off) }
    }

    /// Writes the reference slot at `off` without a write barrier: only for objects
    /// allocated since the last safepoint that the caller has not published (young, or
    /// spilled-and-remembered ones), or after calling the barrier itself.
    ///
    /// # Safety
    /// `off` must be a reference slot of this object's layout.
    #[inline(always)]
    pub unsafe fn init_ref(self, off: usize, v: Option<Value>) {
        // SAFETY: as above.
        unsafe { *self.0.field_ptr::<Option<Value>>(off) = v }
    }

    /// Reads a plain field.
    ///
    /// # Safety
    /// `off` must be a plain (non-reference) field of type `T` in this layout.
    #[inline(always)]
    pub unsafe fn get<T: Copy>(self, off: usize) -> T {
        // SAFETY: as above.
        unsafe { *self.0.field_ptr::<T>(off) }
    }

    /// Writes a plain field.
    ///
    /// # Safety
    /// `off` must be a plain (non-reference) field of type `T` in this layout.
    #[inline(always)]
    pub unsafe fn set<T: Copy>(self, off: usize, v: T) {
        // SAFETY: as above.
        unsafe { *self.0.field_ptr::<T>(off) = v }
    }

    /// Pointer to byte `off` of the object.
    ///
    /// # Safety
    /// `off` must lie inside the object.
    #[inline(always)]
    pub unsafe fn ptr<T>(self, off: usize) -> *mut T {
        // SAFETY: forwarded.
        unsafe { self.0.field_ptr::<T>(off) }
    }

    /// Whether two values are the same object (`is`).
    #[inline(always)]
    pub fn is(self, other: Value) -> bool {
        self.0 == other.0
    }
}

/// Converts an optional value to the collector's slot type.
#[inline(always)]
pub fn to_slot(v: Option<Value>) -> Option<ObjRef> {
    v.map(|v| v.0)
}

/// Converts a collector slot to an optional value.
#[inline(always)]
pub fn from_slot(s: Option<ObjRef>) -> Option<Value> {
    s.map(Value)
}
