//! The interpreter against the collector, checked from Rust:
//!
//! - big lists and dicts live in the collector's large-object space, and writing young
//!   objects into them after they became old goes through card marking: the program's
//!   own checks pass, the heap verifies, and the statistics show the large objects;
//! - suspended generators keep their frames alive and updated across collections (their
//!   slots are traced through the generator layout's custom trace function);
//! - everything also holds with a collection at every safepoint and a poisoned nursery.

use std::rc::Rc;
use thicket::run::run_main;
use thicket::vm::Vm;
use thicket_gc::GcConfig;

fn vm(stress: bool) -> Box<Vm> {
    let config = GcConfig {
        nursery_size: 1 << 20,
        stress_minor_every: stress.then_some(2),
        poison_nursery: stress,
        verify: false,
        ..GcConfig::default()
    };
    Vm::new(config)
}

fn run(vm: &mut Vm, src: &str) -> i32 {
    run_main(vm, "<test>", Rc::from(src))
}

const BIG_CONTAINERS: &str = r#"
big = [None] * 20000
table = {}
for i in range(20000):
    table[i] = (i, str(i))
# Collect until both are old, then store young objects into them (cards, barriers).
import gc
gc.collect()
for i in range(0, 20000, 7):
    big[i] = [i, str(i)]
    table[i] = [str(i), i]
total = 0
for i in range(0, 20000, 7):
    assert big[i][0] == i and big[i][1] == str(i), i
    assert table[i][1] == i, i
    total += big[i][0]
assert total == sum(range(0, 20000, 7))
"#;

#[test]
fn big_lists_and_dicts_use_large_objects_and_cards() {
    for stress in [false, true] {
        let mut vm = vm(stress);
        let before = vm.sp.heap.stats().large_objects_allocated;
        assert_eq!(run(&mut vm, BIG_CONTAINERS), 0, "stress={stress}");
        let s = vm.sp.heap.stats();
        assert!(
            s.large_objects_allocated > before,
            "stress={stress}: no large object"
        );
        vm.sp.heap.collect_major();
        vm.sp
            .heap
            .verify()
            .expect("heap verifies after the program");
    }
}

const GENERATORS: &str = r#"
def counter(n):
    junk = []
    for i in range(n):
        junk.append([i] * 3)
        yield (i, junk[-1])

gens = [counter(200) for _ in range(20)]
seen = 0
for step in range(200):
    for g in gens:
        i, lst = next(g)
        assert i == step and lst == [step] * 3
        seen += 1
assert seen == 4000
"#;

#[test]
fn suspended_generators_survive_collections() {
    for stress in [false, true] {
        let mut vm = vm(stress);
        assert_eq!(run(&mut vm, GENERATORS), 0, "stress={stress}");
        assert!(vm.sp.heap.stats().minor_collections > 0);
        vm.sp.heap.verify().expect("heap verifies");
    }
}
