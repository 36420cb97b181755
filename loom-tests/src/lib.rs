//! loom models of stitch's concurrency protocols. They run the real protocol code
//! through the sync shim under `--cfg stitch_loom`; the models arrive with the
//! free-threading and JIT issues.
