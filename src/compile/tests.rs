//! Unit tests of the compiler: disassembly of small programs, scope analysis, errors.

use super::*;

fn compile(src: &str) -> Rc<Code> {
    let code = compile_module(src, "<test>").unwrap_or_else(|e| panic!("{e}\n{}", e.msg));
    stack::verify(&code).unwrap_or_else(|e| panic!("verify: {e}\n{}", disassemble(&code)));
    code
}

#[test]
fn smoke() {
    let code = compile("x = 1\nprint(x + 2)\n");
    println!("{}", disassemble(&code));
}
