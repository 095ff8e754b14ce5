//! The GIL: a real lock, owned by one thread at a time, that C code can release around
//! blocking work (`Py_BEGIN_ALLOW_THREADS`, `PyEval_SaveThread`) and that threads C
//! created take to use the API (`PyGILState_Ensure`).
//!
//! The interpreter is single-threaded: its thread takes the GIL when the C-API starts
//! ([`super::ensure_init`]) and keeps it while it runs; it gives it up only inside C code
//! that releases it, and gets it back before that C code returns. A foreign thread that
//! holds the GIL meanwhile uses the same VM ([`super::vm`]), exactly as a nested call
//! from C would; its error indicator is its own (thread-local, [`super::errors`]).
//!
//! The lock is a mutex-protected owner (a per-thread number) with a condition variable;
//! [`held`] reads an atomic copy of the owner without locking.

use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

/// `PyGILState_LOCKED`: the thread already held the GIL.
pub const PYGILSTATE_LOCKED: c_int = 0;
/// `PyGILState_UNLOCKED`: `PyGILState_Ensure` took the GIL.
pub const PYGILSTATE_UNLOCKED: c_int = 1;

/// The owner (a thread number, 0 = free), and its waiters.
struct Gil {
    owner: Mutex<u64>,
    freed: Condvar,
}

static GIL: Gil = Gil {
    owner: Mutex::new(0),
    freed: Condvar::new(),
};
/// Copy of the owner, for lock-free checks.
static OWNER: AtomicU64 = AtomicU64::new(0);
static NEXT_THREAD: AtomicU64 = AtomicU64::new(1);

/// What `PyThreadState*` points to: one per thread that used the GIL API.
#[repr(C)]
pub struct ThreadState {
    /// Unused (C may read `tstate->interp`-like fields of CPython's struct; ours has
    /// none it may rely on).
    pub reserved: *mut c_void,
    /// The thread's number.
    pub id: u64,
}

thread_local! {
    static ME: u64 = NEXT_THREAD.fetch_add(1, Ordering::Relaxed);
    static TSTATE: Cell<*mut ThreadState> = const { Cell::new(std::ptr::null_mut()) };
}

fn me() -> u64 {
    ME.with(|m| *m)
}

/// This thread's state (made on first use; lives as long as the process).
pub fn thread_state() -> *mut ThreadState {
    TSTATE.with(|t| {
        if t.get().is_null() {
            t.set(Box::into_raw(Box::new(ThreadState {
                reserved: std::ptr::null_mut(),
                id: me(),
            })));
        }
        t.get()
    })
}

/// Whether the calling thread holds the GIL.
#[inline]
pub fn held() -> bool {
    OWNER.load(Ordering::Acquire) == me()
}

/// Takes the GIL for the calling thread, waiting for it. Returns false (and does
/// nothing) if the thread holds it already.
pub fn acquire() -> bool {
    let id = me();
    let mut o = GIL.owner.lock().unwrap_or_else(|e| e.into_inner());
    if *o == id {
        return false;
    }
    while *o != 0 {
        o = GIL.freed.wait(o).unwrap_or_else(|e| e.into_inner());
    }
    *o = id;
    OWNER.store(id, Ordering::Release);
    true
}

/// Releases the GIL if the calling thread holds it. Returns whether it did.
pub fn release() -> bool {
    let id = me();
    let mut o = GIL.owner.lock().unwrap_or_else(|e| e.into_inner());
    if *o != id {
        return false;
    }
    *o = 0;
    OWNER.store(0, Ordering::Release);
    drop(o);
    GIL.freed.notify_one();
    true
}

/// In debug mode, reports an API call from a thread that does not hold the GIL.
#[cold]
pub fn report_not_held() -> ! {
    let api = thicket_cpyext::debug::api_name("a C-API function");
    thicket_cpyext::debug::fatal(&format!("{api} called without holding the GIL"))
}

/// Checks (debug mode) that a GIL function that needs the GIL has it.
fn require(func: &str) {
    if thicket_cpyext::debug::enabled() && !held() {
        thicket_cpyext::debug::fatal(&format!("{func} called without holding the GIL"));
    }
}

/// `PyEval_SaveThread`: releases the GIL (the caller must hold it); returns this
/// thread's state for [`PyEval_RestoreThread`].
#[no_mangle]
pub extern "C" fn PyEval_SaveThread() -> *mut ThreadState {
    require("PyEval_SaveThread");
    release();
    thread_state()
}

/// `PyEval_RestoreThread`: takes the GIL back, waiting while another thread holds it.
#[no_mangle]
pub extern "C" fn PyEval_RestoreThread(_t: *mut ThreadState) {
    if !acquire() && thicket_cpyext::debug::enabled() {
        thicket_cpyext::debug::fatal(
            "PyEval_RestoreThread called by a thread that holds the GIL already \
             (a deadlock in CPython)",
        );
    }
}

/// `PyEval_AcquireThread`.
#[no_mangle]
pub extern "C" fn PyEval_AcquireThread(t: *mut ThreadState) {
    PyEval_RestoreThread(t)
}

/// `PyEval_ReleaseThread`.
#[no_mangle]
pub extern "C" fn PyEval_ReleaseThread(_t: *mut ThreadState) {
    require("PyEval_ReleaseThread");
    release();
}

/// `PyEval_InitThreads`: nothing to do (the GIL always exists).
#[no_mangle]
pub extern "C" fn PyEval_InitThreads() {}

/// `PyEval_ThreadsInitialized`: always 1.
#[no_mangle]
pub extern "C" fn PyEval_ThreadsInitialized() -> c_int {
    1
}

/// `PyGILState_Ensure`: takes the GIL from any thread (a no-op for the holder).
/// Returns `PyGILState_UNLOCKED` if it took it, `PyGILState_LOCKED` if already held.
#[no_mangle]
pub extern "C" fn PyGILState_Ensure() -> c_int {
    if acquire() {
        PYGILSTATE_UNLOCKED
    } else {
        PYGILSTATE_LOCKED
    }
}

/// `PyGILState_Release`: undoes the matching [`PyGILState_Ensure`].
#[no_mangle]
pub extern "C" fn PyGILState_Release(s: c_int) {
    require("PyGILState_Release");
    if s == PYGILSTATE_UNLOCKED {
        release();
    }
}

/// `PyGILState_Check`: whether the calling thread holds the GIL.
#[no_mangle]
pub extern "C" fn PyGILState_Check() -> c_int {
    held() as c_int
}

/// `PyGILState_GetThisThreadState`.
#[no_mangle]
pub extern "C" fn PyGILState_GetThisThreadState() -> *mut ThreadState {
    thread_state()
}

/// `PyThreadState_Get`: the calling thread's state (it must hold the GIL).
#[no_mangle]
pub extern "C" fn PyThreadState_Get() -> *mut ThreadState {
    require("PyThreadState_Get");
    thread_state()
}

/// `_PyThreadState_UncheckedGet`: the state if the thread holds the GIL, else null.
#[no_mangle]
pub extern "C" fn _PyThreadState_UncheckedGet() -> *mut ThreadState {
    if held() {
        thread_state()
    } else {
        std::ptr::null_mut()
    }
}

/// `PyThreadState_GetID`.
///
/// # Safety
/// `t` must be a state from this module.
#[no_mangle]
pub unsafe extern "C" fn PyThreadState_GetID(t: *mut ThreadState) -> u64 {
    // SAFETY: caller's contract.
    unsafe { (*t).id }
}
