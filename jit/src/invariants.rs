//! Invariants: what compiled traces assume, and the one entry point per event that
//! breaks each assumption (after ZJIT's `invariants.rs`).
//!
//! # Protocol
//!
//! Every compiled trace has its own validity flag (a `stitch_sync::patchpoint::
//! Assumption`), and every patchpoint of the trace loads that flag: at entry and
//! right after each uop that can run arbitrary code. A trace is valid while all the
//! invariants it was compiled under hold; breaking an invariant stores false into the
//! flag of every trace that relies on it, *before* the event that breaks it can have
//! an effect:
//!
//! - `SingleThreaded` (every trace): a thread is about to start. All flags are cleared
//!   before the OS thread is spawned (`stitch_sync::patchpoint` explains why then no
//!   thread runs single-thread code while another runs Python code). Traces are not
//!   compiled afterwards.
//! - `Globals` (traces that load a global or builtin as a constant): the dict it came
//!   from is about to change (`stitch_runtime::tier2::watch`). Dicts change only while
//!   code that escapes runs, and a patchpoint follows every escaping uop, so a trace
//!   never uses a constant after its dict changed. The loop compiles again later; a
//!   dict whose watch fired `MAX_GLOBALS_INVALIDATIONS` times is not promoted from
//!   again (its loads stay guarded helpers).
//!
//! Flags and traces are never freed (code is not freed yet), so a late invalidation of
//! a trace that is no longer installed is harmless. Invalidation walks the affected
//! traces' flags (latency grows with their number: measured in `-X stats` and
//! `bench/jit/invalidation.py`).
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use stitch_runtime::counters::Counter;

use stitch_sync::patchpoint::{Assumption, Dependents};
use stitch_sync::shim::Arc;

/// Assumptions traces can be compiled under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invariant {
    /// There is one thread running Python code.
    SingleThreaded,
    /// A watched globals or builtins dict has not changed since the trace was
    /// compiled.
    Globals,
}

static SINGLE_THREADED: LazyLock<Assumption> = LazyLock::new(Assumption::new);
/// Every trace relies on `SingleThreaded`.
static SINGLE_THREADED_TRACES: LazyLock<Dependents> = LazyLock::new(Dependents::new);

/// Watch firings of one dict after which its entries are no longer promoted.
pub const MAX_GLOBALS_INVALIDATIONS: u32 = 4;

#[derive(Default)]
struct Registry {
    /// Flags of the traces relying on each watched dict (by `DictData` identity).
    watchers: HashMap<usize, Vec<Arc<Assumption>>>,
    /// Times each dict's watch fired.
    fired: HashMap<usize, u32>,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(Default::default);

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|p| p.into_inner())
}

/// Does `SingleThreaded` still hold (may a new trace be compiled)?
pub fn holds(inv: Invariant) -> bool {
    match inv {
        Invariant::SingleThreaded => SINGLE_THREADED.holds(),
        Invariant::Globals => true,
    }
}

/// A validity flag for a trace about to be translated (its patchpoints load it; it
/// lives as long as the process, like trace code).
pub fn new_trace_flag() -> Arc<Assumption> {
    let a = Arc::new(Assumption::new());
    std::mem::forget(a.clone());
    a
}

/// May a trace load entries of the dict `dict` (a `DictData` identity) as constants?
pub fn may_promote(dict: usize) -> bool {
    registry().fired.get(&dict).copied().unwrap_or(0) < MAX_GLOBALS_INVALIDATIONS
}

/// A trace was installed with validity `flag`, relying on `SingleThreaded` and on
/// the watched dicts `dicts` (with `promoted` loads from them).
pub fn track(flag: &Arc<Assumption>, dicts: &[usize], promoted: usize) {
    let mut r = registry();
    for &d in dicts {
        r.watchers.entry(d).or_default().push(flag.clone());
    }
    drop(r);
    SINGLE_THREADED_TRACES.add(flag.clone());
    Counter::TracesTracked.incr();
    Counter::GlobalsPromoted.add(promoted as u64);
}

/// The one entry point for "a thread is about to start".
pub fn invalidate_single_threaded() {
    let start = std::time::Instant::now();
    if SINGLE_THREADED.invalidate() {
        let n = SINGLE_THREADED_TRACES.invalidate_all();
        Counter::InvalidationNs.set(start.elapsed().as_nanos() as u64);
        Counter::TracesInvalidatedSingleThreaded.set(n as u64);
        Counter::InvalidateSingleThreaded.incr();
    }
}

/// The one entry point for "a watched dict is about to change" (installed as the
/// runtime's dict watcher; runs inside the dict's critical section and touches no
/// dict).
pub fn dict_modified(dict: usize) {
    let mut r = registry();
    *r.fired.entry(dict).or_default() += 1;
    let flags = r.watchers.remove(&dict).unwrap_or_default();
    drop(r);
    let n = flags.iter().filter(|f| f.invalidate()).count();
    Counter::InvalidateGlobals.incr();
    Counter::TracesInvalidatedGlobals.add(n as u64);
}

/// Hook the invalidations into the runtime: the single -> multi-threaded switch and
/// dict watches.
pub fn install() {
    stitch_runtime::thread_state::on_multi_threaded(invalidate_single_threaded);
    stitch_runtime::tier2::watch::set_watcher(dict_modified);
}
