//! Helpers the compiled `try ... except*` statement calls (hidden builtins
//! `__except_star_*__`), so that PEP 654's handling needs no opcodes of its own:
//!
//! - `__except_star_match__(rest, T)` checks the clause's type (an exception class or a
//!   tuple of them, and never an exception group), then splits what is still unhandled
//!   into `(match, rest)`. A naked exception that matches is wrapped in
//!   `ExceptionGroup('', (exc,))`. A match becomes the exception being handled
//!   (`sys.exc_info()`, the context of what the clause raises).
//! - `__except_star_reraise__(orig, results)` combines what the clauses raised and the
//!   unhandled rest into the one exception the statement re-raises (or None): the
//!   parts of the original group that are re-raised as they were keep their place in a
//!   projection of the original; new exceptions are grouped with it in a new
//!   `ExceptionGroup('', [...])`.
use std::collections::HashSet;

use super::exception_group::{exceptions_of, is_group, project};
use crate::ops;
use crate::types::class::{as_type, is_subclass};
use crate::types::dict::DictObj;
use crate::types::func::{NativeFn, new_builtin};
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, exc_data};
use crate::world::types;

pub fn install(d: &DictObj) {
    let fns: &[(&'static str, NativeFn)] = &[
        ("__except_star_match__", star_match),
        ("__except_star_reraise__", star_reraise),
    ];
    for (name, f) in fns {
        let v = new_builtin(name, *f);
        crate::object::make_immortal(v.raw());
        d.set_str(name, v);
    }
}

fn is_exception_class(v: &Value) -> bool {
    as_type(v).is_some_and(|t| t.is_subtype_raw(types().base_exception))
}

/// The clause's type must name exception classes, none of them a group.
fn check_type(vm: &mut Vm, ty: &Value) -> PyResult<()> {
    let items = match ty.downcast::<TupleObj>() {
        Some(t) => t.items.to_vec(),
        None => vec![ty.clone()],
    };
    if !items.iter().all(is_exception_class) {
        return Err(
            vm.type_error("catching classes that do not inherit from BaseException is not allowed")
        );
    }
    let group = Value::from_borrowed(types().base_exception_group);
    if items.iter().any(|t| is_subclass(t, &group)) {
        return Err(vm.type_error(
            "catching ExceptionGroup with except* is not allowed. Use except instead.",
        ));
    }
    Ok(())
}

/// `__except_star_match__(rest, T)` -> `(match, rest)`.
fn star_match(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let (exc, ty) = (&p[0], &p[1]);
    check_type(vm, ty)?;
    let (matched, rest) = if exc.is_none() {
        (Value::none(), Value::none())
    } else if ops::exception_matches(vm, exc, ty)? {
        let m = if is_group(exc) {
            exc.clone()
        } else {
            let excs = TupleObj::from_items([exc.clone()]);
            super::exception_group::construct(
                vm,
                &Value::from_borrowed(types().base_exception_group),
                &[new_str(""), excs],
                false,
            )?
        };
        (m, Value::none())
    } else if is_group(exc) {
        let split = ops::getattr(vm, exc, &new_str("split"))?;
        let pair = vm.call(&split, std::slice::from_ref(ty))?;
        let en = exc.type_data().name.clone();
        let Some(t) = pair.downcast::<TupleObj>() else {
            let tn = pair.type_data().name.clone();
            return Err(vm.type_error(format!("{en}.split must return a tuple, not {tn}")));
        };
        if t.items.len() != 2 {
            let n = t.items.len();
            return Err(vm.type_error(format!(
                "{en}.split must return a 2-tuple, got tuple of size {n}"
            )));
        }
        (t.items[0].clone(), t.items[1].clone())
    } else {
        (Value::none(), exc.clone())
    };
    if !matched.is_none() {
        vm.handled = matched.clone();
    }
    Ok(TupleObj::from_items([matched, rest]))
}

/// Identity of an exception's bookkeeping (traceback, cause, context): a part
/// re-raised unchanged by a bare `raise` has the original's. (`__notes__` lives in the
/// instance dict, as in CPython 3.11, and is not compared: split copies it.)
fn metadata(e: &Value) -> [u64; 3] {
    let norm = |v: Value| if v.is_null() { Value::none() } else { v };
    let (tb, cause, ctx) = exc_data(e)
        .map(|d| d.with(|d| (d.traceback.clone(), d.cause.clone(), d.context.clone())))
        .unwrap_or_default();
    [norm(tb).bits(), norm(cause).bits(), norm(ctx).bits()]
}

/// The identities of the leaves of `e` (an exception or a nested group).
fn leaf_ids(e: &Value, out: &mut HashSet<u64>) {
    if is_group(e) {
        for c in exceptions_of(e) {
            leaf_ids(&c, out);
        }
    } else {
        out.insert(e.bits());
    }
}

/// `__except_star_reraise__(orig, results)`: what the statement raises, or None.
fn star_reraise(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let orig = &p[0];
    let results: Vec<Value> = ops::collect(vm, &p[1])?
        .into_iter()
        .filter(|e| !e.is_none())
        .collect();
    if results.is_empty() {
        return Ok(Value::none());
    }
    if !is_group(orig) {
        // A naked exception: at most one clause ran, so there is one thing to raise.
        return Ok(results[0].clone());
    }
    let orig_meta = metadata(orig);
    let mut raised = Vec::new();
    let mut reraised = Vec::new();
    for e in results {
        if metadata(&e) == orig_meta {
            reraised.push(e);
        } else {
            raised.push(e);
        }
    }
    let mut ids = HashSet::new();
    for e in &reraised {
        leaf_ids(e, &mut ids);
    }
    let kept = project(vm, orig, ids)?;
    if raised.is_empty() {
        return Ok(kept);
    }
    if !kept.is_none() {
        raised.push(kept);
    }
    if raised.len() == 1 {
        return Ok(raised.pop().unwrap_or_default());
    }
    super::exception_group::construct(
        vm,
        &Value::from_borrowed(types().base_exception_group),
        &[new_str(""), crate::types::list::ListObj::new_value(raised)],
        false,
    )
}
