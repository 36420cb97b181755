//! cargo-fuzz target: generated programs built to deoptimize, every tier vs tier 1
//! (and CPython); see `stitch_fuzz::oracle::check_deopt`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| stitch_fuzz::check_deopt(data));
