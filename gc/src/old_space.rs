//! Old space for small objects: segregated size classes on pages inside arenas.
//!
//! An arena is a [`ARENA_SIZE`]-byte mapping aligned to its size, cut into
//! [`PAGES_PER_ARENA`] pages of [`PAGE_SIZE`] bytes. A page in use holds cells of one size
//! class. Each class allocates from its current page: first from the page's free list
//! (cells freed by sweeping, linked through their second word), then by bumping into the
//! never-used tail of the page. Objects never move here.
//!
//! Invariants:
//! - every cell below a page's `high_water` is either an object or a free cell whose
//!   header has type [`FREE_CELL_TYPE`];
//! - `bytes_in_use` is the sum of the cell sizes of all allocated cells;
//! - a page is in exactly one place: a class's current page, a class's partial list, the
//!   full set (no list), or the free-page pool.
//!
//! Sweeping is done page by page ([`OldSpace::sweep_page`]) so that it can be stepped.
//! Arenas whose pages are all free go back to the OS when a sweep finishes.

use crate::header::{Header, ObjRef, FLAG_MARKED, FREE_CELL_TYPE};
use crate::layout::TypeId;
use crate::os;
use std::ptr::{null_mut, NonNull};

/// Bytes per page.
pub const PAGE_SIZE: usize = 64 << 10;
/// Pages per arena.
pub const PAGES_PER_ARENA: usize = 64;
/// Bytes per arena.
pub const ARENA_SIZE: usize = PAGE_SIZE * PAGES_PER_ARENA;
/// The largest object kept in size classes; larger old objects go to the large space.
pub const MAX_SMALL_SIZE: usize = 8 << 10;

/// A page: arena index and page number, packed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct PageRef(u32);

impl PageRef {
    fn new(arena: usize, page: usize) -> PageRef {
        PageRef((arena as u32) << 8 | page as u32)
    }
    fn arena(self) -> usize {
        (self.0 >> 8) as usize
    }
    fn page(self) -> usize {
        (self.0 & 0xff) as usize
    }
}

#[derive(Clone, Copy)]
struct PageInfo {
    in_use: bool,
    class: u16,
    /// End of the part of the page ever handed out.
    high_water: *mut u8,
    /// Free list saved while the page is not a class's current page.
    free_list: *mut u8,
}

struct Arena {
    base: NonNull<u8>,
    pages: [PageInfo; PAGES_PER_ARENA],
    free_pages: usize,
}

struct SizeClass {
    cell: usize,
    free: *mut u8,
    bump: *mut u8,
    end: *mut u8,
    current: Option<PageRef>,
    /// Pages with free cells, filled by sweeping.
    partial: Vec<PageRef>,
}

/// What sweeping one page did.
#[derive(Default, Clone, Copy, Debug)]
pub(crate) struct SweepResult {
    pub freed_bytes: usize,
    pub freed_objects: usize,
}

pub(crate) struct OldSpace {
    classes: Vec<SizeClass>,
    /// `class_of[(size + 7) / 8]` for sizes up to `MAX_SMALL_SIZE`.
    class_of: Vec<u16>,
    arenas: Vec<Option<Arena>>,
    free_pool: Vec<PageRef>,
    pub bytes_in_use: usize,
    pub poison_freed: bool,
    /// Pages waiting to be swept in the current cycle.
    to_sweep: Vec<PageRef>,
}

fn class_sizes() -> Vec<usize> {
    let mut v: Vec<usize> = (2..=16).map(|w| w * 8).collect(); // 16..=128 by 8
    v.extend((9..=16).map(|k| k * 16)); // 144..=256 by 16
    let mut base = 256;
    while base < MAX_SMALL_SIZE {
        for q in 1..=4 {
            v.push(base + base * q / 4);
        }
        base *= 2;
    }
    v
}

impl OldSpace {
    pub fn new(poison_freed: bool) -> OldSpace {
        let sizes = class_sizes();
        let mut class_of = vec![0u16; MAX_SMALL_SIZE / 8 + 1];
        let mut c = 0;
        for (w, slot) in class_of.iter_mut().enumerate() {
            while sizes[c] < w * 8 {
                c += 1;
            }
            *slot = c as u16;
        }
        OldSpace {
            classes: sizes
                .into_iter()
                .map(|cell| SizeClass {
                    cell,
                    free: null_mut(),
                    bump: null_mut(),
                    end: null_mut(),
                    current: None,
                    partial: Vec::new(),
                })
                .collect(),
            class_of,
            arenas: Vec::new(),
            free_pool: Vec::new(),
            bytes_in_use: 0,
            poison_freed,
            to_sweep: Vec::new(),
        }
    }

    /// Allocates a cell of at least `size <= MAX_SMALL_SIZE` bytes. The cell's contents are
    /// unspecified; the caller writes the whole object. `None` when the OS refuses memory.
    #[inline]
    pub fn alloc(&mut self, size: usize) -> Option<NonNull<u8>> {
        debug_assert!(size <= MAX_SMALL_SIZE);
        let c = self.class_of[size.div_ceil(8)] as usize;
        let sc = &mut self.classes[c];
        let cell = sc.cell;
        if !sc.free.is_null() {
            let p = sc.free;
            // SAFETY: free cells are at least 16 bytes and keep the next link in word 1.
            sc.free = unsafe { *(p.add(8) as *const *mut u8) };
            self.bytes_in_use += cell;
            // SAFETY: `p` is non-null (checked above).
            return Some(unsafe { NonNull::new_unchecked(p) });
        }
        if (sc.end as usize) - (sc.bump as usize) >= cell {
            let p = sc.bump;
            // SAFETY: `p + cell <= end`, the end of the current page.
            sc.bump = unsafe { p.add(cell) };
            self.bytes_in_use += cell;
            // SAFETY: `p` lies in a mapped page, so it is non-null.
            return Some(unsafe { NonNull::new_unchecked(p) });
        }
        self.refill(c)?;
        self.alloc(size)
    }

    /// Gives class `c` a page with room: a partially free page left by sweeping, or a
    /// free page.
    #[cold]
    fn refill(&mut self, c: usize) -> Option<()> {
        self.retire(c);
        let page = match self.classes[c].partial.pop() {
            Some(p) => p,
            None => {
                let p = match self.free_pool.pop() {
                    Some(p) => p,
                    None => self.new_arena()?,
                };
                let base = self.page_base(p);
                let a = self.arenas[p.arena()]
                    .as_mut()
                    .expect("free page of a live arena");
                a.free_pages -= 1;
                a.pages[p.page()] = PageInfo {
                    in_use: true,
                    class: c as u16,
                    high_water: base,
                    free_list: null_mut(),
                };
                p
            }
        };
        let base = self.page_base(page);
        let info = self.arenas[page.arena()].as_mut().unwrap().pages[page.page()];
        let sc = &mut self.classes[c];
        sc.current = Some(page);
        sc.free = info.free_list;
        sc.bump = info.high_water;
        // SAFETY: the page spans PAGE_SIZE bytes from its base inside the arena mapping.
        sc.end = unsafe { base.add(PAGE_SIZE - PAGE_SIZE % sc.cell) };
        Some(())
    }

    /// Writes class `c`'s allocation state back into its current page.
    fn retire(&mut self, c: usize) {
        let sc = &mut self.classes[c];
        if let Some(p) = sc.current.take() {
            let info = &mut self.arenas[p.arena()].as_mut().unwrap().pages[p.page()];
            info.high_water = sc.bump;
            info.free_list = sc.free;
            sc.free = null_mut();
            sc.bump = null_mut();
            sc.end = null_mut();
        }
    }

    fn new_arena(&mut self) -> Option<PageRef> {
        let base = os::map_aligned(ARENA_SIZE, ARENA_SIZE)?;
        let idx = match self.arenas.iter().position(|a| a.is_none()) {
            Some(i) => i,
            None => {
                self.arenas.push(None);
                self.arenas.len() - 1
            }
        };
        assert!(idx < (1 << 24), "thicket-gc: too many arenas");
        self.arenas[idx] = Some(Arena {
            base,
            pages: [PageInfo {
                in_use: false,
                class: 0,
                high_water: null_mut(),
                free_list: null_mut(),
            }; PAGES_PER_ARENA],
            free_pages: PAGES_PER_ARENA,
        });
        // Hand out low pages first.
        for p in (1..PAGES_PER_ARENA).rev() {
            self.free_pool.push(PageRef::new(idx, p));
        }
        Some(PageRef::new(idx, 0))
    }

    fn page_base(&self, p: PageRef) -> *mut u8 {
        let a = self.arenas[p.arena()]
            .as_ref()
            .expect("page of a live arena");
        // SAFETY: page < PAGES_PER_ARENA, so the address is inside the arena mapping.
        unsafe { a.base.as_ptr().add(p.page() * PAGE_SIZE) }
    }

    /// Bytes mapped for arenas.
    pub fn mapped_bytes(&self) -> usize {
        self.arenas.iter().flatten().count() * ARENA_SIZE
    }

    /// Number of arenas currently mapped.
    pub fn arena_count(&self) -> usize {
        self.arenas.iter().flatten().count()
    }

    fn current_high_water(&self, p: PageRef, info: &PageInfo) -> *mut u8 {
        let sc = &self.classes[info.class as usize];
        if sc.current == Some(p) {
            sc.bump
        } else {
            info.high_water
        }
    }

    /// Calls `f` on every allocated cell of every page (the verifier's heap walk).
    pub fn for_each_object(&self, mut f: impl FnMut(ObjRef)) {
        for (ai, a) in self.arenas.iter().enumerate() {
            let Some(a) = a else { continue };
            for (pi, info) in a.pages.iter().enumerate() {
                if !info.in_use {
                    continue;
                }
                let cell = self.classes[info.class as usize].cell;
                let hw = self.current_high_water(PageRef::new(ai, pi), info) as usize;
                let mut p = a.base.as_ptr() as usize + pi * PAGE_SIZE;
                while p + cell <= hw {
                    // SAFETY: p is a cell below the high-water mark, so it holds a header.
                    let h = unsafe { *(p as *const Header) };
                    if h.type_id().0 != FREE_CELL_TYPE {
                        // SAFETY: an allocated cell holds an object.
                        f(unsafe { ObjRef::from_raw(NonNull::new_unchecked(p as *mut u8)) });
                    }
                    p += cell;
                }
            }
        }
    }

    /// Starts a sweep: every in-use page is queued, classes lose their current pages and
    /// partial lists (sweeping rebuilds them).
    pub fn sweep_prepare(&mut self) {
        for c in 0..self.classes.len() {
            self.retire(c);
            self.classes[c].partial.clear();
        }
        self.to_sweep.clear();
        for (ai, a) in self.arenas.iter().enumerate() {
            let Some(a) = a else { continue };
            for (pi, info) in a.pages.iter().enumerate() {
                if info.in_use {
                    self.to_sweep.push(PageRef::new(ai, pi));
                }
            }
        }
    }

    /// Base addresses of the pages still to sweep.
    pub fn unswept_pages(&self) -> std::collections::HashSet<usize> {
        self.to_sweep
            .iter()
            .map(|&p| self.page_base(p) as usize)
            .collect()
    }

    /// Pages still to sweep.
    pub fn sweep_remaining(&self) -> usize {
        self.to_sweep.len()
    }

    /// Sweeps one queued page: unmarked objects become free cells (after `on_free` is
    /// told), marked ones are unmarked. Returns `None` when no page is left.
    pub fn sweep_page(&mut self, mut on_free: impl FnMut(ObjRef, TypeId)) -> Option<SweepResult> {
        let p = self.to_sweep.pop()?;
        let base = self.page_base(p);
        let info = self.arenas[p.arena()].as_ref().unwrap().pages[p.page()];
        let class = info.class as usize;
        let cell = self.classes[class].cell;
        let hw = info.high_water as usize;
        let mut res = SweepResult::default();
        let mut free_list: *mut u8 = null_mut();
        let mut live = 0usize;
        let mut addr = base as usize;
        while addr + cell <= hw {
            let q = addr as *mut u8;
            // SAFETY: q is a cell below the page's high-water mark: it holds a header, and
            // cells are at least 16 bytes, so word 1 may hold the free-list link.
            unsafe {
                let h = *(q as *const Header);
                let free = if h.type_id().0 == FREE_CELL_TYPE {
                    true
                } else if h.has(FLAG_MARKED) {
                    *(q as *mut Header) = Header(h.0 & !FLAG_MARKED);
                    live += 1;
                    false
                } else {
                    on_free(ObjRef::from_raw(NonNull::new_unchecked(q)), h.type_id());
                    res.freed_bytes += cell;
                    res.freed_objects += 1;
                    if self.poison_freed {
                        std::ptr::write_bytes(q, crate::nursery::POISON_BYTE, cell);
                    }
                    *(q as *mut Header) = Header(FREE_CELL_TYPE as u64);
                    true
                };
                if free {
                    *(q.add(8) as *mut *mut u8) = free_list;
                    free_list = q;
                }
            }
            addr += cell;
        }
        self.bytes_in_use -= res.freed_bytes;
        let a = self.arenas[p.arena()].as_mut().unwrap();
        if live == 0 {
            a.pages[p.page()].in_use = false;
            a.free_pages += 1;
        } else {
            a.pages[p.page()].free_list = free_list;
            let room = !free_list.is_null() || hw + cell <= base as usize + PAGE_SIZE;
            if room {
                self.classes[class].partial.push(p);
            }
        }
        Some(res)
    }

    /// Ends a sweep: arenas with no page in use are unmapped, but for up to
    /// `keep_bytes` of them (memory the heap is expected to fill again before the next
    /// major collection, so unmapping it would only cost page faults); the free-page pool
    /// is rebuilt so that pages of the fullest arenas are reused first. Returns the bytes
    /// given back to the OS.
    pub fn sweep_finish(&mut self, keep_bytes: usize) -> usize {
        debug_assert!(self.to_sweep.is_empty());
        let mut returned = 0;
        let mut keep = keep_bytes / ARENA_SIZE;
        for slot in self.arenas.iter_mut() {
            if let Some(a) = slot {
                if a.free_pages == PAGES_PER_ARENA && keep > 0 {
                    keep -= 1;
                } else if a.free_pages == PAGES_PER_ARENA {
                    // SAFETY: no page of this arena is in use, no class or list refers to
                    // it (the pool is rebuilt below), and it was mapped with this size.
                    unsafe { os::unmap(a.base, ARENA_SIZE) };
                    returned += ARENA_SIZE;
                    *slot = None;
                }
            }
        }
        let mut order: Vec<(usize, usize)> = self
            .arenas
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.as_ref().map(|a| (a.free_pages, i)))
            .collect();
        // Pop order: least free arenas last in the vector, so they are popped first.
        order.sort_unstable_by(|a, b| b.cmp(a));
        self.free_pool.clear();
        for (_, ai) in order {
            let a = self.arenas[ai].as_ref().unwrap();
            for pi in (0..PAGES_PER_ARENA).rev() {
                if !a.pages[pi].in_use {
                    self.free_pool.push(PageRef::new(ai, pi));
                }
            }
        }
        returned
    }
}

impl Drop for OldSpace {
    fn drop(&mut self) {
        for a in self.arenas.iter().flatten() {
            // SAFETY: each live arena was mapped with ARENA_SIZE and is unmapped once, as
            // the space (and every object in it) goes away.
            unsafe { os::unmap(a.base, ARENA_SIZE) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_table_covers_every_small_size() {
        let s = OldSpace::new(false);
        let mut last = 0;
        for size in (8..=MAX_SMALL_SIZE).step_by(8) {
            let cell = s.classes[s.class_of[size.div_ceil(8)] as usize].cell;
            assert!(cell >= size, "size {size} got cell {cell}");
            assert!(cell >= last);
            assert!(
                cell <= size + size / 4 + 8,
                "waste too high for {size}: {cell}"
            );
            last = cell;
        }
    }

    #[test]
    fn alloc_sweep_and_return_arenas() {
        let mut s = OldSpace::new(true);
        let mut cells = Vec::new();
        for i in 0..100_000 {
            let p = s.alloc(32).unwrap();
            // SAFETY: a fresh 32-byte cell; write a header so sweeping sees an object.
            unsafe {
                let flags = if i % 2 == 0 { FLAG_MARKED } else { 0 };
                *(p.as_ptr() as *mut Header) = Header(flags | 1);
            }
            cells.push(p);
        }
        assert_eq!(s.bytes_in_use, 100_000 * 32);
        s.sweep_prepare();
        let mut freed = 0;
        while let Some(r) = s.sweep_page(|_, _| {}) {
            freed += r.freed_objects;
        }
        s.sweep_finish(0);
        assert_eq!(freed, 50_000);
        assert_eq!(s.bytes_in_use, 50_000 * 32);
        // Freed cells are reused before new pages.
        let pages_before = s.mapped_bytes();
        for _ in 0..50_000 {
            let p = s.alloc(32).unwrap();
            // SAFETY: as above.
            unsafe { *(p.as_ptr() as *mut Header) = Header(1) };
        }
        assert_eq!(s.mapped_bytes(), pages_before);
        // Nothing marked: everything dies and the arenas go back.
        s.sweep_prepare();
        while s.sweep_page(|_, _| {}).is_some() {}
        // Up to `keep_bytes` of empty arenas stay mapped.
        let mapped = s.mapped_bytes();
        assert_eq!(s.sweep_finish(ARENA_SIZE), mapped - ARENA_SIZE);
        assert_eq!(s.mapped_bytes(), ARENA_SIZE);
        s.sweep_prepare();
        let returned = s.sweep_finish(0);
        assert!(returned > 0);
        assert_eq!(s.bytes_in_use, 0);
        assert_eq!(s.mapped_bytes(), 0);
    }
}
