//! Layout test of the cpyext headers: compiles `layout_probe.c` (sizes and offsets
//! of every public struct and field, bitfield positions, signedness and constant
//! values) once against `cpyext/include` and once against CPython 3.11's own
//! headers, runs both, and requires identical output.
//!
//! The CPython include directory comes from `THICKET_CPYTHON_INCLUDE` if set,
//! otherwise from `python3`'s sysconfig; without CPython 3.11 headers the test
//! fails and says how to get them (`apt-get install python3-dev`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Lines naming the exact CPython release: the reference may be any 3.11.x
/// (Debian ships 3.11.2), so these are checked against 3.11.7 separately.
const RELEASE_KEYS: &[&str] = &["PY_MICRO_VERSION", "PY_VERSION_HEX", "PY_VERSION"];

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// CPython 3.11's include directory, or a panic explaining how to install it.
fn cpython_include() -> PathBuf {
    if let Ok(dir) = std::env::var("THICKET_CPYTHON_INCLUDE") {
        return PathBuf::from(dir);
    }
    let script = "import sys, sysconfig; \
                  print('%d.%d' % sys.version_info[:2]); \
                  print(sysconfig.get_paths()['include'])";
    let out = Command::new("python3").args(["-c", script]).output();
    let out = match out {
        Ok(out) if out.status.success() => out,
        _ => panic!(
            "layout test needs CPython 3.11's headers to compare against, but `python3` \
             could not be run; install python3 and python3-dev (Debian: \
             `apt-get install python3 python3-dev`) or set THICKET_CPYTHON_INCLUDE"
        ),
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let version = lines.next().unwrap_or("").trim().to_string();
    let include = PathBuf::from(lines.next().unwrap_or("").trim());
    assert_eq!(
        version, "3.11",
        "layout test compares against CPython 3.11's headers, but `python3` is {version}; \
         put a python3.11 first on PATH or set THICKET_CPYTHON_INCLUDE"
    );
    assert!(
        include.join("Python.h").is_file(),
        "CPython headers are missing: {} has no Python.h; install them \
         (Debian: `apt-get install python3-dev`) or set THICKET_CPYTHON_INCLUDE",
        include.display()
    );
    include
}

/// Compiles the probe against `include` into `exe`, runs it, returns its output.
fn run_probe(include: &Path, exe: &Path) -> String {
    let probe = crate_dir().join("tests").join("layout_probe.c");
    let status = Command::new("cc")
        .args(["-std=c11", "-w", "-I"])
        .arg(include)
        .arg(&probe)
        .arg("-o")
        .arg(exe)
        .status()
        .expect("cannot run the C compiler `cc`");
    assert!(
        status.success(),
        "layout_probe.c does not compile against {}",
        include.display()
    );
    let out = Command::new(exe)
        .output()
        .expect("cannot run the layout probe");
    assert!(
        out.status.success(),
        "layout probe {} failed",
        exe.display()
    );
    String::from_utf8(out.stdout).expect("probe output is not UTF-8")
}

/// Splits probe output into `name -> value` (names are unique by construction).
fn parse(output: &str) -> BTreeMap<String, String> {
    output
        .lines()
        .map(|line| {
            let cut = line
                .find(" = ")
                .or_else(|| line.find(": "))
                .unwrap_or(line.len());
            (line[..cut].to_string(), line[cut..].to_string())
        })
        .collect()
}

#[test]
fn struct_layouts_and_constants_match_cpython_3_11() {
    let reference_include = cpython_include();
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let ours = parse(&run_probe(
        &crate_dir().join("include"),
        &tmp.join("layout_probe_thicket"),
    ));
    let theirs = parse(&run_probe(
        &reference_include,
        &tmp.join("layout_probe_cpython"),
    ));

    let mut problems = Vec::new();
    for (key, value) in &theirs {
        if RELEASE_KEYS.contains(&key.as_str()) {
            continue;
        }
        match ours.get(key) {
            None => problems.push(format!("missing in ours: {key}{value}")),
            Some(v) if v != value => {
                problems.push(format!("{key}: CPython{value}  vs  Thicket{v}"))
            }
            Some(_) => {}
        }
    }
    for key in ours.keys() {
        if !theirs.contains_key(key) {
            problems.push(format!("only in ours: {key}"));
        }
    }
    assert!(
        problems.is_empty(),
        "cpyext headers differ from CPython 3.11 ({}):\n{}",
        reference_include.display(),
        problems.join("\n")
    );

    // The release we claim to be, whatever 3.11.x the reference is.
    assert_eq!(ours["PY_MICRO_VERSION"], " = 7");
    assert_eq!(ours["PY_VERSION_HEX"], format!(" = {}", 0x030B07F0));
    assert_eq!(ours["PY_VERSION"], " = \"3.11.7\"");
    assert!(ours.len() > 600, "probe printed only {} lines", ours.len());
}
