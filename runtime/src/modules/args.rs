//! Argument binding for native module functions, with the error messages CPython's
//! Argument Clinic produces (`stat() missing required argument 'path' (pos 1)`,
//! `'x' is an invalid keyword argument for stat()`, `read expected 2 arguments, got 1`),
//! so programs that print a TypeError see CPython's text.
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// Binds positional and keyword arguments to `names`: the first `npos` may be given by
/// position, the rest only by keyword; the first `nreq` are required. Returns one slot
/// per name.
pub fn bind<'a>(
    vm: &mut Vm,
    fname: &str,
    a: &Args<'a>,
    names: &[&str],
    npos: usize,
    nreq: usize,
) -> PyResult<Vec<Option<&'a Value>>> {
    let p = a.pos();
    let mut out: Vec<Option<&'a Value>> = vec![None; names.len()];
    if p.len() > npos {
        let how = if nreq == npos { "exactly" } else { "at most" };
        let msg = if npos == 0 {
            format!("{fname}() takes no positional arguments")
        } else {
            format!(
                "{fname}() takes {how} {npos} positional argument{} ({} given)",
                if npos == 1 { "" } else { "s" },
                p.len()
            )
        };
        return Err(vm.type_error(msg));
    }
    for (i, v) in p.iter().enumerate() {
        out[i] = Some(v);
    }
    for (k, v) in a.kw() {
        match names.iter().position(|n| *n == k) {
            Some(i) if out[i].is_some() => {
                return Err(vm.type_error(format!(
                    "argument for {fname}() given by name ('{k}') and position ({})",
                    i + 1
                )));
            }
            Some(i) => out[i] = Some(v),
            None => {
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for {fname}()"
                )));
            }
        }
    }
    for i in 0..nreq {
        if out[i].is_none() {
            return Err(vm.type_error(format!(
                "{fname}() missing required argument '{}' (pos {})",
                names[i],
                i + 1
            )));
        }
    }
    Ok(out)
}

/// Positional-only arguments checked as Clinic's `_PyArg_CheckPositional` does
/// (`read expected 2 arguments, got 1`).
pub fn positional<'a>(
    vm: &mut Vm,
    fname: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<&'a [Value]> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{fname}() takes no keyword arguments")));
    }
    let p = a.pos();
    if p.len() < min || p.len() > max {
        let (how, n) = if min == max {
            ("", min)
        } else if p.len() < min {
            ("at least ", min)
        } else {
            ("at most ", max)
        };
        return Err(vm.type_error(format!(
            "{fname} expected {how}{n} argument{}, got {}",
            if n == 1 { "" } else { "s" },
            p.len()
        )));
    }
    Ok(p)
}

/// A function of no arguments (`posix.getpid() takes no arguments (1 given)`).
pub fn none(vm: &mut Vm, qualname: &str, a: &Args) -> PyResult<()> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{qualname}() takes no keyword arguments")));
    }
    if !a.pos().is_empty() {
        return Err(vm.type_error(format!(
            "{qualname}() takes no arguments ({} given)",
            a.pos().len()
        )));
    }
    Ok(())
}

/// A function of exactly one positional argument
/// (`posix.umask() takes exactly one argument (0 given)`).
pub fn one<'a>(vm: &mut Vm, qualname: &str, a: &Args<'a>) -> PyResult<&'a Value> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{qualname}() takes no keyword arguments")));
    }
    match a.pos() {
        [v] => Ok(v),
        p => Err(vm.type_error(format!(
            "{qualname}() takes exactly one argument ({} given)",
            p.len()
        ))),
    }
}

/// Exactly `n` positional arguments (`kill() takes exactly 2 arguments (1 given)`).
pub fn exactly<'a>(vm: &mut Vm, fname: &str, a: &Args<'a>, n: usize) -> PyResult<&'a [Value]> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{fname}() takes no keyword arguments")));
    }
    let p = a.pos();
    if p.len() != n {
        return Err(vm.type_error(format!(
            "{fname}() takes exactly {n} arguments ({} given)",
            p.len()
        )));
    }
    Ok(p)
}

/// An integer argument as i64 (`'str' object cannot be interpreted as an integer`;
/// OverflowError past 64 bits). Accepts bools and objects with `__index__`.
pub fn int(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if let Some(i) = v.as_small_int() {
        return Ok(i);
    }
    if let Some(i) = crate::types::int::as_int(v) {
        return match i.to_i64() {
            Some(i) => Ok(i),
            None => Err(vm.overflow_error("Python int too large to convert to C long")),
        };
    }
    if let Some(f) = crate::vm::lookup_special(v, "__index__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        if crate::types::int::as_int(&r).is_some() {
            return int(vm, &r);
        }
        let tn = crate::builtins::type_name(&r);
        return Err(vm.type_error(format!("__index__ returned non-int (type {tn})")));
    }
    let tn = crate::builtins::type_name(v);
    Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
}

/// An integer argument that must fit a C int (`signed integer is greater than maximum`).
pub fn c_int(vm: &mut Vm, v: &Value) -> PyResult<i32> {
    let i = int(vm, v)?;
    if i > i32::MAX as i64 {
        return Err(vm.overflow_error("signed integer is greater than maximum"));
    }
    if i < i32::MIN as i64 {
        return Err(vm.overflow_error("signed integer is less than minimum"));
    }
    Ok(i as i32)
}

/// A truth value of an optional argument, `default` when absent.
pub fn flag(vm: &mut Vm, v: Option<&Value>, default: bool) -> PyResult<bool> {
    match v {
        Some(v) => crate::ops::truthy(vm, v),
        None => Ok(default),
    }
}

/// A number of seconds (int or float, or an object with `__float__`/`__index__`).
pub fn seconds(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    if let Some(f) = v.as_float() {
        return Ok(f);
    }
    if let Some(i) = crate::types::int::as_int(v) {
        return match i.to_f64() {
            Some(f) => Ok(f),
            None => Err(vm.overflow_error("timestamp too large to convert to C _PyTime_t")),
        };
    }
    if let Some(f) = crate::vm::lookup_special(v, "__float__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        if let Some(x) = r.as_float() {
            return Ok(x);
        }
    }
    let tn = crate::builtins::type_name(v);
    Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
}

/// Sets `name` in a module dict.
pub fn set(m: &Value, name: &str, v: Value) {
    // SAFETY: callers pass module objects (made by `new_module`).
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    d.set_str(name, v);
}

/// A module with native functions (each a builtin function named as its key).
pub fn module(name: &'static str, fns: &[(&'static str, crate::types::func::NativeFn)]) -> Value {
    let m = crate::import::new_module(name, None);
    for (n, f) in fns {
        set(&m, n, crate::types::func::new_module_builtin(n, *f, name));
    }
    m
}

/// Integer constants of a module.
pub fn consts(m: &Value, items: &[(&str, i64)]) {
    for (n, v) in items {
        set(m, n, Value::int(*v));
    }
}
