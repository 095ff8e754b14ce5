//! Build script of the `thicket` binary: exports every symbol dynamically, so that C
//! extension modules loaded with `dlopen` resolve the C-API (`PyLong_FromLong`, ...) and
//! its data (`PyExc_TypeError`, `_Py_NoneStruct`, ...) against the binary itself.

fn main() {
    println!("cargo:rustc-link-arg-bins=-rdynamic");
    println!("cargo:rerun-if-changed=build.rs");
}
