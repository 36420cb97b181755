//! Dict watching: how a dict tells tier 2 that contents traces rely on changed.
//!
//! Traces load globals and builtins as constants (`jit::invariants`'s `Globals`
//! invariant). The dict they came from is *watched* (`DictData::watch`); its next
//! change of a key or value calls `fire` with the dict's identity before the change is
//! visible to anyone but the thread making it, and the JIT invalidates the traces that
//! rely on the dict. A trace only reads such a constant after a passing patchpoint
//! with no escaping uop since, and a dict can only change while code that escapes
//! runs, so no trace uses a stale value.
//!
//! A notification fires once; the JIT watches the dict again when it next compiles a
//! trace relying on it.
//!
//! Function code is watched too (`code_assigned`, below).
use std::sync::OnceLock;

static WATCHER: OnceLock<fn(usize)> = OnceLock::new();

/// Installed by the JIT at startup.
pub fn set_watcher(f: fn(usize)) {
    let _ = WATCHER.set(f);
}

/// A watched dict (identity `dict`) is about to change. Called with the dict's
/// critical section held: the watcher must not touch dicts.
#[cold]
pub fn fire(dict: usize) {
    if let Some(f) = WATCHER.get() {
        f(dict);
    }
}

/// Code watching: a function's `__code__` was replaced (`types::func_code`). Traces
/// guard the code of the functions they inline (`guard_callee`), but an inlined
/// `__init__` is guarded through its class's version tag only, which the assignment
/// does not change: the JIT invalidates those traces. Runs with the world stopped.
static CODE_WATCHER: OnceLock<fn()> = OnceLock::new();

/// Installed by the JIT at startup.
pub fn set_code_watcher(f: fn()) {
    let _ = CODE_WATCHER.set(f);
}

/// Some function's code was just replaced.
#[cold]
pub fn code_assigned() {
    if let Some(f) = CODE_WATCHER.get() {
        f();
    }
}
