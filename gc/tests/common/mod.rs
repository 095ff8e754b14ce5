//! Helpers shared by the integration tests: the configurations every feature is tested
//! in, and a small set of registered object layouts.
//!
//! Each test binary uses a different subset of these helpers, hence the `dead_code`
//! allowance.

#![allow(dead_code)]

use thicket_gc::{DataField, GcConfig, Heap, RefField, TypeDesc, TypeId};

/// Nursery used by the tests: small, so that collections happen after a few thousand
/// allocations. (The collector rounds anything smaller up to 256 KiB anyway.)
pub const NURSERY: usize = 256 << 10;

/// The normal configuration: a small nursery, verification after every collection.
pub fn normal() -> GcConfig {
    GcConfig {
        nursery_size: NURSERY,
        verify: true,
        ..GcConfig::default()
    }
}

/// The stress configuration: a minor collection every `every` allocations, a poisoned
/// nursery (and poisoned freed old cells), verification after every collection.
pub fn stress(every: u64) -> GcConfig {
    GcConfig {
        nursery_size: NURSERY,
        ..GcConfig::stress(every)
    }
}

/// The configurations most feature tests run in, with a name for messages.
pub fn configs() -> Vec<(&'static str, GcConfig)> {
    vec![
        ("normal", normal()),
        ("stress(1)", stress(1)),
        ("stress(3)", stress(3)),
    ]
}

/// A heap with this configuration and the test layouts registered.
pub fn heap_with_types(config: GcConfig) -> (Heap, Types) {
    let mut heap = Heap::new(config).expect("heap creation");
    let types = Types::register(&mut heap);
    (heap, types)
}

/// Size of the node layout: header, two reference slots, an `i64` payload.
pub const NODE_SIZE: usize = 32;
/// Offset of the node's first reference slot.
pub const LEFT: usize = 8;
/// Offset of the node's second reference slot.
pub const RIGHT: usize = 16;
/// Offset of the node's payload.
pub const PAYLOAD: usize = 24;

/// The layouts most tests use, with their checked field descriptors.
#[derive(Clone, Copy, Debug)]
pub struct Types {
    /// A fixed node: two reference slots and an `i64` payload.
    pub node: TypeId,
    pub left: RefField,
    pub right: RefField,
    pub payload: DataField<i64>,
    /// An array of references.
    pub refs: TypeId,
    /// An array of bytes.
    pub bytes: TypeId,
}

impl Types {
    pub fn register(heap: &mut Heap) -> Types {
        let node = heap
            .register(TypeDesc::fixed("node", NODE_SIZE, &[LEFT, RIGHT]))
            .unwrap();
        let refs = heap.register(TypeDesc::ref_array("refs")).unwrap();
        let bytes = heap.register(TypeDesc::byte_array("bytes")).unwrap();
        Types {
            node,
            left: heap.ref_field(node, LEFT).unwrap(),
            right: heap.ref_field(node, RIGHT).unwrap(),
            payload: heap.data_field(node, PAYLOAD).unwrap(),
            refs,
            bytes,
        }
    }

    /// The node's reference field number `i` (0 or 1).
    pub fn slot(&self, i: usize) -> RefField {
        [self.left, self.right][i]
    }
}

/// Number of items of a reference array whose size is above `LARGE_OBJECT_SIZE`.
pub const LARGE_REFS: usize = thicket_gc::LARGE_OBJECT_SIZE / 8 + 16;
/// Number of items of a byte array whose size is above `LARGE_OBJECT_SIZE`.
pub const LARGE_BYTES: usize = thicket_gc::LARGE_OBJECT_SIZE + 100;

/// The contents a test writes into a byte array of `len` items: a pattern that differs
/// from zero, from the poison byte and from one seed to another.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| seed.wrapping_add((i as u8).wrapping_mul(31)) ^ 0x5a)
        .collect()
}
