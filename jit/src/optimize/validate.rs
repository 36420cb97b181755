//! The IR validator, run after every optimizer pass in tests and debug builds.
//!
//! It checks what the backends and the exits rely on: the stack never drops below the
//! loop head's depth and a loop ends at that depth; every uop that can fail has an exit
//! whose recorded depth is the depth before that uop; the trace starts with its entry
//! patchpoint; and after every escaping uop, the next uop is a patchpoint (or the
//! trace's end, which is the entry patchpoint again or an exit).
use stitch_runtime::tier2::PATCHPOINT_EXIT;

use crate::ir::{Shape, TraceIr, Uop};

pub fn check(ir: &TraceIr) -> Result<(), String> {
    let first = ir.insts.first().ok_or("empty trace")?;
    if first.uop != Uop::PATCHPOINT || first.exit as usize != PATCHPOINT_EXIT {
        return Err("the trace does not start with its entry patchpoint".into());
    }
    let mut depth = 0i64;
    // Lowest depth allowed in the current frame (`TraceIr::lowest`, in the trace's
    // coordinates), and the callers' depths to return to.
    let mut floor = (ir.lowest - ir.entry_depth) as i64;
    let mut callers: Vec<(i64, i64)> = Vec::new();
    let mut pending_escape: Option<usize> = None;
    for (n, inst) in ir.insts.iter().enumerate() {
        if let Some(e) = pending_escape
            && inst.uop != Uop::PATCHPOINT
        {
            return Err(format!(
                "uop {e} ({}) escapes but uop {n} is not a patchpoint",
                ir.insts[e].uop.name()
            ));
        }
        pending_escape = None;
        if inst.can_exit() {
            let e = ir
                .exits
                .get(inst.exit as usize)
                .filter(|_| inst.exit != 0)
                .ok_or_else(|| format!("uop {n} ({}) can fail but has no exit", inst.uop.name()))?;
            // Exits in the loop's frame count from the loop head.
            let want = if callers.is_empty() {
                depth + ir.entry_depth as i64
            } else {
                depth
            };
            if e.depth as i64 != want {
                return Err(format!(
                    "uop {n} ({}): exit depth {} but the stack is at {depth}",
                    inst.uop.name(),
                    e.depth
                ));
            }
        } else if inst.exit != 0 {
            return Err(format!(
                "uop {n} ({}) cannot fail but has an exit",
                inst.uop.name()
            ));
        }
        if inst.uop == Uop::PUSH_FRAME {
            let k = (inst.oparg & 0x7fff_ffff) as i64 + 2;
            if depth - k < floor {
                return Err(format!("uop {n}: PUSH_FRAME pops below the stack"));
            }
            callers.push((depth - k + 1, floor));
            depth = 0;
            floor = 0;
            continue;
        }
        if inst.uop == Uop::POP_FRAME {
            if depth != 1 {
                return Err(format!(
                    "uop {n}: an inlined frame returns at depth {depth}"
                ));
            }
            let (d, f) = callers
                .pop()
                .ok_or_else(|| format!("uop {n}: POP_FRAME without PUSH_FRAME"))?;
            depth = d;
            floor = f;
            pending_escape = Some(n);
            continue;
        }
        let (pops, pushes) = inst.effect();
        if matches!(inst.uop, Uop::COPY | Uop::SWAP)
            && (inst.oparg == 0 || depth - (inst.oparg as i64) < floor)
        {
            return Err(format!(
                "uop {n} ({}) reaches below the stack",
                inst.uop.name()
            ));
        }
        if inst.uop == Uop::CALL_HELPER_ERR {
            let e = ir
                .exits
                .get(inst.error_exit as usize)
                .filter(|_| inst.error_exit != 0)
                .ok_or_else(|| format!("uop {n} can raise but has no error exit"))?;
            // The second exit: the instruction raised (its inputs consumed), or a
            // `FOR_ITER` ran out (its iterator popped, resuming past the loop).
            let left = match e {
                e if e.error => depth - pops as i64,
                e if e.reason == crate::translate::LOOP_END_REASON => depth - 1,
                _ => return Err(format!("uop {n}: its second exit is neither kind")),
            };
            let want = if callers.is_empty() {
                left + ir.entry_depth as i64
            } else {
                left
            };
            if e.depth as i64 != want {
                return Err(format!(
                    "uop {n}: second exit depth {} but the stack there is {}",
                    e.depth, left
                ));
            }
        } else if inst.error_exit != 0 {
            return Err(format!(
                "uop {n} ({}) cannot raise but has an error exit",
                inst.uop.name()
            ));
        }
        depth -= pops as i64;
        if depth < floor {
            return Err(format!(
                "uop {n} ({}) pops below the loop head's stack",
                inst.uop.name()
            ));
        }
        depth += pushes as i64;
        if inst.escapes() {
            pending_escape = Some(n);
        }
        if inst.uop == Uop::EXIT_TRACE && n + 1 != ir.insts.len() {
            return Err(format!("EXIT_TRACE at {n} is not the last uop"));
        }
    }
    match ir.shape {
        Shape::Loop if depth != 0 || !callers.is_empty() => Err(format!(
            "the loop ends at stack depth {depth}, {} frames in",
            callers.len()
        )),
        Shape::Linear if ir.insts.last().map(|i| i.uop) != Some(Uop::EXIT_TRACE) => {
            Err("a linear trace must end with EXIT_TRACE".into())
        }
        _ => Ok(()),
    }
}
