//! Card marking: large arrays of references remember written items by card, minor
//! collections scan only dirty cards, and stores into an already marked array during an
//! incremental major collection are re-traced by card range.

use std::cell::RefCell;
use std::rc::Rc;
use thicket_gc::{GcConfig, GcEvent, Heap, Phase, TypeDesc};

fn heap(config: GcConfig) -> Heap {
    Heap::new(config).unwrap()
}

fn base() -> GcConfig {
    GcConfig {
        nursery_size: 1 << 20,
        verify: true,
        ..GcConfig::default()
    }
}

#[test]
fn dirty_cards_carry_young_references_through_minor_collections() {
    for (name, config) in [
        ("normal", base()),
        (
            "stress(5)",
            GcConfig {
                nursery_size: 1 << 20,
                ..GcConfig::stress(5)
            },
        ),
    ] {
        let mut heap = heap(config);
        let node = heap.register(TypeDesc::fixed("node", 24, &[8])).unwrap();
        let val = heap.data_field::<i64>(node, 16).unwrap();
        let arr = heap.register(TypeDesc::ref_array("arr")).unwrap();
        let remembered = Rc::new(RefCell::new(Vec::new()));
        let sink = remembered.clone();
        heap.set_hook(Box::new(move |e| {
            if let GcEvent::Minor(m) = e {
                sink.borrow_mut().push(m.remembered);
            }
        }));
        heap.scope(|s| {
            const N: usize = 100_000;
            let a = s.alloc_array(arr, N).unwrap(); // large: allocated with cards
            s.collect_minor(); // old now: its barrier is armed
            remembered.borrow_mut().clear();
            let idx: Vec<usize> = (0..50).map(|k| (k * 7919 + 13) % N).collect();
            for &i in &idx {
                s.scope(|s| {
                    let n = s.alloc(node).unwrap();
                    s.write(n, val, i as i64);
                    s.set_item(a, i, Some(n));
                });
            }
            s.collect_minor();
            for &i in &idx {
                let n = s.get_obj(a).item(i).expect("stored item");
                assert_eq!(n.read(val), i as i64, "{name}: item {i}");
            }
            // The array never went through the remembered set.
            assert!(
                remembered.borrow().iter().all(|&r| r == 0),
                "{name}: card array was remembered whole: {:?}",
                remembered.borrow()
            );
            s.collect_major();
            for &i in &idx {
                assert_eq!(s.get_obj(a).item(i).unwrap().read(val), i as i64);
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn stores_into_a_black_array_during_marking_are_retraced_by_card() {
    let mut heap = heap(GcConfig {
        increment_step: 4096,
        min_heap_size: 1 << 30, // only explicit steps
        ..base()
    });
    let node = heap.register(TypeDesc::fixed("node", 24, &[8])).unwrap();
    let next = heap.ref_field(node, 8).unwrap();
    let val = heap.data_field::<i64>(node, 16).unwrap();
    let arr = heap.register(TypeDesc::ref_array("arr")).unwrap();
    heap.scope(|s| {
        const N: usize = 20_000;
        let a = s.alloc_array(arr, N).unwrap();
        // An old object only reachable through a second, white holder.
        let holder = s.alloc(node).unwrap();
        let hidden = s.alloc(node).unwrap();
        s.write(hidden, val, 77);
        s.set(holder, next, Some(hidden));
        s.set_handle(hidden, None);
        s.collect_minor();
        // Start marking and take a few steps: the array (rooted, traced early) is black
        // while the holder's side of the graph is still being marked.
        for _ in 0..3 {
            if s.collect_step().1 != Phase::Marking {
                break;
            }
        }
        // Move the hidden object into the array and cut the other path.
        let h2 = s.get(holder, next);
        s.set_item(a, N - 1, Some(h2));
        s.set(holder, next, None);
        s.set_handle(h2, None);
        s.verify().unwrap();
        while s.collect_step().1 != Phase::Idle {}
        let got = s.get_obj(a).item(N - 1).expect("moved object");
        assert_eq!(
            got.read(val),
            77,
            "object stored into a black array was freed"
        );
    });
    heap.verify().unwrap();
}
