//! `BaseExceptionGroup` and `ExceptionGroup` (PEP 654): construction with CPython's
//! checks (calling `BaseExceptionGroup` with only `Exception`s builds an
//! `ExceptionGroup`; an `Exception` group may not hold a `BaseException`), `message`,
//! `exceptions`, `str()`, `derive`, and `split`/`subgroup` by type, tuple of types or
//! predicate, which copy the traceback, cause, context and notes onto each part.
//!
//! The message and the exceptions tuple live in the exception's extra-state slot
//! (`ExcData::value`, as a `(message, exceptions)` tuple); `args` keeps the sequence
//! the caller passed, as in CPython.
use super::{add_method, method_args};
use crate::ops;
use crate::types::class::{as_type, type_data_raw};
use crate::types::list::ListObj;
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, exc_data, new_instance_plain};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    // ExceptionGroup(BaseExceptionGroup, Exception): the one builtin type with two bases.
    let eg = type_data_raw(t.exception_group);
    eg.bases.with(|b| {
        *b = vec![
            Value::from_borrowed(t.base_exception_group),
            Value::from_borrowed(t.exception),
        ]
    });
    // SAFETY: world setup: no other thread exists, nothing reads the type now.
    unsafe {
        eg.mro.set(
            [
                t.exception_group,
                t.base_exception_group,
                t.exception,
                t.base_exception,
                t.object,
            ]
            .into_iter()
            .map(Value::from_borrowed)
            .collect(),
        )
    };
    super::add_static(t.base_exception_group, "__new__", eg_new);
    add_method(t.base_exception_group, "__init__", eg_init);
    add_method(t.base_exception_group, "__str__", eg_str);
    add_method(t.base_exception_group, "derive", eg_derive);
    add_method(t.base_exception_group, "split", eg_split);
    add_method(t.base_exception_group, "subgroup", eg_subgroup);
    crate::builtins::add_classmethod(
        t.base_exception_group,
        "__class_getitem__",
        crate::types::generic_alias::class_getitem,
    );
    let getters: [(&'static str, crate::types::func::NativeFn); 2] =
        [("message", eg_message), ("exceptions", eg_exceptions)];
    for (name, f) in getters {
        crate::modules::native_args::getset(
            &Value::from_borrowed(t.base_exception_group),
            name,
            f,
            None,
        );
    }
}

/// Is `v` an exception group?
pub fn is_group(v: &Value) -> bool {
    v.type_data().is_subtype_raw(types().base_exception_group)
}

/// `(message, exceptions)` of a group.
fn parts(v: &Value) -> Option<(Value, Vec<Value>)> {
    let d = exc_data(v)?;
    let st = d.with(|d| d.value.clone());
    let t = st.downcast::<TupleObj>()?;
    let excs = t.items.get(1)?.downcast::<TupleObj>()?.items.to_vec();
    Some((t.items.first()?.clone(), excs))
}

/// The exceptions of a group (empty for anything else).
pub fn exceptions_of(v: &Value) -> Vec<Value> {
    parts(v).map(|(_, e)| e).unwrap_or_default()
}

/// `BaseExceptionGroup.__new__(cls, message, exceptions)`.
fn eg_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(cls) = p.first() else {
        return Err(vm.type_error("BaseExceptionGroup.__new__(): not enough arguments"));
    };
    construct(vm, cls, &p[1..], a.has_kw())
}

/// Create a group of class `cls` (or `ExceptionGroup` for `BaseExceptionGroup` over
/// `Exception`s) from `(message, exceptions)`. Heap subclasses come here too.
pub fn construct(vm: &mut Vm, cls: &Value, args: &[Value], has_kw: bool) -> PyResult<Value> {
    let t = types();
    let Some(td) = as_type(cls) else {
        return Err(vm.type_error("BaseExceptionGroup.__new__(X): X is not a type object"));
    };
    if has_kw && !td.is_heap {
        let n = td.name.clone();
        return Err(vm.type_error(format!("{n}() takes no keyword arguments")));
    }
    if args.len() != 2 {
        return Err(vm.type_error(format!(
            "BaseExceptionGroup.__new__() takes exactly 2 arguments ({} given)",
            args.len()
        )));
    }
    let (message, seq) = (&args[0], &args[1]);
    if as_str(message).is_none() {
        let tn = message.type_data().name.clone();
        return Err(vm.type_error(format!(
            "BaseExceptionGroup.__new__() argument 1 must be str, not {tn}"
        )));
    }
    let is_sequence = ops::seq_items_fast(seq).is_some()
        || (seq.type_data().lookup("__getitem__").is_some()
            && seq.type_data().lookup("__len__").is_some()
            && !seq.type_data().is_subtype_raw(t.dict));
    if !is_sequence {
        return Err(vm.type_error("second argument (exceptions) must be a sequence"));
    }
    let excs = ops::collect(vm, seq)?;
    if excs.is_empty() {
        return Err(vm.value_error("second argument (exceptions) must be a non-empty sequence"));
    }
    let mut all_exceptions = true;
    for (i, e) in excs.iter().enumerate() {
        if !e.type_data().is_subtype_raw(t.base_exception) {
            return Err(vm.value_error(format!(
                "Item {i} of second argument (exceptions) is not an exception"
            )));
        }
        all_exceptions &= e.type_data().is_subtype_raw(t.exception);
    }
    let mut cls = cls.clone();
    if cls.raw() == t.base_exception_group {
        if all_exceptions {
            cls = Value::from_borrowed(t.exception_group);
        }
    } else if cls.raw() == t.exception_group {
        if !all_exceptions {
            return Err(vm.type_error("Cannot nest BaseExceptions in an ExceptionGroup"));
        }
    } else if !all_exceptions && td.is_subtype_raw(t.exception) {
        let n = td.name.clone();
        return Err(vm.type_error(format!("Cannot nest BaseExceptions in '{n}'")));
    }
    let g = new_instance_plain(&cls, args.to_vec());
    if let Some(d) = exc_data(&g) {
        let st = TupleObj::from_items([message.clone(), TupleObj::new_value(excs)]);
        d.with(|d| d.value = st);
    }
    Ok(g)
}

/// `__init__` accepts what `__new__` accepted (a subclass's `__init__` may differ).
fn eg_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("__init__ needs self"));
    };
    if a.has_kw() && !s.type_data().is_heap {
        let n = s.type_data().name.clone();
        return Err(vm.type_error(format!("{n}() takes no keyword arguments")));
    }
    super::classes::set_exc_args(s, p[1..].to_vec());
    Ok(Value::none())
}

fn this_group(vm: &mut Vm, name: &str, a: &Args) -> PyResult<(Value, Vec<Value>)> {
    let (s, _) = method_args(vm, name, a, 0, 0)?;
    match parts(s) {
        Some(p) => Ok(p),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' requires a 'BaseExceptionGroup' object"
        ))),
    }
}

fn eg_message(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(this_group(vm, "message", a)?.0)
}

fn eg_exceptions(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "exceptions", a, 0, 0)?;
    let st = exc_data(s).map(|d| d.with(|d| d.value.clone()));
    match st.as_ref().and_then(|v| v.downcast::<TupleObj>()) {
        Some(t) if t.items.len() == 2 => Ok(t.items[1].clone()),
        _ => Err(vm.type_error("descriptor 'exceptions' requires a 'BaseExceptionGroup' object")),
    }
}

/// `str(group)`: `message (N sub-exception[s])`.
fn eg_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (msg, excs) = this_group(vm, "__str__", a)?;
    let m = ops::to_str(vm, &msg)?;
    let n = excs.len();
    Ok(new_string(format!(
        "{m} ({n} sub-exception{})",
        if n == 1 { "" } else { "s" }
    )))
}

/// `derive(excs)`: a group of the base type with the same message.
fn eg_derive(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "derive", a, 1, 1)?;
    let Some((msg, _)) = parts(s) else {
        return Err(vm.type_error("descriptor 'derive' requires a 'BaseExceptionGroup' object"));
    };
    construct(
        vm,
        &Value::from_borrowed(types().base_exception_group),
        &[msg, r[0].clone()],
        false,
    )
}

/// What `split`/`subgroup` match leaves against.
enum Matcher {
    Types(Vec<Value>),
    Predicate(Value),
    /// Leaves whose identity is in the set (re-raising from `except*`).
    Leaves(std::collections::HashSet<u64>),
}

impl Matcher {
    fn new(vm: &mut Vm, cond: &Value) -> PyResult<Matcher> {
        let is_exc_type =
            |v: &Value| as_type(v).is_some_and(|t| t.is_subtype_raw(types().base_exception));
        if is_exc_type(cond) {
            return Ok(Matcher::Types(vec![cond.clone()]));
        }
        if let Some(t) = cond.downcast::<TupleObj>()
            && t.items.iter().all(is_exc_type)
        {
            return Ok(Matcher::Types(t.items.to_vec()));
        }
        if ops::callable(cond) && as_type(cond).is_none() {
            return Ok(Matcher::Predicate(cond.clone()));
        }
        Err(vm.type_error("expected a function, exception type or tuple of exception types"))
    }

    fn matches(&self, vm: &mut Vm, e: &Value) -> PyResult<bool> {
        match self {
            Matcher::Types(ts) => Ok(ts.iter().any(|t| e.type_data().is_subtype_raw(t.raw()))),
            Matcher::Predicate(f) => {
                let r = vm.call(f, std::slice::from_ref(e))?;
                ops::truthy(vm, &r)
            }
            Matcher::Leaves(ids) => Ok(ids.contains(&e.bits())),
        }
    }
}

/// Split `e` into the part matching `m` and the rest (either may be None).
fn split_rec(vm: &mut Vm, e: &Value, m: &Matcher, want_rest: bool) -> PyResult<(Value, Value)> {
    if m.matches(vm, e)? {
        return Ok((e.clone(), Value::none()));
    }
    if !is_group(e) {
        return Ok((Value::none(), e.clone()));
    }
    let mut matched = Vec::new();
    let mut rest = Vec::new();
    for child in exceptions_of(e) {
        let (cm, cr) = split_rec(vm, &child, m, want_rest)?;
        if !cm.is_none() {
            matched.push(cm);
        }
        if want_rest && !cr.is_none() {
            rest.push(cr);
        }
    }
    let m = subset(vm, e, matched)?;
    let r = if want_rest {
        subset(vm, e, rest)?
    } else {
        Value::none()
    };
    Ok((m, r))
}

/// `orig.derive(excs)` with `orig`'s traceback, cause, context and notes; None when
/// `excs` is empty.
fn subset(vm: &mut Vm, orig: &Value, excs: Vec<Value>) -> PyResult<Value> {
    if excs.is_empty() {
        return Ok(Value::none());
    }
    let derive = ops::getattr(vm, orig, &new_str("derive"))?;
    let g = vm.call(&derive, &[ListObj::new_value(excs)])?;
    if !is_group(&g) {
        return Err(vm.type_error("derive must return an instance of BaseExceptionGroup"));
    }
    if let (Some(src), Some(dst)) = (exc_data(orig), exc_data(&g)) {
        let (tb, cause, ctx) =
            src.with(|d| (d.traceback.clone(), d.cause.clone(), d.context.clone()));
        // Setting the cause (even to None) suppresses the context, as in CPython.
        dst.with(|d| {
            d.traceback = tb;
            d.cause = cause;
            d.context = ctx;
            d.suppress_context = true;
        });
    }
    if let Some(notes) = ops::getattr_opt(vm, orig, "__notes__")?
        && ops::seq_items_fast(&notes).is_some()
    {
        let copy = ListObj::new_value(ops::collect(vm, &notes)?);
        ops::setattr(vm, &g, &new_str("__notes__"), copy)?;
    }
    Ok(g)
}

fn eg_split(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "split", a, 1, 1)?;
    let m = Matcher::new(vm, &r[0])?;
    let (mt, rest) = split_rec(vm, s, &m, true)?;
    Ok(TupleObj::from_items([mt, rest]))
}

fn eg_subgroup(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "subgroup", a, 1, 1)?;
    let m = Matcher::new(vm, &r[0])?;
    Ok(split_rec(vm, s, &m, false)?.0)
}

/// The part of `eg` whose leaves are in `ids` (None when none are), with `eg`'s
/// structure and metadata: what `except*` re-raises of the original group.
pub fn project(vm: &mut Vm, eg: &Value, ids: std::collections::HashSet<u64>) -> PyResult<Value> {
    Ok(split_rec(vm, eg, &Matcher::Leaves(ids), false)?.0)
}
