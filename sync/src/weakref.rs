//! Weak references under biased reference counting: clearing a weak reference exactly
//! when its object dies, even while another thread is upgrading it (`r()`).
//!
//! # The protocol (after CPython 3.13's free-threaded build)
//!
//! Every object's weak references are kept in a list keyed by the object's address, in
//! one of [`STRIPES`] maps each behind its own mutex (a *striped* lock: the stripe is a
//! function of the address alone, so a thread can lock it without touching the
//! object, which may be dying). A weak reference's *slot* holds its object's address,
//! or 0 once the object died. The rules:
//!
//! 1. **Register** (the caller holds a strong reference to the object): under the
//!    stripe lock, the slot is set, the weak reference is added to the list, and both
//!    the object and the weak reference are marked *maybe weakly referenced*
//!    ([`set_maybe_weakref`]: shared-count state `00 -> 01`). That state makes the
//!    shared word non-zero, so a thread that does not own the object can take a
//!    reference on the shared count while the owner still counts locally, and the
//!    owner's last local decrement must go through the shared word's
//!    compare-exchange (`brc::zero_local`) instead of freeing on sight.
//! 2. **Upgrade** ([`upgrade`]): read the slot; 0 means dead. Otherwise lock the
//!    object's stripe and read the slot again: while it is non-zero under the lock the
//!    object's memory is still allocated (rule 3 empties the slot under this lock
//!    before anything is freed). Then [`try_incref`]: the owner thread adds to its
//!    local count if that is non-zero; any thread adds to the shared count unless the
//!    shared word is exactly 0 (no weak references were ever registered while the
//!    count could reach zero this way) or exactly `MERGED` with count 0 (the object
//!    is dead: whoever brought it there is deallocating it). A successful
//!    compare-exchange on a live shared word gives a reference the dying decision
//!    must account for: `zero_local` and `decref_shared` only decide *free* with a
//!    compare-exchange that sees a zero count, so the two are ordered.
//! 3. **Clear** ([`clear`]), by the thread that decided to free the object (a count
//!    reached zero: no strong reference exists, no upgrade can succeed any more): under
//!    the stripe lock, remove the object's list, set every slot to 0 and hand each
//!    weak reference to the caller (which takes a reference to the ones that are still
//!    alive with `try_incref`, to call their callbacks after unlocking). Only then is
//!    the object's memory freed.
//! 4. **Forget** ([`forget`]): a weak reference that dies first removes itself from
//!    its object's list under the stripe lock, re-reading its slot under the lock (a
//!    concurrent clear may have emptied it and dropped the list already).
//!
//! A finalizer (`__del__`) resurrects an object before it runs: it gets an owner and
//! one local reference again and keeps the maybe-weakly-referenced state, so upgrades
//! keep working while it runs; dropping that reference decides again, through the same
//! rules. `loom-tests/tests/weakref.rs` checks clear against concurrent upgrades.
use std::collections::HashMap;

use crate::brc::{BrcObject, IMMORTAL, MERGED, SHIFT, STATE_MASK};
use crate::shim::{AtomicUsize, Mutex, MutexGuard, Ordering, lock};

/// Shared-count state: the object may have weak references (only from the default
/// state; queued and merged words are already non-zero).
pub const MAYBE_WEAKREF: i64 = 0b01;

/// Number of weak-reference list stripes.
pub const STRIPES: usize = 64;

/// Mark `o` as maybe weakly referenced (shared state `00 -> 01`).
pub fn set_maybe_weakref(o: &impl BrcObject) {
    if o.local().load(Ordering::Relaxed) == IMMORTAL {
        return;
    }
    let shared = o.shared();
    let mut s = shared.load(Ordering::Relaxed);
    while s & STATE_MASK == 0 {
        match shared.compare_exchange_weak(
            s,
            s | MAYBE_WEAKREF,
            Ordering::AcqRel,
            Ordering::Relaxed,
        ) {
            Ok(_) => return,
            Err(cur) => s = cur,
        }
    }
}

/// Take a strong reference to `o` unless it is dead. The caller must know `o` is still
/// allocated (it holds `o`'s stripe lock and found `o` in a weak reference's slot).
pub fn try_incref(o: &impl BrcObject, me: impl FnOnce() -> u64) -> bool {
    let local = o.local().load(Ordering::Relaxed);
    if local == IMMORTAL {
        return true;
    }
    if local > 0 && o.tid().load(Ordering::Relaxed) == me() {
        o.local().store(local + 1, Ordering::Relaxed);
        return true;
    }
    let shared = o.shared();
    let mut s = shared.load(Ordering::Relaxed);
    loop {
        if s == 0 || s == MERGED {
            return false;
        }
        match shared.compare_exchange_weak(s, s + (1 << SHIFT), Ordering::AcqRel, Ordering::Relaxed)
        {
            Ok(_) => return true,
            Err(cur) => s = cur,
        }
    }
}

/// One stripe's lists: object address -> its weak references' addresses.
type StripeMap = HashMap<usize, Vec<usize>>;

/// The weak-reference lists of all objects, striped by object address.
pub struct WeakLists {
    stripes: Box<[Mutex<StripeMap>]>,
}

impl Default for WeakLists {
    fn default() -> Self {
        WeakLists::new()
    }
}

/// One stripe, locked: the lists of the objects whose addresses map to it.
pub type Stripe<'a> = MutexGuard<'a, StripeMap>;

impl WeakLists {
    pub fn new() -> WeakLists {
        WeakLists {
            stripes: (0..STRIPES).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    /// Lock the stripe of the object at `obj` (never dereferenced).
    pub fn lock(&self, obj: usize) -> Stripe<'_> {
        // Objects are at least 32-byte aligned boxes: mix the bits above that.
        let h = (obj >> 5).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58;
        lock(&self.stripes[h % STRIPES])
    }
}

/// Rule 1: register weak reference `wr` (slot `slot`) to `obj`. `place` runs under the
/// stripe lock on `obj`'s list and says where `wr` goes (`Ok(index)`), or hands back
/// something found there instead (`Err(r)`, e.g. an existing reference to reuse:
/// then nothing is registered). The caller holds strong references to both.
pub fn register<R>(
    lists: &WeakLists,
    obj: usize,
    obj_counts: impl BrcObject,
    wr: usize,
    wr_counts: impl BrcObject,
    slot: &AtomicUsize,
    place: impl FnOnce(&mut Vec<usize>) -> Result<usize, R>,
) -> Option<R> {
    let mut stripe = lists.lock(obj);
    let list = stripe.entry(obj).or_default();
    match place(list) {
        Ok(i) => {
            set_maybe_weakref(&obj_counts);
            set_maybe_weakref(&wr_counts);
            slot.store(obj, Ordering::Release);
            list.insert(i.min(list.len()), wr);
            None
        }
        Err(r) => {
            if list.is_empty() {
                stripe.remove(&obj);
            }
            Some(r)
        }
    }
}

/// Rule 2: a strong reference to the object of the weak reference whose slot is
/// `slot`, or `None` if it is dead. `counts` gives the counting words of an object
/// address (called only for a live object, under its stripe lock).
pub fn upgrade<O: BrcObject>(
    lists: &WeakLists,
    slot: &AtomicUsize,
    me: impl FnOnce() -> u64,
    counts: impl FnOnce(usize) -> O,
) -> Option<usize> {
    let obj = slot.load(Ordering::Acquire);
    if obj == 0 {
        return None;
    }
    let _stripe = lists.lock(obj);
    // Re-read under the lock: a clear may have emptied the slot (and the object may be
    // freed) since the first read.
    if slot.load(Ordering::Relaxed) != obj {
        return None;
    }
    if try_incref(&counts(obj), me) {
        Some(obj)
    } else {
        None
    }
}

/// Rule 3: the object at `obj` is being freed (its count reached zero). Empties the
/// slot of each of its weak references and calls `each(wr)` for it, in list order,
/// under the stripe lock (`each` must not take another stripe lock or run code that
/// could).
pub fn clear<'a>(
    lists: &WeakLists,
    obj: usize,
    slot_of: impl Fn(usize) -> &'a AtomicUsize,
    mut each: impl FnMut(usize),
) {
    let mut stripe = lists.lock(obj);
    if let Some(list) = stripe.remove(&obj) {
        for wr in list {
            slot_of(wr).store(0, Ordering::Release);
            each(wr);
        }
    }
}

/// Rule 4: weak reference `wr` (slot `slot`) is being freed: leave its object's list.
pub fn forget(lists: &WeakLists, wr: usize, slot: &AtomicUsize) {
    let obj = slot.load(Ordering::Acquire);
    if obj == 0 {
        return;
    }
    let mut stripe = lists.lock(obj);
    if slot.load(Ordering::Relaxed) != obj {
        return;
    }
    slot.store(0, Ordering::Relaxed);
    if let Some(list) = stripe.get_mut(&obj) {
        list.retain(|&w| w != wr);
        if list.is_empty() {
            stripe.remove(&obj);
        }
    }
}

/// Give an object whose count reached zero one reference again, owned by thread `me`,
/// so its finalizer can run (PEP 442). A maybe-weakly-referenced object keeps that
/// state, so other threads can still upgrade its weak references meanwhile (which
/// then resurrects it for good). Dropping the reference decides its fate again.
///
/// Only the thread that was told to free the object may call this, before it is
/// freed; upgraders that race with it fail or see the new state (rule 2).
pub fn resurrect(o: &impl BrcObject, me: u64, weakly_referenced: bool) {
    o.local().store(1, Ordering::Relaxed);
    o.tid().store(me, Ordering::Relaxed);
    let state = if weakly_referenced { MAYBE_WEAKREF } else { 0 };
    o.shared().store(state, Ordering::Release);
}
