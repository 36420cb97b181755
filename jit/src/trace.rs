//! Loop compiler (a hot loop's bytecode -> uop stencils -> a compiled trace).
//!
//! Starting at the loop head, it follows the loop body's fall-through path as the
//! specializing interpreter has quickened it, up to the back edge, and emits one or
//! more stencils per instruction, each with an exit that resumes tier 1 at that
//! instruction with the stack as it was. Conditional jumps become guards that the
//! branch is not taken (taking it exits: the rest of that iteration runs in tier 1,
//! and the next back edge re-enters the trace). The trace starts with the
//! `SingleThreaded` patchpoint and loops back to it.
//!
//! Supported so far: small-int locals and constants, int `+ - * // %`, int
//! comparisons fused with their branch. Anything else aborts compilation with the
//! instruction's name as the reason (`-X stats` lists them).
use stitch_runtime::compile::opcode::Op;
use stitch_runtime::tier2::{CompiledTrace, Exit};
use stitch_runtime::types::code::CodeObj;

use crate::emit::{EmitOp, emit_trace};
use crate::invariants::{self, Invariant};
use crate::stencil::stencil;

/// Longest loop body (in instructions) compiled.
const MAX_BODY: usize = 400;

struct Builder {
    ops: Vec<EmitOp>,
    exits: Vec<Exit>,
}

impl Builder {
    fn push(&mut self, name: &str, oparg: u64, exit: Option<Exit>) -> Result<(), &'static str> {
        let s = stencil(name).ok_or("missing stencil")?;
        let exit_no = match exit {
            Some(e) => {
                self.exits.push(e);
                (self.exits.len() - 1) as u64
            }
            None => 0,
        };
        self.ops.push(EmitOp {
            stencil: s,
            oparg,
            exit: exit_no,
        });
        Ok(())
    }
}

/// `stitch_runtime::tier2::CompileFn`.
pub fn compile(
    co: &CodeObj,
    head: usize,
    jump: usize,
) -> Result<&'static CompiledTrace, &'static str> {
    if !invariants::holds(Invariant::SingleThreaded) {
        return Err("other threads are running (no thread-safe stencils yet)");
    }
    let mut b = Builder {
        ops: Vec::new(),
        exits: vec![Exit {
            ip: head as u32,
            depth: 0,
            reason: "unused",
        }],
    };
    let exit = |ip: usize, depth: i32, reason: &'static str| {
        Some(Exit {
            ip: ip as u32,
            depth,
            reason,
        })
    };
    let flag = invariants::track_single_threaded_assumption();
    debug_assert_eq!(b.exits.len(), stitch_runtime::tier2::PATCHPOINT_EXIT);
    b.push(
        "PATCHPOINT",
        flag as u64,
        exit(head, 0, "patchpoint: SingleThreaded invalidated"),
    )?;
    let mut depth = 0i32;
    let mut i = head;
    let mut steps = 0;
    while i != jump {
        steps += 1;
        if steps > MAX_BODY || i >= co.code.len() {
            return Err("loop body too long");
        }
        let word = co.quick.unit(i).ok_or("instruction out of range")?;
        let op = Op::from_u8((word & 0xff) as u8).ok_or("bad opcode")?;
        let arg = (word >> 8) as usize;
        match op {
            Op::NOP => {}
            Op::LOAD_FAST => {
                b.push(
                    "LOAD_FAST_INT",
                    arg as u64,
                    exit(i, depth, "local is not a small int"),
                )?;
                depth += 1;
            }
            Op::STORE_FAST => {
                b.push(
                    "STORE_FAST_INT",
                    arg as u64,
                    exit(i, depth, "store of a non-int or over an object"),
                )?;
                depth -= 1;
            }
            Op::LOAD_CONST => {
                let raw = co.consts[arg].raw();
                if raw.is_ptr() {
                    return Err("constant is a heap object");
                }
                b.push("LOAD_RAW", raw.0, None)?;
                depth += 1;
            }
            Op::BINARY_OP_ADD_INT
            | Op::BINARY_OP_SUB_INT
            | Op::BINARY_OP_MUL_INT
            | Op::BINARY_OP_FLOORDIV_INT
            | Op::BINARY_OP_MOD_INT => {
                let name = match op {
                    Op::BINARY_OP_ADD_INT => "ADD_INT",
                    Op::BINARY_OP_SUB_INT => "SUB_INT",
                    Op::BINARY_OP_MUL_INT => "MUL_INT",
                    Op::BINARY_OP_FLOORDIV_INT => "FLOORDIV_INT",
                    _ => "MOD_INT",
                };
                b.push(
                    "GUARD_BOTH_INT",
                    0,
                    exit(i, depth, "operands are not small ints"),
                )?;
                b.push(
                    name,
                    0,
                    exit(
                        i,
                        depth,
                        "int result out of the small range or zero divisor",
                    ),
                )?;
                depth -= 1;
            }
            Op::COMPARE_OP_INT_JUMP => {
                let next = co.code[i + 1];
                let jump_if_true = match Op::from_u8((next & 0xff) as u8) {
                    Some(Op::POP_JUMP_IF_TRUE) => true,
                    Some(Op::POP_JUMP_IF_FALSE) => false,
                    _ => return Err("fused compare without its jump"),
                };
                // Stay on the fall-through path: the jump must not be taken.
                let expected = !jump_if_true;
                let oparg = arg as u64 | ((expected as u64) << 8);
                b.push(
                    "COMPARE_INT_GUARD",
                    oparg,
                    exit(i, depth, "branch left the traced path"),
                )?;
                depth -= 2;
                i += 2;
                continue;
            }
            Op::JUMP => {
                // A forward jump inside the loop body (the end of an `if` branch):
                // the traced path continues at its target.
                if arg <= i || arg > jump {
                    return Err("jump out of the loop body");
                }
                i = arg;
                continue;
            }
            _ => return Err(op.name()),
        }
        i += 1;
    }
    if depth != 0 {
        return Err("stack depth differs at the back edge");
    }
    let trace = emit_trace(&b.ops, true).map_err(|_| "could not map executable memory")?;
    let entry = trace.entry();
    // Traces live for the rest of the process (freeing code needs quiescent points).
    Box::leak(Box::new(trace));
    Ok(Box::leak(Box::new(CompiledTrace::new(entry, b.exits))))
}
