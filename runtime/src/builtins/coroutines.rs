//! What coroutines (PEP 492) have beyond the generator machinery they share:
//! `__await__` and the `coroutine_wrapper` it returns, `cr_origin` with
//! `sys.set_coroutine_origin_tracking_depth`, and the "coroutine ... was never
//! awaited" RuntimeWarning of a coroutine that dies before it started (CPython's
//! `_PyGen_Finalize` -> `_PyErr_WarnUnawaitedCoroutine`).
use std::sync::atomic::Ordering;

use stitch_stencils::header::{FLAG_NATIVE_FINALIZER, ObjHeader};

use super::generators::{self, finish, report_unraisable, throw_exception};
use super::{add_method, method_args, posargs, type_name};
use crate::object::PyObj;
use crate::ops;
use crate::types::coro_wrapper::{CoroWrapper, new_wrapper};
use crate::types::generator::{GenObj, GenState};
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    add_method(t.coroutine, "__await__", coro_await);
    let w = t.coroutine_wrapper;
    add_method(w, "send", wrapper_send);
    add_method(w, "throw", wrapper_throw);
    add_method(w, "close", wrapper_close);
    add_method(w, "__next__", wrapper_next);
    add_method(w, "__iter__", wrapper_iter);
}

fn coro_await(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, _) = method_args(vm, "__await__", a, 0, 0)?;
    if c.type_raw() != types().coroutine {
        let tn = type_name(c);
        return Err(vm.type_error(format!(
            "descriptor '__await__' for 'coroutine' objects doesn't apply to a '{tn}' object"
        )));
    }
    Ok(new_wrapper(c.clone()))
}

/// The coroutine a `coroutine_wrapper` method was called on.
fn wrapped(vm: &mut Vm, name: &str, v: &Value) -> PyResult<Value> {
    match v.downcast_exact::<CoroWrapper>() {
        Some(w) => Ok(w.coro.clone()),
        None => {
            let tn = type_name(v);
            Err(vm.type_error(format!(
                "descriptor '{name}' for 'coroutine_wrapper' objects doesn't apply to a '{tn}' object"
            )))
        }
    }
}

fn wrapper_send(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (w, r) = method_args(vm, "send", a, 1, 1)?;
    let c = wrapped(vm, "send", w)?;
    let r = vm.gen_resume(&c, r[0].clone(), None);
    finish(vm, r)
}

fn wrapper_next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (w, _) = method_args(vm, "__next__", a, 0, 0)?;
    let c = wrapped(vm, "__next__", w)?;
    let r = vm.gen_resume(&c, Value::none(), None);
    finish(vm, r)
}

fn wrapper_throw(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (w, r) = method_args(vm, "throw", a, 1, 3)?;
    let c = wrapped(vm, "throw", w)?;
    let exc = throw_exception(vm, r)?;
    let r = generators::throw(vm, &c, exc, true);
    finish(vm, r)
}

fn wrapper_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (w, _) = method_args(vm, "close", a, 0, 0)?;
    let c = wrapped(vm, "close", w)?;
    generators::close(vm, &c)?;
    Ok(Value::none())
}

fn wrapper_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (w, _) = method_args(vm, "__iter__", a, 0, 0)?;
    wrapped(vm, "__iter__", w)?;
    Ok(w.clone())
}

/// A coroutine was just made by calling its function: mark it for the unawaited
/// check when it dies, and record where it was made when origin tracking is on.
pub fn on_create(vm: &Vm, coro: &Value) {
    if let Some(h) = coro.header() {
        h.ob_flags
            .fetch_or(FLAG_NATIVE_FINALIZER, Ordering::Relaxed);
    }
    if vm.coro_origin_depth == 0 {
        return;
    }
    let Some(go) = crate::types::generator::gen_payload(coro) else {
        return;
    };
    let origin = origin(vm, vm.coro_origin_depth as usize);
    go.origin.with(|o| *o = origin);
}

/// `cr_origin`: `(filename, lineno, function name)` of up to `depth` frames, the
/// coroutine's caller first (CPython's `compute_cr_origin`).
fn origin(vm: &Vm, depth: usize) -> Value {
    let mut items = Vec::new();
    let mut f = vm.frame;
    while !f.is_null() && items.len() < depth {
        // SAFETY: frames in this thread's chain are live and initialised; a caller's
        // header holds the instruction it is at.
        let (co, instr, prev) = unsafe {
            (
                crate::frame::frame_code(f),
                (*f).instr as usize,
                (*f).previous,
            )
        };
        let line = if instr == 0 {
            co.firstlineno
        } else {
            co.line_of(instr - 1)
        };
        items.push(TupleObj::from_items([
            new_str(&co.filename),
            Value::int(line as i64),
            new_str(&co.name),
        ]));
        f = prev;
    }
    TupleObj::new_value(items)
}

/// Does the dying object at `h` (flagged `FLAG_NATIVE_FINALIZER`) need its finalizer:
/// a coroutine that never started?
///
/// # Safety
/// `h` is a live object.
pub unsafe fn needs_finalizer(h: *const ObjHeader) -> bool {
    // SAFETY: guaranteed by the caller; only coroutines carry the flag, and their
    // payload is a `GenObj`.
    unsafe {
        std::ptr::eq((*h).ob_type as *const u8, types().coroutine.as_ptr())
            && (*(h as *const PyObj<GenObj>)).payload.state() == GenState::Created
    }
}

/// The finalizer of a coroutine dropped before it started: the RuntimeWarning
/// "coroutine '...' was never awaited", through `warnings._warn_unawaited_coroutine`
/// (which adds `cr_origin`), or through `_warnings` directly when that is missing or
/// broken (CPython's `_PyErr_WarnUnawaitedCoroutine`). Errors go to
/// `sys.unraisablehook`.
pub fn finalize(vm: &mut Vm, coro: &Value) {
    let Some(go) = crate::types::generator::gen_payload(coro) else {
        return;
    };
    let mut warned = false;
    let hook = match crate::import::import_module(vm, "warnings") {
        Ok(w) => ops::getattr_opt(vm, &w, "_warn_unawaited_coroutine"),
        Err(e) if vm.err_matches(&e, types().import_error) => Ok(None),
        Err(e) => Err(e),
    };
    let r = match hook {
        Ok(Some(f)) => Some(vm.call(&f, std::slice::from_ref(coro))),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    };
    match r {
        Some(Ok(_)) => warned = true,
        Some(Err(e)) => {
            warned = vm.err_matches(&e, types().runtime_warning);
            report_unraisable(vm, coro, &e);
        }
        None => {}
    }
    if !warned {
        let qualname = go.qualname.read(Value::clone);
        let msg = format!(
            "coroutine '{}' was never awaited",
            crate::types::str::as_str(&qualname).unwrap_or("?")
        );
        let r =
            crate::modules::warnings::warn_str(vm, types().runtime_warning, &msg, 1, Some(coro));
        if let Err(e) = r {
            report_unraisable(vm, coro, &e);
        }
    }
}

/// `sys.set_coroutine_origin_tracking_depth(depth)`.
pub fn set_origin_tracking_depth(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "set_coroutine_origin_tracking_depth", a, 1, 1)?;
    let d = ops::to_isize(vm, &p[0])?;
    if d < 0 {
        return Err(vm.value_error("depth must be >= 0"));
    }
    vm.coro_origin_depth = d.min(i32::MAX as i64) as u32;
    Ok(Value::none())
}

/// `sys.get_coroutine_origin_tracking_depth()`.
pub fn get_origin_tracking_depth(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "get_coroutine_origin_tracking_depth", a, 0, 0)?;
    Ok(Value::int(vm.coro_origin_depth as i64))
}
