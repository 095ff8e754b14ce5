//! Criterion benchmark of minor collections: the time of one `Scope::collect_minor`
//! against the number of surviving nodes, and against the nursery's size.
//!
//! Every measured iteration is exactly one minor collection. Before it, outside the timed
//! region, the nursery is given `S` surviving 24-byte nodes, rooted by one array of
//! references (one handle), each preceded by a dead node so that survivors are spread
//! through the nursery as in real programs, and then dead nodes until a given part of the
//! nursery is in use. After it, a major collection, also untimed, frees the survivors
//! again, so that every iteration starts from the same state: an empty old generation
//! whose pages are mapped and were recently used. (Letting old garbage pile up instead
//! would make the figures depend on how far apart major collections are, hence on the
//! nursery size, through page faults and cache misses in the pages copied into.)
//!
//! - `minor/survivors/S`: 16 MiB nursery, a quarter of it in use, S = 0 .. 100k.
//! - `minor/nursery/M`: S = 10k and the same 768 KiB in use in an M MiB nursery, M = 1
//!   .. 64. A minor collection touches only roots, the remembered set and survivors, so
//!   this series must come out flat. (The usage is the same at every size so that only
//!   the size varies: a usage proportional to the size would also vary how much of the
//!   survivors is still in the caches when the collection starts.)
//!
//! Run: `cargo bench -p thicket-gc --bench minor`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::{Duration, Instant};
use thicket_gc::{GcConfig, Heap, Scope, TypeDesc, TypeId, HEADER_SIZE};

/// Size of a node: header and two reference slots.
const NODE: usize = 24;

struct Types {
    node: TypeId,
    array: TypeId,
}

/// Fills the nursery as the module documentation says; the survivors' array is rooted by
/// a handle of `s`.
fn setup(s: &mut Scope<'_>, t: &Types, survivors: usize, used: usize) {
    let arr = s.alloc_array(t.array, survivors).expect("survivors' array");
    let mut bytes = 0;
    for i in 0..survivors {
        // SAFETY: the dead node is dropped at once. The survivor is stored into the
        // array before anything else allocates; the array is rooted by `arr` and is
        // re-read from the handle after the allocation; item `i` is in bounds (the array
        // has `survivors` items after the 16-byte fixed part); the barrier runs before
        // the store.
        unsafe {
            s.alloc_raw(t.node, 0, false).expect("dead node");
            let n = s.alloc_raw(t.node, 0, false).expect("survivor");
            let a = s.raw(arr).expect("the array");
            s.write_barrier(a);
            *a.field_ptr::<Option<thicket_gc::ObjRef>>(HEADER_SIZE + 8 + 8 * i) = Some(n);
        }
        bytes += 2 * NODE;
    }
    while bytes < used {
        // SAFETY: the dead node is dropped at once; nothing else is held unrooted.
        unsafe { s.alloc_raw(t.node, 0, false) }.expect("dead node");
        bytes += NODE;
    }
}

/// Runs one benchmark: a heap with this nursery, `survivors` survivors, `used` bytes of
/// the nursery in use at each collection.
fn bench_minor(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    nursery: usize,
    survivors: usize,
    used: usize,
) {
    let mut heap = Heap::new(GcConfig {
        nursery_size: nursery,
        min_heap_size: 8 * nursery,
        verify: false,
        ..GcConfig::default()
    })
    .expect("heap");
    let t = Types {
        node: heap
            .register(TypeDesc::fixed("node", NODE, &[8, 16]))
            .expect("node layout"),
        array: heap
            .register(TypeDesc::ref_array("array"))
            .expect("array layout"),
    };
    heap.scope(|s| {
        g.bench_function(id, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    s.scope(|s| {
                        let before = s.stats().minor_collections;
                        setup(s, &t, survivors, used);
                        assert_eq!(
                            s.stats().minor_collections,
                            before,
                            "the setup must fit in the nursery"
                        );
                        let t0 = Instant::now();
                        s.collect_minor();
                        total += t0.elapsed();
                    });
                    s.collect_major();
                }
                total
            })
        });
    });
}

fn minor(c: &mut Criterion) {
    let mut g = c.benchmark_group("minor/survivors");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    for survivors in [0, 1_000, 10_000, 100_000] {
        g.throughput(Throughput::Elements(survivors.max(1) as u64));
        bench_minor(
            &mut g,
            BenchmarkId::from_parameter(survivors),
            16 << 20,
            survivors,
            4 << 20,
        );
    }
    g.finish();

    let mut g = c.benchmark_group("minor/nursery");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    for mib in [1, 4, 16, 64] {
        bench_minor(
            &mut g,
            BenchmarkId::from_parameter(format!("{mib}MiB")),
            mib << 20,
            10_000,
            768 << 10,
        );
    }
    g.finish();
}

/// A minor collection after 10 stores of young objects into one old array of 1M or 10M
/// references: with card marking the cost follows the dirty cards, not the length, so
/// the two must come out about the same.
fn cards(c: &mut Criterion) {
    let mut g = c.benchmark_group("minor_with_dirty_cards");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    for len in [1_000_000usize, 10_000_000] {
        let mut heap = Heap::new(GcConfig {
            nursery_size: 4 << 20,
            verify: false,
            ..GcConfig::default()
        })
        .unwrap();
        let node = heap.register(TypeDesc::fixed("node", 24, &[8])).unwrap();
        let arr = heap.register(TypeDesc::ref_array("arr")).unwrap();
        heap.scope(|s| {
            let a = s.alloc_array(arr, len).unwrap();
            s.collect_minor();
            g.bench_with_input(BenchmarkId::new("array_len", len), &len, |b, &len| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for k in 0..iters {
                        s.scope(|s| {
                            for j in 0..10u64 {
                                let n = s.alloc(node).unwrap();
                                let i = ((k * 10 + j) * 104_729) as usize % len;
                                s.set_item(a, i, Some(n));
                            }
                        });
                        let t0 = Instant::now();
                        s.collect_minor();
                        total += t0.elapsed();
                    }
                    total
                })
            });
        });
    }
    g.finish();
}

criterion_group!(benches, minor, cards);
criterion_main!(benches);
