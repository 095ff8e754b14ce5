//! Identity: ids and identity hashes stay the same across minor and major collections
//! (incremental steps included), are unique among live objects, work for pinned and
//! large objects, and the cells reserved for young objects that die are reclaimed.

mod common;

use common::{normal, stress};
use std::collections::HashSet;
use thicket_gc::{GcConfig, Heap, Phase, TypeDesc};

fn configs() -> Vec<(&'static str, GcConfig)> {
    vec![
        ("normal", normal()),
        (
            "tiny incremental steps",
            GcConfig {
                increment_step: 256,
                ..normal()
            },
        ),
        ("stress(3)", stress(3)),
    ]
}

#[test]
fn ids_and_hashes_are_stable_and_unique() {
    for (name, config) in configs() {
        let mut heap = Heap::new(config).unwrap();
        let node = heap.register(TypeDesc::fixed("node", 24, &[8])).unwrap();
        let val = heap.data_field::<i64>(node, 16).unwrap();
        let arr = heap.register(TypeDesc::ref_array("arr")).unwrap();
        heap.scope(|s| {
            const N: usize = 2000;
            let all = s.alloc_array(arr, N).unwrap();
            let mut ids = Vec::new();
            let mut hashes = Vec::new();
            for i in 0..N {
                s.scope(|s| {
                    let n = s.alloc(node).unwrap();
                    s.write(n, val, i as i64);
                    if i % 3 == 0 {
                        s.pin(n);
                    }
                    ids.push(s.identity(n).unwrap());
                    hashes.push(s.identity_hash(n).unwrap());
                    s.set_item(all, i, Some(n));
                });
                // Garbage whose ids are taken too: their reserved cells must not leak
                // into live ids.
                s.scope(|s| {
                    let g = s.alloc(node).unwrap();
                    s.identity(g).unwrap();
                });
            }
            let unique: HashSet<_> = ids.iter().collect();
            assert_eq!(unique.len(), N, "{name}: ids not unique");
            for round in 0..4 {
                match round {
                    0 => s.collect_minor(),
                    1 => while s.collect_step().1 != Phase::Idle {},
                    2 => s.collect_major(),
                    _ => {
                        for i in (0..N).step_by(3) {
                            let n = s.item(all, i);
                            s.unpin(n);
                        }
                        s.collect_minor();
                        s.collect_major();
                    }
                }
                for i in 0..N {
                    let n = s.item(all, i);
                    assert_eq!(s.read(n, val), i as i64, "{name}: object {i} changed");
                    assert_eq!(s.identity(n).unwrap(), ids[i], "{name}: id of {i} changed");
                    assert_eq!(
                        s.identity_hash(n).unwrap(),
                        hashes[i],
                        "{name}: hash of {i}"
                    );
                }
            }
            // Unpinned objects moved into their reserved cells: old, and the id is now
            // the address itself.
            for (i, &id) in ids.iter().enumerate() {
                let n = s.item(all, i);
                assert_eq!(s.raw(n).unwrap().addr(), id, "{name}: {i} not in its cell");
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn reserved_cells_of_dead_young_objects_are_reclaimed() {
    let mut heap = Heap::new(normal()).unwrap();
    let node = heap.register(TypeDesc::fixed("node", 24, &[8])).unwrap();
    heap.scope(|s| {
        s.collect_major();
        let before = s.stats().old_bytes;
        for _ in 0..5000 {
            s.scope(|s| {
                let n = s.alloc(node).unwrap();
                s.identity(n).unwrap();
            });
        }
        s.collect_minor();
        assert!(
            s.stats().old_bytes >= before + 5000 * 24,
            "cells were reserved"
        );
        s.collect_major();
        assert!(
            s.stats().old_bytes <= before + 1024,
            "reserved cells leaked"
        );
    });
}
