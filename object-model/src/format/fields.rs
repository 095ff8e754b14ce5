//! `str.format` format strings: splitting into literal text and replacement fields
//! ([`parse_format_string`], [`FormatStringIter`]), field names (`0`, `name`,
//! `a.b[0][key]`: [`FieldName`]), automatic numbering ([`AutoNumber`]), and a complete
//! renderer ([`render_format_string`]) that asks a [`FieldResolver`] for the values.
//!
//! CPython parses lazily: a field is parsed, looked up, converted and formatted before
//! the text after it is even read, so an error late in the string surfaces only after
//! earlier fields ran their `__format__`. The iterator and the renderer keep that order;
//! [`parse_format_string`] is the eager convenience for callers that do not care.
//!
//! Numbering: [`render_format_string`] resolves `{}` fields itself (one [`AutoNumber`]
//! shared with the nested fields of specs, as CPython). Callers using the pieces
//! directly resolve [`FieldFirst::Auto`] with their own [`AutoNumber`].

use super::{decimal_value, FormatError};

/// One part of a format string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal text, with `{{` and `}}` already turned into `{` and `}`.
    Literal(String),
    /// A replacement field `{name!conversion:spec}`.
    Field(Field),
}

/// A replacement field, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The field name, unparsed (`""`, `"0"`, `"name.attr[0]"`); see [`FieldName`].
    pub name: String,
    /// The character after `!`, if any. Only `r`, `s`, `a` are valid, but CPython reports
    /// a bad one only after looking the field up: see [`Conversion::from_char`].
    pub conversion: Option<char>,
    /// The format spec after `:` (empty if none), unexpanded.
    pub spec: String,
    /// The spec contains `{`: it is itself a format string whose fields must be
    /// substituted ([`Field::spec_pieces`]) before use, one level deep.
    pub spec_has_fields: bool,
}

impl Field {
    /// Parses [`Field::name`] completely.
    pub fn field_name(&self) -> Result<FieldName, FormatError> {
        FieldName::parse(&self.name)
    }

    /// The pieces of the spec, when [`Field::spec_has_fields`].
    pub fn spec_pieces(&self) -> FormatStringIter {
        FormatStringIter::new(&self.spec)
    }
}

/// A conversion `!r`, `!s` or `!a`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// `!r`: `repr()`.
    Repr,
    /// `!s`: `str()`.
    Str,
    /// `!a`: `ascii()`.
    Ascii,
}

impl Conversion {
    /// The conversion named by `c`, or CPython's "Unknown conversion specifier x".
    pub fn from_char(c: char) -> Result<Conversion, FormatError> {
        match c {
            'r' => Ok(Conversion::Repr),
            's' => Ok(Conversion::Str),
            'a' => Ok(Conversion::Ascii),
            _ => {
                let v = c as u32;
                Err(FormatError::value(if v > 32 && v < 127 {
                    format!("Unknown conversion specifier {c}")
                } else {
                    format!("Unknown conversion specifier \\x{v:x}")
                }))
            }
        }
    }
}

/// The first part of a field name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldFirst {
    /// Empty: the next automatic number.
    Auto,
    /// All (Unicode) decimal digits: a positional index.
    Index(usize),
    /// Anything else: a keyword argument name.
    Name(String),
}

/// A step after the first part of a field name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldAccessor {
    /// `.name`: attribute lookup.
    Attr(String),
    /// `[123]`: item lookup with an int (all decimal digits).
    Index(usize),
    /// `[text]`: item lookup with a string.
    Key(String),
}

/// A parsed field name: `first` then a chain of accessors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldName {
    /// The argument it starts from.
    pub first: FieldFirst,
    /// The attribute and item lookups applied to it, in order.
    pub rest: Vec<FieldAccessor>,
}

/// What a numbered field refers to once automatic numbering is resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKey {
    /// A positional argument.
    Index(usize),
    /// A keyword argument.
    Name(String),
}

/// A run of Unicode decimal digits as an index: `Ok(None)` if empty or not all digits.
fn get_integer(chars: &[char]) -> Result<Option<usize>, FormatError> {
    if chars.is_empty() {
        return Ok(None);
    }
    let mut acc: i64 = 0;
    for &c in chars {
        let Some(d) = decimal_value(c) else {
            return Ok(None);
        };
        let d = i64::from(d);
        if acc > (i64::MAX - d) / 10 {
            return Err(FormatError::value(
                "Too many decimal digits in format string",
            ));
        }
        acc = acc * 10 + d;
    }
    Ok(Some(acc as usize))
}

/// Splits off the first part (up to the first `.` or `[`); returns it and where the
/// rest starts.
fn split_first(chars: &[char]) -> Result<(FieldFirst, usize), FormatError> {
    let end = chars
        .iter()
        .position(|&c| c == '.' || c == '[')
        .unwrap_or(chars.len());
    let first = &chars[..end];
    let parsed = if first.is_empty() {
        FieldFirst::Auto
    } else {
        match get_integer(first)? {
            Some(i) => FieldFirst::Index(i),
            None => FieldFirst::Name(first.iter().collect()),
        }
    };
    Ok((parsed, end))
}

/// The accessors after the first part, parsed one at a time (an error comes after the
/// accessors before it, as CPython applies them).
struct Accessors<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Accessors<'_> {
    fn next_accessor(&mut self) -> Option<Result<FieldAccessor, FormatError>> {
        let n = self.chars.len();
        if self.pos >= n {
            return None;
        }
        let c = self.chars[self.pos];
        self.pos += 1;
        let start = self.pos;
        let (name, acc) = match c {
            '.' => {
                while self.pos < n && self.chars[self.pos] != '.' && self.chars[self.pos] != '[' {
                    self.pos += 1;
                }
                let name = &self.chars[start..self.pos];
                (name, FieldAccessor::Attr(name.iter().collect()))
            }
            '[' => {
                while self.pos < n && self.chars[self.pos] != ']' {
                    self.pos += 1;
                }
                if self.pos >= n {
                    return Some(Err(FormatError::value("Missing ']' in format string")));
                }
                let name = &self.chars[start..self.pos];
                self.pos += 1;
                let acc = match get_integer(name) {
                    Err(e) => return Some(Err(e)),
                    Ok(Some(i)) => FieldAccessor::Index(i),
                    Ok(None) => FieldAccessor::Key(name.iter().collect()),
                };
                (name, acc)
            }
            _ => {
                return Some(Err(FormatError::value(
                    "Only '.' or '[' may follow ']' in format field specifier",
                )))
            }
        };
        if name.is_empty() {
            return Some(Err(FormatError::value("Empty attribute in format string")));
        }
        Some(Ok(acc))
    }
}

impl FieldName {
    /// Parses a whole field name eagerly.
    pub fn parse(raw: &str) -> Result<FieldName, FormatError> {
        let chars: Vec<char> = raw.chars().collect();
        let (first, rest_start) = split_first(&chars)?;
        let mut it = Accessors {
            chars: &chars[rest_start..],
            pos: 0,
        };
        let mut rest = Vec::new();
        while let Some(acc) = it.next_accessor() {
            rest.push(acc?);
        }
        Ok(FieldName { first, rest })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberingState {
    Init,
    Auto,
    Manual,
}

/// The automatic-numbering state of one `str.format` call: `{}` fields take 0, 1, 2, …,
/// and mixing them with explicit indexes is an error (keyword fields are always fine).
#[derive(Clone, Debug)]
pub struct AutoNumber {
    state: NumberingState,
    next: usize,
}

impl Default for AutoNumber {
    fn default() -> Self {
        AutoNumber::new()
    }
}

impl AutoNumber {
    /// Fresh state, for the start of a `str.format` call.
    pub fn new() -> Self {
        AutoNumber {
            state: NumberingState::Init,
            next: 0,
        }
    }

    /// Resolves a field's first part, with CPython's "cannot switch from …" errors.
    pub fn resolve(&mut self, first: &FieldFirst) -> Result<FieldKey, FormatError> {
        let is_auto = match first {
            FieldFirst::Name(n) => return Ok(FieldKey::Name(n.clone())),
            FieldFirst::Auto => true,
            FieldFirst::Index(_) => false,
        };
        if self.state == NumberingState::Init {
            self.state = if is_auto {
                NumberingState::Auto
            } else {
                NumberingState::Manual
            };
        }
        match (self.state, first) {
            (NumberingState::Manual, FieldFirst::Auto) => Err(FormatError::value(
                "cannot switch from manual field specification to automatic field numbering",
            )),
            (NumberingState::Auto, FieldFirst::Index(_)) => Err(FormatError::value(
                "cannot switch from automatic field numbering to manual field specification",
            )),
            (_, FieldFirst::Index(i)) => Ok(FieldKey::Index(*i)),
            _ => {
                let i = self.next;
                self.next += 1;
                Ok(FieldKey::Index(i))
            }
        }
    }
}

/// Iterates over the pieces of a format string lazily, stopping after the first error.
/// Adjacent literals are not merged (`"a{{b"` gives `"a{"` then `"b"`).
#[derive(Clone, Debug)]
pub struct FormatStringIter {
    chars: Vec<char>,
    pos: usize,
    pending: Option<Field>,
    failed: bool,
}

impl FormatStringIter {
    /// An iterator over the pieces of `s`.
    pub fn new(s: &str) -> Self {
        FormatStringIter {
            chars: s.chars().collect(),
            pos: 0,
            pending: None,
            failed: false,
        }
    }

    /// Parses a field after its `{`, up to and including its `}`.
    fn parse_field(&mut self) -> Result<Field, FormatError> {
        let chars = &self.chars;
        let n = chars.len();
        let pos = &mut self.pos;
        let name_start = *pos;
        let mut c = '\0';
        while *pos < n {
            c = chars[*pos];
            *pos += 1;
            match c {
                '{' => return Err(FormatError::value("unexpected '{' in field name")),
                '[' => {
                    while *pos < n && chars[*pos] != ']' {
                        *pos += 1;
                    }
                }
                '}' | ':' | '!' => break,
                _ => {}
            }
        }
        let name: String = chars[name_start..(*pos).max(name_start + 1) - 1]
            .iter()
            .collect();
        if c == '!' || c == ':' {
            let mut conversion = None;
            if c == '!' {
                if *pos >= n {
                    return Err(FormatError::value(
                        "end of string while looking for conversion specifier",
                    ));
                }
                conversion = Some(chars[*pos]);
                *pos += 1;
                if *pos < n {
                    let c2 = chars[*pos];
                    *pos += 1;
                    if c2 == '}' {
                        return Ok(Field {
                            name,
                            conversion,
                            spec: String::new(),
                            spec_has_fields: false,
                        });
                    }
                    if c2 != ':' {
                        return Err(FormatError::value(
                            "expected ':' after conversion specifier",
                        ));
                    }
                }
            }
            let spec_start = *pos;
            let mut count = 1;
            let mut spec_has_fields = false;
            while *pos < n {
                let c = chars[*pos];
                *pos += 1;
                if c == '{' {
                    spec_has_fields = true;
                    count += 1;
                } else if c == '}' {
                    count -= 1;
                    if count == 0 {
                        return Ok(Field {
                            name,
                            conversion,
                            spec: chars[spec_start..*pos - 1].iter().collect(),
                            spec_has_fields,
                        });
                    }
                }
            }
            return Err(FormatError::value("unmatched '{' in format spec"));
        }
        if c != '}' {
            return Err(FormatError::value("expected '}' before end of string"));
        }
        Ok(Field {
            name,
            conversion: None,
            spec: String::new(),
            spec_has_fields: false,
        })
    }

    fn step(&mut self) -> Option<Result<Piece, FormatError>> {
        if let Some(f) = self.pending.take() {
            return Some(Ok(Piece::Field(f)));
        }
        let n = self.chars.len();
        if self.pos >= n {
            return None;
        }
        let start = self.pos;
        let mut c = '\0';
        let mut markup = false;
        while self.pos < n {
            c = self.chars[self.pos];
            self.pos += 1;
            if c == '{' || c == '}' {
                markup = true;
                break;
            }
        }
        let at_end = self.pos >= n;
        let mut len = self.pos - start;
        if markup && c == '}' && (at_end || self.chars[self.pos] != '}') {
            return Some(Err(FormatError::value(
                "Single '}' encountered in format string",
            )));
        }
        if markup && at_end && c == '{' {
            return Some(Err(FormatError::value(
                "Single '{' encountered in format string",
            )));
        }
        if markup {
            if self.chars[self.pos] == c {
                // An escaped brace: keep one as text, skip the other.
                self.pos += 1;
                markup = false;
            } else {
                len -= 1;
            }
        }
        let literal: String = self.chars[start..start + len].iter().collect();
        if markup {
            match self.parse_field() {
                Err(e) => return Some(Err(e)),
                Ok(f) if literal.is_empty() => return Some(Ok(Piece::Field(f))),
                Ok(f) => self.pending = Some(f),
            }
        }
        Some(Ok(Piece::Literal(literal)))
    }
}

impl Iterator for FormatStringIter {
    type Item = Result<Piece, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let item = self.step();
        if matches!(item, Some(Err(_))) {
            self.failed = true;
        }
        item
    }
}

/// Splits a whole format string into pieces (adjacent literals merged), or the first
/// error. Field names and conversions are not checked here (see [`Field`]).
pub fn parse_format_string(s: &str) -> Result<Vec<Piece>, FormatError> {
    let mut out: Vec<Piece> = Vec::new();
    for piece in FormatStringIter::new(s) {
        match (piece?, out.last_mut()) {
            (Piece::Literal(l), Some(Piece::Literal(prev))) => prev.push_str(&l),
            (p, _) => out.push(p),
        }
    }
    Ok(out)
}

/// The values behind a `str.format` call: arguments, lookups, conversions and
/// `format()` of the caller's objects. Errors of the caller's own (`KeyError`,
/// `AttributeError`, whatever `__format__` raises) pass through unchanged.
pub trait FieldResolver {
    /// The caller's value handle.
    type Value;
    /// The caller's error type.
    type Error: From<FormatError>;

    /// Positional argument `index` (`'{0}'`); out of range is
    /// [`FormatError::replacement_index_out_of_range`], and for `format_map`
    /// [`FormatError::positional_fields_in_format_map`].
    fn positional(&mut self, index: usize) -> Result<Self::Value, Self::Error>;
    /// Keyword argument `name` (`'{name}'`): `kwargs[name]`, a `KeyError` if missing.
    fn keyword(&mut self, name: &str) -> Result<Self::Value, Self::Error>;
    /// `getattr(value, name)` (`'{0.name}'`).
    fn attribute(&mut self, value: Self::Value, name: &str) -> Result<Self::Value, Self::Error>;
    /// `value[index]` with an int (`'{0[1]}'`).
    fn item_index(&mut self, value: Self::Value, index: usize) -> Result<Self::Value, Self::Error>;
    /// `value[key]` with a string (`'{0[key]}'`).
    fn item_key(&mut self, value: Self::Value, key: &str) -> Result<Self::Value, Self::Error>;
    /// `repr()`, `str()` or `ascii()` of the value, as a string value.
    fn convert(
        &mut self,
        value: Self::Value,
        conversion: Conversion,
    ) -> Result<Self::Value, Self::Error>;
    /// `format(value, spec)`.
    fn format_value(&mut self, value: Self::Value, spec: &str) -> Result<String, Self::Error>;
}

/// `fmt.format(*args, **kwargs)` (or `format_map`), with the values supplied by
/// `resolver`: fields are resolved left to right, automatic numbering included, specs
/// with nested fields are expanded (one level; deeper is CPython's "Max string recursion
/// exceeded"), and errors come in CPython's order.
pub fn render_format_string<R: FieldResolver + ?Sized>(
    fmt: &str,
    resolver: &mut R,
) -> Result<String, R::Error> {
    let mut auto = AutoNumber::new();
    let mut out = String::with_capacity(fmt.len());
    build_string(fmt, resolver, 2, &mut auto, &mut out)?;
    Ok(out)
}

fn build_string<R: FieldResolver + ?Sized>(
    fmt: &str,
    resolver: &mut R,
    depth: u32,
    auto: &mut AutoNumber,
    out: &mut String,
) -> Result<(), R::Error> {
    if depth == 0 {
        return Err(FormatError::value("Max string recursion exceeded").into());
    }
    for piece in FormatStringIter::new(fmt) {
        match piece? {
            Piece::Literal(l) => out.push_str(&l),
            Piece::Field(f) => output_field(&f, resolver, depth, auto, out)?,
        }
    }
    Ok(())
}

fn output_field<R: FieldResolver + ?Sized>(
    f: &Field,
    resolver: &mut R,
    depth: u32,
    auto: &mut AutoNumber,
    out: &mut String,
) -> Result<(), R::Error> {
    let chars: Vec<char> = f.name.chars().collect();
    let (first, rest_start) = split_first(&chars)?;
    let mut value = match auto.resolve(&first)? {
        FieldKey::Index(i) => resolver.positional(i)?,
        FieldKey::Name(n) => resolver.keyword(&n)?,
    };
    let mut accessors = Accessors {
        chars: &chars[rest_start..],
        pos: 0,
    };
    while let Some(acc) = accessors.next_accessor() {
        value = match acc? {
            FieldAccessor::Attr(a) => resolver.attribute(value, &a)?,
            FieldAccessor::Index(i) => resolver.item_index(value, i)?,
            FieldAccessor::Key(k) => resolver.item_key(value, &k)?,
        };
    }
    if let Some(c) = f.conversion {
        value = resolver.convert(value, Conversion::from_char(c)?)?;
    }
    let formatted = if f.spec_has_fields {
        let mut spec = String::new();
        build_string(&f.spec, resolver, depth - 1, auto, &mut spec)?;
        resolver.format_value(value, &spec)?
    } else {
        resolver.format_value(value, &f.spec)?
    };
    out.push_str(&formatted);
    Ok(())
}
