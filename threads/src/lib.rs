//! Threads for stitch: the entry points the binary and tier 2 use.
//!
//! The pieces of free threading live where what calls them can reach them without a
//! dependency cycle or a hook on a hot path: the protocols (registry, attach/detach,
//! BRC merge queues, stop-the-world) in `stitch-sync`, which the loom models run; the
//! runtime's glue in `runtime/src/thread_state.rs` (this thread's breaker, blocking
//! regions, the single -> multi-threaded switch and its hooks); `_thread` in
//! `runtime/src/modules/thread/`. docs/architecture.md ("Where the thread code
//! lives") says why each stays there and what moving `_thread` here needs.
pub use stitch_runtime::thread_state::{
    about_to_start_thread, is_multi_threaded, on_multi_threaded, stop_the_world,
};
