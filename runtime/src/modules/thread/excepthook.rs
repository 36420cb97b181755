//! `_thread._excepthook` and `_thread._ExceptHookArgs`: how `threading` reports an
//! exception that ends a thread's `run()` ("Exception in thread NAME:" and the
//! traceback, on `sys.stderr`).
use std::sync::OnceLock;

use crate::modules::structseq;
use crate::ops;
use crate::types::str::new_string;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// The `_ExceptHookArgs` type (bits of an immortal type object).
static ARGS_TYPE: OnceLock<u64> = OnceLock::new();

pub fn args_type(vm: &mut Vm) -> PyResult<Value> {
    if let Some(b) = ARGS_TYPE.get() {
        return Ok(Value::from_borrowed(stitch_stencils::value::RawValue(*b)));
    }
    let t = structseq::new_type(
        vm,
        "_thread",
        "_ExceptHookArgs",
        &["exc_type", "exc_value", "exc_traceback", "thread"],
        4,
    )?;
    let _ = ARGS_TYPE.set(t.bits());
    Ok(t)
}

/// `_excepthook(args)`: SystemExit is silent; anything else is printed with the
/// thread's name (or the current thread's id when there is no thread object).
pub fn excepthook(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = crate::modules::native_args::unpack(vm, "_excepthook", a, 1, 1)?;
    let args = &p[0];
    let cls = args_type(vm)?;
    if args.type_raw() != cls.raw() {
        return Err(vm.type_error("_thread.excepthook argument type must be ExceptHookArgs"));
    }
    let exc_type = structseq::get(vm, args, "exc_type")?;
    let exc_value = structseq::get(vm, args, "exc_value")?;
    let thread = structseq::get(vm, args, "thread")?;
    if exc_type.raw() == types().system_exit {
        return Ok(Value::none());
    }
    let mut file = crate::builtins::sys_stream(vm, "stderr")?.filter(|f| !f.is_none());
    if file.is_none() && !thread.is_none() {
        file = ops::getattr_opt(vm, &thread, "_stderr")?.filter(|f| !f.is_none());
    }
    let Some(file) = file else {
        return Ok(Value::none());
    };
    let name = if thread.is_none() {
        None
    } else {
        ops::getattr_opt(vm, &thread, "name").unwrap_or_default()
    };
    let name = match name {
        Some(n) => ops::to_str(vm, &n)?,
        None => crate::object::current_tid().to_string(),
    };
    vm.flush_stdout();
    let write = ops::getattr_str(vm, &file, "write")?;
    vm.call(
        &write,
        &[new_string(format!("Exception in thread {name}:\n"))],
    )?;
    let flush = ops::getattr_str(vm, &file, "flush")?;
    vm.call(&flush, &[])?;
    let text = if exc_value.is_none() {
        let n = ops::to_str(vm, &exc_type)?;
        format!("{n}\n")
    } else {
        crate::traceback::format_exception(vm, &exc_value)
    };
    vm.call(&write, &[new_string(text)])?;
    vm.call(&flush, &[])?;
    Ok(Value::none())
}
