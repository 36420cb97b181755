//! Threads for stitch: the `threading` and `queue` modules, the thread registry, BRC
//! merge queues and stop-the-world. Not built yet (see the free-threading issue); the
//! runtime is single-threaded until then.
