//! Native modules: sys, math, time.
use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::{add_method, method_args, posargs, type_name};
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::func::{NativeFn, new_builtin};
use crate::types::int::as_int;
use crate::types::list::ListObj;
use crate::types::module::ModuleObj;
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, new_instance_of};
use crate::world::types;

pub(super) fn module_with(name: &str, fns: &[(&'static str, NativeFn)]) -> Value {
    let m = crate::import::new_module(name, None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<ModuleObj>() }.dict();
    for (n, f) in fns {
        d.set_str(n, new_builtin(n, *f));
    }
    m
}

fn mdict(m: &Value) -> &DictObj {
    // SAFETY: callers pass module objects.
    unsafe { m.payload_unchecked::<ModuleObj>() }.dict()
}

pub fn make_native_module(_vm: &mut Vm, name: &str) -> Option<Value> {
    match name {
        "math" => Some(make_math()),
        "_time" => Some(make_time()),
        "_random" => Some(super::random::make_module()),
        "_os" => Some(make_os()),
        "_traceback" => Some(module_with(
            "_traceback",
            &[
                ("format", super::traceback_module::format),
                ("format_only", super::traceback_module::format_only),
                ("entries", super::traceback_module::entries),
            ],
        )),
        "_thread" => Some(super::thread_module::make_module()),
        _ => None,
    }
}

// ---- sys ------------------------------------------------------------------------------------

fn make_stream(fd: i64) -> Value {
    let s = new_instance_of(&Value::from_borrowed(types().text_io), vec![]);
    // SAFETY: TextIOWrapper instances are `Instance`s with a dict.
    let inst = unsafe { s.payload_unchecked::<crate::types::instance::Instance>() };
    if let Some(d) = inst.dict.downcast::<DictObj>() {
        d.set_str("_fd", Value::int(fd));
        let name = match fd {
            0 => "<stdin>",
            1 => "<stdout>",
            _ => "<stderr>",
        };
        d.set_str("name", new_str(name));
        d.set_str("encoding", new_str("utf-8"));
    }
    s
}

/// The fd of sys.stdout (1) / sys.stderr (2) stream objects.
pub fn stream_fd(v: &Value) -> Option<i64> {
    if v.type_raw() != types().text_io {
        return None;
    }
    // SAFETY: TextIOWrapper instances are `Instance`s.
    let inst = unsafe { v.payload_unchecked::<crate::types::instance::Instance>() };
    inst.dict
        .downcast::<DictObj>()
        .and_then(|d| d.get_str("_fd"))
        .and_then(|f| f.as_small_int())
}

fn stream_write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "write", a, 1, 1)?;
    let Some(text) = as_str(&r[0]) else {
        let tn = type_name(&r[0]);
        return Err(vm.type_error(format!("write() argument must be str, not {tn}")));
    };
    let n = text.chars().count();
    let text = text.to_string();
    super::functions::write_to(vm, Some(s), &text)?;
    Ok(Value::int(n as i64))
}

fn stream_flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let _ = method_args(vm, "flush", a, 0, 0)?;
    vm.flush_stdout();
    Ok(Value::none())
}

pub fn make_sys(vm: &mut Vm) -> Value {
    add_method(types().text_io, "write", stream_write);
    add_method(types().text_io, "flush", stream_flush);
    add_method(types().text_io, "read", super::stdin::read);
    add_method(types().text_io, "readline", super::stdin::readline);
    add_method(types().text_io, "readlines", super::stdin::readlines);
    let m = module_with(
        "sys",
        &[
            ("exit", sys_exit),
            ("setrecursionlimit", sys_setrecursionlimit),
            ("getrecursionlimit", sys_getrecursionlimit),
            ("exc_info", sys_exc_info),
            ("intern", sys_intern),
            ("getrefcount", sys_getrefcount),
            ("_getframe", super::frames::getframe),
            ("getdefaultencoding", sys_getdefaultencoding),
            ("getfilesystemencoding", sys_getdefaultencoding),
        ],
    );
    let d = mdict(&m);
    let argv: Vec<Value> = vm.argv.iter().map(|a| new_str(a)).collect();
    d.set_str("argv", ListObj::new_value(argv));
    d.set_str("modules", vm.modules.clone());
    let names: Vec<Value> = ["builtins", "sys"]
        .into_iter()
        .chain(crate::modules::names())
        .map(new_str)
        .collect();
    d.set_str("builtin_module_names", TupleObj::new_value(names));
    let mut path = vec![];
    let script_dir = std::path::Path::new(&vm.main_path)
        .parent()
        .map(|p| p.to_string_lossy().to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_default();
    path.push(new_str(&script_dir));
    if let Ok(pp) = std::env::var("PYTHONPATH") {
        for p in pp.split(':').filter(|p| !p.is_empty()) {
            path.push(new_str(p));
        }
    }
    d.set_str("path", ListObj::new_value(path));
    d.set_str("stdin", make_stream(0));
    d.set_str("stdout", make_stream(1));
    d.set_str("stderr", make_stream(2));
    d.set_str(
        "__stdout__",
        d.get_str("stdout").unwrap_or_else(Value::none),
    );
    d.set_str(
        "__stderr__",
        d.get_str("stderr").unwrap_or_else(Value::none),
    );
    d.set_str("version", new_str("3.11.7 (stitch 0.1.0)"));
    d.set_str("hexversion", Value::int(0x030B07F0));
    d.set_str("maxsize", Value::int(i64::MAX));
    let version = TupleObj::new_value(vec![
        Value::int(0),
        Value::int(1),
        Value::int(0),
        new_str("alpha"),
        Value::int(0),
    ]);
    let imp = [
        ("name", new_str("stitch")),
        ("cache_tag", Value::none()),
        ("version", version),
        ("hexversion", Value::int(0x000100A0)),
    ];
    d.set_str("implementation", attr_namespace(&imp));
    d.set_str("platform", new_str("linux"));
    d.set_str("byteorder", new_str("little"));
    d.set_str(
        "executable",
        new_str(
            &std::env::current_exe()
                .map(|p| p.to_string_lossy().to_string())
                .unwrap_or_default(),
        ),
    );
    crate::modules::sys::extend(vm, d);
    m
}

/// A plain object carrying `pairs` as attributes (CPython uses struct sequences or
/// SimpleNamespace for these sys records).
fn attr_namespace(pairs: &[(&str, Value)]) -> Value {
    let obj = new_instance_of(&Value::from_borrowed(types().object), vec![]);
    // SAFETY: object() instances are `Instance`s with a dict.
    let inst = unsafe { obj.payload_unchecked::<crate::types::instance::Instance>() };
    if let Some(dd) = inst.dict.downcast::<DictObj>() {
        for (k, v) in pairs {
            dd.set_str(k, v.clone());
        }
    }
    obj
}

fn sys_getdefaultencoding(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(new_str("utf-8"))
}

fn sys_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "exit", a, 0, 1)?;
    let args = p.to_vec();
    Err(crate::vm::PyErr {
        exc: vm.new_exception(types().system_exit, args),
    })
}

fn sys_setrecursionlimit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "setrecursionlimit", a, 1, 1)?;
    let n = ops::to_isize(vm, &p[0])?;
    if n < 1 {
        return Err(vm.value_error("recursion limit must be greater or equal than 1"));
    }
    vm.recursion_limit = n.min(u32::MAX as i64) as u32;
    Ok(Value::none())
}

fn sys_getrecursionlimit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "getrecursionlimit", a, 0, 0)?;
    Ok(Value::int(vm.recursion_limit as i64))
}

fn sys_exc_info(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "exc_info", a, 0, 0)?;
    if vm.handled.is_null() {
        return Ok(TupleObj::new_value(vec![
            Value::none(),
            Value::none(),
            Value::none(),
        ]));
    }
    let e = vm.handled.clone();
    Ok(TupleObj::new_value(vec![e.type_of(), e, Value::none()]))
}

fn sys_intern(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "intern", a, 1, 1)?;
    Ok(p[0].clone())
}

fn sys_getrefcount(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "getrefcount", a, 1, 1)?;
    Ok(Value::int(crate::object::refcount(p[0].raw()).min(1 << 40)))
}

// ---- time ------------------------------------------------------------------------------------

fn make_time() -> Value {
    use super::time_calendar as cal;
    module_with(
        "_time",
        &[
            ("time", time_time),
            ("time_ns", time_time_ns),
            ("perf_counter", time_perf_counter),
            ("perf_counter_ns", time_perf_counter_ns),
            ("monotonic", time_perf_counter),
            ("monotonic_ns", time_perf_counter_ns),
            ("process_time", cal::process_time),
            ("gmtime", cal::gmtime),
            ("localtime", cal::localtime),
            ("mktime", cal::mktime),
            ("strftime", cal::strftime),
            ("zone_info", cal::zone_info),
            ("sleep", time_sleep),
        ],
    )
}

fn since_epoch() -> std::time::Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

fn start_instant() -> std::time::Instant {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *START.get_or_init(std::time::Instant::now)
}

fn time_time(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::float(since_epoch().as_secs_f64()))
}
fn time_time_ns(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::bigint(BigInt::from(since_epoch().as_nanos())))
}
fn time_perf_counter(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::float(start_instant().elapsed().as_secs_f64()))
}
fn time_perf_counter_ns(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::bigint(BigInt::from(
        start_instant().elapsed().as_nanos(),
    )))
}
fn time_sleep(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "sleep", a, 1, 1)?;
    let secs = match p[0].as_float() {
        Some(f) => f,
        None => match as_int(&p[0]).and_then(|i| i.to_f64()) {
            Some(f) => f,
            None => {
                let tn = type_name(&p[0]);
                return Err(
                    vm.type_error(format!("'{tn}' object cannot be interpreted as an integer"))
                );
            }
        },
    };
    if secs < 0.0 || secs.is_nan() {
        return Err(vm.value_error("sleep length must be non-negative"));
    }
    vm.flush_stdout();
    crate::thread_state::blocking(|| {
        std::thread::sleep(std::time::Duration::from_secs_f64(secs.min(1e9)))
    });
    Ok(Value::none())
}

// ---- math ------------------------------------------------------------------------------------

fn make_math() -> Value {
    let m = module_with(
        "math",
        &[
            ("sqrt", m_sqrt),
            ("exp", m_exp),
            ("log", m_log),
            ("log2", m_log2),
            ("log10", m_log10),
            ("log1p", m_log1p),
            ("expm1", m_expm1),
            ("sin", m_sin),
            ("cos", m_cos),
            ("tan", m_tan),
            ("asin", m_asin),
            ("acos", m_acos),
            ("atan", m_atan),
            ("atan2", m_atan2),
            ("sinh", m_sinh),
            ("cosh", m_cosh),
            ("tanh", m_tanh),
            ("asinh", m_asinh),
            ("acosh", m_acosh),
            ("atanh", m_atanh),
            ("floor", m_floor),
            ("ceil", m_ceil),
            ("trunc", m_trunc),
            ("fabs", m_fabs),
            ("factorial", m_factorial),
            ("gcd", m_gcd),
            ("lcm", m_lcm),
            ("isqrt", m_isqrt),
            ("pow", m_pow),
            ("hypot", m_hypot),
            ("isnan", m_isnan),
            ("isinf", m_isinf),
            ("isfinite", m_isfinite),
            ("copysign", m_copysign),
            ("fmod", m_fmod),
            ("modf", m_modf),
            ("frexp", m_frexp),
            ("ldexp", m_ldexp),
            ("degrees", m_degrees),
            ("radians", m_radians),
            ("comb", m_comb),
            ("perm", m_perm),
            ("prod", m_prod),
            ("fsum", m_fsum),
            ("isclose", m_isclose),
            ("dist", m_dist),
        ],
    );
    let d = mdict(&m);
    d.set_str("pi", Value::float(std::f64::consts::PI));
    d.set_str("e", Value::float(std::f64::consts::E));
    d.set_str("tau", Value::float(std::f64::consts::TAU));
    d.set_str("inf", Value::float(f64::INFINITY));
    d.set_str("nan", Value::float(f64::NAN));
    m
}

fn num(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    if let Some(f) = v.as_float() {
        return Ok(f);
    }
    if let Some(i) = as_int(v) {
        return i
            .to_f64()
            .ok_or_else(|| vm.overflow_error("int too large to convert to float"));
    }
    if let Some(f) = crate::vm::lookup_special(v, "__float__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        if let Some(x) = r.as_float() {
            return Ok(x);
        }
    }
    let tn = type_name(v);
    Err(vm.type_error(format!("must be real number, not {tn}")))
}

/// Apply a libm function with CPython's domain/range error mapping.
fn unary(vm: &mut Vm, a: &Args, name: &str, f: fn(f64) -> f64) -> PyResult<Value> {
    let p = posargs(vm, name, a, 1, 1)?;
    let x = num(vm, &p[0])?;
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(vm.value_error("math domain error"));
    }
    if r.is_infinite() && x.is_finite() {
        return Err(vm.overflow_error("math range error"));
    }
    Ok(Value::float(r))
}

macro_rules! unary_fns {
    ($($name:ident, $py:literal, $f:expr;)*) => {
        $(fn $name(vm: &mut Vm, a: &Args) -> PyResult<Value> { unary(vm, a, $py, $f) })*
    };
}

unary_fns! {
    m_exp, "exp", f64::exp;
    m_expm1, "expm1", f64::exp_m1;
    m_sin, "sin", f64::sin;
    m_cos, "cos", f64::cos;
    m_tan, "tan", f64::tan;
    m_asin, "asin", f64::asin;
    m_acos, "acos", f64::acos;
    m_atan, "atan", f64::atan;
    m_sinh, "sinh", f64::sinh;
    m_cosh, "cosh", f64::cosh;
    m_tanh, "tanh", f64::tanh;
    m_asinh, "asinh", f64::asinh;
    m_acosh, "acosh", f64::acosh;
    m_fabs, "fabs", f64::abs;
    m_degrees, "degrees", f64::to_degrees;
    m_radians, "radians", f64::to_radians;
}

fn m_sqrt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "sqrt", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    if x < 0.0 {
        return Err(vm.value_error("math domain error"));
    }
    Ok(Value::float(x.sqrt()))
}

fn m_atanh(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "atanh", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    if x.abs() >= 1.0 {
        return Err(vm.value_error("math domain error"));
    }
    Ok(Value::float(x.atanh()))
}

/// log of an int that may be too large for a float.
fn log_value(vm: &mut Vm, v: &Value, f: fn(f64) -> f64) -> PyResult<f64> {
    if let Some(i) = as_int(v)
        && !v.is_float()
    {
        let b = i.to_big();
        if b.is_negative() || b.is_zero() {
            return Err(vm.value_error("math domain error"));
        }
        if let Some(x) = b.to_f64().filter(|x| x.is_finite()) {
            return Ok(f(x));
        }
        // log(b) = log(b / 2^k) + k*log(2)
        let bits = b.bits() as i64;
        let k = bits - 60;
        let top = (&b >> k as usize).to_f64().unwrap_or(1.0);
        return Ok(f(top) + (k as f64) * f(2.0));
    }
    let x = num(vm, v)?;
    if x <= 0.0 {
        return Err(vm.value_error("math domain error"));
    }
    Ok(f(x))
}

fn m_log(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "log", a, 1, 2)?;
    let x = log_value(vm, &p[0], f64::ln)?;
    match p.get(1) {
        None => Ok(Value::float(x)),
        Some(b) => {
            let lb = log_value(vm, b, f64::ln)?;
            if lb == 0.0 {
                return Err(vm.zero_division("float division by zero"));
            }
            Ok(Value::float(x / lb))
        }
    }
}

fn m_log2(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "log2", a, 1, 1)?;
    Ok(Value::float(log_value(vm, &p[0], f64::log2)?))
}

fn m_log10(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "log10", a, 1, 1)?;
    Ok(Value::float(log_value(vm, &p[0], f64::log10)?))
}

fn m_log1p(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "log1p", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    if x <= -1.0 {
        return Err(vm.value_error("math domain error"));
    }
    Ok(Value::float(x.ln_1p()))
}

fn m_atan2(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "atan2", a, 2, 2)?;
    let (y, x) = (num(vm, &p[0])?, num(vm, &p[1])?);
    Ok(Value::float(y.atan2(x)))
}

fn to_int_rounded(vm: &mut Vm, v: &Value, name: &str, f: fn(f64) -> f64) -> PyResult<Value> {
    if let Some(i) = as_int(v) {
        return Ok(Value::bigint(i.to_big()));
    }
    if let Some(m) = crate::vm::lookup_special(v, &format!("__{name}__")) {
        return vm.call(&m, std::slice::from_ref(v));
    }
    let x = num(vm, v)?;
    if x.is_nan() {
        return Err(vm.value_error("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(vm.overflow_error("cannot convert float infinity to integer"));
    }
    Ok(super::numbers::float_to_int(f(x)))
}

fn m_floor(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "floor", a, 1, 1)?;
    to_int_rounded(vm, &p[0], "floor", f64::floor)
}
fn m_ceil(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "ceil", a, 1, 1)?;
    to_int_rounded(vm, &p[0], "ceil", f64::ceil)
}
fn m_trunc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "trunc", a, 1, 1)?;
    to_int_rounded(vm, &p[0], "trunc", f64::trunc)
}

fn int_arg(vm: &mut Vm, v: &Value, fname: &str) -> PyResult<BigInt> {
    if v.is_float() {
        let _ = fname;
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    ops::to_index(vm, v)
}

fn m_factorial(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "factorial", a, 1, 1)?;
    let n = int_arg(vm, &p[0], "factorial")?;
    if n.is_negative() {
        return Err(vm.value_error("factorial() not defined for negative values"));
    }
    let n = n.to_u64().unwrap_or(u64::MAX);
    if n > 100_000 {
        return Err(vm.overflow_error("factorial() argument should not exceed 100000"));
    }
    let mut r = BigInt::one();
    for i in 2..=n {
        r *= i;
    }
    Ok(Value::bigint(r))
}

fn m_gcd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "gcd", a, 0, usize::MAX)?;
    let mut g = BigInt::zero();
    for v in p {
        let x = int_arg(vm, v, "gcd")?;
        g = num_integer::Integer::gcd(&g, &x);
    }
    Ok(Value::bigint(g))
}

fn m_lcm(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "lcm", a, 0, usize::MAX)?;
    let mut l = BigInt::one();
    for v in p {
        let x = int_arg(vm, v, "lcm")?;
        if x.is_zero() {
            return Ok(Value::int(0));
        }
        l = num_integer::Integer::lcm(&l, &x);
    }
    Ok(Value::bigint(l))
}

fn m_isqrt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "isqrt", a, 1, 1)?;
    let n = int_arg(vm, &p[0], "isqrt")?;
    if n.is_negative() {
        return Err(vm.value_error("isqrt() argument must be nonnegative"));
    }
    Ok(Value::bigint(n.sqrt()))
}

fn m_pow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "pow", a, 2, 2)?;
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    if x == 0.0 && y < 0.0 {
        return Err(vm.value_error("math domain error"));
    }
    if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
        return Err(vm.value_error("math domain error"));
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(vm.overflow_error("math range error"));
    }
    Ok(Value::float(r))
}

fn m_hypot(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "hypot", a, 0, usize::MAX)?;
    let mut xs = vec![];
    for v in p {
        xs.push(num(vm, v)?);
    }
    Ok(Value::float(hypot(&xs)))
}

fn hypot(xs: &[f64]) -> f64 {
    if xs.len() == 2 {
        return xs[0].hypot(xs[1]);
    }
    let max = xs.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if max == 0.0 || max.is_infinite() {
        return max;
    }
    let s: f64 = xs.iter().map(|x| (x / max) * (x / max)).sum();
    max * s.sqrt()
}

fn m_dist(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "dist", a, 2, 2)?;
    let (x, y) = (ops::collect(vm, &p[0])?, ops::collect(vm, &p[1])?);
    if x.len() != y.len() {
        return Err(vm.value_error("both points must have the same number of dimensions"));
    }
    let mut d = vec![];
    for (u, v) in x.iter().zip(y.iter()) {
        d.push(num(vm, u)? - num(vm, v)?);
    }
    Ok(Value::float(hypot(&d)))
}

fn m_isnan(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "isnan", a, 1, 1)?;
    Ok(Value::bool(num(vm, &p[0])?.is_nan()))
}
fn m_isinf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "isinf", a, 1, 1)?;
    Ok(Value::bool(num(vm, &p[0])?.is_infinite()))
}
fn m_isfinite(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "isfinite", a, 1, 1)?;
    Ok(Value::bool(num(vm, &p[0])?.is_finite()))
}

fn m_copysign(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "copysign", a, 2, 2)?;
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    Ok(Value::float(x.copysign(y)))
}

fn m_fmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "fmod", a, 2, 2)?;
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    if y == 0.0 && !x.is_nan() {
        return Err(vm.value_error("math domain error"));
    }
    Ok(Value::float(x % y))
}

fn m_modf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "modf", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    let ip = x.trunc();
    let fp = if x.is_infinite() {
        0.0f64.copysign(x)
    } else {
        x - ip
    };
    Ok(TupleObj::new_value(vec![
        Value::float(fp),
        Value::float(ip),
    ]))
}

fn m_frexp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "frexp", a, 1, 1)?;
    let x = num(vm, &p[0])?;
    let (m, e) = crate::types::float::frexp(x);
    Ok(TupleObj::new_value(vec![
        Value::float(m),
        Value::int(e as i64),
    ]))
}

fn m_ldexp(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "ldexp", a, 2, 2)?;
    let x = num(vm, &p[0])?;
    let e = ops::to_isize(vm, &p[1])?;
    let r = x * 2f64.powi(e.clamp(-2000, 2000) as i32);
    if r.is_infinite() && x.is_finite() {
        return Err(vm.overflow_error("math range error"));
    }
    Ok(Value::float(r))
}

fn m_comb(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "comb", a, 2, 2)?;
    let n = int_arg(vm, &p[0], "comb")?;
    let k = int_arg(vm, &p[1], "comb")?;
    if n.is_negative() || k.is_negative() {
        return Err(vm.value_error(if n.is_negative() {
            "n must be a non-negative integer"
        } else {
            "k must be a non-negative integer"
        }));
    }
    if k > n {
        return Ok(Value::int(0));
    }
    let k = k.clone().min(&n - &k).to_u64().unwrap_or(0);
    let mut r = BigInt::one();
    for i in 0..k {
        r = r * (&n - i) / (i + 1);
    }
    Ok(Value::bigint(r))
}

fn m_perm(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "perm", a, 1, 2)?;
    let n = int_arg(vm, &p[0], "perm")?;
    let k = match p.get(1) {
        Some(k) if !k.is_none() => int_arg(vm, k, "perm")?,
        _ => n.clone(),
    };
    if n.is_negative() || k.is_negative() {
        return Err(vm.value_error(if n.is_negative() {
            "n must be a non-negative integer"
        } else {
            "k must be a non-negative integer"
        }));
    }
    if k > n {
        return Ok(Value::int(0));
    }
    let k = k.to_u64().unwrap_or(0);
    let mut r = BigInt::one();
    for i in 0..k {
        r *= &n - i;
    }
    Ok(Value::bigint(r))
}

fn m_prod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() != 1 {
        return Err(vm.type_error("prod() takes exactly one positional argument"));
    }
    let mut acc = a.get_kw("start").cloned().unwrap_or_else(|| Value::int(1));
    for x in ops::collect(vm, &p[0])? {
        acc = ops::binary_op(vm, &acc, &x, crate::compile::opcode::NB_MULTIPLY)?;
    }
    Ok(acc)
}

/// Exactly rounded float sum (Shewchuk's algorithm, as CPython's fsum).
fn m_fsum(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "fsum", a, 1, 1)?;
    let mut partials: Vec<f64> = vec![];
    let mut special = 0.0f64;
    let mut inf_sum = 0.0f64;
    for v in ops::collect(vm, &p[0])? {
        let mut x = num(vm, &v)?;
        if !x.is_finite() {
            if x.is_infinite() {
                inf_sum += x;
            }
            special += x;
            continue;
        }
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        partials.truncate(i);
        partials.push(x);
    }
    if special != 0.0 || special.is_nan() {
        if inf_sum.is_nan() {
            return Err(vm.value_error("-inf + inf in fsum"));
        }
        return Ok(Value::float(special));
    }
    let mut hi = 0.0;
    if let Some(mut n) = partials.len().checked_sub(1) {
        hi = partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(Value::float(hi))
}

fn m_isclose(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() != 2 {
        return Err(vm.type_error("isclose() takes exactly 2 positional arguments"));
    }
    let (x, y) = (num(vm, &p[0])?, num(vm, &p[1])?);
    let rel = match a.get_kw("rel_tol") {
        Some(v) => num(vm, v)?,
        None => 1e-9,
    };
    let abs_tol = match a.get_kw("abs_tol") {
        Some(v) => num(vm, v)?,
        None => 0.0,
    };
    if rel < 0.0 || abs_tol < 0.0 {
        return Err(vm.value_error("tolerances must be non-negative"));
    }
    if x == y {
        return Ok(Value::bool(true));
    }
    if x.is_infinite() || y.is_infinite() {
        return Ok(Value::bool(false));
    }
    let d = (x - y).abs();
    Ok(Value::bool(
        d <= (rel * y).abs() || d <= (rel * x).abs() || d <= abs_tol,
    ))
}

// ---- _os (the native half of os) ---------------------------------------------------------------

fn make_os() -> Value {
    module_with(
        "_os",
        &[
            ("environ", os_environ),
            ("getpid", os_getpid),
            ("getcwd", os_getcwd),
            ("listdir", os_listdir),
            ("stat_kind", os_stat_kind),
            ("cpu_count", os_cpu_count),
            ("read_text", os_read_text),
            ("write_text", os_write_text),
            ("mkdir", super::os_fs::mkdir),
            ("rmdir", super::os_fs::rmdir),
            ("unlink", super::os_fs::unlink),
            ("rename", super::os_fs::rename),
            ("stat", super::os_fs::stat),
            ("urandom", super::os_fs::urandom),
            ("read_bytes", super::os_fs::read_bytes),
            ("write_bytes", super::os_fs::write_bytes),
        ],
    )
}

fn os_environ(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    let d = DictObj::new();
    for (k, v) in std::env::vars() {
        d.set(vm, new_str(&k), new_str(&v))?;
    }
    Ok(Value::alloc(d))
}

fn os_getpid(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::int(std::process::id() as i64))
}

fn os_getcwd(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    match std::env::current_dir() {
        Ok(p) => Ok(new_str(&p.to_string_lossy())),
        Err(e) => Err(vm.err(types().os_error, e.to_string())),
    }
}

fn os_listdir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "listdir", a, 0, 1)?;
    let path = p.first().and_then(|v| as_str(v)).unwrap_or(".").to_string();
    match std::fs::read_dir(&path) {
        Ok(rd) => {
            let mut names: Vec<String> = rd
                .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
                .collect();
            names.sort();
            Ok(ListObj::new_value(
                names.iter().map(|n| new_str(n)).collect(),
            ))
        }
        Err(e) => Err(io_error(vm, &e, &path)),
    }
}

/// 0 missing, 1 file, 2 directory, 3 other.
fn os_stat_kind(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "stat_kind", a, 1, 1)?;
    let path = as_str(&p[0]).unwrap_or("").to_string();
    Ok(Value::int(match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => 1,
        Ok(m) if m.is_dir() => 2,
        Ok(_) => 3,
        Err(_) => 0,
    }))
}

fn os_cpu_count(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::int(
        std::thread::available_parallelism()
            .map(|n| n.get() as i64)
            .unwrap_or(1),
    ))
}

pub(super) fn io_error(vm: &mut Vm, e: &std::io::Error, path: &str) -> crate::vm::PyErr {
    let errno = e.raw_os_error().unwrap_or(0);
    let msg = strip_os_suffix(&e.to_string());
    let ty = match e.kind() {
        std::io::ErrorKind::NotFound => types().file_not_found_error,
        std::io::ErrorKind::PermissionDenied => types().permission_error,
        std::io::ErrorKind::AlreadyExists => types().file_exists_error,
        _ if errno == 21 => types().is_a_directory_error,
        _ if errno == 20 => types().not_a_directory_error,
        _ => types().os_error,
    };
    vm.err(ty, format!("[Errno {errno}] {msg}: '{path}'"))
}

fn strip_os_suffix(s: &str) -> String {
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

fn os_read_text(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "read_text", a, 1, 1)?;
    let path = as_str(&p[0]).unwrap_or("").to_string();
    match std::fs::read(&path) {
        Ok(b) => match String::from_utf8(b) {
            Ok(s) => Ok(new_str(&s.replace("\r\n", "\n"))),
            Err(_) => Err(vm.err(
                types().unicode_decode_error,
                format!("'utf-8' codec can't decode file '{path}'"),
            )),
        },
        Err(e) => Err(io_error(vm, &e, &path)),
    }
}

fn os_write_text(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "write_text", a, 3, 3)?;
    let path = as_str(&p[0]).unwrap_or("").to_string();
    let data = as_str(&p[1]).unwrap_or("").to_string();
    let append = p[2].is_true_singleton();
    use std::io::Write;
    let r = std::fs::OpenOptions::new()
        .create(true)
        .append(append)
        .write(true)
        .truncate(!append)
        .open(&path)
        .and_then(|mut f| f.write_all(data.as_bytes()));
    match r {
        Ok(()) => Ok(Value::none()),
        Err(e) => Err(io_error(vm, &e, &path)),
    }
}
