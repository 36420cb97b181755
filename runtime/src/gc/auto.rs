//! When collections run by themselves: allocation counting, thresholds, the switch.
//!
//! Each thread counts tracked allocations minus frees in a plain thread-local and adds
//! the count to the global one every [`BATCH`] changes, so the hot path is one
//! thread-local add and compare. Crossing the threshold sets a request that the
//! thread's next safe point (`builtins::generators::run_pending`) turns into a
//! collection, since a collection runs Python code (finalizers, callbacks) and an
//! allocation can happen where none may run.
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, Ordering};

/// Changes a thread counts before adding them to the global count.
const BATCH: i32 = 64;

thread_local! {
    static DELTA: Cell<i32> = const { Cell::new(0) };
    static REQUESTED: Cell<bool> = const { Cell::new(false) };
    /// The request is `-X chaos`'s: collect whatever the thresholds say.
    static FORCED: Cell<bool> = const { Cell::new(false) };
}

/// Collect at this thread's next safe point, whatever the thresholds (`-X chaos`).
pub fn request_now() {
    let _ = REQUESTED.try_with(|r| r.set(true));
    let _ = FORCED.try_with(|r| r.set(true));
    crate::builtins::generators::note_pending();
}

/// Tracked allocations minus frees since the last collection (CPython's generation-0
/// count; never shown below zero).
pub(crate) static COUNT: AtomicI64 = AtomicI64::new(0);
/// Tracked objects that survived the last collection.
pub(crate) static SURVIVORS: AtomicI64 = AtomicI64::new(0);
pub(crate) static ENABLED: AtomicBool = AtomicBool::new(true);
/// `set_threshold` values (CPython's defaults); only the first drives collections.
pub(crate) static THRESHOLDS: [AtomicU32; 3] =
    [AtomicU32::new(700), AtomicU32::new(10), AtomicU32::new(10)];

/// A tracked object was allocated.
#[inline(always)]
pub fn note_alloc() {
    let _ = DELTA.try_with(|d| {
        let n = d.get() + 1;
        if n >= BATCH {
            d.set(0);
            flush(n);
        } else {
            d.set(n);
        }
    });
}

/// A tracked object was freed.
#[inline(always)]
pub fn note_free() {
    let _ = DELTA.try_with(|d| {
        let n = d.get() - 1;
        if n <= -BATCH {
            d.set(0);
            flush(n);
        } else {
            d.set(n);
        }
    });
}

#[cold]
fn flush(n: i32) {
    let count = COUNT.fetch_add(n as i64, Ordering::Relaxed) + n as i64;
    if n > 0 && due(count) {
        let _ = REQUESTED.try_with(|r| r.set(true));
        crate::builtins::generators::note_pending();
    }
}

/// `STITCH_GC_STRESS=1`: collect at every safe point after 64 tracked allocations,
/// whatever the thresholds (a test mode: every program then runs many collections).
static STRESS: std::sync::LazyLock<bool> =
    std::sync::LazyLock::new(|| crate::options::Env::GcStress.is("1"));

/// Should a collection run now that `count` allocations are outstanding?
fn due(count: i64) -> bool {
    if *STRESS {
        return ENABLED.load(Ordering::Relaxed) && !super::collect::running();
    }
    let t0 = THRESHOLDS[0].load(Ordering::Relaxed) as i64;
    t0 > 0
        && ENABLED.load(Ordering::Relaxed)
        && count > t0
        && count > SURVIVORS.load(Ordering::Relaxed) / 4
        && !super::collect::running()
}

/// The current count including this thread's unflushed part.
pub(crate) fn count() -> i64 {
    let mine = DELTA.try_with(|d| d.get()).unwrap_or(0) as i64;
    (COUNT.load(Ordering::Relaxed) + mine).max(0)
}

/// A collection just finished: start counting again.
pub(crate) fn reset(survivors: usize) {
    let _ = DELTA.try_with(|d| d.set(0));
    COUNT.store(0, Ordering::Relaxed);
    SURVIVORS.store(survivors as i64, Ordering::Relaxed);
}

/// At a safe point: run the collection this thread asked for, if any.
pub fn run_if_requested(vm: &mut crate::vm::Vm) {
    let forced = FORCED.try_with(|r| r.replace(false)).unwrap_or(false);
    if REQUESTED.try_with(|r| r.replace(false)).unwrap_or(false)
        && ((forced && ENABLED.load(Ordering::Relaxed) && !super::collect::running())
            || due(count()))
    {
        super::collect::collect(vm, super::collect::Reason::Automatic);
    }
}
