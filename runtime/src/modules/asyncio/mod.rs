//! `_asyncio`: the accelerator `asyncio.futures`, `asyncio.tasks` and `asyncio.events`
//! import (CPython's `Modules/_asynciomodule.c`): native `Future` and `Task`, the
//! per-thread running loop, and the task registry (`_all_tasks`, `_current_tasks`).
//!
//! The pure-Python versions in the Lib are the specification; the behaviour that
//! differs from them is CPython's C behaviour (messages such as "Result is not set.",
//! the order of checks in a task step), since CPython runs the C version.
//!
//! - `future.rs`: the Future state machine and its attributes (shared by Task);
//! - `future_iter.rs`: what `await fut` drives;
//! - `task.rs`: Task steps and wakeups, `TaskStepMethWrapper`;
//! - here: the module, the helpers the Lib lends it (imported once at init), the
//!   running loop, the registry and the hooks the runtime calls (SEND, `await`,
//!   finalizers).
//!
//! # The running loop
//! Each thread has its own running loop (`Vm::running_loop`, with the pid that set it:
//! a forked child does not see its parent's loop, as in CPython). Threads run in
//! parallel, so nothing here is shared between them except the registry objects, a
//! dict and a WeakSet, which lock themselves.
use std::sync::OnceLock;

use stitch_stencils::header::ObjHeader;

use crate::modules::native_args::{self, module, set};
use crate::object::PyObj;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::native::new_type;
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub mod future;
pub mod future_iter;
pub mod task;

use future::{FutState, FutureObj};

/// What `_asyncio` borrows from the Lib, and the names it calls methods by (interned
/// once, so the hot paths make no strings).
pub struct State {
    pub get_event_loop_policy: Value,
    pub future_repr: Value,
    pub task_repr: Value,
    pub task_get_stack: Value,
    pub task_print_stack: Value,
    pub iscoroutine: Value,
    pub cancelled_error: Value,
    pub invalid_state_error: Value,
    pub extract_stack: Value,
    /// `_all_tasks`: a `weakref.WeakSet`.
    pub all_tasks: Value,
    /// `_current_tasks`: `{loop: task}`.
    pub current_tasks: Value,
    pub s_call_soon: Value,
    pub s_context: Value,
    pub s_get_debug: Value,
    pub s_add: Value,
    pub s_discard: Value,
    pub s_throw: Value,
    pub s_send: Value,
    pub s_cancel: Value,
    pub s_result: Value,
    pub s_add_done_callback: Value,
    pub s_blocking: Value,
    pub s_get_event_loop: Value,
    pub s_call_exception_handler: Value,
}

/// The state, set once by the first import of `_asyncio` (its values live as long
/// as the process).
struct Shared(State);
// SAFETY: the values are references to objects shared by every thread (non-owners
// count them atomically); the state is written once, before any other thread can
// read it (OnceLock), and never changed.
unsafe impl Send for Shared {}
// SAFETY: as for Send: read-only after initialisation.
unsafe impl Sync for Shared {}

static STATE: OnceLock<Shared> = OnceLock::new();

/// The module state. Only reachable from Futures and Tasks, which exist only once the
/// module was initialised.
pub fn state() -> &'static State {
    match STATE.get() {
        Some(s) => &s.0,
        None => unreachable!("_asyncio used before its module was initialised"),
    }
}

fn load_state(vm: &mut Vm) -> PyResult<State> {
    let attr = |vm: &mut Vm, m: &str, n: &str| -> PyResult<Value> {
        let module = crate::import::import_module(vm, m)?;
        crate::ops::getattr_str(vm, &module, n)
    };
    // `contextvars` makes the Context type native code allocates copies of.
    crate::import::import_module(vm, "contextvars")?;
    let weakset = attr(vm, "weakref", "WeakSet")?;
    Ok(State {
        get_event_loop_policy: attr(vm, "asyncio.events", "get_event_loop_policy")?,
        future_repr: attr(vm, "asyncio.base_futures", "_future_repr")?,
        task_repr: attr(vm, "asyncio.base_tasks", "_task_repr")?,
        task_get_stack: attr(vm, "asyncio.base_tasks", "_task_get_stack")?,
        task_print_stack: attr(vm, "asyncio.base_tasks", "_task_print_stack")?,
        iscoroutine: attr(vm, "asyncio.coroutines", "iscoroutine")?,
        cancelled_error: attr(vm, "asyncio.exceptions", "CancelledError")?,
        invalid_state_error: attr(vm, "asyncio.exceptions", "InvalidStateError")?,
        extract_stack: attr(vm, "traceback", "extract_stack")?,
        all_tasks: vm.call(&weakset, &[])?,
        current_tasks: DictObj::new_value(),
        s_call_soon: crate::world::intern("call_soon"),
        s_context: crate::world::intern("context"),
        s_get_debug: crate::world::intern("get_debug"),
        s_add: crate::world::intern("add"),
        s_discard: crate::world::intern("discard"),
        s_throw: crate::world::intern("throw"),
        s_send: crate::world::intern("send"),
        s_cancel: crate::world::intern("cancel"),
        s_result: crate::world::intern("result"),
        s_add_done_callback: crate::world::intern("add_done_callback"),
        s_blocking: crate::world::intern("_asyncio_future_blocking"),
        s_get_event_loop: crate::world::intern("get_event_loop"),
        s_call_exception_handler: crate::world::intern("call_exception_handler"),
    })
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    if STATE.get().is_none() {
        let st = load_state(vm)?;
        let _ = STATE.set(Shared(st));
    }
    let st = state();
    let m = module(
        "_asyncio",
        &[
            ("get_running_loop", get_running_loop_fn),
            ("_get_running_loop", get_running_loop_or_none),
            ("_set_running_loop", set_running_loop),
            ("get_event_loop", get_event_loop_fn),
            ("_get_event_loop", get_event_loop_private),
            ("_register_task", register_task),
            ("_unregister_task", unregister_task),
            ("_enter_task", enter_task),
            ("_leave_task", leave_task),
        ],
    );
    let object = native_args::object_type();
    let fut_t = new_type::<FutureObj>(
        "Future",
        "_asyncio",
        object,
        Kind::Native,
        &future::FUTURE_T,
        future::cell(),
    );
    future::install(&fut_t, st);
    let task_t = new_type::<FutureObj>(
        "Task",
        "_asyncio",
        fut_t.raw(),
        Kind::Native,
        &task::TASK_T,
        task::cell(),
    );
    task::install(&task_t);
    let it_t = new_type::<future_iter::FutureIterObj>(
        "FutureIter",
        "_asyncio",
        object,
        Kind::Native,
        &future_iter::FUTURE_ITER_T,
        future_iter::class_cell(),
    );
    future_iter::install(&it_t);
    new_type::<task::StepWrapper>(
        "TaskStepMethWrapper",
        "_asyncio",
        object,
        Kind::Native,
        &task::STEP_WRAPPER_T,
        task::step_wrapper_cell(),
    );
    set(&m, "Future", fut_t);
    set(&m, "Task", task_t);
    set(&m, "_all_tasks", st.all_tasks.clone());
    set(&m, "_current_tasks", st.current_tasks.clone());
    Ok(m)
}

/// `__class_getitem__ = classmethod(GenericAlias)`.
pub fn class_getitem(t: &Value) {
    crate::builtins::add_classmethod(
        t.raw(),
        "__class_getitem__",
        crate::types::generic_alias::class_getitem,
    );
}

// ---- calling back into the loop --------------------------------------------------

/// `obj.name(*args)` without making a bound method when the attribute is a plain one.
pub fn call_method(vm: &mut Vm, obj: &Value, name: &Value, args: &[Value]) -> PyResult<Value> {
    let (f, self_) = crate::ops::load_method(vm, obj.clone(), name)?;
    if self_.is_null() {
        return vm.call(&f, args);
    }
    let mut full = Vec::with_capacity(args.len() + 1);
    full.push(self_);
    full.extend_from_slice(args);
    vm.call(&f, &full)
}

/// `loop.call_soon(cb[, arg], context=ctx)` (no `context` keyword when `ctx` is NULL),
/// CPython's `call_soon`.
pub fn call_soon(
    vm: &mut Vm,
    l: &Value,
    cb: Value,
    arg: Option<Value>,
    ctx: &Value,
) -> PyResult<()> {
    let st = state();
    let (f, self_) = crate::ops::load_method(vm, l.clone(), &st.s_call_soon)?;
    let mut args = Vec::with_capacity(4);
    if !self_.is_null() {
        args.push(self_);
    }
    args.push(cb);
    if let Some(a) = arg {
        args.push(a);
    }
    if ctx.is_null() {
        vm.call(&f, &args)?;
    } else {
        args.push(ctx.clone());
        vm.call_kw(&f, &args, std::slice::from_ref(&st.s_context))?;
    }
    Ok(())
}

pub fn current_tasks_dict(v: &Value) -> &DictObj {
    // SAFETY: `_current_tasks` is the dict made by `load_state`.
    unsafe { v.payload_unchecked::<DictObj>() }
}

// ---- the running loop ------------------------------------------------------------

/// This thread's running loop, if it was set by this process.
pub fn running_loop(vm: &Vm) -> Option<Value> {
    let (l, pid) = &vm.running_loop;
    if l.is_null() || l.is_none() || *pid != std::process::id() {
        return None;
    }
    Some(l.clone())
}

fn get_running_loop_fn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "get_running_loop", a, 0, 0)?;
    match running_loop(vm) {
        Some(l) => Ok(l),
        None => Err(vm.runtime_error("no running event loop")),
    }
}

fn get_running_loop_or_none(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "_get_running_loop", a, 0, 0)?;
    Ok(running_loop(vm).unwrap_or_else(Value::none))
}

fn set_running_loop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "_set_running_loop", a, 1, 1)?;
    let old = std::mem::replace(&mut vm.running_loop, (p[0].clone(), std::process::id()));
    drop(old);
    Ok(Value::none())
}

/// `get_event_loop`: the running loop, else the policy's `get_event_loop()`.
pub fn get_event_loop(vm: &mut Vm) -> PyResult<Value> {
    if let Some(l) = running_loop(vm) {
        return Ok(l);
    }
    let st = state();
    let policy = vm.call(&st.get_event_loop_policy, &[])?;
    call_method(vm, &policy, &st.s_get_event_loop, &[])
}

fn get_event_loop_fn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "get_event_loop", a, 0, 0)?;
    get_event_loop(vm)
}

/// `_get_event_loop(stacklevel=3)` (kept for 3.10/3.11.0 compatibility).
fn get_event_loop_private(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::bind(vm, "_get_event_loop", a, &["stacklevel"], 0, 1)?;
    get_event_loop(vm)
}

// ---- the task registry -----------------------------------------------------------

fn register_task(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "_register_task", a, &["task"], 1, 1)?;
    let st = state();
    call_method(
        vm,
        &st.all_tasks,
        &st.s_add,
        &[b[0].cloned().unwrap_or_else(Value::none)],
    )?;
    Ok(Value::none())
}

fn unregister_task(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "_unregister_task", a, &["task"], 1, 1)?;
    let st = state();
    call_method(
        vm,
        &st.all_tasks,
        &st.s_discard,
        &[b[0].cloned().unwrap_or_else(Value::none)],
    )?;
    Ok(Value::none())
}

fn enter_task(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "_enter_task", a, &["loop", "task"], 2, 2)?;
    let (l, t) = (
        b[0].cloned().unwrap_or_else(Value::none),
        b[1].cloned().unwrap_or_else(Value::none),
    );
    task::enter_task(vm, &l, &t)?;
    Ok(Value::none())
}

fn leave_task(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "_leave_task", a, &["loop", "task"], 2, 2)?;
    let (l, t) = (
        b[0].cloned().unwrap_or_else(Value::none),
        b[1].cloned().unwrap_or_else(Value::none),
    );
    task::leave_task(vm, &l, &t)?;
    Ok(Value::none())
}

// ---- hooks the runtime calls -----------------------------------------------------

/// SEND into a FutureIter (`ops::iter::send`), None for other objects.
#[inline]
pub fn send(vm: &mut Vm, recv: &Value) -> Option<PyResult<(Value, bool)>> {
    future_iter::send(vm, recv)
}

/// `await v` for a Future or Task whose class keeps the native `__await__`: the
/// FutureIter, made without a method call.
#[inline]
pub fn await_iter(v: &Value) -> Option<Value> {
    if future::is_exact(v) {
        // SAFETY: `is_exact` checked the layout.
        let f = unsafe { v.payload_unchecked::<FutureObj>() };
        if f.st.read(|s| s.loop_.is_null()) {
            return None;
        }
        return Some(future_iter::new(v.clone()));
    }
    None
}

/// Does the dying object at `h` (flagged `FLAG_NATIVE_FINALIZER`) need its finalizer:
/// a Future or Task (or a subclass instance) with an exception never retrieved, or a
/// Task destroyed
/// while pending?
///
/// # Safety
/// `h` is a live object.
pub unsafe fn needs_finalizer(h: *const ObjHeader) -> bool {
    // SAFETY: guaranteed by the caller; every type object is a `PyObj<TypeData>`.
    let td = unsafe { &(*((*h).ob_type as *const PyObj<crate::types::class::TypeData>)).payload };
    let Some(table) = td.native else {
        return false;
    };
    let is_task = std::ptr::eq(table, &task::TASK_T);
    if !is_task && !std::ptr::eq(table, &future::FUTURE_T) {
        return false;
    }
    // SAFETY: Futures, Tasks and their Python subclasses' instances all begin with a
    // `FutureObj` payload (subclasses: `SubObj<FutureObj>`, `#[repr(C)]`); the object
    // is dying, so no other thread holds it.
    let f = unsafe { &(*(h as *const PyObj<FutureObj>)).payload };
    f.st.read(|s| {
        !s.loop_.is_null()
            && (s.log_tb || (is_task && s.state == FutState::Pending && s.log_destroy_pending))
    })
}

/// Is `v` a Future or Task, or an instance of a subclass (the objects
/// [`needs_finalizer`] queues)?
pub fn is_future(v: &Value) -> bool {
    future::fut(v).is_some()
}

/// The finalizer (`FutureObj_finalize`, `TaskObj_finalize`): report a task destroyed
/// while pending, then an exception never retrieved, through the loop's
/// `call_exception_handler`. Errors go to `sys.unraisablehook`.
pub fn finalize(vm: &mut Vm, v: &Value) {
    let Some(f) = future::fut(v) else {
        return;
    };
    let Some(st) = STATE.get().map(|s| &s.0) else {
        return;
    };
    let is_task = v.type_data().is_subtype_raw(task::task_class());
    let (l, pending_task, log_tb, exc, src) = f.st.with(|s| {
        let pending_task = is_task && s.state == FutState::Pending && s.log_destroy_pending;
        let log_tb = s.log_tb;
        s.log_tb = false;
        (
            s.loop_.clone(),
            pending_task,
            log_tb,
            s.exception.clone(),
            s.source_tb.clone(),
        )
    });
    if l.is_null() {
        return;
    }
    let report = |vm: &mut Vm, ctx: DictObj| {
        let r = call_method(vm, &l, &st.s_call_exception_handler, &[Value::alloc(ctx)]);
        if let Err(e) = r {
            let h = crate::ops::getattr_str(vm, &l, "call_exception_handler")
                .unwrap_or_else(|_| l.clone());
            crate::builtins::generators::report_unraisable(vm, &h, &e);
        }
    };
    if pending_task {
        let ctx = DictObj::new();
        ctx.set_str("message", new_str("Task was destroyed but it is pending!"));
        ctx.set_str("task", v.clone());
        if !src.is_null() && !src.is_none() {
            ctx.set_str("source_traceback", src.clone());
        }
        report(vm, ctx);
    }
    if log_tb && !exc.is_null() {
        let ctx = DictObj::new();
        let tn = v.type_data().name.clone();
        ctx.set_str(
            "message",
            crate::types::str::new_string(format!("{tn} exception was never retrieved")),
        );
        ctx.set_str("exception", exc);
        ctx.set_str("future", v.clone());
        if !src.is_null() && !src.is_none() {
            ctx.set_str("source_traceback", src);
        }
        report(vm, ctx);
    }
}
