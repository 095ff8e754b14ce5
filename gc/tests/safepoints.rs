//! Safepoint mode (`GcConfig::collect_at_safepoints_only`): allocation never moves
//! anything; a full nursery spills into the old generation and requests a collection,
//! which `Heap::safepoint` runs.
//!
//! - Raw references held across many nurseries' worth of allocation stay valid (nothing
//!   collects between safepoints), in normal and stress modes.
//! - Objects that spilled into the old generation are initialised without barriers and
//!   still keep their young targets alive at the next collection (they start
//!   remembered); the verifier agrees.
//! - Stress mode requests a collection every few allocations, and the safepoint runs it.

mod common;

use common::*;
use thicket_gc::{GcConfig, ObjRef};

fn safepoint_config(base: GcConfig) -> GcConfig {
    GcConfig {
        collect_at_safepoints_only: true,
        ..base
    }
}

/// Allocates a node with raw stores (no barrier: fine for a fresh object in this mode).
///
/// # Safety
/// `left` must be a live node or None, and no safepoint may run during the call.
unsafe fn node(heap: &mut thicket_gc::Heap, t: &Types, left: Option<ObjRef>, v: i64) -> ObjRef {
    // SAFETY: registered fixed type; in safepoint mode allocation does not collect, so
    // `left` stays valid.
    unsafe {
        let n = heap.alloc_raw(t.node, 0, false).unwrap();
        *n.field_ptr::<Option<ObjRef>>(LEFT) = left;
        *n.field_ptr::<i64>(PAYLOAD) = v;
        n
    }
}

#[test]
fn raw_references_survive_allocation_until_the_safepoint() {
    for (name, base) in configs() {
        let (mut heap, t) = heap_with_types(safepoint_config(base));
        let collections_before = heap.stats().minor_collections;
        // A chain far longer than the nursery holds, built with raw pointers only.
        let mut head: Option<ObjRef> = None;
        let n = 40_000; // 40k × 32 bytes = 1.25 MiB, five 256 KiB nurseries
        for i in 0..n {
            // SAFETY: `head` is live (nothing collects between safepoints).
            head = Some(unsafe { node(&mut heap, &t, head, i) });
        }
        assert_eq!(
            heap.stats().minor_collections,
            collections_before,
            "{name}: allocation collected"
        );
        assert!(
            heap.collection_requested(),
            "{name}: no collection requested"
        );
        heap.shadow_stack().push(head);
        heap.safepoint().unwrap();
        assert!(
            heap.stats().minor_collections > collections_before,
            "{name}: safepoint did not collect"
        );
        assert!(!heap.collection_requested());
        heap.verify().unwrap();
        // Walk the chain from the (possibly moved) root: every payload is there.
        let mut p = heap.shadow_stack().pop();
        let mut expect = n - 1;
        let mut count = 0;
        while let Some(o) = p {
            // SAFETY: reachable from a root just collected, so live.
            unsafe {
                assert_eq!(*o.field_ptr::<i64>(PAYLOAD), expect, "{name}");
                p = *o.field_ptr::<Option<ObjRef>>(LEFT);
            }
            expect -= 1;
            count += 1;
        }
        assert_eq!(count, n, "{name}");
    }
}

#[test]
fn stress_mode_requests_collections_for_the_safepoint() {
    let (mut heap, t) = heap_with_types(safepoint_config(stress(3)));
    let before = heap.stats().minor_collections;
    let mut keep = None;
    for i in 0..100 {
        // SAFETY: `keep` is rooted on the shadow stack across the safepoint below.
        keep = Some(unsafe { node(&mut heap, &t, keep, i) });
        heap.shadow_stack().push(keep);
        heap.safepoint().unwrap();
        keep = heap.shadow_stack().pop();
    }
    let minors = heap.stats().minor_collections - before;
    assert!(
        (30..=40).contains(&minors),
        "one collection per 3 allocations expected, got {minors}"
    );
    heap.verify().unwrap();
}
