//! Code generation for expressions: names (by scope), operators, comparisons, boolean
//! short-circuits, calls (plain, keyword, starred, method calls, zero-argument `super()`),
//! displays, comprehensions, lambdas, f-strings, `yield`, walrus, constants (with the
//! small constant folding CPython does: negative numbers, tuples of constants), and the
//! assignment and deletion targets.

use super::symtable::{node_key, NameScope, ScopeKind};
use super::{CResult, Compiler, Label};
use crate::bytecode::{
    BinOp, CmpOp, CodeKind, Const, Instr, UnaryOp, FV_ASCII, FV_HAS_SPEC, FV_NONE, FV_REPR, FV_STR,
    MF_CLOSURE, MF_DEFAULTS, MF_KWDEFAULTS,
};
use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};
use ruff_python_ast::{self as ast, Expr, ExprContext};
use ruff_text_size::{Ranged, TextSize};
use std::rc::Rc;

/// What a name operation does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NameOp {
    Load,
    Store,
    Del,
}

/// Displays longer than this are built item by item, to keep the stack shallow.
const BIG_DISPLAY: usize = 16;

/// Parses the token text of an integer literal too big for `u64`.
fn parse_big_int(token: &str) -> Option<BigInt> {
    let t: String = token.chars().filter(|&c| c != '_').collect();
    let lower = t.to_ascii_lowercase();
    let (digits, radix) = if let Some(d) = lower.strip_prefix("0x") {
        (d.to_string(), 16)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (d.to_string(), 8)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (d.to_string(), 2)
    } else {
        (lower, 10)
    };
    BigInt::parse_bytes(digits.as_bytes(), radix)
}

fn int_const(i: BigInt) -> Const {
    match i.to_i64() {
        Some(v) => Const::Int(v),
        None => Const::BigInt(Rc::new(i)),
    }
}

/// The value of a constant expression, if it is one (literals, negated numbers, and
/// tuples of constants).
pub(crate) fn const_of(e: &Expr) -> Option<Const> {
    match e {
        Expr::NoneLiteral(_) => Some(Const::None),
        Expr::BooleanLiteral(b) => Some(if b.value { Const::True } else { Const::False }),
        Expr::EllipsisLiteral(_) => Some(Const::Ellipsis),
        Expr::StringLiteral(s) => Some(Const::Str(s.value.to_str().into())),
        Expr::BytesLiteral(b) => {
            let bytes: Vec<u8> = b.value.bytes().collect();
            Some(Const::Bytes(bytes.into()))
        }
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => match i.as_u64() {
                Some(v) => Some(int_const(BigInt::from(v))),
                None => parse_big_int(&i.to_string()).map(int_const),
            },
            ast::Number::Float(f) => Some(Const::Float(*f)),
            ast::Number::Complex { .. } => None,
        },
        // Only a literal number is negated (so that chains of minus signs stay linear).
        Expr::UnaryOp(u) if u.op == ast::UnaryOp::USub && u.operand.is_number_literal_expr() => {
            match const_of(&u.operand)? {
                Const::Int(i) => Some(match i.checked_neg() {
                    Some(v) => Const::Int(v),
                    None => int_const(-BigInt::from(i)),
                }),
                Const::BigInt(b) => Some(int_const(-(*b).clone())),
                Const::Float(f) => Some(Const::Float(-f)),
                _ => None,
            }
        }
        Expr::Tuple(t) if t.ctx == ExprContext::Load => {
            stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                let items: Option<Vec<Const>> = t.elts.iter().map(const_of).collect();
                Some(Const::Tuple(items?.into()))
            })
        }
        _ => None,
    }
}

/// Truthiness of a constant, when known at compile time.
fn const_truth(c: &Const) -> Option<bool> {
    Some(match c {
        Const::None | Const::False => false,
        Const::True | Const::Ellipsis => true,
        Const::Int(i) => *i != 0,
        Const::BigInt(b) => !b.is_zero(),
        Const::Float(f) => *f != 0.0,
        Const::Str(s) => !s.is_empty(),
        Const::Bytes(b) => !b.is_empty(),
        Const::Tuple(t) => !t.is_empty(),
        Const::Code(_) => return None,
    })
}

fn bin_op(op: ast::Operator) -> BinOp {
    use ast::Operator as O;
    match op {
        O::Add => BinOp::Add,
        O::Sub => BinOp::Sub,
        O::Mult => BinOp::Mul,
        O::MatMult => BinOp::MatMul,
        O::Div => BinOp::TrueDiv,
        O::Mod => BinOp::Mod,
        O::Pow => BinOp::Pow,
        O::LShift => BinOp::LShift,
        O::RShift => BinOp::RShift,
        O::BitOr => BinOp::Or,
        O::BitXor => BinOp::Xor,
        O::BitAnd => BinOp::And,
        O::FloorDiv => BinOp::FloorDiv,
    }
}

pub(crate) fn aug_op(op: ast::Operator) -> BinOp {
    bin_op(op)
}

fn cmp_instr(op: ast::CmpOp) -> Instr {
    use ast::CmpOp as C;
    match op {
        C::Eq => Instr::Compare(CmpOp::Eq),
        C::NotEq => Instr::Compare(CmpOp::Ne),
        C::Lt => Instr::Compare(CmpOp::Lt),
        C::LtE => Instr::Compare(CmpOp::Le),
        C::Gt => Instr::Compare(CmpOp::Gt),
        C::GtE => Instr::Compare(CmpOp::Ge),
        C::Is => Instr::IsOp(false),
        C::IsNot => Instr::IsOp(true),
        C::In => Instr::ContainsOp(false),
        C::NotIn => Instr::ContainsOp(true),
    }
}

/// One piece of an f-string after flattening the implicit concatenation.
enum Piece<'e> {
    Text(String),
    Field(&'e ast::InterpolatedElement),
}

impl<'a> Compiler<'a> {
    pub(crate) fn compile_expr(&mut self, e: &'a Expr) -> CResult<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            let line = self.set_line(e.start());
            let r = self.compile_expr_inner(e);
            self.restore_line(line);
            r
        })
    }

    fn compile_expr_inner(&mut self, e: &'a Expr) -> CResult<()> {
        if let Some(c) = const_of(e) {
            self.load_const(c);
            return Ok(());
        }
        match e {
            Expr::BoolOp(b) => {
                let end = self.new_label();
                let n = b.values.len();
                for (i, v) in b.values.iter().enumerate() {
                    self.compile_expr(v)?;
                    if i + 1 < n {
                        match b.op {
                            ast::BoolOp::And => self.emit_jump(Instr::JumpIfFalseOrPop, end),
                            ast::BoolOp::Or => self.emit_jump(Instr::JumpIfTrueOrPop, end),
                        }
                    }
                }
                self.bind(end);
            }
            Expr::Named(n) => {
                self.compile_expr(&n.value)?;
                self.emit(Instr::Dup);
                self.compile_store(&n.target)?;
            }
            Expr::BinOp(b) => {
                self.compile_expr(&b.left)?;
                self.compile_expr(&b.right)?;
                self.emit(Instr::Binary(bin_op(b.op)));
            }
            Expr::UnaryOp(u) => {
                self.compile_expr(&u.operand)?;
                let op = match u.op {
                    ast::UnaryOp::Invert => UnaryOp::Invert,
                    ast::UnaryOp::Not => UnaryOp::Not,
                    ast::UnaryOp::UAdd => UnaryOp::Pos,
                    ast::UnaryOp::USub => UnaryOp::Neg,
                };
                self.emit(Instr::Unary(op));
            }
            Expr::Lambda(l) => self.compile_lambda(l)?,
            Expr::If(i) => {
                let orelse = self.new_label();
                let end = self.new_label();
                self.compile_jump_if(&i.test, false, orelse)?;
                self.compile_expr(&i.body)?;
                self.emit_jump(Instr::Jump, end);
                self.bind(orelse);
                self.compile_expr(&i.orelse)?;
                self.bind(end);
            }
            Expr::Dict(d) => self.compile_dict(d)?,
            Expr::Set(s) => self.compile_sequence(&s.elts, Seq::Set)?,
            Expr::List(l) => {
                self.check_load(l.ctx, l.start())?;
                self.compile_sequence(&l.elts, Seq::List)?
            }
            Expr::Tuple(t) => {
                self.check_load(t.ctx, t.start())?;
                self.compile_sequence(&t.elts, Seq::Tuple)?
            }
            Expr::ListComp(c) => self.compile_comprehension(
                node_key(c),
                "<listcomp>",
                &c.generators,
                Comp::List(&c.elt),
            )?,
            Expr::SetComp(c) => self.compile_comprehension(
                node_key(c),
                "<setcomp>",
                &c.generators,
                Comp::Set(&c.elt),
            )?,
            Expr::DictComp(c) => {
                let Some(key) = &c.key else {
                    return Err(self.err(
                        c.start(),
                        "dict unpacking cannot be used in dict comprehension",
                    ));
                };
                self.compile_comprehension(
                    node_key(c),
                    "<dictcomp>",
                    &c.generators,
                    Comp::Dict(key, &c.value),
                )?
            }
            Expr::Generator(g) => self.compile_comprehension(
                node_key(g),
                "<genexpr>",
                &g.generators,
                Comp::Gen(&g.elt),
            )?,
            Expr::Await(a) => {
                return Err(self.err(a.start(), "'await' is not supported by thicket"))
            }
            Expr::Yield(y) => {
                self.check_in_function(y.start(), "'yield' outside function")?;
                match &y.value {
                    Some(v) => self.compile_expr(v)?,
                    None => self.load_const(Const::None),
                }
                self.emit(Instr::YieldValue);
            }
            Expr::YieldFrom(y) => {
                self.check_in_function(y.start(), "'yield' outside function")?;
                self.compile_expr(&y.value)?;
                self.emit(Instr::GetYieldFromIter);
                self.load_const(Const::None);
                self.emit(Instr::YieldFrom);
            }
            Expr::Compare(c) => self.compile_compare(c)?,
            Expr::Call(c) => self.compile_call(c)?,
            Expr::FString(f) => self.compile_fstring(f)?,
            Expr::TString(t) => {
                return Err(self.err(t.start(), "a t-string is not supported by thicket"))
            }
            Expr::NumberLiteral(n) => {
                return Err(self.err(n.start(), "a complex literal is not supported by thicket"))
            }
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => {} // constants, loaded above
            Expr::Attribute(a) => {
                self.check_load(a.ctx, a.start())?;
                self.compile_expr(&a.value)?;
                let name = self.mangle(&a.attr).into_owned();
                let i = self.name_index(&name);
                self.emit(Instr::LoadAttr(i));
            }
            Expr::Subscript(s) => {
                self.check_load(s.ctx, s.start())?;
                self.compile_expr(&s.value)?;
                self.compile_expr(&s.slice)?;
                self.emit(Instr::BinarySubscr);
            }
            Expr::Starred(s) => {
                return Err(self.err(s.start(), "can't use starred expression here"));
            }
            Expr::Name(n) => {
                self.check_load(n.ctx, n.start())?;
                if n.id.as_str() == "__debug__" {
                    self.load_const(Const::True);
                } else {
                    self.compile_name(&n.id, NameOp::Load);
                }
            }
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper] {
                    match part {
                        Some(p) => self.compile_expr(p)?,
                        None => self.load_const(Const::None),
                    }
                }
                match &s.step {
                    Some(st) => {
                        self.compile_expr(st)?;
                        self.emit(Instr::BuildSlice(3));
                    }
                    None => self.emit(Instr::BuildSlice(2)),
                }
            }
            Expr::IpyEscapeCommand(c) => {
                return Err(self.err(
                    c.start(),
                    "an IPython escape command is not supported by thicket",
                ))
            }
        }
        Ok(())
    }

    fn check_load(&self, ctx: ExprContext, at: TextSize) -> CResult<()> {
        if ctx == ExprContext::Invalid {
            return Err(self.err(at, "invalid syntax"));
        }
        Ok(())
    }

    fn check_in_function(&self, at: TextSize, msg: &str) -> CResult<()> {
        if matches!(self.unit_ref().kind, CodeKind::Module | CodeKind::Class) {
            return Err(self.err(at, msg));
        }
        Ok(())
    }

    // ---- names ----

    /// Loads, stores or deletes `name` as its scope says.
    pub(crate) fn compile_name(&mut self, name: &str, op: NameOp) {
        let mangled = self.mangle(name).into_owned();
        let unit = self.unit_ref();
        let scope = &self.table.scopes[unit.scope];
        let kind = scope.kind;
        let sc = scope.lookup(&mangled);
        let flags = scope.flags(&mangled);
        let instr = match kind {
            ScopeKind::Module => {
                let i = self.name_index(&mangled);
                match op {
                    NameOp::Load => Instr::LoadGlobal(i),
                    NameOp::Store => Instr::StoreGlobal(i),
                    NameOp::Del => Instr::DeleteGlobal(i),
                }
            }
            ScopeKind::Class => match sc {
                NameScope::GlobalExplicit => {
                    let i = self.name_index(&mangled);
                    match op {
                        NameOp::Load => Instr::LoadGlobal(i),
                        NameOp::Store => Instr::StoreGlobal(i),
                        NameOp::Del => Instr::DeleteGlobal(i),
                    }
                }
                NameScope::Free if flags & super::symtable::DEF_FREE_CLASS == 0 => {
                    let cell = self.cell_index(&mangled).unwrap_or(0);
                    match op {
                        NameOp::Load => {
                            let i = self.name_index(&mangled);
                            Instr::LoadClassDeref { name: i, cell }
                        }
                        NameOp::Store => Instr::StoreDeref(cell),
                        NameOp::Del => Instr::DeleteDeref(cell),
                    }
                }
                _ => {
                    let i = self.name_index(&mangled);
                    match op {
                        NameOp::Load => Instr::LoadName(i),
                        NameOp::Store => Instr::StoreName(i),
                        NameOp::Del => Instr::DeleteName(i),
                    }
                }
            },
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension => match sc {
                NameScope::Local => {
                    let i = self.varname_index(&mangled);
                    match op {
                        NameOp::Load => Instr::LoadFast(i),
                        NameOp::Store => Instr::StoreFast(i),
                        NameOp::Del => Instr::DeleteFast(i),
                    }
                }
                NameScope::Cell | NameScope::Free => match self.cell_index(&mangled) {
                    Some(cell) => match op {
                        NameOp::Load => Instr::LoadDeref(cell),
                        NameOp::Store => Instr::StoreDeref(cell),
                        NameOp::Del => Instr::DeleteDeref(cell),
                    },
                    None => {
                        let i = self.name_index(&mangled);
                        match op {
                            NameOp::Load => Instr::LoadGlobal(i),
                            NameOp::Store => Instr::StoreGlobal(i),
                            NameOp::Del => Instr::DeleteGlobal(i),
                        }
                    }
                },
                NameScope::GlobalExplicit | NameScope::GlobalImplicit => {
                    let i = self.name_index(&mangled);
                    match op {
                        NameOp::Load => Instr::LoadGlobal(i),
                        NameOp::Store => Instr::StoreGlobal(i),
                        NameOp::Del => Instr::DeleteGlobal(i),
                    }
                }
            },
        };
        self.emit(instr);
    }

    // ---- conditions ----

    /// Jumps to `target` if `e` is `cond`; falls through otherwise (nothing left on the
    /// stack either way).
    pub(crate) fn compile_jump_if(
        &mut self,
        e: &'a Expr,
        cond: bool,
        target: Label,
    ) -> CResult<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            let line = self.set_line(e.start());
            let r = self.compile_jump_if_inner(e, cond, target);
            self.restore_line(line);
            r
        })
    }

    fn compile_jump_if_inner(&mut self, e: &'a Expr, cond: bool, target: Label) -> CResult<()> {
        if let Some(truth) = const_of(e).as_ref().and_then(const_truth) {
            if truth == cond {
                self.emit_jump(Instr::Jump, target);
            }
            return Ok(());
        }
        match e {
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => {
                self.compile_jump_if(&u.operand, !cond, target)
            }
            Expr::BoolOp(b) => {
                let is_and = b.op == ast::BoolOp::And;
                let n = b.values.len();
                if is_and != cond {
                    // `a and b` jumping when false / `a or b` jumping when true: any
                    // operand decides.
                    for v in &b.values {
                        self.compile_jump_if(v, cond, target)?;
                    }
                } else {
                    let skip = self.new_label();
                    for (i, v) in b.values.iter().enumerate() {
                        if i + 1 < n {
                            self.compile_jump_if(v, !cond, skip)?;
                        } else {
                            self.compile_jump_if(v, cond, target)?;
                        }
                    }
                    self.bind(skip);
                }
                Ok(())
            }
            _ => {
                self.compile_expr(e)?;
                if cond {
                    self.emit_jump(Instr::PopJumpIfTrue, target);
                } else {
                    self.emit_jump(Instr::PopJumpIfFalse, target);
                }
                Ok(())
            }
        }
    }

    fn compile_compare(&mut self, c: &'a ast::ExprCompare) -> CResult<()> {
        self.compile_expr(&c.left)?;
        let n = c.ops.len();
        if n == 0 {
            return Ok(());
        }
        if n == 1 {
            self.compile_expr(&c.comparators[0])?;
            self.emit(cmp_instr(c.ops[0]));
            return Ok(());
        }
        let cleanup = self.new_label();
        let end = self.new_label();
        for i in 0..n - 1 {
            self.compile_expr(&c.comparators[i])?;
            self.emit(Instr::Dup);
            self.emit(Instr::Rot3);
            self.emit(cmp_instr(c.ops[i]));
            self.emit_jump(Instr::JumpIfFalseOrPop, cleanup);
        }
        self.compile_expr(&c.comparators[n - 1])?;
        self.emit(cmp_instr(c.ops[n - 1]));
        self.emit_jump(Instr::Jump, end);
        self.bind(cleanup);
        self.emit(Instr::Rot2);
        self.emit(Instr::Pop);
        self.bind(end);
        Ok(())
    }

    // ---- displays ----

    fn compile_sequence(&mut self, elts: &'a [Expr], kind: Seq) -> CResult<()> {
        let starred = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        let consts: Option<Vec<Const>> = if starred {
            None
        } else {
            elts.iter().map(const_of).collect()
        };
        // Lists and sets of three or more constants: extend an empty one with a tuple.
        if let Some(items) = consts.filter(|c| c.len() >= 3 && kind != Seq::Tuple) {
            self.emit(kind.build(0));
            self.load_const(Const::Tuple(items.into()));
            self.emit(kind.extend());
            return Ok(());
        }
        if !starred && elts.len() <= BIG_DISPLAY {
            for e in elts {
                self.compile_expr(e)?;
            }
            self.emit(kind.build(elts.len() as u32));
            return Ok(());
        }
        // Item by item, into a list (or set), starting with the plain leading items.
        let build_kind = if kind == Seq::Set {
            Seq::Set
        } else {
            Seq::List
        };
        let lead = elts
            .iter()
            .take(BIG_DISPLAY)
            .take_while(|e| !matches!(e, Expr::Starred(_)))
            .count();
        for e in &elts[..lead] {
            self.compile_expr(e)?;
        }
        self.emit(build_kind.build(lead as u32));
        for e in &elts[lead..] {
            match e {
                Expr::Starred(s) => {
                    self.compile_expr(&s.value)?;
                    self.emit(build_kind.extend());
                }
                other => {
                    self.compile_expr(other)?;
                    self.emit(if build_kind == Seq::Set {
                        Instr::SetAdd(1)
                    } else {
                        Instr::ListAppend(1)
                    });
                }
            }
        }
        if kind == Seq::Tuple {
            self.emit(Instr::ListToTuple);
        }
        Ok(())
    }

    fn compile_dict(&mut self, d: &'a ast::ExprDict) -> CResult<()> {
        let lead = d
            .items
            .iter()
            .take(BIG_DISPLAY)
            .take_while(|i| i.key.is_some())
            .count();
        for item in &d.items[..lead] {
            if let Some(k) = &item.key {
                self.compile_expr(k)?;
            }
            self.compile_expr(&item.value)?;
        }
        self.emit(Instr::BuildMap(lead as u32));
        for item in &d.items[lead..] {
            match &item.key {
                Some(k) => {
                    self.compile_expr(k)?;
                    self.compile_expr(&item.value)?;
                    self.emit(Instr::MapAdd(1));
                }
                None => {
                    self.compile_expr(&item.value)?;
                    self.emit(Instr::DictUpdate(1));
                }
            }
        }
        Ok(())
    }

    // ---- calls ----

    fn compile_call(&mut self, c: &'a ast::ExprCall) -> CResult<()> {
        let args = &c.arguments.args;
        let keywords = &c.arguments.keywords;
        let starred = args.iter().any(|a| matches!(a, Expr::Starred(_)));
        let dstarred = keywords.iter().any(|k| k.arg.is_none());
        // Zero-argument super() inside a method: super(__class__, <first argument>).
        if let Expr::Name(n) = &*c.func {
            if n.id.as_str() == "super" && args.is_empty() && keywords.is_empty() {
                if let Some(first) = self.super_first_arg() {
                    self.compile_name("super", NameOp::Load);
                    let cell = self.cell_index("__class__").unwrap_or(0);
                    self.emit(Instr::LoadDeref(cell));
                    self.compile_name(&first, NameOp::Load);
                    self.emit(Instr::Call(2));
                    return Ok(());
                }
            }
        }
        // obj.method(args): no bound method object.
        if let Expr::Attribute(a) = &*c.func {
            if !starred && keywords.is_empty() && a.ctx == ExprContext::Load {
                self.compile_expr(&a.value)?;
                let name = self.mangle(&a.attr).into_owned();
                let i = self.name_index(&name);
                self.emit(Instr::LoadMethod(i));
                for arg in args.iter() {
                    self.compile_expr(arg)?;
                }
                self.emit(Instr::CallMethod(args.len() as u32));
                return Ok(());
            }
        }
        self.compile_expr(&c.func)?;
        if !starred && !dstarred {
            for arg in args.iter() {
                self.compile_expr(arg)?;
            }
            if keywords.is_empty() {
                self.emit(Instr::Call(args.len() as u32));
            } else {
                let mut names = Vec::new();
                for k in keywords.iter() {
                    self.compile_expr(&k.value)?;
                    if let Some(a) = &k.arg {
                        names.push(Const::Str(a.as_str().into()));
                    }
                }
                self.load_const(Const::Tuple(names.into()));
                self.emit(Instr::CallKw((args.len() + keywords.len()) as u32));
            }
            return Ok(());
        }
        // The general form: an argument tuple and a keyword dict.
        if starred {
            self.compile_sequence(args, Seq::Tuple)?;
        } else {
            for arg in args.iter() {
                self.compile_expr(arg)?;
            }
            self.emit(Instr::BuildTuple(args.len() as u32));
        }
        if keywords.is_empty() {
            self.emit(Instr::CallEx(false));
            return Ok(());
        }
        let mut have_dict = false;
        let mut pending = 0u32;
        for k in keywords.iter() {
            match &k.arg {
                Some(a) => {
                    self.load_str(a);
                    self.compile_expr(&k.value)?;
                    pending += 1;
                }
                None => {
                    if pending > 0 || !have_dict {
                        self.emit(Instr::BuildMap(pending));
                        if have_dict {
                            self.emit(Instr::DictMerge(1));
                        }
                        have_dict = true;
                        pending = 0;
                    }
                    self.compile_expr(&k.value)?;
                    self.emit(Instr::DictMerge(1));
                }
            }
        }
        if pending > 0 {
            self.emit(Instr::BuildMap(pending));
            if have_dict {
                self.emit(Instr::DictMerge(1));
            }
        }
        self.emit(Instr::CallEx(true));
        Ok(())
    }

    /// For a zero-argument `super()`: the name of the first parameter, if this is a
    /// function scope with a `__class__` free variable and at least one positional
    /// parameter.
    fn super_first_arg(&self) -> Option<String> {
        let unit = self.unit_ref();
        let scope = &self.table.scopes[unit.scope];
        if !scope.kind.is_function_like() || scope.lookup("__class__") != NameScope::Free {
            return None;
        }
        // A local `super` is called as written.
        if !matches!(
            scope.lookup("super"),
            NameScope::GlobalImplicit | NameScope::GlobalExplicit
        ) {
            return None;
        }
        if unit.argcount == 0 {
            return None;
        }
        unit.varnames.first().map(|n| n.to_string())
    }

    // ---- functions, lambdas, comprehensions ----

    /// Pushes the positional defaults tuple and keyword-only defaults dict of a
    /// function, returning the `MakeFunction` flags they need.
    pub(crate) fn compile_defaults(&mut self, p: Option<&'a ast::Parameters>) -> CResult<u8> {
        let Some(p) = p else { return Ok(0) };
        let mut flags = 0;
        let defaults: Vec<&Expr> = p
            .posonlyargs
            .iter()
            .chain(&p.args)
            .filter_map(|a| a.default.as_deref())
            .collect();
        if !defaults.is_empty() {
            let consts: Option<Vec<Const>> = defaults.iter().map(|d| const_of(d)).collect();
            match consts {
                Some(c) => self.load_const(Const::Tuple(c.into())),
                None => {
                    for d in &defaults {
                        self.compile_expr(d)?;
                    }
                    self.emit(Instr::BuildTuple(defaults.len() as u32));
                }
            }
            flags |= MF_DEFAULTS;
        }
        let mut n = 0;
        for a in p.kwonlyargs.iter() {
            if let Some(d) = &a.default {
                let name = self.mangle(&a.parameter.name).into_owned();
                self.load_str(&name);
                self.compile_expr(d)?;
                n += 1;
            }
        }
        if n > 0 {
            self.emit(Instr::BuildMap(n));
            flags |= MF_KWDEFAULTS;
        }
        Ok(flags)
    }

    /// Sets the parameter counts of the current unit.
    pub(crate) fn set_params(&mut self, p: Option<&ast::Parameters>) {
        let Some(p) = p else { return };
        let u = self.unit();
        u.posonlyargcount = p.posonlyargs.len() as u32;
        u.argcount = (p.posonlyargs.len() + p.args.len()) as u32;
        u.kwonlyargcount = p.kwonlyargs.len() as u32;
        u.varargs = p.vararg.is_some();
        u.varkw = p.kwarg.is_some();
    }

    /// Pushes the closure of `code` (if it has free variables) and the code, and makes
    /// the function; `flags` says which defaults are already on the stack.
    pub(crate) fn make_function(
        &mut self,
        code: Rc<crate::bytecode::Code>,
        mut flags: u8,
    ) -> CResult<()> {
        if !code.freevars.is_empty() {
            for name in code.freevars.iter() {
                let Some(i) = self.cell_index(name) else {
                    return Err(self.err(
                        TextSize::default(),
                        format!(
                            "internal compiler error: no cell for free variable '{name}' of {}",
                            code.qualname
                        ),
                    ));
                };
                self.emit(Instr::LoadClosure(i));
            }
            self.emit(Instr::BuildTuple(code.freevars.len() as u32));
            flags |= MF_CLOSURE;
        }
        self.load_const(Const::Code(code));
        self.emit(Instr::MakeFunction(flags));
        Ok(())
    }

    fn scope_of(&self, key: usize, at: TextSize) -> CResult<usize> {
        self.table
            .scope_for(key)
            .ok_or_else(|| self.err(at, "internal compiler error: scope not found"))
    }

    fn compile_lambda(&mut self, l: &'a ast::ExprLambda) -> CResult<()> {
        let scope = self.scope_of(node_key(l), l.start())?;
        let flags = self.compile_defaults(l.parameters.as_deref())?;
        let line = self.src.line(l.start());
        self.enter_unit(scope, CodeKind::Lambda, "<lambda>", line);
        self.set_params(l.parameters.as_deref());
        let r = (|| {
            self.compile_expr(&l.body)?;
            self.emit(Instr::Return);
            Ok(())
        })();
        if let Err(e) = r {
            self.units.pop();
            return Err(e);
        }
        let code = self.exit_unit()?;
        self.make_function(code, flags)
    }

    fn compile_comprehension(
        &mut self,
        key: usize,
        name: &str,
        generators: &'a [ast::Comprehension],
        comp: Comp<'a>,
    ) -> CResult<()> {
        let at = generators
            .first()
            .map_or(TextSize::default(), |g| g.start());
        let scope = self.scope_of(key, at)?;
        let Some(first) = generators.first() else {
            return Err(self.err(at, "comprehension without 'for'"));
        };
        let line = self.unit_ref().line;
        self.enter_unit(scope, CodeKind::Comprehension, name, line);
        self.unit().argcount = 1;
        let r = (|| {
            match comp {
                Comp::List(_) => self.emit(Instr::BuildList(0)),
                Comp::Set(_) => self.emit(Instr::BuildSet(0)),
                Comp::Dict(..) => self.emit(Instr::BuildMap(0)),
                Comp::Gen(_) => {}
            }
            let dot0 = self.varname_index(".0");
            self.emit(Instr::LoadFast(dot0));
            self.compile_comp_loop(generators, 0, &comp)?;
            if let Comp::Gen(_) = comp {
                self.load_const(Const::None);
            }
            self.emit(Instr::Return);
            Ok(())
        })();
        if let Err(e) = r {
            self.units.pop();
            return Err(e);
        }
        let code = self.exit_unit()?;
        self.make_function(code, 0)?;
        self.compile_expr(&first.iter)?;
        self.emit(Instr::GetIter);
        self.emit(Instr::Call(1));
        Ok(())
    }

    /// The loop of generator `i` (its iterator already on the stack).
    fn compile_comp_loop(
        &mut self,
        generators: &'a [ast::Comprehension],
        i: usize,
        comp: &Comp<'a>,
    ) -> CResult<()> {
        let g = &generators[i];
        let top = self.new_label();
        let end = self.new_label();
        self.bind(top);
        let line = self.set_line(g.start());
        self.emit_jump(Instr::ForIter, end);
        self.compile_store(&g.target)?;
        for cond in &g.ifs {
            self.compile_jump_if(cond, false, top)?;
        }
        if i + 1 < generators.len() {
            let next = &generators[i + 1];
            self.compile_expr(&next.iter)?;
            self.emit(Instr::GetIter);
            self.compile_comp_loop(generators, i + 1, comp)?;
        } else {
            let depth = generators.len() as u32 + 1;
            match *comp {
                Comp::List(e) => {
                    self.compile_expr(e)?;
                    self.emit(Instr::ListAppend(depth));
                }
                Comp::Set(e) => {
                    self.compile_expr(e)?;
                    self.emit(Instr::SetAdd(depth));
                }
                Comp::Dict(k, v) => {
                    self.compile_expr(k)?;
                    self.compile_expr(v)?;
                    self.emit(Instr::MapAdd(depth));
                }
                Comp::Gen(e) => {
                    self.compile_expr(e)?;
                    self.emit(Instr::YieldValue);
                    self.emit(Instr::Pop);
                }
            }
        }
        self.emit_jump(Instr::Jump, top);
        self.bind(end);
        self.restore_line(line);
        Ok(())
    }

    // ---- f-strings ----

    fn compile_fstring(&mut self, f: &'a ast::ExprFString) -> CResult<()> {
        let mut pieces: Vec<Piece<'a>> = Vec::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(s) => push_text(&mut pieces, &s.value),
                ast::FStringPart::FString(fs) => collect_pieces(&mut pieces, &fs.elements),
            }
        }
        self.compile_pieces(&pieces)
    }

    /// Leaves one str on the stack.
    fn compile_pieces(&mut self, pieces: &[Piece<'a>]) -> CResult<()> {
        let mut n = 0;
        for p in pieces {
            match p {
                Piece::Text(t) if t.is_empty() => continue,
                Piece::Text(t) => self.load_str(t),
                Piece::Field(field) => self.compile_field(field)?,
            }
            n += 1;
        }
        match n {
            0 => self.load_str(""),
            1 => {}
            _ => self.emit(Instr::BuildString(n)),
        }
        Ok(())
    }

    fn compile_field(&mut self, field: &'a ast::InterpolatedElement) -> CResult<()> {
        self.compile_expr(&field.expression)?;
        let mut conv = match field.conversion {
            ast::ConversionFlag::None => FV_NONE,
            ast::ConversionFlag::Str => FV_STR,
            ast::ConversionFlag::Repr => FV_REPR,
            ast::ConversionFlag::Ascii => FV_ASCII,
        };
        if field.debug_text.is_some() && conv == FV_NONE && field.format_spec.is_none() {
            conv = FV_REPR;
        }
        if let Some(spec) = &field.format_spec {
            let mut pieces = Vec::new();
            collect_pieces(&mut pieces, &spec.elements);
            self.compile_pieces(&pieces)?;
            conv |= FV_HAS_SPEC;
        }
        self.emit(Instr::FormatValue(conv));
        Ok(())
    }

    // ---- targets ----

    /// Stores the value on top of the stack into `target`.
    pub(crate) fn compile_store(&mut self, target: &'a Expr) -> CResult<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.compile_store_inner(target))
    }

    fn compile_store_inner(&mut self, target: &'a Expr) -> CResult<()> {
        let line = self.set_line(target.start());
        let r = match target {
            Expr::Name(n) => {
                if n.id.as_str() == "__debug__" {
                    return Err(self.err(n.start(), "cannot assign to __debug__"));
                }
                self.compile_name(&n.id, NameOp::Store);
                Ok(())
            }
            Expr::Attribute(a) => {
                self.compile_expr(&a.value)?;
                let name = self.mangle(&a.attr).into_owned();
                let i = self.name_index(&name);
                self.emit(Instr::StoreAttr(i));
                Ok(())
            }
            Expr::Subscript(s) => {
                self.compile_expr(&s.value)?;
                self.compile_expr(&s.slice)?;
                self.emit(Instr::StoreSubscr);
                Ok(())
            }
            Expr::Tuple(t) => self.compile_unpack(&t.elts, t.start()),
            Expr::List(l) => self.compile_unpack(&l.elts, l.start()),
            Expr::Starred(s) => Err(self.err(
                s.start(),
                "starred assignment target must be in a list or tuple",
            )),
            other => Err(self.err(other.start(), "cannot assign to expression")),
        };
        self.restore_line(line);
        r
    }

    fn compile_unpack(&mut self, elts: &'a [Expr], at: TextSize) -> CResult<()> {
        let stars: Vec<usize> = elts
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e, Expr::Starred(_)))
            .map(|(i, _)| i)
            .collect();
        match stars.as_slice() {
            [] => {
                self.emit(Instr::UnpackSequence(elts.len() as u32));
            }
            [star] => {
                let before = *star;
                let after = elts.len() - star - 1;
                if before > u16::MAX as usize || after > u16::MAX as usize {
                    return Err(self.err(at, "too many expressions in star-unpacking assignment"));
                }
                self.emit(Instr::UnpackEx {
                    before: before as u16,
                    after: after as u16,
                });
            }
            _ => return Err(self.err(at, "multiple starred expressions in assignment")),
        }
        for e in elts {
            match e {
                Expr::Starred(s) => self.compile_store(&s.value)?,
                other => self.compile_store(other)?,
            }
        }
        Ok(())
    }

    /// `del target`.
    pub(crate) fn compile_delete(&mut self, target: &'a Expr) -> CResult<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.compile_delete_inner(target))
    }

    fn compile_delete_inner(&mut self, target: &'a Expr) -> CResult<()> {
        let line = self.set_line(target.start());
        let r = match target {
            Expr::Name(n) => {
                self.compile_name(&n.id, NameOp::Del);
                Ok(())
            }
            Expr::Attribute(a) => {
                self.compile_expr(&a.value)?;
                let name = self.mangle(&a.attr).into_owned();
                let i = self.name_index(&name);
                self.emit(Instr::DeleteAttr(i));
                Ok(())
            }
            Expr::Subscript(s) => {
                self.compile_expr(&s.value)?;
                self.compile_expr(&s.slice)?;
                self.emit(Instr::DeleteSubscr);
                Ok(())
            }
            Expr::Tuple(t) => t.elts.iter().try_for_each(|e| self.compile_delete(e)),
            Expr::List(l) => l.elts.iter().try_for_each(|e| self.compile_delete(e)),
            other => Err(self.err(other.start(), "cannot delete expression")),
        };
        self.restore_line(line);
        r
    }
}

fn push_text(pieces: &mut Vec<Piece<'_>>, text: &str) {
    if let Some(Piece::Text(t)) = pieces.last_mut() {
        t.push_str(text);
    } else {
        pieces.push(Piece::Text(text.to_string()));
    }
}

fn collect_pieces<'e>(pieces: &mut Vec<Piece<'e>>, elements: &'e ast::InterpolatedStringElements) {
    for el in elements.iter() {
        match el {
            ast::InterpolatedStringElement::Literal(l) => push_text(pieces, &l.value),
            ast::InterpolatedStringElement::Interpolation(i) => {
                if let Some(dt) = &i.debug_text {
                    push_text(pieces, dt.as_str());
                }
                pieces.push(Piece::Field(i));
            }
        }
    }
}

/// Which display a sequence builds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    List,
    Tuple,
    Set,
}

impl Seq {
    fn build(self, n: u32) -> Instr {
        match self {
            Seq::List => Instr::BuildList(n),
            Seq::Tuple => Instr::BuildTuple(n),
            Seq::Set => Instr::BuildSet(n),
        }
    }

    fn extend(self) -> Instr {
        match self {
            Seq::Set => Instr::SetUpdate(1),
            _ => Instr::ListExtend(1),
        }
    }
}

/// What a comprehension builds, with its element expression(s).
#[derive(Clone, Copy)]
enum Comp<'a> {
    List(&'a Expr),
    Set(&'a Expr),
    Dict(&'a Expr, &'a Expr),
    Gen(&'a Expr),
}
