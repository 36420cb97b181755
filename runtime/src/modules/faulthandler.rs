//! `faulthandler`: the Python traceback of every thread, written when the process
//! crashes (SIGSEGV, SIGFPE, SIGABRT, SIGBUS, SIGILL), on a user signal (`register`),
//! after a timeout (`dump_traceback_later`, the hang detector CPython's test runner
//! arms) or on demand (`dump_traceback`). `-X faulthandler`, `-X dev` and
//! `PYTHONFAULTHANDLER` enable it at start, as in CPython.
//!
//! The text and the frame walk are `traceback/dump.rs` (no allocation, no lock, so
//! they can run in a signal handler). What differs from CPython:
//! - the watchdog of `dump_traceback_later` stops the world before it reads the other
//!   threads' frames (CPython reads them racily): a thread running native code without
//!   a safe point delays the dump until it reaches one. Arming it makes the program
//!   multi-threaded, so that blocking calls (sleep, lock waits) let the world stop.
//! - a fatal signal raised by the kernel (a real fault) is handed to the previous
//!   handler by returning, so the faulting instruction runs again under it (Rust's own
//!   stack-overflow report still appears); a signal sent by a process or `raise` is
//!   sent again, as CPython does.
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicPtr, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use super::args;
use crate::traceback::dump::{self, FdWriter};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// The fatal signals `enable` handles, with the names CPython prints.
const FATAL: [(i32, &str); 5] = [
    (libc::SIGBUS, "Bus error"),
    (libc::SIGILL, "Illegal instruction"),
    (libc::SIGFPE, "Floating point exception"),
    (libc::SIGABRT, "Aborted"),
    (libc::SIGSEGV, "Segmentation fault"),
];

/// Signal numbers `register` accepts are below this.
const NSIG: usize = 65;

// State the signal handlers read: atomics only (no locks in a handler).
static FATAL_ENABLED: AtomicBool = AtomicBool::new(false);
static FATAL_FD: AtomicI32 = AtomicI32::new(2);
static FATAL_ALL: AtomicBool = AtomicBool::new(true);
/// The action each fatal signal had before `enable` (leaked boxes; null: not ours).
static FATAL_PREV: [AtomicPtr<libc::sigaction>; 5] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; 5];
/// A dump is being written (a second signal during it writes nothing).
static REENTRANT: AtomicBool = AtomicBool::new(false);

/// One signal registered with `register`.
struct UserSignal {
    enabled: AtomicBool,
    fd: AtomicI32,
    all_threads: AtomicBool,
    chain: AtomicBool,
    prev: AtomicPtr<libc::sigaction>,
}

static USER: [UserSignal; NSIG] = [const {
    UserSignal {
        enabled: AtomicBool::new(false),
        fd: AtomicI32::new(2),
        all_threads: AtomicBool::new(true),
        chain: AtomicBool::new(false),
        prev: AtomicPtr::new(std::ptr::null_mut()),
    }
}; NSIG];

/// The Python side: the file objects whose descriptors the handlers write to (kept
/// alive, as CPython keeps them) and the watchdog.
struct State {
    fatal_file: Option<Value>,
    user_files: Vec<(i32, Value)>,
    watchdog: Option<Watchdog>,
}

static STATE: Mutex<State> = Mutex::new(State {
    fatal_file: None,
    user_files: Vec::new(),
    watchdog: None,
});

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|p| p.into_inner())
}

/// The armed `dump_traceback_later`.
struct Watchdog {
    /// Set (under the mutex) to stop it; the condition variable wakes it.
    cancel: Arc<(Mutex<bool>, Condvar)>,
    thread: std::thread::JoinHandle<()>,
    _file: Option<Value>,
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = args::module(
        "faulthandler",
        &[
            ("enable", enable),
            ("disable", disable),
            ("is_enabled", is_enabled),
            ("dump_traceback", dump_traceback),
            ("dump_traceback_later", dump_traceback_later),
            ("cancel_dump_traceback_later", cancel_dump_traceback_later),
            ("register", register),
            ("unregister", unregister),
            ("_sigsegv", sigsegv),
            ("_read_null", sigsegv),
            ("_sigabrt", sigabrt),
            ("_sigfpe", sigfpe),
        ],
    );
    args::set(
        &m,
        "__doc__",
        crate::types::str::new_str("faulthandler module."),
    );
    Ok(m)
}

/// The descriptor of a `file` argument (CPython's `faulthandler_get_fileno`): an int,
/// or an object with `fileno()` (flushed first), or `sys.stderr` when absent or None.
/// Also returns the object to keep alive.
fn file_fd(vm: &mut Vm, file: Option<&Value>) -> PyResult<(i32, Option<Value>)> {
    let file = match file {
        Some(f) if !f.is_none() => f.clone(),
        _ => match crate::builtins::sys_stream(vm, "stderr")? {
            Some(f) if !f.is_none() => f,
            _ => return Err(vm.runtime_error("sys.stderr is None")),
        },
    };
    if crate::types::int::is_int(&file) {
        let fd = args::c_int(vm, &file)?;
        if fd < 0 {
            return Err(vm.value_error("file is not a valid file descripter"));
        }
        return Ok((fd, None));
    }
    let f = crate::ops::getattr_str(vm, &file, "fileno")?;
    let r = vm.call(&f, &[])?;
    let fd = match r.as_small_int() {
        Some(fd) if crate::types::int::is_int(&r) && (0..=i32::MAX as i64).contains(&fd) => {
            fd as i32
        }
        _ => {
            return Err(vm.runtime_error("file.fileno() is not a valid file descriptor"));
        }
    };
    // A flush error is ignored, as in CPython.
    if let Ok(flush) = crate::ops::getattr_str(vm, &file, "flush") {
        let _ = vm.call(&flush, &[]);
    }
    Ok((fd, Some(file)))
}

// ---- fatal signals ------------------------------------------------------------------

/// Install the fatal-signal handlers writing to `fd`.
fn enable_fatal(fd: i32, all_threads: bool) {
    FATAL_FD.store(fd, Ordering::SeqCst);
    FATAL_ALL.store(all_threads, Ordering::SeqCst);
    if FATAL_ENABLED.swap(true, Ordering::SeqCst) {
        return;
    }
    for (i, (sig, _)) in FATAL.iter().enumerate() {
        // SAFETY: a zeroed sigaction filled below; `on_fatal` only reads atomics,
        // walks frames and writes(2).
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_fatal as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER | libc::SA_ONSTACK;
            libc::sigemptyset(&mut sa.sa_mask);
            let prev = Box::into_raw(Box::new(std::mem::zeroed::<libc::sigaction>()));
            if libc::sigaction(*sig, &sa, prev) == 0 {
                FATAL_PREV[i].store(prev, Ordering::SeqCst);
            } else {
                drop(Box::from_raw(prev));
            }
        }
    }
}

/// Put back the action signal `i` of `FATAL` had before `enable`.
fn restore_fatal(i: usize) {
    let prev = FATAL_PREV[i].swap(std::ptr::null_mut(), Ordering::SeqCst);
    if !prev.is_null() {
        // SAFETY: `prev` is the action saved by `enable_fatal` (a leaked box, never
        // freed: a handler may be reading it).
        unsafe { libc::sigaction(FATAL[i].0, prev, std::ptr::null_mut()) };
    }
}

fn disable_fatal() {
    if FATAL_ENABLED.swap(false, Ordering::SeqCst) {
        for i in 0..FATAL.len() {
            restore_fatal(i);
        }
    }
}

/// The dump a handler writes: every thread, or the current thread's stack.
fn dump_from_handler(w: &mut FdWriter, all_threads: bool) {
    if REENTRANT.swap(true, Ordering::SeqCst) {
        return;
    }
    if all_threads {
        // SAFETY: racy reads of the other threads are accepted in a handler (see
        // traceback/dump.rs).
        unsafe { dump::dump_threads(w, true) };
    } else if let Some(top) = dump::current_top() {
        // SAFETY: this thread's own frames.
        unsafe { dump::dump_stack(w, top) };
    }
    REENTRANT.store(false, Ordering::SeqCst);
}

extern "C" fn on_fatal(sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: errno is thread-local; saved and restored around the handler.
    let saved = unsafe { *libc::__errno_location() };
    let Some(i) = FATAL.iter().position(|(s, _)| *s == sig) else {
        return;
    };
    // The previous action comes back first, so a fault while dumping goes to it.
    restore_fatal(i);
    if FATAL_ENABLED.load(Ordering::SeqCst) {
        let mut w = FdWriter::new(FATAL_FD.load(Ordering::SeqCst));
        w.str("Fatal Python error: ");
        w.str(FATAL[i].1);
        w.str("\n\n");
        dump_from_handler(&mut w, FATAL_ALL.load(Ordering::SeqCst));
        w.flush();
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = saved };
    // SAFETY: `info` is the kernel's siginfo for this signal.
    let sent = info.is_null() || unsafe { (*info).si_code } <= 0;
    if sent {
        // Sent by kill/raise/abort: send it again, now to the previous action (at once:
        // SA_NODEFER). A fault instead runs its instruction again on return.
        // SAFETY: raising a signal.
        unsafe { libc::raise(sig) };
    }
}

/// `enable(file=sys.stderr, all_threads=True)`.
fn enable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::bind(vm, "enable", a, &["file", "all_threads"], 2, 0)?;
    let (fd, file) = file_fd(vm, p[0])?;
    let all = args::flag(vm, p[1], true)?;
    state().fatal_file = file;
    enable_fatal(fd, all);
    Ok(Value::none())
}

/// Enable at start (`-X faulthandler`, `-X dev`, `PYTHONFAULTHANDLER`): stderr, every
/// thread.
pub fn enable_at_start() {
    enable_fatal(2, true);
}

/// `disable()`: True if it was enabled.
fn disable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "disable", a)?;
    let was = FATAL_ENABLED.load(Ordering::SeqCst);
    disable_fatal();
    state().fatal_file = None;
    Ok(Value::bool(was))
}

fn is_enabled(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "is_enabled", a)?;
    Ok(Value::bool(FATAL_ENABLED.load(Ordering::SeqCst)))
}

// ---- dump_traceback -----------------------------------------------------------------

/// `dump_traceback(file=sys.stderr, all_threads=True)`.
fn dump_traceback(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::bind(vm, "dump_traceback", a, &["file", "all_threads"], 2, 0)?;
    let (fd, _file) = file_fd(vm, p[0])?;
    let all = args::flag(vm, p[1], true)?;
    let top = vm.frame;
    let write = || {
        let mut w = FdWriter::new(fd);
        if all {
            // SAFETY: the other threads are stopped (or there are none).
            unsafe { dump::dump_threads(&mut w, true) };
        } else {
            // SAFETY: this thread's own frames.
            unsafe { dump::dump_stack(&mut w, top) };
        }
    };
    if all && crate::thread_state::is_multi_threaded() {
        crate::thread_state::stop_the_world(write);
    } else {
        write();
    }
    Ok(Value::none())
}

// ---- dump_traceback_later -----------------------------------------------------------

/// CPython's `format_timeout`: `Timeout (H:MM:SS[.ffffff])!`.
fn timeout_header(us: u64) -> String {
    let (sec, frac) = (us / 1_000_000, us % 1_000_000);
    let (h, m, s) = (sec / 3600, sec / 60 % 60, sec % 60);
    if frac != 0 {
        format!("Timeout ({h}:{m:02}:{s:02}.{frac:06})!\n")
    } else {
        format!("Timeout ({h}:{m:02}:{s:02})!\n")
    }
}

/// `dump_traceback_later(timeout, repeat=False, file=sys.stderr, exit=False)`.
fn dump_traceback_later(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::bind(
        vm,
        "dump_traceback_later",
        a,
        &["timeout", "repeat", "file", "exit"],
        4,
        1,
    )?;
    let timeout = args::seconds(vm, p[0].expect("required"))?;
    // Microseconds, rounded up (CPython's _PyTime_ROUND_CEILING).
    let us = (timeout * 1e6).ceil();
    if us.is_nan() || us <= 0.0 {
        return Err(vm.value_error("timeout must be greater than 0"));
    }
    if us > (i64::MAX / 1000) as f64 {
        return Err(vm.overflow_error("timeout value is too large"));
    }
    let us = us as u64;
    let repeat = args::flag(vm, p[1], false)?;
    let (fd, file) = file_fd(vm, p[2])?;
    let exit = args::flag(vm, p[3], false)?;
    cancel_watchdog();
    // The watchdog will stop the world: blocking calls must detach from now on.
    crate::thread_state::about_to_start_thread();
    let cancel = Arc::new((Mutex::new(false), Condvar::new()));
    let c = cancel.clone();
    let header = timeout_header(us);
    let thread = std::thread::Builder::new()
        .name("faulthandler-watchdog".into())
        .spawn(move || {
            watchdog(
                c,
                std::time::Duration::from_micros(us),
                header,
                fd,
                repeat,
                exit,
            )
        })
        .map_err(|_| vm.runtime_error("unable to start watchdog thread"))?;
    state().watchdog = Some(Watchdog {
        cancel,
        thread,
        _file: file,
    });
    Ok(Value::none())
}

/// The watchdog thread: waits `timeout` (unless cancelled), then dumps every thread.
fn watchdog(
    cancel: Arc<(Mutex<bool>, Condvar)>,
    timeout: std::time::Duration,
    header: String,
    fd: i32,
    repeat: bool,
    exit: bool,
) {
    let (m, cv) = &*cancel;
    loop {
        let deadline = std::time::Instant::now() + timeout;
        let mut stop = m.lock().unwrap_or_else(|p| p.into_inner());
        while !*stop {
            let now = std::time::Instant::now();
            if now >= deadline {
                break;
            }
            stop = cv
                .wait_timeout(stop, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        if *stop {
            return;
        }
        drop(stop);
        // Registered as a thread only to stop the world; it touches no object.
        crate::thread_state::register_current(crate::thread_state::new_thread_id());
        crate::thread_state::stop_the_world(|| {
            let mut w = FdWriter::new(fd);
            w.str(&header);
            // SAFETY: every other thread is stopped.
            unsafe { dump::dump_threads(&mut w, false) };
        });
        crate::thread_state::unregister_current();
        if exit {
            // SAFETY: ends the process at once, as CPython's watchdog does.
            unsafe { libc::_exit(1) };
        }
        if !repeat {
            return;
        }
    }
}

/// Stop and join the watchdog, if armed.
fn cancel_watchdog() {
    let w = state().watchdog.take();
    if let Some(w) = w {
        *w.cancel.0.lock().unwrap_or_else(|p| p.into_inner()) = true;
        w.cancel.1.notify_all();
        // Detached while joining: the watchdog may be waiting for a stop-the-world.
        let _ = crate::thread_state::blocking(|| w.thread.join());
    }
}

fn cancel_dump_traceback_later(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "cancel_dump_traceback_later", a)?;
    cancel_watchdog();
    Ok(Value::none())
}

/// At the end of the program (CPython's `_PyFaulthandler_Fini`): no watchdog outlives
/// it.
pub fn finalize() {
    cancel_watchdog();
}

// ---- register -----------------------------------------------------------------------

extern "C" fn on_user(sig: libc::c_int) {
    // SAFETY: errno is thread-local; saved and restored around the handler.
    let saved = unsafe { *libc::__errno_location() };
    let Some(u) = USER.get(sig as usize) else {
        return;
    };
    if !u.enabled.load(Ordering::SeqCst) {
        return;
    }
    {
        let mut w = FdWriter::new(u.fd.load(Ordering::SeqCst));
        dump_from_handler(&mut w, u.all_threads.load(Ordering::SeqCst));
    }
    if u.chain.load(Ordering::SeqCst) {
        let prev = u.prev.load(Ordering::SeqCst);
        if !prev.is_null() {
            // SAFETY: the saved previous action (a leaked box); ours is put back after
            // the previous one ran (SA_NODEFER: at once).
            unsafe {
                let mut ours: libc::sigaction = std::mem::zeroed();
                libc::sigaction(sig, prev, &mut ours);
                *libc::__errno_location() = saved;
                libc::raise(sig);
                libc::sigaction(sig, &ours, std::ptr::null_mut());
            }
        }
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = saved };
}

fn signum_arg(vm: &mut Vm, v: &Value) -> PyResult<i32> {
    let sig = args::c_int(vm, v)?;
    if sig < 1 || sig as usize >= NSIG {
        return Err(vm.value_error("signal number out of range"));
    }
    Ok(sig)
}

/// `register(signum, file=sys.stderr, all_threads=True, chain=False)`.
fn register(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::bind(
        vm,
        "register",
        a,
        &["signum", "file", "all_threads", "chain"],
        4,
        1,
    )?;
    let sig = signum_arg(vm, p[0].expect("required"))?;
    if FATAL.iter().any(|(s, _)| *s == sig) {
        return Err(vm.runtime_error(format!(
            "signal {sig} cannot be registered, use enable() instead"
        )));
    }
    let (fd, file) = file_fd(vm, p[1])?;
    let all = args::flag(vm, p[2], true)?;
    let chain = args::flag(vm, p[3], false)?;
    let u = &USER[sig as usize];
    u.fd.store(fd, Ordering::SeqCst);
    u.all_threads.store(all, Ordering::SeqCst);
    u.chain.store(chain, Ordering::SeqCst);
    if !u.enabled.load(Ordering::SeqCst) {
        // SAFETY: a zeroed sigaction filled below; `on_user` only reads atomics, walks
        // frames and writes(2).
        let ok = unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_user as *const () as usize;
            sa.sa_flags = libc::SA_RESTART | libc::SA_ONSTACK;
            if chain {
                sa.sa_flags |= libc::SA_NODEFER;
            }
            libc::sigemptyset(&mut sa.sa_mask);
            let prev = Box::into_raw(Box::new(std::mem::zeroed::<libc::sigaction>()));
            if libc::sigaction(sig, &sa, prev) == 0 {
                // An older saved action is leaked on purpose: a handler may read it.
                u.prev.store(prev, Ordering::SeqCst);
                true
            } else {
                drop(Box::from_raw(prev));
                false
            }
        };
        if !ok {
            let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            return Err(crate::builtins::os_error::from_errno(vm, e, None, None));
        }
        u.enabled.store(true, Ordering::SeqCst);
    }
    let mut st = state();
    st.user_files.retain(|(s, _)| *s != sig);
    if let Some(f) = file {
        st.user_files.push((sig, f));
    }
    Ok(Value::none())
}

/// `unregister(signum)`: True if a handler was registered.
fn unregister(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = args::one(vm, "unregister", a)?;
    let sig = signum_arg(vm, v)?;
    let u = &USER[sig as usize];
    if !u.enabled.swap(false, Ordering::SeqCst) {
        return Ok(Value::bool(false));
    }
    let prev = u.prev.load(Ordering::SeqCst);
    if !prev.is_null() {
        // SAFETY: the action saved by `register`.
        unsafe { libc::sigaction(sig, prev, std::ptr::null_mut()) };
    }
    state().user_files.retain(|(s, _)| *s != sig);
    Ok(Value::bool(true))
}

// ---- test helpers (CPython's `faulthandler._sigsegv` etc.) --------------------------

/// Crash reports of the helpers below are not wanted as core files (as CPython's
/// `faulthandler_suppress_crash_report`).
fn no_core_dump() {
    // SAFETY: plain data; setrlimit with a valid pointer.
    unsafe {
        let mut rl: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_CORE, &mut rl) == 0 {
            rl.rlim_cur = 0;
            libc::setrlimit(libc::RLIMIT_CORE, &rl);
        }
    }
}

fn raise_now(vm: &mut Vm, sig: i32) -> PyResult<Value> {
    vm.flush_stdout();
    no_core_dump();
    // SAFETY: raising a signal. A handler that returns (Rust's own SIGSEGV handler
    // resets the action and returns, expecting a fault to happen again) is followed by
    // the default action: these helpers exist to crash.
    unsafe {
        libc::raise(sig);
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
    Ok(Value::none())
}

/// `_sigsegv(release_gil=False)` and `_read_null()`: a segmentation fault.
fn sigsegv(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    raise_now(vm, libc::SIGSEGV)
}

fn sigabrt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "_sigabrt", a)?;
    vm.flush_stdout();
    no_core_dump();
    std::process::abort()
}

fn sigfpe(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "_sigfpe", a)?;
    raise_now(vm, libc::SIGFPE)
}
