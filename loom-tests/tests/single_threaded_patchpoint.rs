//! loom model: "thread A runs a trace and calls start(); thread B must never run
//! while A could still execute the single-thread path" (`stitch_sync::patchpoint`).
//!
//! A's trace touches shared state through an unsynchronized cell while the
//! `SingleThreaded` assumption holds (its fast path skips locks), checking the
//! patchpoint at entry and after the escaping call. The escaping call is `start()`:
//! it invalidates the assumption, then spawns B. B (and A after the patchpoint) use the
//! thread-safe path, a mutex. loom's `UnsafeCell` reports any access of the
//! unsynchronized path that races with B: the model passes only if the patchpoints
//! make that impossible.
//!
//! A's trace checks its own validity flag, registered with the invariant's
//! `Dependents` as the JIT does; `start()` breaks the invariant by clearing the
//! global flag (which new compilations check) and every dependent's flag.
//!
//! Bounds: two threads, `LOOM_MAX_PREEMPTIONS` (scripts/test sets 3). Runtime: well
//! under a second.
#![cfg(stitch_loom)]

use loom::cell::UnsafeCell;
use loom::sync::{Arc, Mutex};
use loom::thread;
use stitch_sync::patchpoint::{Assumption, Dependents};

struct Shared {
    /// Touched without a lock by single-thread code.
    fast: UnsafeCell<u64>,
    /// The thread-safe path.
    safe: Mutex<u64>,
}

fn bump(s: &Shared, single: &Assumption) {
    if single.holds() {
        // SAFETY (model): only single-thread code takes this path.
        s.fast.with_mut(|v| unsafe { *v += 1 });
    } else {
        *s.safe.lock().unwrap() += 1;
        // The fast path's state is merged under the lock once threads exist.
        s.fast.with(|v| {
            // SAFETY (model): readers after invalidation only.
            let _ = unsafe { *v };
        });
    }
}

#[test]
fn no_thread_runs_while_single_thread_code_can() {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(3);
    }
    b.check(|| {
        let single = Arc::new(Assumption::new());
        let traces = Dependents::new();
        let trace = Arc::new(Assumption::new());
        traces.add(trace.clone());
        let shared = Arc::new(Shared {
            fast: UnsafeCell::new(0),
            safe: Mutex::new(0),
        });
        // Thread A's trace: patchpoint (its own flag) at entry, work, the escaping
        // call start(), patchpoint after it, more work.
        bump(&shared, &trace);
        // start(): the one switch, then the spawn.
        single.invalidate();
        assert_eq!(traces.invalidate_all(), 1);
        let other = {
            let (single, shared) = (single.clone(), shared.clone());
            // B runs tier 1: it would only take the fast path if it could compile
            // under `single`.
            thread::spawn(move || bump(&shared, &single))
        };
        bump(&shared, &trace);
        // A trace compiled after the switch is invalid from the start.
        let late = Arc::new(Assumption::new());
        traces.add(late.clone());
        assert!(!late.holds());
        other.join().unwrap();
    });
}
