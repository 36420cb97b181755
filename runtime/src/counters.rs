//! The `-X stats` counters, declared once: each line of `make_counters!` gives a
//! counter's name, its label in the report and its report section, and its doc says
//! what it counts. Adding a counter is one line here and the place that counts it.
//!
//! Counters are process-wide relaxed atomics: they are read once, at exit, and a
//! count lost between threads only blurs a statistic. (The per-instruction
//! specialization tables are `specialize::stats`'s, indexed by opcode.)
use std::sync::atomic::{AtomicU64, Ordering};

/// The report section a counter is printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `[stitch stats] tier 2: ...` (the trace life cycle, `tier2/mod.rs`).
    Tier2,
    /// `[stitch stats] jit invariants: ...` (`jit/src/invariants.rs`).
    JitInvariants,
}

macro_rules! make_counters {
    ($($(#[doc = $doc:literal])* $v:ident: $section:ident, $label:literal;)*) => {
        /// One `-X stats` counter.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        pub enum Counter {
            $($(#[doc = $doc])* $v,)*
        }

        impl Counter {
            /// Every counter, in report order.
            pub const ALL: &[Counter] = &[$(Counter::$v,)*];

            /// The counter's label in its report line.
            pub fn label(self) -> &'static str {
                match self {
                    $(Counter::$v => $label,)*
                }
            }

            pub fn section(self) -> Section {
                match self {
                    $(Counter::$v => Section::$section,)*
                }
            }
        }
    };
}

make_counters! {
    /// Loops compiled to a trace (first compilations).
    TracesCompiled: Tier2, "traces compiled";
    /// Side traces compiled from hot branch and loop-end exits.
    SideTraces: Tier2, "side traces";
    /// Loops compiled again because a guard exit of their trace got hot.
    TracesRecompiled: Tier2, "recompiled (hot exit)";
    /// Loop traces put back to the plain back edge, for a broken invariant (a watched
    /// dict changed) or too many recompilations.
    TracesUnhooked: Tier2, "unhooked (invalidated)";
    /// Loop traces a thread compiled for a loop another thread had compiled (each
    /// thread runs its own traces).
    ThreadTraces: Tier2, "per-thread";
    /// Loop traces unhooked for running too few iterations per entry.
    TracesUnprofitable: Tier2, "unprofitable";
    /// Traces registered with the invariants they rely on.
    TracesTracked: JitInvariants, "traces_tracked";
    /// Nanoseconds the longest `Globals` invalidation took (clearing the flags of the
    /// traces that relied on one dict).
    InvalidationNs: JitInvariants, "invalidation_ns";
    /// Global and builtin loads the translator turned into constants.
    GlobalsPromoted: JitInvariants, "globals_promoted";
    /// Watched dicts that changed (`Globals` invalidations).
    InvalidateGlobals: JitInvariants, "invalidate_globals";
    /// Traces whose flag those invalidations cleared.
    TracesInvalidatedGlobals: JitInvariants, "traces_invalidated_globals";
    /// Traces cleared by `InitCode` (a function's code replaced; they inlined an
    /// `__init__`).
    TracesInvalidatedCode: JitInvariants, "traces_invalidated_code";
    /// Chaotic actions taken (`-X chaos`).
    ChaosEvents: JitInvariants, "chaos_events";
}

static VALUES: [AtomicU64; Counter::ALL.len()] = [const { AtomicU64::new(0) }; Counter::ALL.len()];

impl Counter {
    fn cell(self) -> &'static AtomicU64 {
        &VALUES[self as usize]
    }

    pub fn incr(self) {
        self.add(1);
    }

    pub fn add(self, n: u64) {
        self.cell().fetch_add(n, Ordering::Relaxed);
    }

    /// For counters that record the last measurement.
    pub fn set(self, n: u64) {
        self.cell().store(n, Ordering::Relaxed);
    }

    /// For counters that record the largest measurement (`InvalidationNs`).
    pub fn max(self, n: u64) {
        self.cell().fetch_max(n, Ordering::Relaxed);
    }

    pub fn get(self) -> u64 {
        self.cell().load(Ordering::Relaxed)
    }
}

/// The counters of `section` as its report line shows them: `label value, ...`.
pub fn line(section: Section) -> String {
    Counter::ALL
        .iter()
        .filter(|c| c.section() == section)
        .map(|c| format!("{} {}", c.label(), c.get()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_index_their_own_cells() {
        for (k, c) in Counter::ALL.iter().enumerate() {
            assert_eq!(*c as usize, k);
        }
        assert!(line(Section::JitInvariants).starts_with("traces_tracked "));
    }
}
