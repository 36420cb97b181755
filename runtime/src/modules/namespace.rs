//! `types.SimpleNamespace`: the class of `sys.implementation` and of
//! `time.get_clock_info()`'s results. The Lib's `types` module finds it as
//! `type(sys.implementation)`, so it must exist before any Python code runs: `make_sys`
//! builds it. A plain class (made by `type()`) whose instances keep their attributes
//! in their `__dict__`, with CPython's constructor, repr, equality and pickling.
use crate::modules::native_args::this;
use crate::modules::native_class;
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use std::sync::atomic::{AtomicU64, Ordering};

/// The class, once `make_sys` made it (immortal, so its bits stay valid).
static CLASS: AtomicU64 = AtomicU64::new(0);

/// Make the class (once, when `sys` is built).
pub fn make_class(vm: &mut Vm) -> PyResult<Value> {
    let cls = native_class::new(
        vm,
        "types",
        "SimpleNamespace",
        &[
            ("__init__", init),
            ("__repr__", repr),
            ("__eq__", eq),
            ("__reduce__", reduce),
        ],
    )?;
    // Defining `__eq__` without `__hash__` makes instances unhashable (type_new's rule).
    crate::types::class::type_data_raw(cls.raw())
        .dict
        .set_str("__hash__", Value::none());
    CLASS.store(cls.raw().0, Ordering::Release);
    Ok(cls)
}

/// The class (`types.SimpleNamespace`).
pub fn class() -> Option<Value> {
    match CLASS.load(Ordering::Acquire) {
        0 => None,
        bits => Some(Value::from_borrowed(stitch_stencils::value::RawValue(bits))),
    }
}

/// A namespace with the given attributes (for native code: `sys.implementation`).
pub fn new(vm: &mut Vm, pairs: &[(&str, Value)]) -> PyResult<Value> {
    let Some(cls) = class() else {
        return Err(vm.runtime_error("types.SimpleNamespace is not made yet"));
    };
    let ns = vm.call(&cls, &[])?;
    for (k, v) in pairs {
        ops::generic_setattr(vm, &ns, k, v.clone())?;
    }
    Ok(ns)
}

fn is_namespace(v: &Value) -> bool {
    class().is_some_and(|c| v.is_ptr() && v.type_data().is_subtype_raw(c.raw()))
}

/// `SimpleNamespace(**kwargs)`: keyword arguments only, each an attribute.
fn init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.args.first() else {
        return Err(vm.type_error("descriptor '__init__' needs an argument"));
    };
    if a.pos().len() > 1 {
        return Err(vm.type_error("no positional arguments expected"));
    }
    for (k, v) in a.kw() {
        ops::generic_setattr(vm, s, k, v.clone())?;
    }
    Ok(Value::none())
}

/// The instance's `__dict__` (a fresh empty one if it has none).
fn dict_of(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    match ops::getattr_opt(vm, v, "__dict__")? {
        Some(d) if d.downcast::<DictObj>().is_some() => Ok(d),
        _ => Ok(DictObj::new_value()),
    }
}

/// `namespace(a=1, b=2)` (a subclass shows its own name), `namespace(...)` when the
/// namespace contains itself.
fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__repr__", a, 0, 0)?;
    let td = s.type_data();
    let exact =
        class().is_some_and(|c| std::ptr::eq(td, crate::types::class::type_data_raw(c.raw())));
    let name = if exact {
        "namespace".to_string()
    } else {
        td.name.clone()
    };
    let d = dict_of(vm, s)?;
    let items = d
        .downcast::<DictObj>()
        .map(|d| d.items())
        .unwrap_or_default();
    let parts = ops::repr_guard(vm, s, "...", |vm| {
        let mut parts = Vec::with_capacity(items.len());
        for (k, v) in &items {
            if let Some(k) = as_str(k) {
                parts.push(format!("{k}={}", ops::repr(vm, v)?));
            }
        }
        Ok(parts)
    })?;
    let body = match parts {
        Ok(p) => p.join(", "),
        Err(rec) => rec,
    };
    Ok(new_string(format!("{name}({body})")))
}

/// Equal when both are namespaces with equal `__dict__`s.
fn eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "__eq__", a, 1, 1)?;
    if !is_namespace(s) || !is_namespace(&r[0]) {
        return Ok(Value::not_implemented());
    }
    let (x, y) = (dict_of(vm, s)?, dict_of(vm, &r[0])?);
    Ok(Value::bool(vm.eq(&x, &y)?))
}

/// `(type(self), (), self.__dict__)`.
fn reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__reduce__", a, 0, 0)?;
    let cls = s.type_of();
    let d = dict_of(vm, s)?;
    Ok(TupleObj::from_iter([cls, TupleObj::from_iter([]), d]))
}
