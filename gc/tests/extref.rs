//! Externally reference-counted proxies (the rawrefcount bridge): a linked object follows
//! its moves, stays alive while the proxy's count is above the bias, and is reported dead
//! (its proxy queued for the embedder) once unreachable with no foreign reference — in
//! minor and major collections, stop-the-world and incremental, normal and stress.

mod common;

use common::{normal, stress};
use thicket_gc::{GcConfig, Heap, TypeDesc, EXTREF_BIAS};

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

/// node: header, next (strong), value (i64)
fn node_desc() -> TypeDesc {
    TypeDesc::fixed("node", 24, &[8])
}

#[test]
fn young_link_follows_moves_and_foreign_reference_keeps_alive() {
    for (name, config) in configs() {
        let mut heap = Heap::new(config).unwrap();
        let node = heap.register(node_desc()).unwrap();
        let val = heap.data_field::<i64>(node, 16).unwrap();
        // Proxy count words: "C" holds one reference to the first, none to the second.
        let mut held: Box<isize> = Box::new(1);
        let mut free: Box<isize> = Box::new(0);
        let (held_p, free_p) = (&mut *held as *mut isize, &mut *free as *mut isize);
        heap.scope(|s| {
            let (a_idx, b_idx) = s.scope(|s| {
                let a = s.alloc(node).unwrap();
                s.write(a, val, 41);
                let b = s.alloc(node).unwrap();
                s.write(b, val, 42);
                // SAFETY: the boxes outlive the heap's use of them.
                let ia = unsafe { s.extref_link(a, held_p) }.unwrap();
                // SAFETY: as above.
                let ib = unsafe { s.extref_link(b, free_p) }.unwrap();
                // SAFETY: as above (and a second link is refused before touching it).
                assert!(unsafe { s.extref_link(a, held_p) }.is_err());
                assert_eq!(s.extref_proxy_of(a), Some(held_p), "{name}");
                (ia, ib)
            });
            // SAFETY: the boxes are alive.
            unsafe {
                assert_eq!(*held_p, 1 + EXTREF_BIAS);
                assert_eq!(*free_p, EXTREF_BIAS);
            }
            // Nothing but the proxies refer to a and b now.
            s.collect_minor();
            // (Handles are roots: reads happen in inner scopes.)
            s.scope(|s| {
                let a = s.extref_object(a_idx);
                assert!(!s.is_null(a), "{name}: held object died");
                assert_eq!(s.read(a, val), 41, "{name}");
                assert_eq!(s.extref_proxy_of(a), Some(held_p), "{name}");
                assert!(
                    s.is_null(s.extref_object(b_idx)),
                    "{name}: free object kept"
                );
            });
            let mut dead = Vec::new();
            while let Some(p) = s.extref_next_dead() {
                dead.push(p);
            }
            assert_eq!(dead, vec![free_p], "{name}");
            // Old now; a major collection keeps it while held...
            s.collect_major();
            s.scope(|s| {
                let a = s.extref_object(a_idx);
                assert_eq!(s.read(a, val), 41, "{name}");
            });
            assert_eq!(s.extref_next_dead(), None, "{name}");
            // ...and reports it once released.
            // SAFETY: the box is alive.
            unsafe { *held_p -= 1 };
            s.collect_major();
            assert!(s.is_null(s.extref_object(a_idx)), "{name}");
            assert_eq!(s.extref_next_dead(), Some(held_p), "{name}");
        });
    }
}

#[test]
fn held_links_keep_what_they_reach_and_slots_are_reused() {
    for (name, config) in configs() {
        let mut heap = Heap::new(config).unwrap();
        let node = heap.register(node_desc()).unwrap();
        let next = heap.ref_field(node, 8).unwrap();
        let val = heap.data_field::<i64>(node, 16).unwrap();
        let mut counts: Vec<Box<isize>> = (0..200).map(|_| Box::new(1)).collect();
        let ptrs: Vec<*mut isize> = counts.iter_mut().map(|b| &mut **b as *mut isize).collect();
        heap.scope(|s| {
            // 200 held chains of 3 nodes; only the head is linked.
            let mut idx = Vec::new();
            for (i, &p) in ptrs.iter().enumerate() {
                let ix = s.scope(|s| {
                    let head = s.alloc(node).unwrap();
                    let mut cur = s.dup(head);
                    for k in 0..3 {
                        s.write(cur, val, (i * 10 + k) as i64);
                        if k < 2 {
                            let n = s.alloc(node).unwrap();
                            s.set(cur, next, Some(n));
                            cur = n;
                        }
                    }
                    // SAFETY: the counts outlive the heap's use of them.
                    unsafe { s.extref_link(head, p) }.unwrap()
                });
                idx.push(ix);
                // Garbage in between, so collections happen while building.
                for _ in 0..50 {
                    let _ = s.alloc(node).unwrap();
                }
            }
            for _ in 0..3 {
                s.collect_step();
            }
            s.collect_major();
            s.scope(|s| {
                for (i, &ix) in idx.iter().enumerate() {
                    let mut cur = s.extref_object(ix);
                    for k in 0..3 {
                        assert_eq!(s.read(cur, val), (i * 10 + k) as i64, "{name}");
                        cur = s.get(cur, next);
                    }
                }
            });
            // Release the even ones.
            for &p in ptrs.iter().step_by(2) {
                // SAFETY: the counts are alive.
                unsafe { *p -= 1 };
            }
            s.collect_major();
            let mut dead = 0;
            while let Some(p) = s.extref_next_dead() {
                assert!(ptrs.iter().step_by(2).any(|&q| q == p), "{name}");
                dead += 1;
            }
            assert_eq!(dead, 100, "{name}");
            for (i, &ix) in idx.iter().enumerate() {
                assert_eq!(s.is_null(s.extref_object(ix)), i % 2 == 0, "{name}");
            }
            // Freed slots are reused.
            let mut fresh: Box<isize> = Box::new(0);
            let n = s.alloc(node).unwrap();
            // SAFETY: `fresh` outlives the heap's use (the scope ends first).
            let ix = unsafe { s.extref_link(n, &mut *fresh) }.unwrap();
            assert!(
                idx.iter().step_by(2).any(|&j| j == ix),
                "{name}: slot not reused"
            );
        });
    }
}
