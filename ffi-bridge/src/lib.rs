//! The bridge between the Thicket heap and C: checked object handles, and calls into C
//! libraries (with callbacks back) through libffi. Usable by any embedder of
//! `thicket-gc`, not only the interpreter.
//!
//! | file | what it holds |
//! |---|---|
//! | `handles.rs` | [`HandleTable`]: `void *` handles for moving objects, checked by slot and generation |
//! | `call.rs` | [`Signature`] (calls into C) and [`Callback`] (C function pointers that call Rust) |
//!
//! Pinned buffers need nothing here: the collector's `Scope::pin` keeps an object in
//! place for as long as C holds its address.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub mod call;
pub mod handles;

pub use call::{Callback, Handler, Kind, Signature};
pub use handles::{HandleError, HandleTable, RawTable, HANDLE_TAG};
