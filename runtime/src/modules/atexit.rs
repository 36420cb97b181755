//! `atexit`: functions to call when the program ends (normally, by `sys.exit`, or by
//! an uncaught exception, after its traceback), last registered first. The program's
//! end (`run_main`) runs them after joining non-daemon threads, as CPython's
//! `Py_FinalizeEx` does.
use std::sync::Mutex;

use crate::builtins::posargs;
use crate::types::func::{NativeFn, new_module_builtin};
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// One registered call: the function and its arguments (positional values, then
/// keyword values named by `kwnames`, as `Vm::call_kw` takes them).
struct Callback {
    func: Value,
    args: Vec<Value>,
    kwnames: Vec<Value>,
}

/// Process-wide, as CPython's (per interpreter; stitch has one). `unregister` leaves
/// an empty slot, which `_ncallbacks` still counts, as CPython's does.
static CALLBACKS: Mutex<Vec<Option<Callback>>> = Mutex::new(Vec::new());

fn callbacks() -> std::sync::MutexGuard<'static, Vec<Option<Callback>>> {
    match CALLBACKS.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = crate::import::new_module("atexit", None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    for (name, f) in [
        ("register", register as NativeFn),
        ("unregister", unregister),
        ("_run_exitfuncs", run_exitfuncs),
        ("_clear", clear),
        ("_ncallbacks", ncallbacks),
    ] {
        d.set_str(name, new_module_builtin(name, f, "atexit"));
    }
    d.set_str(
        "__doc__",
        new_str("allow programmer to define multiple exit functions to be executed\nupon normal program termination.\n\nTwo public functions, register and unregister, are defined.\n"),
    );
    Ok(m)
}

/// `register(func, /, *args, **kwargs)`: returns `func` (so it works as a decorator).
fn register(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(func) = p.first() else {
        return Err(vm.type_error("register() takes at least 1 argument (0 given)"));
    };
    if !crate::types::weakref::is_callable(func) {
        return Err(vm.type_error("the first argument must be callable"));
    }
    let mut args: Vec<Value> = p[1..].to_vec();
    args.extend(a.kw().map(|(_, v)| v.clone()));
    callbacks().push(Some(Callback {
        func: func.clone(),
        args,
        kwnames: a.kwnames.to_vec(),
    }));
    Ok(func.clone())
}

/// `unregister(func)`: forget every registration of a function equal to `func`.
fn unregister(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "unregister", a, 1, 1)?;
    // Compare outside the lock (`__eq__` may run Python code).
    let funcs: Vec<Value> = callbacks()
        .iter()
        .flatten()
        .map(|c| c.func.clone())
        .collect();
    let mut gone = Vec::new();
    for f in funcs {
        if vm.eq(&f, &p[0])? {
            gone.push(f);
        }
    }
    let removed: Vec<Callback> = callbacks()
        .iter_mut()
        .filter(|c| {
            c.as_ref()
                .is_some_and(|c| gone.iter().any(|f| f.is(&c.func)))
        })
        .filter_map(Option::take)
        .collect();
    drop(removed);
    Ok(Value::none())
}

fn run_exitfuncs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "_run_exitfuncs", a, 0, 0)?;
    run_all(vm);
    Ok(Value::none())
}

fn clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "_clear", a, 0, 0)?;
    let gone = std::mem::take(&mut *callbacks());
    drop(gone);
    Ok(Value::none())
}

fn ncallbacks(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "_ncallbacks", a, 0, 0)?;
    Ok(Value::int(callbacks().len() as i64))
}

/// Call every registered function, last registered first, and forget them. An
/// exception is reported as CPython's "Exception ignored in atexit callback".
pub fn run_all(vm: &mut Vm) {
    loop {
        let Some(slot) = callbacks().pop() else {
            break;
        };
        let Some(cb) = slot else { continue };
        if let Err(e) = vm.call_kw(&cb.func, &cb.args, &cb.kwnames) {
            vm.flush_stdout();
            let what = crate::ops::repr(vm, &cb.func).unwrap_or_default();
            let text = crate::traceback::format_exception(vm, &e.exc);
            eprint!("Exception ignored in atexit callback: {what}\n{text}");
        }
        drop(cb);
        crate::builtins::generators::run_pending(vm);
    }
}
