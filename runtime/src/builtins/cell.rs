//! The `cell` type (`types.CellType`, what closures keep their free variables in):
//! its constructor, `cell_contents` (read, assigned, deleted) and CPython's comparisons
//! (by contents, an empty cell before any other; unhashable, as it compares).
use super::{add_method, method_args};
use crate::modules::native_args::{attr, getset_del, unpack};
use crate::ops;
use crate::types::func::CellObj;
use crate::types::str::new_string;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::Types;

pub fn install(t: &Types) {
    let cell = Value::from_borrowed(t.cell);
    getset_del(
        &cell,
        "cell_contents",
        contents_get,
        contents_set,
        contents_del,
    );
    add_method(t.cell, "__repr__", repr);
    add_method(t.cell, "__lt__", lt);
    add_method(t.cell, "__le__", le);
    add_method(t.cell, "__eq__", eq);
    add_method(t.cell, "__ne__", ne);
    add_method(t.cell, "__gt__", gt);
    add_method(t.cell, "__ge__", ge);
    attr(&cell, "__hash__", Value::none());
}

/// `cell()` (empty) or `cell(contents)`.
pub fn new_cell(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = unpack(vm, "cell", a, 0, 1)?;
    Ok(CellObj::new_value(
        p.first().cloned().unwrap_or(Value::NULL),
    ))
}

fn receiver<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a CellObj, &'a [Value])> {
    let (s, r) = method_args(vm, name, a, 0, 1)?;
    match s.downcast::<CellObj>() {
        Some(c) => Ok((c, r)),
        None => {
            let tn = s.type_data().name.clone();
            Err(vm.type_error(format!(
                "descriptor '{name}' for 'cell' objects doesn't apply to a '{tn}' object"
            )))
        }
    }
}

fn contents_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = receiver(vm, "cell_contents", a)?;
    let v = c.get();
    if v.is_null() {
        return Err(vm.value_error("Cell is empty"));
    }
    Ok(v)
}

fn contents_set(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, r) = receiver(vm, "cell_contents", a)?;
    c.set(r.first().cloned().unwrap_or(Value::NULL));
    Ok(Value::none())
}

/// Deleting the contents empties the cell.
fn contents_del(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = receiver(vm, "cell_contents", a)?;
    c.set(Value::NULL);
    Ok(Value::none())
}

/// `<cell at 0x...: empty>`, or naming the type and address of the contents.
fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__repr__", a, 0, 0)?;
    let (c, _) = receiver(vm, "__repr__", a)?;
    let v = c.get();
    Ok(new_string(if v.is_null() {
        format!("<cell at {:#x}: empty>", s.bits())
    } else {
        let tn = v.type_data().name.clone();
        format!("<cell at {:#x}: {tn} object at {:#x}>", s.bits(), v.bits())
    }))
}

/// `a <op> b` for two cells: their contents compared, or, when either is empty,
/// "is empty" compared the other way round (empty first); NotImplemented against
/// anything else.
fn compare(vm: &mut Vm, a: &Args, name: &str, op: u32) -> PyResult<Value> {
    let (c, r) = receiver(vm, name, a)?;
    let Some(other) = r.first().and_then(|o| o.downcast::<CellObj>()) else {
        return Ok(Value::not_implemented());
    };
    let (x, y) = (c.get(), other.get());
    if !x.is_null() && !y.is_null() {
        return ops::compare(vm, &x, &y, op);
    }
    // As CPython's `Py_RETURN_RICHCOMPARE(b == NULL, a == NULL, op)`.
    let (p, q) = (u8::from(y.is_null()), u8::from(x.is_null()));
    Ok(Value::bool(match op {
        ops::LT => p < q,
        ops::LE => p <= q,
        ops::EQ => p == q,
        ops::NE => p != q,
        ops::GT => p > q,
        _ => p >= q,
    }))
}

fn lt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__lt__", ops::LT)
}
fn le(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__le__", ops::LE)
}
fn eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__eq__", ops::EQ)
}
fn ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__ne__", ops::NE)
}
fn gt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__gt__", ops::GT)
}
fn ge(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__ge__", ops::GE)
}
