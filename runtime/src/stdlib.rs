//! The standard-library modules stitch ships as Python source, embedded in the binary.
//!
//! They are found after the user's own paths (as CPython's stdlib comes after the
//! script's directory on `sys.path`). Modules that must be fast or need the VM's
//! internals (`sys`, `math`, `time`, `_random`) are native instead (builtins/modules.rs).

macro_rules! stdlib {
    ($($name:literal => $file:literal, $pkg:literal;)*) => {
        const MODULES: &[(&str, &str, bool)] = &[
            $(($name, include_str!(concat!("../lib/", $file)), $pkg),)*
        ];
    };
}

stdlib! {
    "_datetime" => "_datetime.py", false;
}

/// Source of an embedded module and whether it is a package. `STITCH_EMBEDDED_LIB=0`
/// turns the embedded modules off, so CPython's Lib versions are imported instead: how
/// to try whether a Lib module runs yet before deleting stitch's stand-in. A list of
/// names (`STITCH_EMBEDDED_LIB=-re,json`) turns off just those (and their submodules).
pub fn find(name: &str) -> Option<(&'static str, bool)> {
    static OFF: std::sync::OnceLock<Option<Vec<String>>> = std::sync::OnceLock::new();
    let off = OFF.get_or_init(|| {
        let v = crate::options::Env::EmbeddedLib.get()?.into_string().ok()?;
        if v == "0" {
            return Some(vec![String::new()]);
        }
        let names: Vec<String> = v
            .split(',')
            .map(|n| n.trim().trim_start_matches('-').to_string())
            .filter(|n| !n.is_empty() && n != "1")
            .collect();
        (!names.is_empty()).then_some(names)
    });
    if let Some(off) = off {
        let hit = |n: &String| {
            n.is_empty()
                || name == n
                || name
                    .strip_prefix(n.as_str())
                    .is_some_and(|r| r.starts_with('.'))
        };
        if off.iter().any(hit) {
            return None;
        }
    }
    MODULES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, src, pkg)| (*src, *pkg))
}

const ROOT: &str = "<stitch>/lib";

/// The file name shown in tracebacks for an embedded module.
pub fn filename(name: &str, is_pkg: bool) -> String {
    let path = name.replace('.', "/");
    if is_pkg {
        format!("{ROOT}/{path}/__init__.py")
    } else {
        format!("{ROOT}/{path}.py")
    }
}

/// The `__path__` entry of an embedded package.
pub fn package_dir(name: &str) -> String {
    format!("{ROOT}/{}", name.replace('.', "/"))
}

/// Names of every embedded module (for tests).
pub fn names() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|(n, _, _)| *n)
}
