//! gcbench_box.rs -- Thicket benchmark-comparison baseline.
//!
//! A GCBench-style workload (after the benchmark by Ellis, Kovac and Boehm;
//! written from a description, not from its source) in plain Rust with
//! `Option<Box<Node>>` children, freed by `Drop`. No dependencies.
//!   1. build and drop a stretch tree of depth 18 (bottom-up);
//!   2. build a long-lived tree of depth 16 top-down (allocate an empty node,
//!      then fill in its children and recurse -- mutating existing nodes);
//!   3. allocate a live array of 500000 doubles, a[i] = 1.0/i (a[0] = 0);
//!   4. for depth d = 4, 6, ..., 16: build n = 2*nodes(16)/nodes(d) trees
//!      top-down, then n trees bottom-up, dropping each one immediately;
//!   5. verify the long-lived tree and the array are intact.
//!
//! Usage: gcbench_box          (no arguments)
//! Build: rustc -C opt-level=3 -C codegen-units=1 gcbench_box.rs

use std::hint::black_box;
use std::io::Write;

const STRETCH_DEPTH: u32 = 18;
const LONG_LIVED_DEPTH: u32 = 16;
const ARRAY_LEN: usize = 500_000;
const MIN_DEPTH: u32 = 4;
const MAX_DEPTH: u32 = 16;

struct Node {
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
    #[allow(dead_code)]
    i: i32,
    #[allow(dead_code)]
    j: i32,
}

impl Node {
    fn leaf() -> Box<Node> {
        Box::new(Node { left: None, right: None, i: 0, j: 0 })
    }
}

/// Number of nodes in a complete tree of the given depth (depth 0 = 1 node).
fn tree_size(depth: u32) -> u64 {
    (1u64 << (depth + 1)) - 1
}

/// Bottom-up: children are allocated before their parent.
fn make_tree(depth: u32) -> Box<Node> {
    if depth == 0 {
        return Node::leaf();
    }
    let left = make_tree(depth - 1);
    let right = make_tree(depth - 1);
    Box::new(Node { left: Some(left), right: Some(right), i: 0, j: 0 })
}

/// Top-down: give an existing node two fresh children, then recurse.
fn populate(depth: u32, node: &mut Node) {
    if depth == 0 {
        return;
    }
    node.left = Some(Node::leaf());
    node.right = Some(Node::leaf());
    populate(depth - 1, node.left.as_deref_mut().unwrap());
    populate(depth - 1, node.right.as_deref_mut().unwrap());
}

fn make_tree_top_down(depth: u32) -> Box<Node> {
    let mut root = Node::leaf();
    populate(depth, &mut root);
    root
}

fn count_nodes(node: Option<&Node>) -> u64 {
    match node {
        None => 0,
        Some(n) => 1 + count_nodes(n.left.as_deref()) + count_nodes(n.right.as_deref()),
    }
}

fn main() {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();

    // 1. Stretch the heap with a temporary tree.
    drop(black_box(make_tree(STRETCH_DEPTH)));

    // 2. Long-lived tree, built top-down.
    let long_lived = make_tree_top_down(LONG_LIVED_DEPTH);

    // 3. Long-lived array of doubles.
    let mut array = vec![0.0f64; ARRAY_LEN];
    for (i, a) in array.iter_mut().enumerate().skip(1) {
        *a = 1.0 / i as f64;
    }
    let array = black_box(array);

    // 4. Short-lived trees of increasing depth.
    let mut d = MIN_DEPTH;
    while d <= MAX_DEPTH {
        let n = 2 * tree_size(LONG_LIVED_DEPTH) / tree_size(d);
        for _ in 0..n {
            drop(black_box(make_tree_top_down(d)));
        }
        for _ in 0..n {
            drop(black_box(make_tree(d)));
        }
        writeln!(out, "depth {}: {} trees top-down, {} bottom-up", d, n, n).unwrap();
        d += 2;
    }

    // 5. The long-lived data must have survived untouched.
    let nodes = count_nodes(Some(&long_lived));
    if nodes != tree_size(LONG_LIVED_DEPTH) {
        eprintln!("long lived tree has {} nodes, expected {}", nodes, tree_size(LONG_LIVED_DEPTH));
        std::process::exit(1);
    }
    if array[0] != 0.0 || array[1000] != 1.0 / 1000.0 {
        eprintln!("long lived array corrupted");
        std::process::exit(1);
    }
    for (i, &a) in array.iter().enumerate().skip(1) {
        if a != 1.0 / i as f64 {
            eprintln!("long lived array corrupted at {}", i);
            std::process::exit(1);
        }
    }
    writeln!(out, "long lived tree ok, array ok").unwrap();
}
