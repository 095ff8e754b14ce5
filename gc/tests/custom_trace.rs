//! Layouts the offsets cannot express: custom trace functions (`TypeDesc::with_trace`)
//! and items with embedded reference slots (`VarPart::item_ref_offsets`).
//!
//! A "small vector" type keeps a count and up to four reference slots that are declared
//! nowhere but reported by its trace function (only the first `count` of them). Its
//! referents survive minor and major collections intact, also when the vector is old
//! and the store goes through the raw API with the write barrier; slots past `count`
//! are not roots. The verifier sees trace-function slots too: a raw store into an old
//! vector without the barrier is reported. A record-array type (16-byte items, a
//! reference in the second word of each) keeps its referents alive through the item
//! offsets.

mod common;

use common::*;
use thicket_gc::{DataField, GcConfig, Heap, ObjRef, TypeDesc, TypeId, VarPart};

/// Small vector: header, `count: u64` at 8, four slots at 16..48.
const COUNT: usize = 8;
const SLOTS: usize = 16;
const SVEC_SIZE: usize = 48;

/// Reports the first `count` slots.
///
/// # Safety
/// `obj` must be a live small vector.
unsafe fn trace_svec(obj: ObjRef, visit: &mut dyn FnMut(*mut Option<ObjRef>)) {
    // SAFETY: `obj` is a small vector: COUNT and the slots are inside it; the count is
    // at most 4 (the tests keep it so).
    unsafe {
        let n = (*obj.field_ptr::<u64>(COUNT)).min(4) as usize;
        for i in 0..n {
            visit(obj.field_ptr(SLOTS + 8 * i));
        }
    }
}

struct Svec {
    ty: TypeId,
    count: DataField<u64>,
}

fn setup(config: GcConfig) -> (Heap, Types, Svec) {
    let (mut heap, t) = heap_with_types(config);
    let ty = heap
        .register(TypeDesc::fixed("svec", SVEC_SIZE, &[]).with_trace(trace_svec))
        .unwrap();
    let count = heap.data_field(ty, COUNT).unwrap();
    // The slots are not reference fields as far as the checked API knows.
    assert!(heap.ref_field(ty, SLOTS).is_err());
    (heap, t, Svec { ty, count })
}

/// Stores `v` into slot `i` of the small vector `v_obj`, with the barrier.
///
/// # Safety
/// `vec` and `v` must be live objects of the heap `s` belongs to.
unsafe fn svec_store(s: &thicket_gc::Scope<'_>, vec: ObjRef, i: usize, v: Option<ObjRef>) {
    // SAFETY: forwarded; the slot is inside the object.
    unsafe {
        s.write_barrier(vec);
        *vec.field_ptr::<Option<ObjRef>>(SLOTS + 8 * i) = v;
    }
}

/// Reads slot `i` of the small vector `vec`.
fn svec_load(vec: ObjRef, i: usize) -> Option<ObjRef> {
    // SAFETY: callers pass a live small vector (from a handle, no collection since).
    unsafe { *vec.field_ptr::<Option<ObjRef>>(SLOTS + 8 * i) }
}

#[test]
fn trace_function_keeps_referents_alive() {
    for (name, config) in configs() {
        let (mut heap, t, sv) = setup(config);
        heap.scope(|s| {
            let v = s.alloc(sv.ty).unwrap();
            s.write(v, sv.count, 3);
            for i in 0..3 {
                s.scope(|s| {
                    let n = s.alloc(t.node).unwrap();
                    s.write(n, t.payload, 10 + i as i64);
                    // SAFETY: both live: held by handles, nothing allocated since.
                    unsafe { svec_store(s, s.raw(v).unwrap(), i, s.raw(n)) };
                });
            }
            for round in 0..4 {
                if round % 2 == 0 {
                    s.collect_minor();
                } else {
                    s.collect_major();
                }
                for i in 0..3 {
                    let r = svec_load(s.raw(v).unwrap(), i);
                    // SAFETY: the slot was updated by the collection that just ran.
                    let n = unsafe { s.from_raw(r) };
                    assert_eq!(s.read(n, t.payload), 10 + i as i64, "{name}: slot {i}");
                }
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn store_into_old_traced_object_goes_through_the_barrier() {
    for (name, config) in configs() {
        let (mut heap, t, sv) = setup(config);
        heap.scope(|s| {
            let v = s.alloc(sv.ty).unwrap();
            s.write(v, sv.count, 4);
            s.collect_minor(); // the vector is old now
            for i in 0..4 {
                s.scope(|s| {
                    let n = s.alloc(t.node).unwrap();
                    s.write(n, t.payload, 20 + i as i64);
                    // SAFETY: both live.
                    unsafe { svec_store(s, s.raw(v).unwrap(), i, s.raw(n)) };
                });
            }
            s.collect_minor();
            for i in 0..4 {
                // SAFETY: updated by the collection.
                let n = unsafe { s.from_raw(svec_load(s.raw(v).unwrap(), i)) };
                assert_eq!(s.read(n, t.payload), 20 + i as i64, "{name}: slot {i}");
            }
        });
        heap.verify().unwrap();
    }
}

#[test]
fn slots_the_trace_function_skips_are_not_roots() {
    let (mut heap, t, sv) = setup(normal());
    heap.scope(|s| {
        let v = s.alloc(sv.ty).unwrap();
        s.write(v, sv.count, 4);
        let n = s.alloc(t.node).unwrap();
        s.collect_minor();
        // SAFETY: both live (handles).
        unsafe { svec_store(s, s.raw(v).unwrap(), 3, s.raw(n)) };
        s.set_handle(n, None);
        // With count 4 the node survives a major collection...
        let freed = s.stats().objects_freed;
        s.collect_major();
        assert_eq!(s.stats().objects_freed, freed);
        // ...with count 3 the slot is not traced any more, and the node dies.
        s.write(v, sv.count, 3);
        s.collect_major();
        assert_eq!(s.stats().objects_freed, freed + 1);
        // SAFETY: the slot is dead data now; clear it before anything could look.
        unsafe { svec_store(s, s.raw(v).unwrap(), 3, None) };
    });
}

#[test]
fn verifier_sees_trace_function_slots() {
    let (mut heap, t, sv) = setup(normal());
    let _g = heap.scope(|s| {
        let v = s.alloc(sv.ty).unwrap();
        s.write(v, sv.count, 1);
        s.collect_minor();
        let n = s.alloc(t.node).unwrap();
        // SAFETY: both live; the barrier is skipped on purpose, only the verifier looks.
        unsafe { *s.raw(v).unwrap().field_ptr::<Option<ObjRef>>(SLOTS) = s.raw(n) };
        (s.global(v), s.global(n))
    });
    let msg = heap.verify().unwrap_err().to_string();
    assert!(
        msg.contains("svec") && msg.contains("offset 16") && msg.contains("write barrier"),
        "{msg}"
    );
}

/// Records: header, length at 8, then items of 16 bytes: an i64 tag and a reference.
fn records(heap: &mut Heap) -> TypeId {
    heap.register(TypeDesc {
        var: Some(VarPart {
            length_offset: 8,
            item_size: 16,
            item_ref_offsets: vec![8],
        }),
        ..TypeDesc::fixed("records", 16, &[])
    })
    .unwrap()
}

#[test]
fn item_reference_offsets_are_traced() {
    for (name, config) in configs() {
        let (mut heap, t) = heap_with_types(config);
        let rec = records(&mut heap);
        const N: usize = 50;
        heap.scope(|s| {
            let r = s.alloc_array(rec, N).unwrap();
            assert_eq!(s.len(r), N);
            for i in 0..N {
                s.scope(|s| {
                    let n = s.alloc(t.node).unwrap();
                    s.write(n, t.payload, i as i64 * 3);
                    let (ro, no) = (s.raw(r).unwrap(), s.raw(n));
                    // SAFETY: both live; item i is inside the array; barrier first.
                    unsafe {
                        s.write_barrier(ro);
                        *ro.field_ptr::<i64>(16 + 16 * i) = -(i as i64);
                        *ro.field_ptr::<Option<ObjRef>>(16 + 16 * i + 8) = no;
                    }
                });
            }
            s.collect_minor();
            s.collect_major();
            for i in 0..N {
                let ro = s.raw(r).unwrap();
                // SAFETY: the array is live; the item slots were updated by the collection.
                let (tag, n) = unsafe {
                    (
                        *ro.field_ptr::<i64>(16 + 16 * i),
                        s.from_raw(*ro.field_ptr::<Option<ObjRef>>(16 + 16 * i + 8)),
                    )
                };
                assert_eq!(tag, -(i as i64), "{name}: tag {i}");
                assert_eq!(s.read(n, t.payload), i as i64 * 3, "{name}: item {i}");
            }
        });
        heap.verify().unwrap();
    }
}
