//! `_thread.lock` and `_thread.RLock`: the locks `threading` builds everything else on
//! (conditions, events, semaphores, `Thread.join`). Waits are done detached from the
//! VM, so a blocked thread never holds up stop-the-world or reference-count merges.
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::lock_api::{RawMutex as _, RawMutexTimed as _};

use super::futex_mutex::{FutexMutex, Wait};

use crate::modules::native_args::{self, methods, object_type};
use crate::native_payload;
use crate::object::current_tid;
use crate::thread_state;
use crate::types::class::Kind;
use crate::types::int::as_int;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// Longest timeout accepted (CPython's `_thread.TIMEOUT_MAX`, in seconds).
pub const TIMEOUT_MAX: f64 = 9223372036.0;

/// Timeouts beyond this many seconds do not fit CPython's nanosecond clock.
const TIME_T_LIMIT: f64 = 9_223_372_036.854_776;

/// The mutex under a `_thread.lock`. Shared (`Arc`) so that a thread's sentinel locks
/// can be released at its end without keeping Python objects in thread-locals.
pub type RawLock = Arc<FutexMutex>;

/// `_thread.lock`: a non-reentrant lock any thread may release.
pub struct LockObj {
    pub raw: RawLock,
}

impl Default for LockObj {
    fn default() -> LockObj {
        LockObj {
            raw: Arc::new(FutexMutex::INIT),
        }
    }
}

impl PyPayload for LockObj {
    fn class() -> stitch_stencils::value::RawValue {
        types().lock
    }
}

impl LockObj {
    pub fn new() -> LockObj {
        LockObj::default()
    }
}

/// Unlock `m` if it is locked (a sentinel or `_at_fork_reinit`).
pub fn force_unlock(m: &FutexMutex) {
    if m.is_locked() {
        // SAFETY: `_thread` locks may be released by any thread (the futex
        // mutex does not track its owner); it is locked (checked above).
        unsafe { m.unlock() };
    }
}

/// `_thread.RLock`: a reentrant lock owned by the thread that acquired it.
pub struct RLockObj {
    raw: FutexMutex,
    /// Owning thread id, 0 when free. Written only by the thread holding `raw`.
    owner: AtomicU64,
    /// Recursion depth; only the owner reads or writes it while it owns the lock.
    count: AtomicU64,
}
native_payload!(RLockObj, RLOCK);
static RLOCK_T: NativeType = NativeType {
    new: Some(rlock_new),
    weakrefable: true,
    ..NativeType::of::<RLockObj>()
};

/// Adds the lock methods and creates `RLock`; returns the `RLock` type.
pub fn init_types() -> Value {
    let lock = Value::from_borrowed(types().lock);
    crate::types::class::type_data_raw(types().lock)
        .module
        .with(|m| *m = "_thread".to_string());
    methods(
        &lock,
        &[
            ("acquire", lock_acquire),
            ("acquire_lock", lock_acquire),
            ("__enter__", lock_acquire),
            ("release", lock_release),
            ("release_lock", lock_release),
            ("__exit__", lock_exit),
            ("locked", lock_locked),
            ("locked_lock", lock_locked),
            ("_at_fork_reinit", lock_at_fork_reinit),
            ("__repr__", lock_repr),
        ],
    );
    let t = new_type::<RLockObj>(
        "RLock",
        "_thread",
        object_type(),
        Kind::Native,
        &RLOCK_T,
        &RLOCK,
    );
    methods(
        &t,
        &[
            ("acquire", rlock_acquire),
            ("__enter__", rlock_acquire),
            ("release", rlock_release),
            ("__exit__", rlock_exit),
            ("_is_owned", rlock_is_owned),
            ("_release_save", rlock_release_save),
            ("_acquire_restore", rlock_acquire_restore),
            ("_at_fork_reinit", rlock_at_fork_reinit),
            ("__repr__", rlock_repr),
        ],
    );
    t
}

/// `allocate_lock()`.
pub fn allocate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "allocate_lock", a, 0, 0)?;
    Ok(Value::alloc(LockObj::new()))
}

/// The `(blocking=True, timeout=-1)` arguments of `acquire`, checked as CPython's
/// `lock_acquire_parse_args`: `None` timeout means wait forever.
fn acquire_args(vm: &mut Vm, a: &Args, skip: usize) -> PyResult<(bool, Option<f64>)> {
    let b = native_args::bind(
        vm,
        "acquire",
        &Args {
            args: &a.args[skip..],
            kwnames: a.kwnames,
        },
        &["blocking", "timeout"],
        0,
        2,
    )?;
    let blocking = match b[0] {
        None => true,
        Some(v) => match as_int(v) {
            Some(i) => !i.is_zero(),
            None => {
                let tn = v.type_data().name.clone();
                return Err(
                    vm.type_error(format!("'{tn}' object cannot be interpreted as an integer"))
                );
            }
        },
    };
    let timeout = match b[1] {
        None => -1.0,
        Some(v) => match v.as_float() {
            Some(f) => f,
            None => match as_int(v) {
                Some(i) => i.to_f64().unwrap_or(f64::INFINITY),
                None => {
                    let tn = v.type_data().name.clone();
                    return Err(
                        vm.type_error(format!("'{tn}' object cannot be interpreted as an integer"))
                    );
                }
            },
        },
    };
    if timeout.is_nan() {
        return Err(vm.value_error("Invalid value NaN (not a number)"));
    }
    if timeout.abs() > TIME_T_LIMIT {
        return Err(vm.err(
            types().overflow_error,
            "timestamp out of range for platform time_t",
        ));
    }
    if !blocking && timeout != -1.0 {
        return Err(vm.value_error("can't specify a timeout for a non-blocking call"));
    }
    if timeout < 0.0 && timeout != -1.0 {
        return Err(vm.value_error("timeout value must be positive"));
    }
    if !blocking {
        return Ok((false, Some(0.0)));
    }
    if timeout > TIMEOUT_MAX {
        return Err(vm.err(types().overflow_error, "timeout value is too large"));
    }
    Ok((true, if timeout < 0.0 { None } else { Some(timeout) }))
}

/// Acquire `m`: at once if free, else (unless `timeout` is 0) waiting detached. Not
/// interruptible (`_acquire_restore`, as CPython's).
fn acquire_raw(vm: &mut Vm, m: &FutexMutex, timeout: Option<f64>) -> bool {
    if m.try_lock() {
        return true;
    }
    if timeout == Some(0.0) {
        return false;
    }
    vm.flush_stdout();
    thread_state::blocking(|| match timeout {
        None => {
            m.lock();
            true
        }
        Some(t) => m.try_lock_for(Duration::from_secs_f64(t)),
    })
}

/// `acquire()` of a lock or RLock: as `acquire_raw`, but on the main thread a signal
/// interrupts the wait and its Python handler runs (Ctrl-C in `lock.acquire()`,
/// `Thread.join()` or `Event.wait()` raises KeyboardInterrupt, as in CPython); the
/// wait goes on, its deadline unchanged, when the handler returns.
fn acquire_interruptible(vm: &mut Vm, m: &FutexMutex, timeout: Option<f64>) -> PyResult<bool> {
    if !crate::modules::signal::is_main_thread() {
        return Ok(acquire_raw(vm, m, timeout));
    }
    if m.try_lock() {
        return Ok(true);
    }
    if timeout == Some(0.0) {
        return Ok(false);
    }
    vm.flush_stdout();
    // A timeout too far to represent waits forever.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(Duration::from_secs_f64(t)));
    loop {
        let r = thread_state::blocking(|| {
            m.lock_until_or(deadline, crate::modules::signal::any_pending)
        });
        match r {
            Wait::Acquired => return Ok(true),
            Wait::TimedOut => return Ok(false),
            Wait::Interrupted => crate::modules::signal::run_pending(vm)?,
        }
    }
}

fn this_lock<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<&'a LockObj> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    match s.downcast::<LockObj>() {
        Some(l) => Ok(l),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_thread.lock' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

fn lock_acquire(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let lock = this_lock(vm, "acquire", a)?;
    let (_, timeout) = acquire_args(vm, a, 1)?;
    Ok(Value::bool(acquire_interruptible(vm, &lock.raw, timeout)?))
}

fn lock_release(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let lock = this_lock(vm, "release", a)?;
    native_args::this(vm, "release", a, 0, 0)?;
    if !lock.raw.is_locked() {
        return Err(vm.runtime_error("release unlocked lock"));
    }
    force_unlock(&lock.raw);
    Ok(Value::none())
}

fn lock_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let lock = this_lock(vm, "__exit__", a)?;
    if !lock.raw.is_locked() {
        return Err(vm.runtime_error("release unlocked lock"));
    }
    force_unlock(&lock.raw);
    Ok(Value::none())
}

fn lock_locked(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let lock = this_lock(vm, "locked", a)?;
    native_args::this(vm, "locked", a, 0, 0)?;
    Ok(Value::bool(lock.raw.is_locked()))
}

fn lock_at_fork_reinit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let lock = this_lock(vm, "_at_fork_reinit", a)?;
    native_args::this(vm, "_at_fork_reinit", a, 0, 0)?;
    force_unlock(&lock.raw);
    Ok(Value::none())
}

fn lock_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let lock = this_lock(vm, "__repr__", a)?;
    let s = &a.pos()[0];
    let state = if lock.raw.is_locked() {
        "locked"
    } else {
        "unlocked"
    };
    Ok(new_string(format!(
        "<{state} _thread.lock object at {:#x}>",
        s.bits()
    )))
}

// ---- RLock ------------------------------------------------------------------------

fn rlock_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(
        cls,
        RLockObj {
            raw: FutexMutex::INIT,
            owner: AtomicU64::new(0),
            count: AtomicU64::new(0),
        },
    ))
}

fn this_rlock<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<&'a RLockObj> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    match native::downcast::<RLockObj>(s) {
        Some(l) => Ok(l),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_thread.RLock' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

impl RLockObj {
    fn owned_by_me(&self) -> bool {
        self.count.load(Ordering::Relaxed) > 0
            && self.owner.load(Ordering::Relaxed) == current_tid()
    }

    fn take(&self, owner: u64, count: u64) {
        self.owner.store(owner, Ordering::Relaxed);
        self.count.store(count, Ordering::Relaxed);
    }
}

fn rlock_acquire(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = this_rlock(vm, "acquire", a)?;
    let (_, timeout) = acquire_args(vm, a, 1)?;
    let me = current_tid();
    if r.owned_by_me() {
        let c = r.count.load(Ordering::Relaxed);
        if c == u64::MAX {
            return Err(vm.err(types().overflow_error, "Internal lock count overflowed"));
        }
        r.count.store(c + 1, Ordering::Relaxed);
        return Ok(Value::bool(true));
    }
    if !acquire_interruptible(vm, &r.raw, timeout)? {
        return Ok(Value::bool(false));
    }
    r.take(me, 1);
    Ok(Value::bool(true))
}

fn release_one(vm: &mut Vm, r: &RLockObj) -> PyResult<()> {
    if !r.owned_by_me() {
        return Err(vm.runtime_error("cannot release un-acquired lock"));
    }
    let c = r.count.load(Ordering::Relaxed) - 1;
    r.count.store(c, Ordering::Relaxed);
    if c == 0 {
        r.owner.store(0, Ordering::Relaxed);
        force_unlock(&r.raw);
    }
    Ok(())
}

fn rlock_release(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = this_rlock(vm, "release", a)?;
    native_args::this(vm, "release", a, 0, 0)?;
    release_one(vm, r)?;
    Ok(Value::none())
}

fn rlock_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = this_rlock(vm, "__exit__", a)?;
    release_one(vm, r)?;
    Ok(Value::none())
}

fn rlock_is_owned(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = this_rlock(vm, "_is_owned", a)?;
    native_args::this(vm, "_is_owned", a, 0, 0)?;
    Ok(Value::bool(r.owned_by_me()))
}

/// `_release_save()`: release completely (for `Condition.wait`), returning the state
/// `_acquire_restore` puts back.
fn rlock_release_save(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = this_rlock(vm, "_release_save", a)?;
    native_args::this(vm, "_release_save", a, 0, 0)?;
    let count = r.count.load(Ordering::Relaxed);
    if count == 0 {
        return Err(vm.runtime_error("cannot release un-acquired lock"));
    }
    let owner = r.owner.load(Ordering::Relaxed);
    r.take(0, 0);
    force_unlock(&r.raw);
    Ok(TupleObj::from_items([
        Value::int(count as i64),
        Value::int(owner as i64),
    ]))
}

fn rlock_acquire_restore(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = this_rlock(vm, "_acquire_restore", a)?;
    let (_, p) = native_args::this(vm, "_acquire_restore", a, 1, 1)?;
    let state = p[0].downcast::<TupleObj>().map(|t| t.items.to_vec());
    let (count, owner) = match state.as_deref() {
        Some([c, o]) => match (
            as_int(c).and_then(|i| i.to_i64().map(|x| x as u64)),
            as_int(o).and_then(|i| i.to_i64().map(|x| x as u64)),
        ) {
            (Some(c), Some(o)) => (c, o),
            _ => return Err(vm.type_error("_acquire_restore() argument must be (count, owner)")),
        },
        _ => return Err(vm.type_error("_acquire_restore() argument 1 must be tuple")),
    };
    acquire_raw(vm, &r.raw, None);
    r.take(owner, count);
    Ok(Value::none())
}

fn rlock_at_fork_reinit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = this_rlock(vm, "_at_fork_reinit", a)?;
    native_args::this(vm, "_at_fork_reinit", a, 0, 0)?;
    r.take(0, 0);
    force_unlock(&r.raw);
    Ok(Value::none())
}

fn rlock_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let r = this_rlock(vm, "__repr__", a)?;
    let s = &a.pos()[0];
    let td = s.type_data();
    let state = if r.raw.is_locked() {
        "locked"
    } else {
        "unlocked"
    };
    let count = r.count.load(Ordering::Relaxed);
    let owner = if count > 0 {
        r.owner.load(Ordering::Relaxed)
    } else {
        0
    };
    Ok(new_string(format!(
        "<{state} {}.{} object owner={owner} count={count} at {:#x}>",
        td.module.get_clone(),
        td.qualname(),
        s.bits()
    )))
}
