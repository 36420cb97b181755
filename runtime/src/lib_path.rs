//! Where CPython 3.11's standard library (its pure-Python `Lib/`) is, and the rest of
//! `sys.path` as CPython builds it.
//!
//! stitch runs CPython's own Lib in place, as an installed dependency (on Debian:
//! `libpython3.11-stdlib`), never a copy of it. It is looked for, in order, in:
//! 1. `$STITCH_STDLIB` (a folder holding `os.py`);
//! 2. the folder `python3.11`'s `sysconfig` named when stitch was built (`build.rs`);
//! 3. well-known install locations.
//!
//! Without one, stitch cannot run: [`find_stdlib`] says so in one line, naming what to
//! install.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Well-known places CPython 3.11's Lib is installed.
const WELL_KNOWN: &[&str] = &[
    "/usr/lib/python3.11",
    "/usr/local/lib/python3.11",
    "/usr/lib64/python3.11",
    "/opt/homebrew/lib/python3.11",
];

fn is_stdlib(dir: &Path) -> bool {
    dir.join("os.py").is_file() && dir.join("_collections_abc.py").is_file()
}

/// The standard library folder, or the one-line message to print when there is none.
pub fn find_stdlib() -> Result<&'static Path, &'static str> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            if let Some(d) = crate::options::Env::Stdlib.get() {
                // An explicit choice is taken as is (checked, not silently replaced).
                let d = PathBuf::from(d);
                return is_stdlib(&d).then_some(d);
            }
            let built = env!("STITCH_BUILD_STDLIB");
            std::iter::once(built)
                .chain(WELL_KNOWN.iter().copied())
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
                .find(|d| is_stdlib(d))
        })
        .as_deref()
        .ok_or(if crate::options::Env::Stdlib.get().is_some() {
            "stitch: STITCH_STDLIB does not name CPython 3.11's standard library (a folder with os.py)"
        } else {
            "stitch: CPython 3.11's standard library was not found; install it (Debian/Ubuntu: apt-get install libpython3.11-stdlib) or set STITCH_STDLIB to its folder"
        })
}

/// Folders of pure-Python packages installed for CPython 3.11, in CPython's order: the
/// user site, then the system's site-packages / dist-packages (Debian's layout and
/// upstream's). Only folders that exist are listed.
pub fn site_packages(stdlib: &Path, user: bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if user && let Some(home) = std::env::var_os("HOME") {
        out.push(PathBuf::from(home).join(".local/lib/python3.11/site-packages"));
    }
    let prefix = stdlib.parent().and_then(Path::parent);
    out.push(PathBuf::from("/usr/local/lib/python3.11/dist-packages"));
    out.push(PathBuf::from("/usr/lib/python3/dist-packages"));
    out.push(PathBuf::from("/usr/lib/python3.11/dist-packages"));
    if let Some(p) = prefix {
        out.push(p.join("lib/python3.11/site-packages"));
    }
    out.push(stdlib.join("site-packages"));
    let mut seen = std::collections::HashSet::new();
    out.into_iter()
        .filter(|p| p.is_dir() && seen.insert(p.clone()))
        .collect()
}
