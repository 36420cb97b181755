//! The `stitch` command line: run a file, `-c CODE`, `--version`, `-X` options.
use std::process::ExitCode;

/// mimalloc (as CPython's free-threaded build uses): Python programs allocate and free
/// small objects constantly, and its thread-local free lists make that cheap, also
/// when objects are freed by a thread other than the one that allocated them.
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// The global allocator over mimalloc's C API. Allocations whose alignment mimalloc
/// gives every block of their size (at most 16, and not above the size) take the
/// plain `mi_malloc` path, which is about half the instructions of the aligned path
/// the `mimalloc` crate always takes; object allocation is most of a Python
/// program's allocation.
struct MiMalloc;

/// mimalloc's guaranteed alignment for blocks of at least this size (`MI_MAX_ALIGN_SIZE`).
const MI_MAX_ALIGN: usize = 16;

/// A block of `size` bytes from the plain functions is aligned to `align`.
#[inline(always)]
fn plain(size: usize, align: usize) -> bool {
    align <= MI_MAX_ALIGN && align <= size
}

// SAFETY: every method forwards to mimalloc, whose blocks satisfy the layout: the plain
// functions return blocks aligned to `min(16, size rounded to its bin)` >= the
// requested alignment when `plain` holds; otherwise the aligned functions are used.
unsafe impl std::alloc::GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        // SAFETY: plain C calls; sizes and alignments come from a valid `Layout`.
        unsafe {
            if plain(layout.size(), layout.align()) {
                mi::mi_malloc(layout.size()) as *mut u8
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        // SAFETY: as `alloc`.
        unsafe {
            if plain(layout.size(), layout.align()) {
                mi::mi_zalloc(layout.size()) as *mut u8
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }
    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator.
        unsafe { libmimalloc_sys::mi_free(ptr as *mut std::ffi::c_void) }
    }
    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys as mi;
        // SAFETY: `ptr` came from this allocator with `layout`.
        unsafe {
            if plain(new_size, layout.align()) {
                mi::mi_realloc(ptr as *mut std::ffi::c_void, new_size) as *mut u8
            } else {
                mi::mi_realloc_aligned(ptr as *mut std::ffi::c_void, new_size, layout.align())
                    as *mut u8
            }
        }
    }
}

use stitch_runtime::repl::Interactive;
use stitch_runtime::{Options, Vm};

/// `--help`: the command line, then every `-X` option and `STITCH_*` variable from
/// their one table (`stitch_runtime::options`).
fn usage() -> String {
    format!(
        "usage: stitch [option] ... [-c cmd | -m mod | file | -] [arg] ...
Options:
-c cmd   : program passed in as string (terminates option list)
-m mod   : run library module as a script (terminates option list)
-h       : print this help message and exit (also --help)
-V       : print the stitch version number and exit (also --version)
-W arg   : warning control (sys.warnoptions; also PYTHONWARNINGS)
-E       : ignore PYTHON* environment variables (such as PYTHONPATH)
-I       : isolate: -E, -s and -P together
-P       : don't prepend the script's folder (or '' for -c/-m) to sys.path
-s       : don't add the user site-packages folder to sys.path
-S       : don't add any site-packages folder to sys.path
-u       : unbuffered stdout and stderr (also PYTHONUNBUFFERED)
-B       : accepted; changes nothing (stitch writes no .pyc files)
-O       : remove assert and __debug__-dependent statements; -OO also removes
           docstrings (also PYTHONOPTIMIZE=x)
-i       : inspect interactively after running the script or command (also
           PYTHONINSPECT=x); forces a prompt even if stdin is not a terminal
-q       : don't print the version message at the interactive prompt
-X opt   : implementation-specific option:
{}file     : program read from script file
-        : program read from stdin
arg ...  : arguments passed to program in sys.argv[1:]
",
        stitch_runtime::options::x_help()
    )
}

struct Cli {
    opts: Options,
    source: Source,
    argv: Vec<String>,
}

enum Source {
    File(String),
    Code(String),
    /// No script: the program is standard input, or the interactive prompt.
    NoScript,
}

/// `s` as a Python string literal (for the module name `-m` passes to runpy).
fn python_str_literal(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn parse_args() -> Result<Cli, (String, u8)> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = Options::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-h" | "--help" => return Err((usage(), 0)),
            "-V" | "--version" => {
                return Err((
                    format!(
                        "stitch {} (Python 3.11 compatible)\n",
                        env!("CARGO_PKG_VERSION")
                    ),
                    0,
                ));
            }
            "-c" => {
                let Some(code) = args.get(i + 1) else {
                    return Err((
                        "Argument expected for the -c option\n".to_string() + &usage(),
                        2,
                    ));
                };
                let mut argv = vec!["-c".to_string()];
                argv.extend(args[i + 2..].iter().cloned());
                return Ok(Cli {
                    opts,
                    source: Source::Code(code.clone()),
                    argv,
                });
            }
            m if m == "-m" || (m.starts_with("-m") && m.len() > 2) => {
                // `-m module`: the Lib's runpy finds the module and runs it as
                // `__main__` (setting sys.argv[0] to its file), as CPython does.
                let (module, rest) = if m == "-m" {
                    let Some(name) = args.get(i + 1) else {
                        return Err((
                            "Argument expected for the -m option\n".to_string() + &usage(),
                            2,
                        ));
                    };
                    (name.clone(), i + 2)
                } else {
                    (m[2..].to_string(), i + 1)
                };
                let mut argv = vec!["-m".to_string()];
                argv.extend(args[rest..].iter().cloned());
                let code = format!(
                    "__import__('runpy')._run_module_as_main({})\n",
                    python_str_literal(&module)
                );
                return Ok(Cli {
                    opts,
                    source: Source::Code(code),
                    argv,
                });
            }
            "-X" => {
                let Some(x) = args.get(i + 1) else {
                    return Err(("Argument expected for the -X option\n".to_string(), 2));
                };
                apply_x(&mut opts, x)?;
                i += 2;
                continue;
            }
            s if s.starts_with("-X") => {
                apply_x(&mut opts, &s[2..])?;
            }
            "-W" => {
                let Some(w) = args.get(i + 1) else {
                    return Err(("Argument expected for the -W option\n".to_string(), 2));
                };
                opts.warnoptions.push(w.clone());
                i += 2;
                continue;
            }
            s if s.starts_with("-W") => opts.warnoptions.push(s[2..].to_string()),
            // CPython's one-letter flags, alone or together (`-Es`).
            s if s.len() > 1
                && s.starts_with('-')
                && !s.starts_with("--")
                && s[1..].chars().all(|c| "BOSsEIPuiq".contains(c)) =>
            {
                for c in s[1..].chars() {
                    let f = &mut opts.cli;
                    match c {
                        'S' => f.no_site = true,
                        's' => f.no_user_site = true,
                        'E' => f.ignore_environment = true,
                        'I' => f.isolated = true,
                        'P' => f.safe_path = true,
                        'u' => f.unbuffered = true,
                        'O' => f.optimize = f.optimize.saturating_add(1).min(2),
                        'i' => f.inspect = true,
                        'q' => f.quiet = true,
                        // -B: stitch writes no .pyc files (its code cache is its own).
                        _ => {}
                    }
                }
            }
            s if s.starts_with('-') && s != "-" => {
                return Err((format!("Unknown option: {s}\n{}", usage()), 2));
            }
            _ => {
                let argv = args[i..].to_vec();
                return Ok(Cli {
                    opts,
                    source: Source::File(a.clone()),
                    argv,
                });
            }
        }
        i += 1;
    }
    Ok(Cli {
        opts,
        source: Source::NoScript,
        argv: vec![String::new()],
    })
}

/// One `-X` option (`name` or `name=value`); `-X help` prints the options and exits.
fn apply_x(opts: &mut Options, x: &str) -> Result<(), (String, u8)> {
    let (k, v) = x.split_once('=').unwrap_or((x, ""));
    if k == "help" {
        return Err((stitch_runtime::options::x_help(), 0));
    }
    opts.set(k, v).map_err(|msg| (msg, 2))
}

fn main() -> ExitCode {
    stitch_runtime::process::init();
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let loc = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("Fatal Python error: stitch internal error: {msg}{loc}");
    }));
    let cli = match parse_args() {
        Ok(c) => c,
        Err((msg, code)) => {
            if code == 0 {
                print!("{msg}");
            } else {
                eprint!("{msg}");
            }
            return ExitCode::from(code);
        }
    };
    // With no script, a terminal (or -i) gets the prompt and anything else is read
    // as the program, as CPython does.
    let prompt = matches!(cli.source, Source::NoScript)
        && (cli.opts.cli.inspect || std::io::IsTerminal::is_terminal(&std::io::stdin()));
    let stdin_program = match &cli.source {
        Source::NoScript => !prompt,
        Source::File(f) => f == "-",
        Source::Code(_) => false,
    };
    let (source, filename) = match &cli.source {
        Source::Code(c) => (c.clone().into_bytes(), "<string>".to_string()),
        Source::NoScript if prompt => (Vec::new(), "<stdin>".to_string()),
        // `-` or a pipe: the program is standard input, as CPython's.
        _ if stdin_program => {
            let mut b = Vec::new();
            if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut b) {
                eprintln!("stitch: can't read standard input: {e}");
                return ExitCode::from(2);
            }
            (b, "<stdin>".to_string())
        }
        Source::NoScript => unreachable!("no script is the prompt or standard input"),
        Source::File(f) => match std::fs::read(f) {
            Ok(b) => (b, absolute_script_path(f)),
            Err(e) => {
                let errno = e.raw_os_error().unwrap_or(0);
                eprintln!(
                    "stitch: can't open file '{f}': [Errno {errno}] {}",
                    strip_os_suffix(&e.to_string())
                );
                return ExitCode::from(2);
            }
        },
    };
    // The interpreter runs on a thread with a large stack: native re-entry (sorted's
    // key functions, __eq__, __repr__ ...) is bounded by MAX_NATIVE_DEPTH, and this
    // stack is sized so that bound can never overflow it.
    let handle = std::thread::Builder::new()
        .name("stitch-main".into())
        .stack_size(1 << 30)
        .spawn(move || {
            let code = run(cli, source, filename, prompt);
            if stitch_runtime::process::is_forked_child() {
                // A forked child has no launcher thread to hand the status to.
                stitch_runtime::process::exit_as_interrupted();
                std::process::exit(code);
            }
            code
        });
    // Signals go to the interpreter's thread (whose Python handlers must run there).
    stitch_runtime::modules::signal::block_in_launcher();
    match handle.map(|h| h.join()) {
        Ok(Ok(code)) => {
            // An uncaught KeyboardInterrupt ends the process by SIGINT (status 130).
            stitch_runtime::process::exit_as_interrupted();
            ExitCode::from(code as u8)
        }
        _ => ExitCode::from(1),
    }
}

fn strip_os_suffix(s: &str) -> String {
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// The main module's `__file__` and its code's filename: as CPython since 3.9, a relative
/// script path is joined to the working directory (not normalized, links not resolved),
/// while `sys.argv[0]` keeps the path as typed.
fn absolute_script_path(f: &str) -> String {
    let p = std::path::Path::new(f);
    if p.is_absolute() {
        return f.to_string();
    }
    match std::env::current_dir() {
        Ok(d) => d.join(p).to_string_lossy().into_owned(),
        Err(_) => f.to_string(),
    }
}

fn run(cli: Cli, source: Vec<u8>, filename: String, prompt: bool) -> i32 {
    // CPython's standard library is a dependency stitch cannot run without.
    if let Err(msg) = stitch_runtime::lib_path::find_stdlib() {
        eprintln!("{msg}");
        return 1;
    }
    let stats = cli.opts.stats;
    if stats {
        stitch_runtime::object::enable_live_count();
        stitch_runtime::specialize::stats::enable();
    }
    // Tier 2's invariants hear about the single -> multi-threaded switch.
    stitch_jit::invariants::install();
    stitch_runtime::tier2::set_hotness(cli.opts.jit_hot.0);
    if let Some(seed) = cli.opts.chaos.0 {
        stitch_runtime::chaos::start(seed);
    }
    stitch_runtime::tier2::set_min_iterations(cli.opts.jit_min_iters.0);
    let backend = match cli.opts.jit {
        stitch_jit::JitMode::Off => None,
        stitch_jit::JitMode::Uops => Some(stitch_jit::compile::Backend::UopInterpreter),
        stitch_jit::JitMode::On => Some(stitch_jit::compile::Backend::MachineCode),
    };
    if let Some(backend) = backend {
        stitch_jit::dump::set_options(stitch_jit::dump::DumpOptions {
            uops: cli.opts.dump.uops,
            asm: cli.opts.dump.asm,
            perf_map: cli.opts.perf_map,
        });
        stitch_jit::enable(backend);
    }
    let mut opts = cli.opts;
    stitch_runtime::options::settle_cli_flags(&mut opts.cli);
    let cli_flags = opts.cli;
    let mut vm = Vm::new(cli.argv, opts);
    vm.main_path = filename.clone();
    if let Source::File(f) = &cli.source
        && f != "-"
    {
        vm.set_script_path(f);
    }
    let before = stitch_runtime::object::live_objects();
    let source = match String::from_utf8(source) {
        Ok(s) => s,
        Err(e) => {
            let pos = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..pos].iter().filter(|b| **b == b'\n').count() + 1;
            eprintln!(
                "SyntaxError: Non-UTF-8 code starting with '\\x{:02x}' in file {filename} on line {line}, but no encoding declared; see https://peps.python.org/pep-0263/ for details",
                bytes[pos]
            );
            return 1;
        }
    };
    let interactive = if prompt {
        Interactive::Only {
            quiet: cli_flags.quiet,
        }
    } else if cli_flags.inspect {
        Interactive::After
    } else {
        Interactive::No
    };
    let code = stitch_runtime::run_main(&mut vm, &source, &filename, interactive);
    // Daemon threads still running keep using the modules: no teardown then.
    let alone = stitch_runtime::thread_state::other_threads_running() == 0;
    if stats && alone {
        let live = vm.shutdown_live_objects();
        eprintln!(
            "[stitch stats] live objects at exit: {} (at start: {before})",
            live
        );
        eprint!("{}", stitch_runtime::specialize::stats::report());
        eprintln!(
            "[stitch stats] jit invariants: {}",
            stitch_runtime::counters::line(stitch_runtime::counters::Section::JitInvariants)
        );
        eprint!("{}", stitch_runtime::tier2::report());
    }
    code
}
