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

/// The stitch binary the whole-program oracles run: `cargo test -p stitch-fuzz` alone
/// does not build it, so build it here (same profile) when it is missing.
fn ensure_stitch() {
    if stitch_fuzz::oracle::find_stitch().is_some() {
        return;
    }
    let release = std::env::current_exe()
        .ok()
        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "release"));
    let mut cmd = std::process::Command::new(env!("CARGO"));
    cmd.args(["build", "-p", "stitch", "--bin", "stitch"]);
    if release {
        cmd.arg("--release");
    }
    assert!(
        cmd.status().expect("cargo").success(),
        "building stitch failed"
    );
}

/// Inputs of `len` pseudo-random bytes (xorshift from `seed`).
fn sample(seed: u64, count: usize, len: usize) -> Vec<Vec<u8>> {
    let mut x = seed;
    (0..count)
        .map(|_| {
            (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x >> 24) as u8
                })
                .collect()
        })
        .collect()
}

/// Cases of the fixed-seed samples (`STITCH_FUZZ_CASES` raises it for a longer run).
/// Debug builds of stitch run several times slower: half the cases, so the whole-program
/// tests stay under a minute there.
fn cases(default: usize) -> usize {
    std::env::var("STITCH_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            default.div_ceil(2)
        } else {
            default
        })
}

#[test]
fn deopt_corpus_tiers_agree() {
    ensure_stitch();
    let inputs = corpus("deopt");
    assert!(inputs.len() >= 3, "seed corpus missing");
    for data in inputs {
        stitch_fuzz::check_deopt(&data);
    }
}

#[test]
fn deopt_generated_sample() {
    ensure_stitch();
    for data in sample(0xDE0F_7A11, cases(4), 400) {
        stitch_fuzz::check_deopt(&data);
    }
}

#[test]
fn thread_start_corpus_matches_one_thread_runs() {
    ensure_stitch();
    let inputs = corpus("thread_start");
    assert!(inputs.len() >= 3, "seed corpus missing");
    for data in inputs {
        stitch_fuzz::check_thread_start(&data);
    }
}

#[test]
fn thread_start_generated_sample() {
    ensure_stitch();
    for data in sample(0x7EAD_57A7, cases(2), 400) {
        stitch_fuzz::check_thread_start(&data);
    }
}
