//! The int/str conversion length limit (CVE-2020-10735, CPython 3.11's
//! `sys.set_int_max_str_digits`): converting an int of more than the limit's decimal
//! digits to a string, or parsing one from a string in a base that is not a power of
//! two, raises `ValueError`, because both conversions are quadratic.
//!
//! The limit is process-wide (CPython's is per interpreter; stitch runs one), set
//! from `-X int_max_str_digits`, `PYTHONINTMAXSTRDIGITS` or at run time.
use std::sync::atomic::{AtomicUsize, Ordering};

use num_traits::Signed;

use crate::types::int::{IntRef, to_str_radix};
use crate::vm::{PyResult, Vm};

/// `sys.int_info.default_max_str_digits`.
pub const DEFAULT_MAX_STR_DIGITS: usize = 4300;
/// `sys.int_info.str_digits_check_threshold`: the smallest limit other than 0.
pub const STR_DIGITS_CHECK_THRESHOLD: usize = 640;

/// The current limit; 0 means none.
static MAX_STR_DIGITS: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_STR_DIGITS);

/// `sys.get_int_max_str_digits()`.
pub fn max_str_digits() -> usize {
    MAX_STR_DIGITS.load(Ordering::Relaxed)
}

/// Is `n` a limit `sys.set_int_max_str_digits` accepts (0 or at least the threshold)?
pub fn valid_limit(n: i64) -> bool {
    n == 0 || n >= STR_DIGITS_CHECK_THRESHOLD as i64
}

/// Set the limit (already checked with `valid_limit`).
pub fn set_max_str_digits(n: usize) {
    MAX_STR_DIGITS.store(n, Ordering::Relaxed);
}

const ADVICE: &str = "use sys.set_int_max_str_digits() to increase the limit";

/// `str(i)`, or CPython's `ValueError` when `i` has more decimal digits than the limit.
pub fn to_decimal(vm: &mut Vm, i: &IntRef) -> PyResult<String> {
    let limit = max_str_digits();
    if let IntRef::Big(b) = i
        && limit > 0
    {
        // A number of `bits` bits has at least floor((bits - 1) * log10(2)) + 1 digits:
        // refuse the ones surely too long before the quadratic conversion.
        let bits = b.abs().bits();
        let at_least = ((bits.saturating_sub(1)) as f64 * std::f64::consts::LOG10_2) as u64 + 1;
        if at_least > limit as u64 + 1 {
            return Err(too_long_int(vm, limit));
        }
        let s = to_str_radix(i, 10);
        let digits = s.len() - usize::from(s.starts_with('-'));
        if digits > limit {
            return Err(too_long_int(vm, limit));
        }
        return Ok(s);
    }
    Ok(to_str_radix(i, 10))
}

fn too_long_int(vm: &mut Vm, limit: usize) -> crate::vm::PyErr {
    vm.value_error(format!(
        "Exceeds the limit ({limit} digits) for integer string conversion; {ADVICE}"
    ))
}

/// Check the digits of an int literal about to be parsed in `base` (0 for
/// auto-detected) against the limit: `text` is what `int()` was given.
pub fn check_parse(vm: &mut Vm, text: &str, base: u32) -> PyResult<()> {
    let limit = max_str_digits();
    if limit == 0 || text.len() <= limit {
        return Ok(());
    }
    let t = text.trim().trim_start_matches(['+', '-']);
    let lower = |p: &str| t.len() >= 2 && t[..2].eq_ignore_ascii_case(p);
    let (body, base) = match base {
        0 | 16 if lower("0x") => (&t[2..], 16),
        0 | 8 if lower("0o") => (&t[2..], 8),
        0 | 2 if lower("0b") => (&t[2..], 2),
        0 => (t, 10),
        b => (t, b),
    };
    if base.is_power_of_two() {
        return Ok(());
    }
    let digits = body
        .chars()
        .take_while(|c| *c == '_' || c.is_digit(base))
        .filter(|c| *c != '_')
        .count();
    if digits > limit {
        return Err(vm.value_error(format!(
            "Exceeds the limit ({limit} digits) for integer string conversion: value has \
             {digits} digits; {ADVICE}"
        )));
    }
    Ok(())
}
