//! `_queue`: `SimpleQueue` (an unbounded FIFO that is safe to share between threads
//! without a global lock) and `Empty`. The Lib's `queue` module re-exports both.
//!
//! The items sit in a std (futex) mutex with a condition variable; a `get` that has
//! to wait does so detached from the VM (it only moves an item out of the deque,
//! touching no object), so waiting threads never hold up stop-the-world or merges.
use std::collections::VecDeque;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use super::native_args::{self, methods, module, object_type, set};
use crate::native_payload;
use crate::thread_state;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::int::as_int;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

/// The items of a `SimpleQueue`. std's mutex and condvar (futexes), not parking_lot's:
/// a waiter parked in parking_lot's process-wide table when `os.fork()` runs leaves the
/// child a dangling link there (see `thread/futex_mutex.rs`).
struct Items(Mutex<VecDeque<Value>>);

impl Items {
    fn lock(&self) -> MutexGuard<'_, VecDeque<Value>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

// SAFETY: the items are references to shared objects (atomic counts for non-owners);
// the mutex orders every access to the deque.
unsafe impl Send for Items {}
// SAFETY: as for Send: every access to the deque goes through the mutex.
unsafe impl Sync for Items {}

pub struct SimpleQueueObj {
    items: Items,
    ready: Condvar,
}
native_payload!(SimpleQueueObj, SIMPLE_QUEUE);
static SIMPLE_QUEUE_T: NativeType = NativeType {
    new: Some(sq_new),
    ..NativeType::of::<SimpleQueueObj>()
};

/// `_queue.Empty` (bits of the immortal class).
static EMPTY: OnceLock<u64> = OnceLock::new();

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = module("_queue", &[]);
    let t = new_type::<SimpleQueueObj>(
        "SimpleQueue",
        "_queue",
        object_type(),
        Kind::Native,
        &SIMPLE_QUEUE_T,
        &SIMPLE_QUEUE,
    );
    methods(
        &t,
        &[
            ("put", sq_put),
            ("put_nowait", sq_put_nowait),
            ("get", sq_get),
            ("get_nowait", sq_get_nowait),
            ("empty", sq_empty),
            ("qsize", sq_qsize),
        ],
    );
    set(&m, "SimpleQueue", t);
    set(&m, "Empty", empty_class(vm)?);
    Ok(m)
}

fn empty_class(vm: &mut Vm) -> PyResult<Value> {
    if let Some(b) = EMPTY.get() {
        return Ok(Value::from_borrowed(stitch_stencils::value::RawValue(*b)));
    }
    let ns = DictObj::new();
    ns.set_str("__module__", crate::world::intern("_queue"));
    ns.set_str(
        "__doc__",
        new_str("Exception raised by Queue.get(block=0)/get_nowait()."),
    );
    let bases = TupleObj::from_items([Value::from_borrowed(types().exception)]);
    let tyty = Value::from_borrowed(types().type_);
    let cls = vm.call(&tyty, &[new_str("Empty"), bases, Value::alloc(ns)])?;
    crate::object::make_immortal(cls.raw());
    let _ = EMPTY.set(cls.bits());
    Ok(cls)
}

fn empty_error(vm: &mut Vm) -> PyErr {
    match empty_class(vm).and_then(|c| vm.call(&c, &[])) {
        Ok(e) => PyErr { exc: e },
        Err(e) => e,
    }
}

fn sq_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    if cls.raw() == SimpleQueueObj::class() {
        if !a.pos().is_empty() {
            return Err(vm.type_error("SimpleQueue() takes no positional arguments"));
        }
        if a.has_kw() {
            return Err(vm.type_error("SimpleQueue() takes no keyword arguments"));
        }
    }
    Ok(native::alloc(
        cls,
        SimpleQueueObj {
            items: Items(Mutex::new(VecDeque::new())),
            ready: Condvar::new(),
        },
    ))
}

fn this<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<&'a SimpleQueueObj> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    match native::downcast::<SimpleQueueObj>(s) {
        Some(q) => Ok(q),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for '_queue.SimpleQueue' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

fn rest<'a>(a: &Args<'a>) -> Args<'a> {
    Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    }
}

fn push(q: &SimpleQueueObj, item: Value) {
    q.items.lock().push_back(item);
    q.ready.notify_one();
}

/// `put(item, block=True, timeout=None)`: never blocks (the queue is unbounded).
fn sq_put(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let q = this(vm, "put", a)?;
    let b = native_args::bind(vm, "put", &rest(a), &["item", "block", "timeout"], 1, 3)?;
    push(q, b[0].cloned().unwrap_or_else(Value::none));
    Ok(Value::none())
}

fn sq_put_nowait(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let q = this(vm, "put_nowait", a)?;
    let b = native_args::bind(vm, "put_nowait", &rest(a), &["item"], 1, 1)?;
    push(q, b[0].cloned().unwrap_or_else(Value::none));
    Ok(Value::none())
}

/// Seconds of a timeout argument, as CPython's `_PyTime_FromSecondsObject`.
fn seconds(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    if let Some(f) = v.as_float() {
        if f.is_nan() {
            return Err(vm.value_error("Invalid value NaN (not a number)"));
        }
        return Ok(f);
    }
    match as_int(v) {
        Some(i) => Ok(i.to_f64().unwrap_or(f64::INFINITY)),
        None => {
            let tn = v.type_data().name.clone();
            Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
        }
    }
}

/// `get(block=True, timeout=None)`.
fn sq_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let q = this(vm, "get", a)?;
    let b = native_args::bind(vm, "get", &rest(a), &["block", "timeout"], 0, 2)?;
    let block = match b[0] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => true,
    };
    let timeout = match b[1] {
        Some(v) if !v.is_none() => {
            let t = seconds(vm, v)?;
            if t < 0.0 {
                return Err(vm.value_error("'timeout' must be a non-negative number"));
            }
            Some(t)
        }
        _ => None,
    };
    get(vm, q, if block { timeout } else { Some(0.0) })
}

fn sq_get_nowait(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let q = this(vm, "get_nowait", a)?;
    native_args::this(vm, "get_nowait", a, 0, 0)?;
    get(vm, q, Some(0.0))
}

/// Take the first item, waiting up to `timeout` seconds (None: forever).
fn get(vm: &mut Vm, q: &SimpleQueueObj, timeout: Option<f64>) -> PyResult<Value> {
    if let Some(v) = q.items.lock().pop_front() {
        return Ok(v);
    }
    if timeout == Some(0.0) {
        return Err(empty_error(vm));
    }
    vm.flush_stdout();
    let deadline = timeout.map(|t| Instant::now() + Duration::from_secs_f64(t.min(1e9)));
    let got = thread_state::blocking(|| {
        let mut items = q.items.lock();
        loop {
            if let Some(v) = items.pop_front() {
                return Some(v);
            }
            items = match deadline {
                None => q.ready.wait(items).unwrap_or_else(PoisonError::into_inner),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return items.pop_front();
                    }
                    q.ready
                        .wait_timeout(items, d - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            }
        }
    });
    match got {
        Some(v) => Ok(v),
        None => Err(empty_error(vm)),
    }
}

fn sq_empty(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let q = this(vm, "empty", a)?;
    native_args::this(vm, "empty", a, 0, 0)?;
    Ok(Value::bool(q.items.lock().is_empty()))
}

fn sq_qsize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let q = this(vm, "qsize", a)?;
    native_args::this(vm, "qsize", a, 0, 0)?;
    Ok(Value::int(q.items.lock().len() as i64))
}
