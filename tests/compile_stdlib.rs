//! Robustness test of the compiler over CPython's standard library: every `.py` file
//! under `/root/.pyenv/versions/3.11.7/lib/python3.11/` (skipped when that folder is
//! absent) must compile without panicking, to code objects the stack verifier accepts,
//! or fail with either a clean refusal of an unsupported construct or a genuine
//! syntax error (the library's test data holds deliberately broken files).

use std::path::{Path, PathBuf};
use thicket::compile::{compile_module, stack};

const STDLIB: &str = "/root/.pyenv/versions/3.11.7/lib/python3.11";

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

enum Outcome {
    Ok,
    Unreadable,
    Refused(String),
    Syntax(String),
    Failure(String),
}

fn check(f: &Path) -> Outcome {
    let Ok(bytes) = std::fs::read(f) else {
        return Outcome::Unreadable;
    };
    let Ok(src) = String::from_utf8(bytes) else {
        return Outcome::Unreadable;
    };
    let name = f.display().to_string();
    match std::panic::catch_unwind(|| compile_module(&src, &name)) {
        Err(_) => Outcome::Failure(format!("{name}: panicked")),
        Ok(Ok(code)) => match stack::verify(&code) {
            Ok(()) => Outcome::Ok,
            Err(e) => Outcome::Failure(format!("{name}: verifier: {e}")),
        },
        Ok(Err(e)) => {
            if e.line == 0 || e.col == 0 {
                Outcome::Failure(format!("{name}: error without a position: {e}"))
            } else if e.msg.contains("internal compiler error") {
                Outcome::Failure(format!("{name}:{}: {}", e.line, e.msg))
            } else if e.msg.contains("is not supported by thicket") {
                Outcome::Refused(e.msg)
            } else {
                Outcome::Syntax(format!("{name}:{}:{}: {}", e.line, e.col, e.msg))
            }
        }
    }
}

#[test]
fn compiles_the_standard_library() {
    let root = Path::new(STDLIB);
    if std::env::var_os("THICKET_GC_STRESS_MINOR").is_some() {
        eprintln!("the compiler does not use the collector: skipped in the stress pass");
        return;
    }
    if !root.is_dir() {
        eprintln!("{STDLIB} not found: skipped");
        return;
    }
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    // Compile in parallel: each worker takes every n-th file.
    let workers = std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .min(16);
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let files = &files;
                s.spawn(move || {
                    files
                        .iter()
                        .skip(w)
                        .step_by(workers)
                        .map(|f| check(f))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker finished"))
            .collect()
    });
    let (mut ok, mut refused, mut syntax, mut unreadable) = (0, 0, 0, 0);
    let mut refusals: std::collections::BTreeMap<String, usize> = Default::default();
    let mut failures = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Ok => ok += 1,
            Outcome::Unreadable => unreadable += 1,
            Outcome::Refused(msg) => {
                refused += 1;
                *refusals.entry(msg).or_default() += 1;
            }
            Outcome::Syntax(msg) => {
                syntax += 1;
                eprintln!("syntax error: {msg}");
            }
            Outcome::Failure(msg) => failures.push(msg),
        }
    }
    eprintln!(
        "stdlib: {} files: {ok} compiled, {refused} refused, {syntax} syntax errors, {unreadable} not UTF-8",
        files.len()
    );
    for (msg, n) in &refusals {
        eprintln!("  refused {n:>4}: {msg}");
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
