//! Pinning: any number of nursery objects pinned at once keep their address and
//! contents through minor and major collections (incremental or not, normal and stress
//! configurations), objects holding references may be pinned, references to and from
//! pinned objects stay right, and after `unpin` the objects move again.

use thicket_gc::{GcConfig, Heap, TypeDesc};

/// The heap is verified explicitly after every round rather than after each of the
/// thousands of collections (with ten thousand pins, per-collection verification would
/// dominate the test, above all in the stress pass of the suite).
fn configs() -> Vec<(&'static str, GcConfig)> {
    let base = GcConfig {
        nursery_size: 1 << 20,
        verify: false,
        ..GcConfig::default()
    };
    vec![
        ("normal", base.clone()),
        (
            "stop-the-world",
            GcConfig {
                incremental: false,
                ..base.clone()
            },
        ),
        (
            "stress(7)",
            GcConfig {
                nursery_size: 1 << 20,
                verify: false,
                ..GcConfig::stress(7)
            },
        ),
    ]
}

#[test]
fn ten_thousand_pins_survive_minor_and_major_collections() {
    for (name, config) in configs() {
        let mut heap = Heap::new(config).unwrap();
        // node: header, child (ref), value (i64)
        let node = heap.register(TypeDesc::fixed("node", 24, &[8])).unwrap();
        let child = heap.ref_field(node, 8).unwrap();
        let val = heap.data_field::<i64>(node, 16).unwrap();
        let list = heap.register(TypeDesc::ref_array("list")).unwrap();
        heap.scope(|s| {
            const N: usize = 10_000;
            let all = s.alloc_array(list, N).unwrap();
            s.collect_minor(); // the list is old: stores into it go through the barrier
            let mut addrs = Vec::with_capacity(N);
            for i in 0..N {
                s.scope(|s| {
                    let n = s.alloc(node).unwrap();
                    s.write(n, val, i as i64);
                    // Every pinned object holds a young child that will move.
                    let c = s.alloc(node).unwrap();
                    s.write(c, val, -(i as i64));
                    s.set(n, child, Some(c));
                    addrs.push(s.pin(n) as usize);
                    s.set_item(all, i, Some(n));
                });
            }
            let young_pins = s.pinned_count();
            assert!(young_pins > 0, "{name}: nothing was pinned in the nursery");
            for round in 0..6 {
                // Churn: garbage and live objects around the pinned ones.
                for _ in 0..3000 {
                    s.scope(|s| {
                        s.alloc(node).unwrap();
                    });
                }
                if round % 2 == 0 {
                    s.collect_minor();
                } else {
                    s.collect_major();
                }
                s.verify().unwrap();
                for (i, &a) in addrs.iter().enumerate() {
                    let n = s.get_obj(all).item(i).unwrap();
                    assert_eq!(n.raw().addr(), a, "{name}: pinned object {i} moved");
                    assert_eq!(n.read(val), i as i64, "{name}: pinned object {i} changed");
                    let c = n.get(child).expect("child");
                    assert_eq!(c.read(val), -(i as i64), "{name}: child of {i} lost");
                }
            }
            s.verify().unwrap();
            // Unpin: the objects move out at the next minor collection and stay intact.
            for i in 0..N {
                let n = s.item(all, i);
                s.unpin(n);
            }
            assert_eq!(s.pinned_count(), 0);
            s.collect_minor();
            s.collect_major();
            let moved = (0..N)
                .filter(|&i| s.get_obj(all).item(i).unwrap().raw().addr() != addrs[i])
                .count();
            assert_eq!(
                moved, young_pins,
                "{name}: unpinned nursery objects did not move"
            );
            for i in 0..N {
                let n = s.get_obj(all).item(i).unwrap();
                assert_eq!(n.read(val), i as i64);
                assert_eq!(n.get(child).unwrap().read(val), -(i as i64));
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn nursery_full_of_pins_still_allocates() {
    let mut heap = Heap::new(GcConfig {
        nursery_size: 256 << 10,
        verify: false,
        ..GcConfig::default()
    })
    .unwrap();
    let node = heap.register(TypeDesc::fixed("node", 24, &[8])).unwrap();
    heap.scope(|s| {
        // Pin every object until the nursery is made of pins only.
        let mut pinned = Vec::new();
        for _ in 0..12_000 {
            let n = s.alloc(node).unwrap();
            s.pin(n);
            pinned.push(n);
        }
        s.verify().unwrap();
        // Allocation still works (in fragments, or directly old once none is left).
        for _ in 0..20_000 {
            s.scope(|s| {
                s.alloc(node).unwrap();
            });
        }
        s.collect_major();
        for n in pinned {
            s.unpin(n);
        }
        s.collect_minor();
    });
    heap.verify().unwrap();
}

#[test]
fn pinning_old_objects_is_free_and_nested_pins_count() {
    let mut heap = Heap::new(GcConfig {
        nursery_size: 256 << 10,
        verify: true,
        ..GcConfig::default()
    })
    .unwrap();
    let node = heap.register(TypeDesc::fixed("node", 24, &[8])).unwrap();
    heap.scope(|s| {
        let old = s.alloc(node).unwrap();
        s.collect_minor();
        let a = s.pin(old);
        assert_eq!(s.pinned_count(), 0, "an old object needs no pin record");
        s.collect_major();
        assert_eq!(s.raw(old).unwrap().as_ptr(), a);
        s.unpin(old);

        let young = s.alloc(node).unwrap();
        let a = s.pin(young);
        s.pin(young);
        s.unpin(young);
        s.collect_minor();
        assert_eq!(s.raw(young).unwrap().as_ptr(), a, "still pinned once");
        s.unpin(young);
        s.collect_minor();
        assert_ne!(s.raw(young).unwrap().as_ptr(), a, "unpinned: moved out");
    });
}
