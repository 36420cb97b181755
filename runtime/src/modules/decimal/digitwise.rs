//! Operations on a number's digits and exponent rather than its value: `logb`,
//! `scaleb`, `rotate`, `shift`, the logical operations (numbers whose digits are all
//! 0 or 1), and the classification predicates.
use super::coeff::Coeff;
use super::number::{Ctx, Dec};
use super::signals::*;

/// `c mod 10^n`, without building 10^n when `c` is shorter.
fn low_digits(c: &Coeff, n: u64) -> Coeff {
    if c.digits() <= n {
        c.clone()
    } else {
        c.divmod10(n).1
    }
}

/// The integer an operand of rotate/shift/scaleb stands for, or None (then the
/// operation is invalid): it must be an integer with exponent 0 within `lim`.
fn int_operand(d: &Dec, lim: i64) -> Option<i64> {
    if d.is_special() || d.exp != 0 {
        return None;
    }
    let v = match &d.coeff {
        Coeff::Small(v) if *v <= i64::MAX as u64 => *v as i64,
        _ => return None,
    };
    let v = if d.neg { -v } else { v };
    (-lim..=lim).contains(&v).then_some(v)
}

impl Dec {
    pub fn logb(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        if self.is_inf() {
            return Dec::inf(false);
        }
        if self.is_zero() {
            *st |= DIVISION_BY_ZERO;
            return Dec::inf(true);
        }
        Dec::from_i64(self.adjusted()).fix(ctx, st)
    }

    pub fn scaleb(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(Some(other), ctx, st) {
            return n;
        }
        let lim = 2 * (ctx.emax + ctx.prec);
        let Some(k) = int_operand(other, lim) else {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        };
        if self.is_inf() {
            return self.clone();
        }
        Dec::finite(self.neg, self.coeff.clone(), self.exp + k).fix(ctx, st)
    }

    pub fn rotate(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(Some(other), ctx, st) {
            return n;
        }
        let Some(k) = int_operand(other, ctx.prec) else {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        };
        if self.is_inf() {
            return self.clone();
        }
        let p = ctx.prec as u64;
        let c = low_digits(&self.coeff, p);
        // Rotating left by k of p digits: the top k digits come round to the bottom.
        let left = if k >= 0 { k as u64 } else { p - (-k) as u64 };
        let hi = low_digits(&c.shl10(left), p);
        let lo = if p - left >= c.digits() {
            Coeff::ZERO
        } else {
            c.divmod10(p - left).0
        };
        Dec::finite(self.neg, hi.add(&lo), self.exp)
    }

    pub fn shift(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(Some(other), ctx, st) {
            return n;
        }
        let Some(k) = int_operand(other, ctx.prec) else {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        };
        if self.is_inf() {
            return self.clone();
        }
        let p = ctx.prec as u64;
        let c = low_digits(&self.coeff, p);
        let r = if k >= 0 {
            low_digits(&c.shl10(k as u64), p)
        } else {
            c.divmod10((-k) as u64).0
        };
        Dec::finite(self.neg, r, self.exp)
    }

    /// A finite, positive number with exponent 0 and only 0s and 1s as digits.
    fn logical_digits(&self) -> Option<Vec<u8>> {
        if self.is_special() || self.neg || self.exp != 0 {
            return None;
        }
        let s = self.coeff.to_decimal_string().into_bytes();
        s.iter().all(|&d| d == b'0' || d == b'1').then_some(s)
    }

    /// `logical_and`/`or`/`xor` digit by digit on the last `prec` digits.
    pub fn logical(&self, other: &Dec, op: fn(u8, u8) -> u8, ctx: &Ctx, st: &mut u32) -> Dec {
        let (Some(a), Some(b)) = (self.logical_digits(), other.logical_digits()) else {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        };
        let n = a.len().max(b.len()).min(ctx.prec as usize);
        let digit = |v: &[u8], i: usize| -> u8 {
            // i-th digit from the right
            if i < v.len() {
                v[v.len() - 1 - i] - b'0'
            } else {
                0
            }
        };
        let mut out: Vec<u8> = (0..n)
            .rev()
            .map(|i| b'0' + op(digit(&a, i), digit(&b, i)))
            .collect();
        let first = out.iter().position(|&d| d != b'0').unwrap_or(out.len());
        out.drain(..first);
        let coeff = if out.is_empty() {
            Coeff::ZERO
        } else {
            Coeff::parse(&out)
        };
        Dec::finite(false, coeff, 0)
    }

    pub fn logical_invert(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        let ones = vec![b'1'; ctx.prec as usize];
        let all = Dec::finite(false, Coeff::parse(&ones), 0);
        self.logical(&all, |x, y| x ^ y, ctx, st)
    }

    pub fn is_normal(&self, ctx: &Ctx) -> bool {
        self.is_finite() && !self.coeff.is_zero() && self.adjusted() >= ctx.emin
    }

    pub fn is_subnormal(&self, ctx: &Ctx) -> bool {
        self.is_finite() && !self.coeff.is_zero() && self.adjusted() < ctx.emin
    }

    pub fn number_class(&self, ctx: &Ctx) -> &'static str {
        if self.is_snan() {
            return "sNaN";
        }
        if self.is_qnan() {
            return "NaN";
        }
        let neg = self.neg;
        let (p, n) = if self.is_inf() {
            ("+Infinity", "-Infinity")
        } else if self.is_zero() {
            ("+Zero", "-Zero")
        } else if self.is_subnormal(ctx) {
            ("+Subnormal", "-Subnormal")
        } else {
            ("+Normal", "-Normal")
        };
        if neg { n } else { p }
    }
}
