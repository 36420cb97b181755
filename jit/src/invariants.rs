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
//! an effect.
//!
//! One invariant is left: `Globals` (traces that load a global or builtin as a
//! constant): the dict it came from has not changed (`stitch_runtime::tier2::watch`).
//! The watcher runs inside the dict's critical section, before the change.
//! - On the trace's own thread, dicts change only while code that escapes runs, and a
//!   patchpoint follows every escaping uop, so the trace never uses a constant after
//!   its dict changed.
//! - Another thread may change the dict while the trace is between patchpoints: the
//!   trace then uses the old value until its next patchpoint, as an unsynchronized
//!   read of the global would (any synchronization with the writer goes through a
//!   call, which escapes and is followed by a patchpoint). The old value stays alive:
//!   the translator holds a reference to every promoted object (`tier2::hold`).
//! - The translator watches a dict *before* it reads the value it promotes, and notes
//!   how often the dict's watch has fired then (`fired_count`); `track`, which
//!   registers the trace's flag, compares under the registry's lock and clears the
//!   flag if the dict changed in between (a change by another thread while the trace
//!   was being compiled), so no installed trace holds a constant its dict no longer has
//!   without a cleared flag.
//!
//! A second invariant, `InitCode`: the `__init__` a trace inlined (guarded by its
//! class's version tag) still has the code the trace was translated from. Replacing any
//! function's code (`f.__code__ = ...`, with the world stopped) invalidates every trace
//! that inlined an `__init__` (`code_assigned`); the translator notes the assignment
//! count when it reads an `__init__`'s code, and `track` clears the flag if it moved.
//! Calls inlined by `guard_callee` compare the code itself and need nothing more.
//!
//! The loop compiles again later; a dict whose watch fired `MAX_GLOBALS_INVALIDATIONS`
//! times is not promoted from again (its loads stay guarded helpers).
//!
//! There is no single-thread invariant: a trace runs only on the thread that compiled
//! it (`CompiledTrace::owner`; other threads compile their own), and everything it
//! does is correct with other threads running (see "Traces per thread" in
//! `docs/architecture.md`), so starting a thread invalidates nothing.
//!
//! Flags and traces are never freed (code is not freed yet), so a late invalidation of
//! a trace that is no longer installed is harmless. Invalidation walks the affected
//! traces' flags (latency grows with their number: the longest is in `-X stats`,
//! `invalidation_ns`, and `bench/jit/invalidation.py` measures it).
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use stitch_runtime::counters::Counter;

use stitch_sync::patchpoint::Assumption;
use stitch_sync::shim::Arc;

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

/// Flags of the traces that inlined an `__init__` (`InitCode`), and the number of
/// code assignments so far.
static INIT_INLINERS: Mutex<(Vec<Arc<Assumption>>, u64)> = Mutex::new((Vec::new(), 0));

fn init_inliners() -> std::sync::MutexGuard<'static, (Vec<Arc<Assumption>>, u64)> {
    INIT_INLINERS.lock().unwrap_or_else(|p| p.into_inner())
}

/// Code assignments so far (read by the translator before it reads an `__init__`'s
/// code; `track` compares).
pub fn code_epoch() -> u64 {
    init_inliners().1
}

/// The one entry point for "a function's code was replaced".
fn code_assigned() {
    let flags = {
        let mut g = init_inliners();
        g.1 += 1;
        std::mem::take(&mut g.0)
    };
    let n = flags.iter().filter(|f| f.invalidate()).count();
    Counter::TracesInvalidatedCode.add(n as u64);
}

/// Every tracked trace's flag, for `-X chaos`'s "invalidate everything" (which may
/// fire any number of times, unlike a `Dependents`' one break).
static ALL_TRACES: Mutex<Vec<Arc<Assumption>>> = Mutex::new(Vec::new());

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|p| p.into_inner())
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
    fired_count(dict) < MAX_GLOBALS_INVALIDATIONS
}

/// Times the watch of `dict` has fired so far (read after watching it, before reading
/// what to promote from it: `track` compares).
pub fn fired_count(dict: usize) -> u32 {
    registry().fired.get(&dict).copied().unwrap_or(0)
}

/// A trace was installed with validity `flag`, relying on the watched dicts `dicts`
/// (with `promoted` loads from them), whose watches had fired `fired` times when the
/// translator read from them: if one fired since, the flag is cleared now.
///
/// A trace that inlined an `__init__` (`init_epoch`: the code assignments counted
/// before the translator read its code) is registered for `InitCode`, and cleared now
/// if a code assignment came since.
pub fn track(
    flag: &Arc<Assumption>,
    dicts: &[usize],
    fired: &[u32],
    promoted: usize,
    init_epoch: Option<u64>,
) {
    if let Some(then) = init_epoch {
        let mut g = init_inliners();
        if g.1 != then && flag.invalidate() {
            Counter::TracesInvalidatedCode.incr();
        }
        g.0.push(flag.clone());
    }
    let mut r = registry();
    let mut changed = false;
    for (k, &d) in dicts.iter().enumerate() {
        let now = r.fired.get(&d).copied().unwrap_or(0);
        changed |= fired.get(k).is_some_and(|&then| then != now);
        r.watchers.entry(d).or_default().push(flag.clone());
    }
    drop(r);
    if stitch_runtime::chaos::enabled() {
        ALL_TRACES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(flag.clone());
    }
    if changed && flag.invalidate() {
        Counter::TracesInvalidatedGlobals.incr();
    }
    Counter::TracesTracked.incr();
    Counter::GlobalsPromoted.add(promoted as u64);
}

/// The one entry point for "a watched dict is about to change" (installed as the
/// runtime's dict watcher; runs inside the dict's critical section and touches no
/// dict).
pub fn dict_modified(dict: usize) {
    let start = std::time::Instant::now();
    let mut r = registry();
    *r.fired.entry(dict).or_default() += 1;
    let flags = r.watchers.remove(&dict).unwrap_or_default();
    drop(r);
    let n = flags.iter().filter(|f| f.invalidate()).count();
    Counter::InvalidateGlobals.incr();
    Counter::TracesInvalidatedGlobals.add(n as u64);
    Counter::InvalidationNs.max(start.elapsed().as_nanos() as u64);
}

/// `-X chaos`: invalidate every trace (they leave at their next patchpoint).
fn invalidate_all() {
    let flags = std::mem::take(&mut *ALL_TRACES.lock().unwrap_or_else(|p| p.into_inner()));
    for f in flags {
        f.invalidate();
    }
}

/// Hook the invalidations into the runtime: dict watches, and `-X chaos`.
pub fn install() {
    stitch_runtime::tier2::watch::set_watcher(dict_modified);
    stitch_runtime::tier2::watch::set_code_watcher(code_assigned);
    stitch_runtime::chaos::set_invalidate_all(invalidate_all);
}
