//! The ABI that stitch's machine code sees (`#![no_std]`).
//!
//! Everything here has a fixed, documented layout because three consumers rely on it:
//! the runtime (`stitch-runtime`), the uop interpreter, and the copy-and-patch stencils
//! compiled from this crate by the JIT's build script. Changing a layout here changes
//! the machine code; the `offset_of!` tests pin every offset.
#![no_std]

pub mod bodies;
pub mod frame;
pub mod header;
pub mod instructions;
#[cfg(stitch_stencil_build)]
pub mod templates;
pub mod uops;
pub mod value;

pub use frame::FrameHeader;
pub use header::ObjHeader;
pub use value::RawValue;
