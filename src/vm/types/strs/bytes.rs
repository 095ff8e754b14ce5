//! `bytes` and `bytearray`: the constructors, the methods both share (searching,
//! splitting, case, predicates, `hex`/`fromhex`, `decode`), the mutators of
//! `bytearray`, and the codecs (`str.encode`, `bytes.decode`: UTF-8, ASCII, Latin-1,
//! with the usual error handlers and CPython's `UnicodeError` details).
//!
//! A method reads its subject's bytes once (`vm.bytes_like` copies them), computes in
//! Rust, and builds a result of the subject's own kind (bytes for bytes, bytearray for
//! bytearray). Mutators write the whole buffer back with `vm.bytearray_set`.

use super::{adjust, arg, as_str, int_arg, sig, slice_arg, Style};
use crate::vm::{Args, NativeFn, PyResult, Vm};
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// Installs the bytes/bytearray methods.
pub fn install(vm: &mut Vm) {
    let shared: &[(&'static str, NativeFn)] = &[
        ("decode", b_decode),
        ("hex", b_hex),
        ("join", b_join),
        ("split", b_split),
        ("rsplit", b_rsplit),
        ("splitlines", b_splitlines),
        ("strip", b_strip),
        ("lstrip", b_lstrip),
        ("rstrip", b_rstrip),
        ("startswith", b_startswith),
        ("endswith", b_endswith),
        ("find", b_find),
        ("rfind", b_rfind),
        ("index", b_index),
        ("rindex", b_rindex),
        ("count", b_count),
        ("replace", b_replace),
        ("upper", b_upper),
        ("lower", b_lower),
        ("swapcase", b_swapcase),
        ("title", b_title),
        ("capitalize", b_capitalize),
        ("isalpha", b_isalpha),
        ("isdigit", b_isdigit),
        ("isalnum", b_isalnum),
        ("isspace", b_isspace),
        ("isupper", b_isupper),
        ("islower", b_islower),
        ("isascii", b_isascii),
        ("partition", b_partition),
        ("rpartition", b_rpartition),
        ("center", b_center),
        ("ljust", b_ljust),
        ("rjust", b_rjust),
        ("zfill", b_zfill),
        ("removeprefix", b_removeprefix),
        ("removesuffix", b_removesuffix),
        ("translate", b_translate),
        ("expandtabs", b_expandtabs),
    ];
    for ty in [vm.sp.t.bytes, vm.sp.t.bytearray] {
        for &(name, f) in shared {
            vm.add_method(ty, name, f);
        }
    }
    let (sm, cm) = (vm.sp.t.staticmethod, vm.sp.t.classmethod);
    for ty in [vm.sp.t.bytes, vm.sp.t.bytearray] {
        super::add_wrapped(vm, ty, "maketrans", b_maketrans, sm);
        super::add_wrapped(vm, ty, "fromhex", b_fromhex, cm);
    }
    vm.add_method(vm.sp.t.bytes, "__bytes__", b_bytes);
    let ba: &[(&'static str, NativeFn)] = &[
        ("append", ba_append),
        ("extend", ba_extend),
        ("pop", ba_pop),
        ("clear", ba_clear),
        ("copy", ba_copy),
        ("insert", ba_insert),
        ("reverse", ba_reverse),
        ("remove", ba_remove),
    ];
    for &(name, f) in ba {
        vm.add_method(vm.sp.t.bytearray, name, f);
    }
}

// ---------------------------------------------------------------- constructors

/// The bytes a constructor argument stands for (`bytes(x)`, `bytearray(x)`).
fn bytes_from(vm: &mut Vm, a: &Args, what: &str) -> PyResult<Vec<u8>> {
    let x = a.opt(0).or_else(|| a.kw(&vm.sp, "source"));
    let enc = a.opt(1).or_else(|| a.kw(&vm.sp, "encoding"));
    let errors = a.opt(2).or_else(|| a.kw(&vm.sp, "errors"));
    let Some(x) = x else {
        if enc.is_some() || errors.is_some() {
            let m = if enc.is_some() {
                "encoding without a string argument"
            } else {
                "errors without a string argument"
            };
            return Err(vm.type_error(m));
        }
        return Ok(Vec::new());
    };
    if let Some(s) = as_str(vm, x) {
        let Some(e) = enc else {
            return Err(vm.type_error("string argument without an encoding"));
        };
        let e = text_arg(vm, e, what, "encoding", 2)?;
        let er = match errors {
            Some(v) => text_arg(vm, v, what, "errors", 3)?,
            None => "strict".to_owned(),
        };
        let s = as_str(vm, a.get(0)).unwrap_or(s);
        let text = vm.str_owned(s);
        return encode(vm, &text, &e, &er);
    }
    if enc.is_some() {
        return Err(vm.type_error("encoding without a string argument"));
    }
    if errors.is_some() {
        return Err(vm.type_error("errors without a string argument"));
    }
    if let Some(b) = vm.bytes_like(x) {
        return Ok(b);
    }
    let u = vm.unwrap_builtin(x);
    if vm.sp.is_int_layout(u) {
        let n = int_arg(vm, x)?;
        if n < 0 {
            return Err(vm.value_error("negative count"));
        }
        return Ok(vec![0; n as usize]);
    }
    if x.layout() == l::INSTANCE {
        let name = vm.name("__bytes__");
        if let Some(r) = vm.call_special(x, name, &[])? {
            if r.layout() != l::BYTES {
                return Err(vm.type_error(format!(
                    "__bytes__ returned non-bytes (type {})",
                    vm.type_name(r)
                )));
            }
            return Ok(vm.sp.bytes_of(r).to_vec());
        }
        if vm.lookup_type_attr(x.ty(), vm.n.index).is_some() {
            let n = vm.index_value(x)?;
            if n < 0 {
                return Err(vm.value_error("negative count"));
            }
            return Ok(vec![0; n as usize]);
        }
    }
    if u.layout() == l::FLOAT {
        return Err(vm.type_error(format!(
            "cannot convert '{}' object to {what}",
            vm.type_name(x)
        )));
    }
    let x = a.opt(0).or_else(|| a.kw(&vm.sp, "source")).expect("source");
    let lst = match vm.list_from_iter(x) {
        Ok(l) => l,
        Err(e) => {
            if vm.exc_is(vm.sp.t.type_error) {
                vm.take_exc();
                let x = a.opt(0).or_else(|| a.kw(&vm.sp, "source")).expect("source");
                return Err(vm.type_error(format!(
                    "cannot convert '{}' object to {what}",
                    vm.type_name(x)
                )));
            }
            return Err(e);
        }
    };
    ints_to_bytes(vm, lst, "bytes must be in range(0, 256)")
}

/// The bytes of a list of ints (each `__index__`, in range(256)).
fn ints_to_bytes(vm: &mut Vm, lst: Value, range_msg: &str) -> PyResult<Vec<u8>> {
    let r = vm.push_root(lst);
    let n = vm.sp.list_len(lst);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let lst = vm.root(r);
        let Some(&v) = vm.sp.list_items(lst).get(i) else {
            break;
        };
        out.push(byte_value(vm, v, range_msg)?);
    }
    vm.reset_roots(r);
    Ok(out)
}

/// The message for a single byte out of range.
const BYTE_RANGE: &str = "byte must be in range(0, 256)";

/// An int in range(256), as bytes items are.
fn byte_value(vm: &mut Vm, v: Value, range_msg: &str) -> PyResult<u8> {
    let u = vm.unwrap_builtin(v);
    let n = if let Some(n) = vm.sp.small_int(u) {
        n
    } else if u.layout() == l::BIGINT {
        -1
    } else {
        vm.index_value(v)?
    };
    if !(0..256).contains(&n) {
        return Err(vm.value_error(range_msg));
    }
    Ok(n as u8)
}

/// A str argument's text (`encoding`, `errors`).
fn text_arg(vm: &mut Vm, v: Value, f: &str, what: &str, pos: usize) -> PyResult<String> {
    match as_str(vm, v) {
        Some(s) => Ok(vm.str_owned(s)),
        None => Err(vm.type_error(format!(
            "{f}() argument {} must be str, not {}",
            if what.is_empty() {
                pos.to_string()
            } else {
                format!("'{what}'")
            },
            vm.type_name(v)
        ))),
    }
}

/// `bytes(...)`.
pub fn bytes_new(vm: &mut Vm, a: &Args) -> PyResult {
    if a.len() == 1 && a.nkw() == 0 {
        let x = a.get(0);
        if x.layout() == l::BYTES && x.ty().is(vm.sp.t.bytes) {
            return Ok(x);
        }
    }
    let b = bytes_from(vm, a, "bytes")?;
    Ok(vm.sp.new_bytes(&b))
}

/// `bytearray(...)`.
pub fn bytearray_new(vm: &mut Vm, a: &Args) -> PyResult {
    let b = bytes_from(vm, a, "bytearray")?;
    Ok(vm.new_bytearray(&b))
}

// ---------------------------------------------------------------- codecs

#[derive(Clone, Copy, PartialEq, Eq)]
enum Codec {
    Utf8,
    Ascii,
    Latin1,
}

impl Codec {
    fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
        }
    }
}

fn codec(vm: &mut Vm, enc: &str) -> PyResult<Codec> {
    let norm: String = enc
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    match norm.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "cp65001" | "utf_8_sig" => Ok(Codec::Utf8),
        "ascii" | "us_ascii" | "646" | "us" => Ok(Codec::Ascii),
        "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819"
        | "iso_ir_100" => Ok(Codec::Latin1),
        _ => Err(vm.err(vm.sp.t.lookup_error, format!("unknown encoding: {enc}"))),
    }
}

/// Whether `enc` names UTF-8 with a byte-order mark (`utf-8-sig`).
fn is_sig(enc: &str) -> bool {
    enc.trim().to_ascii_lowercase().replace('-', "_") == "utf_8_sig"
}

/// Raises a `UnicodeEncodeError`/`UnicodeDecodeError` with CPython's message and the
/// `encoding`, `object`, `start`, `end`, `reason` attributes.
fn unicode_error(
    vm: &mut Vm,
    decode: bool,
    c: Codec,
    object: Value,
    (start, end): (usize, usize),
    reason: &str,
    what: &str,
) -> crate::vm::Raised {
    let r = vm.push_root(object);
    let (ty, verb) = if decode {
        (vm.sp.t.unicode_decode_error, "decode")
    } else {
        (vm.sp.t.unicode_encode_error, "encode")
    };
    let msg = if end - start == 1 {
        format!(
            "'{}' codec can't {verb} {what} in position {start}: {reason}",
            c.name()
        )
    } else {
        let plural = if decode { "bytes" } else { "characters" };
        format!(
            "'{}' codec can't {verb} {plural} in position {}-{}: {reason}",
            c.name(),
            start,
            end - 1
        )
    };
    let e = vm.new_exception_msg(ty, &msg);
    let er = vm.push_root(e);
    let attrs: [(&str, Option<Value>); 5] = [
        ("encoding", Some(vm.sp.new_str(c.name()))),
        ("object", None),
        ("start", Some(vm.sp.new_int(start as i64))),
        ("end", Some(vm.sp.new_int(end as i64))),
        ("reason", Some(vm.sp.new_str(reason))),
    ];
    for (k, v) in attrs {
        let v = v.unwrap_or_else(|| vm.root(r));
        let k = vm.name(k);
        let e = vm.root(er);
        vm.set_exc_attr(e, k, v);
    }
    let e = vm.root(er);
    vm.reset_roots(r);
    vm.raise(e)
}

/// Encodes `text` (`str.encode`, `bytes(s, enc)`).
pub fn encode(vm: &mut Vm, text: &str, enc: &str, errors: &str) -> PyResult<Vec<u8>> {
    let c = codec(vm, enc)?;
    if c == Codec::Utf8 {
        let mut out = Vec::with_capacity(text.len() + 3);
        if is_sig(enc) {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        out.extend_from_slice(text.as_bytes());
        return Ok(out);
    }
    let limit: u32 = if c == Codec::Ascii { 0x80 } else { 0x100 };
    let mut out = Vec::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if (ch as u32) < limit {
            out.push(ch as u32 as u8);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j] as u32 >= limit {
            j += 1;
        }
        match errors {
            "strict" => {
                let obj = vm.sp.new_str(text);
                let what = format!("character '{}'", escape_char(ch));
                let reason = format!("ordinal not in range({limit})");
                return Err(unicode_error(vm, false, c, obj, (i, j), &reason, &what));
            }
            "ignore" => {}
            "replace" => out.extend(std::iter::repeat_n(b'?', j - i)),
            "backslashreplace" => {
                for &x in &chars[i..j] {
                    out.extend(escape_char(x).bytes());
                }
            }
            "xmlcharrefreplace" => {
                for &x in &chars[i..j] {
                    out.extend(format!("&#{};", x as u32).bytes());
                }
            }
            _ => {
                return Err(vm.err(
                    vm.sp.t.lookup_error,
                    format!("unknown error handler name '{errors}'"),
                ))
            }
        }
        i = j;
    }
    Ok(out)
}

/// `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
fn escape_char(c: char) -> String {
    let n = c as u32;
    if n < 0x100 {
        format!("\\x{n:02x}")
    } else if n < 0x10000 {
        format!("\\u{n:04x}")
    } else {
        format!("\\U{n:08x}")
    }
}

/// Decodes `b` (`bytes.decode`, `str(b, enc)`).
pub fn decode(vm: &mut Vm, b: &[u8], enc: &str, errors: &str) -> PyResult<String> {
    let c = codec(vm, enc)?;
    match c {
        Codec::Latin1 => return Ok(b.iter().map(|&x| x as char).collect()),
        Codec::Ascii => {
            if b.is_ascii() {
                // SAFETY: ASCII is valid UTF-8.
                return Ok(unsafe { std::str::from_utf8_unchecked(b) }.to_owned());
            }
        }
        Codec::Utf8 => {
            if let Ok(s) = std::str::from_utf8(b) {
                let s = if is_sig(enc) {
                    s.strip_prefix('\u{feff}').unwrap_or(s)
                } else {
                    s
                };
                return Ok(s.to_owned());
            }
        }
    }
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        // The next bad run: [i + valid, i + valid + bad).
        let (valid, bad, reason) = if c == Codec::Ascii {
            let v = b[i..]
                .iter()
                .position(|&x| x >= 0x80)
                .unwrap_or(b.len() - i);
            (v, 1, "ordinal not in range(128)")
        } else {
            match std::str::from_utf8(&b[i..]) {
                Ok(_) => (b.len() - i, 0, ""),
                Err(e) => {
                    let v = e.valid_up_to();
                    let first = b[i + v];
                    match e.error_len() {
                        _ if (0x80..0xc2).contains(&first) || first >= 0xf5 => {
                            (v, 1, "invalid start byte")
                        }
                        None => (v, b.len() - i - v, "unexpected end of data"),
                        Some(n) => (v, n, "invalid continuation byte"),
                    }
                }
            }
        };
        // SAFETY: validated above (ASCII run or UTF-8 prefix).
        out.push_str(unsafe { std::str::from_utf8_unchecked(&b[i..i + valid]) });
        i += valid;
        if bad == 0 {
            break;
        }
        match errors {
            "strict" => {
                let obj = vm.sp.new_bytes(b);
                let what = format!("byte 0x{:02x}", b[i]);
                return Err(unicode_error(vm, true, c, obj, (i, i + bad), reason, &what));
            }
            "ignore" => {}
            "replace" => out.push('\u{fffd}'),
            "backslashreplace" => {
                for &x in &b[i..i + bad] {
                    out.push_str(&format!("\\x{x:02x}"));
                }
            }
            _ => {
                return Err(vm.err(
                    vm.sp.t.lookup_error,
                    format!("unknown error handler name '{errors}'"),
                ))
            }
        }
        i += bad;
    }
    Ok(out)
}

/// `str.encode(encoding='utf-8', errors='strict')`.
pub fn str_encode(vm: &mut Vm, a: &Args) -> PyResult {
    sig(
        vm,
        a,
        "str",
        "encode",
        (0, 2),
        Style::Kw,
        &["encoding", "errors"],
    )?;
    let Some(s) = as_str(vm, a.get(0)) else {
        return Err(vm.type_error(format!(
            "descriptor 'encode' for 'str' objects doesn't apply to a '{}' object",
            vm.type_name(a.get(0))
        )));
    };
    let text = vm.str_owned(s);
    let enc = match arg(vm, a, 0, "encoding") {
        Some(v) => text_arg(vm, v, "encode", "encoding", 1)?,
        None => "utf-8".to_owned(),
    };
    let errors = match arg(vm, a, 1, "errors") {
        Some(v) => text_arg(vm, v, "encode", "errors", 2)?,
        None => "strict".to_owned(),
    };
    let b = encode(vm, &text, &enc, &errors)?;
    Ok(vm.sp.new_bytes(&b))
}

fn b_decode(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, b, _) = this(vm, a, "decode")?;
    sig(
        vm,
        a,
        tn,
        "decode",
        (0, 2),
        Style::Kw,
        &["encoding", "errors"],
    )?;
    let enc = match arg(vm, a, 0, "encoding") {
        Some(v) => text_arg(vm, v, "decode", "encoding", 1)?,
        None => "utf-8".to_owned(),
    };
    let errors = match arg(vm, a, 1, "errors") {
        Some(v) => text_arg(vm, v, "decode", "errors", 2)?,
        None => "strict".to_owned(),
    };
    let s = decode(vm, &b, &enc, &errors)?;
    Ok(vm.sp.new_str(&s))
}

// ---------------------------------------------------------------- shared helpers

/// `self` of a bytes/bytearray method: (type name, its bytes, whether a bytearray).
fn this(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(&'static str, Vec<u8>, bool)> {
    let Some(v) = a.opt(0) else {
        return Err(vm.type_error(format!("unbound method {name}() needs an argument")));
    };
    let u = vm.unwrap_builtin(v);
    match (u.layout(), vm.bytes_like(u)) {
        (l::BYTES, Some(b)) => Ok(("bytes", b, false)),
        (l::BYTEARRAY, Some(b)) => Ok(("bytearray", b, true)),
        _ => Err(vm.type_error(format!(
            "descriptor '{name}' for 'bytes' objects doesn't apply to a '{}' object",
            vm.type_name(v)
        ))),
    }
}

/// A result of the subject's kind.
fn mk(vm: &mut Vm, ba: bool, b: &[u8]) -> Value {
    if ba {
        vm.new_bytearray(b)
    } else {
        vm.sp.new_bytes(b)
    }
}

/// A bytes-like argument.
fn buf_arg(vm: &mut Vm, v: Value) -> PyResult<Vec<u8>> {
    match vm.bytes_like(v) {
        Some(b) => Ok(b),
        None => Err(vm.type_error(format!(
            "a bytes-like object is required, not '{}'",
            vm.type_name(v)
        ))),
    }
}

/// The needle of find/count/index: bytes-like or an int in range(256).
fn needle_arg(vm: &mut Vm, v: Value) -> PyResult<Vec<u8>> {
    if let Some(b) = vm.bytes_like(v) {
        return Ok(b);
    }
    let u = vm.unwrap_builtin(v);
    if vm.sp.is_int_layout(u) || v.layout() == l::INSTANCE {
        let n = match vm.sp.small_int(u) {
            Some(n) => n,
            None if u.layout() == l::BIGINT => -1,
            None => {
                if vm.lookup_type_attr(v.ty(), vm.n.index).is_none() {
                    return Err(vm.type_error(format!(
                        "argument should be integer or bytes-like object, not '{}'",
                        vm.type_name(v)
                    )));
                }
                vm.index_value(v)?
            }
        };
        if !(0..256).contains(&n) {
            return Err(vm.value_error("byte must be in range(0, 256)"));
        }
        return Ok(vec![n as u8]);
    }
    Err(vm.type_error(format!(
        "argument should be integer or bytes-like object, not '{}'",
        vm.type_name(v)
    )))
}

/// First occurrence of `n` in `h`.
pub fn find_sub(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(0);
    }
    if n.len() > h.len() {
        return None;
    }
    if n.len() == 1 {
        return h.iter().position(|&c| c == n[0]);
    }
    h.windows(n.len()).position(|w| w == n)
}

/// Last occurrence of `n` in `h`.
pub fn rfind_sub(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(h.len());
    }
    if n.len() > h.len() {
        return None;
    }
    h.windows(n.len()).rposition(|w| w == n)
}

/// Start offsets of the non-overlapping occurrences of non-empty `n`, left to right.
fn match_positions(h: &[u8], n: &[u8], max: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < max {
        match find_sub(&h[i..], n) {
            Some(p) => {
                out.push(i + p);
                i += p + n.len();
            }
            None => break,
        }
    }
    out
}

fn is_bspace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// A list of results of the subject's kind.
fn mk_list(vm: &mut Vm, ba: bool, parts: &[&[u8]]) -> Value {
    let items: Vec<Value> = parts.iter().map(|p| mk(vm, ba, p)).collect();
    vm.sp.new_list(&items)
}

// ---------------------------------------------------------------- methods

fn b_join(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, _, _) = this(vm, a, "join")?;
    sig(vm, a, tn, "join", (1, 1), Style::Exact, &[])?;
    let lst = vm.list_from_iter(a.get(1))?;
    let (_, sep, ba) = this(vm, a, "join")?;
    let mut out = Vec::new();
    for (i, &x) in vm.sp.list_items(lst).to_vec().iter().enumerate() {
        let Some(b) = vm.bytes_like(x) else {
            return Err(vm.type_error(format!(
                "sequence item {i}: expected a bytes-like object, {} found",
                vm.type_name(x)
            )));
        };
        if i > 0 {
            out.extend_from_slice(&sep);
        }
        out.extend_from_slice(&b);
    }
    Ok(mk(vm, ba, &out))
}

/// The `sep` of split/rsplit (None: whitespace).
fn bsep(vm: &mut Vm, a: &Args) -> PyResult<Option<Vec<u8>>> {
    match arg(vm, a, 0, "sep") {
        None => Ok(None),
        Some(v) if v.is(vm.sp.none) => Ok(None),
        Some(v) => {
            let b = buf_arg(vm, v)?;
            if b.is_empty() {
                return Err(vm.value_error("empty separator"));
            }
            Ok(Some(b))
        }
    }
}

fn bmax(vm: &mut Vm, a: &Args) -> PyResult<usize> {
    match arg(vm, a, 1, "maxsplit") {
        None => Ok(usize::MAX),
        Some(v) => {
            let n = int_arg(vm, v)?;
            Ok(if n < 0 { usize::MAX } else { n as usize })
        }
    }
}

fn b_split(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, _, _) = this(vm, a, "split")?;
    sig(vm, a, tn, "split", (0, 2), Style::Kw, &["sep", "maxsplit"])?;
    let sep = bsep(vm, a)?;
    let max = bmax(vm, a)?;
    let (_, b, ba) = this(vm, a, "split")?;
    let parts: Vec<&[u8]> = match &sep {
        None => {
            // Whitespace mode on the latin-1 view (one char per byte).
            let mut out = Vec::new();
            let mut i = 0;
            while i < b.len() && is_bspace(b[i]) {
                i += 1;
            }
            while i < b.len() {
                if out.len() == max {
                    out.push(&b[i..]);
                    break;
                }
                let mut j = i;
                while j < b.len() && !is_bspace(b[j]) {
                    j += 1;
                }
                out.push(&b[i..j]);
                i = j;
                while i < b.len() && is_bspace(b[i]) {
                    i += 1;
                }
            }
            out
        }
        Some(p) => {
            let pos = match_positions(&b, p, max);
            let mut out = Vec::new();
            let mut prev = 0;
            for q in pos {
                out.push(&b[prev..q]);
                prev = q + p.len();
            }
            out.push(&b[prev..]);
            out
        }
    };
    Ok(mk_list(vm, ba, &parts))
}

fn b_rsplit(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, _, _) = this(vm, a, "rsplit")?;
    sig(vm, a, tn, "rsplit", (0, 2), Style::Kw, &["sep", "maxsplit"])?;
    let sep = bsep(vm, a)?;
    let max = bmax(vm, a)?;
    let (_, b, ba) = this(vm, a, "rsplit")?;
    let mut parts: Vec<&[u8]> = Vec::new();
    match &sep {
        None => {
            let mut e = b.len();
            while e > 0 && is_bspace(b[e - 1]) {
                e -= 1;
            }
            while e > 0 {
                if parts.len() == max {
                    parts.push(&b[..e]);
                    break;
                }
                let mut s = e;
                while s > 0 && !is_bspace(b[s - 1]) {
                    s -= 1;
                }
                parts.push(&b[s..e]);
                e = s;
                while e > 0 && is_bspace(b[e - 1]) {
                    e -= 1;
                }
            }
        }
        Some(p) => {
            let mut e = b.len();
            while parts.len() < max {
                match rfind_sub(&b[..e], p) {
                    Some(q) => {
                        parts.push(&b[q + p.len()..e]);
                        e = q;
                    }
                    None => break,
                }
            }
            parts.push(&b[..e]);
        }
    }
    parts.reverse();
    Ok(mk_list(vm, ba, &parts))
}

fn b_splitlines(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, _, _) = this(vm, a, "splitlines")?;
    sig(vm, a, tn, "splitlines", (0, 1), Style::Kw, &["keepends"])?;
    let keep = match arg(vm, a, 0, "keepends") {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let (_, b, ba) = this(vm, a, "splitlines")?;
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            let mut end = i + 1;
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                end += 1;
            }
            parts.push(if keep { &b[start..end] } else { &b[start..i] });
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    if start < b.len() {
        parts.push(&b[start..]);
    }
    Ok(mk_list(vm, ba, &parts))
}

fn bstrip(vm: &mut Vm, a: &Args, name: &str, left: bool, right: bool) -> PyResult {
    let (tn, _, _) = this(vm, a, name)?;
    sig(vm, a, tn, name, (0, 1), Style::Range, &[])?;
    let set = match a.opt(1) {
        Some(v) if !v.is(vm.sp.none) => Some(buf_arg(vm, v)?),
        _ => None,
    };
    let (_, b, ba) = this(vm, a, name)?;
    let strip = |c: u8| match &set {
        None => is_bspace(c),
        Some(s) => s.contains(&c),
    };
    let (mut i, mut j) = (0, b.len());
    if left {
        while i < j && strip(b[i]) {
            i += 1;
        }
    }
    if right {
        while j > i && strip(b[j - 1]) {
            j -= 1;
        }
    }
    Ok(mk(vm, ba, &b[i..j]))
}

fn b_strip(vm: &mut Vm, a: &Args) -> PyResult {
    bstrip(vm, a, "strip", true, true)
}

fn b_lstrip(vm: &mut Vm, a: &Args) -> PyResult {
    bstrip(vm, a, "lstrip", true, false)
}

fn b_rstrip(vm: &mut Vm, a: &Args) -> PyResult {
    bstrip(vm, a, "rstrip", false, true)
}

fn b_starts_ends(vm: &mut Vm, a: &Args, name: &str, end_side: bool) -> PyResult {
    let (tn, _, _) = this(vm, a, name)?;
    sig(vm, a, tn, name, (1, 3), Style::Range, &[])?;
    let start = slice_arg(vm, a.opt(2))?;
    let end = slice_arg(vm, a.opt(3))?;
    let p = a.get(1);
    let cands: Vec<Vec<u8>> = if p.layout() == l::TUPLE {
        let n = vm.sp.tuple_len(p);
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            let x = vm.sp.tuple_items(a.get(1))[i];
            match vm.bytes_like(x) {
                Some(b) => v.push(b),
                None => {
                    return Err(vm.type_error(format!(
                        "a bytes-like object is required, not '{}'",
                        vm.type_name(x)
                    )))
                }
            }
        }
        v
    } else {
        match vm.bytes_like(p) {
            Some(b) => vec![b],
            None => {
                return Err(vm.type_error(format!(
                    "{name} first arg must be bytes or a tuple of bytes, not {}",
                    vm.type_name(p)
                )))
            }
        }
    };
    let (_, b, _) = this(vm, a, name)?;
    let (st, en) = adjust(start, end, b.len());
    let hit = st <= b.len() as i64
        && en >= st
        && cands.iter().any(|c| {
            let h = &b[st as usize..en as usize];
            if end_side {
                h.ends_with(c)
            } else {
                h.starts_with(c)
            }
        });
    Ok(vm.sp.new_bool(hit))
}

fn b_startswith(vm: &mut Vm, a: &Args) -> PyResult {
    b_starts_ends(vm, a, "startswith", false)
}

fn b_endswith(vm: &mut Vm, a: &Args) -> PyResult {
    b_starts_ends(vm, a, "endswith", true)
}

/// find/rfind/index/rindex/count: (subject, needle, start, end) adjusted.
fn bsearch(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(Vec<u8>, Vec<u8>, i64, i64)> {
    let (tn, _, _) = this(vm, a, name)?;
    if a.nkw() > 0 {
        return Err(vm.type_error(format!("{tn}.{name}() takes no keyword arguments")));
    }
    sig(vm, a, tn, name, (1, 3), Style::Old, &[])?;
    let sub = needle_arg(vm, a.get(1))?;
    let start = slice_arg(vm, a.opt(2))?;
    let end = slice_arg(vm, a.opt(3))?;
    let (_, b, _) = this(vm, a, name)?;
    let (st, en) = adjust(start, end, b.len());
    Ok((b, sub, st, en))
}

fn bfind(b: &[u8], sub: &[u8], st: i64, en: i64, rev: bool) -> i64 {
    if en - st < sub.len() as i64 {
        return -1;
    }
    let h = &b[st as usize..en as usize];
    let r = if rev {
        rfind_sub(h, sub)
    } else {
        find_sub(h, sub)
    };
    r.map_or(-1, |p| st + p as i64)
}

fn b_find(vm: &mut Vm, a: &Args) -> PyResult {
    let (b, s, st, en) = bsearch(vm, a, "find")?;
    Ok(vm.sp.new_int(bfind(&b, &s, st, en, false)))
}

fn b_rfind(vm: &mut Vm, a: &Args) -> PyResult {
    let (b, s, st, en) = bsearch(vm, a, "rfind")?;
    Ok(vm.sp.new_int(bfind(&b, &s, st, en, true)))
}

fn b_index(vm: &mut Vm, a: &Args) -> PyResult {
    let (b, s, st, en) = bsearch(vm, a, "index")?;
    match bfind(&b, &s, st, en, false) {
        -1 => Err(vm.value_error("subsection not found")),
        r => Ok(vm.sp.new_int(r)),
    }
}

fn b_rindex(vm: &mut Vm, a: &Args) -> PyResult {
    let (b, s, st, en) = bsearch(vm, a, "rindex")?;
    match bfind(&b, &s, st, en, true) {
        -1 => Err(vm.value_error("subsection not found")),
        r => Ok(vm.sp.new_int(r)),
    }
}

fn b_count(vm: &mut Vm, a: &Args) -> PyResult {
    let (b, s, st, en) = bsearch(vm, a, "count")?;
    let r = if st > b.len() as i64 || en < st {
        0
    } else if s.is_empty() {
        (en - st + 1) as usize
    } else {
        match_positions(&b[st as usize..en as usize], &s, usize::MAX).len()
    };
    Ok(vm.sp.new_int(r as i64))
}

fn b_replace(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, _, _) = this(vm, a, "replace")?;
    sig(vm, a, tn, "replace", (2, 3), Style::Range, &[])?;
    let old = buf_arg(vm, a.get(1))?;
    let new = buf_arg(vm, a.get(2))?;
    let count = match a.opt(3) {
        Some(v) => int_arg(vm, v)?,
        None => -1,
    };
    let (_, b, ba) = this(vm, a, "replace")?;
    let max = if count < 0 {
        usize::MAX
    } else {
        count as usize
    };
    let mut out = Vec::with_capacity(b.len());
    if old.is_empty() {
        let mut k = 0;
        for (i, &c) in b.iter().enumerate() {
            if k < max {
                out.extend_from_slice(&new);
                k += 1;
            }
            out.push(c);
            let _ = i;
        }
        if k < max {
            out.extend_from_slice(&new);
        }
    } else {
        let mut prev = 0;
        for q in match_positions(&b, &old, max) {
            out.extend_from_slice(&b[prev..q]);
            out.extend_from_slice(&new);
            prev = q + old.len();
        }
        out.extend_from_slice(&b[prev..]);
    }
    Ok(mk(vm, ba, &out))
}

/// A no-argument method mapping the bytes.
fn bmap(vm: &mut Vm, a: &Args, name: &str, f: fn(&[u8]) -> Vec<u8>) -> PyResult {
    let (tn, b, ba) = this(vm, a, name)?;
    sig(vm, a, tn, name, (0, 0), Style::Exact, &[])?;
    let r = f(&b);
    Ok(mk(vm, ba, &r))
}

fn b_upper(vm: &mut Vm, a: &Args) -> PyResult {
    bmap(vm, a, "upper", <[u8]>::to_ascii_uppercase)
}

fn b_lower(vm: &mut Vm, a: &Args) -> PyResult {
    bmap(vm, a, "lower", <[u8]>::to_ascii_lowercase)
}

fn b_swapcase(vm: &mut Vm, a: &Args) -> PyResult {
    bmap(vm, a, "swapcase", |b| {
        b.iter()
            .map(|&c| {
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect()
    })
}

fn b_title(vm: &mut Vm, a: &Args) -> PyResult {
    bmap(vm, a, "title", |b| {
        let mut prev = false;
        b.iter()
            .map(|&c| {
                let r = if prev {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                };
                prev = c.is_ascii_alphabetic();
                r
            })
            .collect()
    })
}

fn b_capitalize(vm: &mut Vm, a: &Args) -> PyResult {
    bmap(vm, a, "capitalize", |b| {
        b.iter()
            .enumerate()
            .map(|(i, &c)| {
                if i == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    })
}

/// A no-argument predicate over the bytes.
fn bpred(vm: &mut Vm, a: &Args, name: &str, f: fn(&[u8]) -> bool) -> PyResult {
    let (tn, b, _) = this(vm, a, name)?;
    sig(vm, a, tn, name, (0, 0), Style::Exact, &[])?;
    let r = f(&b);
    Ok(vm.sp.new_bool(r))
}

fn b_isalpha(vm: &mut Vm, a: &Args) -> PyResult {
    bpred(vm, a, "isalpha", |b| {
        !b.is_empty() && b.iter().all(u8::is_ascii_alphabetic)
    })
}

fn b_isdigit(vm: &mut Vm, a: &Args) -> PyResult {
    bpred(vm, a, "isdigit", |b| {
        !b.is_empty() && b.iter().all(u8::is_ascii_digit)
    })
}

fn b_isalnum(vm: &mut Vm, a: &Args) -> PyResult {
    bpred(vm, a, "isalnum", |b| {
        !b.is_empty() && b.iter().all(u8::is_ascii_alphanumeric)
    })
}

fn b_isspace(vm: &mut Vm, a: &Args) -> PyResult {
    bpred(vm, a, "isspace", |b| {
        !b.is_empty() && b.iter().all(|&c| is_bspace(c))
    })
}

fn b_isupper(vm: &mut Vm, a: &Args) -> PyResult {
    bpred(vm, a, "isupper", |b| {
        b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase)
    })
}

fn b_islower(vm: &mut Vm, a: &Args) -> PyResult {
    bpred(vm, a, "islower", |b| {
        b.iter().any(u8::is_ascii_lowercase) && !b.iter().any(u8::is_ascii_uppercase)
    })
}

fn b_isascii(vm: &mut Vm, a: &Args) -> PyResult {
    bpred(vm, a, "isascii", <[u8]>::is_ascii)
}

fn bpartition(vm: &mut Vm, a: &Args, name: &str, rev: bool) -> PyResult {
    let (tn, _, _) = this(vm, a, name)?;
    sig(vm, a, tn, name, (1, 1), Style::Exact, &[])?;
    let sep = buf_arg(vm, a.get(1))?;
    if sep.is_empty() {
        return Err(vm.value_error("empty separator"));
    }
    let (_, b, ba) = this(vm, a, name)?;
    let found = if rev {
        rfind_sub(&b, &sep)
    } else {
        find_sub(&b, &sep)
    };
    let parts: [&[u8]; 3] = match found {
        Some(i) => [&b[..i], &sep, &b[i + sep.len()..]],
        None if rev => [b"", b"", &b],
        None => [&b, b"", b""],
    };
    let items: Vec<Value> = parts.iter().map(|p| mk(vm, ba, p)).collect();
    Ok(vm.sp.new_tuple(&items))
}

fn b_partition(vm: &mut Vm, a: &Args) -> PyResult {
    bpartition(vm, a, "partition", false)
}

fn b_rpartition(vm: &mut Vm, a: &Args) -> PyResult {
    bpartition(vm, a, "rpartition", true)
}

fn bpad(vm: &mut Vm, a: &Args, name: &str, how: u8) -> PyResult {
    let (tn, _, _) = this(vm, a, name)?;
    sig(vm, a, tn, name, (1, 2), Style::Range, &[])?;
    let w = int_arg(vm, a.get(1))?.max(0) as usize;
    let fill = match a.opt(2) {
        None => b' ',
        Some(f) => match vm.bytes_like(f) {
            Some(fb) if fb.len() == 1 => fb[0],
            _ => {
                return Err(vm.type_error(format!(
                    "{name}() argument 2 must be a byte string of length 1, not {}",
                    vm.type_name(f)
                )))
            }
        },
    };
    let (_, b, ba) = this(vm, a, name)?;
    if b.len() >= w {
        return Ok(mk(vm, ba, &b));
    }
    let marg = w - b.len();
    let left = match how {
        b'l' => 0,
        b'r' => marg,
        _ => marg / 2 + (marg & w & 1),
    };
    let mut out = vec![fill; left];
    out.extend_from_slice(&b);
    out.resize(w, fill);
    Ok(mk(vm, ba, &out))
}

fn b_center(vm: &mut Vm, a: &Args) -> PyResult {
    bpad(vm, a, "center", b'c')
}

fn b_ljust(vm: &mut Vm, a: &Args) -> PyResult {
    bpad(vm, a, "ljust", b'l')
}

fn b_rjust(vm: &mut Vm, a: &Args) -> PyResult {
    bpad(vm, a, "rjust", b'r')
}

fn b_zfill(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, _, _) = this(vm, a, "zfill")?;
    sig(vm, a, tn, "zfill", (1, 1), Style::Exact, &[])?;
    let w = int_arg(vm, a.get(1))?.max(0) as usize;
    let (_, b, ba) = this(vm, a, "zfill")?;
    if b.len() >= w {
        return Ok(mk(vm, ba, &b));
    }
    let mut out = Vec::with_capacity(w);
    let body = match b.first() {
        Some(&c @ (b'+' | b'-')) => {
            out.push(c);
            &b[1..]
        }
        _ => &b[..],
    };
    out.resize(w - body.len(), b'0');
    out.extend_from_slice(body);
    Ok(mk(vm, ba, &out))
}

fn baffix(vm: &mut Vm, a: &Args, name: &str, suffix: bool) -> PyResult {
    let (tn, _, _) = this(vm, a, name)?;
    sig(vm, a, tn, name, (1, 1), Style::Exact, &[])?;
    let p = buf_arg(vm, a.get(1))?;
    let (_, b, ba) = this(vm, a, name)?;
    let r = if suffix {
        b.strip_suffix(&p[..])
    } else {
        b.strip_prefix(&p[..])
    };
    Ok(mk(vm, ba, r.unwrap_or(&b)))
}

fn b_removeprefix(vm: &mut Vm, a: &Args) -> PyResult {
    baffix(vm, a, "removeprefix", false)
}

fn b_removesuffix(vm: &mut Vm, a: &Args) -> PyResult {
    baffix(vm, a, "removesuffix", true)
}

fn b_expandtabs(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, _, _) = this(vm, a, "expandtabs")?;
    sig(vm, a, tn, "expandtabs", (0, 1), Style::Kw, &["tabsize"])?;
    let tab = match arg(vm, a, 0, "tabsize") {
        Some(v) => int_arg(vm, v)?,
        None => 8,
    };
    let (_, b, ba) = this(vm, a, "expandtabs")?;
    let mut out = Vec::with_capacity(b.len());
    let mut col: i64 = 0;
    for &c in &b {
        match c {
            b'\t' => {
                if tab > 0 {
                    let k = tab - col % tab;
                    out.extend(std::iter::repeat_n(b' ', k as usize));
                    col += k;
                }
            }
            b'\n' | b'\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(mk(vm, ba, &out))
}

fn b_translate(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, _, _) = this(vm, a, "translate")?;
    sig(
        vm,
        a,
        tn,
        "translate",
        (1, 2),
        Style::Kw,
        &["table", "delete"],
    )?;
    let table = match arg(vm, a, 0, "table") {
        Some(t) if !t.is(vm.sp.none) => {
            let t = buf_arg(vm, t)?;
            if t.len() != 256 {
                return Err(vm.value_error("translation table must be 256 characters long"));
            }
            Some(t)
        }
        _ => None,
    };
    let delete = match arg(vm, a, 1, "delete") {
        Some(d) => buf_arg(vm, d)?,
        None => Vec::new(),
    };
    let (_, b, ba) = this(vm, a, "translate")?;
    let out: Vec<u8> = b
        .iter()
        .filter(|c| !delete.contains(c))
        .map(|&c| table.as_ref().map_or(c, |t| t[c as usize]))
        .collect();
    Ok(mk(vm, ba, &out))
}

/// `bytes.maketrans(frm, to)` (a staticmethod).
fn b_maketrans(vm: &mut Vm, a: &Args) -> PyResult {
    super::check_args(vm, a, "maketrans", 2, 2)?;
    let f = buf_arg(vm, a.get(0))?;
    let t = buf_arg(vm, a.get(1))?;
    if f.len() != t.len() {
        return Err(vm.value_error("maketrans arguments must have same length"));
    }
    let mut table: Vec<u8> = (0..=255).collect();
    for (&x, &y) in f.iter().zip(&t) {
        table[x as usize] = y;
    }
    Ok(vm.sp.new_bytes(&table))
}

fn b_hex(vm: &mut Vm, a: &Args) -> PyResult {
    let (tn, _, _) = this(vm, a, "hex")?;
    sig(
        vm,
        a,
        tn,
        "hex",
        (0, 2),
        Style::Kw,
        &["sep", "bytes_per_sep"],
    )?;
    let sep = match arg(vm, a, 0, "sep") {
        None => None,
        Some(v) => {
            let s = match as_str(vm, v) {
                Some(s) => vm.str_owned(s),
                None => match vm.bytes_like(v) {
                    Some(b) => String::from_utf8_lossy(&b).into_owned(),
                    None => return Err(vm.type_error("sep must be str or bytes.")),
                },
            };
            if s.chars().count() != 1 {
                return Err(vm.value_error("sep must be length 1."));
            }
            Some(s)
        }
    };
    let per = match arg(vm, a, 1, "bytes_per_sep") {
        Some(v) => int_arg(vm, v)?,
        None => 1,
    };
    let (_, b, _) = this(vm, a, "hex")?;
    let mut out = String::with_capacity(b.len() * 3);
    let n = b.len();
    let group = per.unsigned_abs() as usize;
    for (i, x) in b.iter().enumerate() {
        if let (Some(s), true) = (&sep, i > 0 && group > 0) {
            // Groups count from the right for a positive bytes_per_sep.
            let boundary = if per > 0 {
                (n - i) % group == 0
            } else {
                i % group == 0
            };
            if boundary {
                out.push_str(s);
            }
        }
        out.push_str(&format!("{x:02x}"));
    }
    Ok(vm.sp.new_str(&out))
}

/// `bytes.fromhex(s)` / `bytearray.fromhex(s)` (a classmethod).
fn b_fromhex(vm: &mut Vm, a: &Args) -> PyResult {
    let cls = a.get(0);
    let tn = vm.sp.type_name(cls).to_owned();
    if a.len() != 2 || a.nkw() > 0 {
        return Err(vm.type_error(format!(
            "{tn}.fromhex() takes exactly one argument ({} given)",
            a.len() - 1
        )));
    }
    let v = a.get(1);
    let Some(s) = as_str(vm, v) else {
        return Err(vm.type_error(format!(
            "fromhex() argument must be str, not {}",
            vm.type_name(v)
        )));
    };
    let chars: Vec<char> = vm.sp.str_of(s).chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let hex = |c: Option<&char>| c.filter(|c| c.is_ascii()).and_then(|c| c.to_digit(16));
    while i < chars.len() {
        if chars[i].is_ascii_whitespace() || chars[i] == '\x0b' {
            i += 1;
            continue;
        }
        let (Some(hi), lo) = (hex(chars.get(i)), hex(chars.get(i + 1))) else {
            return Err(vm.value_error(format!(
                "non-hexadecimal number found in fromhex() arg at position {i}"
            )));
        };
        let Some(lo) = lo else {
            return Err(vm.value_error(format!(
                "non-hexadecimal number found in fromhex() arg at position {}",
                i + 1
            )));
        };
        out.push((hi * 16 + lo) as u8);
        i += 2;
    }
    let cls = a.get(0);
    if cls.is(vm.sp.t.bytes) {
        Ok(vm.sp.new_bytes(&out))
    } else if cls.is(vm.sp.t.bytearray) {
        Ok(vm.new_bytearray(&out))
    } else {
        let ba = vm.sp.is_subtype(cls, vm.sp.t.bytearray);
        let b = if ba {
            vm.new_bytearray(&out)
        } else {
            vm.sp.new_bytes(&out)
        };
        let cls = a.get(0);
        vm.call(cls, &[b])
    }
}

fn b_bytes(vm: &mut Vm, a: &Args) -> PyResult {
    let (_, b, _) = this(vm, a, "__bytes__")?;
    Ok(vm.sp.new_bytes(&b))
}

// ---------------------------------------------------------------- bytearray mutators

/// `self` of a bytearray mutator (the backing bytearray) and its bytes.
fn this_ba(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(Value, Vec<u8>)> {
    let v = a.opt(0);
    if let Some(v) = v {
        let u = vm.unwrap_builtin(v);
        if u.layout() == l::BYTEARRAY {
            let b = vm.bytes_like(u).expect("bytearray");
            return Ok((u, b));
        }
    }
    let tn = v.map_or_else(|| "nothing".to_owned(), |v| vm.type_name(v));
    Err(vm.type_error(format!(
        "descriptor '{name}' for 'bytearray' objects doesn't apply to a '{tn}' object"
    )))
}

fn ba_append(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "bytearray", "append", (1, 1), Style::Exact, &[])?;
    let x = byte_value(vm, a.get(1), BYTE_RANGE)?;
    let (ba, mut b) = this_ba(vm, a, "append")?;
    b.push(x);
    vm.bytearray_set(ba, &b);
    Ok(vm.sp.none)
}

fn ba_extend(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "bytearray", "extend", (1, 1), Style::Exact, &[])?;
    let x = a.get(1);
    let extra = match vm.bytes_like(x) {
        Some(b) => b,
        None => {
            let u = vm.unwrap_builtin(x);
            if matches!(u.layout(), l::FLOAT | l::INT | l::BIGINT) {
                return Err(
                    vm.type_error(format!("can't extend bytearray with {}", vm.type_name(x)))
                );
            }
            let lst = vm.list_from_iter(x)?;
            ints_to_bytes(vm, lst, "byte must be in range(0, 256)")?
        }
    };
    let (ba, mut b) = this_ba(vm, a, "extend")?;
    b.extend_from_slice(&extra);
    vm.bytearray_set(ba, &b);
    Ok(vm.sp.none)
}

fn ba_pop(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "bytearray", "pop", (0, 1), Style::Range, &[])?;
    let i = match a.opt(1) {
        Some(v) => int_arg(vm, v)?,
        None => -1,
    };
    let (ba, mut b) = this_ba(vm, a, "pop")?;
    if b.is_empty() {
        return Err(vm.index_error("pop from empty bytearray"));
    }
    let j = if i < 0 { i + b.len() as i64 } else { i };
    if j < 0 || j >= b.len() as i64 {
        return Err(vm.index_error("pop index out of range"));
    }
    let x = b.remove(j as usize);
    vm.bytearray_set(ba, &b);
    Ok(vm.sp.new_int(x as i64))
}

fn ba_clear(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "bytearray", "clear", (0, 0), Style::Exact, &[])?;
    let (ba, _) = this_ba(vm, a, "clear")?;
    vm.bytearray_set(ba, &[]);
    Ok(vm.sp.none)
}

fn ba_copy(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "bytearray", "copy", (0, 0), Style::Exact, &[])?;
    let (_, b) = this_ba(vm, a, "copy")?;
    Ok(vm.new_bytearray(&b))
}

fn ba_insert(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "bytearray", "insert", (2, 2), Style::Range, &[])?;
    let i = int_arg(vm, a.get(1))?;
    let x = byte_value(vm, a.get(2), BYTE_RANGE)?;
    let (ba, mut b) = this_ba(vm, a, "insert")?;
    let n = b.len() as i64;
    let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
    b.insert(j as usize, x);
    vm.bytearray_set(ba, &b);
    Ok(vm.sp.none)
}

fn ba_reverse(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "bytearray", "reverse", (0, 0), Style::Exact, &[])?;
    let (ba, mut b) = this_ba(vm, a, "reverse")?;
    b.reverse();
    vm.bytearray_set(ba, &b);
    Ok(vm.sp.none)
}

fn ba_remove(vm: &mut Vm, a: &Args) -> PyResult {
    sig(vm, a, "bytearray", "remove", (1, 1), Style::Exact, &[])?;
    let x = byte_value(vm, a.get(1), BYTE_RANGE)?;
    let (ba, mut b) = this_ba(vm, a, "remove")?;
    match b.iter().position(|&c| c == x) {
        Some(p) => {
            b.remove(p);
            vm.bytearray_set(ba, &b);
            Ok(vm.sp.none)
        }
        None => Err(vm.value_error("value not found in bytearray")),
    }
}

/// `ba[i:j(:k)] = v` for a bytearray `ba` (the VM's `setitem` hands slices here).
pub fn bytearray_set_slice(vm: &mut Vm, ba: Value, k: Value, v: Value) -> PyResult<()> {
    let mark = vm.mark();
    let (bar, kr) = (vm.push_root(ba), vm.push_root(k));
    let new = match vm.bytes_like(v) {
        Some(b) => b,
        None => {
            let u = vm.unwrap_builtin(v);
            if vm.sp.is_int_layout(u) || u.layout() == l::STR || u.layout() == l::FLOAT {
                return Err(vm.type_error(
                    "can assign only bytes, buffers, or iterables of ints in range(0, 256)",
                ));
            }
            let lst = vm.list_from_iter(v)?;
            ints_to_bytes(vm, lst, BYTE_RANGE)?
        }
    };
    let ba = vm.root(bar);
    let n = vm.bytes_like(ba).expect("bytearray").len();
    let k = vm.root(kr);
    let si = vm.slice_indices(k, n)?;
    let ba = vm.root(bar);
    vm.reset_roots(mark);
    let mut b = vm.bytes_like(ba).expect("bytearray");
    if si.step == 1 {
        let start = (si.start.max(0) as usize).min(b.len());
        let stop = (si.start.max(0) as usize + si.len).min(b.len()).max(start);
        b.splice(start..stop, new);
    } else {
        if new.len() != si.len {
            return Err(vm.value_error(format!(
                "attempt to assign bytes of size {} to extended slice of size {}",
                new.len(),
                si.len
            )));
        }
        for (i, x) in si.indices().zip(new) {
            b[i] = x;
        }
    }
    vm.bytearray_set(ba, &b);
    Ok(())
}

/// `del ba[k]` for a bytearray (an index or a slice).
pub fn bytearray_delitem(vm: &mut Vm, ba: Value, k: Value) -> PyResult<()> {
    let bar = vm.push_root(ba);
    let n = vm.bytes_like(ba).expect("bytearray").len();
    let drop: Vec<usize> = if k.layout() == l::SLICE {
        vm.slice_indices(k, n)?.indices().collect()
    } else {
        let u = vm.unwrap_builtin(k);
        let has_index =
            k.layout() == l::INSTANCE && vm.lookup_type_attr(k.ty(), vm.n.index).is_some();
        if !vm.sp.is_int_layout(u) && !has_index {
            return Err(vm.type_error(format!(
                "bytearray indices must be integers or slices, not {}",
                vm.type_name(k)
            )));
        }
        match vm.seq_index(k, n, "bytearray") {
            Ok(i) => vec![i],
            Err(e) => {
                if vm.exc_is(vm.sp.t.index_error) {
                    vm.take_exc();
                    return Err(vm.index_error("bytearray index out of range"));
                }
                return Err(e);
            }
        }
    };
    let ba = vm.root(bar);
    vm.reset_roots(bar);
    let b = vm.bytes_like(ba).expect("bytearray");
    let mut del = vec![false; b.len()];
    for i in drop {
        del[i] = true;
    }
    let kept: Vec<u8> = b
        .iter()
        .zip(&del)
        .filter(|(_, &d)| !d)
        .map(|(&x, _)| x)
        .collect();
    vm.bytearray_set(ba, &kept);
    Ok(())
}
