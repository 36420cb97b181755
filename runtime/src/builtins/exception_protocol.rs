//! The parts of `BaseException` that copying, pickling and PEP 678 need:
//! `add_note(note)` (appends to `__notes__`, a list in the instance dict, which the
//! traceback printer shows after the message), `__reduce__` (`(type, args)`, plus the
//! instance dict when it holds anything) and `__setstate__` (sets the attributes back).
use super::{add_method, method_args};
use crate::ops;
use crate::types::list::ListObj;
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, exc_data};
use crate::world::Types;

pub fn install(t: &Types) {
    add_method(t.base_exception, "add_note", add_note);
    add_method(t.base_exception, "__reduce__", reduce);
    add_method(t.base_exception, "__setstate__", setstate);
}

fn add_note(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "add_note", a, 1, 1)?;
    let note = &r[0];
    if as_str(note).is_none() {
        let tn = note.type_data().name.clone();
        return Err(vm.type_error(format!("note must be a str, not '{tn}'")));
    }
    let name = new_str("__notes__");
    let notes = match ops::getattr_opt(vm, s, "__notes__")? {
        Some(n) => n,
        None => {
            let n = ListObj::new_value(vec![]);
            ops::setattr(vm, s, &name, n.clone())?;
            n
        }
    };
    let Some(l) = notes.downcast::<ListObj>() else {
        return Err(vm.type_error("Cannot add note: __notes__ is not a list"));
    };
    l.push(note.clone());
    Ok(Value::none())
}

fn reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__reduce__", a, 0, 0)?;
    let args = exc_data(s)
        .map(|d| d.with(|d| d.args.clone()))
        .filter(|v| !v.is_null())
        .unwrap_or_else(|| TupleObj::from_items([]));
    let mut parts = vec![s.type_of(), args];
    if let Some(d) = ops::getattr_opt(vm, s, "__dict__")?
        && ops::len(vm, &d)? > 0
    {
        parts.push(d);
    }
    Ok(TupleObj::new_value(parts))
}

fn setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__setstate__", a, 1, 1)?;
    let state = &r[0];
    if state.is_none() {
        return Ok(Value::none());
    }
    let Some(d) = state.downcast::<crate::types::dict::DictObj>() else {
        return Err(vm.type_error("state is not a dictionary"));
    };
    for (k, v) in d.items() {
        ops::setattr(vm, s, &k, v)?;
    }
    Ok(Value::none())
}
