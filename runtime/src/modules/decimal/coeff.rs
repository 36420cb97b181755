//! Decimal coefficients: unsigned integers held in a machine word while they fit (the
//! common case: prices, counts, rates of a few digits) and as `BigUint`s past that.
//!
//! Every operation keeps the invariant that a value below 2^64 is `Small`, so equality
//! is structural and the word path is taken whenever it can be.
use std::cmp::Ordering;

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{ToPrimitive, Zero};

/// 10^0 ..= 10^19: every power of ten a u64 holds.
pub const POW10: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coeff {
    Small(u64),
    Big(BigUint),
}

impl Default for Coeff {
    fn default() -> Self {
        Coeff::Small(0)
    }
}

/// 10^n as a big integer.
pub fn big_pow10(n: u64) -> BigUint {
    if n < 20 {
        return BigUint::from(POW10[n as usize]);
    }
    BigUint::from(10u32).pow(n as u32)
}

/// Number of decimal digits of a u64 (0 has one): from its bit length, as
/// `floor(log10(2) * bits)` (1233 / 4096 approximates log10(2) closely enough for
/// every width up to 64), corrected by one comparison.
#[inline]
pub fn digits_u64(v: u64) -> u64 {
    let bits = 64 - (v | 1).leading_zeros() as u64;
    let t = (bits * 1233) >> 12;
    (t + (v >= POW10[t as usize]) as u64).max(1)
}

impl Coeff {
    pub const ZERO: Coeff = Coeff::Small(0);

    pub fn from_big(b: BigUint) -> Coeff {
        match b.to_u64() {
            Some(v) => Coeff::Small(v),
            None => Coeff::Big(b),
        }
    }

    pub fn from_u128(v: u128) -> Coeff {
        match u64::try_from(v) {
            Ok(v) => Coeff::Small(v),
            Err(_) => Coeff::Big(BigUint::from(v)),
        }
    }

    pub fn to_big(&self) -> BigUint {
        match self {
            Coeff::Small(v) => BigUint::from(*v),
            Coeff::Big(b) => b.clone(),
        }
    }

    pub fn is_zero(&self) -> bool {
        matches!(self, Coeff::Small(0))
    }

    /// Number of decimal digits (zero has one).
    pub fn digits(&self) -> u64 {
        match self {
            Coeff::Small(v) => digits_u64(*v),
            Coeff::Big(b) => {
                // floor(log10(2) * (bits - 1)) + 1 is exact or one short.
                let bits = b.bits();
                let est = ((bits - 1) as f64 * std::f64::consts::LOG10_2) as u64 + 1;
                if *b >= big_pow10(est) { est + 1 } else { est }
            }
        }
    }

    /// The last decimal digit.
    pub fn last_digit(&self) -> u64 {
        match self {
            Coeff::Small(v) => v % 10,
            Coeff::Big(b) => (b % 10u32).to_u64().unwrap_or(0),
        }
    }

    pub fn add(&self, o: &Coeff) -> Coeff {
        if let (Coeff::Small(a), Coeff::Small(b)) = (self, o) {
            return Coeff::from_u128(*a as u128 + *b as u128);
        }
        Coeff::from_big(self.to_big() + o.to_big())
    }

    /// `self - o`, for `self >= o`.
    pub fn sub(&self, o: &Coeff) -> Coeff {
        if let (Coeff::Small(a), Coeff::Small(b)) = (self, o) {
            return Coeff::Small(a - b);
        }
        Coeff::from_big(self.to_big() - o.to_big())
    }

    pub fn mul(&self, o: &Coeff) -> Coeff {
        if let (Coeff::Small(a), Coeff::Small(b)) = (self, o) {
            return Coeff::from_u128(*a as u128 * *b as u128);
        }
        Coeff::from_big(self.to_big() * o.to_big())
    }

    pub fn add_small(&self, v: u64) -> Coeff {
        self.add(&Coeff::Small(v))
    }

    /// `self * 10^n`.
    pub fn shl10(&self, n: u64) -> Coeff {
        if n == 0 {
            return self.clone();
        }
        if let Coeff::Small(a) = self {
            if *a == 0 {
                return Coeff::ZERO;
            }
            if n < 20 {
                return Coeff::from_u128(*a as u128 * POW10[n as usize] as u128);
            }
        }
        Coeff::from_big(self.to_big() * big_pow10(n))
    }

    /// `(self / 10^n, self % 10^n)`.
    pub fn divmod10(&self, n: u64) -> (Coeff, Coeff) {
        if n == 0 {
            return (self.clone(), Coeff::ZERO);
        }
        match self {
            Coeff::Small(a) => {
                if n >= 20 {
                    (Coeff::ZERO, Coeff::Small(*a))
                } else {
                    let p = POW10[n as usize];
                    (Coeff::Small(a / p), Coeff::Small(a % p))
                }
            }
            Coeff::Big(b) => {
                let (q, r) = b.div_rem(&big_pow10(n));
                (Coeff::from_big(q), Coeff::from_big(r))
            }
        }
    }

    pub fn divmod(&self, o: &Coeff) -> (Coeff, Coeff) {
        if let (Coeff::Small(a), Coeff::Small(b)) = (self, o) {
            return (Coeff::Small(a / b), Coeff::Small(a % b));
        }
        let (q, r) = self.to_big().div_rem(&o.to_big());
        (Coeff::from_big(q), Coeff::from_big(r))
    }

    pub fn cmp(&self, o: &Coeff) -> Ordering {
        match (self, o) {
            (Coeff::Small(a), Coeff::Small(b)) => a.cmp(b),
            (Coeff::Small(_), Coeff::Big(_)) => Ordering::Less,
            (Coeff::Big(_), Coeff::Small(_)) => Ordering::Greater,
            (Coeff::Big(a), Coeff::Big(b)) => a.cmp(b),
        }
    }

    /// How the discarded part `r` of a division by 10^n compares with half of 10^n.
    pub fn rest_vs_half(r: &Coeff, n: u64) -> Rest {
        if r.is_zero() {
            return Rest::Zero;
        }
        if n == 0 {
            return Rest::Zero;
        }
        let half = Coeff::Small(5).shl10(n - 1);
        match r.cmp(&half) {
            Ordering::Less => Rest::Low,
            Ordering::Equal => Rest::Half,
            Ordering::Greater => Rest::High,
        }
    }

    pub fn to_decimal_string(&self) -> String {
        match self {
            Coeff::Small(v) => v.to_string(),
            Coeff::Big(b) => b.to_str_radix(10),
        }
    }

    /// Parse a string of ASCII digits (nonempty).
    pub fn parse(digits: &[u8]) -> Coeff {
        if digits.len() <= 19 {
            let mut v = 0u64;
            for d in digits {
                v = v * 10 + (d - b'0') as u64;
            }
            return Coeff::Small(v);
        }
        Coeff::from_big(BigUint::parse_bytes(digits, 10).unwrap_or_else(BigUint::zero))
    }
}

/// The digits dropped by a rounding, relative to half a unit of the kept last place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rest {
    Zero,
    Low,
    Half,
    High,
}
