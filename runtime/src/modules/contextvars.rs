//! `_contextvars` (PEP 567): `ContextVar`, `Token`, `Context`, `copy_context`, as the
//! Lib's `contextvars`, `decimal` and `asyncio` use them.
//!
//! A context's mapping is a dict that is never changed once a context holds it:
//! `var.set()` builds a new dict and swaps it in, so `copy_context()` is one shared
//! reference (CPython uses an immutable HAMT for the same reason). Each thread has its
//! own current context (`Vm::context`, made empty on first use); `Context.run` makes
//! another one current for the call. Generators and coroutines do not capture a
//! context (3.11 behaviour).
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use super::native_args::{self, attr, getset, methods, module, object_type, set};
use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

pub struct ContextObj {
    /// The variables' values: a dict nobody mutates once published here, and its
    /// version (a number no other dict ever gets, [`next_version`]).
    vars: ObjCell<(Value, u64)>,
    /// Whether some thread runs code in it now (`Context.run`).
    entered: AtomicBool,
}
native_payload!(ContextObj, CONTEXT);
static CONTEXT_T: NativeType = NativeType {
    new: Some(context_new),
    ..NativeType::of::<ContextObj>()
};

pub struct ContextVarObj {
    name: Value,
    /// NULL when the variable has no default.
    default: Value,
    /// The last lookup of this variable (CPython's `var_cached`): the version of the
    /// vars dict it was made in and the bits of the value found there (0: none).
    /// Vars dicts never change once published and versions are never reused, so while
    /// a context holds that version the value is right, and alive (its dict holds
    /// it): the cache itself holds no reference. `_decimal` reads its current context
    /// through this on every operation.
    cache: ObjCell<(u64, u64)>,
}
native_payload!(ContextVarObj, CONTEXT_VAR);
static CONTEXT_VAR_T: NativeType = NativeType {
    new: Some(var_new),
    ..NativeType::of::<ContextVarObj>()
};

pub struct TokenObj {
    ctx: Value,
    var: Value,
    /// The value before `set`, or NULL when it had none (`Token.MISSING`).
    old: Value,
    used: AtomicBool,
}
native_payload!(TokenObj, TOKEN);
static TOKEN_T: NativeType = NativeType {
    new: Some(token_new),
    ..NativeType::of::<TokenObj>()
};

/// The type of `Token.MISSING`.
pub struct MissingObj;
native_payload!(MissingObj, MISSING_TYPE);
static MISSING_T: NativeType = NativeType::of::<MissingObj>();

fn missing_repr(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(new_string("<Token.MISSING>".to_string()))
}

/// `Token.MISSING` (bits of an immortal object).
static MISSING: OnceLock<u64> = OnceLock::new();

fn missing() -> Value {
    Value::from_borrowed(stitch_stencils::value::RawValue(
        *MISSING.get().unwrap_or(&0),
    ))
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module("_contextvars", &[("copy_context", copy_context)]);
    let ctx = new_type::<ContextObj>(
        "Context",
        "_contextvars",
        object_type(),
        Kind::Native,
        &CONTEXT_T,
        &CONTEXT,
    );
    methods(
        &ctx,
        &[
            ("run", context_run),
            ("copy", context_copy),
            ("get", context_get),
            ("keys", context_keys),
            ("values", context_values),
            ("items", context_items),
            ("__getitem__", context_getitem),
            ("__contains__", context_contains),
            ("__len__", context_len),
            ("__iter__", context_iter),
            ("__eq__", context_eq),
        ],
    );
    attr(&ctx, "__hash__", Value::none());
    let var = new_type::<ContextVarObj>(
        "ContextVar",
        "_contextvars",
        object_type(),
        Kind::Native,
        &CONTEXT_VAR_T,
        &CONTEXT_VAR,
    );
    methods(
        &var,
        &[
            ("get", var_get),
            ("set", var_set),
            ("reset", var_reset),
            ("__repr__", var_repr),
        ],
    );
    getset(&var, "name", var_name, None);
    let token = new_type::<TokenObj>(
        "Token",
        "_contextvars",
        object_type(),
        Kind::Native,
        &TOKEN_T,
        &TOKEN,
    );
    methods(&token, &[("__repr__", token_repr)]);
    getset(&token, "var", token_var, None);
    getset(&token, "old_value", token_old_value, None);
    if MISSING.get().is_none() {
        let t = new_type::<MissingObj>(
            "Token.MISSING",
            "_contextvars",
            object_type(),
            Kind::Native,
            &MISSING_T,
            &MISSING_TYPE,
        );
        methods(&t, &[("__repr__", missing_repr)]);
        let obj = Value::alloc(MissingObj);
        crate::object::make_immortal(obj.raw());
        let _ = MISSING.set(obj.bits());
    }
    attr(&token, "MISSING", missing());
    for t in [&ctx, &var, &token] {
        crate::types::layout::set_final(t.raw());
    }
    set(&m, "Context", ctx);
    set(&m, "ContextVar", var);
    set(&m, "Token", token);
    Ok(m)
}

/// A version number for a newly published vars dict.
fn next_version() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A context holding `vars` (a dict and its version: shared with the context it was
/// copied from, or new).
fn new_context(vars: (Value, u64)) -> Value {
    Value::alloc(ContextObj {
        vars: ObjCell::new(vars),
        entered: AtomicBool::new(false),
    })
}

/// This thread's current context (an empty one is made on first use).
fn current(vm: &mut Vm) -> Value {
    if vm.context.is_null() {
        vm.context = new_context((DictObj::new_value(), next_version()));
    }
    vm.context.clone()
}

fn ctx_of(v: &Value) -> &ContextObj {
    // SAFETY: callers pass values checked to be contexts (or the VM's current one).
    unsafe { v.payload_unchecked::<ContextObj>() }
}

fn vars_of(ctx: &Value) -> Value {
    ctx_of(ctx).vars.read(|(d, _)| d.clone())
}

/// The vars dict of `ctx` and its version.
fn vars_and_version(ctx: &Value) -> (Value, u64) {
    ctx_of(ctx).vars.read(|(d, v)| (d.clone(), *v))
}

fn dict(v: &Value) -> &DictObj {
    // SAFETY: a context's vars are always a dict.
    unsafe { v.payload_unchecked::<DictObj>() }
}

// ---- Context --------------------------------------------------------------------

fn context_new(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    if !a.args.is_empty() {
        return Err(vm.type_error("Context() does not accept any arguments"));
    }
    Ok(new_context((DictObj::new_value(), next_version())))
}

/// `contextvars.copy_context()` for native callers (asyncio's callbacks and tasks).
pub(crate) fn copy_current(vm: &mut Vm) -> Value {
    let c = current(vm);
    new_context(vars_and_version(&c))
}

fn copy_context(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "copy_context", a, 0, 0)?;
    let c = current(vm);
    Ok(new_context(vars_and_version(&c)))
}

fn this_ctx<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<&'a Value> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    if native::downcast::<ContextObj>(s).is_none() {
        return Err(vm.type_error(format!(
            "descriptor '{name}' for '_contextvars.Context' objects doesn't apply to a '{}' object",
            s.type_data().name
        )));
    }
    Ok(s)
}

fn repr_of(vm: &mut Vm, v: &Value) -> PyResult<String> {
    let r = ops::repr_value(vm, v)?;
    Ok(as_str(&r).unwrap_or("").to_string())
}

/// `Context.run(callable, *args, **kwargs)`: call with this context current.
fn context_run(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "run", a)?;
    let pos = a.pos();
    if pos.len() < 2 {
        return Err(vm.type_error("run() missing 1 required positional argument"));
    }
    let ctx = ctx_of(s);
    if ctx.entered.swap(true, Ordering::SeqCst) {
        let r = repr_of(vm, s)?;
        return Err(vm.runtime_error(format!("cannot enter context: {r} is already entered")));
    }
    let prev = std::mem::replace(&mut vm.context, s.clone());
    let r = vm.call_kw(&pos[1], &a.args[2..], a.kwnames);
    let mine = std::mem::replace(&mut vm.context, prev);
    ctx.entered.store(false, Ordering::SeqCst);
    drop(mine);
    r
}

fn context_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "copy", a)?;
    native_args::this(vm, "copy", a, 0, 0)?;
    Ok(new_context(vars_and_version(s)))
}

fn check_var(vm: &mut Vm, k: &Value) -> PyResult<()> {
    if k.downcast_exact::<ContextVarObj>().is_none() {
        let r = repr_of(vm, k)?;
        return Err(vm.type_error(format!("a ContextVar key was expected, got {r}")));
    }
    Ok(())
}

fn lookup(vm: &mut Vm, ctx: &Value, k: &Value) -> PyResult<Option<Value>> {
    let (vars, version) = vars_and_version(ctx);
    let Some(var) = k.downcast_exact::<ContextVarObj>() else {
        return dict(&vars).get(vm, k);
    };
    if let Some(hit) = cached(var, version) {
        return Ok(hit);
    }
    let found = dict(&vars).get(vm, k)?;
    let bits = found.as_ref().map_or(0, |v| v.bits());
    var.cache.with(|c| *c = (version, bits));
    Ok(found)
}

/// The cached value of `var` in the vars dict of version `version`, if cached.
#[inline]
fn cached(var: &ContextVarObj, version: u64) -> Option<Option<Value>> {
    let (v, bits) = var.cache.read(|c| *c);
    if v != version {
        return None;
    }
    // The dict of that version is alive (a context the caller holds has it) and holds
    // the value.
    Some((bits != 0).then(|| Value::from_borrowed(stitch_stencils::value::RawValue(bits))))
}

fn context_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "__getitem__", a)?;
    let (_, p) = native_args::this(vm, "__getitem__", a, 1, 1)?;
    check_var(vm, &p[0])?;
    match lookup(vm, s, &p[0])? {
        Some(v) => Ok(v),
        None => {
            let e = vm.call(&Value::from_borrowed(types().key_error), &[p[0].clone()])?;
            Err(PyErr { exc: e })
        }
    }
}

fn context_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "get", a)?;
    let (_, p) = native_args::this(vm, "get", a, 1, 2)?;
    check_var(vm, &p[0])?;
    Ok(lookup(vm, s, &p[0])?.unwrap_or_else(|| p.get(1).cloned().unwrap_or_else(Value::none)))
}

fn context_contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "__contains__", a)?;
    let (_, p) = native_args::this(vm, "__contains__", a, 1, 1)?;
    check_var(vm, &p[0])?;
    Ok(Value::bool(lookup(vm, s, &p[0])?.is_some()))
}

fn context_len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "__len__", a)?;
    Ok(Value::int(dict(&vars_of(s)).len() as i64))
}

fn list_iter(vm: &mut Vm, items: Vec<Value>) -> PyResult<Value> {
    let l = crate::types::list::ListObj::new_value(items);
    ops::get_iter(vm, &l)
}

fn context_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "__iter__", a)?;
    let keys = dict(&vars_of(s))
        .items()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    list_iter(vm, keys)
}

fn context_keys(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    context_iter(vm, a)
}

fn context_values(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "values", a)?;
    let vals = dict(&vars_of(s))
        .items()
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    list_iter(vm, vals)
}

fn context_items(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "items", a)?;
    let items = dict(&vars_of(s))
        .items()
        .into_iter()
        .map(|(k, v)| TupleObj::from_items([k, v]))
        .collect();
    list_iter(vm, items)
}

fn context_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this_ctx(vm, "__eq__", a)?;
    let (_, p) = native_args::this(vm, "__eq__", a, 1, 1)?;
    if native::downcast::<ContextObj>(&p[0]).is_none() {
        return Ok(Value::not_implemented());
    }
    let (x, y) = (vars_of(s), vars_of(&p[0]));
    Ok(Value::bool(vm.eq(&x, &y)?))
}

// ---- ContextVar -----------------------------------------------------------------

fn var_new(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    let pos = a.pos();
    if pos.len() != 1 {
        return Err(vm.type_error(format!(
            "ContextVar() takes exactly 1 positional argument ({} given)",
            pos.len()
        )));
    }
    let mut default = Value::NULL;
    for (k, v) in a.kw() {
        if k == "default" {
            default = v.clone();
        } else {
            return Err(vm.type_error(format!(
                "ContextVar() got an unexpected keyword argument '{k}'"
            )));
        }
    }
    if as_str(&pos[0]).is_none() {
        return Err(vm.type_error("context variable name must be a str"));
    }
    Ok(Value::alloc(ContextVarObj {
        name: pos[0].clone(),
        default,
        cache: ObjCell::new((0, 0)),
    }))
}

fn this_var<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a Value, &'a ContextVarObj)> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    match s.downcast_exact::<ContextVarObj>() {
        Some(v) => Ok((s, v)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_contextvars.ContextVar' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

fn var_name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, v) = this_var(vm, "name", a)?;
    Ok(v.name.clone())
}

/// `var.get([default])`: the context's value, else the argument, else the var's
/// default, else LookupError.
fn var_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, v) = this_var(vm, "get", a)?;
    let (_, p) = native_args::this(vm, "get", a, 0, 1)?;
    let ctx = current(vm);
    if let Some(x) = lookup(vm, &ctx, s)? {
        return Ok(x);
    }
    if let Some(d) = p.first() {
        return Ok(d.clone());
    }
    if !v.default.is_null() {
        return Ok(v.default.clone());
    }
    let e = vm.call(
        &Value::from_borrowed(types().lookup_error),
        std::slice::from_ref(s),
    )?;
    Err(PyErr { exc: e })
}

/// The Rust-level API of native modules that keep state in a ContextVar (`_decimal`'s
/// current context): the value `var` has in this thread's current context, None when
/// it has none there (its default is not applied); `var` must be a ContextVar.
pub fn var_value(vm: &mut Vm, var: &Value) -> PyResult<Option<Value>> {
    let Some(v) = var.downcast_exact::<ContextVarObj>() else {
        return Err(vm.type_error("a ContextVar was expected"));
    };
    // The cache answers without touching the dict: the current context's version is
    // compared with the cached one.
    if !vm.context.is_null() {
        let version = ctx_of(&vm.context).vars.read(|(_, v)| *v);
        if let Some(hit) = cached(v, version) {
            return Ok(hit);
        }
    }
    let ctx = current(vm);
    lookup(vm, &ctx, var)
}

/// `var.set(value)` in this thread's current context, without making a Token.
pub fn set_var_value(vm: &mut Vm, var: &Value, value: Value) -> PyResult<()> {
    if var.downcast::<ContextVarObj>().is_none() {
        return Err(vm.type_error("a ContextVar was expected"));
    }
    let ctx = current(vm);
    store(vm, &ctx, var, value)
}

/// Store `value` (NULL: remove) for `var` in `ctx`: a new dict replaces the old.
fn store(vm: &mut Vm, ctx: &Value, var: &Value, value: Value) -> PyResult<()> {
    let old = vars_of(ctx);
    let fresh = dict(&old).copy();
    if value.is_null() {
        fresh.remove(vm, var)?;
    } else {
        fresh.set(vm, var.clone(), value)?;
    }
    let fresh = (Value::alloc(fresh), next_version());
    let prev = ctx_of(ctx).vars.with(|v| std::mem::replace(v, fresh));
    drop(prev);
    Ok(())
}

fn var_set(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this_var(vm, "set", a)?;
    let (_, p) = native_args::this(vm, "set", a, 1, 1)?;
    let ctx = current(vm);
    let old = lookup(vm, &ctx, s)?.unwrap_or(Value::NULL);
    store(vm, &ctx, s, p[0].clone())?;
    Ok(Value::alloc(TokenObj {
        ctx,
        var: s.clone(),
        old,
        used: AtomicBool::new(false),
    }))
}

fn var_reset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this_var(vm, "reset", a)?;
    let (_, p) = native_args::this(vm, "reset", a, 1, 1)?;
    let Some(t) = p[0].downcast_exact::<TokenObj>() else {
        let tn = p[0].type_data().name.clone();
        return Err(vm.type_error(format!("expected an instance of Token, got '{tn}'")));
    };
    if t.used.load(Ordering::SeqCst) {
        let r = repr_of(vm, &p[0])?;
        return Err(vm.runtime_error(format!("{r} has already been used once")));
    }
    if t.var.bits() != s.bits() {
        let r = repr_of(vm, &p[0])?;
        return Err(vm.value_error(format!("{r} was created by a different ContextVar")));
    }
    let ctx = current(vm);
    if t.ctx.bits() != ctx.bits() {
        let r = repr_of(vm, &p[0])?;
        return Err(vm.value_error(format!("{r} was created in a different Context")));
    }
    t.used.store(true, Ordering::SeqCst);
    store(vm, &ctx, s, t.old.clone())?;
    Ok(Value::none())
}

fn var_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, v) = this_var(vm, "__repr__", a)?;
    let name = repr_of(vm, &v.name)?;
    let default = if v.default.is_null() {
        String::new()
    } else {
        format!(" default={}", repr_of(vm, &v.default)?)
    };
    Ok(new_string(format!(
        "<ContextVar name={name}{default} at {:#x}>",
        s.bits()
    )))
}

// ---- Token ----------------------------------------------------------------------

fn token_new(vm: &mut Vm, _cls: &Value, _a: &Args) -> PyResult<Value> {
    Err(vm.runtime_error("Tokens can only be created by ContextVars"))
}

fn this_token<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a Value, &'a TokenObj)> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    match s.downcast_exact::<TokenObj>() {
        Some(t) => Ok((s, t)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_contextvars.Token' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

fn token_var(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, t) = this_token(vm, "var", a)?;
    Ok(t.var.clone())
}

fn token_old_value(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, t) = this_token(vm, "old_value", a)?;
    Ok(if t.old.is_null() {
        missing()
    } else {
        t.old.clone()
    })
}

fn token_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, t) = this_token(vm, "__repr__", a)?;
    let var = repr_of(vm, &t.var)?;
    let used = if t.used.load(Ordering::SeqCst) {
        " used"
    } else {
        ""
    };
    Ok(new_string(format!(
        "<Token{used} var={var} at {:#x}>",
        s.bits()
    )))
}
