//! Every knob of stitch in one place: the `-X` options and the `STITCH_*` environment
//! variables, each declared once (name, type, default, help).
//!
//! The `-X` table below produces the `Options` struct (one typed field per option, its
//! default), the parser (`Options::set`, which the command line calls for each `-X`)
//! and the usage text (`x_help`, printed by `stitch --help` and `stitch -X help`), so
//! an option cannot be parsed without being documented, or documented with a default
//! it does not have. The environment table gives each variable its help line and the
//! one accessor (`Env::get`) the runtime reads it through.
//!
//! The runtime keeps the parsed options in `Vm::opts`; the binary hands the tier-2
//! ones to the JIT (which the runtime does not depend on).
use std::ffi::OsString;

/// How the value of one `-X` option is written and parsed.
pub trait OptValue {
    /// The value's syntax in the usage text (`""` for a flag: `-X stats`).
    const SYNTAX: &'static str;
    /// Apply `-X name=value` (`value` is `""` for `-X name`); `Err` says what was
    /// expected.
    fn parse(&mut self, value: &str) -> Result<(), &'static str>;
    /// The default as the usage text shows it (`None`: not shown).
    fn show(&self) -> Option<String>;
}

/// A flag: `-X stats`.
impl OptValue for bool {
    const SYNTAX: &'static str = "";
    fn parse(&mut self, value: &str) -> Result<(), &'static str> {
        if !value.is_empty() {
            return Err("no value");
        }
        *self = true;
        Ok(())
    }
    fn show(&self) -> Option<String> {
        None
    }
}

/// Tier 2's mode (`-X jit=on|off|uops`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JitMode {
    /// Tier 1 only.
    Off,
    /// Traces run in the uop interpreter (the reference backend).
    Uops,
    /// Traces are compiled to machine code (copy-and-patch).
    On,
}

impl OptValue for JitMode {
    const SYNTAX: &'static str = "on|off|uops";
    fn parse(&mut self, value: &str) -> Result<(), &'static str> {
        *self = match value {
            "off" | "0" => JitMode::Off,
            "uops" => JitMode::Uops,
            "on" | "1" => JitMode::On,
            _ => return Err("on, off or uops"),
        };
        Ok(())
    }
    fn show(&self) -> Option<String> {
        Some(
            match self {
                JitMode::Off => "off",
                JitMode::Uops => "uops",
                JitMode::On => "on",
            }
            .to_string(),
        )
    }
}

/// What `-X dump=...` prints (the option may be given once per dump).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dumps {
    pub bytecode: bool,
    pub uops: bool,
    pub asm: bool,
}

impl OptValue for Dumps {
    const SYNTAX: &'static str = "bytecode|uops|asm";
    fn parse(&mut self, value: &str) -> Result<(), &'static str> {
        match value {
            "bytecode" => self.bytecode = true,
            "uops" => self.uops = true,
            "asm" => self.asm = true,
            _ => return Err("bytecode, uops or asm"),
        }
        Ok(())
    }
    fn show(&self) -> Option<String> {
        None
    }
}

/// Back edges before a loop is compiled (`-X jit-hot=N`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hotness(pub u16);

impl OptValue for Hotness {
    const SYNTAX: &'static str = "N";
    fn parse(&mut self, value: &str) -> Result<(), &'static str> {
        match value.parse::<u16>() {
            Ok(n) if (1..u16::MAX).contains(&n) => {
                self.0 = n;
                Ok(())
            }
            _ => Err("a number of back edges, 1 to 65534"),
        }
    }
    fn show(&self) -> Option<String> {
        Some(self.0.to_string())
    }
}

/// A number of iterations per trace entry (`-X jit-min-iters=N`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MinIterations(pub f64);

impl OptValue for MinIterations {
    const SYNTAX: &'static str = "N";
    fn parse(&mut self, value: &str) -> Result<(), &'static str> {
        match value.parse::<f64>() {
            Ok(n) if n >= 0.0 && n.is_finite() => {
                self.0 = n;
                Ok(())
            }
            _ => Err("a number >= 0"),
        }
    }
    fn show(&self) -> Option<String> {
        Some(self.0.to_string())
    }
}

/// The int/str conversion digit limit (`-X int_max_str_digits=N`); `None` when not
/// given (the environment's or the default applies).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IntMaxStrDigits(pub Option<usize>);

impl OptValue for IntMaxStrDigits {
    const SYNTAX: &'static str = "N";
    fn parse(&mut self, value: &str) -> Result<(), &'static str> {
        match value.parse::<i64>() {
            Ok(n) if crate::types::int_digits::valid_limit(n) => {
                self.0 = Some(n as usize);
                Ok(())
            }
            _ => Err("a limit >= 640, or 0 for unlimited"),
        }
    }
    fn show(&self) -> Option<String> {
        None
    }
}

/// A CPython `-X` option that has nothing to change in stitch (it is still recorded in
/// `sys._xoptions`): any value is accepted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Accepted(pub bool);

impl OptValue for Accepted {
    const SYNTAX: &'static str = "";
    fn parse(&mut self, _value: &str) -> Result<(), &'static str> {
        self.0 = true;
        Ok(())
    }
    fn show(&self) -> Option<String> {
        None
    }
}

/// One `-X` option as the usage text shows it.
pub struct XOption {
    pub name: &'static str,
    pub syntax: &'static str,
    pub help: &'static str,
}

/// CPython's one-letter command-line flags that change start-up (`sys.flags`).
#[derive(Clone, Copy, Debug, Default)]
pub struct CliFlags {
    /// `-S`: no site-packages on `sys.path` (`sys.flags.no_site`).
    pub no_site: bool,
    /// `-s` (or `PYTHONNOUSERSITE`): no user site-packages (`no_user_site`).
    pub no_user_site: bool,
    /// `-E`: `PYTHON*` environment variables are ignored (`ignore_environment`).
    pub ignore_environment: bool,
    /// `-I`: `-E`, `-s` and `-P` together (`isolated`).
    pub isolated: bool,
    /// `-P` (or `PYTHONSAFEPATH`): the script's folder is not put first on `sys.path`.
    pub safe_path: bool,
    /// `-u` (or `PYTHONUNBUFFERED`): stdout and stderr write through.
    pub unbuffered: bool,
    /// `-O` once or twice (or `PYTHONOPTIMIZE`): the optimization level code compiles
    /// at (`sys.flags.optimize`; see `compile::set_default_optimize`).
    pub optimize: u8,
    /// `-i` (or `PYTHONINSPECT`): the interactive prompt after the script
    /// (`sys.flags.inspect` and `interactive`).
    pub inspect: bool,
    /// `-q`: no version banner at the interactive prompt (`sys.flags.quiet`).
    pub quiet: bool,
}

/// Set once at start from `-E`/`-I`: `python_env` then reads nothing.
static IGNORE_ENVIRONMENT: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Apply the flags that depend on the environment (`PYTHONNOUSERSITE`,
/// `PYTHONSAFEPATH`, `PYTHONUNBUFFERED`, unless `-E`/`-I`), as CPython's config does,
/// and remember `-E` for `python_env`. Called once, before the VM starts.
pub fn settle_cli_flags(f: &mut CliFlags) {
    if f.isolated {
        f.ignore_environment = true;
        f.no_user_site = true;
        f.safe_path = true;
    }
    IGNORE_ENVIRONMENT.store(f.ignore_environment, std::sync::atomic::Ordering::Relaxed);
    let set = |n: &str| python_env(n).is_some_and(|v| !v.is_empty());
    f.no_user_site |= set("PYTHONNOUSERSITE");
    f.safe_path |= set("PYTHONSAFEPATH");
    f.unbuffered |= set("PYTHONUNBUFFERED");
    f.inspect |= set("PYTHONINSPECT");
    // PYTHONOPTIMIZE: a number is the level, any other non-empty text means 1.
    if let Some(v) = python_env("PYTHONOPTIMIZE").filter(|v| !v.is_empty()) {
        let n = v.trim().parse::<u32>().unwrap_or(1).min(2) as u8;
        f.optimize = f.optimize.max(n);
    }
    crate::compile::set_default_optimize(f.optimize);
}

/// A `PYTHON*` environment variable, or None under `-E`/`-I` (CPython ignores them
/// all then).
pub fn python_env(name: &str) -> Option<String> {
    if IGNORE_ENVIRONMENT.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    std::env::var(name).ok()
}

/// Declares the `-X` options: `field: Type = default, "name", "help";` each.
macro_rules! x_options {
    ($($(#[doc = $doc:literal])* $field:ident: $ty:ty = $default:expr, $name:literal, $help:literal;)*) => {
        /// Options set on the command line (`-X ...`), with their defaults.
        #[derive(Clone, Debug)]
        pub struct Options {
            $($(#[doc = $doc])* pub $field: $ty,)*
            /// Every `-X` option as given, in order (`sys._xoptions`): the name and the
            /// value (`None` for `-X name`).
            pub given: Vec<(String, Option<String>)>,
            /// `-W` options as given, in order (`sys.warnoptions`).
            pub warnoptions: Vec<String>,
            /// CPython's one-letter flags (`-S`, `-s`, `-E`, `-I`, `-P`, `-u`).
            pub cli: CliFlags,
        }

        impl Default for Options {
            fn default() -> Options {
                Options { $($field: $default,)* given: Vec::new(), warnoptions: Vec::new(), cli: CliFlags::default() }
            }
        }

        /// The `-X` options, in the order the usage text lists them.
        pub const X_OPTIONS: &[XOption] = &[
            $(XOption { name: $name, syntax: <$ty as OptValue>::SYNTAX, help: $help },)*
        ];

        impl Options {
            /// Apply `-X name=value` (`value` `""` for `-X name`); `Err` is the
            /// message to print (the command line exits with status 2).
            pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
                let r = match name {
                    $($name => OptValue::parse(&mut self.$field, value),)*
                    "importtime" | "tracemalloc" | "showrefcount" | "warn_default_encoding" => {
                        return Err(format!(
                            "stitch: CPython's -X {name} is not supported by stitch\n"
                        ))
                    }
                    _ => {
                        return Err(format!(
                            "stitch: unknown -X option '{name}' (-X help lists them)\n"
                        ))
                    }
                };
                r.map_err(|expected| {
                    format!("stitch: bad -X {name} value '{value}' (expected {expected})\n")
                })?;
                let value = (!value.is_empty()).then(|| value.to_string());
                self.given.push((name.to_string(), value));
                Ok(())
            }

            /// Each option's default as the usage text shows it, by name.
            fn shown_default(&self, name: &str) -> Option<String> {
                match name {
                    $($name => OptValue::show(&self.$field),)*
                    _ => None,
                }
            }
        }
    };
}

/// `-X chaos=SEED`: the seed of the chaos mode (`None`: off).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChaosSeed(pub Option<u64>);

impl OptValue for ChaosSeed {
    const SYNTAX: &'static str = "SEED";
    fn parse(&mut self, value: &str) -> Result<(), &'static str> {
        match value.parse::<u64>() {
            Ok(n) => {
                self.0 = Some(n);
                Ok(())
            }
            _ => Err("a seed, 0 to 2^64-1"),
        }
    }
    fn show(&self) -> Option<String> {
        None
    }
}

x_options! {
    /// Print dumps: the bytecode (tier 1), the uops and the machine code (tier 2).
    dump: Dumps = Dumps::default(), "dump",
        "bytecode: print the program's bytecode (every code object) before running \
         it; uops: every trace's uops before and after optimization; asm: every \
         compiled trace's machine code (Intel syntax, per uop). Repeatable";
    /// Print runtime statistics on stderr at exit.
    stats: bool = false, "stats",
        "print runtime statistics at exit (live objects, specialization hits, misses \
         and deopts per family, tier-2 counters, trace aborts and exits)";
    /// Tier 2's mode.
    jit: JitMode = JitMode::On, "jit",
        "tier 2: on compiles hot loops to machine code (copy-and-patch); uops runs \
         the same traces in the uop interpreter (the reference backend); off runs \
         tier 1 only";
    /// Back edges before a loop is compiled (4x that for an exit's side trace).
    jit_hot: Hotness = Hotness(crate::tier2::HOT_LOOP), "jit-hot",
        "compile a loop after N back edges, give an exit taken 4N times a side \
         trace (1 stresses the JIT)";
    /// Loop traces averaging fewer iterations per entry are unhooked.
    jit_min_iters: MinIterations = MinIterations(2.0), "jit-min-iters",
        "unhook loop traces averaging fewer than N iterations per entry (0 keeps \
         all)";
    /// The int/str conversion digit limit (as CPython's `-X int_max_str_digits`).
    int_max_str_digits: IntMaxStrDigits = IntMaxStrDigits(None), "int_max_str_digits",
        "limit int/str conversions to N decimal digits (0: unlimited; default 4300, \
         or PYTHONINTMAXSTRDIGITS)";
    /// Stress threaded programs (`runtime/src/chaos.rs`).
    chaos: ChaosSeed = ChaosSeed(None), "chaos",
        "stress mode: force thread switches, stop-the-worlds, collections and trace \
         invalidations at safe points picked by a generator seeded with SEED";
    /// Name compiled traces for `perf`.
    perf_map: bool = false, "perf-map",
        "append compiled traces to /tmp/perf-PID.map for `perf`";
    /// CPython's `-X faulthandler`.
    faulthandler: bool = false, "faulthandler",
        "as CPython: print every thread's Python traceback on a fatal signal \
         (faulthandler.enable() at start; also PYTHONFAULTHANDLER)";
    /// CPython's `-X dev`.
    dev: bool = false, "dev",
        "as CPython's development mode: faulthandler on, warnings shown by default, \
         sys.flags.dev_mode (also PYTHONDEVMODE)";
    /// CPython's `-X utf8`: stitch's text I/O is UTF-8 either way.
    utf8: Accepted = Accepted(false), "utf8",
        "accepted as CPython's (stitch's text I/O is UTF-8 either way)";
    /// CPython's `-X frozen_modules`: stitch freezes no modules.
    frozen_modules: Accepted = Accepted(false), "frozen_modules",
        "accepted as CPython's (stitch has no frozen modules)";
    /// CPython's `-X no_debug_ranges`.
    no_debug_ranges: Accepted = Accepted(false), "no_debug_ranges",
        "as CPython: code objects give no column ranges (`co_positions()`), so \
         tracebacks show no carets (also PYTHONNODEBUGRANGES)";
}

/// Declares the `STITCH_*` environment variables: `Variant: "NAME", "help";` each.
macro_rules! env_vars {
    ($($(#[doc = $doc:literal])* $v:ident: $name:literal, $help:literal;)*) => {
        /// An environment variable stitch reads (`STITCH_*`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Env {
            $($(#[doc = $doc])* $v,)*
        }

        impl Env {
            pub const ALL: &[Env] = &[$(Env::$v,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Env::$v => $name,)*
                }
            }

            pub fn help(self) -> &'static str {
                match self {
                    $(Env::$v => $help,)*
                }
            }
        }
    };
}

env_vars! {
    Stdlib: "STITCH_STDLIB",
        "the folder of CPython 3.11's standard library (default: the one found when \
         stitch was built, then well-known install locations)";
    NoSite: "STITCH_NO_SITE",
        "set: leave site-packages off sys.path";
    Leaks: "STITCH_LEAKS",
        "1 with -X stats: list by type the tracked objects still alive after \
         teardown";
    GcStress: "STITCH_GC_STRESS",
        "1: collect cycles at every safe point after 64 tracked allocations (a test \
         mode)";
    CodeCache: "STITCH_CODE_CACHE",
        "0: neither read nor write the on-disk cache of compiled modules";
    CacheDir: "STITCH_CACHE_DIR",
        "the folder of the code cache (default: $XDG_CACHE_HOME/stitch/code, else \
         ~/.cache/stitch/code)";
    Bless: "STITCH_BLESS",
        "set: tests that compare with a generated file (docs/instructions.md) \
         rewrite it instead";
}

impl Env {
    /// The variable's value, if set.
    pub fn get(self) -> Option<OsString> {
        std::env::var_os(self.name())
    }

    /// Is the variable set to exactly `value`?
    pub fn is(self, value: &str) -> bool {
        self.get().is_some_and(|v| v == value)
    }
}

/// Words of `text` in lines of at most `width` columns.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for w in text.split_whitespace() {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.len() + 1 + w.len() > width {
            lines.push(w.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(w);
        }
    }
    lines
}

/// `left` then `help` wrapped in a column, each line indented by `indent`.
fn entry(out: &mut String, indent: usize, left: &str, help: &str) {
    const COLUMN: usize = 26;
    const WIDTH: usize = 80;
    let pad = indent + COLUMN;
    let lines = wrap(help, WIDTH - pad);
    let mut first = format!("{:indent$}{left}", "");
    if first.len() + 1 >= pad {
        out.push_str(&first);
        out.push('\n');
        first = String::new();
    }
    for (k, l) in lines.iter().enumerate() {
        if k == 0 && !first.is_empty() {
            out.push_str(&format!("{first:pad$}{l}\n"));
        } else {
            out.push_str(&format!("{:pad$}{l}\n", ""));
        }
    }
}

/// The `-X` options and the environment variables, as `--help` and `-X help` print
/// them.
pub fn x_help() -> String {
    let defaults = Options::default();
    let mut s = String::new();
    for o in X_OPTIONS {
        let left = if o.syntax.is_empty() {
            format!("-X {}", o.name)
        } else {
            format!("-X {}={}", o.name, o.syntax)
        };
        let help = match defaults.shown_default(o.name) {
            Some(d) => format!("{} (default {d})", o.help),
            None => o.help.to_string(),
        };
        entry(&mut s, 2, &left, &help);
    }
    entry(
        &mut s,
        2,
        "-X help",
        "print this list of -X options and variables",
    );
    s.push_str("Environment variables:\n");
    for e in Env::ALL {
        entry(&mut s, 2, e.name(), e.help());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_parses_and_rejects() {
        let mut o = Options::default();
        assert_eq!(o.jit, JitMode::On);
        o.set("jit", "uops").unwrap();
        assert_eq!(o.jit, JitMode::Uops);
        o.set("dump", "uops").unwrap();
        o.set("dump", "asm").unwrap();
        assert!(o.dump.uops && o.dump.asm && !o.dump.bytecode);
        o.set("jit-hot", "2").unwrap();
        assert_eq!(o.jit_hot, Hotness(2));
        assert_eq!(
            o.set("jit-hot", "0").unwrap_err(),
            "stitch: bad -X jit-hot value '0' (expected a number of back edges, 1 to 65534)\n"
        );
        assert!(o.set("stats", "x").is_err());
        assert!(
            o.set("nope", "")
                .unwrap_err()
                .contains("unknown -X option 'nope'")
        );
    }

    #[test]
    fn help_lists_every_option_and_variable() {
        let h = x_help();
        for o in X_OPTIONS {
            assert!(h.contains(&format!("-X {}", o.name)), "{h}");
        }
        for e in Env::ALL {
            assert!(h.contains(e.name()), "{h}");
        }
        assert!(h.contains("(default 64)"), "{h}");
        assert!(h.lines().all(|l| l.len() <= 80), "{h}");
    }
}
