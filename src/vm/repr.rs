//! `repr()`, `str()` and `ascii()` of every built-in kind (with recursion guards for
//! self-containing containers), and `__repr__`/`__str__` dispatch for classes.

use super::{PyResult, Vm};
use thicket_object_model::layout as l;
use thicket_object_model::{Kind, Value};

/// Python's repr of a str's text.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if !is_printable(c) => {
                let n = c as u32;
                if n < 0x100 {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n < 0x10000 {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// An approximation of `str.isprintable` for one character: control and format
/// characters, separators other than space, and unassigned surrogates are not printable.
pub fn is_printable(c: char) -> bool {
    let n = c as u32;
    if n < 0x20 || (0x7f..0xa0).contains(&n) {
        return false;
    }
    if n == 0xad
        || (0x2028..=0x202f).contains(&n)
        || (0x200b..=0x200f).contains(&n)
        || (0x2060..=0x206f).contains(&n)
    {
        return false;
    }
    if n == 0xfeff
        || (0xd800..0xe000).contains(&n)
        || (0xe000..0xf900).contains(&n)
        || (0xfff0..=0xfff8).contains(&n)
    {
        return false;
    }
    if c.is_whitespace() && c != ' ' {
        return false;
    }
    true
}

/// Python's repr of bytes.
pub fn repr_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    out
}

/// Python's repr of a float.
pub fn repr_float(f: f64) -> String {
    thicket_object_model::format::float_repr(f)
}

impl Vm {
    /// `repr(v)` as a str object.
    pub fn to_repr(&mut self, v: Value) -> PyResult {
        let s = self.repr_string(v)?;
        Ok(self.sp.new_str(&s))
    }

    /// `str(v)` as a str object.
    pub fn to_str(&mut self, v: Value) -> PyResult {
        if v.layout() == l::STR && v.ty().is(self.sp.t.str_) {
            return Ok(v);
        }
        if v.layout() == l::INSTANCE {
            if let Some(m) = self.lookup_type_attr(v.ty(), self.n.str_) {
                if self.is_user_slot(m) {
                    let r = self.call(m, &[v])?;
                    return self.check_str_result(r, "__str__");
                }
            }
            if self.is_exc_instance(v)
                && self
                    .lookup_type_attr(v.ty(), self.n.repr)
                    .is_none_or(|r| !self.is_user_slot(r))
            {
                let s = self.exc_str(v)?;
                return Ok(self.sp.new_str(&s));
            }
            if let Some(b) = self.sp.inst_backing(v) {
                if self
                    .lookup_type_attr(v.ty(), self.n.repr)
                    .is_none_or(|r| !self.is_user_slot(r))
                {
                    if b.layout() == l::SET {
                        return self.to_repr(v);
                    }
                    return self.to_str(b);
                }
            }
        }
        self.to_repr(v)
    }

    /// `ascii(v)`.
    pub fn to_ascii(&mut self, v: Value) -> PyResult {
        let r = self.repr_string(v)?;
        let mut out = String::new();
        for c in r.chars() {
            let n = c as u32;
            if n < 0x80 {
                out.push(c);
            } else if n < 0x100 {
                out.push_str(&format!("\\x{n:02x}"));
            } else if n < 0x10000 {
                out.push_str(&format!("\\u{n:04x}"));
            } else {
                out.push_str(&format!("\\U{n:08x}"));
            }
        }
        Ok(self.sp.new_str(&out))
    }

    fn check_str_result(&mut self, r: Value, what: &str) -> PyResult {
        if r.layout() == l::STR {
            Ok(r)
        } else {
            Err(self.type_error(format!(
                "{what} returned non-string (type {})",
                self.type_name(r)
            )))
        }
    }

    /// `str()` of an exception: its single argument, '' for none, the args tuple's repr
    /// otherwise (KeyError: the repr of its single argument).
    pub fn exc_str(&mut self, e: Value) -> PyResult<String> {
        if self.sp.isinstance(e, self.sp.t.os_error) {
            let (en, se) = (self.sp.intern("errno"), self.sp.intern("strerror"));
            let errno = self.exc_attr(e, en).filter(|v| !v.is(self.sp.none));
            let strerror = self.exc_attr(e, se).filter(|v| !v.is(self.sp.none));
            if let (Some(errno), Some(strerror)) = (errno, strerror) {
                let fk = self.sp.intern("filename");
                let filename = self.exc_attr(e, fk).filter(|v| !v.is(self.sp.none));
                let r = self.push_root(strerror);
                let fr = self.push_root_opt(filename);
                let es = self.to_str(errno)?;
                let es = self.str_owned(es);
                let strerror = self.root(r);
                let ss = self.to_str(strerror)?;
                let ss = self.str_owned(ss);
                let out = match self.root_opt(fr) {
                    Some(f) => format!("[Errno {es}] {ss}: {}", self.repr_string(f)?),
                    None => format!("[Errno {es}] {ss}"),
                };
                self.reset_roots(r);
                return Ok(out);
            }
        }
        let args = self.exc_args(e);
        let n = self.sp.tuple_len(args);
        match n {
            0 => Ok(String::new()),
            1 => {
                let a = self.sp.tuple_items(args)[0];
                if self.sp.isinstance(e, self.sp.t.key_error) {
                    return self.repr_string(a);
                }
                let s = self.to_str(a)?;
                Ok(self.str_owned(s))
            }
            _ => self.repr_string(args),
        }
    }

    /// `repr(v)` as a Rust string.
    pub fn repr_string(&mut self, v: Value) -> PyResult<String> {
        match v.layout() {
            l::INT | l::BIGINT if self.sp.kind(v) != Kind::Instance => {
                if v.ty().is(self.sp.t.bool_) {
                    return Ok(if v.is(self.sp.true_) { "True" } else { "False" }.into());
                }
                return Ok(match self.sp.small_int(v) {
                    Some(i) => i.to_string(),
                    None => self.sp.to_bigint(v).to_string(),
                });
            }
            l::FLOAT => return Ok(repr_float(self.sp.float_value(v))),
            l::STR => return Ok(repr_str(self.sp.str_of(v))),
            l::BYTES => return Ok(repr_bytes(self.sp.bytes_of(v))),
            _ => {}
        }
        if v.is(self.sp.none) {
            return Ok("None".into());
        }
        if v.is(self.sp.ellipsis) {
            return Ok("Ellipsis".into());
        }
        if v.is(self.sp.not_implemented) {
            return Ok("NotImplemented".into());
        }
        if v.layout() == l::INSTANCE {
            if let Some(m) = self.lookup_type_attr(v.ty(), self.n.repr) {
                if self.is_user_slot(m) {
                    let r = self.call(m, &[v])?;
                    let r = self.check_str_result(r, "__repr__")?;
                    return Ok(self.str_owned(r));
                }
            }
            if self.is_exc_instance(v) {
                let name = self.sp.type_name(v.ty()).to_owned();
                let args = self.exc_args(v);
                let n = self.sp.tuple_len(args);
                let inner = if n == 1 {
                    let a = self.sp.tuple_items(args)[0];
                    self.repr_string(a)?
                } else {
                    let s = self.repr_string(args)?;
                    if n == 0 {
                        String::new()
                    } else {
                        s[1..s.len() - 1].to_owned()
                    }
                };
                return Ok(format!("{name}({inner})"));
            }
            if let Some(b) = self.sp.inst_backing(v) {
                if b.layout() == l::SET {
                    return super::types::containers::set_subclass_repr(self, v, b);
                }
                return self.repr_string(b);
            }
            let name = self.qualified_type_name(v.ty());
            let id = self.id_of(v);
            return Ok(format!("<{name} object at {id:#x}>"));
        }
        if self.repr_enter(v) {
            let tn = self.sp.kind(v);
            return Ok(match tn {
                Kind::List => "[...]".into(),
                Kind::Dict => "{...}".into(),
                _ => "...".into(),
            });
        }
        let r = self.repr_builtin_container(v);
        self.repr_leave(v);
        r
    }

    /// `module.Qualname` of a class for reprs (builtins unqualified).
    pub fn qualified_type_name(&mut self, ty: Value) -> String {
        // SAFETY: TYPE layout.
        let q = unsafe { ty.get_ref(l::TYPE_QUALNAME) }
            .map(|q| self.str_owned(q))
            .unwrap_or_default();
        if self.sp.type_flags(ty) & thicket_object_model::space::TF_BUILTIN != 0 {
            return q;
        }
        let d = self.sp.type_dict(ty);
        let m = self.n.module;
        match self.sp.dict_get_str(d, m) {
            Some(m) if self.is_str(m) && self.sp.str_of(m) != "builtins" => {
                format!("{}.{}", self.sp.str_of(m), q)
            }
            _ => q,
        }
    }

    fn repr_enter(&mut self, v: Value) -> bool {
        if !matches!(v.layout(), l::LIST | l::DICT | l::SET | l::TUPLE) {
            return false;
        }
        let addr = v.addr();
        if self.repr_stack.contains(&addr) {
            return true;
        }
        self.repr_stack.push(addr);
        false
    }

    fn repr_leave(&mut self, v: Value) {
        if matches!(v.layout(), l::LIST | l::DICT | l::SET | l::TUPLE) {
            self.repr_stack.pop();
        }
    }

    fn repr_items(
        &mut self,
        items_of: impl Fn(&Vm, Value) -> Vec<Value>,
        v: Value,
    ) -> PyResult<Vec<String>> {
        let r = self.push_root(v);
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            let v = self.root(r);
            let items = items_of(self, v);
            if i >= items.len() {
                break;
            }
            out.push(self.repr_string(items[i])?);
            i += 1;
        }
        self.reset_roots(r);
        Ok(out)
    }

    fn repr_builtin_container(&mut self, v: Value) -> PyResult<String> {
        match v.layout() {
            l::LIST => {
                let parts = self.repr_items(|vm, v| vm.sp.list_items(v).to_vec(), v)?;
                Ok(format!("[{}]", parts.join(", ")))
            }
            l::TUPLE => {
                let parts = self.repr_items(|vm, v| vm.sp.tuple_items(v).to_vec(), v)?;
                if parts.len() == 1 {
                    Ok(format!("({},)", parts[0]))
                } else {
                    Ok(format!("({})", parts.join(", ")))
                }
            }
            l::DICT => {
                let r = self.push_root(v);
                let mut parts = Vec::new();
                let mut i = 0;
                loop {
                    let d = self.root(r);
                    if i >= self.sp.dict_nentries(d) {
                        break;
                    }
                    if let Some((k, val)) = self.sp.dict_entry(d, i) {
                        let vr = self.push_root(val);
                        let ks = self.repr_string(k)?;
                        let val = self.root(vr);
                        let vs = self.repr_string(val)?;
                        parts.push(format!("{ks}: {vs}"));
                    }
                    i += 1;
                }
                self.reset_roots(r);
                Ok(format!("{{{}}}", parts.join(", ")))
            }
            l::SET => {
                let frozen = v.ty().is(self.sp.t.frozenset);
                let parts = self.repr_items(|vm, v| vm.sp.set_items(v), v)?;
                let name = if frozen { "frozenset" } else { "set" };
                if parts.is_empty() {
                    return Ok(format!("{name}()"));
                }
                if frozen {
                    Ok(format!("frozenset({{{}}})", parts.join(", ")))
                } else {
                    Ok(format!("{{{}}}", parts.join(", ")))
                }
            }
            l::BYTEARRAY => {
                let b = self.bytes_like(v).expect("bytearray");
                Ok(format!("bytearray({})", repr_bytes(&b)))
            }
            l::TYPE => {
                let n = self.qualified_type_name(v);
                Ok(format!("<class '{n}'>"))
            }
            l::FUNCTION => {
                // SAFETY: FUNCTION layout.
                let q = unsafe { v.get_ref(l::FUNC_QUALNAME).unwrap_unchecked() };
                let q = self.str_owned(q);
                let id = self.id_of(v);
                Ok(format!("<function {q} at {id:#x}>"))
            }
            l::BUILTIN => {
                // SAFETY: BUILTIN layout.
                let (n, s) = unsafe {
                    (
                        v.get_ref(l::BUILTIN_NAME).unwrap_unchecked(),
                        v.get_ref(l::BUILTIN_SELF),
                    )
                };
                let n = self.str_owned(n);
                match s {
                    Some(s) if !s.is(self.sp.none) && s.layout() != l::MODULE => {
                        let tn = self.type_name(s);
                        let id = self.id_of(s);
                        Ok(format!("<built-in method {n} of {tn} object at {id:#x}>"))
                    }
                    _ => Ok(format!("<built-in function {n}>")),
                }
            }
            l::METHOD => {
                // SAFETY: METHOD layout.
                let (f, s) = unsafe {
                    (
                        v.get_ref(l::METHOD_FUNC).unwrap_unchecked(),
                        v.get_ref(l::METHOD_SELF).unwrap_unchecked(),
                    )
                };
                let q = if f.layout() == l::FUNCTION {
                    // SAFETY: FUNCTION layout.
                    self.str_owned(unsafe { f.get_ref(l::FUNC_QUALNAME).unwrap_unchecked() })
                } else {
                    "?".into()
                };
                let r = self.repr_string(s)?;
                Ok(format!("<bound method {q} of {r}>"))
            }
            l::MODULE => {
                // SAFETY: MODULE layout.
                let n = unsafe { v.get_ref(l::MODULE_NAME).unwrap_unchecked() };
                let n = self.str_owned(n);
                if self.lib_modules.contains_key(n.as_str())
                    || n == "sys"
                    || n == "builtins"
                    || n == "math"
                    || n == "gc"
                    || n == "time"
                {
                    Ok(format!("<module '{n}' (built-in)>"))
                } else {
                    Ok(format!("<module '{n}'>"))
                }
            }
            l::RANGE => {
                let (a, b, c) = self.range_parts(v);
                if c == num_bigint::BigInt::from(1) {
                    Ok(format!("range({a}, {b})"))
                } else {
                    Ok(format!("range({a}, {b}, {c})"))
                }
            }
            l::SLICE => {
                // SAFETY: SLICE layout.
                let (a, b, c) = unsafe {
                    (
                        v.get_ref(l::RANGE_START).unwrap_unchecked(),
                        v.get_ref(l::RANGE_STOP).unwrap_unchecked(),
                        v.get_ref(l::RANGE_STEP).unwrap_unchecked(),
                    )
                };
                let r = self.push_root(b);
                let rc = self.push_root(c);
                let a = self.repr_string(a)?;
                let b = self.root(r);
                let b = self.repr_string(b)?;
                let c = self.root(rc);
                let c = self.repr_string(c)?;
                self.reset_roots(r);
                Ok(format!("slice({a}, {b}, {c})"))
            }
            l::CELL => Ok("<cell>".into()),
            _ => {
                let k = self.sp.kind(v);
                if k == Kind::DictView {
                    let name = self.type_name(v);
                    let lst = self.list_from_iter(v)?;
                    let inner = self.repr_string(lst)?;
                    return Ok(format!("{name}({inner})"));
                }
                if crate::capi::cfunc::is_cfunc(self, v) {
                    return Ok(crate::capi::cfunc::cfunc_repr(self, v));
                }
                let name = self.type_name(v);
                let id = self.id_of(v);
                if k == Kind::Generator {
                    // SAFETY: the generator layout keeps its qualname at WRAP-like offset.
                    let q = super::gen::gen_qualname(self, v);
                    return Ok(format!("<generator object {q} at {id:#x}>"));
                }
                Ok(format!("<{name} object at {id:#x}>"))
            }
        }
    }

    /// `format(v, spec)` (f-strings and `format()`).
    pub fn format_value(&mut self, v: Value, spec: Option<Value>) -> PyResult {
        let spec_s = spec.map(|s| self.str_owned(s)).unwrap_or_default();
        if v.layout() == l::INSTANCE {
            if let Some(m) = self.lookup_type_attr(v.ty(), self.n.format) {
                if self.is_user_slot(m) {
                    let s = self.sp.new_str(&spec_s);
                    let r = self.call(m, &[v, s])?;
                    return self.check_str_result(r, "__format__");
                }
            }
        }
        if spec_s.is_empty() {
            return self.to_str(v);
        }
        super::types::format_builtin(self, v, &spec_s)
    }

    /// `fmt % args` for str.
    pub fn percent_format(&mut self, fmt: Value, args: Value) -> PyResult {
        super::types::percent_format(self, fmt, args)
    }
}
