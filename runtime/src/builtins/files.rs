//! `open()`: text files. The file object is Python (lib/_textfile.py) on top of two
//! native helpers in `_os` that read and write whole files.
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn open(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let m = crate::import::import_module(vm, "_textfile")?;
    let f = crate::ops::getattr_str(vm, &m, "open")?;
    vm.call_kw(&f, a.args, a.kwnames)
}
