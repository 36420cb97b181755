//! Async generators (PEP 525): the methods of `async_generator` objects and of the
//! awaitables their `__anext__`/`asend`/`athrow`/`aclose` return, `anext()` and
//! `aiter()`, and `sys.set_asyncgen_hooks`/`sys.get_asyncgen_hooks`.
//!
//! An async generator runs on the generator machinery (`vm.gen_resume`,
//! `generators::throw`); what differs is how its results are read. Its frame
//! yields wrapped values for its own `yield`s and bare ones for what an `await`
//! inside it passes through; the awaitables here finish (StopIteration carrying the
//! value) on a wrapped value and hand bare ones on to the event loop. The state
//! machine follows CPython 3.11's `Objects/genobject.c`, messages included.
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::generators::{self, report_unraisable, throw_exception};
use super::{add_method, method_args, posargs, type_name};
use crate::ops;
use crate::types::async_gen::{
    ANextAwaitable, AsyncGenASend, AsyncGenAThrow, AsyncGenWrapped, AwaitState,
};
use crate::types::dict::DictObj;
use crate::types::func::new_builtin;
use crate::types::generator::{
    AG_CLOSED, AG_FINALIZED, AG_HOOKS_INITED, AG_RUNNING_ASYNC, GenKind, GenObj, GenState,
    gen_payload,
};
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    let ag = t.async_generator;
    add_method(ag, "__aiter__", ag_aiter);
    add_method(ag, "__anext__", ag_anext);
    add_method(ag, "asend", ag_asend);
    add_method(ag, "athrow", ag_athrow);
    add_method(ag, "aclose", ag_aclose);
    let aw = t.async_generator_asend;
    add_method(aw, "send", asend_send_m);
    add_method(aw, "throw", asend_throw_m);
    add_method(aw, "close", asend_close_m);
    add_method(aw, "__next__", asend_next_m);
    add_method(aw, "__await__", self_m);
    add_method(aw, "__iter__", self_m);
    let at = t.async_generator_athrow;
    add_method(at, "send", athrow_send_m);
    add_method(at, "throw", athrow_throw_m);
    add_method(at, "close", athrow_close_m);
    add_method(at, "__next__", athrow_next_m);
    add_method(at, "__await__", self_m);
    add_method(at, "__iter__", self_m);
    let an = t.anext_awaitable;
    add_method(an, "send", anext_send_m);
    add_method(an, "throw", anext_throw_m);
    add_method(an, "close", anext_close_m);
    add_method(an, "__next__", anext_next_m);
    add_method(an, "__await__", self_m);
    add_method(an, "__iter__", self_m);
}

fn self_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__await__", a, 0, 0)?;
    Ok(s.clone())
}

fn stop_async_iteration(vm: &mut Vm) -> PyErr {
    PyErr {
        exc: vm.new_exception(types().stop_async_iteration, vec![]),
    }
}

// ---- the async generator's own methods ---------------------------------------------------

fn ag_of<'a>(vm: &mut Vm, v: &'a Value, name: &str) -> PyResult<&'a GenObj> {
    match gen_payload(v) {
        Some(g) if g.kind == GenKind::AsyncGenerator => Ok(g),
        _ => {
            let tn = type_name(v);
            Err(vm.type_error(format!(
                "descriptor '{name}' for 'async_generator' objects doesn't apply to a '{tn}' object"
            )))
        }
    }
}

/// On the first `__anext__`/`asend`/`athrow`/`aclose`: remember the finalizer hook
/// and call the firstiter hook (how asyncio tracks the generators of its loop).
fn init_hooks(vm: &mut Vm, g: &Value, go: &GenObj) -> PyResult<()> {
    if go.ag_flag(AG_HOOKS_INITED) {
        return Ok(());
    }
    go.set_ag_flag(AG_HOOKS_INITED, true);
    let (firstiter, finalizer) = vm.asyncgen_hooks.clone();
    if !finalizer.is_null() {
        go.ag_finalizer.with(|f| *f = finalizer);
    }
    if !firstiter.is_null() {
        vm.call(&firstiter, std::slice::from_ref(g))?;
    }
    Ok(())
}

fn ag_aiter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, _) = method_args(vm, "__aiter__", a, 0, 0)?;
    ag_of(vm, g, "__aiter__")?;
    Ok(g.clone())
}

/// `agen.__anext__()`, also what `async for` calls.
pub fn anext(vm: &mut Vm, g: &Value) -> PyResult<Value> {
    let go = ag_of(vm, g, "__anext__")?;
    init_hooks(vm, g, go)?;
    Ok(AsyncGenASend::new_value(g.clone(), Value::none()))
}

fn ag_anext(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, _) = method_args(vm, "__anext__", a, 0, 0)?;
    anext(vm, g)
}

fn ag_asend(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, r) = method_args(vm, "asend", a, 1, 1)?;
    let go = ag_of(vm, g, "asend")?;
    init_hooks(vm, g, go)?;
    Ok(AsyncGenASend::new_value(g.clone(), r[0].clone()))
}

fn ag_athrow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    // The arguments are checked when the awaitable first runs, as in CPython.
    if a.has_kw() {
        return Err(vm.type_error("async_generator.athrow() takes no keyword arguments"));
    }
    let (g, r) = method_args(vm, "athrow", a, 0, usize::MAX)?;
    let go = ag_of(vm, g, "athrow")?;
    init_hooks(vm, g, go)?;
    Ok(AsyncGenAThrow::new_value(
        g.clone(),
        TupleObj::new_value(r.to_vec()),
    ))
}

fn ag_aclose(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, _) = method_args(vm, "aclose", a, 0, 0)?;
    let go = ag_of(vm, g, "aclose")?;
    init_hooks(vm, g, go)?;
    Ok(AsyncGenAThrow::new_value(g.clone(), Value::NULL))
}

// ---- reading the generator's results ------------------------------------------------------

/// A step of the generator as CPython's `gen_send_ex` reports it for an async
/// generator: the value it yielded, or its return as StopAsyncIteration.
fn step(vm: &mut Vm, r: PyResult<(Value, bool)>) -> PyResult<Value> {
    match r {
        Ok((v, true)) => Ok(v),
        Ok((_, false)) => Err(stop_async_iteration(vm)),
        Err(e) => Err(e),
    }
}

fn is_wrapped(v: &Value) -> bool {
    v.downcast_exact::<AsyncGenWrapped>().is_some()
}

/// A value of the generator's own `yield` ends the await: `(value, false)`, what
/// CPython reports as StopIteration carrying it (made only where a caller needs the
/// exception: `into_stop`); a bare value goes on to the event loop: `(value, true)`;
/// the generator's end closes it.
fn unwrap_step(vm: &mut Vm, go: &GenObj, r: PyResult<Value>) -> PyResult<(Value, bool)> {
    match r {
        Ok(v) => match v.downcast_exact::<AsyncGenWrapped>() {
            Some(w) => {
                go.set_ag_flag(AG_RUNNING_ASYNC, false);
                Ok((w.value.clone(), false))
            }
            None => Ok((v, true)),
        },
        Err(e) => {
            if vm.err_matches(&e, types().stop_async_iteration)
                || vm.err_matches(&e, types().generator_exit)
            {
                go.set_ag_flag(AG_CLOSED, true);
            }
            go.set_ag_flag(AG_RUNNING_ASYNC, false);
            Err(e)
        }
    }
}

/// A step as the awaitable's `send`/`__next__`/`throw` methods report it: the end of
/// the await raises StopIteration carrying its value.
fn into_stop(vm: &mut Vm, r: PyResult<(Value, bool)>) -> PyResult<Value> {
    match r {
        Ok((v, true)) => Ok(v),
        Ok((v, false)) => Err(vm.stop_iteration(v)),
        Err(e) => Err(e),
    }
}

fn unwrap_value(vm: &mut Vm, go: &GenObj, r: PyResult<Value>) -> PyResult<Value> {
    let r = unwrap_step(vm, go, r);
    into_stop(vm, r)
}

// ---- async_generator_asend ----------------------------------------------------------------

fn asend_of<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a AsyncGenASend> {
    v.downcast_exact::<AsyncGenASend>()
        .ok_or_else(|| vm.type_error("descriptor requires an 'async_generator_asend' object"))
}

/// Send into an `__anext__()`/`asend()` awaitable (`arg` NULL for `__next__`): what
/// it yields, or the end of the await (`unwrap_step`).
fn asend_send(vm: &mut Vm, o: &AsyncGenASend, arg: Value) -> PyResult<(Value, bool)> {
    let go = gen_payload(&o.agen).expect("asend of an async generator");
    let mut arg = arg;
    match o.state.get() {
        AwaitState::Closed => {
            return Err(vm.runtime_error("cannot reuse already awaited __anext__()/asend()"));
        }
        AwaitState::Init => {
            if go.ag_flag(AG_RUNNING_ASYNC) {
                return Err(vm.runtime_error("anext(): asynchronous generator is already running"));
            }
            if arg.is_null() || arg.is_none() {
                arg = o.sendval.clone();
            }
            o.state.set(AwaitState::Iter);
        }
        AwaitState::Iter => {}
    }
    if arg.is_null() {
        arg = Value::none();
    }
    go.set_ag_flag(AG_RUNNING_ASYNC, true);
    let r = vm.gen_resume(&o.agen, arg, None);
    let r = step(vm, r);
    let r = unwrap_step(vm, go, r);
    if !matches!(r, Ok((_, true))) {
        o.state.set(AwaitState::Closed);
    }
    r
}

fn asend_throw(vm: &mut Vm, o: &AsyncGenASend, args: &[Value]) -> PyResult<Value> {
    if o.state.get() == AwaitState::Closed {
        return Err(vm.runtime_error("cannot reuse already awaited __anext__()/asend()"));
    }
    let go = gen_payload(&o.agen).expect("asend of an async generator");
    let r = match throw_exception(vm, args) {
        Ok(exc) => {
            let r = generators::throw(vm, &o.agen, exc, true);
            step(vm, r)
        }
        Err(e) => Err(e),
    };
    let r = unwrap_value(vm, go, r);
    if r.is_err() {
        o.state.set(AwaitState::Closed);
    }
    r
}

fn asend_send_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "send", a, 1, 1)?;
    let o = asend_of(vm, s)?;
    let r = asend_send(vm, o, r[0].clone());
    into_stop(vm, r)
}

fn asend_next_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__next__", a, 0, 0)?;
    let o = asend_of(vm, s)?;
    let r = asend_send(vm, o, Value::NULL);
    into_stop(vm, r)
}

fn asend_throw_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "throw", a, 1, 3)?;
    let o = asend_of(vm, s)?;
    asend_throw(vm, o, r)
}

fn asend_close_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "close", a, 0, 0)?;
    asend_of(vm, s)?.state.set(AwaitState::Closed);
    Ok(Value::none())
}

// ---- async_generator_athrow ---------------------------------------------------------------

fn athrow_of<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a AsyncGenAThrow> {
    v.downcast_exact::<AsyncGenAThrow>()
        .ok_or_else(|| vm.type_error("descriptor requires an 'async_generator_athrow' object"))
}

const IGNORED_EXIT: &str = "async generator ignored GeneratorExit";

/// The end of an `aclose()`/`athrow()` await that raised: `aclose()` treats the
/// generator's end (StopAsyncIteration or GeneratorExit) as success.
fn athrow_check_error(vm: &mut Vm, o: &AsyncGenAThrow, go: &GenObj, e: PyErr) -> PyErr {
    go.set_ag_flag(AG_RUNNING_ASYNC, false);
    o.state.set(AwaitState::Closed);
    if o.is_close()
        && (vm.err_matches(&e, types().stop_async_iteration)
            || vm.err_matches(&e, types().generator_exit))
    {
        return vm.stop_iteration(Value::none());
    }
    e
}

fn athrow_yield_close(vm: &mut Vm, o: &AsyncGenAThrow, go: &GenObj) -> PyErr {
    go.set_ag_flag(AG_RUNNING_ASYNC, false);
    o.state.set(AwaitState::Closed);
    vm.runtime_error(IGNORED_EXIT)
}

/// The exception `athrow(...)`'s arguments describe (checked on first use).
fn athrow_exception(vm: &mut Vm, args: &Value) -> PyResult<Value> {
    let items = args
        .downcast::<TupleObj>()
        .map(|t| t.items.to_vec())
        .unwrap_or_default();
    if items.is_empty() || items.len() > 3 {
        return Err(super::arg_count_error(vm, "athrow", items.len(), 1, 3));
    }
    throw_exception(vm, &items)
}

fn athrow_send(vm: &mut Vm, o: &AsyncGenAThrow, arg: Value) -> PyResult<Value> {
    let go = gen_payload(&o.agen).expect("athrow of an async generator");
    if o.state.get() == AwaitState::Closed {
        return Err(vm.runtime_error("cannot reuse already awaited aclose()/athrow()"));
    }
    if go.state() == GenState::Finished {
        o.state.set(AwaitState::Closed);
        return Err(vm.stop_iteration(Value::none()));
    }
    if o.state.get() == AwaitState::Init {
        if go.ag_flag(AG_RUNNING_ASYNC) {
            o.state.set(AwaitState::Closed);
            let which = if o.is_close() { "aclose" } else { "athrow" };
            return Err(vm.runtime_error(format!(
                "{which}(): asynchronous generator is already running"
            )));
        }
        if go.ag_flag(AG_CLOSED) {
            o.state.set(AwaitState::Closed);
            return Err(stop_async_iteration(vm));
        }
        if !arg.is_none() {
            return Err(vm.runtime_error("can't send non-None value to a just-started coroutine"));
        }
        o.state.set(AwaitState::Iter);
        go.set_ag_flag(AG_RUNNING_ASYNC, true);
        let r = if o.is_close() {
            go.set_ag_flag(AG_CLOSED, true);
            let exc = vm.new_exception(types().generator_exit, vec![]);
            let r = generators::throw(vm, &o.agen, exc, false);
            match step(vm, r) {
                Ok(v) if is_wrapped(&v) => return Err(athrow_yield_close(vm, o, go)),
                r => r,
            }
        } else {
            let exc = athrow_exception(vm, &o.args)?;
            let r = generators::throw(vm, &o.agen, exc, false);
            let r = step(vm, r);
            unwrap_value(vm, go, r)
        };
        return r.map_err(|e| athrow_check_error(vm, o, go, e));
    }
    let r = vm.gen_resume(&o.agen, arg, None);
    let r = step(vm, r);
    if !o.is_close() {
        return unwrap_value(vm, go, r);
    }
    match r {
        Ok(v) if is_wrapped(&v) => Err(athrow_yield_close(vm, o, go)),
        Ok(v) => Ok(v),
        Err(e) => Err(athrow_check_error(vm, o, go, e)),
    }
}

fn athrow_throw(vm: &mut Vm, o: &AsyncGenAThrow, args: &[Value]) -> PyResult<Value> {
    if o.state.get() == AwaitState::Closed {
        return Err(vm.runtime_error("cannot reuse already awaited aclose()/athrow()"));
    }
    let go = gen_payload(&o.agen).expect("athrow of an async generator");
    let exc = throw_exception(vm, args)?;
    let r = generators::throw(vm, &o.agen, exc, true);
    let r = step(vm, r);
    if !o.is_close() {
        return unwrap_value(vm, go, r);
    }
    match r {
        Ok(v) if is_wrapped(&v) => Err(athrow_yield_close(vm, o, go)),
        Err(e)
            if vm.err_matches(&e, types().stop_async_iteration)
                || vm.err_matches(&e, types().generator_exit) =>
        {
            Err(vm.stop_iteration(Value::none()))
        }
        r => r,
    }
}

fn athrow_send_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "send", a, 1, 1)?;
    let o = athrow_of(vm, s)?;
    athrow_send(vm, o, r[0].clone())
}

fn athrow_next_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__next__", a, 0, 0)?;
    let o = athrow_of(vm, s)?;
    athrow_send(vm, o, Value::none())
}

fn athrow_throw_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "throw", a, 1, 3)?;
    let o = athrow_of(vm, s)?;
    athrow_throw(vm, o, r)
}

fn athrow_close_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "close", a, 0, 0)?;
    athrow_of(vm, s)?.state.set(AwaitState::Closed);
    Ok(Value::none())
}

// ---- anext_awaitable ----------------------------------------------------------------------

fn anext_of<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a ANextAwaitable> {
    v.downcast_exact::<ANextAwaitable>()
        .ok_or_else(|| vm.type_error("descriptor requires an 'anext_awaitable' object"))
}

/// Run `meth` of the awaitable `__anext__()` returned; its StopAsyncIteration ends
/// the await with the default value.
fn anext_proxy(vm: &mut Vm, o: &ANextAwaitable, meth: &str, args: &[Value]) -> PyResult<Value> {
    let aw = ops::awaitable_iter(vm, &o.wrapped)?;
    let r = match meth {
        "send" if args.len() == 1 => send_step(vm, &aw, args[0].clone()),
        _ => {
            let m = ops::getattr_str(vm, &aw, meth)?;
            vm.call(&m, args)
        }
    };
    match r {
        Err(e) if vm.err_matches(&e, types().stop_async_iteration) => {
            Err(vm.stop_iteration(o.default.clone()))
        }
        r => r,
    }
}

/// One `send` into an awaitable's iterator, as a method call would do it.
fn send_step(vm: &mut Vm, aw: &Value, v: Value) -> PyResult<Value> {
    match ops::send(vm, aw, v)? {
        (y, true) => Ok(y),
        (r, false) => Err(vm.stop_iteration(r)),
    }
}

fn anext_send_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "send", a, 1, 1)?;
    let o = anext_of(vm, s)?;
    anext_proxy(vm, o, "send", r)
}

fn anext_next_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__next__", a, 0, 0)?;
    let o = anext_of(vm, s)?;
    anext_proxy(vm, o, "send", &[Value::none()])
}

fn anext_throw_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "throw", a, 1, 3)?;
    let o = anext_of(vm, s)?;
    anext_proxy(vm, o, "throw", r)
}

fn anext_close_m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "close", a, 0, 0)?;
    let o = anext_of(vm, s)?;
    anext_proxy(vm, o, "close", &[])
}

// ---- the interpreter's fast paths --------------------------------------------------------

/// Is `v` one of this module's awaitables (each its own iterator)?
pub fn is_awaitable_iter(v: &Value) -> bool {
    let t = v.type_raw();
    let ts = types();
    t == ts.async_generator_asend
        || t == ts.async_generator_athrow
        || t == ts.anext_awaitable
        || t == ts.coroutine_wrapper
}

/// SEND into one of this module's awaitables without a method lookup: Some((value,
/// true)) when it yields, Some((result, false)) when the await is over; None for other
/// objects. `v` NULL means `__next__`.
pub fn send(vm: &mut Vm, recv: &Value, v: Value) -> Option<PyResult<(Value, bool)>> {
    let r = if let Some(o) = recv.downcast_exact::<AsyncGenASend>() {
        return Some(asend_send(vm, o, v));
    } else if let Some(o) = recv.downcast_exact::<AsyncGenAThrow>() {
        let v = if v.is_null() { Value::none() } else { v };
        athrow_send(vm, o, v)
    } else if let Some(o) = recv.downcast_exact::<ANextAwaitable>() {
        let v = if v.is_null() { Value::none() } else { v };
        anext_proxy(vm, o, "send", &[v])
    } else if let Some(w) = recv.downcast_exact::<crate::types::coro_wrapper::CoroWrapper>() {
        let v = if v.is_null() { Value::none() } else { v };
        let coro = w.coro.clone();
        return Some(vm.gen_resume(&coro, v, None));
    } else {
        return None;
    };
    Some(match r {
        Ok(y) => Ok((y, true)),
        Err(e) if vm.err_matches(&e, types().stop_iteration) => {
            Ok((generators::stop_value(&e), false))
        }
        Err(e) => Err(e),
    })
}

// ---- aiter() and anext() ------------------------------------------------------------------

/// `aiter(async_iterable)`.
pub fn builtin_aiter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "aiter", a, 1, 1)?;
    let obj = &p[0];
    if !has_aiter(obj) {
        let tn = type_name(obj);
        return Err(vm.type_error(format!("'{tn}' object is not an async iterable")));
    }
    let it = match crate::vm::lookup_special(obj, "__aiter__") {
        Some(f) if obj.type_raw() != types().async_generator => {
            vm.call(&f, std::slice::from_ref(obj))?
        }
        _ => obj.clone(),
    };
    if !has_anext(&it) {
        let tn = type_name(&it);
        return Err(vm.type_error(format!(
            "aiter() returned not an async iterator of type '{tn}'"
        )));
    }
    Ok(it)
}

fn has_aiter(v: &Value) -> bool {
    v.type_raw() == types().async_generator || crate::vm::lookup_special(v, "__aiter__").is_some()
}

fn has_anext(v: &Value) -> bool {
    v.type_raw() == types().async_generator || crate::vm::lookup_special(v, "__anext__").is_some()
}

/// `anext(async_iterator[, default])`.
pub fn builtin_anext(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "anext", a, 1, 2)?;
    let it = &p[0];
    if !has_anext(it) {
        let tn = type_name(it);
        return Err(vm.type_error(format!("'{tn}' object is not an async iterator")));
    }
    let aw = match crate::vm::lookup_special(it, "__anext__") {
        Some(f) if it.type_raw() != types().async_generator => {
            vm.call(&f, std::slice::from_ref(it))?
        }
        _ => anext(vm, it)?,
    };
    let Some(default) = p.get(1) else {
        return Ok(aw);
    };
    Ok(Value::alloc_with_type(
        &Value::from_borrowed(types().anext_awaitable),
        ANextAwaitable {
            wrapped: aw,
            default: default.clone(),
        },
    ))
}

// ---- finalization -------------------------------------------------------------------------

/// A dropped async generator with a finalizer hook: call the hook with it (asyncio
/// schedules its `aclose()`), once. False when the generator is to be closed the
/// ordinary way instead.
pub fn finalize_with_hook(vm: &mut Vm, g: &Value) -> bool {
    let Some(go) = gen_payload(g) else {
        return false;
    };
    if go.kind != GenKind::AsyncGenerator || go.ag_flag(AG_FINALIZED) || go.ag_flag(AG_CLOSED) {
        return false;
    }
    let fin = go.ag_finalizer.with(|f| std::mem::replace(f, Value::NULL));
    if fin.is_null() {
        return false;
    }
    go.set_ag_flag(AG_FINALIZED, true);
    if let Err(e) = vm.call(&fin, std::slice::from_ref(g)) {
        report_unraisable(vm, g, &e);
    }
    true
}

// ---- sys.set_asyncgen_hooks / sys.get_asyncgen_hooks ---------------------------------------

/// `sys.set_asyncgen_hooks([firstiter] [, finalizer])`: this thread's hooks; an
/// argument left out keeps its hook, None removes it.
pub fn set_asyncgen_hooks(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let pos = a.pos();
    if pos.len() > 2 {
        return Err(vm.type_error(format!(
            "function takes at most 2 arguments ({} given)",
            pos.len() + a.kwnames.len()
        )));
    }
    let mut firstiter = pos.first().cloned();
    let mut finalizer = pos.get(1).cloned();
    let kwvals = &a.args[pos.len()..];
    for (k, v) in a.kwnames.iter().zip(kwvals) {
        let name = crate::types::str::as_str(k).unwrap_or("");
        let slot = match name {
            "firstiter" => &mut firstiter,
            "finalizer" => &mut finalizer,
            _ => {
                return Err(vm.type_error(format!(
                    "'{name}' is an invalid keyword argument for this function"
                )));
            }
        };
        if slot.is_some() {
            let pos_n = if name == "firstiter" { 1 } else { 2 };
            return Err(vm.type_error(format!(
                "argument for function given by name ('{name}') and position ({pos_n})"
            )));
        }
        *slot = Some(v.clone());
    }
    // The finalizer is checked and set first, as in CPython.
    for (what, v) in [("finalizer", finalizer), ("firstiter", firstiter)] {
        let Some(v) = v else { continue };
        let new = if v.is_none() {
            Value::NULL
        } else if crate::ops::callable(&v) {
            v
        } else {
            let tn = type_name(&v);
            return Err(vm.type_error(format!("callable {what} expected, got {tn}")));
        };
        if what == "finalizer" {
            vm.asyncgen_hooks.1 = new;
        } else {
            vm.asyncgen_hooks.0 = new;
        }
    }
    Ok(Value::none())
}

/// `sys.get_asyncgen_hooks()`: `asyncgen_hooks(firstiter=..., finalizer=...)`, a tuple
/// with named fields (a struct sequence in CPython).
pub fn get_asyncgen_hooks(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "get_asyncgen_hooks", a, 0, 0)?;
    let none_if_null = |v: &Value| {
        if v.is_null() {
            Value::none()
        } else {
            v.clone()
        }
    };
    let (fi, fin) = (
        none_if_null(&vm.asyncgen_hooks.0),
        none_if_null(&vm.asyncgen_hooks.1),
    );
    let cls = hooks_type(vm)?;
    vm.call(&cls, &[TupleObj::from_items([fi, fin])])
}

/// The `asyncgen_hooks` class: made on first use, as a Python subclass of tuple; the
/// static owns one reference (0 when not made), released at shutdown.
static HOOKS_TYPE: AtomicU64 = AtomicU64::new(0);

/// At shutdown: drop the hooks class and this thread's hooks, so the live-object count
/// ends where it started.
pub fn release_held(vm: &mut Vm) {
    vm.asyncgen_hooks = (Value::NULL, Value::NULL);
    let raw = HOOKS_TYPE.swap(0, Ordering::AcqRel);
    if raw != 0 {
        // SAFETY: the static owned one reference to the class.
        drop(unsafe { Value::from_raw(RawValue(raw)) });
    }
}

fn hooks_type(vm: &mut Vm) -> PyResult<Value> {
    let raw = HOOKS_TYPE.load(Ordering::Acquire);
    if raw != 0 {
        return Ok(Value::from_borrowed(RawValue(raw)));
    }
    let ns = DictObj::new_value();
    let property = Value::from_borrowed(types().property);
    let first = vm.call(&property, &[new_builtin("firstiter", hooks_firstiter)])?;
    let fin = vm.call(&property, &[new_builtin("finalizer", hooks_finalizer)])?;
    if let Some(d) = ns.downcast::<DictObj>() {
        d.set_str("__module__", new_str("sys"));
        d.set_str("__slots__", TupleObj::from_items([]));
        d.set_str("firstiter", first);
        d.set_str("finalizer", fin);
        // A method: a plain builtin function in a class is called without the instance.
        let repr = crate::types::func::BuiltinFuncObj {
            name: "__repr__",
            f: hooks_repr,
            self_: Value::NULL,
            owner: "asyncgen_hooks",
            is_method: true,
            objclass: Value::NULL,
        };
        d.set_str("__repr__", Value::alloc(repr));
    }
    let bases = TupleObj::from_items([Value::from_borrowed(types().tuple)]);
    let ty = Value::from_borrowed(types().type_);
    let cls = vm.call(&ty, &[new_str("asyncgen_hooks"), bases, ns])?;
    match HOOKS_TYPE.compare_exchange(0, cls.raw().0, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => {
            let r = cls.clone();
            let _ = cls.into_raw(); // the static's reference
            Ok(r)
        }
        // Another thread made it first: use that one.
        Err(other) => Ok(Value::from_borrowed(RawValue(other))),
    }
}

fn hooks_item(vm: &mut Vm, a: &Args, i: usize) -> PyResult<Value> {
    let p = posargs(vm, "asyncgen_hooks", a, 1, 1)?;
    match p[0].downcast::<TupleObj>() {
        Some(t) if t.items.len() == 2 => Ok(t.items[i].clone()),
        _ => Err(vm.type_error("descriptor requires an 'asyncgen_hooks' object")),
    }
}

fn hooks_firstiter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    hooks_item(vm, a, 0)
}

fn hooks_finalizer(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    hooks_item(vm, a, 1)
}

fn hooks_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let fi = hooks_item(vm, a, 0)?;
    let fin = hooks_item(vm, a, 1)?;
    let (fi, fin) = (ops::repr(vm, &fi)?, ops::repr(vm, &fin)?);
    Ok(new_str(&format!(
        "asyncgen_hooks(firstiter={fi}, finalizer={fin})"
    )))
}
