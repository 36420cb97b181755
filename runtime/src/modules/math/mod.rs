//! `math`: the C math library's functions with CPython's argument conversion and its
//! error mapping (ValueError "math domain error", OverflowError "math range error"),
//! the integer functions (factorial, gcd, comb, isqrt, ...), exactly rounded `fsum`,
//! and (special.rs) CPython's own gamma/lgamma and the libm functions it wraps.
pub(crate) mod special;

use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::native_args::{module, set};
use crate::builtins::type_name;
use crate::ops;
use crate::types::int::as_int;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "math",
        &[
            ("sqrt", m_sqrt),
            ("exp", m_exp),
            ("log", m_log),
            ("log2", m_log2),
            ("log10", m_log10),
            ("log1p", m_log1p),
            ("expm1", m_expm1),
            ("sin", m_sin),
            ("cos", m_cos),
            ("tan", m_tan),
            ("asin", m_asin),
            ("acos", m_acos),
            ("atan", m_atan),
            ("atan2", m_atan2),
            ("sinh", m_sinh),
            ("cosh", m_cosh),
            ("tanh", m_tanh),
            ("asinh", m_asinh),
            ("acosh", m_acosh),
            ("atanh", m_atanh),
            ("floor", m_floor),
            ("ceil", m_ceil),
            ("trunc", m_trunc),
            ("fabs", m_fabs),
            ("factorial", m_factorial),
            ("gcd", m_gcd),
            ("lcm", m_lcm),
            ("isqrt", m_isqrt),
            ("pow", m_pow),
            ("hypot", m_hypot),
            ("isnan", m_isnan),
            ("isinf", m_isinf),
            ("isfinite", m_isfinite),
            ("copysign", m_copysign),
            ("fmod", m_fmod),
            ("modf", m_modf),
            ("frexp", m_frexp),
            ("ldexp", m_ldexp),
            ("degrees", m_degrees),
            ("radians", m_radians),
            ("comb", m_comb),
            ("perm", m_perm),
            ("prod", m_prod),
            ("fsum", m_fsum),
            ("isclose", m_isclose),
            ("dist", m_dist),
            ("cbrt", special::m_cbrt),
            ("erf", special::m_erf),
            ("erfc", special::m_erfc),
            ("exp2", special::m_exp2),
            ("gamma", special::m_gamma),
            ("lgamma", special::m_lgamma),
            ("nextafter", special::m_nextafter),
            ("remainder", special::m_remainder),
            ("ulp", special::m_ulp),
        ],
    );
    set(&m, "pi", Value::float(std::f64::consts::PI));
    set(&m, "e", Value::float(std::f64::consts::E));
    set(&m, "tau", Value::float(std::f64::consts::TAU));
    set(&m, "inf", Value::float(f64::INFINITY));
    set(&m, "nan", Value::float(f64::NAN));
    Ok(m)
}

/// Positional arguments with CPython's messages: one-argument functions are METH_O
/// ("math.sqrt() takes exactly one argument"), the others check their count as
/// `_PyArg_CheckPositional` does ("pow expected 2 arguments, got 1").
pub(super) fn margs<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<&'a [Value]> {
    margs_in(vm, "math", name, a, min, max)
}

/// `margs` for the functions of `module` (math, cmath).
pub(crate) fn margs_in<'a>(
    vm: &mut Vm,
    module: &str,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<&'a [Value]> {
    let p = a.pos();
    let n = p.len();
    if min == 1 && max == 1 {
        if a.has_kw() {
            return Err(vm.type_error(format!("{module}.{name}() takes no keyword arguments")));
        }
        if n != 1 {
            return Err(vm.type_error(format!(
                "{module}.{name}() takes exactly one argument ({n} given)"
            )));
        }
        return Ok(p);
    }
    if a.has_kw() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    if n < min || n > max {
        let msg = if min == max {
            format!("{name} expected {min} argument{}, got {n}", plural(min))
        } else if n < min {
            format!(
                "{name} expected at least {min} argument{}, got {n}",
                plural(min)
            )
        } else {
            format!(
                "{name} expected at most {max} argument{}, got {n}",
                plural(max)
            )
        };
        return Err(vm.type_error(msg));
    }
    Ok(p)
}

pub(crate) fn num(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    if let Some(f) = v.as_float() {
        return Ok(f);
    }
    if let Some(i) = as_int(v) {
        return i
            .to_f64()
            .ok_or_else(|| vm.overflow_error("int too large to convert to float"));
    }
    if let Some(f) = crate::vm::lookup_special(v, "__float__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        if let Some(x) = r.as_float() {
            return Ok(x);
        }
    }
    // `PyFloat_AsDouble`: an integer-like object (`__index__`) converts too.
    if crate::vm::lookup_special(v, "__index__").is_some() {
        return ops::to_index(vm, v)?
            .to_f64()
            .ok_or_else(|| vm.overflow_error("int too large to convert to float"));
    }
    let tn = type_name(v);
    Err(vm.type_error(format!("must be real number, not {tn}")))
}

/// Apply a libm function with CPython's domain/range error mapping.
fn unary(vm: &mut Vm, a: &Args, name: &str, f: fn(f64) -> f64) -> PyResult<Value> {
    let p = margs(vm, name, a, 1, 1)?;
    let x = num(vm, &p[0])?;
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(vm.value_error("math domain error"));
    }
    if r.is_infinite() && x.is_finite() {
        return Err(vm.overflow_error("math range error"));
    }
    Ok(Value::float(r))
}

macro_rules! unary_fns {
    ($($name:ident, $py:literal, $f:expr;)*) => {
        $(fn $name(vm: &mut Vm, a: &Args) -> PyResult<Value> { unary(vm, a, $py, $f) })*
    };
}

unary_fns! {
    m_exp, "exp", f64::exp;
    m_expm1, "expm1", f64::exp_m1;
    m_sin, "sin", f64::sin;
    m_cos, "cos", f64::cos;
    m_tan, "tan", f64::tan;
    m_asin, "asin", f64::asin;
    m_acos, "acos", f64::acos;
    m_atan, "atan", f64::atan;
    m_sinh, "sinh", f64::sinh;
    m_cosh, "cosh", f64::cosh;
    m_tanh, "tanh", f64::tanh;
    m_asinh, "asinh", special::asinh;
    m_acosh, "acosh", special::acosh;
    m_fabs, "fabs", f64::abs;
    m_degrees, "degrees", f64::to_degrees;
    m_radians, "radians", f64::to_radians;
}

fn m_sqrt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "sqrt", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    if x < 0.0 {
        return Err(vm.value_error("math domain error"));
    }
    Ok(Value::float(x.sqrt()))
}

fn m_atanh(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "atanh", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    if x.abs() >= 1.0 {
        return Err(vm.value_error("math domain error"));
    }
    Ok(Value::float(special::atanh(x)))
}

/// log of an int that may be too large for a float.
fn log_value(vm: &mut Vm, v: &Value, f: fn(f64) -> f64) -> PyResult<f64> {
    if let Some(i) = as_int(v)
        && !v.is_float()
    {
        let b = i.to_big();
        if b.is_negative() || b.is_zero() {
            return Err(vm.value_error("math domain error"));
        }
        if let Some(x) = b.to_f64().filter(|x| x.is_finite()) {
            return Ok(f(x));
        }
        // log(b) = log(b / 2^k) + k*log(2)
        let bits = b.bits() as i64;
        let k = bits - 60;
        let top = (&b >> k as usize).to_f64().unwrap_or(1.0);
        return Ok(f(top) + (k as f64) * f(2.0));
    }
    let x = num(vm, v)?;
    if x <= 0.0 {
        return Err(vm.value_error("math domain error"));
    }
    Ok(f(x))
}

fn m_log(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "log", a, 1, 2)?;
    let x = log_value(vm, &p[0], f64::ln)?;
    match p.get(1) {
        None => Ok(Value::float(x)),
        Some(b) => {
            let lb = log_value(vm, b, f64::ln)?;
            if lb == 0.0 {
                return Err(vm.zero_division("float division by zero"));
            }
            Ok(Value::float(x / lb))
        }
    }
}

fn m_log2(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "log2", a, 1, 1)?;
    Ok(Value::float(log_value(vm, &p[0], f64::log2)?))
}

fn m_log10(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "log10", a, 1, 1)?;
    Ok(Value::float(log_value(vm, &p[0], f64::log10)?))
}

fn m_log1p(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "log1p", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    if x <= -1.0 {
        return Err(vm.value_error("math domain error"));
    }
    Ok(Value::float(x.ln_1p()))
}

fn m_atan2(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "atan2", a, 2, 2)?;
    let (y, x) = (num(vm, &p[0])?, num(vm, &p[1])?);
    Ok(Value::float(y.atan2(x)))
}

/// `floor`/`ceil`/`trunc` (`special`: `__floor__`, ...): a float is rounded at once
/// (CPython checks for an exact float first too), an int is returned as an int, and
/// anything else goes through its special method or `__float__`.
fn to_int_rounded(vm: &mut Vm, v: &Value, special: &str, f: fn(f64) -> f64) -> PyResult<Value> {
    if let Some(x) = v.as_exact_float()
        && x.is_finite()
    {
        return Ok(crate::builtins::float_to_int(f(x)));
    }
    if v.type_raw() == crate::world::types().int {
        return Ok(v.clone());
    }
    if let Some(i) = as_int(v) {
        return Ok(Value::bigint(i.to_big()));
    }
    if let Some(m) = crate::vm::lookup_special(v, special) {
        return vm.call(&m, std::slice::from_ref(v));
    }
    let x = num(vm, v)?;
    crate::builtins::finite_float_to_int(vm, f(x))
}

fn m_floor(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "floor", a, 1, 1)?;
    to_int_rounded(vm, &p[0], "__floor__", f64::floor)
}
fn m_ceil(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "ceil", a, 1, 1)?;
    to_int_rounded(vm, &p[0], "__ceil__", f64::ceil)
}
fn m_trunc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "trunc", a, 1, 1)?;
    to_int_rounded(vm, &p[0], "__trunc__", f64::trunc)
}

fn int_arg(vm: &mut Vm, v: &Value, fname: &str) -> PyResult<BigInt> {
    if v.is_float() {
        let _ = fname;
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    ops::to_index(vm, v)
}

fn m_factorial(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "factorial", a, 1, 1)?;
    let n = int_arg(vm, &p[0], "factorial")?;
    if n.is_negative() {
        return Err(vm.value_error("factorial() not defined for negative values"));
    }
    let n = n.to_u64().unwrap_or(u64::MAX);
    if n > 100_000 {
        return Err(vm.overflow_error("factorial() argument should not exceed 100000"));
    }
    let mut r = BigInt::one();
    for i in 2..=n {
        r *= i;
    }
    Ok(Value::bigint(r))
}

fn m_gcd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "gcd", a, 0, usize::MAX)?;
    let mut g = BigInt::zero();
    for v in p {
        let x = int_arg(vm, v, "gcd")?;
        g = num_integer::Integer::gcd(&g, &x);
    }
    Ok(Value::bigint(g))
}

fn m_lcm(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "lcm", a, 0, usize::MAX)?;
    let mut l = BigInt::one();
    for v in p {
        let x = int_arg(vm, v, "lcm")?;
        if x.is_zero() {
            return Ok(Value::int(0));
        }
        l = num_integer::Integer::lcm(&l, &x);
    }
    Ok(Value::bigint(l))
}

fn m_isqrt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "isqrt", a, 1, 1)?;
    let n = int_arg(vm, &p[0], "isqrt")?;
    if n.is_negative() {
        return Err(vm.value_error("isqrt() argument must be nonnegative"));
    }
    Ok(Value::bigint(n.sqrt()))
}

fn m_pow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "pow", a, 2, 2)?;
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    if x == 0.0 && y < 0.0 {
        return Err(vm.value_error("math domain error"));
    }
    if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
        return Err(vm.value_error("math domain error"));
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(vm.overflow_error("math range error"));
    }
    Ok(Value::float(r))
}

fn m_hypot(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "hypot", a, 0, usize::MAX)?;
    let mut xs = vec![];
    for v in p {
        xs.push(num(vm, v)?);
    }
    Ok(Value::float(hypot(&xs)))
}

fn hypot(xs: &[f64]) -> f64 {
    if xs.len() == 2 {
        return xs[0].hypot(xs[1]);
    }
    let max = xs.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if max == 0.0 || max.is_infinite() {
        return max;
    }
    let s: f64 = xs.iter().map(|x| (x / max) * (x / max)).sum();
    max * s.sqrt()
}

fn m_dist(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "dist", a, 2, 2)?;
    let (x, y) = (ops::collect(vm, &p[0])?, ops::collect(vm, &p[1])?);
    if x.len() != y.len() {
        return Err(vm.value_error("both points must have the same number of dimensions"));
    }
    let mut d = vec![];
    for (u, v) in x.iter().zip(y.iter()) {
        d.push(num(vm, u)? - num(vm, v)?);
    }
    Ok(Value::float(hypot(&d)))
}

fn m_isnan(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "isnan", a, 1, 1)?;
    Ok(Value::bool(num(vm, &p[0])?.is_nan()))
}
fn m_isinf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "isinf", a, 1, 1)?;
    Ok(Value::bool(num(vm, &p[0])?.is_infinite()))
}
fn m_isfinite(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "isfinite", a, 1, 1)?;
    Ok(Value::bool(num(vm, &p[0])?.is_finite()))
}

fn m_copysign(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "copysign", a, 2, 2)?;
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    Ok(Value::float(x.copysign(y)))
}

fn m_fmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "fmod", a, 2, 2)?;
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    if y == 0.0 && !x.is_nan() {
        return Err(vm.value_error("math domain error"));
    }
    Ok(Value::float(x % y))
}

fn m_modf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "modf", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    let ip = x.trunc();
    let fp = if x.is_infinite() {
        0.0f64.copysign(x)
    } else {
        x - ip
    };
    Ok(TupleObj::from_iter([Value::float(fp), Value::float(ip)]))
}

fn m_frexp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "frexp", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    let (m, e) = crate::types::float::frexp(x);
    Ok(TupleObj::from_iter([Value::float(m), Value::int(e as i64)]))
}

fn m_ldexp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "ldexp", a, 2, 2)?;
    let x = num(vm, &p[0])?;
    let e = ops::to_isize(vm, &p[1])?;
    let r = x * 2f64.powi(e.clamp(-2000, 2000) as i32);
    if r.is_infinite() && x.is_finite() {
        return Err(vm.overflow_error("math range error"));
    }
    Ok(Value::float(r))
}

fn m_comb(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "comb", a, 2, 2)?;
    let n = int_arg(vm, &p[0], "comb")?;
    let k = int_arg(vm, &p[1], "comb")?;
    if n.is_negative() || k.is_negative() {
        return Err(vm.value_error(if n.is_negative() {
            "n must be a non-negative integer"
        } else {
            "k must be a non-negative integer"
        }));
    }
    if k > n {
        return Ok(Value::int(0));
    }
    let k = k.clone().min(&n - &k).to_u64().unwrap_or(0);
    let mut r = BigInt::one();
    for i in 0..k {
        r = r * (&n - i) / (i + 1);
    }
    Ok(Value::bigint(r))
}

fn m_perm(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "perm", a, 1, 2)?;
    let n = int_arg(vm, &p[0], "perm")?;
    let k = match p.get(1) {
        Some(k) if !k.is_none() => int_arg(vm, k, "perm")?,
        _ => n.clone(),
    };
    if n.is_negative() || k.is_negative() {
        return Err(vm.value_error(if n.is_negative() {
            "n must be a non-negative integer"
        } else {
            "k must be a non-negative integer"
        }));
    }
    if k > n {
        return Ok(Value::int(0));
    }
    let k = k.to_u64().unwrap_or(0);
    let mut r = BigInt::one();
    for i in 0..k {
        r *= &n - i;
    }
    Ok(Value::bigint(r))
}

fn m_prod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() != 1 {
        return Err(vm.type_error("prod() takes exactly one positional argument"));
    }
    let mut acc = a.get_kw("start").cloned().unwrap_or_else(|| Value::int(1));
    for x in ops::collect(vm, &p[0])? {
        acc = ops::binary_op(vm, &acc, &x, crate::instructions::NB_MULTIPLY)?;
    }
    Ok(acc)
}

/// Exactly rounded float sum (Shewchuk's algorithm, as CPython's fsum).
fn m_fsum(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "fsum", a, 1, 1)?;
    let mut partials: Vec<f64> = vec![];
    let mut special = 0.0f64;
    let mut inf_sum = 0.0f64;
    for v in ops::collect(vm, &p[0])? {
        let mut x = num(vm, &v)?;
        if !x.is_finite() {
            if x.is_infinite() {
                inf_sum += x;
            }
            special += x;
            continue;
        }
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        partials.truncate(i);
        partials.push(x);
    }
    if special != 0.0 || special.is_nan() {
        if inf_sum.is_nan() {
            return Err(vm.value_error("-inf + inf in fsum"));
        }
        return Ok(Value::float(special));
    }
    let mut hi = 0.0;
    if let Some(mut n) = partials.len().checked_sub(1) {
        hi = partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(Value::float(hi))
}

fn m_isclose(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() != 2 {
        return Err(vm.type_error("isclose() takes exactly 2 positional arguments"));
    }
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    let rel = match a.get_kw("rel_tol") {
        Some(v) => num(vm, v)?,
        None => 1e-9,
    };
    let abs_tol = match a.get_kw("abs_tol") {
        Some(v) => num(vm, v)?,
        None => 0.0,
    };
    if rel < 0.0 || abs_tol < 0.0 {
        return Err(vm.value_error("tolerances must be non-negative"));
    }
    if x == y {
        return Ok(Value::bool(true));
    }
    if x.is_infinite() || y.is_infinite() {
        return Ok(Value::bool(false));
    }
    let d = (x - y).abs();
    Ok(Value::bool(
        d <= (rel * y).abs() || d <= (rel * x).abs() || d <= abs_tol,
    ))
}
