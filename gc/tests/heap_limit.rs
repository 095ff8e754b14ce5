//! The heap limit (`GcConfig::max_heap_size`, `THICKET_GC_MAX`).
//!
//! Allocating ever more reachable data eventually fails with `AllocError::HeapLimit`
//! (after a full collection, not before the limit is really reached), the error names the
//! limit and `THICKET_GC_MAX`, the heap stays consistent, and once the data is dropped
//! allocation works again. Large objects count against the limit too.

mod common;

use common::*;
use thicket_gc::{AllocError, GcConfig, Heap};

const LIMIT: usize = 4 << 20;
/// Bytes of the byte array hanging off each list node.
const CHUNK: usize = 8000;

fn limited(base: GcConfig) -> GcConfig {
    GcConfig {
        max_heap_size: Some(LIMIT),
        ..base
    }
}

/// Grows a rooted list (each node holding a `CHUNK`-byte array) until allocation fails.
/// Returns the error and how many nodes were made.
fn grow_until_limit(heap: &mut Heap, t: &Types) -> (AllocError, usize) {
    heap.scope(|s| {
        let head = s.null();
        let mut n = 0;
        let e = loop {
            assert!(n < 10 * LIMIT / CHUNK, "no heap limit after {n} nodes");
            let r = s.scope(|s| -> Result<(), AllocError> {
                let node = s.alloc(t.node)?;
                s.write(node, t.payload, n as i64);
                let b = s.alloc_array(t.bytes, CHUNK)?;
                s.bytes_mut(b)[0] = n as u8;
                s.set(node, t.right, Some(b));
                s.set(node, t.left, Some(head));
                s.set_handle(head, Some(node));
                Ok(())
            });
            match r {
                Ok(()) => n += 1,
                Err(e) => break e,
            }
        };
        // Everything made before the failure is intact.
        let mut h = s.dup(head);
        for i in (0..n).rev() {
            assert_eq!(s.read(h, t.payload), i as i64);
            assert_eq!(s.bytes(s.get(h, t.right))[0], i as u8);
            h = s.get(h, t.left);
        }
        (e, n)
    })
}

#[test]
fn allocation_fails_at_the_limit_and_recovers() {
    for (name, config) in [
        ("normal", limited(normal())),
        ("stress(3)", limited(stress(3))),
    ] {
        let (mut heap, t) = heap_with_types(config);
        let (e, n) = grow_until_limit(&mut heap, &t);
        let AllocError::HeapLimit { limit, live, .. } = e else {
            panic!("{name}: expected HeapLimit, got {e:?}");
        };
        assert_eq!(limit, LIMIT, "{name}");
        assert!(live <= LIMIT, "{name}: {live} live bytes over the limit");
        // Not too early: the list (node + array per element) must have filled most of
        // what the limit leaves beside the nursery.
        let made = n * (NODE_SIZE + CHUNK + 16);
        let room = LIMIT - heap.stats().nursery_size;
        assert!(
            made >= room / 2,
            "{name}: failed after only {made} bytes of {room}"
        );
        let msg = e.to_string();
        assert!(
            msg.contains("THICKET_GC_MAX")
                && msg.contains("heap limit")
                && msg.contains(&LIMIT.to_string()),
            "{name}: unexpected message: {msg}"
        );
        heap.verify().unwrap_or_else(|e| panic!("{name}: {e}"));
        // The limit is checked after each minor collection, which cannot fail: the old
        // generation may overshoot by at most one nursery of survivors.
        let st = heap.stats();
        assert!(
            st.peak_old_bytes <= LIMIT + st.nursery_size,
            "{name}: {st:?}"
        );

        // The list died with the scope: allocation works again, well past the limit in
        // total.
        heap.scope(|s| {
            for i in 0..3 * LIMIT / CHUNK {
                s.scope(|s| {
                    let b = s.alloc_array(t.bytes, CHUNK).unwrap_or_else(|e| {
                        panic!("{name}: allocation {i} after dropping the data failed: {e}")
                    });
                    s.bytes_mut(b)[1] = 1;
                });
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn rooted_large_objects_count_against_the_limit_once_promoted() {
    for (name, config) in [
        ("normal", limited(normal())),
        ("stress(1)", limited(stress(1))),
    ] {
        let (mut heap, t) = heap_with_types(config);
        let r = heap.scope(|s| {
            for i in 0..64 {
                match s.alloc_array(t.bytes, 256 << 10) {
                    Ok(_) => s.collect_minor(),
                    Err(e) => return Some((i, e)),
                }
            }
            None
        });
        let (i, e) = r.unwrap_or_else(|| panic!("{name}: 16 MiB rooted under a 4 MiB limit"));
        assert!(matches!(e, AllocError::HeapLimit { .. }), "{name}: {e:?}");
        assert!(i >= 8, "{name}: failed after {i} objects");
        // Dropped: they can be allocated again.
        heap.scope(|s| {
            for _ in 0..32 {
                s.scope(|s| {
                    s.alloc_array(t.bytes, 256 << 10).unwrap();
                    s.collect_minor();
                });
            }
        });
    }
}

#[test]
fn rooted_large_objects_count_against_the_limit() {
    let (mut heap, t) = heap_with_types(limited(normal()));
    let failed_at = heap.scope(|s| (0..64).find(|_| s.alloc_array(t.bytes, 256 << 10).is_err()));
    assert!(
        failed_at.is_some(),
        "64 rooted 256 KiB arrays (16 MiB) allocated under a 4 MiB limit: {:?}",
        heap.stats()
    );
}

#[test]
fn nonmoving_allocation_respects_the_limit() {
    let (mut heap, t) = heap_with_types(limited(normal()));
    let e = heap.scope(|s| {
        let list = s.null();
        for _ in 0..10 * LIMIT / 4096 {
            match s.alloc_nonmoving(t.refs, 500) {
                Ok(a) => {
                    s.set_item(a, 0, Some(list));
                    s.set_handle(list, Some(a));
                }
                Err(e) => return e,
            }
        }
        panic!("no heap limit for non-moving objects");
    });
    assert!(matches!(e, AllocError::HeapLimit { .. }), "{e:?}");
    heap.verify().unwrap();
}

#[test]
fn no_limit_by_default() {
    let config = normal();
    assert_eq!(config.max_heap_size, None);
    let (mut heap, t) = heap_with_types(config);
    heap.scope(|s| {
        let list = s.null();
        for _ in 0..(3 * LIMIT) / CHUNK {
            let n = s.alloc(t.node).unwrap();
            let b = s.alloc_array(t.bytes, CHUNK).unwrap();
            s.set(n, t.right, Some(b));
            s.set(n, t.left, Some(list));
            s.set_handle(list, Some(n));
        }
    });
    assert!(heap.stats().peak_old_bytes > LIMIT);
}
