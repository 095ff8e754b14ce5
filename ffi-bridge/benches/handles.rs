//! Handle table costs: `new_handle` + `from_handle` (+ the `close` the handle object's
//! destructor would do) as a round trip, and `from_handle` alone.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use thicket_ffi_bridge::HandleTable;
use thicket_gc::{GcConfig, Heap, TypeDesc};

fn handles(c: &mut Criterion) {
    let mut heap = Heap::new(GcConfig::default()).unwrap();
    let t = heap.register(TypeDesc::fixed("obj", 16, &[])).unwrap();
    let table = HandleTable::new(&mut heap);
    // SAFETY: no collection runs during the benchmark (nothing else allocates), and the
    // object is rooted by the table below.
    let obj = unsafe { heap.alloc_raw(t, 0, false) }.unwrap();
    // Some open handles around, as in a real program.
    let keep: Vec<_> = (0..1000).map(|_| table.new_handle(obj).unwrap()).collect();
    c.bench_function("new_handle + from_handle + close", |b| {
        b.iter(|| {
            let h = table.new_handle(black_box(obj)).unwrap();
            let o = table.from_handle(black_box(h)).unwrap();
            table.close(h).unwrap();
            o
        })
    });
    let h = keep[500];
    c.bench_function("from_handle", |b| {
        b.iter(|| table.from_handle(black_box(h)).unwrap())
    });
}

criterion_group!(benches, handles);
criterion_main!(benches);
