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
//! Each trace has its own `Assumption` (its validity), which its patchpoints load; an
//! invariant that many traces rely on keeps their flags in `Dependents` and breaking
//! it clears every one of them (still before the event), so the argument above holds
//! per trace.
//!
//! Hence no thread ever runs single-thread code while another thread runs Python code.
//! Assumptions are never re-established: traces compiled after the switch are compiled
//! without them. `loom-tests/tests/single_threaded_patchpoint.rs` checks this with the
//! real code.
use crate::shim::{Arc, AtomicBool, Mutex, Ordering, lock};

/// One flag, true while what it stands for holds (an invariant, or a trace's
/// validity).
pub struct Assumption {
    valid: AtomicBool,
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
}

/// The traces relying on one invariant: their validity flags, all cleared when the
/// invariant breaks.
pub struct Dependents {
    flags: Mutex<Vec<Arc<Assumption>>>,
    /// Set once the invariant broke: traces added later are invalid at once.
    broken: AtomicBool,
}

impl Default for Dependents {
    fn default() -> Self {
        Dependents::new()
    }
}

impl Dependents {
    pub fn new() -> Dependents {
        Dependents {
            flags: Mutex::new(Vec::new()),
            broken: AtomicBool::new(false),
        }
    }

    /// A trace with validity `flag` relies on the invariant.
    pub fn add(&self, flag: Arc<Assumption>) {
        let mut f = lock(&self.flags);
        if self.broken.load(Ordering::Acquire) {
            flag.invalidate();
        } else {
            f.push(flag);
        }
    }

    /// The invariant broke: clear every dependent's flag (before the event that broke
    /// it). Returns how many traces were still valid.
    pub fn invalidate_all(&self) -> usize {
        let mut f = lock(&self.flags);
        self.broken.store(true, Ordering::Release);
        std::mem::take(&mut *f)
            .iter()
            .filter(|a| a.invalidate())
            .count()
    }
}
