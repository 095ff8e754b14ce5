//! The `cffi` module against real C libraries: libc (`qsort` with a callback reaching
//! objects through handles, `strlen`, `memcpy`) and the system zlib (`crc32`,
//! `compress`/`uncompress` through `from_buffer`), checked against CPython computing
//! the same with `sorted` and `zlib`; and the errors (stale and made-up handles, bad
//! declarations, bad calls). Each program runs normally and under the GC stress modes.

use std::process::Command;

const THICKET: &str = env!("CARGO_BIN_EXE_thicket");

/// Runs `tests/ffi/NAME.py ARG` on Thicket, with extra environment variables.
fn thicket(name: &str, arg: &str, env: &[(&str, &str)]) -> String {
    let mut c = Command::new(THICKET);
    c.arg("run")
        .arg(format!(
            "{}/tests/ffi/{name}.py",
            env!("CARGO_MANIFEST_DIR")
        ))
        .arg(arg);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("run thicket");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{name} failed ({:?}):\n{stderr}",
        out.status
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// CPython's output for a reference script.
fn python(script: &str, arg: &str) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(arg)
        .output()
        .expect("python3 is needed for the reference values");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const STRESS: &[(&str, &str)] = &[("THICKET_GC_STRESS_MINOR", "3"), ("THICKET_GC_POISON", "1")];

const QSORT_REFERENCE: &str = r#"
import sys
n = int(sys.argv[1])
seed = 12345
items = []
for i in range(n):
    seed = (seed * 1103515245 + 12345) % 2147483648
    items.append((seed % 1000, "item%d" % i))
print("sorted:", ",".join("%d:%s" % it for it in sorted(items)))
print("callback called:", True)
words = [b"", b"a", b"hello", b"thicket ffi bridge" * 10]
print("strlen:", [len(w) for w in words])
print("memcpy:", b"copied through memcpy")
print("longs:", [10, -20, 30, -40])
"#;

const ZLIB_REFERENCE: &str = r#"
import sys, zlib
def make(i):
    parts = []
    for j in range(i % 7 + 1):
        parts.append(("chunk %d/%d " % (i, j)) * (j + 1))
    return "".join(parts).encode()
for i in range(int(sys.argv[1])):
    data = make(i)
    c = zlib.compress(data)
    assert zlib.decompress(c) == data
    print(i, len(data), zlib.crc32(data), 0, 0, True, c.hex())
"#;

#[test]
fn libc_qsort_strlen_memcpy() {
    let expected = python(QSORT_REFERENCE, "300");
    assert_eq!(thicket("libc_qsort", "300", &[]), expected);
    assert_eq!(
        thicket("libc_qsort", "120", STRESS),
        python(QSORT_REFERENCE, "120")
    );
}

#[test]
fn zlib_crc32_compress_uncompress() {
    let expected = python(ZLIB_REFERENCE, "80");
    assert_eq!(thicket("zlib_roundtrip", "80", &[]), expected);
    assert_eq!(
        thicket("zlib_roundtrip", "30", STRESS),
        python(ZLIB_REFERENCE, "30")
    );
}

#[test]
fn errors_are_python_exceptions() {
    for env in [&[][..], STRESS] {
        let out = thicket("errors", "", env);
        let lines: Vec<&str> = out.lines().collect();
        let expect = [
            "Obj",
            "open handles: 0",
            "RuntimeError: ffi.from_handle(): stale object handle",
            "RuntimeError: ffi.from_handle(): 0x3039 is not an object handle",
            "RuntimeError: ffi.from_handle(): 0x7f0000001000 is not an object handle",
            "RuntimeError: cannot use from_handle() on NULL pointer",
            "RuntimeError: ffi.from_handle(): 0x",
            "Obj",
            "CDefError: <cdef source string>:1: unknown type name 'foo_t'",
            "CDefError: <cdef source string>:1: expected",
            "TypeError: expected a pointer or array ctype, got 'int'",
            "OverflowError: integer 300 does not fit 'unsigned char'",
            "IndexError: too many initializers for 'int[2]' (got 3)",
            "OSError: cannot load library 'libdoesnotexist_thicket.so'",
            "TypeError: initializer for ctype 'char *' must be a cdata pointer, not int",
            "TypeError: 'size_t(*)(char *)' expects 1 arguments, got 0",
            "AttributeError:",
            "IndexError: index too large for cdata 'int[3]' (expected 3 < 3)",
            "TypeError: cdata of type 'int *' has no len()",
        ];
        assert_eq!(lines.len(), expect.len(), "{out}");
        for (l, e) in lines.iter().zip(expect) {
            assert!(l.starts_with(e), "expected {e:?}, got {l:?}\n{out}");
        }
        assert!(lines[6].contains("is not an object handle"), "{out}");
    }
}

#[test]
fn debug_mode_reports_open_handles_at_exit() {
    let dir = std::env::temp_dir().join(format!("thicket-ffi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("leak.py");
    std::fs::write(
        &f,
        "from cffi import FFI\nffi = FFI()\nkeep = [ffi.new_handle(i) for i in range(3)]\nprint('ok')\n",
    )
    .unwrap();
    let out = Command::new(THICKET)
        .arg("run")
        .arg(&f)
        .env("THICKET_FFI_DEBUG", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success());
    assert!(
        err.contains("3 object handle(s) still open at exit"),
        "stderr: {err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
