//! The `thicket` command end to end: the demo runs and checks itself, bad arguments are
//! refused with a usage message, and `run` says the interpreter is not there yet.

use std::process::Command;

/// The command, without any `THICKET_GC_*` setting inherited from the test run (the
/// suite's stress pass sets some; each test sets what it wants).
fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_thicket"));
    for (k, _) in std::env::vars() {
        if k.starts_with("THICKET_GC_") {
            c.env_remove(k);
        }
    }
    c
}

fn thicket(args: &[&str]) -> std::process::Output {
    command()
        .args(args)
        .output()
        .expect("the thicket binary runs")
}

#[test]
fn demo_checks_its_structure_and_prints_statistics() {
    let out = thicket(&["demo", "60000"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("checked against a plain mirror"),
        "{stdout}"
    );
    assert!(stdout.contains("minor collections:"), "{stdout}");
    assert!(stdout.contains("major collections:"), "{stdout}");
}

#[test]
fn demo_survives_the_stress_modes() {
    let out = command()
        .args(["demo", "1000"])
        .env("THICKET_GC_STRESS_MINOR", "5")
        .env("THICKET_GC_POISON", "1")
        .env("THICKET_GC_VERIFY", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One minor collection per five allocations; three nursery allocations per
    // replacement (the table itself is a large object).
    let minors: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("minor collections: "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a minor-collection count");
    assert!(minors >= 600, "{stdout}");
}

#[test]
fn bad_arguments_are_refused_with_usage() {
    let out = thicket(&["demo", "many"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: thicket demo"));
    let out = thicket(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_gc_environment_is_reported_not_ignored() {
    let out = command()
        .args(["demo", "10"])
        .env("THICKET_GC_NURSERY", "lots")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("THICKET_GC_NURSERY"));
}

#[test]
fn run_says_the_interpreter_is_not_built_yet() {
    let out = thicket(&["run", "x.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not built yet"));
}
