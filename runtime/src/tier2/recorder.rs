//! The call recorder: which Python function each call site of a hot loop called in
//! the loop's last tier-1 iterations before compilation (or tier 1's runs from an exit
//! about to get a side trace), so the translator can follow the call into the callee's
//! code (and guard that later calls reach the same code).
//!
//! The back edge turns recording on a few iterations before the loop is compiled
//! (`tier2::RECORD_BEFORE`; a hot exit likewise before its side trace); tier 1's
//! exact Python calls check one relaxed flag and, while it is set, note `(caller code,
//! call instruction, callee code, callee globals)` with strong references (the
//! translator reads them; a trace that inlines the callee keeps its code alive, see
//! `tier2::hold`, and guards the globals it promoted from). Recording stops at
//! compilation, or when the buffer is full.
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::types::code::CodeObj;
use crate::value::Value;

static RECORDING: AtomicBool = AtomicBool::new(false);
/// Calls noted per recording.
const MAX_CALLS: usize = 64;

thread_local! {
    static CALLS: RefCell<Vec<Call>> = const { RefCell::new(Vec::new()) };
}

/// One recorded call: caller code address, call instruction, callee code and globals.
struct Call {
    caller: usize,
    ip: u32,
    code: Value,
    globals: Value,
}

/// Start noting calls (the loop, or an exit's side trace, is about to be compiled).
pub fn start() {
    CALLS.with(|c| c.borrow_mut().clear());
    RECORDING.store(true, Ordering::Relaxed);
}

/// Stop and forget what was noted.
pub fn stop() {
    RECORDING.store(false, Ordering::Relaxed);
    CALLS.with(|c| c.borrow_mut().clear());
}

/// Tier 1 made an exact Python call at `ip` of `co` into `func`.
#[inline(always)]
pub fn call(co: &CodeObj, ip: usize, func: &crate::types::func::FuncObj) {
    if RECORDING.load(Ordering::Relaxed) {
        note(co, ip, func);
    }
}

#[cold]
fn note(co: &CodeObj, ip: usize, func: &crate::types::func::FuncObj) {
    CALLS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_CALLS {
            RECORDING.store(false, Ordering::Relaxed);
            return;
        }
        let caller = co as *const CodeObj as usize;
        if !c.iter().any(|k| k.caller == caller && k.ip == ip as u32) {
            c.push(Call {
                caller,
                ip: ip as u32,
                code: func.code.clone(),
                globals: func.globals.clone(),
            });
        }
    });
}

/// The code object called at `ip` of `co` in the recorded iteration, and the globals
/// of the function that ran it.
pub fn callee(co: &CodeObj, ip: usize) -> Option<(Value, Value)> {
    let caller = co as *const CodeObj as usize;
    CALLS.with(|c| {
        c.borrow()
            .iter()
            .find(|k| k.caller == caller && k.ip == ip as u32)
            .map(|k| (k.code.clone(), k.globals.clone()))
    })
}
