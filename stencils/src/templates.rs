//! Stencil templates: the uop bodies of `uops.rs` wrapped as copy-and-patch stencils
//! (compiled only into the JIT's object file, under `--cfg stitch_stencil_build`).
//!
//! Every stencil has the same signature, so one stencil's tail call to the next
//! (`_JIT_CONTINUE`) compiles to a `jmp` that the emitter patches or strips:
//! `(frame, sp) -> exit code`, where `sp` points one past the top of the value stack.
//! Holes (undefined symbols the emitter patches, see `jit/build.rs`):
//! - `_JIT_CONTINUE`: the next stencil of the trace (a tail jump);
//! - `_JIT_EXIT`: this stencil's exit (a tail jump to an exit stencil);
//! - `_JIT_OPARG`: a 64-bit operand, read as the *address* of an extern static.
//!
//! Bodies call only `#[inline(always)]` code that cannot panic: the build fails on any
//! other undefined symbol (a panic path shows up as one).
use crate::FrameHeader;
use crate::value::RawValue;

// The value holes are declared as large arrays so their relocations stay 64-bit.
unsafe extern "C" {
    static _JIT_OPARG: [u8; 1 << 20];
    fn _JIT_CONTINUE(frame: *mut FrameHeader, sp: *mut RawValue) -> usize;
    fn _JIT_EXIT(frame: *mut FrameHeader, sp: *mut RawValue) -> usize;
}

#[inline(always)]
fn oparg() -> usize {
    // Only the symbol's address is used; the emitter patches it to a value.
    core::ptr::addr_of!(_JIT_OPARG) as usize
}

#[inline(always)]
unsafe fn top2(sp: *mut RawValue) -> (RawValue, RawValue) {
    // SAFETY: the trace was recorded with two values on the stack here.
    unsafe { (*sp.sub(2), *sp.sub(1)) }
}

macro_rules! int_binop {
    ($name:ident, $f:path) => {
        /// Stencil of the uop of the same name (small ints; other results exit).
        ///
        /// # Safety
        /// Called by JIT code with the trace's frame and stack.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(frame: *mut FrameHeader, sp: *mut RawValue) -> usize {
            // SAFETY: see the signature's contract.
            unsafe {
                let (a, b) = top2(sp);
                match $f(a, b) {
                    Some(r) => {
                        *sp.sub(2) = r;
                        _JIT_CONTINUE(frame, sp.sub(1))
                    }
                    None => _JIT_EXIT(frame, sp),
                }
            }
        }
    };
}

int_binop!(stencil_ADD_INT, crate::uops::add_int);
int_binop!(stencil_SUB_INT, crate::uops::sub_int);
int_binop!(stencil_MUL_INT, crate::uops::mul_int);

/// `GUARD_BOTH_INT`.
///
/// # Safety
/// Called by JIT code with the trace's frame and stack.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stencil_GUARD_BOTH_INT(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
) -> usize {
    // SAFETY: see the signature's contract.
    unsafe {
        let (a, b) = top2(sp);
        if crate::uops::guard_both_int(a, b) {
            _JIT_CONTINUE(frame, sp)
        } else {
            _JIT_EXIT(frame, sp)
        }
    }
}

/// `LOAD_CONST_INT`: push the small int (or other immortal raw value) in the operand.
///
/// # Safety
/// Called by JIT code with the trace's frame and stack; the stack has room.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stencil_LOAD_RAW(frame: *mut FrameHeader, sp: *mut RawValue) -> usize {
    // SAFETY: see the signature's contract.
    unsafe {
        *sp = RawValue(oparg() as u64);
        _JIT_CONTINUE(frame, sp.add(1))
    }
}

/// Leave the trace: the operand is the exit's number (0 = the trace ended normally).
///
/// # Safety
/// Called by JIT code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stencil_EXIT(_frame: *mut FrameHeader, _sp: *mut RawValue) -> usize {
    oparg()
}

/// A patchpoint: continue while the assumption whose flag the operand points at holds,
/// else take the exit (see `stitch_sync::patchpoint`).
///
/// # Safety
/// Called by JIT code; the operand is the address of a live `AtomicBool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stencil_PATCHPOINT(frame: *mut FrameHeader, sp: *mut RawValue) -> usize {
    // SAFETY: see the signature's contract.
    unsafe {
        let flag = &*(oparg() as *const core::sync::atomic::AtomicBool);
        if flag.load(core::sync::atomic::Ordering::Acquire) {
            _JIT_CONTINUE(frame, sp)
        } else {
            _JIT_EXIT(frame, sp)
        }
    }
}

int_binop!(stencil_FLOORDIV_INT, crate::uops::floordiv_int);
int_binop!(stencil_MOD_INT, crate::uops::mod_int);

/// Local variable `oparg`: push it if it is a small int (no reference count needed),
/// else exit before doing anything.
///
/// # Safety
/// Called by JIT code with the trace's frame and stack; the stack has room.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stencil_LOAD_FAST_INT(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
) -> usize {
    // SAFETY: see the signature's contract; `oparg` is a local's index.
    unsafe {
        let v = *FrameHeader::localsplus(frame).add(oparg());
        if v.is_small_int() {
            *sp = v;
            _JIT_CONTINUE(frame, sp.add(1))
        } else {
            _JIT_EXIT(frame, sp)
        }
    }
}

/// Pop a small int into local `oparg`, if the value it replaces needs no release
/// (not a heap object); else exit before doing anything.
///
/// # Safety
/// Called by JIT code with the trace's frame and stack.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stencil_STORE_FAST_INT(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
) -> usize {
    // SAFETY: see the signature's contract; `oparg` is a local's index.
    unsafe {
        let slot = FrameHeader::localsplus(frame).add(oparg());
        let v = *sp.sub(1);
        if v.is_small_int() && !(*slot).is_ptr() {
            *slot = v;
            _JIT_CONTINUE(frame, sp.sub(1))
        } else {
            _JIT_EXIT(frame, sp)
        }
    }
}

/// A compare of two small ints fused with its conditional jump, as a guard: pop both
/// and continue if the comparison (low byte of the operand) gives the expected truth
/// (bit 8), else exit with the operands still on the stack.
///
/// # Safety
/// Called by JIT code with the trace's frame and stack.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stencil_COMPARE_INT_GUARD(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
) -> usize {
    // SAFETY: see the signature's contract.
    unsafe {
        let (a, b) = top2(sp);
        let op = oparg();
        if crate::uops::guard_both_int(a, b)
            && crate::uops::compare_int(a, b, (op & 0xff) as u32) == (op & 0x100 != 0)
        {
            _JIT_CONTINUE(frame, sp.sub(2))
        } else {
            _JIT_EXIT(frame, sp)
        }
    }
}
