//! Python subclasses of builtin types (`class Stack(list)`, `class Config(dict)`,
//! `class Point(tuple)`, `class Id(int)`, `class Name(str)`): creating their instances
//! (`SubObj<T>`: the builtin payload, then an instance dict), and the `__init__` /
//! `__new__` methods of the builtin bases that their `super()` calls reach.
use super::{add_method, add_static, type_name};
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::{Kind, as_type};
use crate::types::dict::DictObj;
use crate::types::instance::SubObj;
use crate::types::int::{BigIntObj, as_int};
use crate::types::list::ListObj;
use crate::types::set::{SetObj, as_set};
use crate::types::str::StrObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    add_method(t.list, "__init__", list_init);
    add_method(t.dict, "__init__", dict_init);
    add_method(t.set, "__init__", set_init);
    add_static(t.tuple, "__new__", tuple_new);
    add_static(t.int, "__new__", int_new);
    add_static(t.str, "__new__", str_new);
    add_static(t.frozenset, "__new__", frozenset_new);
    add_static(t.list, "__new__", container_new);
    add_static(t.dict, "__new__", container_new);
    add_static(t.set, "__new__", container_new);
    add_method(t.dict, "__getitem__", dict_getitem);
    add_method(t.dict, "__setitem__", dict_setitem);
    add_method(t.dict, "__contains__", dict_contains);
    add_method(t.list, "__getitem__", seq_getitem);
    add_method(t.tuple, "__getitem__", seq_getitem);
    add_method(t.list, "__setitem__", list_setitem);
    add_method(t.list, "__len__", any_len);
    add_method(t.tuple, "__len__", any_len);
    add_method(t.dict, "__len__", any_len);
    add_method(t.list, "__iter__", any_iter);
    add_method(t.tuple, "__iter__", any_iter);
    add_method(t.dict, "__iter__", any_iter);
    add_method(t.dict, "__repr__", base_repr);
    add_method(t.list, "__repr__", base_repr);
    add_method(t.tuple, "__repr__", base_repr);
    add_method(t.int, "__repr__", base_repr);
    add_method(t.str, "__repr__", base_repr);
    add_method(t.list, "__eq__", base_eq);
    add_method(t.tuple, "__eq__", base_eq);
    add_method(t.dict, "__eq__", base_eq);
    add_method(t.int, "__eq__", base_eq);
    add_method(t.str, "__eq__", base_eq);
    add_method(t.int, "__hash__", base_hash);
    add_method(t.str, "__hash__", base_hash);
    add_method(t.tuple, "__hash__", base_hash);
}

/// A new instance of `cls` (a Python subclass of a builtin) holding a copy of the
/// builtin value `base`.
pub fn wrap(vm: &mut Vm, cls: &Value, base: &Value) -> PyResult<Value> {
    let Some(td) = as_type(cls) else {
        return Err(vm.type_error("not a type"));
    };
    let dict = DictObj::new_value();
    Ok(match td.kind {
        Kind::List => {
            let items = base
                .downcast::<ListObj>()
                .map(|l| l.snapshot())
                .unwrap_or_default();
            Value::alloc_with_type(
                cls,
                SubObj {
                    base: ListObj {
                        items: ObjCell::new(items),
                    },
                    dict,
                },
            )
        }
        Kind::Tuple => {
            let items = ops::seq_items_fast(base).unwrap_or_default();
            Value::alloc_with_type(
                cls,
                SubObj {
                    base: TupleObj {
                        items: items.into_boxed_slice(),
                    },
                    dict,
                },
            )
        }
        Kind::Dict => {
            let d = base
                .downcast::<DictObj>()
                .map(|d| d.copy())
                .unwrap_or_default();
            Value::alloc_with_type(cls, SubObj { base: d, dict })
        }
        Kind::Set | Kind::FrozenSet => {
            let v = Value::alloc_with_type(
                cls,
                SubObj {
                    base: SetObj::new(),
                    dict,
                },
            );
            if let (Some(dst), Some(src)) = (as_set(&v), as_set(base)) {
                dst.merge(vm, src)?;
            }
            v
        }
        Kind::Int => {
            let b = as_int(base).map(|i| i.to_big()).unwrap_or_default();
            Value::alloc_with_type(
                cls,
                SubObj {
                    base: BigIntObj(b),
                    dict,
                },
            )
        }
        Kind::Str => {
            let s = crate::types::str::as_str(base).unwrap_or("");
            Value::alloc_with_type(
                cls,
                SubObj {
                    base: StrObj::new(s),
                    dict,
                },
            )
        }
        _ => return Err(vm.type_error(format!("cannot create '{}' instances", td.name))),
    })
}

/// The builtin type a Python class ultimately derives its layout from.
fn builtin_base(cls: &Value) -> Option<Value> {
    let td = as_type(cls)?;
    td.mro
        .get_clone()
        .into_iter()
        .find(|t| as_type(t).is_some_and(|x| !x.is_heap && x.kind == td.kind))
}

/// Default construction when the class defines no `__new__`: mutable containers start
/// empty (their `__init__` fills them); immutable ones are built from the arguments.
pub fn default_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let Some(td) = as_type(cls) else {
        return Err(vm.type_error("not a type"));
    };
    if let Some(n) = td.native {
        let Some(new) = n.new else {
            let name = td.name.clone();
            return Err(vm.type_error(format!("cannot create '{name}' instances")));
        };
        return new(vm, cls, a);
    }
    match td.kind {
        Kind::Type => {
            // A metaclass without __new__: type.__new__(cls, name, bases, ns).
            let mut full = vec![cls.clone()];
            full.extend_from_slice(a.args);
            let f = crate::types::class::type_data_raw(types().type_)
                .dict
                .get_str("__new__");
            match f {
                Some(f) => vm.call_kw(&f, &full, a.kwnames),
                None => Err(vm.type_error("type.__new__ missing")),
            }
        }
        Kind::List | Kind::Dict | Kind::Set => {
            let empty = match td.kind {
                Kind::List => ListObj::new_value(vec![]),
                Kind::Dict => DictObj::new_value(),
                _ => Value::alloc(SetObj::new()),
            };
            wrap(vm, cls, &empty)
        }
        _ => {
            let Some(base) = builtin_base(cls) else {
                return Err(vm.type_error("no builtin base"));
            };
            let v = vm.call_kw(&base, a.args, a.kwnames)?;
            wrap(vm, cls, &v)
        }
    }
}

fn list_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("__init__ needs self"));
    };
    let Some(l) = s.downcast::<ListObj>() else {
        return Err(vm.type_error("descriptor '__init__' requires a 'list' object"));
    };
    let items = match p.get(1) {
        Some(src) => ops::collect(vm, src)?,
        None => vec![],
    };
    let old = l.items.with(|v| std::mem::replace(v, items));
    drop(old);
    Ok(Value::none())
}

fn dict_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("__init__ needs self"));
    };
    let Some(d) = s.downcast::<DictObj>() else {
        return Err(vm.type_error("descriptor '__init__' requires a 'dict' object"));
    };
    if let Some(src) = p.get(1) {
        super::containers::dict_update_from(vm, d, src)?;
    }
    for (k, v) in a.kw() {
        d.set(vm, crate::types::str::new_str(k), v.clone())?;
    }
    Ok(Value::none())
}

fn set_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("__init__ needs self"));
    };
    if let Some(set) = as_set(s) {
        set.d.with(|d| d.clear());
    }
    if let Some(src) = p.get(1) {
        ops::set_update(vm, s, src)?;
    }
    Ok(Value::none())
}

/// `T.__new__(cls, *args)` for immutable builtins.
fn immutable_new(vm: &mut Vm, a: &Args, base: stitch_stencils::value::RawValue) -> PyResult<Value> {
    let p = a.pos();
    let Some(cls) = p.first() else {
        return Err(vm.type_error("__new__ needs a type"));
    };
    let base_v = Value::from_borrowed(base);
    let rest = Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    };
    let v = vm.call_kw(&base_v, rest.args, rest.kwnames)?;
    if cls.raw() == base {
        return Ok(v);
    }
    if !as_type(cls).is_some_and(|t| t.is_subtype_raw(base)) {
        let tn = type_name(cls);
        return Err(vm.type_error(format!("__new__(X): X is not a subtype ({tn})")));
    }
    wrap(vm, cls, &v)
}

fn tuple_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    immutable_new(vm, a, types().tuple)
}
fn int_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    immutable_new(vm, a, types().int)
}
fn str_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    immutable_new(vm, a, types().str)
}
fn frozenset_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    immutable_new(vm, a, types().frozenset)
}

fn container_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(cls) = p.first() else {
        return Err(vm.type_error("__new__ needs a type"));
    };
    if as_type(cls).is_some_and(|t| t.is_heap) {
        return default_new(
            vm,
            cls,
            &Args {
                args: &[],
                kwnames: &[],
            },
        );
    }
    vm.call(cls, &[])
}

fn dict_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = super::method_args(vm, "__getitem__", a, 1, 1)?;
    base_getitem(vm, s, &r[0])
}

/// dict lookup on a dict or dict subclass, calling `__missing__` like CPython.
pub fn base_getitem(vm: &mut Vm, s: &Value, key: &Value) -> PyResult<Value> {
    let Some(d) = s.downcast::<DictObj>() else {
        return Err(vm.type_error("expected dict"));
    };
    if let Some(v) = d.get(vm, key)? {
        return Ok(v);
    }
    if let Some(m) = crate::vm::lookup_special(s, "__missing__") {
        return vm.call(&m, &[s.clone(), key.clone()]);
    }
    Err(vm.key_error(key.clone()))
}

fn dict_setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = super::method_args(vm, "__setitem__", a, 2, 2)?;
    let Some(d) = s.downcast::<DictObj>() else {
        return Err(vm.type_error("expected dict"));
    };
    d.set(vm, r[0].clone(), r[1].clone())?;
    Ok(Value::none())
}

fn dict_contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = super::method_args(vm, "__contains__", a, 1, 1)?;
    let Some(d) = s.downcast::<DictObj>() else {
        return Err(vm.type_error("expected dict"));
    };
    Ok(Value::bool(d.contains(vm, &r[0])?))
}

fn seq_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = super::method_args(vm, "__getitem__", a, 1, 1)?;
    ops::getitem_base(vm, s, &r[0])
}

fn list_setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = super::method_args(vm, "__setitem__", a, 2, 2)?;
    ops::setitem_base(vm, s, r[0].clone(), r[1].clone())?;
    Ok(Value::none())
}

fn any_len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::method_args(vm, "__len__", a, 0, 0)?;
    Ok(Value::int(ops::len_base(vm, s)? as i64))
}

fn any_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::method_args(vm, "__iter__", a, 0, 0)?;
    ops::get_iter_base(vm, s)
}

fn base_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::method_args(vm, "__repr__", a, 0, 0)?;
    Ok(crate::types::str::new_string(ops::repr_base(vm, s)?))
}

fn base_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = super::method_args(vm, "__eq__", a, 1, 1)?;
    ops::compare_base(vm, s, &r[0], ops::EQ)
}

fn base_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::method_args(vm, "__hash__", a, 0, 0)?;
    Ok(Value::int(vm.hash_base(s)?))
}
