//! Fuzz generators and oracles, as a library so `cargo test` runs them too.
//!
//! Oracles report a bug by panicking; fuzz targets in `fuzz_targets/` only glue them to
//! libFuzzer.

/// The front-end oracle: any bytes, compiled as a program, give a clean result or a
/// clean error, never a panic.
pub fn check_source(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let _ = stitch_runtime::compile::compile(src, "<fuzz>");
}
