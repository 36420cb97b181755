//! Decimal strings: parsing the specification's numeric-string syntax (what
//! `Decimal(str)` and `Context.create_decimal(str)` accept) and writing scientific and
//! engineering strings (`str()`, `to_eng_string()`).
use super::coeff::Coeff;
use super::number::{Dec, Kind};

/// Exponents past this are clamped while parsing: far outside any context's range
/// (|exponent| <= 10^18), so the result still overflows or underflows as it should,
/// and arithmetic on it cannot overflow an i64.
const EXP_LIMIT: i64 = 4_000_000_000_000_000_000;

/// The ASCII form of a numeric string as CPython's `numeric_as_ascii` makes it:
/// optionally stripped of surrounding whitespace and of underscores, Unicode decimal
/// digits mapped to ASCII, other whitespace to a space. None: a character that cannot
/// be part of a number (a syntax error).
pub fn ascii_form(s: &str, strip_ws: bool, ignore_underscores: bool) -> Option<String> {
    let s = if strip_ws {
        s.trim_matches(is_py_space)
    } else {
        s
    };
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ignore_underscores && ch == '_' {
            continue;
        }
        if ch != '\0' && ch.is_ascii() {
            out.push(ch);
            continue;
        }
        if is_py_space(ch) {
            out.push(' ');
            continue;
        }
        out.push((b'0' + unicode_digit(ch)?) as char);
    }
    Some(out)
}

/// The value of a non-ASCII Unicode decimal digit (`int()` of it), None for any
/// other character.
fn unicode_digit(ch: char) -> Option<u8> {
    crate::modules::unicodedata::decimal_digit(ch)
}

/// `str.isspace()`'s whitespace.
fn is_py_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\x1c'..='\x1f' | ' ' | '\u{85}'
    ) || (c as u32 > 127 && c.is_whitespace())
}

/// Parse a numeric string (already in ASCII form). None: not valid syntax.
pub fn parse(s: &str) -> Option<Dec> {
    let b = s.as_bytes();
    let (neg, rest) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let lower = |x: &[u8]| x.to_ascii_lowercase();
    let l = lower(rest);
    if l == b"inf" || l == b"infinity" {
        return Some(Dec::inf(neg));
    }
    for (prefix, kind) in [(&b"snan"[..], Kind::SNaN), (&b"nan"[..], Kind::NaN)] {
        if l.starts_with(prefix) {
            let payload = &rest[prefix.len()..];
            if !payload.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let first = payload
                .iter()
                .position(|&d| d != b'0')
                .unwrap_or(payload.len());
            let digits = &payload[first..];
            let coeff = if digits.is_empty() {
                Coeff::ZERO
            } else {
                Coeff::parse(digits)
            };
            return Some(Dec {
                neg,
                kind,
                coeff,
                exp: 0,
            });
        }
    }
    // digits [. digits] [e exp]
    let mut i = 0;
    let mut int_digits: Vec<u8> = Vec::new();
    let mut frac_len: i64 = 0;
    let mut seen_digit = false;
    while i < rest.len() && rest[i].is_ascii_digit() {
        int_digits.push(rest[i]);
        seen_digit = true;
        i += 1;
    }
    if i < rest.len() && rest[i] == b'.' {
        i += 1;
        while i < rest.len() && rest[i].is_ascii_digit() {
            int_digits.push(rest[i]);
            frac_len += 1;
            seen_digit = true;
            i += 1;
        }
    }
    if !seen_digit {
        return None;
    }
    let mut exp: i64 = 0;
    if i < rest.len() && (rest[i] == b'e' || rest[i] == b'E') {
        i += 1;
        let eneg = match rest.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while i < rest.len() && rest[i].is_ascii_digit() {
            exp = (exp
                .saturating_mul(10)
                .saturating_add((rest[i] - b'0') as i64))
            .min(EXP_LIMIT);
            i += 1;
        }
        if i == start {
            return None;
        }
        if eneg {
            exp = -exp;
        }
    }
    if i != rest.len() {
        return None;
    }
    let first = int_digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(int_digits.len());
    let digits = &int_digits[first..];
    let coeff = if digits.is_empty() {
        Coeff::ZERO
    } else {
        Coeff::parse(digits)
    };
    Some(Dec::finite(neg, coeff, exp - frac_len))
}

/// The scientific (`eng == false`) or engineering string of `d` (`__str__`).
pub fn to_string(d: &Dec, eng: bool, capitals: bool) -> String {
    let mut out = String::new();
    if d.neg {
        out.push('-');
    }
    match d.kind {
        Kind::Inf => {
            out.push_str("Infinity");
            return out;
        }
        Kind::NaN | Kind::SNaN => {
            out.push_str(if d.kind == Kind::SNaN { "sNaN" } else { "NaN" });
            if !d.coeff.is_zero() {
                out.push_str(&d.coeff.to_decimal_string());
            }
            return out;
        }
        Kind::Finite => {}
    }
    let int = d.coeff.to_decimal_string();
    let n = int.len() as i64;
    let leftdigits = d.exp + n;
    let dotplace = if d.exp <= 0 && leftdigits > -6 {
        leftdigits
    } else if !eng {
        1
    } else if d.coeff.is_zero() {
        (leftdigits + 1).rem_euclid(3) - 1
    } else {
        (leftdigits - 1).rem_euclid(3) + 1
    };
    if dotplace <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-dotplace) as usize));
        out.push_str(&int);
    } else if dotplace >= n {
        out.push_str(&int);
        out.extend(std::iter::repeat_n('0', (dotplace - n) as usize));
    } else {
        out.push_str(&int[..dotplace as usize]);
        out.push('.');
        out.push_str(&int[dotplace as usize..]);
    }
    if leftdigits != dotplace {
        out.push(if capitals { 'E' } else { 'e' });
        let e = leftdigits - dotplace;
        if e >= 0 {
            out.push('+');
        }
        out.push_str(&e.to_string());
    }
    out
}
