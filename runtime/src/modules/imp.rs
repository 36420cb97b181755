//! `_imp`: the native half of `importlib`, as the Lib's `importlib._bootstrap` and
//! `_bootstrap_external` call it. Builtin modules are stitch's native modules; stitch
//! has no frozen modules. stitch loads no C extension (it has no C API), so it reports
//! no extension suffixes, as a CPython built without dynamic loading: importlib's path
//! finder then never picks a `.so`, and agrees with the native importer, which looks
//! only for `.py` files. A package's `.so` is "not found" either way, so its
//! `except ImportError` fallback to pure Python runs (markupsafe, pyyaml, sqlalchemy,
//! tornado, ...), and a mypyc- or Cython-built module whose `.py` ships beside its
//! `.so` is imported from the `.py`.
//!
//! The import lock is one process-wide reentrant lock (CPython's `_PyImport_AcquireLock`);
//! importlib takes it only around its per-module lock table.
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::lock_api::RawMutex as _;

use super::native_args::{self, module, set};
use crate::object::current_tid;
use crate::types::bytes::BytesObj;
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// The import lock: a raw mutex plus its owner and recursion depth (only the owner
/// reads or writes the depth while it holds the mutex).
struct ImportLock {
    raw: crate::modules::thread::futex_mutex::FutexMutex,
    owner: AtomicU64,
    depth: AtomicU64,
}

static LOCK: ImportLock = ImportLock {
    raw: crate::modules::thread::futex_mutex::FutexMutex::INIT,
    owner: AtomicU64::new(0),
    depth: AtomicU64::new(0),
};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_imp",
        &[
            ("lock_held", lock_held),
            ("acquire_lock", acquire_lock),
            ("release_lock", release_lock),
            ("is_builtin", is_builtin),
            ("create_builtin", create_builtin),
            ("exec_builtin", exec_module),
            ("create_dynamic", create_dynamic),
            ("exec_dynamic", exec_dynamic),
            ("is_frozen", is_frozen),
            ("is_frozen_package", no_frozen),
            ("find_frozen", find_frozen),
            ("get_frozen_object", no_frozen),
            ("init_frozen", no_frozen),
            ("_frozen_module_names", frozen_module_names),
            ("_override_frozen_modules_for_tests", override_frozen),
            ("extension_suffixes", extension_suffixes),
            ("_fix_co_filename", fix_co_filename),
            ("source_hash", source_hash),
        ],
    );
    set(&m, "check_hash_based_pycs", new_str("default"));
    set(
        &m,
        "__doc__",
        new_str("(Extremely) low-level import machinery bits as used by importlib and imp."),
    );
    Ok(m)
}

fn lock_held(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "lock_held", a, 0, 0)?;
    Ok(Value::bool(
        LOCK.depth.load(Ordering::Relaxed) > 0 && LOCK.raw.is_locked(),
    ))
}

fn acquire_lock(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "acquire_lock", a, 0, 0)?;
    let me = current_tid();
    if LOCK.raw.is_locked() && LOCK.owner.load(Ordering::Relaxed) == me {
        LOCK.depth.fetch_add(1, Ordering::Relaxed);
        return Ok(Value::none());
    }
    if !LOCK.raw.try_lock() {
        vm.flush_stdout();
        crate::thread_state::blocking(|| LOCK.raw.lock());
    }
    LOCK.owner.store(me, Ordering::Relaxed);
    LOCK.depth.store(1, Ordering::Relaxed);
    Ok(Value::none())
}

fn release_lock(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "release_lock", a, 0, 0)?;
    let me = current_tid();
    if !LOCK.raw.is_locked() || LOCK.owner.load(Ordering::Relaxed) != me {
        return Err(vm.runtime_error("not holding the import lock"));
    }
    let d = LOCK.depth.load(Ordering::Relaxed) - 1;
    LOCK.depth.store(d, Ordering::Relaxed);
    if d == 0 {
        LOCK.owner.store(0, Ordering::Relaxed);
        // SAFETY: this thread holds the mutex (owner checked above).
        unsafe { LOCK.raw.unlock() };
    }
    Ok(Value::none())
}

/// The `name` argument of the frozen/builtin queries, which must be a str.
fn name_arg(vm: &mut Vm, fname: &str, a: &Args) -> PyResult<String> {
    let p = native_args::unpack(vm, fname, a, 1, 1)?;
    match as_str(&p[0]) {
        Some(s) => Ok(s.to_string()),
        None => Err(vm.type_error(format!(
            "{fname}() argument must be str, not {}",
            p[0].type_data().name
        ))),
    }
}

/// `is_builtin(name)`: 1 for stitch's native modules (all may be re-created), else 0.
fn is_builtin(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = name_arg(vm, "is_builtin", a)?;
    Ok(Value::int(i64::from(crate::modules::find(&name).is_some())))
}

/// `create_builtin(spec)`: the native module named `spec.name`; the one already in
/// `sys.modules` if any (a native module's state is per process, as a single-phase
/// C module's is in CPython).
fn create_builtin(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "create_builtin", a, 1, 1)?;
    let n = crate::ops::getattr(vm, &p[0], &new_str("name"))?;
    let Some(name) = as_str(&n).map(str::to_string) else {
        return Err(vm.type_error(format!("name must be string, not {}", n.type_data().name)));
    };
    if let Some(m) = crate::import::loaded(vm, &name) {
        return Ok(m);
    }
    match crate::modules::find(&name) {
        Some(init) => init(vm),
        None => Err(import_error(
            vm,
            format!("no built-in module named {name}"),
            &name,
            None,
        )),
    }
}

/// `exec_builtin(module)`: native modules are complete once created; nothing to run.
fn exec_module(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "exec_builtin", a, 1, 1)?;
    Ok(Value::int(0))
}

/// `exec_dynamic(module)`: as `exec_builtin` (create_dynamic already refused C code).
fn exec_dynamic(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "exec_dynamic", a, 1, 1)?;
    Ok(Value::int(0))
}

/// `create_dynamic(spec, file=None)`: stitch cannot load C extensions; the error names
/// the file (reached only through a spec made by hand, since no finder of stitch's
/// returns one for a `.so`).
fn create_dynamic(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "create_dynamic", a, 1, 2)?;
    let n = crate::ops::getattr(vm, &p[0], &new_str("name"))?;
    let o = crate::ops::getattr(vm, &p[0], &new_str("origin"))?;
    let name = crate::ops::to_str(vm, &n)?;
    let origin = crate::ops::to_str(vm, &o)?;
    Err(import_error(
        vm,
        format!("stitch cannot load C extension modules: '{name}' is {origin}"),
        &name,
        Some(&origin),
    ))
}

/// An `ImportError(msg, name=name, path=path)`.
fn import_error(vm: &mut Vm, msg: String, name: &str, path: Option<&str>) -> crate::vm::PyErr {
    let ty = Value::from_borrowed(types().import_error);
    let mut kw = vec![new_str("name")];
    let mut args = vec![new_str(&msg), new_str(name)];
    if let Some(p) = path {
        kw.push(new_str("path"));
        args.push(new_str(p));
    }
    match vm.call_kw(&ty, &args, &kw) {
        Ok(exc) => crate::vm::PyErr { exc },
        Err(e) => e,
    }
}

fn is_frozen(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    name_arg(vm, "is_frozen", a)?;
    Ok(Value::bool(false))
}

fn find_frozen(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "find_frozen", a, &["name", "withdata"], 1, 1)?;
    if as_str(b[0].unwrap_or(&Value::none())).is_none() {
        return Err(vm.type_error("find_frozen() argument 1 must be str"));
    }
    Ok(Value::none())
}

/// The frozen-module entry points: stitch freezes nothing.
fn no_frozen(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = name_arg(vm, "get_frozen_object", a)?;
    Err(import_error(
        vm,
        format!("No such frozen object named '{name}'"),
        &name,
        None,
    ))
}

fn frozen_module_names(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "_frozen_module_names", a, 0, 0)?;
    Ok(TupleObj::new_value(Vec::new()))
}

fn override_frozen(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "_override_frozen_modules_for_tests", a, 1, 1)?;
    Ok(Value::none())
}

fn extension_suffixes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "extension_suffixes", a, 0, 0)?;
    Ok(crate::types::list::ListObj::new_value(Vec::new()))
}

/// `_fix_co_filename(code, path)`: CPython rewrites the file name of code loaded from a
/// moved `.pyc`; stitch compiles from the source at its path, so there is nothing to fix.
fn fix_co_filename(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "_fix_co_filename", a, 2, 2)?;
    if p[0].downcast::<crate::types::code::CodeObj>().is_none() {
        return Err(vm.type_error(format!(
            "_fix_co_filename() argument 1 must be code, not {}",
            p[0].type_data().name
        )));
    }
    Ok(Value::none())
}

/// `source_hash(key, source)`: the 8-byte keyed hash importlib stores in hash-based
/// `.pyc` files. stitch never reads or writes `.pyc` files (it has its own code cache),
/// so any keyed 64-bit hash conforms; this is FNV-1a seeded with the key.
fn source_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "source_hash", a, &["key", "source"], 2, 0)?;
    let key = crate::modules::args::int(vm, b[0].unwrap_or(&Value::none()))?;
    let none = Value::none();
    let src = b[1].unwrap_or(&none);
    let data = crate::modules::buffer::need(vm, src)?;
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ key as u64;
    for &byte in data.iter() {
        h = (h ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    Ok(BytesObj::new_value(h.to_le_bytes().to_vec()))
}
