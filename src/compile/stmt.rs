//! Code generation for statements: assignments (plain, chained, unpacking, augmented,
//! annotated), `del`, `if`/`while`/`for` with `else`, `break`/`continue`/`return` with
//! the unwinding of the blocks they leave (handler blocks popped, finally bodies
//! inlined, `with` exits called, handled exceptions restored, loop iterators dropped),
//! `def` and `class` (the class body code included), `try`/`except`/`else`/`finally`,
//! `with`, `raise`, `assert`, and imports.

use super::expr::{aug_op, const_of, NameOp};
use super::symtable::node_key;
use super::{CResult, Compiler, FBlock};
use crate::bytecode::{CodeKind, Const, Instr};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;
use std::rc::Rc;

/// The docstring of a body whose first statement is `stmt`, if it is one.
pub(crate) fn docstring(stmt: &Stmt) -> Option<Rc<str>> {
    match stmt {
        Stmt::Expr(e) => match &*e.value {
            Expr::StringLiteral(s) => Some(s.value.to_str().into()),
            _ => None,
        },
        _ => None,
    }
}

/// How control leaves the blocks being unwound.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Exit {
    Break,
    Continue,
    Return,
}

impl<'a> Compiler<'a> {
    pub(crate) fn compile_body(&mut self, body: &'a [Stmt]) -> CResult<()> {
        for s in body {
            self.compile_stmt(s)?;
        }
        Ok(())
    }

    fn compile_stmt(&mut self, s: &'a Stmt) -> CResult<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            let line = self.set_line(s.start());
            let r = self.compile_stmt_inner(s);
            self.restore_line(line);
            r
        })
    }

    fn compile_stmt_inner(&mut self, s: &'a Stmt) -> CResult<()> {
        match s {
            Stmt::FunctionDef(f) => self.compile_function_def(f)?,
            Stmt::ClassDef(c) => self.compile_class_def(c)?,
            Stmt::Return(r) => {
                if matches!(self.unit_ref().kind, CodeKind::Module | CodeKind::Class) {
                    return Err(self.err(r.start(), "'return' outside function"));
                }
                match &r.value {
                    Some(v) => self.compile_expr(v)?,
                    None => self.load_const(Const::None),
                }
                self.unwind(Exit::Return)?;
                self.emit(Instr::Return);
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.compile_delete(t)?;
                }
            }
            Stmt::TypeAlias(t) => {
                return Err(self.err(
                    t.start(),
                    "the 'type' alias statement is not supported by thicket",
                ))
            }
            Stmt::Assign(a) => {
                self.compile_expr(&a.value)?;
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < n {
                        self.emit(Instr::Dup);
                    }
                    self.compile_store(t)?;
                }
            }
            Stmt::AugAssign(a) => self.compile_aug_assign(a)?,
            Stmt::AnnAssign(a) => match &a.value {
                Some(v) => {
                    self.compile_expr(v)?;
                    self.compile_store(&a.target)?;
                }
                None => match &*a.target {
                    // The annotation is not evaluated; the target's object is.
                    Expr::Attribute(at) => {
                        self.compile_expr(&at.value)?;
                        self.emit(Instr::Pop);
                    }
                    Expr::Subscript(sub) => {
                        self.compile_expr(&sub.value)?;
                        self.emit(Instr::Pop);
                        self.compile_expr(&sub.slice)?;
                        self.emit(Instr::Pop);
                    }
                    _ => {}
                },
            },
            Stmt::For(f) => self.compile_for(f)?,
            Stmt::While(w) => self.compile_while(w)?,
            Stmt::If(i) => self.compile_if(i)?,
            Stmt::With(w) => {
                if w.is_async {
                    return Err(self.err(w.start(), "'async with' is not supported by thicket"));
                }
                self.compile_with(&w.items, &w.body)?
            }
            Stmt::Match(m) => {
                return Err(self.err(
                    m.start(),
                    "the 'match' statement is not supported by thicket",
                ))
            }
            Stmt::Raise(r) => match (&r.exc, &r.cause) {
                (None, _) => self.emit(Instr::Raise(0)),
                (Some(e), None) => {
                    self.compile_expr(e)?;
                    self.emit(Instr::Raise(1));
                }
                (Some(e), Some(c)) => {
                    self.compile_expr(e)?;
                    self.compile_expr(c)?;
                    self.emit(Instr::Raise(2));
                }
            },
            Stmt::Try(t) => {
                if t.is_star {
                    return Err(self.err(t.start(), "'except*' is not supported by thicket"));
                }
                self.compile_try(t)?
            }
            Stmt::Assert(a) => {
                let end = self.new_label();
                self.compile_jump_if(&a.test, true, end)?;
                let i = self.name_index("AssertionError");
                self.emit(Instr::LoadBuiltin(i));
                if let Some(m) = &a.msg {
                    self.compile_expr(m)?;
                    self.emit(Instr::Call(1));
                }
                self.emit(Instr::Raise(1));
                self.bind(end);
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    self.set_line(alias.start());
                    self.load_const(Const::Int(0));
                    self.load_const(Const::None);
                    let ni = self.name_index(&alias.name);
                    self.emit(Instr::ImportName(ni));
                    match &alias.asname {
                        Some(asname) => {
                            // `import a.b.c as d` binds the submodule itself.
                            for part in alias.name.split('.').skip(1) {
                                let pi = self.name_index(part);
                                self.emit(Instr::ImportFrom(pi));
                                self.emit(Instr::Rot2);
                                self.emit(Instr::Pop);
                            }
                            self.compile_name(asname, NameOp::Store);
                        }
                        None => {
                            let top = alias.name.split('.').next().unwrap_or("");
                            self.compile_name(top, NameOp::Store);
                        }
                    }
                }
            }
            Stmt::ImportFrom(i) => {
                self.load_const(Const::Int(i.level as i64));
                let names: Vec<Const> = i
                    .names
                    .iter()
                    .map(|a| Const::Str(a.name.as_str().into()))
                    .collect();
                self.load_const(Const::Tuple(names.into()));
                let module = i.module.as_ref().map_or("", |m| m.as_str());
                let mi = self.name_index(module);
                self.emit(Instr::ImportName(mi));
                if i.names.len() == 1 && i.names[0].name.as_str() == "*" {
                    if self.unit_ref().kind != CodeKind::Module {
                        return Err(self.err(i.start(), "import * only allowed at module level"));
                    }
                    self.emit(Instr::ImportStar);
                } else {
                    for alias in &i.names {
                        self.set_line(alias.start());
                        let ni = self.name_index(&alias.name);
                        self.emit(Instr::ImportFrom(ni));
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        self.compile_name(bound, NameOp::Store);
                    }
                    self.emit(Instr::Pop);
                }
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) => {}
            Stmt::Expr(e) => {
                if const_of(&e.value).is_none() {
                    self.compile_expr(&e.value)?;
                    self.emit(Instr::Pop);
                }
            }
            Stmt::Break(b) => match self.unwind(Exit::Break)? {
                Some(FBlock::While { brk, .. } | FBlock::For { brk, .. }) => {
                    self.emit_jump(Instr::Jump, brk)
                }
                _ => return Err(self.err(b.start(), "'break' outside loop")),
            },
            Stmt::Continue(c) => match self.unwind(Exit::Continue)? {
                Some(FBlock::While { cont, .. } | FBlock::For { cont, .. }) => {
                    self.emit_jump(Instr::Jump, cont)
                }
                _ => return Err(self.err(c.start(), "'continue' not properly in loop")),
            },
            Stmt::IpyEscapeCommand(c) => {
                return Err(self.err(
                    c.start(),
                    "an IPython escape command is not supported by thicket",
                ))
            }
        }
        Ok(())
    }

    // ---- unwinding ----

    /// Emits what leaving the current blocks needs, up to the innermost loop (`break`,
    /// `continue`) or all of them (`return`, the value to return on top of the stack).
    /// Returns the loop block reached.
    fn unwind(&mut self, exit: Exit) -> CResult<Option<FBlock<'a>>> {
        let saved = self.unit().fblocks.clone();
        let preserve = exit == Exit::Return;
        let mut found = None;
        let mut result = Ok(());
        while let Some(fb) = self.unit().fblocks.pop() {
            match fb {
                FBlock::While { .. } | FBlock::For { .. } if exit != Exit::Return => {
                    if exit == Exit::Break && matches!(fb, FBlock::For { .. }) {
                        self.emit(Instr::Pop);
                    }
                    found = Some(fb);
                    break;
                }
                other => {
                    if let Err(e) = self.unwind_block(&other, preserve) {
                        result = Err(e);
                        break;
                    }
                }
            }
        }
        self.unit().fblocks = saved;
        result.map(|()| found)
    }

    fn unwind_block(&mut self, fb: &FBlock<'a>, preserve: bool) -> CResult<()> {
        match fb {
            FBlock::While { .. } => {}
            FBlock::For { .. } | FBlock::PopValue => {
                if preserve {
                    self.emit(Instr::Rot2);
                }
                self.emit(Instr::Pop);
            }
            FBlock::TryExcept => self.emit(Instr::PopBlock),
            FBlock::FinallyTry(body) => {
                self.emit(Instr::PopBlock);
                if preserve {
                    self.unit().fblocks.push(FBlock::PopValue);
                }
                let r = self.compile_body(body);
                if preserve {
                    self.unit().fblocks.pop();
                }
                r?;
            }
            FBlock::FinallyEnd => {
                self.emit(Instr::PopBlock);
                if preserve {
                    self.emit(Instr::Rot2);
                    self.emit(Instr::Pop);
                    self.emit(Instr::Rot2);
                } else {
                    self.emit(Instr::Pop);
                }
                self.emit(Instr::PopExcept);
            }
            FBlock::With => {
                self.emit(Instr::PopBlock);
                if preserve {
                    self.emit(Instr::Rot2);
                }
                self.emit(Instr::WithExit);
            }
            FBlock::Handler(name) => {
                self.emit(Instr::PopBlock);
                if let Some(name) = name {
                    self.unbind_handler_name(name);
                }
                if preserve {
                    self.emit(Instr::Rot2);
                }
                self.emit(Instr::PopExcept);
            }
        }
        Ok(())
    }

    /// `name = None; del name` at the end of `except E as name:`.
    fn unbind_handler_name(&mut self, name: &str) {
        self.load_const(Const::None);
        self.compile_name(name, NameOp::Store);
        self.compile_name(name, NameOp::Del);
    }

    // ---- compound statements ----

    fn compile_if(&mut self, i: &'a ast::StmtIf) -> CResult<()> {
        let end = self.new_label();
        let mut next = self.new_label();
        self.compile_jump_if(&i.test, false, next)?;
        self.compile_body(&i.body)?;
        for clause in &i.elif_else_clauses {
            self.emit_jump(Instr::Jump, end);
            self.bind(next);
            next = self.new_label();
            let line = self.set_line(clause.start());
            if let Some(t) = &clause.test {
                self.compile_jump_if(t, false, next)?;
            }
            self.compile_body(&clause.body)?;
            self.restore_line(line);
        }
        self.bind(next);
        self.bind(end);
        Ok(())
    }

    fn compile_while(&mut self, w: &'a ast::StmtWhile) -> CResult<()> {
        let top = self.new_label();
        let orelse = self.new_label();
        let end = self.new_label();
        self.bind(top);
        self.compile_jump_if(&w.test, false, orelse)?;
        self.unit().fblocks.push(FBlock::While {
            cont: top,
            brk: end,
        });
        let r = self.compile_body(&w.body);
        self.unit().fblocks.pop();
        r?;
        self.emit_jump(Instr::Jump, top);
        self.bind(orelse);
        self.compile_body(&w.orelse)?;
        self.bind(end);
        Ok(())
    }

    fn compile_for(&mut self, f: &'a ast::StmtFor) -> CResult<()> {
        if f.is_async {
            return Err(self.err(f.start(), "'async for' is not supported by thicket"));
        }
        let top = self.new_label();
        let orelse = self.new_label();
        let end = self.new_label();
        self.compile_expr(&f.iter)?;
        self.emit(Instr::GetIter);
        self.bind(top);
        self.emit_jump(Instr::ForIter, orelse);
        self.compile_store(&f.target)?;
        self.unit().fblocks.push(FBlock::For {
            cont: top,
            brk: end,
        });
        let r = self.compile_body(&f.body);
        self.unit().fblocks.pop();
        r?;
        self.emit_jump(Instr::Jump, top);
        self.bind(orelse);
        self.compile_body(&f.orelse)?;
        self.bind(end);
        Ok(())
    }

    fn compile_aug_assign(&mut self, a: &'a ast::StmtAugAssign) -> CResult<()> {
        let op = Instr::InplaceBinary(aug_op(a.op));
        match &*a.target {
            Expr::Name(n) => {
                self.compile_name(&n.id, NameOp::Load);
                self.compile_expr(&a.value)?;
                self.emit(op);
                self.compile_name(&n.id, NameOp::Store);
            }
            Expr::Attribute(at) => {
                self.compile_expr(&at.value)?;
                self.emit(Instr::Dup);
                let name = self.mangle(&at.attr).into_owned();
                let i = self.name_index(&name);
                self.emit(Instr::LoadAttr(i));
                self.compile_expr(&a.value)?;
                self.emit(op);
                self.emit(Instr::Rot2);
                self.emit(Instr::StoreAttr(i));
            }
            Expr::Subscript(sub) => {
                self.compile_expr(&sub.value)?;
                self.compile_expr(&sub.slice)?;
                self.emit(Instr::DupTwo);
                self.emit(Instr::BinarySubscr);
                self.compile_expr(&a.value)?;
                self.emit(op);
                self.emit(Instr::Rot3);
                self.emit(Instr::StoreSubscr);
            }
            other => {
                return Err(self.err(
                    other.start(),
                    "'expression' is an illegal expression for augmented assignment",
                ))
            }
        }
        Ok(())
    }

    fn compile_with(&mut self, items: &'a [ast::WithItem], body: &'a [Stmt]) -> CResult<()> {
        let Some((item, rest)) = items.split_first() else {
            return self.compile_body(body);
        };
        let line = self.set_line(item.start());
        self.compile_expr(&item.context_expr)?;
        let handler = self.new_label();
        let end = self.new_label();
        self.emit_jump(Instr::SetupWith, handler);
        match &item.optional_vars {
            Some(v) => self.compile_store(v)?,
            None => self.emit(Instr::Pop),
        }
        self.unit().fblocks.push(FBlock::With);
        let r = self.compile_with(rest, body);
        self.unit().fblocks.pop();
        r?;
        self.set_line(item.start());
        self.emit(Instr::PopBlock);
        self.emit(Instr::WithExit);
        self.emit_jump(Instr::Jump, end);
        // The exception path: [exit, exc].
        self.bind(handler);
        self.emit(Instr::PushExcInfo);
        let cleanup = self.new_label();
        let suppress = self.new_label();
        self.emit_jump(Instr::SetupExcept, cleanup);
        self.emit(Instr::WithExceptStart);
        self.emit_jump(Instr::PopJumpIfTrue, suppress);
        self.emit(Instr::PopBlock);
        self.emit(Instr::Rot2);
        self.emit(Instr::PopExcept);
        self.emit(Instr::Reraise);
        self.bind(suppress);
        self.emit(Instr::PopBlock);
        self.emit(Instr::Pop);
        self.emit(Instr::PopExcept);
        self.emit(Instr::Pop);
        self.emit_jump(Instr::Jump, end);
        // An exception from __exit__ itself: [exit, prev, exc, exc2].
        self.bind(cleanup);
        self.emit_cleanup_reraise_3();
        self.bind(end);
        self.restore_line(line);
        Ok(())
    }

    /// Handler code for `[prev, exc, exc2]`: restores `prev` as the handled exception and
    /// re-raises `exc2`.
    fn emit_cleanup_reraise_3(&mut self) {
        self.emit(Instr::Rot2);
        self.emit(Instr::Pop);
        self.emit(Instr::Rot2);
        self.emit(Instr::PopExcept);
        self.emit(Instr::Reraise);
    }

    fn compile_try(&mut self, t: &'a ast::StmtTry) -> CResult<()> {
        if t.finalbody.is_empty() {
            return self.compile_try_except(t);
        }
        let handler = self.new_label();
        let end = self.new_label();
        self.emit_jump(Instr::SetupExcept, handler);
        self.unit().fblocks.push(FBlock::FinallyTry(&t.finalbody));
        let r = if t.handlers.is_empty() {
            self.compile_body(&t.body)
                .and_then(|()| self.compile_body(&t.orelse))
        } else {
            self.compile_try_except(t)
        };
        self.unit().fblocks.pop();
        r?;
        self.emit(Instr::PopBlock);
        self.compile_body(&t.finalbody)?;
        self.emit_jump(Instr::Jump, end);
        // The exception path: [exc].
        self.bind(handler);
        self.emit(Instr::PushExcInfo);
        let cleanup = self.new_label();
        self.emit_jump(Instr::SetupExcept, cleanup);
        self.unit().fblocks.push(FBlock::FinallyEnd);
        let r = self.compile_body(&t.finalbody);
        self.unit().fblocks.pop();
        r?;
        self.emit(Instr::PopBlock);
        self.emit(Instr::Rot2);
        self.emit(Instr::PopExcept);
        self.emit(Instr::Reraise);
        // An exception from the finally body: [prev, exc, exc2].
        self.bind(cleanup);
        self.emit_cleanup_reraise_3();
        self.bind(end);
        Ok(())
    }

    /// `try` with handlers (and `else`), without its `finally`.
    fn compile_try_except(&mut self, t: &'a ast::StmtTry) -> CResult<()> {
        let handler = self.new_label();
        let end = self.new_label();
        self.emit_jump(Instr::SetupExcept, handler);
        self.unit().fblocks.push(FBlock::TryExcept);
        let r = self.compile_body(&t.body);
        self.unit().fblocks.pop();
        r?;
        self.emit(Instr::PopBlock);
        self.compile_body(&t.orelse)?;
        self.emit_jump(Instr::Jump, end);
        // [exc] -> [prev, exc], with a block that restores `prev` if matching fails.
        self.bind(handler);
        self.emit(Instr::PushExcInfo);
        let dispatch_cleanup = self.new_label();
        self.emit_jump(Instr::SetupExcept, dispatch_cleanup);
        let mut falls_through = true;
        for h in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let line = self.set_line(h.start());
            let next = self.new_label();
            match &h.type_ {
                Some(ty) => {
                    self.compile_expr(ty)?;
                    self.emit_jump(Instr::JumpIfNotExcMatch, next);
                }
                None => falls_through = false,
            }
            self.emit(Instr::PopBlock);
            let name: Option<Rc<str>> = h.name.as_ref().map(|n| Rc::from(n.as_str()));
            match &name {
                Some(n) => self.compile_name(n, NameOp::Store),
                None => self.emit(Instr::Pop),
            }
            // The handler body: [prev].
            let cleanup = self.new_label();
            self.emit_jump(Instr::SetupExcept, cleanup);
            self.unit().fblocks.push(FBlock::Handler(name.clone()));
            let r = self.compile_body(&h.body);
            self.unit().fblocks.pop();
            r?;
            self.emit(Instr::PopBlock);
            if let Some(n) = &name {
                self.unbind_handler_name(n);
            }
            self.emit(Instr::PopExcept);
            self.emit_jump(Instr::Jump, end);
            // An exception from the body: [prev, exc2].
            self.bind(cleanup);
            if let Some(n) = &name {
                self.unbind_handler_name(n);
            }
            self.emit(Instr::Rot2);
            self.emit(Instr::PopExcept);
            self.emit(Instr::Reraise);
            self.bind(next);
            self.restore_line(line);
            if h.type_.is_none() {
                break;
            }
        }
        if falls_through {
            // Nothing matched: [prev, exc].
            self.emit(Instr::PopBlock);
            self.emit(Instr::Rot2);
            self.emit(Instr::PopExcept);
            self.emit(Instr::Reraise);
        }
        // An exception while matching: [prev, exc, exc2].
        self.bind(dispatch_cleanup);
        self.emit_cleanup_reraise_3();
        self.bind(end);
        Ok(())
    }

    // ---- definitions ----

    fn compile_function_def(&mut self, f: &'a ast::StmtFunctionDef) -> CResult<()> {
        if f.is_async {
            return Err(self.err(f.start(), "'async def' is not supported by thicket"));
        }
        for d in &f.decorator_list {
            self.compile_expr(&d.expression)?;
        }
        let flags = self.compile_defaults(Some(&f.parameters))?;
        let scope = self
            .table
            .scope_for(node_key(f))
            .ok_or_else(|| self.err(f.start(), "internal compiler error: scope not found"))?;
        let first_line = self.src.line(f.start());
        self.enter_unit(scope, CodeKind::Function, &f.name, first_line);
        self.set_params(Some(&f.parameters));
        let mut body: &[Stmt] = &f.body;
        if let Some(doc) = body.first().and_then(docstring) {
            self.unit().doc = Some(doc);
            body = &body[1..];
        }
        self.compile_body(body)?;
        self.implicit_return(body, Const::None);
        let code = self.exit_unit()?;
        self.make_function(code, flags)?;
        for _ in &f.decorator_list {
            self.emit(Instr::Call(1));
        }
        self.compile_name(&f.name, NameOp::Store);
        Ok(())
    }

    fn compile_class_def(&mut self, c: &'a ast::StmtClassDef) -> CResult<()> {
        if let Some(k) = c.arguments.as_ref().and_then(|a| a.keywords.first()) {
            return Err(self.err(
                k.start(),
                "a class keyword argument (such as 'metaclass=') is not supported by thicket",
            ));
        }
        for d in &c.decorator_list {
            self.compile_expr(&d.expression)?;
        }
        let scope = self
            .table
            .scope_for(node_key(c))
            .ok_or_else(|| self.err(c.start(), "internal compiler error: scope not found"))?;
        let first_line = self.src.line(c.start());
        self.enter_unit(scope, CodeKind::Class, &c.name, first_line);
        let module = self.name_index("__name__");
        self.emit(Instr::LoadGlobal(module));
        let i = self.name_index("__module__");
        self.emit(Instr::StoreName(i));
        let qualname = self.unit_ref().qualname.clone();
        self.load_const(Const::Str(qualname));
        let i = self.name_index("__qualname__");
        self.emit(Instr::StoreName(i));
        let mut body: &[Stmt] = &c.body;
        let doc = body.first().and_then(docstring);
        if doc.is_some() {
            body = &body[1..];
        }
        self.unit().doc = doc.clone();
        self.load_const(doc.map_or(Const::None, Const::Str));
        let i = self.name_index("__doc__");
        self.emit(Instr::StoreName(i));
        self.compile_body(body)?;
        if let Some(last) = body.last() {
            self.set_line(last.start());
        }
        if self.table.scopes[scope].needs_class_closure {
            let cell = self.cell_index("__class__").unwrap_or(0);
            self.emit(Instr::LoadClosure(cell));
        } else {
            self.load_const(Const::None);
        }
        self.emit(Instr::Return);
        let code = self.exit_unit()?;
        self.make_function(code, 0)?;
        self.load_str(&c.name);
        let bases: &[Expr] = c.arguments.as_ref().map_or(&[], |a| &a.args);
        for b in bases {
            if let Expr::Starred(s) = b {
                return Err(self.err(
                    s.start(),
                    "a starred base class is not supported by thicket",
                ));
            }
            self.compile_expr(b)?;
        }
        self.emit(Instr::BuildClass(bases.len() as u32));
        for _ in &c.decorator_list {
            self.emit(Instr::Call(1));
        }
        self.compile_name(&c.name, NameOp::Store);
        Ok(())
    }
}
