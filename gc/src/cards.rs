//! Card marking for large arrays of references.
//!
//! An array of references of at least [`CARD_MIN_ITEMS`] items that lives in the
//! large-object space carries a card table: one bit per [`CARD_ITEMS`] items (as PyPy),
//! stored in the bytes just before its header (bit `c` of card `c` is bit `c & 7` of the
//! byte at `header - 1 - c / 8`), and the header flag `FLAG_HAS_CARDS`.
//!
//! The array barrier ([`Core::write_barrier_array`]) tests the same header bit as the
//! object barrier; on such an array it sets the card of the written index instead of
//! remembering the whole array, and keeps the barrier armed. Each card set for the first
//! time in a minor cycle is listed (and the array flagged `FLAG_CARDS_SET`). A minor
//! collection then visits exactly the listed cards, scanning their items and clearing
//! them: the cost follows the writes, not the array's length (PyPy scans every card byte
//! of every written array).
//!
//! Unlike PyPy, cards also save work while marking: when the array is already black, the
//! dirty card ranges are handed to the marker as grey *ranges*, instead of greying the
//! whole array again.

use crate::header::{Header, ObjRef, FLAG_TRACK_YOUNG_PTRS};
use crate::heap::Core;

/// Items per card.
pub const CARD_ITEMS: usize = 128;
/// Arrays of references with at least this many items get cards when they live in the
/// large-object space.
pub const CARD_MIN_ITEMS: usize = 1024;

/// The array has a card table before its header.
pub const FLAG_HAS_CARDS: u64 = 1 << 39;
/// At least one card is set and the array is on the card list.
pub const FLAG_CARDS_SET: u64 = 1 << 40;

/// Bytes of card table for `len` items (a multiple of 16, to keep the object aligned).
pub fn card_table_bytes(len: usize) -> usize {
    len.div_ceil(CARD_ITEMS).div_ceil(8).next_multiple_of(16)
}

/// The byte holding card `c` of `obj`, and the bit in it.
///
/// # Safety
/// `obj` must have a card table covering card `c`.
#[inline(always)]
pub(crate) unsafe fn card_byte(obj: ObjRef, c: usize) -> (*mut u8, u8) {
    // SAFETY: the table lies before the header, one byte per eight cards.
    (unsafe { obj.as_ptr().sub(1 + c / 8) }, 1u8 << (c % 8))
}

/// Whether the card covering item `index` of `obj` is set.
///
/// # Safety
/// `obj` must be a live array with a card table, `index` in bounds.
pub(crate) unsafe fn card_is_set(obj: ObjRef, index: usize) -> bool {
    // SAFETY: forwarded.
    unsafe {
        let (b, bit) = card_byte(obj, index / CARD_ITEMS);
        *b & bit != 0
    }
}

impl Core {
    /// The array barrier: call before storing a reference into item `index` of `obj`
    /// (any object; arrays with cards mark a card, others are remembered).
    ///
    /// # Safety
    /// `obj` must be a live object of this heap; with cards, `index` must be in bounds.
    #[inline(always)]
    pub unsafe fn write_barrier_array(&self, obj: ObjRef, index: usize) {
        // SAFETY: live object.
        let h = unsafe { obj.header() };
        if h.0 & FLAG_TRACK_YOUNG_PTRS != 0 {
            // SAFETY: forwarded.
            unsafe {
                if h.0 & FLAG_HAS_CARDS != 0 {
                    self.mark_card(obj, index)
                } else {
                    self.remember(obj)
                }
            }
        }
    }

    /// Sets the card of `index`; a card set for the first time in the cycle is listed,
    /// so the minor collection visits exactly the dirty cards, whatever the length.
    ///
    /// # Safety
    /// `obj` must be a live array with cards; `index` in bounds.
    #[inline]
    unsafe fn mark_card(&self, obj: ObjRef, index: usize) {
        // SAFETY: the card table covers every in-bounds index; the card list is touched
        // only here (never re-entered) and by minor collections, which hold `&mut Core`.
        unsafe {
            let c = index / CARD_ITEMS;
            let (b, bit) = card_byte(obj, c);
            if *b & bit == 0 {
                *b |= bit;
                (*self.cards.get()).push((obj, c));
                let h = obj.header();
                if h.0 & FLAG_CARDS_SET == 0 {
                    obj.set_header(Header(h.0 | FLAG_CARDS_SET));
                }
            }
        }
    }
}
