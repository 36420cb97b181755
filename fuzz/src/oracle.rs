//! Differential oracles over whole programs: the `stitch` binary runs each generated
//! program as a subprocess (the JIT mode is a process-wide setting chosen at start, so
//! there is no in-process way to run one program under several tiers), bounded by a
//! wall-clock limit, under tier 1, the uop interpreter and the JIT; CPython runs it too
//! when `python3` is installed.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use arbitrary::Unstructured;

use crate::deopt::{Program, generate};

/// What one run printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    /// stderr up to the `-X stats` report.
    pub stderr: String,
    /// The `-X stats` report, if any.
    pub stats: String,
    /// Exit code; `None` if killed by a signal (a crash) or by the time limit.
    pub code: Option<i32>,
    pub timed_out: bool,
}

impl Outcome {
    fn last_stderr_line(&self) -> &str {
        self.stderr.lines().last().unwrap_or("")
    }

    fn crashed(&self) -> bool {
        (self.code.is_none() && !self.timed_out)
            || self.stderr.contains("panicked")
            || self.stderr.contains("internal error")
    }
}

/// Fuel: a run longer than this is killed and reported (generated programs run in
/// well under a second in release builds).
pub fn time_limit() -> Duration {
    let secs = std::env::var("STITCH_FUZZ_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 60 } else { 20 });
    Duration::from_secs(secs)
}

/// The `stitch` binary: `$STITCH_BIN`, else `stitch` in the target directory of the
/// running executable (`target/<profile>/deps/test-hash` or `target/<profile>/deopt`).
pub fn stitch_bin() -> PathBuf {
    find_stitch().unwrap_or_else(|| {
        panic!("no stitch binary in this target directory: build it (cargo build --release) or set STITCH_BIN")
    })
}

/// `stitch_bin` without the panic.
pub fn find_stitch() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("STITCH_BIN") {
        return Some(PathBuf::from(p));
    }
    let exe = std::env::current_exe().ok()?;
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|d| d.join("stitch"))
        .find(|c| c.is_file())
}

/// Run `bin args path` with the time limit.
pub fn run(bin: &Path, args: &[&str], path: &Path) -> Outcome {
    let mut child = Command::new(bin)
        .args(args)
        .arg(path)
        .env("PYTHONHASHSEED", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    // Read both pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut v);
        v
    });
    let start = Instant::now();
    let limit = time_limit();
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let stdout = String::from_utf8_lossy(&t_out.join().unwrap_or_default()).into_owned();
    let stderr_all = String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned();
    let (stderr, stats) = match stderr_all.find("[stitch stats]") {
        Some(i) => (stderr_all[..i].to_string(), stderr_all[i..].to_string()),
        None => (stderr_all, String::new()),
    };
    Outcome {
        stdout,
        stderr,
        stats,
        code: if timed_out { None } else { status.code() },
        timed_out,
    }
}

/// Is CPython 3.11 there to compare with? (`STITCH_FUZZ_NO_PYTHON=1` skips it.)
pub fn python3() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| {
        std::env::var_os("STITCH_FUZZ_NO_PYTHON").is_none()
            && Command::new("python3")
                .args(["-c", "import sys; assert sys.version_info[:2] == (3, 11)"])
                .output()
                .is_ok_and(|o| o.status.success())
    })
}

/// Write `src` to a fresh file (unique per process and call: tests run in parallel).
fn write_program(src: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!("stitch-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("prog{}.py", N.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&path, src).expect("write program");
    path
}

/// The tiers every program runs under (name, `-X` arguments).
pub const MODES: &[(&str, &[&str])] = &[
    ("tier 1 (-X jit=off)", &["-X", "jit=off"]),
    (
        "uop interpreter (-X jit=uops -X jit-hot=1)",
        &["-X", "jit=uops", "-X", "jit-hot=1"],
    ),
    (
        "JIT (-X jit=on -X jit-hot=1)",
        &["-X", "jit=on", "-X", "jit-hot=1"],
    ),
    ("JIT (-X jit=on, default hotness)", &["-X", "jit=on"]),
];

fn fail(what: &str, src: &str, a: &Outcome, b: &Outcome) -> ! {
    let keep = write_program(src);
    panic!(
        "{what}\n--- program (kept at {}) ---\n{src}--- expected ---\n{a:#?}\n--- got ---\n{b:#?}",
        keep.display()
    );
}

/// Every tier agrees on `src` (stdout, stderr, exit), nothing crashes or hangs, and
/// CPython agrees (stdout, exit code, last stderr line) when present. Returns tier 1's
/// outcome.
pub fn check_program(src: &str) -> Outcome {
    let bin = stitch_bin();
    let path = write_program(src);
    let mut reference: Option<Outcome> = None;
    for (name, args) in MODES {
        let got = run(&bin, args, &path);
        if got.crashed() {
            fail(&format!("stitch crashed under {name}"), src, &got, &got);
        }
        match &reference {
            None => reference = Some(got),
            Some(want) if want.timed_out && got.timed_out => {}
            Some(want) => {
                if *want != got {
                    fail(&format!("tier 1 and {name} differ"), src, want, &got);
                }
            }
        }
    }
    let want = reference.expect("ran");
    if want.timed_out {
        // Every tier ran out of time: the generator should never make such programs.
        fail("every tier ran out of time", src, &want, &want);
    }
    if python3() {
        let py = run(Path::new("python3"), &[], &path);
        if (py.stdout.as_str(), py.code, py.last_stderr_line())
            != (want.stdout.as_str(), want.code, want.last_stderr_line())
        {
            fail("CPython and stitch differ", src, &py, &want);
        }
    }
    let _ = std::fs::remove_file(&path);
    want
}

/// The `deopt` oracle: a program generated from `data` gives the same results in
/// every tier (and in CPython).
pub fn check_deopt(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(p) = generate(&mut u, false) else {
        return;
    };
    check_program(&p.source_single);
}

/// `-X stats` counters of the JIT's invariants (name -> value).
fn invariant_counters(stats: &str) -> Vec<(String, u64)> {
    let Some(line) = stats
        .lines()
        .find(|l| l.starts_with("[stitch stats] jit invariants:"))
    else {
        return Vec::new();
    };
    line["[stitch stats] jit invariants:".len()..]
        .split(',')
        .filter_map(|kv| {
            let (k, v) = kv.trim().rsplit_once(' ')?;
            Some((k.to_string(), v.parse().ok()?))
        })
        .collect()
}

/// The `thread_start` oracle: the program generated from `data` with threads started
/// at its chosen points gives, in every tier, the result of its one-thread version
/// (where the work runs on the calling thread); and when a thread started in a JIT
/// run, every trace compiled before was invalidated when it started and none was
/// compiled after (`-X stats`: the traces the single-threaded switch invalidated, plus
/// those a globals change had invalidated before, are all the traces tracked).
pub fn check_thread_start(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(p) = generate(&mut u, true) else {
        return;
    };
    check_threaded(&p);
}

pub fn check_threaded(p: &Program) {
    let single = check_program(&p.source_single);
    let threaded = check_program(&p.source_threaded);
    if (
        single.stdout.as_str(),
        single.code,
        single.last_stderr_line(),
    ) != (
        threaded.stdout.as_str(),
        threaded.code,
        threaded.last_stderr_line(),
    ) {
        fail(
            "the threaded program and its one-thread version differ",
            &p.source_threaded,
            &single,
            &threaded,
        );
    }
    // The counters, in the JIT stress mode (every loop compiled at once).
    let bin = stitch_bin();
    let path = write_program(&p.source_threaded);
    for args in [
        &["-X", "stats", "-X", "jit=on", "-X", "jit-hot=1"][..],
        &["-X", "stats", "-X", "jit=uops", "-X", "jit-hot=1"][..],
    ] {
        let got = run(&bin, args, &path);
        if got.crashed() || got.stdout != threaded.stdout {
            fail(
                "run with -X stats differs",
                &p.source_threaded,
                &threaded,
                &got,
            );
        }
        // Starting a thread invalidates no trace (each thread runs only the traces it
        // compiled; `tier2::run_loop` asserts it at every exit): the only
        // invalidations are watched dicts' changes.
        let c = invariant_counters(&got.stats);
        let get = |k: &str| c.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
        let tracked = get("traces_tracked").unwrap_or(0);
        let by_globals = get("traces_invalidated_globals").unwrap_or(0);
        if by_globals > tracked {
            fail(
                &format!(
                    "{tracked} traces compiled, but {by_globals} invalidated by globals changes"
                ),
                &p.source_threaded,
                &threaded,
                &got,
            );
        }
    }
    let _ = std::fs::remove_file(&path);
}
