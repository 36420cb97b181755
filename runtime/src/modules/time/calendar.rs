//! The calendar half of `time` (gmtime, localtime, mktime, strftime, asctime, ctime,
//! and the zone constants) on the C library exactly as CPython does it, so local time,
//! zones and `strftime` directives agree with `python3` on the same machine. Time
//! tuples are `struct_time` struct sequences (9 visible fields, `tm_zone` and
//! `tm_gmtoff` as attributes).
use super::struct_time;
use crate::modules::{args, structseq};
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

unsafe extern "C" {
    /// POSIX `tzset` (not exported by the libc crate): re-reads TZ.
    fn tzset();
}

fn zeroed_tm() -> libc::tm {
    // SAFETY: `tm` is plain data; all-zero is valid (tm_zone NULL).
    unsafe { std::mem::zeroed() }
}

pub(super) fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

fn out_of_range(vm: &mut Vm) -> crate::vm::PyErr {
    vm.err(
        types().overflow_error,
        "timestamp out of range for platform time_t",
    )
}

/// The optional seconds argument of gmtime/localtime/ctime (None: now), floored.
fn secs_arg(vm: &mut Vm, a: &Args, name: &str) -> PyResult<libc::time_t> {
    let p = args::positional(vm, name, a, 0, 1)?;
    let v = match p.first() {
        None => return Ok(now_secs().floor() as libc::time_t),
        Some(v) if v.is_none() => return Ok(now_secs().floor() as libc::time_t),
        Some(v) => v,
    };
    if let Some(f) = v.as_float() {
        if f.is_nan() {
            return Err(vm.value_error("Invalid value NaN (not a number)"));
        }
        let f = f.floor();
        if !(-9.2e18..9.2e18).contains(&f) {
            return Err(out_of_range(vm));
        }
        return Ok(f as libc::time_t);
    }
    if let Some(i) = crate::types::int::as_int(v) {
        return match i.to_i64() {
            Some(i) => Ok(i),
            None => Err(out_of_range(vm)),
        };
    }
    let tn = crate::builtins::type_name(v);
    Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
}

/// The zone abbreviation a conversion filled in.
fn zone_name(tm: &libc::tm) -> String {
    if tm.tm_zone.is_null() {
        return String::new();
    }
    // SAFETY: tm_zone, when set by gmtime_r/localtime_r, points at a NUL-terminated zone
    // name owned by the C library for the life of the process.
    unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
        .to_string_lossy()
        .into_owned()
}

/// A `struct_time` of a filled `tm`.
pub(super) fn tm_value(vm: &mut Vm, tm: &libc::tm) -> PyResult<Value> {
    let zone = zone_name(tm);
    let values = vec![
        Value::int(tm.tm_year as i64 + 1900),
        Value::int(tm.tm_mon as i64 + 1),
        Value::int(tm.tm_mday as i64),
        Value::int(tm.tm_hour as i64),
        Value::int(tm.tm_min as i64),
        Value::int(tm.tm_sec as i64),
        Value::int((tm.tm_wday as i64 + 6) % 7),
        Value::int(tm.tm_yday as i64 + 1),
        Value::int(tm.tm_isdst as i64),
        new_str(&zone),
        Value::int(tm.tm_gmtoff),
    ];
    structseq::new(vm, &struct_time(), values)
}

fn convert(t: libc::time_t, local: bool) -> Option<libc::tm> {
    let mut tm = zeroed_tm();
    // SAFETY: valid pointers to a time_t and a tm; both calls are the reentrant forms.
    let ok = unsafe {
        if local {
            !libc::localtime_r(&t, &mut tm).is_null()
        } else {
            !libc::gmtime_r(&t, &mut tm).is_null()
        }
    };
    ok.then_some(tm)
}

fn convert_value(vm: &mut Vm, a: &Args, name: &str, local: bool) -> PyResult<Value> {
    let t = secs_arg(vm, a, name)?;
    match convert(t, local) {
        Some(tm) => tm_value(vm, &tm),
        None => Err(crate::builtins::os_error::last(vm, None)),
    }
}

pub fn gmtime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    convert_value(vm, a, "gmtime", false)
}

pub fn localtime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    convert_value(vm, a, "localtime", true)
}

/// A time tuple argument (struct_time or a 9-tuple) as a C `tm`, as CPython's
/// `gettmarg`: zone and offset come from a struct_time's attributes.
fn tuple_to_tm(vm: &mut Vm, v: &Value, name: &str) -> PyResult<libc::tm> {
    let Some(t) = v.downcast::<TupleObj>() else {
        return Err(vm.type_error("Tuple or struct_time argument required"));
    };
    let items = t.items.to_vec();
    if items.len() != 9 {
        return Err(vm.type_error(format!("{name}(): illegal time tuple argument")));
    }
    let mut f = [0i64; 9];
    for (i, slot) in f.iter_mut().enumerate() {
        let x = &items[i];
        if x.is_float() {
            return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
        }
        let n = args::int(vm, x)?;
        if n > i32::MAX as i64 || n < i32::MIN as i64 {
            return Err(vm.overflow_error("Python int too large to convert to C int"));
        }
        *slot = n;
    }
    let mut tm = zeroed_tm();
    tm.tm_year = (f[0] - 1900) as i32;
    tm.tm_mon = (f[1] - 1) as i32;
    tm.tm_mday = f[2] as i32;
    tm.tm_hour = f[3] as i32;
    tm.tm_min = f[4] as i32;
    tm.tm_sec = f[5] as i32;
    tm.tm_wday = ((f[6] + 1) % 7) as i32;
    tm.tm_yday = (f[7] - 1) as i32;
    tm.tm_isdst = f[8] as i32;
    if v.type_raw() != types().tuple
        && let Some(off) = structseq::get(vm, v, "tm_gmtoff")?.as_small_int()
    {
        tm.tm_gmtoff = off;
    }
    Ok(tm)
}

/// CPython's `checktm`: every field in range.
fn check_tm(vm: &mut Vm, tm: &libc::tm) -> PyResult<()> {
    let msg = if !(0..=11).contains(&tm.tm_mon) {
        "month out of range"
    } else if !(1..=31).contains(&tm.tm_mday) {
        "day of month out of range"
    } else if !(0..=23).contains(&tm.tm_hour) {
        "hour out of range"
    } else if !(0..=59).contains(&tm.tm_min) {
        "minute out of range"
    } else if !(0..=61).contains(&tm.tm_sec) {
        "seconds out of range"
    } else if tm.tm_wday < 0 {
        "day of week out of range"
    } else if !(0..=365).contains(&tm.tm_yday) {
        "day of year out of range"
    } else {
        return Ok(());
    };
    Err(vm.value_error(msg))
}

pub fn mktime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "mktime", a, 1, 1)?;
    let mut tm = tuple_to_tm(vm, &p[0], "mktime")?;
    tm.tm_wday = -1;
    // SAFETY: a valid tm for the call.
    let t = unsafe { libc::mktime(&mut tm) };
    if t == -1 && tm.tm_wday == -1 {
        return Err(vm.err(types().overflow_error, "mktime argument out of range"));
    }
    Ok(Value::float(t as f64))
}

/// The current local time as a `tm` (the default argument of strftime/asctime).
fn now_tm(vm: &mut Vm) -> PyResult<libc::tm> {
    match convert(now_secs().floor() as libc::time_t, true) {
        Some(tm) => Ok(tm),
        None => Err(crate::builtins::os_error::last(vm, None)),
    }
}

pub fn strftime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "strftime", a, 1, 2)?;
    let Some(fmt) = as_str(&p[0]).map(|s| s.to_string()) else {
        let tn = crate::builtins::type_name(&p[0]);
        return Err(vm.type_error(format!("strftime() argument 1 must be str, not {tn}")));
    };
    let mut tm = match p.get(1) {
        Some(t) => {
            let mut tm = tuple_to_tm(vm, t, "strftime")?;
            // strftime accepts 0 for month, day and year day.
            if tm.tm_mon == -1 {
                tm.tm_mon = 0;
            }
            if tm.tm_mday == 0 {
                tm.tm_mday = 1;
            }
            if tm.tm_yday == -1 {
                tm.tm_yday = 0;
            }
            check_tm(vm, &tm)?;
            tm.tm_isdst = tm.tm_isdst.clamp(-1, 1);
            tm
        }
        None => now_tm(vm)?,
    };
    let Ok(cfmt) = std::ffi::CString::new(fmt.clone()) else {
        return Err(vm.value_error("embedded null character"));
    };
    if fmt.is_empty() {
        return Ok(new_str(""));
    }
    if tm.tm_zone.is_null() {
        tm.tm_zone = c"".as_ptr();
    }
    // Grow the buffer until the result fits (strftime returns 0 when it does not).
    let mut cap = 256usize.max(fmt.len() * 4);
    loop {
        let mut buf = vec![0u8; cap];
        // SAFETY: buf has `cap` writable bytes; cfmt and tm are valid for the call.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), cap, cfmt.as_ptr(), &tm) };
        if n > 0 || cap > 256 * fmt.len() + 4096 {
            buf.truncate(n);
            return Ok(new_string(String::from_utf8_lossy(&buf).into_owned()));
        }
        cap *= 4;
    }
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn asctime_of(tm: &libc::tm) -> String {
    format!(
        "{} {}{:3} {:02}:{:02}:{:02} {}",
        DAYS[tm.tm_wday.rem_euclid(7) as usize],
        MONTHS[tm.tm_mon.rem_euclid(12) as usize],
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        tm.tm_year as i64 + 1900
    )
}

pub fn asctime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "asctime", a, 0, 1)?;
    let tm = match p.first() {
        Some(t) => {
            let tm = tuple_to_tm(vm, t, "asctime")?;
            check_tm(vm, &tm)?;
            tm
        }
        None => now_tm(vm)?,
    };
    Ok(new_string(asctime_of(&tm)))
}

pub fn ctime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let t = secs_arg(vm, a, "ctime")?;
    match convert(t, true) {
        Some(tm) => Ok(new_string(asctime_of(&tm))),
        None => Err(crate::builtins::os_error::last(vm, None)),
    }
}

/// (timezone, altzone, daylight, (std name, dst name)) as CPython computes them: from
/// the offsets of January and July of the current year.
pub fn zone_info() -> (i64, i64, bool, String, String) {
    // SAFETY: tzset reads TZ; called before the conversions below, as CPython does.
    unsafe { tzset() };
    let year_start = {
        let t = now_secs() as libc::time_t;
        let tm = convert(t, false).unwrap_or_else(zeroed_tm);
        (tm.tm_year as i64 - 70) * 365 * 86400 + ((tm.tm_year as i64 - 69) / 4) * 86400
    };
    let probe = |t: i64| {
        let tm = convert(t as libc::time_t, true).unwrap_or_else(zeroed_tm);
        (-tm.tm_gmtoff, zone_name(&tm))
    };
    let (jan_off, jan_name) = probe(year_start);
    let (jul_off, jul_name) = probe(year_start + 182 * 86400);
    if jan_off < jul_off {
        // Southern hemisphere: DST in January.
        (jul_off, jan_off, true, jul_name, jan_name)
    } else {
        (jan_off, jul_off, jan_off != jul_off, jan_name, jul_name)
    }
}
