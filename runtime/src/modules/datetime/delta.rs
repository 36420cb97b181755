//! `datetime.timedelta`: days (|days| <= 999999999), seconds (0..86399) and
//! microseconds (0..999999), normalised as CPython's. Arithmetic is done on the total
//! in microseconds (an i128; BigInt where a float ratio or a big int takes part).
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

use super::{int128, tp_name};
use crate::modules::native_args;
use crate::native_payload;
use crate::types::class::Kind;
use crate::types::int::as_int;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub const US_PER_SECOND: i128 = 1_000_000;
pub const US_PER_DAY: i128 = 86_400 * US_PER_SECOND;
pub const MAX_DELTA_DAYS: i64 = 999_999_999;

#[repr(C)]
pub struct DeltaObj {
    pub days: i32,
    pub secs: i32,
    pub us: i32,
}
native_payload!(DeltaObj, DELTA);
static DELTA_T: NativeType = NativeType {
    new: Some(delta_new),
    ..NativeType::of::<DeltaObj>()
};

impl DeltaObj {
    pub fn total_us(&self) -> i128 {
        i128::from(self.days) * US_PER_DAY
            + i128::from(self.secs) * US_PER_SECOND
            + i128::from(self.us)
    }
}

pub fn delta_of(v: &Value) -> Option<&DeltaObj> {
    native::downcast::<DeltaObj>(v)
}

/// Normalise a total of microseconds, with CPython's range errors.
pub fn split_us(vm: &mut Vm, total: i128) -> PyResult<DeltaObj> {
    let us = total.rem_euclid(US_PER_SECOND);
    let s = total.div_euclid(US_PER_SECOND);
    let secs = s.rem_euclid(86_400);
    let days = s.div_euclid(86_400);
    check_days(vm, days)?;
    Ok(DeltaObj {
        days: days as i32,
        secs: secs as i32,
        us: us as i32,
    })
}

fn check_days(vm: &mut Vm, days: i128) -> PyResult<()> {
    if days < i128::from(i32::MIN) || days > i128::from(i32::MAX) {
        return Err(vm.overflow_error("Python int too large to convert to C int"));
    }
    if days.abs() > i128::from(MAX_DELTA_DAYS) {
        return Err(vm.overflow_error(format!(
            "days={days}; must have magnitude <= {MAX_DELTA_DAYS}"
        )));
    }
    Ok(())
}

/// An exact `timedelta` of `total` microseconds.
pub fn from_us(vm: &mut Vm, total: i128) -> PyResult<Value> {
    Ok(Value::alloc(split_us(vm, total)?))
}

fn from_big(vm: &mut Vm, total: BigInt) -> PyResult<Value> {
    match total.to_i128() {
        Some(t) if t.unsigned_abs() < (i128::MAX / 4) as u128 => from_us(vm, t),
        _ => Err(vm.overflow_error("Python int too large to convert to C int")),
    }
}

/// An exact `timedelta` of already-normalised fields.
pub fn make(days: i32, secs: i32, us: i32) -> Value {
    Value::alloc(DeltaObj { days, secs, us })
}

/// `f.as_integer_ratio()`.
/// `obj.as_integer_ratio()` of a float operand (called for float subclasses, checked
/// as CPython checks it).
fn float_operand_ratio(vm: &mut Vm, o: &Value, f: f64) -> PyResult<(BigInt, BigInt)> {
    if o.is_float() {
        return float_ratio(vm, f);
    }
    let r = super::call_method(vm, o, "as_integer_ratio", &[])?;
    let Some(t) = r.downcast::<TupleObj>() else {
        return Err(vm.type_error(format!(
            "unexpected return type from as_integer_ratio(): expected tuple, got '{}'",
            tp_name(&r)
        )));
    };
    if t.items.len() != 2 {
        return Err(vm.value_error("as_integer_ratio() must return a 2-tuple"));
    }
    match (as_int(&t.items[0]), as_int(&t.items[1])) {
        (Some(n), Some(d)) => Ok((n.to_big(), d.to_big())),
        _ => Err(vm.type_error("as_integer_ratio() must return a 2-tuple of ints")),
    }
}

pub fn float_ratio(vm: &mut Vm, f: f64) -> PyResult<(BigInt, BigInt)> {
    if f.is_nan() {
        return Err(vm.value_error("cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(vm.overflow_error("cannot convert Infinity to integer ratio"));
    }
    if f == 0.0 {
        return Ok((BigInt::zero(), BigInt::from(1)));
    }
    let bits = f.to_bits();
    let neg = bits >> 63 != 0;
    let eb = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut m, mut e) = if eb == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), eb - 1075)
    };
    let tz = m.trailing_zeros();
    m >>= tz;
    e += i64::from(tz);
    let mut n = BigInt::from(m);
    if neg {
        n = -n;
    }
    if e >= 0 {
        Ok((n << (e as usize), BigInt::from(1)))
    } else {
        Ok((n, BigInt::from(1) << ((-e) as usize)))
    }
}

/// `a / b` rounded half to even (CPython's `_PyLong_DivmodNear`).
pub fn divide_nearest(vm: &mut Vm, a: &BigInt, b: &BigInt) -> PyResult<BigInt> {
    if b.is_zero() {
        return Err(vm.zero_division("integer division or modulo by zero"));
    }
    let (mut q, r) = a.div_mod_floor(b);
    let twice = &r * 2;
    let greater = if b.is_positive() {
        &twice > b
    } else {
        &twice < b
    };
    if greater || (&twice == b && q.is_odd()) {
        q += 1;
    }
    Ok(q)
}

// ---- construction ---------------------------------------------------------------------

fn delta_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    const NAMES: [&str; 7] = [
        "days",
        "seconds",
        "microseconds",
        "milliseconds",
        "minutes",
        "hours",
        "weeks",
    ];
    let b = native_args::bind(vm, "timedelta", a, &NAMES, 0, 7)?;
    // Summed in CPython's order: microseconds first, weeks last.
    const ORDER: [(usize, i128); 7] = [
        (2, 1),
        (3, 1000),
        (1, 1_000_000),
        (4, 60_000_000),
        (5, 3_600_000_000),
        (0, 86_400_000_000),
        (6, 604_800_000_000),
    ];
    let mut sum: i128 = 0;
    let mut leftover = 0.0f64;
    let too_big = |vm: &mut Vm| vm.overflow_error("Python int too large to convert to C int");
    for (i, factor) in ORDER {
        let Some(v) = b[i] else { continue };
        if let Some(n) = as_int(v) {
            let n = match n.to_big().to_i128() {
                Some(n) => n,
                None => return Err(too_big(vm)),
            };
            let Some(p) = n.checked_mul(factor).and_then(|p| p.checked_add(sum)) else {
                return Err(too_big(vm));
            };
            sum = p;
        } else if let Some(f) = v.as_float() {
            let ip = f.trunc();
            let fp = f - ip;
            if f.is_nan() {
                return Err(vm.value_error("cannot convert float NaN to integer"));
            }
            if f.is_infinite() {
                return Err(vm.overflow_error("cannot convert float infinity to integer"));
            }
            if ip.abs() >= 1e36 {
                return Err(too_big(vm));
            }
            let Some(p) = (ip as i128)
                .checked_mul(factor)
                .and_then(|p| p.checked_add(sum))
            else {
                return Err(too_big(vm));
            };
            sum = p;
            if fp != 0.0 {
                let d = factor as f64 * fp;
                let ip2 = d.trunc();
                let Some(p) = sum.checked_add(ip2 as i128) else {
                    return Err(too_big(vm));
                };
                sum = p;
                leftover += d - ip2;
            }
        } else {
            let tn = tp_name(v);
            return Err(vm.type_error(format!(
                "unsupported type for timedelta {} component: {tn}",
                NAMES[i]
            )));
        }
    }
    if leftover != 0.0 {
        let mut whole = leftover.round();
        if (whole - leftover).abs() == 0.5 {
            let odd = (sum & 1) as f64;
            whole = 2.0 * ((leftover + odd) * 0.5).round() - odd;
        }
        let Some(p) = sum.checked_add(whole as i128) else {
            return Err(too_big(vm));
        };
        sum = p;
    }
    let d = split_us(vm, sum)?;
    Ok(native::alloc(cls, d))
}

// ---- methods --------------------------------------------------------------------------

fn this<'a>(
    vm: &mut Vm,
    name: &str,
    a: &'a Args,
    n: usize,
) -> PyResult<(&'a DeltaObj, &'a [Value])> {
    let (s, rest) = native_args::this(vm, name, a, n, n)?;
    match delta_of(s) {
        Some(d) => Ok((d, rest)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' requires a 'datetime.timedelta' object but received a '{}'",
            tp_name(s)
        ))),
    }
}

pub fn repr_of(d: &DeltaObj, name: &str) -> String {
    let mut parts = Vec::new();
    if d.days != 0 {
        parts.push(format!("days={}", d.days));
    }
    if d.secs != 0 {
        parts.push(format!("seconds={}", d.secs));
    }
    if d.us != 0 {
        parts.push(format!("microseconds={}", d.us));
    }
    if parts.is_empty() {
        parts.push("0".into());
    }
    format!("{name}({})", parts.join(", "))
}

fn delta_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "__repr__", a, 0)?;
    Ok(new_string(repr_of(d, &tp_name(&a.args[0]))))
}

fn delta_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "__str__", a, 0)?;
    let (h, rem) = (d.secs / 3600, d.secs % 3600);
    let (m, s) = (rem / 60, rem % 60);
    let mut out = String::new();
    if d.days != 0 {
        let plural = if d.days == 1 || d.days == -1 { "" } else { "s" };
        out.push_str(&format!("{} day{plural}, ", d.days));
    }
    out.push_str(&format!("{h}:{m:02}:{s:02}"));
    if d.us != 0 {
        out.push_str(&format!(".{:06}", d.us));
    }
    Ok(new_string(out))
}

fn get_days(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "days", a, 0)?;
    Ok(Value::int(i64::from(d.days)))
}
fn get_seconds(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "seconds", a, 0)?;
    Ok(Value::int(i64::from(d.secs)))
}
fn get_us(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "microseconds", a, 0)?;
    Ok(Value::int(i64::from(d.us)))
}

/// `total / 10**6` correctly rounded (as Python's int true division).
pub fn us_to_seconds(total: i128) -> f64 {
    if total.unsigned_abs() < (1u128 << 53) {
        // Both operands exact: one IEEE division, correctly rounded.
        return total as f64 / 1e6;
    }
    // The nearest of the approximation and its neighbours, compared exactly: a
    // candidate m * 2^e stands for m * 10^6 * 2^e microseconds.
    let approx = total as f64 / 1e6;
    let parts = |c: f64| -> (i128, i32) {
        let bits = c.to_bits();
        let neg = bits >> 63 != 0;
        let eb = ((bits >> 52) & 0x7ff) as i32;
        let frac = (bits & ((1u64 << 52) - 1)) as i128;
        let (m, e) = if eb == 0 {
            (frac, -1074)
        } else {
            (frac | (1i128 << 52), eb - 1075)
        };
        (if neg { -m } else { m }, e)
    };
    let cands = [approx.next_down(), approx, approx.next_up()];
    let kmax = cands
        .iter()
        .map(|&c| -parts(c).1)
        .max()
        .unwrap_or(0)
        .clamp(0, 60);
    let mut best = approx;
    let mut best_err: Option<u128> = None;
    for c in cands {
        let (m, e) = parts(c);
        let k = -e;
        if !(0..=60).contains(&k) {
            return approx;
        }
        // |m * 10^6 * 2^(kmax - k) - total * 2^kmax|, everything scaled by 2^kmax.
        let lhs = m
            .checked_mul(1_000_000)
            .and_then(|x| x.checked_mul(1i128 << (kmax - k)));
        let rhs = total.checked_mul(1i128 << kmax);
        let (Some(l), Some(r)) = (lhs, rhs) else {
            return approx;
        };
        let err = (l - r).unsigned_abs();
        let better = match best_err {
            None => true,
            Some(b) => err < b || (err == b && m & 1 == 0),
        };
        if better {
            best = c;
            best_err = Some(err);
        }
    }
    best
}

fn total_seconds(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "total_seconds", a, 0)?;
    Ok(Value::float(us_to_seconds(d.total_us())))
}

fn delta_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "__hash__", a, 0)?;
    Ok(Value::int(super::hash_ints(&[
        i64::from(d.days),
        i64::from(d.secs),
        i64::from(d.us),
    ])))
}

fn delta_bool(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "__bool__", a, 0)?;
    Ok(Value::bool(d.days != 0 || d.secs != 0 || d.us != 0))
}

fn delta_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "__reduce__", a, 0)?;
    let cls = Value::from_borrowed(a.args[0].type_raw());
    let state = TupleObj::from_items([
        Value::int(i64::from(d.days)),
        Value::int(i64::from(d.secs)),
        Value::int(i64::from(d.us)),
    ]);
    Ok(TupleObj::from_items([cls, state]))
}

fn delta_cmp(vm: &mut Vm, s: &Value, o: &Value, op: u32) -> PyResult<Value> {
    let (Some(x), Some(y)) = (delta_of(s), delta_of(o)) else {
        return Ok(Value::not_implemented());
    };
    let _ = vm;
    let ord = (x.days, x.secs, x.us).cmp(&(y.days, y.secs, y.us));
    Ok(super::cmp_result(ord, op))
}

fn binop(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(Value, Value)> {
    let (s, o) = native_args::this(vm, name, a, 1, 1)?;
    Ok((s.clone(), o[0].clone()))
}

fn delta_add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = binop(vm, a, "__add__")?;
    match (delta_of(&s), delta_of(&o)) {
        (Some(x), Some(y)) => from_us(vm, x.total_us() + y.total_us()),
        _ => Ok(Value::not_implemented()),
    }
}

fn delta_sub(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = binop(vm, a, "__sub__")?;
    match (delta_of(&s), delta_of(&o)) {
        (Some(x), Some(y)) => from_us(vm, x.total_us() - y.total_us()),
        _ => Ok(Value::not_implemented()),
    }
}

fn delta_rsub(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = binop(vm, a, "__rsub__")?;
    match (delta_of(&s), delta_of(&o)) {
        (Some(x), Some(y)) => from_us(vm, y.total_us() - x.total_us()),
        _ => Ok(Value::not_implemented()),
    }
}

/// `us * num / den` rounded half to even.
fn scale(vm: &mut Vm, us: i128, num: &BigInt, den: &BigInt) -> PyResult<Value> {
    let t = BigInt::from(us) * num;
    let q = divide_nearest(vm, &t, den)?;
    from_big(vm, q)
}

fn delta_mul(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = binop(vm, a, "__mul__")?;
    let Some(x) = delta_of(&s) else {
        return Ok(Value::not_implemented());
    };
    let us = x.total_us();
    if let Some(n) = as_int(&o) {
        return from_big(vm, BigInt::from(us) * n.to_big());
    }
    if let Some(f) = o.as_float() {
        let (n, d) = float_operand_ratio(vm, &o, f)?;
        return scale(vm, us, &n, &d);
    }
    Ok(Value::not_implemented())
}

fn delta_truediv(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = binop(vm, a, "__truediv__")?;
    let Some(x) = delta_of(&s) else {
        return Ok(Value::not_implemented());
    };
    let us = x.total_us();
    if let Some(y) = delta_of(&o) {
        let d = y.total_us();
        if d == 0 {
            return Err(vm.zero_division("division by zero"));
        }
        let (av, bv) = (int128(us), int128(d));
        let r = match (as_int(&av), as_int(&bv)) {
            (Some(p), Some(q)) => crate::types::int::truediv(&p, &q),
            _ => None,
        };
        return match r {
            Some(f) => Ok(Value::float(f)),
            None => Err(vm.overflow_error("integer division result too large for a float")),
        };
    }
    if let Some(n) = as_int(&o) {
        let n = n.to_big();
        let q = divide_nearest(vm, &BigInt::from(us), &n)?;
        return from_big(vm, q);
    }
    if let Some(f) = o.as_float() {
        let (n, d) = float_operand_ratio(vm, &o, f)?;
        return scale(vm, us, &d, &n);
    }
    Ok(Value::not_implemented())
}

fn delta_floordiv(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = binop(vm, a, "__floordiv__")?;
    let Some(x) = delta_of(&s) else {
        return Ok(Value::not_implemented());
    };
    let us = x.total_us();
    if let Some(y) = delta_of(&o) {
        let d = y.total_us();
        if d == 0 {
            return Err(vm.zero_division("integer division or modulo by zero"));
        }
        return Ok(int128(floor_divmod(us, d).0));
    }
    if let Some(n) = as_int(&o) {
        let n = n.to_big();
        if n.is_zero() {
            return Err(vm.zero_division("integer division or modulo by zero"));
        }
        return from_big(vm, BigInt::from(us).div_floor(&n));
    }
    Ok(Value::not_implemented())
}

fn floor_divmod(a: i128, b: i128) -> (i128, i128) {
    let (mut q, mut r) = (a / b, a % b);
    if r != 0 && ((r < 0) != (b < 0)) {
        q -= 1;
        r += b;
    }
    (q, r)
}

fn delta_mod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = binop(vm, a, "__mod__")?;
    let (Some(x), Some(y)) = (delta_of(&s), delta_of(&o)) else {
        return Ok(Value::not_implemented());
    };
    let d = y.total_us();
    if d == 0 {
        return Err(vm.zero_division("integer division or modulo by zero"));
    }
    let (_, r) = floor_divmod(x.total_us(), d);
    from_us(vm, r)
}

fn delta_divmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = binop(vm, a, "__divmod__")?;
    let (Some(x), Some(y)) = (delta_of(&s), delta_of(&o)) else {
        return Ok(Value::not_implemented());
    };
    let d = y.total_us();
    if d == 0 {
        return Err(vm.zero_division("integer division or modulo by zero"));
    }
    let (q, r) = floor_divmod(x.total_us(), d);
    let r = from_us(vm, r)?;
    Ok(TupleObj::from_items([int128(q), r]))
}

fn delta_neg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "__neg__", a, 0)?;
    let t = -d.total_us();
    from_us(vm, t)
}

fn delta_pos(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "__pos__", a, 0)?;
    Ok(make(d.days, d.secs, d.us))
}

fn delta_abs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = this(vm, "__abs__", a, 0)?;
    let t = d.total_us().abs();
    from_us(vm, t)
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let t = new_type::<DeltaObj>(
        "timedelta",
        "datetime",
        native_args::object_type(),
        Kind::Native,
        &DELTA_T,
        &DELTA,
    );
    native_args::methods(
        &t,
        &[
            ("__repr__", delta_repr),
            ("__str__", delta_str),
            ("__hash__", delta_hash),
            ("__bool__", delta_bool),
            ("__reduce__", delta_reduce),
            ("__add__", delta_add),
            ("__radd__", delta_add),
            ("__sub__", delta_sub),
            ("__rsub__", delta_rsub),
            ("__mul__", delta_mul),
            ("__rmul__", delta_mul),
            ("__truediv__", delta_truediv),
            ("__floordiv__", delta_floordiv),
            ("__mod__", delta_mod),
            ("__divmod__", delta_divmod),
            ("__neg__", delta_neg),
            ("__pos__", delta_pos),
            ("__abs__", delta_abs),
            ("total_seconds", total_seconds),
        ],
    );
    native_args::methods(&t, &crate::dt_richcmp_methods!(delta_cmp));
    native_args::getset(&t, "days", get_days, None);
    native_args::getset(&t, "seconds", get_seconds, None);
    native_args::getset(&t, "microseconds", get_us, None);
    super::class_attr(&t, "min", make(-999_999_999, 0, 0));
    super::class_attr(&t, "max", make(999_999_999, 86_399, 999_999));
    super::class_attr(&t, "resolution", make(0, 0, 1));
    Ok(t)
}
