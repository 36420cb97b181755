//! `_asyncio.Future`: the state machine every awaitable of asyncio rests on (pending ->
//! finished with a result or an exception, or cancelled), its done-callbacks (scheduled
//! on the loop with `loop.call_soon(cb, fut, context=ctx)`, as the pure-Python
//! `asyncio.futures.Future` does, so event loops written in Python work unchanged) and
//! the attributes the Lib and its tests read (`_state`, `_result`, `_callbacks`, ...).
//!
//! Tasks share the payload ([`FutureObj`]): a Task is a Future with a coroutine, and
//! its own fields sit in the same state (CPython's `TaskObj` starts with a `FutureObj`
//! the same way). Both types and their Python subclasses carry it; [`fut`] finds it.
//!
//! # Threads
//! A future may be completed from another thread (`call_soon_threadsafe` paths,
//! `run_coroutine_threadsafe`): all of its state sits in one `ObjCell`, whose closures
//! cannot run Python code. Every operation reads or changes the state inside one
//! closure and calls Python (call_soon, reprs, exception constructors) after leaving it,
//! with the values it took out. Values replaced inside a closure are dropped after it.
use std::sync::atomic::Ordering;

use stitch_stencils::header::FLAG_NATIVE_FINALIZER;

use super::{State, call_method, call_soon, state};
use crate::modules::kwonly;
use crate::modules::native_args::{self, receiver};
use crate::object::ObjCell;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// `fut_state` of CPython's `_asynciomodule.c`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FutState {
    Pending,
    Cancelled,
    Finished,
}

impl FutState {
    fn name(self) -> &'static str {
        match self {
            FutState::Pending => "PENDING",
            FutState::Cancelled => "CANCELLED",
            FutState::Finished => "FINISHED",
        }
    }
}

/// Everything a Future (and a Task) holds. NULL values mean "not set" (CPython's NULL
/// fields); `loop_` is NULL until `__init__` ran ("Future object is not initialized").
pub struct Inner {
    pub loop_: Value,
    pub state: FutState,
    pub result: Value,
    pub exception: Value,
    pub exception_tb: Value,
    /// `(callback, context)` pairs, in the order they were added.
    pub callbacks: Vec<(Value, Value)>,
    pub source_tb: Value,
    pub cancel_msg: Value,
    pub cancelled_exc: Value,
    pub log_tb: bool,
    pub blocking: bool,
    // ---- Task only ----
    pub coro: Value,
    pub context: Value,
    pub name: Value,
    pub fut_waiter: Value,
    pub must_cancel: bool,
    pub log_destroy_pending: bool,
    pub num_cancels_requested: i64,
}

impl Inner {
    pub fn new() -> Inner {
        Inner {
            loop_: Value::NULL,
            state: FutState::Pending,
            result: Value::NULL,
            exception: Value::NULL,
            exception_tb: Value::NULL,
            callbacks: Vec::new(),
            source_tb: Value::NULL,
            cancel_msg: Value::NULL,
            cancelled_exc: Value::NULL,
            log_tb: false,
            blocking: false,
            coro: Value::NULL,
            context: Value::NULL,
            name: Value::NULL,
            fut_waiter: Value::NULL,
            must_cancel: false,
            log_destroy_pending: false,
            num_cancels_requested: 0,
        }
    }

    /// Every reference the state holds, for the collector.
    fn values(&self) -> impl Iterator<Item = &Value> {
        [
            &self.loop_,
            &self.result,
            &self.exception,
            &self.exception_tb,
            &self.source_tb,
            &self.cancel_msg,
            &self.cancelled_exc,
            &self.coro,
            &self.context,
            &self.name,
            &self.fut_waiter,
        ]
        .into_iter()
        .chain(self.callbacks.iter().flat_map(|(a, b)| [a, b]))
    }
}

/// The payload of Future, Task and their Python subclasses.
#[repr(C)]
pub struct FutureObj {
    pub st: ObjCell<Inner>,
    /// The instance `__dict__` of exact Futures and Tasks (Python subclasses keep
    /// theirs after the payload; theirs is None here).
    pub dict: Value,
}
crate::native_payload!(FutureObj, FUTURE);

pub static FUTURE_T: crate::types::native::NativeType = crate::types::native::NativeType {
    new: Some(future_new),
    has_init: true,
    dict_offset: std::mem::offset_of!(FutureObj, dict),
    weakrefable: true,
    ..crate::types::native::NativeType::of::<FutureObj>()
};

/// The cell the Future type is published in.
pub fn cell() -> &'static std::sync::atomic::AtomicU64 {
    &FUTURE
}

impl crate::gc::Traverse for FutureObj {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.st
            .read(|s| s.values().for_each(|v| crate::gc::visit_value(v, visit)));
        crate::gc::visit_value(&self.dict, visit);
    }
    fn clear(&self) {
        // Keep the loop (repr and finalizers read it); drop what forms cycles.
        let taken = self.st.with(|s| {
            let mut out: Vec<Value> = Vec::new();
            for v in [
                &mut s.result,
                &mut s.exception,
                &mut s.exception_tb,
                &mut s.source_tb,
                &mut s.cancel_msg,
                &mut s.cancelled_exc,
                &mut s.coro,
                &mut s.context,
                &mut s.fut_waiter,
            ] {
                out.push(std::mem::replace(v, Value::NULL));
            }
            for (a, b) in s.callbacks.drain(..) {
                out.push(a);
                out.push(b);
            }
            out
        });
        drop(taken);
    }
}

/// The Future state of `v`: a Future, a Task, or an instance of a Python subclass.
#[inline]
pub fn fut(v: &Value) -> Option<&FutureObj> {
    if is_exact(v) {
        // SAFETY: exact Futures and Tasks are `PyObj<FutureObj>`.
        return Some(unsafe { v.payload_unchecked::<FutureObj>() });
    }
    v.downcast::<FutureObj>()
}

/// Is `v` an exact `_asyncio.Future` or `_asyncio.Task` (no Python subclass)?
#[inline]
pub fn is_exact(v: &Value) -> bool {
    v.is_ptr() && {
        let t = v.type_raw();
        t == FutureObj::class() || t == super::task::task_class()
    }
}

/// A new instance of `cls` (Future, Task or a Python subclass) in the state before
/// `__init__`.
pub fn alloc(cls: &Value) -> Value {
    if cls.raw() == FutureObj::class() || cls.raw() == super::task::task_class() {
        return Value::alloc_with_type(
            cls,
            FutureObj {
                st: ObjCell::new(Inner::new()),
                dict: DictObj::new_value(),
            },
        );
    }
    Value::alloc_with_type(
        cls,
        crate::types::instance::SubObj {
            base: FutureObj {
                st: ObjCell::new(Inner::new()),
                dict: Value::none(),
            },
            dict: DictObj::new_value(),
        },
    )
}

pub fn future_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(alloc(cls))
}

/// The receiver of a Future method and the other arguments.
pub fn this<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
) -> PyResult<(&'a Value, &'a FutureObj, Args<'a>)> {
    let (s, rest) = receiver(vm, name, a)?;
    match fut(s) {
        Some(f) => Ok((s, f, rest)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_asyncio.Future' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

fn not_initialized(vm: &mut Vm) -> PyErr {
    vm.runtime_error("Future object is not initialized.")
}

/// The loop, or "Future object is not initialized." (CPython's ENSURE_FUTURE_ALIVE).
pub fn alive_loop(vm: &mut Vm, f: &FutureObj) -> PyResult<Value> {
    let l = f.st.read(|s| s.loop_.clone());
    if l.is_null() {
        return Err(not_initialized(vm));
    }
    Ok(l)
}

/// Flag `v` so that the collector-free path asks [`super::needs_finalizer`] before
/// freeing it (an exception never retrieved, a task destroyed pending).
pub fn want_finalizer(v: &Value) {
    if let Some(h) = v.header() {
        h.ob_flags
            .fetch_or(FLAG_NATIVE_FINALIZER, Ordering::Relaxed);
    }
}

/// CPython's ENSURE_FUTURE_ALIVE (`result()`, `exception()`): InvalidStateError.
fn alive_or_invalid(vm: &mut Vm, f: &FutureObj) -> PyResult<()> {
    if f.st.read(|s| s.loop_.is_null()) {
        return Err(invalid_state(vm, "Future object is not initialized."));
    }
    Ok(())
}

/// `__new__(cls, *args, **kwargs)` in the type dict (`Future.__new__(Future)`).
fn new_static(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, _) = native_args::new_args(vm, a, FutureObj::class())?;
    Ok(alloc(&cls))
}

/// `future_init`: (re)set the state, pick the loop, record the creation stack in debug
/// mode.
pub fn init(vm: &mut Vm, f: &FutureObj, loop_: Option<&Value>) -> PyResult<()> {
    let old = f.st.with(|s| std::mem::replace(s, Inner::new()));
    drop(old);
    let l = match loop_ {
        Some(l) if !l.is_none() => l.clone(),
        _ => super::get_event_loop(vm)?,
    };
    f.st.with(|s| s.loop_ = l.clone());
    let st = state();
    let debug = call_method(vm, &l, &st.s_get_debug, &[])?;
    if crate::ops::truthy(vm, &debug)? {
        let tb = vm.call(&st.extract_stack, &[])?;
        let old = f.st.with(|s| std::mem::replace(&mut s.source_tb, tb));
        drop(old);
    }
    Ok(())
}

/// `Future.__init__(self, *, loop=None)`.
fn future_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, rest) = this(vm, "__init__", a)?;
    let b = kwonly::bind(vm, "Future", &rest, &["loop"], 0, 0)?;
    init(vm, f, b[0])?;
    Ok(Value::none())
}

/// Schedule every callback (`future_schedule_callbacks`); the list is emptied first.
pub fn schedule_callbacks(vm: &mut Vm, v: &Value, f: &FutureObj) -> PyResult<()> {
    let (cbs, l) =
        f.st.with(|s| (std::mem::take(&mut s.callbacks), s.loop_.clone()));
    for (cb, ctx) in cbs {
        call_soon(vm, &l, cb, Some(v.clone()), &ctx)?;
    }
    Ok(())
}

/// `future_set_result`.
pub fn set_result(vm: &mut Vm, v: &Value, f: &FutureObj, result: Value) -> PyResult<()> {
    let ok = f.st.with(|s| {
        if s.state != FutState::Pending {
            return Err(result);
        }
        s.result = result;
        s.state = FutState::Finished;
        Ok(())
    });
    if let Err(r) = ok {
        drop(r);
        return Err(invalid_state(vm, "invalid state"));
    }
    schedule_callbacks(vm, v, f)
}

/// `future_set_exception`: an exception class is instantiated first.
pub fn set_exception(vm: &mut Vm, v: &Value, f: &FutureObj, exc: &Value) -> PyResult<()> {
    if f.st.read(|s| s.state != FutState::Pending) {
        return Err(invalid_state(vm, "invalid state"));
    }
    let exc_val = if crate::ops::is_exception_class(exc) {
        let e = vm.call(exc, &[])?;
        if !crate::ops::is_exception_instance(&e) {
            return Err(vm.type_error("invalid exception object"));
        }
        e
    } else {
        exc.clone()
    };
    if !crate::ops::is_exception_instance(&exc_val) {
        return Err(vm.type_error("invalid exception object"));
    }
    if exc_val.type_raw() == types().stop_iteration {
        return Err(vm.type_error(
            "StopIteration interacts badly with generators and cannot be raised into a Future",
        ));
    }
    let tb = crate::vm::exc_data(&exc_val)
        .map(|d| d.read(|d| d.traceback.clone()))
        .unwrap_or(Value::NULL);
    let ok = f.st.with(|s| {
        if s.state != FutState::Pending {
            return false;
        }
        s.exception = exc_val;
        s.exception_tb = tb;
        s.state = FutState::Finished;
        true
    });
    if !ok {
        return Err(invalid_state(vm, "invalid state"));
    }
    schedule_callbacks(vm, v, f)?;
    f.st.with(|s| s.log_tb = true);
    want_finalizer(v);
    Ok(())
}

/// `future_cancel`: false when already done.
pub fn cancel(vm: &mut Vm, v: &Value, f: &FutureObj, msg: Value) -> PyResult<bool> {
    let r = f.st.with(|s| {
        s.log_tb = false;
        if s.state != FutState::Pending {
            return Err(msg);
        }
        s.state = FutState::Cancelled;
        Ok(std::mem::replace(&mut s.cancel_msg, msg))
    });
    match r {
        Err(m) => {
            drop(m);
            Ok(false)
        }
        Ok(old) => {
            drop(old);
            schedule_callbacks(vm, v, f)?;
            Ok(true)
        }
    }
}

/// `create_cancelled_error`: the saved CancelledError (taken), or a new one carrying
/// the cancel message.
pub fn make_cancelled_error(vm: &mut Vm, f: &FutureObj) -> PyResult<Value> {
    let (saved, msg) = f.st.with(|s| {
        (
            std::mem::replace(&mut s.cancelled_exc, Value::NULL),
            s.cancel_msg.clone(),
        )
    });
    if !saved.is_null() {
        return Ok(saved);
    }
    let st = state();
    if msg.is_null() || msg.is_none() {
        vm.call(&st.cancelled_error, &[])
    } else {
        vm.call(&st.cancelled_error, &[msg])
    }
}

fn cancelled_error(vm: &mut Vm, f: &FutureObj) -> PyErr {
    match make_cancelled_error(vm, f) {
        Ok(e) => PyErr { exc: e },
        Err(e) => e,
    }
}

pub fn invalid_state(vm: &mut Vm, msg: &str) -> PyErr {
    let cls = state().invalid_state_error.clone();
    match vm.call(&cls, &[new_string(msg.to_string())]) {
        Ok(e) => PyErr { exc: e },
        Err(e) => e,
    }
}

/// Outcome of [`get_result`].
pub enum Outcome {
    Result(Value),
    /// The exception the future finished with (its traceback restored).
    Exception(Value),
}

/// `future_get_result`: the result, the exception set on it, or an error (cancelled:
/// CancelledError; pending: InvalidStateError).
pub fn get_result(vm: &mut Vm, f: &FutureObj) -> PyResult<Outcome> {
    let state_now = f.st.read(|s| s.state);
    match state_now {
        FutState::Cancelled => return Err(cancelled_error(vm, f)),
        FutState::Pending => return Err(invalid_state(vm, "Result is not set.")),
        FutState::Finished => {}
    }
    let (res, exc, tb) = f.st.with(|s| {
        s.log_tb = false;
        (
            s.result.clone(),
            s.exception.clone(),
            std::mem::replace(&mut s.exception_tb, Value::NULL),
        )
    });
    if !exc.is_null() {
        if let Some(d) = crate::vm::exc_data(&exc) {
            let old = d.with(|d| std::mem::replace(&mut d.traceback, tb));
            drop(old);
        }
        return Ok(Outcome::Exception(exc));
    }
    Ok(Outcome::Result(if res.is_null() {
        Value::none()
    } else {
        res
    }))
}

/// `result()` as a Python call sees it.
pub fn result_value(vm: &mut Vm, f: &FutureObj) -> PyResult<Value> {
    match get_result(vm, f)? {
        Outcome::Result(r) => Ok(r),
        Outcome::Exception(e) => Err(PyErr { exc: e }),
    }
}

// ---- methods ---------------------------------------------------------------------

fn result(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "result", a)?;
    native_args::this(vm, "result", a, 0, 0)?;
    alive_or_invalid(vm, f)?;
    result_value(vm, f)
}

fn exception(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "exception", a)?;
    native_args::this(vm, "exception", a, 0, 0)?;
    alive_or_invalid(vm, f)?;
    match f.st.read(|s| s.state) {
        FutState::Cancelled => return Err(cancelled_error(vm, f)),
        FutState::Pending => return Err(invalid_state(vm, "Exception is not set.")),
        FutState::Finished => {}
    }
    Ok(f.st.with(|s| {
        if s.exception.is_null() {
            Value::none()
        } else {
            s.log_tb = false;
            s.exception.clone()
        }
    }))
}

fn set_result_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, f, rest) = this(vm, "set_result", a)?;
    native_args::no_kw(vm, "set_result", &rest)?;
    if rest.args.len() != 1 {
        return Err(vm.type_error(format!(
            "set_result() takes exactly one argument ({} given)",
            rest.args.len()
        )));
    }
    alive_loop(vm, f)?;
    set_result(vm, s, f, rest.args[0].clone())?;
    Ok(Value::none())
}

fn set_exception_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, f, rest) = this(vm, "set_exception", a)?;
    native_args::no_kw(vm, "set_exception", &rest)?;
    if rest.args.len() != 1 {
        return Err(vm.type_error(format!(
            "set_exception() takes exactly one argument ({} given)",
            rest.args.len()
        )));
    }
    alive_loop(vm, f)?;
    set_exception(vm, s, f, &rest.args[0])?;
    Ok(Value::none())
}

/// `future_add_done_callback`: scheduled at once when the future is done.
pub fn add_done_callback(
    vm: &mut Vm,
    v: &Value,
    f: &FutureObj,
    cb: Value,
    ctx: Value,
) -> PyResult<()> {
    let r = f.st.with(|s| {
        if s.state == FutState::Pending {
            s.callbacks.push((cb, ctx));
            None
        } else {
            Some((cb, ctx, s.loop_.clone()))
        }
    });
    if let Some((cb, ctx, l)) = r {
        call_soon(vm, &l, cb, Some(v.clone()), &ctx)?;
    }
    Ok(())
}

/// `add_done_callback(fn, /, *, context=None)`.
fn add_done_callback_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, f, rest) = this(vm, "add_done_callback", a)?;
    let b = kwonly::bind(vm, "add_done_callback", &rest, &["fn", "context"], 1, 1)?;
    let Some(cb) = b[0] else {
        return Err(vm.type_error("add_done_callback() missing required argument 'fn' (pos 1)"));
    };
    if f.st.read(|s| s.loop_.is_null()) {
        return Err(vm.runtime_error("uninitialized Future object"));
    }
    let ctx = match b[1] {
        Some(c) => c.clone(),
        None => crate::modules::contextvars::copy_current(vm),
    };
    add_done_callback(vm, s, f, cb.clone(), ctx)?;
    Ok(Value::none())
}

/// `remove_done_callback(fn)`: removes every entry whose callback equals `fn`.
fn remove_done_callback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, rest) = this(vm, "remove_done_callback", a)?;
    native_args::no_kw(vm, "remove_done_callback", &rest)?;
    if rest.args.len() != 1 {
        return Err(vm.type_error(format!(
            "remove_done_callback() takes exactly one argument ({} given)",
            rest.args.len()
        )));
    }
    alive_loop(vm, f)?;
    let target = &rest.args[0];
    let snapshot: Vec<(Value, Value)> = f.st.read(|s| s.callbacks.clone());
    let mut drop_ix = Vec::new();
    for (i, (cb, _)) in snapshot.iter().enumerate() {
        let same = cb.raw() == target.raw() || vm.eq(cb, target)?;
        if same {
            drop_ix.push(i);
        }
    }
    if drop_ix.is_empty() {
        return Ok(Value::int(0));
    }
    // Remove the entries compared (the list may have grown meanwhile: later ones stay).
    let removed = f.st.with(|s| {
        let mut out = Vec::new();
        for &i in drop_ix.iter().rev() {
            if i < s.callbacks.len() && s.callbacks[i].0.raw() == snapshot[i].0.raw() {
                out.push(s.callbacks.remove(i));
            }
        }
        out
    });
    let n = removed.len();
    drop(removed);
    Ok(Value::int(n as i64))
}

fn cancel_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, f, rest) = this(vm, "cancel", a)?;
    let b = native_args::bind(vm, "cancel", &rest, &["msg"], 0, 1)?;
    let msg = b[0].cloned().unwrap_or_else(Value::none);
    alive_loop(vm, f)?;
    Ok(Value::bool(cancel(vm, s, f, msg)?))
}

fn cancelled(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "cancelled", a)?;
    Ok(Value::bool(f.st.read(|s| {
        !s.loop_.is_null() && s.state == FutState::Cancelled
    })))
}

fn done(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "done", a)?;
    Ok(Value::bool(f.st.read(|s| {
        !s.loop_.is_null() && s.state != FutState::Pending
    })))
}

fn get_loop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "get_loop", a)?;
    alive_loop(vm, f)
}

fn make_cancelled_error_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, _) = this(vm, "_make_cancelled_error", a)?;
    make_cancelled_error(vm, f)
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _, _) = this(vm, "__repr__", a)?;
    let st = state();
    vm.call(&st.future_repr, std::slice::from_ref(s))
}

/// `__await__` / `__iter__`: a FutureIter.
fn await_(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, f, _) = this(vm, "__await__", a)?;
    alive_loop(vm, f)?;
    Ok(super::future_iter::new(s.clone()))
}

/// `__del__`: the finalizer (Python subclasses run it through `__del__`, exact
/// Futures and Tasks through the native finalizer flag).
fn del(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _, _) = this(vm, "__del__", a)?;
    super::finalize(vm, s);
    Ok(Value::none())
}

// ---- attributes ------------------------------------------------------------------

fn get<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<&'a FutureObj> {
    this(vm, name, a).map(|(_, f, _)| f)
}

fn or_none(v: Value) -> Value {
    if v.is_null() { Value::none() } else { v }
}

fn get_state(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = get(vm, "_state", a)?;
    alive_loop(vm, f)?;
    Ok(crate::world::intern(f.st.read(|s| s.state).name()))
}

fn get_result_attr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = get(vm, "_result", a)?;
    alive_loop(vm, f)?;
    Ok(or_none(f.st.read(|s| s.result.clone())))
}

fn get_exception_attr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = get(vm, "_exception", a)?;
    alive_loop(vm, f)?;
    Ok(or_none(f.st.read(|s| s.exception.clone())))
}

fn get_loop_attr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = get(vm, "_loop", a)?;
    Ok(or_none(f.st.read(|s| s.loop_.clone())))
}

fn get_source_tb(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = get(vm, "_source_traceback", a)?;
    Ok(or_none(f.st.read(|s| {
        if s.loop_.is_null() {
            Value::NULL
        } else {
            s.source_tb.clone()
        }
    })))
}

fn get_cancel_message(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = get(vm, "_cancel_message", a)?;
    Ok(or_none(f.st.read(|s| s.cancel_msg.clone())))
}

fn set_cancel_message(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, rest) = this(vm, "_cancel_message", a)?;
    let v = rest.args.first().cloned().unwrap_or_else(Value::none);
    let old = f.st.with(|s| std::mem::replace(&mut s.cancel_msg, v));
    drop(old);
    Ok(Value::none())
}

fn get_blocking(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = get(vm, "_asyncio_future_blocking", a)?;
    Ok(Value::bool(f.st.read(|s| !s.loop_.is_null() && s.blocking)))
}

fn set_blocking(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, rest) = this(vm, "_asyncio_future_blocking", a)?;
    alive_loop(vm, f)?;
    let v = rest.args.first().cloned().unwrap_or_else(Value::none);
    let b = crate::ops::truthy(vm, &v)?;
    f.st.with(|s| s.blocking = b);
    Ok(Value::none())
}

fn get_log_traceback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = get(vm, "_log_traceback", a)?;
    alive_loop(vm, f)?;
    Ok(Value::bool(f.st.read(|s| s.log_tb)))
}

fn set_log_traceback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, f, rest) = this(vm, "_log_traceback", a)?;
    let v = rest.args.first().cloned().unwrap_or_else(Value::none);
    let b = crate::ops::truthy(vm, &v)?;
    if b {
        return Err(vm.value_error("_log_traceback can only be set to False"));
    }
    f.st.with(|s| s.log_tb = false);
    Ok(Value::none())
}

fn cannot_delete(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.attribute_error("cannot delete attribute"))
}

/// `_callbacks`: None when there are none, else a list of `(callback, context)`.
fn get_callbacks(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = get(vm, "_callbacks", a)?;
    alive_loop(vm, f)?;
    let cbs = f.st.read(|s| s.callbacks.clone());
    if cbs.is_empty() {
        return Ok(Value::none());
    }
    Ok(ListObj::new_value(
        cbs.into_iter()
            .map(|(a, b)| TupleObj::from_items([a, b]))
            .collect(),
    ))
}

/// The methods and attributes of Future (Task inherits them).
pub fn install(t: &Value, st: &State) {
    let _ = st;
    native_args::methods(
        t,
        &[
            ("__init__", future_init),
            ("result", result),
            ("exception", exception),
            ("set_result", set_result_method),
            ("set_exception", set_exception_method),
            ("add_done_callback", add_done_callback_method),
            ("remove_done_callback", remove_done_callback),
            ("cancel", cancel_method),
            ("cancelled", cancelled),
            ("done", done),
            ("get_loop", get_loop),
            ("_make_cancelled_error", make_cancelled_error_method),
            ("__repr__", repr),
            ("__await__", await_),
            ("__iter__", await_),
            ("__del__", del),
        ],
    );
    use native_args::{getset, getset_del};
    getset(t, "_state", get_state, None);
    getset(t, "_result", get_result_attr, None);
    getset(t, "_exception", get_exception_attr, None);
    getset(t, "_loop", get_loop_attr, None);
    getset(t, "_source_traceback", get_source_tb, None);
    getset(t, "_callbacks", get_callbacks, None);
    getset_del(
        t,
        "_cancel_message",
        get_cancel_message,
        set_cancel_message,
        cannot_delete,
    );
    getset_del(
        t,
        "_asyncio_future_blocking",
        get_blocking,
        set_blocking,
        cannot_delete,
    );
    getset_del(
        t,
        "_log_traceback",
        get_log_traceback,
        set_log_traceback,
        cannot_delete,
    );
    native_args::static_new(t, new_static);
    super::class_getitem(t);
}
