//! The GIL is a real lock: C code that releases it (`Py_BEGIN_ALLOW_THREADS`) lets a
//! thread it created take it (`PyGILState_Ensure`), build objects and call Python code
//! while the interpreter's thread waits inside C; a thread that wants it while it is
//! held blocks. Our test extension `tests/cext/gilprobe.c` does each, and the output
//! (the same as CPython 3.11's for this script) is checked in the normal mode, in debug
//! mode (whose GIL checks must stay silent) and under GC stress.
//!
//! Determinism: the only timed step is the 200 ms during which the blocked thread must
//! *not* get in; with a working GIL it cannot, however the threads are scheduled.

use std::path::PathBuf;
use std::process::Command;

const SCRIPT: &str = r#"
import gilprobe
calls = []
def f(lst):
    calls.append(len(lst))
    d = {}
    for x in lst:
        d[str(x)] = [x] * 3
    return (sum(lst), len(d), d[str(len(lst) - 1)])
# (result, (Check before Ensure, Ensure took it, Check after, nested Ensure LOCKED,
#  PyThreadState_Get is this thread's state, Check after Release, extra))
# run_in_thread: extra = PyGILState_Check() in the calling thread before releasing.
print(gilprobe.run_in_thread(f, 50))
# concurrent: extra = the worker finished while the caller still waited in C.
print(gilprobe.concurrent(f, 200))
# blocked_while_held: (..., got in while the GIL was held, got in after it was released)
print(gilprobe.blocked_while_held(f, 10))
print(calls)
"#;

const WANT: &str = "\
((1225, 50, [49, 49, 49]), (0, 1, 1, 1, 1, 0, 1))
((19900, 200, [199, 199, 199]), (0, 1, 1, 1, 1, 0, 1))
(((45, 10, [9, 9, 9]), (0, 1, 1, 1, 1, 0, 0)), 0, 1)
[50, 200, 10]
";

fn module_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/cext-cache/build/gilprobe");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let st = Command::new(env!("CARGO_BIN_EXE_thicket"))
        .args(["build-ext", "-o"])
        .arg(&dir)
        .arg("gilprobe")
        .arg(root.join("tests/cext/gilprobe.c"))
        .status()
        .expect("thicket build-ext");
    assert!(st.success(), "building gilprobe failed");
    dir
}

#[test]
fn threads_take_turns_with_the_gil() {
    let dir = module_dir();
    for (mode, env) in [
        ("normal", vec![("THICKET_CAPI_DEBUG", "0")]),
        ("debug", vec![("THICKET_CAPI_DEBUG", "1")]),
        (
            "stress",
            vec![
                ("THICKET_CAPI_DEBUG", "1"),
                ("THICKET_GC_STRESS_MINOR", "3"),
                ("THICKET_GC_POISON", "1"),
            ],
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_thicket"))
            .args(["-c", SCRIPT])
            .env("THICKETPATH", &dir)
            .envs(env)
            .output()
            .expect("running thicket");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{mode}: stderr:\n{stderr}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), WANT, "{mode}");
        assert!(stderr.is_empty(), "{mode}: stderr:\n{stderr}");
    }
}
