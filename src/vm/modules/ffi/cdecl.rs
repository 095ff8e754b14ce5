//! C types and the C-declaration parser of the `ffi` module (`ffi.cdef`, and the type
//! strings of `ffi.new("int[10]")`, `ffi.cast("void *", ...)`...).
//!
//! Types live in a per-VM table ([`Types`]) and are named by index. The subset: the
//! integer types (with `signed`/`unsigned`/`short`/`long`/`long long` spellings and the
//! `<stdint.h>`/`<stddef.h>` names), `float`, `double`, `_Bool`, `void`, pointers,
//! arrays, structs and unions (fields, nested by value), typedefs and function types
//! (function pointers included). Comments, preprocessor lines and `const`/`volatile`
//! are ignored. Type names are spelled as CFFI spells them: `int *`, `char[5]`,
//! `struct point *`, `int(*)(void *, void *)`.

use std::collections::HashMap;
use thicket_ffi_bridge::Kind;

/// One C type.
#[derive(Clone, Debug, PartialEq)]
pub enum CType {
    /// `void`.
    Void,
    /// A scalar: name and kind, whether it is `char` (values are 1-byte bytes) or
    /// `_Bool`.
    Prim {
        /// CFFI's spelling.
        name: &'static str,
        /// The scalar kind.
        kind: Kind,
        /// `char`: converts from and to 1-byte `bytes`.
        is_char: bool,
        /// `_Bool`: converts to `bool`.
        is_bool: bool,
    },
    /// A pointer to the type.
    Ptr(usize),
    /// An array of the type, of known length or not (`T[]`).
    Array(usize, Option<usize>),
    /// A struct or union (index into [`Types::structs`]).
    Struct(usize),
    /// A function type: arguments, result, variadic.
    Func(Vec<usize>, usize, bool),
}

/// A struct or union.
#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    /// `struct point`, or the typedef name of an anonymous struct.
    pub name: String,
    /// Fields: name, type, byte offset.
    pub fields: Vec<(String, usize, usize)>,
    pub size: usize,
    pub align: usize,
    /// Whether the fields are known.
    pub complete: bool,
    pub is_union: bool,
}

/// The type table and the declarations made by `cdef`.
#[derive(Default)]
pub struct Types {
    pub types: Vec<CType>,
    pub structs: Vec<StructDef>,
    interned: HashMap<String, usize>,
    /// `typedef` names.
    pub typedefs: HashMap<String, usize>,
    /// `struct X` / `union X` tags to their struct index.
    pub tags: HashMap<String, usize>,
    /// Declared functions: name to function type.
    pub functions: HashMap<String, usize>,
    /// Cache of parsed type strings.
    pub parsed: HashMap<String, usize>,
}

const PRIMS: &[(&str, Kind)] = &[
    ("char", Kind::I8),
    ("signed char", Kind::I8),
    ("unsigned char", Kind::U8),
    ("short", Kind::I16),
    ("unsigned short", Kind::U16),
    ("int", Kind::I32),
    ("unsigned int", Kind::U32),
    ("long", Kind::I64),
    ("unsigned long", Kind::U64),
    ("long long", Kind::I64),
    ("unsigned long long", Kind::U64),
    ("float", Kind::F32),
    ("double", Kind::F64),
    ("_Bool", Kind::U8),
    ("int8_t", Kind::I8),
    ("uint8_t", Kind::U8),
    ("int16_t", Kind::I16),
    ("uint16_t", Kind::U16),
    ("int32_t", Kind::I32),
    ("uint32_t", Kind::U32),
    ("int64_t", Kind::I64),
    ("uint64_t", Kind::U64),
    ("size_t", Kind::U64),
    ("ssize_t", Kind::I64),
    ("intptr_t", Kind::I64),
    ("uintptr_t", Kind::U64),
    ("ptrdiff_t", Kind::I64),
];

impl Types {
    /// The index of `t`, added if new.
    pub fn intern(&mut self, t: CType) -> usize {
        let key = format!("{t:?}");
        if let Some(&i) = self.interned.get(&key) {
            return i;
        }
        self.types.push(t);
        self.interned.insert(key, self.types.len() - 1);
        self.types.len() - 1
    }

    /// The type at `i`.
    pub fn get(&self, i: usize) -> &CType {
        &self.types[i]
    }

    /// A primitive by CFFI's name.
    pub fn prim(&mut self, name: &str) -> Option<usize> {
        if name == "void" {
            return Some(self.intern(CType::Void));
        }
        let &(n, kind) = PRIMS.iter().find(|(n, _)| *n == name)?;
        Some(self.intern(CType::Prim {
            name: n,
            kind,
            is_char: n == "char",
            is_bool: n == "_Bool",
        }))
    }

    /// `T *`.
    pub fn ptr(&mut self, t: usize) -> usize {
        self.intern(CType::Ptr(t))
    }

    /// CFFI's name of type `i`.
    pub fn name(&self, i: usize) -> String {
        self.decl(i, String::new())
    }

    fn decl(&self, i: usize, s: String) -> String {
        match &self.types[i] {
            CType::Void => join_base("void", &s),
            CType::Prim { name, .. } => join_base(name, &s),
            CType::Struct(k) => join_base(&self.structs[*k].name, &s),
            CType::Ptr(t) => {
                let inner = if s.is_empty() {
                    "*".to_string()
                } else if s.starts_with('[') {
                    format!("*{s}")
                } else {
                    format!("* {s}")
                };
                match self.types[*t] {
                    CType::Array(..) | CType::Func(..) => {
                        let inner = if s.is_empty() {
                            "(*)".to_string()
                        } else {
                            format!("(*{s})")
                        };
                        self.decl(*t, inner)
                    }
                    _ => self.decl(*t, inner),
                }
            }
            CType::Array(t, n) => {
                let d = match n {
                    Some(n) => format!("{s}[{n}]"),
                    None => format!("{s}[]"),
                };
                self.decl(*t, d)
            }
            CType::Func(args, ret, variadic) => {
                let mut a: Vec<String> = args.iter().map(|&x| self.name(x)).collect();
                if *variadic {
                    a.push("...".into());
                }
                if a.is_empty() {
                    a.push("void".into());
                }
                self.decl(*ret, format!("{s}({})", a.join(", ")))
            }
        }
    }

    /// Size in bytes (`None`: void, functions, incomplete types).
    pub fn size(&self, i: usize) -> Option<usize> {
        match &self.types[i] {
            CType::Void | CType::Func(..) => None,
            CType::Prim { kind, .. } => Some(kind.size()),
            CType::Ptr(_) => Some(8),
            CType::Array(t, n) => Some(self.size(*t)? * (*n)?),
            CType::Struct(k) => {
                let s = &self.structs[*k];
                s.complete.then_some(s.size)
            }
        }
    }

    /// Alignment in bytes.
    pub fn align(&self, i: usize) -> usize {
        match &self.types[i] {
            CType::Prim { kind, .. } => kind.size().max(1),
            CType::Array(t, _) => self.align(*t),
            CType::Struct(k) => self.structs[*k].align,
            _ => 8,
        }
    }

    /// The libffi kind of a scalar or pointer type.
    pub fn kind(&self, i: usize) -> Option<Kind> {
        match &self.types[i] {
            CType::Void => Some(Kind::Void),
            CType::Prim { kind, .. } => Some(*kind),
            CType::Ptr(_) => Some(Kind::Ptr),
            _ => None,
        }
    }

    /// Parses `cdef` source, adding its declarations. Errors are CFFI's `CDefError`
    /// messages.
    pub fn cdef(&mut self, src: &str) -> Result<(), String> {
        let toks = tokenize(src)?;
        let mut p = Parser {
            toks,
            pos: 0,
            ty: self,
        };
        p.declarations()
    }

    /// Parses a type name (`"int *"`, `"struct point[3]"`, `"int(*)(void *)"`).
    pub fn parse_type(&mut self, src: &str) -> Result<usize, String> {
        if let Some(&t) = self.parsed.get(src) {
            return Ok(t);
        }
        let toks = tokenize(src)?;
        let mut p = Parser {
            toks,
            pos: 0,
            ty: self,
        };
        let base = p.base_type()?;
        let d = p.declarator(true)?;
        if p.pos < p.toks.len() {
            return Err(format!(
                "cannot parse \"{src}\": unexpected '{}'",
                p.toks[p.pos].text
            ));
        }
        if let Some(n) = d.name {
            return Err(format!(
                "cannot parse \"{src}\": unexpected name '{n}' in a type"
            ));
        }
        let t = p.apply(base, &d.ops)?;
        self.parsed.insert(src.to_owned(), t);
        Ok(t)
    }
}

fn join_base(base: &str, s: &str) -> String {
    if s.is_empty() {
        base.to_owned()
    } else if s.starts_with('[') || s.starts_with('(') {
        format!("{base}{s}")
    } else {
        format!("{base} {s}")
    }
}

#[derive(Clone, Debug)]
struct Tok {
    text: String,
    line: usize,
}

fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' && line_start {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        line_start = false;
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if b[i..].starts_with(b"/*") {
            let end = src[i + 2..]
                .find("*/")
                .ok_or_else(|| format!("<cdef source string>:{line}: unterminated comment"))?;
            line += src[i..i + 2 + end].matches('\n').count();
            i += end + 4;
            continue;
        }
        let start = i;
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric()) {
                i += 1;
            }
        } else if b[i..].starts_with(b"...") {
            i += 3;
        } else if b"*()[]{};,=".contains(&c) {
            i += 1;
        } else {
            return Err(format!(
                "<cdef source string>:{line}: unexpected character '{}'",
                c as char
            ));
        }
        out.push(Tok {
            text: src[start..i].to_owned(),
            line,
        });
    }
    Ok(out)
}

/// How a declarator builds its type from the base type, innermost first.
#[derive(Clone, Debug)]
enum Op {
    Ptr,
    Array(Option<usize>),
    Func(Vec<usize>, bool),
}

struct Declarator {
    name: Option<String>,
    ops: Vec<Op>,
}

struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    ty: &'a mut Types,
}

const QUALIFIERS: &[&str] = &[
    "const",
    "volatile",
    "restrict",
    "__restrict",
    "extern",
    "static",
    "inline",
];

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(|t| t.text.as_str())
    }

    fn line(&self) -> usize {
        self.toks
            .get(self.pos)
            .or(self.toks.last())
            .map_or(1, |t| t.line)
    }

    fn err(&self, msg: impl AsRef<str>) -> String {
        format!("<cdef source string>:{}: {}", self.line(), msg.as_ref())
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.peek() == Some(s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, s: &str) -> Result<(), String> {
        if self.eat(s) {
            Ok(())
        } else {
            let got = self.peek().unwrap_or("end of input").to_owned();
            Err(self.err(format!("expected '{s}', got '{got}'")))
        }
    }

    fn skip_qualifiers(&mut self) {
        while self.peek().is_some_and(|t| QUALIFIERS.contains(&t)) {
            self.pos += 1;
        }
    }

    fn ident(&mut self) -> Option<String> {
        let t = self.peek()?;
        if t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            let t = t.to_owned();
            self.pos += 1;
            Some(t)
        } else {
            None
        }
    }

    fn declarations(&mut self) -> Result<(), String> {
        while self.pos < self.toks.len() {
            if self.eat(";") {
                continue;
            }
            let typedef = self.eat("typedef");
            let base = self.base_type()?;
            if self.eat(";") {
                continue; // `struct point { ... };`
            }
            loop {
                let d = self.declarator(false)?;
                let name = d
                    .name
                    .clone()
                    .ok_or_else(|| self.err("expected a name in the declaration"))?;
                let t = self.apply(base, &d.ops)?;
                if typedef {
                    self.ty.typedefs.insert(name.clone(), t);
                    // An anonymous struct takes its typedef's name.
                    if let CType::Struct(k) = self.ty.types[t] {
                        if self.ty.structs[k].name.starts_with("struct $")
                            || self.ty.structs[k].name.starts_with("union $")
                        {
                            self.ty.structs[k].name = name.clone();
                        }
                    }
                } else if matches!(self.ty.types[t], CType::Func(..)) {
                    self.ty.functions.insert(name, t);
                } else {
                    return Err(self.err(format!(
                        "global variable '{name}' is not supported (only functions, types \
                         and typedefs)"
                    )));
                }
                if self.eat(",") {
                    continue;
                }
                self.expect(";")?;
                break;
            }
        }
        Ok(())
    }

    /// The type specifier: primitive words, `struct X {...}`, or a typedef name.
    fn base_type(&mut self) -> Result<usize, String> {
        self.skip_qualifiers();
        let t = match self.peek() {
            None => return Err(self.err("expected a type, got end of input")),
            Some("struct") | Some("union") => self.struct_type()?,
            Some(_) => self.prim_or_typedef()?,
        };
        self.skip_qualifiers();
        Ok(t)
    }

    fn prim_or_typedef(&mut self) -> Result<usize, String> {
        const WORDS: &[&str] = &["signed", "unsigned", "char", "short", "int", "long"];
        let mut words = Vec::new();
        while let Some(w) = self.peek() {
            if WORDS.contains(&w) {
                words.push(w.to_owned());
                self.pos += 1;
                self.skip_qualifiers();
            } else {
                break;
            }
        }
        if words.is_empty() {
            let name = self.ident().ok_or_else(|| {
                self.err(format!(
                    "expected a type, got '{}'",
                    self.peek().unwrap_or("")
                ))
            })?;
            if name == "bool" {
                return Ok(self.ty.prim("_Bool").expect("_Bool"));
            }
            if let Some(t) = self.ty.prim(&name) {
                return Ok(t);
            }
            return self.ty.typedefs.get(&name).copied().ok_or_else(|| {
                self.pos -= 1;
                self.err(format!("unknown type name '{name}'"))
            });
        }
        let unsigned = words.iter().any(|w| w == "unsigned");
        let longs = words.iter().filter(|w| *w == "long").count();
        let name = if words.iter().any(|w| w == "char") {
            if unsigned {
                "unsigned char"
            } else if words.iter().any(|w| w == "signed") {
                "signed char"
            } else {
                "char"
            }
        } else if words.iter().any(|w| w == "short") {
            if unsigned {
                "unsigned short"
            } else {
                "short"
            }
        } else {
            match (longs, unsigned) {
                (0, false) => "int",
                (0, true) => "unsigned int",
                (1, false) => "long",
                (1, true) => "unsigned long",
                (_, false) => "long long",
                (_, true) => "unsigned long long",
            }
        };
        Ok(self.ty.prim(name).expect("primitive"))
    }

    fn struct_type(&mut self) -> Result<usize, String> {
        let is_union = self.peek() == Some("union");
        self.pos += 1;
        let kw = if is_union { "union" } else { "struct" };
        let tag = self.ident();
        let name = match &tag {
            Some(t) => format!("{kw} {t}"),
            None => format!("{kw} ${}", self.ty.structs.len()),
        };
        let k = match self.ty.tags.get(&name) {
            Some(&k) => k,
            None => {
                self.ty.structs.push(StructDef {
                    name: name.clone(),
                    fields: vec![],
                    size: 0,
                    align: 1,
                    complete: false,
                    is_union,
                });
                let k = self.ty.structs.len() - 1;
                self.ty.tags.insert(name.clone(), k);
                k
            }
        };
        if self.eat("{") {
            let mut fields = Vec::new();
            while !self.eat("}") {
                let base = self.base_type()?;
                loop {
                    let d = self.declarator(false)?;
                    let fname = d
                        .name
                        .clone()
                        .ok_or_else(|| self.err("expected a field name"))?;
                    let t = self.apply(base, &d.ops)?;
                    if self.ty.size(t).is_none() {
                        return Err(self.err(format!(
                            "field '{name}.{fname}' has ctype '{}' of unknown size",
                            self.ty.name(t)
                        )));
                    }
                    fields.push((fname, t));
                    if !self.eat(",") {
                        break;
                    }
                }
                self.expect(";")?;
            }
            let mut off = 0usize;
            let mut align = 1;
            let mut size = 0usize;
            let mut laid = Vec::new();
            for (f, t) in fields {
                let (s, a) = (self.ty.size(t).unwrap_or(0), self.ty.align(t));
                align = align.max(a);
                if is_union {
                    laid.push((f, t, 0));
                    size = size.max(s);
                } else {
                    off = off.next_multiple_of(a);
                    laid.push((f, t, off));
                    off += s;
                    size = off;
                }
            }
            let sd = &mut self.ty.structs[k];
            sd.fields = laid;
            sd.size = size.next_multiple_of(align);
            sd.align = align;
            sd.complete = true;
        }
        Ok(self.ty.intern(CType::Struct(k)))
    }

    /// A declarator: pointers, a name or a parenthesised declarator, then array and
    /// function suffixes. `abstract_ok`: the name may be missing.
    fn declarator(&mut self, abstract_ok: bool) -> Result<Declarator, String> {
        let mut stars = 0;
        loop {
            if self.eat("*") {
                stars += 1;
                self.skip_qualifiers();
            } else {
                break;
            }
        }
        let mut name = None;
        let mut inner: Vec<Op> = Vec::new();
        // `(` starts a nested declarator unless it starts a parameter list.
        if self.peek() == Some("(") && self.nested_declarator_follows() {
            self.pos += 1;
            let d = self.declarator(true)?;
            self.expect(")")?;
            name = d.name;
            inner = d.ops;
        } else if let Some(t) = self.peek() {
            if t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                name = self.ident();
            }
        }
        let _ = abstract_ok;
        let mut suffixes = Vec::new();
        loop {
            if self.eat("[") {
                if self.eat("]") {
                    suffixes.push(Op::Array(None));
                } else {
                    let n = self.peek().unwrap_or("").to_owned();
                    let v =
                        parse_int(&n).ok_or_else(|| self.err(format!("bad array length '{n}'")))?;
                    self.pos += 1;
                    self.expect("]")?;
                    suffixes.push(Op::Array(Some(v)));
                }
            } else if self.peek() == Some("(") {
                self.pos += 1;
                let (params, variadic) = self.params()?;
                suffixes.push(Op::Func(params, variadic));
            } else {
                break;
            }
        }
        let mut ops = vec![Op::Ptr; stars];
        ops.extend(suffixes.into_iter().rev());
        ops.extend(inner);
        Ok(Declarator { name, ops })
    }

    /// After `(`: a nested declarator starts with `*`, `(` or `[`... or a name that is
    /// not a type.
    fn nested_declarator_follows(&self) -> bool {
        match self.toks.get(self.pos + 1).map(|t| t.text.as_str()) {
            Some("*") | Some("(") | Some("[") => true,
            Some(")") | None => false,
            Some(t) => {
                !(QUALIFIERS.contains(&t)
                    || matches!(
                        t,
                        "void"
                            | "struct"
                            | "union"
                            | "signed"
                            | "unsigned"
                            | "char"
                            | "short"
                            | "int"
                            | "long"
                            | "float"
                            | "double"
                            | "bool"
                            | "_Bool"
                            | "..."
                    )
                    || PRIMS.iter().any(|(n, _)| *n == t)
                    || self.ty.typedefs.contains_key(t))
            }
        }
    }

    /// A parameter list after `(`, through `)`.
    fn params(&mut self) -> Result<(Vec<usize>, bool), String> {
        let mut params = Vec::new();
        let mut variadic = false;
        if self.eat(")") {
            return Ok((params, false));
        }
        loop {
            if self.eat("...") {
                variadic = true;
                self.expect(")")?;
                break;
            }
            let base = self.base_type()?;
            let d = self.declarator(true)?;
            let mut t = self.apply(base, &d.ops)?;
            // Arrays and functions as parameters are pointers.
            match self.ty.types[t].clone() {
                CType::Array(e, _) => t = self.ty.ptr(e),
                CType::Func(..) => t = self.ty.ptr(t),
                CType::Void
                    if d.ops.is_empty() && params.is_empty() && self.peek() == Some(")") =>
                {
                    self.pos += 1;
                    return Ok((params, false));
                }
                CType::Void => return Err(self.err("'void' must be the only parameter")),
                _ => {}
            }
            params.push(t);
            if self.eat(")") {
                break;
            }
            self.expect(",")?;
        }
        Ok((params, variadic))
    }

    fn apply(&mut self, base: usize, ops: &[Op]) -> Result<usize, String> {
        let mut t = base;
        for op in ops {
            t = match op {
                Op::Ptr => self.ty.ptr(t),
                Op::Array(n) => {
                    if self.ty.size(t).is_none() {
                        return Err(self.err(format!(
                            "array of items of unknown size ctype '{}'",
                            self.ty.name(t)
                        )));
                    }
                    self.ty.intern(CType::Array(t, *n))
                }
                Op::Func(params, variadic) => {
                    if matches!(self.ty.types[t], CType::Array(..) | CType::Func(..)) {
                        return Err(self.err("a function cannot return an array or a function"));
                    }
                    self.ty.intern(CType::Func(params.clone(), t, *variadic))
                }
            };
        }
        Ok(t)
    }
}

fn parse_int(s: &str) -> Option<usize> {
    let s = s.trim_end_matches(['u', 'U', 'l', 'L']);
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        usize::from_str_radix(h, 16).ok()
    } else {
        s.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(t: &mut Types, s: &str) -> String {
        let i = t.parse_type(s).unwrap();
        t.name(i)
    }

    #[test]
    fn type_names_are_cffi_spellings() {
        let mut t = Types::default();
        assert_eq!(name_of(&mut t, "int*"), "int *");
        assert_eq!(name_of(&mut t, "int **"), "int * *");
        assert_eq!(name_of(&mut t, "unsigned"), "unsigned int");
        assert_eq!(name_of(&mut t, "long unsigned int"), "unsigned long");
        assert_eq!(name_of(&mut t, "char[5]"), "char[5]");
        assert_eq!(name_of(&mut t, "int *[3]"), "int *[3]");
        assert_eq!(name_of(&mut t, "int(*)[3]"), "int(*)[3]");
        assert_eq!(
            name_of(&mut t, "int(*)(const void *, const void*)"),
            "int(*)(void *, void *)"
        );
        assert_eq!(name_of(&mut t, "void(*)(void)"), "void(*)(void)");
    }

    #[test]
    fn cdef_structs_typedefs_functions() {
        let mut t = Types::default();
        t.cdef(
            "/* c */ typedef struct { int x; double y; char c; } point_t;\n\
             struct node { struct node *next; int v[3]; };\n\
             typedef int (*cmp_t)(const void *, const void *);\n\
             void qsort(void *base, size_t n, size_t size, cmp_t cmp);\n\
             unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);",
        )
        .unwrap();
        let p = t.typedefs["point_t"];
        assert_eq!(t.name(p), "point_t");
        assert_eq!(t.size(p), Some(24));
        let n = t.parse_type("struct node").unwrap();
        assert_eq!(t.size(n), Some(24));
        let q = t.functions["qsort"];
        assert_eq!(
            t.name(q),
            "void(void *, size_t, size_t, int(*)(void *, void *))"
        );
        assert!(t.functions.contains_key("crc32"));
        let e = t.cdef("foo_t f(int);").unwrap_err();
        assert!(e.contains("unknown type name 'foo_t'"), "{e}");
        assert!(t.cdef("int f(int").is_err());
        assert!(t.cdef("int x;").is_err());
    }
}
