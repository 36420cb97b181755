//! Redundant patchpoint elimination: a patchpoint matters only if code that could start
//! a thread ran since the previous one. The trace's first patchpoint (its entry check)
//! always stays; any other is dropped unless an escaping uop precedes it since the last
//! patchpoint kept.
use crate::ir::{TraceIr, Uop};

pub fn run(ir: &mut TraceIr) {
    let mut escaped = false;
    let mut first = true;
    ir.insts.retain(|inst| {
        if inst.uop == Uop::PATCHPOINT {
            let keep = first || escaped;
            first = false;
            escaped = false;
            return keep;
        }
        escaped |= inst.escapes();
        true
    });
}
