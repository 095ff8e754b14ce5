//! Every kind of root: the shadow stack, global roots, root scanners, scoped handles in
//! nested scopes, and `Scope::escape`.
//!
//! Each root keeps its object alive through minor and major collections and is updated
//! when the object moves; the object is intact afterwards. Dropping the root lets the
//! object die. Misuse is detected: a released global root panics with a clear message,
//! and the shadow stack reports overflow.

mod common;

use common::*;
use std::cell::RefCell;
use std::rc::Rc;
use thicket_gc::{GcConfig, GlobalRoot, Heap, ObjRef};

/// Allocates a young node with `payload` and returns its raw reference (unrooted: the
/// caller roots it before anything can collect).
fn young_node(heap: &mut Heap, t: &Types, payload: i64) -> ObjRef {
    heap.scope(|s| {
        let n = s.alloc(t.node).unwrap();
        s.write(n, t.payload, payload);
        s.raw(n).unwrap()
    })
}

/// Reads the payload of the node `r` (which must be live: held by a root).
fn payload(heap: &mut Heap, t: &Types, r: Option<ObjRef>) -> i64 {
    heap.scope(|s| {
        // SAFETY: the caller passes a reference read from a root after the last
        // collection.
        let h = unsafe { s.from_raw(r) };
        s.read(h, t.payload)
    })
}

#[test]
fn shadow_stack_roots_are_updated() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let range = heap.nursery_range();
        let base = heap.shadow_stack().len();
        for i in 0..10 {
            let r = young_node(&mut heap, &t, i);
            heap.shadow_stack().push(Some(r));
            heap.shadow_stack().push(None);
        }
        // Link two of them, so that an object is reached both from a root and a slot.
        heap.scope(|s| {
            let (ra, rb) = {
                let slots = s.shadow_stack().slots();
                (slots[base], slots[base + 2])
            };
            // SAFETY: shadow-stack slots hold live objects (nothing collected since they
            // were read).
            let (a, b) = unsafe { (s.from_raw(ra), s.from_raw(rb)) };
            s.set(a, t.left, Some(b));
        });
        heap.collect_minor();
        let slots: Vec<_> = heap.shadow_stack().slots().to_vec();
        assert_eq!(slots.len(), base + 20, "{name}");
        for (i, pair) in slots[base..].chunks(2).enumerate() {
            let r = pair[0].expect("slot kept its object");
            assert!(
                r.addr().wrapping_sub(range.0) >= range.1,
                "{name}: slot {i} still points into the nursery"
            );
            assert_eq!(pair[1], None, "{name}");
            assert_eq!(payload(&mut heap, &t, Some(r)), i as i64, "{name}");
        }
        heap.collect_major();
        heap.collect_major();
        assert_eq!(
            heap.shadow_stack().slots(),
            &slots[..],
            "{name}: old objects moved"
        );
        heap.scope(|s| {
            // SAFETY: as above.
            let a = unsafe { s.from_raw(slots[base]) };
            let b = s.get(a, t.left);
            assert_eq!(s.raw(b), slots[base + 2], "{name}: identity lost");
        });
        for (i, pair) in slots[base..].chunks(2).enumerate() {
            assert_eq!(payload(&mut heap, &t, pair[0]), i as i64, "{name}");
        }
        // Popped slots are no longer roots: the objects die at the next major.
        let freed = heap.stats().objects_freed;
        heap.shadow_stack().truncate(base);
        heap.collect_major();
        assert!(
            heap.stats().objects_freed >= freed + 10,
            "{name}: popped roots kept alive"
        );
        heap.verify().unwrap();
    }
}

#[test]
fn shadow_stack_overflow_is_reported() {
    let config = GcConfig {
        shadow_stack_slots: 4,
        ..normal()
    };
    let mut heap = Heap::new(config).unwrap();
    let ss = heap.shadow_stack();
    assert_eq!(ss.capacity(), 4);
    for _ in 0..4 {
        ss.try_push(None).unwrap();
    }
    let e = ss.try_push(None).unwrap_err();
    assert_eq!(e.capacity, 4);
    assert!(e.to_string().contains("THICKET_GC_SHADOW_STACK"), "{e}");
    assert_eq!(ss.pop(), None);
    assert_eq!(ss.len(), 3);
}

#[test]
fn global_roots_survive_scopes_and_collections() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let (g1, g2) = heap.scope(|s| {
            let a = s.alloc(t.node).unwrap();
            s.write(a, t.payload, 1);
            let b = s.alloc(t.node).unwrap();
            s.write(b, t.payload, 2);
            s.set(a, t.left, Some(b));
            (s.global(a), s.global(b))
        });
        // Garbage between collections, so that addresses are reused.
        for round in 0..4 {
            heap.scope(|s| {
                for _ in 0..100 {
                    s.alloc(t.node).unwrap();
                }
                if round % 2 == 0 {
                    s.collect_minor();
                } else {
                    s.collect_major();
                }
                let a = s.from_global(&g1);
                let b = s.from_global(&g2);
                assert_eq!(s.read(a, t.payload), 1, "{name}");
                assert_eq!(s.read(b, t.payload), 2, "{name}");
                assert!(s.same(s.get(a, t.left), b), "{name}: identity lost");
            });
        }
        assert_eq!(heap.global(&g1), heap.scope(|s| s.raw(s.from_global(&g1))));

        // set_global: the root now holds another object; the old one may die.
        let freed = heap.stats().objects_freed;
        heap.scope(|s| {
            let c = s.alloc(t.node).unwrap();
            s.write(c, t.payload, 3);
            s.set_global(&g1, Some(c));
        });
        heap.collect_major();
        let r = heap.global(&g1);
        assert_eq!(payload(&mut heap, &t, r), 3, "{name}");
        heap.scope(|s| s.set_global(&g2, None));
        assert_eq!(heap.global(&g2), None);
        // Nothing refers to the first two nodes any more.
        heap.collect_major();
        assert!(heap.stats().objects_freed >= freed + 2, "{name}");

        heap.scope(|s| s.release_global(g1));
        heap.release_global(g2);
        heap.verify().unwrap();
    }
}

#[test]
fn released_global_slot_is_reused_and_roots_nothing() {
    let (mut heap, t) = heap_with_types(normal());
    let g = heap.scope(|s| {
        let a = s.alloc(t.node).unwrap();
        s.global(a)
    });
    heap.collect_minor();
    let freed = heap.stats().objects_freed;
    heap.release_global(g);
    heap.collect_major();
    assert!(
        heap.stats().objects_freed > freed,
        "a released global kept its object"
    );
    let g2 = heap.add_global(None);
    assert_eq!(
        heap.global(&g2),
        None,
        "a reused slot must not hold the old object"
    );
}

/// A second handle to a global root, made by copying the id's bytes (a `GlobalRoot` is
/// deliberately not `Clone`), to model an id kept after release.
fn forge(g: &GlobalRoot) -> GlobalRoot {
    // SAFETY: `GlobalRoot` is two integers with no destructor; the copy is only used to
    // show that the heap rejects it.
    unsafe { std::ptr::read(g) }
}

#[test]
#[should_panic(expected = "was released")]
fn released_global_panics() {
    let mut heap = Heap::new(normal()).unwrap();
    let g = heap.add_global(None);
    let stale = forge(&g);
    heap.release_global(g);
    heap.global(&stale);
}

#[test]
#[should_panic(expected = "was released")]
fn released_global_panics_after_its_slot_is_reused() {
    let (mut heap, t) = heap_with_types(normal());
    let g = heap.add_global(None);
    let stale = forge(&g);
    heap.release_global(g);
    let _g2 = heap.scope(|s| {
        let a = s.alloc(t.node).unwrap();
        s.global(a)
    });
    // Same slot, new generation: the stale id must not read the new object.
    heap.scope(|s| {
        s.from_global(&stale);
    });
}

#[test]
#[should_panic(expected = "does not belong to this heap")]
fn global_of_another_heap_panics() {
    let mut a = Heap::new(normal()).unwrap();
    let b = Heap::new(normal()).unwrap();
    let g = a.add_global(None);
    b.global(&g);
}

#[test]
fn global_of_another_heap_with_same_index_panics() {
    let (mut a, t) = heap_with_types(normal());
    let mut b = Heap::new(normal()).unwrap();
    let _ga = a.add_global(None);
    let gb = b.add_global(None);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        a.scope(|s| {
            let n = s.alloc(t.node).unwrap();
            // Stores heap a's object into heap b's id: must be refused.
            s.set_global(&gb, Some(n));
        })
    }));
    assert!(r.is_err(), "heap a accepted a global root id of heap b");
}

#[test]
fn root_scanner_slots_are_updated() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let range = heap.nursery_range();
        let slots: Rc<RefCell<Vec<Option<ObjRef>>>> = Rc::default();
        let calls = Rc::new(RefCell::new(0u32));
        {
            let (slots, calls) = (slots.clone(), calls.clone());
            heap.add_root_scanner(Box::new(move |v| {
                *calls.borrow_mut() += 1;
                for s in slots.borrow_mut().iter_mut() {
                    v.visit(s);
                }
            }));
        }
        for i in 0..8 {
            let r = young_node(&mut heap, &t, 10 + i);
            slots.borrow_mut().push(Some(r));
        }
        slots.borrow_mut().push(None);
        heap.collect_minor();
        assert!(*calls.borrow() >= 1, "{name}: scanner not run");
        let after_minor: Vec<_> = slots.borrow().clone();
        for (i, r) in after_minor.iter().take(8).enumerate() {
            let r = r.expect("scanner slot lost its object");
            assert!(
                r.addr().wrapping_sub(range.0) >= range.1,
                "{name}: slot {i} not updated"
            );
            assert_eq!(payload(&mut heap, &t, Some(r)), 10 + i as i64, "{name}");
        }
        assert_eq!(after_minor[8], None);
        heap.collect_major();
        assert_eq!(*slots.borrow(), after_minor, "{name}: old objects moved");
        for i in 0..8 {
            let r = slots.borrow()[i];
            assert_eq!(payload(&mut heap, &t, r), 10 + i as i64, "{name}");
        }
        // Slots the scanner no longer reports are not roots.
        let freed = heap.stats().objects_freed;
        slots.borrow_mut().truncate(4);
        heap.collect_major();
        assert!(heap.stats().objects_freed >= freed + 4, "{name}");
        heap.verify().unwrap();
    }
}

#[test]
fn root_scanner_visit_all() {
    let (mut heap, t) = heap_with_types(normal());
    let slots: Rc<RefCell<Vec<Option<ObjRef>>>> = Rc::default();
    let s2 = slots.clone();
    heap.add_root_scanner(Box::new(move |v| v.visit_all(&mut s2.borrow_mut())));
    for i in 0..5 {
        let r = young_node(&mut heap, &t, i);
        slots.borrow_mut().push(Some(r));
    }
    heap.collect_major();
    for i in 0..5 {
        let r = slots.borrow()[i];
        assert_eq!(payload(&mut heap, &t, r), i as i64);
    }
}

#[test]
fn nested_scopes_drop_their_handles() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            let outer = s.alloc(t.node).unwrap();
            s.write(outer, t.payload, 1);
            let n0 = s.handle_count();
            let freed = s.stats().objects_freed;
            s.scope(|s| {
                for i in 0..50 {
                    let n = s.alloc(t.node).unwrap();
                    s.write(n, t.payload, i);
                }
                assert_eq!(s.handle_count(), n0 + 50, "{name}");
                s.collect_minor();
                // Outer handles are usable in the inner scope.
                assert_eq!(s.read(outer, t.payload), 1, "{name}");
                s.scope(|s| {
                    let _ = s.alloc(t.node).unwrap();
                    assert_eq!(s.handle_count(), n0 + 51, "{name}");
                });
                assert_eq!(s.handle_count(), n0 + 50, "{name}");
            });
            assert_eq!(s.handle_count(), n0, "{name}: inner handles not dropped");
            // The 50 nodes were only held by the inner scope's handles.
            s.collect_major();
            assert!(
                s.stats().objects_freed >= freed + 50,
                "{name}: inner handles still root"
            );
            assert_eq!(s.read(outer, t.payload), 1, "{name}");
        });
        heap.verify().unwrap();
    }
}

#[test]
fn escape_carries_one_handle_out() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            let n0 = s.handle_count();
            let list = s
                .escape(|s| {
                    // Build a list of 20 nodes; only its head leaves the scope.
                    let mut head = s.null();
                    for i in 0..20 {
                        let n = s.alloc(t.node)?;
                        s.write(n, t.payload, i);
                        s.set(n, t.left, Some(head));
                        head = n;
                    }
                    Ok::<_, thicket_gc::AllocError>(head)
                })
                .unwrap();
            assert_eq!(s.handle_count(), n0 + 1, "{name}");
            s.collect_minor();
            s.collect_major();
            let mut h = list;
            for i in (0..20).rev() {
                assert_eq!(s.read(h, t.payload), i, "{name}");
                h = s.get(h, t.left);
            }
            assert!(s.is_null(h), "{name}");

            // An error leaves the scope too, dropping its handles.
            let r: Result<_, &str> = s.escape(|s| {
                s.alloc(t.node).unwrap();
                Err("no")
            });
            assert_eq!(r, Err("no"));
            assert_eq!(s.handle_count(), n0 + 1 + 20, "{name}");
        });
        heap.verify().unwrap();
    }
}
