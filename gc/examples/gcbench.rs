//! A GCBench-style workload (after Ellis, Kovac and Boehm; written from a description)
//! on Thicket's public API, printing the same standard output as the baselines in
//! `benches/compare/` (`gcbench_box.rs`, `gcbench_malloc.c`, `gcbench_boehm.c`).
//!
//! Usage: `gcbench [--handles]`. The statistics of the collector go to standard error.
//!
//! The workload:
//! 1. build and drop a stretch tree of depth 18 (bottom-up);
//! 2. build a long-lived tree of depth 16 top-down: allocate an empty node, give it two
//!    fresh children, recurse into them. Stores go into nodes that already exist and may
//!    have been promoted by a minor collection in between, so this exercises the write
//!    barrier;
//! 3. allocate a long-lived array of 500 000 doubles, `a[i] = 1/i` (a large object);
//! 4. for depth `d` = 4, 6, .., 16, build `n = 2 * nodes(16) / nodes(d)` trees top-down
//!    and `n` bottom-up, dropping each at once;
//! 5. check that the long-lived tree and array are intact.
//!
//! As in `binary_trees`, two ways to drive the collector:
//! - default: raw references kept on the shadow stack across allocations, the way an
//!   interpreter or compiled code would (`unsafe`; the code keeps the rooting discipline).
//!   The array is a registered array type with 8-byte plain items, written in place;
//! - `--handles`: safe Rust only: scoped handles, views and checked fields. The array is
//!   a byte array (the safe API gives byte access to those), holding native-endian
//!   doubles.

use std::mem::offset_of;
use thicket_gc::{
    AllocError, Handle, Heap, Obj, ObjRef, RefField, Scope, TypeDesc, TypeId, VarPart, HEADER_SIZE,
};

const STRETCH_DEPTH: u32 = 18;
const LONG_LIVED_DEPTH: u32 = 16;
const ARRAY_LEN: usize = 500_000;
const MIN_DEPTH: u32 = 4;
const MAX_DEPTH: u32 = 16;

/// A node as the collector sees it: header, two reference slots, two plain integers
/// (never written: allocation zeroes them, as the baselines set them to 0).
#[repr(C)]
struct Node {
    header: u64,
    left: Option<ObjRef>,
    right: Option<ObjRef>,
    i: i32,
    j: i32,
}

/// The registered layouts and checked fields the workload uses.
#[derive(Clone, Copy)]
struct Types {
    node: TypeId,
    left: RefField,
    right: RefField,
    /// Header, `usize` length, then 8-byte plain items (raw mode).
    doubles: TypeId,
    /// Header, `usize` length, then bytes (safe mode).
    bytes: TypeId,
}

/// Number of nodes in a complete tree of `depth` (depth 0 = 1 node).
fn tree_size(depth: u32) -> u64 {
    (1u64 << (depth + 1)) - 1
}

fn alloc_failed(e: AllocError) -> ! {
    eprintln!("gcbench: allocation failed: {e}");
    std::process::exit(2)
}

// ---------------------------------------------------------------------------------------
// Safe API: handles and views.

/// Bottom-up: both children (held in handles of a nested scope) before their parent.
fn make_tree<'s>(s: &mut Scope<'s>, t: Types, depth: u32) -> Handle<'s> {
    if depth == 0 {
        return s.alloc(t.node).unwrap_or_else(|e| alloc_failed(e));
    }
    s.escape(|s| {
        let l = make_tree(s, t, depth - 1);
        let r = make_tree(s, t, depth - 1);
        let n = s.alloc(t.node)?;
        let node = s.get_obj(n);
        node.set(t.left, s.obj(l));
        node.set(t.right, s.obj(r));
        Ok::<_, AllocError>(n)
    })
    .unwrap_or_else(|e| alloc_failed(e))
}

/// Top-down: gives the existing `node` two fresh children, then recurses into them. The
/// children's handles live in a nested scope, dropped when this level returns.
fn populate(s: &mut Scope<'_>, t: Types, depth: u32, node: Handle<'_>) {
    if depth == 0 {
        return;
    }
    s.scope(|s| {
        let l = s.alloc(t.node).unwrap_or_else(|e| alloc_failed(e));
        let r = s.alloc(t.node).unwrap_or_else(|e| alloc_failed(e));
        // `node` may be old by now: `set` runs the write barrier.
        let n = s.get_obj(node);
        n.set(t.left, s.obj(l));
        n.set(t.right, s.obj(r));
        populate(s, t, depth - 1, l);
        populate(s, t, depth - 1, r);
    })
}

fn make_tree_top_down<'s>(s: &mut Scope<'s>, t: Types, depth: u32) -> Handle<'s> {
    let root = s.alloc(t.node).unwrap_or_else(|e| alloc_failed(e));
    populate(s, t, depth, root);
    root
}

/// The array of doubles as a byte array, written through the safe byte access.
fn make_array<'s>(s: &mut Scope<'s>, t: Types) -> Handle<'s> {
    let a = s
        .alloc_array(t.bytes, ARRAY_LEN * 8)
        .unwrap_or_else(|e| alloc_failed(e));
    for (i, item) in s.bytes_mut(a).chunks_exact_mut(8).enumerate().skip(1) {
        item.copy_from_slice(&(1.0 / i as f64).to_ne_bytes());
    }
    a
}

// ---------------------------------------------------------------------------------------
// Raw API: references on the shadow stack across allocations.

/// The reference on top of the shadow stack.
fn peek(s: &mut Scope<'_>) -> ObjRef {
    s.shadow_stack()
        .slots()
        .last()
        .copied()
        .flatten()
        .expect("the shadow stack holds a node")
}

/// Bottom-up with raw references.
///
/// # Safety
/// The caller keeps every reference it holds across this call in a root.
unsafe fn make_tree_raw(s: &mut Scope<'_>, t: Types, depth: u32) -> ObjRef {
    // SAFETY: each reference live across an allocation is pushed on the shadow stack
    // before the allocation and read back from it afterwards; `n` is a live node, fresh
    // from the allocator, and nothing allocates between its allocation and the stores,
    // which are preceded by the barrier, as compiled code would do.
    unsafe {
        if depth == 0 {
            return s
                .alloc_raw(t.node, 0, false)
                .unwrap_or_else(|e| alloc_failed(e));
        }
        let l = make_tree_raw(s, t, depth - 1);
        s.shadow_stack().push(Some(l));
        let r = make_tree_raw(s, t, depth - 1);
        s.shadow_stack().push(Some(r));
        let n = s
            .alloc_raw(t.node, 0, false)
            .unwrap_or_else(|e| alloc_failed(e));
        let ss = s.shadow_stack();
        let r = ss.pop();
        let l = ss.pop();
        s.write_barrier(n);
        let node = n.as_ptr() as *mut Node;
        (*node).left = l;
        (*node).right = r;
        n
    }
}

/// Top-down with raw references: the node to populate is on top of the shadow stack.
///
/// # Safety
/// The top of the shadow stack holds a live node.
unsafe fn populate_raw(s: &mut Scope<'_>, t: Types, depth: u32) {
    if depth == 0 {
        return;
    }
    // SAFETY: the parent stays on the shadow stack for the whole call and is re-read
    // from it after every allocation; the left child is pushed while the right one is
    // allocated. Every store into the parent, which may have been promoted meanwhile,
    // is preceded by the write barrier. Each child, once stored in the parent, is
    // reachable from the stack again only through the parent, so it is re-read from
    // there (and pushed) before each recursive call.
    unsafe {
        let l = s
            .alloc_raw(t.node, 0, false)
            .unwrap_or_else(|e| alloc_failed(e));
        s.shadow_stack().push(Some(l));
        let r = s
            .alloc_raw(t.node, 0, false)
            .unwrap_or_else(|e| alloc_failed(e));
        let l = s.shadow_stack().pop();
        let parent = peek(s);
        s.write_barrier(parent);
        let p = parent.as_ptr() as *mut Node;
        (*p).left = l;
        (*p).right = Some(r);

        s.shadow_stack().push(l);
        populate_raw(s, t, depth - 1);
        s.shadow_stack().pop();

        let right = (*(peek(s).as_ptr() as *const Node)).right;
        s.shadow_stack().push(right);
        populate_raw(s, t, depth - 1);
        s.shadow_stack().pop();
    }
}

/// # Safety
/// As [`make_tree_raw`].
unsafe fn make_tree_top_down_raw(s: &mut Scope<'_>, t: Types, depth: u32) -> ObjRef {
    // SAFETY: the root is on the shadow stack while the tree is populated, and popped
    // (current) after the last allocation.
    unsafe {
        let root = s
            .alloc_raw(t.node, 0, false)
            .unwrap_or_else(|e| alloc_failed(e));
        s.shadow_stack().push(Some(root));
        populate_raw(s, t, depth);
        s.shadow_stack().pop().expect("the root was pushed")
    }
}

/// The array of doubles as a registered array of 8-byte plain items, written in place.
fn make_array_raw<'s>(s: &mut Scope<'s>, t: Types) -> Handle<'s> {
    // SAFETY: the array is fresh from the allocator and nothing allocates before it is
    // rooted in a handle; its items start after the 16-byte fixed part (8-aligned, as
    // objects are) and there are ARRAY_LEN of them, so every write is in bounds.
    unsafe {
        let a = s
            .alloc_raw(t.doubles, ARRAY_LEN, true)
            .unwrap_or_else(|e| alloc_failed(e));
        let items = a.field_ptr::<f64>(HEADER_SIZE + 8);
        for i in 1..ARRAY_LEN {
            *items.add(i) = 1.0 / i as f64;
        }
        s.from_raw(Some(a))
    }
}

// ---------------------------------------------------------------------------------------
// The workload.

/// A tree of `depth`, built top-down or bottom-up with the API `handles` selects.
fn build<'s>(s: &mut Scope<'s>, t: Types, depth: u32, top_down: bool, handles: bool) -> Handle<'s> {
    match (handles, top_down) {
        (true, true) => make_tree_top_down(s, t, depth),
        (true, false) => make_tree(s, t, depth),
        // SAFETY: the raw builders keep their references on the shadow stack; the result
        // is rooted in a handle before anything else can allocate.
        (false, true) => unsafe {
            let r = make_tree_top_down_raw(s, t, depth);
            s.from_raw(Some(r))
        },
        // SAFETY: as above.
        (false, false) => unsafe {
            let r = make_tree_raw(s, t, depth);
            s.from_raw(Some(r))
        },
    }
}

fn count_nodes(t: &Types, n: Option<Obj<'_>>) -> u64 {
    match n {
        None => 0,
        Some(n) => 1 + count_nodes(t, n.get(t.left)) + count_nodes(t, n.get(t.right)),
    }
}

/// Item `i` of the array of doubles, whichever representation it has.
fn array_item(s: &Scope<'_>, t: &Types, a: Handle<'_>, i: usize) -> f64 {
    let o = s.get_obj(a);
    if o.type_id() == t.bytes {
        let b = &o.bytes()[8 * i..8 * i + 8];
        f64::from_ne_bytes(b.try_into().expect("8 bytes"))
    } else {
        assert!(o.type_id() == t.doubles && i < o.len());
        // SAFETY: a live array of ARRAY_LEN 8-byte plain items (checked just above); the
        // view keeps the scope borrowed, so nothing moves during the read.
        unsafe { *o.raw().field_ptr::<f64>(HEADER_SIZE + 8 + 8 * i) }
    }
}

fn main() {
    let mut handles = false;
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--handles" => handles = true,
            _ => {
                eprintln!("usage: gcbench [--handles]");
                std::process::exit(2)
            }
        }
    }

    let mut heap = Heap::from_env().unwrap_or_else(|e| {
        eprintln!("gcbench: {e}");
        std::process::exit(2)
    });
    let node = heap
        .register(TypeDesc::fixed(
            "node",
            size_of::<Node>(),
            &[offset_of!(Node, left), offset_of!(Node, right)],
        ))
        .unwrap();
    let doubles = heap
        .register(TypeDesc {
            var: Some(VarPart {
                length_offset: HEADER_SIZE,
                item_size: 8,
                item_ref_offsets: vec![],
            }),
            ..TypeDesc::fixed("doubles", HEADER_SIZE + 8, &[])
        })
        .unwrap();
    let bytes = heap.register(TypeDesc::byte_array("bytes")).unwrap();
    let t = Types {
        node,
        left: heap.ref_field(node, offset_of!(Node, left)).unwrap(),
        right: heap.ref_field(node, offset_of!(Node, right)).unwrap(),
        doubles,
        bytes,
    };
    // The integer fields are part of the layout, though the workload never sets them.
    heap.data_field::<i32>(node, offset_of!(Node, i)).unwrap();
    heap.data_field::<i32>(node, offset_of!(Node, j)).unwrap();

    heap.scope(|s| {
        // 1. Stretch the heap with a temporary tree.
        s.scope(|s| {
            build(s, t, STRETCH_DEPTH, false, handles);
        });

        // 2. The long-lived tree, built top-down.
        let long_lived = build(s, t, LONG_LIVED_DEPTH, true, handles);

        // 3. The long-lived array of doubles.
        let array = if handles {
            make_array(s, t)
        } else {
            make_array_raw(s, t)
        };

        // 4. Short-lived trees of increasing depth.
        for d in (MIN_DEPTH..=MAX_DEPTH).step_by(2) {
            let n = 2 * tree_size(LONG_LIVED_DEPTH) / tree_size(d);
            for _ in 0..n {
                s.scope(|s| {
                    build(s, t, d, true, handles);
                });
            }
            for _ in 0..n {
                s.scope(|s| {
                    build(s, t, d, false, handles);
                });
            }
            println!("depth {d}: {n} trees top-down, {n} bottom-up");
        }

        // 5. The long-lived data must have survived untouched.
        let nodes = count_nodes(&t, s.obj(long_lived));
        if nodes != tree_size(LONG_LIVED_DEPTH) {
            eprintln!(
                "long lived tree has {nodes} nodes, expected {}",
                tree_size(LONG_LIVED_DEPTH)
            );
            std::process::exit(1);
        }
        if array_item(s, &t, array, 0) != 0.0 || array_item(s, &t, array, 1000) != 1.0 / 1000.0 {
            eprintln!("long lived array corrupted");
            std::process::exit(1);
        }
        for i in 1..ARRAY_LEN {
            if array_item(s, &t, array, i) != 1.0 / i as f64 {
                eprintln!("long lived array corrupted at {i}");
                std::process::exit(1);
            }
        }
        println!("long lived tree ok, array ok");
    });
    eprintln!("{}", heap.stats());
}
