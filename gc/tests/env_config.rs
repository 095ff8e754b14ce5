//! Configuration from `THICKET_GC_*` variables (`GcConfig::with_env_from`).
//!
//! Sizes accept plain bytes and `K`/`M`/`G` suffixes (powers of 1024, any case, an
//! optional `B`, surrounding blanks); factors must be finite and above 1.0; flags accept
//! 1/0, true/false, yes/no, on/off. A malformed value is an error naming the variable
//! and quoting the value, never ignored. Special values: `THICKET_GC_MAX=0` means no
//! limit, `THICKET_GC_STRESS_MINOR=0` turns stress off, and a nursery override moves the
//! minimum heap size along unless that is overridden too. The tests supply their own
//! environment (a closure), so they never touch the process environment.

use std::cell::RefCell;
use std::collections::HashMap;
use thicket_gc::{ConfigError, GcConfig, Heap};

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

fn with(pairs: &[(&str, &str)]) -> Result<GcConfig, ConfigError> {
    GcConfig::default().with_env_from(env(pairs))
}

const SIZE_VARS: [&str; 5] = [
    "THICKET_GC_NURSERY",
    "THICKET_GC_MIN",
    "THICKET_GC_MAX",
    "THICKET_GC_MAX_DELTA",
    "THICKET_GC_SHADOW_STACK",
];

#[test]
fn empty_environment_changes_nothing() {
    assert_eq!(with(&[]).unwrap(), GcConfig::default());
}

#[test]
fn every_documented_variable_is_read() {
    let asked = RefCell::new(Vec::<String>::new());
    GcConfig::default()
        .with_env_from(|k| {
            asked.borrow_mut().push(k.to_string());
            None
        })
        .unwrap();
    let asked = asked.into_inner();
    for var in SIZE_VARS.iter().chain(&[
        "THICKET_GC_MAJOR_COLLECT",
        "THICKET_GC_GROWTH",
        "THICKET_GC_STRESS_MINOR",
        "THICKET_GC_POISON",
        "THICKET_GC_VERIFY",
    ]) {
        assert!(asked.iter().any(|a| a == var), "{var} is never read");
    }
    assert!(
        asked.iter().all(|a| a.starts_with("THICKET_GC_")),
        "{asked:?}"
    );
}

#[test]
fn sizes_with_suffixes() {
    let cases: [(&str, usize); 12] = [
        ("4096", 4096),
        ("64K", 64 << 10),
        ("64k", 64 << 10),
        ("3M", 3 << 20),
        ("3m", 3 << 20),
        ("2G", 2 << 30),
        ("2g", 2 << 30),
        ("4MB", 4 << 20),
        ("8kb", 8 << 10),
        ("1Gb", 1 << 30),
        (" 12M ", 12 << 20),
        ("0K", 0),
    ];
    for (text, bytes) in cases {
        let c = with(&[
            ("THICKET_GC_MAX_DELTA", text),
            ("THICKET_GC_SHADOW_STACK", text),
        ])
        .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(c.max_delta, bytes, "{text:?}");
        assert_eq!(c.shadow_stack_slots, bytes, "{text:?}");
    }
}

#[test]
fn nursery_and_minimum_heap() {
    let c = with(&[("THICKET_GC_NURSERY", "1M")]).unwrap();
    assert_eq!(c.nursery_size, 1 << 20);
    assert_eq!(
        c.min_heap_size,
        8 << 20,
        "the minimum heap follows the nursery"
    );
    let c = with(&[("THICKET_GC_NURSERY", "1M"), ("THICKET_GC_MIN", "3M")]).unwrap();
    assert_eq!(c.nursery_size, 1 << 20);
    assert_eq!(c.min_heap_size, 3 << 20, "an explicit minimum wins");
    let c = with(&[("THICKET_GC_MIN", "5M")]).unwrap();
    assert_eq!(c.min_heap_size, 5 << 20);
    assert_eq!(c.nursery_size, GcConfig::default().nursery_size);
}

#[test]
fn limit_zero_means_unlimited() {
    assert_eq!(
        with(&[("THICKET_GC_MAX", "64M")]).unwrap().max_heap_size,
        Some(64 << 20)
    );
    assert_eq!(
        with(&[("THICKET_GC_MAX", "0")]).unwrap().max_heap_size,
        None
    );
}

#[test]
fn factors_and_flags() {
    let c = with(&[
        ("THICKET_GC_MAJOR_COLLECT", "2.5"),
        ("THICKET_GC_GROWTH", " 1.1 "),
        ("THICKET_GC_STRESS_MINOR", "7"),
        ("THICKET_GC_POISON", "yes"),
        ("THICKET_GC_VERIFY", "off"),
    ])
    .unwrap();
    assert_eq!(c.major_collection_threshold, 2.5);
    assert_eq!(c.growth_rate_max, 1.1);
    assert_eq!(c.stress_minor_every, Some(7));
    assert!(c.poison_nursery);
    assert!(!c.verify);
    for (text, value) in [
        ("1", true),
        ("true", true),
        ("on", true),
        ("0", false),
        ("false", false),
        ("no", false),
        ("", false),
    ] {
        let c = with(&[("THICKET_GC_POISON", text)]).unwrap();
        assert_eq!(c.poison_nursery, value, "{text:?}");
    }
    let c = with(&[("THICKET_GC_STRESS_MINOR", "0")]).unwrap();
    assert_eq!(c.stress_minor_every, None, "0 turns stress off");
}

fn expect_error(var: &str, value: &str, expected: &str) {
    let e = with(&[(var, value)]).expect_err(&format!("{var}={value:?} accepted"));
    assert_eq!(e.var, var);
    assert_eq!(e.value, value);
    let msg = e.to_string();
    assert!(
        msg.contains(var) && msg.contains(&format!("{value:?}")) && msg.contains(expected),
        "{var}={value:?}: {msg}"
    );
}

#[test]
fn malformed_values_are_errors_naming_the_variable() {
    for var in SIZE_VARS {
        for bad in [
            "",
            "x",
            "12Q",
            "-1",
            "1.5M",
            "M",
            "K4",
            "99999999999999999999G",
            "3 M B",
        ] {
            expect_error(var, bad, "size");
        }
    }
    for var in ["THICKET_GC_MAJOR_COLLECT", "THICKET_GC_GROWTH"] {
        for bad in ["1.0", "0.5", "-2", "abc", "inf", "NaN", ""] {
            expect_error(var, bad, "greater than 1.0");
        }
    }
    for var in ["THICKET_GC_POISON", "THICKET_GC_VERIFY"] {
        for bad in ["2", "maybe", "TRUE!"] {
            expect_error(var, bad, "0 or 1");
        }
    }
    for bad in ["-3", "x", "1e3"] {
        expect_error("THICKET_GC_STRESS_MINOR", bad, "number of allocations");
    }
}

#[test]
fn first_error_wins_and_good_values_elsewhere_do_not_hide_it() {
    let e = with(&[("THICKET_GC_NURSERY", "1M"), ("THICKET_GC_MAX", "lots")]).unwrap_err();
    assert_eq!(e.var, "THICKET_GC_MAX");
}

#[test]
fn heap_from_an_env_config() {
    let c = GcConfig {
        verify: true,
        ..with(&[("THICKET_GC_NURSERY", "512K"), ("THICKET_GC_MAX", "64M")]).unwrap()
    };
    let heap = Heap::new(c).unwrap();
    assert_eq!(heap.stats().nursery_size, 512 << 10);
    assert_eq!(heap.config().max_heap_size, Some(64 << 20));
    assert_eq!(heap.stats().next_major_threshold, 4 << 20);
}

#[test]
fn stress_preset() {
    let c = GcConfig::stress(3);
    assert_eq!(c.stress_minor_every, Some(3));
    assert!(c.poison_nursery && c.verify);
}
