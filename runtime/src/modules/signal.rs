//! `_signal`: Python signal handlers. The C-level handler only records the signal
//! (a per-signal flag, a global flag, a bit in the main thread's eval-breaker word, a
//! byte to the wakeup fd); the Python handler runs later in the main thread, at its
//! next eval-breaker check on a back edge ([`run_pending`], called by the interpreter)
//! or when a blocking call returns EINTR. SIGINT's default handler raises
//! KeyboardInterrupt, as CPython installs it at startup ([`install_startup`]).
//!
//! A loop running as a tier-2 trace sees the breaker bit too: its `CHECK_BREAKER` uop
//! leaves the trace at the loop head and tier 1 runs the handler at the back edge. A
//! second Ctrl-C while the first is still pending ends the process, as SIGINT's
//! default does.
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicPtr, Ordering};

use parking_lot::Mutex;

use super::args;
use crate::types::set::SetObj;
use crate::types::str::new_string;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// Number of signals (signal numbers are 1..NSIG).
const NSIG: usize = 65;

/// Breaker bit: a signal is pending for the main thread.
pub const BREAK_SIGNAL: u32 = 4;

static PENDING: [AtomicBool; NSIG] = [const { AtomicBool::new(false) }; NSIG];
static ANY_PENDING: AtomicBool = AtomicBool::new(false);
/// The main thread's breaker word (leaked, so it outlives every VM).
static MAIN_BREAKER: AtomicPtr<stitch_sync::shim::AtomicU32> = AtomicPtr::new(std::ptr::null_mut());
static WAKEUP_FD: AtomicI32 = AtomicI32::new(-1);

/// A Python handler value kept in the table.
struct Handler(Value);

// SAFETY: handler objects are only called from the main thread; the table's lock
// orders their replacement; their counts are atomic for non-owners.
unsafe impl Send for Handler {}

/// Python-level handlers by signal number: a callable, or the ints SIG_DFL/SIG_IGN,
/// or None (a C handler not set from Python).
static HANDLERS: Mutex<Vec<Option<Handler>>> = Mutex::new(Vec::new());

extern "C" fn on_signal(sig: libc::c_int) {
    // SAFETY: errno is thread-local; saved and restored around the write below.
    let saved = unsafe { *libc::__errno_location() };
    if (sig as usize) < NSIG
        && PENDING[sig as usize].swap(true, Ordering::SeqCst)
        && sig == libc::SIGINT
    {
        // A second Ctrl-C before the first was handled (a loop running as machine
        // code, or a read that restarts): end the process as SIGINT's default does.
        // SAFETY: signal and raise are async-signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::raise(libc::SIGINT);
        }
    }
    ANY_PENDING.store(true, Ordering::SeqCst);
    let b = MAIN_BREAKER.load(Ordering::SeqCst);
    if !b.is_null() {
        // SAFETY: the pointer is a leaked Arc: valid for the life of the process.
        unsafe { (*b).fetch_or(BREAK_SIGNAL, Ordering::SeqCst) };
    }
    let fd = WAKEUP_FD.load(Ordering::SeqCst);
    if fd >= 0 {
        let byte = sig as u8;
        // SAFETY: write is async-signal-safe; one byte from the stack.
        unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) };
    }
    // SAFETY: restoring the interrupted code's errno.
    unsafe { *libc::__errno_location() = saved };
}

/// `_thread.interrupt_main(sig)` (CPython's `PyErr_SetInterruptEx`): record `sig` as
/// if it had arrived, when its Python-level handler is a callable; a signal at
/// SIG_DFL/SIG_IGN (or whose handler Python never set) is ignored. The main thread
/// runs the handler at its next check (the caller runs it at once when it is the main
/// thread).
pub fn simulate(sig: i32) {
    let handled = HANDLERS.lock().get(sig as usize).is_some_and(
        |h| matches!(h, Some(Handler(v)) if v.as_small_int().is_none() && !v.is_none()),
    );
    if !handled {
        return;
    }
    PENDING[sig as usize].store(true, Ordering::SeqCst);
    ANY_PENDING.store(true, Ordering::SeqCst);
    let b = MAIN_BREAKER.load(Ordering::SeqCst);
    if !b.is_null() {
        // SAFETY: the pointer is a leaked Arc: valid for the life of the process.
        unsafe { (*b).fetch_or(BREAK_SIGNAL, Ordering::SeqCst) };
    }
}

fn install_c_handler(sig: i32) -> bool {
    // SAFETY: a zeroed sigaction filled below; on_signal is async-signal-safe.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
        sa.sa_flags = libc::SA_ONSTACK;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, std::ptr::null_mut()) == 0
    }
}

fn set_disposition(sig: i32, h: libc::sighandler_t) -> bool {
    // SAFETY: installing SIG_DFL / SIG_IGN.
    unsafe { libc::signal(sig, h) != libc::SIG_ERR }
}

fn init_table() {
    let mut t = HANDLERS.lock();
    if !t.is_empty() {
        return;
    }
    t.resize_with(NSIG, || None);
    for (sig, slot) in t.iter_mut().enumerate().skip(1) {
        // SAFETY: querying the current action only.
        let cur = unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(sig as i32, std::ptr::null(), &mut old) != 0 {
                continue;
            }
            old.sa_sigaction
        };
        *slot = match cur {
            libc::SIG_DFL => Some(Handler(Value::int(0))),
            libc::SIG_IGN => Some(Handler(Value::int(1))),
            _ => None,
        };
    }
}

/// At startup, in the main thread: SIGINT raises KeyboardInterrupt (as CPython's
/// default handler), SIGXFSZ is ignored, and the main breaker is recorded.
pub fn install_startup(breaker: &std::sync::Arc<stitch_sync::shim::AtomicU32>) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let leaked = std::sync::Arc::into_raw(breaker.clone()) as *mut _;
        MAIN_BREAKER.store(leaked, Ordering::SeqCst);
        init_table();
        set_disposition(libc::SIGXFSZ, libc::SIG_IGN);
        if let Some(slot) = HANDLERS.lock().get_mut(libc::SIGXFSZ as usize) {
            *slot = Some(Handler(Value::int(1)));
        }
        // Only take over SIGINT when it is at its default (not ignored by a parent).
        let at_default = matches!(
            HANDLERS.lock().get(libc::SIGINT as usize),
            Some(Some(Handler(v))) if v.as_small_int() == Some(0)
        );
        if at_default && install_c_handler(libc::SIGINT) {
            let h = crate::types::func::new_module_builtin(
                "default_int_handler",
                default_int_handler,
                "_signal",
            );
            crate::object::make_immortal(h.raw());
            if let Some(slot) = HANDLERS.lock().get_mut(libc::SIGINT as usize) {
                *slot = Some(Handler(h));
            }
        }
    });
}

/// Blocks asynchronous signals in the calling thread: the launcher thread that only
/// waits for the interpreter's thread calls it after starting that thread, so a
/// signal sent to the process interrupts the interpreter (as in CPython, whose main
/// thread runs Python code) instead of a thread that cannot run its handler.
pub fn block_in_launcher() {
    // SAFETY: sigset_t is plain data initialised by sigfillset; masks only this thread.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut set);
        for s in [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE] {
            libc::sigdelset(&mut set, s);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Resets Python-level handlers to the C-level state they stand for (at interpreter
/// shutdown, as CPython's finalization does): handler objects are released and later
/// signals are only recorded.
pub fn clear_handlers() {
    let old: Vec<Handler> = {
        let mut t = HANDLERS.lock();
        t.iter_mut()
            .filter_map(|slot| match slot {
                Some(Handler(v)) if v.as_small_int().is_none() && !v.is_none() => slot.take(),
                _ => None,
            })
            .collect()
    };
    drop(old);
}

/// The thread that runs Python signal handlers: the main thread, or in the child of
/// a `fork`, the thread that forked (as CPython makes it the main thread).
static MAIN_TID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Is a signal waiting for its Python handler (any thread may ask; only the main
/// thread runs handlers)?
pub fn any_pending() -> bool {
    ANY_PENDING.load(Ordering::SeqCst)
}

pub fn is_main_thread() -> bool {
    crate::object::current_tid() == MAIN_TID.load(Ordering::Relaxed)
}

/// In the child of a `fork`: the forking thread becomes the main thread (signal
/// handlers run there; its breaker word is the one signals trip).
pub fn after_fork_child() {
    let tid = crate::object::current_tid();
    if MAIN_TID.swap(tid, Ordering::SeqCst) == tid {
        return;
    }
    if let Some(b) = crate::thread_state::current_breaker() {
        // Leaked as the main thread's is: `on_signal` may read it at any time.
        let leaked = std::sync::Arc::into_raw(b) as *mut _;
        MAIN_BREAKER.store(leaked, Ordering::SeqCst);
    }
}

/// Runs the Python handlers of pending signals (main thread only). An exception a
/// handler raises is returned; signals still pending stay flagged.
pub fn run_pending(vm: &mut Vm) -> PyResult<()> {
    if !is_main_thread() {
        return Ok(());
    }
    // The breaker bit is cleared before the flag is read: a signal arriving after the
    // clear sets the bit again (`on_signal` sets the flag first), so neither a signal
    // nor a stale bit is left behind (a bit that stayed set would make every loop
    // trace of this thread leave at once).
    let b = MAIN_BREAKER.load(Ordering::SeqCst);
    if !b.is_null() {
        // SAFETY: leaked Arc, valid for the process.
        unsafe { (*b).fetch_and(!BREAK_SIGNAL, Ordering::SeqCst) };
    }
    if !ANY_PENDING.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    for (sig, pending) in PENDING.iter().enumerate().skip(1) {
        if !pending.swap(false, Ordering::SeqCst) {
            continue;
        }
        let h = HANDLERS
            .lock()
            .get(sig)
            .and_then(|h| h.as_ref().map(|h| h.0.clone()));
        let Some(h) = h else { continue };
        if h.as_small_int().is_some() || h.is_none() {
            continue;
        }
        if let Err(e) = vm.call(&h, &[Value::int(sig as i64), Value::none()]) {
            // Leave the other pending signals for the next check.
            ANY_PENDING.store(true, Ordering::SeqCst);
            if !b.is_null() {
                // SAFETY: as above.
                unsafe { (*b).fetch_or(BREAK_SIGNAL, Ordering::SeqCst) };
            }
            return Err(e);
        }
    }
    Ok(())
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    init_table();
    let m = args::module(
        "_signal",
        &[
            ("signal", signal),
            ("getsignal", getsignal),
            ("default_int_handler", default_int_handler),
            ("raise_signal", raise_signal),
            ("alarm", alarm),
            ("setitimer", setitimer),
            ("getitimer", getitimer),
            ("pause", pause),
            ("pthread_kill", pthread_kill),
            ("pthread_sigmask", pthread_sigmask),
            ("sigpending", sigpending),
            ("set_wakeup_fd", set_wakeup_fd),
            ("valid_signals", valid_signals),
            ("strsignal", strsignal),
            ("siginterrupt", siginterrupt),
        ],
    );
    let sigs: &[(&str, i32)] = &[
        ("SIGHUP", libc::SIGHUP),
        ("SIGINT", libc::SIGINT),
        ("SIGQUIT", libc::SIGQUIT),
        ("SIGILL", libc::SIGILL),
        ("SIGTRAP", libc::SIGTRAP),
        ("SIGIOT", libc::SIGIOT),
        ("SIGABRT", libc::SIGABRT),
        ("SIGFPE", libc::SIGFPE),
        ("SIGKILL", libc::SIGKILL),
        ("SIGBUS", libc::SIGBUS),
        ("SIGSEGV", libc::SIGSEGV),
        ("SIGSYS", libc::SIGSYS),
        ("SIGPIPE", libc::SIGPIPE),
        ("SIGALRM", libc::SIGALRM),
        ("SIGTERM", libc::SIGTERM),
        ("SIGUSR1", libc::SIGUSR1),
        ("SIGUSR2", libc::SIGUSR2),
        ("SIGCLD", libc::SIGCHLD),
        ("SIGCHLD", libc::SIGCHLD),
        ("SIGPWR", libc::SIGPWR),
        ("SIGIO", libc::SIGIO),
        ("SIGURG", libc::SIGURG),
        ("SIGWINCH", libc::SIGWINCH),
        ("SIGPOLL", libc::SIGPOLL),
        ("SIGSTOP", libc::SIGSTOP),
        ("SIGTSTP", libc::SIGTSTP),
        ("SIGCONT", libc::SIGCONT),
        ("SIGTTIN", libc::SIGTTIN),
        ("SIGTTOU", libc::SIGTTOU),
        ("SIGVTALRM", libc::SIGVTALRM),
        ("SIGPROF", libc::SIGPROF),
        ("SIGXCPU", libc::SIGXCPU),
        ("SIGXFSZ", libc::SIGXFSZ),
        ("SIGSTKFLT", libc::SIGSTKFLT),
        ("SIG_BLOCK", libc::SIG_BLOCK),
        ("SIG_UNBLOCK", libc::SIG_UNBLOCK),
        ("SIG_SETMASK", libc::SIG_SETMASK),
        ("ITIMER_REAL", libc::ITIMER_REAL),
        ("ITIMER_VIRTUAL", libc::ITIMER_VIRTUAL),
        ("ITIMER_PROF", libc::ITIMER_PROF),
    ];
    for (n, v) in sigs {
        args::set(&m, n, Value::int(*v as i64));
    }
    if ITIMER_ERROR.load(Ordering::Acquire) == 0 {
        let e = super::binascii::exception_type("itimer_error", "signal", types().os_error);
        ITIMER_ERROR.store(e.raw().0, Ordering::Release);
    }
    args::set(
        &m,
        "ItimerError",
        Value::from_borrowed(stitch_stencils::value::RawValue(
            ITIMER_ERROR.load(Ordering::Acquire),
        )),
    );
    args::set(&m, "SIG_DFL", Value::int(0));
    args::set(&m, "SIG_IGN", Value::int(1));
    args::set(&m, "NSIG", Value::int(NSIG as i64));
    args::set(&m, "SIGRTMIN", Value::int(libc::SIGRTMIN() as i64));
    args::set(&m, "SIGRTMAX", Value::int(libc::SIGRTMAX() as i64));
    // The startup handler object, so `getsignal(SIGINT) is default_int_handler`.
    if let Some(Some(Handler(h))) = HANDLERS.lock().get(libc::SIGINT as usize)
        && h.as_small_int().is_none()
        && !h.is_none()
    {
        args::set(&m, "default_int_handler", h.clone());
    }
    let _ = vm;
    Ok(m)
}

fn default_int_handler(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.new_err_empty(types().keyboard_interrupt))
}

trait EmptyErr {
    fn new_err_empty(&mut self, ty: stitch_stencils::value::RawValue) -> crate::vm::PyErr;
}

impl EmptyErr for Vm {
    fn new_err_empty(&mut self, ty: stitch_stencils::value::RawValue) -> crate::vm::PyErr {
        crate::vm::PyErr {
            exc: self.new_exception(ty, vec![]),
        }
    }
}

fn signum(vm: &mut Vm, v: &Value) -> PyResult<i32> {
    let s = args::c_int(vm, v)?;
    if s < 1 || s as usize >= NSIG {
        return Err(vm.value_error("signal number out of range"));
    }
    Ok(s)
}

fn signal(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "signal", a, 2, 2)?;
    let sig = signum(vm, &p[0])?;
    let h = &p[1];
    if !is_main_thread() {
        return Err(vm.value_error("signal only works in main thread of the main interpreter"));
    }
    let action = match h.as_small_int() {
        Some(0) if !h.is_bool() => 0,
        Some(1) if !h.is_bool() => 1,
        _ => {
            let callable = h.is_ptr()
                && (matches!(
                    h.type_data().kind,
                    crate::types::class::Kind::Function
                        | crate::types::class::Kind::Builtin
                        | crate::types::class::Kind::Method
                        | crate::types::class::Kind::Type
                ) || h.type_data().lookup("__call__").is_some());
            if !callable {
                return Err(vm.type_error(
                    "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object",
                ));
            }
            2
        }
    };
    if sig == libc::SIGKILL || sig == libc::SIGSTOP {
        return Err(crate::builtins::os_error::from_errno(
            vm,
            libc::EINVAL,
            None,
            None,
        ));
    }
    let ok = match action {
        0 => set_disposition(sig, libc::SIG_DFL),
        1 => set_disposition(sig, libc::SIG_IGN),
        _ => install_c_handler(sig),
    };
    if !ok {
        return Err(super::posix::path::os_err(vm));
    }
    let old = HANDLERS
        .lock()
        .get_mut(sig as usize)
        .and_then(|slot| slot.replace(Handler(h.clone())))
        .map(|h| h.0)
        .unwrap_or_else(Value::none);
    Ok(old)
}

fn getsignal(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = args::one(vm, "getsignal", a)?;
    let sig = signum(vm, v)?;
    Ok(HANDLERS
        .lock()
        .get(sig as usize)
        .and_then(|h| h.as_ref().map(|h| h.0.clone()))
        .unwrap_or_else(Value::none))
}

fn raise_signal(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "raise_signal", a, 1, 1)?;
    let sig = signum(vm, &p[0])?;
    vm.flush_stdout();
    // SAFETY: plain libc call.
    if unsafe { libc::raise(sig) } != 0 {
        return Err(super::posix::path::os_err(vm));
    }
    run_pending(vm)?;
    Ok(Value::none())
}

fn alarm(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "alarm", a, 1, 1)?;
    let secs = args::int(vm, &p[0])?;
    // SAFETY: plain libc call.
    let r = unsafe { libc::alarm(secs.clamp(0, u32::MAX as i64) as u32) };
    Ok(Value::int(r as i64))
}

/// `signal.ItimerError` (an `OSError`), once the module exists.
static ITIMER_ERROR: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn timeval(secs: f64) -> libc::timeval {
    let whole = secs.trunc();
    let mut usec = ((secs - whole) * 1e6).round() as libc::suseconds_t;
    // A positive value below one microsecond still arms the timer, as in CPython.
    if whole == 0.0 && usec == 0 && secs > 0.0 {
        usec = 1;
    }
    libc::timeval {
        tv_sec: whole as libc::time_t,
        tv_usec: usec,
    }
}

/// `(delay, interval)` of a timer, in seconds.
fn itimer_tuple(v: &libc::itimerval) -> Value {
    let secs = |t: &libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    crate::types::tuple::TupleObj::from_items([
        Value::float(secs(&v.it_value)),
        Value::float(secs(&v.it_interval)),
    ])
}

fn itimer_error(vm: &mut Vm) -> crate::vm::PyErr {
    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    let t = Value::from_borrowed(stitch_stencils::value::RawValue(
        ITIMER_ERROR.load(Ordering::Acquire),
    ));
    // SAFETY: strerror returns a static C string for any errno.
    let msg = unsafe { std::ffi::CStr::from_ptr(libc::strerror(errno)) }
        .to_string_lossy()
        .into_owned();
    match vm.call(&t, &[Value::int(errno as i64), new_string(msg)]) {
        Ok(exc) => crate::vm::PyErr { exc },
        Err(e) => e,
    }
}

/// `setitimer(which, seconds, interval=0.0)`: arm a timer; returns the old one.
fn setitimer(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "setitimer", a, 2, 3)?;
    let which = args::c_int(vm, &p[0])?;
    let value = args::seconds(vm, &p[1])?;
    let interval = match p.get(2) {
        Some(v) => args::seconds(vm, v)?,
        None => 0.0,
    };
    let new = libc::itimerval {
        it_interval: timeval(interval),
        it_value: timeval(value),
    };
    // SAFETY: a zeroed itimerval is valid; both pointers are to locals.
    let mut old: libc::itimerval = unsafe { std::mem::zeroed() };
    // SAFETY: plain libc call with valid pointers.
    if unsafe { libc::setitimer(which as _, &new, &mut old) } != 0 {
        return Err(itimer_error(vm));
    }
    Ok(itimer_tuple(&old))
}

/// `getitimer(which)`: `(delay, interval)` of a timer.
fn getitimer(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "getitimer", a, 1, 1)?;
    let which = args::c_int(vm, &p[0])?;
    // SAFETY: a zeroed itimerval is valid.
    let mut cur: libc::itimerval = unsafe { std::mem::zeroed() };
    // SAFETY: plain libc call with a valid pointer.
    if unsafe { libc::getitimer(which as _, &mut cur) } != 0 {
        return Err(itimer_error(vm));
    }
    Ok(itimer_tuple(&cur))
}

fn pause(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "signal.pause", a)?;
    vm.flush_stdout();
    // SAFETY: plain libc call; returns when a signal handler ran.
    crate::thread_state::blocking(|| unsafe { libc::pause() });
    run_pending(vm)?;
    Ok(Value::none())
}

fn pthread_kill(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "pthread_kill", a, 2, 2)?;
    let tid = args::int(vm, &p[0])?;
    let sig = args::c_int(vm, &p[1])?;
    // stitch's thread ids are not pthread ids: only the calling thread can be named
    // reliably (its id is `threading.get_ident()`).
    if tid as u64 != crate::object::current_tid() {
        return Err(crate::builtins::os_error::from_errno(
            vm,
            libc::ESRCH,
            None,
            None,
        ));
    }
    // SAFETY: signalling the calling thread.
    let r = unsafe { libc::pthread_kill(libc::pthread_self(), sig) };
    if r != 0 {
        return Err(crate::builtins::os_error::from_errno(vm, r, None, None));
    }
    run_pending(vm)?;
    Ok(Value::none())
}

fn sigset_of(vm: &mut Vm, v: &Value) -> PyResult<libc::sigset_t> {
    let items = crate::ops::collect(vm, v)?;
    // SAFETY: sigset_t is plain data initialised by sigemptyset.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: valid set pointer.
    unsafe { libc::sigemptyset(&mut set) };
    for it in &items {
        let s = args::c_int(vm, it)?;
        if s < 1 || s as usize >= NSIG {
            return Err(vm.value_error(format!("signal number {s} out of range [1; {}]", NSIG - 1)));
        }
        // SAFETY: valid set pointer, signal number in range.
        unsafe { libc::sigaddset(&mut set, s) };
    }
    Ok(set)
}

fn set_value(vm: &mut Vm, set: &libc::sigset_t) -> PyResult<Value> {
    let s = Value::alloc(SetObj::new());
    let Some(sr) = s.downcast::<SetObj>() else {
        unreachable!("a new set");
    };
    for sig in 1..NSIG as i32 {
        // SAFETY: valid set pointer.
        if unsafe { libc::sigismember(set, sig) } == 1 {
            sr.add(vm, Value::int(sig as i64))?;
        }
    }
    Ok(s)
}

fn pthread_sigmask(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "pthread_sigmask", a, 2, 2)?;
    let how = args::c_int(vm, &p[0])?;
    let set = sigset_of(vm, &p[1])?;
    // SAFETY: plain data.
    let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers.
    let r = unsafe { libc::pthread_sigmask(how, &set, &mut old) };
    if r != 0 {
        return Err(crate::builtins::os_error::from_errno(vm, r, None, None));
    }
    run_pending(vm)?;
    set_value(vm, &old)
}

fn sigpending(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "signal.sigpending", a)?;
    // SAFETY: plain data.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointer.
    if unsafe { libc::sigpending(&mut set) } != 0 {
        return Err(super::posix::path::os_err(vm));
    }
    set_value(vm, &set)
}

fn set_wakeup_fd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = args::bind(vm, "set_wakeup_fd", a, &["fd", "warn_on_full_buffer"], 1, 1)?;
    let fd = args::c_int(vm, b[0].unwrap_or(&Value::NULL))?;
    if !is_main_thread() {
        return Err(
            vm.value_error("set_wakeup_fd only works in main thread of the main interpreter")
        );
    }
    if fd != -1 {
        // SAFETY: plain fcntl queries.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags < 0 {
            return Err(super::posix::path::os_err(vm));
        }
        if flags & libc::O_NONBLOCK == 0 {
            return Err(vm.value_error(format!("the fd {fd} must be in non-blocking mode")));
        }
    }
    let old = WAKEUP_FD.swap(fd, Ordering::SeqCst);
    Ok(Value::int(old as i64))
}

fn valid_signals(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "signal.valid_signals", a)?;
    // SAFETY: plain data filled by sigfillset.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointer.
    unsafe { libc::sigfillset(&mut set) };
    set_value(vm, &set)
}

fn strsignal(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "strsignal", a, 1, 1)?;
    let sig = signum(vm, &p[0])?;
    // SAFETY: strsignal returns a NUL-terminated string (valid until the next call
    // on this thread; copied at once).
    let s = unsafe {
        let p = libc::strsignal(sig);
        if p.is_null() {
            return Ok(Value::none());
        }
        std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
    };
    if s.starts_with("Unknown signal") || s.starts_with("Real-time signal") {
        return Ok(Value::none());
    }
    Ok(new_string(s))
}

fn siginterrupt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "siginterrupt", a, 2, 2)?;
    let sig = signum(vm, &p[0])?;
    let flag = crate::ops::truthy(vm, &p[1])?;
    // SAFETY: reading and rewriting the current action's flags.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(sig, std::ptr::null(), &mut sa) != 0 {
            return Err(super::posix::path::os_err(vm));
        }
        if flag {
            sa.sa_flags &= !libc::SA_RESTART;
        } else {
            sa.sa_flags |= libc::SA_RESTART;
        }
        if libc::sigaction(sig, &sa, std::ptr::null_mut()) != 0 {
            return Err(super::posix::path::os_err(vm));
        }
    }
    Ok(Value::none())
}
