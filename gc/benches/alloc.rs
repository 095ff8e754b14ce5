//! Criterion benchmark of the allocation fast path: the cost of one small object (a
//! 24-byte node: header and two reference slots) through the raw API
//! (`Scope::alloc_raw`) and through the safe API (`Scope::alloc`, a handle per object,
//! in a nested scope per batch).
//!
//! Each iteration allocates a batch of 1000 nodes and nothing keeps them (raw) or only
//! the batch's scope does (safe), so the figure is the fast path plus the amortised
//! share of the minor collections that empty the nursery when it fills up.
//!
//! Run: `cargo bench -p thicket-gc --bench alloc`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;
use thicket_gc::{GcConfig, Heap, TypeDesc};

/// Objects allocated per measured iteration.
const BATCH: u64 = 1000;

fn alloc(c: &mut Criterion) {
    let mut heap = Heap::new(GcConfig {
        verify: false,
        ..GcConfig::default()
    })
    .expect("heap");
    let node = heap
        .register(TypeDesc::fixed("node", 24, &[8, 16]))
        .expect("layout");
    let nursery = heap.config().nursery_size >> 20;

    let mut g = c.benchmark_group("alloc");
    g.throughput(Throughput::Elements(BATCH));
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));

    heap.scope(|s| {
        g.bench_function(BenchmarkId::new("raw", format!("{nursery}MiB")), |b| {
            b.iter(|| {
                for _ in 0..BATCH {
                    // SAFETY: no reference is kept across the allocation: each new object
                    // is dropped (it becomes garbage at once).
                    let r = unsafe { s.alloc_raw(node, 0, false) };
                    black_box(r.expect("allocation"));
                }
            })
        });
        g.bench_function(BenchmarkId::new("safe", format!("{nursery}MiB")), |b| {
            b.iter(|| {
                s.scope(|s| {
                    for _ in 0..BATCH {
                        black_box(s.alloc(node).expect("allocation"));
                    }
                })
            })
        });
        // Non-moving allocation straight into the old space's size classes (what
        // handles and extension objects use): no malloc per object. The objects are
        // garbage at once; major collections reclaim them as the old space grows.
        g.bench_function(BenchmarkId::new("nonmoving", "old space"), |b| {
            b.iter(|| {
                for _ in 0..BATCH {
                    // SAFETY: no reference is kept across the allocation.
                    let r = unsafe { s.alloc_nonmoving_raw(node, 0) };
                    black_box(r.expect("allocation"));
                }
            })
        });
    });
    g.finish();
    eprintln!("alloc: {}", heap.stats());
}

criterion_group!(benches, alloc);
criterion_main!(benches);
