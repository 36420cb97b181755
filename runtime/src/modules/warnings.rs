//! `_warnings`: CPython's C accelerator of `warnings`. stitch keeps the filters in the
//! Lib's pure-Python `warnings` (which falls back to its own `filters`,
//! `defaultaction` and `onceregistry` when `_warnings` does not export them), so this
//! module only gives native callers and `importlib._bootstrap_external` a `warn` and a
//! `warn_explicit` that go through `warnings`. The caller's frame is found the same
//! way: native calls do not appear in the frame chain that `stacklevel` counts.
use super::native_args::module;
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_warnings",
        &[("warn", warn), ("warn_explicit", warn_explicit)],
    );
    super::native_args::set(
        &m,
        "__doc__",
        new_str(
            "_warnings provides basic warning filtering support.\nIt is a helper module to speed up interpreter start-up.",
        ),
    );
    Ok(m)
}

/// Call `warnings.<name>` with the same arguments.
fn forward(vm: &mut Vm, name: &str, a: &Args) -> PyResult<Value> {
    let w = crate::import::import_module(vm, "warnings")?;
    let f = crate::ops::getattr(vm, &w, &new_str(name))?;
    let kwnames: Vec<Value> = a.kwnames.to_vec();
    vm.call_kw(&f, a.args, &kwnames)
}

fn warn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    forward(vm, "warn", a)
}

fn warn_explicit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    forward(vm, "warn_explicit", a)
}
