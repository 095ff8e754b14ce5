//! The compiler from Python source to thicket bytecode ([`crate::bytecode`]).
//!
//! [`compile_module`] parses with `ruff_python_parser` (Python 3.11 grammar), turns the
//! first syntax error into a [`CompileError`], runs the scope analysis
//! ([`symtable`]) and then generates one [`Code`] per scope (statements in `stmt.rs`,
//! expressions in `expr.rs`). Every finished code object gets its `max_stack` from the
//! abstract interpreter in [`stack`], which doubles as the verifier the tests use.
//! This file holds the entry point, source positions, the per-scope code builder
//! ([`Unit`]) and the disassembler.

mod expr;
pub mod stack;
mod stmt;
pub mod symtable;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod testvm;

use crate::bytecode::{Code, CodeKind, CompileError, Const, Instr};
use ruff_python_ast::{PythonVersion, Stmt};
use ruff_python_parser::{Mode, ParseOptions, UnsupportedSyntaxErrorKind};
use ruff_text_size::TextSize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;
use symtable::{NameScope, ScopeId, SymbolTable};

/// Compiles a module's source into its code object.
pub fn compile_module(source: &str, filename: &str) -> Result<Rc<Code>, CompileError> {
    // The parser and the syntax tree's destructor recurse without bound on deeply nested
    // (or long left-nested, like `1 + 1 + ...`) input, up to about 200 bytes of stack
    // per level, and a level takes at least two bytes of source: give them a stack
    // that is large enough (the compiler's own recursion grows its stack as needed).
    let needed = 1024 * 1024 + source.len().saturating_mul(128);
    stacker::maybe_grow(needed, needed, || compile_module_on_stack(source, filename))
}

fn compile_module_on_stack(source: &str, filename: &str) -> Result<Rc<Code>, CompileError> {
    let src = SourceMap::new(source, filename);
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY311);
    let parsed = ruff_python_parser::parse_unchecked(source, options);
    if let Some(e) = parsed.errors().first() {
        let mut msg = e.error.to_string();
        if msg.starts_with("ParseIntError") {
            // A malformed number such as `0x`.
            msg = "invalid number literal".into();
        }
        let kind = if matches!(
            e.error,
            ruff_python_parser::ParseErrorType::UnexpectedIndentation
                | ruff_python_parser::ParseErrorType::Lexical(
                    ruff_python_parser::LexicalErrorType::IndentationError
                )
        ) || msg.contains("indented block")
        {
            "IndentationError"
        } else {
            "SyntaxError"
        };
        let mut err = src.error(e.location.start(), msg);
        err.kind = kind;
        return Err(err);
    }
    let Some(module) = parsed.syntax().as_module() else {
        return Err(src.error(TextSize::default(), "expected a module"));
    };
    let body: &[Stmt] = &module.body;
    // Constructs that thicket refuses anyway get thicket's message from the symbol
    // table pass; the other version-gated syntax is a plain syntax error for 3.11.
    let table = symtable::build(body, &src)?;
    if let Some(e) = parsed.unsupported_syntax_errors().iter().find(|e| {
        !matches!(
            e.kind,
            UnsupportedSyntaxErrorKind::TypeParameterList
                | UnsupportedSyntaxErrorKind::TypeAliasStatement
                | UnsupportedSyntaxErrorKind::TypeParamDefault
        )
    }) {
        return Err(src.error(e.range.start(), e.to_string()));
    }
    let mut c = Compiler {
        src: &src,
        table,
        units: Vec::new(),
    };
    c.compile_module(body)
}

/// Line starts of a source, to turn byte offsets into lines and columns.
pub(crate) struct SourceMap<'s> {
    text: &'s str,
    filename: &'s str,
    line_starts: Vec<usize>,
}

impl<'s> SourceMap<'s> {
    fn new(text: &'s str, filename: &'s str) -> SourceMap<'s> {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        SourceMap {
            text,
            filename,
            line_starts,
        }
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line(&self, at: TextSize) -> u32 {
        let off = usize::from(at);
        let idx = self.line_starts.partition_point(|&s| s <= off);
        idx.max(1) as u32
    }

    /// The text of 1-based line `line`, without its line break.
    fn line_text(&self, line: u32) -> Option<&'s str> {
        let start = *self.line_starts.get(line as usize - 1)?;
        let end = self
            .line_starts
            .get(line as usize)
            .copied()
            .unwrap_or(self.text.len());
        let text = self.text.get(start..end)?;
        Some(text.trim_end_matches(['\n', '\r']))
    }

    /// A `SyntaxError` at byte offset `at`.
    pub(crate) fn error(&self, at: TextSize, msg: impl Into<String>) -> CompileError {
        let line = self.line(at);
        let start = self.line_starts[line as usize - 1];
        let off = usize::from(at).min(self.text.len());
        let col = self
            .text
            .get(start..off)
            .map_or(1, |prefix| prefix.chars().count() as u32 + 1);
        CompileError {
            kind: "SyntaxError",
            msg: msg.into(),
            filename: self.filename.to_string(),
            line,
            col,
            text: self.line_text(line).map(str::to_string),
        }
    }
}

/// Private name mangling: `__spam` inside class `Ham` becomes `_Ham__spam`.
pub(crate) fn mangle<'n>(private: Option<&str>, name: &'n str) -> Cow<'n, str> {
    let Some(class) = private else {
        return Cow::Borrowed(name);
    };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return Cow::Borrowed(name);
    }
    let stripped = class.trim_start_matches('_');
    if stripped.is_empty() {
        return Cow::Borrowed(name);
    }
    Cow::Owned(format!("_{stripped}{name}"))
}

/// A jump target inside the unit being compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Label(u32);

/// What a `break`, `continue` or `return` must undo on its way out (CPython's
/// "frame blocks").
#[derive(Clone)]
pub(crate) enum FBlock<'a> {
    /// A `while` loop.
    While { cont: Label, brk: Label },
    /// A `for` loop: its iterator is on the stack.
    For { cont: Label, brk: Label },
    /// The body of `try` with handlers: a `SetupExcept` block is active.
    TryExcept,
    /// The body of `try` with `finally`: a `SetupExcept` block is active, and the
    /// finally body must run.
    FinallyTry(&'a [Stmt]),
    /// The finally body on the exception path: `[prev, exc]` on the stack and a cleanup
    /// block active.
    FinallyEnd,
    /// The body of `with`: the exit is on the stack and the with block active.
    With,
    /// An except handler's body: `prev` on the stack, a cleanup block active, and the
    /// `as` name (mangled, if any) to unbind.
    Handler(Option<Rc<str>>),
    /// A value on the stack to drop (a `return` value while a finally body runs).
    PopValue,
}

/// Dedup key of a constant.
#[derive(Clone, PartialEq, Eq, Hash)]
enum ConstKey {
    None,
    True,
    False,
    Ellipsis,
    Int(i64),
    BigInt(String),
    Float(u64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    Tuple(Vec<ConstKey>),
    Code(usize),
}

fn const_key(c: &Const) -> ConstKey {
    match c {
        Const::None => ConstKey::None,
        Const::True => ConstKey::True,
        Const::False => ConstKey::False,
        Const::Ellipsis => ConstKey::Ellipsis,
        Const::Int(i) => ConstKey::Int(*i),
        Const::BigInt(b) => ConstKey::BigInt(b.to_string()),
        Const::Float(f) => ConstKey::Float(f.to_bits()),
        Const::Str(s) => ConstKey::Str(s.clone()),
        Const::Bytes(b) => ConstKey::Bytes(b.clone()),
        Const::Tuple(t) => ConstKey::Tuple(t.iter().map(const_key).collect()),
        Const::Code(c) => ConstKey::Code(Rc::as_ptr(c) as usize),
    }
}

/// One code object being built.
pub(crate) struct Unit<'a> {
    pub(crate) scope: ScopeId,
    pub(crate) kind: CodeKind,
    pub(crate) name: Rc<str>,
    pub(crate) qualname: Rc<str>,
    pub(crate) first_line: u32,
    pub(crate) argcount: u32,
    pub(crate) posonlyargcount: u32,
    pub(crate) kwonlyargcount: u32,
    pub(crate) varargs: bool,
    pub(crate) varkw: bool,
    pub(crate) varnames: Vec<Rc<str>>,
    varname_idx: HashMap<Rc<str>, u32>,
    pub(crate) cellvars: Vec<Rc<str>>,
    pub(crate) freevars: Vec<Rc<str>>,
    cell_idx: HashMap<Rc<str>, u32>,
    names: Vec<Rc<str>>,
    name_idx: HashMap<Rc<str>, u32>,
    consts: Vec<Const>,
    const_idx: HashMap<ConstKey, u32>,
    code: Vec<Instr>,
    lines: Vec<u32>,
    labels: Vec<u32>,
    fixups: Vec<usize>,
    pub(crate) fblocks: Vec<FBlock<'a>>,
    pub(crate) line: u32,
    pub(crate) doc: Option<Rc<str>>,
    pub(crate) private: Option<Rc<str>>,
}

const UNBOUND: u32 = u32::MAX;

/// The code generator: a stack of units, innermost last.
pub(crate) struct Compiler<'a> {
    pub(crate) src: &'a SourceMap<'a>,
    pub(crate) table: SymbolTable,
    pub(crate) units: Vec<Unit<'a>>,
}

pub(crate) type CResult<T> = Result<T, CompileError>;

impl<'a> Compiler<'a> {
    pub(crate) fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("a unit is being compiled")
    }

    pub(crate) fn unit_ref(&self) -> &Unit<'a> {
        self.units.last().expect("a unit is being compiled")
    }

    pub(crate) fn err(&self, at: TextSize, msg: impl Into<String>) -> CompileError {
        self.src.error(at, msg)
    }

    /// Starts compiling the scope `scope` (created by a def, class, lambda or
    /// comprehension, or the module).
    pub(crate) fn enter_unit(
        &mut self,
        scope: ScopeId,
        kind: CodeKind,
        name: &str,
        first_line: u32,
    ) {
        let sc = &self.table.scopes[scope];
        let qualname: Rc<str> = match self.units.last() {
            None => name.into(),
            Some(parent) if parent.kind == CodeKind::Module => name.into(),
            Some(parent) => {
                let parent_scope = &self.table.scopes[parent.scope];
                let mangled = mangle(parent.private.as_deref(), name);
                let force_global = matches!(kind, CodeKind::Function | CodeKind::Class)
                    && parent_scope.lookup(&mangled) == NameScope::GlobalExplicit;
                if force_global {
                    name.into()
                } else if matches!(parent.kind, CodeKind::Function | CodeKind::Lambda) {
                    format!("{}.<locals>.{}", parent.qualname, name).into()
                } else {
                    format!("{}.{}", parent.qualname, name).into()
                }
            }
        };
        let private = if kind == CodeKind::Class {
            Some(Rc::from(name))
        } else {
            self.units.last().and_then(|u| u.private.clone())
        };
        let mut varnames: Vec<Rc<str>> = Vec::new();
        if sc.kind.is_function_like() {
            varnames.extend(sc.params.iter().cloned());
            for sym in &sc.symbols {
                if sym.scope == NameScope::Local && !varnames.contains(&sym.name) {
                    varnames.push(sym.name.clone());
                }
            }
        }
        let varname_idx = varnames
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        let cellvars = sc.cellvars.clone();
        let freevars = sc.freevars.clone();
        let cell_idx = cellvars
            .iter()
            .chain(freevars.iter())
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        self.units.push(Unit {
            scope,
            kind,
            name: name.into(),
            qualname,
            first_line,
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            varargs: false,
            varkw: false,
            varnames,
            varname_idx,
            cellvars,
            freevars,
            cell_idx,
            names: Vec::new(),
            name_idx: HashMap::new(),
            consts: Vec::new(),
            const_idx: HashMap::new(),
            code: Vec::new(),
            lines: Vec::new(),
            labels: Vec::new(),
            fixups: Vec::new(),
            fblocks: Vec::new(),
            line: first_line,
            doc: None,
            private,
        });
    }

    /// Finishes the innermost unit into a code object.
    pub(crate) fn exit_unit(&mut self) -> CResult<Rc<Code>> {
        let mut u = self.units.pop().expect("a unit is being compiled");
        for &at in &u.fixups {
            if let Some(t) = stack::jump_target_mut(&mut u.code[at]) {
                let pc = u.labels.get(*t as usize).copied().unwrap_or(UNBOUND);
                if pc == UNBOUND {
                    return Err(self.src.error(
                        TextSize::default(),
                        format!("internal compiler error: unbound label in {}", u.qualname),
                    ));
                }
                *t = pc;
            }
        }
        let sc = &self.table.scopes[u.scope];
        let cell_params = u
            .cellvars
            .iter()
            .enumerate()
            .filter_map(|(ci, name)| {
                sc.params
                    .iter()
                    .position(|p| p == name)
                    .map(|vi| (ci as u32, vi as u32))
            })
            .collect();
        let mut code = Code {
            kind: u.kind,
            name: u.name,
            qualname: u.qualname,
            filename: self.src.filename.into(),
            first_line: u.first_line,
            argcount: u.argcount,
            posonlyargcount: u.posonlyargcount,
            kwonlyargcount: u.kwonlyargcount,
            varargs: u.varargs,
            varkw: u.varkw,
            generator: sc.generator,
            varnames: u.varnames,
            cellvars: u.cellvars,
            cell_params,
            freevars: u.freevars,
            names: u.names,
            consts: u.consts,
            code: u.code,
            lines: u.lines,
            max_stack: 0,
            doc: u.doc,
        };
        match stack::analyze(&code) {
            Ok(depth) => code.max_stack = depth,
            Err(e) => {
                return Err(self.src.error(
                    TextSize::default(),
                    format!("internal compiler error in {}: {e}", code.qualname),
                ))
            }
        }
        Ok(Rc::new(code))
    }

    // ---- emission ----

    pub(crate) fn emit(&mut self, i: Instr) {
        let u = self.unit();
        u.code.push(i);
        let line = u.line;
        u.lines.push(line);
    }

    pub(crate) fn new_label(&mut self) -> Label {
        let u = self.unit();
        u.labels.push(UNBOUND);
        Label(u.labels.len() as u32 - 1)
    }

    pub(crate) fn bind(&mut self, l: Label) {
        let u = self.unit();
        u.labels[l.0 as usize] = u.code.len() as u32;
    }

    /// Emits a jump instruction (`make` builds it from the target) to label `l`.
    pub(crate) fn emit_jump(&mut self, make: fn(u32) -> Instr, l: Label) {
        let u = self.unit();
        u.fixups.push(u.code.len());
        self.emit(make(l.0));
    }

    pub(crate) fn set_line(&mut self, at: TextSize) -> u32 {
        let line = self.src.line(at);
        let u = self.unit();
        std::mem::replace(&mut u.line, line)
    }

    pub(crate) fn restore_line(&mut self, line: u32) {
        self.unit().line = line;
    }

    pub(crate) fn const_index(&mut self, c: Const) -> u32 {
        let u = self.unit();
        let key = const_key(&c);
        if let Some(&i) = u.const_idx.get(&key) {
            return i;
        }
        let i = u.consts.len() as u32;
        u.consts.push(c);
        u.const_idx.insert(key, i);
        i
    }

    pub(crate) fn load_const(&mut self, c: Const) {
        let i = self.const_index(c);
        self.emit(Instr::LoadConst(i));
    }

    pub(crate) fn load_str(&mut self, s: &str) {
        self.load_const(Const::Str(s.into()));
    }

    /// Index of `name` in the `names` table.
    pub(crate) fn name_index(&mut self, name: &str) -> u32 {
        let u = self.unit();
        if let Some(&i) = u.name_idx.get(name) {
            return i;
        }
        let i = u.names.len() as u32;
        let rc: Rc<str> = name.into();
        u.names.push(rc.clone());
        u.name_idx.insert(rc, i);
        i
    }

    /// Index of a fast local, added if new (only for names the symbol table knows).
    pub(crate) fn varname_index(&mut self, name: &str) -> u32 {
        let u = self.unit();
        if let Some(&i) = u.varname_idx.get(name) {
            return i;
        }
        let i = u.varnames.len() as u32;
        let rc: Rc<str> = name.into();
        u.varnames.push(rc.clone());
        u.varname_idx.insert(rc, i);
        i
    }

    pub(crate) fn cell_index(&self, name: &str) -> Option<u32> {
        self.unit_ref().cell_idx.get(name).copied()
    }

    pub(crate) fn mangle<'n>(&self, name: &'n str) -> Cow<'n, str> {
        mangle(self.unit_ref().private.as_deref(), name)
    }

    /// The `return` at the end of a body, on the line of its last statement.
    pub(crate) fn implicit_return(&mut self, body: &[Stmt], value: Const) {
        if let Some(last) = body.last() {
            self.set_line(ruff_text_size::Ranged::start(last));
        }
        self.load_const(value);
        self.emit(Instr::Return);
    }

    // ---- the module ----

    fn compile_module(&mut self, body: &'a [Stmt]) -> CResult<Rc<Code>> {
        self.enter_unit(0, CodeKind::Module, "<module>", 1);
        let mut body = body;
        if let Some(doc) = body.first().and_then(stmt::docstring) {
            let line = self.set_line(ruff_text_size::Ranged::start(&body[0]));
            self.unit().doc = Some(doc.clone());
            self.load_const(Const::Str(doc));
            let i = self.name_index("__doc__");
            self.emit(Instr::StoreGlobal(i));
            self.restore_line(line);
            body = &body[1..];
        }
        self.compile_body(body)?;
        self.implicit_return(body, Const::None);
        self.exit_unit()
    }
}

/// A readable listing of a code object and, after it, of every code object among its
/// constants.
pub fn disassemble(code: &Code) -> String {
    let mut out = String::new();
    disassemble_into(code, &mut out);
    out
}

fn disassemble_into(code: &Code, out: &mut String) {
    let _ = writeln!(
        out,
        "Disassembly of {} ({:?}, line {}, args {}/{}/{}{}{}{}, max_stack {}):",
        code.qualname,
        code.kind,
        code.first_line,
        code.argcount,
        code.posonlyargcount,
        code.kwonlyargcount,
        if code.varargs { ", *args" } else { "" },
        if code.varkw { ", **kwargs" } else { "" },
        if code.generator { ", generator" } else { "" },
        code.max_stack
    );
    if !code.varnames.is_empty() {
        let _ = writeln!(out, "  varnames: {}", join(&code.varnames));
    }
    if !code.cellvars.is_empty() {
        let _ = writeln!(out, "  cellvars: {}", join(&code.cellvars));
    }
    if !code.freevars.is_empty() {
        let _ = writeln!(out, "  freevars: {}", join(&code.freevars));
    }
    let mut targets = vec![false; code.code.len() + 1];
    for i in &code.code {
        if let Some(t) = stack::jump_target(i) {
            if let Some(slot) = targets.get_mut(t as usize) {
                *slot = true;
            }
        }
    }
    let mut last_line = 0;
    for (pc, instr) in code.code.iter().enumerate() {
        let line = code.line_at(pc);
        let line_col = if line != last_line {
            last_line = line;
            format!("{line:>4}")
        } else {
            "    ".to_string()
        };
        let mark = if targets[pc] { ">>" } else { "  " };
        let note = annotate(code, instr);
        let text = format!("{instr:?}");
        if note.is_empty() {
            let _ = writeln!(out, "{line_col} {mark} {pc:>4} {text}");
        } else {
            let _ = writeln!(out, "{line_col} {mark} {pc:>4} {text:<28} ({note})");
        }
    }
    for c in &code.consts {
        if let Const::Code(inner) = c {
            out.push('\n');
            disassemble_into(inner, out);
        }
    }
}

fn join(names: &[Rc<str>]) -> String {
    names.iter().map(|n| &**n).collect::<Vec<_>>().join(", ")
}

fn annotate(code: &Code, instr: &Instr) -> String {
    let name = |i: u32| {
        code.names
            .get(i as usize)
            .map_or_else(|| "?".to_string(), |n| n.to_string())
    };
    let var = |i: u32| {
        code.varnames
            .get(i as usize)
            .map_or_else(|| "?".to_string(), |n| n.to_string())
    };
    let cell = |i: u32| {
        if (i as usize) < code.n_cells() {
            code.cell_name(i as usize).to_string()
        } else {
            "?".to_string()
        }
    };
    match *instr {
        Instr::LoadConst(i) => code
            .consts
            .get(i as usize)
            .map_or_else(|| "?".to_string(), const_repr),
        Instr::LoadFast(i) | Instr::StoreFast(i) | Instr::DeleteFast(i) => var(i),
        Instr::LoadDeref(i)
        | Instr::StoreDeref(i)
        | Instr::DeleteDeref(i)
        | Instr::LoadClosure(i) => cell(i),
        Instr::LoadClassDeref { name: n, cell: c } => format!("{} / {}", name(n), cell(c)),
        Instr::LoadGlobal(i)
        | Instr::StoreGlobal(i)
        | Instr::DeleteGlobal(i)
        | Instr::LoadBuiltin(i)
        | Instr::LoadName(i)
        | Instr::StoreName(i)
        | Instr::DeleteName(i)
        | Instr::LoadAttr(i)
        | Instr::StoreAttr(i)
        | Instr::DeleteAttr(i)
        | Instr::LoadMethod(i)
        | Instr::ImportName(i)
        | Instr::ImportFrom(i) => name(i),
        _ => String::new(),
    }
}

/// A Python-like rendering of a constant.
pub fn const_repr(c: &Const) -> String {
    match c {
        Const::None => "None".into(),
        Const::True => "True".into(),
        Const::False => "False".into(),
        Const::Ellipsis => "Ellipsis".into(),
        Const::Int(i) => i.to_string(),
        Const::BigInt(b) => b.to_string(),
        Const::Float(f) => format!("{f:?}"),
        Const::Str(s) => format!("{:?}", &**s),
        Const::Bytes(b) => format!("b{:?}", String::from_utf8_lossy(b)),
        Const::Tuple(t) => {
            let items: Vec<String> = t.iter().map(const_repr).collect();
            if items.len() == 1 {
                format!("({},)", items[0])
            } else {
                format!("({})", items.join(", "))
            }
        }
        Const::Code(c) => format!("<code {}>", c.qualname),
    }
}
