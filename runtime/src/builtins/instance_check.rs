//! `isinstance` / `issubclass` as CPython's `Objects/abstract.c` runs them: the quick
//! exact-type test, tuples (and unions) of classes, `__instancecheck__` /
//! `__subclasscheck__` found on the class's type, and, for objects that only pretend to
//! be classes or instances, the `__bases__` / `__class__` protocol
//! (`abstract_issubclass`). `type.__instancecheck__` / `type.__subclasscheck__` are the
//! real checks that metaclasses reach through `super()`.

use super::{add_method, method_args};
use crate::ops;
use crate::types::class::as_type;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, lookup_special};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    add_method(t.type_, "__instancecheck__", type_instancecheck);
    add_method(t.type_, "__subclasscheck__", type_subclasscheck);
}

fn type_instancecheck(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, r) = method_args(vm, "__instancecheck__", a, 1, 1)?;
    Ok(Value::bool(object_isinstance(vm, &r[0], cls)?))
}

fn type_subclasscheck(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, r) = method_args(vm, "__subclasscheck__", a, 1, 1)?;
    Ok(Value::bool(recursive_issubclass(vm, &r[0], cls)?))
}

/// Is `cls` exactly of type `type` (whose checks are known, so no hook is looked up)?
fn is_plain_type(cls: &Value) -> bool {
    cls.is_ptr() && cls.type_raw() == types().type_
}

/// `getattr(obj, name)` with AttributeError meaning "absent" (CPython's
/// `_PyObject_LookupAttr`); other errors propagate.
fn lookup_attr(vm: &mut Vm, obj: &Value, name: &str) -> PyResult<Option<Value>> {
    match ops::getattr_opt(vm, obj, name) {
        Ok(v) => Ok(v),
        Err(e) if vm.err_matches(&e, types().attribute_error) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A special method found on `type(obj)`, bound to `obj`.
fn bound_special(vm: &mut Vm, obj: &Value, name: &str) -> PyResult<Option<Value>> {
    match lookup_special(obj, name) {
        Some(f) => {
            let owner = obj.type_of();
            ops::bind_descriptor(vm, f, obj, &owner).map(Some)
        }
        None => Ok(None),
    }
}

/// `isinstance(obj, cls_or_tuple)`.
pub fn isinstance(vm: &mut Vm, obj: &Value, cls: &Value) -> PyResult<bool> {
    if obj.type_raw() == cls.raw() {
        return Ok(true);
    }
    if is_plain_type(cls) {
        return object_isinstance(vm, obj, cls);
    }
    // Unions answer through their own `__instancecheck__` / `__subclasscheck__`.
    if let Some(t) = cls.downcast::<TupleObj>() {
        let items = t.items.to_vec();
        vm.enter_recursive(" in __instancecheck__")?;
        let mut r = Ok(false);
        for c in &items {
            r = isinstance(vm, obj, c);
            if !matches!(r, Ok(false)) {
                break;
            }
        }
        vm.leave_recursive();
        return r;
    }
    if let Some(checker) = bound_special(vm, cls, "__instancecheck__")? {
        vm.enter_recursive(" in __instancecheck__")?;
        let r = vm.call(&checker, std::slice::from_ref(obj));
        vm.leave_recursive();
        let r = r?;
        return ops::truthy(vm, &r);
    }
    object_isinstance(vm, obj, cls)
}

/// `type.__instancecheck__`: the real check, with `__class__` consulted when it differs
/// from the type (proxies), and `__bases__` for classes that are not types.
fn object_isinstance(vm: &mut Vm, obj: &Value, cls: &Value) -> PyResult<bool> {
    if as_type(cls).is_some() {
        if obj.type_data().is_subtype_raw(cls.raw()) {
            return Ok(true);
        }
        let Some(icls) = lookup_attr(vm, obj, "__class__")? else {
            return Ok(false);
        };
        if !icls.is(&obj.type_of()) && as_type(&icls).is_some() {
            return Ok(crate::types::class::is_subclass(&icls, cls));
        }
        return Ok(false);
    }
    check_class(
        vm,
        cls,
        "isinstance() arg 2 must be a type, a tuple of types, or a union",
    )?;
    match lookup_attr(vm, obj, "__class__")? {
        Some(icls) => abstract_issubclass(vm, &icls, cls),
        None => Ok(false),
    }
}

/// `issubclass(sub, cls_or_tuple)`.
pub fn issubclass(vm: &mut Vm, sub: &Value, cls: &Value) -> PyResult<bool> {
    if is_plain_type(cls) {
        if sub.is(cls) {
            return Ok(true);
        }
        return recursive_issubclass(vm, sub, cls);
    }
    // Unions answer through their own `__instancecheck__` / `__subclasscheck__`.
    if let Some(t) = cls.downcast::<TupleObj>() {
        let items = t.items.to_vec();
        vm.enter_recursive(" in __subclasscheck__")?;
        let mut r = Ok(false);
        for c in &items {
            r = issubclass(vm, sub, c);
            if !matches!(r, Ok(false)) {
                break;
            }
        }
        vm.leave_recursive();
        return r;
    }
    if let Some(checker) = bound_special(vm, cls, "__subclasscheck__")? {
        vm.enter_recursive(" in __subclasscheck__")?;
        let r = vm.call(&checker, std::slice::from_ref(sub));
        vm.leave_recursive();
        let r = r?;
        return ops::truthy(vm, &r);
    }
    recursive_issubclass(vm, sub, cls)
}

/// `type.__subclasscheck__`: the MRO for real classes, `__bases__` otherwise.
fn recursive_issubclass(vm: &mut Vm, sub: &Value, cls: &Value) -> PyResult<bool> {
    if as_type(cls).is_some() && as_type(sub).is_some() {
        return Ok(crate::types::class::is_subclass(sub, cls));
    }
    check_class(vm, sub, "issubclass() arg 1 must be a class")?;
    check_class(
        vm,
        cls,
        "issubclass() arg 2 must be a class, a tuple of classes, or a union",
    )?;
    abstract_issubclass(vm, sub, cls)
}

/// `cls.__bases__` when it is a tuple.
fn abstract_get_bases(vm: &mut Vm, cls: &Value) -> PyResult<Option<Vec<Value>>> {
    Ok(lookup_attr(vm, cls, "__bases__")?
        .and_then(|b| b.downcast_exact::<TupleObj>().map(|t| t.items.to_vec())))
}

/// Anything with a tuple `__bases__` counts as a class.
fn check_class(vm: &mut Vm, cls: &Value, msg: &str) -> PyResult<()> {
    match abstract_get_bases(vm, cls)? {
        Some(_) => Ok(()),
        None => Err(vm.type_error(msg)),
    }
}

/// Walk `__bases__` from `derived` looking for `cls` (by identity).
fn abstract_issubclass(vm: &mut Vm, derived: &Value, cls: &Value) -> PyResult<bool> {
    let mut derived = derived.clone();
    let bases = loop {
        if derived.is(cls) {
            return Ok(true);
        }
        let Some(bases) = abstract_get_bases(vm, &derived)? else {
            return Ok(false);
        };
        match bases.len() {
            0 => return Ok(false),
            // Single inheritance walks without recursing.
            1 => derived = bases[0].clone(),
            _ => break bases,
        }
    };
    vm.enter_recursive(" in __subclasscheck__")?;
    let mut r = Ok(false);
    for b in &bases {
        r = abstract_issubclass(vm, b, cls);
        if !matches!(r, Ok(false)) {
            break;
        }
    }
    vm.leave_recursive();
    r
}
