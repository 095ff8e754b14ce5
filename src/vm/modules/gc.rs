//! The `gc` module: explicit collections, statistics, enabling/disabling, and hooks in
//! the style of PyPy's `gc.hooks`.
//!
//! - `collect([generation])` runs a full major collection of the moving heap (whatever
//!   the generation, which must be 0, 1 or 2) and returns the number of objects that
//!   collection freed (CPython returns the number of unreachable objects it found; the
//!   numbers differ between implementations, do not print them).
//! - `collect_step()` runs one incremental step (a minor collection plus one bounded
//!   step of the major collection, starting a cycle if none is in progress) and returns
//!   a `GcCollectStepStats` object, as PyPy's `gc.collect_step()` does: `oldstate`,
//!   `newstate` (indices into `GcCollectStepStats.GC_STATES`: `IDLE`, `MARKING`,
//!   `CLEARING_WEAK`, `FINALIZING`, `SWEEPING`), `major_is_done` (the step finished a
//!   cycle), `duration` (seconds), `count` (1).
//! - `enable()`/`disable()`/`isenabled()` keep a flag (`vm.gc_enabled`). **Limitation:**
//!   the collector has no run-time switch (its thresholds are fixed at creation), and
//!   the moving nursery must be collected whenever it fills anyway, so `disable()` does
//!   not stop automatic collections, minor or major; it only changes what `isenabled()`
//!   reports. Explicit `collect()` works either way, as in CPython.
//! - `get_stats()` returns one dict of the heap's statistics (not CPython's list of
//!   per-generation dicts); `get_count()` returns `(bytes allocated in the nursery since
//!   the last minor collection, minor collections since the last completed major
//!   collection, major collections completed)`; the middle figure counts from the
//!   import of `gc`.
//! - `gc.hooks` has the attributes `on_gc_minor`, `on_gc_collect_step` and
//!   `on_gc_collect` (None or a callable) and the methods `set(obj)` and `reset()`.
//!
//! **Hooks.** The collector reports events through `Heap::set_hook`, inside the
//! collection, where no Python code may run: the Rust hook only queues plain numbers.
//! [`deliver_hooks`] runs the Python hooks afterwards, at the safepoint that ran the
//! collection (and after `collect()`/`collect_step()`). Each hook receives one stats
//! object. `on_gc_minor` gets the minor collections since the last delivery
//! aggregated (as PyPy does): `count`, `duration` (total seconds), `duration_min`,
//! `duration_max`, `total_memory_used` (old-generation bytes now), `pinned_objects`
//! (always 0), `bytes_promoted`, `nursery_bytes_used` (both summed).
//! `on_gc_collect_step` is called once per major-collection step: `count` (1),
//! `duration`, `duration_min`, `duration_max`, `oldstate`, `newstate`, `major_is_done`,
//! `bytes_marked`, `bytes_freed`. `on_gc_collect` is called once per completed major
//! collection: `count` (1), `duration` (total of its steps), `num_major_collects`,
//! `steps`, `bytes_marked`, `bytes_freed`, `total_memory_used` (old-generation bytes
//! after it), `arenas_count_after`, `arenas_bytes`, `bytes_returned`, `next_threshold`.
//! A hook that raises is reported on stderr ("Exception ignored in: ...") and the
//! others still run. While hooks run, delivery is not re-entered: collections caused by
//! a hook queue their events for the next delivery.

use super::{check_kws, class, new_class, new_object, own_attr, remember_class, set_attr};
use crate::vm::types::check_args;
use crate::vm::{Args, PyResult, RootSlot, Vm};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;
use thicket_gc::{GcEvent, Phase};
use thicket_object_model::Value;

/// Names of the major-collection phases, by state number.
const GC_STATES: [&str; 5] = ["IDLE", "MARKING", "CLEARING_WEAK", "FINALIZING", "SWEEPING"];

fn phase_index(p: Phase) -> i64 {
    match p {
        Phase::Idle => 0,
        Phase::Marking => 1,
        Phase::ClearingWeak => 2,
        Phase::Finalizing => 3,
        Phase::Sweeping => 4,
    }
}

/// A collector event, as plain numbers.
#[derive(Clone, Copy, Debug)]
enum Ev {
    Minor {
        duration: f64,
        nursery_used: usize,
        promoted: usize,
    },
    Step {
        duration: f64,
        before: i64,
        after: i64,
        marked: usize,
        freed: usize,
    },
    Major {
        duration: f64,
        steps: u64,
        marked: usize,
        freed: usize,
        old_after: usize,
        arenas_after: usize,
        returned: usize,
        next_threshold: usize,
    },
}

/// What the Rust hook shares with the module.
#[derive(Default)]
struct Shared {
    events: Vec<Ev>,
    minors_since_major: u64,
}

thread_local! {
    /// The queue of each VM that imported `gc`, by VM address (replaced when a new VM
    /// at the same address imports it).
    static QUEUES: RefCell<HashMap<usize, Rc<RefCell<Shared>>>> = RefCell::new(HashMap::new());
    /// Python hooks are running: no nested delivery.
    static DELIVERING: Cell<bool> = const { Cell::new(false) };
}

fn shared(vm: &Vm) -> Option<Rc<RefCell<Shared>>> {
    let key = vm as *const Vm as usize;
    QUEUES.with(|q| q.borrow().get(&key).cloned())
}

/// Creates the module.
pub fn create(vm: &mut Vm) -> Value {
    let m = vm.new_module("gc");
    let r = vm.push_root(m);
    let fns: &[(&'static str, crate::vm::NativeFn)] = &[
        ("collect", collect),
        ("collect_step", collect_step),
        ("isenabled", isenabled),
        ("enable", enable),
        ("disable", disable),
        ("get_stats", get_stats),
        ("get_count", get_count),
    ];
    for &(name, f) in fns {
        let d = {
            let m = vm.root(r);
            vm.module_dict(m)
        };
        vm.add_native(d, name, f);
    }
    let garbage = vm.sp.new_list(&[]);
    let d = {
        let m = vm.root(r);
        vm.module_dict(m)
    };
    vm.sp.dict_set_name(d, "garbage", garbage);

    // Stats classes.
    let minor = new_class(vm, "gc", "GcMinorStats", &[]);
    remember_class(vm, "gc.GcMinorStats", minor);
    let step = new_class(vm, "gc", "GcCollectStepStats", &[]);
    remember_class(vm, "gc.GcCollectStepStats", step);
    let names: Vec<Value> = GC_STATES.iter().map(|s| vm.sp.intern(s)).collect();
    let states = vm.sp.new_tuple(&names);
    let sd = vm.sp.type_dict(step);
    vm.sp.dict_set_name(sd, "GC_STATES", states);
    for (i, s) in GC_STATES.iter().enumerate() {
        let v = vm.sp.new_int(i as i64);
        let k = format!("STATE_{s}");
        let k = vm.sp.intern(&k);
        vm.sp.dict_set_str(sd, k, v);
    }
    let major = new_class(vm, "gc", "GcCollectStats", &[]);
    remember_class(vm, "gc.GcCollectStats", major);
    let d = {
        let m = vm.root(r);
        vm.module_dict(m)
    };
    vm.sp.dict_set_name(d, "GcMinorStats", minor);
    vm.sp.dict_set_name(d, "GcCollectStepStats", step);
    vm.sp.dict_set_name(d, "GcCollectStats", major);

    // gc.hooks
    let hooks_ty = new_class(vm, "gc", "GcHooks", &[]);
    vm.add_method(hooks_ty, "set", hooks_set);
    vm.add_method(hooks_ty, "reset", hooks_reset);
    let none = vm.sp.none;
    let hooks = new_object(
        vm,
        hooks_ty,
        &[
            ("on_gc_minor", none),
            ("on_gc_collect_step", none),
            ("on_gc_collect", none),
        ],
    );
    vm.root_set(RootSlot::GcHooks, Some(hooks));
    let d = {
        let m = vm.root(r);
        vm.module_dict(m)
    };
    vm.sp.dict_set_name(d, "hooks", hooks);

    // The collector's hook: queue plain numbers.
    let q = Rc::new(RefCell::new(Shared::default()));
    let key = vm_addr(vm);
    QUEUES.with(|m| m.borrow_mut().insert(key, q.clone()));
    vm.sp.heap.set_hook(Box::new(move |e: &GcEvent| {
        let mut s = q.borrow_mut();
        let ev = match e {
            GcEvent::Minor(m) => {
                s.minors_since_major += 1;
                Ev::Minor {
                    duration: m.duration.as_secs_f64(),
                    nursery_used: m.nursery_used,
                    promoted: m.bytes_promoted,
                }
            }
            GcEvent::MajorStep(st) => Ev::Step {
                duration: st.duration.as_secs_f64(),
                before: phase_index(st.phase_before),
                after: phase_index(st.phase_after),
                marked: st.bytes_marked,
                freed: st.bytes_freed,
            },
            GcEvent::Major(mj) => {
                s.minors_since_major = 0;
                Ev::Major {
                    duration: mj.duration.as_secs_f64(),
                    steps: mj.steps,
                    marked: mj.bytes_marked,
                    freed: mj.bytes_freed,
                    old_after: mj.old_bytes_after,
                    arenas_after: mj.arenas_after,
                    returned: mj.bytes_returned,
                    next_threshold: mj.next_threshold,
                }
            }
            GcEvent::Pause(_) => return,
        };
        // Without Python hooks the queue is emptied at each delivery; bound it anyway.
        if s.events.len() < 100_000 {
            s.events.push(ev);
        }
    }));
    let m = vm.root(r);
    vm.reset_roots(r);
    m
}

fn vm_addr(vm: &Vm) -> usize {
    vm as *const Vm as usize
}

/// After an explicit collection: drop caches keyed by address, deliver hook events.
fn after_explicit(vm: &mut Vm) {
    vm.method_cache.clear();
    // An explicit collection is a safe point: C proxies whose objects died are freed.
    crate::capi::release_dead(vm);
    deliver_hooks(vm);
}

fn collect(vm: &mut Vm, a: &Args) -> PyResult {
    check_kws(vm, a, "collect", &["generation"])?;
    check_args(vm, a, "collect", 0, 1)?;
    if let Some(g) = super::arg(vm, a, 0, "generation") {
        let g = vm.index_value(g)?;
        if !(0..=2).contains(&g) {
            return Err(vm.value_error("invalid generation"));
        }
    }
    let before = vm.sp.heap.stats().objects_freed;
    vm.sp.heap.collect_major();
    let freed = vm.sp.heap.stats().objects_freed.saturating_sub(before);
    after_explicit(vm);
    Ok(vm.sp.new_int(freed.min(i64::MAX as u64) as i64))
}

fn collect_step(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "collect_step", 0, 0)?;
    let t0 = Instant::now();
    let (before, after) = vm.sp.heap.collect_step();
    let dt = t0.elapsed().as_secs_f64();
    after_explicit(vm);
    Ok(step_stats(
        vm,
        dt,
        phase_index(before),
        phase_index(after),
        0,
        0,
    ))
}

fn isenabled(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "isenabled", 0, 0)?;
    Ok(vm.sp.new_bool(vm.gc_enabled))
}

fn enable(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "enable", 0, 0)?;
    vm.gc_enabled = true;
    Ok(vm.sp.none)
}

fn disable(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "disable", 0, 0)?;
    vm.gc_enabled = false;
    Ok(vm.sp.none)
}

fn get_stats(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "get_stats", 0, 0)?;
    let s = vm.sp.heap.stats();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let d = vm.sp.new_dict();
    let r = vm.push_root(d);
    let (links, _) = vm.sp.heap.extref_counts();
    let ints: [(&str, u64); 18] = [
        ("minor_collections", s.minor_collections),
        ("major_collections", s.major_collections),
        ("pause_count", s.pauses.count()),
        ("bytes_allocated", s.bytes_allocated),
        ("bytes_promoted", s.bytes_promoted),
        ("bytes_freed", s.bytes_freed),
        ("objects_freed", s.objects_freed),
        ("old_bytes", s.old_bytes as u64),
        ("peak_old_bytes", s.peak_old_bytes as u64),
        ("mapped_bytes", s.mapped_bytes as u64),
        ("arenas", s.arenas as u64),
        ("bytes_returned", s.bytes_returned),
        ("nursery_size", s.nursery_size as u64),
        ("next_major_threshold", s.next_major_threshold as u64),
        ("large_objects_allocated", s.large_objects_allocated),
        ("nonmoving_objects_allocated", s.nonmoving_objects_allocated),
        ("major_phase", phase_index(vm.sp.heap.major_phase()) as u64),
        ("extref_links", links as u64),
    ];
    for (k, v) in ints {
        let v = vm.sp.new_int(v.min(i64::MAX as u64) as i64);
        let d = vm.root(r);
        vm.sp.dict_set_name(d, k, v);
    }
    let floats: [(&str, f64); 8] = [
        ("minor_time_ms", ms(s.minor_time)),
        ("major_time_ms", ms(s.major_time)),
        ("total_pause_ms", ms(s.minor_time + s.major_time)),
        ("max_pause_ms", ms(s.max_pause)),
        ("pause_p50_ms", ms(s.pauses.percentile(50.0))),
        ("pause_p90_ms", ms(s.pauses.percentile(90.0))),
        ("pause_p99_ms", ms(s.pauses.percentile(99.0))),
        ("pause_p999_ms", ms(s.pauses.percentile(99.9))),
    ];
    for (k, v) in floats {
        let v = vm.sp.new_float(v);
        let d = vm.root(r);
        vm.sp.dict_set_name(d, k, v);
    }
    Ok(vm.root(r))
}

fn get_count(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "get_count", 0, 0)?;
    let (start, _) = vm.sp.heap.nursery_range();
    // SAFETY: the bump pointer lives in the heap for its whole life; reading it races
    // with nothing (single-threaded).
    let free = unsafe { (*vm.sp.heap.bump_pointer()).free } as usize;
    let used = free.saturating_sub(start) as i64;
    let minors = shared(vm).map_or(0, |s| s.borrow().minors_since_major) as i64;
    let majors = vm.sp.heap.stats().major_collections as i64;
    let t = [
        vm.sp.new_int(used),
        vm.sp.new_int(minors),
        vm.sp.new_int(majors),
    ];
    Ok(vm.sp.new_tuple(&t))
}

// ---------------------------------------------------------------------- hooks object

const HOOK_NAMES: [&str; 3] = ["on_gc_minor", "on_gc_collect_step", "on_gc_collect"];

/// `gc.hooks.set(obj)`: copies `obj`'s `on_gc_*` attributes (None where missing).
fn hooks_set(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "set", 2, 2)?;
    for name in HOOK_NAMES {
        let k = vm.sp.intern(name);
        let v = vm.getattr_opt(a.get(1), k)?.unwrap_or(vm.sp.none);
        set_attr(vm, a.get(0), name, v);
    }
    Ok(vm.sp.none)
}

/// `gc.hooks.reset()`: removes every hook.
fn hooks_reset(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "reset", 1, 1)?;
    let none = vm.sp.none;
    for name in HOOK_NAMES {
        set_attr(vm, a.get(0), name, none);
    }
    Ok(vm.sp.none)
}

/// The hook `name` currently set (not None), read without running Python code.
fn hook(vm: &mut Vm, name: &str) -> Option<Value> {
    let h = vm.root_get(RootSlot::GcHooks)?;
    own_attr(vm, h, name).filter(|v| !v.is(vm.sp.none))
}

// ---------------------------------------------------------------------- stats objects

fn float(vm: &mut Vm, f: f64) -> Value {
    vm.sp.new_float(f)
}

fn int(vm: &mut Vm, i: u64) -> Value {
    vm.sp.new_int(i.min(i64::MAX as u64) as i64)
}

fn step_stats(vm: &mut Vm, dt: f64, before: i64, after: i64, marked: usize, freed: usize) -> Value {
    let ty = class(vm, "gc.GcCollectStepStats").expect("gc classes");
    let vals = [
        ("count", int(vm, 1)),
        ("duration", float(vm, dt)),
        ("duration_min", float(vm, dt)),
        ("duration_max", float(vm, dt)),
        ("oldstate", vm.sp.new_int(before)),
        ("newstate", vm.sp.new_int(after)),
        ("major_is_done", vm.sp.new_bool(after == 0 && before != 0)),
        ("bytes_marked", int(vm, marked as u64)),
        ("bytes_freed", int(vm, freed as u64)),
    ];
    new_object(vm, ty, &vals)
}

/// Runs the Python hooks for the events recorded since the last delivery. Called by
/// the VM right after each safepoint collection, and after explicit collections.
pub fn deliver_hooks(vm: &mut Vm) {
    let Some(q) = shared(vm) else { return };
    if DELIVERING.with(|d| d.get()) {
        return;
    }
    let events = std::mem::take(&mut q.borrow_mut().events);
    if events.is_empty() {
        return;
    }
    if HOOK_NAMES.iter().all(|n| hook(vm, n).is_none()) {
        return;
    }
    DELIVERING.with(|d| d.set(true));
    let mark = vm.mark();

    // Minor collections, aggregated.
    let minors: Vec<(f64, usize, usize)> = events
        .iter()
        .filter_map(|e| match *e {
            Ev::Minor {
                duration,
                nursery_used,
                promoted,
            } => Some((duration, nursery_used, promoted)),
            _ => None,
        })
        .collect();
    if !minors.is_empty() && hook(vm, "on_gc_minor").is_some() {
        let total: f64 = minors.iter().map(|m| m.0).sum();
        let min = minors.iter().map(|m| m.0).fold(f64::INFINITY, f64::min);
        let max = minors.iter().map(|m| m.0).fold(0.0, f64::max);
        let used: usize = minors.iter().map(|m| m.1).sum();
        let promoted: usize = minors.iter().map(|m| m.2).sum();
        let old = vm.sp.heap.stats().old_bytes as u64;
        let ty = class(vm, "gc.GcMinorStats").expect("gc classes");
        let vals = [
            ("count", int(vm, minors.len() as u64)),
            ("duration", float(vm, total)),
            ("duration_min", float(vm, min)),
            ("duration_max", float(vm, max)),
            ("total_memory_used", int(vm, old)),
            ("pinned_objects", int(vm, 0)),
            ("bytes_promoted", int(vm, promoted as u64)),
            ("nursery_bytes_used", int(vm, used as u64)),
        ];
        let stats = new_object(vm, ty, &vals);
        call_hook(vm, "on_gc_minor", stats);
    }

    for e in &events {
        match *e {
            Ev::Step {
                duration,
                before,
                after,
                marked,
                freed,
            } => {
                if hook(vm, "on_gc_collect_step").is_none() {
                    continue;
                }
                let stats = step_stats(vm, duration, before, after, marked, freed);
                call_hook(vm, "on_gc_collect_step", stats);
            }
            Ev::Major {
                duration,
                steps,
                marked,
                freed,
                old_after,
                arenas_after,
                returned,
                next_threshold,
            } => {
                if hook(vm, "on_gc_collect").is_none() {
                    continue;
                }
                let n = vm.sp.heap.stats().major_collections;
                let ty = class(vm, "gc.GcCollectStats").expect("gc classes");
                let vals = [
                    ("count", int(vm, 1)),
                    ("duration", float(vm, duration)),
                    ("num_major_collects", int(vm, n)),
                    ("steps", int(vm, steps)),
                    ("bytes_marked", int(vm, marked as u64)),
                    ("bytes_freed", int(vm, freed as u64)),
                    ("total_memory_used", int(vm, old_after as u64)),
                    ("arenas_count_after", int(vm, arenas_after as u64)),
                    (
                        "arenas_bytes",
                        int(vm, (arenas_after * thicket_gc::ARENA_SIZE) as u64),
                    ),
                    ("bytes_returned", int(vm, returned as u64)),
                    ("next_threshold", int(vm, next_threshold as u64)),
                ];
                let stats = new_object(vm, ty, &vals);
                call_hook(vm, "on_gc_collect", stats);
            }
            Ev::Minor { .. } => {}
        }
        vm.reset_roots(mark);
    }
    vm.reset_roots(mark);
    DELIVERING.with(|d| d.set(false));
}

/// Calls hook `name` (if still set) with `stats`; reports an exception it raises.
fn call_hook(vm: &mut Vm, name: &str, stats: Value) {
    let r = vm.push_root(stats);
    let Some(f) = hook(vm, name) else { return };
    let stats = vm.root(r);
    if vm.call(f, &[stats]).is_err() {
        let what = format!("gc.hooks.{name}");
        super::report_unraisable(vm, &what);
    }
}
