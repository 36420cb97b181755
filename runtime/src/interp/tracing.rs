//! Tier 1's tracing hook: while a trace or profile function is set, every instruction
//! comes here before it runs (`trace.rs` explains how the loop sends it), as in
//! CPython 3.11's `DO_TRACING`. The hook delivers 'call' on a frame's first
//! instruction, 'line' when the line changes or a jump goes backwards
//! (`maybe_call_line_trace`), 'opcode' when the frame asks for it, 'return' before a
//! return or yield, and applies a jump `f_lineno`'s setter chose. The instruction then
//! runs in its generic form, not counted for specialization (tier 2 compiles nothing
//! and enters no trace while tracing).
use super::cursor::Cursor;
use crate::instructions::Op;
use crate::trace::{self, Event};
use crate::types::frame::{FrameObj, frame_object};
use crate::value::Value;
use crate::vm::{PyErr, Vm};
use crate::world::types;

/// How a trace function's exception leaves the hook.
pub(super) enum Stop {
    /// Raised by this instruction: the frame's handlers apply ('line', 'opcode').
    Raise(PyErr),
    /// The frame is left with it, its handlers not searched ('call', 'return':
    /// CPython's `exit_unwind`).
    Exit(PyErr),
}

fn decode(vm: &mut Vm, word: u32) -> Result<(Op, usize), Stop> {
    match Op::from_u8(word as u8) {
        Some(op) => Ok((op.family(), (word >> 8) as usize)),
        None => Err(Stop::Raise(vm.err(types().system_error, "bad opcode"))),
    }
}

/// Before the instruction `word` at `c.ip - 1` runs: deliver the events due and
/// return the instruction to run (generic form) and its argument; the cursor moves
/// when a jump was set.
#[cold]
#[inline(never)]
pub(super) fn before_instruction(
    vm: &mut Vm,
    c: &mut Cursor<'_>,
    word: u32,
) -> Result<(Op, usize), Stop> {
    let (mut op, mut arg) = decode(vm, word)?;
    if vm.trace.use_tracing == 0 {
        return Ok((op, arg));
    }
    let frame = c.frame;
    let instr = c.ip - 1;
    // SAFETY: the cursor's invariant: `frame` is the live innermost frame. Its `instr`
    // is the instruction after the last one run (0 in a frame that has run nothing).
    let prev = unsafe {
        (*frame).stack_top = c.sp as u32;
        (*frame).instr as i64 - 1
    };
    if prev < 0 && instr == 0 {
        // A new frame's first instruction (its `f_lineno` is the first line).
        trace::function_entry(vm, frame).map_err(Stop::Exit)?;
    }
    let line = c.co.lines.get(instr).copied().unwrap_or(0);
    // SAFETY: as above.
    unsafe {
        (*frame).instr = c.ip as u32;
        if line != 0 {
            (*frame).trace_line = line;
        }
    }
    // SAFETY: as above.
    if !vm.trace.tracer.is_null() && unsafe { (*frame).has_object } != 0 {
        // SAFETY: as above.
        let fo = unsafe { frame_object(frame) };
        let (traced, lines, opcodes) = match fo.downcast::<FrameObj>() {
            Some(f) => f.st.with(|s| {
                (
                    !s.trace.is_none() && !s.trace.is_null(),
                    s.trace_lines,
                    s.trace_opcodes,
                )
            }),
            None => (false, false, false),
        };
        if traced {
            let lastline = if prev < 0 {
                -1
            } else {
                c.co.lines.get(prev as usize).copied().unwrap_or(0) as i64
            };
            // Backward jumps trace the line again, except `yield from`'s loop back to
            // its SEND.
            let back = (instr as i64) < prev && op != Op::SEND;
            // A loop's closing jump has its loop's line, which its target reports
            // (CPython's closing jump has no line of its own); `continue` has its own.
            let closing =
                op == Op::JUMP_BACKWARD && c.co.lines.get(arg).copied().unwrap_or(0) == line;
            if lines && line != 0 && !closing && (line as i64 != lastline || back) {
                vm.trace.jump = None;
                let r = trace::call_trace(vm, frame, Event::Line, Value::none());
                let jump = vm.trace.jump.take();
                r.map_err(Stop::Raise)?;
                if let Some(j) = jump {
                    let nlp = c.co.nlocalsplus();
                    while c.sp > nlp + j.depth {
                        c.sp -= 1;
                        // SAFETY: the invariant: slots below `sp` hold owned values or
                        // NULL; the setter checked the target's stack is a prefix.
                        let v = unsafe { c.lp.add(c.sp).read() };
                        if j.excepts.contains(&(c.sp - nlp)) {
                            vm.handled = if v.is_none() { Value::NULL } else { v };
                        }
                    }
                    c.ip = j.target + 1;
                    // SAFETY: as above.
                    unsafe {
                        (*frame).stack_top = c.sp as u32;
                        (*frame).instr = c.ip as u32;
                    }
                    let Some(w) = c.co.quick.unit(j.target) else {
                        return Err(Stop::Raise(
                            vm.err(types().system_error, "jump target out of range"),
                        ));
                    };
                    (op, arg) = decode(vm, w)?;
                }
            }
            if opcodes {
                trace::call_trace(vm, frame, Event::Opcode, Value::none()).map_err(Stop::Raise)?;
            }
        }
    }
    if matches!(op, Op::RETURN_VALUE | Op::YIELD_VALUE) && c.sp > c.co.nlocalsplus() {
        // SAFETY: the invariant: the top slot holds the value being returned.
        let v = unsafe { (*c.lp.add(c.sp - 1)).clone() };
        trace::function_exit(vm, frame, v).map_err(Stop::Exit)?;
    }
    Ok((op, arg))
}
