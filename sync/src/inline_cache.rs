//! Inline caches of the specializing interpreter, and how a specialization is
//! published while other threads may be running the same code.
//!
//! # The protocol
//!
//! A code object owns one [`InlineCaches`]: for every instruction a live code unit
//! (opcode in the low 8 bits, argument above, as in the compiled code), a 16-bit
//! counter, and a pointer to the instruction's *cache record*. Records are immutable
//! once published and are owned by an append-only arena that is freed only when the
//! code object dies, so a pointer read from `records` stays valid for as long as the
//! reader can reach the code: a stale read is never a use-after-free.
//!
//! Writers (the specializer, any thread) take the arena lock, then:
//! 1. move the new record into the arena and store its pointer with `Release`;
//! 2. store the new code unit with `Release`.
//!
//! Readers (the interpreter, any thread, no lock) load the code unit with `Acquire`,
//! dispatch on it, and a specialized instruction then loads its record pointer with
//! `Acquire`. Because the record was stored before the unit, a reader that sees a
//! specialized opcode sees that opcode's record or a newer one, fully initialised,
//! never an older record and never a null pointer. A newer record can belong to a
//! different specialization (the site was despecialized and specialized again while
//! the reader was between its two loads); records therefore name the specialization
//! they were made for, and a specialized instruction treats a record of another kind
//! as a cache miss. So the record, never the opcode alone, is what a specialized
//! instruction trusts, and every guard it needs (type version, dict keys version) is
//! in the record itself, read in one consistent snapshot.
//!
//! Despecialization stores the generic unit with `Relaxed`: running the generic
//! instruction is always correct, so nothing needs to be visible before it.
//!
//! Counters are hints (warm-up, backoff, misses): racing threads may lose updates,
//! which only changes *when* a site is specialized, never what a reader sees.
//!
//! The arena is bounded (`limit` records per code object): a site that keeps being
//! respecialized eventually stays generic instead of growing memory without bound.
//!
//! `loom-tests/tests/specialization_publish.rs` runs this code with one specializing
//! and one executing thread.
use crate::shim::{AtomicPtr, AtomicU16, AtomicU32, Mutex, Ordering, lock};

pub struct InlineCaches<R> {
    units: Box<[AtomicU32]>,
    counters: Box<[AtomicU16]>,
    records: Box<[AtomicPtr<R>]>,
    arena: Mutex<Vec<Box<R>>>,
    limit: usize,
}

impl<R> InlineCaches<R> {
    /// Caches for `code`, every counter starting at `counter`, at most `limit` records.
    pub fn new(code: &[u32], counter: u16, limit: usize) -> Self {
        InlineCaches {
            units: code.iter().map(|&w| AtomicU32::new(w)).collect(),
            counters: code.iter().map(|_| AtomicU16::new(counter)).collect(),
            records: code
                .iter()
                .map(|_| AtomicPtr::new(std::ptr::null_mut()))
                .collect(),
            arena: Mutex::new(Vec::new()),
            limit,
        }
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The live code unit of instruction `i` (`None` past the end).
    #[inline(always)]
    pub fn unit(&self, i: usize) -> Option<u32> {
        self.units.get(i).map(|u| u.load(Ordering::Acquire))
    }

    /// Where the units start, for a loop that reads them by index without going
    /// through `self` each time (`unit_at`).
    #[inline(always)]
    pub fn units_ptr(&self) -> *const AtomicU32 {
        self.units.as_ptr()
    }

    /// The live code unit of instruction `i`, read through the caches' `units_ptr`.
    ///
    /// # Safety
    /// `units` is `units_ptr()` of caches still alive, and `i < len()`.
    #[inline(always)]
    pub unsafe fn unit_at(units: *const AtomicU32, i: usize) -> u32 {
        // SAFETY: the caller's contract.
        unsafe { (*units.add(i)).load(Ordering::Acquire) }
    }

    /// The cache record of instruction `i`, if one was ever published.
    #[inline(always)]
    pub fn record(&self, i: usize) -> Option<&R> {
        let p = self.records.get(i)?.load(Ordering::Acquire);
        // SAFETY: non-null pointers in `records` point into boxes owned by `arena`,
        // which only frees them when `self` is dropped; records are never mutated
        // after publication, so a shared borrow tied to `&self` is sound.
        unsafe { p.as_ref() }
    }

    #[inline(always)]
    pub fn counter(&self, i: usize) -> u16 {
        self.counters[i].load(Ordering::Relaxed)
    }

    #[inline(always)]
    pub fn set_counter(&self, i: usize, v: u16) {
        self.counters[i].store(v, Ordering::Relaxed);
    }

    /// Publish a specialization of instruction `i`: `record` (if any) first, then the
    /// code unit `unit`. Returns false, changing nothing, when the arena is full.
    pub fn publish(&self, i: usize, unit: u32, record: Option<R>) -> bool {
        let mut arena = lock(&self.arena);
        if let Some(r) = record {
            if arena.len() >= self.limit {
                return false;
            }
            let mut b = Box::new(r);
            let p: *mut R = &mut *b;
            arena.push(b);
            self.records[i].store(p, Ordering::Release);
        }
        self.units[i].store(unit, Ordering::Release);
        true
    }

    /// Put the generic instruction `unit` back at `i` (its record stays valid).
    pub fn despecialize(&self, i: usize, unit: u32) {
        self.units[i].store(unit, Ordering::Relaxed);
    }

    /// Number of records published so far.
    pub fn records_used(&self) -> usize {
        lock(&self.arena).len()
    }
}
