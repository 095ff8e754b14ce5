//! The `format` module checked against CPython 3.11: `repr(float)`, `format()` of ints,
//! floats and strings, `%`-formatting and `str.format`, with expected results (values and
//! exact error messages) recorded from `python3` in `format_data/mod.rs`.

mod format_data;

use format_data::*;
use num_bigint::BigInt;
use thicket_object_model::format::{
    float_format_spec, float_repr, int_format_spec, percent_format, render_format_string,
    str_format_spec, ArgSource, ArgsShape, Conv, Conversion, FieldResolver, FormatError, PArg,
    PercentArgs,
};

/// An expected result: the text, or `"ExceptionName: message"`.
pub type R = Result<&'static str, &'static str>;

/// A Python value in the tables.
#[derive(Clone, Copy, Debug)]
pub enum V {
    /// An int, in decimal.
    I(&'static str),
    /// A float, by its bits.
    F(u64),
    /// A str.
    S(&'static str),
}

/// A Python value owned by the test callers.
#[derive(Clone, Debug)]
enum Val {
    I(BigInt),
    F(f64),
    S(String),
}

impl From<V> for Val {
    fn from(v: V) -> Val {
        match v {
            V::I(s) => Val::I(s.parse().expect("decimal int")),
            V::F(b) => Val::F(f64::from_bits(b)),
            V::S(s) => Val::S(s.to_owned()),
        }
    }
}

/// `repr()` of a str without quotes or backslashes (all the tables use).
fn py_repr_str(s: &str) -> String {
    assert!(!s.contains(['\'', '"', '\\']), "test strings avoid quotes");
    format!("'{s}'")
}

/// `ascii()` of such a str.
fn py_ascii_str(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        let v = c as u32;
        match v {
            0..=0x7f => out.push(c),
            0x80..=0xff => out.push_str(&format!("\\x{v:02x}")),
            0x100..=0xffff => out.push_str(&format!("\\u{v:04x}")),
            _ => out.push_str(&format!("\\U{v:08x}")),
        }
    }
    out.push('\'');
    out
}

impl Val {
    fn type_name(&self) -> &'static str {
        match self {
            Val::I(_) => "int",
            Val::F(_) => "float",
            Val::S(_) => "str",
        }
    }

    fn str(&self) -> String {
        match self {
            Val::I(i) => i.to_string(),
            Val::F(f) => float_repr(*f),
            Val::S(s) => s.clone(),
        }
    }

    fn repr(&self) -> String {
        match self {
            Val::S(s) => py_repr_str(s),
            other => other.str(),
        }
    }

    fn ascii(&self) -> String {
        match self {
            Val::S(s) => py_ascii_str(s),
            other => other.str(),
        }
    }
}

/// The test callers' error: `"ExceptionName: message"`.
#[derive(Debug)]
struct TErr(String);

impl From<FormatError> for TErr {
    fn from(e: FormatError) -> TErr {
        TErr(format!("{}: {}", e.kind.name(), e.message))
    }
}

fn text<E: std::fmt::Display>(r: Result<String, E>) -> Result<String, String> {
    r.map_err(|e| e.to_string())
}

/// Compares and collects mismatches, failing once with the first few.
struct Check {
    failures: Vec<String>,
    count: usize,
}

impl Check {
    fn new() -> Self {
        Check {
            failures: Vec::new(),
            count: 0,
        }
    }

    fn expect(&mut self, what: String, got: Result<String, String>, want: R) {
        self.count += 1;
        let want = want.map(str::to_owned).map_err(str::to_owned);
        if got != want {
            self.failures
                .push(format!("{what}\n    got:  {got:?}\n    want: {want:?}"));
        }
    }

    fn finish(self) {
        assert!(self.count > 0);
        if !self.failures.is_empty() {
            let shown: Vec<&String> = self.failures.iter().take(40).collect();
            panic!(
                "{} of {} cases differ from CPython:\n{}",
                self.failures.len(),
                self.count,
                shown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}

#[test]
fn float_repr_matches_cpython() {
    let mut c = Check::new();
    for &(bits, want) in FLOAT_REPR {
        let x = f64::from_bits(bits);
        c.expect(
            format!("repr({x:e}) [{bits:#x}]"),
            Ok(float_repr(x)),
            Ok(want),
        );
    }
    c.finish();
}

#[test]
fn float_format_matches_cpython() {
    let mut c = Check::new();
    for &(bits, spec, want) in FLOAT_FORMAT {
        let x = f64::from_bits(bits);
        c.expect(
            format!("format({x:e} [{bits:#x}], {spec:?})"),
            text(float_format_spec(x, spec, "float")),
            want,
        );
    }
    c.finish();
}

#[test]
fn int_format_matches_cpython() {
    let mut c = Check::new();
    for &(value, spec, want) in INT_FORMAT {
        let v: BigInt = value.parse().expect("decimal int");
        c.expect(
            format!("format({value}, {spec:?})"),
            text(int_format_spec(&v, spec, "int")),
            want,
        );
    }
    c.finish();
}

#[test]
fn str_format_matches_cpython() {
    let mut c = Check::new();
    for &(value, spec, want) in STR_FORMAT {
        c.expect(
            format!("format({value:?}, {spec:?})"),
            text(str_format_spec(value, spec, "str")),
            want,
        );
    }
    c.finish();
}

/// The right operand of `%` in the tests.
struct Args {
    shape: ArgsShape,
    items: Vec<Val>,
    mapping: Vec<(&'static str, Val)>,
    found: Option<Val>,
}

impl PercentArgs for Args {
    type Error = TErr;

    fn shape(&self) -> ArgsShape {
        self.shape
    }

    fn lookup_key(&mut self, key: &str) -> Result<(), TErr> {
        match self.mapping.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => {
                self.found = Some(v.clone());
                Ok(())
            }
            None => Err(TErr(format!("KeyError: {}", py_repr_str(key)))),
        }
    }

    fn get(&mut self, source: ArgSource<'_>, conv: Conv) -> Result<PArg, TErr> {
        let v = match source {
            ArgSource::Item(i) => self.items[i].clone(),
            ArgSource::Whole => match self.shape {
                ArgsShape::Mapping => panic!("tests never convert the mapping itself"),
                _ => self.items[0].clone(),
            },
            ArgSource::Key(_) => self.found.clone().expect("looked up"),
        };
        let unsupported = PArg::Unsupported(v.type_name().to_owned());
        Ok(match conv {
            Conv::Str => PArg::Str(v.str()),
            Conv::Repr => PArg::Str(v.repr()),
            Conv::Ascii => PArg::Str(v.ascii()),
            Conv::Int(_) | Conv::Float(_) => match v {
                Val::I(i) => PArg::Int(i),
                Val::F(f) => PArg::Float(f),
                Val::S(_) => unsupported,
            },
            Conv::Index(_) | Conv::Star => match v {
                Val::I(i) => PArg::Int(i),
                _ => unsupported,
            },
            Conv::Char => match v {
                Val::I(i) => PArg::Int(i),
                Val::S(s) => PArg::Str(s),
                Val::F(_) => unsupported,
            },
        })
    }
}

fn run_percent(fmt: &str, mut args: Args) -> Result<String, String> {
    percent_format(fmt, &mut args).map_err(|e| e.0)
}

#[test]
fn percent_tuple_matches_cpython() {
    let mut c = Check::new();
    for &(fmt, items, want) in PERCENT_TUPLE {
        let args = Args {
            shape: ArgsShape::Tuple(items.len()),
            items: items.iter().map(|&v| v.into()).collect(),
            mapping: Vec::new(),
            found: None,
        };
        c.expect(format!("{fmt:?} % {items:?}"), run_percent(fmt, args), want);
    }
    c.finish();
}

#[test]
fn percent_single_matches_cpython() {
    let mut c = Check::new();
    for &(fmt, item, want) in PERCENT_SINGLE {
        let args = Args {
            shape: ArgsShape::Single,
            items: vec![item.into()],
            mapping: Vec::new(),
            found: None,
        };
        c.expect(format!("{fmt:?} % {item:?}"), run_percent(fmt, args), want);
    }
    c.finish();
}

#[test]
fn percent_mapping_matches_cpython() {
    let mapping = || {
        vec![
            ("a", Val::I(1.into())),
            ("b", Val::F(2.5)),
            ("name", Val::S("Bob".into())),
            ("w", Val::I(7.into())),
            ("(x)", Val::S("paren".into())),
            ("", Val::S("empty".into())),
        ]
    };
    let mut c = Check::new();
    for &(fmt, want) in PERCENT_MAPPING {
        let args = Args {
            shape: ArgsShape::Mapping,
            items: Vec::new(),
            mapping: mapping(),
            found: None,
        };
        c.expect(format!("{fmt:?} % MAPPING"), run_percent(fmt, args), want);
    }
    c.finish();
}

/// The arguments of `str.format` in the tests.
struct Fields {
    args: Vec<Val>,
    kwargs: Vec<(&'static str, Val)>,
}

impl FieldResolver for Fields {
    type Value = Val;
    type Error = TErr;

    fn positional(&mut self, index: usize) -> Result<Val, TErr> {
        self.args
            .get(index)
            .cloned()
            .ok_or_else(|| FormatError::replacement_index_out_of_range(index).into())
    }

    fn keyword(&mut self, name: &str) -> Result<Val, TErr> {
        match self.kwargs.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(TErr(format!("KeyError: {}", py_repr_str(name)))),
        }
    }

    fn attribute(&mut self, value: Val, name: &str) -> Result<Val, TErr> {
        Err(TErr(format!(
            "AttributeError: '{}' object has no attribute '{name}'",
            value.type_name()
        )))
    }

    fn item_index(&mut self, value: Val, index: usize) -> Result<Val, TErr> {
        match value {
            Val::S(s) => s
                .chars()
                .nth(index)
                .map(|c| Val::S(c.to_string()))
                .ok_or_else(|| TErr("IndexError: string index out of range".into())),
            other => Err(TErr(format!(
                "TypeError: '{}' object is not subscriptable",
                other.type_name()
            ))),
        }
    }

    fn item_key(&mut self, value: Val, _key: &str) -> Result<Val, TErr> {
        Err(TErr(match value {
            Val::S(_) => "TypeError: string indices must be integers, not 'str'".into(),
            other => format!(
                "TypeError: '{}' object is not subscriptable",
                other.type_name()
            ),
        }))
    }

    fn convert(&mut self, value: Val, conversion: Conversion) -> Result<Val, TErr> {
        Ok(Val::S(match conversion {
            Conversion::Repr => value.repr(),
            Conversion::Str => value.str(),
            Conversion::Ascii => value.ascii(),
        }))
    }

    fn format_value(&mut self, value: Val, spec: &str) -> Result<String, TErr> {
        Ok(match value {
            Val::I(i) => int_format_spec(&i, spec, "int")?,
            Val::F(f) => float_format_spec(f, spec, "float")?,
            Val::S(s) => str_format_spec(&s, spec, "str")?,
        })
    }
}

#[test]
fn str_format_method_matches_cpython() {
    let mut c = Check::new();
    for &(fmt, want) in STR_FORMAT_METHOD {
        let mut fields = Fields {
            args: vec![
                Val::I(42.into()),
                Val::F(-3.5),
                Val::S("hey".into()),
                Val::I(1234567.into()),
                Val::F(0.1),
                Val::S("é".into()),
            ],
            kwargs: vec![
                ("x", Val::I(7.into())),
                ("name", Val::S("Ann".into())),
                ("f", Val::F(2.675)),
                ("w", Val::I(8.into())),
                ("p", Val::I(2.into())),
                ("s", Val::S(",".into())),
                ("ty", Val::S("f".into())),
            ],
        };
        let got = render_format_string(fmt, &mut fields).map_err(|e| e.0);
        c.expect(format!("{fmt:?}.format(...)"), got, want);
    }
    c.finish();
}
