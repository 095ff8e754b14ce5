//! Attribute access: lookup through the type's MRO (cached per type version), data
//! descriptors (`property`), instance storage (mapdict), binding of functions and
//! built-in methods, `staticmethod`/`classmethod`, `__getattr__`, and the special
//! attributes of built-in objects (`__name__`, `__class__`, `__dict__`, ...).

use super::{PyResult, Vm};
use thicket_object_model::layout as l;
use thicket_object_model::{Kind, Value};

impl Vm {
    /// Looks `name` (an interned str) up in the MRO of type `ty`.
    #[inline]
    pub fn lookup_type_attr(&mut self, ty: Value, name: Value) -> Option<Value> {
        self.cache_check();
        if let Some(v) = self.method_cache.get(ty, name) {
            return v;
        }
        let mro = self.sp.type_mro(ty);
        let n = self.sp.tuple_len(mro);
        let mut found = None;
        for i in 0..n {
            let t = self.sp.tuple_items(mro)[i];
            let d = self.sp.type_dict(t);
            if let Some(v) = self.sp.dict_get_str(d, name) {
                found = Some(v);
                break;
            }
        }
        if self.sp.str_sym(name) >= 0 {
            self.method_cache.put(ty, name, found);
        }
        found
    }

    /// The interned version of an attribute name (names from code are interned already).
    fn attr_name(&mut self, name: Value) -> PyResult<Value> {
        if !self.is_str(name) {
            return Err(self.type_error(format!(
                "attribute name must be string, not '{}'",
                self.type_name(name)
            )));
        }
        Ok(self.sp.intern_value(name))
    }

    /// `getattr(obj, name)`.
    pub fn getattr(&mut self, obj: Value, name: Value) -> PyResult {
        match self.getattr_opt(obj, name)? {
            Some(v) => Ok(v),
            None => Err(self.no_attr(obj, name)),
        }
    }

    /// `getattr(obj, "name")` by Rust string.
    pub fn getattr_str(&mut self, obj: Value, name: &str) -> PyResult {
        let n = self.sp.intern(name);
        self.getattr(obj, n)
    }

    /// The AttributeError for a missing attribute.
    pub fn no_attr(&mut self, obj: Value, name: Value) -> super::Raised {
        let n = self.str_owned(name);
        if obj.layout() == l::TYPE {
            let tn = self.sp.type_name(obj).to_owned();
            return self.attribute_error(format!("type object '{tn}' has no attribute '{n}'"));
        }
        if obj.layout() == l::MODULE {
            // SAFETY: MODULE layout.
            let mn = unsafe { obj.get_ref(l::MODULE_NAME).unwrap_unchecked() };
            let mn = self.str_owned(mn);
            return self.attribute_error(format!("module '{mn}' has no attribute '{n}'"));
        }
        let tn = self.type_name(obj);
        self.attribute_error(format!("'{tn}' object has no attribute '{n}'"))
    }

    /// `getattr` that reports a missing attribute as `None` (other errors still raise).
    pub fn getattr_opt(&mut self, obj: Value, name: Value) -> PyResult<Option<Value>> {
        if obj.layout() == l::INSTANCE
            && self.sp.type_flags(obj.ty()) & thicket_object_model::space::TF_NATIVE_GETATTR != 0
        {
            let name = self.attr_name(name)?;
            return crate::capi::ctype::native_getattr(self, obj, name);
        }
        self.generic_getattr_opt(obj, name)
    }

    /// `object.__getattribute__` (with the `__getattr__` fallback): attribute lookup
    /// that ignores a C type's own `tp_getattro`.
    pub fn generic_getattr_opt(&mut self, obj: Value, name: Value) -> PyResult<Option<Value>> {
        let name = self.attr_name(name)?;
        let ty = obj.ty();
        if ty.is(self.sp.t.super_) {
            if let Some(v) = super::types::super_getattr(self, obj, name)? {
                return Ok(Some(v));
            }
        }
        let tattr = self.lookup_type_attr(ty, name);
        // Data descriptors win over instance attributes.
        if let Some(t) = tattr {
            if t.ty().is(self.sp.t.property) {
                // SAFETY: WRAPPER layout: fget at A.
                let fget = unsafe { t.get_ref(l::WRAP_A) };
                return match fget {
                    Some(g) if !g.is(self.sp.none) => self.call(g, &[obj]).map(Some),
                    _ => {
                        let n = self.str_owned(name);
                        Err(self.attribute_error(format!(
                            "property '{n}' of '{}' object has no getter",
                            self.type_name(obj)
                        )))
                    }
                };
            }
        }
        match obj.layout() {
            l::INSTANCE => {
                let sym = self.sp.str_sym(name) as u32;
                if let Some(v) = self.sp.inst_get(obj, sym) {
                    return Ok(Some(v));
                }
                if name.is(self.n.dict) {
                    return Ok(Some(self.sp.inst_make_dict(obj)));
                }
                if name.is(self.n.class) {
                    return Ok(Some(ty));
                }
                if self.sp.type_flags(ty) & thicket_object_model::space::TF_EXCEPTION != 0 {
                    if name.is(self.n.cause) || name.is(self.n.context) || name.is(self.n.traceback)
                    {
                        return Ok(Some(self.sp.none));
                    }
                    if name.is(self.n.suppress_context) {
                        return Ok(Some(self.sp.false_));
                    }
                }
            }
            l::TYPE => return self.type_getattr(obj, name),
            l::MODULE => {
                // SAFETY: MODULE layout.
                let d = unsafe { obj.get_ref(l::MODULE_DICT).unwrap_unchecked() };
                if let Some(v) = self.sp.dict_get_str(d, name) {
                    return Ok(Some(v));
                }
                if name.is(self.n.dict) {
                    return Ok(Some(d));
                }
            }
            _ => {
                if let Some(v) = self.special_attr(obj, name)? {
                    return Ok(Some(v));
                }
            }
        }
        if let Some(t) = tattr {
            return self.bind(t, obj, ty).map(Some);
        }
        // __getattr__ fallback.
        if obj.layout() == l::INSTANCE {
            if let Some(ga) = self.lookup_type_attr(ty, self.n.getattr) {
                let r = self.call(ga, &[obj, name]);
                return match r {
                    Ok(v) => Ok(Some(v)),
                    Err(e) => {
                        if self.exc_is(self.sp.t.attribute_error) {
                            self.take_exc();
                            Ok(None)
                        } else {
                            Err(e)
                        }
                    }
                };
            }
        }
        Ok(None)
    }

    /// Binds a class attribute found for `obj` (of type `ty`).
    pub fn bind(&mut self, t: Value, obj: Value, ty: Value) -> PyResult {
        match t.layout() {
            l::FUNCTION => Ok(self.new_method(t, obj)),
            l::BUILTIN => {
                // SAFETY: BUILTIN layout.
                let (idx, bound) = unsafe {
                    (
                        t.get::<i64>(l::BUILTIN_FN) as usize,
                        t.get_ref(l::BUILTIN_SELF),
                    )
                };
                if self.natives[idx].method && bound.is_none() {
                    Ok(self.new_builtin(idx, Some(obj)))
                } else {
                    Ok(t)
                }
            }
            l::WRAPPER => {
                let wt = t.ty();
                if wt.is(self.sp.t.staticmethod) {
                    // SAFETY: WRAPPER layout.
                    Ok(unsafe { t.get_ref(l::WRAP_A).unwrap_unchecked() })
                } else if wt.is(self.sp.t.classmethod) {
                    // SAFETY: WRAPPER layout.
                    let f = unsafe { t.get_ref(l::WRAP_A).unwrap_unchecked() };
                    Ok(self.new_method(f, ty))
                } else {
                    Ok(t)
                }
            }
            _ => {
                if crate::capi::ctype::is_method_descr(self, t) {
                    return Ok(self.new_method(t, obj));
                }
                if let Some(b) = crate::capi::ctype::bind_special(self, t, ty) {
                    return Ok(b);
                }
                // A user-defined descriptor: __get__ on its type.
                if t.layout() == l::INSTANCE {
                    if let Some(g) = self.lookup_type_attr(t.ty(), self.n.get) {
                        return self.call(g, &[t, obj, ty]);
                    }
                }
                Ok(t)
            }
        }
    }

    /// A bound method.
    pub fn new_method(&mut self, func: Value, selfv: Value) -> Value {
        let m = self.sp.alloc(l::METHOD, self.sp.t.method);
        // SAFETY: METHOD layout, fresh.
        unsafe {
            m.init_ref(l::METHOD_FUNC, Some(func));
            m.init_ref(l::METHOD_SELF, Some(selfv));
        }
        m
    }

    /// Attribute lookup on a class object: its MRO (classmethods bound to it,
    /// staticmethods unwrapped, functions plain), then the metatype's attributes.
    fn type_getattr(&mut self, ty: Value, name: Value) -> PyResult<Option<Value>> {
        if let Some(v) = self.lookup_type_attr(ty, name) {
            if v.layout() == l::WRAPPER {
                let wt = v.ty();
                if wt.is(self.sp.t.staticmethod) {
                    // SAFETY: WRAPPER layout.
                    return Ok(Some(unsafe { v.get_ref(l::WRAP_A).unwrap_unchecked() }));
                }
                if wt.is(self.sp.t.classmethod) {
                    // SAFETY: WRAPPER layout.
                    let f = unsafe { v.get_ref(l::WRAP_A).unwrap_unchecked() };
                    return Ok(Some(self.new_method(f, ty)));
                }
            }
            if v.layout() == l::INSTANCE {
                if let Some(g) = self.lookup_type_attr(v.ty(), self.n.get) {
                    let none = self.sp.none;
                    return self.call(g, &[v, none, ty]).map(Some);
                }
            }
            if let Some(b) = crate::capi::ctype::bind_special(self, v, ty) {
                return Ok(Some(b));
            }
            return Ok(Some(v));
        }
        let s = self.sp.str_of(name).to_owned();
        let v = match s.as_str() {
            "__name__" => Some(self.sp.intern_value_of_type_name(ty)),
            "__qualname__" => {
                // SAFETY: TYPE layout.
                unsafe { ty.get_ref(l::TYPE_QUALNAME) }
            }
            "__mro__" => Some(self.sp.type_mro(ty)),
            "__bases__" => {
                // SAFETY: TYPE layout.
                unsafe { ty.get_ref(l::TYPE_BASES) }
            }
            "__base__" => {
                let b = self.sp.type_base(ty);
                Some(if b.is(ty) { self.sp.none } else { b })
            }
            "__dict__" => Some(self.sp.type_dict(ty)),
            "__class__" => Some(ty.ty()),
            "__module__" => Some(self.sp.intern("builtins")),
            "__doc__" => Some(self.sp.none),
            _ => None,
        };
        if v.is_some() {
            return Ok(v);
        }
        // Methods of `type` itself (mro(), __subclasses__...).
        let meta = ty.ty();
        if let Some(t) = self.lookup_type_attr(meta, name) {
            return self.bind(t, ty, meta).map(Some);
        }
        Ok(None)
    }

    /// Special attributes of built-in objects.
    fn special_attr(&mut self, obj: Value, name: Value) -> PyResult<Option<Value>> {
        if obj.layout() == l::FUNCTION {
            // SAFETY: FUNCTION layout.
            if let Some(d) = unsafe { obj.get_ref(l::FUNC_DICT) } {
                if let Some(v) = self.sp.dict_get_str(d, name) {
                    return Ok(Some(v));
                }
            }
        }
        let s = self.sp.str_of(name);
        if !(s.starts_with("__")
            || matches!(
                s,
                "real" | "imag" | "start" | "stop" | "step" | "args" | "fget" | "fset" | "fdel"
            ))
        {
            return Ok(None);
        }
        let s = s.to_owned();
        if s == "__class__" {
            return Ok(Some(obj.ty()));
        }
        if crate::capi::cfunc::is_cfunc(self, obj) {
            if let Some(v) = crate::capi::cfunc::cfunc_attr(self, obj, &s) {
                return Ok(Some(v));
            }
        }
        if self.capi.is_some() {
            if let Some(v) = crate::capi::ctype::native_attr(self, obj, &s) {
                return Ok(Some(v));
            }
        }
        let v = match (obj.layout(), s.as_str()) {
            // SAFETY (all arms): the layouts named in the patterns.
            (l::FUNCTION, "__name__") => unsafe { obj.get_ref(l::FUNC_NAME) },
            (l::FUNCTION, "__qualname__") => unsafe { obj.get_ref(l::FUNC_QUALNAME) },
            (l::FUNCTION, "__module__") => {
                unsafe { obj.get_ref(l::FUNC_MODULE) }.or(Some(self.sp.none))
            }
            (l::FUNCTION, "__doc__") => unsafe { obj.get_ref(l::FUNC_DOC) },
            (l::FUNCTION, "__defaults__") => {
                unsafe { obj.get_ref(l::FUNC_DEFAULTS) }.or(Some(self.sp.none))
            }
            (l::FUNCTION, "__globals__") => unsafe { obj.get_ref(l::FUNC_GLOBALS) },
            (l::FUNCTION, "__kwdefaults__") => {
                unsafe { obj.get_ref(l::FUNC_KWDEFAULTS) }.or(Some(self.sp.none))
            }
            (l::WRAPPER, "fget") if obj.ty().is(self.sp.t.property) => unsafe {
                obj.get_ref(l::WRAP_A)
            },
            (l::WRAPPER, "fset") if obj.ty().is(self.sp.t.property) => unsafe {
                obj.get_ref(l::WRAP_B)
            },
            (l::WRAPPER, "fdel") if obj.ty().is(self.sp.t.property) => unsafe {
                obj.get_ref(l::WRAP_C)
            },
            (l::WRAPPER, "__doc__") if obj.ty().is(self.sp.t.property) => {
                // SAFETY: WRAPPER layout: doc at D, the getter at A.
                let doc = unsafe { obj.get_ref(l::WRAP_D) }.filter(|d| !d.is(self.sp.none));
                match doc {
                    Some(d) => Some(d),
                    None => match unsafe { obj.get_ref(l::WRAP_A) } {
                        Some(g) if g.layout() == l::FUNCTION => unsafe { g.get_ref(l::FUNC_DOC) },
                        _ => Some(self.sp.none),
                    },
                }
            }
            (l::WRAPPER, "__func__" | "__wrapped__")
                if obj.ty().is(self.sp.t.staticmethod) || obj.ty().is(self.sp.t.classmethod) =>
            unsafe { obj.get_ref(l::WRAP_A) },
            (l::FUNCTION, "__closure__") => {
                unsafe { obj.get_ref(l::FUNC_CLOSURE) }.or(Some(self.sp.none))
            }
            (l::FUNCTION, "__dict__") => Some(self.function_dict(obj)),
            (l::FUNCTION, _) => {
                // SAFETY: FUNCTION layout.
                match unsafe { obj.get_ref(l::FUNC_DICT) } {
                    Some(d) => self.sp.dict_get_str(d, name),
                    None => None,
                }
            }
            (l::BUILTIN, "__name__" | "__qualname__") => unsafe { obj.get_ref(l::BUILTIN_NAME) },
            (l::BUILTIN, "__self__") => {
                unsafe { obj.get_ref(l::BUILTIN_SELF) }.or(Some(self.sp.none))
            }
            (l::BUILTIN, "__doc__") => Some(self.sp.none),
            (l::BUILTIN, "__module__") => Some(self.sp.none),
            (l::METHOD, "__self__") => unsafe { obj.get_ref(l::METHOD_SELF) },
            (l::METHOD, "__func__") => unsafe { obj.get_ref(l::METHOD_FUNC) },
            (l::METHOD, _) => {
                // Other attributes come from the function.
                // SAFETY: METHOD layout.
                let f = unsafe { obj.get_ref(l::METHOD_FUNC).unwrap_unchecked() };
                return self.getattr_opt(f, name);
            }
            (l::RANGE | l::SLICE, "start") => unsafe { obj.get_ref(l::RANGE_START) },
            (l::RANGE | l::SLICE, "stop") => unsafe { obj.get_ref(l::RANGE_STOP) },
            (l::RANGE | l::SLICE, "step") => unsafe { obj.get_ref(l::RANGE_STEP) },
            (l::INT | l::BIGINT, "real") => Some(obj),
            (l::INT | l::BIGINT, "imag") => Some(self.sp.new_int(0)),
            (l::FLOAT, "real") => Some(obj),
            (l::FLOAT, "imag") => Some(self.sp.new_float(0.0)),
            (l::CELL, "cell_contents") => unsafe { obj.get_ref(l::CELL_VALUE) },
            (_, "__doc__") => Some(self.sp.none),
            _ => None,
        };
        Ok(v)
    }

    /// The `__dict__` of a function (created on first use).
    fn function_dict(&mut self, f: Value) -> Value {
        // SAFETY: FUNCTION layout.
        if let Some(d) = unsafe { f.get_ref(l::FUNC_DICT) } {
            return d;
        }
        let d = self.sp.new_dict();
        // SAFETY: FUNCTION layout.
        unsafe { self.sp.store(f, l::FUNC_DICT, Some(d)) };
        d
    }

    /// The live attribute dict of an instance (`vars(obj)`, `obj.__dict__`): the instance
    /// switches to dict mode.
    pub fn instance_dict(&mut self, obj: Value) -> PyResult {
        Ok(self.sp.inst_make_dict(obj))
    }

    /// `setattr(obj, name, v)`.
    pub fn setattr(&mut self, obj: Value, name: Value, v: Value) -> PyResult<()> {
        let name = self.attr_name(name)?;
        let ty = obj.ty();
        if obj.layout() == l::INSTANCE {
            if let Some(sa) = self.lookup_type_attr(ty, self.n.setattr) {
                if self.is_user_slot(sa) {
                    self.call(sa, &[obj, name, v])?;
                    return Ok(());
                }
            }
        }
        if let Some(t) = self.lookup_type_attr(ty, name) {
            if t.ty().is(self.sp.t.property) {
                // SAFETY: WRAPPER layout: fset at B.
                let fset = unsafe { t.get_ref(l::WRAP_B) };
                return match fset {
                    Some(s) if !s.is(self.sp.none) => self.call(s, &[obj, v]).map(|_| ()),
                    _ => {
                        let n = self.str_owned(name);
                        Err(self.attribute_error(format!(
                            "property '{n}' of '{}' object has no setter",
                            self.type_name(obj)
                        )))
                    }
                };
            }
            if t.layout() == l::INSTANCE {
                if let Some(s) = self.lookup_type_attr(t.ty(), self.n.set) {
                    self.call(s, &[t, obj, v])?;
                    return Ok(());
                }
            }
        }
        self.generic_setattr(obj, name, v)
    }

    /// `object.__setattr__`: stores into the instance (or class, module, function).
    pub fn generic_setattr(&mut self, obj: Value, name: Value, v: Value) -> PyResult<()> {
        match obj.layout() {
            l::INSTANCE => {
                let sym = self.sp.str_sym(name) as u32;
                self.sp.inst_set(obj, sym, v);
                Ok(())
            }
            l::TYPE => {
                if self.sp.type_flags(obj) & thicket_object_model::space::TF_BUILTIN != 0 {
                    let n = self.str_owned(name);
                    return Err(self.type_error(format!(
                        "cannot set '{n}' attribute of immutable type '{}'",
                        self.sp.type_name(obj)
                    )));
                }
                let d = self.sp.type_dict(obj);
                self.sp.dict_set_str(d, name, v);
                self.sp.type_version += 1;
                Ok(())
            }
            l::MODULE => {
                // SAFETY: MODULE layout.
                let d = unsafe { obj.get_ref(l::MODULE_DICT).unwrap_unchecked() };
                self.sp.dict_set_str(d, name, v);
                Ok(())
            }
            l::FUNCTION => {
                let s = self.sp.str_of(name).to_owned();
                let (fr, nr, vr) = (self.push_root(obj), self.push_root(name), self.push_root(v));
                match s.as_str() {
                    "__name__" | "__qualname__" | "__doc__" | "__module__" | "__defaults__" => {
                        let off = match s.as_str() {
                            "__name__" => l::FUNC_NAME,
                            "__qualname__" => l::FUNC_QUALNAME,
                            "__doc__" => l::FUNC_DOC,
                            "__module__" => l::FUNC_MODULE,
                            _ => l::FUNC_DEFAULTS,
                        };
                        let (f, v) = (self.root(fr), self.root(vr));
                        let v = if off == l::FUNC_DEFAULTS && v.is(self.sp.none) {
                            None
                        } else {
                            Some(v)
                        };
                        // SAFETY: FUNCTION layout, a reference slot.
                        unsafe { self.sp.store(f, off, v) };
                    }
                    "__dict__" => {
                        let (f, v) = (self.root(fr), self.root(vr));
                        // SAFETY: FUNCTION layout.
                        unsafe { self.sp.store(f, l::FUNC_DICT, Some(v)) };
                    }
                    _ => {
                        let f = self.root(fr);
                        let d = self.function_dict(f);
                        let (n, v) = (self.root(nr), self.root(vr));
                        self.sp.dict_set_str(d, n, v);
                    }
                }
                self.reset_roots(fr);
                Ok(())
            }
            _ => {
                let n = self.str_owned(name);
                let tn = self.type_name(obj);
                if self.lookup_type_attr(obj.ty(), name).is_some() {
                    Err(self.attribute_error(format!("'{tn}' object attribute '{n}' is read-only")))
                } else {
                    Err(self.attribute_error(format!("'{tn}' object has no attribute '{n}'")))
                }
            }
        }
    }

    /// `delattr(obj, name)`.
    pub fn delattr(&mut self, obj: Value, name: Value) -> PyResult<()> {
        let name = self.attr_name(name)?;
        if let Some(t) = self.lookup_type_attr(obj.ty(), name) {
            if t.ty().is(self.sp.t.property) {
                // SAFETY: WRAPPER layout: fdel at C.
                let fdel = unsafe { t.get_ref(l::WRAP_C) };
                return match fdel {
                    Some(d) if !d.is(self.sp.none) => self.call(d, &[obj]).map(|_| ()),
                    _ => {
                        let n = self.str_owned(name);
                        Err(self.attribute_error(format!(
                            "property '{n}' of '{}' object has no deleter",
                            self.type_name(obj)
                        )))
                    }
                };
            }
        }
        if obj.layout() == l::INSTANCE {
            if let Some(da) = self.lookup_type_attr(obj.ty(), self.n.delattr) {
                if self.is_user_slot(da) {
                    self.call(da, &[obj, name])?;
                    return Ok(());
                }
            }
        }
        self.generic_delattr(obj, name)
    }

    /// `object.__delattr__`: removes from the instance (or class, module).
    pub fn generic_delattr(&mut self, obj: Value, name: Value) -> PyResult<()> {
        let ok = match obj.layout() {
            l::INSTANCE => {
                let sym = self.sp.str_sym(name) as u32;
                self.sp.inst_del(obj, sym)
            }
            l::TYPE => {
                let d = self.sp.type_dict(obj);
                self.sp.type_version += 1;
                self.sp.dict_del_str(d, name).is_some()
            }
            l::MODULE => {
                // SAFETY: MODULE layout.
                let d = unsafe { obj.get_ref(l::MODULE_DICT).unwrap_unchecked() };
                self.sp.dict_del_str(d, name).is_some()
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(self.no_attr(obj, name))
        }
    }

    /// `LoadMethod`: `(function, Some(obj))` when the attribute is a plain function or
    /// built-in method of the type (no bound method is made), else `(attr, None)`.
    pub fn load_method(&mut self, obj: Value, name: Value) -> PyResult<(Value, Option<Value>)> {
        let ty = obj.ty();
        // `super().m(...)`: the method is found past the class in the MRO, not on `super`.
        let tattr = if ty.is(self.sp.t.super_) {
            None
        } else {
            self.lookup_type_attr(ty, name)
        };
        if let Some(t) = tattr {
            let plain = match t.layout() {
                l::FUNCTION => true,
                l::BUILTIN => {
                    // SAFETY: BUILTIN layout.
                    let (idx, bound) = unsafe {
                        (
                            t.get::<i64>(l::BUILTIN_FN) as usize,
                            t.get_ref(l::BUILTIN_SELF),
                        )
                    };
                    self.natives[idx].method && bound.is_none()
                }
                _ => crate::capi::ctype::is_method_descr(self, t),
            };
            if plain {
                let shadowed = obj.layout() == l::INSTANCE
                    && self
                        .sp
                        .inst_get(obj, self.sp.str_sym(name) as u32)
                        .is_some();
                if !shadowed && obj.layout() != l::TYPE {
                    return Ok((t, Some(obj)));
                }
            }
        }
        let v = self.getattr(obj, name)?;
        Ok((v, None))
    }

    /// Looks up a special method on the type (never the instance) and binds it; a
    /// missing one is a TypeError naming the protocol (for `with`).
    pub fn lookup_special_bound(&mut self, obj: Value, name: Value, what: &str) -> PyResult {
        match self.lookup_type_attr(obj.ty(), name) {
            Some(t) => {
                let ty = obj.ty();
                self.bind(t, obj, ty)
            }
            None => {
                let tn = self.type_name(obj);
                let protocol = if what == "__enter__" || what == "__exit__" {
                    "the context manager protocol"
                } else {
                    what
                };
                let _ = protocol;
                Err(self.type_error(format!(
                    "'{tn}' object does not support the context manager protocol"
                )))
            }
        }
    }

    /// Calls special method `name` of `obj`'s type with `obj` first, if it exists.
    pub fn call_special(
        &mut self,
        obj: Value,
        name: Value,
        args: &[Value],
    ) -> PyResult<Option<Value>> {
        let Some(m) = self.lookup_type_attr(obj.ty(), name) else {
            return Ok(None);
        };
        let mut v = Vec::with_capacity(args.len() + 1);
        v.push(obj);
        v.extend_from_slice(args);
        match m.layout() {
            l::FUNCTION | l::BUILTIN => self.call(m, &v).map(Some),
            _ if self.is_user_slot(m) => self.call(m, &v).map(Some),
            _ => {
                let ty = obj.ty();
                let b = self.bind(m, obj, ty)?;
                self.call(b, args).map(Some)
            }
        }
    }

    /// Whether a special method found on a type is defined by the program rather than
    /// built in: a Python function, or a C type's slot wrapper.
    #[inline]
    pub fn is_user_slot(&self, m: Value) -> bool {
        m.layout() == l::FUNCTION || (self.capi.is_some() && crate::capi::ctype::is_cslot(self, m))
    }

    /// Whether `kind` is one whose instances are Python-level classes (mapdict).
    pub fn is_instance_kind(&self, v: Value) -> bool {
        self.sp.kind(v) == Kind::Instance
    }
}

/// Helpers on the space used by attribute code.
trait TypeNameValue {
    fn intern_value_of_type_name(&mut self, ty: Value) -> Value;
}

impl TypeNameValue for thicket_object_model::Space {
    fn intern_value_of_type_name(&mut self, ty: Value) -> Value {
        // SAFETY: TYPE layout.
        unsafe { ty.get_ref(l::TYPE_NAME).unwrap_unchecked() }
    }
}
