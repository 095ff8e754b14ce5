//! Differential test of the C half of the C-API (`cpyext/csrc`): the variadic
//! functions and argument parsers (`PyArg_ParseTuple*`, `Py_BuildValue`,
//! `PyUnicode_FromFormat`, `PyErr_Format`, `PyObject_CallFunction`, ...).
//!
//! The C files are compiled against CPython 3.11's own headers with
//! `-DTHICKET_CAPI_SELFTEST` (every exported function renamed `tk_test_<name>`),
//! together with `tests/capi_c/selftest.c`, into a CPython extension module; then
//! `tests/capi_c/selftest.py` runs CPython's real functions and ours on the same
//! inputs and requires identical results, error messages included.
//!
//! Needs `python3` (CPython 3.11, or `$THICKET_PYTHON`) with its development headers
//! (Debian: `apt-get install python3-dev`) and a C compiler (`$CC` or `cc`). When any
//! of them is missing the test fails and says so: it never skips.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn python() -> String {
    env::var("THICKET_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Runs python with `code` and returns its trimmed stdout, failing clearly.
fn python_query(code: &str) -> String {
    let python = python();
    let output = Command::new(&python)
        .args(["-c", code])
        .output()
        .unwrap_or_else(|err| {
            panic!("cannot run `{python}` ({err}): this test needs CPython 3.11 as python3 (apt-get install python3 python3-dev)")
        });
    assert!(
        output.status.success(),
        "`{python} -c {code:?}` failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("python output is UTF-8")
        .trim()
        .to_string()
}

#[test]
fn variadic_capi_matches_cpython() {
    let version = python_query("import sys; print('%d.%d' % sys.version_info[:2])");
    assert_eq!(
        version,
        "3.11",
        "`{}` is Python {version}; the reference must be CPython 3.11 (set THICKET_PYTHON)",
        python()
    );
    let include = PathBuf::from(python_query(
        "import sysconfig; print(sysconfig.get_paths()['include'])",
    ));
    assert!(
        include.join("Python.h").exists(),
        "CPython's headers are missing ({} has no Python.h): install python3-dev",
        include.display()
    );
    let suffix = python_query("import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))");

    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources: Vec<PathBuf> = std::fs::read_dir(crate_dir.join("csrc"))
        .expect("cpyext/csrc")
        .map(|entry| entry.expect("csrc entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "c"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no C files in cpyext/csrc");
    let test_dir = crate_dir.join("tests").join("capi_c");

    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("capi_c_selftest");
    std::fs::create_dir_all(&out_dir).expect("creating the build directory");
    let module = out_dir.join(format!("_capi_selftest{suffix}"));

    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let output = Command::new(&cc)
        .args([
            "-std=c99", "-Wall", "-Wextra", "-O1", "-g", "-shared", "-fPIC",
        ])
        .arg(format!("-I{}", include.display()))
        .arg("-DTHICKET_CAPI_SELFTEST")
        .args(&sources)
        .arg(test_dir.join("selftest.c"))
        .arg("-o")
        .arg(&module)
        .output()
        .unwrap_or_else(|err| panic!("cannot run the C compiler `{cc}`: {err}"));
    let diagnostics = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "building the selftest module failed:\n{diagnostics}"
    );
    assert!(
        !diagnostics.contains("warning:"),
        "the C sources must compile without warnings (-std=c99 -Wall -Wextra):\n{diagnostics}"
    );

    let output = Command::new(python())
        .arg(test_dir.join("selftest.py"))
        .arg(&out_dir)
        .output()
        .expect("running selftest.py");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "selftest.py failed ({}): ours differs from CPython 3.11, or crashed:\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains(" 0 mismatches"),
        "unexpected driver output:\n{stdout}"
    );
}
