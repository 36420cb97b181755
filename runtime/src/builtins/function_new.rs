//! `types.FunctionType(code, globals, name=None, argdefs=None, closure=None)`: a function
//! made from a code object at run time (networkx copies functions so, `copy` and
//! decorator libraries too), checked as CPython's `func_new` checks its arguments.
use super::type_name;
use crate::types::code::CodeObj;
use crate::types::dict::DictObj;
use crate::types::func::{CellObj, FuncObj};
use crate::types::str::as_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn function_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let names = ["code", "globals", "name", "argdefs", "closure"];
    let b = crate::modules::native_args::bind(vm, "function", a, &names, 2, 5)?;
    let (Some(code), Some(globals)) = (b[0], b[1]) else {
        return Err(vm.type_error("function() missing required argument 'code' (pos 1)"));
    };
    let Some(co) = code.downcast::<CodeObj>() else {
        let tn = type_name(code);
        return Err(vm.type_error(format!("function() argument 'code' must be code, not {tn}")));
    };
    if globals.downcast::<DictObj>().is_none() {
        let tn = type_name(globals);
        return Err(vm.type_error(format!(
            "function() argument 'globals' must be dict, not {tn}"
        )));
    }
    let name = b[2].filter(|v| !v.is_none());
    if name.is_some_and(|n| as_str(n).is_none()) {
        return Err(vm.type_error("arg 3 (name) must be None or string"));
    }
    let defaults = match b[3].filter(|v| !v.is_none()) {
        None => Value::NULL,
        Some(d) if d.downcast::<TupleObj>().is_some() => d.clone(),
        Some(_) => return Err(vm.type_error("arg 4 (defaults) must be None or tuple")),
    };
    let closure = b[4].filter(|v| !v.is_none());
    let cells = match closure {
        None if co.nfree > 0 => return Err(vm.type_error("arg 5 (closure) must be tuple")),
        None => Vec::new(),
        Some(c) => match c.downcast::<TupleObj>() {
            Some(t) => t.items.to_vec(),
            None => return Err(vm.type_error("arg 5 (closure) must be None or tuple")),
        },
    };
    if cells.len() != co.nfree {
        return Err(vm.value_error(format!(
            "{} requires closure of length {}, not {}",
            co.name,
            co.nfree,
            cells.len()
        )));
    }
    if let Some(bad) = cells.iter().find(|c| c.downcast::<CellObj>().is_none()) {
        let tn = type_name(bad);
        return Err(vm.type_error(format!("arg 5 (closure) expected cell, found {tn}")));
    }
    let closure = closure.filter(|_| !cells.is_empty()).cloned();
    let f = crate::ops::make_function(
        code.clone(),
        globals.clone(),
        defaults,
        Value::NULL,
        None,
        closure,
    );
    if let (Some(n), Some(fo)) = (name, f.downcast::<FuncObj>()) {
        fo.name.with(|x| *x = n.clone());
    }
    Ok(f)
}
