//! Finalization: `__del__` methods (PEP 442) and weak-reference callbacks.
//!
//! An object's count can reach zero anywhere a reference is dropped: inside a
//! container's locked closure, in the middle of an instruction, in a trace. Python
//! code cannot run there (the interpreter's stack pointer is in a register, a
//! container may be half-updated), so deallocation only *queues* the Python work, per
//! thread, and the interpreter runs it at its next safe point (after the instruction
//! that dropped the reference: `STORE_*`, `DELETE_*`, `POP_TOP`, returns, calls from
//! traces; the same points that close abandoned generators), which is where CPython
//! would have run it, give or take the rest of one instruction.
//!
//! The order is CPython's (`subtype_dealloc`):
//! 1. `__del__`, once per object: the dying object is resurrected (one reference,
//!    owned by the queue; `FLAG_FINALIZED` set so it never runs again) and queued.
//!    When the queue drops that reference after `__del__`, the object dies again,
//!    unless `__del__` stored it somewhere (resurrection).
//! 2. Its weak references are cleared at once (no Python code needed), and the live
//!    ones that have callbacks are queued with them; the object is then freed.
//!
//! Errors in either are printed as CPython's "Exception ignored in: ..." and the
//! program goes on.
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::atomic::Ordering;

use stitch_stencils::header::{FLAG_FINALIZED, FLAG_NATIVE_FINALIZER, FLAG_WEAKREFS, ObjHeader};
use stitch_stencils::value::RawValue;

use crate::object::{Counts, PyObj, current_tid};
use crate::types::class::{HOOK_DEL, TypeData};
use crate::value::Value;
use crate::vm::{PyErr, Vm};

/// Python work left by deallocation.
enum Work {
    /// Call the object's `__del__`, then drop it.
    Del(Value),
    /// Call `callback(weakref)`.
    Callback(Value, Value),
    /// Run a native type's finalizer (a coroutine's "was never awaited", a file object
    /// dying open), then drop.
    Native(Value),
}

thread_local! {
    static QUEUE: RefCell<VecDeque<Work>> = const { RefCell::new(VecDeque::new()) };
    /// Nesting of `run_queued` (a `__del__` whose own drops reach a safe point).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Deeper finalizers wait for an outer `run_queued` loop (no unbounded recursion).
const MAX_DEPTH: u32 = 16;

/// Does freeing the object at `h` need `before_free`? (One flag load, and for
/// instances of Python classes the type's cached hook bits.)
///
/// # Safety
/// `h` is a live object.
#[inline(always)]
pub unsafe fn needs_finalizing(h: *const ObjHeader) -> bool {
    // SAFETY: guaranteed by the caller; every type object is a `PyObj<TypeData>`.
    unsafe {
        let flags = (*h).ob_flags.load(Ordering::Relaxed);
        if flags & (FLAG_WEAKREFS | FLAG_NATIVE_FINALIZER) != 0 {
            return true;
        }
        if flags & FLAG_FINALIZED != 0 {
            return false;
        }
        let td = &(*((*h).ob_type as *const PyObj<TypeData>)).payload;
        td.is_heap && td.hook_bits() & HOOK_DEL != 0
    }
}

/// Called when the object at `h` is about to be freed. Returns false when it must not
/// be: it was resurrected to run its `__del__`.
///
/// # Safety
/// `h`'s count reached zero and this thread was told to free it.
pub unsafe fn before_free(h: *mut ObjHeader) -> bool {
    // SAFETY: guaranteed by the caller.
    let header = unsafe { &*h };
    let flags = header.ob_flags.load(Ordering::Relaxed);
    // SAFETY: every type object is a `PyObj<TypeData>`.
    let td = unsafe { &(*(header.ob_type as *const PyObj<TypeData>)).payload };
    if flags & FLAG_FINALIZED == 0 && td.is_heap && td.hook_bits() & HOOK_DEL != 0 {
        header.ob_flags.fetch_or(FLAG_FINALIZED, Ordering::Relaxed);
        stitch_sync::weakref::resurrect(&Counts(header), current_tid(), flags & FLAG_WEAKREFS != 0);
        // SAFETY: `resurrect` gave the object one reference, which the queue owns.
        let obj = unsafe { Value::from_raw(RawValue::from_ptr(h as *const u8)) };
        if let Err(obj) = push(Work::Del(obj)) {
            // The thread is exiting: nothing can run `__del__` any more. Keep the
            // object (it was resurrected) rather than free it under a live reference.
            std::mem::forget(obj);
        }
        return false;
    }
    if flags & (FLAG_NATIVE_FINALIZER | FLAG_FINALIZED) == FLAG_NATIVE_FINALIZER
        // SAFETY: guaranteed by the caller: `h` is still a live object.
        && unsafe {
            crate::builtins::coroutines::needs_finalizer(h)
                // A file object dying open; with no queue (the thread is exiting) it
                // is freed as it is (its descriptor closed by the native state).
                || (crate::modules::io::finalize::is_file_object(h) && queue_open())
                // An asyncio Future whose exception was never retrieved, a Task
                // destroyed pending.
                || (crate::modules::asyncio::needs_finalizer(h) && queue_open())
        }
    {
        header.ob_flags.fetch_or(FLAG_FINALIZED, Ordering::Relaxed);
        stitch_sync::weakref::resurrect(&Counts(header), current_tid(), flags & FLAG_WEAKREFS != 0);
        // SAFETY: `resurrect` gave the object one reference, which the queue owns.
        let obj = unsafe { Value::from_raw(RawValue::from_ptr(h as *const u8)) };
        if let Err(obj) = push(Work::Native(obj)) {
            // No VM can run the finalizer any more (thread exit): keep the object.
            std::mem::forget(obj);
        }
        return false;
    }
    if flags & FLAG_WEAKREFS != 0 {
        // SAFETY: guaranteed by the caller.
        let live = unsafe { crate::types::weakref::clear_dying(h) };
        for (w, cb) in live {
            if !cb.is_null() {
                let _ = push(Work::Callback(w, cb));
            }
        }
    }
    true
}

/// Can this thread still queue work (its queue not torn down)?
fn queue_open() -> bool {
    QUEUE
        .try_with(|q| q.try_borrow_mut().is_ok())
        .unwrap_or(false)
}

/// Queue `w` for this thread's next safe point; gives it back if the thread's queue is
/// gone (thread exit).
fn push(w: Work) -> Result<(), Value> {
    let mut w = Some(w);
    let _ = QUEUE.try_with(|q| {
        if let (Ok(mut q), Some(x)) = (q.try_borrow_mut(), w.take()) {
            q.push_back(x);
        }
    });
    match w {
        None => {
            crate::builtins::generators::note_pending();
            Ok(())
        }
        Some(Work::Del(v)) | Some(Work::Native(v)) => Err(v),
        Some(Work::Callback(wr, cb)) => {
            // Dropped without a VM: no callback can run.
            drop(cb);
            Err(wr)
        }
    }
}

/// Run the queued `__del__` methods and callbacks (in the order they were queued).
pub fn run_queued(vm: &mut Vm) {
    let depth = DEPTH.with(|d| d.get());
    if depth >= MAX_DEPTH {
        return;
    }
    DEPTH.with(|d| d.set(depth + 1));
    while let Some(w) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
        match w {
            Work::Del(obj) => {
                if let Some(f) = obj.type_data().lookup("__del__")
                    && let Err(e) = vm.call(&f, std::slice::from_ref(&obj))
                {
                    report(vm, &f, e);
                }
                drop(obj);
            }
            Work::Native(obj) => {
                if obj.type_raw() == crate::world::types().coroutine {
                    crate::builtins::coroutines::finalize(vm, &obj);
                } else if crate::modules::asyncio::is_future(&obj) {
                    crate::modules::asyncio::finalize(vm, &obj);
                } else {
                    crate::modules::io::finalize::finalize(vm, &obj);
                }
                drop(obj);
            }
            Work::Callback(wr, cb) => {
                if let Err(e) = vm.call(&cb, std::slice::from_ref(&wr)) {
                    report(vm, &cb, e);
                }
                drop(wr);
                drop(cb);
            }
        }
    }
    DEPTH.with(|d| d.set(depth));
}

/// Is Python work queued on this thread?
pub fn has_queued() -> bool {
    QUEUE.with(|q| !q.borrow().is_empty())
}

/// CPython's unraisable-exception report: "Exception ignored in: <what>" and the
/// traceback, on stderr.
pub fn report(vm: &mut Vm, what: &Value, e: PyErr) {
    vm.flush_stdout();
    let what = crate::ops::repr(vm, what).unwrap_or_default();
    let text = crate::traceback::format_exception(vm, &e.exc);
    eprint!("Exception ignored in: {what}\n{text}");
}

/// At exit: run the `__del__` of the main module's global objects while every global
/// is still bound (as CPython's final collection calls finalizers before breaking
/// the module's cycles), then clear the module's globals in order, running what their
/// release queues.
pub fn finalize_main(vm: &mut Vm) {
    run_queued(vm);
    // SAFETY: vm.modules is a dict.
    let mods = unsafe {
        vm.modules
            .payload_unchecked::<crate::types::dict::DictObj>()
    };
    let Some(main) = mods.get_str("__main__") else {
        return;
    };
    let Some(m) = main.downcast::<crate::types::module::ModuleObj>() else {
        return;
    };
    for v in m.dict().values() {
        if !v.is_ptr() {
            continue;
        }
        let Some(h) = v.header() else { continue };
        let td = v.type_data();
        let flags = h.ob_flags.load(Ordering::Relaxed);
        if flags & FLAG_FINALIZED == 0 && td.is_heap && td.hook_bits() & HOOK_DEL != 0 {
            h.ob_flags.fetch_or(FLAG_FINALIZED, Ordering::Relaxed);
            if let Some(f) = td.lookup("__del__")
                && let Err(e) = vm.call(&f, std::slice::from_ref(&v))
            {
                report(vm, &f, e);
            }
            crate::builtins::generators::run_pending(vm);
        }
    }
    // Classes stay bound until the other globals are gone (their instances'
    // finalizers may still need them); then their dicts are cleared, breaking the
    // method -> `__class__` cell -> class cycles as CPython's collector would.
    let entries = m.dict().d.with(|d| d.clear());
    let mut classes = Vec::new();
    for e in entries {
        if crate::types::class::as_type(&e.value).is_some_and(|td| td.is_heap) {
            classes.push(e);
        } else {
            drop(e);
        }
        crate::builtins::generators::run_pending(vm);
    }
    for e in &classes {
        if let Some(td) = crate::types::class::as_type(&e.value) {
            let gone = td.dict.d.with(|d| d.clear());
            crate::types::type_version::type_modified(td);
            crate::types::attr_cache::invalidate();
            drop(gone);
            crate::builtins::generators::run_pending(vm);
        }
    }
    drop(classes);
    crate::builtins::generators::run_pending(vm);
}
