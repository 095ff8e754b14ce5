//! Pause times of the incremental major collection against stop-the-world, on the same
//! workload.
//!
//! Usage: `pauses [--live-mib N] [--seconds S]` (defaults: 1024 MiB live, 6 s measured
//! per mode).
//!
//! For each mode, the program builds a complete binary tree of 32-byte nodes holding
//! `N` MiB of live data (not measured), then runs a mutator for `S` seconds that keeps
//! allocating short-lived garbage and rewiring the tree: it replaces a random leaf-level
//! subtree with a freshly built one, so the old subtree becomes garbage and the live size
//! stays constant while the old generation keeps growing with promoted nodes, which
//! starts major collections. Every pause of the measured phase is taken from the
//! collector's hook (`GcEvent::Pause`: the mutator stopped, for a minor collection plus
//! any major-collection work after it). The tree is checked (node count and values)
//! after each mode.
//!
//! The collector is configured alike in both modes: a 4 MiB nursery, 1 MiB of marking
//! per incremental step, and a major collection due when the old generation has grown by
//! 64 MiB over the live size (`max_delta`), so that the measured phase contains whole
//! major cycles. The last two lines read
//! `incremental p50_ms=.. p99_ms=.. max_ms=.. gc_s=..` and
//! `stop_the_world p50_ms=.. p99_ms=.. max_ms=.. gc_s=..`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};
use thicket_gc::{GcConfig, GcEvent, Heap, ObjRef, Scope, TypeDesc, TypeId};

/// A node: header, two children, a value.
#[repr(C)]
struct Node {
    header: u64,
    left: Option<ObjRef>,
    right: Option<ObjRef>,
    value: i64,
}

/// Short-lived nodes allocated per rewire.
const GARBAGE_PER_REWIRE: usize = 96;

/// Depth of the replaced subtrees: 2^(REWIRE_DEPTH+1)-1 nodes each.
const REWIRE_DEPTH: u32 = 1;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Builds a tree bottom-up with raw references on the shadow stack; every node's value
/// is `value`.
///
/// # Safety
/// The shadow stack holds every reference live across an allocation.
unsafe fn build(s: &mut Scope<'_>, node: TypeId, depth: u32, value: i64) -> ObjRef {
    // SAFETY (whole body): children are pushed before the next allocation and popped
    // after it; the new node is young when written, and the barrier runs anyway.
    unsafe {
        let (l, r) = if depth > 0 {
            let l = build(s, node, depth - 1, value);
            s.shadow_stack().push(Some(l));
            let r = build(s, node, depth - 1, value);
            s.shadow_stack().push(Some(r));
            (true, true)
        } else {
            (false, false)
        };
        let n = s.alloc_raw(node, 0, false).expect("allocation failed");
        let p = n.as_ptr() as *mut Node;
        if l && r {
            let ss = s.shadow_stack();
            (*p).right = ss.pop();
            (*p).left = ss.pop();
        }
        (*p).value = value;
        n
    }
}

/// Counts the nodes of a tree and sums their values (no allocation happens meanwhile).
fn check(root: Option<ObjRef>) -> (u64, i64) {
    let mut stack = vec![root];
    let (mut count, mut sum) = (0u64, 0i64);
    while let Some(n) = stack.pop() {
        let Some(n) = n else { continue };
        // SAFETY: the tree is rooted and nothing allocates during the walk.
        let node = unsafe { &*(n.as_ptr() as *const Node) };
        count += 1;
        sum = sum.wrapping_add(node.value);
        stack.push(node.left);
        stack.push(node.right);
    }
    (count, sum)
}

struct Outcome {
    pauses: Vec<Duration>,
    gc_time: Duration,
    majors: u64,
}

fn run(incremental: bool, live_mib: usize, seconds: f64) -> Outcome {
    let nursery = 4 << 20;
    let mut heap = Heap::new(GcConfig {
        nursery_size: nursery,
        incremental,
        increment_step: 1 << 20,
        min_heap_size: 64 << 20,
        max_delta: 64 << 20,
        verify: false,
        ..GcConfig::default()
    })
    .expect("heap");
    let node = heap
        .register(TypeDesc::fixed(
            "node",
            size_of::<Node>(),
            &[
                std::mem::offset_of!(Node, left),
                std::mem::offset_of!(Node, right),
            ],
        ))
        .unwrap();
    // Depth d holds 2^(d+1)-1 nodes of 32 bytes.
    let nodes = (live_mib << 20) / size_of::<Node>();
    let depth = (usize::BITS - nodes.leading_zeros())
        .saturating_sub(2)
        .max(REWIRE_DEPTH + 2);

    let events = Rc::new(RefCell::new((Vec::new(), false, 0u64, 0u64)));
    let detail: Rc<RefCell<Vec<(&'static str, Duration)>>> = Rc::default();
    let detail_sink = detail.clone();
    let sink = events.clone();
    heap.set_hook(Box::new(move |e| {
        let mut ev = sink.borrow_mut();
        if !ev.1 {
            return;
        }
        let mut d = detail_sink.borrow_mut();
        match e {
            GcEvent::Pause(p) => ev.0.push(p.duration),
            GcEvent::Major(_) => ev.2 += 1,
            GcEvent::MajorStep(st) => {
                ev.3 += 1;
                let what = match st.phase_before {
                    thicket_gc::Phase::Sweeping => "sweep step",
                    _ => "mark step",
                };
                d.push((what, st.duration));
            }
            GcEvent::Minor(m) => d.push(("minor", m.duration)),
        }
    }));

    let mode = if incremental {
        "incremental"
    } else {
        "stop_the_world"
    };
    let t_build = Instant::now();
    heap.scope(|s| {
        // SAFETY: `build` keeps its references on the shadow stack.
        let root = unsafe { build(s, node, depth, 1) };
        s.shadow_stack().push(Some(root));
        // End the build phase cleanly: its last nursery-full of tree nodes is promoted
        // here, not in the first pause of the measured phase.
        s.collect_minor();
    });
    eprintln!(
        "{mode}: built a tree of depth {depth} ({} MiB) in {:.1} s",
        (((1u64 << (depth + 1)) - 1) * 32) >> 20,
        t_build.elapsed().as_secs_f64()
    );
    let gc_start = {
        let st = heap.stats();
        st.minor_time + st.major_time
    };
    events.borrow_mut().1 = true;

    // The measured phase.
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let t0 = Instant::now();
    let mut rewires = 0u64;
    heap.scope(|s| {
        while t0.elapsed().as_secs_f64() < seconds {
            for _ in 0..64 {
                // Garbage: short-lived nodes (about 97% of what is allocated dies young).
                for _ in 0..GARBAGE_PER_REWIRE {
                    // SAFETY: the result is dropped at once; nothing unrooted is held.
                    unsafe { s.alloc_raw(node, 0, false) }.expect("allocation failed");
                }
                // A fresh subtree, built before choosing where it goes (building
                // allocates, so the path must be read afterwards).
                // SAFETY: `build` keeps its references on the shadow stack.
                let fresh = unsafe { build(s, node, REWIRE_DEPTH, 1) };
                // Walk down from the root to a node REWIRE_DEPTH+1 levels above the leaves
                // and replace one of its children. No allocation happens on the way.
                let root = s.shadow_stack().slots()[0].expect("root");
                let mut cur = root;
                let mut bits = rng.next();
                for _ in 0..depth - REWIRE_DEPTH - 1 {
                    // SAFETY: rooted tree, no allocation during the walk.
                    let n = unsafe { &*(cur.as_ptr() as *const Node) };
                    cur = if bits & 1 == 0 { n.left } else { n.right }.expect("full tree");
                    bits >>= 1;
                }
                // SAFETY: `cur` is a live tree node; the barrier runs before the store.
                unsafe {
                    s.write_barrier(cur);
                    let n = &mut *(cur.as_ptr() as *mut Node);
                    if bits & 1 == 0 {
                        n.left = Some(fresh);
                    } else {
                        n.right = Some(fresh);
                    }
                }
                rewires += 1;
            }
        }
    });
    let measured = t0.elapsed();
    events.borrow_mut().1 = false;
    let st = heap.stats();
    let gc_time = st.minor_time + st.major_time - gc_start;

    // The tree must be intact: every node still has value 1.
    let (count, sum) = check(heap.shadow_stack().slots()[0]);
    assert_eq!(count, (1u64 << (depth + 1)) - 1, "{mode}: tree lost nodes");
    assert_eq!(sum, count as i64, "{mode}: node values changed");
    let ev = events.borrow();
    eprintln!(
        "{mode}: {rewires} rewires in {:.1} s, {} pauses, {} major collections completed, \
         {} incremental steps; tree intact ({count} nodes)",
        measured.as_secs_f64(),
        ev.0.len(),
        ev.2,
        ev.3
    );
    if std::env::var_os("PAUSES_DETAIL").is_some() {
        for what in ["minor", "mark step", "sweep step"] {
            let mut v: Vec<Duration> = detail
                .borrow()
                .iter()
                .filter(|(w, _)| *w == what)
                .map(|(_, d)| *d)
                .collect();
            v.sort();
            eprintln!(
                "{mode}: {what}: n={} p50_ms={:.3} p99_ms={:.3} max_ms={:.3}",
                v.len(),
                percentile(&v, 50.0),
                percentile(&v, 99.0),
                v.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
            );
        }
    }
    Outcome {
        pauses: ev.0.clone(),
        gc_time,
        majors: ev.2,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1].as_secs_f64() * 1e3
}

fn main() {
    let mut live_mib = 1024;
    let mut seconds = 6.0;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--live-mib" => {
                live_mib = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--live-mib N")
            }
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--seconds S")
            }
            _ => {
                eprintln!("usage: pauses [--live-mib N] [--seconds S]");
                std::process::exit(2);
            }
        }
    }
    let mut lines = Vec::new();
    for incremental in [true, false] {
        let mut o = run(incremental, live_mib, seconds);
        o.pauses.sort();
        let name = if incremental {
            "incremental"
        } else {
            "stop_the_world"
        };
        if o.majors == 0 {
            eprintln!("{name}: warning: no major collection completed in the measured phase");
        }
        lines.push(format!(
            "{name} p50_ms={:.3} p99_ms={:.3} max_ms={:.3} gc_s={:.3}",
            percentile(&o.pauses, 50.0),
            percentile(&o.pauses, 99.0),
            o.pauses.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
            o.gc_time.as_secs_f64()
        ));
    }
    for l in lines {
        println!("{l}");
    }
}
