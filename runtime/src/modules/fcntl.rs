//! `fcntl`: descriptor control (`fcntl`, `ioctl` with int or buffer arguments),
//! `flock` and `lockf`. A file argument is an int or an object with `fileno()`.
use super::args;
use crate::types::bytes::{BytesObj, as_bytes};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

const CONSTANTS: &[(&str, i64)] = &[
    ("DN_ACCESS", 1),
    ("DN_ATTRIB", 32),
    ("DN_CREATE", 4),
    ("DN_DELETE", 8),
    ("DN_MODIFY", 2),
    ("DN_MULTISHOT", 2147483648),
    ("DN_RENAME", 16),
    ("FASYNC", 8192),
    ("FD_CLOEXEC", libc::FD_CLOEXEC as i64),
    ("F_ADD_SEALS", libc::F_ADD_SEALS as i64),
    ("F_DUPFD", libc::F_DUPFD as i64),
    ("F_DUPFD_CLOEXEC", libc::F_DUPFD_CLOEXEC as i64),
    ("F_EXLCK", 4),
    ("F_GETFD", libc::F_GETFD as i64),
    ("F_GETFL", libc::F_GETFL as i64),
    ("F_GETLEASE", libc::F_GETLEASE as i64),
    ("F_GETLK", libc::F_GETLK as i64),
    ("F_GETLK64", 5),
    ("F_GETOWN", libc::F_GETOWN as i64),
    ("F_GETPIPE_SZ", libc::F_GETPIPE_SZ as i64),
    ("F_GETSIG", 11),
    ("F_GET_SEALS", libc::F_GET_SEALS as i64),
    ("F_NOTIFY", libc::F_NOTIFY as i64),
    ("F_OFD_GETLK", libc::F_OFD_GETLK as i64),
    ("F_OFD_SETLK", libc::F_OFD_SETLK as i64),
    ("F_OFD_SETLKW", libc::F_OFD_SETLKW as i64),
    ("F_RDLCK", libc::F_RDLCK as i64),
    ("F_SEAL_GROW", libc::F_SEAL_GROW as i64),
    ("F_SEAL_SEAL", libc::F_SEAL_SEAL as i64),
    ("F_SEAL_SHRINK", libc::F_SEAL_SHRINK as i64),
    ("F_SEAL_WRITE", libc::F_SEAL_WRITE as i64),
    ("F_SETFD", libc::F_SETFD as i64),
    ("F_SETFL", libc::F_SETFL as i64),
    ("F_SETLEASE", libc::F_SETLEASE as i64),
    ("F_SETLK", libc::F_SETLK as i64),
    ("F_SETLK64", 6),
    ("F_SETLKW", libc::F_SETLKW as i64),
    ("F_SETLKW64", 7),
    ("F_SETOWN", libc::F_SETOWN as i64),
    ("F_SETPIPE_SZ", libc::F_SETPIPE_SZ as i64),
    ("F_SETSIG", 10),
    ("F_SHLCK", 8),
    ("F_UNLCK", libc::F_UNLCK as i64),
    ("F_WRLCK", libc::F_WRLCK as i64),
    ("LOCK_EX", libc::LOCK_EX as i64),
    ("LOCK_MAND", 32),
    ("LOCK_NB", libc::LOCK_NB as i64),
    ("LOCK_READ", 64),
    ("LOCK_RW", 192),
    ("LOCK_SH", libc::LOCK_SH as i64),
    ("LOCK_UN", libc::LOCK_UN as i64),
    ("LOCK_WRITE", 128),
];

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = args::module(
        "fcntl",
        &[
            ("fcntl", fcntl),
            ("ioctl", ioctl),
            ("flock", flock),
            ("lockf", lockf),
        ],
    );
    args::consts(&m, CONSTANTS);
    Ok(m)
}

/// A file descriptor: an int, or the result of `obj.fileno()`.
pub fn fileno(vm: &mut Vm, v: &Value) -> PyResult<libc::c_int> {
    if crate::types::int::as_int(v).is_some() {
        let fd = args::c_int(vm, v)?;
        if fd < 0 {
            return Err(vm.value_error(format!(
                "file descriptor cannot be a negative integer ({fd})"
            )));
        }
        return Ok(fd);
    }
    let Some(f) = crate::ops::getattr_opt(vm, v, "fileno")? else {
        return Err(vm.type_error("argument must be an int, or have a fileno() method."));
    };
    let r = vm.call(&f, &[])?;
    if crate::types::int::as_int(&r).is_none() {
        return Err(vm.type_error("fileno() returned a non-integer"));
    }
    fileno(vm, &r)
}

fn eintr_loop(vm: &mut Vm, mut f: impl FnMut() -> libc::c_int) -> PyResult<libc::c_int> {
    loop {
        let r = crate::thread_state::blocking(&mut f);
        if r >= 0 {
            return Ok(r);
        }
        let e = super::posix::path::errno();
        if e == libc::EINTR {
            super::signal::run_pending(vm)?;
            continue;
        }
        return Err(crate::builtins::os_error::from_errno(vm, e, None, None));
    }
}

/// Runs a call whose third argument is an int or a buffer (copied in, and out as
/// the result bytes).
fn int_or_buffer(
    vm: &mut Vm,
    arg: Option<&Value>,
    name: &str,
    call: impl Fn(usize) -> libc::c_int,
) -> PyResult<Value> {
    match arg {
        None => {
            let r = eintr_loop(vm, || call(0))?;
            Ok(Value::int(r as i64))
        }
        Some(v) => {
            if let Some(b) = as_bytes(v).filter(|_| crate::types::int::as_int(v).is_none()) {
                if b.len() > 1024 {
                    return Err(vm.value_error(format!("{name} string arg too long")));
                }
                let mut buf = [0u8; 1024];
                buf[..b.len()].copy_from_slice(&b);
                let p = buf.as_mut_ptr() as usize;
                eintr_loop(vm, || call(p))?;
                return Ok(BytesObj::new_value(buf[..b.len()].to_vec()));
            }
            if v.is_float() || crate::types::int::as_int(v).is_none() {
                let tn = crate::builtins::type_name(v);
                return Err(vm.type_error(format!(
                    "{name}() argument 3 must be an int, a bytes-like object, or a string, not {tn}"
                )));
            }
            let x = args::int(vm, v)? as usize;
            let r = eintr_loop(vm, || call(x))?;
            Ok(Value::int(r as i64))
        }
    }
}

fn fcntl(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "fcntl", a, 2, 3)?;
    let fd = fileno(vm, &p[0])?;
    let cmd = args::c_int(vm, &p[1])?;
    // SAFETY: fcntl with the caller's command; a buffer argument points at 1024
    // writable bytes (as CPython's).
    int_or_buffer(vm, p.get(2), "fcntl", |x| unsafe {
        libc::fcntl(fd, cmd, x)
    })
}

fn ioctl(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "ioctl", a, 2, 4)?;
    let fd = fileno(vm, &p[0])?;
    let req = args::int(vm, &p[1])? as libc::c_ulong;
    // SAFETY: as for fcntl.
    int_or_buffer(vm, p.get(2), "ioctl", |x| unsafe {
        libc::ioctl(fd, req, x)
    })
}

fn flock(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "flock", a, 2, 2)?;
    let fd = fileno(vm, &p[0])?;
    let op = args::c_int(vm, &p[1])?;
    // SAFETY: plain syscall.
    eintr_loop(vm, || unsafe { libc::flock(fd, op) })?;
    Ok(Value::none())
}

fn lockf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "lockf", a, 2, 5)?;
    let fd = fileno(vm, &p[0])?;
    let code = args::c_int(vm, &p[1])?;
    let len = match p.get(2) {
        Some(v) => args::int(vm, v)?,
        None => 0,
    };
    let start = match p.get(3) {
        Some(v) => args::int(vm, v)?,
        None => 0,
    };
    let whence = match p.get(4) {
        Some(v) => args::c_int(vm, v)?,
        None => 0,
    };
    // SAFETY: plain data.
    let mut l: libc::flock = unsafe { std::mem::zeroed() };
    l.l_type = if code == libc::LOCK_UN {
        libc::F_UNLCK as i16
    } else if code & libc::LOCK_SH != 0 {
        libc::F_RDLCK as i16
    } else if code & libc::LOCK_EX != 0 {
        libc::F_WRLCK as i16
    } else {
        return Err(vm.value_error("unrecognized lockf argument"));
    };
    l.l_start = start;
    l.l_len = len;
    l.l_whence = whence as i16;
    let cmd = if code & libc::LOCK_NB != 0 {
        libc::F_SETLK
    } else {
        libc::F_SETLKW
    };
    let lp = &l as *const libc::flock as usize;
    // SAFETY: `l` outlives the call.
    eintr_loop(vm, || unsafe { libc::fcntl(fd, cmd, lp) })?;
    Ok(Value::none())
}
