//! The differential corpus: every program in `tests/programs/` (except the `mod_*`
//! helper modules it imports) runs on CPython 3.11 (`python3`) and on `thicket run`;
//! stdout and the exit status must be identical, and for a failing program the last
//! line of stderr (the exception line) too.
//!
//! The GC stress modes apply through the environment: `scripts/test-all.sh` runs this
//! test again with `THICKET_GC_STRESS_MINOR` and `THICKET_GC_POISON` set, which the
//! interpreter processes inherit. `THICKET_PROGRAMS=name1,name2` restricts the run.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Outcome {
    stdout: String,
    status: i32,
    last_err: String,
}

fn run(cmd: &mut Command, dir: &Path) -> Outcome {
    let out = cmd.current_dir(dir).output().expect("spawn");
    let stderr = String::from_utf8_lossy(&out.stderr);
    Outcome {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        status: out.status.code().unwrap_or(-1),
        last_err: stderr.lines().last().unwrap_or("").to_owned(),
    }
}

fn programs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs");
    let only: Option<Vec<String>> = std::env::var("THICKET_PROGRAMS")
        .ok()
        .map(|s| s.split(',').map(|x| x.trim().to_owned()).collect());
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/programs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with("mod_"))
        .filter(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            only.as_ref().is_none_or(|o| o.contains(&stem))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_matches_cpython() {
    let python = std::env::var("THICKET_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let version = Command::new(&python)
        .args(["-c", "import sys; print(sys.version_info[:2])"])
        .output()
        .unwrap_or_else(|e| panic!("the corpus needs CPython 3.11 as `{python}`: {e}"));
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    assert_eq!(
        version, "(3, 11)",
        "the corpus is compared against CPython 3.11"
    );
    let thicket = env!("CARGO_BIN_EXE_thicket");
    let progs = programs();
    assert!(!progs.is_empty(), "no programs found");
    let failures = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(p) = progs.get(i) else { break };
                let dir = p.parent().unwrap();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let want = run(
                    Command::new(&python).arg(&name).env("PYTHONHASHSEED", "0"),
                    dir,
                );
                let got = run(Command::new(thicket).arg("run").arg(&name), dir);
                let mut why = Vec::new();
                if got.stdout != want.stdout {
                    let (w, g): (Vec<&str>, Vec<&str>) =
                        (want.stdout.lines().collect(), got.stdout.lines().collect());
                    let at = w
                        .iter()
                        .zip(&g)
                        .position(|(a, b)| a != b)
                        .unwrap_or(w.len().min(g.len()));
                    why.push(format!(
                        "stdout differs at line {}: expected {:?}, got {:?}",
                        at + 1,
                        w.get(at).copied().unwrap_or("<end>"),
                        g.get(at).copied().unwrap_or("<end>")
                    ));
                }
                if got.status != want.status {
                    why.push(format!(
                        "exit status {} (expected {})",
                        got.status, want.status
                    ));
                }
                if want.status != 0 && got.last_err != want.last_err {
                    why.push(format!(
                        "last stderr line {:?} (expected {:?})",
                        got.last_err, want.last_err
                    ));
                }
                if !why.is_empty() {
                    if got.status != want.status || got.stdout != want.stdout {
                        why.push(format!("thicket stderr ends with: {:?}", got.last_err));
                    }
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("{name}: {}", why.join("; ")));
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} programs differ from CPython:\n{}",
        failures.len(),
        progs.len(),
        failures.join("\n")
    );
}
