//! Assumptions that tier-2 code relies on, and how they are broken.
//!
//! # The protocol
//!
//! An `Assumption` is one atomic flag, true while it holds. Code compiled under it
//! checks the flag at its *patchpoints*: at trace entry and right after every call that
//! can run arbitrary code. A check is one load; while the flag is true the trace runs
//! its fast path (which may, for `SingleThreaded`, skip atomics and locks).
//!
//! Breaking an assumption stores false with `Release` *before* the event that breaks
//! it can have any effect. For `SingleThreaded` that event is the start of a second
//! thread: the store happens before the OS thread is spawned, so
//! - the new thread (and any later one) sees false at every patchpoint (the spawn
//!   orders the store before everything the new thread does), and
//! - the thread that called `start()` was running the trace; `start()` is an escaping
//!   call, so the patchpoint right after it sees its own store and leaves the trace
//!   before touching anything the new thread can reach.
//!
//! Hence no thread ever runs single-thread code while another thread runs Python code.
//! Assumptions are never re-established: traces compiled after the switch are compiled
//! without them. `loom-tests/tests/single_threaded_patchpoint.rs` checks this with the
//! real code.
use crate::shim::{AtomicBool, AtomicU64, Ordering};

pub struct Assumption {
    valid: AtomicBool,
    /// Patchpoints taken because this assumption broke (for `-X stats`).
    exits: AtomicU64,
}

impl Default for Assumption {
    fn default() -> Self {
        Assumption::new()
    }
}

impl Assumption {
    pub fn new() -> Assumption {
        Assumption {
            valid: AtomicBool::new(true),
            exits: AtomicU64::new(0),
        }
    }

    /// The patchpoint check.
    #[inline(always)]
    pub fn holds(&self) -> bool {
        self.valid.load(Ordering::Acquire)
    }

    /// Break the assumption (before the event that breaks it). Returns true the first
    /// time.
    pub fn invalidate(&self) -> bool {
        self.valid.swap(false, Ordering::AcqRel)
    }

    /// Address of the flag, for compiled patchpoints to load.
    pub fn flag_addr(&self) -> usize {
        &self.valid as *const AtomicBool as usize
    }

    pub fn count_exit(&self) {
        self.exits.fetch_add(1, Ordering::Relaxed);
    }

    pub fn exits(&self) -> u64 {
        self.exits.load(Ordering::Relaxed)
    }
}
