//! The `thicket` command.
//!
//! `thicket demo [ITERATIONS]` runs a workload on the collector and prints its
//! statistics. (`thicket run FILE.py`, the Python-subset interpreter, comes with the
//! interpreter; until then the command says so instead of pretending.)

mod demo;

use std::process::ExitCode;

const USAGE: &str =
    "usage: thicket demo [ITERATIONS]   run the collector demo and print GC statistics
       thicket help                  this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("demo") => {
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
        Some("run") => {
            eprintln!("thicket: the Python-subset interpreter is not built yet (issue 4); try `thicket demo`");
            ExitCode::from(2)
        }
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
