//! loom models of biased reference counting (`stitch_sync::brc`) with the real
//! thread registry's queue (`stitch_sync::threads`), through the sync shim.
//!
//! Scenarios (each with an owner thread and a non-owner thread, at most three threads):
//! - `remote_decref_races_owner_merge`: the owner holds two references and hands one
//!   to another thread, which drops it (driving the shared count negative and queuing
//!   the object) while the owner drops its own and then merges its queue. The object
//!   must be freed exactly once, only when no reference is left.
//! - `queue_to_exiting_owner`: the non-owner queues the object at the moment the
//!   owner leaves the registry; either the owner's exit drain or the orphan merge
//!   settles it, never both, never neither.
//! - `queue_to_detached_owner`: the owner is blocked (detached); the non-owner
//!   merges on its behalf while the owner tries to re-attach.
//! - `immortalized_while_queued`: the owner makes the object immortal (as
//!   `runtime/src/shared_immortal.rs` does to a function it made once threads run)
//!   while the non-owner's decrement queues it; the later merge must leave it
//!   immortal and never free it.
//!
//! Bounds: `LOOM_MAX_PREEMPTIONS` (scripts/test sets 3). Runtime: about a second each
//! in release mode.
#![cfg(stitch_loom)]

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;
use stitch_sync::brc::{self, Next};
use stitch_sync::threads::{Queued, Registry};

struct Obj {
    words: brc::Words,
    frees: AtomicUsize,
}

impl Obj {
    /// A fresh object owned by `owner` with one reference.
    fn new(owner: u64) -> Arc<Obj> {
        Arc::new(Obj {
            words: brc::Words::new(owner),
            frees: AtomicUsize::new(0),
        })
    }

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

/// Thread `tid` drops one reference to `o` and does what the counting rules say.
fn drop_ref(o: &Obj, reg: &Registry, tid: u64) {
    let next = brc::decref(&o.words, || tid);
    o.act(next, reg);
}

/// A second thread (id 2) that registers, drops one reference to `o` and leaves,
/// merging what its queue still held when it unregistered.
fn spawn_remote_drop(o: &Arc<Obj>, reg: &Arc<Registry>) -> thread::JoinHandle<()> {
    let (o, reg) = (o.clone(), reg.clone());
    thread::spawn(move || {
        reg.register(2);
        drop_ref(&o, &reg, 2);
        let left = reg.unregister(2);
        o.merge_queue(left, &reg);
    })
}

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(3);
    }
    b.check(f);
}

#[test]
fn remote_decref_races_owner_merge() {
    model(|| {
        let reg = Arc::new(Registry::new());
        reg.register(1);
        let o = Obj::new(1);
        brc::incref(&o.words, || 1); // the reference handed to thread 2
        let remote = spawn_remote_drop(&o, &reg);
        drop_ref(&o, &reg, 1);
        // The owner's eval breaker runs until the remote thread is done.
        remote.join().unwrap();
        let queued = reg.take_queue(1);
        o.merge_queue(queued, &reg);
        assert_eq!(o.frees.load(Ordering::SeqCst), 1, "freed exactly once");
    });
}

#[test]
fn immortalized_while_queued() {
    model(|| {
        let reg = Arc::new(Registry::new());
        reg.register(1);
        let o = Obj::new(1);
        brc::incref(&o.words, || 1); // the reference handed to thread 2
        let remote = spawn_remote_drop(&o, &reg);
        // The owner's plain store of the immortal mark (it alone writes `local`).
        o.words.local.store(brc::IMMORTAL, Ordering::Relaxed);
        drop_ref(&o, &reg, 1);
        remote.join().unwrap();
        let queued = reg.take_queue(1);
        o.merge_queue(queued, &reg);
        assert_eq!(
            o.frees.load(Ordering::SeqCst),
            0,
            "an immortal object is never freed"
        );
        assert_eq!(brc::count(&o.words), None, "and stays immortal");
    });
}

#[test]
fn queue_to_exiting_owner() {
    model(|| {
        let reg = Arc::new(Registry::new());
        reg.register(1);
        let o = Obj::new(1);
        brc::incref(&o.words, || 1);
        // The owner's references: one still local, one transferred to thread 2.
        let dropper = spawn_remote_drop(&o, &reg);
        // The owner drops its reference and exits, draining its queue.
        drop_ref(&o, &reg, 1);
        let left = reg.unregister(1);
        o.merge_queue(left, &reg);
        dropper.join().unwrap();
        assert_eq!(o.frees.load(Ordering::SeqCst), 1, "freed exactly once");
        assert_eq!(reg.count(), 0);
    });
}

#[test]
fn queue_to_detached_owner() {
    model(|| {
        let reg = Arc::new(Registry::new());
        reg.register(1);
        let o = Obj::new(1);
        brc::incref(&o.words, || 1);
        // The owner blocks (e.g. in join) holding one local reference.
        reg.detach(1);
        let remote = spawn_remote_drop(&o, &reg);
        // The owner wakes up and drops its own reference, racing the merge done on
        // its behalf: attaching waits for that merge to finish.
        let queued = reg.attach(1);
        o.merge_queue(queued, &reg);
        drop_ref(&o, &reg, 1);
        remote.join().unwrap();
        let queued = reg.take_queue(1);
        o.merge_queue(queued, &reg);
        assert_eq!(o.frees.load(Ordering::SeqCst), 1, "freed exactly once");
    });
}
