//! Stencils (machine code with holes, built by `jit/build.rs`) and their holes.
//!
//! Vocabulary after CPython's `Tools/jit/_stencils.py`: a `Hole` is like a relocation
//! record in an object file: a place in a stencil's code, what value goes there
//! (`HoleValue`), and an addend.

/// What a hole is patched with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoleValue {
    /// The instruction's 64-bit operand (`_JIT_OPARG`; a 64-bit absolute field).
    Oparg,
    /// The id of the thread the trace is compiled for (`_JIT_TID`; 64-bit absolute).
    Tid,
    /// A `CALL_HELPER`'s runtime function (`_JIT_HELPER`; 64-bit absolute address).
    Helper,
    /// The runtime's slow-path incref (`_JIT_INCREF`; 64-bit absolute address).
    Incref,
    /// The runtime's slow-path decref (`_JIT_DECREF`; 64-bit absolute address).
    Decref,
    /// The next stencil (`_JIT_CONTINUE`; a 32-bit PC-relative jump target).
    Continue,
    /// This stencil's exit (`_JIT_EXIT`; a 32-bit PC-relative jump target).
    Exit,
    /// This stencil's error exit (`_JIT_ERROR`; a 32-bit PC-relative jump target).
    Error,
}

#[derive(Clone, Copy, Debug)]
pub struct Hole {
    pub offset: usize,
    pub value: HoleValue,
    pub addend: i64,
}

/// One uop's machine code. A stencil whose code ends without a jump falls through to
/// the next one (its trailing `jmp _JIT_CONTINUE` was stripped).
#[derive(Debug)]
pub struct Stencil {
    pub name: &'static str,
    pub code: &'static [u8],
    pub holes: &'static [Hole],
}

use std::collections::HashMap;

include!(concat!(env!("OUT_DIR"), "/stencils.rs"));

/// The stencil of a uop, by name (as in `stencils/src/templates.rs`, without the
/// `stencil_` prefix). A hash lookup: the compiler asks once per uop, and a linear
/// search over the table by name was a measurable part of compiling a trace.
pub fn stencil(name: &str) -> Option<&'static Stencil> {
    static BY_NAME: std::sync::OnceLock<HashMap<&'static str, &'static Stencil>> =
        std::sync::OnceLock::new();
    BY_NAME
        .get_or_init(|| STENCILS.iter().map(|s| (s.name, s)).collect())
        .get(name)
        .copied()
}
