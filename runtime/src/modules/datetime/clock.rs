//! `datetime.time`: a time of day with an optional tzinfo and a fold.
use super::date::state_arg;
use super::delta;
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
pub struct TimeObj {
    pub h: i32,
    pub mi: i32,
    pub s: i32,
    pub us: i32,
    pub fold: i32,
    pub tz: Value,
}
native_payload!(TimeObj, TIME);
static TIME_T: NativeType = NativeType {
    new: Some(time_new),
    ..NativeType::of::<TimeObj>()
};

pub fn time_of(v: &Value) -> Option<&TimeObj> {
    native::downcast::<TimeObj>(v)
}

/// CPython's `check_time_args`.
pub fn check_time(vm: &mut Vm, h: i32, mi: i32, s: i32, us: i32, fold: i32) -> PyResult<()> {
    if !(0..=23).contains(&h) {
        return Err(vm.value_error("hour must be in 0..23"));
    }
    if !(0..=59).contains(&mi) {
        return Err(vm.value_error("minute must be in 0..59"));
    }
    if !(0..=59).contains(&s) {
        return Err(vm.value_error("second must be in 0..59"));
    }
    if !(0..=999_999).contains(&us) {
        return Err(vm.value_error("microsecond must be in 0..999999"));
    }
    if fold != 0 && fold != 1 {
        return Err(vm.value_error("fold must be either 0 or 1"));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn alloc(cls: &Value, h: i32, mi: i32, s: i32, us: i32, tz: Value, fold: i32) -> Value {
    native::alloc(
        cls,
        TimeObj {
            h,
            mi,
            s,
            us,
            fold,
            tz,
        },
    )
}

fn time_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if (1..=2).contains(&p.len())
        && !a.has_kw()
        && let Some(st) = state_arg(vm, &p[0], 6, |b| (b[0] & 0x7f) < 24, "time")?
    {
        let tz = p.get(1).cloned().unwrap_or_else(Value::none);
        if !tz.is_none() && !tz::is_tzinfo(&tz) {
            return Err(vm.type_error("bad tzinfo state arg"));
        }
        let us = (i32::from(st[3]) << 16) | (i32::from(st[4]) << 8) | i32::from(st[5]);
        let fold = i32::from(st[0] >> 7);
        return Ok(alloc(
            cls,
            i32::from(st[0] & 0x7f),
            i32::from(st[1]),
            i32::from(st[2]),
            us,
            tz,
            fold,
        ));
    }
    let b = super::ctor_args(
        vm,
        a,
        &["hour", "minute", "second", "microsecond", "tzinfo", "fold"],
        5,
    )?;
    let h = int_field(vm, b[0], 0)?;
    let mi = int_field(vm, b[1], 0)?;
    let s = int_field(vm, b[2], 0)?;
    let us = int_field(vm, b[3], 0)?;
    let tz = b[4].cloned().unwrap_or_else(Value::none);
    let fold = int_field(vm, b[5], 0)?;
    check_time(vm, h, mi, s, us, fold)?;
    check_tzinfo(vm, &tz)?;
    Ok(alloc(cls, h, mi, s, us, tz, fold))
}

fn this<'a>(
    vm: &mut Vm,
    name: &str,
    a: &'a Args,
    min: usize,
    max: usize,
) -> PyResult<(&'a TimeObj, &'a [Value])> {
    let (s, rest) = native_args::this(vm, name, a, min, max)?;
    match time_of(s) {
        Some(t) => Ok((t, rest)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' requires a 'datetime.time' object but received a '{}'",
            tp_name(s)
        ))),
    }
}

/// The getters of the clock fields `time` and `datetime` both have (`h`, `mi`, `s`,
/// `us`, `fold`, `tz`), over the calling module's `this(vm, name, args, min, max)`.
macro_rules! clock_getters {
    () => {
        fn get_hour(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            Ok(Value::int(i64::from(this(vm, "hour", a, 0, 0)?.0.h)))
        }
        fn get_minute(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            Ok(Value::int(i64::from(this(vm, "minute", a, 0, 0)?.0.mi)))
        }
        fn get_second(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            Ok(Value::int(i64::from(this(vm, "second", a, 0, 0)?.0.s)))
        }
        fn get_us(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            Ok(Value::int(i64::from(
                this(vm, "microsecond", a, 0, 0)?.0.us,
            )))
        }
        fn get_fold(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            Ok(Value::int(i64::from(this(vm, "fold", a, 0, 0)?.0.fold)))
        }
        fn get_tzinfo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            Ok(this(vm, "tzinfo", a, 0, 0)?.0.tz.clone())
        }
    };
}
pub(super) use clock_getters;

clock_getters!();

fn time_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (t, _) = this(vm, "__repr__", a, 0, 0)?;
    let name = tp_name(&a.args[0]);
    let mut s = if t.us != 0 {
        format!("{name}({}, {}, {}, {})", t.h, t.mi, t.s, t.us)
    } else if t.s != 0 {
        format!("{name}({}, {}, {})", t.h, t.mi, t.s)
    } else {
        format!("{name}({}, {})", t.h, t.mi)
    };
    if !t.tz.is_none() {
        let r = ops::repr(vm, &t.tz)?;
        s.pop();
        s.push_str(&format!(", tzinfo={r})"));
    }
    if t.fold != 0 {
        s.pop();
        s.push_str(", fold=1)");
    }
    Ok(new_string(s))
}

fn time_isoformat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = native_args::receiver(vm, "isoformat", a)?;
    let Some(t) = time_of(s) else {
        return Err(vm.type_error("descriptor 'isoformat' requires a 'datetime.time' object"));
    };
    let b = native_args::bind(vm, "isoformat", &rest, &["timespec"], 0, 1)?;
    let spec = text::timespec_arg(vm, b[0])?;
    let mut out = text::fmt_time(vm, t.h, t.mi, t.s, t.us, spec)?;
    if let Some(off) = tz::offset_us(vm, &t.tz, &Value::none(), "utcoffset")? {
        out.push_str(&tz::fmt_offset(off, ":"));
    }
    Ok(new_string(out))
}

fn time_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = native_args::this(vm, "__str__", a, 0, 0)?;
    call_method(vm, s, "isoformat", &[])
}

fn time_strftime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = native_args::receiver(vm, "strftime", a)?;
    let Some(t) = time_of(s) else {
        return Err(vm.type_error("descriptor 'strftime' requires a 'datetime.time' object"));
    };
    let b = native_args::bind(vm, "strftime", &rest, &["format"], 1, 1)?;
    let f = b[0].cloned().unwrap_or_else(Value::none);
    let Some(fs) = as_str(&f) else {
        return Err(vm.type_error(format!(
            "strftime() argument 1 must be str, not {}",
            tp_name(&f)
        )));
    };
    let tt = TupleObj::from_items(
        [1900, 1, 1, t.h as i64, t.mi as i64, t.s as i64, 0, 1, -1].map(Value::int),
    );
    let tzv = t.tz.clone();
    text::wrap_strftime(vm, fs, tt, Some(&tzv), &Value::none(), t.us)
}

fn time_utcoffset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (t, _) = this(vm, "utcoffset", a, 0, 0)?;
    let tzv = t.tz.clone();
    Ok(tz::call_offset(vm, &tzv, &Value::none(), "utcoffset")?
        .map(|(v, _)| v)
        .unwrap_or_else(Value::none))
}

fn time_dst(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (t, _) = this(vm, "dst", a, 0, 0)?;
    let tzv = t.tz.clone();
    Ok(tz::call_offset(vm, &tzv, &Value::none(), "dst")?
        .map(|(v, _)| v)
        .unwrap_or_else(Value::none))
}

fn time_tzname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (t, _) = this(vm, "tzname", a, 0, 0)?;
    let tzv = t.tz.clone();
    tz::call_tzname(vm, &tzv, &Value::none())
}

fn time_replace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = native_args::receiver(vm, "replace", a)?;
    let Some(t) = time_of(s) else {
        return Err(vm.type_error("descriptor 'replace' requires a 'datetime.time' object"));
    };
    let b = native_args::bind(
        vm,
        "replace",
        &rest,
        &["hour", "minute", "second", "microsecond", "tzinfo", "fold"],
        0,
        5,
    )?;
    let h = int_field(vm, b[0], t.h)?;
    let mi = int_field(vm, b[1], t.mi)?;
    let sec = int_field(vm, b[2], t.s)?;
    let us = int_field(vm, b[3], t.us)?;
    let tzv = b[4].cloned().unwrap_or_else(|| t.tz.clone());
    let fold = int_field(vm, b[5], t.fold)?;
    check_time(vm, h, mi, sec, us, fold)?;
    check_tzinfo(vm, &tzv)?;
    let cls = Value::from_borrowed(s.type_raw());
    Ok(alloc(&cls, h, mi, sec, us, tzv, fold))
}

fn state(t: &TimeObj, proto: i64) -> Value {
    let mut h = t.h as u8;
    if proto > 3 && t.fold != 0 {
        h |= 0x80;
    }
    let b = BytesObj::new_value(vec![
        h,
        t.mi as u8,
        t.s as u8,
        (t.us >> 16) as u8,
        ((t.us >> 8) & 255) as u8,
        (t.us & 255) as u8,
    ]);
    if t.tz.is_none() {
        TupleObj::from_items([b])
    } else {
        TupleObj::from_items([b, t.tz.clone()])
    }
}

fn time_reduce_ex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (t, r) = this(vm, "__reduce_ex__", a, 1, 1)?;
    let proto = i64::from(int_field(vm, Some(&r[0]), 0)?);
    let cls = Value::from_borrowed(a.args[0].type_raw());
    Ok(TupleObj::from_items([cls, state(t, proto)]))
}

fn time_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (t, _) = this(vm, "__reduce__", a, 0, 0)?;
    let cls = Value::from_borrowed(a.args[0].type_raw());
    Ok(TupleObj::from_items([cls, state(t, 2)]))
}

fn time_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (t, _) = this(vm, "__hash__", a, 0, 0)?;
    let tzv = t.tz.clone();
    let (h, mi, s, us) = (t.h, t.mi, t.s, t.us);
    match tz::offset_us(vm, &tzv, &Value::none(), "utcoffset")? {
        None => Ok(Value::int(super::hash_ints(&[
            i64::from(h),
            i64::from(mi),
            i64::from(s),
            i64::from(us),
        ]))),
        Some(off) => {
            let total = (i128::from(h) * 3600 + i128::from(mi) * 60 + i128::from(s)) * 1_000_000
                + i128::from(us)
                - i128::from(off);
            let d = delta::split_us(vm, total)?;
            Ok(Value::int(super::hash_ints(&[
                i64::from(d.days),
                i64::from(d.secs),
                i64::from(d.us),
            ])))
        }
    }
}

fn time_cmp(vm: &mut Vm, s: &Value, o: &Value, op: u32) -> PyResult<Value> {
    let (Some(x), Some(y)) = (time_of(s), time_of(o)) else {
        return Ok(Value::not_implemented());
    };
    let kx = (x.h, x.mi, x.s, x.us);
    let ky = (y.h, y.mi, y.s, y.us);
    if x.tz.is(&y.tz) {
        return Ok(super::cmp_result(kx.cmp(&ky), op));
    }
    let (tx, ty) = (x.tz.clone(), y.tz.clone());
    let o1 = tz::call_offset(vm, &tx, &Value::none(), "utcoffset")?;
    let o2 = tz::call_offset(vm, &ty, &Value::none(), "utcoffset")?;
    match (o1, o2) {
        (None, None) => Ok(super::cmp_result(kx.cmp(&ky), op)),
        (Some((_, a1)), Some((_, a2))) if a1 == a2 => Ok(super::cmp_result(kx.cmp(&ky), op)),
        (Some((v1, _)), Some((v2, _))) => {
            let secs = |t: &TimeObj, v: &Value| {
                let d = delta::delta_of(v)
                    .map(|d| (d.days, d.secs))
                    .unwrap_or((0, 0));
                i64::from(t.h) * 3600 + i64::from(t.mi) * 60 + i64::from(t.s)
                    - i64::from(d.0) * 86400
                    - i64::from(d.1)
            };
            let (Some(x), Some(y)) = (time_of(s), time_of(o)) else {
                return Ok(Value::not_implemented());
            };
            let k1 = (secs(x, &v1), x.us);
            let k2 = (secs(y, &v2), y.us);
            Ok(super::cmp_result(k1.cmp(&k2), op))
        }
        _ => {
            if op == ops::EQ {
                Ok(Value::bool(false))
            } else if op == ops::NE {
                Ok(Value::bool(true))
            } else {
                Err(vm.type_error("can't compare offset-naive and offset-aware times"))
            }
        }
    }
}

fn time_fromisoformat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, r) = native_args::this(vm, "fromisoformat", a, 1, 1)?;
    let s = text::iso_arg(vm, &r[0])?;
    let iso = Iso::new(s);
    let start = usize::from(iso.c.first() == Some(&'T'));
    let Ok((v, off)) = iso.time(start) else {
        return Err(text::invalid_iso(vm, &r[0]));
    };
    let tzv = text::iso_tzinfo(vm, off)?;
    if cls.raw() == TimeObj::class() {
        check_time(vm, v[0], v[1], v[2], v[3], 0)?;
        return Ok(alloc(cls, v[0], v[1], v[2], v[3], tzv, 0));
    }
    let args: Vec<Value> = v
        .iter()
        .map(|&x| Value::int(i64::from(x)))
        .chain([tzv])
        .collect();
    vm.call(cls, &args)
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let t = new_type::<TimeObj>(
        "time",
        "datetime",
        native_args::object_type(),
        Kind::Native,
        &TIME_T,
        &TIME,
    );
    native_args::methods(
        &t,
        &[
            ("__repr__", time_repr),
            ("__str__", time_str),
            ("__format__", super::date::any_format),
            ("__hash__", time_hash),
            ("__reduce__", time_reduce),
            ("__reduce_ex__", time_reduce_ex),
            ("isoformat", time_isoformat),
            ("strftime", time_strftime),
            ("utcoffset", time_utcoffset),
            ("dst", time_dst),
            ("tzname", time_tzname),
            ("replace", time_replace),
        ],
    );
    native_args::methods(&t, &crate::dt_richcmp_methods!(time_cmp));
    crate::builtins::add_classmethod(t.raw(), "fromisoformat", time_fromisoformat);
    native_args::getset(&t, "hour", get_hour, None);
    native_args::getset(&t, "minute", get_minute, None);
    native_args::getset(&t, "second", get_second, None);
    native_args::getset(&t, "microsecond", get_us, None);
    native_args::getset(&t, "tzinfo", get_tzinfo, None);
    native_args::getset(&t, "fold", get_fold, None);
    super::class_attr(&t, "min", alloc(&t, 0, 0, 0, 0, Value::none(), 0));
    super::class_attr(&t, "max", alloc(&t, 23, 59, 59, 999_999, Value::none(), 0));
    super::class_attr(&t, "resolution", delta::make(0, 0, 1));
    Ok(t)
}
