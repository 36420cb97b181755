//! complex: a pair of doubles, with CPython's arithmetic, repr and hashing.
use crate::types::float::{float_hash, float_repr};
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct ComplexObj {
    pub re: f64,
    pub im: f64,
}

impl PyPayload for ComplexObj {
    fn class() -> RawValue {
        types().complex
    }
}

pub fn new_complex(re: f64, im: f64) -> Value {
    Value::alloc(ComplexObj { re, im })
}

/// CPython's complex repr: `(1+2j)`, `2j`, `(-0-1j)`, `(nan+infj)`.
pub fn complex_repr(re: f64, im: f64) -> String {
    fn part(v: f64) -> String {
        let s = float_repr(v);
        s.strip_suffix(".0").map(|x| x.to_string()).unwrap_or(s)
    }
    if re == 0.0 && re.is_sign_positive() {
        return format!("{}j", part(im));
    }
    // A NaN prints unsigned (`nan`), so it takes "+".
    let sign = if im.is_sign_negative() && !im.is_nan() {
        "-"
    } else {
        "+"
    };
    let im_abs = if im.is_nan() { f64::NAN } else { im.abs() };
    format!("({}{}{}j)", part(re), sign, part(im_abs))
}

/// CPython's complex hash: hash(re) + 1000003 * hash(im).
pub fn complex_hash(re: f64, im: f64) -> i64 {
    let h = (float_hash(re) as i128 + 1000003i128 * float_hash(im) as i128) as i64;
    if h == -1 { -2 } else { h }
}

/// `abs(z)`: infinite if a part is, NaN if a part is NaN (and none infinite); an
/// overflow of finite parts is CPython's OverflowError.
pub fn abs(vm: &mut crate::vm::Vm, re: f64, im: f64) -> crate::vm::PyResult<Value> {
    if re.is_infinite() || im.is_infinite() {
        return Ok(Value::float(f64::INFINITY));
    }
    let r = re.hypot(im);
    if r.is_infinite() {
        return Err(vm.overflow_error("absolute value too large"));
    }
    Ok(Value::float(r))
}

pub fn div(a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    let (ar, ai) = a;
    let (br, bi) = b;
    if br == 0.0 && bi == 0.0 {
        return None;
    }
    // Smith's algorithm, as CPython's _Py_c_quot.
    let abs_br = br.abs();
    let abs_bi = bi.abs();
    if abs_br >= abs_bi {
        let ratio = bi / br;
        let denom = br + bi * ratio;
        Some(((ar + ai * ratio) / denom, (ai - ar * ratio) / denom))
    } else {
        let ratio = br / bi;
        let denom = br * ratio + bi;
        Some(((ar * ratio + ai) / denom, (ai * ratio - ar) / denom))
    }
}

pub fn pow(a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    let (ar, ai) = a;
    let (br, bi) = b;
    if br == 0.0 && bi == 0.0 {
        return Some((1.0, 0.0));
    }
    if ar == 0.0 && ai == 0.0 {
        if bi != 0.0 || br < 0.0 {
            return None;
        }
        return Some((0.0, 0.0));
    }
    // Small integer exponents by repeated multiplication (CPython's c_powi).
    if bi == 0.0 && br == br.trunc() && br.abs() <= 100.0 {
        let n = br as i64;
        let mut result = (1.0, 0.0);
        let mut base = (ar, ai);
        let mut e = n.unsigned_abs();
        while e > 0 {
            if e & 1 == 1 {
                result = (
                    result.0 * base.0 - result.1 * base.1,
                    result.0 * base.1 + result.1 * base.0,
                );
            }
            base = (base.0 * base.0 - base.1 * base.1, 2.0 * base.0 * base.1);
            e >>= 1;
        }
        if n < 0 {
            return div((1.0, 0.0), result);
        }
        return Some(result);
    }
    let vabs = ar.hypot(ai);
    let mut len = vabs.powf(br);
    let at = ai.atan2(ar);
    let mut phase = at * br;
    if bi != 0.0 {
        len /= (at * bi).exp();
        phase += bi * vabs.ln();
    }
    Some((len * phase.cos(), len * phase.sin()))
}
