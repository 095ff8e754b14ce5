//! Running a program: set up the VM (`sys.argv`, `sys.path`, `__main__`), compile and
//! run the source, report an uncaught exception as CPython does (traceback on stderr,
//! exit status 1; `SystemExit` gives its code), and print GC statistics on request.

use crate::vm::{RootSlot, Vm};
use std::rc::Rc;
use thicket_object_model::layout as l;

/// What to run.
pub enum Source {
    /// A file and its arguments.
    File(String),
    /// `-c CODE`.
    Code(String),
    /// Source text with the file name to show in tracebacks.
    Text(String, String),
}

/// Options of a run.
pub struct RunOptions {
    pub source: Source,
    /// `sys.argv[1:]`.
    pub args: Vec<String>,
    /// Print the GC summary at exit (`--gc-stats`).
    pub gc_stats: bool,
}

/// Runs a program on a fresh VM; returns the process exit status.
pub fn run(opts: RunOptions) -> i32 {
    // Deep Python recursion needs a deep native stack.
    let child = std::thread::Builder::new()
        .name("thicket-main".into())
        .stack_size(1 << 30)
        .spawn(move || run_on_this_thread(opts))
        .expect("spawn interpreter thread");
    child.join().unwrap_or(70)
}

fn run_on_this_thread(opts: RunOptions) -> i32 {
    let config = match thicket_gc::GcConfig::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("thicket: {e}");
            return 2;
        }
    };
    let mut vm = Vm::new(config);
    let (filename, src) = match &opts.source {
        Source::File(f) => match std::fs::read_to_string(f) {
            Ok(s) => (f.clone(), s),
            Err(e) => {
                eprintln!("thicket: can't open file '{f}': {e}");
                return 2;
            }
        },
        Source::Code(c) => ("<string>".to_owned(), c.clone()),
        Source::Text(name, text) => (name.clone(), text.clone()),
    };
    // sys.argv and sys.path.
    let argv0 = match &opts.source {
        Source::File(f) => f.clone(),
        Source::Code(_) => "-c".to_owned(),
        Source::Text(name, _) => name.clone(),
    };
    let argv = vm.root_get(RootSlot::Argv).expect("argv");
    for a in std::iter::once(&argv0).chain(opts.args.iter()) {
        let s = vm.sp.new_str(a);
        let argv = vm.root_get(RootSlot::Argv).expect("argv");
        vm.sp.list_append(argv, s);
    }
    let _ = argv;
    let script_dir = match &opts.source {
        Source::File(f) => std::path::Path::new(f)
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| ".".into()),
        Source::Code(_) | Source::Text(..) => ".".into(),
    };
    let mut dirs = vec![script_dir];
    if let Ok(tp) = std::env::var("THICKETPATH") {
        dirs.extend(tp.split(':').filter(|s| !s.is_empty()).map(str::to_owned));
    }
    for d in dirs {
        let s = vm.sp.new_str(&d);
        let path = vm.root_get(RootSlot::Path).expect("path");
        vm.sp.list_append(path, s);
    }
    let status = run_main(&mut vm, &filename, Rc::from(src.as_str()));
    vm.flush_out();
    crate::capi::debug::at_exit(&mut vm);
    if opts.gc_stats {
        eprint!("{}", crate::gcstats::summary(&vm));
    }
    status
}

/// Runs `src` as `__main__`; returns the exit status.
pub fn run_main(vm: &mut Vm, filename: &str, src: Rc<str>) -> i32 {
    vm.sources.insert(filename.to_owned(), src.clone());
    let code = match crate::compile::compile_module(&src, filename) {
        Ok(c) => c,
        Err(e) => {
            vm.flush_out();
            eprintln!("  File \"{}\", line {}", e.filename, e.line);
            if let Some(t) = &e.text {
                eprintln!("    {}", t.trim());
            }
            eprintln!("{}: {}", e.kind, e.msg);
            return 1;
        }
    };
    let ci = vm.register_code(code);
    let m = vm.new_module("__main__");
    vm.root_set(RootSlot::Main, Some(m));
    let d = vm.module_dict(m);
    let b = vm.builtins();
    let bk = vm.n.builtins;
    vm.sp.dict_set_str(d, bk, b);
    let f = vm.sp.new_str(filename);
    let d = vm.module_dict(vm.root_get(RootSlot::Main).expect("main"));
    let fk = vm.n.file;
    vm.sp.dict_set_str(d, fk, f);
    match vm.run_module_code(ci, d) {
        Ok(()) => 0,
        Err(_) => {
            let e = vm.take_exc();
            vm.flush_out();
            report_uncaught(vm, e)
        }
    }
}

/// Prints an uncaught exception and gives the exit status (SystemExit's code).
pub fn report_uncaught(vm: &mut Vm, e: thicket_object_model::Value) -> i32 {
    if vm.sp.isinstance(e, vm.sp.t.system_exit) {
        let args = vm.exc_args(e);
        let code = if vm.sp.tuple_len(args) > 0 {
            Some(vm.sp.tuple_items(args)[0])
        } else {
            None
        };
        return match code {
            None => 0,
            Some(c) if c.is(vm.sp.none) => 0,
            Some(c) if c.layout() == l::INT && !c.ty().is(vm.sp.t.bool_) => {
                vm.sp.small_int(c).unwrap_or(1) as i32
            }
            Some(c) if c.ty().is(vm.sp.t.bool_) => c.is(vm.sp.true_) as i32,
            Some(c) => {
                let s = match vm.to_str(c) {
                    Ok(s) => vm.str_owned(s),
                    Err(_) => "?".into(),
                };
                eprintln!("{s}");
                1
            }
        };
    }
    let text = vm.format_exception(e);
    eprint!("{text}");
    1
}
