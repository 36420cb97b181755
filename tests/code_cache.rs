//! The on-disk code cache (runtime/src/compile/code_cache.rs): a module imported a
//! second time runs from its cached code with the same results, a changed source is
//! recompiled, a damaged entry is ignored, and `STITCH_CODE_CACHE=0` writes nothing.
use std::path::{Path, PathBuf};
use std::process::Command;

const MODULE: &str = r#"
"""A module whose constants cover what the cache must keep."""
X = 1
BIG = 2 ** 100
CONSTS = (1.5, -0.0, 3j, b"by\x00tes", "h\u00e9llo \U0001f600", None, True, ..., frozenset({3, 4}))

def boom(n):
    try:
        return 1 // n
    finally:
        pass

class K:
    attr = "identifier_like"
    def method(self, *args, key=7, **kw):
        return [a for a in args if a], key, kw, lambda y: y + X
"#;

const MAIN: &str = r#"
import m
import sys
print(m.__doc__, m.X, m.BIG, m.CONSTS)
print(m.K().method(0, 1, 2, key=3, z=4)[:3], m.K().method()[3](10))
print(m.K.attr is sys.intern("identifier_like"))
try:
    m.boom(0)
except ZeroDivisionError as e:
    tb = e.__traceback__.tb_next
    print(type(e).__name__, tb.tb_frame.f_code.co_name, tb.tb_lineno)
"#;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stitch-cache-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("mkdir");
    d
}

fn run(work: &Path, cache: &Path, extra_env: &[(&str, &str)]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_stitch"))
        .arg(work.join("main.py"))
        .env("STITCH_CACHE_DIR", cache)
        .envs(extra_env.iter().copied())
        .output()
        .expect("run stitch");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("utf-8")
}

fn entries(cache: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(cache) {
        Ok(rd) => rd
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("m."))
            })
            .collect(),
        Err(_) => vec![],
    }
}

#[test]
fn cached_module_runs_as_compiled() {
    let work = dir("work");
    let cache = work.join("cache");
    std::fs::write(work.join("m.py"), MODULE).expect("write");
    std::fs::write(work.join("main.py"), MAIN).expect("write");
    let first = run(&work, &cache, &[]);
    assert!(first.contains("ZeroDivisionError boom 9"), "{first}");
    assert_eq!(entries(&cache).len(), 1, "one entry for m.py");
    // The second run loads m from the cache: same output, line numbers included.
    assert_eq!(run(&work, &cache, &[]), first);

    // A change that keeps the source's length is still seen.
    std::fs::write(work.join("m.py"), MODULE.replace("X = 1", "X = 2")).expect("write");
    let changed = run(&work, &cache, &[]);
    assert!(
        changed.contains(" 2 1267650600228229401496703205376 "),
        "{changed}"
    );
    assert_eq!(run(&work, &cache, &[]), changed);

    // A damaged entry is ignored (and rewritten).
    for e in entries(&cache) {
        let data = std::fs::read(&e).expect("read");
        std::fs::write(&e, &data[..data.len() / 2]).expect("truncate");
    }
    assert_eq!(run(&work, &cache, &[]), changed);
    assert_eq!(run(&work, &cache, &[]), changed);
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn cache_off_writes_nothing() {
    let work = dir("off");
    let cache = work.join("cache");
    std::fs::write(work.join("m.py"), MODULE).expect("write");
    std::fs::write(work.join("main.py"), MAIN).expect("write");
    run(&work, &cache, &[("STITCH_CODE_CACHE", "0")]);
    assert!(entries(&cache).is_empty());
    let _ = std::fs::remove_dir_all(&work);
}
