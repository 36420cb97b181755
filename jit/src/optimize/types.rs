//! Type propagation and guard elimination.
//!
//! Walks the trace once from its start, where nothing is known (a loop trace jumps
//! back to its start, so facts established inside an iteration are never assumed at
//! the top). A slot's kind becomes known from a constant, a guard that passed, or an
//! operation whose result kind is fixed (int uops give small ints or exit; float uops
//! give floats). Known kinds remove the guards they decide and let loads and stores of
//! non-heap values skip reference counting: such a value needs no count, and a store
//! over one releases nothing, so it cannot run code and needs no patchpoint.
use std::collections::HashMap;

use stitch_stencils::value::RawValue;

use crate::ir::{Inst, TraceIr, Uop};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Unknown,
    SmallInt,
    Float,
    /// Some other word that is not a heap object (None, a bool, NULL).
    OtherRaw,
}

impl Kind {
    fn of_raw(raw: RawValue) -> Kind {
        if raw.is_small_int() {
            Kind::SmallInt
        } else if raw.is_float() {
            Kind::Float
        } else if raw.is_ptr() {
            Kind::Unknown
        } else {
            Kind::OtherRaw
        }
    }

    fn is_raw(self) -> bool {
        self != Kind::Unknown
    }
}

pub fn run(ir: &mut TraceIr) {
    let mut stack: Vec<Kind> = Vec::new();
    let mut locals: HashMap<u64, Kind> = HashMap::new();
    let mut out: Vec<Inst> = Vec::with_capacity(ir.insts.len());
    // Kind of the slot `n` below the top (1 = top); slots below the trace's entry
    // depth are unknown.
    fn peek(stack: &[Kind], n: usize) -> Kind {
        stack
            .len()
            .checked_sub(n)
            .map(|i| stack[i])
            .unwrap_or(Kind::Unknown)
    }
    fn set(stack: &mut [Kind], n: usize, k: Kind) {
        if let Some(i) = stack.len().checked_sub(n) {
            stack[i] = k;
        }
    }
    fn pop(stack: &mut Vec<Kind>, n: u32) {
        for _ in 0..n {
            stack.pop();
        }
    }
    for mut inst in std::mem::take(&mut ir.insts) {
        let mut keep = true;
        match inst.uop {
            Uop::LOAD_FAST | Uop::LOAD_FAST_RAW => {
                let k = locals.get(&inst.oparg).copied().unwrap_or(Kind::Unknown);
                if k.is_raw() {
                    inst.uop = Uop::LOAD_FAST_RAW;
                    inst.exit = 0;
                }
                stack.push(k);
            }
            Uop::STORE_FAST | Uop::STORE_FAST_RAW => {
                let old = locals.get(&inst.oparg).copied().unwrap_or(Kind::Unknown);
                if old.is_raw() {
                    inst.uop = Uop::STORE_FAST_RAW;
                }
                let k = stack.pop().unwrap_or(Kind::Unknown);
                locals.insert(inst.oparg, k);
            }
            Uop::LOAD_RAW => stack.push(Kind::of_raw(RawValue(inst.oparg))),
            Uop::GUARD_BOTH_INT => {
                if peek(&stack, 1) == Kind::SmallInt && peek(&stack, 2) == Kind::SmallInt {
                    keep = false;
                }
                set(&mut stack, 1, Kind::SmallInt);
                set(&mut stack, 2, Kind::SmallInt);
            }
            Uop::GUARD_FLOAT_OPERANDS => {
                if peek(&stack, 1) == Kind::Float && peek(&stack, 2) == Kind::Float {
                    keep = false;
                }
                set(&mut stack, 1, Kind::Float);
                set(&mut stack, 2, Kind::Float);
            }
            Uop::ADD_INT | Uop::SUB_INT | Uop::MUL_INT | Uop::FLOORDIV_INT | Uop::MOD_INT => {
                pop(&mut stack, 2);
                stack.push(Kind::SmallInt);
            }
            Uop::ADD_FLOAT | Uop::SUB_FLOAT | Uop::MUL_FLOAT | Uop::TRUEDIV_FLOAT => {
                pop(&mut stack, 2);
                stack.push(Kind::Float);
            }
            _ => {
                let (pops, pushes) = inst.effect();
                pop(&mut stack, pops);
                for _ in 0..pushes {
                    stack.push(Kind::Unknown);
                }
            }
        }
        if keep {
            out.push(inst);
        }
    }
    ir.insts = out;
}
