//! Per-module import locks (module name -> owning thread), CPython's `_ModuleLock`s.
//!
//! stitch has no GIL, so two threads may import the same module at the same time. As
//! in CPython 3.11, the thread that imports a module holds that module's lock while it
//! finds, creates and executes it; another thread importing the same name waits, then
//! finds the finished module in `sys.modules` (or, if the import failed and removed
//! it, imports it again itself).
//!
//! Protocol:
//!
//! * One process-wide table, under the mutex `TABLE`, maps a module name to its
//!   `Entry` (owning thread, recursion count, number of waiters) and a thread to the
//!   name it is waiting for (`blocking_on`). The mutex is held only for table work,
//!   never across Python code or a wait, and only by attached threads.
//! * An entry exists exactly while some thread holds the name's lock (`count > 0`) or
//!   waits for it (`waiters > 0`); the last release, or the last waiter that leaves
//!   without taking the lock, removes it. `ACTIVE` counts entries, so the common case
//!   (a module already in `sys.modules`, no import anywhere in progress) costs one
//!   atomic load.
//! * `acquire`: free or already ours -> take it (re-entrant: an import cycle inside one
//!   thread sees the partial module, as before). Else, if the chain owner -> the name
//!   its owner waits for -> that name's owner ... comes back to this thread, waiting
//!   would deadlock: `acquire` reports it (CPython's `_DeadlockError`). Else the thread
//!   records what it waits for, counts itself a waiter, reads the futex word `GEN`,
//!   drops the mutex and sleeps on `GEN` detached from the VM. Because the check and
//!   the registration happen under one mutex, of two threads that would deadlock
//!   exactly one sees the cycle.
//! * `release`: the last release of the owner clears the owner; if anyone waits it
//!   bumps `GEN` (under the mutex) and wakes all sleepers, who re-check. A wake-up for
//!   another name is just a spurious wake-up. A sleeper that read `GEN` before the bump
//!   returns at once from the futex wait (the word differs), so no wake-up is lost.
//! * On the main thread a signal ends the sleep (EINTR): the waiter leaves the table,
//!   runs the Python handlers (KeyboardInterrupt propagates from the import) and, if
//!   they return, waits again.
//!
//! Users: `import_module` takes the lock of a name missing from `sys.modules` for the
//! whole import, and for a name present there whose lock another thread holds, takes
//! and drops it (CPython's `_lock_unlock_module`; a deadlock then means "use the
//! partial module"). Once importlib is loaded, the bridge makes
//! `importlib._bootstrap._get_module_lock` return handles on this same table, so the
//! Lib's importlib (`importlib.import_module`, custom finders) and the native importer
//! share one lock per name and one deadlock detector; `_bootstrap._module_locks` then
//! stays empty. After `fork`, entries of threads that do not exist in the child are
//! dropped (CPython keeps them, and the child hangs on that module's next import).
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use parking_lot::Mutex;

use crate::object::current_tid;
use crate::types::func::new_module_builtin;
use crate::types::module::ModuleObj;
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};

#[derive(Default)]
struct Entry {
    /// Owning thread id; 0 when `count` is 0.
    owner: u64,
    /// Recursion depth of the owner.
    count: u64,
    /// Threads sleeping until this lock is released.
    waiters: u32,
}

struct Table {
    locks: BTreeMap<String, Entry>,
    /// Thread id -> the name whose lock it sleeps on.
    blocking_on: BTreeMap<u64, String>,
}

static TABLE: Mutex<Table> = parking_lot::const_mutex(Table {
    locks: BTreeMap::new(),
    blocking_on: BTreeMap::new(),
});

/// Number of entries in `TABLE` (changed under its mutex, read without it).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);

/// Futex word bumped by every release that has waiters.
static GEN: AtomicU32 = AtomicU32::new(0);

/// How `acquire` ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Acquired {
    Yes,
    /// Waiting would deadlock with the threads it waits for (not taken).
    Deadlock,
}

/// Would this thread (`me`) deadlock waiting for a lock `owner` holds?
fn has_deadlock(t: &Table, owner: u64, me: u64) -> bool {
    let mut tid = owner;
    let mut seen = BTreeSet::new();
    loop {
        let Some(name) = t.blocking_on.get(&tid) else {
            return false;
        };
        tid = t.locks.get(name).map_or(0, |e| e.owner);
        if tid == me {
            return true;
        }
        // A cycle that does not pass through this thread: not our deadlock (bpo-38091).
        if !seen.insert(tid) {
            return false;
        }
    }
}

/// Remove `name`'s entry if nobody holds or waits for it.
fn drop_if_unused(t: &mut Table, name: &str) {
    if t.locks
        .get(name)
        .is_some_and(|e| e.count == 0 && e.waiters == 0)
    {
        t.locks.remove(name);
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Take `name`'s import lock for this thread (see the protocol above).
pub fn acquire(vm: &mut Vm, name: &str) -> PyResult<Acquired> {
    let me = current_tid();
    let mut t = TABLE.lock();
    loop {
        if !t.locks.contains_key(name) {
            t.locks.insert(name.to_string(), Entry::default());
            ACTIVE.fetch_add(1, Ordering::SeqCst);
        }
        let (owner, count) = t.locks.get(name).map_or((0, 0), |e| (e.owner, e.count));
        if count == 0 || owner == me {
            if let Some(e) = t.locks.get_mut(name) {
                e.owner = me;
                e.count += 1;
            }
            return Ok(Acquired::Yes);
        }
        if has_deadlock(&t, owner, me) {
            drop_if_unused(&mut t, name);
            return Ok(Acquired::Deadlock);
        }
        if crate::modules::signal::is_main_thread() && crate::modules::signal::any_pending() {
            drop_if_unused(&mut t, name);
            drop(t);
            crate::modules::signal::run_pending(vm)?;
            t = TABLE.lock();
            continue;
        }
        t.blocking_on.insert(me, name.to_string());
        if let Some(e) = t.locks.get_mut(name) {
            e.waiters += 1;
        }
        let seen_gen = GEN.load(Ordering::SeqCst);
        drop(t);
        vm.flush_stdout();
        crate::thread_state::blocking(|| futex_wait(&GEN, seen_gen));
        t = TABLE.lock();
        t.blocking_on.remove(&me);
        if let Some(e) = t.locks.get_mut(name) {
            e.waiters -= 1;
        }
    }
}

/// Drop one level of this thread's hold on `name`'s lock; false if it holds none.
pub fn release(name: &str) -> bool {
    let me = current_tid();
    let mut t = TABLE.lock();
    let Some(e) = t.locks.get_mut(name) else {
        return false;
    };
    if e.count == 0 || e.owner != me {
        return false;
    }
    e.count -= 1;
    if e.count == 0 {
        e.owner = 0;
        if e.waiters > 0 {
            GEN.fetch_add(1, Ordering::SeqCst);
            futex_wake_all(&GEN);
        } else {
            drop_if_unused(&mut t, name);
        }
    }
    true
}

/// Does a thread other than this one hold `name`'s lock?
fn held_by_other(name: &str) -> bool {
    if ACTIVE.load(Ordering::SeqCst) == 0 {
        return false;
    }
    let me = current_tid();
    TABLE
        .lock()
        .locks
        .get(name)
        .is_some_and(|e| e.count > 0 && e.owner != me)
}

/// `name`'s lock, held for the duration of one native import.
pub struct Held(String);

impl Drop for Held {
    fn drop(&mut self) {
        release(&self.0);
    }
}

/// Take `name`'s lock for a native import; a deadlock is an error, as CPython's
/// `_ModuleLockManager` raises `_DeadlockError` when the module is not in
/// `sys.modules` yet.
pub fn hold(vm: &mut Vm, name: &str) -> PyResult<Held> {
    match acquire(vm, name)? {
        Acquired::Yes => Ok(Held(name.to_string())),
        Acquired::Deadlock => Err(deadlock_error(vm, name)),
    }
}

/// The module `name` is in `sys.modules`: if another thread is still importing it,
/// wait until it has finished (CPython's `_lock_unlock_module`; on a deadlock, go on
/// with the partial module).
pub fn wait_until_imported(vm: &mut Vm, name: &str) -> PyResult<()> {
    if !held_by_other(name) {
        return Ok(());
    }
    if acquire(vm, name)? == Acquired::Yes {
        release(name);
    }
    Ok(())
}

/// `_DeadlockError('deadlock detected by _ModuleLock(name) at ...')`: importlib's
/// class once importlib is loaded (its `_lock_unlock_module` catches that class),
/// else a RuntimeError (its base).
pub fn deadlock_error(vm: &mut Vm, name: &str) -> PyErr {
    let r = crate::ops::repr(vm, &new_str(name)).unwrap_or_else(|_| format!("'{name}'"));
    let msg = format!(
        "deadlock detected by _ModuleLock({r}) at {}",
        name.as_ptr() as usize
    );
    let cls = crate::import::loaded(vm, "importlib._bootstrap")
        .and_then(|b| b.downcast::<ModuleObj>()?.dict().get_str("_DeadlockError"));
    if let Some(cls) = cls
        && let Ok(exc) = vm.call(&cls, &[new_str(&msg)])
    {
        return PyErr { exc };
    }
    vm.runtime_error(msg)
}

/// The module name argument of the bridge's lock functions.
fn name_arg(vm: &mut Vm, fname: &str, a: &Args) -> PyResult<String> {
    let p = crate::modules::native_args::unpack(vm, fname, a, 1, 1)?;
    match crate::types::str::as_str(&p[0]) {
        Some(s) => Ok(s.to_string()),
        None => Err(vm.type_error(format!(
            "{fname}() argument must be str, not {}",
            p[0].type_data().name
        ))),
    }
}

/// `acquire(name)` for the bridge's `_ModuleLock.acquire`: True, or `_DeadlockError`.
fn py_acquire(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = name_arg(vm, "acquire", a)?;
    match acquire(vm, &name)? {
        Acquired::Yes => Ok(Value::bool(true)),
        Acquired::Deadlock => Err(deadlock_error(vm, &name)),
    }
}

/// `release(name)` for the bridge's `_ModuleLock.release`.
fn py_release(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let name = name_arg(vm, "release", a)?;
    if !release(&name) {
        return Err(vm.runtime_error("cannot release un-acquired lock"));
    }
    Ok(Value::none())
}

/// The bridge's lock primitives: native `acquire(name)` and `release(name)`.
pub fn py_functions() -> [Value; 2] {
    [
        new_module_builtin("acquire", py_acquire, "_stitch_importlib"),
        new_module_builtin("release", py_release, "_stitch_importlib"),
    ]
}

/// In the child of a `fork`: only the forking thread exists; forget the locks other
/// threads held or waited for.
pub fn after_fork_child() {
    let me = current_tid();
    let mut t = TABLE.lock();
    t.blocking_on.clear();
    t.locks.retain(|_, e| {
        e.waiters = 0;
        e.owner == me && e.count > 0
    });
    ACTIVE.store(t.locks.len(), Ordering::SeqCst);
}

/// Sleep while `word` is `expected` (returns at once if it is not; EINTR and spurious
/// wake-ups just return: the caller re-checks).
fn futex_wait(word: &AtomicU32, expected: u32) {
    // SAFETY: `word` is a live, aligned u32 (a static); a null timeout waits forever.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            std::ptr::null::<libc::timespec>(),
        );
    }
}

fn futex_wake_all(word: &AtomicU32) {
    // SAFETY: `word` is a live, aligned u32 (a static).
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            i32::MAX,
        );
    }
}
