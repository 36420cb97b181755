//! Local time and timestamps through the C library, as CPython's `_PyTime_localtime`
//! and `_PyTime_gmtime`, with its fold detection (`datetime_from_timet_and_us`) and
//! its solver of local times (`local_to_seconds`).
use super::calendar::{EPOCH_ORDINAL, MAXYEAR, MINYEAR, utc_to_seconds};
use crate::ops;
use crate::types::int::as_int;
use crate::value::Value;
use crate::vm::{PyResult, Vm};
use crate::world::types;

/// Seconds from 0001-01-01 to 1970-01-01.
pub const EPOCH_SECONDS: i64 = EPOCH_ORDINAL * 86_400;
const MAX_FOLD_SECONDS: i64 = 86_400;

/// A broken-down time.
pub struct Tm {
    pub y: i32,
    pub m: i32,
    pub d: i32,
    pub hh: i32,
    pub mi: i32,
    pub ss: i32,
    pub gmtoff: i64,
    pub zone: Option<String>,
}

fn overflow(vm: &mut Vm) -> crate::vm::PyErr {
    vm.overflow_error("timestamp out of range for platform time_t")
}

fn convert(vm: &mut Vm, t: i64, local: bool) -> PyResult<Tm> {
    let tt = t as libc::time_t;
    // SAFETY: plain data; all-zero is a valid `tm`.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers to a time_t and a tm owned by this frame.
    let r = unsafe {
        *libc::__errno_location() = 0;
        if local {
            libc::localtime_r(&tt, &mut tm)
        } else {
            libc::gmtime_r(&tt, &mut tm)
        }
    };
    if r.is_null() {
        // SAFETY: reading this thread's errno.
        let e = match unsafe { *libc::__errno_location() } {
            0 => libc::EINVAL,
            e => e,
        };
        return Err(crate::builtins::os_error::from_errno(vm, e, None, None));
    }
    let zone = if tm.tm_zone.is_null() {
        None
    } else {
        // SAFETY: the C library's NUL-terminated zone abbreviation.
        Some(
            unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
                .to_string_lossy()
                .into_owned(),
        )
    };
    Ok(Tm {
        y: tm.tm_year.saturating_add(1900),
        m: tm.tm_mon + 1,
        d: tm.tm_mday,
        hh: tm.tm_hour,
        mi: tm.tm_min,
        ss: tm.tm_sec.min(59),
        gmtoff: tm.tm_gmtoff,
        zone,
    })
}

pub fn localtime(vm: &mut Vm, t: i64) -> PyResult<Tm> {
    convert(vm, t, true)
}

pub fn gmtime(vm: &mut Vm, t: i64) -> PyResult<Tm> {
    convert(vm, t, false)
}

fn checked_utc_seconds(vm: &mut Vm, tm: &Tm) -> PyResult<i64> {
    if tm.y < MINYEAR || tm.y > MAXYEAR {
        return Err(vm.value_error(format!("year {} is out of range", tm.y)));
    }
    Ok(utc_to_seconds(tm.y, tm.m, tm.d, tm.hh, tm.mi, tm.ss))
}

/// CPython's `local(u)`: the local wall time, in seconds since 0001-01-01, of `u`
/// (UTC seconds since 0001-01-01).
fn local(vm: &mut Vm, u: i64) -> PyResult<i64> {
    let tm = localtime(vm, u - EPOCH_SECONDS)?;
    checked_utc_seconds(vm, &tm)
}

/// The local broken-down time of timestamp `t` and its fold (CPython's probe).
pub fn local_with_fold(vm: &mut Vm, t: i64) -> PyResult<(Tm, bool)> {
    let tm = localtime(vm, t)?;
    let result = checked_utc_seconds(vm, &tm)?;
    let probe = local(vm, EPOCH_SECONDS + t - MAX_FOLD_SECONDS)?;
    let transition = result - probe - MAX_FOLD_SECONDS;
    let mut fold = false;
    if transition < 0 {
        let probe = local(vm, EPOCH_SECONDS + t + transition)?;
        if probe == result {
            fold = true;
        }
    }
    Ok((tm, fold))
}

/// CPython's `local_to_seconds`: UTC seconds since 0001-01-01 of a local wall time.
#[allow(clippy::too_many_arguments)]
pub fn local_to_seconds(
    vm: &mut Vm,
    y: i32,
    m: i32,
    d: i32,
    hh: i32,
    mi: i32,
    ss: i32,
    fold: bool,
) -> PyResult<i64> {
    let t = utc_to_seconds(y, m, d, hh, mi, ss);
    let lt = local(vm, t)?;
    let a = lt - t;
    let u1 = t - a;
    let t1 = local(vm, u1)?;
    let b;
    if t1 == t {
        let u2 = if fold {
            u1 + MAX_FOLD_SECONDS
        } else {
            u1 - MAX_FOLD_SECONDS
        };
        let lt = local(vm, u2)?;
        b = lt - u2;
        if a == b {
            return Ok(u1);
        }
    } else {
        b = t1 - u1;
    }
    let u2 = t - b;
    let t2 = local(vm, u2)?;
    if t2 == t {
        return Ok(u2);
    }
    if t1 == t {
        return Ok(u1);
    }
    Ok(if fold { u1.min(u2) } else { u1.max(u2) })
}

/// `timezone(timedelta(seconds=gmtoff), zone)` of the local zone at timestamp `t`.
pub fn local_timezone_at(vm: &mut Vm, t: i64) -> PyResult<Value> {
    let tm = localtime(vm, t)?;
    let off = super::delta::from_us(vm, i128::from(tm.gmtoff) * 1_000_000)?;
    let name = match tm.zone {
        Some(z) => crate::types::str::new_string(z),
        None => Value::none(),
    };
    super::tz::new_timezone(vm, &off, name)
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

const TIME_T_MIN: f64 = -9_223_372_036_854_775_808.0;
const TIME_T_MAX: f64 = 9_223_372_036_854_775_808.0;

/// A timestamp argument as (seconds, microseconds): floats rounded half to even on
/// the microsecond (`half_even`) or floored to the second.
pub fn timestamp_arg(vm: &mut Vm, v: &Value, half_even: bool) -> PyResult<(i64, i32)> {
    if let Some(f) = v.as_float()
        && as_int(v).is_none()
    {
        if f.is_nan() {
            return Err(vm.value_error("Invalid value NaN (not a number)"));
        }
        if !half_even {
            let fl = f.floor();
            if !(TIME_T_MIN..TIME_T_MAX).contains(&fl) {
                return Err(overflow(vm));
            }
            return Ok((fl as i64, 0));
        }
        let mut ip = f.trunc();
        let mut fp = round_half_even((f - ip) * 1e6);
        if fp >= 1e6 {
            fp -= 1e6;
            ip += 1.0;
        } else if fp < 0.0 {
            fp += 1e6;
            ip -= 1.0;
        }
        if !(TIME_T_MIN..TIME_T_MAX).contains(&ip) {
            return Err(overflow(vm));
        }
        return Ok((ip as i64, fp as i32));
    }
    let n = ops::to_index(vm, v)?;
    match i64::try_from(&n) {
        Ok(s) => Ok((s, 0)),
        Err(_) => Err(vm.err(
            types().overflow_error,
            "timestamp out of range for platform time_t",
        )),
    }
}

/// The system clock now, floored to the microsecond.
pub fn now() -> (i64, i32) {
    // SAFETY: plain data filled by the call.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid timespec pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
    (ts.tv_sec, (ts.tv_nsec / 1000) as i32)
}
