//! stitch's one sync shim and the small lock-free protocols built on it.
//!
//! Protocol code (specialization publish, and later BRC queues, patchpoints and
//! stop-the-world) takes every atomic, lock and cell from [`shim`], never from `std`
//! directly. Under `--cfg stitch_loom` the shim re-exports loom's types, so the loom
//! models in `loom-tests/` run the very code the runtime runs.
pub mod brc;
pub mod inline_cache;
pub mod owner_chain;
pub mod patchpoint;
pub mod shim;
pub mod spin_lock;
pub mod threads;
pub mod weakref;
