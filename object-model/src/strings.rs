//! `str` and `bytes` objects: allocation, access to their text, hashing.
//!
//! A `str` holds UTF-8 with its character count and an ASCII flag, so that indexing an
//! ASCII string is O(1) and the cpyext layer can hand C an ASCII string's bytes as
//! PEP 393 compact-ASCII data without conversion.

use crate::layout::{self as l, *};
use crate::space::{oom, Space};
use crate::value::Value;

/// Python's hash of a byte string in this process (not CPython's randomised SipHash:
/// programs cannot depend on it). Never -1.
pub fn hash_bytes(b: &[u8]) -> i64 {
    // FNV-1a, then a final mix.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in b {
        h ^= c as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 32;
    let h = h as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

impl Space {
    fn alloc_strlike(
        &mut self,
        layout: thicket_gc::TypeId,
        ty: Value,
        b: &[u8],
        nonmoving: bool,
    ) -> Value {
        let v = if nonmoving {
            // SAFETY: STR/BYTES are variable layouts.
            let v = Value(
                unsafe { self.heap.alloc_nonmoving_raw(layout, b.len()) }
                    .unwrap_or_else(|e| oom(e)),
            );
            // SAFETY: type slot of a fresh object.
            unsafe { v.init_ref(crate::value::TYPE_OFFSET, Some(ty)) };
            v
        } else {
            self.alloc_var(layout, ty, b.len())
        };
        // SAFETY: STR layout (shared by bytes): fresh object, `b.len()` data bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(b.as_ptr(), v.ptr::<u8>(STR_DATA), b.len());
            v.set::<i64>(STR_HASH, -1);
            v.set::<i64>(STR_SYM, -1);
        }
        v
    }

    /// Sets the character count and ASCII flag of a fresh str.
    fn finish_str(&self, v: Value, s: &str) {
        let ascii = s.is_ascii();
        let n = if ascii { s.len() } else { s.chars().count() };
        // SAFETY: STR layout.
        unsafe {
            v.set::<usize>(STR_NCHARS, n);
            v.set::<u64>(STR_FLAGS, if ascii { STR_ASCII } else { 0 });
        }
    }

    pub(crate) fn alloc_str_nonmoving(&mut self, s: &str) -> Value {
        let v = self.alloc_strlike(l::STR, self.t.str_, s.as_bytes(), true);
        self.finish_str(v, s);
        v
    }

    /// A new `str`. (The empty string is the interned one.)
    pub fn new_str(&mut self, s: &str) -> Value {
        if s.is_empty() && !self.symbols.is_empty() {
            return self.empty_str;
        }
        let v = self.alloc_strlike(l::STR, self.t.str_, s.as_bytes(), false);
        self.finish_str(v, s);
        v
    }

    /// A new one-character str for an ASCII byte, or any `char`.
    pub fn new_char(&mut self, c: char) -> Value {
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        if s.len() == 1 {
            // Single ASCII characters are interned: indexing strings is common.
            return self.intern(s);
        }
        self.new_str(s)
    }

    /// A new `bytes`.
    pub fn new_bytes(&mut self, b: &[u8]) -> Value {
        let v = self.alloc_strlike(l::BYTES, self.t.bytes, b, false);
        // SAFETY: BYTES layout.
        unsafe {
            v.set::<usize>(STR_NCHARS, b.len());
            v.set::<u64>(STR_FLAGS, 0);
        }
        v
    }

    /// The text of a str object (STR layout), valid until the next safepoint.
    #[inline(always)]
    pub fn str_of(&self, v: Value) -> &str {
        debug_assert_eq!(v.layout(), l::STR);
        // SAFETY: STR layout holds valid UTF-8 of `len` bytes, written at creation and
        // never changed.
        unsafe {
            let n = v.get::<usize>(STR_LEN);
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(v.ptr::<u8>(STR_DATA), n))
        }
    }

    /// The bytes of a bytes object (or the UTF-8 of a str).
    #[inline(always)]
    pub fn bytes_of(&self, v: Value) -> &[u8] {
        debug_assert!(v.layout() == l::BYTES || v.layout() == l::STR);
        // SAFETY: as above.
        unsafe { std::slice::from_raw_parts(v.ptr::<u8>(STR_DATA), v.get::<usize>(STR_LEN)) }
    }

    /// Number of characters of a str.
    #[inline(always)]
    pub fn str_nchars(&self, v: Value) -> usize {
        // SAFETY: STR layout.
        unsafe { v.get::<usize>(STR_NCHARS) }
    }

    /// Whether a str is all ASCII.
    #[inline(always)]
    pub fn str_is_ascii(&self, v: Value) -> bool {
        // SAFETY: STR layout.
        unsafe { v.get::<u64>(STR_FLAGS) & STR_ASCII != 0 }
    }

    /// The (cached) hash of a str or bytes.
    #[inline]
    pub fn str_hash(&self, v: Value) -> i64 {
        // SAFETY: STR layout (shared by bytes).
        let h = unsafe { v.get::<i64>(STR_HASH) };
        if h != -1 {
            return h;
        }
        let h = hash_bytes(self.bytes_of(v));
        // SAFETY: a plain field; caching does not change the value.
        unsafe { v.set::<i64>(STR_HASH, h) };
        h
    }

    /// The hash of a str or bytes without caching it.
    #[inline]
    pub fn str_hash_ro(&self, v: Value) -> i64 {
        // SAFETY: STR layout (shared by bytes).
        let h = unsafe { v.get::<i64>(STR_HASH) };
        if h != -1 {
            h
        } else {
            hash_bytes(self.bytes_of(v))
        }
    }

    /// Whether two str (or two bytes) objects hold the same text.
    #[inline]
    pub fn str_eq(&self, a: Value, b: Value) -> bool {
        if a.is(b) {
            return true;
        }
        let (sa, sb) = (self.str_sym(a), self.str_sym(b));
        if sa >= 0 && sb >= 0 {
            return false; // distinct interned strings
        }
        self.bytes_of(a) == self.bytes_of(b)
    }

    /// Character `i` of a str (`i < nchars`).
    pub fn str_char_at(&self, v: Value, i: usize) -> char {
        let s = self.str_of(v);
        if self.str_is_ascii(v) {
            s.as_bytes()[i] as char
        } else {
            s.chars().nth(i).expect("index in range")
        }
    }

    /// Byte offset of character `i` (`i <= nchars`).
    pub fn str_byte_offset(&self, v: Value, i: usize) -> usize {
        if self.str_is_ascii(v) {
            return i;
        }
        let s = self.str_of(v);
        s.char_indices().nth(i).map_or(s.len(), |(o, _)| o)
    }
}
