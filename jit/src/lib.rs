//! Tier 2 (trace JIT) of stitch: trace recording, uop IR, optimizer passes, the uop
//! interpreter and the copy-and-patch backend, invariants and patchpoints.
//!
//! Not built yet: the foundation runs everything in tier 1. This crate exists so the
//! workspace has its final shape and the binary already links the JIT's entry point.

/// The JIT's mode as selected by `-X jit=...` / `STITCH_JIT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JitMode {
    Off,
    Uops,
    On,
}

impl JitMode {
    pub fn parse(s: &str) -> Option<JitMode> {
        match s {
            "off" | "0" => Some(JitMode::Off),
            "uops" => Some(JitMode::Uops),
            "on" | "1" => Some(JitMode::On),
            _ => None,
        }
    }
}
