//! `-X chaos=SEED`: a stress mode for threaded programs (issue 16). It forces thread
//! switches, stop-the-worlds, cycle collections and trace invalidations at
//! pseudo-random safe points, so the protocols between threads (biased reference
//! counting merges, parking, the collector, traces leaving and recompiling while other
//! threads run) are exercised far more often than ordinary scheduling would.
//!
//! A chaos thread (an OS thread that runs no Python code and is not registered) wakes
//! every 20-400 us and sets `BREAK_CHAOS` in the breaker word of one registered
//! thread (`Registry::poke`). That thread, at its next eval-breaker check (a back edge,
//! a call, a loop trace's head: `CHECK_BREAKER` leaves the trace), draws one action
//! from its own generator: give up its core (a thread switch), sleep up to 200 us, stop
//! the world and restart it, ask for a cycle collection at its next safe point, or
//! invalidate every compiled trace (they leave at their next patchpoint, are unhooked,
//! and compile again when hot).
//!
//! Reproducibility: the chaos thread's generator is seeded with SEED and each Python
//! thread's with SEED and its thread id, so the sequence of choices is the same on
//! every run; when the breaker bits land depends on the OS scheduler (stitch has no
//! scheduler of its own), so a failure found with a seed is re-run with it many times.
//! Off (the default), nothing here runs and no check is added anywhere: the bit is
//! only ever set by the chaos thread.
use std::cell::Cell;
use std::sync::OnceLock;
use std::time::Duration;

use stitch_sync::threads::BREAK_CHAOS;

/// The seed, once chaos mode is on.
static SEED: OnceLock<u64> = OnceLock::new();

/// Invalidates every compiled trace (installed by the JIT).
static INVALIDATE_ALL: OnceLock<fn()> = OnceLock::new();

thread_local! {
    /// This thread's generator state (0: not seeded yet).
    static RNG: Cell<u64> = const { Cell::new(0) };
}

/// splitmix64: a small, good-enough generator for choosing actions.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The JIT's "invalidate every trace" entry point.
pub fn set_invalidate_all(f: fn()) {
    let _ = INVALIDATE_ALL.set(f);
}

/// Is chaos mode on?
pub fn enabled() -> bool {
    SEED.get().is_some()
}

/// Turn chaos mode on with `seed` and start the chaos thread (once).
pub fn start(seed: u64) {
    if SEED.set(seed).is_err() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("stitch-chaos".into())
        .spawn(move || {
            let mut s = seed ^ 0x5eed;
            loop {
                let pause = 20 + next(&mut s) % 380;
                std::thread::sleep(Duration::from_micros(pause));
                crate::thread_state::REGISTRY.poke(next(&mut s), BREAK_CHAOS);
            }
        });
}

/// This thread's next draw.
fn draw() -> u64 {
    RNG.with(|r| {
        let mut s = r.get();
        if s == 0 {
            s = SEED.get().copied().unwrap_or(0)
                ^ crate::object::current_tid().wrapping_mul(0x1000_0001);
        }
        let v = next(&mut s);
        r.set(s);
        v
    })
}

/// `BREAK_CHAOS` was set for this thread: do one chaotic thing (at an eval-breaker
/// check, attached, holding no lock).
#[cold]
pub fn at_safe_point() {
    if let Some(b) = crate::thread_state::current_breaker() {
        b.fetch_and(!BREAK_CHAOS, stitch_sync::shim::Ordering::AcqRel);
    }
    let tid = crate::object::current_tid();
    match draw() % 16 {
        0..=5 => std::thread::yield_now(),
        6..=9 => {
            crate::thread_state::blocking(|| {
                std::thread::sleep(Duration::from_micros(draw() % 200))
            });
        }
        10..=11 => {
            crate::thread_state::REGISTRY.stop_the_world(tid, std::thread::yield_now);
        }
        12..=13 => crate::gc::auto::request_now(),
        _ => {
            if let Some(f) = INVALIDATE_ALL.get() {
                f();
            }
        }
    }
    crate::counters::Counter::ChaosEvents.incr();
}
