//! The tier-2 uops' bodies as functions, generated from their definitions
//! (`for_each_uop!` in `instructions.rs`), and what the bodies share.
//!
//! Both backends run these exact functions: `templates.rs` wraps each into a
//! copy-and-patch stencil (its `Args` fields become holes patched per instruction),
//! and the uop interpreter (`-X jit=uops`) calls them with `Args` filled from the uop.
//!
//! Contract of every body: `(frame, sp, args) -> Step`. `sp` points one past the top
//! of the value stack. `Some(sp')` continues with the new stack pointer; `None` takes
//! the uop's exit with the stack exactly as it was on entry (a body never exits after
//! a side effect), so tier 1 re-runs the instruction from the start.
//!
//! Reference counts follow biased reference counting (`header.rs`): these bodies do the
//! owner's fast path inline (a plain load and store of the local count) and call the
//! runtime (`args.incref` / `args.decref`) for everything else, so the protocol's
//! atomic parts stay in one place (`stitch_sync::brc`). A trace runs only on the thread
//! that compiled it (other threads compile their own), so `args.tid` is the running
//! thread's id, and the fast path is the owner's as in tier 1, with any number of
//! other threads running.
use core::sync::atomic::Ordering;

use crate::FrameHeader;
use crate::header::{IMMORTAL_LOCAL, ObjHeader};
use crate::uops;
use crate::value::RawValue;

/// A runtime entry point for one reference-count operation that left the fast path,
/// called by `call_rc` with a register-preserving convention (x86-64: the object in
/// `rax`; every other general register is preserved, `xmm` registers and flags are
/// not; see `stitch_runtime::tier2::helpers::incref_entry`). A plain C call would make
/// every stencil with a reference count save and restore the registers holding the
/// frame and stack pointers on its fast path too (`push`/`pop` of three callee-saved
/// registers around each `LOAD_FAST`), as the compiler cannot move that prologue into
/// the slow path.
#[derive(Clone, Copy)]
pub struct RcFn(pub usize);

/// Call a reference-count entry point (see `RcFn`).
///
/// # Safety
/// `f` is an entry point of `RcFn`'s convention and `v` an object it accepts.
#[inline(always)]
pub unsafe fn call_rc(f: RcFn, v: RawValue) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the entry preserves every register the asm does not name; the call
    // needs an aligned stack, which the asm gets by not being `nostack`.
    unsafe {
        core::arch::asm!(
            "call {f}",
            f = in(reg) f.0,
            inout("rax") v.0 => _,
            out("xmm0") _, out("xmm1") _, out("xmm2") _, out("xmm3") _,
            out("xmm4") _, out("xmm5") _, out("xmm6") _, out("xmm7") _,
            out("xmm8") _, out("xmm9") _, out("xmm10") _, out("xmm11") _,
            out("xmm12") _, out("xmm13") _, out("xmm14") _, out("xmm15") _,
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    // SAFETY: elsewhere the entry points are plain C functions.
    unsafe {
        core::mem::transmute::<usize, unsafe extern "C" fn(RawValue)>(f.0)(v)
    }
}
/// A runtime helper uop (`CALL_HELPER`): same contract as a body, `oparg` its operand;
/// returns the new stack pointer, or null to exit with the stack untouched.
pub type HelperFn = unsafe extern "C" fn(*mut FrameHeader, *mut RawValue, u64) -> *mut RawValue;

/// What a uop instance is patched with.
#[derive(Clone, Copy)]
pub struct Args {
    /// The uop's operand (a local's index, a raw constant, a flag address...).
    pub oparg: u64,
    /// The thread that compiled (and alone may run) the trace.
    pub tid: u64,
    /// A helper uop's function.
    pub helper: HelperFn,
    pub incref: RcFn,
    pub decref: RcFn,
}

/// Kinds `GUARD_LOCAL_KIND` checks.
pub const KIND_SMALL_INT: u64 = 1;
pub const KIND_FLOAT: u64 = 2;
/// Any other word that is not a heap object (None, a bool).
pub const KIND_OTHER_RAW: u64 = 3;

/// `Some(new sp)`: continue; `None`: exit, stack untouched.
pub type Step = Option<*mut RawValue>;

/// # Safety
/// `v` is a live heap object; the caller holds a reference.
#[inline(always)]
pub unsafe fn incref(v: RawValue, a: &Args) {
    // SAFETY: the caller's reference keeps the header alive.
    let h = unsafe { &*(v.as_ptr() as *const ObjHeader) };
    let local = h.ob_ref_local.load(Ordering::Relaxed);
    if local == IMMORTAL_LOCAL {
        return;
    }
    if h.ob_tid.load(Ordering::Relaxed) == a.tid {
        h.ob_ref_local.store(local + 1, Ordering::Relaxed);
    } else {
        // SAFETY: the runtime's entry point takes any live object.
        unsafe { call_rc(a.incref, v) }
    }
}

/// # Safety
/// `v` is a live heap object whose reference the caller gives up.
#[inline(always)]
pub unsafe fn decref(v: RawValue, a: &Args) {
    // SAFETY: the caller's reference keeps the header alive.
    let h = unsafe { &*(v.as_ptr() as *const ObjHeader) };
    let local = h.ob_ref_local.load(Ordering::Relaxed);
    if local == IMMORTAL_LOCAL {
        return;
    }
    if local > 1 && h.ob_tid.load(Ordering::Relaxed) == a.tid {
        h.ob_ref_local.store(local - 1, Ordering::Relaxed);
    } else {
        // SAFETY: the runtime settles the last local reference (it may free `v`).
        unsafe { call_rc(a.decref, v) }
    }
}

/// The truth of a value that is not a heap object (None for a word it does not know).
#[inline(always)]
fn raw_truth(v: RawValue) -> Option<bool> {
    if v == RawValue::TRUE {
        Some(true)
    } else if v == RawValue::FALSE || v == RawValue::NONE {
        Some(false)
    } else if v.is_small_int() {
        Some(v.as_small_int() != 0)
    } else if v.is_float() {
        Some(v.as_f64() != 0.0)
    } else {
        None
    }
}

#[inline(always)]
unsafe fn top2(sp: *mut RawValue) -> (RawValue, RawValue) {
    // SAFETY: the translator checked two values are on the stack here.
    unsafe { (*sp.sub(2), *sp.sub(1)) }
}

/// A small-int operator on the top two slots (`uops::add_int`, ...): the result
/// replaces them, or the uop exits (`None`) leaving them.
#[inline(always)]
unsafe fn int_binop(sp: *mut RawValue, f: impl Fn(RawValue, RawValue) -> Option<RawValue>) -> Step {
    // SAFETY: the translator checked two values are on the stack here.
    unsafe {
        let (a, b) = top2(sp);
        *sp.sub(2) = f(a, b)?;
        Some(sp.sub(1))
    }
}

/// A float operator on the top two slots: the result replaces them.
#[inline(always)]
unsafe fn float_binop(sp: *mut RawValue, f: impl Fn(RawValue, RawValue) -> RawValue) -> Step {
    // SAFETY: the translator checked two values are on the stack here.
    unsafe {
        let (a, b) = top2(sp);
        *sp.sub(2) = f(a, b);
        Some(sp.sub(1))
    }
}

/// One function per uop of `for_each_uop!` (`crate::instructions`), by its kind.
macro_rules! define_bodies {
    ($($(#[doc = $doc:literal])* $name:ident: $pops:literal -> $pushes:literal, [$($flag:ident),*], $kind:ident ($f:ident, $s:ident, $a:ident) $body:block)*) => {
        $( define_body!($kind, $name, ($f, $s, $a), $body, [$($doc),*]); )*
    };
}

macro_rules! define_body {
    (Body, $name:ident, ($f:ident, $s:ident, $a:ident), $body:block, [$($doc:literal),*]) => {
        $(#[doc = $doc])*
        ///
        /// # Safety
        /// Run by a trace on its frame and stack, as the translator laid them out.
        #[inline(always)]
        #[allow(non_snake_case, unused_variables, unused_unsafe, reason = "named after its uop; a body may not use every operand or need unsafe")]
        pub unsafe fn $name($f: *mut FrameHeader, $s: *mut RawValue, $a: &Args) -> Step {
            // SAFETY: see the function's contract.
            unsafe { $body }
        }
    };
    (ErrorBody, $name:ident, ($f:ident, $s:ident, $a:ident), $body:block, [$($doc:literal),*]) => {
        $(#[doc = $doc])*
        ///
        /// # Safety
        /// Run by a trace on its frame and stack, as the translator laid them out.
        #[inline(always)]
        #[allow(non_snake_case, unused_variables, unused_unsafe, reason = "named after its uop; a body may not use every operand or need unsafe")]
        pub unsafe fn $name($f: *mut FrameHeader, $s: *mut RawValue, $a: &Args) -> Result<Step, Raised> {
            // SAFETY: see the function's contract.
            unsafe { $body }
        }
    };
    (FrameBody, $name:ident, ($f:ident, $s:ident, $a:ident), $body:block, [$($doc:literal),*]) => {
        $(#[doc = $doc])*
        ///
        /// # Safety
        /// Run by a trace on its frame and stack, as the translator laid them out (the
        /// helper returns a live frame, or null to exit).
        #[inline(always)]
        #[allow(non_snake_case, unused_variables, unused_unsafe, reason = "named after its uop; a body may not use every operand or need unsafe")]
        pub unsafe fn $name($f: *mut FrameHeader, $s: *mut RawValue, $a: &Args) -> FrameStep {
            // SAFETY: see the function's contract.
            unsafe { $body }
        }
    };
    (Exit, $($rest:tt)*) => {};
}

crate::for_each_uop!(define_bodies);

/// What a helper returns instead of a stack pointer to take its uop's second exit:
/// the instruction ran and raised (its inputs are consumed, the exception is pending
/// in the runtime). A helper whose second exit continues with a known stack pointer
/// (a `FOR_ITER` whose loop ended popped its iterator) returns that pointer with this
/// bit set (stack slots are 8-aligned): machine code that jumps from the exit into a
/// side trace hands it over in the stack register.
pub const HELPER_RAISED: usize = 1;

/// The instruction a `CALL_HELPER_ERR` ran took its second exit (see
/// `HELPER_RAISED`), with this stack pointer.
#[derive(Debug)]
pub struct Raised(pub *mut RawValue);

/// A frame-switching body's result: continue in `frame` with `sp`, or exit.
pub type FrameStep = Option<(*mut FrameHeader, *mut RawValue)>;
