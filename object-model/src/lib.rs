//! Thicket's object model: Python objects laid out in the GC heap (`thicket-gc`), and
//! the operations on them that need no interpreter (the "object space"). No parsing, no
//! bytecode: the interpreter (the `thicket` crate), cpyext and the FFI bridge build on
//! this.
//!
//! - [`value`]: `Value`, a reference to an object, and the rule that keeps raw values
//!   sound (the heap collects only at safepoints).
//! - [`layout`]: the heap layout of every built-in kind.
//! - [`space`]: the `Space` (heap, built-in types, singletons, interning, allocation).
//! - One module per kind: [`ints`], [`strings`], [`dicts`], [`sets`], [`mapdict`]
//!   (instances and their shapes).
//! - [`format`]: Python-exact text formatting (float repr, format specs, `%`, `str.format`).
//! - [`random`]: CPython-compatible pseudo-random numbers (MT19937).
//! - [`format`]: Python-exact text formatting (float repr, format specs, `%`, `str.format`).

pub mod builtin_types;
pub mod dicts;
pub mod format;
pub mod fxhash;
pub mod ints;
pub mod layout;
pub mod mapdict;
pub mod random;
pub mod sets;
pub mod space;
pub mod strings;
pub mod value;

pub use builtin_types::{BuiltinTypes, Kind};
pub use space::Space;
pub use value::Value;
