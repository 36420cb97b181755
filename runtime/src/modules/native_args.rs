//! Argument binding for native functions and types, with CPython's messages (those of
//! its Argument Clinic and `PyArg_UnpackTuple`), and small helpers to build modules.
use crate::builtins::add_method;
use crate::types::func::{NativeFn, new_builtin};
use crate::types::misc::PropertyObj;
use crate::types::module::ModuleObj;
use crate::value::Value;
use std::ffi::c_int;

use crate::ops;
use crate::vm::{Args, PyErr, PyResult, Vm};
use stitch_stencils::value::RawValue;

/// What [`bind`] answers: per parameter, the argument given for it (kept inline:
/// no allocation for up to 8 parameters).
pub type Bound<'a> = smallvec::SmallVec<[Option<&'a Value>; 8]>;

/// Bind `a` to the parameters `names` (positional-or-keyword; the first `required`
/// must be given; at most `max_pos` positionally), as an Argument Clinic function does.
pub fn bind<'a>(
    vm: &mut Vm,
    fname: &str,
    a: &Args<'a>,
    names: &[&str],
    required: usize,
    max_pos: usize,
) -> PyResult<Bound<'a>> {
    let p = a.pos();
    let mut out: Bound<'a> = smallvec::smallvec![None; names.len()];
    if p.len() > max_pos {
        let msg = if max_pos == names.len() && required == max_pos {
            format!(
                "{fname}() takes exactly {max_pos} argument{} ({} given)",
                if max_pos == 1 { "" } else { "s" },
                p.len()
            )
        } else {
            format!(
                "{fname}() takes at most {max_pos} argument{} ({} given)",
                if max_pos == 1 { "" } else { "s" },
                p.len()
            )
        };
        return Err(vm.type_error(msg));
    }
    // More arguments than parameters: Argument Clinic's count error, before any
    // keyword is looked at ("keyword" when all came by keyword).
    let total = p.len() + a.kwnames.len();
    if total > names.len() {
        let max = names.len();
        return Err(vm.type_error(format!(
            "{fname}() takes at most {max} {}argument{} ({total} given)",
            if p.is_empty() { "keyword " } else { "" },
            if max == 1 { "" } else { "s" }
        )));
    }
    for (i, v) in p.iter().enumerate() {
        out[i] = Some(v);
    }
    for (k, v) in a.kw() {
        match names.iter().position(|n| *n == k) {
            Some(i) if out[i].is_none() => out[i] = Some(v),
            Some(i) => {
                return Err(vm.type_error(format!(
                    "argument for {fname}() given by name ('{k}') and position ({})",
                    i + 1
                )));
            }
            None => {
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for {fname}()"
                )));
            }
        }
    }
    for (i, n) in names.iter().enumerate().take(required) {
        if out[i].is_none() {
            return Err(vm.type_error(format!(
                "{fname}() missing required argument '{n}' (pos {})",
                i + 1
            )));
        }
    }
    Ok(out)
}

/// `PyArg_UnpackTuple`: between `min` and `max` positional arguments, no keywords
/// (`kw_name` names the function in the keyword error, e.g. "cycle()").
pub fn unpack<'a>(
    vm: &mut Vm,
    fname: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<&'a [Value]> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{fname}() takes no keyword arguments")));
    }
    positional(vm, fname, a.pos(), min, max)
}

/// `unpack` for the `__new__` of a type taking no keywords, building an instance of
/// `cls`: a subclass overriding `__init__` may be given keywords, which are its
/// `__init__`'s (CPython 3.11's `tp_init` test).
pub fn unpack_new<'a>(
    vm: &mut Vm,
    fname: &str,
    cls: &Value,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<&'a [Value]> {
    no_kw_new(vm, fname, cls, a)?;
    positional(vm, fname, a.pos(), min, max)
}

/// `no_kw` for a `__new__` building an instance of `cls` (see `unpack_new`).
pub fn no_kw_new(vm: &mut Vm, fname: &str, cls: &Value, a: &Args) -> PyResult<()> {
    if crate::builtins::subclass::overrides_init(cls) {
        return Ok(());
    }
    no_kw(vm, fname, a)
}

/// The count check of `PyArg_UnpackTuple` alone.
pub fn positional<'a>(
    vm: &mut Vm,
    fname: &str,
    p: &'a [Value],
    min: usize,
    max: usize,
) -> PyResult<&'a [Value]> {
    let n = p.len();
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    if n < min || n > max {
        let msg = if min == max {
            format!("{fname} expected {min} argument{}, got {n}", plural(min))
        } else if n < min {
            format!(
                "{fname} expected at least {min} argument{}, got {n}",
                plural(min)
            )
        } else {
            format!(
                "{fname} expected at most {max} argument{}, got {n}",
                plural(max)
            )
        };
        return Err(vm.type_error(msg));
    }
    Ok(p)
}

/// No keyword arguments allowed.
pub fn no_kw(vm: &mut Vm, fname: &str, a: &Args) -> PyResult<()> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{fname}() takes no keyword arguments")));
    }
    Ok(())
}

/// The receiver of a method and its other positional arguments (count-checked like
/// `PyArg_UnpackTuple`, keywords refused).
pub fn this<'a>(
    vm: &mut Vm,
    fname: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<(&'a Value, &'a [Value])> {
    // The hot path of every native method call: a few compares, with the messages out
    // of line (formatting them inline made each call spill and reload around them).
    if !a.has_kw()
        && let Some((s, rest)) = a.pos().split_first()
        && rest.len() >= min
        && rest.len() <= max
    {
        return Ok((s, rest));
    }
    Err(this_error(vm, fname, a, min, max))
}

/// Why [`this`] refused its arguments.
#[cold]
#[inline(never)]
fn this_error(vm: &mut Vm, fname: &str, a: &Args, min: usize, max: usize) -> PyErr {
    if a.has_kw() {
        return vm.type_error(format!("{fname}() takes no keyword arguments"));
    }
    let Some((_, rest)) = a.pos().split_first() else {
        return vm.type_error(format!("descriptor '{fname}' needs an argument"));
    };
    let n = rest.len();
    let msg = match (min, max) {
        (0, 0) => format!("{fname}() takes no arguments ({n} given)"),
        (1, 1) => format!("{fname}() takes exactly one argument ({n} given)"),
        _ if min == max => format!("{fname} expected {min} arguments, got {n}"),
        _ if n < min => format!(
            "{fname} expected at least {min} argument{}, got {n}",
            if min == 1 { "" } else { "s" }
        ),
        _ => format!(
            "{fname} expected at most {max} argument{}, got {n}",
            if max == 1 { "" } else { "s" }
        ),
    };
    vm.type_error(msg)
}

/// A module object holding the given functions.
pub fn module(name: &'static str, fns: &[(&'static str, NativeFn)]) -> Value {
    let m = crate::import::new_module(name, None);
    for (n, f) in fns {
        set(&m, n, crate::types::func::new_module_builtin(n, *f, name));
    }
    m
}

/// Set a module attribute.
pub fn set(m: &Value, name: &str, v: Value) {
    // SAFETY: callers pass module objects (made by `module`).
    unsafe { m.payload_unchecked::<ModuleObj>() }
        .dict()
        .set_str(name, v);
}

/// Add methods to a native type.
pub fn methods(t: &Value, ms: &[(&'static str, NativeFn)]) {
    for (n, f) in ms {
        add_method(t.raw(), n, *f);
    }
}

/// Add a read-only (or, with `set`, writable) attribute computed by native code.
pub fn getset(t: &Value, name: &'static str, get: NativeFn, set: Option<NativeFn>) {
    let g = new_builtin(name, get);
    crate::object::make_immortal(g.raw());
    let s = match set {
        Some(f) => {
            let v = new_builtin(name, f);
            crate::object::make_immortal(v.raw());
            v
        }
        None => Value::none(),
    };
    let p = Value::alloc(PropertyObj::new(g, s, Value::none(), Value::none()));
    crate::object::make_immortal(p.raw());
    crate::types::class::type_data_raw(t.raw())
        .dict
        .set_str(name, p);
}

/// `getset` with a deleter too (`del obj.name`).
pub fn getset_del(t: &Value, name: &'static str, get: NativeFn, set: NativeFn, del: NativeFn) {
    let [g, s, d] = [get, set, del].map(|f| {
        let v = new_builtin(name, f);
        crate::object::make_immortal(v.raw());
        v
    });
    let p = Value::alloc(PropertyObj::new(g, s, d, Value::none()));
    crate::object::make_immortal(p.raw());
    crate::types::class::type_data_raw(t.raw())
        .dict
        .set_str(name, p);
}

/// Put a plain value (such as `__hash__ = None`) in a native type's dict.
pub fn attr(t: &Value, name: &str, v: Value) {
    crate::types::class::type_data_raw(t.raw())
        .dict
        .set_str(name, v);
}

/// `__new__` in a type dict: a static function taking the class first.
pub fn static_new(t: &Value, f: NativeFn) {
    crate::builtins::add_static(t.raw(), "__new__", f);
}

/// Raw value of the `object` type (the usual base of native types).
pub fn object_type() -> RawValue {
    crate::world::types().object
}

/// `obj.__class__.__name__`, for reprs that name a subclass.
pub fn type_name(v: &Value) -> String {
    v.type_data().name.clone()
}

/// A native method's receiver and the arguments after it; with no receiver, the
/// `TypeError` CPython gives for a method descriptor called bare
/// (`descriptor 'NAME' needs an argument`).
pub fn receiver<'a>(vm: &mut Vm, method: &str, a: &Args<'a>) -> PyResult<(&'a Value, Args<'a>)> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{method}' needs an argument")));
    };
    Ok((
        s,
        Args {
            args: &a.args[1..],
            kwnames: a.kwnames,
        },
    ))
}

/// The `__new__` slot's class argument checked as a subtype of `base` and its args.
pub fn new_args<'a>(vm: &mut Vm, a: &Args<'a>, base: RawValue) -> PyResult<(Value, Args<'a>)> {
    let Some(cls) = a.pos().first() else {
        return Err(vm.type_error("__new__(): not enough arguments"));
    };
    match crate::types::class::as_type(cls) {
        Some(td) if td.is_subtype_raw(base) => {}
        _ => {
            let n = crate::types::class::type_data_raw(base).name.clone();
            return Err(vm.type_error(format!("{n}.__new__(X): X is not a subtype of {n}")));
        }
    }
    Ok((
        cls.clone(),
        Args {
            args: &a.args[1..],
            kwnames: a.kwnames,
        },
    ))
}

/// A C `int` argument (Argument Clinic's `int` converter), `default` when absent.
pub fn int_arg(vm: &mut Vm, v: Option<&Value>, default: c_int) -> PyResult<c_int> {
    let Some(v) = v else { return Ok(default) };
    if v.is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = ops::to_index(vm, v)?;
    match i32::try_from(&n) {
        Ok(i) => Ok(i),
        Err(_) if n < 0.into() => Err(vm.overflow_error("signed integer is less than minimum")),
        Err(_) => Err(vm.overflow_error("signed integer is greater than maximum")),
    }
}

/// A `Py_ssize_t` argument (Argument Clinic's converter), `default` when absent.
pub fn ssize_arg(vm: &mut Vm, v: Option<&Value>, default: i64) -> PyResult<i64> {
    let Some(v) = v else { return Ok(default) };
    if v.is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = ops::to_index(vm, v)?;
    i64::try_from(&n).map_err(|_| vm.overflow_error("Python int too large to convert to C ssize_t"))
}
