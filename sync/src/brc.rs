//! Biased reference counting (PEP 703): the counting rules, written once over any
//! object header that exposes the three words (`BrcObject`), so the runtime's
//! `ObjHeader` and the loom models' test headers run the same code.
//!
//! Who may touch what (the protocol essay is at the top of `runtime/src/object.rs`):
//! - `local` is written only by the owner thread (`tid`), or by a thread merging for
//!   an owner that is detached (pinned) or exited;
//! - `shared` is updated by compare-exchange from any thread; its two low bits are
//!   the state: default, maybe weakly referenced (`weakref::MAYBE_WEAKREF`: like
//!   default, but never freed without a compare-exchange), queued (handed to the
//!   owner for merging), merged (`tid` is 0 and `shared` alone counts);
//! - a decrement returns what the caller must do next: nothing, free the object, or
//!   queue it to its owner (the caller holds no lock while doing either).
use crate::shim::{AtomicI64, AtomicU32, AtomicU64, Ordering};

pub const IMMORTAL: u32 = u32::MAX;
pub const SHIFT: u32 = 2;
pub const STATE_MASK: i64 = 0b11;
pub const QUEUED: i64 = 0b10;
pub const MERGED: i64 = 0b11;

/// The three reference-counting words of an object header.
pub trait BrcObject {
    fn tid(&self) -> &AtomicU64;
    fn local(&self) -> &AtomicU32;
    fn shared(&self) -> &AtomicI64;
}

impl<T: BrcObject> BrcObject for &T {
    fn tid(&self) -> &AtomicU64 {
        (*self).tid()
    }
    fn local(&self) -> &AtomicU32 {
        (*self).local()
    }
    fn shared(&self) -> &AtomicI64 {
        (*self).shared()
    }
}

/// What the caller of a decrement must do.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Next {
    Nothing,
    /// The count reached zero: free the object.
    Free,
    /// Hand the object to its owner (`tid`) for merging.
    Queue,
}

/// `me` gives the current thread's id; it is only asked for mortal objects.
#[inline(always)]
pub fn incref(o: &impl BrcObject, me: impl FnOnce() -> u64) {
    let local = o.local().load(Ordering::Relaxed);
    if local == IMMORTAL {
        return;
    }
    if o.tid().load(Ordering::Relaxed) == me() {
        o.local().store(local + 1, Ordering::Relaxed);
    } else {
        o.shared().fetch_add(1 << SHIFT, Ordering::Relaxed);
    }
}

#[inline(always)]
pub fn decref(o: &impl BrcObject, me: impl FnOnce() -> u64) -> Next {
    let local = o.local().load(Ordering::Relaxed);
    if local == IMMORTAL {
        return Next::Nothing;
    }
    if o.tid().load(Ordering::Relaxed) == me() {
        o.local().store(local - 1, Ordering::Relaxed);
        if local == 1 {
            return zero_local(o);
        }
        Next::Nothing
    } else {
        decref_shared(o)
    }
}

/// The owner dropped its last local reference.
#[cold]
fn zero_local(o: &impl BrcObject) -> Next {
    let shared = o.shared();
    let mut s = shared.load(Ordering::Acquire);
    loop {
        if s == 0 {
            return Next::Free;
        }
        if s & STATE_MASK == QUEUED {
            // On the owner's merge queue: the merge settles it.
            return Next::Nothing;
        }
        // Other threads hold references: give up ownership.
        let new = s | MERGED;
        match shared.compare_exchange(s, new, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => {
                o.tid().store(0, Ordering::Relaxed);
                return if new >> SHIFT == 0 {
                    Next::Free
                } else {
                    Next::Nothing
                };
            }
            Err(cur) => s = cur,
        }
    }
}

#[cold]
fn decref_shared(o: &impl BrcObject) -> Next {
    let shared = o.shared();
    let mut s = shared.load(Ordering::Relaxed);
    loop {
        let mut new = s - (1 << SHIFT);
        let state = s & STATE_MASK;
        // Default or maybe-weakly-referenced (`weakref::MAYBE_WEAKREF`) objects are
        // still counted by their owner: a negative shared count goes to the owner.
        let queue = state & QUEUED == 0 && new >> SHIFT < 0;
        if queue {
            new = (new & !STATE_MASK) | QUEUED;
        }
        match shared.compare_exchange_weak(s, new, Ordering::AcqRel, Ordering::Relaxed) {
            Ok(_) => {
                return if queue {
                    Next::Queue
                } else if state == MERGED && new >> SHIFT == 0 {
                    Next::Free
                } else {
                    Next::Nothing
                };
            }
            Err(cur) => s = cur,
        }
    }
}

/// Merge a queued object's two counts into the shared one. Called by the owner, or
/// by another thread while the owner is detached (pinned) or has exited: the local
/// count cannot change meanwhile. Returns `Free` when the total is zero.
pub fn merge(o: &impl BrcObject) -> Next {
    let local = o.local().load(Ordering::Relaxed);
    if local == IMMORTAL {
        // Made immortal while queued (`runtime/src/shared_immortal.rs`): counts no
        // longer matter.
        return Next::Nothing;
    }
    let local = local as i64;
    o.tid().store(0, Ordering::Relaxed);
    o.local().store(0, Ordering::Relaxed);
    let shared = o.shared();
    let mut s = shared.load(Ordering::Relaxed);
    loop {
        let new = ((s & !STATE_MASK) + (local << SHIFT)) | MERGED;
        match shared.compare_exchange_weak(s, new, Ordering::AcqRel, Ordering::Relaxed) {
            Ok(_) => {
                return if new >> SHIFT == 0 {
                    Next::Free
                } else {
                    Next::Nothing
                };
            }
            Err(cur) => s = cur,
        }
    }
}

/// The true count (for tests and `sys.getrefcount`); immortal objects report `None`.
pub fn count(o: &impl BrcObject) -> Option<i64> {
    let local = o.local().load(Ordering::Relaxed);
    if local == IMMORTAL {
        return None;
    }
    Some(local as i64 + (o.shared().load(Ordering::Relaxed) >> SHIFT))
}

/// The three counting words on their own, for code that models objects without the
/// runtime's `ObjHeader` (the loom models and the BRC state-machine test).
pub struct Words {
    pub tid: AtomicU64,
    pub local: AtomicU32,
    pub shared: AtomicI64,
}

impl Words {
    /// A fresh object owned by `owner` with one (local) reference.
    pub fn new(owner: u64) -> Words {
        Words {
            tid: AtomicU64::new(owner),
            local: AtomicU32::new(1),
            shared: AtomicI64::new(0),
        }
    }
}

impl BrcObject for Words {
    fn tid(&self) -> &AtomicU64 {
        &self.tid
    }
    fn local(&self) -> &AtomicU32 {
        &self.local
    }
    fn shared(&self) -> &AtomicI64 {
        &self.shared
    }
}
