//! `sys.settrace` / `sys.setprofile`: a thread's trace and profile functions, and
//! delivering events to them with CPython 3.11's semantics (`call_trace`,
//! `trace_trampoline`, `profile_trampoline` in ceval.c/sysmodule.c).
//!
//! The state is per thread (in the `Vm`). Tier 1 sees one byte of it: `use_tracing`
//! is 0xFF while a function is set and none is running, and the loop ORs it into each
//! opcode byte; 0xFF is no instruction, so every instruction then decodes to nothing
//! and goes to the tracing hook (`interp/tracing.rs`), as CPython 3.11's `DO_TRACING`.
//! With no function set the byte is 0 and the loop pays one OR per instruction.
//!
//! While a trace or profile function runs, `tracing` is non-zero and no events are
//! delivered (the function's own code runs untraced). A function that raises is
//! removed (`settrace(None)` / `setprofile(None)`) and its exception propagates.
use stitch_stencils::frame::FrameHeader;

use crate::types::frame::{FrameObj, frame_object};
use crate::types::func::BuiltinFuncObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm, exc_data};

/// The eval-breaker bit `settrace`/`setprofile` raise so that a running tier-2 trace
/// leaves at its next `CHECK_BREAKER` (tier 1 then runs the loop, traced); cleared by
/// the next breaker poll.
pub const BREAK_TRACE: u32 = 16;

/// The events, as CPython's `PyTrace_*` numbers them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Event {
    Call,
    Exception,
    Line,
    Return,
    CCall,
    CException,
    CReturn,
    Opcode,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::Call => "call",
            Event::Exception => "exception",
            Event::Line => "line",
            Event::Return => "return",
            Event::CCall => "c_call",
            Event::CException => "c_exception",
            Event::CReturn => "c_return",
            Event::Opcode => "opcode",
        }
    }
}

/// A thread's tracing state.
pub struct TraceState {
    /// 0xFF while a trace or profile function is set and none is running, else 0.
    pub use_tracing: u8,
    /// The `sys.settrace` function, NULL when unset.
    pub tracer: Value,
    /// The `sys.setprofile` function, NULL when unset.
    pub profiler: Value,
    /// How many trace/profile calls are running on this thread.
    pub tracing: u32,
    /// The event being delivered (`f_lineno`'s setter checks it), None outside one.
    pub what: Option<Event>,
    /// The instruction `f_lineno`'s setter chose during a 'line' event, with the
    /// value-stack depth it starts with: the hook jumps there when the trace function
    /// returns.
    pub jump: Option<Jump>,
}

/// A jump `f_lineno`'s setter checked (`trace_jump.rs`).
pub struct Jump {
    /// The instruction to continue at.
    pub target: usize,
    /// The value-stack depth there: values above it are dropped.
    pub depth: usize,
    /// Stack positions (from the stack's base) of the dropped values that are saved
    /// exceptions: dropping one makes it the handled exception again (as
    /// `POP_EXCEPT` would have).
    pub excepts: Vec<usize>,
}

impl Default for TraceState {
    fn default() -> Self {
        TraceState {
            use_tracing: 0,
            tracer: Value::NULL,
            profiler: Value::NULL,
            tracing: 0,
            what: None,
            jump: None,
        }
    }
}

impl TraceState {
    fn update(&mut self) {
        self.use_tracing = use_tracing_for(self);
    }
}

/// The `use_tracing` byte `s` calls for.
pub fn use_tracing_for(s: &TraceState) -> u8 {
    if s.tracing == 0 && (!s.tracer.is_null() || !s.profiler.is_null()) {
        0xFF
    } else {
        0
    }
}

/// `sys.settrace(func)`: None removes the function.
pub fn set_trace(vm: &mut Vm, func: Value) {
    let f = if func.is_none() { Value::NULL } else { func };
    let old = std::mem::replace(&mut vm.trace.tracer, f);
    vm.trace.update();
    kick_traces(vm);
    drop(old);
}

/// `sys.setprofile(func)`: None removes the function.
pub fn set_profile(vm: &mut Vm, func: Value) {
    let f = if func.is_none() { Value::NULL } else { func };
    let old = std::mem::replace(&mut vm.trace.profiler, f);
    vm.trace.update();
    kick_traces(vm);
    drop(old);
}

/// A function was set: make a tier-2 trace running on this thread leave (it checks
/// the breaker at its loop's end), and an untraced tier-1 loop hand over to the traced
/// one at its next breaker poll.
fn kick_traces(vm: &Vm) {
    if !vm.trace.tracer.is_null() || !vm.trace.profiler.is_null() {
        kick(vm);
    }
}

/// Raise this thread's `BREAK_TRACE` (one-shot: the next poll clears it).
pub fn kick(vm: &Vm) {
    vm.breaker
        .fetch_or(BREAK_TRACE, stitch_sync::shim::Ordering::SeqCst);
}

fn f_trace_of(fo: &Value) -> Value {
    match fo.downcast::<FrameObj>() {
        Some(f) => f.st.with(|s| s.trace.clone()),
        None => Value::none(),
    }
}

fn set_f_trace(fo: &Value, v: Value) {
    if let Some(f) = fo.downcast::<FrameObj>() {
        let old = f.st.with(|s| std::mem::replace(&mut s.trace, v));
        drop(old);
    }
}

/// Call `func(frame, what, arg)` as one trace/profile call: no events while it runs.
fn call_hook(
    vm: &mut Vm,
    frame: *mut FrameHeader,
    func: &Value,
    fo: &Value,
    what: Event,
    arg: Value,
) -> PyResult<Value> {
    let name = crate::world::intern(what.name());
    // `f_lineno` while the function runs (CPython's `call_trace` sets it too): the
    // running instruction's line, or for one of no line the last line run.
    // SAFETY: `frame` is a live frame of this thread.
    let line = unsafe {
        let co = crate::frame::frame_code(frame);
        match (*frame).instr as usize {
            0 => co.firstlineno,
            i => match co.lines.get(i - 1).copied().unwrap_or(0) {
                0 if (*frame).trace_line != 0 => (*frame).trace_line,
                0 => co.firstlineno,
                l => l,
            },
        }
    };
    let fobj = fo.downcast::<FrameObj>();
    let saved = fobj.map(|f| f.st.with(|s| std::mem::replace(&mut s.trace_lineno, line)));
    let old_what = vm.trace.what.replace(what);
    vm.trace.tracing += 1;
    vm.trace.update();
    let r = vm.call(func, &[fo.clone(), name, arg]);
    if let (Some(f), Some(old)) = (fobj, saved) {
        f.st.with(|s| s.trace_lineno = old);
    }
    vm.trace.tracing -= 1;
    vm.trace.update();
    vm.trace.what = old_what;
    r
}

/// Deliver `what` for `frame` to the trace function (`trace_trampoline`): 'call' goes
/// to the global function, the others to the frame's `f_trace`; a result other than
/// None becomes the frame's `f_trace`.
pub(crate) fn call_trace(
    vm: &mut Vm,
    frame: *mut FrameHeader,
    what: Event,
    arg: Value,
) -> PyResult<()> {
    if vm.trace.tracing != 0 || vm.trace.tracer.is_null() {
        return Ok(());
    }
    // SAFETY: `frame` is a live frame of this thread (callers pass the running one).
    let fo = unsafe { frame_object(frame) };
    let callback = if what == Event::Call {
        vm.trace.tracer.clone()
    } else {
        f_trace_of(&fo)
    };
    if callback.is_none() || callback.is_null() {
        return Ok(());
    }
    match call_hook(vm, frame, &callback, &fo, what, arg) {
        Ok(r) => {
            if !r.is_none() {
                set_f_trace(&fo, r);
            }
            Ok(())
        }
        Err(e) => {
            set_trace(vm, Value::none());
            set_f_trace(&fo, Value::none());
            Err(e)
        }
    }
}

/// Deliver `what` for `frame` to the profile function (`profile_trampoline`).
pub(crate) fn call_profile(
    vm: &mut Vm,
    frame: *mut FrameHeader,
    what: Event,
    arg: Value,
) -> PyResult<()> {
    if vm.trace.tracing != 0 || vm.trace.profiler.is_null() {
        return Ok(());
    }
    // SAFETY: as in `call_trace`.
    let fo = unsafe { frame_object(frame) };
    let func = vm.trace.profiler.clone();
    match call_hook(vm, frame, &func, &fo, what, arg) {
        Ok(_) => Ok(()),
        Err(e) => {
            set_profile(vm, Value::none());
            Err(e)
        }
    }
}

/// A frame starts or resumes ('call' to both functions: `trace_function_entry`).
pub(crate) fn function_entry(vm: &mut Vm, frame: *mut FrameHeader) -> PyResult<()> {
    call_trace(vm, frame, Event::Call, Value::none())?;
    call_profile(vm, frame, Event::Call, Value::none())
}

/// A frame returns or yields `v` ('return': `trace_function_exit`).
pub(crate) fn function_exit(vm: &mut Vm, frame: *mut FrameHeader, v: Value) -> PyResult<()> {
    call_trace(vm, frame, Event::Return, v.clone())?;
    call_profile(vm, frame, Event::Return, v)
}

/// A frame is left by an exception ('return' with None): a function that raises
/// replaces the exception.
pub(crate) fn unwind_exit(vm: &mut Vm, frame: *mut FrameHeader, exc: Value) -> Value {
    match function_exit(vm, frame, Value::none()) {
        Ok(()) => exc,
        Err(e) => e.exc,
    }
}

/// `exc` was raised in `frame` (or passed into it from a callee): the 'exception'
/// event with `(type, value, traceback)` (`call_exc_trace`). A trace function that
/// raises replaces the exception.
pub(crate) fn exception_event(vm: &mut Vm, frame: *mut FrameHeader, exc: Value) -> Value {
    if vm.trace.tracer.is_null() || vm.trace.tracing != 0 {
        return exc;
    }
    let tb = exc_data(&exc)
        .map(|d| d.with(|d| d.traceback.clone()))
        .filter(|t| !t.is_null())
        .unwrap_or_else(Value::none);
    let arg = TupleObj::from_items([exc.type_of(), exc.clone(), tb]);
    match call_trace(vm, frame, Event::Exception, arg) {
        Ok(()) => exc,
        Err(e) => e.exc,
    }
}

/// Call a native callable from `frame` with the profile function's 'c_call',
/// 'c_return' / 'c_exception' around it (CPython's `C_TRACE`: builtin functions and
/// methods only).
pub(crate) fn call_native(
    vm: &mut Vm,
    frame: *mut FrameHeader,
    callable: &Value,
    args: &[Value],
    kwnames: &[Value],
) -> PyResult<Value> {
    if vm.trace.profiler.is_null() || vm.trace.tracing != 0 {
        return vm.call_kw(callable, args, kwnames);
    }
    let Some(b) = callable.downcast::<BuiltinFuncObj>() else {
        return vm.call_kw(callable, args, kwnames);
    };
    // An unbound method descriptor called with its receiver: the event names the
    // bound method, as CPython's `trace_call_function` does.
    let shown = if b.is_method && b.self_.is_null() && !args.is_empty() {
        crate::ops::getattr(vm, &args[0], &crate::world::intern(b.name))
            .unwrap_or_else(|_| callable.clone())
    } else {
        callable.clone()
    };
    call_profile(vm, frame, Event::CCall, shown.clone())?;
    match vm.call_kw(callable, args, kwnames) {
        Ok(v) => {
            call_profile(vm, frame, Event::CReturn, shown)?;
            Ok(v)
        }
        Err(e) => {
            // A profile function that raises replaces the call's exception
            // (`call_trace_protected`).
            call_profile(vm, frame, Event::CException, shown)?;
            Err(e)
        }
    }
}
