//! A tiny reference interpreter for the compiler's tests: runs compiled code for a
//! small value world (None, bools, ints, strs, lists, tuples, dicts, functions with
//! closures, exception classes and instances, toy context managers from `cm(name,
//! suppress)`) so that tests can check what the generated control flow *does* (loops,
//! `finally`, `with`, handlers, unwinding), not just its shape. Everything it prints
//! goes to a string; unsupported instructions fail the test.

use crate::bytecode::{
    BinOp, CmpOp, Code, Const, Instr, UnaryOp, MF_CLOSURE, MF_DEFAULTS, MF_KWDEFAULTS,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

type Cell = Rc<RefCell<Option<V>>>;

#[derive(Clone)]
pub(crate) enum V {
    Null,
    None,
    Bool(bool),
    Int(i64),
    Str(Rc<str>),
    List(Rc<RefCell<Vec<V>>>),
    Tuple(Rc<Vec<V>>),
    Dict(Rc<RefCell<Vec<(V, V)>>>),
    Func(Rc<Func>),
    Builtin(&'static str),
    Bound(Rc<(V, &'static str)>),
    Class(Rc<str>),
    Exc(Rc<(Rc<str>, String)>),
    Iter(Rc<RefCell<(Vec<V>, usize)>>),
    Cell(Cell),
    Code(Rc<Code>),
    Cm(Rc<(Rc<str>, bool)>),
    ClassObj(Rc<ClassObj>),
    Inst(Rc<Inst>),
    Super(Rc<(Rc<ClassObj>, V)>),
    BoundFunc(Rc<(Rc<Func>, V)>),
}

type Ns = Rc<RefCell<HashMap<Rc<str>, V>>>;

pub(crate) struct ClassObj {
    name: Rc<str>,
    bases: Vec<Rc<ClassObj>>,
    dict: Ns,
}

pub(crate) struct Inst {
    class: Rc<ClassObj>,
    dict: Ns,
}

/// Finds `name` in a class or its bases (depth first).
fn class_lookup(c: &Rc<ClassObj>, name: &str) -> Option<V> {
    if let Some(v) = c.dict.borrow().get(name) {
        return Some(v.clone());
    }
    c.bases.iter().find_map(|b| class_lookup(b, name))
}

/// Attribute lookup; functions found on the class are bound to `obj`.
fn get_attr(obj: &V, name: &str) -> Option<V> {
    let bind = |v: V, this: &V| match v {
        V::Func(f) => V::BoundFunc(Rc::new((f, this.clone()))),
        other => other,
    };
    match obj {
        V::Inst(i) => {
            if let Some(v) = i.dict.borrow().get(name) {
                return Some(v.clone());
            }
            class_lookup(&i.class, name).map(|v| bind(v, obj))
        }
        V::ClassObj(c) => match name {
            "__name__" => Some(V::Str(c.name.clone())),
            _ => class_lookup(c, name),
        },
        V::Super(sp) => {
            sp.0.bases
                .iter()
                .find_map(|b| class_lookup(b, name))
                .map(|v| bind(v, &sp.1))
        }
        _ => None,
    }
}

pub(crate) struct Func {
    code: Rc<Code>,
    defaults: Vec<V>,
    kwdefaults: Vec<(Rc<str>, V)>,
    closure: Vec<Cell>,
}

const CLASSES: &[&str] = &[
    "BaseException",
    "Exception",
    "ValueError",
    "KeyError",
    "IndexError",
    "LookupError",
    "ZeroDivisionError",
    "ArithmeticError",
    "TypeError",
    "NameError",
    "UnboundLocalError",
    "RuntimeError",
    "AssertionError",
    "StopIteration",
    "KeyboardInterrupt",
];

fn parent(c: &str) -> Option<&'static str> {
    Some(match c {
        "BaseException" => return None,
        "Exception" | "KeyboardInterrupt" => "BaseException",
        "KeyError" | "IndexError" => "LookupError",
        "ZeroDivisionError" => "ArithmeticError",
        "UnboundLocalError" => "NameError",
        _ => "Exception",
    })
}

fn subclass(c: &str, of: &str) -> bool {
    let mut cur = Some(c);
    while let Some(x) = cur {
        if x == of {
            return true;
        }
        cur = parent(x);
    }
    false
}

fn exc(class: &str, msg: impl Into<String>) -> V {
    V::Exc(Rc::new((class.into(), msg.into())))
}

fn truthy(v: &V) -> bool {
    match v {
        V::None | V::Null => false,
        V::Bool(b) => *b,
        V::Int(i) => *i != 0,
        V::Str(s) => !s.is_empty(),
        V::List(l) => !l.borrow().is_empty(),
        V::Tuple(t) => !t.is_empty(),
        V::Dict(d) => !d.borrow().is_empty(),
        _ => true,
    }
}

fn eq(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::None, V::None) => true,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Int(x), V::Int(y)) => x == y,
        (V::Bool(x), V::Int(y)) | (V::Int(y), V::Bool(x)) => i64::from(*x) == *y,
        (V::Str(x), V::Str(y)) => x == y,
        (V::List(x), V::List(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| eq(a, b))
        }
        (V::Tuple(x), V::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| eq(a, b))
        }
        (V::Class(x), V::Class(y)) => x == y,
        (V::Exc(x), V::Exc(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

fn is(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::None, V::None) => true,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::List(x), V::List(y)) => Rc::ptr_eq(x, y),
        (V::Exc(x), V::Exc(y)) => Rc::ptr_eq(x, y),
        (V::Int(x), V::Int(y)) => x == y,
        _ => false,
    }
}

pub(crate) fn repr(v: &V) -> String {
    match v {
        V::Str(s) => format!("'{s}'"),
        other => to_str(other),
    }
}

pub(crate) fn to_str(v: &V) -> String {
    match v {
        V::Null => "<NULL>".into(),
        V::None => "None".into(),
        V::Bool(b) => if *b { "True" } else { "False" }.into(),
        V::Int(i) => i.to_string(),
        V::Str(s) => s.to_string(),
        V::List(l) => format!(
            "[{}]",
            l.borrow().iter().map(repr).collect::<Vec<_>>().join(", ")
        ),
        V::Tuple(t) if t.len() == 1 => format!("({},)", repr(&t[0])),
        V::Tuple(t) => format!("({})", t.iter().map(repr).collect::<Vec<_>>().join(", ")),
        V::Dict(d) => format!(
            "{{{}}}",
            d.borrow()
                .iter()
                .map(|(k, v)| format!("{}: {}", repr(k), repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        V::Func(f) => format!("<function {}>", f.code.qualname),
        V::Builtin(n) => format!("<built-in {n}>"),
        V::Bound(b) => format!("<method {}>", b.1),
        V::Class(c) => format!("<class '{c}'>"),
        V::Exc(e) => e.1.clone(),
        V::Iter(_) => "<iterator>".into(),
        V::Cell(_) => "<cell>".into(),
        V::Code(c) => format!("<code {}>", c.qualname),
        V::Cm(c) => format!("<cm {}>", c.0),
        V::ClassObj(c) => format!("<class '{}'>", c.name),
        V::Inst(i) => format!("<{} object>", i.class.name),
        V::Super(_) => "<super>".into(),
        V::BoundFunc(b) => format!("<bound method {}>", b.0.code.qualname),
    }
}

fn const_value(c: &Const) -> V {
    match c {
        Const::None => V::None,
        Const::True => V::Bool(true),
        Const::False => V::Bool(false),
        Const::Int(i) => V::Int(*i),
        Const::Str(s) => V::Str(s.clone()),
        Const::Tuple(t) => V::Tuple(Rc::new(t.iter().map(const_value).collect())),
        Const::Code(c) => V::Code(c.clone()),
        other => panic!("testvm: unsupported constant {other:?}"),
    }
}

fn items(v: &V) -> Result<Vec<V>, V> {
    Ok(match v {
        V::List(l) => l.borrow().clone(),
        V::Tuple(t) => (**t).clone(),
        V::Str(s) => s.chars().map(|c| V::Str(c.to_string().into())).collect(),
        V::Dict(d) => d.borrow().iter().map(|(k, _)| k.clone()).collect(),
        V::Iter(it) => {
            let mut it = it.borrow_mut();
            let rest = it.0[it.1..].to_vec();
            it.1 = it.0.len();
            rest
        }
        other => {
            return Err(exc(
                "TypeError",
                format!("'{}' object is not iterable", to_str(other)),
            ))
        }
    })
}

/// The interpreter state: globals, the handled exception, the output.
pub(crate) struct Vm {
    globals: HashMap<Rc<str>, V>,
    handled: V,
    pub(crate) out: String,
}

/// Runs a module's code; returns what it printed, and the uncaught exception if any.
pub(crate) fn run_module(code: &Rc<Code>) -> String {
    let mut vm = Vm {
        globals: HashMap::from([("__name__".into(), V::Str("__main__".into()))]),
        handled: V::None,
        out: String::new(),
    };
    if let Err(e) = vm.run(code, Vec::new(), Vec::new(), None) {
        vm.out.push_str(&format!("uncaught {}\n", describe(&e)));
    }
    vm.out
}

pub(crate) fn describe(e: &V) -> String {
    match e {
        V::Exc(x) => format!("{}: {}", x.0, x.1),
        other => to_str(other),
    }
}

impl Vm {
    fn call(&mut self, f: V, args: Vec<V>, kwargs: Vec<(Rc<str>, V)>) -> Result<V, V> {
        match f {
            V::Func(func) => self.call_func(&func, args, kwargs),
            V::BoundFunc(b) => {
                let mut all = vec![b.1.clone()];
                all.extend(args);
                self.call_func(&b.0, all, kwargs)
            }
            V::ClassObj(c) => {
                let inst = V::Inst(Rc::new(Inst {
                    class: c.clone(),
                    dict: Rc::new(RefCell::new(HashMap::new())),
                }));
                if let Some(init) = get_attr(&inst, "__init__") {
                    self.call(init, args, kwargs)?;
                }
                Ok(inst)
            }
            V::Builtin(name) => self.builtin(name, args),
            V::Bound(b) => {
                let (obj, name) = (&b.0, b.1);
                match (obj, name) {
                    (V::List(l), "append") => {
                        l.borrow_mut()
                            .push(args.into_iter().next().unwrap_or(V::None));
                        Ok(V::None)
                    }
                    _ => Err(exc("TypeError", format!("no method {name}"))),
                }
            }
            V::Class(c) => {
                let msg = match args.first() {
                    Some(a) if &*c == "KeyError" => repr(a),
                    Some(a) => to_str(a),
                    None => String::new(),
                };
                Ok(exc(&c, msg))
            }
            other => Err(exc(
                "TypeError",
                format!("'{}' object is not callable", to_str(&other)),
            )),
        }
    }

    fn builtin(&mut self, name: &str, args: Vec<V>) -> Result<V, V> {
        match name {
            "print" => {
                let line: Vec<String> = args.iter().map(to_str).collect();
                self.out.push_str(&line.join(" "));
                self.out.push('\n');
                Ok(V::None)
            }
            "range" => {
                let (lo, hi) = match args.as_slice() {
                    [V::Int(h)] => (0, *h),
                    [V::Int(l), V::Int(h)] => (*l, *h),
                    _ => return Err(exc("TypeError", "range")),
                };
                Ok(V::List(Rc::new(RefCell::new(
                    (lo..hi).map(V::Int).collect(),
                ))))
            }
            "len" => Ok(V::Int(items(&args[0])?.len() as i64)),
            "str" => Ok(V::Str(to_str(&args[0]).into())),
            "cm" => {
                let name = match args.first() {
                    Some(V::Str(s)) => s.clone(),
                    _ => "cm".into(),
                };
                Ok(V::Cm(Rc::new((name, args.get(1).is_some_and(truthy)))))
            }
            "super" => match args.as_slice() {
                [V::ClassObj(c), obj] => Ok(V::Super(Rc::new((c.clone(), obj.clone())))),
                _ => Err(exc("RuntimeError", "super(): bad arguments")),
            },
            _ => Err(exc("NameError", format!("builtin {name}"))),
        }
    }

    fn call_func(&mut self, f: &Func, args: Vec<V>, kwargs: Vec<(Rc<str>, V)>) -> Result<V, V> {
        let code = &f.code;
        let argc = code.argcount as usize;
        let mut slots: Vec<Option<V>> = vec![None; code.varnames.len()];
        let mut extra = Vec::new();
        for (i, a) in args.into_iter().enumerate() {
            if i < argc {
                slots[i] = Some(a);
            } else {
                extra.push(a);
            }
        }
        let nkw = code.kwonlyargcount as usize;
        let mut extra_kw = Vec::new();
        for (k, v) in kwargs {
            match code.varnames[..argc + nkw].iter().position(|n| **n == *k) {
                Some(i) if i >= code.posonlyargcount as usize => slots[i] = Some(v),
                _ => extra_kw.push((V::Str(k), v)),
            }
        }
        let first_default = argc - f.defaults.len();
        for (slot, d) in slots[first_default..argc].iter_mut().zip(&f.defaults) {
            if slot.is_none() {
                *slot = Some(d.clone());
            }
        }
        for (slot, name) in slots[argc..argc + nkw]
            .iter_mut()
            .zip(&code.varnames[argc..])
        {
            if slot.is_none() {
                *slot = f
                    .kwdefaults
                    .iter()
                    .find(|(k, _)| **k == **name)
                    .map(|(_, v)| v.clone());
            }
        }
        let mut next = argc + nkw;
        if code.varargs {
            slots[next] = Some(V::Tuple(Rc::new(extra)));
            next += 1;
        } else if !extra.is_empty() {
            return Err(exc("TypeError", "too many positional arguments"));
        }
        if code.varkw {
            slots[next] = Some(V::Dict(Rc::new(RefCell::new(extra_kw))));
        } else if !extra_kw.is_empty() {
            return Err(exc("TypeError", "unexpected keyword argument"));
        }
        if slots[..argc + nkw].iter().any(Option::is_none) {
            return Err(exc("TypeError", "missing argument"));
        }
        self.run(code, slots, f.closure.clone(), None)
    }

    fn run(
        &mut self,
        code: &Rc<Code>,
        mut locals: Vec<Option<V>>,
        closure: Vec<Cell>,
        ns: Option<Ns>,
    ) -> Result<V, V> {
        locals.resize(code.varnames.len(), None);
        let mut cells: Vec<Cell> = code
            .cellvars
            .iter()
            .map(|_| Rc::new(RefCell::new(None)))
            .collect();
        for &(c, v) in &code.cell_params {
            *cells[c as usize].borrow_mut() = locals[v as usize].clone();
        }
        cells.extend(closure);
        let mut f = Frame {
            code: code.clone(),
            locals,
            cells,
            stack: Vec::new(),
            blocks: Vec::new(),
            pc: 0,
            ns,
        };
        loop {
            match self.step(&mut f) {
                Ok(Some(v)) => return Ok(v),
                Ok(None) => {}
                Err(e) => match f.blocks.pop() {
                    Some((target, depth)) => {
                        f.stack.truncate(depth);
                        f.stack.push(e);
                        f.pc = target as usize;
                    }
                    None => return Err(e),
                },
            }
            assert!(
                f.stack.len() <= code.max_stack as usize,
                "stack above max_stack in {}",
                code.qualname
            );
        }
    }

    fn step(&mut self, f: &mut Frame) -> Result<Option<V>, V> {
        let code = f.code.clone();
        let instr = code.code[f.pc];
        f.pc += 1;
        let name = |i: u32| code.names[i as usize].clone();
        match instr {
            Instr::Nop => {}
            Instr::Pop => {
                f.pop();
            }
            Instr::Dup => {
                let v = f.top().clone();
                f.stack.push(v);
            }
            Instr::DupTwo => {
                let n = f.stack.len();
                let (a, b) = (f.stack[n - 2].clone(), f.stack[n - 1].clone());
                f.stack.push(a);
                f.stack.push(b);
            }
            Instr::Rot2 => {
                let n = f.stack.len();
                f.stack.swap(n - 1, n - 2);
            }
            Instr::Rot3 => {
                let v = f.pop();
                let n = f.stack.len();
                f.stack.insert(n - 2, v);
            }
            Instr::Rot4 => {
                let v = f.pop();
                let n = f.stack.len();
                f.stack.insert(n - 3, v);
            }
            Instr::LoadConst(i) => f.stack.push(const_value(&code.consts[i as usize])),
            Instr::LoadFast(i) => match &f.locals[i as usize] {
                Some(v) => f.stack.push(v.clone()),
                None => {
                    return Err(exc(
                        "UnboundLocalError",
                        format!(
                            "local variable '{}' referenced before assignment",
                            code.varnames[i as usize]
                        ),
                    ))
                }
            },
            Instr::StoreFast(i) => f.locals[i as usize] = Some(f.pop()),
            Instr::DeleteFast(i) => {
                if f.locals[i as usize].take().is_none() {
                    return Err(exc("UnboundLocalError", "delete unbound"));
                }
            }
            Instr::LoadDeref(i) => {
                let v = f.cells[i as usize].borrow().clone();
                match v {
                    Some(v) => f.stack.push(v),
                    None => {
                        return Err(exc(
                            "NameError",
                            format!(
                                "free variable '{}' referenced before assignment",
                                code.cell_name(i as usize)
                            ),
                        ))
                    }
                }
            }
            Instr::StoreDeref(i) => {
                let v = f.pop();
                *f.cells[i as usize].borrow_mut() = Some(v);
            }
            Instr::DeleteDeref(i) => {
                f.cells[i as usize].borrow_mut().take();
            }
            Instr::LoadClosure(i) => f.stack.push(V::Cell(f.cells[i as usize].clone())),
            Instr::LoadGlobal(i) | Instr::LoadName(i) | Instr::LoadBuiltin(i) => {
                let n = name(i);
                let local = match (&f.ns, instr) {
                    (Some(ns), Instr::LoadName(_)) => ns.borrow().get(&n).cloned(),
                    _ => None,
                };
                let v = if matches!(instr, Instr::LoadBuiltin(_)) {
                    None
                } else {
                    local.or_else(|| self.globals.get(&n).cloned())
                };
                let v = match v {
                    Some(v) => v,
                    None => match &*n {
                        "print" => V::Builtin("print"),
                        "range" => V::Builtin("range"),
                        "len" => V::Builtin("len"),
                        "str" => V::Builtin("str"),
                        "cm" => V::Builtin("cm"),
                        "super" => V::Builtin("super"),
                        c if CLASSES.contains(&c) => V::Class(n.clone()),
                        _ => return Err(exc("NameError", format!("name '{n}' is not defined"))),
                    },
                };
                f.stack.push(v);
            }
            Instr::StoreName(i) if f.ns.is_some() => {
                let v = f.pop();
                if let Some(ns) = &f.ns {
                    ns.borrow_mut().insert(name(i), v);
                }
            }
            Instr::StoreGlobal(i) | Instr::StoreName(i) => {
                let v = f.pop();
                self.globals.insert(name(i), v);
            }
            Instr::LoadClassDeref { name: ni, cell } => {
                let n = name(ni);
                let local = f.ns.as_ref().and_then(|ns| ns.borrow().get(&n).cloned());
                let v = match local {
                    Some(v) => v,
                    None => f.cells[cell as usize]
                        .borrow()
                        .clone()
                        .ok_or_else(|| exc("NameError", format!("free variable '{n}'")))?,
                };
                f.stack.push(v);
            }
            Instr::StoreAttr(i) => {
                let obj = f.pop();
                let v = f.pop();
                match &obj {
                    V::Inst(inst) => {
                        inst.dict.borrow_mut().insert(name(i), v);
                    }
                    _ => return Err(exc("AttributeError", "can't set attribute")),
                }
            }
            Instr::BuildClass(n) => {
                let bases = f.popn(n);
                let V::Str(cname) = f.pop() else {
                    panic!("BuildClass name")
                };
                let V::Func(body) = f.pop() else {
                    panic!("BuildClass body")
                };
                let bases = bases
                    .into_iter()
                    .map(|b| match b {
                        V::ClassObj(c) => Ok(c),
                        _ => Err(exc("TypeError", "bases must be classes")),
                    })
                    .collect::<Result<Vec<_>, V>>()?;
                let ns: Ns = Rc::new(RefCell::new(HashMap::new()));
                let r = self.run(
                    &body.code,
                    Vec::new(),
                    body.closure.clone(),
                    Some(ns.clone()),
                )?;
                let class = Rc::new(ClassObj {
                    name: cname,
                    bases,
                    dict: ns,
                });
                if let V::Cell(c) = r {
                    *c.borrow_mut() = Some(V::ClassObj(class.clone()));
                }
                f.stack.push(V::ClassObj(class));
            }
            Instr::DeleteGlobal(i) | Instr::DeleteName(i) => {
                if self.globals.remove(&name(i)).is_none() {
                    return Err(exc(
                        "NameError",
                        format!("name '{}' is not defined", name(i)),
                    ));
                }
            }
            Instr::LoadMethod(i) if matches!(f.top(), V::Inst(_) | V::Super(_)) => {
                let obj = f.pop();
                let n = name(i);
                let Some(v) = get_attr(&obj, &n) else {
                    return Err(exc("AttributeError", n.to_string()));
                };
                match v {
                    V::BoundFunc(b) => {
                        f.stack.push(V::Func(b.0.clone()));
                        f.stack.push(b.1.clone());
                    }
                    other => {
                        f.stack.push(other);
                        f.stack.push(V::Null);
                    }
                }
            }
            Instr::LoadMethod(i) => {
                let obj = f.pop();
                let n = name(i);
                let m: &'static str = match &*n {
                    "append" => "append",
                    _ => return Err(exc("AttributeError", n.to_string())),
                };
                f.stack.push(V::Bound(Rc::new((obj, m))));
                f.stack.push(V::Null);
            }
            Instr::LoadAttr(i) => {
                let obj = f.pop();
                let n = name(i);
                if let Some(v) = get_attr(&obj, &n) {
                    f.stack.push(v);
                    return Ok(None);
                }
                let v = match (&obj, &*n) {
                    (V::Exc(e), "msg") => V::Str(e.1.clone().into()),
                    (_, "append") => V::Bound(Rc::new((obj.clone(), "append"))),
                    _ => return Err(exc("AttributeError", n.to_string())),
                };
                f.stack.push(v);
            }
            Instr::BinarySubscr => {
                let key = f.pop();
                let c = f.pop();
                let v = match (&c, &key) {
                    (V::List(l), V::Int(i)) => {
                        let l = l.borrow();
                        let i = if *i < 0 { *i + l.len() as i64 } else { *i };
                        l.get(i as usize)
                            .cloned()
                            .ok_or_else(|| exc("IndexError", "list index out of range"))?
                    }
                    (V::Tuple(t), V::Int(i)) => t
                        .get(*i as usize)
                        .cloned()
                        .ok_or_else(|| exc("IndexError", "tuple index out of range"))?,
                    (V::Dict(d), k) => d
                        .borrow()
                        .iter()
                        .find(|(kk, _)| eq(kk, k))
                        .map(|(_, v)| v.clone())
                        .ok_or_else(|| exc("KeyError", repr(k)))?,
                    _ => return Err(exc("TypeError", "not subscriptable")),
                };
                f.stack.push(v);
            }
            Instr::StoreSubscr => {
                let key = f.pop();
                let c = f.pop();
                let v = f.pop();
                match (&c, &key) {
                    (V::List(l), V::Int(i)) => {
                        let mut l = l.borrow_mut();
                        let n = l.len();
                        *l.get_mut(*i as usize)
                            .ok_or_else(|| exc("IndexError", format!("{n}")))? = v;
                    }
                    (V::Dict(d), k) => dict_set(d, k.clone(), v),
                    _ => return Err(exc("TypeError", "no item assignment")),
                }
            }
            Instr::Binary(op) | Instr::InplaceBinary(op) => {
                let b = f.pop();
                let a = f.pop();
                let r = match (op, &a, &b) {
                    (BinOp::Add, V::Int(x), V::Int(y)) => V::Int(x + y),
                    (BinOp::Sub, V::Int(x), V::Int(y)) => V::Int(x - y),
                    (BinOp::Mul, V::Int(x), V::Int(y)) => V::Int(x * y),
                    (BinOp::FloorDiv | BinOp::Mod, V::Int(_), V::Int(0)) => {
                        return Err(exc(
                            "ZeroDivisionError",
                            "integer division or modulo by zero",
                        ))
                    }
                    (BinOp::FloorDiv, V::Int(x), V::Int(y)) => V::Int(x.div_euclid(*y)),
                    (BinOp::Mod, V::Int(x), V::Int(y)) => V::Int(x.rem_euclid(*y)),
                    (BinOp::Pow, V::Int(x), V::Int(y)) => V::Int(x.pow(*y as u32)),
                    (BinOp::Add, V::Str(x), V::Str(y)) => V::Str(format!("{x}{y}").into()),
                    (BinOp::Add, V::List(x), V::List(y)) => {
                        if matches!(instr, Instr::InplaceBinary(_)) {
                            let extra = y.borrow().clone();
                            x.borrow_mut().extend(extra);
                            a.clone()
                        } else {
                            let mut v = x.borrow().clone();
                            v.extend(y.borrow().iter().cloned());
                            V::List(Rc::new(RefCell::new(v)))
                        }
                    }
                    (BinOp::Add, V::Tuple(x), V::Tuple(y)) => {
                        V::Tuple(Rc::new(x.iter().chain(y.iter()).cloned().collect()))
                    }
                    _ => return Err(exc("TypeError", format!("unsupported operands {op:?}"))),
                };
                f.stack.push(r);
            }
            Instr::Unary(op) => {
                let a = f.pop();
                f.stack.push(match (op, &a) {
                    (UnaryOp::Not, _) => V::Bool(!truthy(&a)),
                    (UnaryOp::Neg, V::Int(i)) => V::Int(-i),
                    (UnaryOp::Pos, V::Int(i)) => V::Int(*i),
                    (UnaryOp::Invert, V::Int(i)) => V::Int(!i),
                    _ => return Err(exc("TypeError", "bad operand")),
                });
            }
            Instr::Compare(op) => {
                let b = f.pop();
                let a = f.pop();
                let r = match op {
                    CmpOp::Eq => eq(&a, &b),
                    CmpOp::Ne => !eq(&a, &b),
                    _ => {
                        let ord = match (&a, &b) {
                            (V::Int(x), V::Int(y)) => x.cmp(y),
                            (V::Str(x), V::Str(y)) => x.cmp(y),
                            _ => return Err(exc("TypeError", "'<' not supported")),
                        };
                        match op {
                            CmpOp::Lt => ord.is_lt(),
                            CmpOp::Le => ord.is_le(),
                            CmpOp::Gt => ord.is_gt(),
                            _ => ord.is_ge(),
                        }
                    }
                };
                f.stack.push(V::Bool(r));
            }
            Instr::IsOp(neg) => {
                let b = f.pop();
                let a = f.pop();
                f.stack.push(V::Bool(is(&a, &b) != neg));
            }
            Instr::ContainsOp(neg) => {
                let b = f.pop();
                let a = f.pop();
                let found = items(&b)?.iter().any(|x| eq(x, &a));
                f.stack.push(V::Bool(found != neg));
            }
            Instr::Jump(t) => f.pc = t as usize,
            Instr::PopJumpIfFalse(t) => {
                if !truthy(&f.pop()) {
                    f.pc = t as usize;
                }
            }
            Instr::PopJumpIfTrue(t) => {
                if truthy(&f.pop()) {
                    f.pc = t as usize;
                }
            }
            Instr::JumpIfFalseOrPop(t) => {
                if truthy(f.top()) {
                    f.pop();
                } else {
                    f.pc = t as usize;
                }
            }
            Instr::JumpIfTrueOrPop(t) => {
                if truthy(f.top()) {
                    f.pc = t as usize;
                } else {
                    f.pop();
                }
            }
            Instr::GetIter => {
                let v = f.pop();
                let it = match v {
                    V::Iter(_) => v,
                    other => V::Iter(Rc::new(RefCell::new((items(&other)?, 0)))),
                };
                f.stack.push(it);
            }
            Instr::ForIter(t) => {
                let next = match f.top() {
                    V::Iter(it) => {
                        let mut it = it.borrow_mut();
                        let v = it.0.get(it.1).cloned();
                        it.1 += 1;
                        v
                    }
                    _ => panic!("ForIter on a non-iterator"),
                };
                match next {
                    Some(v) => f.stack.push(v),
                    None => {
                        f.pop();
                        f.pc = t as usize;
                    }
                }
            }
            Instr::BuildTuple(n) => {
                let v = f.popn(n);
                f.stack.push(V::Tuple(Rc::new(v)));
            }
            Instr::BuildList(n) => {
                let v = f.popn(n);
                f.stack.push(V::List(Rc::new(RefCell::new(v))));
            }
            Instr::BuildMap(n) => {
                let v = f.popn(2 * n);
                let d = Rc::new(RefCell::new(Vec::new()));
                for pair in v.chunks(2) {
                    dict_set(&d, pair[0].clone(), pair[1].clone());
                }
                f.stack.push(V::Dict(d));
            }
            Instr::BuildString(n) => {
                let v = f.popn(n);
                f.stack
                    .push(V::Str(v.iter().map(to_str).collect::<String>().into()));
            }
            Instr::ListAppend(d) => {
                let v = f.pop();
                let n = f.stack.len();
                match &f.stack[n - d as usize] {
                    V::List(l) => l.borrow_mut().push(v),
                    _ => panic!("ListAppend target"),
                }
            }
            Instr::ListExtend(d) => {
                let v = f.pop();
                let n = f.stack.len();
                let extra = items(&v)?;
                match &f.stack[n - d as usize] {
                    V::List(l) => l.borrow_mut().extend(extra),
                    _ => panic!("ListExtend target"),
                }
            }
            Instr::MapAdd(d) => {
                let v = f.pop();
                let k = f.pop();
                let n = f.stack.len();
                match &f.stack[n - d as usize] {
                    V::Dict(m) => dict_set(m, k, v),
                    _ => panic!("MapAdd target"),
                }
            }
            Instr::DictUpdate(d) | Instr::DictMerge(d) => {
                let v = f.pop();
                let n = f.stack.len();
                let V::Dict(src) = v else {
                    return Err(exc("TypeError", "not a mapping"));
                };
                let src = src.borrow().clone();
                match &f.stack[n - d as usize] {
                    V::Dict(m) => {
                        for (k, v) in src {
                            if matches!(instr, Instr::DictMerge(_))
                                && m.borrow().iter().any(|(kk, _)| eq(kk, &k))
                            {
                                return Err(exc(
                                    "TypeError",
                                    format!(
                                        "got multiple values for keyword argument {}",
                                        repr(&k)
                                    ),
                                ));
                            }
                            dict_set(m, k, v);
                        }
                    }
                    _ => panic!("DictUpdate target"),
                }
            }
            Instr::ListToTuple => {
                let v = f.pop();
                f.stack.push(V::Tuple(Rc::new(items(&v)?)));
            }
            Instr::UnpackSequence(n) => {
                let v = items(&f.pop())?;
                if v.len() != n as usize {
                    return Err(exc("ValueError", format!("expected {n}, got {}", v.len())));
                }
                f.stack.extend(v.into_iter().rev());
            }
            Instr::UnpackEx { before, after } => {
                let v = items(&f.pop())?;
                let (b, a) = (before as usize, after as usize);
                if v.len() < b + a {
                    return Err(exc("ValueError", "not enough values to unpack"));
                }
                let mid = V::List(Rc::new(RefCell::new(v[b..v.len() - a].to_vec())));
                for x in v[v.len() - a..].iter().rev() {
                    f.stack.push(x.clone());
                }
                f.stack.push(mid);
                for x in v[..b].iter().rev() {
                    f.stack.push(x.clone());
                }
            }
            Instr::FormatValue(flags) => {
                if flags & crate::bytecode::FV_HAS_SPEC != 0 {
                    f.pop();
                }
                let v = f.pop();
                let s = if flags & 3 == crate::bytecode::FV_REPR {
                    repr(&v)
                } else {
                    to_str(&v)
                };
                f.stack.push(V::Str(s.into()));
            }
            Instr::MakeFunction(flags) => {
                let V::Code(c) = f.pop() else {
                    panic!("MakeFunction without code")
                };
                let closure = if flags & MF_CLOSURE != 0 {
                    match f.pop() {
                        V::Tuple(t) => t
                            .iter()
                            .map(|c| match c {
                                V::Cell(c) => c.clone(),
                                _ => panic!("closure of non-cells"),
                            })
                            .collect(),
                        _ => panic!("closure not a tuple"),
                    }
                } else {
                    Vec::new()
                };
                let kwdefaults = if flags & MF_KWDEFAULTS != 0 {
                    match f.pop() {
                        V::Dict(d) => d
                            .borrow()
                            .iter()
                            .map(|(k, v)| match k {
                                V::Str(s) => (s.clone(), v.clone()),
                                _ => panic!("kwdefault key"),
                            })
                            .collect(),
                        _ => panic!("kwdefaults not a dict"),
                    }
                } else {
                    Vec::new()
                };
                let defaults = if flags & MF_DEFAULTS != 0 {
                    match f.pop() {
                        V::Tuple(t) => (*t).clone(),
                        _ => panic!("defaults not a tuple"),
                    }
                } else {
                    Vec::new()
                };
                f.stack.push(V::Func(Rc::new(Func {
                    code: c,
                    defaults,
                    kwdefaults,
                    closure,
                })));
            }
            Instr::Call(n) => {
                let args = f.popn(n);
                let callee = f.pop();
                let r = self.call(callee, args, Vec::new())?;
                f.stack.push(r);
            }
            Instr::CallKw(n) => {
                let V::Tuple(names) = f.pop() else {
                    panic!("kwnames")
                };
                let mut args = f.popn(n);
                let kw_vals = args.split_off(args.len() - names.len());
                let kwargs = names
                    .iter()
                    .zip(kw_vals)
                    .map(|(k, v)| match k {
                        V::Str(s) => (s.clone(), v),
                        _ => panic!("kwname"),
                    })
                    .collect();
                let callee = f.pop();
                let r = self.call(callee, args, kwargs)?;
                f.stack.push(r);
            }
            Instr::CallEx(has_kw) => {
                let kwargs = if has_kw {
                    match f.pop() {
                        V::Dict(d) => d
                            .borrow()
                            .iter()
                            .map(|(k, v)| match k {
                                V::Str(s) => (s.clone(), v.clone()),
                                _ => panic!("kwarg key"),
                            })
                            .collect(),
                        _ => panic!("CallEx kwargs"),
                    }
                } else {
                    Vec::new()
                };
                let V::Tuple(args) = f.pop() else {
                    panic!("CallEx args must be a tuple")
                };
                let callee = f.pop();
                let r = self.call(callee, (*args).clone(), kwargs)?;
                f.stack.push(r);
            }
            Instr::CallMethod(n) => {
                let args = f.popn(n);
                let self_or_null = f.pop();
                let m = f.pop();
                let mut all = Vec::new();
                if !matches!(self_or_null, V::Null) {
                    all.push(self_or_null);
                }
                all.extend(args);
                let r = self.call(m, all, Vec::new())?;
                f.stack.push(r);
            }
            Instr::Return => return Ok(Some(f.pop())),
            Instr::SetupExcept(t) => f.blocks.push((t, f.stack.len())),
            Instr::PopBlock => {
                f.blocks.pop().expect("PopBlock with a block");
            }
            Instr::Raise(n) => {
                let e = match n {
                    0 => match &self.handled {
                        V::None => exc("RuntimeError", "No active exception to reraise"),
                        h => h.clone(),
                    },
                    _ => {
                        if n == 2 {
                            f.pop();
                        }
                        match f.pop() {
                            V::Class(c) => exc(&c, ""),
                            other => other,
                        }
                    }
                };
                return Err(e);
            }
            Instr::Reraise => return Err(f.pop()),
            Instr::PushExcInfo => {
                let e = f.pop();
                let prev = std::mem::replace(&mut self.handled, e.clone());
                f.stack.push(prev);
                f.stack.push(e);
            }
            Instr::PopExcept => self.handled = f.pop(),
            Instr::JumpIfNotExcMatch(t) => {
                let ty = f.pop();
                let V::Exc(e) = f.top() else {
                    panic!("JumpIfNotExcMatch on a non-exception")
                };
                let class = e.0.clone();
                let matches = |t: &V| matches!(t, V::Class(c) if subclass(&class, c));
                let m = match &ty {
                    V::Tuple(ts) => ts.iter().any(matches),
                    other => matches(other),
                };
                if !m {
                    f.pc = t as usize;
                }
            }
            Instr::SetupWith(t) => {
                let V::Cm(cm) = f.pop() else {
                    return Err(exc("TypeError", "not a context manager"));
                };
                self.out.push_str(&format!("enter {}\n", cm.0));
                f.stack.push(V::Cm(cm.clone()));
                f.blocks.push((t, f.stack.len()));
                f.stack.push(V::Str(cm.0.clone()));
            }
            Instr::WithExit => {
                let V::Cm(cm) = f.pop() else {
                    panic!("WithExit")
                };
                self.out.push_str(&format!("exit {}\n", cm.0));
            }
            Instr::WithExceptStart => {
                let n = f.stack.len();
                let V::Cm(cm) = f.stack[n - 3].clone() else {
                    panic!("WithExceptStart")
                };
                self.out.push_str(&format!(
                    "exit {} with {}\n",
                    cm.0,
                    describe(&f.stack[n - 1])
                ));
                f.stack.push(V::Bool(cm.1));
            }
            Instr::LoadHandled => f.stack.push(self.handled.clone()),
            other => panic!("testvm: unsupported instruction {other:?}"),
        }
        if f.pc >= code.code.len() {
            panic!("fell off the end of {}", code.qualname);
        }
        Ok(None)
    }
}

fn dict_set(d: &Rc<RefCell<Vec<(V, V)>>>, k: V, v: V) {
    let mut d = d.borrow_mut();
    match d.iter_mut().find(|(kk, _)| eq(kk, &k)) {
        Some(slot) => slot.1 = v,
        None => d.push((k, v)),
    }
}

struct Frame {
    ns: Option<Ns>,
    code: Rc<Code>,
    locals: Vec<Option<V>>,
    cells: Vec<Cell>,
    stack: Vec<V>,
    blocks: Vec<(u32, usize)>,
    pc: usize,
}

impl Frame {
    fn pop(&mut self) -> V {
        self.stack.pop().expect("stack underflow")
    }

    fn top(&self) -> &V {
        self.stack.last().expect("empty stack")
    }

    fn popn(&mut self, n: u32) -> Vec<V> {
        let at = self.stack.len() - n as usize;
        self.stack.split_off(at)
    }
}
