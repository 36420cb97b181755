//! Bodies of the pure uops (operands -> result), written once.
//!
//! The specializing interpreter (tier 1) calls these from its specialized
//! instructions; the uop interpreter and the copy-and-patch stencils (tier 2) will be
//! built from the same functions. A body that returns `None` could not produce the
//! result the generic instruction would (small-int overflow, zero divisor): the caller
//! deoptimizes and runs the generic instruction, which raises or promotes to a big
//! int exactly as unspecialized code does. Uops that touch runtime structures (dicts,
//! lists, frames) have their bodies in the runtime; `Uop::flags` marks them `RUNTIME`.
use crate::value::RawValue;

/// `GUARD_BOTH_INT`.
#[inline(always)]
pub fn guard_both_int(a: RawValue, b: RawValue) -> bool {
    a.is_small_int() && b.is_small_int()
}

/// `GUARD_BOTH_FLOAT`.
#[inline(always)]
pub fn guard_both_float(a: RawValue, b: RawValue) -> bool {
    a.is_float() && b.is_float()
}

/// `GUARD_FLOAT_OPERANDS`: two floats, or a float and a small int, as two floats. A
/// small int (48 bits) converts to a double exactly, so the arithmetic is Python's.
#[inline(always)]
pub fn float_operands(a: RawValue, b: RawValue) -> Option<(RawValue, RawValue)> {
    let f = |v: RawValue| {
        if v.is_float() {
            Some(v)
        } else if v.is_small_int() {
            Some(RawValue::from_f64(v.as_small_int() as f64))
        } else {
            None
        }
    };
    if !a.is_float() && !b.is_float() {
        return None;
    }
    Some((f(a)?, f(b)?))
}

#[inline(always)]
fn small(i: i64) -> Option<RawValue> {
    RawValue::fits_small(i).then(|| RawValue::from_small_int(i))
}

/// `ADD_INT` (both operands small ints: the sum cannot overflow an i64).
#[inline(always)]
pub fn add_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    small(a.as_small_int() + b.as_small_int())
}

/// `SUB_INT`.
#[inline(always)]
pub fn sub_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    small(a.as_small_int() - b.as_small_int())
}

/// `MUL_INT`.
#[inline(always)]
pub fn mul_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    small(a.as_small_int().checked_mul(b.as_small_int())?)
}

/// `FLOORDIV_INT`: Python's floor division (rounds toward negative infinity).
#[inline(always)]
pub fn floordiv_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    let (x, y) = (a.as_small_int(), b.as_small_int());
    if y == 0 {
        return None;
    }
    let q = x / y;
    let q = if x % y != 0 && ((x < 0) != (y < 0)) {
        q - 1
    } else {
        q
    };
    small(q)
}

/// `MOD_INT`: Python's modulo (the result has the divisor's sign).
#[inline(always)]
pub fn mod_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    let (x, y) = (a.as_small_int(), b.as_small_int());
    if y == 0 {
        return None;
    }
    let r = x % y;
    small(if r != 0 && ((r < 0) != (y < 0)) {
        r + y
    } else {
        r
    })
}

/// `AND_INT`: bitwise and (never leaves the small range: operands are sign-extended
/// 48-bit values, and so is the result).
#[inline(always)]
pub fn and_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    small(a.as_small_int() & b.as_small_int())
}

/// `OR_INT`.
#[inline(always)]
pub fn or_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    small(a.as_small_int() | b.as_small_int())
}

/// `XOR_INT`.
#[inline(always)]
pub fn xor_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    small(a.as_small_int() ^ b.as_small_int())
}

/// `LSHIFT_INT`: `None` for a negative count (ValueError) or a result beyond the small
/// range (a big int), which the generic operator computes.
#[inline(always)]
pub fn lshift_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    let (x, n) = (a.as_small_int(), b.as_small_int());
    if !(0..64).contains(&n) {
        return if x == 0 && n >= 0 { small(0) } else { None };
    }
    let r = x << n;
    if r >> n != x {
        return None;
    }
    small(r)
}

/// `RSHIFT_INT`: arithmetic shift (rounds toward negative infinity); `None` for a
/// negative count (ValueError).
#[inline(always)]
pub fn rshift_int(a: RawValue, b: RawValue) -> Option<RawValue> {
    let (x, n) = (a.as_small_int(), b.as_small_int());
    if n < 0 {
        return None;
    }
    small(x >> n.min(63))
}

/// `ADD_FLOAT`.
#[inline(always)]
pub fn add_float(a: RawValue, b: RawValue) -> RawValue {
    RawValue::from_f64(a.as_f64() + b.as_f64())
}

/// `SUB_FLOAT`.
#[inline(always)]
pub fn sub_float(a: RawValue, b: RawValue) -> RawValue {
    RawValue::from_f64(a.as_f64() - b.as_f64())
}

/// `MUL_FLOAT`.
#[inline(always)]
pub fn mul_float(a: RawValue, b: RawValue) -> RawValue {
    RawValue::from_f64(a.as_f64() * b.as_f64())
}

/// `TRUEDIV_FLOAT`; a zero divisor deoptimizes (the generic path raises).
#[inline(always)]
pub fn truediv_float(a: RawValue, b: RawValue) -> Option<RawValue> {
    let y = b.as_f64();
    if y == 0.0 {
        return None;
    }
    Some(RawValue::from_f64(a.as_f64() / y))
}

/// Comparison codes of `COMPARE_OP`'s argument: < <= == != > >=.
#[inline(always)]
fn cmp<T: PartialOrd>(x: T, y: T, op: u32) -> bool {
    match op {
        0 => x < y,
        1 => x <= y,
        2 => x == y,
        3 => x != y,
        4 => x > y,
        _ => x >= y,
    }
}

/// `COMPARE_INT`.
#[inline(always)]
pub fn compare_int(a: RawValue, b: RawValue, op: u32) -> bool {
    cmp(a.as_small_int(), b.as_small_int(), op)
}

/// `COMPARE_FLOAT` (IEEE: every comparison with a NaN is false except !=).
#[inline(always)]
pub fn compare_float(a: RawValue, b: RawValue, op: u32) -> bool {
    cmp(a.as_f64(), b.as_f64(), op)
}

/// `COMPARE_STR` on the two strings' contents (code point order = UTF-8 byte order).
#[inline(always)]
pub fn compare_str(a: &str, b: &str, op: u32) -> bool {
    cmp(a, b, op)
}

/// `POP_JUMP_IF`: whether the fused jump is taken (`jump_if_true` is the jump's sense).
#[inline(always)]
pub fn pop_jump_if(cond: bool, jump_if_true: bool) -> bool {
    cond == jump_if_true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i64) -> RawValue {
        RawValue::from_small_int(v)
    }

    #[test]
    fn floor_division_and_modulo_follow_python() {
        for (x, y, q, r) in [
            (7, 2, 3, 1),
            (-7, 2, -4, 1),
            (7, -2, -4, -1),
            (-7, -2, 3, -1),
        ] {
            assert_eq!(floordiv_int(i(x), i(y)).map(|v| v.as_small_int()), Some(q));
            assert_eq!(mod_int(i(x), i(y)).map(|v| v.as_small_int()), Some(r));
        }
        assert!(floordiv_int(i(1), i(0)).is_none());
        assert!(mod_int(i(1), i(0)).is_none());
    }

    #[test]
    fn bitwise_and_shifts_match_python() {
        let i = RawValue::from_small_int;
        let v = |r: Option<RawValue>| r.map(|v| v.as_small_int());
        assert_eq!(v(and_int(i(-6), i(13))), Some(-6 & 13));
        assert_eq!(v(or_int(i(-6), i(13))), Some(-6 | 13));
        assert_eq!(
            v(xor_int(i(crate::value::SMALL_INT_MIN), i(-1))),
            Some(crate::value::SMALL_INT_MAX)
        );
        assert_eq!(v(lshift_int(i(3), i(4))), Some(48));
        assert_eq!(v(lshift_int(i(-3), i(4))), Some(-48));
        assert_eq!(v(lshift_int(i(0), i(1000))), Some(0));
        // Results beyond the small range and negative counts go to the generic operator.
        assert!(lshift_int(i(1), i(47)).is_none());
        assert!(lshift_int(i(1), i(70)).is_none());
        assert!(lshift_int(i(1), i(-1)).is_none());
        assert_eq!(v(lshift_int(i(1), i(46))), Some(1 << 46));
        assert_eq!(v(rshift_int(i(-7), i(1))), Some(-4));
        assert_eq!(v(rshift_int(i(-7), i(200))), Some(-1));
        assert_eq!(v(rshift_int(i(7), i(200))), Some(0));
        assert!(rshift_int(i(7), i(-1)).is_none());
    }

    #[test]
    fn overflow_leaves_the_small_range() {
        let max = i(crate::value::SMALL_INT_MAX);
        assert!(add_int(max, i(1)).is_none());
        assert!(mul_int(max, max).is_none());
        assert_eq!(
            sub_int(max, i(1)).map(|v| v.as_small_int()),
            Some(crate::value::SMALL_INT_MAX - 1)
        );
        let min = i(crate::value::SMALL_INT_MIN);
        assert!(floordiv_int(min, i(-1)).is_none());
    }

    #[test]
    fn float_comparisons_with_nan() {
        let nan = RawValue::from_f64(f64::NAN);
        let one = RawValue::from_f64(1.0);
        for op in [0, 1, 2, 4, 5] {
            assert!(!compare_float(nan, one, op));
        }
        assert!(compare_float(nan, one, 3));
    }
}
