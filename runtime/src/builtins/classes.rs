//! Classes: calling a type (construction), `__build_class__`, `super`, `object` and
//! `BaseException` methods, property/staticmethod/classmethod.

use super::{add_method, add_static, arg_count_error, method_args, posargs, type_name};
use crate::ops;
use crate::types::class::{Kind, TypeData, as_type, new_class};
use crate::types::dict::DictObj;
use crate::types::func::{CellObj, FuncObj};
use crate::types::list::ListObj;
use crate::types::misc::{PropertyObj, SliceObj, WrapperObj};
use crate::types::set::SetObj;
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, exc_data, new_instance_of};
use crate::world::{Types, types};
use std::sync::atomic::Ordering;

pub fn install(t: &Types) {
    add_static(t.object, "__new__", object_new);
    add_method(t.object, "__init__", object_init);
    add_method(t.object, "__repr__", object_repr);
    add_method(t.object, "__str__", object_str);
    add_method(t.object, "__eq__", object_eq);
    add_method(t.object, "__ne__", object_ne);
    add_method(t.object, "__hash__", object_hash);
    add_method(t.object, "__setattr__", object_setattr);
    add_method(t.object, "__getattribute__", object_getattribute);
    add_method(t.object, "__delattr__", object_delattr);
    add_method(t.object, "__format__", object_format);
    add_method(t.object, "__init_subclass__", object_init_subclass);
    add_method(t.object, "__dir__", super::functions::object_dir);
    add_method(t.type_, "__dir__", super::functions::type_dir);
    add_method(t.module, "__dir__", super::functions::module_dir);
    add_method(t.module, "__init__", module_init);
    add_static(t.module, "__new__", module_new);
    add_static(t.object, "__subclasshook__", object_subclasshook);
    add_method(t.base_exception, "__init__", exc_init);
    add_method(t.import_error, "__init__", import_error_init);
    add_method(t.attribute_error, "__init__", attribute_error_init);
    add_method(t.name_error, "__init__", name_error_init);
    add_method(t.base_exception, "__str__", exc_str);
    add_method(t.base_exception, "__repr__", exc_repr);
    add_method(t.base_exception, "with_traceback", exc_with_traceback);
    add_method(t.type_, "mro", type_mro);
    add_method(t.type_, "__setattr__", type_setattr);
    add_method(t.type_, "__delattr__", type_delattr);
    add_method(t.type_, "__subclasses__", type_subclasses);
    add_static(t.type_, "__new__", type_new);
    add_static(t.type_, "__prepare__", type_prepare);
    add_method(t.type_, "__call__", type_call);
    add_method(t.type_, "__init__", type_init);
    add_method(t.property, "getter", property_getter);
    add_method(t.property, "setter", property_setter);
    add_method(t.property, "deleter", property_deleter);
    add_method(t.property, "__get__", property_get);
    add_method(t.property, "__set__", property_set);
    add_method(t.property, "__delete__", property_delete);
    add_method(t.property, "__init__", property_init);
    add_method(t.property, "__set_name__", property_set_name);
    add_static(t.property, "__new__", property_new);
    for ty in [t.classmethod, t.staticmethod] {
        add_static(ty, "__new__", wrapper_new);
        add_method(ty, "__init__", wrapper_init);
        add_method(ty, "__get__", wrapper_get);
    }
    add_method(t.function, "__get__", function_get);
    add_method(t.not_implemented_type, "__bool__", not_implemented_bool);
}

/// `bool(NotImplemented)`: true, with CPython 3.9+'s DeprecationWarning.
fn not_implemented_bool(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::method_args(vm, "__bool__", a, 0, 0)?;
    crate::modules::warnings::warn_str(
        vm,
        types().deprecation_warning,
        "NotImplemented should not be used in a boolean context",
        1,
        None,
    )?;
    Ok(Value::bool(true))
}

/// `function.__get__(obj, type=None)`: the function itself from a class, a bound
/// method from an instance (what attribute lookup does for methods).
fn function_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(f) = p.first() else {
        return Err(vm.type_error("descriptor '__get__' needs an argument"));
    };
    match p.get(1) {
        Some(obj) if !obj.is_none() => Ok(Value::alloc(crate::types::func::MethodObj {
            func: f.clone(),
            self_: obj.clone(),
        })),
        _ => Ok(f.clone()),
    }
}

fn object_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(cls) = p.first() else {
        return Err(vm.type_error("object.__new__(): not enough arguments"));
    };
    let Some(td) = as_type(cls) else {
        let tn = type_name(cls);
        return Err(vm.type_error(format!("object.__new__(X): X is not a type object ({tn})")));
    };
    if p.len() > 1 || a.has_kw() {
        // Extra arguments are an error unless `__init__` is overridden to take them
        // (CPython's object_new).
        if overrides_object(td, "__new__") {
            return Err(vm.type_error(
                "object.__new__() takes exactly one argument (the type to instantiate)",
            ));
        }
        if !overrides_object(td, "__init__") {
            let tn = crate::types::native::tp_name(td);
            return Err(vm.type_error(format!("{tn}() takes no arguments")));
        }
    }
    if td.kind != Kind::Object {
        // Instances of this class carry a builtin payload: object.__new__ cannot make one.
        let tn = td.name.clone();
        return Err(vm.type_error(format!(
            "object.__new__({tn}) is not safe, use {tn}.__new__()"
        )));
    }
    crate::modules::_abc::check_instantiable(vm, cls)?;
    Ok(new_instance_of(cls, p[1..].to_vec()))
}

/// `object.__subclasshook__`: no opinion (abc's checks go on).
fn object_subclasshook(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::not_implemented())
}

fn type_subclasses(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, _) = method_args(vm, "__subclasses__", a, 0, 0)?;
    Ok(ListObj::new_value(
        crate::types::type_version::subclasses_of(cls),
    ))
}

/// Does the class's MRO resolve `name` to something other than `object`'s own?
fn overrides_object(td: &TypeData, name: &str) -> bool {
    let own = crate::types::class::type_data_raw(types().object)
        .dict
        .get_str(name);
    match (td.lookup(name), own) {
        (Some(found), Some(own)) => !found.is(&own),
        (found, _) => found.is_some(),
    }
}

/// The attributes a new module starts with (CPython's `module_init_dict`).
fn init_module_dict(d: &DictObj, name: &Value, doc: Option<&Value>) {
    d.set_str("__name__", name.clone());
    d.set_str("__doc__", doc.cloned().unwrap_or_else(Value::none));
    d.set_str("__package__", Value::none());
    d.set_str("__loader__", Value::none());
    d.set_str("__spec__", Value::none());
}

/// `module.__new__(cls, *args, **kwargs)`: a module with an empty dict, which
/// `__init__` fills (the blank a module subclass starts from).
fn module_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(cls) = a.args.first() else {
        return Err(vm.type_error("module.__new__(): not enough arguments"));
    };
    if !as_type(cls).is_some_and(|t| t.is_subtype_raw(types().module)) {
        let tn = type_name(cls);
        return Err(vm.type_error(format!(
            "module.__new__({tn}): {tn} is not a subtype of module"
        )));
    }
    let m = Value::alloc(crate::types::module::ModuleObj {
        name: "?".to_string(),
        dict: DictObj::new_value(),
    });
    if cls.raw() == types().module {
        crate::shared_immortal::new_module(&m);
        return Ok(m);
    }
    super::subclass::wrap(vm, cls, m)
}

/// `module.__init__(self, name, doc=None)`: what `super().__init__(name)` in a module
/// subclass reaches (six's lazy modules, `types.ModuleType` subclasses in general).
fn module_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = crate::modules::native_args::bind(vm, "module", a, &["self", "name", "doc"], 2, 3)?;
    let (Some(s), Some(name)) = (b[0], b[1]) else {
        return Err(vm.type_error("module.__init__() missing required argument 'name'"));
    };
    let Some(m) = s.downcast::<crate::types::module::ModuleObj>() else {
        let tn = type_name(s);
        return Err(vm.type_error(format!(
            "descriptor '__init__' requires a 'module' object but received a '{tn}'"
        )));
    };
    if as_str(name).is_none() {
        let tn = type_name(name);
        return Err(vm.type_error(format!("module() argument 'name' must be str, not {tn}")));
    }
    init_module_dict(m.dict(), name, b[2]);
    Ok(Value::none())
}

/// `object.__init__`: extra arguments are an error unless `__new__` is overridden to
/// take them (CPython's object_init).
fn object_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() > 1 || a.has_kw() {
        let td = p.first().map(|s| s.type_data());
        if td.is_none_or(|td| overrides_object(td, "__init__")) {
            return Err(vm.type_error(
                "object.__init__() takes exactly one argument (the instance to initialize)",
            ));
        }
        if let Some(td) = td
            && !overrides_object(td, "__new__")
        {
            let tn = crate::types::native::tp_name(td);
            return Err(vm.type_error(format!(
                "{tn}.__init__() takes exactly one argument (the instance to initialize)"
            )));
        }
    }
    Ok(Value::none())
}

fn object_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__repr__", a, 0, 0)?;
    Ok(new_string(ops::default_repr(s)))
}

fn object_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__str__", a, 0, 0)?;
    ops::repr_value(vm, s)
}

fn object_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__eq__", a, 1, 1)?;
    Ok(if s.is(&r[0]) {
        Value::bool(true)
    } else {
        Value::not_implemented()
    })
}

fn object_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__ne__", a, 1, 1)?;
    if let Some(eq) = crate::vm::lookup_special(s, "__eq__") {
        let v = vm.call(&eq, &[s.clone(), r[0].clone()])?;
        if v.is(&Value::not_implemented()) {
            return Ok(v);
        }
        let t = ops::truthy(vm, &v)?;
        return Ok(Value::bool(!t));
    }
    Ok(if s.is(&r[0]) {
        Value::bool(false)
    } else {
        Value::not_implemented()
    })
}

fn object_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__hash__", a, 0, 0)?;
    let p = s.bits();
    Ok(Value::int(p.rotate_right(4) as i64 & ((1 << 47) - 1)))
}

fn object_setattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__setattr__", a, 2, 2)?;
    attr_name_check(vm, &r[0])?;
    type_hackcheck(vm, s, "__setattr__")?;
    ops::generic_setattr_key(vm, s, &r[0], r[1].clone())?;
    Ok(Value::none())
}

fn object_getattribute(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__getattribute__", a, 1, 1)?;
    attr_name_check(vm, &r[0])?;
    let n = as_str(&r[0]).unwrap_or("").to_string();
    match ops::generic_getattr(vm, s, &n)? {
        Some(v) => Ok(v),
        None => Err(ops::no_attribute(vm, s, &n)),
    }
}

fn object_delattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__delattr__", a, 1, 1)?;
    attr_name_check(vm, &r[0])?;
    type_hackcheck(vm, s, "__delattr__")?;
    ops::generic_delattr(vm, s, &r[0])?;
    Ok(Value::none())
}

/// CPython's `hackcheck`: object's `__setattr__`/`__delattr__` cannot be applied to a
/// class, whose type (`type`) overrides them (so `object.__setattr__(str, ...)` cannot
/// get around `type.__setattr__`'s checks).
fn type_hackcheck(vm: &mut Vm, s: &Value, what: &str) -> PyResult<()> {
    if as_type(s).is_some() {
        let tn = type_name(s);
        return Err(vm.type_error(format!("can't apply this {what} to {tn} object")));
    }
    Ok(())
}

/// `type.__setattr__(cls, name, value)`.
fn type_setattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__setattr__", a, 2, 2)?;
    attr_name_check(vm, &r[0])?;
    if as_type(s).is_none() {
        let tn = type_name(s);
        return Err(vm.type_error(format!(
            "descriptor '__setattr__' requires a 'type' object but received a '{tn}'"
        )));
    }
    ops::type_setattr(vm, s, &r[0], r[1].clone())?;
    Ok(Value::none())
}

/// `type.__delattr__(cls, name)`.
fn type_delattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__delattr__", a, 1, 1)?;
    attr_name_check(vm, &r[0])?;
    if as_type(s).is_none() {
        let tn = type_name(s);
        return Err(vm.type_error(format!(
            "descriptor '__delattr__' requires a 'type' object but received a '{tn}'"
        )));
    }
    ops::generic_delattr(vm, s, &r[0])?;
    Ok(Value::none())
}

/// Attribute names must be strings.
fn attr_name_check(vm: &mut Vm, n: &Value) -> PyResult<()> {
    if as_str(n).is_none() {
        let tn = type_name(n);
        return Err(vm.type_error(format!("attribute name must be string, not '{tn}'")));
    }
    Ok(())
}

fn object_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__format__", a, 1, 1)?;
    let Some(spec) = as_str(&r[0]) else {
        let tn = if r[0].is_none() {
            "None".to_string()
        } else {
            type_name(&r[0])
        };
        return Err(vm.type_error(format!("__format__() argument must be str, not {tn}")));
    };
    if !spec.is_empty() {
        let tn = type_name(s);
        return Err(vm.type_error(format!(
            "unsupported format string passed to {tn}.__format__"
        )));
    }
    ops::str_value(vm, s)
}

/// `object.__init_subclass__()`: accepts no class keywords (bound to the new class).
fn object_init_subclass(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if a.has_kw() || a.pos().len() > 1 {
        let name = a
            .pos()
            .first()
            .and_then(|c| as_type(c).map(|t| t.name.clone()))
            .unwrap_or_else(|| "object".into());
        return Err(vm.type_error(if a.has_kw() {
            format!("{name}.__init_subclass__() takes no keyword arguments")
        } else {
            format!(
                "{name}.__init_subclass__() takes no arguments ({} given)",
                a.pos().len() - 1
            )
        }));
    }
    Ok(Value::none())
}

fn exc_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("__init__ needs self"));
    };
    if let Some(d) = exc_data(s) {
        let args = TupleObj::new_value(p[1..].to_vec());
        d.with(|d| d.args = args);
    }
    Ok(Value::none())
}

/// `ImportError.__init__(self, *args, name=None, path=None)`: `msg` is the one
/// positional argument, if there is exactly one.
fn import_error_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("__init__ needs self"));
    };
    let mut name = Value::none();
    let mut path = Value::none();
    let kw_values = &a.args[p.len()..];
    for (k, v) in a.kwnames.iter().zip(kw_values) {
        match as_str(k) {
            Some("name") => name = v.clone(),
            Some("path") => path = v.clone(),
            _ => {
                let k = as_str(k).unwrap_or("?").to_string();
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for ImportError()"
                )));
            }
        }
    }
    set_exc_args(s, p[1..].to_vec());
    let msg = if p.len() == 2 {
        p[1].clone()
    } else {
        Value::none()
    };
    for (n, v) in [("msg", msg), ("name", name), ("path", path)] {
        ops::setattr(vm, s, &new_str(n), v)?;
    }
    Ok(Value::none())
}

/// The exception types whose `__init__` takes keyword arguments (their fields).
fn has_keyword_fields(td: &TypeData) -> bool {
    let t = types();
    td.is_subtype_raw(t.import_error)
        || td.is_subtype_raw(t.attribute_error)
        || td.is_subtype_raw(t.name_error)
}

/// `AttributeError.__init__(self, *args, name=None, obj=None)`.
fn attribute_error_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    keyword_fields_init(vm, a, "AttributeError", &["name", "obj"])
}

/// `NameError.__init__(self, *args, name=None)`.
fn name_error_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    keyword_fields_init(vm, a, "NameError", &["name"])
}

/// `args` from the positional arguments; each field from its keyword (None if absent).
fn keyword_fields_init(vm: &mut Vm, a: &Args, ty: &str, fields: &[&str]) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("__init__ needs self"));
    };
    let mut values = vec![Value::none(); fields.len()];
    let kw_values = &a.args[p.len()..];
    for (k, v) in a.kwnames.iter().zip(kw_values) {
        let k = as_str(k).unwrap_or("?");
        match fields.iter().position(|f| *f == k) {
            Some(i) => values[i] = v.clone(),
            None => {
                return Err(
                    vm.type_error(format!("'{k}' is an invalid keyword argument for {ty}()"))
                );
            }
        }
    }
    set_exc_args(s, p[1..].to_vec());
    for (n, v) in fields.iter().zip(values) {
        ops::setattr(vm, s, &new_str(n), v)?;
    }
    Ok(Value::none())
}

/// Replace an exception's `args` (for `__init__`s of exception types with fields).
pub(crate) fn set_exc_args(exc: &Value, args: Vec<Value>) {
    if let Some(d) = exc_data(exc) {
        let args = TupleObj::new_value(args);
        d.with(|d| d.args = args);
    }
}

fn exc_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__str__", a, 0, 0)?;
    let args = exc_data(s)
        .map(|d| d.with(|d| d.args.clone()))
        .unwrap_or_else(Value::none);
    let items = ops::seq_items_fast(&args).unwrap_or_default();
    match items.len() {
        0 => Ok(new_str("")),
        1 => ops::str_value(vm, &items[0]),
        _ => ops::repr_value(vm, &args),
    }
}

fn exc_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__repr__", a, 0, 0)?;
    let args = exc_data(s)
        .map(|d| d.with(|d| d.args.clone()))
        .unwrap_or_else(Value::none);
    let items = ops::seq_items_fast(&args).unwrap_or_default();
    let name = type_name(s);
    let inner = if items.len() == 1 {
        ops::repr(vm, &items[0])?
    } else {
        ops::repr(vm, &args)?
    };
    Ok(new_string(if items.len() == 1 {
        format!("{name}({inner})")
    } else {
        format!("{name}{inner}")
    }))
}

fn exc_with_traceback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "with_traceback", a, 1, 1)?;
    let tb = super::frames::traceback_arg(vm, &r[0], "__traceback__ must be a traceback or None")?;
    if let Some(d) = crate::vm::exc_data(s) {
        let old = d.with(|d| std::mem::replace(&mut d.traceback, tb));
        drop(old);
    }
    Ok(s.clone())
}

fn type_mro(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "mro", a, 0, 0)?;
    let s = s.clone();
    let mro = crate::types::set_bases::c3_of(vm, &s)?;
    Ok(ListObj::new_value(mro))
}

/// `property.getter/setter/deleter`: a copy with one accessor replaced, made by calling
/// `type(self)(fget, fset, fdel, doc)` so that a subclass gets an instance of itself
/// (CPython's `property_copy`).
fn property_with(vm: &mut Vm, a: &Args, which: usize) -> PyResult<Value> {
    let what = ["getter", "setter", "deleter"][which];
    let (s, r) = method_args(vm, what, a, 1, 1)?;
    let Some(p) = s.downcast::<PropertyObj>() else {
        return Err(vm.type_error(format!("descriptor '{what}' requires a 'property' object")));
    };
    let mut parts = [p.fget.get_clone(), p.fset.get_clone(), p.fdel.get_clone()];
    if !r[0].is_none() {
        parts[which] = r[0].clone();
    }
    for x in parts.iter_mut() {
        if x.is_null() {
            *x = Value::none();
        }
    }
    let [fget, fset, fdel] = parts;
    let doc = if p.getter_doc.load(Ordering::Relaxed) && !fget.is_none() {
        // The new property takes its doc from its getter.
        Value::none()
    } else {
        let d = p.doc.get_clone();
        if d.is_null() { Value::none() } else { d }
    };
    let ty = s.type_of();
    let new = vm.call(&ty, &[fget, fset, fdel, doc])?;
    if let Some(np) = new.downcast::<PropertyObj>() {
        let name = p.name.get_clone();
        let old = np.name.with(|n| std::mem::replace(n, name));
        drop(old);
    }
    Ok(new)
}

/// The arguments of `property(fget=None, fset=None, fdel=None, doc=None)`.
fn property_parts(vm: &mut Vm, a: &Args, p: &[Value]) -> PyResult<[Value; 4]> {
    if p.len() > 4 {
        return Err(arg_count_error(vm, "property", p.len(), 0, 4));
    }
    let mut parts = [Value::none(), Value::none(), Value::none(), Value::none()];
    for (i, v) in p.iter().enumerate() {
        parts[i] = v.clone();
    }
    for (k, v) in a.kw() {
        let i = match k {
            "fget" => 0,
            "fset" => 1,
            "fdel" => 2,
            "doc" => 3,
            _ => {
                return Err(vm.type_error(format!(
                    "property() got an unexpected keyword argument '{k}'"
                )));
            }
        };
        if i < p.len() {
            return Err(vm.type_error(format!(
                "argument for property() given by name ('{k}') and position ({})",
                i + 1
            )));
        }
        parts[i] = v.clone();
    }
    Ok(parts)
}

/// `property.__init__` (CPython's `property_init_impl`): with no doc, the getter's
/// `__doc__` is the property's; a subclass instance gets it in its own `__doc__`
/// attribute instead (the subclass's `__doc__` would shadow the member), and a failure
/// to set it there propagates.
fn property_fill(vm: &mut Vm, s: &Value, prop: &PropertyObj, parts: [Value; 4]) -> PyResult<()> {
    let [fget, fset, fdel, doc] = parts;
    let has_get = !fget.is_none();
    prop.fget.with(|x| *x = fget.clone());
    prop.fset.with(|x| *x = fset);
    prop.fdel.with(|x| *x = fdel);
    let doc_missing = doc.is_none();
    prop.doc.with(|x| *x = doc);
    let old_name = prop.name.with(|x| std::mem::replace(x, Value::NULL));
    drop(old_name);
    prop.getter_doc.store(false, Ordering::Relaxed);
    if doc_missing && has_get {
        let get_doc = match ops::getattr_opt(vm, &fget, "__doc__") {
            Ok(d) => d,
            Err(e) if vm.err_matches(&e, types().attribute_error) => None,
            Err(e) => return Err(e),
        };
        if s.type_raw() == types().property {
            prop.doc.with(|x| *x = get_doc.unwrap_or_else(Value::none));
        } else {
            ops::generic_setattr(vm, s, "__doc__", get_doc.unwrap_or_else(Value::none))?;
        }
        prop.getter_doc.store(true, Ordering::Relaxed);
    }
    Ok(())
}

/// `property.__new__(cls)`: an empty property for `__init__` to fill.
fn property_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(cls) = a.pos().first() else {
        return Err(vm.type_error("property.__new__(): not enough arguments"));
    };
    let blank = Value::alloc(PropertyObj::new(
        Value::none(),
        Value::none(),
        Value::none(),
        Value::none(),
    ));
    if cls.raw() == types().property {
        return Ok(blank);
    }
    super::subclass::wrap(vm, cls, blank)
}

fn property_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("descriptor '__init__' needs an argument"));
    };
    let Some(prop) = s.downcast::<PropertyObj>() else {
        return Err(vm.type_error("descriptor '__init__' requires a 'property' object"));
    };
    let parts = property_parts(vm, a, &p[1..])?;
    property_fill(vm, s, prop, parts)?;
    Ok(Value::none())
}

/// `property.__set_name__(owner, name)`: remember the name for error messages.
fn property_set_name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(prop) = p.first().and_then(|s| s.downcast::<PropertyObj>()) else {
        return Err(vm.type_error("descriptor '__set_name__' requires a 'property' object"));
    };
    if p.len() != 3 || a.has_kw() {
        let n = p.len().saturating_sub(1);
        return Err(vm.type_error(format!(
            "__set_name__() takes 2 positional arguments but {n} were given"
        )));
    }
    let name = p[2].clone();
    let old = prop.name.with(|x| std::mem::replace(x, name));
    drop(old);
    Ok(Value::none())
}

fn property_set(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__set__", a, 2, 2)?;
    let Some(p) = s.downcast::<PropertyObj>() else {
        return Err(vm.type_error("descriptor '__set__' requires a 'property' object"));
    };
    ops::property_set(vm, p, &r[0], Some(r[1].clone()))?;
    Ok(Value::none())
}

fn property_delete(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__delete__", a, 1, 1)?;
    let Some(p) = s.downcast::<PropertyObj>() else {
        return Err(vm.type_error("descriptor '__delete__' requires a 'property' object"));
    };
    ops::property_set(vm, p, &r[0], None)?;
    Ok(Value::none())
}

/// `classmethod.__new__(cls, *args)` / `staticmethod.__new__`: an empty wrapper for
/// `__init__` to fill.
fn wrapper_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(cls) = a.pos().first() else {
        return Err(vm.type_error("__new__(): not enough arguments"));
    };
    let Some(td) = as_type(cls) else {
        let tn = type_name(cls);
        return Err(vm.type_error(format!("__new__(X): X is not a type object ({tn})")));
    };
    let base = if td.kind == Kind::ClassMethod {
        types().classmethod
    } else {
        types().staticmethod
    };
    let blank = Value::alloc_with_type(&Value::from_borrowed(base), WrapperObj::new(Value::none()));
    if cls.raw() == base {
        return Ok(blank);
    }
    super::subclass::wrap(vm, cls, blank)
}

fn wrapper_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("descriptor '__init__' needs an argument"));
    };
    let k = s.type_data().kind;
    let name = if k == Kind::ClassMethod {
        "classmethod"
    } else {
        "staticmethod"
    };
    if k != Kind::ClassMethod && k != Kind::StaticMethod {
        return Err(vm.type_error(format!("descriptor '__init__' requires a '{name}' object")));
    }
    if a.has_kw() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    if p.len() != 2 {
        return Err(vm.type_error(format!("{name} expected 1 argument, got {}", p.len() - 1)));
    }
    // SAFETY: instances of these kinds start with a WrapperObj payload.
    let w = unsafe { s.payload_unchecked::<WrapperObj>() };
    let new = p[1].clone();
    // SAFETY: with the world stopped (or one thread), no thread reads `f` now; the
    // old callable is dropped after the world restarts (it may run a finalizer).
    let swap = || unsafe { w.f.replace(new) };
    let old = crate::thread_state::stop_the_world(swap);
    drop(old);
    Ok(Value::none())
}

/// `classmethod.__get__(obj, type=None)` / `staticmethod.__get__`.
fn wrapper_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__get__", a, 1, 2)?;
    let f = crate::types::misc::wrapped_func(s).unwrap_or_else(Value::none);
    if s.type_data().kind == Kind::StaticMethod {
        return Ok(f);
    }
    let owner = match r.get(1) {
        Some(t) if !t.is_none() => t.clone(),
        _ => r[0].type_of(),
    };
    ops::classmethod_get(vm, s, &owner)
}

fn property_getter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    property_with(vm, a, 0)
}
fn property_setter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    property_with(vm, a, 1)
}
fn property_deleter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    property_with(vm, a, 2)
}

fn property_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "__get__", a, 1, 2)?;
    if r[0].is_none() {
        return Ok(s.clone());
    }
    let Some(p) = s.downcast::<PropertyObj>() else {
        return Err(vm.type_error("descriptor '__get__' requires a 'property' object"));
    };
    ops::property_get(vm, p, &r[0])
}

/// Call a type object: construct an instance.
pub fn call_type(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    // A metaclass defined in Python may override __call__.
    if let Some(f) = crate::vm::subclass_override(cls, "__call__") {
        let mut full = Vec::with_capacity(a.args.len() + 1);
        full.push(cls.clone());
        full.extend_from_slice(a.args);
        return vm.call_kw(&f, &full, a.kwnames);
    }
    call_type_standard(vm, cls, a)
}

/// A complex() argument: a builtin number, or an object with `__complex__`, `__float__`
/// or `__index__` (tried in that order, as CPython does); with whether it was complex
/// (a real one's zero imaginary part takes no part in the sum, so `complex(-1.0, -0.0)`
/// keeps its negative zero).
fn complex_operand(vm: &mut Vm, v: &Value) -> PyResult<Option<((f64, f64), bool)>> {
    let is_complex = v.downcast::<crate::types::complex::ComplexObj>().is_some()
        || crate::vm::lookup_special(v, "__complex__").is_some();
    Ok(complex_operand_value(vm, v)?.map(|c| (c, is_complex)))
}

fn complex_operand_value(vm: &mut Vm, v: &Value) -> PyResult<Option<(f64, f64)>> {
    if let Some(c) = ops::as_complex(v) {
        return Ok(Some(c));
    }
    for (hook, imag_ok) in [
        ("__complex__", true),
        ("__float__", false),
        ("__index__", false),
    ] {
        if let Some(f) = crate::vm::lookup_special(v, hook) {
            let r = vm.call(&f, std::slice::from_ref(v))?;
            return match ops::as_complex(&r) {
                Some(c) if imag_ok || c.1 == 0.0 => Ok(Some(c)),
                _ => Err(vm.type_error(format!(
                    "{hook} returned non-{} (type {})",
                    if imag_ok { "complex" } else { "float" },
                    type_name(&r)
                ))),
            };
        }
    }
    Ok(None)
}

/// The metaclass of a new class with these bases and no explicit one: the first
/// base's, made the most derived of all the bases' (CPython's `__build_class__`).
fn bases_metaclass(vm: &mut Vm, bases: &[Value]) -> PyResult<Value> {
    let first = match bases.first() {
        Some(b) => b.type_of(),
        None => Value::from_borrowed(types().type_),
    };
    calculate_metaclass(vm, first, bases)
}

/// The winner among `meta` and the metaclasses of `bases`: each must be a subclass of
/// the winner or the winner of it, else the metaclasses conflict.
fn calculate_metaclass(vm: &mut Vm, meta: Value, bases: &[Value]) -> PyResult<Value> {
    let mut winner = meta;
    for b in bases {
        let bt = b.type_of();
        if crate::types::class::is_subclass(&winner, &bt) {
            continue;
        }
        if crate::types::class::is_subclass(&bt, &winner) {
            winner = bt;
            continue;
        }
        return Err(vm.type_error(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
        ));
    }
    Ok(winner)
}

/// Calling a class without metaclass overrides: construct an instance.
pub fn call_type_standard(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let t = types();
    let raw = cls.raw();
    let Some(td) = as_type(cls) else {
        return Err(vm.type_error("not a type"));
    };
    if td.is_heap {
        return call_user_class(vm, cls, a);
    }
    if td.native.is_some() {
        return crate::types::native::construct(vm, cls, a);
    }
    if td.is_exception && td.is_subtype_raw(t.base_exception_group) {
        return super::exception_group::construct(vm, cls, a.pos(), a.has_kw());
    }
    if td.is_exception {
        if a.has_kw() && !has_keyword_fields(td) {
            let n = td.name.clone();
            return Err(vm.type_error(format!("{n}() takes no keyword arguments")));
        }
        let exc = new_instance_of(cls, a.pos().to_vec());
        if td.is_subtype_raw(t.stop_iteration)
            && let Some(v) = a.pos().first()
        {
            crate::vm::set_exc_value(&exc, v.clone());
        }
        if (td.is_subtype_raw(t.unicode_error)
            || td.is_subtype_raw(t.syntax_error)
            || has_keyword_fields(td))
            && let Some(init) = td.lookup("__init__")
        {
            let mut full = vec![exc.clone()];
            full.extend_from_slice(a.args);
            vm.call_kw(&init, &full, a.kwnames)?;
        }
        return Ok(exc);
    }
    let name: &str = &td.name;
    let p = a.pos();
    match () {
        _ if raw == t.type_ => {
            if p.len() == 1 && !a.has_kw() {
                return Ok(p[0].type_of());
            }
            if p.len() == 1 {
                return Err(vm.type_error("type() takes 1 or 3 arguments"));
            }
            if p.len() != 3 {
                return Err(vm.type_error("type() takes 1 or 3 arguments"));
            }
            let Some(name) = as_str(&p[0]).map(|s| s.to_string()) else {
                let tn = type_name(&p[0]);
                return Err(
                    vm.type_error(format!("type.__new__() argument 1 must be str, not {tn}"))
                );
            };
            check_type_name(vm, &p[0])?;
            let Some(bases) = p[1].downcast::<TupleObj>().map(|t| t.items.to_vec()) else {
                let tn = type_name(&p[1]);
                return Err(
                    vm.type_error(format!("type.__new__() argument 2 must be tuple, not {tn}"))
                );
            };
            if p[2].downcast::<DictObj>().is_none() {
                let tn = type_name(&p[2]);
                return Err(
                    vm.type_error(format!("type.__new__() argument 3 must be dict, not {tn}"))
                );
            }
            let ns_v = namespace_copy(vm, &p[2])?;
            let ns = ns_v.downcast::<DictObj>().expect("dict");
            for b in &bases {
                if as_type(b).is_none() && ops::getattr_opt(vm, b, "__mro_entries__")?.is_some() {
                    return Err(vm.type_error(
                        "type() doesn't support MRO entry resolution; use types.new_class()",
                    ));
                }
            }
            // `type(name, bases, ns)` with a base made by a user metaclass builds the
            // class with that metaclass, as CPython's type_new does.
            let meta = calculate_metaclass(vm, cls.clone(), &bases)?;
            if meta.raw() != t.type_ {
                return vm.call_kw(&meta, a.args, a.kwnames);
            }
            let kw: Vec<(Value, Value)> = a
                .kw()
                .map(|(k, v)| (crate::world::intern(k), v.clone()))
                .collect();
            let qual = ns
                .get_str("__qualname__")
                .and_then(|q| as_str(&q).map(|s| s.to_string()))
                .unwrap_or_else(|| name.clone());
            make_class_meta(vm, &name, &qual, bases, ns, &cls.clone(), &kw)
        }
        _ if raw == t.object => {
            posargs(vm, "object", a, 0, 0)?;
            Ok(new_instance_of(cls, vec![]))
        }
        _ if raw == t.int => super::numbers::int_new(vm, a),
        _ if raw == t.float => super::numbers::float_new(vm, a),
        _ if raw == t.bool => {
            let p = posargs(vm, "bool", a, 0, 1)?;
            match p.first() {
                Some(v) => Ok(Value::bool(ops::truthy(vm, v)?)),
                None => Ok(Value::bool(false)),
            }
        }
        _ if raw == t.str => str_new(vm, a),
        _ if raw == t.list => {
            let p = posargs(vm, "list", a, 0, 1)?;
            let items = match p.first() {
                Some(v) => ops::collect(vm, v)?,
                None => vec![],
            };
            Ok(ListObj::new_value(items))
        }
        _ if raw == t.tuple => {
            let p = posargs(vm, "tuple", a, 0, 1)?;
            match p.first() {
                Some(v) if v.downcast_exact::<TupleObj>().is_some() => Ok(v.clone()),
                Some(v) => Ok(TupleObj::new_value(ops::collect(vm, v)?)),
                None => Ok(TupleObj::from_items([])),
            }
        }
        _ if raw == t.dict => {
            let d = DictObj::new();
            if p.len() > 1 {
                return Err(arg_count_error(vm, "dict", p.len(), 0, 1));
            }
            if let Some(src) = p.first() {
                super::containers::dict_update_from(vm, &d, src)?;
            }
            for (k, v) in a.kw() {
                d.set(vm, new_str(k), v.clone())?;
            }
            Ok(Value::alloc(d))
        }
        _ if raw == t.set || raw == t.frozenset => {
            let p = posargs(vm, name, a, 0, 1)?;
            let s = Value::alloc_with_type(cls, SetObj::new());
            if let Some(v) = p.first() {
                ops::set_update(vm, &s, v)?;
            }
            Ok(s)
        }
        _ if raw == t.range => {
            use crate::types::range::{new_range, new_small_range, range_parts};
            let p = posargs(vm, "range", a, 1, 3)?;
            let zero_step = "range() arg 3 must not be zero";
            // Small ints (nearly every range) need no big-int arithmetic.
            if p.iter().all(|v| v.raw().is_small_int()) {
                let mut n = [0i64; 3];
                for (d, v) in n.iter_mut().zip(p.iter()) {
                    *d = v.raw().as_small_int();
                }
                let Some((start, stop, step)) = range_parts(&n[..p.len()], 0, 1) else {
                    return Err(vm.value_error(zero_step));
                };
                return Ok(new_small_range(start, stop, step));
            }
            // Any object with `__index__` (sympy's Integer) is an integer here.
            let n = p
                .iter()
                .map(|v| ops::to_index(vm, v))
                .collect::<PyResult<Vec<_>>>()?;
            let (zero, one) = (num_bigint::BigInt::from(0), num_bigint::BigInt::from(1));
            let Some((start, stop, step)) = range_parts(&n, zero, one) else {
                return Err(vm.value_error(zero_step));
            };
            Ok(new_range(start, stop, step))
        }
        _ if raw == t.slice => {
            let p = posargs(vm, "slice", a, 1, 3)?;
            let (start, stop, step) = match p.len() {
                1 => (Value::none(), p[0].clone(), Value::none()),
                2 => (p[0].clone(), p[1].clone(), Value::none()),
                _ => (p[0].clone(), p[1].clone(), p[2].clone()),
            };
            Ok(Value::alloc(SliceObj { start, stop, step }))
        }
        _ if raw == t.property => {
            let parts = property_parts(vm, a, p)?;
            let none = Value::none;
            let v = Value::alloc(PropertyObj::new(none(), none(), none(), none()));
            // SAFETY: just allocated as a property.
            let prop = unsafe { v.payload_unchecked::<PropertyObj>() };
            property_fill(vm, &v, prop, parts)?;
            Ok(v)
        }
        _ if raw == t.staticmethod || raw == t.classmethod => {
            if a.has_kw() {
                return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
            }
            if p.len() != 1 {
                return Err(vm.type_error(format!("{name} expected 1 argument, got {}", p.len())));
            }
            Ok(Value::alloc_with_type(cls, WrapperObj::new(p[0].clone())))
        }
        _ if raw == t.super_ => super::super_type::construct(vm, a),
        _ if raw == t.complex => {
            let p = complex_args(vm, a)?;
            if p.len() > 1 && p[0].as_ref().is_some_and(|v| as_str(v).is_some()) {
                return Err(vm.type_error("complex() can't take second arg if first is a string"));
            }
            if p.len() > 1 && p[1].as_ref().is_some_and(|v| as_str(v).is_some()) {
                return Err(vm.type_error("complex() second arg can't be a string"));
            }
            let p: Vec<Value> = match p.as_slice() {
                [None, Some(i)] => vec![Value::int(0), i.clone()],
                _ => p.into_iter().flatten().collect(),
            };
            if let Some(s) = p.first().and_then(|v| as_str(v)) {
                return match parse_complex(s) {
                    Some((re, im)) => Ok(crate::types::complex::new_complex(re, im)),
                    None => Err(vm.value_error("complex() arg is a malformed string")),
                };
            }
            let re = match p.first() {
                Some(v) => complex_operand(vm, v)?,
                None => Some(((0.0, 0.0), false)),
            };
            let im = match p.get(1) {
                Some(v) => complex_operand(vm, v)?,
                None => Some(((0.0, 0.0), false)),
            };
            match (re, im) {
                (Some((r, r_complex)), Some((i, i_complex))) => {
                    // CPython's complex_new: only a complex part's imaginary half adds.
                    let real = if i_complex { r.0 - i.1 } else { r.0 };
                    let imag = if r_complex { i.0 + r.1 } else { i.0 };
                    Ok(crate::types::complex::new_complex(real, imag))
                }
                _ => Err(vm.type_error("complex() first argument must be a string or a number")),
            }
        }
        _ if raw == t.bytes => {
            // `bytes(x)` asks `x.__bytes__()` first (without encoding arguments).
            if let [src] = a.args
                && src
                    .downcast_exact::<crate::types::bytes::BytesObj>()
                    .is_none()
                && let Some(f) = crate::vm::lookup_special(src, "__bytes__")
            {
                let r = vm.call(&f, std::slice::from_ref(src))?;
                if r.downcast::<crate::types::bytes::BytesObj>().is_none() {
                    let rn = r.type_data().name.clone();
                    return Err(vm.type_error(format!("__bytes__ returned non-bytes (type {rn})")));
                }
                return Ok(r);
            }
            let data = super::bytes::bytes_from(vm, a, "bytes")?;
            Ok(crate::types::bytes::BytesObj::new_value(data))
        }
        _ if raw == t.bytearray => {
            let data = super::bytes::bytes_from(vm, a, "bytearray")?;
            Ok(crate::types::bytes::ByteArrayObj::new_value(data))
        }
        _ if raw == t.module => {
            let p = posargs(vm, "module", a, 1, 2)?;
            let Some(n) = as_str(&p[0]) else {
                let tn = type_name(&p[0]);
                return Err(
                    vm.type_error(format!("module() argument 'name' must be str, not {tn}"))
                );
            };
            let m = crate::import::new_module(n, None);
            if let Some(mo) = m.downcast::<crate::types::module::ModuleObj>() {
                init_module_dict(mo.dict(), &p[0], p.get(1));
            }
            Ok(m)
        }
        _ if raw == t.weakref => super::subclass::default_new(vm, cls, a),
        _ if raw == t.function => super::function_new::function_new(vm, a),
        // `types.TracebackType(tb_next, tb_frame, tb_lasti, tb_lineno)`.
        _ if raw == t.traceback => {
            let mut full = Vec::with_capacity(a.args.len() + 1);
            full.push(cls.clone());
            full.extend_from_slice(a.args);
            super::frames::tb_new(
                vm,
                &Args {
                    args: &full,
                    kwnames: a.kwnames,
                },
            )
        }
        // `types.MethodType(func, obj)` (weakref.WeakMethod rebuilds bound methods).
        _ if raw == t.method => {
            let p = posargs(vm, "method", a, 2, 2)?;
            if !crate::types::weakref::is_callable(&p[0]) {
                return Err(vm.type_error("first argument must be callable"));
            }
            if p[1].is_none() {
                return Err(vm.type_error("instance must not be None"));
            }
            Ok(Value::alloc(crate::types::func::MethodObj {
                func: p[0].clone(),
                self_: p[1].clone(),
            }))
        }
        // `type(None)()`, `type(NotImplemented)()`, `type(...)()`: the singleton.
        _ if raw == t.none_type || raw == t.not_implemented_type || raw == t.ellipsis_type => {
            if !a.args.is_empty() {
                return Err(vm.type_error(format!("{name} takes no arguments")));
            }
            Ok(if raw == t.none_type {
                Value::none()
            } else if raw == t.not_implemented_type {
                Value::not_implemented()
            } else {
                Value::ellipsis()
            })
        }
        _ if raw == t.cell => super::cell::new_cell(vm, a),
        _ => match super::iter_types::construct(vm, raw, a) {
            Some(r) => r,
            None => Err(vm.type_error(format!("cannot create '{name}' instances"))),
        },
    }
}

/// `str(object='')` and `str(object=b'', encoding='utf-8', errors='strict')`.
fn str_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() > 3 {
        return Err(vm.type_error(format!(
            "str() takes at most 3 arguments ({} given)",
            p.len() + a.kw().count()
        )));
    }
    let mut obj = p.first().cloned();
    let mut encoding = p.get(1).cloned();
    let mut errors = p.get(2).cloned();
    for (k, v) in a.kw() {
        let slot = match k {
            "object" => &mut obj,
            "encoding" => &mut encoding,
            "errors" => &mut errors,
            _ => {
                return Err(
                    vm.type_error(format!("'{k}' is an invalid keyword argument for str()"))
                );
            }
        };
        if slot.is_some() {
            return Err(vm.type_error(format!(
                "argument for str() given by name ('{k}') and position"
            )));
        }
        *slot = Some(v.clone());
    }
    let Some(obj) = obj else {
        return Ok(new_str(""));
    };
    if encoding.is_none() && errors.is_none() {
        return ops::str_value(vm, &obj);
    }
    let text_arg = |vm: &mut Vm, v: Option<Value>, what: &str, dflt: &str| match v {
        None => Ok(dflt.to_string()),
        Some(v) => match as_str(&v) {
            Some(s) => Ok(s.to_string()),
            None => {
                let tn = type_name(&v);
                Err(vm.type_error(format!("str() argument '{what}' must be str, not {tn}")))
            }
        },
    };
    let enc = text_arg(vm, encoding, "encoding", "utf-8")?;
    let err = text_arg(vm, errors, "errors", "strict")?;
    if as_str(&obj).is_some() {
        return Err(vm.type_error("decoding str is not supported"));
    }
    let Some(data) = crate::modules::buffer::bytes_like(&obj) else {
        let tn = type_name(&obj);
        return Err(vm.type_error(format!(
            "decoding to str: need a bytes-like object, {tn} found"
        )));
    };
    crate::modules::codecs::decode_bytes(vm, &data, &enc, &err)
}

fn call_user_class(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let Some(td) = as_type(cls) else {
        return Err(vm.type_error("not a type"));
    };
    let user_new = td
        .lookup_with_owner("__new__")
        .filter(|(_, owner)| as_type(owner).is_some_and(|o| o.is_heap));
    let user_init = td
        .lookup_with_owner("__init__")
        .filter(|(_, owner)| as_type(owner).is_some_and(|o| o.is_heap));
    let mut full = Vec::with_capacity(a.args.len() + 1);
    full.push(cls.clone());
    full.extend_from_slice(a.args);
    let obj = match &user_new {
        Some((new, _)) => {
            let f = crate::types::misc::wrapped_func(new).unwrap_or_else(|| new.clone());
            if new.is_ptr() && new.type_data().kind == Kind::ClassMethod {
                // `cls.__new__` bound as a classmethod: the class comes twice (CPython's
                // slot_tp_new gets the attribute, then passes the class).
                let mut twice = Vec::with_capacity(full.len() + 1);
                twice.push(cls.clone());
                twice.extend_from_slice(&full);
                vm.call_kw(&f, &twice, a.kwnames)?
            } else {
                vm.call_kw(&f, &full, a.kwnames)?
            }
        }
        None if td.kind != Kind::Object => super::subclass::default_new(vm, cls, a)?,
        None if td.is_subtype_raw(types().base_exception_group) => {
            super::exception_group::construct(vm, cls, a.pos(), false)?
        }
        None => {
            crate::modules::_abc::check_instantiable(vm, cls)?;
            if user_init.is_none() && !td.is_exception && !a.args.is_empty() {
                let n = td.name.clone();
                return Err(vm.type_error(format!("{n}() takes no arguments")));
            }
            new_instance_of(cls, a.pos().to_vec())
        }
    };
    if !obj.type_data().is_subtype_raw(cls.raw()) {
        return Ok(obj);
    }
    // `__new__` may return an instance of a subclass: its `__init__` runs (CPython
    // calls `type(obj)->tp_init`).
    let user_init = if obj.type_raw() == cls.raw() {
        user_init
    } else {
        obj.type_data()
            .lookup_with_owner("__init__")
            .filter(|(_, owner)| as_type(owner).is_some_and(|o| o.is_heap))
    };
    if let Some((init, _)) = user_init {
        let r = if init.downcast::<FuncObj>().is_some() {
            full[0] = obj.clone();
            vm.call_kw(&init, &full, a.kwnames)?
        } else {
            // Another descriptor (a property, a staticmethod, ...): bound to the new
            // object first, as CPython's slot_tp_init looks the method up.
            let owner = obj.type_of();
            let bound = ops::bind_descriptor(vm, init, &obj, &owner)?;
            vm.call_kw(&bound, &full[1..], a.kwnames)?
        };
        if !r.is_none() {
            let tn = type_name(&r);
            return Err(vm.type_error(format!("__init__() should return None, not '{tn}'")));
        }
    } else if td.kind != Kind::Object
        && td.native.is_none()
        && let Some(init) = super::subclass::native_init(cls)
    {
        // The builtin base's native __init__ fills the new object from the arguments.
        full[0] = obj.clone();
        vm.call_kw(&init, &full, a.kwnames)?;
    } else if td.is_subtype_raw(types().unicode_error)
        || td.is_subtype_raw(types().syntax_error)
        || has_keyword_fields(td)
        || td.native.is_some_and(|n| n.has_init)
    {
        // A native type's __init__ (the Unicode errors' sets their fields).
        if let Some(init) = td.lookup("__init__") {
            full[0] = obj.clone();
            vm.call_kw(&init, &full, a.kwnames)?;
        }
    } else if td.is_exception && user_new.is_some() && crate::vm::exc_data(&obj).is_some() {
        // BaseException.__init__ sets `args` to the call's arguments, whatever the
        // class's `__new__` passed on (a group subclass with extra arguments).
        set_exc_args(&obj, a.pos().to_vec());
    } else if a.has_kw() && user_new.is_none() && td.kind == Kind::Object {
        let n = td.name.clone();
        return Err(vm.type_error(format!("{n}() takes no keyword arguments")));
    }
    Ok(obj)
}

/// Create a class with metaclass `meta` and run the class-creation hooks
/// (`__set_name__`, then `__init_subclass__` with the class keywords).
/// The namespace `type(name, bases, ns)` makes the class from: a dict subclass is read
/// in its own order (`ops::mapping_items`: OrderedDict's), as CPython's PyDict_Copy.
fn namespace_copy(vm: &mut Vm, ns: &Value) -> PyResult<Value> {
    if ns.downcast_exact::<DictObj>().is_some() {
        return Ok(ns.clone());
    }
    let d = DictObj::new();
    for (k, v) in ops::mapping_items(vm, ns)? {
        d.set(vm, k, v)?;
    }
    Ok(Value::alloc(d))
}

/// A str CPython keeps as UTF-8 (a class's name, its docstring): one holding lone
/// surrogates is the UnicodeEncodeError of encoding it.
fn check_utf8(vm: &mut Vm, v: &Value) -> PyResult<()> {
    if let Some((s, true)) = crate::types::str::as_str_flag(v) {
        let s = s.to_string();
        crate::modules::codecs::unicode::utf8_encode_text(vm, &s, "strict", true)?;
    }
    Ok(())
}

/// A class name as type_new and the `__name__` setter take it: no NUL, UTF-8.
pub(crate) fn check_type_name(vm: &mut Vm, name: &Value) -> PyResult<()> {
    if as_str(name).is_some_and(|s| s.contains('\0')) {
        return Err(vm.value_error("type name must not contain null characters"));
    }
    check_utf8(vm, name)
}

/// The namespace's `__qualname__` and `__doc__` of a class being made, checked as
/// CPython's type_new checks them (the name is `check_type_name`'s).
fn check_class_strings(vm: &mut Vm, ns: &DictObj) -> PyResult<()> {
    if let Some(q) = ns.get_str("__qualname__")
        && as_str(&q).is_none()
    {
        let tn = type_name(&q);
        return Err(vm.type_error(format!("type __qualname__ must be a str, not {tn}")));
    }
    if let Some(doc) = ns.get_str("__doc__") {
        check_utf8(vm, &doc)?;
    }
    Ok(())
}

pub fn make_class_meta(
    vm: &mut Vm,
    name: &str,
    qualname: &str,
    bases: Vec<Value>,
    ns: &DictObj,
    meta: &Value,
    kw: &[(Value, Value)],
) -> PyResult<Value> {
    check_class_strings(vm, ns)?;
    let classcell = ns.get_str("__classcell__");
    if let Some(c) = &classcell
        && c.downcast::<CellObj>().is_none()
    {
        let tn = ops::repr(vm, &c.type_of())?;
        return Err(vm.type_error(format!("__classcell__ must be a nonlocal cell, not {tn}")));
    }
    let cls = match new_class(name, qualname, bases.clone(), ns, meta) {
        Ok(c) => c,
        Err((ty, msg)) => return Err(vm.err(ty, msg)),
    };
    let td = as_type(&cls).expect("class");
    // The class body's `__class__` cell (zero-argument super()) is filled now, before
    // any hook runs, and is not an attribute of the class.
    if let Some(c) = classcell.as_ref().and_then(|c| c.downcast::<CellObj>()) {
        c.set(cls.clone());
        // The cell itself leaves the class dict (a `__classcell__` slot's member
        // descriptor stays).
        if td
            .dict
            .get_str("__classcell__")
            .is_some_and(|v| v.downcast::<CellObj>().is_some())
        {
            td.dict.d.with(|d| d.remove_str("__classcell__"));
        }
    }
    // A metaclass's `mro()` runs with the cell filled (its methods may use
    // `__class__`, as in CPython).
    crate::types::set_bases::apply_custom_mro(vm, &cls)?;
    if ns.get_str("__eq__").is_some() && ns.get_str("__hash__").is_none() {
        td.dict.set_str("__hash__", Value::none());
    }
    // A namespace without `__module__` (`type(name, bases, ns)`) takes the `__name__`
    // of the globals of the Python code running (the caller), as CPython's type_new.
    if ns.get_str("__module__").is_none() && !vm.frame.is_null() {
        // SAFETY: `vm.frame` is the live innermost frame.
        let globals = Value::from_borrowed(unsafe { (*vm.frame).globals });
        if let Some(name) = globals
            .downcast::<DictObj>()
            .and_then(|g| g.get_str("__name__"))
        {
            if let Some(m) = crate::types::str::as_str(&name) {
                let m = m.to_string();
                td.module.with(|x| *x = m);
            }
            td.dict.set_str("__module__", name);
        }
    }
    // As CPython's type_new: a plain function `__new__` is implicitly a staticmethod,
    // these two are implicitly classmethods, and `__qualname__` is a property of the
    // class rather than an entry of its dict.
    for (n, kind) in [
        ("__new__", types().staticmethod),
        ("__init_subclass__", types().classmethod),
        ("__class_getitem__", types().classmethod),
    ] {
        if let Some(f) = td.dict.get_str(n)
            && f.downcast::<FuncObj>().is_some()
        {
            let w = Value::alloc_with_type(&Value::from_borrowed(kind), WrapperObj::new(f));
            td.dict.set_str(n, w);
        }
    }
    if td
        .dict
        .get_str("__qualname__")
        .is_some_and(|v| as_str(&v).is_some())
    {
        td.dict.d.with(|d| d.remove_str("__qualname__"));
    }
    crate::types::attr_cache::invalidate();
    for (k, v) in ns.items() {
        if let Some(sn) = crate::vm::lookup_special(&v, "__set_name__").or_else(|| {
            v.is_ptr()
                .then(|| v.type_data().lookup("__set_name__"))
                .flatten()
                .map(crate::vm::receiver_first)
        }) && let Err(e) = vm.call(&sn, &[v.clone(), cls.clone(), k.clone()])
        {
            let kr = ops::repr(vm, &k)?;
            let (vn, cn) = (type_name(&v), td.name.clone());
            let err = vm.runtime_error(format!(
                "Error calling __set_name__ on '{vn}' instance {kr} in '{cn}'"
            ));
            let _ = ops::generic_setattr(vm, &err.exc, "__cause__", e.exc);
            return Err(err);
        }
    }
    // super(cls, cls).__init_subclass__(**kw): the first definition after the class
    // (super's check fails when a metaclass's `mro()` left the class out of its MRO).
    if !td.is_subtype_raw(cls.raw()) {
        return Err(vm.type_error("super(type, obj): obj must be an instance or subtype of type"));
    }
    let mro = td.mro.get_clone();
    let me = mro.iter().position(|c| c.is(&cls)).unwrap_or(0);
    for base in mro.iter().skip(me + 1) {
        let bt = as_type(base).expect("type");
        let Some(f) = bt.dict.get_str("__init_subclass__") else {
            continue;
        };
        let f = crate::types::misc::wrapped_func(&f).unwrap_or(f);
        let mut args = vec![cls.clone()];
        let mut names = vec![];
        for (k, v) in kw {
            names.push(k.clone());
            args.push(v.clone());
        }
        vm.call_kw(&f, &args, &names)?;
        break;
    }
    Ok(cls)
}

/// `__build_class__(func, name, *bases, **kwds)`.
pub fn build_class(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() < 2 {
        return Err(vm.type_error("__build_class__: not enough arguments"));
    }
    let func = &p[0];
    let name = as_str(&p[1]).unwrap_or("").to_string();
    let orig_bases: Vec<Value> = p[2..].to_vec();
    let bases = resolve_bases(vm, &orig_bases)?;
    let mut meta: Option<Value> = None;
    let mut class_kw: Vec<(Value, Value)> = vec![];
    for (k, v) in a.kw() {
        if k == "metaclass" {
            meta = Some(v.clone());
        } else {
            class_kw.push((crate::world::intern(k), v.clone()));
        }
    }
    // The metaclass: the most derived of the explicit one (when it is a class) and
    // the bases' metaclasses (CPython's _PyType_CalculateMetaclass).
    let meta = match meta {
        Some(m) if as_type(&m).is_none() => m,
        Some(m) => calculate_metaclass(vm, m, &bases)?,
        None => bases_metaclass(vm, &bases)?,
    };
    let Some(f) = func.downcast::<FuncObj>() else {
        return Err(vm.type_error("__build_class__: func must be a function"));
    };
    let qualname = f.code().qualname.clone();
    let module = f
        .globals
        .downcast::<DictObj>()
        .and_then(|g| g.get_str("__name__"))
        .unwrap_or_else(Value::none);
    // A metaclass's __prepare__ may supply the namespace.
    let prep = if as_type(&meta).is_some_and(|t| t.is_heap) {
        ops::getattr_opt(vm, &meta, "__prepare__")?
    } else {
        None
    };
    let nsv = match prep {
        Some(prep) => {
            let mut args = vec![new_str(&name), TupleObj::new_value(bases.clone())];
            let mut names = vec![];
            for (k, v) in &class_kw {
                names.push(k.clone());
                args.push(v.clone());
            }
            let ns = vm.call_kw(&prep, &args, &names)?;
            if ns.downcast::<DictObj>().is_none()
                && crate::vm::lookup_special(&ns, "__getitem__").is_none()
            {
                let mn = as_type(&meta).map(|t| t.name.clone()).unwrap_or_default();
                let tn = type_name(&ns);
                return Err(vm.type_error(format!(
                    "{mn}.__prepare__() must return a mapping, not {tn}"
                )));
            }
            ns
        }
        None => DictObj::new_value(),
    };
    ops::setitem(vm, &nsv, crate::world::intern("__module__"), module)?;
    ops::setitem(
        vm,
        &nsv,
        crate::world::intern("__qualname__"),
        new_str(&qualname),
    )?;
    let cell = vm.call(func, std::slice::from_ref(&nsv))?;
    if bases.len() != orig_bases.len() || bases.iter().zip(&orig_bases).any(|(a, b)| !a.is(b)) {
        ops::setitem(
            vm,
            &nsv,
            crate::world::intern("__orig_bases__"),
            TupleObj::new_value(orig_bases),
        )?;
    }
    let cls = if meta.raw() == types().type_ {
        let Some(ns) = nsv.downcast::<DictObj>() else {
            return Err(vm.type_error("class namespace must be a dict"));
        };
        let qual = ns
            .get_str("__qualname__")
            .and_then(|q| as_str(&q).map(|s| s.to_string()))
            .unwrap_or(qualname);
        make_class_meta(vm, &name, &qual, bases, ns, &meta, &class_kw)?
    } else {
        let mut args = vec![new_str(&name), TupleObj::new_value(bases), nsv.clone()];
        let mut kwnames = vec![];
        for (k, v) in class_kw {
            kwnames.push(k);
            args.push(v);
        }
        vm.call_kw(&meta, &args, &kwnames)?
    };
    // type.__new__ filled the cell from `__classcell__`: a metaclass that dropped or
    // replaced the namespace entry is an error (as in CPython).
    if as_type(&cls).is_some()
        && let Some(c) = cell.downcast::<CellObj>()
    {
        let got = c.get();
        if !got.is(&cls) {
            let nr = ops::repr(vm, &new_str(&name))?;
            let cr = ops::repr(vm, &cls)?;
            if got.is_null() {
                return Err(vm.runtime_error(format!(
                    "__class__ not set defining {nr} as {cr}. Was __classcell__ propagated to type.__new__?"
                )));
            }
            let gr = ops::repr(vm, &got)?;
            return Err(vm.type_error(format!("__class__ set to {gr} defining {nr} as {cr}")));
        }
    }
    Ok(cls)
}

/// PEP 560: bases that are not classes but define `__mro_entries__(orig_bases)` are
/// replaced by the tuple it returns.
fn resolve_bases(vm: &mut Vm, orig: &[Value]) -> PyResult<Vec<Value>> {
    let mut out = Vec::with_capacity(orig.len());
    for b in orig {
        if as_type(b).is_some() {
            out.push(b.clone());
            continue;
        }
        let Some(me) = ops::getattr_opt(vm, b, "__mro_entries__")? else {
            out.push(b.clone());
            continue;
        };
        let r = vm.call(&me, &[TupleObj::new_value(orig.to_vec())])?;
        let Some(t) = r.downcast::<TupleObj>() else {
            return Err(vm.type_error("__mro_entries__ must return a tuple"));
        };
        out.extend(t.items.iter().cloned());
    }
    Ok(out)
}

/// `type.__prepare__(name, bases, **kwds)`: the namespace of a new class (a dict).
fn type_prepare(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(DictObj::new_value())
}

/// `type.__new__(mcls, name, bases, ns)`: create a class whose metaclass is `mcls`.
fn type_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() == 2 {
        return Ok(p[1].type_of());
    }
    if p.len() != 4 {
        return Err(vm.type_error("type.__new__() takes exactly 3 arguments"));
    }
    let name = as_str(&p[1]).unwrap_or("").to_string();
    check_type_name(vm, &p[1])?;
    let bases = ops::seq_items_fast(&p[2]).unwrap_or_default();
    // The most derived metaclass wins; one with a `__new__` of its own makes the class
    // (CPython's type_new: `winner->tp_new != type_new`).
    let meta = &calculate_metaclass(vm, p[0].clone(), &bases)?;
    if !meta.is(&p[0])
        && let Some(new) = as_type(meta).and_then(|t| t.lookup_user("__new__"))
    {
        let new = crate::types::misc::wrapped_func(&new).unwrap_or(new);
        let mut args = vec![meta.clone()];
        args.extend(p[1..].iter().cloned());
        let names: Vec<Value> = a.kw().map(|(k, _)| crate::world::intern(k)).collect();
        args.extend(a.kw().map(|(_, v)| v.clone()));
        return vm.call_kw(&new, &args, &names);
    }
    if p[3].downcast::<DictObj>().is_none() {
        return Err(vm.type_error("type.__new__() argument 3 must be dict"));
    }
    let ns_v = namespace_copy(vm, &p[3])?;
    let ns = ns_v.downcast::<DictObj>().expect("dict");
    let qual = ns
        .get_str("__qualname__")
        .and_then(|q| as_str(&q).map(|s| s.to_string()))
        .unwrap_or_else(|| name.clone());
    let kw: Vec<(Value, Value)> = a
        .kw()
        .map(|(k, v)| (crate::world::intern(k), v.clone()))
        .collect();
    make_class_meta(vm, &name, &qual, bases, ns, meta, &kw)
}

/// `type.__call__(cls, *args)`: standard instance creation, for metaclasses that
/// override `__call__` and then call `super().__call__(...)`.
fn type_call(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(cls) = a.args.first() else {
        return Err(vm.type_error("type.__call__ needs a class"));
    };
    let rest = Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    };
    call_type_standard(vm, cls, &rest)
}

fn type_init(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::none())
}

/// `complex(real=0, imag=0)`'s arguments, by position or by name: the parts given
/// (trailing absent ones dropped, so `p.len()` counts what was passed).
fn complex_args(vm: &mut Vm, a: &Args) -> PyResult<Vec<Option<Value>>> {
    let p = a.pos();
    if p.len() > 2 {
        let n = p.len() + a.kw().count();
        return Err(vm.type_error(format!("complex() takes at most 2 arguments ({n} given)")));
    }
    let mut parts: Vec<Option<Value>> = p.iter().cloned().map(Some).collect();
    parts.resize(2, None);
    for (k, v) in a.kw() {
        let i = match k {
            "real" => 0,
            "imag" => 1,
            _ => {
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for complex()"
                )));
            }
        };
        if parts[i].is_some() {
            return Err(vm.type_error(format!(
                "argument for complex() given by name ('{k}') and position ({})",
                i + 1
            )));
        }
        parts[i] = Some(v.clone());
    }
    while parts.last().is_some_and(|x| x.is_none()) {
        parts.pop();
    }
    Ok(parts)
}

/// Parse "1+2j", "-3.5j", "(1-1j)", "4" as complex() does.
fn parse_complex(s: &str) -> Option<(f64, f64)> {
    let mut t = s.trim();
    if t.starts_with('(') && t.ends_with(')') {
        t = t[1..t.len() - 1].trim();
    }
    if !t.ends_with(['j', 'J']) {
        return t.parse::<f64>().ok().map(|r| (r, 0.0));
    }
    let body = &t[..t.len() - 1];
    // Split at the last sign that is not an exponent sign.
    let bytes = body.as_bytes();
    let mut split = None;
    for i in (1..bytes.len()).rev() {
        if (bytes[i] == b'+' || bytes[i] == b'-') && !matches!(bytes[i - 1], b'e' | b'E') {
            split = Some(i);
            break;
        }
    }
    let imag = |x: &str| -> Option<f64> {
        match x {
            "" | "+" => Some(1.0),
            "-" => Some(-1.0),
            _ => x.parse::<f64>().ok(),
        }
    };
    match split {
        Some(i) => Some((body[..i].parse::<f64>().ok()?, imag(&body[i..])?)),
        None => Some((0.0, imag(body)?)),
    }
}
