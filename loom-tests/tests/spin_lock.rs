//! loom model of `stitch_sync::spin_lock` (the lock of every object payload cell once
//! threads run), on the real code through the sync shim.
//!
//! Checked: mutual exclusion (two threads each run a read-modify-write of a
//! loom cell under the lock: loom's cell reports any two accesses that are not ordered,
//! and the final count shows no update was lost), and that what one holder wrote is
//! what the next holder reads (the release store of `unlock` and the acquire
//! compare-and-swap of `lock`). The model was checked against two mutations of
//! `spin_lock.rs` (made by hand, not kept): a `Relaxed` unlock store, and a `Relaxed`
//! success ordering of the lock's compare-and-swap; loom reports both (causality
//! violation on the cell).
//!
//! Bounds: two threads, `LOOM_MAX_PREEMPTIONS` (scripts/test sets 3). With three
//! threads the waiting loops exceed loom's branch bound (its known limit with spin
//! locks) even at 20,000 branches and four minutes.
#![cfg(stitch_loom)]

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;
use stitch_sync::spin_lock::SpinLock;

struct Guarded {
    lock: SpinLock,
    count: UnsafeCell<u32>,
}

// SAFETY: `count` is only touched with `lock` held (what the model checks).
unsafe impl Sync for Guarded {}

fn bump(g: &Guarded) {
    g.lock.lock();
    // Read then write, as a container update does: a lost update shows in the total.
    let v = g.count.with(|p| {
        // SAFETY: the lock is held.
        unsafe { *p }
    });
    g.count.with_mut(|p| {
        // SAFETY: the lock is held.
        unsafe { *p = v + 1 }
    });
    g.lock.unlock();
}

fn run(threads: u32) {
    loom::model(move || {
        let g = Arc::new(Guarded {
            lock: SpinLock::new(),
            count: UnsafeCell::new(0),
        });
        let handles: Vec<_> = (1..threads)
            .map(|_| {
                let g = g.clone();
                thread::spawn(move || bump(&g))
            })
            .collect();
        bump(&g);
        for h in handles {
            h.join().unwrap();
        }
        g.lock.lock();
        let total = g.count.with(|p| {
            // SAFETY: the lock is held.
            unsafe { *p }
        });
        g.lock.unlock();
        assert_eq!(total, threads, "an update made under the lock was lost");
    });
}

#[test]
fn two_threads_exclude_each_other() {
    run(2);
}
