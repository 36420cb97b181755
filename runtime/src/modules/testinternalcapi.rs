//! `_testinternalcapi`: the part of CPython's internal-testing module that describes
//! the running interpreter, which CPython's test suite consults to decide what to test.
//!
//! `get_config()` answers with the configuration keys stitch can state truthfully:
//! `code_debug_ranges` is True unless `-X no_debug_ranges`: code compiled from source
//! keeps each instruction's columns (`co_positions()`), so
//! `test.support.requires_debug_ranges` runs the caret tests. Without this module `test.support` refuses to even import modules such as
//! test_compile.
use crate::builtins::posargs;
use crate::types::dict::DictObj;
use crate::types::func::new_builtin;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = crate::import::new_module("_testinternalcapi", None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    d.set_str("get_config", new_builtin("get_config", get_config));
    Ok(m)
}

/// `get_config()`: a new dict of the configuration stitch runs with.
fn get_config(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "get_config", a, 0, 0)?;
    let d = DictObj::new_value();
    // SAFETY: new_value makes a dict.
    let dict = unsafe { d.payload_unchecked::<DictObj>() };
    dict.set_str(
        "code_debug_ranges",
        Value::bool(crate::builtins::code::debug_ranges(vm)),
    );
    Ok(d)
}
