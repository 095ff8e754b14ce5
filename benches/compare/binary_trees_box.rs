//! binary_trees_box.rs -- Thicket benchmark-comparison baseline.
//!
//! Binary-trees workload (the Benchmarks Game algorithm, single-threaded)
//! in plain Rust with `Option<Box<Node>>` children: nodes come from the
//! global allocator, trees are built bottom-up (children first) and freed
//! by `Drop` when the last owner goes away. No dependencies.
//!
//! Usage: binary_trees_box [max_depth]   (default 10)
//! Build: rustc -C opt-level=3 -C codegen-units=1 binary_trees_box.rs

use std::io::Write;

const MIN_DEPTH: u32 = 4;

struct Node {
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

/// Build a complete tree of the given depth, children before parent.
fn build(depth: u32) -> Box<Node> {
    if depth == 0 {
        return Box::new(Node { left: None, right: None });
    }
    let left = build(depth - 1);
    let right = build(depth - 1);
    Box::new(Node { left: Some(left), right: Some(right) })
}

/// Number of nodes reachable from `n` (`n` included).
fn check(n: &Node) -> u64 {
    1 + n.left.as_deref().map_or(0, check) + n.right.as_deref().map_or(0, check)
}

fn main() {
    let n: u32 = match std::env::args().nth(1) {
        None => 10,
        Some(s) => match s.parse::<u32>() {
            Ok(v) if v <= 40 => v,
            _ => {
                eprintln!("usage: binary_trees_box [max_depth]");
                std::process::exit(2);
            }
        },
    };
    let max_depth = n.max(MIN_DEPTH + 2);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();

    {
        let stretch = build(max_depth + 1);
        writeln!(out, "stretch tree of depth {}\t check: {}", max_depth + 1, check(&stretch)).unwrap();
    }

    let long_lived = build(max_depth);

    let mut d = MIN_DEPTH;
    while d <= max_depth {
        let iterations: u64 = 1 << (max_depth - d + MIN_DEPTH);
        let mut total: u64 = 0;
        for _ in 0..iterations {
            let t = build(d);
            total += check(&t);
        }
        writeln!(out, "{}\t trees of depth {}\t check: {}", iterations, d, total).unwrap();
        d += 2;
    }

    writeln!(out, "long lived tree of depth {}\t check: {}", max_depth, check(&long_lived)).unwrap();
}
