//! range: start, stop and step as machine ints, the case every loop takes; a range
//! whose bounds do not fit (`range(1 << 1000)`, which `_collections_abc` makes at
//! import) keeps them as big ints in `big` and takes the slow paths below (as CPython's
//! `longrange_iterator`). `len()` of a range longer than `isize::MAX` is an
//! OverflowError, as in CPython.
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::native_payload;
use crate::types::native::{NativeType, new_type};
use crate::value::{PyPayload, Value};
use crate::vm::{PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct RangeObj {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
    /// The bounds when one of them does not fit an i64 (then the fields above are 0).
    pub big: Option<Box<BigRange>>,
}

pub struct BigRange {
    pub start: BigInt,
    pub stop: BigInt,
    pub step: BigInt,
}

impl BigRange {
    pub fn len(&self) -> BigInt {
        let (lo, hi, step) = (&self.start, &self.stop, &self.step);
        if step.is_positive() && lo < hi {
            (hi - lo - 1u32) / step + 1u32
        } else if step.is_negative() && lo > hi {
            (lo - hi - 1u32) / (-step) + 1u32
        } else {
            BigInt::zero()
        }
    }

    pub fn item(&self, i: &BigInt) -> BigInt {
        &self.start + i * &self.step
    }

    pub fn contains(&self, x: &BigInt) -> bool {
        let inside = if self.step.is_positive() {
            *x >= self.start && *x < self.stop
        } else {
            *x <= self.start && *x > self.stop
        };
        inside && ((x - &self.start) % &self.step).is_zero()
    }
}

/// A range from Python ints: machine ints when all three fit, else big ones.
pub fn new_range(start: BigInt, stop: BigInt, step: BigInt) -> Value {
    match (start.to_i64(), stop.to_i64(), step.to_i64()) {
        (Some(a), Some(b), Some(c)) => new_small_range(a, b, c),
        _ => Value::alloc(RangeObj {
            start: 0,
            stop: 0,
            step: 1,
            big: Some(Box::new(BigRange { start, stop, step })),
        }),
    }
}

/// `range()`'s one to three arguments as (start, stop, step); None for a zero step.
pub fn range_parts<T: Clone + PartialEq>(n: &[T], zero: T, one: T) -> Option<(T, T, T)> {
    let (start, stop, step) = match n {
        [stop] => (zero.clone(), stop.clone(), one),
        [start, stop] => (start.clone(), stop.clone(), one),
        [start, stop, step, ..] => (start.clone(), stop.clone(), step.clone()),
        [] => return None,
    };
    (step != zero).then_some((start, stop, step))
}

/// A range whose bounds and step fit in machine words (`step` is not zero).
pub fn new_small_range(start: i64, stop: i64, step: i64) -> Value {
    Value::alloc(RangeObj {
        start,
        stop,
        step,
        big: None,
    })
}

/// `len()` of a big range: CPython's error when it exceeds a machine size.
pub fn big_len(vm: &mut Vm, b: &BigRange) -> PyResult<usize> {
    b.len()
        .to_isize()
        .map(|n| n as usize)
        .ok_or_else(|| vm.overflow_error("Python int too large to convert to C ssize_t"))
}

/// Iterator over a big range (`longrange_iterator`).
pub struct LongRangeIter {
    state: crate::object::ObjCell<(BigInt, BigInt)>,
    step: BigInt,
}

native_payload!(LongRangeIter, LONGRANGE_ITER);

static LONGRANGE_TABLE: NativeType = NativeType {
    iternext: Some(longrange_next),
    ..NativeType::of::<LongRangeIter>()
};

fn longrange_next(_vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let Some(it) = crate::types::native::downcast::<LongRangeIter>(it) else {
        return Ok(None);
    };
    let step = it.step.clone();
    Ok(it.state.with(|(cur, left)| {
        if left.is_zero() {
            return None;
        }
        let v = cur.clone();
        *cur += &step;
        *left -= 1u32;
        Some(Value::bigint(v))
    }))
}

/// `iter()` of a big range.
pub fn big_iter(b: &BigRange) -> Value {
    Value::alloc(LongRangeIter {
        state: crate::object::ObjCell::new((b.start.clone(), b.len())),
        step: b.step.clone(),
    })
}

/// Create `longrange_iterator` (at start-up, with the other builtin types).
pub fn install() {
    let t = new_type::<LongRangeIter>(
        "longrange_iterator",
        "builtins",
        types().object,
        crate::types::class::Kind::Native,
        &LONGRANGE_TABLE,
        &LONGRANGE_ITER,
    );
    crate::builtins::add_method(types().range, "count", range_count);
    crate::builtins::add_method(types().range, "index", range_index);
    crate::builtins::add_method(t.raw(), "__iter__", crate::types::native::iter_self);
    crate::builtins::add_method(t.raw(), "__next__", crate::types::native::next_method);
    crate::types::layout::set_final(t.raw());
}

impl RangeObj {
    /// The bounds as big ints, whichever way they are stored.
    fn bounds(&self) -> BigRange {
        match &self.big {
            Some(b) => BigRange {
                start: b.start.clone(),
                stop: b.stop.clone(),
                step: b.step.clone(),
            },
            None => BigRange {
                start: self.start.into(),
                stop: self.stop.into(),
                step: self.step.into(),
            },
        }
    }
}

/// `self` of a range method and its one argument.
fn range_args<'a>(
    vm: &mut Vm,
    name: &str,
    a: &'a crate::vm::Args,
) -> PyResult<(BigRange, &'a Value)> {
    let (s, rest) = crate::builtins::method_args(vm, name, a, 1, 1)?;
    let Some(r) = s.downcast::<RangeObj>() else {
        return Err(vm.type_error(format!("descriptor '{name}' requires a 'range' object")));
    };
    Ok((r.bounds(), &rest[0]))
}

/// An exact int (or bool) searched for arithmetically, as CPython's range does;
/// anything else is compared with each item.
fn exact_int(v: &Value) -> Option<BigInt> {
    if crate::types::int::is_exact_int(v) || v.is_bool() {
        crate::types::int::as_int(v).map(|i| i.to_big())
    } else {
        None
    }
}

/// The position of `x` among the range's items by equality (CPython's
/// `_PySequence_IterSearch`), for values that are not ints.
fn search(
    vm: &mut Vm,
    b: &BigRange,
    x: &Value,
    first_only: bool,
) -> PyResult<(usize, Option<usize>)> {
    let (mut count, mut first) = (0usize, None);
    let mut i = BigInt::zero();
    let n = b.len();
    let mut at = 0usize;
    while i < n {
        let item = Value::bigint(b.item(&i));
        if vm.eq(&item, x)? {
            count += 1;
            first.get_or_insert(at);
            if first_only {
                break;
            }
        }
        i += 1u32;
        at += 1;
    }
    Ok((count, first))
}

/// `range.count(x)`.
fn range_count(vm: &mut Vm, a: &crate::vm::Args) -> PyResult<Value> {
    let (b, x) = range_args(vm, "count", a)?;
    if let Some(i) = exact_int(x) {
        return Ok(Value::int(b.contains(&i) as i64));
    }
    let (count, _) = search(vm, &b, x, false)?;
    Ok(Value::int(count as i64))
}

/// `range.index(x)`: the position of `x`, or ValueError.
fn range_index(vm: &mut Vm, a: &crate::vm::Args) -> PyResult<Value> {
    let (b, x) = range_args(vm, "index", a)?;
    if let Some(i) = exact_int(x) {
        if b.contains(&i) {
            return Ok(Value::bigint((&i - &b.start) / &b.step));
        }
        let r = crate::ops::repr(vm, x)?;
        return Err(vm.value_error(format!("{r} is not in range")));
    }
    match search(vm, &b, x, true)? {
        (_, Some(at)) => Ok(Value::int(at as i64)),
        _ => Err(vm.value_error("sequence.index(x): x not in sequence")),
    }
}

impl PyPayload for RangeObj {
    fn class() -> RawValue {
        types().range
    }
}

impl RangeObj {
    pub fn len(&self) -> i64 {
        let (lo, hi, step) = (self.start as i128, self.stop as i128, self.step as i128);
        let n = if step > 0 && lo < hi {
            (hi - lo - 1) / step + 1
        } else if step < 0 && lo > hi {
            (lo - hi - 1) / (-step) + 1
        } else {
            0
        };
        n as i64
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn item(&self, i: i64) -> i64 {
        self.start + i * self.step
    }
}

/// What `==` and `hash()` see of a range (CPython's `range_equals`/`range_hash`): its
/// length, its start unless empty, and its step unless it has at most one item. Two
/// ranges are equal when they yield the same ints: `range(0) == range(5, 5)`.
pub fn canonical(v: &Value) -> Option<(BigInt, Option<BigInt>, Option<BigInt>)> {
    let r = v.downcast::<RangeObj>()?;
    let (start, step, len) = match &r.big {
        Some(b) => (b.start.clone(), b.step.clone(), b.len()),
        None => (
            BigInt::from(r.start),
            BigInt::from(r.step),
            BigInt::from(r.len()),
        ),
    };
    let one = BigInt::from(1);
    Some(match len.sign() {
        num_bigint::Sign::NoSign => (len, None, None),
        _ if len == one => (len, Some(start), None),
        _ => (len, Some(start), Some(step)),
    })
}
