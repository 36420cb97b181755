//! The special methods of the builtin types as attributes: `int.__add__`,
//! `frozenset(...).__contains__`, `list.__iadd__`, `dict.__delitem__`, `object.__lt__`...
//!
//! stitch's operators do not look these up: the interpreter and `ops::*` run the builtin
//! types' behaviour directly. But Python code names them all the time (`dict.__setitem__
//! (self, k, v)` in a subclass, `iskeyword = frozenset(kwlist).__contains__`,
//! `functools.total_ordering` reading `int.__lt__`, `operator.methodcaller`), so each
//! builtin type's dict carries them, as CPython's slot wrappers. Each one runs the
//! builtin's own behaviour (the `*_base` functions of `ops`, which never dispatch to a
//! subclass's override, so `super().__iadd__(x)` in an override cannot recurse) and
//! answers `NotImplemented` where CPython's slot would.
use crate::instructions::{self as opc, Op};
use crate::ops;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::Types;

/// `self` and the single other argument of a binary special method.
fn two<'a>(vm: &mut Vm, a: &Args<'a>) -> PyResult<(&'a Value, &'a Value)> {
    match a.pos() {
        [s, o] if !a.has_kw() => Ok((s, o)),
        p => Err(vm.type_error(format!(
            "expected 1 argument, got {}",
            p.len().saturating_sub(1)
        ))),
    }
}

/// `self` of a unary special method.
fn one<'a>(vm: &mut Vm, a: &Args<'a>) -> PyResult<&'a Value> {
    match a.pos() {
        [s] if !a.has_kw() => Ok(s),
        p => Err(vm.type_error(format!(
            "expected 0 arguments, got {}",
            p.len().saturating_sub(1)
        ))),
    }
}

/// Numeric tower rank: a slot of a lower-ranked type does not handle a higher one
/// (`int.__add__(1, 2.5)` is NotImplemented; float's reflected slot does it).
fn rank(v: &Value) -> Option<u8> {
    if v.as_float().is_some() {
        Some(1)
    } else if crate::types::int::as_int(v).is_some() {
        Some(0)
    } else if v.downcast::<crate::types::complex::ComplexObj>().is_some() {
        Some(2)
    } else {
        None
    }
}

/// The builtin part of `x <op> y`, or NotImplemented.
fn binary(vm: &mut Vm, x: &Value, y: &Value, op: u32, owner_rank: Option<u8>) -> PyResult<Value> {
    if let (Some(r), Some(o)) = (owner_rank, rank(y).max(rank(x)))
        && o > r
    {
        return Ok(Value::not_implemented());
    }
    match ops::builtin_binary(vm, x, y, op)? {
        Some(v) => Ok(v),
        None => Ok(Value::not_implemented()),
    }
}

macro_rules! binops {
    ($($fwd:ident, $rev:ident, $op:expr;)*) => {
        $(
            fn $fwd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                let (s, o) = two(vm, a)?;
                binary(vm, s, o, $op, rank(s))
            }
            fn $rev(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                let (s, o) = two(vm, a)?;
                binary(vm, o, s, $op, rank(s))
            }
        )*
    };
}

binops! {
    add, radd, opc::NB_ADD;
    sub, rsub, opc::NB_SUBTRACT;
    mul, rmul, opc::NB_MULTIPLY;
    truediv, rtruediv, opc::NB_TRUE_DIVIDE;
    floordiv, rfloordiv, opc::NB_FLOOR_DIVIDE;
    mod_, rmod, opc::NB_REMAINDER;
    pow, rpow, opc::NB_POWER;
    lshift, rlshift, opc::NB_LSHIFT;
    rshift, rrshift, opc::NB_RSHIFT;
    and, rand, opc::NB_AND;
    or, ror, opc::NB_OR;
    xor, rxor, opc::NB_XOR;
}

/// `__mul__` and `__rmul__` of the sequences (CPython's `sq_repeat` slot wrapper):
/// the count is an index, and anything else is its TypeError, not NotImplemented.
fn repeat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = two(vm, a)?;
    if crate::types::int::as_int(o).is_none() {
        ops::to_index(vm, o)?;
    }
    binary(vm, s, o, opc::NB_MULTIPLY, rank(s))
}

/// `__rmod__` of str, bytes and bytearray: CPython's slot formats only when the left
/// operand is of the slot's own type (`b'x'.__rmod__('%r')` is NotImplemented, not a
/// str formatted with bytes).
fn text_rmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = two(vm, a)?;
    let t = crate::world::types();
    let same = [t.str, t.bytes, t.bytearray]
        .into_iter()
        .any(|ty| s.type_data().is_subtype_raw(ty) && o.type_data().is_subtype_raw(ty));
    if !same {
        return Ok(Value::not_implemented());
    }
    rmod(vm, a)
}

macro_rules! inplace {
    ($($name:ident, $op:expr;)*) => {
        $(
            fn $name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                let (s, o) = two(vm, a)?;
                match ops::builtin_inplace(vm, s, o, $op)? {
                    Some(v) => Ok(v),
                    None => Ok(Value::not_implemented()),
                }
            }
        )*
    };
}

inplace! {
    iadd, opc::NB_ADD;
    imul, opc::NB_MULTIPLY;
    ior, opc::NB_OR;
    iand, opc::NB_AND;
    ixor, opc::NB_XOR;
    isub, opc::NB_SUBTRACT;
}

macro_rules! compares {
    ($($name:ident, $op:expr;)*) => {
        $(
            fn $name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                let (s, o) = two(vm, a)?;
                ops::compare_base(vm, s, o, $op)
            }
        )*
    };
}

compares! {
    lt, 0;
    le, 1;
    eq, 2;
    ne, 3;
    gt, 4;
    ge, 5;
}

/// `__eq__` / `__ne__` of the builtin value types (`int.__ne__(1, 2)` is True, not
/// object's NotImplemented).
const EQUALITY: &[Slot] = &[("__eq__", eq), ("__ne__", ne)];

/// `object.__lt__` and friends: objects are not ordered by default.
fn not_implemented(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    two(vm, a)?;
    Ok(Value::not_implemented())
}

fn neg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    ops::unary_op(vm, s, Op::UNARY_NEGATIVE)
}

fn pos(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    ops::unary_op(vm, s, Op::UNARY_POSITIVE)
}

fn invert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    ops::unary_op(vm, s, Op::UNARY_INVERT)
}

fn abs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    if let Some(c) = s.downcast::<crate::types::complex::ComplexObj>() {
        return crate::types::complex::abs(vm, c.re, c.im);
    }
    if let Some(f) = s.as_float() {
        return Ok(Value::float(f.abs()));
    }
    let neg = ops::compare_base(vm, s, &Value::int(0), 0)?;
    if neg.is(&Value::bool(true)) {
        return ops::unary_op(vm, s, Op::UNARY_NEGATIVE);
    }
    ops::unary_op(vm, s, Op::UNARY_POSITIVE)
}

fn bool_(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    match ops::truth_without_calls(s) {
        Some(b) => Ok(Value::bool(b)),
        None => Err(vm.type_error("__bool__ of a non-builtin object")),
    }
}

fn float_(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    if let Some(f) = s.as_float() {
        return Ok(Value::float(f));
    }
    match crate::types::int::as_int(s).and_then(|i| num_traits::ToPrimitive::to_f64(&i.to_big())) {
        Some(f) if f.is_finite() => Ok(Value::float(f)),
        _ => Err(vm.overflow_error("int too large to convert to float")),
    }
}

/// `divmod(x, y)` of the builtin reals: floor quotient and remainder, or NotImplemented
/// for an operand the owner's type does not handle.
fn divmod_of(vm: &mut Vm, x: &Value, y: &Value, owner_rank: Option<u8>) -> PyResult<Value> {
    let q = binary(vm, x, y, opc::NB_FLOOR_DIVIDE, owner_rank)?;
    if q.is(&Value::not_implemented()) {
        return Ok(q);
    }
    let r = binary(vm, x, y, opc::NB_REMAINDER, owner_rank)?;
    Ok(crate::types::tuple::TupleObj::from_items([q, r]))
}

fn divmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = two(vm, a)?;
    divmod_of(vm, s, o, rank(s))
}

fn rdivmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = two(vm, a)?;
    divmod_of(vm, o, s, rank(s))
}

/// `int.__round__(ndigits=None)` and `float.__round__`: `round()`'s own arithmetic.
fn round(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if a.pos().is_empty() || a.pos().len() > 2 {
        return Err(vm.type_error(format!(
            "__round__ expected at most 1 argument, got {}",
            a.pos().len().saturating_sub(1)
        )));
    }
    super::functions::round(vm, a)
}

/// `__int__`, `__trunc__`, `__floor__`, `__ceil__` of int (the int itself, as an
/// exact int) and float (rounded the given way to an int).
fn rounded(vm: &mut Vm, a: &Args, f: fn(f64) -> f64) -> PyResult<Value> {
    let s = one(vm, a)?;
    if let Some(x) = s.as_float() {
        return crate::builtins::finite_float_to_int(vm, f(x));
    }
    Ok(Value::bigint(ops::to_index(vm, s)?))
}

fn trunc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    rounded(vm, a, f64::trunc)
}

fn floor(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    rounded(vm, a, f64::floor)
}

fn ceil(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    rounded(vm, a, f64::ceil)
}

/// `complex.__complex__`: an exact complex of the same value (3.11).
fn complex_(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    match s.downcast::<crate::types::complex::ComplexObj>() {
        Some(c) => Ok(crate::types::complex::new_complex(c.re, c.im)),
        None => Err(vm.type_error("descriptor '__complex__' requires a 'complex' object")),
    }
}

/// `bytes.__bytes__`: an exact bytes of the same contents.
fn bytes_(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    if s.type_raw() == crate::world::types().bytes {
        return Ok(s.clone());
    }
    match crate::types::bytes::as_bytes(s) {
        Some(b) => Ok(crate::types::bytes::BytesObj::new_value(b)),
        None => Err(vm.type_error("descriptor '__bytes__' requires a 'bytes' object")),
    }
}

fn contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = two(vm, a)?;
    Ok(Value::bool(ops::contains_base(vm, s, o)?))
}

fn getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = two(vm, a)?;
    ops::getitem_base(vm, s, o)
}

fn setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match a.pos() {
        [s, k, v] => {
            ops::setitem_base(vm, s, k.clone(), v.clone())?;
            Ok(Value::none())
        }
        p => Err(vm.type_error(format!(
            "expected 2 arguments, got {}",
            p.len().saturating_sub(1)
        ))),
    }
}

fn delitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, o) = two(vm, a)?;
    ops::delitem_base(vm, s, o)?;
    Ok(Value::none())
}

fn len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    Ok(Value::int(ops::len_base(vm, s)? as i64))
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    ops::get_iter_base(vm, s)
}

fn reversed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = one(vm, a)?;
    super::iter_types::reversed_base(vm, s)
}

/// `f.__call__(*args, **kw)` of the builtin callables (functions, builtins, bound
/// methods): the call itself. `collections.abc.Callable` looks for it in the type dict.
fn call_(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((s, rest)) = a.args.split_first() else {
        return Err(vm.type_error("descriptor '__call__' needs an argument"));
    };
    let kwnames = a.kwnames;
    vm.call_kw(s, rest, kwnames)
}

type Slot = (&'static str, crate::types::func::NativeFn);

const ARITH: &[Slot] = &[
    ("__add__", add),
    ("__radd__", radd),
    ("__sub__", sub),
    ("__rsub__", rsub),
    ("__mul__", mul),
    ("__rmul__", rmul),
    ("__truediv__", truediv),
    ("__rtruediv__", rtruediv),
    ("__pow__", pow),
    ("__rpow__", rpow),
    ("__neg__", neg),
    ("__pos__", pos),
    ("__abs__", abs),
    ("__bool__", bool_),
];

/// The real numbers' floor division family and rounding (not complex's).
const REAL: &[Slot] = &[
    ("__floordiv__", floordiv),
    ("__rfloordiv__", rfloordiv),
    ("__mod__", mod_),
    ("__rmod__", rmod),
    ("__divmod__", divmod),
    ("__rdivmod__", rdivmod),
    ("__round__", round),
    ("__trunc__", trunc),
    ("__floor__", floor),
    ("__ceil__", ceil),
];

const BITS: &[Slot] = &[
    ("__lshift__", lshift),
    ("__rlshift__", rlshift),
    ("__rshift__", rshift),
    ("__rrshift__", rrshift),
    ("__and__", and),
    ("__rand__", rand),
    ("__or__", or),
    ("__ror__", ror),
    ("__xor__", xor),
    ("__rxor__", rxor),
    ("__invert__", invert),
    ("__int__", trunc),
    ("__float__", float_),
];

const ORDER: &[Slot] = &[
    ("__lt__", lt),
    ("__le__", le),
    ("__gt__", gt),
    ("__ge__", ge),
];

const SEQUENCE: &[Slot] = &[
    ("__add__", add),
    ("__mul__", repeat),
    ("__rmul__", repeat),
    ("__contains__", contains),
    ("__getitem__", getitem),
    ("__len__", len),
    ("__iter__", iter),
];

const SETS: &[Slot] = &[
    ("__and__", and),
    ("__rand__", rand),
    ("__or__", or),
    ("__ror__", ror),
    ("__xor__", xor),
    ("__rxor__", rxor),
    ("__sub__", sub),
    ("__rsub__", rsub),
    ("__contains__", contains),
    ("__len__", len),
    ("__iter__", iter),
];

/// Put `slots` in `ty`'s dict, keeping any method the type already defines.
fn install_slots(ty: stitch_stencils::value::RawValue, slots: &[Slot]) {
    let td = crate::types::class::type_data_raw(ty);
    for (name, f) in slots {
        if td.dict.get_str(name).is_none() {
            super::add_method(ty, name, *f);
        }
    }
}

pub fn install(t: &Types) {
    install_slots(
        t.object,
        &[
            ("__lt__", not_implemented),
            ("__le__", not_implemented),
            ("__gt__", not_implemented),
            ("__ge__", not_implemented),
        ],
    );
    for ty in [t.int, t.bool, t.float, t.complex] {
        install_slots(ty, ARITH);
    }
    for ty in [t.int, t.bool, t.float] {
        install_slots(ty, REAL);
    }
    install_slots(t.complex, &[("__complex__", complex_)]);
    install_slots(t.none_type, &[("__bool__", bool_)]);
    install_slots(t.bytes, &[("__bytes__", bytes_)]);
    for ty in [t.int, t.bool] {
        install_slots(ty, BITS);
    }
    install_slots(t.float, &[("__int__", trunc), ("__float__", float_)]);
    for ty in [t.int, t.bool, t.float] {
        install_slots(ty, ORDER);
    }
    for ty in [
        t.int,
        t.bool,
        t.float,
        t.complex,
        t.str,
        t.bytes,
        t.bytearray,
        t.list,
        t.tuple,
        t.dict,
        t.set,
        t.frozenset,
    ] {
        install_slots(ty, EQUALITY);
    }
    for ty in [t.str, t.bytes, t.bytearray, t.list, t.tuple] {
        install_slots(ty, SEQUENCE);
        install_slots(ty, ORDER);
    }
    for ty in [t.str, t.bytes, t.bytearray] {
        install_slots(ty, &[("__mod__", mod_), ("__rmod__", text_rmod)]);
    }
    for ty in [t.list, t.bytearray] {
        install_slots(
            ty,
            &[
                ("__iadd__", iadd),
                ("__imul__", imul),
                ("__setitem__", setitem),
                ("__delitem__", delitem),
            ],
        );
    }
    install_slots(t.list, &[("__reversed__", reversed)]);
    for ty in [t.set, t.frozenset] {
        install_slots(ty, SETS);
        install_slots(ty, ORDER);
    }
    install_slots(
        t.set,
        &[
            ("__ior__", ior),
            ("__iand__", iand),
            ("__ixor__", ixor),
            ("__isub__", isub),
        ],
    );
    install_slots(
        t.dict,
        &[
            ("__or__", or),
            ("__ror__", ror),
            ("__ior__", ior),
            ("__delitem__", delitem),
            ("__reversed__", reversed),
        ],
    );
    for ty in [t.dict_keys, t.dict_items] {
        install_slots(ty, SETS);
    }
    for ty in [t.dict_keys, t.dict_values, t.dict_items] {
        install_slots(
            ty,
            &[
                ("__iter__", iter),
                ("__len__", len),
                ("__contains__", contains),
                ("__reversed__", reversed),
            ],
        );
    }
    for ty in [
        t.function,
        t.builtin_function,
        t.method_descriptor,
        t.method,
        t.staticmethod,
    ] {
        install_slots(ty, &[("__call__", call_)]);
    }
    // The unhashable builtins say so in their dicts as CPython's do (`__hash__ = None`):
    // `collections.abc.Hashable` reads it. hash() itself does not look it up.
    for ty in [
        t.list,
        t.dict,
        t.set,
        t.bytearray,
        t.dict_keys,
        t.dict_items,
    ] {
        let td = crate::types::class::type_data_raw(ty);
        if td.dict.get_str("__hash__").is_none() {
            td.dict.set_str("__hash__", Value::none());
        }
    }
    install_slots(
        t.range,
        &[
            ("__contains__", contains),
            ("__getitem__", getitem),
            ("__len__", len),
            ("__iter__", iter),
            ("__bool__", bool_),
            ("__reversed__", reversed),
        ],
    );
}
