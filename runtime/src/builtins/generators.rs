//! Generator and coroutine methods: send, throw, close (passed on to the object a
//! `yield from`/`await` waits on, as CPython does); their attributes; and closing
//! generators that were dropped while suspended inside a `try`/`with` (CPython runs
//! their `finally` blocks when they are garbage).
use std::cell::RefCell;

use stitch_stencils::frame::FrameHeader;

use super::{add_method, method_args, type_name};
use crate::compile::codegen::YIELD_DELEGATED;
use crate::instructions::Op;
use crate::ops;
use crate::types::generator::{GenKind, GenObj, GenState, gen_payload};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    for ty in [t.generator, t.coroutine] {
        add_method(ty, "send", gen_send);
        add_method(ty, "throw", gen_throw);
        add_method(ty, "close", gen_close);
    }
    // Coroutines are not iterators: they are awaited (`__await__`, builtins/coroutines.rs).
    add_method(t.generator, "__next__", gen_next);
    add_method(t.generator, "__iter__", gen_iter);
}

fn gen_arg<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a GenObj> {
    ops::gen_of(v).ok_or_else(|| vm.type_error("descriptor requires a 'generator' object"))
}

pub fn finish(vm: &mut Vm, r: PyResult<(Value, bool)>) -> PyResult<Value> {
    match r {
        Ok((v, true)) => Ok(v),
        Ok((v, false)) => Err(vm.stop_iteration(v)),
        Err(e) => Err(e),
    }
}

fn gen_send(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, r) = method_args(vm, "send", a, 1, 1)?;
    gen_arg(vm, g)?;
    let r = vm.gen_resume(g, r[0].clone(), None);
    finish(vm, r)
}

fn gen_next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, _) = method_args(vm, "__next__", a, 0, 0)?;
    gen_arg(vm, g)?;
    let r = vm.gen_resume(g, Value::none(), None);
    finish(vm, r)
}

fn gen_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, _) = method_args(vm, "__iter__", a, 0, 0)?;
    Ok(g.clone())
}

fn gen_throw(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, r) = method_args(vm, "throw", a, 1, 3)?;
    gen_arg(vm, g)?;
    let exc = throw_exception(vm, r)?;
    let r = throw(vm, g, exc, true);
    finish(vm, r)
}

/// The exception `throw(typ[, val[, tb]])` raises (3.11's three-argument form).
pub fn throw_exception(vm: &mut Vm, args: &[Value]) -> PyResult<Value> {
    let typ = &args[0];
    let val = args.get(1).filter(|v| !v.is_none());
    if let Some(tb) = args.get(2).filter(|v| !v.is_none())
        && tb.type_data().name != "traceback"
    {
        return Err(vm.type_error("throw() third argument must be a traceback object"));
    }
    if ops::is_exception_class(typ) {
        // As CPython's `PyErr_NormalizeException`: when making the instance fails,
        // the error it raised is what gets thrown.
        let inst = match val {
            Some(v) if ops::is_exception_instance(v) && v.type_data().is_subtype_raw(typ.raw()) => {
                return Ok(v.clone());
            }
            Some(v) => match v.downcast::<TupleObj>() {
                Some(t) => {
                    let items = t.items.to_vec();
                    vm.call(typ, &items)
                }
                None => vm.call(typ, std::slice::from_ref(v)),
            },
            None => vm.call(typ, &[]),
        };
        let inst = match inst {
            Ok(i) => i,
            Err(e) => return Ok(e.exc),
        };
        if !ops::is_exception_instance(&inst) {
            let tn = type_name(&inst);
            let what = ops::repr(vm, typ)?;
            return Ok(vm
                .type_error(format!(
                    "calling {what} should have returned an instance of BaseException, not {tn}"
                ))
                .exc);
        }
        return Ok(inst);
    }
    if ops::is_exception_instance(typ) {
        if val.is_some() {
            return Err(vm.type_error("instance exception may not have a separate value"));
        }
        return Ok(typ.clone());
    }
    let tn = type_name(typ);
    Err(vm.type_error(format!(
        "exceptions must be classes or instances deriving from BaseException, not {tn}"
    )))
}

/// The object a generator suspended in a `yield from`/`await` loop is waiting on,
/// and the instruction past that loop (SEND's target).
pub fn delegate(go: &GenObj) -> Option<(Value, u32)> {
    if go.state() != GenState::Suspended {
        return None;
    }
    let f = go.frame_ptr();
    // SAFETY: a suspended generator's frame is initialised and not running; slots
    // below its stack top hold owned values.
    unsafe {
        let co = crate::frame::frame_code(f);
        let instr = (*f).instr as usize;
        if instr < 2 {
            return None;
        }
        let (y, send) = (co.code[instr - 1], co.code[instr - 2]);
        if Op::from_u8(y as u8) != Some(Op::YIELD_VALUE)
            || y >> 8 != YIELD_DELEGATED
            || Op::from_u8(send as u8) != Some(Op::SEND)
        {
            return None;
        }
        let lp = FrameHeader::localsplus(f) as *const Value;
        let top = (*f).stack_top as usize;
        Some(((*lp.add(top - 1)).clone(), send >> 8))
    }
}

/// Run `body` with the generator marked running (as CPython does while it works on
/// the generator's delegate), so resuming the generator meanwhile is an error.
fn while_running<T>(
    vm: &mut Vm,
    go: &GenObj,
    body: impl FnOnce(&mut Vm) -> PyResult<T>,
) -> PyResult<T> {
    if !go.claim(GenState::Suspended) {
        return Err(vm.value_error(format!("{} already executing", go.kind.noun())));
    }
    let r = body(vm);
    go.set_state(GenState::Suspended);
    r
}

/// Throw `exc` into a generator, coroutine or async generator (CPython's
/// `_gen_throw`): a generator waiting in `yield from`/`await` passes it to what it
/// waits on first (closing that instead for GeneratorExit when `close_on_genexit`;
/// async generators' `aclose` let their delegate see the GeneratorExit).
pub fn throw(
    vm: &mut Vm,
    g: &Value,
    exc: Value,
    close_on_genexit: bool,
) -> PyResult<(Value, bool)> {
    let Some(go) = gen_payload(g) else {
        return Err(PyErr { exc });
    };
    if go.claim(GenState::Created) {
        // Throwing into an unstarted generator raises at its first line.
        go.set_state(GenState::Finished);
        // SAFETY: the generator owns its never-run frame, claimed just now.
        unsafe { crate::frame::clear_frame(go.frame_ptr()) };
        return Err(PyErr { exc });
    }
    let Some((yf, exit)) = delegate(go) else {
        return vm.gen_resume(g, Value::none(), Some(exc));
    };
    if close_on_genexit && exc.type_data().is_subtype_raw(types().generator_exit) {
        return match while_running(vm, go, |vm| close_iter(vm, &yf)) {
            Ok(()) => vm.gen_resume(g, Value::none(), Some(exc)),
            Err(e) => vm.gen_resume(g, Value::none(), Some(e.exc)),
        };
    }
    let sub_gen = gen_payload(&yf).is_some_and(|s| s.kind != GenKind::AsyncGenerator);
    let meth = if sub_gen {
        Value::NULL
    } else {
        match ops::getattr_opt(vm, &yf, "throw")? {
            Some(m) => m,
            None => return vm.gen_resume(g, Value::none(), Some(exc)),
        }
    };
    let r = while_running(vm, go, |vm| {
        if sub_gen {
            // As CPython: the delegating frame is linked as the current one while the
            // exception goes into the delegate, so its frames see it as their caller.
            let f = go.frame_ptr();
            let prev = vm.frame;
            // SAFETY: the generator's frame is initialised and claimed by this thread
            // (while_running); it is unlinked again before anything else runs it.
            unsafe { (*f).previous = prev };
            vm.frame = f;
            let r = throw(vm, &yf, exc, close_on_genexit);
            vm.frame = prev;
            // SAFETY: as above.
            unsafe { (*f).previous = std::ptr::null_mut() };
            r
        } else {
            vm.call(&meth, &[exc]).map(|v| (v, true))
        }
    });
    let r = match r {
        Ok((v, true)) => return Ok((v, true)),
        Ok((v, false)) => Ok(v),
        Err(e) if vm.err_matches(&e, types().stop_iteration) => Ok(stop_value(&e)),
        Err(e) => Err(e),
    };
    if go.state() != GenState::Suspended || !go.claim(GenState::Suspended) {
        return Err(vm.value_error(format!("{} already executing", go.kind.noun())));
    }
    // The delegate is done: drop it and continue past the SEND loop, as its SEND
    // would have on return.
    let f = go.frame_ptr();
    // SAFETY: the frame is claimed by this thread; its top slot holds the delegate.
    unsafe {
        let lp = FrameHeader::localsplus(f) as *mut Value;
        (*f).stack_top -= 1;
        drop(lp.add((*f).stack_top as usize).read());
        (*f).instr = exit;
    }
    go.set_state(GenState::Suspended);
    match r {
        Ok(v) => vm.gen_resume(g, v, None),
        Err(e) => vm.gen_resume(g, Value::none(), Some(e.exc)),
    }
}

/// StopIteration's value (None when it has none).
pub fn stop_value(e: &PyErr) -> Value {
    let v = crate::vm::exc_data(&e.exc)
        .map(|d| d.with(|d| d.value.clone()))
        .unwrap_or(Value::NULL);
    if v.is_null() { Value::none() } else { v }
}

/// Close what a generator delegates to: `close()` for generators and coroutines,
/// its `close` method (if any) for anything else.
fn close_iter(vm: &mut Vm, yf: &Value) -> PyResult<()> {
    if gen_payload(yf).is_some_and(|s| s.kind != GenKind::AsyncGenerator) {
        return close(vm, yf);
    }
    if let Some(m) = ops::getattr_opt(vm, yf, "close")? {
        vm.call(&m, &[])?;
    }
    Ok(())
}

/// `close()`: raise GeneratorExit inside it (after closing what it delegates to).
pub fn close(vm: &mut Vm, g: &Value) -> PyResult<()> {
    let Some(go) = gen_payload(g) else {
        return Ok(());
    };
    if go.state() == GenState::Finished {
        return Ok(());
    }
    if go.claim(GenState::Created) {
        go.set_state(GenState::Finished);
        // SAFETY: the generator owns its never-run frame, claimed just now.
        unsafe { crate::frame::clear_frame(go.frame_ptr()) };
        return Ok(());
    }
    let mut exc = Value::NULL;
    if let Some((yf, _)) = delegate(go)
        && let Err(e) = while_running(vm, go, |vm| close_iter(vm, &yf))
    {
        exc = e.exc;
    }
    if exc.is_null() {
        exc = vm.new_exception(types().generator_exit, vec![]);
    }
    match vm.gen_resume(g, Value::none(), Some(exc)) {
        Ok((_, true)) => {
            let noun = go.kind.noun();
            Err(vm.runtime_error(format!("{noun} ignored GeneratorExit")))
        }
        Ok((_, false)) => Ok(()),
        Err(e)
            if vm.err_matches(&e, types().generator_exit)
                || vm.err_matches(&e, types().stop_iteration) =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

fn gen_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (g, _) = method_args(vm, "close", a, 0, 0)?;
    close(vm, g)?;
    Ok(Value::none())
}

/// The attributes of generators, coroutines and async generators (`gi_*`, `cr_*`,
/// `ag_*` by kind), or None.
pub fn attr(vm: &mut Vm, go: &GenObj, n: &str) -> PyResult<Option<Value>> {
    if n == "__name__" {
        return Ok(Some(go.name.read(Value::clone)));
    }
    if n == "__qualname__" {
        return Ok(Some(go.qualname.read(Value::clone)));
    }
    let prefix = match go.kind {
        GenKind::Generator => "gi_",
        GenKind::Coroutine => "cr_",
        GenKind::AsyncGenerator => "ag_",
    };
    let Some(field) = n.strip_prefix(prefix) else {
        return Ok(None);
    };
    let running = go.state() == GenState::Running;
    Ok(match (go.kind, field) {
        // `ag_running` is whether an awaitable of the generator is in progress.
        (GenKind::AsyncGenerator, "running") => Some(Value::bool(
            go.ag_flag(crate::types::generator::AG_RUNNING_ASYNC),
        )),
        (_, "running") => Some(Value::bool(running)),
        (_, "code") => Some(go.code.clone()),
        (_, "frame") => Some(if frame_readable(vm, go) {
            // SAFETY: frame_readable: initialised, and either linked to nothing
            // (not running) or running in this thread's chain of live frames.
            unsafe { crate::types::frame::frame_object(go.frame_ptr()) }
        } else {
            Value::none()
        }),
        (GenKind::Generator, "yieldfrom") | (GenKind::Coroutine, "await") => {
            Some(delegate(go).map(|(v, _)| v).unwrap_or_else(Value::none))
        }
        (GenKind::AsyncGenerator, "await") => {
            Some(delegate(go).map(|(v, _)| v).unwrap_or_else(Value::none))
        }
        (GenKind::Generator, "suspended") | (GenKind::Coroutine, "suspended") => {
            Some(Value::bool(go.state() == GenState::Suspended))
        }
        (GenKind::Coroutine, "origin") => Some(go.origin.read(|o| {
            if o.is_null() {
                Value::none()
            } else {
                o.clone()
            }
        })),
        _ => None,
    })
}

/// Can this thread snapshot the generator's frame: unfinished, and if running, then
/// running here (a frame another thread is running is not ours to read).
fn frame_readable(vm: &Vm, go: &GenObj) -> bool {
    match go.state() {
        GenState::Finished => false,
        GenState::Created | GenState::Suspended => true,
        GenState::Running => {
            let target = go.frame_ptr();
            let mut f = vm.frame;
            while !f.is_null() {
                if f == target {
                    return true;
                }
                // SAFETY: frames in this thread's chain are live.
                f = unsafe { (*f).previous };
            }
            false
        }
    }
}

thread_local! {
    /// Generators dropped while suspended in a try/with block, waiting to be closed.
    static PENDING: RefCell<Vec<Value>> = const { RefCell::new(Vec::new()) };
    static HAS_PENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Queue a generator (rebuilt around a dying generator's frame) for closing.
/// Returns the generator back when the thread is exiting and nothing can run it.
pub fn defer_close(g: Value) -> Result<(), Value> {
    let mut g = Some(g);
    let _ = PENDING.try_with(|p| {
        if let (Ok(mut list), Some(v)) = (p.try_borrow_mut(), g.take()) {
            list.push(v);
        }
    });
    if let Some(v) = g {
        return Err(v);
    }
    HAS_PENDING.with(|h| h.set(true));
    Ok(())
}

#[inline(always)]
pub fn has_pending() -> bool {
    HAS_PENDING.with(|h| h.get())
}

/// Other work for the next safe point was queued (finalizers, `crate::finalize`).
pub fn note_pending() {
    let _ = HAS_PENDING.try_with(|h| h.set(true));
}

/// Close every queued generator, reporting errors as CPython's "Exception ignored",
/// and run queued finalizers.
pub fn run_pending(vm: &mut Vm) {
    crate::gc::auto::run_if_requested(vm);
    while has_pending() {
        let list = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
        HAS_PENDING.with(|h| h.set(false));
        crate::finalize::run_queued(vm);
        for g in list {
            if super::async_generators::finalize_with_hook(vm, &g) {
                continue;
            }
            if let Err(e) = close(vm, &g) {
                report_unraisable(vm, &g, &e);
            }
        }
    }
}

/// An error no caller can receive: to `sys.unraisablehook` ("Exception ignored in").
pub fn report_unraisable(vm: &mut Vm, obj: &Value, e: &PyErr) {
    crate::modules::unraisable::write(vm, e, None, obj);
}
