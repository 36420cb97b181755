//! Fuzz target: arbitrary bytes through the parser and compiler.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    stitch_fuzz::check_source(data);
});
