//! The contract between compiled code and the collector.
//!
//! A code generator needs four things from `thicket-gc`, all gathered here as plain
//! data so that they can be baked into machine code:
//!
//! - the **allocation fast path**: the address of the nursery's `(free, top)` pair and
//!   its field offsets ([`AllocHooks`]); the code bumps `free` by the object size,
//!   compares against `top`, writes the header word (the type id, no flags) and zeroes
//!   the rest, and calls [`thicket_gc::thicket_gc_alloc_slow`] when the bump fails;
//! - the **write barrier**: the header bit to test ([`BARRIER_FLAG`]) and the slow path
//!   [`thicket_gc::thicket_gc_remember`];
//! - **roots**: the shadow stack's `(top, limit, base)` header address and offsets;
//!   compiled frames push every reference that is live across a call or allocation;
//! - the **limits**: header size, alignment, the largest nursery object.
//!
//! [`inline_alloc`] and [`inline_barrier`] are the reference implementations of the two
//! fast paths, written exactly as generated code would run them; the tests check them
//! against the collector. Later, the JIT itself lives in this crate.

use std::mem::offset_of;
use thicket_gc::{BumpPointer, Heap, ObjRef, ShadowStack, TypeId};

/// The header bit the inline barrier tests.
pub const BARRIER_FLAG: u64 = thicket_gc::TRACK_YOUNG_PTRS_BIT;
/// Bytes of the object header.
pub const HEADER_SIZE: usize = thicket_gc::HEADER_SIZE;
/// Object sizes are multiples of this, and at least [`MIN_OBJECT_SIZE`].
pub const OBJECT_ALIGN: usize = thicket_gc::OBJECT_ALIGN;
/// The smallest object.
pub const MIN_OBJECT_SIZE: usize = thicket_gc::MIN_OBJECT_SIZE;
/// Objects above this size must go through the slow path (they are never put in the
/// nursery).
pub const MAX_NURSERY_OBJECT: usize = thicket_gc::LARGE_OBJECT_SIZE;
/// Offset of `free` in the bump-pointer pair.
pub const BUMP_FREE_OFFSET: usize = offset_of!(BumpPointer, free);
/// Offset of `top` in the bump-pointer pair.
pub const BUMP_TOP_OFFSET: usize = offset_of!(BumpPointer, top);
/// Items per card bit of a large reference array (the inline array barrier sets bit
/// `(index / CARD_ITEMS) % 8` of the byte at `header - 1 - index / CARD_ITEMS / 8`).
pub const CARD_ITEMS: usize = thicket_gc::CARD_ITEMS;
/// Header flag of arrays that have a card table.
pub const HAS_CARDS_FLAG: u64 = thicket_gc::FLAG_HAS_CARDS;
/// Offset of `top` in the shadow-stack header.
pub const SHADOW_TOP_OFFSET: usize = offset_of!(ShadowStack, top);
/// Offset of `limit` in the shadow-stack header.
pub const SHADOW_LIMIT_OFFSET: usize = offset_of!(ShadowStack, limit);

/// The addresses compiled code needs for one heap. Valid while the heap lives (the
/// collector's state is boxed and never moves).
#[derive(Clone, Copy, Debug)]
pub struct AllocHooks {
    /// The heap argument of the slow paths.
    pub heap: *mut u8,
    /// The nursery's `(free, top)` pair.
    pub bump: *mut BumpPointer,
    /// The shadow stack's header.
    pub shadow_stack: *mut ShadowStack,
    /// The allocation slow path.
    pub alloc_slow: unsafe extern "C" fn(*mut u8, u32, usize, u32) -> *mut u8,
    /// The barrier slow path.
    pub remember: unsafe extern "C" fn(*const u8, *mut u8),
}

impl AllocHooks {
    /// The hooks of `heap`.
    pub fn of(heap: &mut Heap) -> AllocHooks {
        AllocHooks {
            heap: heap.raw_core(),
            bump: heap.bump_pointer(),
            shadow_stack: heap.shadow_stack() as *mut ShadowStack,
            alloc_slow: thicket_gc::thicket_gc_alloc_slow,
            remember: thicket_gc::thicket_gc_remember,
        }
    }
}

/// The allocation fast path for a fixed-size object of `size` bytes (already rounded:
/// a multiple of [`OBJECT_ALIGN`], at least [`MIN_OBJECT_SIZE`], at most
/// [`MAX_NURSERY_OBJECT`]), falling back to the slow path. Returns null on failure.
///
/// # Safety
/// `hooks` must belong to a live heap not otherwise in use; `ty` must be a registered
/// fixed-size type whose size is `size`; every reference the caller keeps must be rooted.
#[inline(always)]
pub unsafe fn inline_alloc(hooks: &AllocHooks, ty: TypeId, size: usize) -> *mut u8 {
    // SAFETY: `bump` points at the heap's live pair; `[p, p+size)` is reserved nursery
    // memory when the comparison succeeds.
    unsafe {
        let b = &mut *hooks.bump;
        let p = b.free;
        if (b.top as usize) - (p as usize) < size {
            return (hooks.alloc_slow)(hooks.heap, ty.0, 0, 0);
        }
        b.free = p.add(size);
        let w = p as *mut u64;
        *w = ty.0 as u64;
        for i in 1..size / 8 {
            *w.add(i) = 0;
        }
        p
    }
}

/// The barrier fast path: call before storing a reference into `obj`.
///
/// # Safety
/// `obj` must be a live object of the hooks' heap.
#[inline(always)]
pub unsafe fn inline_barrier(hooks: &AllocHooks, obj: ObjRef) {
    // SAFETY: a live object's first word is its header.
    unsafe {
        if *(obj.as_ptr() as *const u64) & BARRIER_FLAG != 0 {
            (hooks.remember)(hooks.heap, obj.as_ptr());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::NonNull;
    use thicket_gc::{GcConfig, TypeDesc};

    #[test]
    fn inline_paths_agree_with_the_collector() {
        // Enough to fill the 256 KiB nursery (and quick in the suite's
        // stress pass, where every allocation takes the slow path).
        const N: usize = 12_000;
        let mut heap = Heap::new(GcConfig {
            nursery_size: 256 << 10,
            verify: true,
            ..GcConfig::default()
        })
        .unwrap();
        let node = heap
            .register(TypeDesc::fixed("node", 24, &[8, 16]))
            .unwrap();
        let hooks = AllocHooks::of(&mut heap);
        // SAFETY: the list head lives on the shadow stack across every allocation; the
        // barrier runs before each store.
        unsafe {
            let ss = &mut *hooks.shadow_stack;
            ss.push(None);
            for _ in 0..N {
                let p = inline_alloc(&hooks, node, 24);
                assert!(!p.is_null());
                let n = ObjRef::from_raw(NonNull::new(p).unwrap());
                let head = ss.slots()[0];
                inline_barrier(&hooks, n);
                *(p.add(8) as *mut Option<ObjRef>) = head;
                ss.slots_mut()[0] = Some(n);
            }
        }
        assert!(
            heap.stats().minor_collections > 0,
            "the nursery must have filled"
        );
        heap.collect_major();
        let mut count = 0;
        let mut cur = heap.shadow_stack().slots()[0];
        while let Some(n) = cur {
            count += 1;
            // SAFETY: the list is rooted and no allocation happens while walking.
            cur = unsafe { *(n.as_ptr().add(8) as *const Option<ObjRef>) };
        }
        assert_eq!(count, N);
        heap.verify().unwrap();
    }

    #[test]
    fn offsets_describe_the_repr_c_pairs() {
        assert_eq!(BUMP_FREE_OFFSET, 0);
        assert_eq!(BUMP_TOP_OFFSET, 8);
        assert_eq!(SHADOW_TOP_OFFSET, 0);
        assert_eq!(SHADOW_LIMIT_OFFSET, 8);
        assert!(BARRIER_FLAG.is_power_of_two());
    }
}
