//! `dict`: an insertion-ordered hash table in the GC heap (an index table plus entry
//! arrays, as CPython 3.6+ lays it out), and the key-comparison context its lookups need.
//!
//! Comparing keys may run Python code (a class's `__eq__`), which may collect. Lookups
//! therefore take a [`KeyCtx`]: the interpreter implements it (calling `__eq__`), and the
//! space implements it for keys whose equality is built in. Across a call to
//! [`KeyCtx::eq_slow`] the dict and key are kept on the shadow stack, and the lookup
//! restarts if the table changed meanwhile.

use crate::layout::{self as l, *};
use crate::space::Space;
use crate::value::Value;

/// Equality of keys for hash tables.
pub trait KeyCtx {
    /// The error a comparison may raise.
    type Err;
    /// The object space.
    fn space(&mut self) -> &mut Space;
    /// `a == b` for keys whose equality is not built in (may run Python code, and so
    /// collect).
    fn eq_slow(&mut self, a: Value, b: Value) -> Result<bool, Self::Err>;
}

/// Key equality that never runs Python code: `Some(answer)` for identical objects and
/// the built-in types whose equality is known here, `None` otherwise.
pub fn builtin_eq(sp: &Space, a: Value, b: Value) -> Option<bool> {
    if a.is(b) {
        return Some(true);
    }
    let (la, lb) = (a.layout(), b.layout());
    let exact = |v: Value| sp.type_data(v.ty()).kind != crate::Kind::Instance;
    if !exact(a) || !exact(b) {
        return None;
    }
    match (la, lb) {
        (l::STR, l::STR) | (l::BYTES, l::BYTES) => Some(sp.str_eq(a, b)),
        (l::INT, l::INT) => Some(sp.small_int(a) == sp.small_int(b)),
        (l::INT | l::BIGINT, l::INT | l::BIGINT) => Some(sp.to_bigint(a) == sp.to_bigint(b)),
        (l::FLOAT, l::FLOAT) => Some(sp.float_value(a) == sp.float_value(b)),
        (l::FLOAT, l::INT) => Some(sp.float_value(a) == sp.small_int(b).unwrap() as f64),
        (l::INT, l::FLOAT) => Some(sp.float_value(b) == sp.small_int(a).unwrap() as f64),
        (l::TUPLE, l::TUPLE) => {
            let (x, y) = (sp.tuple_items(a), sp.tuple_items(b));
            if x.len() != y.len() {
                return Some(false);
            }
            for (&p, &q) in x.iter().zip(y) {
                match builtin_eq(sp, p, q) {
                    Some(true) => {}
                    other => return other,
                }
            }
            Some(true)
        }
        (l::STR | l::BYTES | l::INT | l::BIGINT | l::FLOAT | l::TUPLE, _)
        | (_, l::STR | l::BYTES | l::INT | l::BIGINT | l::FLOAT | l::TUPLE) => {
            // Different built-in kinds (e.g. str and int), or a built-in and an object
            // with identity equality (functions, types, None...).
            if matches!(sp.type_data(a.ty()).kind, crate::Kind::Instance)
                || matches!(sp.type_data(b.ty()).kind, crate::Kind::Instance)
            {
                None
            } else {
                Some(false)
            }
        }
        _ => {
            // Both objects of built-in kinds with identity equality (types, functions,
            // None, modules...), except the containers compared by value.
            let ka = sp.type_data(a.ty()).kind;
            let kb = sp.type_data(b.ty()).kind;
            use crate::Kind::*;
            let by_value = |k| {
                matches!(
                    k,
                    Set | FrozenSet | List | Dict | Range | Slice | Method | DictView
                )
            };
            if by_value(ka) || by_value(kb) {
                None
            } else {
                Some(false)
            }
        }
    }
}

impl KeyCtx for Space {
    type Err = std::convert::Infallible;
    fn space(&mut self) -> &mut Space {
        self
    }
    /// Namespaces only: unknown equality falls back to identity.
    fn eq_slow(&mut self, a: Value, b: Value) -> Result<bool, Self::Err> {
        Ok(a.is(b))
    }
}

const EMPTY: i32 = -1;
const DELETED: i32 = -2;
const MIN_TABLE: usize = 8;

/// Where a lookup ended.
enum Probe {
    /// Entry number of the key.
    Found(usize),
    /// Not there; `slot` is where it would go in the index table.
    Missing(usize),
}

impl Space {
    /// An empty dict.
    pub fn new_dict(&mut self) -> Value {
        self.alloc(l::DICT, self.t.dict)
    }

    /// Number of items.
    #[inline(always)]
    pub fn dict_len(&self, d: Value) -> usize {
        // SAFETY: DICT layout.
        unsafe { d.get::<usize>(DICT_USED) }
    }

    /// Number of entries used (live and deleted): the bound of entry numbers.
    #[inline(always)]
    pub fn dict_nentries(&self, d: Value) -> usize {
        // SAFETY: DICT layout.
        unsafe { d.get::<usize>(DICT_NENTRIES) }
    }

    /// Entry `i` (< `dict_nentries`): `(key, value)`, or None if deleted.
    #[inline]
    pub fn dict_entry(&self, d: Value, i: usize) -> Option<(Value, Value)> {
        // SAFETY: DICT layout; entry arrays hold at least `nentries` slots.
        unsafe {
            let keys = d.get_ref(DICT_KEYS)?;
            let k = keys.get_ref(ARRAY_ITEMS + 8 * i)?;
            let vals = d.get_ref(DICT_VALUES).unwrap_unchecked();
            let v = vals.get_ref(ARRAY_ITEMS + 8 * i).unwrap_unchecked();
            Some((k, v))
        }
    }

    /// Hash of entry `i`.
    #[inline]
    pub fn dict_entry_hash(&self, d: Value, i: usize) -> i64 {
        // SAFETY: DICT layout; the hash buffer holds at least `nentries` i64s.
        unsafe {
            let hs = d.get_ref(DICT_HASHES).unwrap_unchecked();
            *hs.ptr::<i64>(ARRAY_ITEMS).add(i)
        }
    }

    fn dict_table_size(&self, d: Value) -> usize {
        // SAFETY: DICT layout; BYTEBUF length in bytes.
        unsafe {
            d.get_ref(DICT_INDICES)
                .map_or(0, |ix| ix.get::<usize>(ARRAY_LEN) / 4)
        }
    }

    fn dict_capacity(&self, d: Value) -> usize {
        // SAFETY: DICT layout; REFARRAY length.
        unsafe {
            d.get_ref(DICT_KEYS)
                .map_or(0, |k| k.get::<usize>(ARRAY_LEN))
        }
    }

    fn dict_index(&self, d: Value, slot: usize) -> i32 {
        // SAFETY: `slot` < table size.
        unsafe {
            *d.get_ref(DICT_INDICES)
                .unwrap_unchecked()
                .ptr::<i32>(ARRAY_ITEMS)
                .add(slot)
        }
    }

    fn dict_set_index(&self, d: Value, slot: usize, v: i32) {
        // SAFETY: `slot` < table size; plain data.
        unsafe {
            *d.get_ref(DICT_INDICES)
                .unwrap_unchecked()
                .ptr::<i32>(ARRAY_ITEMS)
                .add(slot) = v
        }
    }

    /// Rebuilds the table for at least `need` entries, compacting deleted ones away.
    fn dict_resize(&mut self, d: Value, need: usize) {
        let mut size = MIN_TABLE;
        while size * 2 / 3 < need {
            size *= 2;
        }
        let cap = size * 2 / 3;
        let indices = self.alloc_bytebuf(size * 4);
        let hashes = self.alloc_bytebuf(cap * 8);
        let keys = self.alloc_refarray(cap);
        let vals = self.alloc_refarray(cap);
        // SAFETY: fresh buffers of the sizes above; the old arrays hold `nentries`.
        unsafe {
            std::ptr::write_bytes(indices.ptr::<u8>(ARRAY_ITEMS), 0xff, size * 4);
            let mut j = 0;
            for i in 0..self.dict_nentries(d) {
                if let Some((k, v)) = self.dict_entry(d, i) {
                    let h = self.dict_entry_hash(d, i);
                    keys.init_ref(ARRAY_ITEMS + 8 * j, Some(k));
                    vals.init_ref(ARRAY_ITEMS + 8 * j, Some(v));
                    *hashes.ptr::<i64>(ARRAY_ITEMS).add(j) = h;
                    // Insert into the new index table.
                    let mask = size - 1;
                    let mut slot = (h as u64 as usize) & mask;
                    let mut perturb = h as u64;
                    while *indices.ptr::<i32>(ARRAY_ITEMS).add(slot) != EMPTY {
                        perturb >>= 5;
                        slot = (slot * 5 + 1 + perturb as usize) & mask;
                    }
                    *indices.ptr::<i32>(ARRAY_ITEMS).add(slot) = j as i32;
                    j += 1;
                }
            }
            self.store(d, DICT_INDICES, Some(indices));
            self.store(d, DICT_HASHES, Some(hashes));
            self.store(d, DICT_KEYS, Some(keys));
            self.store(d, DICT_VALUES, Some(vals));
            d.set::<usize>(DICT_NENTRIES, j);
        }
    }

    /// Removes every item.
    pub fn dict_clear(&mut self, d: Value) {
        // SAFETY: DICT layout.
        unsafe {
            self.store(d, DICT_INDICES, None);
            self.store(d, DICT_HASHES, None);
            self.store(d, DICT_KEYS, None);
            self.store(d, DICT_VALUES, None);
            d.set::<usize>(DICT_USED, 0);
            d.set::<usize>(DICT_NENTRIES, 0);
        }
    }

    /// Appends an entry known to be absent, at index-table slot `slot`.
    fn dict_insert_new(&mut self, d: Value, slot: usize, key: Value, hash: i64, val: Value) {
        let n = self.dict_nentries(d);
        let (d, slot) = if n >= self.dict_capacity(d) {
            self.dict_resize(d, self.dict_len(d) + 1);
            let slot = self.dict_free_slot(d, hash);
            (d, slot)
        } else {
            (d, slot)
        };
        let n = self.dict_nentries(d);
        // SAFETY: n < capacity after the resize check.
        unsafe {
            let keys = d.get_ref(DICT_KEYS).unwrap_unchecked();
            let vals = d.get_ref(DICT_VALUES).unwrap_unchecked();
            let hs = d.get_ref(DICT_HASHES).unwrap_unchecked();
            self.store_item(keys, ARRAY_ITEMS, n, Some(key));
            self.store_item(vals, ARRAY_ITEMS, n, Some(val));
            *hs.ptr::<i64>(ARRAY_ITEMS).add(n) = hash;
            d.set::<usize>(DICT_NENTRIES, n + 1);
            d.set::<usize>(DICT_USED, self.dict_len(d) + 1);
        }
        self.dict_set_index(d, slot, n as i32);
    }

    /// First empty or deleted slot for `hash` (the key known absent).
    fn dict_free_slot(&self, d: Value, hash: i64) -> usize {
        let mask = self.dict_table_size(d) - 1;
        let mut slot = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        loop {
            let ix = self.dict_index(d, slot);
            if ix == EMPTY || ix == DELETED {
                return slot;
            }
            perturb >>= 5;
            slot = (slot * 5 + 1 + perturb as usize) & mask;
        }
    }
}

/// Looks `key` up: the entry number or the free slot. May run `__eq__` (see module doc).
fn probe<C: KeyCtx>(cx: &mut C, d: Value, key: Value, hash: i64) -> Result<Probe, C::Err> {
    'restart: loop {
        let sp = cx.space();
        let size = sp.dict_table_size(d);
        if size == 0 {
            return Ok(Probe::Missing(usize::MAX));
        }
        let mask = size - 1;
        let mut slot = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        let mut free = None;
        loop {
            let sp = cx.space();
            let ix = sp.dict_index(d, slot);
            if ix == EMPTY {
                return Ok(Probe::Missing(free.unwrap_or(slot)));
            }
            if ix == DELETED {
                free.get_or_insert(slot);
            } else {
                let i = ix as usize;
                if sp.dict_entry_hash(d, i) == hash {
                    let k = sp.dict_entry(d, i).expect("indexed entry is live").0;
                    match builtin_eq(sp, k, key) {
                        Some(true) => return Ok(Probe::Found(i)),
                        Some(false) => {}
                        None => {
                            // SAFETY: DICT layout.
                            let table = unsafe { d.get_ref(DICT_INDICES) };
                            let RootedEq {
                                eq,
                                holder: d2,
                                key: key2,
                                table: t2,
                                candidate: k2,
                            } = rooted_eq_slow(cx, d, key, table, k)?;
                            // The objects may have moved: start again from the new addresses.
                            if !d2.is(d) || !key2.is(key) {
                                return probe(cx, d2, key2, hash);
                            }
                            // SAFETY: DICT layout.
                            let t_now = unsafe { d.get_ref(DICT_INDICES) };
                            let sp = cx.space();
                            let same = t_now.map(|t| t.0) == t2.map(|t| t.0)
                                && sp.dict_entry(d, i).is_some_and(|e| e.0.is(k2));
                            if !same {
                                continue 'restart;
                            }
                            if eq {
                                return Ok(Probe::Found(i));
                            }
                        }
                    }
                }
            }
            perturb >>= 5;
            slot = (slot * 5 + 1 + perturb as usize) & mask;
        }
    }
}

/// What a comparison that may run Python code answered, with the values kept rooted
/// across it, read back (they may have moved).
pub(crate) struct RootedEq {
    pub eq: bool,
    /// The dict or set being probed.
    pub holder: Value,
    pub key: Value,
    /// The holder's table array when the comparison started (to detect a resize).
    pub table: Option<Value>,
    /// The stored key compared against.
    pub candidate: Value,
}

/// `candidate == key` through [`KeyCtx::eq_slow`], keeping `holder`, `key`, `table` and
/// `candidate` on the shadow stack meanwhile.
pub(crate) fn rooted_eq_slow<C: KeyCtx>(
    cx: &mut C,
    holder: Value,
    key: Value,
    table: Option<Value>,
    candidate: Value,
) -> Result<RootedEq, C::Err> {
    let ss = cx.space().heap.shadow_stack();
    let mark = ss.len();
    ss.push(Some(holder.0));
    ss.push(Some(key.0));
    ss.push(table.map(|t| t.0));
    ss.push(Some(candidate.0));
    let r = cx.eq_slow(candidate, key);
    let ss = cx.space().heap.shadow_stack();
    let candidate = Value(ss.pop().expect("rooted"));
    let table = ss.pop().map(Value);
    let key = Value(ss.pop().expect("rooted"));
    let holder = Value(ss.pop().expect("rooted"));
    ss.truncate(mark);
    Ok(RootedEq {
        eq: r?,
        holder,
        key,
        table,
        candidate,
    })
}

/// `d[key]` lookup: the value, or None. `d` and `key` must be rooted by the caller if it
/// uses them afterwards (a class's `__eq__` may run and collect).
pub fn dict_get<C: KeyCtx>(
    cx: &mut C,
    d: Value,
    key: Value,
    hash: i64,
) -> Result<Option<Value>, C::Err> {
    let ss = cx.space().heap.shadow_stack();
    ss.push(Some(d.0));
    let r = probe(cx, d, key, hash);
    let d = Value(cx.space().heap.shadow_stack().pop().expect("rooted"));
    Ok(match r? {
        Probe::Found(i) => Some(cx.space().dict_entry(d, i).expect("live").1),
        Probe::Missing(_) => None,
    })
}

/// `d[key] = val`.
pub fn dict_set<C: KeyCtx>(
    cx: &mut C,
    d: Value,
    key: Value,
    hash: i64,
    val: Value,
) -> Result<(), C::Err> {
    let ss = cx.space().heap.shadow_stack();
    let mark = ss.len();
    ss.push(Some(d.0));
    ss.push(Some(key.0));
    ss.push(Some(val.0));
    let r = probe(cx, d, key, hash);
    let ss = cx.space().heap.shadow_stack();
    let val = Value(ss.pop().expect("rooted"));
    let key = Value(ss.pop().expect("rooted"));
    let d = Value(ss.pop().expect("rooted"));
    ss.truncate(mark);
    let sp = cx.space();
    match r? {
        Probe::Found(i) => {
            // SAFETY: DICT layout; `i` < nentries.
            unsafe {
                let vals = d.get_ref(DICT_VALUES).unwrap_unchecked();
                sp.store_item(vals, ARRAY_ITEMS, i, Some(val));
            }
        }
        Probe::Missing(slot) => {
            if slot == usize::MAX || sp.dict_nentries(d) >= sp.dict_capacity(d) {
                sp.dict_resize(d, sp.dict_len(d) + 1);
                let slot = sp.dict_free_slot(d, hash);
                sp.dict_insert_new(d, slot, key, hash, val);
            } else {
                sp.dict_insert_new(d, slot, key, hash, val);
            }
        }
    }
    Ok(())
}

/// `del d[key]`: the removed value, or None if absent.
pub fn dict_del<C: KeyCtx>(
    cx: &mut C,
    d: Value,
    key: Value,
    hash: i64,
) -> Result<Option<Value>, C::Err> {
    let ss = cx.space().heap.shadow_stack();
    ss.push(Some(d.0));
    let r = probe(cx, d, key, hash);
    let d = Value(cx.space().heap.shadow_stack().pop().expect("rooted"));
    let sp = cx.space();
    match r? {
        Probe::Found(i) => {
            let old = sp.dict_entry(d, i).expect("live").1;
            // Find the index slot pointing at entry i and mark it deleted.
            let mask = sp.dict_table_size(d) - 1;
            let h = sp.dict_entry_hash(d, i);
            let mut slot = (h as u64 as usize) & mask;
            let mut perturb = h as u64;
            while sp.dict_index(d, slot) != i as i32 {
                perturb >>= 5;
                slot = (slot * 5 + 1 + perturb as usize) & mask;
            }
            sp.dict_set_index(d, slot, DELETED);
            // SAFETY: DICT layout; `i` < nentries.
            unsafe {
                let keys = d.get_ref(DICT_KEYS).unwrap_unchecked();
                let vals = d.get_ref(DICT_VALUES).unwrap_unchecked();
                keys.init_ref(ARRAY_ITEMS + 8 * i, None);
                vals.init_ref(ARRAY_ITEMS + 8 * i, None);
                d.set::<usize>(DICT_USED, sp.dict_len(d) - 1);
            }
            Ok(Some(old))
        }
        Probe::Missing(_) => Ok(None),
    }
}

impl Space {
    /// Read-only lookup of a str key, with built-in equality only (keys whose equality
    /// would need Python code count as different).
    pub fn dict_get_str_ro(&self, d: Value, key: Value) -> Option<Value> {
        let size = self.dict_table_size(d);
        if size == 0 {
            return None;
        }
        let hash = self.str_hash_ro(key);
        let mask = size - 1;
        let mut slot = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        loop {
            let ix = self.dict_index(d, slot);
            if ix == EMPTY {
                return None;
            }
            if ix >= 0 && self.dict_entry_hash(d, ix as usize) == hash {
                let (k, v) = self
                    .dict_entry(d, ix as usize)
                    .expect("indexed entry is live");
                if builtin_eq(self, k, key) == Some(true) {
                    return Some(v);
                }
            }
            perturb >>= 5;
            slot = (slot * 5 + 1 + perturb as usize) & mask;
        }
    }

    /// Namespace lookup by a str key (built-in equality only).
    pub fn dict_get_str(&mut self, d: Value, key: Value) -> Option<Value> {
        let h = self.str_hash(key);
        match dict_get(self, d, key, h) {
            Ok(v) => v,
            Err(e) => match e {},
        }
    }

    /// Namespace store by a str key.
    pub fn dict_set_str(&mut self, d: Value, key: Value, val: Value) {
        let h = self.str_hash(key);
        match dict_set(self, d, key, h, val) {
            Ok(()) => {}
            Err(e) => match e {},
        }
    }

    /// Namespace store by a Rust string (interned key).
    pub fn dict_set_name(&mut self, d: Value, name: &str, val: Value) {
        let k = self.intern(name);
        self.dict_set_str(d, k, val)
    }

    /// Namespace lookup by a Rust string.
    pub fn dict_get_name(&mut self, d: Value, name: &str) -> Option<Value> {
        let k = self.intern(name);
        self.dict_get_str(d, k)
    }

    /// Namespace delete by a str key.
    pub fn dict_del_str(&mut self, d: Value, key: Value) -> Option<Value> {
        let h = self.str_hash(key);
        match dict_del(self, d, key, h) {
            Ok(v) => v,
            Err(e) => match e {},
        }
    }

    /// The live `(key, value)` pairs, in order (a snapshot, valid until the next
    /// safepoint).
    pub fn dict_items(&self, d: Value) -> Vec<(Value, Value)> {
        (0..self.dict_nentries(d))
            .filter_map(|i| self.dict_entry(d, i))
            .collect()
    }

    /// A shallow copy.
    pub fn dict_copy(&mut self, d: Value) -> Value {
        let n = self.new_dict();
        self.dict_copy_into(d, n);
        n
    }

    /// Adds every item of `src` to the empty dict `dst` (same hashes, no comparisons
    /// needed since the keys are distinct).
    pub fn dict_copy_into(&mut self, src: Value, dst: Value) {
        let len = self.dict_len(src);
        if len == 0 {
            return;
        }
        self.dict_resize(dst, len);
        for i in 0..self.dict_nentries(src) {
            if let Some((k, v)) = self.dict_entry(src, i) {
                let h = self.dict_entry_hash(src, i);
                let slot = self.dict_free_slot(dst, h);
                self.dict_insert_new(dst, slot, k, h, v);
            }
        }
    }

    /// Removes and returns the last item (`popitem`).
    pub fn dict_pop_last(&mut self, d: Value) -> Option<(Value, Value)> {
        let n = self.dict_nentries(d);
        for i in (0..n).rev() {
            if let Some((k, v)) = self.dict_entry(d, i) {
                let h = self.dict_entry_hash(d, i);
                let _ = dict_del(self, d, k, h);
                return Some((k, v));
            }
        }
        None
    }
}
