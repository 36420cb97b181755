//! loom model: stop-the-world (`stitch_sync::threads::Registry`) with one attached
//! and one detached thread.
//!
//! Thread A requests a stop-the-world and, inside it, checks that no other thread is
//! running Python code. Thread B is attached and polls its eval breaker, parking when
//! asked. Thread C starts detached (blocked) and re-attaches at some point: it must
//! wait until the world is restarted. "Running Python code" is modelled by a counter
//! each thread raises while attached.
//!
//! Bounds: three threads, `LOOM_MAX_PREEMPTIONS` (scripts/test sets 3). Runtime: a few
//! seconds in release mode.
#![cfg(stitch_loom)]

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;
use stitch_sync::threads::{BREAK_STOP, Registry};

#[test]
fn stop_the_world_with_attached_and_detached_threads() {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(3);
    }
    b.check(|| {
        let reg = Arc::new(Registry::new());
        // Whether B and C are running Python code (attached and past their checks).
        let b_runs = Arc::new(AtomicBool::new(false));
        let c_runs = Arc::new(AtomicBool::new(false));
        // A (the requester) and C (detached, blocked) register up front.
        reg.register(1);
        reg.register(3);
        reg.detach(3);
        let breaker = reg.register(2);
        let b_thread = {
            let (reg, runs) = (reg.clone(), b_runs.clone());
            thread::spawn(move || {
                runs.store(true, Ordering::SeqCst);
                // A back edge: the eval breaker check.
                if breaker.load(Ordering::Relaxed) & BREAK_STOP != 0 {
                    runs.store(false, Ordering::SeqCst);
                    reg.park(2);
                    runs.store(true, Ordering::SeqCst);
                }
                runs.store(false, Ordering::SeqCst);
                reg.unregister(2);
            })
        };
        let c_thread = {
            let (reg, runs) = (reg.clone(), c_runs.clone());
            thread::spawn(move || {
                reg.attach(3);
                runs.store(true, Ordering::SeqCst);
                runs.store(false, Ordering::SeqCst);
                reg.unregister(3);
            })
        };
        let seen = reg.stop_the_world(1, || {
            b_runs.load(Ordering::SeqCst) || c_runs.load(Ordering::SeqCst)
        });
        assert!(
            !seen,
            "another thread ran Python code during stop-the-world"
        );
        b_thread.join().unwrap();
        c_thread.join().unwrap();
        reg.unregister(1);
    });
}
