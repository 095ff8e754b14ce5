//! The write barrier and the remembered set.
//!
//! - Stores through the safe API (`Scope::set`, `Scope::set_item`) into an old object make
//!   a young target survive the next minor collection even when nothing else refers to
//!   it, including on the second and later minor cycles (the barrier is re-armed) and for
//!   old large arrays.
//! - Raw stores that run `Scope::write_barrier` first are just as good.
//! - Raw stores that skip the barrier are caught by the heap verifier: `Heap::verify`
//!   returns an error naming the remembered set and the write barrier, and a collection
//!   with verification on panics with that message before it could lose the object.

mod common;

use common::*;
use thicket_gc::{GcConfig, ObjRef};

/// Whether `addr` lies in the nursery `(start, size)`.
fn young(range: (usize, usize), addr: usize) -> bool {
    addr.wrapping_sub(range.0) < range.1
}

#[test]
fn safe_store_into_old_object_keeps_young_target_alive() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let range = heap.nursery_range();
        heap.scope(|s| {
            let old = s.alloc(t.node).unwrap();
            s.write(old, t.payload, -1);
            s.collect_minor();
            assert!(
                !young(range, s.raw(old).unwrap().addr()),
                "{name}: not promoted"
            );

            // A young chain old -> b -> c, reachable only through the old object.
            let b = s.alloc(t.node).unwrap();
            s.write(b, t.payload, 42);
            let c = s.alloc(t.node).unwrap();
            s.write(c, t.payload, 43);
            s.set(b, t.right, Some(c));
            assert!(
                young(range, s.raw(c).unwrap().addr()),
                "{name}: fresh object not young"
            );
            s.set(old, t.left, Some(b));
            s.set_handle(b, None);
            s.set_handle(c, None);

            s.collect_minor();
            let b = s.get(old, t.left);
            assert!(!s.is_null(b), "{name}: slot lost its target");
            assert!(
                !young(range, s.raw(b).unwrap().addr()),
                "{name}: target not promoted"
            );
            assert_eq!(s.read(b, t.payload), 42, "{name}: target corrupted");
            let c = s.get(b, t.right);
            assert_eq!(s.read(c, t.payload), 43, "{name}: second object corrupted");
            assert_eq!(s.read(old, t.payload), -1, "{name}: holder corrupted");

            // The barrier is re-armed by the minor collection: a store in the next cycle
            // must be remembered again.
            for round in 0..3 {
                let d = s.alloc(t.node).unwrap();
                s.write(d, t.payload, 100 + round);
                s.set(old, t.right, Some(d));
                s.set_handle(d, None);
                s.collect_minor();
                let d = s.get(old, t.right);
                assert_eq!(
                    s.read(d, t.payload),
                    100 + round,
                    "{name}: store of cycle {round} lost"
                );
            }
            s.collect_major();
            assert_eq!(s.read(s.get(old, t.left), t.payload), 42, "{name}");
        });
        heap.verify().unwrap();
    }
}

#[test]
fn many_stores_into_one_old_array_in_one_cycle() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            let arr = s.alloc_array(t.refs, 64).unwrap();
            s.collect_minor();
            for i in 0..64 {
                s.scope(|s| {
                    let n = s.alloc(t.node).unwrap();
                    s.write(n, t.payload, i as i64 * 7);
                    s.set_item(arr, i, Some(n));
                });
            }
            s.collect_minor();
            for i in 0..64 {
                let n = s.item(arr, i);
                assert_eq!(s.read(n, t.payload), i as i64 * 7, "{name}: item {i}");
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn old_large_array_barrier() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            let arr = s.alloc_array(t.refs, LARGE_REFS).unwrap();
            s.collect_minor(); // the young large array survives and becomes old
            for (k, i) in [0, LARGE_REFS / 2, LARGE_REFS - 1].into_iter().enumerate() {
                let n = s.alloc(t.node).unwrap();
                s.write(n, t.payload, 1000 + k as i64);
                s.set_item(arr, i, Some(n));
                s.set_handle(n, None);
            }
            s.collect_minor();
            for (k, i) in [0, LARGE_REFS / 2, LARGE_REFS - 1].into_iter().enumerate() {
                assert_eq!(
                    s.read(s.item(arr, i), t.payload),
                    1000 + k as i64,
                    "{name}: item {i}"
                );
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn raw_store_with_barrier_is_remembered() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            let old = s.alloc(t.node).unwrap();
            s.collect_minor();
            let y = s.alloc(t.node).unwrap();
            s.write(y, t.payload, 77);
            let (o, y_raw) = (s.raw(old).unwrap(), s.raw(y));
            // SAFETY: both objects are live (held by handles, no allocation in between);
            // LEFT is a reference slot of a node; the barrier runs before the store.
            unsafe {
                s.write_barrier(o);
                *o.field_ptr::<Option<ObjRef>>(LEFT) = y_raw;
            }
            s.set_handle(y, None);
            s.collect_minor();
            assert_eq!(s.read(s.get(old, t.left), t.payload), 77, "{name}");
        });
        heap.verify().unwrap();
    }
}

/// Stores a young node into the LEFT slot of an old node without the barrier. Returns the
/// heap (with both objects held by global roots) for the caller to verify.
fn unbarriered_store(config: GcConfig) -> thicket_gc::Heap {
    let (mut heap, t) = heap_with_types(config);
    // The global roots stay registered (a `GlobalRoot` is only an id), keeping both
    // objects alive for the verifier.
    let _globals = heap.scope(|s| {
        let old = s.alloc(t.node).unwrap();
        s.collect_minor();
        let y = s.alloc(t.node).unwrap();
        let (o, y_raw) = (s.raw(old).unwrap(), s.raw(y));
        // SAFETY: both objects are live; LEFT is a reference slot. Skipping the barrier
        // breaks the generational invariant on purpose; the caller only verifies.
        unsafe { *o.field_ptr::<Option<ObjRef>>(LEFT) = y_raw };
        (s.global(old), s.global(y))
    });
    heap
}

#[test]
fn missing_barrier_is_reported_by_verify() {
    for (name, config) in configs() {
        let heap = unbarriered_store(config);
        let e = heap.verify().expect_err(name);
        let msg = e.to_string();
        assert!(
            msg.contains("remembered set") && msg.contains("write barrier"),
            "{name}: unexpected message: {msg}"
        );
        assert!(
            msg.contains("node"),
            "{name}: the message should name the type: {msg}"
        );
    }
}

#[test]
#[should_panic(expected = "missed the write barrier")]
fn missing_barrier_panics_at_the_next_collection() {
    let mut heap = unbarriered_store(normal());
    heap.collect_minor();
}

#[test]
fn young_holder_needs_no_barrier() {
    // The barrier is only about old holders: a raw store into a young object is fine.
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let g = heap.scope(|s| {
            let b = s.alloc(t.node).unwrap();
            s.write(b, t.payload, 5);
            // Allocated last, so certainly young (in a stress mode this allocation may
            // promote `b`, which does not matter: young holders need no barrier).
            let a = s.alloc(t.node).unwrap();
            let (h, v) = (s.raw(a).unwrap(), s.raw(b));
            // SAFETY: both live, LEFT is a reference slot, `a` is young (just allocated).
            unsafe { *h.field_ptr::<Option<ObjRef>>(LEFT) = v };
            s.global(a)
        });
        heap.verify().unwrap_or_else(|e| panic!("{name}: {e}"));
        heap.collect_minor();
        heap.scope(|s| {
            let a = s.from_global(&g);
            assert_eq!(s.read(s.get(a, t.left), t.payload), 5, "{name}");
        });
    }
}
