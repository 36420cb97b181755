//! `_datetime`: CPython's C accelerator of `datetime` (Modules/_datetimemodule.c),
//! natively. The Lib's `datetime.py` ends with `from _datetime import *`, so these
//! classes replace its pure-Python ones; with `_datetime` blocked
//! (`sys.modules['_datetime'] = None`, as `test.test_datetime` does for its pure half)
//! the Lib's classes run.
//!
//! # Layout
//! - `calendar.rs`: proleptic Gregorian arithmetic (ordinals, ISO weeks, `ctime`);
//! - `delta.rs`: `timedelta`;
//! - `date.rs`: `date`;
//! - `clock.rs`: `time`;
//! - `datetime.rs`: `datetime` (a subclass of `date`, its payload starts with one);
//! - `tz.rs`: `tzinfo`, `timezone`, and the checked calls of `utcoffset`/`dst`/`tzname`;
//! - `text.rs`: `isoformat` offsets, `fromisoformat` parsing (3.11's rules), the
//!   `strftime` wrapper (`%z`, `%Z`, `%f` expanded, then `time.strftime`);
//! - `local.rs`: local time and timestamps through the C library (`localtime_r`,
//!   `gmtime_r`), with CPython's fold detection and `local_to_seconds`.
//!
//! Every type is subclassable from Python (`types/native.rs`); arithmetic, `replace`
//! and the alternative constructors build instances of the subclass as CPython does
//! (calling the subclass where C calls it, allocating directly where C does).
//! Pickles are CPython's: bytes states (`fold` in the high bit of the month or hour
//! byte for protocols above 3), `timedelta` by its three fields.
//!
//! # Status
//! test_datetime: 2603 of the 3500 tests pass (CPython 3.11: 2632). 888 are skipped:
//! those CPython skips, and the fast half's 20 C-API tests (no `_testcapi`) which
//! CPython runs. The 9 failing tests fail in
//! both halves (pure and fast) on stitch's str, which cannot hold lone surrogates
//! (`isoformat('\ud800')`, `strptime` with surrogates). Hashes are consistent with
//! equality but are not CPython's values (CPython hashes the bytes state of naive
//! values). Not done: `datetime_CAPI`.
//!
//! # Testing
//! `tests/programs/datetime_native.py` against CPython's output; `scripts/conformance
//! test_datetime`.
mod calendar;
mod clock;
mod date;
#[allow(clippy::module_inception)]
mod datetime;
mod delta;
mod local;
mod text;
mod tz;

use crate::modules::native_args;
use crate::ops;
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = native_args::module("_datetime", &[]);
    let delta = delta::init(vm)?;
    let tzinfo = tz::init_tzinfo(vm)?;
    let date = date::init(vm)?;
    let time = clock::init(vm)?;
    let dt = datetime::init(vm, &date)?;
    let timezone = tz::init_timezone(vm, &tzinfo)?;
    native_args::set(&m, "timedelta", delta);
    native_args::set(&m, "date", date);
    native_args::set(&m, "time", time);
    native_args::set(&m, "datetime", dt);
    native_args::set(&m, "tzinfo", tzinfo);
    native_args::set(&m, "timezone", timezone);
    native_args::set(&m, "UTC", tz::utc());
    native_args::set(&m, "MINYEAR", Value::int(calendar::MINYEAR as i64));
    native_args::set(&m, "MAXYEAR", Value::int(calendar::MAXYEAR as i64));
    native_args::set(
        &m,
        "__doc__",
        new_str("Fast implementation of the datetime type."),
    );
    Ok(m)
}

// ---- helpers shared by the types -------------------------------------------------------

/// `obj.name(*args)`.
pub(crate) fn call_method(vm: &mut Vm, obj: &Value, name: &str, args: &[Value]) -> PyResult<Value> {
    let f = ops::getattr_str(vm, obj, name)?;
    vm.call(&f, args)
}

/// CPython's `tp_name` of `v`'s type (`datetime.date`, or a subclass's plain name).
pub(crate) fn tp_name(v: &Value) -> String {
    crate::types::native::tp_name(v.type_data())
}

/// A class attribute kept for the whole process (`date.min`, `timezone.utc`, ...):
/// immortal, as the class holding it.
pub(crate) fn class_attr(t: &Value, name: &str, v: Value) {
    crate::object::make_immortal(v.raw());
    native_args::attr(t, name, v);
}

/// The arguments of a constructor bound as CPython's `PyArg_ParseTupleAndKeywords`
/// with no function name binds them ("function takes at most ..."); required ones
/// are checked field by field with [`required_field`], in order, as its conversions
/// are.
pub(crate) fn ctor_args<'a>(
    vm: &mut Vm,
    a: &crate::vm::Args<'a>,
    names: &[&str],
    max_pos: usize,
) -> PyResult<native_args::Bound<'a>> {
    let n = a.pos().len();
    if n > max_pos {
        let what = if max_pos == names.len() {
            "arguments"
        } else {
            "positional arguments"
        };
        return Err(vm.type_error(format!(
            "function takes at most {max_pos} {what} ({n} given)"
        )));
    }
    let total = a.args.len();
    if total > names.len() {
        return Err(vm.type_error(format!(
            "function takes at most {} arguments ({total} given)",
            names.len()
        )));
    }
    native_args::bind(vm, "function", a, names, 0, max_pos)
}

/// A required int field of [`ctor_args`]' result.
pub(crate) fn required_field(
    vm: &mut Vm,
    b: &native_args::Bound,
    i: usize,
    name: &str,
) -> PyResult<i32> {
    match b[i] {
        Some(v) => int_field(vm, Some(v), 0),
        None => Err(vm.type_error(format!(
            "function missing required argument '{name}' (pos {})",
            i + 1
        ))),
    }
}

/// An Argument Clinic `int` field (`'float' object cannot be interpreted as an
/// integer`, the C int range's OverflowError).
pub(crate) fn int_field(vm: &mut Vm, v: Option<&Value>, default: i32) -> PyResult<i32> {
    native_args::int_arg(vm, v, default)
}

/// `x` as a `Value` int.
pub(crate) fn int128(x: i128) -> Value {
    match i64::try_from(x) {
        Ok(v) => Value::int(v),
        Err(_) => Value::bigint(num_bigint::BigInt::from(x)),
    }
}

/// Hash of a tuple of small ints (as `hash((a, b, ...))`).
pub(crate) fn hash_ints(items: &[i64]) -> i64 {
    let mut h = crate::types::tuple::TupleHasher::new();
    for &x in items {
        h.push(if x == -1 { -2 } else { x });
    }
    h.finish()
}

/// Rich-comparison result of an ordering for operator `op` (ops::compare's codes).
pub(crate) fn cmp_result(ord: std::cmp::Ordering, op: u32) -> Value {
    use crate::ops::{EQ, GE, GT, LE, LT, NE};
    use std::cmp::Ordering::*;
    let b = match op {
        LT => ord == Less,
        LE => ord != Greater,
        EQ => ord == Equal,
        NE => ord != Equal,
        GT => ord == Greater,
        GE => ord != Less,
        _ => false,
    };
    Value::bool(b)
}

/// The six comparison methods of a type, from one `fn(vm, a, b, op)`.
#[macro_export]
macro_rules! dt_richcmp_methods {
    ($f:ident) => {{
        fn lt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (s, o) = $crate::modules::native_args::this(vm, "__lt__", a, 1, 1)?;
            $f(vm, s, &o[0], $crate::ops::LT)
        }
        fn le(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (s, o) = $crate::modules::native_args::this(vm, "__le__", a, 1, 1)?;
            $f(vm, s, &o[0], $crate::ops::LE)
        }
        fn eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (s, o) = $crate::modules::native_args::this(vm, "__eq__", a, 1, 1)?;
            $f(vm, s, &o[0], $crate::ops::EQ)
        }
        fn ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (s, o) = $crate::modules::native_args::this(vm, "__ne__", a, 1, 1)?;
            $f(vm, s, &o[0], $crate::ops::NE)
        }
        fn gt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (s, o) = $crate::modules::native_args::this(vm, "__gt__", a, 1, 1)?;
            $f(vm, s, &o[0], $crate::ops::GT)
        }
        fn ge(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (s, o) = $crate::modules::native_args::this(vm, "__ge__", a, 1, 1)?;
            $f(vm, s, &o[0], $crate::ops::GE)
        }
        [
            ("__lt__", lt as $crate::types::func::NativeFn),
            ("__le__", le),
            ("__eq__", eq),
            ("__ne__", ne),
            ("__gt__", gt),
            ("__ge__", ge),
        ]
    }};
}
