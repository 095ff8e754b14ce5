//! Stack-depth analysis and verification of code objects.
//!
//! An abstract interpretation over the control-flow graph: each reachable instruction
//! gets the value-stack depth and the handler-block stack (`SetupExcept`/`SetupWith`
//! targets with their saved depths) it runs with. [`analyze`] returns the deepest the
//! stack gets (the `max_stack` the compiler records) and fails on an inconsistency: two
//! paths joining with different depths or blocks, a pop below empty (or below a
//! handler's saved depth), a `PopBlock` with no block, a jump out of range, falling off
//! the end, or a `Return` with a handler block still active. [`verify`] also checks
//! the recorded `max_stack` and recurses into nested code objects.

use crate::bytecode::{Code, Const, Instr, FV_HAS_SPEC, MF_CLOSURE, MF_DEFAULTS, MF_KWDEFAULTS};
use std::rc::Rc;

/// The jump target of a branching instruction.
pub fn jump_target(i: &Instr) -> Option<u32> {
    match *i {
        Instr::Jump(t)
        | Instr::PopJumpIfFalse(t)
        | Instr::PopJumpIfTrue(t)
        | Instr::JumpIfFalseOrPop(t)
        | Instr::JumpIfTrueOrPop(t)
        | Instr::ForIter(t)
        | Instr::SetupExcept(t)
        | Instr::SetupWith(t)
        | Instr::JumpIfNotExcMatch(t) => Some(t),
        _ => None,
    }
}

/// The jump target of a branching instruction, to patch it.
pub fn jump_target_mut(i: &mut Instr) -> Option<&mut u32> {
    match i {
        Instr::Jump(t)
        | Instr::PopJumpIfFalse(t)
        | Instr::PopJumpIfTrue(t)
        | Instr::JumpIfFalseOrPop(t)
        | Instr::JumpIfTrueOrPop(t)
        | Instr::ForIter(t)
        | Instr::SetupExcept(t)
        | Instr::SetupWith(t)
        | Instr::JumpIfNotExcMatch(t) => Some(t),
        _ => None,
    }
}

/// How an instruction changes the stack: it needs `needs` items and leaves the stack
/// `delta` deeper on the fall-through path; `branch` is the depth change at its jump
/// target, if it jumps.
struct Effect {
    needs: u32,
    delta: i64,
    branch: Option<i64>,
    falls_through: bool,
}

fn effect(i: &Instr) -> Effect {
    let e = |needs: u32, delta: i64| Effect {
        needs,
        delta,
        branch: None,
        falls_through: true,
    };
    let stop = |needs: u32| Effect {
        needs,
        delta: -(needs as i64),
        branch: None,
        falls_through: false,
    };
    let br = |needs: u32, delta: i64, branch: i64| Effect {
        needs,
        delta,
        branch: Some(branch),
        falls_through: true,
    };
    match *i {
        Instr::Nop => e(0, 0),
        Instr::Pop => e(1, -1),
        Instr::Dup => e(1, 1),
        Instr::DupTwo => e(2, 2),
        Instr::Rot2 => e(2, 0),
        Instr::Rot3 => e(3, 0),
        Instr::Rot4 => e(4, 0),
        Instr::LoadConst(_)
        | Instr::LoadFast(_)
        | Instr::LoadDeref(_)
        | Instr::LoadClosure(_)
        | Instr::LoadClassDeref { .. }
        | Instr::LoadGlobal(_)
        | Instr::LoadBuiltin(_)
        | Instr::LoadName(_)
        | Instr::LoadHandled => e(0, 1),
        Instr::StoreFast(_)
        | Instr::StoreDeref(_)
        | Instr::StoreGlobal(_)
        | Instr::StoreName(_) => e(1, -1),
        Instr::DeleteFast(_)
        | Instr::DeleteDeref(_)
        | Instr::DeleteGlobal(_)
        | Instr::DeleteName(_) => e(0, 0),
        Instr::LoadAttr(_) => e(1, 0),
        Instr::StoreAttr(_) => e(2, -2),
        Instr::DeleteAttr(_) => e(1, -1),
        Instr::LoadMethod(_) => e(1, 1),
        Instr::BinarySubscr => e(2, -1),
        Instr::StoreSubscr => e(3, -3),
        Instr::DeleteSubscr => e(2, -2),
        Instr::BuildSlice(n) => e(n, 1 - n as i64),
        Instr::Binary(_) | Instr::InplaceBinary(_) => e(2, -1),
        Instr::Unary(_) => e(1, 0),
        Instr::Compare(_) | Instr::IsOp(_) | Instr::ContainsOp(_) => e(2, -1),
        Instr::Jump(_) => Effect {
            needs: 0,
            delta: 0,
            branch: Some(0),
            falls_through: false,
        },
        Instr::PopJumpIfFalse(_) | Instr::PopJumpIfTrue(_) => br(1, -1, -1),
        Instr::JumpIfFalseOrPop(_) | Instr::JumpIfTrueOrPop(_) => br(1, -1, 0),
        Instr::GetIter => e(1, 0),
        Instr::ForIter(_) => br(1, 1, -1),
        Instr::BuildTuple(n) | Instr::BuildList(n) | Instr::BuildSet(n) | Instr::BuildString(n) => {
            e(n, 1 - n as i64)
        }
        Instr::BuildMap(n) => e(n.saturating_mul(2), 1 - 2 * n as i64),
        Instr::ListAppend(d) | Instr::SetAdd(d) => e(d.saturating_add(1), -1),
        Instr::MapAdd(d) => e(d.saturating_add(2), -2),
        Instr::ListExtend(d) | Instr::SetUpdate(d) | Instr::DictUpdate(d) | Instr::DictMerge(d) => {
            e(d.saturating_add(1), -1)
        }
        Instr::ListToTuple => e(1, 0),
        Instr::UnpackSequence(n) => e(1, n as i64 - 1),
        Instr::UnpackEx { before, after } => e(1, before as i64 + after as i64),
        Instr::FormatValue(f) => {
            if f & FV_HAS_SPEC != 0 {
                e(2, -1)
            } else {
                e(1, 0)
            }
        }
        Instr::MakeFunction(flags) => {
            let extra = [MF_DEFAULTS, MF_KWDEFAULTS, MF_CLOSURE]
                .iter()
                .filter(|&&f| flags & f != 0)
                .count() as u32;
            e(1 + extra, -(extra as i64))
        }
        Instr::Call(n) => e(n.saturating_add(1), -(n as i64)),
        Instr::CallKw(n) => e(n.saturating_add(2), -(n as i64) - 1),
        Instr::CallEx(kw) => {
            if kw {
                e(3, -2)
            } else {
                e(2, -1)
            }
        }
        Instr::CallMethod(n) => e(n.saturating_add(2), -(n as i64) - 1),
        Instr::Return => stop(1),
        Instr::BuildClass(n) => e(n.saturating_add(2), -(n as i64) - 1),
        Instr::SetupExcept(_) => br(0, 0, 1),
        Instr::PopBlock => e(0, 0),
        Instr::Raise(n) => stop(n),
        Instr::Reraise => stop(1),
        Instr::PushExcInfo => e(1, 1),
        Instr::PopExcept => e(1, -1),
        Instr::JumpIfNotExcMatch(_) => br(2, -1, -1),
        Instr::SetupWith(_) => br(1, 1, 1),
        Instr::WithExit => e(1, -1),
        Instr::WithExceptStart => e(3, 1),
        Instr::YieldValue => e(1, 0),
        Instr::GetYieldFromIter => e(1, 0),
        Instr::YieldFrom => e(2, -1),
        Instr::ImportName(_) => e(2, -1),
        Instr::ImportFrom(_) => e(1, 1),
        Instr::ImportStar => e(1, -1),
    }
}

/// The abstract state before an instruction.
#[derive(Clone, PartialEq, Eq, Debug)]
struct State {
    depth: u32,
    /// Active handler blocks: (handler target, saved depth).
    blocks: Rc<Vec<(u32, u32)>>,
}

/// Checks the stack discipline of `code` (not recursing) and returns the deepest the
/// value stack gets.
pub fn analyze(code: &Code) -> Result<u32, String> {
    let n = code.code.len();
    if code.lines.len() != n {
        return Err(format!("{} instructions but {} lines", n, code.lines.len()));
    }
    if n == 0 {
        return Err("empty code".into());
    }
    let mut states: Vec<Option<State>> = vec![None; n];
    let mut work = vec![0usize];
    states[0] = Some(State {
        depth: 0,
        blocks: Rc::new(Vec::new()),
    });
    let mut max = 0u32;
    let merge = |states: &mut Vec<Option<State>>,
                 work: &mut Vec<usize>,
                 from: usize,
                 to: usize,
                 st: State|
     -> Result<(), String> {
        if to >= n {
            return Err(format!(
                "instruction {from} goes to {to}, out of range (len {n})"
            ));
        }
        match &states[to] {
            None => {
                states[to] = Some(st);
                work.push(to);
                Ok(())
            }
            Some(old) if *old == st => Ok(()),
            Some(old) => Err(format!(
                "inconsistent state at {to} (from {from}): depth {} blocks {:?} vs depth {} blocks {:?}",
                old.depth, old.blocks, st.depth, st.blocks
            )),
        }
    };
    while let Some(pc) = work.pop() {
        let st = states[pc]
            .clone()
            .expect("queued instructions have a state");
        let instr = &code.code[pc];
        let eff = effect(instr);
        if st.depth < eff.needs {
            return Err(format!(
                "stack underflow at {pc} ({instr:?}): depth {} needs {}",
                st.depth, eff.needs
            ));
        }
        let floor = st.blocks.last().map_or(0, |b| b.1);
        let after = st.depth as i64 + eff.delta;
        let below = |d: i64| d < floor as i64;
        if (eff.falls_through && below(after))
            || (matches!(
                instr,
                Instr::Jump(_)
                    | Instr::PopJumpIfFalse(_)
                    | Instr::PopJumpIfTrue(_)
                    | Instr::JumpIfFalseOrPop(_)
                    | Instr::JumpIfTrueOrPop(_)
                    | Instr::ForIter(_)
                    | Instr::JumpIfNotExcMatch(_)
            ) && below(st.depth as i64 + eff.branch.unwrap_or(0)))
        {
            return Err(format!(
                "instruction {pc} ({instr:?}) pops below the handler depth {floor}"
            ));
        }
        max = max.max(st.depth).max(after.max(0) as u32);
        let mut blocks = st.blocks.clone();
        match *instr {
            Instr::SetupExcept(t) => {
                let mut b = (*blocks).clone();
                b.push((t, st.depth));
                blocks = Rc::new(b);
            }
            Instr::SetupWith(t) => {
                let mut b = (*blocks).clone();
                b.push((t, st.depth));
                blocks = Rc::new(b);
            }
            Instr::PopBlock => {
                let mut b = (*blocks).clone();
                if b.pop().is_none() {
                    return Err(format!("PopBlock at {pc} with no active block"));
                }
                blocks = Rc::new(b);
            }
            Instr::Return if !blocks.is_empty() => {
                return Err(format!(
                    "Return at {pc} with {} handler block(s) active",
                    blocks.len()
                ));
            }
            _ => {}
        }
        if let (Some(b), Some(t)) = (eff.branch, jump_target(instr)) {
            let target_depth = st.depth as i64 + b;
            if target_depth < 0 {
                return Err(format!("negative depth at the target of {pc}"));
            }
            // A handler starts with the blocks that were active before its own.
            let target_blocks = if matches!(instr, Instr::SetupExcept(_) | Instr::SetupWith(_)) {
                st.blocks.clone()
            } else {
                blocks.clone()
            };
            max = max.max(target_depth as u32);
            merge(
                &mut states,
                &mut work,
                pc,
                t as usize,
                State {
                    depth: target_depth as u32,
                    blocks: target_blocks,
                },
            )?;
        }
        if eff.falls_through {
            if pc + 1 >= n {
                return Err(format!("control falls off the end after {pc} ({instr:?})"));
            }
            merge(
                &mut states,
                &mut work,
                pc,
                pc + 1,
                State {
                    depth: after as u32,
                    blocks,
                },
            )?;
        }
    }
    Ok(max)
}

/// Verifies `code` and every code object among its constants: stack discipline,
/// jump targets, and a recorded `max_stack` at least the real depth. Also checks the
/// operand tables are in range.
pub fn verify(code: &Code) -> Result<(), String> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || verify_one(code))
}

fn verify_one(code: &Code) -> Result<(), String> {
    let depth = analyze(code).map_err(|e| format!("{}: {e}", code.qualname))?;
    if depth > code.max_stack {
        return Err(format!(
            "{}: max_stack {} but the stack reaches {depth}",
            code.qualname, code.max_stack
        ));
    }
    for (pc, i) in code.code.iter().enumerate() {
        let bad = match *i {
            Instr::LoadConst(k) => k as usize >= code.consts.len(),
            Instr::LoadFast(k) | Instr::StoreFast(k) | Instr::DeleteFast(k) => {
                k as usize >= code.varnames.len()
            }
            Instr::LoadDeref(k)
            | Instr::StoreDeref(k)
            | Instr::DeleteDeref(k)
            | Instr::LoadClosure(k) => k as usize >= code.n_cells(),
            Instr::LoadClassDeref { name, cell } => {
                name as usize >= code.names.len() || cell as usize >= code.n_cells()
            }
            Instr::LoadGlobal(k)
            | Instr::StoreGlobal(k)
            | Instr::DeleteGlobal(k)
            | Instr::LoadBuiltin(k)
            | Instr::LoadName(k)
            | Instr::StoreName(k)
            | Instr::DeleteName(k)
            | Instr::LoadAttr(k)
            | Instr::StoreAttr(k)
            | Instr::DeleteAttr(k)
            | Instr::LoadMethod(k)
            | Instr::ImportName(k)
            | Instr::ImportFrom(k) => k as usize >= code.names.len(),
            _ => false,
        };
        if bad {
            return Err(format!(
                "{}: operand out of range at {pc}: {i:?}",
                code.qualname
            ));
        }
    }
    for c in &code.consts {
        if let Const::Code(inner) = c {
            verify(inner)?;
        }
    }
    Ok(())
}
