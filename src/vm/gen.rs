//! Generators: a heap object owning a suspended frame.
//!
//! While suspended, the frame's slots live in a Rust box owned by the generator object;
//! the collector reaches them through the layout's custom trace function (so moved
//! objects are updated there too) and frees the box with a light destructor. While
//! running, the slots are copied onto the shadow stack like any frame's.

use super::frame::{Exit, Frame};
use super::{PyResult, Vm};
use thicket_gc::{ObjRef, TypeDesc, TypeId};
use thicket_object_model::layout as l;
use thicket_object_model::Value;

const GEN_FUNC: usize = 16;
const GEN_QUALNAME: usize = 24;
const GEN_SAVED: usize = 32;
const GEN_STATE: usize = 40;
const GEN_SIZE: usize = 48;

const CREATED: i64 = 0;
const SUSPENDED: i64 = 1;
const RUNNING: i64 = 2;
const FINISHED: i64 = 3;

/// Layout id of generators (registered right after the object model's layouts).
pub const GENERATOR: TypeId = TypeId(l::BUILTIN_LAYOUTS);

/// A suspended frame.
struct Saved {
    frame: Frame,
    /// Value-stack depth relative to the frame base.
    sp_rel: usize,
    slots: Vec<Option<ObjRef>>,
}

/// Reports the suspended frame's slots.
///
/// # Safety
/// `obj` must be a generator object.
unsafe fn trace_generator(obj: ObjRef, visit: &mut dyn FnMut(*mut Option<ObjRef>)) {
    // SAFETY: GEN_SAVED holds null or a pointer from `Box::into_raw`.
    unsafe {
        let p = *obj.field_ptr::<*mut Saved>(GEN_SAVED);
        if let Some(s) = p.as_mut() {
            for slot in s.slots.iter_mut() {
                visit(slot);
            }
        }
    }
}

/// Frees the suspended frame.
///
/// # Safety
/// `obj` must be a dead generator object (called once, by the collector).
unsafe fn drop_generator(obj: ObjRef) {
    // SAFETY: as above; the pointer is cleared so it cannot be freed twice.
    unsafe {
        let p = obj.field_ptr::<*mut Saved>(GEN_SAVED);
        if !(*p).is_null() {
            drop(Box::from_raw(*p));
            *p = std::ptr::null_mut();
        }
    }
}

/// Registers the generator layout.
pub fn register_layout(vm: &mut Vm) {
    let d = TypeDesc::fixed("generator", GEN_SIZE, &[8, GEN_FUNC, GEN_QUALNAME])
        .with_trace(trace_generator)
        .with_destructor(drop_generator);
    let id = vm.sp.heap.register(d).expect("generator layout");
    assert_eq!(id, GENERATOR);
}

/// Installs the generator methods.
pub fn install(vm: &mut Vm) {
    let t = vm.sp.t.generator;
    vm.add_method(t, "send", gen_send);
    vm.add_method(t, "__next__", gen_next_method);
    vm.add_method(t, "__iter__", gen_iter);
    vm.add_method(t, "close", gen_close_method);
    vm.add_method(t, "throw", gen_throw_method);
}

fn gen_arg(vm: &mut Vm, a: &super::Args) -> PyResult<Value> {
    let g = a.get(0);
    if !g.ty().is(vm.sp.t.generator) {
        return Err(vm.type_error("descriptor requires a 'generator' object"));
    }
    Ok(g)
}

fn finish(vm: &mut Vm, r: Resumed) -> PyResult {
    match r {
        Resumed::Yielded(v) => Ok(v),
        Resumed::Returned(v) => {
            let v = if v.is(vm.sp.none) { None } else { Some(v) };
            Err(vm.stop_iteration(v))
        }
    }
}

fn gen_send(vm: &mut Vm, a: &super::Args) -> PyResult {
    super::types::check_args(vm, a, "send", 2, 2)?;
    let g = gen_arg(vm, a)?;
    let r = vm.gen_resume(g, a.get(1))?;
    finish(vm, r)
}

fn gen_next_method(vm: &mut Vm, a: &super::Args) -> PyResult {
    let g = gen_arg(vm, a)?;
    let none = vm.sp.none;
    let r = vm.gen_resume(g, none)?;
    finish(vm, r)
}

fn gen_iter(_vm: &mut Vm, a: &super::Args) -> PyResult {
    Ok(a.get(0))
}

fn gen_close_method(vm: &mut Vm, a: &super::Args) -> PyResult {
    let g = gen_arg(vm, a)?;
    vm.gen_close(g);
    Ok(vm.sp.none)
}

fn gen_throw_method(vm: &mut Vm, a: &super::Args) -> PyResult {
    super::types::check_args(vm, a, "throw", 2, 4)?;
    let g = gen_arg(vm, a)?;
    let gr = vm.push_root(g);
    let e = vm.make_raisable(a.get(1))?;
    vm.root_set(super::RootSlot::Exc, Some(e));
    let g = vm.root(gr);
    let r = vm.gen_throw(g)?;
    finish(vm, r)
}

/// Nothing to do: suspended frames are traced in place.
pub fn after_collection(_vm: &mut Vm) {}

/// The generator's qualname, for its repr.
pub fn gen_qualname(vm: &Vm, g: Value) -> String {
    // SAFETY: generator layout.
    match unsafe { g.get_ref(GEN_QUALNAME) } {
        Some(q) => vm.str_owned(q),
        None => "?".into(),
    }
}

/// What resuming a generator produced.
pub enum Resumed {
    Yielded(Value),
    Returned(Value),
}

impl Vm {
    /// Creates a generator for a frame that was just set up (arguments bound) at
    /// `f.base`; the frame's slots are moved into the generator.
    pub fn new_generator(&mut self, f: &Frame) -> Value {
        let size = Frame::size(&f.code);
        let ss = self.sp.heap.shadow_stack().base;
        // SAFETY: the frame's slots are pushed.
        let slots: Vec<Option<ObjRef>> =
            (0..size).map(|i| unsafe { *ss.add(f.base + i) }).collect();
        // SAFETY: slot 0 is the function.
        let func = unsafe { Value((*ss.add(f.base)).unwrap_unchecked()) };
        // SAFETY: FUNCTION layout.
        let q = unsafe { func.get_ref(l::FUNC_QUALNAME) };
        let saved = Box::new(Saved {
            frame: f.clone(),
            sp_rel: f.sp - f.base,
            slots,
        });
        // SAFETY: registered fixed layout; safepoint mode: nothing moves.
        let g = Value(unsafe { self.sp.heap.alloc_raw(GENERATOR, 0, false) }.expect("generator"));
        // SAFETY: generator layout, fresh object.
        unsafe {
            g.init_ref(8, Some(self.sp.t.generator));
            g.init_ref(GEN_FUNC, Some(func));
            g.init_ref(GEN_QUALNAME, q);
            *g.ptr::<*mut Saved>(GEN_SAVED) = Box::into_raw(saved);
            g.set::<i64>(GEN_STATE, CREATED);
        }
        g
    }

    /// `next(gen)`: `None` when it finishes.
    pub fn gen_next(&mut self, g: Value) -> PyResult<Option<Value>> {
        let none = self.sp.none;
        match self.gen_resume(g, none)? {
            Resumed::Yielded(v) => Ok(Some(v)),
            Resumed::Returned(_) => Ok(None),
        }
    }

    /// Resumes `g`, sending `sent` (the value of the paused `yield`).
    pub fn gen_resume(&mut self, g: Value, sent: Value) -> PyResult<Resumed> {
        self.gen_resume_ex(g, sent, false)
    }

    /// Resumes `g` by raising the pending exception at its paused `yield`.
    pub fn gen_throw(&mut self, g: Value) -> PyResult<Resumed> {
        // SAFETY: generator layout.
        let state = unsafe { g.get::<i64>(GEN_STATE) };
        if state == CREATED || state == FINISHED {
            // SAFETY: as above.
            unsafe { g.set::<i64>(GEN_STATE, FINISHED) };
            return Err(super::Raised);
        }
        let none = self.sp.none;
        self.gen_resume_ex(g, none, true)
    }

    fn gen_resume_ex(&mut self, g: Value, sent: Value, throw: bool) -> PyResult<Resumed> {
        // SAFETY: generator layout.
        let state = unsafe { g.get::<i64>(GEN_STATE) };
        match state {
            RUNNING => return Err(self.value_error("generator already executing")),
            FINISHED => return Ok(Resumed::Returned(self.sp.none)),
            CREATED if !sent.is(self.sp.none) && !throw => {
                return Err(
                    self.type_error("can't send non-None value to a just-started generator")
                );
            }
            _ => {}
        }
        let mark = self.mark();
        let gr = self.push_root(g);
        let sr = self.push_root(sent);
        // Move the slots onto the shadow stack.
        // SAFETY: generator layout; the box is live while the generator is.
        let saved = unsafe { &mut **g.ptr::<*mut Saved>(GEN_SAVED) };
        let n = saved.slots.len();
        let base = self.push_frame_slots(n)?;
        let ss = self.sp.heap.shadow_stack().base;
        for (i, s) in saved.slots.iter_mut().enumerate() {
            // SAFETY: slots of the new frame.
            unsafe { *ss.add(base + i) = s.take() };
        }
        let exc = if throw { Some(self.take_exc()) } else { None };
        let mut f = saved.frame.clone();
        f.base = base;
        f.sp = base + saved.sp_rel;
        if throw {
            f.throw = true;
        } else if state == SUSPENDED {
            let v = self.root(sr);
            // SAFETY: the value-stack slot the `yield` result goes to.
            unsafe { *ss.add(f.sp) = Some(v.0) };
            f.sp += 1;
        }
        if let Some(e) = exc {
            self.root_set(super::RootSlot::Exc, Some(e));
        }
        // SAFETY: generator layout.
        unsafe { self.root(gr).set::<i64>(GEN_STATE, RUNNING) };
        if self.depth >= self.recursion_limit {
            let g = self.root(gr);
            // SAFETY: generator layout.
            unsafe { g.set::<i64>(GEN_STATE, state) };
            self.restore_slots(g, &f, n);
            self.reset_roots(mark);
            return Err(self.err(
                self.sp.t.recursion_error,
                "maximum recursion depth exceeded",
            ));
        }
        self.depth += 1;
        let r = self.run_frame(&mut f);
        self.depth -= 1;
        let g = self.root(gr);
        let out = match r {
            Ok(Exit::Yield(v)) => {
                let vr = self.push_root(v);
                self.restore_slots(g, &f, n);
                // SAFETY: generator layout.
                unsafe { g.set::<i64>(GEN_STATE, SUSPENDED) };
                Ok(Resumed::Yielded(self.root(vr)))
            }
            Ok(Exit::Return(v)) => {
                // SAFETY: generator layout.
                unsafe { g.set::<i64>(GEN_STATE, FINISHED) };
                Ok(Resumed::Returned(v))
            }
            Err(e) => {
                // SAFETY: generator layout.
                unsafe { g.set::<i64>(GEN_STATE, FINISHED) };
                if self.exc_is(self.sp.t.stop_iteration) {
                    let e2 = self.take_exc();
                    let _ = e2;
                    Err(self.err(self.sp.t.runtime_error, "generator raised StopIteration"))
                } else {
                    Err(e)
                }
            }
        };
        self.reset_roots(mark);
        out
    }

    /// Copies a yielding frame's slots back into its generator.
    fn restore_slots(&mut self, g: Value, f: &Frame, n: usize) {
        let ss = self.sp.heap.shadow_stack().base;
        // SAFETY: `g` is live; the barrier makes an old generator rescanned, since its
        // traced slots are about to change.
        unsafe { self.sp.heap.write_barrier(g.0) };
        // SAFETY: generator layout; the box is live.
        let saved = unsafe { &mut **g.ptr::<*mut Saved>(GEN_SAVED) };
        saved.slots.clear();
        for i in 0..n {
            // SAFETY: the frame's slots.
            saved.slots.push(unsafe { *ss.add(f.base + i) });
        }
        saved.frame = f.clone();
        saved.sp_rel = f.sp - f.base;
    }

    /// One step of `yield from`: `Ok(y)` if the sub-iterator yielded `y`, `Err(r)` if it
    /// finished with result `r`.
    pub fn yield_from_step(&mut self, sub: Value, sent: Value) -> PyResult<Result<Value, Value>> {
        if sub.ty().is(self.sp.t.generator) {
            return Ok(match self.gen_resume(sub, sent)? {
                Resumed::Yielded(v) => Ok(v),
                Resumed::Returned(r) => Err(r),
            });
        }
        if !sent.is(self.sp.none) {
            let name = self.sp.intern("send");
            let m = self.getattr(sub, name)?;
            return match self.call(m, &[sent]) {
                Ok(v) => Ok(Ok(v)),
                Err(e) => {
                    if self.exc_is(self.sp.t.stop_iteration) {
                        let ex = self.take_exc();
                        let v = self.exc_attr(ex, self.n.value).unwrap_or(self.sp.none);
                        Ok(Err(v))
                    } else {
                        Err(e)
                    }
                }
            };
        }
        match self.iter_next(sub)? {
            Some(v) => Ok(Ok(v)),
            None => Ok(Err(self.sp.none)),
        }
    }

    /// `gen.close()`.
    pub fn gen_close(&mut self, g: Value) {
        // SAFETY: generator layout.
        unsafe {
            if g.get::<i64>(GEN_STATE) != RUNNING {
                g.set::<i64>(GEN_STATE, FINISHED);
            }
        }
    }
}
