//! Real C extensions from PyPI, built unmodified against Thicket's headers
//! (`thicket build-ext`) and against CPython 3.11's (`cc $(python3-config --includes)`),
//! from the same pinned sdist: one driver script per module runs on both, and the
//! outputs must be identical — in the normal configuration and under the GC stress
//! modes (a minor collection every few allocations, poisoned nursery), where every
//! object C sees moves under it.
//!
//! The sdists are downloaded once into `target/cext-cache` (`scripts/fetch-sdist.py`);
//! without network access the test fails and says so.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cache() -> PathBuf {
    root().join("target/cext-cache")
}

fn fetch(name: &str, version: &str) -> PathBuf {
    let out = Command::new("python3")
        .arg(root().join("scripts/fetch-sdist.py"))
        .args([name, version])
        .arg(cache().join("sdists"))
        .output()
        .expect("python3 is needed to fetch the extension sdists");
    assert!(
        out.status.success(),
        "cannot fetch {name} {version} from PyPI: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    let err = String::from_utf8_lossy(&out.stderr);
    if let Some(last) = err.lines().last() {
        s.push_str(&format!("[stderr] {last}\n"));
    }
    s.push_str(&format!("[exit] {}\n", out.status.code().unwrap_or(-1)));
    s
}

/// Builds `sources` as module `name` for Thicket into `tk` and for CPython into `cp`.
fn build(name: &str, sources: &[PathBuf], tk: &Path, cp: &Path) {
    build_with_defines(name, sources, &[], tk, cp)
}

/// [`build`] with `-D` defines (`NAME=VALUE`) for both compilers, as a `setup.py`'s
/// `define_macros`.
fn build_with_defines(name: &str, sources: &[PathBuf], defines: &[&str], tk: &Path, cp: &Path) {
    let st = Command::new(env!("CARGO_BIN_EXE_thicket"))
        .args(["build-ext", "-o"])
        .arg(tk)
        .arg(name)
        .args(sources)
        .args(defines.iter().flat_map(|d| ["-D", d]))
        .status()
        .expect("thicket build-ext");
    assert!(st.success(), "thicket build-ext {name} failed");
    let inc = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['include'])",
        ])
        .output()
        .expect("python3");
    let inc = String::from_utf8_lossy(&inc.stdout).trim().to_owned();
    assert!(
        Path::new(&inc).join("Python.h").exists(),
        "CPython's headers (python3-dev) are missing: {inc}"
    );
    let leaf = name.rsplit('.').next().unwrap();
    let st = Command::new("cc")
        .arg(format!("-I{inc}"))
        .args(defines.iter().map(|d| format!("-D{d}")))
        .args(["-shared", "-fPIC", "-O2", "-o"])
        .arg(cp.join(format!("{leaf}.cpython-311-x86_64-linux-gnu.so")))
        .args(sources)
        .status()
        .expect("cc");
    assert!(st.success(), "building {name} for CPython failed");
}

fn compare(driver: &str, tk: &Path, cp: &Path) {
    compare_env(driver, tk, cp, &[]);
}

/// As `compare`, with `extra` set in the environment of both runtimes.
fn compare_env(driver: &str, tk: &Path, cp: &Path, extra: &[(&str, &str)]) {
    let script = root().join("tests/cext").join(driver);
    let want = run(
        Command::new("python3")
            .arg(&script)
            .env("PYTHONPATH", cp)
            .envs(extra.iter().copied()),
        "python3",
    );
    for (mode, env) in [
        ("normal", vec![]),
        (
            "stress",
            vec![
                ("THICKET_GC_STRESS_MINOR", "7"),
                ("THICKET_GC_POISON", "1"),
                ("THICKET_GC_VERIFY", "0"),
            ],
        ),
    ] {
        let got = run(
            Command::new(env!("CARGO_BIN_EXE_thicket"))
                .arg("run")
                .arg(&script)
                .env("THICKETPATH", tk)
                .envs(extra.iter().copied())
                .env_remove("THICKET_GC_STRESS_MINOR")
                .env_remove("THICKET_GC_POISON")
                .env_remove("THICKET_GC_VERIFY")
                .envs(env),
            "thicket",
        );
        assert_eq!(
            got, want,
            "{driver} ({mode}, {extra:?}): Thicket's output differs from CPython's"
        );
    }
    // Debug mode (`THICKET_CAPI_DEBUG=1`): the same stdout, and no refcount error or use of
    // a freed object anywhere in the run. (References C holds at exit are legitimate
    // here: drivers keep objects of C types, and modules keep caches.)
    let out = Command::new(env!("CARGO_BIN_EXE_thicket"))
        .arg("run")
        .arg(&script)
        .env("THICKETPATH", tk)
        .envs(extra.iter().copied())
        .env_remove("THICKET_GC_STRESS_MINOR")
        .env_remove("THICKET_GC_POISON")
        .env("THICKET_CAPI_DEBUG", "1")
        .output()
        .expect("thicket");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        want.starts_with(stdout.as_ref()),
        "{driver} (debug mode): stdout differs from CPython's:\n{stdout}\n{stderr}"
    );
    for bad in ["underflow", "freed", "without holding the GIL"] {
        assert!(
            !stderr.contains(bad),
            "{driver} (debug mode) reports a C-API error ({bad}):\n{stderr}"
        );
    }
}

fn dirs(name: &str) -> (PathBuf, PathBuf) {
    let base = cache().join("build").join(name);
    let (tk, cp) = (base.join("thicket"), base.join("cpython"));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&tk).unwrap();
    std::fs::create_dir_all(&cp).unwrap();
    (tk, cp)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn crcmod_matches_cpython() {
    let src = fetch("crcmod", "1.7");
    let (tk, cp) = dirs("crcmod");
    for d in [&tk, &cp] {
        copy_dir(&src.join("python3/crcmod"), &d.join("crcmod"));
    }
    build(
        "crcmod._crcfunext",
        &[src.join("python3/src/_crcfunext.c")],
        &tk.join("crcmod"),
        &cp.join("crcmod"),
    );
    compare("crcmod_driver.py", &tk, &cp);
}

#[test]
fn markupsafe_speedups_match_cpython() {
    let src = fetch("markupsafe", "3.0.4");
    let (tk, cp) = dirs("markupsafe");
    build(
        "_speedups",
        &[src.join("src/markupsafe/_speedups.c")],
        &tk,
        &cp,
    );
    compare("markupsafe_speedups.py", &tk, &cp);
}

/// `xxmodule.c` of the installed CPython 3.11 (`THICKET_XXMODULE_C` overrides): the same
/// lookup as `cpyext/tests/compile_extensions.rs`.
fn xxmodule() -> PathBuf {
    if let Ok(path) = std::env::var("THICKET_XXMODULE_C") {
        return PathBuf::from(path);
    }
    let script = "import os, sysconfig; \
                  print(os.path.join(sysconfig.get_paths()['stdlib'], 'distutils', 'tests', 'xxmodule.c'))";
    let out = Command::new("python3")
        .args(["-c", script])
        .output()
        .expect("python3 is needed to locate xxmodule.c");
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert!(
        path.is_file(),
        "xxmodule.c not found at {} (Debian: libpython3.11-testsuite)",
        path.display()
    );
    path
}

#[test]
fn xx_matches_cpython() {
    let (tk, cp) = dirs("xx");
    build("xx", &[xxmodule()], &tk, &cp);
    compare("xx_driver.py", &tk, &cp);
}

#[test]
fn mmh3_matches_cpython() {
    let src = fetch("mmh3", "5.3.1");
    let (tk, cp) = dirs("mmh3");
    let s = src.join("src/mmh3");
    build(
        "mmh3",
        &[s.join("mmh3module.c"), s.join("murmurhash3.c")],
        &tk,
        &cp,
    );
    compare("mmh3_driver.py", &tk, &cp);
}

/// Our own probe of C type slots both ways, heap types from specs, members, getsets,
/// class/static methods, METH_METHOD with module state, and Python subclasses.
#[test]
fn slotprobe_matches_cpython() {
    probe_matches_cpython("slotprobe");
}

/// Builds our own C probe `tests/cext/NAME.c` for both runtimes and compares
/// `NAME_driver.py`.
fn probe_matches_cpython(name: &str) {
    let (tk, cp) = dirs(name);
    build(
        name,
        &[root().join(format!("tests/cext/{name}.c"))],
        &tk,
        &cp,
    );
    compare(&format!("{name}_driver.py"), &tk, &cp);
}

/// `tests/cext/censusprobe.c` (ours): the census's remaining API functions (object
/// lifecycle and the trashcan, reference and identity helpers, repr and recursion
/// guards, the ctype tables, strs and `_PyUnicodeWriter`, bytes resizing, slices, list
/// slices, dict and set additions, method vectorcalls, length hints, number
/// conversions, unraisable errors), each with its error cases, against CPython's own.
#[test]
fn censusprobe_matches_cpython() {
    probe_matches_cpython("censusprobe");
}

/// Debug mode counts no reference left held by C once the objects that C's calls made
/// or received are garbage and collected: argument ints, argument tuples of slot
/// wrappers, lists handed over and written back, results, C types' instances and what
/// their fields hold.
#[test]
fn no_references_left_held_by_c_after_collection() {
    let (tk, cp) = dirs("held_at_exit");
    build(
        "slotprobe",
        &[root().join("tests/cext/slotprobe.c")],
        &tk,
        &cp,
    );
    let script = "import gc, slotprobe\n\
        for i in range(3000, 3400):\n    \
            v = slotprobe.Vec(i, i + 1)\n    \
            v.tag = [i, str(i)]\n    \
            v(i, offset=i)\n    \
            slotprobe.set_items([i, i + 1], 3)\n    \
            slotprobe.iterate((i, [i]))\n    \
            slotprobe.ops(i, i + 1)\n    \
            c = slotprobe.Counter(i % 5)\n    \
            c[i] = str(i)\n    \
            list(c)\n\
        v = c = None\n\
        for _ in range(4):\n    gc.collect()\n\
        print('done')\n";
    let out = Command::new(env!("CARGO_BIN_EXE_thicket"))
        .args(["-c", script])
        .env("THICKETPATH", &tk)
        .env("THICKET_CAPI_DEBUG", "1")
        .env_remove("THICKET_GC_STRESS_MINOR")
        .env_remove("THICKET_GC_POISON")
        .output()
        .expect("thicket");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "done\n", "{stderr}");
    assert!(
        !stderr.contains("C-API debug"),
        "debug mode reports references held or errors:\n{stderr}"
    );
}

/// Cycles through tuples handed to C are collected (Thicket only: CPython has no links).
#[test]
fn tuple_cycles_through_c_are_collected() {
    let (tk, cp) = dirs("tuple_cycles");
    build(
        "slotprobe",
        &[root().join("tests/cext/slotprobe.c")],
        &tk,
        &cp,
    );
    for stress in [false, true] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_thicket"));
        cmd.arg("run")
            .arg(root().join("tests/cext/tuple_cycles.py"))
            .env("THICKETPATH", &tk)
            .env_remove("THICKET_GC_STRESS_MINOR")
            .env_remove("THICKET_GC_POISON");
        if stress {
            cmd.env("THICKET_GC_STRESS_MINOR", "7")
                .env("THICKET_GC_POISON", "1")
                .env("THICKET_GC_VERIFY", "0");
        }
        let out = cmd.output().expect("thicket");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let links: Vec<i64> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim().parse().expect("a link count"))
            .collect();
        assert_eq!(links.len(), 4);
        assert!(
            links[3] - links[1] < 100,
            "links grow round after round (stress={stress}): {links:?}"
        );
    }
}

/// The host python3's own `difflib.py` (the module cdifflib subclasses), copied into
/// Thicket's module folder so that both runtimes run the same file; it is not part of
/// this repository.
fn host_difflib() -> PathBuf {
    let out = Command::new("python3")
        .args(["-c", "import difflib; print(difflib.__file__)"])
        .output()
        .expect("python3");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

#[test]
fn cdifflib_matches_cpython() {
    let src = fetch("cdifflib", "1.2.9");
    let (tk, cp) = dirs("cdifflib");
    for d in [&tk, &cp] {
        std::fs::copy(src.join("cdifflib.py"), d.join("cdifflib.py")).unwrap();
    }
    std::fs::copy(host_difflib(), tk.join("difflib.py")).unwrap();
    // setup.py: Extension("_cdifflib", sources=["_cdifflib.c", "_cdifflib3.c"]).
    build(
        "_cdifflib",
        &[src.join("_cdifflib.c"), src.join("_cdifflib3.c")],
        &tk,
        &cp,
    );
    compare("cdifflib_driver.py", &tk, &cp);
}

#[test]
fn crc32c_matches_cpython() {
    let src = fetch("crc32c", "2.9.post0");
    let (tk, cp) = dirs("crc32c");
    // setup.py: Extension("crc32c._crc32c", sources=glob("src/crc32c/ext/*.c")); its
    // include dir does not exist (the headers sit next to the sources). The driver
    // imports the C module directly (the package's __init__ needs importlib.metadata).
    let ext = src.join("src/crc32c/ext");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&ext)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    sources.sort();
    build("_crc32c", &sources, &tk, &cp);
    compare("crc32c_driver.py", &tk, &cp);
    // The module's own switches, read when it is executed: the software implementation;
    // and none at all (a RuntimeWarning at import, then RuntimeError from every call).
    compare_env("crc32c_driver.py", &tk, &cp, &[("CRC32C_SW_MODE", "force")]);
    compare_env(
        "crc32c_driver.py",
        &tk,
        &cp,
        &[("CRC32C_SW_MODE", "none"), ("CRC32C_SKIP_HW_PROBE", "1")],
    );
}

/// The host CPython's pure-Python `datetime.py` (3.11's `datetime` module is the pure
/// implementation, replaced by `_datetime` when that C module exists): copied beside a
/// Thicket build, so both runtimes run real datetime classes and nothing of CPython is
/// committed here.
fn host_datetime_py() -> PathBuf {
    let out = Command::new("python3")
        .args(["-c", "import datetime; print(datetime.__file__)"])
        .output()
        .expect("python3 is needed to locate datetime.py");
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert!(
        path.is_file() && path.extension().is_some_and(|e| e == "py"),
        "the host python3's datetime.py not found ({})",
        path.display()
    );
    path
}

#[test]
fn ciso8601_matches_cpython() {
    let src = fetch("ciso8601", "2.4.1");
    let (tk, cp) = dirs("ciso8601");
    std::fs::copy(host_datetime_py(), tk.join("datetime.py")).unwrap();
    build_with_defines(
        "ciso8601",
        &[
            src.join("module.c"),
            src.join("timezone.c"),
            src.join("isocalendar.c"),
        ],
        &["CISO8601_VERSION=2.4.1", "CISO8601_CACHING_ENABLED=1"],
        &tk,
        &cp,
    );
    compare("ciso8601_driver.py", &tk, &cp);
}

/// `tests/cext/dtprobe.c` (ours): every datetime.h field macro and capsule constructor,
/// and the `PyCapsule_*` functions, against CPython's own.
#[test]
fn datetime_capi_matches_cpython() {
    let (tk, cp) = dirs("dtprobe");
    std::fs::copy(host_datetime_py(), tk.join("datetime.py")).unwrap();
    build("dtprobe", &[root().join("tests/cext/dtprobe.c")], &tk, &cp);
    compare("dtprobe_driver.py", &tk, &cp);
}

/// A module that needs an API function Thicket does not provide fails to import with an
/// ImportError naming the symbol; a module that does not compile fails `build-ext` with
/// the compiler's message.
#[test]
fn missing_symbol_and_broken_build_are_named() {
    let base = cache().join("build").join("broken");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    let src = base.join("needsmore.c");
    std::fs::write(
        &src,
        "#include <Python.h>\n\
         PyObject *PyThicket_NotAnApiFunction(PyObject *);\n\
         static PyObject *f(PyObject *m, PyObject *x) { return PyThicket_NotAnApiFunction(x); }\n\
         static PyMethodDef methods[] = {{\"f\", f, METH_O, NULL}, {NULL}};\n\
         static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"needsmore\", NULL, -1, methods};\n\
         PyMODINIT_FUNC PyInit_needsmore(void) { return PyModule_Create(&def); }\n",
    )
    .unwrap();
    let st = Command::new(env!("CARGO_BIN_EXE_thicket"))
        .args(["build-ext", "-o"])
        .arg(&base)
        .arg("needsmore")
        .arg(&src)
        .output()
        .expect("thicket build-ext");
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_thicket"))
        .args(["-c", "import needsmore"])
        .env("THICKETPATH", &base)
        .output()
        .expect("thicket");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("ImportError") && err.contains("PyThicket_NotAnApiFunction"),
        "the error does not name the missing symbol:\n{err}"
    );
    let bad = base.join("broken.c");
    std::fs::write(&bad, "#include <Python.h>\nthis is not C;\n").unwrap();
    let st = Command::new(env!("CARGO_BIN_EXE_thicket"))
        .args(["build-ext", "-o"])
        .arg(&base)
        .arg("broken")
        .arg(&bad)
        .output()
        .expect("thicket build-ext");
    let err = String::from_utf8_lossy(&st.stderr);
    assert!(!st.status.success(), "a broken module built");
    assert!(
        err.contains("broken.c") && err.contains("error"),
        "build-ext does not report the compiler's error:\n{err}"
    );
}
