//! The thread registry: which threads run Python code, whether each is *attached*
//! (may touch Python objects) or *detached* (blocked in a lock, join, sleep or queue
//! wait, touching nothing), the per-thread biased-reference-counting (BRC) merge
//! queues, and stop-the-world.
//!
//! # The protocol
//!
//! One mutex guards the registry; every state change below happens under it, and a
//! condition variable wakes waiters. Nothing here runs Python code or frees objects
//! while holding the mutex: merges and frees are done by the caller afterwards.
//!
//! - **Attach / detach.** A thread registers attached. Around a blocking wait it
//!   detaches (its objects' owner-side counts are then frozen) and re-attaches after.
//!   Attaching waits while a stop-the-world is active or while another thread is
//!   merging on this thread's behalf (`pins`).
//! - **Eval breaker.** Each thread has an atomic word of request bits that its
//!   interpreter polls at loop back edges and calls (one relaxed load). Requests:
//!   `BREAK_MERGE` (objects are queued for it), `BREAK_STOP` (a stop-the-world wants
//!   it parked).
//! - **BRC queue** (after CPython's `Python/brc.c`). A non-owner whose decrement drives
//!   an object's shared count negative marks the object queued and calls [`Registry::
//!   queue`]: if the owner is attached, the object goes on the owner's queue and the
//!   owner's `BREAK_MERGE` bit is set; the owner merges at its next breaker check. If
//!   the owner is detached, the owner is pinned detached and the caller merges on its
//!   behalf, then unpins. If the owner has left the registry (exited), the caller
//!   merges itself: the owner's count can no longer change. A leaving thread takes its
//!   queue in the same critical section that removes it, so no object is queued to a
//!   thread that will never merge it. Thread ids are never reused.
//! - **Leaving.** A thread leaves with [`Registry::leave`]: it merges its queue while
//!   still attached (so a stop-the-world waits for those merges) and is removed once
//!   its queue is found empty.
//! - **Fork.** `os.fork` runs inside a stop-the-world; in the child the requester
//!   removes every other thread ([`Registry::after_fork`]): they do not exist there.
//! - **Stop-the-world.** One requester at a time: it sets `stw_active`, sets
//!   `BREAK_STOP` on every attached thread and waits until it is the only attached
//!   thread; detached threads cannot re-attach while `stw_active`. Parked threads wait
//!   until the requester clears `stw_active`.
//!
//! `loom-tests/tests/thread_registry.rs` runs this code (through the sync shim) with
//! an attached and a detached thread against stop-the-world, and a queue to an owner
//! that is leaving at the same moment.
use std::collections::HashMap;
use std::sync::Arc;

use crate::shim::{AtomicU32, Condvar, Mutex, MutexGuard, Ordering, lock};

/// Breaker bit: objects are queued for this thread to merge.
pub const BREAK_MERGE: u32 = 1;
/// Breaker bit: a stop-the-world wants this thread parked.
pub const BREAK_STOP: u32 = 2;
/// Breaker bit (4, `BREAK_SIGNAL`, is the runtime's signal bit): `-X chaos` picked this
/// thread for a chaotic action (`stitch_runtime::chaos`).
pub const BREAK_CHAOS: u32 = 8;

struct Entry {
    breaker: Arc<AtomicU32>,
    detached: bool,
    /// Threads merging on this thread's behalf while it is detached.
    pins: u32,
    queue: Vec<usize>,
}

struct Inner {
    threads: HashMap<u64, Entry>,
    attached: usize,
    stw_active: bool,
}

/// Breaker words are only written under the registry mutex here, so a load and a
/// store suffice (no read-modify-write); the owning thread reads them with a relaxed
/// load. (The runtime's signal handler sets the main thread's signal bit outside the
/// mutex: a signal arriving exactly between this load and store can lose that bit;
/// the signal stays pending and is seen at the next check that finds another bit, or
/// after EINTR. A read-modify-write here trips an internal assertion of loom 0.7's
/// model of mixed stores and read-modify-writes in `collector_merge.rs`: to revisit.)
fn set_bits(b: &AtomicU32, bits: u32) {
    let v = b.load(Ordering::Relaxed);
    if v | bits != v {
        b.store(v | bits, Ordering::Release);
    }
}

fn clear_bits(b: &AtomicU32, bits: u32) {
    let v = b.load(Ordering::Relaxed);
    if v & !bits != v {
        b.store(v & !bits, Ordering::Release);
    }
}

/// What [`Registry::queue`] decided; the caller acts on it outside the lock.
#[derive(Debug, PartialEq, Eq)]
pub enum Queued {
    /// On the owner's queue; the owner will merge it.
    ToOwner,
    /// The owner is detached and pinned: merge now, then call [`Registry::unpin`].
    MergeForDetached,
    /// The owner has exited: merge now.
    MergeOrphan,
}

pub struct Registry {
    inner: Mutex<Inner>,
    cond: Condvar,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

impl Registry {
    pub fn new() -> Registry {
        Registry {
            inner: Mutex::new(Inner {
                threads: HashMap::new(),
                attached: 0,
                stw_active: false,
            }),
            cond: Condvar::new(),
        }
    }

    fn wait<'a>(&self, g: MutexGuard<'a, Inner>) -> MutexGuard<'a, Inner> {
        match self.cond.wait(g) {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// Register thread `tid`, attached (waits out a stop-the-world). Returns its
    /// breaker word.
    pub fn register(&self, tid: u64) -> Arc<AtomicU32> {
        let mut g = lock(&self.inner);
        while g.stw_active {
            g = self.wait(g);
        }
        let breaker = Arc::new(AtomicU32::new(0));
        g.threads.insert(
            tid,
            Entry {
                breaker: breaker.clone(),
                detached: false,
                pins: 0,
                queue: Vec::new(),
            },
        );
        g.attached += 1;
        breaker
    }

    /// Remove attached thread `tid`; returns the objects still queued for it (the
    /// caller merges them: nobody else can queue to it any more).
    pub fn unregister(&self, tid: u64) -> Vec<usize> {
        let mut g = lock(&self.inner);
        let e = g.threads.remove(&tid);
        g.attached -= 1;
        self.cond.notify_all();
        e.map(|e| e.queue).unwrap_or_default()
    }

    /// Attached thread `tid` leaves, merging (with `merge`) what is queued for it
    /// while it is still registered and attached, until its queue is empty; then it
    /// is removed, in the same critical section that finds the queue empty. Unlike
    /// [`Registry::unregister`] followed by a merge, no merge of the leaving thread
    /// can overlap a stop-the-world (which waits for attached threads): the cycle
    /// collector relies on every count being settled while the world is stopped.
    pub fn leave(&self, tid: u64, mut merge: impl FnMut(Vec<usize>)) {
        loop {
            let queued = {
                let mut g = lock(&self.inner);
                let Some(e) = g.threads.get_mut(&tid) else {
                    return;
                };
                let q = std::mem::take(&mut e.queue);
                if q.is_empty() {
                    g.threads.remove(&tid);
                    g.attached -= 1;
                    self.cond.notify_all();
                    return;
                }
                q
            };
            merge(queued);
        }
    }

    /// Thread `tid` is about to block: it touches no Python object until `attach`.
    pub fn detach(&self, tid: u64) {
        let mut g = lock(&self.inner);
        if let Some(e) = g.threads.get_mut(&tid) {
            e.detached = true;
        }
        g.attached -= 1;
        self.cond.notify_all();
    }

    /// Thread `tid` is back from blocking. Waits while the world is stopped or while
    /// another thread merges on its behalf; returns objects queued for it to merge.
    pub fn attach(&self, tid: u64) -> Vec<usize> {
        let mut g = lock(&self.inner);
        loop {
            let pinned = g.threads.get(&tid).is_some_and(|e| e.pins > 0);
            if !g.stw_active && !pinned {
                break;
            }
            g = self.wait(g);
        }
        g.attached += 1;
        match g.threads.get_mut(&tid) {
            Some(e) => {
                e.detached = false;
                clear_bits(&e.breaker, BREAK_MERGE);
                std::mem::take(&mut e.queue)
            }
            None => Vec::new(),
        }
    }

    /// Objects queued for `tid` (its `BREAK_MERGE` is cleared).
    pub fn take_queue(&self, tid: u64) -> Vec<usize> {
        let mut g = lock(&self.inner);
        match g.threads.get_mut(&tid) {
            Some(e) => {
                clear_bits(&e.breaker, BREAK_MERGE);
                std::mem::take(&mut e.queue)
            }
            None => Vec::new(),
        }
    }

    /// Every thread's queued objects (their `BREAK_MERGE` bits cleared), for a
    /// stop-the-world requester (the cycle collector) to merge on their behalf: with
    /// every other thread parked or detached and unable to re-attach, no owner's local
    /// count can change meanwhile.
    pub fn take_all_queues(&self) -> Vec<usize> {
        let mut g = lock(&self.inner);
        let mut all = Vec::new();
        for e in g.threads.values_mut() {
            clear_bits(&e.breaker, BREAK_MERGE);
            all.append(&mut e.queue);
        }
        all
    }

    /// Queue `obj` (already marked queued) to its owner `owner`.
    pub fn queue(&self, owner: u64, obj: usize) -> Queued {
        let mut g = lock(&self.inner);
        match g.threads.get_mut(&owner) {
            None => Queued::MergeOrphan,
            Some(e) if e.detached => {
                e.pins += 1;
                Queued::MergeForDetached
            }
            Some(e) => {
                e.queue.push(obj);
                set_bits(&e.breaker, BREAK_MERGE);
                Queued::ToOwner
            }
        }
    }

    /// End a merge done on behalf of detached `owner` (after `MergeForDetached`).
    pub fn unpin(&self, owner: u64) {
        let mut g = lock(&self.inner);
        if let Some(e) = g.threads.get_mut(&owner) {
            e.pins -= 1;
        }
        self.cond.notify_all();
    }

    /// Number of registered threads.
    pub fn count(&self) -> usize {
        lock(&self.inner).threads.len()
    }

    /// Run `f` while every other registered thread is parked or detached. The caller
    /// (`me`) must be attached.
    pub fn stop_the_world<R>(&self, me: u64, f: impl FnOnce() -> R) -> R {
        let mut g = lock(&self.inner);
        while g.stw_active {
            // Another requester first: let it run, parked like everybody else.
            g.attached -= 1;
            self.cond.notify_all();
            while g.stw_active {
                g = self.wait(g);
            }
            g.attached += 1;
        }
        g.stw_active = true;
        let mut asked = Vec::new();
        for (&tid, e) in g.threads.iter() {
            if tid != me && !e.detached {
                set_bits(&e.breaker, BREAK_STOP);
                asked.push(e.breaker.clone());
            }
        }
        while g.attached > 1 {
            g = self.wait(g);
        }
        drop(g);
        let r = f();
        let mut g = lock(&self.inner);
        g.stw_active = false;
        for b in asked {
            clear_bits(&b, BREAK_STOP);
        }
        self.cond.notify_all();
        r
    }

    /// Set `bits` in the breaker of one attached thread, the `pick`-th (modulo their
    /// number, in thread-id order); false if none is attached.
    pub fn poke(&self, pick: u64, bits: u32) -> bool {
        let g = lock(&self.inner);
        let mut ids: Vec<u64> = g
            .threads
            .iter()
            .filter(|(_, e)| !e.detached)
            .map(|(&t, _)| t)
            .collect();
        if ids.is_empty() {
            return false;
        }
        ids.sort_unstable();
        let tid = ids[(pick % ids.len() as u64) as usize];
        if let Some(e) = g.threads.get(&tid) {
            set_bits(&e.breaker, bits);
        }
        true
    }

    /// In the child of a `fork` made while the world was stopped by `me`: only `me`
    /// exists there. The other threads are removed (so what is queued to them later
    /// is merged as for exited owners); returns what was queued for them, for `me`
    /// to merge.
    pub fn after_fork(&self, me: u64) -> Vec<usize> {
        let mut g = lock(&self.inner);
        let mut orphaned = Vec::new();
        g.threads.retain(|&tid, e| {
            if tid == me {
                return true;
            }
            orphaned.append(&mut e.queue);
            false
        });
        g.attached = 1;
        orphaned
    }

    /// Breaker handler for `BREAK_STOP`: park until the stop-the-world is over.
    pub fn park(&self, tid: u64) -> Vec<usize> {
        self.detach(tid);
        self.attach(tid)
    }
}
