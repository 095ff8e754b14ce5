//! Exceptions: creating and raising them from Rust, matching, traceback entries, and
//! printing an uncaught exception the way CPython does.
//!
//! Exceptions are instances (mapdict layout) of classes deriving from `BaseException`;
//! `args`, `__traceback__`, `__cause__` and `__context__` are ordinary attributes.
//! Traceback entries are `traceback` objects chained outermost first (`tb_next`).

use super::{PyResult, Raised, RootSlot, Vm};
use thicket_object_model::layout as l;
use thicket_object_model::space::TF_EXCEPTION;
use thicket_object_model::Value;

impl Vm {
    /// A new exception instance of class `ty` with `args`.
    pub fn new_exception(&mut self, ty: Value, args: &[Value]) -> Value {
        let t = self.sp.new_tuple(args);
        let e = self.sp.new_instance(ty);
        let sym = self.sp.str_sym(self.n.args) as u32;
        self.sp.inst_set(e, sym, t);
        e
    }

    /// A new exception of class `ty` with one str argument.
    pub fn new_exception_msg(&mut self, ty: Value, msg: &str) -> Value {
        let m = self.sp.new_str(msg);
        self.new_exception(ty, &[m])
    }

    /// Raises `exc` (an exception instance): records it as pending, with the exception
    /// being handled as its `__context__`.
    pub fn raise(&mut self, exc: Value) -> Raised {
        if let Some(h) = self.root_get(RootSlot::Handled) {
            if !h.is(exc) && !h.is(self.sp.none) {
                let sym = self.sp.str_sym(self.n.context) as u32;
                if self.sp.inst_get(exc, sym).is_none() {
                    self.sp.inst_set(exc, sym, h);
                }
            }
        }
        self.root_set(RootSlot::Exc, Some(exc));
        Raised
    }

    /// Raises a new exception of class `ty` with message `msg`.
    pub fn err(&mut self, ty: Value, msg: impl AsRef<str>) -> Raised {
        let e = self.new_exception_msg(ty, msg.as_ref());
        self.raise(e)
    }

    /// `TypeError(msg)`.
    pub fn type_error(&mut self, msg: impl AsRef<str>) -> Raised {
        let t = self.sp.t.type_error;
        self.err(t, msg)
    }

    /// `ValueError(msg)`.
    pub fn value_error(&mut self, msg: impl AsRef<str>) -> Raised {
        let t = self.sp.t.value_error;
        self.err(t, msg)
    }

    /// `IndexError(msg)`.
    pub fn index_error(&mut self, msg: impl AsRef<str>) -> Raised {
        let t = self.sp.t.index_error;
        self.err(t, msg)
    }

    /// `AttributeError(msg)`.
    pub fn attribute_error(&mut self, msg: impl AsRef<str>) -> Raised {
        let t = self.sp.t.attribute_error;
        self.err(t, msg)
    }

    /// `OverflowError(msg)`.
    pub fn overflow_error(&mut self, msg: impl AsRef<str>) -> Raised {
        let t = self.sp.t.overflow_error;
        self.err(t, msg)
    }

    /// `ZeroDivisionError(msg)`.
    pub fn zero_division(&mut self, msg: impl AsRef<str>) -> Raised {
        let t = self.sp.t.zero_division_error;
        self.err(t, msg)
    }

    /// `KeyError(key)`.
    pub fn key_error(&mut self, key: Value) -> Raised {
        let t = self.sp.t.key_error;
        let e = self.new_exception(t, &[key]);
        self.raise(e)
    }

    /// `StopIteration(value)`.
    pub fn stop_iteration(&mut self, value: Option<Value>) -> Raised {
        let t = self.sp.t.stop_iteration;
        let e = match value {
            Some(v) => self.new_exception(t, &[v]),
            None => self.new_exception(t, &[]),
        };
        let sym = self.sp.str_sym(self.n.value) as u32;
        let v = value.unwrap_or(self.sp.none);
        self.sp.inst_set(e, sym, v);
        self.raise(e)
    }

    /// The pending exception (panics if none: a `Raised` without an exception is a VM
    /// bug).
    pub fn exc(&self) -> Value {
        self.root_get(RootSlot::Exc)
            .expect("thicket: internal error: Raised with no pending exception")
    }

    /// Takes the pending exception.
    pub fn take_exc(&mut self) -> Value {
        let e = self.exc();
        self.root_set(RootSlot::Exc, None);
        e
    }

    /// Whether the pending exception is an instance of `ty`.
    pub fn exc_is(&self, ty: Value) -> bool {
        self.root_get(RootSlot::Exc)
            .is_some_and(|e| self.sp.isinstance(e, ty))
    }

    /// Whether `v` is an exception class.
    pub fn is_exc_class(&self, v: Value) -> bool {
        v.layout() == l::TYPE && self.sp.type_flags(v) & TF_EXCEPTION != 0
    }

    /// Whether `v` is an exception instance.
    pub fn is_exc_instance(&self, v: Value) -> bool {
        self.sp.type_flags(v.ty()) & TF_EXCEPTION != 0
    }

    /// `isinstance(exc, spec)` for an except clause; `spec` a class or a tuple of them.
    pub fn exc_matches(&mut self, exc: Value, spec: Value) -> PyResult<bool> {
        if spec.layout() == l::TUPLE {
            let n = self.sp.tuple_len(spec);
            for i in 0..n {
                let s = self.sp.tuple_items(spec)[i];
                if self.exc_matches(exc, s)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        if !self.is_exc_class(spec) {
            return Err(self.type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            ));
        }
        Ok(self.sp.isinstance(exc, spec))
    }

    /// Reads an exception attribute by name value.
    pub fn exc_attr(&self, exc: Value, name: Value) -> Option<Value> {
        if exc.layout() != l::INSTANCE {
            return None;
        }
        self.sp.inst_get(exc, self.sp.str_sym(name) as u32)
    }

    /// Sets an exception attribute.
    pub fn set_exc_attr(&mut self, exc: Value, name: Value, v: Value) {
        if exc.layout() == l::INSTANCE {
            let sym = self.sp.str_sym(name) as u32;
            self.sp.inst_set(exc, sym, v);
        }
    }

    /// The `args` tuple of an exception.
    pub fn exc_args(&self, exc: Value) -> Value {
        self.exc_attr(exc, self.n.args)
            .filter(|a| a.layout() == l::TUPLE)
            .unwrap_or(self.sp.empty_tuple)
    }

    /// Adds a traceback entry (this frame, this line) to the pending exception.
    pub fn add_traceback(&mut self, code_idx: usize, line: u32) {
        let Some(exc) = self.root_get(RootSlot::Exc) else {
            return;
        };
        if exc.layout() != l::INSTANCE {
            return;
        }
        let prev = self
            .exc_attr(exc, self.n.traceback)
            .filter(|t| t.layout() == l::TRACEBACK);
        let tb = self.sp.alloc(l::TRACEBACK, self.sp.t.traceback);
        // SAFETY: TRACEBACK layout, fresh.
        unsafe {
            tb.init_ref(l::TB_NEXT, prev);
            tb.set::<i64>(l::TB_CODE, code_idx as i64);
            tb.set::<i64>(l::TB_LINE, line as i64);
        }
        let name = self.n.traceback;
        self.set_exc_attr(exc, name, tb);
    }

    /// The message part of `Type: message` for an exception (its `str()`), without
    /// running Python code when the exception's class does not define `__str__`.
    pub fn exc_message(&mut self, exc: Value) -> String {
        let r = self.push_root(exc);
        let s = match self.to_str(exc) {
            Ok(s) => self.str_owned(s),
            Err(Raised) => {
                self.take_exc();
                "<exception str() failed>".into()
            }
        };
        self.reset_roots(r);
        s
    }

    /// Formats an exception and its chain as CPython prints it uncaught.
    pub fn format_exception(&mut self, exc: Value) -> String {
        let mut out = String::new();
        let r = self.push_root(exc);
        let cause = self
            .exc_attr(exc, self.n.cause)
            .filter(|c| !c.is(self.sp.none));
        let context = self
            .exc_attr(exc, self.n.context)
            .filter(|c| !c.is(self.sp.none));
        let suppress = self
            .exc_attr(exc, self.n.suppress_context)
            .is_some_and(|v| v.is(self.sp.true_));
        if let Some(c) = cause {
            out.push_str(&self.format_exception(c));
            out.push_str(
                "\nThe above exception was the direct cause of the following exception:\n\n",
            );
        } else if let (Some(c), false) = (context, suppress) {
            out.push_str(&self.format_exception(c));
            out.push_str(
                "\nDuring handling of the above exception, another exception occurred:\n\n",
            );
        }
        let exc = self.root(r);
        // Traceback entries, outermost first.
        let mut tb = self
            .exc_attr(exc, self.n.traceback)
            .filter(|t| t.layout() == l::TRACEBACK);
        let mut entries = Vec::new();
        while let Some(t) = tb {
            // SAFETY: TRACEBACK layout.
            unsafe {
                entries.push((
                    t.get::<i64>(l::TB_CODE) as usize,
                    t.get::<i64>(l::TB_LINE) as u32,
                ));
                tb = t.get_ref(l::TB_NEXT);
            }
        }
        if !entries.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            for (ci, line) in entries {
                let code = self.codes[ci].clone();
                out.push_str(&format!(
                    "  File \"{}\", line {}, in {}\n",
                    code.filename, line, code.name
                ));
                if let Some(src) = self.sources.get(&*code.filename) {
                    if let Some(text) = src.lines().nth(line as usize - 1) {
                        let t = text.trim();
                        if !t.is_empty() {
                            out.push_str(&format!("    {t}\n"));
                        }
                    }
                }
            }
        }
        let exc = self.root(r);
        let tyname = self.exc_type_display_name(exc.ty());
        let msg = self.exc_message(exc);
        if msg.is_empty() {
            out.push_str(&format!("{tyname}\n"));
        } else {
            out.push_str(&format!("{tyname}: {msg}\n"));
        }
        self.reset_roots(r);
        out
    }

    /// `Type` or `module.Type` as tracebacks print it.
    pub fn exc_type_display_name(&mut self, ty: Value) -> String {
        let name = self.sp.type_name(ty).to_owned();
        if self.sp.type_flags(ty) & thicket_object_model::space::TF_BUILTIN != 0 {
            return name;
        }
        let d = self.sp.type_dict(ty);
        let m = self.n.module;
        match self.sp.dict_get_str(d, m) {
            Some(m)
                if self.is_str(m)
                    && self.sp.str_of(m) != "builtins"
                    && self.sp.str_of(m) != "__main__" =>
            {
                format!("{}.{}", self.sp.str_of(m), name)
            }
            _ => name,
        }
    }
}
