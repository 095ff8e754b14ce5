//! The collector's configuration: one struct, PyPy-like defaults, and `THICKET_GC_*`
//! environment overrides.
//!
//! [`GcConfig::default()`] gives the built-in defaults; [`GcConfig::from_env()`] starts
//! from them and applies the environment. Every size accepts `K`, `M` and `G` suffixes
//! (powers of 1024, case-insensitive, an optional trailing `B`). A malformed variable is
//! an error naming the variable, never silently ignored.
//!
//! | variable | field |
//! |---|---|
//! | `THICKET_GC_NURSERY` | [`GcConfig::nursery_size`] |
//! | `THICKET_GC_MAJOR_COLLECT` | [`GcConfig::major_collection_threshold`] |
//! | `THICKET_GC_GROWTH` | [`GcConfig::growth_rate_max`] |
//! | `THICKET_GC_MIN` | [`GcConfig::min_heap_size`] |
//! | `THICKET_GC_MAX` | [`GcConfig::max_heap_size`] |
//! | `THICKET_GC_MAX_DELTA` | [`GcConfig::max_delta`] |
//! | `THICKET_GC_INCREMENTAL` | [`GcConfig::incremental`] |
//! | `THICKET_GC_INCREMENT_STEP` | [`GcConfig::increment_step`] |
//! | `THICKET_GC_STRESS_MINOR` | [`GcConfig::stress_minor_every`] |
//! | `THICKET_GC_POISON` | [`GcConfig::poison_nursery`] |
//! | `THICKET_GC_VERIFY` | [`GcConfig::verify`] |
//! | `THICKET_GC_SHADOW_STACK` | [`GcConfig::shadow_stack_slots`] |

use std::fmt;

/// Nursery size used when the cache size cannot be read (PyPy's `NURSERY_SIZE_UNKNOWN_CACHE`).
pub const DEFAULT_NURSERY_SIZE: usize = 4 << 20;
/// The smallest nursery we accept: it must hold at least a couple of non-large objects.
pub const MIN_NURSERY_SIZE: usize = 64 << 10;
/// Upper bound for the cache-derived default. Virtual machines sometimes report absurd
/// last-level caches (this project's CI machine claims 504 MiB); half of that would be a
/// nursery far larger than any real cache.
pub const MAX_DEFAULT_NURSERY_SIZE: usize = 32 << 20;

/// Every tunable of the collector.
#[derive(Clone, Debug, PartialEq)]
pub struct GcConfig {
    /// Bytes of the nursery (young generation). Default: half the last-level cache if
    /// that is over 8 MiB (capped at [`MAX_DEFAULT_NURSERY_SIZE`]), else 4 MiB.
    pub nursery_size: usize,
    /// A major collection starts when the old generation reaches the size it had after the
    /// previous major collection times this factor (PyPy: 1.82).
    pub major_collection_threshold: f64,
    /// The threshold grows at most by this factor from one major collection to the next
    /// (PyPy: 1.4).
    pub growth_rate_max: f64,
    /// No major collection while the old generation is smaller than this (PyPy: 8 × nursery).
    pub min_heap_size: usize,
    /// Hard limit on the old generation plus the nursery. Allocation past it, after a full
    /// collection, fails with [`crate::AllocError::HeapLimit`]. `None`: unlimited.
    pub max_heap_size: Option<usize>,
    /// The threshold is never more than this many bytes above the live size (PyPy: RAM/8).
    pub max_delta: usize,
    /// Incremental major collection: a cycle advances by one bounded step after each
    /// minor collection. `false`: major collections stop the world.
    pub incremental: bool,
    /// Bytes of marking per incremental step (at least four times what the minor collection
    /// before it promoted). Default: a quarter of the nursery.
    pub increment_step: usize,
    /// Stress mode: when `Some(n)`, a minor collection runs every `n` allocations.
    pub stress_minor_every: Option<u64>,
    /// Stress mode: fill the nursery with a poison pattern after every minor collection,
    /// so that a stale pointer into it is caught by the verifier instead of reading
    /// plausible old data.
    pub poison_nursery: bool,
    /// Run the heap verifier before and after every collection. Default: on in debug
    /// builds, off in release builds.
    pub verify: bool,
    /// Capacity of the shadow stack in slots.
    pub shadow_stack_slots: usize,
    /// Collections only at safepoints: allocation never collects. When the nursery is
    /// full (or a stress-mode count runs out), allocation goes on in the old generation
    /// and a collection is requested; [`crate::Heap::safepoint`] runs it. A runtime
    /// whose native code holds raw references between safepoints sets this (the
    /// interpreter does). Not settable from the environment: it is the runtime's
    /// contract, not a tuning knob.
    pub collect_at_safepoints_only: bool,
}

impl Default for GcConfig {
    fn default() -> Self {
        let nursery = default_nursery_size();
        GcConfig {
            nursery_size: nursery,
            major_collection_threshold: 1.82,
            growth_rate_max: 1.4,
            min_heap_size: 8 * nursery,
            max_heap_size: None,
            max_delta: physical_memory().map_or(1 << 30, |m| m / 8),
            incremental: true,
            increment_step: nursery / 4,
            stress_minor_every: None,
            poison_nursery: false,
            verify: cfg!(debug_assertions),
            shadow_stack_slots: 1 << 20,
            collect_at_safepoints_only: false,
        }
    }
}

/// A `THICKET_GC_*` variable that could not be understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The variable's name.
    pub var: String,
    /// Its value as found.
    pub value: String,
    /// What was expected.
    pub expected: &'static str,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={:?}: expected {}",
            self.var, self.value, self.expected
        )
    }
}

impl std::error::Error for ConfigError {}

impl GcConfig {
    /// The defaults with every `THICKET_GC_*` variable of the process applied.
    pub fn from_env() -> Result<GcConfig, ConfigError> {
        Self::default().with_env_from(|k| std::env::var(k).ok())
    }

    /// Applies overrides read through `get` (a variable name to its value), so that tests
    /// can supply an environment of their own. When the nursery is overridden and the
    /// minimum heap is not, the minimum heap follows the nursery (8 ×).
    pub fn with_env_from(
        mut self,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<GcConfig, ConfigError> {
        let size = |var: &str| -> Result<Option<usize>, ConfigError> {
            get(var)
                .map(|v| {
                    parse_size(&v).ok_or(ConfigError {
                        var: var.into(),
                        value: v,
                        expected: "a size such as 4M, 512K or 1G",
                    })
                })
                .transpose()
        };
        let factor = |var: &str| -> Result<Option<f64>, ConfigError> {
            get(var)
                .map(|v| match v.trim().parse::<f64>() {
                    Ok(f) if f > 1.0 && f.is_finite() => Ok(f),
                    _ => Err(ConfigError {
                        var: var.into(),
                        value: v,
                        expected: "a factor greater than 1.0",
                    }),
                })
                .transpose()
        };
        let flag = |var: &str| -> Result<Option<bool>, ConfigError> {
            get(var)
                .map(|v| match v.trim() {
                    "1" | "true" | "yes" | "on" => Ok(true),
                    "0" | "false" | "no" | "off" | "" => Ok(false),
                    _ => Err(ConfigError {
                        var: var.into(),
                        value: v,
                        expected: "0 or 1",
                    }),
                })
                .transpose()
        };
        if let Some(n) = size("THICKET_GC_NURSERY")? {
            self.nursery_size = n;
            self.min_heap_size = 8 * n;
            self.increment_step = n / 4;
        }
        if let Some(b) = flag("THICKET_GC_INCREMENTAL")? {
            self.incremental = b;
        }
        if let Some(n) = size("THICKET_GC_INCREMENT_STEP")? {
            self.increment_step = n;
        }
        if let Some(f) = factor("THICKET_GC_MAJOR_COLLECT")? {
            self.major_collection_threshold = f;
        }
        if let Some(f) = factor("THICKET_GC_GROWTH")? {
            self.growth_rate_max = f;
        }
        if let Some(n) = size("THICKET_GC_MIN")? {
            self.min_heap_size = n;
        }
        if let Some(n) = size("THICKET_GC_MAX")? {
            self.max_heap_size = if n == 0 { None } else { Some(n) };
        }
        if let Some(n) = size("THICKET_GC_MAX_DELTA")? {
            self.max_delta = n;
        }
        if let Some(v) = get("THICKET_GC_STRESS_MINOR") {
            let n: u64 = v.trim().parse().map_err(|_| ConfigError {
                var: "THICKET_GC_STRESS_MINOR".into(),
                value: v.clone(),
                expected: "a number of allocations (0 turns stress off)",
            })?;
            self.stress_minor_every = if n == 0 { None } else { Some(n) };
        }
        if let Some(b) = flag("THICKET_GC_POISON")? {
            self.poison_nursery = b;
        }
        if let Some(b) = flag("THICKET_GC_VERIFY")? {
            self.verify = b;
        }
        if let Some(n) = size("THICKET_GC_SHADOW_STACK")? {
            self.shadow_stack_slots = n;
        }
        Ok(self)
    }

    /// Applies the debug overrides `THICKET_GC_STRESS_MINOR`, `THICKET_GC_POISON` and
    /// `THICKET_GC_VERIFY` from the process environment. [`crate::Heap::new`] calls this
    /// for every heap, whatever its configuration, so that a whole program or test suite
    /// runs under the stress modes when they are set. A malformed value panics with a
    /// message naming the variable (a debugging run should not go on half-configured).
    pub fn with_debug_env(self) -> GcConfig {
        let get = |k: &str| {
            matches!(
                k,
                "THICKET_GC_STRESS_MINOR" | "THICKET_GC_POISON" | "THICKET_GC_VERIFY"
            )
            .then(|| std::env::var(k).ok())
            .flatten()
        };
        match self.with_env_from(get) {
            Ok(c) => c,
            Err(e) => panic!("thicket-gc: {e}"),
        }
    }

    /// The stress configuration used by the test suites: a minor collection every
    /// `every` allocations, a poisoned nursery and verification after each collection.
    pub fn stress(every: u64) -> GcConfig {
        GcConfig {
            stress_minor_every: Some(every),
            poison_nursery: true,
            verify: true,
            ..GcConfig::default()
        }
    }
}

/// Parses `4096`, `64K`, `4M`, `1G`, `4MB` (powers of 1024). `None` when malformed or
/// when the value overflows.
pub fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let s = s
        .strip_suffix('B')
        .or_else(|| s.strip_suffix('b'))
        .unwrap_or(s);
    let (digits, shift) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 10),
        'm' | 'M' => (&s[..s.len() - 1], 20),
        'g' | 'G' => (&s[..s.len() - 1], 30),
        _ => (s, 0),
    };
    let n: usize = digits.trim().parse().ok()?;
    n.checked_mul(1usize << shift)
}

/// PyPy's rule: half the last-level cache when it is over 8 MiB, else 4 MiB; capped at
/// [`MAX_DEFAULT_NURSERY_SIZE`].
pub fn default_nursery_size() -> usize {
    match last_level_cache_size() {
        Some(llc) if llc > 8 << 20 => (llc / 2).min(MAX_DEFAULT_NURSERY_SIZE),
        _ => DEFAULT_NURSERY_SIZE,
    }
}

/// The largest data or unified cache of CPU 0, from sysfs (Linux). `None` elsewhere.
pub fn last_level_cache_size() -> Option<usize> {
    let mut best = None;
    for index in 0..8 {
        let dir = format!("/sys/devices/system/cpu/cpu0/cache/index{index}");
        let Ok(kind) = std::fs::read_to_string(format!("{dir}/type")) else {
            break;
        };
        if kind.trim() == "Instruction" {
            continue;
        }
        if let Some(size) = std::fs::read_to_string(format!("{dir}/size"))
            .ok()
            .and_then(|s| parse_size(&s))
        {
            best = best.max(Some(size));
        }
    }
    best
}

fn physical_memory() -> Option<usize> {
    // SAFETY: sysconf has no preconditions; it returns -1 for unknown names.
    let (pages, page) = unsafe {
        (
            libc::sysconf(libc::_SC_PHYS_PAGES),
            libc::sysconf(libc::_SC_PAGESIZE),
        )
    };
    (pages > 0 && page > 0).then(|| pages as usize * page as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_suffixes() {
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("64K"), Some(64 << 10));
        assert_eq!(parse_size("4m"), Some(4 << 20));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("4MB"), Some(4 << 20));
        assert_eq!(parse_size(" 8kb "), Some(8 << 10));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(parse_size("99999999999999999999G"), None);
    }

    #[test]
    fn env_overrides_apply_and_errors_name_the_variable() {
        let env = |k: &str| match k {
            "THICKET_GC_NURSERY" => Some("1M".to_string()),
            "THICKET_GC_STRESS_MINOR" => Some("7".to_string()),
            "THICKET_GC_POISON" => Some("1".to_string()),
            _ => None,
        };
        let c = GcConfig::default().with_env_from(env).unwrap();
        assert_eq!(c.nursery_size, 1 << 20);
        assert_eq!(c.min_heap_size, 8 << 20);
        assert_eq!(c.stress_minor_every, Some(7));
        assert!(c.poison_nursery);

        let bad = |k: &str| (k == "THICKET_GC_GROWTH").then(|| "0.5".to_string());
        let e = GcConfig::default().with_env_from(bad).unwrap_err();
        assert_eq!(e.var, "THICKET_GC_GROWTH");
        assert!(e.to_string().contains("greater than 1.0"));
    }

    #[test]
    fn default_nursery_is_sane() {
        let n = default_nursery_size();
        assert!((DEFAULT_NURSERY_SIZE..=MAX_DEFAULT_NURSERY_SIZE).contains(&n));
    }
}
