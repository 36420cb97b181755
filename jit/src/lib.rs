//! Tier 2 (trace JIT) of stitch: trace recording, uop IR, optimizer passes, the uop
//! interpreter and the copy-and-patch backend, invariants and patchpoints.
//!
//! The pipeline (`compile.rs`): `translate` (quickened bytecode -> uop IR, `ir`),
//! `optimize` (passes, each validated), then a backend: `emit` (copy-and-patch of the
//! stencils `build.rs` makes from `stitch_stencils::bodies`, into W^X `memory`) or
//! `uop_interp` (the same bodies, interpreted). `invariants` owns what traces assume.
pub mod compile;
pub mod dump;
pub mod emit;
pub mod invariants;
pub mod ir;
pub mod memory;
pub mod optimize;
pub mod stencil;
pub mod translate;
pub mod uop_interp;

/// Turn tier 2 on with `backend`: hot loops are compiled by `compile::compile`.
pub fn enable(backend: compile::Backend) {
    compile::set_backend(backend);
    stitch_runtime::tier2::set_compiler(compile::compile);
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
