//! Imports: `sys.modules`, built-in modules, the embedded pure-Python library (`lib/`),
//! and Python files found on `sys.path` (the script's folder, then `THICKETPATH`).

use super::{PyResult, RootSlot, Vm};
use std::rc::Rc;
use thicket_object_model::layout as l;
use thicket_object_model::Value;

/// The embedded library: module name, file name, source.
pub const LIB: &[(&str, &str, &str)] = &[
    (
        "collections",
        "lib/collections/__init__.py",
        include_str!("../../lib/collections/__init__.py"),
    ),
    (
        "collections.abc",
        "lib/collections/abc.py",
        include_str!("../../lib/collections/abc.py"),
    ),
    (
        "itertools",
        "lib/itertools.py",
        include_str!("../../lib/itertools.py"),
    ),
    (
        "functools",
        "lib/functools.py",
        include_str!("../../lib/functools.py"),
    ),
    (
        "operator",
        "lib/operator.py",
        include_str!("../../lib/operator.py"),
    ),
    ("copy", "lib/copy.py", include_str!("../../lib/copy.py")),
    (
        "string",
        "lib/string.py",
        include_str!("../../lib/string.py"),
    ),
    (
        "struct",
        "lib/struct.py",
        include_str!("../../lib/struct.py"),
    ),
    (
        "cffi",
        "lib/cffi/__init__.py",
        include_str!("../../lib/cffi/__init__.py"),
    ),
    ("heapq", "lib/heapq.py", include_str!("../../lib/heapq.py")),
    ("types", "lib/types.py", include_str!("../../lib/types.py")),
    ("re", "lib/re.py", include_str!("../../lib/re.py")),
    (
        "warnings",
        "lib/warnings.py",
        include_str!("../../lib/warnings.py"),
    ),
    (
        "__future__",
        "lib/__future__.py",
        include_str!("../../lib/__future__.py"),
    ),
];

impl Vm {
    /// `sys.modules`.
    pub fn modules(&self) -> Value {
        self.root_get(RootSlot::Modules).expect("sys.modules")
    }

    /// Creates an empty module registered in `sys.modules` under `name`.
    pub fn new_module(&mut self, name: &str) -> Value {
        let d = self.sp.new_dict();
        let r = self.push_root(d);
        let n = self.sp.intern(name);
        self.sp.dict_set_str(d, self.n.name, n);
        let none = self.sp.none;
        self.sp.dict_set_str(d, self.n.doc, none);
        let d = self.root(r);
        let m = self.sp.new_module(n, d);
        let mods = self.modules();
        self.sp.dict_set_str(mods, n, m);
        self.reset_roots(r);
        m
    }

    /// The namespace dict of a module.
    pub fn module_dict(&self, m: Value) -> Value {
        // SAFETY: MODULE layout.
        unsafe { m.get_ref(l::MODULE_DICT).unwrap_unchecked() }
    }

    /// `ImportName`: imports dotted `name` (relative to the importing module for
    /// `level > 0`); returns the top package when `fromlist` is None, else the module.
    pub fn import_name(
        &mut self,
        name: Value,
        level: Value,
        fromlist: Value,
        globals: Value,
    ) -> PyResult {
        let level = self.sp.small_int(level).unwrap_or(0);
        let mut full = self.str_owned(name);
        if level > 0 {
            let pkg_key = self.n.package;
            let name_key = self.n.name;
            let path_key = self.n.path;
            let pkg = self
                .sp
                .dict_get_str(globals, pkg_key)
                .filter(|p| self.is_str(*p))
                .map(|p| self.str_owned(p));
            let modname = self
                .sp
                .dict_get_str(globals, name_key)
                .map(|p| self.str_owned(p))
                .unwrap_or_default();
            let is_pkg = self.sp.dict_get_str(globals, path_key).is_some();
            let mut base = pkg.unwrap_or_else(|| {
                if is_pkg {
                    modname.clone()
                } else {
                    modname
                        .rsplit_once('.')
                        .map(|(a, _)| a.to_owned())
                        .unwrap_or_default()
                }
            });
            for _ in 1..level {
                match base.rsplit_once('.') {
                    Some((a, _)) => base = a.to_owned(),
                    None => {
                        return Err(self.err(
                            self.sp.t.import_error,
                            "attempted relative import beyond top-level package",
                        ));
                    }
                }
            }
            if base.is_empty() {
                return Err(self.err(
                    self.sp.t.import_error,
                    "attempted relative import with no known parent package",
                ));
            }
            full = if full.is_empty() {
                base
            } else {
                format!("{base}.{full}")
            };
        }
        let fr = self.push_root(fromlist);
        // Import each prefix.
        let mut top = None;
        let mut prefix = String::new();
        let mut last = None;
        for part in full.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            let m = self.import_module(&prefix)?;
            if top.is_none() {
                top = Some(self.push_root(m));
            }
            last = Some(self.push_root(m));
        }
        let fromlist = self.root(fr);
        let r = if fromlist.is(self.sp.none) && level == 0 {
            self.root(top.expect("top"))
        } else {
            self.root(last.expect("module"))
        };
        self.reset_roots(fr);
        Ok(r)
    }

    /// Imports one module by its full dotted name (its parent already imported).
    pub fn import_module(&mut self, name: &str) -> PyResult {
        let key = self.sp.intern(name);
        let mods = self.modules();
        if let Some(m) = self.sp.dict_get_str(mods, key) {
            return Ok(m);
        }
        if let Some(m) = super::modules::create_builtin(self, name)? {
            return Ok(m);
        }
        // Search sys.path for name/as/path.py or name/as/path/__init__.py.
        let rel = name.replace('.', "/");
        let path = self.root_get(RootSlot::Path).expect("sys.path");
        let dirs: Vec<String> = self
            .sp
            .list_items(path)
            .iter()
            .filter(|v| self.is_str(**v))
            .map(|v| self.str_owned(*v))
            .collect();
        for d in dirs {
            let d = if d.is_empty() { ".".to_owned() } else { d };
            let leaf_dir = match rel.rsplit_once('/') {
                Some((a, _)) => format!("{d}/{a}"),
                None => d.clone(),
            };
            let leaf = rel.rsplit('/').next().unwrap_or(&rel);
            for ext in crate::capi::module::candidates(leaf) {
                let cand = format!("{leaf_dir}/{ext}");
                if std::path::Path::new(&cand).is_file() {
                    return crate::capi::module::load(self, name, &cand);
                }
            }
            let file = format!("{d}/{rel}.py");
            let pkg = format!("{d}/{rel}/__init__.py");
            for (cand, is_pkg) in [(pkg, true), (file, false)] {
                if std::path::Path::new(&cand).is_file() {
                    let src = match std::fs::read_to_string(&cand) {
                        Ok(s) => s,
                        Err(e) => {
                            return Err(self
                                .err(self.sp.t.import_error, format!("cannot read {cand}: {e}")))
                        }
                    };
                    let dir = if is_pkg {
                        Some(format!("{d}/{rel}"))
                    } else {
                        None
                    };
                    return self.exec_module(name, &cand, Rc::from(src.as_str()), dir);
                }
            }
        }
        if let Some(&(_, file, src)) = LIB.iter().find(|(n, _, _)| *n == name) {
            let is_pkg = file.ends_with("__init__.py");
            let dir = is_pkg.then(|| file.trim_end_matches("/__init__.py").to_owned());
            return self.exec_module(name, file, Rc::from(src), dir);
        }
        let t = self.sp.t.module_not_found_error;
        let e = self.new_exception_msg(t, &format!("No module named '{name}'"));
        let r = self.push_root(e);
        let nv = self.sp.new_str(name);
        let e = self.root(r);
        let nn = self.sp.intern("name");
        self.set_exc_attr(e, nn, nv);
        self.reset_roots(r);
        Err(self.raise(e))
    }

    /// Compiles and runs a module's source, registering it in `sys.modules` first (and
    /// removing it again if it fails).
    pub fn exec_module(
        &mut self,
        name: &str,
        file: &str,
        src: Rc<str>,
        pkg_dir: Option<String>,
    ) -> PyResult {
        let code = match crate::compile::compile_module(&src, file) {
            Ok(c) => c,
            Err(e) => return Err(self.raise_compile_error(&e)),
        };
        self.sources.insert(file.to_owned(), src);
        let ci = self.register_code(code);
        let m = self.new_module(name);
        let mr = self.push_root(m);
        let d = self.module_dict(m);
        let f = self.sp.new_str(file);
        self.sp.dict_set_str(d, self.n.file, f);
        let b = self.builtins();
        let bkey = self.n.builtins;
        self.sp.dict_set_str(d, bkey, b);
        match &pkg_dir {
            Some(dir) => {
                let dv = self.sp.new_str(dir);
                let p = self.sp.new_list(&[dv]);
                let pk = self.n.path;
                self.sp.dict_set_str(d, pk, p);
                let pn = self.sp.new_str(name);
                let pkk = self.n.package;
                self.sp.dict_set_str(d, pkk, pn);
            }
            None => {
                let parent = name.rsplit_once('.').map(|(a, _)| a).unwrap_or("");
                let pn = self.sp.new_str(parent);
                let pkk = self.n.package;
                self.sp.dict_set_str(d, pkk, pn);
            }
        }
        let r = self.run_module_code(ci, d);
        let m = self.root(mr);
        self.reset_roots(mr);
        if let Err(e) = r {
            let mods = self.modules();
            let key = self.sp.intern(name);
            self.sp.dict_del_str(mods, key);
            return Err(e);
        }
        // Bind the submodule in its parent package.
        if let Some((parent, child)) = name.rsplit_once('.') {
            let pkey = self.sp.intern(parent);
            let mods = self.modules();
            if let Some(p) = self.sp.dict_get_str(mods, pkey) {
                if p.layout() == l::MODULE {
                    let pd = self.module_dict(p);
                    let ck = self.sp.intern(child);
                    self.sp.dict_set_str(pd, ck, m);
                }
            }
        }
        Ok(m)
    }

    /// Raises a compile error as a SyntaxError with its place.
    pub fn raise_compile_error(&mut self, e: &crate::bytecode::CompileError) -> super::Raised {
        let ty = if e.kind == "IndentationError" {
            self.sp.t.indentation_error
        } else {
            self.sp.t.syntax_error
        };
        let ex = self.new_exception_msg(ty, &e.msg);
        let r = self.push_root(ex);
        let f = self.sp.new_str(&e.filename);
        let ex = self.root(r);
        let (fk, lk, mk) = (self.n.filename, self.n.lineno, self.n.msg);
        self.set_exc_attr(ex, fk, f);
        let line = self.sp.new_int(e.line as i64);
        self.set_exc_attr(ex, lk, line);
        let m = self.sp.new_str(&e.msg);
        self.set_exc_attr(ex, mk, m);
        if let Some(t) = &e.text {
            let tv = self.sp.new_str(t);
            let tk = self.sp.intern("text");
            self.set_exc_attr(ex, tk, tv);
        }
        self.reset_roots(r);
        self.raise(ex)
    }

    /// `from m import name`.
    pub fn import_from(&mut self, m: Value, name: Value) -> PyResult {
        if let Some(v) = self.getattr_opt(m, name)? {
            return Ok(v);
        }
        // A submodule not imported yet.
        let mname = if m.layout() == l::MODULE {
            // SAFETY: MODULE layout.
            self.str_owned(unsafe { m.get_ref(l::MODULE_NAME).unwrap_unchecked() })
        } else {
            "?".into()
        };
        let full = format!("{mname}.{}", self.str_owned(name));
        let nr = self.push_root(name);
        match self.import_module(&full) {
            Ok(v) => {
                self.reset_roots(nr);
                Ok(v)
            }
            Err(e) => {
                if self.exc_is(self.sp.t.module_not_found_error) {
                    self.take_exc();
                    let n = self.root(nr);
                    let ns = self.str_owned(n);
                    self.reset_roots(nr);
                    Err(self.err(
                        self.sp.t.import_error,
                        format!("cannot import name '{ns}' from '{mname}'"),
                    ))
                } else {
                    Err(e)
                }
            }
        }
    }

    /// `from m import *` into namespace `ns`.
    pub fn import_star(&mut self, m: Value, ns: Value) -> PyResult<()> {
        let d = self.module_dict(m);
        let all = self.sp.dict_get_str(d, self.n.all);
        let mark = self.mark();
        let nsr = self.push_root(ns);
        let dr = self.push_root(d);
        match all {
            Some(all) => {
                let lst = self.list_from_iter(all)?;
                let lr = self.push_root(lst);
                let n = self.sp.list_len(lst);
                for i in 0..n {
                    let lv = self.root(lr);
                    let k = self.sp.list_items(lv)[i];
                    let k = self.sp.intern_value(k);
                    let m = self.root(dr);
                    let v = match self.sp.dict_get_str(m, k) {
                        Some(v) => v,
                        None => continue,
                    };
                    let ns = self.root(nsr);
                    self.sp.dict_set_str(ns, k, v);
                }
            }
            None => {
                for (k, v) in self.sp.dict_items(d) {
                    if self.is_str(k) && !self.sp.str_of(k).starts_with('_') {
                        let ns = self.root(nsr);
                        self.sp.dict_set_str(ns, k, v);
                    }
                }
            }
        }
        self.reset_roots(mark);
        Ok(())
    }
}
