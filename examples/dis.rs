//! Prints the disassembly of a Python file compiled by thicket's compiler.
fn main() {
    let path = std::env::args().nth(1).expect("usage: dis FILE.py");
    let src = std::fs::read_to_string(&path).expect("readable file");
    match thicket::compile::compile_module(&src, &path) {
        Ok(code) => {
            print!("{}", thicket::compile::disassemble(&code));
            if let Err(e) = thicket::compile::stack::verify(&code) {
                println!("VERIFY FAILED: {e}");
            }
        }
        Err(e) => println!("{e}\n  col {}: {:?}", e.col, e.text),
    }
}
