//! The call recorder: which Python function each call site of a hot loop called in
//! the loop's last tier-1 iterations before compilation (or tier 1's runs from an exit
//! about to get a side trace), so the translator can follow the call into the callee's
//! code (and guard that later calls reach the same code).
//!
//! The back edge turns recording on a few iterations before the loop is compiled
//! (`tier2::RECORD_BEFORE`; a hot exit likewise before its side trace); tier 1's
//! exact Python calls check one relaxed flag and, while it is set, note `(caller code,
//! call instruction, callee function and the code it ran)` with strong references (the
//! translator reads them; a trace that inlines the callee keeps its code alive, see
//! `tier2::hold`, and guards the globals it promoted from). Recording stops at
//! compilation, or when the buffer is full.
//!
//! Each thread records for itself (threads compile their own traces): the buffer and
//! the "this thread records" flag are thread-local; the global count of recording
//! threads is what tier 1's calls check, so they pay one relaxed load when no thread
//! records.
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::types::code::CodeObj;
use crate::value::Value;

/// Threads recording now.
static RECORDING: AtomicUsize = AtomicUsize::new(0);
/// Calls noted per recording.
const MAX_CALLS: usize = 64;

thread_local! {
    static CALLS: RefCell<Vec<Call>> = const { RefCell::new(Vec::new()) };
    /// This thread is recording (counted in `RECORDING`).
    static MINE: Cell<bool> = const { Cell::new(false) };
}

/// One recorded call: caller code address, call instruction, callee function and the
/// code it ran (a function's code may be replaced later; its globals cannot).
struct Call {
    caller: usize,
    ip: u32,
    func: Value,
    code: Value,
}

/// Start noting calls (the loop, or an exit's side trace, is about to be compiled).
pub fn start() {
    CALLS.with(|c| c.borrow_mut().clear());
    if !MINE.replace(true) {
        RECORDING.fetch_add(1, Ordering::Relaxed);
    }
}

/// Stop recording on this thread, keeping what was noted (a full buffer).
fn pause() {
    if MINE.replace(false) {
        RECORDING.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Stop and forget what was noted.
pub fn stop() {
    pause();
    CALLS.with(|c| c.borrow_mut().clear());
}

/// Tier 1 made an exact Python call at `ip` of `co` into `func` (a function).
#[inline(always)]
pub fn call(co: &CodeObj, ip: usize, func: &Value) {
    if RECORDING.load(Ordering::Relaxed) != 0 {
        note(co, ip, func);
    }
}

#[cold]
fn note(co: &CodeObj, ip: usize, func_v: &Value) {
    if !MINE.get() {
        return;
    }
    let Some(func) = func_v.downcast::<crate::types::func::FuncObj>() else {
        return;
    };
    CALLS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_CALLS {
            pause();
            return;
        }
        let caller = co as *const CodeObj as usize;
        if !c.iter().any(|k| k.caller == caller && k.ip == ip as u32) {
            c.push(Call {
                caller,
                ip: ip as u32,
                func: func_v.clone(),
                code: func.code_value(),
            });
        }
    });
}

/// The function called at `ip` of `co` in the recorded iteration (a strong reference:
/// the translator may read it where a specialization record only borrows it).
pub fn callee_func(co: &CodeObj, ip: usize) -> Option<Value> {
    recorded(co, ip, |k| k.func.clone())
}

/// The code object called at `ip` of `co` in the recorded iteration, and the globals
/// of the function that ran it.
pub fn callee(co: &CodeObj, ip: usize) -> Option<(Value, Value)> {
    recorded(co, ip, |k| {
        // SAFETY: only functions are noted (`note`).
        let f = unsafe { k.func.payload_unchecked::<crate::types::func::FuncObj>() };
        (k.code.clone(), f.globals.clone())
    })
}

/// What `f` takes from the call recorded at `ip` of `co`.
fn recorded<R>(co: &CodeObj, ip: usize, f: impl FnOnce(&Call) -> R) -> Option<R> {
    let caller = co as *const CodeObj as usize;
    CALLS.with(|c| {
        c.borrow()
            .iter()
            .find(|k| k.caller == caller && k.ip == ip as u32)
            .map(f)
    })
}
