//! The `--gc-stats` summary: collections, pauses and memory of a run.

use crate::vm::Vm;

/// A human-readable summary of the heap's statistics.
pub fn summary(vm: &Vm) -> String {
    let s = vm.sp.heap.stats();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    format!(
        "-- thicket GC statistics --\n\
         minor collections: {} ({:.1} ms total)\n\
         major collections: {} ({:.1} ms total)\n\
         pauses: {} (p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms)\n\
         allocated: {:.1} MiB, promoted: {:.1} MiB, freed: {:.1} MiB\n\
         old generation: {:.1} MiB now, {:.1} MiB peak; mapped {:.1} MiB; nursery {:.1} MiB\n",
        s.minor_collections,
        ms(s.minor_time),
        s.major_collections,
        ms(s.major_time),
        s.pauses.count(),
        ms(s.pauses.percentile(50.0)),
        ms(s.pauses.percentile(99.0)),
        ms(s.pauses.max()),
        mib(s.bytes_allocated),
        mib(s.bytes_promoted),
        mib(s.bytes_freed),
        mib(s.old_bytes as u64),
        mib(s.peak_old_bytes as u64),
        mib(s.mapped_bytes as u64),
        mib(s.nursery_size as u64),
    )
}
