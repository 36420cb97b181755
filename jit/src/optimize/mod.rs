//! The trace optimizer: passes over the uop IR, one per file, each followed by the
//! validator in debug builds and tests (`validate::check`).
//!
//! - `types`: abstract interpretation of the kinds of stack slots and locals (small
//!   int, float, other non-heap word); removes type guards whose outcome it knows and
//!   turns loads and stores of non-heap values into their reference-count-free forms
//!   (borrowed loads: nothing to count).
//! - `borrow`: loads of locals whose consumer does not need a counted reference
//!   (attribute loads and stores, subscripts) skip the count and the consumer's
//!   release; exits in between count the borrowed slot for tier 1.
//! - `patchpoints`: drops patchpoints that no escaping uop precedes (the code since
//!   the last one could not have started a thread).
pub mod borrow;
pub mod patchpoints;
pub mod types;
pub mod validate;

use crate::ir::TraceIr;

/// The passes, in order, with their names (for dumps and tests).
/// A pass rewrites the trace in place.
pub type Pass = fn(&mut TraceIr);

pub const PASSES: &[(&str, Pass)] = &[
    ("types", types::run),
    ("borrow", borrow::run),
    ("patchpoints", patchpoints::run),
];

/// Run every pass, validating after each when `validate_each` (tests, debug builds).
pub fn optimize(ir: &mut TraceIr, validate_each: bool) -> Result<(), String> {
    for (name, pass) in PASSES {
        pass(ir);
        if validate_each {
            validate::check(ir).map_err(|e| format!("after pass `{name}`: {e}"))?;
        }
    }
    Ok(())
}
