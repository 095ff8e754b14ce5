//! Statistics: what the collector has done, readable at any moment.

use std::fmt;
use std::time::Duration;

/// Counters and figures of one heap since it was created.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GcStats {
    /// Minor collections run.
    pub minor_collections: u64,
    /// Major collections completed.
    pub major_collections: u64,
    /// Total time in minor collections.
    pub minor_time: Duration,
    /// Total time in major collections (marking and sweeping, without the minor
    /// collection that starts each one).
    pub major_time: Duration,
    /// Longest single pause (minor or major).
    pub max_pause: Duration,
    /// Large objects allocated (outside the nursery, young).
    pub large_objects_allocated: u64,
    /// Objects allocated directly in the non-moving old space.
    pub nonmoving_objects_allocated: u64,
    /// Bytes allocated (nursery, large and old-space allocations), counted at each
    /// collection for the nursery.
    pub bytes_allocated: u64,
    /// Bytes copied or kept out of the nursery by minor collections.
    pub bytes_promoted: u64,
    /// Bytes freed by minor (young large objects) and major collections.
    pub bytes_freed: u64,
    /// Objects freed by major collections.
    pub objects_freed: u64,
    /// Bytes of old objects now (small cells plus large objects).
    pub old_bytes: usize,
    /// Highest value `old_bytes` has had.
    pub peak_old_bytes: usize,
    /// Bytes mapped for the old space's arenas plus large objects now.
    pub mapped_bytes: usize,
    /// Old-space arenas mapped now.
    pub arenas: usize,
    /// Bytes of arenas given back to the operating system.
    pub bytes_returned: u64,
    /// Nursery capacity.
    pub nursery_size: usize,
    /// Old-generation size at which the next major collection starts.
    pub next_major_threshold: usize,
}

impl fmt::Display for GcStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mib = |b: f64| b / (1024.0 * 1024.0);
        writeln!(
            f,
            "minor collections: {} ({:.3} s)",
            self.minor_collections,
            self.minor_time.as_secs_f64()
        )?;
        writeln!(
            f,
            "major collections: {} ({:.3} s)",
            self.major_collections,
            self.major_time.as_secs_f64()
        )?;
        writeln!(
            f,
            "longest pause: {:.3} ms",
            self.max_pause.as_secs_f64() * 1e3
        )?;
        writeln!(f, "allocated: {:.1} MiB", mib(self.bytes_allocated as f64))?;
        writeln!(
            f,
            "promoted: {:.1} MiB; freed: {:.1} MiB",
            mib(self.bytes_promoted as f64),
            mib(self.bytes_freed as f64)
        )?;
        writeln!(
            f,
            "old generation: {:.1} MiB (peak {:.1} MiB, next major at {:.1} MiB)",
            mib(self.old_bytes as f64),
            mib(self.peak_old_bytes as f64),
            mib(self.next_major_threshold as f64)
        )?;
        write!(
            f,
            "mapped: {:.1} MiB; returned to the OS: {:.1} MiB; nursery: {:.1} MiB",
            mib(self.mapped_bytes as f64),
            mib(self.bytes_returned as f64),
            mib(self.nursery_size as f64)
        )
    }
}
