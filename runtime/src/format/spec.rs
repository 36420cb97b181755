//! The format-spec mini-language (`format()`, f-strings, `str.format`) for the builtin
//! types, with CPython's output and messages (`Python/formatter_unicode.c`).
use num_bigint::BigInt;
use num_traits::Signed;

use super::float_text::{Flags, double_to_string};
use crate::types::complex::ComplexObj;
use crate::types::int::{IntRef, as_int};
use crate::types::str::StrObj;
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm};

/// A parsed spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Default, Debug, Clone)]
pub struct Spec {
    pub fill: Option<char>,
    pub align: Option<char>,
    pub sign: Option<char>,
    /// `z`: negative zero coerced to zero (PEP 682).
    pub no_neg_0: bool,
    pub alt: bool,
    /// The `0` before the width (only when no fill was given).
    pub zero: bool,
    pub width: Option<usize>,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub ty: Option<char>,
}

/// Why a spec does not parse.
pub enum SpecError {
    /// Characters left after the type: CPython names the spec and the value's type.
    Invalid,
    /// Any other `ValueError`, with its message.
    Message(String),
}

/// CPython's message for a width or precision beyond `Py_ssize_t`.
pub const TOO_MANY_DIGITS: &str = "Too many decimal digits in format string";

/// A width or precision written in digits, `None` when it overflows `Py_ssize_t`.
fn digits_value(c: &[char]) -> Option<usize> {
    let mut n: usize = 0;
    for &d in c {
        n = n
            .checked_mul(10)?
            .checked_add((d as u32 - '0' as u32) as usize)?;
    }
    (n <= isize::MAX as usize).then_some(n)
}

/// Parse a spec as CPython's `parse_internal_render_format_spec` does, up to the checks
/// that need the value's type.
pub fn parse_spec(s: &str) -> Result<Spec, SpecError> {
    let both = || SpecError::Message("Cannot specify both ',' and '_'.".into());
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut sp = Spec::default();
    let is_align = |ch: char| matches!(ch, '<' | '>' | '^' | '=');
    if c.len() >= 2 && is_align(c[1]) {
        sp.fill = Some(c[0]);
        sp.align = Some(c[1]);
        i = 2;
    } else if !c.is_empty() && is_align(c[0]) {
        sp.align = Some(c[0]);
        i = 1;
    }
    let at = |i: usize, ch: char| c.get(i) == Some(&ch);
    if i < c.len() && matches!(c[i], '+' | '-' | ' ') {
        sp.sign = Some(c[i]);
        i += 1;
    }
    if at(i, 'z') {
        sp.no_neg_0 = true;
        i += 1;
    }
    if at(i, '#') {
        sp.alt = true;
        i += 1;
    }
    // A `0` after an explicit fill is the width's first digit.
    if sp.fill.is_none() && at(i, '0') {
        sp.zero = true;
        i += 1;
    }
    let start = i;
    while i < c.len() && c[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        let w = digits_value(&c[start..i]);
        sp.width = Some(w.ok_or_else(|| SpecError::Message(TOO_MANY_DIGITS.into()))?);
    }
    if at(i, ',') {
        sp.grouping = Some(',');
        i += 1;
    }
    if at(i, '_') {
        if sp.grouping.is_some() {
            return Err(both());
        }
        sp.grouping = Some('_');
        i += 1;
    }
    if at(i, ',') && sp.grouping == Some('_') {
        return Err(both());
    }
    if at(i, '.') {
        i += 1;
        let start = i;
        while i < c.len() && c[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(SpecError::Message(
                "Format specifier missing precision".into(),
            ));
        }
        let p = digits_value(&c[start..i]);
        sp.precision = Some(p.ok_or_else(|| SpecError::Message(TOO_MANY_DIGITS.into()))?);
    }
    match c.len() - i {
        0 => {}
        1 => sp.ty = Some(c[i]),
        _ => return Err(SpecError::Invalid),
    }
    Ok(sp)
}

/// A presentation type as CPython's messages quote it: `'x'`, or `'\x..'` for one
/// outside printable ASCII.
fn quoted_code(t: char) -> String {
    if (33..128).contains(&(t as u32)) {
        format!("'{t}'")
    } else {
        format!("'\\x{:x}'", t as u32)
    }
}

fn unknown_code(vm: &mut Vm, t: char, type_name: &str) -> PyErr {
    vm.value_error(format!(
        "Unknown format code {} for object of type '{type_name}'",
        quoted_code(t)
    ))
}

/// The grouping option against the presentation type (`default` when none is given):
/// CPython's last parse check, made before the type itself is looked at.
fn check_grouping(vm: &mut Vm, sp: &Spec, default: Option<char>) -> PyResult<()> {
    let Some(g) = sp.grouping else {
        return Ok(());
    };
    match sp.ty.or(default) {
        None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | '\0') => Ok(()),
        Some('b' | 'o' | 'x' | 'X') if g == '_' => Ok(()),
        Some(t) => Err(vm.value_error(format!("Cannot specify '{g}' with {}.", quoted_code(t)))),
    }
}

/// The fill character and alignment in effect: the `0` option is a `0` fill, aligned
/// after the sign (`=`) where the type aligns right by default.
fn fill_align(sp: &Spec, default_align: char) -> (char, char) {
    let fill = sp.fill.unwrap_or(if sp.zero { '0' } else { ' ' });
    let align = sp.align.unwrap_or(if sp.zero && default_align == '>' {
        '='
    } else {
        default_align
    });
    (fill, align)
}

fn group(digits: &str, sep: char, every: usize) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / every);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// A string of `n` `fill` characters; `MemoryError` (as CPython) when it cannot be
/// allocated instead of Rust's abort.
fn fill_string(vm: &mut Vm, fill: char, n: usize) -> PyResult<String> {
    let mut out = String::new();
    if n.checked_mul(fill.len_utf8())
        .is_none_or(|bytes| out.try_reserve_exact(bytes).is_err())
    {
        return Err(PyErr {
            exc: vm.new_exception(crate::world::types().memory_error, vec![]),
        });
    }
    out.extend(std::iter::repeat_n(fill, n));
    Ok(out)
}

/// Pad `body` (with its sign/prefix already separated) to the spec's width.
fn pad(vm: &mut Vm, sp: &Spec, sign: &str, body: &str, default_align: char) -> PyResult<String> {
    let width = sp.width.unwrap_or(0);
    let len = sign.chars().count() + body.chars().count();
    if len >= width {
        return Ok(format!("{sign}{body}"));
    }
    let fill_n = width - len;
    let (fill, align) = fill_align(sp, default_align);
    let (left, right) = match align {
        '<' => (0, fill_n),
        '^' => (fill_n / 2, fill_n - fill_n / 2),
        _ => (fill_n, 0),
    };
    let left = fill_string(vm, fill, left)?;
    let right = fill_string(vm, fill, right)?;
    Ok(if align == '=' {
        format!("{sign}{left}{body}")
    } else {
        format!("{left}{sign}{body}{right}")
    })
}

/// `digits` (an integer part) zero-padded so that, grouped with `sep` every `every`
/// digits, it is at least `width` characters long (a group separator never leads).
fn zero_pad_grouped(digits: &str, sep: char, every: usize, width: usize) -> String {
    let grouped_len = |d: usize| d + d.saturating_sub(1) / every;
    let mut d = digits.len().max(width * every / (every + 1));
    while d > digits.len() && grouped_len(d - 1) >= width {
        d -= 1;
    }
    while grouped_len(d) < width {
        d += 1;
    }
    let mut padded = "0".repeat(d - digits.len());
    padded.push_str(digits);
    group(&padded, sep, every)
}

/// The leading decimal digits of a formatted float, and the rest.
fn split_int_part(body: &str) -> (&str, &str) {
    body.split_at(
        body.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len()),
    )
}

/// `int_part` grouped with `sep` and followed by `rest`; zero padding (a `0` fill
/// aligned after the sign) gets separators too, up to `width` less the `other`
/// characters.
fn grouped(
    sp: &Spec,
    (int_part, rest): (&str, &str),
    sep: char,
    every: usize,
    other: usize,
) -> String {
    let int_part = if fill_align(sp, '>') == ('0', '=') {
        let width = sp.width.unwrap_or(0).saturating_sub(other + rest.len());
        zero_pad_grouped(int_part, sep, every, width)
    } else {
        group(int_part, sep, every)
    };
    format!("{int_part}{rest}")
}

fn sign_str(neg: bool, sp: &Spec) -> &'static str {
    if neg {
        "-"
    } else {
        match sp.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    }
}

/// `int.__format__`.
pub fn format_int(vm: &mut Vm, i: &IntRef, sp: &Spec) -> PyResult<String> {
    check_grouping(vm, sp, Some('d'))?;
    let ty = sp.ty.unwrap_or('d');
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            let Some(f) = i.to_f64() else {
                return Err(vm.overflow_error("int too large to convert to float"));
            };
            return format_float(vm, f, sp);
        }
        _ => return Err(unknown_code(vm, ty, "int")),
    }
    if sp.precision.is_some() {
        return Err(vm.value_error("Precision not allowed in integer format specifier"));
    }
    if sp.no_neg_0 {
        return Err(
            vm.value_error("Negative zero coercion (z) not allowed in integer format specifier")
        );
    }
    if ty == 'c' {
        if sp.sign.is_some() {
            return Err(vm.value_error("Sign not allowed with integer format specifier 'c'"));
        }
        if sp.alt {
            return Err(
                vm.value_error("Alternate form (#) not allowed with integer format specifier 'c'")
            );
        }
        let c = i
            .to_i64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n < 0x110000)
            .map(|n| match char::from_u32(n) {
                Some(c) => c,
                None => crate::types::str::surrogate_char(n),
            });
        return match c {
            Some(c) => pad(vm, sp, "", &c.to_string(), '>'),
            None => Err(vm.overflow_error("%c arg not in range(0x110000)")),
        };
    }
    let neg = i.is_negative();
    let mag = match i {
        IntRef::Small(n) => BigInt::from(*n).abs(),
        IntRef::Big(b) => b.abs(),
    };
    let (digits, prefix) = match ty {
        'x' => (mag.to_str_radix(16), "0x"),
        'X' => (mag.to_str_radix(16).to_uppercase(), "0X"),
        'o' => (mag.to_str_radix(8), "0o"),
        'b' => (mag.to_str_radix(2), "0b"),
        _ => (
            crate::types::int_digits::to_decimal(vm, i)?
                .trim_start_matches('-')
                .to_string(),
            "",
        ),
    };
    let every = if ty == 'd' || ty == 'n' { 3 } else { 4 };
    let sign = format!("{}{}", sign_str(neg, sp), if sp.alt { prefix } else { "" });
    let digits = match sp.grouping {
        Some(g) => grouped(sp, (&digits, ""), g, every, sign.len()),
        None => digits,
    };
    pad(vm, sp, &sign, &digits, '>')
}

/// `float.__format__` (and the float presentation types of `int.__format__`).
pub fn format_float(vm: &mut Vm, f: f64, sp: &Spec) -> PyResult<String> {
    check_grouping(vm, sp, None)?;
    let ty = sp.ty.filter(|&t| t != '\0');
    if let Some(t) = ty
        && !matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%')
    {
        return Err(unknown_code(vm, t, "float"));
    }
    if sp.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err(vm.value_error("precision too big"));
    }
    let flags = Flags {
        alt: sp.alt,
        // No type: like repr, or like `g` with a precision, always with a decimal point.
        add_dot_0: ty.is_none(),
        no_neg_0: sp.no_neg_0,
    };
    let (code, prec, x) = match (ty, sp.precision) {
        (None, None) => ('r', 0, f),
        (None, Some(p)) => ('g', p, f),
        (Some('n'), p) => ('g', p.unwrap_or(6), f),
        (Some('%'), p) => ('f', p.unwrap_or(6), f * 100.0),
        (Some(t), p) => (t, p.unwrap_or(6), f),
    };
    let mut text = double_to_string(x, code, prec, flags);
    if ty == Some('%') {
        text.push('%');
    }
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, &text[..]),
    };
    let sign = sign_str(neg, sp);
    let body = match sp.grouping {
        Some(g) if f.is_finite() => grouped(sp, split_int_part(body), g, 3, sign.len()),
        _ => body.to_string(),
    };
    pad(vm, sp, sign, &body, '>')
}

/// `complex.__format__`: each part formatted as a float, the imaginary one always
/// signed unless the real one is left out (no type and a real part of +0.0, as
/// `str()`), parenthesised when no type is given and the real part shows.
pub fn format_complex(vm: &mut Vm, re: f64, im: f64, sp: &Spec) -> PyResult<String> {
    check_grouping(vm, sp, None)?;
    let ty = sp.ty.filter(|&t| t != '\0');
    if let Some(t) = ty
        && !matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n')
    {
        return Err(unknown_code(vm, t, "complex"));
    }
    if sp.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err(vm.value_error("precision too big"));
    }
    let (fill, align) = fill_align(sp, '>');
    if fill == '0' {
        return Err(vm.value_error("Zero padding is not allowed in complex format specifier"));
    }
    if align == '=' {
        return Err(vm.value_error("'=' alignment flag is not allowed in complex format specifier"));
    }
    let skip_re = ty.is_none() && re == 0.0 && re.is_sign_positive();
    let parens = ty.is_none() && !skip_re;
    let (code, prec) = match (ty, sp.precision) {
        (None, None) => ('r', 0),
        (None | Some('n'), p) => ('g', p.unwrap_or(6)),
        (Some(t), p) => (t, p.unwrap_or(6)),
    };
    let flags = Flags {
        alt: sp.alt,
        add_dot_0: false,
        no_neg_0: sp.no_neg_0,
    };
    let part = |x: f64, forced_plus: bool| {
        let text = double_to_string(x, code, prec, flags);
        let (neg, body) = match text.strip_prefix('-') {
            Some(b) => (true, b.to_string()),
            None => (false, text.clone()),
        };
        let sign = if forced_plus && !neg {
            "+"
        } else {
            sign_str(neg, sp)
        };
        let body = match sp.grouping {
            Some(g) if x.is_finite() => grouped(sp, split_int_part(&body), g, 3, 0),
            _ => body,
        };
        format!("{sign}{body}")
    };
    let mut out = String::new();
    if parens {
        out.push('(');
    }
    if !skip_re {
        out.push_str(&part(re, false));
    }
    out.push_str(&part(im, !skip_re));
    out.push('j');
    if parens {
        out.push(')');
    }
    pad(vm, sp, "", &out, align)
}

/// `str.__format__`.
fn format_str(vm: &mut Vm, s: &StrObj, sp: &Spec) -> PyResult<String> {
    check_grouping(vm, sp, Some('s'))?;
    if let Some(t) = sp.ty
        && t != 's'
    {
        return Err(unknown_code(vm, t, "str"));
    }
    match sp.sign {
        Some(' ') => return Err(vm.value_error("Space not allowed in string format specifier")),
        Some(_) => return Err(vm.value_error("Sign not allowed in string format specifier")),
        None => {}
    }
    if sp.no_neg_0 {
        return Err(
            vm.value_error("Negative zero coercion (z) not allowed in string format specifier")
        );
    }
    if sp.alt {
        return Err(vm.value_error("Alternate form (#) not allowed in string format specifier"));
    }
    if sp.align == Some('=') {
        return Err(vm.value_error("'=' alignment not allowed in string format specifier"));
    }
    let text: String = match sp.precision {
        Some(p) => s.s.chars().take(p).collect(),
        None => s.s.to_string(),
    };
    pad(vm, sp, "", &text, '<')
}

/// `format(v, spec)` for builtin values.
pub fn format_value(vm: &mut Vm, v: &Value, spec: &str) -> PyResult<String> {
    if let Some(f) = v.as_float() {
        let sp = parsed(vm, v, spec)?;
        return format_float(vm, f, &sp);
    }
    if let Some(i) = as_int(v) {
        if v.is_bool() && spec.is_empty() {
            return Ok(if v.is_true_singleton() {
                "True".into()
            } else {
                "False".into()
            });
        }
        let sp = parsed(vm, v, spec)?;
        return format_int(vm, &i, &sp);
    }
    if let Some(c) = v.downcast::<ComplexObj>() {
        if spec.is_empty() {
            return crate::ops::to_str(vm, v);
        }
        let (re, im) = (c.re, c.im);
        let sp = parsed(vm, v, spec)?;
        return format_complex(vm, re, im, &sp);
    }
    if let Some(s) = v.downcast::<StrObj>() {
        let sp = parsed(vm, v, spec)?;
        return format_str(vm, s, &sp);
    }
    let s = crate::ops::to_str(vm, v)?;
    if !spec.is_empty() {
        let tn = v.type_data().name.clone();
        return Err(vm.type_error(format!(
            "unsupported format string passed to {tn}.__format__"
        )));
    }
    Ok(s)
}

/// `spec` parsed for `v`, or CPython's `ValueError`.
fn parsed(vm: &mut Vm, v: &Value, spec: &str) -> PyResult<Spec> {
    match parse_spec(spec) {
        Ok(sp) => Ok(sp),
        Err(SpecError::Invalid) => {
            let tn = v.type_data().name.clone();
            Err(vm.value_error(format!(
                "Invalid format specifier '{spec}' for object of type '{tn}'"
            )))
        }
        Err(SpecError::Message(m)) => Err(vm.value_error(m)),
    }
}
