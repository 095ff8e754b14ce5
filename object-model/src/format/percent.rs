//! `%`-formatting (`fmt % args`) as CPython 3.11's `PyUnicode_Format`: flags `-+ 0#`,
//! width and precision (digits or `*`), `%(key)` lookups, the ignored `h l L` length
//! modifiers, conversions `d i u o x X e E f F g G c r s a %`, and Python's exact
//! errors and order of argument consumption.
//!
//! The right operand stays the caller's: [`PercentArgs`] says whether it is a tuple, a
//! single value or a mapping, looks keys up, and converts the argument the formatter
//! names ([`ArgSource`]) for the conversion it needs ([`Conv`]) into a plain value
//! ([`PArg`]). The formatter does the rest, including the type errors, given the type
//! name of an argument it cannot use ([`PArg::Unsupported`]).

use super::float_repr::{double_to_string, DtsFlags};
use super::int_radix::int_to_f64;
use super::FormatError;
use num_bigint::{BigInt, Sign};
use num_traits::{ToPrimitive, Zero};

/// The shape of the right operand of `%`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgsShape {
    /// A tuple of this many items: each conversion takes the next item.
    Tuple(usize),
    /// Any other single value (not a mapping, or a `str`): it is the one argument.
    Single,
    /// A mapping: `%(key)s` looks keys up; a conversion without a key takes the mapping
    /// itself as the one argument, and unused arguments are not an error. CPython counts
    /// as a mapping anything with `__getitem__` except a tuple or `str` (so a `list` or
    /// `bytes` operand is one: `'abc' % [1]` is `'abc'`).
    Mapping,
}

/// Which value a conversion uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgSource<'a> {
    /// Item `i` of the tuple.
    Item(usize),
    /// The whole right operand (shape `Single` or `Mapping`).
    Whole,
    /// The value found by the latest [`PercentArgs::lookup_key`] (this key).
    Key(&'a str),
}

/// What the formatter needs from an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conv {
    /// `%s`: `str(v)`, as [`PArg::Str`].
    Str,
    /// `%r`: `repr(v)`, as [`PArg::Str`].
    Repr,
    /// `%a`: `ascii(v)`, as [`PArg::Str`].
    Ascii,
    /// `%d %i %u`: `int(v)` for a number, as [`PArg::Int`] (or [`PArg::Float`], which is
    /// truncated here); a non-number is [`PArg::Unsupported`].
    Int(char),
    /// `%o %x %X`: `v.__index__()`, as [`PArg::Int`]; anything without it (a float
    /// included) is [`PArg::Unsupported`].
    Index(char),
    /// `%e %E %f %F %g %G`: `float(v)` for a real number, as [`PArg::Float`] (or
    /// [`PArg::Int`]); otherwise [`PArg::Unsupported`].
    Float(char),
    /// `%c`: an int ([`PArg::Int`], via `__index__`) or a string ([`PArg::Str`], which
    /// must hold one character); otherwise [`PArg::Unsupported`].
    Char,
    /// A `*` width or precision: [`PArg::Int`] if `v` is an `int` instance (bools
    /// included), else [`PArg::Unsupported`].
    Star,
}

/// An argument converted by the caller.
#[derive(Clone, Debug, PartialEq)]
pub enum PArg {
    /// An integer.
    Int(BigInt),
    /// A float.
    Float(f64),
    /// A string (already `str()`/`repr()`/`ascii()`-converted for `%s %r %a`).
    Str(String),
    /// The value cannot serve this conversion; this is its type's name (for messages
    /// like "%d format: a real number is required, not str").
    Unsupported(String),
}

/// The right operand of `%`, as the formatter sees it.
///
/// Errors of the caller's own (a `KeyError` from the mapping, an exception raised by a
/// `__str__`, an `OverflowError` from `int(float('inf'))`) are returned as `Self::Error`
/// and passed through unchanged; the formatter's errors are converted with `From`.
pub trait PercentArgs {
    /// The caller's error type.
    type Error: From<FormatError>;

    /// Whether the operand is a tuple (and its length), a single value, or a mapping.
    fn shape(&self) -> ArgsShape;

    /// `mapping[key]` for `%(key)…`; the value must be kept for [`ArgSource::Key`].
    /// Called only for shape `Mapping`.
    fn lookup_key(&mut self, key: &str) -> Result<(), Self::Error>;

    /// Converts the named argument as `conv` asks.
    fn get(&mut self, source: ArgSource<'_>, conv: Conv) -> Result<PArg, Self::Error>;
}

/// The argument bookkeeping of `PyUnicode_Format`: `arglen` is -1 for a single value,
/// `argidx` -2 until that value is used.
struct ArgState {
    arglen: i64,
    argidx: i64,
    is_dict: bool,
    key: Option<String>,
}

impl ArgState {
    fn next(&mut self) -> Result<Source, FormatError> {
        if self.argidx < self.arglen {
            let idx = self.argidx;
            self.argidx += 1;
            if self.arglen < 0 {
                Ok(match &self.key {
                    Some(k) => Source::Key(k.clone()),
                    None => Source::Whole,
                })
            } else {
                Ok(Source::Item(idx as usize))
            }
        } else {
            Err(FormatError::type_error(
                "not enough arguments for format string",
            ))
        }
    }
}

/// An owned [`ArgSource`].
enum Source {
    Item(usize),
    Whole,
    Key(String),
}

impl Source {
    fn borrow(&self) -> ArgSource<'_> {
        match self {
            Source::Item(i) => ArgSource::Item(*i),
            Source::Whole => ArgSource::Whole,
            Source::Key(k) => ArgSource::Key(k),
        }
    }
}

/// The parsed `%` directive.
struct Directive {
    ljust: bool,
    sign: bool,
    blank: bool,
    alt: bool,
    zero: bool,
    width: i64,
    prec: i64,
    ch: char,
}

fn incomplete() -> FormatError {
    FormatError::value("incomplete format")
}

/// `fmt % args`. See [`PercentArgs`] for how arguments are supplied.
pub fn percent_format<A: PercentArgs + ?Sized>(
    fmt: &str,
    args: &mut A,
) -> Result<String, A::Error> {
    let chars: Vec<char> = fmt.chars().collect();
    let n = chars.len();
    let (arglen, argidx) = match args.shape() {
        ArgsShape::Tuple(len) => (len as i64, 0),
        _ => (-1, -2),
    };
    let mut st = ArgState {
        arglen,
        argidx,
        is_dict: args.shape() == ArgsShape::Mapping,
        key: None,
    };
    let mut out = String::with_capacity(fmt.len());
    let mut pos = 0;
    while pos < n {
        if chars[pos] != '%' {
            let start = pos;
            while pos < n && chars[pos] != '%' {
                pos += 1;
            }
            out.extend(&chars[start..pos]);
            continue;
        }
        pos += 1;
        if chars.get(pos) == Some(&'%') {
            out.push('%');
            pos += 1;
            continue;
        }
        let d = parse_directive(&chars, &mut pos, &mut st, args)?;
        let source = st.next()?;
        let converted = convert(&d, pos - 1, &source, args)?;
        output(&mut out, d, converted);
        if st.is_dict && st.argidx < st.arglen {
            return Err(not_all_converted().into());
        }
    }
    if st.argidx < st.arglen && !st.is_dict {
        return Err(not_all_converted().into());
    }
    Ok(out)
}

fn not_all_converted() -> FormatError {
    FormatError::type_error("not all arguments converted during string formatting")
}

/// Gets a `*` argument as an int.
fn star_arg<A: PercentArgs + ?Sized>(st: &mut ArgState, args: &mut A) -> Result<BigInt, A::Error> {
    let source = st.next()?;
    match args.get(source.borrow(), Conv::Star)? {
        PArg::Int(v) => Ok(v),
        _ => Err(FormatError::type_error("* wants int").into()),
    }
}

/// Parses `[(key)][flags][width][.precision][hlL]type` after a `%`; leaves `pos` after
/// the type character.
fn parse_directive<A: PercentArgs + ?Sized>(
    chars: &[char],
    pos: &mut usize,
    st: &mut ArgState,
    args: &mut A,
) -> Result<Directive, A::Error> {
    let n = chars.len();
    if chars.get(*pos) == Some(&'(') {
        if !st.is_dict {
            return Err(FormatError::type_error("format requires a mapping").into());
        }
        *pos += 1;
        let keystart = *pos;
        let mut pcount = 1;
        while pcount > 0 && *pos < n {
            match chars[*pos] {
                ')' => pcount -= 1,
                '(' => pcount += 1,
                _ => {}
            }
            *pos += 1;
        }
        if pcount > 0 {
            return Err(FormatError::value("incomplete format key").into());
        }
        let key: String = chars[keystart..*pos - 1].iter().collect();
        args.lookup_key(&key)?;
        st.key = Some(key);
        st.arglen = -1;
        st.argidx = -2;
    }
    let mut d = Directive {
        ljust: false,
        sign: false,
        blank: false,
        alt: false,
        zero: false,
        width: -1,
        prec: -1,
        ch: '\0',
    };
    let next = |pos: &mut usize| -> Result<char, FormatError> {
        let c = *chars.get(*pos).ok_or_else(incomplete)?;
        *pos += 1;
        Ok(c)
    };
    let mut ch;
    loop {
        ch = next(pos)?;
        match ch {
            '-' => d.ljust = true,
            '+' => d.sign = true,
            ' ' => d.blank = true,
            '#' => d.alt = true,
            '0' => d.zero = true,
            _ => break,
        }
    }
    if ch == '*' {
        let v = star_arg(st, args)?;
        let w = v
            .to_i64()
            .ok_or_else(|| FormatError::overflow("Python int too large to convert to C ssize_t"))?;
        if w < 0 {
            d.ljust = true;
            d.width = w.checked_neg().ok_or_else(|| {
                FormatError::overflow("Python int too large to convert to C ssize_t")
            })?;
        } else {
            d.width = w;
        }
        ch = next(pos)?;
    } else if ch.is_ascii_digit() {
        let mut w = i64::from(ch as u8 - b'0');
        loop {
            ch = next(pos)?;
            if !ch.is_ascii_digit() {
                break;
            }
            let dv = i64::from(ch as u8 - b'0');
            if w > (i64::MAX - dv) / 10 {
                return Err(FormatError::value("width too big").into());
            }
            w = w * 10 + dv;
        }
        d.width = w;
    }
    if ch == '.' {
        d.prec = 0;
        ch = next(pos)?;
        if ch == '*' {
            let v = star_arg(st, args)?;
            let p = v
                .to_i32()
                .ok_or_else(|| FormatError::overflow("Python int too large to convert to C int"))?;
            d.prec = i64::from(p.max(0));
            ch = next(pos)?;
        } else if ch.is_ascii_digit() {
            let mut p = i64::from(ch as u8 - b'0');
            loop {
                ch = next(pos)?;
                if !ch.is_ascii_digit() {
                    break;
                }
                let dv = i64::from(ch as u8 - b'0');
                if p > (i64::from(i32::MAX) - dv) / 10 {
                    return Err(FormatError::value("precision too big").into());
                }
                p = p * 10 + dv;
            }
            d.prec = p;
        }
    }
    if matches!(ch, 'h' | 'l' | 'L') {
        ch = next(pos)?;
    }
    d.ch = ch;
    Ok(d)
}

/// A converted argument ready for output; `numeric` is CPython's `arg->sign` (the
/// sign/zero-padding logic applies).
struct Converted {
    text: Vec<char>,
    numeric: bool,
}

fn convert<A: PercentArgs + ?Sized>(
    d: &Directive,
    index: usize,
    source: &Source,
    args: &mut A,
) -> Result<Converted, A::Error> {
    let src = source.borrow();
    let text = |s: String| s.chars().collect::<Vec<char>>();
    match d.ch {
        's' | 'r' | 'a' => {
            let conv = match d.ch {
                's' => Conv::Str,
                'r' => Conv::Repr,
                _ => Conv::Ascii,
            };
            let s = match args.get(src, conv)? {
                PArg::Str(s) => s,
                PArg::Int(i) => i.to_string(),
                PArg::Float(f) => super::float_repr::float_repr(f),
                PArg::Unsupported(t) => {
                    return Err(FormatError::type_error(format!(
                        "cannot convert '{t}' object for %{}",
                        d.ch
                    ))
                    .into())
                }
            };
            Ok(Converted {
                text: text(s),
                numeric: false,
            })
        }
        'i' | 'd' | 'u' | 'o' | 'x' | 'X' => {
            let index_only = matches!(d.ch, 'o' | 'x' | 'X');
            let conv = if index_only {
                Conv::Index(d.ch)
            } else {
                Conv::Int(d.ch)
            };
            let wrong = |t: &str| {
                let what = if index_only {
                    "an integer"
                } else {
                    "a real number"
                };
                FormatError::type_error(format!("%{} format: {what} is required, not {t}", d.ch))
            };
            let v = match args.get(src, conv)? {
                PArg::Int(v) => v,
                PArg::Float(f) if !index_only => float_to_int(f)?,
                PArg::Float(_) => return Err(wrong("float").into()),
                PArg::Str(_) => return Err(wrong("str").into()),
                PArg::Unsupported(t) => return Err(wrong(&t).into()),
            };
            Ok(Converted {
                text: text(format_long(&v, d.alt, d.prec, d.ch)?),
                numeric: true,
            })
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let x = match args.get(src, Conv::Float(d.ch))? {
                PArg::Float(x) => x,
                PArg::Int(v) => int_to_f64(&v)?,
                PArg::Str(_) => {
                    return Err(FormatError::type_error("must be real number, not str").into())
                }
                PArg::Unsupported(t) => {
                    return Err(
                        FormatError::type_error(format!("must be real number, not {t}")).into(),
                    )
                }
            };
            let prec = if d.prec < 0 { 6 } else { d.prec as usize };
            let flags = DtsFlags {
                alt: d.alt,
                ..DtsFlags::default()
            };
            Ok(Converted {
                text: text(double_to_string(x, d.ch, prec, flags)),
                numeric: true,
            })
        }
        'c' => {
            let bad = || FormatError::type_error("%c requires int or char");
            let c = match args.get(src, Conv::Char)? {
                PArg::Str(s) => {
                    let mut it = s.chars();
                    match (it.next(), it.next()) {
                        (Some(c), None) => c,
                        _ => return Err(bad().into()),
                    }
                }
                PArg::Int(v) => {
                    let x = v
                        .to_u32()
                        .filter(|&x| x <= 0x10ffff)
                        .ok_or_else(|| FormatError::overflow("%c arg not in range(0x110000)"))?;
                    char::from_u32(x).ok_or_else(|| {
                        FormatError::value(format!(
                            "surrogate code point U+{x:04X} cannot be represented"
                        ))
                    })?
                }
                _ => return Err(bad().into()),
            };
            Ok(Converted {
                text: vec![c],
                numeric: false,
            })
        }
        c => {
            let v = c as u32;
            let shown = if (31..=126).contains(&v) { c } else { '?' };
            Err(FormatError::value(format!(
                "unsupported format character '{shown}' (0x{v:x}) at index {index}"
            ))
            .into())
        }
    }
}

/// `int(x)` for a float: truncation, with Python's errors for inf and nan.
fn float_to_int(x: f64) -> Result<BigInt, FormatError> {
    if x.is_nan() {
        return Err(FormatError::value("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(FormatError::overflow(
            "cannot convert float infinity to integer",
        ));
    }
    let t = x.trunc();
    if t.abs() < 9.0e18 {
        return Ok(BigInt::from(t as i64));
    }
    // |t| >= 2^53: an integer m × 2^e with e > 0.
    let bits = t.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let m = BigInt::from((bits & ((1u64 << 52) - 1)) | (1u64 << 52));
    let v = m << (exp as usize);
    Ok(if t < 0.0 { -v } else { v })
}

/// `_PyUnicode_FormatLong`: sign, `0o`/`0x` prefix with `#`, digits zero-extended to
/// the precision, upper-cased for `X`.
fn format_long(v: &BigInt, alt: bool, prec: i64, ch: char) -> Result<String, FormatError> {
    if prec > i64::from(i32::MAX) - 3 {
        return Err(FormatError::overflow("precision too large"));
    }
    let (radix, prefix) = match ch {
        'o' => (8, "0o"),
        'x' | 'X' => (16, "0x"),
        _ => (10, ""),
    };
    let digits = v.magnitude().to_str_radix(radix);
    let mut out = String::new();
    if v.sign() == Sign::Minus && !v.is_zero() {
        out.push('-');
    }
    if alt {
        out.push_str(prefix);
    }
    let numdigits = digits.len() as i64;
    for _ in numdigits..prec {
        out.push('0');
    }
    out.push_str(&digits);
    if ch == 'X' {
        out = out.to_ascii_uppercase();
    }
    Ok(out)
}

/// `unicode_format_arg_output`: truncation for `s r a`, sign, `0x` prefix, padding.
fn output(out: &mut String, mut d: Directive, c: Converted) {
    let mut numeric = c.numeric;
    let fill = if numeric && d.zero { '0' } else { ' ' };
    let s = &c.text;
    let mut len = s.len() as i64;
    if (d.width == -1 || d.width <= len) && (d.prec == -1 || d.prec >= len) && !(d.sign || d.blank)
    {
        out.extend(s.iter());
        return;
    }
    if matches!(d.ch, 's' | 'r' | 'a') && d.prec >= 0 && len > d.prec {
        len = d.prec;
    }
    let mut pindex = 0usize;
    let mut signchar = '\0';
    if numeric {
        let ch = s[0];
        if ch == '-' || ch == '+' {
            signchar = ch;
            len -= 1;
            pindex += 1;
        } else if d.sign {
            signchar = '+';
        } else if d.blank {
            signchar = ' ';
        } else {
            numeric = false;
        }
    }
    if d.width < len {
        d.width = len;
    }
    if numeric {
        if fill != ' ' {
            out.push(signchar);
        }
        if d.width > len {
            d.width -= 1;
        }
    }
    let prefixed = d.alt && matches!(d.ch, 'x' | 'X' | 'o');
    if prefixed {
        if fill != ' ' {
            out.push('0');
            out.push(d.ch);
            pindex += 2;
        }
        d.width = (d.width - 2).max(0);
        len -= 2;
    }
    if d.width > len && !d.ljust {
        for _ in 0..d.width - len {
            out.push(fill);
        }
        d.width = len;
    }
    if fill == ' ' {
        if numeric {
            out.push(signchar);
        }
        if prefixed {
            out.push('0');
            out.push(d.ch);
            pindex += 2;
        }
    }
    if len > 0 {
        out.extend(&s[pindex..pindex + len as usize]);
    }
    if d.width > len {
        for _ in 0..d.width - len {
            out.push(' ');
        }
    }
}
