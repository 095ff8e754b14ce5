//! Thicket's object model: the Python-level values and library modules the interpreter
//! builds on.

pub mod random;
