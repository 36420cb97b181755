//! `types.MappingProxyType` (`mappingproxy`): a read-only view of a mapping, and what
//! `C.__dict__` returns for a class.
//!
//! A proxy reads through to its mapping on every use (no copy), so changes made to the
//! mapping show through it, while the proxy itself has no way to write. Two targets:
//! - any mapping, from `MappingProxyType(m)`: every operation is the mapping's own
//!   (`m[k]`, `len(m)`, `m.get`, `m.keys()`, ...), as CPython forwards them;
//! - a class's namespace, from `C.__dict__`: stitch keeps a class's dict inline in its
//!   `TypeData` (not as an object of its own), so the proxy holds the class and reads
//!   `TypeData::dict` directly. Lookups, `in` and `len` take the dict's lock and run no
//!   Python code beyond the key's `__hash__`/`__eq__`; iteration, `keys()`/`values()`/
//!   `items()` and `copy()` work on a snapshot of the namespace taken at the call.
//!   Since the proxy never caches anything, a write to the class (`setattr`, which
//!   bumps the type version and invalidates the attribute cache) is seen by the next
//!   read.
use crate::native_payload;
use crate::ops;
use crate::ops::{EQ, GE, GT, LE, LT, NE};
use crate::types::class::{Kind, TypeData, as_type};
use crate::types::dict::DictObj;
use crate::types::native::{NativeType, downcast, new_type};
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub struct MappingProxy {
    /// The mapping read through, or the class whose namespace is read (`class_ns`).
    target: Value,
    /// Whether `target` is a class whose inline `TypeData::dict` is the mapping.
    class_ns: bool,
}

native_payload!(MappingProxy, MAPPING_PROXY);

static TABLE: NativeType = NativeType {
    new: Some(mp_new),
    ..NativeType::of::<MappingProxy>()
};

impl crate::gc::Traverse for MappingProxy {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        crate::gc::visit_value(&self.target, visit);
    }
}

/// `C.__dict__`: a proxy over the live namespace of the class `cls`.
pub fn of_class(cls: &Value) -> Value {
    Value::alloc(MappingProxy {
        target: cls.clone(),
        class_ns: true,
    })
}

/// `MappingProxyType(mapping)` for a mapping the caller knows to be one (a dict).
pub fn of_mapping(mapping: Value) -> Value {
    Value::alloc(MappingProxy {
        target: mapping,
        class_ns: false,
    })
}

/// What the proxy `v` reads: the namespace of a class, or a mapping object.
enum Target<'a> {
    Class(&'a TypeData),
    Mapping(&'a Value),
}

fn target<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<Target<'a>> {
    let Some(p) = downcast::<MappingProxy>(v) else {
        return Err(vm.type_error("descriptor requires a 'mappingproxy' object"));
    };
    if p.class_ns
        && let Some(td) = as_type(&p.target)
    {
        return Ok(Target::Class(td));
    }
    Ok(Target::Mapping(&p.target))
}

/// The mapping as an object: the mapping itself, or a snapshot of a class namespace.
fn mapping_value(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    Ok(match target(vm, v)? {
        Target::Class(td) => Value::alloc(td.dict.copy()),
        Target::Mapping(m) => m.clone(),
    })
}

/// `PyMapping_Check` as `mappingproxy()` applies it: the type has `__getitem__`, and
/// the object is no list or tuple (sequences index by position).
fn is_mapping(v: &Value) -> bool {
    let t = types();
    let td = v.type_data();
    if td.is_subtype_raw(t.list) || td.is_subtype_raw(t.tuple) {
        return false;
    }
    td.lookup("__getitem__").is_some()
}

fn mp_new(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    let got = crate::modules::native_args::bind(vm, "mappingproxy", a, &["mapping"], 1, 1)?;
    let Some(m) = got[0] else {
        return Err(vm.type_error("mappingproxy() missing required argument 'mapping' (pos 1)"));
    };
    if !is_mapping(m) {
        let n = m.type_data().name.clone();
        return Err(vm.type_error(format!(
            "mappingproxy() argument must be a mapping, not {n}"
        )));
    }
    // A proxy of a proxy reads the same mapping (CPython wraps it again; reads agree).
    Ok(of_mapping(m.clone()))
}

/// The proxy and the method's other arguments.
fn recv<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<(&'a Value, &'a [Value])> {
    crate::modules::native_args::this(vm, name, a, min, max)
}

fn call_method(vm: &mut Vm, m: &Value, name: &str, args: &[Value]) -> PyResult<Value> {
    let f = ops::getattr_str(vm, m, name)?;
    vm.call(&f, args)
}

fn mp_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = recv(vm, "__getitem__", a, 1, 1)?;
    match target(vm, s)? {
        Target::Class(td) => match td.dict.get(vm, &r[0])? {
            Some(v) => Ok(v),
            None => Err(vm.key_error(r[0].clone())),
        },
        Target::Mapping(m) => ops::getitem(vm, m, &r[0]),
    }
}

fn mp_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = recv(vm, "get", a, 1, 2)?;
    let default = r.get(1).cloned().unwrap_or_else(Value::none);
    match target(vm, s)? {
        Target::Class(td) => Ok(td.dict.get(vm, &r[0])?.unwrap_or(default)),
        Target::Mapping(m) => {
            if let Some(d) = m.downcast_exact::<DictObj>() {
                return Ok(d.get(vm, &r[0])?.unwrap_or(default));
            }
            let m = m.clone();
            call_method(vm, &m, "get", &[r[0].clone(), default])
        }
    }
}

fn mp_contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = recv(vm, "__contains__", a, 1, 1)?;
    let found = match target(vm, s)? {
        Target::Class(td) => td.dict.contains(vm, &r[0])?,
        Target::Mapping(m) => ops::contains(vm, m, &r[0])?,
    };
    Ok(Value::bool(found))
}

fn mp_len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = recv(vm, "__len__", a, 0, 0)?;
    let n = match target(vm, s)? {
        Target::Class(td) => td.dict.len(),
        Target::Mapping(m) => ops::len(vm, m)?,
    };
    Ok(Value::int(n as i64))
}

fn mp_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = recv(vm, "__iter__", a, 0, 0)?;
    let m = mapping_value(vm, s)?;
    ops::get_iter(vm, &m)
}

fn mp_reversed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = recv(vm, "__reversed__", a, 0, 0)?;
    let m = mapping_value(vm, s)?;
    crate::builtins::iter_types::reversed_base(vm, &m)
}

/// `keys()`, `values()`, `items()` and `copy()`: the mapping's own methods.
fn forward(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    let (s, _) = recv(vm, name, a, 0, 0)?;
    let m = mapping_value(vm, s)?;
    if name == "copy"
        && let Ok(Target::Class(_)) = target(vm, s)
    {
        // The snapshot already is the copy.
        return Ok(m);
    }
    call_method(vm, &m, name, &[])
}

fn mp_keys(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    forward(vm, a, "keys")
}

fn mp_values(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    forward(vm, a, "values")
}

fn mp_items(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    forward(vm, a, "items")
}

fn mp_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    forward(vm, a, "copy")
}

fn mp_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = recv(vm, "__repr__", a, 0, 0)?;
    let m = mapping_value(vm, s)?;
    let r = ops::repr(vm, &m)?;
    Ok(new_str(&format!("mappingproxy({r})")))
}

fn mp_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = recv(vm, "__str__", a, 0, 0)?;
    let m = mapping_value(vm, s)?;
    ops::str_value(vm, &m)
}

/// Comparisons are the mapping's (`proxy == d` compares `d` with the other operand).
fn compare(vm: &mut Vm, a: &Args, name: &str, op: u32) -> PyResult<Value> {
    let (s, r) = recv(vm, name, a, 1, 1)?;
    let m = mapping_value(vm, s)?;
    ops::compare(vm, &m, &r[0], op)
}

fn mp_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__eq__", EQ)
}
fn mp_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__ne__", NE)
}
fn mp_lt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__lt__", LT)
}
fn mp_le(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__le__", LE)
}
fn mp_gt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__gt__", GT)
}
fn mp_ge(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    compare(vm, a, "__ge__", GE)
}

/// `a | b` with either side a proxy: the union of the mappings under it.
fn or(vm: &mut Vm, x: &Value, y: &Value) -> PyResult<Value> {
    let unwrap = |vm: &mut Vm, v: &Value| -> PyResult<Value> {
        if downcast::<MappingProxy>(v).is_some() {
            mapping_value(vm, v)
        } else {
            Ok(v.clone())
        }
    };
    let (x, y) = (unwrap(vm, x)?, unwrap(vm, y)?);
    ops::binary_op(vm, &x, &y, crate::instructions::NB_OR)
}

fn mp_or(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = recv(vm, "__or__", a, 1, 1)?;
    or(vm, s, &r[0])
}

fn mp_ror(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = recv(vm, "__ror__", a, 1, 1)?;
    or(vm, &r[0], s)
}

fn mp_ior(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.type_error("'|=' is not supported by mappingproxy; use '|' instead"))
}

/// Create `mappingproxy` (`types.MappingProxyType`).
pub fn install() {
    let t = new_type::<MappingProxy>(
        "mappingproxy",
        "builtins",
        types().object,
        Kind::Native,
        &TABLE,
        &MAPPING_PROXY,
    );
    crate::modules::native_args::methods(
        &t,
        &[
            ("__getitem__", mp_getitem),
            ("__contains__", mp_contains),
            ("__len__", mp_len),
            ("__iter__", mp_iter),
            ("__reversed__", mp_reversed),
            ("__repr__", mp_repr),
            ("__str__", mp_str),
            ("__eq__", mp_eq),
            ("__ne__", mp_ne),
            ("__lt__", mp_lt),
            ("__le__", mp_le),
            ("__gt__", mp_gt),
            ("__ge__", mp_ge),
            ("__or__", mp_or),
            ("__ror__", mp_ror),
            ("__ior__", mp_ior),
            ("get", mp_get),
            ("keys", mp_keys),
            ("values", mp_values),
            ("items", mp_items),
            ("copy", mp_copy),
        ],
    );
    crate::modules::native_args::attr(&t, "__hash__", Value::none());
    crate::builtins::add_classmethod(
        t.raw(),
        "__class_getitem__",
        crate::types::generic_alias::class_getitem,
    );
    crate::types::layout::set_final(t.raw());
}
