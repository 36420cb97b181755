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
    "abc" => "abc.py", false;
    "argparse" => "argparse.py", false;
    "bisect" => "bisect.py", false;
    "collections" => "collections/__init__.py", true;
    "collections.abc" => "collections/abc.py", false;
    "contextlib" => "contextlib.py", false;
    "copy" => "copy.py", false;
    "dataclasses" => "dataclasses.py", false;
    "datetime" => "datetime.py", false;
    "enum" => "enum.py", false;
    "fractions" => "fractions.py", false;
    "fnmatch" => "fnmatch.py", false;
    "functools" => "functools.py", false;
    "heapq" => "heapq.py", false;
    "io" => "io.py", false;
    "json" => "json.py", false;
    "logging" => "logging/__init__.py", true;
    "keyword" => "keyword.py", false;
    "numbers" => "numbers.py", false;
    "operator" => "operator.py", false;
    "os" => "os/__init__.py", true;
    "os.path" => "os/path.py", false;
    "pathlib" => "pathlib.py", false;
    "pprint" => "pprint.py", false;
    "random" => "random.py", false;
    "re" => "re.py", false;
    "statistics" => "statistics.py", false;
    "string" => "string.py", false;
    "textwrap" => "textwrap.py", false;
    "traceback" => "traceback.py", false;
    "types" => "types.py", false;
    "timeit" => "timeit.py", false;
    "typing" => "typing.py", false;
    "warnings" => "warnings.py", false;
}

/// Source of an embedded module and whether it is a package. `STITCH_EMBEDDED_LIB=0`
/// turns the embedded modules off, so CPython's Lib versions are imported instead: how
/// to try whether a Lib module runs yet before deleting stitch's stand-in.
pub fn find(name: &str) -> Option<(&'static str, bool)> {
    static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *OFF.get_or_init(|| std::env::var_os("STITCH_EMBEDDED_LIB").is_some_and(|v| v == "0")) {
        return None;
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
