//! Tier 1: the bytecode interpreter (code object + frame -> result).
//!
//! One loop runs a chain of frames: a call to a Python function pushes a frame on the
//! thread's data stack and continues in the same loop; `return` pops it. Native code
//! that calls Python (sorted's key, `__eq__`, ...) enters a nested loop whose first
//! frame is marked `is_entry`. Exceptions are dispatched through each code object's
//! exception table.
use stitch_stencils::frame::{ENTRY_DRAINED, FRAME_OWNED_BY_GENERATOR, FrameHeader};
use stitch_stencils::value::RawValue;

use crate::compile::codegen::CO_CLASSBODY;
use crate::instructions::Op;
mod cursor;
mod tracing;

use cursor::Cursor;

use crate::frame::clear_frame;
use crate::ops;
use crate::specialize::exec as spec;
use crate::specialize::shared::{self, InitCall};
use crate::specialize::stack::Stack;
use crate::types::dict::DictObj;
use crate::types::func::BuiltinFuncObj;
use crate::types::func::{CellObj, FuncObj, MethodObj};
use crate::types::generator::GenObj;
use crate::types::int::is_exact_int;
use crate::types::iter::IterObj;
use crate::types::list::ListObj;
use crate::types::str::{StrObj, as_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm, exc_data};
use crate::world::types;
use stitch_stencils::uops;

/// Run `entry` (already initialised, `is_entry` set) to completion.
/// Returns (value, yielded).
pub fn run(vm: &mut Vm, entry: *mut FrameHeader) -> PyResult<(Value, bool)> {
    eval(vm, entry, None)
}

/// Resume a generator frame, optionally throwing `exc` into it.
pub fn run_gen(
    vm: &mut Vm,
    entry: *mut FrameHeader,
    exc: Option<Value>,
) -> PyResult<(Value, bool)> {
    eval(vm, entry, exc.map(|e| PyErr { exc: e }))
}

/// The exception `exc` is in `frame` at instruction `instr` (raised there, or passing
/// through): put a traceback entry for the frame in front of its `__traceback__`.
fn add_traceback(exc: &Value, frame: *mut FrameHeader, instr: usize) {
    if let Some(d) = exc_data(exc) {
        // SAFETY: frame is the live innermost frame of this thread; its object reads
        // the instruction from the header, which the loop keeps in a register.
        let fo = unsafe {
            (*frame).instr = instr as u32 + 1;
            crate::types::frame::frame_object(frame)
        };
        let old = d.with(|d| std::mem::replace(&mut d.traceback, Value::NULL));
        let tb = crate::types::traceback::TbObj::new_value(fo, instr as u32, old);
        d.with(|d| d.traceback = tb);
    }
}

/// Chain the exception being handled as `exc.__context__`, as raising does in Python.
fn set_context(vm: &Vm, exc: &Value) {
    let h = vm.topmost_handled();
    if h.is_null() || h.is(exc) {
        return;
    }
    let Some(d) = exc_data(exc) else { return };
    if !d.with(|d| d.context.is_null()) {
        return;
    }
    chain_context(exc, &h);
}

/// Make `handled` the `__context__` of `exc`, first cutting `exc` out of `handled`'s
/// own context chain so no cycle forms (`_PyErr_SetObject`).
pub fn chain_context(exc: &Value, handled: &Value) {
    if handled.is(exc) {
        return;
    }
    let Some(d) = exc_data(exc) else { return };
    let mut cur = handled.clone();
    for _ in 0..100 {
        let next = match exc_data(&cur) {
            Some(cd) => cd.with(|c| c.context.clone()),
            None => break,
        };
        if next.is_null() {
            break;
        }
        if next.is(exc) {
            if let Some(cd) = exc_data(&cur) {
                cd.with(|c| c.context = Value::NULL);
            }
            break;
        }
        cur = next;
    }
    let h = handled.clone();
    d.with(|d| d.context = h);
}

#[inline(always)]
fn truthy_fast(v: &Value) -> Option<bool> {
    match v.raw() {
        RawValue::TRUE => Some(true),
        RawValue::FALSE | RawValue::NONE => Some(false),
        r if r.is_small_int() => Some(r.as_small_int() != 0),
        _ => None,
    }
}

fn eval(vm: &mut Vm, entry: *mut FrameHeader, throw: Option<PyErr>) -> PyResult<(Value, bool)> {
    if vm.native_depth >= crate::vm::MAX_NATIVE_DEPTH {
        if throw.is_none() {
            // SAFETY: a non-generator entry frame is on the data stack; release it.
            unsafe { discard_entry(vm, entry) };
        }
        return Err(vm.recursion_error());
    }
    vm.native_depth += 1;
    vm.depth += 1;
    // SAFETY: `entry` is an initialised frame; link it on top of the current one.
    unsafe { (*entry).previous = vm.frame };
    vm.frame = entry;
    // SAFETY: `entry` is the live innermost frame.
    if vm.trace.use_tracing != 0 && (throw.is_some() || unsafe { (*entry).instr } != 0) {
        // A generator resumes or is thrown into: 'call' (a new frame's comes with its
        // first instruction). A trace function that raises ends the frame there.
        if let Err(e) = crate::trace::function_entry(vm, entry) {
            finish_entry(vm, entry);
            return Err(e);
        }
    }
    // The loop runs untraced (no per-instruction check) until a trace or profile
    // function is set on this thread; it then hands over, where it stands, to the
    // traced loop, which sends every instruction through the tracing hook while one is
    // set. A loop entered while tracing starts traced. The traced loop is also the
    // instrumented one: with `-X stats` on, every loop runs it (it counts hits).
    let mut pending = throw;
    if vm.trace.use_tracing == 0 && !crate::specialize::stats::enabled() {
        match eval_loop::<false>(vm, pending)? {
            Some(r) => return Ok(r),
            None => pending = None,
        }
    }
    Ok(eval_loop::<true>(vm, pending)?.unwrap_or_else(|| (Value::none(), false)))
}

/// Run the frames of this loop from the innermost one (`vm.frame`, saved or fresh)
/// until its entry frame returns or yields (`Some`), or, in the untraced loop, until
/// tracing starts (`None`: the cursor saved in the innermost frame).
#[allow(clippy::cognitive_complexity, reason = "one arm per instruction")]
fn eval_loop<const TRACED: bool>(
    vm: &mut Vm,
    throw: Option<PyErr>,
) -> PyResult<Option<(Value, bool)>> {
    // The loop's position under `Cursor`'s invariant, which every `unsafe` access to
    // the frame and its stack below relies on.
    // SAFETY: the innermost frame is initialised and saved (or fresh).
    let mut cursor = unsafe { Cursor::resume(vm.frame) };
    let c = &mut cursor;
    // The loop's position as a `Cursor` value, and back: calls, returns and unwinding
    // hand it to `cursor.rs` and continue where it says.
    macro_rules! here {
        () => {
            *c
        };
    }
    macro_rules! move_to {
        ($cursor:expr) => {
            *c = $cursor
        };
    }
    // `-X stats` counts hits in the instrumented loop only (`eval` runs it while stats
    // are on): a relaxed load and a branch in every specialized instruction of the
    // plain loop cost 0.9% of its instructions (callgrind, richards and deltablue).
    macro_rules! count_hit {
        ($op:expr) => {
            if TRACED {
                crate::specialize::stats::hit($op)
            }
        };
    }
    let mut pending = throw;
    let mut reraise = false;

    loop {
        let err: PyErr = if let Some(e) = pending.take() {
            reraise = true;
            if vm.trace.use_tracing != 0 {
                // Thrown in: 'exception' in the generator's frame.
                PyErr {
                    exc: crate::trace::exception_event(vm, c.frame, e.exc),
                }
            } else {
                e
            }
        } else {
            'run: loop {
                macro_rules! push {
                    ($v:expr) => {{
                        let v: Value = $v;
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        unsafe { c.lp.add(c.sp).write(v) };
                        c.sp += 1;
                    }};
                }
                macro_rules! pop {
                    () => {{
                        c.sp -= 1;
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        unsafe { c.lp.add(c.sp).read() }
                    }};
                }
                macro_rules! peek {
                    ($n:expr) => {
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        unsafe { &*c.lp.add(c.sp - $n) }
                    };
                }
                // Run what deallocations queued (closing abandoned generators,
                // `__del__`, weak-reference callbacks) after an instruction that may
                // have dropped the last reference to something.
                macro_rules! safe_point {
                    () => {
                        if crate::builtins::generators::has_pending() {
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            unsafe { (*c.frame).stack_top = c.sp as u32 };
                            crate::builtins::generators::run_pending(vm);
                        }
                    };
                }
                macro_rules! tri {
                    ($e:expr) => {
                        match $e {
                            Ok(v) => v,
                            Err(e) => break 'run e,
                        }
                    };
                }
                // The untraced loop hands over to the traced one once a trace or
                // profile function is set (checked where the loop polls the breaker,
                // which `settrace` sets, and after returns and native calls, cheap next
                // to them).
                macro_rules! maybe_switch {
                    () => {
                        if !TRACED && vm.trace.use_tracing != 0 {
                            here!().save();
                            return Ok(None);
                        }
                    };
                }
                // Suspend the current frame at `ip` and continue in `new_frame` (a call).
                macro_rules! enter_frame {
                    ($new_frame:expr) => {{
                        let nf: *mut FrameHeader = $new_frame;
                        let breaker = vm.poll_breaker_bits();
                        let here = here!();
                        move_to!({
                            // SAFETY: `nf` is a freshly initialised frame.
                            unsafe { here.enter(vm, nf) }
                        });
                        if breaker != 0 {
                            maybe_switch!();
                        }
                        continue;
                    }};
                }
                macro_rules! name {
                    ($i:expr) => {
                        &c.co.names[$i]
                    };
                }
                // An exact positional call of `func` (the callable in slot `base`):
                // move the arguments into a new frame and enter it. Falls through,
                // changing nothing, when the call is not exact.
                macro_rules! exact_call {
                    ($op:expr, $base:expr, $has_self:expr, $args_start:expr, $func:expr) => {{
                        // SAFETY: the callable and argument slots hold owned values; on
                        // success they belong to the new frame and are not dropped here.
                        let fast = unsafe {
                            vm.push_frame_exact_moving(c.lp.add($base), $func, c.lp.add($args_start), c.sp - $args_start)
                        };
                        if let Some(r) = fast {
                            let new_frame = match r {
                                Ok(f) => f,
                                Err(e) => {
                                    for i in $base..c.sp {
                                        // SAFETY: nothing was moved on failure; release the call's stack items.
                                        unsafe { drop(c.lp.add(i).read()) };
                                    }
                                    c.sp = $base;
                                    break 'run e;
                                }
                            };
                            // SAFETY: the new frame holds the callable it took (viewed
                            // without counting, never dropped).
                            let callable = std::mem::ManuallyDrop::new(unsafe {
                                Value::from_raw((*new_frame).func)
                            });
                            crate::tier2::recorder::call(c.co, c.ip - 1, &callable);
                            if !$has_self {
                                // SAFETY: the NULL self slot (when absent) was not moved.
                                unsafe { drop(c.lp.add($base + 1).read()) };
                            }
                            c.sp = $base;
                            if $op.is_specialized() {
                                count_hit!($op);
                            }
                            enter_frame!(new_frame);
                        }
                    }};
                }
                // SAFETY: `units` are the live code's (`Cursor::at`); the instruction index stays within them
                // (`specialize::new_caches` says why).
                let word = unsafe { crate::specialize::Caches::unit_at(c.units, c.ip) };
                c.ip += 1;
                let mut arg = (word >> 8) as usize;
                // Generic instructions count toward specialization unless they run
                // because a specialized one missed (or under a tracer).
                let mut adaptive = true;
                // `use_tracing` is 0, or 0xFF (no instruction) while a trace or profile
                // function is set: then every instruction goes through the hook.
                let tracing = if TRACED { vm.trace.use_tracing } else { 0 };
                let decoded = if TRACED {
                    Op::from_u8((word & 0xff) as u8 | tracing)
                } else {
                    // SAFETY: every live unit's opcode is an `Op` (`specialize::new_caches`),
                    // and `Op` is `repr(u8)`. Decoding without the range check saved 0.6-1%
                    // of tier 1's instructions (callgrind: fib, richards, deltablue).
                    Some(unsafe { std::mem::transmute::<u8, Op>((word & 0xff) as u8) })
                };
                let mut op = match decoded {
                    Some(op) => op,
                    None => {
                        let mut c = here!();
                        let r = tracing::before_instruction(vm, &mut c, word);
                        move_to!(c);
                        match r {
                            Ok((o, a)) => {
                                adaptive = false;
                                arg = a;
                                o
                            }
                            Err(tracing::Stop::Raise(e)) => break 'run e,
                            Err(tracing::Stop::Exit(e)) => {
                                move_to!(cursor::exit_frame(vm, here!(), e.exc)?);
                                continue 'run;
                            }
                        }
                    }
                };
                if op.is_specialized() {
                    let here = c.ip - 1;
                    // False when the fall-back to the generic instruction is part of
                    // the specialization (big ints), not a failed guard.
                    let mut counted = true;
                    macro_rules! hit {
                        () => {{
                            count_hit!(op);
                            continue 'run;
                        }};
                    }
                    // A native call's end: release its slots from `base` up, then push
                    // its result (or raise).
                    macro_rules! finish_call {
                        ($base:expr, $r:expr) => {{
                            for i in $base..c.sp {
                                // SAFETY: the call's slots hold owned values; released once.
                                unsafe { drop(c.lp.add(i).read()) };
                            }
                            c.sp = $base;
                            let r = tri!($r);
                            push!(r);
                            hit!();
                        }};
                    }
                    // Replace the two int/float operands (no references to release)
                    // by a raw int/float/bool result.
                    macro_rules! raw_result {
                        ($r:expr) => {{
                            let r: RawValue = $r;
                            c.sp -= 1;
                            // SAFETY: the slot below the top held an int or float operand (no reference); it receives a value that needs none either.
                            unsafe { c.lp.add(c.sp - 1).write(Value::from_raw(r)) };
                            hit!();
                        }};
                    }
                    // Int operators: small ints in place; big ints (or a result that
                    // leaves the small range) take the generic path without counting
                    // a miss: the specialization is for ints, as CPython's is.
                    macro_rules! int_op {
                        ($f:path) => {{
                            let (a, b) = (peek!(2).raw(), peek!(1).raw());
                            if uops::guard_both_int(a, b) {
                                if let Some(r) = $f(a, b) {
                                    raw_result!(r);
                                }
                                counted = false;
                            } else if is_exact_int(peek!(2)) && is_exact_int(peek!(1)) {
                                counted = false;
                            }
                        }};
                    }
                    macro_rules! float_op {
                        ($f:path) => {{
                            if let Some((a, b)) =
                                uops::float_operands(peek!(2).raw(), peek!(1).raw())
                            {
                                raw_result!($f(a, b));
                            }
                        }};
                    }
                    // The POP_JUMP_IF_FALSE/TRUE after a fused compare (never specialized,
                    // so the compiled unit is the live one).
                    macro_rules! fused_jump {
                        ($cond:expr) => {{
                            let next = c.co.code[c.ip];
                            let if_true = (next & 0xff) as u8 == Op::POP_JUMP_IF_TRUE as u8;
                            let taken = uops::pop_jump_if($cond, if_true);
                            crate::tier2::branch_history::record(&c.co.quick, c.ip, taken);
                            if taken {
                                c.ip = (next >> 8) as usize;
                            } else {
                                c.ip += 1;
                            }
                            hit!();
                        }};
                    }
                    macro_rules! replace_top {
                        ($v:expr) => {{
                            let v: Value = $v;
                            // SAFETY: the top slot holds an owned value, replaced and released.
                            drop(unsafe { std::ptr::replace(c.lp.add(c.sp - 1), v) });
                            hit!();
                        }};
                    }
                    macro_rules! record {
                        () => {
                            crate::specialize::exec::record(c.co, here, op)
                        };
                    }
                    // Run a body shared with the trace helpers (`specialize::shared`)
                    // on this frame's stack: on a hit the stack is as the body left
                    // it; on a miss (`None`) it is untouched and the generic
                    // instruction runs.
                    macro_rules! shared {
                        (|$s:ident| $body:expr) => {{
                            // SAFETY: slots below `sp` are this frame's owned stack
                            // values (none borrowed), and pushes stay within the
                            // stack's computed depth.
                            let mut stack = unsafe { Stack::new(c.lp.add(c.sp), 0) };
                            let $s = &mut stack;
                            let hit: Option<()> = $body;
                            if hit.is_some() {
                                // SAFETY: the body moved the top within this stack.
                                c.sp = unsafe { stack.top().offset_from(c.lp) } as usize;
                                true
                            } else {
                                false
                            }
                        }};
                    }
                    // `shared!` for the arms that are rarely hot: the body runs out of
                    // line, keeping `eval` small (its size decides how well LLVM
                    // compiles every arm).
                    macro_rules! shared_cold {
                        (|$s:ident| $body:expr) => {{
                            // SAFETY: as `shared!`.
                            match unsafe { out_of_line(c.lp, c.sp, |$s| $body) } {
                                Some(top) => {
                                    c.sp = top;
                                    true
                                }
                                None => false,
                            }
                        }};
                    }
                    match op {
                        Op::BINARY_OP_ADD_INT => int_op!(uops::add_int),
                        Op::BINARY_OP_SUB_INT => int_op!(uops::sub_int),
                        Op::BINARY_OP_MUL_INT => int_op!(uops::mul_int),
                        Op::BINARY_OP_FLOORDIV_INT => int_op!(uops::floordiv_int),
                        Op::BINARY_OP_MOD_INT => int_op!(uops::mod_int),
                        Op::BINARY_OP_AND_INT => int_op!(uops::and_int),
                        Op::BINARY_OP_OR_INT => int_op!(uops::or_int),
                        Op::BINARY_OP_XOR_INT => int_op!(uops::xor_int),
                        Op::BINARY_OP_LSHIFT_INT => int_op!(uops::lshift_int),
                        Op::BINARY_OP_RSHIFT_INT => int_op!(uops::rshift_int),
                        Op::BINARY_OP_ADD_FLOAT => float_op!(uops::add_float),
                        Op::BINARY_OP_SUB_FLOAT => float_op!(uops::sub_float),
                        Op::BINARY_OP_MUL_FLOAT => float_op!(uops::mul_float),
                        Op::BINARY_OP_TRUEDIV_FLOAT => {
                            if let Some((a, b)) =
                                uops::float_operands(peek!(2).raw(), peek!(1).raw())
                                && let Some(r) = uops::truediv_float(a, b)
                            {
                                raw_result!(r);
                            }
                        }
                        Op::BINARY_OP_ADD_STR => {
                            if let (Some(x), Some(y)) = (
                                peek!(2).downcast_exact::<StrObj>(),
                                peek!(1).downcast_exact::<StrObj>(),
                            ) && !x.surrogates
                                && !y.surrogates
                            {
                                let mut s = String::with_capacity(x.s.len() + y.s.len());
                                s.push_str(&x.s);
                                s.push_str(&y.s);
                                let r = crate::types::str::new_string_len(s, x.nchars + y.nchars);
                                drop(pop!());
                                replace_top!(r);
                            }
                        }
                        Op::COMPARE_OP_INT | Op::COMPARE_OP_INT_JUMP => {
                            let (a, b) = (peek!(2).raw(), peek!(1).raw());
                            if uops::guard_both_int(a, b) {
                                let r = uops::compare_int(a, b, arg as u32);
                                if op == Op::COMPARE_OP_INT {
                                    raw_result!(RawValue::from_bool(r));
                                }
                                c.sp -= 2;
                                fused_jump!(r);
                            }
                        }
                        Op::COMPARE_OP_FLOAT | Op::COMPARE_OP_FLOAT_JUMP => {
                            let (a, b) = (peek!(2).raw(), peek!(1).raw());
                            if uops::guard_both_float(a, b) {
                                let r = uops::compare_float(a, b, arg as u32);
                                if op == Op::COMPARE_OP_FLOAT {
                                    raw_result!(RawValue::from_bool(r));
                                }
                                c.sp -= 2;
                                fused_jump!(r);
                            }
                        }
                        Op::COMPARE_OP_STR | Op::COMPARE_OP_STR_JUMP => {
                            if let (Some(x), Some(y)) = (
                                peek!(2).downcast_exact::<StrObj>(),
                                peek!(1).downcast_exact::<StrObj>(),
                            ) && !x.surrogates
                                && !y.surrogates
                            {
                                let r = uops::compare_str(&x.s, &y.s, arg as u32);
                                drop(pop!());
                                drop(pop!());
                                if op == Op::COMPARE_OP_STR {
                                    push!(Value::bool(r));
                                    hit!();
                                }
                                fused_jump!(r);
                            }
                        }
                        Op::LOAD_ATTR_INSTANCE => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::load_attr(
                                    Op::LOAD_ATTR_INSTANCE,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        // Inline: classes with `__slots__` read them in their hot loops.
                        Op::LOAD_ATTR_SLOT => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::load_attr(
                                    Op::LOAD_ATTR_SLOT,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        // The getter's frame is entered here; its return value takes
                        // the instance's place on this stack (CPython 3.12's
                        // LOAD_ATTR_PROPERTY).
                        Op::LOAD_ATTR_PROPERTY => {
                            if let Some(rec) = record!()
                                && let Some(getter) = spec::property_getter(rec, peek!(1))
                            {
                                let getter = std::mem::ManuallyDrop::new(getter);
                                // `python_getter` checked the function.
                                let func =
                                    getter.downcast_exact::<FuncObj>().unwrap_or_else(|| {
                                        unreachable!("a property getter that is not a function")
                                    });
                                // SAFETY: the top slot holds the instance, moved into the
                                // new frame as its argument on success, as is the getter
                                // reference `getter` owns.
                                let made = unsafe {
                                    vm.push_frame_exact_moving(
                                        &*getter,
                                        func,
                                        c.lp.add(c.sp - 1),
                                        1,
                                    )
                                };
                                match made {
                                    Some(Ok(f)) => {
                                        c.sp -= 1;
                                        count_hit!(op);
                                        enter_frame!(f);
                                    }
                                    Some(Err(e)) => {
                                        drop(std::mem::ManuallyDrop::into_inner(getter));
                                        break 'run e;
                                    }
                                    None => drop(std::mem::ManuallyDrop::into_inner(getter)),
                                }
                            }
                        }
                        Op::LOAD_ATTR_NONDESCRIPTOR => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::load_attr(
                                    Op::LOAD_ATTR_NONDESCRIPTOR,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        Op::LOAD_ATTR_CLASS => {
                            if let Some(rec) = record!()
                                && shared_cold!(|s| shared::load_attr(
                                    Op::LOAD_ATTR_CLASS,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        Op::LOAD_ATTR_MODULE => {
                            if let Some(rec) = record!()
                                && shared_cold!(|s| shared::load_attr(
                                    Op::LOAD_ATTR_MODULE,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        Op::LOAD_METHOD_INSTANCE => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::load_method(
                                    Op::LOAD_METHOD_INSTANCE,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        Op::LOAD_METHOD_INSTANCE_ATTR => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::load_method(
                                    Op::LOAD_METHOD_INSTANCE_ATTR,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        Op::LOAD_METHOD_NO_DICT => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::load_method(
                                    Op::LOAD_METHOD_NO_DICT,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        Op::LOAD_METHOD_SUBCLASS => {
                            if let Some(rec) = record!()
                                && shared_cold!(|s| shared::load_method(
                                    Op::LOAD_METHOD_SUBCLASS,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        Op::LOAD_METHOD_CLASS => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::load_method(
                                    Op::LOAD_METHOD_CLASS,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        // Inline: `module.function(...)` (math.sqrt) is a hot call.
                        Op::LOAD_METHOD_MODULE => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::load_method(
                                    Op::LOAD_METHOD_MODULE,
                                    rec,
                                    name!(arg),
                                    s
                                ))
                            {
                                hit!();
                            }
                        }
                        Op::STORE_ATTR_INSTANCE | Op::STORE_ATTR_SLOT => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::store_attr(op, rec, name!(arg), s))
                            {
                                safe_point!();
                                hit!();
                            }
                        }
                        Op::LOAD_GLOBAL_MODULE | Op::LOAD_GLOBAL_BUILTIN => {
                            // SAFETY: the frame's globals field is a strong reference to
                            // a dict, borrowed here as a `Value` (same representation).
                            let globals =
                                unsafe { &*(&raw const (*c.frame).globals as *const Value) };
                            if let Some(rec) = record!() {
                                let v = if op == Op::LOAD_GLOBAL_MODULE {
                                    spec::load_global_module(rec, globals)
                                } else {
                                    spec::load_global_builtin(rec, globals, vm.builtins_dict())
                                };
                                if let Some(v) = v {
                                    push!(v);
                                    hit!();
                                }
                            }
                        }
                        Op::CALL_PY_EXACT_ARGS | Op::CALL_BOUND_METHOD_EXACT_ARGS => {
                            let base = c.sp - arg - 2;
                            if op == Op::CALL_BOUND_METHOD_EXACT_ARGS {
                                // SAFETY: see the loop invariants; the call's slots hold owned values.
                                unsafe { unpack_bound_method(c.lp.add(base)) };
                            }
                            // SAFETY: see the loop invariants at the top of `eval`.
                            let callable = unsafe { &*c.lp.add(base) };
                            if let Some(func) = callable.downcast_exact::<FuncObj>() {
                                // SAFETY: as above.
                                let has_self = unsafe { !(*c.lp.add(base + 1)).is_null() };
                                let args_start = if has_self { base + 1 } else { base + 2 };
                                exact_call!(op, base, has_self, args_start, func);
                            }
                        }
                        Op::CALL_PY_GENERATOR => {
                            let base = c.sp - arg - 2;
                            // SAFETY: see the loop invariants; the call's slots hold owned values.
                            let callable = unsafe { &*c.lp.add(base) };
                            // SAFETY: as above.
                            let has_self = unsafe { !(*c.lp.add(base + 1)).is_null() };
                            let args_start = if has_self { base + 1 } else { base + 2 };
                            let n = c.sp - args_start;
                            if let Some(func) = callable.downcast_exact::<FuncObj>()
                                && func.makes_generator_positionally(n)
                            {
                                // SAFETY: slots `args_start..sp` hold owned values, viewed
                                // for the call (released by `finish_call`).
                                let args =
                                    unsafe { std::slice::from_raw_parts(c.lp.add(args_start), n) };
                                let r = vm.new_generator(callable, func, args, &[]);
                                finish_call!(base, r);
                            }
                        }
                        Op::CALL_ALLOC_AND_ENTER_INIT => {
                            let rec = record!();
                            // SAFETY: the call's `arg + 2` items are on the stack.
                            let mut stack = unsafe { Stack::new(c.lp.add(c.sp), 0) };
                            // SAFETY: as above.
                            match unsafe { enter_init(vm, rec, arg, &mut stack) } {
                                InitCall::Entered(f) => {
                                    if let Some(rec) = rec {
                                        // SAFETY: the record's `__init__` is live (its
                                        // class's version matched just now); viewed as a
                                        // `Value` without counting, never dropped.
                                        let init = std::mem::ManuallyDrop::new(unsafe {
                                            Value::from_raw(rec.first().value)
                                        });
                                        crate::tier2::recorder::call(c.co, c.ip - 1, &init);
                                    }
                                    // SAFETY: the body moved the top within this stack.
                                    c.sp = unsafe { stack.top().offset_from(c.lp) } as usize;
                                    count_hit!(op);
                                    enter_frame!(f);
                                }
                                InitCall::TooDeep => break 'run vm.recursion_error(),
                                InitCall::Miss => {}
                            }
                        }
                        Op::CALL_BUILTIN => {
                            let base = c.sp - arg - 2;
                            // SAFETY: see the loop invariants at the top of `eval`.
                            let callable = unsafe { &*c.lp.add(base) };
                            // SAFETY: as above.
                            let self_empty = unsafe { (*c.lp.add(base + 1)).is_null() };
                            if let Some(b) = BuiltinFuncObj::of(callable)
                                && (b.self_.is_null() || self_empty)
                            {
                                let fp = b.f;
                                // A bound native method (`append = xs.append`) is its
                                // function called with self first: self goes into the
                                // empty self slot, so no argument vector is built.
                                if !b.self_.is_null() {
                                    // SAFETY: the self slot is NULL (checked above).
                                    unsafe { c.lp.add(base + 1).write(b.self_.clone()) };
                                }
                                // SAFETY: as above.
                                let has_self = unsafe { !(*c.lp.add(base + 1)).is_null() };
                                let args_start = if has_self { base + 1 } else { base + 2 };
                                // SAFETY: the argument slots hold owned values until dropped below.
                                let args: &[Value] = unsafe {
                                    std::slice::from_raw_parts(
                                        c.lp.add(args_start),
                                        c.sp - args_start,
                                    )
                                };
                                // Native callees may inspect the caller's line (sys._getframe).
                                // SAFETY: `frame` is the live innermost frame of this loop.
                                unsafe { (*c.frame).instr = c.ip as u32 };
                                // An unbound method descriptor checks its receiver.
                                let r = match crate::types::method_receiver::check(vm, b, args) {
                                    Ok(()) => fp(vm, &crate::vm::Args { args, kwnames: &[] }),
                                    Err(e) => Err(e),
                                };
                                finish_call!(base, r);
                            }
                        }
                        Op::CALL_BUILTIN_CLASS => {
                            let base = c.sp - arg - 2;
                            // SAFETY: see the loop invariants at the top of `eval`.
                            let (callable, self_empty) =
                                unsafe { (&*c.lp.add(base), (*c.lp.add(base + 1)).is_null()) };
                            if self_empty && spec::builtin_class(callable) {
                                // SAFETY: the argument slots hold owned values until
                                // dropped below.
                                let args: &[Value] =
                                    unsafe { std::slice::from_raw_parts(c.lp.add(base + 2), arg) };
                                // Constructors may inspect the caller (`super()`).
                                // SAFETY: `frame` is the live innermost frame of this loop.
                                unsafe { (*c.frame).instr = c.ip as u32 };
                                let r = if arg == 1 && callable.raw() == types().type_ {
                                    Ok(args[0].type_of())
                                } else {
                                    crate::builtins::classes::call_type_standard(
                                        vm,
                                        callable,
                                        &crate::vm::Args { args, kwnames: &[] },
                                    )
                                };
                                finish_call!(base, r);
                            }
                        }
                        Op::CALL_LEN => {
                            if let Some(rec) = record!() {
                                if shared_cold!(|s| shared::call_len(rec, arg, s)) {
                                    hit!();
                                }
                                // Another object (a native container, a class with a
                                // `__len__`): still `len(x)` while the call is the
                                // recorded builtin, without the generic call's layers.
                                let base = c.sp - arg - 2;
                                // SAFETY: see the loop invariants at the top of `eval`.
                                let is_len = unsafe {
                                    (*c.lp.add(base + 1)).is_null()
                                        && (*c.lp.add(base)).raw() == rec.first().value
                                };
                                if arg == 1 && is_len {
                                    // SAFETY: `frame` is the live innermost frame of this loop.
                                    unsafe { (*c.frame).instr = c.ip as u32 };
                                    let x = pop!();
                                    let r = crate::ops::len(vm, &x);
                                    drop(x);
                                    // SAFETY: `len` and the NULL self slot, owned; released once.
                                    unsafe {
                                        drop(c.lp.add(base).read());
                                        drop(c.lp.add(base + 1).read());
                                    }
                                    c.sp = base;
                                    let n = tri!(r);
                                    push!(Value::int(n as i64));
                                    hit!();
                                }
                            }
                        }
                        Op::CALL_ALLOC_NO_INIT => {
                            if let Some(rec) = record!()
                                && shared!(|s| shared::call_alloc_no_init(rec, arg, s))
                            {
                                hit!();
                            }
                        }
                        Op::CALL_LIST_APPEND => {
                            if let Some(rec) = record!()
                                && shared_cold!(|s| shared::call_list_append(rec, arg, s))
                            {
                                hit!();
                            }
                        }
                        Op::FOR_ITER_RANGE | Op::FOR_ITER_LIST | Op::FOR_ITER_TUPLE => {
                            match spec::for_iter(op, peek!(1)) {
                                Some(Some(v)) => {
                                    push!(v);
                                    hit!();
                                }
                                Some(None) => {
                                    drop(pop!());
                                    c.ip = arg;
                                    hit!();
                                }
                                None => {}
                            }
                        }
                        Op::BINARY_SUBSCR_LIST_INT => {
                            if shared!(|s| shared::binary_subscr(Op::BINARY_SUBSCR_LIST_INT, s)) {
                                hit!();
                            }
                        }
                        Op::BINARY_SUBSCR_TUPLE_INT => {
                            if shared!(|s| shared::binary_subscr(Op::BINARY_SUBSCR_TUPLE_INT, s)) {
                                hit!();
                            }
                        }
                        Op::BINARY_SUBSCR_DICT => {
                            if let Some(d) = spec::exact_dict(peek!(2)) {
                                match d.get(vm, peek!(1)) {
                                    Ok(Some(v)) => {
                                        drop(pop!());
                                        replace_top!(v);
                                    }
                                    Ok(None) => {}
                                    // Hashing or comparing ran Python code that raised:
                                    // the generic path would run it again.
                                    Err(e) => break 'run e,
                                }
                            }
                        }
                        Op::STORE_SUBSCR_LIST_INT => {
                            if shared!(|s| shared::store_subscr_list_int(s)) {
                                safe_point!();
                                hit!();
                            }
                        }
                        Op::STORE_SUBSCR_DICT if spec::exact_dict(peek!(2)).is_some() => {
                            let k = pop!();
                            let c = pop!();
                            let v = pop!();
                            if let Some(d) = spec::exact_dict(&c) {
                                tri!(d.set(vm, k, v));
                            }
                            drop(c);
                            safe_point!();
                            hit!();
                        }
                        Op::JUMP_BACKWARD_JIT => {
                            if let Some(rec) = record!() {
                                let bits = vm.poll_breaker_bits();
                                if bits & crate::modules::signal::BREAK_SIGNAL != 0 {
                                    tri!(crate::modules::signal::run_pending(vm));
                                }
                                if bits != 0 && !TRACED && vm.trace.use_tracing != 0 {
                                    // Tracing started: the traced loop takes this back
                                    // edge, as tier 1's.
                                    c.ip = here;
                                    maybe_switch!();
                                }
                                // SAFETY: the trace was compiled for this code object,
                                // this back edge and the loop head's stack depth, which
                                // is where tier 1 is now (`sp` slots of `lp` are live).
                                let r = unsafe {
                                    crate::tier2::run_loop(
                                        vm,
                                        c.co,
                                        here,
                                        rec,
                                        c.frame,
                                        c.lp as *mut RawValue,
                                        c.sp,
                                    )
                                };
                                let (next_ip, next_sp, at, err) = match r {
                                    Ok((i, s, f)) => (i, s, f, None),
                                    Err(((i, s, f), e)) => (i, s, f, Some(e)),
                                };
                                if at != c.frame {
                                    // The trace left inside a call it inlined: continue
                                    // in that frame (the trace linked it and made it
                                    // the VM's current frame).
                                    // SAFETY: `at` is now the live innermost frame.
                                    move_to!(unsafe { Cursor::at(at, next_sp, next_ip) });
                                } else {
                                    c.ip = next_ip;
                                    c.sp = next_sp;
                                }
                                if let Some(e) = err {
                                    break 'run e;
                                }
                                continue 'run;
                            }
                        }
                        Op::UNPACK_SEQUENCE_TUPLE => {
                            if shared!(|s| shared::unpack_sequence(
                                Op::UNPACK_SEQUENCE_TUPLE,
                                arg,
                                s
                            )) {
                                hit!();
                            }
                        }
                        Op::UNPACK_SEQUENCE_LIST => {
                            if shared!(|s| shared::unpack_sequence(
                                Op::UNPACK_SEQUENCE_LIST,
                                arg,
                                s
                            )) {
                                hit!();
                            }
                        }
                        _ => {}
                    }
                    match op.family() {
                        _ if !counted => count_hit!(op),
                        Op::LOAD_ATTR | Op::LOAD_METHOD | Op::STORE_ATTR => {
                            crate::specialize::miss(vm, c.co, here, op, &[peek!(1)])
                        }
                        _ => crate::specialize::miss(vm, c.co, here, op, &[]),
                    }
                    op = op.family();
                    adaptive = false;
                }
                // Count this generic execution; at zero, try to specialize the site
                // for the operands on the stack.
                macro_rules! adapt {
                    ($($operand:expr),*) => {
                        if adaptive && crate::specialize::should_specialize(&c.co.quick, c.ip - 1) {
                            crate::specialize::specialize(vm, c.co, c.ip - 1, &[$($operand),*]);
                        }
                    };
                }
                // Generic instructions may run native code that reads this frame's
                // line (`f_lineno`, `sys._getframe`, warnings): keep it current.
                // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                unsafe { (*c.frame).instr = c.ip as u32 };
                match op {
                    Op::NOP | Op::DELETE_LOCAL_EXC | Op::RETURN_GENERATOR => {}
                    Op::END_OF_CODE => {
                        break 'run vm
                            .err(types().system_error, "instruction pointer out of range");
                    }
                    Op::SETUP_ANNOTATIONS => {
                        let ns = if c.co.flags & CO_CLASSBODY != 0 {
                            // SAFETY: slot 0 of a class body holds its namespace.
                            unsafe { &*c.lp }.clone()
                        } else {
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            unsafe { Value::from_borrowed((*c.frame).globals) }
                        };
                        let key = crate::world::intern("__annotations__");
                        if tri!(ops::mapping_get(vm, &ns, &key)).is_none() {
                            tri!(ops::setitem(vm, &ns, key, DictObj::new_value()));
                        }
                    }
                    Op::POP_TOP => {
                        drop(pop!());
                        if crate::builtins::generators::has_pending() {
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            unsafe { (*c.frame).stack_top = c.sp as u32 };
                            crate::builtins::generators::run_pending(vm);
                        }
                    }
                    Op::PUSH_NULL => push!(Value::NULL),
                    Op::LOAD_CONST => push!(c.co.consts[arg].clone()),
                    Op::COPY => {
                        let v = peek!(arg).clone();
                        push!(v);
                    }
                    // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                    Op::SWAP => unsafe { std::ptr::swap(c.lp.add(c.sp - 1), c.lp.add(c.sp - arg)) },
                    Op::LOAD_FAST => {
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let v = unsafe { &*c.lp.add(arg) };
                        if v.is_null() {
                            let n = c.co.localsplus_names[arg].clone();
                            break 'run vm.err(
                                types().unbound_local_error,
                                format!("cannot access local variable '{n}' where it is not associated with a value"),
                            );
                        }
                        let v = v.clone();
                        push!(v);
                    }
                    Op::STORE_FAST => {
                        let v = pop!();
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let old = unsafe { std::ptr::replace(c.lp.add(arg), v) };
                        drop(old);
                        if crate::builtins::generators::has_pending() {
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            unsafe { (*c.frame).stack_top = c.sp as u32 };
                            crate::builtins::generators::run_pending(vm);
                        }
                    }
                    Op::DELETE_FAST => {
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let old = unsafe { std::ptr::replace(c.lp.add(arg), Value::NULL) };
                        if old.is_null() {
                            let n = c.co.localsplus_names[arg].clone();
                            break 'run vm.err(
                                types().unbound_local_error,
                                format!("cannot access local variable '{n}' where it is not associated with a value"),
                            );
                        }
                        drop(old);
                        safe_point!();
                    }
                    Op::LOAD_DEREF => {
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let cell = unsafe { &*c.lp.add(arg) };
                        let v = cell
                            .downcast::<CellObj>()
                            .map(|c| c.get())
                            .unwrap_or(Value::NULL);
                        if v.is_null() {
                            let n = c.co.localsplus_names[arg].clone();
                            let e = if arg < c.co.nlocals + c.co.ncells {
                                vm.err(
                                    types().unbound_local_error,
                                    format!("cannot access local variable '{n}' where it is not associated with a value"),
                                )
                            } else {
                                vm.err(
                                    types().name_error,
                                    format!("cannot access free variable '{n}' where it is not associated with a value in enclosing scope"),
                                )
                            };
                            break 'run e;
                        }
                        push!(v);
                    }
                    Op::STORE_DEREF => {
                        let v = pop!();
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let cell = unsafe { &*c.lp.add(arg) };
                        if let Some(c) = cell.downcast::<CellObj>() {
                            c.set(v);
                        }
                    }
                    Op::DELETE_DEREF => {
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let cell = unsafe { &*c.lp.add(arg) };
                        if let Some(c) = cell.downcast::<CellObj>() {
                            c.set(Value::NULL);
                        }
                    }
                    Op::LOAD_CLOSURE => {
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let c = unsafe { &*c.lp.add(arg) }.clone();
                        push!(c);
                    }
                    Op::LOAD_NAME => {
                        let name = name!(arg);
                        // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                        let globals = unsafe { Value::from_borrowed((*c.frame).globals) };
                        let v = if c.co.flags & CO_CLASSBODY != 0 {
                            // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                            let ns = unsafe { &*c.lp }.clone();
                            tri!(ops::mapping_get(vm, &ns, name))
                        } else {
                            None
                        };
                        let v = match v {
                            Some(v) => v,
                            None => tri!(load_global(vm, &globals, name)),
                        };
                        push!(v);
                    }
                    Op::STORE_NAME => {
                        let v = pop!();
                        let name = name!(arg).clone();
                        let ns = if c.co.flags & CO_CLASSBODY != 0 {
                            // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                            unsafe { &*c.lp }.clone()
                        } else {
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            unsafe { Value::from_borrowed((*c.frame).globals) }
                        };
                        tri!(ops::setitem(vm, &ns, name, v));
                        if crate::builtins::generators::has_pending() {
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            unsafe { (*c.frame).stack_top = c.sp as u32 };
                            crate::builtins::generators::run_pending(vm);
                        }
                    }
                    Op::DELETE_NAME => {
                        let name = name!(arg).clone();
                        let ns = if c.co.flags & CO_CLASSBODY != 0 {
                            // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                            unsafe { &*c.lp }.clone()
                        } else {
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            unsafe { Value::from_borrowed((*c.frame).globals) }
                        };
                        if let Err(e) = ops::delitem(vm, &ns, &name) {
                            drop(e);
                            let n = as_str(&name).unwrap_or("").to_string();
                            break 'run name_error(vm, &n);
                        }
                        safe_point!();
                    }
                    Op::LOAD_GLOBAL => {
                        // SAFETY: the frame's globals field is a strong reference to a
                        // dict, borrowed here as a `Value` (same representation).
                        adapt!(unsafe { &*(&raw const (*c.frame).globals as *const Value) });
                        // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                        let globals = unsafe { Value::from_borrowed((*c.frame).globals) };
                        let v = tri!(load_global(vm, &globals, name!(arg)));
                        push!(v);
                    }
                    Op::STORE_GLOBAL => {
                        let v = pop!();
                        // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                        let g = unsafe { Value::from_borrowed((*c.frame).globals) };
                        let name = name!(arg).clone();
                        tri!(ops::setitem(vm, &g, name, v));
                        safe_point!();
                    }
                    Op::DELETE_GLOBAL => {
                        // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                        let g = unsafe { Value::from_borrowed((*c.frame).globals) };
                        let name = name!(arg).clone();
                        if let Err(e) = ops::delitem(vm, &g, &name) {
                            drop(e);
                            let n = as_str(&name).unwrap_or("").to_string();
                            break 'run name_error(vm, &n);
                        }
                        safe_point!();
                    }
                    Op::LOAD_ATTR => {
                        adapt!(peek!(1));
                        let obj = pop!();
                        let v = tri!(ops::getattr(vm, &obj, name!(arg)));
                        push!(v);
                    }
                    Op::STORE_ATTR => {
                        adapt!(peek!(1));
                        let obj = pop!();
                        let v = pop!();
                        tri!(ops::setattr(vm, &obj, name!(arg), v));
                        safe_point!();
                    }
                    Op::DELETE_ATTR => {
                        let obj = pop!();
                        tri!(ops::delattr(vm, &obj, name!(arg)));
                        drop(obj);
                        safe_point!();
                    }
                    Op::LOAD_METHOD => {
                        adapt!(peek!(1));
                        let obj = pop!();
                        let (m, slf) = tri!(ops::load_method(vm, obj, name!(arg)));
                        push!(m);
                        push!(slf);
                    }
                    Op::BINARY_SUBSCR => {
                        adapt!(peek!(2), peek!(1));
                        let key = pop!();
                        let obj = pop!();
                        let v = tri!(ops::getitem(vm, &obj, &key));
                        push!(v);
                    }
                    Op::STORE_SUBSCR => {
                        adapt!(peek!(2), peek!(1));
                        let key = pop!();
                        let obj = pop!();
                        let v = pop!();
                        tri!(ops::setitem(vm, &obj, key, v));
                        drop(obj);
                        safe_point!();
                    }
                    Op::DELETE_SUBSCR => {
                        let key = pop!();
                        let obj = pop!();
                        tri!(ops::delitem(vm, &obj, &key));
                        drop((obj, key));
                        safe_point!();
                    }
                    Op::BUILD_SLICE => {
                        let step = if arg == 3 { pop!() } else { Value::none() };
                        let stop = pop!();
                        let start = pop!();
                        push!(Value::alloc(crate::types::misc::SliceObj {
                            start,
                            stop,
                            step
                        }));
                    }
                    Op::BINARY_OP => {
                        adapt!(peek!(2), peek!(1));
                        let b = pop!();
                        let a = pop!();
                        let r = match ops::binary_fast(&a, &b, arg as u32) {
                            Some(r) => r,
                            None => tri!(ops::binary_op(vm, &a, &b, arg as u32)),
                        };
                        push!(r);
                    }
                    Op::UNARY_NEGATIVE => {
                        let a = pop!();
                        let r = tri!(ops::unary_op(vm, &a, Op::UNARY_NEGATIVE));
                        push!(r);
                    }
                    Op::UNARY_POSITIVE => {
                        let a = pop!();
                        let r = tri!(ops::unary_op(vm, &a, Op::UNARY_POSITIVE));
                        push!(r);
                    }
                    Op::UNARY_INVERT => {
                        let a = pop!();
                        let r = tri!(ops::unary_op(vm, &a, Op::UNARY_INVERT));
                        push!(r);
                    }
                    Op::UNARY_NOT => {
                        let a = pop!();
                        let t = match truthy_fast(&a) {
                            Some(t) => t,
                            None => tri!(ops::truthy(vm, &a)),
                        };
                        push!(Value::bool(!t));
                    }
                    Op::COMPARE_OP => {
                        adapt!(peek!(2), peek!(1));
                        let b = pop!();
                        let a = pop!();
                        let r = match ops::compare_fast(&a, &b, arg as u32) {
                            Some(r) => Value::bool(r),
                            None => tri!(ops::compare(vm, &a, &b, arg as u32)),
                        };
                        push!(r);
                    }
                    Op::IS_OP => {
                        let b = pop!();
                        let a = pop!();
                        push!(Value::bool(a.is(&b) != (arg == 1)));
                    }
                    Op::CONTAINS_OP => {
                        let container = pop!();
                        let item = pop!();
                        let r = tri!(ops::contains(vm, &container, &item));
                        push!(Value::bool(r != (arg == 1)));
                    }
                    Op::JUMP => c.ip = arg,
                    Op::JUMP_BACKWARD => {
                        if adaptive && let Some(compile) = crate::tier2::compiler() {
                            // SAFETY: `frame` is the live frame running this code.
                            let dicts =
                                || unsafe { crate::tier2::Dicts::of(c.frame, vm.builtins.raw()) };
                            crate::tier2::back_edge(c.co, c.ip - 1, arg, c.sp, compile, dicts);
                        }
                        // The check comes before the jump, so an exception a signal
                        // handler raises is reported at this back edge (the loop's
                        // `while`/`for` line), as CPython reports it.
                        let bits = vm.poll_breaker_bits();
                        if bits & crate::modules::signal::BREAK_SIGNAL != 0 {
                            tri!(crate::modules::signal::run_pending(vm));
                        }
                        c.ip = arg;
                        if bits != 0 {
                            maybe_switch!();
                        }
                    }
                    Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_IF_TRUE => {
                        let v = pop!();
                        let t = match truthy_fast(&v) {
                            Some(t) => t,
                            None => tri!(ops::truthy(vm, &v)),
                        };
                        let taken = t == (op == Op::POP_JUMP_IF_TRUE);
                        crate::tier2::branch_history::record(&c.co.quick, c.ip - 1, taken);
                        if taken {
                            c.ip = arg;
                        }
                    }
                    Op::JUMP_IF_FALSE_OR_POP | Op::JUMP_IF_TRUE_OR_POP => {
                        let v = peek!(1);
                        let t = match truthy_fast(v) {
                            Some(t) => t,
                            None => {
                                let v = v.clone();
                                tri!(ops::truthy(vm, &v))
                            }
                        };
                        let taken = t == (op == Op::JUMP_IF_TRUE_OR_POP);
                        crate::tier2::branch_history::record(&c.co.quick, c.ip - 1, taken);
                        if taken {
                            c.ip = arg;
                        } else {
                            drop(pop!());
                        }
                    }
                    Op::POP_JUMP_IF_NONE | Op::POP_JUMP_IF_NOT_NONE => {
                        let taken = pop!().is_none() == (op == Op::POP_JUMP_IF_NONE);
                        crate::tier2::branch_history::record(&c.co.quick, c.ip - 1, taken);
                        if taken {
                            c.ip = arg;
                        }
                    }
                    Op::GET_ITER => {
                        let v = pop!();
                        let it = tri!(ops::get_iter(vm, &v));
                        push!(it);
                    }
                    Op::FOR_ITER => {
                        adapt!(peek!(1));
                        let it = peek!(1);
                        let next = if let Some(io) = it.downcast_exact::<IterObj>() {
                            match io.state.with(ops::iter_next_fast) {
                                Some(v) => v,
                                None => {
                                    let it = it.clone();
                                    tri!(ops::next(vm, &it))
                                }
                            }
                        } else if let Some(g) = vm.gen_begin_inline(it, &Value::none()) {
                            // A generator runs in this loop, above this frame: its
                            // `yield` comes back here with the value pushed.
                            // SAFETY: `g` was claimed for this thread just now.
                            move_to!(unsafe { here!().enter_generator(vm, g) });
                            continue 'run;
                        } else {
                            let it = it.clone();
                            tri!(ops::next(vm, &it))
                        };
                        match next {
                            Some(v) => push!(v),
                            None => {
                                drop(pop!());
                                c.ip = arg;
                            }
                        }
                    }
                    Op::BUILD_TUPLE => {
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let items = (c.sp - arg..c.sp).map(|i| unsafe { c.lp.add(i).read() });
                        let t = TupleObj::from_items(items);
                        c.sp -= arg;
                        push!(t);
                    }
                    Op::BUILD_LIST => {
                        let mut items = Vec::with_capacity(arg);
                        for i in c.sp - arg..c.sp {
                            // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                            items.push(unsafe { c.lp.add(i).read() });
                        }
                        c.sp -= arg;
                        push!(ListObj::new_value(items));
                    }
                    Op::BUILD_SET => {
                        let mut items = Vec::with_capacity(arg);
                        for i in c.sp - arg..c.sp {
                            // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                            items.push(unsafe { c.lp.add(i).read() });
                        }
                        c.sp -= arg;
                        let s = crate::types::set::SetObj::new();
                        for it in items {
                            tri!(s.add(vm, it));
                        }
                        push!(Value::alloc(s));
                    }
                    Op::BUILD_MAP => {
                        let mut items = Vec::with_capacity(arg * 2);
                        for i in c.sp - 2 * arg..c.sp {
                            // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                            items.push(unsafe { c.lp.add(i).read() });
                        }
                        c.sp -= 2 * arg;
                        let d = DictObj::new();
                        let mut it = items.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            tri!(d.set(vm, k, v));
                        }
                        push!(Value::alloc(d));
                    }
                    Op::LIST_APPEND => {
                        let v = pop!();
                        if let Some(l) = peek!(arg).downcast::<ListObj>() {
                            l.push(v);
                        }
                    }
                    Op::SET_ADD => {
                        let v = pop!();
                        let s = peek!(arg).clone();
                        if let Some(s) = s.downcast::<crate::types::set::SetObj>() {
                            tri!(s.add(vm, v));
                        }
                    }
                    Op::MAP_ADD => {
                        let v = pop!();
                        let k = pop!();
                        let d = peek!(arg).clone();
                        if let Some(d) = d.downcast::<DictObj>() {
                            tri!(d.set(vm, k, v));
                        }
                    }
                    Op::LIST_EXTEND => {
                        let src = pop!();
                        let items = tri!(ops::collect(vm, &src));
                        if let Some(l) = peek!(arg).downcast::<ListObj>() {
                            l.items.with(|v| v.extend(items));
                        }
                    }
                    Op::SET_UPDATE => {
                        let src = pop!();
                        let s = peek!(arg).clone();
                        tri!(ops::set_update(vm, &s, &src));
                    }
                    Op::DICT_UPDATE | Op::DICT_MERGE => {
                        let src = pop!();
                        let d = peek!(arg).clone();
                        let items = match ops::mapping_items(vm, &src) {
                            Ok(i) => i,
                            Err(e) => {
                                drop(e);
                                let tn = src.type_data().name.clone();
                                break 'run if op == Op::DICT_MERGE {
                                    vm.type_error(format!(
                                        "argument after ** must be a mapping, not {tn}"
                                    ))
                                } else {
                                    vm.type_error(format!("'{tn}' object is not a mapping"))
                                };
                            }
                        };
                        if let Some(dd) = d.downcast::<DictObj>() {
                            for (k, v) in items {
                                if op == Op::DICT_MERGE && tri!(dd.contains(vm, &k)) {
                                    let kn = as_str(&k).unwrap_or("").to_string();
                                    break 'run vm.type_error(format!(
                                        "got multiple values for keyword argument '{kn}'"
                                    ));
                                }
                                tri!(dd.set(vm, k, v));
                            }
                        }
                    }
                    Op::LIST_TO_TUPLE => {
                        let l = pop!();
                        let items = l
                            .downcast::<ListObj>()
                            .map(|l| l.snapshot())
                            .unwrap_or_default();
                        push!(TupleObj::new_value(items));
                    }
                    Op::BUILD_STRING => {
                        let mut s = String::new();
                        let mut nchars = 0;
                        // Lone surrogates (types/str.rs): flagged pieces flag the result.
                        let seen = crate::types::str::surrogates_seen();
                        let (mut flag, mut real) = (false, false);
                        for i in c.sp - arg..c.sp {
                            // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                            let v = unsafe { c.lp.add(i).read() };
                            if let Some(x) = v.downcast::<StrObj>() {
                                s.push_str(&x.s);
                                nchars += x.nchars;
                                if seen {
                                    flag |= x.surrogates;
                                    real |= !x.surrogates && crate::types::str::has_mapped(&x.s);
                                }
                            }
                        }
                        c.sp -= arg;
                        if flag {
                            if real {
                                tri!(Err::<(), _>(vm.value_error(crate::types::str::MIX_ERROR)));
                            }
                            push!(crate::types::str::new_string_flagged(s, true));
                        } else {
                            push!(crate::types::str::new_string_len(s, nchars));
                        }
                    }
                    Op::FORMAT_VALUE => {
                        let spec = if arg & 4 != 0 { Some(pop!()) } else { None };
                        let v = pop!();
                        let v = match arg & 3 {
                            1 => tri!(ops::str_value(vm, &v)),
                            2 => tri!(ops::repr_value(vm, &v)),
                            3 => tri!(ops::ascii_value(vm, &v)),
                            _ => v,
                        };
                        let spec_s = spec
                            .as_ref()
                            .and_then(|s| as_str(s))
                            .unwrap_or("")
                            .to_string();
                        let r = if spec_s.is_empty() && v.downcast_exact::<StrObj>().is_some() {
                            v
                        } else {
                            tri!(ops::format(vm, &v, &spec_s))
                        };
                        push!(r);
                    }
                    Op::UNPACK_SEQUENCE => {
                        adapt!(peek!(1));
                        let seq = pop!();
                        let items = tri!(ops::unpack(vm, &seq, arg, None));
                        for v in items.into_iter().rev() {
                            push!(v);
                        }
                    }
                    Op::UNPACK_EX => {
                        let before = arg & 0xff;
                        let after = arg >> 8;
                        let seq = pop!();
                        let items = tri!(ops::unpack(vm, &seq, before, Some(after)));
                        for v in items.into_iter().rev() {
                            push!(v);
                        }
                    }
                    Op::MAKE_FUNCTION => {
                        let code = pop!();
                        let closure = if arg & 8 != 0 { Some(pop!()) } else { None };
                        let annotations = if arg & 4 != 0 { Some(pop!()) } else { None };
                        let kwdefaults = if arg & 2 != 0 { pop!() } else { Value::NULL };
                        let defaults = if arg & 1 != 0 { pop!() } else { Value::NULL };
                        // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                        let globals = unsafe { Value::from_borrowed((*c.frame).globals) };
                        let f = ops::make_function(
                            code,
                            globals,
                            defaults,
                            kwdefaults,
                            annotations,
                            closure,
                        );
                        push!(f);
                    }
                    Op::CALL | Op::CALL_KW => {
                        let kwnames = if op == Op::CALL_KW {
                            Some(pop!())
                        } else {
                            None
                        };
                        let base = c.sp - arg - 2;
                        if op == Op::CALL {
                            adapt!(peek!(arg + 2), peek!(arg + 1));
                        }
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        unsafe { unpack_bound_method(c.lp.add(base)) };
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let has_self = unsafe { !(*c.lp.add(base + 1)).is_null() };
                        let args_start = if has_self { base + 1 } else { base + 2 };
                        // SAFETY: see the loop invariants at the top of `eval`.
                        let args: &[Value] = unsafe {
                            std::slice::from_raw_parts(c.lp.add(args_start), c.sp - args_start)
                        };
                        let kwn: &[Value] = match &kwnames {
                            Some(k) => k
                                .downcast::<TupleObj>()
                                .map(|t| &t.items[..])
                                .unwrap_or(&[]),
                            None => &[],
                        };
                        // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                        let callable = unsafe { &*c.lp.add(base) };
                        if let Some(func) = callable.downcast::<FuncObj>()
                            && !func.code().is_generator()
                        {
                            // Exact positional calls move their arguments into the frame.
                            if kwn.is_empty() {
                                exact_call!(op, base, has_self, args_start, func);
                            }
                            let callable_v = callable.clone();
                            let r = vm.make_frame(&callable_v, func, args, kwn);
                            // Drop the call's stack items (the frame holds its own refs).
                            for i in base..c.sp {
                                // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                                unsafe { drop(c.lp.add(i).read()) };
                            }
                            c.sp = base;
                            let new_frame = match tri!(r) {
                                Some(f) => f,
                                None => unreachable_frame(),
                            };
                            enter_frame!(new_frame);
                        }
                        let callable_v = callable.clone();
                        // Native callees may inspect the caller's line (sys._getframe).
                        // SAFETY: `frame` is the live innermost frame of this loop.
                        unsafe { (*c.frame).instr = c.ip as u32 };
                        let r = if vm.trace.use_tracing != 0 {
                            crate::trace::call_native(vm, c.frame, &callable_v, args, kwn)
                        } else {
                            vm.call_kw(&callable_v, args, kwn)
                        };
                        for i in base..c.sp {
                            // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                            unsafe { drop(c.lp.add(i).read()) };
                        }
                        c.sp = base;
                        let r = tri!(r);
                        push!(r);
                        // `sys.settrace(f)` itself, and native code that called it.
                        maybe_switch!();
                    }
                    Op::CALL_FUNCTION_EX => {
                        let kwargs = if arg & 1 != 0 { Some(pop!()) } else { None };
                        let args = pop!();
                        let null = pop!();
                        let callable = pop!();
                        let mut argv: Vec<Value> = match args.downcast::<TupleObj>() {
                            Some(t) => t.items.to_vec(),
                            None => tri!(ops::collect(vm, &args)),
                        };
                        if !null.is_null() {
                            argv.insert(0, null);
                        }
                        let mut kwn = vec![];
                        if let Some(kw) = kwargs
                            && let Some(d) = kw.downcast::<DictObj>()
                        {
                            for (k, v) in d.items() {
                                if as_str(&k).is_none() {
                                    break 'run vm.type_error("keywords must be strings");
                                }
                                kwn.push(k);
                                argv.push(v);
                            }
                        }
                        let r = if vm.trace.use_tracing != 0 {
                            crate::trace::call_native(vm, c.frame, &callable, &argv, &kwn)
                        } else {
                            vm.call_kw(&callable, &argv, &kwn)
                        };
                        let r = tri!(r);
                        push!(r);
                    }
                    Op::RETURN_VALUE => {
                        let v = pop!();
                        // The instruction is recorded for a frame object that outlives
                        // the frame (its last `f_lineno`).
                        let here = here!();
                        here.save();
                        // SAFETY: `frame` is the live innermost frame (the invariant).
                        let (is_entry, is_init) =
                            unsafe { ((*c.frame).is_entry != 0, (*c.frame).is_init != 0) };
                        if is_entry {
                            finish_entry(vm, c.frame);
                            return Ok(Some((v, false)));
                        }
                        // SAFETY: as above.
                        if unsafe { (*c.frame).owner } == FRAME_OWNED_BY_GENERATOR {
                            // A generator its caller's FOR_ITER/SEND resumed
                            // in this loop returned.
                            // SAFETY: a generator's frame, not the entry frame; its
                            // stack is empty but for `v`, popped above.
                            move_to!(unsafe { cursor::generator_return(vm, here, v) });
                            continue 'run;
                        }
                        // SAFETY: not the entry frame; its stack is empty but for `v`.
                        move_to!(unsafe { here.pop(vm) });
                        if is_init {
                            // `__init__` returned: the instance is already on the stack.
                            if !v.is_none() {
                                let tn = v.type_data().name.clone();
                                break 'run vm.type_error(format!(
                                    "__init__() should return None, not '{tn}'"
                                ));
                            }
                            continue 'run;
                        }
                        push!(v);
                        if crate::builtins::generators::has_pending() {
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            unsafe { (*c.frame).stack_top = c.sp as u32 };
                            crate::builtins::generators::run_pending(vm);
                        }
                        // A callee that set a trace function (pdb's `set_trace`).
                        maybe_switch!();
                    }
                    Op::LOAD_BUILD_CLASS => {
                        let bc = vm.builtins_dict().get_str("__build_class__");
                        match bc {
                            Some(b) => push!(b),
                            None => {
                                break 'run vm.err(types().name_error, "__build_class__ not found");
                            }
                        }
                    }
                    Op::RAISE_VARARGS => match arg {
                        0 => {
                            let exc = vm.topmost_handled();
                            if exc.is_null() {
                                break 'run vm.runtime_error("No active exception to reraise");
                            }
                            // SAFETY: `frame` is the live innermost frame (the invariant).
                            unsafe { (*c.frame).instr = c.ip as u32 };
                            reraise = true;
                            break 'run PyErr { exc };
                        }
                        1 => {
                            let e = pop!();
                            let exc = tri!(ops::make_exception(vm, &e));
                            break 'run PyErr { exc };
                        }
                        _ => {
                            let cause = pop!();
                            let e = pop!();
                            let exc = tri!(ops::make_exception(vm, &e));
                            let cause = if cause.is_none() {
                                cause
                            } else {
                                tri!(ops::make_exception_cause(vm, &cause))
                            };
                            if let Some(d) = exc_data(&exc) {
                                d.with(|d| {
                                    d.cause = cause;
                                    d.suppress_context = true;
                                });
                            }
                            break 'run PyErr { exc };
                        }
                    },
                    Op::RERAISE => {
                        let exc = pop!();
                        // With an argument, the handler's saved raising instruction
                        // (`lasti`, `arg` down) is the frame's last one again (its
                        // `f_lineno` once left); the handler search goes on from here.
                        let last = match arg {
                            0 => c.ip,
                            n => peek!(n).as_small_int().map_or(c.ip, |i| i as usize + 1),
                        };
                        // SAFETY: `frame` is the live innermost frame (the invariant).
                        unsafe { (*c.frame).instr = last as u32 };
                        reraise = true;
                        break 'run PyErr { exc };
                    }
                    Op::PUSH_EXC_INFO => {
                        let exc = pop!();
                        let prev = std::mem::replace(&mut vm.handled, exc.clone());
                        push!(if prev.is_null() { Value::none() } else { prev });
                        push!(exc);
                    }
                    Op::POP_EXCEPT => {
                        let prev = pop!();
                        vm.handled = if prev.is_none() { Value::NULL } else { prev };
                    }
                    Op::CHECK_EXC_MATCH => {
                        let ty = pop!();
                        let exc = peek!(1).clone();
                        let m = tri!(ops::exception_matches(vm, &exc, &ty));
                        push!(Value::bool(m));
                    }
                    Op::BEFORE_WITH => {
                        let mgr = pop!();
                        let (exit, res) = tri!(ops::enter_context(vm, &mgr));
                        push!(exit);
                        push!(res);
                    }
                    Op::WITH_EXCEPT_START => {
                        // [exit, lasti, prev, exc]
                        let exc = peek!(1).clone();
                        let exit = peek!(4).clone();
                        let ty = exc.type_of();
                        let r = tri!(vm.call(&exit, &[ty, exc, Value::none()]));
                        push!(r);
                    }
                    Op::LOAD_ASSERTION_ERROR => {
                        push!(Value::from_borrowed(types().assertion_error))
                    }
                    Op::YIELD_VALUE => {
                        let mut v = pop!();
                        if arg == crate::compile::codegen::YIELD_ASYNC_GEN as usize {
                            v = crate::types::async_gen::wrap(v);
                        }
                        // SAFETY: `frame` is the live innermost frame (the invariant).
                        let entry = unsafe { (*c.frame).is_entry };
                        if entry == ENTRY_DRAINED
                            && vm.trace.use_tracing == 0
                            && let Some(mut sink) = vm.drain_sink
                        {
                            // `Vm::gen_next_draining`: a value the sink takes, and the
                            // frame goes on as `next()` resumes it (None is the
                            // `yield` expression's value).
                            // SAFETY: the sink was set for this frame's run and lives
                            // until it ends (`gen_resume_with`); it runs no Python code.
                            match unsafe { sink.as_mut()(v) } {
                                None => {
                                    push!(Value::none());
                                    continue 'run;
                                }
                                Some(back) => v = back,
                            }
                        }
                        if entry != 0 {
                            here!().save();
                            finish_entry(vm, c.frame);
                            return Ok(Some((v, true)));
                        }
                        // Resumed by its caller's FOR_ITER/SEND in this loop:
                        // the value goes onto the caller's stack.
                        // SAFETY: a generator's frame that is not the entry frame.
                        move_to!(unsafe { here!().leave_generator(vm, true) });
                        push!(v);
                    }
                    Op::GET_YIELD_FROM_ITER => {
                        let v = peek!(1);
                        if v.type_raw() == types().coroutine
                            && c.co.flags
                                & (crate::types::code::CO_COROUTINE
                                    | crate::types::code::CO_ITERABLE_COROUTINE)
                                == 0
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            && !crate::types::code::is_iterable_coroutine(&unsafe {
                                Value::from_borrowed((*c.frame).code)
                            })
                        {
                            break 'run vm.type_error(
                                "cannot 'yield from' a coroutine object in a non-coroutine generator",
                            );
                        }
                        if v.downcast::<GenObj>().is_none() && v.type_raw() != types().coroutine {
                            let v = pop!();
                            let it = tri!(ops::get_iter(vm, &v));
                            push!(it);
                        }
                    }
                    Op::BEFORE_ASYNC_WITH => {
                        let mgr = pop!();
                        let (exit, res) = tri!(ops::enter_async_context(vm, &mgr));
                        push!(exit);
                        push!(res);
                    }
                    Op::GET_AITER => {
                        let v = pop!();
                        let it = tri!(ops::get_aiter(vm, &v));
                        push!(it);
                    }
                    Op::GET_ANEXT => {
                        let it = peek!(1).clone();
                        let aw = tri!(ops::get_anext(vm, &it));
                        push!(aw);
                    }
                    Op::END_ASYNC_FOR => {
                        let exc = pop!();
                        if exc.type_data().is_subtype_raw(types().stop_async_iteration) {
                            drop(pop!());
                        } else {
                            // SAFETY: `frame` is the live innermost frame (the invariant).
                            unsafe { (*c.frame).instr = c.ip as u32 };
                            reraise = true;
                            break 'run PyErr { exc };
                        }
                    }
                    Op::GET_AWAITABLE => {
                        let v = pop!();
                        let it = tri!(ops::get_awaitable(vm, &v, arg as u32));
                        push!(it);
                    }
                    Op::SEND => {
                        if let Some(g) = vm.gen_begin_inline(peek!(2), peek!(1)) {
                            // `yield from` a generator, `await` a coroutine: it runs
                            // in this loop, above this frame (the sent value went
                            // onto its stack).
                            drop(pop!());
                            // SAFETY: `g` was claimed for this thread just now.
                            move_to!(unsafe { here!().enter_generator(vm, g) });
                            continue 'run;
                        }
                        let v = pop!();
                        let recv = peek!(1).clone();
                        let r = tri!(ops::send(vm, &recv, v));
                        match r {
                            (y, true) => push!(y),
                            (ret, false) => {
                                drop(pop!());
                                push!(ret);
                                c.ip = arg;
                            }
                        }
                    }
                    Op::IMPORT_NAME => {
                        let fromlist = pop!();
                        let level = pop!();
                        // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                        let globals = unsafe { Value::from_borrowed((*c.frame).globals) };
                        let m = tri!(crate::import::import_name(
                            vm,
                            name!(arg),
                            &fromlist,
                            &level,
                            &globals
                        ));
                        push!(m);
                    }
                    Op::IMPORT_FROM => {
                        let m = peek!(1).clone();
                        let v = tri!(crate::import::import_from(vm, &m, name!(arg)));
                        push!(v);
                    }
                    Op::IMPORT_STAR => {
                        let m = pop!();
                        let ns = if c.co.flags & CO_CLASSBODY != 0 {
                            // SAFETY: localsplus slots below `sp` hold owned values or NULL, and `sp` stays within the frame's capacity (codegen computes the maximum stack depth).
                            unsafe { &*c.lp }.clone()
                        } else {
                            // SAFETY: `frame` is the live innermost frame of this loop (loop invariant).
                            unsafe { Value::from_borrowed((*c.frame).globals) }
                        };
                        tri!(crate::import::import_star(vm, &m, &ns));
                    }
                    // Every specialized instruction was turned into its family above.
                    _ => {
                        break 'run vm
                            .err(types().system_error, "unexpected specialized instruction");
                    }
                }
            }
        };

        // ---- exception dispatch ----------------------------------------------------------
        let mut exc = err.exc;
        if !reraise {
            // The raising instruction is the frame's last (`f_lineno`, and the
            // `lasti` a handler keeps).
            // SAFETY: `frame` is the live innermost frame of this loop.
            unsafe { (*c.frame).instr = c.ip as u32 };
            set_context(vm, &exc);
            add_traceback(&exc, c.frame, c.ip.saturating_sub(1));
            if vm.trace.use_tracing != 0 {
                // SAFETY: `frame` is the live innermost frame of this loop.
                unsafe { (*c.frame).stack_top = c.sp as u32 };
                exc = crate::trace::exception_event(vm, c.frame, exc);
            }
        }
        reraise = false;
        let here = here!();
        move_to!(cursor::unwind(vm, here, exc)?);
    }
}

/// If the call at `base` has a bound method and an empty self slot, put the method's
/// function and self in their places (`UNPACK_BOUND_METHOD`).
///
/// # Safety
/// `base` and `base + 1` are a call's callable and self-or-NULL slots (owned values).
#[inline(always)]
unsafe fn unpack_bound_method(base: *mut Value) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if (*base.add(1)).is_null()
            && let Some(m) = (*base).downcast::<MethodObj>()
        {
            let (f, s) = (m.func.clone(), m.self_.clone());
            let old = std::ptr::replace(base, f);
            drop(old);
            std::ptr::write(base.add(1), s);
        }
    }
}

/// Run a shared body (`specialize::shared`) out of line on a tier-1 stack: the new
/// stack index on a hit, `None` (the stack untouched) on a miss.
///
/// # Safety
/// `lp` is a frame's localsplus and slots below `sp` its owned values (none
/// borrowed); the body's pushes stay within the stack's computed depth.
#[inline(never)]
unsafe fn out_of_line(
    lp: *mut Value,
    sp: usize,
    body: impl FnOnce(&mut Stack) -> Option<()>,
) -> Option<usize> {
    // SAFETY: the caller's contract.
    let mut s = unsafe { Stack::new(lp.add(sp), 0) };
    body(&mut s)?;
    // SAFETY: the body moved the top within this stack.
    Some(unsafe { s.top().offset_from(lp) } as usize)
}

/// `CALL_ALLOC_AND_ENTER_INIT`'s shared body, out of line: instantiation allocates
/// and makes a frame, so a call costs little next to it, and keeping it out of
/// `eval` keeps the hot arms' code small.
///
/// # Safety
/// As `shared::alloc_and_enter_init`.
#[inline(never)]
unsafe fn enter_init(
    vm: &mut Vm,
    rec: Option<&crate::specialize::Record>,
    nargs: usize,
    s: &mut Stack,
) -> InitCall {
    // SAFETY: the caller's contract.
    unsafe { shared::alloc_and_enter_init(vm, rec, nargs, s) }
}

#[cold]
fn unreachable_frame() -> *mut FrameHeader {
    // make_frame only returns None for generator functions, which never take this path.
    std::ptr::null_mut()
}

/// Leave the loop through its entry frame: unlink it, and free it unless a generator
/// owns it.
fn finish_entry(vm: &mut Vm, frame: *mut FrameHeader) {
    if vm.trace.use_tracing != 0 {
        // The loop this native call returns to may run untraced: its next breaker
        // poll hands it over to the traced loop.
        crate::trace::kick(vm);
    }
    // SAFETY: `frame` is the live entry frame of this loop.
    unsafe {
        vm.frame = (*frame).previous;
        (*frame).previous = std::ptr::null_mut();
        (*frame).is_entry = 0;
        if (*frame).owner != FRAME_OWNED_BY_GENERATOR {
            clear_frame(frame);
            vm.stack.pop(frame);
        }
    }
    vm.depth -= 1;
    vm.native_depth -= 1;
}

/// Release an entry frame that never ran.
unsafe fn discard_entry(vm: &mut Vm, frame: *mut FrameHeader) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if (*frame).owner != FRAME_OWNED_BY_GENERATOR {
            clear_frame(frame);
            vm.stack.pop(frame);
        }
    }
}

fn load_global(vm: &mut Vm, globals: &Value, name: &Value) -> PyResult<Value> {
    let n = as_str(name).unwrap_or("");
    let h = crate::types::str::str_hash_of(name);
    if let Some(g) = globals.downcast::<DictObj>()
        && let Some(v) = g.d.read(|d| d.get_hashed(n, h))
    {
        return Ok(v);
    }
    if let Some(v) = vm.builtins_dict().d.read(|d| d.get_hashed(n, h)) {
        return Ok(v);
    }
    Err(name_error(vm, n))
}

/// NameError with its `name` attribute (used for "Did you mean" suggestions).
pub fn name_error(vm: &mut Vm, n: &str) -> PyErr {
    let e = vm.err(types().name_error, format!("name '{n}' is not defined"));
    let _ = ops::generic_setattr(vm, &e.exc, "name", crate::world::intern(n));
    e
}
