//! `x ** y` and `pow(x, y, m)`, correctly rounded: special cases first, then an exact
//! result when one exists with at most `prec + 1` digits (found without building
//! `10^prec`), else `exp(y * log(x))` to more digits until the rounding is decided
//! (the algorithms of CPython's `_pydecimal.py`: `__pow__`, `_power_exact`, `_dpower`,
//! `_power_modulo`).
use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::coeff::Coeff;
use super::number::{Ctx, Dec};
use super::signals::*;
use super::transcend::{dexp, div_nearest, dlog, ndigits, pow10};

fn big(d: &Dec) -> BigInt {
    BigInt::from_biguint(Sign::Plus, d.coeff.to_big())
}

fn from_big(neg: bool, c: BigInt, exp: i64) -> Dec {
    Dec::finite(neg, Coeff::from_big(c.magnitude().clone()), exp)
}

/// `c * 10^exp` with `1 + zeros` digits: `1` followed by `zeros` zeros.
fn one_with_zeros(neg: bool, zeros: i64, exp: i64) -> Dec {
    Dec::finite(neg, Coeff::Small(1).shl10(zeros.max(0) as u64), exp)
}

impl Dec {
    /// A finite integral value (`_isinteger`).
    pub fn is_integral(&self) -> bool {
        if !self.is_finite() {
            return false;
        }
        if self.exp >= 0 || self.coeff.is_zero() {
            return true;
        }
        let drop = (-self.exp) as u64;
        if drop > self.coeff.digits() {
            return false;
        }
        self.coeff.divmod10(drop).1.is_zero()
    }

    /// An integral value that is even (`_iseven`, for integral values).
    fn is_even_int(&self) -> bool {
        if self.coeff.is_zero() || self.exp > 0 {
            return true;
        }
        let q = self.coeff.divmod10((-self.exp) as u64).0;
        q.last_digit().is_multiple_of(2)
    }

    /// An integral value as a BigInt.
    fn int_value(&self) -> BigInt {
        let c = big(self);
        let v = if self.exp >= 0 {
            c * pow10(self.exp)
        } else {
            c / pow10(-self.exp)
        };
        if self.neg { -v } else { v }
    }

    pub fn power(&self, other: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        if let Some(n) = self.check_nans(Some(other), ctx, st) {
            return n;
        }
        if other.is_zero() {
            if self.is_zero() {
                *st |= INVALID_OPERATION;
                return Dec::nan();
            }
            return Dec::small(false, 1, 0);
        }
        let mut result_sign = false;
        let mut x = self.clone();
        if self.neg {
            if other.is_integral() {
                result_sign = !other.is_even_int();
            } else if !self.is_zero() {
                *st |= INVALID_OPERATION;
                return Dec::nan();
            }
            x = x.negated();
        }
        if x.is_zero() {
            return if !other.neg {
                Dec::small(result_sign, 0, 0)
            } else {
                Dec::inf(result_sign)
            };
        }
        if x.is_inf() {
            return if !other.neg {
                Dec::inf(result_sign)
            } else {
                Dec::small(result_sign, 0, 0)
            };
        }
        let prec = ctx.prec;
        if x.cmp_num(&Dec::small(false, 1, 0)).is_eq() {
            let exp = if other.is_integral() {
                let multiplier = if other.neg {
                    0
                } else if other.cmp_num(&Dec::from_i64(prec)).is_gt() {
                    prec
                } else {
                    other.int_value().to_i64().unwrap_or(prec)
                };
                let mut exp = x.exp.saturating_mul(multiplier);
                if exp < 1 - prec {
                    exp = 1 - prec;
                    *st |= ROUNDED;
                }
                exp
            } else {
                *st |= INEXACT | ROUNDED;
                1 - prec
            };
            return one_with_zeros(result_sign, -exp, exp).fix(ctx, st);
        }
        let self_adj = x.adjusted();
        if other.is_inf() {
            return if other.neg != (self_adj < 0) {
                Dec::small(result_sign, 0, 0)
            } else {
                Dec::inf(result_sign)
            };
        }
        let mut ans = None;
        let mut exact = false;
        let bound = x.log10_exp_bound() + other.adjusted();
        if (self_adj >= 0) != other.neg {
            if bound >= ctx.emax.to_string().len() as i64 {
                ans = Some(Dec::small(result_sign, 1, ctx.emax + 1));
            }
        } else {
            let etiny = ctx.etiny();
            if bound >= (-etiny).to_string().len() as i64 {
                ans = Some(Dec::small(result_sign, 1, etiny - 1));
            }
        }
        if ans.is_none()
            && let Some(a) = x.power_exact(other, prec + 1)
        {
            ans = Some(a.with_sign(result_sign));
            exact = true;
        }
        let ans = match ans {
            Some(a) => a,
            None => {
                let (xc, xe) = (big(&x), x.exp);
                let mut yc = big(other);
                if other.neg {
                    yc = -yc;
                }
                let mut extra = 3;
                loop {
                    let (coeff, exp) = dpower(&xc, xe, &yc, other.exp, prec + extra);
                    let n = ndigits(&coeff) - prec - 1;
                    if n < 0 || !(&coeff % (pow10(n) * 5u32)).is_zero() {
                        break from_big(result_sign, coeff, exp);
                    }
                    extra += 3;
                }
            }
        };
        if exact && !other.is_integral() {
            // An exact result of a non-integral power is still reported inexact:
            // pad it to prec + 1 digits and round, collecting the conditions apart.
            let mut ans = ans;
            let nd = ans.digits() as i64;
            if nd <= prec {
                let expdiff = prec + 1 - nd;
                ans = Dec::finite(ans.neg, ans.coeff.shl10(expdiff as u64), ans.exp - expdiff);
            }
            let mut inner = 0;
            let out = ans.fix(ctx, &mut inner);
            inner |= INEXACT;
            if inner & SUBNORMAL != 0 {
                inner |= UNDERFLOW;
            }
            *st |= inner & (OVERFLOW | UNDERFLOW | SUBNORMAL | INEXACT | ROUNDED | CLAMPED);
            out
        } else {
            ans.fix(ctx, st)
        }
    }

    /// `self ** other` exactly when it has at most `p` digits (`_power_exact`): `self`
    /// positive, finite and not 1; `other` finite and nonzero.
    fn power_exact(&self, other: &Dec, p: i64) -> Option<Dec> {
        let (mut xc, mut xe) = (big(self), self.exp as i128);
        while (&xc % 10u32).is_zero() {
            xc /= 10u32;
            xe += 1;
        }
        let (mut yc, mut ye) = (big(other), other.exp as i128);
        while (&yc % 10u32).is_zero() {
            yc /= 10u32;
            ye += 1;
        }
        let ideal = |zeros_room: i128, xe: i128| -> i128 {
            if other.is_integral() && !other.neg {
                let ideal_exponent = other
                    .int_value()
                    .to_i128()
                    .and_then(|v| v.checked_mul(self.exp as i128))
                    .unwrap_or(i128::MIN / 4);
                (xe - ideal_exponent).min(zeros_room)
            } else {
                0
            }
        };
        if xc.is_one() {
            let mut xe = xe.checked_mul(yc.to_i128()?)?;
            while xe != 0 && xe % 10 == 0 {
                xe /= 10;
                ye += 1;
            }
            if ye < 0 {
                return None;
            }
            let mut exponent = xe.checked_mul(10i128.checked_pow(u32::try_from(ye).ok()?)?)?;
            if other.neg {
                exponent = -exponent;
            }
            let zeros = ideal(p as i128 - 1, exponent);
            let e = i64::try_from(exponent - zeros).ok()?;
            return Some(one_with_zeros(false, zeros as i64, e));
        }
        if other.neg {
            let last = (&xc % 10u32).to_u32().unwrap_or(0);
            let (e, emax) = if [2, 4, 6, 8].contains(&last) {
                // xc must be a power of two: 1/2^e = 5^e / 10^e.
                let mag = xc.magnitude();
                if mag.count_ones() != 1 {
                    return None;
                }
                ((mag.bits() - 1) as i128, p as i128 * 93 / 65)
            } else if last == 5 {
                // xc must be a power of five: 1/5^e = 2^e / 10^e.
                let e0 = (xc.bits() * 28 / 65) as u32;
                let (mut q, r) = BigInt::from(5u32).pow(e0).div_rem(&xc);
                if !r.is_zero() {
                    return None;
                }
                let mut e = e0 as i128;
                while (&q % 5u32).is_zero() {
                    q /= 5u32;
                    e -= 1;
                }
                (e, p as i128 * 10 / 3)
            } else {
                return None;
            };
            if ye >= emax.to_string().len() as i128 {
                return None;
            }
            let yci = yc.to_i128()?;
            let e = lshift_exact(e.checked_mul(yci)?, ye)?;
            let xe = lshift_exact(xe.checked_mul(yci)?, ye)?;
            if e > emax {
                return None;
            }
            let e32 = u32::try_from(e).ok()?;
            let c = if last == 5 {
                BigInt::from(2u32).pow(e32)
            } else {
                BigInt::from(5u32).pow(e32)
            };
            if ndigits(&c) > p {
                return None;
            }
            let exp = i64::try_from(-e - xe).ok()?;
            return Some(from_big(false, c, exp));
        }
        // other is positive: self ** (m/n) with n a power of 2 and 5.
        let xc_bits = xc.bits() as i128;
        let (m, n) = if ye >= 0 {
            (&yc * pow10(i64::try_from(ye).ok()?), BigInt::one())
        } else {
            if xe != 0 && ndigits(&(&yc * BigInt::from(xe))) as i128 <= -ye {
                return None;
            }
            if ndigits(&(&yc * BigInt::from(xc_bits))) as i128 <= -ye {
                return None;
            }
            let (mut m, mut n) = (yc.clone(), pow10(i64::try_from(-ye).ok()?));
            while m.is_even() && n.is_even() {
                m /= 2u32;
                n /= 2u32;
            }
            while (&m % 5u32).is_zero() && (&n % 5u32).is_zero() {
                m /= 5u32;
                n /= 5u32;
            }
            (m, n)
        };
        if n > BigInt::one() {
            let n = n.to_u64()?;
            if xc_bits as u64 <= n {
                return None;
            }
            if xe % n as i128 != 0 {
                return None;
            }
            xe /= n as i128;
            let root = xc.magnitude().nth_root(u32::try_from(n).ok()?);
            if root.pow(n as u32) != *xc.magnitude() {
                return None;
            }
            xc = BigInt::from_biguint(Sign::Plus, root);
        }
        let m = m.to_u64()?;
        if xc > BigInt::one() && m as i128 > p as i128 * 100 / log10_lb(&xc) as i128 {
            return None;
        }
        let xc = xc.pow(u32::try_from(m).ok()?);
        let xe = xe.checked_mul(m as i128)?;
        let nd = ndigits(&xc);
        if nd > p + 1 || (nd == p + 1 && xc != pow10(p)) {
            return None;
        }
        let zeros = ideal(p as i128 - nd as i128, xe).max(0);
        let exp = i64::try_from(xe - zeros).ok()?;
        let c = BigInt::from_biguint(Sign::Plus, shl10(xc.magnitude(), zeros as u64));
        Some(from_big(false, c, exp))
    }

    /// `pow(self, other, modulo)` (`_power_modulo`): exact, all operands integral.
    pub fn power_mod(&self, other: &Dec, modulo: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
        for d in [self, other, modulo] {
            if d.is_snan() {
                *st |= INVALID_OPERATION;
                return d.fix_nan(ctx).quieted();
            }
        }
        for d in [self, other, modulo] {
            if d.is_nan() {
                return d.fix_nan(ctx);
            }
        }
        if !(self.is_integral() && other.is_integral() && modulo.is_integral())
            || (other.neg && !other.is_zero())
            || modulo.is_zero()
            || modulo.adjusted() >= ctx.prec
            || (other.is_zero() && self.is_zero())
        {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        }
        let sign = if other.is_even_int() { false } else { self.neg };
        let md = modulo.int_value().abs();
        // base = (coefficient mod m) * (10^exp mod m), then ^10 per exponent digit.
        let (bc, be) = if self.exp >= 0 {
            (big(self), self.exp)
        } else {
            (self.int_value().abs(), 0)
        };
        let ten = BigInt::from(10u32);
        let mut base = (bc.mod_floor(&md) * ten.modpow(&BigInt::from(be), &md)).mod_floor(&md);
        let (ec, ee) = if other.exp >= 0 {
            (big(other), other.exp)
        } else {
            (other.int_value(), 0)
        };
        for _ in 0..ee {
            base = base.modpow(&ten, &md);
        }
        let base = base.modpow(&ec, &md);
        from_big(sign, base, 0)
    }
}

fn shl10(c: &BigUint, n: u64) -> BigUint {
    if n == 0 {
        c.clone()
    } else {
        c * BigUint::from(10u32).pow(n as u32)
    }
}

/// `n * 10^e` when it is an integer, else None (`_decimal_lshift_exact`).
fn lshift_exact(n: i128, e: i128) -> Option<i128> {
    if n == 0 {
        return Some(0);
    }
    if e >= 0 {
        return n.checked_mul(10i128.checked_pow(u32::try_from(e).ok()?)?);
    }
    let p = 10i128.checked_pow(u32::try_from(-e).ok()?)?;
    if n % p != 0 {
        return None;
    }
    Some(n / p)
}

/// A lower bound for `100 * log10(c)`, c > 0 (`_log10_lb`).
fn log10_lb(c: &BigInt) -> i64 {
    const CORRECTION: [i64; 10] = [0, 100, 70, 53, 40, 31, 23, 16, 10, 5];
    let s = c.to_string();
    let first = (s.as_bytes()[0] - b'0') as usize;
    100 * s.len() as i64 - CORRECTION[first]
}

/// `(c, e)` with `c * 10^e` within 1 in c's last place of `x ** y`, c of `p` digits
/// (`_dpower`): x positive and not 1, y nonzero.
fn dpower(xc: &BigInt, xe: i64, yc: &BigInt, ye: i64, p: i64) -> (BigInt, i64) {
    let b = ndigits(yc) + ye;
    let lxc = dlog(xc, xe, p + b + 1);
    let shift = ye - b;
    let pc = if shift >= 0 {
        &lxc * yc * pow10(shift)
    } else {
        div_nearest(&(&lxc * yc), &pow10(-shift))
    };
    if pc.is_zero() {
        if (ndigits(xc) + xe >= 1) == yc.is_positive() {
            (pow10(p - 1) + 1, 1 - p)
        } else {
            (pow10(p) - 1, -p)
        }
    } else {
        let (coeff, exp) = dexp(&pc, -(p + 1), p + 1);
        (div_nearest(&coeff, &BigInt::from(10)), exp + 1)
    }
}
