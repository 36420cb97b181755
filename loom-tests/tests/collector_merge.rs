//! loom model: the cycle collector's first step, merging every thread's queued
//! biased counts with the world stopped (`Registry::take_all_queues` + `brc::merge`,
//! as `runtime/src/thread_state.rs::merge_all_queues` does), racing an owner's own
//! merges and a non-owner's remote decrement.
//!
//! Thread 2 owns an object with two references: its own, and one handed to thread 3.
//! Thread 3 drops that reference (driving the shared count negative and queuing the
//! object to thread 2, or merging it itself if thread 2 is detached or gone). Thread 2
//! polls its eval breaker once (parking for a stop-the-world), then leaves, draining
//! its queue while still attached (`Registry::leave`: a leaving thread's merges must
//! not overlap the collector's stopped world). (Its `BREAK_MERGE` path is `brc.rs`'s model; leaving it out keeps the
//! breaker word under loom's limit of seven remembered stores per atomic.) The collector (thread 1) stops the world, takes
//! every queue and merges, and checks what the collector relies on: no object is still
//! waiting for a merge, and the object's two counts add up to the references that
//! exist at that moment. Afterwards the object is never freed (thread 2's reference is
//! never dropped) and its count is exactly that one reference.
//!
//! Bounds: three threads, `LOOM_MAX_PREEMPTIONS` (scripts/test sets 3).
#![cfg(stitch_loom)]

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use loom::thread;
use stitch_sync::brc::{self, Next};
use stitch_sync::threads::{BREAK_STOP, Queued, Registry};

struct Obj {
    words: brc::Words,
    frees: AtomicUsize,
}

impl Obj {
    fn act(&self, next: Next, reg: &Registry) {
        match next {
            Next::Nothing => {}
            Next::Free => {
                self.frees.fetch_add(1, Ordering::SeqCst);
            }
            Next::Queue => {
                let owner = self.words.tid.load(Ordering::Relaxed);
                match reg.queue(owner, 1) {
                    Queued::ToOwner => {}
                    Queued::MergeForDetached => {
                        self.act(brc::merge(&self.words), reg);
                        reg.unpin(owner);
                    }
                    Queued::MergeOrphan => self.act(brc::merge(&self.words), reg),
                }
            }
        }
    }

    fn merge_queue(&self, queued: Vec<usize>, reg: &Registry) {
        for _ in queued {
            self.act(brc::merge(&self.words), reg);
        }
    }
}

#[test]
fn collector_merges_queues_with_the_world_stopped() {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(3);
    }
    b.check(|| {
        let reg = Arc::new(Registry::new());
        reg.register(1);
        let o = Arc::new(Obj {
            words: brc::Words::new(2),
            frees: AtomicUsize::new(0),
        });
        brc::incref(&o.words, || 2); // the reference handed to thread 3
        let dropped = Arc::new(AtomicBool::new(false));
        let owner = {
            let (o, reg) = (o.clone(), reg.clone());
            thread::spawn(move || {
                let breaker2 = reg.register(2);
                let bits = breaker2.load(Ordering::Relaxed);
                if bits & BREAK_STOP != 0 {
                    let q = reg.park(2);
                    o.merge_queue(q, &reg);
                }
                reg.leave(2, |q| o.merge_queue(q, &reg));
            })
        };
        let remote = {
            let (o, reg, dropped) = (o.clone(), reg.clone(), dropped.clone());
            thread::spawn(move || {
                reg.register(3);
                let next = brc::decref(&o.words, || 3);
                o.act(next, &reg);
                dropped.store(true, Ordering::SeqCst);
                reg.leave(3, |q| o.merge_queue(q, &reg));
            })
        };
        let (state, count, expected) = reg.stop_the_world(1, || {
            let q = reg.take_all_queues();
            o.merge_queue(q, &reg);
            let expected = if dropped.load(Ordering::SeqCst) { 1 } else { 2 };
            (
                o.words.shared.load(Ordering::SeqCst) & brc::STATE_MASK,
                brc::count(&o.words),
                expected,
            )
        });
        assert_ne!(state, brc::QUEUED, "an object still awaits a merge");
        assert_eq!(count, Some(expected), "counts do not add up");
        owner.join().unwrap();
        remote.join().unwrap();
        reg.leave(1, |_| {});
        assert_eq!(o.frees.load(Ordering::SeqCst), 0, "freed under a reference");
        assert_eq!(brc::count(&o.words), Some(1));
    });
}
