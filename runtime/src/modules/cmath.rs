//! `cmath`: complex functions with CPython's results and errors. Finite arguments use
//! the cancellation- and overflow-avoiding formulas CPython uses (Kahan's branch cuts);
//! infinite and NaN parts follow C99 Annex G (special values per function, reduced by
//! each function's symmetries), with CPython's choices where the annex leaves signs
//! open and its errors: ValueError "math domain error" where the annex signals
//! "invalid" or a pole, OverflowError "math range error" when finite arguments
//! overflow.
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, LN_2, PI};

use super::math::special::asinh;
use super::math::{margs_in, num};
use crate::builtins::type_name;
use crate::types::complex::new_complex;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

type C = (f64, f64);

/// What went wrong, as CPython's errno after a complex function.
#[derive(PartialEq)]
enum Err {
    None,
    Domain,
    Range,
}

/// A result and its error.
type R = (C, Err);

const LARGE: f64 = f64::MAX / 4.0;
const SQRT_LARGE: f64 = 6.703903964971299e+153; // sqrt(f64::MAX / 4)
const LOG_LARGE: f64 = 709.0895657128241; // log(f64::MAX) - log(2)
const SQRT_MIN: f64 = 1.4916681462400413e-154; // sqrt(f64::MIN_POSITIVE)
const SCALE_UP: i32 = 53;
const SCALE_DOWN: i32 = -27;
const INF: f64 = f64::INFINITY;
const NAN: f64 = f64::NAN;

fn ok(c: C) -> R {
    (c, Err::None)
}

fn ldexp(x: f64, e: i32) -> f64 {
    x * 2f64.powi(e)
}

fn finite(z: C) -> bool {
    z.0.is_finite() && z.1.is_finite()
}

/// A sign bit that counts for symmetry (a NaN's does not).
fn negative(v: f64) -> bool {
    v.is_sign_negative() && !v.is_nan()
}

/// Reduce by `f(conj z) = conj f(z)`: `f` sees a non-negative imaginary part (sign
/// bit clear); a negative one flips the result's.
fn conj_sym(z: C, f: impl Fn(C) -> R) -> R {
    if negative(z.1) {
        let ((a, b), e) = f((z.0, -z.1));
        ((a, -b), e)
    } else {
        f(z)
    }
}

/// Reduce by oddness `f(-z) = -f(z)` (then `conj_sym`): `f` sees a non-negative real
/// part.
fn odd_sym(z: C, f: impl Fn(C) -> R) -> R {
    if negative(z.0) {
        let ((a, b), e) = conj_sym((-z.0, -z.1), f);
        ((-a, -b), e)
    } else {
        conj_sym(z, f)
    }
}

/// Overflow of a finite argument's result.
fn range_check(z: C, r: C) -> R {
    if finite(z) && !finite(r) {
        (r, Err::Range)
    } else {
        ok(r)
    }
}

// --- square root, exponential, logarithm -------------------------------------------

fn c_sqrt(z: C) -> R {
    if !finite(z) {
        return conj_sym(z, |(x, y)| {
            ok(if y.is_infinite() {
                (INF, INF)
            } else if x == -INF {
                if y.is_nan() { (NAN, INF) } else { (0.0, INF) }
            } else if x == INF {
                if y.is_nan() { (INF, NAN) } else { (INF, 0.0) }
            } else {
                (NAN, NAN)
            })
        });
    }
    let (x, y) = z;
    if x == 0.0 && y == 0.0 {
        return ok((0.0, y));
    }
    let (mut ax, ay) = (x.abs(), y.abs());
    let s = if ax < f64::MIN_POSITIVE && ay < f64::MIN_POSITIVE {
        // Subnormal parts: scale up so the sum under the root keeps its bits.
        ax = ldexp(ax, SCALE_UP);
        ldexp((ax + ax.hypot(ldexp(ay, SCALE_UP))).sqrt(), SCALE_DOWN)
    } else {
        ax /= 8.0;
        2.0 * (ax + ax.hypot(ay / 8.0)).sqrt()
    };
    let d = ay / (2.0 * s);
    ok(if x >= 0.0 {
        (s, d.copysign(y))
    } else {
        (d, s.copysign(y))
    })
}

fn c_exp(z: C) -> R {
    let (x, y) = z;
    if !finite(z) {
        let domain = y.is_infinite() && (x.is_finite() || x == INF);
        let r = if x.is_infinite() && y.is_finite() && y != 0.0 {
            if x > 0.0 {
                (INF.copysign(y.cos()), INF.copysign(y.sin()))
            } else {
                (0.0f64.copysign(y.cos()), 0.0f64.copysign(y.sin()))
            }
        } else if x == -INF && !y.is_finite() {
            // Annex G leaves the zeros' signs open; CPython's are positive.
            (0.0, 0.0)
        } else {
            conj_sym(z, |(x, y)| {
                ok(if x == -INF {
                    (0.0, 0.0)
                } else if x == INF {
                    if y == 0.0 { (INF, 0.0) } else { (INF, NAN) }
                } else if x.is_nan() && y == 0.0 {
                    (NAN, 0.0)
                } else {
                    (NAN, NAN)
                })
            })
            .0
        };
        return (r, if domain { Err::Domain } else { Err::None });
    }
    let r = if x > LOG_LARGE {
        let l = (x - 1.0).exp();
        (
            l * y.cos() * std::f64::consts::E,
            l * y.sin() * std::f64::consts::E,
        )
    } else {
        let l = x.exp();
        (l * y.cos(), l * y.sin())
    };
    range_check(z, r)
}

fn c_log(z: C) -> R {
    let (x, y) = z;
    if !finite(z) {
        return conj_sym(z, |(x, y)| {
            ok(if y == INF {
                if x == -INF {
                    (INF, 3.0 * FRAC_PI_4)
                } else if x == INF {
                    (INF, FRAC_PI_4)
                } else if x.is_nan() {
                    (INF, NAN)
                } else {
                    (INF, FRAC_PI_2)
                }
            } else if x.is_infinite() {
                if y.is_nan() {
                    (INF, NAN)
                } else if x < 0.0 {
                    (INF, PI)
                } else {
                    (INF, 0.0)
                }
            } else {
                (NAN, NAN)
            })
        });
    }
    let (ax, ay) = (x.abs(), y.abs());
    let re = if ax > LARGE || ay > LARGE {
        (ax / 2.0).hypot(ay / 2.0).ln() + LN_2
    } else if ax < f64::MIN_POSITIVE && ay < f64::MIN_POSITIVE {
        if ax > 0.0 || ay > 0.0 {
            ldexp(ax, SCALE_UP).hypot(ldexp(ay, SCALE_UP)).ln() - SCALE_UP as f64 * LN_2
        } else {
            return ((-INF, y.atan2(x)), Err::Domain);
        }
    } else {
        let h = ax.hypot(ay);
        if (0.71..=1.73).contains(&h) {
            let (am, an) = if ax > ay { (ax, ay) } else { (ay, ax) };
            ((am - 1.0) * (am + 1.0) + an * an).ln_1p() / 2.0
        } else {
            h.ln()
        }
    };
    ok((re, y.atan2(x)))
}

// --- hyperbolic functions and their inverses ---------------------------------------

fn c_cosh(z: C) -> R {
    let (x, y) = z;
    if !finite(z) {
        let domain = y.is_infinite() && !x.is_nan();
        let r = if x.is_infinite() && y.is_finite() && y != 0.0 {
            let c = INF.copysign(y.cos());
            (c, INF.copysign(y.sin()) * x.signum())
        } else {
            // Even and conjugate-symmetric: reduce to a non-negative real part.
            let w = if negative(x) { (-x, -y) } else { z };
            conj_sym(w, |(x, y)| {
                ok(if x == INF {
                    if y == 0.0 { (INF, 0.0) } else { (INF, NAN) }
                } else if x == 0.0 || (x.is_nan() && y == 0.0) {
                    (NAN, 0.0)
                } else {
                    (NAN, NAN)
                })
            })
            .0
        };
        // An open zero sign (beside a NaN): CPython's is positive.
        let r = if r.0.is_nan() && r.1 == 0.0 {
            (NAN, 0.0)
        } else {
            r
        };
        return (r, if domain { Err::Domain } else { Err::None });
    }
    let r = if x.abs() > LOG_LARGE {
        let xm = x - 1f64.copysign(x);
        (
            y.cos() * xm.cosh() * std::f64::consts::E,
            y.sin() * xm.sinh() * std::f64::consts::E,
        )
    } else {
        (y.cos() * x.cosh(), y.sin() * x.sinh())
    };
    range_check(z, r)
}

fn c_sinh(z: C) -> R {
    let (x, y) = z;
    if !finite(z) {
        let domain = y.is_infinite() && !x.is_nan();
        let r = if x.is_infinite() && y.is_finite() && y != 0.0 {
            (INF.copysign(y.cos()) * x.signum(), INF.copysign(y.sin()))
        } else {
            odd_sym(z, |(x, y)| {
                ok(if x == INF {
                    if y == 0.0 { (INF, 0.0) } else { (INF, NAN) }
                } else if x == 0.0 {
                    (0.0, NAN)
                } else if x.is_nan() && y == 0.0 {
                    (NAN, 0.0)
                } else {
                    (NAN, NAN)
                })
            })
            .0
        };
        // An open sign of the real part (beside a NaN): CPython's is positive.
        let r = if r.1.is_nan() { (r.0.abs(), r.1) } else { r };
        return (r, if domain { Err::Domain } else { Err::None });
    }
    let r = if x.abs() > LOG_LARGE {
        let xm = x - 1f64.copysign(x);
        (
            y.cos() * xm.sinh() * std::f64::consts::E,
            y.sin() * xm.cosh() * std::f64::consts::E,
        )
    } else {
        (y.cos() * x.sinh(), y.sin() * x.cosh())
    };
    range_check(z, r)
}

fn c_tanh(z: C) -> R {
    let (x, y) = z;
    if !finite(z) {
        let domain = y.is_infinite() && x.is_finite();
        let r = if x.is_infinite() && y.is_finite() && y != 0.0 {
            (1f64.copysign(x), 0f64.copysign(2.0 * y.sin() * y.cos()))
        } else {
            odd_sym(z, |(x, y)| {
                ok(if x == INF {
                    (1.0, 0.0)
                } else if x.is_nan() && y == 0.0 {
                    (NAN, 0.0)
                } else {
                    (NAN, NAN)
                })
            })
            .0
        };
        // tanh(±inf + i inf or NaN): the zero's sign is open; CPython's is positive.
        let r = if x.is_infinite() && !y.is_finite() {
            (r.0, 0.0)
        } else {
            r
        };
        return (r, if domain { Err::Domain } else { Err::None });
    }
    if x.abs() > LOG_LARGE {
        return ok((
            1f64.copysign(x),
            4.0 * y.sin() * y.cos() * (-2.0 * x.abs()).exp(),
        ));
    }
    let (tx, ty) = (x.tanh(), y.tan());
    let cx = 1.0 / x.cosh();
    let txty = tx * ty;
    let denom = 1.0 + txty * txty;
    ok((tx * (1.0 + ty * ty) / denom, ((ty / denom) * cx) * cx))
}

fn c_acosh(z: C) -> R {
    if !finite(z) {
        return conj_sym(z, |(x, y)| {
            ok(if y == INF {
                if x == -INF {
                    (INF, 3.0 * FRAC_PI_4)
                } else if x == INF {
                    (INF, FRAC_PI_4)
                } else if x.is_nan() {
                    (INF, NAN)
                } else {
                    (INF, FRAC_PI_2)
                }
            } else if x.is_infinite() {
                if y.is_nan() {
                    (INF, NAN)
                } else if x < 0.0 {
                    (INF, PI)
                } else {
                    (INF, 0.0)
                }
            } else {
                (NAN, NAN)
            })
        });
    }
    let (x, y) = z;
    if x.abs() > LARGE || y.abs() > LARGE {
        return ok(((x / 2.0).hypot(y / 2.0).ln() + 2.0 * LN_2, y.atan2(x)));
    }
    let s1 = c_sqrt((x - 1.0, y)).0;
    let s2 = c_sqrt((x + 1.0, y)).0;
    ok((asinh(s1.0 * s2.0 + s1.1 * s2.1), 2.0 * s1.1.atan2(s2.0)))
}

fn c_acos(z: C) -> R {
    if !finite(z) {
        return conj_sym(z, |(x, y)| {
            ok(if y == INF {
                if x == -INF {
                    (3.0 * FRAC_PI_4, -INF)
                } else if x == INF {
                    (FRAC_PI_4, -INF)
                } else if x.is_nan() {
                    (NAN, -INF)
                } else {
                    (FRAC_PI_2, -INF)
                }
            } else if x.is_infinite() {
                if y.is_nan() {
                    (NAN, INF)
                } else if x < 0.0 {
                    (PI, -INF)
                } else {
                    (0.0, -INF)
                }
            } else if x == 0.0 && y.is_nan() {
                (FRAC_PI_2, NAN)
            } else {
                (NAN, NAN)
            })
        });
    }
    let (x, y) = z;
    if x.abs() > LARGE || y.abs() > LARGE {
        let l = (x / 2.0).hypot(y / 2.0).ln() + 2.0 * LN_2;
        let im = if x < 0.0 {
            -l.copysign(y)
        } else {
            l.copysign(-y)
        };
        return ok((y.abs().atan2(x), im));
    }
    let s1 = c_sqrt((1.0 - x, -y)).0;
    let s2 = c_sqrt((1.0 + x, y)).0;
    ok((2.0 * s1.0.atan2(s2.0), asinh(s2.0 * s1.1 - s2.1 * s1.0)))
}

fn c_asinh(z: C) -> R {
    if !finite(z) {
        let (x, y) = z;
        if x.is_nan() && y.is_infinite() {
            return ok((INF, NAN));
        }
        return odd_sym(z, |(x, y)| {
            ok(if x == INF {
                if y == INF {
                    (INF, FRAC_PI_4)
                } else if y.is_nan() {
                    (INF, NAN)
                } else {
                    (INF, 0.0)
                }
            } else if y == INF {
                (INF, FRAC_PI_2)
            } else if x.is_nan() && y == 0.0 {
                (NAN, 0.0)
            } else {
                (NAN, NAN)
            })
        });
    }
    let (x, y) = z;
    if x.abs() > LARGE || y.abs() > LARGE {
        let l = (x / 2.0).hypot(y / 2.0).ln() + 2.0 * LN_2;
        let re = if y >= 0.0 {
            l.copysign(x)
        } else {
            -l.copysign(-x)
        };
        return ok((re, y.atan2(x.abs())));
    }
    let s1 = c_sqrt((1.0 + y, -x)).0;
    let s2 = c_sqrt((1.0 - y, x)).0;
    ok((
        asinh(s1.0 * s2.1 - s2.0 * s1.1),
        y.atan2(s1.0 * s2.0 - s1.1 * s2.1),
    ))
}

fn c_atanh(z: C) -> R {
    if !finite(z) {
        let (x, y) = z;
        if x.is_nan() && y.is_infinite() {
            return ok((0.0, FRAC_PI_2.copysign(y)));
        }
        return odd_sym(z, |(x, y)| {
            ok(if x == INF {
                if y.is_nan() {
                    (0.0, NAN)
                } else {
                    (0.0, FRAC_PI_2)
                }
            } else if y == INF {
                (0.0, FRAC_PI_2)
            } else if x == 0.0 && y.is_nan() {
                (0.0, NAN)
            } else {
                (NAN, NAN)
            })
        });
    }
    odd_sym(z, |(x, y)| {
        // Here x and y are non-negative (sign bits clear).
        if x > SQRT_LARGE || y > SQRT_LARGE {
            let h = (x / 2.0).hypot(y / 2.0);
            return ok((x / 4.0 / h / h, FRAC_PI_2));
        }
        if x == 1.0 && y < SQRT_MIN {
            if y == 0.0 {
                return ((INF, y), Err::Domain);
            }
            return ok((-(y.sqrt() / y.hypot(2.0).sqrt()).ln(), 2f64.atan2(-y) / 2.0));
        }
        ok((
            (4.0 * x / ((1.0 - x) * (1.0 - x) + y * y)).ln_1p() / 4.0,
            -(-2.0 * y).atan2((1.0 - x) * (1.0 + x) - y * y) / 2.0,
        ))
    })
}

// --- trigonometric functions through the hyperbolic ones ---------------------------

/// `f(z) = -i g(iz)`: sin from sinh, tan from tanh, asin from asinh, atan from atanh.
fn via_i(z: C, g: fn(C) -> R) -> R {
    let ((a, b), e) = g((-z.1, z.0));
    ((b, -a), e)
}

fn c_asin(z: C) -> R {
    via_i(z, c_asinh)
}
fn c_atan(z: C) -> R {
    via_i(z, c_atanh)
}
fn c_sin(z: C) -> R {
    via_i(z, c_sinh)
}
fn c_tan(z: C) -> R {
    via_i(z, c_tanh)
}
/// `cos(z) = cosh(iz)`.
fn c_cos(z: C) -> R {
    c_cosh((-z.1, z.0))
}

fn c_log10(z: C) -> R {
    let ((a, b), e) = c_log(z);
    (
        (a / std::f64::consts::LN_10, b / std::f64::consts::LN_10),
        e,
    )
}

// --- arguments and results -----------------------------------------------------------

/// An argument as a complex number, as CPython's `PyComplex_AsCComplex`: a complex, an
/// object's `__complex__` (which must return a complex), else a real number.
fn complex_arg(vm: &mut Vm, v: &Value) -> PyResult<C> {
    if let Some(c) = v.downcast::<crate::types::complex::ComplexObj>() {
        return Ok((c.re, c.im));
    }
    if let Some(f) = crate::vm::lookup_special(v, "__complex__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        return match r.downcast::<crate::types::complex::ComplexObj>() {
            Some(c) => Ok((c.re, c.im)),
            None => Err(vm.type_error(format!(
                "__complex__ returned non-complex (type {})",
                type_name(&r)
            ))),
        };
    }
    Ok((num(vm, v)?, 0.0))
}

fn finish(vm: &mut Vm, r: R) -> PyResult<Value> {
    match r.1 {
        Err::None => Ok(new_complex(r.0.0, r.0.1)),
        Err::Domain => Err(vm.value_error("math domain error")),
        Err::Range => Err(vm.overflow_error("math range error")),
    }
}

fn unary(vm: &mut Vm, a: &Args, name: &str, f: fn(C) -> R) -> PyResult<Value> {
    let p = margs_in(vm, "cmath", name, a, 1, 1)?;
    let z = complex_arg(vm, &p[0])?;
    finish(vm, f(z))
}

macro_rules! unary_fns {
    ($($name:ident, $py:literal, $f:expr;)*) => {
        $(fn $name(vm: &mut Vm, a: &Args) -> PyResult<Value> { unary(vm, a, $py, $f) })*
    };
}

unary_fns! {
    m_sqrt, "sqrt", c_sqrt;
    m_exp, "exp", c_exp;
    m_log10, "log10", c_log10;
    m_acos, "acos", c_acos;
    m_asin, "asin", c_asin;
    m_atan, "atan", c_atan;
    m_cos, "cos", c_cos;
    m_sin, "sin", c_sin;
    m_tan, "tan", c_tan;
    m_acosh, "acosh", c_acosh;
    m_asinh, "asinh", c_asinh;
    m_atanh, "atanh", c_atanh;
    m_cosh, "cosh", c_cosh;
    m_sinh, "sinh", c_sinh;
    m_tanh, "tanh", c_tanh;
}

/// `log(z[, base])`: the base's logarithm divides (a zero one is a domain error).
fn m_log(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs_in(vm, "cmath", "log", a, 1, 2)?;
    let z = complex_arg(vm, &p[0])?;
    let (mut r, mut e) = c_log(z);
    if let Some(b) = p.get(1) {
        let b = complex_arg(vm, b)?;
        let (lb, eb) = c_log(b);
        if eb != Err::None {
            e = eb;
        }
        match crate::types::complex::div(r, lb) {
            Some(q) => r = q,
            None => e = Err::Domain,
        }
    }
    finish(vm, (r, e))
}

/// `phase(z)`: the argument, atan2(imag, real).
fn phase_of(z: C) -> f64 {
    z.1.atan2(z.0)
}

fn m_phase(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs_in(vm, "cmath", "phase", a, 1, 1)?;
    let z = complex_arg(vm, &p[0])?;
    Ok(Value::float(phase_of(z)))
}

/// `abs(z)` with an infinite part infinite (NaN otherwise only from NaN parts).
fn modulus(z: C) -> f64 {
    if z.0.is_infinite() || z.1.is_infinite() {
        INF
    } else {
        z.0.hypot(z.1)
    }
}

fn m_polar(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs_in(vm, "cmath", "polar", a, 1, 1)?;
    let z = complex_arg(vm, &p[0])?;
    let r = modulus(z);
    if r.is_infinite() && finite(z) {
        return Err(vm.overflow_error("math range error"));
    }
    Ok(TupleObj::from_items([
        Value::float(r),
        Value::float(phase_of(z)),
    ]))
}

/// `rect(r, phi)`: r·(cos phi + i sin phi); an infinite angle of a nonzero modulus is a
/// domain error.
fn c_rect(r: f64, phi: f64) -> R {
    if !r.is_finite() || !phi.is_finite() {
        let domain = r != 0.0 && !r.is_nan() && phi.is_infinite();
        if r.is_infinite() && phi.is_finite() && phi != 0.0 {
            let c = if r > 0.0 {
                (INF.copysign(phi.cos()), INF.copysign(phi.sin()))
            } else {
                (-INF.copysign(phi.cos()), -INF.copysign(phi.sin()))
            };
            return ok(c);
        }
        let c = if r == 0.0 {
            (0.0, 0.0)
        } else if r.is_infinite() && phi == 0.0 {
            (r, if r > 0.0 { phi } else { -phi })
        } else if r.is_infinite() {
            (INF, NAN)
        } else if r.is_nan() && phi == 0.0 {
            (NAN, 0.0)
        } else {
            (NAN, NAN)
        };
        return (c, if domain { Err::Domain } else { Err::None });
    }
    if phi == 0.0 {
        // r·phi keeps the zero's sign right for either sign of r.
        return ok((r, r * phi));
    }
    ok((r * phi.cos(), r * phi.sin()))
}

fn m_rect(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = margs_in(vm, "cmath", "rect", a, 2, 2)?;
    let r = num(vm, &p[0])?;
    let phi = num(vm, &p[1])?;
    finish(vm, c_rect(r, phi))
}

fn predicate(vm: &mut Vm, a: &Args, name: &str, f: fn(C) -> bool) -> PyResult<Value> {
    let p = margs_in(vm, "cmath", name, a, 1, 1)?;
    let z = complex_arg(vm, &p[0])?;
    Ok(Value::bool(f(z)))
}

fn m_isfinite(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    predicate(vm, a, "isfinite", finite)
}
fn m_isnan(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    predicate(vm, a, "isnan", |z| z.0.is_nan() || z.1.is_nan())
}
fn m_isinf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    predicate(vm, a, "isinf", |z| z.0.is_infinite() || z.1.is_infinite())
}

/// `isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)` on complex numbers.
fn m_isclose(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    // a and b are positional-or-keyword, the tolerances keyword-only.
    let args = super::native_args::bind(vm, "isclose", a, &["a", "b", "rel_tol", "abs_tol"], 2, 2)?;
    let (av, bv) = (args[0].cloned(), args[1].cloned());
    let (rv, tv) = (args[2].cloned(), args[3].cloned());
    let x = complex_arg(vm, av.as_ref().expect("required"))?;
    let y = complex_arg(vm, bv.as_ref().expect("required"))?;
    let rel = match rv {
        Some(v) => num(vm, &v)?,
        None => 1e-9,
    };
    let abs_tol = match tv {
        Some(v) => num(vm, &v)?,
        None => 0.0,
    };
    if rel < 0.0 || abs_tol < 0.0 {
        return Err(vm.value_error("tolerances must be non-negative"));
    }
    if x == y {
        return Ok(Value::bool(true));
    }
    if x.0.is_infinite() || x.1.is_infinite() || y.0.is_infinite() || y.1.is_infinite() {
        return Ok(Value::bool(false));
    }
    let d = modulus((x.0 - y.0, x.1 - y.1));
    Ok(Value::bool(
        d <= rel * modulus(y) || d <= rel * modulus(x) || d <= abs_tol,
    ))
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = super::native_args::module(
        "cmath",
        &[
            ("acos", m_acos),
            ("acosh", m_acosh),
            ("asin", m_asin),
            ("asinh", m_asinh),
            ("atan", m_atan),
            ("atanh", m_atanh),
            ("cos", m_cos),
            ("cosh", m_cosh),
            ("exp", m_exp),
            ("isclose", m_isclose),
            ("isfinite", m_isfinite),
            ("isinf", m_isinf),
            ("isnan", m_isnan),
            ("log", m_log),
            ("log10", m_log10),
            ("phase", m_phase),
            ("polar", m_polar),
            ("rect", m_rect),
            ("sin", m_sin),
            ("sinh", m_sinh),
            ("sqrt", m_sqrt),
            ("tan", m_tan),
            ("tanh", m_tanh),
        ],
    );
    use super::native_args::set;
    set(&m, "pi", Value::float(PI));
    set(&m, "e", Value::float(std::f64::consts::E));
    set(&m, "tau", Value::float(std::f64::consts::TAU));
    set(&m, "inf", Value::float(INF));
    set(&m, "infj", new_complex(0.0, INF));
    set(&m, "nan", Value::float(NAN));
    set(&m, "nanj", new_complex(0.0, NAN));
    Ok(m)
}
