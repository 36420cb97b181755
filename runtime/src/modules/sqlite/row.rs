//! `sqlite3.Row`: a row (a tuple) with its cursor's description, indexable by position,
//! slice or column name (ASCII case-insensitively), comparable and hashable.
use super::cursor::CursorObj;
use crate::modules::native_args::{methods, object_type};
use crate::native_payload;
use crate::ops::{self, EQ};
use crate::types::class::Kind;
use crate::types::list::ListObj;
use crate::types::misc::SliceObj;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::as_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub struct RowObj {
    description: Value,
    data: Value,
}
native_payload!(RowObj, ROW);
static ROW_T: NativeType = NativeType {
    new: Some(row_new),
    ..NativeType::of::<RowObj>()
};

fn row_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    if a.has_kw() {
        return Err(vm.type_error("Row() takes no keyword arguments"));
    }
    let p = crate::modules::native_args::positional(vm, "Row", a.pos(), 2, 2)?;
    if native::downcast::<CursorObj>(&p[0]).is_none() {
        let tn = p[0].type_data().name.clone();
        return Err(vm.type_error(format!("Row() argument 1 must be sqlite3.Cursor, not {tn}")));
    }
    if p[1].downcast::<TupleObj>().is_none() {
        let tn = p[1].type_data().name.clone();
        return Err(vm.type_error(format!("Row() argument 2 must be tuple, not {tn}")));
    }
    let description = ops::getattr_str(vm, &p[0], "description")?;
    Ok(native::alloc(
        cls,
        RowObj {
            description,
            data: p[1].clone(),
        },
    ))
}

fn row_new_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) =
        crate::modules::native_args::new_args(vm, a, <RowObj as crate::value::PyPayload>::class())?;
    row_new(vm, &cls, &rest)
}

fn me<'a>(vm: &mut Vm, a: &Args<'a>, fname: &str, n: usize) -> PyResult<(&'a RowObj, &'a [Value])> {
    let (s, rest) = crate::modules::native_args::this(vm, fname, a, n, n)?;
    match native::downcast::<RowObj>(s) {
        Some(r) => Ok((r, rest)),
        None => Err(vm.type_error(format!(
            "descriptor '{fname}' requires a 'sqlite3.Row' object"
        ))),
    }
}

fn items(r: &RowObj) -> &[Value] {
    r.data
        .downcast::<TupleObj>()
        .map(|t| &t.items[..])
        .unwrap_or(&[])
}

/// The column names of the description (its items' first elements).
fn names(r: &RowObj) -> Vec<Value> {
    match r.description.downcast::<TupleObj>() {
        Some(t) => t
            .items
            .iter()
            .filter_map(|d| {
                d.downcast::<TupleObj>()
                    .and_then(|x| x.items.first().cloned())
            })
            .collect(),
        None => Vec::new(),
    }
}

fn getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (r, rest) = me(vm, a, "__getitem__", 1)?;
    let key = &rest[0];
    if crate::types::int::as_int(key).is_some() {
        return ops::getitem(vm, &r.data, key);
    }
    if let Some(k) = as_str(key) {
        for (i, n) in names(r).iter().enumerate() {
            if as_str(n).is_some_and(|n| n.eq_ignore_ascii_case(k)) {
                return Ok(items(r)[i].clone());
            }
        }
        return Err(vm.index_error("No item with that key"));
    }
    if key.downcast::<SliceObj>().is_some() {
        return ops::getitem(vm, &r.data, key);
    }
    Err(vm.index_error("Index must be int or string"))
}

fn len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (r, _) = me(vm, a, "__len__", 0)?;
    Ok(Value::int(items(r).len() as i64))
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (r, _) = me(vm, a, "__iter__", 0)?;
    ops::get_iter(vm, &r.data)
}

fn keys(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (r, _) = me(vm, a, "keys", 0)?;
    Ok(ListObj::new_value(names(r)))
}

fn equal(vm: &mut Vm, a: &Args) -> PyResult<Option<bool>> {
    let (r, rest) = me(vm, a, "__eq__", 1)?;
    let Some(o) = native::downcast::<RowObj>(&rest[0]) else {
        return Ok(None);
    };
    let d = ops::compare(vm, &r.description, &o.description, EQ)?;
    if !ops::truthy(vm, &d)? {
        return Ok(Some(false));
    }
    let e = ops::compare(vm, &r.data, &o.data, EQ)?;
    Ok(Some(ops::truthy(vm, &e)?))
}

fn eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(equal(vm, a)?.map_or_else(Value::not_implemented, Value::bool))
}

fn ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(equal(vm, a)?.map_or_else(Value::not_implemented, |b| Value::bool(!b)))
}

fn hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (r, _) = me(vm, a, "__hash__", 0)?;
    let h = vm.hash(&r.description)? ^ vm.hash(&r.data)?;
    Ok(Value::int(if h == -1 { -2 } else { h }))
}

pub fn init_type() -> Value {
    let existing = ROW.load(std::sync::atomic::Ordering::Acquire);
    let t = new_type::<RowObj>("Row", "sqlite3", object_type(), Kind::Native, &ROW_T, &ROW);
    if existing != 0 {
        return t;
    }
    crate::modules::native_args::static_new(&t, row_new_method);
    methods(
        &t,
        &[
            ("__getitem__", getitem),
            ("__len__", len),
            ("__iter__", iter),
            ("keys", keys),
            ("__eq__", eq),
            ("__ne__", ne),
            ("__hash__", hash),
        ],
    );
    t
}
