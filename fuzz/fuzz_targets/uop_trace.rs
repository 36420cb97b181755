//! cargo-fuzz target: random int uop traces, copy-and-patch vs the uop bodies.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| stitch_fuzz::check_uop_trace(data));
