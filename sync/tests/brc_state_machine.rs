//! proptest state machine: `stitch_sync::brc` (with the real registry's queue) against
//! a reference model that just counts references per thread.
//!
//! Operations: the owner or another thread takes or drops a reference, a reference
//! moves from one thread to another (a list append in one thread, a pop in another),
//! the owner merges its queue (an eval-breaker check), blocks (detaches) or wakes, or
//! exits. After every step the object's true count equals the model's, and the object
//! is freed exactly when the model's count reaches zero (once queued merges ran).
//! Bounds: 256 cases of up to 60 steps; well under a second.
use proptest::prelude::*;
use stitch_sync::brc::{self, Next, Words};
use stitch_sync::threads::{Queued, Registry};

#[derive(Debug, Clone)]
enum Op {
    Take(usize),
    Drop(usize),
    Move(usize, usize),
    OwnerMerge,
    OwnerBlock,
    OwnerWake,
    OwnerExit,
}

const THREADS: usize = 3; // thread 0 (tid 1) is the owner

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..THREADS).prop_map(Op::Take),
        3 => (0..THREADS).prop_map(Op::Drop),
        2 => (0..THREADS, 0..THREADS).prop_map(|(a, b)| Op::Move(a, b)),
        1 => Just(Op::OwnerMerge),
        1 => Just(Op::OwnerBlock),
        1 => Just(Op::OwnerWake),
        1 => Just(Op::OwnerExit),
    ]
}

struct World {
    obj: Words,
    reg: Registry,
    frees: u32,
    owner_alive: bool,
    owner_detached: bool,
}

impl World {
    fn act(&mut self, next: Next) {
        match next {
            Next::Nothing => {}
            Next::Free => self.frees += 1,
            Next::Queue => {
                let owner = self.obj.tid.load(std::sync::atomic::Ordering::Relaxed);
                match self.reg.queue(owner, 1) {
                    Queued::ToOwner => {}
                    Queued::MergeForDetached => {
                        let n = brc::merge(&self.obj);
                        self.act(n);
                        self.reg.unpin(owner);
                    }
                    Queued::MergeOrphan => {
                        let n = brc::merge(&self.obj);
                        self.act(n);
                    }
                }
            }
        }
    }

    fn merge_queue(&mut self, q: Vec<usize>) {
        for _ in q {
            let n = brc::merge(&self.obj);
            self.act(n);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn brc_matches_reference_counts(ops in prop::collection::vec(op(), 1..60)) {
        let mut w = World {
            obj: Words::new(1),
            reg: Registry::new(),
            frees: 0,
            owner_alive: true,
            owner_detached: false,
        };
        for t in 0..THREADS {
            w.reg.register(t as u64 + 1);
        }
        // References held by each thread (the owner starts with one).
        let mut held = [1u32, 0, 0];
        for op in ops {
            let total: u32 = held.iter().sum();
            if total == 0 {
                break;
            }
            let owner_can_run = w.owner_alive && !w.owner_detached;
            let runs = |t: usize| t != 0 || owner_can_run;
            match op {
                Op::Take(t) if runs(t) && held[t] > 0 => {
                    brc::incref(&w.obj, || t as u64 + 1);
                    held[t] += 1;
                }
                Op::Drop(t) if runs(t) && held[t] > 0 => {
                    held[t] -= 1;
                    let n = brc::decref(&w.obj, || t as u64 + 1);
                    w.act(n);
                }
                Op::Move(a, b) if runs(a) && runs(b) && held[a] > 0 => {
                    held[a] -= 1;
                    held[b] += 1;
                }
                Op::OwnerMerge if owner_can_run => {
                    let q = w.reg.take_queue(1);
                    w.merge_queue(q);
                }
                Op::OwnerBlock if owner_can_run => {
                    w.reg.detach(1);
                    w.owner_detached = true;
                }
                Op::OwnerWake if w.owner_alive && w.owner_detached => {
                    let q = w.reg.attach(1);
                    w.owner_detached = false;
                    w.merge_queue(q);
                }
                Op::OwnerExit if owner_can_run && held[0] == 0 => {
                    let q = w.reg.unregister(1);
                    w.owner_alive = false;
                    w.merge_queue(q);
                }
                _ => continue,
            }
            let total: u32 = held.iter().sum();
            prop_assert!(w.frees <= 1, "freed twice");
            if w.frees == 1 {
                prop_assert_eq!(total, 0, "freed while referenced");
            } else {
                prop_assert_eq!(brc::count(&w.obj), Some(total as i64));
            }
        }
        // Settle: whoever is left merges (the owner at its next breaker check).
        if w.owner_alive {
            if w.owner_detached {
                let q = w.reg.attach(1);
                w.merge_queue(q);
            }
            let q = w.reg.take_queue(1);
            w.merge_queue(q);
        }
        let total: u32 = held.iter().sum();
        if total == 0 {
            prop_assert_eq!(w.frees, 1, "not freed at count zero");
        } else {
            prop_assert_eq!(w.frees, 0);
        }
    }
}
