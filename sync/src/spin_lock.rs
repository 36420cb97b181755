//! The one-byte lock of every object payload cell (`ObjCell` in the runtime), once a
//! program runs threads.
//!
//! # Why a spin lock
//!
//! The critical sections it guards are a few dozen instructions that never block and
//! never run Python code (a dict probe, a list store, an instance attribute read):
//! `ObjCell::with` hands the closure no access to the VM. Before, the lock was
//! `parking_lot`'s `RawMutex`, whose unlock is a compare-and-swap (it must notice parked
//! waiters). Both of its atomic read-modify-writes sat on every container access of a
//! thread once a second thread had started: a thread running alone then ran 20-39%
//! slower than with no other thread started (pyperformance raytrace +31%, chaos +39%,
//! richards +25%; perf: `Unlock::drop` 17.9% and `lock` 9.7% of chaos, uncontended).
//! Here the unlock is a plain release store, which costs what a store costs, and the
//! lock is one compare-and-swap when free (measured after: raytrace +9%, chaos +19%,
//! richards +5%).
//!
//! # The protocol
//!
//! The byte is 0 (free) or 1 (held).
//! - `lock`: compare-and-swap 0 -> 1 with `Acquire`; on failure, wait reading the byte
//!   (`Relaxed`, so waiters do not bounce the cache line with writes) until it reads 0,
//!   then try again (test-and-test-and-set). A waiter spins `SPINS` times, then yields
//!   its time slice `YIELDS` times, then sleeps a few microseconds between reads
//!   (`shim::nap`): a holder preempted by the OS (more threads than cores, other
//!   processes) gets a core back instead of watching waiters burn it. (Yielding alone
//!   was measured not to be enough: with one free core for two threads, a method call
//!   on a shared object ran at a third of its speed, its CPU time tripled.)
//! - `unlock`: store 0 with `Release`.
//!
//! The `Acquire` of the successful compare-and-swap synchronizes with the `Release`
//! store of the previous holder's unlock, so everything written inside one critical
//! section is visible inside the next. No waiter is ever woken: none sleeps.
//!
//! Not fair: a thread that releases and immediately re-takes the lock can win it again
//! ahead of a waiter. The sections are short and the waiter's next try comes within a
//! spin, so waiting is bounded in practice; a workload that hammers one object from many
//! threads is what a lock-free read path (issue 16) is for.
//!
//! `loom-tests/tests/spin_lock.rs` checks mutual exclusion and the happens-before edge
//! with loom, on this code.
use crate::shim::{AtomicU8, Ordering};

/// Reads of a held lock before a waiter starts yielding its time slice.
const SPINS: u32 = 64;
/// Yields before a waiter sleeps between reads instead.
const YIELDS: u32 = 64;

pub struct SpinLock {
    state: AtomicU8,
}

impl SpinLock {
    #[cfg(not(stitch_loom))]
    pub const fn new() -> Self {
        SpinLock {
            state: AtomicU8::new(0),
        }
    }

    /// loom's atomics cannot be made in a `const fn`.
    #[cfg(stitch_loom)]
    pub fn new() -> Self {
        SpinLock {
            state: AtomicU8::new(0),
        }
    }

    /// Take the lock, waiting for the holder to release it.
    #[inline(always)]
    pub fn lock(&self) {
        if self
            .state
            .compare_exchange_weak(0, 1, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
    }

    #[cold]
    #[inline(never)]
    fn lock_contended(&self) {
        let mut reads = 0u32;
        loop {
            while self.state.load(Ordering::Relaxed) != 0 {
                reads += 1;
                if reads < SPINS {
                    crate::shim::spin_loop();
                } else if reads < SPINS + YIELDS {
                    crate::shim::yield_now();
                } else {
                    crate::shim::nap();
                }
            }
            if self
                .state
                .compare_exchange_weak(0, 1, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    /// Release the lock. The caller holds it (took it with [`SpinLock::lock`]).
    #[inline(always)]
    pub fn unlock(&self) {
        self.state.store(0, Ordering::Release);
    }
}

#[cfg(not(stitch_loom))]
impl Default for SpinLock {
    fn default() -> Self {
        Self::new()
    }
}
