//! The safe API: scopes, handles, views and checked fields.
//!
//! - A [`Scope`] is the door to the heap for Rust code. Everything that may collect
//!   (allocation, explicit collections) takes `&mut Scope`.
//! - A [`Handle`] names a slot on the heap's handle stack (as V8's `HandleScope` does). The
//!   collector updates the slot when the object moves, and every use reads the slot
//!   again, so a handle stays valid across allocations. Its lifetime ties it to its
//!   scope: when the scope ends, its slots are dropped and the borrow checker refuses any
//!   later use. To hand a handle to an outer scope, use [`Scope::escape`].
//! - An [`Obj`] is a direct, unrooted view of an object, for fast reads and pointer
//!   stores. It borrows the scope immutably, so no allocation (hence no collection) can
//!   happen while it lives, and it can never be stale.
//! - Fields are addressed through descriptors checked once against the layout:
//!   [`RefField`] for reference slots, [`DataField`] for plain data, which can never
//!   overlap a reference slot or the length field. Every access checks that the object
//!   has the descriptor's type.
//!
//! With these, Rust code cannot keep a stale object pointer without writing `unsafe`;
//! raw [`ObjRef`]s are available, but turning one back into something usable is `unsafe`.

use crate::finalize::FinalizerQueue;
use crate::header::ObjRef;
use crate::heap::{AllocError, Core};
use crate::layout::{TraceKind, TypeId, TypeInfo};
use crate::roots::GlobalRoot;
use crate::stats::GcStats;
use std::fmt;
use std::marker::PhantomData;

/// A rooted reference slot of a scope. `Copy`; valid until its scope ends. A handle may
/// hold no object (like `None`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Handle<'s> {
    index: u32,
    _scope: PhantomData<&'s ()>,
}

/// An unrooted view of an object, valid while the scope is borrowed immutably.
#[derive(Copy, Clone)]
pub struct Obj<'v> {
    r: ObjRef,
    core: &'v Core,
}

/// A checked reference field of one type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RefField {
    heap: u32,
    ty: TypeId,
    offset: u32,
}

/// A checked weak reference field of one type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct WeakField {
    heap: u32,
    ty: TypeId,
    offset: u32,
}

/// A checked plain-data field of one type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DataField<T> {
    heap: u32,
    ty: TypeId,
    offset: u32,
    _t: PhantomData<T>,
}

/// Plain data that may be read from and written to object memory.
pub trait Plain: Copy + private::Sealed + 'static {}
mod private {
    pub trait Sealed {}
}
macro_rules! plain {
    ($($t:ty),*) => { $( impl private::Sealed for $t {} impl Plain for $t {} )* };
}
plain!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, f32, f64);

/// A field descriptor that does not fit the layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError(pub String);

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FieldError {}

/// Accessing an object the wrong way: through a field of another type, an index out of
/// bounds, an array access on a non-array, or a `None` handle. These panic with this
/// message; they are programming errors of the embedder, never memory unsafety.
#[cold]
#[inline(never)]
fn misuse(what: String) -> ! {
    panic!("thicket-gc: {what}")
}

pub(crate) fn ref_field(core: &Core, ty: TypeId, offset: usize) -> Result<RefField, FieldError> {
    let info = core
        .types
        .get(ty)
        .ok_or_else(|| FieldError(format!("type id {} is not registered", ty.0)))?;
    if !info.is_ref_offset(offset) {
        return Err(FieldError(format!(
            "offset {offset} is not a reference slot of type {:?}",
            info.name
        )));
    }
    Ok(RefField {
        heap: core.globals.id,
        ty,
        offset: offset as u32,
    })
}

pub(crate) fn weak_field(core: &Core, ty: TypeId, offset: usize) -> Result<WeakField, FieldError> {
    let info = core
        .types
        .get(ty)
        .ok_or_else(|| FieldError(format!("type id {} is not registered", ty.0)))?;
    if !info.is_weak_offset(offset) {
        return Err(FieldError(format!(
            "offset {offset} is not a weak reference slot of type {:?}",
            info.name
        )));
    }
    Ok(WeakField {
        heap: core.globals.id,
        ty,
        offset: offset as u32,
    })
}

pub(crate) fn data_field<T: Plain>(
    core: &Core,
    ty: TypeId,
    offset: usize,
) -> Result<DataField<T>, FieldError> {
    let info = core
        .types
        .get(ty)
        .ok_or_else(|| FieldError(format!("type id {} is not registered", ty.0)))?;
    let size = std::mem::size_of::<T>();
    let ok = offset >= crate::header::HEADER_SIZE
        && offset.is_multiple_of(std::mem::align_of::<T>())
        && offset
            .checked_add(size)
            .is_some_and(|end| end <= info.fixed_size)
        && (offset / 8..=(offset + size - 1) / 8).all(|w| !info.word_protected(w * 8));
    if !ok {
        return Err(FieldError(format!(
            "a {size}-byte field at offset {offset} does not fit the plain data of type {:?} \
             (it overlaps the header, a reference slot or the length, is misaligned, or \
             leaves the {}-byte fixed part)",
            info.name, info.fixed_size
        )));
    }
    Ok(DataField {
        heap: core.globals.id,
        ty,
        offset: offset as u32,
        _t: PhantomData,
    })
}

/// Checks that a field descriptor made by `heap` for type `ty` applies to `r`, an object
/// of `core`'s heap.
#[inline(always)]
fn check_field(core: &Core, r: ObjRef, heap: u32, ty: TypeId, what: &str) {
    // SAFETY: callers pass live objects (rooted handle contents or views).
    let actual = unsafe { r.header() }.type_id();
    if actual != ty || heap != core.globals.id {
        misuse(if heap != core.globals.id {
            format!("{what} made by another heap")
        } else {
            format!(
                "{what} of type {} used on an object of type {}",
                ty.0, actual.0
            )
        });
    }
}

/// Checks that a view belongs to `core`'s heap before its object is stored there.
#[inline(always)]
fn check_same_heap(core: &Core, v: Option<Obj<'_>>) -> Option<ObjRef> {
    v.map(|o| {
        if !std::ptr::eq(o.core, core) {
            misuse("a view of another heap's object cannot be stored in this heap".into());
        }
        o.r
    })
}

fn array_info(core: &Core, r: ObjRef) -> &TypeInfo {
    // SAFETY: live object.
    let t = unsafe { r.header() }.type_id();
    // SAFETY: live objects have registered types.
    unsafe { core.types.get(t).unwrap_unchecked() }
}

impl<'v> Obj<'v> {
    /// The raw reference (for identity comparisons, or to store in a root).
    #[inline(always)]
    pub fn raw(self) -> ObjRef {
        self.r
    }

    /// The object's type.
    #[inline(always)]
    pub fn type_id(self) -> TypeId {
        // SAFETY: a view is only made of a live object and lives while no collection can
        // run.
        unsafe { self.r.header() }.type_id()
    }

    /// Reads a reference field.
    #[inline(always)]
    pub fn get(self, f: RefField) -> Option<Obj<'v>> {
        check_field(self.core, self.r, f.heap, f.ty, "reference field");
        // SAFETY: the field was validated against this type, which we just checked; the
        // slot holds None or a live reference (heap invariant).
        unsafe { *self.r.field_ptr::<Option<ObjRef>>(f.offset as usize) }
            .map(|r| Obj { r, core: self.core })
    }

    /// Stores into a reference field, with the write barrier.
    #[inline(always)]
    pub fn set(self, f: RefField, v: Option<Obj<'_>>) {
        check_field(self.core, self.r, f.heap, f.ty, "reference field");
        // SAFETY: validated field of a live object; the value is a live object of the same
        // heap (a view); the barrier runs before the store.
        unsafe {
            let v = check_same_heap(self.core, v);
            self.core.write_barrier(self.r);
            *self.r.field_ptr::<Option<ObjRef>>(f.offset as usize) = v;
        }
    }

    /// Reads a weak reference field: `None` once the target has died (or is about to be
    /// freed by the collection in progress).
    #[inline]
    pub fn get_weak(self, f: WeakField) -> Option<Obj<'v>> {
        check_field(self.core, self.r, f.heap, f.ty, "weak field");
        // SAFETY: validated weak slot of a live object; the read barrier filters targets
        // that are dead but not yet cleared.
        unsafe {
            let v = *self.r.field_ptr::<Option<ObjRef>>(f.offset as usize);
            self.core.read_weak(v).map(|r| Obj { r, core: self.core })
        }
    }

    /// Stores into a weak reference field, with the write barrier.
    #[inline]
    pub fn set_weak(self, f: WeakField, v: Option<Obj<'_>>) {
        check_field(self.core, self.r, f.heap, f.ty, "weak field");
        // SAFETY: as in `set`.
        unsafe {
            let v = check_same_heap(self.core, v);
            self.core.write_barrier(self.r);
            *self.r.field_ptr::<Option<ObjRef>>(f.offset as usize) = v;
        }
    }

    /// Reads a plain-data field.
    #[inline(always)]
    pub fn read<T: Plain>(self, f: DataField<T>) -> T {
        check_field(self.core, self.r, f.heap, f.ty, "data field");
        // SAFETY: validated, aligned field inside the fixed part of a live object.
        unsafe { *self.r.field_ptr::<T>(f.offset as usize) }
    }

    /// Number of items of a variable-size object (0 for fixed-size ones).
    #[inline]
    pub fn len(self) -> usize {
        let info = array_info(self.core, self.r);
        // SAFETY: live object of this type.
        unsafe { crate::trace::var_len(self.r, info) }
    }

    /// Whether [`Obj::len`] is 0.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Item `i` of an array of references.
    #[inline]
    pub fn item(self, i: usize) -> Option<Obj<'v>> {
        let slot = ref_item_slot(self.core, self.r, i);
        // SAFETY: an in-bounds item slot of a live reference array.
        unsafe { *slot }.map(|r| Obj { r, core: self.core })
    }

    /// Stores item `i` of an array of references, with the write barrier.
    #[inline]
    pub fn set_item(self, i: usize, v: Option<Obj<'_>>) {
        let slot = ref_item_slot(self.core, self.r, i);
        // SAFETY: as in `set`; `i` was bounds-checked, as the card barrier requires.
        unsafe {
            let v = check_same_heap(self.core, v);
            self.core.write_barrier_array(self.r, i);
            *slot = v;
        }
    }

    /// The items of a byte array.
    pub fn bytes(self) -> &'v [u8] {
        let (p, n) = byte_items(self.core, self.r);
        // SAFETY: the item area of a live byte array; no `&mut` to it can exist while the
        // scope is borrowed immutably (`bytes_mut` takes `&mut Scope`).
        unsafe { std::slice::from_raw_parts(p, n) }
    }
}

impl fmt::Debug for Obj<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Obj({:#x}, type {})", self.r.addr(), self.type_id().0)
    }
}

fn ref_item_slot(core: &Core, r: ObjRef, i: usize) -> *mut Option<ObjRef> {
    let info = array_info(core, r);
    if info.kind != TraceKind::RefArray {
        misuse(format!(
            "type {:?} is not an array of references",
            info.name
        ));
    }
    // SAFETY: live object of this type.
    let n = unsafe { crate::trace::var_len(r, info) };
    if i >= n {
        misuse(format!("index {i} out of bounds for an array of {n} items"));
    }
    // SAFETY: i < n, so the item slot is inside the object.
    unsafe { r.field_ptr::<Option<ObjRef>>(info.fixed_size + 8 * i) }
}

fn byte_items(core: &Core, r: ObjRef) -> (*mut u8, usize) {
    let info = array_info(core, r);
    match &info.var {
        Some(v) if v.item_size == 1 && v.item_ref_offsets.is_empty() => {
            // SAFETY: live object; the items follow the fixed part.
            unsafe {
                (
                    r.field_ptr::<u8>(info.fixed_size),
                    crate::trace::var_len(r, info),
                )
            }
        }
        _ => misuse(format!("type {:?} is not a byte array", info.name)),
    }
}

/// The door to the heap for safe Rust code. See the module documentation.
pub struct Scope<'s> {
    core: &'s mut Core,
    base: usize,
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        self.core.handles.get_mut().truncate(self.base);
    }
}

impl<'s> Scope<'s> {
    pub(crate) fn new(core: &'s mut Core) -> Scope<'s> {
        let base = core.handles.get_mut().len();
        Scope { core, base }
    }

    /// Runs `f` on the handle stack.
    #[inline(always)]
    fn with_handles<R>(&self, f: impl FnOnce(&mut Vec<Option<ObjRef>>) -> R) -> R {
        // SAFETY: the handle stack is only touched inside these calls, whose closures
        // never call back into the scope (they cannot re-enter), and by collections,
        // which need `&mut Core`, so no `&Scope` is alive then.
        f(unsafe { &mut *self.core.handles.get() })
    }

    #[inline(always)]
    fn new_handle(&self, v: Option<ObjRef>) -> Handle<'s> {
        let index = self.with_handles(|h| {
            h.push(v);
            h.len() - 1
        }) as u32;
        Handle {
            index,
            _scope: PhantomData,
        }
    }

    #[inline(always)]
    fn slot(&self, h: Handle<'_>) -> Option<ObjRef> {
        match self.with_handles(|s| s.get(h.index as usize).copied()) {
            Some(v) => v,
            None => misuse(format!("handle {} does not belong to this heap", h.index)),
        }
    }

    #[inline(always)]
    fn live(&self, h: Handle<'_>) -> ObjRef {
        match self.slot(h) {
            Some(r) => r,
            None => misuse("the handle holds no object".into()),
        }
    }

    /// Allocates a fixed-size object, every field zero / `None`.
    #[inline(always)]
    pub fn alloc(&mut self, ty: TypeId) -> Result<Handle<'s>, AllocError> {
        // SAFETY: we hold no unrooted reference across this call.
        let r = unsafe { self.core.alloc(ty, 0, false)? };
        Ok(self.new_handle(Some(r)))
    }

    /// Allocates an array object with `len` items, all zero / `None`.
    pub fn alloc_array(&mut self, ty: TypeId, len: usize) -> Result<Handle<'s>, AllocError> {
        // SAFETY: we hold no unrooted reference across this call.
        let r = unsafe { self.core.alloc(ty, len, true)? };
        Ok(self.new_handle(Some(r)))
    }

    /// Allocates an object that will never move (directly in the old space).
    pub fn alloc_nonmoving(&mut self, ty: TypeId, len: usize) -> Result<Handle<'s>, AllocError> {
        let r = self.core.alloc_nonmoving(ty, len)?;
        Ok(self.new_handle(Some(r)))
    }

    /// A new handle holding no object.
    pub fn null(&self) -> Handle<'s> {
        self.new_handle(None)
    }

    /// A new handle holding the same object as `h` (or none).
    pub fn dup(&self, h: Handle<'_>) -> Handle<'s> {
        self.new_handle(self.slot(h))
    }

    /// A new handle rooting the viewed object.
    pub fn root(&self, o: Option<Obj<'_>>) -> Handle<'s> {
        self.new_handle(check_same_heap(self.core, o))
    }

    /// Makes `h` hold `v`'s object (or none).
    pub fn set_handle(&self, h: Handle<'_>, v: Option<Handle<'_>>) {
        let v = v.and_then(|v| self.slot(v));
        let i = h.index as usize;
        if self
            .with_handles(|s| s.get_mut(i).map(|slot| *slot = v))
            .is_none()
        {
            misuse(format!("handle {i} does not belong to this heap"));
        }
    }

    /// Whether the handle holds no object.
    pub fn is_null(&self, h: Handle<'_>) -> bool {
        self.slot(h).is_none()
    }

    /// Whether two handles hold the same object (or both none).
    pub fn same(&self, a: Handle<'_>, b: Handle<'_>) -> bool {
        self.slot(a) == self.slot(b)
    }

    /// A view of the handle's object.
    #[inline(always)]
    pub fn obj(&self, h: Handle<'_>) -> Option<Obj<'_>> {
        self.slot(h).map(|r| Obj { r, core: self.core })
    }

    /// A view of the handle's object; panics if it holds none.
    #[inline(always)]
    pub fn get_obj(&self, h: Handle<'_>) -> Obj<'_> {
        Obj {
            r: self.live(h),
            core: self.core,
        }
    }

    /// The object's type.
    pub fn type_of(&self, h: Handle<'_>) -> TypeId {
        self.get_obj(h).type_id()
    }

    /// Reads a reference field into a new handle.
    #[inline(always)]
    pub fn get(&self, h: Handle<'_>, f: RefField) -> Handle<'s> {
        let v = self.get_obj(h).get(f).map(|o| o.r);
        self.new_handle(v)
    }

    /// Stores a reference field (write barrier included).
    #[inline(always)]
    pub fn set(&self, h: Handle<'_>, f: RefField, v: Option<Handle<'_>>) {
        let v = v.and_then(|v| self.obj(v));
        self.get_obj(h).set(f, v)
    }

    /// Reads a weak reference field into a new handle (holding none once the target has
    /// died). The handle is a strong root.
    pub fn get_weak(&self, h: Handle<'_>, f: WeakField) -> Handle<'s> {
        let v = self.get_obj(h).get_weak(f).map(|o| o.r);
        self.new_handle(v)
    }

    /// Stores a weak reference field (write barrier included).
    pub fn set_weak(&self, h: Handle<'_>, f: WeakField, v: Option<Handle<'_>>) {
        let v = v.and_then(|v| self.obj(v));
        self.get_obj(h).set_weak(f, v)
    }

    /// Pins the handle's object: it will not move until as many `unpin` calls. Returns
    /// its address, stable until then (keep the object reachable meanwhile; a pinned
    /// nursery object is also kept alive by the pin itself). Pinning an old object costs
    /// nothing; a nursery object stays in place through minor collections. There is no
    /// limit on the number of pinned objects.
    pub fn pin(&mut self, h: Handle<'_>) -> *mut u8 {
        let r = self.live(h);
        self.core.pin(r);
        r.as_ptr()
    }

    /// Undoes one `pin` of the handle's object (nothing for an old object).
    pub fn unpin(&mut self, h: Handle<'_>) {
        let r = self.live(h);
        self.core.unpin(r);
    }

    /// Number of pinned nursery objects.
    pub fn pinned_count(&self) -> usize {
        self.core.pinned_count()
    }

    /// The object's id: unique among live objects and stable for its lifetime, whatever
    /// moves. Taking the id of a nursery object reserves its future old-space cell.
    pub fn identity(&mut self, h: Handle<'_>) -> Result<usize, AllocError> {
        let r = self.live(h);
        // SAFETY: a live object of this heap (a rooted handle).
        unsafe { self.core.identity(r) }
    }

    /// A hash of the object's identity, stable for its lifetime.
    pub fn identity_hash(&mut self, h: Handle<'_>) -> Result<u64, AllocError> {
        let r = self.live(h);
        // SAFETY: as above.
        unsafe { self.core.identity_hash(r) }
    }

    /// Checks the heap (see [`crate::VerifyReport`]).
    pub fn verify(&self) -> Result<crate::VerifyReport, crate::HeapCorruption> {
        self.core.verify()
    }

    /// A new finalizer queue.
    pub fn new_finalizer_queue(&mut self) -> FinalizerQueue {
        self.core.new_finalizer_queue()
    }

    /// Registers the handle's object with a finalizer queue: when a major collection
    /// finds it unreachable, it is kept (with everything it reaches) and appended to the
    /// queue, once. Panics if the handle holds no object or the queue is foreign.
    pub fn register_finalizer(&mut self, h: Handle<'_>, q: FinalizerQueue) {
        let r = self.live(h);
        self.core.register_finalizer(r, q)
    }

    /// Takes the next dead object of a finalizer queue, as a strong handle, for the
    /// runtime to run its finalizer.
    pub fn next_dead(&mut self, q: FinalizerQueue) -> Option<Handle<'s>> {
        let r = self.core.next_dead(q)?;
        Some(self.new_handle(Some(r)))
    }

    /// Dead objects waiting in a finalizer queue.
    pub fn pending_finalizers(&self, q: FinalizerQueue) -> usize {
        self.core
            .fin
            .queues
            .get(q.index as usize)
            .map_or(0, |q| q.len())
    }

    /// Reads a plain-data field.
    #[inline(always)]
    pub fn read<T: Plain>(&self, h: Handle<'_>, f: DataField<T>) -> T {
        self.get_obj(h).read(f)
    }

    /// Writes a plain-data field.
    #[inline(always)]
    pub fn write<T: Plain>(&mut self, h: Handle<'_>, f: DataField<T>, v: T) {
        let r = self.live(h);
        check_field(self.core, r, f.heap, f.ty, "data field");
        // SAFETY: validated field that overlaps no reference slot, of a live object; no
        // shared view of the bytes exists (we hold `&mut self`).
        unsafe { *r.field_ptr::<T>(f.offset as usize) = v }
    }

    /// Number of items of an array object.
    pub fn len(&self, h: Handle<'_>) -> usize {
        self.get_obj(h).len()
    }

    /// Item `i` of an array of references, in a new handle.
    pub fn item(&self, h: Handle<'_>, i: usize) -> Handle<'s> {
        let v = self.get_obj(h).item(i).map(|o| o.r);
        self.new_handle(v)
    }

    /// Stores item `i` of an array of references (write barrier included).
    pub fn set_item(&self, h: Handle<'_>, i: usize, v: Option<Handle<'_>>) {
        let v = v.and_then(|v| self.obj(v));
        self.get_obj(h).set_item(i, v)
    }

    /// The bytes of a byte array.
    pub fn bytes(&self, h: Handle<'_>) -> &[u8] {
        self.get_obj(h).bytes()
    }

    /// The bytes of a byte array, writable.
    pub fn bytes_mut(&mut self, h: Handle<'_>) -> &mut [u8] {
        let (p, n) = byte_items(self.core, self.live(h));
        // SAFETY: the item area of a live byte array; `&mut self` excludes every other
        // view for the slice's lifetime, and no collection can run meanwhile.
        unsafe { std::slice::from_raw_parts_mut(p, n) }
    }

    /// Runs `f` in a nested scope; its handles are dropped when it returns.
    pub fn scope<R>(&mut self, f: impl for<'i> FnOnce(&mut Scope<'i>) -> R) -> R {
        let mut inner = Scope::new(self.core);
        f(&mut inner)
    }

    /// Runs `f` in a nested scope and carries the handle it returns out to this scope.
    pub fn escape<E>(
        &mut self,
        f: impl for<'i> FnOnce(&mut Scope<'i>) -> Result<Handle<'i>, E>,
    ) -> Result<Handle<'s>, E> {
        let v = {
            let mut inner = Scope::new(self.core);
            let h = f(&mut inner)?;
            inner.slot(h)
        };
        Ok(self.new_handle(v))
    }

    /// The raw reference held by a handle. Safe to obtain; using it is `unsafe`.
    pub fn raw(&self, h: Handle<'_>) -> Option<ObjRef> {
        self.slot(h)
    }

    /// A handle for a raw reference.
    ///
    /// # Safety
    /// `r` must be a live object of this heap: obtained since the last collection, or
    /// kept in a root that the collector updates.
    pub unsafe fn from_raw(&self, r: Option<ObjRef>) -> Handle<'s> {
        self.new_handle(r)
    }

    /// Allocates with the raw API (see [`crate::Heap::alloc_raw`]).
    ///
    /// # Safety
    /// This may collect: every `ObjRef` the caller holds outside a root is invalid
    /// afterwards.
    #[inline(always)]
    pub unsafe fn alloc_raw(
        &mut self,
        ty: TypeId,
        len: usize,
        array: bool,
    ) -> Result<ObjRef, AllocError> {
        // SAFETY: forwarded to the caller.
        unsafe { self.core.alloc(ty, len, array) }
    }

    /// Allocates an object that will never move, with the raw API.
    ///
    /// # Safety
    /// As [`Scope::alloc_raw`].
    #[inline]
    pub unsafe fn alloc_nonmoving_raw(
        &mut self,
        ty: TypeId,
        len: usize,
    ) -> Result<ObjRef, AllocError> {
        self.core.alloc_nonmoving(ty, len)
    }

    /// Links the object of `h` to an externally reference-counted proxy (see
    /// [`crate::Heap::extref_link`]).
    ///
    /// # Safety
    /// `count` must stay valid until the link is reported dead or removed.
    pub unsafe fn extref_link(
        &mut self,
        h: Handle<'_>,
        count: *mut isize,
    ) -> Result<u32, crate::ExtRefError> {
        let o = self.slot(h).expect("extref_link: null handle");
        // SAFETY: handles hold live objects; `count` is the caller's contract.
        unsafe { self.core.extref_link(o, count) }
    }

    /// The proxy count word linked to the object of `h`, if any.
    pub fn extref_proxy_of(&mut self, h: Handle<'_>) -> Option<*mut isize> {
        let o = self.slot(h)?;
        // SAFETY: handles hold live objects.
        unsafe { self.core.extref_proxy_of(o) }
    }

    /// A handle for the object of link `idx`, null once the link is gone.
    pub fn extref_object(&self, idx: u32) -> Handle<'s> {
        self.new_handle(self.core.extref_object(idx))
    }

    /// The next proxy whose object died (see [`crate::Heap::extref_next_dead`]).
    pub fn extref_next_dead(&mut self) -> Option<*mut isize> {
        self.core.extref_next_dead()
    }

    /// The shadow stack (see [`crate::Heap::shadow_stack`]).
    #[inline(always)]
    pub fn shadow_stack(&mut self) -> &mut crate::ShadowStack {
        &mut self.core.shadow
    }

    /// The write barrier for raw stores (see [`crate::Heap::write_barrier`]).
    ///
    /// # Safety
    /// `obj` must be a live object of this heap.
    #[inline(always)]
    pub unsafe fn write_barrier(&self, obj: ObjRef) {
        // SAFETY: forwarded to the caller.
        unsafe { self.core.write_barrier(obj) }
    }

    /// Makes a global root holding the handle's object; it lives until released.
    pub fn global(&mut self, h: Handle<'_>) -> GlobalRoot {
        let v = self.slot(h);
        self.core.globals.add(v)
    }

    /// A handle for a global root's object.
    pub fn from_global(&self, g: &GlobalRoot) -> Handle<'s> {
        self.new_handle(self.core.globals.get(g))
    }

    /// Makes a global root hold another object.
    pub fn set_global(&mut self, g: &GlobalRoot, h: Option<Handle<'_>>) {
        let v = h.and_then(|h| self.slot(h));
        self.core.globals.set(g, v)
    }

    /// Releases a global root.
    pub fn release_global(&mut self, g: GlobalRoot) {
        self.core.globals.release(g)
    }

    /// Runs a minor collection now.
    pub fn collect_minor(&mut self) {
        self.core.explicit_minor()
    }

    /// Runs a minor collection and one bounded step of the major collection (starting a
    /// cycle if none is in progress). Returns the phases before and after.
    pub fn collect_step(&mut self) -> (crate::Phase, crate::Phase) {
        self.core.explicit_step()
    }

    /// Runs a full major collection now.
    pub fn collect_major(&mut self) {
        self.core.explicit_major()
    }

    /// The statistics so far.
    pub fn stats(&self) -> GcStats {
        self.core.current_stats()
    }

    /// Number of handle slots in use by this scope and its parents.
    pub fn handle_count(&self) -> usize {
        self.with_handles(|h| h.len())
    }
}
