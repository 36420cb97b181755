//! `datetime.tzinfo` (the abstract base, subclassed from Python by `zoneinfo` and
//! users), `datetime.timezone` (fixed offsets; `timezone.utc` is a singleton), and the
//! checked calls the other types make of a tzinfo's `utcoffset`, `dst` and `tzname`.
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::datetime::{dt_of, is_datetime};
use super::delta::{self, DeltaObj, delta_of};
use super::{call_method, tp_name};
use crate::modules::native_args;
use crate::native_payload;
use crate::ops;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// (Not zero-sized: a Python subclass's instance dict follows the payload.)
#[repr(C)]
pub struct TzInfoObj {
    _pad: u64,
}
native_payload!(TzInfoObj, TZINFO);
static TZINFO_T: NativeType = NativeType {
    new: Some(tzinfo_new),
    ..NativeType::of::<TzInfoObj>()
};

#[repr(C)]
pub struct TimezoneObj {
    base: TzInfoObj,
    /// The `timedelta` given (kept as it was given, as CPython does).
    offset: Value,
    /// Its total in microseconds.
    pub off_us: i64,
    /// A str, or None.
    name: Value,
}
native_payload!(TimezoneObj, TIMEZONE);
static TIMEZONE_T: NativeType = NativeType {
    new: Some(timezone_new),
    ..NativeType::of::<TimezoneObj>()
};

static UTC: AtomicU64 = AtomicU64::new(0);

/// `timezone.utc`.
pub fn utc() -> Value {
    Value::from_borrowed(RawValue(UTC.load(Ordering::Acquire)))
}

pub fn is_tzinfo(v: &Value) -> bool {
    v.is_ptr() && v.type_data().is_subtype_raw(TzInfoObj::class())
}

/// CPython's `check_tzinfo_subclass`.
pub fn check_tzinfo(vm: &mut Vm, v: &Value) -> PyResult<()> {
    if v.is_none() || is_tzinfo(v) {
        return Ok(());
    }
    Err(vm.type_error(format!(
        "tzinfo argument must be None or of a tzinfo subclass, not type '{}'",
        tp_name(v)
    )))
}

pub fn timezone_of(v: &Value) -> Option<&TimezoneObj> {
    v.downcast_exact::<TimezoneObj>()
}

/// `+HH<sep>MM[<sep>SS[.ffffff]]` of an offset in microseconds.
pub fn fmt_offset(us: i64, sep: &str) -> String {
    let (sign, us) = if us < 0 { ('-', -us) } else { ('+', us) };
    let micro = us % 1_000_000;
    let secs = us / 1_000_000;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if micro != 0 {
        format!("{sign}{h:02}{sep}{m:02}{sep}{s:02}.{micro:06}")
    } else if s != 0 {
        format!("{sign}{h:02}{sep}{m:02}{sep}{s:02}")
    } else {
        format!("{sign}{h:02}{sep}{m:02}")
    }
}

fn offset_in_range(d: &DeltaObj) -> bool {
    !((d.days == -1 && d.secs == 0 && d.us < 1) || d.days < -1 || d.days >= 1)
}

const RANGE: &str =
    "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)";

/// The range error of `timezone()` (naming the offset) or of a tzinfo's answer (not).
fn range_error(vm: &mut Vm, off: Option<&Value>) -> crate::vm::PyErr {
    match off {
        Some(off) => {
            let r = ops::repr(vm, off).unwrap_or_default();
            vm.value_error(format!("{RANGE}, not {r}."))
        }
        None => vm.value_error(format!("{RANGE}.")),
    }
}

/// `tz.utcoffset(arg)` or `tz.dst(arg)` (`which`), checked as CPython's
/// `call_tzinfo_method`: None, or the timedelta and its microseconds.
pub fn call_offset(
    vm: &mut Vm,
    tz: &Value,
    arg: &Value,
    which: &str,
) -> PyResult<Option<(Value, i64)>> {
    if tz.is_none() {
        return Ok(None);
    }
    if let Some(z) = timezone_of(tz) {
        if which == "dst" {
            return Ok(None);
        }
        return Ok(Some((z.offset.clone(), z.off_us)));
    }
    let r = call_method(vm, tz, which, std::slice::from_ref(arg))?;
    if r.is_none() {
        return Ok(None);
    }
    let Some(d) = delta_of(&r) else {
        return Err(vm.type_error(format!(
            "tzinfo.{which}() must return None or timedelta, not '{}'",
            tp_name(&r)
        )));
    };
    if !offset_in_range(d) {
        return Err(range_error(vm, None));
    }
    let us = d.total_us() as i64;
    Ok(Some((r, us)))
}

/// The offset alone.
pub fn offset_us(vm: &mut Vm, tz: &Value, arg: &Value, which: &str) -> PyResult<Option<i64>> {
    Ok(call_offset(vm, tz, arg, which)?.map(|(_, us)| us))
}

/// `tz.tzname(arg)`, checked: None or a str.
pub fn call_tzname(vm: &mut Vm, tz: &Value, arg: &Value) -> PyResult<Value> {
    if tz.is_none() {
        return Ok(Value::none());
    }
    if let Some(z) = timezone_of(tz) {
        return Ok(z.name_value());
    }
    let r = call_method(vm, tz, "tzname", std::slice::from_ref(arg))?;
    if r.is_none() || as_str(&r).is_some() {
        return Ok(r);
    }
    Err(vm.type_error(format!(
        "tzinfo.tzname() must return None or a string, not '{}'",
        tp_name(&r)
    )))
}

impl TimezoneObj {
    fn name_value(&self) -> Value {
        if !self.name.is_none() {
            return self.name.clone();
        }
        if self.off_us == 0 {
            return new_string("UTC".into());
        }
        new_string(format!("UTC{}", fmt_offset(self.off_us, ":")))
    }
}

// ---- tzinfo -----------------------------------------------------------------------------

fn tzinfo_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    if cls.raw() == TzInfoObj::class() && !a.args.is_empty() {
        return Err(vm.type_error("tzinfo() takes no arguments"));
    }
    Ok(native::alloc(cls, TzInfoObj { _pad: 0 }))
}

fn not_implemented(vm: &mut Vm, what: &str) -> crate::vm::PyErr {
    vm.err(
        types().not_implemented_error,
        format!("a tzinfo subclass must implement {what}()"),
    )
}

fn tzinfo_tzname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::this(vm, "tzname", a, 1, 1)?;
    Err(not_implemented(vm, "tzname"))
}
fn tzinfo_utcoffset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::this(vm, "utcoffset", a, 1, 1)?;
    Err(not_implemented(vm, "utcoffset"))
}
fn tzinfo_dst(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::this(vm, "dst", a, 1, 1)?;
    Err(not_implemented(vm, "dst"))
}

/// The generic `tzinfo.fromutc` (the algorithm of CPython's `tzinfo_fromutc`).
fn tzinfo_fromutc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = native_args::this(vm, "fromutc", a, 1, 1)?;
    let dt = &rest[0];
    let Some(d) = dt_of(dt) else {
        return Err(vm.type_error("fromutc: argument must be a datetime"));
    };
    if !d.tz.is(s) {
        return Err(vm.value_error("fromutc: dt.tzinfo is not self"));
    }
    let Some(off) = offset_us(vm, s, dt, "utcoffset")? else {
        return Err(vm.value_error("fromutc: non-None utcoffset() result required"));
    };
    let Some(dst) = offset_us(vm, s, dt, "dst")? else {
        return Err(vm.value_error("fromutc: non-None dst() result required"));
    };
    let delta = off - dst;
    let mut dt = dt.clone();
    let mut dst = dst;
    if delta != 0 {
        dt = super::datetime::add_us(vm, &dt, i128::from(delta))?;
        dst = match offset_us(vm, s, &dt, "dst")? {
            Some(x) => x,
            None => {
                return Err(
                    vm.value_error("fromutc: tz.dst() gave inconsistent results; cannot convert")
                );
            }
        };
    }
    super::datetime::add_us(vm, &dt, i128::from(dst))
}

fn tzinfo_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = native_args::this(vm, "__reduce__", a, 0, 0)?;
    let args = match ops::getattr_opt(vm, s, "__getinitargs__")? {
        Some(f) => vm.call(&f, &[])?,
        None => TupleObj::from_items([]),
    };
    let state = match ops::getattr_opt(vm, s, "__getstate__")? {
        Some(f) => vm.call(&f, &[])?,
        None => match ops::getattr_opt(vm, s, "__dict__")? {
            Some(d) if ops::truthy(vm, &d)? => d,
            _ => Value::none(),
        },
    };
    let cls = Value::from_borrowed(s.type_raw());
    Ok(TupleObj::from_items([cls, args, state]))
}

pub fn init_tzinfo(_vm: &mut Vm) -> PyResult<Value> {
    let t = new_type::<TzInfoObj>(
        "tzinfo",
        "datetime",
        native_args::object_type(),
        Kind::Native,
        &TZINFO_T,
        &TZINFO,
    );
    native_args::methods(
        &t,
        &[
            ("tzname", tzinfo_tzname),
            ("utcoffset", tzinfo_utcoffset),
            ("dst", tzinfo_dst),
            ("fromutc", tzinfo_fromutc),
            ("__reduce__", tzinfo_reduce),
        ],
    );
    Ok(t)
}

// ---- timezone ---------------------------------------------------------------------------

/// A timezone of `offset` (a timedelta) and `name` (None or a str), range-checked;
/// the UTC singleton for a zero offset without a name.
pub fn new_timezone(vm: &mut Vm, offset: &Value, name: Value) -> PyResult<Value> {
    let Some(d) = delta_of(offset) else {
        return Err(vm.type_error("offset must be a timedelta"));
    };
    let off_us = d.total_us() as i64;
    if name.is_none() && off_us == 0 && UTC.load(Ordering::Acquire) != 0 {
        return Ok(utc());
    }
    if !offset_in_range(d) {
        return Err(range_error(vm, Some(offset)));
    }
    Ok(Value::alloc(TimezoneObj {
        base: TzInfoObj { _pad: 0 },
        offset: offset.clone(),
        off_us,
        name,
    }))
}

/// A timezone of a whole offset in microseconds (no name).
pub fn timezone_us(vm: &mut Vm, us: i64) -> PyResult<Value> {
    let off = delta::from_us(vm, i128::from(us))?;
    new_timezone(vm, &off, Value::none())
}

fn timezone_new(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "timezone", a, &["offset", "name"], 1, 2)?;
    let off = b[0].cloned().unwrap_or_else(Value::none);
    if delta_of(&off).is_none() {
        return Err(vm.type_error(format!(
            "timezone() argument 1 must be datetime.timedelta, not {}",
            tp_name(&off)
        )));
    }
    let name = match b[1] {
        None => Value::none(),
        Some(n) if as_str(n).is_some() => n.clone(),
        Some(n) => {
            return Err(vm.type_error(format!(
                "timezone() argument 2 must be str, not {}",
                tp_name(n)
            )));
        }
    };
    new_timezone(vm, &off, name)
}

fn tz_this<'a>(
    vm: &mut Vm,
    name: &str,
    a: &'a Args,
    n: usize,
) -> PyResult<(&'a TimezoneObj, &'a [Value])> {
    let (s, rest) = native_args::this(vm, name, a, n, n)?;
    match timezone_of(s) {
        Some(z) => Ok((z, rest)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' requires a 'datetime.timezone' object but received a '{}'",
            tp_name(s)
        ))),
    }
}

fn check_dt_arg(vm: &mut Vm, v: &Value, what: &str) -> PyResult<()> {
    if v.is_none() || is_datetime(v) {
        return Ok(());
    }
    Err(vm.type_error(format!(
        "{what}(dt) argument must be a datetime instance or None, not {}",
        tp_name(v)
    )))
}

fn tz_utcoffset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (z, r) = tz_this(vm, "utcoffset", a, 1)?;
    check_dt_arg(vm, &r[0], "utcoffset")?;
    Ok(z.offset.clone())
}

fn tz_dst(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, r) = tz_this(vm, "dst", a, 1)?;
    check_dt_arg(vm, &r[0], "dst")?;
    Ok(Value::none())
}

fn tz_tzname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (z, r) = tz_this(vm, "tzname", a, 1)?;
    check_dt_arg(vm, &r[0], "tzname")?;
    Ok(z.name_value())
}

fn tz_fromutc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (z, r) = tz_this(vm, "fromutc", a, 1)?;
    let dt = &r[0];
    let Some(d) = dt_of(dt) else {
        return Err(vm.type_error("fromutc: argument must be a datetime"));
    };
    if !d.tz.is(&a.args[0]) {
        return Err(vm.value_error("fromutc: dt.tzinfo is not self"));
    }
    super::datetime::add_us(vm, dt, i128::from(z.off_us))
}

fn tz_getinitargs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (z, _) = tz_this(vm, "__getinitargs__", a, 0)?;
    if z.name.is_none() {
        Ok(TupleObj::from_items([z.offset.clone()]))
    } else {
        Ok(TupleObj::from_items([z.offset.clone(), z.name.clone()]))
    }
}

fn tz_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (z, _) = tz_this(vm, "__str__", a, 0)?;
    Ok(z.name_value())
}

fn tz_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (z, _) = tz_this(vm, "__repr__", a, 0)?;
    let tn = tp_name(&a.args[0]);
    if a.args[0].bits() == UTC.load(Ordering::Acquire) {
        return Ok(new_string(format!("{tn}.utc")));
    }
    let off = ops::repr(vm, &z.offset)?;
    if z.name.is_none() {
        Ok(new_string(format!("{tn}({off})")))
    } else {
        let n = ops::repr(vm, &z.name)?;
        Ok(new_string(format!("{tn}({off}, {n})")))
    }
}

fn tz_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (z, _) = tz_this(vm, "__hash__", a, 0)?;
    let off = z.offset.clone();
    Ok(Value::int(vm.hash(&off)?))
}

fn tz_cmp(vm: &mut Vm, s: &Value, o: &Value, op: u32) -> PyResult<Value> {
    if op != ops::EQ && op != ops::NE {
        return Ok(Value::not_implemented());
    }
    let (Some(x), Some(y)) = (timezone_of(s), timezone_of(o)) else {
        return Ok(Value::not_implemented());
    };
    let _ = vm;
    let eq = x.off_us == y.off_us;
    Ok(Value::bool(if op == ops::EQ { eq } else { !eq }))
}

pub fn init_timezone(vm: &mut Vm, tzinfo: &Value) -> PyResult<Value> {
    let t = new_type::<TimezoneObj>(
        "timezone",
        "datetime",
        tzinfo.raw(),
        Kind::Native,
        &TIMEZONE_T,
        &TIMEZONE,
    );
    crate::types::class::type_data_raw(t.raw())
        .basetype
        .store(false, Ordering::Relaxed);
    native_args::methods(
        &t,
        &[
            ("utcoffset", tz_utcoffset),
            ("dst", tz_dst),
            ("tzname", tz_tzname),
            ("fromutc", tz_fromutc),
            ("__getinitargs__", tz_getinitargs),
            ("__str__", tz_str),
            ("__repr__", tz_repr),
            ("__hash__", tz_hash),
        ],
    );
    native_args::methods(&t, &crate::dt_richcmp_methods!(tz_cmp));
    if UTC.load(Ordering::Acquire) == 0 {
        let z = delta::make(0, 0, 0);
        crate::object::make_immortal(z.raw());
        let u = new_timezone(vm, &z, Value::none())?;
        crate::object::make_immortal(u.raw());
        UTC.store(u.into_raw().0, Ordering::Release);
    }
    super::class_attr(&t, "utc", utc());
    let min = delta::make(-1, 60, 0);
    let max = delta::make(0, 86_340, 0);
    crate::object::make_immortal(min.raw());
    crate::object::make_immortal(max.raw());
    let zmin = new_timezone(vm, &min, Value::none())?;
    let zmax = new_timezone(vm, &max, Value::none())?;
    super::class_attr(&t, "min", zmin);
    super::class_attr(&t, "max", zmax);
    Ok(t)
}
