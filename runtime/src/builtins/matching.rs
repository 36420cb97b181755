//! Helpers the compiled `match` statement calls (hidden builtins `__match_*__`): the
//! structural checks of sequence, mapping and class patterns, as in CPython's
//! MATCH_SEQUENCE / MATCH_MAPPING / MATCH_CLASS.
use crate::ops;
use crate::types::class::{Kind, as_type};
use crate::types::dict::DictObj;
use crate::types::func::{NativeFn, new_builtin};
use crate::types::list::ListObj;
use crate::types::str::as_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub fn install(d: &DictObj) {
    let fns: &[(&'static str, NativeFn)] = &[
        ("__match_seq__", match_seq),
        ("__match_star__", match_star),
        ("__match_map__", match_map),
        ("__match_rest__", match_rest),
        ("__match_class__", match_class),
        ("__match_arg__", match_arg),
    ];
    for (name, f) in fns {
        let v = new_builtin(name, *f);
        crate::object::make_immortal(v.raw());
        d.set_str(name, v);
    }
}

/// Sequences for pattern matching: list, tuple, range and classes that look like
/// sequences (not str, bytes or mappings).
fn is_sequence(v: &Value) -> bool {
    let td = v.type_data();
    match td.kind {
        Kind::List | Kind::Tuple | Kind::Range => true,
        Kind::Str | Kind::Bytes | Kind::ByteArray | Kind::Dict | Kind::Set | Kind::FrozenSet => {
            false
        }
        Kind::Object => {
            td.lookup_user("__getitem__").is_some()
                && td.lookup_user("__len__").is_some()
                && td.lookup_user("keys").is_none()
        }
        _ => false,
    }
}

fn match_seq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (v, n, star) = (
        &p[0],
        p[1].as_small_int().unwrap_or(0) as usize,
        p[2].is_true_singleton(),
    );
    if !is_sequence(v) {
        return Ok(Value::bool(false));
    }
    let len = ops::len(vm, v)?;
    Ok(Value::bool(if star { len >= n } else { len == n }))
}

fn match_star(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (v, start, after) = (
        &p[0],
        p[1].as_small_int().unwrap_or(0) as usize,
        p[2].as_small_int().unwrap_or(0) as usize,
    );
    let items = ops::collect(vm, v)?;
    let end = items.len().saturating_sub(after).max(start);
    Ok(ListObj::new_value(items[start..end].to_vec()))
}

fn is_mapping(vm: &mut Vm, v: &Value) -> PyResult<bool> {
    if v.downcast::<DictObj>().is_some() {
        return Ok(true);
    }
    let td = v.type_data();
    Ok(td.kind == Kind::Object
        && ops::getattr_opt(vm, v, "keys")?.is_some()
        && td.lookup_user("__getitem__").is_some())
}

fn match_map(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (v, keys) = (&p[0], ops::seq_items_fast(&p[1]).unwrap_or_default());
    if !is_mapping(vm, v)? {
        return Ok(Value::bool(false));
    }
    for k in keys {
        if !ops::contains(vm, v, &k)? {
            return Ok(Value::bool(false));
        }
    }
    Ok(Value::bool(true))
}

fn match_rest(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (v, keys) = (&p[0], ops::seq_items_fast(&p[1]).unwrap_or_default());
    let out = DictObj::new();
    for (k, val) in ops::mapping_items(vm, v)? {
        let mut skip = false;
        for key in &keys {
            if vm.eq(&k, key)? {
                skip = true;
                break;
            }
        }
        if !skip {
            out.set(vm, k, val)?;
        }
    }
    Ok(Value::alloc(out))
}

/// Builtin classes (and their subclasses) whose single positional sub-pattern matches
/// the subject itself, like CPython's `Py_TPFLAGS_MATCH_SELF`.
fn self_matching(cls: &Value) -> bool {
    let t = types();
    let Some(td) = as_type(cls) else {
        return false;
    };
    [
        t.bool,
        t.bytearray,
        t.bytes,
        t.dict,
        t.float,
        t.frozenset,
        t.int,
        t.list,
        t.set,
        t.str,
        t.tuple,
    ]
    .into_iter()
    .any(|b| td.is_subtype_raw(b))
}

/// How positional sub-patterns of `cls(...)` are resolved.
enum Positional {
    /// Attribute names from `__match_args__`.
    Names(Vec<String>),
    /// The subject itself (one sub-pattern at most).
    SelfMatch,
}

fn type_name_of(cls: &Value) -> String {
    as_type(cls).map(|t| t.name.clone()).unwrap_or_default()
}

fn positional(vm: &mut Vm, cls: &Value) -> PyResult<Positional> {
    let Some(m) = ops::getattr_opt(vm, cls, "__match_args__")? else {
        return Ok(if self_matching(cls) {
            Positional::SelfMatch
        } else {
            Positional::Names(vec![])
        });
    };
    let Some(items) = m.downcast::<crate::types::tuple::TupleObj>() else {
        let got = super::type_name(&m);
        let n = type_name_of(cls);
        return Err(vm.type_error(format!("{n}.__match_args__ must be a tuple (got {got})")));
    };
    let mut names = Vec::with_capacity(items.items.len());
    for x in items.items.iter() {
        match as_str(x) {
            Some(s) => names.push(s.to_string()),
            None => {
                let got = super::type_name(x);
                return Err(vm.type_error(format!(
                    "__match_args__ elements must be strings (got {got})"
                )));
            }
        }
    }
    Ok(Positional::Names(names))
}

/// isinstance check, positional count against __match_args__, and attribute presence.
fn match_class(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (v, cls, npos, kw) = (
        &p[0],
        &p[1],
        p[2].as_small_int().unwrap_or(0) as usize,
        &p[3],
    );
    if as_type(cls).is_none() {
        return Err(vm.type_error("called match pattern must be a type"));
    }
    if !super::isinstance(vm, v, cls)? {
        return Ok(Value::bool(false));
    }
    let kw_names: Vec<String> = ops::seq_items_fast(kw)
        .unwrap_or_default()
        .iter()
        .map(|k| as_str(k).unwrap_or("").to_string())
        .collect();
    if npos > 0 {
        let (allowed, names) = match positional(vm, cls)? {
            Positional::SelfMatch => (1, vec![]),
            Positional::Names(n) => (n.len(), n),
        };
        if npos > allowed {
            let n = type_name_of(cls);
            let s = if allowed == 1 { "" } else { "s" };
            return Err(vm.type_error(format!(
                "{n}() accepts {allowed} positional sub-pattern{s} ({npos} given)"
            )));
        }
        for (i, name) in names[..npos.min(names.len())].iter().enumerate() {
            if names[..i].contains(name) || kw_names.contains(name) {
                let n = type_name_of(cls);
                return Err(vm.type_error(format!(
                    "{n}() got multiple sub-patterns for attribute {}",
                    crate::ops::str_repr(name)
                )));
            }
            if ops::getattr_opt(vm, v, name)?.is_none() {
                return Ok(Value::bool(false));
            }
        }
    }
    for name in &kw_names {
        if ops::getattr_opt(vm, v, name)?.is_none() {
            return Ok(Value::bool(false));
        }
    }
    Ok(Value::bool(true))
}

fn match_arg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (v, cls, i) = (&p[0], &p[1], p[2].as_small_int().unwrap_or(0) as usize);
    match positional(vm, cls)? {
        Positional::SelfMatch => Ok(v.clone()),
        Positional::Names(names) => match names.get(i) {
            Some(n) => ops::getattr_str(vm, v, n),
            None => Err(vm.type_error("too many positional sub-patterns")),
        },
    }
}
