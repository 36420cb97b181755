//! The instruction set, defined once: every tier-2 uop (its stack effect, flags and
//! body) and every bytecode instruction (its number, stack effect, family and how a
//! trace runs it). Everything else is generated from these two tables.
//!
//! The tables are `macro_rules!` callback macros (`for_each_uop!(m)` hands the whole
//! uop table to the macro `m`), so each consumer generates what it needs from the one
//! definition, in the crate where it is needed:
//!
//! | consumer | generates |
//! |---|---|
//! | this file | the `Uop` enum: names, stack effects, flags, body kinds, docs |
//! | `bodies.rs` | one `unsafe fn` per uop body (what the uop interpreter and stencils run) |
//! | `templates.rs` | one stencil per body (`jit/build.rs` compiles them) |
//! | `jit/src/uop_interp.rs` | the uop interpreter's dispatch table |
//! | `runtime/src/instructions.rs` | `Op` and its names, families, stack effects, and each instruction's tier-2 translation (`Tier2`) |
//!
//! Why a macro table in this crate rather than a generator run by a build script over a
//! data file: the bodies are Rust and must be compiled twice (into the runtime for the
//! uop interpreter, into stencils by `jit/build.rs`), and this `no_std` crate is the
//! one every consumer (the runtime, the JIT and the stencil build) already compiles;
//! a macro table keeps the bodies type-checked where they are written, needs no
//! second build step, and a missing or misspelt name is a compile error in the
//! consumer instead of stale generated text.
//!
//! Adding a uop: one row in `for_each_uop!` (its body included). Adding a specialized
//! instruction: one row in `for_each_instruction!` naming its family and its tier-2
//! form (uops, or a runtime helper), its tier-1 arm in `runtime/src/interp.rs`, and the
//! decision to specialize in `runtime/src/specialize/decide.rs`.

/// Uop flags (`Uop::flags`).
pub mod flag {
    /// The uop can leave the trace (it has an exit).
    pub const EXITS: u16 = 1;
    /// The uop can run arbitrary code (it releases a reference or calls the runtime): a
    /// patchpoint must follow before the trace relies on its assumptions again.
    pub const ESCAPES: u16 = 2;
    /// No effect beyond its outputs.
    pub const PURE: u16 = 4;
    /// Checks an assumption and exits if it does not hold.
    pub const GUARD: u16 = 8;
    /// Can raise (it has a second, error exit).
    pub const RAISES: u16 = 16;
    /// Decides which way a branch of the traced code went.
    pub const BRANCH: u16 = 32;
    /// Has the owner's fast paths of biased reference counting inline (patched with
    /// the compiling thread's id): correct on that thread only, which is the only one
    /// that runs the trace (`CompiledTrace::owner`), whatever other threads do.
    pub const SINGLE_THREAD: u16 = 64;
    /// Its result is a small int (or it exits).
    pub const INT_RESULT: u16 = 128;
    /// Its result is a float.
    pub const FLOAT_RESULT: u16 = 256;
    /// Switches the frame the trace runs on.
    pub const FRAME: u16 = 512;
}

/// How a uop's body runs (what its function returns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// `Step`: continue with a new stack pointer, or exit.
    Body,
    /// `Result<Step, Raised>`: as `Body`, or take the second (error) exit.
    ErrorBody,
    /// `FrameStep`: continue in another frame, or exit.
    FrameBody,
    /// No body: the unconditional end of a trace (the `EXIT` stencil).
    Exit,
}

/// Every tier-2 uop: `NAME: pops -> pushes, [flags], Kind(frame, sp, args) { body }`.
/// The body follows the contract in `bodies.rs`. The stack effect of `CALL_HELPER`,
/// `CALL_HELPER_ERR`, `PUSH_FRAME` and `POP_FRAME` is their instruction's (the
/// translator records it with the helper).
#[macro_export]
macro_rules! for_each_uop {
    ($m:ident) => { $m! {
    /// Push local `oparg` (a new reference); exit if it is unbound.
    LOAD_FAST: 0 -> 1, [EXITS, SINGLE_THREAD], Body(frame, sp, a) {
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
    LOAD_FAST_RAW: 0 -> 1, [PURE], Body(frame, sp, a) {
        *sp = *FrameHeader::localsplus(frame).add(a.oparg as usize);
        Some(sp.add(1))
    }
    /// Push local `oparg` borrowed (no new reference); exit if it is unbound. The
    /// optimizer proved the local keeps it alive until the uop that consumes it, which
    /// does not release it (`optimize::borrow`).
    LOAD_FAST_BORROW: 0 -> 1, [EXITS], Body(frame, sp, a) {
        let v = *FrameHeader::localsplus(frame).add(a.oparg as usize);
        if v.is_null() {
            return None;
        }
        *sp = v;
        Some(sp.add(1))
    }
    /// Continue only if the frame's globals are the dict `oparg` (the one the trace
    /// loaded constants from: the same code can run with other globals).
    GUARD_GLOBALS: 0 -> 0, [EXITS, GUARD], Body(frame, sp, a) {
        ((*frame).globals.0 == a.oparg).then_some(sp)
    }
    /// Push the item `oparg` slots down (1: the top) with a new reference.
    COPY: 0 -> 1, [SINGLE_THREAD], Body(frame, sp, a) {
        let v = *sp.sub(a.oparg as usize);
        if v.is_ptr() {
            incref(v, a);
        }
        *sp = v;
        Some(sp.add(1))
    }
    /// Swap the top with the item `oparg` slots down.
    SWAP: 0 -> 0, [PURE], Body(frame, sp, a) {
        let other = sp.sub(a.oparg as usize);
        let top = *sp.sub(1);
        *sp.sub(1) = *other;
        *other = top;
        Some(sp)
    }
    /// Pop into local `oparg`, releasing the value it held (which may run arbitrary code:
    /// the translator follows this with a patchpoint unless the old value is known).
    STORE_FAST: 1 -> 0, [ESCAPES, SINGLE_THREAD], Body(frame, sp, a) {
        let slot = FrameHeader::localsplus(frame).add(a.oparg as usize);
        let old = *slot;
        *slot = *sp.sub(1);
        if old.is_ptr() {
            decref(old, a);
        }
        Some(sp.sub(1))
    }
    /// Pop into local `oparg`, whose old value the optimizer proved is not a heap object.
    STORE_FAST_RAW: 1 -> 0, [], Body(frame, sp, a) {
        *FrameHeader::localsplus(frame).add(a.oparg as usize) = *sp.sub(1);
        Some(sp.sub(1))
    }
    /// Pop and release the top of the stack.
    POP_TOP: 1 -> 0, [ESCAPES, SINGLE_THREAD], Body(frame, sp, a) {
        let v = *sp.sub(1);
        if v.is_ptr() {
            decref(v, a);
        }
        Some(sp.sub(1))
    }
    /// Push the raw word `oparg`: a value that is not a heap object, or an immortal one.
    LOAD_RAW: 0 -> 1, [PURE], Body(frame, sp, a) {
        *sp = RawValue(a.oparg);
        Some(sp.add(1))
    }
    /// Push the heap constant `oparg` (kept alive by the code object) with a new reference.
    LOAD_CONST_OBJ: 0 -> 1, [SINGLE_THREAD], Body(frame, sp, a) {
        let v = RawValue(a.oparg);
        incref(v, a);
        *sp = v;
        Some(sp.add(1))
    }
    /// Both top items are small ints (exact big ints pass to the generic operator).
    GUARD_BOTH_INT: 2 -> 2, [EXITS, GUARD], Body(frame, sp, a) {
        let (x, y) = top2(sp);
        uops::guard_both_int(x, y).then_some(sp)
    }
    /// Small-int `+`; a result beyond the small range exits.
    ADD_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::add_int) }
    /// Small-int `-`; a result beyond the small range exits.
    SUB_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::sub_int) }
    /// Small-int `*`; a result beyond the small range exits.
    MUL_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::mul_int) }
    /// Small-int `//`; a zero divisor exits.
    FLOORDIV_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::floordiv_int) }
    /// Small-int `%`; a zero divisor exits.
    MOD_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::mod_int) }
    /// Small-int `&`.
    AND_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::and_int) }
    /// Small-int `|`.
    OR_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::or_int) }
    /// Small-int `^`.
    XOR_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::xor_int) }
    /// Small-int `<<`; a negative count or a result beyond the small range exits.
    LSHIFT_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::lshift_int) }
    /// Small-int `>>`; a negative count exits.
    RSHIFT_INT: 2 -> 1, [EXITS, PURE, INT_RESULT], Body(frame, sp, a) { int_binop(sp, uops::rshift_int) }
    /// Two floats, or a float and a small int converted exactly (as tier 1's float sites).
    GUARD_FLOAT_OPERANDS: 2 -> 2, [EXITS, GUARD], Body(frame, sp, a) {
        let (x, y) = top2(sp);
        let (x, y) = uops::float_operands(x, y)?;
        *sp.sub(2) = x;
        *sp.sub(1) = y;
        Some(sp)
    }
    /// Float `+`.
    ADD_FLOAT: 2 -> 1, [PURE, FLOAT_RESULT], Body(frame, sp, a) { float_binop(sp, uops::add_float) }
    /// Float `-`.
    SUB_FLOAT: 2 -> 1, [PURE, FLOAT_RESULT], Body(frame, sp, a) { float_binop(sp, uops::sub_float) }
    /// Float `*`.
    MUL_FLOAT: 2 -> 1, [PURE, FLOAT_RESULT], Body(frame, sp, a) { float_binop(sp, uops::mul_float) }
    /// Float `/`; exits on a zero divisor (tier 1 raises ZeroDivisionError).
    TRUEDIV_FLOAT: 2 -> 1, [EXITS, PURE, FLOAT_RESULT], Body(frame, sp, a) {
        let (x, y) = top2(sp);
        *sp.sub(2) = uops::truediv_float(x, y)?;
        Some(sp.sub(1))
    }
    /// Compare two small ints (op in the low byte of `oparg`) and pop them if the result
    /// is the traced one (bit 8); else exit with both still on the stack.
    COMPARE_INT_GUARD: 2 -> 0, [EXITS, GUARD, BRANCH], Body(frame, sp, a) {
        let (x, y) = top2(sp);
        let want = a.oparg & 0x100 != 0;
        (uops::guard_both_int(x, y) && uops::compare_int(x, y, (a.oparg & 0xff) as u32) == want)
            .then(|| sp.sub(2))
    }
    /// As `COMPARE_INT_GUARD` for two floats.
    COMPARE_FLOAT_GUARD: 2 -> 0, [EXITS, GUARD, BRANCH], Body(frame, sp, a) {
        let (x, y) = top2(sp);
        let want = a.oparg & 0x100 != 0;
        (uops::guard_both_float(x, y) && uops::compare_float(x, y, (a.oparg & 0xff) as u32) == want)
            .then(|| sp.sub(2))
    }
    /// `COMPARE_INT_GUARD` on two values the optimizer proved are small ints: the
    /// comparison and the branch only.
    COMPARE_INT_BRANCH: 2 -> 0, [EXITS, BRANCH], Body(frame, sp, a) {
        let (x, y) = top2(sp);
        let want = a.oparg & 0x100 != 0;
        (uops::compare_int(x, y, (a.oparg & 0xff) as u32) == want).then(|| sp.sub(2))
    }
    /// `COMPARE_FLOAT_GUARD` on two values the optimizer proved are floats.
    COMPARE_FLOAT_BRANCH: 2 -> 0, [EXITS, BRANCH], Body(frame, sp, a) {
        let (x, y) = top2(sp);
        let want = a.oparg & 0x100 != 0;
        (uops::compare_float(x, y, (a.oparg & 0xff) as u32) == want).then(|| sp.sub(2))
    }
    /// Pop a value whose truth is `oparg` (bools, numbers, None inline; heap objects by
    /// the `truth` helper); the other truth, or a truth that would run code, exits.
    GUARD_TRUTH: 1 -> 0, [EXITS, ESCAPES, GUARD, BRANCH, SINGLE_THREAD], Body(frame, sp, a) {
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
    GUARD_TRUTH_KEEP: 1 -> 1, [EXITS, GUARD, BRANCH], Body(frame, sp, a) {
        let v = *sp.sub(1);
        if v.is_ptr() {
            let r = (a.helper)(frame, sp, a.oparg);
            return (!r.is_null()).then_some(r);
        }
        (raw_truth(v)? == (a.oparg != 0)).then_some(sp)
    }
    /// Pop the top if `(top is None) == oparg`, else exit.
    GUARD_IS_NONE: 1 -> 0, [EXITS, ESCAPES, GUARD, BRANCH, SINGLE_THREAD], Body(frame, sp, a) {
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
    GUARD_LOCAL_KIND: 0 -> 0, [EXITS, GUARD], Body(frame, sp, a) {
        let v = *FrameHeader::localsplus(frame).add((a.oparg & 0xffff_ffff) as usize);
        let ok = match a.oparg >> 32 {
            KIND_SMALL_INT => v.is_small_int(),
            KIND_FLOAT => v.is_float(),
            _ => !v.is_ptr() && !v.is_null(),
        };
        ok.then_some(sp)
    }
    /// Call the runtime helper `args.helper` with `oparg` (an instruction run by the
    /// runtime: `stitch_runtime::tier2::helpers`).
    CALL_HELPER: 0 -> 0, [EXITS], Body(frame, sp, a) {
        let r = (a.helper)(frame, sp, a.oparg);
        (!r.is_null()).then_some(r)
    }
    /// `CALL_HELPER` for an instruction that can raise: `Err(Raised)` takes the second
    /// exit (the instruction raised, or a `FOR_ITER` found its iterator exhausted).
    CALL_HELPER_ERR: 0 -> 0, [EXITS, RAISES], ErrorBody(frame, sp, a) {
        let r = (a.helper)(frame, sp, a.oparg);
        if r as usize & HELPER_RAISED != 0 {
            let at = r as usize & !HELPER_RAISED;
            Err(Raised(if at == 0 { sp } else { at as *mut RawValue }))
        } else {
            Ok((!r.is_null()).then_some(r))
        }
    }
    /// An inlined call: the helper makes the callee's frame (null: exit); continue in
    /// it, at its empty stack.
    PUSH_FRAME: 0 -> 0, [EXITS, FRAME], FrameBody(frame, sp, a) {
        let f = (a.helper)(frame, sp, a.oparg) as *mut FrameHeader;
        if f.is_null() {
            return None;
        }
        Some((f, FrameHeader::localsplus(f).add((*f).stack_top as usize)))
    }
    /// The inlined frame returns: the helper pops it; continue in the caller, above the
    /// pushed result.
    POP_FRAME: 0 -> 0, [ESCAPES, FRAME], FrameBody(frame, sp, a) {
        let f = (a.helper)(frame, sp, a.oparg) as *mut FrameHeader;
        Some((f, FrameHeader::localsplus(f).add((*f).stack_top as usize)))
    }
    /// Continue while the assumption whose flag `oparg` points at holds (see
    /// `stitch_sync::patchpoint`); else exit.
    PATCHPOINT: 0 -> 0, [EXITS, GUARD], Body(frame, sp, a) {
        let flag = &*(a.oparg as *const core::sync::atomic::AtomicBool);
        flag.load(Ordering::Acquire).then_some(sp)
    }
    /// Leave the loop when the running thread's eval-breaker word, at `oparg`, asks for
    /// work (a signal handler to run, a stop-the-world to park for, queued reference
    /// counts to merge): tier 1 does it at the loop's back edge, as it would have. One
    /// relaxed load per iteration; the trace only runs on the thread whose word it is.
    CHECK_BREAKER: 0 -> 0, [EXITS], Body(frame, sp, a) {
        let word = &*(a.oparg as *const core::sync::atomic::AtomicU32);
        (word.load(Ordering::Relaxed) == 0).then_some(sp)
    }
    /// Count one loop iteration in the counter `oparg` points at (a plain add: traces
    /// run on one thread, and a lost count only skews a statistic).
    COUNT: 0 -> 0, [], Body(frame, sp, a) {
        let c = &*(a.oparg as *const core::sync::atomic::AtomicU64);
        c.store(c.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        Some(sp)
    }
    /// The end of a trace that does not loop: leave through its exit.
    EXIT_TRACE: 0 -> 0, [EXITS], Exit(frame, sp, a) { None }
    } };
}

/// Every bytecode instruction. Generic ones: `NAME = number, stack(effect),
/// tier-2 form, "doc"`; specialized ones (PEP 659): `NAME = number, FAMILY, tier-2 form,
/// "doc"` (their stack effect is their family's). The stack effect is one number, a
/// pair (fall-through, jump taken), or a function of the argument `|a| ...`.
///
/// The tier-2 form says how the translator (`jit/src/translate.rs`) puts the
/// instruction in a trace:
/// - `uops[UOP(operand) "exit reason", ...]`: these uops, operand `None` (0), `Local`
///   or `Slot` (the argument), `Null` (0, shown as NULL); a patchpoint follows if one
///   escapes;
/// - `helper(name, |a| (pops, pushes), [flags], "exit reason")`: `CALL_HELPER` of the
///   runtime helper `stitch_runtime::tier2::helpers::name` (`RAISES`: with an error
///   exit; `ESCAPES`: a patchpoint follows);
/// - `generic(|a| (pops, pushes), [flags])`: the runtime's generic implementation
///   (`helpers::generic`);
/// - `family()`: as its family (a specialization tier 2 does not use);
/// - `by_hand()`: the translator has its own case (branches, calls it inlines,
///   constants); where that case does not apply, the trace ends there;
/// - `none()`: not translated (the trace ends there).
#[macro_export]
macro_rules! for_each_instruction {
    ($m:ident) => { $m! {
    generic {
        NOP = 0, stack(0), uops[], "Do nothing.";
        POP_TOP = 1, stack(-1), uops[POP_TOP(None) ""], "Discard the top of stack.";
        PUSH_NULL = 2, stack(1), uops[LOAD_RAW(Null) ""], "Push NULL (the 'no self' marker of a call).";
        LOAD_CONST = 3, stack(1), by_hand(), "Push consts[arg].";
        COPY = 4, stack(1), uops[COPY(Slot) ""], "Push a copy of the arg-th item (1 = top).";
        SWAP = 5, stack(0), uops[SWAP(Slot) ""], "Swap the top with the arg-th item.";
        LOAD_FAST = 6, stack(1), uops[LOAD_FAST(Local) "local is unbound"], "Push local arg (UnboundLocalError if unset).";
        STORE_FAST = 7, stack(-1), uops[STORE_FAST(Local) ""], "Pop into local arg.";
        DELETE_FAST = 8, stack(0), none(), "Unbind local arg.";
        LOAD_DEREF = 9, stack(1), helper(load_deref, |_| (0, 1), [], "free variable is unbound"), "Push the contents of cell/free slot arg.";
        STORE_DEREF = 10, stack(-1), helper(store_deref, |_| (1, 0), [ESCAPES], "helper guard failed"), "Pop into cell/free slot arg.";
        DELETE_DEREF = 11, stack(0), none(), "Empty cell/free slot arg.";
        LOAD_CLOSURE = 12, stack(1), generic(|_| (0, 1), []), "Push the cell object in slot arg.";
        LOAD_NAME = 13, stack(1), none(), "Push names[arg] from locals, globals, then builtins.";
        STORE_NAME = 14, stack(-1), none(), "Pop into names[arg] in the local namespace.";
        DELETE_NAME = 15, stack(0), none(), "Delete names[arg] from the local namespace.";
        LOAD_GLOBAL = 16, stack(1), none(), "Push names[arg] from globals, then builtins.";
        STORE_GLOBAL = 17, stack(-1), none(), "Pop into global names[arg].";
        DELETE_GLOBAL = 18, stack(0), none(), "Delete global names[arg].";
        LOAD_ATTR = 19, stack(0), generic(|_| (1, 1), [RAISES, ESCAPES]), "Replace the top with its attribute names[arg].";
        STORE_ATTR = 20, stack(-2), generic(|_| (2, 0), [RAISES, ESCAPES]), "TOS.names[arg] = TOS1.";
        DELETE_ATTR = 21, stack(-1), none(), "del TOS.names[arg].";
        LOAD_METHOD = 22, stack(1), generic(|_| (1, 2), [RAISES, ESCAPES]), "Replace obj with (method, obj) or (attr, NULL).";
        BINARY_SUBSCR = 23, stack(-1), generic(|_| (2, 1), [RAISES, ESCAPES]), "TOS1[TOS].";
        STORE_SUBSCR = 24, stack(-3), generic(|_| (3, 0), [RAISES, ESCAPES]), "TOS1[TOS] = TOS2.";
        DELETE_SUBSCR = 25, stack(-2), none(), "del TOS1[TOS].";
        BUILD_SLICE = 26, stack(|a| 1 - a), generic(|a| (a, 1), [ESCAPES]), "Build a slice from 2 or 3 items.";
        BINARY_OP = 27, stack(-1), generic(|_| (2, 1), [RAISES, ESCAPES]), "Binary operator arg (see BinOp) on TOS1, TOS.";
        UNARY_NEGATIVE = 28, stack(0), generic(|_| (1, 1), [RAISES, ESCAPES]), "-TOS.";
        UNARY_POSITIVE = 29, stack(0), generic(|_| (1, 1), [RAISES, ESCAPES]), "+TOS.";
        UNARY_INVERT = 30, stack(0), generic(|_| (1, 1), [RAISES, ESCAPES]), "~TOS.";
        UNARY_NOT = 31, stack(0), generic(|_| (1, 1), [RAISES, ESCAPES]), "not TOS.";
        COMPARE_OP = 32, stack(-1), generic(|_| (2, 1), [RAISES, ESCAPES]), "Rich comparison arg (< <= == != > >=).";
        IS_OP = 33, stack(-1), generic(|_| (2, 1), [ESCAPES]), "TOS1 is TOS (arg 1: is not).";
        CONTAINS_OP = 34, stack(-1), generic(|_| (2, 1), [RAISES, ESCAPES]), "TOS1 in TOS (arg 1: not in).";
        JUMP = 35, stack(0), by_hand(), "Jump forward to instruction arg.";
        JUMP_BACKWARD = 36, stack(0), by_hand(), "Jump back to instruction arg (a loop back edge).";
        POP_JUMP_IF_FALSE = 37, stack(-1), by_hand(), "Pop; jump to arg if false.";
        POP_JUMP_IF_TRUE = 38, stack(-1), by_hand(), "Pop; jump to arg if true.";
        JUMP_IF_FALSE_OR_POP = 39, stack(-1, 0), by_hand(), "Jump to arg keeping TOS if false, else pop.";
        JUMP_IF_TRUE_OR_POP = 40, stack(-1, 0), by_hand(), "Jump to arg keeping TOS if true, else pop.";
        POP_JUMP_IF_NONE = 41, stack(-1), by_hand(), "Pop; jump to arg if None.";
        POP_JUMP_IF_NOT_NONE = 42, stack(-1), by_hand(), "Pop; jump to arg if not None.";
        GET_ITER = 43, stack(0), generic(|_| (1, 1), [RAISES, ESCAPES]), "iter(TOS).";
        FOR_ITER = 44, stack(1, -1), helper(for_iter_any, |_| (0, 1), [ESCAPES], "loop iterator not the traced kind (or range item not a small int)"), "Push next(TOS), or pop the iterator and jump to arg.";
        BUILD_TUPLE = 45, stack(|a| 1 - a), generic(|a| (a, 1), []), "Tuple of the top arg items.";
        BUILD_LIST = 46, stack(|a| 1 - a), generic(|a| (a, 1), []), "List of the top arg items.";
        BUILD_SET = 47, stack(|a| 1 - a), none(), "Set of the top arg items.";
        BUILD_MAP = 48, stack(|a| 1 - 2 * a), none(), "Dict of the top 2*arg items.";
        LIST_APPEND = 49, stack(-1), generic(|_| (1, 0), []), "Append TOS to the list arg items down.";
        SET_ADD = 50, stack(-1), none(), "Add TOS to the set arg items down.";
        MAP_ADD = 51, stack(-2), none(), "dict[TOS1] = TOS in the dict arg items down.";
        LIST_EXTEND = 52, stack(-1), none(), "Extend the list arg items down with TOS.";
        SET_UPDATE = 53, stack(-1), none(), "Update the set arg items down with TOS.";
        DICT_UPDATE = 54, stack(-1), none(), "Update the dict arg items down with TOS.";
        DICT_MERGE = 55, stack(-1), none(), "Like DICT_UPDATE, rejecting duplicate keyword arguments.";
        LIST_TO_TUPLE = 56, stack(0), none(), "tuple(TOS) for a list.";
        BUILD_STRING = 57, stack(|a| 1 - a), none(), "Concatenate the top arg strings.";
        FORMAT_VALUE = 58, stack(|a| if a & 4 != 0 { -1 } else { 0 }), none(), "Format TOS (arg: conversion | 4 if a spec is on top).";
        UNPACK_SEQUENCE = 59, stack(|a| a - 1), none(), "Unpack TOS into arg items (first item on top).";
        UNPACK_EX = 60, stack(|a| (a & 0xff) + (a >> 8)), none(), "Starred unpack: arg & 0xff before, arg >> 8 after.";
        MAKE_FUNCTION = 61, stack(|a| -((a & 1 != 0) as i32 + (a & 2 != 0) as i32 + (a & 4 != 0) as i32 + (a & 8 != 0) as i32)), none(), "Function from code on top (flags: 1 defaults, 2 kwdefaults, 4 annotations, 8 closure).";
        CALL = 62, stack(|a| -1 - a), helper(call, |a| (a + 2, 1), [ESCAPES, RAISES], "helper guard failed"), "Call with arg positional arguments.";
        CALL_KW = 63, stack(|a| -2 - a), none(), "Call with arg arguments; a tuple of keyword names on top.";
        CALL_FUNCTION_EX = 64, stack(|a| -2 - (a & 1)), none(), "Call with an args tuple (and a kwargs dict if arg & 1).";
        RETURN_VALUE = 65, stack(-1), by_hand(), "Return TOS to the caller.";
        LOAD_BUILD_CLASS = 66, stack(1), none(), "Push builtins.__build_class__.";
        RAISE_VARARGS = 67, stack(|a| -a), none(), "raise (0), raise TOS (1), raise TOS1 from TOS (2).";
        RERAISE = 68, stack(-1), none(), "Re-raise TOS.";
        PUSH_EXC_INFO = 69, stack(1), none(), "Push the handled exception under TOS; TOS becomes handled.";
        POP_EXCEPT = 70, stack(-1), none(), "Pop the saved exception and make it the handled one again.";
        CHECK_EXC_MATCH = 71, stack(0), none(), "Push whether TOS1 matches the exception type(s) TOS.";
        BEFORE_WITH = 72, stack(1), none(), "Replace a context manager with (bound __exit__, __enter__()).";
        WITH_EXCEPT_START = 73, stack(1), none(), "Call __exit__ (4 items down) with the exception on top.";
        LOAD_ASSERTION_ERROR = 74, stack(1), none(), "Push AssertionError.";
        YIELD_VALUE = 75, stack(0), none(), "Yield TOS; the sent value is pushed on resume.";
        GET_YIELD_FROM_ITER = 76, stack(0), none(), "iter(TOS) unless it is a generator or coroutine.";
        SEND = 77, stack(0, -1), none(), "Send TOS into TOS1; on return, replace both with the value and jump.";
        IMPORT_NAME = 78, stack(-1), none(), "Import module names[arg] (TOS: fromlist, TOS1: level).";
        IMPORT_FROM = 79, stack(1), none(), "Push attribute names[arg] of the module on top.";
        IMPORT_STAR = 80, stack(-1), none(), "from module import *.";
        GET_AWAITABLE = 81, stack(0), none(), "Get the iterator of an awaitable.";
        DELETE_LOCAL_EXC = 82, stack(0), none(), "Reserved.";
        RETURN_GENERATOR = 83, stack(0), none(), "Reserved: generator creation happens at call time.";
        SETUP_ANNOTATIONS = 84, stack(0), none(), "Create __annotations__ in the local namespace.";
        BEFORE_ASYNC_WITH = 85, stack(1), none(), "Replace an async context manager with (bound __aexit__, __aenter__()).";
        GET_AITER = 86, stack(0), none(), "Replace TOS with TOS.__aiter__().";
        GET_ANEXT = 87, stack(1), none(), "Push TOS.__anext__() (TOS stays: the async iterator).";
        END_ASYNC_FOR = 88, stack(-2), none(), "Handler of async for: StopAsyncIteration on TOS ends the loop (pops it and the iterator); anything else is re-raised.";
        END_OF_CODE = 89, stack(0), none(), "Never compiled: the unit after a code object's last instruction, which raises SystemError (so tier 1 reads its next unit without a bounds check).";
    }
    specialized {
        BINARY_OP_ADD_INT = 128, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", ADD_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int +.";
        BINARY_OP_SUB_INT = 129, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", SUB_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int -.";
        BINARY_OP_MUL_INT = 130, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", MUL_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int *.";
        BINARY_OP_FLOORDIV_INT = 131, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", FLOORDIV_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int //.";
        BINARY_OP_MOD_INT = 132, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", MOD_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int %.";
        BINARY_OP_ADD_FLOAT = 133, BINARY_OP, uops[GUARD_FLOAT_OPERANDS(None) "operands are not floats", ADD_FLOAT(None) ""], "Specialized BINARY_OP: float + (one operand may be a small int).";
        BINARY_OP_SUB_FLOAT = 134, BINARY_OP, uops[GUARD_FLOAT_OPERANDS(None) "operands are not floats", SUB_FLOAT(None) ""], "Specialized BINARY_OP: float - (one operand may be a small int).";
        BINARY_OP_MUL_FLOAT = 135, BINARY_OP, uops[GUARD_FLOAT_OPERANDS(None) "operands are not floats", MUL_FLOAT(None) ""], "Specialized BINARY_OP: float * (one operand may be a small int).";
        BINARY_OP_TRUEDIV_FLOAT = 136, BINARY_OP, uops[GUARD_FLOAT_OPERANDS(None) "operands are not floats", TRUEDIV_FLOAT(None) "float division by zero"], "Specialized BINARY_OP: float / (one operand may be a small int).";
        BINARY_OP_ADD_STR = 137, BINARY_OP, family(), "Specialized BINARY_OP: str +.";
        COMPARE_OP_INT = 138, COMPARE_OP, family(), "Specialized COMPARE_OP: small ints.";
        COMPARE_OP_FLOAT = 139, COMPARE_OP, family(), "Specialized COMPARE_OP: floats.";
        COMPARE_OP_STR = 140, COMPARE_OP, family(), "Specialized COMPARE_OP: str objects.";
        COMPARE_OP_INT_JUMP = 141, COMPARE_OP, by_hand(), "COMPARE_OP on small ints fused with the POP_JUMP_IF_* after it (tier 2: COMPARE_INT_GUARD).";
        COMPARE_OP_FLOAT_JUMP = 142, COMPARE_OP, by_hand(), "COMPARE_OP on floats fused with the POP_JUMP_IF_* after it (tier 2: COMPARE_FLOAT_GUARD).";
        COMPARE_OP_STR_JUMP = 143, COMPARE_OP, family(), "COMPARE_OP on str fused with the POP_JUMP_IF_* after it.";
        LOAD_ATTR_INSTANCE = 144, LOAD_ATTR, helper(load_attr_instance, |_| (1, 1), [ESCAPES], "attribute guard failed"), "Specialized LOAD_ATTR: instance dict entry at a known index.";
        LOAD_ATTR_SLOT = 145, LOAD_ATTR, helper(load_attr, |_| (1, 1), [ESCAPES], "attribute guard failed"), "Specialized LOAD_ATTR: a __slots__ value.";
        LOAD_ATTR_MODULE = 146, LOAD_ATTR, helper(load_attr, |_| (1, 1), [ESCAPES], "attribute guard failed"), "Specialized LOAD_ATTR: module attribute.";
        LOAD_ATTR_CLASS = 147, LOAD_ATTR, helper(load_attr, |_| (1, 1), [ESCAPES], "attribute guard failed"), "Specialized LOAD_ATTR: attribute of a class.";
        LOAD_ATTR_PROPERTY = 183, LOAD_ATTR, family(), "Specialized LOAD_ATTR: a `property` whose getter is a Python function of one argument: tier 1 enters the getter's frame with the instance as its argument, and its return value takes the instance's place on the stack.";
        LOAD_ATTR_NONDESCRIPTOR = 148, LOAD_ATTR, helper(load_attr, |_| (1, 1), [ESCAPES], "attribute guard failed"), "Specialized LOAD_ATTR: plain class attribute read through an instance.";
        STORE_ATTR_INSTANCE = 149, STORE_ATTR, helper(store_attr, |_| (2, 0), [ESCAPES], "attribute guard failed"), "Specialized STORE_ATTR: instance dict entry, expected at a known index.";
        STORE_ATTR_SLOT = 150, STORE_ATTR, helper(store_attr, |_| (2, 0), [ESCAPES], "attribute guard failed"), "Specialized STORE_ATTR: a __slots__ value.";
        LOAD_METHOD_INSTANCE = 151, LOAD_METHOD, helper(load_method, |_| (1, 2), [], "attribute guard failed"), "Specialized LOAD_METHOD: a Python function of the class, not shadowed by the instance.";
        LOAD_METHOD_NO_DICT = 152, LOAD_METHOD, helper(load_method, |_| (1, 2), [], "attribute guard failed"), "Specialized LOAD_METHOD: a method of a type whose instances have no dict.";
        LOAD_METHOD_MODULE = 153, LOAD_METHOD, helper(load_method, |_| (1, 2), [ESCAPES], "attribute guard failed"), "Specialized LOAD_METHOD: module attribute called as a function.";
        LOAD_GLOBAL_MODULE = 154, LOAD_GLOBAL, helper(load_global, |_| (0, 1), [], "global or builtin changed"), "Specialized LOAD_GLOBAL: module global (tier 2: a constant while the dict is unchanged).";
        LOAD_GLOBAL_BUILTIN = 155, LOAD_GLOBAL, helper(load_global, |_| (0, 1), [], "global or builtin changed"), "Specialized LOAD_GLOBAL: builtin (tier 2: a constant while the dicts are unchanged).";
        CALL_PY_EXACT_ARGS = 156, CALL, by_hand(), "Specialized CALL: Python function, positional arguments filling its parameters (with defaults).";
        CALL_PY_GENERATOR = 184, CALL, helper(call, |a| (a + 2, 1), [ESCAPES, RAISES], "helper guard failed"), "Specialized CALL: a generator, coroutine or async generator function, positional arguments filling its parameters: makes the generator object directly, not through the generic call and its pending-generator handoff.";
        CALL_BUILTIN = 157, CALL, helper(call, |a| (a + 2, 1), [ESCAPES, RAISES], "helper guard failed"), "Specialized CALL: native function, or native method (bound or with self on the stack).";
        CALL_LEN = 158, CALL, helper(call_len, |_| (3, 1), [ESCAPES], "helper guard failed"), "Specialized CALL: len(x).";
        CALL_ALLOC_NO_INIT = 180, CALL, helper(call_alloc_no_init, |a| (a + 2, 1), [ESCAPES], "helper guard failed"), "Specialized CALL: `C()` of a plain Python class with no `__new__` or `__init__` of its own.";
        CALL_BUILTIN_CLASS = 181, CALL, helper(call, |a| (a + 2, 1), [ESCAPES, RAISES], "helper guard failed"), "Specialized CALL: a builtin class whose metaclass is `type` (`type(x)`, `tuple(xs)`, `ValueError(m)`): its constructor called directly.";
        CALL_LIST_APPEND = 159, CALL, helper(call_list_append, |_| (3, 1), [ESCAPES], "helper guard failed"), "Specialized CALL: list.append(x) loaded as a method.";
        FOR_ITER_RANGE = 160, FOR_ITER, helper(for_iter_range, |_| (0, 1), [], "loop iterator not the traced kind (or range item not a small int)"), "Specialized FOR_ITER: range iterator.";
        FOR_ITER_LIST = 161, FOR_ITER, helper(for_iter, |_| (0, 1), [], "loop iterator not the traced kind (or range item not a small int)"), "Specialized FOR_ITER: list iterator.";
        FOR_ITER_TUPLE = 162, FOR_ITER, helper(for_iter, |_| (0, 1), [], "loop iterator not the traced kind (or range item not a small int)"), "Specialized FOR_ITER: tuple iterator.";
        BINARY_SUBSCR_LIST_INT = 163, BINARY_SUBSCR, helper(binary_subscr, |_| (2, 1), [ESCAPES], "subscript guard failed"), "Specialized BINARY_SUBSCR: list[int].";
        BINARY_SUBSCR_TUPLE_INT = 164, BINARY_SUBSCR, helper(binary_subscr, |_| (2, 1), [ESCAPES], "subscript guard failed"), "Specialized BINARY_SUBSCR: tuple[int].";
        BINARY_SUBSCR_DICT = 165, BINARY_SUBSCR, helper(binary_subscr_dict, |_| (2, 1), [ESCAPES, RAISES], "subscript guard failed"), "Specialized BINARY_SUBSCR: dict[key].";
        STORE_SUBSCR_LIST_INT = 166, STORE_SUBSCR, helper(store_subscr_list_int, |_| (3, 0), [ESCAPES], "subscript guard failed"), "Specialized STORE_SUBSCR: list[int] = v.";
        STORE_SUBSCR_DICT = 167, STORE_SUBSCR, helper(store_subscr_dict, |_| (3, 0), [ESCAPES, RAISES], "subscript guard failed"), "Specialized STORE_SUBSCR: dict[key] = v.";
        UNPACK_SEQUENCE_TUPLE = 168, UNPACK_SEQUENCE, helper(unpack_sequence, |a| (1, a), [ESCAPES], "helper guard failed"), "Specialized UNPACK_SEQUENCE: tuple of the right length.";
        UNPACK_SEQUENCE_LIST = 169, UNPACK_SEQUENCE, helper(unpack_sequence, |a| (1, a), [ESCAPES], "helper guard failed"), "Specialized UNPACK_SEQUENCE: list of the right length.";
        CALL_BOUND_METHOD_EXACT_ARGS = 170, CALL, none(), "Specialized CALL: bound method of a Python function, exact positional arguments.";
        CALL_ALLOC_AND_ENTER_INIT = 171, CALL, by_hand(), "Specialized CALL: instantiate a Python class whose __init__ takes exact positional arguments, running __init__ in this loop.";
        JUMP_BACKWARD_JIT = 172, JUMP_BACKWARD, by_hand(), "A loop back edge whose loop has a compiled tier-2 trace: run it, then resume tier 1 where it exits.";
        BINARY_OP_AND_INT = 173, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", AND_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int &.";
        BINARY_OP_OR_INT = 174, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", OR_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int |.";
        BINARY_OP_XOR_INT = 175, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", XOR_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int ^.";
        BINARY_OP_LSHIFT_INT = 176, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", LSHIFT_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int <<.";
        BINARY_OP_RSHIFT_INT = 177, BINARY_OP, uops[GUARD_BOTH_INT(None) "operands are not small ints", RSHIFT_INT(None) "int result out of the small range or zero divisor"], "Specialized BINARY_OP: small int >>.";
        LOAD_METHOD_INSTANCE_ATTR = 178, LOAD_METHOD, helper(load_method, |_| (1, 2), [ESCAPES], "attribute guard failed"), "Specialized LOAD_METHOD: a callable the instance dict holds (`self.read = f.read`), called without self.";
        LOAD_METHOD_SUBCLASS = 182, LOAD_METHOD, helper(load_method, |_| (1, 2), [], "attribute guard failed"), "Specialized LOAD_METHOD: a method of the class of an instance of a Python subclass of a builtin type (`list`, `dict`, `_random.Random`), not shadowed by the instance's dict.";
        LOAD_METHOD_CLASS = 179, LOAD_METHOD, helper(load_method, |_| (1, 2), [ESCAPES], "attribute guard failed"), "Specialized LOAD_METHOD: a function, staticmethod or classmethod of a class (`C.f(x)`, `C.create()`), by the class's version.";
    }
    } };
}

/// How the translator shows and fills a `uops[...]` entry's operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// 0, shown as nothing.
    None,
    /// The instruction's argument, a local (shown by name).
    Local,
    /// The instruction's argument, a stack slot counted from the top.
    Slot,
    /// 0, shown as NULL.
    Null,
}

/// One uop of a `uops[...]` tier-2 form.
#[derive(Clone, Copy, Debug)]
pub struct UopStep {
    pub uop: Uop,
    pub operand: Operand,
    /// Why its exit is taken (`-X stats`).
    pub reason: &'static str,
}

macro_rules! define_uop_enum {
    ($($(#[doc = $doc:literal])* $name:ident: $pops:literal -> $pushes:literal, [$($flag:ident),*], $kind:ident ($f:ident, $s:ident, $a:ident) $body:block)*) => {
        /// A tier-2 uop (see `for_each_uop!`).
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, reason = "CPython's uop names")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Uop { $($(#[doc = $doc])* $name,)* }

        impl Uop {
            /// Every uop, in definition order.
            pub const ALL: &'static [Uop] = &[$(Uop::$name),*];
            pub const fn name(self) -> &'static str {
                match self { $(Uop::$name => stringify!($name),)* }
            }
            /// Fixed stack effect `(pops, pushes)`; a helper's comes from its instruction.
            pub const fn fixed_effect(self) -> (u32, u32) {
                match self { $(Uop::$name => ($pops, $pushes),)* }
            }
            /// `flag::*` bits.
            pub const fn flags(self) -> u16 {
                match self { $(Uop::$name => 0 $(| flag::$flag)*,)* }
            }
            pub const fn kind(self) -> BodyKind {
                match self { $(Uop::$name => BodyKind::$kind,)* }
            }
            /// The definition's documentation.
            pub const fn doc(self) -> &'static str {
                match self { $(Uop::$name => concat!($($doc, "\n",)*),)* }
            }
            /// Its flags' names, for the reference table.
            pub const fn flag_names(self) -> &'static str {
                match self { $(Uop::$name => stringify!($($flag)*),)* }
            }
        }
    };
}

crate::for_each_uop!(define_uop_enum);

impl Uop {
    /// Small-int arithmetic: its result is a small int (or it exits).
    pub const fn gives_small_int(self) -> bool {
        self.flags() & flag::INT_RESULT != 0
    }

    /// Float arithmetic: its result is a float.
    pub const fn gives_float(self) -> bool {
        self.flags() & flag::FLOAT_RESULT != 0
    }

    /// Its stencil's name (`EXIT_TRACE` runs the exit stub `EXIT`).
    pub const fn stencil_name(self) -> &'static str {
        match self.kind() {
            BodyKind::Exit => "EXIT",
            _ => self.name(),
        }
    }
}
