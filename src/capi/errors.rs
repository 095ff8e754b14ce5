//! The error indicator (per thread, as in CPython: type, value, traceback, each an owned
//! reference or null) and the `PyErr_*` functions; the `PyExc_*` variables; and the two
//! crossings: a Python exception raised under a C call becomes the indicator, and an
//! indicator left by C becomes a raised Python exception with CPython's normalisation.

#![allow(non_upper_case_globals)]

use super::convert::{from_py, new_ref, to_py};
use super::vm;
use crate::vm::{Raised, Vm};
use std::cell::Cell;
use std::ffi::{c_char, c_int, CStr};
use std::ptr::null_mut;
use thicket_cpyext::abi::*;
use thicket_cpyext::statics::{decref_opt, incref};

type Triple = (*mut PyObject, *mut PyObject, *mut PyObject);

thread_local! {
    static INDICATOR: Cell<Triple> = const { Cell::new((null_mut(), null_mut(), null_mut())) };
}

fn take() -> Triple {
    INDICATOR.with(|c| c.replace((null_mut(), null_mut(), null_mut())))
}

/// Replaces the indicator with owned references, releasing the old ones.
fn restore(t: Triple) {
    let old = INDICATOR.with(|c| c.replace(t));
    // SAFETY: the indicator owned these references.
    unsafe {
        decref_opt(old.0);
        decref_opt(old.1);
        decref_opt(old.2);
    }
}

/// Whether an error is set.
pub fn occurred() -> bool {
    INDICATOR.with(|c| !c.get().0.is_null())
}

macro_rules! exceptions {
    ($($sym:ident = $name:literal;)*) => {
        $(
            #[doc = "A standard exception type (set when the C-API starts)."]
            #[no_mangle]
            pub static mut $sym: *mut PyObject = null_mut();
        )*
        /// Every `PyExc_*` variable with the Python name of its type.
        pub fn exception_slots() -> Vec<(&'static str, *mut *mut PyObject)> {
            vec![$(($name, &raw mut $sym)),*]
        }
    };
}

exceptions! {
    PyExc_BaseException = "BaseException"; PyExc_Exception = "Exception";
    PyExc_ArithmeticError = "ArithmeticError"; PyExc_FloatingPointError = "FloatingPointError";
    PyExc_OverflowError = "OverflowError"; PyExc_ZeroDivisionError = "ZeroDivisionError";
    PyExc_AssertionError = "AssertionError"; PyExc_AttributeError = "AttributeError";
    PyExc_BufferError = "BufferError"; PyExc_EOFError = "EOFError";
    PyExc_ImportError = "ImportError"; PyExc_ModuleNotFoundError = "ModuleNotFoundError";
    PyExc_LookupError = "LookupError"; PyExc_IndexError = "IndexError";
    PyExc_KeyError = "KeyError"; PyExc_MemoryError = "MemoryError";
    PyExc_NameError = "NameError"; PyExc_UnboundLocalError = "UnboundLocalError";
    PyExc_OSError = "OSError"; PyExc_IOError = "OSError"; PyExc_EnvironmentError = "OSError";
    PyExc_FileNotFoundError = "FileNotFoundError"; PyExc_FileExistsError = "FileExistsError";
    PyExc_PermissionError = "PermissionError"; PyExc_IsADirectoryError = "IsADirectoryError";
    PyExc_NotADirectoryError = "NotADirectoryError"; PyExc_TimeoutError = "TimeoutError";
    PyExc_ReferenceError = "ReferenceError"; PyExc_RuntimeError = "RuntimeError";
    PyExc_NotImplementedError = "NotImplementedError"; PyExc_RecursionError = "RecursionError";
    PyExc_SyntaxError = "SyntaxError"; PyExc_IndentationError = "IndentationError";
    PyExc_TabError = "TabError"; PyExc_SystemError = "SystemError";
    PyExc_TypeError = "TypeError"; PyExc_ValueError = "ValueError";
    PyExc_UnicodeError = "UnicodeError"; PyExc_UnicodeDecodeError = "UnicodeDecodeError";
    PyExc_UnicodeEncodeError = "UnicodeEncodeError"; PyExc_StopIteration = "StopIteration";
    PyExc_GeneratorExit = "GeneratorExit"; PyExc_KeyboardInterrupt = "KeyboardInterrupt";
    PyExc_SystemExit = "SystemExit"; PyExc_Warning = "Warning";
    PyExc_DeprecationWarning = "DeprecationWarning";
    PyExc_PendingDeprecationWarning = "PendingDeprecationWarning";
    PyExc_RuntimeWarning = "RuntimeWarning"; PyExc_SyntaxWarning = "SyntaxWarning";
    PyExc_UserWarning = "UserWarning"; PyExc_FutureWarning = "FutureWarning";
    PyExc_ImportWarning = "ImportWarning"; PyExc_UnicodeWarning = "UnicodeWarning";
    PyExc_BytesWarning = "BytesWarning"; PyExc_ResourceWarning = "ResourceWarning";
}

/// Moves the exception the VM is raising into the indicator (an API function failed).
pub fn set_from_vm(vm: &mut Vm) {
    let e = vm.take_exc();
    let t = new_ref(vm, e.ty());
    let v = new_ref(vm, e);
    restore((t, v, null_mut()));
}

/// Raises the indicator's exception in the VM (C returned an error), normalising it as
/// CPython does: a value that is not an instance of the type becomes its arguments.
pub fn raise_in_vm(vm: &mut Vm) -> Raised {
    let (t, v, tb) = take();
    // SAFETY: the indicator held owned references; they are released here after use.
    unsafe {
        decref_opt(tb);
        let ty = from_py(vm, t);
        let exc = if v.is_null() {
            let r = vm.call(ty, &[]);
            decref_opt(t);
            match r {
                Ok(e) => e,
                Err(r) => return r,
            }
        } else {
            let val = from_py(vm, v);
            if vm.sp.isinstance(val, ty) {
                decref_opt(t);
                decref_opt(v);
                val
            } else {
                let r = if vm.sp.kind(val) == thicket_object_model::builtin_types::Kind::Tuple {
                    let args: Vec<_> = vm.sp.tuple_items(val).to_vec();
                    vm.call(ty, &args)
                } else if val.is(vm.sp.none) {
                    vm.call(ty, &[])
                } else {
                    vm.call(ty, &[val])
                };
                decref_opt(t);
                decref_opt(v);
                match r {
                    Ok(e) => e,
                    Err(r) => return r,
                }
            }
        };
        if !vm.sp.isinstance(exc, vm.sp.t.base_exception) {
            return vm.type_error("exceptions must derive from BaseException");
        }
        vm.raise(exc)
    }
}

/// Discards the indicator.
pub fn clear() {
    restore((null_mut(), null_mut(), null_mut()));
}

/// Sets the indicator to `ty` with a str message.
pub(crate) fn set_string(vm: &mut Vm, ty: *mut PyObject, msg: &str) {
    let m = vm.new_str(msg);
    let v = new_ref(vm, m);
    // SAFETY: `ty` is a live type object.
    unsafe { incref(ty) };
    restore((ty, v, null_mut()));
}

/// `PyErr_SetString`.
///
/// # Safety
/// `ty` must be an exception type, `msg` a NUL-terminated UTF-8 string.
#[no_mangle]
pub unsafe extern "C" fn PyErr_SetString(ty: *mut PyObject, msg: *const c_char) {
    // SAFETY: caller's contract.
    let m = unsafe { CStr::from_ptr(msg) }
        .to_string_lossy()
        .into_owned();
    set_string(vm(), ty, &m);
}

/// `PyErr_SetObject`.
///
/// # Safety
/// `ty` must be an exception type; `value` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyErr_SetObject(ty: *mut PyObject, value: *mut PyObject) {
    // SAFETY: both are live objects the indicator now owns references to.
    unsafe {
        incref(ty);
        if !value.is_null() {
            incref(value);
        }
    }
    restore((ty, value, null_mut()));
}

/// `PyErr_SetNone`.
///
/// # Safety
/// `ty` must be an exception type.
#[no_mangle]
pub unsafe extern "C" fn PyErr_SetNone(ty: *mut PyObject) {
    // SAFETY: forwarded.
    unsafe { PyErr_SetObject(ty, null_mut()) }
}

/// `PyErr_Occurred`: the indicator's type (borrowed), or null.
#[no_mangle]
pub extern "C" fn PyErr_Occurred() -> *mut PyObject {
    INDICATOR.with(|c| c.get().0)
}

/// `PyErr_Clear`.
#[no_mangle]
pub extern "C" fn PyErr_Clear() {
    clear()
}

/// `PyErr_Fetch`: moves the indicator out (the caller owns the references).
///
/// # Safety
/// The three pointers must be writable.
#[no_mangle]
pub unsafe extern "C" fn PyErr_Fetch(
    t: *mut *mut PyObject,
    v: *mut *mut PyObject,
    tb: *mut *mut PyObject,
) {
    let (a, b, c) = take();
    // SAFETY: caller's contract.
    unsafe {
        *t = a;
        *v = b;
        *tb = c;
    }
}

/// `PyErr_Restore`: sets the indicator, stealing the three references.
///
/// # Safety
/// Each argument must be null or an owned reference.
#[no_mangle]
pub unsafe extern "C" fn PyErr_Restore(t: *mut PyObject, v: *mut PyObject, tb: *mut PyObject) {
    if t.is_null() {
        // SAFETY: stolen references.
        unsafe {
            decref_opt(v);
            decref_opt(tb);
        }
        clear();
    } else {
        restore((t, v, tb));
    }
}

/// `PyErr_NormalizeException`: makes `*v` an instance of `*t`.
///
/// # Safety
/// The pointers must be writable and hold owned references (or null).
#[no_mangle]
pub unsafe extern "C" fn PyErr_NormalizeException(
    t: *mut *mut PyObject,
    v: *mut *mut PyObject,
    tb: *mut *mut PyObject,
) {
    // SAFETY: caller's contract.
    unsafe {
        if (*t).is_null() {
            return;
        }
        let vm = vm();
        let saved = take();
        restore((*t, *v, null_mut()));
        let _ = raise_in_vm(vm);
        let e = vm.take_exc();
        restore(saved);
        *t = new_ref(vm, e.ty());
        *v = new_ref(vm, e);
        let _ = tb;
    }
}

/// `PyErr_GivenExceptionMatches`: whether `given` (a type or an instance) matches
/// `exc` (a type or a tuple of them).
///
/// # Safety
/// Both must be null or live objects.
#[no_mangle]
pub unsafe extern "C" fn PyErr_GivenExceptionMatches(
    given: *mut PyObject,
    exc: *mut PyObject,
) -> c_int {
    if given.is_null() || exc.is_null() {
        return 0;
    }
    let vm = vm();
    // SAFETY: live objects.
    let (g, e) = unsafe { (from_py(vm, given), from_py(vm, exc)) };
    let g = if g.layout() == thicket_object_model::layout::TYPE {
        g
    } else {
        g.ty()
    };
    matches(vm, g, e) as c_int
}

fn matches(vm: &mut Vm, g: thicket_object_model::Value, e: thicket_object_model::Value) -> bool {
    if vm.sp.kind(e) == thicket_object_model::builtin_types::Kind::Tuple {
        let items: Vec<_> = vm.sp.tuple_items(e).to_vec();
        return items.into_iter().any(|x| matches(vm, g, x));
    }
    g.is(e) || (e.layout() == thicket_object_model::layout::TYPE && vm.sp.is_subtype(g, e))
}

/// `PyErr_ExceptionMatches`.
///
/// # Safety
/// `exc` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn PyErr_ExceptionMatches(exc: *mut PyObject) -> c_int {
    // SAFETY: forwarded.
    unsafe { PyErr_GivenExceptionMatches(PyErr_Occurred(), exc) }
}

/// `PyErr_NoMemory`.
#[no_mangle]
pub extern "C" fn PyErr_NoMemory() -> *mut PyObject {
    // SAFETY: the exported variable, set at start-up.
    unsafe { PyErr_SetNone(PyExc_MemoryError) };
    null_mut()
}

/// `PyErr_BadArgument`.
#[no_mangle]
pub extern "C" fn PyErr_BadArgument() -> c_int {
    // SAFETY: as above.
    set_string(
        vm(),
        unsafe { PyExc_TypeError },
        "bad argument type for built-in operation",
    );
    0
}

/// `PyErr_BadInternalCall`.
#[no_mangle]
pub extern "C" fn PyErr_BadInternalCall() {
    // SAFETY: as above.
    set_string(
        vm(),
        unsafe { PyExc_SystemError },
        "bad argument to internal function",
    );
}

/// `_PyErr_BadInternalCall` (the macro form passes a location).
///
/// # Safety
/// `file` must be a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn _PyErr_BadInternalCall(file: *const c_char, line: c_int) {
    // SAFETY: caller's contract.
    let f = unsafe { CStr::from_ptr(file) }.to_string_lossy();
    // SAFETY: as above.
    set_string(
        vm(),
        unsafe { PyExc_SystemError },
        &format!("{f}:{line}: bad argument to internal function"),
    );
}

/// `PyErr_SetFromErrno`.
///
/// # Safety
/// `ty` must be an exception type.
#[no_mangle]
pub unsafe extern "C" fn PyErr_SetFromErrno(ty: *mut PyObject) -> *mut PyObject {
    let e = std::io::Error::last_os_error();
    let code = e.raw_os_error().unwrap_or(0);
    let vm = vm();
    let msg = e.to_string();
    let msg = msg.split(" (os error").next().unwrap_or("").to_owned();
    let a = vm.sp.new_int(code as i64);
    let b = vm.new_str(&msg);
    let t = vm.sp.new_tuple(&[a, b]);
    let tp = to_py(vm, t);
    // SAFETY: forwarded.
    unsafe { PyErr_SetObject(ty, tp) };
    null_mut()
}

/// `PyErr_WarnEx`: issues the warning through the `warnings` module, as CPython does
/// (its filters decide: ignored, shown once per place, or raised); `stack_level` 1 is
/// the Python code calling the C function. Returns -1 with the error set if the
/// warning was turned into an exception (or the machinery failed), else 0.
///
/// # Safety
/// `category` must be null or a warning type; `msg` a NUL-terminated UTF-8 string.
#[no_mangle]
pub unsafe extern "C" fn PyErr_WarnEx(
    category: *mut PyObject,
    msg: *const c_char,
    stack_level: isize,
) -> c_int {
    let vm = vm();
    // SAFETY: caller's contract.
    let m = unsafe { CStr::from_ptr(msg) }
        .to_string_lossy()
        .into_owned();
    let cat = if category.is_null() {
        vm.sp.t.runtime_warning
    } else {
        // SAFETY: a live type.
        unsafe { from_py(vm, category) }
    };
    let r = vm.push_root(cat);
    let warned = (|| -> crate::vm::PyResult<()> {
        let module = vm.import_module("warnings")?;
        let warn = vm.getattr_str(module, "warn")?;
        let text = vm.new_str(&m);
        let level = vm.sp.new_int(stack_level.max(1) as i64);
        let cat = vm.root(r);
        vm.call(warn, &[text, cat, level])?;
        Ok(())
    })();
    vm.reset_roots(r);
    match warned {
        Ok(()) => 0,
        Err(_) => {
            set_from_vm(vm);
            -1
        }
    }
}

/// `PyErr_Print`: prints the pending exception with its traceback, and clears it.
#[no_mangle]
pub extern "C" fn PyErr_Print() {
    let vm = vm();
    if !occurred() {
        return;
    }
    let _ = raise_in_vm(vm);
    let e = vm.take_exc();
    let s = vm.format_exception(e);
    use std::io::Write;
    let _ = vm.out.flush();
    eprint!("{s}");
}

/// `PyErr_WriteUnraisable`.
///
/// # Safety
/// `obj` must be null or a live object.
#[no_mangle]
pub unsafe extern "C" fn PyErr_WriteUnraisable(obj: *mut PyObject) {
    // SAFETY: forwarded.
    unsafe { write_unraisable(None, obj) }
}

/// `_PyErr_WriteUnraisableMsg(msg, obj)`: as `PyErr_WriteUnraisable`, the first line
/// being `Exception ignored {msg}: {obj!r}` (or `Exception ignored {msg}:` without an
/// object), as CPython's default `sys.unraisablehook` writes it; the error is cleared.
///
/// # Safety
/// `msg` null or NUL-terminated; `obj` null or a live object.
#[no_mangle]
pub unsafe extern "C" fn _PyErr_WriteUnraisableMsg(msg: *const c_char, obj: *mut PyObject) {
    let m = if msg.is_null() {
        None
    } else {
        // SAFETY: caller's contract.
        Some(
            unsafe { CStr::from_ptr(msg) }
                .to_string_lossy()
                .into_owned(),
        )
    };
    // SAFETY: forwarded.
    unsafe { write_unraisable(m, obj) }
}

/// Writes the pending exception to stderr as unraisable (CPython's default hook's
/// format: the header line, the traceback, the exception) and clears it.
///
/// # Safety
/// `obj` null or a live object.
unsafe fn write_unraisable(msg: Option<String>, obj: *mut PyObject) {
    if !occurred() {
        return;
    }
    let vm = vm();
    let exc = {
        let _ = raise_in_vm(vm);
        vm.take_exc()
    };
    let er = vm.push_root(exc);
    let repr = if obj.is_null() {
        None
    } else {
        // SAFETY: caller's contract.
        let o = unsafe { from_py(vm, obj) };
        Some(match vm.repr_string(o) {
            Ok(s) => s,
            Err(_) => {
                vm.take_exc();
                "<object repr() failed>".to_owned()
            }
        })
    };
    let head = match (msg, repr) {
        (Some(m), Some(r)) => format!("Exception ignored {m}: {r}"),
        (Some(m), None) => format!("Exception ignored {m}:"),
        (None, Some(r)) => format!("Exception ignored in: {r}"),
        (None, None) => String::new(),
    };
    let exc = vm.root(er);
    let s = vm.format_exception(exc);
    vm.reset_roots(er);
    vm.flush_out();
    if !head.is_empty() {
        eprintln!("{head}");
    }
    eprint!("{s}");
}

/// `PyErr_NewException(name, base, dict)`: a new exception class `module.Name`.
///
/// # Safety
/// `name` must be a NUL-terminated "module.Name"; `base` null, a type or a tuple of
/// types; `dict` null or a dict.
#[no_mangle]
pub unsafe extern "C" fn PyErr_NewException(
    name: *const c_char,
    base: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    let vm = vm();
    // SAFETY: caller's contract.
    let full = unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned();
    let Some((module, short)) = full.rsplit_once('.') else {
        // SAFETY: the exported variable.
        set_string(
            vm,
            unsafe { PyExc_SystemError },
            "PyErr_NewException: name must be module.class",
        );
        return null_mut();
    };
    // SAFETY: live objects.
    let bases = unsafe {
        if base.is_null() {
            vec![vm.sp.t.exception]
        } else {
            let b = from_py(vm, base);
            if vm.sp.kind(b) == thicket_object_model::builtin_types::Kind::Tuple {
                vm.sp.tuple_items(b).to_vec()
            } else {
                vec![b]
            }
        }
    };
    // SAFETY: a live dict, if given.
    let d = if dict.is_null() {
        vm.sp.new_dict()
    } else {
        unsafe { from_py(vm, dict) }
    };
    let m = vm.new_str(module);
    let key = vm.sp.intern("__module__");
    vm.sp.dict_set_str(d, key, m);
    let n = vm.sp.intern(short);
    match vm.sp.new_class(n, n, &bases, d) {
        Ok(c) => new_ref(vm, c),
        Err(msg) => {
            // SAFETY: the exported variable.
            set_string(vm, unsafe { PyExc_TypeError }, &msg);
            null_mut()
        }
    }
}

/// `PyErr_NewExceptionWithDoc`.
///
/// # Safety
/// As [`PyErr_NewException`].
#[no_mangle]
pub unsafe extern "C" fn PyErr_NewExceptionWithDoc(
    name: *const c_char,
    _doc: *const c_char,
    base: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { PyErr_NewException(name, base, dict) }
}
