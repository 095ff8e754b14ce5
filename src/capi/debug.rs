//! The C-API debug mode (`THICKET_CAPI_DEBUG=1`), the checks that need the interpreter.
//! (Reports, the quarantine and the object registry are in `thicket_cpyext::debug`.)
//!
//! | misuse | where it is seen | report |
//! |---|---|---|
//! | refcount underflow on an object Python holds | after each C function returns: its arguments, then every linked proxy (in chunks), and at exit | `refcount underflow: ...` (fatal) |
//! | `Py_DECREF` of a freed object | `_Py_Dealloc` on a quarantined head | `Py_DECREF: decref of a freed ...` (fatal) |
//! | incref/decref of a freed object that does not reach zero | when it leaves the quarantine, and at exit | `Py_INCREF/Py_DECREF of a freed ...` (fatal) |
//! | API use of a freed object | `from_py` (most API functions) | `PyFoo: use of a freed ...` (fatal) |
//! | API call without the GIL | [`super::vm`] | `PyFoo called without holding the GIL` (fatal) |
//! | NULL without an exception, result with one | [`super::cfunc::result`] | printed; `SystemError` as in every mode |
//! | references C still holds | at exit | `N references still held by C at exit (...)` |
//!
//! Every check is behind `thicket_cpyext::debug::enabled()`, a flag read once.

use crate::vm::{Args, Vm};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use thicket_cpyext::abi::{PyObject, Py_TPFLAGS_LIST_SUBCLASS, Py_TPFLAGS_TUPLE_SUBCLASS};
use thicket_cpyext::debug::{self as dbg, enabled};
use thicket_cpyext::proxy::{head, NO_LINK};
use thicket_gc::EXTREF_BIAS;

/// Linked proxies checked for underflow after each C call (a rolling window).
const SCAN_CHUNK: usize = 4096;

static SCAN_CURSOR: AtomicUsize = AtomicUsize::new(0);

/// Whether `p` is linked to a living GC object.
///
/// # Safety
/// `p` must be a live object from `proxy::alloc`.
unsafe fn linked_alive(vm: &Vm, p: *mut PyObject) -> bool {
    // SAFETY: caller's contract.
    let link = unsafe { (*head(p)).link };
    link != NO_LINK && vm.sp.heap.extref_object(link).is_some()
}

/// Reports a linked proxy whose count fell below the bias: C released a reference it
/// did not own.
fn underflow(p: *mut PyObject, count: isize, when: &str) -> ! {
    // SAFETY: a live object.
    let name = unsafe { dbg::type_name_of(p) };
    let by = EXTREF_BIAS - count;
    dbg::fatal(&format!(
        "refcount underflow: Py_DECREF released {by} more reference(s) than C owned on a \
         `{name}` object at {p:p} (Python still holds it); seen {when}"
    ))
}

/// Checks one count word of a linked object (statics never fall below the bias).
fn check_count(p: *mut PyObject, when: &str) {
    // SAFETY: a linked proxy's count word is valid while its object lives.
    let c = unsafe { (*p).ob_refcnt };
    if c < EXTREF_BIAS {
        underflow(p, c, when);
    }
}

/// After C function `name` returned: its arguments' proxies, then a window of every
/// object's count, must not have fallen below the bias.
pub fn after_call(vm: &mut Vm, name: &str, args: &Args) {
    let when = format!("after C function {name}() returned");
    for i in 0..args.len() {
        let v = args.get(i);
        // SAFETY: a live argument.
        if let Some(c) = unsafe { vm.sp.heap.extref_proxy_of(v.0) } {
            check_count(c as *mut PyObject, &when);
        }
    }
    for i in 0..args.nkw() {
        let (_, v) = args.kw_at(i);
        // SAFETY: as above.
        if let Some(c) = unsafe { vm.sp.heap.extref_proxy_of(v.0) } {
            check_count(c as *mut PyObject, &when);
        }
    }
    scan(vm, Some(SCAN_CHUNK), &when);
}

/// Checks the counts of linked objects: `max` of them from a rolling cursor, or all.
fn scan(vm: &Vm, max: Option<usize>, when: &str) {
    let window = max.map(|m| (SCAN_CURSOR.load(Ordering::Relaxed), m));
    let (objs, next) = dbg::live_objects(window);
    if max.is_some() {
        SCAN_CURSOR.store(next, Ordering::Relaxed);
    }
    for p in objs {
        // SAFETY: a tracked live object.
        if unsafe { linked_alive(vm, p) } {
            check_count(p, when);
        }
    }
}

/// Prints the debug report for a C result that breaks the NULL/exception rule (the
/// caller raises the `SystemError` as in every mode).
pub fn bad_result(what: &str, null: bool) {
    if null {
        dbg::warn(&format!(
            "{what} returned NULL without setting an exception (raising SystemError)"
        ));
    } else {
        dbg::warn(&format!(
            "{what} returned a result with an exception set (raising SystemError)"
        ));
    }
}

/// At interpreter shutdown: dead proxies are released, the quarantine and every count
/// are checked, and the references C still holds are counted and printed.
pub fn at_exit(vm: &mut Vm) {
    if !enabled() || vm.capi.is_none() {
        return;
    }
    vm.flush_out();
    super::errors::clear();
    super::release_dead(vm);
    dbg::check_quarantine();
    scan(vm, None, "at exit");
    let (refs, objects) = held_at_exit(vm);
    if refs > 0 {
        let names: Vec<String> = objects
            .iter()
            .map(|(n, k)| {
                if *k > 1 {
                    format!("{n} x{k}")
                } else {
                    n.clone()
                }
            })
            .collect();
        let nobj: usize = objects.values().sum();
        dbg::warn(&format!(
            "{refs} reference{} still held by C at exit ({nobj} object{}: {})",
            if refs == 1 { "" } else { "s" },
            if nobj == 1 { "" } else { "s" },
            names.join(", ")
        ));
    }
}

/// References held by C: each object's count, minus the bias if Python holds it, minus
/// the references other runtime objects own (tuple and list items, the `PyExc_*`
/// variables); loaded modules are not counted (the loader keeps their references). Returns the total and the objects by type name.
fn held_at_exit(vm: &mut Vm) -> (isize, BTreeMap<String, usize>) {
    let (all, _) = dbg::live_objects(None);
    let mut owned: std::collections::HashMap<usize, isize> = Default::default();
    let mut own = |p: *mut PyObject| {
        if !p.is_null() {
            *owned.entry(p as usize).or_default() += 1;
        }
    };
    for &p in &all {
        // SAFETY: tracked live objects; tuples and lists (and their subclasses, which
        // share the layout) own their item references.
        unsafe {
            let f = (*(*p).ob_type).tp_flags;
            let borrowed = (*p).ob_type == &raw mut thicket_cpyext::statics::PyTuple_Type
                && linked_alive(vm, p);
            if borrowed {
                // A linked exact tuple borrows its items (`convert::make_proxy`).
            } else if f & Py_TPFLAGS_TUPLE_SUBCLASS != 0 {
                let items = super::convert::tuple_items(p);
                for i in 0..(*(p as *mut thicket_cpyext::abi::PyVarObject)).ob_size {
                    own(*items.offset(i));
                }
            } else if f & Py_TPFLAGS_LIST_SUBCLASS != 0 {
                let l = p as *mut thicket_cpyext::abi::PyListObject;
                if !(*l).ob_item.is_null() {
                    for i in 0..(*l).ob_base.ob_size {
                        own(*(*l).ob_item.offset(i));
                    }
                }
            }
        }
    }
    for (_, slot) in super::errors::exception_slots() {
        // SAFETY: the exported variables.
        own(unsafe { *slot });
    }
    let mut total = 0;
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    let modules = &vm.capi.as_ref().expect("capi").modules;
    for &p in &all {
        if modules.contains_key(&(p as usize)) {
            continue; // The loader keeps its references to modules.
        }
        // SAFETY: tracked live objects.
        unsafe {
            let mut c = (*p).ob_refcnt;
            if c >= thicket_cpyext::statics::IMMORTAL {
                continue; // Types C made from specs live as long as the process.
            }
            if linked_alive(vm, p) {
                c -= EXTREF_BIAS;
            }
            c -= owned.get(&(p as usize)).copied().unwrap_or(0);
            if c > 0 {
                total += c;
                *by_type.entry(dbg::type_name_of(p)).or_default() += 1;
            }
        }
    }
    (total, by_type)
}
