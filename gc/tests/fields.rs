//! Checked field descriptors and checked accesses.
//!
//! - `Heap::ref_field` accepts exactly the declared reference slots and rejects the
//!   header, plain data, misaligned and out-of-range offsets and unknown types.
//! - `Heap::data_field` accepts plain data and rejects anything overlapping the header, a
//!   reference slot or an array's length, misaligned offsets, and offsets leaving the
//!   fixed part (including offsets so large that `offset + size` overflows).
//! - Accesses are checked at run time: a field of one type used on an object of another,
//!   an array index out of bounds, an item access on a non-array, a byte access on a
//!   non-byte array and a `None` handle all panic with a message saying what is wrong.
//! - Layout registration rejects bad descriptions.
//! - Descriptors and views belong to one heap: using them with another heap is refused.

mod common;

use common::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use thicket_gc::{Heap, TypeDesc, TypeId, VarPart};

fn heap() -> (Heap, Types) {
    heap_with_types(normal())
}

#[test]
fn ref_fields_are_exactly_the_declared_slots() {
    let (heap, t) = heap();
    assert!(heap.ref_field(t.node, LEFT).is_ok());
    assert!(heap.ref_field(t.node, RIGHT).is_ok());
    assert_ne!(heap.ref_field(t.node, LEFT), heap.ref_field(t.node, RIGHT));
    for bad in [
        0,
        4,
        9,
        PAYLOAD,
        NODE_SIZE,
        1000,
        usize::MAX - 7,
        (1 << 32) + LEFT,
    ] {
        let e = heap
            .ref_field(t.node, bad)
            .expect_err(&format!("offset {bad} accepted"));
        assert!(
            e.to_string().contains(&format!("offset {bad}")) && e.to_string().contains("node"),
            "{e}"
        );
    }
    // Arrays have no fixed reference slot (the length word is not one).
    assert!(heap.ref_field(t.refs, 8).is_err());
    let e = heap.ref_field(TypeId(999), 8).unwrap_err();
    assert!(
        e.to_string().contains("999") && e.to_string().contains("not registered"),
        "{e}"
    );
}

#[test]
fn data_fields_accept_plain_data() {
    let (heap, t) = heap();
    assert!(heap.data_field::<i64>(t.node, PAYLOAD).is_ok());
    assert!(heap.data_field::<f64>(t.node, PAYLOAD).is_ok());
    assert!(heap.data_field::<u32>(t.node, PAYLOAD + 4).is_ok());
    assert!(heap.data_field::<i16>(t.node, PAYLOAD + 6).is_ok());
    assert!(heap.data_field::<u8>(t.node, NODE_SIZE - 1).is_ok());
}

#[test]
fn data_fields_reject_protected_or_misplaced_offsets() {
    let (heap, t) = heap();
    let cases: Vec<(&str, Result<(), thicket_gc::FieldError>)> = vec![
        ("header", heap.data_field::<u64>(t.node, 0).map(drop)),
        ("header byte", heap.data_field::<u8>(t.node, 7).map(drop)),
        ("ref slot", heap.data_field::<u64>(t.node, LEFT).map(drop)),
        (
            "inside ref slot",
            heap.data_field::<u32>(t.node, LEFT + 4).map(drop),
        ),
        (
            "second ref slot",
            heap.data_field::<u8>(t.node, RIGHT + 7).map(drop),
        ),
        (
            "misaligned",
            heap.data_field::<u64>(t.node, PAYLOAD + 1).map(drop),
        ),
        (
            "misaligned u32",
            heap.data_field::<u32>(t.node, PAYLOAD + 2).map(drop),
        ),
        (
            "straddles end",
            heap.data_field::<u64>(t.node, NODE_SIZE - 4).map(drop),
        ),
        (
            "past end",
            heap.data_field::<u64>(t.node, NODE_SIZE).map(drop),
        ),
        (
            "far past end",
            heap.data_field::<u8>(t.node, 1 << 20).map(drop),
        ),
        ("array length", heap.data_field::<u64>(t.bytes, 8).map(drop)),
        (
            "array length byte",
            heap.data_field::<u8>(t.refs, 12).map(drop),
        ),
        ("array items", heap.data_field::<u8>(t.bytes, 16).map(drop)),
        (
            "unknown type",
            heap.data_field::<u64>(TypeId(77), 8).map(drop),
        ),
    ];
    for (what, r) in cases {
        let e = r.expect_err(what);
        assert!(!e.to_string().is_empty(), "{what}");
        assert!(
            e.to_string().contains("offset") || e.to_string().contains("not registered"),
            "{what}: {e}"
        );
    }
}

#[test]
fn data_field_with_overflowing_offset_is_an_error() {
    let (heap, t) = heap();
    for offset in [usize::MAX - 7, usize::MAX, usize::MAX - 3] {
        let r = catch_unwind(AssertUnwindSafe(|| heap.data_field::<u64>(t.node, offset)));
        match r {
            Ok(Ok(_)) => panic!("offset {offset:#x} accepted"),
            Ok(Err(_)) => {}
            Err(_) => {
                panic!("offset {offset:#x}: data_field panicked instead of returning an error")
            }
        }
    }
}

fn panics_with(what: &str, f: impl FnOnce()) {
    let e = catch_unwind(AssertUnwindSafe(f)).expect_err(what);
    let msg = e
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(
        msg.contains(what),
        "expected a panic mentioning {what:?}, got {msg:?}"
    );
    assert!(msg.starts_with("thicket-gc:"), "{msg:?}");
}

#[test]
fn wrong_type_and_out_of_bounds_accesses_panic() {
    let (mut heap, t) = heap();
    let other = heap
        .register(TypeDesc::fixed("other", NODE_SIZE, &[LEFT, RIGHT]))
        .unwrap();
    let other_left = heap.ref_field(other, LEFT).unwrap();
    let other_payload = heap.data_field::<i64>(other, PAYLOAD).unwrap();
    heap.scope(|s| {
        let n = s.alloc(t.node).unwrap();
        let o = s.alloc(other).unwrap();
        let arr = s.alloc_array(t.refs, 3).unwrap();
        let bytes = s.alloc_array(t.bytes, 3).unwrap();
        let none = s.null();

        // Same layout, different type: still refused.
        panics_with("used on an object of type", || {
            s.get(n, other_left);
        });
        panics_with("used on an object of type", || {
            s.set(n, other_left, Some(o))
        });
        panics_with("used on an object of type", || {
            s.read(o, t.payload);
        });
        panics_with("used on an object of type", || s.set(arr, t.left, None));
        panics_with("out of bounds", || {
            s.item(arr, 3);
        });
        panics_with("out of bounds", || s.set_item(arr, usize::MAX, Some(n)));
        panics_with("not an array of references", || {
            s.item(bytes, 0);
        });
        panics_with("not an array of references", || {
            s.item(n, 0);
        });
        panics_with("not a byte array", || {
            s.bytes(arr);
        });
        panics_with("holds no object", || {
            s.read(none, t.payload);
        });
        // Writes are checked too.
        let r = catch_unwind(AssertUnwindSafe(|| s.write(n, other_payload, 5)));
        assert!(r.is_err(), "a data field of another type was written");
        // Nothing was corrupted by the refused accesses.
        assert_eq!(s.read(n, t.payload), 0);
        assert!(s.is_null(s.get(n, t.left)));
        assert_eq!(s.len(arr), 3);
        assert!(s.bytes(bytes).iter().all(|&b| b == 0));
    });
    heap.verify().unwrap();
}

#[test]
fn fields_work_on_their_own_type() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let f32_field = heap.data_field::<f32>(t.node, PAYLOAD + 4).unwrap();
        let u16_field = heap.data_field::<u16>(t.node, PAYLOAD).unwrap();
        heap.scope(|s| {
            let n = s.alloc(t.node).unwrap();
            s.write(n, u16_field, 0xbeef);
            s.write(n, f32_field, 1.5);
            s.collect_minor();
            assert_eq!(s.read(n, u16_field), 0xbeef, "{name}");
            assert_eq!(s.read(n, f32_field), 1.5, "{name}");
            assert_eq!(s.type_of(n), t.node, "{name}");
            assert_eq!(s.len(n), 0, "{name}: fixed objects have no items");
        });
        assert_eq!(heap.type_name(t.node), Some("node"));
        assert_eq!(heap.type_name(TypeId(1234)), None);
    }
}

#[test]
fn registration_rejects_bad_layouts() {
    let mut heap = Heap::new(normal()).unwrap();
    let bad = [
        TypeDesc::fixed("tiny", 4, &[]),
        TypeDesc::fixed("header slot", 24, &[0]),
        TypeDesc::fixed("misaligned", 24, &[12]),
        TypeDesc::fixed("outside", 24, &[24]),
        TypeDesc::fixed("twice", 24, &[8, 8]),
        TypeDesc {
            var: Some(VarPart {
                length_offset: 8,
                item_size: 8,
                item_ref_offsets: vec![0],
            }),
            ..TypeDesc::fixed("length on a ref slot", 24, &[8])
        },
        TypeDesc {
            var: Some(VarPart {
                length_offset: 8,
                item_size: 0,
                item_ref_offsets: vec![],
            }),
            ..TypeDesc::fixed("empty items", 16, &[])
        },
        TypeDesc {
            var: Some(VarPart {
                length_offset: 8,
                item_size: 12,
                item_ref_offsets: vec![4],
            }),
            ..TypeDesc::fixed("misaligned item ref", 16, &[])
        },
    ];
    for d in bad {
        let name = d.name.clone();
        let e = heap.register(d).expect_err(&name);
        assert_eq!(e.type_name, name);
        assert!(e.to_string().contains(&name), "{e}");
    }
    // Nothing half-registered: the next id is 0.
    let ok = heap.register(TypeDesc::fixed("ok", 16, &[8])).unwrap();
    assert_eq!(ok, TypeId(0));
}

#[test]
fn descriptor_of_another_heap_is_refused() {
    // Heap `a` has a 16-byte type 0; heap `b` a 4096-byte type 0 with data at 4000.
    let mut a = Heap::new(normal()).unwrap();
    let mut b = Heap::new(normal()).unwrap();
    let small = a.register(TypeDesc::fixed("small", 16, &[])).unwrap();
    let big = b.register(TypeDesc::fixed("big", 4096, &[])).unwrap();
    assert_eq!(small, big);
    let far = b.data_field::<u64>(big, 4000).unwrap();
    let r = a.scope(|s| {
        // The object sits at the start of an otherwise empty nursery, so the stray
        // access below, if it happens, stays inside the nursery's mapping.
        let h = s.alloc(small).unwrap();
        catch_unwind(AssertUnwindSafe(|| s.read(h, far))).is_err()
    });
    assert!(r, "heap a accepted a field descriptor of heap b");
}

#[test]
fn view_of_another_heap_cannot_be_stored() {
    let (mut a, ta) = heap();
    let (mut b, tb) = heap();
    b.scope(|sb| {
        let foreign = sb.alloc(tb.node).unwrap();
        a.scope(|sa| {
            let n = sa.alloc(ta.node).unwrap();
            let holder = sa.get_obj(n);
            let stored = catch_unwind(AssertUnwindSafe(|| {
                holder.set(ta.left, Some(sb.get_obj(foreign)));
            }))
            .is_ok();
            // Undo before anything can trace the foreign reference.
            holder.set(ta.left, None);
            assert!(!stored, "heap a stored a reference to an object of heap b");
        });
    });
}
