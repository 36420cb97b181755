//! The object header every heap object starts with (biased reference counting, PEP 703).
//!
//! ```text
//!  byte 0         8       10      11       12             16                    24        32
//!  +--------------+-------+-------+--------+--------------+---------------------+---------+
//!  | ob_tid (u64) | flags | mutex | gcbits | ref_local u32| ref_shared (atomic) | ob_type |
//!  +--------------+-------+-------+--------+--------------+---------------------+---------+
//!                                                          bits 63..2: shared count
//!                                                          bits  1..0: state
//!                                                            00 default, 01 maybe weakly
//!                                                            referenced, 10 queued, 11 merged
//! ```
//!
//! * `ob_tid`: the owner thread's id. Thread ids are never reused, so a stale owner id
//!   can never alias a live thread. 0 means "no owner": the counts were merged and the
//!   shared count alone is the truth. Atomic (relaxed): other threads read it to decide
//!   which counter to use, and the owner clears it when it merges.
//! * `ob_ref_local`: the owner's count, written only by the owner thread (or by a thread
//!   merging for a detached or exited owner), with relaxed atomic loads and stores:
//!   plain moves on x86-64, no read-modify-write. `u32::MAX` marks an immortal
//!   object: increments and decrements skip it.
//! * `ob_ref_shared`: every other thread's count, atomic, in units of 4; the two low bits
//!   are the merge state. A non-owner that drives the shared count negative queues the
//!   object to its owner, which merges the two counts (see the threads crate).
//! * `ob_flags`: per-object flag bits (`FLAG_*`), atomic: set with `fetch_or`.
//! * `ob_mutex`: a one-byte lock for per-object critical sections (containers).
//! * `ob_type`: pointer to the type object (itself a heap object).
//!
//! The true reference count is `ob_ref_local + (ob_ref_shared >> 2)`.
use core::sync::atomic::{AtomicI64, AtomicU16, AtomicU32, AtomicU64};

pub const IMMORTAL_LOCAL: u32 = u32::MAX;
pub const SHARED_SHIFT: u32 = 2;
pub const SHARED_FLAG_MASK: i64 = 0b11;
pub const SHARED_QUEUED: i64 = 0b10;
pub const SHARED_MERGED: i64 = 0b11;

/// Flags in `ob_flags`.
pub const FLAG_DEFERRED: u16 = 1 << 0;
/// The object has (or had) weak references: its deallocation must clear them
/// (`stitch_sync::weakref`). Set under the object's weak-list stripe lock.
pub const FLAG_WEAKREFS: u16 = 1 << 1;
/// The object's `__del__` has run (PEP 442: a finalizer runs at most once, even if
/// the object is resurrected and dies again).
pub const FLAG_FINALIZED: u16 = 1 << 2;
/// The object is a container allocated with the cycle collector's link prefix and
/// is on a tracked-object list (`runtime/src/gc/list.rs`). Set at allocation.
pub const FLAG_GC_TRACKED: u16 = 1 << 3;
/// `gc.freeze()` moved the object to the permanent generation: collections ignore it.
pub const FLAG_GC_FROZEN: u16 = 1 << 4;
/// The object's type has a native finalizer that may need to run Python code when it
/// dies (a coroutine that was never awaited warns): its deallocation goes through
/// `runtime/src/finalize.rs`. Set at allocation.
pub const FLAG_NATIVE_FINALIZER: u16 = 1 << 5;

#[repr(C)]
pub struct ObjHeader {
    pub ob_tid: AtomicU64,
    pub ob_flags: AtomicU16,
    pub ob_mutex: u8,
    pub ob_gc_bits: u8,
    pub ob_ref_local: AtomicU32,
    pub ob_ref_shared: AtomicI64,
    pub ob_type: *const ObjHeader,
}

impl ObjHeader {
    /// A fresh header owned by `tid` with one local reference.
    pub const fn new(tid: u64, ty: *const ObjHeader) -> ObjHeader {
        ObjHeader {
            ob_tid: AtomicU64::new(tid),
            ob_flags: AtomicU16::new(0),
            ob_mutex: 0,
            ob_gc_bits: 0,
            ob_ref_local: AtomicU32::new(1),
            ob_ref_shared: AtomicI64::new(0),
            ob_type: ty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::{offset_of, size_of};

    #[test]
    fn header_layout_is_fixed() {
        assert_eq!(offset_of!(ObjHeader, ob_tid), 0);
        assert_eq!(offset_of!(ObjHeader, ob_flags), 8);
        assert_eq!(offset_of!(ObjHeader, ob_mutex), 10);
        assert_eq!(offset_of!(ObjHeader, ob_gc_bits), 11);
        assert_eq!(offset_of!(ObjHeader, ob_ref_local), 12);
        assert_eq!(offset_of!(ObjHeader, ob_ref_shared), 16);
        assert_eq!(offset_of!(ObjHeader, ob_type), 24);
        assert_eq!(size_of::<ObjHeader>(), 32);
    }
}
