//! Decimal numbers (sign, coefficient, exponent, or a special value) and the
//! arithmetic of the General Decimal Arithmetic specification, rounded to a context.
//!
//! Each operation takes the context's arithmetic settings ([`Ctx`]) and ORs the
//! conditions it raises into a status word (`signals.rs` bits); it never looks at
//! flags or traps, so the Python layer decides what is raised. The algorithms follow
//! CPython's `_pydecimal.py` (the readable statement of what CPython's C module
//! computes): exact integer arithmetic on the coefficients, then [`Dec::fix`] rounds
//! to the precision and exponent range.
use std::cmp::Ordering;

use super::coeff::{Coeff, POW10, Rest, digits_u64};
use super::signals::*;

/// Rounding modes, in libmpdec's order (the order `Context` reprs and pickles use).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Round {
    Up,
    Down,
    Ceiling,
    Floor,
    HalfUp,
    HalfDown,
    HalfEven,
    R05Up,
}

pub const ROUND_NAMES: [(&str, Round); 8] = [
    ("ROUND_UP", Round::Up),
    ("ROUND_DOWN", Round::Down),
    ("ROUND_CEILING", Round::Ceiling),
    ("ROUND_FLOOR", Round::Floor),
    ("ROUND_HALF_UP", Round::HalfUp),
    ("ROUND_HALF_DOWN", Round::HalfDown),
    ("ROUND_HALF_EVEN", Round::HalfEven),
    ("ROUND_05UP", Round::R05Up),
];

impl Round {
    pub fn name(self) -> &'static str {
        ROUND_NAMES
            .iter()
            .find(|(_, r)| *r == self)
            .map(|(n, _)| *n)
            .unwrap_or("ROUND_HALF_EVEN")
    }

    pub fn from_name(s: &str) -> Option<Round> {
        ROUND_NAMES.iter().find(|(n, _)| *n == s).map(|(_, r)| *r)
    }

    /// Whether to add one to the kept digits, given the dropped ones (`rest`), the
    /// sign and the kept last digit.
    pub fn increments(self, neg: bool, rest: Rest, last: u64) -> bool {
        match self {
            Round::Down => false,
            Round::Up => rest != Rest::Zero,
            Round::HalfUp => matches!(rest, Rest::Half | Rest::High),
            Round::HalfDown => rest == Rest::High,
            Round::HalfEven => rest == Rest::High || (rest == Rest::Half && last % 2 == 1),
            Round::Ceiling => !neg && rest != Rest::Zero,
            Round::Floor => neg && rest != Rest::Zero,
            Round::R05Up => rest != Rest::Zero && (last == 0 || last == 5),
        }
    }
}

/// The arithmetic settings of a context (what an operation reads).
#[derive(Clone, Copy, Debug)]
pub struct Ctx {
    pub prec: i64,
    pub emax: i64,
    pub emin: i64,
    pub round: Round,
    pub clamp: bool,
}

impl Ctx {
    pub fn etiny(&self) -> i64 {
        self.emin - self.prec + 1
    }
    pub fn etop(&self) -> i64 {
        self.emax - self.prec + 1
    }
    pub fn with_round(&self, round: Round) -> Ctx {
        Ctx { round, ..*self }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Finite,
    Inf,
    NaN,
    SNaN,
}

/// A decimal number: `(-1)^neg * coeff * 10^exp`, or an infinity, or a NaN whose
/// `coeff` is its diagnostic payload (zero: none).
#[derive(Clone, Debug)]
pub struct Dec {
    pub neg: bool,
    pub kind: Kind,
    pub coeff: Coeff,
    pub exp: i64,
}

/// The nonzero exact result `mag * 10^exp` when the context holds it as it is (no
/// more than `prec` digits, adjusted exponent within emin..=emax, nothing to clamp):
/// what `fix` would return unchanged, with no condition raised.
#[inline]
fn exact_in(ctx: &Ctx, neg: bool, mag: u128, exp: i64) -> Option<Dec> {
    let m = u64::try_from(mag).ok().filter(|&m| m != 0)?;
    let nd = digits_u64(m) as i64;
    let adj = exp + nd - 1;
    if nd > ctx.prec || adj < ctx.emin || adj > ctx.emax || (ctx.clamp && exp > ctx.etop()) {
        return None;
    }
    Some(Dec::small(neg, m, exp))
}

/// Cut `c` by `drop` digits: the kept digits and how the dropped ones compare with half.
pub fn round_at(c: &Coeff, drop: u64) -> (Coeff, Rest) {
    if drop == 0 {
        return (c.clone(), Rest::Zero);
    }
    let nd = c.digits();
    if drop > nd {
        let rest = if c.is_zero() { Rest::Zero } else { Rest::Low };
        return (Coeff::ZERO, rest);
    }
    let (q, r) = c.divmod10(drop);
    (q, Coeff::rest_vs_half(&r, drop))
}

impl Dec {
    pub fn finite(neg: bool, coeff: Coeff, exp: i64) -> Dec {
        Dec {
            neg,
            kind: Kind::Finite,
            coeff,
            exp,
        }
    }
    pub fn small(neg: bool, c: u64, exp: i64) -> Dec {
        Dec::finite(neg, Coeff::Small(c), exp)
    }
    pub fn inf(neg: bool) -> Dec {
        Dec {
            neg,
            kind: Kind::Inf,
            coeff: Coeff::ZERO,
            exp: 0,
        }
    }
    /// The quiet NaN an invalid operation answers.
    pub fn nan() -> Dec {
        Dec {
            neg: false,
            kind: Kind::NaN,
            coeff: Coeff::ZERO,
            exp: 0,
        }
    }
    pub fn from_i64(v: i64) -> Dec {
        Dec::small(v < 0, v.unsigned_abs(), 0)
    }

    pub fn is_special(&self) -> bool {
        self.kind != Kind::Finite
    }
    pub fn is_nan(&self) -> bool {
        matches!(self.kind, Kind::NaN | Kind::SNaN)
    }
    pub fn is_snan(&self) -> bool {
        self.kind == Kind::SNaN
    }
    pub fn is_qnan(&self) -> bool {
        self.kind == Kind::NaN
    }
    pub fn is_inf(&self) -> bool {
        self.kind == Kind::Inf
    }
    pub fn is_finite(&self) -> bool {
        self.kind == Kind::Finite
    }
    /// Zero (finite with a zero coefficient).
    pub fn is_zero(&self) -> bool {
        self.kind == Kind::Finite && self.coeff.is_zero()
    }
    /// `bool(d)`: NaNs and infinities are true.
    pub fn is_nonzero(&self) -> bool {
        self.kind != Kind::Finite || !self.coeff.is_zero()
    }
    pub fn digits(&self) -> u64 {
        self.coeff.digits()
    }
    /// The exponent of the most significant digit (`adjusted()`); 0 for specials.
    pub fn adjusted(&self) -> i64 {
        if self.is_special() {
            return 0;
        }
        self.exp + self.digits() as i64 - 1
    }
    pub fn negated(&self) -> Dec {
        Dec {
            neg: !self.neg,
            ..self.clone()
        }
    }
    pub fn with_sign(&self, neg: bool) -> Dec {
        Dec {
            neg,
            ..self.clone()
        }
    }
    // ---- rounding to a context -------------------------------------------------

    /// Cut a NaN's payload to what the context can hold.
    pub fn fix_nan(&self, ctx: &Ctx) -> Dec {
        let max = (ctx.prec - ctx.clamp as i64).max(0) as u64;
        if self.coeff.digits() > max && !self.coeff.is_zero() {
            let (_, r) = self.coeff.divmod10(max);
            return Dec {
                coeff: r,
                ..self.clone()
            };
        }
        self.clone()
    }

    /// The result of an overflow, by rounding mode and sign.
    pub fn overflow_result(neg: bool, ctx: &Ctx) -> Dec {
        let inf = match ctx.round {
            Round::HalfUp | Round::HalfEven | Round::HalfDown | Round::Up => true,
            Round::Ceiling => !neg,
            Round::Floor => neg,
            Round::Down | Round::R05Up => false,
        };
        if inf {
            Dec::inf(neg)
        } else {
            Dec::finite(neg, max_coeff(ctx.prec), ctx.etop())
        }
    }

    /// Round to the context's precision and fit the exponent range (`_fix`).
    pub fn fix(self, ctx: &Ctx, st: &mut u32) -> Dec {
        match self.kind {
            Kind::NaN | Kind::SNaN => return self.fix_nan(ctx),
            Kind::Inf => return self,
            Kind::Finite => {}
        }
        let etiny = ctx.etiny();
        let etop = ctx.etop();
        if self.coeff.is_zero() {
            let exp_max = if ctx.clamp { etop } else { ctx.emax };
            let e = self.exp.max(etiny).min(exp_max);
            if e != self.exp {
                *st |= CLAMPED;
                return Dec::finite(self.neg, Coeff::ZERO, e);
            }
            return self;
        }
        let nd = self.digits() as i64;
        let mut exp_min = nd + self.exp - ctx.prec;
        if exp_min > etop {
            *st |= OVERFLOW | INEXACT | ROUNDED;
            return Dec::overflow_result(self.neg, ctx);
        }
        let subnormal = exp_min < etiny;
        if subnormal {
            exp_min = etiny;
        }
        if self.exp < exp_min {
            let drop = (exp_min - self.exp) as u64;
            let (mut q, rest) = round_at(&self.coeff, drop);
            let changed = rest != Rest::Zero;
            if ctx.round.increments(self.neg, rest, q.last_digit()) {
                q = q.add_small(1);
                if q.digits() as i64 > ctx.prec {
                    q = q.divmod10(1).0;
                    exp_min += 1;
                }
            }
            let ans = if exp_min > etop {
                *st |= OVERFLOW;
                Dec::overflow_result(self.neg, ctx)
            } else {
                Dec::finite(self.neg, q, exp_min)
            };
            if changed && subnormal {
                *st |= UNDERFLOW;
            }
            if subnormal {
                *st |= SUBNORMAL;
            }
            if changed {
                *st |= INEXACT;
            }
            *st |= ROUNDED;
            if ans.is_zero() {
                *st |= CLAMPED;
            }
            return ans;
        }
        if subnormal {
            *st |= SUBNORMAL;
        }
        if ctx.clamp && self.exp > etop {
            *st |= CLAMPED;
            let c = self.coeff.shl10((self.exp - etop) as u64);
            return Dec::finite(self.neg, c, etop);
        }
        self
    }

    /// Rescale to exponent `exp` (pad with zeros or round), quietly (`_rescale`).
    pub fn rescale(&self, exp: i64, round: Round) -> Dec {
        self.rescale_exact(exp, round).0
    }

    /// `rescale`, and whether the result is exactly `self` (no nonzero digit dropped).
    pub fn rescale_exact(&self, exp: i64, round: Round) -> (Dec, bool) {
        if self.is_special() {
            return (self.clone(), true);
        }
        if self.coeff.is_zero() {
            return (Dec::finite(self.neg, Coeff::ZERO, exp), true);
        }
        if self.exp >= exp {
            let c = self.coeff.shl10((self.exp - exp) as u64);
            return (Dec::finite(self.neg, c, exp), true);
        }
        let (mut q, rest) = round_at(&self.coeff, (exp - self.exp) as u64);
        if round.increments(self.neg, rest, q.last_digit()) {
            q = q.add_small(1);
        }
        (Dec::finite(self.neg, q, exp), rest == Rest::Zero)
    }

    // ---- NaN handling -----------------------------------------------------------

    /// The NaN an operation on `self` (and `other`) answers, if either is a NaN:
    /// signalling NaNs first (InvalidOperation, made quiet), then quiet ones.
    pub fn check_nans(&self, other: Option<&Dec>, ctx: &Ctx, st: &mut u32) -> Option<Dec> {
        let o_nan = other.is_some_and(|o| o.is_nan());
        if !self.is_nan() && !o_nan {
            return None;
        }
        if self.is_snan() {
            *st |= INVALID_OPERATION;
            return Some(self.quieted().fix_nan(ctx));
        }
        if let Some(o) = other
            && o.is_snan()
        {
            *st |= INVALID_OPERATION;
            return Some(o.quieted().fix_nan(ctx));
        }
        if self.is_nan() {
            return Some(self.fix_nan(ctx));
        }
        other.map(|o| o.fix_nan(ctx))
    }

    pub fn quieted(&self) -> Dec {
        Dec {
            kind: if self.is_nan() { Kind::NaN } else { self.kind },
            ..self.clone()
        }
    }

    /// `_compare_check_nans`: any NaN signals InvalidOperation.
    pub fn compare_check_nans(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Option<Dec> {
        if !self.is_special() && !other.is_special() {
            return None;
        }
        for d in [self, other] {
            if d.is_snan() {
                *st |= INVALID_OPERATION;
                return Some(d.quieted().fix_nan(ctx));
            }
        }
        for d in [self, other] {
            if d.is_qnan() {
                *st |= INVALID_OPERATION;
                return Some(d.fix_nan(ctx));
            }
        }
        None
    }

    // ---- comparison -------------------------------------------------------------

    /// Numeric order of two non-NaN numbers (`_cmp`).
    pub fn cmp_num(&self, other: &Dec) -> Ordering {
        if self.is_special() || other.is_special() {
            let si = if self.is_inf() {
                if self.neg { -1 } else { 1 }
            } else {
                0
            };
            let oi = if other.is_inf() {
                if other.neg { -1 } else { 1 }
            } else {
                0
            };
            if si != 0 || oi != 0 {
                if si == oi {
                    return Ordering::Equal;
                }
                if si != 0 && oi != 0 {
                    return si.cmp(&oi);
                }
                if si != 0 {
                    return si.cmp(&0);
                }
                return 0.cmp(&oi);
            }
        }
        let (sz, oz) = (self.is_zero(), other.is_zero());
        if sz || oz {
            if sz && oz {
                return Ordering::Equal;
            }
            if sz {
                return if other.neg {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
            }
            return if self.neg {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        if self.neg != other.neg {
            return if self.neg {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let mag = self.cmp_abs_finite(other);
        if self.neg { mag.reverse() } else { mag }
    }

    /// Order of the absolute values of two nonzero finite numbers.
    fn cmp_abs_finite(&self, other: &Dec) -> Ordering {
        let (sa, oa) = (self.adjusted(), other.adjusted());
        if sa != oa {
            return sa.cmp(&oa);
        }
        let (a, b) = if self.exp >= other.exp {
            (
                self.coeff.shl10((self.exp - other.exp) as u64),
                other.coeff.clone(),
            )
        } else {
            (
                self.coeff.clone(),
                other.coeff.shl10((other.exp - self.exp) as u64),
            )
        };
        a.cmp(&b)
    }

    // ---- arithmetic -------------------------------------------------------------

    /// `self + other` (`other` negated first when `sub`).
    pub fn add(&self, other: &Dec, sub: bool, ctx: &Ctx, st: &mut u32) -> Dec {
        let oneg = other.neg ^ sub;
        if let Some(d) = self.add_small(other, oneg, ctx) {
            return d;
        }
        if self.is_special() || other.is_special() {
            if let Some(n) = self.check_nans(Some(other), ctx, st) {
                return n;
            }
            if self.is_inf() {
                if other.is_inf() && self.neg != oneg {
                    *st |= INVALID_OPERATION;
                    return Dec::nan();
                }
                return self.clone();
            }
            return Dec::inf(oneg);
        }
        let exp = self.exp.min(other.exp);
        let negzero = ctx.round == Round::Floor && self.neg != oneg;
        let (sz, oz) = (self.coeff.is_zero(), other.coeff.is_zero());
        if sz && oz {
            let neg = (self.neg && oneg) || negzero;
            return Dec::finite(neg, Coeff::ZERO, exp).fix(ctx, st);
        }
        if sz {
            let e = exp.max(other.exp - ctx.prec - 1);
            return other.with_sign(oneg).rescale(e, ctx.round).fix(ctx, st);
        }
        if oz {
            let e = exp.max(self.exp - ctx.prec - 1);
            return self.rescale(e, ctx.round).fix(ctx, st);
        }
        // Bring both to one exponent; an operand far below the other's last digit
        // counts only as a sticky digit (`_normalize`).
        let (mut hi, mut lo) = if self.exp < other.exp {
            (
                (oneg, other.coeff.clone(), other.exp),
                (self.neg, self.coeff.clone(), self.exp),
            )
        } else {
            (
                (self.neg, self.coeff.clone(), self.exp),
                (oneg, other.coeff.clone(), other.exp),
            )
        };
        let hi_len = hi.1.digits() as i64;
        let lo_len = lo.1.digits() as i64;
        let e = hi.2 + (-1i64).min(hi_len - ctx.prec - 2);
        if lo_len + lo.2 - 1 < e {
            lo.1 = Coeff::Small(1);
            lo.2 = e;
        }
        hi.1 = hi.1.shl10((hi.2 - lo.2) as u64);
        hi.2 = lo.2;
        let rexp = lo.2;
        if hi.0 != lo.0 {
            match hi.1.cmp(&lo.1) {
                Ordering::Equal => Dec::finite(negzero, Coeff::ZERO, exp).fix(ctx, st),
                Ordering::Greater => Dec::finite(hi.0, hi.1.sub(&lo.1), rexp).fix(ctx, st),
                Ordering::Less => Dec::finite(lo.0, lo.1.sub(&hi.1), rexp).fix(ctx, st),
            }
        } else {
            Dec::finite(hi.0, hi.1.add(&lo.1), rexp).fix(ctx, st)
        }
    }

    /// `self + other` with `other`'s sign `oneg`, when both are finite with word-sized
    /// coefficients at most 18 places apart and the exact sum fits the context: the
    /// answer of the general path (an exact result keeps the smaller exponent) without
    /// its alignment and rounding. None: take the general path.
    fn add_small(&self, other: &Dec, oneg: bool, ctx: &Ctx) -> Option<Dec> {
        let (Kind::Finite, Kind::Finite, Coeff::Small(a), Coeff::Small(b)) =
            (self.kind, other.kind, &self.coeff, &other.coeff)
        else {
            return None;
        };
        let (hi, hneg, lo, lneg, d, exp) = if self.exp >= other.exp {
            (*a, self.neg, *b, oneg, self.exp - other.exp, other.exp)
        } else {
            (*b, oneg, *a, self.neg, other.exp - self.exp, self.exp)
        };
        if d > 18 {
            return None;
        }
        // Below 2^64 * 10^18 < 2^127: no overflow in i128.
        let x = hi as i128 * POW10[d as usize] as i128;
        let x = if hneg { -x } else { x };
        let y = if lneg { -(lo as i128) } else { lo as i128 };
        let r = x + y;
        if r == 0 {
            // The sign of a zero sum depends on the rounding: the general path.
            return None;
        }
        exact_in(ctx, r < 0, r.unsigned_abs(), exp)
    }

    pub fn mul(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        let neg = self.neg ^ other.neg;
        if let (Kind::Finite, Kind::Finite, Coeff::Small(a), Coeff::Small(b)) =
            (self.kind, other.kind, &self.coeff, &other.coeff)
            && let Some(d) = exact_in(ctx, neg, *a as u128 * *b as u128, self.exp + other.exp)
        {
            return d;
        }
        if self.is_special() || other.is_special() {
            if let Some(n) = self.check_nans(Some(other), ctx, st) {
                return n;
            }
            if (self.is_inf() && other.is_zero()) || (other.is_inf() && self.is_zero()) {
                *st |= INVALID_OPERATION;
                return Dec::nan();
            }
            return Dec::inf(neg);
        }
        Dec::finite(neg, self.coeff.mul(&other.coeff), self.exp + other.exp).fix(ctx, st)
    }

    /// `self / other` (`__truediv__`).
    pub fn div(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        let neg = self.neg ^ other.neg;
        if self.is_special() || other.is_special() {
            if let Some(n) = self.check_nans(Some(other), ctx, st) {
                return n;
            }
            if self.is_inf() && other.is_inf() {
                *st |= INVALID_OPERATION;
                return Dec::nan();
            }
            if self.is_inf() {
                return Dec::inf(neg);
            }
            *st |= CLAMPED;
            return Dec::finite(neg, Coeff::ZERO, ctx.etiny());
        }
        if other.coeff.is_zero() {
            if self.coeff.is_zero() {
                *st |= DIVISION_UNDEFINED;
                return Dec::nan();
            }
            *st |= DIVISION_BY_ZERO;
            return Dec::inf(neg);
        }
        let (coeff, exp) = if self.coeff.is_zero() {
            (Coeff::ZERO, self.exp - other.exp)
        } else if let Some(q) = exact_quotient(&self.coeff, &other.coeff, ctx.prec) {
            q.with_exp_base(self.exp - other.exp)
        } else {
            let shift = other.digits() as i64 - self.digits() as i64 + ctx.prec + 1;
            let mut exp = self.exp - other.exp - shift;
            let (mut q, r) = if shift >= 0 {
                self.coeff.shl10(shift as u64).divmod(&other.coeff)
            } else {
                self.coeff.divmod(&other.coeff.shl10((-shift) as u64))
            };
            if !r.is_zero() {
                if q.last_digit().is_multiple_of(5) {
                    q = q.add_small(1);
                }
            } else {
                let ideal = self.exp - other.exp;
                while exp < ideal && q.last_digit() == 0 && !q.is_zero() {
                    q = q.divmod10(1).0;
                    exp += 1;
                }
            }
            (q, exp)
        };
        Dec::finite(neg, coeff, exp).fix(ctx, st)
    }

    /// `(self // other, self % other)` unrounded, for finite `self` and nonzero
    /// non-NaN `other` (`_divide`); DivisionImpossible when the quotient needs more
    /// than `prec` digits.
    fn divide(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> (Dec, Dec) {
        let neg = self.neg ^ other.neg;
        let ideal = if other.is_inf() {
            self.exp
        } else {
            self.exp.min(other.exp)
        };
        let expdiff = self.adjusted() - other.adjusted();
        if self.coeff.is_zero() || other.is_inf() || expdiff <= -2 {
            return (
                Dec::finite(neg, Coeff::ZERO, 0),
                self.rescale(ideal, ctx.round),
            );
        }
        if expdiff <= ctx.prec {
            let (a, b) = if self.exp >= other.exp {
                (
                    self.coeff.shl10((self.exp - other.exp) as u64),
                    other.coeff.clone(),
                )
            } else {
                (
                    self.coeff.clone(),
                    other.coeff.shl10((other.exp - self.exp) as u64),
                )
            };
            let (q, r) = a.divmod(&b);
            if (q.digits() as i64) <= ctx.prec {
                return (Dec::finite(neg, q, 0), Dec::finite(self.neg, r, ideal));
            }
        }
        *st |= DIVISION_IMPOSSIBLE;
        (Dec::nan(), Dec::nan())
    }

    pub fn divmod(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> (Dec, Dec) {
        if let Some(n) = self.check_nans(Some(other), ctx, st) {
            return (n.clone(), n);
        }
        let neg = self.neg ^ other.neg;
        if self.is_inf() {
            *st |= INVALID_OPERATION;
            if other.is_inf() {
                return (Dec::nan(), Dec::nan());
            }
            return (Dec::inf(neg), Dec::nan());
        }
        if other.is_zero() {
            if self.is_zero() {
                *st |= DIVISION_UNDEFINED;
                return (Dec::nan(), Dec::nan());
            }
            *st |= DIVISION_BY_ZERO | INVALID_OPERATION;
            return (Dec::inf(neg), Dec::nan());
        }
        let (q, r) = self.divide(other, ctx, st);
        (q, r.fix(ctx, st))
    }

    /// `self // other` (`divide_int`).
    pub fn floordiv(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(Some(other), ctx, st) {
            return n;
        }
        let neg = self.neg ^ other.neg;
        if self.is_inf() {
            if other.is_inf() {
                *st |= INVALID_OPERATION;
                return Dec::nan();
            }
            return Dec::inf(neg);
        }
        if other.is_zero() {
            if self.is_zero() {
                *st |= DIVISION_UNDEFINED;
                return Dec::nan();
            }
            *st |= DIVISION_BY_ZERO;
            return Dec::inf(neg);
        }
        self.divide(other, ctx, st).0
    }

    /// What `remainder` and `remainder_near` share: a NaN operand, an infinite
    /// dividend or a zero divisor decide the result without dividing.
    fn remainder_specials(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Option<Dec> {
        if let Some(n) = self.check_nans(Some(other), ctx, st) {
            return Some(n);
        }
        if self.is_inf() {
            *st |= INVALID_OPERATION;
            return Some(Dec::nan());
        }
        if other.is_zero() {
            *st |= if self.is_zero() {
                DIVISION_UNDEFINED
            } else {
                INVALID_OPERATION
            };
            return Some(Dec::nan());
        }
        None
    }

    /// `self % other` (`remainder`).
    pub fn rem(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.remainder_specials(other, ctx, st) {
            return n;
        }
        self.divide(other, ctx, st).1.fix(ctx, st)
    }

    pub fn remainder_near(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.remainder_specials(other, ctx, st) {
            return n;
        }
        if other.is_inf() {
            return self.clone().fix(ctx, st);
        }
        let ideal = self.exp.min(other.exp);
        if self.is_zero() {
            return Dec::finite(self.neg, Coeff::ZERO, ideal).fix(ctx, st);
        }
        let expdiff = self.adjusted() - other.adjusted();
        if expdiff > ctx.prec {
            *st |= DIVISION_IMPOSSIBLE;
            return Dec::nan();
        }
        if expdiff <= -2 {
            return self.rescale(ideal, ctx.round).fix(ctx, st);
        }
        let (a, b) = if self.exp >= other.exp {
            (
                self.coeff.shl10((self.exp - other.exp) as u64),
                other.coeff.clone(),
            )
        } else {
            (
                self.coeff.clone(),
                other.coeff.shl10((other.exp - self.exp) as u64),
            )
        };
        let (mut q, mut r) = a.divmod(&b);
        let mut neg = self.neg;
        // 2r + (q odd) > b: r - b is nearer (ties to even quotient).
        let twice = r.add(&r).add_small(q.last_digit() & 1);
        if twice.cmp(&b) == Ordering::Greater {
            r = b.sub(&r);
            neg = !neg;
            q = q.add_small(1);
        }
        if q.digits() as i64 > ctx.prec {
            *st |= DIVISION_IMPOSSIBLE;
            return Dec::nan();
        }
        Dec::finite(neg, r, ideal).fix(ctx, st)
    }

    /// `+self` (`plus`): rounded to the context; a zero result is positive unless
    /// rounding is FLOOR.
    pub fn plus(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        let mut d = self.clone();
        if d.is_zero() && ctx.round != Round::Floor {
            d.neg = false;
        }
        d.fix(ctx, st)
    }

    pub fn minus(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        let mut d = self.negated();
        if d.is_zero() && ctx.round != Round::Floor {
            d.neg = false;
        }
        d.fix(ctx, st)
    }

    pub fn abs(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        if self.neg {
            self.minus(ctx, st)
        } else {
            self.plus(ctx, st)
        }
    }

    pub fn quantize(&self, exp_of: &Dec, round: Round, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(d) = self.quantize_small(exp_of.exp, exp_of.kind, round, ctx, st) {
            return d;
        }
        if self.is_special() || exp_of.is_special() {
            if let Some(n) = self.check_nans(Some(exp_of), ctx, st) {
                return n;
            }
            if exp_of.is_inf() && self.is_inf() {
                return self.clone();
            }
            *st |= INVALID_OPERATION;
            return Dec::nan();
        }
        let e = exp_of.exp;
        if !(ctx.etiny() <= e && e <= ctx.emax) {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        }
        if self.coeff.is_zero() {
            return Dec::finite(self.neg, Coeff::ZERO, e).fix(ctx, st);
        }
        let adj = self.adjusted();
        if adj > ctx.emax || adj - e + 1 > ctx.prec {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        }
        let (ans, exact) = self.rescale_exact(e, round);
        if ans.adjusted() > ctx.emax || ans.digits() as i64 > ctx.prec {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        }
        if !ans.coeff.is_zero() && ans.adjusted() < ctx.emin {
            *st |= SUBNORMAL;
        }
        if ans.exp > self.exp {
            if !exact {
                *st |= INEXACT;
            }
            *st |= ROUNDED;
        }
        ans.fix(ctx, st)
    }

    /// `quantize` of a finite nonzero word-sized coefficient to exponent `e` when
    /// nothing unusual happens (the result is nonzero, fits the precision, is not
    /// subnormal, needs no clamping, and no shift needs more than a word): rescaled
    /// in machine words, with Inexact and Rounded as the general path raises them.
    /// None: take the general path.
    fn quantize_small(
        &self,
        e: i64,
        ekind: Kind,
        round: Round,
        ctx: &Ctx,
        st: &mut u32,
    ) -> Option<Dec> {
        let (Kind::Finite, Kind::Finite, Coeff::Small(c)) = (self.kind, ekind, &self.coeff) else {
            return None;
        };
        let c = *c;
        if c == 0 || e < ctx.etiny() || e > ctx.emax || (ctx.clamp && e > ctx.etop()) {
            return None;
        }
        let adj = self.exp + digits_u64(c) as i64 - 1;
        if adj > ctx.emax || adj - e + 1 > ctx.prec {
            return None;
        }
        let (q, exact) = if self.exp >= e {
            let d = (self.exp - e) as usize;
            (c.checked_mul(*POW10.get(d)?)?, true)
        } else {
            let drop = (e - self.exp) as usize;
            let p = *POW10.get(drop)?;
            let (q, r) = (c / p, c % p);
            let half = p / 2;
            let rest = match r.cmp(&half) {
                _ if r == 0 => Rest::Zero,
                Ordering::Less => Rest::Low,
                Ordering::Equal => Rest::Half,
                Ordering::Greater => Rest::High,
            };
            let q = if round.increments(self.neg, rest, q % 10) {
                q + 1
            } else {
                q
            };
            (q, rest == Rest::Zero)
        };
        let nd = digits_u64(q) as i64;
        let qadj = e + nd - 1;
        if q == 0 || nd > ctx.prec || qadj > ctx.emax || qadj < ctx.emin {
            return None;
        }
        if e > self.exp {
            if !exact {
                *st |= INEXACT;
            }
            *st |= ROUNDED;
        }
        Some(Dec::small(self.neg, q, e))
    }

    pub fn to_integral(&self, round: Round, exact: bool, ctx: &Ctx, st: &mut u32) -> Dec {
        if self.is_special() {
            if let Some(n) = self.check_nans(None, ctx, st) {
                return n;
            }
            return self.clone();
        }
        if self.exp >= 0 {
            return self.clone();
        }
        if self.coeff.is_zero() {
            return Dec::finite(self.neg, Coeff::ZERO, 0);
        }
        let ans = self.rescale(0, round);
        if exact {
            if ans.cmp_num(self) != Ordering::Equal {
                *st |= INEXACT;
            }
            *st |= ROUNDED;
        }
        ans
    }

    /// `normalize` (`reduce`): rounded, trailing zeros stripped.
    pub fn normalize(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        let dup = self.clone().fix(ctx, st);
        if dup.is_inf() {
            return dup;
        }
        if dup.coeff.is_zero() {
            return Dec::finite(dup.neg, Coeff::ZERO, 0);
        }
        let exp_max = if ctx.clamp { ctx.etop() } else { ctx.emax };
        let mut c = dup.coeff.clone();
        let mut e = dup.exp;
        while c.last_digit() == 0 && e < exp_max {
            c = c.divmod10(1).0;
            e += 1;
        }
        Dec::finite(dup.neg, c, e)
    }

    /// `fma(self, b, c)`: `self * b + c` with one rounding.
    pub fn fma(&self, b: &Dec, c: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        // As `_pydecimal`: a signalling NaN factor answers at once, a quiet one is the
        // product that the addition then sees (so a signalling `c` still signals).
        let product = if self.is_special() || b.is_special() {
            if self.is_snan() || b.is_snan() {
                *st |= INVALID_OPERATION;
                let s = if self.is_snan() { self } else { b };
                return s.quieted().fix_nan(ctx);
            }
            if self.is_nan() {
                self.clone()
            } else if b.is_nan() {
                b.clone()
            } else if (self.is_inf() && b.is_zero()) || (b.is_inf() && self.is_zero()) {
                *st |= INVALID_OPERATION;
                return Dec::nan();
            } else {
                Dec::inf(self.neg ^ b.neg)
            }
        } else {
            Dec::finite(self.neg ^ b.neg, self.coeff.mul(&b.coeff), self.exp + b.exp)
        };
        product.add(c, false, ctx, st)
    }

    /// `compare`: -1, 0 or 1 as a Decimal, NaN for NaNs.
    pub fn compare(&self, other: &Dec, signal: bool, ctx: &Ctx, st: &mut u32) -> Dec {
        if signal {
            if let Some(n) = self.compare_check_nans(other, ctx, st) {
                return n;
            }
        } else if let Some(n) = self.check_nans(Some(other), ctx, st) {
            return n;
        }
        Dec::from_i64(match self.cmp_num(other) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        })
    }

    /// The total order of the specification (`compare_total`).
    pub fn cmp_total(&self, other: &Dec) -> Ordering {
        if self.neg != other.neg {
            return if self.neg {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let rank = |d: &Dec| match d.kind {
            Kind::Finite => 0,
            Kind::Inf => 1,
            Kind::SNaN => 2,
            Kind::NaN => 3,
        };
        let (rs, ro) = (rank(self), rank(other));
        let mag = if rs != ro {
            rs.cmp(&ro)
        } else if rs >= 2 {
            self.coeff.cmp(&other.coeff)
        } else if rs == 1 {
            Ordering::Equal
        } else {
            let mut m = self.with_sign(false).cmp_num(&other.with_sign(false));
            if m == Ordering::Equal {
                m = self.exp.cmp(&other.exp);
            }
            m
        };
        if self.neg { mag.reverse() } else { mag }
    }

    /// `max`/`min` (and their `_mag` forms): a quiet NaN loses to a number.
    pub fn max_min(&self, other: &Dec, max: bool, mag: bool, ctx: &Ctx, st: &mut u32) -> Dec {
        if self.is_special() || other.is_special() {
            let (sn, on) = (self.is_nan(), other.is_nan());
            if sn || on {
                if on && !sn && !other.is_snan() {
                    return self.clone().fix(ctx, st);
                }
                if sn && !on && !self.is_snan() {
                    return other.clone().fix(ctx, st);
                }
                if let Some(n) = self.check_nans(Some(other), ctx, st) {
                    return n;
                }
            }
        }
        let mut c = if mag {
            self.with_sign(false).cmp_num(&other.with_sign(false))
        } else {
            Ordering::Equal
        };
        if c == Ordering::Equal {
            c = self.cmp_num(other);
        }
        if c == Ordering::Equal {
            c = self.cmp_total(other);
        }
        let pick_self = if max {
            c != Ordering::Less
        } else {
            c != Ordering::Greater
        };
        let pick = if pick_self { self } else { other };
        pick.clone().fix(ctx, st)
    }

    /// The largest representable number below `self` (`next_minus`).
    pub fn next_minus(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        if self.is_inf() {
            if self.neg {
                return self.clone();
            }
            return Dec::finite(false, max_coeff(ctx.prec), ctx.etop());
        }
        let mut st2 = 0;
        let c = ctx.with_round(Round::Floor);
        let new = self.clone().fix(&c, &mut st2);
        if new.cmp_num(self) != Ordering::Equal {
            return new;
        }
        let tiny = Dec::small(true, 1, ctx.etiny() - 1);
        self.add(&tiny, false, &c, &mut st2)
    }

    pub fn next_plus(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(None, ctx, st) {
            return n;
        }
        if self.is_inf() {
            if !self.neg {
                return self.clone();
            }
            return Dec::finite(true, max_coeff(ctx.prec), ctx.etop());
        }
        let mut st2 = 0;
        let c = ctx.with_round(Round::Ceiling);
        let new = self.clone().fix(&c, &mut st2);
        if new.cmp_num(self) != Ordering::Equal {
            return new;
        }
        let tiny = Dec::small(false, 1, ctx.etiny() - 1);
        self.add(&tiny, false, &c, &mut st2)
    }

    pub fn next_toward(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(Some(other), ctx, st) {
            return n;
        }
        match self.cmp_num(other) {
            Ordering::Equal => self.with_sign(other.neg),
            ord => {
                let ans = if ord == Ordering::Less {
                    self.next_plus(ctx, st)
                } else {
                    self.next_minus(ctx, st)
                };
                if ans.is_inf() {
                    *st |= OVERFLOW | INEXACT | ROUNDED;
                } else if ans.adjusted() < ctx.emin {
                    *st |= UNDERFLOW | SUBNORMAL | INEXACT | ROUNDED;
                    if ans.is_zero() {
                        *st |= CLAMPED;
                    }
                }
                ans
            }
        }
    }

    pub fn sqrt(&self, ctx: &Ctx, st: &mut u32) -> Dec {
        if self.is_special() {
            if let Some(n) = self.check_nans(None, ctx, st) {
                return n;
            }
            if self.is_inf() && !self.neg {
                return self.clone();
            }
        }
        if self.is_zero() {
            // sqrt(-0) = -0; ideal exponent is floor(exp/2).
            return Dec::finite(self.neg, Coeff::ZERO, self.exp >> 1).fix(ctx, st);
        }
        if self.neg {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        }
        // An exact root first (always the correctly rounded one): never builds a
        // coefficient of the context's precision when the root is short.
        let even = if self.exp & 1 == 1 {
            self.coeff.shl10(1)
        } else {
            self.coeff.clone()
        };
        let eb = even.to_big();
        let root = num_integer::Roots::sqrt(&eb);
        if &root * &root == eb {
            let c = ctx.with_round(Round::HalfEven);
            return Dec::finite(false, Coeff::from_big(root), self.exp >> 1).fix(&c, st);
        }
        let prec = ctx.prec + 1;
        let e = self.exp >> 1;
        let (mut c, l) = if self.exp & 1 == 1 {
            (self.coeff.shl10(1), (self.digits() as i64 >> 1) + 1)
        } else {
            (self.coeff.clone(), (self.digits() as i64 + 1) >> 1)
        };
        let shift = prec - l;
        let exact;
        if shift >= 0 {
            c = c.shl10((2 * shift) as u64);
            exact = true;
        } else {
            let (q, r) = c.divmod10((-2 * shift) as u64);
            c = q;
            exact = r.is_zero();
        }
        let e = e - shift;
        // Integer square root by Newton's method.
        let cb = c.to_big();
        let mut n = num_bigint::BigUint::from(10u32).pow(prec as u32);
        loop {
            let q = &cb / &n;
            if n <= q {
                break;
            }
            n = (n + q) >> 1;
        }
        let exact = exact && &n * &n == cb;
        let mut n = Coeff::from_big(n);
        let mut e = e;
        if exact {
            if shift >= 0 {
                n = n.divmod10(shift as u64).0;
            } else {
                n = n.shl10((-shift) as u64);
            }
            e += shift;
        } else if n.last_digit().is_multiple_of(5) {
            n = n.add_small(1);
        }
        let c = ctx.with_round(Round::HalfEven);
        Dec::finite(false, n, e).fix(&c, st)
    }
}

/// `a / b` when it is exact with at most `prec` digits: the quotient and how many
/// places it is shifted (`a * 10^k / b` with the least such `k`), found from the
/// divisor's factors of 2 and 5, so a huge precision never builds `10^prec`. Tried only
/// at precisions where shifting by the precision would cost more than this does.
fn exact_quotient(a: &Coeff, b: &Coeff, prec: i64) -> Option<ExactQuotient> {
    use num_integer::Integer;
    if prec < 64 {
        return None;
    }
    let (a, b) = (a.to_big(), b.to_big());
    let g = a.gcd(&b);
    let mut d = &b / &g;
    let (mut twos, mut fives) = (0u64, 0u64);
    let two = num_bigint::BigUint::from(2u32);
    let five = num_bigint::BigUint::from(5u32);
    while (&d % &two) == num_bigint::BigUint::ZERO {
        d /= &two;
        twos += 1;
    }
    while (&d % &five) == num_bigint::BigUint::ZERO {
        d /= &five;
        fives += 1;
    }
    if d != num_bigint::BigUint::from(1u32) {
        return None;
    }
    let k = twos.max(fives);
    let q = (&a / &g) * two.pow((k - twos) as u32) * five.pow((k - fives) as u32);
    let q = Coeff::from_big(q);
    if q.digits() as i64 > prec {
        return None;
    }
    Some(ExactQuotient { q, k: k as i64 })
}

struct ExactQuotient {
    q: Coeff,
    k: i64,
}

impl ExactQuotient {
    /// The coefficient and exponent of the quotient of numbers whose exponents
    /// differ by `ideal`: the least shift gives the exponent nearest the ideal.
    fn with_exp_base(self, ideal: i64) -> (Coeff, i64) {
        (self.q, ideal - self.k)
    }
}

/// `10^prec - 1`: the coefficient of the largest number of a context.
pub fn max_coeff(prec: i64) -> Coeff {
    Coeff::Small(1).shl10(prec as u64).sub(&Coeff::Small(1))
}
