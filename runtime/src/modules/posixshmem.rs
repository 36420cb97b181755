//! `_posixshmem`: `shm_open` and `shm_unlink`, the POSIX shared memory objects under
//! `multiprocessing.shared_memory` (after CPython's `Modules/_multiprocessing/posixshmem.c`).
//! A call interrupted by a signal runs the Python handlers and retries, as CPython's does.
use std::ffi::CString;

use super::native_args::{self, module};
use crate::types::int::as_int;
use crate::types::str::as_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    Ok(module(
        "_posixshmem",
        &[("shm_open", shm_open), ("shm_unlink", shm_unlink)],
    ))
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn path_arg(vm: &mut Vm, fname: &str, v: &Value) -> PyResult<CString> {
    let Some(s) = as_str(v) else {
        let tn = v.type_data().name.clone();
        return Err(vm.type_error(format!("{fname}() argument 'path' must be str, not {tn}")));
    };
    CString::new(s).map_err(|_| vm.value_error("embedded null character"))
}

fn int_arg(vm: &mut Vm, v: &Value) -> PyResult<i32> {
    if v.is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    match as_int(v).and_then(|i| i.to_i64()) {
        Some(n) => i32::try_from(n).map_err(|_| {
            vm.err(
                crate::world::types().overflow_error,
                "signed integer is greater than maximum",
            )
        }),
        None => {
            let tn = v.type_data().name.clone();
            Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
        }
    }
}

/// `shm_open(path, flags, mode=0o777)`: the new file descriptor.
fn shm_open(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "shm_open", a, &["path", "flags", "mode"], 2, 3)?;
    let (Some(path), Some(flags)) = (b[0], b[1]) else {
        return Err(vm.type_error("shm_open() missing required argument"));
    };
    let cpath = path_arg(vm, "shm_open", path)?;
    let flags = int_arg(vm, flags)?;
    let mode = match b[2] {
        Some(m) => int_arg(vm, m)?,
        None => 0o777,
    };
    loop {
        // SAFETY: a NUL-terminated path; `mode` is read because O_CREAT may be set.
        let fd = unsafe { libc::shm_open(cpath.as_ptr(), flags, mode as libc::mode_t) };
        if fd >= 0 {
            return Ok(Value::int(fd as i64));
        }
        let e = errno();
        if e == libc::EINTR {
            crate::modules::signal::run_pending(vm)?;
            continue;
        }
        return Err(crate::builtins::os_error::from_errno(
            vm,
            e,
            Some(path.clone()),
            None,
        ));
    }
}

/// `shm_unlink(path)`.
fn shm_unlink(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "shm_unlink", a, &["path"], 1, 1)?;
    let Some(path) = b[0] else {
        return Err(vm.type_error("shm_unlink() missing required argument 'path' (pos 1)"));
    };
    let cpath = path_arg(vm, "shm_unlink", path)?;
    loop {
        // SAFETY: a NUL-terminated path.
        if unsafe { libc::shm_unlink(cpath.as_ptr()) } == 0 {
            return Ok(Value::none());
        }
        let e = errno();
        if e == libc::EINTR {
            crate::modules::signal::run_pending(vm)?;
            continue;
        }
        return Err(crate::builtins::os_error::from_errno(
            vm,
            e,
            Some(path.clone()),
            None,
        ));
    }
}
