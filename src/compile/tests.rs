//! Unit tests of the compiler: the code generated for small programs (checked through
//! the instructions and tables of the code objects), scope analysis, line numbers,
//! the errors and refusals, and robustness on broken or deeply nested input.

use super::*;
use crate::bytecode::{
    BinOp, CmpOp, FV_HAS_SPEC, FV_REPR, FV_STR, MF_CLOSURE, MF_DEFAULTS, MF_KWDEFAULTS,
};

fn compile(src: &str) -> Rc<Code> {
    let code = compile_module(src, "<test>").unwrap_or_else(|e| panic!("{e}"));
    stack::verify(&code).unwrap_or_else(|e| panic!("verify: {e}\n{}", disassemble(&code)));
    code
}

/// The code object with this qualname, searched depth-first.
fn find(code: &Rc<Code>, qualname: &str) -> Rc<Code> {
    fn go(code: &Rc<Code>, q: &str) -> Option<Rc<Code>> {
        if &*code.qualname == q {
            return Some(code.clone());
        }
        code.consts.iter().find_map(|c| match c {
            Const::Code(inner) => go(inner, q),
            _ => None,
        })
    }
    go(code, qualname).unwrap_or_else(|| panic!("no code {qualname} in\n{}", disassemble(code)))
}

fn err(src: &str) -> CompileError {
    match compile_module(src, "<test>") {
        Ok(code) => panic!("expected an error, got\n{}", disassemble(&code)),
        Err(e) => e,
    }
}

fn has(code: &Code, i: Instr) -> bool {
    code.code.contains(&i)
}

/// Whether `seq` appears contiguously in the code.
fn has_seq(code: &Code, seq: &[Instr]) -> bool {
    code.code.windows(seq.len()).any(|w| w == seq)
}

fn name(code: &Code, n: &str) -> u32 {
    code.names
        .iter()
        .position(|x| &**x == n)
        .unwrap_or_else(|| panic!("no name {n} in {:?}", code.names)) as u32
}

fn var(code: &Code, n: &str) -> u32 {
    code.varnames
        .iter()
        .position(|x| &**x == n)
        .unwrap_or_else(|| panic!("no varname {n} in {:?}", code.varnames)) as u32
}

fn konst(code: &Code, pred: impl Fn(&Const) -> bool) -> u32 {
    code.consts
        .iter()
        .position(pred)
        .unwrap_or_else(|| panic!("no such constant in {:?}", code.consts)) as u32
}

fn str_const(code: &Code, s: &str) -> u32 {
    konst(code, |c| matches!(c, Const::Str(x) if &**x == s))
}

#[test]
fn module_names_are_globals() {
    let code = compile("x = 1\nprint(x + 2)\ndel x\n");
    assert_eq!(code.kind, CodeKind::Module);
    assert!(has(&code, Instr::StoreGlobal(name(&code, "x"))));
    assert!(has(&code, Instr::LoadGlobal(name(&code, "print"))));
    assert!(has(&code, Instr::DeleteGlobal(name(&code, "x"))));
    assert_eq!(code.lines.len(), code.code.len());
    // The implicit return is on the last statement's line.
    assert_eq!(*code.lines.last().unwrap(), 3);
}

#[test]
fn function_scopes_locals_cells_free_globals() {
    let code = compile(
        "g = 0\ndef f(a, b):\n    c = a\n    def inner():\n        return b + c + g\n    global h\n    h = 1\n    return inner\n",
    );
    let f = find(&code, "f");
    assert_eq!(f.argcount, 2);
    assert_eq!(&*f.varnames[0], "a");
    assert_eq!(&*f.varnames[1], "b");
    assert_eq!(
        f.cellvars.iter().map(|s| &**s).collect::<Vec<_>>(),
        ["b", "c"]
    );
    // b is a parameter living in a cell.
    assert_eq!(f.cell_params, vec![(0, 1)]);
    assert!(has(&f, Instr::StoreDeref(1)));
    assert!(has(&f, Instr::StoreGlobal(name(&f, "h"))));
    assert!(has_seq(
        &f,
        &[
            Instr::LoadClosure(0),
            Instr::LoadClosure(1),
            Instr::BuildTuple(2)
        ]
    ));
    assert!(f
        .code
        .iter()
        .any(|i| matches!(i, Instr::MakeFunction(fl) if fl & MF_CLOSURE != 0)));
    let inner = find(&code, "f.<locals>.inner");
    assert_eq!(
        inner.freevars.iter().map(|s| &**s).collect::<Vec<_>>(),
        ["b", "c"]
    );
    assert!(has(&inner, Instr::LoadDeref(0)));
    assert!(has(&inner, Instr::LoadDeref(1)));
    assert!(has(&inner, Instr::LoadGlobal(name(&inner, "g"))));
}

#[test]
fn nonlocal_rebinds_the_enclosing_cell() {
    let code = compile(
        "def f():\n    x = 0\n    def inc():\n        nonlocal x\n        x += 1\n    return inc\n",
    );
    let inc = find(&code, "f.<locals>.inc");
    assert_eq!(&*inc.freevars[0], "x");
    assert!(has_seq(
        &inc,
        &[
            Instr::LoadDeref(0),
            Instr::LoadConst(0),
            Instr::InplaceBinary(BinOp::Add),
            Instr::StoreDeref(0)
        ]
    ));
}

#[test]
fn parameters_defaults_and_kinds() {
    let code =
        compile("def f(a, /, b=2, *args, c, d=4, **kw):\n    pass\nl = lambda x, *, y=1: x\n");
    let f = find(&code, "f");
    assert_eq!((f.argcount, f.posonlyargcount, f.kwonlyargcount), (2, 1, 2));
    assert!(f.varargs && f.varkw);
    let names: Vec<&str> = f.varnames.iter().map(|s| &**s).collect();
    assert_eq!(names, ["a", "b", "c", "d", "args", "kw"]);
    assert!(has(&code, Instr::MakeFunction(MF_DEFAULTS | MF_KWDEFAULTS)));
    let l = find(&code, "<lambda>");
    assert_eq!(l.kind, CodeKind::Lambda);
    assert_eq!((l.argcount, l.kwonlyargcount), (1, 1));
    assert!(has(&code, Instr::MakeFunction(MF_KWDEFAULTS)));
}

#[test]
fn decorators_apply_innermost_first() {
    let code = compile("@a\n@b\ndef f():\n    '''the doc'''\n    return 1\n");
    assert!(has_seq(
        &code,
        &[
            Instr::MakeFunction(0),
            Instr::Call(1),
            Instr::Call(1),
            Instr::StoreGlobal(name(&code, "f"))
        ]
    ));
    let f = find(&code, "f");
    assert_eq!(f.doc.as_deref(), Some("the doc"));
    // The docstring emits no code.
    assert_eq!(f.code.len(), 4, "{}", disassemble(&f));
}

#[test]
fn module_docstring_is_stored() {
    let code = compile("'''mod doc'''\nx = 1\n");
    assert_eq!(code.doc.as_deref(), Some("mod doc"));
    assert!(has_seq(
        &code,
        &[
            Instr::LoadConst(str_const(&code, "mod doc")),
            Instr::StoreGlobal(name(&code, "__doc__"))
        ]
    ));
}

#[test]
fn class_body_namespace_and_class_cell() {
    let code = compile(
        "class C(B1, B2):\n    'doc'\n    x = 1\n    def m(self):\n        return super().m() + __class__.x\nclass D:\n    y = x\n",
    );
    let c = find(&code, "C");
    assert_eq!(c.kind, CodeKind::Class);
    assert_eq!(c.doc.as_deref(), Some("doc"));
    assert!(has_seq(
        &c,
        &[
            Instr::LoadGlobal(name(&c, "__name__")),
            Instr::StoreName(name(&c, "__module__")),
            Instr::LoadConst(str_const(&c, "C")),
            Instr::StoreName(name(&c, "__qualname__")),
            Instr::LoadConst(str_const(&c, "doc")),
            Instr::StoreName(name(&c, "__doc__")),
        ]
    ));
    assert!(has(&c, Instr::StoreName(name(&c, "x"))));
    assert_eq!(&*c.cellvars[0], "__class__");
    assert!(has_seq(&c, &[Instr::LoadClosure(0), Instr::Return]));
    assert!(has_seq(
        &code,
        &[
            Instr::LoadGlobal(name(&code, "B1")),
            Instr::LoadGlobal(name(&code, "B2")),
            Instr::BuildClass(2)
        ]
    ));
    let m = find(&code, "C.m");
    assert_eq!(&*m.freevars[0], "__class__");
    assert!(has_seq(
        &m,
        &[
            Instr::LoadGlobal(name(&m, "super")),
            Instr::LoadDeref(0),
            Instr::LoadFast(0),
            Instr::Call(2),
            Instr::LoadMethod(name(&m, "m")),
            Instr::CallMethod(0)
        ]
    ));
    // No __class__ cell: the body returns None.
    let d = find(&code, "D");
    assert!(d.cellvars.is_empty());
    assert!(has(&d, Instr::LoadName(name(&d, "x"))));
    assert_eq!(d.code[d.code.len() - 1], Instr::Return);
    assert!(
        matches!(d.code[d.code.len() - 2], Instr::LoadConst(i) if matches!(d.consts[i as usize], Const::None))
    );
}

#[test]
fn super_with_a_captured_first_parameter() {
    let code = compile(
        "class C:\n    def m(self):\n        f = lambda: self\n        return super().m()\n",
    );
    let m = find(&code, "C.m");
    let self_cell = m.cellvars.iter().position(|c| &**c == "self").unwrap() as u32;
    let class_cell = m.cellvars.len() as u32; // the first freevar
    assert!(has_seq(
        &m,
        &[
            Instr::LoadDeref(class_cell),
            Instr::LoadDeref(self_cell),
            Instr::Call(2)
        ]
    ));
}

#[test]
fn super_outside_a_class_is_a_plain_call() {
    let code = compile("def f(x):\n    return super()\n");
    let f = find(&code, "f");
    assert!(has_seq(
        &f,
        &[Instr::LoadGlobal(name(&f, "super")), Instr::Call(0)]
    ));
}

#[test]
fn class_free_variables_use_load_class_deref() {
    let code = compile(
        "def f():\n    x = 1\n    y = 2\n    class C:\n        a = x\n        y = 3\n        def m(self):\n            return y\n    return C\n",
    );
    let c = find(&code, "f.<locals>.C");
    assert_eq!(
        c.freevars.iter().map(|s| &**s).collect::<Vec<_>>(),
        ["x", "y"]
    );
    assert!(has(
        &c,
        Instr::LoadClassDeref {
            name: name(&c, "x"),
            cell: 0
        }
    ));
    // `y` is both a class local and passed through to the method.
    assert!(has(&c, Instr::StoreName(name(&c, "y"))));
    assert!(has(&c, Instr::LoadClosure(1)));
    let m = find(&code, "f.<locals>.C.m");
    assert!(has(&m, Instr::LoadDeref(0)));
}

#[test]
fn private_names_are_mangled() {
    let code = compile(
        "class _C:\n    __a = 1\n    def __m(self, __p):\n        return self.__x + __p + __dunder__\n",
    );
    let c = find(&code, "_C");
    assert!(has(&c, Instr::StoreName(name(&c, "_C__a"))));
    assert!(has(&c, Instr::StoreName(name(&c, "_C__m"))));
    let m = find(&code, "_C.__m");
    assert_eq!(&*m.varnames[1], "_C__p");
    assert!(has(&m, Instr::LoadAttr(name(&m, "_C__x"))));
    assert!(has(&m, Instr::LoadGlobal(name(&m, "__dunder__"))));
}

#[test]
fn qualnames() {
    let code = compile(
        "def f():\n    def g():\n        pass\n    class K:\n        def h(self):\n            return [x for x in ()]\ndef outer():\n    global glob\n    def glob():\n        pass\n",
    );
    find(&code, "f.<locals>.g");
    find(&code, "f.<locals>.K");
    find(&code, "f.<locals>.K.h");
    find(&code, "f.<locals>.K.h.<locals>.<listcomp>");
    find(&code, "glob");
}

#[test]
fn chained_comparison_evaluates_middle_once() {
    let code = compile("r = a < b <= c\n");
    assert!(has_seq(
        &code,
        &[
            Instr::LoadGlobal(name(&code, "b")),
            Instr::Dup,
            Instr::Rot3,
            Instr::Compare(CmpOp::Lt),
        ]
    ));
    assert!(code
        .code
        .iter()
        .any(|i| matches!(i, Instr::JumpIfFalseOrPop(_))));
    assert!(has(&code, Instr::Compare(CmpOp::Le)));
    assert!(has_seq(&code, &[Instr::Rot2, Instr::Pop]));
    let code = compile("r = a is not b\ns = a not in b\n");
    assert!(has(&code, Instr::IsOp(true)));
    assert!(has(&code, Instr::ContainsOp(true)));
}

#[test]
fn boolean_operators_short_circuit_with_operands() {
    let code = compile("r = a and b or c\n");
    assert!(code
        .code
        .iter()
        .any(|i| matches!(i, Instr::JumpIfFalseOrPop(_))));
    assert!(code
        .code
        .iter()
        .any(|i| matches!(i, Instr::JumpIfTrueOrPop(_))));
    // In a condition, plain jumps.
    let code = compile("if not a and b:\n    pass\n");
    assert!(code
        .code
        .iter()
        .any(|i| matches!(i, Instr::PopJumpIfTrue(_))));
    assert!(code
        .code
        .iter()
        .any(|i| matches!(i, Instr::PopJumpIfFalse(_))));
    // `while True` has no test.
    let code = compile("while True:\n    f()\n");
    assert!(!code
        .code
        .iter()
        .any(|i| matches!(i, Instr::PopJumpIfFalse(_))));
}

#[test]
fn calls() {
    let code = compile("f(1, x=2)\n");
    let kw = konst(
        &code,
        |c| matches!(c, Const::Tuple(t) if t.len() == 1 && matches!(&t[0], Const::Str(s) if &**s == "x")),
    );
    assert!(has_seq(&code, &[Instr::LoadConst(kw), Instr::CallKw(2)]));

    let code = compile("f(*a, 1)\n");
    assert!(has(&code, Instr::ListExtend(1)));
    assert!(has(&code, Instr::ListAppend(1)));
    assert!(has_seq(&code, &[Instr::ListToTuple, Instr::CallEx(false)]));

    let code = compile("f(1, a=1, **k, b=2)\n");
    assert!(has(&code, Instr::BuildTuple(1)));
    assert!(has(&code, Instr::DictMerge(1)));
    assert!(has(&code, Instr::CallEx(true)));

    let code = compile("f(**k)\n");
    assert!(has_seq(
        &code,
        &[
            Instr::BuildMap(0),
            Instr::LoadGlobal(name(&code, "k")),
            Instr::DictMerge(1),
            Instr::CallEx(true)
        ]
    ));

    let code = compile("o.m(1, 2)\no.n(x=1)\n");
    assert!(has_seq(
        &code,
        &[
            Instr::LoadGlobal(name(&code, "o")),
            Instr::LoadMethod(name(&code, "m")),
            Instr::LoadConst(0),
            Instr::LoadConst(1),
            Instr::CallMethod(2)
        ]
    ));
    assert!(has(&code, Instr::LoadAttr(name(&code, "n"))));
}

#[test]
fn displays_with_stars() {
    let code = compile("l = [*a, b]\nd = {**m, 'k': v}\ns = {*s, 1}\nt = (*a,)\n");
    assert!(has_seq(
        &code,
        &[
            Instr::BuildList(0),
            Instr::LoadGlobal(name(&code, "a")),
            Instr::ListExtend(1)
        ]
    ));
    assert!(has(&code, Instr::DictUpdate(1)));
    assert!(has(&code, Instr::MapAdd(1)));
    assert!(has(&code, Instr::SetUpdate(1)));
    assert!(has(&code, Instr::SetAdd(1)));
    assert!(has(&code, Instr::ListToTuple));
    // Plain displays.
    let code = compile("x = [a, b]\ny = {a: b}\nz = (a, b)\n");
    assert!(has(&code, Instr::BuildList(2)));
    assert!(has(&code, Instr::BuildMap(1)));
    assert!(has(&code, Instr::BuildTuple(2)));
}

#[test]
fn big_displays_stay_shallow() {
    let items: Vec<String> = (0..100).map(|i| format!("x{i}")).collect();
    let code = compile(&format!("l = [{}]\n", items.join(", ")));
    assert!(code.max_stack < 40, "max_stack {}", code.max_stack);
    let code = compile(&format!(
        "l = [{}]\n",
        (0..100)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    assert!(code.max_stack <= 2);
}

#[test]
fn subscripts_and_slices() {
    let code = compile("a[1:2, ::3]\na[i]\na[:]\n");
    assert!(has(&code, Instr::BuildSlice(2)));
    assert!(has(&code, Instr::BuildSlice(3)));
    assert!(has_seq(
        &code,
        &[
            Instr::BuildSlice(3),
            Instr::BuildTuple(2),
            Instr::BinarySubscr
        ]
    ));
}

#[test]
fn constants() {
    let code = compile("a = 12345678901234567890123\nb = -1\nc = b'xy'\nd = ...\ne = (1, (2.5, 'x'), None)\nf = -9223372036854775808\ng = 0x_ff_ff_ff_ff_ff_ff_ff_ff_ff\n");
    assert!(code
        .consts
        .iter()
        .any(|c| matches!(c, Const::BigInt(b) if b.to_string() == "12345678901234567890123")));
    assert!(code.consts.iter().any(|c| matches!(c, Const::Int(-1))));
    assert!(code
        .consts
        .iter()
        .any(|c| matches!(c, Const::Int(i64::MIN))));
    assert!(code
        .consts
        .iter()
        .any(|c| matches!(c, Const::Bytes(b) if &**b == b"xy")));
    assert!(code.consts.iter().any(|c| matches!(c, Const::Ellipsis)));
    assert!(code
        .consts
        .iter()
        .any(|c| matches!(c, Const::Tuple(t) if t.len() == 3)));
    assert!(code
        .consts
        .iter()
        .any(|c| matches!(c, Const::BigInt(b) if b.to_string() == "4722366482869645213695")));
    // 1, 1.0 and True are different constants.
    let code = compile("a = 1\nb = 1.0\nc = True\nd = 0.0\ne = -0.0\n");
    assert_eq!(code.consts.len(), 6, "{:?}", code.consts);
}

#[test]
fn comprehensions_are_nested_code_objects() {
    let code = compile("r = [x * y for x in a if x for y in b]\n");
    assert!(has_seq(
        &code,
        &[
            Instr::LoadGlobal(name(&code, "a")),
            Instr::GetIter,
            Instr::Call(1)
        ]
    ));
    let lc = find(&code, "<listcomp>");
    assert_eq!(lc.kind, CodeKind::Comprehension);
    assert_eq!(lc.argcount, 1);
    assert_eq!(&*lc.varnames[0], ".0");
    assert_eq!(lc.code[0], Instr::BuildList(0));
    assert_eq!(lc.code[1], Instr::LoadFast(0));
    assert!(has(&lc, Instr::ListAppend(3)));
    assert!(has(&lc, Instr::LoadGlobal(name(&lc, "b"))));

    let code = compile("g = (x for x in a)\nd = {k: v for k, v in a}\ns = {x for x in a}\n");
    let g = find(&code, "<genexpr>");
    assert!(g.generator);
    assert!(has_seq(&g, &[Instr::YieldValue, Instr::Pop]));
    let d = find(&code, "<dictcomp>");
    assert!(has(&d, Instr::MapAdd(2)));
    let s = find(&code, "<setcomp>");
    assert!(has(&s, Instr::SetAdd(2)));
}

#[test]
fn class_body_comprehension_sees_globals_not_class_names() {
    let code = compile("class C:\n    a = 1\n    r = [a for _ in a]\n");
    let c = find(&code, "C");
    // The outermost iterable is evaluated in the class body.
    assert!(has_seq(
        &c,
        &[
            Instr::LoadName(name(&c, "a")),
            Instr::GetIter,
            Instr::Call(1)
        ]
    ));
    let lc = find(&code, "C.<listcomp>");
    assert!(has(&lc, Instr::LoadGlobal(name(&lc, "a"))));
}

#[test]
fn walrus_in_a_comprehension_binds_in_the_function() {
    let code = compile("def f(a):\n    r = [y := x for x in a]\n    return y\n");
    let f = find(&code, "f");
    assert_eq!(&*f.cellvars[0], "y");
    let lc = find(&code, "f.<locals>.<listcomp>");
    assert_eq!(&*lc.freevars[0], "y");
    assert!(has_seq(&lc, &[Instr::Dup, Instr::StoreDeref(0)]));
    let code = compile("r = [y := x for x in a]\n");
    let lc = find(&code, "<listcomp>");
    assert!(has(&lc, Instr::StoreGlobal(name(&lc, "y"))));
    let code = compile("if (n := 10) > 5:\n    pass\n");
    assert!(has_seq(
        &code,
        &[Instr::Dup, Instr::StoreGlobal(name(&code, "n"))]
    ));
}

#[test]
fn fstrings() {
    let code = compile("s = f'a{x!r:>{w}}b{y=}{z:.2f}' 'tail'\n");
    let fv: Vec<u8> = code
        .code
        .iter()
        .filter_map(|i| match i {
            Instr::FormatValue(f) => Some(*f),
            _ => None,
        })
        .collect();
    // w (no spec), x (repr + spec), y (debug: repr), z (spec)
    assert_eq!(fv, vec![0, FV_REPR | FV_HAS_SPEC, FV_REPR, FV_HAS_SPEC]);
    str_const(&code, "by=");
    str_const(&code, "tail");
    str_const(&code, ".2f");
    assert!(
        code.code
            .iter()
            .any(|i| matches!(i, Instr::BuildString(n) if *n == 6)),
        "{}",
        disassemble(&code)
    );
    let code = compile("s = f'{x!s}'\nt = f''\n");
    assert!(has_seq(
        &code,
        &[
            Instr::FormatValue(FV_STR),
            Instr::StoreGlobal(name(&code, "s"))
        ]
    ));
    assert!(has_seq(
        &code,
        &[
            Instr::LoadConst(str_const(&code, "")),
            Instr::StoreGlobal(name(&code, "t"))
        ]
    ));
}

#[test]
fn generators() {
    let code =
        compile("def g():\n    x = yield 1\n    yield\n    r = yield from h()\n    return r\n");
    let g = find(&code, "g");
    assert!(g.generator);
    assert!(has(&g, Instr::YieldValue));
    assert!(has_seq(
        &g,
        &[
            Instr::GetYieldFromIter,
            Instr::LoadConst(konst(&g, |c| matches!(c, Const::None))),
            Instr::YieldFrom
        ]
    ));
    assert!(!find(&code, "<module>").generator);
}

#[test]
fn unpacking() {
    let code = compile("a, (b, c) = x\nd, *e, f, g = y\n[h] = z\n");
    assert!(has(&code, Instr::UnpackSequence(2)));
    assert!(has(
        &code,
        Instr::UnpackEx {
            before: 1,
            after: 2
        }
    ));
    assert!(has(&code, Instr::UnpackSequence(1)));
    // First target stored first.
    assert!(has_seq(
        &code,
        &[
            Instr::UnpackSequence(2),
            Instr::StoreGlobal(name(&code, "a")),
            Instr::UnpackSequence(2)
        ]
    ));
    let code = compile("a = b = c\n");
    assert!(has_seq(
        &code,
        &[
            Instr::Dup,
            Instr::StoreGlobal(name(&code, "a")),
            Instr::StoreGlobal(name(&code, "b"))
        ]
    ));
}

#[test]
fn augmented_assignment_evaluates_the_target_once() {
    let code = compile("o.a += 1\nd[k] -= 2\nx **= 3\n");
    let a = name(&code, "a");
    assert!(has_seq(&code, &[Instr::Dup, Instr::LoadAttr(a)]));
    assert!(has_seq(
        &code,
        &[
            Instr::InplaceBinary(BinOp::Add),
            Instr::Rot2,
            Instr::StoreAttr(a)
        ]
    ));
    assert!(has_seq(&code, &[Instr::DupTwo, Instr::BinarySubscr]));
    assert!(has_seq(
        &code,
        &[
            Instr::InplaceBinary(BinOp::Sub),
            Instr::Rot3,
            Instr::StoreSubscr
        ]
    ));
    assert!(has(&code, Instr::InplaceBinary(BinOp::Pow)));
}

#[test]
fn annotated_assignments() {
    let code = compile("x: int\ny: int = 1\no.a: int\n");
    assert!(!code.names.iter().any(|n| &**n == "x" || &**n == "int"));
    assert!(has(&code, Instr::StoreGlobal(name(&code, "y"))));
    assert!(has_seq(
        &code,
        &[Instr::LoadGlobal(name(&code, "o")), Instr::Pop]
    ));
    let code = compile("def f():\n    x: int\n    return x\n");
    let f = find(&code, "f");
    assert!(has(&f, Instr::LoadFast(var(&f, "x"))));
}

#[test]
fn deletion() {
    let code = compile("def f(x):\n    del x, o.a, d[k]\n");
    let f = find(&code, "f");
    assert!(has(&f, Instr::DeleteFast(0)));
    assert!(has(&f, Instr::DeleteAttr(name(&f, "a"))));
    assert!(has(&f, Instr::DeleteSubscr));
}

#[test]
fn try_except_else_with_name() {
    let code = compile("try:\n    f()\nexcept (E, F) as e:\n    g(e)\nexcept G:\n    pass\nexcept:\n    raise\nelse:\n    h()\n");
    let e = name(&code, "e");
    assert!(has(&code, Instr::PushExcInfo));
    assert!(code
        .code
        .iter()
        .any(|i| matches!(i, Instr::JumpIfNotExcMatch(_))));
    assert!(has(&code, Instr::Raise(0)));
    // The name is unbound at the end of the handler, on both paths.
    let unbind = [
        Instr::LoadConst(konst(&code, |c| matches!(c, Const::None))),
        Instr::StoreGlobal(e),
        Instr::DeleteGlobal(e),
    ];
    assert_eq!(code.code.windows(3).filter(|w| *w == unbind).count(), 2);
    assert!(has_seq(
        &code,
        &[Instr::Rot2, Instr::PopExcept, Instr::Reraise]
    ));
    assert!(code.max_stack >= 3);
}

#[test]
fn try_finally_runs_on_every_exit() {
    let code = compile(
        "def f():\n    for i in x:\n        try:\n            if i: break\n            if i: continue\n            return i\n        finally:\n            fin()\n",
    );
    let f = find(&code, "f");
    let fin = name(&f, "fin");
    // normal path, exception path, break, continue, return.
    let n = f
        .code
        .iter()
        .filter(|i| **i == Instr::LoadGlobal(fin))
        .count();
    assert_eq!(n, 5, "{}", disassemble(&f));
    // The return pops the loop iterator under the value.
    assert!(has_seq(&f, &[Instr::Rot2, Instr::Pop, Instr::Return]));
}

#[test]
fn return_and_break_inside_handlers_and_with() {
    let code = compile(
        "def f():\n    while x:\n        try:\n            g()\n        except E as e:\n            return e\n        with m() as (a, b), n():\n            break\n",
    );
    let f = find(&code, "f");
    assert!(
        has_seq(&f, &[Instr::Rot2, Instr::PopExcept, Instr::Return]),
        "{}",
        disassemble(&f)
    );
    assert!(has_seq(
        &f,
        &[
            Instr::PopBlock,
            Instr::WithExit,
            Instr::PopBlock,
            Instr::WithExit
        ]
    ));
    assert!(has(&f, Instr::WithExceptStart));
    assert!(has(&f, Instr::UnpackSequence(2)));
}

#[test]
fn break_in_finally_inlined_for_return_drops_the_value() {
    let code = compile(
        "def f():\n    for i in x:\n        try:\n            return 1\n        finally:\n            break\n",
    );
    stack::verify(&code).unwrap();
}

#[test]
fn with_statement_shape() {
    let code = compile("with a as b:\n    pass\n");
    assert!(code.code.iter().any(|i| matches!(i, Instr::SetupWith(_))));
    assert!(has_seq(&code, &[Instr::PopBlock, Instr::WithExit]));
    let pc = code
        .code
        .iter()
        .position(|i| *i == Instr::PushExcInfo)
        .unwrap();
    assert!(matches!(code.code[pc + 1], Instr::SetupExcept(_)));
    assert_eq!(code.code[pc + 2], Instr::WithExceptStart);
}

#[test]
fn raise_and_assert() {
    let code = compile("raise E\nraise E from c\nassert x, 'msg'\nassert y\n");
    assert!(has(&code, Instr::Raise(1)));
    assert!(has(&code, Instr::Raise(2)));
    let ae = name(&code, "AssertionError");
    assert!(has_seq(
        &code,
        &[
            Instr::LoadBuiltin(ae),
            Instr::LoadConst(str_const(&code, "msg")),
            Instr::Call(1),
            Instr::Raise(1)
        ]
    ));
    assert!(has_seq(&code, &[Instr::LoadBuiltin(ae), Instr::Raise(1)]));
}

#[test]
fn imports() {
    let code =
        compile("import a.b.c\nimport a.b as d\nfrom .. import x as y, z\nfrom m import *\n");
    assert!(has_seq(
        &code,
        &[
            Instr::ImportName(name(&code, "a.b.c")),
            Instr::StoreGlobal(name(&code, "a"))
        ]
    ));
    assert!(has_seq(
        &code,
        &[
            Instr::ImportName(name(&code, "a.b")),
            Instr::ImportFrom(name(&code, "b")),
            Instr::Rot2,
            Instr::Pop,
            Instr::StoreGlobal(name(&code, "d"))
        ]
    ));
    let lvl2 = konst(&code, |c| matches!(c, Const::Int(2)));
    assert!(has(&code, Instr::LoadConst(lvl2)));
    assert!(has_seq(
        &code,
        &[
            Instr::ImportName(name(&code, "")),
            Instr::ImportFrom(name(&code, "x")),
            Instr::StoreGlobal(name(&code, "y"))
        ]
    ));
    assert!(has_seq(
        &code,
        &[Instr::ImportName(name(&code, "m")), Instr::ImportStar]
    ));
    let code = compile("def f():\n    import os.path\n    from x import y\n");
    let f = find(&code, "f");
    assert!(has(&f, Instr::StoreFast(var(&f, "os"))));
    assert!(has(&f, Instr::StoreFast(var(&f, "y"))));
}

#[test]
fn line_numbers_follow_expressions() {
    let code = compile("x = 1\ny = (x +\n     undefined)\n");
    let pc = code
        .code
        .iter()
        .position(|i| *i == Instr::LoadGlobal(name(&code, "undefined")))
        .unwrap();
    assert_eq!(code.lines[pc], 3);
    let pc = code
        .code
        .iter()
        .position(|i| *i == Instr::Binary(BinOp::Add))
        .unwrap();
    assert_eq!(code.lines[pc], 2);
    let code = compile("\n\ndef f():\n    pass\n");
    assert_eq!(find(&code, "f").first_line, 3);
}

#[test]
fn scope_errors() {
    let cases: &[(&str, &str, u32)] = &[
        (
            "nonlocal x\n",
            "nonlocal declaration not allowed at module level",
            1,
        ),
        (
            "def f():\n    nonlocal x\n",
            "no binding for nonlocal 'x' found",
            2,
        ),
        ("return 1\n", "'return' outside function", 1),
        ("class C:\n    return\n", "'return' outside function", 2),
        ("yield 1\n", "'yield' outside function", 1),
        ("break\n", "'break' outside loop", 1),
        (
            "while x:\n    pass\nelse:\n    continue\n",
            "'continue' not properly in loop",
            4,
        ),
        (
            "def f():\n    x = 1\n    global x\n",
            "name 'x' is assigned to before global declaration",
            3,
        ),
        (
            "def f():\n    print(x)\n    global x\n",
            "name 'x' is used prior to global declaration",
            3,
        ),
        (
            "def f(x):\n    global x\n",
            "name 'x' is parameter and global",
            2,
        ),
        (
            "def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x\n",
            "name 'x' is nonlocal and global",
            5,
        ),
        (
            "def f(a, a):\n    pass\n",
            "duplicate argument 'a' in function definition",
            1,
        ),
        ("f(a=1, a=2)\n", "keyword argument repeated: a", 1),
        (
            "def f():\n    from m import *\n",
            "import * only allowed at module level",
            2,
        ),
        (
            "[(yield x) for x in y]\n",
            "'yield' inside list comprehension",
            1,
        ),
        (
            "class C:\n    [y := 1 for x in z]\n",
            "assignment expression within a comprehension cannot be used in a class body",
            2,
        ),
        (
            "[x := 1 for x in z]\n",
            "assignment expression cannot rebind comprehension iteration variable 'x'",
            1,
        ),
        (
            "try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n",
            "default 'except:' must be last",
            3,
        ),
        (
            "x = 1\nfrom __future__ import annotations\n",
            "from __future__ imports must occur at the beginning of the file",
            2,
        ),
        ("from __future__ import braces\n", "not a chance", 1),
        (
            "a, *b, *c = d\n",
            "multiple starred expressions in assignment",
            1,
        ),
        ("__debug__ = 1\n", "cannot assign to __debug__", 1),
    ];
    for (src, msg, line) in cases {
        let e = err(src);
        assert_eq!(e.kind, "SyntaxError", "{src}");
        assert_eq!(&e.msg, msg, "{src}");
        assert_eq!(e.line, *line, "{src}: {e}");
        assert!(e.col >= 1);
    }
}

#[test]
fn refusals_name_the_construct() {
    let cases: &[(&str, &str)] = &[
        (
            "async def f():\n    pass\n",
            "'async def' is not supported by thicket",
        ),
        (
            "def f():\n    async with a:\n        pass\n",
            "'async with' is not supported by thicket",
        ),
        (
            "match x:\n    case 1:\n        pass\n",
            "the 'match' statement is not supported by thicket",
        ),
        (
            "try:\n    pass\nexcept* E:\n    pass\n",
            "'except*' is not supported by thicket",
        ),
        (
            "type X = int\n",
            "the 'type' alias statement is not supported by thicket",
        ),
        (
            "def f[T](x: T):\n    pass\n",
            "a type parameter list is not supported by thicket",
        ),
        (
            "class C(metaclass=M):\n    pass\n",
            "a class keyword argument (such as 'metaclass=') is not supported by thicket",
        ),
        ("x = 1j\n", "a complex literal is not supported by thicket"),
    ];
    for (src, msg) in cases {
        let e = err(src);
        assert_eq!(e.kind, "SyntaxError");
        assert_eq!(&e.msg, msg, "{src}");
    }
    assert_eq!(
        err("async def f():\n    pass\n").to_string(),
        "File \"<test>\", line 1\nSyntaxError: 'async def' is not supported by thicket"
    );
}

#[test]
fn syntax_errors_have_positions_and_text() {
    let e = err("x = 1\ny = (2 +\n");
    assert_eq!(e.kind, "SyntaxError");
    assert!(e.line >= 2);
    let e = err("x = 1\nif x:\n    y = 2\n  z = 3\n");
    assert_eq!(e.kind, "IndentationError", "{e:?}");
    let e = err("x = 1\nx = = 2\n");
    assert_eq!((e.line, e.col), (2, 5), "{e:?}");
    assert_eq!(e.text.as_deref(), Some("x = = 2"));
    assert_eq!(e.filename, "<test>");
    let e = err("é = 1\né é\n");
    assert_eq!(e.line, 2);
    assert_eq!(e.col, 3, "columns count characters");
    // Version-gated syntax of later Pythons.
    let e = err("f'{'a'}'\n");
    assert_eq!(e.kind, "SyntaxError");
}

#[test]
fn never_panics_on_truncated_or_garbled_input() {
    let sample = "import os\nclass C(B):\n    def m(self, *a, **k):\n        try:\n            return [x async for x in y] if a else {**k}\n        except E as e:\n            raise e from None\n        finally:\n            del self.x[1:2]\n    @property\n    def p(self): return f'{self!r:>{10}}'\nwith open(f) as g, h: pass\nwhile 1:\n    break\nlambda *, k=1: (yield)\n";
    for end in 0..=sample.len() {
        if !sample.is_char_boundary(end) {
            continue;
        }
        let src = &sample[..end];
        if let Ok(code) = compile_module(src, "t") {
            stack::verify(&code).unwrap();
        }
        let garbled: String = src.chars().rev().collect();
        if let Ok(code) = compile_module(&garbled, "t") {
            stack::verify(&code).unwrap();
        }
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let n = 20_000;
    let src = format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
    let _ = compile_module(&src, "t");
    let src = format!("x = {}1\n", "-".repeat(n));
    let _ = compile_module(&src, "t");
    let src = format!("x = {}1\n", "1 + ".repeat(n));
    let code = compile_module(&src, "t").unwrap();
    stack::verify(&code).unwrap();
    let src = format!("x = {}\n", "not ".repeat(n) + "y");
    let _ = compile_module(&src, "t");
}

#[test]
fn decorated_definitions_start_at_the_first_decorator() {
    let code = compile("x = 1\n@d\n\ndef f():\n    pass\n@d\nclass C:\n    pass\n");
    assert_eq!(find(&code, "f").first_line, 2);
    assert_eq!(find(&code, "C").first_line, 6);
}

#[test]
fn a_local_super_is_not_rewritten() {
    let code = compile("class C:\n    def m(self, super):\n        return super()\n");
    let m = find(&code, "C.m");
    assert!(has_seq(&m, &[Instr::LoadFast(1), Instr::Call(0)]));
}

#[test]
fn handler_depths_count_the_pushed_exception() {
    // [prev, exc, type] while matching.
    let code = compile("try:\n    pass\nexcept E:\n    pass\n");
    assert_eq!(code.max_stack, 3);
    // [exit, prev, exc, result] in a with handler.
    let code = compile("with a:\n    pass\n");
    assert_eq!(code.max_stack, 4);
}

#[test]
fn verifier_rejects_broken_code() {
    let mut code = (*compile("x = 1\n")).clone();
    code.max_stack = 0;
    assert!(stack::verify(&code).is_err());
    let mut code = (*compile("if x:\n    y = 1\n")).clone();
    // A jump out of range.
    for i in code.code.iter_mut() {
        if let Instr::PopJumpIfFalse(t) = i {
            *t = 1000;
        }
    }
    assert!(stack::analyze(&code).is_err());
    let mut code = (*compile("x = 1\n")).clone();
    code.code.insert(0, Instr::Pop);
    code.lines.insert(0, 1);
    assert!(stack::analyze(&code).is_err());
    let mut code = (*compile("x = 1\n")).clone();
    code.code.insert(0, Instr::PopBlock);
    code.lines.insert(0, 1);
    assert!(stack::analyze(&code).is_err());
}

#[test]
fn deeply_nested_scopes_and_targets() {
    let src = format!("f = {}1\n", "lambda: ".repeat(150));
    let code = compile(&src);
    assert!(code.max_stack >= 1);
    let e = err(&format!("f = {}1\n", "lambda: ".repeat(5000)));
    assert!(e.msg.starts_with("too many nested scopes"), "{}", e.msg);
    let n = 5000;
    let target = format!("{}a{}", "(".repeat(n), ",)".repeat(n));
    compile(&format!(
        "for {target} in x:\n    pass\ndel {target}\n[1 for {target} in x]\n"
    ));
}

// ---- running compiled code on the reference interpreter (expected output from CPython 3.11) ----

fn run(src: &str) -> String {
    testvm::run_module(&compile(src))
}

#[test]
fn runs_loops_finally() {
    let src = r#"
def f(xs):
    out = []
    for x in xs:
        try:
            if x == 1:
                continue
            if x == 3:
                break
            out.append(x)
        finally:
            out.append(-x)
    else:
        out.append(99)
    return out
print(f([0, 1, 2, 3, 4]))
print(f([0, 1]))
"#;
    let expected = r#"[0, 0, -1, 2, -2, -3]
[0, 0, -1, 99]
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn runs_return_in_finally() {
    let src = r#"
def g():
    try:
        return 1
    finally:
        print("fin")
def h():
    try:
        raise ValueError("boom")
    finally:
        return 2
def k():
    for i in range(3):
        try:
            return i
        finally:
            if i == 0:
                continue
    return 10
print(g(), h(), k())
"#;
    let expected = r#"fin
1 2 1
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn runs_handlers() {
    let src = r#"
def f(x):
    try:
        if x == 0:
            raise ValueError("v")
        if x == 1:
            raise KeyError("k")
        if x == 2:
            return [][1]
        return "ok"
    except (TypeError, LookupError) as e:
        return "lookup " + str(e)
    except ValueError:
        return "value"
    else:
        print("else")
    finally:
        print("finally", x)
for i in range(4):
    print(f(i))
def g():
    try:
        raise ValueError("a")
    except ValueError as e:
        pass
    return e
try:
    g()
except NameError:
    print("e unbound")
except UnboundLocalError:
    print("e unbound local")
"#;
    let expected = r#"finally 0
value
finally 1
lookup 'k'
finally 2
lookup list index out of range
finally 3
ok
e unbound
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn runs_reraise() {
    let src = r#"
def f():
    try:
        try:
            raise ValueError("inner")
        except ValueError:
            print("caught")
            raise
    except Exception as e:
        print("outer", str(e))
    try:
        raise KeyError("x")
    except ValueError:
        print("no")
    except:
        print("bare")
f()
def g():
    try:
        1 // 0
    except ZeroDivisionError:
        try:
            raise
        except ArithmeticError as e:
            return "re " + str(e)
print(g())
raise TypeError("top")
"#;
    let expected = r#"caught
outer inner
bare
re integer division or modulo by zero
uncaught TypeError: top
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn runs_with() {
    let src = r#"
def f(x):
    with cm("a") as a, cm("b", True) as b:
        print(a, b)
        if x:
            raise ValueError("in body")
        return "ret"
    return "after"
print(f(0))
print(f(1))
def g():
    for i in range(3):
        with cm("c"):
            if i == 1:
                continue
            if i == 2:
                break
            print("body", i)
    with cm("d"):
        raise KeyError("d")
try:
    g()
except KeyError as e:
    print("caught", str(e))
"#;
    let expected = r#"enter a
enter b
a b
exit b
exit a
ret
enter a
enter b
a b
exit b with ValueError: in body
exit a
after
enter c
body 0
exit c
enter c
exit c
enter c
exit c
enter d
exit d with KeyError: 'd'
caught 'd'
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn runs_closures() {
    let src = r#"
def counter():
    n = 0
    def inc(by=1):
        nonlocal n
        n += by
        return n
    return inc
c = counter()
c(); c(5)
print(c())
def make():
    fs = []
    for i in range(3):
        fs.append(lambda i=i: i * 10)
    return [f() for f in fs]
print(make())
def outer(a, *args, k=3, **kw):
    def inner():
        return a, args, k, kw
    return inner()
print(outer(1, 2, 3, k=4, z=5))
print(outer(*[1, 2], **{"k": 7}))
x = 5
def show():
    return [x + y for y in range(3)]
print(show())
def walrus():
    r = [(last := v) for v in range(4)]
    return last, r
print(walrus())
"#;
    let expected = r#"7
[0, 10, 20]
(1, (2, 3), 4, {'z': 5})
(1, (2,), 7, {})
[5, 6, 7]
(3, [0, 1, 2, 3])
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn runs_expressions() {
    let src = r#"
a, b, c = 1, 2, 3
print(a < b < c, a < b > c, 1 < 2 < 3 < 4, a and b, 0 or c, not a)
first, *rest = [1, 2, 3, 4]
*init, last = (1, 2, 3)
(p, q), r = (4, 5), 6
print(first, rest, init, last, p, q, r)
l = [1, 2, 3]
l[1] += 10
d = {"k": 1}
d["k"] *= 7
print(l, d, [*l, *l], {**d, "z": 0})
print(f"{a}-{b!r}-{'s'!r}-{c=}", f"{l[0]}{'x'}")
print(1 if a > b else 2, [x * x for x in range(5) if x % 2], {k: v for k, v in [(1, 2), (3, 4)]})
x = y = 7
print(x, y, -x, ~x, 7 // 2, 2 ** 10, "ab" + "cd", (1, 2) + (3,))
print(len("hello"), "e" in "hello", 3 not in l, l is l, None is not None)
"#;
    let expected = r#"True False True 2 3 False
1 [2, 3, 4] [1, 2] 3 4 5 6
[1, 12, 3] {'k': 7} [1, 12, 3, 1, 12, 3] {'k': 7, 'z': 0}
1-2-'s'-c=3 1x
2 [1, 9] {1: 2, 3: 4}
7 7 -7 -8 3 1024 abcd (1, 2, 3)
5 True False True False
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn runs_scopes() {
    let src = r#"
g = 1
def f():
    global g
    g += 1
    h = 2
    def inner():
        return h + g
    return inner()
print(f(), g)
def u():
    print(z)
    z = 1
try:
    u()
except UnboundLocalError as e:
    print("unbound")
def dflt(a, b=2, *, c, d=4):
    return a + b + c + d
print(dflt(1, c=3), dflt(1, 1, c=1, d=1))
"#;
    let expected = r#"4 2
unbound
10 4
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn runs_exc_state() {
    let src = r#"
def f():
    for i in range(3):
        try:
            raise ValueError(str(i))
        except ValueError as e:
            if i == 0:
                continue
            if i == 1:
                break
    try:
        raise
    except RuntimeError as e:
        print("no active:", str(e))
f()
def g():
    try:
        raise KeyError("a")
    except KeyError:
        try:
            raise ValueError("b")
        except ValueError:
            pass
        raise
try:
    g()
except KeyError as e:
    print("reraised", str(e))
def h():
    try:
        try:
            raise ValueError("x")
        finally:
            print("cleanup")
    except ValueError:
        return "handled"
print(h())
def w():
    i = 0
    while i < 5:
        i += 1
        if i == 2:
            continue
        if i == 4:
            break
        print("w", i)
    else:
        print("not reached")
    while i < 6:
        i += 1
    else:
        print("else", i)
w()
def ret_in_handler():
    for i in range(2):
        try:
            1 // 0
        except ZeroDivisionError:
            return "r" + str(i)
print(ret_in_handler())
try:
    raise
except RuntimeError:
    print("still no active exception")
"#;
    let expected = r#"no active: No active exception to reraise
reraised 'a'
cleanup
handled
w 1
w 3
else 6
r0
still no active exception
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn runs_finally_replaces() {
    let src = r#"
def f():
    try:
        try:
            raise ValueError("first")
        finally:
            raise KeyError("second")
    except KeyError as e:
        return "got " + str(e)
    except ValueError:
        return "wrong"
print(f())
def g():
    for i in range(3):
        try:
            try:
                return i
            finally:
                if i < 2:
                    break
        finally:
            print("outer", i)
    return "broke"
print(g())
def h(n):
    try:
        assert n > 0, "need positive"
        assert n
        return "fine"
    except AssertionError as e:
        return "assert: " + str(e)
print(h(1), h(0))
def s():
    for i in range(3):
        with cm("s", True):
            if i == 1:
                raise ValueError("suppressed")
            if i == 2:
                break
    return i
print(s())
a = b = [1, 2]
del a
try:
    print(a)
except NameError:
    print("a deleted", b)
"#;
    let expected = r#"got 'second'
outer 0
broke
fine assert: need positive
enter s
exit s
enter s
exit s with ValueError: suppressed
enter s
exit s
2
a deleted [1, 2]
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}

#[test]
fn odd_inputs() {
    assert_eq!(err("x = 0x\n").msg, "invalid number literal");
    assert_eq!(err("x = 1\0\n").line, 1);
    compile("");
    compile("\u{feff}x = 1\r\ny = 2\r\n");
    compile("x=1\ry=2\r");
    compile("café = 1\nprint(café)\n");
    compile("print(*a, *b, sep='')\nfor x in *a, *b: pass\n");
    assert_eq!(err("x = *a\n").msg, "can't use starred expression here");
}

#[test]
fn runs_classes() {
    let src = r#"
def deco(f):
    def wrapper(*a, **k):
        return ("wrapped", f(*a, **k))
    return wrapper
class Base:
    greeting = "hi"
    def __init__(self, x):
        self.x = x
    def who(self):
        return "base " + str(self.x)
class Child(Base):
    'child doc'
    count = 3
    items = [i * 2 for i in range(count)]
    def __init__(self, x, y):
        super().__init__(x)
        self.__y = y
    def who(self):
        return "child/" + super().who() + "/" + str(self.__y)
    def cls(self):
        return __class__.__name__
    @deco
    def decorated(self, n):
        return n + self.count
c = Child(1, 2)
print(c.who(), c.cls(), c.decorated(4), Child.items, c.greeting, Child.__qualname__, Child.__module__, Child.__doc__, Base.__doc__)
print(c._Child__y)
def factory(v):
    w = v * 2
    class Inner:
        val = v
        def get(self):
            return w + self.val
    return Inner
print(factory(5)().get())
try:
    class Bad:
        k = 2
        l = [k for _ in range(2)]
except NameError as e:
    print("class scope hidden:", str(e))
"#;
    let expected = r#"child/base 1/2 Child ('wrapped', 7) [0, 2, 4] hi Child __main__ child doc None
2
15
class scope hidden: name 'k' is not defined
"#;
    assert_eq!(run(src), expected, "{}", disassemble(&compile(src)));
}
