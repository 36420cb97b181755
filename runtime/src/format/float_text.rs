//! The text of a float in one presentation type: CPython's `PyOS_double_to_string`,
//! which `format()`, f-strings, `complex.__format__` and `%` formatting all share, so
//! the rounding, the alternate form and the negative-zero rule live here once.
use crate::types::float::float_repr;

/// Digits past this many after the point of an f64's fixed-point form (1074 at most)
/// or of its scientific mantissa (767 at most) are all zeros: the formatters ask Rust
/// (whose precision is a `u16`) for this many and append the zeros themselves.
const EXACT_DIGITS: usize = 1100;

/// `PyOS_double_to_string`'s flags.
#[derive(Clone, Copy, Default)]
pub struct Flags {
    /// `#`: keep the decimal point (and, for `g`, the trailing zeros).
    pub alt: bool,
    /// An integral result without an exponent gets `.0` (`format(1.0, ".3")`).
    pub add_dot_0: bool,
    /// `z` (PEP 682): a result that rounds to zero is printed without its minus sign.
    pub no_neg_0: bool,
}

/// `f` with `prec` digits after the point (any precision: Rust's stops at `u16`).
pub fn fixed(f: f64, prec: usize) -> String {
    if prec <= EXACT_DIGITS {
        return format!("{:.*}", prec, f);
    }
    let mut s = format!("{:.*}", EXACT_DIGITS, f);
    s.extend(std::iter::repeat_n('0', prec - EXACT_DIGITS));
    s
}

/// `f` in %e style with `prec` mantissa decimals (at least two exponent digits).
fn exp_format(f: f64, prec: usize) -> String {
    let s = format!("{:.*e}", prec.min(EXACT_DIGITS), f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let zeros = prec.saturating_sub(EXACT_DIGITS);
    let mut r = String::with_capacity(m.len() + zeros + 5);
    r.push_str(m);
    r.extend(std::iter::repeat_n('0', zeros));
    r.push_str(&format!("e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs()));
    r
}

/// `%g` of a non-negative finite `f` with `p` significant digits. With `add_dot_0`
/// the switch to an exponent comes one digit earlier, as CPython's repr-like `g`.
fn general_format(f: f64, p: usize, flags: Flags) -> String {
    let p = p.max(1);
    if f == 0.0 {
        return if flags.alt {
            fixed(0.0, p - 1)
        } else {
            "0".to_string()
        };
    }
    let e = exp_format(f, p - 1);
    let (mant, x) = e.split_once('e').unwrap_or((&e, "+00"));
    let exp: i64 = x.parse().unwrap_or(0);
    let limit = p as i64 - flags.add_dot_0 as i64;
    if exp < -4 || exp >= limit {
        let m = if flags.alt {
            mant.to_string()
        } else {
            strip_zeros(mant)
        };
        format!("{m}e{x}")
    } else {
        let decimals = (p as i64 - 1 - exp).max(0) as usize;
        let s = fixed(f, decimals);
        if flags.alt { s } else { strip_zeros(&s) }
    }
}

fn strip_zeros(s: &str) -> String {
    if s.contains('.') {
        let t = s.trim_end_matches('0');
        t.trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// `x` in presentation type `code` (`e E f F g G`, or `r` for the shortest repr
/// digits) with `prec` digits, signed: CPython's `PyOS_double_to_string`.
pub fn double_to_string(x: f64, code: char, prec: usize, flags: Flags) -> String {
    let upper = code.is_ascii_uppercase();
    if x.is_nan() {
        // A NaN's sign is never shown.
        return if upper { "NAN" } else { "nan" }.to_string();
    }
    let a = x.abs();
    let mut body = if a.is_infinite() {
        "inf".to_string()
    } else {
        let mut s = match code.to_ascii_lowercase() {
            'f' => fixed(a, prec),
            'e' => exp_format(a, prec),
            'g' => general_format(a, prec, flags),
            _ => {
                let r = float_repr(a);
                match r.strip_suffix(".0") {
                    Some(int) if !flags.add_dot_0 => int.to_string(),
                    _ => r,
                }
            }
        };
        if flags.add_dot_0 && !s.contains(['.', 'e']) {
            s.push_str(".0");
        }
        // The alternate form always shows the decimal point.
        if flags.alt && !s.contains('.') {
            let at = s.find('e').unwrap_or(s.len());
            s.insert(at, '.');
        }
        s
    };
    if upper {
        body.make_ascii_uppercase();
    }
    let zero = body
        .split(['e', 'E'])
        .next()
        .is_some_and(|m| m.bytes().all(|b| b == b'0' || b == b'.'));
    if x.is_sign_negative() && !(flags.no_neg_0 && zero && a.is_finite()) {
        body.insert(0, '-');
    }
    body
}
