//! String formatting: the format-spec mini-language (`format()`, f-strings,
//! `str.format`) and printf-style `%` formatting, with CPython's output.
use num_bigint::BigInt;
use num_traits::Signed;

use crate::types::float::float_repr;
use crate::types::int::{IntRef, as_int, to_str_radix};
use crate::types::str::{StrObj, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm};

#[derive(Default, Debug)]
pub struct Spec {
    pub fill: Option<char>,
    pub align: Option<char>,
    pub sign: Option<char>,
    pub alt: bool,
    pub zero: bool,
    pub width: Option<usize>,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub ty: Option<char>,
}

/// Why a format spec does not parse: CPython's message for a width or precision
/// beyond `Py_ssize_t`, or the generic one.
pub const TOO_MANY_DIGITS: &str = "Too many decimal digits in format string";

/// Digits past this many after the point of an f64's fixed-point form (1074 at most)
/// or of its scientific mantissa (767 at most) are all zeros: the formatters ask Rust
/// (whose precision is a `u16`) for this many and append the zeros themselves.
const EXACT_DIGITS: usize = 1100;

/// A width or precision written in digits, `None` when it overflows `Py_ssize_t`.
fn digits_value(c: &[char]) -> Option<usize> {
    c.iter()
        .collect::<String>()
        .parse::<isize>()
        .ok()
        .map(|n| n as usize)
}

/// Parse a format spec; `Err` carries CPython's `ValueError` message.
pub fn parse_spec(s: &str) -> Result<Spec, &'static str> {
    const INVALID: &str = "Invalid format specifier";
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
    if i < c.len() && matches!(c[i], '+' | '-' | ' ') {
        sp.sign = Some(c[i]);
        i += 1;
    }
    if i < c.len() && c[i] == '#' {
        sp.alt = true;
        i += 1;
    }
    if i < c.len() && c[i] == '0' {
        sp.zero = true;
        i += 1;
    }
    let start = i;
    while i < c.len() && c[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        sp.width = Some(digits_value(&c[start..i]).ok_or(TOO_MANY_DIGITS)?);
    }
    if i < c.len() && (c[i] == ',' || c[i] == '_') {
        sp.grouping = Some(c[i]);
        i += 1;
    }
    if i < c.len() && c[i] == '.' {
        i += 1;
        let start = i;
        while i < c.len() && c[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err("Format specifier missing precision");
        }
        sp.precision = Some(digits_value(&c[start..i]).ok_or(TOO_MANY_DIGITS)?);
    }
    if i < c.len() {
        sp.ty = Some(c[i]);
        i += 1;
    }
    if i != c.len() {
        return Err(INVALID);
    }
    Ok(sp)
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
fn pad(vm: &mut Vm, sp: &Spec, sign: &str, body: &str, numeric: bool) -> PyResult<String> {
    let width = sp.width.unwrap_or(0);
    let len = sign.chars().count() + body.chars().count();
    if len >= width {
        return Ok(format!("{sign}{body}"));
    }
    let fill_n = width - len;
    let (fill, align) = if sp.zero && sp.align.is_none() && numeric {
        ('0', '=')
    } else {
        (
            // A `0` before the width with an explicit alignment pads with zeros.
            sp.fill.unwrap_or(if sp.zero { '0' } else { ' ' }),
            sp.align.unwrap_or(if numeric { '>' } else { '<' }),
        )
    };
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

pub fn format_int(vm: &mut Vm, i: &IntRef, sp: &Spec) -> PyResult<String> {
    let ty = sp.ty.unwrap_or('d');
    if matches!(ty, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
        let f = match i.to_f64() {
            Some(f) => f,
            None => return Err(vm.overflow_error("int too large to convert to float")),
        };
        return format_float(vm, f, sp);
    }
    if sp.precision.is_some() {
        return Err(vm.value_error("Precision not allowed in integer format specifier"));
    }
    let neg = i.is_negative();
    let mag = match i {
        IntRef::Small(n) => BigInt::from(*n).abs(),
        IntRef::Big(b) => b.abs(),
    };
    let (digits, prefix) = match ty {
        'd' | 'n' => (
            crate::types::int_digits::to_decimal(vm, i)?
                .trim_start_matches('-')
                .to_string(),
            "",
        ),
        'x' => (mag.to_str_radix(16), "0x"),
        'X' => (mag.to_str_radix(16).to_uppercase(), "0X"),
        'o' => (mag.to_str_radix(8), "0o"),
        'b' => (mag.to_str_radix(2), "0b"),
        'c' => {
            let c = i.to_i64().and_then(|n| char::from_u32(n as u32));
            return match c {
                Some(c) => pad(vm, sp, "", &c.to_string(), false),
                None => Err(vm.overflow_error("%c arg not in range(0x110000)")),
            };
        }
        _ => {
            return Err(vm.value_error(format!(
                "Unknown format code '{ty}' for object of type 'int'"
            )));
        }
    };
    let every = if ty == 'd' || ty == 'n' { 3 } else { 4 };
    let sign = format!("{}{}", sign_str(neg, sp), if sp.alt { prefix } else { "" });
    let digits = match sp.grouping {
        // Zero padding (no explicit alignment) also gets separators.
        Some(g) if sp.zero && sp.align.is_none() => {
            let width = sp.width.unwrap_or(0).saturating_sub(sign.len());
            zero_pad_grouped(&digits, g, every, width)
        }
        Some(g) => group(&digits, g, every),
        None => digits,
    };
    pad(vm, sp, &sign, &digits, true)
}

/// `f` with `prec` digits after the point (any precision: Rust's stops at `u16`).
fn fixed(f: f64, prec: usize) -> String {
    if prec <= EXACT_DIGITS {
        return format!("{:.*}", prec, f);
    }
    let mut s = format!("{:.*}", EXACT_DIGITS, f);
    s.extend(std::iter::repeat_n('0', prec - EXACT_DIGITS));
    s
}

/// Format `f` with %e-style exponent as Python does (at least two exponent digits).
fn exp_format(f: f64, prec: usize, upper: bool) -> String {
    let s = format!("{:.*e}", prec.min(EXACT_DIGITS), f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let zeros = prec.saturating_sub(EXACT_DIGITS);
    let mut r = String::with_capacity(m.len() + zeros + 5);
    r.push_str(m);
    r.extend(std::iter::repeat_n('0', zeros));
    r.push_str(&format!("e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs()));
    if upper { r.to_uppercase() } else { r }
}

/// `%g`-style formatting with precision `p` (significant digits).
fn general_format(f: f64, p: usize, alt: bool, upper: bool) -> String {
    let p = p.max(1);
    if f == 0.0 {
        let z = if alt {
            fixed(0.0, p - 1)
        } else {
            "0".to_string()
        };
        return if f.is_sign_negative() {
            format!("-{z}")
        } else {
            z
        };
    }
    let e = exp_format(f, p - 1, false);
    let exp: i32 = e
        .split_once('e')
        .map(|(_, x)| x.parse().unwrap_or(0))
        .unwrap_or(0);
    let mut s = if exp < -4 || exp >= p as i32 {
        let (m, x) = e.split_once('e').unwrap_or((&e, ""));
        let m = if alt { m.to_string() } else { strip_zeros(m) };
        format!("{m}e{x}")
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let s = fixed(f, decimals);
        if alt { s } else { strip_zeros(&s) }
    };
    if upper {
        s = s.to_uppercase();
    }
    s
}

fn strip_zeros(s: &str) -> String {
    if s.contains('.') {
        let t = s.trim_end_matches('0');
        t.trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

pub fn format_float(vm: &mut Vm, f: f64, sp: &Spec) -> PyResult<String> {
    if sp.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err(vm.value_error("precision too big"));
    }
    let neg = f.is_sign_negative() && !f.is_nan();
    let a = f.abs();
    let upper = matches!(sp.ty, Some('E' | 'F' | 'G'));
    let body = if !a.is_finite() {
        let s = if a.is_nan() { "nan" } else { "inf" };
        if upper {
            s.to_uppercase()
        } else {
            s.to_string()
        }
    } else {
        match sp.ty {
            Some('f' | 'F') => fixed(a, sp.precision.unwrap_or(6)),
            Some('e' | 'E') => exp_format(a, sp.precision.unwrap_or(6), upper),
            Some('g' | 'G') => general_format(a, sp.precision.unwrap_or(6), sp.alt, upper),
            Some('%') => fixed(a * 100.0, sp.precision.unwrap_or(6)) + "%",
            Some('n') => general_format(a, sp.precision.unwrap_or(6), sp.alt, false),
            None => match sp.precision {
                Some(p) => {
                    let s = general_format(a, p, sp.alt, false);
                    if s.contains(['.', 'e', 'n', 'i']) {
                        s
                    } else {
                        format!("{s}.0")
                    }
                }
                None => float_repr(a),
            },
            Some(c) => {
                return Err(vm.value_error(format!(
                    "Unknown format code '{c}' for object of type 'float'"
                )));
            }
        }
    };
    let sign = sign_str(neg, sp);
    let body = match sp.grouping {
        Some(g) if a.is_finite() => {
            let (int_part, rest) = match body.find(|c: char| !c.is_ascii_digit()) {
                Some(i) => (&body[..i], &body[i..]),
                None => (&body[..], ""),
            };
            let int_part = if sp.zero && sp.align.is_none() {
                // Zero padding (no explicit alignment) also gets separators.
                let width = sp
                    .width
                    .unwrap_or(0)
                    .saturating_sub(sign.len() + rest.len());
                zero_pad_grouped(int_part, g, 3, width)
            } else {
                group(int_part, g, 3)
            };
            format!("{int_part}{rest}")
        }
        _ => body,
    };
    pad(vm, sp, sign, &body, true)
}

/// `format(v, spec)` for builtin values.
pub fn format_value(vm: &mut Vm, v: &Value, spec: &str) -> PyResult<String> {
    let sp = match parse_spec(spec) {
        Ok(sp) => sp,
        Err(TOO_MANY_DIGITS) => return Err(vm.value_error(TOO_MANY_DIGITS)),
        Err(msg) if msg.starts_with("Invalid") => {
            let tn = v.type_data().name.clone();
            return Err(vm.value_error(format!(
                "Invalid format specifier '{spec}' for object of type '{tn}'"
            )));
        }
        Err(msg) => return Err(vm.value_error(msg)),
    };
    if let Some(f) = v.as_float() {
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
        return format_int(vm, &i, &sp);
    }
    if let Some(s) = v.downcast::<StrObj>() {
        if let Some(t) = sp.ty
            && t != 's'
        {
            return Err(vm.value_error(format!(
                "Unknown format code '{t}' for object of type 'str'"
            )));
        }
        if sp.sign.is_some() {
            return Err(vm.value_error("Sign not allowed in string format specifier"));
        }
        let text: String = match sp.precision {
            Some(p) => s.s.chars().take(p).collect(),
            None => s.s.to_string(),
        };
        return pad(vm, &sp, "", &text, false);
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

/// A `*` width or precision argument of `%` formatting, in `lo..=hi` (CPython's
/// `Py_ssize_t` or C `int`, named by `c_type` in the overflow message).
fn star_arg(vm: &mut Vm, v: &Value, lo: i128, hi: i128, c_type: &str) -> PyResult<i64> {
    let Some(n) = as_int(v) else {
        return Err(vm.type_error("* wants int"));
    };
    match n.to_i64() {
        Some(x) if (lo..=hi).contains(&(x as i128)) => Ok(x),
        _ => Err(vm.overflow_error(format!("Python int too large to convert to C {c_type}"))),
    }
}

/// printf-style `fmt % args`.
pub fn percent_format(vm: &mut Vm, fmt: &str, args: &Value) -> PyResult<Value> {
    let is_mapping = args.downcast::<crate::types::dict::DictObj>().is_some();
    let items: Vec<Value> = match args.downcast::<TupleObj>() {
        Some(t) => t.items.to_vec(),
        None => vec![args.clone()],
    };
    let mut next = 0usize;
    let mut out = String::with_capacity(fmt.len() + 16);
    let c: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '%' {
            out.push(c[i]);
            i += 1;
            continue;
        }
        i += 1;
        if i >= c.len() {
            return Err(vm.value_error("incomplete format"));
        }
        let mut key: Option<String> = None;
        if c[i] == '(' {
            let start = i + 1;
            let mut depth = 1;
            i += 1;
            while i < c.len() && depth > 0 {
                if c[i] == '(' {
                    depth += 1;
                } else if c[i] == ')' {
                    depth -= 1;
                }
                i += 1;
            }
            key = Some(c[start..i - 1].iter().collect());
        }
        let mut sp = Spec::default();
        while i < c.len() && matches!(c[i], '-' | '+' | ' ' | '#' | '0') {
            match c[i] {
                '-' => sp.align = Some('<'),
                '+' => sp.sign = Some('+'),
                ' ' => {
                    if sp.sign.is_none() {
                        sp.sign = Some(' ')
                    }
                }
                '#' => sp.alt = true,
                _ => sp.zero = true,
            }
            i += 1;
        }
        let take_arg = |vm: &mut Vm, next: &mut usize| -> PyResult<Value> {
            if let Some(k) = &key {
                return crate::ops::getitem(vm, args, &crate::types::str::new_str(k));
            }
            if *next >= items.len() {
                return Err(vm.type_error("not enough arguments for format string"));
            }
            *next += 1;
            Ok(items[*next - 1].clone())
        };
        if i < c.len() && c[i] == '*' {
            let w = take_arg(vm, &mut next)?;
            let w = star_arg(vm, &w, isize::MIN as i128, isize::MAX as i128, "ssize_t")?;
            if w < 0 {
                // A negative `*` width left-aligns, as the `-` flag.
                sp.align = Some('<');
            }
            sp.width = Some(w.unsigned_abs() as usize);
            i += 1;
        } else {
            let start = i;
            while i < c.len() && c[i].is_ascii_digit() {
                i += 1;
            }
            if i > start {
                sp.width = Some(
                    digits_value(&c[start..i]).ok_or_else(|| vm.value_error("width too big"))?,
                );
            }
        }
        if i < c.len() && c[i] == '.' {
            i += 1;
            if i < c.len() && c[i] == '*' {
                let p = take_arg(vm, &mut next)?;
                let p = star_arg(vm, &p, i32::MIN as i128, i32::MAX as i128, "int")?;
                sp.precision = Some(p.max(0) as usize);
                i += 1;
            } else {
                let start = i;
                while i < c.len() && c[i].is_ascii_digit() {
                    i += 1;
                }
                let p = digits_value(&c[start..i]).unwrap_or(usize::MAX);
                if i > start && p > i32::MAX as usize {
                    return Err(vm.value_error("precision too big"));
                }
                sp.precision = Some(if i > start { p } else { 0 });
            }
        }
        while i < c.len() && matches!(c[i], 'h' | 'l' | 'L') {
            i += 1;
        }
        if i >= c.len() {
            return Err(vm.value_error("incomplete format"));
        }
        let conv = c[i];
        i += 1;
        if conv == '%' {
            out.push('%');
            continue;
        }
        let v = take_arg(vm, &mut next)?;
        let text = match conv {
            's' | 'r' | 'a' => {
                let s = match conv {
                    's' => crate::ops::to_str(vm, &v)?,
                    'r' => crate::ops::repr(vm, &v)?,
                    _ => {
                        let a = crate::ops::ascii_value(vm, &v)?;
                        crate::types::str::as_str(&a).unwrap_or("").to_string()
                    }
                };
                let s: String = match sp.precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                };
                let align = Some(sp.align.unwrap_or('>'));
                pad(
                    vm,
                    &Spec {
                        zero: false,
                        align,
                        ..sp
                    },
                    "",
                    &s,
                    false,
                )?
            }
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let iv = if let Some(f) = v.as_float() {
                    Value::bigint(num_bigint::BigInt::from(f.trunc() as i128))
                } else if as_int(&v).is_some() {
                    v.clone()
                } else {
                    let tn = v.type_data().name.clone();
                    return Err(vm.type_error(format!(
                        "%{conv} format: a real number is required, not {tn}"
                    )));
                };
                let Some(n) = as_int(&iv) else {
                    return Err(vm.type_error("bad int"));
                };
                let mut s = match conv {
                    'x' => to_str_radix(&n, 16),
                    'X' => to_str_radix(&n, 16).to_uppercase(),
                    'o' => to_str_radix(&n, 8),
                    _ => crate::types::int_digits::to_decimal(vm, &n)?,
                };
                let neg = s.starts_with('-');
                if neg {
                    s.remove(0);
                }
                if let Some(p) = sp.precision
                    && s.len() < p
                {
                    s = fill_string(vm, '0', p - s.len())? + &s;
                }
                let prefix = if sp.alt {
                    match conv {
                        'x' => "0x",
                        'X' => "0X",
                        'o' => "0o",
                        _ => "",
                    }
                } else {
                    ""
                };
                let sign = format!("{}{prefix}", sign_str(neg, &sp));
                pad(
                    vm,
                    &Spec {
                        precision: None,
                        ..sp
                    },
                    &sign,
                    &s,
                    true,
                )?
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let f = match v.as_float() {
                    Some(f) => f,
                    None => match as_int(&v).and_then(|i| i.to_f64()) {
                        Some(f) => f,
                        None => {
                            let tn = v.type_data().name.clone();
                            return Err(vm.type_error(format!("must be real number, not {tn}")));
                        }
                    },
                };
                let sp2 = Spec {
                    ty: Some(conv),
                    precision: Some(sp.precision.unwrap_or(6)),
                    ..sp
                };
                format_float(vm, f, &sp2)?
            }
            'c' => {
                let ch = if let Some(s) = crate::types::str::as_str(&v) {
                    s.to_string()
                } else {
                    as_int(&v)
                        .and_then(|n| n.to_i64())
                        .and_then(|n| char::from_u32(n as u32))
                        .map(|c| c.to_string())
                        .unwrap_or_default()
                };
                pad(vm, &sp, "", &ch, false)?
            }
            other => {
                return Err(vm.value_error(format!(
                    "unsupported format character '{other}' (0x{:x}) at index {}",
                    other as u32,
                    i - 1
                )));
            }
        };
        out.push_str(&text);
    }
    if !is_mapping && next < items.len() && args.downcast::<TupleObj>().is_some() {
        return Err(vm.type_error("not all arguments converted during string formatting"));
    }
    if !is_mapping
        && next == 0
        && !items.is_empty()
        && args.downcast::<TupleObj>().is_none()
        && !fmt.contains('%')
    {
        return Err(vm.type_error("not all arguments converted during string formatting"));
    }
    Ok(new_string(out))
}
