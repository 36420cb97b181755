//! Value encoding: one 64-bit word per Python value (pointer-favouring NaN-boxing).
//!
//! Floats and small ints never allocate. The encoding favours heap pointers, because
//! every reference-count operation asks "is this a heap pointer?" and then uses the
//! pointer: with pointers stored as-is, that test is one shift and the pointer needs no
//! decoding. Doubles pay one add/sub instead (the JavaScriptCore trick).
//!
//! ```text
//!  bits 63..48 (tag)   bits 47..0
//!  0x0000              heap pointer (never 0; the all-zero word is NULL, "no value")
//!  0x0001              singleton: 0 None, 1 False, 2 True, 3 NotImplemented, 4 Ellipsis
//!  0x0002              small int, 48-bit two's complement (-2^47 ..= 2^47-1)
//!  0x0003 ..= 0xFFFF   double, stored as (f64 bits + 0x0003 << 48)
//! ```
//!
//! All NaNs are canonicalised to `0x7FF8_0000_0000_0000` before encoding, so no double
//! overflows when offset (the only doubles with bits >= 0xFFFD << 48 are NaNs).
//! An int that fits the small range is *always* encoded small; heap ints are exactly
//! the ints outside it. So two ints are equal only if both are small with equal bits or
//! both are heap ints with equal magnitude.

/// The raw 64-bit word. `Copy`, no ownership: the runtime wraps it in an owning type.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct RawValue(pub u64);

pub const TAG_SHIFT: u32 = 48;
pub const TAG_PTR: u64 = 0;
pub const TAG_SINGLETON: u64 = 1;
pub const TAG_INT: u64 = 2;
/// Doubles are offset by this amount so their tag is at least 3.
pub const DOUBLE_OFFSET: u64 = 3 << TAG_SHIFT;
pub const PAYLOAD_MASK: u64 = (1 << TAG_SHIFT) - 1;

pub const SMALL_INT_MIN: i64 = -(1 << 47);
pub const SMALL_INT_MAX: i64 = (1 << 47) - 1;

pub const CANONICAL_NAN: u64 = 0x7FF8_0000_0000_0000;

impl RawValue {
    pub const NULL: RawValue = RawValue(0);
    pub const NONE: RawValue = RawValue(TAG_SINGLETON << TAG_SHIFT);
    pub const FALSE: RawValue = RawValue((TAG_SINGLETON << TAG_SHIFT) | 1);
    pub const TRUE: RawValue = RawValue((TAG_SINGLETON << TAG_SHIFT) | 2);
    pub const NOT_IMPLEMENTED: RawValue = RawValue((TAG_SINGLETON << TAG_SHIFT) | 3);
    pub const ELLIPSIS: RawValue = RawValue((TAG_SINGLETON << TAG_SHIFT) | 4);

    #[inline(always)]
    pub const fn tag(self) -> u64 {
        self.0 >> TAG_SHIFT
    }

    #[inline(always)]
    pub const fn is_null(self) -> bool {
        self.0 == 0
    }

    /// A heap pointer (not NULL).
    #[inline(always)]
    pub const fn is_ptr(self) -> bool {
        self.tag() == TAG_PTR && self.0 != 0
    }

    #[inline(always)]
    pub fn from_ptr(p: *const u8) -> RawValue {
        RawValue(p as usize as u64)
    }

    #[inline(always)]
    pub const fn as_ptr(self) -> *mut u8 {
        self.0 as usize as *mut u8
    }

    #[inline(always)]
    pub const fn is_small_int(self) -> bool {
        self.tag() == TAG_INT
    }

    /// True if `i` fits the small-int range.
    #[inline(always)]
    pub const fn fits_small(i: i64) -> bool {
        i >= SMALL_INT_MIN && i <= SMALL_INT_MAX
    }

    /// Encode a small int. The caller guarantees `fits_small(i)`.
    #[inline(always)]
    pub const fn from_small_int(i: i64) -> RawValue {
        RawValue((TAG_INT << TAG_SHIFT) | (i as u64 & PAYLOAD_MASK))
    }

    #[inline(always)]
    pub const fn as_small_int(self) -> i64 {
        // Shift the 48-bit payload to the top and back to sign-extend it.
        ((self.0 << 16) as i64) >> 16
    }

    #[inline(always)]
    pub const fn is_float(self) -> bool {
        self.0 >= DOUBLE_OFFSET
    }

    #[inline(always)]
    pub fn from_f64(f: f64) -> RawValue {
        let bits = if f.is_nan() {
            CANONICAL_NAN
        } else {
            f.to_bits()
        };
        RawValue(bits.wrapping_add(DOUBLE_OFFSET))
    }

    #[inline(always)]
    pub fn as_f64(self) -> f64 {
        f64::from_bits(self.0.wrapping_sub(DOUBLE_OFFSET))
    }

    #[inline(always)]
    pub const fn is_singleton(self) -> bool {
        self.tag() == TAG_SINGLETON
    }

    #[inline(always)]
    pub const fn from_bool(b: bool) -> RawValue {
        if b { RawValue::TRUE } else { RawValue::FALSE }
    }

    #[inline(always)]
    pub const fn is_bool(self) -> bool {
        self.0 == RawValue::TRUE.0 || self.0 == RawValue::FALSE.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_ints_round_trip() {
        for i in [
            0,
            1,
            -1,
            42,
            -42,
            SMALL_INT_MAX,
            SMALL_INT_MIN,
            1 << 40,
            -(1 << 40),
        ] {
            let v = RawValue::from_small_int(i);
            assert!(v.is_small_int());
            assert!(!v.is_ptr() && !v.is_float() && !v.is_null());
            assert_eq!(v.as_small_int(), i);
        }
        assert!(RawValue::fits_small(SMALL_INT_MAX));
        assert!(!RawValue::fits_small(SMALL_INT_MAX + 1));
        assert!(!RawValue::fits_small(SMALL_INT_MIN - 1));
    }

    #[test]
    fn floats_round_trip_and_never_collide_with_other_tags() {
        let cases = [
            0.0,
            -0.0,
            1.5,
            -1.5,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            5e-324,
        ];
        for f in cases {
            let v = RawValue::from_f64(f);
            assert!(v.is_float(), "{f}");
            assert!(!v.is_ptr() && !v.is_small_int() && !v.is_singleton());
            assert_eq!(v.as_f64().to_bits(), f.to_bits());
        }
    }

    #[test]
    fn nans_are_canonicalised() {
        let weird = f64::from_bits(0xFFFF_FFFF_FFFF_FFFF);
        assert!(weird.is_nan());
        let v = RawValue::from_f64(weird);
        assert!(v.is_float());
        assert!(v.as_f64().is_nan());
        assert_eq!(v, RawValue::from_f64(f64::NAN));
        assert_eq!(v.as_f64().to_bits(), CANONICAL_NAN);
    }

    #[test]
    fn singletons_are_distinct() {
        let all = [
            RawValue::NONE,
            RawValue::FALSE,
            RawValue::TRUE,
            RawValue::NOT_IMPLEMENTED,
            RawValue::ELLIPSIS,
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(a.is_singleton() && !a.is_ptr() && !a.is_float() && !a.is_small_int());
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert!(RawValue::TRUE.is_bool() && RawValue::FALSE.is_bool());
        assert!(!RawValue::NONE.is_bool());
    }

    #[test]
    fn pointers_are_stored_as_is() {
        let x = 0u64;
        let p = &x as *const u64 as *const u8;
        let v = RawValue::from_ptr(p);
        assert!(v.is_ptr());
        assert_eq!(v.as_ptr() as *const u8, p);
        assert!(!RawValue::NULL.is_ptr());
    }
}
