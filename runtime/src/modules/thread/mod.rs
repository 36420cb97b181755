//! `_thread`: start OS threads that run Python code in parallel (no global lock), the
//! locks, and what CPython's `threading.py` asks of its C module: sentinels released
//! when a thread's state is torn down (`Thread.join` waits on them), `_excepthook`,
//! `_count`, `stack_size`, `interrupt_main`. The Lib's `threading` and `queue` run on it.
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::modules::native_args::{self, module, set};
use crate::ops;
use crate::thread_state;
use crate::types::dict::DictObj;
use crate::types::int::as_int;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

mod excepthook;
pub mod futex_mutex;
pub mod local;
pub mod lock;

/// Threads started by `start_new_thread` whose function has not returned yet.
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// The size last set by `stack_size()` (0: the default).
static STACK_SIZE: AtomicUsize = AtomicUsize::new(0);

/// Native stack of a Python thread (as the main VM's: deep native recursion is
/// bounded by `MAX_NATIVE_DEPTH`, calibrated for it). Reserved, not committed; a
/// smaller `stack_size()` is recorded but never reserves less.
const THREAD_STACK: usize = 1 << 30;

thread_local! {
    /// This thread's `_set_sentinel` locks, released when it ends.
    static SENTINELS: RefCell<Vec<lock::RawLock>> = const { RefCell::new(Vec::new()) };
    /// This thread was started by `start_new_thread` (its function is running).
    static STARTED_HERE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// In the child of a `fork`: only the calling thread runs there (`_count()` counts
/// it if `start_new_thread` started it).
pub fn after_fork_child() {
    RUNNING.store(usize::from(STARTED_HERE.get()), Ordering::SeqCst);
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let rlock = lock::init_types();
    let m = module(
        "_thread",
        &[
            ("start_new_thread", start_new_thread),
            ("start_new", start_new_thread),
            ("allocate_lock", lock::allocate),
            ("allocate", lock::allocate),
            ("get_ident", get_ident),
            ("get_native_id", get_native_id),
            ("_count", count),
            ("_set_sentinel", set_sentinel),
            ("stack_size", stack_size),
            ("interrupt_main", interrupt_main),
            ("exit", exit),
            ("exit_thread", exit),
            ("_excepthook", excepthook::excepthook),
        ],
    );
    set(&m, "LockType", Value::from_borrowed(types().lock));
    set(&m, "RLock", rlock);
    set(&m, "TIMEOUT_MAX", Value::float(lock::TIMEOUT_MAX));
    set(&m, "error", Value::from_borrowed(types().runtime_error));
    set(&m, "_ExceptHookArgs", excepthook::args_type(vm)?);
    set(&m, "_local", local::init_type(vm)?);
    Ok(m)
}

fn get_ident(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "get_ident", a, 0, 0)?;
    Ok(Value::int(crate::object::current_tid() as i64))
}

/// The OS's id of the calling thread (`gettid`).
fn get_native_id(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "get_native_id", a, 0, 0)?;
    // SAFETY: gettid has no preconditions.
    let id = unsafe { libc::gettid() };
    Ok(Value::int(id as i64))
}

fn count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "_count", a, 0, 0)?;
    Ok(Value::int(RUNNING.load(Ordering::SeqCst) as i64))
}

/// `_set_sentinel()`: a new lock (the caller acquires it), released when this
/// thread's state goes away.
fn set_sentinel(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "_set_sentinel", a, 0, 0)?;
    let l = lock::LockObj::new();
    SENTINELS.with(|s| s.borrow_mut().push(l.raw.clone()));
    Ok(Value::alloc(l))
}

/// Release the calling thread's sentinels (its end).
fn release_sentinels() {
    let locks = SENTINELS.with(|s| std::mem::take(&mut *s.borrow_mut()));
    for l in locks {
        lock::force_unlock(&l);
    }
}

fn stack_size(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "stack_size", a, 0, 1)?;
    let old = STACK_SIZE.load(Ordering::Relaxed);
    if let Some(v) = p.first() {
        let Some(n) = as_int(v).and_then(|i| i.to_i64()) else {
            let tn = v.type_data().name.clone();
            return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
        };
        if n != 0 && n < 32768 {
            return Err(vm.value_error(format!("size not valid: {n} bytes")));
        }
        if n < 0 {
            return Err(vm.value_error(format!("size not valid: {n} bytes")));
        }
        STACK_SIZE.store(n as usize, Ordering::Relaxed);
    }
    Ok(Value::int(old as i64))
}

/// `interrupt_main(signum=SIGINT)`: as if the signal arrived, when Python handles it
/// (a signal at its default or ignored is not raised, as in CPython). Called in the
/// main thread, the handler runs before it returns (CPython checks its eval breaker
/// right after the call).
fn interrupt_main(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "interrupt_main", a, &["signum"], 0, 1)?;
    let sig = match b[0] {
        None => libc::SIGINT,
        Some(v) => match as_int(v).and_then(|i| i.to_i64()) {
            Some(n) => n as i32,
            None => return Err(vm.type_error("an integer is required")),
        },
    };
    if !(1..65).contains(&sig) {
        return Err(vm.value_error("signal number out of range"));
    }
    crate::modules::signal::simulate(sig);
    if crate::modules::signal::is_main_thread() {
        crate::modules::signal::run_pending(vm)?;
    }
    Ok(Value::none())
}

fn exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "exit", a, 0, 0)?;
    let e = vm.call(&Value::from_borrowed(types().system_exit), &[])?;
    Err(crate::vm::PyErr { exc: e })
}

/// Values handed to a new thread.
struct Start {
    vm: crate::vm::ThreadVm,
    func: Value,
    args: Vec<Value>,
    kwnames: Vec<Value>,
}

// SAFETY: the values are references to objects whose counts are atomic for
// non-owners and whose containers lock in multi-threaded mode (switched on before the
// thread starts); ownership of these references moves to the new thread.
unsafe impl Send for Start {}

/// `_thread.start_new_thread(function, args, kwargs={})`.
fn start_new_thread(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "start_new_thread", a, 2, 3)?;
    if !ops::callable(&p[0]) {
        return Err(vm.type_error("first arg must be callable"));
    }
    let Some(args) = p[1].downcast::<TupleObj>() else {
        return Err(vm.type_error("2nd arg must be a tuple"));
    };
    let mut argv = args.items.to_vec();
    let mut kwnames = Vec::new();
    if let Some(kw) = p.get(2) {
        let Some(d) = kw.downcast::<DictObj>() else {
            return Err(vm.type_error("optional 3rd arg must be a dictionary"));
        };
        for (k, v) in d.items() {
            kwnames.push(k);
            argv.push(v);
        }
    }
    thread_state::about_to_start_thread();
    let tid = thread_state::new_thread_id();
    let start = Start {
        vm: vm.for_thread(),
        func: p[0].clone(),
        args: argv,
        kwnames,
    };
    RUNNING.fetch_add(1, Ordering::SeqCst);
    let stack = STACK_SIZE.load(Ordering::Relaxed).max(THREAD_STACK);
    let spawned = std::thread::Builder::new()
        .name(format!("stitch-{tid}"))
        .stack_size(stack)
        .spawn(move || run_thread(tid, start));
    match spawned {
        Ok(_) => Ok(Value::int(tid as i64)),
        Err(_) => {
            RUNNING.fetch_sub(1, Ordering::SeqCst);
            Err(vm.runtime_error("can't start new thread"))
        }
    }
}

fn run_thread(tid: u64, start: Start) {
    let Start {
        vm,
        func,
        args,
        kwnames,
    } = start;
    let mut vm = vm.attach(tid);
    // Where faulthandler finds this thread's frames (`vm` stays put until dropped).
    let published = crate::traceback::dump::publish(std::ptr::addr_of!(vm));
    STARTED_HERE.set(true);
    let r = vm.call_kw(&func, &args, &kwnames);
    STARTED_HERE.set(false);
    crate::builtins::generators::run_pending(&mut vm);
    if let Err(e) = r
        && !vm.err_matches(&e, types().system_exit)
    {
        // As CPython's `_thread`: report through the unraisable path.
        crate::modules::unraisable::write(
            &mut vm,
            &e,
            Some("Exception ignored in thread started by"),
            &func,
        );
    }
    RUNNING.fetch_sub(1, Ordering::SeqCst);
    // Release the thread's arguments while it can still run their finalizers.
    drop((func, args, kwnames));
    crate::builtins::generators::run_pending(&mut vm);
    // The thread state goes away: its `threading.local` dicts, then its sentinels
    // (whoever joins it may go on at once).
    local::thread_ended(&mut vm);
    crate::builtins::generators::run_pending(&mut vm);
    vm.flush_stdout();
    thread_state::finishing();
    release_sentinels();
    drop(vm.take_pending_generator());
    drop(published);
    drop(vm);
    // Thread-local caches hold references too: release them while this thread is
    // still registered (after it leaves, other threads may merge its objects' counts
    // on the assumption that it no longer touches them).
    crate::types::attr_cache::clear();
    // A loop that got hot just before the thread ended leaves the call recorder on,
    // holding code objects and globals (its buffer is thread-local: its destructor
    // would run after the thread left, too late for the counts at exit).
    crate::tier2::recorder::stop();
    thread_state::unregister_finished();
}
