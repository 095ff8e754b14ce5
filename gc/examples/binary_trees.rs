//! The classic binary-trees benchmark on Thicket's public API.
//!
//! Usage: `binary_trees [--handles] [MAX_DEPTH]` (default depth 10). Prints the classic
//! output lines, then (on standard error) the collector's statistics.
//!
//! Two ways to drive the collector, as two kinds of embedder would:
//! - default: the way an interpreter or compiled code does it, with raw references kept
//!   on the shadow stack across allocations (`unsafe`, the caller keeps the rooting
//!   discipline);
//! - `--handles`: safe Rust, with scoped handles. Each node is allocated after its
//!   children, which are held in handles of a nested scope while the sibling is built.
//!
//! In both, checking a tree walks it through unrooted views, which cost nothing extra:
//! they borrow the scope, so nothing can move while they are alive.

use std::mem::offset_of;
use thicket_gc::{Handle, Heap, Obj, ObjRef, RefField, Scope, TypeId};

/// A node as the collector sees it: header, two reference slots.
#[repr(C)]
struct Node {
    header: u64,
    left: Option<ObjRef>,
    right: Option<ObjRef>,
}

#[derive(Clone, Copy)]
struct Tree {
    node: TypeId,
    left: RefField,
    right: RefField,
}

fn bottom_up<'s>(s: &mut Scope<'s>, t: Tree, depth: u32) -> Handle<'s> {
    if depth == 0 {
        return s.alloc(t.node).expect("allocation failed");
    }
    s.escape(|s| {
        let l = bottom_up(s, t, depth - 1);
        let r = bottom_up(s, t, depth - 1);
        let n = s.alloc(t.node)?;
        let node = s.get_obj(n);
        node.set(t.left, s.obj(l));
        node.set(t.right, s.obj(r));
        Ok::<_, thicket_gc::AllocError>(n)
    })
    .expect("allocation failed")
}

/// Builds a tree with raw references; every reference live across an allocation sits on
/// the shadow stack.
///
/// # Safety
/// The heap's shadow stack is the only place references are kept across allocations.
unsafe fn bottom_up_raw(heap: &mut Scope<'_>, t: Tree, depth: u32) -> ObjRef {
    // SAFETY (whole body): references are pushed before any allocation and read back
    // from the stack after it; the node is young when its fields are stored, and the
    // barrier is run anyway, as compiled code would.
    unsafe {
        if depth == 0 {
            return heap.alloc_raw(t.node, 0, false).expect("allocation failed");
        }
        let l = bottom_up_raw(heap, t, depth - 1);
        heap.shadow_stack().push(Some(l));
        let r = bottom_up_raw(heap, t, depth - 1);
        heap.shadow_stack().push(Some(r));
        let n = heap.alloc_raw(t.node, 0, false).expect("allocation failed");
        let ss = heap.shadow_stack();
        let r = ss.pop();
        let l = ss.pop();
        heap.write_barrier(n);
        let node = n.as_ptr() as *mut Node;
        (*node).left = l;
        (*node).right = r;
        n
    }
}

fn check(t: &Tree, n: Obj<'_>) -> u64 {
    match (n.get(t.left), n.get(t.right)) {
        (Some(l), Some(r)) => 1 + check(t, l) + check(t, r),
        _ => 1,
    }
}

/// Builds a tree of `depth` in scope `s`, the way `--handles` or the default asks.
fn build<'s>(s: &mut Scope<'s>, t: Tree, depth: u32, handles: bool) -> Handle<'s> {
    if handles {
        bottom_up(s, t, depth)
    } else {
        // SAFETY: bottom_up_raw keeps its references on the shadow stack; the result is
        // rooted in a handle before anything else can allocate.
        unsafe {
            let r = bottom_up_raw(s, t, depth);
            s.from_raw(Some(r))
        }
    }
}

fn main() {
    let mut handles = false;
    let mut n: u32 = 10;
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--handles" => handles = true,
            _ => {
                n = a
                    .parse()
                    .expect("usage: binary_trees [--handles] [MAX_DEPTH]")
            }
        }
    }
    let min_depth = 4;
    let max_depth = n.max(min_depth + 2);

    let mut heap = Heap::from_env().unwrap_or_else(|e| {
        eprintln!("binary_trees: {e}");
        std::process::exit(2)
    });
    let node = heap
        .register(thicket_gc::TypeDesc::fixed(
            "node",
            size_of::<Node>(),
            &[offset_of!(Node, left), offset_of!(Node, right)],
        ))
        .unwrap();
    let t = Tree {
        node,
        left: heap.ref_field(node, offset_of!(Node, left)).unwrap(),
        right: heap.ref_field(node, offset_of!(Node, right)).unwrap(),
    };

    heap.scope(|s| {
        let stretch = max_depth + 1;
        let c = s.scope(|s| {
            let tree = build(s, t, stretch, handles);
            check(&t, s.get_obj(tree))
        });
        println!("stretch tree of depth {stretch}\t check: {c}");

        let long_lived = build(s, t, max_depth, handles);

        for depth in (min_depth..=max_depth).step_by(2) {
            let iterations = 1u64 << (max_depth - depth + min_depth);
            let mut total = 0;
            for _ in 0..iterations {
                total += s.scope(|s| {
                    let tree = build(s, t, depth, handles);
                    check(&t, s.get_obj(tree))
                });
            }
            println!("{iterations}\t trees of depth {depth}\t check: {total}");
        }
        let c = check(&t, s.get_obj(long_lived));
        println!("long lived tree of depth {max_depth}\t check: {c}");
    });
    eprintln!("{}", heap.stats());
}
