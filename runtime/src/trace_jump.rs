//! Assigning `frame.f_lineno` from a trace function: a jump, checked as CPython
//! 3.11's `frame_setlineno` checks it (same rules, same messages), on stitch's
//! bytecode. The jump is only chosen here; the tracing hook (`interp/tracing.rs`)
//! makes it when the 'line' event's trace function returns.
//!
//! The check is CPython's `mark_stacks`: an abstract run of the code that records,
//! for each instruction, the kinds of values on the stack when it starts (`Kind`),
//! following jumps and exception handlers. A jump may only drop values from the top
//! of the stack: the target's stack must be a prefix of the current one (kind by
//! kind), so no `for` iterator, exception or call marker is conjured up.
use crate::instructions::{Op, stack_effect};
use crate::trace::{Event, Jump};
use crate::types::code::CodeObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// What a stack slot holds, for the check.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Object,
    /// The NULL of a call without `self`.
    Null,
    /// A `for` loop's iterator.
    Iterator,
    /// An exception being handled (or the one it replaced).
    Except,
    /// The instruction index a handler re-raises from.
    Lasti,
}

type Stack = Vec<Kind>;

/// The stack kinds at the start of each instruction (None: never reached).
fn mark_stacks(co: &CodeObj) -> Vec<Option<Stack>> {
    let n = co.code.len();
    let mut stacks: Vec<Option<Stack>> = vec![None; n + 1];
    if n == 0 {
        return stacks;
    }
    stacks[0] = Some(Vec::new());
    let set = |stacks: &mut Vec<Option<Stack>>, j: usize, s: Stack, todo: &mut bool| {
        if j < stacks.len() && stacks[j].is_none() {
            stacks[j] = Some(s);
            *todo = true;
        }
    };
    let mut todo = true;
    while todo {
        todo = false;
        for i in 0..n {
            let Some(mut st) = stacks[i].clone() else {
                continue;
            };
            let word = co.code[i];
            let Some(op) = Op::from_u8(word as u8) else {
                continue;
            };
            let op = op.family();
            let arg = (word >> 8) as usize;
            match op {
                Op::JUMP | Op::JUMP_BACKWARD => set(&mut stacks, arg, st, &mut todo),
                Op::POP_JUMP_IF_FALSE
                | Op::POP_JUMP_IF_TRUE
                | Op::POP_JUMP_IF_NONE
                | Op::POP_JUMP_IF_NOT_NONE => {
                    st.pop();
                    set(&mut stacks, arg, st.clone(), &mut todo);
                    set(&mut stacks, i + 1, st, &mut todo);
                }
                Op::JUMP_IF_FALSE_OR_POP | Op::JUMP_IF_TRUE_OR_POP => {
                    set(&mut stacks, arg, st.clone(), &mut todo);
                    st.pop();
                    set(&mut stacks, i + 1, st, &mut todo);
                }
                Op::FOR_ITER => {
                    let mut out = st.clone();
                    out.pop();
                    set(&mut stacks, arg, out, &mut todo);
                    st.push(Kind::Object);
                    set(&mut stacks, i + 1, st, &mut todo);
                }
                Op::SEND => {
                    let mut out = st.clone();
                    out.pop();
                    set(&mut stacks, arg, out, &mut todo);
                    set(&mut stacks, i + 1, st, &mut todo);
                }
                Op::GET_ITER | Op::GET_AITER => {
                    st.pop();
                    st.push(Kind::Iterator);
                    set(&mut stacks, i + 1, st, &mut todo);
                }
                Op::PUSH_EXC_INFO => {
                    st.push(Kind::Except);
                    set(&mut stacks, i + 1, st, &mut todo);
                }
                Op::PUSH_NULL => {
                    st.push(Kind::Null);
                    set(&mut stacks, i + 1, st, &mut todo);
                }
                Op::RETURN_VALUE | Op::RAISE_VARARGS | Op::RERAISE => {}
                _ => {
                    let (fall, _) = stack_effect(op, arg as u32);
                    if fall < 0 {
                        let keep = st.len().saturating_sub((-fall) as usize);
                        st.truncate(keep);
                    }
                    for _ in 0..fall.max(0) {
                        st.push(Kind::Object);
                    }
                    set(&mut stacks, i + 1, st, &mut todo);
                }
            }
        }
        // Exception handlers: the stack of the guarded code cut to the handler's
        // depth, then the re-raise position and the exception.
        for e in &co.exc_table {
            if stacks.get(e.handler as usize).is_none_or(|s| s.is_some()) {
                continue;
            }
            let from = (e.start as usize..(e.end as usize).min(n)).find_map(|k| stacks[k].clone());
            if let Some(mut st) = from {
                st.truncate(e.depth as usize);
                if e.lasti {
                    st.push(Kind::Lasti);
                }
                st.push(Kind::Except);
                stacks[e.handler as usize] = Some(st);
                todo = true;
            }
        }
    }
    stacks
}

/// Each instruction that starts a line: its line (CPython's `marklines`).
fn line_starts(co: &CodeObj) -> Vec<Option<u32>> {
    let mut last = 0;
    co.lines
        .iter()
        .map(|&l| {
            if l != 0 && l != last {
                last = l;
                Some(l)
            } else {
                None
            }
        })
        .collect()
}

fn compatible_kind(from: Kind, to: Kind) -> bool {
    match to {
        Kind::Object => from != Kind::Null,
        Kind::Null => true,
        _ => from == to,
    }
}

/// Can a frame whose stack is `from` continue where the stack is `to`?
fn compatible(from: &Stack, to: &Stack) -> bool {
    to.len() <= from.len() && from.iter().zip(to).all(|(f, t)| compatible_kind(*f, *t))
}

fn explain_incompatible(to: &Stack) -> &'static str {
    match to.last() {
        Some(Kind::Except) => "can't jump into an 'except' block as there's no exception",
        Some(Kind::Lasti) => "can't jump into a re-raising block as there's no location",
        Some(Kind::Iterator) => "can't jump into the body of a for loop",
        _ => "differing stack depth",
    }
}

/// `f_lineno = value` on the frame running `co` at instruction `lasti`, whose trace
/// function is `has_trace`: check the jump and record it for the hook.
pub fn set_lineno(
    vm: &mut Vm,
    co: &CodeObj,
    lasti: usize,
    has_trace: bool,
    value: &Value,
) -> PyResult<()> {
    if !crate::types::int::is_exact_int(value) {
        return Err(vm.value_error("lineno must be an integer"));
    }
    match vm.trace.what {
        Some(Event::Line) => {}
        // Outside any event CPython's `tracing_what` is 0, 'call'.
        Some(Event::Call) | None => {
            return Err(vm.value_error("can't jump from the 'call' trace event of a new frame"));
        }
        _ => return Err(vm.value_error("can only jump from a 'line' trace event")),
    }
    if !has_trace {
        return Err(vm.value_error("f_lineno can only be set by a trace function"));
    }
    let Some(new_line) = value
        .as_small_int()
        .filter(|&l| l >= i32::MIN as i64 && l <= i32::MAX as i64)
    else {
        return Err(vm.value_error("lineno out of range"));
    };
    if new_line < co.firstlineno as i64 {
        return Err(vm.value_error(format!(
            "line {new_line} comes before the current code block"
        )));
    }
    let starts = line_starts(co);
    let stacks = mark_stacks(co);
    // Code nothing reaches (not even an exception handler) has no lines: CPython's
    // compiler removes it, so a jump goes to the next line that has code.
    let Some(line) = starts
        .iter()
        .zip(&stacks)
        .filter(|(_, st)| st.is_some())
        .filter_map(|(l, _)| *l)
        .filter(|&l| l as i64 >= new_line)
        .min()
    else {
        return Err(vm.value_error(format!(
            "line {new_line} comes after the current code block"
        )));
    };
    let start = stacks.get(lasti).cloned().flatten();
    let mut best: Option<(usize, Stack)> = None;
    let mut msg = "cannot find bytecode for specified line";
    let mut explained = false;
    for (i, l) in starts.iter().enumerate() {
        if *l != Some(line) {
            continue;
        }
        let target = &stacks[i];
        match (&start, target) {
            (Some(from), Some(to))
                if compatible(from, to)
                    && best.as_ref().is_none_or(|(_, b)| to.len() > b.len()) =>
            {
                best = Some((i, to.clone()));
            }
            _ if best.is_none() && !explained => match (&start, target) {
                (None, _) => msg = "can't jump from unreachable code",
                (Some(_), None) => {
                    msg = "can't jump into an exception handler, or code may be unreachable";
                    explained = true;
                }
                (Some(_), Some(to)) => {
                    msg = explain_incompatible(to);
                    explained = true;
                }
            },
            _ => {}
        }
    }
    let Some((target, to)) = best else {
        return Err(vm.value_error(msg));
    };
    let from = start.unwrap_or_default();
    let excepts = (to.len()..from.len())
        .filter(|&k| from[k] == Kind::Except)
        .collect();
    vm.trace.jump = Some(Jump {
        target,
        depth: to.len(),
        excepts,
    });
    Ok(())
}
