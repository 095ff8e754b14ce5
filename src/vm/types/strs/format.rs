//! Formatting entry points on top of `thicket_object_model::format` (which does the
//! text work on plain Rust values): `format(v, spec)` for built-in values and the
//! `__format__` methods of `str`, `int` (and so `bool`) and `float`; `fmt % args` for
//! str and bytes; `str.format` and `str.format_map`.
//!
//! The library calls back for every Python-level step (argument lookup, `str()`,
//! `repr()`, `__format__`, `getattr`, `[]`) through the `PercentArgs` and
//! `FieldResolver` traits, which are implemented here over values kept on the shadow
//! stack: a value handed to the library is the index of its root, so it survives the
//! collections that the Python code run by those callbacks may cause.

use super::{as_str, sig, Style};
use crate::vm::{Args, PyResult, Raised, Vm};
use num_bigint::BigInt;
use thicket_object_model::format::{
    self as fmt, ArgSource, ArgsShape, Conv, Conversion, ErrorKind, FieldResolver, FormatError,
    PArg, PercentArgs,
};
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// Installs `__format__`, `str.format`, `str.format_map` and `str.__mod__`.
pub fn install(vm: &mut Vm) {
    let t = vm.sp.t;
    vm.add_method(t.str_, "format", str_format);
    vm.add_method(t.str_, "format_map", str_format_map);
    vm.add_method(t.str_, "__mod__", str_mod);
    vm.add_method(t.str_, "__format__", str_dunder_format);
    vm.add_method(t.int, "__format__", int_dunder_format);
    vm.add_method(t.bool_, "__format__", int_dunder_format);
    vm.add_method(t.float, "__format__", float_dunder_format);
    vm.add_method(t.bytes, "__mod__", bytes_mod);
    vm.add_method(t.bytearray, "__mod__", bytes_mod);
}

/// An error of the library, or an exception already raised by a callback.
enum E {
    Fmt(FormatError),
    Raised(Raised),
}

impl From<FormatError> for E {
    fn from(e: FormatError) -> E {
        E::Fmt(e)
    }
}

impl From<Raised> for E {
    fn from(r: Raised) -> E {
        E::Raised(r)
    }
}

/// Raises a library error as its Python exception.
fn raise_fmt(vm: &mut Vm, e: FormatError) -> Raised {
    let t = vm.sp.t;
    let ty = match e.kind {
        ErrorKind::ValueError => t.value_error,
        ErrorKind::TypeError => t.type_error,
        ErrorKind::OverflowError => t.overflow_error,
        ErrorKind::KeyError => t.key_error,
        ErrorKind::IndexError => t.index_error,
    };
    vm.err(ty, e.message)
}

fn lift<T>(vm: &mut Vm, r: Result<T, E>) -> PyResult<T> {
    match r {
        Ok(v) => Ok(v),
        Err(E::Raised(r)) => Err(r),
        Err(E::Fmt(e)) => Err(raise_fmt(vm, e)),
    }
}

// ---------------------------------------------------------------- format(v, spec)

/// `format(v, spec)` for built-in values (and instances of their subclasses): ints
/// and bools, floats, strs; anything else accepts only the empty spec.
pub fn format_builtin(vm: &mut Vm, v: Value, spec: &str) -> PyResult {
    if spec.is_empty() {
        return vm.to_str(v);
    }
    let u = vm.unwrap_builtin(v);
    let tname = vm.type_name(v);
    let r = match u.layout() {
        l::INT | l::BIGINT => {
            let b = vm.sp.to_bigint(u);
            fmt::int_format_spec(&b, spec, &tname)
        }
        l::FLOAT => fmt::float_format_spec(vm.sp.float_value(u), spec, &tname),
        l::STR => fmt::str_format_spec(vm.sp.str_of(u), spec, &tname),
        _ => {
            return Err(vm.type_error(format!(
                "unsupported format string passed to {tname}.__format__"
            )))
        }
    };
    match r {
        Ok(s) => Ok(vm.sp.new_str(&s)),
        Err(e) => Err(raise_fmt(vm, e)),
    }
}

/// The shared body of the `__format__` methods: checks `(self, spec)`.
fn dunder_format(vm: &mut Vm, a: &Args, tname: &str, ok: fn(Value) -> bool) -> PyResult {
    sig(vm, a, tname, "__format__", (1, 1), Style::Exact, &[])?;
    let v = a.get(0);
    let u = vm.unwrap_builtin(v);
    if !ok(u) {
        return Err(vm.type_error(format!(
            "descriptor '__format__' for '{tname}' objects doesn't apply to a '{}' object",
            vm.type_name(v)
        )));
    }
    let spec = a.get(1);
    let Some(spec) = as_str(vm, spec) else {
        return Err(vm.type_error(format!(
            "__format__() argument must be str, not {}",
            vm.type_name(spec)
        )));
    };
    let spec = vm.str_owned(spec);
    format_builtin(vm, v, &spec)
}

fn str_dunder_format(vm: &mut Vm, a: &Args) -> PyResult {
    dunder_format(vm, a, "str", |u| u.layout() == l::STR)
}

fn int_dunder_format(vm: &mut Vm, a: &Args) -> PyResult {
    dunder_format(vm, a, "int", |u| matches!(u.layout(), l::INT | l::BIGINT))
}

fn float_dunder_format(vm: &mut Vm, a: &Args) -> PyResult {
    dunder_format(vm, a, "float", |u| u.layout() == l::FLOAT)
}

// ---------------------------------------------------------------- % formatting

/// The right operand of `%`, rooted.
struct PctArgs<'a> {
    vm: &'a mut Vm,
    /// Root of the operand.
    args: usize,
    /// Root of the value found by the latest `%(key)` lookup.
    key: usize,
    shape: ArgsShape,
    /// Formatting bytes: `%s` takes bytes-like values.
    bytes: bool,
}

impl PctArgs<'_> {
    fn value(&mut self, source: ArgSource<'_>) -> Value {
        let args = self.vm.root(self.args);
        match source {
            ArgSource::Whole => args,
            ArgSource::Key(_) => self.vm.root(self.key),
            ArgSource::Item(i) => {
                let t = self.vm.unwrap_builtin(args);
                self.vm.sp.tuple_items(t)[i]
            }
        }
    }

    /// The int an object stands for via `name` (`__index__`, `__int__`), if it has it.
    fn special_int(&mut self, v: Value, names: &[&str]) -> Result<Option<BigInt>, E> {
        if v.layout() != l::INSTANCE {
            return Ok(None);
        }
        for name in names {
            let n = self.vm.name(name);
            if let Some(r) = self.vm.call_special(v, n, &[])? {
                let u = self.vm.unwrap_builtin(r);
                if !self.vm.sp.is_int_layout(u) {
                    let msg = format!("{name} returned non-int (type {})", self.vm.type_name(r));
                    return Err(E::Raised(self.vm.type_error(msg)));
                }
                return Ok(Some(self.vm.sp.to_bigint(u)));
            }
        }
        Ok(None)
    }
}

impl PercentArgs for PctArgs<'_> {
    type Error = E;

    fn shape(&self) -> ArgsShape {
        self.shape
    }

    fn lookup_key(&mut self, key: &str) -> Result<(), E> {
        let k = self.vm.sp.new_str(key);
        let args = self.vm.root(self.args);
        let v = self.vm.getitem(args, k)?;
        self.vm.set_root(self.key, Some(v));
        Ok(())
    }

    fn get(&mut self, source: ArgSource<'_>, conv: Conv) -> Result<PArg, E> {
        let v = self.value(source);
        let vm = &mut *self.vm;
        let u = vm.unwrap_builtin(v);
        let is_int = vm.sp.is_int_layout(u);
        let tname = || vm.type_name(v);
        Ok(match conv {
            Conv::Str if self.bytes => match vm.bytes_like(v) {
                Some(b) => PArg::Str(b.iter().map(|&c| c as char).collect()),
                None => {
                    if v.layout() == l::INSTANCE {
                        let n = vm.name("__bytes__");
                        if let Some(r) = vm.call_special(v, n, &[])? {
                            if r.layout() == l::BYTES {
                                let s = vm.sp.bytes_of(r).iter().map(|&c| c as char).collect();
                                return Ok(PArg::Str(s));
                            }
                        }
                        let v = self.value(source);
                        let msg = format!(
                            "%b requires a bytes-like object, or an object that implements __bytes__, not '{}'",
                            self.vm.type_name(v)
                        );
                        return Err(E::Raised(self.vm.type_error(msg)));
                    }
                    let msg = format!(
                        "%b requires a bytes-like object, or an object that implements __bytes__, not '{}'",
                        tname()
                    );
                    return Err(E::Raised(vm.type_error(msg)));
                }
            },
            Conv::Str => {
                let s = vm.to_str(v)?;
                PArg::Str(vm.str_owned(s))
            }
            Conv::Repr if self.bytes => {
                let s = vm.to_ascii(v)?;
                PArg::Str(vm.str_owned(s))
            }
            Conv::Repr => PArg::Str(vm.repr_string(v)?),
            Conv::Ascii => {
                let s = vm.to_ascii(v)?;
                PArg::Str(vm.str_owned(s))
            }
            Conv::Int(_) => {
                if is_int {
                    PArg::Int(vm.sp.to_bigint(u))
                } else if u.layout() == l::FLOAT {
                    PArg::Float(vm.sp.float_value(u))
                } else if let Some(i) = self.special_int(v, &["__int__", "__index__"])? {
                    PArg::Int(i)
                } else {
                    let v = self.value(source);
                    PArg::Unsupported(self.vm.type_name(v))
                }
            }
            Conv::Index(_) => {
                if is_int {
                    PArg::Int(vm.sp.to_bigint(u))
                } else if let Some(i) = self.special_int(v, &["__index__"])? {
                    PArg::Int(i)
                } else {
                    let v = self.value(source);
                    PArg::Unsupported(self.vm.type_name(v))
                }
            }
            Conv::Float(_) => {
                if is_int {
                    PArg::Int(vm.sp.to_bigint(u))
                } else if u.layout() == l::FLOAT {
                    PArg::Float(vm.sp.float_value(u))
                } else if v.layout() == l::INSTANCE {
                    let n = vm.n.float_;
                    match vm.call_special(v, n, &[])? {
                        Some(r) if vm.unwrap_builtin(r).layout() == l::FLOAT => {
                            PArg::Float(vm.sp.float_value(vm.unwrap_builtin(r)))
                        }
                        _ => {
                            let v = self.value(source);
                            PArg::Unsupported(self.vm.type_name(v))
                        }
                    }
                } else {
                    PArg::Unsupported(tname())
                }
            }
            Conv::Char => {
                if is_int {
                    PArg::Int(vm.sp.to_bigint(u))
                } else if self.bytes {
                    match vm.bytes_like(v) {
                        Some(b) if b.len() == 1 => PArg::Int(BigInt::from(b[0])),
                        _ => {
                            let msg = "%c requires an integer in range(256) or a single byte";
                            return Err(E::Raised(vm.type_error(msg)));
                        }
                    }
                } else if u.layout() == l::STR {
                    PArg::Str(vm.str_owned(u))
                } else if let Some(i) = self.special_int(v, &["__index__"])? {
                    PArg::Int(i)
                } else {
                    let v = self.value(source);
                    PArg::Unsupported(self.vm.type_name(v))
                }
            }
            Conv::Star => {
                if is_int {
                    PArg::Int(vm.sp.to_bigint(u))
                } else {
                    PArg::Unsupported(tname())
                }
            }
        })
    }
}

/// The shape of `%`'s right operand.
fn shape_of(vm: &mut Vm, args: Value) -> ArgsShape {
    let u = vm.unwrap_builtin(args);
    if u.layout() == l::TUPLE {
        return ArgsShape::Tuple(vm.sp.tuple_len(u));
    }
    if u.layout() == l::STR {
        return ArgsShape::Single;
    }
    let mapping = match args.layout() {
        l::DICT | l::LIST | l::BYTES | l::BYTEARRAY | l::RANGE => true,
        l::INSTANCE => {
            let n = vm.n.getitem;
            vm.lookup_type_attr(args.ty(), n).is_some()
        }
        _ => false,
    };
    if mapping {
        ArgsShape::Mapping
    } else {
        ArgsShape::Single
    }
}

/// `fmt % args` for str.
pub fn percent_format(vm: &mut Vm, fmt_v: Value, args: Value) -> PyResult {
    let ar = vm.push_root(args);
    let kr = vm.push_root_opt(None);
    let shape = shape_of(vm, args);
    let text = vm.str_owned(vm.unwrap_builtin(fmt_v));
    let r = {
        let mut pa = PctArgs {
            vm,
            args: ar,
            key: kr,
            shape,
            bytes: false,
        };
        fmt::percent_format(&text, &mut pa)
    };
    let s = lift(vm, r)?;
    vm.reset_roots(ar);
    Ok(vm.sp.new_str(&s))
}

/// `fmt % args` for bytes and bytearray (over the Latin-1 view of the bytes).
pub fn bytes_percent_format(vm: &mut Vm, fmt_v: Value, args: Value) -> PyResult {
    let ba = vm.unwrap_builtin(fmt_v).layout() == l::BYTEARRAY;
    let ar = vm.push_root(args);
    let kr = vm.push_root_opt(None);
    let shape = shape_of(vm, args);
    let text: String = vm
        .bytes_like(fmt_v)
        .unwrap_or_default()
        .iter()
        .map(|&c| c as char)
        .collect();
    let r = {
        let mut pa = PctArgs {
            vm,
            args: ar,
            key: kr,
            shape,
            bytes: true,
        };
        fmt::percent_format(&text, &mut pa)
    };
    let s = lift(vm, r)?;
    vm.reset_roots(ar);
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        if c as u32 > 0xff {
            return Err(vm.overflow_error("%c arg not in range(256)"));
        }
        out.push(c as u32 as u8);
    }
    Ok(if ba {
        vm.new_bytearray(&out)
    } else {
        vm.sp.new_bytes(&out)
    })
}

fn str_mod(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "str", "__mod__", (1, 1), Style::Exact, &[])?;
    if as_str(vm, a.get(0)).is_none() {
        return Ok(vm.sp.not_implemented);
    }
    percent_format(vm, a.get(0), a.get(1))
}

fn bytes_mod(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "bytes", "__mod__", (1, 1), Style::Exact, &[])?;
    if vm.bytes_like(a.get(0)).is_none() {
        return Ok(vm.sp.not_implemented);
    }
    bytes_percent_format(vm, a.get(0), a.get(1))
}

// ---------------------------------------------------------------- str.format

/// The arguments of `str.format(*args, **kwargs)` or `str.format_map(mapping)`; values
/// handed to the library are root indices.
struct Fields<'a, 'b> {
    vm: &'a mut Vm,
    a: &'b Args,
    /// `format_map`: the mapping's root.
    map: Option<usize>,
}

impl Fields<'_, '_> {
    fn rooted(&mut self, v: Value) -> usize {
        self.vm.push_root(v)
    }
}

impl FieldResolver for Fields<'_, '_> {
    type Value = usize;
    type Error = E;

    fn positional(&mut self, index: usize) -> Result<usize, E> {
        if self.map.is_some() {
            return Err(FormatError::positional_fields_in_format_map().into());
        }
        match self.a.opt(index + 1) {
            Some(v) => Ok(self.rooted(v)),
            None => Err(FormatError::replacement_index_out_of_range(index).into()),
        }
    }

    fn keyword(&mut self, name: &str) -> Result<usize, E> {
        if let Some(m) = self.map {
            let k = self.vm.sp.new_str(name);
            let m = self.vm.root(m);
            let v = self.vm.getitem(m, k)?;
            return Ok(self.rooted(v));
        }
        match self.a.kw(&self.vm.sp, name) {
            Some(v) => Ok(self.rooted(v)),
            None => {
                let k = self.vm.sp.new_str(name);
                Err(E::Raised(self.vm.key_error(k)))
            }
        }
    }

    fn attribute(&mut self, value: usize, name: &str) -> Result<usize, E> {
        let v = self.vm.root(value);
        let r = self.vm.getattr_str(v, name)?;
        Ok(self.rooted(r))
    }

    fn item_index(&mut self, value: usize, index: usize) -> Result<usize, E> {
        let k = self.vm.sp.new_int(index as i64);
        let v = self.vm.root(value);
        let r = self.vm.getitem(v, k)?;
        Ok(self.rooted(r))
    }

    fn item_key(&mut self, value: usize, key: &str) -> Result<usize, E> {
        let k = self.vm.sp.new_str(key);
        let v = self.vm.root(value);
        let r = self.vm.getitem(v, k)?;
        Ok(self.rooted(r))
    }

    fn convert(&mut self, value: usize, conversion: Conversion) -> Result<usize, E> {
        let v = self.vm.root(value);
        let r = match conversion {
            Conversion::Repr => self.vm.to_repr(v)?,
            Conversion::Str => self.vm.to_str(v)?,
            Conversion::Ascii => self.vm.to_ascii(v)?,
        };
        Ok(self.rooted(r))
    }

    fn format_value(&mut self, value: usize, spec: &str) -> Result<String, E> {
        let v = self.vm.root(value);
        let vr = self.vm.push_root(v);
        let s = self.vm.sp.new_str(spec);
        let v = self.vm.root(vr);
        let r = self.vm.format_value(v, Some(s))?;
        Ok(self.vm.str_owned(r))
    }
}

/// `self` of `format`/`format_map` as text.
fn format_self(vm: &mut Vm, a: &Args, name: &str) -> PyResult<String> {
    let Some(v) = a.opt(0) else {
        return Err(vm.type_error(format!("unbound method str.{name}() needs an argument")));
    };
    match as_str(vm, v) {
        Some(s) => Ok(vm.str_owned(s)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for 'str' objects doesn't apply to a '{}' object",
            vm.type_name(v)
        ))),
    }
}

fn str_format(vm: &mut Vm, a: &Args) -> PyResult {
    let text = format_self(vm, a, "format")?;
    let mark = vm.mark();
    let r = {
        let mut f = Fields { vm, a, map: None };
        fmt::render_format_string(&text, &mut f)
    };
    let s = lift(vm, r)?;
    vm.reset_roots(mark);
    Ok(vm.sp.new_str(&s))
}

fn str_format_map(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "str", "format_map", (1, 1), Style::Exact, &[])?;
    let text = format_self(vm, a, "format_map")?;
    let mark = vm.mark();
    let m = vm.push_root(a.get(1));
    let r = {
        let mut f = Fields {
            vm,
            a,
            map: Some(m),
        };
        fmt::render_format_string(&text, &mut f)
    };
    let s = lift(vm, r)?;
    vm.reset_roots(mark);
    Ok(vm.sp.new_str(&s))
}
