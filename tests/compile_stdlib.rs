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

#[test]
fn compiles_the_standard_library() {
    let root = Path::new(STDLIB);
    if !root.is_dir() {
        eprintln!("{STDLIB} not found: skipped");
        return;
    }
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    let (mut ok, mut refused, mut syntax, mut unreadable) = (0, 0, 0, 0);
    let mut refusals: std::collections::BTreeMap<String, usize> = Default::default();
    let mut failures = Vec::new();
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            unreadable += 1;
            continue;
        };
        let Ok(src) = String::from_utf8(bytes) else {
            unreadable += 1;
            continue;
        };
        let name = f.display().to_string();
        let result = std::panic::catch_unwind(|| compile_module(&src, &name));
        match result {
            Err(_) => failures.push(format!("{name}: panicked")),
            Ok(Ok(code)) => {
                ok += 1;
                if let Err(e) = stack::verify(&code) {
                    failures.push(format!("{name}: verifier: {e}"));
                }
            }
            Ok(Err(e)) => {
                if e.line == 0 || e.col == 0 {
                    failures.push(format!("{name}: error without a position: {e}"));
                }
                if e.msg.contains("internal compiler error") {
                    failures.push(format!("{name}: {}: {}", e.line, e.msg));
                } else if e.msg.contains("is not supported by thicket") {
                    refused += 1;
                    *refusals.entry(e.msg.clone()).or_default() += 1;
                } else {
                    syntax += 1;
                    eprintln!("syntax error: {name}:{}:{}: {}", e.line, e.col, e.msg);
                }
            }
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
