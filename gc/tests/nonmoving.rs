//! Non-moving allocation (`Scope::alloc_nonmoving`, `Heap::alloc_nonmoving_raw`).
//!
//! Objects allocated this way are old from birth (outside the nursery), keep their
//! address across many minor and major collections with garbage in between, keep their
//! contents, go through the write barrier when young objects are stored into them, are
//! counted in the statistics, and are freed by a major collection once unreachable.
//! Small ones, ones above the small-object size and ones above `LARGE_OBJECT_SIZE` are
//! all covered.

mod common;

use common::*;
use thicket_gc::MAX_SMALL_SIZE;

#[test]
fn nonmoving_objects_keep_their_address() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let range = heap.nursery_range();
        let before = heap.stats().nonmoving_objects_allocated;
        heap.scope(|s| {
            let node = s.alloc_nonmoving(t.node, 0).unwrap();
            s.write(node, t.payload, 5);
            let arr = s.alloc_nonmoving(t.refs, 10).unwrap();
            let mid = s.alloc_nonmoving(t.bytes, 2 * MAX_SMALL_SIZE).unwrap();
            let big = s.alloc_nonmoving(t.bytes, LARGE_BYTES).unwrap();
            s.bytes_mut(mid)
                .copy_from_slice(&pattern(2 * MAX_SMALL_SIZE, 1));
            s.bytes_mut(big).copy_from_slice(&pattern(LARGE_BYTES, 2));
            s.set_item(arr, 0, Some(node));
            s.set_item(arr, 9, Some(big));
            let handles = [node, arr, mid, big];
            let addrs: Vec<usize> = handles.iter().map(|&h| s.raw(h).unwrap().addr()).collect();
            for (i, a) in addrs.iter().enumerate() {
                assert!(
                    a.wrapping_sub(range.0) >= range.1,
                    "{name}: non-moving object {i} is in the nursery"
                );
            }
            for round in 0..12 {
                // Garbage and survivors between collections.
                s.scope(|s| {
                    for i in 0..200 {
                        let g = s.alloc(t.node).unwrap();
                        if i % 50 == 0 {
                            s.set(node, t.left, Some(g));
                        }
                    }
                });
                if round % 3 == 2 {
                    s.collect_major();
                } else {
                    s.collect_minor();
                }
                let now: Vec<usize> = handles.iter().map(|&h| s.raw(h).unwrap().addr()).collect();
                assert_eq!(
                    now, addrs,
                    "{name}: a non-moving object moved in round {round}"
                );
            }
            assert_eq!(s.read(node, t.payload), 5, "{name}");
            assert!(s.same(s.item(arr, 0), node), "{name}");
            assert!(s.same(s.item(arr, 9), big), "{name}");
            assert_eq!(s.bytes(mid), &pattern(2 * MAX_SMALL_SIZE, 1)[..], "{name}");
            assert_eq!(s.bytes(big), &pattern(LARGE_BYTES, 2)[..], "{name}");
        });
        assert_eq!(
            heap.stats().nonmoving_objects_allocated,
            before + 4,
            "{name}"
        );
        heap.verify().unwrap();
    }
}

#[test]
fn young_objects_stored_into_nonmoving_ones_survive() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            // Old from birth: the very first store needs the barrier.
            let arr = s.alloc_nonmoving(t.refs, 100).unwrap();
            let big = s.alloc_nonmoving(t.refs, LARGE_REFS).unwrap();
            for i in 0..100 {
                s.scope(|s| {
                    let n = s.alloc(t.node).unwrap();
                    s.write(n, t.payload, i as i64);
                    s.set_item(arr, i, Some(n));
                    s.set_item(big, LARGE_REFS - 1 - i, Some(n));
                });
            }
            s.collect_minor();
            for i in 0..100 {
                let n = s.item(arr, i);
                assert_eq!(s.read(n, t.payload), i as i64, "{name}: item {i}");
                assert!(s.same(n, s.item(big, LARGE_REFS - 1 - i)), "{name}");
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn unreachable_nonmoving_objects_are_freed() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.collect_major();
        let s0 = heap.stats();
        heap.scope(|s| {
            for _ in 0..100 {
                s.scope(|s| {
                    s.alloc_nonmoving(t.node, 0).unwrap();
                });
            }
            s.alloc_nonmoving(t.bytes, LARGE_BYTES).unwrap();
        });
        // (The size figures are refreshed by collections.)
        heap.collect_minor();
        let s1 = heap.stats();
        assert!(
            s1.old_bytes >= s0.old_bytes + 100 * NODE_SIZE + LARGE_BYTES,
            "{name}"
        );
        heap.collect_major();
        let s2 = heap.stats();
        assert!(s2.objects_freed >= s1.objects_freed + 101, "{name}");
        assert!(
            s2.old_bytes <= s0.old_bytes,
            "{name}: {} > {}",
            s2.old_bytes,
            s0.old_bytes
        );
        heap.verify().unwrap();
    }
}

#[test]
fn raw_nonmoving_allocation() {
    let (mut heap, t) = heap_with_types(normal());
    // SAFETY: the reference is pushed on the shadow stack before anything can collect.
    let r = unsafe { heap.alloc_nonmoving_raw(t.node, 0) }.unwrap();
    heap.shadow_stack().push(Some(r));
    for _ in 0..3 {
        heap.collect_minor();
        heap.collect_major();
    }
    assert_eq!(
        heap.shadow_stack().pop(),
        Some(r),
        "a non-moving object moved"
    );
}
