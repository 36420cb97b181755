//! Bodies of the tier-2 uops that run on a frame and its value stack, written once.
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
//! atomic parts stay in one place (`stitch_sync::brc`). They are used only by traces
//! compiled while one thread runs, so `args.tid` (the compiling thread) is the only
//! thread that can run them.
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

macro_rules! bodies {
    ($($(#[$doc:meta])* $name:ident($frame:ident, $sp:ident, $a:ident) $body:block)*) => {
        $(
            $(#[$doc])*
            ///
            /// # Safety
            /// Run by a trace on its frame and stack, as the translator laid them out.
            #[inline(always)]
            #[allow(non_snake_case, unused_variables, unused_unsafe)]
            pub unsafe fn $name($frame: *mut FrameHeader, $sp: *mut RawValue, $a: &Args) -> Step {
                // SAFETY: see the function's contract.
                unsafe { $body }
            }
        )*
        /// Every body's name, in declaration order.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

macro_rules! int_binop {
    ($sp:ident, $f:path) => {{
        let (a, b) = top2($sp);
        let r = $f(a, b)?;
        *$sp.sub(2) = r;
        Some($sp.sub(1))
    }};
}

macro_rules! float_binop {
    ($sp:ident, $f:path) => {{
        let (a, b) = top2($sp);
        *$sp.sub(2) = $f(a, b);
        Some($sp.sub(1))
    }};
}

bodies! {
    /// Push local `oparg` (a new reference); exit if it is unbound.
    LOAD_FAST(frame, sp, a) {
        let v = *FrameHeader::localsplus(frame).add(a.oparg as usize);
        if v.is_null() {
            return None;
        }
        if v.is_ptr() {
            incref(v, a);
        }
        *sp = v;
        Some(sp.add(1))
    }
    /// Push local `oparg` without a new reference: the optimizer proved it is not a heap
    /// object (an int or float it stored or guarded).
    LOAD_FAST_RAW(frame, sp, a) {
        *sp = *FrameHeader::localsplus(frame).add(a.oparg as usize);
        Some(sp.add(1))
    }
    /// Push local `oparg` borrowed (no new reference); exit if it is unbound. The
    /// optimizer proved the local keeps it alive until the uop that consumes it, which
    /// does not release it (`optimize::borrow`).
    LOAD_FAST_BORROW(frame, sp, a) {
        let v = *FrameHeader::localsplus(frame).add(a.oparg as usize);
        if v.is_null() {
            return None;
        }
        *sp = v;
        Some(sp.add(1))
    }
    /// Continue only if the frame's globals are the dict `oparg` (the one the trace
    /// loaded constants from: the same code can run with other globals).
    GUARD_GLOBALS(frame, sp, a) {
        ((*frame).globals.0 == a.oparg).then_some(sp)
    }
    /// Push the item `oparg` slots down (1: the top) with a new reference.
    COPY(frame, sp, a) {
        let v = *sp.sub(a.oparg as usize);
        if v.is_ptr() {
            incref(v, a);
        }
        *sp = v;
        Some(sp.add(1))
    }
    /// Swap the top with the item `oparg` slots down.
    SWAP(frame, sp, a) {
        let other = sp.sub(a.oparg as usize);
        let top = *sp.sub(1);
        *sp.sub(1) = *other;
        *other = top;
        Some(sp)
    }
    /// Pop into local `oparg`, releasing the value it held (which may run arbitrary code:
    /// the translator follows this with a patchpoint unless the old value is known).
    STORE_FAST(frame, sp, a) {
        let slot = FrameHeader::localsplus(frame).add(a.oparg as usize);
        let old = *slot;
        *slot = *sp.sub(1);
        if old.is_ptr() {
            decref(old, a);
        }
        Some(sp.sub(1))
    }
    /// Pop into local `oparg`, whose old value the optimizer proved is not a heap object.
    STORE_FAST_RAW(frame, sp, a) {
        *FrameHeader::localsplus(frame).add(a.oparg as usize) = *sp.sub(1);
        Some(sp.sub(1))
    }
    /// Pop and release the top of the stack.
    POP_TOP(frame, sp, a) {
        let v = *sp.sub(1);
        if v.is_ptr() {
            decref(v, a);
        }
        Some(sp.sub(1))
    }
    /// Push the raw word `oparg`: a value that is not a heap object, or an immortal one.
    LOAD_RAW(frame, sp, a) {
        *sp = RawValue(a.oparg);
        Some(sp.add(1))
    }
    /// Push the heap constant `oparg` (kept alive by the code object) with a new reference.
    LOAD_CONST_OBJ(frame, sp, a) {
        let v = RawValue(a.oparg);
        incref(v, a);
        *sp = v;
        Some(sp.add(1))
    }
    GUARD_BOTH_INT(frame, sp, a) {
        let (x, y) = top2(sp);
        uops::guard_both_int(x, y).then_some(sp)
    }
    ADD_INT(frame, sp, a) { int_binop!(sp, uops::add_int) }
    SUB_INT(frame, sp, a) { int_binop!(sp, uops::sub_int) }
    MUL_INT(frame, sp, a) { int_binop!(sp, uops::mul_int) }
    FLOORDIV_INT(frame, sp, a) { int_binop!(sp, uops::floordiv_int) }
    MOD_INT(frame, sp, a) { int_binop!(sp, uops::mod_int) }
    /// Small-int bitwise operators and shifts (shifts exit for a negative count or a
    /// result beyond the small range).
    AND_INT(frame, sp, a) { int_binop!(sp, uops::and_int) }
    OR_INT(frame, sp, a) { int_binop!(sp, uops::or_int) }
    XOR_INT(frame, sp, a) { int_binop!(sp, uops::xor_int) }
    LSHIFT_INT(frame, sp, a) { int_binop!(sp, uops::lshift_int) }
    RSHIFT_INT(frame, sp, a) { int_binop!(sp, uops::rshift_int) }
    /// Two floats, or a float and a small int converted exactly (as tier 1's float sites).
    GUARD_FLOAT_OPERANDS(frame, sp, a) {
        let (x, y) = top2(sp);
        let (x, y) = uops::float_operands(x, y)?;
        *sp.sub(2) = x;
        *sp.sub(1) = y;
        Some(sp)
    }
    ADD_FLOAT(frame, sp, a) { float_binop!(sp, uops::add_float) }
    SUB_FLOAT(frame, sp, a) { float_binop!(sp, uops::sub_float) }
    MUL_FLOAT(frame, sp, a) { float_binop!(sp, uops::mul_float) }
    /// Exits on a zero divisor (tier 1 raises ZeroDivisionError).
    TRUEDIV_FLOAT(frame, sp, a) {
        let (x, y) = top2(sp);
        *sp.sub(2) = uops::truediv_float(x, y)?;
        Some(sp.sub(1))
    }
    /// Compare two small ints (op in the low byte of `oparg`) and pop them if the result
    /// is the traced one (bit 8); else exit with both still on the stack.
    COMPARE_INT_GUARD(frame, sp, a) {
        let (x, y) = top2(sp);
        let want = a.oparg & 0x100 != 0;
        (uops::guard_both_int(x, y) && uops::compare_int(x, y, (a.oparg & 0xff) as u32) == want)
            .then(|| sp.sub(2))
    }
    /// `COMPARE_INT_GUARD` on two values the optimizer proved are small ints: the
    /// comparison and the branch only.
    COMPARE_INT_BRANCH(frame, sp, a) {
        let (x, y) = top2(sp);
        let want = a.oparg & 0x100 != 0;
        (uops::compare_int(x, y, (a.oparg & 0xff) as u32) == want).then(|| sp.sub(2))
    }
    /// `COMPARE_FLOAT_GUARD` on two values the optimizer proved are floats.
    COMPARE_FLOAT_BRANCH(frame, sp, a) {
        let (x, y) = top2(sp);
        let want = a.oparg & 0x100 != 0;
        (uops::compare_float(x, y, (a.oparg & 0xff) as u32) == want).then(|| sp.sub(2))
    }
    /// As `COMPARE_INT_GUARD` for two floats.
    COMPARE_FLOAT_GUARD(frame, sp, a) {
        let (x, y) = top2(sp);
        let want = a.oparg & 0x100 != 0;
        (uops::guard_both_float(x, y) && uops::compare_float(x, y, (a.oparg & 0xff) as u32) == want)
            .then(|| sp.sub(2))
    }
    /// Pop a value whose truth is `oparg` (bools, numbers, None inline; heap objects by
    /// the `truth` helper); the other truth, or a truth that would run code, exits.
    GUARD_TRUTH(frame, sp, a) {
        let v = *sp.sub(1);
        if v.is_ptr() {
            // A heap object: the runtime's `truth` helper decides (builtin containers
            // by length; anything whose truth would run code exits) and pops it.
            let r = (a.helper)(frame, sp, a.oparg);
            return (!r.is_null()).then_some(r);
        }
        (raw_truth(v)? == (a.oparg != 0)).then(|| sp.sub(1))
    }
    /// `GUARD_TRUTH` that leaves the value on the stack (`JUMP_IF_TRUE_OR_POP` and
    /// `JUMP_IF_FALSE_OR_POP`, whose jump keeps it); heap objects by the `truth_keep`
    /// helper.
    GUARD_TRUTH_KEEP(frame, sp, a) {
        let v = *sp.sub(1);
        if v.is_ptr() {
            let r = (a.helper)(frame, sp, a.oparg);
            return (!r.is_null()).then_some(r);
        }
        (raw_truth(v)? == (a.oparg != 0)).then_some(sp)
    }
    /// Pop the top if `(top is None) == oparg`, else exit.
    GUARD_IS_NONE(frame, sp, a) {
        let v = *sp.sub(1);
        if (v == RawValue::NONE) != (a.oparg != 0) {
            return None;
        }
        if v.is_ptr() {
            decref(v, a);
        }
        Some(sp.sub(1))
    }
    /// Local `oparg & 0xffff_ffff` holds a word of kind `oparg >> 32` (`KIND_*`): the
    /// loop keeps that local's kind from one iteration to the next, so checking it on
    /// entry lets the optimizer know it everywhere.
    GUARD_LOCAL_KIND(frame, sp, a) {
        let v = *FrameHeader::localsplus(frame).add((a.oparg & 0xffff_ffff) as usize);
        let ok = match a.oparg >> 32 {
            KIND_SMALL_INT => v.is_small_int(),
            KIND_FLOAT => v.is_float(),
            _ => !v.is_ptr() && !v.is_null(),
        };
        ok.then_some(sp)
    }
    /// Call the runtime helper `args.helper` with `oparg`.
    CALL_HELPER(frame, sp, a) {
        let r = (a.helper)(frame, sp, a.oparg);
        (!r.is_null()).then_some(r)
    }
    /// Count one loop iteration in the counter `oparg` points at (a plain add: traces
    /// run on one thread, and a lost count only skews a statistic).
    COUNT(frame, sp, a) {
        let c = &*(a.oparg as *const core::sync::atomic::AtomicU64);
        c.store(c.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        Some(sp)
    }
    /// Continue while the assumption whose flag `oparg` points at holds (see
    /// `stitch_sync::patchpoint`); else exit.
    PATCHPOINT(frame, sp, a) {
        let flag = &*(a.oparg as *const core::sync::atomic::AtomicBool);
        flag.load(Ordering::Acquire).then_some(sp)
    }
}

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

/// Bodies written outside `bodies!` (they have a second exit), with stencils too.
pub const EXTRA_NAMES: &[&str] = &["CALL_HELPER_ERR"];

/// `CALL_HELPER_ERR`: call a helper that can raise. `Ok(step)` as `CALL_HELPER`;
/// `Err(Raised)`: the instruction raised or otherwise took the second exit.
///
/// # Safety
/// Run by a trace on its frame and stack, as the translator laid them out.
#[inline(always)]
#[allow(non_snake_case)]
pub unsafe fn CALL_HELPER_ERR(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
    a: &Args,
) -> Result<Step, Raised> {
    // SAFETY: see the function's contract.
    let r = unsafe { (a.helper)(frame, sp, a.oparg) };
    if r as usize & HELPER_RAISED != 0 {
        let at = r as usize & !HELPER_RAISED;
        Err(Raised(if at == 0 { sp } else { at as *mut RawValue }))
    } else {
        Ok((!r.is_null()).then_some(r))
    }
}

/// A frame-switching body's result: continue in `frame` with `sp`, or exit.
pub type FrameStep = Option<(*mut FrameHeader, *mut RawValue)>;

/// Bodies that change the frame the trace runs on (inlined Python calls).
pub const FRAME_NAMES: &[&str] = &["PUSH_FRAME", "POP_FRAME"];

/// `PUSH_FRAME`: the helper makes the callee's frame (null: exit); continue in it, at
/// its empty stack.
///
/// # Safety
/// Run by a trace on its frame and stack, after `GUARD_CALLEE`.
#[inline(always)]
#[allow(non_snake_case)]
pub unsafe fn PUSH_FRAME(frame: *mut FrameHeader, sp: *mut RawValue, a: &Args) -> FrameStep {
    // SAFETY: see the function's contract; the helper returns a live frame or null.
    unsafe {
        let f = (a.helper)(frame, sp, a.oparg) as *mut FrameHeader;
        if f.is_null() {
            return None;
        }
        Some((f, FrameHeader::localsplus(f).add((*f).stack_top as usize)))
    }
}

/// `POP_FRAME`: the helper returns from the inlined frame; continue in the caller,
/// above the pushed result.
///
/// # Safety
/// Run by a trace at the return of a frame it pushed.
#[inline(always)]
#[allow(non_snake_case)]
pub unsafe fn POP_FRAME(frame: *mut FrameHeader, sp: *mut RawValue, a: &Args) -> FrameStep {
    // SAFETY: see the function's contract; the helper returns the caller's frame.
    unsafe {
        let f = (a.helper)(frame, sp, a.oparg) as *mut FrameHeader;
        Some((f, FrameHeader::localsplus(f).add((*f).stack_top as usize)))
    }
}
