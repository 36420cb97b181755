//! The import system: native modules, then `.py` files and packages found next to the
//! main script, on `PYTHONPATH` and on `sys.path`. Modules are cached in `sys.modules`
//! before they run, so circular imports behave as in CPython. One thread at a time
//! imports a given name (`lock`).
pub mod lock;

use std::path::{Path, PathBuf};

use crate::ops;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::module::ModuleObj;
use crate::types::str::{as_str, new_str};
use crate::value::Value;
use crate::vm::{PyResult, Vm};
use crate::world::types;

fn modules_dict(vm: &Vm) -> &DictObj {
    // SAFETY: `vm.modules` is always a dict.
    unsafe { vm.modules.payload_unchecked::<DictObj>() }
}

/// The module `name` in `sys.modules`, if it is there.
pub fn loaded(vm: &Vm, name: &str) -> Option<Value> {
    modules_dict(vm).get_str(name)
}

pub fn new_module(name: &str, file: Option<&str>) -> Value {
    let d = DictObj::new();
    d.set_str("__name__", new_str(name));
    d.set_str("__doc__", Value::none());
    d.set_str("__package__", Value::none());
    if let Some(f) = file {
        d.set_str("__file__", new_str(f));
    }
    let m = Value::alloc(ModuleObj {
        name: name.to_string(),
        dict: Value::alloc(d),
    });
    crate::shared_immortal::new_module(&m);
    m
}

/// Resolve a relative import's package from the importing module's globals.
fn resolve_name(vm: &mut Vm, name: &str, level: usize, globals: &Value) -> PyResult<String> {
    if level == 0 {
        return Ok(name.to_string());
    }
    let g = globals.downcast::<DictObj>();
    let package = g
        .and_then(|g| g.get_str("__package__"))
        .and_then(|p| as_str(&p).map(|s| s.to_string()))
        .or_else(|| {
            let g = g?;
            let n = g
                .get_str("__name__")
                .and_then(|n| as_str(&n).map(|s| s.to_string()))?;
            if g.get_str("__path__").is_some() {
                Some(n)
            } else {
                Some(
                    n.rsplit_once('.')
                        .map(|(a, _)| a.to_string())
                        .unwrap_or_default(),
                )
            }
        })
        .unwrap_or_default();
    if package.is_empty() {
        return Err(vm.err(
            types().import_error,
            "attempted relative import with no known parent package",
        ));
    }
    let mut base = package.as_str();
    for _ in 1..level {
        match base.rsplit_once('.') {
            Some((a, _)) => base = a,
            None => {
                return Err(vm.err(
                    types().import_error,
                    "attempted relative import beyond top-level package",
                ));
            }
        }
    }
    Ok(if name.is_empty() {
        base.to_string()
    } else {
        format!("{base}.{name}")
    })
}

pub fn import_name(
    vm: &mut Vm,
    name: &Value,
    fromlist: &Value,
    level: &Value,
    globals: &Value,
) -> PyResult<Value> {
    let name = as_str(name).unwrap_or("").to_string();
    let level = level.as_small_int().unwrap_or(0).max(0) as usize;
    let full = resolve_name(vm, &name, level, globals)?;
    let module = import_module(vm, &full)?;
    let from_items = ops::seq_items_fast(fromlist).unwrap_or_default();
    if from_items.is_empty() {
        // `import a.b.c` binds `a`; `import a` binds the module just imported, even if
        // its failed import (in another thread) has removed it from sys.modules since.
        if level == 0
            && let Some((top, _)) = full.split_once('.')
        {
            let top = top.to_string();
            return import_module(vm, &top);
        }
        return Ok(module);
    }
    // from package import submodule: import submodules that are not attributes yet.
    if let Some(m) = module.downcast::<ModuleObj>()
        && m.dict().get_str("__path__").is_some()
    {
        for it in from_items {
            let Some(n) = as_str(&it) else { continue };
            if n == "*" || m.dict().get_str(n).is_some() {
                continue;
            }
            let sub = format!("{full}.{n}");
            match import_module(vm, &sub) {
                Ok(_) => {}
                // Only "this submodule does not exist" is ignored (then `import_from`
                // reports the missing name); a module the submodule itself fails to find
                // propagates, as in CPython's `_handle_fromlist`.
                Err(e)
                    if vm.err_matches(&e, types().module_not_found_error)
                        && ops::to_str(vm, &e.exc).ok().as_deref()
                            == Some(format!("No module named '{sub}'").as_str()) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(module)
}

/// The entry `m` of `sys.modules` for `full`: `None` there blocks the import (as
/// CPython's `_find_and_load`; `test.support.import_helper` blocks modules so).
fn found_in_sys_modules(vm: &mut Vm, full: &str, m: Value) -> PyResult<Value> {
    if m.is_none() {
        return Err(not_found(
            vm,
            full,
            format!("import of {full} halted; None in sys.modules"),
        ));
    }
    Ok(m)
}

/// `ModuleNotFoundError(msg)` with its `name` (as importlib raises it).
fn not_found(vm: &mut Vm, full: &str, msg: String) -> crate::vm::PyErr {
    let e = vm.err(types().module_not_found_error, msg);
    let _ = crate::ops::setattr(vm, &e.exc, &new_str("name"), new_str(full));
    e
}

/// Import `full` (dotted), importing parent packages first. A module another thread is
/// still importing is waited for; one missing from `sys.modules` is imported holding
/// its lock (see `lock`).
pub fn import_module(vm: &mut Vm, full: &str) -> PyResult<Value> {
    if full == "genericpath" && modules_dict(vm).get_str("os").is_none() {
        // CPython's start-up (`site`) has imported `os` before a program runs, and
        // the Lib relies on it: `genericpath` imports `os`, whose `posixpath` reads
        // names from the then half-run `genericpath`. stitch imports `os` lazily, so
        // it imports it first here, which runs `genericpath` to the end on the way
        // (`importlib_bridge.py` does the same for importlib's loaders).
        import_module(vm, "os")?;
    }
    if let Some(m) = modules_dict(vm).get_str(full) {
        lock::wait_until_imported(vm, full)?;
        return found_in_sys_modules(vm, full, m);
    }
    if let Some(find_and_load) = custom_finder_hook(vm)? {
        // importlib takes the same per-name locks (the bridge's `_get_module_lock`).
        return vm.call(&find_and_load, &[new_str(full)]);
    }
    let _held = lock::hold(vm, full)?;
    // Another thread may have imported it while this one waited.
    if let Some(m) = modules_dict(vm).get_str(full) {
        return found_in_sys_modules(vm, full, m);
    }
    import_unlocked(vm, full)
}

/// Find, create and run module `full`, missing from `sys.modules`; the caller holds
/// its import lock.
fn import_unlocked(vm: &mut Vm, full: &str) -> PyResult<Value> {
    let (parent, short) = match full.rsplit_once('.') {
        Some((p, s)) => (Some(p.to_string()), s.to_string()),
        None => (None, full.to_string()),
    };
    let search: Vec<PathBuf> = match &parent {
        Some(p) => {
            // A parent already in sys.modules is used as it is (None there: "not a
            // package", as in CPython).
            let pm = match modules_dict(vm).get_str(p) {
                Some(pm) => pm,
                None => import_module(vm, p)?,
            };
            if let Some(m) = modules_dict(vm).get_str(full) {
                return found_in_sys_modules(vm, full, m);
            }
            let path = pm
                .downcast::<ModuleObj>()
                .and_then(|m| m.dict().get_str("__path__"))
                .and_then(|p| ops::seq_items_fast(&p))
                .unwrap_or_default();
            if path.is_empty() {
                return Err(not_found(
                    vm,
                    full,
                    format!("No module named '{full}'; '{p}' is not a package"),
                ));
            }
            path.iter()
                .filter_map(|p| as_str(p).map(PathBuf::from))
                .collect()
        }
        None => {
            if let Some(m) = frozen_bootstrap(vm, full)? {
                return Ok(m);
            }
            if let Some(init) = crate::modules::find(full) {
                let m = init(vm)?;
                set_spec(vm, &m)?;
                modules_dict(vm).set_str(full, m.clone());
                return Ok(m);
            }
            sys_path(vm)
        }
    };
    // Directories named `short` with no `__init__.py`: the portions of a namespace
    // package (PEP 420), used only when no regular module or package is found.
    let mut portions: Vec<PathBuf> = Vec::new();
    for dir in search {
        let pkg_init = dir.join(&short).join("__init__.py");
        if pkg_init.is_file() {
            let pkg_dir = dir.join(&short);
            return exec_file(vm, full, &pkg_init, Some(&pkg_dir));
        }
        let file = dir.join(format!("{short}.py"));
        if file.is_file() {
            return exec_file(vm, full, &file, None);
        }
        let sub = dir.join(&short);
        if sub.is_dir() {
            portions.push(sub);
        }
    }
    if !portions.is_empty() {
        return namespace_package(vm, full, &portions);
    }
    Err(not_found(vm, full, format!("No module named '{full}'")))
}

/// `_frozen_importlib` and `_frozen_importlib_external`: CPython's frozen bootstrap, which
/// is the Lib's `importlib._bootstrap` and `_bootstrap_external` under stitch (the bridge
/// registers them under these names). Importing one loads importlib; while importlib
/// itself is running they are missing, so its own `import _frozen_importlib` falls back
/// to its submodules as on a CPython without them.
fn frozen_bootstrap(vm: &mut Vm, full: &str) -> PyResult<Option<Value>> {
    if !matches!(full, "_frozen_importlib" | "_frozen_importlib_external")
        || modules_dict(vm).get_str("importlib").is_some()
    {
        return Ok(None);
    }
    import_module(vm, "importlib")?;
    Ok(modules_dict(vm).get_str(full))
}

/// A namespace package (PEP 420): a module with no `__file__` whose `__path__` lists
/// its portions, registered and bound on its parent as a loaded module is.
fn namespace_package(vm: &mut Vm, full: &str, portions: &[PathBuf]) -> PyResult<Value> {
    let module = new_module(full, None);
    // SAFETY: new_module returns a module object.
    let md = unsafe { module.payload_unchecked::<ModuleObj>() };
    let path = portions
        .iter()
        .map(|p| new_str(&p.to_string_lossy()))
        .collect();
    md.dict().set_str("__path__", ListObj::new_value(path));
    md.dict().set_str("__package__", new_str(full));
    set_spec(vm, &module)?;
    modules_dict(vm).set_str(full, module.clone());
    if let Some((parent, short)) = full.rsplit_once('.')
        && let Some(p) = modules_dict(vm).get_str(parent)
        && let Some(pm) = p.downcast::<ModuleObj>()
    {
        pm.dict().set_str(short, module.clone());
    }
    Ok(module)
}

fn sys_path(vm: &mut Vm) -> Vec<PathBuf> {
    let path = sys_attr(vm, "path")
        .and_then(|p| p.downcast::<ListObj>().map(|l| l.snapshot()))
        .unwrap_or_default();
    path.iter()
        .filter_map(|p| as_str(p).map(|s| PathBuf::from(if s.is_empty() { "." } else { s })))
        .collect()
}

fn exec_file(vm: &mut Vm, full: &str, file: &Path, pkg_dir: Option<&Path>) -> PyResult<Value> {
    let fname = file.to_string_lossy().to_string();
    let pkg = pkg_dir.map(|p| p.to_string_lossy().to_string());
    // The file's time before its text is read: a write in between leaves a stale time
    // in the cache entry, which only makes the next run check the text again.
    let meta = std::fs::metadata(file).ok();
    if let Some(meta) = &meta
        && let Some(code) = crate::compile::code_cache::load_unchanged(vm, &fname, meta)
    {
        return exec_module(vm, full, Ok(code), &fname, pkg.as_deref());
    }
    let mtime = meta.as_ref().and_then(crate::compile::code_cache::mtime_ns);
    let source = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return Err(vm.err(types().import_error, format!("cannot read {fname}: {e}"))),
    };
    let source = match String::from_utf8(source) {
        Ok(s) => s,
        Err(_) => {
            return Err(crate::builtins::syntax_error::without_position(
                vm,
                format!("(unicode error) {fname} is not valid UTF-8"),
            ));
        }
    };
    exec_module(vm, full, Err((&source, mtime)), &fname, pkg.as_deref())
}

/// Create module `full` from `source`, register it in `sys.modules`, and run it.
pub(crate) fn exec_source(
    vm: &mut Vm,
    full: &str,
    source: &str,
    fname: &str,
    pkg_dir: Option<&str>,
) -> PyResult<Value> {
    exec_module(vm, full, Err((source, None)), fname, pkg_dir)
}

/// Create module `full`, register it in `sys.modules`, and run its code: `Ok`, already
/// loaded from the code cache, or `Err` with the source to compile (or load) and the
/// file's modification time.
fn exec_module(
    vm: &mut Vm,
    full: &str,
    code: Result<Value, (&str, Option<u64>)>,
    fname: &str,
    pkg_dir: Option<&str>,
) -> PyResult<Value> {
    let module = new_module(full, Some(fname));
    // SAFETY: new_module returns a module object.
    let md = unsafe { module.payload_unchecked::<ModuleObj>() };
    if let Some(p) = pkg_dir {
        md.dict()
            .set_str("__path__", ListObj::new_value(vec![new_str(p)]));
        md.dict().set_str("__package__", new_str(full));
    } else {
        let pkg = full.rsplit_once('.').map(|(a, _)| a).unwrap_or("");
        md.dict().set_str("__package__", new_str(pkg));
    }
    set_spec(vm, &module)?;
    let spec = md.dict().get_str("__spec__").filter(|s| !s.is_none());
    // As importlib's `_load_unlocked`: `spec._initializing` is true while the module
    // runs, so that importlib's `_find_and_load` in another thread waits for it.
    if let Some(spec) = &spec {
        set_initializing(vm, spec, true)?;
    }
    modules_dict(vm).set_str(full, module.clone());
    let code = match code {
        Ok(code) => Ok(code),
        Err((source, mtime)) => {
            crate::compile::code_cache::compile_module(vm, source, fname, mtime)
        }
    };
    let ran = match code {
        Ok(code) => {
            let globals = md.dict.clone();
            vm.run_code(&code, &globals).map(|_| ())
        }
        Err(e) => Err(crate::builtins::syntax_error_value(vm, &e)),
    };
    let ran = match &spec {
        Some(spec) => ran.and(set_initializing(vm, spec, false)),
        None => ran,
    };
    if let Err(e) = ran {
        modules_dict(vm).d.with(|d| d.remove_str(full));
        return Err(e);
    }
    // Bind the submodule on its parent package.
    if let Some((parent, short)) = full.rsplit_once('.')
        && let Some(p) = modules_dict(vm).get_str(parent)
        && let Some(pm) = p.downcast::<ModuleObj>()
    {
        pm.dict().set_str(short, module.clone());
    }
    if full == "importlib" {
        install_bridge(vm)?;
    }
    Ok(modules_dict(vm).get_str(full).unwrap_or(module))
}

/// Set `spec._initializing`.
fn set_initializing(vm: &mut Vm, spec: &Value, on: bool) -> PyResult<()> {
    ops::setattr(vm, spec, &new_str("_initializing"), Value::bool(on))
}

/// Name under which the bridge to importlib (`importlib_bridge.py`) is registered.
const BRIDGE: &str = "_stitch_importlib";

/// Run the bridge to the Lib's importlib: called once `importlib` itself has run.
fn install_bridge(vm: &mut Vm) -> PyResult<()> {
    if modules_dict(vm).get_str(BRIDGE).is_some() {
        return Ok(());
    }
    let source = include_str!("importlib_bridge.py");
    exec_source(vm, BRIDGE, source, "<stitch importlib bridge>", None)?;
    // From now on importlib's `_ModuleLock`s are the native ones (`lock`).
    if let Some(use_native) = bridge_attr(vm, "use_native_locks") {
        vm.call(&use_native, &lock::py_functions())?;
    }
    Ok(())
}

/// An attribute of the bridge module, once importlib has been imported.
fn bridge_attr(vm: &Vm, name: &str) -> Option<Value> {
    let b = modules_dict(vm).get_str(BRIDGE)?;
    b.downcast::<ModuleObj>()?.dict().get_str(name)
}

/// Give a module made by the native importer the `__spec__` and `__loader__` importlib
/// would give it (only once importlib is loaded: before, no `ModuleSpec` exists).
fn set_spec(vm: &mut Vm, module: &Value) -> PyResult<()> {
    let Some(spec_for) = bridge_attr(vm, "spec_for") else {
        return Ok(());
    };
    let spec = vm.call(&spec_for, std::slice::from_ref(module))?;
    if spec.is_none() {
        return Ok(());
    }
    let loader = ops::getattr(vm, &spec, &new_str("loader"))?;
    // SAFETY: callers pass module objects.
    let d = unsafe { module.payload_unchecked::<ModuleObj>() }.dict();
    d.set_str("__spec__", spec);
    d.set_str("__loader__", loader);
    Ok(())
}

/// `importlib._bootstrap._gcd_import` when `sys.meta_path` holds a finder other than
/// the three default ones (a program's own finder must see every import, as in
/// CPython); None when the native importer may go on.
fn custom_finder_hook(vm: &mut Vm) -> PyResult<Option<Value>> {
    let Some(meta_path) = sys_attr(vm, "meta_path") else {
        return Ok(None);
    };
    let entries = ops::seq_items_fast(&meta_path).unwrap_or_default();
    if entries.is_empty() {
        return Ok(None);
    }
    if modules_dict(vm).get_str(BRIDGE).is_none() {
        // A finder installed before importlib was imported: load it now, natively
        // (the imports importlib makes must not come back here: that recursed until
        // the native stack overflowed, e.g. with setuptools' distutils finder, which a
        // `.pth` file in dist-packages installs at start-up).
        thread_local! {
            static LOADING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        if LOADING.with(|l| l.replace(true)) {
            return Ok(None);
        }
        let r = import_module(vm, "importlib");
        LOADING.with(|l| l.set(false));
        r?;
    }
    let defaults = bridge_attr(vm, "DEFAULT_FINDERS")
        .and_then(|d| ops::seq_items_fast(&d))
        .unwrap_or_default();
    if entries
        .iter()
        .all(|e| defaults.iter().any(|d| d.raw() == e.raw()))
    {
        return Ok(None);
    }
    Ok(bridge_attr(vm, "find_and_load"))
}

/// `sys.<name>`, if `sys` is loaded and has it.
fn sys_attr(vm: &Vm, name: &str) -> Option<Value> {
    let sys = modules_dict(vm).get_str("sys")?;
    sys.downcast::<ModuleObj>()?.dict().get_str(name)
}

pub fn import_from(vm: &mut Vm, module: &Value, name: &Value) -> PyResult<Value> {
    let n = as_str(name).unwrap_or("");
    match ops::getattr_opt(vm, module, n) {
        Ok(Some(v)) => return Ok(v),
        Ok(None) => {}
        // A module `__getattr__` (PEP 562) that does not know the name.
        Err(e) if vm.err_matches(&e, types().attribute_error) => {}
        Err(e) => return Err(e),
    }
    let (mname, file) = match module.downcast::<ModuleObj>() {
        Some(m) => (
            m.name.clone(),
            m.dict()
                .get_str("__file__")
                .and_then(|f| as_str(&f).map(|s| s.to_string())),
        ),
        None => (String::from("?"), None),
    };
    // A submodule imported under this name (circular package imports).
    if let Some(sub) = modules_dict(vm).get_str(&format!("{mname}.{n}")) {
        return Ok(sub);
    }
    let loc = match file {
        Some(f) => format!(" ({f})"),
        None => " (unknown location)".to_string(),
    };
    Err(vm.err(
        types().import_error,
        format!("cannot import name '{n}' from '{mname}'{loc}"),
    ))
}

pub fn import_star(vm: &mut Vm, module: &Value, ns: &Value) -> PyResult<()> {
    let Some(m) = module.downcast::<ModuleObj>() else {
        return Ok(());
    };
    let names: Vec<Value> = match m.dict().get_str("__all__") {
        Some(all) => ops::collect(vm, &all)?,
        None => m
            .dict()
            .keys()
            .into_iter()
            .filter(|k| as_str(k).is_some_and(|s| !s.starts_with('_')))
            .collect(),
    };
    for n in names {
        let v = ops::getattr(vm, module, &n)?;
        ops::setitem(vm, ns, n, v)?;
    }
    Ok(())
}

impl Vm {
    /// Run module-level code with `globals` (a dict) as globals and locals.
    pub fn run_code(&mut self, code: &Value, globals: &Value) -> PyResult<Value> {
        if self.depth >= self.recursion_limit {
            return Err(self.recursion_error());
        }
        // SAFETY: callers pass code objects.
        let co = unsafe { code.payload_unchecked::<crate::types::code::CodeObj>() };
        if let Some(g) = globals.downcast::<DictObj>()
            && g.get_str("__builtins__").is_none()
        {
            g.set_str("__builtins__", self.builtins.clone());
        }
        let f = crate::frame::push_frame_memory(&mut self.stack, co);
        // SAFETY: fresh zeroed memory of the right size.
        unsafe {
            crate::frame::init_frame(
                f,
                code,
                &Value::NULL,
                globals,
                crate::frame::OWNED_BY_THREAD,
            );
            (*f).is_entry = stitch_stencils::frame::ENTRY;
        }
        crate::interp::run(self, f).map(|(v, _)| v)
    }
}
