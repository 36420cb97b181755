//! loom models of weak references under biased reference counting
//! (`stitch_sync::weakref`, with `stitch_sync::brc` and the thread registry's queue).
//!
//! Scenarios (at most three threads):
//! - `owner_drop_races_upgrade`: the owner drops the last strong reference while
//!   another thread upgrades the weak reference. Either the upgrade fails, or it
//!   returns an object that is not freed until the upgrader drops it; the object is
//!   freed exactly once and its weak reference is cleared before that.
//! - `remote_drop_races_upgrade`: the last strong reference belongs to a non-owner
//!   (its drop queues the object to the owner) while a third thread upgrades; the
//!   owner merges its queue afterwards.
//! - `weakref_dies_during_clear`: the object dies on one thread while its weak
//!   reference dies on another: the clear takes a reference to the weak reference
//!   only if it is still alive, each is freed exactly once, and the weak reference
//!   leaves the object's list at most once.
//!
//! Bounds: `LOOM_MAX_PREEMPTIONS` (scripts/test sets 3).
#![cfg(stitch_loom)]

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use loom::thread;
use stitch_sync::brc::{self, Next};
use stitch_sync::threads::{Queued, Registry};
use stitch_sync::weakref::{self, WeakLists};

/// A weak reference: its own counting words and its slot.
struct Wr {
    words: brc::Words,
    slot: stitch_sync::shim::AtomicUsize,
    frees: AtomicUsize,
}

/// The referent, its one weak reference, and what happened to them.
struct World {
    obj: brc::Words,
    wr: Wr,
    lists: WeakLists,
    reg: Registry,
    obj_frees: AtomicUsize,
    obj_freed: AtomicBool,
    /// Weak references the object's clear found alive (took a reference to).
    live_at_clear: AtomicUsize,
}

const OBJ: usize = 0x1000;
const WR: usize = 0x2000;

impl World {
    /// An object owned by thread 1 with one reference, and a weak reference to it
    /// owned by `wr_owner` with one reference, registered.
    fn new(wr_owner: u64) -> Arc<World> {
        let w = Arc::new(World {
            obj: brc::Words::new(1),
            wr: Wr {
                words: brc::Words::new(wr_owner),
                slot: stitch_sync::shim::AtomicUsize::new(0),
                frees: AtomicUsize::new(0),
            },
            lists: WeakLists::new(),
            reg: Registry::new(),
            obj_frees: AtomicUsize::new(0),
            obj_freed: AtomicBool::new(false),
            live_at_clear: AtomicUsize::new(0),
        });
        let none = weakref::register(&w.lists, OBJ, &w.obj, WR, &w.wr.words, &w.wr.slot, |l| {
            Ok::<usize, ()>(l.len())
        });
        assert!(none.is_none());
        w
    }

    /// What the counting rules say after a decrement of the object or the weakref.
    fn act(&self, which: usize, next: Next, me: u64) {
        let words = if which == OBJ {
            &self.obj
        } else {
            &self.wr.words
        };
        match next {
            Next::Nothing => {}
            Next::Free => self.free(which, me),
            Next::Queue => {
                let owner = words.tid.load(Ordering::Relaxed);
                match self.reg.queue(owner, which) {
                    Queued::ToOwner => {}
                    Queued::MergeForDetached => {
                        self.act(which, brc::merge(words), me);
                        self.reg.unpin(owner);
                    }
                    Queued::MergeOrphan => self.act(which, brc::merge(words), me),
                }
            }
        }
    }

    fn free(&self, which: usize, me: u64) {
        if which == OBJ {
            let mut found = Vec::new();
            weakref::clear(
                &self.lists,
                OBJ,
                |_| &self.wr.slot,
                |w| {
                    assert_eq!(w, WR);
                    if weakref::try_incref(&self.wr.words, || me) {
                        found.push(w);
                    }
                },
            );
            assert_eq!(
                self.wr.slot.load(Ordering::SeqCst),
                0,
                "cleared before freed"
            );
            assert!(!self.obj_freed.swap(true, Ordering::SeqCst), "freed twice");
            self.obj_frees.fetch_add(1, Ordering::SeqCst);
            // The callbacks would run here; then the references are dropped.
            for w in found {
                self.live_at_clear.fetch_add(1, Ordering::SeqCst);
                self.drop_ref(w, me);
            }
        } else {
            weakref::forget(&self.lists, WR, &self.wr.slot);
            self.wr.frees.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn drop_ref(&self, which: usize, me: u64) {
        let words = if which == OBJ {
            &self.obj
        } else {
            &self.wr.words
        };
        let next = brc::decref(words, || me);
        self.act(which, next, me);
    }

    /// Upgrade the weak reference on thread `me`; a strong reference on success.
    fn upgrade(&self, me: u64) -> bool {
        let got = weakref::upgrade(&self.lists, &self.wr.slot, || me, |_| &self.obj);
        match got {
            Some(o) => {
                assert_eq!(o, OBJ);
                assert!(
                    !self.obj_freed.load(Ordering::SeqCst),
                    "upgrade of a freed object"
                );
                true
            }
            None => false,
        }
    }

    /// Thread `me` merges what was queued to it.
    fn merge_queue(&self, queued: Vec<usize>, me: u64) {
        for which in queued {
            let words = if which == OBJ {
                &self.obj
            } else {
                &self.wr.words
            };
            self.act(which, brc::merge(words), me);
        }
    }
}

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(3);
    }
    b.check(f);
}

#[test]
fn owner_drop_races_upgrade() {
    model(|| {
        let w = World::new(1);
        w.reg.register(1);
        let w2 = w.clone();
        let upgrader = thread::spawn(move || {
            w2.reg.register(2);
            if w2.upgrade(2) {
                assert!(!w2.obj_freed.load(Ordering::SeqCst));
                w2.drop_ref(OBJ, 2);
            }
            let left = w2.reg.unregister(2);
            w2.merge_queue(left, 2);
        });
        w.drop_ref(OBJ, 1);
        upgrader.join().unwrap();
        let queued = w.reg.take_queue(1);
        w.merge_queue(queued, 1);
        assert_eq!(w.obj_frees.load(Ordering::SeqCst), 1, "freed exactly once");
        assert_eq!(w.wr.slot.load(Ordering::SeqCst), 0);
        // A dead object's weak reference stays dead.
        assert!(!w.upgrade(1));
    });
}

#[test]
fn remote_drop_races_upgrade() {
    model(|| {
        let w = World::new(1);
        w.reg.register(1);
        // The owner's reference goes to thread 2; thread 3 only has the weak one.
        let w2 = w.clone();
        let dropper = thread::spawn(move || {
            w2.reg.register(2);
            w2.drop_ref(OBJ, 2);
            let left = w2.reg.unregister(2);
            w2.merge_queue(left, 2);
        });
        let w3 = w.clone();
        let upgrader = thread::spawn(move || {
            w3.reg.register(3);
            if w3.upgrade(3) {
                w3.drop_ref(OBJ, 3);
            }
            let left = w3.reg.unregister(3);
            w3.merge_queue(left, 3);
        });
        dropper.join().unwrap();
        upgrader.join().unwrap();
        // The owner's eval breaker.
        let queued = w.reg.take_queue(1);
        w.merge_queue(queued, 1);
        assert_eq!(w.obj_frees.load(Ordering::SeqCst), 1, "freed exactly once");
    });
}

#[test]
fn weakref_dies_during_clear() {
    model(|| {
        // The weak reference belongs to thread 2, the object to thread 1.
        let w = World::new(2);
        w.reg.register(1);
        let w2 = w.clone();
        let other = thread::spawn(move || {
            w2.reg.register(2);
            w2.drop_ref(WR, 2);
            let left = w2.reg.unregister(2);
            w2.merge_queue(left, 2);
        });
        w.drop_ref(OBJ, 1);
        other.join().unwrap();
        let queued = w.reg.take_queue(1);
        w.merge_queue(queued, 1);
        assert_eq!(w.obj_frees.load(Ordering::SeqCst), 1, "object freed once");
        assert_eq!(w.wr.frees.load(Ordering::SeqCst), 1, "weakref freed once");
        assert!(w.live_at_clear.load(Ordering::SeqCst) <= 1);
    });
}
