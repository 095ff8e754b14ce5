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

use super::convert::from_py;
use crate::vm::Vm;
use std::collections::HashMap;
use thicket_cpyext::abi::{PyListObject, PyObject};
use thicket_cpyext::proxy::head;
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

fn leave(vm: &mut Vm) {
    let Some(c) = vm.capi.as_mut() else { return };
    c.handed.depth = c.handed.depth.saturating_sub(1);
    if c.handed.lists.is_empty() {
        return;
    }
    let mut lists = std::mem::take(&mut c.handed.lists);
    for (&p, snap) in lists.iter_mut() {
        write_back(vm, p as *mut PyObject, snap);
    }
    let c = vm.capi.as_mut().expect("capi");
    if c.handed.depth > 0 {
        c.handed.lists = lists;
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
