//! Compiles (without linking) the C sources of the tier 1–3 real extensions of
//! `cext-ladder.md` against `cpyext/include`, unmodified and with the macros
//! their `setup.py` passes: crcmod, markupsafe, cdifflib, crc32c, ciso8601 and
//! mmh3 from their pinned sdists, plus `xxmodule.c` from the installed CPython.
//!
//! The sdists are downloaded once with pip into `target/tmp/cpyext-sdists`.  No
//! silent skipping: without pip, network, or `xxmodule.c` the test fails and says
//! what is missing.  Diagnostics whose location is inside our headers fail it too.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (distribution, version, archive stem, C sources, include dirs, -D macros)
struct Sdist {
    name: &'static str,
    version: &'static str,
    stem: &'static str,
    sources: &'static [&'static str],
    includes: &'static [&'static str],
    defines: &'static [&'static str],
}

const SDISTS: &[Sdist] = &[
    Sdist {
        name: "crcmod",
        version: "1.7",
        stem: "crcmod-1.7",
        sources: &["python3/src/_crcfunext.c"],
        includes: &[],
        defines: &[],
    },
    Sdist {
        name: "markupsafe",
        version: "3.0.4",
        stem: "markupsafe-3.0.4",
        sources: &["src/markupsafe/_speedups.c"],
        includes: &[],
        defines: &[],
    },
    Sdist {
        name: "cdifflib",
        version: "1.2.9",
        stem: "cdifflib-1.2.9",
        sources: &["_cdifflib.c", "_cdifflib3.c"],
        includes: &[],
        defines: &[],
    },
    Sdist {
        name: "crc32c",
        version: "2.9.post0",
        stem: "crc32c-2.9.post0",
        sources: &[
            "src/crc32c/ext/_crc32c.c",
            "src/crc32c/ext/checkarm.c",
            "src/crc32c/ext/checksse42.c",
            "src/crc32c/ext/crc32c_adler.c",
            "src/crc32c/ext/crc32c_arm64.c",
            "src/crc32c/ext/crc32c_sw.c",
        ],
        includes: &["src/crc32c/ext"],
        defines: &[],
    },
    Sdist {
        name: "ciso8601",
        version: "2.4.1",
        stem: "ciso8601-2.4.1",
        sources: &["module.c", "timezone.c", "isocalendar.c"],
        includes: &[],
        defines: &["CISO8601_VERSION=2.4.1", "CISO8601_CACHING_ENABLED=1"],
    },
    Sdist {
        name: "mmh3",
        version: "5.3.1",
        stem: "mmh3-5.3.1",
        sources: &["src/mmh3/mmh3module.c", "src/mmh3/murmurhash3.c"],
        includes: &[],
        defines: &[],
    },
];

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cpyext-sdists")
}

/// Downloads every missing sdist with one pip call (only the extensions
/// themselves are built from source; their build backends may be wheels).
fn download_missing(cache: &Path) {
    let missing: Vec<&Sdist> = SDISTS
        .iter()
        .filter(|s| !cache.join(format!("{}.tar.gz", s.stem)).is_file())
        .collect();
    if missing.is_empty() {
        return;
    }
    std::fs::create_dir_all(cache).expect("cannot create the sdist cache");
    let names: Vec<&str> = missing.iter().map(|s| s.name).collect();
    let specs: Vec<String> = missing
        .iter()
        .map(|s| format!("{}=={}", s.name, s.version))
        .collect();
    let out = Command::new("python3")
        .args(["-m", "pip", "download", "--no-deps", "--no-binary"])
        .arg(names.join(","))
        .arg("-d")
        .arg(cache)
        .args(&specs)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `python3 -m pip` to download the extension sdists: {e}")
        });
    assert!(
        out.status.success(),
        "pip could not download the extension sdists {specs:?} (is pip installed and \
         PyPI reachable?):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for s in missing {
        assert!(
            cache.join(format!("{}.tar.gz", s.stem)).is_file(),
            "pip did not save {}.tar.gz into {}",
            s.stem,
            cache.display()
        );
    }
}

/// Unpacks `<stem>.tar.gz` under `cache/src` (once) and returns the tree.
fn unpack(cache: &Path, stem: &str) -> PathBuf {
    let src = cache.join("src");
    let tree = src.join(stem);
    if !tree.is_dir() {
        std::fs::create_dir_all(&src).expect("cannot create the unpack directory");
        let status = Command::new("tar")
            .arg("xzf")
            .arg(cache.join(format!("{stem}.tar.gz")))
            .arg("-C")
            .arg(&src)
            .status()
            .expect("cannot run tar");
        assert!(status.success(), "cannot unpack {stem}.tar.gz");
    }
    tree
}

/// `xxmodule.c` of the installed CPython 3.11 (`THICKET_XXMODULE_C` overrides).
fn xxmodule() -> PathBuf {
    if let Ok(path) = std::env::var("THICKET_XXMODULE_C") {
        return PathBuf::from(path);
    }
    let script = "import os, sysconfig; \
                  print(os.path.join(sysconfig.get_paths()['stdlib'], 'distutils', 'tests', 'xxmodule.c'))";
    let out = Command::new("python3")
        .args(["-c", script])
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 to locate xxmodule.c: {e}"));
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert!(
        out.status.success() && path.is_file(),
        "xxmodule.c not found at {} (it ships with CPython 3.11's distutils tests; on \
         Debian install libpython3.11-testsuite) -- or set THICKET_XXMODULE_C",
        path.display()
    );
    path
}

/// Compiles one C file to an object; returns an error text on failure or on any
/// diagnostic located in our headers.
fn compile(
    source: &Path,
    includes: &[PathBuf],
    defines: &[&str],
    obj: &Path,
) -> Result<(), String> {
    let our_include = crate_dir().join("include");
    let mut cmd = Command::new("cc");
    cmd.args([
        "-c",
        "-fPIC",
        "-O2",
        "-fwrapv",
        "-Wall",
        "-Wno-unused-function",
    ])
    .arg("-I")
    .arg(&our_include);
    for dir in includes {
        cmd.arg("-I").arg(dir);
    }
    for def in defines {
        cmd.arg(format!("-D{def}"));
    }
    cmd.arg(source).arg("-o").arg(obj);
    let out = cmd.output().map_err(|e| format!("cannot run cc: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(format!("{} does not compile:\n{stderr}", source.display()));
    }
    let ours = our_include.to_string_lossy().into_owned();
    let from_headers: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with(ours.as_str()) && (l.contains("warning") || l.contains("error")))
        .collect();
    if !from_headers.is_empty() {
        return Err(format!(
            "{}: diagnostics inside cpyext/include:\n{}",
            source.display(),
            from_headers.join("\n")
        ));
    }
    Ok(())
}

#[test]
fn tier_1_to_3_extensions_compile_against_our_headers() {
    let cache = cache_dir();
    download_missing(&cache);
    let objs = cache.join("obj");
    std::fs::create_dir_all(&objs).expect("cannot create the object directory");

    let mut failures = Vec::new();
    let mut compiled = 0;
    for s in SDISTS {
        let tree = unpack(&cache, s.stem);
        let includes: Vec<PathBuf> = s.includes.iter().map(|d| tree.join(d)).collect();
        for src in s.sources {
            let obj = objs.join(format!("{}-{}.o", s.name, src.replace('/', "_")));
            match compile(&tree.join(src), &includes, s.defines, &obj) {
                Ok(()) => compiled += 1,
                Err(e) => failures.push(format!("[{}] {e}", s.name)),
            }
        }
    }
    match compile(&xxmodule(), &[], &[], &objs.join("xxmodule.o")) {
        Ok(()) => compiled += 1,
        Err(e) => failures.push(format!("[xx] {e}")),
    }
    assert!(
        failures.is_empty(),
        "{} of {} extension sources failed against cpyext/include:\n\n{}",
        failures.len(),
        failures.len() + compiled,
        failures.join("\n\n")
    );
}
