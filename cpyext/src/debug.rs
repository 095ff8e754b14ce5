//! The C-API debug mode (`THICKET_CAPI_DEBUG=1`), the half that knows nothing of the
//! interpreter: reports, the quarantine of freed objects, and the registry of every
//! object the runtime allocated (for the checks that walk them all).
//!
//! - **Reports** ([`fatal`], [`warn`]) go to stderr prefixed `thicket: C-API debug:`.
//!   They name the API function C called: [`api_context`] finds it on the native stack
//!   (the outermost exported `Py*` frame below the C code), so the API functions
//!   themselves need no bookkeeping and the mode costs nothing when it is off.
//!   Memory-safety errors end the process with [`ABORT_STATUS`].
//! - **Quarantine** ([`quarantine`]): a freed object stays mapped, poisoned, with state
//!   `FREED`, count 1 and type [`FREED_TYPE`]. A later `Py_DECREF` then reaches
//!   `_Py_Dealloc` on a freed head ([`dealloc_of_freed`]), a type check on it fails
//!   instead of reading poison, and an API function converting it reports a use after
//!   free. When a block leaves the quarantine its count must still be 1; otherwise C
//!   changed it after the free ([`check_quarantine`] also runs at exit).
//! - **Registry** ([`track`], [`untrack`], [`live_objects`]): every block from
//!   [`crate::proxy::alloc`], for the refcount-underflow scan and the count of
//!   references C still holds at exit.

use crate::abi::*;
use crate::proxy::{self, ProxyHead, FREED, NO_LINK, POISON};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Mutex;

/// Exit status of a process stopped by a debug-mode report.
pub const ABORT_STATUS: i32 = 3;
/// Prefix of every report.
pub const PREFIX: &str = "thicket: C-API debug:";
/// Freed blocks kept in quarantine.
const QUARANTINE: usize = 4096;

/// Whether the debug mode is on (`THICKET_CAPI_DEBUG` set and not `0`; read once).
#[inline(always)]
pub fn enabled() -> bool {
    proxy::debug()
}

/// Called before a fatal report ends the process (the interpreter flushes its output).
static BEFORE_ABORT: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());

/// Registers `f` to run before a fatal report ends the process.
pub fn set_before_abort(f: fn()) {
    BEFORE_ABORT.store(f as *mut (), Ordering::Relaxed);
}

/// Prints a report: `thicket: C-API debug: {msg}`.
pub fn warn(msg: &str) {
    eprintln!("{PREFIX} {msg}");
}

/// Reports a memory-safety error and ends the process with [`ABORT_STATUS`].
pub fn fatal(msg: &str) -> ! {
    let f = BEFORE_ABORT.swap(std::ptr::null_mut(), Ordering::Relaxed);
    if !f.is_null() {
        // SAFETY: only `set_before_abort` stores here, with a `fn()`.
        let f: fn() = unsafe { std::mem::transmute::<*mut (), fn()>(f) };
        f();
    }
    warn(msg);
    std::process::exit(ABORT_STATUS)
}

/// Where on the native stack the current C-API call comes from: the name of the
/// outermost exported API function (`Py*`, `_Py*`) called by C, and the C function that
/// called it, if their symbols are known. `_Py_Dealloc` reached from extension code is
/// named `Py_DECREF` (the inline macro that calls it).
pub fn api_context() -> (Option<String>, Option<String>) {
    let bt = std::backtrace::Backtrace::force_capture().to_string();
    let mut api: Option<String> = None;
    for line in bt.lines() {
        let t = line.trim_start();
        let Some((num, name)) = t.split_once(": ") else {
            continue;
        };
        if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let name = name.trim();
        if name.contains("::") || name.starts_with('<') || name.is_empty() {
            continue; // Rust code (ours or std), or an unresolved frame.
        }
        if name.starts_with("Py") || name.starts_with("_Py") {
            api = Some(name.to_owned());
        } else if api.is_some() {
            let a = api.map(|a| {
                if a == "_Py_Dealloc" {
                    "Py_DECREF".to_owned()
                } else {
                    a
                }
            });
            return (a, Some(name.to_owned()));
        }
    }
    (api, None)
}

/// "`PyFoo` (called from `c_func`)", or `default` if no API frame is found.
pub fn api_name(default: &str) -> String {
    match api_context() {
        (Some(a), Some(c)) => format!("{a} (called from C function {c})"),
        (Some(a), None) => a,
        (None, Some(c)) => format!("{default} (in C function {c})"),
        (None, None) => default.to_owned(),
    }
}

/// The name of an object's type, for reports (`?` when it cannot be read safely).
///
/// # Safety
/// `op` must be a live object or a static one.
pub unsafe fn type_name_of(op: *mut PyObject) -> String {
    // SAFETY: caller's contract; a freed type (quarantined) is recognised by its state.
    unsafe {
        let ty = (*op).ob_type;
        if ty.is_null() || (*ty).tp_name.is_null() {
            return "?".into();
        }
        if (*ty).ob_base.ob_base.ob_refcnt < crate::statics::IMMORTAL / 2
            && (*proxy::head(ty as *mut PyObject)).state == FREED
        {
            return "(freed type)".into();
        }
        crate::statics::type_name(ty)
    }
}

/// The type of freed objects in quarantine: no flags, so type checks fail, and a
/// deallocator that reports.
pub static mut FREED_TYPE: PyTypeObject = PyTypeObject {
    tp_name: c"freed object".as_ptr(),
    tp_flags: 0,
    tp_dealloc: Some(freed_type_dealloc),
    ..crate::statics::blank()
};

unsafe extern "C" fn freed_type_dealloc(op: *mut PyObject) {
    // SAFETY: only quarantined objects have this type.
    unsafe { dealloc_of_freed(op) }
}

struct Quarantine {
    blocks: VecDeque<(*mut ProxyHead, String)>,
}
// SAFETY: the pointers are freed blocks owned by the quarantine.
unsafe impl Send for Quarantine {}
static QUEUE: Mutex<Quarantine> = Mutex::new(Quarantine {
    blocks: VecDeque::new(),
});

/// The tracked blocks, in a vector (for windows of it) with each one's index.
struct Registry {
    items: Vec<usize>,
    pos: Option<HashMap<usize, usize>>,
}
static LIVE_SET: Mutex<Registry> = Mutex::new(Registry {
    items: Vec::new(),
    pos: None,
});

/// Records a block from [`proxy::alloc`] (debug mode).
pub fn track(op: *mut PyObject) {
    let mut r = LIVE_SET.lock().unwrap_or_else(|e| e.into_inner());
    let n = r.items.len();
    r.pos
        .get_or_insert_with(HashMap::new)
        .insert(op as usize, n);
    r.items.push(op as usize);
}

/// Forgets a block (freed or moved by `realloc`).
pub fn untrack(op: *mut PyObject) {
    let mut r = LIVE_SET.lock().unwrap_or_else(|e| e.into_inner());
    let Some(i) = r.pos.as_mut().and_then(|p| p.remove(&(op as usize))) else {
        return;
    };
    r.items.swap_remove(i);
    if let Some(&moved) = r.items.get(i) {
        if let Some(p) = r.pos.as_mut() {
            p.insert(moved, i);
        }
    }
}

/// Up to `max` tracked objects (state `LIVE`) from position `start` of the registry,
/// wrapping around, and the position after them; `None` for all of them.
pub fn live_objects(window: Option<(usize, usize)>) -> (Vec<*mut PyObject>, usize) {
    let r = LIVE_SET.lock().unwrap_or_else(|e| e.into_inner());
    let n = r.items.len();
    if n == 0 {
        return (Vec::new(), 0);
    }
    let (start, count) = match window {
        Some((s, m)) => (s % n, m.min(n)),
        None => (0, n),
    };
    let v = (0..count)
        .map(|k| r.items[(start + k) % n] as *mut PyObject)
        // SAFETY: tracked blocks are allocated.
        .filter(|&p| unsafe { (*proxy::head(p)).state } == proxy::LIVE)
        .collect();
    (v, start + count)
}

/// Frees `op` in debug mode: poisons it, marks it `FREED` with count 1 and the freed
/// type, and keeps it mapped in the quarantine; the oldest block leaves (and is checked).
///
/// # Safety
/// `op` must come from [`proxy::alloc`] and not be used afterwards by the runtime.
pub unsafe fn quarantine(op: *mut PyObject) {
    untrack(op);
    // SAFETY: caller's contract; the block is `HEAD + size` bytes.
    unsafe {
        let h = proxy::head(op);
        let size = (*h).size;
        let is_obj = (*h).state == proxy::LIVE && size >= std::mem::size_of::<PyObject>();
        let name = if is_obj {
            type_name_of(op)
        } else {
            "raw memory block".into()
        };
        std::ptr::write_bytes(op as *mut u8, POISON, size);
        (*h).state = FREED;
        (*h).link = NO_LINK;
        if is_obj {
            (*op).ob_refcnt = 1;
            (*op).ob_type = &raw mut FREED_TYPE;
        }
        let old = {
            let mut q = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
            q.blocks.push_back((h, name));
            if q.blocks.len() > QUARANTINE {
                q.blocks.pop_front()
            } else {
                None
            }
        };
        if let Some((old, name)) = old {
            check_block(old, &name);
            libc::free(old as *mut libc::c_void);
        }
    }
}

/// Checks that a quarantined block was not touched since it was freed.
///
/// # Safety
/// `h` must be a quarantined block.
unsafe fn check_block(h: *mut ProxyHead, name: &str) {
    // SAFETY: quarantined blocks stay mapped.
    unsafe {
        let op = (h as *mut u8).add(proxy::HEAD) as *mut PyObject;
        if (*op).ob_type == &raw mut FREED_TYPE && (*op).ob_refcnt != 1 {
            let d = (*op).ob_refcnt - 1;
            fatal(&format!(
                "Py_INCREF/Py_DECREF of a freed `{name}` object at {op:p}: its count changed \
                 by {d:+} after it was deallocated (use after free)"
            ));
        }
    }
}

/// Checks every block still in quarantine (at exit).
pub fn check_quarantine() {
    let blocks: Vec<(*mut ProxyHead, String)> = {
        let q = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
        q.blocks.iter().cloned().collect()
    };
    for (h, name) in blocks {
        // SAFETY: still quarantined (nothing frees them but `quarantine`).
        unsafe { check_block(h, &name) };
    }
}

/// The type name recorded when `op` was freed, if it is in quarantine.
pub fn freed_name(op: *mut PyObject) -> Option<String> {
    let q = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
    q.blocks
        .iter()
        // SAFETY: computing the object address of a quarantined head.
        .find(|(h, _)| unsafe { (*h as *mut u8).add(proxy::HEAD) } as *mut PyObject == op)
        .map(|(_, n)| n.clone())
}

/// Reports a count that reached zero on a freed object (a `Py_DECREF` after the last
/// reference was released).
///
/// # Safety
/// `op` must be a quarantined object.
pub unsafe fn dealloc_of_freed(op: *mut PyObject) -> ! {
    let name = freed_name(op).unwrap_or_else(|| "?".into());
    let api = api_name("Py_DECREF");
    fatal(&format!(
        "{api}: decref of a freed `{name}` object at {op:p} (it was already deallocated: \
         more Py_DECREFs than references)"
    ))
}

/// Reports use of a freed or non-object block by an API function.
///
/// # Safety
/// `op` must come from [`proxy::alloc`] (possibly quarantined).
#[cold]
pub unsafe fn report_not_live(op: *mut PyObject) -> ! {
    // SAFETY: caller's contract.
    let st = unsafe { (*proxy::head(op)).state };
    let api = api_name("a C-API function");
    if st == FREED {
        let name = freed_name(op).unwrap_or_else(|| "?".into());
        fatal(&format!("{api}: use of a freed `{name}` object at {op:p}"))
    }
    fatal(&format!(
        "{api}: {op:p} is not an object (state {st:#x}: raw memory or garbage)"
    ))
}

/// In debug mode, reports `op` if it is freed or not an object, or if it is linked to a
/// Python object and its count fell below the bias (C released references it did not
/// own).
///
/// # Safety
/// `op` must come from [`proxy::alloc`] (possibly quarantined).
#[inline]
pub unsafe fn check_live(op: *mut PyObject) {
    if !enabled() {
        return;
    }
    // SAFETY: caller's contract.
    unsafe {
        let h = proxy::head(op);
        if (*h).state != proxy::LIVE {
            report_not_live(op)
        }
        if (*h).link != NO_LINK && (*op).ob_refcnt < thicket_gc::EXTREF_BIAS {
            report_underflow(op)
        }
    }
}

/// Reports a linked proxy whose count fell below the bias, met by an API function.
///
/// # Safety
/// `op` must be a live object.
#[cold]
unsafe fn report_underflow(op: *mut PyObject) -> ! {
    // SAFETY: caller's contract.
    let (n, name) = unsafe { ((*op).ob_refcnt, type_name_of(op)) };
    let by = thicket_gc::EXTREF_BIAS - n;
    let api = api_name("a C-API function");
    fatal(&format!(
        "{api}: refcount underflow: Py_DECREF released {by} more reference(s) than C \
         owned on a `{name}` object at {op:p} (Python still holds it)"
    ))
}

/// Reports a negative count met by `Py_DecRef`.
///
/// # Safety
/// `op` must be a live object.
#[cold]
pub unsafe fn report_negative(op: *mut PyObject) -> ! {
    // SAFETY: caller's contract.
    let (n, name) = unsafe { ((*op).ob_refcnt, type_name_of(op)) };
    let api = api_name("Py_DecRef");
    fatal(&format!(
        "{api}: refcount underflow on a `{name}` object at {op:p} (count {n} before the decref)"
    ))
}
