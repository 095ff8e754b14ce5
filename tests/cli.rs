//! The `thicket` command end to end: the interpreter demo runs and prints GC figures,
//! the collector demo (`gc-demo`) checks itself, `run`/`-c` run programs and report
//! uncaught exceptions and syntax errors as CPython does, and bad arguments are refused
//! with a usage message.

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
    let out = thicket(&["gc-demo", "60000"]);
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
        .args(["gc-demo", "1000"])
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
    let out = thicket(&["gc-demo", "many"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: thicket"));
    let out = thicket(&["-c"]);
    assert_eq!(out.status.code(), Some(2));
    let out = thicket(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_gc_environment_is_reported_not_ignored() {
    let out = command()
        .args(["-c", "pass"])
        .env("THICKET_GC_NURSERY", "lots")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("THICKET_GC_NURSERY"));
}

#[test]
fn interpreter_demo_prints_gc_statistics() {
    let out = thicket(&["demo", "1"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stderr: {stderr}");
    assert!(
        stdout.contains("long-lived tree still has 32767 nodes"),
        "{stdout}"
    );
    assert!(stdout.contains("gc.minor_collections"), "{stdout}");
    assert!(stderr.contains("minor collections:"), "{stderr}");
}

#[test]
fn run_and_c_run_programs_with_arguments() {
    let dir = std::env::temp_dir().join(format!("thicket-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("args.py");
    std::fs::write(&f, "import sys\nprint(sys.argv[1:], len(sys.argv))\n").unwrap();
    let out = thicket(&["run", f.to_str().unwrap(), "a", "b"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "['a', 'b'] 3\n");
    let out = thicket(&["-c", "print(6 * 7)"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "42\n");
    assert!(out.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn uncaught_exception_prints_traceback_and_exits_1() {
    let out = thicket(&[
        "-c",
        "def f(x):\n    return 1 // x\nprint('before')\nf(0)\n",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "before\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("Traceback (most recent call last):\n"),
        "{err}"
    );
    assert!(err.contains("line 4, in <module>"), "{err}");
    assert!(err.contains("line 2, in f"), "{err}");
    assert!(
        err.ends_with("ZeroDivisionError: integer division or modulo by zero\n"),
        "{err}"
    );
}

#[test]
fn unsupported_syntax_is_a_clear_syntax_error() {
    let out = thicket(&["-c", "x = 1\nmatch x:\n    case 1:\n        pass\n"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
    assert!(
        err.contains("SyntaxError: 'match' statement is not supported by thicket")
            || err.contains("SyntaxError") && err.contains("match"),
        "{err}"
    );
    let out = thicket(&["-c", "async def f():\n    pass\n"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'async def' is not supported"));
}
