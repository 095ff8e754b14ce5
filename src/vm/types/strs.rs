//! Methods of `str`, `bytes` and `bytearray`, and the formatting entry points
//! (`format()` specs, `%`-formatting, `str.format`).
//!
//! Layout: this file holds the shared argument helpers and the `str` methods;
//! [`bytes`] the `bytes`/`bytearray` constructors and methods and the codecs;
//! [`format`] `format(v, spec)`, `__format__`, `%` and `str.format` (on top of
//! `thicket_object_model::format`); [`unicode`] the character tables.
//!
//! Most methods copy nothing: they read the text through `vm.sp.str_of` while computing
//! a plain Rust result, then allocate. Methods that run Python code (`join` over an
//! arbitrary iterable, `translate`, `format`) keep their values rooted or work on a
//! copy of the text.

pub mod bytes;
pub mod format;
pub mod unicode;
mod unicode_tables;

use super::check_args;
use crate::vm::{Args, PyResult, Vm};
use thicket_object_model::layout as l;
use thicket_object_model::Value;
use unicode::{is_alnum, is_alpha, is_cased, is_decimal, is_digit, is_numeric, is_space};

pub use bytes::{bytearray_new, bytes_new};
pub use format::{format_builtin, percent_format};

/// Installs the str/bytes/bytearray methods.
pub fn install(vm: &mut Vm) {
    let t = vm.sp.t.str_;
    let methods: &[(&'static str, crate::vm::NativeFn)] = &[
        ("join", str_join),
        ("split", str_split),
        ("rsplit", str_rsplit),
        ("splitlines", str_splitlines),
        ("strip", str_strip),
        ("lstrip", str_lstrip),
        ("rstrip", str_rstrip),
        ("replace", str_replace),
        ("find", str_find),
        ("rfind", str_rfind),
        ("index", str_index),
        ("rindex", str_rindex),
        ("count", str_count),
        ("startswith", str_startswith),
        ("endswith", str_endswith),
        ("upper", str_upper),
        ("lower", str_lower),
        ("casefold", str_casefold),
        ("title", str_title),
        ("capitalize", str_capitalize),
        ("swapcase", str_swapcase),
        ("center", str_center),
        ("ljust", str_ljust),
        ("rjust", str_rjust),
        ("zfill", str_zfill),
        ("isdigit", str_isdigit),
        ("isdecimal", str_isdecimal),
        ("isnumeric", str_isnumeric),
        ("isalpha", str_isalpha),
        ("isalnum", str_isalnum),
        ("isspace", str_isspace),
        ("isupper", str_isupper),
        ("islower", str_islower),
        ("istitle", str_istitle),
        ("isidentifier", str_isidentifier),
        ("isprintable", str_isprintable),
        ("isascii", str_isascii),
        ("partition", str_partition),
        ("rpartition", str_rpartition),
        ("encode", bytes::str_encode),
        ("expandtabs", str_expandtabs),
        ("removeprefix", str_removeprefix),
        ("removesuffix", str_removesuffix),
        ("translate", str_translate),
        ("__str__", str_str),
        ("__repr__", str_repr),
        ("__len__", str_len),
        ("__contains__", str_contains),
        ("__getnewargs__", str_getnewargs),
    ];
    for &(name, f) in methods {
        vm.add_method(t, name, f);
    }
    let sm = vm.sp.t.staticmethod;
    add_wrapped(vm, t, "maketrans", str_maketrans, sm);
    format::install(vm);
    bytes::install(vm);
}

/// Adds a native to a type's namespace inside a `staticmethod` or `classmethod`.
pub(crate) fn add_wrapped(
    vm: &mut Vm,
    ty: Value,
    name: &'static str,
    f: crate::vm::NativeFn,
    wrapper: Value,
) {
    let i = vm.register_native(name, f, false);
    let b = vm.new_builtin(i, None);
    let w = vm.sp.new_wrapper(wrapper, [Some(b), None, None, None]);
    let d = vm.sp.type_dict(ty);
    vm.sp.dict_set_name(d, name, w);
}

// ---------------------------------------------------------------- argument helpers

/// How a method words its argument-count errors (CPython's are not uniform).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `str.upper() takes no arguments (1 given)`, `str.join() takes exactly one argument
    /// (0 given)`; keywords: `str.upper() takes no keyword arguments`.
    Exact,
    /// `center expected at least 1 argument, got 0` (positional only).
    Range,
    /// `find() takes at least 1 argument (0 given)` (positional only).
    Old,
    /// `split() takes at most 2 arguments (3 given)`; keywords allowed (`kws`).
    Kw,
}

/// Checks the arguments of a method of type `tname` (`self` is `a.get(0)`, not
/// counted): `min..=max` positional, and only the keywords `kws` (for [`Style::Kw`]).
pub(crate) fn sig(
    vm: &mut Vm,
    a: &Args,
    tname: &str,
    name: &str,
    (min, max): (usize, usize),
    style: Style,
    kws: &[&str],
) -> PyResult<()> {
    let n = a.len().saturating_sub(1);
    if a.nkw() > 0 {
        if style != Style::Kw {
            return Err(vm.type_error(format!("{tname}.{name}() takes no keyword arguments")));
        }
        for i in 0..a.nkw() {
            let (k, _) = a.kw_at(i);
            let k = vm.str_owned(k);
            match kws.iter().position(|&w| w == k) {
                None => {
                    return Err(
                        vm.type_error(format!("'{k}' is an invalid keyword argument for {name}()"))
                    )
                }
                Some(p) if p < n => {
                    return Err(vm.type_error(format!(
                        "argument for {name}() given by name ('{k}') and position ({})",
                        p + 1
                    )))
                }
                _ => {}
            }
        }
    }
    if n >= min && n <= max {
        return Ok(());
    }
    let pl = |k: usize| if k == 1 { "" } else { "s" };
    let msg = match style {
        Style::Exact if min == max && max == 0 => {
            format!("{tname}.{name}() takes no arguments ({n} given)")
        }
        Style::Exact if min == max && max == 1 => {
            format!("{tname}.{name}() takes exactly one argument ({n} given)")
        }
        Style::Exact => format!("{tname}.{name}() takes exactly {min} arguments ({n} given)"),
        Style::Range if n < min => {
            format!(
                "{name} expected at least {min} argument{}, got {n}",
                pl(min)
            )
        }
        Style::Range => format!("{name} expected at most {max} argument{}, got {n}", pl(max)),
        Style::Old | Style::Kw if n < min => {
            format!(
                "{name}() takes at least {min} argument{} ({n} given)",
                pl(min)
            )
        }
        Style::Old | Style::Kw => {
            format!(
                "{name}() takes at most {max} argument{} ({n} given)",
                pl(max)
            )
        }
    };
    Err(vm.type_error(msg))
}

/// Argument `i` (0 = the first after `self`), given by position or as keyword `name`.
pub(crate) fn arg(vm: &Vm, a: &Args, i: usize, name: &str) -> Option<Value> {
    a.opt(i + 1).or_else(|| {
        if a.nkw() == 0 {
            None
        } else {
            a.kw(&vm.sp, name)
        }
    })
}

/// The str behind `v` (a str, or an instance of a str subclass).
pub(crate) fn as_str(vm: &Vm, v: Value) -> Option<Value> {
    let u = vm.unwrap_builtin(v);
    (u.layout() == l::STR).then_some(u)
}

/// `self` of a str method, with CPython's descriptor error for anything else.
fn this(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    if a.is_empty() {
        return Err(vm.type_error(format!("unbound method str.{name}() needs an argument")));
    }
    let v = a.get(0);
    match as_str(vm, v) {
        Some(s) => Ok(s),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for 'str' objects doesn't apply to a '{}' object",
            vm.type_name(v)
        ))),
    }
}

/// A str argument, or `TypeError: must be str, not T` (with `what` as the prefix).
fn str_arg(vm: &mut Vm, v: Value, what: &str) -> PyResult<Value> {
    match as_str(vm, v) {
        Some(s) => Ok(s),
        None => Err(vm.type_error(format!("{what}must be str, not {}", vm.type_name(v)))),
    }
}

/// A start/end argument of `find` and friends: None, or an int (or `__index__`).
pub(crate) fn slice_arg(vm: &mut Vm, v: Option<Value>) -> PyResult<Option<i64>> {
    let Some(v) = v else {
        return Ok(None);
    };
    if v.is(vm.sp.none) {
        return Ok(None);
    }
    let u = vm.unwrap_builtin(v);
    if let Some(i) = vm.sp.small_int(u) {
        return Ok(Some(i));
    }
    if u.layout() == l::BIGINT {
        let neg = vm.sp.to_bigint(u).sign() == num_bigint::Sign::Minus;
        return Ok(Some(if neg { i64::MIN / 2 } else { i64::MAX / 2 }));
    }
    if v.layout() == l::INSTANCE && vm.lookup_type_attr(v.ty(), vm.n.index).is_some() {
        return vm.index_value(v).map(Some);
    }
    Err(vm.type_error("slice indices must be integers or None or have an __index__ method"))
}

/// CPython's `ADJUST_INDICES`: `(start, end)` clamped against `len` (start may stay
/// beyond `len`, which callers treat as "no match").
pub(crate) fn adjust(start: Option<i64>, end: Option<i64>, len: usize) -> (i64, i64) {
    let n = len as i64;
    let mut e = end.unwrap_or(n);
    if e > n {
        e = n;
    } else if e < 0 {
        e = (e + n).max(0);
    }
    let mut s = start.unwrap_or(0);
    if s < 0 {
        s = (s + n).max(0);
    }
    (s, e)
}

/// An integer argument (`__index__`), as `center(width)` takes it.
pub(crate) fn int_arg(vm: &mut Vm, v: Value) -> PyResult<i64> {
    let u = vm.unwrap_builtin(v);
    if u.layout() == l::FLOAT || u.layout() == l::STR {
        return Err(vm.type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            vm.type_name(v)
        )));
    }
    if u.layout() == l::BIGINT {
        return Err(vm.overflow_error("Python int too large to convert to C ssize_t"));
    }
    vm.index_value(v)
}

/// Byte offsets of the character indices `i <= j` in `s`.
pub(crate) fn byte_range(s: &str, ascii: bool, i: usize, j: usize) -> (usize, usize) {
    if ascii {
        return (i.min(s.len()), j.min(s.len()));
    }
    let mut bi = s.len();
    let mut bj = s.len();
    for (k, (o, _)) in s.char_indices().enumerate() {
        if k == i {
            bi = o;
        }
        if k == j {
            bj = o;
            break;
        }
    }
    (bi, bj)
}

/// Number of characters in `s` (`ascii`: known to be its length).
fn nchars(s: &str, ascii: bool) -> usize {
    if ascii {
        s.len()
    } else {
        s.chars().count()
    }
}

/// A list of new strs.
fn str_list<'a>(vm: &mut Vm, parts: impl IntoIterator<Item = &'a str>) -> Value {
    let items: Vec<Value> = parts.into_iter().map(|p| vm.sp.new_str(p)).collect();
    vm.sp.new_list(&items)
}

/// `self` itself if it is an exact str, else a new str with its text (methods return
/// exact strs).
fn exact(vm: &mut Vm, orig: Value, s: Value) -> Value {
    if orig.layout() == l::STR && orig.ty().is(vm.sp.t.str_) {
        orig
    } else {
        let t = vm.str_owned(s);
        vm.sp.new_str(&t)
    }
}

// ---------------------------------------------------------------- join / split

fn str_join(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "str", "join", (1, 1), Style::Exact, &[])?;
    this(vm, a, "join")?;
    let it = a.get(1);
    let lst = if (it.layout() == l::LIST || it.layout() == l::TUPLE)
        && (it.ty().is(vm.sp.t.list) || it.ty().is(vm.sp.t.tuple))
    {
        it
    } else {
        vm.list_from_iter(it)?
    };
    let items: &[Value] = if lst.layout() == l::LIST {
        vm.sp.list_items(lst)
    } else {
        vm.sp.tuple_items(lst)
    };
    let sep = as_str(vm, a.get(0)).expect("str self");
    let sep = vm.sp.str_of(sep);
    let mut total = 0;
    for (i, &x) in items.iter().enumerate() {
        let u = vm.unwrap_builtin(x);
        if u.layout() != l::STR {
            let msg = format!(
                "sequence item {i}: expected str instance, {} found",
                vm.type_name(x)
            );
            return Err(vm.type_error(msg));
        }
        total += vm.sp.str_of(u).len() + sep.len();
    }
    if items.len() == 1 && items[0].ty().is(vm.sp.t.str_) {
        return Ok(items[0]);
    }
    let mut out = String::with_capacity(total);
    for (i, &x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(vm.sp.str_of(vm.unwrap_builtin(x)));
    }
    Ok(vm.sp.new_str(&out))
}

/// The separator argument of split/rsplit: None for whitespace mode.
fn sep_arg(vm: &mut Vm, a: &Args) -> PyResult<Option<String>> {
    match arg(vm, a, 0, "sep") {
        None => Ok(None),
        Some(v) if v.is(vm.sp.none) => Ok(None),
        Some(v) => match as_str(vm, v) {
            Some(s) => {
                let s = vm.str_owned(s);
                if s.is_empty() {
                    return Err(vm.value_error("empty separator"));
                }
                Ok(Some(s))
            }
            None => Err(vm.type_error(format!("must be str or None, not {}", vm.type_name(v)))),
        },
    }
}

fn maxsplit_arg(vm: &mut Vm, a: &Args) -> PyResult<usize> {
    match arg(vm, a, 1, "maxsplit") {
        None => Ok(usize::MAX),
        Some(v) => {
            let n = int_arg(vm, v)?;
            Ok(if n < 0 { usize::MAX } else { n as usize })
        }
    }
}

/// Whitespace split (`sep=None`), left to right.
pub(crate) fn split_ws<F: Fn(char) -> bool>(s: &str, max: usize, ws: F) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches(&ws);
    while !rest.is_empty() {
        if out.len() == max {
            out.push(rest);
            break;
        }
        let end = rest.find(&ws).unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = rest[end..].trim_start_matches(&ws);
    }
    out
}

/// Whitespace split from the right (`rsplit(None, max)`), in left-to-right order.
pub(crate) fn rsplit_ws<F: Fn(char) -> bool>(s: &str, max: usize, ws: F) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s.trim_end_matches(&ws);
    while !rest.is_empty() {
        if out.len() == max {
            out.push(rest);
            break;
        }
        let start = rest.rfind(&ws).map_or(0, |p| {
            p + rest[p..].chars().next().map_or(1, char::len_utf8)
        });
        out.push(&rest[start..]);
        rest = rest[..start].trim_end_matches(&ws);
    }
    out.reverse();
    out
}

fn str_split(vm: &mut Vm, a: &Args) -> PyResult {
    sig(
        vm,
        a,
        "str",
        "split",
        (0, 2),
        Style::Kw,
        &["sep", "maxsplit"],
    )?;
    let s = this(vm, a, "split")?;
    let sep = sep_arg(vm, a)?;
    let max = maxsplit_arg(vm, a)?;
    let s = as_str(vm, a.get(0)).unwrap_or(s);
    let text = vm.str_owned(s);
    let parts: Vec<&str> = match &sep {
        None => split_ws(&text, max, is_space),
        Some(p) => {
            if max == usize::MAX {
                text.split(p.as_str()).collect()
            } else {
                text.splitn(max.saturating_add(1), p.as_str()).collect()
            }
        }
    };
    Ok(str_list(vm, parts))
}

fn str_rsplit(vm: &mut Vm, a: &Args) -> PyResult {
    sig(
        vm,
        a,
        "str",
        "rsplit",
        (0, 2),
        Style::Kw,
        &["sep", "maxsplit"],
    )?;
    let s = this(vm, a, "rsplit")?;
    let sep = sep_arg(vm, a)?;
    let max = maxsplit_arg(vm, a)?;
    let s = as_str(vm, a.get(0)).unwrap_or(s);
    let text = vm.str_owned(s);
    let parts: Vec<&str> = match &sep {
        None => rsplit_ws(&text, max, is_space),
        Some(p) => {
            let mut v: Vec<&str> = if max == usize::MAX {
                text.rsplit(p.as_str()).collect()
            } else {
                text.rsplitn(max.saturating_add(1), p.as_str()).collect()
            };
            v.reverse();
            v
        }
    };
    Ok(str_list(vm, parts))
}

fn str_splitlines(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "str", "splitlines", (0, 1), Style::Kw, &["keepends"])?;
    let s = this(vm, a, "splitlines")?;
    let keep = match arg(vm, a, 0, "keepends") {
        None => false,
        Some(v) => vm.truthy(v)?,
    };
    let s = as_str(vm, a.get(0)).unwrap_or(s);
    let text = vm.str_owned(s);
    let mut parts = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if unicode::is_linebreak(c) {
            let mut end = i + c.len_utf8();
            if c == '\r' && it.peek().map(|&(_, d)| d) == Some('\n') {
                it.next();
                end += 1;
            }
            parts.push(if keep {
                &text[start..end]
            } else {
                &text[start..i]
            });
            start = end;
        }
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    Ok(str_list(vm, parts))
}

// ---------------------------------------------------------------- strip

fn strip_common(vm: &mut Vm, a: &Args, name: &str, left: bool, right: bool) -> PyResult {
    sig(vm, a, "str", name, (0, 1), Style::Range, &[])?;
    let s = this(vm, a, name)?;
    let chars: Option<Vec<char>> = match a.opt(1) {
        None => None,
        Some(v) if v.is(vm.sp.none) => None,
        Some(v) => match as_str(vm, v) {
            Some(c) => Some(vm.sp.str_of(c).chars().collect()),
            None => return Err(vm.type_error(format!("{name} arg must be None or str"))),
        },
    };
    let text = vm.sp.str_of(s);
    let pred = |c: char| match &chars {
        None => is_space(c),
        Some(set) => set.contains(&c),
    };
    let mut r: &str = text;
    if left {
        r = r.trim_start_matches(pred);
    }
    if right {
        r = r.trim_end_matches(pred);
    }
    if r.len() == text.len() {
        let orig = a.get(0);
        return Ok(exact(vm, orig, s));
    }
    let r = r.to_owned();
    Ok(vm.sp.new_str(&r))
}

fn str_strip(vm: &mut Vm, a: &Args) -> PyResult {
    strip_common(vm, a, "strip", true, true)
}

fn str_lstrip(vm: &mut Vm, a: &Args) -> PyResult {
    strip_common(vm, a, "lstrip", true, false)
}

fn str_rstrip(vm: &mut Vm, a: &Args) -> PyResult {
    strip_common(vm, a, "rstrip", false, true)
}

// ---------------------------------------------------------------- replace / search

fn str_replace(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "str", "replace", (2, 3), Style::Range, &[])?;
    this(vm, a, "replace")?;
    let old = a.get(1);
    str_arg(vm, old, "replace() argument 1 ")?;
    let new = a.get(2);
    str_arg(vm, new, "replace() argument 2 ")?;
    let count = match a.opt(3) {
        None => -1,
        Some(v) => int_arg(vm, v)?,
    };
    let s = as_str(vm, a.get(0)).expect("str");
    let old = as_str(vm, a.get(1)).expect("str");
    let new = as_str(vm, a.get(2)).expect("str");
    let (t, o, n) = (vm.sp.str_of(s), vm.sp.str_of(old), vm.sp.str_of(new));
    if count == 0 || !t.contains(o) || (o.is_empty() && t.is_empty() && n.is_empty()) {
        return Ok(exact(vm, a.get(0), s));
    }
    let r = if count < 0 {
        t.replace(o, n)
    } else {
        t.replacen(o, n, count as usize)
    };
    Ok(vm.sp.new_str(&r))
}

/// The subject, needle and adjusted char range of find/count/index.
fn search_args(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(Value, Value, i64, i64)> {
    if a.nkw() > 0 {
        return Err(vm.type_error(format!("str.{name}() takes no keyword arguments")));
    }
    sig(vm, a, "str", name, (1, 3), Style::Old, &[])?;
    this(vm, a, name)?;
    let sub = a.get(1);
    str_arg(vm, sub, "")?;
    let start = slice_arg(vm, a.opt(2))?;
    let end = slice_arg(vm, a.opt(3))?;
    let s = as_str(vm, a.get(0)).expect("str");
    let sub = as_str(vm, a.get(1)).expect("str");
    let (st, en) = adjust(start, end, vm.sp.str_nchars(s));
    Ok((s, sub, st, en))
}

/// `s.find(sub, st, en)` (char indices, already adjusted) from either end.
fn find_impl(vm: &Vm, s: Value, sub: Value, st: i64, en: i64, rev: bool) -> i64 {
    let subn = vm.sp.str_nchars(sub) as i64;
    if en - st < subn {
        return -1;
    }
    let ascii = vm.sp.str_is_ascii(s);
    let t = vm.sp.str_of(s);
    let (bs, be) = byte_range(t, ascii, st as usize, en as usize);
    let hay = &t[bs..be];
    let needle = vm.sp.str_of(sub);
    let found = if rev {
        hay.rfind(needle)
    } else {
        hay.find(needle)
    };
    match found {
        None => -1,
        Some(p) => st + nchars(&hay[..p], ascii) as i64,
    }
}

fn str_find(vm: &mut Vm, a: &Args) -> PyResult {
    let (s, sub, st, en) = search_args(vm, a, "find")?;
    let r = find_impl(vm, s, sub, st, en, false);
    Ok(vm.sp.new_int(r))
}

fn str_rfind(vm: &mut Vm, a: &Args) -> PyResult {
    let (s, sub, st, en) = search_args(vm, a, "rfind")?;
    let r = find_impl(vm, s, sub, st, en, true);
    Ok(vm.sp.new_int(r))
}

fn str_index(vm: &mut Vm, a: &Args) -> PyResult {
    let (s, sub, st, en) = search_args(vm, a, "index")?;
    match find_impl(vm, s, sub, st, en, false) {
        -1 => Err(vm.value_error("substring not found")),
        r => Ok(vm.sp.new_int(r)),
    }
}

fn str_rindex(vm: &mut Vm, a: &Args) -> PyResult {
    let (s, sub, st, en) = search_args(vm, a, "rindex")?;
    match find_impl(vm, s, sub, st, en, true) {
        -1 => Err(vm.value_error("substring not found")),
        r => Ok(vm.sp.new_int(r)),
    }
}

fn str_count(vm: &mut Vm, a: &Args) -> PyResult {
    let (s, sub, st, en) = search_args(vm, a, "count")?;
    let n = vm.sp.str_nchars(s) as i64;
    let r = if st > n || en < st {
        0
    } else {
        let ascii = vm.sp.str_is_ascii(s);
        let t = vm.sp.str_of(s);
        let (bs, be) = byte_range(t, ascii, st as usize, en as usize);
        let hay = &t[bs..be];
        let needle = vm.sp.str_of(sub);
        if needle.is_empty() {
            (en - st + 1) as usize
        } else {
            hay.matches(needle).count()
        }
    };
    Ok(vm.sp.new_int(r as i64))
}

/// startswith/endswith: `prefix` may be a tuple of strs.
fn starts_ends(vm: &mut Vm, a: &Args, name: &str, end_side: bool) -> PyResult {
    if a.nkw() > 0 {
        return Err(vm.type_error(format!("str.{name}() takes no keyword arguments")));
    }
    sig(vm, a, "str", name, (1, 3), Style::Range, &[])?;
    this(vm, a, name)?;
    let start = slice_arg(vm, a.opt(2))?;
    let end = slice_arg(vm, a.opt(3))?;
    let s = as_str(vm, a.get(0)).expect("str");
    let p = a.get(1);
    let cands: Vec<Value> = if p.layout() == l::TUPLE {
        let items = vm.sp.tuple_items(p).to_vec();
        for &x in &items {
            if as_str(vm, x).is_none() {
                return Err(vm.type_error(format!(
                    "tuple for {name} must only contain str, not {}",
                    vm.type_name(x)
                )));
            }
        }
        items
    } else if as_str(vm, p).is_some() {
        vec![p]
    } else {
        return Err(vm.type_error(format!(
            "{name} first arg must be str or a tuple of str, not {}",
            vm.type_name(p)
        )));
    };
    let nch = vm.sp.str_nchars(s);
    let (st, en) = adjust(start, end, nch);
    let hit = if st > nch as i64 || en < st {
        false
    } else {
        let ascii = vm.sp.str_is_ascii(s);
        let t = vm.sp.str_of(s);
        let (bs, be) = byte_range(t, ascii, st as usize, en as usize);
        let hay = &t[bs..be];
        cands.iter().any(|&c| {
            let c = vm.sp.str_of(vm.unwrap_builtin(c));
            if end_side {
                hay.ends_with(c)
            } else {
                hay.starts_with(c)
            }
        })
    };
    Ok(vm.sp.new_bool(hit))
}

fn str_startswith(vm: &mut Vm, a: &Args) -> PyResult {
    starts_ends(vm, a, "startswith", false)
}

fn str_endswith(vm: &mut Vm, a: &Args) -> PyResult {
    starts_ends(vm, a, "endswith", true)
}

// ---------------------------------------------------------------- case

/// A no-argument method mapping the text to a new text.
fn map_text(vm: &mut Vm, a: &Args, name: &str, f: fn(&str) -> String) -> PyResult {
    sig(vm, a, "str", name, (0, 0), Style::Exact, &[])?;
    let s = this(vm, a, name)?;
    let r = f(vm.sp.str_of(s));
    Ok(vm.sp.new_str(&r))
}

fn str_upper(vm: &mut Vm, a: &Args) -> PyResult {
    map_text(vm, a, "upper", |s| {
        if s.is_ascii() {
            s.to_ascii_uppercase()
        } else {
            s.to_uppercase()
        }
    })
}

fn str_lower(vm: &mut Vm, a: &Args) -> PyResult {
    map_text(vm, a, "lower", |s| {
        if s.is_ascii() {
            s.to_ascii_lowercase()
        } else {
            s.to_lowercase()
        }
    })
}

fn str_casefold(vm: &mut Vm, a: &Args) -> PyResult {
    map_text(vm, a, "casefold", |s| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            unicode::push_casefold(c, &mut out);
        }
        out
    })
}

fn str_title(vm: &mut Vm, a: &Args) -> PyResult {
    map_text(vm, a, "title", |s| {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut prev_cased = false;
        for (i, &c) in chars.iter().enumerate() {
            if prev_cased {
                unicode::push_lower_at(&chars, i, &mut out);
            } else {
                unicode::push_title(c, &mut out);
            }
            prev_cased = is_cased(c);
        }
        out
    })
}

fn str_capitalize(vm: &mut Vm, a: &Args) -> PyResult {
    map_text(vm, a, "capitalize", |s| {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        for (i, &c) in chars.iter().enumerate() {
            if i == 0 {
                unicode::push_title(c, &mut out);
            } else {
                unicode::push_lower_at(&chars, i, &mut out);
            }
        }
        out
    })
}

fn str_swapcase(vm: &mut Vm, a: &Args) -> PyResult {
    map_text(vm, a, "swapcase", |s| {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        for (i, &c) in chars.iter().enumerate() {
            if c.is_uppercase() {
                unicode::push_lower_at(&chars, i, &mut out);
            } else if c.is_lowercase() {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
        }
        out
    })
}

// ---------------------------------------------------------------- padding

/// width and fill character of center/ljust/rjust.
fn pad_args(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(Value, usize, char)> {
    sig(vm, a, "str", name, (1, 2), Style::Range, &[])?;
    this(vm, a, name)?;
    let w = int_arg(vm, a.get(1))?;
    let fill = match a.opt(2) {
        None => ' ',
        Some(f) => {
            let Some(fs) = as_str(vm, f) else {
                return Err(vm.type_error(format!(
                    "{name}() argument 2 must be str, not {}",
                    vm.type_name(f)
                )));
            };
            if vm.sp.str_nchars(fs) != 1 {
                return Err(vm.type_error("The fill character must be exactly one character long"));
            }
            vm.sp.str_of(fs).chars().next().expect("one char")
        }
    };
    let s = as_str(vm, a.get(0)).expect("str");
    Ok((s, w.max(0) as usize, fill))
}

/// Pads `s` to `width` with `left` fill characters first.
fn pad(vm: &mut Vm, orig: Value, s: Value, width: usize, fill: char, how: u8) -> Value {
    let n = vm.sp.str_nchars(s);
    if n >= width {
        return exact(vm, orig, s);
    }
    let marg = width - n;
    let left = match how {
        b'l' => 0,
        b'r' => marg,
        _ => marg / 2 + (marg & width & 1),
    };
    let t = vm.sp.str_of(s);
    let mut out = String::with_capacity(t.len() + marg * fill.len_utf8());
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(t);
    out.extend(std::iter::repeat_n(fill, marg - left));
    vm.sp.new_str(&out)
}

fn str_center(vm: &mut Vm, a: &Args) -> PyResult {
    let (s, w, f) = pad_args(vm, a, "center")?;
    Ok(pad(vm, a.get(0), s, w, f, b'c'))
}

fn str_ljust(vm: &mut Vm, a: &Args) -> PyResult {
    let (s, w, f) = pad_args(vm, a, "ljust")?;
    Ok(pad(vm, a.get(0), s, w, f, b'l'))
}

fn str_rjust(vm: &mut Vm, a: &Args) -> PyResult {
    let (s, w, f) = pad_args(vm, a, "rjust")?;
    Ok(pad(vm, a.get(0), s, w, f, b'r'))
}

fn str_zfill(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "str", "zfill", (1, 1), Style::Exact, &[])?;
    this(vm, a, "zfill")?;
    let w = int_arg(vm, a.get(1))?;
    let s = as_str(vm, a.get(0)).expect("str");
    let n = vm.sp.str_nchars(s) as i64;
    if n >= w {
        return Ok(exact(vm, a.get(0), s));
    }
    let t = vm.sp.str_of(s);
    let fill = (w - n) as usize;
    let mut out = String::with_capacity(t.len() + fill);
    let body = match t.chars().next() {
        Some(c @ ('+' | '-')) => {
            out.push(c);
            &t[1..]
        }
        _ => t,
    };
    out.extend(std::iter::repeat_n('0', fill));
    out.push_str(body);
    Ok(vm.sp.new_str(&out))
}

// ---------------------------------------------------------------- predicates

/// A no-argument predicate over the text.
fn pred(vm: &mut Vm, a: &Args, name: &str, f: fn(&str) -> bool) -> PyResult {
    sig(vm, a, "str", name, (0, 0), Style::Exact, &[])?;
    let s = this(vm, a, name)?;
    let r = f(vm.sp.str_of(s));
    Ok(vm.sp.new_bool(r))
}

fn all_nonempty(s: &str, f: fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}

fn str_isdigit(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isdigit", |s| all_nonempty(s, is_digit))
}

fn str_isdecimal(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isdecimal", |s| all_nonempty(s, is_decimal))
}

fn str_isnumeric(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isnumeric", |s| all_nonempty(s, is_numeric))
}

fn str_isalpha(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isalpha", |s| all_nonempty(s, is_alpha))
}

fn str_isalnum(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isalnum", |s| all_nonempty(s, is_alnum))
}

fn str_isspace(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isspace", |s| all_nonempty(s, is_space))
}

fn str_isupper(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isupper", |s| {
        let mut cased = false;
        for c in s.chars() {
            if c.is_lowercase() || unicode::is_titlecase(c) {
                return false;
            }
            cased |= c.is_uppercase();
        }
        cased
    })
}

fn str_islower(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "islower", |s| {
        let mut cased = false;
        for c in s.chars() {
            if c.is_uppercase() || unicode::is_titlecase(c) {
                return false;
            }
            cased |= c.is_lowercase();
        }
        cased
    })
}

fn str_istitle(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "istitle", |s| {
        let mut cased = false;
        let mut prev_cased = false;
        for c in s.chars() {
            if c.is_uppercase() || unicode::is_titlecase(c) {
                if prev_cased {
                    return false;
                }
                prev_cased = true;
                cased = true;
            } else if c.is_lowercase() {
                if !prev_cased {
                    return false;
                }
                prev_cased = true;
                cased = true;
            } else {
                prev_cased = false;
            }
        }
        cased
    })
}

fn str_isidentifier(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isidentifier", unicode::is_identifier)
}

fn str_isprintable(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isprintable", |s| {
        s.chars().all(unicode::is_printable)
    })
}

fn str_isascii(vm: &mut Vm, a: &Args) -> PyResult {
    pred(vm, a, "isascii", str::is_ascii)
}

// ---------------------------------------------------------------- partition etc.

fn partition_common(vm: &mut Vm, a: &Args, name: &str, rev: bool) -> PyResult {
    sig(vm, a, "str", name, (1, 1), Style::Exact, &[])?;
    this(vm, a, name)?;
    let sep = a.get(1);
    str_arg(vm, sep, "")?;
    let s = as_str(vm, a.get(0)).expect("str");
    let sep = as_str(vm, a.get(1)).expect("str");
    let t = vm.str_owned(s);
    let p = vm.str_owned(sep);
    if p.is_empty() {
        return Err(vm.value_error("empty separator"));
    }
    let found = if rev { t.rfind(&p) } else { t.find(&p) };
    let parts = match found {
        Some(i) => [&t[..i], &p[..], &t[i + p.len()..]],
        None if rev => ["", "", &t[..]],
        None => [&t[..], "", ""],
    };
    let items: Vec<Value> = parts.iter().map(|x| vm.sp.new_str(x)).collect();
    Ok(vm.sp.new_tuple(&items))
}

fn str_partition(vm: &mut Vm, a: &Args) -> PyResult {
    partition_common(vm, a, "partition", false)
}

fn str_rpartition(vm: &mut Vm, a: &Args) -> PyResult {
    partition_common(vm, a, "rpartition", true)
}

fn str_expandtabs(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "str", "expandtabs", (0, 1), Style::Kw, &["tabsize"])?;
    this(vm, a, "expandtabs")?;
    let tab = match arg(vm, a, 0, "tabsize") {
        None => 8,
        Some(v) => int_arg(vm, v)?,
    };
    let s = as_str(vm, a.get(0)).expect("str");
    let t = vm.sp.str_of(s);
    let mut out = String::with_capacity(t.len());
    let mut col: i64 = 0;
    for c in t.chars() {
        match c {
            '\t' => {
                if tab > 0 {
                    let k = tab - col % tab;
                    out.extend(std::iter::repeat_n(' ', k as usize));
                    col += k;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(vm.sp.new_str(&out))
}

fn affix(vm: &mut Vm, a: &Args, name: &str, suffix: bool) -> PyResult {
    sig(vm, a, "str", name, (1, 1), Style::Exact, &[])?;
    this(vm, a, name)?;
    let p = a.get(1);
    str_arg(vm, p, &format!("{name}() argument "))?;
    let s = as_str(vm, a.get(0)).expect("str");
    let p = as_str(vm, a.get(1)).expect("str");
    let (t, q) = (vm.sp.str_of(s), vm.sp.str_of(p));
    let r = if suffix {
        t.strip_suffix(q)
    } else {
        t.strip_prefix(q)
    };
    match r {
        Some(r) if !q.is_empty() => {
            let r = r.to_owned();
            Ok(vm.sp.new_str(&r))
        }
        _ => Ok(exact(vm, a.get(0), s)),
    }
}

fn str_removeprefix(vm: &mut Vm, a: &Args) -> PyResult {
    affix(vm, a, "removeprefix", false)
}

fn str_removesuffix(vm: &mut Vm, a: &Args) -> PyResult {
    affix(vm, a, "removesuffix", true)
}

// ---------------------------------------------------------------- translate

/// `str.maketrans(x[, y[, z]])` (a staticmethod).
fn str_maketrans(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "maketrans", 1, 3)?;
    let d = vm.sp.new_dict();
    let dr = vm.push_root(d);
    if a.len() == 1 {
        let x = a.get(0);
        if x.layout() != l::DICT {
            return Err(
                vm.type_error("if you give only one argument to maketrans it must be a dict")
            );
        }
        let items = vm.sp.dict_items(x);
        let tmp = vm.sp.new_list(&[]);
        let tr = vm.push_root(tmp);
        for (k, v) in items {
            let t = vm.sp.new_tuple(&[k, v]);
            let tmp = vm.root(tr);
            vm.sp.list_append(tmp, t);
        }
        let tmp = vm.root(tr);
        let n = vm.sp.list_len(tmp);
        for i in 0..n {
            let tmp = vm.root(tr);
            let pair = vm.sp.list_items(tmp)[i];
            let (k, v) = (vm.sp.tuple_items(pair)[0], vm.sp.tuple_items(pair)[1]);
            let key = if let Some(ks) = as_str(vm, k) {
                if vm.sp.str_nchars(ks) != 1 {
                    return Err(
                        vm.value_error("string keys in translate table must be of length 1")
                    );
                }
                let c = vm.sp.str_of(ks).chars().next().expect("char");
                vm.sp.new_int(c as i64)
            } else if vm.sp.is_int_layout(vm.unwrap_builtin(k)) {
                k
            } else {
                return Err(vm.type_error("keys in translate table must be strings or integers"));
            };
            let d = vm.root(dr);
            vm.dict_setitem(d, key, v)?;
        }
        return Ok(vm.root(dr));
    }
    let (x, y) = (a.get(0), a.get(1));
    let (Some(xs), Some(ys)) = (as_str(vm, x), as_str(vm, y)) else {
        let bad = if as_str(vm, x).is_none() { x } else { y };
        let which = if as_str(vm, x).is_none() { 1 } else { 2 };
        return Err(vm.type_error(format!(
            "maketrans() argument {which} must be str, not {}",
            vm.type_name(bad)
        )));
    };
    let xc: Vec<char> = vm.sp.str_of(xs).chars().collect();
    let yc: Vec<char> = vm.sp.str_of(ys).chars().collect();
    if xc.len() != yc.len() {
        return Err(vm.value_error("the first two maketrans arguments must have equal length"));
    }
    let mut pairs: Vec<(i64, Option<i64>)> = xc
        .iter()
        .zip(&yc)
        .map(|(&p, &q)| (p as i64, Some(q as i64)))
        .collect();
    if let Some(z) = a.opt(2) {
        let Some(zs) = as_str(vm, z) else {
            return Err(vm.type_error(format!(
                "maketrans() argument 3 must be str, not {}",
                vm.type_name(z)
            )));
        };
        pairs.extend(vm.sp.str_of(zs).chars().map(|c| (c as i64, None)));
    }
    for (k, v) in pairs {
        let kv = vm.sp.new_int(k);
        let kr = vm.push_root(kv);
        let vv = match v {
            Some(v) => vm.sp.new_int(v),
            None => vm.sp.none,
        };
        let kv = vm.root(kr);
        let d = vm.root(dr);
        vm.dict_setitem(d, kv, vv)?;
        vm.reset_roots(kr);
    }
    Ok(vm.root(dr))
}

fn str_translate(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "str", "translate", (1, 1), Style::Exact, &[])?;
    let s = this(vm, a, "translate")?;
    let text = vm.str_owned(s);
    let mut cache: std::collections::HashMap<char, Option<String>> =
        std::collections::HashMap::new();
    let mut out = String::with_capacity(text.len());
    let lookup_error = vm.sp.t.lookup_error;
    for c in text.chars() {
        if let Some(r) = cache.get(&c) {
            if let Some(r) = r {
                out.push_str(r);
            }
            continue;
        }
        let mark = vm.mark();
        let key = vm.sp.new_int(c as i64);
        let table = a.get(1);
        let mapped: Option<String> = match vm.getitem(table, key) {
            Err(e) => {
                if vm.exc_is(lookup_error) {
                    vm.take_exc();
                    Some(c.to_string())
                } else {
                    return Err(e);
                }
            }
            Ok(v) if v.is(vm.sp.none) => None,
            Ok(v) => {
                if let Some(vs) = as_str(vm, v) {
                    Some(vm.str_owned(vs))
                } else if vm.sp.is_int_layout(vm.unwrap_builtin(v)) {
                    let n = vm.index_value(v)?;
                    match u32::try_from(n).ok().and_then(char::from_u32) {
                        Some(ch) if n <= 0x10ffff => Some(ch.to_string()),
                        _ => {
                            return Err(
                                vm.value_error("character mapping must be in range(0x110000)")
                            )
                        }
                    }
                } else {
                    return Err(vm.type_error("character mapping must return integer, None or str"));
                }
            }
        };
        vm.reset_roots(mark);
        if let Some(m) = &mapped {
            out.push_str(m);
        }
        cache.insert(c, mapped);
    }
    Ok(vm.sp.new_str(&out))
}

// ---------------------------------------------------------------- dunders

fn str_str(vm: &mut Vm, a: &Args) -> PyResult {
    let s = this(vm, a, "__str__")?;
    Ok(exact(vm, a.get(0), s))
}

fn str_repr(vm: &mut Vm, a: &Args) -> PyResult {
    let s = this(vm, a, "__repr__")?;
    let r = crate::vm::repr::repr_str(vm.sp.str_of(s));
    Ok(vm.sp.new_str(&r))
}

fn str_len(vm: &mut Vm, a: &Args) -> PyResult {
    let s = this(vm, a, "__len__")?;
    let n = vm.sp.str_nchars(s);
    Ok(vm.sp.new_int(n as i64))
}

fn str_contains(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "str", "__contains__", (1, 1), Style::Exact, &[])?;
    let s = this(vm, a, "__contains__")?;
    let x = a.get(1);
    let Some(x) = as_str(vm, x) else {
        return Err(vm.type_error(format!(
            "'in <string>' requires string as left operand, not {}",
            vm.type_name(x)
        )));
    };
    let r = vm.sp.str_of(s).contains(vm.sp.str_of(x));
    Ok(vm.sp.new_bool(r))
}

fn str_getnewargs(vm: &mut Vm, a: &Args) -> PyResult {
    let s = this(vm, a, "__getnewargs__")?;
    let t = vm.str_owned(s);
    let v = vm.sp.new_str(&t);
    Ok(vm.sp.new_tuple(&[v]))
}
