//! `_asyncio.Task`: a Future driving a coroutine. Each step (`task_step`) sends into the
//! coroutine (or throws into it) and looks at what it yielded: a future to wait for
//! (the task's wakeup goes on its done-callbacks), a bare `yield` (step again soon),
//! or something wrong (the next step throws a RuntimeError in). Steps are scheduled
//! with `loop.call_soon(step, context=task_context)` exactly as `asyncio.tasks.Task`
//! does, so event loops written in Python drive native tasks unchanged.
//!
//! The scheduled callables are native: `TaskStepMethWrapper` (a step, with the
//! exception to throw in, if any) and a bound builtin `task_wakeup` (the done-callback
//! put on awaited futures), as in CPython.
use std::sync::atomic::{AtomicU64, Ordering};

use super::future::{self, FutState, FutureObj, Outcome, fut};
use super::{call_method, call_soon, state};
use crate::modules::kwonly;
use crate::modules::native_args::{self, receiver};
use crate::object::ObjCell;
use crate::types::func::BuiltinFuncObj;
use crate::types::native::NativeType;
use crate::types::str::new_string;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// The Task type's cell (it shares `FutureObj` with Future, whose cell is the payload's).
static TASK: AtomicU64 = AtomicU64::new(0);

pub static TASK_T: NativeType = NativeType {
    new: Some(future::future_new),
    has_init: true,
    dict_offset: std::mem::offset_of!(FutureObj, dict),
    weakrefable: true,
    ..NativeType::of::<FutureObj>()
};

pub fn cell() -> &'static AtomicU64 {
    &TASK
}

pub fn task_class() -> stitch_stencils::value::RawValue {
    stitch_stencils::value::RawValue(TASK.load(Ordering::Relaxed))
}

/// CPython's `task_name_counter`: "Task-N" names.
static NAME_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Is `v` a Task (exact or a Python subclass)?
fn is_task(v: &Value) -> bool {
    v.is_ptr() && v.type_data().is_subtype_raw(task_class())
}

fn this<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
) -> PyResult<(&'a Value, &'a FutureObj, Args<'a>)> {
    let (s, rest) = receiver(vm, name, a)?;
    match fut(s) {
        Some(f) if is_task(s) => Ok((s, f, rest)),
        _ => Err(vm.type_error(format!(
            "descriptor '{name}' for '_asyncio.Task' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

/// `is_coroutine`: exact coroutines at once, anything else through
/// `asyncio.coroutines.iscoroutine`.
fn is_coroutine(vm: &mut Vm, coro: &Value) -> PyResult<bool> {
    if coro.type_raw() == types().coroutine {
        return Ok(true);
    }
    let r = vm.call(&state().iscoroutine, std::slice::from_ref(coro))?;
    crate::ops::truthy(vm, &r)
}

/// `Task.__init__(self, coro, *, loop=None, name=None, context=None)`.
fn task_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, f, rest) = this(vm, "__init__", a)?;
    let b = kwonly::bind(
        vm,
        "Task",
        &rest,
        &["coro", "loop", "name", "context"],
        0,
        1,
    )?;
    let Some(coro) = b[0] else {
        return Err(vm.type_error("Task() missing required argument 'coro' (pos 1)"));
    };
    future::init(vm, f, b[1])?;
    if !is_coroutine(vm, coro)? {
        f.st.with(|st| st.log_destroy_pending = false);
        let r = crate::ops::repr(vm, coro)?;
        return Err(vm.type_error(format!("a coroutine was expected, got {r}")));
    }
    let context = match b[3] {
        Some(c) if !c.is_none() => c.clone(),
        _ => crate::modules::contextvars::copy_current(vm),
    };
    let name = match b[2] {
        Some(n) if !n.is_none() => {
            if n.type_raw() == types().str {
                n.clone()
            } else {
                crate::ops::str_value(vm, n)?
            }
        }
        _ => {
            let n = NAME_COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
            new_string(format!("Task-{n}"))
        }
    };
    let old = f.st.with(|st| {
        st.must_cancel = false;
        st.log_destroy_pending = true;
        st.num_cancels_requested = 0;
        (
            std::mem::replace(&mut st.context, context),
            std::mem::replace(&mut st.fut_waiter, Value::NULL),
            std::mem::replace(&mut st.coro, coro.clone()),
            std::mem::replace(&mut st.name, name),
        )
    });
    drop(old);
    future::want_finalizer(s);
    call_step_soon(vm, s, f, Value::NULL)?;
    let st = state();
    call_method(vm, &st.all_tasks, &st.s_add, std::slice::from_ref(s))?;
    Ok(Value::none())
}

/// `task_call_step_soon`: `loop.call_soon(TaskStepMethWrapper(task, exc), context=ctx)`.
fn call_step_soon(vm: &mut Vm, task: &Value, f: &FutureObj, exc: Value) -> PyResult<()> {
    let (l, ctx) = f.st.read(|s| (s.loop_.clone(), s.context.clone()));
    let cb = Value::alloc(StepWrapper {
        task: ObjCell::new(task.clone()),
        arg: ObjCell::new(exc),
    });
    call_soon(vm, &l, cb, None, &ctx)
}

/// `task_set_error_soon`: the next step throws a RuntimeError with `msg` in.
fn set_error_soon(vm: &mut Vm, task: &Value, f: &FutureObj, msg: String) -> PyResult<()> {
    let e = vm.runtime_error(msg).exc;
    call_step_soon(vm, task, f, e)
}

fn repr_of(vm: &mut Vm, v: &Value) -> PyResult<String> {
    crate::ops::repr(vm, v)
}

/// `enter_task(loop, task)` on `_current_tasks`.
pub fn enter_task(vm: &mut Vm, l: &Value, task: &Value) -> PyResult<()> {
    let st = state();
    let d = super::current_tasks_dict(&st.current_tasks);
    if let Some(cur) = d.get(vm, l)? {
        let t = repr_of(vm, task)?;
        let c = repr_of(vm, &cur)?;
        return Err(vm.runtime_error(format!(
            "Cannot enter into task {t} while another task {c} is being executed."
        )));
    }
    d.set(vm, l.clone(), task.clone())
}

/// `leave_task(loop, task)` on `_current_tasks`.
pub fn leave_task(vm: &mut Vm, l: &Value, task: &Value) -> PyResult<()> {
    let st = state();
    let d = super::current_tasks_dict(&st.current_tasks);
    let cur = d.get(vm, l)?;
    if cur.as_ref().map(|c| c.raw()) != Some(task.raw()) {
        let t = repr_of(vm, task)?;
        let c = match cur {
            Some(c) => repr_of(vm, &c)?,
            None => "None".to_string(),
        };
        return Err(vm.runtime_error(format!(
            "Leaving task {t} does not match the current task {c}."
        )));
    }
    d.remove(vm, l)?;
    Ok(())
}

/// `task_step`: enter the task, step it, leave it (a leave error chains after a step
/// error, as CPython's `_PyErr_ChainExceptions`).
pub fn step(vm: &mut Vm, task: &Value, exc: Value) -> PyResult<Value> {
    let Some(f) = fut(task) else {
        return Err(vm.type_error("a Task was expected"));
    };
    let l = f.st.read(|s| s.loop_.clone());
    enter_task(vm, &l, task)?;
    let r = step_impl(vm, task, f, exc);
    let left = leave_task(vm, &l, task);
    match (r, left) {
        (Ok(v), Ok(())) => Ok(v),
        (Ok(_), Err(e)) => Err(e),
        (Err(e), Ok(())) => Err(e),
        (Err(e), Err(e2)) => {
            if let Some(d) = crate::vm::exc_data(&e2.exc) {
                let old = d.with(|d| std::mem::replace(&mut d.context, e.exc.clone()));
                drop(old);
            }
            Err(e2)
        }
    }
}

/// How the coroutine came back from one send/throw.
enum Sent {
    Yielded(Value),
    Returned(Value),
}

fn send_into(vm: &mut Vm, coro: &Value, exc: Value) -> PyResult<Sent> {
    let r = if exc.is_null() {
        if crate::ops::is_generator(coro) {
            vm.gen_resume(coro, Value::none(), None)
        } else {
            // `coro.send(None)`, as the Python Task (coroutine-like objects need not
            // be iterators).
            let st = state();
            match call_method(vm, coro, &st.s_send, &[Value::none()]) {
                Ok(v) => Ok((v, true)),
                Err(e) if vm.err_matches(&e, types().stop_iteration) => {
                    Ok((crate::builtins::generators::stop_value(&e), false))
                }
                Err(e) => Err(e),
            }
        }
    } else if crate::ops::is_generator(coro) {
        crate::builtins::generators::throw(vm, coro, exc, true)
    } else {
        let st = state();
        match call_method(vm, coro, &st.s_throw, &[exc]) {
            Ok(v) => Ok((v, true)),
            Err(e) if vm.err_matches(&e, types().stop_iteration) => {
                Ok((crate::builtins::generators::stop_value(&e), false))
            }
            Err(e) => Err(e),
        }
    };
    r.map(|(v, yielded)| {
        if yielded {
            Sent::Yielded(v)
        } else {
            Sent::Returned(v)
        }
    })
}

fn step_impl(vm: &mut Vm, task: &Value, f: &FutureObj, exc: Value) -> PyResult<Value> {
    let st = state();
    if f.st.read(|s| s.state != FutState::Pending) {
        let t = repr_of(vm, task)?;
        let e = if exc.is_null() {
            "None".to_string()
        } else {
            repr_of(vm, &exc)?
        };
        return Err(future::invalid_state(
            vm,
            &format!("_step(): already done: {t} {e}"),
        ));
    }
    let mut exc = exc;
    if f.st.read(|s| s.must_cancel) {
        let is_cancel = !exc.is_null() && exc.type_data().is_subtype_raw(st.cancelled_error.raw());
        if !is_cancel {
            exc = future::make_cancelled_error(vm, f)?;
        }
        f.st.with(|s| s.must_cancel = false);
    }
    let (coro, old_waiter) = f.st.with(|s| {
        (
            s.coro.clone(),
            std::mem::replace(&mut s.fut_waiter, Value::NULL),
        )
    });
    drop(old_waiter);

    let sent = send_into(vm, &coro, exc);
    drop(coro);
    let result = match sent {
        Ok(Sent::Returned(v)) => {
            let (must, msg) = f.st.with(|s| {
                let m = s.must_cancel;
                s.must_cancel = false;
                (m, s.cancel_msg.clone())
            });
            if must {
                // The task was cancelled right before the coroutine returned.
                future::cancel(vm, task, f, msg)?;
            } else {
                future::set_result(vm, task, f, v)?;
            }
            return Ok(Value::none());
        }
        Err(e) => {
            if e.exc.type_data().is_subtype_raw(st.cancelled_error.raw()) {
                let old =
                    f.st.with(|s| std::mem::replace(&mut s.cancelled_exc, e.exc));
                drop(old);
                future::cancel(vm, task, f, Value::NULL)?;
                return Ok(Value::none());
            }
            future::set_exception(vm, task, f, &e.exc)?;
            let t = e.exc.type_data();
            if t.is_subtype_raw(types().keyboard_interrupt) || t.is_subtype_raw(types().system_exit)
            {
                return Err(e);
            }
            return Ok(Value::none());
        }
        Ok(Sent::Yielded(r)) => r,
    };

    if result.raw() == task.raw() {
        let t = repr_of(vm, task)?;
        set_error_soon(vm, task, f, format!("Task cannot await on itself: {t}"))?;
        return Ok(Value::none());
    }

    let task_loop = f.st.read(|s| s.loop_.clone());
    if future::is_exact(&result) {
        // SAFETY: `is_exact` checked the layout.
        let rf = unsafe { result.payload_unchecked::<FutureObj>() };
        let (same_loop, blocking) = rf
            .st
            .read(|s| (s.loop_.raw() == task_loop.raw(), s.blocking));
        if !same_loop {
            return different_loop(vm, task, f, &result);
        }
        if !blocking {
            return yield_instead(vm, task, f, &result);
        }
        rf.st.with(|s| s.blocking = false);
        let ctx = f.st.read(|s| s.context.clone());
        future::add_done_callback(vm, &result, rf, wakeup_callable(task), ctx)?;
        after_wait(vm, f, result)?;
        return Ok(Value::none());
    }

    if result.is_none() {
        // A bare yield gives up control for one loop iteration.
        call_step_soon(vm, task, f, Value::NULL)?;
        return Ok(Value::none());
    }

    if let Some(o) = lookup_attr(vm, &result, "_asyncio_future_blocking")?
        && !o.is_none()
    {
        let blocking = crate::ops::truthy(vm, &o)?;
        let oloop = future_loop(vm, &result)?;
        if oloop.raw() != task_loop.raw() {
            return different_loop(vm, task, f, &result);
        }
        if !blocking {
            return yield_instead(vm, task, f, &result);
        }
        crate::ops::setattr(vm, &result, &st.s_blocking, Value::bool(false))?;
        let ctx = f.st.read(|s| s.context.clone());
        let (m, self_) = crate::ops::load_method(vm, result.clone(), &st.s_add_done_callback)?;
        let mut args = Vec::with_capacity(3);
        if !self_.is_null() {
            args.push(self_);
        }
        args.push(wakeup_callable(task));
        args.push(ctx);
        vm.call_kw(&m, &args, std::slice::from_ref(&st.s_context))?;
        after_wait(vm, f, result)?;
        return Ok(Value::none());
    }

    if result.type_data().is_subtype_raw(types().generator) {
        let t = repr_of(vm, task)?;
        let r = repr_of(vm, &result)?;
        set_error_soon(
            vm,
            task,
            f,
            format!("yield was used instead of yield from for generator in task {t} with {r}"),
        )?;
        return Ok(Value::none());
    }
    let r = repr_of(vm, &result)?;
    set_error_soon(vm, task, f, format!("Task got bad yield: {r}"))?;
    Ok(Value::none())
}

/// The task now waits for `waiter`; a cancel requested meanwhile goes to it.
fn after_wait(vm: &mut Vm, f: &FutureObj, waiter: Value) -> PyResult<()> {
    let (must, msg) = f.st.with(|s| {
        let old = std::mem::replace(&mut s.fut_waiter, waiter.clone());
        (s.must_cancel, (s.cancel_msg.clone(), old))
    });
    let (msg, old) = msg;
    drop(old);
    if must {
        let st = state();
        let msg = if msg.is_null() { Value::none() } else { msg };
        let r = call_method(vm, &waiter, &st.s_cancel, &[msg])?;
        if crate::ops::truthy(vm, &r)? {
            f.st.with(|s| s.must_cancel = false);
        }
    }
    Ok(())
}

fn different_loop(vm: &mut Vm, task: &Value, f: &FutureObj, result: &Value) -> PyResult<Value> {
    let t = repr_of(vm, task)?;
    let r = repr_of(vm, result)?;
    set_error_soon(
        vm,
        task,
        f,
        format!("Task {t} got Future {r} attached to a different loop"),
    )?;
    Ok(Value::none())
}

fn yield_instead(vm: &mut Vm, task: &Value, f: &FutureObj, result: &Value) -> PyResult<Value> {
    let t = repr_of(vm, task)?;
    let r = repr_of(vm, result)?;
    set_error_soon(
        vm,
        task,
        f,
        format!("yield was used instead of yield from in task {t} with {r}"),
    )?;
    Ok(Value::none())
}

/// `get_future_loop`: the loop of a Future-compatible object (`futures._get_loop`).
fn future_loop(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if future::is_exact(v) {
        // SAFETY: `is_exact` checked the layout.
        let f = unsafe { v.payload_unchecked::<FutureObj>() };
        return Ok(f.st.read(|s| s.loop_.clone()));
    }
    if let Some(g) = lookup_attr(vm, v, "get_loop")? {
        return vm.call(&g, &[]);
    }
    crate::ops::getattr_str(vm, v, "_loop")
}

/// CPython's `_PyObject_LookupAttr`: None when the lookup raises AttributeError
/// (also from a property), other errors passed on.
fn lookup_attr(vm: &mut Vm, v: &Value, name: &str) -> PyResult<Option<Value>> {
    match crate::ops::getattr_str(vm, v, name) {
        Ok(a) => Ok(Some(a)),
        Err(e) if vm.err_matches(&e, types().attribute_error) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The done-callback a waiting task puts on the future: `task_wakeup` bound to it.
fn wakeup_callable(task: &Value) -> Value {
    Value::alloc(BuiltinFuncObj {
        name: "task_wakeup",
        f: wakeup_native,
        self_: task.clone(),
        owner: "",
        is_method: false,
        objclass: Value::NULL,
    })
}

fn wakeup_native(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() != 2 || a.has_kw() {
        return Err(vm.type_error(format!(
            "task_wakeup() takes exactly one argument ({} given)",
            p.len().saturating_sub(1)
        )));
    }
    wakeup(vm, &p[0], &p[1])
}

/// `task_wakeup`: the awaited future is done; step with its outcome.
fn wakeup(vm: &mut Vm, task: &Value, o: &Value) -> PyResult<Value> {
    let outcome = if future::is_exact(o) {
        // SAFETY: `is_exact` checked the layout.
        let f = unsafe { o.payload_unchecked::<FutureObj>() };
        match future::get_result(vm, f) {
            Ok(Outcome::Result(_)) => Ok(()),
            Ok(Outcome::Exception(e)) => Err(PyErr { exc: e }),
            Err(e) => Err(e),
        }
    } else {
        let st = state();
        call_method(vm, o, &st.s_result, &[]).map(|_| ())
    };
    match outcome {
        Ok(()) => step(vm, task, Value::NULL),
        Err(e) => step(vm, task, e.exc),
    }
}

// ---- TaskStepMethWrapper ---------------------------------------------------------

/// A scheduled step: the task and the exception to throw in (NULL: send None).
pub struct StepWrapper {
    task: ObjCell<Value>,
    arg: ObjCell<Value>,
}
crate::native_payload!(StepWrapper, STEP_WRAPPER);

impl crate::gc::Traverse for StepWrapper {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.task.read(|v| crate::gc::visit_value(v, visit));
        self.arg.read(|v| crate::gc::visit_value(v, visit));
    }
    fn clear(&self) {
        let a = self.task.with(|v| std::mem::replace(v, Value::NULL));
        let b = self.arg.with(|v| std::mem::replace(v, Value::NULL));
        drop((a, b));
    }
}

pub static STEP_WRAPPER_T: NativeType = NativeType {
    call: Some(step_wrapper_call),
    ..NativeType::of::<StepWrapper>()
};

pub fn step_wrapper_cell() -> &'static AtomicU64 {
    &STEP_WRAPPER
}

fn step_wrapper_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let Some(w) = f.downcast_exact::<StepWrapper>() else {
        return Err(vm.type_error("TaskStepMethWrapper expected"));
    };
    if a.has_kw() {
        return Err(vm.type_error("TaskStepMethWrapper takes no keyword arguments"));
    }
    if !a.args.is_empty() {
        return Err(vm.type_error("TaskStepMethWrapper takes no positional arguments"));
    }
    let task = w.task.read(|v| v.clone());
    let arg = w.arg.read(|v| v.clone());
    if task.is_null() {
        return Ok(Value::none());
    }
    step(vm, &task, arg)
}

// ---- methods ---------------------------------------------------------------------

fn get_coro(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "get_coro", a)?;
    Ok(none_if_null(f.st.read(|s| s.coro.clone())))
}

fn none_if_null(v: Value) -> Value {
    if v.is_null() { Value::none() } else { v }
}

fn get_name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "get_name", a)?;
    Ok(none_if_null(f.st.read(|s| s.name.clone())))
}

fn set_name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, rest) = this(vm, "set_name", a)?;
    native_args::no_kw(vm, "set_name", &rest)?;
    if rest.args.len() != 1 {
        return Err(vm.type_error(format!(
            "set_name() takes exactly one argument ({} given)",
            rest.args.len()
        )));
    }
    let v = &rest.args[0];
    let name = if v.type_raw() == types().str {
        v.clone()
    } else {
        crate::ops::str_value(vm, v)?
    };
    let old = f.st.with(|s| std::mem::replace(&mut s.name, name));
    drop(old);
    Ok(Value::none())
}

fn cancel(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, rest) = this(vm, "cancel", a)?;
    let b = native_args::bind(vm, "cancel", &rest, &["msg"], 0, 1)?;
    let msg = b[0].cloned().unwrap_or_else(Value::none);
    let waiter = f.st.with(|s| {
        s.log_tb = false;
        if s.state != FutState::Pending {
            return None;
        }
        s.num_cancels_requested += 1;
        Some(s.fut_waiter.clone())
    });
    let Some(waiter) = waiter else {
        return Ok(Value::bool(false));
    };
    if !waiter.is_null() {
        let st = state();
        let r = call_method(vm, &waiter, &st.s_cancel, std::slice::from_ref(&msg))?;
        if crate::ops::truthy(vm, &r)? {
            return Ok(Value::bool(true));
        }
    }
    let old = f.st.with(|s| {
        s.must_cancel = true;
        std::mem::replace(&mut s.cancel_msg, msg)
    });
    drop(old);
    Ok(Value::bool(true))
}

fn cancelling(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "cancelling", a)?;
    Ok(Value::int(f.st.read(|s| s.num_cancels_requested)))
}

fn uncancel(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "uncancel", a)?;
    Ok(Value::int(f.st.with(|s| {
        if s.num_cancels_requested > 0 {
            s.num_cancels_requested -= 1;
        }
        s.num_cancels_requested
    })))
}

fn get_stack(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _, rest) = this(vm, "get_stack", a)?;
    let b = kwonly::bind(vm, "get_stack", &rest, &["limit"], 0, 0)?;
    let limit = b[0].cloned().unwrap_or_else(Value::none);
    vm.call(&state().task_get_stack, &[s.clone(), limit])
}

fn print_stack(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _, rest) = this(vm, "print_stack", a)?;
    let b = kwonly::bind(vm, "print_stack", &rest, &["limit", "file"], 0, 0)?;
    let limit = b[0].cloned().unwrap_or_else(Value::none);
    let file = b[1].cloned().unwrap_or_else(Value::none);
    vm.call(&state().task_print_stack, &[s.clone(), limit, file])
}

fn set_result(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.runtime_error("Task does not support set_result operation"))
}

fn set_exception(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.runtime_error("Task does not support set_exception operation"))
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _, _) = this(vm, "__repr__", a)?;
    vm.call(&state().task_repr, std::slice::from_ref(s))
}

fn get_log_destroy_pending(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "_log_destroy_pending", a)?;
    Ok(Value::bool(f.st.read(|s| s.log_destroy_pending)))
}

fn set_log_destroy_pending(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, rest) = this(vm, "_log_destroy_pending", a)?;
    let v = rest.args.first().cloned().unwrap_or_else(Value::none);
    let b = crate::ops::truthy(vm, &v)?;
    f.st.with(|s| s.log_destroy_pending = b);
    Ok(Value::none())
}

fn cannot_delete(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.attribute_error("cannot delete attribute"))
}

fn get_must_cancel(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "_must_cancel", a)?;
    Ok(Value::bool(f.st.read(|s| s.must_cancel)))
}

fn get_coro_attr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "_coro", a)?;
    Ok(none_if_null(f.st.read(|s| s.coro.clone())))
}

fn get_fut_waiter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "_fut_waiter", a)?;
    Ok(none_if_null(f.st.read(|s| s.fut_waiter.clone())))
}

pub fn install(t: &Value) {
    native_args::methods(
        t,
        &[
            ("__init__", task_init),
            ("get_coro", get_coro),
            ("get_name", get_name),
            ("set_name", set_name),
            ("cancel", cancel),
            ("cancelling", cancelling),
            ("uncancel", uncancel),
            ("get_stack", get_stack),
            ("print_stack", print_stack),
            ("set_result", set_result),
            ("set_exception", set_exception),
            ("__repr__", repr),
        ],
    );
    native_args::getset_del(
        t,
        "_log_destroy_pending",
        get_log_destroy_pending,
        set_log_destroy_pending,
        cannot_delete,
    );
    native_args::getset(t, "_must_cancel", get_must_cancel, None);
    native_args::getset(t, "_coro", get_coro_attr, None);
    native_args::getset(t, "_fut_waiter", get_fut_waiter, None);
    super::class_getitem(t);
}
