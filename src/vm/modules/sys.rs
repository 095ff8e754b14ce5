//! The `sys` module: `argv`, `path`, `modules`, `exit`, `maxsize`, `version` and
//! `version_info`, `platform`, `byteorder`, `executable`, the standard streams
//! (`stdout`/`stderr`/`stdin` and their `__x__` originals), recursion limit, `getsizeof`,
//! `intern`, `exc_info`/`exception`, `float_info`, `int_info`, `implementation`.
//!
//! `sys.stdout.write` goes through the VM's buffered output (the buffer `print` uses),
//! so the two interleave correctly; a write to `sys.stderr` first flushes that buffer.

use super::{check_kws, new_class, new_object, own_attr, struct_seq_new, struct_seq_type};
use crate::vm::types::{check_args, no_kw};
use crate::vm::{Args, PyResult, RootSlot, Vm};
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// The version string (`sys.version`).
pub const VERSION: &str = "3.11.0 (thicket, Rust Python-subset interpreter)";

const VERSION_FIELDS: &[&str] = &["major", "minor", "micro", "releaselevel", "serial"];
const FLOAT_INFO_FIELDS: &[&str] = &[
    "max",
    "max_exp",
    "max_10_exp",
    "min",
    "min_exp",
    "min_10_exp",
    "dig",
    "mant_dig",
    "epsilon",
    "radix",
    "rounds",
];
const INT_INFO_FIELDS: &[&str] = &[
    "bits_per_digit",
    "sizeof_digit",
    "default_max_str_digits",
    "str_digits_check_threshold",
];

/// Creates `sys` and registers it.
pub fn install(vm: &mut Vm) {
    let m = vm.new_module("sys");
    vm.root_set(RootSlot::Sys, Some(m));
    let d = vm.module_dict(m);
    let mods = vm.modules();
    vm.sp.dict_set_name(d, "modules", mods);
    let path = vm.sp.new_list(&[]);
    vm.root_set(RootSlot::Path, Some(path));
    vm.sp.dict_set_name(d, "path", path);
    let argv = vm.sp.new_list(&[]);
    vm.root_set(RootSlot::Argv, Some(argv));
    vm.sp.dict_set_name(d, "argv", argv);

    let mx = vm.sp.new_int(i64::MAX);
    vm.sp.dict_set_name(d, "maxsize", mx);
    let mu = vm.sp.new_int(0x10ffff);
    vm.sp.dict_set_name(d, "maxunicode", mu);
    let s = vm.sp.new_str(VERSION);
    vm.sp.dict_set_name(d, "version", s);
    let hv = vm.sp.new_int(0x030b_00f0);
    vm.sp.dict_set_name(d, "hexversion", hv);
    let api = vm.sp.new_int(1013);
    vm.sp.dict_set_name(d, "api_version", api);
    let s = vm.sp.new_str(std::env::consts::OS);
    vm.sp.dict_set_name(d, "platform", s);
    let bo = if cfg!(target_endian = "little") {
        "little"
    } else {
        "big"
    };
    let s = vm.sp.new_str(bo);
    vm.sp.dict_set_name(d, "byteorder", s);
    let exe = std::env::current_exe()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let s = vm.sp.new_str(&exe);
    vm.sp.dict_set_name(d, "executable", s);
    let s = vm.sp.new_str("");
    vm.sp.dict_set_name(d, "prefix", s);
    vm.sp.dict_set_name(d, "exec_prefix", s);
    let t = vm.sp.true_;
    vm.sp.dict_set_name(d, "dont_write_bytecode", t);

    // version_info
    let vi_ty = struct_seq_type(vm, "sys", "version_info", VERSION_FIELDS, 5);
    let vals = [
        vm.sp.new_int(3),
        vm.sp.new_int(11),
        vm.sp.new_int(0),
        vm.sp.intern("final"),
        vm.sp.new_int(0),
    ];
    let vi = struct_seq_new(vm, vi_ty, VERSION_FIELDS, &vals);
    vm.sp.dict_set_name(d, "version_info", vi);

    // implementation
    let ns_ty = new_class(vm, "types", "SimpleNamespace", &[]);
    super::set_repr(vm, ns_ty, "types", namespace_repr);
    let name = vm.sp.intern("thicket");
    let tag = vm.sp.none;
    let hv = vm.sp.new_int(0x030b_00f0);
    let imp = new_object(
        vm,
        ns_ty,
        &[
            ("name", name),
            ("cache_tag", tag),
            ("version", vi),
            ("hexversion", hv),
        ],
    );
    vm.sp.dict_set_name(d, "implementation", imp);

    // float_info
    let fi_ty = struct_seq_type(vm, "sys", "float_info", FLOAT_INFO_FIELDS, 11);
    let vals = [
        vm.sp.new_float(f64::MAX),
        vm.sp.new_int(f64::MAX_EXP as i64),
        vm.sp.new_int(f64::MAX_10_EXP as i64),
        vm.sp.new_float(f64::MIN_POSITIVE),
        vm.sp.new_int(f64::MIN_EXP as i64),
        vm.sp.new_int(f64::MIN_10_EXP as i64),
        vm.sp.new_int(f64::DIGITS as i64),
        vm.sp.new_int(f64::MANTISSA_DIGITS as i64),
        vm.sp.new_float(f64::EPSILON),
        vm.sp.new_int(f64::RADIX as i64),
        vm.sp.new_int(1),
    ];
    let fi = struct_seq_new(vm, fi_ty, FLOAT_INFO_FIELDS, &vals);
    vm.sp.dict_set_name(d, "float_info", fi);

    // int_info
    let ii_ty = struct_seq_type(vm, "sys", "int_info", INT_INFO_FIELDS, 4);
    let vals = [
        vm.sp.new_int(30),
        vm.sp.new_int(4),
        vm.sp.new_int(4300),
        vm.sp.new_int(640),
    ];
    let ii = struct_seq_new(vm, ii_ty, INT_INFO_FIELDS, &vals);
    vm.sp.dict_set_name(d, "int_info", ii);

    // Standard streams.
    let io_ty = new_class(vm, "_io", "TextIOWrapper", &[]);
    vm.add_method(io_ty, "write", stream_write);
    vm.add_method(io_ty, "writelines", stream_writelines);
    vm.add_method(io_ty, "flush", stream_flush);
    vm.add_method(io_ty, "fileno", stream_fileno);
    vm.add_method(io_ty, "isatty", stream_isatty);
    vm.add_method(io_ty, "readable", stream_readable);
    vm.add_method(io_ty, "writable", stream_writable);
    vm.add_method(io_ty, "readline", stream_readline);
    vm.add_method(io_ty, "readlines", stream_readlines);
    vm.add_method(io_ty, "read", stream_read);
    vm.add_method(io_ty, "__iter__", stream_iter);
    vm.add_method(io_ty, "__next__", stream_next);
    super::set_repr(vm, io_ty, "_io", stream_repr);
    for (fd, name, mode, attr) in [
        (0, "<stdin>", "r", "stdin"),
        (1, "<stdout>", "w", "stdout"),
        (2, "<stderr>", "w", "stderr"),
    ] {
        let fdv = vm.sp.new_int(fd);
        let n = vm.sp.new_str(name);
        let m = vm.sp.intern(mode);
        let enc = vm.sp.intern("utf-8");
        let errs = vm.sp.intern(if fd == 2 {
            "backslashreplace"
        } else {
            "strict"
        });
        let s = new_object(
            vm,
            io_ty,
            &[
                ("_fd", fdv),
                ("name", n),
                ("mode", m),
                ("encoding", enc),
                ("errors", errs),
            ],
        );
        let d = vm.module_dict(vm.root_get(RootSlot::Sys).expect("sys"));
        vm.sp.dict_set_name(d, attr, s);
        let orig: &'static str = match fd {
            0 => "__stdin__",
            1 => "__stdout__",
            _ => "__stderr__",
        };
        vm.sp.dict_set_name(d, orig, s);
    }

    let d = vm.module_dict(vm.root_get(RootSlot::Sys).expect("sys"));
    vm.add_native(d, "exit", exit);
    vm.add_native(d, "getrecursionlimit", getrecursionlimit);
    vm.add_native(d, "setrecursionlimit", setrecursionlimit);
    vm.add_native(d, "getsizeof", getsizeof);
    vm.add_native(d, "intern", intern);
    vm.add_native(d, "exc_info", exc_info);
    vm.add_native(d, "exception", exception);
    vm.add_native(d, "getdefaultencoding", getdefaultencoding);
    vm.add_native(d, "getfilesystemencoding", getdefaultencoding);
}

fn exit(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "exit")?;
    check_args(vm, a, "exit", 0, 1)?;
    let t = vm.sp.t.system_exit;
    let args: Vec<_> = (0..a.len()).map(|i| a.get(i)).collect();
    let e = vm.new_exception(t, &args);
    let code = vm.sp.intern("code");
    let c = a.opt(0).unwrap_or(vm.sp.none);
    vm.set_exc_attr(e, code, c);
    Err(vm.raise(e))
}

fn getrecursionlimit(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "getrecursionlimit", 0, 0)?;
    Ok(vm.sp.new_int(vm.recursion_limit as i64))
}

fn setrecursionlimit(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "setrecursionlimit")?;
    check_args(vm, a, "setrecursionlimit", 1, 1)?;
    let v = a.get(0);
    let u = vm.unwrap_builtin(v);
    if u.layout() == l::FLOAT {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = match vm.to_index_int(v)? {
        b if b < 1.into() => {
            return Err(vm.value_error("recursion limit must be greater or equal than 1"))
        }
        b => num_traits::ToPrimitive::to_i64(&b).unwrap_or(i64::MAX),
    };
    let n = n.min(i32::MAX as i64) as usize;
    if n <= vm.depth {
        let t = vm.sp.t.recursion_error;
        return Err(vm.err(
            t,
            format!(
                "cannot set the recursion limit to {n} at the recursion depth {}: the limit is too low",
                vm.depth
            ),
        ));
    }
    vm.recursion_limit = n;
    Ok(vm.sp.none)
}

/// An approximation of CPython's sizes (64-bit build), by built-in layout.
fn getsizeof(vm: &mut Vm, a: &Args) -> PyResult {
    check_kws(vm, a, "getsizeof", &["default"])?;
    check_args(vm, a, "getsizeof", 1, 2)?;
    let v = a.get(0);
    let u = vm.unwrap_builtin(v);
    let inst_extra = if v.layout() == l::INSTANCE && !u.is(v) {
        16
    } else {
        0
    };
    let size: usize = match u.layout() {
        l::INT => {
            let i = vm.sp.small_int(u).unwrap_or(0);
            if i == 0 && !u.ty().is(vm.sp.t.bool_) {
                24
            } else {
                let bits = 64 - i.unsigned_abs().leading_zeros() as usize;
                24 + 4 * bits.div_ceil(30).max(1)
            }
        }
        l::BIGINT => {
            let bits = vm.sp.to_bigint(u).bits() as usize;
            24 + 4 * bits.div_ceil(30).max(1)
        }
        l::FLOAT => 24,
        l::STR => {
            let s = vm.sp.str_of(u);
            let n = vm.sp.str_nchars(u);
            let maxc = s.chars().map(|c| c as u32).max().unwrap_or(0);
            if maxc < 128 {
                41 + n
            } else if maxc < 256 {
                65 + n
            } else if maxc < 65536 {
                66 + 2 * n
            } else {
                68 + 4 * n
            }
        }
        l::BYTES => 33 + vm.sp.bytes_of(u).len(),
        l::TUPLE => 40 + 8 * vm.sp.tuple_len(u),
        l::LIST => {
            let cap = vm.sp.list_capacity(u);
            56 + 8 * cap
        }
        l::DICT => {
            // SAFETY: DICT layout.
            let n = unsafe { u.get::<i64>(l::DICT_NENTRIES) } as usize;
            if n == 0 {
                64
            } else {
                let mut cap = 8usize;
                while cap * 2 < n * 3 {
                    cap *= 2;
                }
                64 + cap + 16 * cap
            }
        }
        l::SET => 216,
        l::MODULE => 72,
        l::FUNCTION => 152,
        l::TYPE => 1072,
        l::INSTANCE => 48,
        _ => 48,
    };
    Ok(vm.sp.new_int((size + inst_extra) as i64))
}

fn intern(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "intern")?;
    check_args(vm, a, "intern", 1, 1)?;
    let v = a.get(0);
    if v.layout() != l::STR || !v.ty().is(vm.sp.t.str_) {
        return Err(vm.type_error(format!(
            "intern() argument must be str, not {}",
            vm.type_name(v)
        )));
    }
    Ok(vm.sp.intern_value(v))
}

/// The exception being handled, if any.
fn handled(vm: &Vm) -> Option<Value> {
    vm.root_get(RootSlot::Handled).filter(|e| !e.is(vm.sp.none))
}

fn exc_info(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "exc_info", 0, 0)?;
    let none = vm.sp.none;
    Ok(match handled(vm) {
        Some(e) => {
            let tb = vm.exc_attr(e, vm.n.traceback).unwrap_or(none);
            vm.sp.new_tuple(&[e.ty(), e, tb])
        }
        None => vm.sp.new_tuple(&[none, none, none]),
    })
}

fn exception(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "exception", 0, 0)?;
    Ok(handled(vm).unwrap_or(vm.sp.none))
}

fn getdefaultencoding(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "getdefaultencoding", 0, 0)?;
    Ok(vm.sp.intern("utf-8"))
}

fn namespace_repr(vm: &mut Vm, a: &Args) -> PyResult {
    let o = a.get(0);
    let r = vm.push_root(o);
    let attrs: Vec<String> = vm
        .sp
        .inst_attrs(o)
        .into_iter()
        .map(|(sym, _)| vm.str_owned(vm.sp.symbols[sym as usize]))
        .collect();
    let mut out = String::from("namespace(");
    for (i, k) in attrs.iter().enumerate() {
        let o = vm.root(r);
        let v = own_attr(vm, o, k).unwrap_or(vm.sp.none);
        let s = vm.repr_string(v)?;
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(k);
        out.push('=');
        out.push_str(&s);
    }
    out.push(')');
    Ok(vm.sp.new_str(&out))
}

// ---------------------------------------------------------------------- streams

/// The file descriptor of a stream object (`_fd`).
fn stream_fd(vm: &mut Vm, s: Value) -> i64 {
    own_attr(vm, s, "_fd")
        .and_then(|v| vm.sp.small_int(v))
        .unwrap_or(1)
}

fn stream_write(vm: &mut Vm, a: &Args) -> PyResult {
    no_kw(vm, a, "write")?;
    check_args(vm, a, "write", 2, 2)?;
    let s = a.get(1);
    let su = vm.unwrap_builtin(s);
    if su.layout() != l::STR {
        return Err(vm.type_error(format!(
            "write() argument must be str, not {}",
            vm.type_name(s)
        )));
    }
    let n = vm.sp.str_nchars(su);
    let text = vm.str_owned(su);
    match stream_fd(vm, a.get(0)) {
        1 => vm.write_out(&text),
        2 => {
            use std::io::Write;
            vm.flush_out();
            let mut e = std::io::stderr().lock();
            let _ = e.write_all(text.as_bytes());
            let _ = e.flush();
        }
        _ => return Err(unsupported(vm, "not writable")),
    }
    Ok(vm.sp.new_int(n as i64))
}

fn unsupported(vm: &mut Vm, msg: &str) -> crate::vm::Raised {
    // io.UnsupportedOperation derives from OSError and ValueError.
    let t = vm.sp.t.os_error;
    vm.err(t, msg)
}

fn stream_writelines(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "writelines", 2, 2)?;
    let mark = vm.mark();
    let sr = vm.push_root(a.get(0));
    let it = vm.get_iter(a.get(1))?;
    let itr = vm.push_root(it);
    loop {
        let it = vm.root(itr);
        let Some(line) = vm.iter_next(it)? else { break };
        let s = vm.root(sr);
        let w = vm.getattr_str(s, "write")?;
        vm.call(w, &[line])?;
    }
    vm.reset_roots(mark);
    Ok(vm.sp.none)
}

fn stream_flush(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "flush", 1, 1)?;
    if stream_fd(vm, a.get(0)) == 1 {
        vm.flush_out();
    }
    Ok(vm.sp.none)
}

fn stream_fileno(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "fileno", 1, 1)?;
    let fd = stream_fd(vm, a.get(0));
    Ok(vm.sp.new_int(fd))
}

fn stream_isatty(vm: &mut Vm, a: &Args) -> PyResult {
    use std::io::IsTerminal;
    check_args(vm, a, "isatty", 1, 1)?;
    let b = match stream_fd(vm, a.get(0)) {
        0 => std::io::stdin().is_terminal(),
        1 => std::io::stdout().is_terminal(),
        _ => std::io::stderr().is_terminal(),
    };
    Ok(vm.sp.new_bool(b))
}

fn stream_readable(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "readable", 1, 1)?;
    let b = stream_fd(vm, a.get(0)) == 0;
    Ok(vm.sp.new_bool(b))
}

fn stream_writable(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "writable", 1, 1)?;
    let b = stream_fd(vm, a.get(0)) != 0;
    Ok(vm.sp.new_bool(b))
}

/// Reads one line from standard input (with its newline; empty at end of file).
fn read_line(vm: &mut Vm, s: Value) -> PyResult<String> {
    use std::io::BufRead;
    if stream_fd(vm, s) != 0 {
        return Err(unsupported(vm, "not readable"));
    }
    vm.flush_out();
    let mut line = String::new();
    if let Err(e) = std::io::stdin().lock().read_line(&mut line) {
        let t = vm.sp.t.os_error;
        return Err(vm.err(t, e.to_string()));
    }
    Ok(line)
}

fn stream_readline(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "readline", 1, 2)?;
    let line = read_line(vm, a.get(0))?;
    Ok(vm.sp.new_str(&line))
}

fn stream_readlines(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "readlines", 1, 2)?;
    let l = vm.sp.new_list(&[]);
    let r = vm.push_root(l);
    loop {
        let line = read_line(vm, a.get(0))?;
        if line.is_empty() {
            break;
        }
        let s = vm.sp.new_str(&line);
        let l = vm.root(r);
        vm.sp.list_append(l, s);
    }
    Ok(vm.root(r))
}

fn stream_read(vm: &mut Vm, a: &Args) -> PyResult {
    use std::io::Read;
    check_args(vm, a, "read", 1, 2)?;
    let limit = match a.opt(1) {
        Some(v) if !v.is(vm.sp.none) => vm.index_value(v)?,
        _ => -1,
    };
    if stream_fd(vm, a.get(0)) != 0 {
        return Err(unsupported(vm, "not readable"));
    }
    vm.flush_out();
    let mut text = String::new();
    let res = if limit < 0 {
        std::io::stdin()
            .lock()
            .read_to_string(&mut text)
            .map(|_| ())
    } else {
        // Read whole characters up to the limit, line by line.
        let mut out = String::new();
        let mut res = Ok(());
        while (out.chars().count() as i64) < limit {
            let mut line = String::new();
            match std::io::BufRead::read_line(&mut std::io::stdin().lock(), &mut line) {
                Ok(0) => break,
                Ok(_) => out.push_str(&line),
                Err(e) => {
                    res = Err(e);
                    break;
                }
            }
        }
        text = out;
        res
    };
    if let Err(e) = res {
        let t = vm.sp.t.os_error;
        return Err(vm.err(t, e.to_string()));
    }
    Ok(vm.sp.new_str(&text))
}

fn stream_iter(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "__iter__", 1, 1)?;
    Ok(a.get(0))
}

fn stream_next(vm: &mut Vm, a: &Args) -> PyResult {
    check_args(vm, a, "__next__", 1, 1)?;
    let line = read_line(vm, a.get(0))?;
    if line.is_empty() {
        return Err(vm.stop_iteration(None));
    }
    Ok(vm.sp.new_str(&line))
}

fn stream_repr(vm: &mut Vm, a: &Args) -> PyResult {
    let s = a.get(0);
    let name = own_attr(vm, s, "name")
        .filter(|v| v.layout() == l::STR)
        .map(|v| vm.str_owned(v))
        .unwrap_or_default();
    let mode = own_attr(vm, s, "mode")
        .filter(|v| v.layout() == l::STR)
        .map(|v| vm.str_owned(v))
        .unwrap_or_default();
    let r = format!("<_io.TextIOWrapper name='{name}' mode='{mode}' encoding='utf-8'>");
    Ok(vm.sp.new_str(&r))
}
