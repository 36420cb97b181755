//! `_weakref`: weak references (`ref`, `proxy`), as CPython's C module offers them to
//! `Lib/weakref.py` and `Lib/_weakrefset.py`. The objects and their thread-safety
//! protocol are `types/weakref.rs`; this file is their Python-visible behaviour.
use crate::builtins::{add_method, add_static, arg_count_error, method_args, posargs};
use crate::instructions as opc;
use crate::instructions::Op;
use crate::ops;
use crate::types::class::type_data_raw;
use crate::types::dict::DictObj;
use crate::types::func::new_module_builtin;
use crate::types::list::ListObj;
use crate::types::str::new_str;
use crate::types::weakref::{Flavor, WeakRefObj, as_proxy, as_weak, count_of, new_weak, refs_of};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// The module object (types' methods are installed on first import).
pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let _ = vm;
    install_types();
    let t = types();
    let m = crate::import::new_module("_weakref", None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    d.set_str("ref", Value::from_borrowed(t.weakref));
    d.set_str("ReferenceType", Value::from_borrowed(t.weakref));
    d.set_str("ProxyType", Value::from_borrowed(t.weakproxy));
    d.set_str(
        "CallableProxyType",
        Value::from_borrowed(t.weakcallableproxy),
    );
    for (name, f) in [
        ("proxy", proxy as crate::types::func::NativeFn),
        ("getweakrefcount", getweakrefcount),
        ("getweakrefs", getweakrefs),
        ("_remove_dead_weakref", remove_dead_weakref),
    ] {
        d.set_str(name, new_module_builtin(name, f, "_weakref"));
    }
    Ok(m)
}

static INSTALL: std::sync::Once = std::sync::Once::new();

/// Methods of the three weak-reference types (once per process).
fn install_types() {
    INSTALL.call_once(|| {
        let t = types();
        for ty in [t.weakref, t.weakproxy, t.weakcallableproxy] {
            type_data_raw(ty).module.with(|m| *m = "weakref".into());
        }
        let r = t.weakref;
        add_static(r, "__new__", ref_new);
        add_method(r, "__init__", ref_init);
        add_method(r, "__call__", ref_call);
        add_method(r, "__hash__", ref_hash);
        add_method(r, "__eq__", ref_eq);
        add_method(r, "__ne__", ref_ne);
        add_method(r, "__repr__", ref_repr);
        crate::modules::native_args::getset(
            &Value::from_borrowed(r),
            "__callback__",
            ref_callback,
            None,
        );
        for p in [t.weakproxy, t.weakcallableproxy] {
            install_proxy(p);
        }
        add_method(t.weakcallableproxy, "__call__", proxy_call);
    });
}

// ---- ref ---------------------------------------------------------------------------

/// `ref.__new__(cls, obj, callback=None)`.
fn ref_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(cls) = p.first() else {
        return Err(vm.type_error("ref.__new__(): not enough arguments"));
    };
    // Keyword arguments are ignored here and refused by `ref.__init__` (CPython's
    // weakref___new__ / weakref___init__), so a subclass whose `__init__` takes some
    // (`MyRef(o, value=24)`) can be made.
    let rest = &p[1..];
    if rest.is_empty() || rest.len() > 2 {
        return Err(arg_count_error(vm, "__new__", rest.len(), 1, 2));
    }
    let cb = rest.get(1).cloned().unwrap_or_else(Value::none);
    new_weak(vm, cls, &rest[0], cb, Flavor::Ref)
}

/// `ref.__init__`: the work was done by `__new__` (subclasses call it with their own
/// arguments through `super().__init__`); the arguments are only checked.
fn ref_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if a.has_kw() {
        return Err(vm.type_error("ref() takes no keyword arguments"));
    }
    let n = a.pos().len().saturating_sub(1);
    if !(1..=2).contains(&n) {
        return Err(arg_count_error(vm, "__init__", n, 1, 2));
    }
    Ok(Value::none())
}

fn this<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a WeakRefObj> {
    match as_weak(v) {
        Some(w) => Ok(w),
        None => Err(vm.type_error("descriptor requires a 'weakref.ReferenceType' object")),
    }
}

fn ref_call(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__call__", a, 0, 0)?;
    Ok(this(vm, s)?.get().unwrap_or_else(Value::none))
}

fn ref_callback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "__callback__", a, 1, 1)?;
    Ok(this(vm, &p[0])?.callback())
}

/// The referent's hash, computed once and kept (also after its death).
fn ref_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__hash__", a, 0, 0)?;
    let w = this(vm, s)?;
    if let Some(h) = w.hash.with(|h| *h) {
        return Ok(Value::int(h));
    }
    let Some(obj) = w.get() else {
        return Err(vm.type_error("weak object has gone away"));
    };
    let h = vm.hash(&obj)?;
    w.hash.with(|c| *c = Some(h));
    Ok(Value::int(h))
}

/// Two references are equal if their referents are (both alive), else if they are
/// the same reference.
fn ref_compare(vm: &mut Vm, a: &Args, name: &str, eq: bool) -> PyResult<Value> {
    let (s, rest) = method_args(vm, name, a, 1, 1)?;
    let (Some(x), Some(y)) = (s.downcast::<WeakRefObj>(), rest[0].downcast::<WeakRefObj>()) else {
        return Ok(Value::not_implemented());
    };
    match (x.get(), y.get()) {
        (Some(ox), Some(oy)) => {
            let r = vm.eq(&ox, &oy)?;
            Ok(Value::bool(r == eq))
        }
        _ => Ok(Value::bool(s.is(&rest[0]) == eq)),
    }
}

fn ref_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    ref_compare(vm, a, "__eq__", true)
}

fn ref_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    ref_compare(vm, a, "__ne__", false)
}

fn ref_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__repr__", a, 0, 0)?;
    let w = this(vm, s)?;
    let Some(obj) = w.get() else {
        return Ok(new_str(&format!("<weakref at {:#x}; dead>", s.bits())));
    };
    let tn = obj.type_data().name.clone();
    let name = match ops::getattr_opt(vm, &obj, "__name__") {
        Ok(Some(n)) => crate::types::str::as_str(&n).map(str::to_string),
        Ok(None) => None,
        Err(e) => return Err(e),
    };
    Ok(new_str(&match name {
        Some(n) => format!(
            "<weakref at {:#x}; to '{tn}' at {:#x} ({n})>",
            s.bits(),
            obj.bits()
        ),
        None => format!(
            "<weakref at {:#x}; to '{tn}' at {:#x}>",
            s.bits(),
            obj.bits()
        ),
    }))
}

// ---- module functions ----------------------------------------------------------------

/// `proxy(obj, callback=None)`.
fn proxy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "proxy", a, 1, 2)?;
    let cb = p.get(1).cloned().unwrap_or_else(Value::none);
    let cls = Value::from_borrowed(types().weakproxy);
    new_weak(vm, &cls, &p[0], cb, Flavor::Proxy)
}

fn getweakrefcount(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "getweakrefcount", a, 1, 1)?;
    Ok(Value::int(count_of(&p[0]) as i64))
}

fn getweakrefs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "getweakrefs", a, 1, 1)?;
    Ok(ListObj::new_value(refs_of(&p[0])))
}

/// `_remove_dead_weakref(dict, key)`: delete `dict[key]` if it is a dead weak
/// reference (a missing key is not an error).
fn remove_dead_weakref(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "_remove_dead_weakref", a, 2, 2)?;
    let Some(d) = p[0].downcast::<DictObj>() else {
        return Err(vm.type_error(format!(
            "_remove_dead_weakref() argument 1 must be dict, not {}",
            p[0].type_data().name
        )));
    };
    if let Some(v) = d.get(vm, &p[1])?
        && as_weak(&v).is_some_and(|w| w.is_dead())
    {
        d.remove(vm, &p[1])?;
    }
    Ok(Value::none())
}

// ---- proxies -----------------------------------------------------------------------

/// The referent of proxy `p`, or ReferenceError.
pub fn referent(vm: &mut Vm, p: &Value) -> PyResult<Value> {
    match as_proxy(p).and_then(|w| w.get()) {
        Some(o) => Ok(o),
        None => Err(vm.err(
            types().reference_error,
            "weakly-referenced object no longer exists",
        )),
    }
}

/// A proxy operand stands for its referent.
fn unwrap(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if as_proxy(v).is_some() {
        referent(vm, v)
    } else {
        Ok(v.clone())
    }
}

fn install_proxy(p: stitch_stencils::value::RawValue) {
    add_method(p, "__repr__", proxy_repr);
    add_method(p, "__str__", proxy_str);
    add_method(p, "__hash__", proxy_hash);
    add_method(p, "__bool__", proxy_bool);
    add_method(p, "__len__", proxy_len);
    add_method(p, "__getitem__", proxy_getitem);
    add_method(p, "__setitem__", proxy_setitem);
    add_method(p, "__delitem__", proxy_delitem);
    add_method(p, "__contains__", proxy_contains);
    add_method(p, "__iter__", proxy_iter);
    add_method(p, "__next__", proxy_next);
    add_method(p, "__neg__", proxy_neg);
    add_method(p, "__pos__", proxy_pos);
    add_method(p, "__invert__", proxy_invert);
    add_method(p, "__abs__", proxy_method::<0>);
    add_method(p, "__int__", proxy_method::<1>);
    add_method(p, "__float__", proxy_method::<2>);
    add_method(p, "__index__", proxy_method::<3>);
    add_method(p, "__reversed__", proxy_method::<4>);
    add_method(p, "__bytes__", proxy_method::<5>);
    add_method(p, "__lt__", proxy_cmp::<{ ops::LT }>);
    add_method(p, "__le__", proxy_cmp::<{ ops::LE }>);
    add_method(p, "__eq__", proxy_cmp::<{ ops::EQ }>);
    add_method(p, "__ne__", proxy_cmp::<{ ops::NE }>);
    add_method(p, "__gt__", proxy_cmp::<{ ops::GT }>);
    add_method(p, "__ge__", proxy_cmp::<{ ops::GE }>);
    macro_rules! binops {
        ($($op:expr => $f:literal, $r:literal, $i:literal;)*) => {$(
            add_method(p, $f, proxy_binop::<{ $op }>);
            add_method(p, $r, proxy_rbinop::<{ $op }>);
            add_method(p, $i, proxy_binop::<{ $op + opc::NB_INPLACE }>);
        )*};
    }
    binops! {
        opc::NB_ADD => "__add__", "__radd__", "__iadd__";
        opc::NB_AND => "__and__", "__rand__", "__iand__";
        opc::NB_FLOOR_DIVIDE => "__floordiv__", "__rfloordiv__", "__ifloordiv__";
        opc::NB_LSHIFT => "__lshift__", "__rlshift__", "__ilshift__";
        opc::NB_MATMUL => "__matmul__", "__rmatmul__", "__imatmul__";
        opc::NB_MULTIPLY => "__mul__", "__rmul__", "__imul__";
        opc::NB_REMAINDER => "__mod__", "__rmod__", "__imod__";
        opc::NB_OR => "__or__", "__ror__", "__ior__";
        opc::NB_POWER => "__pow__", "__rpow__", "__ipow__";
        opc::NB_RSHIFT => "__rshift__", "__rrshift__", "__irshift__";
        opc::NB_SUBTRACT => "__sub__", "__rsub__", "__isub__";
        opc::NB_TRUE_DIVIDE => "__truediv__", "__rtruediv__", "__itruediv__";
        opc::NB_XOR => "__xor__", "__rxor__", "__ixor__";
    }
}

fn proxy_self(vm: &mut Vm, a: &Args, name: &str, n: usize) -> PyResult<(Value, Vec<Value>)> {
    let (s, rest) = method_args(vm, name, a, n, n)?;
    let o = referent(vm, s)?;
    Ok((o, rest.to_vec()))
}

/// `<weakproxy at 0x...; to 'C' at 0x...>` (the referent's type name; CPython shows
/// NoneType for a dead one).
fn proxy_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__repr__", a, 0, 0)?;
    let (tn, addr) = match as_proxy(s).and_then(|w| w.get()) {
        Some(o) => (o.type_data().name.clone(), o.bits()),
        None => ("NoneType".to_string(), Value::none().bits()),
    };
    Ok(new_str(&format!(
        "<weakproxy at {:#x} to {tn} at {addr:#x}>",
        s.bits()
    )))
}

fn proxy_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, _) = proxy_self(vm, a, "__str__", 0)?;
    ops::str_value(vm, &o)
}

fn proxy_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__hash__", a, 0, 0)?;
    let tn = s.type_data().name.clone();
    Err(vm.type_error(format!("unhashable type: 'weakref.{tn}'")))
}

fn proxy_bool(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, _) = proxy_self(vm, a, "__bool__", 0)?;
    Ok(Value::bool(ops::truthy(vm, &o)?))
}

fn proxy_len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, _) = proxy_self(vm, a, "__len__", 0)?;
    Ok(Value::int(ops::len(vm, &o)? as i64))
}

fn proxy_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, r) = proxy_self(vm, a, "__getitem__", 1)?;
    let k = unwrap(vm, &r[0])?;
    ops::getitem(vm, &o, &k)
}

fn proxy_setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, r) = proxy_self(vm, a, "__setitem__", 2)?;
    let k = unwrap(vm, &r[0])?;
    let v = unwrap(vm, &r[1])?;
    ops::setitem(vm, &o, k, v)?;
    Ok(Value::none())
}

fn proxy_delitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, r) = proxy_self(vm, a, "__delitem__", 1)?;
    let k = unwrap(vm, &r[0])?;
    ops::delitem(vm, &o, &k)?;
    Ok(Value::none())
}

fn proxy_contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, r) = proxy_self(vm, a, "__contains__", 1)?;
    let k = unwrap(vm, &r[0])?;
    Ok(Value::bool(ops::contains(vm, &o, &k)?))
}

fn proxy_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, _) = proxy_self(vm, a, "__iter__", 0)?;
    ops::get_iter(vm, &o)
}

fn proxy_next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (o, _) = proxy_self(vm, a, "__next__", 0)?;
    match ops::next(vm, &o)? {
        Some(v) => Ok(v),
        None => Err(vm.err(types().stop_iteration, "")),
    }
}

fn proxy_unary(vm: &mut Vm, a: &Args, name: &str, op: Op) -> PyResult<Value> {
    let (o, _) = proxy_self(vm, a, name, 0)?;
    ops::unary_op(vm, &o, op)
}

fn proxy_neg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    proxy_unary(vm, a, "__neg__", Op::UNARY_NEGATIVE)
}

fn proxy_pos(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    proxy_unary(vm, a, "__pos__", Op::UNARY_POSITIVE)
}

fn proxy_invert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    proxy_unary(vm, a, "__invert__", Op::UNARY_INVERT)
}

/// Special methods forwarded by calling the referent's own method of the same name.
const FORWARDED: [&str; 6] = [
    "__abs__",
    "__int__",
    "__float__",
    "__index__",
    "__reversed__",
    "__bytes__",
];

fn proxy_method<const K: usize>(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = FORWARDED[K];
    let (o, _) = proxy_self(vm, a, name, 0)?;
    let f = ops::getattr_str(vm, &o, name)?;
    vm.call(&f, &[])
}

fn proxy_cmp<const OP: u32>(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = method_args(vm, "__eq__", a, 1, 1)?;
    let x = referent(vm, s)?;
    let y = unwrap(vm, &rest[0])?;
    ops::compare(vm, &x, &y, OP)
}

fn proxy_binop<const OP: u32>(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = method_args(vm, "__op__", a, 1, 1)?;
    let x = referent(vm, s)?;
    let y = unwrap(vm, &rest[0])?;
    ops::binary_op(vm, &x, &y, OP)
}

fn proxy_rbinop<const OP: u32>(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = method_args(vm, "__rop__", a, 1, 1)?;
    let x = referent(vm, s)?;
    let y = unwrap(vm, &rest[0])?;
    ops::binary_op(vm, &y, &x, OP)
}

fn proxy_call(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.args.first() else {
        return Err(vm.type_error("descriptor '__call__' needs an argument"));
    };
    let o = referent(vm, s)?;
    vm.call_kw(&o, &a.args[1..], a.kwnames)
}

/// `getattr(proxy, name)`: the referent's attribute.
pub fn proxy_getattr(vm: &mut Vm, p: &Value, n: &str) -> PyResult<Option<Value>> {
    let o = referent(vm, p)?;
    ops::getattr_opt(vm, &o, n)
}

/// `setattr(proxy, name, v)`.
pub fn proxy_setattr(vm: &mut Vm, p: &Value, name: &Value, v: Value) -> PyResult<()> {
    let o = referent(vm, p)?;
    ops::setattr(vm, &o, name, v)
}

/// `delattr(proxy, name)`.
pub fn proxy_delattr(vm: &mut Vm, p: &Value, name: &Value) -> PyResult<()> {
    let o = referent(vm, p)?;
    ops::delattr(vm, &o, name)
}
