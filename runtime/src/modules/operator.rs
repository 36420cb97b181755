//! `_operator`: the operators as functions, and `itemgetter`, `attrgetter`,
//! `methodcaller` (callable native types, fast as sort keys).
use crate::instructions::{self as opc, Op};
use crate::native_payload;
use crate::ops;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

use super::native_args::{
    bind, methods, module, no_kw, object_type, positional, set, static_new, unpack,
};

/// Two positional arguments, as the Argument Clinic functions of `_operator` take.
fn two<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a Value, &'a Value)> {
    let p = args(vm, name, a, 2, 2)?;
    Ok((&p[0], &p[1]))
}

/// Positional arguments of an Argument Clinic function of `_operator`.
fn args<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<&'a [Value]> {
    no_kw(vm, &format!("_operator.{name}"), a)?;
    positional(vm, name, a.pos(), min, max)
}

/// One positional argument (`METH_O`).
fn one<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<&'a Value> {
    no_kw(vm, &format!("_operator.{name}"), a)?;
    match a.pos() {
        [v] => Ok(v),
        p => Err(vm.type_error(format!(
            "_operator.{name}() takes exactly one argument ({} given)",
            p.len()
        ))),
    }
}

macro_rules! binops {
    ($($fname:ident, $pyname:literal, $op:expr;)*) => {
        $(
            fn $fname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                let (x, y) = two(vm, $pyname, a)?;
                if let Some(r) = ops::binary_fast(x, y, $op) {
                    return Ok(r);
                }
                ops::binary_op(vm, x, y, $op)
            }
        )*
    };
}

binops! {
    add, "add", opc::NB_ADD;
    sub, "sub", opc::NB_SUBTRACT;
    mul, "mul", opc::NB_MULTIPLY;
    truediv, "truediv", opc::NB_TRUE_DIVIDE;
    floordiv, "floordiv", opc::NB_FLOOR_DIVIDE;
    mod_, "mod", opc::NB_REMAINDER;
    pow, "pow", opc::NB_POWER;
    matmul, "matmul", opc::NB_MATMUL;
    lshift, "lshift", opc::NB_LSHIFT;
    rshift, "rshift", opc::NB_RSHIFT;
    and_, "and_", opc::NB_AND;
    or_, "or_", opc::NB_OR;
    xor, "xor", opc::NB_XOR;
    iadd, "iadd", opc::NB_INPLACE + opc::NB_ADD;
    isub, "isub", opc::NB_INPLACE + opc::NB_SUBTRACT;
    imul, "imul", opc::NB_INPLACE + opc::NB_MULTIPLY;
    itruediv, "itruediv", opc::NB_INPLACE + opc::NB_TRUE_DIVIDE;
    ifloordiv, "ifloordiv", opc::NB_INPLACE + opc::NB_FLOOR_DIVIDE;
    imod, "imod", opc::NB_INPLACE + opc::NB_REMAINDER;
    ipow, "ipow", opc::NB_INPLACE + opc::NB_POWER;
    imatmul, "imatmul", opc::NB_INPLACE + opc::NB_MATMUL;
    ilshift, "ilshift", opc::NB_INPLACE + opc::NB_LSHIFT;
    irshift, "irshift", opc::NB_INPLACE + opc::NB_RSHIFT;
    iand, "iand", opc::NB_INPLACE + opc::NB_AND;
    ior, "ior", opc::NB_INPLACE + opc::NB_OR;
    ixor, "ixor", opc::NB_INPLACE + opc::NB_XOR;
}

macro_rules! cmpops {
    ($($fname:ident, $pyname:literal, $op:expr;)*) => {
        $(
            fn $fname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                let (x, y) = two(vm, $pyname, a)?;
                if let Some(r) = ops::compare_fast(x, y, $op) {
                    return Ok(Value::bool(r));
                }
                ops::compare(vm, x, y, $op)
            }
        )*
    };
}

cmpops! {
    lt, "lt", ops::LT;
    le, "le", ops::LE;
    eq, "eq", ops::EQ;
    ne, "ne", ops::NE;
    gt, "gt", ops::GT;
    ge, "ge", ops::GE;
}

fn neg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one(vm, "neg", a)?;
    ops::unary_op(vm, v, Op::UNARY_NEGATIVE)
}
fn pos(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one(vm, "pos", a)?;
    ops::unary_op(vm, v, Op::UNARY_POSITIVE)
}
fn inv(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one(vm, "inv", a)?;
    ops::unary_op(vm, v, Op::UNARY_INVERT)
}
fn invert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one(vm, "invert", a)?;
    ops::unary_op(vm, v, Op::UNARY_INVERT)
}
fn abs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one(vm, "abs", a)?.clone();
    let f = vm.builtins_dict().get_str("abs").unwrap_or_default();
    vm.call(&f, &[v])
}
fn not_(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one(vm, "not_", a)?;
    Ok(Value::bool(!ops::truthy(vm, v)?))
}
fn truth(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one(vm, "truth", a)?;
    Ok(Value::bool(ops::truthy(vm, v)?))
}
fn index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = one(vm, "index", a)?;
    if crate::types::int::is_exact_int(v) {
        return Ok(v.clone());
    }
    Ok(Value::bigint(ops::to_index(vm, v)?))
}
fn is_(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "is_", a)?;
    Ok(Value::bool(x.is(y)))
}
fn is_not(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "is_not", a)?;
    Ok(Value::bool(!x.is(y)))
}

/// Has the sequence protocol (`PySequence_Check`): not a dict, and `__getitem__`.
fn is_sequence(vm: &mut Vm, v: &Value) -> PyResult<bool> {
    if v.downcast::<crate::types::dict::DictObj>().is_some() {
        return Ok(false);
    }
    if ops::seq_items_fast(v).is_some()
        || as_str(v).is_some()
        || crate::types::bytes::as_bytes(v).is_some()
        || v.downcast::<crate::types::range::RangeObj>().is_some()
    {
        return Ok(true);
    }
    Ok(ops::getattr_opt(vm, v, "__getitem__")?.is_some())
}

fn concat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "concat", a)?;
    if !is_sequence(vm, x)? {
        let tn = x.type_data().name.clone();
        return Err(vm.type_error(format!("'{tn}' object can't be concatenated")));
    }
    ops::binary_op(vm, x, y, opc::NB_ADD)
}
fn iconcat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "iconcat", a)?;
    if !is_sequence(vm, x)? {
        let tn = x.type_data().name.clone();
        return Err(vm.type_error(format!("'{tn}' object can't be concatenated")));
    }
    ops::binary_op(vm, x, y, opc::NB_INPLACE + opc::NB_ADD)
}
fn contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "contains", a)?;
    Ok(Value::bool(ops::contains(vm, x, y)?))
}
fn count_of(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "countOf", a)?;
    let it = ops::get_iter(vm, x)?;
    let mut n = 0i64;
    while let Some(v) = ops::next(vm, &it)? {
        if v.is(y) || vm.eq(&v, y)? {
            n += 1;
        }
    }
    Ok(Value::int(n))
}
fn index_of(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "indexOf", a)?;
    let it = ops::get_iter(vm, x)?;
    let mut n = 0i64;
    while let Some(v) = ops::next(vm, &it)? {
        if v.is(y) || vm.eq(&v, y)? {
            return Ok(Value::int(n));
        }
        n += 1;
    }
    Err(vm.value_error("sequence.index(x): x not in sequence"))
}
fn getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "getitem", a)?;
    ops::getitem(vm, x, y)
}
fn setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args(vm, "setitem", a, 3, 3)?;
    ops::setitem(vm, &p[0], p[1].clone(), p[2].clone())?;
    Ok(Value::none())
}
fn delitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "delitem", a)?;
    ops::delitem(vm, x, y)?;
    Ok(Value::none())
}

/// `length_hint(obj, default=0)`: `len(obj)`, else `obj.__length_hint__()`, else default.
fn length_hint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args(vm, "length_hint", a, 1, 2)?;
    let default = match p.get(1) {
        Some(d) => {
            if crate::types::int::as_int(d).is_none() {
                let tn = d.type_data().name.clone();
                return Err(
                    vm.type_error(format!("'{tn}' object cannot be interpreted as an integer"))
                );
            }
            ops::to_isize(vm, d)?
        }
        None => 0,
    };
    let obj = &p[0];
    match ops::len(vm, obj) {
        Ok(n) => return Ok(Value::int(n as i64)),
        Err(e) if vm.err_matches(&e, types().type_error) => {}
        Err(e) => return Err(e),
    }
    let Some(f) = crate::vm::lookup_special(obj, "__length_hint__").or_else(|| {
        obj.type_data()
            .lookup("__length_hint__")
            .filter(|_| obj.type_data().native.is_none())
            .map(crate::vm::receiver_first)
    }) else {
        return Ok(Value::int(default));
    };
    let r = match vm.call(&f, std::slice::from_ref(obj)) {
        Ok(r) => r,
        Err(e) if vm.err_matches(&e, types().type_error) => return Ok(Value::int(default)),
        Err(e) => return Err(e),
    };
    if r.is(&Value::not_implemented()) {
        return Ok(Value::int(default));
    }
    let Some(n) = crate::types::int::as_int(&r) else {
        let tn = r.type_data().name.clone();
        return Err(vm.type_error(format!("__length_hint__ must be an integer, not {tn}")));
    };
    if n.is_negative() {
        return Err(vm.value_error("__length_hint__() should return >= 0"));
    }
    Ok(r)
}

/// `call(obj, /, *args, **kwargs)`.
fn call(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((f, _)) = a.args.split_first() else {
        return Err(vm.type_error("call() missing required argument 'obj' (pos 1)"));
    };
    if a.pos().is_empty() {
        return Err(vm.type_error("call() missing required argument 'obj' (pos 1)"));
    }
    vm.call_kw(f, &a.args[1..], a.kwnames)
}

/// `_compare_digest(a, b)`: equality of two ASCII strings or two byte strings, in time
/// that depends on the length of `b` only.
fn compare_digest(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(vm, "_compare_digest", a)?;
    let (bx, by): (Vec<u8>, Vec<u8>) = match (as_str(x), as_str(y)) {
        (Some(s), Some(t)) => {
            if !s.is_ascii() || !t.is_ascii() {
                return Err(
                    vm.type_error("comparing strings with non-ASCII characters is not supported")
                );
            }
            (s.as_bytes().to_vec(), t.as_bytes().to_vec())
        }
        _ => {
            let (p, q) = (
                crate::types::bytes::as_bytes(x),
                crate::types::bytes::as_bytes(y),
            );
            match (p, q) {
                (Some(p), Some(q)) => (p.to_vec(), q.to_vec()),
                (None, None) => return Err(digest_types(vm, x, y)),
                (None, _) => return Err(not_buffer(vm, x)),
                (_, None) => return Err(not_buffer(vm, y)),
            }
        }
    };
    // Constant time in len(b): every byte of `by` is looked at.
    let mut diff = (bx.len() != by.len()) as u8;
    let left: &[u8] = if bx.len() == by.len() { &bx } else { &by };
    for (i, c) in by.iter().enumerate() {
        diff |= left[i] ^ c;
    }
    Ok(Value::bool(diff == 0))
}

fn not_buffer(vm: &mut Vm, v: &Value) -> crate::vm::PyErr {
    let tn = v.type_data().name.clone();
    vm.type_error(format!("a bytes-like object is required, not '{tn}'"))
}

fn digest_types(vm: &mut Vm, x: &Value, y: &Value) -> crate::vm::PyErr {
    let (a, b) = (x.type_data().name.clone(), y.type_data().name.clone());
    vm.type_error(format!(
        "unsupported operand types(s) or combination of types: '{a}' and '{b}'"
    ))
}

// ---- itemgetter ------------------------------------------------------------------

pub struct ItemGetter {
    items: Box<[Value]>,
}
native_payload!(ItemGetter, ITEMGETTER);
static ITEMGETTER_T: NativeType = NativeType {
    new: Some(itemgetter_new),
    call: Some(itemgetter_call),
    ..NativeType::of::<ItemGetter>()
};

fn itemgetter_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    no_kw(vm, "itemgetter", a)?;
    if a.pos().is_empty() {
        positional(vm, "itemgetter", a.pos(), 1, 1)?;
    }
    Ok(native::alloc(
        cls,
        ItemGetter {
            items: a.pos().into(),
        },
    ))
}

/// `obj[key]` with the list/tuple/dict cases inline.
#[inline(always)]
fn get_one(vm: &mut Vm, obj: &Value, key: &Value) -> PyResult<Value> {
    if let Some(i) = key.as_small_int()
        && i >= 0
    {
        if let Some(t) = obj.downcast_exact::<TupleObj>()
            && let Some(v) = t.items.get(i as usize)
        {
            return Ok(v.clone());
        }
        if let Some(l) = obj.downcast_exact::<crate::types::list::ListObj>()
            && let Some(v) = l.get(i as usize)
        {
            return Ok(v);
        }
    }
    ops::getitem(vm, obj, key)
}

fn itemgetter_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let Some(g) = downcast::<ItemGetter>(f) else {
        return Err(vm.type_error("itemgetter expected"));
    };
    let p = unpack(vm, "itemgetter", a, 1, 1)?;
    let obj = &p[0];
    if let [k] = &*g.items {
        return get_one(vm, obj, k);
    }
    let mut out = Vec::with_capacity(g.items.len());
    for k in g.items.iter() {
        out.push(get_one(vm, obj, k)?);
    }
    Ok(TupleObj::new_value(out))
}

fn itemgetter_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::native_args::this(vm, "__repr__", a, 0, 0)?;
    let Some(g) = downcast::<ItemGetter>(s) else {
        return Err(vm.type_error("itemgetter expected"));
    };
    let mut parts = Vec::with_capacity(g.items.len());
    for k in g.items.iter() {
        parts.push(ops::repr(vm, k)?);
    }
    Ok(new_string(format!(
        "{}({})",
        qualified(s),
        parts.join(", ")
    )))
}

/// `operator.NAME` for the three callables' reprs (CPython's `tp_name`).
fn qualified(v: &Value) -> String {
    let td = v.type_data();
    if td.is_heap {
        td.name.clone()
    } else {
        format!("operator.{}", td.name)
    }
}

// ---- attrgetter ------------------------------------------------------------------

pub struct AttrGetter {
    /// Each attribute as its dotted parts (interned names).
    attrs: Box<[Box<[Value]>]>,
}
native_payload!(AttrGetter, ATTRGETTER);
static ATTRGETTER_T: NativeType = NativeType {
    new: Some(attrgetter_new),
    call: Some(attrgetter_call),
    ..NativeType::of::<AttrGetter>()
};

fn attrgetter_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    no_kw(vm, "attrgetter", a)?;
    if a.pos().is_empty() {
        positional(vm, "attrgetter", a.pos(), 1, 1)?;
    }
    let mut attrs = Vec::with_capacity(a.pos().len());
    for v in a.pos() {
        let Some(s) = as_str(v) else {
            return Err(vm.type_error("attribute name must be a string"));
        };
        attrs.push(
            s.split('.')
                .map(crate::world::intern)
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
    }
    Ok(native::alloc(
        cls,
        AttrGetter {
            attrs: attrs.into_boxed_slice(),
        },
    ))
}

fn dotted(vm: &mut Vm, obj: &Value, parts: &[Value]) -> PyResult<Value> {
    let mut cur = ops::getattr(vm, obj, &parts[0])?;
    for p in &parts[1..] {
        cur = ops::getattr(vm, &cur, p)?;
    }
    Ok(cur)
}

fn attrgetter_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let Some(g) = downcast::<AttrGetter>(f) else {
        return Err(vm.type_error("attrgetter expected"));
    };
    let p = unpack(vm, "attrgetter", a, 1, 1)?;
    if let [one] = &*g.attrs {
        return dotted(vm, &p[0], one);
    }
    let mut out = Vec::with_capacity(g.attrs.len());
    for parts in g.attrs.iter() {
        out.push(dotted(vm, &p[0], parts)?);
    }
    Ok(TupleObj::new_value(out))
}

fn attrgetter_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::native_args::this(vm, "__repr__", a, 0, 0)?;
    let Some(g) = downcast::<AttrGetter>(s) else {
        return Err(vm.type_error("attrgetter expected"));
    };
    let parts: Vec<String> = g
        .attrs
        .iter()
        .map(|p| {
            let names: Vec<&str> = p.iter().map(|n| as_str(n).unwrap_or("")).collect();
            ops::str_repr(&names.join("."))
        })
        .collect();
    Ok(new_string(format!(
        "{}({})",
        qualified(s),
        parts.join(", ")
    )))
}

// ---- methodcaller ----------------------------------------------------------------

pub struct MethodCaller {
    name: Value,
    /// Positional arguments then keyword values; `kwnames` names the last ones.
    args: Box<[Value]>,
    kwnames: Box<[Value]>,
}
native_payload!(MethodCaller, METHODCALLER);
static METHODCALLER_T: NativeType = NativeType {
    new: Some(methodcaller_new),
    call: Some(methodcaller_call),
    ..NativeType::of::<MethodCaller>()
};

fn methodcaller_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(name) = p.first() else {
        return Err(vm.type_error("methodcaller needs at least one argument, the method name"));
    };
    let Some(s) = as_str(name) else {
        return Err(vm.type_error("method name must be a string"));
    };
    Ok(native::alloc(
        cls,
        MethodCaller {
            name: crate::world::intern(s),
            args: a.args[1..].into(),
            kwnames: a.kwnames.into(),
        },
    ))
}

fn methodcaller_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let Some(m) = downcast::<MethodCaller>(f) else {
        return Err(vm.type_error("methodcaller expected"));
    };
    let p = unpack(vm, "methodcaller", a, 1, 1)?;
    let meth = ops::getattr(vm, &p[0], &m.name)?;
    vm.call_kw(&meth, &m.args, &m.kwnames)
}

fn methodcaller_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = super::native_args::this(vm, "__repr__", a, 0, 0)?;
    let Some(m) = downcast::<MethodCaller>(s) else {
        return Err(vm.type_error("methodcaller expected"));
    };
    let mut parts = vec![ops::repr(vm, &m.name)?];
    let npos = m.args.len() - m.kwnames.len();
    for v in &m.args[..npos] {
        parts.push(ops::repr(vm, v)?);
    }
    for (k, v) in m.kwnames.iter().zip(&m.args[npos..]) {
        let r = ops::repr(vm, v)?;
        parts.push(format!("{}={r}", as_str(k).unwrap_or("")));
    }
    Ok(new_string(format!(
        "{}({})",
        qualified(s),
        parts.join(", ")
    )))
}

macro_rules! dnew {
    ($name:ident, $slot:path, $payload:ty) => {
        fn $name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let base = <$payload as crate::value::PyPayload>::class();
            let (cls, rest) = super::native_args::new_args(vm, a, base)?;
            $slot(vm, &cls, &rest)
        }
    };
}
dnew!(itemgetter_dnew, itemgetter_new, ItemGetter);
dnew!(attrgetter_dnew, attrgetter_new, AttrGetter);
dnew!(methodcaller_dnew, methodcaller_new, MethodCaller);

pub(crate) use crate::types::native::call_method;

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_operator",
        &[
            ("abs", abs),
            ("add", add),
            ("and_", and_),
            ("call", call),
            ("concat", concat),
            ("contains", contains),
            ("countOf", count_of),
            ("delitem", delitem),
            ("eq", eq),
            ("floordiv", floordiv),
            ("ge", ge),
            ("getitem", getitem),
            ("gt", gt),
            ("iadd", iadd),
            ("iand", iand),
            ("iconcat", iconcat),
            ("ifloordiv", ifloordiv),
            ("ilshift", ilshift),
            ("imatmul", imatmul),
            ("imod", imod),
            ("imul", imul),
            ("index", index),
            ("indexOf", index_of),
            ("inv", inv),
            ("invert", invert),
            ("ior", ior),
            ("ipow", ipow),
            ("irshift", irshift),
            ("is_", is_),
            ("is_not", is_not),
            ("isub", isub),
            ("itruediv", itruediv),
            ("ixor", ixor),
            ("le", le),
            ("length_hint", length_hint),
            ("lshift", lshift),
            ("lt", lt),
            ("matmul", matmul),
            ("mod", mod_),
            ("mul", mul),
            ("ne", ne),
            ("neg", neg),
            ("not_", not_),
            ("or_", or_),
            ("pos", pos),
            ("pow", pow),
            ("rshift", rshift),
            ("setitem", setitem),
            ("sub", sub),
            ("truediv", truediv),
            ("truth", truth),
            ("xor", xor),
            ("_compare_digest", compare_digest),
        ],
    );
    set(
        &m,
        "__doc__",
        crate::types::str::new_str(
            "Operator interface.\n\nThis module exports a set of functions implemented in C corresponding\nto the intrinsic operators of Python.  For example, operator.add(x, y)\nis equivalent to the expression x+y.  The function names are those\nused for special methods; variants without leading and trailing\n'__' are also provided for convenience.",
        ),
    );
    let ig = new_type::<ItemGetter>(
        "itemgetter",
        "operator",
        object_type(),
        Kind::Native,
        &ITEMGETTER_T,
        &ITEMGETTER,
    );
    methods(
        &ig,
        &[("__repr__", itemgetter_repr), ("__call__", call_method)],
    );
    static_new(&ig, itemgetter_dnew);
    set(&m, "itemgetter", ig);
    let ag = new_type::<AttrGetter>(
        "attrgetter",
        "operator",
        object_type(),
        Kind::Native,
        &ATTRGETTER_T,
        &ATTRGETTER,
    );
    methods(
        &ag,
        &[("__repr__", attrgetter_repr), ("__call__", call_method)],
    );
    static_new(&ag, attrgetter_dnew);
    set(&m, "attrgetter", ag);
    let mc = new_type::<MethodCaller>(
        "methodcaller",
        "operator",
        object_type(),
        Kind::Native,
        &METHODCALLER_T,
        &METHODCALLER,
    );
    methods(
        &mc,
        &[("__repr__", methodcaller_repr), ("__call__", call_method)],
    );
    static_new(&mc, methodcaller_dnew);
    set(&m, "methodcaller", mc);
    let _ = bind;
    Ok(m)
}
