//! Weak references, light destructors and finalizer queues, in the normal and stress
//! configurations, with stop-the-world and incremental major collections.
//!
//! - a weak slot follows its target when the target moves, and reads `None` once the
//!   target died in a minor or in a major collection;
//! - light destructors run exactly once per dead object, young or old, small or large;
//! - finalizable objects are queued once when unreachable, kept alive with what they
//!   reach, in order (an object before the finalizable objects it reaches), a whole chain
//!   in one major collection; they can be resurrected.

mod common;

use common::{normal, stress};
use std::cell::Cell;
use thicket_gc::{GcConfig, Heap, ObjRef, TypeDesc};

fn configs() -> Vec<(&'static str, GcConfig)> {
    vec![
        ("normal", normal()),
        (
            "incremental, tiny steps",
            GcConfig {
                increment_step: 64,
                ..normal()
            },
        ),
        (
            "stop-the-world",
            GcConfig {
                incremental: false,
                ..normal()
            },
        ),
        ("stress", stress(3)),
    ]
}

/// node: header, next (strong), other (weak), value (i64)
const NODE: usize = 32;

fn node_desc() -> TypeDesc {
    TypeDesc::fixed("node", NODE, &[8]).with_weak(&[16])
}

#[test]
fn weak_refs_follow_moves_and_clear_on_death() {
    for (name, config) in configs() {
        let mut heap = Heap::new(config).unwrap();
        let node = heap.register(node_desc()).unwrap();
        let next = heap.ref_field(node, 8).unwrap();
        let weak = heap.weak_field(node, 16).unwrap();
        let val = heap.data_field::<i64>(node, 24).unwrap();
        heap.scope(|s| {
            let holder = s.alloc(node).unwrap();
            let kept = s.alloc(node).unwrap();
            s.write(kept, val, 7);
            let doomed = s.alloc(node).unwrap();
            s.set_weak(holder, weak, Some(kept));
            // Young target, young holder: moves.
            s.collect_minor();
            let w = s.get_weak(holder, weak);
            assert!(s.same(w, kept), "{name}: weak slot did not follow the move");
            assert_eq!(s.read(w, val), 7);
            // Young target dies in a minor collection while the holder is old.
            s.scope(|s| {
                let young = s.alloc(node).unwrap();
                s.set_weak(holder, weak, Some(young));
            });
            s.collect_minor();
            assert!(
                s.is_null(s.get_weak(holder, weak)),
                "{name}: minor did not clear"
            );
            // Old target dies in a major collection.
            s.set_weak(holder, weak, Some(doomed));
            s.set_handle(doomed, None);
            s.collect_major();
            assert!(
                s.is_null(s.get_weak(holder, weak)),
                "{name}: major did not clear"
            );
            // An old target that lives stays.
            s.set_weak(holder, weak, Some(kept));
            s.collect_major();
            assert!(s.same(s.get_weak(holder, weak), kept), "{name}");
            // Weak slots do not keep their target: a chain held only weakly dies.
            let chain_head = s
                .escape(|s| {
                    let a = s.alloc(node)?;
                    let b = s.alloc(node)?;
                    s.set(a, next, Some(b));
                    Ok::<_, thicket_gc::AllocError>(a)
                })
                .unwrap();
            s.set_weak(holder, weak, Some(chain_head));
            s.set_handle(chain_head, None);
            s.collect_major();
            assert!(
                s.is_null(s.get_weak(holder, weak)),
                "{name}: weak slot kept its target"
            );
        });
        heap.verify().unwrap();
    }
}

#[test]
fn weak_clearing_is_incremental_with_a_read_barrier() {
    // 64 KiB per step: a holder costs 64 bytes, so about a thousand holders per step.
    let mut heap = Heap::new(GcConfig {
        increment_step: 64 << 10,
        verify: false,
        ..normal()
    })
    .unwrap();
    let node = heap.register(node_desc()).unwrap();
    let weak = heap.weak_field(node, 16).unwrap();
    heap.scope(|s| {
        // Many holders pointing at objects that die: clearing takes several steps.
        let keep: Vec<_> = (0..3000).map(|_| s.alloc(node).unwrap()).collect();
        for h in &keep {
            let t = s.alloc(node).unwrap();
            s.set_weak(*h, weak, Some(t));
            s.set_handle(t, None);
        }
        s.collect_minor();
        let mut saw_clearing = false;
        loop {
            let (_, after) = s.collect_step();
            if after == thicket_gc::Phase::ClearingWeak {
                saw_clearing = true;
                // Mid-phase, every weak read already answers None.
                for h in &keep {
                    assert!(
                        s.is_null(s.get_weak(*h, weak)),
                        "read barrier let a dead target out"
                    );
                }
            }
            if after == thicket_gc::Phase::Idle {
                break;
            }
        }
        assert!(saw_clearing, "weak clearing finished within one step");
        for h in &keep {
            assert!(s.is_null(s.get_weak(*h, weak)));
        }
    });
}

thread_local! {
    static DESTROYED: Cell<u64> = const { Cell::new(0) };
}

unsafe fn count_destroyed(obj: ObjRef) {
    // SAFETY: called by the collector with an object being freed; its payload is intact.
    let v = unsafe { *(obj.as_ptr().add(8) as *const u64) };
    assert_eq!(v, 0xD00D, "destructor saw a corrupted object");
    DESTROYED.with(|d| d.set(d.get() + 1));
}

#[test]
fn destructors_run_once_for_young_old_and_large_objects() {
    for (name, config) in configs() {
        DESTROYED.with(|d| d.set(0));
        let mut heap = Heap::new(config).unwrap();
        let res = heap
            .register(TypeDesc::fixed("resource", 16, &[]).with_destructor(count_destroyed))
            .unwrap();
        let big = heap
            .register(TypeDesc::byte_array("big").with_destructor(count_destroyed))
            .unwrap();
        let tag = heap.data_field::<u64>(res, 8).unwrap();
        let mut made = 0u64;
        heap.scope(|s| {
            // Young deaths.
            for _ in 0..500 {
                s.scope(|s| {
                    let r = s.alloc(res).unwrap();
                    s.write(r, tag, 0xD00D);
                });
                made += 1;
            }
            // Old deaths: promote, then drop.
            let kept: Vec<_> = (0..300)
                .map(|_| {
                    let r = s.alloc(res).unwrap();
                    s.write(r, tag, 0xD00D);
                    r
                })
                .collect();
            made += 300;
            s.collect_minor();
            for r in &kept[..200] {
                s.set_handle(*r, None);
            }
            // Large objects (their length field sits where the tag is checked).
            for _ in 0..3 {
                s.scope(|s| {
                    s.alloc_array(big, 0xD00D).unwrap();
                });
                made += 1;
            }
            s.collect_major();
            s.collect_major();
            let destroyed = DESTROYED.with(|d| d.get());
            assert_eq!(
                destroyed,
                made - 100,
                "{name}: destructors ran {destroyed} times"
            );
        });
        drop(heap);
    }
}

#[test]
fn finalizers_queue_a_whole_chain_in_order_in_one_major_collection() {
    for (name, config) in configs() {
        let mut heap = Heap::new(config).unwrap();
        let node = heap.register(node_desc()).unwrap();
        let next = heap.ref_field(node, 8).unwrap();
        let val = heap.data_field::<i64>(node, 24).unwrap();
        heap.scope(|s| {
            let q = s.new_finalizer_queue();
            // A chain 0 -> 1 -> ... -> 9, every link finalizable, plus an unregistered
            // tail object reachable only from the last link.
            let head = s.escape(|s| {
                let tail = s.alloc(node)?;
                s.write(tail, val, 100);
                let mut cur = tail;
                for i in (0..10).rev() {
                    let n = s.alloc(node)?;
                    s.write(n, val, i);
                    s.set(n, next, Some(cur));
                    s.register_finalizer(n, q);
                    cur = n;
                }
                Ok::<_, thicket_gc::AllocError>(cur)
            });
            let head = head.unwrap();
            s.collect_major();
            assert_eq!(
                s.pending_finalizers(q),
                0,
                "{name}: reachable objects were queued"
            );
            s.set_handle(head, None);
            s.collect_major();
            assert_eq!(
                s.pending_finalizers(q),
                10,
                "{name}: not the whole chain at once"
            );
            let mut order = Vec::new();
            let mut resurrected = None;
            while let Some(d) = s.next_dead(q) {
                let v = s.read(d, val);
                order.push(v);
                // Everything the object reaches is intact, the unregistered tail too.
                let cur = s.dup(d);
                let mut expect = v;
                loop {
                    let n = s.get(cur, next);
                    if s.is_null(n) {
                        break;
                    }
                    expect += 1;
                    let got = s.read(n, val);
                    assert!(
                        got == expect || (expect == 10 && got == 100),
                        "{name}: chain broken"
                    );
                    s.set_handle(cur, Some(n));
                }
                if v == 5 {
                    resurrected = Some(s.dup(d));
                }
            }
            assert_eq!(order, (0..10).collect::<Vec<_>>(), "{name}: wrong order");
            // Queued objects are not queued again; a resurrected one stays alive.
            let keep = resurrected.unwrap();
            s.collect_major();
            s.collect_major();
            assert_eq!(s.pending_finalizers(q), 0, "{name}: finalized twice");
            assert_eq!(s.read(keep, val), 5);
            let n = s.get(keep, next);
            assert_eq!(
                s.read(n, val),
                6,
                "{name}: resurrected object lost its successor"
            );
        });
        heap.verify().unwrap();
    }
}

#[test]
fn young_finalizable_objects_survive_minor_collections() {
    let mut heap = Heap::new(normal()).unwrap();
    let node = heap.register(node_desc()).unwrap();
    let val = heap.data_field::<i64>(node, 24).unwrap();
    heap.scope(|s| {
        let q = s.new_finalizer_queue();
        s.scope(|s| {
            let n = s.alloc(node).unwrap();
            s.write(n, val, 42);
            s.register_finalizer(n, q);
        });
        for _ in 0..5 {
            s.collect_minor();
        }
        assert_eq!(s.pending_finalizers(q), 0);
        s.collect_major();
        let d = s.next_dead(q).expect("queued after the major collection");
        assert_eq!(s.read(d, val), 42);
    });
}

#[test]
fn the_finalizing_phase_is_bounded_by_its_budget() {
    let mut heap = Heap::new(GcConfig {
        increment_step: 4096,
        min_heap_size: 1 << 30, // only explicit steps
        verify: false,
        ..normal()
    })
    .unwrap();
    let node = heap.register(node_desc()).unwrap();
    heap.scope(|s| {
        let q = s.new_finalizer_queue();
        let mut kept = Vec::new();
        for i in 0..3000 {
            let n = s.alloc(node).unwrap();
            s.register_finalizer(n, q);
            if i % 30 == 0 {
                s.set_handle(n, None); // 100 of them die
            } else {
                kept.push(n);
            }
        }
        s.collect_minor();
        let mut finalizing_steps = 0;
        loop {
            let (_, after) = s.collect_step();
            if after == thicket_gc::Phase::Finalizing {
                finalizing_steps += 1;
            }
            if after == thicket_gc::Phase::Idle {
                break;
            }
        }
        assert!(
            finalizing_steps > 5,
            "sorted 3000 registrations in {finalizing_steps} steps"
        );
        assert_eq!(s.pending_finalizers(q), 100);
        s.verify().unwrap();
    });
}
