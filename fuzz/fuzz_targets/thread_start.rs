//! cargo-fuzz target: the deopt programs with threads started at chosen points, vs
//! their one-thread version; see `stitch_fuzz::oracle::check_thread_start`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| stitch_fuzz::check_thread_start(data));
