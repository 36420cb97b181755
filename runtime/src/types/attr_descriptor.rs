//! `getset_descriptor` and `member_descriptor`: the class-level face of attributes that
//! builtin objects compute natively (`FunctionType.__code__`, `FunctionType.__globals__`).
//!
//! stitch reads these attributes through its own fast paths, so the descriptors exist for
//! introspection: `types.GetSetDescriptorType = type(FunctionType.__code__)`, `inspect`
//! classifying class attributes, `vars(type)` listings. `__get__` on an instance reads
//! the attribute the ordinary way; on the class it gives the descriptor itself.
use crate::native_payload;
use crate::ops;
use crate::types::class::Kind;
use crate::types::native::{NativeType, downcast, new_type};
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub struct AttrDescriptor {
    name: &'static str,
    /// The class the attribute belongs to.
    owner: Value,
}

/// The two flavours differ only in their type (and repr), as in CPython.
pub struct MemberDescriptor(AttrDescriptor);

native_payload!(AttrDescriptor, GETSET);
native_payload!(MemberDescriptor, MEMBER);

static GETSET_TABLE: NativeType = NativeType::of::<AttrDescriptor>();
static MEMBER_TABLE: NativeType = NativeType::of::<MemberDescriptor>();

fn inner(v: &Value) -> Option<(&AttrDescriptor, &'static str)> {
    if let Some(d) = downcast::<AttrDescriptor>(v) {
        return Some((d, "attribute"));
    }
    downcast::<MemberDescriptor>(v).map(|m| (&m.0, "member"))
}

fn get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some((d, _)) = p.first().and_then(inner) else {
        return Err(vm.type_error("descriptor '__get__' needs a descriptor"));
    };
    match p.get(1) {
        Some(obj) if !obj.is_none() => ops::getattr_str(vm, obj, d.name),
        _ => Ok(p[0].clone()),
    }
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((d, kind)) = a.pos().first().and_then(inner) else {
        return Err(vm.type_error("descriptor '__repr__' needs a descriptor"));
    };
    let owner = crate::types::class::as_type(&d.owner).map_or(String::new(), |t| t.name.clone());
    Ok(new_str(&format!(
        "<{kind} '{}' of '{owner}' objects>",
        d.name
    )))
}

fn name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match a.pos().first().and_then(inner) {
        Some((d, _)) => Ok(new_str(d.name)),
        None => Err(vm.type_error("descriptor needed")),
    }
}

fn objclass(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match a.pos().first().and_then(inner) {
        Some((d, _)) => Ok(d.owner.clone()),
        None => Err(vm.type_error("descriptor needed")),
    }
}

fn setup(t: &Value) {
    crate::modules::native_args::methods(t, &[("__get__", get), ("__repr__", repr)]);
    crate::modules::native_args::getset(t, "__name__", name, None);
    crate::modules::native_args::getset(t, "__objclass__", objclass, None);
    crate::types::layout::set_final(t.raw());
}

/// A `getset_descriptor` for attribute `name` of `owner`'s instances.
pub fn getset(name: &'static str, owner: Value) -> Value {
    Value::alloc(AttrDescriptor { name, owner })
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
        let d = Value::alloc(AttrDescriptor {
            name: n,
            owner: func.clone(),
        });
        crate::object::make_immortal(d.raw());
        td.dict.set_str(n, d);
    }
    for n in ["__globals__", "__closure__", "__module__"] {
        let d = Value::alloc(MemberDescriptor(AttrDescriptor {
            name: n,
            owner: func.clone(),
        }));
        crate::object::make_immortal(d.raw());
        td.dict.set_str(n, d);
    }
}
