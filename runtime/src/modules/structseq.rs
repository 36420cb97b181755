//! Struct sequences (`os.stat_result`, `time.struct_time`, `os.uname_result`, ...): tuple
//! subclasses whose first `n_sequence_fields` values are the tuple's items (named fields
//! read them through properties) and whose remaining fields are attributes only, as
//! CPython's `PyStructSequence` types are.
//!
//! Each type is a class made by `type(name, (tuple,), ns)` (so isinstance, indexing,
//! unpacking and comparison are the tuple's), with a native `__new__`, `__repr__` and
//! `__reduce__`. Its layout is kept in a registry keyed by the type object. The fields
//! past the visible ones are stored in the instance dict (CPython keeps them in hidden
//! tuple slots; here `__dict__` shows them).
use parking_lot::RwLock;

use crate::types::class::type_data_raw;
use crate::types::dict::DictObj;
use crate::types::func::BuiltinFuncObj;
use crate::types::misc::{PropertyObj, WrapperObj};
use crate::types::str::{new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// The layout of one struct sequence type. An empty name is an unnamed field (visible
/// by index only, as stat_result's integer times).
#[derive(Clone)]
struct Layout {
    /// The name CPython prints: `os.stat_result`.
    full_name: String,
    fields: Vec<&'static str>,
    n_seq: usize,
}

/// (type object bits, layout). Types are never freed (module-level classes).
static LAYOUTS: RwLock<Vec<(u64, Layout)>> = RwLock::new(Vec::new());

fn layout_of(cls: &Value) -> Option<Layout> {
    let td = crate::types::class::as_type(cls)?;
    let layouts = LAYOUTS.read();
    for t in td.mro.get_clone() {
        if let Some((_, l)) = layouts.iter().find(|(b, _)| *b == t.bits()) {
            return Some(l.clone());
        }
    }
    None
}

/// Creates the struct sequence type `module.name` with `fields` (the first `n_seq`
/// visible as tuple items).
pub fn new_type(
    vm: &mut Vm,
    module: &str,
    name: &str,
    fields: &[&'static str],
    n_seq: usize,
) -> PyResult<Value> {
    let ns = DictObj::new();
    ns.set_str("__module__", crate::world::intern(module));
    ns.set_str("__qualname__", crate::world::intern(name));
    let new = crate::types::func::new_builtin("__new__", structseq_new);
    let sm = Value::alloc_with_type(
        &Value::from_borrowed(types().staticmethod),
        WrapperObj::new(new),
    );
    ns.set_str("__new__", sm);
    let named_visible: Vec<Value> = fields[..n_seq]
        .iter()
        .filter(|f| !f.is_empty())
        .map(|f| crate::world::intern(f))
        .collect();
    let n_unnamed = fields.iter().filter(|f| f.is_empty()).count();
    ns.set_str("__match_args__", TupleObj::new_value(named_visible));
    ns.set_str("n_sequence_fields", Value::int(n_seq as i64));
    ns.set_str("n_fields", Value::int(fields.len() as i64));
    ns.set_str("n_unnamed_fields", Value::int(n_unnamed as i64));
    for (i, f) in fields[..n_seq].iter().enumerate() {
        if f.is_empty() {
            continue;
        }
        let getter = Value::alloc(BuiltinFuncObj {
            name: f,
            f: field_get,
            self_: Value::int(i as i64),
            owner: "",
            is_method: false,
            objclass: Value::NULL,
        });
        let prop = Value::alloc(PropertyObj::new(
            getter,
            Value::none(),
            Value::none(),
            Value::none(),
        ));
        ns.set_str(f, prop);
    }
    let bases = TupleObj::from_items([Value::from_borrowed(types().tuple)]);
    let ty = Value::from_borrowed(types().type_);
    let cls = vm.call(&ty, &[new_str(name), bases, Value::alloc(ns)])?;
    crate::object::make_immortal(cls.raw());
    crate::builtins::add_method(cls.raw(), "__repr__", structseq_repr);
    crate::builtins::add_method(cls.raw(), "__reduce__", structseq_reduce);
    LAYOUTS.write().push((
        cls.bits(),
        Layout {
            full_name: format!("{module}.{name}"),
            fields: fields.to_vec(),
            n_seq,
        },
    ));
    Ok(cls)
}

/// Make `cls` refuse new instances (`sys.flags`, `sys.version_info`: CPython clears
/// their `tp_new`), so the process's own record stays the only one.
pub fn forbid_new(cls: &Value) {
    crate::builtins::add_static(cls.raw(), "__new__", refuse_new);
}

/// `__new__` of a type that has no instances but its own.
fn refuse_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = a
        .args
        .first()
        .and_then(layout_of)
        .map(|l| l.full_name)
        .unwrap_or_else(|| "struct sequence".to_string());
    Err(vm.type_error(format!("cannot create '{name}' instances")))
}

/// An instance of struct sequence `cls` from all its field values in order.
pub fn new(vm: &mut Vm, cls: &Value, mut values: Vec<Value>) -> PyResult<Value> {
    let Some(l) = layout_of(cls) else {
        return Err(vm.type_error("not a struct sequence type"));
    };
    let hidden = values.split_off(l.n_seq.min(values.len()));
    let tuple_new = type_data_raw(types().tuple)
        .dict
        .get_str("__new__")
        .ok_or_else(|| vm.type_error("tuple.__new__ missing"))?;
    let obj = vm.call(&tuple_new, &[cls.clone(), TupleObj::new_value(values)])?;
    if let Some(d) = crate::ops::getattr_opt(vm, &obj, "__dict__")?
        && let Some(d) = d.downcast::<DictObj>()
    {
        let mut hidden = hidden.into_iter();
        for f in &l.fields[l.n_seq..] {
            let v = hidden.next().unwrap_or_else(Value::none);
            if !f.is_empty() {
                d.set_str(f, v);
            }
        }
    }
    Ok(obj)
}

/// `T(sequence, dict=None)`.
fn structseq_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(cls) = p.first() else {
        return Err(vm.type_error("__new__ needs a type"));
    };
    let Some(l) = layout_of(cls) else {
        return Err(vm.type_error("not a struct sequence type"));
    };
    let b = super::args::bind(
        vm,
        &l.full_name,
        &Args {
            args: &a.args[1..],
            kwnames: a.kwnames,
        },
        &["sequence", "dict"],
        2,
        1,
    )?;
    let seq = b[0].cloned().unwrap_or_else(Value::none);
    let items = match crate::ops::collect(vm, &seq) {
        Ok(v) => v,
        Err(_) => return Err(vm.type_error("constructor requires a sequence")),
    };
    let (min, max) = (l.n_seq, l.fields.len());
    let n = items.len();
    let name = &l.full_name;
    if n < min || n > max {
        let msg = if min == max {
            format!("{name}() takes a {min}-sequence ({n}-sequence given)")
        } else if n < min {
            format!("{name}() takes an at least {min}-sequence ({n}-sequence given)")
        } else {
            format!("{name}() takes an at most {max}-sequence ({n}-sequence given)")
        };
        return Err(vm.type_error(msg));
    }
    let dict = b[1].filter(|d| !d.is_none()).cloned();
    if let Some(d) = &dict
        && d.downcast::<DictObj>().is_none()
    {
        let tn = crate::builtins::type_name(d);
        return Err(vm.type_error(format!(
            "{name}() takes a dict as second arg, if any (got {tn})"
        )));
    }
    let mut values = items;
    for f in &l.fields[values.len()..] {
        let v = match (&dict, f.is_empty()) {
            (Some(d), false) => d
                .downcast::<DictObj>()
                .and_then(|d| d.get_str(f))
                .unwrap_or_else(Value::none),
            _ => Value::none(),
        };
        values.push(v);
    }
    new(vm, cls, values)
}

fn field_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (Some(i), Some(obj)) = (p.first().and_then(|i| i.as_small_int()), p.get(1)) else {
        return Err(vm.type_error("field getter needs an object"));
    };
    match obj.downcast::<TupleObj>() {
        Some(t) => Ok(t.items.get(i as usize).cloned().unwrap_or_else(Value::none)),
        None => Err(vm.type_error("descriptor requires a struct sequence")),
    }
}

fn visible(obj: &Value) -> Vec<Value> {
    obj.downcast::<TupleObj>()
        .map(|t| t.items.to_vec())
        .unwrap_or_default()
}

fn structseq_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::builtins::method_args(vm, "__repr__", a, 0, 0)?;
    let Some(l) = layout_of(&s.type_of()) else {
        return Err(vm.type_error("not a struct sequence"));
    };
    let names: Vec<&str> = l.fields.iter().filter(|f| !f.is_empty()).copied().collect();
    let mut out = format!("{}(", l.full_name);
    for (i, v) in visible(s).iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let r = crate::ops::repr(vm, v)?;
        out.push_str(names.get(i).copied().unwrap_or("?"));
        out.push('=');
        out.push_str(&r);
    }
    out.push(')');
    Ok(new_string(out))
}

fn structseq_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::builtins::method_args(vm, "__reduce__", a, 0, 0)?;
    let cls = s.type_of();
    let Some(l) = layout_of(&cls) else {
        return Err(vm.type_error("not a struct sequence"));
    };
    let hidden = DictObj::new();
    for f in &l.fields[l.n_seq..] {
        if f.is_empty() {
            continue;
        }
        let v = crate::ops::getattr_opt(vm, s, f)?.unwrap_or_else(Value::none);
        hidden.set_str(f, v);
    }
    let args = TupleObj::from_items([TupleObj::new_value(visible(s)), Value::alloc(hidden)]);
    Ok(TupleObj::from_items([cls, args]))
}

/// Reads field `name` of a struct sequence instance (visible or not).
pub fn get(vm: &mut Vm, obj: &Value, name: &str) -> PyResult<Value> {
    Ok(crate::ops::getattr_opt(vm, obj, name)?.unwrap_or_else(Value::none))
}
