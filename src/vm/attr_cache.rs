//! The type-attribute cache: a direct-mapped table from (type, interned name) to the
//! result of the MRO lookup. Entries hold object addresses, so the whole table is
//! dropped when any type's namespace changes (the space's type version) and after every
//! collection (objects may have moved).

use thicket_object_model::Value;

const SIZE: usize = 4096;

#[derive(Clone, Copy)]
struct Entry {
    ty: usize,
    name: usize,
    value: Option<Value>,
}

/// The cache (see the module doc).
pub struct AttrCache {
    entries: Box<[Entry]>,
    stamp: (u64, u64),
}

impl Default for AttrCache {
    fn default() -> Self {
        AttrCache {
            entries: vec![
                Entry {
                    ty: 0,
                    name: 0,
                    value: None
                };
                SIZE
            ]
            .into_boxed_slice(),
            stamp: (0, 0),
        }
    }
}

impl AttrCache {
    #[inline(always)]
    fn slot(ty: usize, name: usize) -> usize {
        ((ty >> 4) ^ (name >> 3).wrapping_mul(0x9e37_79b9)) & (SIZE - 1)
    }

    /// Empties the table if `stamp` (type version, collection count) changed.
    #[inline(always)]
    pub fn validate(&mut self, stamp: (u64, u64)) {
        if stamp != self.stamp {
            self.clear();
            self.stamp = stamp;
        }
    }

    /// Drops every entry.
    pub fn clear(&mut self) {
        for e in self.entries.iter_mut() {
            e.ty = 0;
        }
    }

    /// The cached lookup result: `Some(result)` on a hit.
    #[inline(always)]
    pub fn get(&self, ty: Value, name: Value) -> Option<Option<Value>> {
        let e = &self.entries[Self::slot(ty.addr(), name.addr())];
        (e.ty == ty.addr() && e.name == name.addr()).then_some(e.value)
    }

    /// Records a lookup result.
    #[inline(always)]
    pub fn put(&mut self, ty: Value, name: Value, value: Option<Value>) {
        let e = &mut self.entries[Self::slot(ty.addr(), name.addr())];
        *e = Entry {
            ty: ty.addr(),
            name: name.addr(),
            value,
        };
    }
}
