//! Statistics (`Heap::stats`, `Scope::stats`).
//!
//! The counters follow what the collector did: one minor collection per
//! `collect_minor`, one major per `collect_major`; promoted bytes cover every survivor;
//! `old_bytes` and `peak_old_bytes` follow the old generation; allocated, freed and
//! freed-object counts grow; and after a multi-megabyte structure dies, one major
//! collection gives its arenas back to the operating system (`bytes_returned`,
//! `mapped_bytes`, `arenas`).

mod common;

use common::*;
use std::time::Duration;
use thicket_gc::Heap;

#[test]
fn fresh_heap() {
    let (heap, _) = heap_with_types(normal());
    let s = heap.stats();
    assert_eq!(s.minor_collections, 0);
    assert_eq!(s.major_collections, 0);
    assert_eq!(s.old_bytes, 0);
    assert_eq!(s.bytes_freed, 0);
    assert_eq!(s.nursery_size, NURSERY);
    assert_eq!(s.next_major_threshold, normal().min_heap_size);
}

#[test]
fn collection_counts() {
    for (name, config) in configs() {
        let (mut heap, _) = heap_with_types(config);
        let s0 = heap.stats();
        heap.collect_minor();
        heap.collect_minor();
        let s1 = heap.stats();
        assert_eq!(s1.minor_collections, s0.minor_collections + 2, "{name}");
        assert_eq!(s1.major_collections, s0.major_collections, "{name}");
        heap.collect_major();
        let s2 = heap.stats();
        assert_eq!(s2.major_collections, s1.major_collections + 1, "{name}");
        // A major collection starts with a minor one.
        assert!(s2.minor_collections > s1.minor_collections, "{name}");
        assert!(s2.max_pause > Duration::ZERO, "{name}");
        heap.scope(|s| {
            let before = s.stats();
            s.collect_minor();
            s.collect_major();
            let after = s.stats();
            assert_eq!(
                after.major_collections,
                before.major_collections + 1,
                "{name}"
            );
            assert!(
                after.minor_collections >= before.minor_collections + 2,
                "{name}"
            );
        });
    }
}

#[test]
fn promotion_and_old_generation_sizes() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        const N: usize = 1000;
        let s0 = heap.stats();
        heap.scope(|s| {
            let arr = s.alloc_array(t.refs, N).unwrap();
            for i in 0..N {
                s.scope(|s| {
                    let n = s.alloc(t.node).unwrap();
                    s.set_item(arr, i, Some(n));
                });
            }
            s.collect_minor();
            let s1 = s.stats();
            let live = N * NODE_SIZE + 16 + 8 * N;
            assert!(
                s1.bytes_promoted >= s0.bytes_promoted + live as u64,
                "{name}: promoted {} < {live}",
                s1.bytes_promoted - s0.bytes_promoted
            );
            assert!(
                s1.old_bytes >= live,
                "{name}: old {} < {live}",
                s1.old_bytes
            );
            assert!(s1.peak_old_bytes >= s1.old_bytes, "{name}");
            assert!(s1.bytes_allocated >= live as u64, "{name}");
            assert!(s1.mapped_bytes >= s1.old_bytes, "{name}");
            assert!(s1.arenas >= 1, "{name}");

            // Drop everything: a major collection frees it; the peak remains.
            s.set_handle(arr, None);
            s.collect_major();
            let s2 = s.stats();
            assert!(
                s2.old_bytes + live <= s1.old_bytes,
                "{name}: old {} after",
                s2.old_bytes
            );
            // The N nodes and the array holding them.
            assert!(s2.objects_freed > s1.objects_freed + N as u64, "{name}");
            assert!(s2.bytes_freed >= s1.bytes_freed + live as u64, "{name}");
            assert!(s2.peak_old_bytes >= s1.old_bytes, "{name}: peak fell");
        });
    }
}

#[test]
fn nursery_garbage_is_not_promoted() {
    let (mut heap, t) = heap_with_types(normal());
    heap.collect_minor();
    let s0 = heap.stats();
    heap.scope(|s| {
        for _ in 0..5000 {
            s.scope(|s| {
                s.alloc(t.node).unwrap();
            });
        }
    });
    heap.collect_minor();
    let s1 = heap.stats();
    assert!(s1.bytes_allocated >= s0.bytes_allocated + 5000 * NODE_SIZE as u64);
    assert!(
        s1.bytes_promoted - s0.bytes_promoted < 5000,
        "dead objects promoted: {}",
        s1.bytes_promoted - s0.bytes_promoted
    );
    assert!(s1.minor_collections > s0.minor_collections);
}

/// Size of each byte array of the structures below (a small size class).
const CHUNK: usize = 8000;

/// Builds a rooted structure of about `bytes` bytes of old objects (`CHUNK`-byte arrays
/// held by one reference array). Returns the scope's handle-free global root for it.
fn build(heap: &mut Heap, t: &Types, bytes: usize) -> thicket_gc::GlobalRoot {
    heap.scope(|s| {
        let n = bytes / CHUNK;
        let top = s.alloc_array(t.refs, n).unwrap();
        for i in 0..n {
            s.scope(|s| {
                let a = s.alloc_array(t.bytes, CHUNK).unwrap();
                s.set_item(top, i, Some(a));
            });
        }
        s.collect_minor();
        s.global(top)
    })
}

#[test]
fn memory_goes_back_to_the_os() {
    for (name, config) in [("normal", normal()), ("stress(3)", stress(3))] {
        let (mut heap, t) = heap_with_types(config);
        let g = build(&mut heap, &t, 12 << 20);
        let live = heap.stats();
        heap.release_global(g);
        assert!(live.mapped_bytes >= 12 << 20, "{name}: {live:?}");
        assert!(live.arenas >= 3, "{name}: {live:?}");
        heap.collect_major();
        let st = heap.stats();
        assert!(
            st.bytes_returned >= 8 << 20,
            "{name}: only {} bytes returned after 12 MiB died: {st:?}",
            st.bytes_returned
        );
        assert!(
            st.mapped_bytes + (8 << 20) <= live.mapped_bytes,
            "{name}: {st:?}"
        );
        assert!(st.arenas < live.arenas, "{name}");
        assert!(st.old_bytes < 1 << 20, "{name}");
        assert!(st.peak_old_bytes >= live.old_bytes, "{name}");
    }
}

#[test]
fn live_memory_is_not_returned() {
    // Control for the test above: the same structure kept alive keeps its arenas.
    let (mut heap, t) = heap_with_types(normal());
    let g = build(&mut heap, &t, 8 << 20);
    heap.collect_major();
    let s1 = heap.stats();
    heap.collect_major();
    let s2 = heap.stats();
    assert_eq!(s2.bytes_returned, s1.bytes_returned);
    assert!(s2.mapped_bytes >= 8 << 20);
    assert!(s2.old_bytes >= 8 << 20);
    heap.release_global(g);
}

#[test]
fn display_summarises() {
    let (mut heap, _) = heap_with_types(normal());
    heap.collect_major();
    let text = heap.stats().to_string();
    for word in [
        "minor collections: 1",
        "major collections: 1",
        "nursery",
        "returned",
    ] {
        assert!(text.contains(word), "{word:?} missing from:\n{text}");
    }
}

#[test]
fn size_figures_are_current_between_collections() {
    let (mut heap, t) = heap_with_types(normal());
    heap.scope(|s| {
        for _ in 0..100 {
            s.alloc_nonmoving(t.node, 0).unwrap();
        }
        s.alloc_nonmoving(t.bytes, LARGE_BYTES).unwrap();
    });
    let st = heap.stats();
    assert!(st.old_bytes >= 100 * NODE_SIZE + LARGE_BYTES, "{st:?}");
    assert!(
        st.old_bytes >= st.peak_old_bytes,
        "current below peak: {st:?}"
    );
    assert!(st.mapped_bytes >= st.old_bytes, "{st:?}");
}
