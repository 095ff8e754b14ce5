//! The virtual machine: the interpreter state ([`Vm`]), the calling convention shared by
//! Python functions and Rust-implemented ones ([`Args`], [`NativeFn`]), exceptions as
//! Rust errors ([`Raised`]), and rooting.
//!
//! **Rooting.** The heap collects only at safepoints (function entry, loop back-edges).
//! Rust code may hold `Value`s freely until it calls something that can run Python code
//! (`call`, `getattr`, `eq`, `hash`, `repr`, `next`, ...): across such a call, keep values
//! on the shadow stack (`push_root`/`root`) and read them back. Never keep `Value`s in a
//! Rust `Vec` across such a call (use a heap list). An interpreter frame truncates the
//! shadow stack when a call returns, so roots pushed by a native need no cleanup.

pub mod attr;
pub mod attr_cache;
pub mod builtins;
pub mod builtins_more;
pub mod call;
pub mod exc;
pub mod frame;
pub mod gen;
pub mod import;
pub mod iter;
pub mod modules;
pub mod names;
pub mod ops;
pub mod repr;
pub mod types;

use crate::bytecode::Code;
use std::collections::HashMap;
use std::rc::Rc;
use thicket_gc::ObjRef;
use thicket_object_model::layout as l;
use thicket_object_model::{Space, Value};

/// An exception was raised: the exception object is in the VM (`Vm::take_exc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raised;

/// The result of anything that may raise.
pub type PyResult<T = Value> = Result<T, Raised>;

/// A Rust function callable from Python.
pub type NativeFn = fn(&mut Vm, &Args) -> PyResult;

/// A registered native function.
#[derive(Clone)]
pub struct NativeDef {
    pub name: &'static str,
    pub f: NativeFn,
    /// A method of a built-in type: bound to the instance when looked up through it.
    pub method: bool,
}

/// Arguments of a call, living on the shadow stack (so they are roots, and reading them
/// again after a collection gives the moved objects): `npos` positional values, then
/// `nkw` keyword values, then (if `nkw > 0`) the tuple of keyword names.
pub struct Args {
    base: *const Option<ObjRef>,
    npos: usize,
    nkw: usize,
}

impl Args {
    /// # Safety
    /// `base` must point at `npos + nkw` (+1 if `nkw > 0`) filled shadow-stack slots that
    /// stay in place while the `Args` is used.
    pub unsafe fn new(base: *const Option<ObjRef>, npos: usize, nkw: usize) -> Args {
        Args { base, npos, nkw }
    }

    /// Number of positional arguments.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.npos
    }

    /// Whether there are no positional arguments.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.npos == 0
    }

    /// Positional argument `i` (< `len`).
    #[inline(always)]
    pub fn get(&self, i: usize) -> Value {
        debug_assert!(i < self.npos);
        // SAFETY: `i` is within the filled slots (constructor contract).
        unsafe { Value(std::ptr::read(self.base.add(i)).unwrap_unchecked()) }
    }

    /// Positional argument `i` if given.
    #[inline(always)]
    pub fn opt(&self, i: usize) -> Option<Value> {
        (i < self.npos).then(|| self.get(i))
    }

    /// Number of keyword arguments.
    #[inline(always)]
    pub fn nkw(&self) -> usize {
        self.nkw
    }

    /// Keyword argument `i`: (name, value).
    pub fn kw_at(&self, i: usize) -> (Value, Value) {
        // SAFETY: constructor contract: names tuple after the values.
        unsafe {
            let names =
                Value(std::ptr::read(self.base.add(self.npos + self.nkw)).unwrap_unchecked());
            let v = Value(std::ptr::read(self.base.add(self.npos + i)).unwrap_unchecked());
            let name = *names.ptr::<Value>(l::TUPLE_ITEMS + 8 * i);
            (name, v)
        }
    }

    /// The keyword argument called `name`, if given.
    pub fn kw(&self, sp: &Space, name: &str) -> Option<Value> {
        (0..self.nkw).find_map(|i| {
            let (k, v) = self.kw_at(i);
            (sp.str_of(k) == name).then_some(v)
        })
    }

    /// Raw pointer to the first slot (for forwarding).
    pub fn base(&self) -> *const Option<ObjRef> {
        self.base
    }
}

/// Slots of the VM's own root array.
#[derive(Clone, Copy)]
#[repr(usize)]
pub enum RootSlot {
    /// The exception being raised.
    Exc = 0,
    /// The exception being handled (for bare `raise` and `__context__`).
    Handled,
    /// The builtins module's dict.
    Builtins,
    /// `sys.modules`.
    Modules,
    /// The `sys` module.
    Sys,
    /// `sys.path` (a list).
    Path,
    /// gc hooks object (`gc.hooks`).
    GcHooks,
    /// Events recorded for the gc hooks (a list).
    GcEvents,
    /// `sys.argv`.
    Argv,
    /// Constants-and-names tuple of every code object, by code index (a list).
    Consts,
    /// The `__main__` module.
    Main,
    Count,
}

/// The interpreter.
pub struct Vm {
    /// The object space.
    pub sp: Space,
    /// Interned names used by the VM.
    pub n: names::Names,
    /// Every code object loaded, by index (functions name theirs by index).
    pub codes: Vec<Rc<Code>>,
    /// Rust functions callable from Python, by index.
    pub natives: Vec<NativeDef>,
    native_index: HashMap<&'static str, usize>,
    roots: Value,
    /// Source text by file name (for tracebacks).
    pub sources: HashMap<String, Rc<str>>,
    /// Python call depth (RecursionError past `recursion_limit`).
    pub depth: usize,
    pub recursion_limit: usize,
    /// Type attribute cache (see `attr_cache.rs`).
    pub method_cache: attr_cache::AttrCache,
    /// Embedded pure-Python library modules: dotted name -> (file name, source).
    pub lib_modules: HashMap<&'static str, (&'static str, &'static str)>,
    /// Whether the `gc` module's automatic collection is enabled (`gc.disable()`).
    pub gc_enabled: bool,
    /// The random generator of the `random` module.
    pub random: thicket_object_model::random::Random,
    /// Start of the process, for `time.perf_counter`.
    pub start: std::time::Instant,
    /// Buffered standard output.
    pub out: std::io::BufWriter<std::io::Stdout>,
    /// Native indices of `object.__new__` and `object.__init__` (instantiation skips
    /// calling them).
    pub object_new_native: usize,
    pub object_init_native: usize,
    /// Containers whose repr is being computed (recursion guard).
    pub repr_stack: Vec<usize>,
    /// (shadow-stack base, code index, next instruction as of the frame's last call
    /// out) of each running Python frame, innermost last (for `locals()`, `globals()`,
    /// `dir()`, and the caller's line for warnings).
    pub frame_stack: Vec<(usize, usize, usize)>,
    /// The C-API state, made when the first extension module is imported.
    pub capi: Option<Box<crate::capi::Capi>>,
}

impl Vm {
    /// A VM on a new space with the given GC configuration.
    pub fn new(config: thicket_gc::GcConfig) -> Box<Vm> {
        let mut sp = Space::new(config);
        // SAFETY: REFARRAY layout; non-moving and made immortal, so the Value stays valid.
        let roots = unsafe {
            Value(
                sp.heap
                    .alloc_nonmoving_raw(l::REFARRAY, RootSlot::Count as usize)
                    .expect("roots"),
            )
        };
        sp.make_immortal(roots);
        let n = names::Names::new(&mut sp);
        let mut vm = Box::new(Vm {
            sp,
            n,
            codes: Vec::new(),
            natives: Vec::new(),
            native_index: HashMap::new(),
            roots,
            sources: HashMap::new(),
            depth: 0,
            recursion_limit: 1000,
            method_cache: attr_cache::AttrCache::default(),
            lib_modules: HashMap::new(),
            gc_enabled: true,
            random: thicket_object_model::random::Random::new_from_os(),
            start: std::time::Instant::now(),
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
            repr_stack: Vec::new(),
            object_new_native: usize::MAX,
            object_init_native: usize::MAX,
            frame_stack: Vec::new(),
            capi: None,
        });
        gen::register_layout(&mut vm);
        types::install(&mut vm);
        gen::install(&mut vm);
        builtins::install(&mut vm);
        modules::install(&mut vm);
        vm
    }

    // ------------------------------------------------------------------ roots

    /// Reads a VM root.
    #[inline(always)]
    pub fn root_get(&self, s: RootSlot) -> Option<Value> {
        // SAFETY: the root array has `Count` slots.
        unsafe { self.roots.get_ref(l::ARRAY_ITEMS + 8 * s as usize) }
    }

    /// Writes a VM root.
    #[inline(always)]
    pub fn root_set(&mut self, s: RootSlot, v: Option<Value>) {
        // SAFETY: as above.
        unsafe {
            self.sp
                .store_item(self.roots, l::ARRAY_ITEMS, s as usize, v)
        }
    }

    /// The builtins namespace.
    pub fn builtins(&self) -> Value {
        self.root_get(RootSlot::Builtins)
            .expect("builtins installed")
    }

    /// Pushes a value on the shadow stack; returns its index for [`Vm::root`].
    #[inline(always)]
    pub fn push_root(&mut self, v: Value) -> usize {
        let ss = self.sp.heap.shadow_stack();
        let i = ss.len();
        ss.push(Some(v.0));
        i
    }

    /// Pushes an optional value.
    #[inline(always)]
    pub fn push_root_opt(&mut self, v: Option<Value>) -> usize {
        let ss = self.sp.heap.shadow_stack();
        let i = ss.len();
        ss.push(v.map(|v| v.0));
        i
    }

    /// The (current address of the) value rooted at `i`.
    #[inline(always)]
    pub fn root(&mut self, i: usize) -> Value {
        self.root_opt(i).expect("rooted value")
    }

    /// The optional value rooted at `i`.
    #[inline(always)]
    pub fn root_opt(&mut self, i: usize) -> Option<Value> {
        let ss = self.sp.heap.shadow_stack();
        debug_assert!(i < ss.len());
        // SAFETY: `i` < len: a slot in use.
        unsafe { (*ss.base.add(i)).map(Value) }
    }

    /// Replaces the value rooted at `i`.
    #[inline(always)]
    pub fn set_root(&mut self, i: usize, v: Option<Value>) {
        let ss = self.sp.heap.shadow_stack();
        debug_assert!(i < ss.len());
        // SAFETY: as above.
        unsafe { *ss.base.add(i) = v.map(|v| v.0) }
    }

    /// Current shadow-stack height (a mark for [`Vm::reset_roots`]).
    #[inline(always)]
    pub fn mark(&mut self) -> usize {
        self.sp.heap.shadow_stack().len()
    }

    /// Drops roots down to `mark`.
    #[inline(always)]
    pub fn reset_roots(&mut self, mark: usize) {
        self.sp.heap.shadow_stack().truncate(mark)
    }

    /// Runs a due collection (values outside roots become invalid).
    #[inline(always)]
    pub fn safepoint(&mut self) {
        if self.sp.heap.collection_requested() {
            self.collect_now();
        }
    }

    #[cold]
    fn collect_now(&mut self) {
        self.sp.safepoint();
        self.method_cache.clear();
        gen::after_collection(self);
        modules::gc::deliver_hooks(self);
    }

    // ------------------------------------------------------------------ natives

    /// Registers a native function and returns its index.
    pub fn register_native(&mut self, name: &'static str, f: NativeFn, method: bool) -> usize {
        let i = self.natives.len();
        self.natives.push(NativeDef { name, f, method });
        self.native_index.entry(name).or_insert(i);
        i
    }

    /// A builtin-function object for native `idx`, bound to `bound` if given.
    pub fn new_builtin(&mut self, idx: usize, bound: Option<Value>) -> Value {
        let name = self.sp.intern(self.natives[idx].name);
        let b = self.sp.alloc(l::BUILTIN, self.sp.t.builtin_function);
        // SAFETY: BUILTIN layout, fresh object.
        unsafe {
            b.set::<i64>(l::BUILTIN_FN, idx as i64);
            b.init_ref(l::BUILTIN_SELF, bound);
            b.init_ref(l::BUILTIN_NAME, Some(name));
        }
        b
    }

    /// Adds a native function to a namespace dict under `name`.
    pub fn add_native(&mut self, ns: Value, name: &'static str, f: NativeFn) {
        let r = self.push_root(ns);
        let i = self.register_native(name, f, false);
        let b = self.new_builtin(i, None);
        let ns = self.root(r);
        self.sp.dict_set_name(ns, name, b);
        self.reset_roots(r);
    }

    /// Adds a method (bound on lookup through an instance) to a type's namespace.
    pub fn add_method(&mut self, ty: Value, name: &'static str, f: NativeFn) -> usize {
        let i = self.register_native(name, f, true);
        let b = self.new_builtin(i, None);
        let d = self.sp.type_dict(ty);
        self.sp.dict_set_name(d, name, b);
        i
    }

    // ------------------------------------------------------------------ helpers

    /// Interned str for a Rust string.
    #[inline]
    pub fn name(&mut self, s: &str) -> Value {
        self.sp.intern(s)
    }

    /// A new str.
    #[inline]
    pub fn new_str(&mut self, s: &str) -> Value {
        self.sp.new_str(s)
    }

    /// The text of a str object, copied.
    pub fn str_owned(&self, v: Value) -> String {
        self.sp.str_of(v).to_owned()
    }

    /// Whether `v` is a str (exactly, by layout).
    #[inline(always)]
    pub fn is_str(&self, v: Value) -> bool {
        v.layout() == l::STR
    }

    /// `None`.
    #[inline(always)]
    pub fn none(&self) -> Value {
        self.sp.none
    }

    /// The Python type name of a value (for messages).
    pub fn type_name(&self, v: Value) -> String {
        self.sp.type_data(v.ty()).name.to_string()
    }

    /// Writes text to standard output (buffered; flushed at exit and before stderr).
    pub fn write_out(&mut self, s: &str) {
        use std::io::Write;
        let _ = self.out.write_all(s.as_bytes());
    }

    /// Flushes standard output.
    pub fn flush_out(&mut self) {
        use std::io::Write;
        let _ = self.out.flush();
    }

    /// Validates the method cache against the type version and collection count.
    #[inline(always)]
    pub fn cache_check(&mut self) {
        let stamp = (self.sp.type_version, self.sp.heap.minor_count());
        self.method_cache.validate(stamp);
    }
}
