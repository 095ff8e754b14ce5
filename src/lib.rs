//! Thicket's Python-subset interpreter: the bytecode, the compiler from the parser's
//! syntax tree, and the VM that runs it on the object model (`thicket-object-model`)
//! over the moving collector (`thicket-gc`). The `thicket` command (`main.rs`) drives it.

pub mod buildext;
pub mod bytecode;
pub mod capi;
pub mod compile;
pub mod gcstats;
pub mod run;
pub mod vm;
