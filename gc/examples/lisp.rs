//! A small Lisp-style runtime embedding Thicket's collector, the way a language runtime
//! author would: its object layouts (cons cells, boxed integers, symbols, vectors), a
//! symbol table the runtime owns and reports to the collector through a root scanner, a
//! list library written against the safe API (handles, views, checked fields), and one
//! hot constructor written against the raw API (the shadow stack), as a JIT would emit it.
//!
//! Usage: `lisp [N] [ROUNDS]` (defaults 100000 and 40: about a second in a release
//! build). Each round builds the list `(1 .. N)` and runs map / filter / reverse /
//! append / list->vector over it, buckets it into a vector of lists and counts its
//! elements by weekday in an association list that lives across rounds. Every result is checked against plain Rust arithmetic; the
//! program exits with status 1 on the first mismatch. The collector's statistics are
//! printed at the end.
//!
//! It also runs under the collector's stress modes, with a smaller N:
//! `THICKET_GC_STRESS_MINOR=3 THICKET_GC_POISON=1 THICKET_GC_VERIFY=1 lisp 300 2`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::mem::offset_of;
use std::rc::Rc;
use thicket_gc::{
    AllocError, DataField, Handle, Heap, Obj, ObjRef, RefField, Scope, TypeDesc, TypeId,
};

// ---------------------------------------------------------------------------------------
// Step 1: the runtime's object layouts.
//
// The collector never sees these structs; it sees the `TypeDesc`s registered in
// `register_types`, which say how big each object is and where its references are. The
// structs exist so that the raw code (and `offset_of!`) agree with the descriptions.

/// A cons cell: header, `car`, `cdr`. The empty list is `None`.
#[repr(C)]
struct Cons {
    header: u64,
    car: Option<ObjRef>,
    cdr: Option<ObjRef>,
}

/// A boxed integer: header and one plain `i64` (no references, so the collector copies it
/// without looking inside).
#[repr(C)]
struct Int {
    header: u64,
    value: i64,
}

// A symbol is a byte array holding its name (`TypeDesc::byte_array`), a vector an array
// of references (`TypeDesc::ref_array`); both are layouts the collector predefines.

/// The registered layouts and the checked field descriptors of the runtime. Everything
/// here is `Copy` data, separate from the heap, so it can be used inside `Heap::scope`.
#[derive(Clone, Copy)]
struct Types {
    cons: TypeId,
    int: TypeId,
    symbol: TypeId,
    vector: TypeId,
    car: RefField,
    cdr: RefField,
    value: DataField<i64>,
}

fn register_types(heap: &mut Heap) -> Types {
    let cons = heap
        .register(TypeDesc::fixed(
            "cons",
            size_of::<Cons>(),
            &[offset_of!(Cons, car), offset_of!(Cons, cdr)],
        ))
        .expect("cons layout");
    let int = heap
        .register(TypeDesc::fixed("int", size_of::<Int>(), &[]))
        .expect("int layout");
    let symbol = heap
        .register(TypeDesc::byte_array("symbol"))
        .expect("symbol layout");
    let vector = heap
        .register(TypeDesc::ref_array("vector"))
        .expect("vector layout");
    // Field descriptors are checked once, here, against the layouts: a `RefField` must
    // name a declared reference slot, a `DataField` must stay clear of them.
    Types {
        cons,
        int,
        symbol,
        vector,
        car: heap.ref_field(cons, offset_of!(Cons, car)).expect("car"),
        cdr: heap.ref_field(cons, offset_of!(Cons, cdr)).expect("cdr"),
        value: heap
            .data_field::<i64>(int, offset_of!(Int, value))
            .expect("value"),
    }
}

// ---------------------------------------------------------------------------------------
// Step 2: the runtime's own roots.
//
// Symbols are interned: one object per name, found through a hash table that lives in
// ordinary Rust memory, outside the heap. Its slots hold references the runtime will use
// again, so the collector must see (and, as objects move, update) them: a root scanner
// reports them at every collection. The table is shared between the runtime and the
// scanner through `Rc<RefCell<..>>`; the runtime never keeps it borrowed across an
// allocation, because an allocation may collect, and the scanner then borrows it.

#[derive(Default)]
struct Symbols {
    /// Name to slot index.
    index: HashMap<String, usize>,
    /// One root slot per interned symbol.
    slots: Vec<Option<ObjRef>>,
}

/// What the library functions need: the layouts and the symbol table.
struct Rt {
    t: Types,
    symbols: Rc<RefCell<Symbols>>,
}

impl Rt {
    fn new(heap: &mut Heap) -> Rt {
        let t = register_types(heap);
        let symbols = Rc::new(RefCell::new(Symbols::default()));
        let table = Rc::clone(&symbols);
        // The scanner only reports slots: it must not allocate or look inside objects.
        heap.add_root_scanner(Box::new(move |v| {
            v.visit_all(&mut table.borrow_mut().slots);
        }));
        Rt { t, symbols }
    }
}

type Res<T> = Result<T, AllocError>;

/// The symbol named `name`, created on first use.
fn intern<'s>(s: &mut Scope<'s>, rt: &Rt, name: &str) -> Res<Handle<'s>> {
    let found = {
        let tab = rt.symbols.borrow();
        tab.index.get(name).map(|&i| tab.slots[i])
    };
    if let Some(r) = found {
        // SAFETY: the slot is a root (the scanner reports it and the collector updates
        // it), and nothing has allocated since it was read, so it holds a live object.
        return Ok(unsafe { s.from_raw(r) });
    }
    // Allocate (this may collect: the table must not be borrowed now), fill in the name,
    // then record the new symbol in the table, which roots it from now on.
    let sym = s.alloc_array(rt.t.symbol, name.len())?;
    s.bytes_mut(sym).copy_from_slice(name.as_bytes());
    let mut tab = rt.symbols.borrow_mut();
    let i = tab.slots.len();
    tab.slots.push(s.raw(sym));
    tab.index.insert(name.to_owned(), i);
    Ok(sym)
}

// ---------------------------------------------------------------------------------------
// Step 3: constructors and accessors on the safe API.
//
// A `Handle` is a rooted slot: valid across allocations, re-read at every use. An `Obj`
// is an unrooted view: free to use, but it borrows the scope, so it cannot live across an
// allocation. Loops that allocate run each iteration in a nested scope, so the handles
// they create are dropped at once instead of piling up.

/// A fresh boxed integer.
fn int<'s>(s: &mut Scope<'s>, rt: &Rt, v: i64) -> Res<Handle<'s>> {
    let h = s.alloc(rt.t.int)?;
    s.write(h, rt.t.value, v);
    Ok(h)
}

/// The value of a boxed integer (panics, with the collector's message, on another type).
fn int_of(rt: &Rt, o: Option<Obj<'_>>) -> i64 {
    o.expect("an integer, not nil").read(rt.t.value)
}

/// A fresh cons cell. `car` and `cdr` are handles, so they stay valid while the cell is
/// allocated; the stores into the new (young) cell cost only the barrier's bit test.
fn cons<'s>(
    s: &mut Scope<'s>,
    rt: &Rt,
    car: Option<Handle<'_>>,
    cdr: Option<Handle<'_>>,
) -> Res<Handle<'s>> {
    let c = s.alloc(rt.t.cons)?;
    s.set(c, rt.t.car, car);
    s.set(c, rt.t.cdr, cdr);
    Ok(c)
}

/// Moves a cursor handle to the rest of its list.
fn advance(s: &Scope<'_>, rt: &Rt, cur: Handle<'_>) {
    let next = s.get(cur, rt.t.cdr);
    s.set_handle(cur, Some(next));
}

/// Builds a list front to back: `head` holds the first cell, `tail` the last, and each
/// new cell is stored into the cdr of the previous one. That cell may have been promoted
/// by a collection in between, so these stores are where the write barrier earns its
/// keep.
struct ListBuilder<'s> {
    head: Handle<'s>,
    tail: Handle<'s>,
}

impl<'s> ListBuilder<'s> {
    fn new(s: &Scope<'s>) -> ListBuilder<'s> {
        ListBuilder {
            head: s.null(),
            tail: s.null(),
        }
    }

    fn push(&self, s: &mut Scope<'_>, rt: &Rt, item: Handle<'_>) -> Res<()> {
        let cell = cons(s, rt, Some(item), None)?;
        if s.is_null(self.tail) {
            s.set_handle(self.head, Some(cell));
        } else {
            s.set(self.tail, rt.t.cdr, Some(cell));
        }
        s.set_handle(self.tail, Some(cell));
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Step 4: the hot path on the raw API.
//
// `iota` is the constructor the runtime calls most, so it is written the way compiled
// code does it: raw `ObjRef`s, kept on the shadow stack whenever an allocation (hence a
// possible collection) comes between their creation and their last use.

/// The list `(1 2 .. n)`, built back to front.
fn iota<'s>(s: &mut Scope<'s>, rt: &Rt, n: i64) -> Res<Handle<'s>> {
    let base = s.shadow_stack().len();
    // The accumulator lives in shadow-stack slot `base`.
    s.shadow_stack().push(None);
    // SAFETY: `iota_raw` keeps its references on the shadow stack above `base` and
    // leaves the list in slot `base`.
    let r = unsafe { iota_raw(s, rt, n, base) };
    // On success and on failure alike, the shadow stack goes back to its height.
    let list = s.shadow_stack().slots()[base];
    s.shadow_stack().truncate(base);
    r?;
    // SAFETY: `list` was read from a root slot and nothing has allocated since.
    Ok(unsafe { s.from_raw(list) })
}

/// # Safety
/// Shadow-stack slot `base` holds the accumulator (a list or `None`); every other
/// reference the caller holds is rooted.
unsafe fn iota_raw(s: &mut Scope<'_>, rt: &Rt, n: i64, base: usize) -> Res<()> {
    for i in (1..=n).rev() {
        // SAFETY: `k` is fresh from the allocator and written before anything else
        // allocates, then pushed before the cell's allocation; after it, `k` and the
        // accumulator are read back from the shadow stack (the collection may have moved
        // them). `c` is fresh and young; the barrier is run anyway, as compiled code
        // would, before the stores. The new cell replaces the accumulator in its slot.
        unsafe {
            let k = s.alloc_raw(rt.t.int, 0, false)?;
            (*(k.as_ptr() as *mut Int)).value = i;
            s.shadow_stack().push(Some(k));
            let c = s.alloc_raw(rt.t.cons, 0, false)?;
            let ss = s.shadow_stack();
            let k = ss.pop();
            let acc = ss.slots()[base];
            s.write_barrier(c);
            let cell = c.as_ptr() as *mut Cons;
            (*cell).car = k;
            (*cell).cdr = acc;
            s.shadow_stack().slots_mut()[base] = Some(c);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Step 5: the list library on the safe API.
//
// Read-only walks (length, sum, assq, printing) use views only: no handle, no root, no
// allocation. Functions that build return their result through `Scope::escape`, so their
// temporaries (cursors, builders) are dropped when they return.

fn length(rt: &Rt, list: Option<Obj<'_>>) -> usize {
    let mut n = 0;
    let mut o = list;
    while let Some(c) = o {
        n += 1;
        o = c.get(rt.t.cdr);
    }
    n
}

fn sum(rt: &Rt, list: Option<Obj<'_>>) -> i64 {
    let mut total = 0;
    let mut o = list;
    while let Some(c) = o {
        total += int_of(rt, c.get(rt.t.car));
        o = c.get(rt.t.cdr);
    }
    total
}

/// `(map f list)` over integers: a new list of new integers.
fn map<'s>(
    s: &mut Scope<'s>,
    rt: &Rt,
    list: Handle<'_>,
    f: impl Fn(i64) -> i64,
) -> Res<Handle<'s>> {
    s.escape(|s| {
        let out = ListBuilder::new(s);
        let cur = s.dup(list);
        while !s.is_null(cur) {
            s.scope(|s| {
                let v = int_of(rt, s.get_obj(cur).get(rt.t.car));
                let x = int(s, rt, f(v))?;
                out.push(s, rt, x)?;
                advance(s, rt, cur);
                Ok::<_, AllocError>(())
            })?;
        }
        Ok(out.head)
    })
}

/// `(filter pred list)`: a new spine, sharing the elements.
fn filter<'s>(
    s: &mut Scope<'s>,
    rt: &Rt,
    list: Handle<'_>,
    pred: impl Fn(i64) -> bool,
) -> Res<Handle<'s>> {
    s.escape(|s| {
        let out = ListBuilder::new(s);
        let cur = s.dup(list);
        while !s.is_null(cur) {
            s.scope(|s| {
                let x = s.get(cur, rt.t.car);
                if pred(int_of(rt, s.obj(x))) {
                    out.push(s, rt, x)?;
                }
                advance(s, rt, cur);
                Ok::<_, AllocError>(())
            })?;
        }
        Ok(out.head)
    })
}

/// `(reverse list)`: a new spine, back to front.
fn reverse<'s>(s: &mut Scope<'s>, rt: &Rt, list: Handle<'_>) -> Res<Handle<'s>> {
    s.escape(|s| {
        let acc = s.null();
        let cur = s.dup(list);
        while !s.is_null(cur) {
            s.scope(|s| {
                let x = s.get(cur, rt.t.car);
                let c = cons(s, rt, Some(x), Some(acc))?;
                s.set_handle(acc, Some(c));
                advance(s, rt, cur);
                Ok::<_, AllocError>(())
            })?;
        }
        Ok(acc)
    })
}

/// `(append a b)`: a copy of `a`'s spine whose last cdr is `b` (shared).
fn append<'s>(s: &mut Scope<'s>, rt: &Rt, a: Handle<'_>, b: Handle<'_>) -> Res<Handle<'s>> {
    s.escape(|s| {
        let out = ListBuilder::new(s);
        let cur = s.dup(a);
        while !s.is_null(cur) {
            s.scope(|s| {
                let x = s.get(cur, rt.t.car);
                out.push(s, rt, x)?;
                advance(s, rt, cur);
                Ok::<_, AllocError>(())
            })?;
        }
        if s.is_null(out.tail) {
            return Ok(s.dup(b));
        }
        s.set(out.tail, rt.t.cdr, Some(b));
        Ok(out.head)
    })
}

/// `(list->vector list)`: one allocation, then a walk through views only.
fn list_to_vector<'s>(s: &mut Scope<'s>, rt: &Rt, list: Handle<'_>) -> Res<Handle<'s>> {
    let n = length(rt, s.obj(list));
    let v = s.alloc_array(rt.t.vector, n)?;
    let vec = s.get_obj(v);
    let mut o = s.obj(list);
    let mut i = 0;
    while let Some(c) = o {
        vec.set_item(i, c.get(rt.t.car));
        i += 1;
        o = c.get(rt.t.cdr);
    }
    Ok(v)
}

/// A vector of `k` lists: element `x` goes to list `x mod k` (consed on the front).
fn buckets<'s>(s: &mut Scope<'s>, rt: &Rt, list: Handle<'_>, k: usize) -> Res<Handle<'s>> {
    s.escape(|s| {
        let v = s.alloc_array(rt.t.vector, k)?;
        let cur = s.dup(list);
        while !s.is_null(cur) {
            s.scope(|s| {
                let x = s.get(cur, rt.t.car);
                let b = int_of(rt, s.obj(x)).rem_euclid(k as i64) as usize;
                let rest = s.item(v, b);
                let c = cons(s, rt, Some(x), Some(rest))?;
                // The vector may be old (or a large object) by now: barrier included.
                s.set_item(v, b, Some(c));
                advance(s, rt, cur);
                Ok::<_, AllocError>(())
            })?;
        }
        Ok(v)
    })
}

/// `(assq key alist)`: the first pair whose car is `key` itself (symbols are interned, so
/// identity is equality).
fn assq<'s>(s: &Scope<'s>, rt: &Rt, key: Handle<'_>, alist: Handle<'_>) -> Option<Handle<'s>> {
    let k = s.raw(key);
    let mut o = s.obj(alist);
    while let Some(cell) = o {
        let pair = cell.get(rt.t.car).expect("an association list holds pairs");
        if pair.get(rt.t.car).map(Obj::raw) == k {
            return Some(s.root(Some(pair)));
        }
        o = cell.get(rt.t.cdr);
    }
    None
}

const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// Counts the elements of `list` by weekday (`x mod 7`) into the association list held
/// by `alist`, `((sun . count) ..)`. An existing count is replaced by a new integer: the
/// pair is usually old by then, so the store goes through the barrier's slow path.
fn count_days(s: &mut Scope<'_>, rt: &Rt, list: Handle<'_>, alist: Handle<'_>) -> Res<()> {
    s.scope(|s| {
        let cur = s.dup(list);
        while !s.is_null(cur) {
            s.scope(|s| {
                let x = int_of(rt, s.get_obj(cur).get(rt.t.car));
                let key = intern(s, rt, DAYS[x.rem_euclid(7) as usize])?;
                match assq(s, rt, key, alist) {
                    Some(pair) => {
                        let n = int_of(rt, s.get_obj(pair).get(rt.t.cdr));
                        let v = int(s, rt, n + 1)?;
                        s.set(pair, rt.t.cdr, Some(v));
                    }
                    None => {
                        let v = int(s, rt, 1)?;
                        let pair = cons(s, rt, Some(key), Some(v))?;
                        let cell = cons(s, rt, Some(pair), Some(alist))?;
                        s.set_handle(alist, Some(cell));
                    }
                }
                advance(s, rt, cur);
                Ok::<_, AllocError>(())
            })?;
        }
        Ok(())
    })
}

/// Prints a value the Lisp way, at most `limit` elements per list or vector.
fn show(rt: &Rt, o: Option<Obj<'_>>, limit: usize, out: &mut String) {
    let Some(o) = o else {
        out.push_str("()");
        return;
    };
    let ty = o.type_id();
    if ty == rt.t.int {
        out.push_str(&o.read(rt.t.value).to_string());
    } else if ty == rt.t.symbol {
        out.push_str(&String::from_utf8_lossy(o.bytes()));
    } else if ty == rt.t.vector {
        out.push_str("#(");
        for i in 0..o.len().min(limit) {
            if i > 0 {
                out.push(' ');
            }
            show(rt, o.item(i), limit, out);
        }
        if o.len() > limit {
            out.push_str(" ...");
        }
        out.push(')');
    } else {
        out.push('(');
        let mut cell = o;
        let mut n = 0;
        loop {
            if n == limit {
                out.push_str("...");
                break;
            }
            show(rt, cell.get(rt.t.car), limit, out);
            n += 1;
            match cell.get(rt.t.cdr) {
                None => break,
                Some(next) if next.type_id() == rt.t.cons => {
                    out.push(' ');
                    cell = next;
                }
                Some(atom) => {
                    out.push_str(" . ");
                    show(rt, Some(atom), limit, out);
                    break;
                }
            }
        }
        out.push(')');
    }
}

fn shown(s: &Scope<'_>, rt: &Rt, h: Handle<'_>, limit: usize) -> String {
    let mut out = String::new();
    show(rt, s.obj(h), limit, &mut out);
    out
}

// ---------------------------------------------------------------------------------------
// Step 6: the program, with every result checked.

fn check(ok: bool, what: &str, got: impl std::fmt::Debug, want: impl std::fmt::Debug) {
    if !ok {
        eprintln!("lisp: check failed: {what}: got {got:?}, expected {want:?}");
        std::process::exit(1);
    }
}

fn check_eq<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) {
    check(got == want, what, &got, &want);
}

const BUCKETS: usize = 16;

/// One round over `(1 .. n)`; prints what it computed when `verbose`.
fn round(s: &mut Scope<'_>, rt: &Rt, n: i64, days: Handle<'_>, verbose: bool) -> Res<()> {
    let xs = iota(s, rt, n)?;
    check_eq("length of (iota n)", length(rt, s.obj(xs)), n as usize);
    check_eq("sum of (iota n)", sum(rt, s.obj(xs)), n * (n + 1) / 2);

    let squares = map(s, rt, xs, |x| x * x)?;
    let sum_squares = n * (n + 1) * (2 * n + 1) / 6;
    check_eq("sum of squares", sum(rt, s.obj(squares)), sum_squares);

    let even = filter(s, rt, squares, |x| x % 2 == 0)?;
    let m = n / 2;
    let sum_even = 4 * (m * (m + 1) * (2 * m + 1) / 6);
    check_eq(
        "length of even squares",
        length(rt, s.obj(even)),
        m as usize,
    );
    check_eq("sum of even squares", sum(rt, s.obj(even)), sum_even);

    let backwards = reverse(s, rt, even)?;
    let first = s.obj(backwards).and_then(|c| c.get(rt.t.car));
    if m > 0 {
        check_eq("first of reversed", int_of(rt, first), 4 * m * m);
    }
    check_eq("sum of reversed", sum(rt, s.obj(backwards)), sum_even);

    let both = append(s, rt, backwards, xs)?;
    check_eq(
        "length of append",
        length(rt, s.obj(both)),
        (m + n) as usize,
    );
    check_eq(
        "sum of append",
        sum(rt, s.obj(both)),
        sum_even + n * (n + 1) / 2,
    );
    // `append` shares its second argument: the tail is `xs` itself.
    let mut tail = s.obj(both);
    for _ in 0..m {
        tail = tail.and_then(|c| c.get(rt.t.cdr));
    }
    check(
        tail.map(Obj::raw) == s.raw(xs),
        "append shares its last argument",
        tail.map(Obj::raw),
        s.raw(xs),
    );

    let vec = list_to_vector(s, rt, even)?;
    let v = s.get_obj(vec);
    check_eq("vector length", v.len(), m as usize);
    for k in [0, m / 2, m - 1] {
        if k >= 0 && k < m {
            let got = int_of(rt, v.item(k as usize));
            check_eq("vector item", got, 4 * (k + 1) * (k + 1));
        }
    }

    let table = buckets(s, rt, xs, BUCKETS)?;
    let mut want = [0i64; BUCKETS];
    for x in 1..=n {
        want[x as usize % BUCKETS] += x;
    }
    let t = s.get_obj(table);
    for (b, &w) in want.iter().enumerate() {
        check_eq("bucket sum", sum(rt, t.item(b)), w);
    }

    count_days(s, rt, xs, days)?;

    if verbose {
        println!("(iota {n})                 = {}", shown(s, rt, xs, 8));
        println!("(map square xs)            = {}", shown(s, rt, squares, 8));
        println!("(filter even? squares)     = {}", shown(s, rt, even, 8));
        println!(
            "(reverse evens)            = {}",
            shown(s, rt, backwards, 5)
        );
        println!("(append reversed xs)       : length {}", m + n);
        println!("(list->vector evens)       = {}", shown(s, rt, vec, 6));
        println!(
            "(buckets xs {BUCKETS})            = {}",
            shown(s, rt, table, 3)
        );
        let t = s.get_obj(table);
        let sums: Vec<i64> = (0..BUCKETS).map(|b| sum(rt, t.item(b))).collect();
        println!("bucket sums                = {sums:?}");
    }
    Ok(())
}

fn run(s: &mut Scope<'_>, rt: &Rt, n: i64, rounds: u32) -> Res<()> {
    // A symbol that only the symbol table holds: it must survive every collection, and
    // be found again at its new address.
    s.scope(|s| intern(s, rt, "lonely").map(drop))?;

    // The association list of weekday counts lives across rounds, in a handle of this
    // scope; everything else a round builds is garbage when its scope ends.
    let days = s.null();
    for r in 0..rounds {
        s.scope(|s| round(s, rt, n, days, r == 0))?;
    }

    // A full collection moves nothing old, but sweeps: what the table and the handles
    // root must be intact after it.
    s.collect_major();
    let mut want = [0i64; 7];
    for x in 1..=n {
        want[x as usize % 7] += rounds as i64;
    }
    for (d, name) in DAYS.iter().enumerate() {
        let got = s.scope(|s| {
            let key = intern(s, rt, name)?;
            Ok::<_, AllocError>(
                assq(s, rt, key, days).map(|p| int_of(rt, s.get_obj(p).get(rt.t.cdr))),
            )
        })?;
        check_eq("weekday count", got.unwrap_or(0), want[d]);
    }
    let lonely = s.scope(|s| {
        let h = intern(s, rt, "lonely")?;
        Ok::<_, AllocError>(s.bytes(h).to_vec())
    })?;
    check_eq(
        "the lonely symbol's name",
        lonely.as_slice(),
        b"lonely".as_slice(),
    );
    println!(
        "weekday counts after {rounds} rounds = {}",
        shown(s, rt, days, 7)
    );
    println!(
        "symbols interned: {}; every check passed",
        rt.symbols.borrow().slots.len()
    );
    Ok(())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = || -> ! {
        eprintln!("usage: lisp [N] [ROUNDS]  (N up to 2000000)");
        std::process::exit(2)
    };
    let n: i64 = args
        .next()
        .map_or(Ok(100_000), |a| a.parse())
        .unwrap_or_else(|_| usage());
    let rounds: u32 = args
        .next()
        .map_or(Ok(40), |a| a.parse())
        .unwrap_or_else(|_| usage());
    if !(0..=2_000_000).contains(&n) {
        usage();
    }

    let mut heap = Heap::from_env().unwrap_or_else(|e| {
        eprintln!("lisp: {e}");
        std::process::exit(2)
    });
    let rt = Rt::new(&mut heap);
    let t0 = std::time::Instant::now();
    if let Err(e) = heap.scope(|s| run(s, &rt, n, rounds)) {
        eprintln!("lisp: {e}");
        std::process::exit(2);
    }
    let elapsed = t0.elapsed();
    match heap.verify() {
        Ok(_) => {}
        Err(e) => {
            eprintln!("lisp: heap verification failed: {e:?}");
            std::process::exit(1);
        }
    }
    println!("time: {:.3} s", elapsed.as_secs_f64());
    println!("{}", heap.stats());
}
