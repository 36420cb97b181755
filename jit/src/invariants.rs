//! Invariants: what compiled traces assume, and the one entry point per event that
//! breaks each assumption (after ZJIT's `invariants.rs`).
//!
//! The protocol (patchpoints, ordering, why no thread can run single-thread code while
//! another runs Python) is written at the top of `stitch_sync::patchpoint`.
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_sync::patchpoint::Assumption;

/// Assumptions traces can be compiled under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invariant {
    /// There is one thread running Python code. If a second thread is about to start,
    /// this is invalidated (before the new OS thread exists), and traces compiled
    /// under it leave at their next patchpoint and continue in tier 1.
    SingleThreaded,
}

static SINGLE_THREADED: LazyLock<Assumption> = LazyLock::new(Assumption::new);

/// Traces compiled under `SingleThreaded` (tracked for stats and unhooking).
static TRACKED_SINGLE_THREADED: AtomicU64 = AtomicU64::new(0);
/// Times `SingleThreaded` was invalidated (0 or 1).
static INVALIDATE_SINGLE_THREADED: AtomicU64 = AtomicU64::new(0);
/// How long the invalidation took (ns), and how many traces relied on it then.
static INVALIDATION_NS: AtomicU64 = AtomicU64::new(0);
static INVALIDATED_TRACES: AtomicU64 = AtomicU64::new(0);

fn assumption(inv: Invariant) -> &'static Assumption {
    match inv {
        Invariant::SingleThreaded => &SINGLE_THREADED,
    }
}

/// Does `inv` still hold (may a new trace be compiled under it)?
pub fn holds(inv: Invariant) -> bool {
    assumption(inv).holds()
}

/// The flag address `SingleThreaded` patchpoints check.
pub fn single_threaded_flag() -> usize {
    SINGLE_THREADED.flag_addr()
}

/// Record that a trace was installed relying on `SingleThreaded`.
pub fn track_single_threaded_assumption() {
    TRACKED_SINGLE_THREADED.fetch_add(1, Ordering::Relaxed);
}

/// The one entry point for "a thread is about to start".
pub fn invalidate_single_threaded() {
    let start = std::time::Instant::now();
    if SINGLE_THREADED.invalidate() {
        INVALIDATION_NS.store(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        INVALIDATED_TRACES.store(
            TRACKED_SINGLE_THREADED.load(Ordering::Relaxed),
            Ordering::Relaxed,
        );
        INVALIDATE_SINGLE_THREADED.fetch_add(1, Ordering::Relaxed);
    }
}

/// Hook the invalidation into the runtime's single -> multi-threaded switch.
pub fn install() {
    stitch_runtime::thread_state::on_multi_threaded(invalidate_single_threaded);
}

/// Counters for `-X stats`: (name, value).
pub fn counters() -> [(&'static str, u64); 4] {
    [
        ("invalidation_ns", INVALIDATION_NS.load(Ordering::Relaxed)),
        (
            "traces_invalidated",
            INVALIDATED_TRACES.load(Ordering::Relaxed),
        ),
        (
            "track_single_threaded",
            TRACKED_SINGLE_THREADED.load(Ordering::Relaxed),
        ),
        (
            "invalidate_single_threaded",
            INVALIDATE_SINGLE_THREADED.load(Ordering::Relaxed),
        ),
    ]
}
