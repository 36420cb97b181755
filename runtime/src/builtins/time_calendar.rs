//! The calendar half of `time` (`_time.gmtime`, `localtime`, `mktime`, `strftime`,
//! `process_time`, the zone constants), on the C library exactly as CPython does it, so
//! local time, zones and `strftime` directives agree with `python3` on the same machine.
//! Times cross as 11-tuples (year, month, mday, hour, min, sec, wday Monday=0, yday
//! 1-based, isdst, zone, gmtoff); `lib/time.py` wraps them in `struct_time`.
use super::posargs;
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

fn secs_arg(vm: &mut Vm, a: &Args, name: &str) -> PyResult<libc::time_t> {
    let p = posargs(vm, name, a, 0, 1)?;
    let secs = match p.first() {
        None => now_secs(),
        Some(v) if v.is_none() => now_secs(),
        Some(v) => match crate::ops::as_complex(v) {
            Some((re, 0.0)) if re.is_finite() => re,
            Some(_) => {
                return Err(vm.err(
                    types().overflow_error,
                    "timestamp out of range for platform time_t",
                ));
            }
            None => {
                let tn = super::type_name(v);
                return Err(
                    vm.type_error(format!("'{tn}' object cannot be interpreted as an integer"))
                );
            }
        },
    };
    Ok(secs.floor() as libc::time_t)
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

fn tm_to_tuple(tm: &libc::tm) -> Value {
    let zone = zone_name(tm);
    TupleObj::new_value(vec![
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
    ])
}

fn convert(vm: &mut Vm, a: &Args, name: &str, local: bool) -> PyResult<Value> {
    let t = secs_arg(vm, a, name)?;
    // SAFETY: `tm` is plain data the C call fills; both calls are the reentrant forms.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers to a time_t and a tm for the duration of the call.
    let ok = unsafe {
        if local {
            !libc::localtime_r(&t, &mut tm).is_null()
        } else {
            !libc::gmtime_r(&t, &mut tm).is_null()
        }
    };
    if !ok {
        return Err(vm.err(
            types().overflow_error,
            "timestamp out of range for platform time_t",
        ));
    }
    Ok(tm_to_tuple(&tm))
}

pub fn gmtime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    convert(vm, a, "gmtime", false)
}

pub fn localtime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    convert(vm, a, "localtime", true)
}

/// A 9-or-more item time tuple as a C `tm` (checking ranges like CPython's gettmarg).
fn tuple_to_tm(vm: &mut Vm, v: &Value, name: &str) -> PyResult<libc::tm> {
    let items = crate::ops::seq_items_fast(v).unwrap_or_default();
    if items.len() < 9 {
        return Err(vm.type_error(format!("{name}(): illegal time tuple argument")));
    }
    let mut f = [0i64; 9];
    for (i, slot) in f.iter_mut().enumerate() {
        *slot = match items[i].as_small_int() {
            Some(x) => x,
            None => return Err(vm.type_error("'float' object cannot be interpreted as an integer")),
        };
    }
    // SAFETY: plain data, every field set below or left zero.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    tm.tm_year = (f[0] - 1900) as i32;
    tm.tm_mon = (f[1] - 1) as i32;
    tm.tm_mday = f[2] as i32;
    tm.tm_hour = f[3] as i32;
    tm.tm_min = f[4] as i32;
    tm.tm_sec = f[5] as i32;
    tm.tm_wday = ((f[6] + 1) % 7) as i32;
    tm.tm_yday = (f[7] - 1) as i32;
    tm.tm_isdst = f[8] as i32;
    if let Some(off) = items.get(10).and_then(|x| x.as_small_int()) {
        tm.tm_gmtoff = off;
    }
    Ok(tm)
}

pub fn mktime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "mktime", a, 1, 1)?;
    let mut tm = tuple_to_tm(vm, &p[0], "mktime")?;
    tm.tm_wday = -1;
    // SAFETY: a valid tm for the call.
    let t = unsafe { libc::mktime(&mut tm) };
    if t == -1 && tm.tm_wday == -1 {
        return Err(vm.err(types().overflow_error, "mktime argument out of range"));
    }
    Ok(Value::float(t as f64))
}

pub fn strftime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "strftime", a, 2, 2)?;
    let Some(fmt) = as_str(&p[0]).map(|s| s.to_string()) else {
        let tn = super::type_name(&p[0]);
        return Err(vm.type_error(format!("strftime() argument 1 must be str, not {tn}")));
    };
    let mut tm = tuple_to_tm(vm, &p[1], "strftime")?;
    if !(0..=11).contains(&tm.tm_mon) {
        return Err(vm.value_error("month out of range"));
    }
    if !(1..=31).contains(&tm.tm_mday) && tm.tm_mday != 0 {
        return Err(vm.value_error("day of month out of range"));
    }
    if tm.tm_mday == 0 {
        tm.tm_mday = 1;
    }
    if fmt.contains('\0') {
        return Err(vm.value_error("embedded null character"));
    }
    let Ok(cfmt) = std::ffi::CString::new(fmt.clone()) else {
        return Err(vm.value_error("embedded null character"));
    };
    if fmt.is_empty() {
        return Ok(new_str(""));
    }
    // Grow the buffer until the result fits (strftime returns 0 when it does not).
    let mut cap = 256usize.max(fmt.len() * 4);
    loop {
        let mut buf = vec![0u8; cap];
        // SAFETY: buf has `cap` writable bytes; cfmt and tm are valid for the call.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), cap, cfmt.as_ptr(), &tm) };
        if n > 0 || cap > 256 * fmt.len() + 4096 {
            buf.truncate(n);
            return Ok(new_str(&String::from_utf8_lossy(&buf)));
        }
        cap *= 4;
    }
}

pub fn process_time(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    // SAFETY: plain data filled by the call.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid timespec pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Ok(Value::float(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9))
}

/// (timezone, altzone, daylight, (std name, dst name)) as CPython computes them: from
/// the offsets of January and July of the current year.
pub fn zone_info(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    let year_start = {
        let t = now_secs() as libc::time_t;
        // SAFETY: plain data + reentrant conversion.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        // SAFETY: valid pointers.
        unsafe { libc::gmtime_r(&t, &mut tm) };
        (tm.tm_year as i64 - 70) * 365 * 86400 + ((tm.tm_year as i64 - 69) / 4) * 86400
    };
    let probe = |t: i64| {
        let t = t as libc::time_t;
        // SAFETY: as above.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        // SAFETY: valid pointers.
        unsafe { libc::localtime_r(&t, &mut tm) };
        let zone = zone_name(&tm);
        (-tm.tm_gmtoff, zone)
    };
    let (jan_off, jan_name) = probe(year_start);
    let (jul_off, jul_name) = probe(year_start + 182 * 86400);
    let (std_off, dst_off, std_name, dst_name) = if jan_off < jul_off {
        // Southern hemisphere: DST in January.
        (jul_off, jan_off, jul_name, jan_name)
    } else {
        (jan_off, jul_off, jan_name, jul_name)
    };
    Ok(TupleObj::new_value(vec![
        Value::int(std_off),
        Value::int(dst_off),
        Value::int((std_off != dst_off) as i64),
        TupleObj::new_value(vec![new_str(&std_name), new_str(&dst_name)]),
    ]))
}
