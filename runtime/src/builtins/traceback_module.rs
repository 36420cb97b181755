//! `_traceback`: the VM's exception formatting (the same code that prints uncaught
//! exceptions) for `lib/traceback.py`: `format(exc, chain)`, `format_only(exc)` and
//! `entries(exc)` (filename, line, function, source line; outermost first).
use super::posargs;
use crate::types::list::ListObj;
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

fn exception_arg(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if crate::vm::exc_data(v).is_none() {
        return Err(vm.type_error(format!(
            "expected an exception instance, not {}",
            super::type_name(v)
        )));
    }
    Ok(v.clone())
}

pub fn format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "format", a, 2, 2)?;
    let exc = exception_arg(vm, &p[0])?;
    let chain = crate::ops::truthy(vm, &p[1])?;
    Ok(new_str(&crate::traceback::format_exception_with(
        vm, &exc, chain,
    )))
}

pub fn format_only(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "format_only", a, 1, 1)?;
    let exc = exception_arg(vm, &p[0])?;
    Ok(new_str(&crate::traceback::format_exception_only(vm, &exc)))
}

pub fn entries(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "entries", a, 1, 1)?;
    let exc = exception_arg(vm, &p[0])?;
    let items = crate::traceback::entries(&exc)
        .into_iter()
        .map(|(file, line, name, src)| {
            TupleObj::from_items([
                new_str(&file),
                Value::int(line as i64),
                new_str(&name),
                new_str(&src),
            ])
        })
        .collect();
    Ok(ListObj::new_value(items))
}
