//! Path arguments as CPython's `path_converter` takes them: str, bytes, an object with
//! `__fspath__`, and (where the function allows it) an open file descriptor or None;
//! results come back as str or bytes following the argument's type.
use std::ffi::CString;

use crate::types::bytes::BytesObj;
use crate::types::str::{as_str, as_str_flag};
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm};

/// A converted path argument.
pub struct PathArg {
    /// The path as the C library takes it (empty when `fd` is set).
    pub c: CString,
    /// The `fspath` of the argument: what an OSError names as its filename.
    pub obj: Value,
    /// The argument was bytes: names derived from it are returned as bytes.
    pub bytes: bool,
    /// The argument was a file descriptor.
    pub fd: Option<i32>,
}

impl PathArg {
    /// The OSError for the calling thread's errno, naming this path.
    pub fn error(&self, vm: &mut Vm) -> PyErr {
        crate::builtins::os_error::last(vm, Some(self.obj.clone()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.c.as_bytes()
    }
}

/// `os.fspath(obj)`: str and bytes as they are, else `type(obj).__fspath__(obj)`.
pub fn fspath(vm: &mut Vm, v: &Value) -> PyResult<Option<Value>> {
    if as_str(v).is_some() || v.downcast::<BytesObj>().is_some() {
        return Ok(Some(v.clone()));
    }
    if !v.is_ptr() {
        return Ok(None);
    }
    let Some(f) = v
        .type_data()
        .lookup("__fspath__")
        .map(crate::vm::receiver_first)
    else {
        return Ok(None);
    };
    if f.is_none() {
        return Ok(None);
    }
    let r = vm.call(&f, std::slice::from_ref(v))?;
    if as_str(&r).is_some() || r.downcast::<BytesObj>().is_some() {
        return Ok(Some(r));
    }
    let (tn, rn) = (
        crate::builtins::type_name(v),
        crate::builtins::type_name(&r),
    );
    Err(vm.type_error(format!(
        "expected {tn}.__fspath__() to return str or bytes, not {rn}"
    )))
}

/// Converts argument `v` of function `fname`.
pub fn path(
    vm: &mut Vm,
    fname: &str,
    v: &Value,
    allow_fd: bool,
    allow_none: bool,
) -> PyResult<PathArg> {
    if allow_none && v.is_none() {
        return Ok(PathArg {
            c: CString::from(c"."),
            obj: Value::none(),
            bytes: false,
            fd: None,
        });
    }
    if allow_fd && !v.is_float() && crate::types::int::as_int(v).is_some() {
        let fd = super::super::args::c_int(vm, v)?;
        return Ok(PathArg {
            c: CString::default(),
            obj: v.clone(),
            bytes: false,
            fd: Some(fd),
        });
    }
    let Some(p) = fspath(vm, v)? else {
        let accepts = match (allow_fd, allow_none) {
            (true, true) => "string, bytes, os.PathLike, integer or None",
            (true, false) => "string, bytes, os.PathLike or integer",
            (false, true) => "string, bytes, os.PathLike or None",
            (false, false) => "string, bytes or os.PathLike",
        };
        let tn = crate::builtins::type_name(v);
        return Err(vm.type_error(format!("{fname}: path should be {accepts}, not {tn}")));
    };
    let (raw, bytes) = match as_str_flag(&p) {
        Some((s, false)) => (s.as_bytes().to_vec(), false),
        Some((s, true)) => (fs_encode(vm, s)?, false),
        None => match p.downcast::<BytesObj>() {
            Some(b) => (b.data.to_vec(), true),
            None => unreachable!("fspath returns str or bytes"),
        },
    };
    let Ok(c) = CString::new(raw) else {
        // str paths fail in their encoding step, bytes in the path check.
        return Err(vm.value_error(if bytes {
            format!("{fname}: embedded null character in path")
        } else {
            "embedded null byte".to_string()
        }));
    };
    Ok(PathArg {
        c,
        obj: p,
        bytes,
        fd: None,
    })
}

/// A file name as str (decoded as CPython's `os.fsdecode`) or bytes.
pub fn name_value(raw: &[u8], bytes: bool) -> Value {
    if bytes {
        BytesObj::new_value(raw.to_vec())
    } else {
        fs_decode(raw)
    }
}

/// File-system bytes as str: UTF-8, each undecodable byte becoming the lone surrogate
/// U+DC80..U+DCFF (`surrogateescape`, PEP 383), so the name round-trips.
pub fn fs_decode(raw: &[u8]) -> Value {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or(""));
                let n = e.error_len().unwrap_or(rest.len() - good);
                for &b in &rest[good..good + n] {
                    out.push(crate::types::str::surrogate_char(0xDC00 + b as u32));
                }
                rest = &rest[good + n..];
            }
        }
    }
    crate::types::str::new_string_flagged(out, true)
}

/// A str holding lone surrogates as file-system bytes (`os.fsencode`: UTF-8 with
/// `surrogateescape`; other surrogates raise UnicodeEncodeError as in CPython).
pub fn fs_encode(vm: &mut Vm, s: &str) -> PyResult<Vec<u8>> {
    let b = crate::modules::codecs::encode_text(vm, s, true, "utf-8", "surrogateescape")?;
    Ok(crate::types::bytes::as_bytes(&b).unwrap_or_default())
}

/// A `dir_fd` argument: None (or absent) is the current directory.
pub fn dir_fd(vm: &mut Vm, v: Option<&Value>) -> PyResult<libc::c_int> {
    match v {
        None => Ok(libc::AT_FDCWD),
        Some(v) if v.is_none() => Ok(libc::AT_FDCWD),
        Some(v) => {
            if crate::types::int::as_int(v).is_none() && !v.is_ptr() {
                let tn = crate::builtins::type_name(v);
                return Err(vm.type_error(format!("argument should be integer or None, not {tn}")));
            }
            super::super::args::c_int(vm, v)
        }
    }
}

/// The errno of the calling thread.
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// An OSError from the calling thread's errno naming no file.
pub fn os_err(vm: &mut Vm) -> PyErr {
    crate::builtins::os_error::last(vm, None)
}
