//! `_posixsubprocess.fork_exec`: the child half of `subprocess.Popen` on POSIX, with
//! CPython 3.11's 23-argument signature. Everything the child needs (argv, envp,
//! executable paths, descriptors) is converted before `fork`, so the child only makes
//! async-signal-safe calls (dup2, close, chdir, exec, write, _exit) and never touches
//! the allocator or Python objects; that makes forking safe with other threads
//! running. A failure in the child is reported on the error pipe as CPython's child
//! does (`OSError:<hex errno>:<noexec|>`), which subprocess.py decodes.
//! `preexec_fn` runs Python code in the child, which is only allowed while the
//! program has one thread.
use std::ffi::CString;

use super::args;
use super::posix::path::path;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    Ok(args::module(
        "_posixsubprocess",
        &[("fork_exec", fork_exec)],
    ))
}

/// A sequence of path-like items as C strings (None: absent).
fn c_strings(vm: &mut Vm, v: &Value, what: &str) -> PyResult<Option<Vec<CString>>> {
    if v.is_none() {
        return Ok(None);
    }
    let items = crate::ops::collect(vm, v)?;
    let mut out = Vec::with_capacity(items.len());
    for it in &items {
        let p = path(vm, what, it, false, false)?;
        out.push(p.c);
    }
    Ok(Some(out))
}

fn ptrs(v: &[CString]) -> Vec<*const libc::c_char> {
    v.iter()
        .map(|c| c.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

/// Everything the child uses, prepared in the parent.
struct Plan {
    argv: Vec<*const libc::c_char>,
    envp: Option<Vec<*const libc::c_char>>,
    exes: Vec<CString>,
    cwd: Option<CString>,
    close_fds: bool,
    keep: Vec<libc::c_int>,
    p2cread: libc::c_int,
    p2cwrite: libc::c_int,
    c2pread: libc::c_int,
    c2pwrite: libc::c_int,
    errread: libc::c_int,
    errwrite: libc::c_int,
    errpipe_read: libc::c_int,
    errpipe_write: libc::c_int,
    restore_signals: bool,
    setsid: bool,
    pgid: libc::pid_t,
    gid: Option<libc::gid_t>,
    groups: Option<Vec<libc::gid_t>>,
    uid: Option<libc::uid_t>,
    umask: libc::c_int,
    max_fd: libc::c_int,
}

fn opt_id(vm: &mut Vm, v: &Value) -> PyResult<Option<u32>> {
    if v.is_none() {
        return Ok(None);
    }
    Ok(Some(args::int(vm, v)? as u32))
}

fn fork_exec(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "fork_exec", a, 23, 23)?;
    let argv_s = c_strings(vm, &p[0], "fork_exec")?.unwrap_or_default();
    let exes = c_strings(vm, &p[1], "fork_exec")?.unwrap_or_default();
    let close_fds = crate::ops::truthy(vm, &p[2])?;
    let keep_items = crate::ops::collect(vm, &p[3])?;
    let mut keep = Vec::with_capacity(keep_items.len());
    for k in &keep_items {
        let fd = args::c_int(vm, k)?;
        if fd < 0 || keep.last().is_some_and(|&l| l >= fd) {
            return Err(vm.value_error("bad value(s) in fds_to_keep"));
        }
        keep.push(fd);
    }
    let cwd = if p[4].is_none() {
        None
    } else {
        Some(path(vm, "fork_exec", &p[4], false, false)?.c)
    };
    let env_s = c_strings(vm, &p[5], "fork_exec")?;
    let mut fds = [0 as libc::c_int; 8];
    for (i, slot) in fds.iter_mut().enumerate() {
        *slot = args::c_int(vm, &p[6 + i])?;
    }
    let restore_signals = crate::ops::truthy(vm, &p[14])?;
    let setsid = crate::ops::truthy(vm, &p[15])?;
    let pgid = args::c_int(vm, &p[16])?;
    let gid = opt_id(vm, &p[17])?;
    let groups = if p[18].is_none() {
        None
    } else {
        let items = crate::ops::collect(vm, &p[18])?;
        let mut g = Vec::with_capacity(items.len());
        for it in &items {
            g.push(args::int(vm, it)? as libc::gid_t);
        }
        Some(g)
    };
    let uid = opt_id(vm, &p[19])?;
    let umask = args::c_int(vm, &p[20])?;
    let preexec = (!p[21].is_none()).then(|| p[21].clone());
    if preexec.is_some() && crate::thread_state::REGISTRY.count() > 1 {
        return Err(vm.runtime_error(
            "preexec_fn is not supported by stitch while other threads are running",
        ));
    }
    // SAFETY: plain query.
    let max_fd = unsafe { libc::sysconf(libc::_SC_OPEN_MAX) }.clamp(256, 1 << 20) as libc::c_int;
    let plan = Plan {
        argv: ptrs(&argv_s),
        envp: env_s.as_ref().map(|e| ptrs(e)),
        exes,
        cwd,
        close_fds,
        keep,
        p2cread: fds[0],
        p2cwrite: fds[1],
        c2pread: fds[2],
        c2pwrite: fds[3],
        errread: fds[4],
        errwrite: fds[5],
        errpipe_read: fds[6],
        errpipe_write: fds[7],
        restore_signals,
        setsid,
        pgid,
        gid,
        groups,
        uid,
        umask,
        max_fd,
    };
    vm.flush_stdout();
    // SAFETY: the child runs only `child` (async-signal-safe calls on prepared data)
    // and, with preexec_fn, Python code while the program is single-threaded.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(super::posix::path::os_err(vm));
    }
    if pid == 0 {
        if let Some(f) = &preexec {
            // Descriptor setup first would match CPython more closely; the hook is
            // usually about process attributes (session, limits, signals).
            if vm.call(f, &[]).is_err() {
                report(
                    plan.errpipe_write,
                    "SubprocessError",
                    0,
                    "Exception occurred in preexec_fn.",
                );
                // SAFETY: leaving the child without running destructors.
                unsafe { libc::_exit(255) };
            }
        }
        // SAFETY: in the forked child.
        unsafe { child(&plan) };
    }
    drop(argv_s);
    Ok(Value::int(pid as i64))
}

/// Writes `name:hex(errno):msg` to the error pipe without allocating.
fn report(fd: libc::c_int, name: &str, errno: i32, msg: &str) {
    let mut buf = [0u8; 128];
    let mut n = 0;
    let mut put = |b: &[u8]| {
        for &c in b {
            if n < buf.len() {
                buf[n] = c;
                n += 1;
            }
        }
    };
    put(name.as_bytes());
    put(b":");
    let mut hex = [0u8; 8];
    let mut k = 0;
    let mut e = errno as u32;
    loop {
        hex[k] = b"0123456789abcdef"[(e & 15) as usize];
        k += 1;
        e >>= 4;
        if e == 0 {
            break;
        }
    }
    hex[..k].reverse();
    put(&hex[..k]);
    put(b":");
    put(msg.as_bytes());
    // SAFETY: writing a stack buffer to the error pipe.
    unsafe { libc::write(fd, buf.as_ptr().cast(), n) };
}

fn errno() -> i32 {
    // SAFETY: errno is thread-local.
    unsafe { *libc::__errno_location() }
}

/// The child after fork: set up descriptors and process state, then exec.
///
/// # Safety
/// Must run only in a freshly forked child; never returns.
unsafe fn child(p: &Plan) -> ! {
    // SAFETY: every call below is async-signal-safe and uses data prepared before fork.
    unsafe {
        // errpipe_write is among the kept descriptors but must stay close-on-exec (as
        // in CPython's make_inheritable): the parent reads it to EOF to learn that exec
        // succeeded, so an inherited copy would block the parent until the child ends.
        for &fd in p.keep.iter().filter(|&&fd| fd != p.errpipe_write) {
            let flags = libc::fcntl(fd, libc::F_GETFD);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC);
            }
        }
        for fd in [p.p2cwrite, p.c2pread, p.errread, p.errpipe_read] {
            if fd != -1 {
                libc::close(fd);
            }
        }
        let mut c2pwrite = p.c2pwrite;
        let mut errwrite = p.errwrite;
        // Descriptors about to be replaced by dup2 must not be the sources of later
        // dup2 calls: move low ones out of the way first.
        if c2pwrite == 0 {
            c2pwrite = libc::dup(c2pwrite);
        }
        while errwrite == 0 || errwrite == 1 {
            errwrite = libc::dup(errwrite);
        }
        let dup_to = |src: libc::c_int, dst: libc::c_int| -> bool {
            if src == dst {
                let flags = libc::fcntl(src, libc::F_GETFD);
                flags >= 0 && libc::fcntl(src, libc::F_SETFD, flags & !libc::FD_CLOEXEC) == 0
            } else if src != -1 {
                libc::dup2(src, dst) >= 0
            } else {
                true
            }
        };
        if !dup_to(p.p2cread, 0) || !dup_to(c2pwrite, 1) || !dup_to(errwrite, 2) {
            fail(p, "noexec");
        }
        if let Some(cwd) = &p.cwd
            && libc::chdir(cwd.as_ptr()) != 0
        {
            fail(p, "noexec");
        }
        if p.umask >= 0 {
            libc::umask(p.umask as libc::mode_t);
        }
        if p.restore_signals {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
        }
        // The parent's Python-level handlers do not apply in the new program.
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        if p.setsid && libc::setsid() < 0 {
            fail(p, "noexec");
        }
        if p.pgid >= 0 && libc::setpgid(0, p.pgid) < 0 {
            fail(p, "noexec");
        }
        if let Some(g) = &p.groups
            && libc::setgroups(g.len(), g.as_ptr()) < 0
        {
            fail(p, "noexec");
        }
        if let Some(gid) = p.gid
            && libc::setregid(gid, gid) < 0
        {
            fail(p, "noexec");
        }
        if let Some(uid) = p.uid
            && libc::setreuid(uid, uid) < 0
        {
            fail(p, "noexec");
        }
        if p.close_fds {
            let mut lo = 3;
            for &k in &p.keep {
                if k >= lo {
                    close_range(lo, k - 1, p.max_fd);
                    lo = k + 1;
                }
            }
            close_range(lo, libc::c_int::MAX, p.max_fd);
        }
        crate::process::before_exec();
        let mut saved = 0;
        for exe in &p.exes {
            match &p.envp {
                Some(env) => libc::execve(exe.as_ptr(), p.argv.as_ptr(), env.as_ptr()),
                None => libc::execv(exe.as_ptr(), p.argv.as_ptr()),
            };
            let e = errno();
            if e != libc::ENOENT && e != libc::ENOTDIR && saved == 0 {
                saved = e;
            }
        }
        if saved != 0 {
            *libc::__errno_location() = saved;
        }
        report(p.errpipe_write, "OSError", errno(), "");
        libc::_exit(255)
    }
}

/// Closes descriptors `lo..=hi` (close_range(2), or one by one below `max_fd`).
///
/// # Safety
/// Only in the forked child: closes descriptors others may be using.
unsafe fn close_range(lo: libc::c_int, hi: libc::c_int, max_fd: libc::c_int) {
    if lo > hi {
        return;
    }
    // SAFETY: plain syscalls on descriptors of this (child) process.
    unsafe {
        if libc::syscall(libc::SYS_close_range, lo as u32, hi as u32, 0u32) == 0 {
            return;
        }
        for fd in lo..=hi.min(max_fd) {
            libc::close(fd);
        }
    }
}

/// Reports a failure before exec and ends the child.
fn fail(p: &Plan, what: &str) -> ! {
    report(p.errpipe_write, "OSError", errno(), what);
    // SAFETY: leaving the child without running destructors.
    unsafe { libc::_exit(255) }
}
