//! Calls: dispatch on the callable's kind, binding arguments to a Python function's
//! parameters (with CPython's error messages), creating functions and classes, and
//! instantiating types.

use super::frame::{Exit, Frame, F_CONSTS, F_FIXED, F_FUNC, F_GLOBALS, F_LOCALS};
use super::{Args, PyResult, RootSlot, Vm};
use crate::bytecode::Const;
use thicket_object_model::layout as l;
use thicket_object_model::{Kind, Value};

impl Vm {
    /// Calls `f` with positional arguments given as a Rust slice (they are copied onto
    /// the shadow stack first, so they are roots during the call).
    pub fn call(&mut self, f: Value, args: &[Value]) -> PyResult {
        let mark = self.mark();
        let fr = self.push_root(f);
        let base = self.mark();
        for &a in args {
            self.push_root(a);
        }
        let ss = self.sp.heap.shadow_stack().base;
        // SAFETY: `args.len()` slots just pushed at `base`.
        let a = unsafe { Args::new(ss.add(base), args.len(), 0) };
        let f = self.root(fr);
        let r = self.call_value(f, &a);
        self.reset_roots(mark);
        r
    }

    /// Calls `f(*args_tuple, **kwargs)`.
    pub fn call_ex(&mut self, f: Value, args: Value, kwargs: Option<Value>) -> PyResult {
        let mark = self.mark();
        let r = self.call_ex_inner(f, args, kwargs);
        self.reset_roots(mark);
        r
    }

    fn call_ex_inner(&mut self, f: Value, args: Value, kwargs: Option<Value>) -> PyResult {
        let mark = self.mark();
        let fr = self.push_root(f);
        let kr = self.push_root_opt(kwargs);
        let args_t = if args.layout() == l::TUPLE {
            args
        } else {
            let lst = self.list_from_iter(args)?;
            let items = self.sp.list_items(lst).to_vec();
            self.sp.new_tuple(&items)
        };
        let n = self.sp.tuple_len(args_t);
        let base = self.mark();
        for i in 0..n {
            let v = self.sp.tuple_items(args_t)[i];
            self.push_root(v);
        }
        let mut nkw = 0;
        let kwargs = self.root_opt(kr);
        if let Some(kw) = kwargs {
            if kw.layout() != l::DICT {
                let fv = self.root(fr);
                let fname = self.callable_name(fv);
                return Err(self.type_error(format!(
                    "{fname} argument after ** must be a mapping, not {}",
                    self.type_name(kw)
                )));
            }
            let items = self.sp.dict_items(kw);
            let mut names = Vec::with_capacity(items.len());
            for (k, v) in items {
                if !self.is_str(k) {
                    return Err(self.type_error("keywords must be strings"));
                }
                self.push_root(v);
                names.push(k);
                nkw += 1;
            }
            let t = self.sp.new_tuple(&names);
            self.push_root(t);
        }
        let ss = self.sp.heap.shadow_stack().base;
        // SAFETY: slots just pushed: n positional, nkw values, the names tuple.
        let a = unsafe { Args::new(ss.add(base), n, nkw) };
        let f = self.root(fr);
        let r = self.call_value(f, &a);
        self.reset_roots(mark);
        r
    }

    /// Calls `f` with arguments already on the shadow stack.
    pub fn call_value(&mut self, f: Value, args: &Args) -> PyResult {
        match f.layout() {
            l::FUNCTION => self.call_function(f, args, None),
            l::BUILTIN => {
                // SAFETY: BUILTIN layout.
                let (idx, bound) = unsafe {
                    (
                        f.get::<i64>(l::BUILTIN_FN) as usize,
                        f.get_ref(l::BUILTIN_SELF),
                    )
                };
                let nf = self.natives[idx].f;
                match bound {
                    None => nf(self, args),
                    Some(s) => {
                        let mark = self.mark();
                        let a = self.prepend_arg(s, args);
                        let r = nf(self, &a);
                        self.reset_roots(mark);
                        r
                    }
                }
            }
            l::METHOD => {
                // SAFETY: METHOD layout.
                let (func, selfv) = unsafe {
                    (
                        f.get_ref(l::METHOD_FUNC).unwrap_unchecked(),
                        f.get_ref(l::METHOD_SELF).unwrap_unchecked(),
                    )
                };
                if func.layout() == l::FUNCTION {
                    return self.call_function(func, args, Some(selfv));
                }
                let mark = self.mark();
                let fr = self.push_root(func);
                let a = self.prepend_arg(selfv, args);
                let func = self.root(fr);
                let r = self.call_value(func, &a);
                self.reset_roots(mark);
                r
            }
            l::TYPE => self.call_type(f, args),
            _ if crate::capi::cfunc::is_cfunc(self, f) => {
                crate::capi::cfunc::call_cfunc(self, f, args)
            }
            _ if crate::capi::ctype::is_cslot(self, f) => {
                crate::capi::ctype::call_cslot(self, f, args)
            }
            _ => {
                let call = self.lookup_type_attr(f.ty(), self.n.call);
                match call {
                    Some(c) => {
                        let mark = self.mark();
                        let cr = self.push_root(c);
                        let a = self.prepend_arg(f, args);
                        let c = self.root(cr);
                        let r = self.call_value(c, &a);
                        self.reset_roots(mark);
                        r
                    }
                    None => {
                        Err(self
                            .type_error(format!("'{}' object is not callable", self.type_name(f))))
                    }
                }
            }
        }
    }

    /// Copies `[first, args...]` (and keywords) to the top of the shadow stack.
    pub fn prepend_arg(&mut self, first: Value, args: &Args) -> Args {
        let base = self.mark();
        self.push_root(first);
        for i in 0..args.len() {
            let v = args.get(i);
            self.push_root(v);
        }
        let nkw = args.nkw();
        if nkw > 0 {
            for i in 0..nkw {
                let (_, v) = args.kw_at(i);
                self.push_root(v);
            }
            // SAFETY: the names tuple follows the keyword values.
            let names = unsafe { Value((*args.base().add(args.len() + nkw)).unwrap_unchecked()) };
            self.push_root(names);
        }
        let ss = self.sp.heap.shadow_stack().base;
        // SAFETY: slots just pushed.
        unsafe { Args::new(ss.add(base), args.len() + 1, nkw) }
    }

    /// A readable name of a callable for messages (`f()`, `A.m()`).
    pub fn callable_name(&self, f: Value) -> String {
        match f.layout() {
            l::FUNCTION => {
                // SAFETY: FUNCTION layout.
                let q = unsafe { f.get_ref(l::FUNC_QUALNAME).unwrap_unchecked() };
                format!("{}()", self.sp.str_of(q))
            }
            l::BUILTIN => {
                // SAFETY: BUILTIN layout.
                let n = unsafe { f.get_ref(l::BUILTIN_NAME).unwrap_unchecked() };
                format!("{}()", self.sp.str_of(n))
            }
            _ => format!("{}()", self.type_name(f)),
        }
    }

    /// Creates a function object for code `code_idx`.
    pub fn make_function(
        &mut self,
        code_idx: usize,
        globals: Value,
        defaults: Option<Value>,
        kwdefaults: Option<Value>,
        closure: Option<Value>,
    ) -> Value {
        let code = self.codes[code_idx].clone();
        let name = self.sp.intern(&code.name);
        let qualname = self.sp.new_str(&code.qualname);
        let doc = match &code.doc {
            Some(d) => self.sp.new_str(d),
            None => self.sp.none,
        };
        let consts = self.consts_of(code_idx);
        let modname = self.sp.dict_get_str(globals, self.n.name);
        let f = self.sp.alloc(l::FUNCTION, self.sp.t.function);
        // SAFETY: FUNCTION layout, fresh.
        unsafe {
            f.set::<i64>(l::FUNC_CODE, code_idx as i64);
            f.init_ref(l::FUNC_GLOBALS, Some(globals));
            f.init_ref(l::FUNC_DEFAULTS, defaults);
            f.init_ref(l::FUNC_KWDEFAULTS, kwdefaults);
            f.init_ref(l::FUNC_CLOSURE, closure);
            f.init_ref(l::FUNC_NAME, Some(name));
            f.init_ref(l::FUNC_QUALNAME, Some(qualname));
            f.init_ref(l::FUNC_CONSTS, Some(consts));
            f.init_ref(l::FUNC_MODULE, modname);
            f.init_ref(l::FUNC_DOC, Some(doc));
        }
        f
    }

    /// Registers a compiled code object (and, recursively, the code objects among its
    /// constants); returns its index.
    pub fn register_code(&mut self, code: std::rc::Rc<crate::bytecode::Code>) -> usize {
        let idx = self.codes.len();
        self.codes.push(code.clone());
        // Reserve the code's slot in the constants list before nested code objects
        // (registered while materialising the constants) take theirs.
        let list = match self.root_get(RootSlot::Consts) {
            Some(l0) => l0,
            None => {
                let l0 = self.sp.new_list(&[]);
                self.root_set(RootSlot::Consts, Some(l0));
                l0
            }
        };
        debug_assert_eq!(self.sp.list_len(list), idx);
        let none = self.sp.none;
        self.sp.list_append(list, none);
        // Materialise constants and names into one tuple: consts then names.
        let mark = self.mark();
        let base = self.mark();
        for c in &code.consts {
            let v = self.const_value(c);
            self.push_root(v);
        }
        for n in &code.names {
            let v = self.sp.intern(n);
            self.push_root(v);
        }
        let total = code.consts.len() + code.names.len();
        let t = self.sp.new_tuple_uninit(total);
        for i in 0..total {
            let v = self.root(base + i);
            self.sp.tuple_init(t, i, v);
        }
        let list = self.root_get(RootSlot::Consts).expect("consts list");
        self.sp.list_set(list, idx, t);
        self.reset_roots(mark);
        idx
    }

    /// The constants-and-names tuple of code `idx`.
    pub fn consts_of(&self, idx: usize) -> Value {
        let list = self.root_get(RootSlot::Consts).expect("consts list");
        self.sp.list_items(list)[idx]
    }

    fn const_value(&mut self, c: &Const) -> Value {
        match c {
            Const::None => self.sp.none,
            Const::True => self.sp.true_,
            Const::False => self.sp.false_,
            Const::Ellipsis => self.sp.ellipsis,
            Const::Int(i) => self.sp.new_int(*i),
            Const::BigInt(b) => self.sp.new_bigint(b),
            Const::Float(f) => self.sp.new_float(*f),
            Const::Str(s) => {
                // Identifier-like strings are interned, as CPython does.
                if s.len() < 40 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    self.sp.intern(s)
                } else {
                    self.sp.new_str(s)
                }
            }
            Const::Bytes(b) => self.sp.new_bytes(b),
            Const::Tuple(items) => {
                let mark = self.mark();
                let base = self.mark();
                for it in items.iter() {
                    let v = self.const_value(it);
                    self.push_root(v);
                }
                let n = items.len();
                let t = self.sp.new_tuple_uninit(n);
                for i in 0..n {
                    let v = self.root(base + i);
                    self.sp.tuple_init(t, i, v);
                }
                self.reset_roots(mark);
                t
            }
            Const::Code(code) => {
                let idx = self.register_code(code.clone());
                self.sp.new_int(idx as i64)
            }
        }
    }

    /// Calls a Python function: binds the arguments into a new frame and runs it (or
    /// returns a generator).
    pub fn call_function(&mut self, func: Value, args: &Args, self_arg: Option<Value>) -> PyResult {
        // SAFETY: FUNCTION layout.
        let code_idx = unsafe { func.get::<i64>(l::FUNC_CODE) } as usize;
        let code = self.codes[code_idx].clone();
        if self.depth >= self.recursion_limit {
            return Err(self.err(
                self.sp.t.recursion_error,
                "maximum recursion depth exceeded",
            ));
        }
        let size = Frame::size(&code);
        let base = self.push_frame_slots(size)?;
        let ss = self.sp.heap.shadow_stack().base;
        // SAFETY: slots of the new frame.
        unsafe {
            *ss.add(base + F_FUNC) = Some(func.0);
            *ss.add(base + F_GLOBALS) = func.get_ref(l::FUNC_GLOBALS).map(|v| v.0);
            *ss.add(base + F_CONSTS) = func.get_ref(l::FUNC_CONSTS).map(|v| v.0);
        }
        if let Err(e) = self.bind_args(&code, base, func, args, self_arg) {
            self.reset_roots(base);
            return Err(e);
        }
        // Cells: fresh ones for cellvars (parameters copied in), the closure's for
        // freevars.
        let ncell = code.cellvars.len();
        if code.n_cells() > 0 {
            let cells0 = base + F_FIXED + code.varnames.len();
            for i in 0..ncell {
                let c = self.sp.new_cell(None);
                // SAFETY: a cell slot of the new frame.
                unsafe { *ss.add(cells0 + i) = Some(c.0) };
            }
            for &(ci, vi) in &code.cell_params {
                // SAFETY: slots of the new frame.
                unsafe {
                    let v = (*ss.add(base + F_FIXED + vi as usize)).map(Value);
                    let c = Value((*ss.add(cells0 + ci as usize)).unwrap_unchecked());
                    c.init_ref(l::CELL_VALUE, v);
                }
            }
            // SAFETY: FUNCTION layout; the closure tuple holds the free cells in order.
            let func = unsafe { Value((*ss.add(base + F_FUNC)).unwrap_unchecked()) };
            if let Some(cl) = unsafe { func.get_ref(l::FUNC_CLOSURE) } {
                let items = self.sp.tuple_items(cl).to_vec();
                for (j, c) in items.into_iter().enumerate() {
                    // SAFETY: a free-cell slot of the new frame.
                    unsafe { *ss.add(cells0 + ncell + j) = Some(c.0) };
                }
            }
        }
        let mut f = Frame::new(code.clone(), code_idx, base);
        if code.generator {
            let g = self.new_generator(&f);
            self.reset_roots(base);
            return Ok(g);
        }
        self.safepoint();
        self.depth += 1;
        let r = self.run_frame(&mut f);
        self.depth -= 1;
        self.reset_roots(base);
        match r? {
            Exit::Return(v) => Ok(v),
            Exit::Yield(_) => unreachable!("yield outside a generator"),
        }
    }

    /// Binds call arguments into the fast locals of a new frame at `base`.
    fn bind_args(
        &mut self,
        code: &crate::bytecode::Code,
        base: usize,
        func: Value,
        args: &Args,
        self_arg: Option<Value>,
    ) -> PyResult<()> {
        let ss = self.sp.heap.shadow_stack().base;
        let loc = base + F_FIXED;
        let argc = code.argcount as usize;
        let kwonly = code.kwonlyargcount as usize;
        let extra_self = self_arg.is_some() as usize;
        let npos = args.len() + extra_self;
        let get_pos = |i: usize| -> Value {
            if extra_self == 1 {
                if i == 0 {
                    self_arg.expect("self")
                } else {
                    args.get(i - 1)
                }
            } else {
                args.get(i)
            }
        };
        let set = |i: usize, v: Value| {
            // SAFETY: a local slot of the new frame.
            unsafe { *ss.add(loc + i) = Some(v.0) };
        };
        let is_set = |i: usize| -> bool {
            // SAFETY: as above.
            unsafe { (*ss.add(loc + i)).is_some() }
        };
        // Fast path: exact positional call.
        if npos == argc && args.nkw() == 0 && !code.varargs && !code.varkw && kwonly == 0 {
            for i in 0..npos {
                set(i, get_pos(i));
            }
            return Ok(());
        }
        // SAFETY: FUNCTION layout.
        let qualv = unsafe { func.get_ref(l::FUNC_QUALNAME).unwrap_unchecked() };
        let qualname = self.sp.str_of(qualv).to_owned();
        let qual = || qualname.clone();
        let ntake = npos.min(argc);
        for i in 0..ntake {
            set(i, get_pos(i));
        }
        let mut next_slot = argc + kwonly;
        if code.varargs {
            let rest: Vec<Value> = (ntake..npos).map(get_pos).collect();
            let t = self.sp.new_tuple(&rest);
            set(next_slot, t);
            next_slot += 1;
        } else if npos > argc {
            let q = qual();
            // SAFETY: FUNCTION layout.
            let ndef =
                unsafe { func.get_ref(l::FUNC_DEFAULTS) }.map_or(0, |d| self.sp.tuple_len(d));
            let takes = if ndef > 0 {
                format!("from {} to {} positional arguments", argc - ndef, argc)
            } else {
                format!(
                    "{} positional argument{}",
                    argc,
                    if argc == 1 { "" } else { "s" }
                )
            };
            let kwgiven = args.nkw();
            let given = if kwgiven > 0 {
                format!(
                    "{npos} positional argument{} (and {kwgiven} keyword-only argument{}) were given",
                    if npos == 1 { "" } else { "s" },
                    if kwgiven == 1 { "" } else { "s" }
                )
            } else {
                format!("{npos} {} given", if npos == 1 { "was" } else { "were" })
            };
            return Err(self.type_error(format!("{q}() takes {takes} but {given}")));
        }
        let kwdict = if code.varkw {
            let d = self.sp.new_dict();
            set(next_slot, d);
            Some(next_slot)
        } else {
            None
        };
        for k in 0..args.nkw() {
            let (name, v) = args.kw_at(k);
            let ns = self.sp.str_of(name);
            let pos = code.varnames[code.posonlyargcount as usize..argc + kwonly]
                .iter()
                .position(|p| &**p == ns)
                .map(|p| p + code.posonlyargcount as usize);
            match pos {
                Some(i) => {
                    if is_set(i) {
                        let q = qual();
                        return Err(self.type_error(format!(
                            "{q}() got multiple values for argument '{}'",
                            self.sp.str_of(name)
                        )));
                    }
                    set(i, v);
                }
                None => match kwdict {
                    Some(slot) => {
                        // SAFETY: the kwargs dict slot.
                        let d = unsafe { Value((*ss.add(loc + slot)).unwrap_unchecked()) };
                        self.sp.dict_set_str(d, name, v);
                    }
                    None => {
                        let q = qual();
                        return Err(self.type_error(format!(
                            "{q}() got an unexpected keyword argument '{}'",
                            self.sp.str_of(name)
                        )));
                    }
                },
            }
        }
        // Defaults for missing positional parameters.
        // SAFETY: FUNCTION layout.
        let defaults = unsafe { func.get_ref(l::FUNC_DEFAULTS) };
        let ndef = defaults.map_or(0, |d| self.sp.tuple_len(d));
        let mut missing = Vec::new();
        for i in 0..argc {
            if !is_set(i) {
                if i + ndef >= argc {
                    let d = self.sp.tuple_items(defaults.expect("defaults"))[i + ndef - argc];
                    set(i, d);
                } else {
                    missing.push(code.varnames[i].to_string());
                }
            }
        }
        if !missing.is_empty() {
            let q = qual();
            return Err(self.type_error(format!(
                "{q}() missing {} required positional argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                name_list(&missing)
            )));
        }
        // SAFETY: FUNCTION layout.
        let kwdefaults = unsafe { func.get_ref(l::FUNC_KWDEFAULTS) };
        for i in argc..argc + kwonly {
            if !is_set(i) {
                let name = self.sp.intern(&code.varnames[i]);
                match kwdefaults.and_then(|d| self.sp.dict_get_str(d, name)) {
                    Some(v) => set(i, v),
                    None => missing.push(code.varnames[i].to_string()),
                }
            }
        }
        if !missing.is_empty() {
            let q = qual();
            return Err(self.type_error(format!(
                "{q}() missing {} required keyword-only argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                name_list(&missing)
            )));
        }
        Ok(())
    }

    /// `BuildClass`: the body function and name at shadow index `at`, then `nbases` bases.
    pub fn build_class(&mut self, at: usize, nbases: usize) -> PyResult {
        let mark = self.mark();
        let body = self.root(at);
        let name = self.root(at + 1);
        let mut bases = Vec::with_capacity(nbases);
        for i in 0..nbases {
            let b = self.root(at + 2 + i);
            if b.layout() != l::TYPE {
                return Err(self.type_error("bases must be types"));
            }
            bases.push(b);
        }
        for &b in &bases {
            let k = self.sp.type_data(b).kind;
            if matches!(
                k,
                Kind::Bool
                    | Kind::Function
                    | Kind::Builtin
                    | Kind::Generator
                    | Kind::Range
                    | Kind::Slice
            ) {
                return Err(self.type_error(format!(
                    "type '{}' is not an acceptable base type",
                    self.sp.type_name(b)
                )));
            }
        }
        let ns = self.sp.new_dict();
        let nsr = self.push_root(ns);
        // Run the body with `ns` as its local namespace.
        // SAFETY: FUNCTION layout.
        let code_idx = unsafe { body.get::<i64>(l::FUNC_CODE) } as usize;
        let code = self.codes[code_idx].clone();
        let size = Frame::size(&code);
        let base = self.push_frame_slots(size)?;
        let ss = self.sp.heap.shadow_stack().base;
        let body = self.root(at);
        let ns = self.root(nsr);
        // SAFETY: slots of the new frame.
        unsafe {
            *ss.add(base + F_FUNC) = Some(body.0);
            *ss.add(base + F_GLOBALS) = body.get_ref(l::FUNC_GLOBALS).map(|v| v.0);
            *ss.add(base + F_LOCALS) = Some(ns.0);
            *ss.add(base + F_CONSTS) = body.get_ref(l::FUNC_CONSTS).map(|v| v.0);
        }
        let cells0 = base + F_FIXED + code.varnames.len();
        for i in 0..code.cellvars.len() {
            let c = self.sp.new_cell(None);
            // SAFETY: cell slot.
            unsafe { *ss.add(cells0 + i) = Some(c.0) };
        }
        // SAFETY: FUNCTION layout.
        if let Some(cl) = unsafe { self.root(at).get_ref(l::FUNC_CLOSURE) } {
            let items = self.sp.tuple_items(cl).to_vec();
            for (j, c) in items.into_iter().enumerate() {
                // SAFETY: free-cell slot.
                unsafe { *ss.add(cells0 + code.cellvars.len() + j) = Some(c.0) };
            }
        }
        let mut f = Frame::new(code.clone(), code_idx, base);
        self.depth += 1;
        let r = self.run_frame(&mut f);
        self.depth -= 1;
        let ret = match r? {
            Exit::Return(v) => v,
            Exit::Yield(_) => unreachable!(),
        };
        let retr = self.push_root(ret);
        let ns = self.root(nsr);
        let qualname = self
            .sp
            .dict_get_str(ns, self.n.qualname)
            .filter(|q| self.is_str(*q))
            .unwrap_or(name);
        let mut bases = Vec::with_capacity(nbases);
        for i in 0..nbases {
            bases.push(self.root(at + 2 + i));
        }
        let ty = match self.sp.new_class(name, qualname, &bases, ns) {
            Ok(t) => t,
            Err(msg) => return Err(self.type_error(msg)),
        };
        let ret = self.root(retr);
        if ret.layout() == l::CELL {
            // SAFETY: CELL layout.
            unsafe { self.sp.store(ret, l::CELL_VALUE, Some(ty)) };
        }
        // __set_name__ on descriptors of the namespace is not part of the subset.
        self.reset_roots(mark);
        Ok(ty)
    }

    /// Calls a type: `type(x)`, or instantiation through `__new__` and `__init__`.
    pub fn call_type(&mut self, ty: Value, args: &Args) -> PyResult {
        if ty.is(self.sp.t.type_) && args.len() == 1 && args.nkw() == 0 {
            return Ok(args.get(0).ty());
        }
        let td = self.sp.type_data(ty).clone();
        if td.kind != Kind::Instance {
            // Built-in types construct themselves.
            return super::types::construct_builtin(self, ty, td.kind, args);
        }
        let mark = self.mark();
        let tyr = self.push_root(ty);
        // __new__: a user-defined one, or the default.
        let new = self.lookup_type_attr(ty, self.n.new);
        let obj = match new {
            Some(n) if !self.is_default_new(n) => {
                let n = self.unwrap_static(n);
                let tv = self.root(tyr);
                let a = self.prepend_arg(tv, args);
                self.call_value(n, &a)?
            }
            _ => {
                let ty = self.root(tyr);
                self.new_instance_of(ty, args)?
            }
        };
        let objr = self.push_root(obj);
        let ty = self.root(tyr);
        if !self.sp.isinstance(obj, ty) {
            self.reset_roots(mark);
            return Ok(obj);
        }
        let init = self.lookup_type_attr(obj.ty(), self.n.init);
        if let Some(init) = init {
            if !self.is_default_init(init) {
                let obj = self.root(objr);
                let a = self.prepend_arg(obj, args);
                let init = self.lookup_type_attr(obj.ty(), self.n.init).expect("init");
                let r = self.call_value(init, &a)?;
                if !r.is(self.sp.none) {
                    return Err(self.type_error(format!(
                        "__init__() should return None, not '{}'",
                        self.type_name(r)
                    )));
                }
            } else if (!args.is_empty() || args.nkw() > 0)
                && new.is_none_or(|n| self.is_default_new(n))
            {
                let ty = self.root(tyr);
                if self.sp.type_data(ty).base_kind == Kind::Object && !self.is_exc_class(ty) {
                    return Err(
                        self.type_error(format!("{}() takes no arguments", self.sp.type_name(ty)))
                    );
                }
            }
        }
        let obj = self.root(objr);
        self.reset_roots(mark);
        Ok(obj)
    }

    /// A bare instance of class `ty` (`object.__new__`), with the backing built-in value
    /// for subclasses of built-in types, and `args` stored for exceptions.
    pub fn new_instance_of(&mut self, ty: Value, args: &Args) -> PyResult {
        let bk = self.sp.type_data(ty).base_kind;
        let mark = self.mark();
        let tyr = self.push_root(ty);
        let backing = match bk {
            Kind::Object => None,
            Kind::List => Some(self.sp.new_list(&[])),
            Kind::Dict => Some(self.sp.new_dict()),
            Kind::Set => Some(self.sp.new_set(false)),
            _ => {
                // int, str, tuple, float, frozenset, bytes: immutable, built from the
                // arguments by the built-in constructor.
                let base = self.builtin_base(ty);
                let a = if args.nkw() > 0 {
                    // SAFETY: slots of `args` are live shadow-stack slots.
                    unsafe { Args::new(args.base(), args.len(), 0) }
                } else {
                    // SAFETY: as above.
                    unsafe { Args::new(args.base(), args.len(), 0) }
                };
                let kind = self.sp.type_data(base).kind;
                Some(super::types::construct_builtin(self, base, kind, &a)?)
            }
        };
        let br = self.push_root_opt(backing);
        let ty = self.root(tyr);
        let o = self.sp.new_instance(ty);
        if let Some(b) = self.root_opt(br) {
            self.sp.set_inst_backing(o, b);
        }
        if self.is_exc_class(ty) {
            let mut items = Vec::with_capacity(args.len());
            for i in 0..args.len() {
                items.push(args.get(i));
            }
            let t = self.sp.new_tuple(&items);
            let sym = self.sp.str_sym(self.n.args) as u32;
            self.sp.inst_set(o, sym, t);
        }
        if self.is_exc_class(ty) {
            self.init_exc_attrs(o, args);
        }
        self.reset_roots(mark);
        Ok(o)
    }

    /// The attributes some exception classes derive from their arguments:
    /// `SystemExit.code`, `StopIteration.value`, `OSError.errno`/`strerror`/`filename`.
    pub fn init_exc_attrs(&mut self, o: Value, args: &Args) {
        let t = self.sp.t;
        let ty = o.ty();
        let n = args.len();
        let first = args.opt(0).unwrap_or(self.sp.none);
        if self.sp.is_subtype(ty, t.system_exit) {
            let code = if n > 1 { self.exc_args(o) } else { first };
            let k = self.sp.intern("code");
            self.set_exc_attr(o, k, code);
        } else if self.sp.is_subtype(ty, t.stop_iteration) {
            let k = self.n.value;
            self.set_exc_attr(o, k, first);
        } else if self.sp.is_subtype(ty, t.os_error) {
            let none = self.sp.none;
            let (errno, strerror) = if (2..=5).contains(&n) {
                (args.get(0), args.get(1))
            } else {
                (none, none)
            };
            let filename = if (3..=5).contains(&n) {
                args.get(2)
            } else {
                none
            };
            for (name, v) in [
                ("errno", errno),
                ("strerror", strerror),
                ("filename", filename),
            ] {
                let k = self.sp.intern(name);
                self.set_exc_attr(o, k, v);
            }
        }
    }

    /// The nearest built-in type in `ty`'s MRO.
    pub fn builtin_base(&self, ty: Value) -> Value {
        let mro = self.sp.type_mro(ty);
        for &t in self.sp.tuple_items(mro) {
            if self.sp.type_data(t).kind != Kind::Instance {
                return t;
            }
        }
        self.sp.t.object
    }

    fn is_default_new(&self, n: Value) -> bool {
        n.layout() == l::BUILTIN && {
            // SAFETY: BUILTIN layout.
            let idx = unsafe { n.get::<i64>(l::BUILTIN_FN) } as usize;
            idx == self.object_new_native
        }
    }

    fn is_default_init(&self, n: Value) -> bool {
        n.layout() == l::BUILTIN && {
            // SAFETY: BUILTIN layout.
            let idx = unsafe { n.get::<i64>(l::BUILTIN_FN) } as usize;
            idx == self.object_init_native
                && !super::types::containers::is_container_init(self.natives[idx].f)
        }
    }

    /// The function inside a staticmethod wrapper (or the value itself).
    pub fn unwrap_static(&self, v: Value) -> Value {
        if v.ty().is(self.sp.t.staticmethod) {
            // SAFETY: WRAPPER layout.
            unsafe { v.get_ref(l::WRAP_A).unwrap_or(v) }
        } else {
            v
        }
    }

    /// Runs a module's code in namespace `globals`; returns when it finishes.
    pub fn run_module_code(&mut self, code_idx: usize, globals: Value) -> PyResult<()> {
        let code = self.codes[code_idx].clone();
        let gr = self.push_root(globals);
        let size = Frame::size(&code);
        let base = self.push_frame_slots(size)?;
        let ss = self.sp.heap.shadow_stack().base;
        let g = self.root(gr);
        let consts = self.consts_of(code_idx);
        // SAFETY: slots of the new frame.
        unsafe {
            *ss.add(base + F_GLOBALS) = Some(g.0);
            *ss.add(base + F_CONSTS) = Some(consts.0);
        }
        let mut f = Frame::new(code.clone(), code_idx, base);
        self.depth += 1;
        let r = self.run_frame(&mut f);
        self.depth -= 1;
        self.reset_roots(gr);
        r.map(|_| ())
    }
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`.
fn name_list(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        n => format!("{}, and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}
