//! Instances and their shapes ("maps", as PyPy's mapdict): instances of a class that
//! get the same attributes in the same order share one map, which says at which slot
//! each attribute lives, so an instance stores only its values (the first
//! [`INSTANCE_INLINE`] inline, the rest in an overflow array).
//!
//! Maps live on the Rust side and are never freed (their number is bounded by the
//! program's distinct attribute orders). Attribute names are interned strs, known here by
//! their symbol ids.

use crate::fxhash::FxHashMap as HashMap;
use crate::layout::{self as l, *};
use crate::space::Space;
use crate::value::Value;

/// One shape: the attribute names (by symbol id) in slot order, and the transitions to
/// the shapes that add one more attribute.
#[derive(Default, Debug)]
pub struct Map {
    /// Symbol ids of the attributes, in slot order.
    pub attrs: Vec<u32>,
    index: HashMap<u32, u32>,
    transitions: HashMap<u32, u32>,
    /// The most recent transition, checked before the table (classes usually add their
    /// attributes in one order, so this is nearly always the hit).
    last: Option<(u32, u32)>,
    /// The map this one extends (None for the empty map).
    pub parent: Option<u32>,
}

/// All maps. Map 0 is the empty map.
#[derive(Debug)]
pub struct Maps {
    maps: Vec<Map>,
}

impl Default for Maps {
    fn default() -> Self {
        Maps {
            maps: vec![Map::default()],
        }
    }
}

impl Maps {
    /// Slot of attribute `sym` in map `m`.
    #[inline]
    pub fn slot_of(&self, m: u32, sym: u32) -> Option<u32> {
        let map = &self.maps[m as usize];
        if map.attrs.len() <= 8 {
            return map.attrs.iter().position(|&a| a == sym).map(|p| p as u32);
        }
        map.index.get(&sym).copied()
    }

    /// The map with `sym` added to `m` (created on first use).
    #[inline]
    pub fn add(&mut self, m: u32, sym: u32) -> u32 {
        if let Some((s, n)) = self.maps[m as usize].last {
            if s == sym {
                return n;
            }
        }
        if let Some(&n) = self.maps[m as usize].transitions.get(&sym) {
            self.maps[m as usize].last = Some((sym, n));
            return n;
        }
        let mut attrs = self.maps[m as usize].attrs.clone();
        attrs.push(sym);
        let index = attrs
            .iter()
            .enumerate()
            .map(|(i, &a)| (a, i as u32))
            .collect();
        let id = self.maps.len() as u32;
        self.maps.push(Map {
            attrs,
            index,
            transitions: HashMap::default(),
            last: None,
            parent: Some(m),
        });
        self.maps[m as usize].transitions.insert(sym, id);
        self.maps[m as usize].last = Some((sym, id));
        id
    }

    /// The map's attributes in slot order.
    pub fn attrs(&self, m: u32) -> &[u32] {
        &self.maps[m as usize].attrs
    }
}

/// Map id of an instance whose attributes moved to a real dict (in the overflow slot),
/// once its `__dict__` was asked for: PyPy's "devolved" instances.
pub const DICT_MODE: u32 = u32::MAX;

impl Space {
    /// The dict of an instance in dict mode.
    #[inline]
    fn inst_dict_of(&self, o: Value) -> Value {
        // SAFETY: INSTANCE layout; in dict mode the overflow slot holds the dict.
        unsafe { o.get_ref(INST_OVERFLOW).unwrap_unchecked() }
    }

    /// The instance's attribute dict, switching the instance to dict mode (attributes
    /// live in that dict from now on, so changes through it are seen, as in CPython).
    pub fn inst_make_dict(&mut self, o: Value) -> Value {
        if self.inst_map(o) == DICT_MODE {
            return self.inst_dict_of(o);
        }
        let attrs = self.inst_attrs(o);
        let d = self.new_dict();
        for (sym, v) in attrs {
            let k = self.symbols[sym as usize];
            self.dict_set_str(d, k, v);
        }
        // SAFETY: INSTANCE layout.
        unsafe {
            for i in 0..INSTANCE_INLINE {
                self.store(o, INST_SLOTS + 8 * i, None);
            }
            self.store(o, INST_OVERFLOW, Some(d));
            o.set::<u64>(INST_MAP, DICT_MODE as u64);
        }
        d
    }

    /// A new instance of class `ty` with no attributes.
    #[inline]
    pub fn new_instance(&mut self, ty: Value) -> Value {
        self.alloc(l::INSTANCE, ty)
    }

    /// The map id of an instance.
    #[inline(always)]
    pub fn inst_map(&self, o: Value) -> u32 {
        // SAFETY: INSTANCE layout.
        unsafe { o.get::<u64>(INST_MAP) as u32 }
    }

    #[inline(always)]
    fn inst_slot_get(&self, o: Value, slot: usize) -> Option<Value> {
        // SAFETY: INSTANCE layout; overflow array long enough for every slot of the map.
        unsafe {
            if slot < INSTANCE_INLINE {
                o.get_ref(INST_SLOTS + 8 * slot)
            } else {
                o.get_ref(INST_OVERFLOW)?
                    .get_ref(ARRAY_ITEMS + 8 * (slot - INSTANCE_INLINE))
            }
        }
    }

    /// Attribute `sym` of an instance, from its own storage.
    #[inline]
    pub fn inst_get(&self, o: Value, sym: u32) -> Option<Value> {
        let m = self.inst_map(o);
        if m == DICT_MODE {
            return self.dict_get_str_ro(self.inst_dict_of(o), self.symbols[sym as usize]);
        }
        let slot = self.maps.slot_of(m, sym)?;
        self.inst_slot_get(o, slot as usize)
    }

    /// Sets attribute `sym` of an instance (adding it to the shape if new).
    pub fn inst_set(&mut self, o: Value, sym: u32, v: Value) {
        let m = self.inst_map(o);
        if m == DICT_MODE {
            let (d, k) = (self.inst_dict_of(o), self.symbols[sym as usize]);
            self.dict_set_str(d, k, v);
            return;
        }
        let slot = match self.maps.slot_of(m, sym) {
            Some(s) => s as usize,
            None => {
                let n = self.maps.add(m, sym);
                let slot = self.maps.attrs(n).len() - 1;
                if slot >= INSTANCE_INLINE {
                    let need = slot - INSTANCE_INLINE + 1;
                    // SAFETY: INSTANCE layout.
                    let cur = unsafe { o.get_ref(INST_OVERFLOW) };
                    let cap = cur.map_or(0, |a| unsafe { a.get::<usize>(ARRAY_LEN) });
                    if need > cap {
                        let arr = self.alloc_refarray((cap * 2).max(4).max(need));
                        if let Some(old) = cur {
                            // SAFETY: both arrays hold `cap` slots; the new one is fresh.
                            unsafe {
                                std::ptr::copy_nonoverlapping(
                                    old.ptr::<Value>(ARRAY_ITEMS),
                                    arr.ptr::<Value>(ARRAY_ITEMS),
                                    cap,
                                )
                            };
                        }
                        // SAFETY: INSTANCE layout.
                        unsafe { self.store(o, INST_OVERFLOW, Some(arr)) };
                    }
                }
                // SAFETY: INSTANCE layout.
                unsafe { o.set::<u64>(INST_MAP, n as u64) };
                slot
            }
        };
        // SAFETY: INSTANCE layout; the overflow array was sized above.
        unsafe {
            if slot < INSTANCE_INLINE {
                self.store(o, INST_SLOTS + 8 * slot, Some(v));
            } else {
                let arr = o.get_ref(INST_OVERFLOW).unwrap_unchecked();
                self.store_item(arr, ARRAY_ITEMS, slot - INSTANCE_INLINE, Some(v));
            }
        }
    }

    /// Removes attribute `sym`; returns whether it existed. The instance moves to the map
    /// without it (rebuilt from the empty map), its values shifting down.
    pub fn inst_del(&mut self, o: Value, sym: u32) -> bool {
        let m = self.inst_map(o);
        if m == DICT_MODE {
            let (d, k) = (self.inst_dict_of(o), self.symbols[sym as usize]);
            return self.dict_del_str(d, k).is_some();
        }
        if self.maps.slot_of(m, sym).is_none() {
            return false;
        }
        let pairs: Vec<(u32, Value)> = self
            .maps
            .attrs(m)
            .to_vec()
            .into_iter()
            .enumerate()
            .filter(|&(_, a)| a != sym)
            .map(|(i, a)| (a, self.inst_slot_get(o, i).expect("filled slot")))
            .collect();
        // SAFETY: INSTANCE layout: reset to the empty map, clear the storage.
        unsafe {
            o.set::<u64>(INST_MAP, 0);
            for i in 0..INSTANCE_INLINE {
                self.store(o, INST_SLOTS + 8 * i, None);
            }
            self.store(o, INST_OVERFLOW, None);
        }
        for (a, v) in pairs {
            self.inst_set(o, a, v);
        }
        true
    }

    /// The instance's attributes in order, as `(symbol id, value)`.
    pub fn inst_attrs(&self, o: Value) -> Vec<(u32, Value)> {
        let m = self.inst_map(o);
        if m == DICT_MODE {
            return self
                .dict_items(self.inst_dict_of(o))
                .into_iter()
                .filter_map(|(k, v)| self.sym_of(k).map(|s| (s, v)))
                .collect();
        }
        self.maps
            .attrs(m)
            .iter()
            .enumerate()
            .filter_map(|(i, &a)| self.inst_slot_get(o, i).map(|v| (a, v)))
            .collect()
    }

    /// The backing built-in value of an instance of a subclass of a built-in type.
    #[inline]
    pub fn inst_backing(&self, o: Value) -> Option<Value> {
        // SAFETY: INSTANCE layout.
        unsafe { o.get_ref(INST_BACKING) }
    }

    /// Sets the backing value.
    pub fn set_inst_backing(&self, o: Value, v: Value) {
        // SAFETY: INSTANCE layout.
        unsafe { self.store(o, INST_BACKING, Some(v)) }
    }
}
