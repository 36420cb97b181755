//! The call recorder: which Python function each call site of a hot loop called in
//! the loop's last tier-1 iteration before compilation, so the translator can follow
//! the call into the callee's code (and guard that later calls reach the same code).
//!
//! The back edge turns recording on one iteration before the loop is compiled; tier 1's
//! exact Python calls check one relaxed flag and, while it is set, note `(caller code,
//! call instruction, callee code)` with a strong reference to the callee's code (the
//! translator reads it; a trace that inlines it keeps that reference, see
//! `tier2::hold`). Recording stops at compilation, or when the buffer is full.
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::types::code::CodeObj;
use crate::value::Value;

static RECORDING: AtomicBool = AtomicBool::new(false);
/// Calls noted per recording.
const MAX_CALLS: usize = 64;

thread_local! {
    static CALLS: RefCell<Vec<(usize, u32, Value)>> = const { RefCell::new(Vec::new()) };
}

/// Start noting calls (the loop is one iteration from being compiled).
pub fn start() {
    CALLS.with(|c| c.borrow_mut().clear());
    RECORDING.store(true, Ordering::Relaxed);
}

/// Stop and forget what was noted.
pub fn stop() {
    RECORDING.store(false, Ordering::Relaxed);
    CALLS.with(|c| c.borrow_mut().clear());
}

/// Tier 1 made an exact Python call at `ip` of `co` into `callee` (a code object).
#[inline(always)]
pub fn call(co: &CodeObj, ip: usize, callee: &Value) {
    if RECORDING.load(Ordering::Relaxed) {
        note(co, ip, callee);
    }
}

#[cold]
fn note(co: &CodeObj, ip: usize, callee: &Value) {
    CALLS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_CALLS {
            RECORDING.store(false, Ordering::Relaxed);
            return;
        }
        let key = co as *const CodeObj as usize;
        if !c.iter().any(|(k, i, _)| *k == key && *i == ip as u32) {
            c.push((key, ip as u32, callee.clone()));
        }
    });
}

/// The code object called at `ip` of `co` in the recorded iteration.
pub fn callee(co: &CodeObj, ip: usize) -> Option<Value> {
    let key = co as *const CodeObj as usize;
    CALLS.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, i, _)| *k == key && *i == ip as u32)
            .map(|(_, _, v)| v.clone())
    })
}
