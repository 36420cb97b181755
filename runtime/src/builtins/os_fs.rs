//! File-system calls of `_os` beyond reading and listing: mkdir, rmdir, unlink, rename,
//! stat and urandom, on `std::fs`, raising the OSError subclasses CPython raises (with
//! errno and the C library's message) through `modules::io_error`.
use std::os::unix::fs::{MetadataExt, PermissionsExt};

use super::posargs;
use crate::types::bytes::BytesObj;
use crate::types::str::as_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

fn path_arg(vm: &mut Vm, v: &Value, name: &str) -> PyResult<String> {
    match as_str(v) {
        Some(s) => Ok(s.to_string()),
        None => {
            let tn = super::type_name(v);
            Err(vm.type_error(format!(
                "{name}: path should be string, bytes or os.PathLike, not {tn}"
            )))
        }
    }
}

pub fn mkdir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "mkdir", a, 1, 2)?;
    let path = path_arg(vm, &p[0], "mkdir")?;
    let mode = p.get(1).and_then(|m| m.as_small_int()).unwrap_or(0o777) as u32;
    let mut b = std::fs::DirBuilder::new();
    std::os::unix::fs::DirBuilderExt::mode(&mut b, mode);
    b.create(&path)
        .map(|_| Value::none())
        .map_err(|e| super::modules::io_error(vm, &e, &path))
}

pub fn rmdir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "rmdir", a, 1, 1)?;
    let path = path_arg(vm, &p[0], "rmdir")?;
    std::fs::remove_dir(&path)
        .map(|_| Value::none())
        .map_err(|e| super::modules::io_error(vm, &e, &path))
}

pub fn unlink(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "unlink", a, 1, 1)?;
    let path = path_arg(vm, &p[0], "unlink")?;
    std::fs::remove_file(&path)
        .map(|_| Value::none())
        .map_err(|e| super::modules::io_error(vm, &e, &path))
}

pub fn rename(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "rename", a, 2, 2)?;
    let src = path_arg(vm, &p[0], "rename")?;
    let dst = path_arg(vm, &p[1], "rename")?;
    std::fs::rename(&src, &dst)
        .map(|_| Value::none())
        .map_err(|e| {
            let errno = e.raw_os_error().unwrap_or(0);
            let (s, d) = (p[0].clone(), p[1].clone());
            super::os_error::from_errno(vm, errno, Some(s), Some(d))
        })
}

/// (mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime) as floats for the times;
/// `follow` false is lstat.
pub fn stat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "stat", a, 1, 2)?;
    let path = path_arg(vm, &p[0], "stat")?;
    let follow = match p.get(1) {
        Some(f) => crate::ops::truthy(vm, f)?,
        None => true,
    };
    let md = if follow {
        std::fs::metadata(&path)
    } else {
        std::fs::symlink_metadata(&path)
    };
    let md = md.map_err(|e| super::modules::io_error(vm, &e, &path))?;
    let time = |s: i64, ns: i64| Value::float(s as f64 + ns as f64 * 1e-9);
    Ok(TupleObj::from_items([
        Value::int(md.permissions().mode() as i64 | (md.mode() as i64 & 0o170000)),
        Value::bigint(md.ino().into()),
        Value::bigint(md.dev().into()),
        Value::int(md.nlink() as i64),
        Value::int(md.uid() as i64),
        Value::int(md.gid() as i64),
        Value::int(md.size() as i64),
        time(md.atime(), md.atime_nsec()),
        time(md.mtime(), md.mtime_nsec()),
        time(md.ctime(), md.ctime_nsec()),
    ]))
}

pub fn urandom(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    use std::io::Read;
    let p = posargs(vm, "urandom", a, 1, 1)?;
    let n = match p[0].as_small_int() {
        Some(n) if n >= 0 => n as usize,
        _ => return Err(vm.value_error("negative argument not allowed")),
    };
    let mut buf = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| super::modules::io_error(vm, &e, "/dev/urandom"))?;
    Ok(BytesObj::new_value(buf))
}

/// The whole file as bytes (binary `open()` reads files whole).
pub fn read_bytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "read_bytes", a, 1, 1)?;
    let path = path_arg(vm, &p[0], "read_bytes")?;
    std::fs::read(&path)
        .map(BytesObj::new_value)
        .map_err(|e| super::modules::io_error(vm, &e, &path))
}

/// Write (or append) bytes; binary files flush through here.
pub fn write_bytes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    use std::io::Write;
    let p = posargs(vm, "write_bytes", a, 3, 3)?;
    let path = path_arg(vm, &p[0], "write_bytes")?;
    let Some(data) = crate::types::bytes::as_bytes(&p[1]) else {
        return Err(vm.type_error("a bytes-like object is required"));
    };
    let append = crate::ops::truthy(vm, &p[2])?;
    std::fs::OpenOptions::new()
        .create(true)
        .append(append)
        .write(true)
        .truncate(!append)
        .open(&path)
        .and_then(|mut f| f.write_all(&data))
        .map(|_| Value::none())
        .map_err(|e| super::modules::io_error(vm, &e, &path))
}
