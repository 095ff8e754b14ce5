//! The heap layouts of the built-in object kinds: their field offsets and their
//! registration with the collector, in a fixed order so that each layout's `TypeId` is
//! a constant the interpreter can `match` on.
//!
//! Offsets are in bytes from the object start; 0 is the collector's header and
//! [`TYPE_OFFSET`] (8) the Python type, in every layout but the internal arrays.

use crate::value::TYPE_OFFSET;
use thicket_gc::{Heap, TypeDesc, TypeId, VarPart};

macro_rules! layouts {
    ($($name:ident = $n:expr),* $(,)?) => {
        $(
            #[doc = concat!("Layout id of `", stringify!($name), "` objects.")]
            pub const $name: TypeId = TypeId($n);
        )*
    };
}

layouts! {
    OBJECT = 0,
    INT = 1,
    BIGINT = 2,
    FLOAT = 3,
    STR = 4,
    BYTES = 5,
    BYTEARRAY = 6,
    TUPLE = 7,
    LIST = 8,
    REFARRAY = 9,
    BYTEBUF = 10,
    DICT = 11,
    SET = 12,
    TYPE = 13,
    INSTANCE = 14,
    FUNCTION = 15,
    BUILTIN = 16,
    METHOD = 17,
    CELL = 18,
    MODULE = 19,
    RANGE = 20,
    SLICE = 21,
    WRAPPER = 22,
    ITER = 23,
    TRACEBACK = 24,
}

/// Number of layouts registered by [`register_all`]; the interpreter registers its own
/// (frames, generators) after these.
pub const BUILTIN_LAYOUTS: u32 = 25;

/// `int` (fits in an `i64`): the value.
pub const INT_VALUE: usize = 16;

/// Big `int`: number of 32-bit digits (the collector's length field), sign (-1, 1),
/// then the little-endian digits.
pub const BIGINT_LEN: usize = 16;
pub const BIGINT_SIGN: usize = 24;
pub const BIGINT_DIGITS: usize = 32;

/// `float`: the value.
pub const FLOAT_VALUE: usize = 16;

/// `str` and `bytes`: byte length (the collector's length field), cached hash (-1: not
/// yet), number of characters, symbol id (-1: not interned), flags, then the bytes (UTF-8
/// for `str`). An ASCII `str`'s bytes are already PEP 393's compact ASCII data, which is
/// what the cpyext layer hands to C.
pub const STR_LEN: usize = 16;
pub const STR_HASH: usize = 24;
pub const STR_NCHARS: usize = 32;
pub const STR_SYM: usize = 40;
pub const STR_FLAGS: usize = 48;
pub const STR_DATA: usize = 56;
/// `STR_FLAGS` bit: every byte is ASCII.
pub const STR_ASCII: u64 = 1;

/// `bytearray`: length, then the buffer (a `BYTEBUF` whose length is the capacity).
pub const BYTEARRAY_LEN: usize = 16;
pub const BYTEARRAY_BUF: usize = 24;

/// `tuple`: length (the collector's), then the items inline.
pub const TUPLE_LEN: usize = 16;
pub const TUPLE_ITEMS: usize = 24;

/// `list`: length, then the item array (a `REFARRAY` whose length is the capacity; large
/// ones get card marking from the collector).
pub const LIST_LEN: usize = 16;
pub const LIST_ITEMS: usize = 24;

/// Internal arrays: length at 8, items from 16.
pub const ARRAY_LEN: usize = 8;
pub const ARRAY_ITEMS: usize = 16;

/// `dict`: live entries, entries used (live and deleted), the index table (a `BYTEBUF`
/// of `i32`: -1 empty, -2 deleted, else an entry number), and the entries as three
/// parallel arrays in insertion order: hashes (`BYTEBUF` of `i64`), keys and values
/// (`REFARRAY`s; a deleted entry has no key).
pub const DICT_USED: usize = 16;
pub const DICT_NENTRIES: usize = 24;
pub const DICT_INDICES: usize = 32;
pub const DICT_HASHES: usize = 40;
pub const DICT_KEYS: usize = 48;
pub const DICT_VALUES: usize = 56;

/// `set` and `frozenset`: live keys, slots used (live and dummy), the open-addressing
/// table of keys (a `REFARRAY`; the dummy marks a deleted slot) and their hashes (a
/// `BYTEBUF` of `i64`), and a frozenset's cached hash (-1: not yet).
pub const SET_USED: usize = 16;
pub const SET_FILL: usize = 24;
pub const SET_KEYS: usize = 32;
pub const SET_HASHES: usize = 40;
pub const SET_HASH: usize = 48;

/// `type`: namespace dict, MRO tuple, bases tuple, name str, solid base type, then the
/// index of the type's Rust-side data and flags.
pub const TYPE_DICT: usize = 16;
pub const TYPE_MRO: usize = 24;
pub const TYPE_BASES: usize = 32;
pub const TYPE_NAME: usize = 40;
pub const TYPE_BASE: usize = 48;
pub const TYPE_QUALNAME: usize = 56;
pub const TYPE_INDEX: usize = 64;
pub const TYPE_FLAGS: usize = 72;

/// Instances of classes: the map (shape) id, the overflow slot array, the backing value
/// of a subclass of a built-in type (a `list` for `class L(list)`), then
/// [`INSTANCE_INLINE`] inline attribute slots.
pub const INST_MAP: usize = 16;
pub const INST_OVERFLOW: usize = 24;
pub const INST_BACKING: usize = 32;
pub const INST_SLOTS: usize = 40;
/// Attribute slots stored inline in the instance.
pub const INSTANCE_INLINE: usize = 4;

/// Python functions.
pub const FUNC_CODE: usize = 16;
pub const FUNC_GLOBALS: usize = 24;
pub const FUNC_DEFAULTS: usize = 32;
pub const FUNC_KWDEFAULTS: usize = 40;
pub const FUNC_CLOSURE: usize = 48;
pub const FUNC_NAME: usize = 56;
pub const FUNC_QUALNAME: usize = 64;
pub const FUNC_DICT: usize = 72;
pub const FUNC_CONSTS: usize = 80;
pub const FUNC_MODULE: usize = 88;
pub const FUNC_DOC: usize = 96;

/// Functions implemented in Rust: index into the interpreter's native table, the bound
/// `self` (None for plain functions), the name.
pub const BUILTIN_FN: usize = 16;
pub const BUILTIN_SELF: usize = 24;
pub const BUILTIN_NAME: usize = 32;

/// Bound methods.
pub const METHOD_FUNC: usize = 16;
pub const METHOD_SELF: usize = 24;

/// Cells (closure variables).
pub const CELL_VALUE: usize = 16;

/// Modules.
pub const MODULE_DICT: usize = 16;
pub const MODULE_NAME: usize = 24;

/// `range` and `slice`: start, stop, step (int objects; None allowed in slices).
pub const RANGE_START: usize = 16;
pub const RANGE_STOP: usize = 24;
pub const RANGE_STEP: usize = 32;

/// Small wrapper objects with up to four references (`property`, `staticmethod`,
/// `classmethod`, `super`, `NotImplemented`-like markers).
pub const WRAP_A: usize = 16;
pub const WRAP_B: usize = 24;
pub const WRAP_C: usize = 32;
pub const WRAP_D: usize = 40;

/// Iterators of every kind: three references, an index and a count.
pub const ITER_A: usize = 16;
pub const ITER_B: usize = 24;
pub const ITER_C: usize = 32;
pub const ITER_INDEX: usize = 40;
pub const ITER_N: usize = 48;

/// Traceback entries: the next (inner) entry, the code's index in the interpreter's
/// code table, the line.
pub const TB_NEXT: usize = 16;
pub const TB_CODE: usize = 24;
pub const TB_LINE: usize = 32;

const T: usize = TYPE_OFFSET;

fn var(length_offset: usize, item_size: usize, refs: &[usize]) -> Option<VarPart> {
    Some(VarPart {
        length_offset,
        item_size,
        item_ref_offsets: refs.to_vec(),
    })
}

fn desc(name: &str, size: usize, refs: &[usize], v: Option<VarPart>) -> TypeDesc {
    let mut d = TypeDesc::fixed(name, size, refs);
    d.var = v;
    d
}

/// Registers every built-in layout with `heap`, in the order of the ids above.
pub fn register_all(heap: &mut Heap) {
    let descs = [
        desc("object", 16, &[T], None),
        desc("int", 24, &[T], None),
        desc("bigint", 32, &[T], var(BIGINT_LEN, 4, &[])),
        desc("float", 24, &[T], None),
        desc("str", STR_DATA, &[T], var(STR_LEN, 1, &[])),
        desc("bytes", STR_DATA, &[T], var(STR_LEN, 1, &[])),
        desc("bytearray", 32, &[T, BYTEARRAY_BUF], None),
        desc("tuple", TUPLE_ITEMS, &[T], var(TUPLE_LEN, 8, &[0])),
        desc("list", 32, &[T, LIST_ITEMS], None),
        TypeDesc::ref_array("refarray"),
        TypeDesc::byte_array("bytebuf"),
        desc(
            "dict",
            64,
            &[T, DICT_INDICES, DICT_HASHES, DICT_KEYS, DICT_VALUES],
            None,
        ),
        desc("set", 56, &[T, SET_KEYS, SET_HASHES], None),
        desc(
            "type",
            80,
            &[
                T,
                TYPE_DICT,
                TYPE_MRO,
                TYPE_BASES,
                TYPE_NAME,
                TYPE_BASE,
                TYPE_QUALNAME,
            ],
            None,
        ),
        desc(
            "instance",
            INST_SLOTS + 8 * INSTANCE_INLINE,
            &[T, INST_OVERFLOW, INST_BACKING, 40, 48, 56, 64],
            None,
        ),
        desc(
            "function",
            104,
            &[
                T,
                FUNC_GLOBALS,
                FUNC_DEFAULTS,
                FUNC_KWDEFAULTS,
                FUNC_CLOSURE,
                FUNC_NAME,
                FUNC_QUALNAME,
                FUNC_DICT,
                FUNC_CONSTS,
                FUNC_MODULE,
                FUNC_DOC,
            ],
            None,
        ),
        desc(
            "builtin_function",
            40,
            &[T, BUILTIN_SELF, BUILTIN_NAME],
            None,
        ),
        desc("method", 32, &[T, METHOD_FUNC, METHOD_SELF], None),
        desc("cell", 24, &[T, CELL_VALUE], None),
        desc("module", 32, &[T, MODULE_DICT, MODULE_NAME], None),
        desc("range", 40, &[T, RANGE_START, RANGE_STOP, RANGE_STEP], None),
        desc("slice", 40, &[T, RANGE_START, RANGE_STOP, RANGE_STEP], None),
        desc("wrapper", 48, &[T, WRAP_A, WRAP_B, WRAP_C, WRAP_D], None),
        desc("iterator", 56, &[T, ITER_A, ITER_B, ITER_C], None),
        desc("traceback", 40, &[T, TB_NEXT], None),
    ];
    for (i, d) in descs.into_iter().enumerate() {
        let id = heap
            .register(d)
            .unwrap_or_else(|e| panic!("thicket: built-in layout refused: {e}"));
        assert_eq!(
            id.0 as usize, i,
            "built-in layouts must be registered first"
        );
    }
}
