//! `_multiprocessing`: `SemLock`, the POSIX named semaphore under `multiprocessing`'s
//! Lock, RLock, Semaphore, BoundedSemaphore and Condition (shared with forked and
//! spawned children: a child re-opens it by name with `SemLock._rebuild`), `sem_unlink`
//! and `flags`, after CPython's `Modules/_multiprocessing/semaphore.c`.
//!
//! A `RECURSIVE_MUTEX` counts acquisitions by its owning thread; a `SEMAPHORE` counts
//! the calling thread's acquisitions only for `_count()`. A blocking wait runs
//! detached and wakes on signals, whose Python handlers run before it waits again.
use std::ffi::CString;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use super::native_args::{self, getset, methods, module, object_type, set};
use crate::native_payload;
use crate::object::current_tid;
use crate::thread_state;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::int::as_int;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::as_str;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

const RECURSIVE_MUTEX: i64 = 0;
const SEMAPHORE: i64 = 1;
/// glibc's SEM_VALUE_MAX.
const SEM_VALUE_MAX: i64 = i32::MAX as i64;

pub struct SemLockObj {
    /// The `sem_t *` from `sem_open` (an address shared by forked children).
    handle: usize,
    kind: i64,
    maxvalue: i64,
    /// The semaphore's name (str), or None once unlinked by a spawning parent.
    name: Value,
    /// Whether this object closes the semaphore (not a copy rebuilt from the address
    /// of a semaphore whose name is already unlinked).
    owned: bool,
    /// Acquisitions by `last_tid` not yet released.
    count: AtomicI64,
    last_tid: AtomicU64,
}
native_payload!(SemLockObj, SEMLOCK);
static SEMLOCK_T: NativeType = NativeType {
    new: Some(semlock_new),
    weakrefable: true,
    ..NativeType::of::<SemLockObj>()
};

impl Drop for SemLockObj {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: `handle` came from a successful `sem_open` and is closed once.
            unsafe { libc::sem_close(self.handle as *mut libc::sem_t) };
        }
    }
}

impl SemLockObj {
    fn sem(&self) -> *mut libc::sem_t {
        self.handle as *mut libc::sem_t
    }

    fn is_mine(&self) -> bool {
        self.count.load(Ordering::Relaxed) > 0
            && self.last_tid.load(Ordering::Relaxed) == current_tid()
    }
}

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module("_multiprocessing", &[("sem_unlink", sem_unlink)]);
    let t = new_type::<SemLockObj>(
        "SemLock",
        "_multiprocessing",
        object_type(),
        Kind::Native,
        &SEMLOCK_T,
        &SEMLOCK,
    );
    methods(
        &t,
        &[
            ("acquire", semlock_acquire),
            ("release", semlock_release),
            ("__enter__", semlock_acquire),
            ("__exit__", semlock_exit),
            ("_count", semlock_count),
            ("_is_mine", semlock_is_mine),
            ("_get_value", semlock_get_value),
            ("_is_zero", semlock_is_zero),
            ("_after_fork", semlock_after_fork),
            // Called on the class only (`SemLock._rebuild(*state)`), as CPython's
            // classmethod is.
            ("_rebuild", semlock_rebuild),
        ],
    );
    getset(&t, "handle", semlock_handle, None);
    getset(&t, "kind", semlock_kind, None);
    getset(&t, "maxvalue", semlock_maxvalue, None);
    getset(&t, "name", semlock_name, None);
    crate::types::class::type_data_raw(t.raw())
        .dict
        .set_str("SEM_VALUE_MAX", Value::int(SEM_VALUE_MAX));
    set(&m, "SemLock", t);
    let flags = DictObj::new();
    flags.set_str("HAVE_SEM_OPEN", Value::int(1));
    flags.set_str("HAVE_SEM_TIMEDWAIT", Value::int(1));
    set(&m, "flags", Value::alloc(flags));
    Ok(m)
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn os_error(vm: &mut Vm, e: i32) -> PyErr {
    crate::builtins::os_error::from_errno(vm, e, None, None)
}

fn c_name(vm: &mut Vm, v: &Value) -> PyResult<CString> {
    let Some(s) = as_str(v) else {
        let tn = v.type_data().name.clone();
        return Err(vm.type_error(format!("argument 'name' must be str, not {tn}")));
    };
    CString::new(s).map_err(|_| vm.value_error("embedded null character"))
}

fn int_arg(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    match as_int(v).and_then(|i| i.to_i64()) {
        Some(n) => Ok(n),
        None => {
            let tn = v.type_data().name.clone();
            Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
        }
    }
}

/// `SemLock(kind, value, maxvalue, name, unlink)`.
fn semlock_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(
        vm,
        "SemLock",
        a,
        &["kind", "value", "maxvalue", "name", "unlink"],
        5,
        5,
    )?;
    let [
        Some(kind),
        Some(value),
        Some(maxvalue),
        Some(name),
        Some(unlink),
    ] = b[..]
    else {
        return Err(vm.type_error("SemLock() missing required arguments"));
    };
    let kind = int_arg(vm, kind)?;
    let value = int_arg(vm, value)?;
    let maxvalue = int_arg(vm, maxvalue)?;
    if kind != RECURSIVE_MUTEX && kind != SEMAPHORE {
        return Err(vm.value_error("unrecognized kind"));
    }
    let unlink = crate::ops::truthy(vm, unlink)?;
    let cname = c_name(vm, name)?;
    let value = u32::try_from(value).map_err(|_| os_error(vm, libc::EINVAL))?;
    // SAFETY: a NUL-terminated name; O_CREAT takes the mode and initial value.
    let sem = unsafe {
        libc::sem_open(
            cname.as_ptr(),
            libc::O_CREAT | libc::O_EXCL,
            0o600 as libc::c_uint,
            value,
        )
    };
    if sem == libc::SEM_FAILED {
        return Err(os_error(vm, errno()));
    }
    // SAFETY: as above.
    if unlink && unsafe { libc::sem_unlink(cname.as_ptr()) } < 0 {
        let e = errno();
        // SAFETY: `sem` was just opened.
        unsafe { libc::sem_close(sem) };
        return Err(os_error(vm, e));
    }
    Ok(native::alloc(
        cls,
        SemLockObj {
            handle: sem as usize,
            kind,
            maxvalue,
            name: if unlink { Value::none() } else { name.clone() },
            owned: true,
            count: AtomicI64::new(0),
            last_tid: AtomicU64::new(0),
        },
    ))
}

/// `SemLock._rebuild(handle, kind, maxvalue, name)`: the semaphore in a child (by
/// name when it has one, else the inherited address after `fork`).
fn semlock_rebuild(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "_rebuild", a, 4, 4)?;
    let mut handle = int_arg(vm, &p[0])? as usize;
    let owned = !p[3].is_none();
    let kind = int_arg(vm, &p[1])?;
    let maxvalue = int_arg(vm, &p[2])?;
    if !p[3].is_none() {
        let cname = c_name(vm, &p[3])?;
        // SAFETY: a NUL-terminated name; no O_CREAT.
        let sem = unsafe { libc::sem_open(cname.as_ptr(), 0) };
        if sem == libc::SEM_FAILED {
            return Err(os_error(vm, errno()));
        }
        handle = sem as usize;
    }
    let cls = Value::from_borrowed(SemLockObj::class());
    Ok(native::alloc(
        &cls,
        SemLockObj {
            handle,
            kind,
            maxvalue,
            name: p[3].clone(),
            owned,
            count: AtomicI64::new(0),
            last_tid: AtomicU64::new(0),
        },
    ))
}

fn this<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<&'a SemLockObj> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    match s.downcast::<SemLockObj>() {
        Some(l) => Ok(l),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_multiprocessing.SemLock' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

/// `sem_trywait`, retried on EINTR: Ok(true) acquired, Ok(false) EAGAIN.
fn try_wait(sem: *mut libc::sem_t) -> Result<bool, i32> {
    loop {
        // SAFETY: `sem` is an open semaphore.
        if unsafe { libc::sem_trywait(sem) } == 0 {
            return Ok(true);
        }
        match errno() {
            libc::EINTR => continue,
            libc::EAGAIN => return Ok(false),
            e => return Err(e),
        }
    }
}

/// `acquire(block=True, timeout=None)`.
fn semlock_acquire(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "acquire", a)?;
    let rest = Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    };
    let b = native_args::bind(vm, "acquire", &rest, &["block", "timeout"], 0, 2)?;
    let block = match b[0] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => true,
    };
    let timeout = match b[1] {
        Some(v) if !v.is_none() => {
            let t = match v.as_float() {
                Some(f) => f,
                None => int_arg(vm, v)? as f64,
            };
            Some(t.max(0.0))
        }
        _ => None,
    };
    if s.kind == RECURSIVE_MUTEX && s.is_mine() {
        s.count.fetch_add(1, Ordering::Relaxed);
        return Ok(Value::bool(true));
    }
    let sem = s.sem();
    let got = match try_wait(sem) {
        Ok(got) => got,
        Err(e) => return Err(os_error(vm, e)),
    };
    let got = if got || !block {
        got
    } else {
        wait(vm, sem, timeout)?
    };
    if !got {
        return Ok(Value::bool(false));
    }
    s.count.fetch_add(1, Ordering::Relaxed);
    s.last_tid.store(current_tid(), Ordering::Relaxed);
    Ok(Value::bool(true))
}

/// A blocking wait (detached), until acquired, timed out or a signal: Python
/// handlers run between tries (an exception they raise ends the wait).
fn wait(vm: &mut Vm, sem: *mut libc::sem_t, timeout: Option<f64>) -> PyResult<bool> {
    let deadline = timeout.map(|t| {
        let mut now: libc::timespec = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid out-parameter.
        unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut now) };
        let total = now.tv_nsec as f64 / 1e9 + t;
        let whole = total.trunc();
        libc::timespec {
            tv_sec: now.tv_sec + whole as libc::time_t,
            tv_nsec: ((total - whole) * 1e9) as libc::c_long,
        }
    });
    vm.flush_stdout();
    let sem_addr = sem as usize;
    loop {
        let r = thread_state::blocking(|| {
            let sem = sem_addr as *mut libc::sem_t;
            // SAFETY: `sem` is an open semaphore; `deadline` a valid timespec.
            let rc = unsafe {
                match &deadline {
                    Some(d) => libc::sem_timedwait(sem, d),
                    None => libc::sem_wait(sem),
                }
            };
            if rc == 0 { 0 } else { errno() }
        });
        match r {
            0 => return Ok(true),
            libc::EINTR => crate::modules::signal::run_pending(vm)?,
            libc::ETIMEDOUT => return Ok(false),
            e => return Err(os_error(vm, e)),
        }
    }
}

fn release(vm: &mut Vm, s: &SemLockObj) -> PyResult<()> {
    if s.kind == RECURSIVE_MUTEX {
        if !s.is_mine() {
            return Err(vm.err(
                types().assertion_error,
                "attempt to release recursive lock not owned by thread",
            ));
        }
        if s.count.load(Ordering::Relaxed) > 1 {
            s.count.fetch_sub(1, Ordering::Relaxed);
            return Ok(());
        }
    } else {
        let mut sval: libc::c_int = 0;
        // SAFETY: an open semaphore and a valid out-parameter.
        if unsafe { libc::sem_getvalue(s.sem(), &mut sval) } < 0 {
            return Err(os_error(vm, errno()));
        }
        if sval as i64 >= s.maxvalue {
            return Err(vm.value_error("semaphore or lock released too many times"));
        }
    }
    // SAFETY: an open semaphore.
    if unsafe { libc::sem_post(s.sem()) } < 0 {
        return Err(os_error(vm, errno()));
    }
    s.count.fetch_sub(1, Ordering::Relaxed);
    Ok(())
}

fn semlock_release(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "release", a)?;
    native_args::this(vm, "release", a, 0, 0)?;
    release(vm, s)?;
    Ok(Value::none())
}

fn semlock_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "__exit__", a)?;
    release(vm, s)?;
    Ok(Value::none())
}

fn semlock_count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "_count", a)?;
    Ok(Value::int(s.count.load(Ordering::Relaxed)))
}

fn semlock_is_mine(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "_is_mine", a)?;
    Ok(Value::bool(s.is_mine()))
}

fn get_value(vm: &mut Vm, s: &SemLockObj) -> PyResult<i64> {
    let mut sval: libc::c_int = 0;
    // SAFETY: an open semaphore and a valid out-parameter.
    if unsafe { libc::sem_getvalue(s.sem(), &mut sval) } < 0 {
        return Err(os_error(vm, errno()));
    }
    // Some platforms report minus the number of waiters.
    Ok((sval as i64).max(0))
}

fn semlock_get_value(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "_get_value", a)?;
    Ok(Value::int(get_value(vm, s)?))
}

fn semlock_is_zero(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "_is_zero", a)?;
    Ok(Value::bool(get_value(vm, s)? == 0))
}

fn semlock_after_fork(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "_after_fork", a)?;
    s.count.store(0, Ordering::Relaxed);
    Ok(Value::none())
}

fn semlock_handle(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "handle", a)?;
    Ok(Value::int(s.handle as i64))
}

fn semlock_kind(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "kind", a)?;
    Ok(Value::int(s.kind))
}

fn semlock_maxvalue(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "maxvalue", a)?;
    Ok(Value::int(s.maxvalue))
}

fn semlock_name(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(vm, "name", a)?;
    Ok(s.name.clone())
}

/// `sem_unlink(name)`.
fn sem_unlink(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "sem_unlink", a, 1, 1)?;
    let cname = c_name(vm, &p[0])?;
    // SAFETY: a NUL-terminated name.
    if unsafe { libc::sem_unlink(cname.as_ptr()) } < 0 {
        return Err(os_error(vm, errno()));
    }
    Ok(Value::none())
}
