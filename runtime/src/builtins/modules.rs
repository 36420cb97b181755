//! Native modules: sys, math, time.

use super::posargs;
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::func::NativeFn;
use crate::types::list::ListObj;
use crate::types::module::ModuleObj;
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, new_instance_of};
use crate::world::types;

pub fn module_with(name: &'static str, fns: &[(&'static str, NativeFn)]) -> Value {
    let m = crate::import::new_module(name, None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<ModuleObj>() }.dict();
    for (n, f) in fns {
        // `__module__` names the module (pickle finds `_codecs.encode` through it).
        d.set_str(n, crate::types::func::new_module_builtin(n, *f, name));
    }
    m
}

fn mdict(m: &Value) -> &DictObj {
    // SAFETY: callers pass module objects.
    unsafe { m.payload_unchecked::<ModuleObj>() }.dict()
}

pub fn make_native_module(_vm: &mut Vm, name: &str) -> Option<Value> {
    match name {
        "_os" => Some(make_os()),
        "_traceback" => Some(module_with(
            "_traceback",
            &[
                ("format", super::traceback_module::format),
                ("format_only", super::traceback_module::format_only),
                ("entries", super::traceback_module::entries),
            ],
        )),
        _ => None,
    }
}

// ---- sys ------------------------------------------------------------------------------------

/// The `sys` module (immortal), for `print` and `input` to find `sys.stdout` & co.
static SYS_MODULE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn sys_module() -> Option<Value> {
    let bits = SYS_MODULE.load(std::sync::atomic::Ordering::Acquire);
    if bits == 0 {
        None
    } else {
        Some(Value::from_borrowed(stitch_stencils::value::RawValue(bits)))
    }
}

/// `sys.implementation.cache_tag`: the tag importlib puts in cached-module file names
/// (`__pycache__/m.stitch-311.pyc`, from `importlib.util.cache_from_source`). It is
/// stitch's own, as the docs ask of an implementation other than CPython, so that no
/// import ever reads CPython's `cpython-311` files as stitch bytecode (stitch caches
/// compiled code elsewhere, `compile/code_cache.rs`, and writes no `.pyc`).
pub const CACHE_TAG: &str = "stitch-311";

pub fn make_sys(vm: &mut Vm) -> Value {
    let m = module_with(
        "sys",
        &[
            ("exit", sys_exit),
            ("setrecursionlimit", sys_setrecursionlimit),
            ("getrecursionlimit", sys_getrecursionlimit),
            ("exc_info", sys_exc_info),
            ("intern", sys_intern),
            ("getrefcount", sys_getrefcount),
            ("getsizeof", super::sizeof::getsizeof),
            ("_getframe", super::frames::getframe),
            ("_current_frames", super::thread_frames::current_frames),
            (
                "_current_exceptions",
                super::thread_frames::current_exceptions,
            ),
            (
                "set_asyncgen_hooks",
                super::async_generators::set_asyncgen_hooks,
            ),
            (
                "get_asyncgen_hooks",
                super::async_generators::get_asyncgen_hooks,
            ),
            (
                "set_coroutine_origin_tracking_depth",
                super::coroutines::set_origin_tracking_depth,
            ),
            (
                "get_coroutine_origin_tracking_depth",
                super::coroutines::get_origin_tracking_depth,
            ),
            ("getdefaultencoding", sys_getdefaultencoding),
            ("getfilesystemencoding", sys_getfilesystemencoding),
        ],
    );
    let d = mdict(&m);
    let argv: Vec<Value> = vm.argv.iter().map(|a| new_str(a)).collect();
    d.set_str("argv", ListObj::new_value(argv));
    d.set_str("modules", vm.modules.clone());
    let names: Vec<Value> = ["builtins", "sys"]
        .into_iter()
        .chain(crate::modules::names())
        .map(new_str)
        .collect();
    d.set_str("builtin_module_names", TupleObj::new_value(names));
    let mut path = vec![];
    let script_dir = std::path::Path::new(&vm.main_path)
        .parent()
        .map(|p| p.to_string_lossy().to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_default();
    // `-P`/`-I`: the script's folder is not trusted.
    if !vm.opts.cli.safe_path {
        path.push(new_str(&script_dir));
    }
    if let Some(pp) = crate::options::python_env("PYTHONPATH") {
        for p in pp.split(':').filter(|p| !p.is_empty()) {
            path.push(new_str(p));
        }
    }
    d.set_str("path", ListObj::new_value(path));
    match crate::modules::io::make_std_streams(vm) {
        Ok([stdin, stdout, stderr]) => {
            for (n, v) in [("stdin", stdin), ("stdout", stdout), ("stderr", stderr)] {
                d.set_str(n, v.clone());
                d.set_str(&format!("__{n}__"), v);
            }
        }
        Err(_) => {
            for n in ["stdin", "stdout", "stderr"] {
                d.set_str(n, Value::none());
                d.set_str(&format!("__{n}__"), Value::none());
            }
        }
    }
    crate::object::make_immortal(m.raw());
    SYS_MODULE.store(m.raw().0, std::sync::atomic::Ordering::Release);
    // CPython's shape, "version (build) [compiler]": `platform._sys_version` parses it
    // (python_implementation, python_version, python_build, python_compiler).
    d.set_str(
        "version",
        new_str(&format!(
            "3.11.7 (stitch {}) [Rust]",
            env!("CARGO_PKG_VERSION")
        )),
    );
    d.set_str("hexversion", Value::int(0x030B07F0));
    d.set_str("maxsize", Value::int(i64::MAX));
    let version = TupleObj::from_items([
        Value::int(0),
        Value::int(1),
        Value::int(0),
        new_str("alpha"),
        Value::int(0),
    ]);
    let imp = [
        ("name", new_str("stitch")),
        ("cache_tag", new_str(CACHE_TAG)),
        ("version", version),
        ("hexversion", Value::int(0x000100A0)),
        // sysconfig names the stdlib's build-data module `_sysconfigdata_{abiflags}_{multiarch}`
        // from this; without it `sysconfig.get_config_vars()` (used by pydoc, test.support,
        // ...) fails to import `_sysconfigdata__`.
        ("_multiarch", new_str(&multiarch())),
    ];
    let imp = match crate::modules::namespace::make_class(vm)
        .and_then(|_| crate::modules::namespace::new(vm, &imp))
    {
        Ok(ns) => ns,
        Err(_) => attr_namespace(&imp),
    };
    d.set_str("implementation", imp);
    d.set_str("platform", new_str("linux"));
    d.set_str("byteorder", new_str("little"));
    d.set_str(
        "executable",
        new_str(
            &std::env::current_exe()
                .map(|p| p.to_string_lossy().to_string())
                .unwrap_or_default(),
        ),
    );
    crate::modules::sys::extend(vm, d);
    m
}

/// The platform triplet CPython was configured with (`sys.implementation._multiarch`):
/// Debian-style `{arch}-linux-gnu` on glibc Linux.
fn multiarch() -> String {
    let arch = std::env::consts::ARCH;
    if cfg!(target_os = "macos") {
        "darwin".to_string()
    } else if cfg!(target_env = "musl") {
        format!("{arch}-linux-musl")
    } else {
        format!("{arch}-{}-gnu", std::env::consts::OS)
    }
}

/// A plain object carrying `pairs` as attributes (CPython uses struct sequences or
/// SimpleNamespace for these sys records).
fn attr_namespace(pairs: &[(&str, Value)]) -> Value {
    let obj = new_instance_of(&Value::from_borrowed(types().object), vec![]);
    // SAFETY: object() instances are `Instance`s with a dict.
    let inst = unsafe { obj.payload_unchecked::<crate::types::instance::Instance>() };
    if let Some(dd) = inst.dict.downcast::<DictObj>() {
        for (k, v) in pairs {
            dd.set_str(k, v.clone());
        }
    }
    obj
}

fn sys_getdefaultencoding(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "getdefaultencoding", a, 0, 0)?;
    Ok(new_str("utf-8"))
}

fn sys_getfilesystemencoding(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "getfilesystemencoding", a, 0, 0)?;
    Ok(new_str("utf-8"))
}

fn sys_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "exit", a, 0, 1)?;
    // `PyErr_SetObject(SystemExit, status)`: a tuple status is the exception's args.
    let args = match p.first().and_then(|s| s.downcast::<TupleObj>()) {
        Some(t) if p[0].type_raw() == types().tuple => t.items.to_vec(),
        _ => p.to_vec(),
    };
    Err(crate::vm::PyErr {
        exc: vm.new_exception(types().system_exit, args),
    })
}

fn sys_setrecursionlimit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "setrecursionlimit", a, 1, 1)?;
    let n = ops::to_isize(vm, &p[0])?;
    if n < 1 {
        return Err(vm.value_error("recursion limit must be greater or equal than 1"));
    }
    vm.recursion_limit = n.min(u32::MAX as i64) as u32;
    Ok(Value::none())
}

fn sys_getrecursionlimit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "getrecursionlimit", a, 0, 0)?;
    Ok(Value::int(vm.recursion_limit as i64))
}

fn sys_exc_info(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "exc_info", a, 0, 0)?;
    Ok(exc_info_tuple(vm.topmost_handled()))
}

/// `(type, value, traceback)` of a handled exception (NULL: three Nones).
pub(crate) fn exc_info_tuple(e: Value) -> Value {
    if e.is_null() {
        return TupleObj::from_items([Value::none(), Value::none(), Value::none()]);
    }
    let tb = crate::vm::exc_data(&e)
        .map(|d| d.with(|d| d.traceback.clone()))
        .filter(|t| !t.is_null())
        .unwrap_or_else(Value::none);
    TupleObj::from_items([e.type_of(), e, tb])
}

fn sys_intern(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "intern", a, 1, 1)?;
    if p[0].type_raw() != types().str {
        if crate::types::str::as_str(&p[0]).is_some() {
            return Err(vm.type_error(format!("can't intern {}", super::type_name(&p[0]))));
        }
        return Err(vm.type_error(format!(
            "intern() argument must be str, not {}",
            super::type_name(&p[0])
        )));
    }
    Ok(crate::world::intern_value(&p[0]))
}

fn sys_getrefcount(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "getrefcount", a, 1, 1)?;
    Ok(Value::int(crate::object::refcount(p[0].raw()).min(1 << 40)))
}

// ---- _os (the native half of os) ---------------------------------------------------------------

fn make_os() -> Value {
    module_with(
        "_os",
        &[
            ("environ", os_environ),
            ("getpid", os_getpid),
            ("getcwd", os_getcwd),
            ("listdir", os_listdir),
            ("stat_kind", os_stat_kind),
            ("cpu_count", os_cpu_count),
            ("read_text", os_read_text),
            ("write_text", os_write_text),
            ("mkdir", super::os_fs::mkdir),
            ("rmdir", super::os_fs::rmdir),
            ("unlink", super::os_fs::unlink),
            ("rename", super::os_fs::rename),
            ("stat", super::os_fs::stat),
            ("urandom", super::os_fs::urandom),
            ("read_bytes", super::os_fs::read_bytes),
            ("write_bytes", super::os_fs::write_bytes),
        ],
    )
}

fn os_environ(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    let d = DictObj::new();
    for (k, v) in std::env::vars() {
        d.set(vm, new_str(&k), new_str(&v))?;
    }
    Ok(Value::alloc(d))
}

fn os_getpid(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::int(std::process::id() as i64))
}

fn os_getcwd(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    match std::env::current_dir() {
        Ok(p) => Ok(new_str(&p.to_string_lossy())),
        Err(e) => Err(vm.err(types().os_error, e.to_string())),
    }
}

fn os_listdir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "listdir", a, 0, 1)?;
    let path = p.first().and_then(|v| as_str(v)).unwrap_or(".").to_string();
    match std::fs::read_dir(&path) {
        Ok(rd) => {
            let mut names: Vec<String> = rd
                .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
                .collect();
            names.sort();
            Ok(ListObj::new_value(
                names.iter().map(|n| new_str(n)).collect(),
            ))
        }
        Err(e) => Err(io_error(vm, &e, &path)),
    }
}

/// 0 missing, 1 file, 2 directory, 3 other.
fn os_stat_kind(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "stat_kind", a, 1, 1)?;
    let path = as_str(&p[0]).unwrap_or("").to_string();
    Ok(Value::int(match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => 1,
        Ok(m) if m.is_dir() => 2,
        Ok(_) => 3,
        Err(_) => 0,
    }))
}

fn os_cpu_count(_vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(Value::int(
        std::thread::available_parallelism()
            .map(|n| n.get() as i64)
            .unwrap_or(1),
    ))
}

pub(super) fn io_error(vm: &mut Vm, e: &std::io::Error, path: &str) -> crate::vm::PyErr {
    if let Some(errno) = e.raw_os_error() {
        return super::os_error::from_errno(vm, errno, Some(new_str(path)), None);
    }
    let errno = 0;
    let msg = strip_os_suffix(&e.to_string());
    let ty = match e.kind() {
        std::io::ErrorKind::NotFound => types().file_not_found_error,
        std::io::ErrorKind::PermissionDenied => types().permission_error,
        std::io::ErrorKind::AlreadyExists => types().file_exists_error,
        _ if errno == 21 => types().is_a_directory_error,
        _ if errno == 20 => types().not_a_directory_error,
        _ => types().os_error,
    };
    vm.err(ty, format!("[Errno {errno}] {msg}: '{path}'"))
}

fn strip_os_suffix(s: &str) -> String {
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

fn os_read_text(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "read_text", a, 1, 1)?;
    let path = as_str(&p[0]).unwrap_or("").to_string();
    match std::fs::read(&path) {
        Ok(b) => match String::from_utf8(b) {
            Ok(s) => Ok(new_str(&s.replace("\r\n", "\n"))),
            Err(_) => Err(vm.err(
                types().unicode_decode_error,
                format!("'utf-8' codec can't decode file '{path}'"),
            )),
        },
        Err(e) => Err(io_error(vm, &e, &path)),
    }
}

fn os_write_text(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "write_text", a, 3, 3)?;
    let path = as_str(&p[0]).unwrap_or("").to_string();
    let data = as_str(&p[1]).unwrap_or("").to_string();
    let append = p[2].is_true_singleton();
    use std::io::Write;
    let r = std::fs::OpenOptions::new()
        .create(true)
        .append(append)
        .write(true)
        .truncate(!append)
        .open(&path)
        .and_then(|mut f| f.write_all(data.as_bytes()));
    match r {
        Ok(()) => Ok(Value::none()),
        Err(e) => Err(io_error(vm, &e, &path)),
    }
}
