//! Struct sequences: CPython's named-tuple-like records made by native code
//! (`sys.version_info`, `sys.flags`, `os.stat_result`, `time.struct_time`, ...).
//!
//! A struct sequence type is a subclass of `tuple` whose first `n_sequence_fields`
//! fields are the tuple's items (so `v[0]`, `len(v)` and unpacking see only those) and
//! are also readable by name; fields past those (`st_atime` as a float, `tm_zone`) are
//! attributes only, kept in the instance dict. The type is an ordinary class object,
//! so `isinstance`, `type(v).__name__` and pickling-free copies behave as for a Python
//! subclass of tuple.
use super::class::new_class;
use super::dict::DictObj;
use super::func::BuiltinFuncObj;
use super::misc::PropertyObj;
use super::str::new_str;
use super::tuple::TupleObj;
use crate::ops;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// Create a struct sequence type `module.name` with `fields`, of which the first
/// `n_sequence` are tuple items.
pub fn new_type(name: &str, module: &str, fields: &[&'static str], n_sequence: usize) -> Value {
    let ns = DictObj::new();
    ns.set_str("__module__", new_str(module));
    for (i, f) in fields.iter().enumerate().take(n_sequence) {
        let getter = Value::alloc(BuiltinFuncObj {
            name: f,
            f: field_get,
            self_: Value::int(i as i64),
            owner: "",
            is_method: false,
        });
        let prop = Value::alloc(PropertyObj::new(
            getter,
            Value::NULL,
            Value::NULL,
            Value::none(),
        ));
        ns.set_str(f, prop);
    }
    let names: Vec<Value> = fields.iter().map(|f| new_str(f)).collect();
    ns.set_str("_stitch_fields", TupleObj::new_value(names.clone()));
    ns.set_str(
        "__match_args__",
        TupleObj::new_value(names[..n_sequence].to_vec()),
    );
    ns.set_str("n_sequence_fields", Value::int(n_sequence as i64));
    ns.set_str("n_fields", Value::int(fields.len() as i64));
    ns.set_str("n_unnamed_fields", Value::int(0));
    ns.set_str(
        "__repr__",
        crate::types::func::new_builtin("__repr__", repr),
    );
    ns.set_str(
        "__reduce__",
        crate::types::func::new_builtin("__reduce__", reduce),
    );
    ns.set_str("__new__", crate::types::func::new_builtin("__new__", new));
    let tuple = Value::from_borrowed(types().tuple);
    let meta = Value::from_borrowed(types().type_);
    let ty = new_class(name, name, vec![tuple], &ns, &meta)
        .unwrap_or_else(|(_, msg)| unreachable!("struct sequence {name}: {msg}"));
    crate::object::make_immortal(ty.raw());
    ty
}

/// An instance of struct sequence type `ty` with all its fields' values in order.
pub fn new_value(vm: &mut Vm, ty: &Value, mut values: Vec<Value>) -> PyResult<Value> {
    let n_seq = n_sequence(vm, ty)?;
    let extra = values.split_off(n_seq.min(values.len()));
    let v = crate::builtins::subclass::wrap(vm, ty, TupleObj::new_value(values))?;
    if !extra.is_empty() {
        let fields = field_names(vm, ty)?;
        for (name, x) in fields[n_seq..].iter().zip(extra) {
            ops::generic_setattr(vm, &v, name, x)?;
        }
    }
    Ok(v)
}

fn n_sequence(vm: &mut Vm, ty: &Value) -> PyResult<usize> {
    let n = ops::getattr(vm, ty, &new_str("n_sequence_fields"))?;
    Ok(n.as_small_int().unwrap_or(0).max(0) as usize)
}

fn field_names(vm: &mut Vm, ty: &Value) -> PyResult<Vec<String>> {
    let f = ops::getattr(vm, ty, &new_str("_stitch_fields"))?;
    Ok(ops::seq_items_fast(&f)
        .unwrap_or_default()
        .iter()
        .map(|v| crate::types::str::as_str(v).unwrap_or("").to_string())
        .collect())
}

/// The getter of sequence field `i` (bound as the builtin's receiver).
fn field_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (Some(i), Some(obj)) = (p.first().and_then(|i| i.as_small_int()), p.get(1)) else {
        return Err(vm.type_error("struct sequence field getter needs an instance"));
    };
    match ops::seq_items_fast(obj).and_then(|items| items.get(i as usize).cloned()) {
        Some(v) => Ok(v),
        None => Err(vm.type_error("struct sequence field getter needs an instance")),
    }
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(obj) = a.pos().first() else {
        return Err(vm.type_error("__repr__ needs an instance"));
    };
    let ty = Value::from_borrowed(obj.type_raw());
    let fields = field_names(vm, &ty)?;
    let items = ops::seq_items_fast(obj).unwrap_or_default();
    let td = obj.type_data();
    let module = td.module.with(|m| m.clone());
    let mut out = if module == "builtins" {
        format!("{}(", td.name)
    } else {
        format!("{module}.{}(", td.name)
    };
    for (i, (f, v)) in fields.iter().zip(items.iter()).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let r = ops::repr(vm, v)?;
        out.push_str(f);
        out.push('=');
        out.push_str(&r);
    }
    out.push(')');
    Ok(new_str(&out))
}

fn reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(obj) = a.pos().first() else {
        return Err(vm.type_error("__reduce__ needs an instance"));
    };
    let ty = Value::from_borrowed(obj.type_raw());
    let items = TupleObj::new_value(ops::seq_items_fast(obj).unwrap_or_default());
    Ok(TupleObj::new_value(vec![
        ty,
        TupleObj::new_value(vec![items, DictObj::new_value()]),
    ]))
}

/// `T(sequence, dict=None)`: CPython's struct sequence constructor.
fn new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (Some(cls), Some(seq)) = (p.first(), p.get(1)) else {
        return Err(vm.type_error("structseq() missing required argument 'sequence' (pos 1)"));
    };
    let values = ops::collect(vm, seq)?;
    let name = crate::types::class::as_type(cls)
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let n_seq = n_sequence(vm, cls)?;
    let n_all = field_names(vm, cls)?.len();
    if values.len() < n_seq {
        return Err(vm.type_error(format!(
            "{name}() takes an at least {n_seq}-sequence ({}-sequence given)",
            values.len()
        )));
    }
    if values.len() > n_all {
        return Err(vm.type_error(format!(
            "{name}() takes an at most {n_all}-sequence ({}-sequence given)",
            values.len()
        )));
    }
    let mut values = values;
    values.resize(n_all, Value::none());
    new_value(vm, cls, values)
}
