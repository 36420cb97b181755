//! int: small ints live in the value word; larger ones are heap `BigIntObj`s.
//! Every operation normalises its result back to the small encoding when it fits.
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct BigIntObj(pub BigInt);

impl PyPayload for BigIntObj {
    fn class() -> RawValue {
        types().int
    }
}

/// An int operand: small, or a reference to a heap big int. Bools count as ints.
pub enum IntRef<'a> {
    Small(i64),
    Big(&'a BigInt),
}

impl IntRef<'_> {
    pub fn to_big(&self) -> BigInt {
        match self {
            IntRef::Small(i) => BigInt::from(*i),
            IntRef::Big(b) => (*b).clone(),
        }
    }
    pub fn to_f64(&self) -> Option<f64> {
        match self {
            IntRef::Small(i) => Some(*i as f64),
            IntRef::Big(b) => {
                let f = b.to_f64()?;
                if f.is_finite() { Some(f) } else { None }
            }
        }
    }
    pub fn is_zero(&self) -> bool {
        match self {
            IntRef::Small(i) => *i == 0,
            IntRef::Big(b) => b.is_zero(),
        }
    }
    pub fn is_negative(&self) -> bool {
        match self {
            IntRef::Small(i) => *i < 0,
            IntRef::Big(b) => b.is_negative(),
        }
    }
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            IntRef::Small(i) => Some(*i),
            IntRef::Big(b) => b.to_i64(),
        }
    }
}

/// View `v` as an int (including bool), or None.
#[inline]
pub fn as_int(v: &Value) -> Option<IntRef<'_>> {
    if let Some(i) = v.as_small_int() {
        return Some(IntRef::Small(i));
    }
    if v.is_bool() {
        return Some(IntRef::Small(v.is_true_singleton() as i64));
    }
    v.downcast::<BigIntObj>().map(|b| IntRef::Big(&b.0))
}

/// An `int` (small or big), not a bool or an instance of an int subclass: what the
/// int specializations accept.
#[inline(always)]
pub fn is_exact_int(v: &Value) -> bool {
    v.raw().is_small_int() || v.type_raw() == types().int
}

/// True for int and bool values.
pub fn is_int(v: &Value) -> bool {
    v.is_small_int() || v.is_bool() || v.downcast::<BigIntObj>().is_some()
}

pub fn int_hash(i: &IntRef) -> i64 {
    const P: u64 = (1 << 61) - 1;
    let h: i64 = match i {
        IntRef::Small(n) => {
            let m = (n.unsigned_abs() % P) as i64;
            if *n < 0 { -m } else { m }
        }
        IntRef::Big(b) => {
            let m = (b.abs() % BigInt::from(P)).to_i64().unwrap_or(0);
            if b.is_negative() { -m } else { m }
        }
    };
    if h == -1 { -2 } else { h }
}

pub fn add(a: &IntRef, b: &IntRef) -> Value {
    if let (IntRef::Small(x), IntRef::Small(y)) = (a, b) {
        return Value::int(x + y); // 48-bit operands cannot overflow i64
    }
    Value::bigint(a.to_big() + b.to_big())
}

pub fn sub(a: &IntRef, b: &IntRef) -> Value {
    if let (IntRef::Small(x), IntRef::Small(y)) = (a, b) {
        return Value::int(x - y);
    }
    Value::bigint(a.to_big() - b.to_big())
}

pub fn mul(a: &IntRef, b: &IntRef) -> Value {
    if let (IntRef::Small(x), IntRef::Small(y)) = (a, b)
        && let Some(r) = x.checked_mul(*y)
    {
        return Value::int(r);
    }
    Value::bigint(a.to_big() * b.to_big())
}

/// Floor division; the caller checked `b != 0`.
pub fn floordiv(a: &IntRef, b: &IntRef) -> Value {
    if let (IntRef::Small(x), IntRef::Small(y)) = (a, b) {
        return Value::int(x.div_floor(y));
    }
    Value::bigint(a.to_big().div_floor(&b.to_big()))
}

/// Modulo with the sign of the divisor; the caller checked `b != 0`.
pub fn modulo(a: &IntRef, b: &IntRef) -> Value {
    if let (IntRef::Small(x), IntRef::Small(y)) = (a, b) {
        return Value::int(x.mod_floor(y));
    }
    Value::bigint(a.to_big().mod_floor(&b.to_big()))
}

/// True division of ints, correctly rounded like CPython (exact for |values| < 2^53).
pub fn truediv(a: &IntRef, b: &IntRef) -> Option<f64> {
    if let (IntRef::Small(x), IntRef::Small(y)) = (a, b)
        && x.unsigned_abs() < (1 << 53)
        && y.unsigned_abs() < (1 << 53)
    {
        return Some(*x as f64 / *y as f64);
    }
    let (x, y) = (a.to_big(), b.to_big());
    // Scale so the quotient has 64+ significant bits, then round once.
    let neg = x.is_negative() != y.is_negative();
    let (x, y) = (x.abs(), y.abs());
    let shift = 66i64 - (x.bits() as i64 - y.bits() as i64);
    let (q, r) = if shift >= 0 {
        (&x << shift as usize).div_rem(&y)
    } else {
        x.div_rem(&(&y << (-shift) as usize))
    };
    let mut qf = q.to_f64()?;
    if !r.is_zero() && q.bits() <= 53 {
        qf += 0.5;
    }
    let res = qf * 2f64.powi(-shift as i32);
    if res.is_infinite() {
        return None;
    }
    Some(if neg { -res } else { res })
}

pub fn pow(a: &IntRef, b: u64) -> Value {
    if let IntRef::Small(x) = a
        && let Ok(e) = u32::try_from(b)
        && let Some(r) = x.checked_pow(e)
    {
        return Value::int(r);
    }
    let base = a.to_big();
    if base.is_one() || base.is_zero() {
        return Value::bigint(base);
    }
    Value::bigint(num_traits::pow::Pow::pow(&base, b))
}

pub fn to_str_radix(i: &IntRef, radix: u32) -> String {
    match i {
        IntRef::Small(n) => match radix {
            10 => n.to_string(),
            _ => {
                let mag = BigInt::from(*n).abs().to_str_radix(radix);
                if *n < 0 { format!("-{mag}") } else { mag }
            }
        },
        IntRef::Big(b) => {
            let mag = b.abs().to_str_radix(radix);
            if b.is_negative() {
                format!("-{mag}")
            } else {
                mag
            }
        }
    }
}
