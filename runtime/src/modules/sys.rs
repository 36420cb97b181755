//! The parts of `sys` that CPython's Lib reads beyond the basics in
//! `builtins/modules.rs::make_sys`: `sys.path` as CPython builds it (the script's
//! folder, `PYTHONPATH`, the Lib, site-packages), the prefixes, `flags`,
//! `version_info` and the other struct sequences, hooks, and the import-system lists.
use crate::builtins::posargs;
use crate::modules::structseq;
use crate::types::dict::DictObj;
use crate::types::func::new_module_builtin;
use crate::types::list::ListObj;
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// CPython's `sys.stdlib_module_names`, read from python3.11 when stitch was built.
const STDLIB_MODULE_NAMES: &str = env!("STITCH_STDLIB_MODULE_NAMES");

/// The int/str digit limit the command line (`-X int_max_str_digits`) or the
/// environment (`PYTHONINTMAXSTRDIGITS`) asks for, applied; -1 when neither does
/// (`sys.flags.int_max_str_digits`). A bad environment value is fatal, as in CPython.
/// An environment variable set to a non-empty value (CPython's test for its flags).
fn env_set(name: &str) -> bool {
    crate::options::python_env(name).is_some_and(|v| !v.is_empty())
}

/// CPython's development mode (`-X dev`, `PYTHONDEVMODE`).
pub fn dev_mode(vm: &Vm) -> bool {
    vm.opts.dev || env_set("PYTHONDEVMODE")
}

/// Should faulthandler be enabled at start (`-X faulthandler`, `PYTHONFAULTHANDLER`,
/// development mode)?
pub fn faulthandler_at_start(vm: &Vm) -> bool {
    vm.opts.faulthandler || env_set("PYTHONFAULTHANDLER") || dev_mode(vm)
}

/// `sys.warnoptions` as CPython's `config_init_warnoptions` orders it: `default` in
/// development mode, then `PYTHONWARNINGS` (comma-separated), then each `-W`.
pub fn warnoptions(vm: &Vm) -> Vec<String> {
    let mut out = Vec::new();
    if dev_mode(vm) {
        out.push("default".to_string());
    }
    if let Some(env) = crate::options::python_env("PYTHONWARNINGS") {
        out.extend(
            env.split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(String::from),
        );
    }
    out.extend(vm.opts.warnoptions.iter().cloned());
    out
}

fn int_max_str_digits_flag(vm: &Vm) -> i64 {
    use crate::types::int_digits::{set_max_str_digits, valid_limit};
    let n = match vm.opts.int_max_str_digits.0 {
        Some(n) => n as i64,
        None => match crate::options::python_env("PYTHONINTMAXSTRDIGITS") {
            Some(v) if !v.is_empty() => match v.parse::<i64>() {
                Ok(n) if valid_limit(n) => n,
                _ => {
                    eprintln!(
                        "Fatal Python error: config_init_int_max_str_digits: \
                         PYTHONINTMAXSTRDIGITS: invalid limit; must be >= 640 or 0 for \
                         unlimited.\nPython runtime state: preinitialized\n"
                    );
                    std::process::exit(1);
                }
            },
            _ => return -1,
        },
    };
    set_max_str_digits(n as usize);
    n
}

/// `sys.get_int_max_str_digits()`.
fn get_int_max_str_digits(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "get_int_max_str_digits", a, 0, 0)?;
    Ok(Value::int(crate::types::int_digits::max_str_digits() as i64))
}

/// `sys.set_int_max_str_digits(maxdigits)`.
fn set_int_max_str_digits(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = crate::modules::args::bind(vm, "set_int_max_str_digits", a, &["maxdigits"], 1, 1)?;
    let v = p[0].cloned().unwrap_or_else(Value::none);
    let fits = crate::types::int::as_int(&v).is_none_or(|i| i.to_i64().is_some());
    let n = if fits {
        crate::ops::to_isize(vm, &v)? as i64
    } else {
        i64::MAX
    };
    if n > i32::MAX as i64 || n < i32::MIN as i64 {
        return Err(vm.overflow_error("Python int too large to convert to C int"));
    }
    if !crate::types::int_digits::valid_limit(n as i64) {
        return Err(vm.value_error("maxdigits must be 0 or larger than 640"));
    }
    crate::types::int_digits::set_max_str_digits(n as usize);
    Ok(Value::none())
}

/// Fill in the rest of `sys` (its dict `d`).
pub fn extend(vm: &mut Vm, d: &DictObj) {
    set_path(d, vm.opts.cli);
    let int = |i: i64| Value::int(i);
    let version = seq_type(
        vm,
        "version_info",
        "sys",
        &["major", "minor", "micro", "releaselevel", "serial"],
        5,
    );
    let v = vec![int(3), int(11), int(7), new_str("final"), int(0)];
    set_record(vm, d, "version_info", &version, v);
    // `sys.implementation.version` is a version_info too (stitch's own version).
    if let Some(imp) = d.get_str("implementation")
        && let Ok(iv) = structseq::new(
            vm,
            &version,
            vec![int(0), int(1), int(0), new_str("alpha"), int(0)],
        )
    {
        let _ = crate::ops::setattr(vm, &imp, &new_str("version"), iv);
    }
    structseq::forbid_new(&version);

    let flag_names = [
        "debug",
        "inspect",
        "interactive",
        "optimize",
        "dont_write_bytecode",
        "no_user_site",
        "no_site",
        "ignore_environment",
        "verbose",
        "bytes_warning",
        "quiet",
        "hash_randomization",
        "isolated",
        "dev_mode",
        "utf8_mode",
        "warn_default_encoding",
        "safe_path",
        "int_max_str_digits",
    ];
    let flags_ty = seq_type(vm, "flags", "sys", &flag_names, flag_names.len());
    let mut flags: Vec<Value> = flag_names.iter().map(|_| int(0)).collect();
    flags[11] = int(1); // hash_randomization
    flags[4] = int(1); // dont_write_bytecode: stitch caches compiled code its own way
    flags[13] = Value::bool(dev_mode(vm)); // dev_mode is a bool
    flags[17] = int(int_max_str_digits_flag(vm));
    let cli = vm.opts.cli;
    flags[5] = int(cli.no_user_site as i64);
    flags[6] = int(cli.no_site as i64);
    flags[7] = int(cli.ignore_environment as i64);
    flags[12] = int(cli.isolated as i64);
    flags[16] = Value::bool(cli.safe_path);
    flags[1] = int(cli.inspect as i64);
    flags[2] = int(cli.inspect as i64);
    flags[3] = int(cli.optimize as i64);
    flags[10] = int(cli.quiet as i64);
    set_record(vm, d, "flags", &flags_ty, flags);
    structseq::forbid_new(&flags_ty);

    let fi_names = [
        "max",
        "max_exp",
        "max_10_exp",
        "min",
        "min_exp",
        "min_10_exp",
        "dig",
        "mant_dig",
        "epsilon",
        "radix",
        "rounds",
    ];
    let fi_ty = seq_type(vm, "float_info", "sys", &fi_names, fi_names.len());
    let fi = vec![
        Value::float(f64::MAX),
        int(f64::MAX_EXP as i64),
        int(f64::MAX_10_EXP as i64),
        Value::float(f64::MIN_POSITIVE),
        int(f64::MIN_EXP as i64),
        int(f64::MIN_10_EXP as i64),
        int(f64::DIGITS as i64),
        int(f64::MANTISSA_DIGITS as i64),
        Value::float(f64::EPSILON),
        int(2),
        int(1),
    ];
    set_record(vm, d, "float_info", &fi_ty, fi);

    let ii_names = [
        "bits_per_digit",
        "sizeof_digit",
        "default_max_str_digits",
        "str_digits_check_threshold",
    ];
    let ii_ty = seq_type(vm, "int_info", "sys", &ii_names, 4);
    set_record(
        vm,
        d,
        "int_info",
        &ii_ty,
        vec![int(30), int(4), int(4300), int(640)],
    );

    let hi_names = [
        "width",
        "modulus",
        "inf",
        "nan",
        "imag",
        "algorithm",
        "hash_bits",
        "seed_bits",
        "cutoff",
    ];
    let hi_ty = seq_type(vm, "hash_info", "sys", &hi_names, hi_names.len());
    let hi = vec![
        int(64),
        int((1i64 << 61) - 1),
        int(314159),
        int(0),
        int(1000003),
        new_str("siphash13"),
        int(64),
        int(128),
        int(0),
    ];
    set_record(vm, d, "hash_info", &hi_ty, hi);

    let ti_ty = seq_type(vm, "thread_info", "sys", &["name", "lock", "version"], 3);
    let ti = vec![new_str("pthread"), new_str("mutex+cond"), Value::none()];
    set_record(vm, d, "thread_info", &ti_ty, ti);

    let names: Vec<Value> = STDLIB_MODULE_NAMES
        .split(',')
        .filter(|n| !n.is_empty())
        .map(new_str)
        .collect();
    let frozenset = Value::from_borrowed(crate::world::types().frozenset);
    if let Ok(s) = vm.call(&frozenset, &[ListObj::new_value(names)]) {
        d.set_str("stdlib_module_names", s);
    }
    let orig: Vec<Value> = std::env::args().map(|a| new_str(&a)).collect();
    d.set_str("orig_argv", ListObj::new_value(orig));
    d.set_str("meta_path", ListObj::new_value(vec![]));
    d.set_str("path_hooks", ListObj::new_value(vec![]));
    d.set_str("path_importer_cache", DictObj::new_value());
    d.set_str(
        "warnoptions",
        ListObj::new_value(warnoptions(vm).iter().map(|w| new_str(w)).collect()),
    );
    let xoptions = DictObj::new_value();
    // SAFETY: just made a dict.
    let xd = unsafe { xoptions.payload_unchecked::<DictObj>() };
    for (name, value) in &vm.opts.given {
        xd.set_str(
            name,
            match value {
                Some(v) => new_str(v),
                None => Value::bool(true),
            },
        );
    }
    d.set_str("_xoptions", xoptions);
    d.set_str("dont_write_bytecode", Value::bool(true));
    d.set_str("pycache_prefix", Value::none());
    d.set_str("float_repr_style", new_str("short"));
    d.set_str("maxunicode", int(0x10FFFF));
    d.set_str("abiflags", new_str(""));
    d.set_str("api_version", int(1013));
    d.set_str("platlibdir", new_str("lib"));
    d.set_str("_framework", new_str(""));
    d.set_str("_home", Value::none());
    d.set_str(
        "copyright",
        new_str("Copyright (c) the stitch authors.\nPython's standard library: Copyright (c) 2001-2023 Python Software Foundation.\nAll Rights Reserved."),
    );
    let exe = d.get_str("executable").unwrap_or_else(Value::none);
    d.set_str("_base_executable", exe);
    for (name, f) in [
        ("excepthook", excepthook as crate::types::func::NativeFn),
        ("displayhook", displayhook),
        ("unraisablehook", unraisablehook),
        ("breakpointhook", breakpointhook),
    ] {
        let v = new_module_builtin(name, f, "sys");
        d.set_str(name, v.clone());
        d.set_str(&format!("__{name}__"), v);
    }
    let _ = crate::modules::unraisable::args_type(vm);
    for (name, f) in [
        ("exception", exception as crate::types::func::NativeFn),
        ("is_finalizing", is_finalizing),
        ("getswitchinterval", getswitchinterval),
        ("setswitchinterval", setswitchinterval),
        ("get_int_max_str_digits", get_int_max_str_digits),
        ("set_int_max_str_digits", set_int_max_str_digits),
        ("getfilesystemencodeerrors", getfilesystemencodeerrors),
        ("call_tracing", call_tracing),
        ("audit", audit),
        ("addaudithook", addaudithook),
        ("gettrace", gettrace),
        ("getprofile", getprofile),
        ("settrace", settrace),
        ("setprofile", setprofile),
    ] {
        d.set_str(name, new_module_builtin(name, f, "sys"));
    }
    if let Some(stdin) = d.get_str("stdin") {
        d.set_str("__stdin__", stdin);
    }
}

/// A struct sequence type of `sys` (building one cannot fail for these fixed layouts).
fn seq_type(vm: &mut Vm, name: &str, module: &str, fields: &[&'static str], n: usize) -> Value {
    match structseq::new_type(vm, module, name, fields, n) {
        Ok(t) => t,
        Err(_) => unreachable!("sys.{name}: a fixed struct sequence layout"),
    }
}

fn set_record(vm: &mut Vm, d: &DictObj, name: &str, ty: &Value, values: Vec<Value>) {
    if let Ok(v) = structseq::new(vm, ty, values) {
        d.set_str(name, v);
    }
}

/// `sys.path` after the script's folder (already there): `PYTHONPATH`, the Lib, then
/// site-packages; and the prefixes derived from the Lib's location.
fn set_path(d: &DictObj, cli: crate::options::CliFlags) {
    let Some(path) = d.get_str("path") else {
        return;
    };
    let Some(list) = path.downcast::<ListObj>() else {
        return;
    };
    let Ok(stdlib) = crate::lib_path::find_stdlib() else {
        return;
    };
    list.items.with(|v| {
        v.push(new_str(&stdlib.to_string_lossy()));
        if crate::options::Env::NoSite.get().is_none() && !cli.no_site {
            for p in crate::lib_path::site_packages(stdlib, !cli.no_user_site) {
                v.push(new_str(&p.to_string_lossy()));
            }
        }
    });
    let prefix = stdlib
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.to_string_lossy().to_string())
        .unwrap_or_else(|| "/usr".to_string());
    for name in ["prefix", "exec_prefix", "base_prefix", "base_exec_prefix"] {
        d.set_str(name, new_str(&prefix));
    }
    d.set_str("_stdlib_dir", new_str(&stdlib.to_string_lossy()));
}

/// The default `sys.excepthook`: print the exception and its traceback to stderr.
fn excepthook(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "excepthook", a, 3, 3)?;
    vm.flush_stdout();
    let text = if crate::vm::exc_data(&p[1]).is_some() {
        crate::traceback::format_exception(vm, &p[1])
    } else {
        // CPython's `print_exception` on a value that is no exception.
        format!(
            "TypeError: print_exception(): Exception expected for value, {} found\n",
            crate::builtins::type_name(&p[1])
        )
    };
    // Written to `sys.stderr` as CPython does (a program may have replaced it).
    match crate::builtins::sys_stream(vm, "stderr")? {
        Some(err) if !err.is_none() => {
            let w = crate::ops::getattr_str(vm, &err, "write")?;
            vm.call(&w, &[new_str(&text)])?;
            if let Some(f) = crate::ops::getattr_opt(vm, &err, "flush")? {
                vm.call(&f, &[])?;
            }
        }
        _ => eprint!("{text}"),
    }
    Ok(Value::none())
}

/// The default `sys.displayhook`: print the repr of a non-None value and keep it as
/// `builtins._`.
fn displayhook(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "displayhook", a, 1, 1)?;
    if p[0].is_none() {
        return Ok(Value::none());
    }
    if let Some(b) = vm.builtins.downcast::<crate::types::module::ModuleObj>() {
        b.dict().set_str("_", Value::none());
    }
    let r = crate::ops::repr(vm, &p[0])?;
    if let Some(out) = crate::builtins::sys_stream(vm, "stdout")?
        && !out.is_none()
    {
        let w = crate::ops::getattr_str(vm, &out, "write")?;
        vm.call(&w, &[crate::types::str::new_str(&format!("{r}\n"))])?;
    }
    if let Some(b) = vm.builtins.downcast::<crate::types::module::ModuleObj>() {
        b.dict().set_str("_", p[0].clone());
    }
    Ok(Value::none())
}

/// The default `sys.unraisablehook`: CPython's "Exception ignored in: OBJ" report.
fn unraisablehook(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "unraisablehook", a, 1, 1)?;
    let args = &p[0];
    let get = |vm: &mut Vm, n: &str| crate::ops::getattr(vm, args, &new_str(n));
    let obj = get(vm, "object")?;
    let msg = get(vm, "err_msg")?;
    let exc = get(vm, "exc_value")?;
    vm.flush_stdout();
    let head = if msg.is_none() {
        "Exception ignored in".to_string()
    } else {
        crate::ops::to_str(vm, &msg)?
    };
    let mut text = if obj.is_none() {
        format!("{head}:\n")
    } else {
        let r = crate::ops::repr(vm, &obj)?;
        format!("{head}: {r}\n")
    };
    if !exc.is_none() {
        text.push_str(&crate::traceback::format_exception(vm, &exc));
    }
    eprint!("{text}");
    Ok(Value::none())
}

/// The default `sys.breakpointhook(*args, **kws)`: calls the function
/// `$PYTHONBREAKPOINT` names (`module.callable`, a bare name is a builtin; unset or
/// empty means `pdb.set_trace`, `0` turns breakpoints off) with the same arguments.
/// A name that cannot be imported gives a RuntimeWarning and no call, as in CPython.
fn breakpointhook(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let envar = crate::options::python_env("PYTHONBREAKPOINT").unwrap_or_default();
    let envar = if envar.is_empty() {
        "pdb.set_trace".to_string()
    } else {
        envar
    };
    if envar == "0" {
        return Ok(Value::none());
    }
    let (module, attr) = match envar.rfind('.') {
        None => ("builtins", envar.as_str()),
        Some(0) => return unimportable_breakpoint(vm, &envar),
        Some(i) => (&envar[..i], &envar[i + 1..]),
    };
    let t = crate::world::types();
    let module = match crate::import::import_module(vm, module) {
        Ok(m) => m,
        Err(e) if vm.err_matches(&e, t.import_error) => {
            return unimportable_breakpoint(vm, &envar);
        }
        Err(e) => return Err(e),
    };
    let hook = match crate::ops::getattr(vm, &module, &new_str(attr)) {
        Ok(h) => h,
        Err(e) if vm.err_matches(&e, t.attribute_error) => {
            return unimportable_breakpoint(vm, &envar);
        }
        Err(e) => return Err(e),
    };
    let kwnames = a.kwnames.to_vec();
    vm.call_kw(&hook, a.args, &kwnames)
}

/// `breakpointhook`'s answer to a `$PYTHONBREAKPOINT` it cannot import.
fn unimportable_breakpoint(vm: &mut Vm, envar: &str) -> PyResult<Value> {
    let msg = format!("Ignoring unimportable $PYTHONBREAKPOINT: \"{envar}\"");
    let category = crate::world::types().runtime_warning;
    crate::modules::warnings::warn_str(vm, category, &msg, 0, None)?;
    Ok(Value::none())
}

fn exception(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "exception", a, 0, 0)?;
    let h = vm.topmost_handled();
    Ok(if h.is_null() { Value::none() } else { h })
}

/// Set once the program's end has run the atexit callbacks and joined the threads, as
/// CPython's `_Py_Finalizing` is (the `__del__` methods run after see it).
static FINALIZING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The interpreter is finalizing from now on.
pub fn set_finalizing() {
    FINALIZING.store(true, std::sync::atomic::Ordering::Relaxed);
}

fn is_finalizing(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "is_finalizing", a, 0, 0)?;
    Ok(Value::bool(
        FINALIZING.load(std::sync::atomic::Ordering::Relaxed),
    ))
}

/// Kept only to be read back: stitch has no global lock to switch.
static SWITCH_INTERVAL: parking_lot::Mutex<f64> = parking_lot::Mutex::new(0.005);

fn getswitchinterval(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "getswitchinterval", a, 0, 0)?;
    Ok(Value::float(*SWITCH_INTERVAL.lock()))
}

fn setswitchinterval(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "setswitchinterval", a, 1, 1)?;
    let Some(x) = p[0]
        .as_float()
        .or_else(|| p[0].as_small_int().map(|i| i as f64))
    else {
        return Err(vm.type_error("must be real number"));
    };
    if x <= 0.0 {
        return Err(vm.value_error("switch interval must be strictly positive"));
    }
    *SWITCH_INTERVAL.lock() = x;
    Ok(Value::none())
}

fn getfilesystemencodeerrors(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "getfilesystemencodeerrors", a, 0, 0)?;
    Ok(new_str("surrogateescape"))
}

fn call_tracing(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "call_tracing", a, 2, 2)?;
    if p[1].downcast::<TupleObj>().is_none() {
        return Err(vm.type_error(format!(
            "call_tracing() argument 2 must be tuple, not {}",
            p[1].type_data().name
        )));
    }
    let args = crate::ops::collect(vm, &p[1])?;
    // Trace and profile events are delivered inside the call even when it is made
    // from a trace function (`_PyEval_CallTracing`: how pdb debugs recursively).
    let saved = std::mem::replace(&mut vm.trace.tracing, 0);
    vm.trace.use_tracing = crate::trace::use_tracing_for(&vm.trace);
    let r = vm.call(&p[0], &args);
    vm.trace.tracing = saved;
    vm.trace.use_tracing = crate::trace::use_tracing_for(&vm.trace);
    r
}

/// Audit hooks added with `sys.addaudithook`, called by `sys.audit`.
static AUDIT_HOOKS: parking_lot::Mutex<Vec<Value>> = parking_lot::Mutex::new(Vec::new());

fn audit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(event) = p.first() else {
        return Err(vm.type_error("audit() missing 1 required positional argument: 'event'"));
    };
    if crate::types::str::as_str(event).is_none() {
        return Err(vm.type_error("expected str for argument 'event'"));
    }
    let hooks = AUDIT_HOOKS.lock().clone();
    if hooks.is_empty() {
        return Ok(Value::none());
    }
    let args = TupleObj::new_value(p[1..].to_vec());
    for h in hooks {
        vm.call(&h, &[event.clone(), args.clone()])?;
    }
    Ok(Value::none())
}

fn addaudithook(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "addaudithook", a, 1, 1)?;
    let h = p[0].clone();
    crate::object::make_immortal(h.raw());
    AUDIT_HOOKS.lock().push(h);
    Ok(Value::none())
}

fn gettrace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "gettrace", a, 0, 0)?;
    let t = vm.trace.tracer.clone();
    Ok(if t.is_null() { Value::none() } else { t })
}

fn getprofile(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "getprofile", a, 0, 0)?;
    let t = vm.trace.profiler.clone();
    Ok(if t.is_null() { Value::none() } else { t })
}

/// `sys.settrace(function)`: the thread's trace function (`trace.rs`).
fn settrace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = one_arg(vm, "settrace", a)?;
    audit_event(vm, "sys.settrace", &[])?;
    crate::trace::set_trace(vm, f);
    Ok(Value::none())
}

/// `sys.setprofile(function)`: the thread's profile function (`trace.rs`).
fn setprofile(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = one_arg(vm, "setprofile", a)?;
    audit_event(vm, "sys.setprofile", &[])?;
    crate::trace::set_profile(vm, f);
    Ok(Value::none())
}

/// The one positional argument of a METH_O function.
fn one_arg(vm: &mut Vm, name: &str, a: &Args) -> PyResult<Value> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    match a.pos() {
        [f] => Ok(f.clone()),
        p => Err(vm.type_error(format!(
            "{name}() takes exactly one argument ({} given)",
            p.len()
        ))),
    }
}

/// Run the audit hooks for `event` (as `sys.audit(event, *args)`).
fn audit_event(vm: &mut Vm, event: &str, args: &[Value]) -> PyResult<()> {
    let hooks = AUDIT_HOOKS.lock().clone();
    if hooks.is_empty() {
        return Ok(());
    }
    let ev = crate::world::intern(event);
    let t = TupleObj::new_value(args.to_vec());
    for h in hooks {
        vm.call(&h, &[ev.clone(), t.clone()])?;
    }
    Ok(())
}
