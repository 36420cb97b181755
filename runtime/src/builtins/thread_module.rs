//! `_thread`: start OS threads that run Python code in parallel (no global lock),
//! and the basic lock. `threading` and `queue` (runtime/lib) are written on top of it.
use parking_lot::lock_api::{RawMutex as _, RawMutexTimed as _};

use super::{method_args, posargs};
use crate::ops;
use crate::thread_state;
use crate::types::dict::DictObj;
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

/// `_thread.lock`: a non-reentrant lock any thread may release.
pub struct LockObj {
    raw: parking_lot::RawMutex,
}

impl PyPayload for LockObj {
    fn class() -> RawValue {
        types().lock
    }
}

/// Longest timeout accepted (as CPython's `_thread.TIMEOUT_MAX`, in seconds).
const TIMEOUT_MAX: f64 = 9223372036.0;

pub fn make_module() -> Value {
    let t = types();
    super::add_method(t.lock, "acquire", lock_acquire);
    super::add_method(t.lock, "acquire_lock", lock_acquire);
    super::add_method(t.lock, "__enter__", lock_acquire);
    super::add_method(t.lock, "release", lock_release);
    super::add_method(t.lock, "release_lock", lock_release);
    super::add_method(t.lock, "__exit__", lock_exit);
    super::add_method(t.lock, "locked", lock_locked);
    super::add_method(t.lock, "locked_lock", lock_locked);
    let m = super::modules::module_with(
        "_thread",
        &[
            ("start_new_thread", start_new_thread),
            ("allocate_lock", allocate_lock),
            ("get_ident", get_ident),
            ("get_native_id", get_ident),
            ("_count", count),
        ],
    );
    // SAFETY: module_with returns a module object.
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    d.set_str("LockType", Value::from_borrowed(t.lock));
    d.set_str("TIMEOUT_MAX", Value::float(TIMEOUT_MAX));
    d.set_str("error", Value::from_borrowed(t.runtime_error));
    m
}

fn allocate_lock(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "allocate_lock", a, 0, 0)?;
    Ok(Value::alloc(LockObj {
        raw: parking_lot::RawMutex::INIT,
    }))
}

fn get_ident(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "get_ident", a, 0, 0)?;
    Ok(Value::int(crate::object::current_tid() as i64))
}

fn count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "_count", a, 0, 0)?;
    Ok(Value::int(
        thread_state::REGISTRY.count().saturating_sub(1) as i64
    ))
}

fn this_lock<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a LockObj> {
    match v.downcast::<LockObj>() {
        Some(l) => Ok(l),
        None => Err(vm.type_error("descriptor requires a 'lock' object")),
    }
}

/// `lock.acquire(blocking=True, timeout=-1)`: a blocking wait is done detached.
fn lock_acquire(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(slf) = p.first() else {
        return Err(vm.type_error("descriptor 'acquire' needs an argument"));
    };
    let lock = this_lock(vm, slf)?;
    let mut blocking = match p.get(1).or(a.get_kw("blocking")) {
        Some(b) => ops::truthy(vm, b)?,
        None => true,
    };
    let mut timeout = -1.0;
    if let Some(t) = p.get(2).or(a.get_kw("timeout")) {
        timeout = match t.as_float() {
            Some(f) => f,
            None => match crate::types::int::as_int(t).and_then(|i| i.to_f64()) {
                Some(f) => f,
                None => return Err(vm.type_error("timeout must be a number")),
            },
        };
        if !blocking && timeout != -1.0 {
            return Err(vm.value_error("can't specify a timeout for a non-blocking call"));
        }
        if timeout < 0.0 && timeout != -1.0 {
            return Err(vm.value_error("timeout value must be a non-negative number"));
        }
        if timeout > TIMEOUT_MAX {
            return Err(vm.err(types().overflow_error, "timeout value is too large"));
        }
    }
    if lock.raw.try_lock() {
        return Ok(Value::bool(true));
    }
    if timeout == 0.0 {
        blocking = false;
    }
    if !blocking {
        return Ok(Value::bool(false));
    }
    vm.flush_stdout();
    let got = thread_state::blocking(|| {
        if timeout < 0.0 {
            lock.raw.lock();
            true
        } else {
            lock.raw
                .try_lock_for(std::time::Duration::from_secs_f64(timeout))
        }
    });
    Ok(Value::bool(got))
}

fn lock_release(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_args(vm, "release", a, 0, 0)?;
    let lock = this_lock(vm, slf)?;
    if !lock.raw.is_locked() {
        return Err(vm.runtime_error("release unlocked lock"));
    }
    // SAFETY: the lock is held (checked above); `_thread` locks may be released by
    // any thread, which parking_lot's raw mutex allows.
    unsafe { lock.raw.unlock() };
    Ok(Value::none())
}

fn lock_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(slf) = p.first() else {
        return Err(vm.type_error("descriptor '__exit__' needs an argument"));
    };
    lock_release(vm, &Args::new(std::slice::from_ref(slf)))
}

fn lock_locked(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_args(vm, "locked", a, 0, 0)?;
    let lock = this_lock(vm, slf)?;
    Ok(Value::bool(lock.raw.is_locked()))
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

/// Native stack of a Python thread (as the main VM's: deep native recursion is
/// bounded by `MAX_NATIVE_DEPTH`, calibrated for it). Reserved, not committed.
const THREAD_STACK: usize = 1 << 30;

/// `_thread.start_new_thread(function, args, kwargs={})`.
fn start_new_thread(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "start_new_thread", a, 2, 3)?;
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
    let spawned = std::thread::Builder::new()
        .name(format!("stitch-{tid}"))
        .stack_size(THREAD_STACK)
        .spawn(move || run_thread(tid, start));
    match spawned {
        Ok(_) => Ok(Value::int(tid as i64)),
        Err(_) => Err(vm.runtime_error("can't start new thread")),
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
    let r = vm.call_kw(&func, &args, &kwnames);
    crate::builtins::generators::run_pending(&mut vm);
    if let Err(e) = r
        && !vm.err_matches(&e, types().system_exit)
    {
        // As CPython's `_thread`: report through the unraisable path.
        let f = ops::repr_value(&mut vm, &func)
            .ok()
            .and_then(|s| crate::types::str::as_str(&s).map(str::to_string))
            .unwrap_or_default();
        vm.flush_stdout();
        let text = crate::traceback::format_exception(&mut vm, &e.exc);
        eprint!("Exception ignored in thread started by: {f}\n{text}");
    }
    // Release the thread's arguments while it can still run their finalizers.
    drop((func, args, kwnames));
    crate::builtins::generators::run_pending(&mut vm);
    thread_state::finishing();
    vm.flush_stdout();
    drop(vm.take_pending_generator());
    drop(vm);
    // Thread-local caches hold references too: release them while this thread is
    // still registered (after it leaves, other threads may merge its objects' counts
    // on the assumption that it no longer touches them).
    crate::types::attr_cache::clear();
    thread_state::unregister_finished();
}
