//! Python subclasses of builtin types (`class Stack(list)`, `class Config(dict)`,
//! `class Point(tuple)`, `class Id(int)`, `class Name(str)`): creating their instances
//! (`SubObj<T>`: the builtin payload, then an instance dict), and the `__init__` /
//! `__new__` methods of the builtin bases that their `super()` calls reach.
use super::{add_method, add_static, type_name};
use crate::object::ObjCell;
use crate::ops;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::class::{Kind, as_type};
use crate::types::complex::ComplexObj;
use crate::types::dict::DictObj;
use crate::types::float::FloatPayload;
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
    add_static(t.float, "__new__", float_new);
    add_static(t.complex, "__new__", complex_new);
    add_static(t.bytes, "__new__", bytes_new);
    add_static(t.bytearray, "__new__", container_new);
    add_method(t.bytearray, "__init__", bytearray_init);
    crate::types::layout::mark_final_builtins(t);
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
    add_method(t.str, "__str__", str_str);
    for ty in [
        t.float,
        t.complex,
        t.bool,
        t.bytes,
        t.bytearray,
        t.set,
        t.frozenset,
    ] {
        add_method(ty, "__repr__", base_repr);
    }
    for ty in [t.int, t.float, t.str, t.complex] {
        add_method(ty, "__format__", base_format);
    }
    add_method(t.list, "__eq__", base_eq);
    add_method(t.tuple, "__eq__", base_eq);
    add_method(t.dict, "__eq__", base_eq);
    add_method(t.int, "__eq__", base_eq);
    add_method(t.str, "__eq__", base_eq);
    add_method(t.int, "__hash__", base_hash);
    add_method(t.str, "__hash__", base_hash);
    add_method(t.tuple, "__hash__", base_hash);
}

/// The instance of `cls` (a Python subclass of a builtin) built from `base`, a value of
/// the builtin: a fresh unshared object is adopted (its payload moved, see
/// `types::layout`); immediates and shared objects of the builtins that hand them out are
/// copied.
pub fn wrap(vm: &mut Vm, cls: &Value, base: Value) -> PyResult<Value> {
    let Some(td) = as_type(cls) else {
        return Err(vm.type_error("not a type"));
    };
    let Some(adopt) = td.layout.adopt else {
        return Err(vm.type_error(format!("cannot create '{}' instances", td.name)));
    };
    // A module's attributes are its globals: a module subclass instance keeps them in
    // the module's own dict (types/layout.rs). Classes with `__slots__` and no `__dict__` get none (named slots of such
    // subclasses are kept in a dict that `__dict__` does not show).
    let needs_dict = td.has_dict || td.slots.as_ref().is_some_and(|s| !s.is_empty());
    let dict = match base.downcast_exact::<crate::types::module::ModuleObj>() {
        Some(m) => m.dict.clone(),
        None if needs_dict => DictObj::new_value(),
        None => Value::NULL,
    };
    let base = match adopt(base, cls, dict) {
        Ok(v) => return Ok(v),
        Err(b) => b,
    };
    let dict = DictObj::new_value();
    let base = &base;
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
                        items: crate::types::tuple::items_of_vec(items),
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
        Kind::Float => Value::alloc_with_type(
            cls,
            SubObj {
                base: FloatPayload(base.as_float().unwrap_or(0.0)),
                dict,
            },
        ),
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
        Kind::Bytes => {
            let data = base.downcast::<BytesObj>().map(|b| b.data.to_vec());
            Value::alloc_with_type(
                cls,
                SubObj {
                    base: BytesObj::new(data.unwrap_or_default()),
                    dict,
                },
            )
        }
        _ if base.downcast::<ComplexObj>().is_some() => {
            let (re, im) = ops::as_complex(base).unwrap_or((0.0, 0.0));
            Value::alloc_with_type(
                cls,
                SubObj {
                    base: ComplexObj { re, im },
                    dict,
                },
            )
        }
        _ => {
            return Err(vm.type_error(format!(
                "{}.__new__ returned a shared object; cannot create '{}' instances",
                type_name(base),
                td.name
            )));
        }
    })
}

/// The builtin type whose layout a Python class's instances carry (its "solid base").
pub fn builtin_base(cls: &Value) -> Option<Value> {
    let td = as_type(cls)?;
    td.mro
        .get_clone()
        .into_iter()
        .find(|t| as_type(t).is_some_and(|x| !x.is_heap && x.layout.payload == td.layout.payload))
}

/// Does the builtin `base` fill its instances in a native `__init__` (CPython's
/// `tp_init`), so that its constructor is called without the arguments?
fn has_native_init(base: &Value) -> bool {
    as_type(base).is_some_and(|t| {
        t.dict
            .get_str("__init__")
            .is_some_and(|f| f.downcast::<crate::types::func::BuiltinFuncObj>().is_some())
    })
}

/// An empty instance of the builtin `base` for `__init__` to fill: its native `__new__`
/// called with the type alone, else the type called with no arguments.
fn blank(vm: &mut Vm, base: &Value) -> PyResult<Value> {
    if let Some(new) = as_type(base).and_then(|t| t.dict.get_str("__new__"))
        && new
            .downcast::<crate::types::func::BuiltinFuncObj>()
            .is_some()
    {
        return vm.call(&new, std::slice::from_ref(base));
    }
    vm.call(base, &[])
}

/// The builtin base's native `__init__`, which `cls(...)` runs when no Python class of
/// the MRO defines `__init__`.
pub fn native_init(cls: &Value) -> Option<Value> {
    let base = builtin_base(cls)?;
    if !has_native_init(&base) {
        return None;
    }
    as_type(&base)?.dict.get_str("__init__")
}

/// Default construction when the class defines no `__new__`: builtins with a native
/// `__init__` start empty (and `__init__` fills them); others are built from the
/// arguments (see `types::layout`).
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
        Kind::Object => Ok(crate::vm::new_instance_of(cls, a.pos().to_vec())),
        Kind::WeakRef => {
            // ref.__new__(cls, obj, callback)
            let p = a.pos();
            // `ref.__init__` refuses keywords; a Python `__init__` may take them.
            if a.has_kw() && td.lookup_user("__init__").is_none() {
                return Err(vm.type_error("ref() takes no keyword arguments"));
            }
            if p.is_empty() || p.len() > 2 {
                return Err(super::arg_count_error(vm, "__new__", p.len(), 1, 2));
            }
            let cb = p.get(1).cloned().unwrap_or_else(Value::none);
            crate::types::weakref::new_weak(vm, cls, &p[0], cb, crate::types::weakref::Flavor::Ref)
        }
        _ => {
            let Some(base) = builtin_base(cls) else {
                return Err(vm.type_error("no builtin base"));
            };
            let v = if has_native_init(&base) {
                blank(vm, &base)?
            } else {
                let a = base_args(base.raw(), cls, a);
                vm.call_kw(&base, a.args, a.kwnames)?
            };
            if hands_back_other(base.raw(), &v) {
                return Ok(v);
            }
            wrap(vm, cls, v)
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

/// Make the builtins' alternative constructors (`dict.fromkeys`, `float.fromhex`, ...)
/// classmethods, so that called on a Python subclass they build an instance of it, as
/// CPython does: the native function builds the builtin value, then `cls(value)` (for
/// dict subclasses: `cls()` filled item by item) converts it.
pub fn install_alt_constructors(t: &Types) {
    for (ty, name) in [
        (t.dict, "fromkeys"),
        (t.float, "fromhex"),
        (t.bytes, "fromhex"),
        (t.bytearray, "fromhex"),
        (t.int, "from_bytes"),
    ] {
        let td = crate::types::class::type_data_raw(ty);
        let Some(orig) = td.dict.get_str(name) else {
            continue;
        };
        let owner: &'static str = Box::leak(td.name.clone().into_boxed_str());
        let f = Value::alloc(crate::types::func::BuiltinFuncObj {
            name,
            f: alt_constructor,
            self_: orig,
            owner,
            is_method: true,
            objclass: Value::NULL,
        });
        crate::object::make_immortal(f.raw());
        let cm = Value::alloc_with_type(
            &Value::from_borrowed(t.classmethod),
            crate::types::misc::WrapperObj::new(f),
        );
        crate::object::make_immortal(cm.raw());
        td.dict.set_str(name, cm);
    }
}

/// `[native constructor, cls, args...]`: see [`install_alt_constructors`].
fn alt_constructor(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (orig, cls) = (&a.args[0], &a.args[1]);
    let r = vm.call_kw(orig, &a.args[2..], a.kwnames)?;
    if r.type_raw() == cls.raw() {
        return Ok(r);
    }
    if let Some(src) = r.downcast::<DictObj>()
        && as_type(cls).is_some_and(crate::types::layout::has_payload::<DictObj>)
    {
        let d = vm.call(cls, &[])?;
        for (k, v) in src.items() {
            ops::setitem(vm, &d, k, v)?;
        }
        return Ok(d);
    }
    vm.call(cls, &[r])
}

fn bytearray_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("__init__ needs self"));
    };
    let Some(b) = s.downcast::<ByteArrayObj>() else {
        return Err(vm.type_error("descriptor '__init__' requires a 'bytearray' object"));
    };
    let rest = Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    };
    let data = super::bytes::bytes_from(vm, &rest, "bytearray")?;
    b.data.with(|d| *d = data);
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
pub(crate) fn immutable_new(
    vm: &mut Vm,
    a: &Args,
    base: stitch_stencils::value::RawValue,
) -> PyResult<Value> {
    let p = a.pos();
    let Some(cls) = p.first() else {
        return Err(vm.type_error("__new__ needs a type"));
    };
    let base_v = Value::from_borrowed(base);
    let rest = Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    };
    if cls.raw() != base && !as_type(cls).is_some_and(|t| t.is_subtype_raw(base)) {
        let bn = crate::types::class::type_data_raw(base).name.clone();
        return Err(match as_type(cls) {
            Some(t) => {
                let tn = t.name.clone();
                vm.type_error(format!("{bn}.__new__({tn}): {tn} is not a subtype of {bn}"))
            }
            None => {
                let tn = type_name(cls);
                vm.type_error(format!("{bn}.__new__(X): X is not a type object ({tn})"))
            }
        });
    }
    let rest = base_args(base, cls, &rest);
    let v = vm.call_kw(&base_v, rest.args, rest.kwnames)?;
    if cls.raw() == base || hands_back_other(base, &v) {
        return Ok(v);
    }
    wrap(vm, cls, v)
}

/// Does `cls` have an `__init__` other than `object.__init__` (CPython's
/// `type->tp_init != base->tp_init` test)? The constructors that take no keywords
/// (`map`, `filter`, `itertools.chain`, ...) take them for such a subclass: they are
/// its `__init__`'s.
pub fn overrides_init(cls: &Value) -> bool {
    let object_init = crate::types::class::type_data_raw(types().object)
        .dict
        .get_str("__init__");
    let init = as_type(cls).and_then(|t| t.lookup("__init__"));
    matches!((init, object_init), (Some(i), Some(o)) if !i.is(&o))
}

/// The arguments the builtin constructor `base` gets for an instance of `cls`: the
/// keywords are dropped for `map`, `filter` and `reversed` when `cls` overrides
/// `__init__` (see `overrides_init`), which they would refuse.
fn base_args<'a>(base: stitch_stencils::value::RawValue, cls: &Value, a: &Args<'a>) -> Args<'a> {
    let t = types();
    if a.has_kw() && [t.map, t.filter, t.reversed].contains(&base) && overrides_init(cls) {
        return Args::new(a.pos());
    }
    Args {
        args: a.args,
        kwnames: a.kwnames,
    }
}

/// Did the builtin iterator constructor `base` return an object of another type
/// (`reversed(x)` is what `x.__reversed__()` returns, for subclasses of `reversed`
/// too)? That object is the result, as CPython's `tp_new` returning it.
fn hands_back_other(base: stitch_stencils::value::RawValue, v: &Value) -> bool {
    crate::types::class::type_data_raw(base).kind == Kind::Iter && v.type_raw() != base
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
fn float_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    immutable_new(vm, a, types().float)
}
fn complex_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    immutable_new(vm, a, types().complex)
}
fn bytes_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    immutable_new(vm, a, types().bytes)
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

/// `str.__str__`: the text as an exact str. A subclass that takes it back as its own
/// `__str__` (`enum.StrEnum` does) prints its value, not its repr.
fn str_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::method_args(vm, "__str__", a, 0, 0)?;
    if s.downcast_exact::<crate::types::str::StrObj>().is_some() {
        return Ok(s.clone());
    }
    match s.downcast::<crate::types::str::StrObj>() {
        Some(o) => Ok(crate::types::str::new_string_flagged(
            o.s.to_string(),
            o.surrogates,
        )),
        None => {
            let tn = s.type_data().name.clone();
            Err(vm.type_error(format!(
                "descriptor '__str__' requires a 'str' object but received a '{tn}'"
            )))
        }
    }
}

fn base_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::method_args(vm, "__repr__", a, 0, 0)?;
    Ok(crate::types::str::new_string(ops::repr_base(vm, s)?))
}

/// `int.__format__(x, spec)` and the like: the builtin's formatting, never a
/// subclass's `__format__` (an empty spec is `str(x)`, as CPython's slots do).
fn base_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = super::method_args(vm, "__format__", a, 1, 1)?;
    let Some(spec) = crate::types::str::as_str(&r[0]) else {
        let tn = r[0].type_data().name.clone();
        return Err(vm.type_error(format!("__format__() argument must be str, not {tn}")));
    };
    if spec.is_empty() {
        return ops::str_value(vm, s);
    }
    crate::format::format_value(vm, s, spec).map(crate::types::str::new_string)
}

fn base_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = super::method_args(vm, "__eq__", a, 1, 1)?;
    ops::compare_base(vm, s, &r[0], ops::EQ)
}

fn base_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::method_args(vm, "__hash__", a, 0, 0)?;
    Ok(Value::int(vm.hash_base(s)?))
}
