//! Finding the reference slots of an object from its registered layout.

use crate::header::ObjRef;
use crate::layout::{TraceKind, TypeInfo};

/// The item count of a variable-size object.
///
/// # Safety
/// `obj` must be a live, initialised object of the type `info` describes.
#[inline(always)]
pub(crate) unsafe fn var_len(obj: ObjRef, info: &TypeInfo) -> usize {
    match &info.var {
        // SAFETY: the length field is inside the fixed part of this object.
        Some(v) => unsafe { *obj.field_ptr::<usize>(v.length_offset) },
        None => 0,
    }
}

/// The object's size in bytes (rounded, as allocated).
///
/// # Safety
/// As [`var_len`].
#[inline(always)]
pub(crate) unsafe fn object_size(obj: ObjRef, info: &TypeInfo) -> usize {
    // SAFETY: forwarded to the caller; the size was computable when it was allocated.
    unsafe { info.size_for(var_len(obj, info)).unwrap_unchecked() }
}

/// Calls `f` with the address of every reference slot of `obj`.
///
/// # Safety
/// `obj` must be a live, initialised object of the type `info` describes, and `f` must
/// leave each slot holding `None` or a valid reference.
#[inline(always)]
pub(crate) unsafe fn for_each_slot(
    obj: ObjRef,
    info: &TypeInfo,
    mut f: impl FnMut(*mut Option<ObjRef>),
) {
    // SAFETY (whole body): every offset was validated at registration to lie inside the
    // object, and the item count is the one written at allocation.
    unsafe {
        match info.kind {
            TraceKind::Leaf => {}
            TraceKind::Fixed => {
                for &o in info.ref_offsets.iter() {
                    f(obj.field_ptr(o as usize));
                }
            }
            TraceKind::RefArray => {
                for &o in info.ref_offsets.iter() {
                    f(obj.field_ptr(o as usize));
                }
                let n = var_len(obj, info);
                let items = obj.field_ptr::<Option<ObjRef>>(info.fixed_size);
                for i in 0..n {
                    f(items.add(i));
                }
            }
            TraceKind::General => {
                for &o in info.ref_offsets.iter() {
                    f(obj.field_ptr(o as usize));
                }
                if let Some(v) = &info.var {
                    if !v.item_ref_offsets.is_empty() {
                        let n = var_len(obj, info);
                        for i in 0..n {
                            let item = info.fixed_size + i * v.item_size;
                            for &o in &v.item_ref_offsets {
                                f(obj.field_ptr(item + o));
                            }
                        }
                    }
                }
                if let Some(t) = info.trace {
                    t(obj, &mut f);
                }
            }
        }
    }
}
