//! `datetime.date`: a proleptic Gregorian date, and `datetime.IsoCalendarDate` (the
//! struct sequence `isocalendar` returns).
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::calendar::{self, MAX_ORDINAL, MAXYEAR, MINYEAR};
use super::datetime::{dt_of, is_datetime};
use super::delta::{self, delta_of};
use super::text::{self, Iso};
use super::{call_method, int_field, tp_name};
use crate::modules::{native_args, structseq};
use crate::native_payload;
use crate::ops;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};

#[repr(C)]
#[derive(Clone, Copy)]
pub struct DateObj {
    pub y: i32,
    pub m: i32,
    pub d: i32,
}
native_payload!(DateObj, DATE);
static DATE_T: NativeType = NativeType {
    new: Some(date_new),
    ..NativeType::of::<DateObj>()
};

static ISO_CAL: AtomicU64 = AtomicU64::new(0);

/// The date of a `date` or a `datetime` (or a subclass of either).
pub fn ymd_of(v: &Value) -> Option<DateObj> {
    if let Some(d) = native::downcast::<DateObj>(v) {
        return Some(*d);
    }
    dt_of(v).map(|d| d.date)
}

pub fn is_date(v: &Value) -> bool {
    v.is_ptr() && v.type_data().is_subtype_raw(DateObj::class())
}

/// CPython's `check_date_args`.
pub fn check_date(vm: &mut Vm, y: i32, m: i32, d: i32) -> PyResult<()> {
    if !(MINYEAR..=MAXYEAR).contains(&y) {
        return Err(vm.value_error(format!("year {y} is out of range")));
    }
    if !(1..=12).contains(&m) {
        return Err(vm.value_error("month must be in 1..12"));
    }
    if d < 1 || d > calendar::days_in_month(y, m) {
        return Err(vm.value_error("day is out of range for month"));
    }
    Ok(())
}

/// A date of class `cls` (date or a subclass), allocated directly.
pub fn alloc(cls: &Value, y: i32, m: i32, d: i32) -> Value {
    native::alloc(cls, DateObj { y, m, d })
}

/// CPython's `new_date_subclass_ex`: an exact date directly, a subclass by calling it.
pub fn new_subclass(vm: &mut Vm, cls: &Value, y: i32, m: i32, d: i32) -> PyResult<Value> {
    if cls.raw() == DateObj::class() {
        check_date(vm, y, m, d)?;
        return Ok(alloc(cls, y, m, d));
    }
    vm.call(
        cls,
        &[
            Value::int(i64::from(y)),
            Value::int(i64::from(m)),
            Value::int(i64::from(d)),
        ],
    )
}

/// Bytes of a pickle state given as a str (Python 2 pickles read as latin-1).
pub fn latin1_state(vm: &mut Vm, s: &str, what: &str) -> PyResult<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        if (c as u32) > 255 {
            return Err(vm.value_error(format!(
                "Failed to encode latin1 string when unpickling a {what} object. \
                 pickle.load(data, encoding='latin1') is assumed."
            )));
        }
        out.push(c as u8);
    }
    Ok(out)
}

/// The single state argument of an unpickled date/time/datetime, when it is one:
/// bytes of length `n` passing `sane`, or a str of such latin-1 chars.
pub fn state_arg(
    vm: &mut Vm,
    v: &Value,
    n: usize,
    sane: impl Fn(&[u8]) -> bool,
    what: &str,
) -> PyResult<Option<Vec<u8>>> {
    if let Some(b) = v.downcast::<BytesObj>() {
        if b.data.len() == n && sane(&b.data) {
            return Ok(Some(b.data.clone()));
        }
        return Ok(None);
    }
    if let Some(s) = as_str(v)
        && s.chars().count() == n
    {
        let first: Vec<u32> = s.chars().map(|c| c as u32).collect();
        let probe: Vec<u8> = first.iter().map(|&c| (c & 0xff) as u8).collect();
        if sane(&probe) {
            return Ok(Some(latin1_state(vm, s, what)?));
        }
    }
    Ok(None)
}

fn date_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() == 1
        && !a.has_kw()
        && let Some(st) = state_arg(vm, &p[0], 4, |b| (1..=12).contains(&b[2]), "date")?
    {
        let y = i32::from(st[0]) * 256 + i32::from(st[1]);
        return Ok(alloc(cls, y, i32::from(st[2]), i32::from(st[3])));
    }
    let b = super::ctor_args(vm, a, &["year", "month", "day"], 3)?;
    let y = super::required_field(vm, &b, 0, "year")?;
    let m = super::required_field(vm, &b, 1, "month")?;
    let d = super::required_field(vm, &b, 2, "day")?;
    check_date(vm, y, m, d)?;
    Ok(alloc(cls, y, m, d))
}

fn this(vm: &mut Vm, name: &str, a: &Args, min: usize, max: usize) -> PyResult<DateObj> {
    let (s, _) = native_args::this(vm, name, a, min, max)?;
    match ymd_of(s) {
        Some(d) => Ok(d),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' requires a 'datetime.date' object but received a '{}'",
            tp_name(s)
        ))),
    }
}

fn get_year(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(i64::from(this(vm, "year", a, 0, 0)?.y)))
}
fn get_month(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(i64::from(this(vm, "month", a, 0, 0)?.m)))
}
fn get_day(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(i64::from(this(vm, "day", a, 0, 0)?.d)))
}

fn date_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "__repr__", a, 0, 0)?;
    Ok(new_string(format!(
        "{}({}, {}, {})",
        tp_name(&a.args[0]),
        d.y,
        d.m,
        d.d
    )))
}

pub fn iso_date(d: &DateObj) -> String {
    format!("{:04}-{:02}-{:02}", d.y, d.m, d.d)
}

fn date_isoformat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "isoformat", a, 0, 0)?;
    Ok(new_string(iso_date(&d)))
}

fn date_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = native_args::this(vm, "__str__", a, 0, 0)?;
    if s.type_raw() == DateObj::class() {
        let d = this(vm, "__str__", a, 0, 0)?;
        return Ok(new_string(iso_date(&d)));
    }
    call_method(vm, s, "isoformat", &[])
}

fn date_ctime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "ctime", a, 0, 0)?;
    Ok(new_string(calendar::ctime(d.y, d.m, d.d, 0, 0, 0)))
}

fn date_toordinal(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "toordinal", a, 0, 0)?;
    Ok(Value::int(calendar::ymd_to_ord(d.y, d.m, d.d)))
}

fn date_weekday(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "weekday", a, 0, 0)?;
    Ok(Value::int(i64::from(calendar::weekday(d.y, d.m, d.d))))
}

fn date_isoweekday(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "isoweekday", a, 0, 0)?;
    Ok(Value::int(i64::from(calendar::weekday(d.y, d.m, d.d) + 1)))
}

fn iso_cal_type() -> Value {
    Value::from_borrowed(RawValue(ISO_CAL.load(Ordering::Acquire)))
}

fn date_isocalendar(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "isocalendar", a, 0, 0)?;
    let (y, w, wd) = calendar::iso_calendar(d.y, d.m, d.d);
    let t = iso_cal_type();
    structseq::new(
        vm,
        &t,
        vec![
            Value::int(i64::from(y)),
            Value::int(i64::from(w)),
            Value::int(i64::from(wd)),
        ],
    )
}

fn iso_cal_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = native_args::receiver(vm, "__new__", a)?;
    let b = native_args::bind(
        vm,
        "IsoCalendarDate",
        &rest,
        &["year", "week", "weekday"],
        3,
        3,
    )?;
    let vals: Vec<Value> = b
        .iter()
        .map(|v| v.cloned().unwrap_or_else(Value::none))
        .collect();
    structseq::new(vm, cls, vals)
}

fn iso_cal_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = native_args::this(vm, "__reduce__", a, 0, 0)?;
    let items = match s.downcast::<TupleObj>() {
        Some(t) => t.items.to_vec(),
        None => return Err(vm.type_error("IsoCalendarDate expected")),
    };
    let tuple = Value::from_borrowed(crate::world::types().tuple);
    Ok(TupleObj::from_items([
        tuple,
        TupleObj::from_items([TupleObj::new_value(items)]),
    ]))
}

/// `time.struct_time` of a date (midnight, dst -1).
fn date_timetuple(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "timetuple", a, 0, 0)?;
    text::struct_time(vm, text::tm_fields(d.y, d.m, d.d, 0, 0, 0, -1))
}

fn fmt_arg<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a Value, Value)> {
    let (s, rest) = native_args::receiver(vm, name, a)?;
    let b = native_args::bind(vm, name, &rest, &["format"], 1, 1)?;
    let f = b[0].cloned().unwrap_or_else(Value::none);
    if as_str(&f).is_none() {
        return Err(vm.type_error(format!(
            "{name}() argument 1 must be str, not {}",
            tp_name(&f)
        )));
    }
    Ok((s, f))
}

fn date_strftime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, f) = fmt_arg(vm, "strftime", a)?;
    let tt = if s.type_raw() == DateObj::class() {
        let d = ymd_of(s).unwrap_or(DateObj { y: 1, m: 1, d: 1 });
        TupleObj::from_items(text::tm_fields(d.y, d.m, d.d, 0, 0, 0, -1).map(Value::int))
    } else {
        call_method(vm, s, "timetuple", &[])?
    };
    let fs = as_str(&f).unwrap_or("").to_string();
    text::wrap_strftime(vm, &fs, tt, None, &Value::none(), 0)
}

/// `__format__` of date, time and datetime: `str(self)` for an empty format, else
/// `self.strftime(format)`.
pub fn any_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = native_args::this(vm, "__format__", a, 1, 1)?;
    let f = &rest[0];
    let Some(fs) = as_str(f) else {
        return Err(vm.type_error(format!(
            "__format__() argument 1 must be str, not {}",
            tp_name(f)
        )));
    };
    if fs.is_empty() {
        return ops::str_value(vm, s);
    }
    call_method(vm, s, "strftime", std::slice::from_ref(f))
}

fn date_replace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = native_args::receiver(vm, "replace", a)?;
    let Some(d) = ymd_of(s) else {
        return Err(vm.type_error("descriptor 'replace' requires a 'datetime.date' object"));
    };
    let b = native_args::bind(vm, "replace", &rest, &["year", "month", "day"], 0, 3)?;
    let y = int_field(vm, b[0], d.y)?;
    let m = int_field(vm, b[1], d.m)?;
    let dd = int_field(vm, b[2], d.d)?;
    check_date(vm, y, m, dd)?;
    let cls = Value::from_borrowed(s.type_raw());
    Ok(alloc(&cls, y, m, dd))
}

pub fn date_state(d: &DateObj) -> Vec<u8> {
    vec![(d.y >> 8) as u8, (d.y & 255) as u8, d.m as u8, d.d as u8]
}

fn date_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "__reduce__", a, 0, 0)?;
    let cls = Value::from_borrowed(a.args[0].type_raw());
    Ok(TupleObj::from_items([
        cls,
        TupleObj::from_items([BytesObj::new_value(date_state(&d))]),
    ]))
}

fn date_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(vm, "__hash__", a, 0, 0)?;
    Ok(Value::int(super::hash_ints(&[
        i64::from(d.y),
        i64::from(d.m),
        i64::from(d.d),
    ])))
}

fn date_cmp(vm: &mut Vm, s: &Value, o: &Value, op: u32) -> PyResult<Value> {
    let _ = vm;
    let (Some(x), Some(y)) = (ymd_of(s), ymd_of(o)) else {
        return Ok(Value::not_implemented());
    };
    Ok(super::cmp_result((x.y, x.m, x.d).cmp(&(y.y, y.m, y.d)), op))
}

/// `date + days` of the date's class, or OverflowError("date value out of range").
fn add_days(vm: &mut Vm, s: &Value, d: DateObj, days: i64) -> PyResult<Value> {
    let ord = calendar::ymd_to_ord(d.y, d.m, d.d) + days;
    if !(1..=MAX_ORDINAL).contains(&ord) {
        return Err(vm.overflow_error("date value out of range"));
    }
    let (y, m, dd) = calendar::ord_to_ymd(ord);
    let cls = Value::from_borrowed(s.type_raw());
    new_subclass(vm, &cls, y, m, dd)
}

fn date_add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = native_args::this(vm, "__add__", a, 1, 1)?;
    let o = &r[0];
    if is_datetime(s) || is_datetime(o) {
        return Ok(Value::not_implemented());
    }
    match (ymd_of(s), delta_of(o)) {
        (Some(d), Some(td)) => {
            let days = i64::from(td.days);
            add_days(vm, s, d, days)
        }
        _ => Ok(Value::not_implemented()),
    }
}

fn date_sub(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = native_args::this(vm, "__sub__", a, 1, 1)?;
    let o = &r[0];
    if is_datetime(s) || is_datetime(o) {
        return Ok(Value::not_implemented());
    }
    let Some(d) = ymd_of(s) else {
        return Ok(Value::not_implemented());
    };
    if let Some(e) = ymd_of(o) {
        let days = calendar::ymd_to_ord(d.y, d.m, d.d) - calendar::ymd_to_ord(e.y, e.m, e.d);
        return Ok(delta::make(days as i32, 0, 0));
    }
    if let Some(td) = delta_of(o) {
        let days = -i64::from(td.days);
        return add_days(vm, s, d, days);
    }
    Ok(Value::not_implemented())
}

fn date_rsub(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = native_args::this(vm, "__rsub__", a, 1, 1)?;
    let o = &r[0];
    if is_datetime(s) || is_datetime(o) {
        return Ok(Value::not_implemented());
    }
    match (ymd_of(o), ymd_of(s)) {
        (Some(e), Some(d)) => {
            let days = calendar::ymd_to_ord(e.y, e.m, e.d) - calendar::ymd_to_ord(d.y, d.m, d.d);
            Ok(delta::make(days as i32, 0, 0))
        }
        _ => Ok(Value::not_implemented()),
    }
}

// ---- alternative constructors (classmethods) ----------------------------------------

fn date_today(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, _) = native_args::this(vm, "today", a, 0, 0)?;
    let (s, us) = super::local::now();
    let t = Value::float(s as f64 + f64::from(us) * 1e-6);
    call_method(vm, cls, "fromtimestamp", &[t])
}

fn date_fromtimestamp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, r) = native_args::this(vm, "fromtimestamp", a, 1, 1)?;
    let (t, _) = super::local::timestamp_arg(vm, &r[0], false)?;
    let tm = super::local::localtime(vm, t)?;
    new_subclass(vm, cls, tm.y, tm.m, tm.d)
}

fn date_fromordinal(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, r) = native_args::this(vm, "fromordinal", a, 1, 1)?;
    let n = int_field(vm, Some(&r[0]), 0)?;
    if n < 1 {
        return Err(vm.value_error("ordinal must be >= 1"));
    }
    let (y, m, d) = calendar::ord_to_ymd(i64::from(n));
    if cls.raw() == DateObj::class() {
        check_date(vm, y, m, d)?;
    }
    new_subclass(vm, cls, y, m, d)
}

fn date_fromisoformat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, r) = native_args::this(vm, "fromisoformat", a, 1, 1)?;
    let s = text::iso_arg(vm, &r[0])?;
    let iso = Iso::new(s);
    let n = iso.c.len();
    let parsed = if n == 7 || n == 8 || n == 10 {
        iso.date(n).ok()
    } else {
        None
    };
    let Some((y, m, d)) = parsed else {
        return Err(text::invalid_iso(vm, &r[0]));
    };
    new_subclass(vm, cls, y, m, d)
}

fn date_fromisocalendar(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = native_args::receiver(vm, "fromisocalendar", a)?;
    let b = native_args::bind(vm, "fromisocalendar", &rest, &["year", "week", "day"], 3, 3)?;
    let mut f = [0i32; 3];
    for (i, slot) in f.iter_mut().enumerate() {
        *slot = match int_field(vm, b[i], 0) {
            Ok(x) => x,
            Err(e) if vm.err_matches(&e, crate::world::types().overflow_error) => {
                return Err(vm.value_error("ISO calendar component out of range"));
            }
            Err(e) => return Err(e),
        };
    }
    let [y, w, d] = f;
    if !(MINYEAR..=MAXYEAR).contains(&y) {
        return Err(vm.value_error(format!("Year is out of range: {y}")));
    }
    match calendar::iso_to_ymd(y, w, d) {
        Ok((yy, mm, dd)) => new_subclass(vm, cls, yy, mm, dd),
        Err(calendar::IsoErr::Week) => Err(vm.value_error(format!("Invalid week: {w}"))),
        Err(calendar::IsoErr::Day) => {
            Err(vm.value_error(format!("Invalid day: {d} (range is [1, 7])")))
        }
    }
}

pub fn date_class() -> Value {
    Value::from_borrowed(DateObj::class())
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let t = new_type::<DateObj>(
        "date",
        "datetime",
        native_args::object_type(),
        Kind::Native,
        &DATE_T,
        &DATE,
    );
    native_args::methods(
        &t,
        &[
            ("__repr__", date_repr),
            ("__str__", date_str),
            ("__format__", any_format),
            ("__hash__", date_hash),
            ("__reduce__", date_reduce),
            ("__add__", date_add),
            ("__radd__", date_add),
            ("__sub__", date_sub),
            ("__rsub__", date_rsub),
            ("isoformat", date_isoformat),
            ("ctime", date_ctime),
            ("strftime", date_strftime),
            ("timetuple", date_timetuple),
            ("isocalendar", date_isocalendar),
            ("toordinal", date_toordinal),
            ("weekday", date_weekday),
            ("isoweekday", date_isoweekday),
            ("replace", date_replace),
        ],
    );
    native_args::methods(&t, &crate::dt_richcmp_methods!(date_cmp));
    for (n, f) in [
        ("today", date_today as crate::types::func::NativeFn),
        ("fromtimestamp", date_fromtimestamp),
        ("fromordinal", date_fromordinal),
        ("fromisoformat", date_fromisoformat),
        ("fromisocalendar", date_fromisocalendar),
    ] {
        crate::builtins::add_classmethod(t.raw(), n, f);
    }
    native_args::getset(&t, "year", get_year, None);
    native_args::getset(&t, "month", get_month, None);
    native_args::getset(&t, "day", get_day, None);
    super::class_attr(&t, "min", alloc(&t, 1, 1, 1));
    super::class_attr(&t, "max", alloc(&t, 9999, 12, 31));
    super::class_attr(&t, "resolution", delta::make(1, 0, 0));
    if ISO_CAL.load(Ordering::Acquire) == 0 {
        let ic = structseq::new_type(
            vm,
            "datetime",
            "IsoCalendarDate",
            &["year", "week", "weekday"],
            3,
        )?;
        crate::builtins::add_static(ic.raw(), "__new__", iso_cal_new);
        crate::builtins::add_method(ic.raw(), "__reduce__", iso_cal_reduce);
        crate::shared_immortal::remember_module_class(&ic);
        ISO_CAL.store(ic.into_raw().0, Ordering::Release);
    }
    Ok(t)
}
