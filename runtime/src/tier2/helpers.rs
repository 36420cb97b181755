//! Runtime helpers of tier-2 uops that touch runtime structures (iterators, dicts,
//! instances, lists): a trace calls them through the `CALL_HELPER` uop.
//!
//! Contract (the same as a stencil body's, `stitch_stencils::bodies`): `(frame, sp,
//! oparg) -> new sp`, or null to take the uop's exit with the stack exactly as it was,
//! so tier 1 re-runs the instruction (which then raises, misses or deoptimizes as it
//! would have). Every helper runs the same specialized body tier 1 runs
//! (`specialize::exec`), guarded by the instruction's inline-cache record.
//!
//! `oparg` packs the instruction: bits 0..32 its index, 32..40 the specialized opcode
//! it was translated from, 40..64 its argument (`pack`).
use std::cell::Cell;

use stitch_stencils::frame::FrameHeader;
use stitch_stencils::value::RawValue;

use crate::frame::frame_code;
use crate::instructions::Op;
use crate::specialize::Record;
use crate::specialize::exec as spec;
use crate::specialize::shared;
use crate::specialize::stack::Stack;
use crate::types::list::ListObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::Vm;

/// A helper: see the module's contract.
pub type Helper = unsafe extern "C" fn(*mut FrameHeader, *mut RawValue, u64) -> *mut RawValue;

thread_local! {
    /// The VM of the trace this thread is running (set at trace entry; the interpreter
    /// does not touch it while the trace runs).
    static TRACE_VM: Cell<*mut Vm> = const { Cell::new(std::ptr::null_mut()) };
    /// The exception of an instruction a trace ran that raised.
    static RAISED: std::cell::RefCell<Option<crate::vm::PyErr>> = const { std::cell::RefCell::new(None) };
}

/// Called by the interpreter before it enters a trace.
#[inline(always)]
pub fn set_trace_vm(vm: &mut Vm) {
    TRACE_VM.with(|c| c.set(vm));
}

/// Keep `e` for the interpreter and tell the trace to take its error exit.
fn raised(e: crate::vm::PyErr) -> *mut RawValue {
    RAISED.with(|r| *r.borrow_mut() = Some(e));
    stitch_stencils::bodies::HELPER_RAISED as *mut RawValue
}

/// A `FOR_ITER` in a trace found its iterator (the stack top) exhausted: release it
/// and tell the trace to take the second exit, which resumes tier 1 past the loop.
///
/// # Safety
/// `sp` is the stack top of a trace's frame, an owned iterator below it.
unsafe fn loop_end(sp: *mut RawValue) -> *mut RawValue {
    // SAFETY: see the contract; the slot is dead once the exit is taken.
    let below = unsafe { sp.sub(1) };
    // SAFETY: as above: the iterator's slot holds an owned reference.
    drop(unsafe { Value::from_raw(below.read()) });
    // The second exit, with the stack below the iterator.
    (below as usize | stitch_stencils::bodies::HELPER_RAISED) as *mut RawValue
}

/// The exception behind an error exit.
pub fn take_raised() -> Option<crate::vm::PyErr> {
    RAISED.with(|r| r.borrow_mut().take())
}

/// The instruction a helper runs: `(ip, op, arg)` packed into its operand.
pub fn pack(ip: usize, op: Op, arg: usize) -> u64 {
    debug_assert!(arg <= MAX_ARG);
    ip as u64 | ((op as u64) << 32) | ((arg as u64) << 40)
}

/// Largest instruction operand a helper's packed operand holds (20 bits; the top four
/// bits are `borrowed` flags).
pub const MAX_ARG: usize = (1 << 20) - 1;
const BORROW_SHIFT: u32 = 60;

/// Mark input `k` (0: the stack top) of the helper whose packed operand is `oparg` as
/// borrowed: the trace did not count the reference (the local it was loaded from
/// keeps the object alive), so the helper must not release it.
pub fn borrow(oparg: u64, k: u32) -> u64 {
    debug_assert!(k < 4);
    oparg | (1 << (BORROW_SHIFT + k))
}

/// Run a body shared with tier 1 (`specialize::shared`) on the trace's stack at `sp`
/// (`borrowed`: the inputs the trace did not count, see `borrow`); the new stack
/// pointer, or `None` (the stack untouched) to exit.
///
/// # Safety
/// `sp` is the top of a trace's stack holding the body's inputs.
#[inline(always)]
unsafe fn on_stack(
    sp: *mut RawValue,
    borrowed: u64,
    body: impl FnOnce(&mut Stack) -> Option<()>,
) -> Option<*mut RawValue> {
    // SAFETY: see the contract; `Value` is a transparent wrapper of `RawValue`.
    let mut s = unsafe { Stack::new(sp as *mut Value, borrowed) };
    body(&mut s)?;
    Some(s.top() as *mut RawValue)
}

/// Inverse of `pack`.
#[inline(always)]
pub fn unpack(oparg: u64) -> (usize, Op, usize) {
    let b = (oparg >> 32) as u8;
    debug_assert!(Op::from_u8(b).is_some());
    // SAFETY: `Op` is `repr(u8)` and `b` is the discriminant `pack` stored.
    let op = unsafe { std::mem::transmute::<u8, Op>(b) };
    (
        oparg as u32 as usize,
        op,
        ((oparg >> 40) as usize) & MAX_ARG,
    )
}

/// The slow paths of the stencils' reference counting.
///
/// # Safety
/// `v` is a live object (the caller holds a reference).
pub unsafe extern "C" fn incref(v: RawValue) {
    crate::object::incref(v)
}

/// # Safety
/// `v` is a live object whose reference the caller gives up.
pub unsafe extern "C" fn decref(v: RawValue) {
    crate::object::decref(v)
}

// The register-preserving entries of `incref` / `decref` (`bodies::RcFn`): the object
// arrives in rax; rcx, rdx, rsi, rdi and r8-r11 are saved around a C call (the other
// general registers are callee-saved in the C convention anyway). Entered with the
// stack aligned as for any call; eight pushes and 8 bytes keep it aligned for theirs.
/// One register-preserving entry: `name` calls the C function behind `target` (an asm
/// operand) with the object from rax.
#[cfg(target_arch = "x86_64")]
macro_rules! rc_entry {
    ($name:literal, $target:literal) => {
        concat!(
            ".globl ",
            $name,
            "\n",
            ".hidden ",
            $name,
            "\n",
            ".type ",
            $name,
            ", @function\n",
            ".p2align 4\n",
            $name,
            ":\n",
            "push rcx\npush rdx\npush rsi\npush rdi\n",
            "push r8\npush r9\npush r10\npush r11\n",
            "sub rsp, 8\n",
            "mov rdi, rax\n",
            "call ",
            $target,
            "\n",
            "add rsp, 8\n",
            "pop r11\npop r10\npop r9\npop r8\n",
            "pop rdi\npop rsi\npop rdx\npop rcx\n",
            "ret\n",
        )
    };
}

#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(
    ".pushsection .text.stitch_rc_entries,\"ax\",@progbits",
    rc_entry!("stitch_incref_preserving", "{incref}"),
    rc_entry!("stitch_decref_preserving", "{decref}"),
    ".popsection",
    incref = sym incref,
    decref = sym decref,
);

#[cfg(target_arch = "x86_64")]
unsafe extern "C" {
    // Not C functions: only their addresses are taken (see the global_asm above).
    safe static stitch_incref_preserving: u8;
    safe static stitch_decref_preserving: u8;
}

/// The `RcFn` entry of the stencils' incref slow path.
pub fn incref_entry() -> stitch_stencils::bodies::RcFn {
    #[cfg(target_arch = "x86_64")]
    let f = &raw const stitch_incref_preserving as usize;
    #[cfg(not(target_arch = "x86_64"))]
    let f = incref as usize;
    stitch_stencils::bodies::RcFn(f)
}

/// The `RcFn` entry of the stencils' decref slow path.
pub fn decref_entry() -> stitch_stencils::bodies::RcFn {
    #[cfg(target_arch = "x86_64")]
    let f = &raw const stitch_decref_preserving as usize;
    #[cfg(not(target_arch = "x86_64"))]
    let f = decref as usize;
    stitch_stencils::bodies::RcFn(f)
}

/// Borrow stack slot `sp[-n]`.
///
/// # Safety
/// The slot holds an owned value that outlives the borrow.
#[inline(always)]
unsafe fn slot<'a>(sp: *mut RawValue, n: usize) -> &'a Value {
    // SAFETY: `Value` is a transparent wrapper of `RawValue`.
    unsafe { &*(sp.sub(n) as *const Value) }
}

/// Move `v` into the stack slot at `p` (whose old content was moved out or released).
///
/// # Safety
/// `p` is a stack slot inside the frame's capacity.
#[inline(always)]
unsafe fn put(p: *mut RawValue, v: Value) {
    // SAFETY: see the contract.
    unsafe { p.write(v.into_raw()) }
}

/// The record of the instruction `oparg` names, if it is still the one translated.
///
/// # Safety
/// `frame` is a live frame.
#[inline(always)]
unsafe fn record<'a>(frame: *mut FrameHeader, ip: usize, op: Op) -> Option<&'a Record> {
    // SAFETY: see the contract; records live as long as their code object.
    spec::record(unsafe { frame_code(frame) }, ip, op)
}

#[inline(always)]
unsafe fn name<'a>(frame: *mut FrameHeader, arg: usize) -> &'a Value {
    // SAFETY: the frame's code object outlives the call.
    unsafe { &frame_code(frame).names[arg] }
}

macro_rules! helpers {
    ($($(#[$doc:meta])* $name:ident($frame:ident, $sp:ident, $ip:ident, $op:ident, $arg:ident $(, $borrowed:ident)?) $body:block)*) => {
        $(
            $(#[$doc])*
            ///
            /// # Safety
            /// Called by a trace on its frame and stack (see the module's contract).
            #[allow(unused_variables, reason = "a helper may not use every operand")]
            pub unsafe extern "C" fn $name($frame: *mut FrameHeader, $sp: *mut RawValue, oparg: u64) -> *mut RawValue {
                #[allow(unused_variables, reason = "a helper may not use every operand")]
                let ($ip, $op, $arg) = unpack(oparg);
                $(let $borrowed = oparg >> BORROW_SHIFT;)?
                let f = || -> Option<*mut RawValue> {
                    // SAFETY: see the function's contract.
                    #[allow(unused_unsafe, reason = "not every body needs unsafe")]
                    unsafe { $body }
                };
                f().unwrap_or(std::ptr::null_mut())
            }
        )*
        /// Every helper with its name (for dumps and the uop interpreter).
        pub static ALL: &[(&str, Helper)] = &[$((stringify!($name), $name)),*];
    };
}

helpers! {
    /// `FOR_ITER_RANGE` / `_LIST` / `_TUPLE`: push the next item. Exhaustion pops the
    /// iterator and takes the second exit (past the loop); an iterator of another kind
    /// exits at the instruction.
    for_iter(frame, sp, ip, op, arg) {
        match spec::for_iter(op, slot(sp, 1))? {
            Some(v) => {
                put(sp, v);
                Some(sp.add(1))
            }
            None => Some(loop_end(sp)),
        }
    }
    /// Generic `FOR_ITER` (generators, `enumerate`, `zip`, dict views, any iterator):
    /// push the next item as tier 1 does. Exhaustion pops the iterator and takes the
    /// second exit (the loop's end). An exception from `__next__` cannot be undone, so
    /// it is kept (`take_raised`) and the first exit taken with the iterator still on
    /// the stack: `tier2::run_loop` raises it at this instruction, as tier 1 would.
    for_iter_any(frame, sp, ip, op, arg) {
        use crate::types::iter::IterObj;
        let it = slot(sp, 1);
        let fast = it
            .downcast_exact::<IterObj>()
            .and_then(|io| io.state.with(crate::ops::iter_next_fast));
        let next = match fast {
            Some(v) => Ok(v),
            None => {
                // The iterator's code may inspect the caller's line.
                (*frame).instr = ip as u32 + 1;
                let vm = &mut *TRACE_VM.with(|c| c.get());
                crate::ops::next(vm, &it.clone())
            }
        };
        match next {
            Ok(Some(v)) => {
                put(sp, v);
                Some(sp.add(1))
            }
            Ok(None) => Some(loop_end(sp)),
            Err(e) => {
                // Kept for `run_loop`; the first exit, not the error exit.
                let _ = raised(e);
                None
            }
        }
    }
    /// `FOR_ITER_RANGE` whose items are small ints: push the next one. Exhaustion pops
    /// the iterator and takes the second exit; an item outside the small-int range
    /// exits before the iterator moves. The trace can then treat the item as a small
    /// int without a guard.
    for_iter_range(frame, sp, ip, op, arg) {
        use crate::types::iter::IterState;
        let range_iterator = crate::world::types().range_iterator;
        let io = crate::types::iter::IterObj::of_type(slot(sp, 1), range_iterator)?;
        let v = io.state.with(|s| match s {
            IterState::Range {
                cur, step, left, ..
            } if *left > 0 && RawValue::fits_small(*cur) => {
                let v = *cur;
                *cur = cur.wrapping_add(*step);
                *left -= 1;
                Some(Some(v))
            }
            IterState::Range { left, .. } if *left <= 0 => Some(None),
            IterState::Exhausted => Some(None),
            _ => None,
        })?;
        match v {
            Some(v) => {
                sp.write(RawValue::from_small_int(v));
                Some(sp.add(1))
            }
            None => Some(loop_end(sp)),
        }
    }
    /// `LOAD_DEREF`: push the cell's value; an empty cell exits (tier 1 raises).
    load_deref(frame, sp, ip, op, arg) {
        let lp = FrameHeader::localsplus(frame) as *const Value;
        let v = (*lp.add(arg)).downcast::<crate::types::func::CellObj>()?.get();
        if v.is_null() {
            return None;
        }
        put(sp, v);
        Some(sp.add(1))
    }
    /// `STORE_DEREF`: move the top into the cell (releasing its old value).
    store_deref(frame, sp, ip, op, arg) {
        let lp = FrameHeader::localsplus(frame) as *const Value;
        let v = Value::from_raw(sp.sub(1).read());
        match (*lp.add(arg)).downcast::<crate::types::func::CellObj>() {
            Some(c) => c.set(v),
            None => drop(v),
        }
        Some(sp.sub(1))
    }
    /// `LOAD_GLOBAL_MODULE` / `LOAD_GLOBAL_BUILTIN`.
    load_global(frame, sp, ip, op, arg) {
        let rec = record(frame, ip, op)?;
        let globals = &*(&raw const (*frame).globals as *const Value);
        let v = if op == Op::LOAD_GLOBAL_MODULE {
            spec::load_global_module(rec, globals)?
        } else {
            let vm = TRACE_VM.with(|c| c.get());
            spec::load_global_builtin(rec, globals, (*vm).builtins_dict())?
        };
        put(sp, v);
        Some(sp.add(1))
    }
    /// `LOAD_ATTR_*` (but `_INSTANCE`): replace the object on top with its attribute
    /// (releasing the object may run arbitrary code: the translator puts a patchpoint
    /// after it).
    load_attr(frame, sp, ip, op, arg, borrowed) {
        let rec = record(frame, ip, op)?;
        on_stack(sp, borrowed, |s| shared::load_attr(op, rec, name(frame, arg), s))
    }
    /// `LOAD_ATTR_INSTANCE`: `obj` -> the instance dict's entry at the cached index.
    load_attr_instance(frame, sp, ip, op, arg, borrowed) {
        let rec = record(frame, ip, op)?;
        on_stack(sp, borrowed, |s| shared::load_attr(Op::LOAD_ATTR_INSTANCE, rec, name(frame, arg), s))
    }
    /// `LOAD_METHOD_*`: `obj` -> `method, obj` (or `function, NULL` for a module).
    load_method(frame, sp, ip, op, arg) {
        let rec = record(frame, ip, op)?;
        on_stack(sp, 0, |s| shared::load_method(op, rec, name(frame, arg), s))
    }
    /// `STORE_ATTR_INSTANCE` / `_SLOT`: `value, obj` -> nothing.
    store_attr(frame, sp, ip, op, arg, borrowed) {
        let rec = record(frame, ip, op)?;
        on_stack(sp, borrowed, |s| shared::store_attr(op, rec, name(frame, arg), s))
    }
    /// `BINARY_SUBSCR_LIST_INT` / `_TUPLE_INT`: `seq, index` -> item (out of range exits).
    binary_subscr(frame, sp, ip, op, arg, borrowed) {
        on_stack(sp, borrowed, |s| shared::binary_subscr(op, s))
    }
    /// `BINARY_SUBSCR_DICT`: `dict, key` -> value. A missing key exits (tier 1 raises
    /// the KeyError, as its own miss does); hashing or comparing keys may run code that
    /// raises (the second exit).
    binary_subscr_dict(frame, sp, ip, op, arg) {
        let d = spec::exact_dict(slot(sp, 2))?;
        let vm = &mut *TRACE_VM.with(|c| c.get());
        (*frame).instr = ip as u32 + 1;
        match d.get(vm, slot(sp, 1)) {
            Ok(Some(v)) => {
                drop(Value::from_raw(sp.sub(1).read()));
                let container = sp.sub(2).read();
                put(sp.sub(2), v);
                drop(Value::from_raw(container));
                Some(sp.sub(1))
            }
            Ok(None) => None,
            Err(e) => {
                drop(Value::from_raw(sp.sub(1).read()));
                drop(Value::from_raw(sp.sub(2).read()));
                Some(raised(e))
            }
        }
    }
    /// `STORE_SUBSCR_DICT`: `value, dict, key` -> nothing (hashing or comparing keys
    /// may raise: the second exit, inputs consumed).
    store_subscr_dict(frame, sp, ip, op, arg) {
        spec::exact_dict(slot(sp, 2))?;
        let vm = &mut *TRACE_VM.with(|c| c.get());
        (*frame).instr = ip as u32 + 1;
        let k = Value::from_raw(sp.sub(1).read());
        let c = Value::from_raw(sp.sub(2).read());
        let v = Value::from_raw(sp.sub(3).read());
        let r = match spec::exact_dict(&c) {
            Some(d) => d.set(vm, k, v),
            None => Ok(()),
        };
        drop(c);
        Some(match r {
            Ok(()) => sp.sub(3),
            Err(e) => raised(e),
        })
    }
    /// `STORE_SUBSCR_LIST_INT`: `value, list, index` -> nothing.
    store_subscr_list_int(frame, sp, ip, op, arg, borrowed) {
        on_stack(sp, borrowed, shared::store_subscr_list_int)
    }
    /// `CALL_LEN` with one argument: `len, NULL, x` -> `len(x)`.
    call_len(frame, sp, ip, op, arg, borrowed) {
        let rec = record(frame, ip, op)?;
        on_stack(sp, borrowed, |s| shared::call_len(rec, arg, s))
    }
    /// `CALL_ALLOC_NO_INIT`: `class, NULL` -> a new instance.
    call_alloc_no_init(frame, sp, ip, op, arg) {
        let rec = record(frame, ip, op)?;
        on_stack(sp, 0, |s| shared::call_alloc_no_init(rec, arg, s))
    }
    /// `CALL_LIST_APPEND` with one argument: `append, list, x` -> None.
    call_list_append(frame, sp, ip, op, arg, borrowed) {
        let rec = record(frame, ip, op)?;
        on_stack(sp, borrowed, |s| shared::call_list_append(rec, arg, s))
    }
    /// `UNPACK_SEQUENCE_TUPLE` / `_LIST` of `arg` items.
    unpack_sequence(frame, sp, ip, op, arg) {
        on_stack(sp, 0, |s| shared::unpack_sequence(op, arg, s))
    }
}

/// `CALL` of any callable with `arg` positional arguments (`callable, self_or_null,
/// args...` -> result), run as tier 1 runs a call into native code: a Python callee
/// gets a nested interpreter loop (where its own loops may run traces). Used through
/// `CALL_HELPER_ERR`: a call that raised consumed its inputs and returns
/// `HELPER_RAISED`, the exception kept for the interpreter (`take_raised`).
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract).
pub unsafe extern "C" fn call(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
    oparg: u64,
) -> *mut RawValue {
    let (ip, _, arg) = unpack(oparg);
    // SAFETY: the call's slots hold owned values (the translator's stack model); the
    // trace's VM is this thread's and the interpreter does not use it meanwhile.
    unsafe {
        let base = sp.sub(arg + 2);
        let has_self = !(*base.add(1)).is_null();
        let args_start = if has_self { base.add(1) } else { base.add(2) };
        let n = sp.offset_from(args_start) as usize;
        let args = std::slice::from_raw_parts(args_start as *const Value, n);
        let callable = &*(base as *const Value);
        // Callees may inspect the caller's line (tracebacks, sys._getframe).
        (*frame).instr = ip as u32 + 1;
        let vm = &mut *TRACE_VM.with(|c| c.get());
        // Finalizers queued by the trace's releases run before the call, as tier 1's
        // safe points would have run them (callees print).
        if crate::builtins::generators::has_pending() {
            crate::builtins::generators::run_pending(vm);
        }
        // A native function, or a native method with its self in the self slot (as
        // tier 1's CALL_BUILTIN): called directly, without an argument vector.
        let r = match crate::types::func::BuiltinFuncObj::of(callable) {
            Some(b) if b.self_.is_null() => crate::types::method_receiver::check(vm, b, args)
                .and_then(|()| (b.f)(vm, &crate::vm::Args { args, kwnames: &[] })),
            _ => vm.call(callable, args),
        };
        let mut p = base;
        while p < sp {
            drop(Value::from_raw(p.read()));
            p = p.add(1);
        }
        match r {
            Ok(v) => {
                put(base, v);
                base.add(1)
            }
            Err(e) => raised(e),
        }
    }
}

/// `pops` of `generic_for`'s shape helper that pops the instruction's argument items
/// (`BUILD_TUPLE`, `BUILD_LIST`, `BUILD_SLICE`).
const POPS_ARG: u32 = u32::MAX;

/// The generic helper (`generic`) for an instruction whose `generic(...)` tier-2
/// form pops `pops` and pushes `pushes` items at argument `arg`: one helper per stack
/// shape, so the stack effect is decided when the trace is translated instead of
/// looked up in the instruction table each time the trace runs it (that lookup cost
/// nbody 2.9% more instructions under the JIT). `None` for a shape no helper has.
pub fn generic_for(pops: u32, pushes: u32, arg: u32) -> Option<Helper> {
    Some(match (pops, pushes) {
        (0, 1) => generic_shape::<0, 1>,
        (1, 0) => generic_shape::<1, 0>,
        (1, 1) => generic_shape::<1, 1>,
        (1, 2) => generic_shape::<1, 2>,
        (2, 0) => generic_shape::<2, 0>,
        (2, 1) => generic_shape::<2, 1>,
        (3, 0) => generic_shape::<3, 0>,
        (p, 1) if p == arg => generic_shape::<POPS_ARG, 1>,
        _ => return None,
    })
}

/// `generic` for instructions popping `POPS` items (`POPS_ARG`: the argument's
/// count) and pushing `PUSHES`.
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract).
unsafe extern "C" fn generic_shape<const POPS: u32, const PUSHES: u32>(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
    oparg: u64,
) -> *mut RawValue {
    // SAFETY: the caller's contract.
    unsafe { generic(frame, sp, oparg, POPS, PUSHES) }
}

/// Run one generic instruction (a `generic(...)` tier-2 form: `Op::tier2`) that pops
/// `pops` items (`POPS_ARG`: its argument's count) and pushes `pushes` on the trace's
/// stack, or a specialized one whose form is its family's; an instruction it does not
/// know exits before running (tier 1 runs it); an exception is kept for the
/// interpreter and `HELPER_RAISED` returned, the inputs consumed.
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract).
#[inline(always)]
unsafe fn generic(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
    oparg: u64,
    pops: u32,
    pushes: u32,
) -> *mut RawValue {
    use crate::ops;
    let (ip, op, arg) = unpack(oparg);
    // SAFETY: the instruction's operands are owned values on the stack (the
    // translator's stack model); the trace's VM is this thread's.
    unsafe {
        let take = |n: usize| Value::from_raw(sp.sub(n).read());
        // Stack operations first: they need neither the VM nor the line.
        let lp = FrameHeader::localsplus(frame) as *const Value;
        match op {
            Op::COPY => {
                put(sp, (*(sp.sub(arg) as *const Value)).clone());
                return sp.add(1);
            }
            Op::SWAP => {
                std::ptr::swap(sp.sub(1), sp.sub(arg));
                return sp;
            }
            Op::LOAD_CLOSURE => {
                put(sp, (*lp.add(arg)).clone());
                return sp.add(1);
            }
            Op::UNARY_NEGATIVE => {
                // Numbers that are not heap objects negate in place.
                let v = *sp.sub(1);
                if v.is_small_int() && RawValue::fits_small(-v.as_small_int()) {
                    *sp.sub(1) = RawValue::from_small_int(-v.as_small_int());
                    return sp;
                }
                if v.is_float() {
                    *sp.sub(1) = RawValue::from_f64(-v.as_f64());
                    return sp;
                }
            }
            Op::LIST_APPEND => {
                let v = take(1);
                match (*(sp.sub(1 + arg) as *const Value)).downcast::<ListObj>() {
                    Some(l) => l.push(v),
                    None => drop(v),
                }
                return sp.sub(1);
            }
            _ => {}
        }
        let vm = &mut *TRACE_VM.with(|c| c.get());
        (*frame).instr = ip as u32 + 1;
        let r: crate::vm::PyResult<Value> = match op.family() {
            Op::BINARY_OP => {
                let (a, b) = (take(2), take(1));
                match ops::binary_fast(&a, &b, arg as u32) {
                    Some(r) => Ok(r),
                    None => ops::binary_op(vm, &a, &b, arg as u32),
                }
            }
            Op::COMPARE_OP => {
                let (a, b) = (take(2), take(1));
                match ops::compare_fast(&a, &b, (arg & 0xff) as u32) {
                    Some(r) => Ok(Value::bool(r)),
                    None => ops::compare(vm, &a, &b, (arg & 0xff) as u32),
                }
            }
            Op::BINARY_SUBSCR => ops::getitem(vm, &take(2), &take(1)),
            Op::CONTAINS_OP => {
                let (item, container) = (take(2), take(1));
                ops::contains(vm, &container, &item).map(|r| Value::bool(r != (arg == 1)))
            }
            Op::IS_OP => Ok(Value::bool(take(2).is(&take(1)) != (arg == 1))),
            Op::UNARY_NOT => ops::truthy(vm, &take(1)).map(|t| Value::bool(!t)),
            Op::UNARY_NEGATIVE | Op::UNARY_POSITIVE | Op::UNARY_INVERT => {
                ops::unary_op(vm, &take(1), op.family())
            }
            Op::LOAD_ATTR => ops::getattr(vm, &take(1), name(frame, arg)),
            Op::LOAD_METHOD => match ops::load_method(vm, take(1), name(frame, arg)) {
                Ok((m, slf)) => {
                    put(sp.sub(1), m);
                    put(sp, slf);
                    return sp.add(1);
                }
                Err(e) => Err(e),
            },
            Op::STORE_SUBSCR => {
                let (v, obj, key) = (take(3), take(2), take(1));
                ops::setitem(vm, &obj, key, v).map(|()| Value::NULL)
            }
            Op::STORE_ATTR => {
                let (v, obj) = (take(2), take(1));
                ops::setattr(vm, &obj, name(frame, arg), v).map(|()| Value::NULL)
            }
            Op::BUILD_TUPLE => Ok(TupleObj::from_items((0..arg).rev().map(|n| take(n + 1)))),
            Op::BUILD_LIST => {
                let items: Vec<Value> = (0..arg).rev().map(|n| take(n + 1)).collect();
                Ok(ListObj::new_value(items))
            }
            Op::GET_ITER => ops::get_iter(vm, &take(1)),
            Op::BUILD_SLICE => {
                let step = if arg == 3 { take(1) } else { Value::none() };
                let (start, stop) = (take(arg), take(arg - 1));
                Ok(Value::alloc(crate::types::misc::SliceObj {
                    start,
                    stop,
                    step,
                }))
            }
            _ => return std::ptr::null_mut(),
        };
        if crate::builtins::generators::has_pending() {
            crate::builtins::generators::run_pending(vm);
        }
        let pops = if pops == POPS_ARG { arg } else { pops as usize };
        let base = sp.sub(pops);
        match r {
            Ok(v) => {
                if pushes == 1 {
                    put(base, v);
                }
                base.add(pushes as usize)
            }
            Err(e) => raised(e),
        }
    }
}

/// `GUARD_TRUTH` on a heap object: if its truth needs no call (a builtin value, an
/// instance of a class defining neither `__bool__` nor `__len__`) and is `want`, pop
/// and release it; otherwise exit (tier 1 runs the jump, calling `__bool__`/`__len__`
/// if needed).
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract).
pub unsafe extern "C" fn truth(
    _frame: *mut FrameHeader,
    sp: *mut RawValue,
    want: u64,
) -> *mut RawValue {
    // SAFETY: the top slot holds an owned value.
    unsafe {
        match crate::ops::truth_without_calls(slot(sp, 1)) {
            Some(t) if t == (want != 0) => {
                drop(Value::from_raw(sp.sub(1).read()));
                sp.sub(1)
            }
            _ => std::ptr::null_mut(),
        }
    }
}

/// `GUARD_TRUTH_KEEP` of a heap object: as `truth`, the value left on the stack.
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract).
pub unsafe extern "C" fn truth_keep(
    _frame: *mut FrameHeader,
    sp: *mut RawValue,
    want: u64,
) -> *mut RawValue {
    // SAFETY: the top slot holds an owned value.
    match crate::ops::truth_without_calls(unsafe { slot(sp, 1) }) {
        Some(t) if t == (want != 0) => sp,
        _ => std::ptr::null_mut(),
    }
}

/// `GUARD_CALLEE`: the callable of the call whose `nargs` arguments are on top (in the
/// high 16 bits of `oparg`) is a Python function running the code object at the low 48
/// bits (one the translator followed; the trace keeps it alive, so the address cannot
/// be reused) and takes exactly these arguments positionally, with no defaults.
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract).
pub unsafe extern "C" fn guard_callee(
    _frame: *mut FrameHeader,
    sp: *mut RawValue,
    oparg: u64,
) -> *mut RawValue {
    let n = (oparg >> 48) as usize;
    let code = oparg & ((1 << 48) - 1);
    // SAFETY: the call's callable, self slot and arguments are on the stack.
    unsafe {
        let base = sp.sub(n + 2);
        let Some(func) = (*(base as *const Value)).downcast_exact::<crate::types::func::FuncObj>()
        else {
            return std::ptr::null_mut();
        };
        let total = n + !(*base.add(1)).is_null() as usize;
        if func.code_raw().0 == code
            && func.code().argcount == total
            && func.takes_positionally_without_cells(total)
        {
            sp
        } else {
            std::ptr::null_mut()
        }
    }
}

/// After `guard_callee`: the function being called has the globals dict `oparg`'s low
/// 48 bits (the one the trace loaded the callee's globals from as constants); the
/// argument count is in the high 16 bits.
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract), after
/// `guard_callee` passed.
pub unsafe extern "C" fn guard_callee_globals(
    _frame: *mut FrameHeader,
    sp: *mut RawValue,
    oparg: u64,
) -> *mut RawValue {
    let n = (oparg >> 48) as usize;
    let globals = oparg & ((1 << 48) - 1);
    // SAFETY: `guard_callee` found a function in the callable's slot.
    let func = unsafe {
        (*(sp.sub(n + 2) as *const Value)).payload_unchecked::<crate::types::func::FuncObj>()
    };
    if func.globals.raw().0 == globals {
        sp
    } else {
        std::ptr::null_mut()
    }
}

/// `PUSH_FRAME`: make the frame of an exact Python call (`oparg`: the argument count
/// in bits 0..31, bit 31 set if a self argument is expected, the call's instruction
/// index in the high 32 bits) as tier 1's exact calls do,
/// link it and make it the VM's current frame. Returns the new frame (cast), or null
/// when the frame cannot be made (recursion limit: tier 1 runs the call and raises).
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract), after
/// `GUARD_CALLEE`.
pub unsafe extern "C" fn push_frame(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
    oparg: u64,
) -> *mut RawValue {
    let n = (oparg & 0x7fff_ffff) as usize;
    let ip = (oparg >> 32) as usize;
    // SAFETY: as in tier 1's exact call: the argument slots hold owned values, moved
    // into the new frame on success; the callable and NULL self slot are released.
    unsafe {
        let base = sp.sub(n + 2);
        let has_self = !(*base.add(1)).is_null();
        let args_start = if has_self { base.add(1) } else { base.add(2) };
        let count = sp.offset_from(args_start) as usize;
        let callable = &*(base as *const Value);
        let Some(func) = callable.downcast_exact::<crate::types::func::FuncObj>() else {
            return std::ptr::null_mut();
        };
        let vm = &mut *TRACE_VM.with(|c| c.get());
        match vm.push_frame_exact_moving(callable, func, args_start as *const Value, count) {
            Some(Ok(f)) => {
                // The frame took the callable.
                if !has_self {
                    drop(Value::from_raw(base.add(1).read()));
                }
                enter_pushed(vm, frame, f, ip, base)
            }
            _ => std::ptr::null_mut(),
        }
    }
}

/// Make the frame `f` a trace pushed for the call at `ip` of `frame` the VM's current
/// one: the caller resumes after the call with its stack up to `top`.
///
/// # Safety
/// `f` was just made by `push_frame_exact` for that call; `top` is in `frame`'s stack.
unsafe fn enter_pushed(
    vm: &mut Vm,
    frame: *mut FrameHeader,
    f: *mut FrameHeader,
    ip: usize,
    top: *mut RawValue,
) -> *mut RawValue {
    // SAFETY: see the contract.
    unsafe {
        let lp = FrameHeader::localsplus(frame);
        (*frame).instr = ip as u32 + 1;
        (*frame).stack_top = top.offset_from(lp) as u32;
        (*f).previous = frame;
    }
    vm.depth += 1;
    vm.frame = f;
    f as *mut RawValue
}

/// `POP_FRAME`: return from an inlined frame: pop its result, release the frame, make
/// the caller current again and push the result on its stack (whose `stack_top` the
/// push recorded). Returns the caller's frame (cast).
///
/// # Safety
/// Called by a trace at the `RETURN_VALUE` of a frame it pushed.
pub unsafe extern "C" fn pop_frame(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
    _: u64,
) -> *mut RawValue {
    // SAFETY: see the contract.
    unsafe { leave_pushed(frame, sp, true) }
}

/// Return from a frame a trace pushed: take its result (the top), release the frame,
/// make the caller current again and, with `push_result`, push the result on the
/// caller's stack (whose `stack_top` the push recorded); else release it. Returns the
/// caller's frame (cast).
///
/// # Safety
/// The frame was pushed by `push_frame`/`push_init_frame` and runs no more; its live
/// slots are below `sp - 1`, the result on top.
unsafe fn leave_pushed(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
    push_result: bool,
) -> *mut RawValue {
    // SAFETY: see the contract.
    unsafe {
        let v = sp.sub(1).read();
        let lp = FrameHeader::localsplus(frame);
        (*frame).stack_top = sp.sub(1).offset_from(lp) as u32;
        let prev = (*frame).previous;
        crate::frame::clear_frame(frame);
        let vm = &mut *TRACE_VM.with(|c| c.get());
        vm.stack.pop(frame);
        vm.depth -= 1;
        vm.frame = prev;
        if push_result {
            let plp = FrameHeader::localsplus(prev);
            let top = (*prev).stack_top as usize;
            plp.add(top).write(v);
            (*prev).stack_top = top as u32 + 1;
        } else {
            drop(Value::from_raw(v));
        }
        if crate::builtins::generators::has_pending() {
            crate::builtins::generators::run_pending(vm);
        }
        prev as *mut RawValue
    }
}

/// `CALL_ALLOC_AND_ENTER_INIT` followed into `__init__`: the callable of the call whose
/// `nargs` arguments are on top (`oparg`'s high 32 bits) is a class whose version tag
/// is `oparg`'s low 32 bits, and the self slot is empty. Tags are never reused, so the
/// class is the one the translator saw, unchanged: its `__init__` is the one inlined.
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract).
pub unsafe extern "C" fn guard_init_class(
    _frame: *mut FrameHeader,
    sp: *mut RawValue,
    oparg: u64,
) -> *mut RawValue {
    let n = (oparg >> 32) as usize;
    let version = oparg as u32;
    // SAFETY: the call's class, self slot and arguments are on the stack.
    unsafe {
        let base = sp.sub(n + 2);
        let cls = &*(base as *const Value);
        let ok = (*base.add(1)).is_null()
            && crate::types::class::as_type(cls)
                .is_some_and(|td| crate::types::type_version::current_version(td) == version);
        if ok { sp } else { std::ptr::null_mut() }
    }
}

/// `PUSH_FRAME` of an inlined `CALL_ALLOC_AND_ENTER_INIT`, after `guard_init_class`:
/// as tier 1 does, make the instance, leave it in the class's slot (the caller's stack
/// keeps it: the call's result), and make `__init__`'s frame with the instance as self
/// and the arguments moved in, flagged `is_init` (a return that is not None raises in
/// tier 1). `oparg` as `push_frame`'s. Null (the stack untouched) when the call site
/// no longer records this class's `__init__` or the frame cannot be made.
///
/// # Safety
/// Called by a trace on its frame and stack (see the module's contract).
pub unsafe extern "C" fn push_init_frame(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
    oparg: u64,
) -> *mut RawValue {
    let n = (oparg & 0x7fff_ffff) as usize;
    let ip = (oparg >> 32) as usize;
    // SAFETY: `guard_init_class` checked the class and the empty self slot; the call's
    // items are on the stack. Tier 1 runs the same function (one body, one recursion
    // check); a miss or the recursion limit exits for tier 1 to run the call.
    unsafe {
        let rec = record(frame, ip, Op::CALL_ALLOC_AND_ENTER_INIT);
        let vm = &mut *TRACE_VM.with(|c| c.get());
        let mut s = Stack::new(sp as *mut Value, 0);
        match shared::alloc_and_enter_init(vm, rec, n, &mut s) {
            // The instance stays on the caller's stack.
            shared::InitCall::Entered(f) => {
                enter_pushed(vm, frame, f, ip, s.top() as *mut RawValue)
            }
            shared::InitCall::Miss | shared::InitCall::TooDeep => std::ptr::null_mut(),
        }
    }
}

/// `POP_FRAME` of an inlined `__init__` (`push_init_frame`): its return value, None (the
/// translator followed only returns of None), is dropped; the caller's stack already
/// holds the instance. Returns the caller's frame (cast).
///
/// # Safety
/// Called by a trace at a `RETURN_VALUE` of an `__init__` frame it pushed.
pub unsafe extern "C" fn pop_init_frame(
    frame: *mut FrameHeader,
    sp: *mut RawValue,
    _: u64,
) -> *mut RawValue {
    // SAFETY: see the contract.
    unsafe { leave_pushed(frame, sp, false) }
}

/// The helper a `helper(name, ...)` tier-2 form names (`Op::tier2`).
pub fn by_name(name: &str) -> Option<Helper> {
    if name == "call" {
        return Some(call);
    }
    ALL.iter().find(|(n, _)| *n == name).map(|&(_, f)| f)
}

#[cfg(test)]
mod tests {
    use crate::instructions::{Op, Tier2};

    /// Every helper the instruction table names exists.
    #[test]
    fn every_named_helper_exists() {
        for &op in Op::ALL {
            if let Tier2::Helper(h) = op.tier2() {
                assert!(
                    super::by_name(h.name).is_some(),
                    "{}: no helper {}",
                    op.name(),
                    h.name
                );
            }
        }
    }
}
