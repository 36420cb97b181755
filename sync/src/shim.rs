//! Atomics and locks for protocol code: `std`'s normally, loom's under
//! `--cfg stitch_loom` (after tokio's `src/loom` and crossbeam's `primitive`).
//!
//! The two sets have the same API for everything protocol code uses. Code outside a
//! protocol (plain statistics counters, for example) may use `std` directly.

#[cfg(not(stitch_loom))]
pub use std::sync::atomic::{
    AtomicBool, AtomicI64, AtomicPtr, AtomicU8, AtomicU16, AtomicU32, AtomicU64, AtomicUsize,
    Ordering,
};
#[cfg(not(stitch_loom))]
pub use std::sync::{Arc, Condvar, Mutex, MutexGuard};

#[cfg(stitch_loom)]
pub use loom::sync::atomic::{
    AtomicBool, AtomicI64, AtomicPtr, AtomicU8, AtomicU16, AtomicU32, AtomicU64, AtomicUsize,
    Ordering,
};
#[cfg(stitch_loom)]
pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

// A busy-wait hint (a `pause`) and giving up the time slice, for waiting loops: loom's
// under loom, where a waiting loop must yield for the model checker to run the holder.
#[cfg(stitch_loom)]
pub use loom::hint::spin_loop;
#[cfg(stitch_loom)]
pub use loom::thread::yield_now;
#[cfg(not(stitch_loom))]
pub use std::hint::spin_loop;
#[cfg(not(stitch_loom))]
pub use std::thread::yield_now;

/// Sleep a few microseconds (a waiter that has spun and yielded long enough); a yield
/// under loom, which has no time.
#[cfg(not(stitch_loom))]
pub fn nap() {
    std::thread::sleep(std::time::Duration::from_micros(20));
}
#[cfg(stitch_loom)]
pub fn nap() {
    loom::thread::yield_now();
}

/// Lock a mutex, ignoring poisoning: protocol state guarded by these locks is
/// updated with single stores, so a panicking holder cannot leave it half-written.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}
