//! The object space: the heap, the built-in types and singletons, interned strings,
//! the Rust-side data of every type, and allocation of objects of every built-in kind.

use crate::builtin_types::{BuiltinTypes, Kind, BUILTIN_TYPE_TABLE};
use crate::layout::{self as l, *};
use crate::mapdict::Maps;
use crate::value::{Value, TYPE_OFFSET};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use thicket_gc::{GcConfig, Heap, ObjRef, TypeId};

/// Smallest and largest cached small int.
pub const SMALL_INT_MIN: i64 = -5;
pub const SMALL_INT_MAX: i64 = 1024;

/// `TYPE_FLAGS` bit: a built-in type (its repr has no module prefix, its namespace is
/// not meant to change).
pub const TF_BUILTIN: u64 = 1;
/// `TYPE_FLAGS` bit: a subclass of `BaseException`.
pub const TF_EXCEPTION: u64 = 2;
/// Instances' attribute lookup goes through a native `__getattribute__` (a C type's
/// `tp_getattro`); inherited by subclasses.
pub const TF_NATIVE_GETATTR: u64 = 4;
/// The type cannot be subclassed (a C type without `Py_TPFLAGS_BASETYPE`); not
/// inherited.
pub const TF_FINAL: u64 = 8;
/// The type is defined in C by an extension (its slot tables are authoritative for
/// protocol checks); not inherited.
pub const TF_C_TYPE: u64 = 16;

/// Rust-side data of a type, indexed by the type's `TYPE_INDEX` field.
#[derive(Clone, Debug)]
pub struct TypeData {
    /// The layout and behaviour of instances created by the type itself.
    pub kind: Kind,
    /// The kind of the nearest built-in base (the kind itself for built-in types).
    pub base_kind: Kind,
    /// The type's name, for messages.
    pub name: Rc<str>,
}

/// The object space. Owns the heap.
pub struct Space {
    pub heap: Heap,
    /// The built-in type objects.
    pub t: BuiltinTypes,
    pub none: Value,
    pub true_: Value,
    pub false_: Value,
    pub ellipsis: Value,
    pub not_implemented: Value,
    pub empty_tuple: Value,
    pub empty_str: Value,
    small_ints: Vec<Value>,
    /// Per-type Rust data (see [`TypeData`]).
    pub types: Vec<TypeData>,
    interned: HashMap<Box<str>, Value>,
    /// Interned strings by symbol id.
    pub symbols: Vec<Value>,
    /// Objects that live as long as the space (non-moving, rooted here).
    immortals: Rc<RefCell<Vec<Option<ObjRef>>>>,
    /// Instance shapes (mapdict).
    pub maps: Maps,
    /// Bumped whenever a type's namespace or bases change (method caches check it).
    pub type_version: u64,
}

impl Space {
    /// Creates a space on a new heap configured by `config` (plus the `THICKET_GC_*`
    /// debug variables). The heap runs in safepoint mode (see `value.rs`).
    pub fn new(config: GcConfig) -> Space {
        let config = GcConfig {
            collect_at_safepoints_only: true,
            ..config
        };
        let mut heap = Heap::new(config).unwrap_or_else(|e| panic!("thicket: heap: {e}"));
        l::register_all(&mut heap);
        let immortals: Rc<RefCell<Vec<Option<ObjRef>>>> = Rc::default();
        let scan = immortals.clone();
        heap.add_root_scanner(Box::new(move |v| v.visit_all(&mut scan.borrow_mut())));

        // Bootstrap: the type objects first, `type`'s type being itself.
        let n = BUILTIN_TYPE_TABLE.len();
        let mut tvals = Vec::with_capacity(n);
        for _ in 0..n {
            // SAFETY: registered layout; allocation does not collect in safepoint mode.
            let v = Value(unsafe { heap.alloc_nonmoving_raw(l::TYPE, 0) }.expect("type"));
            immortals.borrow_mut().push(Some(v.0));
            tvals.push(v);
        }
        let t = BuiltinTypes::from_table(&tvals);
        for &v in &tvals {
            // SAFETY: fresh type objects (remembered spill objects: no barrier needed).
            unsafe { v.init_ref(TYPE_OFFSET, Some(t.type_)) };
        }
        let mut sp = Space {
            heap,
            t,
            none: t.object, // placeholders until allocated below
            true_: t.object,
            false_: t.object,
            ellipsis: t.object,
            not_implemented: t.object,
            empty_tuple: t.object,
            empty_str: t.object,
            small_ints: Vec::new(),
            types: Vec::new(),
            interned: HashMap::new(),
            symbols: Vec::new(),
            immortals,
            maps: Maps::default(),
            type_version: 0,
        };
        sp.none = sp.immortal(l::OBJECT, t.none_type, 0);
        sp.ellipsis = sp.immortal(l::OBJECT, t.ellipsis, 0);
        sp.not_implemented = sp.immortal(l::OBJECT, t.not_implemented_type, 0);
        sp.false_ = sp.immortal(l::INT, t.bool_, 0);
        sp.true_ = sp.immortal(l::INT, t.bool_, 0);
        // SAFETY: INT layout.
        unsafe { sp.true_.set::<i64>(INT_VALUE, 1) };
        sp.empty_tuple = sp.immortal(l::TUPLE, t.tuple, 0);
        sp.empty_str = sp.intern("");
        for i in SMALL_INT_MIN..=SMALL_INT_MAX {
            let v = sp.immortal(l::INT, t.int, 0);
            // SAFETY: INT layout.
            unsafe { v.set::<i64>(INT_VALUE, i) };
            sp.small_ints.push(v);
        }
        // Now the types' fields: names, bases, MROs, dicts.
        for (i, &(_, name, base, kind)) in BUILTIN_TYPE_TABLE.iter().enumerate() {
            let ty = tvals[i];
            let base_ix = BUILTIN_TYPE_TABLE
                .iter()
                .position(|e| e.0 == base)
                .expect("base in table");
            let exc = crate::builtin_types::is_exception_name(i);
            let base_kind = if kind == Kind::Instance {
                Kind::Object
            } else {
                kind
            };
            let name_v = sp.intern(name);
            let bases = if i == 0 {
                sp.empty_tuple
            } else {
                sp.new_tuple(&[tvals[base_ix]])
            };
            let dict = sp.new_dict();
            // SAFETY: TYPE layout fields; the objects are remembered spill objects.
            unsafe {
                ty.init_ref(TYPE_NAME, Some(name_v));
                ty.init_ref(TYPE_QUALNAME, Some(name_v));
                ty.init_ref(TYPE_BASES, Some(bases));
                ty.init_ref(TYPE_BASE, Some(if i == 0 { ty } else { tvals[base_ix] }));
                ty.init_ref(TYPE_DICT, Some(dict));
                ty.set::<i64>(TYPE_INDEX, sp.types.len() as i64);
                ty.set::<u64>(TYPE_FLAGS, TF_BUILTIN | if exc { TF_EXCEPTION } else { 0 });
            }
            sp.types.push(TypeData {
                kind,
                base_kind,
                name: name.into(),
            });
        }
        // MROs: single inheritance, so the chain of bases.
        for &ty in &tvals {
            let mut chain = vec![ty];
            let mut c = ty;
            loop {
                let b = sp.type_base(c);
                if b.is(c) {
                    break;
                }
                chain.push(b);
                c = b;
            }
            let mro = sp.new_tuple(&chain);
            // SAFETY: TYPE layout.
            unsafe { ty.init_ref(TYPE_MRO, Some(mro)) };
        }
        sp
    }

    /// Allocates a non-moving object that lives as long as the space.
    fn immortal(&mut self, layout: TypeId, ty: Value, len: usize) -> Value {
        let array = self.is_var(layout);
        // SAFETY: registered layout; `array` matches it. Non-moving, then rooted below.
        let v = Value(
            unsafe {
                if array {
                    self.heap.alloc_nonmoving_raw(layout, len)
                } else {
                    self.heap.alloc_nonmoving_raw(layout, 0)
                }
            }
            .unwrap_or_else(|e| oom(e)),
        );
        // SAFETY: every built-in layout but the internal arrays has the type slot.
        unsafe { v.init_ref(TYPE_OFFSET, Some(ty)) };
        self.immortals.borrow_mut().push(Some(v.0));
        v
    }

    /// Keeps `v` alive as long as the space (it must be non-moving: type objects,
    /// interned strings).
    pub fn make_immortal(&mut self, v: Value) {
        self.immortals.borrow_mut().push(Some(v.0));
    }

    fn is_var(&self, layout: TypeId) -> bool {
        matches!(
            layout,
            l::BIGINT | l::STR | l::BYTES | l::TUPLE | l::REFARRAY | l::BYTEBUF
        )
    }

    /// Runs a due collection. Every `Value` not in a root is invalid afterwards.
    #[inline]
    pub fn safepoint(&mut self) {
        if let Err(e) = self.heap.safepoint() {
            oom(e)
        }
    }

    // ---------------------------------------------------------------- allocation

    /// Allocates a fixed-size object of `layout` with Python type `ty`, zeroed.
    #[inline(always)]
    pub fn alloc(&mut self, layout: TypeId, ty: Value) -> Value {
        // SAFETY: fixed layouts; safepoint mode: nothing moves.
        let v = Value(unsafe { self.heap.alloc_raw(layout, 0, false) }.unwrap_or_else(|e| oom(e)));
        // SAFETY: the type slot of a fresh object.
        unsafe { v.init_ref(TYPE_OFFSET, Some(ty)) };
        v
    }

    /// Allocates a variable-size object of `layout` with `len` items.
    #[inline(always)]
    pub fn alloc_var(&mut self, layout: TypeId, ty: Value, len: usize) -> Value {
        // SAFETY: variable layouts; safepoint mode: nothing moves.
        let v = Value(unsafe { self.heap.alloc_raw(layout, len, true) }.unwrap_or_else(|e| oom(e)));
        // SAFETY: as above.
        unsafe { v.init_ref(TYPE_OFFSET, Some(ty)) };
        v
    }

    /// Allocates an internal reference array of `len` empty slots.
    #[inline]
    pub fn alloc_refarray(&mut self, len: usize) -> Value {
        // SAFETY: REFARRAY is a variable layout.
        Value(unsafe { self.heap.alloc_raw(l::REFARRAY, len, true) }.unwrap_or_else(|e| oom(e)))
    }

    /// Allocates an internal zeroed byte buffer.
    #[inline]
    pub fn alloc_bytebuf(&mut self, len: usize) -> Value {
        // SAFETY: BYTEBUF is a variable layout.
        Value(unsafe { self.heap.alloc_raw(l::BYTEBUF, len, true) }.unwrap_or_else(|e| oom(e)))
    }

    // ---------------------------------------------------------------- stores

    /// Stores a reference into field `off` of `obj`, with the write barrier.
    ///
    /// # Safety
    /// `off` must be a reference slot of `obj`'s layout.
    #[inline(always)]
    pub unsafe fn store(&self, obj: Value, off: usize, v: Option<Value>) {
        // SAFETY: live object; the caller names a reference slot.
        unsafe {
            self.heap.write_barrier(obj.0);
            obj.init_ref(off, v);
        }
    }

    /// Stores item `i` of an internal array or a tuple-like array starting at `items`.
    ///
    /// # Safety
    /// `arr` must be a reference array whose items start at `items`, and `i` in bounds.
    #[inline(always)]
    pub unsafe fn store_item(&self, arr: Value, items: usize, i: usize, v: Option<Value>) {
        // SAFETY: forwarded.
        unsafe {
            self.heap.write_barrier_array(arr.0, i);
            arr.init_ref(items + 8 * i, v);
        }
    }

    // ---------------------------------------------------------------- type data

    /// Sets the name messages use for instances of `ty` (C types use their full
    /// `tp_name`, `module.Name`, where `__name__` is `Name`).
    pub fn set_type_message_name(&mut self, ty: Value, name: &str) {
        // SAFETY: `ty` is a type object (TYPE layout).
        let i = unsafe { ty.get::<i64>(TYPE_INDEX) } as usize;
        self.types[i].name = name.into();
    }

    /// Adds `TF_*` flags to type `ty`.
    pub fn add_type_flags(&mut self, ty: Value, flags: u64) {
        // SAFETY: TYPE layout.
        unsafe { ty.set::<u64>(TYPE_FLAGS, ty.get::<u64>(TYPE_FLAGS) | flags) };
    }

    /// The Rust-side data of type `ty`.
    #[inline(always)]
    pub fn type_data(&self, ty: Value) -> &TypeData {
        // SAFETY: `ty` is a type object (TYPE layout).
        let i = unsafe { ty.get::<i64>(TYPE_INDEX) } as usize;
        &self.types[i]
    }

    /// The kind of `v`'s type.
    #[inline(always)]
    pub fn kind(&self, v: Value) -> Kind {
        self.type_data(v.ty()).kind
    }

    /// The built-in behaviour `v` has (the kind of its nearest built-in base).
    #[inline(always)]
    pub fn base_kind(&self, v: Value) -> Kind {
        self.type_data(v.ty()).base_kind
    }

    /// The solid base of a type.
    pub fn type_base(&self, ty: Value) -> Value {
        // SAFETY: TYPE layout.
        unsafe { ty.get_ref(TYPE_BASE).unwrap_or(ty) }
    }

    /// The MRO tuple of a type.
    #[inline(always)]
    pub fn type_mro(&self, ty: Value) -> Value {
        // SAFETY: TYPE layout; set at creation.
        unsafe { ty.get_ref(TYPE_MRO).unwrap_unchecked() }
    }

    /// The namespace dict of a type.
    #[inline(always)]
    pub fn type_dict(&self, ty: Value) -> Value {
        // SAFETY: TYPE layout; set at creation.
        unsafe { ty.get_ref(TYPE_DICT).unwrap_unchecked() }
    }

    /// The type's `__name__`.
    pub fn type_name(&self, ty: Value) -> &str {
        // SAFETY: TYPE layout; a str.
        self.str_of(unsafe { ty.get_ref(TYPE_NAME).unwrap_unchecked() })
    }

    /// The type's flags (`TF_*`).
    #[inline(always)]
    pub fn type_flags(&self, ty: Value) -> u64 {
        // SAFETY: TYPE layout.
        unsafe { ty.get::<u64>(TYPE_FLAGS) }
    }

    /// Whether `sub` has `sup` in its MRO.
    pub fn is_subtype(&self, sub: Value, sup: Value) -> bool {
        if sub.is(sup) {
            return true;
        }
        self.tuple_items(self.type_mro(sub))
            .iter()
            .any(|t| t.is(sup))
    }

    /// `isinstance(v, ty)` by type alone.
    #[inline]
    pub fn isinstance(&self, v: Value, ty: Value) -> bool {
        let t = v.ty();
        t.is(ty) || self.is_subtype(t, ty)
    }

    /// Creates a class: `name`, `bases` (non-empty, already checked to be types),
    /// namespace `dict`, and the MRO computed by C3 (`Err` with CPython's message when
    /// none exists).
    pub fn new_class(
        &mut self,
        name: Value,
        qualname: Value,
        bases: &[Value],
        dict: Value,
    ) -> Result<Value, String> {
        let bases_v = if bases.is_empty() {
            vec![self.t.object]
        } else {
            bases.to_vec()
        };
        if let Some(&b) = bases_v
            .iter()
            .find(|&&b| self.type_flags(b) & TF_FINAL != 0)
        {
            return Err(format!(
                "type '{}' is not an acceptable base type",
                self.type_data(b).name
            ));
        }
        let mro = self.c3_mro(&bases_v)?;
        // The solid base: the first base whose built-in kind is not plain object wins;
        // two different non-object kinds conflict.
        let mut base_kind = Kind::Object;
        let mut solid = self.t.object;
        for &b in &bases_v {
            let bk = self.type_data(b).base_kind;
            if bk != Kind::Object {
                if base_kind != Kind::Object && base_kind != bk {
                    return Err("multiple bases have instance lay-out conflict".into());
                }
                base_kind = bk;
            }
        }
        for &b in &bases_v {
            if self.type_data(b).base_kind == base_kind {
                solid = b;
                break;
            }
        }
        let exc = bases_v
            .iter()
            .any(|&b| self.type_flags(b) & TF_EXCEPTION != 0);
        let native_getattr = bases_v
            .iter()
            .any(|&b| self.type_flags(b) & TF_NATIVE_GETATTR != 0);
        let ty = self.alloc_nonmoving(l::TYPE, self.t.type_);
        self.make_immortal(ty);
        let mut mro_v = vec![ty];
        mro_v.extend(mro);
        let mro_t = self.new_tuple(&mro_v);
        let bases_t = self.new_tuple(&bases_v);
        let data = TypeData {
            kind: Kind::Instance,
            base_kind,
            name: self.str_of(name).into(),
        };
        // SAFETY: TYPE layout of a fresh (remembered) object.
        unsafe {
            ty.init_ref(TYPE_NAME, Some(name));
            ty.init_ref(TYPE_QUALNAME, Some(qualname));
            ty.init_ref(TYPE_BASES, Some(bases_t));
            ty.init_ref(TYPE_MRO, Some(mro_t));
            ty.init_ref(TYPE_BASE, Some(solid));
            ty.init_ref(TYPE_DICT, Some(dict));
            ty.set::<i64>(TYPE_INDEX, self.types.len() as i64);
            let flags = if exc { TF_EXCEPTION } else { 0 }
                | if native_getattr { TF_NATIVE_GETATTR } else { 0 };
            ty.set::<u64>(TYPE_FLAGS, flags);
        }
        self.types.push(data);
        self.type_version += 1;
        Ok(ty)
    }

    /// Allocates a non-moving fixed object.
    pub fn alloc_nonmoving(&mut self, layout: TypeId, ty: Value) -> Value {
        // SAFETY: fixed layout; safepoint mode.
        let v =
            Value(unsafe { self.heap.alloc_nonmoving_raw(layout, 0) }.unwrap_or_else(|e| oom(e)));
        // SAFETY: type slot of a fresh object.
        unsafe { v.init_ref(TYPE_OFFSET, Some(ty)) };
        v
    }

    /// C3 linearisation of `bases` (the class itself excluded).
    fn c3_mro(&self, bases: &[Value]) -> Result<Vec<Value>, String> {
        let mut seqs: Vec<Vec<Value>> = bases
            .iter()
            .map(|&b| self.tuple_items(self.type_mro(b)).to_vec())
            .collect();
        seqs.push(bases.to_vec());
        for (i, b) in bases.iter().enumerate() {
            if bases[..i].iter().any(|x| x.is(*b)) {
                return Err(format!("duplicate base class {}", self.type_name(*b)));
            }
        }
        let mut out = Vec::new();
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return Ok(out);
            }
            let mut found = None;
            for s in &seqs {
                let cand = s[0];
                if !seqs.iter().any(|t| t[1..].iter().any(|x| x.is(cand))) {
                    found = Some(cand);
                    break;
                }
            }
            let Some(c) = found else {
                let mut names: Vec<&str> = Vec::new();
                for s in &seqs {
                    let n = self.type_name(s[0]);
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
                return Err(format!(
                    "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                    names.join(", ")
                ));
            };
            out.push(c);
            for s in &mut seqs {
                if s[0].is(c) {
                    s.remove(0);
                }
            }
        }
    }

    // ---------------------------------------------------------------- ints

    /// An `int` from an `i64` (cached for small values).
    #[inline(always)]
    pub fn new_int(&mut self, i: i64) -> Value {
        if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&i) {
            return self.small_ints[(i - SMALL_INT_MIN) as usize];
        }
        let v = self.alloc(l::INT, self.t.int);
        // SAFETY: INT layout.
        unsafe { v.set::<i64>(INT_VALUE, i) };
        v
    }

    /// `True` or `False`.
    #[inline(always)]
    pub fn new_bool(&self, b: bool) -> Value {
        if b {
            self.true_
        } else {
            self.false_
        }
    }

    /// The `i64` value of an exact or bool int object stored small (`None` for big ints
    /// and non-ints).
    #[inline(always)]
    pub fn small_int(&self, v: Value) -> Option<i64> {
        if v.layout() == l::INT {
            // SAFETY: INT layout.
            Some(unsafe { v.get::<i64>(INT_VALUE) })
        } else {
            None
        }
    }

    // ---------------------------------------------------------------- floats

    /// A `float`.
    #[inline(always)]
    pub fn new_float(&mut self, f: f64) -> Value {
        let v = self.alloc(l::FLOAT, self.t.float);
        // SAFETY: FLOAT layout.
        unsafe { v.set::<f64>(FLOAT_VALUE, f) };
        v
    }

    /// The value of a float object (FLOAT layout).
    #[inline(always)]
    pub fn float_value(&self, v: Value) -> f64 {
        debug_assert_eq!(v.layout(), l::FLOAT);
        // SAFETY: FLOAT layout.
        unsafe { v.get::<f64>(FLOAT_VALUE) }
    }

    // ---------------------------------------------------------------- tuples

    /// A tuple of `items`.
    pub fn new_tuple(&mut self, items: &[Value]) -> Value {
        if items.is_empty() && !self.small_ints.is_empty() {
            return self.empty_tuple;
        }
        let t = self.alloc_var(l::TUPLE, self.t.tuple, items.len());
        for (i, &x) in items.iter().enumerate() {
            // SAFETY: fresh tuple, `i` in bounds.
            unsafe { t.init_ref(TUPLE_ITEMS + 8 * i, Some(x)) };
        }
        t
    }

    /// A tuple of `n` empty slots, to be filled with [`Space::tuple_init`] before any
    /// safepoint.
    pub fn new_tuple_uninit(&mut self, n: usize) -> Value {
        if n == 0 {
            return self.empty_tuple;
        }
        self.alloc_var(l::TUPLE, self.t.tuple, n)
    }

    /// Fills slot `i` of a tuple made by `new_tuple_uninit` since the last safepoint.
    #[inline(always)]
    pub fn tuple_init(&self, t: Value, i: usize, v: Value) {
        debug_assert!(i < self.tuple_len(t));
        // SAFETY: TUPLE layout, in bounds; young or remembered (no safepoint since).
        unsafe { t.init_ref(TUPLE_ITEMS + 8 * i, Some(v)) }
    }

    /// Length of a tuple (TUPLE layout).
    #[inline(always)]
    pub fn tuple_len(&self, t: Value) -> usize {
        // SAFETY: TUPLE layout.
        unsafe { t.get::<usize>(TUPLE_LEN) }
    }

    /// The items of a tuple, valid until the next safepoint.
    #[inline(always)]
    pub fn tuple_items(&self, t: Value) -> &[Value] {
        debug_assert_eq!(t.layout(), l::TUPLE);
        // SAFETY: TUPLE layout: `len` filled slots (tuples are full once published).
        unsafe { std::slice::from_raw_parts(t.ptr::<Value>(TUPLE_ITEMS), self.tuple_len(t)) }
    }

    // ---------------------------------------------------------------- lists

    /// A list of `items`.
    pub fn new_list(&mut self, items: &[Value]) -> Value {
        let l = self.new_list_with_capacity(items.len());
        if let Some(arr) = self.list_array(l) {
            for (i, &x) in items.iter().enumerate() {
                // SAFETY: fresh array, in bounds.
                unsafe { arr.init_ref(ARRAY_ITEMS + 8 * i, Some(x)) };
            }
        }
        // SAFETY: LIST layout.
        unsafe { l.set::<usize>(LIST_LEN, items.len()) };
        l
    }

    /// An empty list with room for `cap` items.
    pub fn new_list_with_capacity(&mut self, cap: usize) -> Value {
        let l = self.alloc(l::LIST, self.t.list);
        if cap > 0 {
            let arr = self.alloc_refarray(cap);
            // SAFETY: LIST layout, fresh object.
            unsafe { l.init_ref(LIST_ITEMS, Some(arr)) };
        }
        l
    }

    /// The item array of a list (None while it has never had an item).
    #[inline(always)]
    pub fn list_array(&self, l: Value) -> Option<Value> {
        // SAFETY: LIST layout.
        unsafe { l.get_ref(LIST_ITEMS) }
    }

    /// Length of a list.
    #[inline(always)]
    pub fn list_len(&self, l: Value) -> usize {
        // SAFETY: LIST layout.
        unsafe { l.get::<usize>(LIST_LEN) }
    }

    /// The items of a list, valid until the next safepoint or change of the list.
    #[inline(always)]
    pub fn list_items(&self, l: Value) -> &[Value] {
        debug_assert_eq!(l.layout(), l::LIST);
        let n = self.list_len(l);
        match self.list_array(l) {
            None => &[],
            // SAFETY: the first `len` slots of the array are filled.
            Some(a) => unsafe { std::slice::from_raw_parts(a.ptr::<Value>(ARRAY_ITEMS), n) },
        }
    }

    /// Capacity of a list's item array.
    #[inline(always)]
    pub fn list_capacity(&self, l: Value) -> usize {
        // SAFETY: REFARRAY layout.
        self.list_array(l)
            .map_or(0, |a| unsafe { a.get::<usize>(ARRAY_LEN) })
    }

    /// Sets item `i < len` of a list.
    #[inline(always)]
    pub fn list_set(&self, l: Value, i: usize, v: Value) {
        debug_assert!(i < self.list_len(l));
        let a = self.list_array(l).expect("non-empty list");
        // SAFETY: in bounds.
        unsafe { self.store_item(a, ARRAY_ITEMS, i, Some(v)) }
    }

    /// Makes room for at least `need` items (growing like CPython: about 1.125x).
    pub fn list_reserve(&mut self, l: Value, need: usize) {
        let cap = self.list_capacity(l);
        if need <= cap {
            return;
        }
        let new_cap = (need + (need >> 3) + if need < 9 { 3 } else { 6 }).max(4);
        let arr = self.alloc_refarray(new_cap);
        let n = self.list_len(l);
        if let Some(old) = self.list_array(l) {
            // SAFETY: both arrays hold at least `n` slots; the new one is fresh.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    old.ptr::<Value>(ARRAY_ITEMS),
                    arr.ptr::<Value>(ARRAY_ITEMS),
                    n,
                );
            }
        }
        // SAFETY: LIST layout.
        unsafe { self.store(l, LIST_ITEMS, Some(arr)) };
    }

    /// `list.append`.
    #[inline]
    pub fn list_append(&mut self, l: Value, v: Value) {
        let n = self.list_len(l);
        if n == self.list_capacity(l) {
            self.list_reserve(l, n + 1);
        }
        let a = self.list_array(l).expect("reserved");
        // SAFETY: n < capacity.
        unsafe {
            self.store_item(a, ARRAY_ITEMS, n, Some(v));
            l.set::<usize>(LIST_LEN, n + 1);
        }
    }

    /// Sets the length of a list (shrinking: the dropped slots are cleared; growing:
    /// the caller must fill the new slots before the next safepoint).
    pub fn list_set_len(&mut self, l: Value, n: usize) {
        let old = self.list_len(l);
        if n > old {
            self.list_reserve(l, n);
        } else if let Some(a) = self.list_array(l) {
            for i in n..old {
                // SAFETY: in bounds of the array.
                unsafe { a.init_ref(ARRAY_ITEMS + 8 * i, None) };
            }
        }
        // SAFETY: LIST layout.
        unsafe { l.set::<usize>(LIST_LEN, n) };
    }

    /// Replaces the whole contents of a list.
    pub fn list_replace(&mut self, l: Value, items: &[Value]) {
        self.list_set_len(l, 0);
        self.list_reserve(l, items.len());
        let a = self.list_array(l);
        for (i, &x) in items.iter().enumerate() {
            // SAFETY: reserved above.
            unsafe { self.store_item(a.expect("reserved"), ARRAY_ITEMS, i, Some(x)) };
        }
        // SAFETY: LIST layout.
        unsafe { l.set::<usize>(LIST_LEN, items.len()) };
    }

    // ---------------------------------------------------------------- cells, misc

    /// A cell holding `v`.
    pub fn new_cell(&mut self, v: Option<Value>) -> Value {
        let c = self.alloc(l::CELL, self.t.cell);
        // SAFETY: CELL layout, fresh.
        unsafe { c.init_ref(CELL_VALUE, v) };
        c
    }

    /// A module object with namespace `dict`.
    pub fn new_module(&mut self, name: Value, dict: Value) -> Value {
        let m = self.alloc(l::MODULE, self.t.module);
        // SAFETY: MODULE layout, fresh.
        unsafe {
            m.init_ref(MODULE_DICT, Some(dict));
            m.init_ref(MODULE_NAME, Some(name));
        }
        m
    }

    /// A generic iterator object of type `ty`.
    pub fn new_iter(
        &mut self,
        ty: Value,
        a: Option<Value>,
        b: Option<Value>,
        c: Option<Value>,
        index: i64,
        n: i64,
    ) -> Value {
        let it = self.alloc(l::ITER, ty);
        // SAFETY: ITER layout, fresh.
        unsafe {
            it.init_ref(ITER_A, a);
            it.init_ref(ITER_B, b);
            it.init_ref(ITER_C, c);
            it.set::<i64>(ITER_INDEX, index);
            it.set::<i64>(ITER_N, n);
        }
        it
    }

    /// A wrapper object (property, staticmethod, classmethod, super) of type `ty`.
    pub fn new_wrapper(&mut self, ty: Value, refs: [Option<Value>; 4]) -> Value {
        let w = self.alloc(l::WRAPPER, ty);
        // SAFETY: WRAPPER layout, fresh.
        unsafe {
            w.init_ref(WRAP_A, refs[0]);
            w.init_ref(WRAP_B, refs[1]);
            w.init_ref(WRAP_C, refs[2]);
            w.init_ref(WRAP_D, refs[3]);
        }
        w
    }

    // ---------------------------------------------------------------- interning

    /// The interned str for `s` (non-moving, immortal, with a symbol id).
    pub fn intern(&mut self, s: &str) -> Value {
        if let Some(&v) = self.interned.get(s) {
            return v;
        }
        let v = self.alloc_str_nonmoving(s);
        let sym = self.symbols.len() as i64;
        // SAFETY: STR layout.
        unsafe { v.set::<i64>(STR_SYM, sym) };
        self.symbols.push(v);
        self.make_immortal(v);
        self.interned.insert(s.into(), v);
        v
    }

    /// The interned version of the str `v` (itself if already interned).
    pub fn intern_value(&mut self, v: Value) -> Value {
        if self.str_sym(v) >= 0 {
            return v;
        }
        let s: String = self.str_of(v).to_owned();
        self.intern(&s)
    }

    /// The symbol id of the interned str with the same text as `v` (a str), if any.
    pub fn sym_of(&self, v: Value) -> Option<u32> {
        if v.layout() != l::STR {
            return None;
        }
        let s = self.str_sym(v);
        if s >= 0 {
            return Some(s as u32);
        }
        self.interned
            .get(self.str_of(v))
            .map(|i| self.str_sym(*i) as u32)
    }

    /// The symbol id of a str (-1 if it is not interned).
    #[inline(always)]
    pub fn str_sym(&self, v: Value) -> i64 {
        // SAFETY: STR layout.
        unsafe { v.get::<i64>(STR_SYM) }
    }
}

/// Out of memory: there is no way to go on.
#[cold]
pub fn oom(e: thicket_gc::AllocError) -> ! {
    eprintln!("thicket: fatal: {e}");
    std::process::abort()
}
