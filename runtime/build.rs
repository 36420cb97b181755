//! Finds CPython 3.11's standard library at build time (`STITCH_BUILD_STDLIB`, seen by
//! `runtime/src/lib_path.rs` as the second place to look, after `STITCH_STDLIB` at run
//! time). Debian's `/usr/bin/python3.11` is asked first: its Lib is the installed
//! `libpython3.11-stdlib` package; then whatever `python3.11` is on PATH.
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=STITCH_STDLIB");
    println!("cargo:rerun-if-changed=build.rs");
    let found = ["/usr/bin/python3.11", "python3.11", "python3"]
        .iter()
        .find_map(|py| {
            let out = Command::new(py)
                .args([
                    "-S",
                    "-c",
                    "import sys, sysconfig\nif sys.version_info[:2] == (3, 11): print(sysconfig.get_path('stdlib'))",
                ])
                .output()
                .ok()?;
            let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (!path.is_empty() && std::path::Path::new(&path).join("os.py").is_file())
                .then_some(path)
        })
        .unwrap_or_default();
    println!("cargo:rustc-env=STITCH_BUILD_STDLIB={found}");
    // CPython's sys.stdlib_module_names (a fixed list per version), for stitch's sys.
    let names = ["/usr/bin/python3.11", "python3.11", "python3"]
        .iter()
        .find_map(|py| {
            let out = Command::new(py)
                .args([
                    "-S",
                    "-c",
                    "import sys\nif sys.version_info[:2] == (3, 11): print(','.join(sorted(sys.stdlib_module_names)))",
                ])
                .output()
                .ok()?;
            let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (!s.is_empty()).then_some(s)
        })
        .unwrap_or_default();
    println!("cargo:rustc-env=STITCH_STDLIB_MODULE_NAMES={names}");
}
