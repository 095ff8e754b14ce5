//! Model-based property test of the whole collector.
//!
//! Random sequences of operations (allocate nodes, reference arrays, byte arrays, large
//! and non-moving objects; link and unlink slots through the safe API; drop and add roots;
//! write payloads and bytes; run minor and major collections) are applied both to a heap
//! and to a plain Rust model of the object graph. After every step, every object the
//! model says is reachable from the roots is checked in the heap: its type, its payload
//! or bytes, and that each reference slot points to the same object the model says it
//! does (object identity is compared by address, consistently across the whole graph).
//! Non-moving objects must also keep their address. The heap verifier runs after every
//! collection (it panics on corruption) and once more at the end of each case.
//!
//! The property runs in the normal configuration (small nursery), in two stress modes
//! (a minor collection every 1 and every 4 allocations, poisoned nursery), and with
//! stop-the-world major collections started by a small threshold. The incremental
//! variants add single steps (`collect_step`) to the operations and use a small minimum
//! heap and step size, so that cycles start on their own and stay in progress across
//! many operations: the incremental-update barrier, the root rescans and the allocation
//! colour are exercised, and the verifier checks the tri-colour invariant while marking.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::collections::HashMap;
use thicket_gc::{GcConfig, Handle, Heap, Obj, Scope, TypeId};

#[derive(Clone, Debug)]
enum AllocKind {
    Node(i64),
    Refs(usize),
    Bytes(usize, u8),
    LargeRefs,
    LargeBytes(u8),
    PinnedNode(i64),
    PinnedRefs(usize),
}

#[derive(Clone, Debug)]
enum Op {
    /// Allocate and hold the object in a new root.
    Alloc(AllocKind),
    /// Allocate and store the object into slot `.2` of reachable object `.1` (not rooted).
    AllocInto(AllocKind, usize, usize),
    /// Store reachable object `.2` into slot `.1` of reachable object `.0`.
    Link(usize, usize, usize),
    /// Store `None` into slot `.1` of reachable object `.0`.
    Unlink(usize, usize),
    /// Drop root `.0`.
    DropRoot(usize),
    /// Add a root for reachable object `.0` (carried out of a nested scope by `escape`).
    Reroot(usize),
    Minor,
    Major,
    /// A minor collection and one incremental major-collection step.
    Step,
    /// Write the payload of reachable node `.0`.
    WritePayload(usize, i64),
    /// Write byte `.1` of reachable byte array `.0`.
    WriteByte(usize, usize, u8),
}

fn alloc_kind() -> impl Strategy<Value = AllocKind> {
    prop_oneof![
        10 => any::<i64>().prop_map(AllocKind::Node),
        8 => (0usize..40).prop_map(AllocKind::Refs),
        8 => (0usize..300, any::<u8>()).prop_map(|(n, s)| AllocKind::Bytes(n, s)),
        1 => Just(AllocKind::LargeRefs),
        1 => any::<u8>().prop_map(AllocKind::LargeBytes),
        2 => any::<i64>().prop_map(AllocKind::PinnedNode),
        1 => (0usize..40).prop_map(AllocKind::PinnedRefs),
    ]
}

/// The operations; `Step` only if `steps` (incremental cycles left in progress).
fn op(steps: bool) -> impl Strategy<Value = Op> {
    let pick = || 0usize..1024;
    // Without steps, the slot goes to minor collections.
    let step = if steps { Op::Step } else { Op::Minor };
    prop_oneof![
        5 => alloc_kind().prop_map(Op::Alloc),
        5 => (alloc_kind(), pick(), pick()).prop_map(|(k, a, b)| Op::AllocInto(k, a, b)),
        8 => (pick(), pick(), pick()).prop_map(|(a, b, c)| Op::Link(a, b, c)),
        2 => (pick(), pick()).prop_map(|(a, b)| Op::Unlink(a, b)),
        3 => pick().prop_map(Op::DropRoot),
        1 => pick().prop_map(Op::Reroot),
        1 => Just(Op::Minor),
        1 => Just(Op::Major),
        3 => Just(step),
        2 => (pick(), any::<i64>()).prop_map(|(a, v)| Op::WritePayload(a, v)),
        2 => (pick(), pick(), any::<u8>()).prop_map(|(a, b, v)| Op::WriteByte(a, b, v)),
    ]
}

fn ops(steps: bool) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(steps), 1..200)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Node,
    Refs,
    Bytes,
}

#[derive(Debug)]
struct MObj {
    kind: Kind,
    slots: Vec<Option<usize>>,
    payload: i64,
    bytes: Vec<u8>,
    /// The address of a non-moving object, which must never change.
    pinned_at: Option<usize>,
}

/// The model: every object ever allocated (by id) and the root list, parallel to the
/// test's `Vec<Handle>`.
#[derive(Default, Debug)]
struct Model {
    objs: Vec<MObj>,
    roots: Vec<usize>,
}

/// How to reach an object from the roots: root index, then slot numbers.
type Path = (usize, Vec<usize>);

impl Model {
    /// The reachable objects in a deterministic (breadth-first) order, with a path to each.
    fn reachable(&self) -> Vec<(usize, Path)> {
        let mut seen = HashMap::new();
        let mut out = Vec::new();
        let mut queue = std::collections::VecDeque::new();
        for (i, &r) in self.roots.iter().enumerate() {
            queue.push_back((r, (i, vec![])));
        }
        while let Some((id, path)) = queue.pop_front() {
            if seen.insert(id, ()).is_some() {
                continue;
            }
            for (k, s) in self.objs[id].slots.iter().enumerate() {
                if let Some(c) = *s {
                    if !seen.contains_key(&c) {
                        let mut p = path.clone();
                        p.1.push(k);
                        queue.push_back((c, p));
                    }
                }
            }
            out.push((id, path));
        }
        out
    }

    /// Picks the `pick`-th (modulo) reachable object satisfying `want`.
    fn pick(&self, pick: usize, want: impl Fn(&MObj) -> bool) -> Option<(usize, Path)> {
        let c: Vec<_> = self
            .reachable()
            .into_iter()
            .filter(|(id, _)| want(&self.objs[*id]))
            .collect();
        if c.is_empty() {
            None
        } else {
            Some(c[pick % c.len()].clone())
        }
    }
}

fn type_of(t: &Types, k: Kind) -> TypeId {
    match k {
        Kind::Node => t.node,
        Kind::Refs => t.refs,
        Kind::Bytes => t.bytes,
    }
}

/// A handle (in scope `s`) for the object at the end of `path`.
fn navigate<'i>(
    s: &Scope<'i>,
    t: &Types,
    roots: &[Handle<'_>],
    m: &Model,
    path: &Path,
) -> Handle<'i> {
    let mut h = s.dup(roots[path.0]);
    let mut id = m.roots[path.0];
    for &k in &path.1 {
        let o = &m.objs[id];
        h = match o.kind {
            Kind::Node => s.get(h, t.slot(k)),
            Kind::Refs => s.item(h, k),
            Kind::Bytes => unreachable!("byte arrays have no slots"),
        };
        id = o.slots[k].expect("path follows set slots");
    }
    h
}

/// Stores `v` into slot `k` of `h` (an object of kind `kind`), through the safe API.
fn store(s: &Scope<'_>, t: &Types, kind: Kind, h: Handle<'_>, k: usize, v: Option<Handle<'_>>) {
    match kind {
        Kind::Node => s.set(h, t.slot(k), v),
        Kind::Refs => s.set_item(h, k, v),
        Kind::Bytes => unreachable!("byte arrays have no slots"),
    }
}

/// Allocates an object of `kind` in scope `s`, checks it is zeroed, initialises it, and
/// adds it to the model. Returns its handle and model id.
fn alloc<'i>(
    s: &mut Scope<'i>,
    t: &Types,
    m: &mut Model,
    kind: &AllocKind,
) -> Result<(Handle<'i>, usize), String> {
    let err = |e: thicket_gc::AllocError| format!("allocation of {kind:?} failed: {e}");
    let (h, mobj) = match *kind {
        AllocKind::Node(v) | AllocKind::PinnedNode(v) => {
            let pinned = matches!(kind, AllocKind::PinnedNode(_));
            let h = if pinned {
                s.alloc_nonmoving(t.node, 0).map_err(err)?
            } else {
                s.alloc(t.node).map_err(err)?
            };
            if s.read(h, t.payload) != 0 || !s.is_null(s.get(h, t.left)) {
                return Err(format!("fresh {kind:?} is not zeroed"));
            }
            s.write(h, t.payload, v);
            let o = MObj {
                kind: Kind::Node,
                slots: vec![None; 2],
                payload: v,
                bytes: vec![],
                pinned_at: pinned.then(|| s.raw(h).unwrap().addr()),
            };
            (h, o)
        }
        AllocKind::Refs(n) | AllocKind::PinnedRefs(n) => {
            let pinned = matches!(kind, AllocKind::PinnedRefs(_));
            let h = if pinned {
                s.alloc_nonmoving(t.refs, n).map_err(err)?
            } else {
                s.alloc_array(t.refs, n).map_err(err)?
            };
            alloc_refs_check(s, h, n, kind)?;
            let o = MObj {
                kind: Kind::Refs,
                slots: vec![None; n],
                payload: 0,
                bytes: vec![],
                pinned_at: pinned.then(|| s.raw(h).unwrap().addr()),
            };
            (h, o)
        }
        AllocKind::LargeRefs => {
            let h = s.alloc_array(t.refs, LARGE_REFS).map_err(err)?;
            alloc_refs_check(s, h, LARGE_REFS, kind)?;
            let o = MObj {
                kind: Kind::Refs,
                slots: vec![None; LARGE_REFS],
                payload: 0,
                bytes: vec![],
                pinned_at: None,
            };
            (h, o)
        }
        AllocKind::Bytes(_, seed) | AllocKind::LargeBytes(seed) => {
            let n = match *kind {
                AllocKind::Bytes(n, _) => n,
                _ => LARGE_BYTES,
            };
            let h = s.alloc_array(t.bytes, n).map_err(err)?;
            if s.len(h) != n || s.bytes(h).iter().any(|&b| b != 0) {
                return Err(format!(
                    "fresh {kind:?} has the wrong length or is not zeroed"
                ));
            }
            let p = pattern(n, seed);
            s.bytes_mut(h).copy_from_slice(&p);
            let o = MObj {
                kind: Kind::Bytes,
                slots: vec![],
                payload: 0,
                bytes: p,
                pinned_at: None,
            };
            (h, o)
        }
    };
    m.objs.push(mobj);
    Ok((h, m.objs.len() - 1))
}

fn alloc_refs_check(
    s: &Scope<'_>,
    h: Handle<'_>,
    n: usize,
    kind: &AllocKind,
) -> Result<(), String> {
    let o = s.get_obj(h);
    if o.len() != n || (0..n).any(|i| o.item(i).is_some()) {
        return Err(format!(
            "fresh {kind:?} has the wrong length or is not all None"
        ));
    }
    Ok(())
}

/// Checks every object reachable in the model against the heap.
fn check(s: &Scope<'_>, t: &Types, roots: &[Handle<'_>], m: &Model) -> Result<(), String> {
    let mut addr_of: HashMap<usize, usize> = HashMap::new();
    let mut id_at: HashMap<usize, usize> = HashMap::new();
    let mut stack: Vec<(usize, Obj<'_>, String)> = Vec::new();
    for (i, (&h, &id)) in roots.iter().zip(&m.roots).enumerate() {
        let o = s
            .obj(h)
            .ok_or_else(|| format!("root {i} (object {id}) holds no object"))?;
        stack.push((id, o, format!("root {i}")));
    }
    while let Some((id, o, path)) = stack.pop() {
        let a = o.raw().addr();
        if let Some(&prev) = addr_of.get(&id) {
            if prev != a {
                return Err(format!(
                    "object {id} reached at {a:#x} via {path} but at {prev:#x} elsewhere"
                ));
            }
            continue;
        }
        if let Some(&other) = id_at.get(&a) {
            return Err(format!(
                "objects {other} and {id} are both at {a:#x} (reached via {path})"
            ));
        }
        addr_of.insert(id, a);
        id_at.insert(a, id);
        let mo = &m.objs[id];
        let want = type_of(t, mo.kind);
        if o.type_id() != want {
            return Err(format!(
                "object {id} (via {path}) has type {:?}, expected {want:?}",
                o.type_id()
            ));
        }
        if let Some(p) = mo.pinned_at {
            if p != a {
                return Err(format!(
                    "non-moving object {id} moved from {p:#x} to {a:#x}"
                ));
            }
        }
        match mo.kind {
            Kind::Node => {
                let v = o.read(t.payload);
                if v != mo.payload {
                    return Err(format!(
                        "node {id} (via {path}) has payload {v}, expected {}",
                        mo.payload
                    ));
                }
                for k in 0..2 {
                    visit(id, &path, k, o.get(t.slot(k)), mo.slots[k], &mut stack)?;
                }
            }
            Kind::Refs => {
                if o.len() != mo.slots.len() {
                    return Err(format!(
                        "array {id} (via {path}) has length {}, expected {}",
                        o.len(),
                        mo.slots.len()
                    ));
                }
                for k in 0..mo.slots.len() {
                    visit(id, &path, k, o.item(k), mo.slots[k], &mut stack)?;
                }
            }
            Kind::Bytes => {
                if o.bytes() != &mo.bytes[..] {
                    return Err(format!(
                        "byte array {id} (via {path}, {} bytes) has the wrong contents",
                        mo.bytes.len()
                    ));
                }
            }
        }
    }
    Ok(())
}

fn visit<'v>(
    id: usize,
    path: &str,
    k: usize,
    got: Option<Obj<'v>>,
    want: Option<usize>,
    stack: &mut Vec<(usize, Obj<'v>, String)>,
) -> Result<(), String> {
    match (got, want) {
        (None, None) => Ok(()),
        (Some(o), Some(c)) => {
            stack.push((c, o, format!("{path}.{k}")));
            Ok(())
        }
        (got, want) => Err(format!(
            "slot {k} of object {id} (via {path}) holds {got:?}, the model says object {want:?}"
        )),
    }
}

fn has_slots(o: &MObj) -> bool {
    !o.slots.is_empty()
}

/// Runs one case: applies `ops` to a fresh heap and to the model, checking after each.
fn run_case(config: &GcConfig, ops: &[Op]) -> Result<(), String> {
    let mut heap = Heap::new(config.clone()).map_err(|e| e.to_string())?;
    let t = Types::register(&mut heap);
    let mut m = Model::default();
    heap.scope(|s| -> Result<(), String> {
        let mut roots: Vec<Handle<'_>> = Vec::new();
        for (step, op) in ops.iter().enumerate() {
            apply(s, &t, &mut roots, &mut m, op)
                .map_err(|e| format!("step {step} ({op:?}) failed: {e}"))?;
            check(s, &t, &roots, &m).map_err(|e| format!("after step {step} ({op:?}): {e}"))?;
        }
        s.collect_major();
        check(s, &t, &roots, &m).map_err(|e| format!("after the final major collection: {e}"))
    })?;
    heap.verify()
        .map_err(|e| format!("verify at the end of the case: {e}"))?;
    Ok(())
}

fn apply<'s>(
    s: &mut Scope<'s>,
    t: &Types,
    roots: &mut Vec<Handle<'s>>,
    m: &mut Model,
    op: &Op,
) -> Result<(), String> {
    match op {
        Op::Alloc(kind) => {
            let (h, id) = alloc(s, t, m, kind)?;
            roots.push(h);
            m.roots.push(id);
        }
        Op::AllocInto(kind, src, slot) => {
            let Some((src, path)) = m.pick(*src, has_slots) else {
                return Ok(());
            };
            let skind = m.objs[src].kind;
            let k = slot % m.objs[src].slots.len();
            let roots: &[Handle<'_>] = roots;
            let id = s.scope(|i| -> Result<usize, String> {
                let hs = navigate(i, t, roots, m, &path);
                // This allocation may collect: `hs` must follow its object.
                let (hn, id) = alloc(i, t, m, kind)?;
                store(i, t, skind, hs, k, Some(hn));
                Ok(id)
            })?;
            m.objs[src].slots[k] = Some(id);
        }
        Op::Link(src, slot, dst) => {
            let Some((src, spath)) = m.pick(*src, has_slots) else {
                return Ok(());
            };
            let (dst, dpath) = m.pick(*dst, |_| true).expect("src is reachable");
            let skind = m.objs[src].kind;
            let k = slot % m.objs[src].slots.len();
            s.scope(|i| {
                let hs = navigate(i, t, roots, m, &spath);
                let hd = navigate(i, t, roots, m, &dpath);
                store(i, t, skind, hs, k, Some(hd));
            });
            m.objs[src].slots[k] = Some(dst);
        }
        Op::Unlink(src, slot) => {
            let Some((src, spath)) = m.pick(*src, has_slots) else {
                return Ok(());
            };
            let skind = m.objs[src].kind;
            let k = slot % m.objs[src].slots.len();
            s.scope(|i| {
                let hs = navigate(i, t, roots, m, &spath);
                store(i, t, skind, hs, k, None);
            });
            m.objs[src].slots[k] = None;
        }
        Op::DropRoot(i) => {
            if !roots.is_empty() {
                let i = i % roots.len();
                s.set_handle(roots[i], None);
                roots.remove(i);
                m.roots.remove(i);
            }
        }
        Op::Reroot(pick) => {
            let Some((id, path)) = m.pick(*pick, |_| true) else {
                return Ok(());
            };
            let inner_roots: &[Handle<'_>] = roots;
            let h = s
                .escape(|i| Ok::<_, ()>(navigate(i, t, inner_roots, m, &path)))
                .unwrap();
            roots.push(h);
            m.roots.push(id);
        }
        Op::Minor => s.collect_minor(),
        Op::Major => s.collect_major(),
        Op::Step => {
            s.collect_step();
        }
        Op::WritePayload(pick, v) => {
            let Some((id, path)) = m.pick(*pick, |o| o.kind == Kind::Node) else {
                return Ok(());
            };
            s.scope(|i| {
                let h = navigate(i, t, roots, m, &path);
                i.write(h, t.payload, *v);
            });
            m.objs[id].payload = *v;
        }
        Op::WriteByte(pick, idx, v) => {
            let Some((id, path)) = m.pick(*pick, |o| o.kind == Kind::Bytes && !o.bytes.is_empty())
            else {
                return Ok(());
            };
            let k = idx % m.objs[id].bytes.len();
            s.scope(|i| {
                let h = navigate(i, t, roots, m, &path);
                i.bytes_mut(h)[k] = *v;
            });
            m.objs[id].bytes[k] = *v;
        }
    }
    Ok(())
}

fn run_model(name: &str, config: GcConfig, steps: bool, cases: u32) {
    let cfg = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(cfg, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let result = runner.run(&ops(steps), |ops| {
        run_case(&config, &ops).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("model test in the {name} configuration: {e}");
    }
}

/// Makes major collections start often and advance in small steps, so that marking and
/// sweeping are interleaved with the operations.
fn incremental(base: GcConfig) -> GcConfig {
    GcConfig {
        incremental: true,
        min_heap_size: 64 << 10,
        increment_step: 2 << 10,
        ..base
    }
}

#[test]
fn model_normal() {
    run_model("normal", normal(), false, 128);
}

#[test]
fn model_stress_every_allocation() {
    run_model("stress(1)", stress(1), false, 64);
}

#[test]
fn model_stress_every_four_allocations() {
    run_model("stress(4)", stress(4), false, 64);
}

#[test]
fn model_stop_the_world_policy() {
    // Stop-the-world major collections started by the threshold policy.
    let config = GcConfig {
        incremental: false,
        min_heap_size: 64 << 10,
        ..normal()
    };
    run_model("stop-the-world", config, false, 48);
}

#[test]
fn model_incremental() {
    run_model("incremental", incremental(normal()), true, 128);
}

#[test]
fn model_incremental_stress() {
    run_model("incremental stress(1)", incremental(stress(1)), true, 64);
    run_model("incremental stress(4)", incremental(stress(4)), true, 64);
}

#[test]
fn model_steps_with_stop_the_world_policy() {
    let config = GcConfig {
        incremental: false,
        min_heap_size: 64 << 10,
        increment_step: 2 << 10,
        ..normal()
    };
    run_model("steps + stop-the-world", config, true, 48);
}
