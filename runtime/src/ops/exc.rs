//! Raising and matching exceptions, and the `with` protocol.
use crate::types::class::{as_type, is_subclass};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm, receiver_first};

pub fn is_exception_class(v: &Value) -> bool {
    as_type(v).is_some_and(|t| t.is_exception)
}

pub fn is_exception_instance(v: &Value) -> bool {
    v.type_data().is_exception && as_type(v).is_none()
}

/// The exception object `raise e` raises: instantiate classes, check instances.
pub fn make_exception(vm: &mut Vm, e: &Value) -> PyResult<Value> {
    if is_exception_instance(e) {
        return Ok(e.clone());
    }
    if is_exception_class(e) {
        let inst = vm.call(e, &[])?;
        if !is_exception_instance(&inst) {
            let tn = inst.type_data().name.clone();
            return Err(vm.type_error(format!(
                "calling {} should have returned an instance of BaseException, not {tn}",
                crate::ops::debug_repr(e)
            )));
        }
        return Ok(inst);
    }
    Err(vm.type_error("exceptions must derive from BaseException"))
}

pub fn make_exception_cause(vm: &mut Vm, c: &Value) -> PyResult<Value> {
    if is_exception_instance(c) || is_exception_class(c) {
        return make_exception(vm, c);
    }
    Err(vm.type_error("exception causes must derive from BaseException"))
}

/// `except ty:` matching, with tuples of classes.
pub fn exception_matches(vm: &mut Vm, exc: &Value, ty: &Value) -> PyResult<bool> {
    if let Some(t) = ty.downcast::<TupleObj>() {
        // Every item is checked before any matches (CPython's
        // check_except_type_valid), and items are classes, not nested tuples.
        if t.items.iter().any(|it| !is_exception_class(it)) {
            return Err(vm.type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            ));
        }
        let et = exc.type_of();
        return Ok(t.items.iter().any(|it| is_subclass(&et, it)));
    }
    if !is_exception_class(ty) {
        return Err(
            vm.type_error("catching classes that do not inherit from BaseException is not allowed")
        );
    }
    Ok(is_subclass(&exc.type_of(), ty))
}

/// BEFORE_WITH: (bound __exit__, result of __enter__()).
/// `async with`: (bound `__aexit__`, the awaitable `__aenter__()` returned).
pub fn enter_async_context(vm: &mut Vm, mgr: &Value) -> PyResult<(Value, Value)> {
    let tn = mgr.type_data().name.clone();
    let Some(enter) = mgr.type_data().lookup("__aenter__").map(receiver_first) else {
        return Err(vm.type_error(format!(
            "'{tn}' object does not support the asynchronous context manager protocol"
        )));
    };
    if mgr.type_data().lookup("__aexit__").is_none() {
        return Err(vm.type_error(format!(
            "'{tn}' object does not support the asynchronous context manager protocol \
             (missed __aexit__ method)"
        )));
    }
    let exit = super::getattr_str(vm, mgr, "__aexit__")?;
    let res = vm.call(&enter, std::slice::from_ref(mgr))?;
    Ok((exit, res))
}

pub fn enter_context(vm: &mut Vm, mgr: &Value) -> PyResult<(Value, Value)> {
    let enter = mgr.type_data().lookup("__enter__").map(receiver_first);
    let exit = mgr.type_data().lookup("__exit__");
    let (Some(enter), Some(_)) = (enter, exit) else {
        let tn = mgr.type_data().name.clone();
        return Err(vm.type_error(format!(
            "'{tn}' object does not support the context manager protocol"
        )));
    };
    let exit = super::getattr_str(vm, mgr, "__exit__")?;
    let res = vm.call(&enter, std::slice::from_ref(mgr))?;
    Ok((exit, res))
}
