//! Chains of per-thread entries, one per owner thread, published without locks: the
//! loop traces of one back edge (`stitch_runtime::tier2::CompiledTrace`), each compiled
//! by and run only on its owner thread.
//!
//! # Protocol
//!
//! A chain starts at an entry every thread can reach (the back edge's record holds the
//! first trace). Each entry has an owner, fixed when it is made, and a `next` link,
//! null until it is set, once.
//! - **Find** (any thread): walk from the first entry, loading each `next` with
//!   Acquire, to the entry of the wanted owner or the end.
//! - **Append** (the owner of a new entry, after its find failed): walk from the first
//!   entry; at each entry compare-exchange its `next` from null to the new entry
//!   (AcqRel); when that fails, another thread appended there first: go on from its
//!   entry. After `max` entries the chain is full and the new entry stays out.
//!
//! Why it is right:
//! - An entry is fully written before the Release half of the compare-exchange
//!   publishes it, and walkers load links with Acquire, so a thread that reaches an
//!   entry sees all of it.
//! - Links are set once and entries are never removed or freed while the chain is
//!   reachable (the caller's contract: stitch never frees traces), so a walk never
//!   meets a dangling entry and never misses one that was reachable when it started.
//! - Two appenders racing for one link are ordered by the compare-exchange; the loser
//!   continues past the winner's entry, so neither entry is lost (up to `max`).
//! - Only an owner appends its own entry, and only after finding none, so each owner
//!   appears at most once (a thread appends sequentially with itself).
//!
//! `loom-tests/tests/owner_chain.rs` checks this with two appenders and a reader.
use crate::shim::{AtomicPtr, Ordering};

/// An entry's link to the next entry of its chain.
pub struct Link<T> {
    next: AtomicPtr<T>,
}

impl<T> Default for Link<T> {
    fn default() -> Self {
        Link {
            next: AtomicPtr::new(std::ptr::null_mut()),
        }
    }
}

impl<T> Link<T> {
    pub fn new() -> Self {
        Self::default()
    }
}

/// An entry of a chain.
pub trait Chained: Sized {
    /// The thread it belongs to.
    fn owner(&self) -> u64;
    /// Its link to the next entry.
    fn link(&self) -> &Link<Self>;
}

/// The entry of `owner` in the chain that starts at `first`.
pub fn find<T: Chained>(first: &T, owner: u64) -> Option<&T> {
    let mut e = first;
    loop {
        if e.owner() == owner {
            return Some(e);
        }
        let next = e.link().next.load(Ordering::Acquire);
        if next.is_null() {
            return None;
        }
        // SAFETY: a set link points at a published entry that lives as long as the
        // chain (`append`'s contract).
        e = unsafe { &*next };
    }
}

/// Append `new` to the chain that starts at `first` unless the chain already has `max`
/// entries; true if it was appended.
///
/// # Safety
/// `new` (and every entry appended before it) lives, unmoved, for as long as `first`
/// is reachable, and `new` is in no chain yet.
pub unsafe fn append<T: Chained>(first: &T, new: &T, max: usize) -> bool {
    let new_ptr = new as *const T as *mut T;
    let mut e = first;
    for _ in 1..max {
        match e.link().next.compare_exchange(
            std::ptr::null_mut(),
            new_ptr,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => return true,
            // SAFETY: as in `find`: a set link points at a live, published entry.
            Err(next) => e = unsafe { &*next },
        }
    }
    false
}
