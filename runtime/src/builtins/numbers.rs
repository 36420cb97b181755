//! int and float: constructors and methods.
use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use super::{add_method, method_args, type_name};
use crate::ops;
use crate::types::int::{IntRef, as_int};
use crate::types::str::{StrObj, as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, lookup_special};
use crate::world::Types;

pub fn install(t: &Types) {
    add_method(t.int, "bit_length", int_bit_length);
    add_method(t.int, "bit_count", int_bit_count);
    add_method(t.int, "conjugate", int_conjugate);
    add_method(t.int, "as_integer_ratio", int_as_integer_ratio);
    add_method(t.int, "__index__", int_conjugate);
    add_method(t.int, "__int__", int_conjugate);
    add_method(t.float, "is_integer", float_is_integer);
    add_method(t.float, "as_integer_ratio", float_as_integer_ratio);
    add_method(t.float, "conjugate", float_conjugate);
    add_method(t.float, "__float__", float_conjugate);
    add_method(t.float, "hex", float_hex);
    add_method(t.complex, "conjugate", complex_conjugate);
    super::add_static(t.float, "fromhex", float_fromhex);
    super::add_classmethod(t.float, "__getformat__", float_getformat);
}

/// `float.__getformat__(typestr)`: the storage format of C doubles and floats.
fn float_getformat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, r) = method_args(vm, "__getformat__", a, 1, 1)?;
    match as_str(&r[0]) {
        Some("double" | "float") => Ok(crate::types::str::new_str("IEEE, little-endian")),
        Some(_) => Err(vm.value_error("__getformat__() argument 1 must be 'double' or 'float'")),
        None => {
            let tn = type_name(&r[0]);
            Err(vm.type_error(format!("__getformat__() argument must be str, not {tn}")))
        }
    }
}

/// Parse an int literal the way `int(str, base)` does.
pub fn parse_int(s: &str, base: u32) -> Option<BigInt> {
    let t = s.trim();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.to_ascii_lowercase();
    let (digits, base) = {
        let pre = |p: &str, b: u32| lower.strip_prefix(p).map(|r| (r.to_string(), b));
        match base {
            0 => pre("0x", 16)
                .or_else(|| pre("0o", 8))
                .or_else(|| pre("0b", 2))
                .unwrap_or((lower.clone(), 10)),
            16 => pre("0x", 16).unwrap_or((lower.clone(), 16)),
            8 => pre("0o", 8).unwrap_or((lower.clone(), 8)),
            2 => pre("0b", 2).unwrap_or((lower.clone(), 2)),
            b => (lower.clone(), b),
        }
    };
    let digits = digits.strip_prefix('_').unwrap_or(&digits).to_string();
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    let v = BigInt::parse_bytes(clean.as_bytes(), base)?;
    Some(if neg { -v } else { v })
}

pub fn int_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    // `int([x], /, base=10)`: x is positional-only.
    if let Some((k, _)) = a.kw().find(|(k, _)| *k != "base") {
        return Err(vm.type_error(format!("'{k}' is an invalid keyword argument for int()")));
    }
    if p.len() > 2 {
        let n = p.len() + a.kw().count();
        return Err(vm.type_error(format!("int() takes at most 2 arguments ({n} given)")));
    }
    let x = p.first();
    let base = p.get(1).or_else(|| a.get_kw("base"));
    let Some(x) = x else {
        if base.is_some() {
            return Err(vm.type_error("int() missing string argument"));
        }
        return Ok(Value::int(0));
    };
    if let Some(b) = base {
        let b = ops::to_isize(vm, b)?;
        if b != 0 && !(2..=36).contains(&b) {
            return Err(vm.value_error("int() base must be >= 2 and <= 36, or 0"));
        }
        let text = match as_str(x) {
            Some(s) => crate::modules::unicodedata::ascii_digits(s).into_owned(),
            None => match crate::types::bytes::as_bytes(x) {
                Some(d) => String::from_utf8_lossy(&d).into_owned(),
                None => {
                    return Err(vm.type_error("int() can't convert non-string with explicit base"));
                }
            },
        };
        crate::types::int_digits::check_parse(vm, &text, b as u32)?;
        return match parse_int(&text, b as u32) {
            Some(v) => Ok(Value::bigint(v)),
            None => {
                let r = crate::ops::repr(vm, x)?;
                Err(vm.value_error(format!("invalid literal for int() with base {b}: {r}")))
            }
        };
    }
    if x.downcast::<StrObj>().is_none()
        && let Some(d) = crate::types::bytes::as_bytes(x)
    {
        let text = String::from_utf8_lossy(&d).into_owned();
        crate::types::int_digits::check_parse(vm, &text, 10)?;
        return match parse_int(&text, 10) {
            Some(v) => Ok(Value::bigint(v)),
            None => {
                let r = crate::ops::repr(vm, x)?;
                Err(vm.value_error(format!("invalid literal for int() with base 10: {r}")))
            }
        };
    }
    if let Some(f) = x.as_float() {
        return finite_float_to_int(vm, f);
    }
    if let Some(i) = as_int(x) {
        return Ok(Value::bigint(i.to_big()));
    }
    if let Some(s) = x.downcast::<StrObj>() {
        crate::types::int_digits::check_parse(vm, &s.s, 10)?;
        let digits = crate::modules::unicodedata::ascii_digits(&s.s);
        return match parse_int(&digits, 10) {
            Some(v) => Ok(Value::bigint(v)),
            None => {
                let r = crate::ops::str_repr(&s.s);
                Err(vm.value_error(format!("invalid literal for int() with base 10: {r}")))
            }
        };
    }
    for m in ["__int__", "__index__", "__trunc__"] {
        if let Some(f) = lookup_special(x, m) {
            if m == "__trunc__" {
                crate::modules::warnings::warn_str(
                    vm,
                    crate::world::types().deprecation_warning,
                    "The delegation of int() to __trunc__ is deprecated.",
                    1,
                    None,
                )?;
            }
            return vm.call(&f, std::slice::from_ref(x));
        }
    }
    let tn = type_name(x);
    Err(vm.type_error(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{tn}'"
    )))
}

/// `float_to_int` of a float that must be finite: CPython's ValueError for a NaN and
/// OverflowError for an infinity (`int(x)`, `round(x)`, `math.floor(x)`, ...).
pub fn finite_float_to_int(vm: &mut Vm, f: f64) -> PyResult<Value> {
    if f.is_nan() {
        return Err(vm.value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(vm.overflow_error("cannot convert float infinity to integer"));
    }
    Ok(float_to_int(f))
}

pub fn float_to_int(f: f64) -> Value {
    let t = f.trunc();
    if t.abs() < 9.0e15 {
        return Value::int(t as i64);
    }
    // Exact conversion of a large float.
    let (m, e) = crate::types::float::frexp(t);
    let mant = (m * 2f64.powi(53)) as i64;
    let v = BigInt::from(mant);
    let shift = e - 53;
    Value::bigint(if shift >= 0 {
        v << shift as usize
    } else {
        v >> (-shift) as usize
    })
}

pub fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        let neg = lower.starts_with('-');
        let v = if body == "nan" {
            f64::NAN
        } else {
            f64::INFINITY
        };
        return Some(if neg { -v } else { v });
    }
    if t.contains("__")
        || t.starts_with('_')
        || t.ends_with('_')
        || t.contains("_.")
        || t.contains("._")
    {
        return None;
    }
    let clean: String = t.chars().filter(|c| *c != '_').collect();
    if clean.is_empty()
        || !clean
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    clean.parse::<f64>().ok()
}

pub fn float_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::posargs(vm, "float", a, 0, 1)?;
    let Some(x) = p.first() else {
        return Ok(Value::float(0.0));
    };
    if x.is_float() {
        return Ok(x.clone());
    }
    if let Some(f) = crate::vm::subclass_override(x, "__float__") {
        let r = vm.call(&f, std::slice::from_ref(x))?;
        if !r.is_float() {
            let (tn, rn) = (type_name(x), type_name(&r));
            return Err(vm.type_error(format!("{tn}.__float__ returned non-float (type {rn})")));
        }
        return Ok(r);
    }
    if let Some(f) = x.as_float() {
        return Ok(Value::float(f));
    }
    if let Some(i) = as_int(x) {
        return match i.to_f64() {
            Some(f) => Ok(Value::float(f)),
            None => Err(vm.overflow_error("int too large to convert to float")),
        };
    }
    if let Some(s) = as_str(x) {
        return match parse_float(s) {
            Some(f) => Ok(Value::float(f)),
            None => {
                let r = crate::ops::str_repr(s);
                Err(vm.value_error(format!("could not convert string to float: {r}")))
            }
        };
    }
    if let Some(f) = lookup_special(x, "__float__") {
        let r = vm.call(&f, std::slice::from_ref(x))?;
        if r.is_float() {
            return Ok(r);
        }
        // A float subclass is accepted (CPython warns) as its float value.
        if let Some(v) = r.as_float() {
            return Ok(Value::float(v));
        }
        let (tn, rn) = (type_name(x), type_name(&r));
        return Err(vm.type_error(format!("{tn}.__float__ returned non-float (type {rn})")));
    }
    if let Some(f) = lookup_special(x, "__index__") {
        let r = vm.call(&f, std::slice::from_ref(x))?;
        if as_int(&r).is_none() {
            let rn = type_name(&r);
            return Err(vm.type_error(format!("__index__ returned non-int (type {rn})")));
        }
        return float_new(vm, &Args::new(&[r]));
    }
    // bytes-like objects are parsed as their text (sqlite3's converters rely on it).
    if let Some(b) = crate::modules::buffer::bytes_like(x) {
        if let Some(f) = std::str::from_utf8(&b).ok().and_then(parse_float) {
            return Ok(Value::float(f));
        }
        let r = crate::ops::repr(vm, x)?;
        return Err(vm.value_error(format!("could not convert string to float: {r}")));
    }
    let tn = type_name(x);
    Err(vm.type_error(format!(
        "float() argument must be a string or a real number, not '{tn}'"
    )))
}

fn self_int<'a>(vm: &mut Vm, s: &'a Value) -> PyResult<IntRef<'a>> {
    match as_int(s) {
        Some(i) => Ok(i),
        None => Err(vm.type_error("descriptor requires an 'int' object")),
    }
}

fn int_bit_length(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "bit_length", a, 0, 0)?;
    let i = self_int(vm, s)?;
    Ok(Value::int(match i {
        IntRef::Small(x) => (64 - x.unsigned_abs().leading_zeros()) as i64,
        IntRef::Big(b) => b.bits() as i64,
    }))
}

fn int_bit_count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "bit_count", a, 0, 0)?;
    let i = self_int(vm, s)?;
    let b = i.to_big().abs();
    Ok(Value::int(
        b.to_u64_digits()
            .1
            .iter()
            .map(|d| d.count_ones() as i64)
            .sum(),
    ))
}

fn int_as_integer_ratio(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "as_integer_ratio", a, 0, 0)?;
    let i = self_int(vm, s)?;
    let n = Value::bigint(i.to_big());
    Ok(TupleObj::from_items([n, Value::int(1)]))
}

fn int_conjugate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "conjugate", a, 0, 0)?;
    let i = self_int(vm, s)?;
    Ok(Value::bigint(i.to_big()))
}

fn self_float(vm: &mut Vm, s: &Value) -> PyResult<f64> {
    s.as_float()
        .ok_or_else(|| vm.type_error("descriptor requires a 'float' object"))
}

fn float_is_integer(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "is_integer", a, 0, 0)?;
    let f = self_float(vm, s)?;
    Ok(Value::bool(f.is_finite() && f.fract() == 0.0))
}

fn float_conjugate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "conjugate", a, 0, 0)?;
    Ok(Value::float(self_float(vm, s)?))
}

fn float_as_integer_ratio(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "as_integer_ratio", a, 0, 0)?;
    let f = self_float(vm, s)?;
    if !f.is_finite() {
        return Err(if f.is_nan() {
            vm.value_error("cannot convert NaN to integer ratio")
        } else {
            vm.overflow_error("cannot convert Infinity to integer ratio")
        });
    }
    let (m, e) = crate::types::float::frexp(f);
    let mut mant = m;
    let mut exp = e;
    for _ in 0..300 {
        if mant.fract() == 0.0 {
            break;
        }
        mant *= 2.0;
        exp -= 1;
    }
    let mut num = BigInt::from(mant as i64);
    let mut den = BigInt::from(1);
    if exp > 0 {
        num <<= exp as usize;
    } else {
        den <<= (-exp) as usize;
    }
    let g = num_integer::Integer::gcd(&num, &den);
    if !g.is_zero() {
        num /= &g;
        den /= &g;
    }
    Ok(TupleObj::from_items([
        Value::bigint(num),
        Value::bigint(den),
    ]))
}

/// `float.hex()`: the exact value in hexadecimal, as C's `%a` (CPython's format).
fn float_hex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "hex", a, 0, 0)?;
    let f = self_float(vm, s)?;
    if f.is_nan() {
        return Ok(crate::types::str::new_str("nan"));
    }
    if f.is_infinite() {
        return Ok(crate::types::str::new_str(if f > 0.0 {
            "inf"
        } else {
            "-inf"
        }));
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return Ok(new_string(format!("{sign}0x0.0p+0")));
    }
    let bits = f.abs().to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = bits & ((1u64 << 52) - 1);
    let lead = if exp == 0 {
        exp = -1022;
        0
    } else {
        exp -= 1023;
        1
    };
    let digits = format!("{mant:013x}");
    Ok(new_string(format!(
        "{sign}0x{lead}.{digits}p{}{}",
        if exp < 0 { "-" } else { "+" },
        exp.abs()
    )))
}

fn float_fromhex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::posargs(vm, "fromhex", a, 1, 1)?;
    let Some(text) = as_str(&p[0]) else {
        return Err(vm.type_error("fromhex() argument must be str"));
    };
    let t = text.trim().to_ascii_lowercase();
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
    };
    let bad = |vm: &mut Vm| vm.value_error("invalid hexadecimal floating-point string");
    if body == "inf" || body == "infinity" {
        return Ok(Value::float(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }));
    }
    if body == "nan" {
        return Ok(Value::float(f64::NAN));
    }
    let body = body.strip_prefix("0x").unwrap_or(&body);
    let (mant_s, exp_s) = match body.split_once('p') {
        Some((m, e)) => (m.to_string(), e.to_string()),
        None => (body.to_string(), "0".to_string()),
    };
    let (int_s, frac_s) = mant_s.split_once('.').unwrap_or((&mant_s, ""));
    if int_s.is_empty() && frac_s.is_empty() {
        return Err(bad(vm));
    }
    let mut value = 0f64;
    for c in int_s.chars() {
        let Some(d) = c.to_digit(16) else {
            return Err(bad(vm));
        };
        value = value * 16.0 + d as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_s.chars() {
        let Some(d) = c.to_digit(16) else {
            return Err(bad(vm));
        };
        value += d as f64 * scale;
        scale /= 16.0;
    }
    let Ok(e) = exp_s.parse::<i32>() else {
        return Err(bad(vm));
    };
    let r = value * 2f64.powi(e);
    Ok(Value::float(if neg { -r } else { r }))
}

fn complex_conjugate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "conjugate", a, 0, 0)?;
    match s.downcast::<crate::types::complex::ComplexObj>() {
        Some(c) => Ok(crate::types::complex::new_complex(c.re, -c.im)),
        None => Err(vm.type_error("descriptor 'conjugate' requires a 'complex' object")),
    }
}
