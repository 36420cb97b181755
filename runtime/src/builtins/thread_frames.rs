//! `sys._current_frames()` and `sys._current_exceptions()`: every thread's innermost
//! frame, and its handled exception as `sys.exc_info()` gives it, keyed by
//! `threading.get_ident()`.
//!
//! Threads are found in the table faulthandler uses (`traceback::dump`, where each
//! thread publishes its `Vm`). Another thread's frames and exception state are read
//! with the world stopped, and its frame objects are given what a thread other than
//! the owner reads (the current line and the caller's frame object:
//! `types::frame::stopped_chain`), so `f_back` chains and `traceback.extract_stack`
//! work on them afterwards.
use super::posargs;
use crate::types::dict::DictObj;
use crate::types::frame::{frame_object, stopped_chain};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// One thread's innermost frame object (None: no Python frame) and handled exception.
struct Snapshot {
    tid: u64,
    top: Option<Value>,
    handled: Value,
}

/// Snapshots of every thread: the calling one read directly, the others stopped.
fn snapshot(vm: &mut Vm) -> Vec<Snapshot> {
    let me = crate::object::current_tid();
    let mut out = crate::thread_state::stop_the_world(|| {
        crate::traceback::dump::published_vms()
            .into_iter()
            .filter(|(tid, _)| *tid != me)
            .map(|(tid, other)| {
                // SAFETY: `other` is a published `Vm` of a thread other than this one,
                // and every other thread is stopped while this runs: its frame chain
                // and exception state do not change, and the `Vm` stays put.
                unsafe {
                    let top = (*other).frame;
                    let chain = stopped_chain(top, tid);
                    Snapshot {
                        tid,
                        top: chain.into_iter().next(),
                        handled: (*other).topmost_handled(),
                    }
                }
            })
            .collect::<Vec<_>>()
    });
    let top = if vm.frame.is_null() {
        None
    } else {
        // SAFETY: the calling thread's own innermost frame.
        Some(unsafe { frame_object(vm.frame) })
    };
    out.insert(
        0,
        Snapshot {
            tid: me,
            top,
            handled: vm.topmost_handled(),
        },
    );
    out
}

/// `sys._current_frames()`: thread id -> innermost frame (threads running Python code).
pub fn current_frames(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "sys._current_frames", a, 0, 0)?;
    let d = DictObj::new_value();
    for s in snapshot(vm) {
        if let Some(top) = s.top {
            crate::ops::setitem(vm, &d, Value::int(s.tid as i64), top)?;
        }
    }
    Ok(d)
}

/// `sys._current_exceptions()`: thread id -> `(type, value, traceback)` of the
/// exception each thread is handling (three Nones when none).
pub fn current_exceptions(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    posargs(vm, "sys._current_exceptions", a, 0, 0)?;
    let d = DictObj::new_value();
    for s in snapshot(vm) {
        let info = super::modules::exc_info_tuple(s.handled);
        crate::ops::setitem(vm, &d, Value::int(s.tid as i64), info)?;
    }
    Ok(d)
}
