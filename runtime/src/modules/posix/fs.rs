//! Path operations of `posix`: stat and friends, directories, links, permissions,
//! times. Each takes `dir_fd` / `follow_symlinks` where CPython does, through the
//! C library's `*at` calls.
use std::ffi::CStr;

use num_bigint::BigInt;

use super::path::{PathArg, dir_fd, errno, name_value, os_err, path};
use super::{args, structseq, ty};
use crate::builtins::os_error::from_errno;
use crate::types::list::ListObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// A zeroed C struct for a call to fill in.
pub(super) fn zeroed<T>() -> T {
    // SAFETY: only used for plain-data C structs (stat, statvfs, tms, utsname, ...),
    // for which all-zero bytes is a valid value.
    unsafe { std::mem::zeroed() }
}

/// The `stat_result` of a filled `struct stat`.
pub(super) fn stat_value(vm: &mut Vm, st: &libc::stat) -> PyResult<Value> {
    let ns = |s: i64, n: i64| Value::bigint(BigInt::from(s) * 1_000_000_000 + n);
    let fl = |s: i64, n: i64| Value::float(s as f64 + n as f64 * 1e-9);
    let values = vec![
        Value::int(st.st_mode as i64),
        Value::bigint(BigInt::from(st.st_ino)),
        Value::bigint(BigInt::from(st.st_dev)),
        Value::int(st.st_nlink as i64),
        Value::int(st.st_uid as i64),
        Value::int(st.st_gid as i64),
        Value::int(st.st_size),
        Value::int(st.st_atime),
        Value::int(st.st_mtime),
        Value::int(st.st_ctime),
        fl(st.st_atime, st.st_atime_nsec),
        fl(st.st_mtime, st.st_mtime_nsec),
        fl(st.st_ctime, st.st_ctime_nsec),
        ns(st.st_atime, st.st_atime_nsec),
        ns(st.st_mtime, st.st_mtime_nsec),
        ns(st.st_ctime, st.st_ctime_nsec),
        Value::int(st.st_blksize),
        Value::int(st.st_blocks),
        Value::bigint(BigInt::from(st.st_rdev)),
    ];
    structseq::new(vm, &ty(|t| t.stat_result), values)
}

/// `stat` of a converted path (an fd when the path is one).
pub(super) fn do_stat(p: &PathArg, dfd: libc::c_int, follow: bool) -> Result<libc::stat, i32> {
    let mut st: libc::stat = zeroed();
    // SAFETY: `st` is a valid out-pointer; the path is NUL-terminated.
    let r = unsafe {
        match p.fd {
            Some(fd) => libc::fstat(fd, &mut st),
            None => libc::fstatat(
                dfd,
                p.c.as_ptr(),
                &mut st,
                if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW },
            ),
        }
    };
    if r != 0 { Err(errno()) } else { Ok(st) }
}

pub fn stat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "stat", a, &["path", "dir_fd", "follow_symlinks"], 1, 1)?;
    let p = path(vm, "stat", b[0].unwrap_or(&Value::NULL), true, false)?;
    let dfd = dir_fd(vm, b[1])?;
    let follow = args::flag(vm, b[2], true)?;
    match do_stat(&p, dfd, follow) {
        Ok(st) => stat_value(vm, &st),
        Err(e) => Err(from_errno(vm, e, Some(p.obj), None)),
    }
}

pub fn lstat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "lstat", a, &["path", "dir_fd"], 1, 1)?;
    let p = path(vm, "lstat", b[0].unwrap_or(&Value::NULL), false, false)?;
    let dfd = dir_fd(vm, b[1])?;
    match do_stat(&p, dfd, false) {
        Ok(st) => stat_value(vm, &st),
        Err(e) => Err(from_errno(vm, e, Some(p.obj), None)),
    }
}

pub fn fstat(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "fstat", a, &["fd"], 1, 1)?;
    let fd = args::c_int(vm, b[0].unwrap_or(&Value::NULL))?;
    let mut st: libc::stat = zeroed();
    // SAFETY: valid out-pointer.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return Err(os_err(vm));
    }
    stat_value(vm, &st)
}

/// Runs a path call `f(dir_fd, path, flags)`; the OSError names the path.
fn path_call(
    vm: &mut Vm,
    p: &PathArg,
    f: impl FnOnce(*const libc::c_char) -> libc::c_int,
) -> PyResult<Value> {
    if f(p.c.as_ptr()) != 0 {
        return Err(p.error(vm));
    }
    Ok(Value::none())
}

pub fn access(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(
        vm,
        "access",
        a,
        &["path", "mode", "dir_fd", "effective_ids", "follow_symlinks"],
        2,
        2,
    )?;
    let p = path(vm, "access", b[0].unwrap_or(&Value::NULL), false, false)?;
    let mode = args::c_int(vm, b[1].unwrap_or(&Value::NULL))?;
    let dfd = dir_fd(vm, b[2])?;
    let mut flags = 0;
    if args::flag(vm, b[3], false)? {
        flags |= libc::AT_EACCESS;
    }
    if !args::flag(vm, b[4], true)? {
        flags |= libc::AT_SYMLINK_NOFOLLOW;
    }
    // SAFETY: NUL-terminated path.
    let r = unsafe { libc::faccessat(dfd, p.c.as_ptr(), mode, flags) };
    Ok(Value::bool(r == 0))
}

pub fn chdir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "chdir", a, &["path"], 1, 1)?;
    let p = path(vm, "chdir", b[0].unwrap_or(&Value::NULL), true, false)?;
    if let Some(fd) = p.fd {
        // SAFETY: plain syscall.
        if unsafe { libc::fchdir(fd) } != 0 {
            return Err(p.error(vm));
        }
        return Ok(Value::none());
    }
    // SAFETY: NUL-terminated path.
    path_call(vm, &p, |c| unsafe { libc::chdir(c) })
}

pub fn fchdir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "fchdir", a, &["fd"], 1, 1)?;
    let fd = args::c_int(vm, b[0].unwrap_or(&Value::NULL))?;
    // SAFETY: plain syscall.
    if unsafe { libc::fchdir(fd) } != 0 {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

pub fn chmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(
        vm,
        "chmod",
        a,
        &["path", "mode", "dir_fd", "follow_symlinks"],
        2,
        2,
    )?;
    let p = path(vm, "chmod", b[0].unwrap_or(&Value::NULL), true, false)?;
    let mode = args::c_int(vm, b[1].unwrap_or(&Value::NULL))? as libc::mode_t;
    let dfd = dir_fd(vm, b[2])?;
    let follow = args::flag(vm, b[3], true)?;
    if let Some(fd) = p.fd {
        // SAFETY: plain syscall.
        if unsafe { libc::fchmod(fd, mode) } != 0 {
            return Err(p.error(vm));
        }
        return Ok(Value::none());
    }
    if !follow {
        return Err(vm.err(
            crate::world::types().not_implemented_error,
            "chmod: follow_symlinks unavailable on this platform",
        ));
    }
    // SAFETY: NUL-terminated path.
    path_call(vm, &p, |c| unsafe { libc::fchmodat(dfd, c, mode, 0) })
}

pub fn fchmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "fchmod", a, &["fd", "mode"], 2, 2)?;
    let fd = args::c_int(vm, b[0].unwrap_or(&Value::NULL))?;
    let mode = args::c_int(vm, b[1].unwrap_or(&Value::NULL))? as libc::mode_t;
    // SAFETY: plain syscall.
    if unsafe { libc::fchmod(fd, mode) } != 0 {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

fn chown_impl(vm: &mut Vm, a: &Args, name: &str, nofollow: bool) -> PyResult<Value> {
    let b = args::bind(
        vm,
        name,
        a,
        &["path", "uid", "gid", "dir_fd", "follow_symlinks"],
        3,
        3,
    )?;
    let p = path(
        vm,
        name,
        b[0].unwrap_or(&Value::NULL),
        name == "chown",
        false,
    )?;
    let uid = args::int(vm, b[1].unwrap_or(&Value::NULL))? as libc::uid_t;
    let gid = args::int(vm, b[2].unwrap_or(&Value::NULL))? as libc::gid_t;
    let dfd = dir_fd(vm, b[3])?;
    let follow = !nofollow && args::flag(vm, b[4], true)?;
    if let Some(fd) = p.fd {
        // SAFETY: plain syscall.
        if unsafe { libc::fchown(fd, uid, gid) } != 0 {
            return Err(p.error(vm));
        }
        return Ok(Value::none());
    }
    let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
    // SAFETY: NUL-terminated path.
    path_call(vm, &p, |c| unsafe {
        libc::fchownat(dfd, c, uid, gid, flags)
    })
}

pub fn chown(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    chown_impl(vm, a, "chown", false)
}

pub fn lchown(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    chown_impl(vm, a, "lchown", true)
}

pub fn fchown(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "fchown", a, &["fd", "uid", "gid"], 3, 3)?;
    let fd = args::c_int(vm, b[0].unwrap_or(&Value::NULL))?;
    let uid = args::int(vm, b[1].unwrap_or(&Value::NULL))? as libc::uid_t;
    let gid = args::int(vm, b[2].unwrap_or(&Value::NULL))? as libc::gid_t;
    // SAFETY: plain syscall.
    if unsafe { libc::fchown(fd, uid, gid) } != 0 {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

fn cwd_bytes(vm: &mut Vm) -> PyResult<Vec<u8>> {
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: buf has buf.len() writable bytes.
        let r = unsafe { libc::getcwd(buf.as_mut_ptr().cast(), buf.len()) };
        if !r.is_null() {
            // SAFETY: getcwd wrote a NUL-terminated string into buf.
            let s = unsafe { CStr::from_ptr(r) };
            return Ok(s.to_bytes().to_vec());
        }
        if errno() != libc::ERANGE {
            return Err(os_err(vm));
        }
        let n = buf.len() * 2;
        buf.resize(n, 0);
    }
}

pub fn getcwd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.getcwd", a)?;
    Ok(name_value(&cwd_bytes(vm)?, false))
}

pub fn getcwdb(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.getcwdb", a)?;
    Ok(name_value(&cwd_bytes(vm)?, true))
}

pub fn link(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(
        vm,
        "link",
        a,
        &["src", "dst", "src_dir_fd", "dst_dir_fd", "follow_symlinks"],
        2,
        2,
    )?;
    let src = path(vm, "link", b[0].unwrap_or(&Value::NULL), false, false)?;
    let dst = path(vm, "link", b[1].unwrap_or(&Value::NULL), false, false)?;
    let sfd = dir_fd(vm, b[2])?;
    let dfd = dir_fd(vm, b[3])?;
    let flags = if args::flag(vm, b[4], true)? {
        libc::AT_SYMLINK_FOLLOW
    } else {
        0
    };
    // SAFETY: NUL-terminated paths.
    let r = unsafe { libc::linkat(sfd, src.c.as_ptr(), dfd, dst.c.as_ptr(), flags) };
    if r != 0 {
        return Err(from_errno(vm, errno(), Some(src.obj), Some(dst.obj)));
    }
    Ok(Value::none())
}

/// The names in an open directory stream (without `.` and `..`), closing it.
pub(super) fn read_dir_names(dir: *mut libc::DIR) -> Result<Vec<(Vec<u8>, u8, u64)>, i32> {
    let mut out = Vec::new();
    loop {
        // SAFETY: errno is thread-local; clearing it tells end-of-stream from error.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: `dir` is an open directory stream.
        let ent = unsafe { libc::readdir(dir) };
        if ent.is_null() {
            let e = errno();
            // SAFETY: `dir` is open; closed exactly once here.
            unsafe { libc::closedir(dir) };
            return if e != 0 { Err(e) } else { Ok(out) };
        }
        // SAFETY: readdir returned a valid entry whose d_name is NUL-terminated.
        let (name, kind, ino) = unsafe {
            let e = &*ent;
            (
                CStr::from_ptr(e.d_name.as_ptr()).to_bytes().to_vec(),
                e.d_type,
                e.d_ino,
            )
        };
        if name == b"." || name == b".." {
            continue;
        }
        out.push((name, kind, ino));
    }
}

/// Opens a directory for reading: by path, or a duplicate of `fd` (rewound).
pub(super) fn open_dir(p: &PathArg) -> Result<*mut libc::DIR, i32> {
    // SAFETY: plain libc calls on a NUL-terminated path or a descriptor we own.
    unsafe {
        let dir = match p.fd {
            Some(fd) => {
                let d = libc::dup(fd);
                if d < 0 {
                    return Err(errno());
                }
                let dir = libc::fdopendir(d);
                if dir.is_null() {
                    let e = errno();
                    libc::close(d);
                    return Err(e);
                }
                libc::rewinddir(dir);
                dir
            }
            None => libc::opendir(p.c.as_ptr()),
        };
        if dir.is_null() { Err(errno()) } else { Ok(dir) }
    }
}

pub fn listdir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "listdir", a, &["path"], 1, 0)?;
    let arg = b[0].cloned().unwrap_or_else(Value::none);
    let p = path(vm, "listdir", &arg, true, true)?;
    let names = open_dir(&p).and_then(read_dir_names);
    match names {
        Ok(names) => Ok(ListObj::new_value(
            names
                .iter()
                .map(|(n, _, _)| name_value(n, p.bytes))
                .collect(),
        )),
        Err(e) => Err(from_errno(vm, e, Some(p.obj), None)),
    }
}

pub fn mkdir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "mkdir", a, &["path", "mode", "dir_fd"], 2, 1)?;
    let p = path(vm, "mkdir", b[0].unwrap_or(&Value::NULL), false, false)?;
    let mode = match b[1] {
        Some(m) => args::c_int(vm, m)?,
        None => 0o777,
    };
    let dfd = dir_fd(vm, b[2])?;
    // SAFETY: NUL-terminated path.
    path_call(vm, &p, |c| unsafe {
        libc::mkdirat(dfd, c, mode as libc::mode_t)
    })
}

pub fn mkfifo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "mkfifo", a, &["path", "mode", "dir_fd"], 2, 1)?;
    let p = path(vm, "mkfifo", b[0].unwrap_or(&Value::NULL), false, false)?;
    let mode = match b[1] {
        Some(m) => args::c_int(vm, m)?,
        None => 0o666,
    };
    let dfd = dir_fd(vm, b[2])?;
    // SAFETY: NUL-terminated path.
    path_call(vm, &p, |c| unsafe {
        libc::mkfifoat(dfd, c, mode as libc::mode_t)
    })
}

pub fn readlink(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "readlink", a, &["path", "dir_fd"], 1, 1)?;
    let p = path(vm, "readlink", b[0].unwrap_or(&Value::NULL), false, false)?;
    let dfd = dir_fd(vm, b[1])?;
    let mut buf = vec![0u8; 4096];
    loop {
        // SAFETY: buf has buf.len() writable bytes; NUL-terminated path.
        let n = unsafe { libc::readlinkat(dfd, p.c.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(p.error(vm));
        }
        if (n as usize) < buf.len() {
            buf.truncate(n as usize);
            return Ok(name_value(&buf, p.bytes));
        }
        let n = buf.len() * 2;
        buf.resize(n, 0);
    }
}

fn rename_impl(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    let b = args::bind(
        vm,
        name,
        a,
        &["src", "dst", "src_dir_fd", "dst_dir_fd"],
        2,
        2,
    )?;
    let src = path(vm, name, b[0].unwrap_or(&Value::NULL), false, false)?;
    let dst = path(vm, name, b[1].unwrap_or(&Value::NULL), false, false)?;
    let sfd = dir_fd(vm, b[2])?;
    let dfd = dir_fd(vm, b[3])?;
    // SAFETY: NUL-terminated paths.
    let r = unsafe { libc::renameat(sfd, src.c.as_ptr(), dfd, dst.c.as_ptr()) };
    if r != 0 {
        return Err(from_errno(vm, errno(), Some(src.obj), Some(dst.obj)));
    }
    Ok(Value::none())
}

pub fn rename(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    rename_impl(vm, a, "rename")
}

pub fn replace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    rename_impl(vm, a, "replace")
}

pub fn rmdir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "rmdir", a, &["path", "dir_fd"], 1, 1)?;
    let p = path(vm, "rmdir", b[0].unwrap_or(&Value::NULL), false, false)?;
    let dfd = dir_fd(vm, b[1])?;
    // SAFETY: NUL-terminated path.
    path_call(vm, &p, |c| unsafe {
        libc::unlinkat(dfd, c, libc::AT_REMOVEDIR)
    })
}

pub fn symlink(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(
        vm,
        "symlink",
        a,
        &["src", "dst", "target_is_directory", "dir_fd"],
        3,
        2,
    )?;
    let src = path(vm, "symlink", b[0].unwrap_or(&Value::NULL), false, false)?;
    let dst = path(vm, "symlink", b[1].unwrap_or(&Value::NULL), false, false)?;
    let dfd = dir_fd(vm, b[3])?;
    // SAFETY: NUL-terminated paths.
    let r = unsafe { libc::symlinkat(src.c.as_ptr(), dfd, dst.c.as_ptr()) };
    if r != 0 {
        return Err(from_errno(vm, errno(), Some(src.obj), Some(dst.obj)));
    }
    Ok(Value::none())
}

fn unlink_impl(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    let b = args::bind(vm, name, a, &["path", "dir_fd"], 1, 1)?;
    let p = path(vm, name, b[0].unwrap_or(&Value::NULL), false, false)?;
    let dfd = dir_fd(vm, b[1])?;
    // SAFETY: NUL-terminated path.
    path_call(vm, &p, |c| unsafe { libc::unlinkat(dfd, c, 0) })
}

pub fn unlink(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unlink_impl(vm, a, "unlink")
}

pub fn remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unlink_impl(vm, a, "remove")
}

/// A (seconds, nanoseconds) time from an int or float, as CPython rounds them.
fn timespec_of(vm: &mut Vm, v: &Value) -> PyResult<libc::timespec> {
    let mut ts: libc::timespec = zeroed();
    if let Some(f) = v.as_float() {
        let s = f.floor();
        let mut ns = ((f - s) * 1e9).round();
        let mut s = s as i64;
        if ns >= 1e9 {
            s += 1;
            ns -= 1e9;
        }
        ts.tv_sec = s;
        ts.tv_nsec = ns as i64;
    } else {
        ts.tv_sec = args::int(vm, v)?;
    }
    Ok(ts)
}

pub fn utime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(
        vm,
        "utime",
        a,
        &["path", "times", "ns", "dir_fd", "follow_symlinks"],
        2,
        1,
    )?;
    let p = path(vm, "utime", b[0].unwrap_or(&Value::NULL), true, false)?;
    let times = b[1].filter(|t| !t.is_none());
    let ns = b[2];
    let dfd = dir_fd(vm, b[3])?;
    let follow = args::flag(vm, b[4], true)?;
    let mut ts: [libc::timespec; 2] = [zeroed(), zeroed()];
    let now = times.is_none() && ns.is_none();
    if times.is_some() && ns.is_some() {
        return Err(vm.value_error("utime: you may specify either 'times' or 'ns' but not both"));
    }
    if let Some(t) = times {
        let items = crate::ops::seq_items_fast(t)
            .filter(|i| i.len() == 2 && t.downcast::<crate::types::tuple::TupleObj>().is_some());
        let Some(items) = items else {
            return Err(vm.type_error("utime: 'times' must be either a tuple of two ints or None"));
        };
        ts[0] = timespec_of(vm, &items[0])?;
        ts[1] = timespec_of(vm, &items[1])?;
    } else if let Some(n) = ns {
        let items = crate::ops::seq_items_fast(n)
            .filter(|i| i.len() == 2 && n.downcast::<crate::types::tuple::TupleObj>().is_some());
        let Some(items) = items else {
            return Err(vm.type_error("utime: 'ns' must be a tuple of two ints"));
        };
        for (i, v) in items.iter().enumerate() {
            let Some(x) = crate::types::int::as_int(v).map(|x| x.to_big()) else {
                return Err(vm.type_error("utime: 'ns' must be a tuple of two ints"));
            };
            let g = BigInt::from(1_000_000_000);
            let s = num_integer::Integer::div_floor(&x, &g);
            let r = x - &s * &g;
            ts[i].tv_sec = num_traits::ToPrimitive::to_i64(&s).unwrap_or(0);
            ts[i].tv_nsec = num_traits::ToPrimitive::to_i64(&r).unwrap_or(0);
        }
    }
    // SAFETY: `ts` is two valid timespecs (or NULL for now); NUL-terminated path.
    let r = unsafe {
        let tp = if now { std::ptr::null() } else { ts.as_ptr() };
        match p.fd {
            Some(fd) => libc::futimens(fd, tp),
            None => libc::utimensat(
                dfd,
                p.c.as_ptr(),
                tp,
                if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW },
            ),
        }
    };
    if r != 0 {
        return Err(p.error(vm));
    }
    Ok(Value::none())
}

pub fn truncate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "truncate", a, &["path", "length"], 2, 2)?;
    let p = path(vm, "truncate", b[0].unwrap_or(&Value::NULL), true, false)?;
    let len = args::int(vm, b[1].unwrap_or(&Value::NULL))?;
    // SAFETY: plain syscalls; NUL-terminated path.
    let r = unsafe {
        match p.fd {
            Some(fd) => libc::ftruncate(fd, len),
            None => libc::truncate(p.c.as_ptr(), len),
        }
    };
    if r != 0 {
        return Err(p.error(vm));
    }
    Ok(Value::none())
}

fn statvfs_value(vm: &mut Vm, s: &libc::statvfs) -> PyResult<Value> {
    let v = |x: u64| Value::bigint(BigInt::from(x));
    let values = vec![
        v(s.f_bsize),
        v(s.f_frsize),
        v(s.f_blocks),
        v(s.f_bfree),
        v(s.f_bavail),
        v(s.f_files),
        v(s.f_ffree),
        v(s.f_favail),
        v(s.f_flag),
        v(s.f_namemax),
        v(s.f_fsid),
    ];
    structseq::new(vm, &ty(|t| t.statvfs_result), values)
}

pub fn statvfs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "statvfs", a, &["path"], 1, 1)?;
    let p = path(vm, "statvfs", b[0].unwrap_or(&Value::NULL), true, false)?;
    let mut s: libc::statvfs = zeroed();
    // SAFETY: valid out-pointer; NUL-terminated path.
    let r = unsafe {
        match p.fd {
            Some(fd) => libc::fstatvfs(fd, &mut s),
            None => libc::statvfs(p.c.as_ptr(), &mut s),
        }
    };
    if r != 0 {
        return Err(p.error(vm));
    }
    statvfs_value(vm, &s)
}

pub fn fstatvfs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "fstatvfs", a, 1, 1)?;
    let fd = args::c_int(vm, &p[0])?;
    let mut s: libc::statvfs = zeroed();
    // SAFETY: valid out-pointer.
    if unsafe { libc::fstatvfs(fd, &mut s) } != 0 {
        return Err(os_err(vm));
    }
    statvfs_value(vm, &s)
}

pub fn fspath(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "fspath", a, &["path"], 1, 1)?;
    let v = b[0].cloned().unwrap_or(Value::NULL);
    let v = &v;
    match super::path::fspath(vm, v)? {
        Some(p) => Ok(p),
        None => {
            let tn = crate::builtins::type_name(v);
            Err(vm.type_error(format!(
                "expected str, bytes or os.PathLike object, not {tn}"
            )))
        }
    }
}

pub fn umask(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let m = args::one(vm, "posix.umask", a)?;
    let m = args::c_int(vm, m)?;
    // SAFETY: plain syscall.
    let old = unsafe { libc::umask(m as libc::mode_t) };
    Ok(Value::int(old as i64))
}

pub fn sync(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.sync", a)?;
    // SAFETY: plain syscall.
    unsafe { libc::sync() };
    Ok(Value::none())
}
