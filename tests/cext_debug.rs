//! `THICKET_CAPI_DEBUG=1`: each misuse of the C-API that debug mode detects, done on
//! purpose by one function of our test extension `tests/cext/debugprobe.c`, run in a
//! tiny script; the report must name the misuse (and the API function where one is
//! involved). Memory-safety errors end the process with status 3; the others are
//! reported and execution goes on as without debug mode, where nothing is reported.
//! The good path (correct API use) reports nothing in either mode.
//!
//! The GC stress variables (`THICKET_GC_STRESS_MINOR`, `THICKET_GC_POISON`) are passed
//! through to the interpreter, so the suite can be run under them as a whole.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// Status of a process ended by a debug-mode report.
const ABORT: i32 = 3;

fn module_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = root.join("target/cext-cache/build/debugprobe");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let st = Command::new(env!("CARGO_BIN_EXE_thicket"))
            .args(["build-ext", "-o"])
            .arg(&dir)
            .arg("debugprobe")
            .arg(root.join("tests/cext/debugprobe.c"))
            .status()
            .expect("thicket build-ext");
        assert!(st.success(), "building debugprobe failed");
        dir
    })
}

struct Out {
    stdout: String,
    stderr: String,
    code: i32,
}

/// Runs `body` (after `import debugprobe as m`) with debug mode on or off.
fn run(body: &str, debug: bool) -> Out {
    let script = format!("import debugprobe as m\n{body}\nprint('end')\n");
    let out = Command::new(env!("CARGO_BIN_EXE_thicket"))
        .args(["-c", &script])
        .env("THICKETPATH", module_dir())
        .env("THICKET_CAPI_DEBUG", if debug { "1" } else { "0" })
        .output()
        .expect("running thicket");
    Out {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Debug mode stops the process with a report containing every one of `want`, after
/// `body` printed `stdout`.
fn assert_fatal(body: &str, stdout: &str, want: &[&str]) {
    let o = run(body, true);
    assert_eq!(o.code, ABORT, "exit status; stderr:\n{}", o.stderr);
    let line = o
        .stderr
        .lines()
        .find(|l| l.starts_with("thicket: C-API debug:"))
        .unwrap_or_else(|| panic!("no report; stderr:\n{}", o.stderr));
    for w in want {
        assert!(line.contains(w), "report {line:?} lacks {w:?}");
    }
    assert_eq!(o.stdout, stdout);
}

/// Without debug mode, `body` runs to the end, printing `stdout`, and reports nothing.
fn assert_quiet_without_debug(body: &str, stdout: &str) {
    let o = run(body, false);
    assert_eq!(o.code, 0, "stderr:\n{}", o.stderr);
    assert_eq!(o.stdout, stdout);
    assert!(!o.stderr.contains("C-API debug"), "stderr:\n{}", o.stderr);
}

#[test]
fn good_path_reports_nothing() {
    let body = "print(m.good(5), m.good('x'), m.good([1, 2]))";
    let want = "(5, 5, 2) ('x', 'x', 2) ([1, 2], [1, 2], 2)\nend\n";
    for debug in [false, true] {
        let o = run(body, debug);
        assert_eq!(o.code, 0, "stderr:\n{}", o.stderr);
        assert_eq!(o.stdout, want);
        assert!(o.stderr.is_empty(), "debug={debug}: stderr:\n{}", o.stderr);
    }
}

#[test]
fn refcount_underflow_of_a_borrowed_reference() {
    let body = "x = [1, 2]\nm.decref_borrowed(x)\nprint(x)";
    assert_fatal(
        body,
        "",
        &[
            "refcount underflow",
            "Py_DECREF released 1 more reference(s) than C owned",
            "`list` object",
            "after C function decref_borrowed() returned",
        ],
    );
    assert_quiet_without_debug(body, "[1, 2]\nend\n");
}

#[test]
fn refcount_underflow_seen_by_an_api_function() {
    assert_fatal(
        "m.decref_then_use([1, 2])",
        "",
        &[
            "PyList_Size (called from C function decref_then_use)",
            "refcount underflow",
            "Py_DECREF released 1 more reference(s) than C owned on a `list` object",
        ],
    );
}

#[test]
fn decref_of_a_freed_object() {
    assert_fatal(
        "m.double_decref()",
        "",
        &[
            "Py_DECREF",
            "double_decref",
            "decref of a freed `list` object",
        ],
    );
}

#[test]
fn use_of_a_freed_object() {
    assert_fatal(
        "m.use_freed()",
        "",
        &[
            "PyList_Append",
            "called from C function use_freed",
            "use of a freed `list` object",
        ],
    );
}

#[test]
fn incref_of_a_freed_object() {
    assert_fatal(
        "m.incref_freed()",
        "end\n", // Seen when the block leaves the quarantine, here at exit.
        &[
            "Py_INCREF/Py_DECREF of a freed `list` object",
            "count changed by +1 after it was deallocated",
        ],
    );
}

#[test]
fn call_without_the_gil() {
    assert_fatal(
        "print(m.no_gil())",
        "",
        &[
            "PyLong_FromLong",
            "called from C function no_gil",
            "called without holding the GIL",
        ],
    );
    assert_quiet_without_debug("print(m.no_gil())", "7\nend\n");
}

/// A NULL/exception mismatch is a `SystemError` in both modes (with the messages CPython
/// gives at a specialised call site); debug mode also prints a report naming the C
/// function, and goes on.
fn check_mismatch(func: &str, msg: &str, report: &str) {
    let body =
        format!("try:\n    m.{func}()\nexcept SystemError as e:\n    print('SystemError:', e)");
    let stdout = format!("SystemError: {msg}\nend\n");
    assert_quiet_without_debug(&body, &stdout);
    let o = run(&body, true);
    assert_eq!(o.code, 0, "stderr:\n{}", o.stderr);
    assert_eq!(o.stdout, stdout);
    assert_eq!(
        o.stderr,
        format!("thicket: C-API debug: <built-in function {func}> {report}\n")
    );
}

#[test]
fn null_returned_without_an_exception() {
    check_mismatch(
        "null_no_exc",
        "error return without exception set",
        "returned NULL without setting an exception (raising SystemError)",
    );
}

#[test]
fn result_returned_with_an_exception_set() {
    check_mismatch(
        "result_with_exc",
        "<built-in function result_with_exc> returned a result with an exception set",
        "returned a result with an exception set (raising SystemError)",
    );
}

#[test]
fn references_held_at_exit_are_counted() {
    let body = "m.keep([1])\nm.keep(3.5)\nm.keep(3.5)\nm.keep_new_list(2)";
    let o = run(body, true);
    assert_eq!(o.code, 0, "stderr:\n{}", o.stderr);
    assert_eq!(o.stdout, "end\n");
    assert_eq!(
        o.stderr,
        "thicket: C-API debug: 4 references still held by C at exit \
         (3 objects: float, list x2)\n"
    );
    assert_quiet_without_debug(body, "end\n");
    // Released before exit: nothing to count.
    let o = run(&format!("{body}\nm.release_kept()"), true);
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
}
