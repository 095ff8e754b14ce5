//! The interpreter loop: one [`Frame`] per running scope, its slots on the GC shadow
//! stack.
//!
//! Slot layout (indices from the frame's base): the function, the globals dict, the
//! local namespace (module and class bodies, else empty), the constants tuple, then the
//! fast locals, the cells, and the value stack. The whole frame is pushed at entry, so
//! every slot is a root; the collector updates them in place when objects move, and the
//! loop re-reads values from slots after anything that may reach a safepoint.

use super::{Args, PyResult, Raised, RootSlot, Vm};
use crate::bytecode::{BinOp, CmpOp, Code, Instr, UnaryOp};
use std::rc::Rc;
use thicket_gc::ObjRef;
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// Slot of the function object.
pub const F_FUNC: usize = 0;
/// Slot of the globals dict.
pub const F_GLOBALS: usize = 1;
/// Slot of the local namespace dict (module and class bodies).
pub const F_LOCALS: usize = 2;
/// Slot of the constants tuple.
pub const F_CONSTS: usize = 3;
/// First fast local.
pub const F_FIXED: usize = 4;

/// An exception handler block.
#[derive(Clone, Copy, Debug)]
pub struct Block {
    /// Where the handler starts.
    pub handler: u32,
    /// Value-stack depth (relative to the stack's start) to cut back to.
    pub depth: u32,
}

/// A running (or suspended) scope.
#[derive(Clone, Debug)]
pub struct Frame {
    pub code: Rc<Code>,
    pub code_idx: usize,
    /// Shadow-stack index of slot 0.
    pub base: usize,
    /// Next instruction.
    pub pc: usize,
    /// Shadow-stack index of the next free value-stack slot.
    pub sp: usize,
    pub blocks: Vec<Block>,
    /// Resume by raising the pending exception at the paused `yield` (`gen.throw`).
    pub throw: bool,
}

impl Frame {
    /// A frame about to run `code` from its start, its slots pushed at `base`.
    pub fn new(code: Rc<Code>, code_idx: usize, base: usize) -> Frame {
        let mut f = Frame {
            code,
            code_idx,
            base,
            pc: 0,
            sp: 0,
            blocks: Vec::new(),
            throw: false,
        };
        f.sp = f.stack_base();
        f
    }

    /// Shadow-stack index of the first value-stack slot.
    #[inline(always)]
    pub fn stack_base(&self) -> usize {
        self.base + F_FIXED + self.code.varnames.len() + self.code.n_cells()
    }

    /// Number of slots the frame needs.
    pub fn size(code: &Code) -> usize {
        F_FIXED + code.varnames.len() + code.n_cells() + code.max_stack as usize + 2
    }
}

/// How a frame's run ended.
pub enum Exit {
    Return(Value),
    Yield(Value),
}

macro_rules! slot {
    ($ss:expr, $i:expr) => {
        // SAFETY: `$i` is a slot of a frame pushed on the shadow stack, whose storage
        // never moves.
        unsafe { *$ss.add($i) }
    };
}

impl Vm {
    /// Pushes a frame of `size` empty slots; returns its base.
    pub fn push_frame_slots(&mut self, size: usize) -> PyResult<usize> {
        let ss = self.sp.heap.shadow_stack();
        let base = ss.len();
        // SAFETY: `top <= limit` within one array.
        let free = unsafe { ss.limit.offset_from(ss.top) } as usize;
        if free < size + 64 {
            return Err(self.err(
                self.sp.t.recursion_error,
                "maximum recursion depth exceeded (shadow stack full)",
            ));
        }
        // SAFETY: `size` free slots follow `top` (checked above); `None` is all zeros.
        unsafe {
            std::ptr::write_bytes(ss.top, 0, size);
            ss.top = ss.top.add(size);
        }
        Ok(base)
    }

    /// Runs `f` until it returns or yields. On an uncaught exception, the frame's
    /// traceback entry has been added.
    pub fn run_frame(&mut self, f: &mut Frame) -> PyResult<Exit> {
        self.frame_stack.push((f.base, f.code_idx, f.pc));
        let r = self.run_frame_body(f);
        self.frame_stack.pop();
        r
    }

    fn run_frame_body(&mut self, f: &mut Frame) -> PyResult<Exit> {
        let ss: *mut Option<ObjRef> = self.sp.heap.shadow_stack().base;
        let code = f.code.clone();
        let instrs: &[Instr] = &code.code;
        let nlocals = code.varnames.len();
        let cells = f.base + F_FIXED + nlocals;
        let locals = f.base + F_FIXED;
        let stack0 = f.stack_base();
        // The frame's last slot: roots a callee or native left above it are dropped at
        // calls, back-edges and exceptions, so nothing accumulates.
        let frame_end = f.base + Frame::size(&code);
        let mut sp = f.sp;
        let mut pc = f.pc;

        macro_rules! push {
            ($v:expr) => {{
                let v: Value = $v;
                debug_assert!(
                    sp < stack0 + code.max_stack as usize + 2,
                    "value stack overflow in {}",
                    code.qualname
                );
                // SAFETY: within the frame's slots.
                unsafe { *ss.add(sp) = Some(v.0) };
                sp += 1;
            }};
        }
        macro_rules! push_opt {
            ($v:expr) => {{
                let v: Option<Value> = $v;
                // SAFETY: within the frame's slots.
                unsafe { *ss.add(sp) = v.map(|v| v.0) };
                sp += 1;
            }};
        }
        macro_rules! pop {
            () => {{
                sp -= 1;
                // SAFETY: a filled value-stack slot.
                unsafe { Value((*ss.add(sp)).unwrap_unchecked()) }
            }};
        }
        macro_rules! pop_opt {
            () => {{
                sp -= 1;
                // SAFETY: a value-stack slot.
                unsafe { (*ss.add(sp)).map(Value) }
            }};
        }
        macro_rules! top {
            () => {
                // SAFETY: a filled value-stack slot.
                unsafe { Value((*ss.add(sp - 1)).unwrap_unchecked()) }
            };
        }
        macro_rules! peek {
            ($n:expr) => {
                // SAFETY: a filled value-stack slot.
                unsafe { Value((*ss.add(sp - $n)).unwrap_unchecked()) }
            };
        }
        macro_rules! set_top {
            ($v:expr) => {{
                let v: Value = $v;
                // SAFETY: a value-stack slot.
                unsafe { *ss.add(sp - 1) = Some(v.0) };
            }};
        }
        macro_rules! sync {
            () => {{
                f.sp = sp;
                f.pc = pc;
                if let Some(top) = self.frame_stack.last_mut() {
                    top.2 = pc;
                }
                // Everything above sp is scratch for callees: the shadow top is the
                // frame's end, so the callee's frame starts there.
            }};
        }
        macro_rules! consts {
            () => {
                // SAFETY: the constants tuple slot is set at frame entry.
                unsafe { Value((*ss.add(f.base + F_CONSTS)).unwrap_unchecked()) }
            };
        }
        macro_rules! name_at {
            ($i:expr) => {{
                let c = consts!();
                // names are stored after the constants in the same tuple
                self.sp.tuple_items(c)[code.consts.len() + $i as usize]
            }};
        }

        if f.throw {
            f.throw = false;
            f.sp = sp;
            f.pc = pc;
            self.unwind(f, stack0, Raised, true)?;
            sp = f.sp;
            pc = f.pc;
        }
        'outer: loop {
            // Each iteration runs instructions until one raises.
            let err: Raised = loop {
                let ins = instrs[pc];
                pc += 1;
                macro_rules! tri {
                    ($e:expr) => {
                        match $e {
                            Ok(v) => v,
                            Err(e) => break e,
                        }
                    };
                }
                match ins {
                    Instr::Nop => {}
                    Instr::Pop => {
                        sp -= 1;
                    }
                    Instr::Dup => {
                        let v = top!();
                        push!(v);
                    }
                    Instr::DupTwo => {
                        let a = peek!(2);
                        let b = peek!(1);
                        push!(a);
                        push!(b);
                    }
                    Instr::Rot2 => {
                        let a = pop!();
                        let b = pop!();
                        push!(a);
                        push!(b);
                    }
                    Instr::Rot3 => {
                        let c = pop!();
                        let b = pop!();
                        let a = pop!();
                        push!(c);
                        push!(a);
                        push!(b);
                    }
                    Instr::Rot4 => {
                        let d = pop!();
                        let c = pop!();
                        let b = pop!();
                        let a = pop!();
                        push!(d);
                        push!(a);
                        push!(b);
                        push!(c);
                    }
                    Instr::LoadConst(i) => {
                        let c = consts!();
                        let v = self.sp.tuple_items(c)[i as usize];
                        push!(v);
                    }
                    Instr::LoadFast(i) => match slot!(ss, locals + i as usize) {
                        Some(v) => push!(Value(v)),
                        None => {
                            let name = code.varnames[i as usize].clone();
                            break self.err(
                                self.sp.t.unbound_local_error,
                                format!("cannot access local variable '{name}' where it is not associated with a value"),
                            );
                        }
                    },
                    Instr::StoreFast(i) => {
                        let v = pop!();
                        // SAFETY: a local slot.
                        unsafe { *ss.add(locals + i as usize) = Some(v.0) };
                    }
                    Instr::DeleteFast(i) => {
                        if slot!(ss, locals + i as usize).is_none() {
                            let name = code.varnames[i as usize].clone();
                            break self.err(
                                self.sp.t.unbound_local_error,
                                format!("cannot access local variable '{name}' where it is not associated with a value"),
                            );
                        }
                        // SAFETY: a local slot.
                        unsafe { *ss.add(locals + i as usize) = None };
                    }
                    Instr::LoadDeref(i) => {
                        let cell = Value(slot!(ss, cells + i as usize).expect("cell"));
                        // SAFETY: CELL layout.
                        match unsafe { cell.get_ref(l::CELL_VALUE) } {
                            Some(v) => push!(v),
                            None => {
                                let name = code.cell_name(i as usize).to_owned();
                                break if (i as usize) < code.cellvars.len() {
                                    self.err(self.sp.t.unbound_local_error, format!("cannot access local variable '{name}' where it is not associated with a value"))
                                } else {
                                    self.err(self.sp.t.name_error, format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"))
                                };
                            }
                        }
                    }
                    Instr::StoreDeref(i) => {
                        let v = pop!();
                        let cell = Value(slot!(ss, cells + i as usize).expect("cell"));
                        // SAFETY: CELL layout.
                        unsafe { self.sp.store(cell, l::CELL_VALUE, Some(v)) };
                    }
                    Instr::DeleteDeref(i) => {
                        let cell = Value(slot!(ss, cells + i as usize).expect("cell"));
                        // SAFETY: CELL layout.
                        unsafe { self.sp.store(cell, l::CELL_VALUE, None) };
                    }
                    Instr::LoadClosure(i) => {
                        let cell = Value(slot!(ss, cells + i as usize).expect("cell"));
                        push!(cell);
                    }
                    Instr::LoadClassDeref { name, cell } => {
                        let ns = Value(slot!(ss, f.base + F_LOCALS).expect("class namespace"));
                        let key = name_at!(name);
                        match self.sp.dict_get_str(ns, key) {
                            Some(v) => push!(v),
                            None => {
                                let c = Value(slot!(ss, cells + cell as usize).expect("cell"));
                                // SAFETY: CELL layout.
                                match unsafe { c.get_ref(l::CELL_VALUE) } {
                                    Some(v) => push!(v),
                                    None => {
                                        let n = self.str_owned(key);
                                        break self.err(self.sp.t.name_error, format!("cannot access free variable '{n}' where it is not associated with a value in enclosing scope"));
                                    }
                                }
                            }
                        }
                    }
                    Instr::LoadGlobal(i) => {
                        let key = name_at!(i);
                        let g = Value(slot!(ss, f.base + F_GLOBALS).expect("globals"));
                        match self.sp.dict_get_str(g, key) {
                            Some(v) => push!(v),
                            None => {
                                let b = self.builtins();
                                match self.sp.dict_get_str(b, key) {
                                    Some(v) => push!(v),
                                    None => {
                                        let n = self.str_owned(key);
                                        break self.err(
                                            self.sp.t.name_error,
                                            format!("name '{n}' is not defined"),
                                        );
                                    }
                                }
                            }
                        }
                    }
                    Instr::StoreGlobal(i) => {
                        let key = name_at!(i);
                        let v = pop!();
                        let g = Value(slot!(ss, f.base + F_GLOBALS).expect("globals"));
                        self.sp.dict_set_str(g, key, v);
                    }
                    Instr::DeleteGlobal(i) => {
                        let key = name_at!(i);
                        let g = Value(slot!(ss, f.base + F_GLOBALS).expect("globals"));
                        if self.sp.dict_del_str(g, key).is_none() {
                            let n = self.str_owned(key);
                            break self
                                .err(self.sp.t.name_error, format!("name '{n}' is not defined"));
                        }
                    }
                    Instr::LoadBuiltin(i) => {
                        let key = name_at!(i);
                        let b = self.builtins();
                        match self.sp.dict_get_str(b, key) {
                            Some(v) => push!(v),
                            None => {
                                let n = self.str_owned(key);
                                break self.err(
                                    self.sp.t.name_error,
                                    format!("name '{n}' is not defined"),
                                );
                            }
                        }
                    }
                    Instr::LoadName(i) => {
                        let key = name_at!(i);
                        let ns = slot!(ss, f.base + F_LOCALS).map(Value);
                        let g = Value(slot!(ss, f.base + F_GLOBALS).expect("globals"));
                        if let Some(v) = ns.and_then(|ns| self.sp.dict_get_str(ns, key)) {
                            push!(v);
                        } else if let Some(v) = self.sp.dict_get_str(g, key) {
                            push!(v);
                        } else {
                            let b = self.builtins();
                            match self.sp.dict_get_str(b, key) {
                                Some(v) => push!(v),
                                None => {
                                    let n = self.str_owned(key);
                                    break self.err(
                                        self.sp.t.name_error,
                                        format!("name '{n}' is not defined"),
                                    );
                                }
                            }
                        }
                    }
                    Instr::StoreName(i) => {
                        let key = name_at!(i);
                        let v = pop!();
                        let ns = slot!(ss, f.base + F_LOCALS)
                            .or(slot!(ss, f.base + F_GLOBALS))
                            .map(Value)
                            .expect("namespace");
                        if ns.layout() == l::DICT {
                            self.sp.dict_set_str(ns, key, v);
                        } else {
                            sync!();
                            tri!(self.setitem(ns, key, v));
                        }
                    }
                    Instr::DeleteName(i) => {
                        let key = name_at!(i);
                        let ns = slot!(ss, f.base + F_LOCALS)
                            .or(slot!(ss, f.base + F_GLOBALS))
                            .map(Value)
                            .expect("namespace");
                        if self.sp.dict_del_str(ns, key).is_none() {
                            let n = self.str_owned(key);
                            break self
                                .err(self.sp.t.name_error, format!("name '{n}' is not defined"));
                        }
                    }
                    Instr::LoadAttr(i) => {
                        let key = name_at!(i);
                        let o = top!();
                        sync!();
                        let v = tri!(self.getattr(o, key));
                        set_top!(v);
                    }
                    Instr::StoreAttr(i) => {
                        let key = name_at!(i);
                        let o = pop!();
                        let v = pop!();
                        sync!();
                        // Keep both rooted while user code may run (__setattr__, setters).
                        push!(v);
                        push!(o);
                        sync!();
                        tri!(self.setattr(o, key, v));
                        sp -= 2;
                    }
                    Instr::DeleteAttr(i) => {
                        let key = name_at!(i);
                        let o = top!();
                        sync!();
                        tri!(self.delattr(o, key));
                        sp -= 1;
                    }
                    Instr::LoadMethod(i) => {
                        let key = name_at!(i);
                        let o = top!();
                        sync!();
                        let (m, selfv) = tri!(self.load_method(o, key));
                        set_top!(m);
                        push_opt!(selfv);
                    }
                    Instr::BinarySubscr => {
                        let k = peek!(1);
                        let c = peek!(2);
                        // Fast path: list[int].
                        if c.layout() == l::LIST && c.ty().is(self.sp.t.list) {
                            if let Some(i) = self.sp.small_int(k) {
                                let n = self.sp.list_len(c) as i64;
                                let j = if i < 0 { i + n } else { i };
                                if (0..n).contains(&j) {
                                    let v = self.sp.list_items(c)[j as usize];
                                    sp -= 1;
                                    set_top!(v);
                                    continue;
                                }
                            }
                        }
                        sync!();
                        let v = tri!(self.getitem(c, k));
                        sp -= 1;
                        set_top!(v);
                    }
                    Instr::StoreSubscr => {
                        let k = peek!(1);
                        let c = peek!(2);
                        let v = peek!(3);
                        if c.layout() == l::LIST && c.ty().is(self.sp.t.list) {
                            if let Some(i) = self.sp.small_int(k) {
                                let n = self.sp.list_len(c) as i64;
                                let j = if i < 0 { i + n } else { i };
                                if (0..n).contains(&j) {
                                    self.sp.list_set(c, j as usize, v);
                                    sp -= 3;
                                    continue;
                                }
                            }
                        }
                        sync!();
                        tri!(self.setitem(c, k, v));
                        sp -= 3;
                    }
                    Instr::DeleteSubscr => {
                        let k = peek!(1);
                        let c = peek!(2);
                        sync!();
                        tri!(self.delitem(c, k));
                        sp -= 2;
                    }
                    Instr::BuildSlice(n) => {
                        let step = if n == 3 { Some(pop!()) } else { None };
                        let stop = pop!();
                        let start = pop!();
                        let s = self.new_slice(start, stop, step.unwrap_or(self.sp.none));
                        push!(s);
                    }
                    Instr::Binary(op) | Instr::InplaceBinary(op) => {
                        let b = peek!(1);
                        let a = peek!(2);
                        let v = match self.numeric_fast(op, a, b) {
                            Some(v) => v,
                            None => {
                                sync!();
                                if matches!(ins, Instr::Binary(_)) {
                                    tri!(self.binary_op(op, a, b))
                                } else {
                                    tri!(self.inplace_op(op, a, b))
                                }
                            }
                        };
                        sp -= 1;
                        set_top!(v);
                    }
                    Instr::Unary(op) => {
                        let a = top!();
                        sync!();
                        let v = tri!(self.unary_op(op, a));
                        set_top!(v);
                    }
                    Instr::Compare(op) => {
                        let b = peek!(1);
                        let a = peek!(2);
                        if let (Some(x), Some(y)) = (self.sp.small_int(a), self.sp.small_int(b)) {
                            if a.ty().is(self.sp.t.int) && b.ty().is(self.sp.t.int) {
                                let r = match op {
                                    CmpOp::Lt => x < y,
                                    CmpOp::Le => x <= y,
                                    CmpOp::Eq => x == y,
                                    CmpOp::Ne => x != y,
                                    CmpOp::Gt => x > y,
                                    CmpOp::Ge => x >= y,
                                };
                                sp -= 1;
                                set_top!(self.sp.new_bool(r));
                                continue;
                            }
                        }
                        if let (Some(x), Some(y)) = (self.float_operand(a), self.float_operand(b)) {
                            let r = match op {
                                CmpOp::Lt => x < y,
                                CmpOp::Le => x <= y,
                                CmpOp::Eq => x == y,
                                CmpOp::Ne => x != y,
                                CmpOp::Gt => x > y,
                                CmpOp::Ge => x >= y,
                            };
                            sp -= 1;
                            set_top!(self.sp.new_bool(r));
                            continue;
                        }
                        sync!();
                        let v = tri!(self.compare(op, a, b));
                        sp -= 1;
                        set_top!(v);
                    }
                    Instr::IsOp(inv) => {
                        let b = pop!();
                        let a = top!();
                        set_top!(self.sp.new_bool(a.is(b) != inv));
                    }
                    Instr::ContainsOp(inv) => {
                        let c = peek!(1);
                        let x = peek!(2);
                        sync!();
                        let r = tri!(self.contains(c, x));
                        sp -= 1;
                        set_top!(self.sp.new_bool(r != inv));
                    }
                    Instr::Jump(t) => {
                        if (t as usize) < pc {
                            self.reset_roots(frame_end);
                            if self.sp.heap.collection_requested() {
                                sync!();
                                f.pc = t as usize;
                                self.safepoint();
                            }
                        }
                        pc = t as usize;
                    }
                    Instr::PopJumpIfFalse(t) => {
                        let v = pop!();
                        let b = if v.is(self.sp.true_) {
                            true
                        } else if v.is(self.sp.false_) {
                            false
                        } else {
                            push!(v);
                            sync!();
                            let b = tri!(self.truthy(v));
                            sp -= 1;
                            b
                        };
                        if !b {
                            pc = t as usize;
                        }
                    }
                    Instr::PopJumpIfTrue(t) => {
                        let v = pop!();
                        let b = if v.is(self.sp.true_) {
                            true
                        } else if v.is(self.sp.false_) {
                            false
                        } else {
                            push!(v);
                            sync!();
                            let b = tri!(self.truthy(v));
                            sp -= 1;
                            b
                        };
                        if b {
                            pc = t as usize;
                        }
                    }
                    Instr::JumpIfFalseOrPop(t) => {
                        let v = top!();
                        sync!();
                        if !tri!(self.truthy(v)) {
                            pc = t as usize;
                        } else {
                            sp -= 1;
                        }
                    }
                    Instr::JumpIfTrueOrPop(t) => {
                        let v = top!();
                        sync!();
                        if tri!(self.truthy(v)) {
                            pc = t as usize;
                        } else {
                            sp -= 1;
                        }
                    }
                    Instr::GetIter => {
                        let v = top!();
                        sync!();
                        let it = tri!(self.get_iter(v));
                        set_top!(it);
                    }
                    Instr::ForIter(t) => {
                        if self.sp.heap.collection_requested() {
                            sync!();
                            self.safepoint();
                        }
                        let it = top!();
                        sync!();
                        match tri!(self.iter_next(it)) {
                            Some(v) => push!(v),
                            None => {
                                sp -= 1;
                                pc = t as usize;
                            }
                        }
                    }
                    Instr::BuildTuple(n) => {
                        let n = n as usize;
                        let t = self.sp.new_tuple_uninit(n);
                        for i in 0..n {
                            let v = Value(slot!(ss, sp - n + i).expect("item"));
                            self.sp.tuple_init(t, i, v);
                        }
                        sp -= n;
                        push!(t);
                    }
                    Instr::BuildList(n) => {
                        let n = n as usize;
                        // SAFETY: the n items are filled stack slots.
                        let items: Vec<Value> = (0..n)
                            .map(|i| Value(slot!(ss, sp - n + i).expect("item")))
                            .collect();
                        let lst = self.sp.new_list(&items);
                        sp -= n;
                        push!(lst);
                    }
                    Instr::BuildSet(n) => {
                        let n = n as usize;
                        let s = self.sp.new_set(false);
                        push!(s);
                        sync!();
                        let mut failed = None;
                        for i in 0..n {
                            let v = Value(slot!(ss, sp - 1 - n + i).expect("item"));
                            let s = top!();
                            if let Err(e) = self.set_add_value(s, v) {
                                failed = Some(e);
                                break;
                            }
                        }
                        if let Some(e) = failed {
                            break e;
                        }
                        let s = pop!();
                        sp -= n;
                        push!(s);
                    }
                    Instr::BuildMap(n) => {
                        let n = n as usize;
                        let d = self.sp.new_dict();
                        push!(d);
                        sync!();
                        let mut failed = None;
                        for i in 0..n {
                            let k = Value(slot!(ss, sp - 1 - 2 * n + 2 * i).expect("key"));
                            let v = Value(slot!(ss, sp - 1 - 2 * n + 2 * i + 1).expect("value"));
                            let d = top!();
                            if let Err(e) = self.dict_setitem(d, k, v) {
                                failed = Some(e);
                                break;
                            }
                        }
                        if let Some(e) = failed {
                            break e;
                        }
                        let d = pop!();
                        sp -= 2 * n;
                        push!(d);
                    }
                    Instr::BuildString(n) => {
                        let n = n as usize;
                        let mut s = String::new();
                        for i in 0..n {
                            let v = Value(slot!(ss, sp - n + i).expect("piece"));
                            s.push_str(self.sp.str_of(v));
                        }
                        sp -= n;
                        let v = self.sp.new_str(&s);
                        push!(v);
                    }
                    Instr::ListAppend(i) => {
                        let v = pop!();
                        let lst = peek!(i as usize);
                        self.sp.list_append(lst, v);
                    }
                    Instr::SetAdd(i) => {
                        let v = top!();
                        let s = peek!(i as usize + 1);
                        sync!();
                        tri!(self.set_add_value(s, v));
                        sp -= 1;
                    }
                    Instr::MapAdd(i) => {
                        let v = peek!(1);
                        let k = peek!(2);
                        let d = peek!(i as usize + 2);
                        sync!();
                        tri!(self.dict_setitem(d, k, v));
                        sp -= 2;
                    }
                    Instr::ListExtend(i) => {
                        let it = top!();
                        let lst = peek!(i as usize + 1);
                        sync!();
                        tri!(self.list_extend(lst, it));
                        sp -= 1;
                    }
                    Instr::SetUpdate(i) => {
                        let it = top!();
                        let s = peek!(i as usize + 1);
                        sync!();
                        tri!(self.set_update(s, it));
                        sp -= 1;
                    }
                    Instr::DictUpdate(i) => {
                        let m = top!();
                        let d = peek!(i as usize + 1);
                        sync!();
                        tri!(self.dict_update(d, m, false));
                        sp -= 1;
                    }
                    Instr::DictMerge(i) => {
                        let m = top!();
                        let d = peek!(i as usize + 1);
                        sync!();
                        tri!(self.dict_merge_kwargs(d, m, peek!(i as usize + 2)));
                        sp -= 1;
                    }
                    Instr::ListToTuple => {
                        let lst = top!();
                        let items = self.sp.list_items(lst).to_vec();
                        let t = self.sp.new_tuple(&items);
                        set_top!(t);
                    }
                    Instr::UnpackSequence(n) => {
                        let seq = top!();
                        sync!();
                        let n = n as usize;
                        // Fast paths for exact tuples and lists.
                        let items: Option<Vec<Value>> =
                            if seq.layout() == l::TUPLE && seq.ty().is(self.sp.t.tuple) {
                                Some(self.sp.tuple_items(seq).to_vec())
                            } else if seq.layout() == l::LIST && seq.ty().is(self.sp.t.list) {
                                Some(self.sp.list_items(seq).to_vec())
                            } else {
                                None
                            };
                        let items = match items {
                            Some(v) => v,
                            None => {
                                let lst = tri!(self.unpack_iterable(seq));
                                self.sp.list_items(lst).to_vec()
                            }
                        };
                        if items.len() != n {
                            break if items.len() < n {
                                self.value_error(format!(
                                    "not enough values to unpack (expected {n}, got {})",
                                    items.len()
                                ))
                            } else {
                                self.value_error(format!(
                                    "too many values to unpack (expected {n})"
                                ))
                            };
                        }
                        sp -= 1;
                        for &v in items.iter().rev() {
                            push!(v);
                        }
                    }
                    Instr::UnpackEx { before, after } => {
                        let seq = top!();
                        sync!();
                        let lst = tri!(self.unpack_iterable(seq));
                        let items = self.sp.list_items(lst).to_vec();
                        let (b, a) = (before as usize, after as usize);
                        if items.len() < b + a {
                            break self.value_error(format!(
                                "not enough values to unpack (expected at least {}, got {})",
                                b + a,
                                items.len()
                            ));
                        }
                        sp -= 1;
                        let mid = self.sp.new_list(&items[b..items.len() - a]);
                        for &v in items[items.len() - a..].iter().rev() {
                            push!(v);
                        }
                        push!(mid);
                        for &v in items[..b].iter().rev() {
                            push!(v);
                        }
                    }
                    Instr::FormatValue(flags) => {
                        let spec = if flags & crate::bytecode::FV_HAS_SPEC != 0 {
                            Some(pop!())
                        } else {
                            None
                        };
                        let v = top!();
                        push_opt!(spec);
                        sync!();
                        let conv = flags & 3;
                        let v = match conv {
                            crate::bytecode::FV_STR => tri!(self.to_str(v)),
                            crate::bytecode::FV_REPR => tri!(self.to_repr(v)),
                            crate::bytecode::FV_ASCII => tri!(self.to_ascii(v)),
                            _ => v,
                        };
                        let spec = pop_opt!();
                        let r = tri!(self.format_value(v, spec));
                        set_top!(r);
                    }
                    Instr::MakeFunction(flags) => {
                        let code_ix = pop!();
                        let closure = if flags & crate::bytecode::MF_CLOSURE != 0 {
                            Some(pop!())
                        } else {
                            None
                        };
                        let kwdefaults = if flags & crate::bytecode::MF_KWDEFAULTS != 0 {
                            Some(pop!())
                        } else {
                            None
                        };
                        let defaults = if flags & crate::bytecode::MF_DEFAULTS != 0 {
                            Some(pop!())
                        } else {
                            None
                        };
                        let g = Value(slot!(ss, f.base + F_GLOBALS).expect("globals"));
                        let ci = self.sp.small_int(code_ix).expect("code index") as usize;
                        let func = self.make_function(ci, g, defaults, kwdefaults, closure);
                        push!(func);
                    }
                    Instr::Call(n) => {
                        let n = n as usize;
                        sync!();
                        f.sp = sp;
                        let callable = peek!(n + 1);
                        // SAFETY: the n arguments are filled stack slots.
                        let args = unsafe { Args::new(ss.add(sp - n), n, 0) };
                        let r = tri!(self.call_value(callable, &args));
                        sp -= n;
                        self.reset_roots(frame_end);
                        set_top!(r);
                    }
                    Instr::CallKw(n) => {
                        let n = n as usize;
                        let kwnames = top!();
                        let nkw = self.sp.tuple_len(kwnames);
                        sync!();
                        let callable = peek!(n + 2);
                        // SAFETY: the n arguments and the names tuple are filled slots.
                        let args = unsafe { Args::new(ss.add(sp - 1 - n), n - nkw, nkw) };
                        let r = tri!(self.call_value(callable, &args));
                        sp -= n + 1;
                        self.reset_roots(frame_end);
                        set_top!(r);
                    }
                    Instr::CallEx(has_kw) => {
                        sync!();
                        let r = if has_kw {
                            let kw = peek!(1);
                            let a = peek!(2);
                            let c = peek!(3);
                            tri!(self.call_ex(c, a, Some(kw)))
                        } else {
                            let a = peek!(1);
                            let c = peek!(2);
                            tri!(self.call_ex(c, a, None))
                        };
                        sp -= if has_kw { 2 } else { 1 };
                        self.reset_roots(frame_end);
                        set_top!(r);
                    }
                    Instr::CallMethod(n) => {
                        let n = n as usize;
                        sync!();
                        let m = peek!(n + 2);
                        let r = match slot!(ss, sp - n - 1) {
                            Some(_) => {
                                // SAFETY: self and the n arguments are filled slots.
                                let args = unsafe { Args::new(ss.add(sp - n - 1), n + 1, 0) };
                                tri!(self.call_value(m, &args))
                            }
                            None => {
                                // SAFETY: the n arguments are filled slots.
                                let args = unsafe { Args::new(ss.add(sp - n), n, 0) };
                                tri!(self.call_value(m, &args))
                            }
                        };
                        sp -= n + 1;
                        self.reset_roots(frame_end);
                        set_top!(r);
                    }
                    Instr::Return => {
                        let v = pop!();
                        f.sp = sp;
                        f.pc = pc;
                        return Ok(Exit::Return(v));
                    }
                    Instr::BuildClass(n) => {
                        let n = n as usize;
                        sync!();
                        let r = tri!(self.build_class(sp - n - 2, n));
                        sp -= n + 1;
                        set_top!(r);
                    }
                    Instr::SetupExcept(t) => {
                        f.blocks.push(Block {
                            handler: t,
                            depth: (sp - stack0) as u32,
                        });
                    }
                    Instr::PopBlock => {
                        f.blocks.pop();
                    }
                    Instr::Raise(n) => {
                        sync!();
                        match n {
                            0 => {
                                let h = self
                                    .root_get(RootSlot::Handled)
                                    .filter(|h| !h.is(self.sp.none));
                                match h {
                                    Some(h) => {
                                        self.root_set(RootSlot::Exc, Some(h));
                                        f.pc = pc;
                                        f.sp = sp;
                                        // Re-raise keeps the traceback: skip adding an entry.
                                        match self.unwind(f, stack0, Raised, false) {
                                            Ok(()) => {
                                                sp = f.sp;
                                                pc = f.pc;
                                                continue 'outer;
                                            }
                                            Err(e) => return Err(e),
                                        }
                                    }
                                    None => {
                                        break self.err(
                                            self.sp.t.runtime_error,
                                            "No active exception to reraise",
                                        )
                                    }
                                }
                            }
                            1 => {
                                let e = top!();
                                break match self.make_raisable(e) {
                                    Ok(e) => self.raise(e),
                                    Err(r) => r,
                                };
                            }
                            _ => {
                                let cause = top!();
                                let e = peek!(2);
                                let e = match self.make_raisable(e) {
                                    Ok(e) => e,
                                    Err(r) => break r,
                                };
                                let r = self.push_root(e);
                                let cause = if cause.is(self.sp.none) {
                                    cause
                                } else {
                                    match self.make_raisable(cause) {
                                        Ok(c) => c,
                                        Err(r) => break r,
                                    }
                                };
                                let e = self.root(r);
                                let (cn, sn) = (self.n.cause, self.n.suppress_context);
                                self.set_exc_attr(e, cn, cause);
                                let t = self.sp.true_;
                                self.set_exc_attr(e, sn, t);
                                break self.raise(e);
                            }
                        }
                    }
                    Instr::Reraise => {
                        let e = pop!();
                        self.root_set(RootSlot::Exc, Some(e));
                        f.pc = pc;
                        f.sp = sp;
                        match self.unwind(f, stack0, Raised, false) {
                            Ok(()) => {
                                sp = f.sp;
                                pc = f.pc;
                                continue 'outer;
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    Instr::PushExcInfo => {
                        let e = pop!();
                        let prev = self.root_get(RootSlot::Handled).unwrap_or(self.sp.none);
                        push!(prev);
                        push!(e);
                        self.root_set(RootSlot::Handled, Some(e));
                    }
                    Instr::PopExcept => {
                        let prev = pop!();
                        let prev = if prev.is(self.sp.none) {
                            None
                        } else {
                            Some(prev)
                        };
                        self.root_set(RootSlot::Handled, prev);
                    }
                    Instr::JumpIfNotExcMatch(t) => {
                        let spec = top!();
                        let e = peek!(2);
                        sync!();
                        let m = tri!(self.exc_matches(e, spec));
                        sp -= 1;
                        if !m {
                            pc = t as usize;
                        }
                    }
                    Instr::SetupWith(t) => {
                        let mgr = top!();
                        sync!();
                        let exit = tri!(self.lookup_special_bound(mgr, self.n.exit, "__exit__"));
                        // [mgr] -> [exit, mgr] while __enter__ runs
                        let mgr = top!();
                        set_top!(exit);
                        push!(mgr);
                        sync!();
                        let enter = tri!(self.lookup_special_bound(mgr, self.n.enter, "__enter__"));
                        let r = tri!(self.call(enter, &[]));
                        sp -= 1;
                        f.blocks.push(Block {
                            handler: t,
                            depth: (sp - stack0) as u32,
                        });
                        push!(r);
                    }
                    Instr::WithExit => {
                        let exit = top!();
                        sync!();
                        let none = self.sp.none;
                        tri!(self.call(exit, &[none, none, none]));
                        sp -= 1;
                    }
                    Instr::WithExceptStart => {
                        let e = top!();
                        let exit = peek!(3);
                        sync!();
                        let ty = e.ty();
                        let tb = self.exc_attr(e, self.n.traceback).unwrap_or(self.sp.none);
                        let r = tri!(self.call(exit, &[ty, e, tb]));
                        push!(r);
                    }
                    Instr::LoadHandled => {
                        let h = self.root_get(RootSlot::Handled).unwrap_or(self.sp.none);
                        push!(h);
                    }
                    Instr::YieldValue => {
                        let v = pop!();
                        f.sp = sp;
                        f.pc = pc;
                        return Ok(Exit::Yield(v));
                    }
                    Instr::GetYieldFromIter => {
                        let v = top!();
                        if v.ty().is(self.sp.t.generator) {
                            continue;
                        }
                        sync!();
                        let it = tri!(self.get_iter(v));
                        set_top!(it);
                    }
                    Instr::YieldFrom => {
                        let sent = peek!(1);
                        let sub = peek!(2);
                        sync!();
                        match tri!(self.yield_from_step(sub, sent)) {
                            Ok(y) => {
                                // Yield y; on resume the sent value replaces `sent`, and
                                // this instruction runs again.
                                sp -= 1;
                                f.sp = sp;
                                f.pc = pc - 1;
                                return Ok(Exit::Yield(y));
                            }
                            Err(result) => {
                                sp -= 1;
                                set_top!(result);
                            }
                        }
                    }
                    Instr::ImportName(i) => {
                        let name = name_at!(i);
                        let fromlist = peek!(1);
                        let level = peek!(2);
                        let g = Value(slot!(ss, f.base + F_GLOBALS).expect("globals"));
                        sync!();
                        let m = tri!(self.import_name(name, level, fromlist, g));
                        sp -= 1;
                        set_top!(m);
                    }
                    Instr::ImportFrom(i) => {
                        let name = name_at!(i);
                        let m = top!();
                        sync!();
                        let v = tri!(self.import_from(m, name));
                        push!(v);
                    }
                    Instr::ImportStar => {
                        let m = top!();
                        sync!();
                        let ns = slot!(ss, f.base + F_LOCALS)
                            .or(slot!(ss, f.base + F_GLOBALS))
                            .map(Value)
                            .expect("namespace");
                        tri!(self.import_star(m, ns));
                        sp -= 1;
                    }
                }
            };
            // An instruction raised.
            self.reset_roots(frame_end);
            f.pc = pc;
            f.sp = sp;
            match self.unwind(f, stack0, err, true) {
                Ok(()) => {
                    sp = f.sp;
                    pc = f.pc;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Handles the pending exception in frame `f`: adds the traceback entry (unless
    /// re-raising), then jumps to the innermost handler, or fails if there is none.
    fn unwind(&mut self, f: &mut Frame, stack0: usize, err: Raised, add_tb: bool) -> PyResult<()> {
        if add_tb {
            let line = f.code.line_at(f.pc.saturating_sub(1));
            self.add_traceback(f.code_idx, line);
        }
        match f.blocks.pop() {
            Some(b) => {
                let e = self.take_exc();
                f.sp = stack0 + b.depth as usize;
                let ss = self.sp.heap.shadow_stack().base;
                // SAFETY: a slot of this frame's value stack.
                unsafe { *ss.add(f.sp) = Some(e.0) };
                f.sp += 1;
                f.pc = b.handler as usize;
                Ok(())
            }
            None => Err(err),
        }
    }

    /// An exact float, or an exact small int exactly representable as a float, as `f64`
    /// (for the float fast paths; at least one operand must be a float).
    #[inline(always)]
    fn float_operand(&self, v: Value) -> Option<f64> {
        match v.layout() {
            l::FLOAT if v.ty().is(self.sp.t.float) => Some(self.sp.float_value(v)),
            l::INT if v.ty().is(self.sp.t.int) => {
                let i = self.sp.small_int(v)?;
                (i.unsigned_abs() < (1 << 53)).then_some(i as f64)
            }
            _ => None,
        }
    }

    /// `a OP b` when one operand is a float and the other a float or small int, for
    /// `+ - *` and `/` by a non-zero divisor: the result is the float arithmetic.
    #[inline(always)]
    fn float_fast(&self, op: BinOp, a: Value, b: Value) -> Option<f64> {
        if a.layout() != l::FLOAT && b.layout() != l::FLOAT {
            return None;
        }
        let (x, y) = (self.float_operand(a)?, self.float_operand(b)?);
        match op {
            BinOp::Add => Some(x + y),
            BinOp::Sub => Some(x - y),
            BinOp::Mul => Some(x * y),
            BinOp::TrueDiv if y != 0.0 => Some(x / y),
            _ => None,
        }
    }

    /// `a OP b` (or `a OP= b`, the same for numbers) for exact small ints whose result
    /// fits, and for floats with floats or small ints; `None`: take the general path.
    #[inline(always)]
    fn numeric_fast(&mut self, op: BinOp, a: Value, b: Value) -> Option<Value> {
        let ints = a.ty().is(self.sp.t.int) && b.ty().is(self.sp.t.int);
        if let (true, Some(x), Some(y)) = (ints, self.sp.small_int(a), self.sp.small_int(b)) {
            if let Some(r) = small_int_binop(op, x, y) {
                return Some(small_int_result(self, op, a, b, r));
            }
        }
        let r = self.float_fast(op, a, b)?;
        Some(self.sp.new_float(r))
    }

    /// The items of an unpacking source, with CPython's message for non-iterables.
    fn unpack_iterable(&mut self, seq: Value) -> PyResult {
        let iterable = matches!(
            seq.layout(),
            l::LIST | l::TUPLE | l::STR | l::DICT | l::SET | l::BYTES | l::RANGE
        ) || matches!(
            self.sp.kind(seq),
            thicket_object_model::Kind::Iter
                | thicket_object_model::Kind::Generator
                | thicket_object_model::Kind::DictView
                | thicket_object_model::Kind::ByteArray
        ) || self.lookup_type_attr(seq.ty(), self.n.iter).is_some()
            || self.lookup_type_attr(seq.ty(), self.n.getitem).is_some();
        if !iterable {
            return Err(self.type_error(format!(
                "cannot unpack non-iterable {} object",
                self.type_name(seq)
            )));
        }
        self.list_from_iter(seq)
    }

    /// `raise X`: an instance as is, a class instantiated with no arguments; anything else
    /// is a TypeError.
    pub fn make_raisable(&mut self, e: Value) -> PyResult<Value> {
        if self.is_exc_class(e) {
            let v = self.call(e, &[])?;
            if !self.is_exc_instance(v) {
                return Err(self.type_error("exceptions must derive from BaseException"));
            }
            return Ok(v);
        }
        if self.is_exc_instance(e) {
            return Ok(e);
        }
        Err(self.type_error("exceptions must derive from BaseException"))
    }
}

/// The object for a small-int operation's result: a bool for `&`, `|`, `^` of bools.
#[inline(always)]
fn small_int_result(vm: &mut Vm, op: BinOp, a: Value, b: Value, r: i64) -> Value {
    if matches!(op, BinOp::And | BinOp::Or | BinOp::Xor)
        && a.ty().is(vm.sp.t.bool_)
        && b.ty().is(vm.sp.t.bool_)
    {
        return vm.sp.new_bool(r != 0);
    }
    vm.sp.new_int(r)
}

/// `x OP y` on small ints when the result is a small int too.
#[inline(always)]
fn small_int_binop(op: BinOp, x: i64, y: i64) -> Option<i64> {
    match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::FloorDiv => {
            if y == 0 || (x == i64::MIN && y == -1) {
                None
            } else {
                Some(
                    x.div_euclid(y)
                        - if (x.rem_euclid(y) != 0) && (y < 0) {
                            1
                        } else {
                            0
                        },
                )
            }
        }
        BinOp::Mod => {
            if y == 0 || (x == i64::MIN && y == -1) {
                None
            } else {
                let r = x % y;
                Some(if r != 0 && ((r < 0) != (y < 0)) {
                    r + y
                } else {
                    r
                })
            }
        }
        BinOp::And => Some(x & y),
        BinOp::Or => Some(x | y),
        BinOp::Xor => Some(x ^ y),
        BinOp::LShift => {
            if (0..63).contains(&y) {
                let r = x.checked_shl(y as u32)?;
                (r >> y == x).then_some(r)
            } else {
                None
            }
        }
        BinOp::RShift => {
            if y >= 0 {
                Some(x >> y.min(63))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Unused marker to keep `UnaryOp` imported for readers of the match above.
#[allow(dead_code)]
fn _unary(_: UnaryOp) {}
