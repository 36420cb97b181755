//! Threads for stitch: where the pieces of free threading live.
//!
//! The design put the thread registry, BRC merge queues and stop-the-world here. They
//! ended up split by what needs them: the protocols are in `stitch-sync`
//! (`threads.rs`: registry, attach/detach, merge queues, stop-the-world; `brc.rs`: the
//! counting rules), so the loom models run them and the runtime calls them without
//! depending on this crate; the runtime glue is `runtime/src/thread_state.rs` (the
//! eval breaker, blocking regions, the single -> multi-threaded switch and its hooks)
//! and `runtime/src/builtins/thread_module.rs` (`_thread`); `threading` and `queue`
//! are Python in `runtime/lib/`. This crate re-exports the entry points the binary and
//! tier 2 use.
pub use stitch_runtime::thread_state::{
    about_to_start_thread, is_multi_threaded, on_multi_threaded, stop_the_world,
};
