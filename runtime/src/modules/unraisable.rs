//! CPython's `PyErr_WriteUnraisable`: an exception no caller can receive (a thread
//! started by `_thread.start_new_thread` failing, `threading._shutdown` failing at
//! exit, a generator's `close()` or a finalizer raising) goes to `sys.unraisablehook`
//! as an `UnraisableHookArgs` (`exc_type`, `exc_value`, `exc_traceback`, `err_msg`,
//! `object`), so `test.support.catch_unraisable_exception` and user hooks see it. The
//! default hook (and the fallback when `sys.unraisablehook` is missing or fails)
//! prints "Exception ignored in: OBJ" and the traceback on stderr.
use std::sync::atomic::{AtomicU64, Ordering};

use crate::modules::structseq;
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm};

/// The `UnraisableHookArgs` type (bits of an immortal type object; 0 until made).
static ARGS_TYPE: AtomicU64 = AtomicU64::new(0);

/// Made with `sys` (`sys::extend`), so the type's objects are among those alive at
/// start rather than counted as live at exit.
pub(crate) fn args_type(vm: &mut Vm) -> PyResult<Value> {
    let b = ARGS_TYPE.load(Ordering::Acquire);
    if b != 0 {
        return Ok(Value::from_borrowed(stitch_stencils::value::RawValue(b)));
    }
    let t = structseq::new_type(
        vm,
        "sys",
        "UnraisableHookArgs",
        &[
            "exc_type",
            "exc_value",
            "exc_traceback",
            "err_msg",
            "object",
        ],
        5,
    )?;
    match ARGS_TYPE.compare_exchange(0, t.bits(), Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => {
            crate::object::make_immortal(t.raw());
            Ok(t)
        }
        // Another thread made it first: use that one.
        Err(b) => Ok(Value::from_borrowed(stitch_stencils::value::RawValue(b))),
    }
}

/// Report `e` as unraisable: `msg` is the message before `obj`'s repr (CPython's
/// default is "Exception ignored in"), `obj` the object it concerns (or None).
pub fn write(vm: &mut Vm, e: &PyErr, msg: Option<&str>, obj: &Value) {
    if let Err(hook_err) = call_hook(vm, e, msg, obj) {
        // As CPython: the hook's own failure is reported by the default hook.
        let hook = sys_hook(vm).unwrap_or_else(Value::none);
        print_default(
            vm,
            &hook_err,
            Some("Exception ignored in sys.unraisablehook"),
            &hook,
        );
    }
}

/// `sys.unraisablehook`, if set.
fn sys_hook(vm: &mut Vm) -> Option<Value> {
    // SAFETY: vm.modules is a dict.
    let mods = unsafe { vm.modules.payload_unchecked::<DictObj>() };
    let sys = mods.get_str("sys")?;
    let m = sys.downcast::<crate::types::module::ModuleObj>()?;
    m.dict().get_str("unraisablehook").filter(|h| !h.is_none())
}

fn call_hook(vm: &mut Vm, e: &PyErr, msg: Option<&str>, obj: &Value) -> PyResult<()> {
    let Some(hook) = sys_hook(vm) else {
        print_default(vm, e, msg, obj);
        return Ok(());
    };
    let ty = args_type(vm)?;
    let tb = ops::getattr_opt(vm, &e.exc, "__traceback__")?.unwrap_or_else(Value::none);
    let args = structseq::new(
        vm,
        &ty,
        vec![
            e.exc.type_of(),
            e.exc.clone(),
            tb,
            msg.map(new_str).unwrap_or_else(Value::none),
            obj.clone(),
        ],
    )?;
    vm.call(&hook, &[args])?;
    Ok(())
}

/// The default hook's text, printed directly.
pub fn print_default(vm: &mut Vm, e: &PyErr, msg: Option<&str>, obj: &Value) {
    vm.flush_stdout();
    let head = msg.unwrap_or("Exception ignored in");
    let line = if obj.is_none() {
        format!("{head}:\n")
    } else {
        format!("{head}: {}\n", ops::repr(vm, obj).unwrap_or_default())
    };
    let text = crate::traceback::format_exception(vm, &e.exc);
    eprint!("{line}{text}");
}
