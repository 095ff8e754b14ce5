//! Scope analysis: the first pass of the compiler.
//!
//! Walks the whole syntax tree once, building one [`Scope`] per module, class body,
//! function, lambda and comprehension, with every name each scope binds or uses; then
//! resolves each name to local, cell, free or global (explicit or implicit) the way
//! CPython 3.11's `symtable.c` does. The same walk refuses the constructs thicket does
//! not support and reports the scope-related syntax errors (`nonlocal` at module level,
//! `'return' outside function`, `'break' outside loop`, ...).

use super::{mangle, SourceMap};
use crate::bytecode::CompileError;
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextSize};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Index of a scope in [`SymbolTable::scopes`].
pub type ScopeId = usize;

/// The kind of a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

impl ScopeKind {
    /// Functions, lambdas and comprehensions: scopes with fast locals and cells.
    pub fn is_function_like(self) -> bool {
        matches!(
            self,
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension
        )
    }
}

/// Where a name lives, once resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScope {
    Local,
    /// Declared `global`.
    GlobalExplicit,
    /// Not bound anywhere visible: globals, then builtins.
    GlobalImplicit,
    /// Bound in an enclosing function scope.
    Free,
    /// Local, and captured by an inner scope.
    Cell,
}

/// Declared `global`.
pub const DEF_GLOBAL: u32 = 1;
/// Assigned (or deleted) in the scope.
pub const DEF_LOCAL: u32 = 2;
/// A parameter.
pub const DEF_PARAM: u32 = 4;
/// Declared `nonlocal`.
pub const DEF_NONLOCAL: u32 = 8;
/// Read in the scope.
pub const USE: u32 = 16;
/// A class-local name that is also a free variable of an inner scope.
pub const DEF_FREE_CLASS: u32 = 32;
/// Bound by an import.
pub const DEF_IMPORT: u32 = 64;
/// An annotated name (`x: int`).
pub const DEF_ANNOT: u32 = 128;
/// A comprehension's iteration variable.
pub const DEF_COMP_ITER: u32 = 256;
/// Any binding.
pub const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

/// One name of a scope.
#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: Rc<str>,
    pub flags: u32,
    pub scope: NameScope,
    /// Where the name first appeared (or was declared `global`/`nonlocal`).
    pub pos: TextSize,
}

/// One scope: module, class body, function, lambda or comprehension.
#[derive(Clone, Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: Rc<str>,
    /// Names in order of first appearance.
    pub symbols: Vec<Symbol>,
    index: HashMap<Rc<str>, usize>,
    /// Parameter names (mangled), in `varnames` order: positional, keyword-only,
    /// `*args`, `**kwargs`.
    pub params: Vec<Rc<str>>,
    pub children: Vec<ScopeId>,
    /// Contains `yield` (or is a generator expression).
    pub generator: bool,
    /// A class body whose methods use `__class__` (or `super`).
    pub needs_class_closure: bool,
    /// The class name used to mangle `__private` names, if inside a class.
    pub private: Option<Rc<str>>,
    /// Cells (sorted), after analysis.
    pub cellvars: Vec<Rc<str>>,
    /// Free variables (sorted), after analysis.
    pub freevars: Vec<Rc<str>>,
}

impl Scope {
    fn new(kind: ScopeKind, name: &str, private: Option<Rc<str>>) -> Scope {
        Scope {
            kind,
            name: name.into(),
            symbols: Vec::new(),
            index: HashMap::new(),
            params: Vec::new(),
            children: Vec::new(),
            generator: false,
            needs_class_closure: false,
            private,
            cellvars: Vec::new(),
            freevars: Vec::new(),
        }
    }

    /// The flags of `name` (0 if absent).
    pub fn flags(&self, name: &str) -> u32 {
        self.index.get(name).map_or(0, |&i| self.symbols[i].flags)
    }

    /// The resolved scope of `name` (mangled already); names never seen are implicit
    /// globals.
    pub fn lookup(&self, name: &str) -> NameScope {
        self.index
            .get(name)
            .map_or(NameScope::GlobalImplicit, |&i| self.symbols[i].scope)
    }

    fn add(&mut self, name: &str, flags: u32, at: TextSize) -> u32 {
        match self.index.get(name) {
            Some(&i) => {
                let sym = &mut self.symbols[i];
                sym.flags |= flags;
                if flags & (DEF_GLOBAL | DEF_NONLOCAL) != 0 {
                    sym.pos = at;
                }
                sym.flags
            }
            None => {
                let name: Rc<str> = name.into();
                self.index.insert(name.clone(), self.symbols.len());
                self.symbols.push(Symbol {
                    name,
                    flags,
                    scope: NameScope::GlobalImplicit,
                    pos: at,
                });
                flags
            }
        }
    }
}

/// All the scopes of a module, found again by the address of their syntax node.
#[derive(Debug, Default)]
pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    by_node: HashMap<usize, ScopeId>,
}

/// The key of a scope-creating syntax node: its address (the tree does not move while
/// it is compiled).
pub fn node_key<T>(node: &T) -> usize {
    node as *const T as usize
}

impl SymbolTable {
    /// The scope created by the node with key `key` (see [`node_key`]).
    pub fn scope_for(&self, key: usize) -> Option<ScopeId> {
        self.by_node.get(&key).copied()
    }
}

/// Builds and analyses the symbol table of a module.
pub(crate) fn build(module: &[Stmt], src: &SourceMap) -> Result<SymbolTable, CompileError> {
    let mut b = Builder {
        src,
        table: SymbolTable::default(),
        stack: Vec::new(),
        loops: Vec::new(),
        comp_iter_expr: 0,
    };
    b.table
        .scopes
        .push(Scope::new(ScopeKind::Module, "<module>", None));
    b.stack.push(0);
    b.loops.push(0);
    let mut future_ok = true;
    for (i, s) in module.iter().enumerate() {
        let is_doc = i == 0 && is_docstring_stmt(s);
        let is_future = matches!(s, Stmt::ImportFrom(f) if f.level == 0
            && f.module.as_ref().is_some_and(|m| m.as_str() == "__future__"));
        if is_future {
            if !future_ok {
                return Err(src.error(
                    s.start(),
                    "from __future__ imports must occur at the beginning of the file",
                ));
            }
        } else if !is_doc {
            future_ok = false;
        }
        b.visit_stmt(s)?;
    }
    let mut free = HashSet::new();
    analyze_block(&mut b.table, 0, None, &mut free, &HashSet::new(), src)?;
    Ok(b.table)
}

/// Whether a statement is a docstring (a plain string literal expression).
pub fn is_docstring_stmt(s: &Stmt) -> bool {
    matches!(s, Stmt::Expr(e) if matches!(*e.value, Expr::StringLiteral(_)))
}

struct Builder<'s> {
    src: &'s SourceMap<'s>,
    table: SymbolTable,
    /// Scopes being visited, innermost last.
    stack: Vec<ScopeId>,
    /// Loop nesting depth of each scope on `stack`.
    loops: Vec<u32>,
    /// Inside a comprehension's iterable expression.
    comp_iter_expr: u32,
}

/// Scopes nest at most this deep (code objects are freed recursively).
const MAX_SCOPE_DEPTH: usize = 200;

const KNOWN_FUTURES: &[&str] = &[
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

fn unsupported(what: &str) -> String {
    format!("{what} is not supported by thicket")
}

impl<'s> Builder<'s> {
    fn cur(&self) -> ScopeId {
        *self.stack.last().expect("scope stack is never empty")
    }

    fn scope(&mut self) -> &mut Scope {
        let id = self.cur();
        &mut self.table.scopes[id]
    }

    fn err(&self, at: TextSize, msg: impl Into<String>) -> CompileError {
        self.src.error(at, msg)
    }

    fn mangled(&self, name: &str) -> String {
        let private = self.table.scopes[self.cur()].private.clone();
        mangle(private.as_deref(), name).into_owned()
    }

    /// Adds `flags` to `name` (mangled) in the current scope.
    fn add_def(&mut self, name: &str, flags: u32, at: TextSize) -> Result<(), CompileError> {
        let m = self.mangled(name);
        let scope = self.scope();
        if flags & DEF_PARAM != 0 && scope.flags(&m) & DEF_PARAM != 0 {
            return Err(self.err(
                at,
                format!("duplicate argument '{name}' in function definition"),
            ));
        }
        let scope = self.scope();
        scope.add(&m, flags, at);
        if flags & DEF_PARAM != 0 {
            scope.params.push(m.into());
        }
        Ok(())
    }

    fn push_scope(
        &mut self,
        kind: ScopeKind,
        name: &str,
        key: usize,
        at: TextSize,
    ) -> Result<ScopeId, CompileError> {
        if self.stack.len() > MAX_SCOPE_DEPTH {
            return Err(self.err(
                at,
                format!("too many nested scopes (more than {MAX_SCOPE_DEPTH} functions, classes, lambdas or comprehensions)"),
            ));
        }
        let parent = self.cur();
        // Inside a class body (and whatever it nests), `__names` are mangled with the
        // class name.
        let private = if kind == ScopeKind::Class {
            Some(Rc::from(name))
        } else {
            self.table.scopes[parent].private.clone()
        };
        let id = self.table.scopes.len();
        self.table.scopes.push(Scope::new(kind, name, private));
        self.table.scopes[parent].children.push(id);
        self.table.by_node.insert(key, id);
        self.stack.push(id);
        self.loops.push(0);
        Ok(id)
    }

    fn pop_scope(&mut self) {
        self.stack.pop();
        self.loops.pop();
    }

    fn in_loop(&self) -> bool {
        self.loops.last().is_some_and(|&d| d > 0)
    }

    fn visit_body(&mut self, body: &[Stmt]) -> Result<(), CompileError> {
        for s in body {
            self.visit_stmt(s)?;
        }
        Ok(())
    }

    fn visit_loop_body(&mut self, body: &[Stmt]) -> Result<(), CompileError> {
        if let Some(d) = self.loops.last_mut() {
            *d += 1;
        }
        let r = self.visit_body(body);
        if let Some(d) = self.loops.last_mut() {
            *d -= 1;
        }
        r
    }

    fn visit_stmt(&mut self, s: &Stmt) -> Result<(), CompileError> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.visit_stmt_inner(s))
    }

    fn visit_stmt_inner(&mut self, s: &Stmt) -> Result<(), CompileError> {
        match s {
            Stmt::FunctionDef(f) => {
                if f.is_async {
                    return Err(self.err(f.start(), unsupported("'async def'")));
                }
                if f.type_params.is_some() {
                    return Err(self.err(f.start(), unsupported("a type parameter list")));
                }
                self.add_def(&f.name, DEF_LOCAL, f.name.start())?;
                for d in &f.decorator_list {
                    self.visit_expr(&d.expression)?;
                }
                self.visit_defaults(&f.parameters)?;
                self.push_scope(ScopeKind::Function, &f.name, node_key(f), f.start())?;
                self.visit_params(&f.parameters)?;
                self.visit_body(&f.body)?;
                self.pop_scope();
            }
            Stmt::ClassDef(c) => {
                if c.type_params.is_some() {
                    return Err(self.err(c.start(), unsupported("a type parameter list")));
                }
                self.add_def(&c.name, DEF_LOCAL, c.name.start())?;
                for d in &c.decorator_list {
                    self.visit_expr(&d.expression)?;
                }
                if let Some(args) = &c.arguments {
                    if let Some(k) = args.keywords.first() {
                        return Err(self.err(
                            k.start(),
                            unsupported("a class keyword argument (such as 'metaclass=')"),
                        ));
                    }
                    for a in args.args.iter() {
                        if let Expr::Starred(st) = a {
                            return Err(self.err(st.start(), unsupported("a starred base class")));
                        }
                        self.visit_expr(a)?;
                    }
                }
                self.push_scope(ScopeKind::Class, &c.name, node_key(c), c.start())?;
                self.visit_body(&c.body)?;
                self.pop_scope();
            }
            Stmt::Return(r) => {
                if !self.table.scopes[self.cur()].kind.is_function_like() {
                    return Err(self.err(r.start(), "'return' outside function"));
                }
                if let Some(v) = &r.value {
                    self.visit_expr(v)?;
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.visit_expr(t)?;
                }
            }
            Stmt::TypeAlias(t) => {
                return Err(self.err(t.start(), unsupported("the 'type' alias statement")));
            }
            Stmt::Assign(a) => {
                self.visit_expr(&a.value)?;
                for t in &a.targets {
                    self.visit_expr(t)?;
                }
            }
            Stmt::AugAssign(a) => {
                self.visit_expr(&a.target)?;
                self.visit_expr(&a.value)?;
            }
            Stmt::AnnAssign(a) => {
                if let Expr::Name(n) = &*a.target {
                    let m = self.mangled(&n.id);
                    let cur = self.table.scopes[self.cur()].flags(&m);
                    if cur & (DEF_GLOBAL | DEF_NONLOCAL) != 0 && a.simple {
                        let which = if cur & DEF_GLOBAL != 0 {
                            "global"
                        } else {
                            "nonlocal"
                        };
                        return Err(self.err(
                            n.start(),
                            format!("annotated name '{}' can't be {which}", n.id),
                        ));
                    }
                    if a.simple {
                        self.add_def(&n.id, DEF_ANNOT | DEF_LOCAL, n.start())?;
                    } else if a.value.is_some() {
                        self.add_def(&n.id, DEF_LOCAL, n.start())?;
                    }
                } else {
                    self.visit_expr(&a.target)?;
                }
                if let Some(v) = &a.value {
                    self.visit_expr(v)?;
                }
            }
            Stmt::For(f) => {
                if f.is_async {
                    return Err(self.err(f.start(), unsupported("'async for'")));
                }
                self.visit_expr(&f.target)?;
                self.visit_expr(&f.iter)?;
                self.visit_loop_body(&f.body)?;
                self.visit_body(&f.orelse)?;
            }
            Stmt::While(w) => {
                self.visit_expr(&w.test)?;
                self.visit_loop_body(&w.body)?;
                self.visit_body(&w.orelse)?;
            }
            Stmt::If(i) => {
                self.visit_expr(&i.test)?;
                self.visit_body(&i.body)?;
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.visit_expr(t)?;
                    }
                    self.visit_body(&c.body)?;
                }
            }
            Stmt::With(w) => {
                if w.is_async {
                    return Err(self.err(w.start(), unsupported("'async with'")));
                }
                for item in &w.items {
                    self.visit_expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.visit_expr(v)?;
                    }
                }
                self.visit_body(&w.body)?;
            }
            Stmt::Match(m) => {
                return Err(self.err(m.start(), unsupported("the 'match' statement")));
            }
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.visit_expr(e)?;
                }
                if let Some(c) = &r.cause {
                    self.visit_expr(c)?;
                }
            }
            Stmt::Try(t) => {
                if t.is_star {
                    return Err(self.err(t.start(), unsupported("'except*'")));
                }
                self.visit_body(&t.body)?;
                let n = t.handlers.len();
                for (i, h) in t.handlers.iter().enumerate() {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    match &h.type_ {
                        Some(ty) => self.visit_expr(ty)?,
                        None if i + 1 < n => {
                            return Err(self.err(h.start(), "default 'except:' must be last"));
                        }
                        None => {}
                    }
                    if let Some(name) = &h.name {
                        self.add_def(name, DEF_LOCAL, name.start())?;
                    }
                    self.visit_body(&h.body)?;
                }
                self.visit_body(&t.orelse)?;
                self.visit_body(&t.finalbody)?;
            }
            Stmt::Assert(a) => {
                self.visit_expr(&a.test)?;
                if let Some(m) = &a.msg {
                    self.visit_expr(m)?;
                }
            }
            Stmt::Import(i) => {
                if i.is_lazy {
                    return Err(self.err(i.start(), unsupported("a 'lazy' import")));
                }
                for alias in &i.names {
                    let bound = match &alias.asname {
                        Some(a) => a.as_str(),
                        None => alias.name.split('.').next().unwrap_or(""),
                    };
                    self.add_def(bound, DEF_IMPORT, alias.start())?;
                }
            }
            Stmt::ImportFrom(i) => {
                if i.is_lazy {
                    return Err(self.err(i.start(), unsupported("a 'lazy' import")));
                }
                let future = i.level == 0
                    && i.module
                        .as_ref()
                        .is_some_and(|m| m.as_str() == "__future__");
                for alias in &i.names {
                    if future {
                        if alias.name.as_str() == "braces" {
                            return Err(self.err(alias.start(), "not a chance"));
                        }
                        if !KNOWN_FUTURES.contains(&alias.name.as_str()) {
                            return Err(self.err(
                                alias.start(),
                                format!("future feature {} is not defined", alias.name),
                            ));
                        }
                    }
                    if alias.name.as_str() == "*" {
                        if self.table.scopes[self.cur()].kind != ScopeKind::Module {
                            return Err(
                                self.err(i.start(), "import * only allowed at module level")
                            );
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.add_def(bound, DEF_IMPORT, alias.start())?;
                }
            }
            Stmt::Global(g) => {
                for name in &g.names {
                    let m = self.mangled(name);
                    let cur = self.table.scopes[self.cur()].flags(&m);
                    if cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT) != 0 {
                        let msg = if cur & DEF_PARAM != 0 {
                            format!("name '{name}' is parameter and global")
                        } else if cur & USE != 0 {
                            format!("name '{name}' is used prior to global declaration")
                        } else if cur & DEF_ANNOT != 0 {
                            format!("annotated name '{name}' can't be global")
                        } else {
                            format!("name '{name}' is assigned to before global declaration")
                        };
                        return Err(self.err(g.start(), msg));
                    }
                    if cur & DEF_NONLOCAL != 0 {
                        return Err(
                            self.err(g.start(), format!("name '{name}' is nonlocal and global"))
                        );
                    }
                    self.add_def(name, DEF_GLOBAL, name.start())?;
                }
            }
            Stmt::Nonlocal(nl) => {
                if self.table.scopes[self.cur()].kind == ScopeKind::Module {
                    return Err(self.err(
                        nl.start(),
                        "nonlocal declaration not allowed at module level",
                    ));
                }
                for name in &nl.names {
                    let m = self.mangled(name);
                    let cur = self.table.scopes[self.cur()].flags(&m);
                    if cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT) != 0 {
                        let msg = if cur & DEF_PARAM != 0 {
                            format!("name '{name}' is parameter and nonlocal")
                        } else if cur & USE != 0 {
                            format!("name '{name}' is used prior to nonlocal declaration")
                        } else if cur & DEF_ANNOT != 0 {
                            format!("annotated name '{name}' can't be nonlocal")
                        } else {
                            format!("name '{name}' is assigned to before nonlocal declaration")
                        };
                        return Err(self.err(nl.start(), msg));
                    }
                    if cur & DEF_GLOBAL != 0 {
                        return Err(
                            self.err(nl.start(), format!("name '{name}' is nonlocal and global"))
                        );
                    }
                    self.add_def(name, DEF_NONLOCAL, name.start())?;
                }
            }
            Stmt::Expr(e) => self.visit_expr(&e.value)?,
            Stmt::Pass(_) => {}
            Stmt::Break(b) => {
                if !self.in_loop() {
                    return Err(self.err(b.start(), "'break' outside loop"));
                }
            }
            Stmt::Continue(c) => {
                if !self.in_loop() {
                    return Err(self.err(c.start(), "'continue' not properly in loop"));
                }
            }
            Stmt::IpyEscapeCommand(c) => {
                return Err(self.err(c.start(), unsupported("an IPython escape command")));
            }
        }
        Ok(())
    }

    /// Defaults are evaluated in the enclosing scope (annotations are not evaluated).
    fn visit_defaults(&mut self, p: &ast::Parameters) -> Result<(), CompileError> {
        for a in p.posonlyargs.iter().chain(&p.args).chain(&p.kwonlyargs) {
            if let Some(d) = &a.default {
                self.visit_expr(d)?;
            }
        }
        Ok(())
    }

    fn visit_params(&mut self, p: &ast::Parameters) -> Result<(), CompileError> {
        for a in p.posonlyargs.iter().chain(&p.args).chain(&p.kwonlyargs) {
            self.add_def(&a.parameter.name, DEF_PARAM, a.start())?;
        }
        if let Some(v) = &p.vararg {
            self.add_def(&v.name, DEF_PARAM, v.start())?;
        }
        if let Some(k) = &p.kwarg {
            self.add_def(&k.name, DEF_PARAM, k.start())?;
        }
        Ok(())
    }

    fn visit_expr(&mut self, e: &Expr) -> Result<(), CompileError> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.visit_expr_inner(e))
    }

    fn visit_exprs<'e>(
        &mut self,
        es: impl IntoIterator<Item = &'e Expr>,
    ) -> Result<(), CompileError> {
        for e in es {
            self.visit_expr(e)?;
        }
        Ok(())
    }

    fn visit_expr_inner(&mut self, e: &Expr) -> Result<(), CompileError> {
        match e {
            Expr::BoolOp(b) => self.visit_exprs(&b.values)?,
            Expr::Named(n) => {
                if self.comp_iter_expr > 0 {
                    return Err(self.err(
                        n.start(),
                        "assignment expression cannot be used in a comprehension iterable expression",
                    ));
                }
                self.visit_expr(&n.value)?;
                if let Expr::Name(t) = &*n.target {
                    if self.table.scopes[self.cur()].kind == ScopeKind::Comprehension {
                        self.extend_named_expr_scope(t)?;
                    } else {
                        self.add_def(&t.id, DEF_LOCAL, t.start())?;
                    }
                } else {
                    self.visit_expr(&n.target)?;
                }
            }
            Expr::BinOp(b) => {
                self.visit_expr(&b.left)?;
                self.visit_expr(&b.right)?;
            }
            Expr::UnaryOp(u) => self.visit_expr(&u.operand)?,
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.visit_defaults(p)?;
                }
                self.push_scope(ScopeKind::Lambda, "<lambda>", node_key(l), l.start())?;
                if let Some(p) = &l.parameters {
                    self.visit_params(p)?;
                }
                self.visit_expr(&l.body)?;
                self.pop_scope();
            }
            Expr::If(i) => {
                self.visit_expr(&i.test)?;
                self.visit_expr(&i.body)?;
                self.visit_expr(&i.orelse)?;
            }
            Expr::Dict(d) => {
                for item in &d.items {
                    if let Some(k) = &item.key {
                        self.visit_expr(k)?;
                    }
                    self.visit_expr(&item.value)?;
                }
            }
            Expr::Set(s) => self.visit_exprs(&s.elts)?,
            Expr::ListComp(c) => {
                self.visit_comprehension(node_key(c), "<listcomp>", &c.generators, &[&c.elt])?
            }
            Expr::SetComp(c) => {
                self.visit_comprehension(node_key(c), "<setcomp>", &c.generators, &[&c.elt])?
            }
            Expr::DictComp(c) => match &c.key {
                Some(k) => self.visit_comprehension(
                    node_key(c),
                    "<dictcomp>",
                    &c.generators,
                    &[k, &c.value],
                )?,
                None => {
                    return Err(self.err(
                        c.start(),
                        "dict unpacking cannot be used in dict comprehension",
                    ))
                }
            },
            Expr::Generator(g) => {
                self.visit_comprehension(node_key(g), "<genexpr>", &g.generators, &[&g.elt])?
            }
            Expr::Await(a) => return Err(self.err(a.start(), unsupported("'await'"))),
            Expr::Yield(y) => {
                self.mark_yield(y.start())?;
                if let Some(v) = &y.value {
                    self.visit_expr(v)?;
                }
            }
            Expr::YieldFrom(y) => {
                self.mark_yield(y.start())?;
                self.visit_expr(&y.value)?;
            }
            Expr::Compare(c) => {
                self.visit_expr(&c.left)?;
                self.visit_exprs(c.comparators.iter())?;
            }
            Expr::Call(c) => {
                self.visit_expr(&c.func)?;
                self.visit_exprs(c.arguments.args.iter())?;
                let mut seen: Vec<&str> = Vec::new();
                for k in &c.arguments.keywords {
                    if let Some(arg) = &k.arg {
                        if seen.contains(&arg.as_str()) {
                            return Err(
                                self.err(k.start(), format!("keyword argument repeated: {arg}"))
                            );
                        }
                        seen.push(arg.as_str());
                    }
                    self.visit_expr(&k.value)?;
                }
            }
            Expr::FString(f) => {
                for part in f.value.iter() {
                    if let ast::FStringPart::FString(fs) = part {
                        self.visit_fstring_elements(&fs.elements)?;
                    }
                }
            }
            Expr::TString(t) => return Err(self.err(t.start(), unsupported("a t-string"))),
            Expr::NumberLiteral(n) => {
                if let ast::Number::Complex { .. } = n.value {
                    return Err(self.err(n.start(), unsupported("a complex literal")));
                }
            }
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => {}
            Expr::Attribute(a) => self.visit_expr(&a.value)?,
            Expr::Subscript(s) => {
                self.visit_expr(&s.value)?;
                self.visit_expr(&s.slice)?;
            }
            Expr::Starred(s) => self.visit_expr(&s.value)?,
            Expr::Name(n) => match n.ctx {
                ExprContext::Load => {
                    self.add_def(&n.id, USE, n.start())?;
                    let kind = self.table.scopes[self.cur()].kind;
                    if kind.is_function_like() && n.id.as_str() == "super" {
                        // Zero-argument super() needs the class cell.
                        self.scope().add("__class__", USE, n.start());
                    }
                }
                ExprContext::Store | ExprContext::Del => {
                    if n.id.as_str() == "__debug__" {
                        return Err(self.err(n.start(), "cannot assign to __debug__"));
                    }
                    self.add_def(&n.id, DEF_LOCAL, n.start())?;
                }
                ExprContext::Invalid => {
                    return Err(self.err(n.start(), "invalid syntax"));
                }
            },
            Expr::List(l) => self.visit_exprs(&l.elts)?,
            Expr::Tuple(t) => self.visit_exprs(&t.elts)?,
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.visit_expr(part)?;
                }
            }
            Expr::IpyEscapeCommand(c) => {
                return Err(self.err(c.start(), unsupported("an IPython escape command")));
            }
        }
        Ok(())
    }

    fn visit_fstring_elements(
        &mut self,
        elements: &ast::InterpolatedStringElements,
    ) -> Result<(), CompileError> {
        for el in elements.iter() {
            if let ast::InterpolatedStringElement::Interpolation(i) = el {
                self.visit_expr(&i.expression)?;
                if let Some(spec) = &i.format_spec {
                    self.visit_fstring_elements(&spec.elements)?;
                }
            }
        }
        Ok(())
    }

    fn mark_yield(&mut self, at: TextSize) -> Result<(), CompileError> {
        let scope = &self.table.scopes[self.cur()];
        match scope.kind {
            ScopeKind::Module | ScopeKind::Class => Err(self.err(at, "'yield' outside function")),
            ScopeKind::Comprehension => {
                let what = match &*scope.name {
                    "<listcomp>" => "list comprehension",
                    "<setcomp>" => "set comprehension",
                    "<dictcomp>" => "dict comprehension",
                    _ => "generator expression",
                };
                Err(self.err(at, format!("'yield' inside {what}")))
            }
            ScopeKind::Function | ScopeKind::Lambda => {
                self.scope().generator = true;
                Ok(())
            }
        }
    }

    /// `target := value` inside a comprehension binds in the nearest enclosing function
    /// (or module) scope.
    fn extend_named_expr_scope(&mut self, t: &ast::ExprName) -> Result<(), CompileError> {
        let name = self.mangled(&t.id);
        for depth in (0..self.stack.len()).rev() {
            let id = self.stack[depth];
            let scope = &self.table.scopes[id];
            match scope.kind {
                ScopeKind::Comprehension => {
                    if scope.flags(&name) & DEF_COMP_ITER != 0 {
                        return Err(self.err(
                            t.start(),
                            format!(
                                "assignment expression cannot rebind comprehension iteration variable '{}'",
                                t.id
                            ),
                        ));
                    }
                }
                ScopeKind::Function | ScopeKind::Lambda => {
                    if scope.flags(&name) & DEF_GLOBAL != 0 {
                        self.scope().add(&name, DEF_GLOBAL, t.start());
                    } else {
                        self.scope().add(&name, DEF_NONLOCAL, t.start());
                    }
                    self.table.scopes[id].add(&name, DEF_LOCAL, t.start());
                    return Ok(());
                }
                ScopeKind::Module => {
                    self.scope().add(&name, DEF_GLOBAL, t.start());
                    self.table.scopes[id].add(&name, DEF_GLOBAL, t.start());
                    return Ok(());
                }
                ScopeKind::Class => {
                    return Err(self.err(
                        t.start(),
                        "assignment expression within a comprehension cannot be used in a class body",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Marks every name of an assignment target as a comprehension iteration variable.
    fn visit_comp_target(&mut self, e: &Expr) -> Result<(), CompileError> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.visit_comp_target_inner(e))
    }

    fn visit_comp_target_inner(&mut self, e: &Expr) -> Result<(), CompileError> {
        match e {
            Expr::Name(n) => self.add_def(&n.id, DEF_LOCAL | DEF_COMP_ITER, n.start()),
            Expr::Tuple(t) => {
                for el in &t.elts {
                    self.visit_comp_target(el)?;
                }
                Ok(())
            }
            Expr::List(l) => {
                for el in &l.elts {
                    self.visit_comp_target(el)?;
                }
                Ok(())
            }
            Expr::Starred(s) => self.visit_comp_target(&s.value),
            other => self.visit_expr(other),
        }
    }

    fn visit_comprehension(
        &mut self,
        key: usize,
        name: &str,
        generators: &[ast::Comprehension],
        elts: &[&Expr],
    ) -> Result<(), CompileError> {
        let Some(first) = generators.first() else {
            return Err(self.err(TextSize::default(), "comprehension without 'for'"));
        };
        if let Some(g) = generators.iter().find(|g| g.is_async) {
            return Err(self.err(g.start(), unsupported("an asynchronous comprehension")));
        }
        // The outermost iterable is evaluated in the enclosing scope.
        self.comp_iter_expr += 1;
        let r = self.visit_expr(&first.iter);
        self.comp_iter_expr -= 1;
        r?;
        let id = self.push_scope(ScopeKind::Comprehension, name, key, first.start())?;
        if name == "<genexpr>" {
            self.table.scopes[id].generator = true;
        }
        self.scope().add(".0", DEF_PARAM, first.start());
        self.scope().params.push(".0".into());
        let saved_iter = std::mem::take(&mut self.comp_iter_expr);
        let r = (|| {
            self.visit_comp_target(&first.target)?;
            self.visit_exprs(&first.ifs)?;
            for g in &generators[1..] {
                self.comp_iter_expr += 1;
                let r = self.visit_expr(&g.iter);
                self.comp_iter_expr -= 1;
                r?;
                self.visit_comp_target(&g.target)?;
                self.visit_exprs(&g.ifs)?;
            }
            for e in elts {
                self.visit_expr(e)?;
            }
            Ok(())
        })();
        self.comp_iter_expr = saved_iter;
        self.pop_scope();
        r
    }
}

/// Resolves the names of scope `id` and its children (CPython's `analyze_block`).
fn analyze_block(
    table: &mut SymbolTable,
    id: ScopeId,
    bound: Option<&HashSet<Rc<str>>>,
    free: &mut HashSet<Rc<str>>,
    global: &HashSet<Rc<str>>,
    src: &SourceMap,
) -> Result<(), CompileError> {
    let kind = table.scopes[id].kind;
    let mut bound: Option<HashSet<Rc<str>>> = bound.cloned();
    let mut global: HashSet<Rc<str>> = global.clone();
    let mut local: HashSet<Rc<str>> = HashSet::new();
    let mut scopes: HashMap<Rc<str>, NameScope> = HashMap::new();
    let mut newglobal: HashSet<Rc<str>> = HashSet::new();
    let mut newbound: HashSet<Rc<str>> = HashSet::new();
    let mut newfree: HashSet<Rc<str>> = HashSet::new();

    if kind == ScopeKind::Class {
        newglobal.extend(global.iter().cloned());
        if let Some(b) = &bound {
            newbound.extend(b.iter().cloned());
        }
    }
    for sym in &table.scopes[id].symbols {
        let name = &sym.name;
        let flags = sym.flags;
        let at = sym.pos;
        let sc = if flags & DEF_GLOBAL != 0 {
            if flags & DEF_NONLOCAL != 0 {
                return Err(src.error(at, format!("name '{name}' is nonlocal and global")));
            }
            global.insert(name.clone());
            if let Some(b) = &mut bound {
                b.remove(name);
            }
            NameScope::GlobalExplicit
        } else if flags & DEF_NONLOCAL != 0 {
            match &bound {
                None => {
                    return Err(src.error(at, "nonlocal declaration not allowed at module level"))
                }
                Some(b) if !b.contains(name) => {
                    return Err(src.error(at, format!("no binding for nonlocal '{name}' found")))
                }
                Some(_) => {}
            }
            free.insert(name.clone());
            NameScope::Free
        } else if flags & DEF_BOUND != 0 {
            local.insert(name.clone());
            global.remove(name);
            NameScope::Local
        } else if bound.as_ref().is_some_and(|b| b.contains(name)) {
            free.insert(name.clone());
            NameScope::Free
        } else {
            NameScope::GlobalImplicit
        };
        scopes.insert(name.clone(), sc);
    }
    if kind != ScopeKind::Class {
        if kind.is_function_like() {
            newbound.extend(local.iter().cloned());
        }
        if let Some(b) = &bound {
            newbound.extend(b.iter().cloned());
        }
        newglobal.extend(global.iter().cloned());
    } else {
        newbound.insert("__class__".into());
    }

    let children = table.scopes[id].children.clone();
    for child in children {
        let mut child_free = HashSet::new();
        analyze_block(
            table,
            child,
            Some(&newbound),
            &mut child_free,
            &newglobal,
            src,
        )?;
        newfree.extend(child_free);
    }

    if kind.is_function_like() {
        // Locals captured by children become cells.
        for (name, sc) in scopes.iter_mut() {
            if *sc == NameScope::Local && newfree.remove(name) {
                *sc = NameScope::Cell;
            }
        }
    } else if kind == ScopeKind::Class && newfree.remove("__class__") {
        table.scopes[id].needs_class_closure = true;
    }

    // Record the resolution.
    let scope = &mut table.scopes[id];
    for sym in scope.symbols.iter_mut() {
        if let Some(sc) = scopes.get(&sym.name) {
            sym.scope = *sc;
        }
    }
    let mut sorted_free: Vec<Rc<str>> = newfree.iter().cloned().collect();
    sorted_free.sort();
    for name in sorted_free {
        if let Some(&i) = scope.index.get(&name) {
            let sym = &mut scope.symbols[i];
            if kind == ScopeKind::Class && sym.flags & (DEF_BOUND | DEF_GLOBAL) != 0 {
                sym.flags |= DEF_FREE_CLASS;
            }
            continue;
        }
        if bound.as_ref().is_some_and(|b| !b.contains(&name)) {
            continue; // a global
        }
        if bound.is_none() {
            continue; // module level: a global
        }
        let i = scope.symbols.len();
        scope.index.insert(name.clone(), i);
        scope.symbols.push(Symbol {
            name,
            flags: 0,
            scope: NameScope::Free,
            pos: TextSize::default(),
        });
    }
    let mut cellvars: Vec<Rc<str>> = scope
        .symbols
        .iter()
        .filter(|s| s.scope == NameScope::Cell)
        .map(|s| s.name.clone())
        .collect();
    if scope.needs_class_closure {
        cellvars.push("__class__".into());
    }
    cellvars.sort();
    let mut freevars: Vec<Rc<str>> = scope
        .symbols
        .iter()
        .filter(|s| s.scope == NameScope::Free || s.flags & DEF_FREE_CLASS != 0)
        .map(|s| s.name.clone())
        .collect();
    freevars.sort();
    scope.cellvars = cellvars;
    scope.freevars = freevars;
    free.extend(newfree);
    Ok(())
}
