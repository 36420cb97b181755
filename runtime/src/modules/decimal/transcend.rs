//! `exp`, `ln` and `log10`, correctly rounded: integer approximations of the functions
//! to a few more digits than the precision, retried with more digits while the result
//! is too close to a rounding boundary to decide (the algorithms of CPython's
//! `_pydecimal.py`: `_iexp`, `_ilog`, `_dexp`, `_dlog`, `_dlog10`).
use std::sync::Mutex;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::coeff::Coeff;
use super::number::{Ctx, Dec, Round};

pub(super) fn pow10(n: i64) -> BigInt {
    BigInt::from(10u32).pow(n as u32)
}

/// Decimal digits of |n| (`len(str(abs(n)))`).
pub(super) fn ndigits(n: &BigInt) -> i64 {
    if n.is_zero() {
        return 1;
    }
    Coeff::from_big(n.magnitude().clone()).digits() as i64
}

/// Closest integer to a/b (b > 0), ties to even (`_div_nearest`).
pub(super) fn div_nearest(a: &BigInt, b: &BigInt) -> BigInt {
    let (q, r) = a.div_mod_floor(b);
    let odd = if q.is_odd() { 1 } else { 0 };
    if (&r * 2u32) + odd > *b { q + 1 } else { q }
}

/// Closest integer to x / 2^shift, ties to even (`_rshift_nearest`).
fn rshift_nearest(x: &BigInt, shift: u64) -> BigInt {
    let b = BigInt::one() << shift;
    let q = x >> shift;
    let r = x - (&q << shift);
    let odd = if q.is_odd() { 1 } else { 0 };
    if (r * 2u32) + odd > b { q + 1 } else { q }
}

/// Closest integer to sqrt(n), from the approximation a (`_sqrt_nearest`).
fn sqrt_nearest(n: &BigInt, mut a: BigInt) -> BigInt {
    let mut b = BigInt::zero();
    while a != b {
        let na = (&a - (-n).div_floor(&a)) >> 1u32;
        b = a;
        a = na;
    }
    a
}

/// `M * log(x/M)` approximately (`_ilog`).
fn ilog(x: &BigInt, m: &BigInt) -> BigInt {
    const L: i64 = 8;
    let mut y = x - m;
    let mut r: i64 = 0;
    loop {
        let ay = y.abs();
        let cont = if r <= L {
            (&ay << ((L - r) as u64)) >= *m
        } else {
            (&ay >> ((r - L) as u64)) >= *m
        };
        if !cont {
            break;
        }
        let inner = m * (m + rshift_nearest(&y, r as u64));
        let s = sqrt_nearest(&inner, m.clone());
        y = div_nearest(&((m * &y) << 1u32), &(m + s));
        r += 1;
    }
    let t = -Integer::div_floor(&(-10 * ndigits(m)), &(3 * L));
    let yshift = rshift_nearest(&y, r as u64);
    let mut w = div_nearest(m, &BigInt::from(t));
    for k in (1..t).rev() {
        w = div_nearest(m, &BigInt::from(k)) - div_nearest(&(&yshift * &w), m);
    }
    div_nearest(&(w * y), m)
}

/// Digits of log(10): `floor(10^p * log(10))`, computed once and extended on demand.
static LOG10_DIGITS: Mutex<String> = Mutex::new(String::new());

fn log10_digits(p: i64) -> BigInt {
    let mut g = LOG10_DIGITS.lock().unwrap_or_else(|e| e.into_inner());
    if g.is_empty() {
        *g = "23025850929940456840179914546843642076011014886".to_string();
    }
    if p as usize >= g.len() {
        let mut extra = 3;
        loop {
            let m = pow10(p + extra + 2);
            let d = div_nearest(&ilog(&(&m * 10u32), &m), &BigInt::from(100)).to_string();
            if !d.ends_with(&"0".repeat(extra as usize)) {
                let t = d.trim_end_matches('0');
                *g = t[..t.len() - 1].to_string();
                break;
            }
            extra += 3;
        }
    }
    g[..(p as usize + 1)].parse().unwrap_or_default()
}

/// `M * exp(x/M)` approximately, for small x/M (`_iexp`).
fn iexp(x: &BigInt, m: &BigInt) -> BigInt {
    const L: i64 = 8;
    let r = ((x << (L as u64)).div_floor(m)).bits() as i64;
    let t = -Integer::div_floor(&(-10 * ndigits(m)), &(3 * L));
    let mut y = div_nearest(x, &BigInt::from(t));
    let mshift = m << (r as u64);
    for i in (1..t).rev() {
        y = div_nearest(&(x * (&mshift + &y)), &(&mshift * i));
    }
    for k in (0..r).rev() {
        let ms = m << ((k + 2) as u64);
        y = div_nearest(&(&y * (&y + &ms)), &ms);
    }
    m + y
}

/// `(d, f)` with `d * 10^f` approximating `exp(c * 10^e)` to p digits (`_dexp`).
pub(super) fn dexp(c: &BigInt, e: i64, p: i64) -> (BigInt, i64) {
    let p = p + 2;
    let extra = (e + ndigits(c) - 1).max(0);
    let q = p + extra;
    let shift = e + q;
    let cshift = if shift >= 0 {
        c * pow10(shift)
    } else {
        c.div_floor(&pow10(-shift))
    };
    let (quot, rem) = cshift.div_mod_floor(&log10_digits(q));
    let rem = div_nearest(&rem, &pow10(extra));
    let d = div_nearest(&iexp(&rem, &pow10(p)), &BigInt::from(1000));
    (d, quot.to_i64().unwrap_or(0) - p + 3)
}

/// `10^p * log(c * 10^e)` approximately (`_dlog`).
pub(super) fn dlog(c: &BigInt, e: i64, p: i64) -> BigInt {
    let p = p + 2;
    let l = ndigits(c);
    let f = e + l - ((e + l >= 1) as i64);
    let log_d = if p > 0 {
        let k = e + p - f;
        let c = if k >= 0 {
            c * pow10(k)
        } else {
            div_nearest(c, &pow10(-k))
        };
        ilog(&c, &pow10(p))
    } else {
        BigInt::zero()
    };
    let f_log_ten = if f != 0 {
        let extra = ndigits(&BigInt::from(f)) - 1;
        if p + extra >= 0 {
            div_nearest(&(BigInt::from(f) * log10_digits(p + extra)), &pow10(extra))
        } else {
            BigInt::zero()
        }
    } else {
        BigInt::zero()
    };
    div_nearest(&(f_log_ten + log_d), &BigInt::from(100))
}

/// `10^p * log10(c * 10^e)` approximately (`_dlog10`).
fn dlog10(c: &BigInt, e: i64, p: i64) -> BigInt {
    let p = p + 2;
    let l = ndigits(c);
    let f = e + l - ((e + l >= 1) as i64);
    let (log_d, log_tenpower) = if p > 0 {
        let m = pow10(p);
        let k = e + p - f;
        let c = if k >= 0 {
            c * pow10(k)
        } else {
            div_nearest(c, &pow10(-k))
        };
        let log_d = ilog(&c, &m);
        let log_10 = log10_digits(p);
        (div_nearest(&(log_d * &m), &log_10), BigInt::from(f) * m)
    } else {
        (BigInt::zero(), div_nearest(&BigInt::from(f), &pow10(-p)))
    };
    div_nearest(&(log_tenpower + log_d), &BigInt::from(100))
}

/// Whether an approximation with error up to 1 in its last place can be rounded to
/// `p` digits: its digits past the p-th are not 0 or 5 followed by zeros.
fn decided(coeff: &BigInt, p: i64) -> bool {
    let n = ndigits(coeff) - p - 1;
    if n < 0 {
        return true;
    }
    !(coeff.abs() % (pow10(n) * 5u32)).is_zero()
}

fn finish(neg: bool, c: BigInt, exp: i64, ctx: &Ctx, st: &mut u32) -> Dec {
    let mag = Coeff::from_big(c.magnitude().clone());
    let c2 = ctx.with_round(Round::HalfEven);
    Dec::finite(neg, mag, exp).fix(&c2, st)
}

fn big_coeff(d: &Dec) -> BigInt {
    BigInt::from_biguint(Sign::Plus, d.coeff.to_big())
}

impl Dec {
    pub fn exp_(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        if self.is_inf() {
            return if self.neg {
                Dec::small(false, 0, 0)
            } else {
                self.clone()
            };
        }
        if self.is_zero() {
            return Dec::small(false, 1, 0);
        }
        let p = ctx.prec;
        let adj = self.adjusted();
        let len_of = |v: i64| v.to_string().len() as i64;
        let (neg_c, c, e) = (self.neg, big_coeff(self), self.exp);
        let (coeff, exp) = if !self.neg && adj > len_of((ctx.emax + 1) * 3) {
            (BigInt::one(), ctx.emax + 1)
        } else if self.neg && adj > len_of((-ctx.etiny() + 1) * 3) {
            (BigInt::one(), ctx.etiny() - 1)
        } else if !self.neg && adj < -p {
            (pow10(p) + 1, -p)
        } else if self.neg && adj < -p - 1 {
            (pow10(p + 1) - 1, -p - 1)
        } else {
            let c = if neg_c { -c } else { c };
            let mut extra = 3;
            loop {
                let (coeff, exp) = dexp(&c, e, p + extra);
                if decided(&coeff, p) {
                    break (coeff, exp);
                }
                extra += 3;
            }
        };
        finish(false, coeff, exp, ctx, st)
    }

    /// A lower bound r with |ln(self)| >= 10^r (`_ln_exp_bound`).
    fn ln_exp_bound(&self) -> i64 {
        let adj = self.adjusted();
        let len_of = |v: &BigInt| v.to_string().len() as i64;
        if adj >= 1 {
            return len_of(&BigInt::from(adj * 23 / 10)) - 1;
        }
        if adj <= -2 {
            return len_of(&BigInt::from((-1 - adj) * 23 / 10)) - 1;
        }
        let c = big_coeff(self);
        let e = self.exp;
        if adj == 0 {
            let num = (&c - pow10(-e)).to_string();
            let den = c.to_string();
            return num.len() as i64 - den.len() as i64 - (num < den) as i64;
        }
        e + len_of(&(pow10(-e) - c)) - 1
    }

    pub fn ln(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        if self.is_zero() {
            return Dec::inf(true);
        }
        if self.is_inf() && !self.neg {
            return self.clone();
        }
        if self.is_finite() && !self.neg && self.cmp_num(&Dec::small(false, 1, 0)).is_eq() {
            return Dec::small(false, 0, 0);
        }
        if self.neg {
            *st |= super::signals::INVALID_OPERATION;
            return Dec::nan();
        }
        let (c, e, p) = (big_coeff(self), self.exp, ctx.prec);
        let mut places = p - self.ln_exp_bound() + 2;
        let coeff = loop {
            let coeff = dlog(&c, e, places);
            if decided(&coeff, p) {
                break coeff;
            }
            places += 3;
        };
        finish(coeff.is_negative(), coeff, -places, ctx, st)
    }

    pub(super) fn log10_exp_bound(&self) -> i64 {
        let adj = self.adjusted();
        if adj >= 1 {
            return adj.to_string().len() as i64 - 1;
        }
        if adj <= -2 {
            return (-1 - adj).to_string().len() as i64 - 1;
        }
        let c = big_coeff(self);
        let e = self.exp;
        if adj == 0 {
            let num = (&c - pow10(-e)).to_string();
            let den = (c * 231u32).to_string();
            return num.len() as i64 - den.len() as i64 - (num < den) as i64 + 2;
        }
        let num = (pow10(-e) - c).to_string();
        num.len() as i64 + e - (num.as_str() < "231") as i64 - 1
    }

    pub fn log10(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        if self.is_zero() {
            return Dec::inf(true);
        }
        if self.is_inf() && !self.neg {
            return self.clone();
        }
        if self.neg {
            *st |= super::signals::INVALID_OPERATION;
            return Dec::nan();
        }
        let s = self.coeff.to_decimal_string();
        let c2 = ctx.with_round(Round::HalfEven);
        if s.as_bytes()[0] == b'1' && s[1..].bytes().all(|b| b == b'0') {
            return Dec::from_i64(self.adjusted()).fix(&c2, st);
        }
        let (c, e, p) = (big_coeff(self), self.exp, ctx.prec);
        let mut places = p - self.log10_exp_bound() + 2;
        let coeff = loop {
            let coeff = dlog10(&c, e, places);
            if decided(&coeff, p) {
                break coeff;
            }
            places += 3;
        };
        finish(coeff.is_negative(), coeff, -places, ctx, st)
    }
}
