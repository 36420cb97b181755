//! `types.UnionType`: what `int | str` and `list[int] | None` evaluate to (PEP 604),
//! with CPython 3.11's behaviour.
//!
//! `|` between classes, `None`, generic aliases and unions builds one, flattened and
//! without repeats (`int | str | int` is `int | str`; a union of one member is that
//! member). `isinstance` and `issubclass` accept it, and it compares equal to any union
//! of the same members in any order. Type variables among the members make it
//! subscriptable, as `typing` expects (`T | None` then `[int]`).
use crate::instructions as opc;
use crate::native_payload;
use crate::ops;
use crate::types::class::{Kind, as_type};
use crate::types::generic_alias::{self, GenericAlias, tuple_items};
use crate::types::native::{NativeType, downcast, new_type};
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub struct UnionType {
    /// The members, a tuple of at least two.
    pub args: Value,
}

native_payload!(UnionType, UNION_TYPE);

static TABLE: NativeType = NativeType::of::<UnionType>();

/// Whether `v` can be a member of a union built with `|`.
fn unionable(v: &Value) -> bool {
    v.is_none()
        || as_type(v).is_some()
        || downcast::<GenericAlias>(v).is_some()
        || downcast::<UnionType>(v).is_some()
}

/// `a | b` for classes, `None`, aliases and unions; `NotImplemented` for anything else
/// (so the other operand's `__ror__` gets its turn, as `typing` objects need).
pub fn or(vm: &mut Vm, a: &Value, b: &Value) -> PyResult<Value> {
    if !unionable(a) || !unionable(b) {
        return Ok(Value::not_implemented());
    }
    let mut members: Vec<Value> = Vec::new();
    for side in [a, b] {
        let items = match downcast::<UnionType>(side) {
            Some(u) => tuple_items(&u.args),
            None => vec![side.clone()],
        };
        for it in items {
            let it = if it.is_none() {
                Value::from_borrowed(types().none_type)
            } else {
                it
            };
            if !contains(vm, &members, &it)? {
                members.push(it);
            }
        }
    }
    if members.len() == 1 {
        return Ok(members.pop().unwrap_or_else(Value::none));
    }
    Ok(Value::alloc(UnionType {
        args: TupleObj::new_value(members),
    }))
}

/// Membership as CPython dedups: identity, or equality between two aliases.
fn contains(vm: &mut Vm, members: &[Value], v: &Value) -> PyResult<bool> {
    for m in members {
        if m.is(v) {
            return Ok(true);
        }
        if downcast::<GenericAlias>(m).is_some()
            && downcast::<GenericAlias>(v).is_some()
            && vm.eq(m, v)?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

fn args_of(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    match downcast::<UnionType>(v) {
        Some(u) => Ok(u.args.clone()),
        None => Err(vm.type_error("UnionType expected")),
    }
}

fn u_args(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args_of(vm, &a.pos()[0])
}

fn u_parameters(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let args = args_of(vm, &a.pos()[0])?;
    Ok(TupleObj::new_value(generic_alias::parameters(vm, &args)?))
}

fn u_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let args = args_of(vm, &a.pos()[0])?;
    let mut out = String::new();
    for (i, m) in tuple_items(&args).iter().enumerate() {
        if i > 0 {
            out.push_str(" | ");
        }
        if m.raw() == types().none_type {
            out.push_str("None");
        } else {
            out.push_str(&generic_alias::repr_item(vm, m)?);
        }
    }
    Ok(new_str(&out))
}

fn u_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, item) = (&a.pos()[0], &a.pos()[1]);
    let args = args_of(vm, s)?;
    let params = generic_alias::parameters(vm, &args)?;
    if params.is_empty() {
        let r = ops::repr(vm, s)?;
        return Err(vm.type_error(format!("{r} is not a generic class")));
    }
    let new_args = generic_alias::substitute(vm, s, &args, &params, item)?;
    let mut it = new_args.into_iter();
    let Some(mut acc) = it.next() else {
        return Ok(Value::none());
    };
    for x in it {
        acc = ops::binary_op(vm, &acc, &x, opc::NB_OR)?;
    }
    Ok(acc)
}

/// Whether every member of `x` equals some member of `y`.
fn covered(vm: &mut Vm, x: &[Value], y: &[Value]) -> PyResult<bool> {
    for m in x {
        let mut found = false;
        for n in y {
            if vm.eq(m, n)? {
                found = true;
                break;
            }
        }
        if !found {
            return Ok(false);
        }
    }
    Ok(true)
}

fn u_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = (&a.pos()[0], &a.pos()[1]);
    if downcast::<UnionType>(o).is_none() {
        return Ok(Value::not_implemented());
    }
    let x = tuple_items(&args_of(vm, s)?);
    let y = tuple_items(&args_of(vm, o)?);
    Ok(Value::bool(covered(vm, &x, &y)? && covered(vm, &y, &x)?))
}

fn u_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = u_eq(vm, a)?;
    if r.is(&Value::not_implemented()) {
        return Ok(r);
    }
    Ok(Value::bool(!r.is(&Value::bool(true))))
}

/// The hash of the members as a frozenset, so equal unions hash alike in any order.
fn u_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let args = args_of(vm, &a.pos()[0])?;
    let fs = vm.call(&Value::from_borrowed(types().frozenset), &[args])?;
    Ok(Value::int(vm.hash(&fs)?))
}

/// `isinstance(x, int | str)` / `issubclass(C, int | str)`: the members are tried in
/// order, as a tuple of classes would be (so a parameterized generic member raises only
/// when it is reached).
fn check(vm: &mut Vm, a: &Args, sub: bool) -> PyResult<Value> {
    let (s, x) = (&a.pos()[0], &a.pos()[1]);
    for m in tuple_items(&args_of(vm, s)?) {
        let r = if sub {
            crate::builtins::issubclass(vm, x, &m)?
        } else {
            crate::builtins::isinstance(vm, x, &m)?
        };
        if r {
            return Ok(Value::bool(true));
        }
    }
    Ok(Value::bool(false))
}

fn u_instancecheck(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    check(vm, a, false)
}

fn u_subclasscheck(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    check(vm, a, true)
}

fn u_or(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    or(vm, &a.pos()[0], &a.pos()[1])
}

fn u_ror(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    or(vm, &a.pos()[1], &a.pos()[0])
}

/// Create `types.UnionType`.
pub fn install() {
    let u = new_type::<UnionType>(
        "UnionType",
        "types",
        types().object,
        Kind::Native,
        &TABLE,
        &UNION_TYPE,
    );
    crate::modules::native_args::methods(
        &u,
        &[
            ("__repr__", u_repr),
            ("__getitem__", u_getitem),
            ("__eq__", u_eq),
            ("__ne__", u_ne),
            ("__hash__", u_hash),
            ("__instancecheck__", u_instancecheck),
            ("__subclasscheck__", u_subclasscheck),
            ("__or__", u_or),
            ("__ror__", u_ror),
        ],
    );
    crate::modules::native_args::getset(&u, "__args__", u_args, None);
    crate::modules::native_args::getset(&u, "__parameters__", u_parameters, None);
    crate::types::layout::set_final(u.raw());
}
