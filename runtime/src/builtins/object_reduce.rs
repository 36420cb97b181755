//! `object.__reduce_ex__`, `object.__reduce__` and `object.__getstate__`: the default
//! pickling protocol that `copy`, `pickle` and `copyreg` build on (CPython's
//! `Objects/typeobject.c` reduce code, written anew).
//!
//! Protocol 2 and later describe an object as "call `cls.__new__(cls, *args)` (through
//! `copyreg.__newobj__`), then restore this state": the args come from
//! `__getnewargs_ex__`/`__getnewargs__`, the state from `__getstate__` (the instance
//! dict, plus the `__slots__` values as a second dict), and list and dict subclasses add
//! their items. Protocols 0 and 1 go through `copyreg._reduce_ex`. A class that defines
//! its own `__reduce__` gets it called instead.
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::str::as_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::{Types, types};

fn copyreg(vm: &mut Vm, name: &str) -> PyResult<Value> {
    let m = crate::import::import_module(vm, "copyreg")?;
    ops::getattr_str(vm, &m, name)
}

/// Whether `name` on `obj`'s type is still `object`'s own method.
fn is_object_default(obj: &Value, name: &str) -> bool {
    let td = obj.type_data();
    match (
        td.lookup(name),
        crate::types::class::type_data_raw(types().object)
            .dict
            .get_str(name),
    ) {
        (Some(a), Some(b)) => a.is(&b),
        _ => false,
    }
}

fn reduce_ex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    // `object.__reduce_ex__(protocol, /)`: exactly one argument.
    let (obj, rest) = super::method_args(vm, "object.__reduce_ex__", a, 1, 1)?;
    let proto = ops::to_isize(vm, &rest[0])?;
    if !is_object_default(obj, "__reduce__") {
        let f = ops::getattr_str(vm, obj, "__reduce__")?;
        return vm.call(&f, &[]);
    }
    common_reduce(vm, obj, proto)
}

fn reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (obj, _) = super::method_args(vm, "object.__reduce__", a, 0, 0)?;
    common_reduce(vm, obj, 0)
}

fn common_reduce(vm: &mut Vm, obj: &Value, proto: i64) -> PyResult<Value> {
    if proto >= 2 {
        return reduce_newobj(vm, obj);
    }
    let f = copyreg(vm, "_reduce_ex")?;
    vm.call(&f, &[obj.clone(), Value::int(proto)])
}

/// A special method of `obj`, bound: looked up on its type as CPython's
/// `_PyObject_LookupSpecial` (an instance `__getattr__` is not asked).
fn special(vm: &mut Vm, obj: &Value, name: &str) -> PyResult<Option<Value>> {
    match obj.type_data().lookup(name) {
        Some(d) => ops::bind_descriptor(vm, d, obj, &obj.type_of()).map(Some),
        None => Ok(None),
    }
}

/// The arguments `cls.__new__` needs to remake `obj`: (args, kwargs or None).
fn newargs(vm: &mut Vm, obj: &Value) -> PyResult<(Value, Option<Value>)> {
    if let Some(f) = special(vm, obj, "__getnewargs_ex__")? {
        let r = vm.call(&f, &[])?;
        let items = match r.downcast::<TupleObj>() {
            Some(t) if t.items.len() == 2 => t.items.to_vec(),
            _ => {
                return Err(vm.type_error("__getnewargs_ex__ should return a tuple of length 2"));
            }
        };
        if items[0].downcast::<TupleObj>().is_none() {
            let tn = items[0].type_data().name.clone();
            return Err(vm.type_error(format!(
                "first item of the tuple returned by __getnewargs_ex__ must be a tuple, not '{tn}'"
            )));
        }
        if items[1].downcast::<DictObj>().is_none() {
            let tn = items[1].type_data().name.clone();
            return Err(vm.type_error(format!(
                "second item of the tuple returned by __getnewargs_ex__ must be a dict, not '{tn}'"
            )));
        }
        return Ok((items[0].clone(), Some(items[1].clone())));
    }
    if let Some(f) = special(vm, obj, "__getnewargs__")? {
        let r = vm.call(&f, &[])?;
        if r.downcast::<TupleObj>().is_none() {
            let tn = r.type_data().name.clone();
            return Err(vm.type_error(format!("__getnewargs__ should return a tuple, not '{tn}'")));
        }
        return Ok((r, None));
    }
    Ok((TupleObj::from_iter([]), None))
}

fn reduce_newobj(vm: &mut Vm, obj: &Value) -> PyResult<Value> {
    let cls = obj.type_of();
    let (args, kwargs) = newargs(vm, obj)?;
    let no_args = args
        .downcast::<TupleObj>()
        .is_none_or(|t| t.items.is_empty());
    let has_kwargs = kwargs
        .as_ref()
        .and_then(|k| k.downcast::<DictObj>().map(|d| !d.is_empty()))
        .unwrap_or(false);
    let (func, fargs) = if has_kwargs {
        (
            copyreg(vm, "__newobj_ex__")?,
            TupleObj::from_iter([cls, args, kwargs.unwrap_or_else(Value::none)]),
        )
    } else {
        let mut v = vec![cls];
        if let Some(t) = args.downcast::<TupleObj>() {
            v.extend(t.items.iter().cloned());
        }
        (copyreg(vm, "__newobj__")?, TupleObj::new_value(v))
    };
    if no_args
        && !has_kwargs
        && obj.downcast::<ListObj>().is_none()
        && obj.downcast::<DictObj>().is_none()
        && is_object_default(obj, "__getstate__")
        && has_native_state(obj)
    {
        // CPython's `object_getstate` with `required`: the state lives in the native
        // part, which neither `__new__()` nor the dict would restore.
        // Named by `tp_name`, qualified for native types (`_bz2.BZ2Compressor`).
        let tn = crate::types::native::tp_name(obj.type_data());
        return Err(vm.type_error(format!("cannot pickle '{tn}' object")));
    }
    let gs = ops::getattr_str(vm, obj, "__getstate__")?;
    let state = vm.call(&gs, &[])?;
    let listitems = if obj.downcast::<ListObj>().is_some() {
        ops::get_iter(vm, obj)?
    } else {
        Value::none()
    };
    let dictitems = if obj.downcast::<DictObj>().is_some() {
        let items = ops::getattr_str(vm, obj, "items")?;
        let it = vm.call(&items, &[])?;
        ops::get_iter(vm, &it)?
    } else {
        Value::none()
    };
    Ok(TupleObj::from_iter([
        func, fargs, state, listitems, dictitems,
    ]))
}

/// Whether `obj` is (or derives from) a builtin or native type other than `object`
/// whose instances carry state outside any `__dict__` (CPython: a basic size larger
/// than `object`'s), e.g. `_thread.lock` or `_multiprocessing.SemLock`.
fn has_native_state(obj: &Value) -> bool {
    let object = types().object;
    let td = obj.type_data();
    td.mro.read(|mro| {
        mro.iter()
            .map(|t| (t.raw(), crate::types::class::type_data_raw(t.raw())))
            .find(|(_, b)| !b.is_heap)
            .is_some_and(|(raw, b)| raw != object && b.native.is_some())
    })
}

/// `object.__getstate__()`: the instance dict (None when empty or absent), paired with
/// a dict of the set `__slots__` values when there are any.
fn getstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(obj) = a.pos().first() else {
        return Err(vm.type_error("descriptor '__getstate__' needs an argument"));
    };
    let dict = ops::getattr_opt(vm, obj, "__dict__")?
        .filter(|d| d.downcast::<DictObj>().is_some_and(|d| !d.is_empty()));
    let mut state = match dict {
        Some(d) => Value::alloc(
            d.downcast::<DictObj>()
                .map(|d| d.copy())
                .unwrap_or_default(),
        ),
        None => Value::none(),
    };
    let f = copyreg(vm, "_slotnames")?;
    let names = vm.call(&f, &[obj.type_of()])?;
    let names = ops::collect(vm, &names)?;
    if !names.is_empty() {
        let slots = DictObj::new();
        for n in &names {
            let Some(name) = as_str(n) else { continue };
            if let Some(v) = ops::getattr_opt(vm, obj, name)? {
                slots.set_str(name, v);
            }
        }
        if !slots.is_empty() {
            state = TupleObj::from_iter([state, Value::alloc(slots)]);
        }
    }
    Ok(state)
}

/// `__reduce__` of builtin functions and methods (CPython's `meth_reduce` and
/// `descr_reduce`): a plain function pickles as its name (a global of its module), a
/// bound method as `getattr(self, name)`, a method descriptor as `getattr(type, name)`.
fn builtin_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(b) = a
        .pos()
        .first()
        .and_then(crate::types::func::BuiltinFuncObj::of)
    else {
        return Err(vm.type_error("descriptor '__reduce__' needs a builtin function"));
    };
    let target = if !b.self_.is_null() {
        b.self_.clone()
    } else if !b.objclass.is_null() {
        b.objclass.clone()
    } else {
        return Ok(crate::types::str::new_str(b.name));
    };
    if target
        .downcast::<crate::types::module::ModuleObj>()
        .is_some()
    {
        return Ok(crate::types::str::new_str(b.name));
    }
    let getattr = vm
        .builtins_dict()
        .get_str("getattr")
        .ok_or_else(|| vm.type_error("builtins.getattr is missing"))?;
    let args = TupleObj::from_iter([target, crate::types::str::new_str(b.name)]);
    Ok(TupleObj::from_iter([getattr, args]))
}

/// `__getnewargs__` of the immutable builtins (int, float, complex, str, bytes, tuple):
/// the plain value, so instances of their subclasses are remade by `cls.__new__(cls,
/// value)` under protocol 2 and later.
fn getnewargs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(obj) = a.pos().first() else {
        return Err(vm.type_error("descriptor '__getnewargs__' needs an argument"));
    };
    let t = types();
    let td = obj.type_data();
    let v = if td.is_subtype_raw(t.int) {
        match crate::types::int::as_int(obj) {
            Some(i) => Value::bigint(i.to_big()),
            None => Value::int(0),
        }
    } else if td.is_subtype_raw(t.float) {
        Value::float(obj.as_float().unwrap_or(0.0))
    } else if td.is_subtype_raw(t.complex) {
        let (re, im) = ops::as_complex(obj).unwrap_or((0.0, 0.0));
        return Ok(TupleObj::from_iter([Value::float(re), Value::float(im)]));
    } else if td.is_subtype_raw(t.str) {
        match crate::types::str::as_str_flag(obj) {
            Some((s, f)) => crate::types::str::new_string_flagged(s.to_string(), f),
            None => crate::types::str::new_str(""),
        }
    } else if td.is_subtype_raw(t.bytes) {
        let b = crate::types::bytes::as_bytes(obj).unwrap_or_default();
        crate::types::bytes::BytesObj::new_value(b)
    } else if let Some(tu) = obj.downcast::<TupleObj>() {
        TupleObj::new_value(tu.items.to_vec())
    } else {
        return Err(vm.type_error("__getnewargs__ of an unsupported type"));
    };
    Ok(TupleObj::from_iter([v]))
}

/// `set.__reduce__` and `frozenset.__reduce__`: `(type(self), (list(self),), state)`.
fn set_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(obj) = a.pos().first() else {
        return Err(vm.type_error("descriptor '__reduce__' needs an argument"));
    };
    let Some(s) = crate::types::set::as_set(obj) else {
        return Err(vm.type_error("descriptor '__reduce__' requires a 'set' object"));
    };
    let keys = ListObj::new_value(s.keys());
    let gs = ops::getattr_str(vm, obj, "__getstate__")?;
    let state = vm.call(&gs, &[])?;
    Ok(TupleObj::from_iter([
        obj.type_of(),
        TupleObj::from_iter([keys]),
        state,
    ]))
}

/// `method.__reduce__` (a bound method): `getattr(self, func.__name__)`.
fn method_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(m) = a
        .pos()
        .first()
        .and_then(|v| v.downcast::<crate::types::func::MethodObj>())
    else {
        return Err(vm.type_error("descriptor '__reduce__' requires a 'method' object"));
    };
    let (func, this) = (m.func.clone(), m.self_.clone());
    let name = ops::getattr_str(vm, &func, "__name__")?;
    let getattr = vm
        .builtins_dict()
        .get_str("getattr")
        .ok_or_else(|| vm.type_error("builtins.getattr is missing"))?;
    Ok(TupleObj::from_iter([
        getattr,
        TupleObj::from_iter([this, name]),
    ]))
}

/// `Ellipsis.__reduce__()` and `NotImplemented.__reduce__()`: their builtin names.
fn singleton_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = match a.pos().first() {
        Some(v) if v.is(&Value::ellipsis()) => "Ellipsis",
        Some(v) if v.is(&Value::not_implemented()) => "NotImplemented",
        _ => return Err(vm.type_error("descriptor '__reduce__' needs a singleton")),
    };
    Ok(crate::types::str::new_str(name))
}

/// `range.__reduce__` and `slice.__reduce__`: `(type, (start, stop, step))`.
fn span_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(obj) = a.pos().first() else {
        return Err(vm.type_error("descriptor '__reduce__' needs an argument"));
    };
    let mut parts = Vec::with_capacity(3);
    for n in ["start", "stop", "step"] {
        parts.push(ops::getattr_str(vm, obj, n)?);
    }
    Ok(TupleObj::from_iter([
        obj.type_of(),
        TupleObj::new_value(parts),
    ]))
}

pub fn install(t: &Types) {
    super::add_method(t.range, "__reduce__", span_reduce);
    super::add_method(t.slice, "__reduce__", span_reduce);
    super::add_method(t.method, "__reduce__", method_reduce);
    super::add_method(t.ellipsis_type, "__reduce__", singleton_reduce);
    super::add_method(t.not_implemented_type, "__reduce__", singleton_reduce);
    for ty in [t.int, t.float, t.complex, t.str, t.bytes, t.tuple] {
        super::add_method(ty, "__getnewargs__", getnewargs);
    }
    super::add_method(t.set, "__reduce__", set_reduce);
    super::add_method(t.frozenset, "__reduce__", set_reduce);
    super::add_method(t.builtin_function, "__reduce__", builtin_reduce);
    super::add_method(t.method_descriptor, "__reduce__", builtin_reduce);
    super::add_method(t.object, "__reduce_ex__", reduce_ex);
    super::add_method(t.object, "__reduce__", reduce);
    super::add_method(t.object, "__getstate__", getstate);
}
