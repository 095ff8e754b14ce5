//! The format-spec mini-language of `format(value, spec)` / `value.__format__(spec)`:
//! parsing a spec ([`parse_spec`] → [`Spec`]) and applying it to an int
//! ([`format_int`]), a float ([`format_float`]) or a string ([`format_str`]), with
//! CPython 3.11's exact layout (sign, `0x` prefix, padding, digit grouping) and error
//! messages. The `*_format_spec` functions are the whole `__format__` of the built-in
//! types, empty spec included.

use super::float_repr::{double_to_string, float_repr, DtsFlags};
use super::int_radix::int_to_f64;
use super::{code_display, decimal_value, FormatError};
use num_bigint::{BigInt, Sign as BigSign};
use num_traits::ToPrimitive;

/// Alignment of a formatted value within its width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// `<`: pad on the right.
    Left,
    /// `>`: pad on the left.
    Right,
    /// `^`: pad both sides, the extra character on the right.
    Center,
    /// `=`: pad between the sign (and prefix) and the digits.
    AfterSign,
}

impl Align {
    fn from_char(c: char) -> Option<Align> {
        match c {
            '<' => Some(Align::Left),
            '>' => Some(Align::Right),
            '^' => Some(Align::Center),
            '=' => Some(Align::AfterSign),
            _ => None,
        }
    }
}

/// The sign option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// `+`: a sign for every number.
    Plus,
    /// `-`: a sign for negative numbers only (the default, but still "specified").
    Minus,
    /// ` `: a space for non-negative numbers.
    Space,
}

/// The thousands-separator option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// `,`: comma every three digits.
    Comma,
    /// `_`: underscore every three digits (every four for `b o x X`).
    Underscore,
}

/// A parsed format spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
///
/// Defaults that depend on the formatted type (the type when omitted, the alignment,
/// what a leading `0` means) are applied by the formatters, so one `Spec` can be reused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    /// The fill character, only when given explicitly before an alignment.
    pub fill: Option<char>,
    /// The alignment, when given.
    pub align: Option<Align>,
    /// The sign option, when given.
    pub sign: Option<Sign>,
    /// `z`: coerce negative zero to positive zero (floats only).
    pub no_neg_zero: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// A `0` before the width with no explicit fill: fill with `0` (and, for numbers with
    /// no explicit alignment, pad after the sign).
    pub zero_pad: bool,
    /// The minimum width, when given.
    pub width: Option<usize>,
    /// The thousands separator, when given.
    pub grouping: Option<Grouping>,
    /// The precision, when given.
    pub precision: Option<usize>,
    /// The presentation type, when given (may be any character; unknown ones are
    /// reported by the formatter, with the formatted type's name).
    pub ty: Option<char>,
}

/// Reads Unicode decimal digits at `*pos`; returns how many were read and the value.
fn get_integer(chars: &[char], pos: &mut usize) -> Result<(usize, usize), FormatError> {
    let mut acc: i64 = 0;
    let start = *pos;
    while let Some(d) = chars.get(*pos).and_then(|&c| decimal_value(c)) {
        let d = i64::from(d);
        if acc > (i64::MAX - d) / 10 {
            return Err(FormatError::value(
                "Too many decimal digits in format string",
            ));
        }
        acc = acc * 10 + d;
        *pos += 1;
    }
    Ok((*pos - start, acc as usize))
}

/// Parses a format spec. `type_name` is the formatted value's type (`'int'`, `'float'`,
/// `'str'`, or a subclass's name), used only in the message for trailing garbage:
/// "Invalid format specifier 'abc' for object of type 'int'".
///
/// The checks that depend on the presentation type's default (e.g. "Cannot specify ','
/// with 's'.") are made by the formatters, before anything else they check, which keeps
/// CPython's order of errors.
pub fn parse_spec(spec: &str, type_name: &str) -> Result<Spec, FormatError> {
    let chars: Vec<char> = spec.chars().collect();
    let end = chars.len();
    let mut pos = 0;
    let mut out = Spec::default();

    if end >= 2 {
        if let Some(a) = Align::from_char(chars[1]) {
            out.fill = Some(chars[0]);
            out.align = Some(a);
            pos = 2;
        }
    }
    if out.align.is_none() && end >= 1 {
        if let Some(a) = Align::from_char(chars[0]) {
            out.align = Some(a);
            pos = 1;
        }
    }
    if let Some(&c) = chars.get(pos) {
        let sign = match c {
            '+' => Some(Sign::Plus),
            '-' => Some(Sign::Minus),
            ' ' => Some(Sign::Space),
            _ => None,
        };
        if sign.is_some() {
            out.sign = sign;
            pos += 1;
        }
    }
    if chars.get(pos) == Some(&'z') {
        out.no_neg_zero = true;
        pos += 1;
    }
    if chars.get(pos) == Some(&'#') {
        out.alternate = true;
        pos += 1;
    }
    if out.fill.is_none() && chars.get(pos) == Some(&'0') {
        out.zero_pad = true;
        pos += 1;
    }
    let (consumed, width) = get_integer(&chars, &mut pos)?;
    if consumed > 0 {
        out.width = Some(width);
    }
    if chars.get(pos) == Some(&',') {
        out.grouping = Some(Grouping::Comma);
        pos += 1;
    }
    if chars.get(pos) == Some(&'_') {
        if out.grouping.is_some() {
            return Err(FormatError::value("Cannot specify both ',' and '_'."));
        }
        out.grouping = Some(Grouping::Underscore);
        pos += 1;
    }
    if chars.get(pos) == Some(&',') && out.grouping == Some(Grouping::Underscore) {
        return Err(FormatError::value("Cannot specify both ',' and '_'."));
    }
    if chars.get(pos) == Some(&'.') {
        pos += 1;
        let (consumed, precision) = get_integer(&chars, &mut pos)?;
        if consumed == 0 {
            return Err(FormatError::value("Format specifier missing precision"));
        }
        out.precision = Some(precision);
    }
    if end - pos > 1 {
        return Err(FormatError::value(format!(
            "Invalid format specifier '{spec}' for object of type '{type_name}'"
        )));
    }
    if end - pos == 1 {
        out.ty = Some(chars[pos]);
    }
    Ok(out)
}

/// The separator and group size actually used.
#[derive(Clone, Copy)]
struct Sep {
    ch: char,
    size: i64,
}

/// A spec with the formatted type's defaults applied.
struct Resolved {
    fill: char,
    align: Align,
    sign: Option<Sign>,
    no_neg_zero: bool,
    alternate: bool,
    width: Option<usize>,
    sep: Option<Sep>,
    precision: Option<usize>,
    /// The presentation type; `'\0'` is "none".
    ty: char,
}

impl Spec {
    /// Applies the type's default presentation type and alignment, then makes the
    /// separator-versus-type check CPython makes at the end of parsing.
    fn resolve(&self, default_type: char, default_align: Align) -> Result<Resolved, FormatError> {
        let fill = self.fill.unwrap_or(if self.zero_pad { '0' } else { ' ' });
        let align = self.align.unwrap_or(
            if self.zero_pad && self.fill.is_none() && default_align == Align::Right {
                Align::AfterSign
            } else {
                default_align
            },
        );
        let ty = self.ty.unwrap_or(default_type);
        let sep = match self.grouping {
            None => None,
            Some(g) => {
                let (sym, ch) = match g {
                    Grouping::Comma => (',', ','),
                    Grouping::Underscore => ('_', '_'),
                };
                match ty {
                    'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | '\0' => {
                        Some(Sep { ch, size: 3 })
                    }
                    'b' | 'o' | 'x' | 'X' if g == Grouping::Underscore => Some(Sep { ch, size: 4 }),
                    _ => {
                        return Err(FormatError::value(format!(
                            "Cannot specify '{sym}' with '{}'.",
                            code_display(ty)
                        )))
                    }
                }
            }
        };
        Ok(Resolved {
            fill,
            align,
            sign: self.sign,
            no_neg_zero: self.no_neg_zero,
            alternate: self.alternate,
            width: self.width,
            sep,
            precision: self.precision,
            ty,
        })
    }
}

fn unknown_code(ty: char, type_name: &str) -> FormatError {
    FormatError::value(format!(
        "Unknown format code '{}' for object of type '{type_name}'",
        code_display(ty)
    ))
}

/// Digits with separators (and, with `min_width`, leading zeros that are grouped too),
/// as CPython's `_PyUnicode_InsertThousandsGrouping`: groups are taken from the right,
/// and zero padding continues in groups until `min_width` characters are written.
fn group_digits(digits: &[char], min_width: i64, sep: Option<Sep>) -> String {
    let mut rev: Vec<char> = Vec::with_capacity(digits.len() * 2);
    let mut remaining = digits.len() as i64;
    let mut min_width = min_width;
    let mut pos = digits.len();
    let mut use_sep = false;
    let emit =
        |rev: &mut Vec<char>, pos: &mut usize, n_zeros: i64, n_chars: i64, sep: Option<char>| {
            if let Some(s) = sep {
                rev.push(s);
            }
            for _ in 0..n_chars {
                *pos -= 1;
                rev.push(digits[*pos]);
            }
            for _ in 0..n_zeros {
                rev.push('0');
            }
        };
    let mut finished = false;
    if let Some(s) = sep {
        loop {
            let len = s.size.min(remaining.max(min_width).max(1));
            let n_zeros = (len - remaining).max(0);
            let n_chars = remaining.min(len).max(0);
            emit(
                &mut rev,
                &mut pos,
                n_zeros,
                n_chars,
                use_sep.then_some(s.ch),
            );
            use_sep = true;
            remaining -= n_chars;
            min_width -= len;
            if remaining <= 0 && min_width <= 0 {
                finished = true;
                break;
            }
            min_width -= 1;
        }
    }
    if !finished {
        let len = remaining.max(min_width).max(1);
        let n_zeros = (len - remaining).max(0);
        let n_chars = remaining.min(len).max(0);
        let sep_ch = sep.filter(|_| use_sep).map(|s| s.ch);
        emit(&mut rev, &mut pos, n_zeros, n_chars, sep_ch);
    }
    rev.iter().rev().collect()
}

/// The pieces of a number before layout:
/// `[sign][prefix][digits][.][remainder]`, only `digits` being grouped.
struct NumberParts<'a> {
    negative: bool,
    prefix: &'a str,
    digits: &'a [char],
    has_decimal: bool,
    remainder: &'a [char],
}

/// Lays out a number as CPython's `calc_number_widths` + `fill_number`.
fn fill_number(p: &NumberParts<'_>, r: &Resolved, sep: Option<Sep>, upper: bool) -> String {
    let sign_char = match r.sign {
        Some(Sign::Plus) => Some(if p.negative { '-' } else { '+' }),
        Some(Sign::Space) => Some(if p.negative { '-' } else { ' ' }),
        _ => p.negative.then_some('-'),
    };
    let n_prefix = p.prefix.chars().count() as i64;
    let non_digit = i64::from(sign_char.is_some())
        + n_prefix
        + i64::from(p.has_decimal)
        + p.remainder.len() as i64;
    let width = r.width.map_or(-1, |w| w as i64);
    let min_width = if r.fill == '0' && r.align == Align::AfterSign {
        width - non_digit
    } else {
        0
    };
    let mut grouped = if p.digits.is_empty() {
        String::new()
    } else {
        group_digits(p.digits, min_width, sep)
    };
    let padding = width - (non_digit + grouped.chars().count() as i64);
    let (mut lpad, mut spad, mut rpad) = (0, 0, 0);
    if padding > 0 {
        match r.align {
            Align::Left => rpad = padding,
            Align::Center => {
                lpad = padding / 2;
                rpad = padding - lpad;
            }
            Align::AfterSign => spad = padding,
            Align::Right => lpad = padding,
        }
    }
    let mut out = String::new();
    let pad = |out: &mut String, n: i64| {
        for _ in 0..n {
            out.push(r.fill);
        }
    };
    pad(&mut out, lpad);
    if let Some(s) = sign_char {
        out.push(s);
    }
    if upper {
        out.push_str(&p.prefix.to_ascii_uppercase());
        grouped = grouped.to_ascii_uppercase();
    } else {
        out.push_str(p.prefix);
    }
    pad(&mut out, spad);
    out.push_str(&grouped);
    if p.has_decimal {
        out.push('.');
    }
    out.extend(p.remainder.iter());
    pad(&mut out, rpad);
    out
}

/// Formats an integer with a parsed spec, as `int.__format__` does for a non-empty
/// spec: types `b c d o x X n` (none means `d`), and `e E f F g G %` through a
/// correctly rounded conversion to float. `type_name` is named in "Unknown format
/// code" messages (pass `"bool"` for `True`, or a subclass's name).
pub fn format_int(value: &BigInt, spec: &Spec, type_name: &str) -> Result<String, FormatError> {
    let r = spec.resolve('d', Align::Right)?;
    match r.ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => format_long(value, &r),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => format_float_resolved(int_to_f64(value)?, &r),
        other => Err(unknown_code(other, type_name)),
    }
}

fn format_long(value: &BigInt, r: &Resolved) -> Result<String, FormatError> {
    if r.precision.is_some() {
        return Err(FormatError::value(
            "Precision not allowed in integer format specifier",
        ));
    }
    if r.no_neg_zero {
        return Err(FormatError::value(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    let sep = if r.ty == 'n' { None } else { r.sep };
    if r.ty == 'c' {
        if r.sign.is_some() {
            return Err(FormatError::value(
                "Sign not allowed with integer format specifier 'c'",
            ));
        }
        if r.alternate {
            return Err(FormatError::value(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        let Some(x) = value.to_i64() else {
            return Err(FormatError::overflow(
                "Python int too large to convert to C long",
            ));
        };
        if !(0..=0x10ffff).contains(&x) {
            return Err(FormatError::overflow("%c arg not in range(0x110000)"));
        }
        let ch = char::from_u32(x as u32).ok_or_else(|| {
            FormatError::value(format!(
                "surrogate code point U+{x:04X} cannot be represented"
            ))
        })?;
        let parts = NumberParts {
            negative: false,
            prefix: "",
            digits: &[],
            has_decimal: false,
            remainder: &[ch],
        };
        return Ok(fill_number(&parts, r, sep, false));
    }
    let (radix, prefix) = match r.ty {
        'b' => (2, "0b"),
        'o' => (8, "0o"),
        'x' | 'X' => (16, "0x"),
        _ => (10, ""),
    };
    let digits: Vec<char> = value.magnitude().to_str_radix(radix).chars().collect();
    let parts = NumberParts {
        negative: value.sign() == BigSign::Minus,
        prefix: if r.alternate { prefix } else { "" },
        digits: &digits,
        has_decimal: false,
        remainder: &[],
    };
    Ok(fill_number(&parts, r, sep, r.ty == 'X'))
}

/// Formats a float with a parsed spec, as `float.__format__` does for a non-empty spec:
/// types `e E f F g G n %` and none (like `g`, but repr's shortest digits when no
/// precision is given, and always a digit after the point in fixed notation).
pub fn format_float(value: f64, spec: &Spec, type_name: &str) -> Result<String, FormatError> {
    let r = spec.resolve('\0', Align::Right)?;
    match r.ty {
        '\0' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%' => format_float_resolved(value, &r),
        other => Err(unknown_code(other, type_name)),
    }
}

fn format_float_resolved(value: f64, r: &Resolved) -> Result<String, FormatError> {
    if r.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err(FormatError::value("precision too big"));
    }
    let mut flags = DtsFlags {
        alt: r.alternate,
        no_neg_0: r.no_neg_zero,
        ..DtsFlags::default()
    };
    let mut ty = r.ty;
    let mut default_precision = 6;
    if ty == '\0' {
        flags.add_dot_0 = true;
        ty = 'r';
        default_precision = 0;
    }
    if ty == 'n' {
        ty = 'g';
    }
    let mut value = value;
    let mut add_pct = false;
    if ty == '%' {
        ty = 'f';
        value *= 100.0;
        add_pct = true;
    }
    let precision = match r.precision {
        None => default_precision,
        Some(p) => {
            if ty == 'r' {
                ty = 'g';
            }
            p
        }
    };
    let mut text = double_to_string(value, ty, precision, flags);
    if add_pct {
        text.push('%');
    }
    let chars: Vec<char> = text.chars().collect();
    let negative = chars.first() == Some(&'-');
    let body = if negative { &chars[1..] } else { &chars[..] };
    let n_digits = body.iter().take_while(|c| c.is_ascii_digit()).count();
    let has_decimal = body.get(n_digits) == Some(&'.');
    let rest = n_digits + usize::from(has_decimal);
    let parts = NumberParts {
        negative,
        prefix: "",
        digits: &body[..n_digits],
        has_decimal,
        remainder: &body[rest..],
    };
    let sep = if r.ty == 'n' { None } else { r.sep };
    Ok(fill_number(&parts, r, sep, false))
}

/// Formats a string with a parsed spec, as `str.__format__` does for a non-empty spec:
/// type `s` (or none); the precision truncates; width and alignment count characters
/// (code points), not bytes.
pub fn format_str(value: &str, spec: &Spec, type_name: &str) -> Result<String, FormatError> {
    let r = spec.resolve('s', Align::Left)?;
    if r.ty != 's' {
        return Err(unknown_code(r.ty, type_name));
    }
    match r.sign {
        Some(Sign::Space) => {
            return Err(FormatError::value(
                "Space not allowed in string format specifier",
            ))
        }
        Some(_) => {
            return Err(FormatError::value(
                "Sign not allowed in string format specifier",
            ))
        }
        None => {}
    }
    if r.no_neg_zero {
        return Err(FormatError::value(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if r.alternate {
        return Err(FormatError::value(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if r.align == Align::AfterSign {
        return Err(FormatError::value(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let mut len = value.chars().count();
    let body: &str = match r.precision {
        Some(p) if p < len => {
            len = p;
            let cut = value.char_indices().nth(p).map_or(value.len(), |(i, _)| i);
            &value[..cut]
        }
        _ => value,
    };
    let total = r.width.map_or(len, |w| w.max(len));
    let lpad = match r.align {
        Align::Right => total - len,
        Align::Center => (total - len) / 2,
        _ => 0,
    };
    let rpad = total - len - lpad;
    let mut out = String::with_capacity(body.len() + lpad + rpad);
    out.extend(std::iter::repeat_n(r.fill, lpad));
    out.push_str(body);
    out.extend(std::iter::repeat_n(r.fill, rpad));
    Ok(out)
}

/// `int.__format__(value, spec)` in full: an empty spec gives `str(value)` (decimal),
/// anything else is parsed and applied by [`format_int`]. (For `bool` and other
/// subclasses, an empty spec means `str(obj)`, which the caller handles.)
pub fn int_format_spec(value: &BigInt, spec: &str, type_name: &str) -> Result<String, FormatError> {
    if spec.is_empty() {
        return Ok(value.to_string());
    }
    format_int(value, &parse_spec(spec, type_name)?, type_name)
}

/// `float.__format__(value, spec)` in full: an empty spec gives `str(value)` (= repr),
/// anything else is parsed and applied by [`format_float`].
pub fn float_format_spec(value: f64, spec: &str, type_name: &str) -> Result<String, FormatError> {
    if spec.is_empty() {
        return Ok(float_repr(value));
    }
    format_float(value, &parse_spec(spec, type_name)?, type_name)
}

/// `str.__format__(value, spec)` in full: an empty spec gives the string itself,
/// anything else is parsed and applied by [`format_str`].
pub fn str_format_spec(value: &str, spec: &str, type_name: &str) -> Result<String, FormatError> {
    if spec.is_empty() {
        return Ok(value.to_owned());
    }
    format_str(value, &parse_spec(spec, type_name)?, type_name)
}
