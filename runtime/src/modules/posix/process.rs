//! Processes, users and system information of `posix`: ids, signals to processes,
//! wait statuses, fork/exec, the environment, times, uname, sysconf, random bytes.
use std::ffi::{CStr, CString};

use parking_lot::Mutex;

use super::fs::zeroed;
use super::path::{errno, os_err, path};
use super::{args, structseq, ty};
use crate::types::bytes::{BytesObj, as_bytes};
use crate::types::list::ListObj;
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

macro_rules! id_fns {
    ($($f:ident => $q:literal, $call:expr;)*) => {
        $(pub fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            args::none(vm, $q, a)?;
            // SAFETY: these id queries cannot fail.
            Ok(Value::int(unsafe { $call } as i64))
        })*
    };
}

id_fns! {
    getpid => "posix.getpid", libc::getpid();
    getppid => "posix.getppid", libc::getppid();
    getuid => "posix.getuid", libc::getuid();
    geteuid => "posix.geteuid", libc::geteuid();
    getgid => "posix.getgid", libc::getgid();
    getegid => "posix.getegid", libc::getegid();
    getpgrp => "posix.getpgrp", libc::getpgrp();
}

fn pid_call(
    vm: &mut Vm,
    a: &Args,
    name: &str,
    f: unsafe extern "C" fn(libc::pid_t) -> libc::pid_t,
) -> PyResult<Value> {
    let p = args::positional(vm, name, a, 1, 1)?;
    let pid = args::c_int(vm, &p[0])?;
    // SAFETY: plain syscall.
    let r = unsafe { f(pid) };
    if r < 0 {
        return Err(os_err(vm));
    }
    Ok(Value::int(r as i64))
}

pub fn getpgid(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pid_call(vm, a, "getpgid", libc::getpgid)
}

pub fn getsid(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pid_call(vm, a, "getsid", libc::getsid)
}

pub fn setsid(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.setsid", a)?;
    // SAFETY: plain syscall.
    if unsafe { libc::setsid() } < 0 {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

pub fn getgroups(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.getgroups", a)?;
    // SAFETY: a NULL buffer with size 0 asks for the count.
    let n = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    if n < 0 {
        return Err(os_err(vm));
    }
    let mut g = vec![0 as libc::gid_t; n as usize];
    // SAFETY: g has n slots.
    let n = unsafe { libc::getgroups(n, g.as_mut_ptr()) };
    if n < 0 {
        return Err(os_err(vm));
    }
    g.truncate(n as usize);
    Ok(ListObj::new_value(
        g.into_iter().map(|x| Value::int(x as i64)).collect(),
    ))
}

pub fn getlogin(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.getlogin", a)?;
    // SAFETY: getlogin returns NULL or a NUL-terminated static string.
    let p = unsafe { libc::getlogin() };
    if p.is_null() {
        return Err(os_err(vm));
    }
    // SAFETY: non-NULL result of getlogin.
    let s = unsafe { CStr::from_ptr(p) };
    Ok(new_string(s.to_string_lossy().into_owned()))
}

pub fn kill(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::exactly(vm, "kill", a, 2)?;
    let pid = args::c_int(vm, &p[0])?;
    let sig = args::c_int(vm, &p[1])?;
    vm.flush_stdout();
    // SAFETY: plain syscall.
    if unsafe { libc::kill(pid, sig) } != 0 {
        return Err(os_err(vm));
    }
    // A signal sent to this process is handled before kill returns, as in CPython.
    crate::modules::signal::run_pending(vm)?;
    Ok(Value::none())
}

pub fn killpg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "killpg", a, 2, 2)?;
    let pg = args::c_int(vm, &p[0])?;
    let sig = args::c_int(vm, &p[1])?;
    // SAFETY: plain syscall.
    if unsafe { libc::killpg(pg, sig) } != 0 {
        return Err(os_err(vm));
    }
    Ok(Value::none())
}

pub fn waitpid(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "waitpid", a, 2, 2)?;
    let pid = args::c_int(vm, &p[0])?;
    let options = args::c_int(vm, &p[1])?;
    let mut status: libc::c_int = 0;
    let sp = &mut status as *mut libc::c_int as usize;
    // SAFETY: `status` outlives the call.
    let r = super::fd::retry(vm, || unsafe {
        libc::waitpid(pid, sp as *mut libc::c_int, options) as isize
    })?;
    Ok(TupleObj::from_items([
        Value::int(r as i64),
        Value::int(status as i64),
    ]))
}

pub fn wait(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.wait", a)?;
    let mut status: libc::c_int = 0;
    let sp = &mut status as *mut libc::c_int as usize;
    // SAFETY: `status` outlives the call.
    let r = super::fd::retry(vm, || unsafe {
        libc::wait(sp as *mut libc::c_int) as isize
    })?;
    Ok(TupleObj::from_items([
        Value::int(r as i64),
        Value::int(status as i64),
    ]))
}

pub fn waitstatus_to_exitcode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "waitstatus_to_exitcode", a, &["status"], 1, 1)?;
    let s = args::c_int(vm, b[0].unwrap_or(&Value::NULL))?;
    if libc::WIFEXITED(s) {
        return Ok(Value::int(libc::WEXITSTATUS(s) as i64));
    }
    if libc::WIFSIGNALED(s) {
        return Ok(Value::int(-(libc::WTERMSIG(s) as i64)));
    }
    if libc::WIFSTOPPED(s) {
        return Err(vm.value_error(format!(
            "process stopped by delivery of signal {}",
            libc::WSTOPSIG(s)
        )));
    }
    Err(vm.value_error(format!("invalid wait status: {s}")))
}

macro_rules! status_fns {
    ($($f:ident => $name:literal, $call:path, $conv:expr;)*) => {
        $(pub fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let b = args::bind(vm, $name, a, &["status"], 1, 1)?;
            let s = args::c_int(vm, b[0].unwrap_or(&Value::NULL))?;
            Ok($conv($call(s)))
        })*
    };
}

fn int_v(i: libc::c_int) -> Value {
    Value::int(i as i64)
}

status_fns! {
    wifexited => "WIFEXITED", libc::WIFEXITED, Value::bool;
    wexitstatus => "WEXITSTATUS", libc::WEXITSTATUS, int_v;
    wifsignaled => "WIFSIGNALED", libc::WIFSIGNALED, Value::bool;
    wtermsig => "WTERMSIG", libc::WTERMSIG, int_v;
    wifstopped => "WIFSTOPPED", libc::WIFSTOPPED, Value::bool;
    wstopsig => "WSTOPSIG", libc::WSTOPSIG, int_v;
    wifcontinued => "WIFCONTINUED", libc::WIFCONTINUED, Value::bool;
    wcoredump => "WCOREDUMP", libc::WCOREDUMP, Value::bool;
}

pub fn exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "_exit", a, &["status"], 1, 1)?;
    let code = args::c_int(vm, b[0].unwrap_or(&Value::NULL))?;
    vm.flush_stdout();
    // SAFETY: ends the process immediately, as os._exit does.
    unsafe { libc::_exit(code) }
}

pub fn abort(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.abort", a)?;
    vm.flush_stdout();
    std::process::abort()
}

/// Callables registered with `register_at_fork`: (before, after_in_parent,
/// after_in_child) lists, run in CPython's order (before: last registered first).
struct ForkHooks {
    before: Vec<Value>,
    parent: Vec<Value>,
    child: Vec<Value>,
}

// SAFETY: the values are callables that are only called, never mutated, from
// whichever thread forks; their counts are atomic for non-owners.
unsafe impl Send for ForkHooks {}

static FORK_HOOKS: Mutex<ForkHooks> = Mutex::new(ForkHooks {
    before: Vec::new(),
    parent: Vec::new(),
    child: Vec::new(),
});

/// Drops the registered callables (at interpreter shutdown, as CPython's finalization
/// does), so programs that register them still free every object.
pub fn clear_fork_hooks() {
    let old = {
        let mut h = FORK_HOOKS.lock();
        (
            std::mem::take(&mut h.before),
            std::mem::take(&mut h.parent),
            std::mem::take(&mut h.child),
        )
    };
    drop(old);
}

pub fn register_at_fork(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(
        vm,
        "register_at_fork",
        a,
        &["before", "after_in_child", "after_in_parent"],
        0,
        0,
    )?;
    if b.iter().all(|v| v.is_none()) {
        return Err(vm.type_error("At least one argument is required."));
    }
    for (v, what) in b
        .iter()
        .zip(["before", "after_in_child", "after_in_parent"])
    {
        if let Some(v) = v
            && !is_callable(v)
        {
            return Err(vm.type_error(format!(
                "'{what}' must be callable, not {}",
                crate::builtins::type_name(v)
            )));
        }
    }
    let mut hooks = FORK_HOOKS.lock();
    let keep = |v: &Value| v.clone();
    if let Some(v) = b[0] {
        hooks.before.push(keep(v));
    }
    if let Some(v) = b[1] {
        hooks.child.push(keep(v));
    }
    if let Some(v) = b[2] {
        hooks.parent.push(keep(v));
    }
    Ok(Value::none())
}

fn is_callable(v: &Value) -> bool {
    use crate::types::class::Kind;
    matches!(
        v.type_data().kind,
        Kind::Function | Kind::Builtin | Kind::Method | Kind::Type
    ) || v.type_data().lookup("__call__").is_some()
}

/// Runs fork hooks, reporting (not raising) their exceptions as CPython does.
fn run_hooks(vm: &mut Vm, hooks: Vec<Value>) {
    for h in hooks {
        if let Err(e) = vm.call(&h, &[]) {
            vm.flush_stdout();
            let text = crate::traceback::format_exception(vm, &e.exc);
            eprint!(
                "Exception ignored in: {}\n{text}",
                crate::ops::repr(vm, &h).unwrap_or_default()
            );
        }
    }
}

/// `os.fork()`. With other threads running, the world is stopped around the fork:
/// every other thread is parked at a safe point or detached in a blocking wait, so
/// none is inside the runtime's own state, and the child (where only the caller
/// exists, as in CPython) drops them from the registry. Python-level locks another
/// thread held stay held in the child, as in CPython (`threading` re-initializes its
/// own in its after-fork hook).
pub fn fork(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.fork", a)?;
    let (before, parent, child) = {
        let h = FORK_HOOKS.lock();
        let mut before = h.before.clone();
        before.reverse();
        (before, h.parent.clone(), h.child.clone())
    };
    run_hooks(vm, before);
    vm.flush_stdout();
    let fork_now = || {
        // SAFETY: other Python threads are parked or detached (see above) and hold no
        // runtime lock; the child only continues on this thread.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            crate::process::mark_forked_child();
            if crate::thread_state::is_multi_threaded() {
                crate::thread_state::after_fork_child();
            }
            crate::modules::signal::after_fork_child();
            crate::modules::thread::after_fork_child();
            crate::import::lock::after_fork_child();
        }
        pid
    };
    let pid = if crate::thread_state::REGISTRY.count() > 1 {
        crate::thread_state::stop_the_world(fork_now)
    } else {
        fork_now()
    };
    if pid < 0 {
        return Err(os_err(vm));
    }
    if pid == 0 {
        run_hooks(vm, child);
    } else {
        run_hooks(vm, parent);
    }
    Ok(Value::int(pid as i64))
}

/// A sequence of path-like arguments as C strings.
fn argv_of(vm: &mut Vm, fname: &str, v: &Value, what: &str) -> PyResult<Vec<CString>> {
    let is_seq = v.downcast::<TupleObj>().is_some() || v.downcast::<ListObj>().is_some();
    if !is_seq {
        return Err(vm.type_error(format!("{fname}() arg 2 must be a tuple or list")));
    }
    let items = crate::ops::collect(vm, v)?;
    let mut out = Vec::with_capacity(items.len());
    for it in &items {
        let p = path(vm, fname, it, false, false)?;
        out.push(p.c);
    }
    let _ = what;
    Ok(out)
}

fn env_of(vm: &mut Vm, env: &Value) -> PyResult<Vec<CString>> {
    let Some(keys) = crate::ops::getattr_opt(vm, env, "keys")? else {
        return Err(vm.type_error("env must be a mapping object"));
    };
    let keys = vm.call(&keys, &[])?;
    let keys = crate::ops::collect(vm, &keys)?;
    let mut out = Vec::new();
    for k in keys {
        let v = crate::ops::getitem(vm, env, &k)?;
        let kp = path(vm, "execve", &k, false, false)?;
        let vp = path(vm, "execve", &v, false, false)?;
        if kp.as_bytes().is_empty() || kp.as_bytes()[1..].contains(&b'=') {
            return Err(vm.value_error("illegal environment variable name"));
        }
        let mut kv = kp.as_bytes().to_vec();
        kv.push(b'=');
        kv.extend_from_slice(vp.as_bytes());
        out.push(CString::new(kv).map_err(|_| vm.value_error("embedded null byte"))?);
    }
    Ok(out)
}

fn ptrs(v: &[CString]) -> Vec<*const libc::c_char> {
    v.iter()
        .map(|c| c.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

fn exec_common(vm: &mut Vm, a: &Args, name: &str, with_env: bool) -> PyResult<Value> {
    let p = args::positional(
        vm,
        name,
        a,
        if with_env { 3 } else { 2 },
        if with_env { 3 } else { 2 },
    )?;
    let exe = path(vm, name, &p[0], false, false)?;
    let argv = argv_of(vm, name, &p[1], "argv")?;
    if argv.is_empty() {
        return Err(vm.value_error(format!("{name}() arg 2 must not be empty")));
    }
    if argv[0].as_bytes().is_empty() {
        return Err(vm.value_error(format!("{name}() arg 2 first element cannot be empty")));
    }
    let envp = if with_env {
        Some(env_of(vm, &p[2])?)
    } else {
        None
    };
    vm.flush_stdout();
    let av = ptrs(&argv);
    crate::process::before_exec();
    // SAFETY: NULL-terminated arrays of NUL-terminated strings that outlive the call.
    unsafe {
        match &envp {
            Some(e) => {
                let ev = ptrs(e);
                libc::execve(exe.c.as_ptr(), av.as_ptr(), ev.as_ptr());
            }
            None => {
                libc::execv(exe.c.as_ptr(), av.as_ptr());
            }
        }
    }
    // exec failed: this process goes on as stitch.
    let err = os_err(vm);
    crate::process::init();
    Err(err)
}

pub fn execv(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    exec_common(vm, a, "execv", false)
}

pub fn execve(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "execve", a, &["path", "argv", "env"], 3, 3)?;
    let full: Vec<Value> = b
        .iter()
        .map(|v| v.cloned().unwrap_or_else(Value::none))
        .collect();
    exec_common(vm, &Args::new(&full), "execve", true)
}

pub fn system(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "system", a, &["command"], 1, 1)?;
    let cmd = path(vm, "system", b[0].unwrap_or(&Value::NULL), false, false)?;
    vm.flush_stdout();
    // SAFETY: NUL-terminated command.
    let r = crate::thread_state::blocking(|| unsafe { libc::system(cmd.c.as_ptr()) });
    Ok(Value::int(r as i64))
}

pub fn times(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.times", a)?;
    let mut t: libc::tms = zeroed();
    // SAFETY: valid out-pointer.
    let c = unsafe { libc::times(&mut t) };
    if c == (-1i64) as libc::clock_t {
        return Err(os_err(vm));
    }
    // SAFETY: plain query.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let f = |x: libc::clock_t| Value::float(x as f64 / hz);
    structseq::new(
        vm,
        &ty(|t| t.times_result),
        vec![
            f(t.tms_utime),
            f(t.tms_stime),
            f(t.tms_cutime),
            f(t.tms_cstime),
            f(c),
        ],
    )
}

pub fn uname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.uname", a)?;
    let mut u: libc::utsname = zeroed();
    // SAFETY: valid out-pointer.
    if unsafe { libc::uname(&mut u) } != 0 {
        return Err(os_err(vm));
    }
    let s = |f: &[libc::c_char]| {
        // SAFETY: uname fills NUL-terminated fields.
        let c = unsafe { CStr::from_ptr(f.as_ptr()) };
        new_string(c.to_string_lossy().into_owned())
    };
    let values = vec![
        s(&u.sysname),
        s(&u.nodename),
        s(&u.release),
        s(&u.version),
        s(&u.machine),
    ];
    structseq::new(vm, &ty(|t| t.uname_result), values)
}

pub fn cpu_count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.cpu_count", a)?;
    // SAFETY: plain query.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    Ok(if n < 1 {
        Value::none()
    } else {
        Value::int(n as i64)
    })
}

fn random_bytes(vm: &mut Vm, n: usize, flags: libc::c_uint) -> PyResult<Vec<u8>> {
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        // SAFETY: buf has n - got writable bytes at the offset.
        let r = unsafe { libc::getrandom(buf[got..].as_mut_ptr().cast(), n - got, flags) };
        if r < 0 {
            if errno() == libc::EINTR {
                crate::modules::signal::run_pending(vm)?;
                continue;
            }
            return Err(os_err(vm));
        }
        got += r as usize;
        if flags & libc::GRND_NONBLOCK != 0 {
            buf.truncate(got);
            break;
        }
    }
    Ok(buf)
}

pub fn urandom(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "urandom", a, 1, 1)?;
    let n = args::int(vm, &p[0])?;
    if n < 0 {
        return Err(vm.value_error("negative argument not allowed"));
    }
    Ok(BytesObj::new_value(random_bytes(vm, n as usize, 0)?))
}

pub fn getrandom(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "getrandom", a, &["size", "flags"], 2, 1)?;
    let n = args::int(vm, b[0].unwrap_or(&Value::NULL))?;
    let flags = match b[1] {
        Some(f) => args::c_int(vm, f)? as libc::c_uint,
        None => 0,
    };
    if n < 0 {
        return Err(crate::builtins::os_error::from_errno(
            vm,
            libc::EINVAL,
            None,
            None,
        ));
    }
    Ok(BytesObj::new_value(random_bytes(vm, n as usize, flags)?))
}

/// A configuration name (str looked up in `table`) or number.
fn conf_name(vm: &mut Vm, v: &Value, table: &[(&str, i32)]) -> PyResult<i32> {
    if let Some(s) = as_str(v) {
        return match table.iter().find(|(n, _)| *n == s) {
            Some((_, c)) => Ok(*c),
            None => Err(vm.value_error("unrecognized configuration name")),
        };
    }
    if crate::types::int::as_int(v).is_some() {
        return args::c_int(vm, v);
    }
    Err(vm.type_error("configuration names must be strings or integers"))
}

pub fn sysconf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let n = args::one(vm, "posix.sysconf", a)?;
    let name = conf_name(vm, n, super::consts::SYSCONF_NAMES)?;
    // SAFETY: errno is thread-local; cleared to tell "no limit" from an error.
    unsafe { *libc::__errno_location() = 0 };
    // SAFETY: plain query.
    let r = unsafe { libc::sysconf(name) };
    if r == -1 && errno() != 0 {
        return Err(os_err(vm));
    }
    Ok(Value::int(r as i64))
}

pub fn confstr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let n = args::one(vm, "posix.confstr", a)?;
    let name = conf_name(vm, n, super::consts::CONFSTR_NAMES)?;
    let mut buf = vec![0u8; 1024];
    // SAFETY: errno cleared; buf has buf.len() writable bytes.
    let len = unsafe {
        *libc::__errno_location() = 0;
        libc::confstr(name, buf.as_mut_ptr().cast(), buf.len())
    };
    if len == 0 {
        if errno() != 0 {
            return Err(os_err(vm));
        }
        return Ok(Value::none());
    }
    if len > buf.len() {
        buf.resize(len, 0);
        // SAFETY: buf now has len writable bytes.
        unsafe { libc::confstr(name, buf.as_mut_ptr().cast(), buf.len()) };
    }
    buf.truncate(len - 1);
    Ok(new_string(String::from_utf8_lossy(&buf).into_owned()))
}

pub fn fpathconf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "fpathconf", a, &["fd", "name"], 2, 2)?;
    let fd = args::c_int(vm, b[0].unwrap_or(&Value::NULL))?;
    let name = conf_name(
        vm,
        b[1].unwrap_or(&Value::NULL),
        super::consts::PATHCONF_NAMES,
    )?;
    // SAFETY: errno cleared; plain query.
    let r = unsafe {
        *libc::__errno_location() = 0;
        libc::fpathconf(fd, name)
    };
    if r == -1 && errno() != 0 {
        return Err(os_err(vm));
    }
    Ok(Value::int(r as i64))
}

pub fn pathconf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "pathconf", a, &["path", "name"], 2, 2)?;
    let p = path(vm, "pathconf", b[0].unwrap_or(&Value::NULL), true, false)?;
    let name = conf_name(
        vm,
        b[1].unwrap_or(&Value::NULL),
        super::consts::PATHCONF_NAMES,
    )?;
    // SAFETY: errno cleared; NUL-terminated path.
    let r = unsafe {
        *libc::__errno_location() = 0;
        match p.fd {
            Some(fd) => libc::fpathconf(fd, name),
            None => libc::pathconf(p.c.as_ptr(), name),
        }
    };
    if r == -1 && errno() != 0 {
        return Err(p.error(vm));
    }
    Ok(Value::int(r as i64))
}

pub fn sched_getaffinity(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "sched_getaffinity", a, 1, 1)?;
    let pid = args::c_int(vm, &p[0])?;
    let mut set: libc::cpu_set_t = zeroed();
    // SAFETY: valid out-pointer of the given size.
    let r =
        unsafe { libc::sched_getaffinity(pid, std::mem::size_of::<libc::cpu_set_t>(), &mut set) };
    if r != 0 {
        return Err(os_err(vm));
    }
    let s = crate::types::set::SetObj::new();
    let sv = Value::alloc(s);
    let Some(sref) = sv.downcast::<crate::types::set::SetObj>() else {
        unreachable!("a new set");
    };
    for cpu in 0..libc::CPU_SETSIZE as usize {
        // SAFETY: `cpu` is below CPU_SETSIZE.
        if unsafe { libc::CPU_ISSET(cpu, &set) } {
            sref.add(vm, Value::int(cpu as i64))?;
        }
    }
    Ok(sv)
}

pub fn sched_yield(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.sched_yield", a)?;
    std::thread::yield_now();
    Ok(Value::none())
}

pub fn getloadavg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "posix.getloadavg", a)?;
    let mut l = [0f64; 3];
    // SAFETY: l has 3 slots.
    if unsafe { libc::getloadavg(l.as_mut_ptr(), 3) } != 3 {
        return Err(vm.err(
            crate::world::types().os_error,
            "Load averages are unobtainable",
        ));
    }
    Ok(TupleObj::new_value(
        l.iter().map(|x| Value::float(*x)).collect(),
    ))
}

pub fn nice(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "nice", a, 1, 1)?;
    let inc = args::c_int(vm, &p[0])?;
    // SAFETY: errno cleared; plain syscall.
    let r = unsafe {
        *libc::__errno_location() = 0;
        libc::nice(inc)
    };
    if r == -1 && errno() != 0 {
        return Err(os_err(vm));
    }
    Ok(Value::int(r as i64))
}

pub fn strerror(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = args::one(vm, "posix.strerror", a)?;
    let c = args::c_int(vm, c)?;
    let msg = if c > 0 && crate::modules::errno::name_of(c).is_none() && c > 133 {
        format!("Unknown error {c}")
    } else {
        crate::builtins::os_error::strerror(c)
    };
    Ok(new_string(msg))
}

fn env_bytes(vm: &mut Vm, v: &Value, fname: &str) -> PyResult<Vec<u8>> {
    if let Some(s) = as_str(v) {
        return Ok(s.as_bytes().to_vec());
    }
    if let Some(b) = as_bytes(v) {
        return Ok(b);
    }
    let _ = fname;
    let tn = crate::builtins::type_name(v);
    Err(vm.type_error(format!(
        "expected str, bytes or os.PathLike object, not {tn}"
    )))
}

pub fn putenv(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "putenv", a, 2, 2)?;
    let k = env_bytes(vm, &p[0], "putenv")?;
    let v = env_bytes(vm, &p[1], "putenv")?;
    if k.contains(&b'=') {
        return Err(vm.value_error("illegal environment variable name"));
    }
    if k.is_empty() {
        return Err(crate::builtins::os_error::from_errno(
            vm,
            libc::EINVAL,
            None,
            None,
        ));
    }
    if k.contains(&0) || v.contains(&0) {
        return Err(vm.value_error("embedded null byte"));
    }
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: setenv is not thread-safe against concurrent getenv in C code; stitch
    // reads the environment only through posix.environ (copied at import).
    unsafe {
        std::env::set_var(
            std::ffi::OsStr::from_bytes(&k),
            std::ffi::OsStr::from_bytes(&v),
        )
    };
    Ok(Value::none())
}

pub fn unsetenv(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "unsetenv", a, 1, 1)?;
    let k = env_bytes(vm, &p[0], "unsetenv")?;
    if k.contains(&0) {
        return Err(vm.value_error("embedded null byte"));
    }
    if k.is_empty() || k.contains(&b'=') {
        return Err(crate::builtins::os_error::from_errno(
            vm,
            libc::EINVAL,
            None,
            None,
        ));
    }
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: as in putenv.
    unsafe { std::env::remove_var(std::ffi::OsStr::from_bytes(&k)) };
    Ok(Value::none())
}
