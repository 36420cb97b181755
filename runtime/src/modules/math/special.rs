//! The `math` functions CPython computes itself or takes straight from libm: `gamma`
//! and `lgamma` (CPython's Lanczos approximation, reproduced here so results agree to
//! the last bit), `erf`, `erfc`, `cbrt`, `exp2`, `nextafter`, `remainder` (libm, as
//! CPython on Linux), and `ulp`.
use super::margs;
use super::num;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

unsafe extern "C" {
    fn erf(x: f64) -> f64;
    fn erfc(x: f64) -> f64;
    fn nextafter(x: f64, y: f64) -> f64;
    fn remainder(x: f64, y: f64) -> f64;
    #[link_name = "asinh"]
    fn libm_asinh(x: f64) -> f64;
    #[link_name = "acosh"]
    fn libm_acosh(x: f64) -> f64;
    #[link_name = "atanh"]
    fn libm_atanh(x: f64) -> f64;
}

/// libm's inverse hyperbolic functions, as CPython calls them (Rust's own formulas
/// differ in the last bit for large arguments).
pub(crate) fn asinh(x: f64) -> f64 {
    // SAFETY: a pure libm function of a double.
    unsafe { libm_asinh(x) }
}
pub(crate) fn acosh(x: f64) -> f64 {
    // SAFETY: a pure libm function of a double.
    unsafe { libm_acosh(x) }
}
pub(crate) fn atanh(x: f64) -> f64 {
    // SAFETY: a pure libm function of a double.
    unsafe { libm_atanh(x) }
}

/// What a libm-style computation reported besides its value (CPython's errno).
#[derive(PartialEq)]
enum Err {
    None,
    Domain,
    Range,
}

/// CPython's `math_1a`-style result: a domain error is ValueError, a range error
/// OverflowError unless the result is tiny (an underflow).
fn finish(vm: &mut Vm, r: f64, e: Err) -> PyResult<Value> {
    match e {
        Err::Domain => Err(vm.value_error("math domain error")),
        Err::Range if r.abs() >= 1.5 => Err(vm.overflow_error("math range error")),
        _ => Ok(Value::float(r)),
    }
}

const PI: f64 = std::f64::consts::PI;
const LOGPI: f64 = 1.144_729_885_849_400_2;

/// sin(pi * x), accurate at the integers and half-integers.
fn sinpi(x: f64) -> f64 {
    let y = x.abs() % 2.0;
    let n = (2.0 * y).round() as i32;
    let r = match n {
        0 => (PI * y).sin(),
        1 => (PI * (y - 0.5)).cos(),
        2 => (PI * (1.0 - y)).sin(),
        3 => -(PI * (y - 1.5)).cos(),
        _ => (PI * (y - 2.0)).sin(),
    };
    1f64.copysign(x) * r
}

const LANCZOS_G: f64 = 6.02468004077673;
const LANCZOS_G_MINUS_HALF: f64 = 5.52468004077673;
const LANCZOS_NUM: [f64; 13] = [
    23531376880.41076,
    42919803642.6491,
    35711959237.35567,
    17921034426.03721,
    6039542586.352028,
    1439720407.3117216,
    248874557.86205417,
    31426415.585400194,
    2876370.6289353725,
    186056.26539522348,
    8071.672002365816,
    210.82427775157936,
    2.5066282746310002,
];
const LANCZOS_DEN: [f64; 13] = [
    0.0,
    39916800.0,
    120543840.0,
    150917976.0,
    105258076.0,
    45995730.0,
    13339535.0,
    2637558.0,
    357423.0,
    32670.0,
    1925.0,
    66.0,
    1.0,
];

/// The Lanczos sum as a rational function (in 1/x for large x, against overflow).
fn lanczos_sum(x: f64) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    if x < 5.0 {
        for i in (0..13).rev() {
            num = num * x + LANCZOS_NUM[i];
            den = den * x + LANCZOS_DEN[i];
        }
    } else {
        for i in 0..13 {
            num = num / x + LANCZOS_NUM[i];
            den = den / x + LANCZOS_DEN[i];
        }
    }
    num / den
}

/// Gamma at 1..=23: (n-1)!, exact.
const GAMMA_INTEGRAL: [f64; 23] = [
    1.0,
    1.0,
    2.0,
    6.0,
    24.0,
    120.0,
    720.0,
    5040.0,
    40320.0,
    362880.0,
    3628800.0,
    39916800.0,
    479001600.0,
    6227020800.0,
    87178291200.0,
    1307674368000.0,
    20922789888000.0,
    355687428096000.0,
    6402373705728000.0,
    121645100408832000.0,
    2432902008176640000.0,
    51090942171709440000.0,
    1124000727777607680000.0,
];

fn tgamma(x: f64) -> (f64, Err) {
    if !x.is_finite() {
        if x.is_nan() || x > 0.0 {
            return (x, Err::None);
        }
        return (f64::NAN, Err::Domain);
    }
    if x == 0.0 {
        return (f64::INFINITY.copysign(x), Err::Domain);
    }
    if x == x.floor() {
        if x < 0.0 {
            return (f64::NAN, Err::Domain);
        }
        if x <= 23.0 {
            return (GAMMA_INTEGRAL[x as usize - 1], Err::None);
        }
    }
    let absx = x.abs();
    if absx < 1e-20 {
        let r = 1.0 / x;
        let e = if r.is_infinite() {
            Err::Range
        } else {
            Err::None
        };
        return (r, e);
    }
    if absx > 200.0 {
        if x < 0.0 {
            return (0.0 / sinpi(x), Err::None);
        }
        return (f64::INFINITY, Err::Range);
    }
    let y = absx + LANCZOS_G_MINUS_HALF;
    // The rounding error made computing y, corrected below.
    let z = if absx > LANCZOS_G_MINUS_HALF {
        let q = y - absx;
        q - LANCZOS_G_MINUS_HALF
    } else {
        let q = y - LANCZOS_G_MINUS_HALF;
        q - absx
    };
    let z = z * LANCZOS_G / y;
    let mut r;
    if x < 0.0 {
        r = -PI / sinpi(absx) / absx * y.exp() / lanczos_sum(absx);
        r -= z * r;
        if absx < 140.0 {
            r /= y.powf(absx - 0.5);
        } else {
            let sqrtpow = y.powf(absx / 2.0 - 0.25);
            r /= sqrtpow;
            r /= sqrtpow;
        }
    } else {
        r = lanczos_sum(absx) / y.exp();
        r += z * r;
        if absx < 140.0 {
            r *= y.powf(absx - 0.5);
        } else {
            let sqrtpow = y.powf(absx / 2.0 - 0.25);
            r *= sqrtpow;
            r *= sqrtpow;
        }
    }
    let e = if r.is_infinite() {
        Err::Range
    } else {
        Err::None
    };
    (r, e)
}

fn lgamma(x: f64) -> (f64, Err) {
    if !x.is_finite() {
        if x.is_nan() {
            return (x, Err::None);
        }
        return (f64::INFINITY, Err::None);
    }
    if x == x.floor() && x <= 2.0 {
        if x <= 0.0 {
            return (f64::INFINITY, Err::Domain);
        }
        return (0.0, Err::None);
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return (-absx.ln(), Err::None);
    }
    let mut r = lanczos_sum(absx).ln() - LANCZOS_G;
    r += (absx - 0.5) * ((absx + LANCZOS_G - 0.5).ln() - 1.0);
    if x < 0.0 {
        r = LOGPI - sinpi(absx).abs().ln() - absx.ln() - r;
    }
    let e = if r.is_infinite() {
        Err::Range
    } else {
        Err::None
    };
    (r, e)
}

fn one_arg(vm: &mut Vm, name: &str, a: &Args) -> PyResult<f64> {
    let p = margs(vm, name, a, 1, 1)?;
    num(vm, &p[0])
}

pub(super) fn m_gamma(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = one_arg(vm, "gamma", a)?;
    let (r, e) = tgamma(x);
    finish(vm, r, e)
}

pub(super) fn m_lgamma(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = one_arg(vm, "lgamma", a)?;
    let (r, e) = lgamma(x);
    finish(vm, r, e)
}

pub(super) fn m_erf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = one_arg(vm, "erf", a)?;
    // SAFETY: libm's erf is a pure function of its argument.
    Ok(Value::float(unsafe { erf(x) }))
}

pub(super) fn m_erfc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = one_arg(vm, "erfc", a)?;
    // SAFETY: libm's erfc is a pure function of its argument.
    Ok(Value::float(unsafe { erfc(x) }))
}

/// The C library's `cbrt`, which CPython calls: the `cbrt` symbol a Rust binary links
/// is compiler-builtins' port of musl's, whose results differ in the last bit, so
/// glibc's is looked up at run time (falling back to Rust's when it cannot be).
fn libm_cbrt() -> fn(f64) -> f64 {
    use std::sync::OnceLock;
    static F: OnceLock<Option<unsafe extern "C" fn(f64) -> f64>> = OnceLock::new();
    fn rust_cbrt(x: f64) -> f64 {
        x.cbrt()
    }
    fn glibc_cbrt(x: f64) -> f64 {
        match F.get().copied().flatten() {
            // SAFETY: the pointer is libm's `double cbrt(double)`, a pure function.
            Some(f) => unsafe { f(x) },
            None => x.cbrt(),
        }
    }
    let f = F.get_or_init(|| {
        // SAFETY: dlopen/dlsym get NUL-terminated names; a found symbol is libm's
        // `double cbrt(double)`, whose C signature the function pointer type matches.
        // The library handle is never closed, so the pointer stays valid.
        unsafe {
            let h = libc::dlopen(c"libm.so.6".as_ptr(), libc::RTLD_LAZY);
            if h.is_null() {
                return None;
            }
            let sym = libc::dlsym(h, c"cbrt".as_ptr());
            if sym.is_null() {
                return None;
            }
            Some(std::mem::transmute::<
                *mut libc::c_void,
                unsafe extern "C" fn(f64) -> f64,
            >(sym))
        }
    });
    if f.is_some() { glibc_cbrt } else { rust_cbrt }
}

/// A libm function whose overflow is OverflowError (CPython's `math_1` with
/// can_overflow).
fn overflowing(vm: &mut Vm, x: f64, r: f64) -> PyResult<Value> {
    if r.is_infinite() && x.is_finite() {
        return Err(vm.overflow_error("math range error"));
    }
    Ok(Value::float(r))
}

pub(super) fn m_cbrt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = one_arg(vm, "cbrt", a)?;
    Ok(Value::float(libm_cbrt()(x)))
}

pub(super) fn m_exp2(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = one_arg(vm, "exp2", a)?;
    overflowing(vm, x, x.exp2())
}

pub(super) fn m_nextafter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "nextafter", a, 2, 2)?;
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    // SAFETY: libm's nextafter is a pure function of its arguments.
    Ok(Value::float(unsafe { nextafter(x, y) }))
}

pub(super) fn m_remainder(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs(vm, "remainder", a, 2, 2)?;
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    // SAFETY: libm's remainder is a pure function of its arguments.
    let r = unsafe { remainder(x, y) };
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(vm.value_error("math domain error"));
    }
    Ok(Value::float(r))
}

pub(super) fn m_ulp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = one_arg(vm, "ulp", a)?;
    if x.is_nan() {
        return Ok(Value::float(x));
    }
    let x = x.abs();
    if x.is_infinite() {
        return Ok(Value::float(x));
    }
    // SAFETY: libm's nextafter is a pure function of its arguments.
    let up = unsafe { nextafter(x, f64::INFINITY) };
    if up.is_infinite() {
        // x is the largest finite float.
        // SAFETY: as above.
        let down = unsafe { nextafter(x, f64::NEG_INFINITY) };
        return Ok(Value::float(x - down));
    }
    Ok(Value::float(up - x))
}

#[cfg(test)]
mod tests {
    #[test]
    fn gamma_values() {
        assert_eq!(super::tgamma(5.0).0, 24.0);
        assert_eq!(super::tgamma(0.5).0, 1.772_453_850_905_515_9);
        assert_eq!(super::lgamma(1.0).0, 0.0);
    }
}
