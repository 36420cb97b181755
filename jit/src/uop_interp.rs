//! The uop interpreter (`-X jit=uops`): runs a trace's IR by calling the same bodies
//! the stencils are made of (`stitch_stencils::bodies`). It is the reference the
//! copy-and-patch backend is checked against (tests, fuzzing), and a way to tell a
//! translator or optimizer bug from a backend bug.
use stitch_runtime::tier2::TraceCode;
use stitch_stencils::FrameHeader;
use stitch_stencils::bodies::{self, Args, Step};
use stitch_stencils::value::RawValue;

use crate::ir::{Shape, TraceIr, Uop};

/// A `Body` uop's function.
type BodyFn = unsafe fn(*mut FrameHeader, *mut RawValue, &Args) -> Step;

/// The dispatch table: every uop's body by its number (`None`: not a plain `Body`,
/// run by `run` itself), generated from `for_each_uop!`.
macro_rules! define_dispatch {
    ($($(#[doc = $doc:literal])* $name:ident: $pops:literal -> $pushes:literal, [$($flag:ident),*], $kind:ident ($f:ident, $s:ident, $a:ident) $body:block)*) => {
        static BODIES: &[Option<BodyFn>] = &[$(body_of!($kind, $name)),*];
    };
}

macro_rules! body_of {
    (Body, $name:ident) => {
        Some(bodies::$name as BodyFn)
    };
    ($other:ident, $name:ident) => {
        None
    };
}

stitch_stencils::for_each_uop!(define_dispatch);

/// One uop's body.
///
/// # Safety
/// As the body's: run by a trace on its frame and stack.
pub unsafe fn step(uop: Uop, frame: *mut FrameHeader, sp: *mut RawValue, a: &Args) -> Step {
    match BODIES[uop as usize] {
        // SAFETY: see the contract.
        Some(body) => unsafe { body(frame, sp, a) },
        // `EXIT_TRACE`; error exits and frame switches are handled by the caller (`run`).
        None => {
            assert!(uop == Uop::EXIT_TRACE, "{} runs through `run`", uop.name());
            None
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
