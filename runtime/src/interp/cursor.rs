//! `Cursor`: where tier 1's loop is running — the frame, its code, its localsplus, the
//! stack index and the instruction index — and the three ways it moves between frames
//! (entering a call, returning, unwinding an exception), each written once, and the
//! two that link a generator's frame into the loop and out again (`FOR_ITER` and
//! `SEND` resume a generator in its caller's loop, as CPython 3.12 does, instead
//! of in a nested loop entered from native code).
//!
//! Invariant (what every `unsafe` access in `eval` relies on): `frame` is the live
//! innermost frame of this loop and the VM's current frame; `co` is its code (kept
//! alive by the frame); `lp` points at its localsplus; slots `lp[..sp]` hold owned
//! values or NULL and `sp` stays within the frame's capacity (codegen computes the
//! maximum stack depth); `ip` is the index of the next instruction. While a frame is
//! not the innermost one, its header's `stack_top` and `instr` hold its `sp` and `ip`
//! (`save`), which is what `resume` reads back.
//!
//! `eval_loop` works on one `Cursor` through a `&mut` (`c.sp`, `c.ip`, ...), copies it
//! out (`here!`) for a transition and assigns the result back (`move_to!`). The
//! reference does not escape, so LLVM still keeps the fields in registers where it
//! can; measured against five separate locals destructured at each transition, the
//! same loop compiled to 3.4-6.3% fewer instructions (callgrind, tier 1: fib, richards,
//! deltablue, raytrace, generators, unpack_sequence, chaos, nqueens), and passing
//! the reference through `black_box` (every field in memory) to 1.7-5.5% fewer.
use stitch_stencils::frame::{FRAME_OWNED_BY_GENERATOR, FrameHeader};

use crate::frame::{clear_frame, frame_code};
use crate::instructions::Op;
use crate::types::code::CodeObj;
use crate::types::generator::{GenKind, GenObj};
use crate::value::Value;
use crate::vm::{PyErr, Vm};

use super::{add_traceback, finish_entry};

#[derive(Clone, Copy)]
pub(super) struct Cursor<'a> {
    pub frame: *mut FrameHeader,
    pub co: &'a CodeObj,
    pub lp: *mut Value,
    pub sp: usize,
    pub ip: usize,
    /// `co.quick`'s units, where the loop fetches each instruction: one load fewer
    /// per instruction than going through `co` (callgrind, tier 1, pyperformance's
    /// unpack_sequence loop: 944M -> 909M instructions).
    pub units: *const stitch_sync::shim::AtomicU32,
}

impl<'a> Cursor<'a> {
    /// The cursor of `frame` at stack index `sp` and instruction `ip`.
    ///
    /// # Safety
    /// `frame` is the live innermost frame; `sp` and `ip` are valid for it.
    #[inline(always)]
    pub unsafe fn at(frame: *mut FrameHeader, sp: usize, ip: usize) -> Cursor<'a> {
        // SAFETY: the caller's contract: `frame` is live and holds its code.
        unsafe {
            let co = frame_code(frame);
            Cursor {
                frame,
                co,
                lp: FrameHeader::localsplus(frame) as *mut Value,
                sp,
                ip,
                units: co.quick.units_ptr(),
            }
        }
    }

    /// The cursor of `frame` where it was saved (a new frame: its start).
    ///
    /// # Safety
    /// `frame` is the live innermost frame, saved (or fresh).
    #[inline(always)]
    pub unsafe fn resume(frame: *mut FrameHeader) -> Cursor<'a> {
        // SAFETY: the caller's contract.
        unsafe {
            let (sp, ip) = ((*frame).stack_top as usize, (*frame).instr as usize);
            Cursor::at(frame, sp, ip)
        }
    }

    /// Record `sp` and `ip` in the frame's header (before it stops being the innermost
    /// frame, or before code that reads them runs).
    #[inline(always)]
    pub fn save(&self) {
        // SAFETY: the invariant: `frame` is live.
        unsafe {
            (*self.frame).stack_top = self.sp as u32;
            (*self.frame).instr = self.ip as u32;
        }
    }

    /// Suspend this frame (a call) and continue at the start of `callee`, a freshly
    /// initialised frame.
    ///
    /// # Safety
    /// `callee` is a fresh frame on this thread's data stack.
    #[inline(always)]
    pub unsafe fn enter(self, vm: &mut Vm, callee: *mut FrameHeader) -> Cursor<'a> {
        // SAFETY: `callee` is fresh (the caller's contract); it becomes the innermost.
        unsafe {
            self.link_above(vm, callee);
            Cursor::at(callee, (*callee).stack_top as usize, 0)
        }
    }

    /// Save this frame and make `f` the innermost frame, called from it.
    ///
    /// # Safety
    /// `f` is a frame of this thread not linked anywhere (fresh, or a claimed
    /// generator's).
    #[inline(always)]
    unsafe fn link_above(&self, vm: &mut Vm, f: *mut FrameHeader) {
        self.save();
        // SAFETY: the caller's contract.
        unsafe { (*f).previous = self.frame };
        vm.depth += 1;
        vm.frame = f;
    }

    /// Pop this frame (not the loop's entry frame: `leave` does not free a frame a
    /// generator owns) and continue in its caller where it was saved.
    ///
    /// # Safety
    /// The frame is not `is_entry`; its values above `sp` were released or moved.
    #[inline(always)]
    pub unsafe fn pop(self, vm: &mut Vm) -> Cursor<'a> {
        // SAFETY: the caller's contract; the previous frame was saved when this one
        // was entered.
        unsafe {
            let prev = (*self.frame).previous;
            clear_frame(self.frame);
            vm.stack.pop(self.frame);
            vm.depth -= 1;
            vm.frame = prev;
            Cursor::resume(prev)
        }
    }
}

impl<'a> Cursor<'a> {
    /// Suspend this frame at its `FOR_ITER`/`SEND` and continue in generator
    /// frame `gen`, claimed by `Vm::gen_begin`, where it was saved.
    ///
    /// # Safety
    /// `gen` is a claimed generator frame (not linked anywhere).
    #[inline(always)]
    pub unsafe fn enter_generator(self, vm: &mut Vm, gen_frame: *mut FrameHeader) -> Cursor<'a> {
        // SAFETY: the caller's contract; the generator's frame becomes the innermost.
        unsafe {
            self.link_above(vm, gen_frame);
            Cursor::resume(gen_frame)
        }
    }

    /// Unlink this generator frame, entered by [`Cursor::enter_generator`], and continue
    /// in its caller (after its `FOR_ITER`/`SEND`): it yielded (`suspended`:
    /// saved for the next resume) or finished (released, the generator `Finished`).
    ///
    /// # Safety
    /// The frame is a generator's, not the loop's entry frame; when it finished, its
    /// values above `sp` were released or moved.
    #[inline(always)]
    pub unsafe fn leave_generator(self, vm: &mut Vm, suspended: bool) -> Cursor<'a> {
        self.save();
        // SAFETY: the caller's contract; the caller was saved when this frame was
        // entered, and the generator outlives this (its caller's stack holds it).
        unsafe {
            let prev = (*self.frame).previous;
            (*self.frame).previous = std::ptr::null_mut();
            vm.depth -= 1;
            vm.frame = prev;
            let owner = crate::types::generator::owner_of_frame(self.frame)
                .expect("a generator's frame records its generator");
            vm.gen_end(owner.payload_unchecked::<GenObj>(), suspended);
            Cursor::resume(prev)
        }
    }

    /// Where the caller of a generator frame that just returned goes on: the
    /// `FOR_ITER` that resumed it ends its loop (the value is dropped with the
    /// iterator), the `SEND` replaces its receiver with the value; both jump to
    /// their argument.
    #[inline(always)]
    pub fn generator_returned(&mut self, v: Value) {
        let word = self.co.code[self.ip - 1];
        let family = Op::from_u8((word & 0xff) as u8).map(Op::family);
        // SAFETY: the invariant: the receiver (or iterator) is the caller's top item.
        unsafe {
            drop(self.lp.add(self.sp - 1).read());
            if family == Some(Op::SEND) {
                self.lp.add(self.sp - 1).write(v);
            } else {
                drop(v);
                self.sp -= 1;
            }
        }
        self.ip = (word >> 8) as usize;
    }
}

/// A generator frame its caller's `FOR_ITER`/`SEND` resumed in this loop returned `v`:
/// release it and go on in the caller ([`Cursor::generator_returned`]).
///
/// Out of line and cold: once per generator, and inlined into `RETURN_VALUE` it made
/// every return of a function 18 instructions dearer (richards +2.4%).
///
/// # Safety
/// As [`Cursor::leave_generator`] for a finished frame.
#[cold]
#[inline(never)]
pub(super) unsafe fn generator_return<'a>(vm: &mut Vm, c: Cursor<'a>, v: Value) -> Cursor<'a> {
    // SAFETY: the caller's contract.
    let mut c = unsafe { c.leave_generator(vm, false) };
    c.generator_returned(v);
    c
}

/// Exception dispatch: find the handler of `exc` raised at the instruction before the
/// cursor's `ip`, in this frame or the callers it returns to (each adds its line to
/// the traceback). At a handler: the stack cut to its depth (plus the instruction
/// index if it wants it) and the exception pushed; the cursor is returned, at the
/// handler. No handler up to the loop's entry frame: the entry frame is left and the
/// exception returned.
///
/// Out of line and cold: exceptions are the rare path, and keeping their code out of
/// `eval` keeps the hot arms' code as LLVM compiles it without them.
#[cold]
#[inline(never)]
pub(super) fn unwind<'a>(vm: &mut Vm, c: Cursor<'a>, exc: Value) -> Result<Cursor<'a>, PyErr> {
    unwind_from(vm, c, exc, true)
}

/// Leave the cursor's frame with `exc` without searching its handlers (a trace
/// function raised on its 'call' or 'return' event: CPython's `exit_unwind`), then
/// unwind in its callers.
#[cold]
#[inline(never)]
pub(super) fn exit_frame<'a>(vm: &mut Vm, c: Cursor<'a>, exc: Value) -> Result<Cursor<'a>, PyErr> {
    unwind_from(vm, c, exc, false)
}

fn unwind_from<'a>(
    vm: &mut Vm,
    mut c: Cursor<'a>,
    mut exc: Value,
    mut search: bool,
) -> Result<Cursor<'a>, PyErr> {
    loop {
        let instr = c.ip.saturating_sub(1) as u32;
        if search && let Some(h) = c.co.find_handler(instr) {
            let base = c.co.nlocalsplus() + h.depth as usize;
            while c.sp > base {
                c.sp -= 1;
                // SAFETY: the invariant: slots below `sp` hold owned values or NULL.
                unsafe { drop(c.lp.add(c.sp).read()) };
            }
            if h.lasti {
                // The frame's last instruction: the raising one, or the one a
                // `RERAISE` restored (CPython's `prev_instr`).
                // SAFETY: the invariant: `frame` is live.
                let last = unsafe { (*c.frame).instr }.saturating_sub(1);
                // SAFETY: the invariant: `sp` stays within the frame's capacity.
                unsafe { c.lp.add(c.sp).write(Value::int(last as i64)) };
                c.sp += 1;
            }
            // SAFETY: as above.
            unsafe { c.lp.add(c.sp).write(exc) };
            c.sp += 1;
            c.ip = h.handler as usize;
            return Ok(c);
        }
        // The handler-less frame's stack is released with it (`clear_frame`).
        // SAFETY: the invariant: `frame` is live.
        unsafe { (*c.frame).stack_top = c.sp as u32 };
        if search && vm.trace.use_tracing != 0 {
            // Left by an exception: 'return' with None.
            exc = crate::trace::unwind_exit(vm, c.frame, exc);
        }
        search = true;
        // SAFETY: as above.
        if unsafe { (*c.frame).is_entry } != 0 {
            finish_entry(vm, c.frame);
            return Err(PyErr { exc });
        }
        // SAFETY: not the entry frame (checked above).
        c = unsafe {
            if (*c.frame).owner == FRAME_OWNED_BY_GENERATOR {
                // A generator run by its caller's FOR_ITER/SEND raised: it is
                // finished, and a StopIteration leaving it becomes a RuntimeError.
                let kind = GenKind::of_flags(frame_code(c.frame).flags);
                let c = c.leave_generator(vm, false);
                exc = vm.stop_escaping_generator(PyErr { exc }, kind).exc;
                c
            } else {
                c.pop(vm)
            }
        };
        add_traceback(&exc, c.frame, c.ip.saturating_sub(1));
        if vm.trace.use_tracing != 0 {
            // The caller sees the exception raised at its call: 'exception'.
            exc = crate::trace::exception_event(vm, c.frame, exc);
        }
    }
}
