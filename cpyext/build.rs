//! Build script of thicket-cpyext: compiles the C half of the C-API (`csrc/*.c`: the
//! variadic functions and the argument parsers, which Rust cannot define) into the
//! static library `thicket_capi_c`, linked whole-archive so that every one of its
//! functions lands in any binary that links this crate, where C extensions find them.
//!
//! The C files are compiled against Thicket's own headers (`include/Python.h`), so
//! nothing is built until those exist. The C compiler is `$CC` or `cc`, and the
//! archiver `$AR` or `ar`: invoked directly, which keeps the build dependency-free.

use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let csrc = manifest.join("csrc");
    let include = manifest.join("include");

    println!("cargo:rerun-if-changed=csrc");
    println!("cargo:rerun-if-env-changed=CC");
    println!("cargo:rerun-if-env-changed=AR");
    if !include.join("Python.h").exists() {
        // Watch the package directory so that the headers' arrival is noticed.
        println!("cargo:rerun-if-changed=.");
        return;
    }
    println!("cargo:rerun-if-changed=include");

    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let mut sources: Vec<PathBuf> = fs::read_dir(&csrc)
        .expect("cpyext/csrc is missing")
        .map(|entry| entry.expect("reading cpyext/csrc").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "c"))
        .collect();
    sources.sort();

    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let mut objects = Vec::new();
    for source in &sources {
        let object = out
            .join(source.file_stem().expect("C file name"))
            .with_extension("o");
        let mut command = Command::new(&cc);
        command
            .args(["-std=c99", "-O2", "-fPIC", "-Wall", "-Wextra", "-DNDEBUG"])
            .arg("-I")
            .arg(&include)
            .arg("-I")
            .arg(&csrc)
            .arg("-c")
            .arg(source)
            .arg("-o")
            .arg(&object);
        run(&mut command, &format!("compiling {}", source.display()));
        objects.push(object);
    }

    let archive = out.join("libthicket_capi_c.a");
    let _ = fs::remove_file(&archive);
    let ar = env::var("AR").unwrap_or_else(|_| "ar".to_string());
    let mut command = Command::new(ar);
    command.arg("crs").arg(&archive).args(&objects);
    run(&mut command, "archiving libthicket_capi_c.a");

    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static:+whole-archive=thicket_capi_c");
}

fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("{what}: cannot run {:?}: {err}", command.get_program()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        panic!("{what} failed ({}):\n{stderr}", output.status);
    }
    // Compiler warnings are shown by cargo as build-script warnings.
    for line in stderr.lines().filter(|line| !line.is_empty()) {
        println!("cargo:warning={line}");
    }
}
