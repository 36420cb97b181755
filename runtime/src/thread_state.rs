//! This thread among the others: thread ids, registration in the thread registry
//! (`stitch_sync::threads`, whose file states the protocol), the eval breaker, blocking
//! regions (detached), the slow paths of biased reference counting, and the one place
//! where the program goes from one thread to several.
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use stitch_sync::shim::AtomicU32;
use stitch_sync::threads::{BREAK_MERGE, BREAK_STOP, Queued, Registry};

use crate::object::{MULTI_THREADED, ObjHeader, current_tid, merge_queued, set_current_tid};

/// Every thread that runs Python code.
pub static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::new);

/// Thread ids handed out so far (the main thread is 1; ids are never reused).
static NEXT_TID: AtomicU64 = AtomicU64::new(2);

thread_local! {
    /// This thread's eval-breaker word, while it is registered.
    static BREAKER: RefCell<Option<Arc<AtomicU32>>> = const { RefCell::new(None) };
}

/// Called once when the program is about to start its second thread (before the OS
/// thread exists): the hook list is where tier 2 invalidates single-thread code.
static SWITCH_HOOKS: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// Register a function to run when the program goes from one thread to several.
pub fn on_multi_threaded(f: fn()) {
    SWITCH_HOOKS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(f);
}

pub fn is_multi_threaded() -> bool {
    MULTI_THREADED.load(Ordering::Relaxed)
}

/// The current thread's eval-breaker word, while it is registered (tier 2 keeps a
/// reference in each loop trace it compiles on this thread, whose `CHECK_BREAKER`
/// loads it every iteration).
pub fn current_breaker() -> Option<Arc<AtomicU32>> {
    BREAKER.with(|b| b.borrow().clone())
}

/// A thread is about to start: the one switch from single- to multi-threaded mode.
/// Containers lock from now on; the hooks run (once) before the new thread exists.
pub fn about_to_start_thread() {
    if !MULTI_THREADED.swap(true, Ordering::SeqCst) {
        crate::shared_immortal::on_multi_threaded();
        let hooks = SWITCH_HOOKS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for h in hooks {
            h();
        }
    }
}

/// A fresh id for a thread about to be started.
pub fn new_thread_id() -> u64 {
    NEXT_TID.fetch_add(1, Ordering::Relaxed)
}

/// Register the current OS thread as Python thread `tid`, attached. Idempotent for
/// the main thread (several VMs may be created on it in tests).
pub fn register_current(tid: u64) -> Arc<AtomicU32> {
    if let Some(b) = BREAKER.with(|b| b.borrow().clone())
        && current_tid() == tid
    {
        return b;
    }
    set_current_tid(tid);
    let b = REGISTRY.register(tid);
    BREAKER.with(|slot| *slot.borrow_mut() = Some(b.clone()));
    b
}

/// The current thread leaves: merge what is queued for it, still attached (so a
/// stop-the-world, such as the cycle collector's, never overlaps those merges);
/// nothing can be queued to it after this.
pub fn unregister_current() {
    let tid = current_tid();
    BREAKER.with(|slot| *slot.borrow_mut() = None);
    REGISTRY.leave(tid, merge_all);
}

/// `unregister_current` for a thread that called `finishing`.
pub fn unregister_finished() {
    unregister_current();
    FINISHING.fetch_sub(1, Ordering::SeqCst);
}

fn merge_all(objs: Vec<usize>) {
    for o in objs {
        // SAFETY: queued objects stay allocated until merged (see object.rs).
        unsafe { merge_queued(o as *mut ObjHeader) };
    }
}

/// Eval-breaker work requested of this thread (called when its breaker word is not 0).
#[cold]
pub fn handle_breaker(bits: u32) {
    let tid = current_tid();
    if bits & BREAK_STOP != 0 {
        merge_all(REGISTRY.park(tid));
    }
    if bits & BREAK_MERGE != 0 {
        merge_all(REGISTRY.take_queue(tid));
    }
    if bits & stitch_sync::threads::BREAK_CHAOS != 0 {
        crate::chaos::at_safe_point();
    }
    if bits & crate::trace::BREAK_TRACE != 0 {
        // One-shot: it made a running tier-2 trace leave (`trace::kick_traces`).
        if let Some(b) = current_breaker() {
            b.fetch_and(
                !crate::trace::BREAK_TRACE,
                stitch_sync::shim::Ordering::SeqCst,
            );
        }
    }
}

/// Threads that have finished running Python code and are releasing what they held
/// before leaving the registry.
static FINISHING: AtomicU64 = AtomicU64::new(0);

/// The current thread has run its last Python code (it only drops references and
/// unregisters from here on).
pub fn finishing() {
    FINISHING.fetch_add(1, Ordering::SeqCst);
}

/// Number of other threads that still run (or may run) Python code: waits for
/// threads that are only finishing up, so the answer does not depend on timing.
pub fn other_threads_running() -> usize {
    // A joined thread has released its join lock from Python code but may not have
    // reached `finishing` yet: give such threads a moment (daemon threads that keep
    // running cost at most this wait at exit).
    for _ in 0..100 {
        if FINISHING.load(Ordering::SeqCst) == 0 && REGISTRY.count() <= 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    while FINISHING.load(Ordering::SeqCst) > 0 {
        std::thread::yield_now();
    }
    // What the finished threads released may have been queued to this thread.
    merge_pending();
    REGISTRY.count().saturating_sub(1)
}

/// Merge whatever is queued for the current thread now (at the end of the program,
/// after the last breaker check).
pub fn merge_pending() {
    merge_all(REGISTRY.take_queue(current_tid()));
}

/// Run `f` (a blocking wait that touches no Python object) detached, so that
/// stop-the-world and BRC merges need not wait for it.
pub fn blocking<R>(f: impl FnOnce() -> R) -> R {
    if !is_multi_threaded() {
        return f();
    }
    let tid = current_tid();
    REGISTRY.detach(tid);
    let r = f();
    merge_all(REGISTRY.attach(tid));
    r
}

/// With the world stopped: merge every thread's queued objects (their owners are
/// parked or detached, so their local counts cannot change), so that each object's
/// two counts add up to its true count and none awaits a merge that may free it.
pub fn merge_all_queues() {
    merge_all(REGISTRY.take_all_queues());
}

/// Is the current thread registered (attached or detached) as a Python thread?
pub fn is_registered() -> bool {
    BREAKER.try_with(|b| b.borrow().is_some()).unwrap_or(false)
}

/// Run `f` while every other Python thread is parked or blocked. A program that never
/// started a second thread has no one to stop: `f` just runs.
pub fn stop_the_world<R>(f: impl FnOnce() -> R) -> R {
    if is_multi_threaded() {
        REGISTRY.stop_the_world(current_tid(), f)
    } else {
        f()
    }
}

/// A non-owner drove `h`'s shared count negative and marked it queued: hand it to
/// its owner, or merge it here for a detached or exited owner.
///
/// # Safety
/// `h` is a live object just marked queued by the caller.
#[cold]
pub unsafe fn queue_to_owner(h: *mut ObjHeader) {
    // SAFETY: `h` is live (queued objects are not freed until merged).
    let owner = unsafe { (*h).ob_tid.load(Ordering::Relaxed) };
    match REGISTRY.queue(owner, h as usize) {
        Queued::ToOwner => {}
        Queued::MergeForDetached => {
            // SAFETY: the owner is pinned detached: its local count cannot change.
            unsafe { merge_queued(h) };
            REGISTRY.unpin(owner);
        }
        // SAFETY: the owner has exited: its local count cannot change.
        Queued::MergeOrphan => unsafe { merge_queued(h) },
    }
}

/// In the child of a `fork` made inside `stop_the_world` (still stopped): the calling
/// thread is the only one left. The others leave the registry (objects queued to
/// them are merged here; later ones as for exited owners) and none is finishing.
pub fn after_fork_child() {
    merge_all(REGISTRY.after_fork(current_tid()));
    crate::traceback::dump::after_fork_child();
    FINISHING.store(0, Ordering::SeqCst);
}
