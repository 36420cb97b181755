//! A fuzz campaign without libFuzzer (for machines without cargo-fuzz): random inputs
//! through a target's oracle for a given time; each failing input is saved for
//! `show` and the replay test. The oracles run stitch as a subprocess, so libFuzzer's
//! coverage feedback (of the generator only) adds little over this.
//!
//! `cargo run --release -p stitch-fuzz --example campaign -- deopt|thread_start SECONDS [SEED]`
//! Failing inputs go to `fuzz/artifacts/<target>/`.
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args
        .first()
        .map(String::as_str)
        .unwrap_or("deopt")
        .to_string();
    let secs: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let mut x: u64 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::process::id() as u64 * 0x9E37_79B9 + 1);
    let check: fn(&[u8]) = match target.as_str() {
        "deopt" => stitch_fuzz::check_deopt,
        "thread_start" => stitch_fuzz::check_thread_start,
        t => panic!("unknown target {t}"),
    };
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("artifacts")
        .join(&target);
    std::fs::create_dir_all(&out).expect("artifacts dir");
    std::panic::set_hook(Box::new(|_| {}));
    let start = Instant::now();
    let (mut runs, mut fails) = (0u64, 0u64);
    while start.elapsed() < Duration::from_secs(secs) {
        let len = 64 + (x % 700) as usize;
        let data: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        runs += 1;
        if let Err(e) = std::panic::catch_unwind(|| check(&data)) {
            fails += 1;
            let name = out.join(format!("fail-{runs}-{x:016x}"));
            std::fs::write(&name, &data).expect("save input");
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let first = msg.lines().next().unwrap_or("");
            println!("FAIL {} : {first}", name.display());
            std::fs::write(name.with_extension("txt"), msg).expect("save report");
        }
    }
    println!(
        "{target}: {runs} inputs in {:.0} s, {fails} failing",
        start.elapsed().as_secs_f64()
    );
}
