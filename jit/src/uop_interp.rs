//! The uop interpreter (`-X jit=uops`): runs a trace's IR by calling the same bodies
//! the stencils are made of (`stitch_stencils::bodies`). It is the reference the
//! copy-and-patch backend is checked against (tests, fuzzing), and a way to tell a
//! translator or optimizer bug from a backend bug.
use stitch_runtime::tier2::TraceCode;
use stitch_stencils::FrameHeader;
use stitch_stencils::bodies::{self, Args, Step};
use stitch_stencils::value::RawValue;

use crate::ir::{Shape, TraceIr, Uop};

/// One uop's body.
///
/// # Safety
/// As the body's: run by a trace on its frame and stack.
pub unsafe fn step(uop: Uop, frame: *mut FrameHeader, sp: *mut RawValue, a: &Args) -> Step {
    use Uop::*;
    // SAFETY: see the contract.
    unsafe {
        match uop {
            LOAD_FAST => bodies::LOAD_FAST(frame, sp, a),
            LOAD_FAST_RAW => bodies::LOAD_FAST_RAW(frame, sp, a),
            LOAD_FAST_BORROW => bodies::LOAD_FAST_BORROW(frame, sp, a),
            COPY => bodies::COPY(frame, sp, a),
            GUARD_GLOBALS => bodies::GUARD_GLOBALS(frame, sp, a),
            SWAP => bodies::SWAP(frame, sp, a),
            STORE_FAST => bodies::STORE_FAST(frame, sp, a),
            STORE_FAST_RAW => bodies::STORE_FAST_RAW(frame, sp, a),
            POP_TOP => bodies::POP_TOP(frame, sp, a),
            LOAD_RAW => bodies::LOAD_RAW(frame, sp, a),
            LOAD_CONST_OBJ => bodies::LOAD_CONST_OBJ(frame, sp, a),
            GUARD_BOTH_INT => bodies::GUARD_BOTH_INT(frame, sp, a),
            ADD_INT => bodies::ADD_INT(frame, sp, a),
            SUB_INT => bodies::SUB_INT(frame, sp, a),
            MUL_INT => bodies::MUL_INT(frame, sp, a),
            FLOORDIV_INT => bodies::FLOORDIV_INT(frame, sp, a),
            MOD_INT => bodies::MOD_INT(frame, sp, a),
            AND_INT => bodies::AND_INT(frame, sp, a),
            OR_INT => bodies::OR_INT(frame, sp, a),
            XOR_INT => bodies::XOR_INT(frame, sp, a),
            LSHIFT_INT => bodies::LSHIFT_INT(frame, sp, a),
            RSHIFT_INT => bodies::RSHIFT_INT(frame, sp, a),
            GUARD_FLOAT_OPERANDS => bodies::GUARD_FLOAT_OPERANDS(frame, sp, a),
            ADD_FLOAT => bodies::ADD_FLOAT(frame, sp, a),
            SUB_FLOAT => bodies::SUB_FLOAT(frame, sp, a),
            MUL_FLOAT => bodies::MUL_FLOAT(frame, sp, a),
            TRUEDIV_FLOAT => bodies::TRUEDIV_FLOAT(frame, sp, a),
            COMPARE_INT_GUARD => bodies::COMPARE_INT_GUARD(frame, sp, a),
            COMPARE_FLOAT_GUARD => bodies::COMPARE_FLOAT_GUARD(frame, sp, a),
            COMPARE_INT_BRANCH => bodies::COMPARE_INT_BRANCH(frame, sp, a),
            COMPARE_FLOAT_BRANCH => bodies::COMPARE_FLOAT_BRANCH(frame, sp, a),
            GUARD_TRUTH => bodies::GUARD_TRUTH(frame, sp, a),
            GUARD_TRUTH_KEEP => bodies::GUARD_TRUTH_KEEP(frame, sp, a),
            GUARD_IS_NONE => bodies::GUARD_IS_NONE(frame, sp, a),
            GUARD_LOCAL_KIND => bodies::GUARD_LOCAL_KIND(frame, sp, a),
            CALL_HELPER => bodies::CALL_HELPER(frame, sp, a),
            // The error exit and frame switches are handled by the caller (`run`).
            CALL_HELPER_ERR | PUSH_FRAME | POP_FRAME => {
                unreachable!("{} runs through `run`", uop.name())
            }
            PATCHPOINT => bodies::PATCHPOINT(frame, sp, a),
            COUNT => bodies::COUNT(frame, sp, a),
            EXIT_TRACE => None,
        }
    }
}

/// The `Args` a uop instance runs with (what the stencil's holes are patched with).
pub fn args_of(inst: &crate::ir::Inst, tid: u64) -> Args {
    Args {
        oparg: inst.oparg,
        tid,
        helper: inst.helper.map(|h| h.f).unwrap_or(no_helper),
        incref: stitch_runtime::tier2::helpers::incref_entry(),
        decref: stitch_runtime::tier2::helpers::decref_entry(),
    }
}

unsafe extern "C" fn no_helper(_: *mut FrameHeader, _: *mut RawValue, _: u64) -> *mut RawValue {
    std::ptr::null_mut()
}

/// A trace run by the uop interpreter.
pub struct InterpretedTrace {
    /// (uop, its arguments, exit, error exit)
    ops: Vec<(Uop, Args, u32, u32)>,
    /// Added to reported exit numbers (`tier2::SIDE_SHIFT`).
    exit_base: usize,
    looping: bool,
}

impl InterpretedTrace {
    pub fn new(ir: &TraceIr, tid: u64) -> InterpretedTrace {
        InterpretedTrace {
            ops: ir
                .insts
                .iter()
                .map(|i| (i.uop, args_of(i, tid), i.exit, i.error_exit))
                .collect(),
            looping: ir.shape == Shape::Loop,
            exit_base: ir.exit_base,
        }
    }
}

impl TraceCode for InterpretedTrace {
    unsafe fn run(&self, frame: *mut FrameHeader, sp: *mut RawValue) -> usize {
        // SAFETY: the caller's contract.
        let n = unsafe { self.run_from(frame, sp) };
        if n == 0 { 0 } else { self.exit_base | n }
    }

    fn code_bytes(&self) -> usize {
        0
    }
}

impl InterpretedTrace {
    /// # Safety
    /// As `TraceCode::run`.
    unsafe fn run_from(&self, mut frame: *mut FrameHeader, mut sp: *mut RawValue) -> usize {
        loop {
            for (uop, a, exit, error_exit) in &self.ops {
                // SAFETY: the trace was translated for this frame (the caller's contract).
                if matches!(uop, Uop::PUSH_FRAME | Uop::POP_FRAME) {
                    // SAFETY: as for every uop.
                    let r = unsafe {
                        if *uop == Uop::PUSH_FRAME {
                            bodies::PUSH_FRAME(frame, sp, a)
                        } else {
                            bodies::POP_FRAME(frame, sp, a)
                        }
                    };
                    match r {
                        Some((f, s)) => {
                            frame = f;
                            sp = s;
                            continue;
                        }
                        None => return *exit as usize,
                    }
                }
                // SAFETY: as above.
                let next = unsafe {
                    if *uop == Uop::CALL_HELPER_ERR {
                        match bodies::CALL_HELPER_ERR(frame, sp, a) {
                            Ok(step) => step,
                            Err(bodies::Raised(_)) => return *error_exit as usize,
                        }
                    } else {
                        step(*uop, frame, sp, a)
                    }
                };
                match next {
                    Some(next) => sp = next,
                    None => return *exit as usize,
                }
            }
            if !self.looping {
                return 0;
            }
        }
    }
}
