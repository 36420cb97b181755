//! Branch history for the trace translator: which way each conditional jump went
//! lately, so a trace follows the hot path of an `if` rather than its fall-through.
//!
//! Tier 1 shifts one bit per execution (1 = jump taken) into the jump's 16-bit
//! counter slot in the inline caches (conditional jumps are never specialized, so the
//! slot is free), after CPython 3.12's `POP_JUMP_IF` branch history. Only while the
//! program is single-threaded and the JIT is on: threads writing one shared code
//! object's slots would fight over its cache lines. Traces compiled once threads run
//! follow the histories recorded before (or the fall-through), and hot exits grow side
//! traces down the other way.
use std::sync::atomic::{AtomicBool, Ordering};

use stitch_sync::inline_cache::InlineCaches;

use crate::specialize::Record;

static RECORDING: AtomicBool = AtomicBool::new(false);

/// Start recording (the JIT was enabled).
pub fn enable() {
    RECORDING.store(true, Ordering::Relaxed);
}

/// Stop recording for good (a second thread is about to start).
pub fn disable() {
    RECORDING.store(false, Ordering::Relaxed);
}

/// Tier 1 ran the conditional jump at `i`; `taken` says whether it jumped.
#[inline(always)]
pub fn record(q: &InlineCaches<Record>, i: usize, taken: bool) {
    if RECORDING.load(Ordering::Relaxed) {
        q.set_counter(i, (q.counter(i) << 1) | taken as u16);
    }
}

/// Should the trace follow the jump at `i`? True when it was taken in most of its last
/// 16 executions.
pub fn likely_taken(q: &InlineCaches<Record>, i: usize) -> bool {
    q.counter(i).count_ones() > 8
}
