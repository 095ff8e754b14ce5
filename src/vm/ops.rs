//! Operators: arithmetic on the built-in numbers, sequence concatenation and
//! repetition, set algebra, rich comparison, truth, hashing, containment and item
//! access, with dispatch to the dunder methods of classes (reflected operands, the
//! subclass-first rule and `NotImplemented`).

use super::types::containers;
use super::{PyResult, Vm};
use crate::bytecode::{BinOp, CmpOp, UnaryOp};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};
use thicket_object_model::dicts::{self, KeyCtx};
use thicket_object_model::layout as l;
use thicket_object_model::{Kind, Space, Value};

/// Numeric view of a value for arithmetic.
#[derive(Clone, Debug)]
pub enum Num {
    Int(BigInt),
    Small(i64),
    Float(f64),
}

fn op_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::MatMul => "@",
        BinOp::TrueDiv => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "** or pow()",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::And => "&",
        BinOp::Or => "|",
        BinOp::Xor => "^",
    }
}

fn op_dunders(op: BinOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__", "__iadd__"),
        BinOp::Sub => ("__sub__", "__rsub__", "__isub__"),
        BinOp::Mul => ("__mul__", "__rmul__", "__imul__"),
        BinOp::MatMul => ("__matmul__", "__rmatmul__", "__imatmul__"),
        BinOp::TrueDiv => ("__truediv__", "__rtruediv__", "__itruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__", "__imod__"),
        BinOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
        BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
        BinOp::And => ("__and__", "__rand__", "__iand__"),
        BinOp::Or => ("__or__", "__ror__", "__ior__"),
        BinOp::Xor => ("__xor__", "__rxor__", "__ixor__"),
    }
}

fn cmp_dunders(op: CmpOp) -> (&'static str, &'static str) {
    match op {
        CmpOp::Lt => ("__lt__", "__gt__"),
        CmpOp::Le => ("__le__", "__ge__"),
        CmpOp::Eq => ("__eq__", "__eq__"),
        CmpOp::Ne => ("__ne__", "__ne__"),
        CmpOp::Gt => ("__gt__", "__lt__"),
        CmpOp::Ge => ("__ge__", "__le__"),
    }
}

fn cmp_symbol(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Eq => "==",
        CmpOp::Ne => "!=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

impl Vm {
    /// The value a built-in-subclass instance stands for (its backing value), or itself.
    #[inline]
    pub fn unwrap_builtin(&self, v: Value) -> Value {
        if v.layout() == l::INSTANCE {
            self.sp.inst_backing(v).unwrap_or(v)
        } else {
            v
        }
    }

    /// Numeric view of ints, bools and floats.
    pub fn as_num(&self, v: Value) -> Option<Num> {
        let v = self.unwrap_builtin(v);
        match v.layout() {
            l::INT => Some(Num::Small(self.sp.small_int(v).expect("small"))),
            l::BIGINT => Some(Num::Int(self.sp.to_bigint(v))),
            l::FLOAT => Some(Num::Float(self.sp.float_value(v))),
            _ => None,
        }
    }

    /// An int object from a BigInt.
    pub fn int_from(&mut self, b: BigInt) -> Value {
        self.sp.new_bigint(&b)
    }

    /// `a OP b`.
    pub fn binary_op(&mut self, op: BinOp, a: Value, b: Value) -> PyResult {
        let (ai, bi) = (self.is_instance_kind(a), self.is_instance_kind(b));
        if op == BinOp::Mod && a.layout() == l::STR && !ai {
            // str % anything, unless the right operand's class is a str subclass with
            // its own __rmod__.
            let rmod = self.sp.intern("__rmod__");
            let overrides = bi
                && self.sp.is_subtype(b.ty(), self.sp.t.str_)
                && self
                    .lookup_type_attr(b.ty(), rmod)
                    .is_some_and(|m| self.is_user_slot(m));
            if !overrides {
                return self.percent_format(a, b);
            }
        }
        if ai || bi {
            if let Some(v) = self.dunder_binop(op, a, b, false)? {
                return Ok(v);
            }
            // Fall back to the built-in behaviour of subclasses of built-in types.
            let (ua, ub) = (self.unwrap_builtin(a), self.unwrap_builtin(b));
            if (ua.is(a) || ua.layout() == l::INSTANCE) && (ub.is(b) || ub.layout() == l::INSTANCE)
            {
                return Err(self.binop_type_error(op, a, b));
            }
            return self.builtin_binop(op, ua, ub, a, b);
        }
        self.builtin_binop(op, a, b, a, b)
    }

    /// `a OP= b`: `__iop__` first, then the binary operator; lists extend in place.
    pub fn inplace_op(&mut self, op: BinOp, a: Value, b: Value) -> PyResult {
        if a.layout() == l::LIST && op == BinOp::Add && a.ty().is(self.sp.t.list) {
            let r = self.push_root(a);
            self.list_extend(a, b)?;
            let a = self.root(r);
            self.reset_roots(r);
            return Ok(a);
        }
        // Mutable built-in containers update in place.
        let t = self.sp.t;
        match (op, a.layout(), b.layout()) {
            (BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor, l::SET, l::SET)
                if a.ty().is(t.set) =>
            {
                let r = self.push_root(a);
                containers::set_inplace(self, op, a, b)?;
                let a = self.root(r);
                self.reset_roots(r);
                return Ok(a);
            }
            (BinOp::Or, l::DICT, _) if a.ty().is(t.dict) => {
                let r = self.push_root(a);
                self.dict_update(a, b, false)?;
                let a = self.root(r);
                self.reset_roots(r);
                return Ok(a);
            }
            (BinOp::Mul, l::LIST, l::INT) if a.ty().is(t.list) => {
                let n = self.sp.small_int(b).unwrap_or(0);
                containers::list_repeat_in_place(self, a, n);
                return Ok(a);
            }
            _ => {}
        }
        if self.is_instance_kind(a) {
            let name = self.sp.intern(op_dunders(op).2);
            if let Some(m) = self.lookup_type_attr(a.ty(), name) {
                let r = self.call(m, &[a, b])?;
                if !r.is(self.sp.not_implemented) {
                    return Ok(r);
                }
            }
        }
        self.binary_op(op, a, b)
    }

    fn binop_type_error(&mut self, op: BinOp, a: Value, b: Value) -> super::Raised {
        if op == BinOp::Pow {
            return self.type_error(format!(
                "unsupported operand type(s) for ** or pow(): '{}' and '{}'",
                self.type_name(a),
                self.type_name(b)
            ));
        }
        if op == BinOp::Mul {
            let seq = |vm: &Vm, v: Value| {
                matches!(
                    vm.sp.base_kind(v),
                    Kind::Str | Kind::List | Kind::Tuple | Kind::Bytes
                )
            };
            if seq(self, a) || seq(self, b) {
                let other = if seq(self, a) { b } else { a };
                return self.type_error(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    self.type_name(other)
                ));
            }
        }
        if op == BinOp::Add && self.sp.base_kind(a) == Kind::Str {
            return self.type_error(format!(
                "can only concatenate str (not \"{}\") to str",
                self.type_name(b)
            ));
        }
        if op == BinOp::Add && matches!(self.sp.base_kind(a), Kind::List | Kind::Tuple) {
            let an = self.type_name(a);
            return self.type_error(format!(
                "can only concatenate {an} (not \"{}\") to {an}",
                self.type_name(b)
            ));
        }
        self.type_error(format!(
            "unsupported operand type(s) for {}: '{}' and '{}'",
            op_symbol(op),
            self.type_name(a),
            self.type_name(b)
        ))
    }

    /// Tries `a.__op__(b)` and `b.__rop__(a)` (the right one first when `b`'s type is a
    /// proper subclass of `a`'s that overrides it). `None`: both declined.
    fn dunder_binop(
        &mut self,
        op: BinOp,
        a: Value,
        b: Value,
        _inplace: bool,
    ) -> PyResult<Option<Value>> {
        let (fwd, rev, _) = op_dunders(op);
        let fwd = self.sp.intern(fwd);
        let rev = self.sp.intern(rev);
        let (ta, tb) = (a.ty(), b.ty());
        let mark = self.mark();
        let (ar, br) = (self.push_root(a), self.push_root(b));
        let fa = if self.is_instance_kind(a) {
            self.lookup_type_attr(ta, fwd)
        } else {
            None
        };
        let rb = if !ta.is(tb) && self.is_instance_kind(b) {
            self.lookup_type_attr(tb, rev)
        } else {
            None
        };
        let right_first = rb.is_some() && self.sp.is_subtype(tb, ta) && !ta.is(tb);
        if right_first {
            let (x, y) = (self.root(br), self.root(ar));
            let r = self.call(rb.expect("rev"), &[x, y])?;
            if !r.is(self.sp.not_implemented) {
                self.reset_roots(mark);
                return Ok(Some(r));
            }
        }
        if let Some(f) = fa {
            let (x, y) = (self.root(ar), self.root(br));
            let r = self.call(f, &[x, y])?;
            if !r.is(self.sp.not_implemented) {
                self.reset_roots(mark);
                return Ok(Some(r));
            }
        }
        if !right_first {
            if let Some(rf) = rb {
                let (x, y) = (self.root(br), self.root(ar));
                let r = self.call(rf, &[x, y])?;
                if !r.is(self.sp.not_implemented) {
                    self.reset_roots(mark);
                    return Ok(Some(r));
                }
            }
        }
        self.reset_roots(mark);
        Ok(None)
    }

    /// Built-in binary operators on (unwrapped) values; `oa`/`ob` are the originals, for
    /// messages.
    fn builtin_binop(&mut self, op: BinOp, a: Value, b: Value, oa: Value, ob: Value) -> PyResult {
        let bool_t = self.sp.t.bool_;
        if matches!(op, BinOp::And | BinOp::Or | BinOp::Xor)
            && a.ty().is(bool_t)
            && b.ty().is(bool_t)
        {
            let (x, y) = (a.is(self.sp.true_), b.is(self.sp.true_));
            let r = match op {
                BinOp::And => x & y,
                BinOp::Or => x | y,
                _ => x ^ y,
            };
            return Ok(self.sp.new_bool(r));
        }
        if let (Some(x), Some(y)) = (self.as_num(a), self.as_num(b)) {
            return self.num_binop(op, x, y);
        }
        let (la, lb) = (a.layout(), b.layout());
        match (op, la, lb) {
            (BinOp::Add, l::STR, l::STR) => {
                let mut s =
                    String::with_capacity(self.sp.str_of(a).len() + self.sp.str_of(b).len());
                s.push_str(self.sp.str_of(a));
                s.push_str(self.sp.str_of(b));
                Ok(self.sp.new_str(&s))
            }
            (BinOp::Add, l::BYTES, l::BYTES) => {
                let mut v = self.sp.bytes_of(a).to_vec();
                v.extend_from_slice(self.sp.bytes_of(b));
                Ok(self.sp.new_bytes(&v))
            }
            (BinOp::Add, l::LIST, l::LIST) => {
                let mut v = self.sp.list_items(a).to_vec();
                v.extend_from_slice(self.sp.list_items(b));
                Ok(self.sp.new_list(&v))
            }
            (BinOp::Add, l::TUPLE, l::TUPLE) => {
                let mut v = self.sp.tuple_items(a).to_vec();
                v.extend_from_slice(self.sp.tuple_items(b));
                Ok(self.sp.new_tuple(&v))
            }
            (BinOp::Add, l::BYTEARRAY, _) | (BinOp::Add, _, l::BYTEARRAY) => {
                let (Some(x), Some(y)) = (self.bytes_like(a), self.bytes_like(b)) else {
                    return Err(self.binop_type_error(op, oa, ob));
                };
                let mut v = x;
                v.extend_from_slice(&y);
                Ok(self.new_bytearray(&v))
            }
            (
                BinOp::Mul,
                l::STR | l::LIST | l::TUPLE | l::BYTES | l::BYTEARRAY,
                l::INT | l::BIGINT,
            ) => self.seq_repeat(a, b),
            (
                BinOp::Mul,
                l::INT | l::BIGINT,
                l::STR | l::LIST | l::TUPLE | l::BYTES | l::BYTEARRAY,
            ) => self.seq_repeat(b, a),
            (BinOp::Mod, l::STR, _) => self.percent_format(a, b),
            (BinOp::Mod, l::BYTES | l::BYTEARRAY, _) => {
                super::types::strs::format::bytes_percent_format(self, a, b)
            }
            (BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor, l::SET, l::SET) => {
                self.set_binop(op, a, b)
            }
            (BinOp::Or, l::DICT, l::DICT) => {
                let r = self.push_root(b);
                let d = self.sp.dict_copy(a);
                let dr = self.push_root(d);
                let b = self.root(r);
                self.dict_update(d, b, false)?;
                let d = self.root(dr);
                self.reset_roots(r);
                Ok(d)
            }
            (BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor, _, _)
                if containers::is_set_view(self, a) || containers::is_set_view(self, b) =>
            {
                containers::view_binop(self, op, a, b)
            }
            _ => Err(self.binop_type_error(op, oa, ob)),
        }
    }

    /// Arithmetic on numbers.
    pub fn num_binop(&mut self, op: BinOp, x: Num, y: Num) -> PyResult {
        use Num::*;
        // Float arithmetic if either is a float (for the operators that allow it).
        if matches!(x, Float(_)) || matches!(y, Float(_)) {
            if matches!(
                op,
                BinOp::LShift | BinOp::RShift | BinOp::And | BinOp::Or | BinOp::Xor | BinOp::MatMul
            ) {
                let (a, b) = (self.num_value(&x), self.num_value(&y));
                return Err(self.binop_type_error(op, a, b));
            }
            let Some(a) = self.num_to_f64(&x)? else {
                unreachable!()
            };
            let Some(b) = self.num_to_f64(&y)? else {
                unreachable!()
            };
            return self.float_binop(op, a, b);
        }
        let bx = match x {
            Small(i) => BigInt::from(i),
            Int(b) => b,
            Float(_) => unreachable!(),
        };
        let by = match y {
            Small(i) => BigInt::from(i),
            Int(b) => b,
            Float(_) => unreachable!(),
        };
        let r = match op {
            BinOp::Add => bx + by,
            BinOp::Sub => bx - by,
            BinOp::Mul => bx * by,
            BinOp::TrueDiv => {
                if by.is_zero() {
                    return Err(self.zero_division("division by zero"));
                }
                return match (bx.to_f64(), by.to_f64()) {
                    (Some(a), Some(b)) if a.abs() < 9e15 && b.abs() < 9e15 => {
                        Ok(self.sp.new_float(a / b))
                    }
                    _ => {
                        let v = int_true_div(&bx, &by);
                        match v {
                            Some(f) => Ok(self.sp.new_float(f)),
                            None => Err(self
                                .overflow_error("integer division result too large for a float")),
                        }
                    }
                };
            }
            BinOp::FloorDiv => {
                if by.is_zero() {
                    return Err(self.zero_division("integer division or modulo by zero"));
                }
                bx.div_floor(&by)
            }
            BinOp::Mod => {
                if by.is_zero() {
                    return Err(self.zero_division("integer modulo by zero"));
                }
                bx.mod_floor(&by)
            }
            BinOp::Pow => {
                if by.is_negative() {
                    let (a, b) = (
                        bx.to_f64().unwrap_or(f64::INFINITY),
                        by.to_f64().unwrap_or(f64::NEG_INFINITY),
                    );
                    if a == 0.0 {
                        return Err(self.zero_division("0.0 cannot be raised to a negative power"));
                    }
                    return Ok(self.sp.new_float(a.powf(b)));
                }
                let e = by.to_u32().ok_or(()).or_else(|_| {
                    if bx.abs() <= BigInt::from(1) {
                        Ok(if bx.is_negative() && by.is_odd() {
                            1
                        } else {
                            2
                        })
                    } else {
                        Err(())
                    }
                });
                match e {
                    Ok(e) => num_traits::pow::Pow::pow(&bx, e),
                    Err(()) => return Err(self.overflow_error("exponent too large")),
                }
            }
            BinOp::LShift => {
                if by.is_negative() {
                    return Err(self.value_error("negative shift count"));
                }
                let s = by
                    .to_usize()
                    .ok_or(())
                    .map_err(|_| self.overflow_error("too many digits in integer"))?;
                bx << s
            }
            BinOp::RShift => {
                if by.is_negative() {
                    return Err(self.value_error("negative shift count"));
                }
                let s = by.to_usize().unwrap_or(usize::MAX / 2);
                if s > 1 << 40 {
                    if bx.is_negative() {
                        BigInt::from(-1)
                    } else {
                        BigInt::zero()
                    }
                } else {
                    bx >> s
                }
            }
            BinOp::And => bx & by,
            BinOp::Or => bx | by,
            BinOp::Xor => bx ^ by,
            BinOp::MatMul => {
                let (a, b) = (self.int_from(bx), self.int_from(by));
                return Err(self.binop_type_error(op, a, b));
            }
        };
        Ok(self.int_from(r))
    }

    fn num_value(&mut self, n: &Num) -> Value {
        match n {
            Num::Small(i) => self.sp.new_int(*i),
            Num::Int(b) => self.sp.new_bigint(b),
            Num::Float(f) => self.sp.new_float(*f),
        }
    }

    /// A number as f64 (OverflowError for ints too large).
    pub fn num_to_f64(&mut self, n: &Num) -> PyResult<Option<f64>> {
        Ok(Some(match n {
            Num::Small(i) => *i as f64,
            Num::Float(f) => *f,
            Num::Int(b) => match b.to_f64() {
                Some(f) if f.is_finite() => f,
                _ => return Err(self.overflow_error("int too large to convert to float")),
            },
        }))
    }

    /// Float arithmetic with Python's semantics (floor division and modulo of floats,
    /// the zero-division messages).
    pub fn float_binop(&mut self, op: BinOp, a: f64, b: f64) -> PyResult {
        let r = match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::TrueDiv => {
                if b == 0.0 {
                    return Err(self.zero_division("float division by zero"));
                }
                a / b
            }
            BinOp::FloorDiv => {
                if b == 0.0 {
                    return Err(self.zero_division("float floor division by zero"));
                }
                float_divmod(a, b).0
            }
            BinOp::Mod => {
                if b == 0.0 {
                    return Err(self.zero_division("float modulo"));
                }
                float_divmod(a, b).1
            }
            BinOp::Pow => {
                if a == 0.0 && b < 0.0 {
                    return Err(self.zero_division("0.0 cannot be raised to a negative power"));
                }
                if a < 0.0 && b.fract() != 0.0 && b.is_finite() {
                    return Err(self.value_error("complex numbers are not supported"));
                }
                let r = a.powf(b);
                if r.is_infinite() && a.is_finite() && b.is_finite() {
                    return Err(self.overflow_error("(34, 'Numerical result out of range')"));
                }
                r
            }
            _ => unreachable!("float operator"),
        };
        Ok(self.sp.new_float(r))
    }

    fn seq_repeat(&mut self, seq: Value, n: Value) -> PyResult {
        let n = match self.sp.small_int(n) {
            Some(i) => i.max(0) as usize,
            None => {
                if self.sp.to_bigint(n).is_negative() {
                    0
                } else {
                    return Err(self.overflow_error("cannot fit 'int' into an index-sized integer"));
                }
            }
        };
        match seq.layout() {
            l::STR => {
                let s = self.sp.str_of(seq).repeat(n);
                Ok(self.sp.new_str(&s))
            }
            l::BYTES => {
                let b = self.sp.bytes_of(seq).repeat(n);
                Ok(self.sp.new_bytes(&b))
            }
            l::BYTEARRAY => {
                let b = self.bytes_like(seq).expect("bytearray").repeat(n);
                Ok(self.new_bytearray(&b))
            }
            l::LIST => {
                let items = self.sp.list_items(seq).to_vec();
                let mut v = Vec::with_capacity(items.len() * n);
                for _ in 0..n {
                    v.extend_from_slice(&items);
                }
                Ok(self.sp.new_list(&v))
            }
            _ => {
                let items = self.sp.tuple_items(seq).to_vec();
                let mut v = Vec::with_capacity(items.len() * n);
                for _ in 0..n {
                    v.extend_from_slice(&items);
                }
                Ok(self.sp.new_tuple(&v))
            }
        }
    }

    /// `-a`, `+a`, `~a`, `not a`.
    pub fn unary_op(&mut self, op: UnaryOp, a: Value) -> PyResult {
        if op == UnaryOp::Not {
            let t = self.truthy(a)?;
            return Ok(self.sp.new_bool(!t));
        }
        if self.is_instance_kind(a) {
            let name = match op {
                UnaryOp::Neg => self.n.neg,
                UnaryOp::Pos => self.n.pos,
                _ => self.n.invert,
            };
            if let Some(r) = self.call_special(a, name, &[])? {
                return Ok(r);
            }
        }
        let u = self.unwrap_builtin(a);
        match (op, self.as_num(u)) {
            (UnaryOp::Neg, Some(Num::Small(i))) => Ok(match i.checked_neg() {
                Some(n) => self.sp.new_int(n),
                None => self.int_from(-BigInt::from(i)),
            }),
            (UnaryOp::Neg, Some(Num::Int(b))) => Ok(self.int_from(-b)),
            (UnaryOp::Neg, Some(Num::Float(f))) => Ok(self.sp.new_float(-f)),
            (UnaryOp::Pos, Some(Num::Small(i))) => Ok(self.sp.new_int(i)),
            (UnaryOp::Pos, Some(Num::Int(b))) => Ok(self.int_from(b)),
            (UnaryOp::Pos, Some(Num::Float(f))) => Ok(self.sp.new_float(f)),
            (UnaryOp::Invert, Some(Num::Small(i))) => Ok(self.sp.new_int(!i)),
            (UnaryOp::Invert, Some(Num::Int(b))) => Ok(self.int_from(-b - 1)),
            _ => {
                let sym = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Pos => "+",
                    _ => "~",
                };
                Err(self.type_error(format!(
                    "bad operand type for unary {sym}: '{}'",
                    self.type_name(a)
                )))
            }
        }
    }

    /// Truth value.
    pub fn truthy(&mut self, v: Value) -> PyResult<bool> {
        if v.is(self.sp.true_) {
            return Ok(true);
        }
        if v.is(self.sp.false_) || v.is(self.sp.none) {
            return Ok(false);
        }
        match v.layout() {
            l::INT => return Ok(self.sp.small_int(v) != Some(0)),
            l::BIGINT => return Ok(true),
            l::FLOAT => return Ok(self.sp.float_value(v) != 0.0),
            l::STR | l::BYTES => return Ok(!self.sp.bytes_of(v).is_empty()),
            l::TUPLE => return Ok(self.sp.tuple_len(v) > 0),
            l::LIST => return Ok(self.sp.list_len(v) > 0),
            l::DICT => return Ok(self.sp.dict_len(v) > 0),
            l::SET => return Ok(self.sp.set_len(v) > 0),
            l::INSTANCE => {
                if let Some(r) = self.call_special(v, self.n.bool_, &[])? {
                    if r.ty().is(self.sp.t.bool_) {
                        return Ok(r.is(self.sp.true_));
                    }
                    return Err(self.type_error(format!(
                        "__bool__ should return bool, returned {}",
                        self.type_name(r)
                    )));
                }
                if self.lookup_type_attr(v.ty(), self.n.len).is_some() {
                    return Ok(self.len(v)? > 0);
                }
                if let Some(b) = self.sp.inst_backing(v) {
                    return self.truthy(b);
                }
                return Ok(true);
            }
            _ => {}
        }
        match self.sp.kind(v) {
            Kind::Range | Kind::ByteArray | Kind::DictView => Ok(self.len(v)? > 0),
            _ => Ok(true),
        }
    }

    /// `len(v)`.
    pub fn len(&mut self, v: Value) -> PyResult<usize> {
        match v.layout() {
            l::STR => return Ok(self.sp.str_nchars(v)),
            l::BYTES => return Ok(self.sp.bytes_of(v).len()),
            l::TUPLE => return Ok(self.sp.tuple_len(v)),
            l::LIST => return Ok(self.sp.list_len(v)),
            l::DICT => return Ok(self.sp.dict_len(v)),
            l::SET => return Ok(self.sp.set_len(v)),
            // SAFETY: BYTEARRAY layout.
            l::BYTEARRAY => return Ok(unsafe { v.get::<usize>(l::BYTEARRAY_LEN) }),
            l::RANGE => {
                let n = self.range_len(v);
                return n.to_usize().ok_or(()).map_err(|_| {
                    self.overflow_error("Python int too large to convert to C ssize_t")
                });
            }
            l::INSTANCE => {
                if let Some(r) = self.call_special(v, self.n.len, &[])? {
                    let n = self.index_value(r)?;
                    if n < 0 {
                        return Err(self.value_error("__len__() should return >= 0"));
                    }
                    return Ok(n as usize);
                }
                if let Some(b) = self.sp.inst_backing(v) {
                    return self.len(b);
                }
            }
            l::ITER if self.sp.kind(v) == Kind::DictView => {
                // SAFETY: ITER layout: the dict at A.
                let d = unsafe { v.get_ref(l::ITER_A).unwrap_unchecked() };
                return Ok(self.sp.dict_len(d));
            }
            _ => {}
        }
        Err(self.type_error(format!(
            "object of type '{}' has no len()",
            self.type_name(v)
        )))
    }

    /// An int from a value usable as an index (`__index__`).
    pub fn index_value(&mut self, v: Value) -> PyResult<i64> {
        let u = self.unwrap_builtin(v);
        if let Some(i) = self.sp.small_int(u) {
            return Ok(i);
        }
        if u.layout() == l::BIGINT {
            return Err(self.index_error(format!(
                "cannot fit '{}' into an index-sized integer",
                self.type_name(v)
            )));
        }
        if v.layout() == l::INSTANCE {
            if let Some(r) = self.call_special(v, self.n.index, &[])? {
                return self.index_value(r);
            }
        }
        Err(self.type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            self.type_name(v)
        )))
    }

    /// Rich comparison `a OP b` as an object.
    pub fn compare(&mut self, op: CmpOp, a: Value, b: Value) -> PyResult {
        if let Some(r) = self.builtin_compare(op, a, b)? {
            return Ok(self.sp.new_bool(r));
        }
        let (fwd, rev) = cmp_dunders(op);
        let fwd = self.sp.intern(fwd);
        let rev = self.sp.intern(rev);
        let mark = self.mark();
        let (ar, br) = (self.push_root(a), self.push_root(b));
        let (ta, tb) = (a.ty(), b.ty());
        let right_first = !ta.is(tb) && self.sp.is_subtype(tb, ta) && self.is_instance_kind(b);
        let order: [(usize, usize, Value); 2] = if right_first {
            [(br, ar, rev), (ar, br, fwd)]
        } else {
            [(ar, br, fwd), (br, ar, rev)]
        };
        for (x, y, name) in order {
            let xv = self.root(x);
            if let Some(m) = self.lookup_type_attr(xv.ty(), name) {
                if m.layout() == l::FUNCTION || self.is_instance_kind(xv) {
                    let yv = self.root(y);
                    let r = self.call(m, &[xv, yv])?;
                    if !r.is(self.sp.not_implemented) {
                        self.reset_roots(mark);
                        return Ok(r);
                    }
                }
            }
        }
        let (a, b) = (self.root(ar), self.root(br));
        self.reset_roots(mark);
        // Built-in behaviour of subclasses of built-in types.
        let (ua, ub) = (self.unwrap_builtin(a), self.unwrap_builtin(b));
        if !ua.is(a) || !ub.is(b) {
            if let Some(r) = self.builtin_compare(op, ua, ub)? {
                return Ok(self.sp.new_bool(r));
            }
        }
        match op {
            CmpOp::Eq => Ok(self.sp.new_bool(a.is(b))),
            CmpOp::Ne => Ok(self.sp.new_bool(!a.is(b))),
            _ => Err(self.type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                cmp_symbol(op),
                self.type_name(a),
                self.type_name(b)
            ))),
        }
    }

    /// `a == b` as a bool.
    pub fn eq(&mut self, a: Value, b: Value) -> PyResult<bool> {
        if a.is(b) {
            return Ok(true);
        }
        if let Some(r) = dicts::builtin_eq(&self.sp, a, b) {
            return Ok(r);
        }
        let r = self.compare(CmpOp::Eq, a, b)?;
        self.truthy(r)
    }

    /// `a < b` (and the other orders) as a bool.
    pub fn compare_bool(&mut self, op: CmpOp, a: Value, b: Value) -> PyResult<bool> {
        if let Some(r) = self.builtin_compare(op, a, b)? {
            return Ok(r);
        }
        let r = self.compare(op, a, b)?;
        self.truthy(r)
    }

    /// Comparison of built-in values: `None` when the types do not compare natively.
    pub fn builtin_compare(&mut self, op: CmpOp, a: Value, b: Value) -> PyResult<Option<bool>> {
        if self.is_instance_kind(a) || self.is_instance_kind(b) {
            return Ok(None);
        }
        let ord = |o: std::cmp::Ordering| match op {
            CmpOp::Lt => o.is_lt(),
            CmpOp::Le => o.is_le(),
            CmpOp::Eq => o.is_eq(),
            CmpOp::Ne => o.is_ne(),
            CmpOp::Gt => o.is_gt(),
            CmpOp::Ge => o.is_ge(),
        };
        if let (Some(x), Some(y)) = (self.as_num(a), self.as_num(b)) {
            return Ok(Some(match num_cmp(&x, &y) {
                Some(o) => ord(o),
                None => op == CmpOp::Ne, // NaN
            }));
        }
        let (la, lb) = (a.layout(), b.layout());
        match (la, lb) {
            (l::STR, l::STR) | (l::BYTES, l::BYTES) => {
                let o = self.sp.bytes_of(a).cmp(self.sp.bytes_of(b));
                Ok(Some(ord(o)))
            }
            (l::TUPLE, l::TUPLE) | (l::LIST, l::LIST) => self.seq_compare(op, a, b).map(Some),
            (l::SET, l::SET) => self.set_compare(op, a, b).map(Some),
            (l::DICT, l::DICT) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                let e = self.dict_eq(a, b)?;
                Ok(Some(e == (op == CmpOp::Eq)))
            }
            (l::SLICE, l::SLICE) => {
                // Slices compare as (start, stop, step) tuples.
                let parts = |v: Value| -> [Value; 3] {
                    // SAFETY: SLICE layout.
                    unsafe {
                        [
                            v.get_ref(l::RANGE_START).unwrap_unchecked(),
                            v.get_ref(l::RANGE_STOP).unwrap_unchecked(),
                            v.get_ref(l::RANGE_STEP).unwrap_unchecked(),
                        ]
                    }
                };
                let ta = self.sp.new_tuple(&parts(a));
                let r = self.push_root(ta);
                let tb = self.sp.new_tuple(&parts(b));
                let ta = self.root(r);
                let res = self.seq_compare(op, ta, tb);
                self.reset_roots(r);
                res.map(Some)
            }
            (l::RANGE, l::RANGE) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                let e = self.range_eq(a, b);
                Ok(Some(e == (op == CmpOp::Eq)))
            }
            (l::BYTEARRAY, _) | (_, l::BYTEARRAY) => match (self.bytes_like(a), self.bytes_like(b))
            {
                (Some(x), Some(y)) => Ok(Some(ord(x.cmp(&y)))),
                _ => Ok(if matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    Some(op == CmpOp::Ne)
                } else {
                    None
                }),
            },
            _ => {
                if matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    let ka = self.sp.kind(a);
                    if ka == Kind::DictView || self.sp.kind(b) == Kind::DictView {
                        return self.dictview_eq(a, b).map(|e| Some(e == (op == CmpOp::Eq)));
                    }
                    if la == l::METHOD && lb == l::METHOD {
                        // SAFETY: METHOD layout.
                        let same = unsafe {
                            a.get_ref(l::METHOD_FUNC) == b.get_ref(l::METHOD_FUNC)
                                && a.get_ref(l::METHOD_SELF) == b.get_ref(l::METHOD_SELF)
                        };
                        return Ok(Some(same == (op == CmpOp::Eq)));
                    }
                    return Ok(Some(a.is(b) == (op == CmpOp::Eq)));
                }
                Ok(None)
            }
        }
    }

    /// Lexicographic comparison of two lists or two tuples.
    fn seq_compare(&mut self, op: CmpOp, a: Value, b: Value) -> PyResult<bool> {
        let mark = self.mark();
        let (ar, br) = (self.push_root(a), self.push_root(b));
        let items = |vm: &mut Vm, r: usize| -> Vec<Value> {
            let v = vm.root(r);
            if v.layout() == l::LIST {
                vm.sp.list_items(v).to_vec()
            } else {
                vm.sp.tuple_items(v).to_vec()
            }
        };
        let mut i = 0;
        loop {
            let (x, y) = (items(self, ar), items(self, br));
            if i >= x.len() || i >= y.len() {
                let (n, m) = (x.len(), y.len());
                self.reset_roots(mark);
                return Ok(match op {
                    CmpOp::Lt => n < m,
                    CmpOp::Le => n <= m,
                    CmpOp::Eq => n == m,
                    CmpOp::Ne => n != m,
                    CmpOp::Gt => n > m,
                    CmpOp::Ge => n >= m,
                });
            }
            let (p, q) = (x[i], y[i]);
            if !self.eq(p, q)? {
                let (x, y) = (items(self, ar), items(self, br));
                let r = match op {
                    CmpOp::Eq => false,
                    CmpOp::Ne => true,
                    _ => self.compare_bool(op, x[i], y[i])?,
                };
                self.reset_roots(mark);
                return Ok(r);
            }
            i += 1;
        }
    }

    /// Python's hash.
    pub fn hash(&mut self, v: Value) -> PyResult<i64> {
        match v.layout() {
            l::STR | l::BYTES => return Ok(self.sp.str_hash(v)),
            l::INT | l::BIGINT => return Ok(self.sp.int_hash(v)),
            l::FLOAT => return Ok(thicket_object_model::ints::hash_f64(self.sp.float_value(v))),
            l::TUPLE => return self.tuple_hash(v),
            l::INSTANCE => {
                let h = self.lookup_type_attr(v.ty(), self.n.hash);
                match h {
                    Some(h) if h.is(self.sp.none) => {
                        return Err(
                            self.type_error(format!("unhashable type: '{}'", self.type_name(v)))
                        );
                    }
                    Some(h) if self.is_user_slot(h) => {
                        let r = self.call(h, &[v])?;
                        let r = self.unwrap_builtin(r);
                        if !self.sp.is_int_layout(r) {
                            return Err(self.type_error("__hash__ method should return an integer"));
                        }
                        return Ok(self.sp.int_hash(r));
                    }
                    _ => {
                        // A class defining __eq__ without __hash__ is unhashable.
                        let d_eq = self.defines_in_class_chain(v.ty(), self.n.eq);
                        if d_eq {
                            return Err(self
                                .type_error(format!("unhashable type: '{}'", self.type_name(v))));
                        }
                        if let Some(b) = self.sp.inst_backing(v) {
                            if !matches!(self.sp.kind(b), Kind::List | Kind::Dict | Kind::Set) {
                                return self.hash(b);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        match self.sp.kind(v) {
            Kind::List
            | Kind::Dict
            | Kind::Set
            | Kind::ByteArray
            | Kind::DictView
            | Kind::Slice => {
                Err(self.type_error(format!("unhashable type: '{}'", self.type_name(v))))
            }
            Kind::FrozenSet => self.frozenset_hash(v),
            Kind::Range => {
                let t = self.range_tuple(v);
                self.tuple_hash(t)
            }
            Kind::Method => {
                // SAFETY: METHOD layout.
                let (f, s) = unsafe { (a_ref(v, l::METHOD_FUNC), a_ref(v, l::METHOD_SELF)) };
                let hs = self.hash(s)?;
                let hf = self.id_hash(f)?;
                Ok(hs ^ hf)
            }
            _ => self.id_hash(v),
        }
    }

    /// Whether a user class (not object) in `ty`'s MRO defines `name` itself without
    /// `__hash__` — CPython sets `__hash__ = None` in such classes.
    fn defines_in_class_chain(&mut self, ty: Value, name: Value) -> bool {
        let mro = self.sp.type_mro(ty);
        let n = self.sp.tuple_len(mro);
        for i in 0..n {
            let t = self.sp.tuple_items(mro)[i];
            if self.sp.type_data(t).kind != Kind::Instance {
                return false;
            }
            let d = self.sp.type_dict(t);
            let h = self.n.hash;
            if self.sp.dict_get_str(d, h).is_some() {
                return false;
            }
            if self.sp.dict_get_str(d, name).is_some() {
                return true;
            }
        }
        false
    }

    /// Identity hash (stable across moves).
    pub fn id_hash(&mut self, v: Value) -> PyResult<i64> {
        let id = self.id_of(v);
        Ok((id >> 4) as i64)
    }

    /// `id(v)`: stable across moves.
    pub fn id_of(&mut self, v: Value) -> usize {
        // SAFETY: a live object of this heap.
        unsafe { self.sp.heap.identity_raw(v.0) }
            .unwrap_or_else(|e| thicket_object_model::space::oom(e))
    }

    /// CPython's tuple hash (xxHash-based, 64-bit).
    pub fn tuple_hash(&mut self, t: Value) -> PyResult<i64> {
        const P1: u64 = 11400714785074694791;
        const P2: u64 = 14029467366897019727;
        const P5: u64 = 2870177450012600261;
        let r = self.push_root(t);
        let n = self.sp.tuple_len(t);
        let mut acc: u64 = P5;
        for i in 0..n {
            let t = self.root(r);
            let item = self.sp.tuple_items(t)[i];
            let h = self.hash(item)? as u64;
            acc = acc.wrapping_add(h.wrapping_mul(P2));
            acc = acc.rotate_left(31);
            acc = acc.wrapping_mul(P1);
        }
        self.reset_roots(r);
        acc = acc.wrapping_add((n as u64) ^ (P5 ^ 3527539));
        if acc == u64::MAX {
            return Ok(1546275796);
        }
        Ok(acc as i64)
    }

    /// CPython's frozenset hash.
    fn frozenset_hash(&mut self, s: Value) -> PyResult<i64> {
        // SAFETY: SET layout: the cached hash.
        let cached = unsafe { s.get::<i64>(l::SET_HASH) };
        if cached != -1 {
            return Ok(cached);
        }
        let mut h: u64 = 0;
        for (_, eh) in self.sp.set_items_hashed(s) {
            let eh = eh as u64;
            h ^= ((eh ^ 89869747) ^ (eh << 16)).wrapping_mul(3644798167);
        }
        h ^= (self.sp.set_len(s) as u64 + 1).wrapping_mul(1927868237);
        h ^= (h >> 11) ^ (h >> 25);
        h = h.wrapping_mul(69069).wrapping_add(907133923);
        let mut h = h as i64;
        if h == -1 {
            h = 590923713;
        }
        // SAFETY: SET layout.
        unsafe { s.set::<i64>(l::SET_HASH, h) };
        Ok(h)
    }

    /// `x in c`.
    pub fn contains(&mut self, c: Value, x: Value) -> PyResult<bool> {
        match c.layout() {
            l::STR => {
                if !self.is_str(x) {
                    return Err(self.type_error(format!(
                        "'in <string>' requires string as left operand, not {}",
                        self.type_name(x)
                    )));
                }
                return Ok(self.sp.str_of(c).contains(self.sp.str_of(x)));
            }
            l::BYTES | l::BYTEARRAY => {
                let hay = self.bytes_like(c).expect("bytes");
                if let Some(i) = self.sp.small_int(x) {
                    return Ok(hay.contains(&(i as u8)));
                }
                let Some(needle) = self.bytes_like(x) else {
                    return Err(self.type_error("a bytes-like object is required"));
                };
                return Ok(needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle));
            }
            l::DICT => {
                let (c, x, h) = self.hash_rooted(x, [c, x])?;
                return Ok(dicts::dict_get(self, c, x, h)?.is_some());
            }
            l::SET => {
                let (c, x, h) = self.hash_rooted(x, [c, x])?;
                return thicket_object_model::sets::set_contains(self, c, x, h);
            }
            l::RANGE => {
                if let Some(n) = self.as_num(x) {
                    if let Num::Float(_) = n {
                    } else {
                        return Ok(self.range_contains(c, x));
                    }
                }
            }
            l::LIST | l::TUPLE => {
                let r = self.push_root(c);
                let xr = self.push_root(x);
                let mut i = 0;
                loop {
                    let c = self.root(r);
                    let items = if c.layout() == l::LIST {
                        self.sp.list_items(c)
                    } else {
                        self.sp.tuple_items(c)
                    };
                    if i >= items.len() {
                        self.reset_roots(r);
                        return Ok(false);
                    }
                    let it = items[i];
                    let x = self.root(xr);
                    if self.eq(it, x)? {
                        self.reset_roots(r);
                        return Ok(true);
                    }
                    i += 1;
                }
            }
            l::INSTANCE => {
                if let Some(r) = self.call_special(c, self.n.contains, &[x])? {
                    return self.truthy(r);
                }
                if self.lookup_type_attr(c.ty(), self.n.iter).is_none() {
                    if let Some(b) = self.sp.inst_backing(c) {
                        return self.contains(b, x);
                    }
                }
            }
            _ => {
                if self.sp.kind(c) == Kind::DictView {
                    return self.dictview_contains(c, x);
                }
            }
        }
        // Generic: iterate.
        let mark = self.mark();
        let xr = self.push_root(x);
        let it = match self.get_iter(c) {
            Ok(it) => it,
            Err(e) => {
                if self.exc_is(self.sp.t.type_error) {
                    self.take_exc();
                    return Err(self.type_error(format!(
                        "argument of type '{}' is not iterable",
                        self.type_name(c)
                    )));
                }
                return Err(e);
            }
        };
        let itr = self.push_root(it);
        while let Some(v) = {
            let it = self.root(itr);
            self.iter_next(it)?
        } {
            let x = self.root(xr);
            if self.eq(v, x)? {
                self.reset_roots(mark);
                return Ok(true);
            }
        }
        self.reset_roots(mark);
        Ok(false)
    }
}

/// Reads a reference field that is always set.
///
/// # Safety
/// `off` must be a set reference slot of `v`'s layout.
unsafe fn a_ref(v: Value, off: usize) -> Value {
    // SAFETY: forwarded.
    unsafe { v.get_ref(off).unwrap_unchecked() }
}

/// Ordering of two numbers (`None` if a NaN is involved).
pub fn num_cmp(x: &Num, y: &Num) -> Option<std::cmp::Ordering> {
    use Num::*;
    match (x, y) {
        (Small(a), Small(b)) => Some(a.cmp(b)),
        (Float(a), Float(b)) => a.partial_cmp(b),
        (Int(a), Int(b)) => Some(a.cmp(b)),
        (Small(a), Int(b)) => Some(BigInt::from(*a).cmp(b)),
        (Int(a), Small(b)) => Some(a.cmp(&BigInt::from(*b))),
        (Float(f), other) => float_int_cmp(*f, other),
        (other, Float(f)) => float_int_cmp(*f, other).map(|o| o.reverse()),
    }
}

fn float_int_cmp(f: f64, i: &Num) -> Option<std::cmp::Ordering> {
    if f.is_nan() {
        return None;
    }
    let b = match i {
        Num::Small(s) => {
            if s.unsigned_abs() < (1 << 53) {
                return f.partial_cmp(&(*s as f64));
            }
            BigInt::from(*s)
        }
        Num::Int(b) => b.clone(),
        Num::Float(_) => unreachable!(),
    };
    if f.is_infinite() {
        return Some(if f > 0.0 {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Less
        });
    }
    // Compare exactly: floor(f) against b, then the fraction.
    let fl = f.floor();
    let fb = num_bigint::BigInt::from_f64_exact(fl);
    match fb.cmp(&b) {
        std::cmp::Ordering::Equal => Some(if f > fl {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }),
        o => Some(o),
    }
}

trait FromF64Exact {
    fn from_f64_exact(f: f64) -> BigInt;
}

impl FromF64Exact for BigInt {
    fn from_f64_exact(f: f64) -> BigInt {
        num_traits::FromPrimitive::from_f64(f).unwrap_or_default()
    }
}

/// Python's float `divmod`.
pub fn float_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = 0.0_f64.copysign(b);
    }
    let floordiv = if div != 0.0 {
        let mut fd = div.floor();
        if div - fd > 0.5 {
            fd += 1.0;
        }
        fd
    } else {
        0.0_f64.copysign(a / b)
    };
    (floordiv, m)
}

/// Correctly rounded int / int.
fn int_true_div(a: &BigInt, b: &BigInt) -> Option<f64> {
    // Scale so the quotient has 64+ significant bits, then convert.
    let neg = a.is_negative() != b.is_negative();
    let (a, b) = (a.abs(), b.abs());
    let shift = (b.bits() as i64 - a.bits() as i64 + 66).max(0) as usize;
    let q = (a << shift) / b;
    let f = q.to_f64()? / 2f64.powi(shift as i32);
    if !f.is_finite() {
        return None;
    }
    Some(if neg { -f } else { f })
}

impl KeyCtx for Vm {
    type Err = super::Raised;
    fn space(&mut self) -> &mut Space {
        &mut self.sp
    }
    fn eq_slow(&mut self, a: Value, b: Value) -> PyResult<bool> {
        self.eq(a, b)
    }
}
