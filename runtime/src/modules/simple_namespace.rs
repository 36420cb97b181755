//! `types.SimpleNamespace` (CPython's `namespace` type): an object whose attributes are
//! its constructor's keywords. The Lib's `types.py` finds it as
//! `type(sys.implementation)`, and `time.get_clock_info`, `argparse.Namespace`'s users
//! and asyncio's loops build them.
//!
//! It is a class with native methods (`native_class.rs`): instances keep their
//! attributes in the ordinary instance dict, which the collector already traverses.
use std::sync::OnceLock;

use stitch_stencils::value::RawValue;

use super::native_class::{self, dict_of};
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

static CLASS: OnceLock<u64> = OnceLock::new();

/// The `SimpleNamespace` class, created on first use.
pub fn class(vm: &mut Vm) -> PyResult<Value> {
    if let Some(c) = CLASS.get() {
        return Ok(Value::from_borrowed(RawValue(*c)));
    }
    let c = native_class::new(
        vm,
        "types",
        "SimpleNamespace",
        &[
            ("__init__", ns_init),
            ("__repr__", ns_repr),
            ("__eq__", ns_eq),
            ("__reduce__", ns_reduce),
        ],
    )?;
    // Namespaces compare by value, so they are unhashable.
    super::native_args::attr(&c, "__hash__", Value::none());
    let _ = CLASS.set(c.bits());
    Ok(Value::from_borrowed(RawValue(
        *CLASS.get().expect("set above"),
    )))
}

/// A namespace holding `pairs`.
pub fn new(vm: &mut Vm, pairs: &[(&str, Value)]) -> PyResult<Value> {
    let c = class(vm)?;
    let obj = vm.call(&c, &[])?;
    if let Some(d) = dict_of(&obj) {
        for (k, v) in pairs {
            d.set_str(k, v.clone());
        }
    }
    Ok(obj)
}

fn is_namespace(v: &Value) -> bool {
    CLASS
        .get()
        .is_some_and(|c| v.is_ptr() && v.type_data().is_subtype_raw(RawValue(*c)))
}

fn ns_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() > 1 {
        return Err(vm.type_error("no positional arguments expected"));
    }
    let Some(d) = p.first().and_then(dict_of) else {
        return Err(
            vm.type_error("descriptor '__init__' requires a 'types.SimpleNamespace' object")
        );
    };
    for (k, v) in a.kw() {
        d.set_str(k, v.clone());
    }
    Ok(Value::none())
}

fn ns_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.pos().first().filter(|s| is_namespace(s)) else {
        return Err(
            vm.type_error("descriptor '__repr__' requires a 'types.SimpleNamespace' object")
        );
    };
    let exact = CLASS.get().is_some_and(|c| s.type_raw().0 == *c);
    let name = if exact {
        "namespace".to_string()
    } else {
        s.type_data().name.clone()
    };
    let items = dict_of(s).map(|d| d.items()).unwrap_or_default();
    let r = crate::ops::repr_guard(vm, s, &format!("{name}(...)"), |vm| {
        let mut parts = Vec::with_capacity(items.len());
        for (k, v) in &items {
            if let Some(k) = as_str(k) {
                parts.push(format!("{k}={}", crate::ops::repr(vm, v)?));
            }
        }
        Ok(format!("{name}({})", parts.join(", ")))
    })?;
    Ok(new_string(r.unwrap_or_else(|e| e)))
}

fn ns_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() != 2 {
        return Err(vm.type_error("expected 1 argument"));
    }
    if !is_namespace(&p[0]) || !is_namespace(&p[1]) {
        return Ok(Value::not_implemented());
    }
    let (x, y) = (
        crate::ops::getattr_str(vm, &p[0], "__dict__")?,
        crate::ops::getattr_str(vm, &p[1], "__dict__")?,
    );
    Ok(Value::bool(vm.eq(&x, &y)?))
}

fn ns_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("descriptor '__reduce__' needs an argument"));
    };
    let d = crate::ops::getattr_str(vm, s, "__dict__")?;
    Ok(TupleObj::new_value(vec![
        s.type_of(),
        TupleObj::new_value(vec![]),
        d,
    ]))
}
