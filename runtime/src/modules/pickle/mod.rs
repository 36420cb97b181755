//! `_pickle`: the accelerator of the Lib's `pickle.py` (CPython's `Modules/_pickle.c`).
//! `Pickler` writes opcodes straight into a byte vector (exact builtin types without any
//! attribute lookup; everything else through `reducer_override`, the dispatch tables,
//! `__reduce_ex__` and `save_global`), `Unpickler` runs the opcode loop over a byte
//! buffer or a file, and `dump`/`dumps`/`load`/`loads` are the one-shot forms. The
//! stream is byte for byte CPython's: the same opcode choices, memo numbering,
//! APPENDS/SETITEMS batches of 1000 and protocol 4 frames; messages and exception
//! types are CPython's.
//!
//! Both classes are subclassable from Python (multiprocessing's `ForkingPickler`,
//! `copyreg` users): `persistent_id`/`persistent_load`, `dispatch_table`,
//! `reducer_override` and `find_class` defined on a subclass (or set on an instance)
//! are honoured as CPython honours them.
//!
//! Threads: a pickler's or unpickler's state sits behind a mutex that is never held while
//! Python code runs; `dump` and `load` take the memo out of it for the call and put it
//! back after (another thread using the same object meanwhile sees an empty memo, which
//! CPython does not promise anything better than).
//!
//! `PickleBuffer` (protocol 5's out-of-band buffers) is here too, as in CPython's
//! module (`pickle.PickleBuffer`).
//!
//! Module state (CPython keeps it per interpreter): `copyreg.dispatch_table` and the
//! extension registries, `_compat_pickle`'s mappings, `codecs.encode`,
//! `functools.partial` are read from their modules when used, so nothing of the
//! program's is held after exit.
pub(crate) mod buffer;
mod memo;
mod opcodes;
mod pickler;
mod proxies;
mod unpickler;

use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::binascii::exception_type;
use super::native_args::{module, set};
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm};
use crate::world::types;

/// `_pickle.PickleError`, `PicklingError` and `UnpicklingError` (immortal classes).
static PICKLE_ERROR: AtomicU64 = AtomicU64::new(0);
static PICKLING_ERROR: AtomicU64 = AtomicU64::new(0);
static UNPICKLING_ERROR: AtomicU64 = AtomicU64::new(0);

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_pickle",
        &[
            ("dump", pickler::module_dump),
            ("dumps", pickler::module_dumps),
            ("load", unpickler::module_load),
            ("loads", unpickler::module_loads),
        ],
    );
    if PICKLE_ERROR.load(Ordering::Acquire) == 0 {
        let base = exception_type("PickleError", "_pickle", types().exception);
        let pe = exception_type("PicklingError", "_pickle", base.raw());
        let ue = exception_type("UnpicklingError", "_pickle", base.raw());
        PICKLING_ERROR.store(pe.raw().0, Ordering::Release);
        UNPICKLING_ERROR.store(ue.raw().0, Ordering::Release);
        PICKLE_ERROR.store(base.raw().0, Ordering::Release);
    }
    for (n, c) in [
        ("PickleError", &PICKLE_ERROR),
        ("PicklingError", &PICKLING_ERROR),
        ("UnpicklingError", &UNPICKLING_ERROR),
    ] {
        set(
            &m,
            n,
            Value::from_borrowed(RawValue(c.load(Ordering::Acquire))),
        );
    }
    set(&m, "Pickler", pickler::make_type());
    set(&m, "PickleBuffer", buffer::make_type());
    set(&m, "Unpickler", unpickler::make_type());
    proxies::make_types();
    // As CPython's module init: the modules whose tables the pickler reads.
    crate::import::import_module(vm, "copyreg")?;
    crate::import::import_module(vm, "_compat_pickle")?;
    Ok(m)
}

pub(crate) fn pickling_error(vm: &mut Vm, msg: impl Into<String>) -> PyErr {
    vm.err(RawValue(PICKLING_ERROR.load(Ordering::Acquire)), msg)
}

pub(crate) fn unpickling_error(vm: &mut Vm, msg: impl Into<String>) -> PyErr {
    vm.err(RawValue(UNPICKLING_ERROR.load(Ordering::Acquire)), msg)
}

pub(crate) fn is_unpickling_error(vm: &Vm, e: &PyErr) -> bool {
    vm.err_matches(e, RawValue(UNPICKLING_ERROR.load(Ordering::Acquire)))
}

/// CPython's `_PyObject_LookupAttr`: the attribute, or None when it is missing (an
/// AttributeError, also one raised by a property, means missing).
pub(crate) fn lookup_attr(vm: &mut Vm, obj: &Value, name: &str) -> PyResult<Option<Value>> {
    match crate::ops::getattr_opt(vm, obj, name) {
        Ok(v) => Ok(v),
        Err(e) if vm.err_matches(&e, types().attribute_error) => Ok(None),
        Err(e) => Err(e),
    }
}

/// An attribute of an (imported) module of the Lib: `copyreg.dispatch_table`,
/// `_compat_pickle.NAME_MAPPING`, ...
pub(crate) fn module_attr(vm: &mut Vm, module: &str, name: &str) -> PyResult<Value> {
    let m = crate::import::import_module(vm, module)?;
    crate::ops::getattr_str(vm, &m, name)
}

/// A dict of the module state, checked as CPython checks it when it loads the module.
pub(crate) fn state_dict(vm: &mut Vm, module: &str, name: &str) -> PyResult<Value> {
    let d = module_attr(vm, module, name)?;
    if d.type_raw() != types().dict {
        let tn = crate::types::native::tp_name(d.type_data());
        return Err(vm.runtime_error(format!("{module}.{name} should be a dict, not {tn}")));
    }
    Ok(d)
}

/// The protocol argument: None is the default, a negative number the highest.
pub(crate) fn protocol_arg(vm: &mut Vm, p: Option<&Value>) -> PyResult<u8> {
    use opcodes::{DEFAULT_PROTOCOL, HIGHEST_PROTOCOL};
    let proto = match p {
        None => DEFAULT_PROTOCOL,
        Some(v) if v.is_none() => DEFAULT_PROTOCOL,
        Some(v) => {
            let n = c_long(vm, v)?;
            if n < 0 {
                HIGHEST_PROTOCOL
            } else if n > HIGHEST_PROTOCOL {
                return Err(
                    vm.value_error(format!("pickle protocol must be <= {HIGHEST_PROTOCOL}"))
                );
            } else {
                n
            }
        }
    };
    Ok(proto as u8)
}

/// `PyLong_AsLong`: an int (or `__index__`) that fits a C long.
pub(crate) fn c_long(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if let Some(i) = v.as_small_int() {
        return Ok(i);
    }
    if crate::types::int::as_int(v).is_none()
        && !v.is_bool()
        && crate::ops::getattr_opt(vm, v, "__index__")?.is_none()
    {
        let tn = v.type_data().name.clone();
        return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
    }
    let b = crate::ops::to_index(vm, v)?;
    use num_traits::ToPrimitive;
    match b.to_i64() {
        Some(i) => Ok(i),
        None => Err(vm.overflow_error("Python int too large to convert to C long")),
    }
}

/// `repr(v)` for messages (`%R`).
pub(crate) fn repr_of(vm: &mut Vm, v: &Value) -> PyResult<String> {
    crate::ops::repr(vm, v)
}

/// `str(v)` for messages (`%S`).
pub(crate) fn str_of(vm: &mut Vm, v: &Value) -> PyResult<String> {
    crate::ops::to_str(vm, v)
}
