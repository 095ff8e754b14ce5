//! Thicket's CPython C-API layer, the part that knows nothing of the interpreter: the
//! CPython 3.11 struct layouts ([`abi`]), the memory of proxies and C-created objects
//! with Thicket's head before each object ([`proxy`]), and the statically exported type
//! objects and singletons ([`statics`]). The headers live in `include/`, the variadic
//! API in C in `csrc/`; the API functions that need the interpreter are in the root
//! package (`src/capi/`), over the GC's proxy links (`thicket_gc::Heap::extref_*`).

pub mod abi;
pub mod debug;
pub mod proxy;
pub mod statics;
