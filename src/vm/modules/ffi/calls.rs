//! Libraries, calls into C, callbacks from C, object handles and `errno`.
//!
//! A call converts every argument to its C word first (Python `bytes` for `char *`
//! become NUL-terminated copies owned by the call), then calls through libffi. C may
//! call back into Python meanwhile (`ffi.callback`), and Python code may collect and
//! move objects then: nothing the call holds points into the heap except pinned
//! buffers (`from_buffer`) and `malloc`ed memory (`ffi.new`), which do not move.
//!
//! A callback's Python function is held by an object handle (a root the collector
//! updates), and the libffi closure finds the running VM through a thread-local set
//! while C code runs.

use super::cdata::{cd, ctype_arg, new_box, prim_value, set_field, tname, to_word, ty};
use super::cdecl::CType;
use super::{state, B_CALLBACK, B_HANDLE};
use crate::vm::types::check_args;
use crate::vm::{Args, PyResult, Vm};
use std::cell::Cell;
use std::ffi::{c_void, CString};
use std::rc::Rc;
use thicket_ffi_bridge::{Callback, Kind, Signature};
use thicket_object_model::layout as l;
use thicket_object_model::Value;

thread_local! {
    /// The VM running C code on this thread (null outside calls).
    static CURRENT_VM: Cell<*mut Vm> = const { Cell::new(std::ptr::null_mut()) };
}

fn runtime_error(vm: &mut Vm, msg: String) -> crate::vm::Raised {
    let t = vm.sp.t.runtime_error;
    vm.err(t, msg)
}

/// `new_handle(obj)`: a `void *` cdata naming `obj` until the cdata dies.
pub fn new_handle(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "new_handle", 1, 1)?;
    let st = state(vm);
    let h = st.borrow().table.new_handle(a.get(0).0);
    let h = match h {
        Ok(h) => h as u64,
        Err(e) => return Err(runtime_error(vm, format!("ffi.new_handle(): {e}"))),
    };
    let vp = super::cdata::void_ptr(vm);
    let c = new_box(vm, vp, h, 0, None);
    let b = cd(vm, c).expect("box").b;
    set_field(b, B_HANDLE, h);
    Ok(c)
}

/// `from_handle(cdata)`: the object of a handle; a clear `RuntimeError` for NULL, a
/// stale handle (its cdata died) or a pointer that is not a handle.
pub fn from_handle(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "from_handle", 1, 1)?;
    let Some(c) = cd(vm, a.get(0)) else {
        let t = vm.type_name(a.get(0));
        return Err(vm.type_error(format!("expected a 'cdata' object, got '{t}'")));
    };
    if !matches!(ty(vm, c.ct), CType::Ptr(_)) {
        let n = tname(vm, c.ct);
        return Err(vm.type_error(format!(
            "expected a 'cdata' object with a 'void *' out of new_handle(), got '{n}'"
        )));
    }
    if c.ptr == 0 {
        return Err(runtime_error(
            vm,
            "cannot use from_handle() on NULL pointer".into(),
        ));
    }
    let st = state(vm);
    let r = st.borrow().table.from_handle(c.ptr as *const c_void);
    match r {
        Ok(o) => Ok(Value(o)),
        Err(e) => Err(runtime_error(vm, format!("ffi.from_handle(): {e}"))),
    }
}

/// `open_handles()`: the number of open handles.
pub fn open_handles(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "open_handles", 0, 0)?;
    let n = state(vm).borrow().table.open_count();
    Ok(vm.sp.new_int(n as i64))
}

/// `dlopen(name)`: a library index. `None` is the program itself (with the C library),
/// `"c"` and `"m"` the C and math libraries; other short names get `lib` and `.so`.
pub fn dlopen(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "dlopen", 1, 1)?;
    let v = a.get(0);
    let name = if v.is(vm.sp.none) {
        None
    } else if v.layout() == l::STR {
        Some(vm.str_owned(v))
    } else {
        let t = vm.type_name(v);
        return Err(vm.type_error(format!("dlopen() argument must be str or None, not {t}")));
    };
    let candidates: Vec<Option<String>> = match name.as_deref() {
        None => vec![None],
        Some("c") => vec![Some("libc.so.6".into())],
        Some("m") => vec![Some("libm.so.6".into())],
        Some(n) if n.contains('/') || n.contains(".so") => vec![Some(n.into())],
        Some(n) => vec![
            Some(n.into()),
            Some(format!("lib{n}.so")),
            Some(format!("lib{n}.so.1")),
            Some(format!("lib{n}.so.6")),
        ],
    };
    let mut first_err = String::new();
    for c in candidates {
        let cs = match &c {
            Some(s) => match CString::new(s.as_str()) {
                Ok(cs) => Some(cs),
                Err(_) => return Err(vm.value_error("embedded null character in library name")),
            },
            None => None,
        };
        // SAFETY: dlopen with a NUL-terminated name (or NULL for the program).
        let h = unsafe {
            libc::dlopen(
                cs.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
                libc::RTLD_NOW,
            )
        };
        if !h.is_null() {
            let st = state(vm);
            let mut st = st.borrow_mut();
            st.libs
                .push((name.clone().unwrap_or_else(|| "<None>".into()), h as usize));
            let i = st.libs.len() - 1;
            drop(st);
            return Ok(vm.sp.new_int(i as i64));
        }
        if first_err.is_empty() {
            first_err = dlerror();
        }
    }
    let t = vm.sp.t.os_error;
    Err(vm.err(
        t,
        format!(
            "cannot load library '{}': {first_err}",
            name.unwrap_or_default()
        ),
    ))
}

fn dlerror() -> String {
    // SAFETY: dlerror returns NULL or a NUL-terminated message.
    unsafe {
        let e = libc::dlerror();
        if e.is_null() {
            "unknown error".into()
        } else {
            std::ffi::CStr::from_ptr(e).to_string_lossy().into_owned()
        }
    }
}

/// `dlsym(lib, name)`: the function `name` declared by `cdef`, as a function-pointer
/// cdata.
pub fn dlsym(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "dlsym", 2, 2)?;
    let i = vm.sp.small_int(a.get(0)).unwrap_or(-1);
    let name = vm.str_owned(a.get(1));
    let st = state(vm);
    let (lib, func) = {
        let st = st.borrow();
        let lib = usize::try_from(i)
            .ok()
            .and_then(|i| st.libs.get(i).cloned());
        (lib, st.types.functions.get(&name).copied())
    };
    let Some((libname, h)) = lib else {
        return Err(vm.value_error("not a library opened by dlopen()"));
    };
    let Some(ft) = func else {
        return Err(vm.attribute_error(format!(
            "function/symbol '{name}' not found in library '{libname}': not declared in cdef()"
        )));
    };
    let Ok(cname) = CString::new(name.as_str()) else {
        return Err(vm.value_error("embedded null character in symbol name"));
    };
    // SAFETY: a handle from dlopen and a NUL-terminated name.
    let p = unsafe { libc::dlsym(h as *mut c_void, cname.as_ptr()) };
    if p.is_null() {
        let e = dlerror();
        return Err(vm.attribute_error(format!(
            "function/symbol '{name}' not found in library '{libname}': {e}"
        )));
    }
    let pt = st.borrow_mut().types.ptr(ft);
    Ok(new_box(vm, pt, p as u64, 0, None))
}

/// The libffi signature of function type `ft`.
fn signature(vm: &mut Vm, ft: usize) -> PyResult<Rc<Signature>> {
    let st = state(vm);
    if let Some(s) = st.borrow().sigs.get(&ft) {
        return Ok(s.clone());
    }
    let CType::Func(params, ret, variadic) = ty(vm, ft) else {
        return Err(vm.type_error("not a function type"));
    };
    let name = tname(vm, ft);
    if variadic {
        return Err(vm.err(
            vm.sp.t.not_implemented_error,
            format!("'{name}': calls to variadic functions are not supported"),
        ));
    }
    let kinds: Option<Vec<Kind>> = {
        let st = st.borrow();
        params.iter().map(|&p| st.types.kind(p)).collect()
    };
    let ret_kind = st.borrow().types.kind(ret);
    let (Some(kinds), Some(ret_kind)) = (kinds, ret_kind) else {
        return Err(vm.type_error(format!(
            "'{name}': structs and arrays passed or returned by value are not supported"
        )));
    };
    let sig =
        Signature::new(&kinds, ret_kind).map_err(|e| vm.type_error(format!("'{name}': {e}")))?;
    let sig = Rc::new(sig);
    st.borrow_mut().sigs.insert(ft, sig.clone());
    Ok(sig)
}

fn func_type(vm: &mut Vm, ct: usize) -> Option<usize> {
    match ty(vm, ct) {
        CType::Ptr(f) if matches!(ty(vm, f), CType::Func(..)) => Some(f),
        CType::Func(..) => Some(ct),
        _ => None,
    }
}

/// `call(fn_cdata, *args)`: calls a C function pointer.
pub fn call(vm: &mut Vm, a: &Args) -> PyResult {
    if a.is_empty() {
        return Err(vm.type_error("call() needs a cdata function"));
    }
    let Some(c) = cd(vm, a.get(0)) else {
        let t = vm.type_name(a.get(0));
        return Err(vm.type_error(format!("'{t}' object is not callable")));
    };
    let Some(ft) = func_type(vm, c.ct) else {
        let n = tname(vm, c.ct);
        return Err(vm.type_error(format!("cdata '{n}' is not callable")));
    };
    if c.ptr == 0 {
        let n = tname(vm, c.ct);
        return Err(runtime_error(vm, format!("cannot call NULL cdata '{n}'")));
    }
    let CType::Func(params, ret, _) = ty(vm, ft) else {
        unreachable!("function type")
    };
    let sig = signature(vm, ft)?;
    let given = a.len() - 1;
    if given != params.len() {
        let n = tname(vm, c.ct);
        return Err(vm.type_error(format!(
            "'{n}' expects {} arguments, got {given}",
            params.len()
        )));
    }
    let mut temps: Vec<Vec<u8>> = Vec::new();
    let mut words = Vec::with_capacity(given);
    for (i, &p) in params.iter().enumerate() {
        let w = to_word(vm, p, a.get(i + 1), Some(&mut temps))?;
        words.push(w);
    }
    let errno_in = state(vm).borrow().errno;
    let prev = CURRENT_VM.with(|c| c.replace(vm as *mut Vm));
    // SAFETY: the function pointer has the declared type (the program's promise, as in
    // C and CFFI); the words match the signature; pointers in them are to `temps`,
    // `malloc`ed memory or pinned buffers, all stable for the call.
    let r = unsafe {
        *libc::__errno_location() = errno_in;
        let r = sig.call(c.ptr as *const c_void, &words);
        let e = *libc::__errno_location();
        CURRENT_VM.with(|c| c.set(prev));
        (r, e)
    };
    drop(temps);
    state(vm).borrow_mut().errno = r.1;
    let w = r.0;
    match ty(vm, ret) {
        CType::Void => Ok(vm.sp.none),
        CType::Prim { .. } => Ok(prim_value(vm, ret, w)),
        CType::Ptr(_) => Ok(new_box(vm, ret, w, 0, None)),
        _ => Err(vm.type_error("unsupported return type")),
    }
}

/// Runs the Python function of a callback with the C arguments.
fn run_callback(vm: &mut Vm, handle: u64, ft: usize, words: &[u64]) -> PyResult<u64> {
    let CType::Func(params, ret, _) = ty(vm, ft) else {
        return Ok(0);
    };
    let st = state(vm);
    let f = st.borrow().table.from_handle(handle as *const c_void);
    let f = match f {
        Ok(f) => Value(f),
        Err(e) => return Err(runtime_error(vm, format!("callback: {e}"))),
    };
    let r = vm.push_root(f);
    let mut args = Vec::with_capacity(params.len());
    for (&p, &w) in params.iter().zip(words) {
        // Allocation does not collect (safepoint mode): the values stay valid.
        let v = match ty(vm, p) {
            CType::Prim { .. } => prim_value(vm, p, w),
            _ => new_box(vm, p, w, 0, None),
        };
        args.push(v);
    }
    let f = vm.root(r);
    vm.reset_roots(r);
    let res = vm.call(f, &args)?;
    match ty(vm, ret) {
        CType::Void => Ok(0),
        _ => to_word(vm, ret, res, None),
    }
}

/// `callback(cdecl, python_callable, error=None)`: a C function pointer that calls
/// the Python function.
pub fn callback(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "callback", 2, 3)?;
    let ct = ctype_arg(vm, a.get(0))?;
    let Some(ft) = func_type(vm, ct) else {
        let n = tname(vm, ct);
        return Err(vm.type_error(format!("expected a function ctype, got '{n}'")));
    };
    let pt = state(vm).borrow_mut().types.ptr(ft);
    let CType::Func(_, ret, _) = ty(vm, ft) else {
        unreachable!("function type")
    };
    let error_word = match a.opt(2).filter(|v| !v.is(vm.sp.none)) {
        Some(e) if !matches!(ty(vm, ret), CType::Void) => to_word(vm, ret, e, None)?,
        _ => 0,
    };
    let sig = signature(vm, ft)?;
    let f = a.get(1);
    let st = state(vm);
    let handle = match st.borrow().table.new_handle(f.0) {
        Ok(h) => h as u64,
        Err(e) => return Err(runtime_error(vm, format!("ffi.callback(): {e}"))),
    };
    let handler = Box::new(move |words: &[u64]| -> u64 {
        let vmp = CURRENT_VM.with(|c| c.get());
        if vmp.is_null() {
            eprintln!("thicket-ffi: a callback was called outside of a call into C; returning the error value");
            return error_word;
        }
        // SAFETY: the VM set by `call` on this thread, which is inside a C call and does
        // not touch the VM until the C function returns.
        let vm = unsafe { &mut *vmp };
        let mark = vm.mark();
        let r = match run_callback(vm, handle, ft, words) {
            Ok(w) => w,
            Err(_) => {
                let e = vm.take_exc();
                let text = vm.format_exception(e);
                vm.flush_out();
                eprintln!("From cffi callback:");
                eprint!("{text}");
                error_word
            }
        };
        vm.reset_roots(mark);
        r
    });
    let cb = match Callback::new(&sig, handler) {
        Ok(cb) => cb,
        Err(e) => {
            let _ = st.borrow().table.close(handle as *const c_void);
            return Err(runtime_error(vm, format!("ffi.callback(): {e}")));
        }
    };
    let code = cb.code_ptr() as u64;
    let c = new_box(vm, pt, code, 0, None);
    let b = cd(vm, c).expect("box").b;
    set_field(b, B_HANDLE, handle);
    set_field(b, B_CALLBACK, Box::into_raw(Box::new(cb)) as u64);
    Ok(c)
}

/// `get_errno()`: `errno` as the last C call left it.
pub fn get_errno(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "get_errno", 0, 0)?;
    let e = state(vm).borrow().errno;
    Ok(vm.sp.new_int(e as i64))
}

/// `set_errno(v)`: the `errno` the next C call starts with.
pub fn set_errno(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "set_errno", 1, 1)?;
    let Some(e) = vm.sp.small_int(vm.unwrap_builtin(a.get(0))) else {
        return Err(vm.type_error("errno must be an int"));
    };
    state(vm).borrow_mut().errno = e as i32;
    Ok(vm.sp.none)
}
