//! The mutex under `_thread.lock` and `_thread.RLock`: a word and the kernel's futex
//! queue (Drepper's "mutex 2"), with no owner, so any thread may release it.
//!
//! Why not `parking_lot::RawMutex`: a parked parking_lot waiter is linked into a
//! process-wide table by a pointer into its own thread-local data. After `os.fork()`
//! the child inherits those links but not the threads, and the first lock wait that
//! hashes to the same bucket walks into freed memory (a crash in every
//! `multiprocessing` child forked while some thread waited on a `threading` lock).
//! Futex waiters live in the kernel, per process: the child starts with none.
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use parking_lot::lock_api::{GuardSend, RawMutex, RawMutexTimed};

const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
/// Locked, and some thread may be waiting in the kernel (unlock must wake one).
const CONTENDED: u32 = 2;

pub struct FutexMutex {
    state: AtomicU32,
}

/// `futex(FUTEX_WAIT_PRIVATE)` while the word is `CONTENDED`, for at most `timeout`.
fn futex_wait(word: &AtomicU32, timeout: Option<Duration>) {
    let ts = timeout.map(|d| libc::timespec {
        tv_sec: d.as_secs().min(libc::time_t::MAX as u64) as libc::time_t,
        tv_nsec: d.subsec_nanos() as libc::c_long,
    });
    let tsp = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `word` is a live, aligned u32; `tsp` is null or a valid timespec. The
    // kernel returns at once (EAGAIN) if the word is no longer CONTENDED; EINTR and
    // timeouts just return: callers re-check the word and their deadline.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            CONTENDED,
            tsp,
        );
    }
}

fn futex_wake_one(word: &AtomicU32) {
    // SAFETY: `word` is a live, aligned u32.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            1,
        );
    }
}

/// How a wait that signals may interrupt ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Wait {
    Acquired,
    TimedOut,
    /// `interrupted()` said so after a wake-up (a signal handler ran: the futex wait
    /// returns EINTR); the lock was not taken.
    Interrupted,
}

impl FutexMutex {
    /// Take the lock, waiting until `deadline` (None: forever), or stop when
    /// `interrupted()` is true before a wait (checked first, then after each wake-up).
    /// A signal handler that runs during the kernel wait ends it with EINTR, so a flag
    /// the handler sets is seen; one arriving between the check and the wait is seen
    /// at the next wake-up, as with CPython's lock waits.
    pub fn lock_until_or(&self, deadline: Option<Instant>, interrupted: impl Fn() -> bool) -> Wait {
        if self.try_lock() {
            return Wait::Acquired;
        }
        loop {
            if interrupted() {
                return Wait::Interrupted;
            }
            if self.state.swap(CONTENDED, Ordering::Acquire) == UNLOCKED {
                return Wait::Acquired;
            }
            let timeout = match deadline {
                None => None,
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Wait::TimedOut;
                    }
                    Some(d - now)
                }
            };
            futex_wait(&self.state, timeout);
        }
    }

    /// Take the lock, waiting until `deadline` (None: forever).
    fn lock_until(&self, deadline: Option<Instant>) -> bool {
        if self.try_lock() {
            return true;
        }
        loop {
            // Mark the lock contended; if it was free meanwhile, it is ours.
            if self.state.swap(CONTENDED, Ordering::Acquire) == UNLOCKED {
                return true;
            }
            let timeout = match deadline {
                None => None,
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return false;
                    }
                    Some(d - now)
                }
            };
            futex_wait(&self.state, timeout);
        }
    }
}

// SAFETY: a mutual-exclusion lock: `lock`/`try_lock` succeed only by moving the word
// from UNLOCKED (compare-exchange or swap), and only `unlock` moves it back.
unsafe impl RawMutex for FutexMutex {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: FutexMutex = FutexMutex {
        state: AtomicU32::new(UNLOCKED),
    };
    type GuardMarker = GuardSend;

    fn lock(&self) {
        self.lock_until(None);
    }

    fn try_lock(&self) -> bool {
        self.state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    unsafe fn unlock(&self) {
        if self.state.swap(UNLOCKED, Ordering::Release) == CONTENDED {
            futex_wake_one(&self.state);
        }
    }

    fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) != UNLOCKED
    }
}

// SAFETY: as for `RawMutex` above; timed waits give up without taking the lock.
unsafe impl RawMutexTimed for FutexMutex {
    type Duration = Duration;
    type Instant = Instant;

    fn try_lock_for(&self, timeout: Duration) -> bool {
        // A timeout too far to represent waits forever.
        self.lock_until(Instant::now().checked_add(timeout))
    }

    fn try_lock_until(&self, deadline: Instant) -> bool {
        self.lock_until(Some(deadline))
    }
}
