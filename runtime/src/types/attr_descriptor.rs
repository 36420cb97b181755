//! `getset_descriptor` and `member_descriptor`: the class-level face of attributes that
//! builtin objects compute natively (`FunctionType.__code__`, `FunctionType.__globals__`),
//! and the member descriptors of `__slots__` names.
//!
//! stitch reads builtin objects' attributes through its own fast paths, so their
//! descriptors exist for introspection: `types.GetSetDescriptorType =
//! type(FunctionType.__code__)`, `inspect` classifying class attributes, `vars(type)`
//! listings. `__get__` on an instance reads the attribute the ordinary way; on the class
//! it gives the descriptor itself.
//!
//! A slot's member descriptor is the one way to its value (`types/slots.rs`): the
//! attribute protocols and the specializer find it in the class's MRO, as CPython's
//! `member_get`/`member_set` are found, and read the instance slot it indexes.
use crate::native_payload;
use crate::ops;
use crate::types::class::Kind;
use crate::types::native::{NativeType, downcast, new_type};
use crate::types::str::{as_str, new_str};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub struct AttrDescriptor {
    /// The attribute's name (a str).
    name: Value,
    /// The class the attribute belongs to.
    owner: Value,
}

impl AttrDescriptor {
    pub fn name(&self) -> &str {
        as_str(&self.name).unwrap_or("")
    }

    pub fn owner(&self) -> &Value {
        &self.owner
    }
}

/// A `member_descriptor`: a builtin object's member (function `__globals__`), or a
/// `__slots__` name of a Python class.
pub struct MemberDescriptor {
    attr: AttrDescriptor,
    /// The slot's index in the instance layout of `owner` and its subclasses; None
    /// for the members of builtin types.
    pub slot: Option<u32>,
}

impl MemberDescriptor {
    pub fn attr(&self) -> &AttrDescriptor {
        &self.attr
    }
}

native_payload!(AttrDescriptor, GETSET);
native_payload!(MemberDescriptor, MEMBER);

static GETSET_TABLE: NativeType = NativeType::of::<AttrDescriptor>();
static MEMBER_TABLE: NativeType = NativeType::of::<MemberDescriptor>();

impl crate::gc::Traverse for AttrDescriptor {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        crate::gc::visit_value(&self.owner, visit);
    }
}

impl crate::gc::Traverse for MemberDescriptor {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.attr.traverse(visit);
    }
}

fn inner(v: &Value) -> Option<(&AttrDescriptor, &'static str)> {
    if let Some(d) = downcast::<AttrDescriptor>(v) {
        return Some((d, "attribute"));
    }
    downcast::<MemberDescriptor>(v).map(|m| (&m.attr, "member"))
}

/// Is `d` the `__dict__` getset a class gets for its instances' dicts (the dict is
/// then read by the object's own attribute code)?
pub fn is_instance_dict_getset(d: &Value) -> bool {
    downcast::<AttrDescriptor>(d).is_some_and(|a| a.name() == "__dict__")
}

/// The member descriptor of a `__slots__` name, if `d` is one.
#[inline]
pub fn slot_member(d: &Value) -> Option<&MemberDescriptor> {
    downcast::<MemberDescriptor>(d).filter(|m| m.slot.is_some())
}

/// Is `d` a builtin type's member (a `member_descriptor` that is not a slot's)? Its
/// object's own attribute code reads and writes it, so the protocols pass it by.
pub fn builtin_member(d: &Value) -> bool {
    downcast::<MemberDescriptor>(d).is_some_and(|m| m.slot.is_none())
}

/// The member descriptor of slot `index` named `name` (a str) of class `owner`.
pub fn slot_descriptor(name: Value, owner: Value, index: u32) -> Value {
    Value::alloc(MemberDescriptor {
        attr: AttrDescriptor { name, owner },
        slot: Some(index),
    })
}

fn get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some((d, _)) = p.first().and_then(inner) else {
        return Err(vm.type_error("descriptor '__get__' needs a descriptor"));
    };
    let (obj, cls) = match p.len() {
        2 => (&p[1], None),
        3 => (&p[1], Some(&p[2])),
        n => {
            let n = n.saturating_sub(1);
            let want = if n == 0 {
                "at least 1 argument"
            } else {
                "at most 2 arguments"
            };
            return Err(vm.type_error(format!(" expected {want}, got {n}")));
        }
    };
    if obj.is_none() {
        if cls.is_none_or(|c| c.is_none()) {
            return Err(vm.type_error("__get__(None, None) is invalid"));
        }
        return Ok(p[0].clone());
    }
    if let Some(m) = slot_member(&p[0]) {
        return crate::types::slots::get(vm, m, obj);
    }
    if let Some(v) = crate::types::instance_getsets::get(vm, d, obj)? {
        return Ok(v);
    }
    ops::getattr_str(vm, obj, d.name())
}

/// `member.__set__(obj, value)` and `member.__delete__(obj)`; a builtin type's member
/// is set the way its object's attribute is.
fn set_or_delete(vm: &mut Vm, a: &Args, nargs: usize) -> PyResult<Value> {
    let p = a.pos();
    let Some((d, _)) = p.first().and_then(inner) else {
        return Err(vm.type_error("descriptor '__set__' needs a descriptor"));
    };
    if p.len() != nargs + 1 {
        let s = if nargs == 1 { "" } else { "s" };
        return Err(vm.type_error(format!(
            " expected {nargs} argument{s}, got {}",
            p.len() - 1
        )));
    }
    let value = p.get(2).cloned();
    if let Some(m) = slot_member(&p[0]) {
        crate::types::slots::set(vm, m, &p[1], value)?;
        return Ok(Value::none());
    }
    let name = d.name.clone();
    match value {
        Some(v) => ops::setattr(vm, &p[1], &name, v)?,
        None => ops::delattr(vm, &p[1], &name)?,
    }
    Ok(Value::none())
}

fn set(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    set_or_delete(vm, a, 2)
}

fn delete(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    set_or_delete(vm, a, 1)
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((d, kind)) = a.pos().first().and_then(inner) else {
        return Err(vm.type_error("descriptor '__repr__' needs a descriptor"));
    };
    Ok(new_str(&format!(
        "<{kind} '{}' of '{}' objects>",
        d.name(),
        owner_name(d)
    )))
}

fn owner_name(d: &AttrDescriptor) -> String {
    crate::types::class::as_type(&d.owner).map_or(String::new(), |t| t.name.clone())
}

fn name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match a.pos().first().and_then(inner) {
        Some((d, _)) => Ok(d.name.clone()),
        None => Err(vm.type_error("descriptor needed")),
    }
}

fn qualname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match a.pos().first().and_then(inner) {
        Some((d, _)) => {
            let q = crate::types::class::as_type(&d.owner).map_or(String::new(), |t| t.qualname());
            Ok(new_str(&format!("{q}.{}", d.name())))
        }
        None => Err(vm.type_error("descriptor needed")),
    }
}

fn objclass(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match a.pos().first().and_then(inner) {
        Some((d, _)) => Ok(d.owner.clone()),
        None => Err(vm.type_error("descriptor needed")),
    }
}

/// The docstrings of the `__dict__` / `__weakref__` getsets of Python classes
/// (CPython's `subtype_getsets_full`); the others have none.
fn doc(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((d, "attribute")) = a.pos().first().and_then(inner) else {
        return Ok(Value::none());
    };
    let heap = crate::types::class::as_type(&d.owner).is_some_and(|t| t.is_heap);
    Ok(match d.name() {
        "__dict__" if heap => new_str("dictionary for instance variables"),
        "__weakref__" if heap => new_str("list of weak references to the object"),
        _ => Value::none(),
    })
}

/// `descr.__reduce__()`: `getattr(owner, name)`, as CPython pickles descriptors.
fn reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((d, _)) = a.pos().first().and_then(inner) else {
        return Err(vm.type_error("descriptor needed"));
    };
    let getattr = vm
        .builtins_dict()
        .get_str("getattr")
        .ok_or_else(|| vm.type_error("builtins.getattr is missing"))?;
    let args = crate::types::tuple::TupleObj::from_items([d.owner.clone(), d.name.clone()]);
    Ok(crate::types::tuple::TupleObj::from_items([getattr, args]))
}

fn setup(t: &Value) {
    crate::modules::native_args::methods(
        t,
        &[("__get__", get), ("__repr__", repr), ("__reduce__", reduce)],
    );
    crate::modules::native_args::getset(t, "__name__", name, None);
    crate::modules::native_args::getset(t, "__qualname__", qualname, None);
    crate::modules::native_args::getset(t, "__objclass__", objclass, None);
    crate::modules::native_args::getset(t, "__doc__", doc, None);
    crate::types::layout::set_final(t.raw());
}

/// A `getset_descriptor` for attribute `name` of `owner`'s instances.
pub fn getset(name: &str, owner: Value) -> Value {
    Value::alloc(AttrDescriptor {
        name: crate::world::intern(name),
        owner,
    })
}

/// Create the two descriptor types and describe the function type's attributes.
pub fn install() {
    let t = types();
    let gs = new_type::<AttrDescriptor>(
        "getset_descriptor",
        "builtins",
        t.object,
        Kind::Native,
        &GETSET_TABLE,
        &GETSET,
    );
    setup(&gs);
    let mb = new_type::<MemberDescriptor>(
        "member_descriptor",
        "builtins",
        t.object,
        Kind::Native,
        &MEMBER_TABLE,
        &MEMBER,
    );
    setup(&mb);
    // A member is a data descriptor (CPython's `member_descriptor` has both).
    crate::modules::native_args::methods(&mb, &[("__set__", set), ("__delete__", delete)]);
    let func = Value::from_borrowed(t.function);
    let td = crate::types::class::type_data_raw(t.function);
    for n in [
        "__code__",
        "__defaults__",
        "__kwdefaults__",
        "__annotations__",
        "__dict__",
        "__name__",
        "__qualname__",
    ] {
        let d = getset(n, func.clone());
        crate::object::make_immortal(d.raw());
        td.dict.set_str(n, d);
    }
    for n in ["__globals__", "__closure__", "__module__"] {
        let d = Value::alloc(MemberDescriptor {
            attr: AttrDescriptor {
                name: crate::world::intern(n),
                owner: func.clone(),
            },
            slot: None,
        });
        crate::object::make_immortal(d.raw());
        td.dict.set_str(n, d);
    }
}
