//! Fuzzes the collector with arbitrary operation sequences against a plain model.
//!
//! Each input byte pair is one operation on a small heap (tiny nursery, a minor
//! collection every few allocations, poisoned nursery, verification after every
//! collection): allocate a node or an array, link or unlink a slot, drop a root, collect.
//! The model mirrors the graph; after the sequence every rooted object's fields and
//! payload must match it. Any mismatch, verifier report or crash is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use thicket_gc::{GcConfig, Handle, Heap, Scope, TypeDesc};

#[derive(Clone)]
struct Model {
    /// Per object: payload and the model ids its slots point to.
    payload: i64,
    slots: Vec<Option<usize>>,
}

fuzz_target!(|data: &[u8]| {
    let mut heap = Heap::new(GcConfig {
        nursery_size: 64 << 10,
        stress_minor_every: Some(5),
        poison_nursery: true,
        verify: true,
        ..GcConfig::default()
    })
    .unwrap();
    let node = heap
        .register(TypeDesc::fixed("node", 32, &[8, 16]))
        .unwrap();
    let arr = heap.register(TypeDesc::ref_array("arr")).unwrap();
    let left = heap.ref_field(node, 8).unwrap();
    let right = heap.ref_field(node, 16).unwrap();
    let val = heap.data_field::<i64>(node, 24).unwrap();
    heap.scope(|s: &mut Scope<'_>| {
        // Objects: handle, model id; models indexed by id.
        let mut roots: Vec<(Handle<'_>, usize)> = Vec::new();
        let mut models: Vec<Model> = Vec::new();
        let mut is_arr: Vec<bool> = Vec::new();
        for op in data.chunks(2) {
            let (a, b) = (op[0], *op.get(1).unwrap_or(&0) as usize);
            match a % 7 {
                0 | 1 => {
                    let h = if a % 2 == 0 {
                        let h = s.alloc(node).unwrap();
                        s.write(h, val, models.len() as i64);
                        models.push(Model {
                            payload: models.len() as i64,
                            slots: vec![None, None],
                        });
                        is_arr.push(false);
                        h
                    } else {
                        let h = s.alloc_array(arr, b % 9).unwrap();
                        models.push(Model {
                            payload: 0,
                            slots: vec![None; b % 9],
                        });
                        is_arr.push(true);
                        h
                    };
                    roots.push((h, models.len() - 1));
                }
                2 | 3 if !roots.is_empty() => {
                    let (from, fid) = roots[b % roots.len()];
                    let (to, tid) = roots[(b / 3) % roots.len()];
                    let n = models[fid].slots.len();
                    if n == 0 {
                        continue;
                    }
                    let k = (b / 7) % n;
                    let target = (a % 7 == 2).then_some(to);
                    if is_arr[fid] {
                        s.set_item(from, k, target);
                    } else {
                        s.set(from, if k == 0 { left } else { right }, target);
                    }
                    models[fid].slots[k] = target.map(|_| tid);
                }
                4 if !roots.is_empty() => {
                    let i = b % roots.len();
                    roots.swap_remove(i);
                }
                5 => s.collect_minor(),
                6 => s.collect_major(),
                _ => {}
            }
        }
        // Every object reachable from a root must match its model.
        let mut seen = vec![false; models.len()];
        let mut stack: Vec<(thicket_gc::Obj<'_>, usize)> =
            roots.iter().map(|&(h, id)| (s.get_obj(h), id)).collect();
        while let Some((o, id)) = stack.pop() {
            if std::mem::replace(&mut seen[id], true) {
                continue;
            }
            let m = &models[id];
            for (k, want) in m.slots.iter().enumerate() {
                let got = if is_arr[id] {
                    o.item(k)
                } else {
                    o.get(if k == 0 { left } else { right })
                };
                match (got, want) {
                    (None, None) => {}
                    (Some(g), Some(w)) => stack.push((g, *w)),
                    _ => panic!("object {id} slot {k}: heap and model disagree"),
                }
            }
            if !is_arr[id] {
                assert_eq!(o.read(val), m.payload, "object {id}: payload changed");
            }
        }
    });
    heap.verify().unwrap();
});
