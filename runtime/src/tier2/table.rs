//! Every compiled trace by number: how an exit number names the trace that took it.
//!
//! Machine code jumps between traces without returning to tier 1 (a side trace into
//! its loop's trace, one loop's trace into another's, a loop's end into the side trace
//! that continues the enclosing loop), so the trace that finally returns is not
//! necessarily the one tier 1 entered. Each trace gets a number before it is compiled
//! and reports exit `n` as `number << SHIFT | n`; `get` finds the trace again.
//!
//! Numbers are handed out once and never reused (traces live for the rest of the
//! process). Publishing and reading use release/acquire so a reader that finds a trace
//! sees it initialized; only the thread that runs traces reads the table while it runs
//! them, and `-X stats` reads it at exit.
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

use super::CompiledTrace;

/// Exit numbers of one trace are below `1 << SHIFT`.
pub const SHIFT: u32 = 16;
/// Most traces per process (their numbers are 1..MAX).
pub const MAX: usize = 1 << 14;

/// Slot `k` holds trace number `k` once compiled (null: not (yet) compiled).
static TABLE: [AtomicPtr<CompiledTrace>; MAX] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; MAX];
/// The next number to hand out (0 is never a trace's).
static NEXT: AtomicU32 = AtomicU32::new(1);

/// A fresh trace number, or `None` when the table is full.
pub fn reserve() -> Option<u32> {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    ((n as usize) < MAX).then_some(n)
}

/// Publish `trace` under its number (`CompiledTrace::id`).
pub fn publish(trace: &'static CompiledTrace) {
    TABLE[trace.id as usize].store(trace as *const _ as *mut _, Ordering::Release);
}

/// The trace that reported `raw` and its own exit number.
pub fn decode(raw: usize) -> Option<(&'static CompiledTrace, usize)> {
    let id = raw >> SHIFT;
    let p = TABLE.get(id)?.load(Ordering::Acquire);
    // SAFETY: published pointers are leaked `&'static CompiledTrace`s.
    (!p.is_null()).then(|| (unsafe { &*p }, raw & ((1 << SHIFT) - 1)))
}

/// Every published trace, in number order.
pub fn all() -> Vec<&'static CompiledTrace> {
    let n = (NEXT.load(Ordering::Relaxed) as usize).min(MAX);
    TABLE[..n]
        .iter()
        .filter_map(|p| {
            let p = p.load(Ordering::Acquire);
            // SAFETY: as in `decode`.
            (!p.is_null()).then(|| unsafe { &*p })
        })
        .collect()
}
