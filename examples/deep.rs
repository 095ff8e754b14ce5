//! Compiles deeply nested programs (a stack-depth check).
fn main() {
    let which = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let parse_only = std::env::args().nth(3).is_some();
    let src = match which.as_str() {
        "paren" => format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)),
        "neg" => format!("x = {}1\n", "-".repeat(n)),
        "add" => format!("x = {}1\n", "1 + ".repeat(n)),
        "not" => format!("x = {}\n", "not ".repeat(n) + "y"),
        _ => panic!(),
    };
    if parse_only {
        let p = ruff_python_parser::parse_module(&src);
        println!("parsed {}", p.is_ok());
        drop(p);
        println!("dropped");
        return;
    }
    let r = thicket::compile::compile_module(&src, "t");
    println!("{:?}", r.map(|c| c.max_stack).map_err(|e| e.msg));
}
