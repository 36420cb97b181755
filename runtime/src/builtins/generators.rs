//! Generator and coroutine methods: send, throw, close; and closing generators that
//! were dropped while suspended inside a `try`/`with` (CPython runs their `finally`
//! blocks when they are garbage).
use std::cell::RefCell;

use super::{add_method, method_args};
use crate::ops;
use crate::types::generator::{GenObj, GenState};
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    for ty in [t.generator, t.coroutine] {
        add_method(ty, "send", gen_send);
        add_method(ty, "throw", gen_throw);
        add_method(ty, "close", gen_close);
        add_method(ty, "__next__", gen_next);
        add_method(ty, "__iter__", gen_iter);
    }
}

fn gen_arg<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a GenObj> {
    ops::gen_of(v).ok_or_else(|| vm.type_error("descriptor requires a 'generator' object"))
}

fn finish(vm: &mut Vm, r: PyResult<(Value, bool)>) -> PyResult<Value> {
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
    let go = gen_arg(vm, g)?;
    let exc = ops::make_exception(vm, &r[0])?;
    if go.state() == GenState::Created {
        // Throwing into an unstarted generator raises at its first line.
        go.set_state(GenState::Finished);
        // SAFETY: the generator owns its never-run frame.
        unsafe { crate::frame::clear_frame(go.frame_ptr()) };
        return Err(PyErr { exc });
    }
    let r = vm.gen_resume(g, Value::none(), Some(exc));
    finish(vm, r)
}

/// `generator.close()`: raise GeneratorExit inside it.
pub fn close(vm: &mut Vm, g: &Value) -> PyResult<()> {
    let Some(go) = ops::gen_of(g) else {
        return Ok(());
    };
    match go.state() {
        GenState::Finished => return Ok(()),
        GenState::Created => {
            go.set_state(GenState::Finished);
            // SAFETY: the generator owns its never-run frame.
            unsafe { crate::frame::clear_frame(go.frame_ptr()) };
            return Ok(());
        }
        _ => {}
    }
    let exc = vm.new_exception(types().generator_exit, vec![]);
    match vm.gen_resume(g, Value::none(), Some(exc)) {
        Ok((_, true)) => Err(vm.runtime_error("generator ignored GeneratorExit")),
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
    while has_pending() {
        let list = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
        HAS_PENDING.with(|h| h.set(false));
        crate::finalize::run_queued(vm);
        for g in list {
            if let Err(e) = close(vm, &g) {
                vm.flush_stdout();
                let what = ops::repr(vm, &g).unwrap_or_default();
                let text = crate::traceback::format_exception(vm, &e.exc);
                eprint!("Exception ignored in: {what}\n{text}");
            }
        }
    }
}
