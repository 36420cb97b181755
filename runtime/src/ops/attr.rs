//! Attribute access: `obj.name` load, store and delete, and method loading.
use crate::types::attr_descriptor::{builtin_member, slot_member};
use crate::types::class::{
    HOOK_DELATTR, HOOK_GETATTR, HOOK_GETATTRIBUTE, HOOK_SETATTR, Kind, TypeData, as_type,
};
use crate::types::dict::DictObj;
use crate::types::func::{BuiltinFuncObj, FuncObj, MethodObj};
use crate::types::instance::Instance;
use crate::types::misc::{
    PropertyObj, SliceObj, SuperObj, is_classmethod, is_staticmethod, wrapped_func,
};
use crate::types::module::ModuleObj;
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm, exc_data, receiver_first};
use crate::world::types;

pub(crate) fn instance(v: &Value) -> Option<&Instance> {
    if v.type_data().kind == Kind::Object {
        // SAFETY: Kind::Object types lay out instances as `Instance`.
        Some(unsafe { v.payload_unchecked::<Instance>() })
    } else {
        None
    }
}

/// The descriptor method `method` (`__get__`, `__set__`, `__delete__`) of `d` when `d`'s
/// class defines it in Python: a user class, or a Python subclass of a builtin
/// descriptor (property, classmethod...) overriding the builtin's behaviour.
pub(crate) fn user_descriptor(d: &Value, method: &str) -> Option<Value> {
    if !d.is_ptr() {
        return None;
    }
    let td = d.type_data();
    if td.kind == Kind::Object || td.kind == Kind::Native {
        td.lookup(method)
    } else if td.is_heap {
        td.lookup_user(method)
    } else {
        None
    }
}

/// `property.__get__(obj)`: call the getter.
pub fn property_get(vm: &mut Vm, p: &PropertyObj, obj: &Value) -> PyResult<Value> {
    let g = p.fget.get_clone();
    if g.is_none() || g.is_null() {
        return Err(property_missing(vm, p, obj, "getter"));
    }
    vm.call(&g, std::slice::from_ref(obj))
}

/// CPython's "property 'x' of 'C' object has no setter": the name the property got
/// from `__set_name__` (if any) and the qualified name of the instance's class.
fn property_missing(vm: &mut Vm, p: &PropertyObj, obj: &Value, what: &str) -> crate::vm::PyErr {
    let qn = obj.type_data().qualname.get_clone();
    let name = p.name.get_clone();
    let msg = if name.is_null() {
        format!("property of '{qn}' object has no {what}")
    } else {
        let nr = match super::repr(vm, &name) {
            Ok(r) => r,
            Err(e) => return e,
        };
        format!("property {nr} of '{qn}' object has no {what}")
    };
    vm.attribute_error(msg)
}

/// `property.__set__(obj, v)` (`v` None: `__delete__`).
pub fn property_set(vm: &mut Vm, p: &PropertyObj, obj: &Value, v: Option<Value>) -> PyResult<()> {
    let (f, what) = match &v {
        Some(_) => (p.fset.get_clone(), "setter"),
        None => (p.fdel.get_clone(), "deleter"),
    };
    if f.is_null() || f.is_none() {
        return Err(property_missing(vm, p, obj, what));
    }
    match v {
        Some(v) => vm.call(&f, &[obj.clone(), v])?,
        None => vm.call(&f, std::slice::from_ref(obj))?,
    };
    Ok(())
}

/// `classmethod.__get__(_, cls)`: the wrapped callable bound to the class, or, when it
/// is itself a descriptor (a property, another classmethod), its `__get__(cls, cls)`
/// (chained since 3.9, as CPython's `cm_descr_get`).
pub fn classmethod_get(vm: &mut Vm, cm: &Value, cls: &Value) -> PyResult<Value> {
    let f = wrapped_func(cm).unwrap_or_else(Value::none);
    if f.downcast::<FuncObj>().is_none() && has_descr_get(&f) {
        return bind_descriptor(vm, f, cls, cls);
    }
    Ok(Value::alloc(MethodObj {
        func: f,
        self_: cls.clone(),
    }))
}

/// Does `f`'s type define `__get__` (other than plain functions)?
fn has_descr_get(f: &Value) -> bool {
    if !f.is_ptr() {
        return false;
    }
    if let Some(b) = f.downcast::<BuiltinFuncObj>() {
        return b.is_unbound_method();
    }
    user_descriptor(f, "__get__").is_some()
        || is_classmethod(f)
        || is_staticmethod(f)
        || f.downcast::<PropertyObj>().is_some()
        || f.downcast::<SuperObj>().is_some()
}

/// A class attribute `v` looked up on the class `cls` itself (`C.name`): classmethods
/// bind to the class, staticmethods unwrap, other descriptors get `__get__(None, cls)`.
fn bind_to_class(vm: &mut Vm, v: Value, cls: &Value) -> PyResult<Value> {
    if let Some(get) = user_descriptor(&v, "__get__") {
        return vm.call(&get, &[v.clone(), Value::none(), cls.clone()]);
    }
    if is_classmethod(&v) {
        return classmethod_get(vm, &v, cls);
    }
    if let Some(f) = is_staticmethod(&v).then(|| wrapped_func(&v)).flatten() {
        return Ok(f);
    }
    Ok(v)
}

/// Bind a class attribute found on the type of `obj` (functions become methods).
pub fn bind_descriptor(vm: &mut Vm, d: Value, obj: &Value, owner: &Value) -> PyResult<Value> {
    if d.downcast::<FuncObj>().is_some() {
        return Ok(Value::alloc(MethodObj {
            func: d,
            self_: obj.clone(),
        }));
    }
    if let Some(b) = d.downcast::<BuiltinFuncObj>()
        && b.is_unbound_method()
    {
        // `method_descriptor.__get__` checks the receiver's type (a descriptor copied
        // into an unrelated class must not run its native code on a foreign layout).
        if let Some(oc) = as_type(&b.objclass)
            && !obj.type_data().is_subtype_raw(b.objclass.raw())
        {
            return Err(vm.type_error(format!(
                "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                b.name,
                crate::types::native::tp_name(oc),
                obj.type_data().name
            )));
        }
        return Ok(Value::alloc(BuiltinFuncObj {
            name: b.name,
            f: b.f,
            self_: obj.clone(),
            owner: b.owner,
            is_method: true,
            objclass: b.objclass.clone(),
        }));
    }
    // A Python `__get__` (user descriptors, or overrides in subclasses of builtin
    // descriptors) wins over the builtin behaviour.
    if let Some(get) = user_descriptor(&d, "__get__") {
        return vm.call(&get, &[d.clone(), obj.clone(), owner.clone()]);
    }
    if is_classmethod(&d) {
        return classmethod_get(vm, &d, owner);
    }
    if is_staticmethod(&d) {
        return Ok(wrapped_func(&d).unwrap_or_else(Value::none));
    }
    if let Some(p) = d.downcast::<PropertyObj>() {
        return property_get(vm, p, obj);
    }
    // An unbound super stored on a class binds to the instance (`super.__get__`).
    if d.downcast::<SuperObj>().is_some()
        && let Some(get) = d.type_data().lookup("__get__")
    {
        return vm.call(&get, &[d.clone(), obj.clone(), owner.clone()]);
    }
    Ok(d)
}

pub fn getattr(vm: &mut Vm, obj: &Value, name: &Value) -> PyResult<Value> {
    let n = as_str(name).unwrap_or("");
    let h = crate::types::str::str_hash_of(name);
    match getattr_hashed(vm, obj, n, h)? {
        Some(v) => Ok(v),
        None => Err(no_attribute(vm, obj, n)),
    }
}

pub fn getattr_str(vm: &mut Vm, obj: &Value, n: &str) -> PyResult<Value> {
    match getattr_opt(vm, obj, n)? {
        Some(v) => Ok(v),
        None => Err(no_attribute(vm, obj, n)),
    }
}

pub fn no_attribute(vm: &mut Vm, obj: &Value, n: &str) -> crate::vm::PyErr {
    if let Some(t) = as_type(obj) {
        let tn = t.name.clone();
        return vm.attribute_error(format!("type object '{tn}' has no attribute '{n}'"));
    }
    if let Some(m) = obj.downcast::<ModuleObj>() {
        let mn = crate::types::module::name_of(m);
        return vm.attribute_error(format!("module '{mn}' has no attribute '{n}'"));
    }
    let tn = obj.type_data().name.clone();
    let e = vm.attribute_error(format!("'{tn}' object has no attribute '{n}'"));
    let _ = generic_setattr(vm, &e.exc, "name", crate::world::intern(n));
    let _ = generic_setattr(vm, &e.exc, "obj", obj.clone());
    e
}

/// Attribute lookup; Ok(None) when the attribute does not exist.
pub fn getattr_opt(vm: &mut Vm, obj: &Value, n: &str) -> PyResult<Option<Value>> {
    getattr_hashed(vm, obj, n, crate::types::str::hash_str(n))
}

/// CPython's `_PyObject_LookupAttr`: as `getattr_opt`, and an AttributeError (a class's
/// `__getattr__` refusing the name, as `typing`'s aliases do) is "missing" too.
pub fn lookup_attr(vm: &mut Vm, obj: &Value, n: &str) -> PyResult<Option<Value>> {
    match getattr_opt(vm, obj, n) {
        Err(e) if vm.err_matches(&e, types().attribute_error) => Ok(None),
        r => r,
    }
}

/// Attribute lookup with the name's hash already known.
pub fn getattr_hashed(vm: &mut Vm, obj: &Value, n: &str, h: i64) -> PyResult<Option<Value>> {
    if as_type(obj).is_some() {
        return type_getattr(vm, obj, n);
    }
    if let Some(m) = obj.downcast_exact::<ModuleObj>() {
        if let Some(v) = m.dict().get_str(n) {
            return Ok(Some(v));
        }
        if n == "__dict__" {
            return Ok(Some(m.dict.clone()));
        }
        if n == "__annotations__" {
            return Ok(Some(module_annotations(m)));
        }
        // What the module type itself has (`m.__init__`, `m.__class__`, `m.__dir__`),
        // as `PyObject_GenericGetAttr` finds it before the module's `__getattr__`.
        if let Some(d) = obj.type_data().lookup_hashed(n, h, false).map(|(v, _)| v) {
            return bind_descriptor(vm, d, obj, &obj.type_of()).map(Some);
        }
        if let Some(v) = builtin_attr(vm, obj, n)? {
            return Ok(Some(v));
        }
        return module_getattr_hook(vm, m, n);
    }
    let td = obj.type_data();
    if td.kind == Kind::WeakProxy {
        return crate::modules::_weakref::proxy_getattr(vm, obj, n);
    }
    if let Some(hook) = td.native.and_then(|t| t.getattro)
        && let Some(v) = hook(vm, obj, n)?
    {
        return Ok(Some(v));
    }
    let hooks = if td.kind == Kind::Object || td.is_heap {
        td.hook_bits()
    } else {
        0
    };
    if hooks & HOOK_GETATTRIBUTE != 0
        && let Some(ga) = td.lookup_user("__getattribute__").map(receiver_first)
    {
        return match vm.call(&ga, &[obj.clone(), new_str(n)]) {
            Ok(v) => Ok(Some(v)),
            Err(e) if vm.err_matches(&e, types().attribute_error) => {
                getattr_fallback(vm, obj, n, e)
            }
            Err(e) => Err(e),
        };
    }
    let descr = td.lookup_hashed(n, h, false).map(|(v, _)| v);
    match data_descriptor_or_own(vm, obj, &descr, n, h) {
        Ok(Own::Found(v)) => return Ok(Some(v)),
        Ok(Own::Unset) => return no_such_attribute(vm, obj, td, hooks, n),
        Ok(Own::NotHere) => {}
        // A data descriptor's AttributeError (a property's getter) goes to
        // `__getattr__`, as CPython's `slot_tp_getattr_hook` sends it.
        Err(e) if hooks & HOOK_GETATTR != 0 && vm.err_matches(&e, types().attribute_error) => {
            return getattr_fallback(vm, obj, n, e);
        }
        Err(e) => return Err(e),
    }
    if let Some(v) = builtin_subclass_dict_get(obj, td, n, h) {
        return Ok(Some(v));
    }
    if let Some(v) = builtin_attr(vm, obj, n)? {
        return Ok(Some(v));
    }
    if let Some(d) = descr {
        let owner = obj.type_of();
        return bind_descriptor(vm, d, obj, &owner).map(Some);
    }
    no_such_attribute(vm, obj, td, hooks, n)
}

/// The end of an attribute lookup that found nothing: the class's `__getattr__`,
/// else Ok(None) (every object has a `__doc__`, though).
fn no_such_attribute(
    vm: &mut Vm,
    obj: &Value,
    td: &TypeData,
    hooks: u16,
    n: &str,
) -> PyResult<Option<Value>> {
    if hooks & HOOK_GETATTR != 0
        && let Some(ga) = td.lookup_user("__getattr__").map(receiver_first)
    {
        return match vm.call(&ga, &[obj.clone(), new_str(n)]) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(attribute_error_context(vm, e, obj, n)),
        };
    }
    if let Some(m) = obj.downcast::<ModuleObj>() {
        if n == "__annotations__" {
            return Ok(Some(module_annotations(m)));
        }
        return module_getattr_hook(vm, m, n);
    }
    if n == "__doc__" {
        // Every object has a `__doc__` (its class's); stitch's builtin types have none.
        return Ok(Some(Value::none()));
    }
    Ok(None)
}

/// Setting a module's attribute: its dict, after what its type claims (`__class__`; a
/// subclass's `__setattr__`, properties and other data descriptors).
fn module_setattr(vm: &mut Vm, obj: &Value, m: &ModuleObj, name: &Value, v: Value) -> PyResult<()> {
    let n = as_str(name).unwrap_or("");
    let td = obj.type_data();
    if td.is_heap {
        if td.hook_bits() & HOOK_SETATTR != 0
            && let Some(sa) = td.lookup_user("__setattr__").map(receiver_first)
        {
            vm.call(&sa, &[obj.clone(), name.clone(), v])?;
            return Ok(());
        }
        if let Some(d) = td.lookup(n) {
            if let Some(set) = user_descriptor(&d, "__set__") {
                vm.call(&set, &[d.clone(), obj.clone(), v])?;
                return Ok(());
            }
            if let Some(p) = d.downcast::<PropertyObj>() {
                return property_set(vm, p, obj, Some(v));
            }
        }
    }
    if n == "__class__" {
        return crate::types::set_class::set_class(vm, obj, v);
    }
    // A module's `__dict__` is a read-only member.
    if n == "__dict__" {
        return Err(vm.attribute_error("readonly attribute"));
    }
    m.dict().set_str_value(name, v);
    Ok(())
}

/// `module.__annotations__` (3.10+): the dict's entry, created empty on first use.
fn module_annotations(m: &ModuleObj) -> Value {
    let key = crate::world::intern("__annotations__");
    m.dict().d.with(|d| {
        d.get_str("__annotations__").unwrap_or_else(|| {
            let v = DictObj::new_value();
            d.set_str_key(key.clone(), v.clone());
            v
        })
    })
}

/// `f.__code__ = code` with CPython's checks: a code object whose free variables match
/// the function's closure cells.
fn set_func_code(vm: &mut Vm, func: &Value, f: &FuncObj, v: Value) -> PyResult<()> {
    let Some(nfree) = v.downcast::<crate::types::code::CodeObj>().map(|c| c.nfree) else {
        return Err(vm.type_error("__code__ must be set to a code object"));
    };
    let ncells = f.closure.len();
    if nfree != ncells {
        let name = f.name.get_clone();
        let name = as_str(&name).unwrap_or("?");
        return Err(vm.value_error(format!(
            "{name}() requires a code object with {ncells} free vars, not {nfree}"
        )));
    }
    crate::shared_immortal::code_assigned(func, &v);
    f.code_slot.replace(v);
    Ok(())
}

/// PEP 562: a module's own `__getattr__` (in its dict) for a name found nowhere else;
/// its exception propagates.
fn module_getattr_hook(vm: &mut Vm, m: &ModuleObj, n: &str) -> PyResult<Option<Value>> {
    match m.dict().get_str("__getattr__") {
        Some(ga) => vm.call(&ga, &[new_str(n)]).map(Some),
        None => Ok(None),
    }
}

fn getattr_fallback(
    vm: &mut Vm,
    obj: &Value,
    n: &str,
    e: crate::vm::PyErr,
) -> PyResult<Option<Value>> {
    if let Some(ga) = obj.type_data().lookup("__getattr__").map(receiver_first) {
        return match vm.call(&ga, &[obj.clone(), new_str(n)]) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(attribute_error_context(vm, e, obj, n)),
        };
    }
    Err(attribute_error_context(vm, e, obj, n))
}

/// An AttributeError a user's `__getattr__`/`__getattribute__` raised gets the name
/// looked up and the object (`name`, `obj`) unless it already has either, as
/// CPython's `PyObject_GetAttr` does, so the traceback can suggest a close name.
fn attribute_error_context(
    vm: &mut Vm,
    e: crate::vm::PyErr,
    obj: &Value,
    n: &str,
) -> crate::vm::PyErr {
    if !vm.err_matches(&e, types().attribute_error) {
        return e;
    }
    let unset = |vm: &mut Vm, field: &str| {
        getattr_opt(vm, &e.exc, field)
            .ok()
            .flatten()
            .is_none_or(|v| v.is_none())
    };
    if unset(vm, "name") && unset(vm, "obj") {
        let _ = generic_setattr(vm, &e.exc, "name", crate::world::intern(n));
        let _ = generic_setattr(vm, &e.exc, "obj", obj.clone());
    }
    e
}

/// `n` (hash `h`) in the dict of an instance of a subclass of a builtin type (a tuple
/// subclass, say), which keeps its dict outside the `Instance` layout.
fn builtin_subclass_dict_get(obj: &Value, td: &TypeData, n: &str, h: i64) -> Option<Value> {
    if instance(obj).is_some() || !(td.is_heap || td.native.is_some()) {
        return None;
    }
    let dv = td.instance_dict(obj)?;
    dv.downcast::<DictObj>()?.d.read(|d| d.get_hashed(n, h))
}

/// What the first steps of an attribute lookup found.
enum Own {
    Found(Value),
    /// A slot's member descriptor, the slot unset: the attribute is missing (the
    /// instance dict is not looked at).
    Unset,
    /// Nothing yet: go on to the class's non-data descriptors and attributes.
    NotHere,
}

/// The first steps of `object.__getattribute__`: a data descriptor on the type (found
/// as `descr`, a slot's member among them) wins; then the instance dict.
fn data_descriptor_or_own(
    vm: &mut Vm,
    obj: &Value,
    descr: &Option<Value>,
    n: &str,
    h: i64,
) -> PyResult<Own> {
    if let Some(d) = descr {
        // The common descriptors first, by exact type: a property (native types'
        // getsets and Python's `@property`) is a data descriptor; functions and native
        // methods are not (they never hide the instance dict), so none of the lookups
        // below is needed for them.
        if let Some(p) = d.downcast_exact::<PropertyObj>() {
            return property_get(vm, p, obj).map(Own::Found);
        }
        if d.downcast_exact::<FuncObj>().is_some()
            || d.downcast_exact::<crate::types::func::BuiltinFuncObj>()
                .is_some()
        {
            return own_attribute(obj, n, h);
        }
        if let Some(m) = slot_member(d) {
            return Ok(match crate::types::slots::get_opt(vm, m, obj)? {
                Some(v) => Own::Found(v),
                None => Own::Unset,
            });
        }
        if let Some(get) = crate::types::native::table(d).and_then(|t| t.data_get) {
            return get(vm, d, obj).map(Own::Found);
        }
        // A data descriptor without `__get__` (only `__set__`, networkx's
        // `_CachedPropertyResetterNode`) does not hide the instance dict, and is itself
        // the value when the dict lacks the name (CPython's `PyObject_GenericGetAttr`).
        if !builtin_member(d)
            && (d.downcast::<PropertyObj>().is_some()
                || ((user_descriptor(d, "__set__").is_some()
                    || user_descriptor(d, "__delete__").is_some())
                    && has_descr_get(d)))
        {
            let owner = obj.type_of();
            return bind_descriptor(vm, d.clone(), obj, &owner).map(Own::Found);
        }
    }
    own_attribute(obj, n, h)
}

/// `n` in the instance dict, if the object has one.
fn own_attribute(obj: &Value, n: &str, h: i64) -> PyResult<Own> {
    let Some(inst) = instance(obj) else {
        return Ok(Own::NotHere);
    };
    let v = inst
        .dict
        .downcast::<DictObj>()
        .and_then(|d| d.d.read(|d| d.get_hashed(n, h)));
    Ok(v.map_or(Own::NotHere, Own::Found))
}

/// `object.__getattribute__` semantics without user `__getattribute__` (for super()).
pub fn generic_getattr(vm: &mut Vm, obj: &Value, n: &str) -> PyResult<Option<Value>> {
    if as_type(obj).is_some() {
        // A class's attributes include its type's getsets (`__bases__`, `__mro__`).
        return type_getattr(vm, obj, n);
    }
    let td = obj.type_data();
    let descr = td.lookup(n);
    let h = crate::types::str::hash_str(n);
    match data_descriptor_or_own(vm, obj, &descr, n, h)? {
        Own::Found(v) => return Ok(Some(v)),
        Own::Unset => return Ok(None),
        Own::NotHere => {}
    }
    if let Some(v) = builtin_subclass_dict_get(obj, td, n, h) {
        return Ok(Some(v));
    }
    if let Some(v) = builtin_attr(vm, obj, n)? {
        return Ok(Some(v));
    }
    match descr {
        Some(d) => {
            let owner = obj.type_of();
            bind_descriptor(vm, d, obj, &owner).map(Some)
        }
        None => Ok(None),
    }
}

/// The attributes of a class that `type`'s own data descriptors give (the first match
/// of [`type_getattr`]): they win over the names in the class's MRO, so the specializer
/// never caches an MRO entry for them (`member_descriptor`'s dict has a `__name__` for
/// its instances).
pub fn is_type_own_attr(n: &str) -> bool {
    matches!(
        n,
        "__name__"
            | "__qualname__"
            | "__module__"
            | "__mro__"
            | "__bases__"
            | "__dict__"
            | "__annotations__"
    )
}

fn type_getattr(vm: &mut Vm, cls: &Value, n: &str) -> PyResult<Option<Value>> {
    let Some(td) = as_type(cls) else {
        return Ok(None);
    };
    // The type's own data descriptors win over names in its MRO's dicts (a native
    // type may describe its instances' `__name__`).
    match n {
        // A class's `__name__` set from Python lives in its dict (`typing.re` renames
        // itself so); a native type's own `__name__` entry describes its instances.
        "__name__" => {
            return Ok(Some(match td.dict.get_str("__name__") {
                Some(v) if as_str(&v).is_some() => v,
                _ => new_str(&td.name),
            }));
        }
        "__qualname__" => return Ok(Some(new_str(&td.qualname()))),
        // A Python class's `__module__` is the one in its dict (below); a native type's
        // dict may describe its instances' (`function.__module__`).
        "__module__" if !td.is_heap => return Ok(Some(new_str(&td.module.get_clone()))),
        // None while a metaclass's `mro()` computes the first one.
        "__mro__" if td.mro.read(|m| m.is_empty()) => return Ok(Some(Value::none())),
        "__mro__" => return Ok(Some(TupleObj::new_value(td.mro.get_clone()))),
        "__bases__" => return Ok(Some(TupleObj::new_value(td.bases.get_clone()))),
        "__dict__" => return Ok(Some(crate::types::mappingproxy::of_class(cls))),
        "__annotations__" => return class_annotations(vm, cls, td),
        _ => {}
    }
    if let Some(v) = td.lookup(n) {
        return bind_to_class(vm, v, cls).map(Some);
    }
    let v = match n {
        "__name__" => new_str(&td.name),
        "__qualname__" => new_str(&td.qualname()),
        "__module__" => new_str(&td.module.get_clone()),
        "__mro__" => TupleObj::new_value(td.mro.get_clone()),
        "__bases__" => TupleObj::new_value(td.bases.get_clone()),
        "__base__" => td.best_base().unwrap_or_else(Value::none),
        "__doc__" => Value::none(),
        // The signature CPython parses from a type's docstring; `inspect.signature` of a
        // class that inherits object's `__new__` and `__init__` reads object's. stitch's
        // native types carry no docstrings, so the others have none (as a class whose
        // `__doc__` names no signature).
        "__text_signature__" => {
            if cls.raw() == types().object {
                new_str("()")
            } else {
                Value::none()
            }
        }
        "__class__" => cls.type_of(),
        "__flags__" => Value::int(type_flags(td)),
        // The class-level face of instances' weak reference list (CPython's
        // getset descriptor; `typing.no_type_check` reads every name `dir()` lists).
        "__weakref__" if td.is_heap && crate::types::weakref::heap_class_weakrefable(td) => {
            crate::types::attr_descriptor::getset("__weakref__", cls.clone())
        }
        _ => {
            // Methods of the metaclass (e.g. `mro`).
            let meta = cls.type_of();
            if let Some(mt) = as_type(&meta)
                && !meta.is(cls)
                && let Some(m) = mt.lookup(n)
            {
                return bind_descriptor(vm, m, cls, &meta).map(Some);
            }
            return Ok(None);
        }
    };
    Ok(Some(v))
}

/// `type.__annotations__` (3.10+): a class's own annotations, never a base's (xdsl
/// walks the MRO reading each class's); a class without any gets an empty dict, stored
/// in its dict. Builtin types have none.
fn class_annotations(
    vm: &mut Vm,
    cls: &Value,
    td: &crate::types::class::TypeData,
) -> PyResult<Option<Value>> {
    if !td.is_heap {
        return Ok(None);
    }
    if let Some(v) = td.dict.get_str("__annotations__") {
        return bind_to_class(vm, v, cls).map(Some);
    }
    let key = crate::world::intern("__annotations__");
    // Checked again under the change: two threads asking at once share one dict.
    let v = crate::types::type_version::modify_class_dict(td, |td| {
        td.dict.get_str("__annotations__").unwrap_or_else(|| {
            let d = DictObj::new_value();
            td.dict.set_str_value(&key, d.clone());
            d
        })
    });
    Ok(Some(v))
}

/// CPython's `tp_flags` of a type, for the Lib code that tests them (`copyreg` looks
/// for the first base that is not a heap type): heap type, base type, ready, GC for
/// classes, immutable for builtin types, and the fast-subclass bits.
fn type_flags(td: &crate::types::class::TypeData) -> i64 {
    let t = types();
    let mut f: i64 = (1 << 10) | (1 << 12);
    if td.is_heap {
        f |= (1 << 9) | (1 << 14);
    } else {
        f |= 1 << 8;
    }
    for (base, bit) in [
        (t.int, 24),
        (t.list, 25),
        (t.tuple, 26),
        (t.bytes, 27),
        (t.str, 28),
        (t.dict, 29),
        (t.base_exception, 30),
        (t.type_, 31),
    ] {
        if td.is_subtype_raw(base) {
            f |= 1 << bit;
        }
    }
    f
}

/// Attributes of builtin objects that are not in their type dicts.
fn builtin_attr(vm: &mut Vm, obj: &Value, n: &str) -> PyResult<Option<Value>> {
    // object's `__class__` descriptor, unless a class of the MRO defines the name
    // (`__class__ = 413` in a class body shadows it, as in CPython).
    if n == "__class__" && obj.type_data().lookup("__class__").is_none() {
        return Ok(Some(obj.type_of()));
    }
    if n == "__weakref__"
        && obj.type_data().is_heap
        && crate::types::weakref::heap_class_weakrefable(obj.type_data())
    {
        // stitch keeps weak references outside the object: reads as "none yet".
        return Ok(Some(Value::none()));
    }
    if n == "__dict__" {
        let td = obj.type_data();
        // A Python class's own `__dict__` attribute (`__dict__ = 8` in a module
        // subclass) is found by the lookup below instead, as in CPython's.
        if td.kind != Kind::Object
            && td.has_dict
            && td
                .lookup_user("__dict__")
                .is_none_or(|d| crate::types::attr_descriptor::is_instance_dict_getset(&d))
            && let Some(d) = td.instance_dict(obj)
        {
            return Ok(Some(d.clone()));
        }
    }
    if let Some(inst) = instance(obj) {
        // `object()` itself has none (see `generic_setattr_key`).
        let td = obj.type_data();
        if n == "__dict__"
            && !inst.dict.is_null()
            && (td.is_heap || td.is_exception)
            && td
                .lookup("__dict__")
                .is_none_or(|d| crate::types::attr_descriptor::is_instance_dict_getset(&d))
        {
            return Ok(Some(inst.dict.clone()));
        }
        if let Some(d) = exc_data(obj) {
            let v = d.with(|d| match n {
                "args" => Some(d.args.clone()),
                "__traceback__" => Some(if d.traceback.is_null() {
                    Value::none()
                } else {
                    d.traceback.clone()
                }),
                "__context__" => Some(if d.context.is_null() {
                    Value::none()
                } else {
                    d.context.clone()
                }),
                "__cause__" => Some(if d.cause.is_null() {
                    Value::none()
                } else {
                    d.cause.clone()
                }),
                "__suppress_context__" => Some(Value::bool(d.suppress_context)),
                _ => None,
            });
            if v.is_some() {
                return Ok(v);
            }
            let td = obj.type_data();
            if n == "value" && td.is_subtype_raw(types().stop_iteration) {
                return Ok(Some(d.with(|d| {
                    if d.value.is_null() {
                        Value::none()
                    } else {
                        d.value.clone()
                    }
                })));
            }
            if n == "code" && td.is_subtype_raw(types().system_exit) {
                let args = d.with(|d| d.args.clone());
                let items = super::seq_items_fast(&args).unwrap_or_default();
                return Ok(Some(match items.len() {
                    0 => Value::none(),
                    1 => items[0].clone(),
                    _ => args,
                }));
            }
            if (n == "name" || n == "msg" || n == "path") && td.is_subtype_raw(types().import_error)
            {
                return Ok(Some(Value::none()));
            }
            if ((n == "name" || n == "obj") && td.is_subtype_raw(types().attribute_error))
                || (n == "name" && td.is_subtype_raw(types().name_error))
            {
                return Ok(Some(Value::none()));
            }
        }
        return Ok(None);
    }
    if let Some(f) = obj.downcast::<FuncObj>() {
        // The function's own attributes are data descriptors: they win over its dict.
        let own = |c: &crate::object::ObjCell<Value>| {
            c.with(|v| {
                if v.is_null() {
                    Value::none()
                } else {
                    v.clone()
                }
            })
        };
        return Ok(match n {
            "__name__" => Some(f.name.get_clone()),
            "__qualname__" => Some(f.qualname.get_clone()),
            "__module__" => Some(own(&f.module)),
            "__doc__" => Some(own(&f.doc)),
            "__code__" => Some(f.code_value()),
            "__globals__" => Some(f.globals.clone()),
            "__defaults__" => Some(f.defaults.with(|d| {
                if d.is_null() {
                    Value::none()
                } else {
                    d.clone()
                }
            })),
            "__kwdefaults__" => Some(f.kwdefaults.with(|d| {
                if d.is_null() {
                    Value::none()
                } else {
                    d.clone()
                }
            })),
            "__closure__" => Some(if f.closure.is_empty() {
                Value::none()
            } else {
                TupleObj::new_value(f.closure.to_vec())
            }),
            "__dict__" => {
                let d = f.dict.with(|d| {
                    if d.is_null() {
                        *d = DictObj::new_value();
                    }
                    d.clone()
                });
                Some(d)
            }
            // No annotations: a fresh dict, kept (CPython makes it on first access).
            "__annotations__" => Some(f.annotations.with(|a| {
                if a.is_null() {
                    *a = DictObj::new_value();
                }
                a.clone()
            })),
            _ => f
                .dict
                .get_clone()
                .downcast::<DictObj>()
                .and_then(|d| d.get_str(n)),
        });
    }
    if let Some(m) = obj.downcast::<MethodObj>() {
        return Ok(match n {
            "__self__" => Some(m.self_.clone()),
            "__func__" => Some(m.func.clone()),
            // The method type's own (`method.__reduce__`, `object.__reduce_ex__`):
            // CPython's `method_getattro` finds them on the type before the function.
            "__reduce__" | "__reduce_ex__" => None,
            _ => {
                let f = m.func.clone();
                return getattr_opt(vm, &f, n);
            }
        });
    }
    if let Some(b) = obj.downcast::<BuiltinFuncObj>() {
        let descriptor = b.self_.is_null() && !b.objclass.is_null();
        return Ok(match n {
            "__name__" => Some(new_str(b.name)),
            "__qualname__" if b.is_method && !b.owner.is_empty() => {
                Some(new_str(&format!("{}.{}", b.owner, b.name)))
            }
            "__qualname__" => Some(new_str(b.name)),
            "__objclass__" if descriptor || crate::types::method_receiver::is_slot_wrapper(b) => {
                Some(b.objclass.clone())
            }
            "__self__" if descriptor => None,
            "__self__" => Some(if b.self_.is_null() {
                Value::none()
            } else {
                b.self_.clone()
            }),
            "__doc__" => Some(Value::none()),
            "__module__" => Some(new_str(if !b.is_method && !b.owner.is_empty() {
                b.owner
            } else {
                "builtins"
            })),
            _ => None,
        });
    }
    if let Some(i) = crate::types::int::as_int(obj)
        && !obj.is_float()
    {
        return Ok(match n {
            "real" | "numerator" => Some(Value::bigint(i.to_big())),
            "imag" => Some(Value::int(0)),
            "denominator" => Some(Value::int(1)),
            _ => None,
        });
    }
    if let Some(c) = obj.downcast::<crate::types::complex::ComplexObj>() {
        return Ok(match n {
            "real" => Some(Value::float(c.re)),
            "imag" => Some(Value::float(c.im)),
            _ => None,
        });
    }
    if let Some(f) = obj.as_float() {
        return Ok(match n {
            "real" => Some(Value::float(f)),
            "imag" => Some(Value::float(0.0)),
            _ => None,
        });
    }
    if let Some(c) = obj.downcast::<crate::types::func::CellObj>()
        && n == "cell_contents"
    {
        let v = c.v.get_clone();
        if v.is_null() {
            return Err(vm.value_error("Cell is empty"));
        }
        return Ok(Some(v));
    }
    if let Some(view) = crate::types::misc::as_dict_view(obj)
        && n == "mapping"
    {
        return Ok(Some(crate::types::mappingproxy::of_mapping(
            view.dict.clone(),
        )));
    }
    if let Some(r) = obj.downcast::<crate::types::range::RangeObj>() {
        if let Some(b) = &r.big {
            return Ok(match n {
                "start" => Some(Value::bigint(b.start.clone())),
                "stop" => Some(Value::bigint(b.stop.clone())),
                "step" => Some(Value::bigint(b.step.clone())),
                _ => None,
            });
        }
        return Ok(match n {
            "start" => Some(Value::int(r.start)),
            "stop" => Some(Value::int(r.stop)),
            "step" => Some(Value::int(r.step)),
            _ => None,
        });
    }
    if let Some(s) = obj.downcast::<SliceObj>() {
        match n {
            "start" => return Ok(Some(s.start.clone())),
            "stop" => return Ok(Some(s.stop.clone())),
            "step" => return Ok(Some(s.step.clone())),
            _ => {}
        }
    }
    if let Some(p) = obj.downcast::<PropertyObj>() {
        let none_if_null = |v: &Value| {
            if v.is_null() {
                Value::none()
            } else {
                v.clone()
            }
        };
        return Ok(match n {
            "fget" => Some(none_if_null(&p.fget.get_clone())),
            "fset" => Some(none_if_null(&p.fset.get_clone())),
            "fdel" => Some(none_if_null(&p.fdel.get_clone())),
            "__doc__" => Some(none_if_null(&p.doc.get_clone())),
            "__isabstractmethod__" => {
                let mut any = false;
                for f in [p.fget.get_clone(), p.fset.get_clone(), p.fdel.get_clone()] {
                    any = any || is_abstract(vm, &f)?;
                }
                Some(Value::bool(any))
            }
            _ => None,
        });
    }
    if let Some(f) = wrapped_func(obj) {
        match n {
            "__func__" | "__wrapped__" => return Ok(Some(f)),
            "__isabstractmethod__" => return Ok(Some(Value::bool(is_abstract(vm, &f)?))),
            _ => {}
        }
        let Some(w) = crate::types::misc::wrapper_exact(obj) else {
            return Ok(None);
        };
        if n == "__dict__" {
            return crate::types::misc::wrapper_dict(vm, w).map(Some);
        }
        let d = w.dict.get_clone();
        if let Some(d) = d.downcast::<DictObj>() {
            return Ok(d.get_str(n));
        }
        if crate::types::misc::WRAPPER_COPIED.contains(&n) {
            return getattr_opt(vm, &f, n);
        }
        return Ok(None);
    }
    if let Some(g) = crate::types::generator::gen_payload(obj) {
        return crate::builtins::generators::attr(vm, g, n);
    }
    if let Some(s) = obj.downcast::<SuperObj>() {
        return super_getattr(vm, s, n);
    }
    if let Some(c) = obj.downcast::<crate::types::code::CodeObj>() {
        return Ok(crate::builtins::code::attr(c, n));
    }
    Ok(None)
}

/// `getattr(f, "__isabstractmethod__", False)` as a bool.
fn is_abstract(vm: &mut Vm, f: &Value) -> PyResult<bool> {
    if f.is_null() || f.is_none() {
        return Ok(false);
    }
    match getattr_opt(vm, f, "__isabstractmethod__")? {
        Some(v) => super::truthy(vm, &v),
        None => Ok(false),
    }
}

/// `super().name` (CPython's `super_getattro`): look `name` up in the dicts of
/// `obj_type`'s MRO after `ty` and bind what is found to `obj` (to nothing when `obj`
/// is that class itself). `__class__` and unbound supers fall back to the super
/// object's own attributes (its members here, its methods after).
fn super_getattr(vm: &mut Vm, s: &SuperObj, n: &str) -> PyResult<Option<Value>> {
    let start_type = s.obj_type.get_clone();
    let obj = s.obj.get_clone();
    let ty = s.ty.get_clone();
    if n != "__class__"
        && let Some(st) = as_type(&start_type)
    {
        let mro = st.mro.get_clone();
        let pos = mro
            .iter()
            .position(|t| t.is(&ty))
            .map(|p| p + 1)
            .unwrap_or(mro.len());
        for t in &mro[pos..] {
            let td: &TypeData = crate::types::class::type_data_raw(t.raw());
            let Some(v) = td.dict.get_str(n) else {
                continue;
            };
            if obj.is(&start_type) {
                if v.downcast::<FuncObj>().is_some() {
                    return Ok(Some(v));
                }
                // Native classmethods (`object.__init_subclass__`) bind to the class.
                if let Some(b) = v.downcast::<BuiltinFuncObj>() {
                    if b.is_unbound_method() && b.name == "__init_subclass__" {
                        return Ok(Some(Value::alloc(BuiltinFuncObj {
                            name: b.name,
                            f: b.f,
                            self_: obj.clone(),
                            owner: b.owner,
                            is_method: true,
                            objclass: b.objclass.clone(),
                        })));
                    }
                    return Ok(Some(v));
                }
                return bind_to_class(vm, v, &start_type).map(Some);
            }
            return bind_descriptor(vm, v, &obj, &start_type).map(Some);
        }
    }
    let none_if_null = |v: Value| if v.is_null() { Value::none() } else { v };
    Ok(match n {
        "__thisclass__" => Some(none_if_null(ty)),
        "__self__" => Some(none_if_null(obj)),
        "__self_class__" => Some(none_if_null(start_type)),
        _ => None,
    })
}

/// A Python class's `__name__` now: the one set from Python (kept in its dict, see
/// `type_getattr`), else the one it was made with.
fn heap_type_name(td: &TypeData) -> String {
    td.dict
        .get_str("__name__")
        .and_then(|v| as_str(&v).map(str::to_string))
        .unwrap_or_else(|| td.name.clone())
}

/// The `__setattr__` / `__delattr__` (`hook`, `name`) a class's metaclass defines in
/// Python, if any: assignments to the class's attributes go through it.
fn metaclass_hook(cls: &Value, hook: u16, name: &str) -> Option<Value> {
    let meta = cls.type_data();
    if !meta.is_heap || meta.hook_bits() & hook == 0 {
        return None;
    }
    meta.lookup_user(name).map(receiver_first)
}

pub fn setattr(vm: &mut Vm, obj: &Value, name: &Value, v: Value) -> PyResult<()> {
    if as_type(obj).is_some()
        && let Some(sa) = metaclass_hook(obj, HOOK_SETATTR, "__setattr__")
    {
        vm.call(&sa, &[obj.clone(), name.clone(), v])?;
        return Ok(());
    }
    setattr_no_hook(vm, obj, name, v)
}

/// [`setattr`] on a class without its metaclass's Python `__setattr__`
/// (`type.__setattr__`, which that hook calls through `super()`).
pub fn type_setattr(vm: &mut Vm, cls: &Value, name: &Value, v: Value) -> PyResult<()> {
    setattr_no_hook(vm, cls, name, v)
}

fn setattr_no_hook(vm: &mut Vm, obj: &Value, name: &Value, v: Value) -> PyResult<()> {
    let n = as_str(name).unwrap_or("");
    if let Some(td) = as_type(obj) {
        if !td.is_heap {
            let tn = td.name.clone();
            return Err(vm.type_error(format!(
                "cannot set '{n}' attribute of immutable type '{tn}'"
            )));
        }
        // `type`'s own data descriptors: `__bases__` is settable, `__dict__` and
        // `__mro__` are not.
        match n {
            "__bases__" => return crate::types::set_bases::set_bases(vm, obj, Some(v)),
            "__dict__" => {
                return Err(
                    vm.attribute_error("attribute '__dict__' of 'type' objects is not writable")
                );
            }
            "__mro__" => return Err(vm.attribute_error("readonly attribute")),
            _ => {}
        }
        // The class's repr and error messages name its module from this field, CPython
        // from the dict entry: keep them one.
        if n == "__module__"
            && let Some(m) = as_str(&v)
        {
            let m = m.to_string();
            td.module.with(|x| *x = m);
        }
        if n == "__name__" {
            if as_str(&v).is_none() {
                let (tn, vn) = (heap_type_name(td), v.type_data().name.clone());
                return Err(vm.type_error(format!(
                    "can only assign string to {tn}.__name__, not '{vn}'"
                )));
            }
            crate::builtins::classes::check_type_name(vm, &v)?;
        }
        // `__qualname__` is type's own attribute, kept outside the class dict.
        if n == "__qualname__" {
            let Some(q) = as_str(&v) else {
                let (tn, vn) = (heap_type_name(td), v.type_data().name.clone());
                return Err(vm.type_error(format!(
                    "can only assign string to {tn}.__qualname__, not '{vn}'"
                )));
            };
            let q = q.to_string();
            td.qualname.with(|x| *x = q);
            return Ok(());
        }
        let old = crate::types::type_version::modify_class_dict(td, |td| {
            td.dict.replace_str_value(name, v)
        });
        crate::types::attr_cache::invalidate();
        drop(old);
        if crate::types::class::is_hook_name(n) {
            crate::types::class::hooks_changed();
        }
        return Ok(());
    }
    if let Some(m) = obj.downcast::<ModuleObj>() {
        return module_setattr(vm, obj, m, name, v);
    }
    if let Some(g) = crate::types::generator::gen_payload(obj)
        && (n == "__name__" || n == "__qualname__")
    {
        if as_str(&v).is_none() {
            return Err(vm.type_error(format!("{n} must be set to a string object")));
        }
        let cell = if n == "__name__" {
            &g.name
        } else {
            &g.qualname
        };
        let old = cell.with(|x| std::mem::replace(x, v));
        drop(old);
        return Ok(());
    }
    let td = obj.type_data();
    if td.kind == Kind::WeakProxy {
        return crate::modules::_weakref::proxy_setattr(vm, obj, name, v);
    }
    if td.kind == Kind::Object || td.is_heap || td.native.is_some() {
        if td.hook_bits() & HOOK_SETATTR != 0
            && let Some(sa) = td.lookup_user("__setattr__").map(receiver_first)
        {
            vm.call(&sa, &[obj.clone(), name.clone(), v])?;
            return Ok(());
        }
        return generic_setattr_key(vm, obj, name, v);
    }
    if let Some(f) = obj.downcast::<FuncObj>() {
        if (n == "__name__" || n == "__qualname__") && as_str(&v).is_none() {
            return Err(vm.type_error(format!("{n} must be set to a string object")));
        }
        match n {
            "__name__" => f.name.with(|x| *x = v),
            "__qualname__" => f.qualname.with(|x| *x = v),
            "__defaults__" => f
                .defaults
                .with(|x| *x = if v.is_none() { Value::NULL } else { v }),
            "__kwdefaults__" => f
                .kwdefaults
                .with(|x| *x = if v.is_none() { Value::NULL } else { v }),
            "__code__" => set_func_code(vm, obj, f, v)?,
            "__module__" => drop(f.module.with(|x| std::mem::replace(x, v))),
            "__doc__" => drop(f.doc.with(|x| std::mem::replace(x, v))),
            "__globals__" | "__closure__" => {
                return Err(vm.attribute_error("readonly attribute"));
            }
            "__class__" => return crate::types::set_class::set_class(vm, obj, v),
            "__dict__" => {
                if v.downcast::<DictObj>().is_none() {
                    let tn = v.type_data().name.clone();
                    return Err(vm.type_error(format!(
                        "__dict__ must be set to a dictionary, not a '{tn}'"
                    )));
                }
                drop(f.dict.with(|x| std::mem::replace(x, v)));
            }
            "__annotations__" => {
                if !v.is_none() && v.downcast::<DictObj>().is_none() {
                    return Err(vm.type_error("__annotations__ must be set to a dict object"));
                }
                f.annotations
                    .with(|x| *x = if v.is_none() { Value::NULL } else { v });
            }
            _ => {
                let d = f.dict.with(|d| {
                    if d.is_null() {
                        *d = DictObj::new_value();
                    }
                    d.clone()
                });
                if let Some(dd) = d.downcast::<DictObj>() {
                    dd.set_str(n, v);
                }
            }
        }
        return Ok(());
    }
    if let Some(w) = crate::types::misc::wrapper_exact(obj)
        && n != "__func__"
        && n != "__wrapped__"
    {
        let d = crate::types::misc::wrapper_dict(vm, w)?;
        if let Some(d) = d.downcast::<DictObj>() {
            d.set_str_value(name, v);
        }
        return Ok(());
    }
    // property's `__doc__` is a writable member.
    if n == "__doc__"
        && let Some(p) = obj.downcast_exact::<PropertyObj>()
    {
        let old = p.doc.with(|d| std::mem::replace(d, v));
        drop(old);
        return Ok(());
    }
    // Writable attributes of builtin types are properties in the type dict
    // (`frame.f_trace`, `traceback.tb_next`).
    let h = crate::types::str::str_hash_of(name);
    if let Some((d, _)) = td.lookup_hashed(n, h, false)
        && let Some(p) = d.downcast::<PropertyObj>()
    {
        return property_set(vm, p, obj, Some(v));
    }
    if n == "__class__" {
        // object's `__class__` setter, which refuses builtin types' instances.
        return crate::types::set_class::set_class(vm, obj, v);
    }
    // property's accessors are read-only members (CPython's `T_OBJECT, READONLY`).
    if obj.downcast::<PropertyObj>().is_some() && matches!(n, "fget" | "fset" | "fdel") {
        return Err(vm.attribute_error("readonly attribute"));
    }
    let tn = td.name.clone();
    Err(vm.attribute_error(format!("'{tn}' object has no attribute '{n}'")))
}

/// `object.__setattr__` by a name given as a Rust string.
pub fn generic_setattr(vm: &mut Vm, obj: &Value, n: &str, v: Value) -> PyResult<()> {
    let key = crate::world::intern(n);
    generic_setattr_key(vm, obj, &key, v)
}

/// `object.__setattr__`: descriptors, slots, then the instance dict.
pub fn generic_setattr_key(vm: &mut Vm, obj: &Value, key: &Value, v: Value) -> PyResult<()> {
    if as_type(obj).is_some() {
        // object.__setattr__ / type.__setattr__ on a class: the class dict.
        return setattr_no_hook(vm, obj, key, v);
    }
    let n = as_str(key).unwrap_or("");
    let h = crate::types::str::str_hash_of(key);
    let td = obj.type_data();
    if let Some((d, _)) = td.lookup_hashed(n, h, false) {
        if let Some(m) = slot_member(&d) {
            return crate::types::slots::set(vm, m, obj, Some(v));
        }
        // A builtin type's member is set by the object's own attribute code below.
        if !builtin_member(&d)
            && let Some(set) = user_descriptor(&d, "__set__")
        {
            vm.call(&set, &[d.clone(), obj.clone(), v])?;
            return Ok(());
        }
        if let Some(p) = d.downcast::<PropertyObj>() {
            return property_set(vm, p, obj, Some(v));
        }
    }
    if n == "__class__" {
        // object's `__class__` setter (a data descriptor: before the instance dict).
        return crate::types::set_class::set_class(vm, obj, v);
    }
    if n == "__dict__" && crate::types::set_dict::has_settable_dict(obj) {
        // object's `__dict__` setter (likewise a data descriptor).
        return crate::types::set_dict::set_dict(vm, obj, Some(v));
    }
    // The dict is held while it is written (dropping a replaced value may run code
    // that replaces the instance's `__dict__`).
    if td.kind != Kind::Object
        && td.has_dict
        && let Some(dv) = td.instance_dict(obj).cloned()
        && let Some(d) = dv.downcast::<DictObj>()
    {
        d.set_str_value(key, v);
        return Ok(());
    }
    let Some(inst) = instance(obj) else {
        return Err(missing_or_read_only(vm, obj, n));
    };
    if let Some(d) = exc_data(obj) {
        match n {
            "__cause__" => {
                if !v.is_none() && exc_data(&v).is_none() {
                    return Err(
                        vm.type_error("exception cause must be None or derive from BaseException")
                    );
                }
                d.with(|d| {
                    d.cause = v;
                    d.suppress_context = true;
                });
                return Ok(());
            }
            "__context__" => {
                if !v.is_none() && exc_data(&v).is_none() {
                    return Err(vm.type_error(
                        "exception context must be None or derive from BaseException",
                    ));
                }
                d.with(|d| d.context = v);
                return Ok(());
            }
            "__suppress_context__" => {
                let b = v.is_true_singleton();
                d.with(|d| d.suppress_context = b);
                return Ok(());
            }
            "args" => {
                let items = super::collect(vm, &v)?;
                d.with(|d| d.args = TupleObj::new_value(items));
                return Ok(());
            }
            "__traceback__" => {
                let tb = crate::builtins::frames::traceback_arg(
                    vm,
                    &v,
                    "__traceback__ must be a traceback or None",
                )?;
                let old = d.with(|d| std::mem::replace(&mut d.traceback, tb));
                drop(old);
                return Ok(());
            }
            _ => {}
        }
    }
    // `object()` itself has no `__dict__` (its instances are sentinels that take no
    // attributes); exceptions and Python classes' instances do.
    if !td.is_heap && !td.is_exception {
        return Err(missing_or_read_only(vm, obj, n));
    }
    let dv = (!inst.dict.is_null()).then(|| inst.dict.clone());
    match dv.as_ref().and_then(|dv| dv.downcast::<DictObj>()) {
        Some(d) => {
            d.set_str_value(key, v);
            Ok(())
        }
        None => Err(missing_or_read_only(vm, obj, n)),
    }
}

pub fn delattr(vm: &mut Vm, obj: &Value, name: &Value) -> PyResult<()> {
    let n = as_str(name).unwrap_or("");
    if as_type(obj).is_some() {
        if let Some(da) = metaclass_hook(obj, HOOK_DELATTR, "__delattr__") {
            vm.call(&da, &[obj.clone(), name.clone()])?;
            return Ok(());
        }
        // Classes: `type.__delattr__` (immutable builtin types refuse).
        return generic_delattr(vm, obj, name);
    }
    if crate::types::generator::gen_payload(obj).is_some()
        && (n == "__name__" || n == "__qualname__")
    {
        return Err(vm.type_error(format!("{n} must be set to a string object")));
    }
    let td = obj.type_data();
    if td.kind == Kind::WeakProxy {
        return crate::modules::_weakref::proxy_delattr(vm, obj, name);
    }
    if (td.kind == Kind::Object || td.is_heap)
        && td.hook_bits() & HOOK_DELATTR != 0
        && let Some(da) = td.lookup_user("__delattr__").map(receiver_first)
    {
        vm.call(&da, &[obj.clone(), name.clone()])?;
        return Ok(());
    }
    generic_delattr(vm, obj, name)
}

/// `object.__delattr__` (and `type.__delattr__` on classes): descriptors, slots, the
/// instance dict, without the class's own `__delattr__` hook.
pub fn generic_delattr(vm: &mut Vm, obj: &Value, name: &Value) -> PyResult<()> {
    let n = as_str(name).unwrap_or("");
    if let Some(td) = as_type(obj) {
        if !td.is_heap {
            let tn = td.name.clone();
            return Err(vm.type_error(format!(
                "cannot set '{n}' attribute of immutable type '{tn}'"
            )));
        }
        match n {
            "__bases__" => return crate::types::set_bases::set_bases(vm, obj, None),
            "__dict__" => {
                return Err(
                    vm.attribute_error("attribute '__dict__' of 'type' objects is not writable")
                );
            }
            "__mro__" => return Err(vm.attribute_error("readonly attribute")),
            _ => {}
        }
        crate::types::attr_cache::invalidate();
        if crate::types::class::is_hook_name(n) {
            crate::types::class::hooks_changed();
        }
        let removed = crate::types::type_version::modify_class_dict(td, |td| {
            td.dict.d.with(|d| d.remove_str(n))
        });
        if removed.is_none() {
            if n == "__annotations__" {
                // `type.__annotations__`'s deleter names just the attribute.
                return Err(vm.attribute_error(n));
            }
            let tn = td.name.clone();
            return Err(vm.attribute_error(format!("type object '{tn}' has no attribute '{n}'")));
        }
        return Ok(());
    }
    let td = obj.type_data();
    if td.kind == Kind::WeakProxy {
        return crate::modules::_weakref::proxy_delattr(vm, obj, name);
    }
    if td.kind == Kind::Object || td.is_heap {
        if let Some(d) = td.lookup(n) {
            if let Some(m) = slot_member(&d) {
                return crate::types::slots::set(vm, m, obj, None);
            }
            if !builtin_member(&d)
                && let Some(del) = user_descriptor(&d, "__delete__")
            {
                vm.call(&del, &[d.clone(), obj.clone()])?;
                return Ok(());
            }
            if let Some(p) = d.downcast::<PropertyObj>() {
                return property_set(vm, p, obj, None);
            }
        }
        if exc_data(obj).is_some()
            && matches!(n, "__cause__" | "__context__" | "__traceback__" | "args")
        {
            // BaseException's attributes are C members that cannot be deleted.
            return Err(vm.type_error(format!("{n} may not be deleted")));
        }
        if n == "__dict__" && crate::types::set_dict::has_settable_dict(obj) {
            return crate::types::set_dict::set_dict(vm, obj, None);
        }
        if let Some(inst) = instance(obj) {
            if let Some(dv) = (!inst.dict.is_null()).then(|| inst.dict.clone())
                && let Some(d) = dv.downcast::<DictObj>()
                && d.d.with(|d| d.remove_str(n)).is_some()
            {
                return Ok(());
            }
        } else if let Some(dv) = td.instance_dict(obj).cloned()
            && let Some(d) = dv.downcast::<DictObj>()
            && d.d.with(|d| d.remove_str(n)).is_some()
        {
            return Ok(());
        }
    }
    if let Some(m) = obj.downcast::<ModuleObj>()
        && m.dict().d.with(|d| d.remove_str(n)).is_some()
    {
        return Ok(());
    }
    // A function's own attributes (click's `del f.__click_params__`), and its
    // defaults, which deleting clears.
    if let Some(f) = obj.downcast::<FuncObj>() {
        match n {
            "__code__" => return Err(vm.type_error("__code__ must be set to a code object")),
            "__name__" | "__qualname__" => {
                return Err(vm.type_error(format!("{n} must be set to a string object")));
            }
            "__dict__" => return Err(vm.type_error("cannot delete __dict__")),
            _ => {}
        }
        // Deleting a default or a member (`__doc__`, `__module__`) clears it (None).
        let cleared = match n {
            "__defaults__" => Some(&f.defaults),
            "__kwdefaults__" => Some(&f.kwdefaults),
            "__doc__" => Some(&f.doc),
            "__module__" => Some(&f.module),
            _ => None,
        };
        if let Some(cell) = cleared {
            let old = cell.with(|x| std::mem::replace(x, Value::NULL));
            drop(old);
            return Ok(());
        }
        let dv = f.dict.get_clone();
        if let Some(d) = dv.downcast::<DictObj>()
            && d.d.with(|d| d.remove_str(n)).is_some()
        {
            return Ok(());
        }
    }
    if let Some(w) = crate::types::misc::wrapper_exact(obj) {
        let dv = crate::types::misc::wrapper_dict(vm, w)?;
        if let Some(d) = dv.downcast::<DictObj>()
            && d.d.with(|d| d.remove_str(n)).is_some()
        {
            return Ok(());
        }
    }
    // object's `__class__` cannot be deleted.
    if n == "__class__" && td.lookup_user("__class__").is_none() {
        return Err(vm.type_error("can't delete __class__ attribute"));
    }
    // Builtin types' deletable attributes are properties with a deleter
    // (`del frame.f_trace`).
    if let Some(d) = td.lookup(n)
        && let Some(p) = d.downcast::<PropertyObj>()
        && !p.fdel.get_clone().is_null()
        && !p.fdel.get_clone().is_none()
    {
        return property_set(vm, p, obj, None);
    }
    Err(missing_or_read_only(vm, obj, n))
}

/// Setting or deleting `n` on an instance that has no place for it: "read-only" when
/// its class has the name (a plain class attribute of a slotted class), as CPython.
fn missing_or_read_only(vm: &mut Vm, obj: &Value, n: &str) -> crate::vm::PyErr {
    let td = obj.type_data();
    let tn = td.name.clone();
    let has_dict = instance(obj).is_some_and(|i| !i.dict.is_null());
    if !has_dict && td.lookup(n).is_some() {
        return vm.attribute_error(format!("'{tn}' object attribute '{n}' is read-only"));
    }
    vm.attribute_error(format!("'{tn}' object has no attribute '{n}'"))
}

/// LOAD_METHOD: (function, self) when `obj.name` is a plain method, else (attr, NULL).
pub fn load_method(vm: &mut Vm, obj: Value, name: &Value) -> PyResult<(Value, Value)> {
    let n = as_str(name).unwrap_or("");
    let td = obj.type_data();
    match td.kind {
        Kind::Object => {
            let h = crate::types::str::str_hash_of(name);
            if td.hook_bits() & HOOK_GETATTRIBUTE == 0
                && let Some((d, _)) = td.lookup_hashed(n, h, false)
                && d.downcast::<FuncObj>().is_some()
            {
                let shadowed = instance(&obj)
                    .and_then(|i| {
                        i.dict
                            .downcast::<DictObj>()
                            .map(|d| d.d.read(|d| d.get_hashed(n, h)).is_some())
                    })
                    .unwrap_or(false);
                if !shadowed {
                    return Ok((d, obj));
                }
            }
        }
        // Classes made by a user metaclass are excluded: their own MRO wins over the
        // metaclass's methods, which the generic lookup (type_getattr) handles.
        _ if td.is_heap && as_type(&obj).is_none() => {
            let h = crate::types::str::str_hash_of(name);
            if td.hook_bits() & HOOK_GETATTRIBUTE == 0
                && let Some((d, _)) = td.lookup_hashed(n, h, false)
                && (d.downcast::<FuncObj>().is_some()
                    || d.downcast::<BuiltinFuncObj>()
                        .is_some_and(|b| b.is_unbound_method()))
            {
                let shadowed = td
                    .instance_dict(&obj)
                    .and_then(|dv| {
                        dv.downcast::<DictObj>()
                            .map(|d| d.d.read(|d| d.get_hashed(n, h)).is_some())
                    })
                    .unwrap_or(false);
                if !shadowed {
                    return Ok((d, obj));
                }
            }
        }
        // The other builtin types without an instance dict (re.Pattern, re.Match,
        // locks, ...) keep their methods in their type dict as well.
        k if k.methods_from_type_dict() || (k == Kind::Other && !td.is_heap) => {
            if let Some((d, _)) = td.lookup_hashed(n, crate::types::str::str_hash_of(name), false)
                && let Some(b) = d.downcast::<BuiltinFuncObj>()
                && b.is_unbound_method()
            {
                return Ok((d, obj));
            }
        }
        _ => {}
    }
    let v = getattr(vm, &obj, name)?;
    Ok((v, Value::NULL))
}
