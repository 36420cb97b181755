//! Why a trace left (`ExitReason`) and why a loop was not compiled (`Abort`), each an
//! enum with its message, so `-X stats` and the dumps group and print them without a
//! string made at run time.
use std::fmt;

use crate::instructions::Op;

/// Declares a reason enum: fixed variants with their messages, then the variants that
/// carry data, whose message `$show` formats.
macro_rules! reasons {
    (
        $(#[doc = $doc:literal])*
        enum $name:ident {
            $($(#[doc = $vdoc:literal])* $v:ident => $msg:literal,)*
        }
        data {
            $($(#[doc = $ddoc:literal])* $d:ident($t:ty),)*
        }
        show($self_:ident, $f:ident) $show:block
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($(#[doc = $vdoc])* $v,)*
            $($(#[doc = $ddoc])* $d($t),)*
        }

        impl fmt::Display for $name {
            fn fmt(&$self_, $f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match $self_ {
                    $($name::$v => $f.write_str($msg),)*
                    _ => $show,
                }
            }
        }
    };
}

reasons! {
    /// Why a trace gives control back to tier 1 at one of its exits.
    enum ExitReason {
        /// Exit number 0 of every trace (0 means "no exit" in the IR).
        Unused => "unused",
        /// An invariant the trace relies on broke (a thread started, a watched dict
        /// changed): the trace leaves at its next patchpoint.
        Patchpoint => "patchpoint: trace invalidated",
        /// A conditional jump went the way the trace did not follow.
        Branch => "branch left the traced path",
        /// The same, for a jump on a value whose truth may need a call.
        BranchTruth => "branch left the traced path (or truth needs a call)",
        /// A `FOR_ITER`'s second exit: its iterator is exhausted.
        LoopEnd => "loop ended",
        /// The trace jumps into another loop's trace (not taken when linked).
        Link => "trace jumps into another loop's trace",
        /// The instruction at the exit raised (an error exit).
        Raised => "raised",
        /// The generic helper does not run this instruction in this state.
        NotGeneric => "instruction not run by the generic helper",
        /// An inlined call's callable no longer runs the traced code.
        CalleeChanged => "callee changed",
        /// An inlined callee's function has other globals than traced.
        CalleeGlobalsChanged => "callee's globals changed",
        /// An inlined class instantiation's class changed (its version tag).
        ClassChanged => "class changed",
        /// An inlined call's frame could not be pushed (recursion limit).
        FrameNotPushed => "frame not pushed (recursion limit)",
        /// The frame runs the code with other globals than the trace was made for.
        FrameGlobalsDiffer => "frame's globals differ",
        /// A local's kind, checked once at the loop's top (`GUARD_LOCAL_KIND`), is
        /// not the one the loop preserves.
        LocalKindDiffers => "local's kind differs at loop entry",
        /// The thread's eval breaker asked for work (a signal, a stop-the-world, queued
        /// counts): tier 1 does it at the loop's back edge.
        EvalBreaker => "eval breaker set",
        /// A side trace reached the back edge of a loop without a trace.
        SideTraceEnd => "trace ends at the back edge (side trace)",
    }
    data {
        /// The trace ends at an instruction the translator does not handle.
        EndsAt(Op),
        /// A uop's guard failed: its message, declared with the uop in the instruction
        /// table (`compile::opcode`).
        Guard(&'static str),
    }
    show(self, f) {
        match self {
            ExitReason::EndsAt(op) => write!(f, "trace ends at {} (not translated)", op.name()),
            ExitReason::Guard(s) => f.write_str(s),
            _ => unreachable!("fixed reasons are written above"),
        }
    }
}

reasons! {
    /// Why a loop (or a side trace) was not compiled.
    enum Abort {
        /// The installed compiler keeps the trace to itself (the optimizer's snapshot
        /// test captures traces this way).
        Declined => "declined by the compiler",
        /// The trace table is full.
        TooManyTraces => "too many traces",
        /// The optimizer's output failed validation (a compiler bug).
        InvalidTrace => "optimizer produced an invalid trace",
        /// No executable memory could be mapped for the trace.
        NoExecutableMemory => "could not map executable memory",
        /// A uop of the trace has no stencil.
        NoStencil => "a uop has no stencil",
        /// A specialized instruction names a helper the runtime does not have.
        NoHelper => "no helper",
        /// A generic instruction the generic helper does not run.
        NoGenericHelper => "no generic helper",
        /// A generic instruction whose stack shape has no generic helper.
        NoGenericShape => "no generic helper for this stack shape",
        /// The hot side of a branch leaves the loop body.
        HotBranchLeaves => "hot branch leaves the loop body",
        /// More exits than a trace numbers.
        TooManyExits => "too many exits",
        /// Every translation ended inside an inlined call.
        EndsInsideInlined => "trace ends inside inlined calls",
        /// The loop body is longer than the translator follows.
        BodyTooLong => "loop body too long",
        /// The traced path runs off the code.
        OutOfRange => "instruction out of range",
        /// A code unit that is no instruction.
        BadOpcode => "bad opcode",
        /// A fused comparison not followed by its conditional jump.
        FusedCompareWithoutJump => "fused compare without its jump",
        /// A jump leaves the loop body.
        JumpOut => "jump out of the loop body",
        /// An inlined call returns at another stack depth than it was called at.
        DepthAtInlinedReturn => "stack depth differs at an inlined return",
        /// The traced path reaches the back edge at another stack depth.
        DepthAtBackEdge => "stack depth differs at the back edge",
    }
    data {
        /// An instruction the translator does not handle, too early in the body for
        /// a trace that ends there to pay.
        NotTranslated(Op),
    }
    show(self, f) {
        match self {
            Abort::NotTranslated(op) => f.write_str(op.name()),
            _ => unreachable!("fixed reasons are written above"),
        }
    }
}
