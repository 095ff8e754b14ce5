//! C's writes into lists Python can see: a list handed to C exposes an `ob_item` array
//! (brought up to date with the GC list each time it crosses, `convert::sync_list`), and
//! C may store into it directly with `PyList_SET_ITEM`. While a C function runs, every
//! list handed to it is recorded with a snapshot of its array (a proxy freed meanwhile is
//! forgotten, see [`Handed::forget`]); when a C function returns, each slot that differs from the
//! snapshot was written by C and is copied into the GC list. Python sees C's macro writes
//! once the C function that made them returns (not inside a callback it makes meanwhile).
//!
//! Slots keep CPython's ownership: each holds a reference, so `PyList_SET_ITEM` steals
//! the new item's and C releases the old one's, as it must in CPython.
//!
//! When the outermost C call returns, a list C kept no reference to stops owning its
//! items (its array is emptied; the next handover fills it again): the GC list holds
//! them, and a proxy's references would otherwise make its items roots, so that a
//! reference cycle through a list once handed to C could never be collected. Lists C
//! created and returned are recorded too ([`handed`] from `convert::realize`).

use super::convert::from_py;
use crate::vm::Vm;
use std::collections::HashMap;
use thicket_cpyext::abi::{PyListObject, PyObject};
use thicket_cpyext::proxy::{head, NO_LINK};
use thicket_cpyext::statics::decref_opt;
use thicket_object_model::Value;

/// The lists handed to the C functions running now.
#[derive(Default)]
pub struct Handed {
    /// Nesting depth of C function calls.
    depth: u32,
    /// List proxy → its `ob_item` as last seen.
    lists: HashMap<usize, Vec<*mut PyObject>>,
}

/// Marks the start of a call into a C function; the returned guard ends it (and writes
/// C's changes back) when dropped.
pub fn enter(vm: &mut Vm) -> CallGuard {
    if let Some(c) = vm.capi.as_mut() {
        c.handed.depth += 1;
    }
    CallGuard(vm)
}

/// Ends a C function call when dropped: see [`enter`].
pub struct CallGuard(*mut Vm);

impl Drop for CallGuard {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the guard lives in the frame of the call that received the VM, which
        // outlives it; the VM is not otherwise borrowed while the guard drops (last).
        leave(unsafe { &mut *self.0 });
    }
}

/// Records list proxy `p` (just synchronised with its GC list) as handed to C.
///
/// # Safety
/// `p` must be a live list proxy whose first `ob_size` slots are set.
pub unsafe fn handed(vm: &mut Vm, p: *mut PyObject) {
    let Some(c) = vm.capi.as_mut() else { return };
    if c.handed.depth == 0 {
        return;
    }
    // SAFETY: caller's contract (`ob_item` may be null only when the list is empty).
    let snap = unsafe {
        let lp = p as *mut PyListObject;
        let n = (*lp).ob_base.ob_size as usize;
        if n == 0 || (*lp).ob_item.is_null() {
            Vec::new()
        } else {
            std::slice::from_raw_parts((*lp).ob_item, n).to_vec()
        }
    };
    c.handed.lists.insert(p as usize, snap);
}

impl Handed {
    /// Forgets proxy `p`, which is being freed.
    pub fn forget(&mut self, p: *mut PyObject) {
        if !self.lists.is_empty() {
            self.lists.remove(&(p as usize));
        }
    }
}

#[inline]
fn leave(vm: &mut Vm) {
    let Some(c) = vm.capi.as_mut() else { return };
    c.handed.depth = c.handed.depth.saturating_sub(1);
    if c.handed.lists.is_empty() {
        return;
    }
    leave_slow(vm);
}

/// [`leave`] when lists were handed to C.
#[inline(never)]
fn leave_slow(vm: &mut Vm) {
    let c = vm.capi.as_mut().expect("capi");
    let mut lists = std::mem::take(&mut c.handed.lists);
    for (&p, snap) in lists.iter_mut() {
        write_back(vm, p as *mut PyObject, snap);
    }
    let c = vm.capi.as_mut().expect("capi");
    if c.handed.depth > 0 {
        c.handed.lists = lists;
        return;
    }
    for &p in lists.keys() {
        // SAFETY: recorded proxies are live (freed ones are forgotten).
        unsafe { release_items_if_unheld(p as *mut PyObject) };
    }
}

/// Empties the array of list proxy `p` if only Python holds the list (its count is the
/// bias): the items' references pass back to the GC list, which holds them anyway.
///
/// # Safety
/// `p` must be a live list proxy.
unsafe fn release_items_if_unheld(p: *mut PyObject) {
    // SAFETY: caller's contract; the first `ob_size` slots hold owned references.
    unsafe {
        if (*p).ob_refcnt != thicket_gc::EXTREF_BIAS || (*head(p)).link == NO_LINK {
            return;
        }
        let lp = p as *mut PyListObject;
        let n = (*lp).ob_base.ob_size as usize;
        (*lp).ob_base.ob_size = 0;
        for i in 0..n {
            let slot = (*lp).ob_item.add(i);
            let it = *slot;
            *slot = std::ptr::null_mut();
            decref_opt(it);
        }
    }
}

/// Copies the slots C changed since `snap` into the GC list of proxy `p`.
fn write_back(vm: &mut Vm, p: *mut PyObject, snap: &mut [*mut PyObject]) {
    // SAFETY: `p` is live (freed proxies are forgotten); a linked proxy's object is live.
    unsafe {
        let link = (*head(p)).link;
        let Some(o) = vm.sp.heap.extref_object(link) else {
            return;
        };
        let lp = p as *mut PyListObject;
        let n = ((*lp).ob_base.ob_size as usize).min(snap.len());
        for (i, seen) in snap.iter_mut().enumerate().take(n) {
            let cur = *(*lp).ob_item.add(i);
            if cur == *seen || cur.is_null() {
                continue;
            }
            *seen = cur;
            let val = from_py(vm, cur);
            let list = vm.unwrap_builtin(Value(o));
            if i < vm.sp.list_len(list) {
                vm.sp.list_set(list, i, val);
            }
        }
    }
}
