//! Stencil templates: every uop body (`for_each_uop!`) wrapped as a copy-and-patch stencil
//! (compiled only into the JIT's object file, under `--cfg stitch_stencil_build`).
//!
//! Every stencil has the same signature, so one stencil's tail call to the next
//! (`_JIT_CONTINUE`) compiles to a `jmp` that the emitter patches or strips:
//! `(frame, sp) -> exit number`, where `sp` points one past the top of the value stack.
//! Holes (undefined symbols the emitter patches, see `jit/build.rs`):
//! - `_JIT_CONTINUE`: the next stencil of the trace (a tail jump);
//! - `_JIT_EXIT`: this stencil's exit (a tail jump to an exit stub);
//! - `_JIT_ERROR`: its error exit (an instruction that raised), when it has one;
//! - `_JIT_OPARG`, `_JIT_TID`, `_JIT_HELPER`, `_JIT_INCREF`, `_JIT_DECREF`: 64-bit
//!   values (`bodies::Args`), loaded with `movabs` (see `hole!`).
//!
//! Bodies call only `#[inline(always)]` code that cannot panic and the runtime through
//! the patched function addresses: the build fails on any other undefined symbol (a
//! panic path shows up as one).
use crate::FrameHeader;
use crate::bodies::{self, Args};
use crate::value::RawValue;

unsafe extern "C" {
    fn _JIT_CONTINUE(frame: *mut FrameHeader, sp: *mut RawValue) -> usize;
    fn _JIT_EXIT(frame: *mut FrameHeader, sp: *mut RawValue) -> usize;
    fn _JIT_ERROR(frame: *mut FrameHeader, sp: *mut RawValue) -> usize;
}

/// A hole's value as a 64-bit immediate (`movabs`, an `R_X86_64_64` relocation the
/// emitter patches). Written in assembly so the compiler knows nothing about it: taken
/// as the address of a symbol, it would be assumed non-null (folding `oparg != 0` to
/// true) and functions would be called directly with a 32-bit displacement, which
/// cannot reach the runtime from JIT memory. `pure, nomem` lets unused loads disappear.
macro_rules! hole {
    ($sym:literal) => {{
        let addr: usize;
        // SAFETY: loads a link-time constant into a register; no memory, no stack.
        unsafe {
            core::arch::asm!(
                concat!("movabs {0}, offset ", $sym),
                out(reg) addr,
                options(pure, nomem, nostack, preserves_flags)
            )
        };
        addr
    }};
}

/// The holes as the bodies' arguments (each field compiles to a patched immediate).
#[inline(always)]
fn args() -> Args {
    // SAFETY: the emitter patches each function hole with the address of a runtime
    // function of that type.
    unsafe {
        Args {
            oparg: hole!("_JIT_OPARG") as u64,
            tid: hole!("_JIT_TID") as u64,
            helper: core::mem::transmute::<usize, bodies::HelperFn>(hole!("_JIT_HELPER")),
            incref: bodies::RcFn(hole!("_JIT_INCREF")),
            decref: bodies::RcFn(hole!("_JIT_DECREF")),
        }
    }
}

/// One stencil per body of `for_each_uop!`, named `stencil_<UOP>`, by the body's kind.
macro_rules! define_stencils {
    ($($(#[doc = $doc:literal])* $name:ident: $pops:literal -> $pushes:literal, [$($flag:ident),*], $kind:ident ($f:ident, $s:ident, $a:ident) $body:block)*) => {
        $( define_stencil!($kind, $name); )*
    };
}

macro_rules! define_stencil {
    (Body, $name:ident) => {
        /// The stencil of the body of the same name.
        ///
        /// # Safety
        /// Called by JIT code with the trace's frame and stack.
        #[allow(non_snake_case, reason = "named after its uop")]
        #[unsafe(export_name = concat!("stencil_", stringify!($name)))]
        pub unsafe extern "C" fn $name(frame: *mut FrameHeader, sp: *mut RawValue) -> usize {
            // SAFETY: see the signature's contract.
            unsafe {
                match bodies::$name(frame, sp, &args()) {
                    Some(sp) => _JIT_CONTINUE(frame, sp),
                    None => _JIT_EXIT(frame, sp),
                }
            }
        }
    };
    // With a second exit (`_JIT_ERROR`) for an instruction that raised.
    (ErrorBody, $name:ident) => {
        /// The stencil of the body of the same name.
        ///
        /// # Safety
        /// Called by JIT code with the trace's frame and stack.
        #[allow(non_snake_case, reason = "named after its uop")]
        #[unsafe(export_name = concat!("stencil_", stringify!($name)))]
        pub unsafe extern "C" fn $name(frame: *mut FrameHeader, sp: *mut RawValue) -> usize {
            // SAFETY: see the signature's contract.
            unsafe {
                match bodies::$name(frame, sp, &args()) {
                    Ok(Some(sp)) => _JIT_CONTINUE(frame, sp),
                    Ok(None) => _JIT_EXIT(frame, sp),
                    Err(bodies::Raised(sp)) => _JIT_ERROR(frame, sp),
                }
            }
        }
    };
    // Continues in the frame the body returns.
    (FrameBody, $name:ident) => {
        /// The stencil of the frame-switching body of the same name.
        ///
        /// # Safety
        /// Called by JIT code with the trace's frame and stack.
        #[allow(non_snake_case, reason = "named after its uop")]
        #[unsafe(export_name = concat!("stencil_", stringify!($name)))]
        pub unsafe extern "C" fn $name(frame: *mut FrameHeader, sp: *mut RawValue) -> usize {
            // SAFETY: see the signature's contract.
            unsafe {
                match bodies::$name(frame, sp, &args()) {
                    Some((f, sp)) => _JIT_CONTINUE(f, sp),
                    None => _JIT_EXIT(frame, sp),
                }
            }
        }
    };
    // `EXIT_TRACE` is the `EXIT` stencil below.
    (Exit, $name:ident) => {};
}

/// The generated stencils (a module of their own: their Rust names are the bodies').
mod generated {
    use super::*;
    crate::for_each_uop!(define_stencils);
}

/// Stencils specialized on their operand: each is a body with the operand (or part of
/// it) a compile-time constant, so the body's `match` on it folds away. A comparison
/// guard that dispatched on its comparison code at run time cost ~20 instructions
/// (a compare chain and `setcc`); its variant is one `cmp` and one `jcc`. Named
/// `stencil_<BODY>__<VARIANT>`; `jit::compile::stencil_for` picks one from the
/// operand, and a uop whose operand has no variant runs the generic stencil.
macro_rules! variant_stencils {
    ($($name:ident { $($stencil:ident => $oparg:expr),* $(,)? })*) => {
        $($(
            /// A variant of the body of the same name (see `variant_stencils!`).
            ///
            /// # Safety
            /// Called by JIT code with the trace's frame and stack.
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn $stencil(frame: *mut FrameHeader, sp: *mut RawValue) -> usize {
                let oparg: fn(u64) -> u64 = $oparg;
                let a = Args { oparg: oparg(hole!("_JIT_OPARG") as u64), ..args() };
                // SAFETY: see the signature's contract.
                unsafe {
                    match bodies::$name(frame, sp, &a) {
                        Some(sp) => _JIT_CONTINUE(frame, sp),
                        None => _JIT_EXIT(frame, sp),
                    }
                }
            }
        )*)*
    };
}

/// A comparison guard's operand: comparison code (`uops::cmp`) | wanted result << 8.
macro_rules! compare_variants {
    ($($name:ident { $($lt_f:ident $lt_t:ident $le_f:ident $le_t:ident $eq_f:ident $eq_t:ident
        $ne_f:ident $ne_t:ident $gt_f:ident $gt_t:ident $ge_f:ident $ge_t:ident)* })*) => {
        variant_stencils! {
            $($name {
                $($lt_f => |_| 0, $lt_t => |_| 0x100, $le_f => |_| 1, $le_t => |_| 0x101,
                  $eq_f => |_| 2, $eq_t => |_| 0x102, $ne_f => |_| 3, $ne_t => |_| 0x103,
                  $gt_f => |_| 4, $gt_t => |_| 0x104, $ge_f => |_| 5, $ge_t => |_| 0x105)*
            })*
        }
    };
}

compare_variants! {
    COMPARE_INT_GUARD {
        stencil_COMPARE_INT_GUARD__LT_F stencil_COMPARE_INT_GUARD__LT_T
        stencil_COMPARE_INT_GUARD__LE_F stencil_COMPARE_INT_GUARD__LE_T
        stencil_COMPARE_INT_GUARD__EQ_F stencil_COMPARE_INT_GUARD__EQ_T
        stencil_COMPARE_INT_GUARD__NE_F stencil_COMPARE_INT_GUARD__NE_T
        stencil_COMPARE_INT_GUARD__GT_F stencil_COMPARE_INT_GUARD__GT_T
        stencil_COMPARE_INT_GUARD__GE_F stencil_COMPARE_INT_GUARD__GE_T
    }
    COMPARE_FLOAT_GUARD {
        stencil_COMPARE_FLOAT_GUARD__LT_F stencil_COMPARE_FLOAT_GUARD__LT_T
        stencil_COMPARE_FLOAT_GUARD__LE_F stencil_COMPARE_FLOAT_GUARD__LE_T
        stencil_COMPARE_FLOAT_GUARD__EQ_F stencil_COMPARE_FLOAT_GUARD__EQ_T
        stencil_COMPARE_FLOAT_GUARD__NE_F stencil_COMPARE_FLOAT_GUARD__NE_T
        stencil_COMPARE_FLOAT_GUARD__GT_F stencil_COMPARE_FLOAT_GUARD__GT_T
        stencil_COMPARE_FLOAT_GUARD__GE_F stencil_COMPARE_FLOAT_GUARD__GE_T
    }
    COMPARE_INT_BRANCH {
        stencil_COMPARE_INT_BRANCH__LT_F stencil_COMPARE_INT_BRANCH__LT_T
        stencil_COMPARE_INT_BRANCH__LE_F stencil_COMPARE_INT_BRANCH__LE_T
        stencil_COMPARE_INT_BRANCH__EQ_F stencil_COMPARE_INT_BRANCH__EQ_T
        stencil_COMPARE_INT_BRANCH__NE_F stencil_COMPARE_INT_BRANCH__NE_T
        stencil_COMPARE_INT_BRANCH__GT_F stencil_COMPARE_INT_BRANCH__GT_T
        stencil_COMPARE_INT_BRANCH__GE_F stencil_COMPARE_INT_BRANCH__GE_T
    }
    COMPARE_FLOAT_BRANCH {
        stencil_COMPARE_FLOAT_BRANCH__LT_F stencil_COMPARE_FLOAT_BRANCH__LT_T
        stencil_COMPARE_FLOAT_BRANCH__LE_F stencil_COMPARE_FLOAT_BRANCH__LE_T
        stencil_COMPARE_FLOAT_BRANCH__EQ_F stencil_COMPARE_FLOAT_BRANCH__EQ_T
        stencil_COMPARE_FLOAT_BRANCH__NE_F stencil_COMPARE_FLOAT_BRANCH__NE_T
        stencil_COMPARE_FLOAT_BRANCH__GT_F stencil_COMPARE_FLOAT_BRANCH__GT_T
        stencil_COMPARE_FLOAT_BRANCH__GE_F stencil_COMPARE_FLOAT_BRANCH__GE_T
    }
}

variant_stencils! {
    // The operand: the local's index | its kind << 32; the kind is the constant.
    GUARD_LOCAL_KIND {
        stencil_GUARD_LOCAL_KIND__INT => |o| (o & 0xffff_ffff) | (bodies::KIND_SMALL_INT << 32),
        stencil_GUARD_LOCAL_KIND__FLOAT => |o| (o & 0xffff_ffff) | (bodies::KIND_FLOAT << 32),
        stencil_GUARD_LOCAL_KIND__RAW => |o| (o & 0xffff_ffff) | (bodies::KIND_OTHER_RAW << 32),
    }
}

/// Leave the trace: the operand is the exit's number.
///
/// # Safety
/// Called by JIT code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stencil_EXIT(_frame: *mut FrameHeader, _sp: *mut RawValue) -> usize {
    args().oparg as usize
}
