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

/// The JIT's mode as selected by `-X jit=...` (declared with the other options in
/// `stitch_runtime::options`).
pub use stitch_runtime::options::JitMode;
