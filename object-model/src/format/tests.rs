//! Unit tests of the format module's API: the structures it returns, the order in which it
//! calls back into its callers, and behaviour the CPython tables in
//! `object-model/tests/format.rs` do not reach (expected values from CPython 3.11).

use super::*;
use num_bigint::BigInt;

fn big(s: &str) -> BigInt {
    s.parse().unwrap()
}

#[test]
fn rounding_is_half_even_on_the_exact_binary_value() {
    let f = |x: f64, spec: &str| float_format_spec(x, spec, "float").unwrap();
    assert_eq!(f(2.675, ".2f"), "2.67");
    assert_eq!(f(0.125, ".2f"), "0.12");
    assert_eq!(f(0.375, ".2f"), "0.38");
    assert_eq!(f(0.5, ".0f"), "0");
    assert_eq!(f(1.5, ".0f"), "2");
    assert_eq!(f(2.5, ".0f"), "2");
    assert_eq!(f(1e16, ""), "1e+16");
    assert_eq!(f(1.0, ""), "1.0");
    assert_eq!(f(0.1, ".3"), "0.1");
    assert_eq!(f(1234.5, ","), "1,234.5");
    assert_eq!(float_fixed(0.1, 20), "0.10000000000000000555");
    assert_eq!(float_exponent(-0.0, 2), "-0.00e+00");
    assert_eq!(float_general(123456789.0, 4), "1.235e+08");
}

#[test]
fn repr_layout() {
    assert_eq!(float_repr(1e16), "1e+16");
    assert_eq!(float_repr(9999999999999998.0), "9999999999999998.0");
    assert_eq!(float_repr(1.5e-5), "1.5e-05");
    assert_eq!(float_repr(0.0001), "0.0001");
    assert_eq!(float_repr(-0.0), "-0.0");
    assert_eq!(float_repr(f64::INFINITY), "inf");
    assert_eq!(float_repr(f64::NEG_INFINITY), "-inf");
    assert_eq!(float_repr(-f64::NAN), "nan");
    assert_eq!(float_repr(5e-324), "5e-324");
    assert_eq!(float_repr(1e300), "1e+300");
    // An exact tie between two 17-digit candidates: Python keeps the even one.
    assert_eq!(float_repr(1267860061485775.0 + 0.25), "1267860061485775.2");
}

#[test]
fn double_to_string_flags() {
    let flags = DtsFlags {
        always_sign: true,
        ..DtsFlags::default()
    };
    assert_eq!(double_to_string(1.5, 'f', 1, flags), "+1.5");
    assert_eq!(double_to_string(f64::NAN, 'F', 1, flags), "+NAN");
    assert_eq!(double_to_string(-f64::INFINITY, 'E', 1, flags), "-INF");
    let alt = DtsFlags {
        alt: true,
        ..DtsFlags::default()
    };
    assert_eq!(double_to_string(1.0, 'g', 3, alt), "1.00");
    assert_eq!(double_to_string(3.0, 'f', 0, alt), "3.");
    assert_eq!(
        double_to_string(1e-10, 'G', 2, DtsFlags::default()),
        "1E-10"
    );
    let no_neg = DtsFlags {
        no_neg_0: true,
        ..DtsFlags::default()
    };
    assert_eq!(double_to_string(-0.0001, 'f', 2, no_neg), "0.00");
    assert_eq!(double_to_string(-0.01, 'f', 2, no_neg), "-0.01");
}

#[test]
fn radix_text_and_int_to_float() {
    assert_eq!(int_to_str_radix(&big("-255"), 16, true), "-0xff");
    assert_eq!(int_to_str_radix(&big("255"), 16, false), "ff");
    assert_eq!(int_to_str_radix(&big("8"), 8, true), "0o10");
    assert_eq!(int_to_str_radix(&big("-5"), 2, true), "-0b101");
    assert_eq!(int_to_str_radix(&big("0"), 2, true), "0b0");
    assert_eq!(int_to_str_radix(&big("-12"), 10, true), "-12");

    let f = |s: &str| int_to_f64(&big(s));
    assert_eq!(f("9007199254740993"), Ok(9007199254740992.0)); // 2^53 + 1: tie to even
    assert_eq!(f("9007199254740995"), Ok(9007199254740996.0)); // 2^53 + 3
    assert_eq!(f("-18446744073709551617"), Ok(-18446744073709551616.0));
    let max_below = BigInt::from(2).pow(1024) - BigInt::from(2).pow(970) - 1;
    assert_eq!(int_to_f64(&max_below), Ok(f64::MAX));
    let err = int_to_f64(&(max_below + 1)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::OverflowError);
    assert_eq!(err.message, "int too large to convert to float");
}

#[test]
fn spec_fields() {
    let s = parse_spec("x<+z#012_.3f", "float").unwrap();
    assert_eq!(
        s,
        Spec {
            fill: Some('x'),
            align: Some(Align::Left),
            sign: Some(Sign::Plus),
            no_neg_zero: true,
            alternate: true,
            zero_pad: false,
            width: Some(12),
            grouping: Some(Grouping::Underscore),
            precision: Some(3),
            ty: Some('f'),
        }
    );
    let s = parse_spec("010,", "int").unwrap();
    assert!(s.zero_pad && s.fill.is_none() && s.align.is_none());
    assert_eq!(s.width, Some(10));
    assert_eq!(parse_spec("", "int").unwrap(), Spec::default());
    let err = |spec: &str| parse_spec(spec, "int").unwrap_err().message;
    assert_eq!(err(".f"), "Format specifier missing precision");
    assert_eq!(err(",_d"), "Cannot specify both ',' and '_'.");
    assert_eq!(err("_,d"), "Cannot specify both ',' and '_'.");
    assert_eq!(
        err("10xy"),
        "Invalid format specifier '10xy' for object of type 'int'"
    );
    assert_eq!(
        err("99999999999999999999"),
        "Too many decimal digits in format string"
    );
}

#[test]
fn formatter_messages_name_the_type() {
    let spec = parse_spec("f", "bool").unwrap();
    assert_eq!(format_int(&big("1"), &spec, "bool").unwrap(), "1.000000");
    let spec = parse_spec("s", "bool").unwrap();
    assert_eq!(
        format_int(&big("1"), &spec, "bool").unwrap_err().message,
        "Unknown format code 's' for object of type 'bool'"
    );
    let spec = parse_spec("d", "MyStr").unwrap();
    assert_eq!(
        format_str("x", &spec, "MyStr").unwrap_err().message,
        "Unknown format code 'd' for object of type 'MyStr'"
    );
    let spec = parse_spec(",", "str").unwrap();
    assert_eq!(
        format_str("x", &spec, "str").unwrap_err().message,
        "Cannot specify ',' with 's'."
    );
    let spec = parse_spec("c", "int").unwrap();
    let err = format_int(&big("55296"), &spec, "int").unwrap_err();
    assert!(err.message.contains("surrogate"), "{err}");
    let err = format_int(&big("1114112"), &spec, "int").unwrap_err();
    assert_eq!(err.kind, ErrorKind::OverflowError);
    assert_eq!(err.message, "%c arg not in range(0x110000)");
}

#[test]
fn strings_align_by_characters() {
    let spec = parse_spec("^7", "str").unwrap();
    assert_eq!(format_str("日本", &spec, "str").unwrap(), "  日本   ");
    let spec = parse_spec(".2", "str").unwrap();
    assert_eq!(format_str("héllo", &spec, "str").unwrap(), "hé");
}

/// A `%` operand that records what the formatter asks for.
struct Recorder {
    shape: ArgsShape,
    items: Vec<PArg>,
    calls: Vec<String>,
}

impl PercentArgs for Recorder {
    type Error = FormatError;

    fn shape(&self) -> ArgsShape {
        self.shape
    }

    fn lookup_key(&mut self, key: &str) -> Result<(), FormatError> {
        self.calls.push(format!("lookup {key}"));
        if key == "missing" {
            return Err(FormatError {
                kind: ErrorKind::KeyError,
                message: "'missing'".into(),
            });
        }
        Ok(())
    }

    fn get(&mut self, source: ArgSource<'_>, conv: Conv) -> Result<PArg, FormatError> {
        self.calls.push(format!("get {source:?} {conv:?}"));
        Ok(match source {
            ArgSource::Item(i) => self.items[i].clone(),
            ArgSource::Whole => self.items[0].clone(),
            ArgSource::Key(k) => PArg::Str(k.to_uppercase()),
        })
    }
}

fn recorder(shape: ArgsShape, items: Vec<PArg>) -> Recorder {
    Recorder {
        shape,
        items,
        calls: Vec::new(),
    }
}

#[test]
fn percent_asks_for_arguments_in_order() {
    let mut args = recorder(
        ArgsShape::Tuple(3),
        vec![PArg::Int(5.into()), PArg::Float(2.5), PArg::Str("s".into())],
    );
    assert_eq!(percent_format("%*.1f|%s", &mut args).unwrap(), "  2.5|s");
    assert_eq!(
        args.calls,
        [
            "get Item(0) Star",
            "get Item(1) Float('f')",
            "get Item(2) Str"
        ]
    );

    let mut args = recorder(ArgsShape::Mapping, vec![]);
    assert_eq!(percent_format("%(ab)s-%(c)r", &mut args).unwrap(), "AB-C");
    assert_eq!(
        args.calls,
        [
            "lookup ab",
            "get Key(\"ab\") Str",
            "lookup c",
            "get Key(\"c\") Repr"
        ]
    );

    // The caller's own errors come back unchanged.
    let mut args = recorder(ArgsShape::Mapping, vec![]);
    let err = percent_format("%(missing)s", &mut args).unwrap_err();
    assert_eq!(err.kind, ErrorKind::KeyError);

    // An unsupported conversion takes its argument but never converts it; the index
    // counts characters, not bytes.
    let mut args = recorder(ArgsShape::Single, vec![PArg::Int(1.into())]);
    let err = percent_format("é%y", &mut args).unwrap_err();
    assert_eq!(
        err.message,
        "unsupported format character 'y' (0x79) at index 2"
    );
    assert!(args.calls.is_empty());

    // `int(float)` truncation and the o/x/X refusal of floats happen here.
    let mut args = recorder(ArgsShape::Tuple(1), vec![PArg::Float(-7.9)]);
    assert_eq!(percent_format("%05d", &mut args).unwrap(), "-0007");
    let mut args = recorder(ArgsShape::Tuple(1), vec![PArg::Float(7.9)]);
    let err = percent_format("%x", &mut args).unwrap_err();
    assert_eq!(err.kind, ErrorKind::TypeError);
    assert_eq!(err.message, "%x format: an integer is required, not float");
}

/// A `str.format` resolver over ints that logs its calls; `.neg` negates, `[i]` adds.
struct Log {
    calls: Vec<String>,
}

impl FieldResolver for Log {
    type Value = i64;
    type Error = FormatError;

    fn positional(&mut self, index: usize) -> Result<i64, FormatError> {
        self.calls.push(format!("arg {index}"));
        Ok(index as i64 + 10)
    }
    fn keyword(&mut self, name: &str) -> Result<i64, FormatError> {
        self.calls.push(format!("kw {name}"));
        Ok(name.len() as i64)
    }
    fn attribute(&mut self, value: i64, name: &str) -> Result<i64, FormatError> {
        self.calls.push(format!("attr {name}"));
        Ok(-value)
    }
    fn item_index(&mut self, value: i64, index: usize) -> Result<i64, FormatError> {
        self.calls.push(format!("item {index}"));
        Ok(value + index as i64)
    }
    fn item_key(&mut self, value: i64, key: &str) -> Result<i64, FormatError> {
        self.calls.push(format!("key {key}"));
        Ok(value)
    }
    fn convert(&mut self, value: i64, conversion: Conversion) -> Result<i64, FormatError> {
        self.calls.push(format!("convert {conversion:?}"));
        Ok(value)
    }
    fn format_value(&mut self, value: i64, spec: &str) -> Result<String, FormatError> {
        self.calls.push(format!("format {value} {spec:?}"));
        int_format_spec(&value.into(), spec, "int")
    }
}

#[test]
fn render_resolves_fields_lazily_and_in_order() {
    let mut log = Log { calls: Vec::new() };
    let out = render_format_string("<{.neg[2]!r:>{}}>{key[k]}", &mut log).unwrap();
    assert_eq!(out, "<         -8>3");
    assert_eq!(
        log.calls,
        [
            "arg 0",
            "attr neg",
            "item 2",
            "convert Repr",
            "arg 1",
            "format 11 \"\"",
            "format -8 \">11\"",
            "kw key",
            "key k",
            "format 3 \"\""
        ]
    );

    // The malformed accessor is reported only after the lookups before it ran, and a
    // parse error late in the string only after the earlier fields were formatted.
    let mut log = Log { calls: Vec::new() };
    let err = render_format_string("{0.a.}", &mut log).unwrap_err();
    assert_eq!(err.message, "Empty attribute in format string");
    assert_eq!(log.calls, ["arg 0", "attr a"]);
    let mut log = Log { calls: Vec::new() };
    let err = render_format_string("{0}}", &mut log).unwrap_err();
    assert_eq!(err.message, "Single '}' encountered in format string");
    assert_eq!(log.calls, ["arg 0", "format 10 \"\""]);
}

#[test]
fn parsed_pieces() {
    let pieces = parse_format_string("a{{b}}{0.x[1][k]!r:>{w}}c{}").unwrap();
    assert_eq!(
        pieces,
        vec![
            Piece::Literal("a{b}".into()),
            Piece::Field(Field {
                name: "0.x[1][k]".into(),
                conversion: Some('r'),
                spec: ">{w}".into(),
                spec_has_fields: true,
            }),
            Piece::Literal("c".into()),
            Piece::Field(Field {
                name: String::new(),
                conversion: None,
                spec: String::new(),
                spec_has_fields: false,
            }),
        ]
    );
    let Piece::Field(field) = &pieces[1] else {
        unreachable!()
    };
    assert_eq!(
        field.field_name().unwrap(),
        FieldName {
            first: FieldFirst::Index(0),
            rest: vec![
                FieldAccessor::Attr("x".into()),
                FieldAccessor::Index(1),
                FieldAccessor::Key("k".into()),
            ],
        }
    );
    let spec: Vec<Piece> = field.spec_pieces().map(Result::unwrap).collect();
    assert_eq!(spec.len(), 2);
    assert_eq!(
        FieldName::parse("٣").unwrap().first,
        FieldFirst::Index(3),
        "Unicode digits index too"
    );
    assert_eq!(
        FieldName::parse("x]").unwrap().first,
        FieldFirst::Name("x]".into())
    );
    assert_eq!(
        FieldName::parse("0[a]b").unwrap_err().message,
        "Only '.' or '[' may follow ']' in format field specifier"
    );
    assert_eq!(
        FieldName::parse("0[a").unwrap_err().message,
        "Missing ']' in format string"
    );
    assert_eq!(
        parse_format_string("x{0!r").unwrap_err().message,
        "unmatched '{' in format spec"
    );
    // The iterator yields what precedes an error, then the error, then stops.
    let items: Vec<_> = FormatStringIter::new("a{0}b}c").collect();
    assert_eq!(items.len(), 3);
    assert!(items[2].is_err());
}

#[test]
fn auto_numbering() {
    let mut n = AutoNumber::new();
    assert_eq!(n.resolve(&FieldFirst::Auto), Ok(FieldKey::Index(0)));
    assert_eq!(
        n.resolve(&FieldFirst::Name("k".into())),
        Ok(FieldKey::Name("k".into()))
    );
    assert_eq!(n.resolve(&FieldFirst::Auto), Ok(FieldKey::Index(1)));
    assert_eq!(
        n.resolve(&FieldFirst::Index(0)).unwrap_err().message,
        "cannot switch from automatic field numbering to manual field specification"
    );
    let mut n = AutoNumber::new();
    assert_eq!(n.resolve(&FieldFirst::Index(4)), Ok(FieldKey::Index(4)));
    assert_eq!(
        n.resolve(&FieldFirst::Auto).unwrap_err().message,
        "cannot switch from manual field specification to automatic field numbering"
    );
    assert_eq!(
        Conversion::from_char('\u{1}').unwrap_err().message,
        "Unknown conversion specifier \\x1"
    );
}
