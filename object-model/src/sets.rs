//! `set` and `frozenset`: an open-addressing table probed the way CPython 3.11 probes
//! it (nine linear probes, then perturbation; the same growth rule), so that a set of
//! ints iterates in the same order as on CPython.
//!
//! A slot with no key is unused if its hash is 0 and a deleted ("dummy") slot if its
//! hash is -1 (no real hash is -1).

use crate::dicts::{builtin_eq, rooted_eq_slow, KeyCtx, RootedEq};
use crate::layout::{self as l, *};
use crate::space::Space;
use crate::value::Value;

const MIN_SIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const DUMMY_HASH: i64 = -1;

impl Space {
    /// An empty set (or frozenset if `frozen`).
    pub fn new_set(&mut self, frozen: bool) -> Value {
        let ty = if frozen { self.t.frozenset } else { self.t.set };
        let s = self.alloc(l::SET, ty);
        // SAFETY: SET layout.
        unsafe { s.set::<i64>(SET_HASH, -1) };
        s
    }

    /// Number of elements.
    #[inline(always)]
    pub fn set_len(&self, s: Value) -> usize {
        // SAFETY: SET layout.
        unsafe { s.get::<usize>(SET_USED) }
    }

    /// Size of the table (0 before the first insertion).
    #[inline(always)]
    pub fn set_table_size(&self, s: Value) -> usize {
        // SAFETY: SET layout.
        unsafe { s.get_ref(SET_KEYS).map_or(0, |k| k.get::<usize>(ARRAY_LEN)) }
    }

    /// The key in table slot `i`, if live.
    #[inline(always)]
    pub fn set_slot(&self, s: Value, i: usize) -> Option<Value> {
        // SAFETY: `i` < table size.
        unsafe {
            s.get_ref(SET_KEYS)
                .unwrap_unchecked()
                .get_ref(ARRAY_ITEMS + 8 * i)
        }
    }

    /// The hash in table slot `i`.
    #[inline(always)]
    pub fn set_slot_hash(&self, s: Value, i: usize) -> i64 {
        // SAFETY: `i` < table size.
        unsafe {
            *s.get_ref(SET_HASHES)
                .unwrap_unchecked()
                .ptr::<i64>(ARRAY_ITEMS)
                .add(i)
        }
    }

    fn set_write_slot(&self, s: Value, i: usize, key: Option<Value>, hash: i64) {
        // SAFETY: `i` < table size.
        unsafe {
            let keys = s.get_ref(SET_KEYS).unwrap_unchecked();
            self.store_item(keys, ARRAY_ITEMS, i, key);
            *s.get_ref(SET_HASHES)
                .unwrap_unchecked()
                .ptr::<i64>(ARRAY_ITEMS)
                .add(i) = hash;
        }
    }

    /// The live elements in table order (a snapshot valid until the next safepoint).
    pub fn set_items(&self, s: Value) -> Vec<Value> {
        (0..self.set_table_size(s))
            .filter_map(|i| self.set_slot(s, i))
            .collect()
    }

    /// The live elements with their hashes, in table order.
    pub fn set_items_hashed(&self, s: Value) -> Vec<(Value, i64)> {
        (0..self.set_table_size(s))
            .filter_map(|i| self.set_slot(s, i).map(|k| (k, self.set_slot_hash(s, i))))
            .collect()
    }

    /// Rebuilds the table for `minused` elements: the smallest power of two above it.
    pub fn set_resize(&mut self, s: Value, minused: usize) {
        let mut size = MIN_SIZE;
        while size <= minused {
            size <<= 1;
        }
        let old = self.set_items_hashed(s);
        let keys = self.alloc_refarray(size);
        let hashes = self.alloc_bytebuf(size * 8);
        // SAFETY: SET layout.
        unsafe {
            self.store(s, SET_KEYS, Some(keys));
            self.store(s, SET_HASHES, Some(hashes));
            s.set::<usize>(SET_FILL, old.len());
            s.set::<usize>(SET_USED, old.len());
        }
        let mask = size - 1;
        for (k, h) in old {
            // Clean insertion: no dummies, no comparisons.
            let mut perturb = h as u64;
            let mut i = (h as u64 as usize) & mask;
            'outer: loop {
                if self.set_slot(s, i).is_none() {
                    break;
                }
                if i + LINEAR_PROBES <= mask {
                    for j in 1..=LINEAR_PROBES {
                        if self.set_slot(s, i + j).is_none() {
                            i += j;
                            break 'outer;
                        }
                    }
                }
                perturb >>= 5;
                i = ((i as u64 * 5 + 1 + perturb) as usize) & mask;
            }
            self.set_write_slot(s, i, Some(k), h);
        }
    }

    /// Removes every element.
    pub fn set_clear(&mut self, s: Value) {
        // SAFETY: SET layout.
        unsafe {
            self.store(s, SET_KEYS, None);
            self.store(s, SET_HASHES, None);
            s.set::<usize>(SET_USED, 0);
            s.set::<usize>(SET_FILL, 0);
        }
    }
}

/// Where a set lookup ended.
enum SetProbe {
    Found(usize),
    /// Absent: the slot to use and whether it is a dummy being reused.
    Missing(usize, bool),
}

fn set_probe<C: KeyCtx>(cx: &mut C, s: Value, key: Value, hash: i64) -> Result<SetProbe, C::Err> {
    'restart: loop {
        let sp = cx.space();
        let size = sp.set_table_size(s);
        if size == 0 {
            return Ok(SetProbe::Missing(usize::MAX, false));
        }
        let mask = size - 1;
        let mut i = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        let mut freeslot = None;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            let mut j = i;
            for _ in 0..=probes {
                let sp = cx.space();
                let h = sp.set_slot_hash(s, j);
                match sp.set_slot(s, j) {
                    None if h != DUMMY_HASH => {
                        return Ok(match freeslot {
                            Some(f) => SetProbe::Missing(f, true),
                            None => SetProbe::Missing(j, false),
                        });
                    }
                    None => {
                        freeslot.get_or_insert(j);
                    }
                    Some(k) if h == hash => match builtin_eq(sp, k, key) {
                        Some(true) => return Ok(SetProbe::Found(j)),
                        Some(false) => {}
                        None => {
                            // SAFETY: SET layout.
                            let table = unsafe { s.get_ref(SET_KEYS) };
                            let RootedEq {
                                eq,
                                holder: s2,
                                key: key2,
                                table: t2,
                                candidate: k2,
                            } = rooted_eq_slow(cx, s, key, table, k)?;
                            if !s2.is(s) || !key2.is(key) {
                                return set_probe(cx, s2, key2, hash);
                            }
                            // SAFETY: SET layout.
                            let t_now = unsafe { s.get_ref(SET_KEYS) };
                            let sp = cx.space();
                            if t_now.map(|t| t.0) != t2.map(|t| t.0)
                                || !sp.set_slot(s, j).is_some_and(|x| x.is(k2))
                            {
                                continue 'restart;
                            }
                            if eq {
                                return Ok(SetProbe::Found(j));
                            }
                        }
                    },
                    Some(_) => {}
                }
                j += 1;
            }
            perturb >>= 5;
            i = ((i as u64 * 5 + 1 + perturb) as usize) & mask;
        }
    }
}

/// Whether `key` is in the set. The caller roots what it needs afterwards.
pub fn set_contains<C: KeyCtx>(
    cx: &mut C,
    s: Value,
    key: Value,
    hash: i64,
) -> Result<bool, C::Err> {
    Ok(matches!(set_probe(cx, s, key, hash)?, SetProbe::Found(_)))
}

/// Adds `key`; returns whether it was new.
pub fn set_add<C: KeyCtx>(cx: &mut C, s: Value, key: Value, hash: i64) -> Result<bool, C::Err> {
    let ss = cx.space().heap.shadow_stack();
    let mark = ss.len();
    ss.push(Some(s.0));
    ss.push(Some(key.0));
    let r = set_probe(cx, s, key, hash);
    let ss = cx.space().heap.shadow_stack();
    let key = Value(ss.pop().expect("rooted"));
    let s = Value(ss.pop().expect("rooted"));
    ss.truncate(mark);
    let sp = cx.space();
    match r? {
        SetProbe::Found(_) => Ok(false),
        SetProbe::Missing(slot, dummy) => {
            if slot == usize::MAX {
                sp.set_resize(s, 0);
                return set_add(cx, s, key, hash);
            }
            sp.set_write_slot(s, slot, Some(key), hash);
            // SAFETY: SET layout.
            unsafe {
                s.set::<usize>(SET_USED, sp.set_len(s) + 1);
                if !dummy {
                    let fill = s.get::<usize>(SET_FILL) + 1;
                    s.set::<usize>(SET_FILL, fill);
                    let mask = sp.set_table_size(s) - 1;
                    if fill * 5 >= mask * 3 {
                        let used = sp.set_len(s);
                        sp.set_resize(s, if used > 50_000 { used * 2 } else { used * 4 });
                    }
                }
            }
            Ok(true)
        }
    }
}

/// Removes `key`; returns whether it was there.
pub fn set_discard<C: KeyCtx>(cx: &mut C, s: Value, key: Value, hash: i64) -> Result<bool, C::Err> {
    let ss = cx.space().heap.shadow_stack();
    ss.push(Some(s.0));
    let r = set_probe(cx, s, key, hash);
    let s = Value(cx.space().heap.shadow_stack().pop().expect("rooted"));
    let sp = cx.space();
    match r? {
        SetProbe::Found(j) => {
            sp.set_write_slot(s, j, None, DUMMY_HASH);
            // SAFETY: SET layout.
            unsafe { s.set::<usize>(SET_USED, sp.set_len(s) - 1) };
            Ok(true)
        }
        SetProbe::Missing(..) => Ok(false),
    }
}
