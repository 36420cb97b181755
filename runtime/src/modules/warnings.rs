//! `_warnings`: the warning machinery itself, as CPython's `Python/_warnings.c`. The
//! filters, the once-registry and the default action live here (process-wide, as
//! CPython keeps them per interpreter), so `warnings.py` imports them instead of
//! building its pure-Python fallback, and the runtime's own warnings (a coroutine
//! never awaited, compile-time SyntaxWarnings, ...) are filtered and shown without
//! importing `warnings`.
//!
//! Once the Lib's `warnings` is in `sys.modules`, its `filters`, `onceregistry` and
//! `defaultaction` attributes are read on every warning (a program or
//! `catch_warnings` may replace them), and a warning to show goes to its
//! `_showwarnmsg` (so `showwarning` overrides work); before, this module writes the
//! `file:line: Category: text` line and the source line to `sys.stderr` itself.
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use super::native_args::{bind, module};
use crate::builtins::{isinstance, issubclass};
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::module::ModuleObj;
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;
use stitch_stencils::frame::FrameHeader;
use stitch_stencils::value::RawValue;

/// The state `_warnings` exports: `filters`, `_onceregistry`, `_defaultaction`.
struct State {
    filters: Value,
    once_registry: Value,
    default_action: Value,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

/// `_filters_mutated()` bumps it; a `__warningregistry__` recorded under another
/// version is cleared before use (a changed filter may show what it hid).
static FILTERS_VERSION: AtomicI64 = AtomicI64::new(0);

/// Run `f` on the state, made on first use.
fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    let mut g = match STATE.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    let st = g.get_or_insert_with(|| State {
        filters: init_filters(),
        once_registry: DictObj::new_value(),
        default_action: new_str("default"),
    });
    f(st)
}

/// At teardown: let the state's objects go (CPython's `_PyWarnings_Fini`).
pub fn clear() {
    let old = match STATE.lock() {
        Ok(mut g) => g.take(),
        Err(p) => p.into_inner().take(),
    };
    drop(old);
}

/// CPython's default filters of a release build (`init_filters`): the module of the
/// first is a plain string, matched exactly (not a regular expression).
fn init_filters() -> Value {
    let t = types();
    let filter = |action: &str, category: RawValue, module: Option<&str>| {
        TupleObj::from_items([
            new_str(action),
            Value::none(),
            Value::from_borrowed(category),
            module.map(new_str).unwrap_or_else(Value::none),
            Value::int(0),
        ])
    };
    ListObj::new_value(vec![
        filter("default", t.deprecation_warning, Some("__main__")),
        filter("ignore", t.deprecation_warning, None),
        filter("ignore", t.pending_deprecation_warning, None),
        filter("ignore", t.import_warning, None),
        filter("ignore", t.resource_warning, None),
    ])
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_warnings",
        &[
            ("warn", warn),
            ("warn_explicit", warn_explicit),
            ("_filters_mutated", filters_mutated),
        ],
    );
    let (filters, once, default) = with_state(|s| {
        (
            s.filters.clone(),
            s.once_registry.clone(),
            s.default_action.clone(),
        )
    });
    super::native_args::set(&m, "filters", filters);
    super::native_args::set(&m, "_onceregistry", once);
    super::native_args::set(&m, "_defaultaction", default);
    super::native_args::set(
        &m,
        "__doc__",
        new_str(
            "_warnings provides basic warning filtering support.\nIt is a helper module to speed up interpreter start-up.",
        ),
    );
    Ok(m)
}

// ---- the Rust API ----------------------------------------------------------------------

/// Issue a warning of `category` from the runtime (`PyErr_WarnEx`): `stacklevel` 1 is
/// the Python code running now. An error means the filters turned it into one.
pub fn warn_str(
    vm: &mut Vm,
    category: RawValue,
    msg: &str,
    stacklevel: i64,
    source: Option<&Value>,
) -> PyResult<()> {
    do_warn(
        vm,
        &new_str(msg),
        &Value::from_borrowed(category),
        stacklevel,
        source,
    )
}

/// `PyErr_WarnExplicitObject`: a warning at a given file and line (no module, no
/// registry), as the compiler issues its SyntaxWarnings.
pub fn warn_explicit_str(
    vm: &mut Vm,
    category: RawValue,
    msg: &str,
    filename: &str,
    lineno: i64,
) -> PyResult<()> {
    warn_explicit_impl(
        vm,
        &Value::from_borrowed(category),
        &new_str(msg),
        &new_str(filename),
        lineno,
        None,
        None,
        None,
        None,
    )
}

// ---- the module's functions ------------------------------------------------------------

/// `warn(message, category=None, stacklevel=1, source=None)`.
fn warn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = bind(
        vm,
        "warn",
        a,
        &["message", "category", "stacklevel", "source"],
        1,
        4,
    )?;
    let message = p[0].cloned().unwrap_or_else(Value::none);
    let category = get_category(vm, &message, p[1])?;
    let stacklevel = match p[2] {
        Some(v) => ops::to_isize(vm, v)?,
        None => 1,
    };
    let source = p[3].filter(|s| !s.is_none());
    do_warn(vm, &message, &category, stacklevel, source)?;
    Ok(Value::none())
}

/// `warn_explicit(message, category, filename, lineno, module=None, registry=None,
/// module_globals=None, source=None)`.
fn warn_explicit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = bind(
        vm,
        "warn_explicit",
        a,
        &[
            "message",
            "category",
            "filename",
            "lineno",
            "module",
            "registry",
            "module_globals",
            "source",
        ],
        4,
        8,
    )?;
    let (Some(message), Some(category), Some(filename), Some(lineno)) = (p[0], p[1], p[2], p[3])
    else {
        return Err(vm.type_error("warn_explicit() missing required argument"));
    };
    if as_str(filename).is_none() {
        return Err(vm.type_error(format!(
            "warn_explicit() argument 3 must be str, not {}",
            crate::builtins::type_name(filename)
        )));
    }
    let lineno = int_arg(vm, lineno)?;
    let mut source_line = None;
    if let Some(g) = p[6].filter(|g| !g.is_none()) {
        let Some(gd) = g.downcast::<DictObj>() else {
            return Err(vm.type_error(format!(
                "module_globals must be a dict, not '{}'",
                crate::builtins::type_name(g)
            )));
        };
        source_line = get_source_line(vm, gd, lineno)?;
    }
    warn_explicit_impl(
        vm,
        category,
        message,
        filename,
        lineno,
        p[4],
        p[5],
        source_line.as_ref(),
        p[7],
    )?;
    Ok(Value::none())
}

/// `_filters_mutated()`: called by `warnings` whenever it changes the filters.
fn filters_mutated(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    crate::builtins::posargs(vm, "_filters_mutated", a, 0, 0)?;
    FILTERS_VERSION.fetch_add(1, Ordering::Relaxed);
    Ok(Value::none())
}

/// A C `int` argument (`PyArg_Parse` "i").
fn int_arg(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if v.type_raw() == types().float {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = ops::to_isize(vm, v)?;
    if n > i32::MAX as i64 {
        return Err(vm.err(
            types().overflow_error,
            "signed integer is greater than maximum",
        ));
    }
    if n < i32::MIN as i64 {
        return Err(vm.err(
            types().overflow_error,
            "signed integer is less than minimum",
        ));
    }
    Ok(n)
}

// ---- the machinery (CPython's names) ---------------------------------------------------

/// The category of a warning: the class of a Warning instance, else `category`
/// (UserWarning when None), which must subclass Warning.
fn get_category(vm: &mut Vm, message: &Value, category: Option<&Value>) -> PyResult<Value> {
    let warning = Value::from_borrowed(types().warning);
    let category = if isinstance(vm, message, &warning)? {
        message.type_of()
    } else {
        match category {
            Some(c) if !c.is_none() => c.clone(),
            _ => Value::from_borrowed(types().user_warning),
        }
    };
    let ok = issubclass(vm, &category, &warning).unwrap_or(false);
    if !ok {
        return Err(vm.type_error(format!(
            "category must be a Warning subclass, not '{}'",
            crate::builtins::type_name(&category)
        )));
    }
    Ok(category)
}

/// `warnings.<name>` if `warnings` is loaded (or, with `try_import`, can be).
fn get_warnings_attr(vm: &mut Vm, name: &str, try_import: bool) -> PyResult<Option<Value>> {
    let module = if try_import {
        match crate::import::import_module(vm, "warnings") {
            Ok(m) => m,
            Err(e) if vm.err_matches(&e, types().import_error) => return Ok(None),
            Err(e) => return Err(e),
        }
    } else {
        match crate::import::loaded(vm, "warnings") {
            Some(m) => m,
            None => return Ok(None),
        }
    };
    ops::getattr_opt(vm, &module, name)
}

/// Does filter field `obj` (None, an exact string, or a compiled pattern) match `arg`?
fn check_matched(vm: &mut Vm, obj: &Value, arg: &Value) -> PyResult<bool> {
    if obj.is_none() {
        return Ok(true);
    }
    if obj.type_raw() == types().str {
        return match as_str(arg) {
            Some(s) => Ok(as_str(obj) == Some(s)),
            None => Err(vm.type_error(format!(
                "Can't compare str and {}",
                crate::builtins::type_name(arg)
            ))),
        };
    }
    let m = ops::getattr_str(vm, obj, "match")?;
    let r = vm.call(&m, std::slice::from_ref(arg))?;
    ops::truthy(vm, &r)
}

/// The action of the first filter matching, and that filter (None for the default).
fn get_filter(
    vm: &mut Vm,
    category: &Value,
    text: &Value,
    lineno: i64,
    module: &Value,
) -> PyResult<(Value, Value)> {
    if let Some(f) = get_warnings_attr(vm, "filters", false)? {
        with_state(|s| s.filters = f);
    }
    let filters = with_state(|s| s.filters.clone());
    let Some(list) = filters.downcast::<ListObj>() else {
        return Err(vm.value_error("_warnings.filters must be a list"));
    };
    // The list may change while a filter's `match` runs: index it afresh each time.
    let mut i = 0;
    while let Some(item) = list.get(i) {
        let fields = item
            .downcast::<TupleObj>()
            .filter(|t| t.items.len() == 5)
            .map(|t| t.items.to_vec());
        let Some(f) = fields else {
            return Err(vm.value_error(format!("_warnings.filters item {i} isn't a 5-tuple")));
        };
        if as_str(&f[0]).is_none() {
            return Err(vm.type_error(format!(
                "action must be a string, not '{}'",
                crate::builtins::type_name(&f[0])
            )));
        }
        let good_msg = check_matched(vm, &f[1], text)?;
        let good_mod = check_matched(vm, &f[3], module)?;
        let is_subclass = issubclass(vm, category, &f[2])?;
        let ln = ops::to_isize(vm, &f[4])?;
        if good_msg && is_subclass && good_mod && (ln == 0 || ln == lineno) {
            return Ok((f[0].clone(), item));
        }
        i += 1;
    }
    let action = match get_warnings_attr(vm, "defaultaction", false)? {
        Some(a) => {
            if as_str(&a).is_none() {
                return Err(vm.type_error(format!(
                    "_warnings.defaultaction must be a string, not '{}'",
                    crate::builtins::type_name(&a)
                )));
            }
            with_state(|s| s.default_action = a.clone());
            a
        }
        None => with_state(|s| s.default_action.clone()),
    };
    Ok((action, Value::none()))
}

/// The registry `once` records in: `warnings.onceregistry` when loaded.
fn get_once_registry(vm: &mut Vm) -> PyResult<Value> {
    match get_warnings_attr(vm, "onceregistry", false)? {
        Some(r) => {
            if r.downcast::<DictObj>().is_none() {
                return Err(vm.type_error(format!(
                    "_warnings.onceregistry must be a dict, not '{}'",
                    crate::builtins::type_name(&r)
                )));
            }
            with_state(|s| s.once_registry = r.clone());
            Ok(r)
        }
        None => Ok(with_state(|s| s.once_registry.clone())),
    }
}

/// Has `key` been recorded in `registry` (cleared first when recorded under other
/// filters)? With `should_set`, record it.
fn already_warned(vm: &mut Vm, registry: &DictObj, key: Value, should_set: bool) -> PyResult<bool> {
    let version = FILTERS_VERSION.load(Ordering::Relaxed);
    let current = registry
        .get_str("version")
        .is_some_and(|v| v.type_raw() == types().int && v.as_small_int() == Some(version));
    if !current {
        let old = registry.d.with(|d| d.clear());
        drop(old);
        registry.set_str("version", Value::int(version));
    } else if let Some(v) = registry.get(vm, &key)?
        && ops::truthy(vm, &v)?
    {
        return Ok(true);
    }
    if should_set {
        registry.set(vm, key, Value::bool(true))?;
    }
    Ok(false)
}

/// `registry[(text, category)]` (with `add_zero`, `(text, category, 0)`): already set?
fn update_registry(
    vm: &mut Vm,
    registry: &DictObj,
    text: &Value,
    category: &Value,
    add_zero: bool,
) -> PyResult<bool> {
    let mut key = vec![text.clone(), category.clone()];
    if add_zero {
        key.push(Value::int(0));
    }
    already_warned(vm, registry, TupleObj::new_value(key), true)
}

/// A module name from a file name: without `.py`; `<unknown>` for an empty name.
fn normalize_module(filename: &str) -> String {
    if filename.is_empty() {
        return "<unknown>".to_string();
    }
    filename.strip_suffix(".py").unwrap_or(filename).to_string()
}

/// The filter machinery proper (`warn_explicit` in `_warnings.c`).
#[allow(clippy::too_many_arguments)]
fn warn_explicit_impl(
    vm: &mut Vm,
    category: &Value,
    message: &Value,
    filename: &Value,
    lineno: i64,
    module: Option<&Value>,
    registry: Option<&Value>,
    source_line: Option<&Value>,
    source: Option<&Value>,
) -> PyResult<()> {
    // A warning late in shutdown (module globals cleared): nothing can filter it.
    if module.is_some_and(|m| m.is_none()) {
        return Ok(());
    }
    let registry = registry.filter(|r| !r.is_none());
    let registry = match registry {
        Some(r) => match r.downcast::<DictObj>() {
            Some(_) => Some(r.clone()),
            None => return Err(vm.type_error("'registry' must be a dict or None")),
        },
        None => None,
    };
    let fname = as_str(filename).unwrap_or("").to_string();
    let module = match module {
        Some(m) => m.clone(),
        None => new_string(normalize_module(&fname)),
    };
    let warning = Value::from_borrowed(types().warning);
    let (text, message, category) = if isinstance(vm, message, &warning)? {
        (
            ops::str_value(vm, message)?,
            message.clone(),
            message.type_of(),
        )
    } else {
        let m = vm.call(category, std::slice::from_ref(message))?;
        (message.clone(), m, category.clone())
    };
    let lineno_obj = Value::int(lineno);
    let source = source.filter(|s| !s.is_none());
    let key = TupleObj::from_items([text.clone(), category.clone(), lineno_obj.clone()]);
    if let Some(r) = &registry {
        // SAFETY-free downcast: checked above.
        let rd = r
            .downcast::<DictObj>()
            .expect("registry checked to be a dict");
        if already_warned(vm, rd, key.clone(), false)? {
            return Ok(());
        }
    }
    let (action, item) = get_filter(vm, &category, &text, lineno, &module)?;
    let action_s = as_str(&action).unwrap_or("").to_string();
    match action_s.as_str() {
        "error" => return Err(PyErr { exc: message }),
        "ignore" => return Ok(()),
        _ => {}
    }
    let mut already = false;
    if action_s != "always" {
        if let Some(r) = &registry {
            let rd = r
                .downcast::<DictObj>()
                .expect("registry checked to be a dict");
            rd.set(vm, key, Value::bool(true))?;
        }
        match action_s.as_str() {
            "once" => {
                let reg = match &registry {
                    Some(r) => r.clone(),
                    None => get_once_registry(vm)?,
                };
                let rd = reg.downcast::<DictObj>().expect("once registry is a dict");
                already = update_registry(vm, rd, &text, &category, false)?;
            }
            "module" => {
                if let Some(r) = &registry {
                    let rd = r
                        .downcast::<DictObj>()
                        .expect("registry checked to be a dict");
                    already = update_registry(vm, rd, &text, &category, false)?;
                }
            }
            "default" => {}
            _ => {
                let ar = ops::repr(vm, &action)?;
                let ir = ops::repr(vm, &item)?;
                return Err(vm.runtime_error(format!(
                    "Unrecognized action ({ar}) in warnings.filters:\n {ir}"
                )));
            }
        }
    }
    if already {
        return Ok(());
    }
    call_show_warning(
        vm,
        &category,
        &text,
        &message,
        filename,
        lineno,
        source_line,
        source,
    )
}

/// Show a warning through `warnings._showwarnmsg`, or write it to `sys.stderr` when
/// `warnings` is not loaded (imported first when there is a `source`, whose allocation
/// traceback only the Python side can show).
#[allow(clippy::too_many_arguments)]
fn call_show_warning(
    vm: &mut Vm,
    category: &Value,
    text: &Value,
    message: &Value,
    filename: &Value,
    lineno: i64,
    source_line: Option<&Value>,
    source: Option<&Value>,
) -> PyResult<()> {
    let Some(show) = get_warnings_attr(vm, "_showwarnmsg", source.is_some())? else {
        show_warning(vm, filename, lineno, text, category, source_line);
        return Ok(());
    };
    if !crate::types::weakref::is_callable(&show) {
        return Err(vm.type_error("warnings._showwarnmsg() must be set to a callable"));
    }
    let Some(cls) = get_warnings_attr(vm, "WarningMessage", false)? else {
        return Err(vm.runtime_error("unable to get warnings.WarningMessage"));
    };
    let msg = vm.call(
        &cls,
        &[
            message.clone(),
            category.clone(),
            filename.clone(),
            Value::int(lineno),
            Value::none(),
            Value::none(),
            source.cloned().unwrap_or_else(Value::none),
        ],
    )?;
    vm.call(&show, &[msg])?;
    Ok(())
}

/// Write `file:line: Category: text` and the source line to `sys.stderr`; errors are
/// dropped (as CPython's `show_warning` clears them).
fn show_warning(
    vm: &mut Vm,
    filename: &Value,
    lineno: i64,
    text: &Value,
    category: &Value,
    source_line: Option<&Value>,
) {
    let r: PyResult<()> = (|| {
        let name = ops::getattr_str(vm, category, "__name__")?;
        let name = ops::to_str(vm, &name)?;
        let fname = ops::to_str(vm, filename)?;
        let text = ops::to_str(vm, text)?;
        let mut out = format!("{fname}:{lineno}: {name}: {text}\n");
        match source_line {
            Some(l) => {
                let l = ops::to_str(vm, l)?;
                out.push_str(l.trim_start_matches([' ', '\t', '\x0c']));
                out.push('\n');
            }
            None => {
                if let Some(l) = display_source_line(vm, &fname, lineno) {
                    out.push_str("  ");
                    out.push_str(&l);
                    out.push('\n');
                }
            }
        }
        match crate::builtins::sys_stream(vm, "stderr")? {
            Some(err) if !err.is_none() => {
                let w = ops::getattr_str(vm, &err, "write")?;
                vm.call(&w, &[new_string(out)])?;
            }
            _ => eprintln!("lost sys.stderr"),
        }
        Ok(())
    })();
    drop(r);
}

/// Line `lineno` of `filename` without its leading whitespace (`_Py_DisplaySourceLine`:
/// a relative name is looked up along `sys.path`).
fn display_source_line(vm: &mut Vm, filename: &str, lineno: i64) -> Option<String> {
    let n = usize::try_from(lineno).ok()?.checked_sub(1)?;
    let mut candidates = vec![std::path::PathBuf::from(filename)];
    if !filename.starts_with('/')
        && let Some(sys) = crate::import::loaded(vm, "sys")
        && let Some(m) = sys.downcast::<ModuleObj>()
        && let Some(path) = m.dict().get_str("path")
        && let Some(l) = path.downcast::<ListObj>()
    {
        for p in l.snapshot() {
            if let Some(p) = as_str(&p) {
                candidates.push(std::path::Path::new(p).join(filename));
            }
        }
    }
    for c in candidates {
        if let Ok(src) = std::fs::read(&c) {
            let src = String::from_utf8_lossy(&src);
            return src
                .lines()
                .nth(n)
                .map(|l| l.trim_start_matches([' ', '\t', '\x0c']).to_string());
        }
    }
    None
}

/// `loader.get_source(__name__).splitlines()[lineno - 1]` for `warn_explicit`'s
/// `module_globals`; None when the loader cannot give the source.
fn get_source_line(vm: &mut Vm, globals: &DictObj, lineno: i64) -> PyResult<Option<Value>> {
    let Some(loader) = globals.get_str("__loader__") else {
        return Ok(None);
    };
    let Some(name) = globals.get_str("__name__") else {
        return Ok(None);
    };
    let Some(get_source) = ops::getattr_opt(vm, &loader, "get_source")? else {
        return Ok(None);
    };
    let source = vm.call(&get_source, &[name])?;
    if source.is_none() {
        return Ok(None);
    }
    // `str.splitlines` itself (`PyUnicode_Splitlines`), not an override of it.
    let str_type = Value::from_borrowed(types().str);
    let split = ops::getattr_str(vm, &str_type, "splitlines")?;
    let lines = vm.call(&split, &[source])?;
    let item = usize::try_from(lineno - 1)
        .ok()
        .and_then(|i| lines.downcast::<ListObj>()?.get(i));
    match item {
        Some(line) => Ok(Some(line)),
        None => Err(vm.err(types().index_error, "list index out of range")),
    }
}

/// Is this frame importlib's bootstrap (skipped when counting a positive stacklevel)?
fn is_internal_frame(f: *mut FrameHeader) -> bool {
    if f.is_null() {
        return false;
    }
    // SAFETY: f is a live frame of this thread.
    let name = &unsafe { crate::frame::frame_code(f) }.filename;
    name.contains("importlib") && name.contains("_bootstrap")
}

/// The frame `stack_level` levels up (`setup_context`): its file and line, and from its
/// globals the module name and the `__warningregistry__` (made if missing).
fn setup_context(vm: &mut Vm, mut stack_level: i64) -> PyResult<(Value, i64, Value, Value)> {
    let mut f = vm.frame;
    if stack_level <= 0 || is_internal_frame(f) {
        loop {
            stack_level -= 1;
            if stack_level <= 0 || f.is_null() {
                break;
            }
            // SAFETY: f is a non-null live frame of this thread.
            f = unsafe { (*f).previous };
        }
    } else {
        loop {
            stack_level -= 1;
            if stack_level <= 0 || f.is_null() {
                break;
            }
            loop {
                // SAFETY: f is a non-null live frame of this thread.
                f = unsafe { (*f).previous };
                if f.is_null() || !is_internal_frame(f) {
                    break;
                }
            }
        }
    }
    let (globals, filename, lineno) = if f.is_null() {
        let Some(sys) = crate::import::loaded(vm, "sys") else {
            return Err(vm.runtime_error("lost sys"));
        };
        let Some(m) = sys.downcast::<ModuleObj>() else {
            return Err(vm.runtime_error("lost sys"));
        };
        let g = m.dict.clone();
        (g, new_str("sys"), 1)
    } else {
        // SAFETY: f is a live frame: it holds its code and globals.
        unsafe {
            let co = crate::frame::frame_code(f);
            let instr = (*f).instr as usize;
            let line = if instr == 0 {
                co.firstlineno
            } else {
                co.line_of(instr - 1)
            };
            (
                Value::from_borrowed((*f).globals),
                new_str(&co.filename),
                line as i64,
            )
        }
    };
    let Some(gd) = globals.downcast::<DictObj>() else {
        return Err(vm.type_error("globals must be a dict"));
    };
    let registry = match gd.get_str("__warningregistry__") {
        Some(r) => r,
        None => {
            let r = DictObj::new_value();
            gd.set_str("__warningregistry__", r.clone());
            r
        }
    };
    let module = match gd.get_str("__name__") {
        Some(m) if m.is_none() || as_str(&m).is_some() => m,
        _ => new_str("<string>"),
    };
    Ok((filename, lineno, module, registry))
}

/// `warn` after the category is known.
fn do_warn(
    vm: &mut Vm,
    message: &Value,
    category: &Value,
    stack_level: i64,
    source: Option<&Value>,
) -> PyResult<()> {
    let (filename, lineno, module, registry) = setup_context(vm, stack_level)?;
    warn_explicit_impl(
        vm,
        category,
        message,
        &filename,
        lineno,
        Some(&module),
        Some(&registry),
        None,
        source,
    )
}
