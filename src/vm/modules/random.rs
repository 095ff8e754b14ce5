//! The `random` module over [`thicket_object_model::random::Random`], which draws in
//! CPython 3.11's order, so a seeded program prints what CPython prints.
//!
//! The module-level functions use the VM's generator (`vm.random`), as CPython's use a
//! hidden `Random()` instance. The class `random.Random` gives each instance its own
//! generator: the state is kept in the instance (attribute `_state`, a `bytes` object
//! of the 624 state words, the position and the cached `gauss` value) and loaded into a
//! Rust generator for the duration of each call. Each operation is written once, for a
//! [`Gen`] that says which generator to use and where the arguments start.
//!
//! The sequence methods work on any sequence through `len()` and indexing (`shuffle`
//! swaps in place with CPython's swap order; a `list` is swapped directly).

use super::{own_attr, remember_class, set_attr, to_f64};
use crate::vm::{Args, NativeFn, PyResult, Raised, Vm};
use num_bigint::{BigInt, Sign};
use num_traits::{One, Signed, ToPrimitive};
use thicket_object_model::layout as l;
use thicket_object_model::random::{RandError, RandErrorKind, Random, RandomState, Seed};
use thicket_object_model::Value;

/// Which generator a call uses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gen {
    /// The module's (`vm.random`); arguments start at 0.
    Module,
    /// The instance's (`self` is argument 0); arguments start at 1.
    Inst,
}

impl Gen {
    fn off(self) -> usize {
        match self {
            Gen::Module => 0,
            Gen::Inst => 1,
        }
    }
}

// ---------------------------------------------------------------------- state

const STATE_ATTR: &str = "_state";
const STATE_BYTES: usize = 624 * 4 + 4 + 1 + 8;

/// Writes a generator's state into `dst` (`STATE_BYTES` long).
fn encode_into(r: &Random, dst: &mut [u8]) {
    let st = r.getstate();
    let (words, rest) = dst.split_at_mut(624 * 4);
    for (d, w) in words.chunks_exact_mut(4).zip(&st.words) {
        d.copy_from_slice(&w.to_le_bytes());
    }
    rest[..4].copy_from_slice(&(st.index as u32).to_le_bytes());
    match st.gauss_next {
        Some(g) => {
            rest[4] = 1;
            rest[5..13].copy_from_slice(&g.to_le_bytes());
        }
        None => rest[4..13].fill(0),
    }
}

fn decode(b: &[u8]) -> Option<Random> {
    if b.len() != STATE_BYTES {
        return None;
    }
    let words: Vec<u32> = b[..624 * 4]
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect();
    let index = u32::from_le_bytes(b[2496..2500].try_into().ok()?) as usize;
    let gauss_next =
        (b[2500] == 1).then(|| f64::from_le_bytes(b[2501..2509].try_into().expect("8")));
    let mut r = template();
    r.setstate(&RandomState {
        words,
        index,
        gauss_next,
    })
    .ok()?;
    Some(r)
}

/// A generator to overwrite (cloning is cheaper than seeding).
fn template() -> Random {
    thread_local! {
        static T: Random = Random::new_seeded_int(&BigInt::from(0));
    }
    T.with(|t| t.clone())
}

/// Runs `f` on the generator of this call.
fn with_gen<R>(vm: &mut Vm, a: &Args, g: Gen, f: impl FnOnce(&mut Random) -> R) -> R {
    match g {
        Gen::Module => f(&mut vm.random),
        Gen::Inst => {
            let s = a.get(0);
            let mut r = own_attr(vm, s, STATE_ATTR)
                .filter(|b| b.layout() == l::BYTES)
                .and_then(|b| decode(vm.sp.bytes_of(b)))
                .unwrap_or_else(Random::new_from_os);
            let out = f(&mut r);
            store(vm, a.get(0), &r);
            out
        }
    }
}

/// Saves a generator into instance `s` (in place when it already has a state object).
fn store(vm: &mut Vm, s: Value, r: &Random) {
    if let Some(b) = own_attr(vm, s, STATE_ATTR).filter(|b| b.layout() == l::BYTES) {
        if vm.sp.bytes_of(b).len() == STATE_BYTES {
            // SAFETY: BYTES layout with a buffer of exactly this length; the object is
            // private to the instance, and plain data (no barrier needed). No
            // allocation happens while the slice is alive.
            let dst =
                unsafe { std::slice::from_raw_parts_mut(b.ptr::<u8>(l::STR_DATA), STATE_BYTES) };
            encode_into(r, dst);
            return;
        }
    }
    let mut buf = vec![0u8; STATE_BYTES];
    encode_into(r, &mut buf);
    let b = vm.sp.new_bytes(&buf);
    set_attr(vm, s, STATE_ATTR, b);
}

fn rand_err(vm: &mut Vm, e: RandError) -> Raised {
    match e.kind {
        RandErrorKind::ValueError => vm.value_error(e.message),
        RandErrorKind::IndexError => vm.index_error(e.message),
        RandErrorKind::TypeError => vm.type_error(e.message),
        RandErrorKind::ZeroDivisionError => vm.zero_division(e.message),
        RandErrorKind::OverflowError => vm.overflow_error(e.message),
    }
}

// ---------------------------------------------------------------------- arguments

/// Where a bound parameter's value is: positional slot or keyword slot.
#[derive(Clone, Copy)]
enum Slot {
    Pos(usize),
    Kw(usize),
}

fn slot_value(a: &Args, s: Slot) -> Value {
    match s {
        Slot::Pos(i) => a.get(i),
        Slot::Kw(i) => a.kw_at(i).1,
    }
}

/// Bound parameters of a Python-style method call (positions into `Args`, which stay
/// current across collections).
struct Bound {
    slots: Vec<Option<Slot>>,
}

impl Bound {
    fn get(&self, a: &Args, i: usize) -> Option<Value> {
        self.slots[i].map(|s| slot_value(a, s))
    }

    /// Parameter `i`, treating an explicit `None` as absent.
    fn get_some(&self, vm: &Vm, a: &Args, i: usize) -> Option<Value> {
        self.get(a, i).filter(|v| !v.is(vm.sp.none))
    }
}

/// Binds the arguments of `Random.<name>(self, params...)` as Python does: `params`
/// names the parameters (a leading `*` marks keyword-only ones), the first `required`
/// are required. Messages count `self`, as CPython's do for the bound methods the
/// module exports.
fn bind(
    vm: &mut Vm,
    a: &Args,
    g: Gen,
    name: &str,
    params: &[&str],
    required: usize,
) -> PyResult<Bound> {
    let fname = format!("Random.{name}");
    let names: Vec<&str> = params.iter().map(|p| p.trim_start_matches('*')).collect();
    let npos_params = params.iter().take_while(|p| !p.starts_with('*')).count();
    let given = a.len() - g.off();
    if given > npos_params {
        let req_pos = required.min(npos_params);
        let takes = if req_pos == npos_params {
            format!(
                "{} positional argument{}",
                npos_params + 1,
                plural(npos_params + 1)
            )
        } else {
            format!(
                "from {} to {} positional arguments",
                req_pos + 1,
                npos_params + 1
            )
        };
        return Err(vm.type_error(format!(
            "{fname}() takes {takes} but {} were given",
            given + 1
        )));
    }
    let mut slots: Vec<Option<Slot>> = (0..params.len())
        .map(|i| (i < given).then_some(Slot::Pos(g.off() + i)))
        .collect();
    for j in 0..a.nkw() {
        let (k, _) = a.kw_at(j);
        let k = vm.str_owned(k);
        match names.iter().position(|n| *n == k) {
            Some(i) => {
                if slots[i].is_some() {
                    return Err(
                        vm.type_error(format!("{fname}() got multiple values for argument '{k}'"))
                    );
                }
                slots[i] = Some(Slot::Kw(j));
            }
            None => {
                return Err(vm.type_error(format!(
                    "{fname}() got an unexpected keyword argument '{k}'"
                )));
            }
        }
    }
    let missing: Vec<String> = (0..required)
        .filter(|&i| slots[i].is_none())
        .map(|i| format!("'{}'", names[i]))
        .collect();
    if !missing.is_empty() {
        let list = match missing.len() {
            1 => missing[0].clone(),
            2 => format!("{} and {}", missing[0], missing[1]),
            n => format!("{}, and {}", missing[..n - 1].join(", "), missing[n - 1]),
        };
        return Err(vm.type_error(format!(
            "{fname}() missing {} required positional argument{}: {list}",
            missing.len(),
            plural(missing.len())
        )));
    }
    Ok(Bound { slots })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// An optional float parameter with a default.
fn float_param(vm: &mut Vm, a: &Args, b: &Bound, i: usize, default: f64) -> PyResult<f64> {
    match b.get(a, i) {
        Some(v) => to_f64(vm, v),
        None => Ok(default),
    }
}

/// A required float parameter.
fn float_req(vm: &mut Vm, a: &Args, b: &Bound, i: usize) -> PyResult<f64> {
    let v = b.get(a, i).expect("required parameter");
    to_f64(vm, v)
}

// ---------------------------------------------------------------------- module

macro_rules! ops {
    ($($name:ident),* $(,)?) => {
        mod module_fns {
            use super::*;
            $(pub fn $name(vm: &mut Vm, a: &Args) -> PyResult { super::$name(vm, a, Gen::Module) })*
        }
        mod method_fns {
            use super::*;
            $(pub fn $name(vm: &mut Vm, a: &Args) -> PyResult { super::$name(vm, a, Gen::Inst) })*
        }
        const OPS: &[(&str, NativeFn, NativeFn)] =
            &[$((stringify!($name), module_fns::$name, method_fns::$name)),*];
    };
}

ops!(
    seed,
    random,
    getrandbits,
    randbytes,
    randrange,
    randint,
    choice,
    shuffle,
    sample,
    choices,
    uniform,
    triangular,
    normalvariate,
    gauss,
    lognormvariate,
    expovariate,
    vonmisesvariate,
    gammavariate,
    betavariate,
    paretovariate,
    weibullvariate,
    getstate,
    setstate,
);

/// Creates the module.
pub fn create(vm: &mut Vm) -> Value {
    let m = vm.new_module("random");
    let r = vm.push_root(m);
    let ty = super::new_class(vm, "random", "Random", &[]);
    remember_class(vm, "random.Random", ty);
    let td = vm.sp.type_dict(ty);
    let three = vm.sp.new_int(3);
    vm.sp.dict_set_name(td, "VERSION", three);
    // A native named "__init__" would be taken for object.__init__ and skipped.
    let i = vm.register_native("Random.__init__", random_init, true);
    let b = vm.new_builtin(i, None);
    let td = vm.sp.type_dict(ty);
    vm.sp.dict_set_name(td, "__init__", b);
    for &(name, mf, inst) in OPS {
        vm.add_method(ty, name, inst);
        let d = {
            let m = vm.root(r);
            vm.module_dict(m)
        };
        vm.add_native(d, name, mf);
    }
    let d = {
        let m = vm.root(r);
        vm.module_dict(m)
    };
    vm.sp.dict_set_name(d, "Random", ty);
    for (name, v) in [
        ("NV_MAGICCONST", 4.0 * (-0.5f64).exp() / 2.0f64.sqrt()),
        ("TWOPI", 2.0 * std::f64::consts::PI),
        ("LOG4", 4.0f64.ln()),
        ("SG_MAGICCONST", 1.0 + 4.5f64.ln()),
    ] {
        let f = vm.sp.new_float(v);
        vm.sp.dict_set_name(d, name, f);
    }
    let bpf = vm.sp.new_int(53);
    vm.sp.dict_set_name(d, "BPF", bpf);
    let recip = vm.sp.new_float(2f64.powi(-53));
    vm.sp.dict_set_name(d, "RECIP_BPF", recip);
    let m = vm.root(r);
    vm.reset_roots(r);
    m
}

/// `Random.__init__(self, x=None)`.
fn random_init(vm: &mut Vm, a: &Args) -> PyResult {
    let b = bind(vm, a, Gen::Inst, "__init__", &["x"], 0)?;
    let x = b.get(a, 0);
    do_seed(vm, a, Gen::Inst, x, 2)?;
    Ok(vm.sp.none)
}

// ---------------------------------------------------------------------- seeding and state

fn seed(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "seed", &["a", "version"], 0)?;
    let version = match b.get(a, 1) {
        Some(v) => vm.index_value(v)?,
        None => 2,
    };
    let x = b.get(a, 0);
    do_seed(vm, a, g, x, version)?;
    Ok(vm.sp.none)
}

/// Seeds the generator of `g` from `x` (absent or None: from the OS).
fn do_seed(vm: &mut Vm, a: &Args, g: Gen, x: Option<Value>, version: i64) -> PyResult<()> {
    let Some(x) = x.filter(|x| !x.is(vm.sp.none)) else {
        with_gen(vm, a, g, |r| r.seed(Seed::None));
        return Ok(());
    };
    let u = vm.unwrap_builtin(x);
    match u.layout() {
        l::INT | l::BIGINT => {
            let n = vm.sp.to_bigint(u);
            with_gen(vm, a, g, |r| r.seed_int(&n));
        }
        l::FLOAT => {
            let f = vm.sp.float_value(u);
            if f.is_nan() {
                // NaN hashes by identity in CPython 3.11.
                let h = vm.id_hash(x)?;
                with_gen(vm, a, g, |r| r.seed_from_hash(h));
            } else {
                with_gen(vm, a, g, |r| r.seed_from_float(f));
            }
        }
        l::STR | l::BYTES | l::BYTEARRAY => {
            let is_str = u.layout() == l::STR;
            let data: Vec<u8> = if is_str {
                vm.sp.str_of(u).as_bytes().to_vec()
            } else {
                vm.bytes_like(u).unwrap_or_default()
            };
            if version == 1 && u.layout() != l::BYTEARRAY {
                if is_str {
                    let s = String::from_utf8(data).unwrap_or_default();
                    with_gen(vm, a, g, |r| r.seed_v1_str(&s));
                } else {
                    with_gen(vm, a, g, |r| r.seed_v1_bytes(&data));
                }
            } else if version == 2 {
                with_gen(vm, a, g, |r| r.seed_from_bytes(&data));
            } else if u.layout() == l::BYTEARRAY {
                return Err(vm.type_error("unhashable type: 'bytearray'"));
            } else {
                let h = vm.hash(x)?;
                with_gen(vm, a, g, |r| r.seed_from_hash(h));
            }
        }
        _ => return Err(rand_err(vm, RandError::bad_seed_type())),
    }
    Ok(())
}

fn getstate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    bind(vm, a, g, "getstate", &[], 0)?;
    let st = with_gen(vm, a, g, |r| r.getstate());
    let mut items = Vec::with_capacity(625);
    for &w in &st.words {
        items.push(vm.sp.new_int(w as i64));
    }
    items.push(vm.sp.new_int(st.index as i64));
    let words = vm.sp.new_tuple(&items);
    let gauss = match st.gauss_next {
        Some(f) => vm.sp.new_float(f),
        None => vm.sp.none,
    };
    let v = vm.sp.new_int(3);
    Ok(vm.sp.new_tuple(&[v, words, gauss]))
}

fn setstate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "setstate", &["state"], 1)?;
    let state = b.get(a, 0).expect("state");
    let su = vm.unwrap_builtin(state);
    if su.layout() != l::TUPLE && su.layout() != l::LIST {
        return Err(vm.type_error(format!(
            "'{}' object is not subscriptable",
            vm.type_name(state)
        )));
    }
    let parts: Vec<Value> = if su.layout() == l::TUPLE {
        vm.sp.tuple_items(su).to_vec()
    } else {
        vm.sp.list_items(su).to_vec()
    };
    let Some(&version) = parts.first() else {
        return Err(vm.index_error("tuple index out of range"));
    };
    let version_n = vm.sp.small_int(vm.unwrap_builtin(version));
    if version_n != Some(3) && version_n != Some(2) {
        let s = vm.to_str(version)?;
        let s = vm.str_owned(s);
        return Err(rand_err(vm, RandError::state_version(&s)));
    }
    if parts.len() != 3 {
        return Err(vm.value_error("too many values to unpack (expected 3)"));
    }
    let (internal, gauss) = (parts[1], parts[2]);
    if internal.layout() != l::TUPLE {
        return Err(vm.type_error("state vector must be a tuple"));
    }
    let items = vm.sp.tuple_items(internal).to_vec();
    if items.len() != 625 {
        return Err(vm.value_error("state vector is the wrong size"));
    }
    let mut words = Vec::with_capacity(624);
    let mut index = 0usize;
    for (i, &it) in items.iter().enumerate() {
        let iu = vm.unwrap_builtin(it);
        if !vm.sp.is_int_layout(iu) {
            return Err(vm.type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                vm.type_name(it)
            )));
        }
        let mut n = vm.sp.to_bigint(iu);
        if version_n == Some(2) {
            // Version 2 states are taken modulo 2**32, item by item.
            n = num_integer::Integer::mod_floor(&n, &BigInt::from(1u64 << 32));
        }
        if i < 624 {
            match n.to_u64() {
                Some(w) => words.push(w as u32),
                None => {
                    return Err(vm.overflow_error(if n.is_negative() {
                        "can't convert negative value to unsigned int"
                    } else {
                        "Python int too large to convert to C unsigned long"
                    }))
                }
            }
        } else {
            index = match n.to_i64() {
                Some(x) if (0..=624).contains(&x) => x as usize,
                _ => return Err(vm.value_error("invalid state")),
            };
        }
    }
    let gauss_next = if gauss.is(vm.sp.none) {
        None
    } else {
        Some(to_f64(vm, gauss)?)
    };
    let st = RandomState {
        words,
        index,
        gauss_next,
    };
    let r = with_gen(vm, a, g, |r| r.setstate(&st));
    r.map_err(|e| rand_err(vm, e))?;
    Ok(vm.sp.none)
}

// ---------------------------------------------------------------------- integers

fn random(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    if a.nkw() > 0 {
        return Err(vm.type_error("Random.random() takes no keyword arguments"));
    }
    if a.len() != g.off() {
        return Err(vm.type_error(format!(
            "Random.random() takes no arguments ({} given)",
            a.len() - g.off()
        )));
    }
    let f = with_gen(vm, a, g, |r| r.random());
    Ok(vm.sp.new_float(f))
}

fn getrandbits(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    if a.nkw() > 0 {
        return Err(vm.type_error("Random.getrandbits() takes no keyword arguments"));
    }
    if a.len() != g.off() + 1 {
        return Err(vm.type_error(format!(
            "Random.getrandbits() takes exactly one argument ({} given)",
            a.len() - g.off()
        )));
    }
    let k = vm.index_value(a.get(g.off()))?;
    if k < 0 {
        return Err(rand_err(vm, RandError::negative_bit_count()));
    }
    if k <= 62 {
        let v = with_gen(vm, a, g, |r| r.getrandbits_u64(k as u32));
        return Ok(vm.sp.new_int(v as i64));
    }
    let v = with_gen(vm, a, g, |r| r.getrandbits(k as u64));
    Ok(vm.int_from(BigInt::from_biguint(Sign::Plus, v)))
}

fn randbytes(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "randbytes", &["n"], 1)?;
    let n = vm.index_value(b.get(a, 0).expect("n"))?;
    if n < 0 {
        return Err(vm.value_error("negative argument not allowed"));
    }
    let bytes = with_gen(vm, a, g, |r| r.randbytes(n as usize));
    Ok(vm.sp.new_bytes(&bytes))
}

/// A `randrange` argument: an int, or (deprecated) an integral float.
fn range_arg(vm: &mut Vm, v: Value, what: &str) -> PyResult<BigInt> {
    let u = vm.unwrap_builtin(v);
    if vm.sp.is_int_layout(u) {
        return Ok(vm.sp.to_bigint(u));
    }
    if u.layout() == l::FLOAT {
        let f = vm.sp.float_value(u);
        if f.is_infinite() {
            return Err(vm.overflow_error("cannot convert float infinity to integer"));
        }
        if f.is_nan() {
            return Err(vm.value_error("cannot convert float NaN to integer"));
        }
        if f.fract() != 0.0 {
            return Err(vm.value_error(format!("non-integer {what} for randrange()")));
        }
        return Ok(num_traits::FromPrimitive::from_f64(f).unwrap_or_default());
    }
    if v.layout() == l::INSTANCE && vm.lookup_type_attr(v.ty(), vm.n.index).is_some() {
        return vm.to_index_int(v);
    }
    // CPython falls back to int(x) and refuses a result that differs from x.
    let r = vm.push_root(v);
    let int_ty = vm.sp.t.int;
    let i = vm.call(int_ty, &[v])?;
    let ir = vm.push_root(i);
    let v = vm.root(r);
    if !vm.eq(i, v)? {
        return Err(vm.value_error(format!("non-integer {what} for randrange()")));
    }
    let i = vm.root(ir);
    let iu = vm.unwrap_builtin(i);
    Ok(vm.sp.to_bigint(iu))
}

fn int_value(vm: &mut Vm, b: BigInt) -> Value {
    vm.int_from(b)
}

fn randrange(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "randrange", &["start", "stop", "step"], 1)?;
    let start = range_arg(vm, b.get(a, 0).expect("start"), "arg 1")?;
    let stop = match b.get_some(vm, a, 1) {
        Some(v) => Some(range_arg(vm, v, "stop")?),
        None => None,
    };
    let step = match b.get(a, 2) {
        Some(v) => {
            if stop.is_none() {
                // CPython checks `step is not _ONE` before converting it.
                let is_one = vm.sp.small_int(v) == Some(1) && v.layout() == l::INT;
                if !is_one {
                    return Err(vm.type_error("Missing a non-None stop argument"));
                }
            }
            range_arg(vm, v, "step")?
        }
        None => BigInt::one(),
    };
    let r = with_gen(vm, a, g, |r| r.randrange(&start, stop.as_ref(), &step));
    match r {
        Ok(v) => Ok(int_value(vm, v)),
        Err(e) => Err(rand_err(vm, e)),
    }
}

fn randint(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "randint", &["a", "b"], 2)?;
    let lo = range_arg(vm, b.get(a, 0).expect("a"), "arg 1")?;
    let hi = range_arg(vm, b.get(a, 1).expect("b"), "stop")?;
    let r = with_gen(vm, a, g, |r| r.randint(&lo, &hi));
    match r {
        Ok(v) => Ok(int_value(vm, v)),
        Err(e) => Err(rand_err(vm, e)),
    }
}

// ---------------------------------------------------------------------- sequences

/// Item `i` of a sequence (`seq[i]`), directly for the built-in sequences.
fn seq_item(vm: &mut Vm, seq: Value, i: usize) -> PyResult {
    match seq.layout() {
        l::LIST => {
            if let Some(&v) = vm.sp.list_items(seq).get(i) {
                return Ok(v);
            }
        }
        l::TUPLE => {
            if let Some(&v) = vm.sp.tuple_items(seq).get(i) {
                return Ok(v);
            }
        }
        _ => {}
    }
    let k = vm.sp.new_int(i as i64);
    vm.getitem(seq, k)
}

fn choice(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "choice", &["seq"], 1)?;
    let seq = b.get(a, 0).expect("seq");
    let n = vm.len(seq)?;
    let i = with_gen(vm, a, g, |r| r.choice_index(n));
    let i = i.map_err(|e| rand_err(vm, e))?;
    let seq = b.get(a, 0).expect("seq");
    seq_item(vm, seq, i)
}

fn shuffle(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "shuffle", &["x"], 1)?;
    let x = b.get(a, 0).expect("x");
    if x.layout() == l::LIST {
        let n = vm.sp.list_len(x);
        let swaps = with_gen(vm, a, g, |r| r.shuffle_swaps(n));
        let x = b.get(a, 0).expect("x");
        for (i, j) in swaps {
            let items = vm.sp.list_items(x);
            let (vi, vj) = (items[i], items[j]);
            vm.sp.list_set(x, i, vj);
            vm.sp.list_set(x, j, vi);
        }
        return Ok(vm.sp.none);
    }
    let n = vm.len(x)?;
    let swaps = with_gen(vm, a, g, |r| r.shuffle_swaps(n));
    let mark = vm.mark();
    for (i, j) in swaps {
        let x = b.get(a, 0).expect("x");
        let vj = seq_item(vm, x, j)?;
        let rj = vm.push_root(vj);
        let x = b.get(a, 0).expect("x");
        let vi = seq_item(vm, x, i)?;
        let ri = vm.push_root(vi);
        let x = b.get(a, 0).expect("x");
        let ki = vm.sp.new_int(i as i64);
        let vj = vm.root(rj);
        vm.setitem(x, ki, vj)?;
        let x = b.get(a, 0).expect("x");
        let kj = vm.sp.new_int(j as i64);
        let vi = vm.root(ri);
        vm.setitem(x, kj, vi)?;
        vm.reset_roots(mark);
    }
    Ok(vm.sp.none)
}

/// Whether `v` counts as a sequence for `sample` (CPython: `collections.abc.Sequence`).
fn is_sequence(vm: &mut Vm, v: Value) -> bool {
    let u = vm.unwrap_builtin(v);
    match u.layout() {
        l::LIST | l::TUPLE | l::STR | l::BYTES | l::BYTEARRAY | l::RANGE => true,
        l::INSTANCE => {
            vm.lookup_type_attr(v.ty(), vm.n.getitem).is_some()
                && vm.lookup_type_attr(v.ty(), vm.n.len).is_some()
        }
        _ => false,
    }
}

/// A new list of `seq[i]` for each index.
fn pick(vm: &mut Vm, a: &Args, b: &Bound, param: usize, idx: &[usize]) -> PyResult {
    let out = vm.sp.new_list_with_capacity(idx.len());
    let r = vm.push_root(out);
    for &i in idx {
        let seq = b.get(a, param).expect("population");
        let v = seq_item(vm, seq, i)?;
        let out = vm.root(r);
        vm.sp.list_append(out, v);
    }
    Ok(vm.root(r))
}

fn sample(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "sample", &["population", "k", "*counts"], 2)?;
    let pop = b.get(a, 0).expect("population");
    if !is_sequence(vm, pop) {
        return Err(rand_err(vm, RandError::population_not_sequence()));
    }
    let n = vm.len(pop)?;
    let kv = b.get(a, 1).expect("k");
    let k = vm.to_index_int(kv)?;
    let k = k
        .to_i64()
        .unwrap_or(if k.is_negative() { i64::MIN } else { i64::MAX });
    let idx = match b.get_some(vm, a, 2) {
        None => with_gen(vm, a, g, |r| r.sample_indices(n, k)),
        Some(cv) => {
            let lst = vm.list_from_iter(cv)?;
            let items = vm.sp.list_items(lst).to_vec();
            if items.len() != n {
                return Err(vm.value_error("The number of counts does not match the population"));
            }
            let mut counts = Vec::with_capacity(n);
            for c in items {
                let cu = vm.unwrap_builtin(c);
                if !vm.sp.is_int_layout(cu) {
                    return Err(vm.type_error("Counts must be integers"));
                }
                let b = vm.sp.to_bigint(cu);
                counts.push(b.to_i64().unwrap_or(i64::MAX));
            }
            with_gen(vm, a, g, |r| r.sample_counts_indices(n, &counts, k))
        }
    };
    let idx = idx.map_err(|e| rand_err(vm, e))?;
    pick(vm, a, &b, 0, &idx)
}

fn choices(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(
        vm,
        a,
        g,
        "choices",
        &["population", "weights", "*cum_weights", "*k"],
        1,
    )?;
    let pop = b.get(a, 0).expect("population");
    let n = vm.len(pop)?;
    let k = match b.get(a, 3) {
        Some(kv) => vm.index_value(kv)?.max(0) as usize,
        None => 1,
    };
    let weights = b.get_some(vm, a, 1);
    let cum = b.get_some(vm, a, 2);
    let cum_weights: Option<Vec<f64>> = match (weights, cum) {
        (Some(_), Some(_)) => {
            return Err(vm.type_error("Cannot specify both weights and cumulative weights"))
        }
        (Some(w), None) => {
            let wu = vm.unwrap_builtin(w);
            if vm.sp.is_int_layout(wu) {
                let s = vm.repr_string(w)?;
                return Err(vm.type_error(format!(
                    "The number of choices must be a keyword argument: k={s}"
                )));
            }
            let ws = super_floats(vm, w)?;
            Some(Random::cumulative_weights(&ws))
        }
        (None, Some(c)) => Some(super_floats(vm, c)?),
        (None, None) => None,
    };
    let idx = with_gen(vm, a, g, |r| {
        r.choices_indices(n, k, cum_weights.as_deref())
    });
    let idx = idx.map_err(|e| rand_err(vm, e))?;
    pick(vm, a, &b, 0, &idx)
}

/// The items of an iterable as floats.
fn super_floats(vm: &mut Vm, v: Value) -> PyResult<Vec<f64>> {
    let lst = vm.list_from_iter(v)?;
    let r = vm.push_root(lst);
    let n = vm.sp.list_len(lst);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let lst = vm.root(r);
        let Some(&x) = vm.sp.list_items(lst).get(i) else {
            break;
        };
        out.push(to_f64(vm, x)?);
    }
    Ok(out)
}

// ---------------------------------------------------------------------- distributions

fn float_result(vm: &mut Vm, r: Result<f64, RandError>) -> PyResult {
    match r {
        Ok(f) => Ok(vm.sp.new_float(f)),
        Err(e) => Err(rand_err(vm, e)),
    }
}

fn uniform(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "uniform", &["a", "b"], 2)?;
    let lo = float_req(vm, a, &b, 0)?;
    let hi = float_req(vm, a, &b, 1)?;
    let f = with_gen(vm, a, g, |r| r.uniform(lo, hi));
    Ok(vm.sp.new_float(f))
}

fn triangular(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "triangular", &["low", "high", "mode"], 0)?;
    let low = float_param(vm, a, &b, 0, 0.0)?;
    let high = float_param(vm, a, &b, 1, 1.0)?;
    let mode = match b.get_some(vm, a, 2) {
        Some(v) => Some(to_f64(vm, v)?),
        None => None,
    };
    let f = with_gen(vm, a, g, |r| r.triangular(low, high, mode));
    Ok(vm.sp.new_float(f))
}

fn normalvariate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "normalvariate", &["mu", "sigma"], 0)?;
    let mu = float_param(vm, a, &b, 0, 0.0)?;
    let sigma = float_param(vm, a, &b, 1, 1.0)?;
    let f = with_gen(vm, a, g, |r| r.normalvariate(mu, sigma));
    Ok(vm.sp.new_float(f))
}

fn gauss(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "gauss", &["mu", "sigma"], 0)?;
    let mu = float_param(vm, a, &b, 0, 0.0)?;
    let sigma = float_param(vm, a, &b, 1, 1.0)?;
    let f = with_gen(vm, a, g, |r| r.gauss(mu, sigma));
    Ok(vm.sp.new_float(f))
}

fn lognormvariate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "lognormvariate", &["mu", "sigma"], 2)?;
    let mu = float_req(vm, a, &b, 0)?;
    let sigma = float_req(vm, a, &b, 1)?;
    let r = with_gen(vm, a, g, |r| r.lognormvariate(mu, sigma));
    float_result(vm, r)
}

fn expovariate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "expovariate", &["lambd"], 1)?;
    let lambd = float_req(vm, a, &b, 0)?;
    let r = with_gen(vm, a, g, |r| r.expovariate(lambd));
    float_result(vm, r)
}

fn vonmisesvariate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "vonmisesvariate", &["mu", "kappa"], 2)?;
    let mu = float_req(vm, a, &b, 0)?;
    let kappa = float_req(vm, a, &b, 1)?;
    let r = with_gen(vm, a, g, |r| r.vonmisesvariate(mu, kappa));
    float_result(vm, r)
}

fn gammavariate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "gammavariate", &["alpha", "beta"], 2)?;
    let alpha = float_req(vm, a, &b, 0)?;
    let beta = float_req(vm, a, &b, 1)?;
    let r = with_gen(vm, a, g, |r| r.gammavariate(alpha, beta));
    float_result(vm, r)
}

fn betavariate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "betavariate", &["alpha", "beta"], 2)?;
    let alpha = float_req(vm, a, &b, 0)?;
    let beta = float_req(vm, a, &b, 1)?;
    let r = with_gen(vm, a, g, |r| r.betavariate(alpha, beta));
    float_result(vm, r)
}

fn paretovariate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "paretovariate", &["alpha"], 1)?;
    let alpha = float_req(vm, a, &b, 0)?;
    let r = with_gen(vm, a, g, |r| r.paretovariate(alpha));
    float_result(vm, r)
}

fn weibullvariate(vm: &mut Vm, a: &Args, g: Gen) -> PyResult {
    let b = bind(vm, a, g, "weibullvariate", &["alpha", "beta"], 2)?;
    let alpha = float_req(vm, a, &b, 0)?;
    let beta = float_req(vm, a, &b, 1)?;
    let r = with_gen(vm, a, g, |r| r.weibullvariate(alpha, beta));
    float_result(vm, r)
}
