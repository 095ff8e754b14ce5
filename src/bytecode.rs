//! The bytecode: the contract between the compiler (`compile/`) and the VM (`vm/`).
//!
//! A [`Code`] is one compiled scope (module, class body, function, lambda,
//! comprehension). Code objects live on the Rust side (`Rc<Code>`), never in the GC heap:
//! they hold no references to heap objects, only [`Const`] descriptions that the VM turns
//! into heap objects once per code object.
//!
//! The machine is a stack machine. A frame's slots on the GC shadow stack are, in order:
//! the fast locals (`varnames`), the cells (`cellvars` then `freevars`), then the value
//! stack (at most `max_stack` deep). Every instruction documents its stack effect as
//! `[before] -> [after]`, top of stack on the right. "NULL" is an empty slot.
//!
//! Exception handling uses a block stack, as CPython 3.10 did: `SetupExcept(target)`
//! pushes a handler remembering the current stack depth; `PopBlock` removes it. When an
//! exception is raised inside, the VM pops the block, truncates the value stack to the
//! saved depth, pushes the exception object and jumps to `target`. `finally` bodies and
//! `with` exits on the normal and the `return`/`break`/`continue` paths are emitted
//! inline by the compiler.

use num_bigint::BigInt;
use std::rc::Rc;

/// A binary operator (`a OP b`, and the augmented `a OP= b`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    MatMul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    And,
    Or,
    Xor,
}

/// A unary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-a`
    Neg,
    /// `+a`
    Pos,
    /// `~a`
    Invert,
    /// `not a` (always a bool)
    Not,
}

/// A rich comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

/// `MakeFunction` flag: a tuple of positional defaults is on the stack.
pub const MF_DEFAULTS: u8 = 0x01;
/// `MakeFunction` flag: a dict of keyword-only defaults is on the stack.
pub const MF_KWDEFAULTS: u8 = 0x02;
/// `MakeFunction` flag: a tuple of cells (the closure) is on the stack.
pub const MF_CLOSURE: u8 = 0x08;

/// `FormatValue` conversion: none.
pub const FV_NONE: u8 = 0;
/// `FormatValue` conversion: `!s`.
pub const FV_STR: u8 = 1;
/// `FormatValue` conversion: `!r`.
pub const FV_REPR: u8 = 2;
/// `FormatValue` conversion: `!a`.
pub const FV_ASCII: u8 = 3;
/// `FormatValue` flag (bit 2): a format spec (a str) is on top of the value.
pub const FV_HAS_SPEC: u8 = 4;

/// One instruction. Operands index the code's tables: `consts`, `names`, `varnames`, or
/// the cell table (`cellvars` followed by `freevars`); jump targets are instruction
/// indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instr {
    Nop,
    // ---- stack shuffling ----
    /// `[a] -> []`
    Pop,
    /// `[a] -> [a, a]`
    Dup,
    /// `[a, b] -> [a, b, a, b]`
    DupTwo,
    /// `[a, b] -> [b, a]`
    Rot2,
    /// `[a, b, c] -> [c, a, b]` (the top moves down two)
    Rot3,
    /// `[a, b, c, d] -> [d, a, b, c]` (the top moves down three)
    Rot4,

    // ---- names ----
    /// `[] -> [consts[i]]`
    LoadConst(u32),
    /// `[] -> [local i]`; unbound: `UnboundLocalError: cannot access local variable 'x'
    /// where it is not associated with a value`.
    LoadFast(u32),
    /// `[v] -> []`
    StoreFast(u32),
    /// `[] -> []`, unbinding (error if unbound).
    DeleteFast(u32),
    /// `[] -> [contents of cell i]` (cell table: cellvars then freevars); empty cell:
    /// `NameError: cannot access free variable 'x' where it is not associated with a
    /// value in enclosing scope` (or UnboundLocalError for a cellvar).
    LoadDeref(u32),
    /// `[v] -> []`, into cell i.
    StoreDeref(u32),
    /// `[] -> []`, empties cell i.
    DeleteDeref(u32),
    /// `[] -> [cell i itself]` (to build a closure tuple).
    LoadClosure(u32),
    /// Class bodies only: `[] -> [v]`, `names[i]` from the class namespace, else from
    /// cell `cell` (a free variable of the class body).
    LoadClassDeref {
        name: u32,
        cell: u32,
    },
    /// `[] -> [v]`: `names[i]` from globals, then builtins; else `NameError: name 'x'
    /// is not defined`.
    LoadGlobal(u32),
    /// `[v] -> []`
    StoreGlobal(u32),
    /// `[] -> []`
    DeleteGlobal(u32),
    /// `[] -> [v]`: `names[i]` from the builtins module only (used for `AssertionError`,
    /// so that a shadowing global does not change `assert`).
    LoadBuiltin(u32),
    /// Module and class bodies: `[] -> [v]`, from the namespace, then globals, then
    /// builtins.
    LoadName(u32),
    /// `[v] -> []`, into the namespace.
    StoreName(u32),
    /// `[] -> []`
    DeleteName(u32),

    // ---- attributes and items ----
    /// `[obj] -> [obj.names[i]]`
    LoadAttr(u32),
    /// `[v, obj] -> []`: `obj.names[i] = v`
    StoreAttr(u32),
    /// `[obj] -> []`
    DeleteAttr(u32),
    /// `[obj] -> [method, obj]` when `names[i]` resolves to a plain function in the type
    /// (no bound method is created), else `[attr, NULL]`. Paired with `CallMethod`.
    LoadMethod(u32),
    /// `[container, key] -> [container[key]]`
    BinarySubscr,
    /// `[v, container, key] -> []`: `container[key] = v`
    StoreSubscr,
    /// `[container, key] -> []`
    DeleteSubscr,
    /// `[start, stop] -> [slice]` (n = 2) or `[start, stop, step] -> [slice]` (n = 3).
    BuildSlice(u32),

    // ---- operators ----
    /// `[a, b] -> [a OP b]`
    Binary(BinOp),
    /// `[a, b] -> [a OP= b]` (tries `__iadd__` etc. first)
    InplaceBinary(BinOp),
    /// `[a] -> [OP a]`
    Unary(UnaryOp),
    /// `[a, b] -> [a CMP b]`
    Compare(CmpOp),
    /// `[a, b] -> [a is b]`, or `is not` when the operand is true.
    IsOp(bool),
    /// `[a, b] -> [a in b]`, or `not in` when the operand is true.
    ContainsOp(bool),

    // ---- control flow ----
    /// Unconditional jump.
    Jump(u32),
    /// `[v] -> []`, jumps if `v` is false.
    PopJumpIfFalse(u32),
    /// `[v] -> []`, jumps if `v` is true.
    PopJumpIfTrue(u32),
    /// `[v] -> [v]` and jumps if `v` is false, else `[v] -> []`.
    JumpIfFalseOrPop(u32),
    /// `[v] -> [v]` and jumps if `v` is true, else `[v] -> []`.
    JumpIfTrueOrPop(u32),
    /// `[obj] -> [iter(obj)]`
    GetIter,
    /// `[it] -> [it, next(it)]`, or, exhausted, `[it] -> []` and jumps.
    ForIter(u32),

    // ---- building ----
    /// `[a1..an] -> [(a1, .., an)]`
    BuildTuple(u32),
    /// `[a1..an] -> [[a1, .., an]]`
    BuildList(u32),
    /// `[a1..an] -> [{a1, .., an}]`
    BuildSet(u32),
    /// `[k1, v1, .., kn, vn] -> [{k1: v1, ..}]`
    BuildMap(u32),
    /// `[s1..sn] -> [s1 + .. + sn]` (all str; f-strings)
    BuildString(u32),
    /// `[.. list (at depth i, counting the top as 1 after popping v) .., v] -> [.. list ..]`:
    /// appends `v` to the list `i` slots below the top once `v` is popped (comprehensions
    /// use 1 plus the number of pending iterators).
    ListAppend(u32),
    /// As `ListAppend`, for a set.
    SetAdd(u32),
    /// `[.. dict .., k, v] -> [.. dict ..]`, `dict[k] = v`, the dict `i` slots below once
    /// both are popped.
    MapAdd(u32),
    /// `[.. list .., iterable] -> [.. list ..]`, `list.extend(iterable)`, list at depth i.
    ListExtend(u32),
    /// `[.. set .., iterable] -> [.. set ..]`
    SetUpdate(u32),
    /// `[.. dict .., mapping] -> [.. dict ..]`, `dict.update(mapping)` (displays `{**m}`).
    DictUpdate(u32),
    /// As `DictUpdate`, but a repeated key is `TypeError: f() got multiple values for
    /// keyword argument 'k'` (call sites `f(**a, **b)`; the callable is below the dict,
    /// under the argument tuple: `[callable, args_tuple, dict, mapping]`, operand 1).
    DictMerge(u32),
    /// `[list] -> [tuple(list)]`
    ListToTuple,
    /// `[seq] -> [vn .. v1]` (so that stores pop v1 first): exactly n items, else
    /// `ValueError: not enough values to unpack (expected n, got m)` / `too many values
    /// to unpack (expected n)`.
    UnpackSequence(u32),
    /// Starred unpacking `a, *b, c = seq`: `[seq] -> [c.., list b, ..a]` with `before`
    /// items before the star and `after` after it; the first target ends on top.
    UnpackEx {
        before: u16,
        after: u16,
    },
    /// f-string field: `[value] -> [str]` or, with `FV_HAS_SPEC`, `[value, spec] ->
    /// [str]`; the low two bits are the conversion (`FV_*`).
    FormatValue(u8),

    // ---- functions and calls ----
    /// `[defaults?, kwdefaults?, closure?, code] -> [function]`: the code is a
    /// `Const::Code` pushed by `LoadConst`; the optional parts are present as the flags
    /// (`MF_*`) say, in that order. The function's globals are the current frame's.
    MakeFunction(u8),
    /// `[callable, a1..an] -> [result]`
    Call(u32),
    /// `[callable, a1..an, kwnames] -> [result]`: `kwnames` is a tuple of str (a
    /// constant); the last `len(kwnames)` of the n arguments are keyword arguments.
    CallKw(u32),
    /// `[callable, args_tuple] -> [result]` (flag false) or `[callable, args_tuple,
    /// kwargs_dict] -> [result]` (flag true).
    CallEx(bool),
    /// `[method, self_or_NULL, a1..an] -> [result]` (after `LoadMethod`).
    CallMethod(u32),
    /// `[v] -> (frame ends)`: returns `v`.
    Return,
    /// `[body_function, name, base1..basen] -> [class]`: creates a namespace dict, runs
    /// the body function with it as its local namespace, then builds the class. If the
    /// body returns a cell (the `__class__` cell, for zero-argument `super()`), the cell
    /// is set to the new class.
    BuildClass(u32),

    // ---- exceptions ----
    /// Pushes an exception handler block: on an exception before the matching
    /// `PopBlock`, the stack is cut back to its depth now, the exception pushed, and
    /// control goes to `target`.
    SetupExcept(u32),
    /// Removes the innermost handler block.
    PopBlock,
    /// `Raise(0)`: `[] -> ` re-raises the exception being handled (`RuntimeError: No
    /// active exception to reraise` if none). `Raise(1)`: `[exc] ->` raises `exc` (a
    /// class is instantiated). `Raise(2)`: `[exc, cause] ->`, `raise exc from cause`.
    Raise(u32),
    /// `[exc] -> ` raises `exc` again, keeping its traceback (end of a `finally` run on
    /// the exception path, or an except clause that matched nothing).
    Reraise,
    /// At the start of a handler: `[exc] -> [previous_handled_or_None, exc]`, and `exc`
    /// becomes the exception being handled (for bare `raise` and `__context__`).
    PushExcInfo,
    /// `[previous] -> []`: the exception being handled becomes `previous` again.
    PopExcept,
    /// `[exc, type] -> [exc]`, jumps to the target unless `exc` matches `type` (a class
    /// or a tuple of classes; `TypeError` if neither).
    JumpIfNotExcMatch(u32),
    /// `[mgr] -> [exit, enter_result]`: looks up `__exit__` (bound) and calls
    /// `__enter__`, then pushes a handler block to `target` whose depth includes `exit`
    /// (so the handler sees `[exit, exc]`).
    SetupWith(u32),
    /// Normal exit of a `with` body (after `PopBlock`): `[exit] -> []`, calling
    /// `exit(None, None, None)`.
    WithExit,
    /// In the handler of a `with`: `[exit, prev, exc] -> [exit, prev, exc, result]`
    /// calling `exit(type(exc), exc, exc.__traceback__)` (after `PushExcInfo`).
    WithExceptStart,
    /// `[] -> [AssertionError]` shortcut is `LoadBuiltin`; this loads the exception
    /// being handled: `[] -> [exc or None]`.
    LoadHandled,

    // ---- generators ----
    /// `[v] -> [sent]`: suspends the generator yielding `v`; resumes with the sent value
    /// (None for `next`).
    YieldValue,
    /// `[iterable] -> [iterator]` for `yield from` (a generator stays itself).
    GetYieldFromIter,
    /// `[subiter, sent] -> [subiter, sent']` while the sub-iterator yields (the frame
    /// yields its value and this instruction runs again on resume), then `[subiter,
    /// sent] -> [result]` when it finishes (`StopIteration.value`).
    YieldFrom,

    // ---- imports ----
    /// `[level, fromlist] -> [module]`: imports `names[i]` (dotted). With `fromlist`
    /// None, pushes the top-level package; otherwise the named module itself.
    ImportName(u32),
    /// `[module] -> [module, module.names[i]]`, importing the submodule if it is not an
    /// attribute yet; `ImportError: cannot import name 'x' from 'm'` otherwise.
    ImportFrom(u32),
    /// `[module] -> []`: copies the module's public names into the namespace.
    ImportStar,
}

/// A constant, described without the heap.
#[derive(Clone, Debug)]
pub enum Const {
    None,
    True,
    False,
    Ellipsis,
    Int(i64),
    BigInt(Rc<BigInt>),
    Float(f64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    /// A tuple of constants (keyword-name tuples, constant folding).
    Tuple(Rc<[Const]>),
    Code(Rc<Code>),
}

/// What kind of scope a code object is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    Module,
    Class,
    Function,
    Lambda,
    /// A list, set or dict comprehension or generator expression body.
    Comprehension,
}

/// One compiled scope.
#[derive(Clone, Debug)]
pub struct Code {
    pub kind: CodeKind,
    /// `f`, `<lambda>`, `<listcomp>`, `<module>`, the class name.
    pub name: Rc<str>,
    /// `C.method.<locals>.inner`
    pub qualname: Rc<str>,
    pub filename: Rc<str>,
    /// Line of the `def`/`class`/`lambda` (1 for a module).
    pub first_line: u32,
    /// Positional parameters (including positional-only ones).
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    /// `*args` present: its name is `varnames[argcount + kwonlyargcount]`.
    pub varargs: bool,
    /// `**kwargs` present: its name follows the `*args` one (or takes its place).
    pub varkw: bool,
    /// The body contains `yield`: calling returns a generator.
    pub generator: bool,
    /// Fast locals; parameters first, in order: positional, keyword-only, `*args`,
    /// `**kwargs`.
    pub varnames: Vec<Rc<str>>,
    /// Variables of this scope captured by inner scopes. A parameter that is also a
    /// cellvar is copied into its cell when the frame starts (`cell_params`).
    pub cellvars: Vec<Rc<str>>,
    /// `(cell index, varnames index)` for parameters living in cells.
    pub cell_params: Vec<(u32, u32)>,
    /// Variables of enclosing scopes used here (the closure, in order).
    pub freevars: Vec<Rc<str>>,
    /// Global, builtin, attribute and imported names.
    pub names: Vec<Rc<str>>,
    pub consts: Vec<Const>,
    pub code: Vec<Instr>,
    /// Source line of each instruction.
    pub lines: Vec<u32>,
    /// Deepest the value stack gets (the handler's pushed exception included).
    pub max_stack: u32,
    /// The docstring, if the body starts with one.
    pub doc: Option<Rc<str>>,
}

impl Code {
    /// Number of cell slots (cellvars then freevars).
    pub fn n_cells(&self) -> usize {
        self.cellvars.len() + self.freevars.len()
    }

    /// Name of cell slot `i`.
    pub fn cell_name(&self, i: usize) -> &str {
        if i < self.cellvars.len() {
            &self.cellvars[i]
        } else {
            &self.freevars[i - self.cellvars.len()]
        }
    }

    /// Source line of instruction `pc`.
    pub fn line_at(&self, pc: usize) -> u32 {
        self.lines.get(pc).copied().unwrap_or(self.first_line)
    }
}

/// A compile-time error: a `SyntaxError` (or `IndentationError`) with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// `SyntaxError` or `IndentationError`.
    pub kind: &'static str,
    pub msg: String,
    pub filename: String,
    /// 1-based line and column.
    pub line: u32,
    pub col: u32,
    /// The source line's text, when known.
    pub text: Option<String>,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "File \"{}\", line {}\n{}: {}",
            self.filename, self.line, self.kind, self.msg
        )
    }
}
