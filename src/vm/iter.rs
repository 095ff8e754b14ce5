//! Iteration and item access: `iter()`/`next()` for every built-in iterable, the
//! iterator objects, item get/set/delete with indices and slices, and the container
//! helpers the interpreter loop uses (extend, add, update).

use super::ops::Num;
use super::{PyResult, Vm};
use crate::bytecode::BinOp;
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};
use thicket_object_model::dicts;
use thicket_object_model::layout as l;
use thicket_object_model::sets;
use thicket_object_model::{Kind, Value};

/// Resolved slice bounds for a sequence of known length.
#[derive(Clone, Copy, Debug)]
pub struct SliceIdx {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
    pub len: usize,
}

impl SliceIdx {
    /// The indices selected, in order.
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len).map(move |k| (self.start + k as i64 * self.step) as usize)
    }
}

impl Vm {
    /// `iter(v)`.
    pub fn get_iter(&mut self, v: Value) -> PyResult {
        let t = &self.sp.t;
        let (ty, a, n) = match v.layout() {
            l::LIST => (t.list_iterator, v, 0),
            l::TUPLE => (t.tuple_iterator, v, 0),
            l::STR => (t.str_iterator, v, 0),
            l::BYTES | l::BYTEARRAY => (t.bytes_iterator, v, 0),
            l::DICT => (t.dict_keyiterator, v, 0),
            l::SET => {
                let items = self.sp.set_items(v);
                let tup = self.sp.new_tuple(&items);
                let ty = self.sp.t.set_iterator;
                return Ok(self.sp.new_iter(
                    ty,
                    Some(tup),
                    Some(v),
                    None,
                    0,
                    self.sp.set_len(v) as i64,
                ));
            }
            l::RANGE => {
                let (start, stop, step) = self.range_parts(v);
                let len = range_len_of(&start, &stop, &step);
                if let (Some(s), Some(st), Some(n)) = (start.to_i64(), step.to_i64(), len.to_i64())
                {
                    if s.checked_add(st.checked_mul(n).unwrap_or(i64::MAX))
                        .is_some()
                    {
                        let ty = self.sp.t.range_iterator;
                        let a = self.sp.new_int(s);
                        let b = self.sp.new_int(st);
                        return Ok(self.sp.new_iter(ty, Some(a), Some(b), None, 0, n));
                    }
                }
                // Big ranges iterate through a generic path: start/step as big ints.
                let ty = self.sp.t.range_iterator;
                let a = self.sp.new_bigint(&start);
                let ar = self.push_root(a);
                let b = self.sp.new_bigint(&step);
                let br = self.push_root(b);
                let c = self.sp.new_bigint(&len);
                let (a, b) = (self.root(ar), self.root(br));
                self.reset_roots(ar);
                return Ok(self.sp.new_iter(ty, Some(a), Some(b), Some(c), 0, -1));
            }
            l::INSTANCE => {
                if let Some(r) = self.call_special(v, self.n.iter, &[])? {
                    if self.lookup_type_attr(r.ty(), self.n.next).is_none()
                        && !self.is_builtin_iterator(r)
                    {
                        return Err(self.type_error(format!(
                            "iter() returned non-iterator of type '{}'",
                            self.type_name(r)
                        )));
                    }
                    return Ok(r);
                }
                if let Some(b) = self.sp.inst_backing(v) {
                    return self.get_iter(b);
                }
                if self.lookup_type_attr(v.ty(), self.n.getitem).is_some() {
                    let ty = self.sp.t.seq_iterator;
                    return Ok(self.sp.new_iter(ty, Some(v), None, None, 0, 0));
                }
                return Err(
                    self.type_error(format!("'{}' object is not iterable", self.type_name(v)))
                );
            }
            _ => {
                let k = self.sp.kind(v);
                if k == Kind::Iter || k == Kind::Generator {
                    return Ok(v);
                }
                if k == Kind::DictView {
                    // SAFETY: ITER layout: the dict at A.
                    let d = unsafe { v.get_ref(l::ITER_A).unwrap_unchecked() };
                    let vt = v.ty();
                    let ty = if vt.is(self.sp.t.dict_keys) {
                        self.sp.t.dict_keyiterator
                    } else if vt.is(self.sp.t.dict_values) {
                        self.sp.t.dict_valueiterator
                    } else {
                        self.sp.t.dict_itemiterator
                    };
                    let n = self.sp.dict_len(d) as i64;
                    return Ok(self.sp.new_iter(ty, Some(d), None, None, 0, n));
                }
                return Err(
                    self.type_error(format!("'{}' object is not iterable", self.type_name(v)))
                );
            }
        };
        let n = if v.layout() == l::DICT {
            self.sp.dict_len(v) as i64
        } else {
            n
        };
        Ok(self.sp.new_iter(ty, Some(a), None, None, 0, n))
    }

    fn is_builtin_iterator(&self, v: Value) -> bool {
        matches!(self.sp.kind(v), Kind::Iter | Kind::Generator)
    }

    /// `next(it)`: `None` when exhausted (StopIteration is absorbed).
    pub fn iter_next(&mut self, it: Value) -> PyResult<Option<Value>> {
        if it.layout() == l::ITER {
            return self.builtin_iter_next(it);
        }
        if it.ty().is(self.sp.t.generator) {
            return self.gen_next(it);
        }
        let r = self.call_special(it, self.n.next, &[]);
        match r {
            Ok(Some(v)) => Ok(Some(v)),
            Ok(None) => Err(self.type_error(format!(
                "'{}' object is not an iterator",
                self.type_name(it)
            ))),
            Err(e) => {
                if self.exc_is(self.sp.t.stop_iteration) {
                    self.take_exc();
                    Ok(None)
                } else {
                    Err(e)
                }
            }
        }
    }

    fn builtin_iter_next(&mut self, it: Value) -> PyResult<Option<Value>> {
        let ty = it.ty();
        let t = self.sp.t;
        // SAFETY (whole function): ITER layout fields.
        let (a, idx, n) = unsafe {
            (
                it.get_ref(l::ITER_A),
                it.get::<i64>(l::ITER_INDEX),
                it.get::<i64>(l::ITER_N),
            )
        };
        // SAFETY: ITER layout: the index field, plain data.
        let set_idx = |i: i64| unsafe { it.set::<i64>(l::ITER_INDEX, i) };
        if ty.is(t.list_iterator) {
            let Some(lst) = a else { return Ok(None) };
            let items = self.sp.list_items(lst);
            if (idx as usize) < items.len() {
                let v = items[idx as usize];
                set_idx(idx + 1);
                return Ok(Some(v));
            }
            // SAFETY: ITER layout.
            unsafe { it.init_ref(l::ITER_A, None) };
            return Ok(None);
        }
        if ty.is(t.range_iterator) {
            if n >= 0 {
                if idx >= n {
                    return Ok(None);
                }
                // SAFETY: ITER layout.
                let (s, st) = unsafe {
                    (
                        it.get_ref(l::ITER_A).unwrap_unchecked(),
                        it.get_ref(l::ITER_B).unwrap_unchecked(),
                    )
                };
                let v = self.sp.small_int(s).expect("small")
                    + idx * self.sp.small_int(st).expect("small");
                set_idx(idx + 1);
                return Ok(Some(self.sp.new_int(v)));
            }
            // SAFETY: ITER layout.
            let (s, st, len) = unsafe {
                (
                    it.get_ref(l::ITER_A).unwrap_unchecked(),
                    it.get_ref(l::ITER_B).unwrap_unchecked(),
                    it.get_ref(l::ITER_C).unwrap_unchecked(),
                )
            };
            let len = self.sp.to_bigint(len);
            if BigInt::from(idx) >= len {
                return Ok(None);
            }
            let v = self.sp.to_bigint(s) + BigInt::from(idx) * self.sp.to_bigint(st);
            set_idx(idx + 1);
            return Ok(Some(self.int_from(v)));
        }
        if ty.is(t.tuple_iterator) {
            let tup = a.expect("tuple");
            if (idx as usize) < self.sp.tuple_len(tup) {
                let v = self.sp.tuple_items(tup)[idx as usize];
                set_idx(idx + 1);
                return Ok(Some(v));
            }
            return Ok(None);
        }
        if ty.is(t.str_iterator) {
            let s = a.expect("str");
            // ITER_N holds the byte offset for str iterators.
            let text = self.sp.str_of(s);
            let off = n as usize;
            if off >= text.len() {
                return Ok(None);
            }
            let c = text[off..].chars().next().expect("char");
            // SAFETY: ITER layout.
            unsafe { it.set::<i64>(l::ITER_N, (off + c.len_utf8()) as i64) };
            return Ok(Some(self.sp.new_char(c)));
        }
        if ty.is(t.bytes_iterator) {
            let b = self.bytes_like(a.expect("bytes")).expect("bytes");
            if (idx as usize) < b.len() {
                set_idx(idx + 1);
                return Ok(Some(self.sp.new_int(b[idx as usize] as i64)));
            }
            return Ok(None);
        }
        if ty.is(t.dict_keyiterator) || ty.is(t.dict_valueiterator) || ty.is(t.dict_itemiterator) {
            let d = a.expect("dict");
            if self.sp.dict_len(d) as i64 != n {
                // SAFETY: ITER layout.
                unsafe { it.set::<i64>(l::ITER_N, -1) };
                return Err(self.err(
                    self.sp.t.runtime_error,
                    "dictionary changed size during iteration",
                ));
            }
            let mut i = idx as usize;
            while i < self.sp.dict_nentries(d) {
                if let Some((k, v)) = self.sp.dict_entry(d, i) {
                    set_idx(i as i64 + 1);
                    let r = if ty.is(t.dict_keyiterator) {
                        k
                    } else if ty.is(t.dict_valueiterator) {
                        v
                    } else {
                        self.sp.new_tuple(&[k, v])
                    };
                    return Ok(Some(r));
                }
                i += 1;
            }
            set_idx(i as i64);
            return Ok(None);
        }
        if ty.is(t.set_iterator) {
            let tup = a.expect("snapshot");
            // SAFETY: ITER layout: the set at B.
            let s = unsafe { it.get_ref(l::ITER_B).unwrap_unchecked() };
            if self.sp.set_len(s) as i64 != n {
                return Err(self.err(self.sp.t.runtime_error, "Set changed size during iteration"));
            }
            if (idx as usize) < self.sp.tuple_len(tup) {
                let v = self.sp.tuple_items(tup)[idx as usize];
                set_idx(idx + 1);
                return Ok(Some(v));
            }
            return Ok(None);
        }
        if ty.is(t.list_reverseiterator) {
            let lst = a.expect("list");
            let len = self.sp.list_len(lst) as i64;
            if idx >= 0 && idx < len {
                let v = self.sp.list_items(lst)[idx as usize];
                set_idx(idx - 1);
                return Ok(Some(v));
            }
            set_idx(-1);
            return Ok(None);
        }
        if ty.is(t.reversed) {
            // A sequence indexed downwards.
            let seq = a.expect("seq");
            if idx < 0 {
                return Ok(None);
            }
            set_idx(idx - 1);
            let r = self.push_root(it);
            let i = self.sp.new_int(idx);
            let v = self.getitem(seq, i)?;
            self.reset_roots(r);
            return Ok(Some(v));
        }
        if ty.is(t.seq_iterator) {
            let seq = a.expect("seq");
            let r = self.push_root(it);
            let i = self.sp.new_int(idx);
            match self.getitem(seq, i) {
                Ok(v) => {
                    let it = self.root(r);
                    // SAFETY: ITER layout.
                    unsafe { it.set::<i64>(l::ITER_INDEX, idx + 1) };
                    self.reset_roots(r);
                    Ok(Some(v))
                }
                Err(e) => {
                    self.reset_roots(r);
                    if self.exc_is(self.sp.t.index_error) || self.exc_is(self.sp.t.stop_iteration) {
                        self.take_exc();
                        Ok(None)
                    } else {
                        Err(e)
                    }
                }
            }
        } else {
            super::builtins::iter_objects_next(self, it)
        }
    }

    /// Collects an iterable into a new list.
    pub fn list_from_iter(&mut self, v: Value) -> PyResult {
        if v.layout() == l::LIST {
            let items = self.sp.list_items(v).to_vec();
            return Ok(self.sp.new_list(&items));
        }
        if v.layout() == l::TUPLE {
            let items = self.sp.tuple_items(v).to_vec();
            return Ok(self.sp.new_list(&items));
        }
        let mark = self.mark();
        let vr = self.push_root(v);
        let lst = self.sp.new_list(&[]);
        let lr = self.push_root(lst);
        let v = self.root(vr);
        self.list_extend(lst, v)?;
        let lst = self.root(lr);
        self.reset_roots(mark);
        Ok(lst)
    }

    /// `lst.extend(iterable)`.
    pub fn list_extend(&mut self, lst: Value, it: Value) -> PyResult<()> {
        if it.layout() == l::LIST || it.layout() == l::TUPLE {
            let items = if it.layout() == l::LIST {
                self.sp.list_items(it).to_vec()
            } else {
                self.sp.tuple_items(it).to_vec()
            };
            let n = self.sp.list_len(lst);
            self.sp.list_reserve(lst, n + items.len());
            for v in items {
                self.sp.list_append(lst, v);
            }
            return Ok(());
        }
        let mark = self.mark();
        let lr = self.push_root(lst);
        let iter = self.get_iter(it)?;
        let ir = self.push_root(iter);
        loop {
            let iter = self.root(ir);
            match self.iter_next(iter)? {
                Some(v) => {
                    let lst = self.root(lr);
                    self.sp.list_append(lst, v);
                }
                None => break,
            }
        }
        self.reset_roots(mark);
        Ok(())
    }

    /// Adds a value to a set.
    pub fn set_add_value(&mut self, s: Value, v: Value) -> PyResult<()> {
        let (s, v, h) = self.hash_rooted(v, [s, v])?;
        sets::set_add(self, s, v, h)?;
        Ok(())
    }

    /// `s.update(iterable)`.
    pub fn set_update(&mut self, s: Value, it: Value) -> PyResult<()> {
        super::types::containers::set_update_internal(self, s, it)
    }

    /// `d[k] = v` for a dict.
    pub fn dict_setitem(&mut self, d: Value, k: Value, v: Value) -> PyResult<()> {
        let mark = self.mark();
        let vr = self.push_root(v);
        let r = self.hash_rooted(k, [d, k]);
        let v = self.root(vr);
        self.reset_roots(mark);
        let (d, k, h) = r?;
        dicts::dict_set(self, d, k, h, v)
    }

    /// Hashes `k` (which may run `__hash__` and collect), returning the two values of
    /// `keep` as they are afterwards, and the hash.
    pub(crate) fn hash_rooted(
        &mut self,
        k: Value,
        keep: [Value; 2],
    ) -> PyResult<(Value, Value, i64)> {
        if matches!(k.layout(), l::STR | l::INT) {
            let h = self.hash(k)?;
            return Ok((keep[0], keep[1], h));
        }
        let mark = self.mark();
        let (ar, br) = (self.push_root(keep[0]), self.push_root(keep[1]));
        let h = self.hash(k);
        let (a, b) = (self.root(ar), self.root(br));
        self.reset_roots(mark);
        Ok((a, b, h?))
    }

    /// `d.get(k)` for a dict.
    pub fn dict_getitem_opt(&mut self, d: Value, k: Value) -> PyResult<Option<Value>> {
        let (d, k, h) = self.hash_rooted(k, [d, k])?;
        dicts::dict_get(self, d, k, h)
    }

    /// `d.update(m)`: a dict, or an iterable of pairs (`{**m}` needs a mapping).
    pub fn dict_update(&mut self, d: Value, m: Value, _kw: bool) -> PyResult<()> {
        if m.layout() == l::DICT {
            let mark = self.mark();
            let (dr, mr) = (self.push_root(d), self.push_root(m));
            let mut i = 0;
            loop {
                let m = self.root(mr);
                if i >= self.sp.dict_nentries(m) {
                    break;
                }
                if let Some((k, v)) = self.sp.dict_entry(m, i) {
                    let h = self.sp.dict_entry_hash(m, i);
                    let d = self.root(dr);
                    dicts::dict_set(self, d, k, h, v)?;
                }
                i += 1;
            }
            self.reset_roots(mark);
            return Ok(());
        }
        let mark = self.mark();
        let dr = self.push_root(d);
        let mr = self.push_root(m);
        // A mapping with keys(): use it.
        if m.layout() == l::INSTANCE {
            if let Some(b) = self.sp.inst_backing(m) {
                let keys_n = self.sp_intern("keys");
                if b.layout() == l::DICT
                    && self
                        .lookup_type_attr(m.ty(), keys_n)
                        .is_none_or(|k| !self.is_user_slot(k))
                {
                    self.reset_roots(mark);
                    return self.dict_update(d, b, false);
                }
            }
            let keys_name = self.sp_intern("keys");
            if self.lookup_type_attr(m.ty(), keys_name).is_some() {
                let keys = self.getattr(m, keys_name)?;
                let ks = self.call(keys, &[])?;
                let kl = self.list_from_iter(ks)?;
                let klr = self.push_root(kl);
                let n = self.sp.list_len(kl);
                for i in 0..n {
                    let kl = self.root(klr);
                    let k = self.sp.list_items(kl)[i];
                    let kr = self.push_root(k);
                    let m = self.root(mr);
                    let v = self.getitem(m, k)?;
                    let (d, k) = (self.root(dr), self.root(kr));
                    self.dict_setitem(d, k, v)?;
                }
                self.reset_roots(mark);
                return Ok(());
            }
        }
        let iter = match self.get_iter(m) {
            Ok(i) => i,
            Err(e) => {
                if self.exc_is(self.sp.t.type_error) {
                    self.take_exc();
                    let mv = self.root(mr);
                    let tn = self.type_name(mv);
                    return Err(self.type_error(format!("'{tn}' object is not a mapping")));
                }
                return Err(e);
            }
        };
        let ir = self.push_root(iter);
        let mut n = 0;
        loop {
            let iter = self.root(ir);
            let Some(pair) = self.iter_next(iter)? else {
                break;
            };
            let pl = self.list_from_iter(pair).map_err(|e| {
                if self.exc_is(self.sp.t.type_error) {
                    self.take_exc();
                    self.type_error(format!(
                        "cannot convert dictionary update sequence element #{n} to a sequence"
                    ))
                } else {
                    e
                }
            })?;
            let items = self.sp.list_items(pl).to_vec();
            if items.len() != 2 {
                return Err(self.value_error(format!(
                    "dictionary update sequence element #{n} has length {}; 2 is required",
                    items.len()
                )));
            }
            let d = self.root(dr);
            self.dict_setitem(d, items[0], items[1])?;
            n += 1;
        }
        self.reset_roots(mark);
        Ok(())
    }

    fn sp_intern(&mut self, s: &str) -> Value {
        self.sp.intern(s)
    }

    /// `f(**a, **b)`: merges `m` into the keyword dict `d`, refusing repeated keys.
    pub fn dict_merge_kwargs(&mut self, d: Value, m: Value, callable: Value) -> PyResult<()> {
        if m.layout() != l::DICT
            && !(m.layout() == l::INSTANCE
                && self
                    .sp
                    .inst_backing(m)
                    .is_some_and(|b| b.layout() == l::DICT))
        {
            let name = self.callable_name(callable);
            return Err(self.type_error(format!(
                "{name} argument after ** must be a mapping, not {}",
                self.type_name(m)
            )));
        }
        let m = self.unwrap_builtin(m);
        for (k, v) in self.sp.dict_items(m) {
            if dicts::dict_get(self, d, k, self.sp.str_hash(k))?.is_some() {
                let name = self.callable_name(callable);
                let ks = self.str_owned(k);
                return Err(self.type_error(format!(
                    "{name} got multiple values for keyword argument '{ks}'"
                )));
            }
            self.dict_setitem(d, k, v)?;
        }
        Ok(())
    }

    // ------------------------------------------------------------------ items

    /// Normalises an index for a sequence of length `n` (IndexError naming `what`).
    pub fn seq_index(&mut self, key: Value, n: usize, what: &str) -> PyResult<usize> {
        let i = self.index_value(key)?;
        let j = if i < 0 { i + n as i64 } else { i };
        if j < 0 || j >= n as i64 {
            return Err(self.index_error(format!("{what} index out of range")));
        }
        Ok(j as usize)
    }

    /// Resolves a slice object against a length.
    pub fn slice_indices(&mut self, s: Value, len: usize) -> PyResult<SliceIdx> {
        // SAFETY: SLICE layout.
        let (a, b, c) = unsafe {
            (
                s.get_ref(l::RANGE_START).unwrap_unchecked(),
                s.get_ref(l::RANGE_STOP).unwrap_unchecked(),
                s.get_ref(l::RANGE_STEP).unwrap_unchecked(),
            )
        };
        let none = self.sp.none;
        let step = if c.is(none) { 1 } else { self.slice_bound(c)? };
        if step == 0 {
            return Err(self.value_error("slice step cannot be zero"));
        }
        let n = len as i64;
        let (lo, hi) = if step < 0 { (-1, n - 1) } else { (0, n) };
        let clamp = |v: i64| -> i64 {
            let v = if v < 0 { v + n } else { v };
            v.clamp(lo, hi)
        };
        let start = if a.is(none) {
            if step < 0 {
                hi
            } else {
                lo
            }
        } else {
            clamp(self.slice_bound(a)?)
        };
        let stop = if b.is(none) {
            if step < 0 {
                lo
            } else {
                hi
            }
        } else {
            clamp(self.slice_bound(b)?)
        };
        let count = if step > 0 {
            if stop > start {
                (stop - start + step - 1) / step
            } else {
                0
            }
        } else if start > stop {
            (start - stop + (-step) - 1) / (-step)
        } else {
            0
        };
        Ok(SliceIdx {
            start,
            stop,
            step,
            len: count as usize,
        })
    }

    fn slice_bound(&mut self, v: Value) -> PyResult<i64> {
        let u = self.unwrap_builtin(v);
        match self.sp.small_int(u) {
            Some(i) => Ok(i),
            None if u.layout() == l::BIGINT => Ok(if self.sp.to_bigint(u).is_negative() {
                i64::MIN / 4
            } else {
                i64::MAX / 4
            }),
            None => {
                if v.layout() == l::INSTANCE {
                    if let Some(r) = self.call_special(v, self.n.index, &[])? {
                        return self.slice_bound(r);
                    }
                }
                Err(self.type_error(
                    "slice indices must be integers or None or have an __index__ method",
                ))
            }
        }
    }

    /// A slice object.
    pub fn new_slice(&mut self, start: Value, stop: Value, step: Value) -> Value {
        let s = self.sp.alloc(l::SLICE, self.sp.t.slice);
        // SAFETY: SLICE layout, fresh.
        unsafe {
            s.init_ref(l::RANGE_START, Some(start));
            s.init_ref(l::RANGE_STOP, Some(stop));
            s.init_ref(l::RANGE_STEP, Some(step));
        }
        s
    }

    /// `c[k]`.
    pub fn getitem(&mut self, c: Value, k: Value) -> PyResult {
        let is_slice = k.layout() == l::SLICE;
        match c.layout() {
            l::LIST => {
                if is_slice {
                    let n = self.sp.list_len(c);
                    let si = self.slice_indices(k, n)?;
                    let items = self.sp.list_items(c);
                    let v: Vec<Value> = si.indices().map(|i| items[i]).collect();
                    return Ok(self.sp.new_list(&v));
                }
                let n = self.sp.list_len(c);
                let i = self.seq_index_typed(k, n, "list")?;
                return Ok(self.sp.list_items(c)[i]);
            }
            l::TUPLE => {
                if is_slice {
                    let n = self.sp.tuple_len(c);
                    let si = self.slice_indices(k, n)?;
                    let items = self.sp.tuple_items(c);
                    let v: Vec<Value> = si.indices().map(|i| items[i]).collect();
                    return Ok(self.sp.new_tuple(&v));
                }
                let n = self.sp.tuple_len(c);
                let i = self.seq_index_typed(k, n, "tuple")?;
                return Ok(self.sp.tuple_items(c)[i]);
            }
            l::STR => {
                let n = self.sp.str_nchars(c);
                if is_slice {
                    let si = self.slice_indices(k, n)?;
                    let s = if self.sp.str_is_ascii(c) {
                        let b = self.sp.str_of(c).as_bytes();
                        if si.step == 1 {
                            self.sp.str_of(c)
                                [si.start.max(0) as usize..si.start.max(0) as usize + si.len]
                                .to_owned()
                        } else {
                            si.indices().map(|i| b[i] as char).collect()
                        }
                    } else {
                        let chars: Vec<char> = self.sp.str_of(c).chars().collect();
                        si.indices().map(|i| chars[i]).collect()
                    };
                    return Ok(self.sp.new_str(&s));
                }
                let i = self.seq_index_typed(k, n, "string")?;
                let ch = self.sp.str_char_at(c, i);
                return Ok(self.sp.new_char(ch));
            }
            l::BYTES | l::BYTEARRAY => {
                let b = self.bytes_like(c).expect("bytes");
                if is_slice {
                    let si = self.slice_indices(k, b.len())?;
                    let v: Vec<u8> = si.indices().map(|i| b[i]).collect();
                    return Ok(if c.layout() == l::BYTES {
                        self.sp.new_bytes(&v)
                    } else {
                        self.new_bytearray(&v)
                    });
                }
                let what = if c.layout() == l::BYTES {
                    "index"
                } else {
                    "bytearray index"
                };
                let i = self.index_value(k)?;
                let j = if i < 0 { i + b.len() as i64 } else { i };
                if j < 0 || j >= b.len() as i64 {
                    return Err(self.index_error(format!("{what} out of range")));
                }
                return Ok(self.sp.new_int(b[j as usize] as i64));
            }
            l::DICT => {
                let (c, k, h) = self.hash_rooted(k, [c, k])?;
                let r = self.push_root(k);
                let v = dicts::dict_get(self, c, k, h)?;
                let k = self.root(r);
                self.reset_roots(r);
                return match v {
                    Some(v) => Ok(v),
                    None => Err(self.key_error(k)),
                };
            }
            l::RANGE => return self.range_getitem(c, k),
            l::INSTANCE => {
                if let Some(m) = self.lookup_type_attr(c.ty(), self.n.getitem) {
                    if self.is_user_slot(m) {
                        return self.call(m, &[c, k]);
                    }
                }
                if let Some(b) = self.sp.inst_backing(c) {
                    if b.layout() == l::DICT {
                        // dict subclasses: __missing__.
                        let (cr, kr) = (self.push_root(c), self.push_root(k));
                        let h = self.hash(k)?;
                        let c2 = self.root(cr);
                        let b = self.sp.inst_backing(c2).expect("backing");
                        let k = self.root(kr);
                        if let Some(v) = dicts::dict_get(self, b, k, h)? {
                            self.reset_roots(cr);
                            return Ok(v);
                        }
                        let (c, k) = (self.root(cr), self.root(kr));
                        self.reset_roots(cr);
                        if let Some(r) = self.call_special(c, self.n.missing, &[k])? {
                            return Ok(r);
                        }
                        return Err(self.key_error(k));
                    }
                    return self.getitem(b, k);
                }
                if c.layout() == l::INSTANCE {
                    if let Some(m) = self.lookup_type_attr(c.ty(), self.n.getitem) {
                        let ty = c.ty();
                        let b = self.bind(m, c, ty)?;
                        return self.call(b, &[k]);
                    }
                }
            }
            // `C[item]` on a class: its `__class_getitem__` (a plain function there is
            // an implicit classmethod, as in CPython).
            l::TYPE if self.sp.type_flags(c) & thicket_object_model::space::TF_BUILTIN == 0 => {
                let name = self.sp.intern("__class_getitem__");
                if let Some(m) = self.lookup_type_attr(c, name) {
                    if m.layout() == l::FUNCTION {
                        return self.call(m, &[c, k]);
                    }
                    let kr = self.push_root(k);
                    let f = self.getattr(c, name)?;
                    let k = self.root(kr);
                    self.reset_roots(kr);
                    return self.call(f, &[k]);
                }
                return Err(self.type_error(format!(
                    "type '{}' is not subscriptable",
                    self.sp.type_name(c)
                )));
            }
            // `list[int]`-style generic aliases: the type itself.
            l::TYPE if self.sp.type_flags(c) & thicket_object_model::space::TF_BUILTIN != 0 => {
                return Ok(c);
            }
            _ => {}
        }
        Err(self.type_error(format!(
            "'{}' object is not subscriptable",
            self.type_name(c)
        )))
    }

    fn seq_index_typed(&mut self, k: Value, n: usize, what: &str) -> PyResult<usize> {
        let u = self.unwrap_builtin(k);
        let indexable = self.sp.is_int_layout(u)
            || (k.layout() == l::INSTANCE && self.lookup_type_attr(k.ty(), self.n.index).is_some());
        if !indexable {
            return Err(self.type_error(format!(
                "{what} indices must be integers or slices, not {}",
                self.type_name(k)
            )));
        }
        self.seq_index(k, n, what)
    }

    /// `c[k] = v`.
    pub fn setitem(&mut self, c: Value, k: Value, v: Value) -> PyResult<()> {
        match c.layout() {
            l::LIST => {
                if k.layout() == l::SLICE {
                    return self.list_set_slice(c, k, v);
                }
                let n = self.sp.list_len(c);
                let i = match self.seq_index_typed(k, n, "list") {
                    Ok(i) => i,
                    Err(e) => {
                        if self.exc_is(self.sp.t.index_error) {
                            self.take_exc();
                            return Err(self.index_error("list assignment index out of range"));
                        }
                        return Err(e);
                    }
                };
                self.sp.list_set(c, i, v);
                return Ok(());
            }
            l::DICT => return self.dict_setitem(c, k, v),
            l::BYTEARRAY => {
                if k.layout() == l::SLICE {
                    return super::types::strs::bytes::bytearray_set_slice(self, c, k, v);
                }
                let n = self.bytes_like(c).expect("bytearray").len();
                let i = self.seq_index(k, n, "bytearray")?;
                let b = self.index_value(v)?;
                if !(0..256).contains(&b) {
                    return Err(self.value_error("byte must be in range(0, 256)"));
                }
                // SAFETY: BYTEARRAY layout; `i` < len <= capacity.
                unsafe {
                    let buf = c.get_ref(l::BYTEARRAY_BUF).unwrap_unchecked();
                    *buf.ptr::<u8>(l::ARRAY_ITEMS).add(i) = b as u8;
                }
                return Ok(());
            }
            l::INSTANCE => {
                if let Some(m) = self.lookup_type_attr(c.ty(), self.n.setitem) {
                    if self.is_user_slot(m) {
                        self.call(m, &[c, k, v])?;
                        return Ok(());
                    }
                }
                if let Some(b) = self.sp.inst_backing(c) {
                    return self.setitem(b, k, v);
                }
            }
            _ => {}
        }
        Err(self.type_error(format!(
            "'{}' object does not support item assignment",
            self.type_name(c)
        )))
    }

    fn list_set_slice(&mut self, lst: Value, k: Value, v: Value) -> PyResult<()> {
        let mark = self.mark();
        let (lr, kr) = (self.push_root(lst), self.push_root(k));
        let src = self.list_from_iter(v).map_err(|e| {
            if self.exc_is(self.sp.t.type_error) {
                self.take_exc();
                self.type_error("can only assign an iterable")
            } else {
                e
            }
        })?;
        let (lst, k) = (self.root(lr), self.root(kr));
        let new = self.sp.list_items(src).to_vec();
        let n = self.sp.list_len(lst);
        let si = self.slice_indices(k, n)?;
        let mut items = self.sp.list_items(lst).to_vec();
        if si.step == 1 {
            let start = si.start.max(0) as usize;
            let stop = (si.start.max(0) as usize + si.len).max(start);
            items.splice(start..stop, new);
        } else {
            if new.len() != si.len {
                return Err(self.value_error(format!(
                    "attempt to assign sequence of size {} to extended slice of size {}",
                    new.len(),
                    si.len
                )));
            }
            for (j, i) in si.indices().enumerate() {
                items[i] = new[j];
            }
        }
        self.sp.list_replace(lst, &items);
        self.reset_roots(mark);
        Ok(())
    }

    /// `del c[k]`.
    pub fn delitem(&mut self, c: Value, k: Value) -> PyResult<()> {
        match c.layout() {
            l::LIST => {
                let n = self.sp.list_len(c);
                let mut items = self.sp.list_items(c).to_vec();
                if k.layout() == l::SLICE {
                    let si = self.slice_indices(k, n)?;
                    let drop: std::collections::HashSet<usize> = si.indices().collect();
                    items = items
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| !drop.contains(i))
                        .map(|(_, v)| v)
                        .collect();
                } else {
                    let i = match self.seq_index(k, n, "list") {
                        Ok(i) => i,
                        Err(e) => {
                            if self.exc_is(self.sp.t.index_error) {
                                self.take_exc();
                                return Err(self.index_error("list assignment index out of range"));
                            }
                            return Err(e);
                        }
                    };
                    items.remove(i);
                }
                self.sp.list_replace(c, &items);
                return Ok(());
            }
            l::BYTEARRAY => return super::types::strs::bytes::bytearray_delitem(self, c, k),
            l::DICT => {
                let (c, k, h) = self.hash_rooted(k, [c, k])?;
                let r = self.push_root(k);
                let old = dicts::dict_del(self, c, k, h)?;
                let k = self.root(r);
                self.reset_roots(r);
                return match old {
                    Some(_) => Ok(()),
                    None => Err(self.key_error(k)),
                };
            }
            l::INSTANCE => {
                if let Some(m) = self.lookup_type_attr(c.ty(), self.n.delitem) {
                    if self.is_user_slot(m) {
                        self.call(m, &[c, k])?;
                        return Ok(());
                    }
                }
                if let Some(b) = self.sp.inst_backing(c) {
                    return self.delitem(b, k);
                }
            }
            _ => {}
        }
        Err(self.type_error(format!(
            "'{}' object does not support item deletion",
            self.type_name(c)
        )))
    }

    // ------------------------------------------------------------------ bytes

    /// The bytes of a bytes or bytearray (copied), or None for other types.
    pub fn bytes_like(&self, v: Value) -> Option<Vec<u8>> {
        let v = self.unwrap_builtin(v);
        match v.layout() {
            l::BYTES => Some(self.sp.bytes_of(v).to_vec()),
            l::BYTEARRAY => {
                // SAFETY: BYTEARRAY layout: `len` bytes in the buffer.
                unsafe {
                    let n = v.get::<usize>(l::BYTEARRAY_LEN);
                    match v.get_ref(l::BYTEARRAY_BUF) {
                        None => Some(Vec::new()),
                        Some(b) => Some(
                            std::slice::from_raw_parts(b.ptr::<u8>(l::ARRAY_ITEMS), n).to_vec(),
                        ),
                    }
                }
            }
            _ => None,
        }
    }

    /// A new bytearray holding `b`.
    pub fn new_bytearray(&mut self, b: &[u8]) -> Value {
        let buf = self.sp.alloc_bytebuf(b.len().max(8));
        let ba = self.sp.alloc(l::BYTEARRAY, self.sp.t.bytearray);
        // SAFETY: fresh objects of these layouts.
        unsafe {
            std::ptr::copy_nonoverlapping(b.as_ptr(), buf.ptr::<u8>(l::ARRAY_ITEMS), b.len());
            ba.init_ref(l::BYTEARRAY_BUF, Some(buf));
            ba.set::<usize>(l::BYTEARRAY_LEN, b.len());
        }
        ba
    }

    /// Replaces a bytearray's contents.
    pub fn bytearray_set(&mut self, ba: Value, b: &[u8]) {
        let buf = self.sp.alloc_bytebuf(b.len().max(8));
        // SAFETY: BYTEARRAY layout; fresh buffer.
        unsafe {
            std::ptr::copy_nonoverlapping(b.as_ptr(), buf.ptr::<u8>(l::ARRAY_ITEMS), b.len());
            self.sp.store(ba, l::BYTEARRAY_BUF, Some(buf));
            ba.set::<usize>(l::BYTEARRAY_LEN, b.len());
        }
    }

    // ------------------------------------------------------------------ ranges

    /// A range object.
    pub fn new_range(&mut self, start: Value, stop: Value, step: Value) -> Value {
        let r = self.sp.alloc(l::RANGE, self.sp.t.range);
        // SAFETY: RANGE layout, fresh.
        unsafe {
            r.init_ref(l::RANGE_START, Some(start));
            r.init_ref(l::RANGE_STOP, Some(stop));
            r.init_ref(l::RANGE_STEP, Some(step));
        }
        r
    }

    /// (start, stop, step) of a range.
    pub fn range_parts(&self, r: Value) -> (BigInt, BigInt, BigInt) {
        // SAFETY: RANGE layout.
        unsafe {
            (
                self.sp
                    .to_bigint(r.get_ref(l::RANGE_START).unwrap_unchecked()),
                self.sp
                    .to_bigint(r.get_ref(l::RANGE_STOP).unwrap_unchecked()),
                self.sp
                    .to_bigint(r.get_ref(l::RANGE_STEP).unwrap_unchecked()),
            )
        }
    }

    /// `len(range)` as a BigInt.
    pub fn range_len(&self, r: Value) -> BigInt {
        let (a, b, c) = self.range_parts(r);
        range_len_of(&a, &b, &c)
    }

    fn range_getitem(&mut self, r: Value, k: Value) -> PyResult {
        let (a, _, c) = self.range_parts(r);
        let n = self.range_len(r);
        if k.layout() == l::SLICE {
            let nn = n.to_usize().unwrap_or(usize::MAX / 4);
            let si = self.slice_indices(k, nn)?;
            let start = &a + &c * BigInt::from(si.start);
            let stop = &a + &c * BigInt::from(si.start + si.step * si.len as i64);
            let step = &c * BigInt::from(si.step);
            let (x, y, z) = (
                self.int_from(start),
                self.int_from(stop),
                self.int_from(step),
            );
            return Ok(self.new_range(x, y, z));
        }
        let i = self.index_value(k)?;
        let i = BigInt::from(i);
        let j = if i.is_negative() { &i + &n } else { i };
        if j.is_negative() || j >= n {
            return Err(self.index_error("range object index out of range"));
        }
        Ok(self.int_from(a + c * j))
    }

    /// `x in range` for ints.
    pub fn range_contains(&self, r: Value, x: Value) -> bool {
        let (a, b, c) = self.range_parts(r);
        let x = self.sp.to_bigint(self.unwrap_builtin(x));
        let inside = if c.is_positive() {
            x >= a && x < b
        } else {
            x <= a && x > b
        };
        inside && ((x - a) % &c).is_zero()
    }

    /// Range equality (same sequence).
    pub fn range_eq(&self, x: Value, y: Value) -> bool {
        let (a1, _, c1) = self.range_parts(x);
        let (a2, _, c2) = self.range_parts(y);
        let (n1, n2) = (self.range_len(x), self.range_len(y));
        if n1 != n2 {
            return false;
        }
        if n1.is_zero() {
            return true;
        }
        if a1 != a2 {
            return false;
        }
        n1 == BigInt::from(1) || c1 == c2
    }

    /// A (start, stop, step) tuple of a range, for hashing.
    pub fn range_tuple(&mut self, r: Value) -> Value {
        // SAFETY: RANGE layout.
        let (a, b, c) = unsafe {
            (
                r.get_ref(l::RANGE_START).unwrap_unchecked(),
                r.get_ref(l::RANGE_STOP).unwrap_unchecked(),
                r.get_ref(l::RANGE_STEP).unwrap_unchecked(),
            )
        };
        self.sp.new_tuple(&[a, b, c])
    }

    // ------------------------------------------------------------------ sets, dicts

    /// Set algebra on two sets (`|`, `&`, `-`, `^`); the result has the left type.
    pub fn set_binop(&mut self, op: BinOp, a: Value, b: Value) -> PyResult {
        super::types::containers::set_operator(self, op, a, b)
    }

    /// Whether every element of `a` is in `b`.
    pub fn set_issubset(&mut self, a: Value, b: Value) -> PyResult<bool> {
        super::types::containers::set_issubset(self, a, b)
    }

    pub(crate) fn set_compare(
        &mut self,
        op: crate::bytecode::CmpOp,
        a: Value,
        b: Value,
    ) -> PyResult<bool> {
        use crate::bytecode::CmpOp::*;
        let (na, nb) = (self.sp.set_len(a), self.sp.set_len(b));
        let mark = self.mark();
        let (ar, br) = (self.push_root(a), self.push_root(b));
        let r = match op {
            Eq => na == nb && self.set_issubset(a, b)?,
            Ne => !(na == nb && self.set_issubset(a, b)?),
            Le => self.set_issubset(a, b)?,
            Lt => na < nb && self.set_issubset(a, b)?,
            Ge => {
                let (a, b) = (self.root(ar), self.root(br));
                self.set_issubset(b, a)?
            }
            Gt => {
                let (a, b) = (self.root(ar), self.root(br));
                na > nb && self.set_issubset(b, a)?
            }
        };
        self.reset_roots(mark);
        Ok(r)
    }

    /// Dict equality.
    pub fn dict_eq(&mut self, a: Value, b: Value) -> PyResult<bool> {
        if self.sp.dict_len(a) != self.sp.dict_len(b) {
            return Ok(false);
        }
        let mark = self.mark();
        let (ar, br) = (self.push_root(a), self.push_root(b));
        let mut i = 0;
        loop {
            let a = self.root(ar);
            if i >= self.sp.dict_nentries(a) {
                break;
            }
            if let Some((k, v)) = self.sp.dict_entry(a, i) {
                let h = self.sp.dict_entry_hash(a, i);
                let vr = self.push_root(v);
                let b = self.root(br);
                match dicts::dict_get(self, b, k, h)? {
                    None => {
                        self.reset_roots(mark);
                        return Ok(false);
                    }
                    Some(w) => {
                        let v = self.root(vr);
                        if !self.eq(v, w)? {
                            self.reset_roots(mark);
                            return Ok(false);
                        }
                    }
                }
            }
            i += 1;
        }
        self.reset_roots(mark);
        Ok(true)
    }

    pub(crate) fn dictview_eq(&mut self, a: Value, b: Value) -> PyResult<bool> {
        // Keys and items views compare like sets.
        let sa = self.view_as_set(a)?;
        let r = self.push_root(sa);
        let sb = self.view_as_set(b)?;
        let sa = self.root(r);
        self.reset_roots(r);
        if sa.layout() != l::SET || sb.layout() != l::SET {
            return Ok(a.is(b));
        }
        self.set_compare(crate::bytecode::CmpOp::Eq, sa, sb)
    }

    fn view_as_set(&mut self, v: Value) -> PyResult {
        if v.layout() == l::SET {
            return Ok(v);
        }
        if self.sp.kind(v) == Kind::DictView && !v.ty().is(self.sp.t.dict_values) {
            let s = self.sp.new_set(false);
            let r = self.push_root(s);
            self.set_update(s, v)?;
            let s = self.root(r);
            self.reset_roots(r);
            return Ok(s);
        }
        Ok(v)
    }

    pub(crate) fn dictview_contains(&mut self, view: Value, x: Value) -> PyResult<bool> {
        // SAFETY: ITER layout: the dict at A.
        let d = unsafe { view.get_ref(l::ITER_A).unwrap_unchecked() };
        let vt = view.ty();
        if vt.is(self.sp.t.dict_keys) {
            return self.contains(d, x);
        }
        if vt.is(self.sp.t.dict_items) {
            if x.layout() != l::TUPLE || self.sp.tuple_len(x) != 2 {
                return Ok(false);
            }
            let (k, v) = (self.sp.tuple_items(x)[0], self.sp.tuple_items(x)[1]);
            let vr = self.push_root(v);
            let got = self.dict_getitem_opt(d, k)?;
            let v = self.root(vr);
            self.reset_roots(vr);
            return match got {
                Some(w) => self.eq(v, w),
                None => Ok(false),
            };
        }
        let lst = self.list_from_iter(view)?;
        self.contains(lst, x)
    }
}

/// Number of elements of range(start, stop, step).
pub fn range_len_of(start: &BigInt, stop: &BigInt, step: &BigInt) -> BigInt {
    if step.is_positive() {
        if stop > start {
            (stop - start + step - 1) / step
        } else {
            BigInt::zero()
        }
    } else if start > stop {
        (start - stop + (-step) - 1) / (-step)
    } else {
        BigInt::zero()
    }
}

/// Unused: keeps `Num` imported for the iterator helpers' readers.
#[allow(dead_code)]
fn _num(_: Num) {}
