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
    /// (exit number, offset of its stub), for linking exits to side traces.
    pub stubs: Vec<(u64, usize)>,
}

/// The signature every trace (and stencil) has.
pub type TraceFn = unsafe extern "C" fn(
    *mut stitch_stencils::FrameHeader,
    *mut stitch_stencils::RawValue,
) -> usize;

impl Trace {
    /// Make exit `n`'s stub jump to `target` (a side trace's entry) instead of
    /// returning: a 5-byte relative jump written over the stub's first bytes, under
    /// W^X (`ExecutableCode::patch`). Only the thread that compiled the trace runs it,
    /// and it is not running code of this trace's pages while this runs (it is
    /// compiling); a stub is at least 5 bytes. False if out of reach.
    pub fn link_exit(&self, n: u64, target: usize) -> bool {
        // Stubs hold full exit numbers (`trace number << SHIFT | n`).
        let mask = (1u64 << stitch_runtime::tier2::table::SHIFT) - 1;
        let Some(&(_, off)) = self.stubs.iter().find(|(e, _)| *e & mask == n) else {
            return false;
        };
        debug_assert!(stencil("EXIT").is_some_and(|s| s.code.len() >= 5));
        let from = self.code.addr() + off + 5;
        let Ok(rel) = i32::try_from(target as i64 - from as i64) else {
            return false;
        };
        let mut jmp = [0xE9u8, 0, 0, 0, 0];
        jmp[1..].copy_from_slice(&rel.to_le_bytes());
        self.code.patch(off, &jmp)
    }

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

/// How a trace's code ends after its last op.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The last op ends it (`EXIT`).
    Return,
    /// A jump back to the first op (a loop that only ends through its exits).
    LoopBack,
    /// A jump to machine code at this address (a side trace back into its loop's
    /// trace), with the frame and stack registers as the last op left them.
    JumpTo(u64),
}

/// Lay out, patch and map `ops` (the last op should end the trace, e.g. `EXIT 0`).
pub fn emit(ops: &[EmitOp]) -> Result<Trace, EmitError> {
    emit_trace(ops, End::Return)
}

/// Like `emit`, ending as `end` says.
pub fn emit_trace(ops: &[EmitOp], end: End) -> Result<Trace, EmitError> {
    let exit = stencil("EXIT").ok_or(EmitError::MissingStencil("EXIT"))?;
    // Layout: body stencils, then one exit stub per op that has an Exit hole.
    let mut offsets = Vec::with_capacity(ops.len());
    let mut pos = 0usize;
    for op in ops {
        offsets.push(pos);
        pos += op.stencil.code.len();
    }
    let body_end = pos;
    match end {
        End::Return => {}
        End::LoopBack => pos += 5,   // jmp rel32 back to the first stencil
        End::JumpTo(_) => pos += 12, // movabs rax, target; jmp rax
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
    match end {
        End::Return => {}
        End::LoopBack => {
            buf[body_end] = 0xE9;
            let rel = -((body_end + 5) as i32);
            buf[body_end + 1..body_end + 5].copy_from_slice(&rel.to_le_bytes());
        }
        End::JumpTo(target) => {
            buf[body_end..body_end + 2].copy_from_slice(&[0x48, 0xB8]);
            buf[body_end + 2..body_end + 10].copy_from_slice(&target.to_le_bytes());
            buf[body_end + 10..body_end + 12].copy_from_slice(&[0xFF, 0xE0]);
        }
    }
    let mut stubs = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let (e, r) = exit_offsets[i];
        for (at, n) in [(e, op.exit), (r, op.error_exit)] {
            if let Some(at) = at {
                stubs.push((n, at));
                let stub = EmitOp::new(exit, n, 0);
                copy_patch(&mut buf, at, &stub, at + exit.code.len(), (None, None));
            }
        }
    }
    let code = ExecutableCode::new(&buf).map_err(EmitError::Memory)?;
    Ok(Trace {
        code,
        offsets,
        stubs,
    })
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
            HoleValue::Incref => Some(stitch_runtime::tier2::helpers::incref_entry().0 as u64),
            HoleValue::Decref => Some(stitch_runtime::tier2::helpers::decref_entry().0 as u64),
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
