//! `time`: clocks (`time`, `monotonic`, `perf_counter`, `process_time`,
//! `thread_time`, `clock_gettime`, each with its `_ns` form), `sleep`, clock
//! information, and the calendar functions of `calendar.rs`, on the C library's
//! clocks as CPython uses them on Linux.
//!
//! `sleep` runs detached (stitch has no GIL to release, but a sleeping thread must not
//! hold up stop-the-world) and, interrupted by a signal, runs the Python handlers and
//! sleeps on until its deadline (PEP 475) unless a handler raises.
pub(crate) mod calendar;

use std::sync::OnceLock;

use num_bigint::BigInt;
use stitch_stencils::value::RawValue;

use super::{args, structseq};
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

static STRUCT_TIME: OnceLock<u64> = OnceLock::new();

/// The `time.struct_time` type (made when `time` is first imported).
fn struct_time() -> Value {
    let b = STRUCT_TIME
        .get()
        .expect("time is imported before struct_time is used");
    Value::from_borrowed(RawValue(*b))
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    if STRUCT_TIME.get().is_none() {
        let t = structseq::new_type(
            vm,
            "time",
            "struct_time",
            &[
                "tm_year",
                "tm_mon",
                "tm_mday",
                "tm_hour",
                "tm_min",
                "tm_sec",
                "tm_wday",
                "tm_yday",
                "tm_isdst",
                "tm_zone",
                "tm_gmtoff",
            ],
            9,
        )?;
        let _ = STRUCT_TIME.set(t.bits());
    }
    let m = args::module(
        "time",
        &[
            ("time", time),
            ("time_ns", time_ns),
            ("monotonic", monotonic),
            ("monotonic_ns", monotonic_ns),
            ("perf_counter", perf_counter),
            ("perf_counter_ns", perf_counter_ns),
            ("process_time", process_time),
            ("process_time_ns", process_time_ns),
            ("thread_time", thread_time),
            ("thread_time_ns", thread_time_ns),
            ("clock_gettime", clock_gettime),
            ("clock_gettime_ns", clock_gettime_ns),
            ("clock_getres", clock_getres),
            ("get_clock_info", get_clock_info),
            ("sleep", sleep),
            ("gmtime", calendar::gmtime),
            ("localtime", calendar::localtime),
            ("mktime", calendar::mktime),
            ("strftime", calendar::strftime),
            ("strptime", strptime),
            ("asctime", calendar::asctime),
            ("ctime", calendar::ctime),
            ("tzset", tzset),
        ],
    );
    args::set(&m, "struct_time", struct_time());
    args::consts(
        &m,
        &[
            ("CLOCK_REALTIME", libc::CLOCK_REALTIME as i64),
            ("CLOCK_MONOTONIC", libc::CLOCK_MONOTONIC as i64),
            ("CLOCK_MONOTONIC_RAW", libc::CLOCK_MONOTONIC_RAW as i64),
            (
                "CLOCK_PROCESS_CPUTIME_ID",
                libc::CLOCK_PROCESS_CPUTIME_ID as i64,
            ),
            (
                "CLOCK_THREAD_CPUTIME_ID",
                libc::CLOCK_THREAD_CPUTIME_ID as i64,
            ),
            ("CLOCK_BOOTTIME", libc::CLOCK_BOOTTIME as i64),
            ("CLOCK_TAI", libc::CLOCK_TAI as i64),
        ],
    );
    set_zone(&m);
    Ok(m)
}

/// Sets timezone, altzone, daylight and tzname.
fn set_zone(m: &Value) {
    let (tz, alt, daylight, std_name, dst_name) = calendar::zone_info();
    args::set(m, "timezone", Value::int(tz));
    args::set(m, "altzone", Value::int(alt));
    args::set(m, "daylight", Value::int(daylight as i64));
    args::set(
        m,
        "tzname",
        TupleObj::from_items([new_str(&std_name), new_str(&dst_name)]),
    );
}

fn tzset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "time.tzset", a)?;
    let m = crate::import::import_module(vm, "time")?;
    set_zone(&m);
    Ok(Value::none())
}

/// (seconds, nanoseconds) of a clock, or the OSError of clock_gettime.
fn read_clock(vm: &mut Vm, clk: libc::clockid_t) -> PyResult<(i64, i64)> {
    // SAFETY: plain data filled by the call.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid timespec pointer.
    if unsafe { libc::clock_gettime(clk, &mut ts) } != 0 {
        return Err(super::posix::path::os_err(vm));
    }
    Ok((ts.tv_sec, ts.tv_nsec))
}

fn secs(vm: &mut Vm, clk: libc::clockid_t) -> PyResult<Value> {
    let (s, n) = read_clock(vm, clk)?;
    Ok(Value::float(s as f64 + n as f64 * 1e-9))
}

fn nanos(vm: &mut Vm, clk: libc::clockid_t) -> PyResult<Value> {
    let (s, n) = read_clock(vm, clk)?;
    Ok(Value::bigint(BigInt::from(s) * 1_000_000_000 + n))
}

macro_rules! clocks {
    ($($f:ident, $fns:ident => $q:literal, $qns:literal, $clk:expr;)*) => {
        $(
            fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                args::none(vm, $q, a)?;
                secs(vm, $clk)
            }
            fn $fns(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                args::none(vm, $qns, a)?;
                nanos(vm, $clk)
            }
        )*
    };
}

clocks! {
    time, time_ns => "time.time", "time.time_ns", libc::CLOCK_REALTIME;
    monotonic, monotonic_ns => "time.monotonic", "time.monotonic_ns", libc::CLOCK_MONOTONIC;
    perf_counter, perf_counter_ns => "time.perf_counter", "time.perf_counter_ns", libc::CLOCK_MONOTONIC;
    process_time, process_time_ns => "time.process_time", "time.process_time_ns", libc::CLOCK_PROCESS_CPUTIME_ID;
    thread_time, thread_time_ns => "time.thread_time", "time.thread_time_ns", libc::CLOCK_THREAD_CPUTIME_ID;
}

fn clock_gettime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = args::one(vm, "time.clock_gettime", a)?;
    let clk = args::c_int(vm, c)?;
    secs(vm, clk)
}

fn clock_gettime_ns(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = args::one(vm, "time.clock_gettime_ns", a)?;
    let clk = args::c_int(vm, c)?;
    nanos(vm, clk)
}

fn clock_getres(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = args::one(vm, "time.clock_getres", a)?;
    let clk = args::c_int(vm, c)?;
    // SAFETY: plain data filled by the call.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid timespec pointer.
    if unsafe { libc::clock_getres(clk, &mut ts) } != 0 {
        return Err(super::posix::path::os_err(vm));
    }
    Ok(Value::float(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9))
}

/// `get_clock_info(name)`: a SimpleNamespace(implementation, monotonic, adjustable,
/// resolution) as CPython reports it on Linux.
fn get_clock_info(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let n = args::one(vm, "time.get_clock_info", a)?;
    let name = crate::types::str::as_str(n).unwrap_or("").to_string();
    let (imp, clk, mono, adj) = match name.as_str() {
        "time" => (
            "clock_gettime(CLOCK_REALTIME)",
            libc::CLOCK_REALTIME,
            false,
            true,
        ),
        "monotonic" | "perf_counter" => (
            "clock_gettime(CLOCK_MONOTONIC)",
            libc::CLOCK_MONOTONIC,
            true,
            false,
        ),
        "process_time" => (
            "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)",
            libc::CLOCK_PROCESS_CPUTIME_ID,
            true,
            false,
        ),
        "thread_time" => (
            "clock_gettime(CLOCK_THREAD_CPUTIME_ID)",
            libc::CLOCK_THREAD_CPUTIME_ID,
            true,
            false,
        ),
        _ => return Err(vm.value_error("unknown clock")),
    };
    // SAFETY: plain data filled by the call.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid timespec pointer.
    unsafe { libc::clock_getres(clk, &mut ts) };
    let res = ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9;
    let Some(ns) = crate::modules::namespace::class() else {
        return Err(vm.runtime_error("types.SimpleNamespace is missing"));
    };
    let vals = [
        new_str(imp),
        Value::bool(mono),
        Value::bool(adj),
        Value::float(res),
        new_str("implementation"),
        new_str("monotonic"),
        new_str("adjustable"),
        new_str("resolution"),
    ];
    vm.call_kw(&ns, &vals[..4], &vals[4..])
}

fn strptime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "strptime", a, 1, 2)?;
    let m = crate::import::import_module(vm, "_strptime")?;
    let Some(f) = crate::ops::getattr_opt(vm, &m, "_strptime_time")? else {
        return Err(vm.attribute_error("module '_strptime' has no attribute '_strptime_time'"));
    };
    vm.call(&f, p)
}

/// `sleep(secs)`: detached; signal handlers run when a signal interrupts it.
fn sleep(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = args::one(vm, "time.sleep", a)?;
    let secs = if v.is_float() || crate::types::int::as_int(v).is_some() {
        args::seconds(vm, v)?
    } else {
        let tn = crate::builtins::type_name(v);
        return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
    };
    if secs.is_nan() {
        return Err(vm.value_error("Invalid value NaN (not a number)"));
    }
    if secs < 0.0 {
        return Err(vm.value_error("sleep length must be non-negative"));
    }
    if secs > 9.2e9 {
        return Err(vm.overflow_error("timestamp too large to convert to C _PyTime_t"));
    }
    vm.flush_stdout();
    let (s0, n0) = read_clock(vm, libc::CLOCK_MONOTONIC)?;
    let total = n0 as i128 + (secs * 1e9).round() as i128 + s0 as i128 * 1_000_000_000;
    // SAFETY: plain data.
    let mut deadline: libc::timespec = unsafe { std::mem::zeroed() };
    deadline.tv_sec = (total / 1_000_000_000) as i64;
    deadline.tv_nsec = (total % 1_000_000_000) as i64;
    loop {
        // SAFETY: a valid absolute deadline; no remaining-time pointer is needed.
        let r = crate::thread_state::blocking(|| unsafe {
            libc::clock_nanosleep(
                libc::CLOCK_MONOTONIC,
                libc::TIMER_ABSTIME,
                &deadline,
                std::ptr::null_mut(),
            )
        });
        match r {
            0 => return Ok(Value::none()),
            libc::EINTR => super::signal::run_pending(vm)?,
            e => return Err(crate::builtins::os_error::from_errno(vm, e, None, None)),
        }
    }
}
