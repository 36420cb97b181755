//! File-descriptor operations of `posix`: open, read, write, pipes, duplication,
//! descriptor flags, terminals. Calls that can block run detached (other threads may
//! stop the world meanwhile) and are retried after EINTR once signal handlers have run
//! (PEP 475).
use super::fs::zeroed;
use super::path::{dir_fd, errno, os_err, path};
use super::{args, structseq, ty};
use crate::types::bytes::BytesObj;
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// Runs a blocking call detached, retrying on EINTR after running signal handlers
/// (whose exception, if any, is raised instead). Returns the call's non-negative
/// result, or the OSError for its errno.
pub(crate) fn retry(vm: &mut Vm, mut f: impl FnMut() -> isize) -> PyResult<isize> {
    loop {
        let r = crate::thread_state::blocking(&mut f);
        if r >= 0 {
            return Ok(r);
        }
        let e = errno();
        if e == libc::EINTR {
            crate::modules::signal::run_pending(vm)?;
            continue;
        }
        return Err(crate::builtins::os_error::from_errno(vm, e, None, None));
    }
}

fn fd_arg(vm: &mut Vm, v: &Value) -> PyResult<libc::c_int> {
    args::c_int(vm, v)
}

pub fn open(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "open", a, &["path", "flags", "mode", "dir_fd"], 3, 2)?;
    let p = path(vm, "open", b[0].unwrap_or(&Value::NULL), false, false)?;
    let flags = args::c_int(vm, b[1].unwrap_or(&Value::NULL))? | libc::O_CLOEXEC;
    let mode = match b[2] {
        Some(m) => args::c_int(vm, m)?,
        None => 0o777,
    };
    let dfd = dir_fd(vm, b[3])?;
    loop {
        // SAFETY: NUL-terminated path.
        let fd = crate::thread_state::blocking(|| unsafe {
            libc::openat(dfd, p.c.as_ptr(), flags, mode as libc::c_uint)
        });
        if fd >= 0 {
            return Ok(Value::int(fd as i64));
        }
        if errno() == libc::EINTR {
            crate::modules::signal::run_pending(vm)?;
            continue;
        }
        return Err(p.error(vm));
    }
}

pub fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "close", a, &["fd"], 1, 1)?;
    let fd = fd_arg(vm, b[0].unwrap_or(&Value::NULL))?;
    // SAFETY: plain syscall (closing an fd Python code owns).
    if unsafe { libc::close(fd) } != 0 && errno() != libc::EINTR {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

pub fn closerange(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "closerange", a, 2, 2)?;
    let lo = fd_arg(vm, &p[0])?;
    let hi = fd_arg(vm, &p[1])?;
    for fd in lo.max(0)..hi {
        // SAFETY: plain syscall; errors are ignored as CPython does.
        unsafe { libc::close(fd) };
    }
    Ok(Value::none())
}

fn length(vm: &mut Vm, v: &Value) -> PyResult<usize> {
    let n = args::int(vm, v)?;
    if n < 0 {
        // CPython reports a negative length as the C call's EINVAL.
        return Err(crate::builtins::os_error::from_errno(
            vm,
            libc::EINVAL,
            None,
            None,
        ));
    }
    Ok(n as usize)
}

pub fn read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "read", a, 2, 2)?;
    let fd = fd_arg(vm, &p[0])?;
    let n = length(vm, &p[1])?;
    let mut buf = vec![0u8; n];
    let ptr = buf.as_mut_ptr() as usize;
    // SAFETY: buf has n writable bytes and outlives the call.
    let got = retry(vm, || unsafe {
        libc::read(fd, ptr as *mut libc::c_void, n)
    })?;
    buf.truncate(got as usize);
    Ok(BytesObj::new_value(buf))
}

pub fn pread(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "pread", a, 3, 3)?;
    let fd = fd_arg(vm, &p[0])?;
    let n = length(vm, &p[1])?;
    let off = args::int(vm, &p[2])?;
    let mut buf = vec![0u8; n];
    let ptr = buf.as_mut_ptr() as usize;
    // SAFETY: buf has n writable bytes and outlives the call.
    let got = retry(vm, || unsafe {
        libc::pread(fd, ptr as *mut libc::c_void, n, off)
    })?;
    buf.truncate(got as usize);
    Ok(BytesObj::new_value(buf))
}

/// The data of `os.write`/`os.pwrite`: any bytes-like object (a memoryview too:
/// `subprocess.communicate` writes its input through one).
fn data_arg<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<std::borrow::Cow<'a, [u8]>> {
    crate::modules::buffer::need(vm, v)
}

pub fn write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "write", a, 2, 2)?;
    let fd = fd_arg(vm, &p[0])?;
    let data = data_arg(vm, &p[1])?;
    if fd == 1 || fd == 2 {
        // Keep the order of print() output and raw writes to the same stream.
        vm.flush_stdout();
    }
    let ptr = data.as_ptr() as usize;
    let len = data.len();
    // SAFETY: data has len readable bytes and outlives the call.
    let n = retry(vm, || unsafe {
        libc::write(fd, ptr as *const libc::c_void, len)
    })?;
    Ok(Value::int(n as i64))
}

pub fn pwrite(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "pwrite", a, 3, 3)?;
    let fd = fd_arg(vm, &p[0])?;
    let data = data_arg(vm, &p[1])?;
    let off = args::int(vm, &p[2])?;
    let ptr = data.as_ptr() as usize;
    let len = data.len();
    // SAFETY: data has len readable bytes and outlives the call.
    let n = retry(vm, || unsafe {
        libc::pwrite(fd, ptr as *const libc::c_void, len, off)
    })?;
    Ok(Value::int(n as i64))
}

pub fn lseek(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "lseek", a, 3, 3)?;
    let fd = fd_arg(vm, &p[0])?;
    let pos = args::int(vm, &p[1])?;
    let how = args::c_int(vm, &p[2])?;
    // SAFETY: plain syscall.
    let r = unsafe { libc::lseek(fd, pos, how) };
    if r < 0 {
        return Err(os_err(vm));
    }
    Ok(Value::int(r))
}

pub fn dup(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "dup", a, 1, 1)?;
    let fd = fd_arg(vm, &p[0])?;
    // SAFETY: plain syscall; the new descriptor is non-inheritable as in CPython.
    let r = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if r < 0 {
        return Err(os_err(vm));
    }
    Ok(Value::int(r as i64))
}

pub fn dup2(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "dup2", a, &["fd", "fd2", "inheritable"], 3, 2)?;
    let fd = fd_arg(vm, b[0].unwrap_or(&Value::NULL))?;
    let fd2 = fd_arg(vm, b[1].unwrap_or(&Value::NULL))?;
    let inheritable = args::flag(vm, b[2], true)?;
    if fd == 1 || fd == 2 || fd2 == 1 || fd2 == 2 {
        vm.flush_stdout();
    }
    // SAFETY: plain syscalls.
    let r = unsafe {
        if inheritable || fd == fd2 {
            libc::dup2(fd, fd2)
        } else {
            libc::dup3(fd, fd2, libc::O_CLOEXEC)
        }
    };
    if r < 0 {
        return Err(os_err(vm));
    }
    Ok(Value::int(r as i64))
}

fn pipe_with(vm: &mut Vm, flags: libc::c_int) -> PyResult<Value> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: fds is a valid 2-int out-array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), flags) } != 0 {
        return Err(os_err(vm));
    }
    Ok(TupleObj::from_items([
        Value::int(fds[0] as i64),
        Value::int(fds[1] as i64),
    ]))
}

pub fn pipe(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.pipe", a)?;
    pipe_with(vm, libc::O_CLOEXEC)
}

/// `openpty()` -> `(master, slave)`, both non-inheritable, made the Unix98 way
/// (`posix_openpt`, `grantpt`, `unlockpt`, `ptsname_r`) so no libutil is needed.
pub fn openpty(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.openpty", a)?;
    let flags = libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC;
    // SAFETY: plain syscall.
    let master = unsafe { libc::posix_openpt(flags) };
    if master < 0 {
        return Err(os_err(vm));
    }
    let mut name = [0 as libc::c_char; 128];
    // SAFETY: `master` is our open pty master; `name` is a writable buffer of the
    // length passed.
    let ok = unsafe {
        libc::grantpt(master) == 0
            && libc::unlockpt(master) == 0
            && libc::ptsname_r(master, name.as_mut_ptr(), name.len()) == 0
    };
    let slave = if ok {
        // SAFETY: on success ptsname_r wrote a NUL-terminated path into `name`.
        unsafe { libc::open(name.as_ptr(), flags) }
    } else {
        -1
    };
    if slave < 0 {
        let e = os_err(vm);
        // SAFETY: closing the descriptor opened above.
        unsafe { libc::close(master) };
        return Err(e);
    }
    Ok(TupleObj::from_items([
        Value::int(master as i64),
        Value::int(slave as i64),
    ]))
}

pub fn pipe2(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = args::one(vm, "posix.pipe2", a)?;
    let flags = args::c_int(vm, f)?;
    pipe_with(vm, flags)
}

fn fd_call(
    vm: &mut Vm,
    a: &Args,
    name: &str,
    f: unsafe extern "C" fn(libc::c_int) -> libc::c_int,
) -> PyResult<Value> {
    let b = args::bind(vm, name, a, &["fd"], 1, 1)?;
    let v = b[0].cloned().unwrap_or(Value::NULL);
    let v = &v;
    // fsync and fdatasync take any object with fileno() as well.
    let fd = if crate::types::int::as_int(v).is_none()
        && let Some(m) = crate::ops::getattr_opt(vm, v, "fileno")?
    {
        let r = vm.call(&m, &[])?;
        fd_arg(vm, &r)?
    } else {
        fd_arg(vm, v)?
    };
    // SAFETY: `f` is a libc call taking a descriptor.
    let r = crate::thread_state::blocking(|| unsafe { f(fd) });
    if r != 0 {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

pub fn fsync(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    fd_call(vm, a, "fsync", libc::fsync)
}

pub fn fdatasync(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    fd_call(vm, a, "fdatasync", libc::fdatasync)
}

pub fn ftruncate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "ftruncate", a, 2, 2)?;
    let fd = fd_arg(vm, &p[0])?;
    let len = args::int(vm, &p[1])?;
    // SAFETY: plain syscall.
    if unsafe { libc::ftruncate(fd, len) } != 0 {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

pub fn isatty(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = args::one(vm, "posix.isatty", a)?;
    let fd = fd_arg(vm, f)?;
    // SAFETY: plain libc call.
    Ok(Value::bool(unsafe { libc::isatty(fd) } == 1))
}

pub fn ttyname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = args::one(vm, "posix.ttyname", a)?;
    let fd = fd_arg(vm, f)?;
    let mut buf = vec![0u8; 256];
    // SAFETY: buf has buf.len() writable bytes.
    let r = unsafe { libc::ttyname_r(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if r != 0 {
        return Err(crate::builtins::os_error::from_errno(vm, r, None, None));
    }
    let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    Ok(super::path::name_value(&buf[..n], false))
}

fn fd_flags(vm: &mut Vm, fd: libc::c_int, cmd: libc::c_int) -> PyResult<libc::c_int> {
    // SAFETY: plain syscall.
    let r = unsafe { libc::fcntl(fd, cmd) };
    if r < 0 {
        return Err(os_err(vm));
    }
    Ok(r)
}

pub fn get_inheritable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = args::one(vm, "posix.get_inheritable", a)?;
    let fd = fd_arg(vm, f)?;
    let flags = fd_flags(vm, fd, libc::F_GETFD)?;
    Ok(Value::bool(flags & libc::FD_CLOEXEC == 0))
}

pub fn set_inheritable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "set_inheritable", a, 2, 2)?;
    let fd = fd_arg(vm, &p[0])?;
    let on = crate::ops::truthy(vm, &p[1])?;
    let flags = fd_flags(vm, fd, libc::F_GETFD)?;
    let new = if on {
        flags & !libc::FD_CLOEXEC
    } else {
        flags | libc::FD_CLOEXEC
    };
    // SAFETY: plain syscall.
    if unsafe { libc::fcntl(fd, libc::F_SETFD, new) } < 0 {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

pub fn get_blocking(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = args::one(vm, "posix.get_blocking", a)?;
    let fd = fd_arg(vm, f)?;
    let flags = fd_flags(vm, fd, libc::F_GETFL)?;
    Ok(Value::bool(flags & libc::O_NONBLOCK == 0))
}

pub fn set_blocking(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "set_blocking", a, 2, 2)?;
    let fd = fd_arg(vm, &p[0])?;
    let on = crate::ops::truthy(vm, &p[1])?;
    let flags = fd_flags(vm, fd, libc::F_GETFL)?;
    let new = if on {
        flags & !libc::O_NONBLOCK
    } else {
        flags | libc::O_NONBLOCK
    };
    // SAFETY: plain syscall.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, new) } < 0 {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

/// `device_encoding(fd)`: the locale's encoding for a terminal, else None.
pub fn device_encoding(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "device_encoding", a, &["fd"], 1, 1)?;
    let fd = fd_arg(vm, b[0].unwrap_or(&Value::NULL))?;
    // SAFETY: plain libc call.
    if unsafe { libc::isatty(fd) } != 1 {
        return Ok(Value::none());
    }
    Ok(new_str(&crate::modules::locale::codeset()))
}

pub fn get_terminal_size(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "get_terminal_size", a, 0, 1)?;
    let fd = match p.first() {
        Some(v) => fd_arg(vm, v)?,
        None => 1,
    };
    let mut ws: libc::winsize = zeroed();
    // SAFETY: TIOCGWINSZ fills a winsize.
    if unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } != 0 {
        return Err(os_err(vm));
    }
    structseq::new(
        vm,
        &ty(|t| t.terminal_size),
        vec![Value::int(ws.ws_col as i64), Value::int(ws.ws_row as i64)],
    )
}

pub fn sendfile(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(
        vm,
        "sendfile",
        a,
        &["out_fd", "in_fd", "offset", "count"],
        4,
        4,
    )?;
    let out_fd = fd_arg(vm, b[0].unwrap_or(&Value::NULL))?;
    let in_fd = fd_arg(vm, b[1].unwrap_or(&Value::NULL))?;
    let offset = b[2].filter(|o| !o.is_none()).cloned();
    let count = args::int(vm, b[3].unwrap_or(&Value::NULL))?.max(0) as usize;
    let mut off: libc::off_t = match &offset {
        Some(o) => args::int(vm, o)?,
        None => 0,
    };
    let use_off = offset.is_some();
    let offp = &mut off as *mut libc::off_t as usize;
    // SAFETY: `off` outlives the call; descriptors are the caller's.
    let n = retry(vm, || unsafe {
        let p = if use_off {
            offp as *mut libc::off_t
        } else {
            std::ptr::null_mut()
        };
        libc::sendfile(out_fd, in_fd, p, count)
    })?;
    Ok(Value::int(n as i64))
}

pub fn lockf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "lockf", a, 3, 3)?;
    let fd = fd_arg(vm, &p[0])?;
    let cmd = args::c_int(vm, &p[1])?;
    let len = args::int(vm, &p[2])?;
    retry(vm, || {
        // SAFETY: plain libc call.
        unsafe { libc::lockf(fd, cmd, len) as isize }
    })?;
    Ok(Value::none())
}
