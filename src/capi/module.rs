//! Extension modules: finding and loading them (`dlopen`, `PyInit_<name>`), single-phase
//! init (`PyModule_Create2`) and multi-phase init (`PyModuleDef_Init`, then the
//! `Py_mod_exec` slots), module state, and the `PyModule_*` functions.
//!
//! A module that fails to load says why: the dynamic linker's message names a missing
//! C-API symbol (`undefined symbol: PyFoo`), and a missing init function is named.

#![allow(non_upper_case_globals)]

use super::convert::{from_py, new_ref, to_py};
use super::errors::{self, set_string, PyExc_SystemError};
use super::{vm, Enter};
use crate::vm::{PyResult, Vm};
use std::ffi::{c_char, c_int, c_long, c_void, CStr, CString};
use std::ptr::null_mut;
use thicket_cpyext::abi::*;
use thicket_cpyext::statics::{decref, PyModuleDef_Type};
use thicket_object_model::Value;

/// What an extension module keeps beside its object.
pub struct ModuleInfo {
    /// Its definition.
    pub def: *mut PyModuleDef,
    /// Its state (`m_size` bytes, zeroed), or null.
    pub state: *mut c_void,
}

/// The file names an extension module `leaf` may have in a directory.
pub fn candidates(leaf: &str) -> [String; 3] {
    [
        format!("{leaf}.cpython-311-x86_64-linux-gnu.so"),
        format!("{leaf}.abi3.so"),
        format!("{leaf}.so"),
    ]
}

/// Loads the extension module `name` from `path`.
pub fn load(vm: &mut Vm, name: &str, path: &str) -> PyResult {
    super::ensure_init(vm);
    let cpath = CString::new(path).unwrap_or_default();
    // SAFETY: dlopen of a file; RTLD_NOW reports missing symbols now, by name.
    let h = unsafe { libc::dlopen(cpath.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    if h.is_null() {
        // SAFETY: dlerror returns a NUL-terminated message after a failure.
        let msg = unsafe { CStr::from_ptr(libc::dlerror()) }
            .to_string_lossy()
            .into_owned();
        let hint = if msg.contains("undefined symbol") {
            " (a C-API function or variable this module needs is not provided by Thicket)"
        } else {
            ""
        };
        return Err(vm.err(vm.sp.t.import_error, format!("{msg}{hint}")));
    }
    let leaf = name.rsplit('.').next().unwrap_or(name);
    let init = CString::new(format!("PyInit_{leaf}")).unwrap_or_default();
    // SAFETY: a symbol lookup in the handle just opened.
    let f = unsafe { libc::dlsym(h, init.as_ptr()) };
    if f.is_null() {
        return Err(vm.err(
            vm.sp.t.import_error,
            format!("dynamic module does not define module export function (PyInit_{leaf})"),
        ));
    }
    let r = {
        let _e = Enter::new(vm);
        // SAFETY: `PyInit_<name>` takes nothing and returns a new reference or NULL.
        unsafe {
            let f: unsafe extern "C" fn() -> *mut PyObject = std::mem::transmute(f);
            f()
        }
    };
    if r.is_null() {
        if errors::occurred() {
            return Err(errors::raise_in_vm(vm));
        }
        return Err(vm.err(
            vm.sp.t.system_error,
            format!("initialization of {leaf} failed without raising an exception"),
        ));
    }
    // SAFETY: a live object returned by the init function.
    let is_def = unsafe { (*r).ob_type == &raw mut PyModuleDef_Type };
    let m = if is_def {
        multi_phase(vm, name, r as *mut PyModuleDef)?
    } else {
        // SAFETY: a new reference to the module.
        let m = unsafe { from_py(vm, r) };
        // (The module keeps its proxy reference: modules live as long as the VM.)
        m
    };
    let key = vm.sp.intern(name);
    let mods = vm.modules();
    vm.sp.dict_set_str(mods, key, m);
    let file = vm.new_str(path);
    let fkey = vm.sp.intern("__file__");
    let d = vm.module_dict(m);
    vm.sp.dict_set_str(d, fkey, file);
    Ok(m)
}

/// Creates a module object for `def` named `name`: methods, doc, state.
fn create(vm: &mut Vm, name: &str, def: *mut PyModuleDef) -> Value {
    let m = vm.new_module(name);
    let mp = new_ref(vm, m); // Modules are never unloaded: a permanent reference.
                             // SAFETY: a valid module definition.
    let (size, doc) = unsafe { ((*def).m_size, (*def).m_doc) };
    let state = if size > 0 {
        // SAFETY: zeroed state of the size the module asked for.
        unsafe { libc::calloc(1, size as usize) }
    } else {
        null_mut()
    };
    vm.capi
        .as_mut()
        .expect("capi")
        .modules
        .insert(mp as usize, ModuleInfo { def, state });
    if !doc.is_null() {
        // SAFETY: a NUL-terminated doc string.
        let s = unsafe { CStr::from_ptr(doc) }
            .to_string_lossy()
            .into_owned();
        let v = vm.new_str(&s);
        let d = vm.module_dict(m);
        vm.sp.dict_set_str(d, vm.n.doc, v);
    }
    // SAFETY: a valid module definition.
    let methods = unsafe { (*def).m_methods };
    add_functions(vm, m, methods);
    m
}

/// Adds the functions of a `PyMethodDef` array (NULL-name terminated) to module `m`.
pub(crate) fn add_functions(vm: &mut Vm, m: Value, mut ml: *mut PyMethodDef) {
    if ml.is_null() {
        return;
    }
    let r = vm.push_root(m);
    // SAFETY: a NULL-terminated array of method definitions that outlives the module.
    unsafe {
        while !(*ml).ml_name.is_null() {
            let n = CStr::from_ptr((*ml).ml_name).to_string_lossy().into_owned();
            let m = vm.root(r);
            let f = super::cfunc::new_cfunc(vm, ml, Some(m), None);
            let key = vm.sp.intern(&n);
            let mm = vm.root(r);
            let d = vm.module_dict(mm);
            vm.sp.dict_set_str(d, key, f);
            ml = ml.add(1);
        }
    }
    vm.reset_roots(r);
}

fn multi_phase(vm: &mut Vm, name: &str, def: *mut PyModuleDef) -> PyResult {
    let m = create(vm, name, def);
    let mp = to_py(vm, m);
    // SAFETY: a valid definition; its slots array ends with a zero slot.
    unsafe {
        let mut s = (*def).m_slots;
        while !s.is_null() && (*s).slot != 0 {
            match (*s).slot {
                Py_mod_exec => {
                    let f: unsafe extern "C" fn(*mut PyObject) -> c_int =
                        std::mem::transmute((*s).value);
                    let rc = {
                        let _e = Enter::new(vm);
                        f(mp)
                    };
                    if rc != 0 {
                        if errors::occurred() {
                            return Err(errors::raise_in_vm(vm));
                        }
                        return Err(vm.err(
                            vm.sp.t.system_error,
                            format!(
                                "execution of module {name} failed without setting an exception"
                            ),
                        ));
                    }
                }
                Py_mod_create => {
                    return Err(vm.err(
                        vm.sp.t.system_error,
                        format!("module {name}: Py_mod_create slots are not supported by Thicket"),
                    ));
                }
                _ => {} // Py_mod_multiple_interpreters and later: nothing to do.
            }
            s = s.add(1);
        }
    }
    Ok(from_py_module(vm, mp))
}

fn from_py_module(vm: &mut Vm, mp: *mut PyObject) -> Value {
    // SAFETY: the module's live proxy.
    unsafe { from_py(vm, mp) }
}

/// `PyModuleDef_Init`: marks the definition as an object (multi-phase init).
///
/// # Safety
/// `def` must be a valid module definition.
#[no_mangle]
pub unsafe extern "C" fn PyModuleDef_Init(def: *mut PyModuleDef) -> *mut PyObject {
    // SAFETY: caller's contract.
    unsafe {
        (*def).m_base.ob_base.ob_type = &raw mut PyModuleDef_Type;
        if (*def).m_base.ob_base.ob_refcnt == 0 {
            (*def).m_base.ob_base.ob_refcnt = 1;
        }
    }
    def as *mut PyObject
}

/// `PyModule_Create2`: single-phase init.
///
/// # Safety
/// `def` must be a valid module definition that outlives the module.
#[no_mangle]
pub unsafe extern "C" fn PyModule_Create2(def: *mut PyModuleDef, _api: c_int) -> *mut PyObject {
    let vm = vm();
    // SAFETY: caller's contract.
    let name = unsafe { CStr::from_ptr((*def).m_name) }
        .to_string_lossy()
        .into_owned();
    let m = create(vm, &name, def);
    new_ref(vm, m)
}

fn info(m: *mut PyObject) -> Option<&'static ModuleInfo> {
    let vm = vm();
    let c = vm.capi.as_ref()?;
    // SAFETY: ModuleInfo entries live as long as the VM's C-API state.
    c.modules
        .get(&(m as usize))
        .map(|i| unsafe { &*(i as *const ModuleInfo) })
}

/// `PyModule_GetState`.
///
/// # Safety
/// `m` must be a module.
#[no_mangle]
pub unsafe extern "C" fn PyModule_GetState(m: *mut PyObject) -> *mut c_void {
    info(m).map_or(null_mut(), |i| i.state)
}

/// `PyModule_GetDef`.
///
/// # Safety
/// `m` must be a module.
#[no_mangle]
pub unsafe extern "C" fn PyModule_GetDef(m: *mut PyObject) -> *mut PyModuleDef {
    info(m).map_or(null_mut(), |i| i.def)
}

/// `PyModule_GetDict` (borrowed).
///
/// # Safety
/// `m` must be a module.
#[no_mangle]
pub unsafe extern "C" fn PyModule_GetDict(m: *mut PyObject) -> *mut PyObject {
    let vm = vm();
    // SAFETY: caller's contract.
    let mv = unsafe { from_py(vm, m) };
    let d = vm.module_dict(mv);
    to_py(vm, d)
}

/// `PyModule_GetName`.
///
/// # Safety
/// `m` must be a module.
#[no_mangle]
pub unsafe extern "C" fn PyModule_GetName(m: *mut PyObject) -> *const c_char {
    let vm = vm();
    // SAFETY: caller's contract.
    let mv = unsafe { from_py(vm, m) };
    let d = vm.module_dict(mv);
    match vm.sp.dict_get_str(d, vm.n.name) {
        Some(n) => {
            let p = to_py(vm, n);
            // SAFETY: a str proxy.
            unsafe { super::api_concrete::PyUnicode_AsUTF8AndSize(p, null_mut()) }
        }
        None => std::ptr::null(),
    }
}

/// `PyModule_AddObjectRef`.
///
/// # Safety
/// `m` a module, `name` NUL-terminated, `o` a live object (or null: error).
#[no_mangle]
pub unsafe extern "C" fn PyModule_AddObjectRef(
    m: *mut PyObject,
    name: *const c_char,
    o: *mut PyObject,
) -> c_int {
    let vm = vm();
    if o.is_null() {
        if !errors::occurred() {
            // SAFETY: the exported variable.
            set_string(
                vm,
                unsafe { PyExc_SystemError },
                "PyModule_AddObjectRef() must be called with an exception raised if value is NULL",
            );
        }
        return -1;
    }
    // SAFETY: caller's contract.
    unsafe {
        let n = CStr::from_ptr(name).to_string_lossy().into_owned();
        let mv = from_py(vm, m);
        let ov = from_py(vm, o);
        let d = vm.module_dict(mv);
        let k = vm.sp.intern(&n);
        vm.sp.dict_set_str(d, k, ov);
    }
    0
}

/// `PyModule_AddObject`: steals the reference on success.
///
/// # Safety
/// As [`PyModule_AddObjectRef`].
#[no_mangle]
pub unsafe extern "C" fn PyModule_AddObject(
    m: *mut PyObject,
    name: *const c_char,
    o: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded; on success the stolen reference is released.
    unsafe {
        let r = PyModule_AddObjectRef(m, name, o);
        if r == 0 {
            decref(o);
        }
        r
    }
}

/// `PyModule_AddIntConstant`.
///
/// # Safety
/// As [`PyModule_AddObjectRef`].
#[no_mangle]
pub unsafe extern "C" fn PyModule_AddIntConstant(
    m: *mut PyObject,
    name: *const c_char,
    v: c_long,
) -> c_int {
    let vm = vm();
    let o = vm.sp.new_int(v);
    let p = to_py(vm, o);
    // SAFETY: forwarded.
    unsafe { PyModule_AddObjectRef(m, name, p) }
}

/// `PyModule_AddStringConstant`.
///
/// # Safety
/// As [`PyModule_AddObjectRef`]; `v` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PyModule_AddStringConstant(
    m: *mut PyObject,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    let vm = vm();
    // SAFETY: caller's contract.
    let s = unsafe { CStr::from_ptr(v) }.to_string_lossy().into_owned();
    let o = vm.new_str(&s);
    let p = to_py(vm, o);
    // SAFETY: forwarded.
    unsafe { PyModule_AddObjectRef(m, name, p) }
}

/// `PyModule_AddType`: adds a type under the last component of its name.
///
/// # Safety
/// `m` a module, `t` a type object.
#[no_mangle]
pub unsafe extern "C" fn PyModule_AddType(m: *mut PyObject, t: *mut PyTypeObject) -> c_int {
    // SAFETY: caller's contract.
    unsafe {
        if super::api_misc::PyType_Ready(t) < 0 {
            return -1;
        }
        let full = CStr::from_ptr((*t).tp_name).to_bytes();
        let short = full.rsplit(|&c| c == b'.').next().unwrap_or(full);
        let c = CString::new(short).unwrap_or_default();
        PyModule_AddObjectRef(m, c.as_ptr(), t as *mut PyObject)
    }
}

/// `PyModule_AddFunctions`.
///
/// # Safety
/// `m` a module; `ml` a NULL-terminated method array outliving it.
#[no_mangle]
pub unsafe extern "C" fn PyModule_AddFunctions(m: *mut PyObject, ml: *mut PyMethodDef) -> c_int {
    let vm = vm();
    // SAFETY: caller's contract.
    let mv = unsafe { from_py(vm, m) };
    add_functions(vm, mv, ml);
    0
}
