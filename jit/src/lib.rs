//! Tier 2 (trace JIT) of stitch: trace recording, uop IR, optimizer passes, the uop
//! interpreter and the copy-and-patch backend, invariants and patchpoints.
//!
//! Built so far: the stencil builder (`build.rs`: Rust stencils -> object file ->
//! `Stencil`/`Hole` tables), W^X executable memory and the copy-and-patch emitter,
//! tested by running patched uop sequences. Trace recording, the uop IR and optimizer,
//! exits into tier 1 and invariants come next; until then every program runs in
//! tier 1.
pub mod emit;
pub mod invariants;
pub mod memory;
pub mod stencil;
pub mod trace;

/// Turn tier 2 on: hot loops are compiled by `trace::compile`.
pub fn enable() {
    stitch_runtime::tier2::set_compiler(trace::compile);
}

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
