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
    /// Longest single pause (a minor collection with the major-collection work that
    /// followed it, or an explicit collection).
    pub max_pause: Duration,
    /// Every pause, as a histogram.
    pub pauses: PauseHistogram,
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

/// Sub-buckets per power of two: bucket bounds are within 1/16 (6.25%) of each other.
const SUB: u32 = 16;
const BUCKETS: usize = 64 * SUB as usize;

/// A log-scale histogram of pause durations, with 16 buckets per power of two of
/// nanoseconds: recording is a few instructions, percentiles are accurate to about 6%.
#[derive(Clone, PartialEq)]
pub struct PauseHistogram {
    counts: Box<[u32]>,
    total: u64,
    max_ns: u64,
}

impl Default for PauseHistogram {
    fn default() -> Self {
        PauseHistogram {
            counts: vec![0; BUCKETS].into_boxed_slice(),
            total: 0,
            max_ns: 0,
        }
    }
}

impl fmt::Debug for PauseHistogram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PauseHistogram {{ count: {}, p50: {:?}, p99: {:?}, max: {:?} }}",
            self.total,
            self.percentile(50.0),
            self.percentile(99.0),
            Duration::from_nanos(self.max_ns)
        )
    }
}

fn bucket_of(ns: u64) -> usize {
    if ns < SUB as u64 {
        return ns as usize;
    }
    let octave = 63 - ns.leading_zeros();
    let sub = (ns >> (octave - 4)) & (SUB as u64 - 1);
    (octave * SUB) as usize + sub as usize
}

/// The largest duration that falls in bucket `b`.
fn bucket_upper(b: usize) -> u64 {
    if b < SUB as usize {
        return b as u64;
    }
    let octave = b as u32 / SUB;
    let sub = b as u64 % SUB as u64;
    let step = 1u64 << (octave - 4);
    (1u64 << octave) + (sub + 1) * step - 1
}

impl PauseHistogram {
    /// Adds one pause.
    pub fn record(&mut self, d: Duration) {
        let ns = d.as_nanos().min(u64::MAX as u128) as u64;
        self.counts[bucket_of(ns)] += 1;
        self.total += 1;
        self.max_ns = self.max_ns.max(ns);
    }

    /// Number of pauses recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The duration below which `p` percent of the pauses fall (the upper bound of the
    /// bucket that holds that rank, never more than the longest pause). Zero if empty.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.total == 0 {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.total as f64).ceil().max(1.0) as u64;
        let mut seen = 0u64;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c as u64;
            if seen >= rank {
                return Duration::from_nanos(bucket_upper(b).min(self.max_ns));
            }
        }
        Duration::from_nanos(self.max_ns)
    }

    /// The longest pause.
    pub fn max(&self) -> Duration {
        Duration::from_nanos(self.max_ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_within_the_bucket_precision() {
        let mut h = PauseHistogram::default();
        for us in 1..=1000u64 {
            h.record(Duration::from_micros(us));
        }
        for (p, want_us) in [(50.0, 500.0), (90.0, 900.0), (99.0, 990.0)] {
            let got = h.percentile(p).as_secs_f64() * 1e6;
            assert!(
                got >= want_us && got <= want_us * 1.07,
                "p{p}: got {got} us, want about {want_us} us"
            );
        }
        assert_eq!(h.percentile(100.0), Duration::from_micros(1000));
        assert_eq!(h.count(), 1000);
    }

    #[test]
    fn buckets_are_monotonic() {
        let mut last = 0;
        for ns in (1..100_000u64).step_by(7) {
            let b = bucket_of(ns);
            assert!(b >= last);
            assert!(
                bucket_upper(b) >= ns,
                "ns {ns} bucket {b} upper {}",
                bucket_upper(b)
            );
            last = b;
        }
    }
}
