//! Nursery poisoning and stale pointers.
//!
//! With `poison_nursery: true` a minor collection overwrites the evacuated nursery with
//! `POISON_BYTE`, so a raw `ObjRef` kept across a collection outside any root points at
//! poison, not at plausible old data. When such a stale pointer ends up in a place the
//! verifier checks (an object's slot, the shadow stack, a global root), `Heap::verify`
//! returns an error naming the slot and calling it a stale pointer instead of crashing,
//! and a collection with verification on panics with that message before using it. The
//! same holds for a pointer to an old object freed by a major collection.

mod common;

use common::*;
use thicket_gc::{GcConfig, Heap, ObjRef, POISON_BYTE};

/// The poisoning configurations: normal with poison, and two stress modes.
fn poisoned() -> Vec<(&'static str, GcConfig)> {
    vec![
        (
            "normal+poison",
            GcConfig {
                poison_nursery: true,
                ..normal()
            },
        ),
        ("stress(1)", stress(1)),
        ("stress(5)", stress(5)),
    ]
}

/// Allocates a young node, keeps only a raw reference to it (plus a handle that the
/// collector updates), runs a minor collection and returns the stale raw reference and
/// the node's new address.
fn stale_after_minor(heap: &mut Heap, t: &Types) -> (ObjRef, ObjRef) {
    heap.scope(|s| {
        let y = s.alloc(t.node).unwrap();
        s.write(y, t.payload, 99);
        let stale = s.raw(y).unwrap();
        s.collect_minor();
        let moved = s.raw(y).unwrap();
        assert_ne!(stale, moved, "a minor collection must move a young object");
        assert_eq!(s.read(y, t.payload), 99);
        (stale, moved)
    })
}

#[test]
fn evacuated_nursery_is_poisoned() {
    for (name, config) in poisoned() {
        let (mut heap, t) = heap_with_types(config);
        let (stale, _) = stale_after_minor(&mut heap, &t);
        // SAFETY: the nursery stays mapped for the heap's lifetime; we only read the
        // bytes of the (dead) old copy, which the collector overwrote.
        let words = unsafe { std::slice::from_raw_parts(stale.as_ptr() as *const u8, NODE_SIZE) };
        assert!(
            words.iter().all(|&b| b == POISON_BYTE),
            "{name}: evacuated object not poisoned: {words:x?}"
        );
    }
}

#[test]
fn stale_nursery_pointer_in_old_slot_is_reported() {
    for (name, config) in poisoned() {
        let (mut heap, t) = heap_with_types(config);
        let holder = heap.scope(|s| {
            let h = s.alloc(t.node).unwrap();
            s.collect_minor();
            s.global(h)
        });
        let (stale, _) = stale_after_minor(&mut heap, &t);
        heap.verify()
            .unwrap_or_else(|e| panic!("{name}: clean heap reported: {e}"));
        let holder_raw = heap.global(&holder).unwrap();
        // SAFETY: the holder is a live old node (held by a global root); LEFT is one of its
        // reference slots. The value stored is stale on purpose; nothing reads it but the
        // verifier.
        unsafe {
            heap.write_barrier(holder_raw);
            *holder_raw.field_ptr::<Option<ObjRef>>(LEFT) = Some(stale);
        }
        let e = heap.verify().expect_err(name);
        let msg = e.to_string();
        assert!(
            msg.contains(&format!("{:#x}", stale.addr()))
                && msg.contains("into the nursery but not at a live object")
                && msg.contains("stale pointer")
                && msg.contains("offset 8"),
            "{name}: unexpected message: {msg}"
        );
        // Repairing the slot makes the heap sound again: the error was about that slot.
        // SAFETY: as above.
        unsafe { *holder_raw.field_ptr::<Option<ObjRef>>(LEFT) = None };
        heap.verify().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn stale_pointer_in_roots_is_reported() {
    for (name, config) in poisoned() {
        let (mut heap, t) = heap_with_types(config);
        let (stale, moved) = stale_after_minor(&mut heap, &t);

        // On the shadow stack.
        heap.shadow_stack().push(Some(moved));
        heap.shadow_stack().push(Some(stale));
        let msg = heap.verify().expect_err(name).to_string();
        assert!(
            msg.contains("shadow-stack slot 1") && msg.contains("stale pointer"),
            "{name}: unexpected message: {msg}"
        );
        heap.shadow_stack().truncate(0);
        heap.verify().unwrap_or_else(|e| panic!("{name}: {e}"));

        // In a global root.
        let g = heap.add_global(Some(stale));
        let msg = heap.verify().expect_err(name).to_string();
        assert!(
            msg.contains("global root") && msg.contains("stale pointer"),
            "{name}: unexpected message: {msg}"
        );
        heap.release_global(g);
        heap.verify().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn pointer_to_freed_old_object_is_reported() {
    for (name, config) in poisoned() {
        let (mut heap, t) = heap_with_types(config);
        let dead = heap.scope(|s| {
            let a = s.alloc(t.node).unwrap();
            s.collect_minor();
            let r = s.raw(a).unwrap();
            s.set_handle(a, None);
            r
        });
        let before = heap.stats().objects_freed;
        heap.collect_major();
        assert!(heap.stats().objects_freed > before, "{name}: nothing freed");
        heap.shadow_stack().push(Some(dead));
        let msg = heap.verify().expect_err(name).to_string();
        assert!(
            msg.contains("shadow-stack slot 0") && msg.contains("to no object of this heap"),
            "{name}: unexpected message: {msg}"
        );
        heap.shadow_stack().truncate(0);
    }
}

#[test]
#[should_panic(expected = "found by the verifier before a minor collection")]
fn stale_pointer_is_caught_before_the_next_collection() {
    let config = GcConfig {
        poison_nursery: true,
        ..normal()
    };
    let (mut heap, t) = heap_with_types(config);
    let (stale, _) = stale_after_minor(&mut heap, &t);
    heap.shadow_stack().push(Some(stale));
    // The verifier runs before the collection touches the stale slot, and panics.
    heap.collect_minor();
}
