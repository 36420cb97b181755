//! Borrowed loads: reference-count elimination for heap objects loaded from locals.
//!
//! `LOAD_FAST x` counts a new reference, and the uop that consumes it (an attribute
//! load, a subscript, an attribute or item store) releases it again. While `x` stays
//! bound, the local's own reference keeps the object alive, so the pair can skip
//! both: the load becomes `LOAD_FAST_BORROW` (no count) and the consumer's helper is
//! told not to release that input (`helpers::borrow`). Without the release the
//! consumer cannot run a `__del__`, so a load that ran no other code stops escaping
//! and loses the patchpoint after it (the `patchpoints` pass runs next).
//!
//! The proof, per pair (load at `p`, consumer at `q`, in the same frame): nothing in
//! between stores to the local (only this frame's own uops can; `DELETE_FAST` ends a
//! trace), and no
//! frame is pushed or popped in between. Tier 1 owns every stack reference, so each
//! exit taken between `p` and `q` (the consumer's own guard exit included) lists the
//! borrowed slot in `Exit::borrowed` and `tier2::run_loop` counts it before tier 1
//! resumes. Exits that machine code may link straight into a side trace (a branch's
//! other way, a loop's end) never return to `run_loop`: a pair with such an exit in
//! between is left counted.
use stitch_runtime::tier2::helpers;

use crate::ir::{Inst, TraceIr, Uop};

/// Where a stack slot's value came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Origin {
    /// Anything else (an owned reference of unknown kind).
    Other,
    /// Not a heap object: releasing it is a no-op.
    Raw,
    /// Pushed by the `LOAD_FAST` at this index, of this local, still bound.
    Local { at: usize, local: u64 },
}

/// The inputs (0: the stack top) of a helper uop that may be borrowed, and whether the
/// helper runs no arbitrary code once none of its inputs is released.
fn borrowable(inst: &Inst) -> Option<(&'static [u32], bool)> {
    let h = inst.helper?;
    if inst.uop != Uop::CALL_HELPER {
        return None;
    }
    match h.name {
        // Guarded reads: the result's new reference is all they count.
        "load_attr" | "load_attr_instance" => Some((&[0], true)),
        "binary_subscr" => Some((&[0, 1], true)),
        // `len(x)` of a builtin sized object; `l.append(x)` (the list is borrowed,
        // the item moves into it). The callables they release are builtins.
        "call_len" => Some((&[0], true)),
        "call_list_append" => Some((&[1], true)),
        // Stores release the value they replace.
        "store_attr" => Some((&[0], false)),
        "store_subscr_list_int" => Some((&[0, 1], false)),
        _ => None,
    }
}

/// Slots below the trace's entry depth a trace may pop (a side trace from a loop's
/// end starts below its loop head).
const PAD: usize = 16;

struct Candidate {
    load: usize,
    consumer: usize,
    input: u32,
}

/// Before each uop: the depth of every value a `LOAD_FAST` pushed that is still on
/// the stack, by that load's index (depths in the frame's exit coordinates: above the
/// loop head in the loop's frame, above the stack base in an inlined one). `SWAP`
/// moves values, so a borrowed slot's place at an exit is looked up here.
type Positions = Vec<Vec<(usize, i64)>>;

pub fn run(ir: &mut TraceIr) {
    let Some((candidates, consumers, positions)) = find(ir) else {
        return;
    };
    // (consumer, borrowed inputs mask, all inputs borrowed or raw)
    let mut applied: Vec<(usize, u32)> = Vec::new();
    for c in candidates {
        let side_linkable = (c.load + 1..=c.consumer).any(|r| {
            let i = &ir.insts[r];
            [i.exit, i.error_exit].iter().any(|&n| {
                n != 0 && {
                    let e = &ir.exits[n as usize];
                    e.followed.is_some() || e.loop_end
                }
            })
        });
        if side_linkable {
            continue;
        }
        ir.insts[c.load].uop = Uop::LOAD_FAST_BORROW;
        ir.insts[c.consumer].oparg = helpers::borrow(ir.insts[c.consumer].oparg, c.input);
        let span = c.load + 1..=c.consumer;
        for (inst, live) in ir.insts[span.clone()].iter().zip(&positions[span]) {
            let Some(&(_, slot)) = live.iter().find(|(l, _)| *l == c.load) else {
                continue;
            };
            let (e, er) = (inst.exit, inst.error_exit);
            for n in [e, er] {
                if n == 0 {
                    continue;
                }
                let exit = &mut ir.exits[n as usize];
                let d = exit.depth as i64;
                if slot < d && d - 1 - slot < 32 {
                    exit.borrowed |= 1 << (d - 1 - slot);
                }
            }
        }
        match applied.iter_mut().find(|(q, _)| *q == c.consumer) {
            Some((_, m)) => *m |= 1 << c.input,
            None => applied.push((c.consumer, 1 << c.input)),
        }
    }
    for (q, mask) in applied {
        let Some((_, inputs)) = consumers.iter().find(|(c, _)| *c == q) else {
            continue;
        };
        let Some((_, quiet)) = borrowable(&ir.insts[q]) else {
            continue;
        };
        // Every input is borrowed or not a heap object: nothing is released.
        let released = inputs
            .iter()
            .enumerate()
            .any(|(k, o)| mask & (1 << k) == 0 && *o != Origin::Raw);
        if quiet
            && !released
            && let Some(h) = ir.insts[q].helper.as_mut()
        {
            h.escapes = false;
        }
    }
}

/// Walk the trace, tracking where each stack slot came from: the load/consumer pairs
/// that may borrow, and each borrowing consumer's input origins.
#[allow(
    clippy::type_complexity,
    reason = "the pass's three findings, used by its one caller"
)]
fn find(ir: &TraceIr) -> Option<(Vec<Candidate>, Vec<(usize, Vec<Origin>)>, Positions)> {
    let mut stack: Vec<Origin> = vec![Origin::Other; PAD];
    let mut callers: Vec<Vec<Origin>> = Vec::new();
    let mut candidates = Vec::new();
    let mut consumers = Vec::new();
    let mut positions: Positions = Vec::with_capacity(ir.insts.len());
    // Depth of the top slot's index 0 in the current frame's coordinates.
    let base = |callers: &Vec<Vec<Origin>>| {
        if callers.is_empty() {
            ir.entry_depth as i64 - PAD as i64
        } else {
            -(PAD as i64)
        }
    };
    for (q, inst) in ir.insts.iter().enumerate() {
        let b = base(&callers);
        positions.push(
            stack
                .iter()
                .enumerate()
                .filter_map(|(k, o)| match o {
                    Origin::Local { at, .. } => Some((*at, k as i64 + b)),
                    _ => None,
                })
                .collect(),
        );
        match inst.uop {
            Uop::LOAD_FAST => stack.push(Origin::Local {
                at: q,
                local: inst.oparg,
            }),
            Uop::STORE_FAST | Uop::STORE_FAST_RAW => {
                stack.pop()?;
                for o in stack.iter_mut() {
                    if matches!(o, Origin::Local { local, .. } if *local == inst.oparg) {
                        *o = Origin::Other;
                    }
                }
            }
            Uop::PUSH_FRAME => {
                // Nothing borrowed crosses a frame: exits inside the callee resume tier
                // 1 in the callee, without fixing the caller's slots.
                let k = (inst.oparg & 0x7fff_ffff) as usize + 2;
                stack.truncate(stack.len().checked_sub(k)?);
                let caller = std::mem::replace(&mut stack, vec![Origin::Other; PAD]);
                callers.push(caller.iter().map(|_| Origin::Other).collect());
            }
            Uop::POP_FRAME => {
                stack = callers.pop()?;
                stack.push(Origin::Other);
            }
            // Guards check their operands in place.
            Uop::GUARD_BOTH_INT | Uop::GUARD_FLOAT_OPERANDS => {}
            Uop::COPY => {
                // The copy is counted; the original keeps its origin.
                let at = stack.len().checked_sub(inst.oparg as usize)?;
                let copied = if stack[at] == Origin::Raw {
                    Origin::Raw
                } else {
                    Origin::Other
                };
                stack.push(copied);
            }
            Uop::SWAP => {
                let top = stack.len().checked_sub(1)?;
                let at = stack.len().checked_sub(inst.oparg as usize)?;
                stack.swap(top, at);
            }
            _ => {
                let (pops, pushes) = inst.effect();
                if let Some((inputs, _)) = borrowable(inst) {
                    let top = stack.len();
                    let mut origins = Vec::new();
                    for k in 0..pops as usize {
                        origins.push(*stack.get(top.checked_sub(k + 1)?)?);
                    }
                    for &k in inputs {
                        let at = top.checked_sub(k as usize + 1)?;
                        if let Origin::Local { at: load, .. } = stack[at] {
                            candidates.push(Candidate {
                                load,
                                consumer: q,
                                input: k,
                            });
                        }
                    }
                    consumers.push((q, origins));
                }
                stack.truncate(stack.len().checked_sub(pops as usize)?);
                let raw = matches!(inst.uop, Uop::LOAD_FAST_RAW | Uop::LOAD_RAW)
                    || inst.uop.gives_small_int()
                    || inst.uop.gives_float();
                for _ in 0..pushes {
                    stack.push(if raw { Origin::Raw } else { Origin::Other });
                }
            }
        }
    }
    Some((candidates, consumers, positions))
}
