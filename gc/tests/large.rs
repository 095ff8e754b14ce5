//! The large-object space.
//!
//! Arrays above `LARGE_OBJECT_SIZE` bytes are allocated outside the nursery, never move,
//! survive minor and major collections while rooted (contents intact), and are freed
//! when unreachable: a young one by the next minor collection, an old one by the next
//! major collection (`bytes_freed` grows by their size and `mapped_bytes` falls). Stores
//! into old large arrays go through the write barrier. Large objects may refer to each
//! other and to small objects in both directions.

mod common;

use common::*;
use thicket_gc::{GcConfig, Heap, LARGE_OBJECT_SIZE};

#[test]
fn large_arrays_survive_while_rooted() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            let r = s.alloc_array(t.refs, LARGE_REFS).unwrap();
            let b = s.alloc_array(t.bytes, LARGE_BYTES).unwrap();
            assert_eq!(s.len(r), LARGE_REFS);
            assert_eq!(s.len(b), LARGE_BYTES);
            assert!(s.bytes(b).iter().all(|&x| x == 0), "{name}: not zeroed");
            assert!((0..LARGE_REFS).all(|i| s.is_null(s.item(r, i))), "{name}");
            let p = pattern(LARGE_BYTES, 3);
            s.bytes_mut(b).copy_from_slice(&p);
            s.set_item(r, LARGE_REFS - 1, Some(b));
            for _ in 0..2 {
                s.collect_minor();
                s.collect_major();
            }
            assert_eq!(s.bytes(b), &p[..], "{name}: contents changed");
            assert_eq!(s.len(r), LARGE_REFS);
            assert!(s.same(s.item(r, LARGE_REFS - 1), b), "{name}");
        });
        heap.verify().unwrap();
    }
}

#[test]
fn large_arrays_bypass_the_nursery_and_do_not_move() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let range = heap.nursery_range();
        let before = heap.stats().large_objects_allocated;
        heap.scope(|s| {
            // Fresh heap, empty nursery: both fit in the nursery, neither may go there.
            let r = s.alloc_array(t.refs, LARGE_REFS).unwrap();
            let b = s.alloc_array(t.bytes, LARGE_BYTES).unwrap();
            let (ra, ba) = (s.raw(r).unwrap().addr(), s.raw(b).unwrap().addr());
            for a in [ra, ba] {
                assert!(
                    a.wrapping_sub(range.0) >= range.1,
                    "{name}: large object at {a:#x} is in the nursery {range:x?}"
                );
            }
            s.collect_minor();
            s.collect_major();
            assert_eq!(s.raw(r).unwrap().addr(), ra, "{name}: large array moved");
            assert_eq!(
                s.raw(b).unwrap().addr(),
                ba,
                "{name}: large byte array moved"
            );
        });
        assert_eq!(heap.stats().large_objects_allocated, before + 2, "{name}");
    }
}

#[test]
fn objects_up_to_the_threshold_are_young() {
    // Header + length word + items: the largest byte array that belongs in the nursery.
    let len = LARGE_OBJECT_SIZE - 16;
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let range = heap.nursery_range();
        let before = heap.stats().large_objects_allocated;
        heap.scope(|s| {
            let a = s.alloc_array(t.bytes, len).unwrap();
            let young = s.raw(a).unwrap().addr().wrapping_sub(range.0) < range.1;
            assert!(
                young,
                "{name}: a {LARGE_OBJECT_SIZE}-byte object is not young"
            );
            s.bytes_mut(a)[len - 1] = 1;
            s.collect_minor();
            assert_eq!(s.bytes(a)[len - 1], 1, "{name}");
        });
        assert_eq!(heap.stats().large_objects_allocated, before, "{name}");
    }
}

#[test]
fn unreachable_young_large_object_is_freed_by_minor() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.collect_minor();
        let s0 = heap.stats();
        heap.scope(|s| {
            s.alloc_array(t.bytes, 1 << 20).unwrap();
        });
        heap.collect_minor();
        let s1 = heap.stats();
        assert!(
            s1.bytes_freed >= s0.bytes_freed + (1 << 20),
            "{name}: {} -> {}",
            s0.bytes_freed,
            s1.bytes_freed
        );
        assert!(s1.mapped_bytes <= s0.mapped_bytes, "{name}");
        assert_eq!(
            s1.old_bytes, s0.old_bytes,
            "{name}: a dead large object was promoted"
        );
        heap.verify().unwrap();
    }
}

#[test]
fn unreachable_old_large_object_is_freed_by_major() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let g = heap.scope(|s| {
            let b = s.alloc_array(t.bytes, 2 << 20).unwrap();
            s.global(b)
        });
        heap.collect_minor();
        let s0 = heap.stats();
        assert!(s0.old_bytes >= 2 << 20, "{name}: large object not promoted");
        assert!(s0.mapped_bytes >= 2 << 20, "{name}");
        heap.collect_major();
        assert!(
            heap.stats().old_bytes >= 2 << 20,
            "{name}: rooted large object freed"
        );
        heap.release_global(g);
        heap.collect_major();
        let s1 = heap.stats();
        assert!(s1.bytes_freed >= s0.bytes_freed + (2 << 20), "{name}");
        assert!(s1.objects_freed > s0.objects_freed, "{name}");
        assert!(
            s1.mapped_bytes + (2 << 20) <= s0.mapped_bytes,
            "{name}: mapping kept"
        );
        assert!(s1.old_bytes + (2 << 20) <= s0.old_bytes, "{name}");
        heap.verify().unwrap();
    }
}

#[test]
fn large_and_small_objects_refer_to_each_other() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            // root -> large refs A -> (node n -> large bytes B, large refs C -> node m)
            let a = s.alloc_array(t.refs, LARGE_REFS).unwrap();
            s.scope(|s| {
                let n = s.alloc(t.node).unwrap();
                s.write(n, t.payload, 11);
                let b = s.alloc_array(t.bytes, LARGE_BYTES).unwrap();
                s.bytes_mut(b).copy_from_slice(&pattern(LARGE_BYTES, 9));
                s.set(n, t.left, Some(b));
                let c = s.alloc_array(t.refs, LARGE_REFS).unwrap();
                let m = s.alloc(t.node).unwrap();
                s.write(m, t.payload, 12);
                s.set_item(c, LARGE_REFS - 1, Some(m));
                s.set_item(a, 1, Some(n));
                s.set_item(a, LARGE_REFS - 2, Some(c));
                // a cycle through large objects
                s.set(m, t.right, Some(a));
            });
            for round in 0..3 {
                if round % 2 == 0 {
                    s.collect_minor();
                } else {
                    s.collect_major();
                }
                let n = s.item(a, 1);
                assert_eq!(s.read(n, t.payload), 11, "{name}");
                let b = s.get(n, t.left);
                assert_eq!(s.bytes(b), &pattern(LARGE_BYTES, 9)[..], "{name}");
                let c = s.item(a, LARGE_REFS - 2);
                let m = s.item(c, LARGE_REFS - 1);
                assert_eq!(s.read(m, t.payload), 12, "{name}");
                assert!(s.same(s.get(m, t.right), a), "{name}: cycle broken");
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn nursery_sized_objects_promoted_to_the_large_space() {
    // Objects above the old space's small sizes but below LARGE_OBJECT_SIZE are born in
    // the nursery and copied to the large space when promoted.
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            let len = 20_000;
            let a = s.alloc_array(t.refs, len).unwrap();
            let b = s.alloc_array(t.bytes, 50_000).unwrap();
            s.bytes_mut(b).copy_from_slice(&pattern(50_000, 4));
            let n = s.alloc(t.node).unwrap();
            s.write(n, t.payload, 8);
            s.set_item(a, len - 1, Some(n));
            s.set_item(a, 0, Some(b));
            s.set_handle(n, None);
            s.set_handle(b, None);
            s.collect_minor();
            s.collect_major();
            assert_eq!(s.read(s.item(a, len - 1), t.payload), 8, "{name}");
            assert_eq!(s.bytes(s.item(a, 0)), &pattern(50_000, 4)[..], "{name}");
            // Now old: a store of a young object must go through the barrier.
            let m = s.alloc(t.node).unwrap();
            s.write(m, t.payload, 9);
            s.set_item(a, 5, Some(m));
            s.set_handle(m, None);
            s.collect_minor();
            assert_eq!(s.read(s.item(a, 5), t.payload), 9, "{name}");
        });
        heap.verify().unwrap();
    }
}

/// Allocates `count` large byte arrays of 1 MiB, each dead at once, without allocating
/// anything in the nursery.
fn churn_large(heap: &mut Heap, t: &Types, count: usize) {
    heap.scope(|s| {
        for _ in 0..count {
            s.scope(|s| {
                s.alloc_array(t.bytes, 1 << 20).unwrap();
            });
        }
    });
}

#[test]
fn dead_large_objects_do_not_accumulate() {
    // 200 MiB of dead large objects with a 256 KiB nursery: a collector must collect
    // long before that. Young large objects count toward neither the major threshold nor
    // the heap limit, and nothing starts a minor collection for them, so all of them stay
    // allocated.
    let config = GcConfig {
        min_heap_size: 4 << 20,
        ..normal()
    };
    let (mut heap, t) = heap_with_types(config);
    churn_large(&mut heap, &t, 200);
    let held = heap.verify().unwrap().objects;
    assert!(
        held <= 32,
        "{held} dead 1 MiB objects still allocated after 200 were made (stats: {:?})",
        heap.stats()
    );
}

#[test]
fn dead_large_objects_are_reclaimed_once_a_collection_runs() {
    // Whatever the automatic collections left, the next minor collection frees every
    // dead young large object.
    let (mut heap, t) = heap_with_types(normal());
    churn_large(&mut heap, &t, 20);
    heap.collect_minor();
    assert!(heap.stats().bytes_freed >= 20 * (1 << 20));
    assert!(heap.verify().unwrap().objects <= 1);
}
