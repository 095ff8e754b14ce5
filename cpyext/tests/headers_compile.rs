//! Compile test of the cpyext headers: `use_all_api.c`, which uses every macro
//! and static inline function of `Python.h`, `structmember.h` and `datetime.h`,
//! must compile warning-free (`-Wall -Wextra -Werror`) as C99, as C11 and as
//! C++11 against `cpyext/include`.

use std::path::PathBuf;
use std::process::Command;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `compiler args... -I include use_all_api.c`, failing with its diagnostics.
fn compile(compiler: &str, args: &[&str], what: &str) {
    let dir = crate_dir();
    let out_obj = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("use_all_api_{what}.o"));
    let mut cmd = Command::new(compiler);
    cmd.args(args)
        .args(["-Wall", "-Wextra", "-Werror", "-I"])
        .arg(dir.join("include"))
        .arg(dir.join("tests").join("use_all_api.c"));
    if !args.contains(&"-fsyntax-only") {
        cmd.arg("-o").arg(&out_obj);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run the compiler `{compiler}`: {e}"));
    assert!(
        out.status.success(),
        "use_all_api.c does not compile cleanly as {what}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn headers_compile_as_c99() {
    compile("cc", &["-std=c99", "-c"], "c99");
}

#[test]
fn headers_compile_as_c11() {
    compile("cc", &["-std=c11", "-c"], "c11");
}

#[test]
fn headers_compile_as_cxx11() {
    compile(
        "c++",
        &["-x", "c++", "-std=c++11", "-fsyntax-only"],
        "cxx11",
    );
}
