//! The `thicket` command.
//!
//! `thicket run FILE [ARGS]` and `thicket -c CODE` run Python programs on the
//! interpreter; `thicket demo [SCALE]` runs the built-in demo program and prints GC
//! statistics; `thicket gc-demo [ITERATIONS]` drives the collector alone from Rust.

mod demo;

/// The interpreter demo program (`thicket demo`).
const DEMO: &str = include_str!("../demo/gc_demo.py");

use std::process::ExitCode;

const USAGE: &str = "usage: thicket run [--gc-stats] FILE [ARGS...]   run a Python program
       thicket [--gc-stats] -c CODE [ARGS...]      run Python code given as text
       thicket demo [SCALE]                        the interpreter demo: a heavy allocator, then GC statistics
       thicket gc-demo [ITERATIONS]                the collector alone, driven from Rust
       thicket config --includes|--cflags|--ldflags  compiler flags for C extensions
       thicket build-ext -o DIR NAME SOURCES... [-I DIR] [-D NAME[=VALUE]]
                                                   compile and link a C extension module
       thicket help                                this text

GC settings come from THICKET_GC_* variables (see README).";

/// `thicket run ...` and `thicket -c ...`.
fn run_command(args: &[String]) -> ExitCode {
    let mut gc_stats = false;
    let mut rest: Vec<String> = Vec::new();
    let mut it = args.iter().peekable();
    if it.peek().map(|s| s.as_str()) == Some("run") {
        it.next();
    }
    let mut source = None;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--gc-stats" if source.is_none() => gc_stats = true,
            "-c" if source.is_none() => match it.next() {
                Some(code) => source = Some(thicket::run::Source::Code(code.clone())),
                None => {
                    eprintln!("thicket: -c needs an argument\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ if source.is_none() => source = Some(thicket::run::Source::File(a.clone())),
            _ => rest.push(a.clone()),
        }
    }
    let Some(source) = source else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let status = thicket::run::run(thicket::run::RunOptions {
        source,
        args: rest,
        gc_stats,
    });
    ExitCode::from(status.clamp(0, 255) as u8)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("demo") => {
            let scale = args.get(1).cloned().unwrap_or_else(|| "20".into());
            // A 4 MiB nursery (unless set) so that the demo's old generation passes the
            // major-collection threshold and the incremental collector shows its steps.
            if std::env::var_os("THICKET_GC_NURSERY").is_none() {
                std::env::set_var("THICKET_GC_NURSERY", "4M");
            }
            if scale.parse::<u32>().is_err() {
                eprintln!("thicket: SCALE must be a number\n{USAGE}");
                return ExitCode::from(2);
            }
            let status = thicket::run::run(thicket::run::RunOptions {
                source: thicket::run::Source::Text("demo/gc_demo.py".into(), DEMO.into()),
                args: vec![scale],
                gc_stats: true,
            });
            ExitCode::from(status.clamp(0, 255) as u8)
        }
        Some("gc-demo") => {
            let iterations = match args.get(1).map(|a| a.parse::<u64>()) {
                None => 2_000_000,
                Some(Ok(n)) => n,
                Some(Err(_)) => {
                    eprintln!("thicket: ITERATIONS must be a number\n{USAGE}");
                    return ExitCode::from(2);
                }
            };
            match demo::run(iterations) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("thicket: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("run") | Some("-c") | Some("--gc-stats") => run_command(&args),
        Some("config") => match thicket::buildext::config(&args[1..]) {
            Ok(s) => {
                println!("{s}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("thicket config: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        Some("build-ext") => match thicket::buildext::build_ext(&args[1..]) {
            Ok(p) => {
                println!("{}", p.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("thicket build-ext: {e}");
                ExitCode::FAILURE
            }
        },
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
