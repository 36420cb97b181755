//! The `__dict__` and `__weakref__` getset descriptors CPython's `type_new` puts in the
//! dict of a class that adds an instance dict or weak reference support to its base
//! (`C.__dict__['__dict__']`, `vars(C)` listing both, `inspect` classifying them).
//!
//! stitch's attribute code reads an instance's dict and weak reference list natively
//! (`ops/attr.rs`'s `builtin_attr`); these descriptors are that access's class-level
//! face, found by MRO lookups as CPython's are: a subclass does not get its own copy
//! when a base already gave its instances a dict.
use crate::types::attr_descriptor::AttrDescriptor;
use crate::types::class::{Kind, TypeData, as_type};
use crate::types::native::downcast;
use crate::value::Value;
use crate::vm::{PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

/// Do instances of the base class `bt` already have a dict (CPython's
/// `tp_dictoffset != 0`)?
fn base_has_dict(bt: &TypeData) -> bool {
    if bt.is_heap {
        return bt.has_dict;
    }
    let t = types();
    let raw = bt.self_raw();
    bt.is_exception
        || matches!(bt.kind, Kind::Module | Kind::Type | Kind::Function)
        || raw == t.staticmethod
        || raw == t.classmethod
        || bt.native.is_some_and(|n| n.dict_offset != 0)
}

/// Do instances of the base class `bt` already support weak references (CPython's
/// `tp_weaklistoffset != 0`)?
fn base_has_weakref(bt: &TypeData) -> bool {
    if bt.is_heap {
        return crate::types::weakref::heap_class_weakrefable(bt);
    }
    crate::types::weakref::native_type_weakrefable(bt)
}

/// Put `__dict__` / `__weakref__` getsets in the dict of the new class `cls` when its
/// instances get a dict (`wants_dict`: no `__slots__`, or `__dict__` among them) or
/// weak references (`wants_weakref`) that no base gave them. A name the class body
/// binds itself is kept (CPython's `PyDict_SetDefault`).
pub fn add(cls: &Value, td: &TypeData, bases: &[Value], wants_dict: bool, wants_weakref: bool) {
    let base_types: Vec<&TypeData> = bases.iter().filter_map(as_type).collect();
    let var_size = matches!(td.kind, Kind::Int | Kind::Bool | Kind::Tuple | Kind::Bytes);
    let add_dict = wants_dict && !base_types.iter().any(|b| base_has_dict(b));
    let add_weakref = wants_weakref && !var_size && !base_types.iter().any(|b| base_has_weakref(b));
    for (name, wanted) in [("__dict__", add_dict), ("__weakref__", add_weakref)] {
        if wanted && td.dict.get_str(name).is_none() {
            td.dict.set_str(
                name,
                crate::types::attr_descriptor::getset(name, cls.clone()),
            );
        }
    }
}

/// `getset.__get__(obj)` for a Python class's `__dict__` / `__weakref__` getset:
/// CPython's receiver check, then the instance's dict (the attribute code's, read
/// directly: an ordinary lookup would find this descriptor again) or its weak
/// references (stitch keeps them outside the object: "none yet"). None for the other
/// getsets.
pub fn get(vm: &mut Vm, d: &AttrDescriptor, obj: &Value) -> PyResult<Option<Value>> {
    let name = d.name();
    let Some(owner) = as_type(d.owner()).filter(|t| t.is_heap) else {
        return Ok(None);
    };
    if name != "__dict__" && name != "__weakref__" {
        return Ok(None);
    }
    if !obj.type_data().is_subtype_raw(d.owner().raw()) {
        return Err(vm.type_error(format!(
            "descriptor '{name}' for '{}' objects doesn't apply to a '{}' object",
            owner.name,
            obj.type_data().name
        )));
    }
    if name == "__weakref__" {
        return Ok(Some(Value::none()));
    }
    let td = obj.type_data();
    let dict = match crate::ops::instance(obj) {
        Some(inst) => (!inst.dict.is_null()).then(|| inst.dict.clone()),
        None => td.instance_dict(obj).cloned(),
    };
    match dict {
        Some(d) => Ok(Some(d)),
        None => Err(vm.attribute_error("This object has no __dict__")),
    }
}

/// `cls` (any object, just made immortal) is a class: its own `__dict__` /
/// `__weakref__` getsets become immortal too. The native stand-ins stitch builds as
/// classes (`os.stat_result`, `_io._IOBase`) live for the whole run, and their
/// descriptors with them, so they leave the live-object count as the class does.
pub fn immortal_with_class(cls: RawValue) {
    if crate::world::types_if_ready().is_none() {
        return;
    }
    let v = Value::from_borrowed(cls);
    let Some(td) = as_type(&v).filter(|t| t.is_heap) else {
        return;
    };
    for name in ["__dict__", "__weakref__"] {
        if let Some(d) = td.dict.get_str(name)
            && downcast::<AttrDescriptor>(&d).is_some_and(|a| a.owner().raw() == cls)
            && !crate::object::is_immortal(d.raw())
        {
            crate::object::make_immortal(d.raw());
        }
    }
}
