//! Character properties and case mappings that Rust's standard library does not give
//! directly, in the form `str` methods need them: Python's `isspace`, decimal / digit /
//! numeric digits, titlecase (`str.title`, `str.capitalize`), case folding, the final
//! sigma rule for per-character lowering, and `isidentifier`.
//!
//! The letter, numeric, printable and identifier properties come from tables generated
//! from CPython 3.11's Unicode 14 database (`unicode_tables.rs`); case mappings are
//! Rust's (a newer Unicode: characters added since 14.0 map where CPython leaves them),
//! with titlecase and case folding corrected by the small tables below. Combining marks
//! and case-ignorable characters (used only by the final sigma rule of `title`,
//! `capitalize` and `swapcase`) are an approximation, documented there.

use super::unicode_tables::{
    ALPHA, ID_CONTINUE_EXTRA, ID_START_EXTRA, ID_START_NOT, NUMERIC, PRINTABLE,
};

/// Python's `str.isspace` for one character: bidirectional class WS, B or S, or
/// category Zs.
pub fn is_space(c: char) -> bool {
    matches!(c, '\t'..='\r' | '\x1c'..='\x1f' | ' ' | '\u{85}' | '\u{a0}')
        || (c as u32 > 0xff && c.is_whitespace())
}

/// Whether `c` ends a line for `str.splitlines`.
pub fn is_linebreak(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// The code points with decimal value 0 (category Nd, Unicode 14): each starts a run of
/// ten decimal digits.
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// The decimal value of a Unicode decimal digit (category Nd).
pub fn decimal_value(c: char) -> Option<u32> {
    let n = c as u32;
    if c.is_ascii_digit() {
        return Some(n - 0x30);
    }
    if n < 0x660 {
        return None;
    }
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= n);
    let zero = DECIMAL_ZEROS[i - 1];
    (n - zero < 10).then_some(n - zero)
}

/// `str.isdecimal` for one character.
pub fn is_decimal(c: char) -> bool {
    decimal_value(c).is_some()
}

/// Digits that are not decimal (Numeric_Type=Digit): superscripts, subscripts, circled
/// and parenthesized digits, and a few scripts' digit signs.
const DIGIT_RANGES: [(u32, u32); 20] = [
    (0xb2, 0xb3),
    (0xb9, 0xb9),
    (0x1369, 0x1371),
    (0x19da, 0x19da),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2460, 0x2468),
    (0x2474, 0x247c),
    (0x2488, 0x2490),
    (0x24ea, 0x24ea),
    (0x24f5, 0x24fd),
    (0x24ff, 0x24ff),
    (0x2776, 0x277e),
    (0x2780, 0x2788),
    (0x278a, 0x2792),
    (0x10a40, 0x10a43),
    (0x10e60, 0x10e68),
    (0x11052, 0x1105a),
    (0x1f100, 0x1f10a),
];

/// `str.isdigit` for one character.
pub fn is_digit(c: char) -> bool {
    if is_decimal(c) {
        return true;
    }
    let n = c as u32;
    DIGIT_RANGES.iter().any(|&(a, b)| (a..=b).contains(&n))
}

/// Whether `c` lies in one of the sorted inclusive `ranges`.
fn in_table(c: char, ranges: &[(u32, u32)]) -> bool {
    let n = c as u32;
    let i = ranges.partition_point(|&(_, hi)| hi < n);
    i < ranges.len() && ranges[i].0 <= n
}

/// `str.isnumeric` for one character.
pub fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_table(c, &NUMERIC)
}

/// `str.isprintable` for one character.
pub fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    in_table(c, &PRINTABLE)
}

/// Combining marks (an approximation of categories Mn, Mc, Me by their main blocks).
pub fn is_mark(c: char) -> bool {
    let n = c as u32;
    const MARKS: [(u32, u32); 42] = [
        (0x300, 0x36f),
        (0x483, 0x489),
        (0x591, 0x5bd),
        (0x5bf, 0x5bf),
        (0x5c1, 0x5c2),
        (0x5c4, 0x5c5),
        (0x5c7, 0x5c7),
        (0x610, 0x61a),
        (0x64b, 0x65f),
        (0x670, 0x670),
        (0x6d6, 0x6dc),
        (0x6df, 0x6e4),
        (0x6e7, 0x6e8),
        (0x6ea, 0x6ed),
        (0x711, 0x711),
        (0x730, 0x74a),
        (0x7a6, 0x7b0),
        (0x900, 0x903),
        (0x93a, 0x93c),
        (0x93e, 0x94f),
        (0x951, 0x957),
        (0x962, 0x963),
        (0x981, 0x983),
        (0x9bc, 0x9bc),
        (0x9be, 0x9cd),
        (0x9d7, 0x9d7),
        (0xa01, 0xa03),
        (0xa3c, 0xa51),
        (0xa81, 0xa83),
        (0xabc, 0xabc),
        (0xabe, 0xacd),
        (0xb01, 0xb03),
        (0xb3c, 0xb3c),
        (0xb3e, 0xb57),
        (0xe31, 0xe31),
        (0xe34, 0xe3a),
        (0xe47, 0xe4e),
        (0x1ab0, 0x1aff),
        (0x1dc0, 0x1dff),
        (0x20d0, 0x20f0),
        (0x302a, 0x302f),
        (0xfe20, 0xfe2f),
    ];
    n >= 0x300 && MARKS.iter().any(|&(a, b)| (a..=b).contains(&n))
}

/// `str.isalpha` for one character (categories L*).
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_table(c, &ALPHA)
}

/// `str.isalnum` for one character.
pub fn is_alnum(c: char) -> bool {
    is_alpha(c) || is_numeric(c)
}

/// Titlecase letters (category Lt).
pub fn is_titlecase(c: char) -> bool {
    matches!(c as u32,
        0x1c5 | 0x1c8 | 0x1cb | 0x1f2 | 0x1f88..=0x1f8f | 0x1f98..=0x1f9f | 0x1fa8..=0x1faf
        | 0x1fbc | 0x1fcc | 0x1ffc)
}

/// Cased characters (Lowercase, Uppercase or titlecase).
pub fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || is_titlecase(c)
}

/// Case-ignorable characters for the final sigma rule (approximation: marks, modifier
/// letters and symbols, and the word-internal punctuation Unicode lists).
pub fn is_case_ignorable(c: char) -> bool {
    matches!(
        c,
        '\'' | '.'
            | ':'
            | '^'
            | '`'
            | '\u{a8}'
            | '\u{ad}'
            | '\u{af}'
            | '\u{b4}'
            | '\u{b7}'
            | '\u{b8}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{2024}'
            | '\u{2027}'
    ) || (0x2b0..=0x2ff).contains(&(c as u32))
        || is_mark(c)
        || (0x200b..=0x200f).contains(&(c as u32))
}

/// Whether the capital sigma at `i` is word-final (lowers to `ς`).
fn final_sigma(chars: &[char], i: usize) -> bool {
    let mut j = i;
    let mut before = false;
    while j > 0 {
        j -= 1;
        if is_case_ignorable(chars[j]) {
            continue;
        }
        before = is_cased(chars[j]);
        break;
    }
    if !before {
        return false;
    }
    for &c in &chars[i + 1..] {
        if is_case_ignorable(c) {
            continue;
        }
        return !is_cased(c);
    }
    true
}

/// Appends the lowercase of `chars[i]` (in context, for the final sigma).
pub fn push_lower_at(chars: &[char], i: usize, out: &mut String) {
    let c = chars[i];
    if c == 'Σ' {
        out.push(if final_sigma(chars, i) { 'ς' } else { 'σ' });
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Appends the titlecase mapping of `c`.
pub fn push_title(c: char, out: &mut String) {
    let n = c as u32;
    let special: Option<&str> = match n {
        0x1c4..=0x1c6 => Some("\u{1c5}"),
        0x1c7..=0x1c9 => Some("\u{1c8}"),
        0x1ca..=0x1cc => Some("\u{1cb}"),
        0x1f1..=0x1f3 => Some("\u{1f2}"),
        0x149 => Some("\u{2bc}N"),
        0x1fb2 => Some("\u{1fba}\u{345}"),
        0x1fb4 => Some("\u{386}\u{345}"),
        0x1fb7 => Some("\u{391}\u{342}\u{345}"),
        0x1fc2 => Some("\u{1fca}\u{345}"),
        0x1fc4 => Some("\u{389}\u{345}"),
        0x1fc7 => Some("\u{397}\u{342}\u{345}"),
        0x1ff2 => Some("\u{1ffa}\u{345}"),
        0x1ff4 => Some("\u{38f}\u{345}"),
        0x1ff7 => Some("\u{3a9}\u{342}\u{345}"),
        _ => None,
    };
    if let Some(s) = special {
        out.push_str(s);
        return;
    }
    if matches!(n, 0x10d0..=0x10fa | 0x10fd..=0x10ff) {
        // Georgian Mkhedruli letters are their own titlecase.
        out.push(c);
        return;
    }
    let iota = match n {
        0x1f80..=0x1f87 | 0x1f90..=0x1f97 | 0x1fa0..=0x1fa7 => Some(n + 8),
        0x1f88..=0x1f8f | 0x1f98..=0x1f9f | 0x1fa8..=0x1faf | 0x1fbc | 0x1fcc | 0x1ffc => Some(n),
        0x1fb3 => Some(0x1fbc),
        0x1fc3 => Some(0x1fcc),
        0x1ff3 => Some(0x1ffc),
        _ => None,
    };
    if let Some(t) = iota.and_then(char::from_u32) {
        out.push(t);
        return;
    }
    let mut up = c.to_uppercase();
    if let Some(first) = up.next() {
        out.push(first);
        for r in up {
            out.extend(r.to_lowercase());
        }
    }
}

/// Appends the full case folding of `c` (`str.casefold`).
pub fn push_casefold(c: char, out: &mut String) {
    let n = c as u32;
    match n {
        0x131 => out.push(c),         // dotless i does not fold
        0x1e9e => out.push_str("ss"), // capital sharp s
        0xab70..=0xabbf => out.extend(char::from_u32(n - 0xab70 + 0x13a0)),
        0x13f8..=0x13fd => out.extend(char::from_u32(n - 8)),
        0x13a0..=0x13f5 => out.push(c), // Cherokee folds to its capitals
        _ if is_titlecase(c) && (0x1f88..=0x1ffc).contains(&n) => {
            // Greek capitals with prosgegrammeni fold to letter + iota.
            for u in c.to_uppercase() {
                out.extend(u.to_lowercase());
            }
        }
        _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        _ => {
            let mut lower = c.to_lowercase();
            if lower.len() != 1 || lower.next() != Some(c) {
                out.extend(c.to_lowercase());
                return;
            }
            // Lowercase or uncased: fold through the uppercase (ß -> SS -> ss,
            // ς -> Σ -> σ, µ -> Μ -> μ, ligatures).
            for u in c.to_uppercase() {
                out.extend(u.to_lowercase());
            }
        }
    }
}

/// XID_Start, or `_`.
fn id_start(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_';
    }
    (is_alpha(c) && !in_table(c, &ID_START_NOT)) || in_table(c, &ID_START_EXTRA)
}

/// `str.isidentifier`: an XID_Start character (or `_`), then XID_Continue ones.
pub fn is_identifier(s: &str) -> bool {
    let mut it = s.chars();
    match it.next() {
        Some(first) if id_start(first) => {
            it.all(|c| c.is_ascii_digit() || id_start(c) || in_table(c, &ID_CONTINUE_EXTRA))
        }
        _ => false,
    }
}
