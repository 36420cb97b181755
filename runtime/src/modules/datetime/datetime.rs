//! `datetime.datetime`: a date (its payload starts with a `DateObj`, so the `date`
//! methods it inherits read it) and a time of day, an optional tzinfo and a fold.
use super::calendar::{self, MAX_ORDINAL};
use super::clock::{self, check_time, time_of};
use super::date::{self, DateObj, check_date, state_arg, ymd_of};
use super::delta::{self, US_PER_DAY, delta_of};
use super::local;
use super::text::{self, Iso};
use super::tz::{self, check_tzinfo};
use super::{call_method, int_field, tp_name};
use crate::modules::native_args;
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
pub struct DateTimeObj {
    pub date: DateObj,
    pub h: i32,
    pub mi: i32,
    pub s: i32,
    pub us: i32,
    pub fold: i32,
    pub tz: Value,
}
native_payload!(DateTimeObj, DATETIME);
static DATETIME_T: NativeType = NativeType {
    new: Some(datetime_new),
    ..NativeType::of::<DateTimeObj>()
};

/// Plain fields of a datetime.
#[derive(Clone, Copy)]
pub struct Fields {
    pub y: i32,
    pub m: i32,
    pub d: i32,
    pub h: i32,
    pub mi: i32,
    pub s: i32,
    pub us: i32,
}

impl Fields {
    /// Microseconds since 0001-01-01T00:00 (ordinal 1 at 0).
    fn total_us(&self) -> i128 {
        let ord = calendar::ymd_to_ord(self.y, self.m, self.d);
        i128::from(ord) * US_PER_DAY
            + (i128::from(self.h) * 3600 + i128::from(self.mi) * 60 + i128::from(self.s))
                * 1_000_000
            + i128::from(self.us)
    }

    /// The fields of a total from `total_us`, None when out of range.
    fn from_total(t: i128) -> Option<Fields> {
        let ord = t.div_euclid(US_PER_DAY);
        let rem = t.rem_euclid(US_PER_DAY);
        if !(1..=i128::from(MAX_ORDINAL)).contains(&ord) {
            return None;
        }
        let (y, m, d) = calendar::ord_to_ymd(ord as i64);
        let secs = (rem / 1_000_000) as i32;
        Some(Fields {
            y,
            m,
            d,
            h: secs / 3600,
            mi: (secs / 60) % 60,
            s: secs % 60,
            us: (rem % 1_000_000) as i32,
        })
    }

    fn key(&self) -> (i32, i32, i32, i32, i32, i32, i32) {
        (self.y, self.m, self.d, self.h, self.mi, self.s, self.us)
    }
}

impl DateTimeObj {
    pub fn fields(&self) -> Fields {
        Fields {
            y: self.date.y,
            m: self.date.m,
            d: self.date.d,
            h: self.h,
            mi: self.mi,
            s: self.s,
            us: self.us,
        }
    }
}

pub fn dt_of(v: &Value) -> Option<&DateTimeObj> {
    native::downcast::<DateTimeObj>(v)
}

pub fn is_datetime(v: &Value) -> bool {
    v.is_ptr() && v.type_data().is_subtype_raw(DateTimeObj::class())
}

pub fn alloc(cls: &Value, f: Fields, tz: Value, fold: i32) -> Value {
    native::alloc(
        cls,
        DateTimeObj {
            date: DateObj {
                y: f.y,
                m: f.m,
                d: f.d,
            },
            h: f.h,
            mi: f.mi,
            s: f.s,
            us: f.us,
            fold,
            tz,
        },
    )
}

/// CPython's `new_datetime_subclass_fold_ex`: an exact datetime directly (checked), a
/// subclass by calling it (with `fold=1` when set).
pub fn new_subclass(vm: &mut Vm, cls: &Value, f: Fields, tz: Value, fold: i32) -> PyResult<Value> {
    if cls.raw() == DateTimeObj::class() {
        check_date(vm, f.y, f.m, f.d)?;
        check_time(vm, f.h, f.mi, f.s, f.us, fold)?;
        check_tzinfo(vm, &tz)?;
        return Ok(alloc(cls, f, tz, fold));
    }
    let mut args: Vec<Value> = [f.y, f.m, f.d, f.h, f.mi, f.s, f.us]
        .iter()
        .map(|&x| Value::int(i64::from(x)))
        .collect();
    args.push(tz);
    if fold != 0 {
        args.push(Value::int(i64::from(fold)));
        let kw = [crate::world::intern("fold")];
        return vm.call_kw(cls, &args, &kw);
    }
    vm.call(cls, &args)
}

fn out_of_range(vm: &mut Vm) -> crate::vm::PyErr {
    vm.overflow_error("date value out of range")
}

/// `dt + timedelta(microseconds=us)`, of `dt`'s class, tzinfo kept, fold 0.
pub fn add_us(vm: &mut Vm, dt: &Value, us: i128) -> PyResult<Value> {
    let Some(d) = dt_of(dt) else {
        return Err(vm.type_error("datetime expected"));
    };
    let Some(f) = Fields::from_total(d.fields().total_us() + us) else {
        return Err(out_of_range(vm));
    };
    let tzv = d.tz.clone();
    let cls = Value::from_borrowed(dt.type_raw());
    new_subclass(vm, &cls, f, tzv, 0)
}

fn datetime_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if (1..=2).contains(&p.len())
        && !a.has_kw()
        && let Some(st) = state_arg(
            vm,
            &p[0],
            10,
            |b| (1..=12).contains(&(b[2] & 0x7f)),
            "datetime",
        )?
    {
        let tzv = p.get(1).cloned().unwrap_or_else(Value::none);
        if !tzv.is_none() && !tz::is_tzinfo(&tzv) {
            return Err(vm.type_error("bad tzinfo state arg"));
        }
        let f = Fields {
            y: i32::from(st[0]) * 256 + i32::from(st[1]),
            m: i32::from(st[2] & 0x7f),
            d: i32::from(st[3]),
            h: i32::from(st[4]),
            mi: i32::from(st[5]),
            s: i32::from(st[6]),
            us: (i32::from(st[7]) << 16) | (i32::from(st[8]) << 8) | i32::from(st[9]),
        };
        return Ok(alloc(cls, f, tzv, i32::from(st[2] >> 7)));
    }
    let b = super::ctor_args(
        vm,
        a,
        &[
            "year",
            "month",
            "day",
            "hour",
            "minute",
            "second",
            "microsecond",
            "tzinfo",
            "fold",
        ],
        8,
    )?;
    let f = Fields {
        y: super::required_field(vm, &b, 0, "year")?,
        m: super::required_field(vm, &b, 1, "month")?,
        d: super::required_field(vm, &b, 2, "day")?,
        h: int_field(vm, b[3], 0)?,
        mi: int_field(vm, b[4], 0)?,
        s: int_field(vm, b[5], 0)?,
        us: int_field(vm, b[6], 0)?,
    };
    let tzv = b[7].cloned().unwrap_or_else(Value::none);
    let fold = int_field(vm, b[8], 0)?;
    check_date(vm, f.y, f.m, f.d)?;
    check_time(vm, f.h, f.mi, f.s, f.us, fold)?;
    check_tzinfo(vm, &tzv)?;
    Ok(alloc(cls, f, tzv, fold))
}

fn this<'a>(
    vm: &mut Vm,
    name: &str,
    a: &'a Args,
    min: usize,
    max: usize,
) -> PyResult<(&'a DateTimeObj, &'a Value, &'a [Value])> {
    let (s, rest) = native_args::this(vm, name, a, min, max)?;
    match dt_of(s) {
        Some(d) => Ok((d, s, rest)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' requires a 'datetime.datetime' object but received a '{}'",
            tp_name(s)
        ))),
    }
}

fn recv<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
) -> PyResult<(&'a DateTimeObj, &'a Value, Args<'a>)> {
    let (s, rest) = native_args::receiver(vm, name, a)?;
    match dt_of(s) {
        Some(d) => Ok((d, s, rest)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' requires a 'datetime.datetime' object but received a '{}'",
            tp_name(s)
        ))),
    }
}

super::clock::clock_getters!();

fn dt_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, _) = this(vm, "__repr__", a, 0, 0)?;
    let f = d.fields();
    let name = tp_name(s);
    let mut out = if f.us != 0 {
        format!(
            "{name}({}, {}, {}, {}, {}, {}, {})",
            f.y, f.m, f.d, f.h, f.mi, f.s, f.us
        )
    } else if f.s != 0 {
        format!(
            "{name}({}, {}, {}, {}, {}, {})",
            f.y, f.m, f.d, f.h, f.mi, f.s
        )
    } else {
        format!("{name}({}, {}, {}, {}, {})", f.y, f.m, f.d, f.h, f.mi)
    };
    if d.fold != 0 {
        out.pop();
        out.push_str(", fold=1)");
    }
    if !d.tz.is_none() {
        let tzv = d.tz.clone();
        let r = ops::repr(vm, &tzv)?;
        out.pop();
        out.push_str(&format!(", tzinfo={r})"));
    }
    Ok(new_string(out))
}

fn dt_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = native_args::this(vm, "__str__", a, 0, 0)?;
    call_method(vm, s, "isoformat", &[new_string(" ".into())])
}

fn dt_isoformat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, rest) = recv(vm, "isoformat", a)?;
    let b = native_args::bind(vm, "isoformat", &rest, &["sep", "timespec"], 0, 2)?;
    let sep = match b[0] {
        None => 'T',
        Some(v) => {
            let mut it = as_str(v).map(|x| x.chars());
            match it.as_mut().map(|c| (c.next(), c.next())) {
                Some((Some(c), None)) => c,
                _ => {
                    return Err(vm.type_error(format!(
                        "isoformat() argument 1 must be a unicode character, not {}",
                        tp_name(v)
                    )));
                }
            }
        }
    };
    let spec = text::timespec_arg(vm, b[1])?;
    let f = d.fields();
    let mut out = date::iso_date(&d.date);
    out.push(sep);
    out.push_str(&text::fmt_time(vm, f.h, f.mi, f.s, f.us, spec)?);
    let tzv = d.tz.clone();
    if let Some(off) = tz::offset_us(vm, &tzv, s, "utcoffset")? {
        out.push_str(&tz::fmt_offset(off, ":"));
    }
    Ok(new_string(out))
}

fn dt_ctime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _, _) = this(vm, "ctime", a, 0, 0)?;
    let f = d.fields();
    Ok(new_string(calendar::ctime(f.y, f.m, f.d, f.h, f.mi, f.s)))
}

fn dst_flag(vm: &mut Vm, d: &DateTimeObj, s: &Value) -> PyResult<i64> {
    let tzv = d.tz.clone();
    Ok(match tz::offset_us(vm, &tzv, s, "dst")? {
        None => -1,
        Some(0) => 0,
        Some(_) => 1,
    })
}

fn dt_timetuple(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, _) = this(vm, "timetuple", a, 0, 0)?;
    let f = d.fields();
    let dst = dst_flag(vm, d, s)?;
    text::struct_time(vm, text::tm_fields(f.y, f.m, f.d, f.h, f.mi, f.s, dst))
}

fn dt_utctimetuple(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, _) = this(vm, "utctimetuple", a, 0, 0)?;
    let mut f = d.fields();
    let tzv = d.tz.clone();
    if let Some(off) = tz::offset_us(vm, &tzv, s, "utcoffset")? {
        match Fields::from_total(f.total_us() - i128::from(off)) {
            Some(g) => f = g,
            None => return Err(out_of_range(vm)),
        }
    }
    text::struct_time(vm, text::tm_fields(f.y, f.m, f.d, f.h, f.mi, f.s, 0))
}

fn dt_strftime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, rest) = recv(vm, "strftime", a)?;
    let b = native_args::bind(vm, "strftime", &rest, &["format"], 1, 1)?;
    let fv = b[0].cloned().unwrap_or_else(Value::none);
    let Some(fs) = as_str(&fv) else {
        return Err(vm.type_error(format!(
            "strftime() argument 1 must be str, not {}",
            tp_name(&fv)
        )));
    };
    let tt = if s.type_raw() == DateTimeObj::class() {
        let f = d.fields();
        let dst = dst_flag(vm, d, s)?;
        TupleObj::from_items(text::tm_fields(f.y, f.m, f.d, f.h, f.mi, f.s, dst).map(Value::int))
    } else {
        call_method(vm, s, "timetuple", &[])?
    };
    let tzv = d.tz.clone();
    text::wrap_strftime(vm, fs, tt, Some(&tzv), s, d.us)
}

fn dt_timestamp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, _) = this(vm, "timestamp", a, 0, 0)?;
    let f = d.fields();
    let tzv = d.tz.clone();
    if let Some(off) = tz::offset_us(vm, &tzv, s, "utcoffset")? {
        let epoch = i128::from(calendar::EPOCH_ORDINAL) * US_PER_DAY;
        let total = f.total_us() - i128::from(off) - epoch;
        return Ok(Value::float(delta::us_to_seconds(total)));
    }
    let secs = local::local_to_seconds(vm, f.y, f.m, f.d, f.h, f.mi, f.s, d.fold != 0)?;
    Ok(Value::float(
        (secs - local::EPOCH_SECONDS) as f64 + f64::from(f.us) / 1e6,
    ))
}

fn dt_date(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _, _) = this(vm, "date", a, 0, 0)?;
    Ok(date::alloc(
        &date::date_class(),
        d.date.y,
        d.date.m,
        d.date.d,
    ))
}

fn time_class() -> Value {
    Value::from_borrowed(<clock::TimeObj as PyPayload>::class())
}

fn dt_time(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _, _) = this(vm, "time", a, 0, 0)?;
    Ok(clock::alloc(
        &time_class(),
        d.h,
        d.mi,
        d.s,
        d.us,
        Value::none(),
        d.fold,
    ))
}

fn dt_timetz(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _, _) = this(vm, "timetz", a, 0, 0)?;
    Ok(clock::alloc(
        &time_class(),
        d.h,
        d.mi,
        d.s,
        d.us,
        d.tz.clone(),
        d.fold,
    ))
}

fn dt_utcoffset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, _) = this(vm, "utcoffset", a, 0, 0)?;
    let tzv = d.tz.clone();
    Ok(tz::call_offset(vm, &tzv, s, "utcoffset")?
        .map(|(v, _)| v)
        .unwrap_or_else(Value::none))
}

fn dt_dst(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, _) = this(vm, "dst", a, 0, 0)?;
    let tzv = d.tz.clone();
    Ok(tz::call_offset(vm, &tzv, s, "dst")?
        .map(|(v, _)| v)
        .unwrap_or_else(Value::none))
}

fn dt_tzname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, _) = this(vm, "tzname", a, 0, 0)?;
    let tzv = d.tz.clone();
    tz::call_tzname(vm, &tzv, s)
}

fn dt_replace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, rest) = recv(vm, "replace", a)?;
    let b = native_args::bind(
        vm,
        "replace",
        &rest,
        &[
            "year",
            "month",
            "day",
            "hour",
            "minute",
            "second",
            "microsecond",
            "tzinfo",
            "fold",
        ],
        0,
        8,
    )?;
    let o = d.fields();
    let f = Fields {
        y: int_field(vm, b[0], o.y)?,
        m: int_field(vm, b[1], o.m)?,
        d: int_field(vm, b[2], o.d)?,
        h: int_field(vm, b[3], o.h)?,
        mi: int_field(vm, b[4], o.mi)?,
        s: int_field(vm, b[5], o.s)?,
        us: int_field(vm, b[6], o.us)?,
    };
    let tzv = b[7].cloned().unwrap_or_else(|| d.tz.clone());
    let fold = int_field(vm, b[8], d.fold)?;
    check_date(vm, f.y, f.m, f.d)?;
    check_time(vm, f.h, f.mi, f.s, f.us, fold)?;
    check_tzinfo(vm, &tzv)?;
    let cls = Value::from_borrowed(s.type_raw());
    Ok(alloc(&cls, f, tzv, fold))
}

/// CPython's `local_timezone_from_local`: the local zone in effect at a naive local
/// time.
fn local_tz_from_local(vm: &mut Vm, d: &DateTimeObj) -> PyResult<Value> {
    let f = d.fields();
    let secs = local::local_to_seconds(vm, f.y, f.m, f.d, f.h, f.mi, f.s, d.fold != 0)?;
    local::local_timezone_at(vm, secs - local::EPOCH_SECONDS)
}

fn dt_astimezone(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, rest) = recv(vm, "astimezone", a)?;
    let b = native_args::bind(vm, "astimezone", &rest, &["tz"], 0, 1)?;
    let target = b[0].cloned().unwrap_or_else(Value::none);
    check_tzinfo(vm, &target)?;
    let mut self_tz = if d.tz.is_none() {
        local_tz_from_local(vm, d)?
    } else {
        d.tz.clone()
    };
    let off = loop {
        if self_tz.is(&target) {
            return Ok(s.clone());
        }
        match tz::offset_us(vm, &self_tz, s, "utcoffset")? {
            Some(o) => break o,
            None => self_tz = local_tz_from_local(vm, d)?,
        }
    };
    let Some(f) = Fields::from_total(d.fields().total_us() - i128::from(off)) else {
        return Err(out_of_range(vm));
    };
    let cls = Value::from_borrowed(s.type_raw());
    let target = if target.is_none() {
        let epoch = i128::from(calendar::EPOCH_ORDINAL) * US_PER_DAY;
        let ts = (f.total_us() - epoch).div_euclid(1_000_000);
        local::local_timezone_at(vm, ts as i64)?
    } else {
        target
    };
    let utc = alloc(&cls, f, target.clone(), 0);
    if let Some(z) = tz::timezone_of(&target) {
        let off = z.off_us;
        return add_us(vm, &utc, i128::from(off));
    }
    call_method(vm, &target, "fromutc", &[utc])
}

fn state(d: &DateTimeObj, proto: i64) -> Value {
    let mut m = d.date.m as u8;
    if proto > 3 && d.fold != 0 {
        m |= 0x80;
    }
    let b = BytesObj::new_value(vec![
        (d.date.y >> 8) as u8,
        (d.date.y & 255) as u8,
        m,
        d.date.d as u8,
        d.h as u8,
        d.mi as u8,
        d.s as u8,
        (d.us >> 16) as u8,
        ((d.us >> 8) & 255) as u8,
        (d.us & 255) as u8,
    ]);
    if d.tz.is_none() {
        TupleObj::from_items([b])
    } else {
        TupleObj::from_items([b, d.tz.clone()])
    }
}

fn dt_reduce_ex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, r) = this(vm, "__reduce_ex__", a, 1, 1)?;
    let proto = i64::from(int_field(vm, Some(&r[0]), 0)?);
    let cls = Value::from_borrowed(s.type_raw());
    Ok(TupleObj::from_items([cls, state(d, proto)]))
}

fn dt_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, _) = this(vm, "__reduce__", a, 0, 0)?;
    let cls = Value::from_borrowed(s.type_raw());
    Ok(TupleObj::from_items([cls, state(d, 2)]))
}

/// utcoffset of `d` with its fold flipped (a fresh datetime with the other fold).
fn flipped_offset(vm: &mut Vm, d: &DateTimeObj, s: &Value) -> PyResult<Option<i64>> {
    if d.tz.is_none() {
        return Ok(None);
    }
    let cls = Value::from_borrowed(s.type_raw());
    let other = alloc(&cls, d.fields(), d.tz.clone(), 1 - d.fold);
    let tzv = d.tz.clone();
    tz::offset_us(vm, &tzv, &other, "utcoffset")
}

fn dt_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, s, _) = this(vm, "__hash__", a, 0, 0)?;
    let f = d.fields();
    let tzv = d.tz.clone();
    let off = if d.fold != 0 {
        let cls = Value::from_borrowed(s.type_raw());
        let s0 = alloc(&cls, f, tzv.clone(), 0);
        tz::offset_us(vm, &tzv, &s0, "utcoffset")?
    } else {
        tz::offset_us(vm, &tzv, s, "utcoffset")?
    };
    match off {
        None => Ok(Value::int(super::hash_ints(&[
            i64::from(f.y),
            i64::from(f.m),
            i64::from(f.d),
            i64::from(f.h),
            i64::from(f.mi),
            i64::from(f.s),
            i64::from(f.us),
        ]))),
        Some(o) => {
            let ord = calendar::ymd_to_ord(f.y, f.m, f.d);
            let total = i128::from(ord) * US_PER_DAY
                + (i128::from(f.h) * 3600 + i128::from(f.mi) * 60 + i128::from(f.s)) * 1_000_000
                + i128::from(f.us)
                - i128::from(o);
            let dd = delta::split_us(vm, total)?;
            Ok(Value::int(super::hash_ints(&[
                i64::from(dd.days),
                i64::from(dd.secs),
                i64::from(dd.us),
            ])))
        }
    }
}

fn dt_cmp(vm: &mut Vm, s: &Value, o: &Value, op: u32) -> PyResult<Value> {
    let Some(x) = dt_of(s) else {
        return Ok(Value::not_implemented());
    };
    let Some(y) = dt_of(o) else {
        if date::is_date(o) {
            if op == ops::EQ {
                return Ok(Value::bool(false));
            }
            if op == ops::NE {
                return Ok(Value::bool(true));
            }
            return Err(vm.type_error(format!("can't compare {} to {}", tp_name(s), tp_name(o))));
        }
        return Ok(Value::not_implemented());
    };
    let (fx, fy) = (x.fields(), y.fields());
    if x.tz.is(&y.tz) {
        return Ok(super::cmp_result(fx.key().cmp(&fy.key()), op));
    }
    let (tx, ty) = (x.tz.clone(), y.tz.clone());
    let o1 = tz::offset_us(vm, &tx, s, "utcoffset")?;
    let o2 = tz::offset_us(vm, &ty, o, "utcoffset")?;
    let eqop = op == ops::EQ || op == ops::NE;
    let ord = match (o1, o2) {
        (None, None) => fx.key().cmp(&fy.key()),
        (Some(a1), Some(a2)) if a1 == a2 => fx.key().cmp(&fy.key()),
        (Some(a1), Some(a2)) => {
            (fx.total_us() - i128::from(a1)).cmp(&(fy.total_us() - i128::from(a2)))
        }
        _ => {
            if op == ops::EQ {
                return Ok(Value::bool(false));
            }
            if op == ops::NE {
                return Ok(Value::bool(true));
            }
            return Err(vm.type_error("can't compare offset-naive and offset-aware datetimes"));
        }
    };
    if eqop && ord == std::cmp::Ordering::Equal && (o1.is_some() || o2.is_some()) {
        // PEP 495: a time in a fold or gap never equals a time in another zone.
        let f1 = flipped_offset(vm, x, s)?;
        if f1 != o1 {
            return Ok(super::cmp_result(std::cmp::Ordering::Less, op));
        }
        let f2 = flipped_offset(vm, y, o)?;
        if f2 != o2 {
            return Ok(super::cmp_result(std::cmp::Ordering::Less, op));
        }
    }
    Ok(super::cmp_result(ord, op))
}

fn dt_add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = native_args::this(vm, "__add__", a, 1, 1)?;
    let o = &r[0];
    match (dt_of(s), delta_of(o)) {
        (Some(_), Some(td)) => {
            let us = td.total_us();
            add_us(vm, s, us)
        }
        _ => Ok(Value::not_implemented()),
    }
}

/// `l - r` for datetimes.
fn dt_minus_dt(vm: &mut Vm, l: &Value, r: &Value) -> PyResult<Value> {
    let (Some(x), Some(y)) = (dt_of(l), dt_of(r)) else {
        return Ok(Value::not_implemented());
    };
    let (mut o1, mut o2) = (None, None);
    if !x.tz.is(&y.tz) {
        let (tx, ty) = (x.tz.clone(), y.tz.clone());
        o1 = tz::offset_us(vm, &tx, l, "utcoffset")?;
        o2 = tz::offset_us(vm, &ty, r, "utcoffset")?;
        if o1.is_some() != o2.is_some() {
            return Err(vm.type_error("can't subtract offset-naive and offset-aware datetimes"));
        }
    }
    let (Some(x), Some(y)) = (dt_of(l), dt_of(r)) else {
        return Ok(Value::not_implemented());
    };
    let diff = x.fields().total_us()
        - y.fields().total_us()
        - (i128::from(o1.unwrap_or(0)) - i128::from(o2.unwrap_or(0)));
    delta::from_us(vm, diff)
}

fn dt_sub(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = native_args::this(vm, "__sub__", a, 1, 1)?;
    let o = &r[0];
    if dt_of(s).is_none() {
        return Ok(Value::not_implemented());
    }
    if dt_of(o).is_some() {
        return dt_minus_dt(vm, s, o);
    }
    if let Some(td) = delta_of(o) {
        let us = td.total_us();
        return add_us(vm, s, -us);
    }
    Ok(Value::not_implemented())
}

fn dt_rsub(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = native_args::this(vm, "__rsub__", a, 1, 1)?;
    let o = &r[0];
    if dt_of(o).is_some() && dt_of(s).is_some() {
        return dt_minus_dt(vm, o, s);
    }
    Ok(Value::not_implemented())
}

// ---- alternative constructors (classmethods) ----------------------------------------

/// CPython's `datetime_from_timet_and_us`: local time (with fold) when `tz` is None
/// and `utc` is false, else UTC; `tz` attached.
fn from_timet(vm: &mut Vm, cls: &Value, t: i64, us: i32, utc: bool, tzv: Value) -> PyResult<Value> {
    let (tm, fold) = if !utc && tzv.is_none() {
        local::local_with_fold(vm, t)?
    } else if utc {
        (local::gmtime(vm, t)?, false)
    } else {
        (local::localtime(vm, t)?, false)
    };
    let f = Fields {
        y: tm.y,
        m: tm.m,
        d: tm.d,
        h: tm.hh,
        mi: tm.mi,
        s: tm.ss,
        us,
    };
    if !(calendar::MINYEAR..=calendar::MAXYEAR).contains(&f.y) {
        return Err(vm.value_error(format!("year {} is out of range", f.y)));
    }
    new_subclass(vm, cls, f, tzv, i32::from(fold))
}

fn then_fromutc(vm: &mut Vm, dt: Value, tzv: &Value) -> PyResult<Value> {
    if tzv.is_none() {
        return Ok(dt);
    }
    if let Some(z) = tz::timezone_of(tzv)
        && dt_of(&dt).is_some_and(|d| d.tz.is(tzv))
    {
        let off = z.off_us;
        return add_us(vm, &dt, i128::from(off));
    }
    call_method(vm, tzv, "fromutc", &[dt])
}

fn dt_now(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = native_args::receiver(vm, "now", a)?;
    let b = native_args::bind(vm, "now", &rest, &["tz"], 0, 1)?;
    let tzv = b[0].cloned().unwrap_or_else(Value::none);
    check_tzinfo(vm, &tzv)?;
    let (t, us) = local::now();
    let dt = from_timet(vm, cls, t, us, !tzv.is_none(), tzv.clone())?;
    then_fromutc(vm, dt, &tzv)
}

fn dt_utcnow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, _) = native_args::this(vm, "utcnow", a, 0, 0)?;
    let (t, us) = local::now();
    from_timet(vm, cls, t, us, true, Value::none())
}

fn dt_fromtimestamp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = native_args::receiver(vm, "fromtimestamp", a)?;
    let b = native_args::bind(vm, "fromtimestamp", &rest, &["timestamp", "tz"], 1, 2)?;
    let tzv = b[1].cloned().unwrap_or_else(Value::none);
    check_tzinfo(vm, &tzv)?;
    let ts = b[0].cloned().unwrap_or_else(Value::none);
    let (t, us) = local::timestamp_arg(vm, &ts, true)?;
    let dt = from_timet(vm, cls, t, us, !tzv.is_none(), tzv.clone())?;
    then_fromutc(vm, dt, &tzv)
}

fn dt_utcfromtimestamp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, r) = native_args::this(vm, "utcfromtimestamp", a, 1, 1)?;
    let (t, us) = local::timestamp_arg(vm, &r[0], true)?;
    from_timet(vm, cls, t, us, true, Value::none())
}

fn dt_combine(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = native_args::receiver(vm, "combine", a)?;
    let b = native_args::bind(vm, "combine", &rest, &["date", "time", "tzinfo"], 2, 3)?;
    let dv = b[0].cloned().unwrap_or_else(Value::none);
    let tv = b[1].cloned().unwrap_or_else(Value::none);
    let Some(d) = ymd_of(&dv) else {
        return Err(vm.type_error(format!(
            "combine() argument 1 must be datetime.date, not {}",
            tp_name(&dv)
        )));
    };
    let Some(t) = time_of(&tv) else {
        return Err(vm.type_error(format!(
            "combine() argument 2 must be datetime.time, not {}",
            tp_name(&tv)
        )));
    };
    let tzv = b[2].cloned().unwrap_or_else(|| t.tz.clone());
    let f = Fields {
        y: d.y,
        m: d.m,
        d: d.d,
        h: t.h,
        mi: t.mi,
        s: t.s,
        us: t.us,
    };
    let fold = t.fold;
    new_subclass(vm, cls, f, tzv, fold)
}

fn dt_fromisoformat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, r) = native_args::this(vm, "fromisoformat", a, 1, 1)?;
    let s = text::iso_arg(vm, &r[0])?;
    let iso = Iso::new(s);
    let n = iso.c.len();
    if n < 7 {
        return Err(text::invalid_iso(vm, &r[0]));
    }
    let sep = iso.separator();
    let Ok((y, m, d)) = iso.date(sep) else {
        return Err(text::invalid_iso(vm, &r[0]));
    };
    let (mut tv, mut off) = ([0; 4], None);
    if n > sep {
        match iso.time(sep + 1) {
            Ok((v, o)) => {
                tv = v;
                off = o;
            }
            Err(()) => return Err(text::invalid_iso(vm, &r[0])),
        }
    }
    let tzv = text::iso_tzinfo(vm, off)?;
    let f = Fields {
        y,
        m,
        d,
        h: tv[0],
        mi: tv[1],
        s: tv[2],
        us: tv[3],
    };
    new_subclass(vm, cls, f, tzv, 0)
}

fn dt_strptime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, r) = native_args::this(vm, "strptime", a, 2, 2)?;
    for (i, v) in r.iter().enumerate() {
        if as_str(v).is_none() {
            return Err(vm.type_error(format!(
                "strptime() argument {} must be str, not {}",
                i + 1,
                tp_name(v)
            )));
        }
    }
    let m = crate::import::import_module(vm, "_strptime")?;
    let f = ops::getattr_str(vm, &m, "_strptime_datetime")?;
    vm.call(&f, &[cls.clone(), r[0].clone(), r[1].clone()])
}

pub fn init(_vm: &mut Vm, date_type: &Value) -> PyResult<Value> {
    let t = new_type::<DateTimeObj>(
        "datetime",
        "datetime",
        date_type.raw(),
        Kind::Native,
        &DATETIME_T,
        &DATETIME,
    );
    native_args::methods(
        &t,
        &[
            ("__repr__", dt_repr),
            ("__str__", dt_str),
            ("__hash__", dt_hash),
            ("__reduce__", dt_reduce),
            ("__reduce_ex__", dt_reduce_ex),
            ("__add__", dt_add),
            ("__radd__", dt_add),
            ("__sub__", dt_sub),
            ("__rsub__", dt_rsub),
            ("isoformat", dt_isoformat),
            ("ctime", dt_ctime),
            ("strftime", dt_strftime),
            ("timetuple", dt_timetuple),
            ("utctimetuple", dt_utctimetuple),
            ("timestamp", dt_timestamp),
            ("date", dt_date),
            ("time", dt_time),
            ("timetz", dt_timetz),
            ("utcoffset", dt_utcoffset),
            ("dst", dt_dst),
            ("tzname", dt_tzname),
            ("replace", dt_replace),
            ("astimezone", dt_astimezone),
        ],
    );
    native_args::methods(&t, &crate::dt_richcmp_methods!(dt_cmp));
    for (n, f) in [
        ("now", dt_now as crate::types::func::NativeFn),
        ("utcnow", dt_utcnow),
        ("fromtimestamp", dt_fromtimestamp),
        ("utcfromtimestamp", dt_utcfromtimestamp),
        ("combine", dt_combine),
        ("fromisoformat", dt_fromisoformat),
        ("strptime", dt_strptime),
    ] {
        crate::builtins::add_classmethod(t.raw(), n, f);
    }
    native_args::getset(&t, "hour", get_hour, None);
    native_args::getset(&t, "minute", get_minute, None);
    native_args::getset(&t, "second", get_second, None);
    native_args::getset(&t, "microsecond", get_us, None);
    native_args::getset(&t, "tzinfo", get_tzinfo, None);
    native_args::getset(&t, "fold", get_fold, None);
    let min = Fields {
        y: 1,
        m: 1,
        d: 1,
        h: 0,
        mi: 0,
        s: 0,
        us: 0,
    };
    let max = Fields {
        y: 9999,
        m: 12,
        d: 31,
        h: 23,
        mi: 59,
        s: 59,
        us: 999_999,
    };
    super::class_attr(&t, "min", alloc(&t, min, Value::none(), 0));
    super::class_attr(&t, "max", alloc(&t, max, Value::none(), 0));
    super::class_attr(&t, "resolution", delta::make(0, 0, 1));
    Ok(t)
}
