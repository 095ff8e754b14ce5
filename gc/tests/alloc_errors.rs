//! Allocation requests the collector must refuse with an `AllocError` (not a panic, not
//! a corrupted heap): an unregistered type, a fixed type allocated as an array and the
//! reverse, and an array whose size overflows. Each error's `Display` says what is wrong.

mod common;

use common::*;
use thicket_gc::{AllocError, TypeId};

#[test]
fn misuse_is_an_error() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            let e = s.alloc(TypeId(500)).unwrap_err();
            assert_eq!(e, AllocError::UnknownType(TypeId(500)), "{name}");
            assert!(e.to_string().contains("not registered"), "{name}: {e}");
            assert_eq!(
                s.alloc_array(TypeId(500), 3).unwrap_err(),
                AllocError::UnknownType(TypeId(500))
            );

            let e = s.alloc(t.refs).unwrap_err();
            assert_eq!(e, AllocError::WrongKind(t.refs), "{name}");
            assert!(e.to_string().contains("wrong call"), "{name}: {e}");
            assert_eq!(
                s.alloc_array(t.node, 2).unwrap_err(),
                AllocError::WrongKind(t.node)
            );

            for len in [usize::MAX, usize::MAX / 8 + 1, isize::MAX as usize / 8] {
                let e = s.alloc_array(t.refs, len).unwrap_err();
                assert!(
                    matches!(e, AllocError::TooLarge { ty, len: l } if ty == t.refs && l == len),
                    "{name}: {e:?}"
                );
                assert!(e.to_string().contains("too large"), "{name}: {e}");
            }
            let e = s.alloc_array(t.bytes, usize::MAX - 8).unwrap_err();
            assert!(matches!(e, AllocError::TooLarge { .. }), "{name}: {e:?}");

            // The scope is still usable.
            let n = s.alloc(t.node).unwrap();
            s.write(n, t.payload, 3);
            s.collect_minor();
            assert_eq!(s.read(n, t.payload), 3);
        });
        heap.verify().unwrap();
    }
}

#[test]
fn empty_arrays_are_fine() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        heap.scope(|s| {
            let a = s.alloc_array(t.refs, 0).unwrap();
            let b = s.alloc_array(t.bytes, 0).unwrap();
            s.collect_minor();
            assert_eq!(s.len(a), 0, "{name}");
            assert!(s.get_obj(a).is_empty(), "{name}");
            assert!(s.bytes(b).is_empty(), "{name}");
        });
    }
}
