//! `thicket config` and `thicket build-ext`: the flags C extensions are compiled with
//! against Thicket's `Python.h` (as `python3-config` gives them for CPython), and a
//! compile-and-link driver that leaves `NAME.cpython-311-x86_64-linux-gnu.so` where
//! `import NAME` finds it.

use std::path::PathBuf;
use std::process::Command;

/// File-name suffix of extension modules (CPython 3.11's on x86-64 Linux).
pub const EXT_SUFFIX: &str = ".cpython-311-x86_64-linux-gnu.so";

/// Thicket's header directory: `THICKET_INCLUDE` if set, else the source tree's.
pub fn include_dir() -> PathBuf {
    match std::env::var_os("THICKET_INCLUDE") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/cpyext/include")),
    }
}

/// `--includes`.
pub fn includes() -> String {
    format!("-I{}", include_dir().display())
}

/// `--cflags`: what extensions are compiled with.
pub fn cflags() -> String {
    format!(
        "{} -fPIC -O2 -fno-strict-aliasing -DNDEBUG -Wall",
        includes()
    )
}

/// `--ldflags`: how they are linked (C-API symbols resolve against the `thicket`
/// binary when the module is loaded).
pub fn ldflags() -> String {
    "-shared -Wl,--allow-shlib-undefined".to_owned()
}

/// `thicket config ...`: prints the requested flags.
pub fn config(args: &[String]) -> Result<String, String> {
    let mut out = Vec::new();
    for a in args {
        out.push(match a.as_str() {
            "--includes" => includes(),
            "--cflags" => cflags(),
            "--ldflags" | "--libs" => ldflags(),
            "--extension-suffix" => EXT_SUFFIX.to_owned(),
            other => return Err(format!("unknown option {other}")),
        });
    }
    if out.is_empty() {
        return Err("expected --includes, --cflags, --ldflags or --extension-suffix".into());
    }
    Ok(out.join(" "))
}

/// `thicket build-ext -o DIR NAME SOURCES... [-I DIR] [-D NAME[=VALUE]]`: compiles and
/// links one extension module. Returns the path of the module.
pub fn build_ext(args: &[String]) -> Result<PathBuf, String> {
    let mut out_dir = None;
    let mut name = None;
    let mut sources = Vec::new();
    let mut extra = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" => out_dir = Some(it.next().ok_or("-o needs a directory")?.clone()),
            "-I" => extra.push(format!("-I{}", it.next().ok_or("-I needs a directory")?)),
            "-D" => extra.push(format!("-D{}", it.next().ok_or("-D needs NAME[=VALUE]")?)),
            s if s.starts_with("-I") || s.starts_with("-D") => extra.push(s.to_owned()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            s if name.is_none() => name = Some(s.to_owned()),
            s => sources.push(s.to_owned()),
        }
    }
    let out_dir = out_dir.ok_or("missing -o DIR")?;
    let name = name.ok_or("missing the module NAME")?;
    if sources.is_empty() {
        return Err("no source files given".into());
    }
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("cannot create {out_dir}: {e}"))?;
    let leaf = name.rsplit('.').next().unwrap_or(&name);
    let target = PathBuf::from(&out_dir).join(format!("{leaf}{EXT_SUFFIX}"));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let mut cmd = Command::new(&cc);
    cmd.args(cflags().split_whitespace())
        .args(&extra)
        .args(ldflags().split_whitespace())
        .args(&sources)
        .arg("-o")
        .arg(&target);
    let st = cmd
        .status()
        .map_err(|e| format!("cannot run the C compiler `{cc}`: {e}"))?;
    if !st.success() {
        return Err(format!("the C compiler failed ({st}) building {name}"));
    }
    Ok(target)
}
