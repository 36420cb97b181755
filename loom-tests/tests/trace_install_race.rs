//! loom model of the bug class of CPython gh-157740 (JIT x free-threading): one thread
//! installs an executor into code that another thread is translating a trace
//! through, between the translator's read of an instruction's opcode and its read of
//! the instruction's argument; the translator then follows the executor's argument as
//! if it were the jump's.
//!
//! How stitch is protected, with the real code (`stitch_sync::inline_cache`) through
//! the sync shim: installing a trace changes only the opcode byte of the back edge
//! (`JUMP_BACKWARD_JIT` keeps the jump's argument; the traces live in the record,
//! `runtime/src/tier2/mod.rs: install`), so a translator that reads the opcode and the
//! argument in two loads still gets the jump's own argument. Threads compile loops
//! while other threads run them (each thread its own trace), so this is the
//! protection that matters. (Until the threads-with-JIT work, no trace was compiled
//! once a second thread existed; that gate is gone.)
//!
//! The mutation test: the install writing a trace index into the argument, as
//! CPython's `ENTER_EXECUTOR` does, must fail the model (`#[should_panic]`), so the
//! model is known to catch the bug.
//!
//! Bounds: two threads, `LOOM_MAX_PREEMPTIONS` (scripts/test sets 3). Runtime: well
//! under a second.
#![cfg(stitch_loom)]

use loom::sync::Arc;
use loom::thread;
use stitch_sync::inline_cache::InlineCaches;
use stitch_sync::patchpoint::{Assumption, Dependents};

/// The loop's back edge: `JUMP_BACKWARD` to instruction `TARGET`.
const JUMP_BACKWARD: u32 = 7;
const JUMP_BACKWARD_JIT: u32 = 201;
const TARGET: u32 = 3;
const BACK_EDGE: u32 = JUMP_BACKWARD | (TARGET << 8);

/// A compiled trace as the record of `JUMP_BACKWARD_JIT`: which thread compiled it,
/// and the jump's own argument (what CPython keeps in the executor for
/// `ENTER_EXECUTOR`).
struct Trace {
    by: u32,
    jump_arg: u32,
}

#[derive(Clone, Copy)]
struct Mutation {
    /// Install with the trace's index in the argument (CPython's `ENTER_EXECUTOR`)
    /// instead of keeping the jump's argument.
    overwrite_argument: bool,
}

const REAL: Mutation = Mutation {
    overwrite_argument: false,
};

/// Translate the loop whose back edge is instruction 0: the translator reads the
/// opcode, then (later, as a projection does while it walks the loop) the argument,
/// and follows the jump. The jump target it derives must be the loop's.
fn translate(code: &InlineCaches<Trace>) -> u32 {
    let op = code.unit(0).expect("back edge") & 0xff;
    // ... other instructions of the loop are translated here ...
    let arg = code.unit(0).expect("back edge") >> 8;
    match op {
        // An installed trace: the jump's argument as the trace recorded it.
        JUMP_BACKWARD_JIT => code.record(0).expect("record before unit").jump_arg,
        _ => arg,
    }
}

/// Install a trace compiled by thread `by` at the back edge.
fn install(code: &InlineCaches<Trace>, by: u32, m: Mutation) {
    let unit = if m.overwrite_argument {
        JUMP_BACKWARD_JIT | (by << 8)
    } else {
        (BACK_EDGE & !0xff) | JUMP_BACKWARD_JIT
    };
    assert!(code.publish(
        0,
        unit,
        Some(Trace {
            by,
            jump_arg: TARGET
        })
    ));
}

/// The loop gets hot on thread `by`: compile (translate, then install).
fn hot_loop(code: &InlineCaches<Trace>, traces: &Dependents, by: u32, m: Mutation) {
    let flag = Arc::new(Assumption::new());
    traces.add(flag.clone());
    let target = translate(code);
    assert_eq!(
        target, TARGET,
        "translated the loop with a wrong jump target"
    );
    install(code, by, m);
}

/// Thread A compiles the loop and starts thread B; A's trace is invalidated (a watched
/// global changed: the back edge is unhooked) and the loop gets hot again on A while
/// B runs the same loop and it gets hot on B too.
fn model(m: Mutation) {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(3);
    }
    b.check(move || {
        let code = Arc::new(InlineCaches::<Trace>::new(&[BACK_EDGE], 1, 8));
        let traces = Arc::new(Dependents::new());
        hot_loop(&code, &traces, 1, m);
        let other = {
            let (code, traces) = (code.clone(), traces.clone());
            thread::spawn(move || hot_loop(&code, &traces, 2, m))
        };
        // A's trace leaves at a patchpoint: the back edge is unhooked (the generic
        // jump back), then the loop gets hot again on A.
        traces.invalidate_all();
        code.despecialize(0, BACK_EDGE);
        hot_loop(&code, &traces, 1, m);
        other.join().unwrap();
        // Whoever installed last, the back edge still jumps to the loop's head.
        if !m.overwrite_argument {
            assert_eq!(code.unit(0).map(|u| u >> 8), Some(TARGET));
            // The record is one thread's whole trace.
            assert!(matches!(code.record(0).map(|t| t.by), Some(1 | 2)));
        }
    });
}

#[test]
fn translation_is_right_when_threads_compile_concurrently() {
    // Both threads compile; installing keeps the jump's argument, so a translator
    // between its two reads is still right.
    model(REAL);
}

#[test]
#[should_panic(expected = "wrong jump target")]
fn mutation_argument_overwritten_is_caught() {
    model(Mutation {
        overwrite_argument: true,
    });
}
