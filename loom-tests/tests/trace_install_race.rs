//! loom model of the bug class of CPython gh-157740 (JIT x free-threading): one thread
//! installs an executor into code that another thread is translating a trace
//! through, between the translator's read of an instruction's opcode and its read of
//! the instruction's argument; the translator then follows the executor's argument as
//! if it were the jump's.
//!
//! How stitch is protected, with the real code (`stitch_sync::inline_cache`,
//! `stitch_sync::patchpoint`) through the sync shim:
//! 1. Today no trace is compiled once a second thread exists (`jit/src/compile.rs`
//!    checks `SingleThreaded`, which `start()` breaks before the spawn), so
//!    translation and installation never overlap another thread's execution.
//! 2. Independently, installing a trace changes only the opcode byte of the back edge
//!    (`JUMP_BACKWARD_JIT` keeps the jump's argument; the trace lives in the record,
//!    `runtime/src/tier2/mod.rs: install`), so a translator that reads the opcode and
//!    the argument in two loads still gets the jump's own argument. This is what must
//!    keep holding when the threads-with-JIT issue lets threads compile.
//!
//! Each protection has a model here and a mutation test: the model with the
//! protection removed must fail (`#[should_panic]`), so the model is known to catch
//! the bug. Mutations: (1) the compile gate ignored, with the install writing a
//! trace index into the argument as CPython's `ENTER_EXECUTOR` does; (2) only the
//! install writing the trace index, with two threads compiling (no gate, as after the
//! threads-with-JIT issue).
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
    /// Compile whether or not `SingleThreaded` holds.
    ignore_gate: bool,
    /// Install with the trace's index in the argument (CPython's `ENTER_EXECUTOR`)
    /// instead of keeping the jump's argument.
    overwrite_argument: bool,
}

const REAL: Mutation = Mutation {
    ignore_gate: false,
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

/// The loop gets hot on thread `by`: compile (translate, then install) if allowed.
fn hot_loop(
    code: &InlineCaches<Trace>,
    single: &Assumption,
    traces: &Dependents,
    by: u32,
    m: Mutation,
) {
    if !m.ignore_gate && !single.holds() {
        // "other threads are running": the loop stays in tier 1.
        return;
    }
    let flag = Arc::new(Assumption::new());
    traces.add(flag.clone());
    let target = translate(code);
    assert_eq!(
        target, TARGET,
        "translated the loop with a wrong jump target"
    );
    install(code, by, m);
}

/// Thread A compiles the loop, starts thread B (`start()`: invalidate, then spawn),
/// leaves its invalidated trace (which unhooks the back edge) and keeps running the
/// loop, which gets hot again; B runs the same loop and it gets hot on B too.
fn model(m: Mutation) {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(3);
    }
    b.check(move || {
        let code = Arc::new(InlineCaches::<Trace>::new(&[BACK_EDGE], 1, 8));
        let single = Arc::new(Assumption::new());
        let traces = Arc::new(Dependents::new());
        hot_loop(&code, &single, &traces, 1, m);
        // start(): the one switch, then the spawn.
        single.invalidate();
        traces.invalidate_all();
        let other = {
            let (code, single, traces) = (code.clone(), single.clone(), traces.clone());
            thread::spawn(move || hot_loop(&code, &single, &traces, 2, m))
        };
        // A's trace leaves at the patchpoint after start(): the back edge is unhooked
        // (the generic jump back), then the loop gets hot again on A.
        code.despecialize(0, BACK_EDGE);
        hot_loop(&code, &single, &traces, 1, m);
        other.join().unwrap();
        // Whoever installed last, the back edge still jumps to the loop's head.
        if !m.overwrite_argument {
            assert_eq!(code.unit(0).map(|u| u >> 8), Some(TARGET));
        }
        if !m.ignore_gate {
            // No trace compiled after the switch: the loop runs in tier 1.
            assert_eq!(code.unit(0), Some(BACK_EDGE));
            assert_eq!(code.record(0).map(|t| t.by), Some(1));
        }
    });
}

#[test]
fn no_trace_is_compiled_while_another_thread_runs_the_loop() {
    model(REAL);
}

#[test]
fn translation_is_right_when_threads_compile_concurrently() {
    // The threads-with-JIT design: both threads compile (no gate); installing keeps
    // the jump's argument, so a translator between its two reads is still right.
    model(Mutation {
        ignore_gate: true,
        overwrite_argument: false,
    });
}

#[test]
#[should_panic(expected = "wrong jump target")]
fn mutation_gate_removed_and_argument_overwritten_is_caught() {
    model(Mutation {
        ignore_gate: true,
        overwrite_argument: true,
    });
}

#[test]
fn gate_alone_protects_an_overwriting_install() {
    // Today's protection alone: with the gate, even an install that overwrote the
    // argument could not race a translation (nothing compiles after the switch).
    model(Mutation {
        ignore_gate: false,
        overwrite_argument: true,
    });
}
