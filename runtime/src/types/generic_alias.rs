//! `types.GenericAlias`: what `list[int]`, `dict[str, T]` and `deque[int]` evaluate to
//! (PEP 585), with CPython 3.11's behaviour.
//!
//! An alias remembers its origin class and its arguments. It stands in for the origin
//! almost everywhere: calling it makes an origin instance (and records
//! `__orig_class__` on it), attribute reads other than its own are forwarded to the
//! origin, and as a base class it resolves to the origin (`__mro_entries__`). What it
//! adds is type-parameter bookkeeping: `__parameters__` collects the type variables
//! (objects with `__typing_subst__`) among the arguments, and subscripting substitutes
//! them, which is how `typing` builds `dict[str, T][int]`. `isinstance` refuses it, as
//! CPython does. `types.UnionType` (`int | str`, `union_type.rs`) shares the parameter
//! and repr helpers defined here.
use crate::native_payload;
use crate::ops;
use crate::types::class::{Kind, as_type};
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub struct GenericAlias {
    pub origin: Value,
    /// Always a tuple.
    pub args: Value,
    /// `*tuple[int]`: an unpacked alias (3.11's `__unpacked__`).
    pub starred: bool,
}

native_payload!(GenericAlias, GENERIC_ALIAS);

static TABLE: NativeType = NativeType {
    new: Some(ga_new),
    call: Some(ga_call),
    getattro: Some(ga_getattro),
    ..NativeType::of::<GenericAlias>()
};

/// Make `origin[args]` (`args` a tuple, or a single argument).
pub fn new(origin: Value, args: Value, starred: bool) -> Value {
    let args = if args.downcast_exact::<TupleObj>().is_some() {
        args
    } else {
        TupleObj::from_items([args])
    };
    Value::alloc(GenericAlias {
        origin,
        args,
        starred,
    })
}

fn ga_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    if a.has_kw() {
        return Err(vm.type_error("GenericAlias() takes no keyword arguments"));
    }
    let p = a.pos();
    if p.len() != 2 {
        return Err(vm.type_error(format!(
            "GenericAlias expected 2 arguments, got {}",
            p.len()
        )));
    }
    let args = if p[1].downcast_exact::<TupleObj>().is_some() {
        p[1].clone()
    } else {
        TupleObj::from_items([p[1].clone()])
    };
    Ok(native::alloc(
        cls,
        GenericAlias {
            origin: p[0].clone(),
            args,
            starred: false,
        },
    ))
}

fn this<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a GenericAlias> {
    downcast::<GenericAlias>(v).ok_or_else(|| vm.type_error("GenericAlias expected"))
}

/// Items of a tuple value.
pub fn tuple_items(v: &Value) -> Vec<Value> {
    v.downcast::<TupleObj>()
        .map(|t| t.items.to_vec())
        .unwrap_or_default()
}

/// Names an alias reads itself instead of forwarding to its origin (CPython's list).
const OWN_ATTRS: &[&str] = &[
    "__class__",
    "__origin__",
    "__args__",
    "__unpacked__",
    "__parameters__",
    "__typing_unpacked_tuple_args__",
    "__mro_entries__",
    "__reduce_ex__",
    "__reduce__",
    "__copy__",
    "__deepcopy__",
];

fn ga_getattro(vm: &mut Vm, obj: &Value, n: &str) -> PyResult<Option<Value>> {
    let g = this(vm, obj)?;
    match n {
        "__origin__" => Ok(Some(g.origin.clone())),
        "__args__" => Ok(Some(g.args.clone())),
        "__unpacked__" => Ok(Some(Value::bool(g.starred))),
        "__parameters__" => Ok(Some(TupleObj::new_value(parameters(vm, &g.args)?))),
        "__typing_unpacked_tuple_args__" => {
            Ok(Some(if g.starred && g.origin.raw() == types().tuple {
                g.args.clone()
            } else {
                Value::none()
            }))
        }
        _ if OWN_ATTRS.contains(&n) => Ok(None),
        _ => {
            let origin = g.origin.clone();
            ops::getattr_str(vm, &origin, n).map(Some)
        }
    }
}

fn ga_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let origin = this(vm, f)?.origin.clone();
    let obj = vm.call_kw(&origin, a.args, a.kwnames)?;
    // Record the alias on the instance when it takes attributes (CPython ignores the
    // instances that do not).
    if let Err(e) = ops::setattr(vm, &obj, &new_str("__orig_class__"), f.clone()) {
        let t = types();
        if !vm.err_matches(&e, t.attribute_error) && !vm.err_matches(&e, t.type_error) {
            return Err(e);
        }
    }
    Ok(obj)
}

/// The type variables among `args`, in order and without repeats: the arguments that
/// are type variables themselves (they have `__typing_subst__`) and the
/// `__parameters__` of the others. Classes contribute none.
pub fn parameters(vm: &mut Vm, args: &Value) -> PyResult<Vec<Value>> {
    let mut out: Vec<Value> = Vec::new();
    let push = |v: Value, out: &mut Vec<Value>| {
        if !out.iter().any(|o| o.is(&v)) {
            out.push(v);
        }
    };
    for t in tuple_items(args) {
        if as_type(&t).is_some() {
            continue;
        }
        // Looked up as CPython's `_PyObject_LookupAttr`: typing's aliases raise
        // AttributeError from `__getattr__` for the dunders they lack.
        if ops::lookup_attr(vm, &t, "__typing_subst__")?.is_some() {
            push(t, &mut out);
            continue;
        }
        if let Some(ps) = ops::lookup_attr(vm, &t, "__parameters__")?
            && let Some(ps) = ps.downcast::<TupleObj>()
        {
            for p in ps.items.iter() {
                push(p.clone(), &mut out);
            }
        }
    }
    Ok(out)
}

/// Substitute `items` for the type variables `params` in `args` (CPython's
/// `_Py_subs_parameters`): each type-variable argument becomes its substitution
/// (through `__typing_subst__`), each generic argument is subscripted with the items
/// of its own parameters.
pub fn substitute(
    vm: &mut Vm,
    owner: &Value,
    args: &Value,
    params: &[Value],
    item: &Value,
) -> PyResult<Vec<Value>> {
    let mut items = if item.downcast_exact::<TupleObj>().is_some() {
        tuple_items(item)
    } else {
        vec![item.clone()]
    };
    // Type variable tuples and ParamSpecs get to reshape the arguments first.
    for p in params {
        if let Some(prep) = ops::lookup_attr(vm, p, "__typing_prepare_subst__")? {
            let r = vm.call(&prep, &[owner.clone(), TupleObj::new_value(items.clone())])?;
            items = tuple_items(&r);
        }
    }
    if items.len() != params.len() {
        let many = if items.len() > params.len() {
            "many"
        } else {
            "few"
        };
        let r = ops::repr(vm, owner)?;
        let (n, m) = (items.len(), params.len());
        return Err(vm.type_error(format!(
            "Too {many} arguments for {r}; actual {n}, expected {m}"
        )));
    }
    let mut out = Vec::new();
    for arg in tuple_items(args) {
        if as_type(&arg).is_some() {
            out.push(arg);
            continue;
        }
        let unpack = is_unpacked_typevartuple(vm, &arg)?;
        if let Some(subst) = ops::lookup_attr(vm, &arg, "__typing_subst__")? {
            let i = params.iter().position(|p| p.is(&arg)).unwrap_or(0);
            let v = vm.call(&subst, std::slice::from_ref(&items[i]))?;
            if unpack {
                out.extend(tuple_items(&v));
            } else {
                out.push(v);
            }
            continue;
        }
        let sub = match ops::lookup_attr(vm, &arg, "__parameters__")? {
            Some(ps) => tuple_items(&ps),
            None => vec![],
        };
        if sub.is_empty() {
            out.push(arg);
            continue;
        }
        let subargs: Vec<Value> = sub
            .iter()
            .map(|p| {
                let i = params.iter().position(|q| q.is(p)).unwrap_or(0);
                items[i].clone()
            })
            .collect();
        let key = TupleObj::new_value(subargs);
        let v = ops::getitem(vm, &arg, &key)?;
        if unpack {
            out.extend(tuple_items(&v));
        } else {
            out.push(v);
        }
    }
    Ok(out)
}

fn is_unpacked_typevartuple(vm: &mut Vm, arg: &Value) -> PyResult<bool> {
    match ops::lookup_attr(vm, arg, "__typing_is_unpacked_typevartuple__")? {
        Some(v) => ops::truthy(vm, &v),
        None => Ok(false),
    }
}

/// How an argument shows in an alias's or a union's repr: `...` for Ellipsis, a class
/// by its qualified name (`int`, `collections.deque`), an alias by its repr.
pub fn repr_item(vm: &mut Vm, v: &Value) -> PyResult<String> {
    if v.is(&Value::ellipsis()) {
        return Ok("...".into());
    }
    if ops::lookup_attr(vm, v, "__origin__")?.is_some()
        && ops::lookup_attr(vm, v, "__args__")?.is_some()
    {
        return ops::repr(vm, v);
    }
    let qn = ops::lookup_attr(vm, v, "__qualname__")?;
    let m = ops::lookup_attr(vm, v, "__module__")?;
    match (qn, m) {
        (Some(qn), Some(m)) if !m.is_none() => {
            let qn = ops::to_str(vm, &qn)?;
            let m = ops::to_str(vm, &m)?;
            if m == "builtins" {
                Ok(qn)
            } else {
                Ok(format!("{m}.{qn}"))
            }
        }
        _ => ops::repr(vm, v),
    }
}

fn ga_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = &a.pos()[0];
    let (origin, args, starred) = {
        let g = this(vm, s)?;
        (g.origin.clone(), g.args.clone(), g.starred)
    };
    let mut out = String::new();
    if starred {
        out.push('*');
    }
    out.push_str(&repr_item(vm, &origin)?);
    out.push('[');
    let items = tuple_items(&args);
    if items.is_empty() {
        out.push_str("()");
    }
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if let Some(l) = x.downcast_exact::<crate::types::list::ListObj>() {
            // `Callable[[int, str], T]` keeps its argument list.
            out.push('[');
            for (j, y) in l.items.read(|v| v.to_vec()).iter().enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                out.push_str(&repr_item(vm, y)?);
            }
            out.push(']');
        } else {
            out.push_str(&repr_item(vm, x)?);
        }
    }
    out.push(']');
    Ok(new_str(&out))
}

fn ga_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, item) = (&a.pos()[0], &a.pos()[1]);
    let (origin, args, starred) = {
        let g = this(vm, s)?;
        (g.origin.clone(), g.args.clone(), g.starred)
    };
    let params = parameters(vm, &args)?;
    if params.is_empty() {
        let r = ops::repr(vm, s)?;
        return Err(vm.type_error(format!("{r} is not a generic class")));
    }
    let new_args = substitute(vm, s, &args, &params, item)?;
    let cls = s.type_of();
    let args = TupleObj::new_value(new_args);
    if cls.raw() == GenericAlias::class_raw() {
        return Ok(new(origin, args, starred));
    }
    vm.call(&cls, &[origin, args])
}

impl GenericAlias {
    fn class_raw() -> stitch_stencils::value::RawValue {
        <GenericAlias as crate::value::PyPayload>::class()
    }
}

fn ga_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = (&a.pos()[0], &a.pos()[1]);
    let Some(other) = downcast::<GenericAlias>(o) else {
        return Ok(Value::not_implemented());
    };
    let (oo, oa, os) = (other.origin.clone(), other.args.clone(), other.starred);
    let (so, sa, ss) = {
        let g = this(vm, s)?;
        (g.origin.clone(), g.args.clone(), g.starred)
    };
    if ss != os || !vm.eq(&so, &oo)? {
        return Ok(Value::bool(false));
    }
    Ok(Value::bool(vm.eq(&sa, &oa)?))
}

fn ga_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = ga_eq(vm, a)?;
    if r.is(&Value::not_implemented()) {
        return Ok(r);
    }
    Ok(Value::bool(!r.is(&Value::bool(true))))
}

fn ga_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, g) = {
        let g = this(vm, &a.pos()[0])?;
        (g.origin.clone(), g.args.clone())
    };
    let h = vm.hash(&o)? ^ vm.hash(&g)?;
    Ok(Value::int(if h == -1 { -2 } else { h }))
}

fn ga_mro_entries(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let o = this(vm, &a.pos()[0])?.origin.clone();
    Ok(TupleObj::from_items([o]))
}

fn ga_instancecheck(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.type_error("isinstance() argument 2 cannot be a parameterized generic"))
}

fn ga_subclasscheck(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.type_error("issubclass() argument 2 cannot be a parameterized generic"))
}

fn ga_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = &a.pos()[0];
    let (o, g) = {
        let g = this(vm, s)?;
        (g.origin.clone(), g.args.clone())
    };
    Ok(TupleObj::from_items([
        s.type_of(),
        TupleObj::from_items([o, g]),
    ]))
}

fn ga_or(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::union_type::or(vm, &a.pos()[0], &a.pos()[1])
}

fn ga_ror(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::union_type::or(vm, &a.pos()[1], &a.pos()[0])
}

/// `*tuple[int]`: iterating an alias gives its unpacked form once.
fn ga_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, g) = {
        let g = this(vm, &a.pos()[0])?;
        (g.origin.clone(), g.args.clone())
    };
    let starred = new(o, g, true);
    let l = crate::types::list::ListObj::new_value(vec![starred]);
    ops::get_iter(vm, &l)
}

fn ga_dir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let o = this(vm, &a.pos()[0])?.origin.clone();
    let d = ops::getattr_str(vm, &o, "__dir__")?;
    let listed = vm.call(&d, &[])?;
    let mut names = ops::collect(vm, &listed)?;
    for n in OWN_ATTRS {
        let s = new_str(n);
        if !names
            .iter()
            .any(|x| crate::types::str::as_str(x) == Some(n))
        {
            names.push(s);
        }
    }
    Ok(crate::types::list::ListObj::new_value(names))
}

/// `cls.__class_getitem__(item)` for the builtin generic classes.
pub fn class_getitem(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    Ok(new(p[0].clone(), p[1].clone(), false))
}

/// Create `types.GenericAlias` and give the builtin containers `__class_getitem__`.
pub fn install() {
    let t = types();
    let ga = new_type::<GenericAlias>(
        "GenericAlias",
        "types",
        t.object,
        Kind::Native,
        &TABLE,
        &GENERIC_ALIAS,
    );
    crate::modules::native_args::methods(
        &ga,
        &[
            ("__repr__", ga_repr),
            ("__getitem__", ga_getitem),
            ("__eq__", ga_eq),
            ("__ne__", ga_ne),
            ("__hash__", ga_hash),
            ("__mro_entries__", ga_mro_entries),
            ("__instancecheck__", ga_instancecheck),
            ("__subclasscheck__", ga_subclasscheck),
            ("__reduce__", ga_reduce),
            ("__or__", ga_or),
            ("__ror__", ga_ror),
            ("__iter__", ga_iter),
            ("__dir__", ga_dir),
            ("__call__", crate::types::native::call_method),
        ],
    );
    for cls in [t.list, t.dict, t.tuple, t.set, t.frozenset] {
        crate::builtins::add_classmethod(cls, "__class_getitem__", class_getitem);
    }
}
