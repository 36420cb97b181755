//! Replays the seed corpus of every fuzz target through its oracle, so the oracles run
//! under plain `cargo test` and cannot rot.
use std::path::Path;

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

#[test]
fn source_corpus_never_panics() {
    let inputs = corpus("source");
    assert!(inputs.len() >= 10, "seed corpus missing");
    for data in inputs {
        stitch_fuzz::check_source(&data);
    }
}

#[test]
fn pathological_nesting_is_a_clean_error() {
    // Deep nesting must not overflow the native stack in the parser or compiler.
    for src in [
        "(".repeat(100_000),
        format!("x = {}1{}", "(".repeat(5000), ")".repeat(5000)),
        format!("x = {}1", "-".repeat(100_000)),
        format!("x = {}1", "not ".repeat(50_000)),
        format!("x = {}", "[".repeat(3000) + &"]".repeat(3000)),
        "if 1:\n".repeat(500) + &" ".repeat(500) + "pass\n",
        format!("x = 1{}", " + 1".repeat(50_000)),
    ] {
        stitch_fuzz::check_source(src.as_bytes());
    }
}

#[test]
fn uop_trace_corpus_jit_matches_uop_bodies() {
    let inputs = corpus("uop_trace");
    assert!(inputs.len() >= 10, "seed corpus missing");
    for data in inputs {
        stitch_fuzz::check_uop_trace(&data);
    }
}

#[test]
fn uop_trace_generated_inputs() {
    // A fuel-bounded sweep of pseudo-random traces (xorshift), so the oracle runs on
    // more than the seeds under plain `cargo test`.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..300 {
        let mut data = Vec::new();
        for _ in 0..(x % 120) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            data.push(x as u8);
        }
        stitch_fuzz::check_uop_trace(&data);
        x = x.wrapping_add(0x1234_5678_9ABC_DEF1);
    }
}
