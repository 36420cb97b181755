//! Copy-and-patch emitter (uop sequence -> machine code).
//!
//! Stencils are copied one after another; each stencil's `Continue` hole gets the
//! next stencil's address (a stencil whose trailing jump was stripped just falls
//! through), each `Exit` hole the address of an exit stub (an `EXIT` stencil whose
//! operand is the exit's number) laid out after the body, and `Oparg` holes the
//! instruction's operand. Patching happens in a writable buffer before the code is
//! mapped executable, so addresses are computed for the final mapping's base.
use crate::memory::ExecutableCode;
use crate::stencil::{HoleValue, Stencil, stencil};

/// One uop of a trace to emit: its stencil, its operand and its exit number (used when
/// its guard fails; exits are numbered from 1, 0 means "the trace ran to its end").
pub struct EmitOp {
    pub stencil: &'static Stencil,
    pub oparg: u64,
    pub exit: u64,
    /// Values of the other holes (`bodies::Args`): the helper's and the runtime's
    /// reference-count functions' addresses, the compiling thread's id.
    pub helper: u64,
    pub tid: u64,
    /// Exit number of the error exit (`Error` hole), if the stencil has one.
    pub error_exit: u64,
}

impl EmitOp {
    /// An op with no helper, for the compiling thread.
    pub fn new(stencil: &'static Stencil, oparg: u64, exit: u64) -> EmitOp {
        EmitOp {
            stencil,
            oparg,
            exit,
            helper: 0,
            tid: stitch_runtime::object::current_tid(),
            error_exit: 0,
        }
    }
}

/// A compiled trace: call `entry(frame, sp)`; it returns the exit number.
pub struct Trace {
    pub code: ExecutableCode,
    /// Where each op's code starts (for disassembly dumps).
    pub offsets: Vec<usize>,
}

/// The signature every trace (and stencil) has.
pub type TraceFn = unsafe extern "C" fn(
    *mut stitch_stencils::FrameHeader,
    *mut stitch_stencils::RawValue,
) -> usize;

impl Trace {
    pub fn entry(&self) -> TraceFn {
        // SAFETY: the code starts with the first stencil, which has this signature.
        unsafe { std::mem::transmute::<usize, TraceFn>(self.code.addr()) }
    }
}

#[derive(Debug)]
pub enum EmitError {
    MissingStencil(&'static str),
    Memory(std::io::Error),
}

/// Lay out, patch and map `ops` (the last op should end the trace, e.g. `EXIT 0`).
pub fn emit(ops: &[EmitOp]) -> Result<Trace, EmitError> {
    emit_trace(ops, false)
}

/// Like `emit`; with `loop_back`, the last op continues into a jump back to the first
/// (a loop that only ends through its exits).
pub fn emit_trace(ops: &[EmitOp], loop_back: bool) -> Result<Trace, EmitError> {
    let exit = stencil("EXIT").ok_or(EmitError::MissingStencil("EXIT"))?;
    // Layout: body stencils, then one exit stub per op that has an Exit hole.
    let mut offsets = Vec::with_capacity(ops.len());
    let mut pos = 0usize;
    for op in ops {
        offsets.push(pos);
        pos += op.stencil.code.len();
    }
    let body_end = pos;
    if loop_back {
        pos += 5; // jmp rel32 back to the first stencil
    }
    // One stub per Exit hole kind an op has: (exit stub, error stub).
    let has = |op: &EmitOp, v: HoleValue| op.stencil.holes.iter().any(|h| h.value == v);
    let mut exit_offsets = Vec::with_capacity(ops.len());
    for op in ops {
        let mut stub = |present: bool| {
            present.then(|| {
                pos += exit.code.len();
                pos - exit.code.len()
            })
        };
        let e = stub(has(op, HoleValue::Exit));
        let r = stub(has(op, HoleValue::Error));
        exit_offsets.push((e, r));
    }
    let mut buf = vec![0u8; pos];
    // The base address is only known after mapping; PC-relative holes do not care,
    // and the operand holes hold values, not addresses. So patch relative to 0.
    for (i, op) in ops.iter().enumerate() {
        let at = offsets[i];
        let next = if i + 1 < ops.len() {
            offsets[i + 1]
        } else {
            body_end
        };
        copy_patch(&mut buf, at, op, next, exit_offsets[i]);
    }
    if loop_back {
        buf[body_end] = 0xE9;
        let rel = -((body_end + 5) as i32);
        buf[body_end + 1..body_end + 5].copy_from_slice(&rel.to_le_bytes());
    }
    for (i, op) in ops.iter().enumerate() {
        let (e, r) = exit_offsets[i];
        for (at, n) in [(e, op.exit), (r, op.error_exit)] {
            if let Some(at) = at {
                let stub = EmitOp::new(exit, n, 0);
                copy_patch(&mut buf, at, &stub, at + exit.code.len(), (None, None));
            }
        }
    }
    let code = ExecutableCode::new(&buf).map_err(EmitError::Memory)?;
    Ok(Trace { code, offsets })
}

fn copy_patch(
    buf: &mut [u8],
    at: usize,
    op: &EmitOp,
    next: usize,
    (exit, error): (Option<usize>, Option<usize>),
) {
    let s = op.stencil;
    buf[at..at + s.code.len()].copy_from_slice(s.code);
    for h in s.holes {
        let place = at + h.offset;
        let value = match h.value {
            HoleValue::Oparg => Some(op.oparg),
            HoleValue::Tid => Some(op.tid),
            HoleValue::Helper => Some(op.helper),
            HoleValue::Incref => Some(stitch_runtime::tier2::helpers::incref as *const () as u64),
            HoleValue::Decref => Some(stitch_runtime::tier2::helpers::decref as *const () as u64),
            HoleValue::Continue | HoleValue::Exit | HoleValue::Error => None,
        };
        if let Some(v) = value {
            let v = v.wrapping_add(h.addend as u64);
            buf[place..place + 8].copy_from_slice(&v.to_le_bytes());
            continue;
        }
        let target = match h.value {
            HoleValue::Exit => exit.unwrap_or(next),
            HoleValue::Error => error.unwrap_or(next),
            _ => next,
        };
        let rel = target as i64 + h.addend - place as i64;
        let rel = i32::try_from(rel).expect("traces are far smaller than 2 GiB");
        buf[place..place + 4].copy_from_slice(&rel.to_le_bytes());
    }
}
