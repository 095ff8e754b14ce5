//! cdata objects: making them, converting Python values to C and back, and the
//! operations on them (`ffi.new`, `ffi.cast`, `ffi.string`, `ffi.buffer`,
//! `ffi.from_buffer`, fields, items, `int()`, `len()`, `repr()`...).
//!
//! Conversions never run Python code (ints are read directly, `__index__` is not
//! called), so no collection can happen inside them and the values they handle stay
//! valid without rooting.

use super::cdecl::CType;
use super::{state, B_CT, B_FLAGS, B_KEEP, B_LEN, B_OWNED, B_PTR, B_TABLE};
use super::{F_BUFFER, F_OWNING, F_PINNED, F_VIEW};
use crate::vm::modules::{arg, own_attr, set_attr};
use crate::vm::types::check_args;
use crate::vm::{Args, PyResult, Vm};
use num_traits::ToPrimitive;
use thicket_ffi_bridge::Kind;
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// A cdata's box, read.
#[derive(Clone, Copy, Debug)]
pub struct Cd {
    pub b: Value,
    pub ptr: u64,
    pub ct: usize,
    pub len: u64,
    pub flags: u64,
}

/// The `void *` ctype.
pub fn void_ptr(vm: &mut Vm) -> usize {
    let st = state(vm);
    let mut st = st.borrow_mut();
    let v = st.types.prim("void").expect("void");
    st.types.ptr(v)
}

/// A new cdata of ctype `ct` with address (or value) `ptr`, flags, and kept object.
pub fn new_box(vm: &mut Vm, ct: usize, ptr: u64, flags: u64, keep: Option<Value>) -> Value {
    let (box_ty, cls, table) = {
        let st = state(vm);
        let st = st.borrow();
        (st.box_ty, st.cdata_cls, st.table.raw().as_usize())
    };
    // Safepoint mode: allocation does not collect, so `keep` stays valid.
    let b = vm.sp.alloc(box_ty, cls);
    // SAFETY: a fresh box: these are its plain fields and its keep slot (stored with the
    // barrier, in case the box was allocated old).
    unsafe {
        b.set::<u64>(B_PTR, ptr);
        b.set::<u64>(B_CT, ct as u64);
        b.set::<u64>(B_FLAGS, flags);
        b.set::<usize>(B_TABLE, table);
        vm.sp.store(b, B_KEEP, keep);
    }
    let sym = state(vm).borrow().box_sym;
    let o = vm.sp.new_instance(cls);
    vm.sp.inst_set(o, sym, b);
    o
}

/// Sets a plain field of a cdata's box.
pub fn set_field(b: Value, off: usize, v: u64) {
    debug_assert!(off != B_KEEP && off >= B_PTR);
    // SAFETY: `b` is a box (callers get it from `cd`), `off` one of its plain fields.
    unsafe { b.set::<u64>(off, v) }
}

/// The cdata `v` is, if it is one.
pub fn cd(vm: &mut Vm, v: Value) -> Option<Cd> {
    if v.layout() != l::INSTANCE {
        return None;
    }
    let (box_ty, sym) = {
        let st = state(vm);
        let st = st.borrow();
        (st.box_ty, st.box_sym)
    };
    let b = vm.sp.inst_get(v, sym)?;
    if b.layout() != box_ty {
        return None;
    }
    // SAFETY: a box: plain fields.
    unsafe {
        Some(Cd {
            b,
            ptr: b.get::<u64>(B_PTR),
            ct: b.get::<u64>(B_CT) as usize,
            len: b.get::<u64>(B_LEN),
            flags: b.get::<u64>(B_FLAGS),
        })
    }
}

fn expect_cd(vm: &mut Vm, v: Value, what: &str) -> PyResult<Cd> {
    match cd(vm, v) {
        Some(c) => Ok(c),
        None => Err(vm.type_error(format!(
            "{what}: expected a cdata object, got {}",
            vm.type_name(v)
        ))),
    }
}

/// The type at `i` (a copy).
pub fn ty(vm: &Vm, i: usize) -> CType {
    state(vm).borrow().types.get(i).clone()
}

/// CFFI's name of type `i`.
pub fn tname(vm: &Vm, i: usize) -> String {
    state(vm).borrow().types.name(i)
}

fn tsize(vm: &Vm, i: usize) -> Option<usize> {
    state(vm).borrow().types.size(i)
}

/// The `ffi.error`-style exception for declarations: `CDefError(msg)`.
pub fn cdef_error(vm: &mut Vm, msg: String) -> crate::vm::Raised {
    let t = state(vm).borrow().cdef_error;
    vm.err(t, msg)
}

/// A ctype from a type string, a `CType` object or (for `typeof`) a cdata.
pub fn ctype_arg(vm: &mut Vm, v: Value) -> PyResult<usize> {
    if v.layout() == l::STR {
        let s = vm.str_owned(v);
        let r = state(vm).borrow_mut().types.parse_type(&s);
        return r.map_err(|e| cdef_error(vm, e));
    }
    if let Some(c) = cd(vm, v) {
        return Ok(c.ct);
    }
    if let Some(i) = own_attr(vm, v, "_i").and_then(|i| vm.sp.small_int(i)) {
        return Ok(i as usize);
    }
    Err(vm.type_error(format!(
        "expected a cdata type (a string or a ctype), not {}",
        vm.type_name(v)
    )))
}

fn new_ctype_obj(vm: &mut Vm, i: usize) -> Value {
    let cls = state(vm).borrow().ctype_cls;
    let name = tname(vm, i);
    let o = vm.sp.new_instance(cls);
    let iv = vm.sp.new_int(i as i64);
    set_attr(vm, o, "_i", iv);
    let n = vm.sp.new_str(&name);
    set_attr(vm, o, "cname", n);
    o
}

// ---------------------------------------------------------------------- conversions

/// The integer value of a Python int or bool (no `__index__`).
fn int_value(vm: &Vm, v: Value) -> Option<i128> {
    let u = vm.unwrap_builtin(v);
    match u.layout() {
        l::INT => vm.sp.small_int(u).map(|i| i as i128),
        l::BIGINT => Some(vm.sp.to_bigint(u).to_i128().unwrap_or(i128::MAX)),
        _ => None,
    }
}

fn int_text(vm: &Vm, v: Value) -> String {
    let u = vm.unwrap_builtin(v);
    if u.layout() == l::BIGINT {
        vm.sp.to_bigint(u).to_string()
    } else {
        vm.sp.small_int(u).unwrap_or(0).to_string()
    }
}

/// A scalar's Python value from its word.
pub fn prim_value(vm: &mut Vm, ct: usize, w: u64) -> Value {
    match ty(vm, ct) {
        CType::Prim {
            kind,
            is_char,
            is_bool,
            ..
        } => {
            if is_char {
                vm.sp.new_bytes(&[w as u8])
            } else if is_bool {
                vm.sp.new_bool(w != 0)
            } else if matches!(kind, Kind::F32 | Kind::F64) {
                vm.sp.new_float(kind.word_float(w))
            } else {
                let i = kind.to_i128(w);
                vm.int_from(num_bigint::BigInt::from(i))
            }
        }
        _ => vm.sp.none,
    }
}

/// Converts `v` to the word of ctype `ct` (a scalar or a pointer). With `temps`,
/// `bytes` are accepted for `char *` (a NUL-terminated copy lives in `temps`).
pub fn to_word(
    vm: &mut Vm,
    ct: usize,
    v: Value,
    temps: Option<&mut Vec<Vec<u8>>>,
) -> PyResult<u64> {
    let t = ty(vm, ct);
    match t {
        CType::Prim {
            kind,
            is_char,
            is_bool,
            name,
        } => {
            if let Some(c) = cd(vm, v) {
                if let CType::Prim { kind: k2, .. } = ty(vm, c.ct) {
                    if matches!(k2, Kind::F32 | Kind::F64) != matches!(kind, Kind::F32 | Kind::F64)
                    {
                        let f = k2.word_float(c.ptr);
                        return Ok(if kind.is_int() {
                            f as i64 as u64
                        } else {
                            kind.float_word(f)
                        });
                    }
                    return Ok(kind.widen(c.ptr));
                }
            }
            if is_char {
                let u = vm.unwrap_builtin(v);
                if u.layout() == l::BYTES && vm.sp.bytes_of(u).len() == 1 {
                    return Ok(vm.sp.bytes_of(u)[0] as u64);
                }
                return Err(vm.type_error(format!(
                    "initializer for ctype 'char' must be a bytes of length 1, not {}",
                    vm.type_name(v)
                )));
            }
            if matches!(kind, Kind::F32 | Kind::F64) {
                let u = vm.unwrap_builtin(v);
                if u.layout() == l::FLOAT {
                    return Ok(kind.float_word(vm.sp.float_value(u)));
                }
                if let Some(i) = int_value(vm, v) {
                    return Ok(kind.float_word(i as f64));
                }
                return Err(vm.type_error(format!("must be real number, not {}", vm.type_name(v))));
            }
            let Some(i) = int_value(vm, v) else {
                let what = vm.type_name(v);
                return Err(vm.type_error(format!(
                    "initializer for ctype '{name}' must be a int, not {what}"
                )));
            };
            let (lo, hi) = if is_bool { (0, 1) } else { kind.int_range() };
            if i < lo || i > hi {
                let txt = int_text(vm, v);
                return Err(vm.overflow_error(format!("integer {txt} does not fit '{name}'")));
            }
            Ok(kind.widen(i as i64 as u64))
        }
        CType::Ptr(target) => {
            if v.is(vm.sp.none) {
                return Ok(0);
            }
            if let Some(c) = cd(vm, v) {
                return match ty(vm, c.ct) {
                    CType::Ptr(_) | CType::Array(..) | CType::Func(..) => Ok(c.ptr),
                    _ => {
                        let (a, b) = (tname(vm, ct), tname(vm, c.ct));
                        Err(vm.type_error(format!(
                            "initializer for ctype '{a}' must be a pointer, not cdata '{b}'"
                        )))
                    }
                };
            }
            let u = vm.unwrap_builtin(v);
            let char_like = matches!(
                ty(vm, target),
                CType::Void
                    | CType::Prim {
                        kind: Kind::I8 | Kind::U8,
                        ..
                    }
            );
            if let (Some(temps), true, l::BYTES) = (temps, char_like, u.layout()) {
                let mut copy = vm.sp.bytes_of(u).to_vec();
                copy.push(0);
                let p = copy.as_ptr() as u64;
                temps.push(copy);
                return Ok(p);
            }
            let (a, b) = (tname(vm, ct), vm.type_name(v));
            Err(vm.type_error(format!(
                "initializer for ctype '{a}' must be a cdata pointer, not {b}"
            )))
        }
        _ => {
            let a = tname(vm, ct);
            Err(vm.type_error(format!("cannot pass or convert to ctype '{a}' here")))
        }
    }
}

/// Reads a value of ctype `ct` at `addr`: a Python scalar, a pointer cdata, or a view
/// (struct or array) that keeps `keep` alive.
///
/// # Safety
/// `addr` must be valid for reading a `ct`.
pub unsafe fn load(vm: &mut Vm, ct: usize, addr: usize, keep: Option<Value>) -> PyResult<Value> {
    match ty(vm, ct) {
        CType::Prim { kind, .. } => {
            // SAFETY: the caller's promise.
            let w = unsafe { kind.read(addr as *const u8) };
            Ok(prim_value(vm, ct, w))
        }
        CType::Ptr(_) => {
            // SAFETY: the caller's promise.
            let w = unsafe { Kind::Ptr.read(addr as *const u8) };
            Ok(new_box(vm, ct, w, 0, None))
        }
        CType::Array(_, n) => {
            let c = new_box(vm, ct, addr as u64, F_VIEW, keep);
            if let Some(b) = cd(vm, c) {
                set_field(b.b, B_LEN, n.unwrap_or(0) as u64);
            }
            Ok(c)
        }
        CType::Struct(_) => Ok(new_box(vm, ct, addr as u64, F_VIEW, keep)),
        _ => {
            let a = tname(vm, ct);
            Err(vm.type_error(format!("cannot read a value of ctype '{a}'")))
        }
    }
}

/// Writes `v` as a `ct` at `addr`.
///
/// # Safety
/// `addr` must be valid for writing a `ct` (`limit` items for an open array).
pub unsafe fn store(
    vm: &mut Vm,
    ct: usize,
    addr: usize,
    v: Value,
    limit: Option<usize>,
) -> PyResult<()> {
    match ty(vm, ct) {
        CType::Prim { kind, .. } => {
            let w = to_word(vm, ct, v, None)?;
            // SAFETY: the caller's promise.
            unsafe { kind.write(addr as *mut u8, w) };
            Ok(())
        }
        CType::Ptr(_) => {
            let w = to_word(vm, ct, v, None)?;
            // SAFETY: the caller's promise.
            unsafe { Kind::Ptr.write(addr as *mut u8, w) };
            Ok(())
        }
        CType::Array(e, n) => {
            let n = n.or(limit).unwrap_or(0);
            let esize = tsize(vm, e).unwrap_or(0);
            let u = vm.unwrap_builtin(v);
            if u.layout() == l::BYTES && esize == 1 {
                let b = vm.sp.bytes_of(u).to_vec();
                if b.len() > n {
                    let a = tname(vm, ct);
                    return Err(vm.index_error(format!(
                        "initializer bytes is too long for '{a}' (got {} characters)",
                        b.len()
                    )));
                }
                // SAFETY: `b.len() <= n` bytes fit.
                unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), addr as *mut u8, b.len()) };
                return Ok(());
            }
            let items: Vec<Value> = match u.layout() {
                l::LIST => vm.sp.list_items(u).to_vec(),
                l::TUPLE => vm.sp.tuple_items(u).to_vec(),
                _ => {
                    if let Some(c) = cd(vm, v) {
                        if c.ct == ct {
                            let size = n * esize;
                            // SAFETY: same array type: both hold `size` bytes.
                            unsafe { std::ptr::copy(c.ptr as *const u8, addr as *mut u8, size) };
                            return Ok(());
                        }
                    }
                    let a = tname(vm, ct);
                    let b = vm.type_name(v);
                    return Err(vm.type_error(format!(
                        "initializer for ctype '{a}' must be a list or tuple or bytes, not {b}"
                    )));
                }
            };
            if items.len() > n {
                let a = tname(vm, ct);
                return Err(vm.index_error(format!(
                    "too many initializers for '{a}' (got {})",
                    items.len()
                )));
            }
            for (i, it) in items.into_iter().enumerate() {
                // SAFETY: item `i < n` of the array.
                unsafe { store(vm, e, addr + i * esize, it, None)? };
            }
            Ok(())
        }
        CType::Struct(k) => {
            let (fields, size) = {
                let st = state(vm);
                let st = st.borrow();
                let s = &st.types.structs[k];
                (s.fields.clone(), s.size)
            };
            if let Some(c) = cd(vm, v) {
                if c.ct == ct {
                    // SAFETY: same struct type: `size` bytes each.
                    unsafe { std::ptr::copy(c.ptr as *const u8, addr as *mut u8, size) };
                    return Ok(());
                }
            }
            let u = vm.unwrap_builtin(v);
            match u.layout() {
                l::LIST | l::TUPLE => {
                    let items: Vec<Value> = if u.layout() == l::LIST {
                        vm.sp.list_items(u).to_vec()
                    } else {
                        vm.sp.tuple_items(u).to_vec()
                    };
                    if items.len() > fields.len() {
                        let a = tname(vm, ct);
                        return Err(vm.index_error(format!(
                            "too many initializers for '{a}' (got {})",
                            items.len()
                        )));
                    }
                    for (it, (_, ft, off)) in items.into_iter().zip(fields) {
                        // SAFETY: a field of the struct at `addr`.
                        unsafe { store(vm, ft, addr + off, it, None)? };
                    }
                    Ok(())
                }
                l::DICT => {
                    for (kk, it) in vm.sp.dict_items(u) {
                        let name = if kk.layout() == l::STR {
                            vm.str_owned(kk)
                        } else {
                            String::new()
                        };
                        let Some((_, ft, off)) = fields.iter().find(|f| f.0 == name).cloned()
                        else {
                            let a = tname(vm, ct);
                            return Err(vm.key_error_msg(format!("'{a}' has no field '{name}'")));
                        };
                        // SAFETY: a field of the struct at `addr`.
                        unsafe { store(vm, ft, addr + off, it, None)? };
                    }
                    Ok(())
                }
                _ => {
                    let a = tname(vm, ct);
                    let b = vm.type_name(v);
                    Err(vm.type_error(format!(
                        "initializer for ctype '{a}' must be a list or tuple or dict or \
                         struct-cdata, not {b}"
                    )))
                }
            }
        }
        _ => {
            let a = tname(vm, ct);
            Err(vm.type_error(format!("cannot write a value of ctype '{a}'")))
        }
    }
}

trait KeyErrorMsg {
    fn key_error_msg(&mut self, msg: String) -> crate::vm::Raised;
}

impl KeyErrorMsg for Vm {
    fn key_error_msg(&mut self, msg: String) -> crate::vm::Raised {
        let k = self.sp.new_str(&msg);
        self.key_error(k)
    }
}

// ---------------------------------------------------------------------- natives

/// `cdef(source)`.
pub fn cdef(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "cdef", 1, 1)?;
    let src = a.get(0);
    if src.layout() != l::STR {
        let t = vm.type_name(src);
        return Err(vm.type_error(format!("cdef() argument must be str, not {t}")));
    }
    let s = vm.str_owned(src);
    let r = state(vm).borrow_mut().types.cdef(&s);
    r.map_err(|e| cdef_error(vm, e))?;
    Ok(vm.sp.none)
}

/// `typeof(cdecl or cdata)`.
pub fn typeof_(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "typeof", 1, 1)?;
    let t = ctype_arg(vm, a.get(0))?;
    Ok(new_ctype_obj(vm, t))
}

/// `sizeof(cdecl or cdata)`.
pub fn sizeof(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "sizeof", 1, 1)?;
    let v = a.get(0);
    if let Some(c) = cd(vm, v) {
        if let CType::Array(e, None) = ty(vm, c.ct) {
            let n = tsize(vm, e).unwrap_or(0) as u64 * c.len;
            return Ok(vm.sp.new_int(n as i64));
        }
    }
    let t = ctype_arg(vm, v)?;
    match tsize(vm, t) {
        Some(n) => Ok(vm.sp.new_int(n as i64)),
        None => {
            let n = tname(vm, t);
            Err(vm.err(
                state(vm).borrow().cdef_error,
                format!("ctype '{n}' is of unknown size"),
            ))
        }
    }
}

/// `alignof(cdecl)`.
pub fn alignof(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "alignof", 1, 1)?;
    let t = ctype_arg(vm, a.get(0))?;
    let n = state(vm).borrow().types.align(t);
    Ok(vm.sp.new_int(n as i64))
}

/// `new(cdecl, init=None)`: zeroed memory owned by the new cdata.
pub fn new(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "new", 1, 2)?;
    super::release_pins(vm);
    let t = ctype_arg(vm, a.get(0))?;
    let init = a.opt(1).filter(|v| !v.is(vm.sp.none));
    let (item, count, result_ct) = match ty(vm, t) {
        CType::Ptr(target) => match tsize(vm, target) {
            Some(_) => (target, 1usize, t),
            None => {
                let n = tname(vm, t);
                return Err(
                    vm.type_error(format!("cannot instantiate ctype '{n}' of unknown size"))
                );
            }
        },
        CType::Array(e, n) => {
            let n = match n {
                Some(n) => n,
                None => match init {
                    None => return Err(vm.type_error("array length required (or an initializer)")),
                    Some(v) => {
                        if let Some(i) = int_value(vm, v) {
                            if i < 0 {
                                return Err(vm.value_error("negative array length"));
                            }
                            i as usize
                        } else {
                            let u = vm.unwrap_builtin(v);
                            match u.layout() {
                                l::LIST => vm.sp.list_len(u),
                                l::TUPLE => vm.sp.tuple_len(u),
                                // A char array from bytes gets the NUL too.
                                l::BYTES => vm.sp.bytes_of(u).len() + 1,
                                _ => {
                                    let b = vm.type_name(v);
                                    return Err(vm.type_error(format!(
                                        "expected new array length or list/tuple/bytes, not {b}"
                                    )));
                                }
                            }
                        }
                    }
                },
            };
            (e, n, t)
        }
        _ => {
            let n = tname(vm, t);
            return Err(vm.type_error(format!("expected a pointer or array ctype, got '{n}'")));
        }
    };
    let isize = tsize(vm, item).unwrap_or(1);
    let bytes = isize
        .checked_mul(count)
        .filter(|&b| b < (1usize << 40))
        .ok_or_else(|| vm.overflow_error("array size would overflow a ssize_t"))?;
    // SAFETY: calloc of a checked size; at least 1 byte so the pointer is unique.
    let mem = unsafe { libc::calloc(bytes.max(1), 1) } as usize;
    if mem == 0 {
        return Err(vm.err(vm.sp.t.memory_error, "ffi.new(): out of memory"));
    }
    let c = new_box(vm, result_ct, mem as u64, F_OWNING, None);
    let b = cd(vm, c).expect("box").b;
    set_field(b, B_OWNED, mem as u64);
    set_field(
        b,
        B_LEN,
        if matches!(ty(vm, t), CType::Array(..)) {
            count as u64
        } else {
            bytes as u64
        },
    );
    if let Some(init) = init {
        let is_array = matches!(ty(vm, t), CType::Array(..));
        let is_len = is_array && int_value(vm, init).is_some();
        if !is_len {
            let r = vm.push_root(c);
            // SAFETY: `mem` holds `count` items of `item`.
            let res = unsafe {
                if is_array {
                    store(vm, t, mem, init, Some(count))
                } else {
                    store(vm, item, mem, init, None)
                }
            };
            let c2 = vm.root(r);
            vm.reset_roots(r);
            res?;
            return Ok(c2);
        }
    }
    Ok(c)
}

/// `cast(cdecl, value)`.
pub fn cast(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "cast", 2, 2)?;
    let t = ctype_arg(vm, a.get(0))?;
    let v = a.get(1);
    let src = cd(vm, v);
    let word = match ty(vm, t) {
        CType::Prim { kind, is_char, .. } => {
            if let Some(c) = src {
                match ty(vm, c.ct) {
                    CType::Prim { kind: k2, .. } if matches!(k2, Kind::F32 | Kind::F64) => {
                        let f = k2.word_float(c.ptr);
                        if kind.is_int() {
                            kind.widen(f as i64 as u64)
                        } else {
                            kind.float_word(f)
                        }
                    }
                    CType::Prim { kind: k2, .. } => {
                        if kind.is_int() {
                            kind.widen(c.ptr)
                        } else {
                            kind.float_word(k2.to_i128(c.ptr) as f64)
                        }
                    }
                    _ => kind.widen(c.ptr),
                }
            } else if let Some(i) = int_value(vm, v) {
                if kind.is_int() {
                    kind.widen(i as i64 as u64)
                } else {
                    kind.float_word(i as f64)
                }
            } else if vm.unwrap_builtin(v).layout() == l::FLOAT {
                let f = vm.sp.float_value(vm.unwrap_builtin(v));
                if kind.is_int() {
                    kind.widen(f as i64 as u64)
                } else {
                    kind.float_word(f)
                }
            } else if is_char && vm.unwrap_builtin(v).layout() == l::BYTES {
                to_word(vm, t, v, None)?
            } else {
                let (n, b) = (tname(vm, t), vm.type_name(v));
                return Err(vm.type_error(format!("cannot cast {b} to ctype '{n}'")));
            }
        }
        CType::Ptr(_) => {
            if let Some(c) = src {
                c.ptr
            } else if let Some(i) = int_value(vm, v) {
                i as i64 as u64
            } else if v.is(vm.sp.none) {
                0
            } else {
                let (n, b) = (tname(vm, t), vm.type_name(v));
                return Err(vm.type_error(format!("cannot cast {b} to ctype '{n}'")));
            }
        }
        _ => {
            let n = tname(vm, t);
            return Err(vm.type_error(format!(
                "cannot cast to ctype '{n}' (only to primitive or pointer types)"
            )));
        }
    };
    Ok(new_box(vm, t, word, 0, None))
}

/// `string(cdata, maxlen=-1)`: the bytes up to the first NUL.
pub fn string(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "string", 1, 2)?;
    let c = expect_cd(vm, a.get(0), "string")?;
    let maxlen = match arg(vm, a, 1, "maxlen") {
        Some(m) => int_value(vm, m).unwrap_or(-1),
        None => -1,
    };
    let limit = |n: usize| {
        if maxlen >= 0 {
            n.min(maxlen as usize)
        } else {
            n
        }
    };
    match ty(vm, c.ct) {
        CType::Prim { is_char: true, .. } => Ok(vm.sp.new_bytes(&[c.ptr as u8])),
        CType::Prim { .. } => {
            let v = prim_value(vm, c.ct, c.ptr);
            vm.to_str(v)
        }
        CType::Ptr(e) | CType::Array(e, _) if tsize(vm, e) == Some(1) => {
            if c.ptr == 0 {
                return Err(vm.err(
                    vm.sp.t.runtime_error,
                    "cannot use string() on <cdata 'char *' NULL>",
                ));
            }
            let n = match ty(vm, c.ct) {
                CType::Array(_, Some(n)) => limit(n),
                CType::Array(_, None) => limit(c.len as usize),
                _ => limit(usize::MAX),
            };
            let mut out = Vec::new();
            let p = c.ptr as *const u8;
            for i in 0..n {
                // SAFETY: reading a C string the caller handed us, up to its NUL (or the
                // array's length): what CFFI's `string()` trusts too.
                let byte = unsafe { *p.add(i) };
                if byte == 0 {
                    break;
                }
                out.push(byte);
            }
            Ok(vm.sp.new_bytes(&out))
        }
        _ => {
            let n = tname(vm, c.ct);
            Err(vm.type_error(format!("string(): unexpected cdata '{n}' argument")))
        }
    }
}

/// `from_buffer([cdecl,] obj)`: a `char[]` cdata over the bytes of a `bytes` or
/// `bytearray`, without copying. The object holding the bytes is pinned until the
/// cdata dies.
pub fn from_buffer(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "from_buffer", 1, 2)?;
    super::release_pins(vm);
    let (t, obj) = if a.len() == 2 {
        (ctype_arg(vm, a.get(0))?, a.get(1))
    } else {
        let st = state(vm);
        let t = st.borrow_mut().types.parse_type("char[]").expect("char[]");
        (t, a.get(0))
    };
    let esize = match ty(vm, t) {
        CType::Array(e, None) => tsize(vm, e).unwrap_or(1).max(1),
        _ => {
            let n = tname(vm, t);
            return Err(vm.type_error(format!(
                "from_buffer() expects an array type with no length, like 'char[]', not '{n}'"
            )));
        }
    };
    let u = vm.unwrap_builtin(obj);
    // The object whose memory C will see, the address and the length.
    let (holder, addr, n) = match u.layout() {
        l::BYTES => {
            let n = vm.sp.bytes_of(u).len();
            (Some(u), u.addr() + l::STR_DATA, n)
        }
        l::BYTEARRAY => {
            // SAFETY: BYTEARRAY layout.
            let (n, buf) = unsafe {
                (
                    u.get::<usize>(l::BYTEARRAY_LEN),
                    u.get_ref(l::BYTEARRAY_BUF),
                )
            };
            match buf {
                Some(b) => (Some(b), b.addr() + l::ARRAY_ITEMS, n),
                None => (None, 0, 0),
            }
        }
        _ => {
            let b = vm.type_name(obj);
            return Err(vm.type_error(format!(
                "from_buffer() cannot return the address of the raw string within a {b} object"
            )));
        }
    };
    let (start, size) = vm.sp.heap.nursery_range();
    let young = holder.is_some_and(|h| h.addr() >= start && h.addr() < start + size);
    if let (Some(h), true) = (holder, young) {
        vm.sp.heap.scope(|s| {
            // SAFETY: `h` is live (reached from an argument just now, no collection since).
            let hh = unsafe { s.from_raw(Some(h.0)) };
            s.pin(hh);
        });
    }
    let flags = F_VIEW | F_BUFFER | if young { F_PINNED } else { 0 };
    let c = new_box(vm, t, addr as u64, flags, holder);
    let b = cd(vm, c).expect("box").b;
    set_field(b, B_LEN, (n / esize) as u64);
    Ok(c)
}

/// The address and byte size that `ffi.buffer(cdata)` covers by default.
fn buffer_span(vm: &mut Vm, c: &Cd) -> PyResult<(usize, usize)> {
    let n = match ty(vm, c.ct) {
        CType::Ptr(e) => tsize(vm, e),
        CType::Array(e, n) => tsize(vm, e).map(|s| s * n.unwrap_or(c.len as usize)),
        CType::Struct(_) => tsize(vm, c.ct),
        _ => None,
    };
    match n {
        Some(n) => Ok((c.ptr as usize, n)),
        None => {
            let n = tname(vm, c.ct);
            Err(vm.type_error(format!("don't know the size pointed to by '{n}'")))
        }
    }
}

/// `buffer_len(cdata)`: the default size of `ffi.buffer(cdata)`.
pub fn buffer_len(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "buffer_len", 1, 1)?;
    let c = expect_cd(vm, a.get(0), "buffer")?;
    let (_, n) = buffer_span(vm, &c)?;
    Ok(vm.sp.new_int(n as i64))
}

/// `buffer_read(cdata, start, stop)`: bytes `[start, stop)` of the cdata's memory (the
/// Python side clamps them to the buffer).
pub fn buffer_read(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "buffer_read", 3, 3)?;
    let c = expect_cd(vm, a.get(0), "buffer")?;
    let start = int_value(vm, a.get(1)).unwrap_or(0).max(0) as usize;
    let stop = int_value(vm, a.get(2)).unwrap_or(0).max(0) as usize;
    if stop <= start {
        return Ok(vm.sp.new_bytes(&[]));
    }
    if c.ptr == 0 {
        return Err(vm.err(vm.sp.t.runtime_error, "buffer of a NULL pointer"));
    }
    // SAFETY: the Python side keeps the range inside the buffer's size, which comes from
    // the cdata's type (what CFFI's buffer trusts too).
    let s =
        unsafe { std::slice::from_raw_parts((c.ptr as usize + start) as *const u8, stop - start) }
            .to_vec();
    Ok(vm.sp.new_bytes(&s))
}

/// `buffer_write(cdata, offset, data)`.
pub fn buffer_write(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "buffer_write", 3, 3)?;
    let c = expect_cd(vm, a.get(0), "buffer")?;
    let off = int_value(vm, a.get(1)).unwrap_or(0).max(0) as usize;
    let Some(data) = vm.bytes_like(a.get(2)) else {
        let b = vm.type_name(a.get(2));
        return Err(vm.type_error(format!("a bytes-like object is required, not '{b}'")));
    };
    if c.ptr == 0 {
        return Err(vm.err(vm.sp.t.runtime_error, "buffer of a NULL pointer"));
    }
    // SAFETY: the Python side checks that the slice lies inside the buffer.
    unsafe {
        std::ptr::copy_nonoverlapping(data.as_ptr(), (c.ptr as usize + off) as *mut u8, data.len())
    };
    Ok(vm.sp.none)
}

/// The struct fields reachable from cdata `c` (a struct view or a pointer to a struct),
/// with the base address.
/// Struct fields: name, ctype, offset.
type Fields = Vec<(String, usize, usize)>;

fn struct_of(vm: &mut Vm, c: &Cd) -> Option<(usize, Fields)> {
    let k = match ty(vm, c.ct) {
        CType::Struct(k) => k,
        CType::Ptr(t) => match ty(vm, t) {
            CType::Struct(k) => k,
            _ => return None,
        },
        _ => return None,
    };
    let st = state(vm);
    let st = st.borrow();
    Some((c.ptr as usize, st.types.structs[k].fields.clone()))
}

fn field_of(vm: &mut Vm, c: &Cd, name: &str) -> PyResult<(usize, usize)> {
    let Some((base, fields)) = struct_of(vm, c) else {
        let n = tname(vm, c.ct);
        return Err(vm.attribute_error(format!("cdata '{n}' has no attribute '{name}'")));
    };
    let Some(&(_, ft, off)) = fields.iter().find(|f| f.0 == name) else {
        let n = tname(vm, c.ct);
        return Err(vm.attribute_error(format!("cdata '{n}' has no field '{name}'")));
    };
    if base == 0 {
        let n = tname(vm, c.ct);
        return Err(vm.err(
            vm.sp.t.runtime_error,
            format!("cannot access field '{name}' through a NULL '{n}'"),
        ));
    }
    Ok((ft, base + off))
}

/// `getattr(cdata, name)`: a struct field.
pub fn getattr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "getattr", 2, 2)?;
    let c = expect_cd(vm, a.get(0), "getattr")?;
    let name = vm.str_owned(a.get(1));
    let (ft, addr) = field_of(vm, &c, &name)?;
    let keep = c.b;
    // SAFETY: a field of a struct the cdata points to (its memory is the cdata's or C's,
    // which the program vouches for, as with CFFI).
    unsafe { load(vm, ft, addr, Some(keep)) }
}

/// `setattr(cdata, name, value)`.
pub fn setattr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "setattr", 3, 3)?;
    let c = expect_cd(vm, a.get(0), "setattr")?;
    let name = vm.str_owned(a.get(1));
    let (ft, addr) = field_of(vm, &c, &name)?;
    // SAFETY: as in `getattr`.
    unsafe { store(vm, ft, addr, a.get(2), None)? };
    Ok(vm.sp.none)
}

fn item_addr(vm: &mut Vm, c: &Cd, i: Value) -> PyResult<(usize, usize)> {
    let Some(i) = int_value(vm, i) else {
        let b = vm.type_name(i);
        return Err(vm.type_error(format!("cdata index must be an integer, not {b}")));
    };
    let (e, n) = match ty(vm, c.ct) {
        CType::Ptr(e) => (e, None),
        CType::Array(e, n) => (e, Some(n.unwrap_or(c.len as usize))),
        _ => {
            let n = tname(vm, c.ct);
            return Err(vm.type_error(format!("cdata of type '{n}' cannot be indexed")));
        }
    };
    let Some(size) = tsize(vm, e) else {
        let n = tname(vm, c.ct);
        return Err(vm.type_error(format!("cdata of type '{n}' cannot be indexed")));
    };
    if let Some(n) = n {
        if i < 0 {
            return Err(vm.index_error("negative index"));
        }
        if i as usize >= n {
            let t = tname(vm, c.ct);
            return Err(vm.index_error(format!(
                "index too large for cdata '{t}' (expected {i} < {n})"
            )));
        }
    }
    if c.ptr == 0 {
        let t = tname(vm, c.ct);
        return Err(vm.err(vm.sp.t.runtime_error, format!("cannot index a NULL '{t}'")));
    }
    Ok((e, (c.ptr as i64 + i as i64 * size as i64) as usize))
}

/// `getitem(cdata, i)`.
pub fn getitem(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "getitem", 2, 2)?;
    let c = expect_cd(vm, a.get(0), "getitem")?;
    let (e, addr) = item_addr(vm, &c, a.get(1))?;
    // SAFETY: an item of the array (bounds checked) or of the memory a pointer points
    // to (trusted, as in C and CFFI).
    unsafe { load(vm, e, addr, Some(c.b)) }
}

/// `setitem(cdata, i, value)`.
pub fn setitem(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "setitem", 3, 3)?;
    let c = expect_cd(vm, a.get(0), "setitem")?;
    let (e, addr) = item_addr(vm, &c, a.get(1))?;
    // SAFETY: as in `getitem`.
    unsafe { store(vm, e, addr, a.get(2), None)? };
    Ok(vm.sp.none)
}

/// `len(cdata)`: arrays only.
pub fn len(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "len", 1, 1)?;
    let c = expect_cd(vm, a.get(0), "len")?;
    match ty(vm, c.ct) {
        CType::Array(_, n) => {
            let n = n.unwrap_or(c.len as usize);
            Ok(vm.sp.new_int(n as i64))
        }
        _ => {
            let n = tname(vm, c.ct);
            Err(vm.type_error(format!("cdata of type '{n}' has no len()")))
        }
    }
}

/// `int(cdata)`: a scalar's value or an address.
pub fn int(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "int", 1, 1)?;
    let c = expect_cd(vm, a.get(0), "int")?;
    match ty(vm, c.ct) {
        CType::Prim { kind, .. } if matches!(kind, Kind::F32 | Kind::F64) => {
            let f = kind.word_float(c.ptr);
            Ok(vm.int_from(num_bigint::BigInt::from(f as i64)))
        }
        CType::Prim { kind, .. } => Ok(vm.int_from(num_bigint::BigInt::from(kind.to_i128(c.ptr)))),
        CType::Struct(_) => {
            let n = tname(vm, c.ct);
            Err(vm.type_error(format!("int() not supported on cdata '{n}'")))
        }
        _ => Ok(vm.int_from(num_bigint::BigInt::from(c.ptr))),
    }
}

/// `float(cdata)`.
pub fn float(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "float", 1, 1)?;
    let c = expect_cd(vm, a.get(0), "float")?;
    match ty(vm, c.ct) {
        CType::Prim { kind, .. } if matches!(kind, Kind::F32 | Kind::F64) => {
            Ok(vm.sp.new_float(kind.word_float(c.ptr)))
        }
        CType::Prim { kind, .. } => Ok(vm.sp.new_float(kind.to_i128(c.ptr) as f64)),
        _ => {
            let n = tname(vm, c.ct);
            Err(vm.type_error(format!("float() not supported on cdata '{n}'")))
        }
    }
}

/// `bool(cdata)`.
pub fn bool_(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "bool", 1, 1)?;
    let c = expect_cd(vm, a.get(0), "bool")?;
    let b = match ty(vm, c.ct) {
        CType::Prim { kind, .. } if matches!(kind, Kind::F32 | Kind::F64) => {
            kind.word_float(c.ptr) != 0.0
        }
        CType::Struct(_) => true,
        _ => c.ptr != 0,
    };
    Ok(vm.sp.new_bool(b))
}

/// `repr(cdata)`, as CFFI writes it.
pub fn repr(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "repr", 1, 1)?;
    let c = expect_cd(vm, a.get(0), "repr")?;
    let name = tname(vm, c.ct);
    // SAFETY: a box: plain fields.
    let (handle, callback) = unsafe {
        (
            c.b.get::<u64>(super::B_HANDLE),
            c.b.get::<u64>(super::B_CALLBACK),
        )
    };
    let t = ty(vm, c.ct);
    let s = if c.flags & F_OWNING != 0 {
        let bytes = match t {
            CType::Array(e, _) => tsize(vm, e).unwrap_or(0) * c.len as usize,
            _ => c.len as usize,
        };
        format!("<cdata '{name}' owning {bytes} bytes>")
    } else if c.flags & F_BUFFER != 0 {
        // SAFETY: a box: its keep slot.
        let what = match unsafe { c.b.get_ref(B_KEEP) } {
            Some(k) if k.layout() == l::BYTES => "bytes",
            _ => "bytearray",
        };
        format!("<cdata '{name}' buffer len {} from '{what}' object>", c.len)
    } else if handle != 0 {
        let st = state(vm);
        let target = st
            .borrow()
            .table
            .from_handle(handle as *const libc::c_void)
            .ok();
        let target_repr = match target {
            Some(o) => vm.repr_string(Value(o))?,
            None => "?".into(),
        };
        if callback != 0 {
            format!("<cdata '{name}' calling {target_repr}>")
        } else {
            format!("<cdata '{name}' handle to {target_repr}>")
        }
    } else {
        match t {
            CType::Prim { .. } => {
                let v = prim_value(vm, c.ct, c.ptr);
                let r = vm.repr_string(v)?;
                format!("<cdata '{name}' {r}>")
            }
            CType::Struct(_) | CType::Array(..) if c.flags & F_VIEW != 0 => {
                if matches!(t, CType::Struct(_)) {
                    format!("<cdata '{name} &' {:#x}>", c.ptr)
                } else {
                    format!("<cdata '{name}' {:#x}>", c.ptr)
                }
            }
            _ if c.ptr == 0 => format!("<cdata '{name}' NULL>"),
            _ => format!("<cdata '{name}' {:#x}>", c.ptr),
        }
    };
    Ok(vm.sp.new_str(&s))
}

/// `eq(a, b)`: pointers by address, scalars by value.
pub fn eq(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "eq", 2, 2)?;
    let (x, y) = (cd(vm, a.get(0)), cd(vm, a.get(1)));
    let r = match (x, y) {
        (Some(x), Some(y)) => {
            let px = matches!(ty(vm, x.ct), CType::Prim { .. });
            let py = matches!(ty(vm, y.ct), CType::Prim { .. });
            if px || py {
                px && py && x.ptr == y.ptr && tname(vm, x.ct) == tname(vm, y.ct)
            } else {
                x.ptr == y.ptr
            }
        }
        _ => false,
    };
    Ok(vm.sp.new_bool(r))
}

/// `hash(cdata)`.
pub fn hash(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "hash", 1, 1)?;
    let c = expect_cd(vm, a.get(0), "hash")?;
    let h = (c.ptr ^ (c.ptr >> 4)) as i64 & 0x3fff_ffff_ffff_ffff;
    Ok(vm.sp.new_int(h))
}

fn offset(vm: &mut Vm, c: &Cd, n: i128) -> PyResult {
    let e = match ty(vm, c.ct) {
        CType::Ptr(e) | CType::Array(e, _) => e,
        _ => {
            let t = tname(vm, c.ct);
            return Err(vm.type_error(format!("cannot add a number to cdata '{t}'")));
        }
    };
    let Some(size) = tsize(vm, e) else {
        let t = tname(vm, c.ct);
        return Err(vm.type_error(format!("ctype '{t}' points to items of unknown size")));
    };
    let pt = state(vm).borrow_mut().types.ptr(e);
    let p = (c.ptr as i128 + n * size as i128) as u64;
    Ok(new_box(vm, pt, p, 0, Some(c.b)))
}

/// `add(cdata, n)`: pointer arithmetic.
pub fn add(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "add", 2, 2)?;
    let c = expect_cd(vm, a.get(0), "add")?;
    let Some(n) = int_value(vm, a.get(1)) else {
        return Ok(vm.sp.not_implemented);
    };
    offset(vm, &c, n)
}

/// `sub(cdata, n or cdata)`.
pub fn sub(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "sub", 2, 2)?;
    let c = expect_cd(vm, a.get(0), "sub")?;
    if let Some(n) = int_value(vm, a.get(1)) {
        return offset(vm, &c, -n);
    }
    if let Some(d) = cd(vm, a.get(1)) {
        let e = match ty(vm, c.ct) {
            CType::Ptr(e) | CType::Array(e, _) => e,
            _ => return Ok(vm.sp.not_implemented),
        };
        let size = tsize(vm, e).unwrap_or(1).max(1) as i64;
        let diff = (c.ptr as i64).wrapping_sub(d.ptr as i64) / size;
        return Ok(vm.sp.new_int(diff));
    }
    Ok(vm.sp.not_implemented)
}

/// `addressof(cdata, field=None)`: a pointer to a struct view or one of its fields.
pub fn addressof(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "addressof", 1, 2)?;
    let c = expect_cd(vm, a.get(0), "addressof")?;
    if let Some(f) = a.opt(1) {
        let name = vm.str_owned(f);
        let (ft, addr) = field_of(vm, &c, &name)?;
        let pt = state(vm).borrow_mut().types.ptr(ft);
        return Ok(new_box(vm, pt, addr as u64, 0, Some(c.b)));
    }
    match ty(vm, c.ct) {
        CType::Struct(_) | CType::Array(..) => {
            let pt = state(vm).borrow_mut().types.ptr(c.ct);
            Ok(new_box(vm, pt, c.ptr, 0, Some(c.b)))
        }
        _ => {
            let n = tname(vm, c.ct);
            Err(vm.type_error(format!(
                "expected a cdata struct/union/array object, got '{n}'"
            )))
        }
    }
}
